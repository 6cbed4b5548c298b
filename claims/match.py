"""Which claims count the same thing, and whether their sources agree.

Claims are blocked by topic, party and scope (a battle-wide total is never set against one
incident), so the cost grows with the number of claims, not its square. Inside a block, an
incident claim joins a group when date, place and sentence say it is the same incident
(rapidfuzz for the text side; numbers are never left to text similarity). Each pair of claims in
a group gets a verdict with the reasons behind it: `agree`, `conflict`, `corroborated` (the same
outlet repeating itself), or `updated` (the same outlet's later tally of a growing count).
Thresholds live in `claims/data/match.toml`.
"""

from __future__ import annotations

import hashlib
import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from functools import cache

import pandas as pd
from rapidfuzz import fuzz, process

from claims.knowledge import load_data, rules_fingerprint
from claims.model import ALL_CLAIM_COLUMNS, Claim
from claims.tables import claims_frame
from claims.topics import counted_thing

GROUP_COLUMNS = (
    "group_id",
    "article",
    "topic",
    "party",
    "scope",
    "date",
    "place",
    "label",
    "n_claims",
    "n_sources",
    "n_independent",
    "low",
    "high",
    "consensus_low",
    "consensus_high",
    "consensus_mid",
    "spread",
    "verdict",
    "why",
    "sum_of_parts",
)
PAIR_COLUMNS = (
    "group_id",
    "claim_a",
    "claim_b",
    "source_a",
    "source_b",
    "verdict",
    "why",
    "text_score",
    "tolerance",
)
SOURCE_COLUMNS = (
    "source",
    "source_name",
    "source_kind",
    "claims",
    "groups",
    "highest",
    "lowest",
    "unconfirmed",
    "agree",
    "conflict",
)
EXTRA_CLAIM_COLUMNS = (
    "group_id",
    "scope",
    "group_verdict",
    "is_highest",
    "is_lowest",
    "confirmed",
    "thing",
)


# Raised whenever the matching rules in this module change what a comparison holds, so that
# a comparison kept in a store from an earlier release is made again rather than shown.
COMPARISON_FORMAT = 2


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
    max_all_pairs: int
    growing: frozenset[str]
    state_topics: frozenset[str]
    total_words: re.Pattern[str]
    any_total_words: re.Pattern[str]
    running_words: re.Pattern[str]
    tally_words: re.Pattern[str]
    part_words: re.Pattern[str]
    same_parties: dict[str, str]


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
        max_all_pairs=int(data["max_all_pairs"]),
        growing=frozenset(data["growing_topics"]),
        state_topics=frozenset(data["state_topics"]),
        total_words=re.compile(r"(?<![\w-])(?:" + "|".join(words) + r")(?![\w-])", re.I),
        tally_words=re.compile(
            r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in data["tally_words"]) + r")(?![\w-])",
            re.I,
        ),
        part_words=_words_pattern(data["part_words"]),
        any_total_words=_words_pattern([*data["total_words"], *data["toll_words"]]),
        running_words=_words_pattern(data["running_words"]),
        same_parties=same,
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


# -- matching --------------------------------------------------------------------------------


MAX_GROUP_TEXTS = 5  # a claim is compared with this many sentences of a group at most


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
    points: set[float] = field(default_factory=set)
    by_source: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    day: int | None = None  # the date as a day number, when it names a day
    texts: list[str] = field(default_factory=list)  # its claims' sentences, the first few

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
        self.by_source.setdefault(cols["independent"][r], []).append(interval)
        url = cols["citation_url"][r]
        if url:
            self.urls.add(url)
        self.figures.setdefault(cols["quote"][r], set()).add(cols["value_text"][r])
        self.speakers.setdefault(cols["quote"][r], set()).add(cols["claimant"][r])
        text = cols["text_key"][r]
        if len(self.texts) < MAX_GROUP_TEXTS and text not in self.texts:
            self.texts.append(text)
        low, high = cols["value_low"][r], cols["value_high"][r]
        if _present(low) and low == high:
            self.points.add(float(low))

    def holds_another_figure_of(self, quote: str, figure: str, claimant: str) -> bool:
        """The group holds another figure of the same sentence that counts something else:
        not one a different claimant gives for the same count ("105 to 141, according to the
        investigation; officials had put the toll at over 200")."""
        figures = self.figures.get(quote)
        if figures is None or figure in figures:
            return False
        speakers = self.speakers[quote]
        return not claimant or "" in speakers or claimant in speakers


