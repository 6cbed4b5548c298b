"""Figures as written become intervals; what is not a count never comes out as one."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from workcount import CountingStr, Work, count_lines

from claims.knowledge import load_data
from claims.model import Quantity
from claims.quantities import find_quantities, parse_quantity


def only(text: str) -> Quantity:
    """The one figure of `text`, checked to sit at its offsets."""
    found = find_quantities(text)
    assert len(found) == 1, found
    q = found[0]
    assert text[q.start : q.end] == q.text
    return q


def span(text: str) -> tuple[float | None, float | None]:
    q = only(text)
    return q.low, q.high


def figures(text: str) -> list[str]:
    """The figures of `text`, as written."""
    return [q.text for q in find_quantities(text)]


# -- how figures are written -------------------------------------------------------------------


def test_digits_with_thousands_separators() -> None:
    q = only("30,000 troops")
    assert (q.low, q.high, q.text, q.qualifier) == (30000, 30000, "30,000", "exact")


def test_non_breaking_space_groups_thousands() -> None:
    assert span("killed 30\u00a0000 people") == (30000, 30000)


def test_plain_space_does_not_join_numbers() -> None:
    assert [q.text for q in find_quantities("killed 30 000 people")] == ["30"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("four soldiers", 4),
        ("twelve fighters", 12),
        ("two thousand people", 2000),
        ("twenty-five soldiers", 25),
        ("twenty five soldiers", 25),
        ("two hundred and fifty people", 250),
        ("a hundred and fifty people", 150),
        ("a dozen tanks", 12),
        ("two dozen tanks", 24),
        ("a hundred people", 100),
    ],
)
def test_number_words(text: str, value: float) -> None:
    assert span(text) == (value, value)


def test_number_words_in_a_row_are_not_added_up() -> None:
    assert [q.low for q in find_quantities("the two three-storey buildings")] == [2]
    assert [q.low for q in find_quantities("two three")] == [2, 3]


def test_scale_word_multiplies_digits() -> None:
    assert span("1.5 million people") == (1_500_000, 1_500_000)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("about 300k people fled", 270_000, 330_000),
        ("5K troops", 5_000, 5_000),
        ("1.9m displaced", 1_900_000, 1_900_000),
        ("300m people", 300_000_000, 300_000_000),
        ("up to 40k fighters", None, 40_000),
        ("2-3k troops", 2_000, 3_000),
        ("1.5-2m refugees", 1_500_000, 2_000_000),
    ],
)
def test_scale_glued_to_digits_multiplies_them(text: str, low: float | None, high: float) -> None:
    assert span(text) == (low, high)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("liberated 500 square kilometres", 500, 500),
        ("captured 1,000 km2 of land", 1000, 1000),
        ("about 300 km² were retaken", 270, 330),
        ("20–30 sq mi", 51.8, 77.7),
        ("Some 300 hectares of farmland", 2.7, 3.3),
        ("more than 500 sq km", 500, None),
    ],
)
def test_land_is_a_figure_in_square_kilometres(text: str, low: float, high: float | None) -> None:
    q = only(text)
    assert (q.low, q.high, q.unit) == (low, high, "km2")


@pytest.mark.parametrize("text", ["500m from the front", "a 5kg charge", "12km north", "3mm"])
def test_unit_glued_to_digits_is_not_a_scale(text: str) -> None:
    assert find_quantities(text) == []


def test_half_a_million() -> None:
    q = only("half a million people fled")
    assert (q.low, q.high, q.text) == (500_000, 500_000, "half a million")


def test_figure_written_alone_keeps_its_qualifier_words() -> None:
    q = only("Rebel strength: at least 22")
    assert q.text == "at least 22"


# -- ranges ------------------------------------------------------------------------------------


def test_range_with_en_dash() -> None:
    q = only("10,000–20,000 fighters")
    assert (q.low, q.high, q.qualifier, q.text) == (10000, 20000, "range", "10,000–20,000")


def test_range_with_spaced_hyphen() -> None:
    assert span("115,000 - 120,000 people") == (115000, 120000)


def test_range_with_hyphen() -> None:
    assert span("20-30 soldiers") == (20, 30)


def test_range_between_and() -> None:
    q = only("between 20 and 30 soldiers")
    assert (q.low, q.high, q.text, q.qualifier) == (20, 30, "between 20 and 30", "range")


def test_range_with_to() -> None:
    assert span("20 to 30 soldiers") == (20, 30)


def test_range_in_words_with_or() -> None:
    assert span("two or three tanks") == (2, 3)


def test_one_or_two_is_a_range() -> None:
    assert span("one or two soldiers") == (1, 2)


def test_range_shares_its_scale_word() -> None:
    assert span("2–3 million people") == (2_000_000, 3_000_000)


def test_range_with_open_top() -> None:
    q = only("10,000–20,000+ fighters")
    assert (q.low, q.high, q.qualifier) == (10000, None, "at least")


def test_range_of_four_digit_counts() -> None:
    assert span("2000–3000 fighters") == (2000, 3000)


def test_year_range_is_not_a_figure() -> None:
    assert figures("the 2011–2024 war") == []
    assert figures("in 2011–12") == []


def test_falling_hyphenated_pair_is_not_a_figure() -> None:
    assert figures("the match ended 3-1") == []


# -- qualifiers and open ends --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "high", "qualifier"),
    [
        ("more than 30 villages", 30, None, "more than"),
        ("over 30 villages", 30, None, "more than"),
        ("At least 22 civilians were killed", 22, None, "at least"),
        ("3,000+ fighters", 3000, None, "at least"),
        ("50 or more fighters", 50, None, "at least"),
        ("up to 40 soldiers", None, 40, "up to"),
        ("as many as 200 may have died", None, 200, "up to"),
        ("fewer than 10 people", None, 10, "fewer than"),
        (">100 vehicles", 100, None, "more than"),
    ],
)
def test_open_end_is_none(text: str, low: float | None, high: float | None, qualifier: str) -> None:
    q = only(text)
    assert (q.low, q.high, q.qualifier) == (low, high, qualifier)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("about 10,000 people", 9000, 11000),
        ("approximately 100,000 residents", 90000, 110000),
        ("c. 1,000 troops", 900, 1100),
        ("~500 fighters", 450, 550),
        ("≈500 fighters", 450, 550),
        ("estimated at 10,000", 9000, 11000),
        ("about 5 fighters", 4, 6),
    ],
)
def test_about_is_a_ten_percent_band(text: str, low: float, high: float) -> None:
    q = only(text)
    assert (q.low, q.high, q.qualifier) == (low, high, "about")


def test_about_band_is_read_from_numbers_toml() -> None:
    assert load_data("numbers.toml")["qualifiers"]["about_band"] == 0.1


def test_nearly_is_below_the_figure() -> None:
    q = only("nearly 100 fighters")
    assert (q.low, q.high, q.qualifier) == (90, 100, "about")


def test_qualifier_before_a_range_keeps_the_range() -> None:
    assert span("up to 20–30 soldiers") == (None, 30)


# -- vague amounts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phrase",
    ["dozens", "scores", "hundreds", "thousands", "tens of thousands", "several", "tens"],
)
def test_vague_word_takes_its_documented_range(phrase: str) -> None:
    vague = load_data("numbers.toml")["vague"]
    q = only(f"{phrase} of people were killed")
    assert (q.low, q.high) == tuple(vague[phrase])
    assert (q.text, q.qualifier) == (phrase, "vague")


def test_dozens_is_a_vague_range() -> None:
    assert span("dozens of soldiers") == (24, 99)


def test_hundreds_of_thousands_is_one_vague_range() -> None:
    assert span("hundreds of thousands of people") == (200_000, 999_999)


def test_vague_multiplier_before_a_scale() -> None:
    assert span("several hundred fighters") == (300, 900)
    assert span("a few thousand people") == (2000, 5000)
    assert span("several dozen fighters") == (36, 108)
    assert span("several thousands of people") == (3000, 9000)


def test_round_number_plural_is_a_vague_range() -> None:
    q = only("1,000s of people fled")
    assert (q.low, q.high, q.text, q.qualifier) == (2000, 9999, "1,000s", "vague")
    assert figures("the 1990s") == figures("the 2000s") == []


def test_a_few_counts_only_before_a_noun() -> None:
    assert span("a few soldiers") == (2, 5)
    assert figures("there were a few.") == []


def test_vague_amount_of_time_or_distance_is_not_a_figure() -> None:
    for text in ("a few days", "several days", "hundreds of kilometres", "dozens of times"):
        assert figures(text) == [], text


def test_vague_word_used_as_a_noun_is_not_a_figure() -> None:
    assert figures("their test scores rose") == []


def test_at_least_dozens_leaves_the_top_open() -> None:
    assert span("at least dozens of fighters") == (24, None)


# -- shares ------------------------------------------------------------------------------------


def test_more_than_half_is_a_share() -> None:
    q = only("rebels took more than half of the city")
    assert (q.low, q.high, q.unit, q.text) == (50, 100, "percent", "more than half")


def test_percent_sign_is_a_share() -> None:
    q = only("70% of the town was destroyed")
    assert (q.low, q.high, q.unit, q.text) == (70, 70, "percent", "70%")


def test_share_never_exceeds_the_whole() -> None:
    assert span("about 95% of homes") == (85, 100)


def test_percent_words_are_a_share() -> None:
    assert only("70 per cent of the city").unit == "percent"
    assert only("5 percent of voters").unit == "percent"


def test_half_of_is_a_share() -> None:
    q = only("half the city was destroyed")
    assert (q.low, q.high, q.qualifier, q.unit) == (50, 50, "share", "percent")


def test_one_in_five_is_a_share() -> None:
    q = only("one in five residents fled")
    assert (q.low, q.high, q.unit, q.text) == (20, 20, "percent", "one in five")


def test_half_of_a_time_or_an_ordinal_half_is_not_a_share() -> None:
    for text in ("the first half of 2016", "half an hour later", "a third party", "cut in half"):
        assert figures(text) == [], text


def test_share_of_a_stretch_of_time_is_not_a_figure() -> None:
    for text in ("for most of the day", "during half of 2016", "most of the fighting"):
        assert figures(text) == [], text
    assert figures("most of the city") == ["most"]


def test_majority_needs_of() -> None:
    assert span("the majority of residents") == (50, 100)
    assert figures("a Sunni majority city") == []


# -- what is not a figure ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["In 2016 the offensive began", "the 2024 offensive", "(2016)", "2016", "the 2011 protests"],
)
def test_year_is_not_a_figure(text: str) -> None:
    assert figures(text) == []


def test_the_year_of_a_month_day_date_is_not_a_figure() -> None:
    assert figures("died on September 19, 1881 as a result of infection") == []
    assert figures("died on 19 September 1881") == []
    assert span("By March 3, 1,900 soldiers had died") == (1900, 1900)


def test_old_year_after_in_is_not_a_figure() -> None:
    assert figures("In 1683 the siege began") == []
    assert span("1500 soldiers") == (1500, 1500)


def test_four_digit_count_before_a_plural_noun_is_a_figure() -> None:
    assert span("a force of 2000 men") == (2000, 2000)
    assert span("around 2000 soldiers") == (1800, 2200)


def test_qualified_year_is_not_a_figure() -> None:
    assert figures("around 2013, the army withdrew") == []


def test_more_than_a_four_digit_number_is_a_figure() -> None:
    assert span("more than 2000") == (2000, None)


@pytest.mark.parametrize(
    "text",
    [
        "on 27 November 2024",
        "on November 27, 2024",
        "November 27",
        "on Nov. 27",
        "2024-11-27",
        "27/11/2024",
        "between 27 and 30 November",
        "on 27–28 November",
    ],
)
def test_date_is_not_a_figure(text: str) -> None:
    assert figures(text) == []


def test_figure_after_a_date_range_still_counts() -> None:
    assert [q.text for q in find_quantities("27–28 November, 50 soldiers were killed")] == ["50"]


def test_may_is_a_month_only_when_capitalised() -> None:
    assert figures("on 5 May") == []
    assert span("as many as 200 may have died") == (None, 200)


def test_time_is_not_a_figure() -> None:
    for text in ("at 10:30 the attack began", "at 3 pm", "10.30 a.m."):
        assert figures(text) == [], text


def test_age_is_not_a_figure() -> None:
    for text in (
        "a boy aged 12",
        "a 12-year-old boy",
        "12 years old",
        "between the ages of 15 and 18",
    ):
        assert figures(text) == [], text


def test_ordinal_is_not_a_figure() -> None:
    for text in ("the 25th Division", "the first attack", "the 3rd Corps", "the twenty-first"):
        assert figures(text) == [], text


@pytest.mark.parametrize(
    "text",
    [
        "Regiment 46 arrived",
        "Brigade 80",
        "Division 25",
        "the 104 Brigade",
        "Route 5 and Highway 4",
        "the M5 highway",
        "T-55",
        "BMP-1",
        "Su-24",
        "Mi-8",
        "COVID-19",
        "Resolution 2254",
    ],
)
def test_unit_or_model_name_is_not_a_figure(text: str) -> None:
    assert figures(text) == []


def test_count_before_a_model_name_is_a_figure() -> None:
    assert [q.low for q in find_quantities("four T-55 tanks and 5 M113 carriers")] == [4, 5]


def test_place_name_with_digits_is_not_a_figure() -> None:
    assert figures("the 3000 Apartments district") == []
    assert figures("the 1070 Apartment Project") == []


def test_page_number_is_not_a_figure() -> None:
    for text in ("see page 12", "p. 12", "pp. 3–5", "pp. 3-5"):
        assert figures(text) == [], text


def test_identifier_chain_is_not_a_figure() -> None:
    assert figures("ISBN 978-1-4008-1234-5") == []


def test_image_size_is_not_a_figure() -> None:
    assert figures("a 250px image") == []


def test_money_is_not_a_figure() -> None:
    for text in ("cost $5 million", "US$ 20", "5,000 Syrian pounds", "20 dollars", "₺5,000"):
        assert figures(text) == [], text


def test_duration_is_not_a_figure() -> None:
    for text in ("lasted 3 days", "48 hours", "two weeks", "3 consecutive days", "2 or 3 days"):
        assert figures(text) == [], text


def test_distance_is_not_a_figure() -> None:
    for text in ("5 km north", "10 kilometres", "5km", "from 20 to 30 km", "5 mi (8 km)"):
        assert figures(text) == [], text


def test_calibre_is_not_a_figure() -> None:
    assert figures("7.62×39mm rounds") == figures("155 mm shells") == []


def test_stage_or_day_number_is_not_a_figure() -> None:
    assert figures("Day 3 of the offensive") == figures("Phase 2 began") == []


def test_coordinates_are_not_figures() -> None:
    assert figures("36°12′N 37°10′E") == []


def test_endless_digits_are_not_a_figure() -> None:
    assert figures("about " + "9" * 400) == []
    assert span("5 billion billion") == (5e9, 5e9)


def test_leading_zero_is_not_a_figure() -> None:
    assert figures("agent 007") == []


@pytest.mark.parametrize(
    "text",
    ["one of the largest", "one another", "no one was hurt", "one side", "One said it was over"],
)
def test_one_as_a_pronoun_is_not_a_figure(text: str) -> None:
    assert figures(text) == []


def test_one_before_a_counted_word_is_a_figure() -> None:
    assert span("one soldier was killed") == (1, 1)
    assert span("only one soldier survived") == (1, 1)


def test_five_thousand_strong_is_a_figure() -> None:
    assert span("a 5,000-strong force") == (5000, 5000)
    assert span("a 5,000-man force") == (5000, 5000)


# -- whole sentences and the single-figure parser ----------------------------------------------


def test_infobox_line_with_two_claims() -> None:
    found = find_quantities("Rebel strength: 350 (Russian claim) 30,000+")
    assert [(q.text, q.low, q.high) for q in found] == [("350", 350, 350), ("30,000+", 30000, None)]


def test_sentence_gives_figures_in_order_with_offsets() -> None:
    text = "On 1 December 2024, an airstrike killed 16 civilians and injured 20 others in 2 hours."
    found = find_quantities(text)
    assert [q.text for q in found] == ["16", "20"]
    for q in found:
        assert text[q.start : q.end] == q.text


def test_parse_quantity_reads_one_figure() -> None:
    q = parse_quantity("about 10,000")
    assert q is not None and (q.low, q.high, q.qualifier) == (9000, 11000, "about")
    q = parse_quantity("dozens")
    assert q is not None and q.qualifier == "vague"


def test_parse_quantity_offsets_point_into_its_input() -> None:
    text = "  more than 30 "
    q = parse_quantity(text)
    assert q is not None and text[q.start : q.end] == q.text == "more than 30"


def test_parse_quantity_reads_one_written_alone() -> None:
    q = parse_quantity("one")
    assert q is not None and (q.low, q.high) == (1, 1)


def test_parse_quantity_is_none_for_no_figure_or_many() -> None:
    assert parse_quantity("the army") is None
    assert parse_quantity("2016") is None
    assert parse_quantity("20 killed, 30 wounded") is None
    assert parse_quantity("") is None


def test_vague_ranges_are_documented_in_one_place() -> None:
    vague = load_data("numbers.toml")["vague"]
    assert vague["several"] == [3, 9]
    assert vague["dozens"] == [24, 99]
    assert vague["hundreds"] == [200, 999]
    assert vague["thousands"] == [2000, 9999]
    assert vague["tens of thousands"] == [20000, 99999]


# -- properties ------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "about", "more than", "up to", "between", "and", "to", "or", "-", "–", "+", "%", "of",
        "dozens", "hundreds", "half", "a", "one", "two", "thousand", "million", "the", "in",
        "November", "2016", "10,000", "30", "1.5", "T", "km", "days", "soldiers", " ", ",", ".",
        "9" * 40, "billion", "several", "in", "every", "c.", "~", "per cent", "May", "0",
    ]
)  # fmt: skip


def _check(text: str) -> None:
    for q in find_quantities(text):
        assert text[q.start : q.end] == q.text
        assert q.low is not None or q.high is not None
        if q.low is not None and q.high is not None:
            assert q.low <= q.high
        assert q.unit in ("", "percent")
        assert q.qualifier in (
            "exact", "about", "more than", "at least", "fewer than", "up to", "range", "vague",
            "share",
        )  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_valid_quantities(text: str) -> None:
    _check(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12).map(" ".join))
def test_figure_like_text_gives_valid_quantities(text: str) -> None:
    _check(text)
    parse_quantity(text)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Nearly half of those killed were under 25.", ["Nearly half"]),
        ("About 40% were over 60, officials said.", ["About 40%"]),
        ("Two-thirds of the dead were younger than 30.", ["Two-thirds"]),
        ("Casualties were over 200.", ["over 200"]),
        ("About 30% were killed; losses were over 50.", ["About 30%", "over 50"]),
        ("Half of the victims were over 100 soldiers.", ["Half", "over 100"]),
    ],
)
def test_an_age_said_of_a_share_of_people_is_no_count(text: str, kept: list[str]) -> None:
    assert figures(text) == kept


# -- names, floors, shares with no whole, periods, bracketed dates -----------------------------


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("30 were killed by Task Force 88 on Monday", ["30"]),
        ("aboard a Boeing 737 carrying 150 passengers", ["150"]),
        ("the Tupolev 154 crashed", []),
        ("an Antonov 26 and a McDonnell Douglas 80 landed", []),
        ("the crew of Soyuz 11 died", []),
        ("a force 3,000 strong", ["3,000"]),  # lower case: a count
        ("British Army 12,000", ["12,000"]),  # separators: a count
        ("a Wagner 300 fighters", ["300"]),  # a counted word follows
        ("a British 300-strong force", ["300"]),
        ("losses: the Allies 120, the Axis 340", ["120", "340"]),
        ("Hamas 300 fighters", ["300"]),
        ("the 12th Division lost 300 men", ["300"]),  # an ordinal names too
        ("Boeing 737 crashed", []),
    ],
)
def test_a_number_in_a_name_is_not_a_figure(text: str, kept: list[str]) -> None:
    assert figures(text) == kept


@pytest.mark.parametrize(
    "text",
    [
        "on floor 12",
        "floors 3 to 5",
        "a 20 storey building",
        "a 20-storey building",
        "the fire reached 20 floors",
        "on the 12th floor",
        "in room 101",
    ],
)
def test_floors_and_storeys_are_not_figures(text: str) -> None:
    assert figures(text) == []


@pytest.mark.parametrize(
    "text",
    ["fewer than half returned", "more than a third were wounded", "the majority were civilians"],
)
def test_a_share_with_no_whole_is_no_figure(text: str) -> None:
    assert figures(text) == []


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("fewer than half of the residents fled", (0, 50)),
        ('rebels held "more than half" of the city', (50, 100)),
        ("80% of those who died were civilians", (80, 80)),
        ("half of the victims were children", (50, 50)),
    ],
)
def test_a_share_of_a_named_whole_is_a_share(text: str, share: tuple[float, float]) -> None:
    q = only(text)
    assert (q.low, q.high, q.unit) == (*share, "percent")


@pytest.mark.parametrize(
    "text",
    [
        "A Statistical History, 1800–2000",
        "the wars of 1792–1815 killed millions",
        "during 1914-18 the town",
        "the Revolution (1789–1799)",
    ],
)
def test_a_span_of_years_is_a_period(text: str) -> None:
    assert not [q for q in find_quantities(text) if q.text[:1].isdigit()], text


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("1500–2000 fighters", (1500, 2000)),
        ("1850–1900 soldiers", (1850, 1900)),
        ("1500–2000 killed", (1500, 2000)),
        ("1800–2000 killed and wounded", (1800, 2000)),
        ("about 1500–2000", (1500, 2000)),
        ("Strength: 1500–2000", (1500, 2000)),
    ],
)
def test_a_span_of_four_digit_counts_is_a_range(text: str, span: tuple[float, float]) -> None:
    assert figures(text)[:1] and (only(text).low, only(text).high) == span


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("18,000 Saxons (1631)", ["18,000"]),
        ("2,500 (June 2011)", ["2,500"]),
        ("4,000 (April–May 2012)", ["4,000"]),
        ("12,000 (1943–44) and 300 (1631–1632)", ["12,000", "300"]),
        ("3,000 (as of 2015)", ["3,000"]),
        ("300 (1500 wounded)", ["300", "1500"]),  # a count in brackets stays one
    ],
)
def test_a_date_in_brackets_is_not_a_figure(text: str, kept: list[str]) -> None:
    assert figures(text) == kept


# -- speed ---------------------------------------------------------------------------------------


def _long_sentence(n: int) -> str:
    """One sentence of n figures: bracketed counts after names, shares with ages, bare lists."""
    names = ["Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir", "Gorse", "Hazel"]
    parts = []
    for k in range(n):
        name = names[k % len(names)] + names[(k // 8) % len(names)].lower()
        parts.append(
            (f"{name} ({k % 9 + 1})", f"{k + 1}", f"half of the {name} were under {k % 50 + 5}")[
                (k // 20) % 3
            ]
        )
    return ", ".join(parts) + "."


def test_figures_of_one_sentence_cost_linear_time() -> None:
    # counted, not timed: the lines of the package run, the characters read from the sentence
    def cost(n: int) -> int:
        work = Work()
        text = CountingStr(_long_sentence(n), work)
        found = count_lines(work, lambda: find_quantities(text))
        assert len(found) >= n
        return work.total

    small, large = cost(200), cost(1600)
    assert large < small * 12, (small, large)  # 8x the figures; quadratic would be 64x
