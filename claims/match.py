"""Which claims count the same thing, and whether their sources agree.

Claims are blocked by their comparison key (topic, measure, party and side, scope), so the
cost grows with the number of claims, not its square. Inside a block, a claim joins a group
when the admission rules let it (date, place, sentence; rapidfuzz for the text side, numbers
are never left to text similarity). Each pair of claims in a group gets the verdict of the
first verdict rule that holds: `agree`, `conflict`, `repeated` (one origin repeating itself) or
`updated` (a later tally of a growing count); a part and its whole are `part_of`, a total and
an incident `different_scope`, never judged. The rules, in order, and every threshold live in
`claims/data/match.toml`; each rule's condition is the function of this module of its name.
"""

from __future__ import annotations

import gc
import hashlib
import heapq
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as arrow
import pyarrow.compute as pc
from rapidfuzz import fuzz, process

from claims.knowledge import load_data, rules_fingerprint
from claims.model import (
    ALL_CLAIM_COLUMNS,
    COMPARED_CLAIM_COLUMNS,
    GROUP_COLUMNS,
    PAIR_COLUMNS,
    SOURCE_COLUMNS,
    Claim,
    Scope,
    Verdict,
    make_claim_id,
)
from claims.tables import claims_frame
from claims.topics import counted_thing

EXTRA_CLAIM_COLUMNS = COMPARED_CLAIM_COLUMNS  # the name earlier releases exported


# Raised whenever the matching rules in this module change what a comparison holds, so that
# a comparison kept in a store from an earlier release is made again rather than shown.
COMPARISON_FORMAT = 3


@cache
def comparison_fingerprint() -> str:
    """A short digest of the rules a comparison is made with: what extraction knows (the
    package's version and data files), this module's format and its columns. A comparison
    saved under other rules is out of date."""
    columns = repr((EXTRA_CLAIM_COLUMNS, GROUP_COLUMNS, PAIR_COLUMNS, SOURCE_COLUMNS))
    text = f"{rules_fingerprint()}|{COMPARISON_FORMAT}|{columns}"
    return hashlib.sha1(text.encode()).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class _Settings:
    tolerance: float
    window: int
    update_window: int
    text_same: float
    text_undated: float
    text_same_figure: float
    text_same_paragraph: float
    same_figure_min: float
    place_same: float
    party_same: float
    max_candidates: int
    max_total_places: int
    max_party_candidates: int
    max_all_pairs: int
    growing: frozenset[str]
    state_topics: frozenset[str]
    context_parties: tuple[str, ...]
    total_words: re.Pattern[str]
    any_total_words: re.Pattern[str]
    running_words: re.Pattern[str]
    tally_words: re.Pattern[str]
    part_words: re.Pattern[str]
    alternative_words: re.Pattern[str]
    range_words: re.Pattern[str]
    period_phrases: re.Pattern[str]
    period_words: dict[str, str]
    same_parties: dict[str, str]
    thresholds: dict[str, float]  # every number of match.toml, by its key
    people: frozenset[str]
    arms: frozenset[str]
    adjectives: frozenset[str]
    demonyms: dict[str, str]  # nationality word -> country (demonyms.toml)
    admission: tuple[Rule, ...]
    verdicts: tuple[Rule, ...]
    parts: tuple[Rule, ...]
    links: tuple[Rule, ...]
    scopes: tuple[Rule, ...]
    keys: tuple[Rule, ...]
    destination_words: re.Pattern[str]
    topic_nouns: dict[str, str]  # a counted noun -> the topic it names ("prisoners": detained)
    thing_kinds: dict[str, str]  # a thing -> the kind of thing it is one of ("galley": ship)
    group_verdicts: tuple[Verdict, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    """One named rule of match.toml: when its condition (the function of the same name in this
    module) holds, its effect applies; `threshold` names the number it reads."""

    name: str
    when: str
    effect: str
    threshold: str = ""
    scope: tuple[str, ...] = ()
    example: dict[str, object] = field(default_factory=dict, compare=False, hash=False)


_ADMISSION_EFFECTS = frozenset({"refuse", "join", "need", "relax", "tighten"})


def _rules(
    data: dict[str, object], kind: str, known: dict[str, object], effects: frozenset[str]
) -> tuple[Rule, ...]:
    """The rules of one table, checked: each names a condition this module has, an effect the
    engine knows and, where it reads one, a threshold of match.toml."""
    out = []
    for entry in data.get(kind, []):  # type: ignore[attr-defined]
        rule = Rule(
            name=entry["name"],
            when=entry.get("when", ""),
            effect=entry.get("effect", "part_of" if kind == "part" else ""),
            threshold=entry.get("threshold", ""),
            scope=tuple(entry.get("scope", ())),
            example=entry.get("example", {}),
        )
        if rule.name not in known:
            raise ValueError(f"match.toml: {kind} rule {rule.name!r} has no condition")
        if rule.effect not in effects:
            raise ValueError(
                f"match.toml: {kind} rule {rule.name!r}: unknown effect {rule.effect!r}"
            )
        if rule.threshold and not isinstance(data.get(rule.threshold), (int, float)):
            raise ValueError(f"match.toml: rule {rule.name!r} reads no number {rule.threshold!r}")
        out.append(rule)
    return tuple(out)


@cache
def settings() -> _Settings:
    data = load_data("match.toml")
    words = sorted((re.escape(w) for w in data["total_words"]), key=len, reverse=True)
    same = {w.lower(): key for key, ws in data["same_parties"].items() for w in ws}
    return _Settings(
        tolerance=float(data["relative_tolerance"]),
        window=int(data["date_window_days"]),
        update_window=int(data["update_window_days"]),
        text_same=float(data["text_same_incident"]),
        text_undated=float(data["text_same_incident_undated"]),
        text_same_figure=float(data["text_same_incident_same_figure"]),
        text_same_paragraph=float(data["text_same_incident_same_paragraph"]),
        same_figure_min=float(data["same_figure_min"]),
        place_same=float(data["place_same"]),
        party_same=float(data["party_same"]),
        max_candidates=int(data["max_candidates"]),
        max_total_places=int(data["max_total_places"]),
        max_party_candidates=int(data["max_party_candidates"]),
        max_all_pairs=int(data["max_all_pairs"]),
        growing=frozenset(data["growing_topics"]),
        state_topics=frozenset(data["state_topics"]),
        context_parties=tuple(f"party:{k}" for k in data.get("context_parties", [])),
        total_words=re.compile(r"(?<![\w-])(?:" + "|".join(words) + r")(?![\w-])", re.I),
        tally_words=re.compile(
            r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in data["tally_words"]) + r")(?![\w-])",
            re.I,
        ),
        part_words=_words_pattern(data["part_words"]),
        alternative_words=_words_pattern(data["alternative_words"]),
        range_words=_words_pattern(data["range_words"]),
        period_phrases=_words_pattern(data["period_phrases"]),
        period_words={
            w.lower(): key for key, ws in data["measures"]["per_period"].items() for w in ws
        },
        any_total_words=_words_pattern([*data["total_words"], *data["toll_words"]]),
        running_words=_words_pattern(data["running_words"]),
        same_parties=same,
        thresholds={k: float(v) for k, v in data.items() if isinstance(v, (int, float))},
        people=frozenset(data["measures"]["people"]) | frozenset(same),
        arms=frozenset(data["measures"]["arms"]),
        adjectives=frozenset(data["measures"]["skip"]["adjectives"]),
        demonyms={
            k.lower(): str(v) for k, v in load_data("demonyms.toml").get("demonyms", {}).items()
        },
        admission=_rules(
            data, "admission", {**_INCIDENT_CONDITIONS, **_TOTAL_CONDITIONS}, _ADMISSION_EFFECTS
        ),
        verdicts=_rules(data, "verdict", _VERDICT_CONDITIONS, frozenset(Verdict)),
        parts=_rules(data, "part", _PART_RULES, frozenset({"part_of"})),
        links=_rules(data, "link", {_LINK_RULE: None}, frozenset({"judge"})),
        scopes=_rules(data, "scope", _SCOPE_RULES, frozenset(Scope)),
        keys=_rules(data, "key", _KEY_RULES, frozenset({"party", "unplaced", "measure"})),
        destination_words=_words_pattern(data.get("destination_words", []) or ["\x00"]),
        thing_kinds={
            w.lower(): kind for kind, ws in data["measures"].get("things", {}).items() for w in ws
        },
        topic_nouns={
            w.lower(): topic for topic, ws in data.get("topic_nouns", {}).items() for w in ws
        },
        group_verdicts=tuple(Verdict(v) for v in data["group_verdicts"]),
    )


def _words_pattern(words: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(r"(?<![\w-])(?:" + alternatives + r")(?![\w-])", re.I)


@dataclass
class Comparison:
    """Groups of claims that count the same thing, pairwise verdicts and source statistics."""

    claims: pd.DataFrame
    groups: pd.DataFrame
    pairs: pd.DataFrame
    sources: pd.DataFrame

    def matrix(self, verdicts: Sequence[str] = ("agree", "conflict")) -> pd.DataFrame:
        """Source x source counts in long form (source_a, source_b, verdict, count); each
        unordered pair of sources once, with source_a <= source_b."""
        pairs = self.pairs[self.pairs["verdict"].isin(list(verdicts))]
        if pairs.empty:
            return pd.DataFrame(columns=["source_a", "source_b", "verdict", "count"])
        a = pairs["source_a"].astype(str)
        b = pairs["source_b"].astype(str)
        low = a.where(a <= b, b)
        high = b.where(a <= b, a)
        frame = pd.DataFrame({"source_a": low, "source_b": high, "verdict": pairs["verdict"]})
        counted = frame.groupby(["source_a", "source_b", "verdict"]).size()
        return counted.rename("count").reset_index()

    def restrict(self, claim_ids: Iterable[str]) -> Comparison:
        """The same comparison seen through a filter: only these claims, their groups and the
        pairs between them (nothing is matched again)."""
        wanted = set(claim_ids)
        claims = self.claims[self.claims["claim_id"].isin(wanted)]
        pairs = self.pairs[self.pairs["claim_a"].isin(wanted) & self.pairs["claim_b"].isin(wanted)]
        groups = self.groups[self.groups["group_id"].isin(set(claims["group_id"]))]
        sources = _source_table(claims, pairs)
        return Comparison(claims, groups, pairs, sources)

    @classmethod
    def empty(cls) -> Comparison:
        claims = pd.DataFrame(columns=[*ALL_CLAIM_COLUMNS, *EXTRA_CLAIM_COLUMNS])
        return cls(
            claims,
            pd.DataFrame(columns=list(GROUP_COLUMNS)),
            pd.DataFrame(columns=list(PAIR_COLUMNS)),
            pd.DataFrame(columns=list(SOURCE_COLUMNS)),
        )


# -- intervals and dates ---------------------------------------------------------------------


def _interval(low: object, high: object) -> tuple[float, float]:
    lo = float(low) if _present(low) else float("-inf")
    hi = float(high) if _present(high) else float("inf")
    if lo == float("-inf") and hi != float("inf"):
        lo = 0.0
    return lo, hi


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and value != value)


def intervals_agree(a: tuple[float, float], b: tuple[float, float], tolerance: float) -> bool:
    """Whether two figures overlap once each end is widened by the relative tolerance."""
    a_lo, a_hi = a[0] * (1 - tolerance), a[1] * (1 + tolerance)
    b_lo, b_hi = b[0] * (1 - tolerance), b[1] * (1 + tolerance)
    return a_lo <= b_hi and b_lo <= a_hi


def _midpoint(lo: float, hi: float) -> float | None:
    if lo != float("-inf") and hi != float("inf"):
        return (lo + hi) / 2
    if lo != float("-inf"):
        return lo
    return hi if hi != float("inf") else None


@cache
def _day(text: str) -> Date | None:
    if len(text) == 10:
        try:
            return Date.fromisoformat(text)
        except ValueError:
            return None
    return None


@cache
def _ordinal(text: str) -> int | None:
    day = _day(text)
    return day.toordinal() if day else None


def _dates_compatible(a: str, b: str, window: int) -> tuple[bool, str]:
    if not a or not b:
        return True, "undated"
    day_a, day_b = _day(a), _day(b)
    if day_a and day_b:
        gap = abs((day_a - day_b).days)
        return gap <= window, f"{gap} day(s) apart"
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return long_.startswith(short), "same period" if long_.startswith(short) else "other period"


_NUMBERS = re.compile(r"[\d.,]+")


def _text_key(quote: str) -> str:
    return _NUMBERS.sub(" ", quote.lower())


# -- what is counted -------------------------------------------------------------------------

_WORDS = re.compile(r"[^\W\d_][\w'’-]*")
NOUN_REACH = 40  # characters after a figure searched for the noun it counts


FIGURE_TRIES = 8  # occurrences of a figure's text read for a whole one (keeps the cost linear)


def _figure_at(quote: str, figure: str, start: int = 0) -> int:
    """Where a figure stands in its sentence: the first place its text is a whole figure, not
    the digits of another one ("only 3 new deaths" after "2534 cases": the 3 of "3 new",
    not of "2534"); its first occurrence when it is nowhere whole, -1 when it is absent."""
    if not figure:
        return -1
    first = at = quote.find(figure, start)
    head, tail = figure[0], figure[-1]
    tries = FIGURE_TRIES
    while at >= 0 and tries:
        tries -= 1
        end = at + len(figure)
        before = quote[at - 1] if at else ""
        after = quote[end] if end < len(quote) else ""
        # "2,534" holds no whole "534", nor "thirty-three" a whole "three"
        glued_before = (before.isalnum() and head.isalnum()) or (
            at >= 2
            and ((before in ",." and head.isdigit()) or (before == "-" and head.isalpha()))
            and quote[at - 2].isalnum()
        )
        glued_after = (after.isalnum() and tail.isalnum()) or (
            end + 1 < len(quote)
            and ((after in ",." and tail.isdigit()) or (after == "-" and tail.isalpha()))
            and quote[end + 1].isalnum()
        )
        if not glued_before and not glued_after:
            return at
        at = quote.find(figure, at + 1)
    return first