def compare(claims: Iterable[Claim] | pd.DataFrame) -> Comparison:
    """Group claims that count the same thing and judge each group's sources."""
    frame = claims if isinstance(claims, pd.DataFrame) else claims_frame(claims)
    if frame.empty:
        return Comparison.empty()
    frame = frame.reset_index(drop=True).copy()
    for column in ALL_CLAIM_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    s = settings()
    text_cols = ("article", "topic", "party", "date", "place", "source", "relayed_from", "quote")
    text_cols = (*text_cols, "citation_url", "value_text", "claimant")
    for column in (*text_cols, "origin", "date_basis"):
        values = frame[column]
        if values.dtype.kind == "f":  # an all-empty column read back from a file
            values = values.astype(object)
        frame[column] = values.fillna("").astype(str)
    # columns as Python lists: iterating Arrow-backed columns one value at a time is slow
    quotes, topics = frame["quote"].tolist(), frame["topic"].tolist()
    wording = {q: _total_wording(q, s) for q in set(quotes)}
    basis = frame["date_basis"].tolist()
    scope = [
        "total"
        if origin == "infobox"
        or (origin == "table" and dated not in ("row", "sentence"))  # a table of totals
        or topic in s.state_topics
        or wording[quote] == "total"
        # a toll the text dates to one day is that day's event's, unless counted up to it
        or (wording[quote] == "toll" and not (len(day) == 10 and dated in _EVENT_DATED))
        or dated == "event"  # the article's one day of events: its figures count that day
        else "incident"
        for origin, topic, quote, dated, day in zip(
            frame["origin"].tolist(), topics, quotes, basis, frame["date"].tolist(), strict=True
        )
    ]
    frame["scope"] = scope
    frame["party_key"] = _headline_parties(frame, _sided(frame, _party_keys(frame)))
    # what a count of things counts (tanks, villages); a share ("most of the city") counts
    # parts of one place, whatever words name it
    units = frame["unit"].fillna("").astype(str).tolist()
    counted = [
        "" if unit == "percent" else topic for topic, unit in zip(topics, units, strict=True)
    ]
    things: dict[tuple[str, str, str], str] = {}
    keys = list(zip(counted, quotes, frame["value_text"].tolist(), strict=True))
    for key in keys:
        if key not in things:
            things[key] = counted_thing(*key)
    frame["thing"] = [
        "km2" if unit == "km2" else things[key] for key, unit in zip(keys, units, strict=True)
    ]  # land is compared with land, not with a count of villages
    _unnamed_totals_join_the_only_party(frame)
    independent = frame["relayed_from"].where(frame["relayed_from"] != "", frame["source"])
    frame["independent"] = independent

    cols: dict[str, list] = {
        name: frame[name].tolist()
        for name in (
            *text_cols,
            "value_low",
            "value_high",
            "claim_id",
            "scope",
            "party_key",
            "thing",
            "independent",
            "origin",
            "date_basis",
        )
    }
    cols["interval"] = [
        _interval(lo, hi) for lo, hi in zip(cols["value_low"], cols["value_high"], strict=True)
    ]
    keys = {q: _text_key(q) for q in set(cols["quote"])}
    cols["text_key"] = [keys[q] for q in cols["quote"]]
    group_of = [0] * len(frame)
    groups: list[_Group] = []
    # tanks are not compared with aircraft, nor villages with hills
    blocks = frame.groupby(["topic", "party_key", "thing", "scope"], sort=False).indices
    for (_topic, _party, _thing, block_scope), rows in blocks.items():
        ordered = sorted(rows, key=lambda r: (cols["date"][r] or "9999", r))
        if block_scope == "total":
            # one total per article and place: the toll of the whole war "in the Gaza Strip"
            # is not the total of a strike in Gaza City the article is about
            by_article: dict[str, list[tuple[_Group, set[str]]]] = defaultdict(list)
            for r in ordered:
                place, url = cols["place"][r], cols["citation_url"][r]
                if cols["origin"][r] == "citation_title":
                    place = ""  # a headline's place is loose ("Gaza" for a hospital in it)
                quote, figure = cols["quote"][r], cols["value_text"][r]
                speaker = cols["claimant"][r]
                # "93 people were killed, including 11 children": a figure written after
                # "including" counts a part, never compared with another of its sentence
                apart = cols["origin"][r] != "infobox" and _is_part(quote, figure, s)
                totals = by_article[cols["article"][r]]
                accepting = [
                    (group, places)
                    for group, places in totals
                    if (
                        not (apart or _in_another_clause(group, quote, figure))
                        or not group.holds_another_figure_of(quote, figure, speaker)
                    )
                    and (
                        not place
                        or not places
                        or any(fuzz.WRatio(place, p) >= s.place_same for p in places)
                    )
                ]
                # a headline names no place: it joins the total its own article backs
                cited = [t for t in accepting if url and url in t[0].urls]
                if not cited and not place and len(accepting) > 1:
                    # else the article's own total: the one its infobox gives, else the largest
                    accepting = sorted(
                        accepting,
                        key=lambda t: (
                            not any(cols["origin"][k] == "infobox" for k in t[0].rows),
                            -len(t[0].rows),
                        ),
                    )
                target = (cited or accepting or [None])[0]
                if target is None:
                    target = (_Group(len(groups), [], "", "", ""), set())
                    groups.append(target[0])
                    totals.append(target)
                if place:
                    target[1].add(place)
                target[0].add(cols, r)
                group_of[r] = target[0].gid
            continue
        by_article_open: dict[str, list[_Group]] = defaultdict(list)
        by_day_place: dict[tuple[int, str], list[_Group]] = defaultdict(list)
        for r in ordered:
            article = cols["article"][r]
            open_groups = by_article_open[article]
            day = _ordinal(cols["date"][r])
            place_key = cols["place"][r].lower()
            elsewhere = [
                g
                for g in (by_day_place.get((day, place_key), []) if day and place_key else [])
                if cols["article"][g.rows[0]] != article
            ]
            target = _best_group(cols, r, open_groups, s) or _best_group(cols, r, elsewhere, s)
            if target is None:
                target = _Group(
                    len(groups),
                    [],
                    cols["date"][r],
                    cols["place"][r],
                    cols["text_key"][r],
                    day=day,
                )
                groups.append(target)
                open_groups.append(target)
                if len(open_groups) > s.max_candidates:
                    open_groups.pop(0)
                if day and place_key:
                    by_day_place[(day, place_key)].append(target)
            target.add(cols, r)
            group_of[r] = target.gid
    frame["group_key"] = group_of
    return _judge(frame, groups, s, cols["text_key"], cols["interval"])


