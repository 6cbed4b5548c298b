"""MediaWiki XML exports (`.xml`, `.xml.bz2`, `.xml.gz`), read as a stream of main-namespace pages.

The dump is fed to the XML parser in pieces of 64 KiB, and only the fields of a page that are
kept (title, namespace, revision id and timestamp, text) are collected, each within a limit
counted as it grows: a page's text is never held beyond the article limit, and a page over it
is reported as too large without being held. A compressed dump that expands far more than
its compressed size (`claims/data/dumps.toml`) is refused as a decompression bomb once past a
floor, and so is a tag longer than a limit; the pages read before are kept. Memory stays flat
however large the dump or its pages. Redirects and pages outside the main namespace are skipped.
"""

from __future__ import annotations

import bz2
import gzip
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import BinaryIO
from xml.parsers import expat

from claims.errors import ArticleError, DataFileError

DUMP_SUFFIXES = (".xml", ".xml.bz2", ".xml.gz")
CHUNK_BYTES = 1 << 16
"""How much of the expanded dump is given to the XML parser at a time."""


@dataclass(frozen=True, slots=True)
class DumpPage:
    """One main-namespace article of a dump, or the problem that kept it from being read."""

    title: str
    text: str
    revision: str  # the dump's revision id ("" when absent)
    problem: str = ""  # why the page was not read (its text is then empty)
    timestamp: str = ""  # the revision's <timestamp> as written ("" when absent)


@dataclass(frozen=True, slots=True)
class DumpLimits:
    """The limits of `claims/data/dumps.toml`, with the article limit for a page's text."""

    max_ratio: float
    ratio_floor_bytes: int
    max_tag_bytes: int
    max_field_chars: int
    max_text_chars: int


@cache
def dump_limits() -> DumpLimits:
    """The limits on reading dumps; DataFileError when the data file holds no usable value."""
    from claims.extract import MAX_ARTICLE_BYTES
    from claims.knowledge import load_data

    data = load_data("dumps.toml")
    values = {}
    for key in ("max_ratio", "ratio_floor_bytes", "max_tag_bytes", "max_field_chars"):
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise DataFileError(f"claims/data/dumps.toml: {key} must be a positive number")
        values[key] = value if key == "max_ratio" else int(value)
    return DumpLimits(**values, max_text_chars=MAX_ARTICLE_BYTES)


def is_dump(path: Path) -> bool:
    return path.name.lower().endswith(DUMP_SUFFIXES)


