"""Figures in plain text, as written, turned into intervals.

"four", "about 10,000", "more than 30", "between 20 and 30", "dozens", "tens of thousands",
"more than half", "70%": each becomes a `Quantity` with a low and a high end (None for an open
end), its qualifier, and its offsets in the text. Years, dates, times, ages, ordinals, unit and
model names ("Regiment 46", "T-55", "Task Force 88", "a Boeing 737"), floors ("floors 3 to 5"),
place names with digits ("3000 Apartments"), page numbers, sizes, money, durations and
distances are not figures; nor are spans of years ("A Statistical History, 1800–2000"), dates
written alone in brackets ("18,000 Saxons (1631)", see `dates.bracketed_date`) and shares of no
whole ("fewer than half returned"). Number words, vague amounts, their ranges and the words
that rule a number out live in `claims/data/numbers.toml`. Reading is linear in the length of
the text, however many figures one sentence holds.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import accumulate

from claims.dates import bracketed_date
from claims.knowledge import load_data, lowered_set
from claims.model import Quantity

# A token is a number ("30,000", "1.5"), a word ("twenty-five", "al-Hawa") or one symbol.
_TOKEN = re.compile(
    r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)"
    r"|\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?![\d,.])"
    r"|\d+(?:\.\d+)?"
    r"|[^\W\d_][^\W\d_'’]*(?:['’][^\W\d_]+)?(?:-[^\W\d_]+)*"
    r"|\S)"
)
_GROUP_SEPARATORS = str.maketrans("", "", ",\u00a0\u202f\u2009")
_DASHES = frozenset({"-", "–", "—", "‒", "−"})
_JOINERS = _DASHES | {"/"}
_CONNECTORS = frozenset({"to", "or"})
_CLOSING_QUOTES = frozenset({'"', "”", "’", "'"})
_ONE = frozenset({"a", "an"})  # a singular article: what it opens counts one thing
_DETERMINERS = frozenset({"the", "this", "that", "its", "their", "his", "her", "our", "these"})
_CLAUSE_STOP = re.compile(r"[;:]")
_PERCENT_WORDS = (("%",), ("percent",), ("per", "cent"), ("pc",), ("per", "centum"))
_PERCENT_FIRST = frozenset(p[0] for p in _PERCENT_WORDS)


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    words: dict[str, float]
    scales: dict[str, float]
    glued_scales: dict[str, float]
    glued_scale_units: frozenset[str]
    area_units: dict[tuple[str, ...], float]
    share_age_verbs: frozenset[str]
    max_share_age: float
    vague: dict[tuple[str, ...], tuple[float, float]]
    multipliers: frozenset[tuple[str, ...]]
    vague_nouns: frozenset[str]
    vague_noun_after: frozenset[str]
    shares: dict[tuple[str, ...], tuple[float, float]]
    share_followers: frozenset[str]
    share_not_after: frozenset[str]
    share_not_of: frozenset[str]
    qualifiers: dict[tuple[str, ...], str]
    after_at_least: tuple[tuple[str, ...], ...]
    about_band: float
    likely_years: tuple[float, float]
    possible_years: tuple[float, float]
    year_before: frozenset[str]
    plural_nouns: frozenset[str]
    not_before: frozenset[str]
    not_before_phrases: dict[str, tuple[tuple[str, ...], ...]]  # by their last word
    not_after: frozenset[str]
    not_after_phrases: dict[str, tuple[tuple[str, ...], ...]]  # by their first word
    after_skip: frozenset[str]
    name_after: frozenset[str]
    name_before: frozenset[str]
    span_counted_after: frozenset[str]
    glued_after: frozenset[str]
    glued_before: frozenset[str]
    one_not_before: frozenset[str]
    one_not_after: frozenset[str]
    months: frozenset[str]
    starters: frozenset[str]  # words that can begin a figure
    first_words: dict[str, frozenset[str]]  # per phrase table: the words its phrases start with


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(t.lower() for t in _TOKEN.findall(text))


def _span(values: list[float]) -> tuple[float, float]:
    return float(values[0]), float(values[1])


def _index(phrases: list[tuple[str, ...]], position: int) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases grouped by their word at `position`, so a lookup tries only those that can match."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        out.setdefault(phrase[position], []).append(phrase)
    return {k: tuple(v) for k, v in out.items()}


@cache
def _vocabulary() -> _Vocabulary:
    data = load_data("numbers.toml")
    scales = {k.lower(): float(v) for k, v in data["scales"].items()}
    vague = {_phrase(k): _span(v) for k, v in data["vague"].items()}
    multipliers = frozenset(
        p for p in vague if p[-1] == "of" or (p[-1] not in scales and not p[-1].endswith("s"))
    )
    shares = {_phrase(k): _span(v) for k, v in data["shares"].items()}
    qualifiers: dict[tuple[str, ...], str] = {}
    quals = data["qualifiers"]
    for label in ("about", "nearly", "more than", "at least", "up to", "fewer than"):
        for phrase in quals[label]:
            qualifiers[_phrase(phrase)] = label
    not_figures = data["not_figures"]
    after = [_phrase(w) for w in not_figures["after"]]
    years = data["years"]
    months = frozenset(k.lower() for k in load_data("dates.toml")["months"])
    words = {k.lower(): float(v) for k, v in data["words"].items()}
    data_area = {_phrase(k): float(v) for k, v in data["area_units"].items()}
    at_least = tuple(_phrase(p) for p in quals["after_at_least"])
    return _Vocabulary(
        words=words,
        scales=scales,
        glued_scales={k.lower(): float(v) for k, v in data["glued_scales"].items()},
        glued_scale_units=lowered_set(data["glued_scale_rules"]["also_units"]),
        area_units=data_area,
        share_age_verbs=lowered_set(data["share_ages"]["verbs"]),
        max_share_age=float(data["share_ages"]["max_age"]),
        vague=vague,
        multipliers=multipliers,
        vague_nouns=lowered_set(data["vague_nouns"]["words"]),
        vague_noun_after=lowered_set(data["vague_nouns"]["not_after"]),
        shares=shares,
        share_followers=lowered_set(data["share_rules"]["followers"]),
        share_not_after=lowered_set(data["share_rules"]["not_after"]),
        share_not_of=lowered_set(data["share_rules"]["not_of"]),
        qualifiers=qualifiers,
        after_at_least=at_least,
        about_band=float(quals["about_band"]),
        likely_years=_span(years["likely"]),
        possible_years=_span(years["possible"]),
        year_before=lowered_set(years["before"]),
        plural_nouns=lowered_set(years["plural_nouns"]),
        not_before=lowered_set(not_figures["before"]),
        not_before_phrases=_index([_phrase(p) for p in not_figures["before_phrases"]], -1),
        not_after=frozenset(p[0] for p in after if len(p) == 1),
        not_after_phrases=_index([p for p in after if len(p) > 1], 0),
        after_skip=lowered_set(not_figures["after_skip"]),
        name_after=lowered_set(not_figures["name_after"]),
        name_before=lowered_set(not_figures["name_before"]),
        span_counted_after=lowered_set(data["year_spans"]["counted_after"]),
        glued_after=frozenset(not_figures["glued_after"]),
        glued_before=frozenset(not_figures["glued_before"]),
        one_not_before=lowered_set(not_figures["one_not_before"]),
        one_not_after=lowered_set(not_figures["one_not_after"]),
        months=months,
        starters=frozenset(
            {p[0] for table in (vague, qualifiers, shares) for p in table}
            | set(words)
            | {"a", "an", "between", "half"}
        ),
        first_words={
            "vague": frozenset(p[0] for p in vague),
            "shares": frozenset(p[0] for p in shares),
            "qualifiers": frozenset(p[0] for p in qualifiers),
            "area_units": frozenset(p[0] for p in data_area if p),
            "after_at_least": frozenset(p[0] for p in at_least if p),
        },
    )


@cache
def _core() -> re.Pattern[str]:
    """A text with no digit and none of these words holds no figure."""
    v = _vocabulary()
    core = set(v.words) | set(v.scales) | {"half"}
    for table in (v.vague, v.shares):
        for phrase in table:
            core.update(w for w in phrase if w not in {"a", "an", "the", "of", "one"})
    alternatives = "|".join(sorted((re.escape(w) for w in core), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})")


_DIGIT = re.compile(r"\d")


def _may_hold_a_figure(text: str) -> bool:
    """A digit or a number word: texts without either are skipped before tokenizing."""
    return bool(_DIGIT.search(text) or _core().search(text.lower()))


def _tokens(text: str) -> tuple[list[str], list[int], list[int], list[str], list[str]]:
    """Texts, starts, ends, lower-cased texts and kinds (num | word | sym) of the tokens."""
    parts = _TOKEN.split(text)  # separator, token, separator, token, ..., separator
    bounds = list(accumulate(map(len, parts)))
    texts = parts[1::2]
    kinds = ["num" if t[0].isdecimal() else "word" if t[0].isalnum() else "sym" for t in texts]
    return texts, bounds[0::2][:-1], bounds[1::2], [t.lower() for t in texts], kinds


class _Reader:
    """Reads figures from a token list, left to right."""

    def __init__(self, text: str, *, alone: bool = False) -> None:
        self.text = text
        self.alone = alone  # the text is one figure written alone ("one", not "one of")
        self.texts, self.starts, self.ends, self.lows, self.kinds = _tokens(text)
        self.n = len(self.texts)
        self.vocab = _vocabulary()

    # -- token helpers ---------------------------------------------------------------------

    def lowers(self, i: int, size: int) -> tuple[str, ...]:
        """The lower-cased tokens i..i+size-1 (fewer at the end of the text, none before it)."""
        return tuple(self.lows[i : i + size]) if i >= 0 else ()

    def lower(self, i: int) -> str:
        return self.lows[i] if 0 <= i < self.n else ""

    def kind(self, i: int) -> str:
        return self.kinds[i] if 0 <= i < self.n else ""

    def match(
        self, i: int, table: dict[tuple[str, ...], object], name: str
    ) -> tuple[int, object] | None:
        """The longest phrase of `table` starting at token i, as (its size, its value)."""
        if i >= self.n or self.lows[i] not in self.vocab.first_words[name]:
            return None
        for size in (4, 3, 2, 1):
            key = self.lowers(i, size)
            if len(key) == size and key in table:
                if size > 1 and not self.spaced(i, i + size):
                    continue
                return size, table[key]
        return None

    def spaced(self, first: int, stop: int) -> bool:
        """Tokens first..stop-1 are separate words (no symbol glued between them)."""
        for k in range(first + 1, stop):
            if self.kinds[k] == "sym" and self.lows[k] not in ".~+":
                return False
        return True

    def glued(self, a: int, b: int) -> bool:
        return 0 <= a < self.n and 0 <= b < self.n and self.ends[a] == self.starts[b]

    def number_glued(self, j: int) -> bool:
        """Token j is a number glued to the token before it."""
        return self.kind(j) == "num" and self.glued(j - 1, j)

    def word_glued(self, j: int) -> bool:
        """Token j is a word glued to the token before it."""
        return self.kind(j) == "word" and self.glued(j - 1, j)

    def dash_number(self, j: int) -> bool:
        """Tokens j, j+1 are a dash glued to the token before it and to a number after it."""
        return (
            self.lower(j) in _DASHES
            and self.glued(j - 1, j)
            and self.kind(j + 1) == "num"
            and self.glued(j, j + 1)
        )

    def is_plural(self, i: int) -> bool:
        """Token i reads as a plural noun ("soldiers", "people"), the mark of a counted thing."""
        if self.kind(i) != "word":
            return False
        lower = self.lows[i]
        if lower in self.vocab.plural_nouns:
            return True
        return (
            self.texts[i].islower()
            and lower.endswith("s")
            and not lower.endswith(("ss", "'s", "’s", "us", "is"))
        )

    # -- values ----------------------------------------------------------------------------

    def value(self, i: int) -> tuple[float, int, bool] | None:
        """A number at token i: (value, next index, written in digits)."""
        if i >= self.n:
            return None
        kind, lower = self.kinds[i], self.lows[i]
        v = self.vocab
        if kind == "num":
            number = float(self.texts[i].translate(_GROUP_SEPARATORS))
            j, last = i + 1, 1.0
            glued = self.glued_scale(i)
            if glued:
                return number * glued, i + 2, True  # "300k", "1.9m"
            while (
                v.scales.get(self.lower(j), 0.0) > last
            ):  # "2 hundred thousand", not "5 billion billion"
                last = v.scales[self.lower(j)]
                number *= last
                j += 1
            return number, j, True
        if kind != "word":
            return None
        nxt = self.lower(i + 1)
        if lower in ("a", "an"):
            if nxt in v.scales or nxt == "dozen":
                return self.words_value(i + 1, start_with=1.0)
            return None
        if lower == "half" and nxt in ("a", "an"):
            scale = self.lower(i + 2)
            if scale in v.scales or scale == "dozen":
                return v.scales.get(scale, 12.0) / 2, i + 3, False  # "half a million"
            return None
        return self.words_value(i)

    def glued_scale(self, i: int) -> float:
        """The scale glued to the digits of token i ("300k", "2bn"), or 0 when there is none."""
        v = self.vocab
        j = i + 1
        if self.kind(j) != "word" or not self.glued(i, j) or self.lows[j] not in v.glued_scales:
            return 0.0
        if self.kind(j + 1) in ("word", "num") and self.glued(j, j + 1):
            return 0.0  # "5kg", "3mm"
        if self.lows[j] in v.glued_scale_units and not (
            "." in self.texts[i] or self.is_plural(j + 1)
        ):
            return 0.0  # "500m from the front"
        return v.glued_scales[self.lows[j]]

    def words_value(self, i: int, start_with: float = 0.0) -> tuple[float, int, bool] | None:
        """Number words from token i: "twenty-five", "two hundred and fifty", "two dozen"."""
        v = self.vocab
        total, current, j, seen = 0.0, start_with, i, False
        largest = float("inf")  # the scales of one number fall: "two million five hundred thousand"
        while j < self.n:
            lower = self.lows[j]
            parts = lower.split("-") if self.kinds[j] == "word" else [lower]
            if parts[0] != "dozen" and all(p in v.words for p in parts):
                amount = sum(v.words[p] for p in parts)
                below_hundred = current % 100
                if not (
                    current == 0
                    or (below_hundred == 0 and amount < 100)
                    or (below_hundred >= 20 and below_hundred % 10 == 0 and amount < 10)
                ):
                    break  # "two three" is two numbers, not five
                current += amount
            elif lower == "dozen":
                current = (current or 1.0) * 12
            elif lower in v.scales and (seen or start_with):
                scale = v.scales[lower]
                if scale >= 1000:
                    if scale >= largest:
                        break
                    largest = scale
                    total += (current or 1.0) * scale
                    current = 0.0
                else:
                    current = (current or 1.0) * scale
            elif lower == "and" and seen and j + 1 < self.n:
                nxt = self.lows[j + 1].split("-")
                if not all(p in v.words for p in nxt) or self.lows[j - 1] not in v.scales:
                    break
            else:
                break
            seen = True
            j += 1
        if not seen:
            return None
        if self.lows[j - 1] == "and":
            j -= 1
        return total + current, j, False

    # -- figures ---------------------------------------------------------------------------

    def read(self) -> list[Quantity]:
        out: list[Quantity] = []
        starters = self.vocab.starters
        lows, kinds, n = self.lows, self.kinds, self.n
        last_share: Quantity | None = None  # the last share read, for the ages said of it
        i = 0
        while i < n:
            if (
                kinds[i] != "num"
                and lows[i] not in starters
                and (kinds[i] != "word" or lows[i].split("-")[0] not in starters)
            ):
                i = self.past_bracketed_date(i) if lows[i] == "(" else i + 1
                continue
            found = self.figure(i)
            if found is None:
                i += 1
                continue
            first = i
            quantity, i = found
            if quantity is None:
                continue
            if last_share is not None and self.age_of_a_share(last_share, quantity, first, i):
                continue
            out.append(quantity)
            if quantity.unit == "percent":
                last_share = quantity
        return out

    def past_bracketed_date(self, i: int) -> int:
        """The index past a date written alone in the brackets opening at token i ("(1631)",
        "(as of 2015)", "(1943–44)"): it dates a figure and is none; i + 1 when there is none."""
        found = bracketed_date(self.text, self.starts[i])
        if found is None:
            return i + 1
        return bisect.bisect_left(self.starts, found.end, i + 1)

    def clause_break(self, start: int, end: int) -> bool:
        """A ";" or ":" stands between offsets start and end of the text."""
        stops = self._clause_stops
        k = bisect.bisect_left(stops, start)
        return k < len(stops) and stops[k] < end

    @cached_property
    def _clause_stops(self) -> list[int]:
        return [m.start() for m in _CLAUSE_STOP.finditer(self.text)]

    def age_of_a_share(self, share: Quantity, q: Quantity, first: int, after: int) -> bool:
        """ "Nearly half of those killed were under 25": the figure is the age of a share.

        `share` is the last share read before `q`, whose tokens are first..after-1."""
        v = self.vocab
        if q.unit or self.clause_break(share.end, q.start):
            return False  # the share is of this clause: "About 30% were killed; losses ..."
        if (q.high if q.high is not None else q.low or 0) > v.max_share_age:
            return False
        if q.qualifier not in ("fewer than", "more than", "up to", "at least"):
            return False  # "under 25", "over 60"; "half of them were 12 soldiers" is a count
        if self.kind(first - 1) != "word" or self.lows[first - 1] not in v.share_age_verbs:
            return False
        return self.kind(after) != "word" or self.lower(after) in ("and", "or")

    def figure(self, i: int) -> tuple[Quantity | None, int] | None:
        """The figure starting at token i, and the index after it; None when there is none.

        (None, j) means "not a figure, and tokens up to j belong to it" (a date, a model name).
        """
        v = self.vocab
        first = i
        qualifier = ""
        between = False
        hit = self.match(i, v.qualifiers, "qualifiers")
        if hit:
            size, qualifier = hit
            i += size
        elif self.lows[i] == "between":
            between = True
            i += 1
        if not (self.lower(i) == "half" and self.lower(i + 1) in ("a", "an")):
            share = self.share(first, i, qualifier)
            if share is not None:
                return share
        vague = self.vague(first, i, qualifier)
        if vague is not None:
            return vague
        got = self.value(i)
        if got is None:
            return None
        number, j, digits = got
        if not number < _LARGEST:
            return None, j  # a string of digits, not a count
        ratio = self.ratio(first, i, j, number)
        if ratio is not None:
            return ratio
        if digits and self.lower(j) == "s" and self.glued(j - 1, j):
            return self.round_plural(first, i, j, number)
        if digits:
            chain = self.chain_end(i)
            if chain:
                return None, chain  # "2024-11-27", "978-1-4008-0"
            span = self.year_span(first, i, j, qualifier)
            if span:
                return None, span  # "1792–1815", "A Statistical History, 1800–2000"
        if not self.area(j)[0] and self.excluded(first, i, j, number, digits, qualifier):
            return None, self.skip_other_end(first, j)
        low = high = number
        unit = ""
        kind = qualifier or "exact"
        # a range: "10,000–20,000", "20 to 30", "between 20 and 30", "two or three"
        k = j
        if (
            self.lower(k) in _DASHES
            or self.lower(k) in _CONNECTORS
            or (between and self.lower(k) == "and")
        ):
            second = self.value(k + 1)
            if second is not None and self.lower(k + 1) != "more":
                other, k2, digits2 = second
                land = self.area(k2)[0] > 0
                if not land and self.excluded(first, k + 1, k2, other, digits2, "range"):
                    return None, k2  # "27–28 November", "20 to 30 km": neither end counts
                scale = self.scale_of(k + 1, k2)
                if scale > 1 and self.scale_of(i, j) == 1 and number * scale <= other:
                    number *= scale  # "2–3 million"
                if digits == digits2 and number <= other < _LARGEST:
                    low, high, j = number, other, k2
                    kind = "range" if qualifier in ("", "about", "nearly") else qualifier
                elif digits and self.dash_number(k):
                    return None, k2  # "3-1", "4008-1234": a score or a code, not a count
        elif between:
            return None, j
        percent, j = self.percent(j)
        if percent:
            unit = "percent"
        factor, after_area = self.area(j)
        if factor:  # "500 square kilometres", "190 sq mi": land, in km2
            unit, j = "km2", after_area
        whole = unit == "percent" and high <= 100
        low, high, kind, j = self.qualify(low, high, kind, j)
        if factor:
            low = None if low is None else round(low * factor, 2)
            high = None if high is None else round(high * factor, 2)
        if whole and high is not None:
            high = min(high, 100.0)  # "about 95%" ends at the whole; "a 300% rise" is no share
        return self.make(first, j, low, high, kind, unit), j

    def round_plural(
        self, first: int, i: int, j: int, number: float
    ) -> tuple[Quantity | None, int]:
        """ "100s", "1,000s": the vague plural of a round number; "1990s" is a decade."""
        plural = {10.0: "tens", 100.0: "hundreds", 1000.0: "thousands", 1e6: "millions"}
        span = self.vocab.vague.get((plural.get(number, ""),))
        if span is None or j - i != 1 or self.unit_after(j + 1 + (self.lower(j + 1) == "of")):
            return None, j + 1
        return self.make(first, j + 1, span[0], span[1], "vague", ""), j + 1

    def share(self, first: int, i: int, qualifier: str) -> tuple[Quantity, int] | None:
        """A share of a whole in percent: "more than half of the city", "two-thirds of them"."""
        v = self.vocab
        hit = self.match(i, v.shares, "shares")
        if not hit:
            return None
        size, (low, high) = hit
        end = i + size
        after = end + 1 if self.lower(end) in _CLOSING_QUOTES else end  # '"more than half" of'
        follower = self.lower(after)
        if self.lower(first - 1) in v.share_not_after and not qualifier:
            return None  # "the first half of 2016", "in half"
        if follower not in v.share_followers:
            return None  # "half an hour", "a third party", "fewer than half" of no whole
        whole = after + 1 if follower == "of" else after
        if self.lower(whole) in _DETERMINERS:
            whole += 1
        if self.lower(whole) in v.share_not_of or (
            self.kind(whole) == "num" and len(self.texts[whole]) == 4
        ):
            return None  # "most of the day", "half of 2016"
        lo, hi, kind, end = self.qualify(low, high, qualifier or "share", end)
        lo = 0.0 if lo is None else lo
        hi = 100.0 if hi is None else min(hi, 100.0)
        return self.make(first, end, lo, hi, kind, "percent"), end

    def ratio(self, first: int, i: int, j: int, number: float) -> tuple[Quantity, int] | None:
        """ "one in five (residents)", "1 in 10": a share of a whole, in percent."""
        if number != 1 or j - i != 1 or self.lower(j) != "in":
            return None
        k = j + 2 if self.lower(j + 1) == "every" else j + 1
        whole = self.value(k)
        if whole is None or whole[0] <= 1 or whole[2] != (self.kind(i) == "num"):
            return None
        total, end, digits = whole
        if self.excluded(first, k, end, total, digits, "range"):
            return None
        if digits and len(self.texts[k]) == 4:
            return None  # "1 in 2016"
        share = round(100 / total, 1)
        return self.make(first, end, share, share, "share", "percent"), end

    def vague(self, first: int, i: int, qualifier: str) -> tuple[Quantity | None, int] | None:
        """A vague amount, with an optional multiplier before a scale ("several hundred")."""
        v = self.vocab
        hit = self.match(i, v.vague, "vague")
        if not hit:
            return None
        size, (low, high) = hit
        j = i + size
        phrase = self.lowers(i, size)
        if phrase[0] in v.vague_nouns and self.lower(first - 1) in v.vague_noun_after:
            return None  # "test scores"
        if phrase in v.multipliers:
            scale, last = 1.0, 1.0
            while True:
                word = self.lower(j)
                word = word[:-1] if word[:-1] in v.scales else word  # "several thousands"
                step = v.scales.get(word, 12.0 if word == "dozen" else 0.0)
                if step <= last:
                    break  # "several hundred thousand", not "several million million"
                last = step
                scale *= step
                j += 1
            alone = scale == 1.0 and phrase[-1] != "several"
            if alone and self.kind(j) != "word":
                return None  # "a few", "a number of" alone: only before a noun
            low, high = low * scale, high * scale
        after = j + 1 if self.lower(j) == "of" else j
        if self.unit_after(after):
            return None, j  # "several days", "hundreds of kilometres"
        lo: float | None = low
        hi: float | None = high
        if qualifier in ("more than", "at least"):
            hi = None  # "at least dozens"
        elif qualifier in ("up to", "fewer than"):
            lo = None
        return self.make(first, j, lo, hi, "vague", ""), j

    def skip_other_end(self, first: int, j: int) -> int:
        """After a number that is not a figure, the index past the other end of its range."""
        connector = self.lower(j)
        between = "between" in self.lowers(max(0, first - 4), min(first + 1, 5))
        if connector in _DASHES or connector in _CONNECTORS or (between and connector == "and"):
            second = self.value(j + 1)
            if second is not None:
                return second[1]
        return j

    def chain_end(self, i: int) -> int:
        """The index past a chain of three or more numbers joined by glued dashes or slashes."""
        j, count = i + 1, 1
        while self.lower(j) in _JOINERS and self.glued(j - 1, j) and self.glued(j, j + 1):
            if self.kind(j + 1) != "num":
                break
            j += 2
            count += 1
        return j if count >= 3 else 0

    def scale_of(self, start: int, stop: int) -> float:
        """The product of the scale words ("million") among tokens start..stop-1."""
        scale = 1.0
        for k in range(start, stop):
            scale *= self.vocab.scales.get(self.lows[k], 1.0)
            if self.kinds[k] == "num":
                scale *= self.glued_scale(k) or 1.0
        return scale

    def area(self, j: int) -> tuple[float, int]:
        """A unit of area from token j: (its size in km2, the token after it), or (0, j)."""
        units = self.vocab.area_units
        if self.lower(j) not in self.vocab.first_words["area_units"]:
            return 0.0, j  # no unit starts with the word: the common case, tried first
        for size in (3, 2, 1):
            key = self.lowers(j, size)
            if len(key) == size and key in units:
                if key[-1].isdigit() and not self.glued(j + size - 2, j + size - 1):
                    continue  # "km 2" only as "km2"
                return units[key], j + size
        return 0.0, j

    def percent(self, j: int) -> tuple[bool, int]:
        if self.lower(j) not in _PERCENT_FIRST:
            return False, j
        for phrase in _PERCENT_WORDS:
            if self.lowers(j, len(phrase)) == phrase:
                return True, j + len(phrase)
        return False, j

    def qualify(
        self, low: float, high: float, kind: str, j: int
    ) -> tuple[float | None, float | None, str, int]:
        """Turns a point or range with its qualifier into an interval (see numbers.toml)."""
        v = self.vocab
        if self.lower(j) in v.first_words["after_at_least"]:
            for phrase in v.after_at_least:
                if self.lowers(j, len(phrase)) == phrase and (
                    phrase != ("+",) or self.glued(j - 1, j)
                ):
                    return low, None, "at least", j + len(phrase)
        band = v.about_band
        if kind == "about":
            return _floor(low * (1 - band)), _ceil(high * (1 + band)), kind, j
        if kind == "nearly":
            return _floor(low * (1 - band)), high, "about", j
        if kind in ("more than", "at least"):
            return low, None, kind, j
        if kind in ("up to", "fewer than"):
            return None, high, kind, j
        return low, high, kind, j

    def make(
        self, first: int, stop: int, low: float | None, high: float | None, kind: str, unit: str
    ) -> Quantity:
        start = self.starts[first]
        end = self.ends[stop - 1]
        return Quantity(low, high, self.text[start:end], kind, unit, start, end)

    # -- what is not a figure --------------------------------------------------------------

    def unit_after(self, j: int) -> bool:
        """The words from token j name a unit of time, distance, money or size ("3 days")."""
        v = self.vocab
        if self.lower(j) in v.after_skip and self.kind(j + 1) == "word":
            j += 1
        if self.kind(j) not in ("word", "sym"):
            return False
        if self.glued(j, j + 1) and (self.kind(j + 1) == "num" or self.dash_number(j + 1)):
            return False  # "5 M113 carriers", "5 T-72 tanks": a designation follows
        if self.lower(j) in v.not_after:
            return True
        phrases = v.not_after_phrases.get(self.lows[j], ())
        return any(self.lowers(j, len(p)) == p for p in phrases)

    def ends_date(self, comma: int) -> bool:
        """Whether the tokens before `comma` are a month and a day ("September 19,"), so that
        a four-digit number after it is the date's year."""
        if self.lower(comma) != "," or not self.is_month(comma - 2):
            return False
        day = self.value(comma - 1)
        return day is not None and day[2] and 1 <= day[0] <= 31 and day[1] == comma

    def is_month(self, i: int) -> bool:
        return (
            self.kind(i) == "word"
            and self.lows[i] in self.vocab.months
            and self.texts[i][:1].isupper()
        )

    def excluded(
        self, first: int, i: int, j: int, number: float, digits: bool, qualifier: str
    ) -> bool:
        """The number at tokens i..j-1 (figure starting at `first`) is not a count."""
        v = self.vocab
        if digits and self.texts[i][:1] == "0" and self.texts[i][1:2].isdigit():
            return True  # "007", the "000" of "30 000"
        if first > 0:
            before = self.lows[first - 1]
            if digits and not qualifier and before in v.not_before:
                return True  # "Regiment 46", "page 12"
            abbreviation = self.lows[first - 2] + "." if first > 1 else ""
            if digits and before == "." and abbreviation in v.not_before:
                return True  # "pp. 3–5", "No. 4"
            phrases = v.not_before_phrases.get(before, ())
            if any(self.lowers(first - len(p), len(p)) == p for p in phrases):
                return True  # "at the age of 12"
            if digits and (
                self.is_month(first - 1) or (before == "." and self.is_month(first - 2))
            ):
                return True  # "November 27", "Nov. 27"
            glued = self.glued(first - 1, first)
            joined = self.kind(first - 2) in ("word", "num") and self.glued(first - 2, first - 1)
            if glued and joined and before in _DASHES:
                return True  # "T-55", "Su-24", the second part of "2024-11"
            if glued and before in v.glued_before:
                return True  # "$5", "#1", "12:30"
            if glued and self.kinds[first - 1] in ("word", "num"):
                return True  # "M5", "A4"
            if digits and not qualifier and self.in_a_name(first, i, j):
                return True  # "Task Force 88", "a Boeing 737"
        if j < self.n:
            after = self.lows[j]
            glued = self.glued(j - 1, j)
            if glued and self.kinds[j] == "word":
                return True  # "250px", "12th", "5km"
            if glued and after in v.glued_after and self.number_glued(j + 1):
                return True  # "10:30", "12/3", "36°12′"
            if glued and after in v.glued_after - {".", "'"}:
                return True  # "36°", "5′"
            if glued and after in _DASHES and self.word_glued(j + 1):
                return self.lows[j + 1] not in _COUNTED_SUFFIXES  # "12-year-old"
            if self.unit_after(j):
                return True  # "3 days", "5 km", "$5 million dollars"
            if digits and self.is_month(j):
                return True  # "27 November"
            if after in v.name_after and self.texts[j][:1].isupper():
                return True  # "3000 Apartments", "the 104 Brigade"
        if digits and self.is_year(first, i, j, number, qualifier):
            return True
        if not digits and number == 1 and (j - i) == 1:
            return self.one_is_a_pronoun(first, j)
        return False

    def in_a_name(self, first: int, i: int, j: int) -> bool:
        """The number at tokens i..j-1 is part of a name written before it: after a capitalised
        naming word ("Task Force 88", "Tupolev 154"), or after "a" or "an" and one or two
        capitalised words ("a Boeing 737": a singular article counts one thing, so the number
        names it), written without separators, before no counted word.
        """
        if j - i != 1 or not self.texts[i].isdigit():
            return False
        k = first - 1
        if not self.capitalised(k):
            return False
        if self.lows[k] in self.vocab.name_before:
            return True
        if self.counted_after(j) or (self.lower(j) in _DASHES and self.glued(j - 1, j)):
            return False  # "a Wagner 300 fighters", "a British 300-strong force"
        if self.capitalised(k - 1) and self.lower(k - 2) in _ONE:
            return True  # "a McDonnell Douglas 80"
        return self.lower(k - 1) in _ONE

    def capitalised(self, k: int) -> bool:
        """Token k is a word written with a capital ("Force", "Boeing")."""
        return self.kind(k) == "word" and self.texts[k][:1].isupper()

    def year_span(self, first: int, i: int, j: int, qualifier: str) -> int:
        """The index past two years joined by a dash ("1792–1815", "1800–2000"), a period and
        no figure; 0 when the tokens from i are no such span (see [year_spans] in numbers.toml)."""
        v = self.vocab
        if qualifier or j - i != 1 or self.lower(j) not in _DASHES:
            return 0
        a, b = self.texts[i], self.texts[j + 1] if j + 1 < self.n else ""
        if not (len(a) == len(b) == 4 and a.isdecimal() and b.isdecimal()):
            return 0
        low, high = v.possible_years[0], v.likely_years[1]
        if not (low <= int(a) < int(b) <= high):
            return 0
        end = j + 2
        if self.counted_after(end):
            return 0  # "1500–2000 fighters", "1500–2000 killed"
        alone_before = first == 0 or self.lower(first - 1) in (":", "=")
        if alone_before and self.kind(end) != "word":
            return 0  # "Strength: 1500–2000": a line's figure, read as before
        return end

    def counted_after(self, k: int) -> bool:
        """The words from token k make the figure before them a count: a plural noun, or a word
        of `counted_after` ending its clause ("1500–2000 killed", not "1792–1815 killed millions").
        """
        if self.is_plural(k):
            return True
        return self.lower(k) in self.vocab.span_counted_after and (
            self.kind(k + 1) != "word" or self.lower(k + 1) in ("and", "or")
        )

    def one_is_a_pronoun(self, first: int, j: int) -> bool:
        """The word "one" counts only before a counted word: not "one of", "no one", "one said"."""
        v = self.vocab
        after = self.lower(j)
        if self.alone and j == self.n and first == 0:
            return False  # "one" written alone
        if (after in _DASHES or after in _CONNECTORS) and self.value(j + 1) is not None:
            return False  # "one or two"
        if self.kind(j) != "word" or after in v.one_not_before:
            return True
        return self.lower(first - 1) in v.one_not_after

    def is_year(self, first: int, i: int, j: int, number: float, qualifier: str) -> bool:
        """A four-digit number read as a year ("in 2016", "the 2024 offensive", "(2016)")."""
        v = self.vocab
        token = self.texts[i]
        if j - i != 1 or len(token) != 4 or not token.isdecimal():
            return False
        if qualifier and qualifier not in ("about", "nearly", "range"):
            return False  # "more than 2000", "at least 1900"
        before = self.lower(first - 1)
        strong = before in v.year_before or self.is_month(first - 1) or self.ends_date(first - 1)
        if v.possible_years[0] <= number <= v.possible_years[1]:
            return strong and not qualifier  # "in 1683"
        if not v.likely_years[0] <= number <= v.likely_years[1]:
            return False
        if qualifier == "range":
            return False  # "1500–2000 fighters": the first end was a count
        if strong:
            return True
        if self.lower(j) in _DASHES or self.lower(j) in _CONNECTORS:
            second = self.value(j + 1)
            if second is not None and second[2] and second[0] > v.likely_years[1]:
                return False  # "2000–3000 fighters"
            if second is not None and second[2] and self.counted_after(second[1]):
                return False  # "1850–1900 soldiers", "1800–2000 killed": a range of counts
        return not self.is_plural(j)


_LARGEST = 1e12  # more than any count of people or things a conflict article gives
_COUNTED_SUFFIXES = frozenset({"strong", "man", "men", "member", "person", "people", "soldier"})


def _floor(value: float) -> float:
    """Whole number at or below `value` (rounding noise of the band removed first)."""
    return float(math.floor(round(value, 6)))


def _ceil(value: float) -> float:
    return float(math.ceil(round(value, 6)))


def find_quantities(text: str) -> list[Quantity]:
    """Every figure of a plain text, in reading order, with offsets into `text`."""
    if not text or not _may_hold_a_figure(text):
        return []
    return _Reader(text).read()


def parse_quantity(text: str) -> Quantity | None:
    """One figure written alone ("about 10,000", "dozens"); None when it is not one."""
    stripped = text.strip()
    if not stripped or not _may_hold_a_figure(stripped):
        return None
    found = _Reader(stripped, alone=True).read()
    if len(found) != 1:
        return None
    q = found[0]
    offset = len(text) - len(text.lstrip())
    return Quantity(q.low, q.high, q.text, q.qualifier, q.unit, q.start + offset, q.end + offset)
