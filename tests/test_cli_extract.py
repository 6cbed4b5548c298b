"""`claims extract` as a user runs it: files and folders in, CSV/JSON/Parquet out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from claims.model import CLAIM_COLUMNS

ROOT = Path(__file__).parent.parent
SEED = ROOT / "seeds" / "battle-of-aleppo-2024.wiki"


def claims_cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "claims.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_csv_has_the_documented_columns_first(tmp_path: Path) -> None:
    out = tmp_path / "claims.csv"
    done = claims_cli("extract", SEED, "-o", out)
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(out)
    assert tuple(frame.columns[: len(CLAIM_COLUMNS)]) == CLAIM_COLUMNS
    assert len(frame) > 20
    assert "claims from 1 article" in done.stderr


def test_dash_writes_csv_to_stdout() -> None:
    done = claims_cli("extract", SEED, "-o", "-")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith(",".join(CLAIM_COLUMNS[:5]))


def test_json_and_parquet_hold_the_same_claims(tmp_path: Path) -> None:
    assert claims_cli("extract", SEED, "-o", tmp_path / "c.json").returncode == 0
    assert claims_cli("extract", SEED, "-o", tmp_path / "c.parquet").returncode == 0
    rows = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    frame = pd.read_parquet(tmp_path / "c.parquet")
    assert [r["claim_id"] for r in rows] == list(frame["claim_id"])


def test_claim_ids_are_stable_across_runs(tmp_path: Path) -> None:
    claims_cli("extract", SEED, "-o", tmp_path / "a.csv")
    claims_cli("extract", SEED, "-o", tmp_path / "b.csv")
    a = pd.read_csv(tmp_path / "a.csv")["claim_id"]
    b = pd.read_csv(tmp_path / "b.csv")["claim_id"]
    assert list(a) == list(b)


def test_a_bad_file_is_named_and_the_others_are_still_extracted(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good.wiki").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "binary.wiki").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (folder / "latin1.txt").write_bytes("Caf\xe9: 4 killed".encode("latin-1"))
    out = tmp_path / "claims.csv"
    done = claims_cli("extract", folder, "-o", out)
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 2
    assert any("binary.wiki" in e and "binary" in e for e in errors)
    assert any("latin1.txt" in e and "not UTF-8" in e for e in errors)
    assert len(pd.read_csv(out)) > 20


def test_nothing_readable_is_a_usage_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.wiki"
    empty.write_text("")
    done = claims_cli("extract", empty, tmp_path / "missing.wiki", "-o", tmp_path / "x.csv")
    assert done.returncode == 2
    assert "is empty" in done.stderr and "no such file" in done.stderr
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("out", ["claims.xlsx", "claims"])
def test_unknown_output_format_is_refused(tmp_path: Path, out: str) -> None:
    done = claims_cli("extract", SEED, "-o", tmp_path / out)
    assert done.returncode == 2
    assert ".csv, .json, .jsonl or .parquet" in done.stderr


def test_help_shows_an_example() -> None:
    done = claims_cli("extract", "--help")
    assert done.returncode == 0
    assert "claims extract seeds/" in done.stdout


ODD_DATE = (
    "{{Infobox military conflict\n| date = {{start date|2024|²|3}}\n"
    "| casualties1 = 300 killed\n}}\nIn the attack, 30 soldiers were killed."
)


@pytest.mark.parametrize("verb", ["extract", "compare"])
def test_an_odd_digit_in_one_article_of_a_folder_loses_nothing(tmp_path: Path, verb: str) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good.wiki").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "odd.wiki").write_text(ODD_DATE, encoding="utf-8")
    out = tmp_path / ("claims.csv" if verb == "extract" else "out")
    done = claims_cli(verb, folder, "-o", out)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    frame = pd.read_csv(out if verb == "extract" else out / "claims.csv")
    assert set(frame["article"]) == {"Battle of Aleppo (2024)", "odd"}


@pytest.mark.parametrize("verb", ["extract", "compare"])
def test_a_file_that_breaks_the_extraction_is_one_line_and_exit_1(
    tmp_path: Path, verb: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    import claims.extract as extract_module
    from claims.cli import main

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good.wiki").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "bad.wiki").write_text("In the raid, 12 rebels were killed.", encoding="utf-8")
    real = extract_module.extract

    def breaking(text: str, *args: object, **kwargs: object) -> object:
        if "raid" in text:
            raise ValueError("invalid literal for int() with base 10: '²'")
        return real(text, *args, **kwargs)

    monkeypatch.setattr(extract_module, "extract", breaking)
    out = tmp_path / ("claims.csv" if verb == "extract" else "out")
    assert main([verb, str(folder), "-o", str(out)]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if "bad.wiki" in line]
    assert errors == [
        f"claims {verb}: error: {folder / 'bad.wiki'}: could not be extracted "
        "(ValueError: invalid literal for int() with base 10: '²')"
    ]
    frame = pd.read_csv(out if verb == "extract" else out / "claims.csv")
    assert set(frame["article"]) == {"Battle of Aleppo (2024)"}
