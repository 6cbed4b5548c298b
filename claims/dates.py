"""Dates in text: "29 November 2024", "November 29, 2024", "30 November", "2024-11-29".

Periods as infoboxes write them ("3–5 June 2021", "1914–18"), the year of a date written
without one, and dates written alone in brackets after a figure ("18,000 (1631)"), which date
the figure and are never figures themselves."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from claims.knowledge import load_data


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None

    def iso(self, default_year: int | None = None) -> str:
        """ISO text at the precision given (YYYY-MM-DD, YYYY-MM or YYYY); "" without a year."""
        year = self.year if self.year is not None else default_year
        if year is None:
            return ""
        text = f"-{-year:04d}" if year < 0 else f"{year:04d}"  # astronomical: 48 BC is -0047
        if not self.month:
            return text
        if not self.day:
            return f"{text}-{self.month:02d}"
        return f"{text}-{self.month:02d}-{self.day:02d}"


@cache
def _months() -> dict[str, int]:
    return {k.lower(): int(v) for k, v in load_data("dates.toml")["months"].items()}


@cache
def _month_names() -> str:
    """The month names as a regex alternation, longest first, capitalised as written in prose
    ("may" is a verb, "May" a month)."""
    return "|".join(sorted((re.escape(k.capitalize()) for k in _months()), key=len, reverse=True))


ERA_BEFORE = r"(?:BCE|BC|B\.C\.E\.|B\.C\.)"  # before the common era: 48 BC is year -47
ERA_AFTER = r"(?:AD|CE|A\.D\.|C\.E\.)"


def _year_pattern(group: str, *, bare: bool = True) -> str:
    """A year as dates write it: four digits ("1214"), or up to four with an era ("48 BC",
    "AD 9", "1066 AD"); `bare=False` wants the era."""
    era = (
        rf"(?P<{group}e>\d{{1,4}})\s?(?P<{group}b>{ERA_BEFORE}|{ERA_AFTER})(?![\w.])"
        rf"|{ERA_AFTER}\s?(?P<{group}a>\d{{1,4}})(?!\d)"
    )
    if not bare:
        return f"(?:{era})"
    return rf"(?:{era}|(?P<{group}>\d{{4}}))"


def _year_of(groups: dict[str, str | None], group: str) -> int | None:
    """The year a match's group holds, years before the era counted as astronomers do (1 BC
    is year 0, 48 BC year -47, so that one date sorts before another)."""
    if groups.get(group):
        return int(groups[group] or 0)
    if groups.get(group + "a"):
        return int(groups[group + "a"] or 0)
    if groups.get(group + "e"):
        number = int(groups[group + "e"] or 0)
        if re.fullmatch(ERA_BEFORE, groups.get(group + "b") or ""):
            return 1 - number
        return number
    return None


@cache
def _pattern() -> re.Pattern[str]:
    month = rf"(?P<{{g}}>{_month_names()})\.?"
    year = _year_pattern
    return re.compile(
        r"(?<![\w-])(?:"
        rf"(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})"
        rf"|(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+{month.format(g='m1')}(?:,?\s+{year('y1')})?"
        rf"|{month.format(g='m2')}\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)"
        rf"(?:,?\s+{year('y2')})?"
        rf"|{month.format(g='m3')}\s+{year('y3')}"
        r"|(?i:in|since|of|by|until|during|from|early|late|mid-?)\s+(?P<y4>(?:19|20)\d{2})"
        # a year of an era, anywhere: "48 BC", "AD 9", "1066 AD"
        rf"|{year('y7', bare=False)}"
        # a month alone, after a word that makes it one: "by June", "in early March",
        # "mid-August" ("May" alone is a verb)
        rf"|(?:(?i:in|by|since|until|till|during|from|through|throughout|early|late|end of"
        rf"|beginning of|start of|in early|in late|by early|by late|by mid)\s+|(?i:mid)-)"
        rf"{month.format(g='m5')}(?![\w-]|\s*\d)"
        # a month heading a line of a timeline: "July: troops deployed"
        rf"|(?:^|(?<=\n))\W{{0,3}}{month.format(g='m6')}(?=\s*:)"
        r")(?![\w-])"
    )


def find_dates(text: str) -> list[DateMention]:
    """Date mentions in reading order (year alone only after "in", "since", "by"...)."""
    months = _months()
    out: list[DateMention] = []
    for m in _pattern().finditer(text):
        g = m.groupdict()
        try:
            if g["iy"]:
                mention = DateMention(m.start(), m.end(), int(g["iy"]), int(g["im"]), int(g["id"]))
            elif g["m1"]:
                y = _year_of(g, "y1")
                mention = DateMention(m.start(), m.end(), y, months[g["m1"].lower()], int(g["d1"]))
            elif g["m2"]:
                y = _year_of(g, "y2")
                mention = DateMention(m.start(), m.end(), y, months[g["m2"].lower()], int(g["d2"]))
            elif g["m3"]:
                y = _year_of(g, "y3")
                mention = DateMention(m.start(), m.end(), y, months[g["m3"].lower()], None)
            elif g["y7e"] or g["y7a"]:
                mention = DateMention(m.start(), m.end(), _year_of(g, "y7"), None, None)
            elif g["m5"] or g["m6"]:
                group = "m5" if g["m5"] else "m6"
                start = m.start(group)
                mention = DateMention(start, m.end(), None, months[g[group].lower()], None)
            else:
                start = m.start("y4")
                mention = DateMention(start, m.end(), int(g["y4"]), None, None)
        except (KeyError, ValueError):
            continue
        if mention.month and not 1 <= mention.month <= 12:
            continue
        if mention.day and not 1 <= mention.day <= 31:
            continue
        out.append(mention)
    return out


def normalize_date(text: str) -> str:
    """The first date of a citation's date field as ISO text ("" when none)."""
    text = text.strip()
    found = find_dates(text)
    if found:
        best = found[0]
        if best.year:
            return best.iso()
    year = re.search(r"(?<!\d)(1[89]\d{2}|20\d{2})(?!\d)", text)
    return year.group(1) if year else ""


