"""From a figure as its reader found it to the facts of its claim, by a declared order of evidence.

Every reader of an article (infobox line, prose sentence, table cell, cited headline) hands
over one `FigurePhrase` per figure: the quantity, how its words read (`Reading`), the refs
that back it and, for each fact of a claim (party, claimant, date, place), every piece of
evidence its text gives, each under a named kind. `claims/data/attribution.toml` orders the
kinds per reader; `decide` takes the first kind that holds a value and names it, so each
claim's `why` says which evidence decided ("party:flag date:bracket").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from claims.knowledge import load_data
from claims.model import Citation, Quantity
from claims.parse import RefMark
from claims.topics import BUILDING, EQUIPMENT, PLACE, STRIKE, Reading

FACTS = ("party", "claimant", "date", "place")
THING_NOUN_CLASSES = frozenset({PLACE, EQUIPMENT, STRIKE, BUILDING})


@dataclass(frozen=True, slots=True)
class Evidence:
    """What one kind of evidence says of a fact: the value, and the words it was read from."""

    value: str
    text: str = ""


@dataclass(slots=True)
class FigurePhrase:
    """One figure as a reader found it, before attribution.

    `evidence` maps each fact to the kinds of evidence found for it (kind -> `Evidence`).
    `refs` are the ref marks that back the figure and `source_basis` how they reach it (`own`,
    `block`, `row`, `table`, or `none`); a headline's figure carries its `citations` instead.
    """

    origin: str
    section: str
    field: str
    quantity: Quantity
    reading: Reading
    quote: str
    raw: tuple[int, int]
    refs: list[RefMark] = field(default_factory=list)
    source_basis: str = ""
    citations: list[Citation] | None = None
    side: str = ""
    relayed_from: str = ""
    evidence: dict[str, dict[str, Evidence]] = field(default_factory=dict)

    def add(self, fact: str, kind: str, value: str, text: str = "") -> None:
        """Note what evidence of `kind` says of `fact` (an empty value says nothing)."""
        if value:
            self.evidence.setdefault(fact, {}).setdefault(kind, Evidence(value, text or value))


@dataclass(frozen=True, slots=True)
class Decision:
    """The value chosen for a fact and the kind of evidence that gave it ("" when none)."""

    value: str
    kind: str
    text: str = ""


NO_DECISION = Decision("", "")


@cache
def evidence_order() -> dict[str, dict[str, tuple[str, ...]]]:
    """fact -> reader -> kinds of evidence, first decides (`claims/data/attribution.toml`)."""
    data = load_data("attribution.toml")
    return {
        fact: {origin: tuple(kinds) for origin, kinds in data.get(fact, {}).items()}
        for fact in FACTS
    }


def decide(phrase: FigurePhrase, fact: str, extra: dict[str, Evidence] | None = None) -> Decision:
    """The first kind of evidence in the reader's declared order that holds a value.

    `extra` adds evidence known only per source of the figure (a citation's date).
    """
    found = phrase.evidence.get(fact, {})
    for kind in evidence_order()[fact].get(phrase.origin, ()):
        evidence = found.get(kind) or (extra.get(kind) if extra else None)
        if evidence is not None and evidence.value:
            return Decision(evidence.value, kind, evidence.text)
    return NO_DECISION


def topic_basis(reading: Reading, origin: str) -> str:
    """Which words gave the figure its topic: its counted noun (places, equipment, strikes),
    an event word, the figure it restates, the infobox field or table column it sits in, or,
    for people with no event word, the noun alone ("350 militants" are a strength)."""
    if reading.event == "restated":
        return "restated"
    if reading.noun_class in THING_NOUN_CLASSES:
        return "noun+event" if reading.event else "noun"
    if reading.event:
        return "event"
    if origin in ("infobox", "table"):
        return "field"
    return "noun" if reading.noun else "other"


def why(decisions: dict[str, Decision], topic: str, source_basis: str) -> str:
    """The claim's `why`: the kinds of evidence that decided each fact, in a fixed order."""
    parts = [f"topic:{topic}"]
    parts.extend(f"{fact}:{d.kind}" for fact, d in decisions.items() if d.kind)
    if source_basis:
        parts.append(f"source:{source_basis}")
    return " ".join(parts)


@dataclass(frozen=True, slots=True)
class _SubjectRules:
    suffered: re.Pattern[str]
    possessor: re.Pattern[str]
    force: re.Pattern[str]
    force_reach: int
    not_names: frozenset[str]


SUBJECT_REACH = 90  # characters before a figure searched for the force that lost it


def _alternation(words: list[str]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


@cache
def _subject_rules() -> _SubjectRules:
    data = load_data("attribution.toml")["subject"]
    name = r"(?P<who>[A-Z][\w'’.\-]*(?:\s+(?:of\s+)?[A-Z][\w'’.\-]*){0,3})"
    fill = rf"(?:\s+(?:{_alternation(data['linking_words'])}))*"
    amount = rf"(?:\s+(?:{_alternation(data['amount_words'])}))?"
    verbs = _alternation(data["suffering_verbs"])
    nouns = _alternation(data["loss_nouns"])
    return _SubjectRules(
        suffered=re.compile(
            rf"{name}(?:\s+(?:had|has|have|had\s+been|reportedly|also|again))*"
            rf"\s+(?:{verbs}){amount}\s*$"
        ),
        possessor=re.compile(rf"{name}(?:'s|’s|'|’)?\s+(?:{nouns}){fill}{amount}\s*$"),
        force=re.compile(
            rf"^\s*(?:[Tt]he\s+)?{name}(?P<noun>\s+(?:{_alternation(data['force_nouns'])}))?"
            rf"(?:\s+[a-z]+){{0,2}}?\s+(?:{_alternation(data['force_verbs'])})\b(?P<rest>.*)$",
            re.DOTALL,
        ),
        force_reach=int(data.get("force_reach", 8)),
        not_names=frozenset(data["not_names"]),
    )


def _clause_before(text: str, start: int) -> str:
    before = text[max(0, start - SUBJECT_REACH) : start]
    cut = max(before.rfind(mark) for mark in (";", ":", ". ", "(", ")"))
    return before[cut + 1 :]


def subject_of_force(text: str, start: int) -> str:
    """The force named at the head of the clause of the figure at `start`, before a verb of
    having or sending it ("The Italian army comprised four brigades totaling 17,978 troops":
    "Italian army"); "" when the clause opens with no such name."""
    rules = _subject_rules()
    m = rules.force.match(_clause_before(text, start))
    if m is None or len(m.group("rest").split()) > rules.force_reach:
        return ""
    words = m.group("who").split()
    while words and words[0] in rules.not_names:
        words = words[1:]
    if not words:
        return ""
    return " ".join(words) + (m.group("noun") or "")


def subject_of_losses(text: str, start: int) -> str:
    """The force a clause names as suffering the losses counted at `start`: "The Marines had
    suffered 200 dead" (Marines), "Japanese losses were 10,695" (Japanese); "" when none."""
    rules = _subject_rules()
    before = _clause_before(text, start)
    for pattern in (rules.suffered, rules.possessor):
        m = pattern.search(before)
        if m is None:
            continue
        words = m.group("who").split()
        while words and words[0] in rules.not_names:
            words = words[1:]
        if words:
            return " ".join(words)
    return ""
