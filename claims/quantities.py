"""Figures in plain text, as written, turned into intervals.

"four", "about 10,000", "more than 30", "between 20 and 30", "dozens", "tens of thousands",
"more than half", "70%": each becomes a `Quantity` with a low and a high end (None for an open
end), its qualifier, and its offsets in the text. Years, dates, times, ages, ordinals, unit and
model names ("Regiment 46", "T-55"), place names with digits ("3000 Apartments"), page numbers,
sizes, money, durations and distances are not figures. Number words, vague amounts and their
ranges live in `claims/data/numbers.toml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from claims.knowledge import load_data, lowered_set
from claims.model import Quantity

_TOKEN = re.compile(
    r"(?P<num>\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"|(?P<word>[^\W\d_][^\W\d_'’]*(?:['’][^\W\d_]+)?(?:-[^\W\d_]+)*)"
    r"|(?P<sym>\S)"
)
_DASHES = frozenset({"-", "–", "—", "‒", "−"})
_CONNECTORS = frozenset({"to", "or"})
_PERCENT_WORDS = (("percent",), ("per", "cent"), ("pc",), ("per", "centum"))
_PREVIOUS_FOR_YEAR = frozenset(
    {
        "the",
        "in",
        "of",
        "since",
        "by",
        "until",
        "till",
        "from",
        "during",
        "to",
        "and",
        "early",
        "late",
        "mid",
        "before",
        "after",
        "between",
        "through",
        "throughout",
        "for",
        "its",
        "his",
        "her",
        "their",
        "a",
        "an",
        "this",
        "that",
        "each",
        "every",
        "'s",
        "or",
        "as",
        "at",
        "on",
        "spring",
        "summer",
        "autumn",
        "fall",
        "winter",
    }
)
_NO_ONE = frozenset({"no", "any", "every", "each", "the", "this", "that", "at", "which", "anyone"})


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    text: str
    lower: str
    kind: str  # num | word | sym


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    words: dict[str, float]
    scales: dict[str, float]
    vague: dict[tuple[str, ...], tuple[float, float]]
    multipliers: dict[tuple[str, ...], tuple[float, float]]
    shares: dict[tuple[str, ...], tuple[float, float]]
    qualifiers: dict[tuple[str, ...], str]
    after_at_least: tuple[tuple[str, ...], ...]
    about_band: float
    not_before: frozenset[str]
    not_after: frozenset[str]
    not_after_phrases: tuple[tuple[str, ...], ...]
    place_after: frozenset[str]
    one_not_before: frozenset[str]
    months: frozenset[str]
    starters: frozenset[str]  # words that can begin a figure


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(t.group(0).lower() for t in _TOKEN.finditer(text))


@cache
def _vocabulary() -> _Vocabulary:
    data = load_data("numbers.toml")
    scales = {k.lower(): float(v) for k, v in data["scales"].items()}
    vague = {_phrase(k): (float(v[0]), float(v[1])) for k, v in data["vague"].items()}
    multipliers = {
        p: v for p, v in vague.items() if p[-1] not in scales and not p[-1].endswith("s")
    }
    multipliers.update({p: v for p, v in vague.items() if p[-1] == "of"})
    qualifiers: dict[tuple[str, ...], str] = {}
    quals = data["qualifiers"]
    for label in ("about", "nearly", "more than", "at least", "up to", "fewer than"):
        for phrase in quals[label]:
            qualifiers[_phrase(phrase)] = label
    not_figures = data["not_figures"]
    after = [_phrase(w) for w in not_figures["after"]]
    months = frozenset(k.lower() for k in load_data("dates.toml")["months"])
    return _Vocabulary(
        words={k.lower(): float(v) for k, v in data["words"].items()},
        scales=scales,
        vague=vague,
        multipliers=multipliers,
        shares={_phrase(k): (float(v[0]), float(v[1])) for k, v in data["shares"].items()},
        qualifiers=qualifiers,
        after_at_least=tuple(_phrase(p) for p in quals["after_at_least"]),
        about_band=float(quals["about_band"]),
        not_before=lowered_set(not_figures["before"]),
        not_after=frozenset(p[0] for p in after if len(p) == 1),
        not_after_phrases=tuple(p for p in after if len(p) > 1),
        place_after=lowered_set(not_figures["place_after"]),
        one_not_before=lowered_set(not_figures["one_not_before"]),
        months=months,
        starters=frozenset(
            {p[0] for table in (vague, qualifiers) for p in table}
            | {_phrase(k)[0] for k in data["shares"]}
            | {k.lower() for k in data["words"]}
            | {"a", "an", "between"}
        ),
    )


_FIRST_WORDS: dict[int, frozenset[str]] = {}


def _first_words(table: dict[tuple[str, ...], object]) -> frozenset[str]:
    """The words a phrase of `table` can start with (the tables are built once: id is a key)."""
    key = id(table)
    if key not in _FIRST_WORDS:
        _FIRST_WORDS[key] = frozenset(phrase[0] for phrase in table)
    return _FIRST_WORDS[key]


def _tokens(text: str) -> list[_Token]:
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "sym"
        out.append(_Token(m.start(), m.end(), m.group(0), m.group(0).lower(), kind))
    return out


class _Reader:
    """Reads figures from a token list, left to right."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.vocab = _vocabulary()

    def lowers(self, i: int, size: int) -> tuple[str, ...]:
        return tuple(t.lower for t in self.tokens[i : i + size])

    def match(self, i: int, table: dict[tuple[str, ...], object]) -> tuple[int, object] | None:
        if i >= len(self.tokens) or self.tokens[i].lower not in _first_words(table):
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
            if self.tokens[k].kind == "sym" and self.tokens[k].lower not in ".~+":
                return False
        return True

    def glued(self, a: int, b: int) -> bool:
        return (
            0 <= a < len(self.tokens)
            and 0 <= b < len(self.tokens)
            and (self.tokens[a].end == self.tokens[b].start)
        )

    # -- values ----------------------------------------------------------------------------

    def value(self, i: int) -> tuple[float, int, bool] | None:
        """A number at token i: (value, next index, written in digits)."""
        if i >= len(self.tokens):
            return None
        tok = self.tokens[i]
        v = self.vocab
        if tok.kind == "num":
            number = float(tok.text.replace(",", ""))
            j = i + 1
            while j < len(self.tokens) and self.tokens[j].lower in v.scales:
                number *= v.scales[self.tokens[j].lower]
                j += 1
            return number, j, True
        if tok.kind != "word":
            return None
        if tok.lower in ("a", "an") and i + 1 < len(self.tokens):
            nxt = self.tokens[i + 1].lower
            if nxt in v.scales or nxt == "dozen":
                return self.words_value(i + 1, start_with=1.0)
            return None
        return self.words_value(i)

    def words_value(self, i: int, start_with: float = 0.0) -> tuple[float, int, bool] | None:
        v = self.vocab
        total, current, j, seen = 0.0, start_with, i, False
        while j < len(self.tokens):
            tok = self.tokens[j]
            parts = tok.lower.split("-") if tok.kind == "word" else [tok.lower]
            if all(p in v.words for p in parts) and parts[0] != "dozen":
                current += sum(v.words[p] for p in parts)
            elif tok.lower == "dozen":
                current = (current or 1.0) * 12
            elif tok.lower in v.scales and (seen or start_with):
                scale = v.scales[tok.lower]
                if scale >= 1000:
                    total += (current or 1.0) * scale
                    current = 0.0
                else:
                    current = (current or 1.0) * scale
            elif tok.lower == "and" and seen and j + 1 < len(self.tokens):
                nxt = self.tokens[j + 1].lower.split("-")
                if not all(p in v.words for p in nxt) or self.tokens[j - 1].lower not in v.scales:
                    break
            else:
                break
            seen = True
            j += 1
        if not seen:
            return None
        return total + current, j, False

    # -- figures ---------------------------------------------------------------------------

    def read(self) -> list[Quantity]:
        out: list[Quantity] = []
        starters = self.vocab.starters
        i = 0
        while i < len(self.tokens):
            tok = self.tokens[i]
            if (
                tok.kind != "num"
                and tok.lower not in starters
                and (tok.kind != "word" or tok.lower.split("-")[0] not in starters)
            ):
                i += 1
                continue
            found = self.figure(i)
            if found is None:
                i += 1
                continue
            quantity, i = found
            if quantity is not None:
                out.append(quantity)
        return out

    def figure(self, i: int) -> tuple[Quantity | None, int] | None:
        v = self.vocab
        first = i
        qualifier = ""
        hit = self.match(i, v.qualifiers)
        between = False
        if hit:
            size, qualifier = hit
            i += size
        elif self.tokens[i].lower == "between":
            between = True
            i += 1
        # shares: "more than half", "two-thirds"
        share = self.match(i, v.shares)
        if share:
            size, (low, high) = share
            end = i + size
            lo, hi, kind, end = self.qualify(low, high, qualifier or "share", end)
            lo = 0.0 if lo is None else lo
            hi = 100.0 if hi is None else min(hi, 100.0)
            return self.make(first, end, lo, hi, kind, "percent"), end
        # vague amounts, with an optional multiplier before a scale ("several hundred")
        vague = self.vague(i)
        if vague:
            low, high, end = vague
            return self.make(first, end, low, high, "vague", ""), end
        got = self.value(i)
        if got is None:
            return None
        number, j, digits = got
        if self.excluded(first, i, j, number, digits, bool(qualifier)):
            if (
                j + 1 < len(self.tokens)
                and self.tokens[j].lower in _DASHES
                and (self.tokens[j + 1].kind == "num")
            ):
                return None, j + 2  # the other end of an excluded range ("pp. 3–5")
            return None, j
        low = high = number
        unit = ""
        kind = qualifier or "exact"
        # a range: "10,000–20,000", "20 to 30", "between 20 and 30", "two or three"
        k = j
        if k < len(self.tokens) and (
            self.tokens[k].lower in _DASHES
            or self.tokens[k].lower in _CONNECTORS
            or (between and self.tokens[k].lower == "and")
        ):
            second = self.value(k + 1)
            if second is not None and self.lowers(k + 1, 1) != ("more",):
                other, k2, digits2 = second
                scale = self.scale_of(k + 1, k2)
                if scale > 1 and self.scale_of(i, j) == 1 and number * scale <= other:
                    number *= scale  # "2–3 million"
                if (
                    digits == digits2
                    and other >= number
                    and not self.excluded(first, k + 1, k2, other, digits2, True)
                ):
                    low, high, j = number, other, k2
                    kind = "range" if not qualifier or qualifier == "about" else qualifier
        elif between:
            return None, j
        percent, j = self.percent(j)
        if percent:
            unit = "percent"
        low, high, kind, j = self.qualify(low, high, kind, j)
        return self.make(first, j, low, high, kind, unit), j

    def scale_of(self, start: int, stop: int) -> float:
        """The product of the scale words ("million") among tokens start..stop-1."""
        scale = 1.0
        for tok in self.tokens[start:stop]:
            if tok.kind == "word" and tok.lower in self.vocab.scales:
                scale *= self.vocab.scales[tok.lower]
        return scale

    def vague(self, i: int) -> tuple[float, float, int] | None:
        v = self.vocab
        hit = self.match(i, v.vague)
        if not hit:
            return None
        size, (low, high) = hit
        j = i + size
        phrase = self.lowers(i, size)
        if phrase in v.multipliers or phrase[-1] == "several":
            scale = 1.0
            while j < len(self.tokens) and (
                self.tokens[j].lower in v.scales or self.tokens[j].lower == "dozen"
            ):
                scale *= v.scales.get(self.tokens[j].lower, 12.0)
                j += 1
            alone = scale == 1.0 and phrase[-1] != "several"
            if alone and (j >= len(self.tokens) or self.tokens[j].kind != "word"):
                return None  # "a few", "a number of" alone: only before a plural noun
            return low * scale, high * scale, j
        return low, high, j

    def percent(self, j: int) -> tuple[bool, int]:
        if j < len(self.tokens) and self.tokens[j].lower == "%" and self.glued(j - 1, j):
            return True, j + 1
        for phrase in _PERCENT_WORDS:
            if self.lowers(j, len(phrase)) == phrase:
                return True, j + len(phrase)
        return False, j

    def qualify(
        self, low: float, high: float, kind: str, j: int
    ) -> tuple[float | None, float | None, str, int]:
        v = self.vocab
        for phrase in v.after_at_least:
            if self.lowers(j, len(phrase)) == phrase and (phrase != ("+",) or self.glued(j - 1, j)):
                return low, None, "at least", j + len(phrase)
        band = v.about_band
        if kind == "about":
            return _round(low * (1 - band)), _round(high * (1 + band)), kind, j
        if kind == "nearly":
            return _round(low * (1 - band)), high, "about", j
        if kind in ("more than", "at least"):
            return low, None, kind, j
        if kind in ("up to", "fewer than"):
            return None, high, kind, j
        return low, high, kind, j

    def make(
        self, first: int, stop: int, low: float | None, high: float | None, kind: str, unit: str
    ) -> Quantity:
        start = self.tokens[first].start
        end = self.tokens[stop - 1].end
        return Quantity(low, high, self.text[start:end], kind, unit, start, end)

    # -- what is not a figure --------------------------------------------------------------

    def excluded(
        self, first: int, i: int, j: int, number: float, digits: bool, qualified: bool
    ) -> bool:
        v = self.vocab
        toks = self.tokens
        before = toks[first - 1] if first > 0 else None
        after = toks[j] if j < len(toks) else None
        if before is not None:
            if before.lower in v.not_before and not qualified and digits:
                return True
            if before.lower == "." and first > 1 and digits:
                abbreviation = toks[first - 2].lower + "."
                if abbreviation in v.not_before:
                    return True  # "pp. 3–5", "No. 4"
            if before.lower in v.months and digits:
                return True  # "November 27"
            if (
                before.lower in _DASHES
                and self.glued(first - 1, first)
                and first > 1
                and (toks[first - 2].kind == "word" and self.glued(first - 2, first - 1))
            ):
                return True  # "T-55", "Su-24"
            if before.lower in ("/", ":", "#", "№", ".", "$", "€", "£") and self.glued(
                first - 1, first
            ):
                return True
            if before.kind in ("word", "num") and self.glued(first - 1, first):
                return True  # "M5", "A4"
        if after is not None:
            glued = self.glued(j - 1, j)
            if glued and after.kind == "word":
                return True  # "250px", "12th", "5km"
            if (
                glued
                and after.lower in ("/", ":", ".")
                and j + 1 < len(toks)
                and (toks[j + 1].kind == "num" and self.glued(j, j + 1))
            ):
                return True  # "10:30", "12/3", "1.2.3"
            if (
                after.lower in _DASHES
                and glued
                and j + 1 < len(toks)
                and (toks[j + 1].kind == "word" and self.glued(j, j + 1))
            ):
                return toks[j + 1].lower != "strong"  # "12-year-old", but "5,000-strong"
            if after.lower in v.not_after:
                return True
            if any(self.lowers(j, len(p)) == p for p in v.not_after_phrases):
                return True
            if after.lower in v.months and digits:
                return True  # "27 November"
            if after.lower in v.place_after and after.text[:1].isupper():
                return True  # "3000 Apartments"
        if digits and self._is_year(first, i, j, number, qualified):
            return True
        if not digits and number == 1 and (j - i) == 1:
            if after is None or after.kind != "word" or after.lower in v.one_not_before:
                return True
            if before is not None and before.lower in _NO_ONE:
                return True
        return False

    def _is_year(self, first: int, i: int, j: int, number: float, qualified: bool) -> bool:
        token = self.tokens[i]
        if j - i != 1 or "," in token.text or "." in token.text or len(token.text) != 4:
            return False
        if not 1800 <= number <= 2100 or qualified:
            return False
        before = self.tokens[first - 1].lower if first > 0 else ""
        after = self.tokens[j] if j < len(self.tokens) else None
        if before in _PREVIOUS_FOR_YEAR or before in self.vocab.months:
            return True
        return not (
            after is not None
            and after.kind == "word"
            and after.text.islower()
            and after.lower.endswith("s")
        )


def _round(value: float) -> float:
    return float(round(value))


def find_quantities(text: str) -> list[Quantity]:
    """Every figure of a plain text, in reading order, with offsets into `text`."""
    if not text or not any(ch.isdigit() or ch.isalpha() for ch in text):
        return []
    return _Reader(text).read()


def parse_quantity(text: str) -> Quantity | None:
    """One figure written alone ("about 10,000", "dozens"); None when it is not one."""
    found = find_quantities(text.strip())
    return found[0] if len(found) == 1 else None