def _kind_of(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(".bz2"):
        return "bz2"
    if name.endswith(".gz"):
        return "gz"
    return None


def read_dump(path: str | Path) -> Iterator[DumpPage]:
    """Main-namespace, non-redirect pages of a MediaWiki export, in dump order.

    Raises `ArticleError` naming the file when it is not a readable MediaWiki export, or when
    it is refused (a decompression bomb, a tag over the limit); the pages before are yielded
    first. A page over a limit is yielded with its `problem`.
    """
    path = Path(path)
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise ArticleError(str(path), exc.strerror or str(exc)) from None
    with raw:
        stream, compressed = open_stream(b"", raw, _kind_of(path))
        with stream:
            yield from read_dump_stream(stream, str(path), compressed=compressed)


def read_dump_stream(
    stream: BinaryIO, name: str, *, compressed: Callable[[], int] | None = None
) -> Iterator[DumpPage]:
    """The pages of a MediaWiki export read from an open binary stream (uncompressed).

    `compressed`, when given, tells how many compressed bytes the stream has consumed so far:
    the expanded size is then checked against it (see `DumpLimits`).
    """
    return read_dump_chunks(
        iter(lambda: stream.read(CHUNK_BYTES), b""), name, compressed=compressed
    )


def read_dump_chunks(
    chunks: Iterator[bytes], name: str, *, compressed: Callable[[], int] | None = None
) -> Iterator[DumpPage]:
    """The pages of a MediaWiki export given as pieces of its (uncompressed) bytes; an error
    raised while the pieces are made (a damaged compressed stream) names `name` like any other
    (see `read_dump_stream`)."""
    limits = dump_limits()
    pages = _PageReader(name, limits)
    expanded = 0
    try:
        for chunk in chunks:
            expanded += len(chunk)
            pages.feed(chunk)
            yield from pages.take()
            if compressed is not None and expanded > limits.ratio_floor_bytes:
                packed = max(compressed(), 1)
                if expanded > limits.max_ratio * packed:
                    raise ArticleError(
                        name,
                        f"refused: it expands more than {limits.max_ratio:g} times its "
                        f"compressed size ({_size(expanded)} from {_size(packed)} read so far), "
                        "as a decompression bomb does",
                    )
        pages.close()
        yield from pages.take()
    except expat.ExpatError as exc:
        raise ArticleError(name, f"is not well-formed XML ({exc})") from None
    except (EOFError, OSError) as exc:
        raise ArticleError(name, f"cannot be read to the end ({exc})") from None


def _size(count: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} bytes"


class _PageReader:
    """Pages out of an XML stream fed in pieces: each kept field is collected within its
    limit, so no page is held larger than the limits however large it is in the dump."""

    def __init__(self, name: str, limits: DumpLimits) -> None:
        self.name = name
        self.limits = limits
        self.done: list[DumpPage] = []
        self.stack: list[str] = []
        self.fed = 0
        self.count = 0  # pages met, to name a page whose title could not be read
        self._new_page()
        parser = expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        parser.buffer_size = CHUNK_BYTES
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._data
        parser.EntityDeclHandler = self._entity
        self.parser = parser

    def _new_page(self) -> None:
        self.title = ""
        self.namespace = "0"
        self.redirect = False
        self.text = ""
        self.revision = ""
        self.timestamp = ""
        self.problem = ""
        self.field: str | None = None
        self.parts: list[str] = []
        self.size = 0
        self.limit = 0

    def feed(self, chunk: bytes) -> None:
        self.fed += len(chunk)
        self.parser.Parse(chunk, False)
        pending = self.fed - self.parser.CurrentByteIndex  # a token not yet complete
        if pending > self.limits.max_tag_bytes:
            raise ArticleError(
                self.name,
                f"refused: it holds a tag longer than {self.limits.max_tag_bytes:,} bytes",
            )

    def close(self) -> None:
        self.parser.Parse(b"", True)

    def take(self) -> list[DumpPage]:
        done, self.done = self.done, []
        return done

    def _entity(self, name: str, *args: object) -> None:
        raise ArticleError(self.name, f"refused: it declares an XML entity ({name})")

    def _collect(self, field: str, limit: int) -> None:
        self.field = field
        self.parts = []
        self.size = 0
        self.limit = limit

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        name = tag.rsplit("}", 1)[-1]
        depth = len(self.stack)
        self.stack.append(name)
        if depth == 0:
            if name != "mediawiki":
                raise ArticleError(self.name, "is not a MediaWiki XML export")
        elif depth == 1:
            if name == "page":
                self.count += 1
                self._new_page()
        elif self.stack[1] != "page":
            return
        elif depth == 2:
            if name in ("title", "ns"):
                self._collect(name, self.limits.max_field_chars)
            elif name == "redirect":
                self.redirect = True
        elif depth == 3 and self.stack[2] == "revision":
            # a history dump holds several revisions: the last one is current
            if name in ("id", "timestamp"):
                self._collect(name, self.limits.max_field_chars)
            elif name == "text" and self.namespace == "0" and not self.redirect:
                self._collect(name, self.limits.max_text_chars)

    def _data(self, data: str) -> None:
        if self.field is None:
            return
        self.size += len(data)
        if self.size <= self.limit:
            self.parts.append(data)
        elif self.parts:
            self.parts = []  # over the limit: nothing of it is kept

    def _end(self, tag: str) -> None:
        name = self.stack.pop()
        depth = len(self.stack)
        if self.field is not None and name == self.field:
            self._store_field()
        if depth == 1 and name == "page":
            page = self._finish()
            if page is not None:
                self.done.append(page)

    def _store_field(self) -> None:
        field, size, limit = self.field, self.size, self.limit
        value = "".join(self.parts) if size <= limit else None
        self.field = None
        self.parts = []
        if field == "text":
            self.text = value or ""
            self.problem = (
                ""
                if value is not None
                else f"is too large ({size:,} characters; the limit is {limit:,})"
            )
        elif value is None:
            self.problem = f"has a <{field}> longer than {limit:,} characters"
        elif field == "title":
            self.title = value
        elif field == "ns":
            self.namespace = value.strip() or "0"
        elif field == "timestamp":
            self.timestamp = value.strip()
        else:
            self.revision = value

    def _finish(self) -> DumpPage | None:
        if self.namespace != "0" or self.redirect:
            return None
        if self.problem:
            return DumpPage(
                self.title or f"page {self.count}",
                "",
                self.revision,
                self.problem,
                timestamp=self.timestamp,
            )
        if not self.title or self.text.lstrip()[:9].lower() == "#redirect":
            return None
        return DumpPage(
            title=self.title, text=self.text, revision=self.revision, timestamp=self.timestamp
        )


SNIFF_BYTES = 4096
_BZ2_MAGIC = re.compile(rb"BZh[1-9](?:1AY&SY|\x17rE8P\x90)")  # a block, or the end of a stream
"""How much of a stream is read to tell a dump from an article."""


def dump_kind(head: bytes) -> str | None:
    """What the first bytes of a stream are: "bz2" or "gz" (compressed, taken for a dump),
    "xml" (a MediaWiki export), or None (anything else: an article)."""
    if _BZ2_MAGIC.match(head):
        return "bz2"
    if head.startswith(b"\x1f\x8b"):
        return "gz"
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if start.startswith(b"<?xml") or start[:10].lower() == b"<mediawiki":
        return "xml"
    return None


class _Counting(io.RawIOBase):
    """A stream whose first bytes were already read: those bytes, then the rest; it counts the
    bytes read through it (a compressed dump's consumed size)."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            self.count += n
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


def open_stream(
    head: bytes, rest: BinaryIO, kind: str | None = None
) -> tuple[BinaryIO, Callable[[], int] | None]:
    """`head` then `rest` as one binary stream, decompressed when `kind` is "bz2" or "gz", with
    a function telling how many compressed bytes it has consumed (None when not compressed)."""
    counting = _Counting(head, rest)
    stream: BinaryIO = io.BufferedReader(counting)
    if kind == "bz2":
        return bz2.open(stream, "rb"), lambda: counting.count  # type: ignore[return-value]
    if kind == "gz":
        return gzip.open(stream, "rb"), lambda: counting.count  # type: ignore[return-value]
    return stream, None


def rejoined(head: bytes, rest: BinaryIO, kind: str | None = None) -> BinaryIO:
    """`head` then `rest` as one binary stream, decompressed when `kind` is "bz2" or "gz"."""
    return open_stream(head, rest, kind)[0]
