"""Errors that name the input and the problem in one line."""

from __future__ import annotations


class CounterclaimError(Exception):
    """Base class of the errors this package raises on purpose."""


class ArticleError(CounterclaimError, ValueError):
    """An input that cannot be read as a wikitext article (empty, binary, not UTF-8...)."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class DataFileError(CounterclaimError):
    """A knowledge file of the package (sources, topics, numbers) is missing or malformed."""
