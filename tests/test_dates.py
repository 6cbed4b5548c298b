"""Periods as infoboxes write them, and the years of days written without one."""

from __future__ import annotations

import pytest

from claims.dates import (
    BracketedDate,
    YearHints,
    bracketed_date,
    bracketed_date_after,
    date_iso,
    find_dates,
    period_of,
    year_of,
)


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("17 October 2023", ("2023-10-17", "2023-10-17")),
        ("10 October 2023 – 17 February 2024", ("2023-10-10", "2024-02-17")),
        ("27 November – 2 December 2024", ("2024-11-27", "2024-12-02")),
        ("3–5 June 2021", ("2021-06-03", "2021-06-05")),
        ("3 – 5 June 2021", ("2021-06-03", "2021-06-05")),
        ("May 3–5, 2021", ("2021-05-03", "2021-05-05")),
        ("July 1–3, 1863", ("1863-07-01", "1863-07-03")),
        ("June 2021", ("2021-06", "2021-06")),
        ("Feb – Jul 2017", ("2017-02", "2017-07")),
        ("Oct 2016 – Jul 2017", ("2016-10", "2017-07")),
        ("24 February 2022 – present", ("2022-02-24", "")),
        ("3 June 2021 – ongoing", ("2021-06-03", "")),
        ("1939–1945", ("1939", "1945")),
        ("1914–18", ("1914", "1918")),
        ("1998 – 99", ("1998", "1999")),
        ("2014 – present", ("2014", "")),
        ("", ("", "")),
        ("unknown", ("", "")),
    ],
)
def test_period_as_an_infobox_writes_it(text: str, period: tuple[str, str]) -> None:
    assert period_of(text, None) == period


def test_a_day_of_a_period_still_going_on_takes_the_latest_year_known() -> None:
    (day,) = find_dates("on 3 February")
    hints = YearHints(citation_date="2024-02-10", period=("2022-02-24", ""))
    assert year_of(day, hints) == 2024
    (day,) = find_dates("on 3 March")
    hints = YearHints(citation_date="2024-02-10", period=("2022-02-24", ""))
    assert year_of(day, hints) == 2023  # reported before it would happen in 2024


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("By June, some 700,000 people had fled", 6),
        ("By mid-August, the toll had risen", 8),
        ("in early March the army attacked", 3),
        ("By the end of March, 31 deaths", 3),
        ("in March, 12 died", 3),
    ],
)
def test_a_month_alone_after_a_word_that_makes_it_one_is_a_date(text: str, month: int) -> None:
    (mention,) = find_dates(text)
    assert (mention.year, mention.month, mention.day) == (None, month, None)
    hints = YearHints(context_year=2017)
    assert date_iso(mention, hints) == f"2017-{month:02d}"


@pytest.mark.parametrize("text", ["They May go", "It may rain", "Marching on", "in Junee"])
def test_a_month_name_alone_is_no_date(text: str) -> None:
    assert find_dates(text) == []


# -- dates in brackets -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("18,000 (1631)", "1631", "1631"),
        ("18,000 Saxons (1631)", "1631", "1631"),
        ("2,500 (June 2011)", "2011-06", "2011-06"),
        ("4,000 <small>(April–May 2012)</small>", "2012-04", "2012-05"),
        ("12,000 killed (1943–44)", "1943", "1944"),
        ("3,000 (as of 2015)", "2015", "2015"),
        ("300 (c. 1631)", "1631", "1631"),
        ("300 ''(3–5 June 2021)''", "2021-06-03", "2021-06-05"),
        ("40 (mid-2014)", "2014", "2014"),
    ],
)
def test_a_date_in_brackets_after_a_figure_dates_it(text: str, first: str, last: str) -> None:
    pos = text.index(" ")  # the end of the figure
    found = bracketed_date_after(text, pos)
    assert found is not None
    assert (found.first, found.last) == (first, last)
    assert text[found.start] == "(" and text[found.end - 1] == ")"


@pytest.mark.parametrize(
    "text",
    [
        "300 (2,500 wounded)",  # a count in brackets
        "300 (12)",  # a number with no year
        "300 (May)",  # a month with no year
        "300 killed, (1631)",  # punctuation stands between
        "300 killed in the long battle by the river (1631)",  # too many words between
        "300 (3000)",  # no year
        "300 killed",
        "300",
    ],
)
def test_no_date_in_brackets_after_a_figure(text: str) -> None:
    assert bracketed_date_after(text, text.index("3") + 3) is None


def test_a_bracketed_date_is_found_only_where_its_bracket_opens() -> None:
    text = "lost 900 men (1631) in the field"
    at = text.index("(")
    assert bracketed_date(text, at) == BracketedDate(at, at + 6, "1631", "1631")
    assert bracketed_date(text, at - 1) is None
