"""Who asserts a figure and where it happened, as the text around it tells.

A claimant is whoever the words name as asserting the figure: "(Russian claim)", "state media
reported", "the army says", "according to the Syrian Observatory", "(self-reported)". It is
kept apart from the outlet that published the figure; when the claimant is itself a known
outlet, the figure is relayed from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from claims.knowledge import load_data, lowered_set
from claims.model import Quantity
from claims.sources import SourceRegistry

SELF_REPORTED = "self-reported"
_MAX_WHO = 60  # characters of a claimant phrase


@dataclass(frozen=True, slots=True)
class ClaimantMention:
    """A claimant named in the text: its span, the words as written, and a clean label."""

    start: int
    end: int
    words: str
    label: str


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    demonyms: dict[str, str]
    nouns: frozenset[str]
    according: re.Pattern[str]
    parenthetical: re.Pattern[str]
    saying: re.Pattern[str]
    self_reported: re.Pattern[str]
    adverbs: frozenset[str]
    quantifiers: re.Pattern[str]


@cache
def _vocabulary() -> _Vocabulary:
    data = load_data("claimants.toml")
    demonyms = {k.lower(): v for k, v in load_data("demonyms.toml")["demonyms"].items()}

    def alternation(words: list[str]) -> str:
        return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))

    according = alternation(data["according_to"])
    verbs = alternation(data["saying_verbs"])
    nouns = alternation(data["claim_nouns"])
    selfish = alternation(data["self_reported"])
    who = rf"(?P<who>[^()\n]{{1,{_MAX_WHO}}}?)"
    who2 = who.replace("?P<who>", "?P<who2>")
    return _Vocabulary(
        demonyms=demonyms,
        nouns=lowered_set(data["claimant_nouns"]),
        according=re.compile(
            rf"(?<![\w-])(?:{according})\s+(?P<who>(?:the\s+)?[^\s,.;:()]"
            rf"[^,;:()\n]{{0,{_MAX_WHO}}}?)(?=\s*(?:[,.;:()]|$)|\s+(?:that|which|who|as|on|in|"
            rf"at|to|for|with|after|while|and said|said|reported)\b)",
            re.I,
        ),
        parenthetical=re.compile(
            rf"\(\s*(?:{who}\s+(?:{nouns})|(?:{according})\s+{who2})\s*\)", re.I
        ),
        saying=re.compile(rf"(?<![\w-])(?P<verb>{verbs})(?![\w-])", re.I),
        self_reported=re.compile(
            rf"\(\s*(?:{selfish})\s*\)|(?<![\w-])(?:{selfish})(?![\w-])", re.I
        ),
        adverbs=lowered_set(data.get("adverbs", [])),
        quantifiers=re.compile(
            rf"^(?:{alternation(data.get('quantifiers', []))})(?:\s+|$)", re.IGNORECASE
        ),
    )


def claimant_nouns() -> frozenset[str]:
    """Words that name a claimant without a capital ("state media", "the army")."""
    return _vocabulary().nouns


@cache
def country_names() -> frozenset[str]:
    """The countries the nationality adjectives stand for ("Russia", "United States")."""
    return frozenset(_vocabulary().demonyms.values())


def country_of(adjective: str) -> str:
    """The country a nationality adjective stands for ("Russian" -> "Russia"), or ""."""
    return _vocabulary().demonyms.get(adjective.strip().lower(), "")


_DOTTED = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,}(?!\w)")  # "U.S.", "U.N.", "U.K."
_MASKED_DOT = "\u2024"  # a dot inside an acronym, which ends no sentence or name


def _mask_acronyms(text: str) -> str:
    """The text with the dots of dotted acronyms masked, at the same offsets."""
    if "." not in text:
        return text
    return _DOTTED.sub(lambda m: m.group(0).replace(".", _MASKED_DOT), text)


def clean_claimant(words: str) -> str:
    """A claimant label: articles dropped, a nationality adjective made its country ("Russian"
    -> "Russia", "Iraqi government" -> "Iraq government"), dotted acronyms undotted ("U.S.
    military" -> "US military")."""
    words = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), words.replace(_MASKED_DOT, "."))
    words = " ".join(words.replace("’", "'").split()).strip(" ,.;:\"'")
    words = re.sub(r"^(?:the|a|an)\s+", "", words, flags=re.I)
    words = re.sub(r"'s$", "", words)
    rest = _vocabulary().quantifiers.sub("", words)  # "Many sources" are sources
    if rest != words and (not rest or any(w[:1].islower() for w in rest.split())):
        words = rest  # but "All Saints Church" is a name
    if not words:
        return ""
    country = country_of(words)
    if country:
        return country
    if words.lower() in _vocabulary().nouns:
        return words.lower()
    parts = words.split()
    if len(parts) > 1 and parts[-1].lower() in ("government", "officials", "authorities"):
        country = country_of(" ".join(parts[:-1]))
        if country:
            return f"{country} {parts[-1].lower()}"
    return words


