"""Ingest articles into the store: files, folders and MediaWiki dumps, locally or on dask.

Articles are read as a stream and extracted in batches; each batch is written in one
transaction, so an interrupted run leaves the store consistent, and a re-run skips the
articles already held at the same revision. A multistream bz2 dump with its index is read in
parallel instead (`claims.multistream`): its ranges of streams are tasks that workers read,
pre-filter and extract by themselves, each writing a Parquet partition that the store loads at
the end in one transaction; the ingesting process handles only (path, byte range) and counts.
The pages of a dump first pass a cheap pre-filter (`claims.prefilter`), so that only those
worth extracting are parsed. Extraction runs in worker processes (local) or on a
dask.distributed cluster, whose workers write Parquet files that the store then loads; the
extraction code is the same in every case, and every article has a time
budget (`claims.budget`). Worker processes end with the process that started them.
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import itertools
import json
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from contextlib import suppress as contextlib_suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from claims.budget import (
    DEFAULT_ARTICLE_MEMORY_MB,
    DEFAULT_ARTICLE_TIMEOUT,
    ArticleTimeout,
    check_timeout,
    limit_memory,
    memory_problem,
    time_budget,
    timeout_problem,
)
from claims.dumps import (
    SNIFF_BYTES,
    DumpPage,
    dump_kind,
    is_dump,
    open_stream,
    read_dump,
    read_dump_stream,
)
from claims.errors import ArticleError, CounterclaimError
from claims.extract import (
    ARTICLE_SUFFIXES,
    MAX_ARTICLE_BYTES,
    STDIN,
    STDIN_NAME,
    decode_article,
    extract,
)
from claims.model import ALL_CLAIM_COLUMNS, Citation, Claim
from claims.multistream import STREAMS_PER_RANGE
from claims.parse import nesting_problem
from claims.store import CITATION_COLUMNS, Store, StoreError, cited_frame, revision_of
from claims.tables import claims_frame

BATCH_ARTICLES = 64
DASK_RETRIES = 2
"""How many times dask runs again a task that raised (a lost worker's task is run again by the
scheduler itself, up to its `allowed-failures`)."""

Extracted = tuple[
    str,
    str,
    str,
    "list[Claim] | pd.DataFrame | str",
    "list[Citation] | pd.DataFrame",
    tuple[str, str],
]
"""(title, revision, path, claims or the error, citations, (the dump's revision id, its
timestamp)) of one article."""


@dataclass(frozen=True, slots=True)
class ArticleInput:
    """One article to ingest: its title (may be empty for files), text and where it came from."""

    title: str
    text: str
    path: str
    default_title: str = ""
    from_dump: bool = False  # a page of a dump (which the pre-filter tests)
    revision_id: str = ""  # the dump's <revision><id> and <timestamp> ("" for files)
    timestamp: str = ""


@dataclass(slots=True)
class IngestReport:
    """What a run did: counts, failures and speed."""

    seen: int = 0  # articles read (kept by the pre-filter, or not tested)
    added: int = 0
    unchanged: int = 0
    claims: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    compare_seconds: float = 0.0  # of `seconds`, the time spent comparing the stored claims
    compared: bool = False  # the comparison was made and saved at the end
    pages: int = 0  # pages the pre-filter tested (dump pages, unless told otherwise)
    skipped: int = 0  # of `pages`, those it found not worth extracting
    prefilter: bool = True  # whether the pre-filter was on
    files_tested: bool = False  # whether article files were counted among the pages

    @property
    def kept(self) -> int:
        return self.pages - self.skipped

    @property
    def per_second(self) -> float:
        return self.seen / self.seconds if self.seconds else 0.0

    @property
    def pages_per_second(self) -> float:
        """Pages and articles read per second, those the pre-filter skipped included."""
        return (self.seen + self.skipped) / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        pages = ""
        what = "pages and files" if self.files_tested else "dump pages"
        if self.pages and self.prefilter:
            pages = (
                f"{self.pages} {what} seen: {self.kept} kept, {self.skipped} skipped by the "
                f"pre-filter (--all reads them all); "
            )
        elif self.pages:
            pages = f"{self.pages} {what} seen, all kept (no pre-filter); "
        return (
            f"{pages}{self.seen} articles read: {self.added} added or changed, {self.unchanged} "
            f"unchanged, {len(self.failed)} failed; {self.claims} claims "
            f"({self.per_second:.1f} articles/s)"
        )


def iter_sources(paths: Iterable[str | Path]) -> Iterator[ArticleInput | tuple[str, str]]:
    """Articles of files, folders and dumps; (path, problem) for what cannot be read.

    The path "-" reads standard input: a dump (plain, bz2 or gzip) or one article.
    """
    for raw in paths:
        if str(raw) == STDIN:
            yield from stdin_sources()
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and (child.suffix.lower() in ARTICLE_SUFFIXES or is_dump(child)):
                    yield from _file_sources(child)
        elif path.is_file():
            yield from _file_sources(path)
        else:
            yield (str(path), "no such file or folder")


def stdin_sources(stream: BinaryIO | None = None) -> Iterator[ArticleInput | tuple[str, str]]:
    """The articles of standard input (or `stream`): a MediaWiki dump, else one article."""
    source = stream if stream is not None else sys.stdin.buffer
    head = source.read(SNIFF_BYTES)
    kind = dump_kind(head)
    if kind:
        try:
            dump, compressed = open_stream(head, source, kind)
            with dump:
                for page in read_dump_stream(dump, STDIN_NAME, compressed=compressed):
                    yield _page_input(page, STDIN_NAME)
        except ArticleError as exc:
            yield (exc.path, exc.problem)
        except OSError as exc:  # a compressed stream that breaks off
            yield (STDIN_NAME, f"cannot be read to the end ({exc})")
        return
    try:
        data = head + source.read(MAX_ARTICLE_BYTES + 1 - len(head))
        text = decode_article(data, STDIN_NAME)
    except ArticleError as exc:
        yield (exc.path, exc.problem)
        return
    yield ArticleInput("", text, STDIN_NAME, default_title="stdin")


def _page_input(page: DumpPage, name: str) -> ArticleInput | tuple[str, str]:
    path = f"{name}#{page.title}"
    if page.problem:
        return (path, page.problem)
    return ArticleInput(
        page.title,
        page.text,
        path,
        from_dump=True,
        revision_id=page.revision,
        timestamp=page.timestamp,
    )


def _file_sources(path: Path) -> Iterator[ArticleInput | tuple[str, str]]:
    if is_dump(path):
        try:
            for page in read_dump(path):
                yield _page_input(page, str(path))
        except ArticleError as exc:
            yield (exc.path, exc.problem)
        return
    try:
        data = path.read_bytes()
        text = decode_article(data, str(path))
    except ArticleError as exc:
        yield (exc.path, exc.problem)
        return
    except OSError as exc:
        yield (str(path), exc.strerror or str(exc))
        return
    yield ArticleInput("", text, str(path), default_title=path.stem)


def extract_batch(
    batch: list[ArticleInput], timeout: float | None = DEFAULT_ARTICLE_TIMEOUT
) -> list[Extracted]:
    """The claims and citations, or the error, of each article of a batch (runs in workers).

    An article that breaks the extraction in an unforeseen way, or takes longer than `timeout`
    seconds, is reported with its error like any other failure, so one odd page cannot stop
    the ingest of a whole dump.
    """
    out: list[Extracted] = []
    for item in batch:
        revision = revision_of(item.text)
        name = item.title or item.path
        source = (item.revision_id, item.timestamp)
        try:
            with time_budget(timeout):
                result = extract(
                    item.text, item.title or None, path=item.path, default_title=item.default_title
                )
        except ArticleTimeout:
            out.append((name, revision, item.path, timeout_problem(timeout or 0), [], source))
            continue
        except ArticleError as exc:
            out.append((name, revision, item.path, exc.problem, [], source))
            continue
        except RecursionError:
            out.append((name, revision, item.path, nesting_problem(), [], source))
            continue
        except MemoryError:  # past the memory budget of a worker process
            out.append(
                (name, revision, item.path, memory_problem(DEFAULT_ARTICLE_MEMORY_MB), [], source)
            )
            continue
        except Exception as exc:  # listed as this article's failure
            problem = f"could not be extracted ({type(exc).__name__}: {exc})"
            out.append((name, revision, item.path, problem, [], source))
            continue
        out.append((result.title, revision, item.path, result.claims, result.citations, source))
    return out


def _batches(items: Iterator[ArticleInput], size: int) -> Iterator[list[ArticleInput]]:
    while True:
        batch = list(itertools.islice(items, size))
        if not batch:
            return
        yield batch


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    *,
    processes: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    progress: bool = True,
    batch_size: int = BATCH_ARTICLES,
    compare: bool = True,
    article_timeout: float | None = DEFAULT_ARTICLE_TIMEOUT,
    prefilter: bool = True,
    prefilter_files: bool = False,
    index: str | Path | None = None,
    use_index: bool = True,
    parts: str | Path | None = None,
    range_streams: int | None = None,
) -> IngestReport:
    """Ingest every article of `paths` into `store`; failures are listed, not raised.

    With `prefilter`, the pages of dumps (and article files too, with `prefilter_files`) are
    extracted only when `claims.prefilter` finds them worth it. An article taking longer than
    `article_timeout` seconds (None or 0: no limit) is skipped and listed as failed.

    A multistream dump whose index is beside it (or is `index`) is read in parallel, range by
    range, by the workers, which write Parquet partitions into a folder of `parts` (by default
    `STORE.parts`, beside the store; on several machines, a folder they all share); the store
    loads them at the end in one transaction. Other inputs (and every dump, without
    `use_index`) are read here and sent in batches.

    With `compare`, the claims of the whole store are compared at the end and the comparison
    saved, when articles were added or the saved comparison is not current (a run killed
    while comparing leaves it so: the next run makes it); without it (loading several dumps in
    a row), readers compare on demand.

    The run holds the store's writer lock (`claims.writer`); `StoreBusy` when another process
    writes the store.
    """
    from claims.writer import WriterLock

    timeout = check_timeout(article_timeout)
    with WriterLock(store.path, "ingest"):
        return _ingest(
            paths, store, processes=processes, engine=engine, scheduler=scheduler,
            progress=progress, batch_size=batch_size, compare=compare, timeout=timeout,
            prefilter=prefilter, prefilter_files=prefilter_files, index=index,
            use_index=use_index, parts=parts, range_streams=range_streams,
        )  # fmt: skip


def _ingest(
    paths: Iterable[str | Path],
    store: Store,
    *,
    processes: int,
    engine: str,
    scheduler: str | None,
    progress: bool,
    batch_size: int,
    compare: bool,
    timeout: float | None,
    prefilter: bool,
    prefilter_files: bool,
    index: str | Path | None,
    use_index: bool,
    parts: str | Path | None,
    range_streams: int | None,
) -> IngestReport:
    if prefilter:
        from claims.prefilter import check_prefilter, worth_extracting

        check_prefilter()
    report = IngestReport(prefilter=prefilter, files_tested=prefilter_files)
    start = time.perf_counter()
    paths = list(paths)
    indexed, paths = split_indexed(paths, index) if use_index else ([], paths)
    settings = RangeSettings(
        prefilter=prefilter,
        timeout=timeout,
        batch_size=batch_size,
        store=str(store.path),
        streams=range_streams or STREAMS_PER_RANGE,
    )
    runs = [_range_tasks(dump, found, store, parts, settings) for dump, found in indexed]
    bar = _progress(progress)

    def skip(count: int) -> None:
        report.seen += count
        report.unchanged += count
        bar.update(count)

    def readable() -> Iterator[ArticleInput]:
        for item in iter_sources(paths):
            if isinstance(item, tuple):
                report.failed.append(item)
                report.seen += 1
                bar.update(1)
                continue
            if item.from_dump or prefilter_files:
                report.pages += 1
                if prefilter and not worth_extracting(item.text):
                    report.skipped += 1
                    bar.update(1)
                    continue
            yield item

    def fresh_batches() -> Iterator[list[ArticleInput]]:
        """Batches of the articles not already held at the same revision."""
        for batch in _batches(readable(), batch_size):
            held = store.revisions(item.title for item in batch if item.title)
            keep = [
                item
                for item in batch
                if not item.title or held.get(item.title) != revision_of(item.text)
            ]
            skip(len(batch) - len(keep))
            if keep:
                yield keep

    def write(results: list[Extracted]) -> None:
        good = []
        held = store.revisions(r[0] for r in results if not isinstance(r[3], str))
        for title, revision, path, claims, citations, source in results:
            if isinstance(claims, str):
                report.failed.append((path, claims))
            elif held.get(title) == revision:
                report.unchanged += 1
            else:
                good.append((title, revision, path, claims, citations, source))
                report.claims += len(claims)
        report.seen += len(results)
        if good:
            report.added += store.write_articles(good)
        bar.update(len(results))
        _postfix(bar, report)

    def ranges_done(results: Iterable[RangeResult]) -> None:
        for result in results:
            report.pages += result.pages
            report.skipped += result.skipped
            report.seen += result.seen
            report.unchanged += result.unchanged
            report.failed.extend(result.failed)
            bar.update(result.pages + result.problems)
            _postfix(bar, report)

    batches = fresh_batches()
    try:
        if engine == "dask":
            with dask_client(scheduler, processes) as client:
                if paths:
                    _run_dask(batches, write, client, processes, timeout)
                for run in runs:
                    ranges_done(_dask_ranges(client, run))
                    _load_ranges(store, run, report)
        else:
            if paths:
                _run_local(batches, write, processes, timeout)
            for run in runs:
                ranges_done(_local_ranges(run, processes))
                _load_ranges(store, run, report)
    finally:
        bar.close()
        if report.failed:
            store.add_problems(report.failed)
    if compare:
        from claims.service import ComparedStore, comparison_key

        if report.added or (
            store.article_count() and not store.comparison_is_current(comparison_key)
        ):
            compare_start = time.perf_counter()
            ComparedStore(store).save()
            report.compare_seconds = time.perf_counter() - compare_start
            report.compared = True
    report.seconds = time.perf_counter() - start
    return report


def _postfix(bar, report: IngestReport) -> None:
    bar.set_postfix(
        claims=report.claims, failed=len(report.failed), skipped=report.skipped, refresh=False
    )


def _run_local(
    batches: Iterator[list[ArticleInput]],
    write: Callable[[list[Extracted]], None],
    processes: int,
    timeout: float | None,
) -> None:
    """Extract batches here, or in `processes` worker processes, writing each as it is done."""
    if processes <= 1:
        for batch in batches:
            write(extract_batch(batch, timeout))
        return
    try:
        with ProcessPoolExecutor(max_workers=processes, initializer=worker_setup) as pool:
            pending = []
            for batch in batches:
                pending.append(pool.submit(extract_batch, batch, timeout))
                if len(pending) >= processes * 2:  # bounded: memory stays flat
                    write(pending.pop(0).result())
            for future in pending:
                write(future.result())
    except BrokenProcessPool:
        raise CounterclaimError(_DIED) from None


_DIED = (
    "a worker process died (out of memory?); the articles written so far are kept, run the "
    "same command again to resume"
)


# -- multistream dumps, range by range --------------------------------------------------------


def split_indexed(
    paths: list[str | Path], index: str | Path | None = None
) -> tuple[list[tuple[str, Path]], list[str | Path]]:
    """The multistream dumps of `paths` that have an index (beside them, or `index` for the
    one dump named), and the other paths; CounterclaimError when `index` fits no single dump."""
    from claims.multistream import index_for

    if index is not None:
        dumps = [p for p in paths if str(p) != STDIN and Path(p).is_file() and is_dump(Path(p))]
        if len(dumps) != 1 or not str(dumps[0]).lower().endswith(".xml.bz2"):
            raise CounterclaimError(
                "--index names the index of one multistream dump (.xml.bz2): name that one dump"
            )
        if not Path(index).is_file():
            raise CounterclaimError(f"{index}: no such index file")
        return [(str(dumps[0]), Path(index))], [p for p in paths if p is not dumps[0]]
    indexed: list[tuple[str, Path]] = []
    rest: list[str | Path] = []
    for path in paths:
        found = index_for(path) if str(path) != STDIN and Path(path).is_file() else None
        if found is None:
            rest.append(path)
        else:
            indexed.append((str(path), found))
    return indexed, rest


@dataclass(frozen=True, slots=True)
class RangeSettings:
    """What every range task of a run is told, besides its range."""

    prefilter: bool
    timeout: float | None
    batch_size: int
    store: str  # asked (read-only) for the revisions held, when the worker can open it
    streams: int


@dataclass(frozen=True, slots=True)
class RangeTask:
    """One range of streams of a multistream dump, and where its partition goes."""

    source: str  # the dump, as the workers open it
    name: str  # the dump as named on the command line (in the articles' paths)
    start: int
    end: int
    folder: str
    part: int
    settings: RangeSettings


@dataclass(slots=True)
class RangeResult:
    """The counts of one range (the articles themselves are in its partition)."""

    part: int = 0
    pages: int = 0  # pages the pre-filter tested (or would have)
    skipped: int = 0  # of them, those it found not worth extracting
    seen: int = 0  # pages kept, and pages or ranges that could not be read
    unchanged: int = 0  # kept pages already held at the same revision (not extracted)
    problems: int = 0  # pages and ranges that could not be read
    failed: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RangeRun:
    """The tasks of one dump and the folder of their partitions."""

    folder: Path
    tasks: list[RangeTask]


def _range_tasks(
    dump: str, index: Path, store: Store, parts: str | Path | None, settings: RangeSettings
) -> RangeRun:
    """The dump's ranges as tasks, writing into a folder named after the run (the dump, its
    index, the rules and the options), so that a run interrupted before its load is resumed
    from the partitions it had written."""
    from claims.knowledge import rules_fingerprint
    from claims.multistream import check_index, read_offsets, stream_ranges

    source = Path(dump).resolve()
    offsets = read_offsets(index)
    check_index(source, offsets, index)
    stat, index_stat = source.stat(), index.stat()
    ranges = stream_ranges(offsets, stat.st_size, settings.streams)
    key = json.dumps(
        [
            str(source),
            dump,
            stat.st_size,
            stat.st_mtime_ns,
            index_stat.st_size,
            index_stat.st_mtime_ns,
            settings.prefilter,
            settings.timeout,
            settings.streams,
            rules_fingerprint(),
        ]
    )
    run = f"{source.name.split('.')[0]}-{hashlib.sha1(key.encode()).hexdigest()[:12]}"
    root = Path(parts) if parts else store.path.with_name(store.path.name + ".parts")
    folder = (root / run).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    tasks = [
        RangeTask(str(source), dump, r.start, r.end, str(folder), part, settings)
        for part, r in enumerate(ranges)
    ]
    return RangeRun(folder, tasks)


def _load_ranges(store: Store, run: RangeRun, report: IngestReport) -> None:
    """Load a run's partitions into the store in one transaction, then remove them."""
    added, unchanged, claims = store.load_partitions(run.folder)
    report.added += added
    report.unchanged += unchanged
    report.claims += claims
    shutil.rmtree(run.folder, ignore_errors=True)
    with contextlib_suppress(OSError):
        run.folder.parent.rmdir()  # when no other run's partitions are there


