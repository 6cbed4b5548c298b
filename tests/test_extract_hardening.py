"""Bad and hostile articles: a clear error or a partial result, never a crash or a hang."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.errors import ArticleError
from claims.extract import MAX_ARTICLE_BYTES, decode_article, extract, extract_article, load_paths
from claims.parse import nesting_problem

SEED = Path(__file__).parent.parent / "seeds" / "battle-of-aleppo-2024.wiki"

WIKI_PIECES = [
    "{{",
    "}}",
    "[[",
    "]]",
    "<ref>",
    "</ref>",
    "<ref name=a/>",
    '<ref name="a">',
    "{{cite web|title=12 killed|work=Reuters}}",
    "{{Infobox military conflict\n| casualties1 = ",
    "\n| strength2 = ",
    "|",
    "=",
    "\n== Section ==\n",
    "'''",
    "<br />",
    "{{flagicon|Syria}}",
    " 30 soldiers were killed",
    " dozens of civilians died",
    " between 10 and 20 ",
    " about 1,500 fighters",
    " on 3 May 2020",
    " in Aleppo",
    ". ",
    "\n",
    "<!--",
    "-->",
    "{{reflist|refs=",
    "<nowiki>",
    "&nbsp;",
    "\n{| class=wikitable\n! Side !! Killed\n",
    "\n|-\n| ",
    " || ",
    " rowspan=3 | ",
    "\n|}\n",
    "<table><tr><td>",
]


def _alnum(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def _check_claims(text: str) -> None:
    for claim in extract(text, "Generated").claims:
        if claim.value_low is not None and claim.value_high is not None:
            assert claim.value_low <= claim.value_high
        assert claim.value_text
        assert 0 <= claim.start <= claim.end <= len(text)
        if claim.origin == "citation_title":
            assert text[claim.start : claim.end].strip() or not claim.quote
        elif claim.origin == "table":
            # a table quote is "row label — column label: cell"; the offsets are the cell's
            raw = iter(_alnum(text[claim.start : claim.end]))
            assert all(ch in raw for ch in _alnum(claim.value_text))
        else:
            assert claim.value_text in claim.quote
            # the quote's letters and digits are, in order, in the wikitext at its offsets
            # (markup, refs and link trails sit between them there)
            raw = iter(_alnum(text[claim.start : claim.end]))
            assert all(ch in raw for ch in _alnum(claim.quote))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(WIKI_PIECES), min_size=1, max_size=40))
def test_generated_wikitext_never_raises_and_quotes_sit_at_their_offsets(
    pieces: list[str],
) -> None:
    text = "".join(pieces)
    if not text.strip():
        return
    _check_claims(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_seed_never_raises(data: st.DataObject) -> None:
    text = SEED.read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(1, 5))):
        at = data.draw(st.integers(0, len(text)))
        span = data.draw(st.integers(0, 400))
        insert = data.draw(st.sampled_from(["", *WIKI_PIECES]))
        text = text[:at] + insert + text[at + span :]
    if text.strip():
        _check_claims(text)


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=300))
def test_arbitrary_text_never_raises(text: str) -> None:
    with contextlib.suppress(ArticleError):
        extract_article(text)


def test_huge_article_is_refused_with_its_size(tmp_path: Path) -> None:
    huge = tmp_path / "huge.wiki"
    with huge.open("wb") as out:
        line = b"On 3 May 2020, 30 soldiers were killed in the town.\n"
        out.write(line * (50 * 1024 * 1024 // len(line) + 1))
    start = time.perf_counter()
    result = load_paths([huge])
    assert time.perf_counter() - start < 5
    assert len(result.problems) == 1
    assert "too large" in result.problems[0].message
    assert f"{MAX_ARTICLE_BYTES:,}" in result.problems[0].message


def test_deeply_nested_templates_are_refused_at_once() -> None:
    text = "{{a|" * 3000 + "30 soldiers were killed" + "}}" * 3000
    start = time.perf_counter()
    with pytest.raises(ArticleError) as caught:
        extract_article(text)
    assert caught.value.problem == nesting_problem("templates")
    assert time.perf_counter() - start < 20


def test_ref_loop_and_unclosed_refs_are_warnings_not_errors() -> None:
    text = (
        '<ref name="a"><ref name="b"/></ref><ref name="b"><ref name="a"/></ref>'
        "In the attack, 30 soldiers were killed.<ref name=a/> <ref>unclosed"
    )
    result = extract(text, "Loop")
    assert [c.value_low for c in result.claims if c.origin == "prose"] == [30]


def test_thousands_of_refs_stay_fast() -> None:
    refs = "".join(
        f'<ref name="r{i}">{{{{cite web|title=Report {i}|url=https://example.org/{i}}}}}</ref>'
        for i in range(3000)
    )
    text = f"In the battle, 30 soldiers were killed.{refs}\n\nLater, 12 rebels died.<ref name=r5/>"
    start = time.perf_counter()
    claims = extract_article(text)
    assert time.perf_counter() - start < 30
    assert {c.value_low for c in claims if c.origin == "prose"} == {30, 12}


@pytest.mark.parametrize(
    "data",
    [b"\xff\xfe4\x00 \x00k\x00", b"\x00\x01\x02\x03" * 100, b"%PDF-1.7\n\x00\x00binary"],
)
def test_binary_and_utf16_bytes_are_refused(data: bytes) -> None:
    with pytest.raises(ArticleError):
        decode_article(data, "upload.wiki")


@pytest.mark.parametrize("text", ["[[]]", "[" * 50_000 + "]" * 50_000, "{{" * 20_000])
def test_bracket_soup_is_wikitext_without_claims_not_json_or_a_crash(text: str) -> None:
    assert extract(text, "Brackets").claims == []


# -- digits that `str.isdigit` accepts and `int` refuses ----------------------------------------

ODD_DIGITS = ["²", "①", "₂"]


@pytest.mark.parametrize("digit", ODD_DIGITS)
@pytest.mark.parametrize(
    "date",
    [
        "{{start date|2024|D|3}}",
        "{{start date|D|3|3}}",
        "{{start date|2024|3|D}}",
        "{{date|2024-D-03}}",
    ],
)
def test_a_date_template_with_an_odd_digit_is_read_without_it(digit: str, date: str) -> None:
    text = (
        "{{Infobox military conflict\n| date = " + date.replace("D", digit) + "\n"
        "| casualties1 = 300 killed\n}}\nThe battle was fought in 2024."
    )
    claims = extract(text, "Odd digit").claims
    assert [c.value_low for c in claims if c.origin == "infobox"] == [300]


@pytest.mark.parametrize("digit", ODD_DIGITS)
def test_a_rowspan_of_an_odd_digit_spans_one_row(digit: str) -> None:
    text = (
        '{| class="wikitable"\n! Place !! Killed\n|-\n'
        f"| rowspan={digit} | Aleppo || 300\n|-\n| Homs || 200\n|}}\n"
    )
    claims = extract(text, "Odd span").claims
    assert sorted(c.value_low for c in claims if c.origin == "table") == [200, 300]


def test_a_file_that_breaks_the_extraction_is_one_problem_and_the_others_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import claims.extract as extract_module

    (tmp_path / "a.wiki").write_text("In the attack, 30 soldiers were killed.", encoding="utf-8")
    (tmp_path / "b.wiki").write_text("In the raid, 12 rebels were killed.", encoding="utf-8")
    real = extract_module.extract

    def breaking(text: str, *args: object, **kwargs: object) -> object:
        if "raid" in text:
            raise ValueError("invalid literal for int() with base 10:\n'²'")
        return real(text, *args, **kwargs)

    monkeypatch.setattr(extract_module, "extract", breaking)
    result = load_paths([tmp_path])
    assert [c.value_low for c in result.claims] == [30]
    assert len(result.problems) == 1 and result.problems[0].fatal
    line = str(result.problems[0])
    assert line.startswith(str(tmp_path / "b.wiki") + ": ") and "\n" not in line
    assert "ValueError" in line


# -- markup nested deeper than the data's limit ---------------------------------------------------


def _limit() -> int:
    from claims.parse import rules

    return rules().max_nesting


@pytest.mark.parametrize(
    ("opener", "closer"),
    [("{{{", "}}}"), ("{{", "}}"), ("<div>", "</div>"), ("<ref>", "</ref>")],
)
def test_markup_nested_past_the_limit_is_an_article_error_with_one_line(
    opener: str, closer: str
) -> None:
    text = opener * 200 + "30 soldiers were killed" + closer * 200
    with pytest.raises(ArticleError) as caught:
        extract_article(text)
    assert caught.value.problem in (nesting_problem(), nesting_problem("templates"))
    assert "\n" not in str(caught.value)


def test_nesting_up_to_the_limit_is_read_and_one_more_level_is_refused() -> None:
    limit = _limit()
    at_limit = "{{{" * limit + "x" + "}}}" * limit + "\n\nIn the raid, 30 soldiers were killed."
    assert [c.value_low for c in extract_article(at_limit)] == [30]
    with pytest.raises(ArticleError, match="is nested too deeply"):
        extract_article("{{{" + at_limit.replace("x}}}", "x}}}}}}", 1))


def test_nesting_in_an_infobox_field_names_the_file(tmp_path: Path) -> None:
    deep = tmp_path / "deep.wiki"
    deep.write_text(
        "{{Infobox military conflict\n| casualties1 = "
        + "{{{" * 300
        + "300"
        + "}}}" * 300
        + "\n}}\nIn the raid, 30 soldiers were killed.",
        encoding="utf-8",
    )
    result = load_paths([deep])
    assert [str(p) for p in result.problems] == [f"{deep}: {nesting_problem()}"]


def test_a_deep_caller_stack_gets_an_article_error_not_a_recursion_error() -> None:
    import sys

    limit = _limit()
    text = "{{{" * limit + "x" + "}}}" * limit + "\n\nIn the raid, 30 soldiers were killed."

    def at_depth(frames: int) -> object:
        if frames > 0:
            return at_depth(frames - 1)
        return extract_article(text)

    used = len(__import__("traceback").extract_stack())
    with pytest.raises(ArticleError, match="is nested too deeply"):
        at_depth(sys.getrecursionlimit() - used - 60)


NUMBERED = """{{Infobox military conflict
| date = {{start date|2024|11|27}} – {{end date|2024|12|1}}
| combatant1 = Rebels
| strength1 = 1,200 {{as of|2024|11}}
| casualties1 = 30 killed<ref>{{cite news|title=30 killed in 2024 raid|date=2024-11-28}}</ref>
}}
In the 2024 offensive (1990–2024), 45 soldiers were killed on 3 December 2024, 12 more by 5 Dec.
{| class="wikitable"
! Date !! Killed
|-
| rowspan=2 | 2024-11-29 || 300
|-
| 200
|}
"""


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_odd_digits_in_any_number_never_raise(data: st.DataObject) -> None:
    digits = [i for i, ch in enumerate(NUMBERED) if ch.isascii() and ch.isdigit()]
    chosen = data.draw(st.lists(st.sampled_from(digits), min_size=1, max_size=12, unique=True))
    chars = list(NUMBERED)
    for at in chosen:
        chars[at] = data.draw(st.sampled_from([*ODD_DIGITS, "٣", "３"]))
    claims = extract("".join(chars), "Odd digits").claims  # date templates render month names,
    assert all(c.value_text for c in claims)  # so quotes are not held to the wikitext here


# -- deep markup of every kind, through every public reader -----------------------------------

DEEP_SHAPES = {
    "arguments": ("{{{", "}}}"),
    "arguments with defaults": ("{{{a|", "}}}"),
    "templates": ("{{a|", "}}"),
    "links": ("[[a|", "]]"),
    "refs": ("<ref>", "</ref>"),
    "small": ("<small>", "</small>"),
    "mixed": ("{{a|[[b|<ref>{{{c|", "}}}</ref>]]}}"),
}


def _deep(opener: str, closer: str, levels: int = 200) -> str:
    return opener * levels + "30 soldiers were killed" + closer * levels


@pytest.mark.parametrize("shape", sorted(DEEP_SHAPES))
def test_deep_markup_of_any_kind_is_refused_or_read_never_a_recursion_error(
    shape: str, tmp_path: Path
) -> None:
    text = _deep(*DEEP_SHAPES[shape]) + "\n\nIn the raid, 12 rebels were killed."
    readers = {
        "extract": lambda: extract(text, "Deep").claims,
        "extract_article": lambda: extract_article(text),
        "decode_article": lambda: extract_article(decode_article(text.encode(), "deep.wiki")),
    }
    for reader in readers.values():
        try:
            claims = reader()
        except ArticleError as exc:
            assert exc.problem in (nesting_problem(), nesting_problem("templates"))
        else:  # markup the parser left as text: the prose after it is still read
            assert 12 in [c.value_low for c in claims]
    path = tmp_path / "deep.wiki"
    path.write_text(text, encoding="utf-8")
    result = load_paths([path])
    refusals = ("", nesting_problem(), nesting_problem("templates"))
    assert all(p.message in refusals or not p.fatal for p in result.problems)
    assert all("\n" not in str(p) and "RecursionError" not in str(p) for p in result.problems)


def test_the_nesting_problem_reads_as_one_line_naming_the_limit() -> None:
    from claims.parse import rules

    assert nesting_problem() == f"is nested too deeply (markup more than {_limit()} levels deep)"
    deep = rules().max_template_nesting
    assert nesting_problem("templates") == (
        f"is nested too deeply (templates more than {deep} levels deep)"
    )
    with pytest.raises(ArticleError) as caught:
        extract_article(_deep("{{{", "}}}"), title="Deep")
    assert str(caught.value) == f"Deep: {nesting_problem()}"


INFOBOX_WITH = (
    "{{Infobox military conflict\n| casualties1 = 300 killed\n| strength1 = FIELD\n"
    "| casualties2 = 40 killed\n}}\nIn the raid, 30 soldiers were killed."
)


@pytest.mark.parametrize("stray", ["{{{ 1,000", "{{{1|1,000", "1,000 {{{", "1,000 {{{note"])
def test_a_stray_triple_brace_in_one_field_keeps_the_other_fields(stray: str) -> None:
    text = INFOBOX_WITH.replace("FIELD", stray)
    claims = extract(text, "Stray").claims
    infobox = {c.value_low for c in claims if c.origin == "infobox"}
    assert {300, 40} <= infobox
    assert [c.value_low for c in claims if c.origin == "prose"] == [30]


def test_a_stray_triple_brace_in_the_last_field_keeps_the_infobox() -> None:
    text = (
        "{{Infobox military conflict\n| casualties1 = 300 killed\n| casualties2 = {{{ 40 killed\n"
        "}}\nIn the raid, 30 soldiers were killed."
    )
    claims = extract(text, "Stray").claims
    assert sorted(c.value_low for c in claims if c.origin == "infobox") == [40, 300]
    assert [c.value_low for c in claims if c.origin == "prose"] == [30]


def test_a_closed_argument_in_a_field_is_left_as_it_is() -> None:
    text = INFOBOX_WITH.replace("FIELD", "{{{strength|1,000}}}")
    claims = extract(text, "Argument").claims
    assert {300, 40} <= {c.value_low for c in claims if c.origin == "infobox"}


# -- thousands of `{{` that nothing closes ------------------------------------------------------


def _unclosed(n: int) -> str:
    return "In the raid, 30 soldiers were killed. " + "{{a|" * n + " 12 rebels were killed."


def test_thousands_of_unclosed_templates_are_text_and_the_prose_is_read() -> None:
    claims = extract(_unclosed(5000), "Unclosed").claims
    assert sorted(c.value_low for c in claims) == [12, 30]
    assert "{{a|{{a|" in next(c.quote for c in claims if c.value_low == 12)


def test_the_parser_is_not_handed_thousands_of_openers_nothing_closes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import claims.parse

    handed: list[int] = []
    real = claims.parse.parse_wikitext

    def counting(text: str, *args: object, **kwargs: object) -> object:
        handed.append(text.count("{{"))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(claims.parse, "parse_wikitext", counting)
    extract(_unclosed(5000), "Unclosed")
    # mwparserfromhell tries each opener as a template to the end of the text: quadratic
    assert handed and max(handed) <= _limit()


def test_reading_unclosed_templates_grows_linearly() -> None:
    from workcount import Work, count_lines

    def work(n: int) -> int:
        text = _unclosed(n)
        extract(text)
        tally = Work()
        count_lines(tally, lambda: extract(text))
        return tally.lines

    small, large = work(1000), work(2000)
    assert large < small * 2.3, (small, large)


def test_templates_are_read_to_their_limit_and_one_more_level_is_refused() -> None:
    from claims.parse import rules

    limit = rules().max_template_nesting

    def nested(levels: int) -> str:
        return "{{a|" * levels + "x" + "}}" * levels + "\n\nIn the raid, 30 soldiers were killed."

    assert [c.value_low for c in extract_article(nested(limit))] == [30]
    with pytest.raises(ArticleError, match="templates more than"):
        extract_article(nested(limit + 1))
    # braces read as MediaWiki reads their runs: an argument closed inside a template
    assert [c.value_low for c in extract_article("{{a|{{{b}}}}}" + nested(limit)[4:])] == [30]