def _noun_after(quote: str, value_text: str, s: _Settings) -> tuple[str, bool]:
    """The word a figure counts, read right after it ("5,000 infantry", "200–300 light
    cavalry", "12,000 Bavarian soldiers"), and whether it is a name ("600 Flemish"); words
    after a bracket or a comma are not its noun ("31 (HRW)")."""
    at = _figure_at(quote, value_text)
    if at < 0:
        return "", False
    end = at + len(value_text)
    words = []
    for found in _WORDS.finditer(quote, end, end + NOUN_REACH):
        if quote[end : found.start()].strip():
            break  # punctuation between: the words are not the figure's
        words.append(found.group())
        end = found.end()
        if len(words) == 3:
            break
    for i, word in enumerate(words):
        lowered = word.lower()
        if lowered in s.adjectives:
            following = words[i + 1].lower() if i + 1 < len(words) else ""
            if word[0].isupper() and following not in (s.arms | s.people | s.adjectives):
                return lowered, True  # "11,000 Japanese of the 14th Division": the Japanese
            continue
        if lowered in s.arms or lowered in s.people:
            return lowered, False
        if word[0].isupper():
            following = words[i + 1].lower() if i + 1 < len(words) else ""
            if following and (following in s.arms or following in s.people):
                return following, False
            return lowered, True
        return lowered, False
    return "", False


def _per_period(quote: str, value_text: str, s: _Settings) -> str:
    """The word right after a figure that makes it a count of one period or a state rather
    than the running total ("95 new cases", "11,740 active cases"), else ""."""
    at = _figure_at(quote, value_text)
    if at < 0:
        return ""
    end = at + len(value_text)
    found = _WORDS.match(quote, end + len(quote[end:]) - len(quote[end:].lstrip()))
    if found is None or found.start() - end > 1:
        return ""
    return s.period_words.get(found.group().lower(), "")


TALLY_REACH = 40  # a running tally's words stand at most this far before its figure


def _tally_wording(quote: str, value_text: str, s: _Settings) -> bool:
    """The figure itself is worded as a running tally ("bringing the total to 869", "had risen
    to 31"), not another figure of its sentence ("8 deaths were recorded, bringing ...")."""
    at = _figure_at(quote, value_text)
    if at < 0:
        return False
    return s.tally_words.search(quote, max(0, at - TALLY_REACH), at) is not None


def _singular(noun: str) -> str:
    if noun.endswith("ies") and len(noun) > 4:
        return noun[:-3] + "y"
    if noun.endswith("men"):
        return noun
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def _measure(
    counted: str, quote: str, value_text: str, thing: str, unit: str, s: _Settings
) -> tuple[str, str]:
    """What a figure counts and of which kind: ("people", "people") for a head count of any
    words, (arm or kind, "kind") for a kind of people that is a part of a head count
    ("knight", "laborer", "flemish"), (thing, "thing") for things ("tank", "legion")."""
    if unit == "km2":
        return "km2", "thing"
    if unit == "percent":  # "most of the city", "a third of Aleppo": a share, whatever of
        return "share", "thing"
    noun, named = counted.lower().strip(), False
    after, named_after = _noun_after(quote, value_text, s)
    if named_after:  # a name right after the figure is what it counts ("600 Flemish of ...")
        noun, named = after, True
    elif not noun:
        noun = after
        if noun and noun not in s.arms and noun not in s.people:
            noun = ""  # a verb or an adverb after the figure, not what it counts
    per = _per_period(quote, value_text, s)
    if per:  # "95 new cases", "11,740 active cases": another measure than the running count
        measure, kind = _measure(
            counted, quote[: _figure_at(quote, value_text)], "", thing, unit, s
        )
        return f"{per} {measure}", kind
    if noun in s.arms:
        return _singular(noun), "kind"
    if noun and noun in s.people:  # "17,978 troops, with 56 artillery pieces": troops
        return "people", "people"
    if named:  # "11,000 Japanese of the 14th Division": the Japanese, not the division
        return _singular(noun), "kind"
    if thing:
        return thing, "thing"
    if not noun:
        return "people", "people"
    return _singular(noun), "kind"


def _nation_after(quote: str, value_text: str, party: str, s: _Settings) -> bool:
    """The word right after the figure names the party's own nation ("11,000 Japanese of the
    14th Division" of the Empire of Japan), not a contingent of a coalition ("600 Flemish" of
    the Holy Roman Empire)."""
    noun, named = _noun_after(quote, value_text, s)
    if not named:
        return False
    country = s.demonyms.get(noun) or s.demonyms.get(_singular(noun))
    return bool(country) and country.lower() in party.lower()


# what ends the clause of a figure: not the comma of a figure's thousands ("1,500")
CLAUSE_REACH = 200  # a figure's clause is read at most this far either side of it
_CLAUSE_END = re.compile(r"[;:()]|,(?!\d{3})")
DESTINATION_REACH = 15  # a word of destination_words stands at most this far before a place


def place_of_destination(quote: str, place: str, why: str, s: _Settings) -> bool:
    """The place of a total that its sentence names as where people went, after a word of
    `destination_words` ("killed in the battle and the retreat back into Eritrea"), not where
    the figure counts."""
    if not place or "place:sentence" not in why:
        return False
    where = quote.lower().find(place.lower())
    if where < 0:
        return False  # a place the sentence names in other words: where its figure counts
    return s.destination_words.search(quote, max(0, where - DESTINATION_REACH), where) is not None


def _clause(quote: str, figure: str) -> str:
    """The words of a figure's clause: between the marks that end a clause around it."""
    at = _figure_at(quote, figure)
    if at < 0:
        return ""
    low = max(0, at - CLAUSE_REACH)
    before = [m.start() for m in _CLAUSE_END.finditer(quote, low, at)]
    start = before[-1] if before else (low - 1 if low else -1)
    after = _CLAUSE_END.search(quote, at + len(figure), at + len(figure) + CLAUSE_REACH)
    end = after.start() if after else min(len(quote), at + len(figure) + CLAUSE_REACH)
    return quote[start + 1 : end]


def force_named_in_the_clause(
    quote: str, figure: str, party: str, forces: Mapping[str, object], s: _Settings
) -> str:
    """The one force of its article that a figure's own clause names by its nationality when
    that is not the party it was read as ("the French army was about 12,000 strong, and the
    English army about 9,000": the 9,000 are English), else ""."""
    named = set()
    words = _WORDS.findall(_clause(quote, figure))
    for word in words:
        country = s.demonyms.get(word.lower())
        if country:
            named.update(f for f in forces if country.lower() in f.lower())
    # a word of a force's name no other force's name holds ("Antony" of "Mark Antony")
    capitalised = {w.rstrip("'’s") for w in words if w[0].isupper()} | {
        w for w in words if w[0].isupper()
    }
    own = {f: set(_WORDS.findall(f)) for f in forces}
    for force, names in own.items():
        others = set().union(*(n for f, n in own.items() if f != force))
        if any(len(w) >= 4 and w not in others for w in names & capitalised):
            named.add(force)
    if len(named) != 1:
        return ""
    (force,) = named
    if party in forces and _side_text(forces[party]) == _side_text(forces[force]):
        return ""  # a force of the claim's own side: the same army
    return force if force != party else ""


_ARM_OF = re.compile(r"([^\W\d_]+)\s+of\s+$")


def arm_before_the_figure(quote: str, figure: str, s: _Settings) -> str:
    """The arm of a force named right before a figure it counts, with "of" between ("allied
    cavalry of 1,800"), in its singular, else ""."""
    at = _figure_at(quote, figure)
    if at <= 0:
        return ""
    found = _ARM_OF.search(quote, max(0, at - NOUN_REACH), at)
    arm = found.group(1).lower() if found else ""
    return _singular(arm) if arm in s.arms else ""


_TWO_WORDS = re.compile(r"\s+([^\W\d_]+)\s+([^\W\d_]+)")


def nationality_before_the_noun(quote: str, figure: str, thing: str, s: _Settings) -> bool:
    """A nationality (demonyms.toml) between a figure and the thing it counts qualifies that
    thing ("three Italian brigades" count brigades), unlike a nationality counted itself
    ("11,000 Japanese of the 14th Division")."""
    at = _figure_at(quote, figure)
    if at < 0:
        return False
    found = _TWO_WORDS.match(quote, at + len(figure))
    return bool(
        found
        and found.group(1).lower() in s.demonyms
        and found.group(2).lower().startswith(thing.lower())
    )


def noun_of_another_topic(quote: str, figure: str, topic: str, s: _Settings) -> str:
    """The noun a figure counts when it names another topic than the claim's ("the 3,000
    Italian prisoners" of a sentence read as wounded: prisoners), else ""."""
    noun, named = _noun_after(quote, figure, s)
    if named or not noun:
        return ""
    other = s.topic_nouns.get(noun)
    return _singular(noun) if other and other != topic else ""


_FIGURE_REACH = 40  # a bracket of parts opens at most this far after its whole
RANGE_REACH = 30  # a word opening a range of estimates stands at most this far before it


def _wholes(
    quotes: list[str],
    starts: list[object],
    articles: list[str],
    figures: list[str],
    topics: list[str],
    kinds: list[str],
    s: _Settings,
) -> tuple[list[int], list[str]]:
    """For each claim, the row of the claim whose whole it counts a part of (-1 for none) and
    the rule that says so: `part_words` ("93 killed, including 11 children and six women") or
    `bracketed_part` ("202 captured (183 labourers, 19 soldiers)")."""
    whole = [-1] * len(quotes)
    rule = [""] * len(quotes)
    allowed = {r.name for r in s.parts}
    sentences: dict[tuple[str, str, object], list[int]] = defaultdict(list)
    for r, quote in enumerate(quotes):
        sentences[(articles[r], quote, starts[r])].append(r)
    for (_article, quote, _start), rows in sentences.items():
        if len(rows) < 2:
            continue
        at: dict[str, int] = {}
        for r in rows:
            figure = figures[r]
            if figure and figure not in at:
                at[figure] = _figure_at(quote, figure)
        order = sorted((p, f) for f, p in at.items() if p >= 0)
        if len(order) < 2:
            continue
        rows_of: dict[str, list[int]] = defaultdict(list)
        for r in rows:
            rows_of[figures[r]].append(r)
        root: dict[str, tuple[str, str]] = {}  # figure -> (its whole's figure, rule)
        for (p_prev, prev), (p_here, here) in itertools.pairwise(order):
            between = quote[p_prev + len(prev) : p_here]
            of_prev = root.get(prev)
            found: tuple[str, str] | None = None
            opened = between.rfind("(")
            bracketed = "bracketed_part" in allowed
            if bracketed and 0 <= opened <= _FIGURE_REACH and ")" not in between[opened:]:
                found = (prev, "bracketed_part")
            elif of_prev and of_prev[1] == "bracketed_part" and ")" not in between:
                found = of_prev  # the bracket's list goes on
            elif "part_words" in allowed and s.part_words.search(between):
                found = (of_prev[0] if of_prev else prev, "part_words")
            elif of_prev and of_prev[1] == "part_words" and not any(c in between for c in ";."):
                found = of_prev  # "including 11 children and six women"
            if found is not None:
                root[here] = found
        for figure, (of, how) in root.items():
            wholes = rows_of[of]
            for r in rows_of[figure]:
                match = next((w for w in wholes if topics[w] == topics[r]), -1)
                if match >= 0 and not (kinds[r] == "thing" and kinds[match] != "thing"):
                    whole[r], rule[r] = match, how
    return whole, rule


# -- matching --------------------------------------------------------------------------------


MAX_GROUP_TEXTS = 5  # a claim is compared with this many sentences of a group at most


_NOTHING: set = frozenset()  # type: ignore[assignment]  # what a closed group holds
_NOBODY: dict = {}


