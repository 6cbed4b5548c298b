"""What the verbs read and write as a user runs them: `--version`, `-` for standard input, and
every table format (.csv, .json, .jsonl, .parquet) on every verb that writes tables."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import subprocess
import sys
import tomllib
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import pytest

from claims.dumps import dump_kind
from claims.errors import ArticleError
from claims.extract import load_paths, read_stdin
from claims.ingest import stdin_sources
from claims.model import CLAIM_CSV_COLUMNS
from claims.service import ComparedStore
from claims.store import Store
from claims.tables import TABLE_SUFFIXES, claims_frame, write_table

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "battle-of-aleppo-2024.wiki"
SMALL = (
    "On 3 May 2020, {n} soldiers were killed in Redtown.<ref>{{{{cite news|work=Reuters|"
    "title=Clashes in Redtown|url=https://www.reuters.com/{i}|date=3 May 2020}}}}</ref>\n"
    "[[Category:Attacks in 2020]]"
)


def dump_text(count: int) -> str:
    pages = "".join(
        f"<page><title>Raid {i}</title><ns>0</ns><revision><id>{i + 1}</id>"
        f"<text>{escape(SMALL.format(n=10 + i, i=i))}</text></revision></page>\n"
        for i in range(count)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11">\n'
        f"{pages}</mediawiki>\n"
    )


def claims_cli(*args: str | Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "claims", *map(str, args)],
        input=stdin,
        capture_output=True,
        timeout=300,
    )


def read_any(path: Path) -> pd.DataFrame:
    """A table written by any verb, read back by its suffix."""
    if path.suffix == ".csv":
        return pd.read_csv(path)
    if path.suffix == ".json":
        return pd.DataFrame(json.loads(path.read_text(encoding="utf-8")))
    if path.suffix == ".jsonl":
        lines = path.read_text(encoding="utf-8").splitlines()
        return pd.DataFrame([json.loads(line) for line in lines])
    return pd.read_parquet(path)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("io") / "store.duckdb"
    store = Store(path)
    store.add_article("", SEED.read_text(encoding="utf-8"), path=str(SEED))
    for i in range(3):
        store.add_article(f"Raid {i}", SMALL.format(n=10 + i, i=i))
    ComparedStore(store).save()
    return path


def stdin_of(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_version_is_the_installed_distributions() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    done = claims_cli("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode() == f"claims {project['version']}\n"


def test_extract_reads_an_article_from_stdin_as_from_its_file(tmp_path: Path) -> None:
    small = tmp_path / "raid.wiki"
    small.write_text(SMALL.format(n=7, i=7), encoding="utf-8")
    out = tmp_path / "stdin.csv"
    done = claims_cli("extract", "-", small, "-o", out, stdin=SEED.read_bytes())
    assert done.returncode == 0, done.stderr
    assert b"claims from 2 article(s)" in done.stderr
    from_stdin = pd.read_csv(out)
    from_files = claims_frame(load_paths([SEED, small]).claims)
    assert list(from_stdin.claim_id) == list(from_files.claim_id) and len(from_stdin) > 20
    assert set(from_stdin.article) == {"Battle of Aleppo (2024)", "raid"}


def test_stdin_problems_are_named_like_a_files(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin_of(monkeypatch, b"  \n")
    result = load_paths(["-"])
    assert [(p.path, p.message) for p in result.problems] == [("<stdin>", "is empty")]
    stdin_of(monkeypatch, dump_text(2).encode())
    assert "claims ingest -" in load_paths(["-"]).problems[0].message
    assert read_stdin(io.BytesIO("\ufeffA raid: 5 killed.".encode())) == "A raid: 5 killed."
    with pytest.raises(ArticleError, match="not UTF-8"):
        read_stdin(io.BytesIO("Caf\xe9: 4 killed".encode("latin-1")))


def test_ingest_reads_a_dump_from_stdin(tmp_path: Path) -> None:
    data = bz2.compress(dump_text(3).encode())
    store = tmp_path / "store.duckdb"
    done = claims_cli("ingest", "-", "--store", store, "--quiet", stdin=data)
    assert done.returncode == 0, done.stderr
    assert b"3 articles read: 3 added" in done.stderr
    articles = Store(store, read_only=True).articles_frame()
    assert sorted(articles.title) == ["Raid 0", "Raid 1", "Raid 2"]
    assert set(articles.path) == {"<stdin>#Raid 0", "<stdin>#Raid 1", "<stdin>#Raid 2"}
    again = claims_cli("ingest", "-", "--store", store, "--quiet", stdin=dump_text(3).encode())
    assert b"0 added or changed, 3 unchanged" in again.stderr


def test_ingest_reads_one_article_from_stdin(tmp_path: Path) -> None:
    store = tmp_path / "store.duckdb"
    done = claims_cli("ingest", "-", "--store", store, "--quiet", stdin=SEED.read_bytes())
    assert done.returncode == 0, done.stderr
    articles = Store(store, read_only=True).articles_frame()
    assert articles.title.tolist() == ["Battle of Aleppo (2024)"]
    assert articles.path.tolist() == ["<stdin>"]


@pytest.mark.parametrize("compress", [None, bz2.compress, gzip.compress])
def test_stdin_sources_read_plain_and_compressed_dumps(compress) -> None:
    raw = dump_text(3).encode()
    items = list(stdin_sources(io.BytesIO(compress(raw) if compress else raw)))
    assert [(i.title, i.path) for i in items] == [
        (f"Raid {i}", f"<stdin>#Raid {i}") for i in range(3)
    ]
    assert items[1].text == SMALL.format(n=11, i=1)


def test_stdin_sources_name_a_broken_stream() -> None:
    raw = dump_text(400).encode()
    cut = bz2.compress(raw)[:-40]
    items = list(stdin_sources(io.BytesIO(cut)))
    assert items and isinstance(items[-1], tuple)
    assert items[-1][0] == "<stdin>" and "cannot be read to the end" in items[-1][1]
    malformed = list(stdin_sources(io.BytesIO(raw[: len(raw) // 2])))
    assert "not well-formed XML" in malformed[-1][1]
    # a stream read in small pieces is rejoined whole after its first bytes were looked at
    pages = list(stdin_sources(io.BufferedReader(io.BytesIO(raw), buffer_size=7)))
    assert [p.title for p in pages] == [f"Raid {i}" for i in range(400)]
    article = list(stdin_sources(io.BytesIO(SEED.read_bytes())))
    assert [(a.path, a.default_title, a.text) for a in article] == [
        ("<stdin>", "stdin", SEED.read_text(encoding="utf-8"))
    ]


def test_dump_kind_tells_dumps_from_articles() -> None:
    assert dump_kind(bz2.compress(b"<mediawiki/>")) == dump_kind(bz2.compress(b"")) == "bz2"
    assert dump_kind(b"BZh is how a bz2 file starts.") is None
    assert dump_kind(b"\x1f\x8b\x08\x00") == "gz"
    assert dump_kind(b'\xef\xbb\xbf  <?xml version="1.0"?>') == "xml"
    assert dump_kind(b'<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/">') == "xml"
    assert dump_kind(b"{{Infobox military conflict\n| conflict = Raid") is None
    assert dump_kind(b"<ref>A cited sentence</ref> 5 killed.") is None


@pytest.mark.parametrize("suffix", TABLE_SUFFIXES)
def test_write_table_round_trips_every_format(tmp_path: Path, suffix: str) -> None:
    frame = pd.DataFrame(
        {"article": ["Raid", "Ville — Stadt"], "value_low": [5.0, None], "quote": ["=1+1", "é"]}
    )
    out = tmp_path / f"table{suffix}"
    write_table(frame, out)
    back = read_any(out)
    assert list(back.columns) == list(frame.columns)
    assert back.article.tolist() == ["Raid", "Ville — Stadt"]
    assert back.value_low.iloc[0] == 5.0 and pd.isna(back.value_low.iloc[1])
    assert not list(tmp_path.glob("*.part"))


def test_jsonl_is_one_record_a_line_with_the_json_records(tmp_path: Path) -> None:
    done = claims_cli("extract", SEED, "-o", tmp_path / "c.jsonl")
    assert done.returncode == 0, done.stderr
    frame = claims_frame(load_paths([SEED]).claims).reindex(columns=list(CLAIM_CSV_COLUMNS))
    write_table(frame, tmp_path / "c.json")  # the one layout extract writes
    records = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    text = (tmp_path / "c.jsonl").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert len(lines) == len(records) > 20 and text.endswith("\n")
    assert [json.loads(line) for line in lines] == records


def test_export_writes_every_format_extract_writes(tmp_path: Path, store_path: Path) -> None:
    ids = {}
    for suffix in TABLE_SUFFIXES:
        out = tmp_path / f"killed{suffix}"
        done = claims_cli("export", "--store", store_path, "--topic", "killed", "-o", out)
        assert done.returncode == 0, done.stderr
        frame = read_any(out)
        assert set(frame.topic) == {"killed"}
        assert {"Raid 0", "Raid 1", "Raid 2"} <= set(frame.article)
        ids[suffix] = frame.claim_id.tolist()
    assert len(set(map(tuple, ids.values()))) == 1 and len(ids[".csv"]) > 3
    groups = tmp_path / "groups.json"
    done = claims_cli("export", "--store", store_path, "--what", "groups", "-o", groups)
    assert done.returncode == 0, done.stderr
    assert len(read_any(groups)) > 5


def test_compare_writes_its_four_tables_in_the_format_asked(
    tmp_path: Path, store_path: Path
) -> None:
    out = tmp_path / "out"
    done = claims_cli("compare", "--store", store_path, "-o", out, "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "claims.jsonl",
        "datapackage.json",
        "groups.jsonl",
        "pairs.jsonl",
        "sources.jsonl",
    ]
    stored = ComparedStore(Store(store_path, read_only=True)).comparison()
    assert read_any(out / "groups.jsonl").group_id.tolist() == stored.groups.group_id.tolist()