def _unnamed_totals_join_the_only_party(frame: pd.DataFrame) -> None:
    """A total naming no party ("deaths: 471") counts the one party the other totals of its
    article, topic and thing name ("500 people were killed"); with several, it stays apart."""
    scope, party = frame["scope"].tolist(), frame["party_key"].tolist()
    rows = [r for r, sc in enumerate(scope) if sc == "total"]
    if not rows:
        return
    articles, topics, things = (frame[c].tolist() for c in ("article", "topic", "thing"))
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


def _total_wording(quote: str, s: _Settings) -> str:
    """ "total" when a sentence words its figure as the whole subject's ("in total", "the toll
    rose to"), "toll" when it names a toll that may be one event's, else ""."""
    found = s.any_total_words.search(quote)
    if found is None:
        return ""  # most sentences: one search
    if s.total_words.search(quote, found.start()):
        return "total"
    return "total" if s.running_words.search(quote) else "toll"


def _in_another_clause(group: _Group, quote: str, figure: str) -> bool:
    """The group holds a figure of the same sentence written in another clause ("a population
    of about 32,000; by October 2023 fewer than 1,600 residents remained"): another count."""
    others = group.figures.get(quote)
    if not others or figure in others:
        return False
    at = quote.find(figure)
    for other in others:
        where = quote.find(other)
        if at >= 0 and where >= 0 and ";" in quote[min(at, where) : max(at, where)]:
            return True
    return False