@dataclass(slots=True)
class _Group:
    gid: int
    rows: list[int]
    date: str
    place: str
    text: str  # the first claim's sentence, numbers removed
    urls: set[str] = field(default_factory=set)
    figures: dict[str, set[str]] = field(default_factory=dict)  # quote -> value texts
    speakers: dict[str, set[str]] = field(default_factory=dict)  # quote -> claimants
    backers: dict[str, set[str]] = field(default_factory=dict)  # quote -> independent sources
    points: set[float] = field(default_factory=set)
    by_source: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    highest_low: dict[str, float] = field(default_factory=dict)  # by source: its largest low
    reports: dict[str, set[str]] = field(default_factory=dict)  # by source: its citations
    day: int | None = None  # the date as a day number, when it names a day
    texts: list[str] = field(default_factory=list)  # its claims' sentences, the first few
    places: set[str] = field(default_factory=set)  # a total's places
    infobox: bool = False  # a total the infobox gives
    as_of: str = ""  # a total's first date its text gives ("by 25 July", "in August")
    basis: str = ""  # what dates its first claim (date_basis)

    def similarity(self, text: str, cutoff: float) -> float | None:
        """How close a sentence is to the closest of the group's sentences (0-100), when that
        reaches `cutoff`; else None."""
        found = process.extractOne(
            text, self.texts or [self.text], scorer=fuzz.token_set_ratio, score_cutoff=cutoff
        )
        return found[1] if found else None

    def add(self, cols: dict[str, list], r: int) -> None:
        self.rows.append(r)
        interval = cols["interval"][r]
        source = cols["independent"][r]
        self.by_source.setdefault(source, []).append(interval)
        if interval[0] > self.highest_low.get(source, float("-inf")) or (
            source not in self.highest_low
        ):
            self.highest_low[source] = interval[0]
        url = cols["citation_url"][r]
        if url:
            self.urls.add(url)
            self.reports.setdefault(source, set()).add(url)
        self.figures.setdefault(cols["quote"][r], set()).add(cols["value_text"][r])
        self.speakers.setdefault(cols["quote"][r], set()).add(cols["claimant"][r])
        self.backers.setdefault(cols["quote"][r], set()).add(cols["independent"][r])
        text = cols["text_key"][r]
        if len(self.texts) < MAX_GROUP_TEXTS and text not in self.texts:
            self.texts.append(text)
        low, high = cols["value_low"][r], cols["value_high"][r]
        if _present(low) and low == high:
            self.points.add(float(low))
        if cols["origin"][r] == "infobox":
            self.infobox = True
        if not self.as_of and cols["date_basis"][r] in _AS_OF:
            self.as_of = cols["date"][r]

    def close(self) -> None:
        """Let go of what only matching reads, once no claim can join the group."""
        self.urls = self.points = _NOTHING
        self.figures = self.speakers = self.backers = self.by_source = _NOBODY
        self.highest_low = {}
        self.reports = {}
        self.texts = []

    def holds_another_figure_of(self, quote: str, figure: str, claimant: str) -> bool:
        """The group holds another figure of the same sentence that counts something else:
        not one a different claimant gives for the same count ("105 to 141, according to the
        investigation; officials had put the toll at over 200")."""
        figures = self.figures.get(quote)
        if figures is None or figure in figures:
            return False
        speakers = self.speakers[quote]
        return not claimant or "" in speakers or claimant in speakers


class _Candidate:
    """One claim and one group it may join: the facts the admission rules read."""

    __slots__ = ("_dates", "_tally", "cols", "group", "places_known", "r", "s", "same_article")

    def __init__(self, cols: dict[str, list], r: int, group: _Group, s: _Settings) -> None:
        self.cols, self.r, self.group, self.s = cols, r, group, s
        self.same_article = cols["article"][group.rows[0]] == cols["article"][r]
        place = cols["place"][r]
        self.places_known = bool(place and group.place)
        self._tally: bool | None = None
        self._dates: bool | None = None

    def value(self, name: str) -> object:
        return self.cols[name][self.r]

    @property
    def dates_ok(self) -> bool:
        """The claim's date and the group's are one day, within the date window."""
        if self._dates is None:
            day, other = self.cols["day"][self.r], self.group.day
            if day is not None and other is not None:
                # two days the texts name are two days; a report's date may be the next day
                named = self.value("date_basis") in _EVENT_DATED and self.group.basis in (
                    _EVENT_DATED
                )
                self._dates = abs(day - other) <= (0 if named else self.s.window)
            elif self.cols["per_period"][self.r] and (
                len(self.value("date")) != len(self.group.date)
            ):
                self._dates = False  # "14,100 new cases in August" is not one day's count
            else:
                self._dates = _dates_compatible(self.value("date"), self.group.date, self.s.window)[
                    0
                ]
        return self._dates

    @property
    def tally(self) -> bool:
        """A growing count retold later by the same outlet, at least as large, worded as a
        running tally, within the update window."""
        if self._tally is None:
            source = self.value("independent")
            own = self.group.by_source.get(source) if source else None
            self._tally = bool(
                not self.dates_ok
                and own
                and not self.cols["per_period"][self.r]  # "a total of 57 new cases": one day's
                and self.value("topic") in self.s.growing
                and self.cols["interval"][self.r][0] >= self.group.highest_low[source]
                and _tally_wording(self.value("quote"), self.value("value_text"), self.s)
                and _dates_compatible(self.value("date"), self.group.date, self.s.update_window)[0]
            )
        return self._tally


# The conditions of the admission rules, by rule name (match.toml [[admission]]).


def another_count_of_the_sentence(c: _Candidate) -> bool:
    return c.group.holds_another_figure_of(
        c.value("quote"), c.value("value_text"), c.value("claimant")
    )


def another_count_of_the_sentence_total(c: _Candidate) -> bool:
    quote, figure = c.value("quote"), c.value("value_text")
    if not c.group.holds_another_figure_of(quote, figure, c.value("claimant")):
        return False
    source = c.value("independent")
    if source and c.group.backers[quote] - {source, ""}:
        return False  # "estimates range from 6,000[a] to 9,000[b]": two sources' figures
    # "a few dozen, perhaps 50"; "said 500, later revising the toll to 471": one count
    return not any(_alternatives(quote, figure, other, c.s) for other in c.group.figures[quote])


def _alternatives(quote: str, figure: str, other: str, s: _Settings) -> bool:
    """Words between two figures of one sentence make them estimates of one count."""
    at, where = _figure_at(quote, figure), _figure_at(quote, other)
    if at < 0 or where < 0:
        return False
    low, high = sorted((at, where))
    between = quote[low:high]
    if ";" in between:
        return False
    if s.alternative_words.search(between) is not None:
        return True
    # "sources vary between about 1,500 and 11,000": a range of estimates, opened before both
    before = quote[max(0, low - RANGE_REACH) : low]
    return s.range_words.search(before) is not None and len(between) <= RANGE_REACH


_NUMBERED_UNIT = re.compile(r"(?:the\s+)?\d+(?:st|nd|rd|th)?\b", re.I)  # "7th Marines", "2/24th"


def side_unknown(c: _Candidate) -> bool:
    """The article names two or more forces and the claim, or the group, names none of them
    ("thousands of men" in an article on two armies): whose figure it is, the text must say."""
    first = c.group.rows[0]
    return c.cols["forces"][c.r] >= 2 and not (c.cols["force"][c.r] and c.cols["force"][first])


def vague_amount(c: _Candidate) -> bool:
    """A vague amount of a force in prose ("thousands of men", "several thousand"), or a group
    that begins with one: rarely an estimate of the whole force; the sentences must match."""
    if c.value("topic") not in c.s.state_topics:
        return False  # "dozens killed" against "471 killed" is a dispute over a toll
    first = c.group.rows[0]
    return any(
        c.cols["qualifier"][k] == "vague" and c.cols["origin"][k] == "prose" for k in (c.r, first)
    )


def headline_of_the_citing_sentence(c: _Candidate) -> bool:
    url = c.value("citation_url")
    mine = c.cols["interval"][c.r]
    return (
        bool(url)
        and c.same_article
        and url in c.group.urls
        and any(mine in intervals for intervals in c.group.by_source.values())
    )


def dates_apart(c: _Candidate) -> bool:
    return not c.dates_ok and not c.tally


def places_differ(c: _Candidate) -> bool:
    return c.places_known and fuzz.WRatio(c.value("place"), c.group.place) < c.s.place_same


def places_differ_total(c: _Candidate) -> bool:
    place = c.value("total_place")
    return bool(
        place
        and c.group.places
        and not any(fuzz.WRatio(place, p) >= c.s.place_same for p in c.group.places)
    )


def dated_or_placed(c: _Candidate) -> bool:
    # a month its paragraph gives, or the infobox's place, says little of which incident
    dated = bool(c.value("date") and c.group.date) and (
        c.cols["day"][c.r] is not None or c.value("date_basis") not in _INHERITED_DATES
    )
    return dated or (c.places_known and bool(c.value("place_named")))


def undated_and_unplaced(c: _Candidate) -> bool:
    return not dated_or_placed(c)


def same_large_figure(c: _Candidate) -> bool:
    low, high = c.value("value_low"), c.value("value_high")
    return (
        _present(low)
        and low == high
        and float(low) >= c.s.same_figure_min
        and float(low) in c.group.points
    )


def same_day_and_place_in_paragraph(c: _Candidate) -> bool:
    day = c.cols["day"][c.r]
    return (
        c.value("date_basis") == "paragraph"
        and day is not None
        and c.same_article
        and day == c.group.day
        and c.places_known
        and c.value("place").lower() == c.group.place.lower()
    )


def outlet_contradicts_itself(c: _Candidate) -> bool:
    own = c.group.by_source.get(c.value("independent"))
    mine = c.cols["interval"][c.r]
    return bool(own) and not any(intervals_agree(mine, other, c.s.tolerance) for other in own)


def another_report_of_the_outlet(c: _Candidate) -> bool:
    """The group holds figures of the claim's own outlet from other reports only (other
    citations), none agreeing with the claim's: two bulletins of one outlet ("138 recoveries in
    24 hours", "98 recoveries in 24 hours") count two periods; an outlet is not in dispute with
    itself; a later tally of the count, worded as one, is the `later_tally` rule's."""
    url, source = c.value("citation_url"), c.value("independent")
    own = c.group.by_source.get(source) if url and source else None
    if not own or url in c.group.reports.get(source, ()):
        return False
    mine = c.cols["interval"][c.r]
    return (
        bool(c.group.reports.get(source))
        and not c.tally  # a later tally of its count ("by 10 May, 5,000 had fled")
        and not any(intervals_agree(mine, other, c.s.tolerance) for other in own)
    )


def later_tally(c: _Candidate) -> bool:
    return c.tally


def undated_headline(c: _Candidate) -> bool:
    """An undated headline and a group its citation is not in, or the reverse: two reports
    of a series ("97 new cases", "34 further cases") are not one report for want of a date."""
    url = c.value("citation_url")
    if url and url in c.group.urls:
        return False
    if c.value("origin") == "citation_title" and not c.value("date"):
        return True
    return not c.group.date and c.cols["origin"][c.group.rows[0]] == "citation_title"


def other_period(c: _Candidate) -> bool:
    """Totals the text dates to periods that do not meet ("in August", "in March"), of a count
    that is not a running tally (a count per period, or one that does not only grow)."""
    mine, theirs = c.value("date"), c.group.as_of
    if not mine or not theirs or c.value("date_basis") not in _AS_OF:
        return False
    if _dates_compatible(mine, theirs, c.s.window)[0]:
        return False
    return c.value("topic") not in c.s.growing or " " in c.value("measure")


def row_of_a_table_of_places(c: _Candidate) -> bool:
    """One of the claim and the group's first claim is a cell of a table whose rows are places
    (a breakdown of the subject by place), the other a sentence's figure: a sentence naming a
    place in passing ("three of the new deaths in Blida") gives no figure of that row."""
    first = c.group.rows[0]
    rows, origins = c.cols["place_row"], c.cols["origin"]
    return rows[c.r] != rows[first] and "prose" in (origins[c.r], origins[first])


def things_in_two_sentences(c: _Candidate) -> bool:
    """The claim counts things (brigades, provinces, ships), and it and the group's first claim
    are figures of sentences: "four brigades" of an army and "the remaining three brigades"
    count other sets of one kind of thing unless the sentences say the same thing."""
    first = c.group.rows[0]
    origins = c.cols["origin"]
    return c.cols["kind"][c.r] == "thing" and origins[c.r] == "prose" == origins[first]


_INCIDENT_CONDITIONS = {
    f.__name__: f
    for f in (
        another_count_of_the_sentence,
        headline_of_the_citing_sentence,
        dates_apart,
        places_differ,
        dated_or_placed,
        undated_and_unplaced,
        same_large_figure,
        same_day_and_place_in_paragraph,
        outlet_contradicts_itself,
        another_report_of_the_outlet,
        later_tally,
        undated_headline,
    )
}
_TOTAL_CONDITIONS = {
    "another_count_of_the_sentence": another_count_of_the_sentence_total,
    "places_differ": places_differ_total,
    "other_period": other_period,
    "side_unknown": side_unknown,
    "row_of_a_table_of_places": row_of_a_table_of_places,
    "things_in_two_sentences": things_in_two_sentences,
    "vague_amount": vague_amount,
}

JOIN = 1000.0  # what `admit` returns for a candidate a rule makes the claim join


def admit(rules: Sequence[Rule], c: _Candidate, scope: str) -> tuple[float | None, list[str]]:
    """Read the admission rules in order for one candidate: None when a rule refuses it,
    JOIN when one makes the claim join it, else the sentence similarity it needs; with the
    names of the rules that fired."""
    conditions = _TOTAL_CONDITIONS if scope == Scope.TOTAL else _INCIDENT_CONDITIONS
    thresholds = c.s.thresholds
    need = 0.0
    fired: list[str] = []
    for rule in rules:
        if scope not in rule.scope or not conditions[rule.name](c):
            continue
        fired.append(rule.name)
        effect = rule.effect
        if effect == "refuse":
            return None, fired
        if effect == "join":
            return JOIN, fired
        value = thresholds[rule.threshold]
        if effect == "need":
            need = value
        elif effect == "relax":
            need = min(need, value)
        else:  # tighten
            need = max(need, value)
    return need, fired


def _total_admits(cols: dict[str, list], r: int, group: _Group, s: _Settings) -> bool:
    """Whether a total may join a total group: no rule refuses it and, where a rule asks for
    it, its sentence is similar enough to the group's."""
    need, _fired = admit(s.admission, _Candidate(cols, r, group, s), Scope.TOTAL)
    if need is None:
        return False
    return need <= 0 or need >= JOIN or group.similarity(cols["text_key"][r], need) is not None


