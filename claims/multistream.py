"""Multistream bz2 dumps read in parallel through their index.

Wikipedia publishes `pages-articles-multistream.xml.bz2` with an index,
`pages-articles-multistream-index.txt.bz2`, whose lines are `offset:pageid:title`: the dump is a
series of standalone bz2 streams (a header holding `<siteinfo>`, then streams of about 100
pages each, then one holding the closing tag), and each line gives the byte offset of the stream
holding its page. The distinct offsets split the dump into ranges of whole streams that any
process can read by itself: it opens the file, seeks to the range's first byte, expands its
streams and reads their pages with the same bounded parser as a whole dump (`claims.dumps`,
with its limits and its decompression-bomb check counted on the range), the fragment wrapped
as `<mediawiki>…</mediawiki>`.
"""

from __future__ import annotations

import bz2
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from claims.dumps import CHUNK_BYTES, DumpPage, read_dump_chunks
from claims.errors import ArticleError

INDEX_SUFFIXES = ("-index.txt.bz2", "-index.txt")
STREAMS_PER_RANGE = 25
"""Streams (of about 100 pages each) read by one task: small enough that the tasks of a dump
far outnumber the workers (an even load, a cheap retry), large enough that a task's start-up
costs little beside its reading."""
_MAGIC = b"BZh"
_CLOSE = b"</mediawiki>"
_HOLD = 64  # expanded bytes held back, to drop the dump's closing tag from the last range


@dataclass(frozen=True, slots=True)
class StreamRange:
    """Bytes [start, end) of a multistream dump: whole bz2 streams of pages."""

    start: int
    end: int
    streams: int


def index_for(dump: str | Path) -> Path | None:
    """The index beside a multistream dump, found by name (`X.xml.bz2` -> `X-index.txt.bz2`,
    or `X-index.txt`); None when there is none."""
    dump = Path(dump)
    name = dump.name
    if not name.lower().endswith(".xml.bz2"):
        return None
    stem = name[: -len(".xml.bz2")]
    for suffix in INDEX_SUFFIXES:
        candidate = dump.with_name(stem + suffix)
        if candidate.is_file():
            return candidate
    return None


def read_offsets(index: str | Path) -> list[int]:
    """The distinct stream offsets of a multistream index, in increasing order.

    Raises `ArticleError` naming the index when it cannot be read or a line is not
    `offset:pageid:title`.
    """
    index = Path(index)
    opener = bz2.open if index.name.lower().endswith(".bz2") else open
    offsets: list[int] = []
    previous = b""
    try:
        with opener(index, "rb") as lines:  # type: ignore[operator]
            for number, line in enumerate(lines, start=1):
                head, colon, rest = line.partition(b":")
                if head == previous and colon:
                    continue
                if not colon or not head.isdigit() or b":" not in rest:
                    raise ArticleError(
                        str(index), f"line {number} is not offset:pageid:title, as an index holds"
                    )
                previous = head
                offsets.append(int(head))
    except OSError as exc:
        raise ArticleError(str(index), f"cannot be read ({exc.strerror or exc})") from None
    except EOFError as exc:
        raise ArticleError(str(index), f"cannot be read to the end ({exc})") from None
    if not offsets:
        raise ArticleError(str(index), "is an empty index")
    return sorted(set(offsets))


def stream_ranges(
    offsets: list[int], size: int, streams: int = STREAMS_PER_RANGE
) -> list[StreamRange]:
    """The dump's bytes from its first indexed stream to its end, cut at the index's offsets
    into ranges of `streams` streams (the last range runs to the end of the file, so it holds
    the closing stream too)."""
    starts = [o for o in offsets if o < size]
    cuts = starts[::streams]
    ends = [*cuts[1:], size]
    return [
        StreamRange(start, end, len(starts[i * streams : (i + 1) * streams]))
        for i, (start, end) in enumerate(zip(cuts, ends, strict=True))
    ]