def _local_ranges(run: RangeRun, processes: int) -> Iterator[RangeResult]:
    """The run's ranges read here (one process) or by `processes` worker processes, in the
    order they end."""
    if processes <= 1:
        for task in run.tasks:
            yield ingest_range(task)
        return
    try:
        with ProcessPoolExecutor(max_workers=processes, initializer=worker_setup) as pool:
            futures = [pool.submit(ingest_range, task) for task in run.tasks]
            for future in as_completed(futures):
                yield future.result()
    except BrokenProcessPool:
        raise CounterclaimError(
            "a worker process died (out of memory?); the ranges done so far are kept in "
            f"{run.folder}: run the same command again to resume"
        ) from None


def _dask_ranges(client, run: RangeRun) -> Iterator[RangeResult]:
    """The run's ranges read by the cluster's workers, in the order they end; a task that
    fails is run again (`DASK_RETRIES`), and one that still fails stops the run in one line."""
    from dask.distributed import as_completed as dask_completed

    futures = [
        client.submit(ingest_range, task, retries=DASK_RETRIES, pure=False) for task in run.tasks
    ]
    try:
        for future in dask_completed(futures):
            yield _dask_result(future, f"the ranges done so far are kept in {run.folder}")
    finally:
        client.cancel(futures)


def _dask_result(future, kept: str):
    try:
        return future.result()
    except CounterclaimError:
        raise
    except Exception as exc:
        detail = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise CounterclaimError(
            f"a task failed on the dask cluster ({type(exc).__name__}: {detail}); {kept}, run "
            "the same command again to resume"
        ) from None


