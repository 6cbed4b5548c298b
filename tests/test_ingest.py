"""The store and `claims ingest` / `claims export` on a dump generated here, as users run them."""

from __future__ import annotations

import bz2
import os
import signal
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import pytest

import claims.ingest
from claims.dumps import read_dump
from claims.errors import ArticleError, CounterclaimError
from claims.filters import Filters
from claims.ingest import ingest
from claims.service import ComparedStore
from claims.store import Store

ROOT = Path(__file__).parent.parent
SEED = (ROOT / "seeds" / "battle-of-aleppo-2024.wiki").read_text(encoding="utf-8")
SMALL = (
    "On 3 May 2020, {n} soldiers were killed in Redtown.<ref>{{{{cite news|work=Reuters|"
    "title=Clashes in Redtown|url=https://www.reuters.com/{i}|date=3 May 2020}}}}</ref>\n"
    "[[Category:Attacks in 2020]]"
)


def page(title: str, text: str, ns: int = 0, redirect: bool = False, rev: int = 1) -> str:
    extra = f'<redirect title="{escape(text)}" />' if redirect else ""
    return (
        f"<page><title>{escape(title)}</title><ns>{ns}</ns><id>{rev}</id>{extra}"
        f'<revision><id>{rev}</id><text xml:space="preserve">{escape(text)}</text></revision>'
        "</page>"
    )


def write_dump(path: Path, pages: list[str]) -> Path:
    body = '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11">\n'
    body += "\n".join(pages) + "\n</mediawiki>\n"
    if path.suffix == ".bz2":
        path.write_bytes(bz2.compress(body.encode("utf-8")))
    else:
        path.write_text(body, encoding="utf-8")
    return path


def standard_pages(small: int = 3) -> list[str]:
    return [
        page("Battle of Aleppo (2024)", SEED),
        page("Talk:Battle of Aleppo (2024)", "On 3 May, 30 soldiers were killed.", ns=1),
        page("Aleppo offensive", "#REDIRECT [[Battle of Aleppo (2024)]]", redirect=True),
        page("Broken article", "   "),
        *(page(f"Raid {i}", SMALL.format(n=10 + i, i=i), rev=10 + i) for i in range(small)),
    ]


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    return write_dump(tmp_path / "dump.xml.bz2", standard_pages())


def test_dump_reader_keeps_main_namespace_articles_only(dump: Path) -> None:
    titles = [p.title for p in read_dump(dump)]
    assert titles == ["Battle of Aleppo (2024)", "Broken article", "Raid 0", "Raid 1", "Raid 2"]


def test_dump_reader_memory_stays_flat_however_long_the_dump(tmp_path: Path) -> None:
    text = SMALL.format(n=12, i=0) + " Filler prose." * 400

    def peak_reading(count: int) -> int:
        dump = write_dump(
            tmp_path / f"d{count}.xml.bz2", [page(f"Raid {i}", text) for i in range(count)]
        )
        tracemalloc.start()
        try:
            assert sum(1 for _ in read_dump(dump)) == count
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak_reading(100), peak_reading(2000)  # about 0.6 MB and 12 MB of text
    assert large < small * 1.5 + 200_000


def test_history_dump_reads_the_last_revision(tmp_path: Path) -> None:
    history = (
        "<page><title>Raid</title><ns>0</ns><id>1</id>"
        '<revision><id>7</id><text xml:space="preserve">old text</text></revision>'
        '<revision><id>9</id><text xml:space="preserve">new text</text></revision></page>'
    )
    dump = write_dump(tmp_path / "history.xml", [history])
    assert [(p.title, p.text, p.revision) for p in read_dump(dump)] == [("Raid", "new text", "9")]


