"""What a figure counts (topic) and whom it is about (party).

The counted noun settles the topic of places, equipment and strikes ("30 airstrikes",
"5 villages", "four T-55 tanks"). For people, the nearest event word of the figure's own list
item decides: "killed 16 civilians", "20 fighters dead", "2,892 refugees", "3 rebels were taken
prisoner". In a list ("95 new cases, 60 recoveries and 8 deaths", "12 killed, 40 wounded and 3
missing") each figure binds to its own words; only an item with no word of its own borrows the
list's verb ("40 on the bus, 212 in the market and 17 at the checkpoint were killed"), and a
noun no table knows is `other`, never another item's topic. People with no event word are a
force's strength ("350 militants"). Words and classes live in `claims/data/topics.toml`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, partial
from itertools import accumulate, pairwise
from typing import NamedTuple

from claims.context import country_names, country_of
from claims.knowledge import load_data
from claims.model import Quantity
from claims.quantities import find_quantities

LOSER_REACH = 8  # tokens back from a count of things to the verb of who lost them
MAX_PHRASE = 4  # longest phrase in the word lists, in words
NOUN_LOOKAHEAD = 6  # words after a figure searched for the noun it counts
EVENT_DISTANCE = 12  # words between a figure and the event word that can still apply to it
WEAK_NOUN_OVERRIDE = 3  # words within which an event word outranks "residents", "inhabitants"
THING_REACH = 60  # characters after a figure searched for the thing it counts
POPULATION_DISTANCE = 2  # "a population of 20,000", "home to 20,000": population words sit close
MAX_LENT = 8  # event words of one list item looked at for the items that borrow one
ELLIPSIS = -2  # the source of a figure's topic that is the figure before it

PERSON, PLACE, EQUIPMENT, STRIKE = "person", "place", "equipment", "strike"
BUILDING = "building"
FORMATION = "formation"
RECORD = "record"  # counts of neither people nor things: "200,000 signatures"
DURATION = "duration"  # "3 days", "10 years": a time, not a count
COUNTS_OF_PEOPLE = (PERSON, FORMATION)
LOSS_TOPICS = frozenset({"killed", "injured", "detained", "missing"})  # together: casualties
DAMAGE_EVENT_TOPICS = ("equipment", "damage", "strikes")  # "destroyed", "razed", "hit" a building
PERSON_TOPICS = (
    "killed",
    "injured",
    "casualties",
    "detained",
    "missing",
    "rescued",
    "cases",
    "recovered",
    "displaced",
    "population",
    "strength",
)

HARM_TOPICS = ("killed", "injured", "casualties")

_TOKEN = re.compile(r"[\w][\w'’*.\-]*[\w*]|[\w]|[^\w\s]")
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")  # split() keeps the tokens between separators
_STOP = frozenset(",;:()[]")
_CLAUSE_STOP = frozenset(",;:()")
_LIST_STOP = frozenset(",;:")  # a bracket ("Alpha (4)") holds its figure in its item


@dataclass(frozen=True, slots=True)
class Reading:
    """How one figure reads: its topic, its party and the words that decided them.

    `noun` is the head noun the figure counts, lower-cased as written ("cases", "soldiers",
    "villages"), also when no table knows it ("provinces" read as `other`); "" when no noun
    follows the figure. `noun_class` is the table's class of that noun ("" when unknown).
    `modifiers` are the words written between the figure and its noun, as written ("new" in
    "95 new cases", "Hamas" in "19 Hamas militants"). `event` is the event word that gave the
    topic, "" when the noun alone did.
    """

    topic: str
    party: str
    noun: str
    noun_class: str
    event: str
    modifiers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Phrases:
    """Phrases (as word tuples) and what each stands for, with the words they start with."""

    values: dict[tuple[str, ...], str]
    starts: frozenset[str]

    @classmethod
    def of(cls, values: dict[tuple[str, ...], str]) -> Phrases:
        return cls(values, frozenset(p[0] for p in values if p))


@dataclass(frozen=True, slots=True)
class Taxonomy:
    labels: dict[str, str]
    events: Phrases  # phrase -> topic
    nouns: Phrases  # phrase -> class
    roles: dict[tuple[str, ...], str]  # phrase -> party label
    same_party: frozenset[str]
    noun_breaks: frozenset[str]
    back_references: frozenset[str]
    restating: frozenset[tuple[str, ...]]
    armed_parties: frozenset[str] = frozenset()
    unarmed: frozenset[str] = frozenset()
    copulas: frozenset[str] = frozenset()
    loss_verbs: frozenset[str] = frozenset()
    list_separators: frozenset[str] = frozenset()
    determiners: frozenset[str] = frozenset()
    not_nouns: frozenset[str] = frozenset()
    passive: frozenset[str] = frozenset()
    clause_separators: frozenset[str] = frozenset()
    ellipsis_words: frozenset[str] = frozenset()
    people_taken: dict[tuple[str, ...], str] | None = None  # capture phrase -> topic of people
    loss_links: frozenset[str] = frozenset()  # "were forced to" between a loser and its verb

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(self.labels)


def _phrases(values: list[str]) -> list[tuple[str, ...]]:
    return [tuple(_words(v.lower())) for v in values if v.strip()]


def _words(text: str) -> list[str]:
    return [m.group(0) for m in _TOKEN.finditer(text)]


@cache
def taxonomy() -> Taxonomy:
    """The topic taxonomy of `claims/data/topics.toml`, loaded once."""
    data = load_data("topics.toml")
    labels: dict[str, str] = {}
    events: dict[tuple[str, ...], str] = {}
    for topic, spec in data["topics"].items():
        labels[topic] = spec.get("label", topic)
        for phrase in _phrases(spec.get("events", [])):
            events.setdefault(phrase, topic)
    nouns = {p: cls for cls, words in data["nouns"].items() for p in _phrases(words)}
    roles: dict[tuple[str, ...], str] = {}
    for party, words in data["parties"].items():
        for phrase in _phrases(words):
            roles.setdefault(phrase, party)
    return Taxonomy(
        labels,
        Phrases.of(events),
        Phrases.of(nouns),
        roles,
        frozenset(data.get("same_party", [])),
        frozenset(data.get("noun_breaks", [])),
        frozenset(data.get("back_references", [])),
        frozenset(_phrases(data.get("restating", []))),
        frozenset(data.get("armed_parties", [])),
        frozenset(data.get("unarmed", [])),
        frozenset(data.get("copulas", [])),
        frozenset(data.get("loss_verbs", [])),
        frozenset(data.get("list_separators", [])),
        frozenset(data.get("determiners", [])),
        frozenset(data.get("not_nouns", [])),
        frozenset(data.get("passive", [])),
        frozenset(data.get("clause_separators", [])),
        frozenset(data.get("ellipsis_words", [])),
        {
            p: topic
            for topic, words in data.get("people_taken", {}).items()
            for p in _phrases(words)
        },
        frozenset(data.get("loss_links", [])),
    )


def topic_labels() -> dict[str, str]:
    """Topic key -> human label, in the documented order."""
    return dict(taxonomy().labels)


_PEOPLE_ENDS = frozenset({",", ";", ")", "]", "and", "or", ".", ":"})  # "(40,000 German, ..."


@cache
def _demonyms() -> frozenset[str]:
    """Nationality words of today's countries (`demonyms.toml`) and of the peoples and states
    of history (`parties.toml` [demonyms]: "bavarian", "cossack", "tatar")."""
    modern = load_data("demonyms.toml")["demonyms"]
    historic = load_data("parties.toml").get("demonyms", {})
    return frozenset(k.lower() for k in (*modern, *historic))


@cache
def _link_affixes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    generic = load_data("parties.toml").get("generic", {})
    return tuple(generic.get("link_suffixes", [])), tuple(generic.get("link_prefixes", []))


def _names_another(modifier: str) -> bool:
    """A word before the counted noun that names a backer or a style, not whom it counts
    ("Russian-backed separatists", "2,250 German-style cavalry"; `parties.toml` [generic])."""
    suffixes, prefixes = _link_affixes()
    lower = modifier.lower()
    return lower.endswith(suffixes) or lower.startswith(prefixes)


def _is_people_word(lower: str) -> bool:
    """A plural nationality word naming people ("palestinians", "syrians", "kurds")."""
    return lower.endswith("s") and (lower[:-1] in _demonyms() or lower[:-2] in _demonyms())


def _may_be_a_noun(lower: str, tax: Taxonomy) -> bool:
    """A lower-case word no table knows that can be the plural noun a figure counts
    ("provinces", "widgets"), not a word of grammar ("this", "thus")."""
    return (
        len(lower) > 3
        and lower.endswith("s")
        and not lower.endswith(("ss", "us"))
        and lower not in tax.not_nouns
        and lower not in tax.same_party
    )


class _Token(NamedTuple):
    start: int
    end: int
    text: str
    lower: str


class _Event(NamedTuple):
    first: int  # first token
    last: int  # last token
    topic: str
    words: tuple[str, ...]


class _Head(NamedTuple):
    """The noun phrase after a figure."""

    noun: str  # the head noun, lower-cased; a noun no table knows has no class
    noun_class: str
    role: str  # the party label the noun gives
    names: list[str]  # capitalised words before the noun ("Hamas", "Soviet")
    end: int  # last token of the noun; the token before the phrase when there is none
    words: tuple[str, ...]  # the words between the figure and its noun, as written


class _Candidate(NamedTuple):
    distance: int
    side: int  # 1: before the figure, 0: after it or its noun, 2: a word describing the noun
    topic: str
    words: tuple[str, ...]
    first: int  # first token of the event word
    close: bool  # next to the figure in its clause
    beyond: bool  # after a later figure


class _Layout:
    """The list items of a sentence: each figure's item runs from the separator before it
    (",", "and", ";") to the one before the next figure. The words before the first item
    ("Deaths by province: ...") lead the whole list."""

    __slots__ = (
        "_stops",
        "event_firsts",
        "figure_item",
        "item_figures",
        "items",
        "lead_end",
        "next_eventful",
        "parent",
        "prev_eventful",
        "spans",
    )

    def __init__(self, sentence: Sentence, spans: list[tuple[int, int]]) -> None:
        lows, n = sentence.lows, len(sentence.lows)
        separators = taxonomy().list_separators
        first0 = spans[0][0]
        start0 = next((t + 1 for t in range(first0 - 1, -1, -1) if lows[t] in separators), 0)
        self.lead_end = start0
        self.items: list[list[int]] = [[start0, n]]
        self.item_figures: list[list[tuple[int, int]]] = [[spans[0]]]
        self.figure_item: dict[int, int] = {first0: 0}
        for (_, previous_after), (first, after) in pairwise(spans):
            separator = next(
                (t for t in range(first - 1, previous_after - 1, -1) if lows[t] in separators),
                None,
            )
            if separator is None:  # "12 of the 40 soldiers": one item
                self.item_figures[-1].append((first, after))
            else:
                self.items[-1][1] = separator
                self.items.append([separator + 1, n])
                self.item_figures.append([(first, after)])
            self.figure_item[first] = len(self.items) - 1
        # clause stops before each token
        self._stops = list(accumulate(map(_LIST_STOP.__contains__, lows), initial=0))
        self.spans = spans
        self.parent = self._parents(lows, spans, separators)
        self.event_firsts = [e.first for e in sentence.events()]
        eventful = [self.events_of(k)[0] < self.events_of(k)[1] for k in range(len(self.items))]
        self.prev_eventful, self.next_eventful = [], [-1] * len(self.items)
        last = -1
        for k, has in enumerate(eventful):
            self.prev_eventful.append(last)
            last = k if has else last
        last = -1
        for k in range(len(self.items) - 1, -1, -1):
            self.next_eventful[k] = last
            last = k if eventful[k] else last

    def previous_figure(self, first: int) -> int:
        """The first token of the figure before the one at `first` (-1 for none)."""
        at = bisect_left(self.spans, (first, -1)) - 1
        return self.spans[at][0] if at >= 0 else -1

    def stops_between(self, start: int, end: int) -> bool:
        """Whether a clause stop (",", ";", ":") lies in tokens start..end-1."""
        return end > start and self._stops[end] > self._stops[start]

    @staticmethod
    def _parents(
        lows: list[str], spans: list[tuple[int, int]], separators: frozenset[str]
    ) -> dict[int, tuple[int, int]]:
        """For each figure inside a bracket opened right after another figure's words ("202
        captured (183 laborers, ..."), that figure, which the bracket breaks down."""
        parents: dict[int, tuple[int, int]] = {}
        firsts = [s[0] for s in spans]
        opened: list[int] = []
        owner: dict[int, tuple[int, int] | None] = {}
        k = 0
        for t, low in enumerate(lows):
            if low == "(":
                opened.append(t)
            elif low == ")" and opened:
                opened.pop()
            while k < len(spans) and spans[k][0] == t:
                for bracket in reversed(opened):  # the innermost bracket that breaks one down
                    if bracket not in owner:
                        at = bisect_left(firsts, bracket) - 1
                        gap = range(spans[at][1], bracket) if at >= 0 else range(0)
                        owner[bracket] = (
                            spans[at]
                            if at >= 0 and not any(lows[g] in separators for g in gap)
                            else None
                        )
                    if owner[bracket] is not None:
                        parents[spans[k][0]] = owner[bracket]  # type: ignore[assignment]
                        break
                k += 1
        # "The 7 new deaths were recorded in: Algiers (2), Blida (1)": a colon after a
        # figure's words breaks that figure down, up to the next ";"
        lead: tuple[int, int] | None = None
        for previous, span in pairwise(spans):
            gap = lows[previous[1] : span[0]]
            if ";" in gap:
                lead = None
            if ":" in gap:
                lead = previous
            if lead is not None:
                parents.setdefault(span[0], lead)
        return parents

    def events_of(self, k: int) -> tuple[int, int]:
        """The range of the sentence's events that start in item k."""
        start, end = self.items[k]
        return bisect_left(self.event_firsts, start), bisect_left(self.event_firsts, end)


class Sentence:
    """A sentence tokenised once, read for each figure in it.

    `figures` are the quantities of the sentence (found in it when not given): they split it
    into list items, and each figure's own item is read first.
    """

    def __init__(self, text: str, figures: Sequence[Quantity] | None = None) -> None:
        self.text = text
        lowered = text.lower()  # the same length: offsets hold
        if len(lowered) != len(text):
            lowered = "".join(ch.lower()[:1] or ch for ch in text)
        # separator, token, separator, ..., separator: the tokens and their offsets in C
        parts = _TOKEN_SPLIT.split(text)
        bounds = list(accumulate(map(len, parts)))
        starts, ends = bounds[0:-1:2], bounds[1::2]
        self.lows = list(map(lowered.__getitem__, map(slice, starts, ends)))
        self.tokens = list(
            map(
                partial(tuple.__new__, _Token),
                zip(starts, ends, parts[1::2], self.lows, strict=True),
            )
        )
        self._plain = [0]  # tokens outside brackets before each token: distances skip asides
        depth = 0
        for low in self.lows:
            depth += low == "("
            self._plain.append(self._plain[-1] + (depth == 0))
            depth -= low == ")" and depth > 0
        self._starts = [t.start for t in self.tokens]
        self._ends = [t.end for t in self.tokens]
        self._person_topics: set[str] = set()  # what the figures read so far counted
        self._events: list[_Event] | None = None
        self._event_starts: frozenset[int] | None = None
        self._figures = figures
        self._spans: set[tuple[int, int]] | None = None
        self._layout: _Layout | None = None
        self._heads: dict[int, _Head] = {}
        self._people_read: list[tuple[int, Reading]] = []  # figures read as counts of people
        self._places_read: set[int] = set()  # figures read as counts of places
        self._read_at: dict[int, Reading | None] = {}  # each figure's reading, by first token

    def _match(self, i: int, table: Phrases) -> tuple[int, str] | None:
        """The longest phrase of `table` starting at token i: (length in tokens, value)."""
        lows = self.lows
        if lows[i] not in table.starts:
            return None
        for size in range(min(MAX_PHRASE, len(lows) - i), 0, -1):
            key = tuple(lows[i : i + size])
            if key in table.values:
                return size, table.values[key]
        return None

    def events(self) -> list[_Event]:
        """Event phrases of the sentence: (first token, last token, topic, words)."""
        if self._events is None:
            table = taxonomy().events
            found: list[_Event] = []
            i = 0
            while i < len(self.tokens):
                hit = self._match(i, table)
                if hit:
                    size, topic = hit
                    found.append(_Event(i, i + size - 1, topic, tuple(self.lows[i : i + size])))
                    i += size
                else:
                    i += 1
            self._events = found
            self._event_starts = frozenset(e.first for e in found)
        return self._events

    def _span(self, quantity: Quantity) -> tuple[int, int | None]:
        """The last token before a figure and the first after it (None at the end)."""
        before = bisect_right(self._ends, quantity.start) - 1
        after = bisect_left(self._starts, quantity.end)
        return before, after if after < len(self.tokens) else None

    def _items(self, before: int, after: int | None) -> _Layout:
        """The list layout of the sentence, holding the figure read."""
        key = (before + 1, after if after is not None else len(self.tokens))
        if self._spans is None:
            figures = self._figures if self._figures is not None else find_quantities(self.text)
            self._spans = set()
            for q in figures:
                b, a = self._span(q)
                self._spans.add((b + 1, a if a is not None else len(self.tokens)))
        if self._layout is None or key[0] not in self._layout.figure_item:
            self._spans.add(key)
            spans = sorted(self._spans)
            # one span per first token: overlapping readings of one figure are one figure
            spans = [s for k, s in enumerate(spans) if k == 0 or s[0] >= spans[k - 1][1]]
            if key not in spans:
                spans = sorted({*spans, key})
            self._layout = _Layout(self, spans)
        return self._layout

    def read(
        self,
        quantity: Quantity,
        *,
        previous_party: str = "",
        default_topic: str = "",
        previous: Reading | None = None,
    ) -> Reading | None:
        """Topic and party of a figure of this sentence; None when it counts nothing known.

        `previous` is the reading of the figure before it in the sentence, which a figure that
        restates it ("..., while the UN put the figure at 98,000") takes over.
        """
        reading = self._read(quantity, previous_party, default_topic, previous)
        self._read_at[self._span(quantity)[0] + 1] = reading
        if reading is not None:
            self._person_topics.add(reading.topic)
            if reading.topic in PERSON_TOPICS and reading.noun_class != PLACE:
                before, _ = self._span(quantity)
                if not self._people_read or self._people_read[-1][0] < before + 1:
                    self._people_read.append((before + 1, reading))
            elif reading.noun_class == PLACE:
                self._places_read.add(self._span(quantity)[0] + 1)
        return reading

    def _counted_before(self, first: int) -> Reading | None:
        """What the figure at token `first` was read to count, for the figures that break it
        down; a count of places ("13 deaths in 7 provinces (Algiers (4), ...)") stands for
        the count of people read before it."""
        at = bisect_right(self._people_read, first, key=lambda p: p[0]) - 1
        if at < 0:
            return None
        found, reading = self._people_read[at]
        return reading if found == first or first in self._places_read else None

    def _read(
        self,
        quantity: Quantity,
        previous_party: str,
        default_topic: str,
        previous: Reading | None,
    ) -> Reading | None:
        tax = taxonomy()
        before, after = self._span(quantity)
        head = _Head("", "", "", [], before, ())
        if after is not None:
            head = self._head(after)
        noun, noun_class, role, modifiers, head_end = head[:5]
        if after is not None and quantity.unit == "percent" and not noun_class:
            named = self._share_of_a_place(after)
            if named is not None:  # "most of Aleppo", "half of Mariupol"
                noun, noun_class, head_end = self.tokens[named].lower, PLACE, named
        if quantity.unit == "km2":  # "500 square kilometres": land, counted as places are
            noun, noun_class = "km2", PLACE
        if noun_class == DURATION:
            return None  # "in 3 days", "for 10 years": a time, not a count
        if not noun_class and self._points_back(before, after, tax):
            return None
        if after is not None and self.lows[after].endswith(("'s", "’s")):
            return None  # "one church's silver": the figure is of an owner, not a count
        topic, event, event_at, foreign, lent = self._event(
            before, after if after is not None else before + 1, head_end, noun_class
        )
        unknown = bool(noun) and not noun_class
        broken_down = self._items(before, after).parent.get(before + 1) is not None
        if (
            unknown
            and not lent
            and not broken_down  # "seven prisoners (four forgers, ...)" are prisoners
            and 0 <= event_at <= before
            and _may_be_a_noun(event[-1], tax)
        ):
            topic, event = "", ()  # "in many cases, from several angles": another noun's word
        if unknown and not topic and foreign:
            # "95 new widgets, 60 recoveries and 8 deaths": a noun no table knows takes no
            # other item's word
            return Reading("other", "", noun, "", "", head.words)
        if topic == "other" and not noun and not default_topic:
            return None  # "a majority of 361 to 288 voted": a word of no count, no noun
        restating = self._restates(before, tax) if not noun else None
        named = next(
            (tax.events.values.get((w,)) for w in restating or () if (w,) in tax.events.values),
            None,
        )
        if restating and previous is not None and (named is None or named == previous.topic):
            # "478,741 killed and 650,878 wounded, a total of 1,129,619": the sum is casualties
            summed = len(self._person_topics & LOSS_TOPICS) > 1
            return Reading(
                "casualties" if summed else previous.topic, previous.party, "", "", "restated"
            )
        if topic == "captured" and not noun_class and default_topic in PERSON_TOPICS:
            topic = "detained"  # "110 captured" in a casualties field counts people
        if noun_class == RECORD:
            topic = "other"  # "200,000 signatures" count no one's force
        elif noun_class == BUILDING:
            # "300 homes destroyed" is damage, "5 schools seized" places taken; "the two
            # mosques" with neither counts nothing
            if topic in DAMAGE_EVENT_TOPICS:
                topic = "damage"
            elif topic != "captured":
                return None
        elif noun_class == STRIKE:
            topic = "strikes"
        elif noun_class == EQUIPMENT:
            # "attacked with about 500 tanks" counts a force's means, "19 tanks lost" a loss
            strength = topic == "strength" or (not topic and default_topic == "strength")
            topic = "strength" if strength else "equipment"
        elif noun_class == PLACE:
            # "12 villages captured", "40% of the city was destroyed" is damage; "the virus
            # reached 3 provinces" takes nothing
            if topic in ("equipment", "damage"):
                topic = "damage"
            elif topic == "captured" or (not topic and default_topic == "captured"):
                topic = "captured"
            else:
                topic = "other"
        elif noun_class in COUNTS_OF_PEOPLE:
            if topic == "captured" and (
                (role in tax.armed_parties and self._after_with(before))
                or self._captors(event_at, len(event), head_end, tax)
            ):
                topic = "strength"  # "encircled the city with some 8,000 troops"
            elif topic == "captured":
                # people "captured" are detained, "evacuated from" a town displaced; people
                # who "advanced" or "occupied" it are a force
                alone = tax.events.values.get(event[:1], "")
                taken = (tax.people_taken or {}).get(event, "")
                topic = taken or (alone if alone in PERSON_TOPICS else "strength")
            elif topic == "other":
                pass  # "a petition signed by 200,000 people"
            elif topic not in PERSON_TOPICS and noun in tax.unarmed:
                topic = default_topic or "other"  # "it was likely 100 to 300 people"
            elif topic not in PERSON_TOPICS:
                topic = "strength"
            if topic == "strength" and default_topic in PERSON_TOPICS:
                topic = default_topic
        elif not topic or topic in ("captured", "equipment", "strikes", "damage"):
            if not default_topic:
                return None
            topic = default_topic
        if quantity.unit == "percent" and noun_class != PLACE and not topic:
            return None
        party = ""
        if noun_class in COUNTS_OF_PEOPLE:
            if noun in tax.same_party or role == "":
                party = previous_party
            else:
                naming = [m for m in modifiers if not _names_another(m)]
                party = " ".join([*naming, role]).strip()
        if topic == "population" and role in tax.armed_parties:
            topic = "strength"  # "300 soldiers remained in the garrison" are a force
        elif noun_class == EQUIPMENT:
            # "192 Soviet tanks": the country named before the things is whose they are
            countries = [country_of(m) for m in modifiers]
            party = next((c for c in countries if c), "") or self._loser(before, tax)
            listed = before >= 0 and self.lows[before] in ("and", ",")
            if not party and listed and previous is not None and previous.noun_class == EQUIPMENT:
                party = previous.party  # "lost 7 tanks and two helicopters"
        return Reading(topic or "other", party, noun, noun_class, " ".join(event), head.words)

    def _loser(self, before: int, tax: Taxonomy) -> str:
        """The country that lost the things: "Russian forces lost 7 tanks", "Ukraine has lost
        20 tanks" (whoever destroyed them is not named here)."""
        k = before  # back to the verb: "lost more than 2,000 troops and 100 tanks"
        while k >= 0 and before - k < LOSER_REACH and self.lows[k] not in tax.loss_verbs:
            if self.lows[k] in (";", ":", "while", "but", "whereas", "."):
                return ""
            k -= 1
        if k < 0 or self.lows[k] not in tax.loss_verbs:
            return ""
        k -= 1
        if k >= 0 and self.lows[k] in ("has", "had", "have"):
            k -= 1
        while k >= 0 and self.lows[k] in tax.loss_links:  # "were forced to abandon"
            k -= 1
        for j in range(k, max(-1, k - 3), -1):  # "Russian forces", "the Ukrainian army"
            word = self.tokens[j].text
            country = (
                country_of(word)
                or (country_of(word[:-1]) if word.endswith("s") and word[:1].isupper() else "")
                or (word if word in country_names() else "")
            )  # "the Italians abandoned 11,000 rifles"
            if country:
                return country
        return ""

    def _head(self, first: int) -> _Head:
        """The noun phrase a figure counts, starting at token `first` (read once per token)."""
        head = self._heads.get(first)
        if head is None:
            head = self._heads[first] = self._read_head(first, taxonomy())
        return head

    def _read_head(self, first: int, tax: Taxonomy) -> _Head:
        modifiers: list[str] = []
        i = first
        end = min(len(self.tokens), first + NOUN_LOOKAHEAD)
        plain: list[int] = []  # lower-case words no table knows, the unknown noun among them
        while i < end:
            token = self.tokens[i]
            if token.lower in _STOP or token.text in ".!?":
                break
            hit = self._match(i, tax.nouns)
            if hit:
                size, cls = hit
                words = tuple(t.lower for t in self.tokens[i : i + size])
                role = tax.roles.get(words, "")
                if words[0] in tax.same_party:
                    role = ""
                return _Head(
                    " ".join(words), cls, role, modifiers, i + size - 1, self._between(first, i)
                )
            joined = (
                token.lower in ("and", "&")
                and modifiers
                and i + 1 < end
                and self.tokens[i + 1].text[:1].isupper()
            )
            if joined:  # "19 Hamas and Islamic Jihad militants": two names of one party
                modifiers.append("and")
                i += 1
                continue
            if token.lower in tax.noun_breaks:
                break
            event = self._match(i, tax.events)
            if event is not None:
                last = i + event[0] - 1
                if _may_be_a_noun(self.lows[last], tax):  # "95 new cases", "8 new infections"
                    return _Head(self.lows[last], "", "", [], last, self._between(first, last))
                if i > first:
                    break
            if token.lower in tax.determiners and (i == first or self.lows[i - 1] != "of"):
                break  # "thousands flee the militia": the militia is not who is counted
            people = _is_people_word(token.lower)
            if people and (token.text[:1].isupper() or i == first):
                # "40,000 Palestinians", "300 Ukrainians": the people named are the party;
                # right after the figure also written lower-case ("3,220 cossacks")
                return _Head(token.lower, PERSON, token.text, modifiers, i, self._between(first, i))
            if token.text[:1].isupper() and modifiers and i > first:
                pair = f"{self.lows[i - 1]} {token.lower}"
                if self.tokens[i - 1].text == modifiers[-1] and _is_people_word(pair):
                    # "350 New Zealanders": a nationality word of two words
                    named = f"{modifiers[-1]} {token.text}"
                    between = self._between(first, i - 1)
                    return _Head(pair, PERSON, named, modifiers[:-1], i, between)
            if (
                token.text[:1].isupper()
                and token.lower in _demonyms()
                and (i + 1 >= len(self.tokens) or self.tokens[i + 1].text in _PEOPLE_ENDS)
            ):
                # "(40,000 German, 56,000 Italian)": a nationality word alone after a figure
                return _Head(token.lower, PERSON, token.text, modifiers, i, self._between(first, i))
            if token.text[:1].isupper() and token.lower not in ("of", "the"):
                modifiers.append(token.text)
            elif token.text.isalpha() and token.text.islower():
                plain.append(i)
            i += 1
        unknown = next((k for k in plain if _may_be_a_noun(self.lows[k], tax)), None)
        if unknown is not None:  # "3 provinces", "95 new widgets": kept, with no class
            return _Head(self.lows[unknown], "", "", [], unknown, self._between(first, unknown))
        return _Head("", "", "", [], first - 1, ())

    def _between(self, first: int, head: int) -> tuple[str, ...]:
        """The words written between a figure and its noun ("new" in "95 new cases")."""
        return tuple(t.text for t in self.tokens[first:head] if t.text[:1].isalnum())

    def _captors(self, at: int, size: int, head_end: int, tax: Taxonomy) -> bool:
        """The people counted took something: a capture verb after them, not passive, with
        what they took after it ("seven companies ... secured the North Bridge")."""
        if at <= head_end or at + size >= len(self.tokens):
            return False
        taken = self.tokens[at + size]
        return self.lows[at - 1] not in tax.passive and (
            taken.lower in tax.determiners or taken.text[:1].isupper()
        )

    def _after_with(self, before: int) -> bool:
        """The figure is what something is done with ("with some 8,000 troops")."""
        k = before
        while k >= 0 and self.tokens[k].lower in ("some", "about", "around", "nearly", "over"):
            k -= 1
        return k >= 0 and self.tokens[k].lower == "with"

    def _share_of_a_place(self, after: int) -> int | None:
        """The token of a place name a share is of ("of Aleppo", "of the Donbas"), if any."""
        tokens = self.tokens
        if tokens[after].lower != "of":
            return None
        k = after + 1
        if k < len(tokens) and tokens[k].lower == "the":
            k += 1
        if k >= len(tokens) or not tokens[k].text[:1].isupper():
            return None
        return None if _is_people_word(tokens[k].lower) else k

    def _restates(self, before: int, tax: Taxonomy) -> tuple[str, ...] | None:
        """The words just before the figure that restate an earlier count ("the figure at"),
        or None."""
        words = tuple(t.lower for t in self.tokens[max(0, before - 3) : before + 1])
        return next(
            (p for p in tax.restating if len(p) <= len(words) and words[-len(p) :] == p), None
        )

    def _points_back(self, before: int, after: int | None, tax: Taxonomy) -> bool:
        """'the two mosques': a figure after a determiner, before a word that is neither a
        known noun nor an event word, names things already told of rather than counting."""
        if before < 0 or after is None or self.tokens[before].lower not in tax.back_references:
            return False
        word = self.tokens[after]
        return (
            word.text.isalpha()
            and word.text.islower()
            and word.lower not in tax.noun_breaks
            and self._match(after, tax.events) is None
        )

    def _event(
        self, before: int, after: int, head_end: int, noun_class: str
    ) -> tuple[str, tuple[str, ...], int, bool, bool]:
        """The event word of a figure: (topic, words, its first token, foreign, lent).

        The nearest event word of the figure's own list item, before it or after its noun,
        decides. An item with no event word of its own borrows the list's: the figure's that a
        bracket breaks down ("202 captured (183 laborers, 19 soldiers)"), else the verb of the
        nearest item before it that has one ("killed 40 in the market and 12 at the school"),
        else the verb after the nearest item after it ("40 on the bus and 17 at the checkpoint
        were killed"), else the words leading the list ("Deaths by province: A (4), B (2)").
        It never borrows another item's own noun or the word right after its figure ("8
        deaths", "3 missing"); `foreign` says such a word for people is near ("12 killed, 40
        bloggers"), which a noun no table knows does not take.

        A counted noun that only says where people live ("2,500 residents") gives way to an
        event word next to it in the same clause ("were evacuated", "fled").
        """
        layout = self._items(before, after)
        k = layout.figure_item[before + 1]
        item_start, item_end = layout.items[k]
        found = self._own_item(before, after, head_end, noun_class, item_start, item_end)
        if found is not None:
            return (*found, False, False)
        events = self.events()
        own_lo, own_hi = layout.events_of(k)
        foreign = (
            own_lo > 0
            and events[own_lo - 1].last >= before - EVENT_DISTANCE
            and events[own_lo - 1].topic in PERSON_TOPICS
        ) or (
            own_hi < len(events)
            and events[own_hi].first <= head_end + EVENT_DISTANCE + 1
            and events[own_hi].topic in PERSON_TOPICS
        )
        tax = taxonomy()
        if any(self._fits(e.topic, noun_class, tax) for e in events[own_lo:own_hi]):
            return "", (), -1, foreign, False  # words of its own, though too far to apply
        parent = layout.parent.get(before + 1)
        if parent is not None:  # "202 captured (183 foreign laborers, 19 soldiers)"
            p_first, p_after = parent
            broken = self._counted_before(p_first)
            if broken is not None and self._fits(broken.topic, noun_class, tax):
                return broken.topic, tuple(broken.event.split()), -1, foreign, True
            p_head = self._head(p_after).end if p_after < len(self.tokens) else p_first - 1
            p_start, p_end = layout.items[layout.figure_item[p_first]]
            found = self._own_item(p_first - 1, p_after, p_head, noun_class, p_start, p_end)
            if found is not None:
                return (*found, foreign, True)
        clause = tax.clause_separators  # "..., while seven companies": another clause's verb
        short = item_end - max(head_end, after - 1) - 1 <= EVENT_DISTANCE
        same_clause = item_start == 0 or self.lows[item_start - 1] not in clause
        sources: list[tuple[int, bool]] = []
        if same_clause:
            sources.append((layout.prev_eventful[k], True))
        if same_clause and head_end < after and self._bare(item_start, before + 1, tax):
            sources.append((ELLIPSIS, True))
        ends_list = item_end >= len(self.lows) or self.lows[item_end] not in clause
        if short and ends_list:  # a verb after the list is the list's when items are short
            sources.append((layout.next_eventful[k], False))
        unknown = not noun_class and head_end >= after
        lead_open = layout.lead_end == 0 or self.lows[layout.lead_end - 1] not in clause
        if not unknown and lead_open:  # "in many cases, from several angles": no noun's lead
            sources.append((-1, True))
        for source, forward in sources:
            if source == ELLIPSIS:
                # "The 9 new deaths are recorded, four in Blida, two in Setif": a figure with
                # no words of its own counts what the figure before it counted
                counted = self._ellipsis(layout, before + 1, item_start, noun_class)
                if counted is not None:
                    return counted.topic, tuple(counted.event.split()), -1, foreign, True
                continue
            lent = self._lent(layout, source, noun_class, forward)
            if lent is not None:
                return (*lent, False, True)
        return "", (), -1, foreign, False

    def _ellipsis(
        self, layout: _Layout, first: int, item_start: int, noun_class: str
    ) -> Reading | None:
        """The reading of the figure right before, when it counted people and nothing but
        its own words lies between ("four in Blida, men aged 32, 56" lends 56 nothing)."""
        previous = layout.previous_figure(first)
        counted = self._read_at.get(previous)
        if counted is None or counted.noun_class == PLACE or counted.topic not in PERSON_TOPICS:
            return None
        if not self._fits(counted.topic, noun_class, taxonomy()):
            return None
        return None if layout.stops_between(previous + 1, item_start - 1) else counted

    def _bare(self, start: int, first: int, tax: Taxonomy) -> bool:
        """Whether an item holds no words before its figure but those that add it to a list
        ("and", "including", "with")."""
        return all(low in tax.ellipsis_words for low in self.lows[start:first])

    def _own_item(
        self,
        before: int,
        after: int,
        head_end: int,
        noun_class: str,
        item_start: int,
        item_end: int,
    ) -> tuple[str, tuple[str, ...], int] | None:
        """The event word of the figure's own item, near enough to it."""
        firsts = self._items(before, after).event_firsts
        plain, near = self._plain, max(head_end, after - 1)
        earliest = bisect_left(plain, plain[before + 1] - EVENT_DISTANCE - MAX_PHRASE) - 1
        latest = bisect_right(plain, plain[near + 1] + EVENT_DISTANCE + 1)
        lo = bisect_left(firsts, max(item_start, earliest))
        hi = bisect_left(firsts, min(item_end, latest))
        return self._own(self.events()[lo:hi], before, after, head_end, noun_class)

    def _lent(
        self, layout: _Layout, k: int, noun_class: str, forward: bool
    ) -> tuple[str, tuple[str, ...], int] | None:
        """The event word item k lends to the items of its list with none (k = -1: the words
        leading the list): the nearest in its clause that is not its own noun nor the word
        right after its figure. To the items before it (`forward` False) an item lends only
        what comes after its figure ("... and 17 at the checkpoint were killed")."""
        events = self.events()
        tax = taxonomy()
        best: tuple[int, _Event] | None = None
        pool: list[tuple[int, _Event]] = []
        if k < 0:
            lead_hi = bisect_left(layout.event_firsts, layout.lead_end)
            first0 = layout.item_figures[0][0][0]
            pool = [(first0 - 1 - e.last, e) for e in events[max(0, lead_hi - MAX_LENT) : lead_hi]]
        elif k >= 0:
            lo, hi = layout.events_of(k)
            figures = layout.item_figures[k]
            starts = [f[0] for f in figures]
            for e in events[lo : min(hi, lo + MAX_LENT)]:
                at = bisect_right(starts, e.first) - 1
                if at < 0:  # before the item's figure: "wounded 40"
                    if forward and not layout.stops_between(e.last + 1, figures[0][0]):
                        pool.append((figures[0][0] - 1 - e.last, e))
                    continue
                owner = figures[at]
                head = self._head(owner[1]) if owner[1] < len(self.tokens) else None
                zone = head.end if head is not None and head.noun else owner[1]
                # "3 children were killed"; past an aside only as the clause's own verb
                # ("1.9 million people, about 85% of the population, had been displaced")
                clause_verb = not layout.stops_between(zone + 1, e.first) or (
                    self.lows[e.first - 1] in tax.passive
                )
                if e.first > zone and clause_verb:
                    pool.append((e.first - max(zone, owner[1] - 1) - 1, e))
        for distance, e in pool:
            # a population word says where its own item's people live ("85% of the population")
            if e.topic == "population" or distance > EVENT_DISTANCE:
                continue
            if not self._fits(e.topic, noun_class, tax):
                continue
            if best is None or distance < best[0]:
                best = (distance, e)
        return None if best is None else (best[1].topic, best[1].words, best[1].first)

    @staticmethod
    def _fits(topic: str, noun_class: str, tax: Taxonomy) -> bool:
        """People take only the words that befall people (or say they were taken)."""
        return (
            noun_class not in COUNTS_OF_PEOPLE
            or topic in PERSON_TOPICS
            or topic
            in (
                "captured",
                "other",
            )
        )

    def _own(
        self,
        events: list[_Event],
        before: int,
        after: int,
        head_end: int,
        noun_class: str,
    ) -> tuple[str, tuple[str, ...], int] | None:
        """The nearest event word of the figure's own item, before it or after its noun."""
        weak: tuple[str, tuple[str, ...], int] | None = None
        noun_topic = ""
        candidates: list[_Candidate] = []
        tax = taxonomy()
        starts = self._event_starts or frozenset()
        for first, last, topic, words in events:
            if topic == "population" and words[-1] in tax.copulas and last + 1 in starts:
                continue  # "23 people remain missing": the word after "remain" says what
            plain = self._plain
            if last <= before:
                distance, side, gap = (
                    plain[before + 1] - plain[last + 1],
                    1,
                    range(last + 1, before + 1),
                )
            elif first <= head_end:
                if topic == "population":
                    weak = (topic, words, first)
                    continue
                # the counted noun is an event ("refugees"), or a word describing it
                # ("displaced people"), which a verb right before the figure outranks ("kills
                # 100 displaced people")
                distance, side, gap = 0, 0 if last >= head_end else 2, range(0)
                if last >= head_end:
                    noun_topic = topic
            elif first >= after:
                near_end = max(head_end, after - 1)
                distance = max(0, plain[first] - plain[near_end + 1])
                side, gap = 0, range(near_end + 1, first)
            else:
                continue
            if distance > (POPULATION_DISTANCE if topic == "population" else EVENT_DISTANCE):
                continue
            if not self._fits(topic, noun_class, tax):
                continue
            close = distance <= WEAK_NOUN_OVERRIDE and not any(
                self.tokens[k].lower in _CLAUSE_STOP or self.tokens[k].lower[:1].isdigit()
                for k in gap
            )
            beyond = side == 0 and any(self.tokens[k].lower[:1].isdigit() for k in gap)
            candidates.append(_Candidate(distance, side, topic, words, first, close, beyond))
        if weak is not None:
            candidates = [c for c in candidates if c.close]
        harm = [c for c in candidates if c.topic in HARM_TOPICS and not c.beyond]
        if harm and noun_topic and noun_topic not in HARM_TOPICS and noun_class in COUNTS_OF_PEOPLE:
            # "50 hostages had been killed": what befell the people outranks what they were
            candidates = harm
        if any(c.side == 1 for c in candidates):
            # "the toll rose to 40,005, with 92,000 wounded": an event word after a later
            # figure is that figure's, when one before this figure speaks for it
            candidates = [c for c in candidates if not (c.side == 0 and c.beyond)]
        if not candidates:
            return weak
        best = min(candidates, key=lambda c: c[:2])
        return best.topic, best.words, best.first


# What a count of things counts, by topic: the noun classes whose words name the thing.
THING_CLASSES = {
    "strength": (FORMATION, EQUIPMENT),
    "equipment": (EQUIPMENT,),
    "captured": (PLACE, BUILDING),
    "damage": (BUILDING,),
    "strikes": (STRIKE,),
}


@cache
def _thing_pattern(topic: str) -> re.Pattern[str] | None:
    classes = THING_CLASSES.get(topic)
    if not classes:
        return None
    phrases = sorted(
        (" ".join(words) for words, cls in taxonomy().nouns.values.items() if cls in classes),
        key=len,
        reverse=True,
    )
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(p) for p in phrases) + r")(?![\w-])")


def counted_thing(topic: str, quote: str, value_text: str) -> str:
    """The kind of thing a count of places, equipment, buildings or strikes counts ("tank",
    "village"), read from the words right after its figure in the quote, else anywhere in it
    (a table's labels come first); "" for other topics or when no word says it."""
    pattern = _thing_pattern(topic)
    if pattern is None:
        return ""
    lowered = quote.lower()
    found = None
    figure = value_text.lower()
    at = lowered.find(figure) if figure else -1
    while at >= 0 and found is None:
        end = at + len(figure)
        whole = (at == 0 or not (lowered[at - 1].isalnum() or lowered[at - 1] in "_.,")) and (
            end == len(lowered) or not (lowered[end].isalnum() or lowered[end] == "_")
        )
        if whole:  # the figure itself, not digits inside a year or another number
            found = pattern.search(lowered, end, end + THING_REACH)
        at = lowered.find(figure, at + 1)
    if found is None and topic != "strength":  # a head count names no formation after it
        found = pattern.search(lowered)
    if found is None:
        return ""
    thing = found.group(1)
    return thing[:-1] if thing.endswith("s") and not thing.endswith("ss") else thing
