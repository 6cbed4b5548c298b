"""Reading dumps with bounded memory: decompression bombs, pages and tags over their limits."""

from __future__ import annotations

import bz2
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_ingest import SMALL, page, write_dump

from claims.dumps import CHUNK_BYTES, dump_limits, read_dump
from claims.extract import MAX_ARTICLE_BYTES

ROOT = Path(__file__).parent.parent
HEADER = '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11">\n'


def raids(count: int, first: int = 0) -> list[str]:
    return [
        page(f"Raid {i}", SMALL.format(n=10 + i, i=i), rev=10 + i)
        for i in range(first, first + count)
    ]


def write_bomb(path: Path, before: list[str], expanded: int, after: list[str]) -> Path:
    """A .xml.bz2 whose page "Bomb" holds `expanded` bytes of one letter, between the pages
    `before` and `after`. The letters are compressed once, 16 MiB fed to the compressor a
    piece at a time, and that stream repeated (bz2 readers read concatenated streams): the
    file stays a few KB and is built in about a second, whatever it expands to."""
    piece = 16 << 20
    compressor = bz2.BZ2Compressor(9)
    parts = [compressor.compress(b"a" * (1 << 20)) for _ in range(piece >> 20)]
    letters = b"".join(parts) + compressor.flush()
    opening = HEADER + "\n".join(before) + "\n<page><title>Bomb</title><ns>0</ns><id>99</id>"
    opening += '<revision><id>99</id><text xml:space="preserve">'
    closing = "</text></revision></page>\n" + "\n".join(after) + "\n</mediawiki>\n"
    with path.open("wb") as out:
        out.write(bz2.compress(opening.encode()))
        for _ in range(expanded // piece):
            out.write(letters)
        out.write(bz2.compress(closing.encode()))
    return path


READ_IN_CHILD = """
import json, resource, sys
from claims.dumps import read_dump
from claims.errors import ArticleError
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
items = []
try:
    for page in read_dump(sys.argv[1]):
        problem = {"problem": [page.title, page.problem]}
        items.append(problem if page.problem else {"title": page.title})
except ArticleError as exc:
    items.append({"problem": [exc.path, exc.problem]})
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"items": items, "grown_kb": grown}))
"""


def read_in_child(path: Path) -> dict:
    """The pages of the dump `path` (and its problems), and how much the peak memory of the reading
    process grew while it read (a process of its own, so that the peak is this reading's)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", READ_IN_CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_bz2_bomb_is_refused_in_one_line_with_bounded_memory_keeping_the_pages_before(
    tmp_path: Path,
) -> None:
    bomb = write_bomb(tmp_path / "bomb.xml.bz2", raids(3), 1 << 30, raids(1, first=3))
    assert bomb.stat().st_size < 20_000  # a 1 GiB page in a few KB
    result = read_in_child(bomb)
    items = result["items"]
    assert [i["title"] for i in items[:3]] == ["Raid 0", "Raid 1", "Raid 2"]
    assert len(items) == 4  # the bomb ends the dump: what follows it is not read
    path, problem = items[3]["problem"]
    assert path == str(bomb)
    assert problem.startswith("refused: it expands more than 100 times its compressed size")
    assert "\n" not in problem
    # refused long before the page is expanded: far less memory than the page grows by
    assert result["grown_kb"] < 200 * 1024


def test_a_page_over_the_limit_is_reported_without_being_held_and_the_next_one_read(
    tmp_path: Path,
) -> None:
    huge = "x" * (MAX_ARTICLE_BYTES + CHUNK_BYTES * 3)  # over the limit, under the ratio floor
    dump = write_dump(tmp_path / "huge.xml", [*raids(1), page("Huge", huge), *raids(1, first=1)])
    result = read_in_child(dump)
    items = result["items"]
    assert [i.get("title") for i in items] == ["Raid 0", None, "Raid 1"]
    title, problem = items[1]["problem"]
    assert title == "Huge"
    assert problem == f"is too large ({len(huge):,} characters; the limit is {MAX_ARTICLE_BYTES:,})"
    # the page's 8 MiB text is never held whole (as text it would take at least its size)
    pages = list(read_dump(dump))
    assert [(p.title, p.problem != "", len(p.text)) for p in pages][1] == ("Huge", True, 0)


def test_a_small_file_that_compresses_well_is_not_refused(tmp_path: Path) -> None:
    # a ratio far beyond the limit, but below the floor: an honest file of repeated text
    text = SMALL.format(n=12, i=0) + " Same words." * 200_000
    dump = write_dump(tmp_path / "repetitive.xml.bz2", [page("Raid", text)])
    size = dump.stat().st_size
    assert len(text) / size > dump_limits().max_ratio
    assert [p.title for p in read_dump(dump)] == ["Raid"]


def test_a_tag_longer_than_the_limit_is_refused(tmp_path: Path) -> None:
    dump = tmp_path / "tag.xml"
    long_tag = "<page " + "a" * (dump_limits().max_tag_bytes + CHUNK_BYTES) + "/>"
    dump.write_text(HEADER + "\n".join(raids(1)) + long_tag + "</mediawiki>", encoding="utf-8")
    result = read_in_child(dump)
    assert result["items"][0] == {"title": "Raid 0"}
    path, problem = result["items"][1]["problem"]
    assert path == str(dump) and problem.startswith("refused: it holds a tag longer than")
    assert result["grown_kb"] < 200 * 1024


def test_an_entity_declaration_is_refused(tmp_path: Path) -> None:
    dump = tmp_path / "entities.xml"
    dump.write_text(
        '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa">]>' + HEADER + "</mediawiki>",
        encoding="utf-8",
    )
    with pytest.raises(Exception, match="declares an XML entity"):
        list(read_dump(dump))