class _Runs:
    """The incident groups of one day and place, in the order they were made, as runs of
    groups of one article: the latest groups of the other articles are found without reading
    the claim's own (consecutive runs are of two articles, so at most every other run is)."""

    __slots__ = ("runs",)

    def __init__(self) -> None:
        self.runs: list[tuple[str, list[_Group]]] = []

    def add(self, article: str, group: _Group) -> None:
        if self.runs and self.runs[-1][0] == article:
            self.runs[-1][1].append(group)
        else:
            self.runs.append((article, [group]))

    def latest_elsewhere(self, article: str, limit: int) -> list[_Group]:
        """The latest `limit` groups of other articles than `article`, oldest first."""
        out: list[_Group] = []
        for name, run in reversed(self.runs):
            if name == article:
                continue
            for group in reversed(run):
                out.append(group)
                if len(out) == limit:
                    return out[::-1]
        return out[::-1]


_PLACE_WORDS = re.compile(r"[^\W_]+")


def _place_keys(place: str) -> tuple[str, set[str]]:
    """The keys a place is found by among the places of an article's totals: its name, and the
    words and the first and last three letters of its name. Names alike enough to be one place
    (WRatio >= place_same: "Gaza" and "Gaza City", "Agincourt" and "Azincourt") share one."""
    lowered = place.lower()
    words = _PLACE_WORDS.findall(lowered)
    letters = "".join(words)
    return "=" + lowered, {*words, "^" + letters[:3], "$" + letters[-3:]}


class _Totals:
    """The total groups of one article in one block, indexed so that a total is compared with
    the groups that may take it, not with every total of its article: the groups with no place,
    those at its very place, those whose places share a word or the first or last letters with
    its place (each of these keys finding at most `max_places` groups), those holding its
    citation, and for a total with no place the groups in the order it prefers (the infobox's
    total first, then the largest)."""

    __slots__ = ("by_key", "by_url", "max_places", "preferred", "unplaced")

    def __init__(self, max_places: int) -> None:
        self.max_places = max_places
        self.unplaced: list[_Group] = []  # groups with no place when made (some gain one)
        self.by_key: dict[str, list[_Group]] = defaultdict(list)
        self.by_url: dict[str, list[_Group]] = defaultdict(list)
        # (not infobox, -claims, gid, group): a heap, with entries of an earlier state skipped
        self.preferred: list[tuple[bool, int, int, _Group]] = []

    def append(self, group: _Group) -> None:
        self.unplaced.append(group)

    def target(self, cols: dict[str, list], r: int, place: str, s: _Settings) -> _Group | None:
        """The group the total joins: the first that admits it of those holding its citation,
        else, with a place, the first of the groups made (at no place or a place like its
        own), else the one its article prefers; None for a group of its own."""

        def admits(group: _Group) -> bool:
            return _total_admits(cols, r, group, s)

        url = cols["citation_url"][r]
        if url and url in self.by_url:
            cited = next((g for g in self.by_url[url] if admits(g)), None)
            if cited is not None:
                return cited
        if place:
            self.unplaced = [g for g in self.unplaced if not g.places]
            found = {g.gid: g for g in self.unplaced}
            placed: dict[int, _Group] = {}
            name, keys = _place_keys(place)
            for key in (name, *keys):
                for group in self.by_key.get(key, ()):
                    placed[group.gid] = group
            if placed:  # those at a place like its own (`places_differ` refuses the others)
                names = sorted({p for g in placed.values() for p in g.places})
                alike = {
                    names[i]
                    for _name, _score, i in process.extract(
                        place, names, scorer=fuzz.WRatio, score_cutoff=s.place_same, limit=None
                    )
                }
                found.update((gid, g) for gid, g in placed.items() if alike & g.places)
            return next((found[gid] for gid in sorted(found) if admits(found[gid])), None)
        heap, kept, target = self.preferred, [], None
        while heap:
            entry = heapq.heappop(heap)
            group = entry[3]
            if entry[0] != (not group.infobox) or -entry[1] != len(group.rows):
                continue  # the group has grown since
            kept.append(entry)
            if admits(group):
                target = group
                break
        for entry in kept:
            heapq.heappush(heap, entry)
        return target

    def join(self, group: _Group, cols: dict[str, list], r: int, place: str) -> None:
        url = cols["citation_url"][r]
        if url and url not in group.urls:
            by_url = self.by_url[url]
            by_url.append(group)
            if len(by_url) > 1 and by_url[-2].gid > group.gid:
                by_url.sort(key=lambda g: g.gid)
        if place and place not in group.places:
            name, keys = _place_keys(place)
            self.by_key[name].append(group)  # every group at this very place
            for key in keys:
                indexed = self.by_key[key]
                if len(indexed) < self.max_places and group not in indexed[-1:]:
                    indexed.append(group)
            group.places.add(place)
        group.add(cols, r)
        heapq.heappush(self.preferred, (not group.infobox, -len(group.rows), group.gid, group))


def compare(claims: Iterable[Claim] | pd.DataFrame) -> Comparison:
    """Group claims that count the same thing and judge each group's sources."""
    # the comparison makes millions of small objects and no cycle among them: the collector
    # would walk them again and again for nothing
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _compare(claims)
    finally:
        if collecting:
            gc.enable()


def _shared_list(values: pd.Series) -> list:
    """A column as a list, the rows of one text sharing one object (a column of numbers as
    it is)."""
    if not isinstance(values.dtype, pd.StringDtype):
        return values.tolist()
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return list(map(uniques.tolist().__getitem__, codes.tolist()))


def _compare(claims: Iterable[Claim] | pd.DataFrame) -> Comparison:
    frame = claims if isinstance(claims, pd.DataFrame) else claims_frame(claims)
    if frame.empty:
        return Comparison.empty()
    frame = frame.reset_index(drop=True)  # copy on write: the caller's frame is not changed
    for column in ALL_CLAIM_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    s = settings()
    text_cols = ("article", "topic", "party", "date", "place", "source", "relayed_from", "quote")
    text_cols = (*text_cols, "citation_url", "value_text", "claimant", "counted", "unit")
    for column in (*text_cols, "origin", "date_basis"):
        values = frame[column]
        if values.dtype.kind == "f":  # an all-empty column read back from a file
            values = values.astype(object)
        frame[column] = values.fillna("").astype(str)
    # columns as Python lists (iterating Arrow-backed columns one value at a time is slow),
    # each distinct text one object shared by the rows that hold it
    listed = {name: _shared_list(frame[name]) for name in (*text_cols, "origin", "date_basis")}
    quotes, topics = listed["quote"], listed["topic"]
    figures = listed["value_text"]
    wording = {k: _total_wording(*k, s) for k in set(zip(quotes, figures, strict=True))}
    basis = listed["date_basis"]
    articles, parties = listed["article"], listed["party"]
    # the forces of each article: the parties its infobox columns (its sides) name
    forces = {
        (article, party)
        for article, party, side in zip(articles, parties, frame["side"].tolist(), strict=True)
        if party and _side_text(side)
    }
    # a force named as one numbered unit of it ("the 7th Marines sent three men") is a part
    numbered = [
        bool(_NUMBERED_UNIT.match(t)) for t in frame["party_text"].astype(object).fillna("")
    ]
    # "two deaths were recorded in the last 24 hours": that day's count, not the subject's
    # total, unless the figure is worded as a running count ("bringing the total to 511")
    # (read only where it can change a scope: a figure worded as a total or a toll, or dated
    # by its article's one day; elsewhere it is False, as it changes nothing)
    read = {k for k, worded in wording.items() if worded}
    read.update(
        (quote, figure)
        for quote, figure, dated in zip(quotes, figures, basis, strict=True)
        if dated == "event"
    )
    one_period = dict.fromkeys(wording, False)
    if any(r.name == "count_of_one_period" for r in s.scopes):
        for k in read:
            one_period[k] = s.period_phrases.search(k[0]) is not None and not _running_figure(*k, s)
    scope = [
        Scope.TOTAL
        if origin == "infobox"
        or (origin == "table" and dated not in ("row", "sentence"))  # a table of totals
        # a force's size is the whole force's in its infobox or a table, or where the text
        # names the force ("the Italian army numbered 17,700"); "202 men" of one unit is not
        or (
            topic in s.state_topics
            and (origin != "prose" or ((article, party) in forces and not unit))
        )
        or (
            not one_period[(quote, figure)]
            and (
                wording[(quote, figure)] == "total"
                # a toll the text dates to one day is that day's event's, unless counted up to it
                or (
                    wording[(quote, figure)] == "toll"
                    and not (len(day) == 10 and dated in _EVENT_DATED)
                )
                or dated == "event"  # the article's one day of events: its figures count that day
            )
        )
        else Scope.INCIDENT
        for origin, topic, quote, figure, dated, day, article, party, unit in zip(
            listed["origin"],
            topics,
            quotes,
            figures,
            basis,
            listed["date"],
            articles,
            parties,
            numbered,
            strict=True,
        )
    ]
    frame["scope"] = [str(sc) for sc in scope]
    if "why" in frame.columns and any(one_period.values()):
        # the scope rule that made a figure worded as a total one period's count, in its `why`
        demoted = [
            sc == Scope.INCIDENT
            and one_period[(q, f)]
            and (wording[(q, f)] == "total" or (wording[(q, f)] == "toll" and len(d) != 10))
            for sc, q, f, d in zip(scope, quotes, figures, listed["date"], strict=True)
        ]
        if any(demoted):
            whys = frame["why"].astype(object).fillna("").astype(str).tolist()
            frame["why"] = [
                f"{w} scope:count_of_one_period".strip() if flag else w
                for w, flag in zip(whys, demoted, strict=True)
            ]
    keyed: dict[int, list[str]] = {}  # row -> the key rules that read its party, measure, place
    key_rules = {r.name for r in s.keys}
    if "force_named_in_the_clause" in key_rules:
        sides: dict[str, dict[str, object]] = defaultdict(dict)  # article -> force -> side
        for article, party, side in zip(articles, parties, frame["side"].tolist(), strict=True):
            if party and _side_text(side):
                sides[article].setdefault(party, side)
        several = {a for a, named in sides.items() if len(named) > 1}
        if several:
            new_parties, new_sides = list(parties), frame["side"].tolist()
            origins = listed["origin"]
            named_force: dict[tuple[str, str, str, str], str] = {}  # each sentence read once
            for r, article in enumerate(articles):
                if article not in several or origins[r] != "prose":
                    continue
                of_article = sides[article]
                if parties[r] and parties[r] not in of_article:
                    continue  # a party that is no force of the article: read as written
                read = (article, quotes[r], figures[r], parties[r])
                force = named_force.get(read)
                if force is None:
                    force = named_force[read] = force_named_in_the_clause(
                        quotes[r], figures[r], parties[r], of_article, s
                    )
                if force:
                    new_parties[r], new_sides[r] = force, of_article[force]
                    keyed.setdefault(r, []).append("force_named_in_the_clause")
            if keyed:
                frame["party"], frame["side"] = new_parties, new_sides
                listed["party"] = parties = _shared_list(frame["party"])
                articles = listed["article"]
    frame["party_key"] = _headline_parties(frame, _sided(frame, _party_keys(frame)))
    # what a count of things counts (tanks, villages); a share ("most of the city") counts
    # parts of one place, whatever words name it
    units = listed["unit"]
    counted = [
        "" if unit == "percent" else topic for topic, unit in zip(topics, units, strict=True)
    ]
    things: dict[tuple[str, str, str], str] = {}
    keys = list(zip(counted, quotes, figures, strict=True))
    for key in keys:
        if key not in things:
            things[key] = counted_thing(*key)
    nouns = listed["counted"]
    measured: dict[tuple[str, str, str, str, str], tuple[str, str]] = {}
    measures, kinds = [], []
    other_topic = "noun_of_another_topic" in key_rules
    arms_before: dict[tuple[str, str, str], str] = {}  # each figure of a sentence read once
    other_nouns: dict[tuple[str, str, str], str] = {}
    for key, noun, unit, party in zip(keys, nouns, units, parties, strict=True):
        mkey = (noun, key[1], key[2], things[key], unit)
        if mkey not in measured:
            measured[mkey] = _measure(noun, key[1], key[2], things[key], unit, s)
        measure, kind = measured[mkey]
        thing = things[key]
        if measure == "people" and not noun and "arm_before_the_figure" in key_rules:
            arm = arms_before.get(key)
            if arm is None:
                arm = arms_before[key] = arm_before_the_figure(key[1], key[2], s)
            if arm:  # "allied cavalry of 1,800": cavalry
                measure, kind = arm, "kind"
                keyed.setdefault(len(measures), []).append("arm_before_the_figure")
        if (
            kind == "kind"
            and thing
            and "nationality_before_the_noun" in key_rules
            and nationality_before_the_noun(key[1], key[2], thing, s)
        ):
            measure, kind = thing, "thing"  # "three Italian brigades": brigades
            keyed.setdefault(len(measures), []).append("nationality_before_the_noun")
        elif kind != "people" and party and _nation_after(key[1], key[2], party, s):
            measure, kind = "people", "people"  # "11,000 Japanese" of Japan: its head count
        if measure in s.thing_kinds and "thing_of_a_kind" in key_rules:
            kind_of = s.thing_kinds[measure]
            if kind_of != measure:  # "250 warships" and "260 ships": ships
                measure = kind_of
                keyed.setdefault(len(measures), []).append("thing_of_a_kind")
        if other_topic and measure == "people" and key[0] in s.topic_nouns.values():
            noun = other_nouns.get(key)
            if noun is None:
                noun = other_nouns[key] = noun_of_another_topic(key[1], key[2], key[0], s)
            if noun:  # "the 3,000 Italian prisoners" read as wounded: prisoners
                measure = noun
                keyed.setdefault(len(measures), []).append("noun_of_another_topic")
        measures.append(measure)
        kinds.append(kind)
    frame["measure"] = measures
    whole_of, part_rule = _wholes(
        quotes,
        frame["start"].tolist(),
        articles,
        figures,
        topics,
        kinds,
        s,
    )
    # a part is never more than its whole: "7,000-8,000, though others say 10,000-12,000,
    # including ..." gives two estimates, not a whole and its part
    lows, highs = frame["value_low"].tolist(), frame["value_high"].tolist()
    for r, whole in enumerate(whole_of):
        if whole >= 0 and _interval(lows[r], highs[r])[0] > _interval(lows[whole], highs[whole])[
            1
        ] * (1 + s.tolerance):
            whole_of[r], part_rule[r] = -1, ""
    # a part is compared with the same part of other wholes, never with its whole
    frame["measure_key"] = [
        f"{m} (part)" if w >= 0 else m for m, w in zip(measures, whole_of, strict=True)
    ]
    _unnamed_totals_join_the_only_party(frame)
    cols: dict[str, list] = {
        **listed,
        "scope": [str(sc) for sc in scope],
        "measure": measures,
        "kind": kinds,
        "independent": [
            relayed or source
            for relayed, source in zip(listed["relayed_from"], listed["source"], strict=True)
        ],
    }
    for name in ("value_low", "value_high", "claim_id", "party_key", "qualifier"):
        cols[name] = _shared_list(frame[name])
    cols["interval"] = [
        _interval(lo, hi) for lo, hi in zip(cols["value_low"], cols["value_high"], strict=True)
    ]
    cols["day"] = [_ordinal(d) for d in cols["date"]]
    # a place the claim's own words (or its table row) give, not its article's infobox place
    why = frame["why"].astype(object).fillna("").astype(str) if "why" in frame.columns else None
    cols["place_named"] = (
        [bool(p) for p in cols["place"]]
        if why is None
        else [bool(p) and "place:infobox" not in w for p, w in zip(cols["place"], why, strict=True)]
    )
    # the place a total is compared at: none for a headline (its place is loose) and for a
    # place its text gives in passing (`place_of_destination`)
    in_passing = "place_of_destination" in key_rules and why is not None
    total_place = []
    for r, (place, origin) in enumerate(zip(cols["place"], listed["origin"], strict=True)):
        if origin == "citation_title":
            place = ""
        elif (
            in_passing
            and place
            and origin == "prose"
            and cols["scope"][r] == Scope.TOTAL
            and place_of_destination(quotes[r], place, why.iat[r], s)  # type: ignore[union-attr]
        ):
            place = ""
            keyed.setdefault(r, []).append("place_of_destination")
        total_place.append(place)
    cols["total_place"] = total_place
    if keyed and why is not None:
        whys = why.tolist()
        for r, names in keyed.items():
            whys[r] = " ".join([whys[r], *(f"key:{name}" for name in names)]).strip()
        frame["why"] = whys
    # a table cell placed by its row: a table of places breaks its subject down by place
    cols["place_row"] = (
        [False] * len(frame)
        if why is None
        else [o == "table" and "place:row" in w for o, w in zip(listed["origin"], why, strict=True)]
    )
    periods = set(s.period_words.values())
    cols["per_period"] = [m.partition(" ")[0] in periods for m in cols["measure"]]
    n_forces = Counter(article for article, _party in forces)
    # a party the figure's own words do not name (the paragraph's subject) names no force:
    # whose figure it is, the text must say as the group's does (`side_unknown`)
    whys = [] if why is None else why.tolist()
    context = [any(k in w for k in s.context_parties) for w in whys] or [False] * len(articles)
    cols["force"] = [
        (a, p) in forces and not inferred
        for a, p, inferred in zip(articles, parties, context, strict=True)
    ]
    cols["forces"] = [n_forces[a] for a in articles]
    keys_of = {q: _text_key(q) for q in set(cols["quote"])}
    cols["text_key"] = [keys_of[q] for q in cols["quote"]]
    del keys_of, wording, things, measured, keys  # what only reading the claims needed
    group_of = [0] * len(frame)
    groups: list[_Group] = []
    # tanks are not compared with aircraft, nor knights with infantry
    blocks: dict[tuple[str, str, str, str], list[int]] = defaultdict(list)
    for r, key in enumerate(
        zip(topics, cols["party_key"], frame["measure_key"].tolist(), cols["scope"], strict=True)
    ):
        blocks[key].append(r)
    for (_topic, _party, _measure_key, block_scope), rows in blocks.items():
        made = len(groups)
        ordered = sorted(rows, key=lambda r: (cols["date"][r] or "9999", r))
        if block_scope == Scope.TOTAL:
            # one total per article and place: the toll of the whole war "in the Gaza Strip"
            # is not the total of a strike in Gaza City the article is about
            by_article: dict[str, _Totals] = {}
            for r in ordered:
                article = cols["article"][r]
                totals = by_article.get(article)
                if totals is None:
                    totals = by_article[article] = _Totals(s.max_total_places)
                place = cols["total_place"][r]
                target = totals.target(cols, r, place, s)
                if target is None:
                    target = _Group(len(groups), [], "", "", "")
                    groups.append(target)
                    totals.append(target)
                totals.join(target, cols, r, place)
                group_of[r] = target.gid
            for group in groups[made:]:
                group.close()
            continue
        by_article_open: dict[str, list[_Group]] = defaultdict(list)
        by_day_place: dict[tuple[int, str], _Runs] = defaultdict(_Runs)
        for r in ordered:
            article = cols["article"][r]
            open_groups = by_article_open[article]
            day = cols["day"][r]
            place_key = cols["place"][r].lower()
            target = _best_group(cols, r, open_groups, s)
            if target is None and day and place_key:
                runs = by_day_place.get((day, place_key))
                if runs is not None:
                    elsewhere = runs.latest_elsewhere(article, s.max_candidates)
                    target = _best_group(cols, r, elsewhere, s)
            if target is None:
                target = _Group(
                    len(groups),
                    [],
                    cols["date"][r],
                    cols["place"][r],
                    cols["text_key"][r],
                    day=day,
                    basis=cols["date_basis"][r],
                )
                groups.append(target)
                open_groups.append(target)
                if len(open_groups) > s.max_candidates:
                    open_groups.pop(0)
                if day and place_key:
                    by_day_place[(day, place_key)].add(article, target)
            target.add(cols, r)
            group_of[r] = target.gid
        for group in groups[made:]:
            group.close()
    frame["group_key"] = group_of
    return _judge(frame, groups, s, cols, whole_of, part_rule, kinds)