def test_a_truncated_dump_keeps_the_articles_before_the_break(tmp_path: Path) -> None:
    whole = write_dump(tmp_path / "whole.xml", standard_pages()).read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(whole[: whole.index(b"<title>Raid 2")])
    store = Store(tmp_path / "store.duckdb")
    report = ingest([cut], store, progress=False)
    assert sorted(store.articles_frame().title) == ["Battle of Aleppo (2024)", "Raid 0", "Raid 1"]
    assert any("not well-formed" in problem for _, problem in report.failed)


def test_not_a_dump_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<html><body>no</body></html>")
    with pytest.raises(ArticleError, match="not a MediaWiki XML export"):
        list(read_dump(bad))


def test_ingest_counts_and_lists_failures(tmp_path: Path, dump: Path) -> None:
    store = Store(tmp_path / "store.duckdb")
    report = ingest([dump], store, progress=False, prefilter=False)
    assert report.added == 4 and (report.pages, report.skipped) == (5, 0)
    assert [path.rsplit("#", 1)[1] for path, _ in report.failed] == ["Broken article"]
    articles = store.articles_frame()
    assert sorted(articles.title) == ["Battle of Aleppo (2024)", "Raid 0", "Raid 1", "Raid 2"]
    claims = store.claims_frame()
    assert len(claims) == int(articles.claims.sum())
    assert set(claims[claims.article == "Raid 1"].value_low) == {11}
    assert "Broken article" in store.problems_frame().path.iloc[0]


def test_reingest_of_unchanged_articles_changes_nothing(tmp_path: Path, dump: Path) -> None:
    store = Store(tmp_path / "store.duckdb")
    ingest([dump], store, progress=False)
    version, before = store.version(), store.claims_frame()
    report = ingest([dump], store, progress=False)
    assert report.added == 0 and report.unchanged == 4
    assert store.version() == version
    pd.testing.assert_frame_equal(store.claims_frame(), before)


def test_changed_revision_replaces_the_articles_claims(tmp_path: Path, dump: Path) -> None:
    store = Store(tmp_path / "store.duckdb")
    ingest([dump], store, progress=False)
    changed = write_dump(
        tmp_path / "changed.xml", [page("Raid 1", SMALL.format(n=99, i=1), rev=50)]
    )
    report = ingest([changed], store, progress=False)
    assert report.added == 1
    raid = store.claims_frame(Filters(article=("Raid 1",)))
    assert set(raid.value_low) == {99}
    assert len(store.articles_frame()) == 4


