"""Markup left open in numbers: tags, comments and bracketed links that nothing closes are read
as text, and when an article leaves more of them open than markup may nest, they are masked
before the parse (which would otherwise try each one to the end of the text, a cost that grows
with the square of their number)."""

from __future__ import annotations

import pytest

import claims.parse as parse_module
from claims.extract import extract
from claims.parse import _unclosed_markup, max_nesting, parse


def test_paired_tags_comments_and_links_are_closed() -> None:
    text = (
        "<small>a <small>b</small> c</small> <ref name=x>r</ref> <ref name=y/> <br> "
        "<!-- note --> [http://example.org site] <li>item"
    )
    assert _unclosed_markup(text) == []


def test_openers_left_open_are_found_where_they_are() -> None:
    text = "<small>a</small> <small>b <div>c\n[http://example.org no end\n] <!-- open"
    found = _unclosed_markup(text)
    assert [text[at : at + 4] for at in found] == ["<sma", "<div", "[htt", "<!--"]
    assert found == sorted(found)


def test_a_closing_tag_closes_the_innermost_opener_of_its_name() -> None:
    text = "<span>1 <span>2</span>"
    assert _unclosed_markup(text) == [0]


def test_markup_inside_a_comment_is_not_markup() -> None:
    assert _unclosed_markup("<!-- <small> [http://x --> text") == []


def test_every_comment_opened_after_one_left_open_is_open() -> None:
    text = "a <!-- b <!-- c"
    assert _unclosed_markup(text) == [2, 9]


def _parsed_texts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = parse_module.parse_wikitext

    def recording(text, *args, **kwargs):
        seen.append(str(text))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(parse_module, "parse_wikitext", recording)
    return seen


@pytest.mark.parametrize(
    "opener", ["<small>", "<ref name=a>", "<!--", "[http://example.org", "<div>"]
)
def test_many_openers_left_open_are_masked_before_the_parse(
    opener: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = max_nesting() * 5
    text = "30 soldiers were killed." + opener * count + " 12 tanks were destroyed.\n"
    seen = _parsed_texts(monkeypatch)
    code = parse(text)
    assert seen, "the text was parsed"
    assert all(parsed.count(opener) == 0 for parsed in seen)
    assert str(code) == text  # the masks are put back: the same text, at the same offsets


def test_a_few_openers_left_open_are_left_to_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "30 soldiers were killed.<small> 12 tanks were destroyed.\n"
    seen = _parsed_texts(monkeypatch)
    parse(text)
    assert seen[0] == text


def test_figures_beside_many_open_tags_are_read_with_their_quotes() -> None:
    text = (
        "30 soldiers were killed." + "<small>" * (max_nesting() * 5) + " 12 tanks were destroyed.\n"
    )
    result = extract(text)
    values = sorted(c.value_low for c in result.claims)
    assert values == [12, 30]
    for claim in result.claims:
        assert claim.quote.replace(" ", "") in text.replace(" ", "")
