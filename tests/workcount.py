"""Work counters for tests of growth: a test of how the cost of a function grows with its input
counts operations (lines of the package run, characters read from its text, text given to its
patterns), never the time it took, so that it says the same on any machine under any load."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import claims

_PACKAGE = str(Path(claims.__file__).resolve().parent)


class Work:
    """A tally of operations, shared by the counters below."""

    def __init__(self) -> None:
        self.lines = 0  # lines of the package run
        self.chars = 0  # characters read from a CountingStr, one at a time or in slices
        self.scanned = 0  # characters of text handed to a counted pattern
        self.searches: list[int] = []  # the window of each search or match of a counted pattern

    @property
    def total(self) -> int:
        return self.lines + self.chars + self.scanned


class CountingStr(str):
    """A text that tallies the characters read from it by index or slice (a slice counts its
    length): a function that re-reads the text before each figure reads the square of it."""

    work: Work

    def __new__(cls, text: str, work: Work) -> CountingStr:
        made = super().__new__(cls, text)
        made.work = work
        return made

    def __getitem__(self, key: Any) -> str:  # type: ignore[override]
        part = str.__getitem__(self, key)
        self.work.chars += max(1, len(part))
        return part


class CountingPattern:
    """A compiled pattern that tallies the text each call is given: all of it for a pass over
    the text (finditer, sub, split), and the window (endpos - pos) of each search or match."""

    def __init__(self, pattern: re.Pattern[str], work: Work) -> None:
        self._pattern = pattern
        self._work = work

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pattern, name)

    def _window(self, string: str, pos: int = 0, endpos: int | None = None) -> int:
        end = len(string) if endpos is None else min(endpos, len(string))
        return max(0, end - pos)

    def _searched(self, method: str, string: str, *args: Any, **kwargs: Any) -> Any:
        window = self._window(string, *args, **kwargs)
        self._work.scanned += window
        self._work.searches.append(window)
        return getattr(self._pattern, method)(string, *args, **kwargs)

    def search(self, string: str, *args: Any, **kwargs: Any) -> Any:
        return self._searched("search", string, *args, **kwargs)

    def match(self, string: str, *args: Any, **kwargs: Any) -> Any:
        return self._searched("match", string, *args, **kwargs)

    def fullmatch(self, string: str, *args: Any, **kwargs: Any) -> Any:
        return self._searched("fullmatch", string, *args, **kwargs)

    def _passed(self, method: str, string: str, *args: Any, **kwargs: Any) -> Any:
        self._work.scanned += len(string)
        return getattr(self._pattern, method)(string, *args, **kwargs)

    def finditer(self, string: str, *args: Any, **kwargs: Any) -> Any:
        return self._passed("finditer", string, *args, **kwargs)

    def findall(self, string: str, *args: Any, **kwargs: Any) -> Any:
        return self._passed("findall", string, *args, **kwargs)

    def split(self, string: str, *args: Any, **kwargs: Any) -> Any:
        return self._passed("split", string, *args, **kwargs)

    def sub(self, repl: Any, string: str, *args: Any, **kwargs: Any) -> Any:
        self._work.scanned += len(string)
        return self._pattern.sub(repl, string, *args, **kwargs)


def count_patterns(monkeypatch: Any, module: Any, work: Work) -> None:
    """Every compiled pattern a module holds at its top level tallies its calls in `work`."""
    for name, value in list(vars(module).items()):
        if isinstance(value, re.Pattern):
            monkeypatch.setattr(module, name, CountingPattern(value, work))


def count_lines(work: Work, call: Callable[[], Any]) -> Any:
    """Run `call`, tallying in `work` each line of the package it runs (a loop's line once per
    turn, so a scan of every figure for each figure shows as the square of the figures)."""

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line":
            work.lines += 1
        return local

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        if frame.f_code.co_filename.startswith(_PACKAGE):
            work.lines += 1
            return local
        return None

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        return call()
    finally:
        sys.settrace(previous)
