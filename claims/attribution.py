"""From a figure as its reader found it to the facts of its claim, by a declared order of evidence.

Every reader of an article (infobox line, prose sentence, table cell, cited headline) hands
over one `FigurePhrase` per figure: the quantity, how its words read (`Reading`), the refs
that back it and, for each fact of a claim (party, claimant, date, place), every piece of
evidence its text gives, each under a named kind. `claims/data/attribution.toml` orders the
kinds per reader; `decide` takes the first kind that holds a value and names it, so each
claim's `why` says which evidence decided ("party:flag date:bracket").
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache

from claims.citations import CitationIndex
from claims.context import SELF_REPORTED
from claims.dates import normalize_date
from claims.knowledge import load_data
from claims.model import (
    UNSOURCED,
    Citation,
    Claim,
    Quantity,
    Source,
    claim_id_prefix,
    make_claim_id,
)
from claims.parse import RefMark
from claims.parties import PartyRegistry
from claims.sources import SourceRegistry
from claims.topics import BUILDING, EQUIPMENT, PLACE, STRIKE, Reading, taxonomy

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


# -- the attribution step ------------------------------------------------------------------

SCHOLARLY_KINDS = frozenset({"book", "journal"})
"""Sources whose date is when they were written, long after what they tell of."""
# people with no name, by what they are: the unarmed are counted as who they are, people
# ("300 men", "victims") too unless a clause names whose they are
_ROLE_KINDS = {"civilians": "civilian", "detainees": "civilian", "people": "people"}
_UNNAMED_KINDS = frozenset({"civilian", "people", "generic"})
_NAMED_KINDS = frozenset({"column", "column_force"})  # named by the registry already
_WORDS_KINDS = frozenset({"named", "heading", "subject", "list_label", "cell"})
_FORCE_TOPICS = frozenset({"strength", "captured"})  # a force's own numbers, places it took


@cache
def role_labels() -> frozenset[str]:
    """The labels the topic words give people with no name ("soldiers", "civilians")."""
    return frozenset(taxonomy().roles.values())


class Attribution:
    """The one step from figure phrases to claims, for one article: it decides each phrase's
    facts by the declared order of evidence, names its party as the article's registry does,
    resolves its refs to sources and writes one claim per source."""

    def __init__(
        self,
        title: str,
        index: CitationIndex,
        registry: SourceRegistry,
        parties: PartyRegistry,
        period: tuple[str, str],
    ) -> None:
        self.title = title
        self.index = index
        self.registry = registry
        self.parties = parties
        self.period = period
        self.claims: list[Claim] = []
        self.warnings: list[str] = list(index.problems)
        self.learned: dict[str, set[str]] = {}  # side -> words with no name its figures used
        self._own_parties = frozenset(parties.parties())
        self._sources: dict[int, Source] = {}
        self._seen: set[str] = set()
        self._prefix: tuple[tuple[str, ...], hashlib.blake2b] | None = None

    def source(self, citation: Citation) -> Source:
        key = id(citation)
        if key not in self._sources:
            self._sources[key] = self.registry.resolve(citation)
        return self._sources[key]

    def _id_prefix(self, phrase: FigurePhrase) -> hashlib.blake2b:
        """The digest of the parts of a claim id a sentence's figures share, made once per
        sentence (a sentence of many figures would hash its text once per figure)."""
        head = (self.title, phrase.origin, phrase.field or phrase.section, phrase.quote)
        if self._prefix is None or self._prefix[0] != head:
            self._prefix = (head, claim_id_prefix(*head))
        return self._prefix[1]

    def party_words(self, phrase: FigurePhrase, reading: Reading) -> None:
        """What the figure's own words say of whom it counts: a named party ("12,000
        Bavarians", "SDF fighters"), unarmed people ("22 civilians") or a force with no name
        ("30,000 soldiers")."""
        party = reading.party
        if not party:
            return
        kind = _ROLE_KINDS.get(party, "generic") if party in role_labels() else "named"
        phrase.add("party", kind, party, party)

    def force_subject(self, phrase: FigurePhrase, text: str) -> None:
        """The article's party named at the head of the figure's clause as having, sending or
        losing it ("The Italian army comprised ... 17,978 troops")."""
        if phrase.reading.topic not in _FORCE_TOPICS or "subject" in phrase.evidence.get(
            "party", {}
        ):
            return  # "the Japanese had destroyed 60 LVTs": who destroyed them lost nothing
        words = subject_of_force(text, phrase.quantity.start)
        named = self.parties.resolve(words) if words else None
        if named is not None and named in self._own_parties:
            phrase.add("party", "subject", named.name, words)

    def attribute(self, phrase: FigurePhrase, *, resolve_claimant: bool = True) -> None:
        """The claims of one figure: its facts decided by the declared order of evidence,
        one claim per distinct source that backs it (one unsourced claim when none)."""
        found = phrase.evidence.get("party", {})
        generic = found.get("generic")
        side = phrase.side
        if generic is not None:
            force = self.parties.column_party(side or self.side_of(generic.value))
            if force is not None:
                # "30,000 soldiers" of a column that holds one party (or one coalition) are its
                phrase.add("party", "column_force", force.name, generic.text)
        if phrase.origin == "infobox" and not side and self.parties.subject is not None:
            # an organisation's own infobox: its strength is its own
            phrase.add("party", "organisation", self.parties.subject.name)
        party, party_side = self._canonical(decide(phrase, "party"), side)
        claimant = decide(phrase, "claimant")
        place = decide(phrase, "place")
        claimant_name, relayed_from = claimant.value, phrase.relayed_from
        if resolve_claimant:
            claimant_name, relayed_from = self.outlet_claimant(claimant.value)
        if side and phrase.origin == "infobox":
            # "rebels" in casualties1: rebels are side 1
            words = self.learned.setdefault(side, set())
            words.update(e.value.lower() for k, e in found.items() if k in _UNNAMED_KINDS)
        if not side:
            side = party_side or (self.side_of(party.value) if party.value else "")
        citations = phrase.citations
        if citations is None:
            citations = []
            for mark in phrase.refs:
                resolved = self.index.resolve(mark)
                if not resolved and mark.name:
                    self.warn(f"ref name={mark.name!r} is used but never defined")
                citations.extend(resolved)
        by_source: dict[str, tuple[Source, list[Citation], list[str]]] = {}
        for citation in citations:
            source = self.source(citation)
            entry = by_source.setdefault(source.key, (source, [], []))
            entry[1].append(citation)
            if citation.ref_name and citation.ref_name not in entry[2]:
                entry[2].append(citation.ref_name)
        basis = phrase.source_basis if by_source else "none"
        if not by_source:
            by_source[""] = (UNSOURCED, [], [])
        q, reading = phrase.quantity, phrase.reading
        topic_why = topic_basis(reading, phrase.origin)
        for key, (source, cited, ref_names) in by_source.items():
            first = cited[0] if cited else None
            relay = relayed_from
            if not relay and first is not None:
                relay = self.registry.relay(first, "")
            if relay == key:
                relay = ""
            per_source: dict[str, Evidence] = {}
            if first is not None and source.kind in SCHOLARLY_KINDS:
                # a book's date is when it was written, long after: the article's period
                per_source["infobox"] = Evidence(self.period[1])
            elif first is not None and first.date:
                per_source["citation"] = Evidence(normalize_date(first.date))
            date = decide(phrase, "date", per_source)
            claim_id = make_claim_id(q.text, q.start, key, prefix=self._id_prefix(phrase))
            if claim_id in self._seen:
                continue
            self._seen.add(claim_id)
            decisions = {"party": party, "claimant": claimant, "date": date, "place": place}
            self.claims.append(
                Claim(
                    article=self.title,
                    claim_id=claim_id,
                    origin=phrase.origin,
                    section=phrase.section,
                    topic=reading.topic,
                    party=party.value,
                    side=side,
                    value_low=q.low,
                    value_high=q.high,
                    value_text=" ".join(q.text.split()),
                    qualifier=q.qualifier,
                    date=date.value,
                    place=place.value,
                    source=key,
                    source_name=source.name,
                    source_kind=source.kind,
                    claimant=claimant_name,
                    citation_title=(first.trans_title or first.title) if first else "",
                    citation_url=first.url if first else "",
                    archive_url=first.archive_url if first else "",
                    quote=phrase.quote,
                    start=phrase.raw[0],
                    end=phrase.raw[1],
                    unit=q.unit,
                    relayed_from=relay,
                    source_country=source.country,
                    ref_names=tuple(ref_names),
                    field=phrase.field,
                    date_basis=date.kind,
                    citation_date=normalize_date(first.date) if first else "",
                    party_text=party.text,
                    counted=reading.noun,
                    source_basis=basis,
                    why=why(decisions, topic_why, basis),
                )
            )

    def outlet_claimant(self, claimant: str) -> tuple[str, str]:
        """A claimant that is a known outlet ("according to the SOHR") is named by its key and
        is the origin the citing outlet relays."""
        if not claimant or claimant == SELF_REPORTED:
            return claimant, ""
        outlet = self.registry.lookup(claimant)
        if outlet is None:
            return claimant, ""
        return outlet.key, outlet.key

    def _canonical(self, party: Decision, side: str) -> tuple[Decision, str]:
        """The party as the article's registry names it, with the side it is on: "SDF
        fighters" and "the Syrian Democratic Forces" are one party; words with no name
        ("soldiers", "civilians") stay as written."""
        if not party.value or party.kind in _UNNAMED_KINDS or party.kind in _NAMED_KINDS:
            return party, ""
        if party.kind == "flag":
            named = self.parties.resolve("", [party.value])
        else:
            named = self.parties.resolve(party.value)
        if named is None or (named not in self._own_parties and not named.side):
            return party, ""  # "40,000 Palestinians" of no combatant stay as written
        if party.kind in _WORDS_KINDS and " and " in party.value:
            return party, ""  # "19 Hamas and Islamic Jihad militants": two names, one count
        return Decision(named.name, party.kind, party.text), named.side

    def side_of(self, party: str) -> str:
        """The infobox column a party is on: by the registry's names, else by the words with
        no name that only one column's figures used."""
        side = self.parties.side_of(party)
        if side:
            return side
        wanted = party.lower()
        hits = [n for n, words in self.learned.items() if wanted in words]
        return hits[0] if len(hits) == 1 else ""

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)
