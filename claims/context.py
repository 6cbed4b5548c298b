"""Who asserts a figure and where it happened, as the text around it tells.

A claimant is whoever the words name as asserting the figure: "(Russian claim)", "state media
reported", "the army says", "according to the Syrian Observatory", "(self-reported)". It is
kept apart from the outlet that published the figure; when the claimant is itself a known
outlet, the figure is relayed from it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
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
    noun_words: frozenset[str]  # every word of a claimant noun ("state", "media", "army")
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
    claimant = lowered_set(data["claimant_nouns"])
    return _Vocabulary(
        demonyms=demonyms,
        nouns=claimant,
        noun_words=frozenset(word for noun in claimant for word in noun.split()),
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


class ClaimantMentions(list[ClaimantMention]):
    """The claimants of one text in reading order, indexed once by position for the figures
    of that text (a sentence of a thousand figures asks it a thousand times)."""

    _index: _MentionIndex | None = None

    def index(self) -> _MentionIndex:
        if self._index is None:
            self._index = _MentionIndex(self)
        return self._index


class _MentionIndex:
    """The mentions that can name a claimant (no digits: "according to page 12"), by start."""

    def __init__(self, mentions: Sequence[ClaimantMention]) -> None:
        usable = [m for m in mentions if not any(ch.isdigit() for ch in m.label)]
        self.mentions = sorted(usable, key=lambda m: m.start)
        self.starts = [m.start for m in self.mentions]
        self.longest = max((m.end - m.start for m in self.mentions), default=0)
        self.all = sorted(mentions, key=lambda m: m.start)
        self._bracketed: tuple[str, list[int], list[ClaimantMention]] | None = None

    def bracketed_after(self, line: str, pos: int) -> ClaimantMention | None:
        """The first mention written in brackets in `line` that starts at or after `pos`."""
        if self._bracketed is None or self._bracketed[0] is not line:
            inside = [m for m in self.all if line.startswith("(", m.start)]
            self._bracketed = (line, [m.start for m in inside], inside)
        _, starts, inside = self._bracketed
        k = bisect.bisect_left(starts, pos)
        return inside[k] if k < len(inside) else None


def _index_of(mentions: Sequence[ClaimantMention]) -> _MentionIndex:
    if isinstance(mentions, ClaimantMentions):
        return mentions.index()
    return _MentionIndex(mentions)


class _Covered:
    """A union of half-open spans, asked whether it covers a position (each step O(log n))."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, start: int, end: int) -> None:
        if start >= end:
            return
        i = bisect.bisect_left(self.ends, start)  # the first span touching or after `start`
        j = bisect.bisect_right(self.starts, end)  # past the last span touching `end`
        if i < j:
            start, end = min(start, self.starts[i]), max(end, self.ends[j - 1])
        self.starts[i:j] = [start]
        self.ends[i:j] = [end]

    def covers(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]


def find_claimants(text: str) -> ClaimantMentions:
    """Claimants named in a sentence, figure or headline, in reading order."""
    vocab = _vocabulary()
    text = _mask_acronyms(text)
    found: list[ClaimantMention] = []
    covered = _Covered()
    for m in vocab.self_reported.finditer(text):
        found.append(ClaimantMention(m.start(), m.end(), m.group(0), SELF_REPORTED))
    for m in vocab.parenthetical.finditer(text):
        words = m.group("who") or m.group("who2")
        if words:
            found.append(ClaimantMention(m.start(), m.end(), words, clean_claimant(words)))
    for f in found:
        covered.add(f.start, f.end)
    for m in vocab.according.finditer(text):
        if covered.covers(m.start()):
            continue
        words = m.group("who")
        found.append(ClaimantMention(m.start("who"), m.end("who"), words, clean_claimant(words)))
        covered.add(m.start("who"), m.end("who"))
    for m in vocab.saying.finditer(text):
        words = _subject_before(text, m.start(), vocab)
        if words:
            start = text.rfind(words, 0, m.start())
            if covered.covers(start):
                continue
            found.append(ClaimantMention(start, start + len(words), words, clean_claimant(words)))
            covered.add(start, start + len(words))
    found.sort(key=lambda f: f.start)
    return ClaimantMentions(
        ClaimantMention(f.start, f.end, f.words.replace(_MASKED_DOT, "."), f.label)
        if _MASKED_DOT in f.words
        else f
        for f in found
        if f.label
    )