def _is_part(quote: str, figure: str, s: _Settings) -> bool:
    """The figure is written after a word that makes it a part ("including 11 children")."""
    at = quote.find(figure)
    return at > 0 and s.part_words.search(quote, 0, at) is not None


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
    """One key per party as counted: synonyms merged, near-identical names merged."""
    s = settings()
    keys: dict[tuple[str, str], str] = {}
    canon_by_topic: dict[str, list[str]] = defaultdict(list)
    out = []
    for topic, party in zip(frame["topic"].tolist(), frame["party"].tolist(), strict=True):
        lowered = " ".join(party.lower().split())
        cache_key = (topic, lowered)
        if cache_key not in keys:
            key = s.same_parties.get(lowered, lowered)
            if key == lowered and lowered:
                last = lowered.split()[-1]
                if last in s.same_parties and len(lowered.split()) <= 2:
                    key = s.same_parties[last]  # "Syrian soldiers" counts soldiers
                else:
                    for known in canon_by_topic[topic]:
                        if fuzz.token_set_ratio(lowered, known) >= s.party_same:
                            key = known
                            break
            if key not in canon_by_topic[topic]:
                canon_by_topic[topic].append(key)
            keys[cache_key] = key
        out.append(keys[cache_key])
    return out


def _best_group(
    cols: dict[str, list], r: int, candidates: list[_Group], s: _Settings
) -> _Group | None:
    date = cols["date"][r]
    place = cols["place"][r]
    quote = cols["quote"][r]
    value_text = cols["value_text"][r]
    claimant = cols["claimant"][r]
    url = cols["citation_url"][r]
    source = cols["independent"][r]
    low, high = cols["value_low"][r], cols["value_high"][r]
    mine = cols["interval"][r]
    point = float(low) if _present(low) and low == high else None
    text = cols["text_key"][r]
    article = cols["article"][r]
    topic = cols["topic"][r]
    my_day = _ordinal(date)
    continues = cols["date_basis"][r] == "paragraph" and my_day is not None
    best: tuple[float, _Group] | None = None
    for group in reversed(candidates):
        if group.holds_another_figure_of(quote, value_text, claimant):
            continue  # another figure of the same sentence counts something else
        first = group.rows[0]
        same_article = cols["article"][first] == article
        # the cited article's own headline and the sentence citing it, with the same figure
        linked = (
            bool(url)
            and url in group.urls
            and same_article
            and any(mine in intervals for intervals in group.by_source.values())
        )
        if linked:
            if best is None or best[0] < 100.0:
                best = (100.0, group)
            continue
        if my_day is not None and group.day is not None:
            gap = abs(my_day - group.day)
            if gap > s.update_window:
                break  # groups come in date order: every older one is further away
            ok = gap <= s.window
        else:
            ok, _ = _dates_compatible(date, group.date, s.window)
        tally = False
        if not ok:
            # a growing count retold later by the same outlet is one tally, updated
            tally = (
                topic in s.growing
                and bool(source)
                and source in group.by_source
                and mine[0] >= max(lo for lo, _ in group.by_source[source])
                and s.tally_words.search(quote) is not None
            )
            if not tally or not _dates_compatible(date, group.date, s.update_window)[0]:
                continue
        places_known = bool(place and group.place)
        if places_known and fuzz.WRatio(place, group.place) < s.place_same:
            continue
        if not same_article and not (_day(date) and places_known):
            continue  # across articles, only the same day and place make the same incident
        same_figure = point is not None and point >= s.same_figure_min and point in group.points
        dated = bool(date and group.date)
        needed = s.text_same if dated or places_known else s.text_undated
        if same_figure:
            needed = min(needed, s.text_same_figure)
        if (
            continues
            and same_article
            and my_day == group.day
            and places_known
            and place.lower() == group.place.lower()
        ):
            # "The White Helmets put the toll at 27.": a sentence dated by its paragraph tells
            # more of the same day's event in the same place, in words of its own
            needed = min(needed, s.text_same_paragraph)
        own = group.by_source.get(source)
        if own and not any(intervals_agree(mine, other, s.tolerance) for other in own):
            needed = max(needed, s.text_undated)  # an outlet rarely contradicts itself
        if tally:
            needed = max(needed, s.text_same)
        score = group.similarity(text, max(needed, best[0] if best else 0.0))
        if score is not None and score >= needed and (best is None or score > best[0]):
            best = (score, group)
    return best[1] if best else None