@cache
def _not_event_words() -> tuple[str, ...]:
    words = load_data("dates.toml").get("context", {}).get("not_event_after", [])
    return tuple(sorted((w.lower() for w in words), key=len, reverse=True))


def is_event_date(text: str, mention: DateMention) -> bool:
    """False for a date that bounds a period ("since March 2020") rather than dates an event."""
    before = text[max(0, mention.start - 12) : mention.start].lower().rstrip()
    return not any(
        before.endswith(w) and (len(before) == len(w) or not before[-len(w) - 1].isalnum())
        for w in _not_event_words()
    )


@dataclass(frozen=True, slots=True)
class YearHints:
    """What tells the year of a day-and-month date written without one, strongest first: a year
    written earlier in the same paragraph, the date of the citation backing the figure (an event
    is reported on or after it happens), and the article's own period (the infobox date)."""

    context_year: int | None = None
    citation_date: str = ""
    period: tuple[str, str] = ("", "")
    default_year: int | None = None


def year_of(mention: DateMention, hints: YearHints) -> int | None:
    """The year of a date mention: its own, else a year written before it in its paragraph, else
    the year within the article's period it falls in (the citation's year deciding between
    several), else the citation's year when it is near the article's, else the article's."""
    if mention.year:
        return mention.year
    if hints.context_year:
        return hints.context_year
    month, day = mention.month or 1, mention.day or 1
    cited = _cited_year(hints.citation_date, month, day)
    start, end = hints.period
    if len(start) >= 4 and not end:  # a period still going on runs to the latest year known
        end = str(max(int(start[:4]), cited or 0, hints.default_year or 0))
    if len(start) >= 4 and len(end) >= 4:
        low, high = int(start[:4]), int(end[:4])
        inside = [
            year
            for year in range(low, high + 1)
            if start <= f"{year:04d}-{month:02d}-{day:02d}"[: len(start)]
            and f"{year:04d}-{month:02d}-{day:02d}"[: len(end)] <= end
        ]
        if inside:
            if cited in inside:
                return cited
            return hints.default_year if hints.default_year in inside else inside[0]
    else:
        low = high = hints.default_year or 0
    # a book cited for an old event says nothing of the event's year
    if cited and (not low or low - 3 <= cited <= high + 1):
        return cited
    return hints.default_year