_ACRONYM_BEFORE = re.compile(r"(?<=\s)\([A-Z][A-Za-z]{1,9}\)\s*$")
_WORD_MARKS = frozenset("_'’.\u2024-")  # besides letters and digits, in a word of a name


def _word_before(text: str, end: int) -> tuple[int, int, bool]:
    """The word (letters, digits, apostrophes, dots, hyphens) that ends where the text before
    `end` ends once trailing spaces are dropped: (start, end, whether spaces were dropped);
    start == end when no such word ends there. Read backwards, so a long word costs its length
    once, not once per letter."""
    stop = end
    while stop > 0 and text[stop - 1].isspace():
        stop -= 1
    start = stop
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in _WORD_MARKS):
        start -= 1
    return start, stop, stop < end


def _subject_before(text: str, verb_start: int, vocab: _Vocabulary) -> str:
    """The noun phrase right before a verb of saying: capitalised names or claimant nouns."""
    words: list[str] = []
    cursor = verb_start
    while True:  # "Rotmistrov later claimed": the adverb stands between speaker and verb
        w_start, w_end, _ = _word_before(text, cursor)
        word = text[w_start:w_end]
        if w_start == w_end or word.lower() not in vocab.adverbs or cursor - w_end > 2:
            break
        cursor = w_start
    # "(SOHR)" ends the text before the cursor: look at its last characters only
    window = max(0, _word_before(text, cursor)[1] - 14)
    acronym = _ACRONYM_BEFORE.search(text, window, cursor)
    if acronym and acronym.start() > window:  # "The Syrian Observatory (SOHR) reported"
        cursor = acronym.start()
    subject_end = cursor
    while len(words) < 7:
        w_start, w_end, spaced = _word_before(text, cursor)
        if not spaced or w_end == 0 or w_start == w_end:
            break
        word = text[w_start:w_end]
        lower = word.lower().rstrip(".")
        candidate = " ".join([lower, *(w.lower() for w in words)])
        is_noun = candidate in vocab.nouns or lower in vocab.noun_words
        if word[:1].isupper() or is_noun or (words and lower in ("of", "for", "al-", "'s")):
            words.insert(0, word)
            cursor = w_start
            continue
        if words and lower in ("the", "a", "an", "its", "their", "his", "her"):
            words.insert(0, word)
            cursor = w_start
        break
    while words and words[0].lower() in ("of", "for", "and"):
        words.pop(0)
    phrase = " ".join(words)
    if not phrase or phrase.lower() in ("it", "he", "she", "they", "the", "a"):
        return ""
    # a capitalised first word of the sentence alone is not a claimant ("Officials said")
    _, head_end, _ = _word_before(text, subject_end)
    written = head_end >= len(phrase) and text.startswith(phrase, head_end - len(phrase))
    return phrase if written else ""


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


def nearest_place(places: Sequence[tuple[int, int, str]], pos: int, default: str = "") -> str:
    """The name of the place written nearest to `pos` (`places` in reading order, as
    `find_places` gives them), else `default`."""
    if not places:
        return default
    k = bisect.bisect_left(places, pos, key=lambda p: p[0])
    near = [i for i in (k - 1, k) if 0 <= i < len(places)]
    return places[min(near, key=lambda i: abs(places[i][0] - pos))][2]


@cache
def _modifier_nouns() -> frozenset[str]:
    """Nouns a capitalised word before them describes ("the Christmas market")."""
    words = load_data("attribution.toml").get("place_names", {}).get("modifier_nouns", [])
    return frozenset(str(w).lower() for w in words)


_NEXT_WORD = re.compile(r"[ \t]+([a-z]+)")