# -- verdicts --------------------------------------------------------------------------------


def _judge(
    frame: pd.DataFrame,
    groups: list[_Group],
    s: _Settings,
    text_keys: list[str],
    intervals: list[tuple[float, float]],
) -> Comparison:
    cols: dict[str, list] = {
        name: frame[name].tolist()
        for name in (
            "article",
            "topic",
            "place",
            "party",
            "party_key",
            "thing",
            "scope",
            "claim_id",
        )
    }
    mids = [_midpoint(lo, hi) for lo, hi in intervals]
    ids = frame["claim_id"].astype(str).tolist()
    sources = frame["source"].tolist()
    independent = frame["independent"].tolist()
    dates = frame["date"].tolist()
    quotes = text_keys  # sentences with their numbers removed
    topics = frame["topic"].tolist()
    confirmed = [False] * len(frame)
    is_highest = [False] * len(frame)
    is_lowest = [False] * len(frame)
    group_ids = [""] * len(frame)
    group_verdicts = [""] * len(frame)
    pair_rows: list[tuple[object, ...]] = []
    group_rows: list[dict[str, object]] = []

    for group in groups:
        rows = group.rows
        first = rows[0]
        gid = _group_id(cols, rows)
        verdicts: Counter[str] = Counter()
        if len(rows) <= s.max_all_pairs:
            pairs = [(a, b) for i, a in enumerate(rows) for b in rows[i + 1 :]]
        else:
            pairs = [(first, b) for b in rows[1:]]
        for a, b in pairs:
            verdict, why, text_score = _pair_verdict(
                a, b, intervals, independent, dates, quotes, topics[a], s
            )
            verdicts[verdict] += 1
            pair_rows.append(
                (gid, ids[a], ids[b], sources[a], sources[b], verdict, why, text_score, s.tolerance)
            )
            if verdict == "agree" and independent[a] != independent[b]:
                confirmed[a] = confirmed[b] = True
        if verdicts["conflict"]:
            verdict = "conflict"
        elif verdicts["agree"]:
            verdict = "agree"
        elif verdicts["updated"]:
            verdict = "updated"
        elif verdicts["corroborated"]:
            verdict = "corroborated"
        else:
            verdict = "single"
        known = [m for m in (mids[r] for r in rows) if m is not None]
        finite_lows = [intervals[r][0] for r in rows if intervals[r][0] != float("-inf")]
        finite_highs = [intervals[r][1] for r in rows if intervals[r][1] != float("inf")]
        n_independent = len({independent[r] for r in rows if independent[r]})
        if len({independent[r] for r in rows}) > 1 and known:
            top, bottom = max(known), min(known)
            for r in rows:
                if mids[r] == top:
                    is_highest[r] = True
                if mids[r] == bottom:
                    is_lowest[r] = True
        for r in rows:
            group_ids[r] = gid
            group_verdicts[r] = verdict
        places = Counter(cols["place"][r] for r in rows if cols["place"][r])
        group_dates = sorted(dates[r] for r in rows if dates[r])
        base, _, side = cols["party_key"][first].partition("#")
        party = cols["party"][first] or base
        spread = (max(known) / min(known)) if known and min(known) > 0 else None
        group_rows.append(
            {
                "group_id": gid,
                "article": cols["article"][first],
                "topic": topics[first],
                "party": party,
                "scope": cols["scope"][first],
                "date": group_dates[0] if group_dates else "",
                "place": places.most_common(1)[0][0] if places else "",
                "label": _label(
                    f"{topics[first]} ({cols['thing'][first]})"
                    if cols["thing"][first]
                    else topics[first],
                    f"{party or '(no party)'} (side {side})" if side else party,
                    group_dates,
                    places,
                ),
                "n_claims": len(rows),
                "n_sources": len({sources[r] for r in rows if sources[r]}),
                "n_independent": n_independent,
                "low": min(finite_lows) if finite_lows else None,
                "high": max(finite_highs) if finite_highs else None,
                "consensus_low": min(finite_lows) if finite_lows else None,
                "consensus_high": max(finite_highs) if finite_highs else None,
                "consensus_mid": statistics.median(known) if known else None,
                "spread": spread,
                "verdict": verdict,
                "why": _group_why(verdicts, n_independent, s),
                "sum_of_parts": "",
                "_exact": all(intervals[r][0] == intervals[r][1] for r in rows),
            }
        )

    pair_rows.extend(
        _scope_pairs(groups, cols, group_ids, intervals, dates, quotes, sources, ids, s)
    )
    groups_frame = pd.DataFrame(group_rows, columns=[*GROUP_COLUMNS, "_exact"])
    _sum_of_parts(groups_frame, s)
    groups_frame = groups_frame.drop(columns=["_exact"])
    claims = frame.drop(columns=["party_key", "independent", "group_key"])
    claims["group_id"] = group_ids
    claims["group_verdict"] = group_verdicts
    claims["is_highest"] = is_highest
    claims["is_lowest"] = is_lowest
    claims["confirmed"] = confirmed
    claims = claims[[*ALL_CLAIM_COLUMNS, *EXTRA_CLAIM_COLUMNS]]
    pairs_frame = pd.DataFrame(pair_rows, columns=list(PAIR_COLUMNS))
    return Comparison(claims, groups_frame, pairs_frame, _source_table(claims, pairs_frame))


