"""Ingest at the edges: a decompression bomb and an oversized page in a dump, articles over
their time budget, a comparison cut short, workers whose parent was killed, and the pre-filter
of dump pages."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_budget import big_article, run_cli
from test_dump_limits import write_bomb
from test_ingest import SEED, SMALL, page, write_dump

import claims.store
from claims.extract import MAX_ARTICLE_BYTES
from claims.ingest import ingest
from claims.service import ComparedStore, comparison_key
from claims.store import Store

ROOT = Path(__file__).parent.parent


def raids(count: int, first: int = 0) -> list[str]:
    return [
        page(f"Raid {i}", SMALL.format(n=10 + i, i=i), rev=10 + i)
        for i in range(first, first + count)
    ]


def test_a_bomb_is_refused_by_ingest_and_the_pages_before_it_are_stored(tmp_path: Path) -> None:
    bomb = write_bomb(tmp_path / "bomb.xml.bz2", raids(3), 256 << 20, [])
    store = Store(tmp_path / "store.duckdb")
    report = ingest([bomb], store, progress=False)
    assert sorted(store.articles_frame().title) == ["Raid 0", "Raid 1", "Raid 2"]
    assert [p for p, _ in report.failed] == [str(bomb)]
    assert "decompression bomb" in report.failed[0][1]


def test_a_compressed_page_over_the_limit_is_skipped_and_the_dump_goes_on(tmp_path: Path) -> None:
    dump = write_bomb(tmp_path / "big.xml.bz2", raids(1), 32 << 20, raids(1, first=1))
    store = Store(tmp_path / "store.duckdb")
    report = ingest([dump], store, progress=False)  # 32 MiB: under the ratio's floor
    assert sorted(store.articles_frame().title) == ["Raid 0", "Raid 1"]
    assert report.failed == [
        (
            f"{dump}#Bomb",
            f"is too large ({32 << 20:,} characters; the limit is {MAX_ARTICLE_BYTES:,})",
        )
    ]


# -- time budget


@pytest.mark.parametrize("processes", ["1", "2"])
def test_an_article_over_its_time_budget_is_one_problem_and_the_rest_is_stored(
    tmp_path: Path, processes: str
) -> None:
    # in a process of its own: one that has read the seed before goes through its copies faster
    pages = [*raids(2), page("Battle of Everything", big_article()), *raids(2, first=2)]
    dump = write_dump(tmp_path / "dump.xml", pages)
    path = tmp_path / "store.duckdb"
    done = run_cli(
        "ingest",
        dump,
        "--store",
        path,
        "--quiet",
        "--article-timeout",
        "3",
        "--processes",
        processes,
    )
    assert done.returncode == 1, done.stderr
    assert f"{dump}#Battle of Everything: skipped: took longer than 3 s" in done.stderr
    store = Store(path, read_only=True)
    assert sorted(store.articles_frame().title) == [f"Raid {i}" for i in range(4)]
    assert store.problems_frame().message.tolist() == ["skipped: took longer than 3 s"]


@pytest.mark.slow
def test_an_article_over_its_time_budget_on_dask_is_one_problem(tmp_path: Path) -> None:
    pages = [*raids(2), page("Battle of Everything", big_article())]
    dump = write_dump(tmp_path / "dump.xml", pages)
    store = Store(tmp_path / "store.duckdb")
    report = ingest(
        [dump], store, progress=False, article_timeout=3, engine="dask", processes=2, batch_size=1
    )
    assert report.failed == [(f"{dump}#Battle of Everything", "skipped: took longer than 3 s")]
    assert sorted(store.articles_frame().title) == ["Raid 0", "Raid 1"]


# -- the final comparison, cut short


def test_a_comparison_cut_short_is_made_again_by_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dump = write_dump(tmp_path / "dump.xml", [page("Battle of Aleppo (2024)", SEED), *raids(3)])
    store = Store(tmp_path / "store.duckdb")
    ingest([dump], store, progress=False, compare=False)
    ComparedStore(store).save()  # an earlier comparison, now saved and current
    assert store.comparison_is_current(comparison_key)
    more = write_dump(tmp_path / "more.xml", raids(2, first=3))
    real = claims.store._frames

    def cut_short(frames: list) -> object:
        yield real(frames[:1])[0]  # the first table is replaced, then the writer dies
        raise KeyboardInterrupt

    monkeypatch.setattr(claims.store, "_frames", cut_short)
    with pytest.raises(KeyboardInterrupt):
        ingest([more], store, progress=False)
    monkeypatch.undo()
    reopened = Store(tmp_path / "store.duckdb")
    assert not reopened.comparison_is_current(comparison_key)
    # nothing of the cut comparison was kept: the tables are the earlier ones, marked stale
    assert reopened.comparison_tables(comparison_key) is None
    report = ingest([dump, more], reopened, progress=False)  # every article unchanged
    assert report.added == 0 and report.compared
    assert reopened.comparison_is_current(comparison_key)
    tables = reopened.comparison_tables(comparison_key)
    assert tables is not None
    assert set(tables[0].article) == {"Battle of Aleppo (2024)", *(f"Raid {i}" for i in range(5))}
    again = ingest([dump, more], reopened, progress=False)
    assert not again.compared  # current: not made a third time


# -- orphans


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_end_when_ingest_is_killed(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    text = "\n".join([SEED] * 20)  # long enough that the workers are busy when it is killed
    for i in range(6):
        (folder / f"article-{i}.wiki").write_text(text.replace("350", str(351 + i)), "utf-8")
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "claims.cli", "ingest", str(folder), "--processes", "2"),
            *("--store", str(tmp_path / "store.duckdb"), "--quiet", "--article-timeout", "0"),
        ],
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(workers) < 2:
            time.sleep(0.2)
            workers = children_of(process.pid)
        assert len(workers) >= 2, "the workers did not start"
        time.sleep(1.0)  # at work on the articles
        process.send_signal(signal.SIGKILL)
        process.wait()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(alive(w) for w in workers):
            time.sleep(0.2)
        assert not any(alive(w) for w in workers)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for worker in workers:
            if alive(worker):
                os.kill(worker, signal.SIGKILL)


# -- the pre-filter


def other_page(i: int) -> str:
    text = (
        f"{{{{Infobox person|name=Person {i}}}}}\n'''Person {i}''' (born 1950) wrote 3 books "
        f"and 12 essays.\n[[Category:Writers]]"
    )
    return page(f"Person {i}", text, rev=100 + i)


def test_ingest_extracts_only_the_pages_the_prefilter_keeps_unless_told_all(
    tmp_path: Path,
) -> None:
    pages = [*raids(3), *(other_page(i) for i in range(5))]
    dump = write_dump(tmp_path / "dump.xml.bz2", pages)
    store = Store(tmp_path / "store.duckdb")
    report = ingest([dump], store, progress=False)
    assert (report.pages, report.kept, report.skipped) == (8, 3, 5)
    assert report.seen == 3 and report.added == 3
    assert sorted(store.articles_frame().title) == ["Raid 0", "Raid 1", "Raid 2"]
    assert "8 dump pages seen: 3 kept, 5 skipped by the pre-filter" in report.summary()
    everything = ingest([dump], store, progress=False, prefilter=False)
    assert (everything.pages, everything.skipped, everything.added) == (8, 0, 5)
    assert everything.unchanged == 3
    assert "all kept (no pre-filter)" in everything.summary()


def test_article_files_are_not_prefiltered_unless_asked(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "raid.wiki").write_text(SMALL.format(n=7, i=7), encoding="utf-8")
    (folder / "person.wiki").write_text("{{Infobox person}} 3 books.", encoding="utf-8")
    report = ingest([folder], Store(tmp_path / "a.duckdb"), progress=False)
    assert (report.pages, report.added) == (0, 2)
    asked = ingest([folder], Store(tmp_path / "b.duckdb"), progress=False, prefilter_files=True)
    assert (asked.pages, asked.skipped, asked.added) == (2, 1, 1)
    assert "2 pages and files seen: 1 kept, 1 skipped by the pre-filter" in asked.summary()


def test_cli_ingest_reports_pages_seen_kept_and_skipped(tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "dump.xml", [*raids(2), other_page(0)])
    store = tmp_path / "store.duckdb"
    done = run_cli("ingest", dump, "--store", store, "--quiet")
    assert done.returncode == 0, done.stderr
    assert "3 dump pages seen: 2 kept, 1 skipped by the pre-filter" in done.stderr
    done = run_cli("ingest", dump, "--store", store, "--quiet", "--all")
    assert done.returncode == 0, done.stderr
    assert "3 dump pages seen, all kept" in done.stderr and "1 added" in done.stderr