def _cited_year(cited: str, month: int, day: int) -> int | None:
    """The year a date falls in when it is reported on the citation's date (an event is
    reported on or after it happens: "3 December" cited on 10 January is the December before)."""
    if len(cited) < 4 or not cited[:4].isdecimal():
        return None
    year = int(cited[:4])
    if len(cited) >= 10:
        later = (month, day) > (int(cited[5:7]), int(cited[8:10]))
    else:
        later = len(cited) >= 7 and month > int(cited[5:7])
    return year - 1 if later else year


def date_iso(mention: DateMention, hints: YearHints) -> str:
    """ISO text of a mention whose missing year is read from its hints ("" without any)."""
    return mention.iso(year_of(mention, hints))


_DASH = r"\s*[–—‒-]\s*"
_YEAR = re.compile(r"(?<![\d,.])(1[0-9]{3}|20[0-9]{2})(?![\d,])")
_DAY_BEFORE = re.compile(rf"(?<![\d,.])(\d{{1,2}}){_DASH}$")  # "3–" of "3–5 June 2021"
_SHORT_END = re.compile(rf"^{_DASH}(\d{{2}})(?![\d,.])")  # "–18" of "1914–18"
_DAY_AFTER = re.compile(rf"^{_DASH}(\d{{1,2}})(?![\d:])(?:,?\s+(\d{{4}}))?")  # "–5, 2021"


@cache
def _month_before() -> re.Pattern[str]:
    """A month name alone before the dash of a period ("Feb –" of "Feb – Jul 2017")."""
    return re.compile(rf"(?<![\w-])({_month_names()})\.?{_DASH}$")


@cache
def _month_label() -> re.Pattern[str]:
    return re.compile(
        rf"(?:(?:early|late|mid|end of|beginning of)[\s-]+)?(?:{_month_names()})\.?",
        re.IGNORECASE,
    )


def is_month_label(text: str) -> bool:
    """A label that is a month alone ("July", "Late March"): it says when, not who."""
    return _month_label().fullmatch(text.strip()) is not None


@cache
def _open_end() -> re.Pattern[str]:
    words = load_data("dates.toml")["period"]["open_end"]
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"{_DASH}(?:{alternatives})\b", re.IGNORECASE)


def period_of(text: str, default_year: int | None) -> tuple[str, str]:
    """First and last date of a period as written in an infobox ("10 October 2023 – 17 February
    2024", "3–5 June 2021", "May 3–5, 2021"), each end taking the year written after it. A
    period still going on ("24 February 2022 – present") has no last date ("")."""
    mentions = find_dates(text)
    if not mentions:  # years alone: "1939–1945", "2014 – present"
        years = _YEAR.findall(text)
        if not years:
            return "", ""
        last_year = years[-1]
        after = text[text.rindex(last_year) + len(last_year) :]
        if _open_end().match(after):
            return years[0], ""
        short = _SHORT_END.match(after)  # "1914–18": the end keeps the century of the start
        if short and short.group(1) > last_year[2:]:
            return years[0], last_year[:2] + short.group(1)
        return years[0], last_year
    first, last = mentions[0], mentions[-1]
    before = _DAY_BEFORE.search(text[: first.start])
    month_before = _month_before().search(text[: first.start])
    if before and first.day:  # "3–5 June 2021": the first day shares the month written after
        day = int(before.group(1))
        if 1 <= day <= 31:
            mentions.insert(0, DateMention(before.start(1), first.start, None, first.month, day))
    elif month_before and first.month and not first.day:  # "Feb – Jul 2017"
        month = _months()[month_before.group(1).lower()]
        mentions.insert(0, DateMention(month_before.start(1), first.start, None, month, None))
    after = _DAY_AFTER.match(text[last.end :])
    if after and last.day and len(mentions) == 1:  # "May 3–5, 2021"
        day, year = int(after.group(1)), int(after.group(2)) if after.group(2) else None
        if 1 <= day <= 31:
            end = last.end + after.end()
            mentions.append(DateMention(last.end, end, year or last.year, last.month, day))
    years = [m.year for m in mentions]
    resolved = []
    for i, m in enumerate(mentions):
        later = next((y for y in years[i:] if y), default_year)
        resolved.append(m.iso(later))
    if _open_end().match(text[mentions[-1].end :]):
        return resolved[0], ""
    return resolved[0], resolved[-1]