def _pair_verdict(
    a: int,
    b: int,
    intervals: list[tuple[float, float]],
    independent: list[str],
    dates: list[str],
    quotes: list[str],
    topic: str,
    s: _Settings,
) -> tuple[str, str, float]:
    agree = intervals_agree(intervals[a], intervals[b], s.tolerance)
    text_score = round(fuzz.token_set_ratio(quotes[a], quotes[b]), 1)
    shown = f"{_show(intervals[a])} vs {_show(intervals[b])} (tolerance ±{s.tolerance:.0%})"
    dated = f"dates {dates[a] or '?'} / {dates[b] or '?'}"
    same_outlet = independent[a] and independent[a] == independent[b]
    if same_outlet:
        if agree:
            why = f"same outlet ({independent[a]}) repeats its figure: {shown}; {dated}"
            return "corroborated", why, text_score
        if topic in s.growing and dates[a] != dates[b] and dates[a] and dates[b]:
            later, earlier = (a, b) if dates[a] > dates[b] else (b, a)
            if intervals[later][0] >= intervals[earlier][0]:
                why = f"same outlet ({independent[a]}), later tally of a growing count: {shown}"
                return "updated", f"{why}; {dated}", text_score
    verdict = "agree" if agree else "conflict"
    why = f"{'overlap' if agree else 'no overlap'}: {shown}; {dated}; text {text_score:.0f}/100"
    return verdict, why, text_score


