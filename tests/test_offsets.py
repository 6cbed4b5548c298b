"""The offsets contract (`claims.offsets`): each claim's quote is the article's text at its
offsets, per origin; checked on the real articles, on cases that broke it, and as a property
of mutated real articles (with claim ids stable across two runs)."""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.errors import ArticleError
from claims.extract import decode_article, extract
from claims.offsets import check_offsets, quoted_text

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = sorted((ROOT / "tests" / "probes").glob("*.wiki")) + sorted(
    (ROOT / "seeds").glob("*.wiki")
)


def _load_fuzz():
    spec = importlib.util.spec_from_file_location("fuzz", ROOT / "benchmarks" / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz"] = module
    spec.loader.exec_module(module)
    return module


fuzz = _load_fuzz()


def _broken(text: str, title: str = "Offsets") -> list[str]:
    return [
        f"{c.origin}: {problem}"
        for c in extract(text, title).claims
        if (problem := check_offsets(text, c))
    ]


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_every_claim_of_the_real_articles_keeps_the_contract(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    claims = extract(text, path.stem).claims
    assert claims
    assert [f"{c.origin}: {p}" for c in claims if (p := check_offsets(text, c))] == []


def test_each_origin_is_covered_by_the_real_articles() -> None:
    origins = set()
    for path in ARTICLES:
        origins.update(c.origin for c in extract(path.read_text(encoding="utf-8")).claims)
    assert origins == {"prose", "infobox", "table", "citation_title"}


# -- cases that broke it --------------------------------------------------------------------


def test_a_line_that_starts_inside_a_link_spans_the_whole_link() -> None:
    text = (
        "{{Infobox military conflict\n| strength1 = {{ubl|[[Shewa]] forces: 25,000 rifles"
        "|[[Gojjam]] forces: 5,000 rifles}}\n}}\nThe battle was fought in 1896."
    )
    claims = [c for c in extract(text, "Adwa").claims if c.origin == "infobox"]
    assert [c.value_low for c in claims] == [25000, 5000]
    first = claims[0]
    assert text[first.start : first.end] == "[[Shewa]] forces: 25,000 rifles"
    assert first.quote == "Shewa forces: 25,000 rifles"
    assert _broken(text, "Adwa") == []


def test_a_line_that_ends_inside_a_link_spans_the_whole_link() -> None:
    text = "{{Infobox military conflict\n| strength2 = 17 [[Type 95 Light Tank|tanks]]\n}}\n"
    (claim,) = [c for c in extract(text, "Tanks").claims if c.origin == "infobox"]
    assert text[claim.start : claim.end] == "17 [[Type 95 Light Tank|tanks]]"
    assert claim.quote == "17 tanks"


def test_a_sentence_written_as_a_link_text_spans_the_link() -> None:
    text = "It began in 1775. [[Lineage|There are only thirty units of the army with old roots]]."
    (claim,) = extract(text, "Lineage").claims
    assert text[claim.start : claim.end].startswith("[[Lineage|")
    assert quoted_text(text, claim.start, claim.end, "prose").endswith(claim.quote)
    assert _broken(text) == []


def test_a_table_cell_written_in_a_template_spans_the_template() -> None:
    text = (
        '{| class="wikitable"\n! Date !! Confirmed cases\n|-\n'
        "| 13 March 2020 || {{formatnum:6506}}\n|}\n"
    )
    (claim,) = extract(text, "Cases").claims
    assert text[claim.start : claim.end].strip() == "{{formatnum:6506}}"
    assert claim.quote.endswith("Confirmed cases: 6506")
    assert _broken(text) == []


@pytest.mark.parametrize(
    "citation",
    [
        "{{cite news|title=30 killed in raid|trans-title= <!-- none --> |work=Reuters}}",
        "{{cite news|title=Tote|trans-title=30 killed in raid|work=Reuters}}",
        "{{cite news|title=30 killed in <small>the raid|work=Reuters}}",
        "[https://example.org/a 30 killed in raid]",
    ],
)
def test_a_headline_claim_quotes_the_parameter_at_its_offsets(citation: str) -> None:
    text = f"In 2020, 30 soldiers were killed.<ref>{citation}</ref>"
    titles = [c for c in extract(text, "Raid").claims if c.origin == "citation_title"]
    assert len(titles) == 1
    claim = titles[0]
    assert "30 killed in" in text[claim.start : claim.end]
    assert "<" not in claim.quote
    assert _broken(text) == []


def test_a_link_whose_target_holds_markup_shows_its_text_not_its_markup() -> None:
    text = (
        "[[Abolition {{nowrap|of feudalism]] and more. In 1789, 30 people were killed."
        "<ref>x</ref> The end}}blic Safety]]"
    )
    claims = extract(text, "Link").claims
    assert [c.quote for c in claims] == ["In 1789, 30 people were killed."]
    assert _broken(text) == []


# -- the checker fails claims that break it ---------------------------------------------------

CASE = "In the raid on 3 May 2020, 30 soldiers were killed.<ref>{{cite news|title=x}}</ref>"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"start": 3}, "the quote is not the article's text"),
        ({"end": 10_000}, "not within the article"),
        ({"start": 20, "end": 10}, "not within the article"),
        ({"quote": "In the raid, 30 soldiers were killed."}, "the quote is not"),
        ({"quote": "In the raid  on"}, "whitespace"),
        ({"value_low": 40.0}, "above value_high"),
        ({"value_text": "31"}, "value_text '31' is not in the quote"),
        ({"origin": "headline"}, "unknown origin"),
    ],
)
def test_the_checker_names_a_broken_claim(change: dict, problem: str) -> None:
    (claim,) = extract(CASE, "Raid").claims
    assert check_offsets(CASE, claim) is None
    assert problem in (check_offsets(CASE, dataclasses.replace(claim, **change)) or "")