def find_places(text: str) -> list[tuple[int, int, str]]:
    """Place names after a locative preposition ("in Aleppo", "near Khan Tuman"); not a
    capitalised word after "the" describing the noun after it ("at the Christmas market",
    where "in Aleppo market" is still Aleppo)."""
    out: list[tuple[int, int, str]] = []
    stop = _not_places()
    for m in _PLACE.finditer(text):
        place = re.sub(r"^the\s+", "", m.group("place"))
        first = place.split()[0].lower().split("-")[0]
        if first in stop or place.lower() in stop or (place.isupper() and len(place) <= 4):
            continue
        after = _NEXT_WORD.match(text, m.end("place"))
        described = m.group("place").startswith("the") and place != m.group("place")
        if described and after and after.group(1) in _modifier_nouns():
            continue  # "the Christmas market": "the" is the market's, the name describes it
        if _names_outlet(place):
            continue
        out.append((m.start("place"), m.end("place"), place))
    return out


_CLAUSE_BREAK = re.compile(
    r";|,\s*(?:while|whereas|but|although|though|and)\s|\s(?:while|whereas)\s"
)
# Breaks that turn to another speaker; ", and" only adds to what was said before it.
_CONTRAST_BREAK = re.compile(r";|,\s*(?:while|whereas|but|although|though)\s|\s(?:while|whereas)\s")


@lru_cache(maxsize=64)
def _breaks(text: str, breaks: re.Pattern[str]) -> tuple[list[int], list[int]]:
    """Starts and ends of the clause breaks of a text, found once for all its figures."""
    found = [(m.start(), m.end()) for m in breaks.finditer(text)]
    return [start for start, _ in found], [end for _, end in found]


def _clause(text: str, pos: int, breaks: re.Pattern[str] = _CLAUSE_BREAK) -> tuple[int, int]:
    """The clause of a sentence holding position `pos` ("..., while the army put ...")."""
    starts, ends = _breaks(text, breaks)
    i = bisect.bisect_right(ends, pos) - 1  # the last break ending at or before `pos`
    j = bisect.bisect_left(starts, pos)  # the first break starting at or after it
    return (ends[i] if i >= 0 else 0), (starts[j] if j < len(starts) else len(text))


def nearest_claimant(
    mentions: Sequence[ClaimantMention], q: Quantity, limit: int, text: str = ""
) -> str:
    """The claimant named closest to a figure in its clause, before the next figure.

    A speaker named before the figure also speaks for the clauses it adds with ", and"
    ("the ministry said 2,329 were killed, and 9,042 wounded"); one named after it does not.
    Mentions that end before the figure are looked for backwards from it, the first one after
    it forwards, so a text of many claimants and figures costs each figure only its neighbours.
    """
    if not mentions:
        return ""  # nothing to look for: the clause need not be found
    c_end = _clause(text, q.start)[1] if text else limit
    said_from = _clause(text, q.start, _CONTRAST_BREAK)[0] if text else 0
    index = _index_of(mentions)
    found = index.mentions
    split = bisect.bisect_left(index.starts, q.end)  # found[split:] start after the figure
    best: tuple[int, int, str] | None = None  # (distance, reading order, label)
    # before the figure (or around it): the latest end wins; ties go to the earlier mention
    for k in range(split - 1, -1, -1):
        m = found[k]
        if m.start + index.longest <= max(said_from, q.start - best[0] if best else said_from):
            break  # no earlier mention can end after `said_from` or nearer the figure
        if m.start >= c_end or m.end <= said_from:
            continue
        distance = q.start - m.end + 1 if m.end <= q.start else 0
        if best is None or (distance, k) <= best[:2]:
            best = (distance, k, m.label)
    # after the figure: the first mention, when within the clause and before the next figure
    if split < len(found):
        m = found[split]
        if m.start <= limit and m.start < c_end and m.end > said_from:
            distance = m.start - q.end
            if best is None or distance < best[0]:
                best = (distance, split, m.label)
    return best[2] if best else ""


def trailing_claimant(
    mentions: Sequence[ClaimantMention], q: Quantity, ref_positions: list[int], line: str
) -> str:
    """A bracketed claimant closing a run of figures ("136 killed, 270 wounded (Ukrainian
    claim)") names the claimant of each figure of the run: those after the last citation."""
    m = _index_of(mentions).bracketed_after(line, q.end)
    if m is None or any(q.end <= pos <= m.start for pos in ref_positions):
        return ""
    return m.label
