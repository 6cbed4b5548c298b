"""From a figure as its reader found it to the facts of its claim, by a declared order of evidence.

Every reader of an article (infobox line, prose sentence, table cell, cited headline) hands
over one `FigurePhrase` per figure: the quantity, how its words read (`Reading`), the refs
that back it and, for each fact of a claim (party, claimant, date, place), every piece of
evidence its text gives, each under a named kind. `claims/data/attribution.toml` orders the
kinds per reader; `decide` takes the first kind that holds a value and names it, so each
claim's `why` says which evidence decided ("party:flag date:bracket").
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from itertools import accumulate
from typing import NamedTuple

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
from claims.topics import (
    BUILDING,
    COUNTS_OF_PEOPLE,
    EQUIPMENT,
    PLACE,
    STRIKE,
    Reading,
    taxonomy,
)

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
    # a name, after the ordinal of a formation's number: "the 69th Brigade"
    name = (
        r"(?P<who>(?:\d+(?:st|nd|rd|th)\s+)?"
        r"[A-Z][\w'’.\-]*(?:\s+(?:of\s+)?[A-Z][\w'’.\-]*){0,3})"
    )
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


# -- forces named around a figure -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mention:
    """Words of a sentence that may name a force of the article, before the registry reads them.

    `how` says how they name it: "adjective" (before a force or loss noun: "French dead",
    "the English army", "the Pompeian army"), "noun" (a nationality used alone: "for the
    French", "11,000 Japanese of the division"), "possessive" ("Philip's army"), "leader" (a
    name heading its clause before a word of leading: "Bohun led 2,000 cavalry") or "pronoun"
    ("he had 80 cohorts", "his army"). `start`, `end` are offsets in the sentence.
    """

    start: int
    end: int
    words: str
    how: str


@dataclass(frozen=True, slots=True)
class _MentionRules:
    nouns: frozenset[str]  # force and loss nouns
    force_nouns: frozenset[str]
    agent_verbs: frozenset[str]
    opposing: tuple[tuple[str, ...], ...]
    against: frozenset[str]
    passive: frozenset[str]
    clause_end: re.Pattern[str]
    subject_pronouns: frozenset[str]
    leader_words: frozenset[str]  # after a name heading its clause: the name leads the force
    possessive_pronouns: frozenset[str]
    force_verbs: frozenset[str]
    noun_followers: frozenset[str]
    saying: frozenset[str]  # "the Russian side reported": a speaker, not the counted's force
    amount: frozenset[str]
    not_names: frozenset[str]
    head_openers: frozenset[str]  # words before the name a sentence opens with
    force_of: re.Pattern[str]
    force_of_words: int  # the most whitespace-separated words a match of `force_of` spans


@cache
def _mention_rules() -> _MentionRules:
    data = load_data("attribution.toml")
    words = data["mentions"]
    subject = data["subject"]
    amount = {w for phrase in subject["amount_words"] for w in phrase.split()}
    clause = _alternation(words["clause_words"])
    return _MentionRules(
        nouns=frozenset(w.lower() for w in [*words["force_nouns"], *words["loss_nouns"]]),
        force_nouns=frozenset(w.lower() for w in words["force_nouns"]),
        agent_verbs=frozenset(words["agent_verbs"]),
        opposing=tuple(tuple(w.split()) for w in words["opposing_words"]),
        against=frozenset(words["against_words"]),
        passive=frozenset(words["passive_words"]),
        clause_end=re.compile(rf"[;:]|,\s|\s[—–-]\s|\b(?:{clause})\b", re.IGNORECASE),
        subject_pronouns=frozenset(words["subject_pronouns"]),
        leader_words=frozenset(words.get("leader_words", [])),
        possessive_pronouns=frozenset(words["possessive_pronouns"]),
        force_verbs=frozenset(subject["force_verbs"]),
        noun_followers=frozenset(
            [*words["noun_followers"], *subject["force_verbs"], *subject["suffering_verbs"]]
        ),
        saying=frozenset(
            w
            for w in load_data("claimants.toml")["saying_verbs"]
            if " " not in w and w not in subject["force_verbs"]
        ),
        amount=frozenset(amount),
        not_names=frozenset(subject["not_names"]),
        head_openers=frozenset(w.lower() for w in subject["head_openers"]),
        force_of=re.compile(
            rf"\b(?:{_alternation(words['force_of'])})\s+of"
            rf"(?:\s+(?:{_alternation(subject['amount_words'])}))?\s*$",
            re.IGNORECASE,
        ),
        force_of_words=(
            max(len(w.split()) for w in words["force_of"])
            + 1
            + max(len(w.split()) for w in subject["amount_words"])
        ),
    )


_MENTION_TOKEN = re.compile(r"[^\W\d_][\w'’\-]*|\d[\w,.\-–]*|[^\w\s]")
_MENTION_SPLIT = re.compile(f"({_MENTION_TOKEN.pattern})")
_NAME_LINKS = frozenset({"of", "de", "du", "the"})  # "Kingdom of France", "Army of the Potomac"
_CLAUSE_OPENERS = frozenset({"and", ",", ";", ".", "then", "but"})  # before a name heading a clause
_POSSESSIVE_END = re.compile(r"(?:'s|’s|'|’)$")


class _Tok(NamedTuple):
    start: int
    end: int
    text: str
    lower: str


def _mention_tokens(text: str) -> list[_Tok]:
    # separator, token, separator, ..., separator: the tokens and their offsets in C
    parts = _MENTION_SPLIT.split(text)
    bounds = list(accumulate(map(len, parts)))
    texts = parts[1::2]
    return list(
        map(
            partial(tuple.__new__, _Tok),
            zip(bounds[0:-1:2], bounds[1::2], texts, map(str.lower, texts), strict=True),
        )
    )


def _is_name_word(tok: _Tok) -> bool:
    return tok.text[:1].isupper() and tok.text[:1].isalpha()


def _is_ordinal(tok: _Tok) -> bool:
    return tok.text[:1].isdigit() and tok.lower.endswith(("st", "nd", "rd", "th"))


def _after_a_noun(tok: _Tok, rules: _MentionRules) -> bool:
    """Whether a word can follow a nationality word used as a noun ("the French were", "the
    French probably had"); a word that cannot ("the Italian position") is what it describes."""
    if not (tok.text.isalpha() and tok.text.islower()):
        return not tok.text[:1].isalpha()  # punctuation, a figure
    return tok.lower in rules.noun_followers or tok.lower.endswith(("ly", "ed"))


def force_mentions(text: str, figures: Sequence[tuple[int, int]] = ()) -> list[Mention]:
    """The words of a sentence that may name a force, in reading order (see `Mention`).
    `figures` are the spans of the sentence's figures ("his 80 cohorts": a possessive before
    a figure owns it)."""
    return _force_mentions(text, _mention_tokens(text), figures)


def _force_mentions(
    text: str, tokens: Sequence[_Tok], figures: Sequence[tuple[int, int]]
) -> list[Mention]:
    rules = _mention_rules()
    figure_at = {start for start, _ in figures}
    figure_ends = {end for _, end in figures}
    out: list[Mention] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.lower in rules.subject_pronouns or tok.lower in rules.possessive_pronouns:
            if _pronoun_owns(tokens, i, figure_at, rules):
                out.append(Mention(tok.start, tok.end, tok.text, "pronoun"))
            i += 1
            continue
        if not (_is_name_word(tok) or (_is_ordinal(tok) and _next_is_name(tokens, i))):
            i += 1
            continue
        j = i + 1  # the run of a name: "Kingdom of France", "14th Infantry Division"
        while (
            j < len(tokens)
            and not _POSSESSIVE_END.search(tokens[j - 1].text)
            and (
                _is_name_word(tokens[j])
                or (tokens[j].lower in _NAME_LINKS and _next_is_name(tokens, j))
            )
        ):
            j += 1
        first = i
        while first < j and tokens[first].text in rules.not_names:
            first += 1
        i = j
        if first == j:
            continue
        mention = _mention_of(text, tokens, first, j, figure_at, figure_ends, rules)
        if mention is not None:
            out.append(mention)
    return out


def _next_is_name(tokens: Sequence[_Tok], k: int) -> bool:
    return k + 1 < len(tokens) and _is_name_word(tokens[k + 1])


def _pronoun_owns(
    tokens: Sequence[_Tok], k: int, figure_at: set[int], rules: _MentionRules
) -> bool:
    """A pronoun that heads a force's figure: "he had 80 cohorts", "he only lost 200",
    "his army", "his 22,000 men"."""
    ahead = tokens[k + 1 : k + 3]
    if tokens[k].lower in rules.subject_pronouns:
        return any(t.lower in rules.force_verbs for t in ahead)
    return any(t.lower in rules.nouns or t.start in figure_at for t in ahead)


def _mention_of(
    text: str,
    tokens: Sequence[_Tok],
    first: int,
    end: int,
    figure_at: set[int],
    figure_ends: set[int],
    rules: _MentionRules,
) -> Mention | None:
    """How the run of name words `tokens[first:end]` names a force, if it does."""
    run = tokens[first:end]
    start, stop = run[0].start, run[-1].end
    words = _POSSESSIVE_END.sub("", text[start:stop])
    possessive = words != text[start:stop]
    if possessive:
        stop -= len(text[start:stop]) - len(words)
    ahead = tokens[end : end + 3]
    noun_next = bool(ahead) and ahead[0].lower in rules.nouns
    noun_after_word = (
        len(ahead) > 1
        and ahead[0].text.isalpha()
        and ahead[0].text.islower()
        and ahead[1].lower in rules.nouns
    )
    if any(t.text.endswith(("'s", "’s")) for t in ahead[:2] if t.lower[:-2] in rules.nouns):
        return None  # "the French army's attack": the army owns something else
    speaker = ahead[1:2] if ahead and ahead[0].lower in rules.force_nouns else ahead[:1]
    if any(t.lower in rules.saying for t in speaker):
        return None  # "the Russian side reported": who tells, not whose ("dead put at" is not)
    if possessive:
        owns = noun_next or noun_after_word or any(t.start in figure_at for t in ahead[:2])
        return Mention(start, stop, words, "possessive") if owns else None
    if noun_next or noun_after_word:
        return Mention(start, stop, words, "adjective")
    before = tokens[first - 1] if first > 0 else None
    heads = before is None or before.lower in _CLAUSE_OPENERS
    if heads and ahead and ahead[0].lower in rules.leader_words and end - first <= 4:
        return Mention(start, stop, words, "leader")
    after_figure = before is not None and before.end in figure_ends
    after_article = before is not None and before.lower == "the"
    if not (after_figure or after_article) or end - first > 3:
        return None
    if ahead and not _after_a_noun(ahead[0], rules):
        return None  # "the English sources": a nationality describing another noun
    return Mention(start, stop, words, "noun")


def opposed(text: str, mention: Mention, figure: tuple[int, int]) -> bool:
    """Whether the sentence sets the force of `mention` against the figure's counted rather
    than owning them: a word of opposition right before the force ("killed by the French",
    "in favour of the English") or between it and the figure ("the English ... against an
    army of 12,000"), or a verb of the force whose object is a figure ("the French killed 300")
    or whose subject the counted are ("300 soldiers attacked the French")."""
    rules = _mention_rules()
    head = _mention_tokens(text[: mention.start])
    if head and head[-1].lower in ("the", "a", "an", "their"):
        head = head[:-1]
    lows = tuple(t.lower for t in head)
    if any(lows[-len(p) :] == p for p in rules.opposing if len(p) <= len(lows)):
        return True
    lo, hi = (mention.end, figure[0]) if mention.end <= figure[0] else (figure[1], mention.start)
    between = _mention_tokens(text[lo:hi])
    if any(t.lower in rules.against for t in between):
        return True
    passive = False
    for k, tok in enumerate(between):
        if tok.lower in rules.passive:
            passive = True
        elif tok.lower in rules.agent_verbs and not passive:
            if mention.end > figure[0]:
                return True  # "300 soldiers attacked the French"
            if _governs(between, k, rules):
                return True  # "the French killed about 300", "... killed 300 and 200 more"
    return False


def _governs(between: Sequence[_Tok], k: int, rules: _MentionRules) -> bool:
    """Whether the verb at `between[k]`, in the words from a force to a figure, has a figure
    for its object: only amount words stand between it and a number, or the figure itself."""
    for tok in between[k + 1 :]:
        if tok.text[:1].isdigit():
            return True
        if tok.lower not in rules.amount:
            return False
    return True


def clause_of(text: str, start: int, end: int) -> tuple[int, int, list[tuple[int, int]]]:
    """The clause of the figure at `start`-`end`: its bounds and the bracketed asides in them
    it is not part of (a figure in brackets has the bracket for its clause)."""
    rules = _mention_rules()
    brackets = _brackets(text)
    lo, hi = 0, len(text)
    for a, b in brackets:
        if a < start and end <= b and (b - a) < (hi - lo):
            lo, hi = a + 1, b
    asides = [(a, b + 1) for a, b in brackets if lo <= a and b < hi and not (a < start <= b)]
    masked = list(text)
    for a, b in asides:
        masked[a:b] = " " * (b - a)
    plain = "".join(masked)
    for m in rules.clause_end.finditer(plain, lo, hi):
        if m.end() <= start:
            lo = m.end()
        elif m.start() >= end:
            hi = m.start()
            break
    return lo, hi, asides


def _brackets(text: str) -> list[tuple[int, int]]:
    """The spans of the round brackets of a text, "(" to ")", nested ones too."""
    out: list[tuple[int, int]] = []
    stack: list[int] = []
    for k, ch in enumerate(text):
        if ch == "(":
            stack.append(k)
        elif ch == ")" and stack:
            out.append((stack.pop(), k))
    return out


_SPACE = re.compile(r"\s")
_ARTICLES = ("the", "a", "an", "their")


def _words_back(text: str, end: int, words: int) -> int:
    """Where the last `words` whitespace-separated words before `end` begin (one more, for a
    word cut by `end`): a pattern that ends at `end` and spans no more words starts there."""
    pos = end
    for _ in range(words + 1):
        while pos > 0 and text[pos - 1].isspace():
            pos -= 1
        while pos > 0 and not text[pos - 1].isspace():
            pos -= 1
    return pos


def _prefix_counts(flags: Sequence[bool]) -> list[int]:
    return list(accumulate(flags, initial=0))


class _ForceIndex:
    """One sentence read once for the forces its figures may belong to: its words (with,
    per word, whether it sets a force against the counted, is a verb of a force, a passive or
    an amount word), its brackets, the mentions of forces that are not its claimants, and the
    clause breaks of each bracket, so that a figure costs the words of its clause and of the
    mentions it looks at, not a pass over the sentence. `clause_of` and `opposed` are the
    rules it reads, and give the same answers."""

    def __init__(
        self,
        text: str,
        figures: Sequence[tuple[int, int]],
        claimants: Sequence[tuple[int, int]],
    ) -> None:
        rules = _mention_rules()
        self.text, self.figures, self.claimants = text, figures, claimants
        self.rules = rules
        self.toks = _mention_tokens(text)
        # the mentions that are no claimant's words: "the English chroniclers say"
        spans = sorted(claimants)
        claimant_starts = [a for a, _ in spans]
        reach = [-1]
        for _, b in spans:
            reach.append(max(reach[-1], b))
        self.mentions = [
            m
            for m in _force_mentions(text, self.toks, figures)
            if reach[bisect.bisect_left(claimant_starts, m.end)] <= m.start
        ]
        self.parties: dict[tuple[int, str], tuple[Mention, str, str]] = {}
        self._indexed = False  # a sentence that names no force needs none of the rest

    def _index(self) -> None:
        if self._indexed:
            return
        self._indexed = True
        rules, toks, figures = self.rules, self.toks, self.figures
        self.starts = [t.start for t in toks]
        n = len(toks)
        amount = [t.lower in rules.amount for t in toks]
        self.digit = [t.text[:1].isdigit() for t in toks]
        agent = [t.lower in rules.agent_verbs for t in toks]
        self.agent = agent
        self.next_passive = [n] * (n + 1)  # the first passive word at or after each word
        self.next_other = [n] * (n + 1)  # the first word that is no amount word
        for i in range(n - 1, -1, -1):
            self.next_passive[i] = i if toks[i].lower in rules.passive else self.next_passive[i + 1]
            self.next_other[i] = self.next_other[i + 1] if amount[i] else i
        self.last_other = [-1] * (n + 1)  # the last word before each that is no amount word
        for i in range(n):
            self.last_other[i + 1] = self.last_other[i] if amount[i] else i
        # a verb of a force whose object is a figure ("killed about 300")
        governing = [
            agent[k] and self.next_other[k + 1] < n and self.digit[self.next_other[k + 1]]
            for k in range(n)
        ]
        self.against = _prefix_counts([t.lower in rules.against for t in toks])
        self.agents = _prefix_counts(agent)
        self.governing = _prefix_counts(governing)
        # brackets, by where they open, each with the one that holds it
        self.brackets = sorted(_brackets(self.text))
        self.bracket_starts = [a for a, _ in self.brackets]
        self.parent = [-1] * len(self.brackets)
        stack: list[int] = []
        for k, (a, _) in enumerate(self.brackets):
            while stack and self.brackets[stack[-1]][1] < a:
                stack.pop()
            self.parent[k] = stack[-1] if stack else -1
            stack.append(k)
        self.mention_starts = [m.start for m in self.mentions]
        self.mention_ends = [m.end for m in self.mentions]
        self.figure_starts = sorted(a for a, _ in figures)
        self.figure_ends = sorted(b for _, b in figures)
        self._windows: dict[tuple[int, int], _ClauseWindow] = {}
        self._set_against: dict[int, bool] = {}

    # -- clauses

    def clause(self, start: int, end: int) -> tuple[int, int, Callable[[int], bool]]:
        """`clause_of` of the figure at `start`-`end`: its bounds, and whether an offset lies
        in one of the bracketed asides of its clause."""
        self._index()
        inner, straddled = -1, False
        k = bisect.bisect_left(self.bracket_starts, start) - 1
        while k >= 0:  # the brackets opened before the figure that may still be open at it
            b = self.brackets[k][1]
            if b >= end:
                inner = k
                break
            straddled = straddled or b >= start
            k = self.parent[k]
        if straddled:  # a bracket closing inside the figure: read it as the rule is written
            lo, hi, asides = clause_of(self.text, start, end)
            return lo, hi, lambda pos: any(a <= pos < b for a, b in asides)
        if inner < 0:
            lo, hi = 0, len(self.text)
        else:
            lo, hi = self.brackets[inner][0] + 1, self.brackets[inner][1]
        window = self._windows.get((lo, hi))
        if window is None:
            window = self._windows[(lo, hi)] = _ClauseWindow(self, lo, hi)
        k = bisect.bisect_right(window.break_ends, start) - 1
        if k >= 0:
            lo = window.break_ends[k]
        k = bisect.bisect_left(window.break_starts, end)
        if k < len(window.break_starts):
            hi = window.break_starts[k]
        return lo, hi, window.covered

    def figure_bounds(self, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
        """The end of the figure before the one at `start`-`end` (else `lo`) and the start of
        the one after it (else `hi`): the figure's own list item."""
        self._index()
        k = bisect.bisect_right(self.figure_ends, start) - 1
        previous = self.figure_ends[k] if k >= 0 else lo
        k = bisect.bisect_left(self.figure_starts, end)
        following = self.figure_starts[k] if k < len(self.figure_starts) else hi
        return previous, following

    def mentions_within(self, lo: int, hi: int, covered: Callable[[int], bool]) -> list[int]:
        """The mentions inside `lo`-`hi`, in reading order, less those in its asides."""
        self._index()
        out = []
        k = bisect.bisect_left(self.mention_starts, lo)
        while k < len(self.mentions) and self.mention_starts[k] < hi:
            m = self.mentions[k]
            if m.end <= hi and not covered(m.start):
                out.append(k)
            k += 1
        return out

    def mentions_before(self, pos: int) -> Iterator[int]:
        """The mentions ending by `pos`, nearest first."""
        self._index()
        k = bisect.bisect_right(self.mention_ends, pos) - 1
        while k >= 0:
            yield k
            k -= 1

    # -- opposition

    def opposed(self, k: int, figure: tuple[int, int]) -> bool:
        """`opposed` of mention `k` and the figure."""
        self._index()
        mention = self.mentions[k]
        if self._opposed_before(k):
            return True
        if mention.end <= figure[0]:
            return self._opposed_between(mention.end, figure[0], figure_first=False)
        return self._opposed_between(figure[1], mention.start, figure_first=mention.end > figure[0])

    def _opposed_before(self, k: int) -> bool:
        """A word of opposition right before mention `k` ("killed by the French")."""
        found = self._set_against.get(k)
        if found is None:
            first = bisect.bisect_left(self.starts, self.mentions[k].start)
            if first and self.toks[first - 1].lower in _ARTICLES:
                first -= 1
            longest = max((len(p) for p in self.rules.opposing), default=0)
            lows = tuple(t.lower for t in self.toks[max(0, first - longest) : first])
            found = any(lows[-len(p) :] == p for p in self.rules.opposing if len(p) <= len(lows))
            self._set_against[k] = found
        return found

    def _opposed_between(self, lo: int, hi: int, *, figure_first: bool) -> bool:
        """Whether the words of `text[lo:hi]`, from a force to a figure (`figure_first`: from
        a figure to its force), set the force against the counted: a word of opposition, or a
        verb of the force not after a passive word (from a force, one whose object is a figure).

        The words are those the sentence's own words give, but for the first word, which
        `lo` may cut ("Philip's" read from "'s"), and the last, which `hi` may cut."""
        if lo >= hi:
            return False
        text = self.text
        space = _SPACE.search(text, lo, hi)
        left = space.start() if space else hi
        head = [
            _Tok(t.start + lo, t.end + lo, t.text, t.lower) for t in _mention_tokens(text[lo:left])
        ]
        a = bisect.bisect_left(self.starts, left)
        b = bisect.bisect_left(self.starts, hi)
        tail: list[_Tok] = []
        if b > a and self.toks[b - 1].end > hi:
            cut = text[self.toks[b - 1].start : hi]
            tail = [_Tok(self.toks[b - 1].start, hi, cut, cut.lower())]
            b -= 1
        rules = self.rules
        if self.against[b] > self.against[a] or any(
            t.lower in rules.against for t in (*head, *tail)
        ):
            return True

        def governs(part: Sequence[_Tok], after: int, mid_from: int, rest: Sequence[_Tok]) -> bool:
            # the first word after a verb that is no amount word is a figure, or there is none
            for tok in part[after:]:
                if tok.text[:1].isdigit():
                    return True
                if tok.lower not in rules.amount:
                    return False
            j = self.next_other[mid_from]
            if j < b:
                return self.digit[j]
            for tok in rest:
                if tok.text[:1].isdigit():
                    return True
                if tok.lower not in rules.amount:
                    return False
            return True

        for i, tok in enumerate(head):
            if tok.lower in rules.passive:
                return False
            if tok.lower in rules.agent_verbs and (figure_first or governs(head, i + 1, a, tail)):
                return True
        stop = min(self.next_passive[a], b)
        if figure_first:
            if self.agents[stop] > self.agents[a]:
                return True
        else:
            last = self.last_other[b]
            upto = min(stop, max(last, a))
            if self.governing[upto] > self.governing[a]:
                return True
            for k in range(max(last, a), stop):
                if self.agent[k] and governs((), 0, k + 1, tail):
                    return True
        if stop < b:
            return False
        for i, tok in enumerate(tail):
            if tok.lower in rules.passive:
                return False
            if tok.lower in rules.agent_verbs and (figure_first or governs(tail, i + 1, b, ())):
                return True
        return False


class _ClauseWindow:
    """The clause breaks of one bracket of a sentence (or of the whole sentence), with its
    asides blanked as `clause_of` blanks them, found once for every figure inside it."""

    def __init__(self, index: _ForceIndex, lo: int, hi: int) -> None:
        text = index.text
        asides = []  # the brackets inside the window, each with its closing bracket
        k = bisect.bisect_left(index.bracket_starts, lo)
        while k < len(index.brackets) and index.brackets[k][0] < hi:
            a, b = index.brackets[k]
            if b < hi:
                asides.append((a, b + 1))
            k += 1
        masked = list(text[lo:hi])
        for a, b in asides:
            masked[a - lo : b - lo] = " " * (b - a)
        shift = 1 if lo > 0 else 0  # the character before the window, for a word boundary
        plain = text[lo - shift : lo] + "".join(masked)
        found = [(m.start(), m.end()) for m in index.rules.clause_end.finditer(plain, shift)]
        self.break_starts = [a - shift + lo for a, _ in found]
        self.break_ends = [b - shift + lo for _, b in found]
        self._aside_starts = [a for a, _ in asides]
        self._aside_reach = [-1]
        for _, b in asides:
            self._aside_reach.append(max(self._aside_reach[-1], b))

    def covered(self, pos: int) -> bool:
        """Whether `pos` lies in one of the window's asides."""
        return self._aside_reach[bisect.bisect_right(self._aside_starts, pos)] > pos


# -- the attribution step ------------------------------------------------------------------

SCHOLARLY_KINDS = frozenset({"book", "journal"})
"""Sources whose date is when they were written, long after what they tell of."""
# people with no name, by what they are: the unarmed are counted as who they are, people
# ("300 men", "victims") too unless a clause names whose they are
_ROLE_KINDS = {"civilians": "civilian", "detainees": "detainees", "people": "people"}
_UNNAMED_KINDS = frozenset({"civilian", "detainees", "people", "generic"})
# named by the registry already: a column, or a force the figure's sentence names
_NAMED_KINDS = frozenset(
    {
        "column",
        "column_force",
        "clause",
        "commander",
        "pronoun",
        "nearest_force",
        "paragraph_subject",
        "opponent",
    }
)
# figures of a force's people, whose party a force named around them can be
_FORCE_PEOPLE_TOPICS = frozenset(
    {"killed", "injured", "casualties", "detained", "missing", "strength"}
)
_WORDS_KINDS = frozenset({"named", "heading", "subject", "list_label", "cell"})
# figures of a force's own people that the paragraph's subject may own (prisoners are left out)
_PARAGRAPH_TOPICS = frozenset({"killed", "injured", "casualties", "missing", "strength"})
_HEAD_REACH = 4  # words at most before the name a sentence opens with
_HEAD_CHARS = 160  # characters of a sentence read for the name it opens with
_NAME_RUN = re.compile(r"[A-Z][\w'’\-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w'’\-]*)*")
# a force's own numbers, places it took, things it had or lost ("Octavian had 250 warships")
_FORCE_TOPICS = frozenset({"strength", "captured", "equipment"})
_OWNED_TOPICS = frozenset({"equipment"})  # ...unless the clause says it destroyed or took them


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
        self._forces: _ForceIndex | None = None
        self._heads: dict[str, tuple[str, str] | None] = {}  # sentence -> the party it opens with
        self._dates: dict[str, str] = {}  # a citation's date field -> its ISO date

    def source(self, citation: Citation) -> Source:
        key = id(citation)
        if key not in self._sources:
            self._sources[key] = self.registry.resolve(citation)
        return self._sources[key]

    def citation_date(self, written: str) -> str:
        """`normalize_date` of a citation's date field, read once per article (the refs of a
        sentence back each of its figures)."""
        found = self._dates.get(written)
        if found is None:
            found = self._dates[written] = normalize_date(written)
        return found

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
        topic = phrase.reading.topic
        if topic not in _FORCE_TOPICS or "subject" in phrase.evidence.get("party", {}):
            return  # "the Japanese had destroyed 60 LVTs": who destroyed them lost nothing
        start = phrase.quantity.start
        words = subject_of_force(text, start)
        if not words:
            return
        if topic in _OWNED_TOPICS:
            agents = _mention_rules().agent_verbs
            if any(t.lower in agents for t in _mention_tokens(_clause_before(text, start))):
                return  # the things it destroyed or took were another's
        named = self.parties.resolve(words)
        if named is not None and named in self._own_parties:
            phrase.add("party", "subject", named.name, words)

    def named_forces(
        self,
        phrase: FigurePhrase,
        text: str,
        figures: Sequence[tuple[int, int]],
        claimants: Sequence[tuple[int, int]] = (),
        before: str = "",
    ) -> None:
        """The article's force the figure's sentence names as the owner of its people.

        "clause", "commander" or "pronoun": the figure's clause names one force, by a
        nationality word or a party's name ("French dead", "Ethiopian losses ... 4,000
        killed", "for the French", "11,000 Japanese of the division"), a commander's
        possessive or adjective ("Philip's army", "the Pompeian army"), or a pronoun for the
        commander named last before it ("he had 80 cohorts"); the nearest one in the figure's
        own list item, else the one force its clause names. "nearest_force": a force with no
        name ("12,000 troops", "22,000 men" of a strength, "an army of 8,500") is the force
        named nearest before it in the sentence, else after it in its clause. When the
        nearest name is of no party of the article, none of these decide. A force set against
        the counted ("killed by the French", "the English killed 300") is none of these;
        `figures` are the sentence's figures and `claimants` the spans of the claimants it
        names, which are no forces of the figure; `before` is the text before the sentence in
        its paragraph.

        The sentence is indexed once for all its figures (`_ForceIndex`): each figure looks
        only at the mentions of its clause and, for a force with no name, at those before it
        back to the first one not set against it.
        """
        if phrase.reading.topic in _OWNED_TOPICS and not phrase.reading.party:
            self._things_taken(phrase, text, figures, claimants, before)
            return
        if phrase.reading.topic not in _FORCE_PEOPLE_TOPICS:
            return
        if phrase.reading.noun and phrase.reading.noun_class not in COUNTS_OF_PEOPLE:
            return  # "two encounters with the French" count no one's people
        index = self._force_index(text, figures, claimants)
        if not index.mentions:
            return
        q = phrase.quantity
        figure = (q.start, q.end)
        lo, hi, covered = index.clause(q.start, q.end)
        previous, following = index.figure_bounds(q.start, q.end, lo, hi)

        # (mention, party, kind); a mention of no party of the article has party ""
        clause = [
            self._named(index, k, before)
            for k in index.mentions_within(lo, hi, covered)
            if not index.opposed(k, figure)
        ]
        own = [n for n in clause if previous <= n[0].start and n[0].end <= following]
        pick = _nearest(own, figure)
        if pick is None and len({n[1] for n in clause}) == 1:
            pick = _nearest(clause, figure)
        if pick is not None and pick[1]:  # the nearest names someone else: no party
            mention, party, kind = pick
            phrase.add("party", kind, party, mention.words)
        elif phrase.reading.topic == "detained":
            self._captives(phrase, index, lo, hi, covered, before)
        if self._unnamed_force(phrase, text):
            ahead = next(
                (
                    self._named(index, k, before)
                    for k in index.mentions_before(q.start)
                    if not index.opposed(k, figure)
                ),
                None,
            )
            pick = ahead or _nearest(clause, figure)
            if pick is not None and pick[1]:
                phrase.add("party", "nearest_force", pick[1], pick[0].words)

    def _things_taken(
        self,
        phrase: FigurePhrase,
        text: str,
        figures: Sequence[tuple[int, int]],
        claimants: Sequence[tuple[int, int]],
        before: str,
    ) -> None:
        """ "opponent": things a force took or destroyed ("the Axis forces captured 6,000
        prisoners, in addition to 40 tanks") were lost by the column it fights, when the
        force named nearest before them is the one that took them."""
        index = self._force_index(text, figures, claimants)
        if not index.mentions:
            return
        q = phrase.quantity
        k = next(index.mentions_before(q.start), None)
        if k is None or not index.opposed(k, (q.start, q.end)):
            return
        taker = self._named(index, k, before)[1]
        if not taker:
            return
        opponent = self.parties.opponent(self.side_of(taker))
        if opponent is not None and opponent.name != taker:
            phrase.add("party", "opponent", opponent.name, taker)

    def _captives(
        self,
        phrase: FigurePhrase,
        index: _ForceIndex,
        lo: int,
        hi: int,
        covered: Callable[[int], bool],
        before: str,
    ) -> None:
        """ "opponent": prisoners a force of the clause took ("the Northern forces captured
        6,000 prisoners") are the people of the column it fights, when the clause names
        one captor of one column and the article has two."""
        q = phrase.quantity
        figure = (q.start, q.end)
        captors = {
            named[1]
            for k in index.mentions_within(lo, hi, covered)
            if index.opposed(k, figure) and (named := self._named(index, k, before))[1]
        }
        if len(captors) != 1:
            return
        captor = captors.pop()
        opponent = self.parties.opponent(self.side_of(captor))
        if opponent is not None and opponent.name != captor:
            phrase.add("party", "opponent", opponent.name, captor)

    def _force_index(
        self,
        text: str,
        figures: Sequence[tuple[int, int]],
        claimants: Sequence[tuple[int, int]],
    ) -> _ForceIndex:
        """The index of a sentence, made once for all its figures."""
        cached = self._forces
        if (
            cached is None
            or cached.text is not text
            or cached.figures is not figures
            or cached.claimants is not claimants
        ):
            cached = self._forces = _ForceIndex(text, figures, claimants)
        return cached

    def _named(self, index: _ForceIndex, k: int, before: str) -> tuple[Mention, str, str]:
        """The mention `k` of a sentence with the party it names and how ("" when none)."""
        key = (k, before)
        found = index.parties.get(key)
        if found is None:
            mention = index.mentions[k]
            found = (mention, *(self._mention_party(mention, index.text, before) or ("", "")))
            index.parties[key] = found
        return found

    def _mention_party(self, mention: Mention, text: str, before: str) -> tuple[str, str] | None:
        """The article's party a mention names and the kind of evidence it is, or None."""
        if mention.how == "pronoun":
            found = self._last_commander(before + " " + text[: mention.start])
            if found is None:
                return None
            return found[0], "pronoun"
        named = self.parties.resolve(mention.words)
        if named is not None and named in self._own_parties:
            return named.name, "clause"
        if mention.how in ("possessive", "adjective", "leader"):
            commanded = self.parties.commanded_by(mention.words)
            if commanded is not None:
                return commanded.name, "commander"
        return None

    def _last_commander(self, text: str) -> tuple[str, str] | None:
        """The party of the commander a pronoun stands for: the name written last before it,
        when that name is a commander's ("... to Caesar's wish. According to his accounts,
        he"); None when the last name is another's."""
        not_names = _mention_rules().not_names
        tokens = _mention_tokens(text)
        k = len(tokens) - 1
        while k >= 0:
            if not _is_name_word(tokens[k]):
                k -= 1
                continue
            end = k + 1
            while k > 0 and (
                _is_name_word(tokens[k - 1])
                or (tokens[k - 1].lower in _NAME_LINKS and k > 1 and _is_name_word(tokens[k - 2]))
            ):
                k -= 1
            words = text[tokens[k].start : tokens[end - 1].end]
            commanded = self.parties.commanded_by(words)
            if commanded is not None:
                return commanded.name, words
            opening = k == 0 or tokens[k - 1].text in (".", "!", "?", '"', "“")
            if not ((opening and end - k == 1) or tokens[k].text in not_names):
                return None  # someone else was named last
            k -= 1
        return None

    def sentence_head(self, text: str) -> tuple[str, str] | None:
        """The article's party a sentence opens with as its subject, and the words naming it:
        a name, a nationality word or a commander's name among its first words ("The Marines
        soon ran out of ammunition", "Caesar urged his men"); None when it opens otherwise."""
        rules = _mention_rules()
        tokens = _mention_tokens(text[:_HEAD_CHARS])
        k = 0
        while k < len(tokens) and k < _HEAD_REACH:
            token = tokens[k]
            if token.text in rules.not_names or token.lower in rules.head_openers:
                k += 1  # "The", "Most of the": words before the name
                continue
            if _is_name_word(token):
                break
            if token.text[:1].isalpha():
                return None  # "the battalion suffered": the sentence opens with no name
            k += 1
        if k >= min(len(tokens), _HEAD_REACH) or not _is_name_word(tokens[k]):
            return None
        end = k + 1
        while end < len(tokens) and (
            _is_name_word(tokens[end])
            or (tokens[end].lower in _NAME_LINKS and _next_is_name(tokens, end))
        ):
            end += 1
        words = text[tokens[k].start : tokens[end - 1].end]
        named = self.parties.resolve(words)
        if named is not None and named in self._own_parties:
            return named.name, words
        commanded = self.parties.commanded_by(words)
        if commanded is not None:
            return commanded.name, words
        return None

    def names_a_party(self, text: str) -> bool:
        """Whether a text names any party of the article by a name or a nationality word."""
        for m in _NAME_RUN.finditer(text):
            named = self.parties.resolve(m.group(0))
            if named is not None and named in self._own_parties:
                return True
        return False

    def paragraph_subject(self, phrase: FigurePhrase, earlier: Sequence[str], text: str) -> None:
        """A figure of a force's people with no name ("reduced to 18 men", "suffering 157
        casualties"), in a clause that names no party, is of the party the paragraph's last
        sentence opening with one has for its subject ("The Marines soon had to resort to
        hand-to-hand combat. ... but had been reduced to 18 men"). Prisoners are left out:
        they are as often the other side's. `earlier` are the paragraph's sentences before the
        figure's, in reading order (each read for its opening name only when a figure needs
        it); `text` is the figure's sentence."""
        if not earlier or phrase.reading.topic not in _PARAGRAPH_TOPICS:
            return
        if phrase.reading.noun and phrase.reading.noun_class not in COUNTS_OF_PEOPLE:
            return
        if set(phrase.evidence.get("party", {})) - _UNNAMED_KINDS:
            return  # its own words or sentence say whose they are
        if "civilian" in phrase.evidence.get("party", {}):
            return
        q = phrase.quantity
        lo, hi, _ = clause_of(text, q.start, q.end)
        if self.names_a_party(text[lo:hi]):
            return  # "the Japanese had destroyed 60": the clause says who, another rule reads it
        not_names = _mention_rules().not_names
        if any(m.group(0) not in not_names for m in _NAME_RUN.finditer(text, lo, q.start)):
            return  # "fallen on the Armagnacs and it was they who suffered": someone else's
        for sentence in reversed(earlier):
            if sentence not in self._heads:
                self._heads[sentence] = self.sentence_head(sentence)
            head = self._heads[sentence]
            if head is not None:
                phrase.add("party", "paragraph_subject", *head)
                return

    def _unnamed_force(self, phrase: FigurePhrase, text: str) -> bool:
        """Whether the figure counts a force with no name: "12,000 troops", "22,000 men" of a
        strength, "an army of about 8,500"."""
        found = phrase.evidence.get("party", {})
        if "generic" in found:
            return True
        if phrase.reading.topic != "strength":
            return False
        if "people" in found:
            return True
        if found:
            return False
        rules = _mention_rules()
        end = phrase.quantity.start
        return bool(rules.force_of.search(text, _words_back(text, end, rules.force_of_words), end))

    def attribute(self, phrase: FigurePhrase, *, resolve_claimant: bool = True) -> None:
        """The claims of one figure: its facts decided by the declared order of evidence,
        one claim per distinct source that backs it (one unsourced claim when none)."""
        found = phrase.evidence.get("party", {})
        generic = found.get("generic")
        side = phrase.side
        if generic is None and phrase.origin == "infobox" and side:
            # "7,000 prisoners" in casualties1: the prisoners are column 1's own people
            generic = found.get("detainees")
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
                per_source["citation"] = Evidence(self.citation_date(first.date))
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
                    citation_date=self.citation_date(first.date) if first else "",
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


def _nearest(
    named: Sequence[tuple[Mention, str, str]], figure: tuple[int, int]
) -> tuple[Mention, str, str] | None:
    """The mention written nearest a figure (the one before it on a tie)."""

    def gap(n: tuple[Mention, str, str]) -> tuple[int, int]:
        m = n[0]
        return (figure[0] - m.end, 0) if m.end <= figure[0] else (m.start - figure[1], 1)

    return min(named, key=gap, default=None)
