"""A time budget per article: a pathological input is stopped and reported, not waited for.

`time_budget(seconds)` raises `ArticleTimeout` inside the code it guards once the time is up.
In the main thread of a process on Unix (the single-process path, and each worker process of
the local pool) it arms a real-time interval timer (SIGALRM); in any other thread (a dask
worker runs its tasks in threads) a timer thread raises the exception in the guarded thread
instead. Both stop Python code, wherever it loops; neither can stop one call that never returns
to Python.
"""

from __future__ import annotations

import ctypes
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

DEFAULT_ARTICLE_TIMEOUT = 30.0
"""Seconds one article may take to extract before it is skipped (`--article-timeout`)."""


class ArticleTimeout(BaseException):
    """The time budget of an article ran out. A BaseException, like KeyboardInterrupt, so that
    no `except Exception` in the extraction swallows it and carries on."""


def timeout_problem(seconds: float) -> str:
    """The one-line problem of an article skipped for taking longer than `seconds`."""
    return f"skipped: took longer than {seconds:g} s"


def check_timeout(seconds: float | None) -> float | None:
    """`seconds` as a budget (None or 0: no budget); ValueError when negative or not a number."""
    if seconds is None:
        return None
    value = float(seconds)
    if value != value or value < 0:  # NaN or negative
        raise ValueError(
            f"the article timeout must be 0 (none) or a number of seconds, not {seconds}"
        )
    return value or None


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Run the block within `seconds` (None or 0: no limit), else raise `ArticleTimeout`."""
    if not seconds or seconds <= 0:
        yield
        return
    in_main = threading.current_thread() is threading.main_thread()
    if in_main and hasattr(signal, "setitimer"):
        with _alarm(seconds):
            yield
    else:
        with _watchdog(seconds):
            yield


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def on_alarm(signum: int, frame: object) -> None:
        raise ArticleTimeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
_set_async_exc.argtypes = (ctypes.c_ulong, ctypes.py_object)
_set_async_exc.restype = ctypes.c_int


@contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    target = threading.get_ident()
    lock = threading.Lock()
    state = {"active": True, "fired": False}

    def fire() -> None:
        with lock:
            if state["active"]:
                state["fired"] = True
                _set_async_exc(target, ArticleTimeout)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["active"] = False
            fired = state["fired"]
    if fired:
        # The exception may still be pending in this thread: let it arrive here rather than
        # clearing it with NULL, which leaves the interpreter's check for it switched on and
        # every later bytecode of the process on its slow path.
        try:
            for _ in range(1000):
                pass
        except ArticleTimeout:
            pass
        raise ArticleTimeout


DEFAULT_ARTICLE_MEMORY_MB = 2048
"""Megabytes of address space an extraction process may add to what it holds when it starts
(an upload's extraction, each worker process of `claims ingest --processes N`)."""


def memory_problem(megabytes: int | None) -> str:
    """The one-line problem of an article whose extraction ran out of its memory budget."""
    limit = f" ({megabytes:,} MB)" if megabytes else ""
    return f"skipped: needed more memory than an article may use{limit}"


def limit_memory(megabytes: int | None) -> None:
    """Cap this process's address space at its current size plus `megabytes` (None or 0: no
    cap), with `resource.setrlimit(RLIMIT_AS)`: past it, allocations fail with MemoryError
    rather than the machine running out. Where the platform has no such limit, nothing."""
    if not megabytes or megabytes <= 0:
        return
    try:
        import resource
    except ImportError:  # not on Unix
        return
    size = _address_space_bytes()
    if size is None:
        return
    limit = size + megabytes * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    with suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space_bytes() -> int | None:
    """This process's virtual size (VmSize), from /proc on Linux; None elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None
