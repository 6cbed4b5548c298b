"""Multistream dumps read range by range through their index, locally and on dask."""

from __future__ import annotations

import bz2
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import claims.ingest
import claims.multistream
from claims.errors import ArticleError, CounterclaimError
from claims.ingest import ingest
from claims.multistream import (
    check_index,
    index_for,
    read_offsets,
    read_range,
    stream_ranges,
    write_multistream,
)
from claims.store import Store

ROOT = Path(__file__).parent.parent
SEED = (ROOT / "seeds" / "battle-of-aleppo-2024.wiki").read_text(encoding="utf-8")
RAID = (
    "On 3 May 2020, {n} soldiers were killed in Redtown.<ref>{{{{cite news|work=Reuters|"
    "title=Clashes in Redtown {i}|url=https://www.reuters.com/{i}|date=3 May 2020}}}}</ref>\n"
    "[[Category:Attacks in 2020]]"
)
TOWN = "Redtown is a town of {n} people on the river.\n[[Category:Towns]]"
PER_STREAM = 4
STREAMS = 2  # per range: a dump of 40 pages is 10 streams, 5 ranges


def page_xml(title: str, text: str, page_id: int, ns: int = 0) -> str:
    return (
        f"<page><title>{title}</title><ns>{ns}</ns><id>{page_id}</id><revision>"
        f"<id>{page_id * 100}</id><timestamp>2024-05-{page_id % 28 + 1:02d}T10:00:00Z</timestamp>"
        f'<text xml:space="preserve">{text}</text></revision></page>'
    )


def pages(count: int = 40) -> list[tuple[int, str, str]]:
    """Every fourth page a raid (a conflict article), the seed once, the others towns, with a
    talk page and a redirect among them."""
    out = [(1, "Battle of Aleppo (2024)", page_xml("Battle of Aleppo (2024)", _xml(SEED), 1))]
    for n in range(2, count + 1):
        if n == 7:
            title, xml = "Talk:Raid 7", page_xml("Talk:Raid 7", "30 soldiers were killed.", n, 1)
        elif n == 9:
            title, xml = "Raid nine", page_xml("Raid nine", "#REDIRECT [[Raid 8]]", n)
        elif n % 4 == 0:
            title = f"Raid {n}"
            xml = page_xml(title, _xml(RAID.format(n=10 + n, i=n)), n)
        else:
            title = f"Town {n}"
            xml = page_xml(title, _xml(TOWN.format(n=1000 + n)), n)
        out.append((n, title, xml))
    return out


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@pytest.fixture
def multistream(tmp_path: Path) -> Path:
    dump = tmp_path / "test-pages-articles-multistream.xml.bz2"
    write_multistream(dump, pages(), per_stream=PER_STREAM)
    return dump


def plain_copy(dump: Path, folder: Path) -> Path:
    """The same dump, where no index is beside it (read from start to end)."""
    folder.mkdir()
    return Path(shutil.copy(dump, folder / dump.name))


def content(store: Store) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    articles = store.articles_frame().drop(columns=["ingested_at"])
    articles["path"] = articles["path"].str.rsplit("#", n=1).str[-1]
    claims = store.claims_frame().sort_values("claim_id").reset_index(drop=True)
    cited = store.citations_frame().sort_values(["article", "start"]).reset_index(drop=True)
    return articles, claims, cited


def assert_same_content(a: Store, b: Store) -> None:
    for left, right in zip(content(a), content(b), strict=True):
        assert len(left)
        pd.testing.assert_frame_equal(left, right)


def test_the_index_is_found_beside_the_dump_and_read(multistream: Path) -> None:
    index = index_for(multistream)
    assert index == multistream.with_name("test-pages-articles-multistream-index.txt.bz2")
    offsets = read_offsets(index)
    assert len(offsets) == 10  # 40 pages, 4 a stream
    check_index(multistream, offsets, index)
    ranges = stream_ranges(offsets, multistream.stat().st_size, STREAMS)
    assert [r.streams for r in ranges] == [2] * 5
    assert ranges[-1].end == multistream.stat().st_size
    titles = [p.title for r in ranges for p in read_range(multistream, r)]
    assert titles[0] == "Battle of Aleppo (2024)" and "Raid 40" in titles
    assert "Talk:Raid 7" not in titles and "Raid nine" not in titles
    assert len(titles) == 38


