"""The rules that read what a figure counts and over which span: dates that meet, the words
that make a figure a period's count, a running tally or a whole's total, and the admission
and verdict rules of totals, each on claims built for it."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from rapidfuzz import fuzz

from claims import match
from claims.match import (
    _best_estimate,
    _dates_compatible,
    _figure_at,
    _measure,
    _per_period,
    _tally_wording,
    _total_wording,
    _wholes,
    compare,
    settings,
)
from claims.model import ALL_CLAIM_COLUMNS

INF = float("inf")

DEFAULTS: dict[str, object] = {
    "article": "Example",
    "topic": "killed",
    "party": "civilians",
    "origin": "prose",
}


def _frame(*claims: dict[str, object]) -> pd.DataFrame:
    """Claims named a, b, c... in order; each in a sentence of its own unless given a start."""
    rows = []
    for i, given in enumerate(claims):
        row = {column: "" for column in ALL_CLAIM_COLUMNS}
        row.update(DEFAULTS)
        row["start"] = i
        given = dict(given)
        low, high = given.pop("value")
        row.update(given)
        row.update(claim_id="abcdefgh"[i], value_low=float(low), value_high=float(high))
        rows.append(row)
    return pd.DataFrame(rows)


def _together(*claims: dict[str, object]) -> bool:
    """Whether the first two claims end in one group."""
    c = compare(_frame(*claims))
    groups = dict(zip(c.claims.claim_id, c.claims.group_id, strict=True))
    return groups["a"] == groups["b"]


def _verdict(*claims: dict[str, object]) -> tuple[str, str]:
    pairs = compare(_frame(*claims)).pairs
    pair = pairs[pairs.claim_a.isin(["a", "b"]) & pairs.claim_b.isin(["a", "b"])]
    assert len(pair) == 1, pairs
    return pair.verdict.iloc[0], pair.rules.iloc[0]


def _with(monkeypatch: pytest.MonkeyPatch, **changes: object) -> None:
    changed = dataclasses.replace(settings(), **changes)
    monkeypatch.setattr(match, "settings", lambda: changed)


# -- dates that meet ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "window", "expected"),
    [
        ("", "2024-05-05", 1, (True, "undated")),  # an undated figure meets any date
        ("2024-05-05", "", 1, (True, "undated")),
        ("2024-05-05", "2024-05-06", 1, (True, "1 day(s) apart")),  # a day late: the window
        ("2024-05-06", "2024-05-05", 1, (True, "1 day(s) apart")),  # in either order
        ("2024-05-05", "2024-05-07", 1, (False, "2 day(s) apart")),
        ("2024-05-07", "2024-05-05", 2, (True, "2 day(s) apart")),  # the window's edge is in
        ("2024-05", "2024-05-05", 1, (True, "same period")),  # a month holds its days
        ("2024-05-05", "2024-05", 1, (True, "same period")),
        ("2024", "2024-05", 1, (True, "same period")),
        ("2024-05", "2024-05", 1, (True, "same period")),
        ("2024-05", "2024-06", 1, (False, "other period")),
        ("2024-06-05", "2024-05", 1, (False, "other period")),
    ],
)
def test_two_dates_meet_within_the_window_or_when_one_period_holds_the_other(
    a: str, b: str, window: int, expected: tuple[bool, str]
) -> None:
    assert _dates_compatible(a, b, window) == expected


# -- the words that say what a figure counts ---------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "figure", "word"),
    [
        ("95 new cases were reported", "95", "new"),  # a period's count
        ("there are 11,740 active cases", "11,740", "active"),  # a state
        ("with 300 further deaths", "300", "new"),  # another word for the same
        ("95 cases were reported", "95", ""),
        ("95, new cases", "95", ""),  # punctuation between: not the figure's word
        ("95  new cases", "95", ""),  # only one space between a figure and its word
        ("95 new cases", "", ""),  # no figure
        ("95 new cases", "12", ""),  # a figure not in the sentence
        # the word after the whole figure, not after the same digits inside another figure
        ("cases rose to 2534, while only 3 new deaths were recorded", "3", "new"),
        ("a total of 1,300 cases and 3 active cases", "3", "active"),
        ("a total of 13 cases and 3 new cases", "3", "new"),
        ("a total of 3.5 thousand and 3 new cases", "3", "new"),
        ("93 new cases", "3", "new"),  # nowhere whole: its first digits, as written
    ],
)
def test_the_word_right_after_a_figure_makes_it_one_periods_count(
    quote: str, figure: str, word: str
) -> None:
    assert _per_period(quote, figure, settings()) == word


@pytest.mark.parametrize(
    ("quote", "figure", "at"),
    [
        ("to 2534, while only 3 new", "3", 20),
        ("of 1,300 and 300 more", "300", 13),
        ("of 1.300 and 300 more", "300", 13),
        ("three and thirty-three", "three", 0),
        ("thirty-three and three", "three", 17),
        ("300 killed", "300", 0),
        ("about 12,000 strong", "about 12,000", 0),
        ("9,300 killed", "300", 2),  # nowhere whole
        ("killed", "300", -1),
        ("killed", "", -1),
        ("300 and 300", "300", 0),
    ],
)
def test_a_figure_stands_where_its_text_is_a_whole_figure(quote: str, figure: str, at: int) -> None:
    assert _figure_at(quote, figure) == at


@pytest.mark.parametrize(
    ("quote", "figure", "tally"),
    [
        ("bringing the total to 869", "869", True),
        ("the number killed had risen to 31", "31", True),
        ("8 deaths were recorded, bringing the total to 869", "8", False),  # words after it
        ("the toll " + "x" * 45 + " 31", "31", False),  # words too far before it
        ("the toll " + "x" * 25 + " 31", "31", True),
        ("toll 31", "31", True),  # at the very start
        ("bringing the total to 869", "", False),
        ("bringing the total to 869", "12", False),
    ],
)
def test_a_running_tally_is_worded_just_before_its_figure(
    quote: str, figure: str, tally: bool
) -> None:
    assert _tally_wording(quote, figure, settings()) is tally


@pytest.mark.parametrize(
    ("quote", "figure", "wording"),
    [
        ("500 were killed", "500", ""),  # most sentences name no toll
        ("In total, 500 were killed", "500", "total"),  # a whole's words
        ("500 were killed in total", "500", "total"),  # after the figure too
        ("The death toll was 500", "500", "toll"),  # a toll, maybe one event's
        ("The death toll passed 500", "500", "total"),  # a toll that grew: a running total
        # the toll's words belong to the other figure of the sentence
        ("Officials said 12 died on Monday; the death toll was 869", "12", ""),
        ("Officials said 12 died on Monday; the death toll was 869", "869", "toll"),
        # a figure written twice: the toll may be this figure's
        ("Officials said 12 died; the death toll was 12", "12", "toll"),
        ("12 died on Monday; the death toll was 869", "12", "toll"),  # first word of it
        ("The death toll was 12, officials said 12 died; the toll", "12", "toll"),
    ],
)
def test_a_sentence_words_its_figure_as_a_total_or_a_toll(
    quote: str, figure: str, wording: str
) -> None:
    assert _total_wording(quote, figure, settings()) == wording


def test_running_words_before_the_figure_keep_a_later_toll_its_own() -> None:
    # "so far" before the 12 makes it a running total, though the toll words follow it
    assert _total_wording("So far 12 died; the death toll was 869", "12", settings()) == "total"
    assert _total_wording("By then 12 died; the death toll was 869", "12", settings()) == "total"


@pytest.mark.parametrize(
    ("counted", "quote", "figure", "thing", "unit", "measure"),
    [
        ("", "they took 40 km2 of land", "40", "", "km2", ("km2", "thing")),  # an area
        ("", "most of the city", "", "city", "percent", ("share", "thing")),  # a share
        ("Knights", "400 knights", "400", "", "", ("knight", "kind")),  # the noun given
        ("", "5,000 infantry", "5,000", "", "", ("infantry", "kind")),  # an arm after it
        ("", "5,000 cavalrymen", "5,000", "", "", ("cavalrymen", "kind")),
        ("", "600 Flemish were killed", "600", "", "", ("flemish", "kind")),  # a name
        ("", "17,978 troops", "17,978", "", "", ("people", "people")),  # people of any kind
        ("", "12 tanks", "12", "tank", "", ("tank", "thing")),  # a thing
        ("", "23 were killed", "23", "", "", ("people", "people")),  # a verb is no noun
        ("", "23 quickly fled", "23", "", "", ("people", "people")),
        ("", "95 new cases", "95", "", "", ("new people", "people")),  # a period's count
        ("", "95 new knights", "95", "", "", ("new people", "people")),
        ("", "12 new tanks", "12", "tank", "", ("new tank", "thing")),
        ("", "5 bodies", "5", "", "", ("people", "people")),
        ("Militias", "5 militias", "5", "", "", ("militia", "kind")),
        ("Batteries", "5 batteries", "5", "", "", ("battery", "kind")),
        ("Footmen", "5 footmen", "5", "", "", ("footmen", "kind")),
        ("Grass", "5 grass", "5", "", "", ("grass", "kind")),
    ],
)
def test_what_a_figure_counts_and_of_which_kind(
    counted: str,
    quote: str,
    figure: str,
    thing: str,
    unit: str,
    measure: tuple[str, str],
) -> None:
    assert _measure(counted, quote, figure, thing, unit, settings()) == measure


def test_a_period_word_measures_what_the_words_before_the_figure_count() -> None:
    # "95 new" reads its noun from the words before it: the counted noun given stays
    assert _measure("Knights", "95 new knights", "95", "", "", settings()) == ("new knight", "kind")


# -- the parts a sentence writes ---------------------------------------------------------------


def _parts(quote: str, figures: list[str], **given: list[object]) -> tuple[list[int], list[str]]:
    n = len(figures)
    return _wholes(
        [quote] * n,
        given.get("starts", [0] * n),  # type: ignore[arg-type]
        given.get("articles", ["A"] * n),  # type: ignore[arg-type]
        figures,
        given.get("topics", ["killed"] * n),  # type: ignore[arg-type]
        given.get("kinds", ["people"] * n),  # type: ignore[arg-type]
        settings(),
    )


def test_figures_after_including_are_parts_of_the_figure_before() -> None:
    quote = "93 killed, including 11 children and six women"
    assert _parts(quote, ["93", "11", "six"]) == (
        [-1, 0, 0],
        ["", "part_words", "part_words"],
    )


def test_a_list_in_a_bracket_is_the_parts_of_the_figure_before_it() -> None:
    quote = "202 captured (183 labourers, 19 soldiers)"
    assert _parts(quote, ["202", "183", "19"]) == (
        [-1, 0, 0],
        ["", "bracketed_part", "bracketed_part"],
    )


def test_a_closed_or_distant_bracket_opens_no_parts() -> None:
    assert _parts("31 (HRW) killed and 40 wounded", ["31", "40"]) == ([-1, -1], ["", ""])
    far = "202 captured near the northern gate of the old walled city (183 labourers)"
    assert _parts(far, ["202", "183"]) == ([-1, -1], ["", ""])


def test_a_bracket_list_ends_at_its_bracket() -> None:
    quote = "202 captured (183 labourers, 19 soldiers) and 40 killed"
    assert _parts(quote, ["202", "183", "19", "40"])[0] == [-1, 0, 0, -1]


def test_a_part_list_ends_at_a_semicolon_or_a_full_stop() -> None:
    quote = "93 killed, including 11 children and six women; 40 wounded"
    assert _parts(quote, ["93", "11", "six", "40"])[0] == [-1, 0, 0, -1]
    quote = "93 killed, including 11 children. 40 wounded"
    assert _parts(quote, ["93", "11", "40"])[0] == [-1, 0, -1]


def test_a_part_counts_the_same_topic_as_its_whole_and_things_are_no_part_of_people() -> None:
    quote = "93 killed, including 11 children"
    assert _parts(quote, ["93", "11"], topics=[["killed", "injured"]][0])[0] == [-1, -1]
    assert _parts(quote, ["93", "11"], kinds=["people", "thing"])[0] == [-1, -1]
    assert _parts(quote, ["93", "11"], kinds=["thing", "thing"])[0] == [-1, 0]
    assert _parts(quote, ["93", "11"], kinds=["thing", "people"])[0] == [-1, 0]


def test_parts_are_read_within_one_sentence_of_one_article() -> None:
    quote = "93 killed, including 11 children"
    assert _parts(quote, ["93", "11"], articles=["A", "B"])[0] == [-1, -1]
    assert _parts(quote, ["93", "11"], starts=[0, 200])[0] == [-1, -1]
    assert _parts(quote, ["93", "93"])[0] == [-1, -1]  # one figure only


def test_parts_rules_left_out_of_the_table_find_no_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    bare = dataclasses.replace(settings(), parts=())
    assert _wholes(
        ["93 killed, including 11 children"] * 2,
        [0, 0],
        ["A", "A"],
        ["93", "11"],
        ["killed"] * 2,
        ["people"] * 2,
        bare,
    ) == ([-1, -1], ["", ""])


# -- the best estimate of a group --------------------------------------------------------------


def test_the_best_estimate_counts_each_source_once() -> None:
    # A says 10, 10 and 40 (its own median 10), B says 30: the median of 10 and 30
    mids: list[float | None] = [10.0, 10.0, 40.0, 30.0, None]
    assert _best_estimate([0, 1, 2, 3, 4], ["A", "A", "A", "B", "B"], mids) == 20.0
    assert _best_estimate([0], ["A"], [None]) is None  # no figure of known size
    assert _best_estimate([3], ["A"] * 5, mids) == 30.0  # only the group's rows


# -- totals: which join one group --------------------------------------------------------------

TOTAL = {"quote": "In total, 500 people were killed.", "value": (500, 500), "value_text": "500"}


def _total(quote: str, figure: str, value: float, **given: object) -> dict[str, object]:
    return {"quote": quote, "value": (value, value), "value_text": figure, **given}


def test_two_counts_of_one_total_sentence_are_two_counts() -> None:
    quote = "In total, 300 were killed in the north and 450 in the south."
    assert not _together(_total(quote, "300", 300, start=0), _total(quote, "450", 450, start=0))


def test_two_sources_of_one_total_sentence_are_estimates_of_one_count() -> None:
    quote = "In total, 6,000 were killed and 9,000 killed."
    a = _total(quote, "6,000", 6000, start=0, source="Curry")
    b = _total(quote, "9,000", 9000, start=0, source="Barker")
    assert _together(a, b)
    assert not _together(a, {**b, "source": "Curry"})  # one source: words must say so


def test_words_between_two_figures_of_a_total_make_them_alternatives() -> None:
    quote = "In total a few hundred, perhaps 500, were killed by 900 others."
    assert _together(
        _total(quote, "a few hundred", 300, start=0), _total(quote, "500", 500, start=0)
    )
    quote = "In total 300 were killed; perhaps 500 were wounded."  # another clause
    assert not _together(_total(quote, "300", 300, start=0), _total(quote, "500", 500, start=0))


def test_a_range_word_before_two_figures_of_a_total_makes_them_one_range() -> None:
    quote = "In total, the toll is put at ranging from 1,500 to 11,000 dead."
    a, b = _total(quote, "1,500", 1500, start=0), _total(quote, "11,000", 11000, start=0)
    assert _together(a, b)
    far = "In total, the toll is put at ranging from 1,500 dead in the old city and its suburbs"
    far += " to 11,000."
    a, b = _total(far, "1,500", 1500, start=0), _total(far, "11,000", 11000, start=0)
    assert not _together(a, b)  # further apart than a range is written
    afar = "Ranging across the whole of the wide region, in total 1,500 to 11,000 died."
    a, b = _total(afar, "1,500", 1500, start=0), _total(afar, "11,000", 11000, start=0)
    assert not _together(a, b)  # the range word too far before them


def test_alternatives_are_read_between_the_figures_only() -> None:
    s = settings()
    assert match._alternatives("300, perhaps 500", "300", "500", s)
    assert match._alternatives("300, perhaps 500", "500", "300", s)  # in either order
    assert not match._alternatives("perhaps 300 and 500", "300", "500", s)
    assert not match._alternatives("300 and 500, perhaps", "300", "500", s)
    assert not match._alternatives("300, perhaps 500", "300", "700", s)  # not in the sentence
    assert not match._alternatives("300, perhaps 500", "700", "300", s)
    assert match._alternatives("from 300 to 500", "300", "500", s)  # a range opened before
    assert not match._alternatives("300; perhaps 500", "300", "500", s)


def test_totals_of_two_places_are_two_totals() -> None:
    a = {**TOTAL, "place": "Gaza"}
    assert not _together(a, {**TOTAL, "place": "Rafah"})
    assert _together(a, {**TOTAL, "place": "Gaza"})
    assert _together(a, {**TOTAL, "place": ""})  # a total naming no place
    # a headline names no place of its own
    assert _together(a, {**TOTAL, "place": "Rafah", "origin": "citation_title"})


def test_places_are_the_same_from_place_same_on(monkeypatch: pytest.MonkeyPatch) -> None:
    score = fuzz.WRatio("Aleppo", "Aleppo city")
    a, b = {**TOTAL, "place": "Aleppo"}, {**TOTAL, "place": "Aleppo city"}
    _with(monkeypatch, place_same=score)
    assert _together(a, b)
    _with(monkeypatch, place_same=score + 0.01)
    assert not _together(a, b)


def test_incidents_places_are_the_same_from_place_same_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    strike = "On 5 May a strike on the market killed 23 people."
    a = {"quote": strike, "value": (23, 23), "value_text": "23", "date": "2024-05-05"}
    a = {**a, "source": "AP", "place": "Aleppo"}
    b = {**a, "source": "AFP", "place": "Aleppo city"}
    score = fuzz.WRatio("Aleppo", "Aleppo city")
    _with(monkeypatch, place_same=score)
    assert _together(a, b)
    _with(monkeypatch, place_same=score + 0.01)
    assert not _together(a, b)


MONTH = "In total, {} new cases were recorded."


def _month(figure: str, value: float, date: str, **given: object) -> dict[str, object]:
    return (
        _total(MONTH.format(figure), figure, value, topic="cases", date=date, date_basis="sentence")
        | given
    )


def test_totals_of_two_months_that_count_per_period_are_two_totals() -> None:
    assert not _together(_month("14,100", 14100, "2020-08"), _month("4,192", 4192, "2021-03"))
    # periods that meet: one count
    assert _together(_month("14,100", 14100, "2020-08"), _month("14,100", 14100, "2020-08-30"))
    # dated by a citation, not by the text: no period the text gives
    a = _month("14,100", 14100, "2020-08", date_basis="citation")
    assert _together(a, _month("4,192", 4192, "2021-03", date_basis="citation"))
    assert _together(_month("14,100", 14100, ""), _month("4,192", 4192, "2021-03"))
    assert _together(_month("14,100", 14100, "2020-08"), _month("4,192", 4192, ""))


def test_a_growing_running_total_of_two_months_is_one_total() -> None:
    a = _total("In total, 500 people were killed by August.", "500", 500, date="2020-08")
    b = _total("In total, 900 people were killed by March.", "900", 900, date="2021-03")
    a, b = a | {"date_basis": "sentence"}, b | {"date_basis": "sentence"}
    assert _together(a, b)
    # a count that does not only grow: two periods are two counts
    assert not _together(a | {"topic": "population"}, b | {"topic": "population"})


def _strength(quote: str, figure: str, value: float, **given: object) -> dict[str, object]:
    return _total(quote, figure, value, **({"topic": "strength", "party": ""} | given))


SIDES = (
    _strength("5,000", "5,000", 5000, origin="infobox", side="1", party="North", source="X"),
    _strength("6,000", "6,000", 6000, origin="infobox", side="2", party="South", source="Y"),
)


def test_a_total_of_an_article_on_two_forces_naming_none_needs_the_same_words() -> None:
    a = _strength("In total, the army of the north numbered 8,000 men.", "8,000", 8000)
    b = _strength("In total the southern chroniclers give 12,000 for their own host.", "12,000", 1)
    assert not _together(a, b, *SIDES)
    assert _together(a, b)  # an article on no forces: no words needed
    assert _together(a, b, SIDES[0])  # one force only
    same = _strength("In total, the army of the north numbered 9,000 men.", "9,000", 9000)
    assert _together(a, same, *SIDES)  # the same words


def test_totals_naming_their_force_need_no_words() -> None:
    a = _strength("In total, the North numbered 8,000 men.", "8,000", 8000, party="North")
    b = _strength("Chroniclers give 12,000 for that host in all.", "12,000", 12000, party="North")
    assert _together(a, b, *SIDES)


def test_a_party_read_from_the_paragraph_names_no_force_so_it_needs_the_same_words() -> None:
    a = _strength("In total, the North numbered 8,000 men.", "8,000", 8000, party="North")
    b = _strength("Chroniclers give 12,000 for that host in all.", "12,000", 12000, party="North")
    inferred = b | {"why": "topic:noun party:paragraph_subject date:event source:own"}
    assert _together(a, b, *SIDES)  # named by its own words: no words needed
    assert not _together(a, inferred, *SIDES)


def test_a_strength_of_a_numbered_unit_of_a_force_is_no_total_of_the_force() -> None:
    whole = _strength("5,000", "5,000", 5000, origin="infobox", side="1", party="North")
    unit = {
        "quote": "The 7th Guards sent three men to find help.",
        "value_text": "three",
        "value": (3, 3),
        "topic": "strength",
        "party": "North",
        "party_text": "7th Guards",
        "source": "X",
    }
    pairs = compare(_frame(whole, unit, SIDES[1])).pairs
    assert "conflict" not in set(pairs.verdict)
    named = unit | {"party_text": "North", "quote": "In total, the North numbered three men."}
    assert "conflict" in set(compare(_frame(whole, named, SIDES[1])).pairs.verdict)


# -- totals: the verdict of a later tally ------------------------------------------------------


def _toll(figure: str, value: float, date: str, **given: object) -> dict[str, object]:
    quote = f"In total, {figure} people had been killed by then."
    return _total(quote, figure, value, date=date, date_basis="sentence", **given)


def test_a_later_higher_total_of_a_growing_count_is_an_update() -> None:
    a = _toll("500", 500, "2024-05-01", source="AP")
    b = _toll("900", 900, "2024-08-01", source="AFP")
    assert _verdict(a, b) == ("updated", "later_tally_of_a_total")
    assert _verdict(a, b | {"value": (500, 500)}) == ("updated", "later_tally_of_a_total")
    # later but lower: the sources disagree
    assert _verdict(a | {"value": (900, 900)}, b | {"value": (500, 500)})[0] == "conflict"


def test_a_later_higher_total_of_a_count_that_does_not_only_grow_is_no_update() -> None:
    # a day apart: one total, of a population that grew by nearly half
    a = _toll("500", 500, "2024-05-01", source="AP", topic="population")
    b = _toll("900", 900, "2024-05-02", source="AFP", topic="population")
    assert _verdict(a, b)[0] == "conflict"
    assert _verdict(a | {"topic": "killed"}, b | {"topic": "killed"})[0] == "updated"


@pytest.mark.parametrize("side", [0, 1])
@pytest.mark.parametrize(
    "change",
    [
        {"date_basis": "citation"},  # a date the text does not give
        {"date": "2024-05"},  # a month, not a day
    ],
)
def test_a_later_total_is_an_update_only_when_the_text_dates_both_to_days(
    change: dict[str, object], side: int
) -> None:
    claims = [_toll("500", 500, "2024-05-01", source="AP"), _toll("900", 900, "2024-08-01")]
    claims[side] = claims[side] | change
    assert _verdict(*claims)[0] == "conflict"


def test_a_figure_written_twice_is_read_where_it_is_first_written() -> None:
    s = settings()
    assert not _tally_wording("8 died, bringing the total to 8", "8", s)
    assert match._alternatives("300, perhaps 500; then 300", "300", "500", s)
    assert match._alternatives("500, perhaps 300; then 500", "300", "500", s)


def test_a_range_of_estimates_spans_at_most_range_reach_characters() -> None:
    s, reach = settings(), match.RANGE_REACH
    inside = "from 300" + " " * (reach - 3) + "500"  # 30 characters from the 300 to the 500
    assert match._alternatives(inside, "300", "500", s)
    assert not match._alternatives(inside.replace("500", " 500"), "300", "500", s)


@pytest.mark.parametrize(
    ("noun", "singular"),
    [
        ("batteries", "battery"),
        ("ties", "tie"),  # too short for -ies to be -y
        ("lies", "lie"),
        ("spies", "spy"),
        ("footmen", "footmen"),
        ("knights", "knight"),
        ("grass", "grass"),
        ("foot", "foot"),
    ],
)
def test_a_noun_is_counted_in_the_singular(noun: str, singular: str) -> None:
    assert match._singular(noun) == singular


def test_one_sentence_written_twice_is_one_count() -> None:
    quote = "In total, 300 people were killed."
    assert _together(_total(quote, "300", 300, start=0), _total(quote, "300", 300, start=90))


def test_two_claimants_of_one_total_sentence_give_one_count() -> None:
    quote = "In total 300 were killed, said the army; the rebels said 500."
    a = _total(quote, "300", 300, start=0, claimant="the army")
    b = _total(quote, "500", 500, start=0, claimant="the rebels")
    assert _together(a, b)
    assert not _together(a, b | {"claimant": "the army"})


@pytest.mark.parametrize(
    ("first", "second"), [("Curry", ""), ("", "Curry")], ids=["second-unsourced", "first"]
)
def test_a_figure_no_other_source_backs_is_another_count_of_its_sentence(
    first: str, second: str
) -> None:
    quote = "In total, 6,000 were killed and 9,000 killed."
    a = _total(quote, "6,000", 6000, start=0, source=first)
    assert not _together(a, _total(quote, "9,000", 9000, start=0, source=second))


def test_a_total_naming_its_force_against_one_naming_none_needs_the_same_words() -> None:
    a = _strength("In total, the North numbered 8,000 men.", "8,000", 8000, party="North")
    b = _strength("Chroniclers give 12,000 for that host in all.", "12,000", 12000)
    assert not _together(a, b, *SIDES)
    assert not _together(b, a, *SIDES)


def test_a_join_rule_for_totals_admits_whatever_the_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rules = tuple(
        dataclasses.replace(r, effect="join") if r.name == "side_unknown" else r
        for r in settings().admission
    )
    a = _strength("In total, the army of the north numbered 8,000 men.", "8,000", 8000)
    b = _strength("In total the southern chroniclers give 12,000 for their own host.", "12,000", 1)
    _with(monkeypatch, admission=rules)
    assert _together(a, b, *SIDES)


# -- one event told by two articles ------------------------------------------------------------

ITALY = "Kingdom of Italy"


def _told(article: str, value: int, date: str, place: str = "Northford") -> dict[str, object]:
    quote = f"On that day at {place} the Italian army lost {value:,} killed."
    return {
        "article": article,
        "quote": quote,
        "value": (value, value),
        "value_text": f"{value:,}",
        "party": ITALY,
        "date": date,
        "date_basis": "sentence",
        "place": place,
        "source": f"{article} source",
    }


def _infobox(article: str, place: str, **given: object) -> dict[str, object]:
    return {
        "article": article,
        "quote": "6,394 dead or wounded",
        "value": (6394, 6394),
        "value_text": "6,394",
        "origin": "infobox",
        "party": ITALY,
        "side": "2",
        "date": "1896-03-01",
        "date_basis": "infobox",
        "place": place,
        "source": "EA",
        **given,
    }


def test_a_battles_total_is_judged_against_each_other_articles_incident_of_its_day_and_place() -> (
    None
):
    c = compare(
        _frame(
            _told("War", 9000, "1896-02-29"),  # b: the day before
            _infobox("Battle", "Northford"),  # a total
            _infobox("Raid", "", source="EB"),  # a total naming no place: linked to nothing
            _told("Battle", 6000, "1896-03-01"),  # the battle's own article: not linked
            _told("Far", 9000, "1896-03-01", place="Southport"),  # another place
            _told("Campaign", 6500, "1896-03-02"),  # the day after
            _told("Other", 9000, "1896-03-03"),  # two days after
            _infobox("Siege", "Northford", source="EC"),  # another article's total
        )
    )
    links = c.pairs[c.pairs.rules.str.startswith("same_event_in_another_article")]
    got = sorted(zip(links.claim_a, links.claim_b, links.verdict, links.rules, strict=True))
    assert got == [
        ("b", "a", "conflict", "same_event_in_another_article; ranges_apart"),
        ("b", "f", "agree", "same_event_in_another_article; ranges_overlap"),
        ("h", "a", "conflict", "same_event_in_another_article; ranges_apart"),
        ("h", "d", "agree", "same_event_in_another_article; ranges_overlap"),
        ("h", "f", "agree", "same_event_in_another_article; ranges_overlap"),
    ]
    conflict = links[(links.verdict == "conflict") & (links.claim_a == "b")].iloc[0]
    assert conflict.gap == pytest.approx((9000 - 6394) / 9000)
    assert pd.isna(links[links.verdict == "agree"].gap.iloc[0])  # no gap when they agree
    assert conflict.why == (
        "same_event_in_another_article (Battle / War): ranges_apart: 6,394 vs 9,000 "
        "(tolerance ±10%), 29% apart; dates 1896-03-01 / 1896-02-29"
    )
    told = match._text_key(str(_told("War", 9000, "")["quote"]))
    expected = round(fuzz.token_set_ratio(match._text_key("6,394 dead or wounded"), told), 1)
    assert set(links.text_score) == {expected}
    assert expected < 100
    groups = c.groups.set_index("group_id")
    other = {
        claim: groups.other_articles[group]
        for claim, group in zip(c.claims.claim_id, c.claims.group_id, strict=True)
    }
    assert other == {
        "a": "Battle; Siege",
        "b": "Campaign; War",
        "c": "",
        "d": "Siege",
        "e": "",
        "f": "Battle; Siege",
        "g": "",
        "h": "Battle; Campaign; War",
    }


def test_another_articles_incident_is_at_the_totals_place_from_place_same_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    claims = (_infobox("Battle", "Northford"), _told("War", 9000, "1896-03-01", "Northford town"))
    score = fuzz.WRatio("Northford", "Northford town")

    def linked() -> int:
        return int(compare(_frame(*claims)).pairs.rules.str.startswith("same_event").sum())

    _with(monkeypatch, place_same=score)
    assert linked() == 1
    _with(monkeypatch, place_same=score + 0.01)
    assert linked() == 0


# -- a whole and its parts ---------------------------------------------------------------------


def test_a_whole_states_the_sum_of_its_parts_and_a_total_the_sum_of_its_incidents() -> None:
    bracket = "In total 202 were captured (183 labourers, 19 soldiers)."
    captured = {"quote": bracket, "topic": "captured", "start": 0, "source": "AP"}
    c = compare(
        _frame(
            captured | {"value": (202, 202), "value_text": "202"},
            captured | {"value": (183, 183), "value_text": "183"},
            captured | {"value": (19, 19), "value_text": "19"},
            _total("In total, 30 people were killed in the town.", "30", 30, source="AP"),
            {
                "quote": "On 5 May a strike on the market killed 10 people.",
                "value": (10, 10),
                "value_text": "10",
                "date": "2024-05-05",
                "place": "Idlib",
                "source": "AP",
            },
            {
                "quote": "On 9 May shelling of the school killed 25 people.",
                "value": (25, 25),
                "value_text": "25",
                "date": "2024-05-09",
                "place": "Homs",
                "source": "AP",
            },
        )
    )
    group = dict(zip(c.claims.claim_id, c.claims.group_id, strict=True))
    checks = dict(zip(c.groups.group_id, c.groups.sum_check, strict=True))
    assert checks[group["a"]] == "202 = 183 + 19"
    assert checks[group["d"]] == (
        "the incidents sum to 35 (10 + 25); the total says 30: the incidents exceed it by 5"
    )
    assert {g: checks[g] for g in checks if g not in (group["a"], group["d"])} == dict.fromkeys(
        (group[k] for k in "bcef"), ""
    )
    wholes = dict(zip(c.groups.group_id, c.groups.part_of, strict=True))
    assert [wholes[group[k]] for k in "abcdef"] == ["", group["a"], group["a"], "", "", ""]
    parts = c.pairs[c.pairs.verdict == "part_of"]
    assert sorted(zip(parts.claim_a, parts.claim_b, parts.rules, parts.why, strict=True)) == [
        (
            "a",
            "b",
            "bracketed_part",
            "bracketed_part: 183 (people) is a part of 202 (people); not judged",
        ),
        (
            "a",
            "c",
            "bracketed_part",
            "bracketed_part: 19 (people) is a part of 202 (people); not judged",
        ),
    ]


@pytest.mark.parametrize(
    ("low", "high", "interval", "mid"),
    [
        (10.0, 20.0, (10.0, 20.0), 15.0),
        (10.0, None, (10.0, INF), 10.0),  # "at least 10": its low end
        (None, 50.0, (0.0, 50.0), 25.0),  # "up to 50": from none
        (float("nan"), 50.0, (0.0, 50.0), 25.0),  # a missing end read back from a file
        (None, None, (-INF, INF), None),  # no figure of known size
    ],
)
def test_a_figure_is_a_range_and_its_midpoint(
    low: float | None, high: float | None, interval: tuple[float, float], mid: float | None
) -> None:
    assert match._interval(low, high) == interval
    assert match._midpoint(*interval) == mid


def test_the_midpoint_of_an_open_range_is_its_known_end() -> None:
    assert match._midpoint(-INF, 50.0) == 50.0
    assert match._midpoint(10.0, INF) == 10.0


def test_a_total_is_shown_against_each_incident_of_its_article_never_judged() -> None:
    c = compare(
        _frame(
            _total("In total, 30 people were killed in the town.", "30", 30, source="AP"),
            {
                "quote": "On 5 May a strike on the market killed 10 people.",
                "value": (10, 10),
                "value_text": "10",
                "date": "2024-05-05",
                "place": "Idlib",
                "source": "AFP",
            },
            {
                "quote": "On 7 May shelling of the school killed 33 people.",
                "value": (33, 33),
                "value_text": "33",
                "date": "2024-05-07",
                "place": "Homs",
            },
        )
    )
    pairs = c.pairs[c.pairs.claim_a == "a"].set_index("claim_b")
    assert set(pairs.verdict) == {"different_scope"} and len(c.pairs) == 2
    assert set(pairs.rules) == {"total_and_incident"}
    assert pairs.why["b"] == (
        "total_and_incident: total 30 vs one incident 10 (2024-05-05, Idlib): different scope, "
        "not judged; the incident fits within the total"
    )
    assert pairs.why["c"].endswith("the incident fits within the total")  # 33: within ±10%
    total = match._text_key("In total, 30 people were killed in the town.")
    for claim, quote in (("b", "On 5 May a strike on the market killed 10 people."),):
        score = round(fuzz.token_set_ratio(total, match._text_key(quote)), 1)
        assert pairs.text_score[claim] == score and 0 < score < 100
    assert set(pairs.tolerance) == {0.1}


def test_an_incident_larger_than_its_total_is_shown_as_exceeding_it() -> None:
    total = _total("In total, 30 people were killed in the town.", "30", 30, source="AP")
    incident = {"quote": "A strike killed 40 people.", "value": (40, 40), "value_text": "40"}
    (why,) = compare(_frame(total, incident)).pairs.why
    assert why == (
        "total_and_incident: total 30 vs one incident 40 (undated): different scope, "
        "not judged; the incident exceeds the total"
    )


def test_a_month_its_paragraph_gives_and_the_infobox_place_do_not_make_one_incident():
    import pandas as pd

    from claims.match import compare
    from claims.model import ALL_CLAIM_COLUMNS

    def row(claim_id: str, source: str, n: float, quote: str, **values: object) -> dict:
        base = {
            "article": "Campaign of Somewhere", "claim_id": claim_id, "origin": "prose",
            "section": "Losses", "topic": "killed", "party": "", "value_low": n,
            "value_high": n, "value_text": f"{n:,.0f}", "qualifier": "exact",
            "date": "1944-08", "date_basis": "paragraph", "place": "Northern Region",
            "source": source, "source_name": source, "source_kind": "book", "quote": quote,
            "why": "topic:event date:paragraph place:infobox source:own",
        }  # fmt: skip
        base.update(values)
        return base

    rows = [
        row("a", "Stacey", 15995, "Casualties of the two armies are placed at 83,045: 15,995 "
            "killed, 57,996 wounded, and 9,054 missing."),
        row("b", "Corta", 77, "The paratroopers suffered 77 killed, with 197 wounded and missing."),
    ]  # fmt: skip
    claims = pd.DataFrame(rows).reindex(columns=list(ALL_CLAIM_COLUMNS))
    apart = compare(claims).claims.set_index("claim_id")["group_id"]
    assert apart["a"] != apart["b"], "two units' losses of one month are not one incident"
    # the same sentences dated to one day the text names are judged together
    named = claims.assign(date="1944-08-12", date_basis="sentence", why="place:sentence")
    together = compare(named).claims.set_index("claim_id")["group_id"]
    assert together["a"] == together["b"]


# -- what a comparison writes ------------------------------------------------------------------


def _strike(figure: str, low: float, high: float | None, source: str, **more: object) -> dict:
    return {
        "quote": f"On 5 May a strike on the market killed {figure} people.",
        "value": (low, float("nan") if high is None else high),
        "value_text": figure,
        "source": source,
        "date": "2024-05-05",
        "place": "Idlib",
        **more,
    }


def test_a_comparison_writes_each_pairs_verdict_figures_gap_and_the_groups_extremes() -> None:
    c = compare(
        _frame(
            _strike("30", 30, 30, "AP"),
            _strike("32", 32, 32, "AFP"),
            _strike("more than 45", 45, None, "SOHR"),
            {**_strike("40", 40, 40, "Reuters"), "place": "Homs", "date": ""},
        )
    )
    pairs = c.pairs.set_index(["claim_a", "claim_b"])
    assert pairs.loc[("a", "b"), ["verdict", "rules"]].tolist() == ["agree", "ranges_overlap"]
    assert pairs.loc[("a", "c"), ["verdict", "rules"]].tolist() == ["conflict", "ranges_apart"]
    assert pd.isna(pairs.loc[("a", "b"), "gap"])  # a gap only between figures that conflict
    assert pairs.loc[("a", "c"), "gap"] == pytest.approx((45 - 30) / 45)
    assert pairs.loc[("b", "c"), "gap"] == pytest.approx((45 - 32) / 45)
    assert pairs.loc[("a", "c"), "why"] == (
        "ranges_apart: 30 vs 45–… (tolerance ±10%), 33% apart; dates 2024-05-05 / 2024-05-05"
    )
    assert pairs.loc[("a", "b"), "why"] == (
        "ranges_overlap: 30 vs 32 (tolerance ±10%); dates 2024-05-05 / 2024-05-05"
    )
    assert pairs.loc[("a", "b"), "text_score"] == 100.0
    texts = [match._text_key(q) for q in c.claims.quote[:3]]
    assert pairs.loc[("a", "c"), "text_score"] == round(fuzz.token_set_ratio(texts[0], texts[2]), 1)
    assert len(c.pairs) == 3  # the Homs figure is alone
    claims = c.claims.set_index("claim_id")
    assert claims.confirmed.tolist() == [True, True, False, False]
    assert claims.is_highest.tolist() == [False, False, True, False]
    assert claims.is_lowest.tolist() == [True, False, False, False]
    assert claims.group_verdict.tolist() == ["conflict", "conflict", "conflict", "single"]
    group = c.groups.set_index("group_id").loc[claims.group_id["a"]]
    assert (group.low, group.high) == (30, 32)  # an open end is no extreme
    assert group.why == (
        "2 conflict, 1 agree among pairs (ranges_apart ×2, ranges_overlap ×1); "
        "3 independent source(s); figures agree when their ranges overlap within ±10%"
    )
    assert group.n_claims == 3 and group.verdict == "conflict"
    alone = c.groups.set_index("group_id").loc[claims.group_id["d"]]
    assert (alone.verdict, alone.why) == ("single", "one claim: nothing to compare")


def test_a_group_of_many_claims_is_judged_against_its_first(monkeypatch) -> None:
    _with(monkeypatch, max_all_pairs=3)
    claims = [_strike(str(n), n, n, f"Outlet {n}") for n in (30, 31, 32)]
    assert len(compare(_frame(*claims)).pairs) == 3  # up to max_all_pairs: every pair
    c = compare(_frame(*claims, _strike("33", 33, 33, "Outlet 33")))
    assert sorted(zip(c.pairs.claim_a, c.pairs.claim_b, strict=True)) == [
        ("a", "b"),
        ("a", "c"),
        ("a", "d"),
    ]


def test_one_outlet_repeating_itself_names_its_origin_and_confirms_nothing() -> None:
    c = compare(
        _frame(
            _strike("30", 30, 30, "SOHR"),
            _strike("30", 30, 30, "Reuters", relayed_from="SOHR"),
            {**_strike("31", 31, 31, "AP"), "date": ""},
        )
    )
    pairs = c.pairs.set_index(["claim_a", "claim_b"])
    assert pairs.loc[("a", "b"), "why"] == (
        "same_origin_repeats: one origin (SOHR): 30 vs 30 (tolerance ±10%); "
        "dates 2024-05-05 / 2024-05-05"
    )
    assert pairs.loc[("a", "c"), "why"].endswith("dates 2024-05-05 / ?")
    assert c.claims.set_index("claim_id").confirmed.tolist() == [True, True, True]


@pytest.mark.parametrize(
    ("interval", "shown"),
    [
        ((30.0, 30.0), "30"),
        ((1200.0, 1400.0), "1,200–1,400"),
        ((45.0, INF), "45–…"),
        ((-INF, 20.0), "…–20"),
        ((-INF, INF), "…–…"),
    ],
)
def test_a_figure_is_shown_with_its_open_ends(interval, shown) -> None:
    assert match._show(interval) == shown


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (float("nan"), ""), (1.0, "1"), ("2", "2"), (" 10.0 ", "10"), ("a.0b", "a.0b")],
)
def test_a_side_is_read_back_as_text(value, text) -> None:
    assert match._side_text(value) == text


@pytest.mark.parametrize(
    ("a", "b", "gap"),
    [
        ((30.0, 30.0), (45.0, 45.0), 15 / 45),
        ((45.0, 45.0), (30.0, 30.0), 15 / 45),  # in either order
        ((30.0, 40.0), (35.0, 50.0), 0.0),  # ranges that meet
        ((0.0, 10.0), (0.0, 0.0), None),  # nothing to divide by
        ((30.0, INF), (45.0, INF), None),
        ((30.0, 30.0), (-INF, INF), None),
    ],
)
def test_the_relative_gap_of_two_ranges(a, b, gap) -> None:
    got = match.relative_gap(a, b)
    assert got == (None if gap is None else pytest.approx(gap))


def test_the_keys_a_place_and_a_party_are_found_by() -> None:
    assert match._place_keys("Gaza City") == ("=gaza city", {"gaza", "city", "^gaz", "$ity"})
    assert match._name_keys("free army") == {"free", "army", "^fre", "$rmy"}


def test_an_empty_comparison_keeps_every_column() -> None:
    from claims.model import COMPARED_CLAIM_COLUMNS, GROUP_COLUMNS, PAIR_COLUMNS, SOURCE_COLUMNS

    c = compare(_frame().reindex(columns=list(ALL_CLAIM_COLUMNS)))
    assert list(c.claims.columns) == [*ALL_CLAIM_COLUMNS, *COMPARED_CLAIM_COLUMNS]
    assert list(c.groups.columns) == list(GROUP_COLUMNS)
    assert list(c.pairs.columns) == list(PAIR_COLUMNS)
    assert list(c.sources.columns) == list(SOURCE_COLUMNS)
    assert list(c.matrix().columns) == ["source_a", "source_b", "verdict", "count"]


def test_a_restricted_comparison_keeps_the_groups_and_sources_of_its_claims() -> None:
    c = compare(
        _frame(
            _strike("30", 30, 30, "AP"),
            _strike("31", 31, 31, "AFP"),
            {**_strike("40", 40, 40, "Reuters"), "place": "Homs"},
        )
    )
    kept = c.restrict(["a", "b"])
    assert list(kept.claims.claim_id) == ["a", "b"]
    assert list(kept.groups.group_id) == [c.claims.group_id[0]]
    assert sorted(kept.sources.source) == ["AFP", "AP"]
    assert kept.sources.set_index("source").agree.tolist() == [1, 1]
    assert kept.matrix().values.tolist() == [["AFP", "AP", "agree", 1]]
    assert c.restrict(["c"]).matrix().empty


@pytest.mark.parametrize(
    ("names", "same"),
    [
        (("Free  Syrian Army", "free syrian army"), True),  # case and spaces
        (("Syrian soldiers", "soldiers"), True),  # a party word after one other word
        (("Syrian army soldiers", "soldiers"), False),  # ...not after two
        (("Free Syrian Army", "Free Syrian Army (FSA)"), True),  # alike at party_same
        (("Free Syrian Army", "Syrian Democratic Forces"), False),
    ],
)
def test_party_names_that_count_one_party(names, same) -> None:
    frame = _frame(*({"value": (1, 1), "party": n} for n in names))
    keys = match._party_keys(frame)
    assert (keys[0] == keys[1]) is same, keys


def test_a_party_name_takes_the_first_of_the_earlier_names_alike() -> None:
    names = ["Syrian National Army", "Free Syrian Army", "Free Syrian National Army"]
    keys = match._party_keys(_frame(*({"value": (1, 1), "party": n} for n in names)))
    assert keys == ["syrian national army", "free syrian army", "syrian national army"]
    names = names[1::-1] + names[2:]
    keys = match._party_keys(_frame(*({"value": (1, 1), "party": n} for n in names)))
    assert keys == ["free syrian army", "syrian national army", "free syrian army"]


def _group_cols(*rows: dict[str, object]) -> dict[str, list]:
    fields = {"citation_url": "", "quote": "q", "value_text": "", "claimant": "", "origin": "prose",
              "date_basis": "", "date": "", "independent": "AP"}  # fmt: skip
    cols: dict[str, list] = {name: [] for name in [*fields, "interval", "value_low", "value_high"]}
    cols["text_key"] = []
    for given in rows:
        low, high = given["value"]  # type: ignore[misc]
        for name, default in fields.items():
            cols[name].append(given.get(name, default))
        cols["value_low"].append(low)
        cols["value_high"].append(high)
        cols["interval"].append(match._interval(low, high))
        cols["text_key"].append(given.get("text", "t"))
    return cols


def test_a_group_keeps_what_the_admission_rules_read() -> None:
    cols = _group_cols(
        {"value": (None, None), "text": "t0", "date_basis": "citation", "date": "2024-05-09"},
        {"value": (10.0, 20.0), "text": "t1", "date_basis": "sentence", "date": "2024-05"},
        {"value": (5.0, 30.0), "text": "t2", "date_basis": "sentence", "date": "2024-06"},
        {"value": (15.0, 15.0), "text": "t1", "origin": "infobox", "independent": "SOHR"},
        *({"value": (15.0, 15.0), "text": f"t{n}"} for n in range(3, 8)),
    )
    group = match._Group(0, [], "", "", "")
    group.add(cols, 0)
    assert group.highest_low == {"AP": float("-inf")} and not group.points
    group.add(cols, 1)
    group.add(cols, 2)
    assert group.highest_low == {"AP": 10.0}  # an outlet's largest low
    assert not group.infobox and group.as_of == "2024-05"  # the first date its text gives
    group.add(cols, 3)
    assert group.highest_low == {"AP": 10.0, "SOHR": 15.0} and group.infobox
    for r in range(4, 9):
        group.add(cols, r)
    assert group.highest_low["AP"] == 15.0
    assert group.texts == ["t0", "t1", "t2", "t3", "t4"]  # each once, the first few
    assert group.points == {15.0}  # exact figures only
    assert group.as_of == "2024-05"


def test_another_figure_of_the_sentence_is_another_count_unless_another_claimant_gives_it() -> None:
    group = match._Group(0, [], "", "", "")
    group.figures, group.speakers = {"q": {"12"}}, {"q": {"SOHR"}}
    assert group.holds_another_figure_of("q", "30", "")  # nobody named: another count
    assert group.holds_another_figure_of("q", "30", "SOHR")  # the same claimant: another count
    assert not group.holds_another_figure_of("q", "30", "AP")  # another claimant's estimate
    assert not group.holds_another_figure_of("q", "12", "")  # the same figure
    assert not group.holds_another_figure_of("other", "30", "")
    group.speakers = {"q": {""}}
    assert group.holds_another_figure_of("q", "30", "AP")  # the group's figure names nobody


def test_the_latest_groups_of_other_articles_are_found_run_by_run() -> None:
    g = [match._Group(n, [], "", "", "") for n in range(5)]
    runs = match._Runs()
    for article, group in zip("AABAC", g, strict=True):
        runs.add(article, group)
    assert [(name, [x.gid for x in run]) for name, run in runs.runs] == [
        ("A", [0, 1]),
        ("B", [2]),
        ("A", [3]),
        ("C", [4]),
    ]
    gids = lambda found: [x.gid for x in found]  # noqa: E731
    assert gids(runs.latest_elsewhere("A", 5)) == [2, 4]
    assert gids(runs.latest_elsewhere("B", 3)) == [1, 3, 4]  # the latest, oldest first
    assert gids(runs.latest_elsewhere("D", 2)) == [3, 4]
    assert gids(runs.latest_elsewhere("C", 10)) == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("quote", "expect"),
    [
        ("In September the death toll rose to 900.", "updated"),  # a running count
        ("In total, 900 people had been killed in September.", "conflict"),  # the month's
    ],
)
def test_a_later_month_is_an_update_when_its_figure_is_worded_as_a_running_count(
    quote: str, expect: str
) -> None:
    a = _toll("500", 500, "2024-05-01", source="AP")
    b = _total(quote, "900", 900, date="2024-09", date_basis="paragraph", source="AFP")
    assert _verdict(a, b)[0] == expect


def test_a_count_of_one_period_is_no_later_tally_of_its_outlet() -> None:
    def day(quote: str, figure: str, value: float, date: str) -> dict[str, object]:
        return _total(
            quote, figure, value, topic="cases", date=date, date_basis="sentence", source="APS"
        )

    first = day("On 25 March, 38 new cases were recorded in Algeria.", "38", 38, "2020-03-25")
    later = day("On 29 March, a total of 57 new cases were recorded.", "57", 57, "2020-03-29")
    assert not _together(first, later)  # two days' counts
    # the same words without "new": the outlet's running tally, later and larger
    plain_first = first | {"quote": "On 25 March, 38 cases were recorded in Algeria."}
    plain_later = later | {"quote": "On 29 March, a total of 57 cases were recorded."}
    assert _together(plain_first, plain_later)


@pytest.mark.parametrize(
    ("quote", "figure", "party", "force"),
    [
        (
            "the French army was 12,000 strong, and the English army about 9,000",
            "about 9,000",
            "France",
            "England",
        ),
        (
            "the French army was 12,000 strong, and the English army about 9,000",
            "12,000",
            "France",
            "",
        ),  # its own clause names its own force
        ("the French and the English lost 9,000 between them", "9,000", "France", ""),  # two
        ("the army numbered about 9,000", "about 9,000", "France", ""),  # none named
        ("the English army about 9,000", "12,000", "France", ""),  # no such figure
    ],
)
def test_the_force_a_figures_clause_names_is_whose_figure_it_is(
    quote: str, figure: str, party: str, force: str
) -> None:
    forces = {"Kingdom of England": "1", "France": "2"}
    got = match.force_named_in_the_clause(quote, figure, party, forces, settings())
    assert got == ("Kingdom of England" if force else "")


@pytest.mark.parametrize(
    ("quote", "place", "why", "passing"),
    [
        ("killed in the retreat back into Eritrea", "Eritrea", "place:sentence", True),
        ("the army marched towards Adwa", "Adwa", "place:sentence", True),
        ("killed in the battle at Eritrea", "Eritrea", "place:sentence", False),
        ("killed in the retreat back into Eritrea", "Eritrea", "place:infobox", False),
        ("killed in the retreat back into Eritrea", "Asmara", "place:sentence", False),
        ("into " + "x" * 20 + " Eritrea", "Eritrea", "place:sentence", False),  # too far
    ],
)
def test_a_place_people_went_to_is_no_place_of_a_total(
    quote: str, place: str, why: str, passing: bool
) -> None:
    assert match.place_of_destination(quote, place, why, settings()) is passing


@pytest.mark.parametrize(
    ("quote", "figure", "topic", "noun"),
    [
        ("The 3,000 Italian prisoners were treated well", "3,000", "injured", "prisoner"),
        ("with 3,000 prisoners taken", "3,000", "detained", ""),  # the topic it names
        ("1,500 wounded", "1,500", "killed", "wounded"),
        ("1,500 soldiers", "1,500", "injured", ""),  # no topic's noun
    ],
)
def test_a_noun_naming_another_topic_is_what_the_figure_counts(
    quote: str, figure: str, topic: str, noun: str
) -> None:
    assert match.noun_of_another_topic(quote, figure, topic, settings()) == noun


def test_a_word_of_a_forces_own_name_in_the_clause_names_it() -> None:
    forces = {"Octavian": "1", "Mark Antony": "2"}
    quote = "It is estimated that Antony had around 140 ships, vs 260 ships of Octavian's fleet."
    s = settings()
    assert match.force_named_in_the_clause(quote, "around 140", "", forces, s) == "Mark Antony"
    assert match.force_named_in_the_clause(quote, "260", "", forces, s) == "Octavian"
    # a word both names hold, or a short one, names neither
    shared = {"Kingdom of France": "1", "Kingdom of England": "2"}
    assert match.force_named_in_the_clause("the Kingdom sent 500 men", "500", "", shared, s) == ""
    # a force of the claim's own side is its own army
    own = {"Kingdom of Italy": "2", "Italians and Ascari": "2", "Ethiopian Empire": "1"}
    got = match.force_named_in_the_clause(
        "The Italians lost 7,000", "7,000", "Kingdom of Italy", own, s
    )
    assert got == ""


@pytest.mark.parametrize(
    ("quote", "figure", "thing", "qualified"),
    [
        ("three Italian brigades advanced", "three", "brigade", True),
        ("11,000 Japanese of the division", "11,000", "division", False),
        ("three Italian guns and two brigades", "three", "brigade", False),  # another noun
        ("three brigades advanced", "three", "brigade", False),  # no nationality
        ("three Tall brigades", "three", "brigade", False),  # a word that is no nationality
    ],
)
def test_a_nationality_before_a_thing_qualifies_it(
    quote: str, figure: str, thing: str, qualified: bool
) -> None:
    assert match.nationality_before_the_noun(quote, figure, thing, settings()) is qualified