def _unnamed_totals_join_the_only_party(frame: pd.DataFrame) -> None:
    """A total naming no party ("deaths: 471") counts the one party the other totals of its
    article, topic and thing name ("500 people were killed"); with several, it stays apart."""
    scope, party = frame["scope"].tolist(), frame["party_key"].tolist()
    rows = [r for r, sc in enumerate(scope) if sc == "total"]
    if not rows:
        return
    articles, topics, things = (frame[c].tolist() for c in ("article", "topic", "measure_key"))
    named: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    unnamed = []
    for r in rows:
        key = (articles[r], topics[r], things[r])
        if party[r]:
            named[key].add(party[r])
        else:
            unnamed.append((r, key))
    changed = False
    for r, key in unnamed:
        parties = named.get(key)
        if parties is not None and len(parties) == 1:
            party[r] = next(iter(parties))
            changed = True
    if changed:
        frame["party_key"] = party


_EVENT_DATED = frozenset({"sentence", "paragraph", "section", "row"})  # not when reported
_AS_OF = _EVENT_DATED | {"bracket"}
_INHERITED_DATES = frozenset(
    {"paragraph", "section", "infobox", "period", "table"}
)  # a tally's own date: "82,392 (as of 9 April)"


def _total_wording(quote: str, figure: str, s: _Settings) -> str:
    """ "total" when a sentence words its figure as the whole subject's ("in total", "the toll
    rose to"), "toll" when it names a toll that may be one event's, else "". A toll's words
    count for the figure they stand before: in "8 deaths were recorded, bringing the total to
    869" the 869 is a running total, the 8 is not."""
    found = s.any_total_words.search(quote)
    if found is None:
        return ""  # most sentences: one search
    if s.total_words.search(quote, found.start()):
        return "total"
    at = _figure_at(quote, figure)
    if at > 0:
        window = max(0, at - TALLY_REACH)
        if s.any_total_words.search(quote, window, at) is None and (
            s.running_words.search(quote, window, at) is None
        ):
            near = quote.find(figure, at + 1)
            if near < 0:  # the sentence's toll words are another figure's
                later = s.any_total_words.search(quote, at)
                if later is not None:
                    return ""
    return "total" if s.running_words.search(quote) else "toll"


def _headline_parties(frame: pd.DataFrame, keys: list[str]) -> list[str]:
    """A headline naming no party ("Air strike on market kills at least 20") counts whom the
    sentence citing it counts, when that sentence gives the very same figure for the topic."""
    origins = frame["origin"].tolist()
    if "citation_title" not in origins:
        return keys
    articles, topics, urls = (frame[c].tolist() for c in ("article", "topic", "citation_url"))
    lows, highs = frame["value_low"].tolist(), frame["value_high"].tolist()
    citing: dict[tuple, set[str]] = defaultdict(set)
    for r, origin in enumerate(origins):
        if origin != "citation_title" and urls[r] and keys[r]:
            citing[(articles[r], topics[r], urls[r], _figure_key(lows[r], highs[r]))].add(keys[r])
    out = list(keys)
    for r, origin in enumerate(origins):
        if origin == "citation_title" and not keys[r] and urls[r]:
            key = (articles[r], topics[r], urls[r], _figure_key(lows[r], highs[r]))
            parties = citing.get(key, set())
            if len(parties) == 1:
                out[r] = next(iter(parties))
    return out


def _figure_key(low: object, high: object) -> tuple[float | None, float | None]:
    return (float(low) if _present(low) else None, float(high) if _present(high) else None)


def _sided(frame: pd.DataFrame, keys: list[str]) -> list[str]:
    """Party keys split by the infobox side a claim is on: "270,000 soldiers" in strength1 and
    "187,000 soldiers" in strength2 count two armies. A claim on no side takes the one side its
    party is counted on in its article, when there is one."""
    sides = [_side_text(v) for v in frame["side"].tolist()]
    if not any(sides):
        return keys
    articles, topics = frame["article"].tolist(), frame["topic"].tolist()
    found: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for article, topic, key, side in zip(articles, topics, keys, sides, strict=True):
        if side:
            found[(article, topic, key)].add(side)
    out = []
    for article, topic, key, side in zip(articles, topics, keys, sides, strict=True):
        if not side:
            on = found.get((article, topic, key), set())
            side = next(iter(on)) if len(on) == 1 else ""
        out.append(f"{key}#{side}" if side else key)
    return out


