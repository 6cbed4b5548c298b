"""One writer per store, by design: a lock file beside the store, and a queue of uploads.

DuckDB lets one process write a database file. Here that process is chosen, not met by
accident: whoever writes (`claims ingest`, the upload writer, seeding an empty store) first
takes the writer lock, `STORE.writer` beside the store, an exclusive `fcntl.flock` on that file
holding the writer's PID and role. The kernel releases it when the writer ends, even by
`kill -9`, so a lock file left behind is stale and simply taken over. A second writer is
refused with one line, "the store FILE is being written by PID N" (`StoreBusy`).

The dashboard only reads. An article uploaded through it is written into the queue, the folder
`STORE.uploads` beside the store (one JSON file per upload), and an upload writer is started:
`python -m claims.writer --store FILE`, a process of its own. It waits for the writer lock
(while `claims ingest` holds it, the upload waits in the queue), extracts each queued article in
a child process with the time and memory budget of ingest (`claims.budget`), writes them, saves
the comparison once for the whole queue, and leaves one result file per upload, which every
server process can read. Nothing is lost: an upload leaves the queue only once its result is
written, and a writer started later takes up whatever an earlier one left.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claims.budget import DEFAULT_ARTICLE_MEMORY_MB, DEFAULT_ARTICLE_TIMEOUT
from claims.errors import CounterclaimError

LOCK_SUFFIX = ".writer"
QUEUE_SUFFIX = ".uploads"
ACQUIRE_RETRY_SECONDS = 1.0  # a reader's probe holds the lock file for microseconds
WAIT_POLL_SECONDS = 0.25
RESULT_KEEP_SECONDS = 3600.0


class StoreBusy(CounterclaimError):
    """Another process is writing the store."""

    def __init__(self, store: Path, pid: int | None) -> None:
        super().__init__(busy_message(store, pid))
        self.store = store
        self.pid = pid


def busy_message(store: Path, pid: int | None) -> str:
    """The one line refusing a second writer."""
    who = f"PID {pid}" if pid else "another process"
    return f"the store {store} is being written by {who}"


def lock_path(store: str | Path) -> Path:
    """The writer lock file of a store: `claims.duckdb.writer` beside `claims.duckdb`."""
    store = Path(store)
    return store.with_name(store.name + LOCK_SUFFIX)


def queue_folder(store: str | Path) -> Path:
    """The upload queue of a store: the folder `claims.duckdb.uploads` beside it."""
    store = Path(store)
    return store.with_name(store.name + QUEUE_SUFFIX)


@dataclass(frozen=True)
class Writer:
    """The process holding a store's writer lock: its PID and what it does."""

    pid: int | None
    role: str


_HELD: dict[str, list[Any]] = {}  # resolved lock path -> [open file, depth], in this process


def _key(store: str | Path) -> str:
    return str(lock_path(Path(store).resolve()))


def _read_holder(handle: Any) -> Writer:
    handle.seek(0)
    words = handle.read(200).split()
    pid = int(words[0]) if words and words[0].isdigit() else None
    return Writer(pid, words[1] if len(words) > 1 else "")


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def writer_of(store: str | Path) -> Writer | None:
    """The process writing `store` now (this one included), or None when nobody does.

    A lock file whose process has ended is stale: nobody holds its lock, so it reads as None.
    """
    key = _key(store)
    if key in _HELD:
        return Writer(os.getpid(), "")
    try:
        handle = open(key, encoding="utf-8")  # noqa: SIM115 (closed below)
    except OSError:
        return None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_holder(handle)
        fcntl.flock(handle, fcntl.LOCK_UN)
        return None


def check_writable(store: str | Path) -> None:
    """Raise `StoreBusy` when a process other than this one holds the store's writer lock."""
    holder = writer_of(store)
    if holder is not None and holder.pid != os.getpid():
        raise StoreBusy(Path(store), holder.pid)


class WriterLock:
    """The writer lock of one store; re-entrant within a process.

    `with WriterLock(store, "ingest"):` writes, or raises `StoreBusy` at once when another
    process writes (`wait=None` waits for it instead; a number waits that many seconds).
    """

    def __init__(self, store: str | Path, role: str = "writer", *, wait: float | None = 0) -> None:
        self.store = Path(store)
        self.role = role
        self.wait = wait
        self._key = _key(store)
        self._held = False

    def acquire(self) -> WriterLock:
        held = _HELD.get(self._key)
        if held is not None:
            held[1] += 1
            self._held = True
            return self
        path = Path(self._key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (kept while held)
        started = time.monotonic()
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - started
                if self.wait is not None and waited >= max(self.wait, ACQUIRE_RETRY_SECONDS):
                    holder = _read_holder(handle)
                    handle.close()
                    raise StoreBusy(self.store, holder.pid) from None
                time.sleep(0.02 if waited < ACQUIRE_RETRY_SECONDS else WAIT_POLL_SECONDS)
        # held: whatever the file said (a writer that was killed) is stale
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()} {self.role}\n")
        handle.flush()
        _HELD[self._key] = [handle, 1]
        self._held = True
        return self

    def release(self) -> None:
        if not self._held:
            return
        self._held = False
        held = _HELD.get(self._key)
        if held is None:
            return
        held[1] -= 1
        if held[1] > 0:
            return
        del _HELD[self._key]
        handle = held[0]
        with suppress(OSError):
            handle.seek(0)
            handle.truncate()
            handle.flush()
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()

    def __enter__(self) -> WriterLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def open_for_reading(store: str | Path, seeds: Path | bool | None = None) -> Any:
    """The store at `store` for a process that only reads it (the dashboard), read-only.

    When nobody writes it, it is first created if missing and seeded if empty (`seeds`: a
    folder, None for the default seeds, False for none), under the writer lock; while another
    process writes it, that writer fills it.
    """
    from claims.store import Store

    path = Path(store)
    try:
        with WriterLock(path, "seed"):
            writer = Store(path)
            if seeds is not False:
                writer.ensure_seeded(seeds if isinstance(seeds, Path) else None)
    except StoreBusy:
        pass
    return Store(path, read_only=True)


