"""Markup read as MediaWiki reads it: tags and templates left open end at their parameter or
cell, offsets stay exact, and infoboxes are found wherever they are wrapped or embedded."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mwparserfromhell.nodes import Tag, Text

from claims.extract import extract_article
from claims.parse import (
    _children,
    infoboxes,
    max_nesting,
    note_definitions,
    param_spans,
    parse,
    render,
    template_name,
    walk,
    wikilinks,
    wikitext,
)

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = sorted(
    [
        *ROOT.glob("seeds/*.wiki"),
        *ROOT.glob("tests/probes/*.wiki"),
        *ROOT.glob("tests/fixtures/*.wiki"),
    ]
)


def params(text: str) -> dict[str, str]:
    code = parse(text)
    (template, start) = next((node, 0) for node in code.filter_templates(recursive=False))
    assert start == 0
    return {name: str(value).strip() for name, value, _ in param_spans(template, start)}


@pytest.mark.parametrize(
    "opener",
    ["<small>", '<span style="color:red">', "<sup>", "<b>", "<i>", "<center>", "<div>"],
)
def test_an_inline_tag_left_open_ends_at_its_parameter(opener: str) -> None:
    closer = "</" + opener[1:].split()[0].rstrip(">") + ">"
    text = (
        "{{Infobox military conflict\n"
        f"| strength1 = 5,000 {opener}(estimate\n"
        "| strength2 = 3,000\n"
        f"| casualties1 = 120 killed{closer}\n"
        "| casualties2 = 40 killed\n}}"
    )
    fields = params(text)
    assert list(fields) == ["strength1", "strength2", "casualties1", "casualties2"]
    assert fields["strength2"] == "3,000"
    assert str(parse(text)) == text


def test_bold_left_open_ends_at_its_line() -> None:
    text = (
        "{{Infobox military conflict\n| strength1 = '''5,000\n| strength2 = 3,000\n"
        "| casualties1 = 120 '''killed'''\n}}"
    )
    fields = params(text)
    assert fields == {
        "strength1": "'''5,000",
        "strength2": "3,000",
        "casualties1": "120 '''killed'''",
    }


def test_an_inline_template_left_open_ends_at_its_line() -> None:
    text = (
        "{{Infobox military conflict\n| strength1 = 5,000 {{small|(estimate)\n"
        "| strength2 = 3,000\n| casualties1 = 120 killed\n}}\nText."
    )
    code = parse(text)
    boxes = infoboxes(code)
    assert [template_name(box) for box, _ in boxes] == ["infobox military conflict"]
    assert list(params(text)) == ["strength1", "strength2", "casualties1"]
    assert str(code) == text


def test_a_tag_left_open_in_a_cell_ends_at_the_cell() -> None:
    text = (
        '{| class="wikitable"\n! Side !! Killed !! Wounded\n|-\n| Rebels || <small>5,000 || 3,000'
        "\n|-\n| Army || 12 || 4 </small>\n|-\n| Civilians || '''7 || 8\n|}"
    )
    rendering = render(parse(text), skip_tables=True)
    (table,) = rendering.tables
    cells = [str(t.contents).strip() for t in table.node.contents.filter_tags() if t.tag == "td"]
    assert cells == [
        "Rebels",
        "<small>5,000",
        "3,000",
        "Army",
        "12",
        "4 </small>",
        "Civilians",
        "'''7",
        "8",
    ]


def test_closed_tags_and_balanced_markup_are_left_as_parsed() -> None:
    text = (
        "{{Infobox military conflict\n| strength1 = 5,000 <small>(est.)</small>\n"
        "| strength2 = '''3,000'''<ref>{{cite web|title=A|url=http://a.b}}</ref>\n}}"
    )
    assert params(text)["strength1"] == "5,000 <small>(est.)</small>"
    small = parse(text).filter_tags(matches=lambda n: n.tag == "small")
    assert len(small) == 1


def test_markup_left_as_text_renders_as_nothing() -> None:
    text = "5,000 <small>(estimate and '''12 killed</span> x < 3 and l''''s"
    rendering = render(parse(text))
    assert rendering.text == "5,000 (estimate and 12 killed x < 3 and l's"
    for i, ch in enumerate(rendering.text):
        assert text[rendering.raw_start(i)] == ch


def test_infoboxes_wrapped_and_embedded_are_found_in_order() -> None:
    text = (
        "{{stack|{{Infobox military conflict\n| conflict = A\n| module = "
        "{{Infobox civilian attack|embed=yes\n| fatalities = 3\n}}\n}}}}\n"
        "<ref>{{Infobox person|name=Not this}}</ref>\n"
        "{{Campaignbox\n| content = {{Infobox civilian attack|child=yes|fatalities=17}}\n}}\n"
        "{| \n| {{Infobox person|name=Nor this}}\n|}"
    )
    found = infoboxes(parse(text))
    assert [template_name(box) for box, _ in found] == [
        "infobox military conflict",
        "infobox civilian attack",
        "infobox civilian attack",
    ]
    for box, start in found:
        assert text[start : start + len(str(box))] == str(box)


_PIECES = st.sampled_from(
    [
        "<small>",
        "</small>",
        "<span>",
        "'''",
        "''",
        "{{",
        "}}",
        "{{small|",
        "\n| a = ",
        "||",
        "\n|-\n| ",
        "5,000",
        " killed",
        "<ref>x</ref>",
        "{|\n",
        "\n|}",
        "{{Infobox x\n| b = ",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=14))
def test_repair_keeps_every_offset(pieces: list[str]) -> None:
    text = "".join(pieces) + " 5 killed."
    for claim in extract_article(text, "Case"):
        assert 0 <= claim.start <= claim.end <= len(text)
    code = parse(text)
    assert str(code) == text
    _same_text(code)
    for box, start in infoboxes(code):
        assert text[start : start + len(str(box))] == str(box)
    rendering = render(code, skip_tables=True)
    for plain_start, raw_start, raw_end, contiguous in rendering.segments:
        assert 0 <= raw_start <= raw_end <= len(text)
        if contiguous:
            size = raw_end - raw_start
            piece = rendering.text[plain_start : plain_start + size]
            assert text[raw_start : raw_start + len(piece)] == piece


def test_notes_are_marked_where_they_stand_and_are_not_citations() -> None:
    text = (
        "A 12.{{efn|Others say 30.<ref>x</ref>}} B 4.{{efn|name=later}} "
        'C 5.<ref group="note">Or 6.</ref> D 7.<ref group="note" name="n2"/>'
    )
    rendering = render(parse(text))
    assert rendering.text == "A 12. B 4. C 5. D 7."
    assert rendering.refs == []
    bodies = [
        (text[n.body_start : n.body_start + len(str(n.body))] if n.body else None, n.name)
        for n in rendering.notes
    ]
    assert bodies == [
        ("Others say 30.<ref>x</ref>", ""),
        (None, "later"),
        ("Or 6.", ""),
        (None, "n2"),
    ]
    assert [text[n.start : n.end][:6] for n in rendering.notes] == ["{{efn|"] * 2 + ["<ref g"] * 2


def test_note_definitions_are_found_by_name_with_their_offsets() -> None:
    text = (
        "Text.{{efn|name=a}}\n{{notelist|notes=\n{{efn\n| name = a\n| Some {{nowrap|300}} more.\n}}"
        '\n}}\n<references group="note">\n<ref group="note" name=\'b\'>Note b: 12.</ref>\n'
        "</references>\n{{efn|name=c}}"
    )
    found = note_definitions(text)
    assert sorted(found) == ["a", "b"]
    for body, start in found.values():
        assert text[start : start + len(str(body))] == str(body)
    assert str(found["a"][0]).strip() == "Some {{nowrap|300}} more."


def _same_text(code) -> int:
    """Check that `wikitext` gives `str()` of every node, parameter and attribute of a tree."""
    checked = 0
    for node in code.ifilter(recursive=True):
        assert wikitext(node) == str(node)
        for part in [*getattr(node, "params", ()), *getattr(node, "attributes", ())]:
            assert wikitext(part) == str(part)
        checked += 1
    assert wikitext(code) == str(code)
    return checked


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_the_wikitext_of_every_node_is_its_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    code = parse(text)
    assert wikitext(code) == text
    assert _same_text(code) > 10


def test_a_repaired_tree_gives_its_text_as_written() -> None:
    # the opener is masked, the text parsed again and the opener put back: the text kept of
    # the masked tree while it was read is not its text
    text = "{{Infobox x\n| a = {{small|5\n| b = 7}} {{"
    code = parse(text)
    assert wikitext(code) == str(code) == text
    _same_text(code)


# -- the walks over a tree: the same nodes, offsets and order as their recursive definitions --


def _walk_by_recursion(code, offset=0, depth=0, descend=None):
    """`walk` as it reads: each node, then each child node list walked one level deeper."""
    if depth > max_nesting():
        return
    pos = offset
    for node in code.nodes:
        text = wikitext(node)
        end = pos + len(text)
        yield node, pos, end
        if not isinstance(node, Text) and (descend is None or descend(node, text)):
            for child, child_start in _children(node, pos):
                yield from _walk_by_recursion(child, child_start, depth + 1, descend)
        pos = end


def _no_refs(node, _text: str) -> bool:
    return not (isinstance(node, Tag) and wikitext(node.tag).strip().lower() == "ref")


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_walk_and_wikilinks_follow_the_tree(path: Path) -> None:
    code = parse(path.read_text(encoding="utf-8"))
    for descend in (None, _no_refs):
        for depth in (0, max_nesting() - 1):
            expected = [(id(n), a, b) for n, a, b in _walk_by_recursion(code, 0, depth, descend)]
            assert [(id(n), a, b) for n, a, b in walk(code, 0, depth, descend)] == expected
    # every offset is where the node's text stands in the article
    text = wikitext(code)
    for node, start, end in walk(code):
        assert text[start:end] == wikitext(node)
    assert [id(link) for link in wikilinks(code)] == [id(x) for x in code.filter_wikilinks()]


def test_walk_stops_at_the_nesting_limit() -> None:
    code = parse("{{a|" * 5 + "[[x]]" + "}}" * 5)
    deep = list(walk(code, 0, max_nesting() - 2))
    assert len(deep) < len(list(walk(code)))
    assert deep == list(_walk_by_recursion(code, 0, max_nesting() - 2))
