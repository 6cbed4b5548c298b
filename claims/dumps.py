"""MediaWiki XML exports (`.xml`, `.xml.bz2`), read as a stream of main-namespace articles.

The dump is parsed incrementally and each page is cleared once read, so memory stays flat
however large the dump. Redirects and pages outside the main namespace are skipped.
"""

from __future__ import annotations

import bz2
import gzip
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from claims.errors import ArticleError

DUMP_SUFFIXES = (".xml", ".xml.bz2", ".xml.gz")


@dataclass(frozen=True, slots=True)
class DumpPage:
    """One main-namespace article of a dump."""

    title: str
    text: str
    revision: str  # the dump's revision id ("" when absent)


def is_dump(path: Path) -> bool:
    return path.name.lower().endswith(DUMP_SUFFIXES)


def _open(path: Path) -> io.BufferedIOBase:
    name = path.name.lower()
    if name.endswith(".bz2"):
        return bz2.open(path, "rb")  # type: ignore[return-value]
    if name.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_dump(path: str | Path) -> Iterator[DumpPage]:
    """Main-namespace, non-redirect pages of a MediaWiki export, in dump order.

    Raises `ArticleError` naming the file when it is not a readable MediaWiki export.
    """
    path = Path(path)
    try:
        stream = _open(path)
    except OSError as exc:
        raise ArticleError(str(path), exc.strerror or str(exc)) from None
    with stream:
        yield from read_dump_stream(stream, str(path))


def read_dump_stream(stream: BinaryIO, name: str) -> Iterator[DumpPage]:
    """The pages of a MediaWiki export read from an open binary stream (uncompressed)."""
    try:
        context = ET.iterparse(stream, events=("start", "end"))
        root = None
        for event, element in context:
            if root is None:
                root = element
                if _local(element.tag) != "mediawiki":
                    raise ArticleError(name, "is not a MediaWiki XML export")
                continue
            if event != "end" or _local(element.tag) != "page":
                continue
            page = _page(element)
            element.clear()
            root.clear()  # drop the references the root keeps to finished pages
            if page is not None:
                yield page
    except ET.ParseError as exc:
        raise ArticleError(name, f"is not well-formed XML ({exc})") from None
    except (EOFError, OSError) as exc:
        raise ArticleError(name, f"cannot be read to the end ({exc})") from None


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


class _Rejoined(io.RawIOBase):
    """A stream whose first bytes were already read: those bytes, then the rest."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def rejoined(head: bytes, rest: BinaryIO, kind: str | None = None) -> BinaryIO:
    """`head` then `rest` as one binary stream, decompressed when `kind` is "bz2" or "gz"."""
    stream: BinaryIO = io.BufferedReader(_Rejoined(head, rest))
    if kind == "bz2":
        return bz2.open(stream, "rb")  # type: ignore[return-value]
    if kind == "gz":
        return gzip.open(stream, "rb")  # type: ignore[return-value]
    return stream


def _page(element: ET.Element) -> DumpPage | None:
    title = ""
    namespace = "0"
    redirect = False
    text = ""
    revision = ""
    for child in element:
        name = _local(child.tag)
        if name == "title":
            title = child.text or ""
        elif name == "ns":
            namespace = (child.text or "0").strip()
        elif name == "redirect":
            redirect = True
        elif name == "revision":  # a history dump holds several: the last one is current
            for part in child:
                part_name = _local(part.tag)
                if part_name == "id":
                    revision = part.text or ""
                elif part_name == "text":
                    text = part.text or ""
    if namespace != "0" or redirect or not title:
        return None
    if text.lstrip()[:9].lower() == "#redirect":
        return None
    return DumpPage(title=title, text=text, revision=revision)