def find_claimants(text: str) -> list[ClaimantMention]:
    """Claimants named in a sentence, figure or headline, in reading order."""
    vocab = _vocabulary()
    text = _mask_acronyms(text)
    found: list[ClaimantMention] = []
    for m in vocab.self_reported.finditer(text):
        found.append(ClaimantMention(m.start(), m.end(), m.group(0), SELF_REPORTED))
    for m in vocab.parenthetical.finditer(text):
        words = m.group("who") or m.group("who2")
        if words:
            found.append(ClaimantMention(m.start(), m.end(), words, clean_claimant(words)))
    for m in vocab.according.finditer(text):
        if any(f.start <= m.start() < f.end for f in found):
            continue
        words = m.group("who")
        found.append(ClaimantMention(m.start("who"), m.end("who"), words, clean_claimant(words)))
    for m in vocab.saying.finditer(text):
        words = _subject_before(text, m.start(), vocab)
        if words:
            start = text.rfind(words, 0, m.start())
            if any(f.start <= start < f.end for f in found):
                continue
            found.append(ClaimantMention(start, start + len(words), words, clean_claimant(words)))
    found.sort(key=lambda f: f.start)
    return [
        ClaimantMention(f.start, f.end, f.words.replace(_MASKED_DOT, "."), f.label)
        if _MASKED_DOT in f.words
        else f
        for f in found
        if f.label
    ]


_WORD = re.compile(r"[\w'’.\u2024\-]+$")
_ACRONYM_BEFORE = re.compile(r"(?<=\s)\([A-Z][A-Za-z]{1,9}\)\s*$")


def _subject_before(text: str, verb_start: int, vocab: _Vocabulary) -> str:
    """The noun phrase right before a verb of saying: capitalised names or claimant nouns."""
    words: list[str] = []
    cursor = verb_start
    while True:  # "Rotmistrov later claimed": the adverb stands between speaker and verb
        m = _WORD.search(text[:cursor].rstrip())
        if not m or m.group(0).lower() not in vocab.adverbs or cursor - m.end() > 2:
            break
        cursor = m.start()
    acronym = _ACRONYM_BEFORE.search(text[:cursor])
    if acronym:  # "The Syrian Observatory for Human Rights (SOHR) reported"
        cursor = acronym.start()
    subject_end = cursor
    while len(words) < 7:
        head = text[:cursor].rstrip()
        if len(head) == cursor or not head:
            break
        m = _WORD.search(head)
        if not m:
            break
        word = m.group(0)
        lower = word.lower().rstrip(".")
        candidate = " ".join([lower, *(w.lower() for w in words)])
        is_noun = any(
            candidate == n or lower == n.split()[-1] or lower in n.split() for n in vocab.nouns
        )
        if word[:1].isupper() or is_noun or (words and lower in ("of", "for", "al-", "'s")):
            words.insert(0, word)
            cursor = m.start()
            continue
        if words and lower in ("the", "a", "an", "its", "their", "his", "her"):
            words.insert(0, word)
            cursor = m.start()
        break
    while words and words[0].lower() in ("of", "for", "and"):
        words.pop(0)
    phrase = " ".join(words)
    if not phrase or phrase.lower() in ("it", "he", "she", "they", "the", "a"):
        return ""
    # a capitalised first word of the sentence alone is not a claimant ("Officials said")
    return phrase if text[:subject_end].rstrip().endswith(phrase) else ""