def test_an_article_that_breaks_extraction_is_listed_and_the_run_goes_on(
    tmp_path: Path, dump: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = claims.ingest.extract

    def fragile(text: str, title: str | None = None, **kwargs: object) -> object:
        if title == "Raid 1":
            raise ValueError("unexpected template")
        return real(text, title, **kwargs)

    monkeypatch.setattr(claims.ingest, "extract", fragile)
    store = Store(tmp_path / "store.duckdb")
    report = ingest([dump], store, progress=False)
    failed = dict(report.failed)
    assert "ValueError: unexpected template" in failed[f"{dump}#Raid 1"]
    assert sorted(store.articles_frame().title) == ["Battle of Aleppo (2024)", "Raid 0", "Raid 2"]


def test_a_dead_worker_stops_the_run_with_a_clear_error_and_keeps_the_work(
    tmp_path: Path, dump: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = claims.ingest.extract

    def deadly(text: str, title: str | None = None, **kwargs: object) -> object:
        if title == "Raid 2":
            os._exit(1)  # a worker killed by the system, as when it runs out of memory
        return real(text, title, **kwargs)

    monkeypatch.setattr(claims.ingest, "extract", deadly)  # workers are forked with it
    store = Store(tmp_path / "store.duckdb")
    with pytest.raises(CounterclaimError, match="worker process died"):
        ingest([dump], store, processes=2, batch_size=1, progress=False)
    articles = store.articles_frame()
    assert "Raid 2" not in set(articles.title)
    assert len(store.claims_frame()) == int(articles.claims.sum())


def test_citations_are_stored_with_their_articles(tmp_path: Path, dump: Path) -> None:
    store = Store(tmp_path / "store.duckdb")
    ingest([dump], store, progress=False)
    cited = store.citations_frame()
    assert set(cited.article) == set(store.articles_frame().title)
    assert store.citations_frame("Raid 2").url.tolist() == ["https://www.reuters.com/2"]


def test_ingest_without_compare_leaves_the_comparison_to_readers(
    tmp_path: Path, dump: Path
) -> None:
    store = Store(tmp_path / "store.duckdb")
    report = ingest([dump], store, progress=False, compare=False)
    assert report.added == 4 and report.compare_seconds == 0
    comparison = ComparedStore(Store(tmp_path / "store.duckdb", read_only=True)).comparison()
    assert sorted(comparison.claims.claim_id) == sorted(store.claims_frame().claim_id)


def test_files_and_folders_are_ingested_too(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "raid.wiki").write_text(SMALL.format(n=7, i=7), encoding="utf-8")
    (folder / "binary.wiki").write_bytes(b"\x00\x01" * 20)
    store = Store(tmp_path / "store.duckdb")
    report = ingest([folder], store, progress=False)
    assert report.added == 1 and len(report.failed) == 1
    assert store.articles_frame().title.tolist() == ["raid"]


def test_comparison_is_saved_and_read_back(tmp_path: Path, dump: Path) -> None:
    path = tmp_path / "store.duckdb"
    ingest([dump], Store(path), progress=False)
    reader = ComparedStore(Store(path, read_only=True))
    comparison = reader.comparison()
    raids = comparison.claims[comparison.claims.article.str.startswith("Raid")]
    # one incident (same day, place and sentence) told in three articles
    assert raids.group_id.nunique() == 1 and len(raids) == 3
    assert reader.comparison() is comparison  # cached until the data changes


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "claims.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_ingest_then_export_with_filters(tmp_path: Path, dump: Path) -> None:
    store = tmp_path / "store.duckdb"
    done = run_cli("ingest", dump, "--store", store, "--all")
    assert done.returncode == 1  # one article failed, the rest were done
    assert "Broken article" in done.stderr and "4 added" in done.stderr
    out = tmp_path / "killed.csv"
    done = run_cli(
        "export", "--store", store, "--topic", "killed", "--article", "Raid 2", "-o", out
    )
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(out)
    assert set(frame.topic) == {"killed"} and set(frame.article) == {"Raid 2"}
    groups = tmp_path / "groups.parquet"
    assert run_cli("export", "--store", store, "--what", "groups", "-o", groups).returncode == 0
    assert len(pd.read_parquet(groups)) > 5
    bad = run_cli("export", "--store", store, "--date-from", "yesterday", "-o", out)
    assert bad.returncode == 2 and "date_from" in bad.stderr
    # names match in any case; a value no claim has is refused, and nothing is written
    upper = tmp_path / "upper.csv"
    assert run_cli("export", "--store", store, "--article", "raid 2", "-o", upper).returncode == 0
    assert set(pd.read_csv(upper).article) == {"Raid 2"}
    unknown = tmp_path / "unknown.csv"
    done = run_cli("export", "--store", store, "--source", "Nobody Knows", "-o", unknown)
    assert done.returncode == 1 and "source 'Nobody Knows'" in done.stderr
    assert not unknown.exists()
    conflicts = tmp_path / "conflicts.csv"
    done = run_cli("export", "--store", store, "--verdict", "single", "-o", conflicts)
    assert done.returncode == 0, done.stderr
    assert set(pd.read_csv(conflicts).group_verdict) == {"single"}


def test_cli_errors_name_the_file_and_exit_2(tmp_path: Path) -> None:
    store = tmp_path / "store.duckdb"
    missing = run_cli("ingest", tmp_path / "missing.xml.bz2", "--store", store, "--quiet")
    assert missing.returncode == 2
    assert "missing.xml.bz2: no such file or folder" in missing.stderr
    wrong = run_cli("export", "--store", store, "-o", tmp_path / "out.txt")
    assert wrong.returncode == 2
    assert "out.txt: use a .csv, .json, .jsonl or .parquet file" in wrong.stderr
    absent = run_cli("export", "--store", tmp_path / "none.duckdb", "-o", tmp_path / "x.csv")
    assert absent.returncode == 2 and "none.duckdb: no such store" in absent.stderr
    assert len(absent.stderr.strip().splitlines()) == 1


def test_killed_run_leaves_a_consistent_store_that_resumes(tmp_path: Path) -> None:
    # long enough that the run cannot end before it is killed, however fast the machine
    total = 2000
    pages = [page(f"Raid {i}", SMALL.format(n=10 + i, i=i), rev=i + 1) for i in range(total)]
    dump = write_dump(tmp_path / "big.xml", pages)
    store_path = tmp_path / "store.duckdb"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "claims.cli",
            "ingest",
            str(dump),
            "--store",
            str(store_path),
            "--quiet",
        ],
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.1)
        if store_path.exists() and Store(store_path).article_count() >= 64:
            break
    process.send_signal(signal.SIGKILL)
    process.wait()
    store = Store(store_path)
    articles = store.articles_frame()
    claims = store.claims_frame()
    assert 0 < len(articles) < total
    assert set(claims.article) == set(articles.title)  # no article without its claims
    assert len(claims) == int(articles.claims.sum())
    report = ingest([dump], store, progress=False)
    assert report.unchanged == len(articles)
    assert report.added == total - len(articles)
    assert store.article_count() == total


