"""The time budget of an article: a loop stopped in any thread, and `extract` / `compare`
going on past an article that takes too long."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from test_ingest import SEED, SMALL

from claims.budget import ArticleTimeout, check_timeout, time_budget
from claims.extract import MAX_ARTICLE_BYTES

ROOT = Path(__file__).parent.parent


def spin(seconds: float = 30.0) -> None:
    """Loop until stopped; a budget that fails to stop it fails the test instead of hanging."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pass


def test_the_time_budget_stops_a_loop_in_the_main_thread_and_in_other_threads() -> None:
    with pytest.raises(ArticleTimeout), time_budget(0.2):
        spin()
    outcome: list[str] = []

    def in_thread() -> None:
        try:
            with time_budget(0.2):
                spin()
        except ArticleTimeout:
            outcome.append("stopped")
        with time_budget(0.2):
            outcome.append("quick")
        time.sleep(0.5)  # a budget once left does not fire later
        outcome.append("after")

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join(timeout=120)
    assert outcome == ["stopped", "quick", "after"]
    with time_budget(0.2):
        pass
    time.sleep(0.5)  # nor in the main thread


def test_timeouts_are_checked() -> None:
    assert check_timeout(0) is None and check_timeout(None) is None
    assert check_timeout(2.5) == 2.5
    for bad in (-1, float("nan")):
        with pytest.raises(ValueError):
            check_timeout(bad)


def big_article() -> str:
    """An article just under the size limit, of copies of the seed whose numbers differ from
    copy to copy (identical copies give the same claims, read once): several times the 3 s
    budget to extract, every time."""
    copies = int(MAX_ARTICLE_BYTES * 0.9) // len(SEED)

    def copy(shift: int) -> str:
        return re.sub(r"\b\d+\b", lambda number: str(int(number.group()) + shift), SEED)

    return "\n".join(copy(shift) for shift in range(copies))


def test_extract_and_compare_skip_an_article_over_its_time_budget(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "everything.wiki").write_text(big_article(), encoding="utf-8")
    (folder / "raid.wiki").write_text(SMALL.format(n=7, i=7), encoding="utf-8")
    # in processes of their own: extraction keeps what it has read of a text, and a process
    # that has read the seed before would go through its copies within the budget
    out = tmp_path / "claims.csv"
    done = run_cli("extract", folder, "-o", out, "--article-timeout", "3")
    assert done.returncode == 1
    assert "everything.wiki: skipped: took longer than 3 s" in done.stderr
    assert out.exists() and "Redtown" in out.read_text(encoding="utf-8")
    bad = run_cli("compare", folder, "-o", tmp_path / "out", "--article-timeout", "-2")
    assert bad.returncode == 2 and "--article-timeout" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "claims.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_the_fuzz_benchmark_counts_an_extraction_past_its_budget_as_skipped() -> None:
    import importlib.util

    fuzz = sys.modules.get("fuzz")
    if fuzz is None:
        spec = importlib.util.spec_from_file_location("fuzz", ROOT / "benchmarks" / "fuzz.py")
        fuzz = importlib.util.module_from_spec(spec)
        sys.modules["fuzz"] = fuzz  # its dataclasses look their module up
        spec.loader.exec_module(fuzz)
    text = SEED
    outcome, reason, claims = fuzz.check_input(text, budget=0.001)
    assert (outcome, reason, claims) == ("skipped", "skipped: took longer than 0.001 s", 0)
    outcome, reason, claims = fuzz.check_input(text, budget=60)
    assert outcome == "ok" and claims > 0