# -- the upload queue -----------------------------------------------------------------------

QUEUED, WAITING, EXTRACTING, DONE, FAILED, UNKNOWN = (
    "queued",
    "waiting",
    "extracting",
    "done",
    "failed",
    "unknown",
)


@dataclass(frozen=True)
class UploadState:
    """Where one upload is: queued (`writer` says who holds the store, when someone does),
    being extracted, done (its claims counted) or failed (its one-line problem)."""

    ticket: str
    state: str
    title: str = ""
    path: str = ""
    claims: int = 0
    replaced: bool = False
    problem: str = ""
    writer: int | None = None  # the PID writing the store while the upload waits

    @property
    def finished(self) -> bool:
        return self.state in (DONE, FAILED, UNKNOWN)


def _write_json(path: Path, value: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(value), encoding="utf-8")
    tmp.replace(path)


def _read_json(path: Path) -> dict | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _valid_ticket(ticket: object) -> bool:
    return isinstance(ticket, str) and 0 < len(ticket) <= 64 and ticket.isalnum()


class UploadQueue:
    """The uploads waiting for a store's writer, and their results (see the module text)."""

    def __init__(
        self,
        store: str | Path,
        *,
        article_timeout: float | None = DEFAULT_ARTICLE_TIMEOUT,
        memory_mb: int | None = DEFAULT_ARTICLE_MEMORY_MB,
    ) -> None:
        self.store = Path(store)
        self.folder = queue_folder(store)
        self.article_timeout = article_timeout
        self.memory_mb = memory_mb
        self._started: list[subprocess.Popen] = []

    def pending(self) -> list[str]:
        """Tickets of the uploads still waiting, oldest first."""
        try:
            names = sorted(p.name for p in self.folder.glob("*.upload.json"))
        except OSError:
            return []
        return [name.split(".", 1)[0] for name in names]

    def submit(self, title: str, text: str, path: str = "", *, start: bool = True) -> UploadState:
        """Put an article in the queue and make sure a writer will take it (`start`; else the
        next `drain`); returns at once."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.prune()
        ticket = f"{time.time_ns():020d}{secrets.token_hex(4)}"
        item = {"title": title, "text": text, "path": path or title}
        _write_json(self.folder / f"{ticket}.upload.json", item)
        if start:
            self.start_writer()
        return UploadState(ticket, QUEUED, title, path or title)

    def state(self, ticket: object, title: str = "") -> UploadState:
        """Where the upload `ticket` is now (read from the queue folder: any process can ask)."""
        self._reap()
        if not _valid_ticket(ticket):
            return UploadState(str(ticket)[:64], UNKNOWN, title)
        ticket = str(ticket)
        result = _read_json(self.folder / f"{ticket}.result.json")
        if result is not None:
            return UploadState(
                ticket,
                DONE if result.get("state") == DONE else FAILED,
                str(result.get("title", title)),
                str(result.get("path", "")),
                int(result.get("claims", 0) or 0),
                bool(result.get("replaced", False)),
                str(result.get("problem", "")),
            )
        item = self.folder / f"{ticket}.upload.json"
        if not item.exists():
            return UploadState(ticket, UNKNOWN, title)
        if not title:
            title = str((_read_json(item) or {}).get("title", ""))
        holder = writer_of(self.store)
        if holder is None:
            if not _drain_lock_held(self.folder):
                self.start_writer()  # a writer that ended early (or was killed): start another
            return UploadState(ticket, QUEUED, title)
        if holder.role == UPLOAD_ROLE:
            return UploadState(ticket, EXTRACTING, title, writer=holder.pid)
        return UploadState(ticket, WAITING, title, writer=holder.pid)

    def start_writer(self) -> None:
        """Start an upload writer unless one is at work (it takes every queued upload)."""
        if _drain_lock_held(self.folder):
            return
        command = [sys.executable, "-m", "claims.writer", "--store", str(self.store)]
        command += ["--article-timeout", str(self.article_timeout or 0)]
        command += ["--memory", str(self.memory_mb or 0)]
        package_root = str(Path(__file__).resolve().parent.parent)
        search = os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "PYTHONPATH": search}
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / "writer.log", "ab") as log:
            self._started.append(
                subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                    env=env,
                    start_new_session=True,  # a server that stops leaves the queue to finish
                )
            )

    def _reap(self) -> None:
        self._started = [p for p in self._started if p.poll() is None]

    def prune(self, older_than: float = RESULT_KEEP_SECONDS) -> None:
        """Remove the results of uploads finished more than `older_than` seconds ago (any page
        still asking has long been told)."""
        cutoff = time.time() - older_than
        with suppress(OSError):
            for result in self.folder.glob("*.result.json"):
                with suppress(OSError):
                    if result.stat().st_mtime < cutoff:
                        result.unlink()


UPLOAD_ROLE = "uploads"
DRAIN_LOCK = ".writer.lock"


def _drain_lock_held(folder: Path) -> bool:
    try:
        handle = open(folder / DRAIN_LOCK, "a+", encoding="utf-8")  # noqa: SIM115
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def _limit_child(memory_mb: int | None) -> None:
    """Set up an extraction process: it ends with its parent, within its memory budget."""
    from claims.budget import limit_memory
    from claims.ingest import end_with_parent

    end_with_parent()
    limit_memory(memory_mb)


def drain(
    store: str | Path,
    *,
    article_timeout: float | None = DEFAULT_ARTICLE_TIMEOUT,
    memory_mb: int | None = DEFAULT_ARTICLE_MEMORY_MB,
) -> int:
    """Write every queued upload of `store` (waiting for the writer lock), then save the
    comparison once; uploads written. Returns at once when another upload writer is at work."""
    folder = queue_folder(store)
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    while True:
        with open(folder / DRAIN_LOCK, "a+", encoding="utf-8") as guard:
            try:
                fcntl.flock(guard, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return written  # that writer takes what is queued, this one too
            queue = UploadQueue(store)
            while queue.pending():
                written += _drain_once(Path(store), queue, article_timeout, memory_mb)
            fcntl.flock(guard, fcntl.LOCK_UN)
        # an upload queued while the guard was being released is taken by another round
        if not UploadQueue(store).pending():
            return written


def _drain_once(
    store: Path, queue: UploadQueue, article_timeout: float | None, memory_mb: int | None
) -> int:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from claims.budget import memory_problem
    from claims.ingest import ArticleInput, extract_batch
    from claims.service import ComparedStore
    from claims.store import Store, revision_of

    results: dict[str, dict] = {}
    with WriterLock(store, UPLOAD_ROLE, wait=None):
        writer = Store(store)
        tickets = queue.pending()
        pool = None
        try:
            for ticket in tickets:
                item = _read_json(queue.folder / f"{ticket}.upload.json") or {}
                title, path = str(item.get("title", "")), str(item.get("path", ""))
                text = item.get("text")
                if not isinstance(text, str) or not title:
                    results[ticket] = {"state": FAILED, "title": title, "path": path,
                                       "problem": "the queued upload is damaged"}  # fmt: skip
                    continue
                if pool is None:
                    pool = ProcessPoolExecutor(1, initializer=_limit_child, initargs=(memory_mb,))
                try:
                    article = ArticleInput(title, text, path)
                    [found] = pool.submit(extract_batch, [article], article_timeout).result()
                except BrokenProcessPool:
                    pool = None
                    found = (title, "", path, memory_problem(memory_mb), [], None)
                name, _revision, _path, claims, citations, _source = found
                if isinstance(claims, str):
                    results[ticket] = {"state": FAILED, "title": title, "path": path,
                                       "problem": claims}  # fmt: skip
                    writer.add_problems([(path, claims)])
                    continue
                replaced = name in writer.revisions([name])
                writer.write_articles([(name, revision_of(text), path, claims, citations)])
                results[ticket] = {"state": DONE, "title": name, "path": path,
                                   "claims": len(claims), "replaced": replaced}  # fmt: skip
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        if any(r["state"] == DONE for r in results.values()):
            ComparedStore(writer).save()  # once for the whole queue, for every server process
    # results after the lock is released: a page told "done" then finds the data current
    for ticket, result in results.items():
        _write_json(queue.folder / f"{ticket}.result.json", result)
        with suppress(OSError):
            (queue.folder / f"{ticket}.upload.json").unlink()
    return sum(1 for r in results.values() if r["state"] == DONE)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m claims.writer --store FILE`: write the store's queued uploads."""
    parser = argparse.ArgumentParser(
        prog="python -m claims.writer",
        description="Write the uploads queued beside a store (started by the dashboard).",
    )
    parser.add_argument("--store", required=True, metavar="FILE")
    parser.add_argument("--article-timeout", type=float, default=DEFAULT_ARTICLE_TIMEOUT)
    parser.add_argument("--memory", type=int, default=DEFAULT_ARTICLE_MEMORY_MB, metavar="MB")
    args = parser.parse_args(argv)
    try:
        drain(args.store, article_timeout=args.article_timeout or None, memory_mb=args.memory)
    except (CounterclaimError, OSError) as exc:
        print(f"claims writer: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