def check_index(dump: str | Path, offsets: list[int], index: str | Path) -> None:
    """ArticleError when the index cannot be the dump's: an offset beyond the file, or no bz2
    stream at its first offset (an index of another dump, or a dump that is not multistream)."""
    dump = Path(dump)
    size = dump.stat().st_size
    if offsets[-1] >= size or offsets[0] <= 0:
        raise ArticleError(
            str(index), f"does not fit {dump.name} (offset {offsets[-1]:,} of a {size:,}-byte file)"
        )
    with dump.open("rb") as raw:
        raw.seek(offsets[0])
        if raw.read(3) != _MAGIC:
            raise ArticleError(
                str(index), f"does not fit {dump.name} (no bz2 stream at offset {offsets[0]:,})"
            )


def read_range(path: str | Path, part: StreamRange, name: str | None = None) -> Iterator[DumpPage]:
    """The main-namespace pages of one range of a multistream dump, in dump order.

    Raises `ArticleError` naming the range (`dump.xml.bz2 (bytes A-B)`) when its streams are
    damaged or refused; the pages before are yielded first.
    """
    label = f"{name or path} (bytes {part.start:,}-{part.end:,})"

    def compressed() -> int:
        return consumed

    consumed = 0

    def chunks() -> Iterator[bytes]:
        nonlocal consumed
        yield b"<mediawiki>"
        held = b""
        with open(path, "rb") as raw:
            raw.seek(part.start)
            if raw.read(3) != _MAGIC:
                raise OSError("no bz2 stream starts there")
            raw.seek(part.start)
            left = part.end - part.start
            inflate = bz2.BZ2Decompressor()
            pending = b""  # compressed bytes read and not yet given to a decompressor
            while True:
                if inflate.eof:  # a stream ends: the next one starts in its unused bytes
                    pending = inflate.unused_data
                    if not pending and not left:
                        break
                    inflate = bz2.BZ2Decompressor()
                if not pending:
                    if not left:
                        raise EOFError("the range ends inside a bz2 stream")
                    pending = raw.read(min(CHUNK_BYTES, left))
                    if not pending:
                        raise EOFError("the file ends inside the range")
                    left -= len(pending)
                    consumed += len(pending)
                out = inflate.decompress(pending, CHUNK_BYTES)
                pending = b""
                while True:
                    if out:
                        block = held + out
                        held, out = block[-_HOLD:], block[:-_HOLD]
                        if out:
                            yield out
                    if inflate.eof or inflate.needs_input:
                        break
                    out = inflate.decompress(b"", CHUNK_BYTES)
        tail = held.rstrip()
        if tail.endswith(_CLOSE):  # the dump's closing tag, in its last stream
            held = tail[: -len(_CLOSE)]
        yield held + b"</mediawiki>"

    return read_dump_chunks(chunks(), label, compressed=compressed)


HEADER = (
    '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11">\n'
    "<siteinfo><sitename>Generated</sitename></siteinfo>\n"
)


def write_multistream(
    dump: str | Path,
    pages: Iterable[tuple[int, str, str]],
    per_stream: int = 100,
) -> Path:
    """Write a multistream dump and its index as Wikipedia lays them out (a header stream, one
    stream per `per_stream` pages, a closing stream), from (page id, title, `<page>` XML) items;
    the index's path. For benchmarks and tests."""
    dump = Path(dump)
    index = dump.with_name(dump.name[: -len(".xml.bz2")] + INDEX_SUFFIXES[0])
    with dump.open("wb") as out, bz2.open(index, "wt", encoding="utf-8") as listing:
        out.write(bz2.compress(HEADER.encode("utf-8")))
        batch: list[tuple[int, str, str]] = []

        def flush() -> None:
            offset = out.tell()
            out.write(bz2.compress("".join(xml + "\n" for _, _, xml in batch).encode("utf-8")))
            listing.writelines(f"{offset}:{page_id}:{title}\n" for page_id, title, _ in batch)
            batch.clear()

        for item in pages:
            batch.append(item)
            if len(batch) >= per_stream:
                flush()
        if batch:
            flush()
        out.write(bz2.compress(b"</mediawiki>\n"))
    return index
