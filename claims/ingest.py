"""Ingest articles into the store: files, folders and MediaWiki dumps, locally or on dask.

Articles are read as a stream and extracted in batches; each batch is written in one
transaction, so an interrupted run leaves the store consistent, and a re-run skips the
articles already held at the same revision. The pages of a dump first pass a cheap pre-filter
(`claims.prefilter`), so that only those worth extracting are parsed. Extraction runs in worker
processes (local) or on a dask.distributed cluster, whose workers write Parquet files that the
store then loads; the extraction code is the same in every case, and every article has a time
budget (`claims.budget`). Worker processes end with the process that started them.
"""

from __future__ import annotations

import ctypes
import io
import itertools
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
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
from claims.parse import nesting_problem
from claims.store import CITATION_COLUMNS, Store, cited_frame, revision_of
from claims.tables import claims_frame

BATCH_ARTICLES = 64

Extracted = tuple[
    str, str, str, "list[Claim] | pd.DataFrame | str", "list[Citation] | pd.DataFrame"
]
"""(title, revision, path, claims or the error, citations) of one article."""


@dataclass(frozen=True, slots=True)
class ArticleInput:
    """One article to ingest: its title (may be empty for files), text and where it came from."""

    title: str
    text: str
    path: str
    default_title: str = ""
    from_dump: bool = False  # a page of a dump (which the pre-filter tests)


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
    return ArticleInput(page.title, page.text, path, from_dump=True)


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
        try:
            with time_budget(timeout):
                result = extract(
                    item.text, item.title or None, path=item.path, default_title=item.default_title
                )
        except ArticleTimeout:
            out.append((name, revision, item.path, timeout_problem(timeout or 0), []))
            continue
        except ArticleError as exc:
            out.append((name, revision, item.path, exc.problem, []))
            continue
        except RecursionError:
            out.append((name, revision, item.path, nesting_problem(), []))
            continue
        except MemoryError:  # past the memory budget of a worker process
            out.append((name, revision, item.path, memory_problem(DEFAULT_ARTICLE_MEMORY_MB), []))
            continue
        except Exception as exc:  # listed as this article's failure
            problem = f"could not be extracted ({type(exc).__name__}: {exc})"
            out.append((name, revision, item.path, problem, []))
            continue
        out.append((result.title, revision, item.path, result.claims, result.citations))
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
) -> IngestReport:
    """Ingest every article of `paths` into `store`; failures are listed, not raised.

    With `prefilter`, the pages of dumps (and article files too, with `prefilter_files`) are
    extracted only when `claims.prefilter` finds them worth it. An article taking longer than
    `article_timeout` seconds (None or 0: no limit) is skipped and listed as failed.

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
            prefilter=prefilter, prefilter_files=prefilter_files,
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
) -> IngestReport:
    if prefilter:
        from claims.prefilter import check_prefilter, worth_extracting

        check_prefilter()
    report = IngestReport(prefilter=prefilter, files_tested=prefilter_files)
    start = time.perf_counter()
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
        for title, revision, path, claims, citations in results:
            if isinstance(claims, str):
                report.failed.append((path, claims))
            elif held.get(title) == revision:
                report.unchanged += 1
            else:
                good.append((title, revision, path, claims, citations))
                report.claims += len(claims)
        report.seen += len(results)
        if good:
            report.added += store.write_articles(good)
        bar.update(len(results))
        bar.set_postfix(
            claims=report.claims, failed=len(report.failed), skipped=report.skipped, refresh=False
        )

    batches = fresh_batches()
    try:
        if engine == "dask":
            _run_dask(batches, write, scheduler, processes, timeout)
        elif processes > 1:
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
                raise CounterclaimError(
                    "a worker process died (out of memory?); the articles written so far are "
                    "kept, run the same command again to resume"
                ) from None
        else:
            for batch in batches:
                write(extract_batch(batch, timeout))
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


def worker_setup(memory_mb: int | None = DEFAULT_ARTICLE_MEMORY_MB) -> None:
    """Set up an extraction worker process: it ends with its parent and has a memory budget
    (`claims.budget.limit_memory`), so one article cannot take the machine's memory."""
    end_with_parent()
    limit_memory(memory_mb)


PARENT_POLL_SECONDS = 1.0
_PR_SET_PDEATHSIG = 1


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


def _run_dask(
    batches: Iterator[list[ArticleInput]],
    write: Callable[[list[Extracted]], None],
    scheduler: str | None,
    workers: int,
    timeout: float | None = DEFAULT_ARTICLE_TIMEOUT,
) -> None:
    """Extract batches on a dask.distributed cluster; workers write Parquet, loaded here."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise CounterclaimError(
            "the dask engine needs dask.distributed: pip install 'counterclaim[dask]'"
        ) from None

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=max(workers, 2), threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    try:
        pending = []
        for batch in batches:
            pending.append(client.submit(extract_to_parquet, batch, timeout, pure=False))
            if len(pending) >= max(workers, 2) * 2:  # bounded: memory stays flat
                write(_read_parquet(pending.pop(0).result()))
        for future in pending:
            write(_read_parquet(future.result()))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


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
    for item, (title, revision, path, found, citations) in enumerate(extract_batch(batch, timeout)):
        error = found if isinstance(found, str) else ""
        articles.append((item, title, revision, path, error))
        if not error:
            claims.extend(found)  # type: ignore[arg-type]
            claim_items.extend([item] * len(found))
            cited.extend((title, citation) for citation in citations)  # type: ignore[union-attr]
            citation_items.extend([item] * len(citations))
    articles_frame = pd.DataFrame(articles, columns=["_item", "title", "revision", "path", "error"])
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
    for item, title, revision, path, error in articles.itertuples(index=False):
        if error:
            out.append((title, revision, path, error, []))
            continue
        found = claims_of.get(item, no_claims).reindex(columns=list(ALL_CLAIM_COLUMNS))
        cited = citations_of.get(item, no_citations).reindex(columns=list(CITATION_COLUMNS))
        out.append((title, revision, path, found, cited))
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