# -- dates in brackets ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BracketedDate:
    """A date or period written alone in brackets: "(1631)", "(June 2011)", "(1943–44)".

    `start` and `end` are the offsets of the brackets themselves ("(" to after ")"); `first`
    and `last` are the ISO dates the period runs between, at the precision written (the same
    for a single date: "(June 2011)" gives "2011-06", "2011-06")."""

    start: int
    end: int
    first: str
    last: str


@dataclass(frozen=True, slots=True)
class _BracketRules:
    bracket: re.Pattern[str]  # "(" + body + ")", the body captured
    lead: re.Pattern[str]  # the words a bracketed date may open with ("as of")
    body: re.Pattern[str]  # days, months, years, dashes, commas
    year: re.Pattern[str]
    years: tuple[int, int]
    between: re.Pattern[str]  # what may stand between a figure and its bracket


@cache
def _bracket_rules() -> _BracketRules:
    rules = load_data("dates.toml")["bracketed"]
    lead = "|".join(sorted((re.escape(w) for w in rules["lead"]), key=len, reverse=True))
    month = rf"(?:{_month_names()})\.?"
    token = rf"(?:{month}|\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?|[–—‒/,-]|and|to)"
    tag = r"<[^<>\n]{0,40}>"
    word = r"[^\W\d_][^\W\d_'’-]*"
    low, high = (int(y) for y in rules["years"])
    return _BracketRules(
        bracket=re.compile(rf"\(([^()\n]{{1,{int(rules['max_length'])}}})\)"),
        lead=re.compile(rf"\s*(?i:{lead})(?:\s+|(?<=-))"),
        body=re.compile(rf"\s*{token}(?:\s*{token})*\s*"),
        year=re.compile(r"(?<!\d)\d{4}(?!\d)"),
        years=(low, high),
        between=re.compile(
            rf"(?:\s|{tag}|'{{2,}})*(?:{word}(?:\s|{tag}|'{{2,}})+){{0,{int(rules['words_between'])}}}"
            rf"(?:{tag}|'{{2,}}|\s)*"
        ),
    )


def bracketed_date(text: str, pos: int, default_year: int | None = None) -> BracketedDate | None:
    """The date written alone in the brackets opening at `pos` ("(1631)", "(as of 2015)",
    "(April–May 2012)"; with `default_year`, a day or month without one, "(by 25 July)");
    None when `text[pos]` opens no bracket or the bracket holds more than a date ("(2,500
    wounded)", "(12)")."""
    rules = _bracket_rules()
    m = rules.bracket.match(text, pos)
    if m is None:
        return None
    body = m.group(1)
    lead = rules.lead.match(body)
    if lead:
        body = body[lead.end() :]
    if not rules.body.fullmatch(body):
        return None
    years = [int(y) for y in rules.year.findall(body)]
    if not years and default_year is not None and any(m.month for m in find_dates(body)):
        years = [default_year]  # "(by 25 July)": the year the text is about
    elif not years or not all(rules.years[0] <= y <= rules.years[1] for y in years):
        return None
    first, last = period_of(body, years[-1])
    if not first:
        return None
    return BracketedDate(m.start(), m.end(), first, last or first)


def bracketed_date_after(
    text: str, pos: int, default_year: int | None = None
) -> BracketedDate | None:
    """The date written in brackets after offset `pos` (the end of a figure), with only spaces,
    markup and a few plain words between: "18,000 Saxons (1631)", "2,500 <small>(June
    2011)</small>". The figure is dated by it; None when no such bracket follows."""
    rules = _bracket_rules()
    gap = rules.between.match(text, pos)
    at = gap.end() if gap else pos
    if at >= len(text) or text[at] != "(":
        return None
    return bracketed_date(text, at, default_year)