# -- as a property of mutated real articles -------------------------------------------------

TEXTS = fuzz.corpus_texts()


@settings(
    max_examples=60,
    derandomize=True,  # the same examples on every run: the fuzz benchmark explores the rest
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.randoms(use_true_random=False))
def test_mutated_articles_keep_the_contract_and_their_claim_ids(rng) -> None:
    data, _names = fuzz.mutate(TEXTS, rng, heavy=False)
    try:
        text = decode_article(data, "fuzz.wiki") if isinstance(data, bytes) else data
        first = extract(text, path="fuzz.wiki")
    except ArticleError as exc:  # refused in one line: fine
        assert "\n" not in exc.problem
        return
    for claim in first.claims:
        assert check_offsets(text, claim) is None, (claim.origin, claim.quote)
        if claim.value_low is not None and claim.value_high is not None:
            assert claim.value_low <= claim.value_high
    second = extract(text, path="fuzz.wiki")
    assert [c.claim_id for c in first.claims] == [c.claim_id for c in second.claims]


def test_the_fuzz_harness_counts_a_crash_a_refusal_and_a_broken_invariant(monkeypatch) -> None:
    assert fuzz.check_input("In 2020, 30 soldiers were killed.")[0] == "ok"
    assert fuzz.check_input(b"\xff\xfe\x00\x00binary")[0] == "refused"
    import claims.offsets

    monkeypatch.setattr(claims.offsets, "check_offsets", lambda text, claim: "broken")
    assert fuzz.check_input("In 2020, 30 soldiers were killed.")[0] == "invariant"
    import claims.extract

    def crash(*_args: object, **_kwargs: object) -> object:
        raise ValueError("boom")

    monkeypatch.setattr(claims.extract, "extract", crash)
    outcome, reason, _ = fuzz.check_input("In 2020, 30 soldiers were killed.")
    assert (outcome, reason) == ("crash", "ValueError: boom")


def test_fuzz_inputs_are_made_again_from_their_number() -> None:
    one = fuzz.make_input(TEXTS, 7, 123)
    assert fuzz.make_input(TEXTS, 7, 123) == one
    assert fuzz.make_input(TEXTS, 7, 124) != one


FUZZ_FOUND = sorted((ROOT / "tests" / "fixtures" / "fuzz").glob("*.wiki"))


@pytest.mark.parametrize("path", FUZZ_FOUND, ids=lambda p: p.stem)
def test_inputs_the_fuzzer_found_breaking_the_contract_keep_it(path: Path) -> None:
    # `<seed>-<input>.wiki`, written by `benchmarks/fuzz.py --save`: templates nested past
    # the parser's depth in a table cell, markup left open in a span, an entity in a headline
    outcome, reason, _claims = fuzz.check_input(path.read_bytes(), path.name)
    assert outcome in ("ok", "refused"), reason


def test_markup_left_open_in_a_span_is_held_to_its_letters_in_order() -> None:
    text = "In 2020, 30 soldiers were killed.<ref>x</ref>"
    (claim,) = extract(text, "Open").claims
    opened = text[: claim.end] + "[[Aleppo"
    # the span holds a "[[" no "]]" closes: the quote's letters are, in order, the span's
    shifted = dataclasses.replace(claim, end=len(opened), quote=claim.quote + " Aleppo")
    assert check_offsets(opened, shifted) is None
    wrong = dataclasses.replace(shifted, quote=claim.quote + " Homs")
    assert "not the article's text" in (check_offsets(opened, wrong) or "")


def test_claims_that_share_a_span_have_it_rendered_once(monkeypatch) -> None:
    import claims.offsets as offsets

    text = "In the raid, " + ", ".join(f"{n} soldiers were killed in Town {n}" for n in range(40))
    text += ".\n"
    claims = extract(text, "Raid").claims
    assert len({(c.start, c.end) for c in claims}) < len(claims) // 4
    parsed: list[int] = []
    real = offsets.parse
    monkeypatch.setattr(offsets, "parse", lambda span: parsed.append(len(span)) or real(span))
    offsets._quoted_text.cache_clear()
    assert [check_offsets(text, c) for c in claims] == [None] * len(claims)
    assert len(parsed) == len({(c.start, c.end, c.origin) for c in claims})