_PLACE = re.compile(
    r"(?<![\w'’-])(?:in|at|on|over|targeting|near|around|outside|inside|into|across|towards?|from|"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+of|"
    r"on the outskirts of|"
    r"in the (?:[a-z]+ )?(?:city|town|village|province|region|district|governorate) of)"
    r"\s+(?P<place>(?:the\s+)?(?:[A-Z][\w'’\-]+|(?:al|as|ad|ar|el|an|at|az)-[A-Z][\w'’\-]+)"
    r"(?:\s+(?:(?:al|as|ad|el)-)?[A-Z][\w'’\-]+|\s+(?:of|al|de|del|la|le)\s+[A-Z][\w'’\-]+)*)"
)


@cache
def _not_places() -> frozenset[str]:
    months = set(load_data("dates.toml")["months"])
    return frozenset(
        months
        | set(_vocabulary().demonyms)
        | {
            "the",
            "a",
            "an",
            "this",
            "that",
            "these",
            "those",
            "his",
            "her",
            "their",
            "its",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        }
    )


@lru_cache(maxsize=8192)
def _names_outlet(name: str) -> bool:
    return SourceRegistry.default().names_outlet(name)


def find_places(text: str) -> list[tuple[int, int, str]]:
    """Place names after a locative preposition ("in Aleppo", "near Khan Tuman")."""
    out: list[tuple[int, int, str]] = []
    stop = _not_places()
    for m in _PLACE.finditer(text):
        place = re.sub(r"^the\s+", "", m.group("place"))
        first = place.split()[0].lower().split("-")[0]
        if first in stop or place.lower() in stop or (place.isupper() and len(place) <= 4):
            continue
        if _names_outlet(place):
            continue
        out.append((m.start("place"), m.end("place"), place))
    return out


_CLAUSE_BREAK = re.compile(
    r";|,\s*(?:while|whereas|but|although|though|and)\s|\s(?:while|whereas)\s"
)
# Breaks that turn to another speaker; ", and" only adds to what was said before it.
_CONTRAST_BREAK = re.compile(r";|,\s*(?:while|whereas|but|although|though)\s|\s(?:while|whereas)\s")


def _clause(text: str, pos: int, breaks: re.Pattern[str] = _CLAUSE_BREAK) -> tuple[int, int]:
    """The clause of a sentence holding position `pos` ("..., while the army put ...")."""
    start, end = 0, len(text)
    for m in breaks.finditer(text):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end


def nearest_claimant(
    mentions: list[ClaimantMention], q: Quantity, limit: int, text: str = ""
) -> str:
    """The claimant named closest to a figure in its clause, before the next figure.

    A speaker named before the figure also speaks for the clauses it adds with ", and"
    ("the ministry said 2,329 were killed, and 9,042 wounded"); one named after it does not.
    """
    c_end = _clause(text, q.start)[1] if text else limit
    said_from = _clause(text, q.start, _CONTRAST_BREAK)[0] if text else 0
    best: tuple[int, str] | None = None
    for m in mentions:
        if m.start >= q.end and m.start > limit:
            continue
        if any(ch.isdigit() for ch in m.label):
            continue  # "according to page 12 of the report" names no claimant
        if m.start >= c_end or m.end <= said_from:
            continue
        if m.start >= q.end:
            distance = m.start - q.end
        elif m.end <= q.start:
            distance = q.start - m.end + 1
        else:
            distance = 0
        if best is None or distance < best[0]:
            best = (distance, m.label)
    return best[1] if best else ""


def trailing_claimant(
    mentions: list[ClaimantMention], q: Quantity, ref_positions: list[int], line: str
) -> str:
    """A bracketed claimant closing a run of figures ("136 killed, 270 wounded (Ukrainian
    claim)") names the claimant of each figure of the run: those after the last citation."""
    for m in mentions:
        if m.start < q.end or not line.startswith("(", m.start):
            continue
        if any(q.end <= pos <= m.start for pos in ref_positions):
            return ""
        return m.label
    return ""
