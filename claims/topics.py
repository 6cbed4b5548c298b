"""What a figure counts (topic) and whom it is about (party).

The counted noun settles the topic of places, equipment and strikes ("30 airstrikes",
"5 villages", "four T-55 tanks"). For people, the nearest event word of the sentence decides:
"killed 16 civilians", "20 fighters dead", "2,892 refugees", "3 rebels were taken prisoner".
People with no event word are a force's strength ("350 militants"). Words and classes live in
`claims/data/topics.toml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from claims.context import country_names, country_of
from claims.knowledge import load_data
from claims.model import Quantity

LOSER_REACH = 8  # tokens back from a count of things to the verb of who lost them
MAX_PHRASE = 4  # longest phrase in the word lists, in words
NOUN_LOOKAHEAD = 6  # words after a figure searched for the noun it counts
EVENT_DISTANCE = 12  # words between a figure and the event word that can still apply to it
WEAK_NOUN_OVERRIDE = 3  # words within which an event word outranks "residents", "inhabitants"
THING_REACH = 60  # characters after a figure searched for the thing it counts
POPULATION_DISTANCE = 2  # "a population of 20,000", "home to 20,000": population words sit close

PERSON, PLACE, EQUIPMENT, STRIKE = "person", "place", "equipment", "strike"
BUILDING = "building"
FORMATION = "formation"
COUNTS_OF_PEOPLE = (PERSON, FORMATION)
LOSS_TOPICS = frozenset({"killed", "injured", "detained"})  # together: casualties
DAMAGE_EVENT_TOPICS = ("equipment", "damage", "strikes")  # "destroyed", "razed", "hit" a building
PERSON_TOPICS = (
    "killed",
    "injured",
    "casualties",
    "detained",
    "displaced",
    "population",
    "strength",
)

HARM_TOPICS = ("killed", "injured", "casualties")

_TOKEN = re.compile(r"[\w][\w'’*.\-]*[\w*]|[\w]|[^\w\s]")
_STOP = frozenset(",;:()[]")
_CLAUSE_STOP = frozenset(",;:()")


@dataclass(frozen=True, slots=True)
class Reading:
    """How one figure reads: its topic, its party and the words that decided them."""

    topic: str
    party: str
    noun: str
    noun_class: str
    event: str


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
    )


def topic_labels() -> dict[str, str]:
    """Topic key -> human label, in the documented order."""
    return dict(taxonomy().labels)


@cache
def _demonyms() -> frozenset[str]:
    return frozenset(k.lower() for k in load_data("demonyms.toml")["demonyms"])


def _is_people_word(lower: str) -> bool:
    """A plural nationality word naming people ("palestinians", "syrians", "kurds")."""
    return lower.endswith("s") and (lower[:-1] in _demonyms() or lower[:-2] in _demonyms())


class _Token(NamedTuple):
    start: int
    end: int
    text: str
    lower: str


class Sentence:
    """A sentence tokenised once, read for each figure in it."""

    def __init__(self, text: str) -> None:
        self.text = text
        lowered = text.lower()  # the same length: offsets hold
        if len(lowered) != len(text):
            lowered = "".join(ch.lower()[:1] or ch for ch in text)
        self.tokens = [
            _Token(m.start(), m.end(), m.group(0), lowered[m.start() : m.end()])
            for m in _TOKEN.finditer(text)
        ]
        self.lows = [t.lower for t in self.tokens]
        self._person_topics: set[str] = set()  # what the figures read so far counted
        self._events: list[tuple[int, int, str, tuple[str, ...]]] | None = None

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

    def events(self) -> list[tuple[int, int, str, tuple[str, ...]]]:
        """Event phrases of the sentence: (first token, last token, topic, words)."""
        if self._events is None:
            table = taxonomy().events
            found: list[tuple[int, int, str, tuple[str, ...]]] = []
            i = 0
            while i < len(self.tokens):
                hit = self._match(i, table)
                if hit:
                    size, topic = hit
                    words = tuple(t.lower for t in self.tokens[i : i + size])
                    found.append((i, i + size - 1, topic, words))
                    i += size
                else:
                    i += 1
            self._events = found
        return self._events

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
        if reading is not None:
            self._person_topics.add(reading.topic)
        return reading

    def _read(
        self,
        quantity: Quantity,
        previous_party: str,
        default_topic: str,
        previous: Reading | None,
    ) -> Reading | None:
        tax = taxonomy()
        after = next((i for i, t in enumerate(self.tokens) if t.start >= quantity.end), None)
        before = max((i for i, t in enumerate(self.tokens) if t.end <= quantity.start), default=-1)
        noun, noun_class, role, modifiers, head_end = "", "", "", [], before
        if after is not None:
            noun, noun_class, role, modifiers, head_end = self._head(after, tax)
            if quantity.unit == "percent" and not noun_class:
                named = self._share_of_a_place(after)
                if named is not None:  # "most of Aleppo", "half of Mariupol"
                    noun, noun_class, head_end = self.tokens[named].lower, PLACE, named
        if quantity.unit == "km2":  # "500 square kilometres": land, counted as places are
            noun, noun_class = "km2", PLACE
        if not noun_class and self._points_back(before, after, tax):
            return None
        topic, event = self._event(
            before, after if after is not None else before + 1, head_end, noun_class
        )
        restating = self._restates(before, tax) if not noun_class else None
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
        if noun_class == BUILDING:
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
            # "12 villages captured", but "40% of the city was destroyed" is damage
            topic = "damage" if topic in ("equipment", "damage") else "captured"
        elif noun_class in COUNTS_OF_PEOPLE:
            if topic == "captured" and role in tax.armed_parties and self._after_with(before):
                topic = "strength"  # "encircled the city with some 8,000 troops"
            elif topic == "captured":
                # people "captured" are detained; "evacuated from" a town they are displaced
                alone = tax.events.values.get(event[:1], "")
                topic = alone if alone in PERSON_TOPICS else "detained"
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
                party = " ".join([*modifiers, role]).strip()
        if topic == "population" and role in tax.armed_parties:
            topic = "strength"  # "300 soldiers remained in the garrison" are a force
        elif noun_class == EQUIPMENT:
            # "192 Soviet tanks": the country named before the things is whose they are
            countries = [country_of(m) for m in modifiers]
            party = next((c for c in countries if c), "") or self._loser(before, tax)
            listed = before >= 0 and self.lows[before] in ("and", ",")
            if not party and listed and previous is not None and previous.noun_class == EQUIPMENT:
                party = previous.party  # "lost 7 tanks and two helicopters"
        return Reading(topic or "other", party, noun, noun_class, " ".join(event))

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
        for j in range(k, max(-1, k - 3), -1):  # "Russian forces", "the Ukrainian army"
            country = country_of(self.tokens[j].text) or (
                self.tokens[j].text if self.tokens[j].text in country_names() else ""
            )
            if country:
                return country
        return ""

    def _head(self, first: int, tax: Taxonomy) -> tuple[str, str, str, list[str], int]:
        """The noun a figure counts: (noun, class, party role, named modifiers, last token)."""
        modifiers: list[str] = []
        i = first
        end = min(len(self.tokens), first + NOUN_LOOKAHEAD)
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
                return " ".join(words), cls, role, modifiers, i + size - 1
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
            if token.lower in tax.noun_breaks or (i > first and self._match(i, tax.events)):
                break
            if token.text[:1].isupper() and _is_people_word(token.lower):
                # "40,000 Palestinians", "300 Ukrainians": the people named are the party
                return token.lower, PERSON, token.text, modifiers, i
            if token.text[:1].isupper() and token.lower not in ("of", "the"):
                modifiers.append(token.text)
            i += 1
        return "", "", "", [], first - 1

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
    ) -> tuple[str, tuple[str, ...]]:
        """The nearest event word to the figure, before it or after its noun.

        A counted noun that only says where people live ("2,500 residents") gives way to an
        event word next to it in the same clause ("were evacuated", "fled").
        """
        weak: tuple[str, tuple[str, ...]] | None = None
        noun_topic = ""
        candidates: list[tuple[int, int, str, tuple[str, ...], bool, bool]] = []
        tax = taxonomy()
        starts = {first for first, _, _, _ in self.events()}
        for first, last, topic, words in self.events():
            if topic == "population" and words[-1] in tax.copulas and last + 1 in starts:
                continue  # "23 people remain missing": the word after "remain" says what
            if last <= before:
                distance, side, gap = before - last, 1, range(last + 1, before + 1)
            elif first <= head_end:
                if topic == "population":
                    weak = (topic, words)
                    continue
                # the counted noun is an event ("refugees"), or a word describing it
                # ("displaced people"), which a verb right before the figure outranks ("kills
                # 100 displaced people")
                distance, side, gap = 0, 0 if last >= head_end else 2, range(0)
                if last >= head_end:
                    noun_topic = topic
            elif first >= after:
                near_end = max(head_end, after - 1)
                distance, side, gap = max(0, first - near_end - 1), 0, range(near_end + 1, first)
            else:
                continue
            if distance > (POPULATION_DISTANCE if topic == "population" else EVENT_DISTANCE):
                continue
            if (
                noun_class in COUNTS_OF_PEOPLE
                and topic not in PERSON_TOPICS
                and topic != "captured"
            ):
                continue
            close = distance <= WEAK_NOUN_OVERRIDE and not any(
                self.tokens[k].lower in _CLAUSE_STOP or self.tokens[k].lower[:1].isdigit()
                for k in gap
            )
            beyond = side == 0 and any(self.tokens[k].lower[:1].isdigit() for k in gap)
            candidates.append((distance, side, topic, words, close, beyond))
        if weak is not None:
            candidates = [c for c in candidates if c[4]]
        harm = [c for c in candidates if c[2] in HARM_TOPICS and not c[5]]
        if harm and noun_topic and noun_topic not in HARM_TOPICS:
            # "50 hostages had been killed": what befell the people outranks what they were
            candidates = harm
        if any(c[1] == 1 for c in candidates):
            # "the toll rose to 40,005, with 92,000 wounded": an event word after a later
            # figure is that figure's, when one before this figure speaks for it
            candidates = [c for c in candidates if not (c[1] == 0 and c[5])]
        if not candidates:
            return weak if weak is not None else ("", ())
        best = min(candidates, key=lambda c: c[:2])
        return best[2], best[3]


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
