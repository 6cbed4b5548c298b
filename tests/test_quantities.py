"""Figures as written become intervals; what is not a count never comes out as one."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.knowledge import load_data
from claims.quantities import find_quantities, parse_quantity


def one(text: str) -> tuple[float | None, float | None, str, str]:
    found = find_quantities(text)
    assert len(found) == 1, found
    q = found[0]
    assert text[q.start : q.end] == q.text
    return q.low, q.high, q.text, q.qualifier


def test_digits_with_separators() -> None:
    assert one("30,000 troops") == (30000, 30000, "30,000", "exact")


def test_number_words() -> None:
    assert one("four soldiers")[:2] == (4, 4)
    assert one("twelve fighters")[:2] == (12, 12)
    assert one("two thousand people")[:2] == (2000, 2000)
    assert one("twenty-five soldiers")[:2] == (25, 25)
    assert one("two hundred and fifty people")[:2] == (250, 250)
    assert one("a dozen tanks")[:2] == (12, 12)


def test_scaled_digits() -> None:
    assert one("1.5 million people")[:2] == (1_500_000, 1_500_000)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("10,000–20,000 fighters", 10000, 20000),
        ("115,000 - 120,000 people", 115000, 120000),
        ("between 20 and 30 soldiers", 20, 30),
        ("20 to 30 soldiers", 20, 30),
        ("two or three tanks", 2, 3),
        ("2–3 million people", 2_000_000, 3_000_000),
    ],
)
def test_ranges(text: str, low: float, high: float) -> None:
    got_low, got_high, _, qualifier = one(text)
    assert (got_low, got_high, qualifier) == (low, high, "range")


@pytest.mark.parametrize(
    ("text", "low", "high", "qualifier"),
    [
        ("more than 30 villages", 30, None, "more than"),
        ("over 30 villages", 30, None, "more than"),
        ("at least 22 civilians", 22, None, "at least"),
        ("3,000+ fighters", 3000, None, "at least"),
        ("up to 40 soldiers", None, 40, "up to"),
        ("fewer than 10 people", None, 10, "fewer than"),
        ("about 10,000 people", 9000, 11000, "about"),
        ("approximately 100,000 residents", 90000, 110000, "about"),
        ("c. 1,000 troops", 900, 1100, "about"),
        ("nearly 100 fighters", 90, 100, "about"),
    ],
)
def test_qualifiers_turn_a_point_into_an_interval(
    text: str, low: float | None, high: float | None, qualifier: str
) -> None:
    assert one(text)[0:2] == (low, high)
    assert one(text)[3] == qualifier


def test_vague_amounts_take_their_documented_ranges() -> None:
    vague = load_data("numbers.toml")["vague"]
    for phrase in ("dozens", "scores", "hundreds", "thousands", "tens of thousands", "several"):
        low, high, text, qualifier = one(f"{phrase} of people were killed")
        assert (low, high) == tuple(vague[phrase])
        assert text == phrase and qualifier == "vague"


def test_vague_multiplier_before_a_scale() -> None:
    assert one("several hundred fighters")[:2] == (300, 900)
    assert one("a few thousand people")[:2] == (2000, 5000)


def test_shares_are_percent() -> None:
    (q,) = find_quantities("rebels took more than half of the city")
    assert (q.low, q.high, q.unit) == (50, 100, "percent")
    (q,) = find_quantities("70% of the town was destroyed")
    assert (q.low, q.high, q.unit) == (70, 70, "percent")


@pytest.mark.parametrize(
    "text",
    [
        "In 2016 the offensive began",
        "the 2024 offensive",
        "on 27 November 2024",
        "on November 27, 2024",
        "at 10:30 the attack began",
        "a 12-year-old boy",
        "a boy aged 12",
        "the 25th Division",
        "Regiment 46 arrived",
        "four T-55 tanks",
        "Su-24 jets and BMP-1 vehicles",
        "the 3000 Apartments district",
        "see page 12",
        "pp. 3–5",
        "a 250px image",
        "cost $5 million",
        "lasted 3 days",
        "5 km north",
        "one of the largest",
        "no one was hurt",
        "COVID-19",
        "the 1980s",
        "Route 5 and Highway 4",
    ],
)
def test_not_figures(text: str) -> None:
    values = {(q.low, q.high) for q in find_quantities(text)}
    assert values <= {(4.0, 4.0)}, values  # "four" in "four T-55 tanks" is the only count


def test_five_thousand_strong_is_a_figure() -> None:
    assert one("a 5,000-strong force")[:2] == (5000, 5000)


def test_parse_quantity_alone() -> None:
    q = parse_quantity("about 10,000")
    assert q is not None and q.qualifier == "about"
    assert parse_quantity("the army") is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_valid_quantities(text: str) -> None:
    for q in find_quantities(text):
        assert text[q.start : q.end] == q.text
        if q.low is not None and q.high is not None:
            assert q.low <= q.high
        assert q.low is not None or q.high is not None