def _scope_pairs(
    groups: list[_Group],
    cols: dict[str, list],
    group_ids: list[str],
    intervals: list[tuple[float, float]],
    dates: list[str],
    quotes: list[str],
    sources: list[str],
    ids: list[str],
    s: _Settings,
) -> list[tuple[object, ...]]:
    """One `different_scope` pair between each total and the incidents of the same article,
    topic and party (first claim of each group, at most `max_candidates` incidents per total):
    shown so a reader sees they were set apart on purpose, never judged against each other."""
    incidents: dict[tuple[str, str, str, str], list[int]] = defaultdict(list)
    totals: list[int] = []
    for group in groups:
        first = group.rows[0]
        if cols["scope"][first] == "total":
            totals.append(first)
        else:
            key = (
                cols["article"][first],
                cols["topic"][first],
                cols["party_key"][first],
                cols["thing"][first],
            )
            incidents[key].append(first)
    rows: list[tuple[object, ...]] = []
    for t in totals:
        key = (cols["article"][t], cols["topic"][t], cols["party_key"][t], cols["thing"][t])
        for i in incidents.get(key, [])[: s.max_candidates]:
            within = intervals[i][0] <= intervals[t][1] * (1 + s.tolerance)
            text_score = round(fuzz.token_set_ratio(quotes[t], quotes[i]), 1)
            why = (
                f"total {_show(intervals[t])} vs one incident {_show(intervals[i])} "
                f"({dates[i] or 'undated'}{', ' + cols['place'][i] if cols['place'][i] else ''}): "
                f"different scope, not judged; the incident "
                f"{'fits within' if within else 'exceeds'} the total"
            )
            rows.append(
                (
                    group_ids[t],
                    ids[t],
                    ids[i],
                    sources[t],
                    sources[i],
                    "different_scope",
                    why,
                    text_score,
                    s.tolerance,
                )
            )
    return rows


def _show(interval: tuple[float, float]) -> str:
    lo, hi = interval
    if lo == hi:
        return f"{lo:,.0f}"
    left = "…" if lo == float("-inf") else f"{lo:,.0f}"
    right = "…" if hi == float("inf") else f"{hi:,.0f}"
    return f"{left}–{right}"


def _group_why(verdicts: Counter[str], n_independent: int, s: _Settings) -> str:
    if not verdicts:
        return "one claim: nothing to compare"
    counts = ", ".join(f"{n} {v}" for v, n in verdicts.most_common())
    return (
        f"{counts} among pairs; {n_independent} independent source(s); "
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
    from claims.model import make_claim_id

    return "g" + make_claim_id(*sorted(str(cols["claim_id"][r]) for r in rows))[:12]


def _sum_of_parts(groups: pd.DataFrame, s: _Settings) -> None:
    """Mark totals that equal the sum of the article's incident groups of the same count."""
    if groups.empty:
        return
    exact = groups[groups["_exact"].astype(bool) & groups["consensus_mid"].notna()]
    incidents = exact[exact["scope"] == "incident"]
    parts = incidents.groupby(["article", "topic", "party"])["consensus_mid"].agg(["sum", "size"])
    parts = parts[parts["size"] >= 2]
    totals = exact[exact["scope"] == "total"]
    if parts.empty or totals.empty:
        return
    joined = totals.reset_index().merge(
        parts, left_on=["article", "topic", "party"], right_index=True
    )
    low = joined["sum"] * (1 - s.tolerance)
    high = joined["sum"] * (1 + s.tolerance)
    mid = joined["consensus_mid"].astype(float)
    hits = joined[(mid * (1 + s.tolerance) >= low) & (mid * (1 - s.tolerance) <= high)]
    for index, total, size in zip(hits["index"], hits["sum"], hits["size"], strict=True):
        groups.at[index, "sum_of_parts"] = (
            f"equals the sum of {size} incident figures ({total:,.0f})"
        )


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
    for verdict in ("agree", "conflict"):
        chosen = pairs[pairs["verdict"] == verdict]
        counts = pd.concat([chosen["source_a"], chosen["source_b"]]).value_counts()
        table[verdict] = counts.reindex(table.index).fillna(0).astype(int)
    table = table.reset_index()
    return table[list(SOURCE_COLUMNS)]