def test_a_bad_index_is_one_line_naming_it(tmp_path: Path, multistream: Path) -> None:
    bad = tmp_path / "bad-index.txt"
    bad.write_text("123:1:Raid\nnot a line\n", encoding="utf-8")
    with pytest.raises(ArticleError, match=r"line 2 is not offset:pageid:title"):
        read_offsets(bad)
    wrong = tmp_path / "wrong-index.txt"
    wrong.write_text("5:1:Raid\n", encoding="utf-8")
    with pytest.raises(ArticleError, match="does not fit"):
        check_index(multistream, read_offsets(wrong), wrong)
    store = tmp_path / "s.duckdb"
    command = ["ingest", str(multistream), "--index", str(wrong), "--store", str(store), "--quiet"]
    done = subprocess.run(
        [sys.executable, "-m", "claims.cli", *command],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "does not fit" in done.stderr


@pytest.mark.parametrize("processes", [1, 2])
def test_with_the_index_the_store_holds_the_same_as_without(
    tmp_path: Path, multistream: Path, processes: int
) -> None:
    plain = plain_copy(multistream, tmp_path / "plain")
    assert index_for(plain) is None
    without = Store(tmp_path / "without.duckdb")
    sequential = ingest([plain], without, progress=False, compare=False)
    with_index = Store(tmp_path / "with.duckdb")
    report = ingest(
        [multistream],
        with_index,
        progress=False,
        compare=False,
        processes=processes,
        range_streams=STREAMS,
    )
    assert_same_content(without, with_index)
    for field in ("seen", "added", "unchanged", "claims", "pages", "skipped"):
        assert getattr(report, field) == getattr(sequential, field), field
    assert report.added == 11 and report.skipped == 27  # the seed and ten raids; the towns
    # the partitions were loaded, then removed
    assert not (tmp_path / "with.duckdb.parts").exists()
    again = ingest([multistream], with_index, progress=False, compare=False, range_streams=2)
    assert again.added == 0 and again.unchanged == 11


def test_every_article_keeps_the_dumps_revision_id_and_timestamp(
    tmp_path: Path, multistream: Path
) -> None:
    for name, use_index in (("ranges", True), ("sequential", False)):
        store = Store(tmp_path / f"{name}.duckdb")
        ingest([multistream], store, progress=False, compare=False, use_index=use_index)
        articles = store.articles_frame().set_index("title")
        assert articles.loc["Raid 12", "revision_id"] == "1200"
        assert articles.loc["Raid 12", "revision_timestamp"] == "2024-05-13T10:00:00Z"
        assert articles.loc["Battle of Aleppo (2024)", "revision_id"] == "100"
        with duckdb.connect(str(store.path), read_only=True) as con:  # claims, through articles
            row = con.execute(
                "SELECT a.revision_id, count(*) FROM claims c JOIN articles a "
                "ON c.article = a.title WHERE a.title = 'Raid 12' GROUP BY 1"
            ).fetchone()
        assert row[0] == "1200" and row[1] >= 1


def test_a_store_of_an_earlier_release_gains_the_revision_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(
            "CREATE TABLE articles (title VARCHAR PRIMARY KEY, revision VARCHAR, "
            "path VARCHAR, ingested_at TIMESTAMP, claims INTEGER)"
        )
        con.execute("INSERT INTO articles VALUES ('Old', 'abc', 'old.wiki', now(), 0)")
    store = Store(path)
    articles = store.articles_frame()
    assert articles.title.tolist() == ["Old"]
    assert {"revision_id", "revision_timestamp"} <= set(articles.columns)
    assert pd.isna(articles.revision_id[0])


def damage_range(dump: Path, which: int) -> tuple[int, int]:
    """Overwrite bytes in the middle of the first stream of range `which`; its bounds."""
    offsets = read_offsets(index_for(dump))
    ranges = stream_ranges(offsets, dump.stat().st_size, STREAMS)
    part = ranges[which]
    data = bytearray(dump.read_bytes())
    middle = part.start + (offsets[offsets.index(part.start) + 1] - part.start) // 2
    data[middle : middle + 16] = b"\x00" * 16
    dump.write_bytes(bytes(data))
    return part.start, part.end


@pytest.mark.parametrize("processes", [1, 2])
def test_a_damaged_range_is_one_line_and_the_others_are_kept(
    tmp_path: Path, multistream: Path, processes: int
) -> None:
    start, end = damage_range(multistream, 2)
    titles = {
        p.title
        for r in stream_ranges(read_offsets(index_for(multistream)), multistream.stat().st_size, 2)
        if r.start != start
        for p in read_range(multistream, r)
    }
    store = Store(tmp_path / "s.duckdb")
    report = ingest(
        [multistream], store, progress=False, compare=False, processes=processes, range_streams=2
    )
    assert len(report.failed) == 1
    path, problem = report.failed[0]
    assert path == f"{multistream} (bytes {start:,}-{end:,})"
    assert "cannot be read to the end" in problem and "\n" not in problem
    kept = set(store.articles_frame().title)
    expected = {t for t in titles if t.startswith(("Raid", "Battle"))}
    assert kept == expected and len(kept) == 9  # two raids were in the damaged range
    assert store.problems_frame().path.tolist() == [path]


class Killed(Exception):
    """The run stopping, as when it is killed."""


def test_an_interrupted_run_resumes_from_the_partitions_written(
    tmp_path: Path, multistream: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "s.duckdb")
    real = claims.multistream.read_range
    calls = []
    stop = [True]

    def failing(path, part, name=None):
        calls.append(part.start)
        if len(calls) == 3 and stop:
            raise Killed  # after two ranges
        return real(path, part, name)

    monkeypatch.setattr(claims.multistream, "read_range", failing)
    with pytest.raises(Killed):
        ingest([multistream], store, progress=False, compare=False, range_streams=STREAMS)
    assert store.article_count() == 0  # nothing loaded: the partitions wait in STORE.parts
    assert len(list((tmp_path / "s.duckdb.parts").rglob("articles-*.parquet"))) == 2
    calls.clear()
    stop.clear()
    report = ingest([multistream], store, progress=False, compare=False, range_streams=STREAMS)
    assert len(calls) == 3  # the two ranges done are not read again
    assert report.added == 11 and report.pages == 38


dask_distributed = pytest.importorskip("dask.distributed")


@pytest.fixture
def cluster():
    with dask_distributed.LocalCluster(
        n_workers=2, processes=False, threads_per_worker=1, dashboard_address=None
    ) as local:
        yield local


def test_the_dask_engine_reads_the_ranges_and_gives_the_same_store(
    tmp_path: Path, multistream: Path, cluster
) -> None:
    local = Store(tmp_path / "local.duckdb")
    ingest([multistream], local, progress=False, compare=False)
    distributed = Store(tmp_path / "dask.duckdb")
    report = ingest(
        [multistream],
        distributed,
        engine="dask",
        scheduler=cluster.scheduler_address,
        progress=False,
        compare=False,
        range_streams=STREAMS,
    )
    assert report.added == 11 and not report.failed
    assert_same_content(local, distributed)


def test_a_dask_task_that_fails_once_is_retried(
    tmp_path: Path, multistream: Path, cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = claims.ingest.ingest_range
    failed = tmp_path / "failed-once"  # a file: the task may run on a copy of this function

    def flaky(task):
        if task.part == 1 and not failed.exists():
            failed.write_text("1")
            raise OSError("the worker lost its disk")
        return real(task)

    monkeypatch.setattr(claims.ingest, "ingest_range", flaky)
    store = Store(tmp_path / "s.duckdb")
    report = ingest(
        [multistream],
        store,
        engine="dask",
        scheduler=cluster.scheduler_address,
        progress=False,
        compare=False,
        range_streams=STREAMS,
    )
    assert failed.read_text() == "1" and report.added == 11 and not report.failed


def test_a_dask_task_that_keeps_failing_is_one_line(
    tmp_path: Path, multistream: Path, cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(task):
        raise OSError("no space left on the device\nsecond line")

    monkeypatch.setattr(claims.ingest, "ingest_range", broken)
    with pytest.raises(CounterclaimError) as caught:
        ingest(
            [multistream],
            Store(tmp_path / "s.duckdb"),
            engine="dask",
            scheduler=cluster.scheduler_address,
            progress=False,
            compare=False,
        )
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("a task failed on the dask cluster (OSError: no space left")
    assert "run the same command again to resume" in message


def test_batches_on_dask_are_taken_as_they_end(tmp_path: Path, multistream: Path, cluster) -> None:
    plain = plain_copy(multistream, tmp_path / "plain")
    local = Store(tmp_path / "local.duckdb")
    ingest([plain], local, progress=False, compare=False)
    distributed = Store(tmp_path / "dask.duckdb")
    report = ingest(
        [plain],
        distributed,
        engine="dask",
        scheduler=cluster.scheduler_address,
        progress=False,
        compare=False,
        batch_size=2,
    )
    assert report.added == 11
    assert_same_content(local, distributed)


def test_the_generated_index_lists_every_page_at_its_stream(multistream: Path) -> None:
    index = index_for(multistream)
    lines = bz2.decompress(index.read_bytes()).decode().splitlines()
    assert len(lines) == 40
    assert all(re.fullmatch(r"\d+:\d+:.+", line) for line in lines)
    raw = multistream.read_bytes()
    for line in lines:
        offset = int(line.split(":", 1)[0])
        assert raw[offset : offset + 3] == b"BZh"


def test_an_index_and_no_index_together_are_refused(capsys) -> None:
    from claims.cli import main

    assert main(["ingest", "dump.xml.bz2", "--index", "i.txt", "--no-index"]) == 2
    assert capsys.readouterr().err.strip() == (
        "claims ingest: give --index FILE or --no-index, not both"
    )