def ingest_range(task: RangeTask) -> RangeResult:
    """Read, pre-filter and extract one range of a multistream dump and write its partition
    (runs in a worker; returns only counts and the problems met). A partition already written
    for this range by an interrupted run is not made again."""
    folder = Path(task.folder)
    marker = folder / f"part-{task.part:06d}.json"
    if marker.is_file() and (folder / f"articles-{task.part:06d}.parquet").is_file():
        try:
            done = json.loads(marker.read_text(encoding="utf-8"))
            done["failed"] = [tuple(item) for item in done["failed"]]
            return RangeResult(**done)
        except (OSError, ValueError, TypeError, KeyError):
            pass  # made again
    from claims.multistream import StreamRange, read_range

    settings = task.settings
    if settings.prefilter:
        from claims.prefilter import worth_extracting
    result = RangeResult(part=task.part)
    held_revisions = _held(settings.store)
    good: list[Extracted] = []
    batch: list[ArticleInput] = []

    def flush() -> None:
        held = held_revisions([item.title for item in batch])
        keep = [item for item in batch if held.get(item.title) != revision_of(item.text)]
        result.unchanged += len(batch) - len(keep)
        for extracted in extract_batch(keep, settings.timeout):
            if isinstance(extracted[3], str):
                result.failed.append((extracted[2], extracted[3]))
            else:
                good.append(extracted)
        batch.clear()

    try:
        for page in read_range(task.source, StreamRange(task.start, task.end, 0), task.name):
            item = _page_input(page, task.name)
            if isinstance(item, tuple):
                result.failed.append(item)
                result.problems += 1
                continue
            result.pages += 1
            if settings.prefilter and not worth_extracting(item.text):
                result.skipped += 1
                continue
            batch.append(item)
            if len(batch) >= settings.batch_size:
                flush()
    except ArticleError as exc:  # a damaged range: the pages before it are kept
        result.failed.append((exc.path, exc.problem))
        result.problems += 1
    if batch:
        flush()
    result.seen = result.pages - result.skipped + result.problems
    from claims.store import write_partition

    write_partition(folder, task.part, good)
    tmp = marker.with_name(f".{marker.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(asdict(result)), encoding="utf-8")
    tmp.replace(marker)
    return result


def _held(store: str) -> Callable[[list[str]], dict[str, str]]:
    """The revisions held by the store, asked read-only by a worker that can open it (one on
    another machine without the store extracts every kept page; the load skips the same
    revisions anyway)."""
    state: dict[str, Store | None] = {}

    def held(titles: list[str]) -> dict[str, str]:
        if "store" not in state:
            try:
                state["store"] = Store(store, read_only=True) if Path(store).exists() else None
            except StoreError:
                state["store"] = None
        reader = state["store"]
        if reader is None or not titles:
            return {}
        try:
            return reader.revisions(titles)
        except StoreError:
            return {}

    return held


PARENT_POLL_SECONDS = 1.0
_PR_SET_PDEATHSIG = 1


def worker_setup(memory_mb: int | None = DEFAULT_ARTICLE_MEMORY_MB) -> None:
    """Set up an extraction worker process: it ends with its parent and has a memory budget
    (`claims.budget.limit_memory`), so one article cannot take the machine's memory."""
    end_with_parent()
    limit_memory(memory_mb)


def end_with_parent() -> None:
    """Make this (worker) process end when the process that started it dies, even by
    `kill -9`, which leaves it no chance to stop its workers: on Linux the kernel is asked to
    kill it then (PR_SET_PDEATHSIG); everywhere a thread checks every second that its parent is
    still the one it had, and ends the process when it is not."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(PARENT_POLL_SECONDS)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


@contextmanager
def dask_client(scheduler: str | None, workers: int) -> Iterator:
    """A client of the cluster at `scheduler`, or of a local cluster of `workers` processes."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise CounterclaimError(
            "the dask engine needs dask.distributed: pip install 'counterclaim[dask]'"
        ) from None
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout=30)
        else:
            cluster = LocalCluster(
                n_workers=max(workers, 1),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            client = Client(cluster)
    except OSError as exc:
        raise CounterclaimError(f"cannot reach the dask scheduler {scheduler}: {exc}") from None
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _run_dask(
    batches: Iterator[list[ArticleInput]],
    write: Callable[[list[Extracted]], None],
    client,
    workers: int,
    timeout: float | None = DEFAULT_ARTICLE_TIMEOUT,
) -> None:
    """Extract batches on a dask.distributed cluster; workers write Parquet, loaded here as
    each batch ends (in any order), a bounded number of batches in flight."""
    from dask.distributed import as_completed as dask_completed

    limit = max(workers, len(client.scheduler_info().get("workers", {})), 1) * 2
    in_flight = dask_completed()
    kept = "the articles written so far are kept"
    try:
        for batch in batches:
            in_flight.add(
                client.submit(extract_to_parquet, batch, timeout, pure=False, retries=DASK_RETRIES)
            )
            if in_flight.count() >= limit:  # bounded: memory stays flat
                write(_read_parquet(_dask_result(next(in_flight), kept)))
        for future in in_flight:
            write(_read_parquet(_dask_result(future, kept)))
    finally:
        in_flight.clear()


def extract_to_parquet(
    batch: list[ArticleInput], timeout: float | None = DEFAULT_ARTICLE_TIMEOUT
) -> tuple[bytes, bytes, bytes]:
    """Extract a batch into three Parquet files: its articles (with their error, if any), their
    claims and their citations (runs on a worker; the files come back as bytes, so workers need
    no disk shared with the ingesting machine)."""
    articles = []
    claims: list[Claim] = []
    claim_items: list[int] = []
    cited: list[tuple[str, Citation]] = []
    citation_items: list[int] = []
    extracted = extract_batch(batch, timeout)
    for item, (title, revision, path, found, citations, source) in enumerate(extracted):
        error = found if isinstance(found, str) else ""
        articles.append((item, title, revision, path, error, *source))
        if not error:
            claims.extend(found)  # type: ignore[arg-type]
            claim_items.extend([item] * len(found))
            cited.extend((title, citation) for citation in citations)  # type: ignore[union-attr]
            citation_items.extend([item] * len(citations))
    articles_frame = pd.DataFrame(
        articles,
        columns=["_item", "title", "revision", "path", "error", "revision_id", "timestamp"],
    )
    claims_all = claims_frame(claims).assign(_item=claim_items)
    claims_all["ref_names"] = claims_all["ref_names"].map(
        lambda v: " ".join(v) if isinstance(v, (tuple, list)) else ("" if v is None else v)
    )
    citations_all = cited_frame(cited).assign(_item=citation_items)
    return tuple(_parquet_bytes(f) for f in (articles_frame, claims_all, citations_all))  # type: ignore[return-value]


def _parquet_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def _read_parquet(data: tuple[bytes, bytes, bytes]) -> list[Extracted]:
    articles, claims, citations = (pd.read_parquet(io.BytesIO(part)) for part in data)
    claims_of = dict(tuple(claims.groupby("_item", sort=False)))
    citations_of = dict(tuple(citations.groupby("_item", sort=False)))
    no_claims = claims.iloc[0:0].reindex(columns=list(ALL_CLAIM_COLUMNS))
    no_citations = citations.iloc[0:0].reindex(columns=list(CITATION_COLUMNS))
    out: list[Extracted] = []
    for item, title, revision, path, error, rev_id, stamp in articles.itertuples(index=False):
        source = (rev_id, stamp)
        if error:
            out.append((title, revision, path, error, [], source))
            continue
        found = claims_of.get(item, no_claims).reindex(columns=list(ALL_CLAIM_COLUMNS))
        cited = citations_of.get(item, no_citations).reindex(columns=list(CITATION_COLUMNS))
        out.append((title, revision, path, found, cited, source))
    return out


def _progress(enabled: bool):
    from tqdm import tqdm

    return tqdm(
        unit=" pages",
        file=sys.stderr,
        disable=not enabled,
        dynamic_ncols=True,
        desc="ingest",
    )