def test_reader_during_an_ingest_sees_whole_states(tmp_path: Path) -> None:
    pages = [page(f"Raid {i}", SMALL.format(n=10 + i, i=i), rev=i + 1) for i in range(300)]
    dump = write_dump(tmp_path / "big.xml", pages)
    store_path = tmp_path / "store.duckdb"
    Store(store_path)
    errors: list[Exception] = []
    seen: list[int] = []
    done = threading.Event()

    def read() -> None:
        reader = Store(store_path, read_only=True)
        while not done.is_set():
            try:
                claims = reader.claims_frame()
                articles = reader.articles_frame()
                seen.append(len(articles))
                # claims are read first: each article they name is there, with all its claims
                counts = claims.groupby("article").size()
                held = articles.set_index("title").claims
                assert set(counts.index) <= set(held.index)
                assert (held[counts.index] == counts).all()
            except Exception as exc:
                errors.append(exc)
            time.sleep(0.05)

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "claims.cli",
            "ingest",
            str(dump),
            "--store",
            str(store_path),
            "--quiet",
        ],
        stderr=subprocess.DEVNULL,
    )
    thread = threading.Thread(target=read)
    thread.start()
    process.wait(timeout=300)
    done.set()
    thread.join()
    assert not errors, errors[:3]
    assert seen and seen == sorted(seen)


@pytest.mark.slow
def test_dask_engine_gives_the_same_claims_as_the_local_one(tmp_path: Path, dump: Path) -> None:
    local = Store(tmp_path / "local.duckdb")
    ingest([dump], local, progress=False)
    distributed = Store(tmp_path / "dask.duckdb")
    report = ingest([dump], distributed, engine="dask", processes=2, progress=False)
    assert report.added == 4
    a = local.claims_frame().sort_values("claim_id").reset_index(drop=True)
    b = distributed.claims_frame().sort_values("claim_id").reset_index(drop=True)
    assert list(a.claim_id) == list(b.claim_id)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(local.citations_frame(), distributed.citations_frame())


def test_two_processes_give_the_same_claims(tmp_path: Path, dump: Path) -> None:
    one = Store(tmp_path / "one.duckdb")
    ingest([dump], one, progress=False)
    two = Store(tmp_path / "two.duckdb")
    ingest([dump], two, processes=2, progress=False, batch_size=1)
    assert sorted(one.claims_frame().claim_id) == sorted(two.claims_frame().claim_id)
