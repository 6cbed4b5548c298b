"""The node tree built field by field is the library's tree: the same node types with the
same fields, on every real article, on mutated articles, and on the sample it checks itself
against; a builder that disagrees with the library is not used."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import mwparserfromhell
import pytest

from claims import treebuild
from claims.treebuild import _fields, parse_wikitext

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = sorted((ROOT / "tests" / "probes").glob("*.wiki")) + sorted(
    (ROOT / "seeds").glob("*.wiki")
)


def _load_fuzz():
    spec = importlib.util.spec_from_file_location("fuzz", ROOT / "benchmarks" / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("fuzz", module)
    spec.loader.exec_module(module)
    return module


def _same_tree(text: str) -> None:
    ours = parse_wikitext(text)
    theirs = mwparserfromhell.parse(text)
    assert str(ours) == str(theirs)  # the text itself, but for what the tokenizer drops (NUL)
    assert _fields(ours) == _fields(theirs)


def test_the_builder_agrees_with_the_installed_library_and_is_used() -> None:
    assert treebuild._agrees()
    assert type(parse_wikitext("{{a|b=c}}").nodes[0]) is mwparserfromhell.nodes.Template


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_every_real_article_gives_the_library_s_tree(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    _same_tree(text)
    assert str(parse_wikitext(text)) == text


def test_mutated_articles_give_the_library_s_tree() -> None:
    fuzz = _load_fuzz()
    texts = [path.read_text(encoding="utf-8") for path in ARTICLES]
    for index in range(150):
        data, _names = fuzz.mutate(texts, random.Random(f"tree:{index}"), heavy=False)
        if isinstance(data, bytes):
            data = data.decode("utf-8", errors="replace")
        _same_tree(data)


@pytest.mark.parametrize(
    "text",
    [
        "[[a|b|c]]",  # a second separator
        "[http://x.org a [b] c]",
        "{{{a|b|c}}}",
        "<ref name=a/>",
        "<br/ >",
        "<b></b>",
        "== a ==\n====== deep ======\n======= too deep =======",
        "'''''a''' b''",
        "{{a|=b|c=|1=d|e}}",
        "<!-- unclosed",
        "&amp; &#65; &#x41; &bogus;",
        "<div class=\"a\" style=b id='c'>x</div>",
        "{|\n|a||b\n|-\n!c!!d\n|}",
    ],
)
def test_edge_shapes_give_the_library_s_tree(text: str) -> None:
    _same_tree(text)


def test_a_builder_that_makes_another_tree_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    original = treebuild._Builder._handle_comment

    def dropped(self, token):  # a comment's text dropped: not the library's tree
        node = original(self, token)
        node._contents = ""
        return node

    monkeypatch.setitem(treebuild._FAST, mwparserfromhell.parser.tokens.CommentStart, dropped)
    treebuild._agrees.cache_clear()
    try:
        assert not treebuild._agrees()
        comment = parse_wikitext("a <!-- b --> c").nodes[1]
        assert comment.contents == " b "  # the library's builder made it
    finally:
        monkeypatch.undo()
        treebuild._agrees.cache_clear()
    assert treebuild._agrees()