def _side_text(value: object) -> str:
    """A side as text: "1" whether it was read back as 1, 1.0 or "1"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value).strip()
    return text[:-2] if text.endswith(".0") else text


def _party_keys(frame: pd.DataFrame) -> list[str]:
    """One key per party as counted: synonyms merged, near-identical names merged. A name is
    compared with the earlier names of its topic that share a word with it or its first or last
    three letters, each of these finding at most `max_party_candidates` names."""
    s = settings()
    keys: dict[tuple[str, str], str] = {}
    canon_by_topic: dict[str, dict[str, int]] = defaultdict(dict)  # key -> its rank
    index_by_topic: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    out = []
    for topic, party in zip(frame["topic"].tolist(), frame["party"].tolist(), strict=True):
        lowered = " ".join(party.lower().split())
        cache_key = (topic, lowered)
        if cache_key not in keys:
            key = s.same_parties.get(lowered, lowered)
            canon = canon_by_topic[topic]
            if key == lowered and lowered:
                last = lowered.split()[-1]
                if last in s.same_parties and len(lowered.split()) <= 2:
                    key = s.same_parties[last]  # "Syrian soldiers" counts soldiers
                else:
                    index = index_by_topic[topic]
                    found = {k for word in _name_keys(lowered) for k in index.get(word, ())}
                    for known in sorted(found, key=canon.__getitem__):
                        if fuzz.token_set_ratio(lowered, known) >= s.party_same:
                            key = known
                            break
            if key not in canon:
                canon[key] = len(canon)
                index = index_by_topic[topic]
                for word in _name_keys(key):
                    names = index[word]
                    if len(names) < s.max_party_candidates:
                        names.append(key)
            keys[cache_key] = key
        out.append(keys[cache_key])
    return out


def _name_keys(name: str) -> set[str]:
    """The keys a party name is found by: its words and its first and last three letters."""
    return {*name.split(), "^" + name[:3], "$" + name[-3:]}


def _best_group(
    cols: dict[str, list], r: int, candidates: list[_Group], s: _Settings
) -> _Group | None:
    """The most similar group the admission rules let the claim join, if any."""
    my_day = cols["day"][r]
    text = cols["text_key"][r]
    best: tuple[float, _Group] | None = None
    for group in reversed(candidates):
        if (
            my_day is not None
            and group.day is not None
            and abs(my_day - group.day) > (s.update_window)
        ):
            break  # groups come in date order: every older one is further away
        need, _fired = admit(s.admission, _Candidate(cols, r, group, s), Scope.INCIDENT)
        if need is None:
            continue
        if need >= JOIN:
            if best is None or best[0] < 100.0:
                best = (100.0, group)
            continue
        score = group.similarity(text, max(need, best[0] if best else 0.0))
        if score is None or score < need:
            continue
        if best is None or score > best[0]:
            best = (score, group)
        elif (
            score == best[0]
            and _holds_figure(group, cols["interval"][r], s)
            and not (_holds_figure(best[1], cols["interval"][r], s))
        ):
            best = (score, group)  # as like in words: the group whose figure it gives
    return best[1] if best else None


def _holds_figure(group: _Group, interval: tuple[float, float], s: _Settings) -> bool:
    return any(
        intervals_agree(interval, other, s.tolerance)
        for others in group.by_source.values()
        for other in others
    )


# -- verdicts --------------------------------------------------------------------------------


@dataclass(slots=True)
class _PairFacts:
    """Two claims of one group: the facts the verdict rules read."""

    a: int
    b: int
    cols: dict[str, list]
    s: _Settings
    overlap: bool

    @property
    def same_origin(self) -> bool:
        origin = self.cols["independent"][self.a]
        return bool(origin) and origin == self.cols["independent"][self.b]

    def later_not_lower(self) -> bool:
        """Dated apart, the later figure at least the earlier one."""
        dates = self.cols["date"]
        if not dates[self.a] or not dates[self.b] or dates[self.a] == dates[self.b]:
            return False
        later, earlier = (self.a, self.b) if dates[self.a] > dates[self.b] else (self.b, self.a)
        intervals = self.cols["interval"]
        return intervals[later][0] >= intervals[earlier][0]


# The conditions of the verdict rules, by rule name (match.toml [[verdict]]).


def same_origin_repeats(p: _PairFacts) -> bool:
    return p.same_origin and p.overlap


def same_origin_later_tally(p: _PairFacts) -> bool:
    return p.same_origin and p.cols["topic"][p.a] in p.s.growing and p.later_not_lower()


def _running_figure(quote: str, figure: str, s: _Settings) -> bool:
    """The figure is worded as a running count: a running word stands before it, after any
    words of one period ("in the last 24 hours, bringing the total number of cases to 511 and
    of deaths to 31"; "the death toll rose to 1,726"), not a count of its day or month."""
    at = _figure_at(quote, figure)
    if at < 0:
        return False
    running = [m.start() for m in s.running_words.finditer(quote, 0, at)]
    if not running:
        return False
    period = [m.start() for m in s.period_phrases.finditer(quote, 0, at)]
    return not period or running[-1] > period[-1]


def _running_count(p: _PairFacts, r: int) -> bool:
    return _running_figure(p.cols["quote"][r], p.cols["value_text"][r], p.s)


def later_tally_of_a_total(p: _PairFacts) -> bool:
    cols = p.cols
    dates, days = cols["date"], cols["day"]
    return (
        cols["scope"][p.a] == Scope.TOTAL
        and cols["topic"][p.a] in p.s.growing
        and cols["date_basis"][p.a] in _AS_OF
        and cols["date_basis"][p.b] in _AS_OF
        and bool(dates[p.a])
        and bool(dates[p.b])
        # a day, or a month whose figure is worded as a running count
        and all(days[r] is not None or _running_count(p, r) for r in (p.a, p.b))
        and not _dates_compatible(dates[p.a], dates[p.b], 0)[0]
        and p.later_not_lower()
    )


def ranges_overlap(p: _PairFacts) -> bool:
    return p.overlap


def ranges_apart(p: _PairFacts) -> bool:
    return not p.overlap


_VERDICT_CONDITIONS = {
    f.__name__: f
    for f in (
        same_origin_repeats,
        same_origin_later_tally,
        later_tally_of_a_total,
        ranges_overlap,
        ranges_apart,
    )
}
# The part rules are applied where parts are found (`_wholes`, `_group_parts`).
_PART_RULES = dict.fromkeys(("part_words", "bracketed_part", "arm_of_a_force", "sides_of_a_total"))


def judge_pair(a: int, b: int, cols: dict[str, list], s: _Settings) -> tuple[Verdict, str]:
    """The verdict of the first verdict rule whose condition holds, and its name."""
    intervals = cols["interval"]
    facts = _PairFacts(a, b, cols, s, intervals_agree(intervals[a], intervals[b], s.tolerance))
    for rule in s.verdicts:
        if _VERDICT_CONDITIONS[rule.name](facts):
            return _verdict(rule.effect), rule.name
    return Verdict.CONFLICT if not facts.overlap else Verdict.AGREE, "no_rule"


@cache
def _verdict(effect: str) -> Verdict:
    return Verdict(effect)


def relative_gap(a: tuple[float, float], b: tuple[float, float]) -> float | None:
    """How far apart two ranges are: (higher low - lower high) / higher low; 0 if they meet."""
    low, high = (a, b) if a[1] <= b[1] else (b, a)
    if high[0] in (float("inf"), float("-inf")) or high[0] <= 0 or low[1] == float("inf"):
        return None
    return max(0.0, (high[0] - low[1]) / high[0])


class _Shown(dict):
    """The figures of the claims as text ("1,200", "24–99"), each written once, by row."""

    def __init__(self, intervals: list[tuple[float, float]]) -> None:
        super().__init__()
        self.intervals = intervals

    def __missing__(self, r: int) -> str:
        text = self[r] = _show(self.intervals[r])
        return text


def _pair_why(
    rule: str,
    verdict: Verdict,
    a: int,
    b: int,
    cols: dict[str, list],
    s: _Settings,
    gap: float | None,
    figures: dict[int, str] | None = None,
) -> str:
    intervals, dates = cols["interval"], cols["date"]
    if figures is None:
        figures = _Shown(intervals)
    shown = f"{figures[a]} vs {figures[b]} (tolerance ±{s.tolerance:.0%})"
    dated = f"dates {dates[a] or '?'} / {dates[b] or '?'}"
    detail = shown
    if verdict == Verdict.CONFLICT and gap is not None:
        detail = f"{shown}, {gap:.0%} apart"
    if rule.startswith("same_origin"):
        detail = f"one origin ({cols['independent'][a]}): {detail}"
    return f"{rule}: {detail}; {dated}"


class _ClaimArrays:
    """The columns the verdict rules read, as arrays by row: figures as floats, texts as codes
    (a date's code keeps the order of the dates)."""

    def __init__(self, cols: dict[str, list], s: _Settings) -> None:
        self.cols = cols
        intervals = cols["interval"]
        n = len(intervals)
        self.lo = np.fromiter((i[0] for i in intervals), np.float64, n)
        self.hi = np.fromiter((i[1] for i in intervals), np.float64, n)
        origins: dict[str, int] = {}
        self.independent = np.fromiter(
            (origins.setdefault(x, len(origins)) for x in cols["independent"]), np.int64, n
        )
        self.no_origin = origins.get("", -1)
        ranks = {d: i for i, d in enumerate(sorted(set(cols["date"])))}
        self.date_rank = np.fromiter((ranks[d] for d in cols["date"]), np.int64, n)
        self.undated = ranks.get("", -1)
        growing = {t: t in s.growing for t in set(cols["topic"])}
        self.growing = np.fromiter((growing[t] for t in cols["topic"]), bool, n)
        self.total = np.fromiter((sc == Scope.TOTAL for sc in cols["scope"]), bool, n)
        self.as_of = np.fromiter((b in _AS_OF for b in cols["date_basis"]), bool, n)


class _PairArrays:
    """The pairs of claims to judge, as arrays (`a`, `b`: rows of the claims), with the facts
    the verdict rules read computed once for all of them."""

    def __init__(self, a: np.ndarray, b: np.ndarray, claims: _ClaimArrays, s: _Settings) -> None:
        self.a, self.b, self.claims, self.s = a, b, claims, s
        tolerance = s.tolerance
        lo, hi = claims.lo, claims.hi
        a_lo, a_hi = lo[a] * (1 - tolerance), hi[a] * (1 + tolerance)
        b_lo, b_hi = lo[b] * (1 - tolerance), hi[b] * (1 + tolerance)
        self.overlap = (a_lo <= b_hi) & (b_lo <= a_hi)
        origin = claims.independent[a]
        self.same_origin = (origin == claims.independent[b]) & (origin != claims.no_origin)

    def later_not_lower(self) -> np.ndarray:
        """Dated apart, the later figure at least the earlier one."""
        c, a, b = self.claims, self.a, self.b
        da, db = c.date_rank[a], c.date_rank[b]
        dated = (da != c.undated) & (db != c.undated) & (da != db)
        later = np.where(da > db, a, b)
        earlier = np.where(da > db, b, a)
        return dated & (c.lo[later] >= c.lo[earlier])


def _vector_same_origin_repeats(p: _PairArrays, undecided: np.ndarray) -> np.ndarray:
    return p.same_origin & p.overlap


def _vector_same_origin_later_tally(p: _PairArrays, undecided: np.ndarray) -> np.ndarray:
    return p.same_origin & p.claims.growing[p.a] & p.later_not_lower()


def _vector_later_tally_of_a_total(p: _PairArrays, undecided: np.ndarray) -> np.ndarray:
    c, a, b = p.claims, p.a, p.b
    # the facts read from arrays first; the words of the few pairs left, one by one
    held = (
        undecided
        & c.total[a]
        & c.growing[a]
        & c.as_of[a]
        & c.as_of[b]
        & (c.date_rank[a] != c.undated)
        & (c.date_rank[b] != c.undated)
    )
    held &= p.later_not_lower()
    for i in np.flatnonzero(held).tolist():
        facts = _PairFacts(int(a[i]), int(b[i]), c.cols, p.s, bool(p.overlap[i]))
        held[i] = later_tally_of_a_total(facts)
    return held


def _vector_ranges_overlap(p: _PairArrays, undecided: np.ndarray) -> np.ndarray:
    return p.overlap


def _vector_ranges_apart(p: _PairArrays, undecided: np.ndarray) -> np.ndarray:
    return ~p.overlap


# The verdict conditions over arrays of pairs, by rule name: each holds for the same pairs as
# the condition of its name (`judge_pair`), computed for all the pairs at once.
_VECTOR_VERDICTS = {
    "same_origin_repeats": _vector_same_origin_repeats,
    "same_origin_later_tally": _vector_same_origin_later_tally,
    "later_tally_of_a_total": _vector_later_tally_of_a_total,
    "ranges_overlap": _vector_ranges_overlap,
    "ranges_apart": _vector_ranges_apart,
}


def judge_pairs(
    a: np.ndarray, b: np.ndarray, claims: _ClaimArrays, s: _Settings
) -> tuple[np.ndarray, list[tuple[Verdict, str]]]:
    """`judge_pair` for arrays of pairs: the verdict rules read in order, the first that holds
    deciding each pair. Returns each pair's outcome, an index into the list of outcomes (the
    verdict and the rule's name; the last two are `no_rule`'s)."""
    p = _PairArrays(a, b, claims, s)
    outcome = np.full(len(a), -1, dtype=np.int64)
    outcomes: list[tuple[Verdict, str]] = []
    for k, rule in enumerate(s.verdicts):
        outcomes.append((_verdict(rule.effect), rule.name))
        undecided = outcome < 0
        if not undecided.any():
            break
        vector = _VECTOR_VERDICTS.get(rule.name)
        if vector is not None:
            held = undecided & vector(p, undecided)
        else:  # a condition with no array form: one pair at a time
            held = np.zeros(len(a), dtype=bool)
            condition = _VERDICT_CONDITIONS[rule.name]
            for i in np.flatnonzero(undecided).tolist():
                facts = _PairFacts(int(a[i]), int(b[i]), claims.cols, s, bool(p.overlap[i]))
                held[i] = condition(facts)
        outcome[held] = k
    outcomes.extend([(Verdict.AGREE, "no_rule"), (Verdict.CONFLICT, "no_rule")])
    left = outcome < 0
    outcome[left & p.overlap] = len(outcomes) - 2
    outcome[left & ~p.overlap] = len(outcomes) - 1
    return outcome, outcomes


def _gaps(a: np.ndarray, b: np.ndarray, claims: _ClaimArrays) -> np.ndarray:
    """`relative_gap` of each pair, NaN where it is None."""
    a_lo, a_hi, b_lo, b_hi = claims.lo[a], claims.hi[a], claims.lo[b], claims.hi[b]
    a_low = a_hi <= b_hi  # the pair's lower range is a's
    low_hi = np.where(a_low, a_hi, b_hi)
    high_lo = np.where(a_low, b_lo, a_lo)
    known = np.isfinite(high_lo) & (high_lo > 0) & (low_hi != np.inf)
    with np.errstate(invalid="ignore", divide="ignore"):
        gap = np.maximum(0.0, (high_lo - low_hi) / high_lo)
    return np.where(known, gap, np.nan)


def _group_pairs(groups: list[_Group], max_all_pairs: int) -> tuple[np.ndarray, np.ndarray, list]:
    """The pairs each group judges, in order: every pair of a group of up to `max_all_pairs`
    claims, else its first claim with each other one. Returns the rows of both claims and,
    per group, where its pairs start."""
    a: list[int] = []
    b: list[int] = []
    starts = [0] * (len(groups) + 1)
    for i, group in enumerate(groups):
        rows = group.rows
        if len(rows) > 1:
            if len(rows) <= max_all_pairs:
                for x, y in itertools.combinations(rows, 2):
                    a.append(x)
                    b.append(y)
            else:
                a.extend(itertools.repeat(rows[0], len(rows) - 1))
                b.extend(rows[1:])
        starts[i + 1] = len(a)
    return np.array(a, dtype=np.int64), np.array(b, dtype=np.int64), starts


def _judge(
    frame: pd.DataFrame,
    groups: list[_Group],
    s: _Settings,
    cols: dict[str, list],
    whole_of: list[int],
    part_rule: list[str],
    kinds: list[str],
) -> Comparison:
    intervals = cols["interval"]
    mids = [_midpoint(lo, hi) for lo, hi in intervals]
    ids = [str(i) for i in cols["claim_id"]]
    sources = cols["source"]
    independent = cols["independent"]
    dates = cols["date"]
    topics = cols["topic"]
    n = len(frame)
    confirmed = np.zeros(n, dtype=bool)
    is_highest = [False] * n
    is_lowest = [False] * n
    group_ids = [""] * n
    group_verdicts = [""] * n
    group_names = [*GROUP_COLUMNS, "_exact", "_party_key", "_kind", "_first"]
    group_columns: dict[str, list[object]] = {name: [] for name in group_names}

    # every pair of every group judged at once
    arrays = _ClaimArrays(cols, s)
    pa, pb, starts = _group_pairs(groups, s.max_all_pairs)
    outcome, outcomes = judge_pairs(pa, pb, arrays, s)
    verdict_of = [str(v) for v, _rule in outcomes]
    rule_of = [rule for _v, rule in outcomes]
    conflict = np.isin(outcome, [k for k, (v, _r) in enumerate(outcomes) if v == Verdict.CONFLICT])
    gaps = np.where(conflict, _gaps(pa, pb, arrays), np.nan)
    agree = np.isin(outcome, [k for k, (v, _r) in enumerate(outcomes) if v == Verdict.AGREE])
    agree &= arrays.independent[pa] != arrays.independent[pb]
    confirmed[pa[agree]] = True
    confirmed[pb[agree]] = True
    outcome_list = outcome.tolist()
    gap_list = gaps.tolist()
    pair_gids: list[str] = []

    places_of = cols["place"]
    single = str(Verdict.SINGLE)
    for g, group in enumerate(groups):
        rows = group.rows
        first = rows[0]
        if len(rows) == 1:  # most groups: what a group of one claim holds, written directly
            _single_group(group_columns, cols, first, mids, kinds[first], s)
            group_ids[first] = group_columns["group_id"][-1]  # type: ignore[assignment]
            group_verdicts[first] = single
            continue
        gid = _group_id(cols, rows)
        start, stop = starts[g], starts[g + 1]
        pair_gids.extend(itertools.repeat(gid, stop - start))
        judged = Counter(outcome_list[start:stop])
        verdicts: Counter[str] = Counter()
        fired: Counter[str] = Counter()
        for k, count in judged.items():
            verdicts[verdict_of[k]] += count
            fired[rule_of[k]] += count
        group_gaps = [x for x in gap_list[start:stop] if x == x]
        verdict = next((v for v in s.group_verdicts if verdicts[v]), Verdict.SINGLE)
        known = [m for m in (mids[r] for r in rows) if m is not None]
        finite_lows = [intervals[r][0] for r in rows if intervals[r][0] != float("-inf")]
        finite_highs = [intervals[r][1] for r in rows if intervals[r][1] != float("inf")]
        origins = sorted({independent[r] for r in rows if independent[r]})
        if len({independent[r] for r in rows}) > 1 and known:
            top, bottom = max(known), min(known)
            for r in rows:
                if mids[r] == top:
                    is_highest[r] = True
                if mids[r] == bottom:
                    is_lowest[r] = True
        for r in rows:
            group_ids[r] = gid
            group_verdicts[r] = str(verdict)
        places = Counter(places_of[r] for r in rows if places_of[r])
        group_dates = sorted(dates[r] for r in rows if dates[r])
        base, _, side = cols["party_key"][first].partition("#")
        party = cols["party"][first] or base
        spread = (max(known) / min(known)) if known and min(known) > 0 else None
        measure = cols["measure"][first]
        row = {
            "group_id": gid,
            "article": cols["article"][first],
            "topic": topics[first],
            "measure": measure,
            "party": party,
            "side": side,
            "scope": cols["scope"][first],
            "date": group_dates[0] if group_dates else "",
            "place": places.most_common(1)[0][0] if places else "",
            "label": _label(
                topics[first] if measure == "people" else f"{topics[first]} ({measure})",
                f"{party or '(no party)'} (side {side})" if side else party,
                group_dates,
                places,
            ),
            "n_claims": len(rows),
            "n_sources": len({sources[r] for r in rows if sources[r]}),
            "n_independent": len(origins),
            "independent_sources": "; ".join(origins),
            "low": min(finite_lows) if finite_lows else None,
            "high": max(finite_highs) if finite_highs else None,
            "best_estimate": _best_estimate(rows, independent, mids),
            "spread": spread,
            "gap": max(group_gaps) if group_gaps else None,
            "verdict": str(verdict),
            "why": _group_why(verdicts, fired, len(origins), s),
            "part_of": "",
            "sum_check": "",
            "other_articles": "",
            "_exact": all(intervals[r][0] == intervals[r][1] for r in rows),
            "_party_key": cols["party_key"][first],
            "_kind": kinds[first],
            "_first": first,
        }
        for name, value in row.items():  # kept as columns: a dict per group weighs more
            group_columns[name].append(value)

    pair_columns = _judged_pair_columns(
        pa, pb, outcome, verdict_of, rule_of, gaps, pair_gids, cols, s
    )
    del pair_gids
    extra = _scope_pairs(groups, cols, group_ids, s)
    groups_frame = pd.DataFrame(group_columns, columns=group_names)
    extra.extend(_group_parts(groups_frame, group_ids, whole_of, part_rule, cols, s))
    extra.extend(_across_articles(groups, groups_frame, group_ids, cols, s))
    _sum_checks(groups_frame, s)
    groups_frame = groups_frame.drop(columns=["_exact", "_party_key", "_kind", "_first"])
    claims = frame.drop(columns=["party_key", "group_key", "measure_key"])
    claims["group_id"] = group_ids
    claims["group_verdict"] = group_verdicts
    claims["is_highest"] = is_highest
    claims["is_lowest"] = is_lowest
    claims["confirmed"] = confirmed.tolist()
    claims["whole_id"] = [ids[w] if w >= 0 else "" for w in whole_of]
    claims = claims[[*ALL_CLAIM_COLUMNS, *COMPARED_CLAIM_COLUMNS]]
    pairs_frame = _pairs_frame(pair_columns, extra)
    del pair_columns, extra
    return Comparison(claims, groups_frame, pairs_frame, _source_table(claims, pairs_frame))


def _single_group(
    columns: dict[str, list[object]],
    cols: dict[str, list],
    r: int,
    mids: list[float | None],
    kind: str,
    s: _Settings,
) -> None:
    """The row of a group of one claim (`_judge` writes the same for a group of any size)."""
    lo, hi = cols["interval"][r]
    mid = mids[r]
    topic, measure, place, day = (
        cols["topic"][r],
        cols["measure"][r],
        cols["place"][r],
        cols["date"][r],
    )
    base, _, side = cols["party_key"][r].partition("#")
    party = cols["party"][r] or base
    origin = cols["independent"][r]
    places = Counter({place: 1}) if place else Counter()
    row = (
        "g" + make_claim_id(str(cols["claim_id"][r]))[:12],
        cols["article"][r],
        topic,
        measure,
        party,
        side,
        cols["scope"][r],
        day,
        place,
        _label(
            topic if measure == "people" else f"{topic} ({measure})",
            f"{party or '(no party)'} (side {side})" if side else party,
            [day] if day else [],
            places,
        ),
        1,
        1 if cols["source"][r] else 0,
        1 if origin else 0,
        origin,
        lo if lo != float("-inf") else None,
        hi if hi != float("inf") else None,
        mid,
        (mid / mid) if mid is not None and mid > 0 else None,
        None,
        str(Verdict.SINGLE),
        _group_why(Counter(), Counter(), 1 if origin else 0, s),
        "",
        "",
        "",
        lo == hi,
        cols["party_key"][r],
        kind,
        r,
    )
    for values, value in zip(columns.values(), row, strict=True):
        values.append(value)


def _judged_pair_columns(
    pa: np.ndarray,
    pb: np.ndarray,
    outcome: np.ndarray,
    verdict_of: list[str],
    rule_of: list[str],
    gaps: np.ndarray,
    gids: list[str],
    cols: dict[str, list],
    s: _Settings,
) -> dict[str, object]:
    """The columns of the judged pairs (`Pair`) as Arrow arrays, taken from the claims' columns
    by row: no Python object per pair but its `why`'s gap, for conflicts."""
    a, b = arrow.array(pa), arrow.array(pb)
    k = arrow.array(outcome)

    def by_row(values: list) -> tuple[arrow.Array, arrow.Array]:
        column = arrow.array(values, type=arrow.string())
        return column.take(a), column.take(b)

    # the figures and dates as `_pair_why` shows them, each written once by row
    shown: dict[tuple[float, float], str] = {}
    figures = [shown[i] if i in shown else shown.setdefault(i, _show(i)) for i in cols["interval"]]
    figure_a, figure_b = by_row(figures)
    del shown, figures
    date_a, date_b = by_row([d or "?" for d in cols["date"]])
    origin_a = arrow.array(cols["independent"], type=arrow.string()).take(a)
    rules = arrow.array(rule_of, type=arrow.string()).take(k)
    origin_rule = arrow.array([rule.startswith("same_origin") for rule in rule_of]).take(k)
    conflict = np.isin(outcome, [i for i, v in enumerate(verdict_of) if v == Verdict.CONFLICT])
    apart = [""] * len(outcome)
    for i in np.flatnonzero(conflict & ~np.isnan(gaps)).tolist():
        apart[i] = f", {gaps[i]:.0%} apart"
    join = pc.binary_join_element_wise
    detail = join(
        figure_a,
        " vs ",
        figure_b,
        f" (tolerance ±{s.tolerance:.0%})",
        arrow.array(apart, type=arrow.string()),
        "",
    )
    del apart
    detail = pc.if_else(origin_rule, join("one origin (", origin_a, "): ", detail, ""), detail)
    why = join(rules, ": ", detail, "; dates ", date_a, " / ", date_b, "")
    del detail, figure_a, figure_b, date_a, date_b, origin_a
    texts = cols["text_key"]
    scores = process.cpdist(
        [texts[x] for x in pa.tolist()],
        [texts[y] for y in pb.tolist()],
        scorer=fuzz.token_set_ratio,
        dtype=np.float64,
    )
    claim_a, claim_b = by_row([str(i) for i in cols["claim_id"]])
    source_a, source_b = by_row(cols["source"])
    return {
        "group_id": arrow.array(gids, type=arrow.string()),
        "claim_a": claim_a,
        "claim_b": claim_b,
        "source_a": source_a,
        "source_b": source_b,
        "verdict": arrow.array(verdict_of, type=arrow.string()).take(k),
        "rules": rules,
        "why": why,
        "gap": gaps,
        "text_score": np.array([round(x, 1) for x in scores.tolist()], dtype=np.float64),
        "tolerance": np.full(len(pa), s.tolerance),
    }


def _pairs_frame(columns: dict[str, object], extra: list[tuple[object, ...]]) -> pd.DataFrame:
    """The pairs table: the judged pairs' columns, then the rows of `extra`, typed as a table
    made of `Pair` rows would be."""
    if not len(columns["gap"]) and not extra:  # type: ignore[arg-type]
        return pd.DataFrame([], columns=list(PAIR_COLUMNS))
    out: dict[str, pd.Series] = {}
    added = list(zip(*extra, strict=True)) if extra else [()] * len(PAIR_COLUMNS)
    for name, values in zip(PAIR_COLUMNS, added, strict=True):
        judged = columns[name]
        if isinstance(judged, arrow.Array):
            whole = arrow.concat_arrays([judged, arrow.array(values, type=arrow.string())])
            out[name] = pd.Series(whole, dtype="str")
        else:
            numbers = np.concatenate(
                [judged, np.array([np.nan if v is None else v for v in values], dtype=np.float64)]
            )
            if np.isnan(numbers).all():  # no figure at all: a column of None, as rows make it
                out[name] = pd.Series([None] * len(numbers), dtype=object)
            else:
                out[name] = pd.Series(numbers, dtype=np.float64)
    return pd.DataFrame(out, columns=list(PAIR_COLUMNS))


def _best_estimate(
    rows: list[int], independent: list[str], mids: list[float | None]
) -> float | None:
    """The median of the independent sources' midpoints (each source's own median first), so
    an outlet repeating itself counts once."""
    by_source: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        if mids[r] is not None:
            by_source[independent[r]].append(mids[r])  # type: ignore[arg-type]
    if not by_source:
        return None
    return _median([_median(v) for v in by_source.values()])


def _median(values: list[float]) -> float:
    """`statistics.median`, without its generality: the middle value, or the mean of the two."""
    ordered = sorted(values)
    half = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[half]
    return (ordered[half - 1] + ordered[half]) / 2


def _scope_pairs(
    groups: list[_Group], cols: dict[str, list], group_ids: list[str], s: _Settings
) -> list[tuple[object, ...]]:
    """One `different_scope` pair between each total and the incidents of the same article,
    topic, party and measure (first claim of each group, at most `max_candidates` incidents per
    total): shown so a reader sees they were set apart on purpose, never judged."""
    intervals, dates = cols["interval"], cols["date"]
    incidents: dict[tuple[str, str, str, str], list[int]] = defaultdict(list)
    totals: list[int] = []
    for group in groups:
        first = group.rows[0]
        key = (
            cols["article"][first],
            cols["topic"][first],
            cols["party_key"][first],
            cols["measure"][first],
        )
        if cols["scope"][first] == Scope.TOTAL:
            totals.append(first)
        else:
            incidents[key].append(first)
    rows: list[tuple[object, ...]] = []
    for t in totals:
        key = (cols["article"][t], cols["topic"][t], cols["party_key"][t], cols["measure"][t])
        for i in incidents.get(key, [])[: s.max_candidates]:
            within = intervals[i][0] <= intervals[t][1] * (1 + s.tolerance)
            text_score = round(fuzz.token_set_ratio(cols["text_key"][t], cols["text_key"][i]), 1)
            why = (
                f"total_and_incident: total {_show(intervals[t])} vs one incident "
                f"{_show(intervals[i])} ({dates[i] or 'undated'}"
                f"{', ' + cols['place'][i] if cols['place'][i] else ''}): "
                f"different scope, not judged; the incident "
                f"{'fits within' if within else 'exceeds'} the total"
            )
            rows.append(
                (
                    group_ids[t],
                    str(cols["claim_id"][t]),
                    str(cols["claim_id"][i]),
                    cols["source"][t],
                    cols["source"][i],
                    str(Verdict.DIFFERENT_SCOPE),
                    "total_and_incident",
                    why,
                    None,
                    text_score,
                    s.tolerance,
                )
            )
    return rows


def _group_parts(
    groups: pd.DataFrame,
    group_ids: list[str],
    whole_of: list[int],
    part_rule: list[str],
    cols: dict[str, list],
    s: _Settings,
) -> list[tuple[object, ...]]:
    """Mark each group that counts a part of another (`part_of`) and give one `part_of` pair
    per part: parts written as parts of a figure (`part_words`, `bracketed_part`), arms of a
    force's head count (`arm_of_a_force`), and the sides of a total naming no side
    (`sides_of_a_total`)."""
    if groups.empty:
        return []
    index_of = {gid: i for i, gid in enumerate(groups["group_id"])}
    part_of = [""] * len(groups)
    how = [""] * len(groups)
    firsts = groups["_first"].tolist()
    whole_claim = [-1] * len(groups)
    # parts the text writes as parts
    for i, first in enumerate(firsts):
        whole = whole_of[first]
        if whole >= 0 and group_ids[whole] != group_ids[first]:
            part_of[i], how[i], whole_claim[i] = group_ids[whole], part_rule[first], whole
    articles, topics = groups["article"].tolist(), groups["topic"].tolist()
    scopes, kinds = groups["scope"].tolist(), groups["_kind"].tolist()
    party_keys, sides = groups["_party_key"].tolist(), groups["side"].tolist()
    measures = groups["measure"].tolist()
    heads: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    unsided: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    sided: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i in range(len(groups)):
        if scopes[i] != Scope.TOTAL or whole_of[firsts[i]] >= 0:
            continue
        if kinds[i] == "people":
            heads[(articles[i], topics[i], party_keys[i])].append(i)
        key = (articles[i], topics[i], measures[i])
        if sides[i]:
            sided[key].append(i)
        elif not party_keys[i]:
            unsided[key].append(i)
    allowed = {r.name for r in s.parts}
    for i in range(len(groups)):
        if part_of[i] or scopes[i] != Scope.TOTAL or kinds[i] != "kind":
            continue
        if "arm_of_a_force" not in allowed:
            break
        head = heads.get((articles[i], topics[i], party_keys[i]), [])
        if len(head) == 1:
            part_of[i], how[i] = groups.at[head[0], "group_id"], "arm_of_a_force"
    for key, wholes in unsided.items() if "sides_of_a_total" in allowed else ():
        parts = sided.get(key, [])
        if len(wholes) == 1 and len({sides[i] for i in parts}) >= 2:
            for i in parts:
                if not part_of[i]:
                    part_of[i], how[i] = groups.at[wholes[0], "group_id"], "sides_of_a_total"
    groups["part_of"] = part_of
    rows: list[tuple[object, ...]] = []
    intervals = cols["interval"]
    for i, whole_gid in enumerate(part_of):
        if not whole_gid:
            continue
        part = firsts[i]
        whole = whole_claim[i] if whole_claim[i] >= 0 else firsts[index_of[whole_gid]]
        why = (
            f"{how[i]}: {_show(intervals[part])} ({measures[i]}) is a part of "
            f"{_show(intervals[whole])} ({cols['measure'][whole]}); not judged"
        )
        rows.append(
            (
                whole_gid,
                str(cols["claim_id"][whole]),
                str(cols["claim_id"][part]),
                cols["source"][whole],
                cols["source"][part],
                str(Verdict.PART_OF),
                how[i],
                why,
                None,
                round(fuzz.token_set_ratio(cols["text_key"][whole], cols["text_key"][part]), 1),
                s.tolerance,
            )
        )
    return rows


def _across_articles(
    groups: list[_Group],
    frame: pd.DataFrame,
    group_ids: list[str],
    cols: dict[str, list],
    s: _Settings,
) -> list[tuple[object, ...]]:
    """The same event told by two articles: a total of one article (a battle's infobox,
    dated to its day and placed) against an incident of another (the war's article telling
    that day at that place), of the same topic, measure and party (sides are each article's
    own, so the party is compared without them). Judged by the verdict rules; the rule
    `same_event_in_another_article` names the link, and each group lists the other articles
    it is set against in `other_articles`."""
    if not s.links:
        return []
    scopes, days, party_keys = cols["scope"], cols["day"], cols["party_key"]
    if not any(
        scopes[g.rows[0]] == Scope.TOTAL
        and days[g.rows[0]] is not None
        and party_keys[g.rows[0]].partition("#")[0]
        for g in groups
    ):
        return []  # no total dated to a day: nothing to set against another article
    incidents: dict[tuple[str, str, str, int], list[int]] = defaultdict(list)
    for group in groups:
        first = group.rows[0]
        day = cols["day"][first]
        base = cols["party_key"][first].partition("#")[0]
        if cols["scope"][first] == Scope.INCIDENT and day is not None and base and group.place:
            key = (cols["topic"][first], cols["measure"][first], base, day)
            incidents[key].append(first)
    if not incidents:
        return []
    index_of = {gid: i for i, gid in enumerate(frame["group_id"])}
    others: dict[int, set[str]] = defaultdict(set)
    rows: list[tuple[object, ...]] = []
    for group in groups:
        first = group.rows[0]
        day = cols["day"][first]
        base = cols["party_key"][first].partition("#")[0]
        if cols["scope"][first] != Scope.TOTAL or day is None or not base:
            continue
        place = next(iter(group.places), "") or cols["place"][first]
        if not place:
            continue
        article = cols["article"][first]
        for shift in range(-s.window, s.window + 1):
            key = (cols["topic"][first], cols["measure"][first], base, day + shift)
            for other in incidents.get(key, [])[: s.max_candidates]:
                if cols["article"][other] == article:
                    continue
                if fuzz.WRatio(place, cols["place"][other]) < s.place_same:
                    continue
                verdict, rule = judge_pair(first, other, cols, s)
                gap = (
                    relative_gap(cols["interval"][first], cols["interval"][other])
                    if verdict == Verdict.CONFLICT
                    else None
                )
                why = _pair_why(rule, verdict, first, other, cols, s, gap)
                rows.append(
                    (
                        group_ids[first],
                        str(cols["claim_id"][first]),
                        str(cols["claim_id"][other]),
                        cols["source"][first],
                        cols["source"][other],
                        str(verdict),
                        f"{_LINK_RULE}; {rule}",
                        f"{_LINK_RULE} ({article} / {cols['article'][other]}): {why}",
                        gap,
                        round(
                            fuzz.token_set_ratio(cols["text_key"][first], cols["text_key"][other]),
                            1,
                        ),
                        s.tolerance,
                    )
                )
                others[index_of[group_ids[first]]].add(cols["article"][other])
                others[index_of[group_ids[other]]].add(article)
    for i, names in others.items():
        frame.at[i, "other_articles"] = "; ".join(sorted(names))
    return rows


_LINK_RULE = "same_event_in_another_article"
# The scope rules are applied where each claim's scope is read (`_compare`).
_SCOPE_RULES = dict.fromkeys(("count_of_one_period",))
# The key rules are applied where each claim's comparison key is read (`_compare`).
_KEY_RULES = dict.fromkeys(
    (
        "arm_before_the_figure",
        "force_named_in_the_clause",
        "nationality_before_the_noun",
        "noun_of_another_topic",
        "place_of_destination",
        "thing_of_a_kind",
    )
)


def _show(interval: tuple[float, float]) -> str:
    lo, hi = interval
    if lo == hi:
        return f"{lo:,.0f}"
    left = "…" if lo == float("-inf") else f"{lo:,.0f}"
    right = "…" if hi == float("inf") else f"{hi:,.0f}"
    return f"{left}–{right}"


def _group_why(
    verdicts: Counter[str], fired: Counter[str], n_independent: int, s: _Settings
) -> str:
    if not verdicts:
        return "one claim: nothing to compare"
    counts = ", ".join(f"{n} {v}" for v, n in verdicts.most_common())
    rules = ", ".join(f"{name} ×{n}" for name, n in fired.most_common())
    return (
        f"{counts} among pairs ({rules}); {n_independent} independent source(s); "
        f"figures agree when their ranges overlap within ±{s.tolerance:.0%}"
    )


def _label(topic: str, party: str, dates: list[str], places: Counter[str]) -> str:
    parts = [topic, party or "(no party)"]
    if dates:
        parts.append(dates[0] if dates[0] == dates[-1] else f"{dates[0]}–{dates[-1]}")
    if places:
        parts.append(places.most_common(1)[0][0])
    return " · ".join(parts)


def _group_id(cols: dict[str, list], rows: list[int]) -> str:
    return "g" + make_claim_id(*sorted(str(cols["claim_id"][r]) for r in rows))[:12]


def sum_check(whole: float, parts: Sequence[float], tolerance: float, noun: str = "parts") -> str:
    """The arithmetic of a whole and its parts, the tolerance applied once, to the whole:
    "202 = 183 + 19", "1,117 ≈ 210 + 380 + 530 = 1,120 (within ±10%)", or "the parts sum to 18
    (12 + 6); the total says 22: 4 unaccounted for"."""
    total = sum(parts)
    terms = " + ".join(f"{p:,.0f}" for p in parts)
    if total == whole:
        return f"{whole:,.0f} = {terms}"
    if abs(total - whole) <= tolerance * whole:
        return f"{whole:,.0f} ≈ {terms} = {total:,.0f} (within ±{tolerance:.0%})"
    if total < whole:
        return (
            f"the {noun} sum to {total:,.0f} ({terms}); the total says {whole:,.0f}: "
            f"{whole - total:,.0f} unaccounted for"
        )
    return (
        f"the {noun} sum to {total:,.0f} ({terms}); the total says {whole:,.0f}: "
        f"the {noun} exceed it by {total - whole:,.0f}"
    )


def _sum_checks(groups: pd.DataFrame, s: _Settings) -> None:
    """Write each whole's arithmetic: its parts (`part_of`), else the incident groups of its
    article that count the same, when every figure is exact."""
    if groups.empty:
        return
    best = groups["best_estimate"].tolist()
    by_whole: dict[str, list[int]] = defaultdict(list)
    for i, whole in enumerate(groups["part_of"].tolist()):
        if whole and best[i] is not None and best[i] == best[i]:
            by_whole[whole].append(i)
    index_of = {gid: i for i, gid in enumerate(groups["group_id"])}
    for whole, parts in by_whole.items():
        w = index_of[whole]
        if best[w] is None or best[w] != best[w]:
            continue
        groups.at[w, "sum_check"] = sum_check(best[w], [best[i] for i in parts], s.tolerance)
    exact = groups["_exact"].tolist()
    scopes = groups["scope"].tolist()
    keys = list(
        zip(
            groups["article"].tolist(),
            groups["topic"].tolist(),
            groups["_party_key"].tolist(),
            groups["measure"].tolist(),
            strict=True,
        )
    )
    known = [exact[i] and best[i] is not None and best[i] == best[i] for i in range(len(best))]
    parts_of: dict[tuple[str, str, str, str], list[float]] = defaultdict(list)
    for i, key in enumerate(keys):
        if known[i] and scopes[i] == Scope.INCIDENT:
            parts_of[key].append(best[i])
    checks = groups["sum_check"].tolist()
    changed = False
    for i, key in enumerate(keys):
        if not known[i] or scopes[i] != Scope.TOTAL or checks[i]:
            continue
        parts = parts_of.get(key)
        if parts is not None and len(parts) >= 2:
            checks[i] = sum_check(float(best[i]), parts, s.tolerance, "incidents")
            changed = True
    if changed:
        groups["sum_check"] = checks


def _source_table(claims: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    if claims.empty:
        return pd.DataFrame(columns=list(SOURCE_COLUMNS))
    grouped = claims.groupby("source", sort=True)
    table = pd.DataFrame(
        {
            "source_name": grouped["source_name"].first(),
            "source_kind": grouped["source_kind"].first(),
            "claims": grouped.size(),
            "groups": grouped["group_id"].nunique(),
            "highest": grouped["is_highest"].sum(),
            "lowest": grouped["is_lowest"].sum(),
            "unconfirmed": grouped["confirmed"].apply(lambda c: int((~c.astype(bool)).sum())),
        }
    )
    for verdict in (Verdict.AGREE, Verdict.CONFLICT, Verdict.REPEATED):
        chosen = (pairs["verdict"] == verdict).to_numpy(dtype=bool)  # not a copy of every column
        counts = pd.concat([pairs["source_a"][chosen], pairs["source_b"][chosen]]).value_counts()
        table[str(verdict)] = counts.reindex(table.index).fillna(0).astype(int)
    table = table.reset_index()
    return table[list(SOURCE_COLUMNS)]
