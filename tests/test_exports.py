"""Exports for their readers: the formula guard only in spreadsheet-bound CSV, a byte-order mark
for Excel, and JSON, JSON Lines, Parquet and raw CSV holding every value exactly."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from claims.cli import main
from claims.errors import CounterclaimError
from claims.tables import BOM, TABLE_SUFFIXES, neutralise, to_csv_text, write_table
from dashboard import create_app
from tests.test_dashboard_callbacks import FrameStore, claim

HOSTILE_QUOTES = ['=HYPERLINK("http://x","y")', "-10 soldiers were killed.", "+1", "@SUM(A1)"]
ARTICLE = (
    "-10 soldiers were killed in Redtown on 3 May 2020.<ref>{{cite news|work=Reuters|"
    "title=-x|url=https://www.reuters.com/x|date=3 May 2020}}</ref>\n\n"
    "=HYPERLINK(1) said 12 civilians were injured in Redtown on 4 May 2020.<ref>{{cite news|"
    "work=BBC News|title=Aftermath|url=https://www.bbc.co.uk/y|date=4 May 2020}}</ref>\n"
)


def read_back(path: Path) -> pd.DataFrame:
    suffix = path.suffix
    if suffix == ".csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if suffix == ".jsonl":
        return pd.read_json(path, lines=True, dtype=False)
    if suffix == ".json":
        return pd.read_json(path, dtype=False)
    return pd.read_parquet(path)


def hostile_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"quote": HOSTILE_QUOTES, "value_low": [10.0, -3.0, 1.0, None], "article": ["Raid"] * 4}
    )


@pytest.mark.parametrize("suffix", TABLE_SUFFIXES)
def test_programs_formats_and_raw_csv_hold_every_value_exactly(tmp_path: Path, suffix: str):
    frame = hostile_frame()
    out = tmp_path / f"t{suffix}"
    write_table(frame, out, raw=suffix == ".csv")
    back = read_back(out)
    assert back["quote"].tolist() == HOSTILE_QUOTES


def test_default_csv_is_guarded_and_numbers_stay_numbers(tmp_path: Path):
    out = tmp_path / "t.csv"
    write_table(hostile_frame(), out)
    back = read_back(out)
    assert back["quote"].tolist() == ["'" + q for q in HOSTILE_QUOTES]
    assert back["value_low"].tolist() == ["10.0", "-3.0", "1.0", ""]
    assert not out.read_bytes().startswith(BOM.encode("utf-8"))


def test_a_byte_order_mark_starts_the_csv_for_excel(tmp_path: Path):
    out = tmp_path / "t.csv"
    write_table(pd.DataFrame({"article": ["Ville — Stadt"]}), out, bom=True)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfarticle\n")
    assert data.count(b"\xef\xbb\xbf") == 1
    assert read_back(out)["article"].tolist() == ["Ville — Stadt"]
    assert to_csv_text(pd.DataFrame({"a": ["=1"]}), raw=True, bom=True) == BOM + "a\n=1\n"


@pytest.mark.parametrize("suffix", [".json", ".jsonl", ".parquet"])
def test_csv_options_are_refused_for_other_formats(tmp_path: Path, suffix: str):
    with pytest.raises(CounterclaimError, match="only for CSV output"):
        write_table(hostile_frame(), tmp_path / f"t{suffix}", bom=True)
    assert not list(tmp_path.iterdir())


def test_the_guard_looks_at_every_text_column_and_the_header():
    frame = pd.DataFrame(
        {"=head": ["x"], "kind": pd.Categorical(["-a"]), "flag": [True], "n": [-1]}
    )
    guarded = neutralise(frame)
    assert list(guarded.columns) == ["'=head", "kind", "flag", "n"]
    assert guarded.iloc[0].tolist() == ["x", "'-a", True, -1]


def article(tmp_path: Path) -> Path:
    path = tmp_path / "raid.wiki"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def quotes_of(path: Path) -> set[str]:
    return set(read_back(path)["quote"])


@pytest.mark.parametrize("suffix", TABLE_SUFFIXES)
def test_extract_writes_quotes_exactly_except_in_guarded_csv(tmp_path: Path, suffix: str, capsys):
    source = article(tmp_path)
    out = tmp_path / f"claims{suffix}"
    assert main(["extract", str(source), "-o", str(out)]) == 0, capsys.readouterr().err
    exact = {"-10 soldiers were killed in Redtown on 3 May 2020.",
             "=HYPERLINK(1) said 12 civilians were injured in Redtown on 4 May 2020."}  # fmt: skip
    if suffix == ".csv":
        assert quotes_of(out) == {"'" + q for q in exact}
        assert main(["extract", str(source), "-o", str(out), "--raw", "--bom"]) == 0
        assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert quotes_of(out) == exact
    titles = set(read_back(out)["citation_title"])
    assert "-x" in titles


def test_every_verb_that_writes_tables_takes_the_csv_options(tmp_path: Path, capsys):
    source = article(tmp_path)
    out = tmp_path / "cmp"
    assert main(["compare", str(source), "-o", str(out), "--raw", "--bom"]) == 0
    claims = (out / "claims.csv").read_bytes()
    assert claims.startswith(b"\xef\xbb\xbf") and b"\n-10 soldiers" not in claims
    assert "-10 soldiers were killed in Redtown on 3 May 2020." in quotes_of(out / "claims.csv")
    store = tmp_path / "s.duckdb"
    assert main(["ingest", str(source), "--store", str(store)]) == 0
    exported = tmp_path / "e.csv"
    assert main(["export", "--store", str(store), "-o", str(exported), "--raw"]) == 0
    assert "-10 soldiers were killed in Redtown on 3 May 2020." in quotes_of(exported)
    revisions = tmp_path / "Raid"
    revisions.mkdir()
    (revisions / "1.wiki").write_text(ARTICLE, encoding="utf-8")
    (revisions / "2.wiki").write_text(ARTICLE.replace("-10", "-14"), encoding="utf-8")
    drift = tmp_path / "drift.csv"
    assert main(["history", str(revisions), "-o", str(drift), "--bom"]) == 0
    assert drift.read_bytes().startswith(b"\xef\xbb\xbfarticle,")
    capsys.readouterr()


@pytest.mark.parametrize(
    "argv",
    [
        ["extract", "{src}", "-o", "{tmp}/c.json", "--bom"],
        ["extract", "{src}", "-o", "{tmp}/c.parquet", "--raw"],
        ["compare", "{src}", "-o", "{tmp}/out", "--format", "jsonl", "--raw"],
    ],
)
def test_csv_options_for_other_formats_are_a_one_line_usage_error(tmp_path: Path, argv, capsys):
    source = article(tmp_path)
    args = [a.format(src=source, tmp=tmp_path) for a in argv]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "only for CSV output" in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raid.wiki"], "nothing written"


@pytest.fixture
def client():
    rows = [claim("h1", quote='=HYPERLINK("http://x")', source="-SOHR", source_name="-SOHR")]
    app = create_app(FrameStore(rows), seeds=False)  # type: ignore[arg-type]
    return app.server.test_client()


def test_data_addresses_take_bom_and_raw(client):
    guarded = client.get("/source/-SOHR.csv")
    assert guarded.status_code == 200
    assert next(csv.DictReader(io.StringIO(guarded.text)))["quote"] == '\'=HYPERLINK("http://x")'
    raw = client.get("/source/-SOHR.csv?raw=1&bom=1")
    assert raw.data.startswith(b"\xef\xbb\xbfarticle,claim_id,")
    row = next(csv.DictReader(io.StringIO(raw.data.decode("utf-8-sig"))))
    assert row["quote"] == '=HYPERLINK("http://x")' and row["source"] == "-SOHR"
    body = json.loads(client.get("/source/-SOHR.json").data)
    assert body["claims"][0]["quote"] == '=HYPERLINK("http://x")', "JSON is never guarded"
    listed = client.get("/disputes.csv?bom=1&source=-SOHR")
    assert listed.status_code == 200 and listed.data.startswith(b"\xef\xbb\xbfgroup_id,")


def test_a_bad_csv_option_is_a_400_with_one_line(client):
    bad = client.get("/disputes.csv?bom=maybe")
    assert bad.status_code == 400
    assert bad.text == "bad CSV option: bom='maybe': use bom=1 or bom=0\n"
