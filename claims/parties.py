"""The parties an article names, each under one canonical name, with the infobox side it is on.

One `PartyRegistry` is built per article, before any claim, from everything that names a party:

- the infobox combatant columns: each line of a column is its own party (its wiki links, their
  text, its flags: `{{flag}}`, `{{flagicon}}`, `{{flagcountry}}`, `{{flagdeco}}`, and the force
  of `{{army|X}}` or `{{flag|X|army}}`); a column of several parties whose first line names
  none of them by flag ("Allied powers"), or whose other items are nested under the first, is a
  coalition headed by that label; parties under a "Supported by:" heading support the column's
  party; a side's `units` field names more parties of that side;
- the subject of a faction infobox (`{{Infobox militant organization}}`, `{{Infobox country}}`);
- names the article defines: "the Syrian Democratic Forces (SDF)", "Hay'at Tahrir al-Sham (HTS)";
- the initials of a name of three words or more ("Rapid Support Forces" -> "RSF");
- `data/parties.toml`: other names of known parties (ISIL, ISIS and Daesh are the Islamic State),
  nationality words over `data/demonyms.toml` ("Bavarians" -> Bavaria), flag codes ("UK").

`resolve` then reads the words that name a figure's party as written ("SDF fighters", "the
Kurdish-led SDF", "12,000 Bavarians", "Ukrainian soldiers") into the canonical `Party`, or None
for a generic noun ("soldiers", "people", "civilians") or an unknown name. A name in two columns
is one party with side "" (the infobox does not say whose it is).

How extraction uses it (the order of evidence for a figure's party):

1. A party named on the figure's own words (a name, an alias, initials, a demonym) outranks
   everything else: `resolve(words)`.
2. Else the flag of its infobox line: `resolve("", flags)` ("{{flagicon|Portugal}} 40,000").
3. Else, for an infobox line, its column: `column_party(side)`, the column's one party, or the
   coalition a coalition column is headed by; a generic noun ("soldiers") keeps that party.
   `attribute(words, flags, side)` applies 1-3 in this order.
4. Which words name the party depends on the measure: for people the counted population
   ("civilians") or the force they belong to; for losses and strength the force; for captured
   places the captor; for lost equipment the loser; for the displaced the displaced, never the
   cause ("thousands flee the militia" names no party); an organisation's own strength in its own
   faction infobox is the organisation (`subject`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from mwparserfromhell.nodes import Tag, Template, Wikilink
from mwparserfromhell.wikicode import Wikicode
from rapidfuzz import fuzz

from claims.context import country_names, country_of
from claims.knowledge import load_data
from claims.parse import render, rules, template_name, walk

PARTY_KINDS = ("force", "country", "organisation", "people", "coalition")

FUZZY_THRESHOLD = 90  # a near-miss of a known name, as rapidfuzz's ratio, to count as it
FUZZY_CANDIDATES = 64  # names scored at most per resolved phrase
MIN_FUZZY_LENGTH = 6  # shorter phrases are never matched loosely ("SDA" is not "SDF")
MAX_NAME_WORDS = 10  # longer runs of words are sentences, not names
_MAX_LINE_WORDS = 8  # a combatant line longer than this is a note, not a name
_MAX_LINK_WORDS = 4  # a link's text longer than this is a phrase, not a force's name

# Ranks of the sources of a canonical name: the fullest, most deliberate name wins.
_RANK_TEXT = 1  # a line's plain text, a flag's country
_RANK_DATA = 2  # a canonical name of data/parties.toml
_RANK_LINK = 3  # a wiki link (the fuller of target and text), a name the prose defines, the subject


@dataclass(frozen=True, slots=True)
class Party:
    """A party of the article: its canonical name, its infobox column and what it is.

    `side` is the combatant column ("1", "2"...) that names it, "" when none or several do;
    `kind` is one of `PARTY_KINDS`: "force", "country", "organisation", "people" or "coalition"
    (a column's label).
    """

    name: str
    side: str
    kind: str


# -- knowledge -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    aliases: dict[str, tuple[str, ...]]  # canonical -> other names, as written
    kinds: dict[str, str]  # canonical -> kind
    demonyms: dict[str, str]  # nationality word -> country, beyond data/demonyms.toml
    flag_codes: dict[str, str]  # lower-cased code -> country
    countries: dict[str, str]  # normalised country name -> as written
    generic: frozenset[str]  # words that name no party by themselves
    link_suffixes: tuple[str, ...]
    link_prefixes: tuple[str, ...]
    headings: frozenset[str]
    coalition_words: frozenset[str]
    coalition_names: dict[str, tuple[str, ...]]  # "allies" -> ("Allies", "Allied")
    force_words: frozenset[str]
    force_nouns: frozenset[str]
    state_words: frozenset[str]
    peoples: frozenset[str]  # normalised
    multiword: frozenset[str]  # nationality words of several words ("north korean")
    adjectives: dict[str, str]  # normalised country -> its nationality word ("russia" -> "Russian")
    force_templates: dict[str, str]  # {{army|X}} -> "Army"
    force_variants: dict[str, str]  # {{flagicon|X|army}} -> "Army"
    commander_titles: frozenset[str]  # words of a commander's name that are not the name
    adjective_endings: tuple[str, ...]  # "Pompeian" -> "Pompe"
    min_stem: int
    country_names: dict[str, str]  # normalised name of a country's state -> its common name
    country_written: dict[str, str]  # normalised name of a country's state -> as written
    coalitions: dict[str, frozenset[str]]  # coalition -> its members' normalised common names


@cache
def _vocabulary() -> _Vocabulary:
    data = load_data("parties.toml")
    generic_data = data.get("generic", {})
    generic = {str(w).lower() for w in generic_data.get("words", [])}
    for label, words in load_data("topics.toml").get("parties", {}).items():
        generic.add(label.lower())
        for phrase in words:
            generic.update(str(phrase).lower().split())
    demonyms = {k.lower(): str(v) for k, v in data.get("demonyms", {}).items()}
    codes = {k.lower(): str(v) for k, v in data.get("flag_codes", {}).items()}
    countries = {_norm(c): c for c in country_names()}
    for country in [*demonyms.values(), *codes.values()]:
        countries.setdefault(_norm(country), country)
    columns = data.get("columns", {})
    forces = data.get("forces", {})
    commanders = data.get("commanders", {})
    return _Vocabulary(
        aliases={k: tuple(str(v) for v in vs) for k, vs in data.get("aliases", {}).items()},
        kinds={_norm(k): str(v) for k, v in data.get("kinds", {}).items()},
        demonyms=demonyms,
        flag_codes=codes,
        countries=countries,
        generic=frozenset(generic),
        link_suffixes=tuple(generic_data.get("link_suffixes", [])),
        link_prefixes=tuple(generic_data.get("link_prefixes", [])),
        headings=frozenset(_norm(h) for h in columns.get("headings", [])),
        coalition_words=frozenset(w.lower() for w in columns.get("coalition_words", [])),
        coalition_names={
            k.lower(): tuple(v) for k, v in columns.get("coalition_names", {}).items()
        },
        force_words=frozenset(w.lower() for w in data.get("prose", {}).get("force_words", [])),
        force_nouns=frozenset(w.lower() for w in data.get("kinds_by_word", {}).get("force", [])),
        state_words=frozenset(w.lower() for w in data.get("kinds_by_word", {}).get("country", [])),
        peoples=frozenset(_norm(p) for p in data.get("peoples", {}).get("names", [])),
        adjectives=_adjectives(demonyms),
        force_templates={k.lower(): v for k, v in forces.get("templates", {}).items()},
        force_variants={k.lower(): v for k, v in forces.get("variants", {}).items()},
        multiword=frozenset(
            k.lower() for k in load_data("demonyms.toml").get("demonyms", {}) if " " in k
        ),
        commander_titles=frozenset(w.lower() for w in commanders.get("titles", [])),
        adjective_endings=tuple(
            sorted(commanders.get("adjective_endings", []), key=len, reverse=True)
        ),
        min_stem=int(commanders.get("min_stem", 4)),
        country_names={
            _norm(name): str(common)
            for common, names in data.get("country_names", {}).items()
            for name in (common, *names)
        },
        country_written={
            _norm(name): str(name)
            for common, names in data.get("country_names", {}).items()
            for name in (common, *names)
        },
        coalitions={
            str(name): frozenset(_norm(m) for m in members)
            for name, members in data.get("coalitions", {}).items()
        },
    )


def _adjectives(extra: Mapping[str, str]) -> dict[str, str]:
    """Each country's first nationality word, capitalised ("russia" -> "Russian")."""
    shared = load_data("demonyms.toml").get("demonyms", {})
    out: dict[str, str] = {}
    for word, country in [*shared.items(), *extra.items()]:
        if word.isalpha() or " " in word or "-" in word:
            out.setdefault(_norm(str(country)), " ".join(w.capitalize() for w in word.split()))
    return out


_DOTTED = re.compile(r"(?<![\w.])(?:[A-Za-z]\.){2,}(?!\w)")  # "U.S.", "U.K."
_PUNCTUATION = re.compile(r"[\"“”„()\[\]{},;:!?/|*•·]")
_POSSESSIVE = re.compile(r"'s?$")


def _norm(words: str) -> str:
    """A name as it is looked up: lower case, plain apostrophes and dashes, no dotted acronyms,
    no article or possessive ("The SDF's" -> "sdf", "U.S." -> "us")."""
    return " ".join(token for token, _ in _tokens(words))


@lru_cache(maxsize=1 << 16)
def _tokens(words: str) -> tuple[tuple[str, str], ...]:
    """The words of a phrase as (looked-up form, as written), normalised as `_norm` says."""
    text = words.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), text)
    text = _PUNCTUATION.sub(" ", text)
    out: list[tuple[str, str]] = []
    for raw in text.split():
        written = _POSSESSIVE.sub("", raw.strip(".'-"))
        if written:
            out.append((written.lower(), written))
    if out and out[0][0] in ("the", "a", "an") and len(out) > 1:
        out = out[1:]
    return tuple(out)


def _expand_flag(code: str) -> str:
    """The country a flag template's first parameter stands for ("UK" -> "United Kingdom")."""
    code = " ".join(code.split())
    return _vocabulary().flag_codes.get(code.lower(), code)


@lru_cache(maxsize=1 << 16)
def _country_of_word(word: str) -> str:
    """The country a nationality word stands for, singular or plural ("Bavarians" -> Bavaria,
    "Frenchmen" -> France, "Portuguese" -> Portugal), or ""."""
    vocab = _vocabulary()
    lower = word.lower()
    if lower.endswith(vocab.link_suffixes) or lower.startswith(vocab.link_prefixes):
        return ""  # "Russian-backed" names the backer, not the counted
    for stem in _stems(lower):
        country = vocab.demonyms.get(stem) or country_of(stem)
        if country:
            return country
    return ""


def _stems(lower: str) -> Iterable[str]:
    yield lower
    if lower.endswith("men"):
        yield lower[:-3]  # "frenchmen", "englishmen"
        yield lower[:-3] + "man"
    if lower.endswith("es"):
        yield lower[:-2]
    if lower.endswith("s"):
        yield lower[:-1]


@lru_cache(maxsize=1 << 16)
def _initials(name: str) -> str:
    """The acronym of a name of three words or more ("rapid support forces" -> "rsf")."""
    small = {"of", "the", "and", "for", "in", "de", "al", "el"}
    words = [w for w in re.split(r"[\s-]+", _norm(name)) if w and w not in small]
    if len(words) < 3 or not all(w[0].isalpha() for w in words):
        return ""
    return "".join(w[0] for w in words)


def _is_generic(name: str, nationality: bool = False) -> bool:
    """Whether a phrase is made only of words that name no one ("government forces"); with
    `nationality`, also of nationality words with them ("Ukrainian forces": whose forces they
    are, the article decides)."""
    vocab = _vocabulary()
    tokens = [t for t, _ in _tokens(name)]
    return all(t in vocab.generic or (nationality and _country_of_word(t)) for t in tokens)


def _kind_of(name: str, default: str = "organisation") -> str:
    """What a party is, by its name: a people, a country or a state ("Kingdom of Portugal",
    "County of Flanders"), a force ("... Army", "... Brigade"), else `default`."""
    vocab = _vocabulary()
    key = _norm(name)
    if key in vocab.peoples:
        return "people"
    if key in vocab.countries:
        return "country"
    if key in vocab.kinds:
        return vocab.kinds[key]
    words = set(key.replace("-", " ").split())
    if words & vocab.force_nouns:
        return "force"
    if words & vocab.state_words:
        return "country"
    return default


# -- the registry ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Entry:
    """A party while the registry is built: every name it goes by, and where it was named."""

    name: str
    rank: int
    kind: str
    sides: set[str] = field(default_factory=set)
    aliases: dict[str, str] = field(default_factory=dict)  # normalised -> as written
    weak: dict[str, str] = field(default_factory=dict)  # derived names: initials
    countries: set[str] = field(default_factory=set)  # normalised countries it is the party of
    flags: set[str] = field(default_factory=set)  # countries flagged on its line, unrelated
    known: set[str] = field(default_factory=set)  # names data/parties.toml gives it
    formation: bool = False  # a formation of a units field ("Eighth Army", "69th Brigade")
    party: Party | None = None

    @property
    def key(self) -> str:
        return _norm(self.name)


@dataclass(slots=True)
class _Line:
    """A line of a combatant column as read: its text, flags, links and armed services."""

    text: str
    flags: list[str]
    links: list[tuple[str, str]]  # (target, text)
    bold: bool
    forces: list[tuple[str, str]] = field(default_factory=list)  # (flag, service) of {{army|X}}


class PartyRegistry:
    """The parties of one article and every name each goes by; see the module's docstring."""

    def __init__(self) -> None:
        self._entries: list[_Entry] = []
        self._index: dict[str, set[int]] = {}  # normalised name -> entries
        self._acronyms: set[str] = set()  # names that count only when written with a capital
        self._by_country: dict[str, set[int]] = {}
        self._by_flag: dict[str, set[int]] = {}
        self._buckets: dict[str, list[tuple[str, int]]] = {}  # first/last word, initials
        self._columns: dict[str, list[int]] = {}  # side -> its parties, in column order
        self._supporters: set[int] = set()  # parties listed under a column's heading
        self._labels: dict[str, int] = {}  # side -> its coalition label
        self._subject: int | None = None
        self._commanders: list[tuple[str, frozenset[str]]] = []  # (side, a name's words)
        self._words: dict[str, set[int]] = {}  # a word of a party's names -> parties
        self._longest = 1
        self._cache: dict[tuple[str, tuple[str, ...]], Party | None] = {}
        self.fuzzy_scored = 0  # names scored loosely so far (a measure of the work done)

    # -- building --------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        columns: Mapping[str, Wikicode],
        prose: str = "",
        subject: str = "",
        subject_kind: str = "",
        units: Mapping[str, Wikicode] | None = None,
        commanders: Mapping[str, Wikicode] | None = None,
        links: Iterable[tuple[str, str]] = (),
    ) -> PartyRegistry:
        """The registry of an article.

        `columns` maps a side number to its combatant column's wikicode; `prose` is the
        article's plain text, for the names it defines; `subject` is the article's own
        organisation or country when its infobox is a faction infobox (`subject_kind`
        "organisation", "country", "force"); `units` maps a side number to its units field
        (`units1`), whose lines are forces of that side too, heading no column; `commanders`
        maps a side number to its commanders field (`commander1`), whose people's forces are
        that side's (`commanded_by`); `links` are the article's wiki links as (target, text),
        whose text names a force of the party its target names (`_learn_links`).
        """
        registry = cls()
        for side, code in columns.items():
            registry._read_column(str(side), code)
        for side, code in (commanders or {}).items():
            registry._read_commanders(str(side), code)
        for side, code in (units or {}).items():
            registry._read_units(str(side), code)
        if subject.strip():
            entry = registry._add(subject.strip(), _RANK_LINK, subject_kind or _kind_of(subject))
            registry._subject = len(registry._entries) - 1
            entry.countries.update(_countries_named(entry.name))
        if prose:
            registry._read_definitions(prose)
            registry._infer_coalitions(prose)
        registry._merge()
        registry._add_known_names()
        registry._build_index()
        if links and registry._learn_links(links):
            registry._rebuild_index()
        return registry

    def _learn_links(self, links: Iterable[tuple[str, str]]) -> bool:
        """Names the article's links give a party's forces: the text of a link to a force of
        the article's party ("[[United States Marine Corps|Marines]]" -> the United States,
        "[[1st Marine Regiment (United States)|1st Marine Regiment]]"). The target must name
        a party of the article and a force (a word of `kinds_by_word.force`); the text must be
        a capitalised name no party already goes by, of a few words. True when one was learned.
        """
        forces = _vocabulary().force_nouns
        learned = False
        seen: set[tuple[str, str]] = set()
        for target, text in links:
            if (target, text) in seen:
                continue
            seen.add((target, text))
            key = _norm(text)
            if not key or key == _norm(target) or key in self._index or not text[:1].isupper():
                continue
            if len(key.split()) > _MAX_LINK_WORDS:
                continue
            words = set(_norm(f"{target} {text}").replace("-", " ").split())
            if not words & forces:
                continue  # "[[Prime Minister of Japan|Prime Minister]]" names no force
            party = self.resolve(target)
            entries = enumerate(self._entries)
            # the party's own entry, not a formation that counts for it
            ids = [i for i, e in entries if party and e.party is party and e.name == party.name]
            if len(ids) != 1:
                continue  # a country of no column, or none: the text stays unknown
            entry = self._entries[ids[0]]
            entry.aliases.setdefault(key, text)
            entry.known.add(key)  # "Marines" of that link is a name, though a generic word
            learned = True
        return learned

    def _rebuild_index(self) -> None:
        self._index.clear()
        self._acronyms.clear()
        self._by_country.clear()
        self._by_flag.clear()
        self._buckets.clear()
        self._words.clear()
        self._cache.clear()
        self._longest = 1
        self._build_index()

    def _add(self, name: str, rank: int, kind: str, side: str = "") -> _Entry:
        entry = _Entry(name=name, rank=rank, kind=kind)
        entry.aliases[_norm(name)] = name
        if side:
            entry.sides.add(side)
        self._entries.append(entry)
        return entry

    def _read_column(self, side: str, code: Wikicode) -> None:
        """Each line of a combatant column is a party; a coalition's first line is its label."""
        vocab = _vocabulary()
        found: list[tuple[int, _Line]] = []  # (first entry of the line, line)
        supporting = False  # under a "Supported by:" heading
        for line in _column_lines(code):
            if _is_heading(line.text, first=not found):
                supporting = supporting or bool(found)
                continue
            first = len(self._entries)
            self._read_line(side, line)
            if supporting:
                self._supporters.update(range(first, len(self._entries)))
            if len(self._entries) > first:
                found.append((first, line))
        order = [i for i in range(len(self._entries)) if side in self._entries[i].sides]
        if len(found) >= 2:
            first, line = found[0]
            others_flagged = all(other.flags for _, other in found[1:])
            words = set(_norm(line.text).split())
            coalition = bool(words & vocab.coalition_words)
            unnamed = not line.links  # a plain label over flagged names, not a linked party
            nested = _nested_under_first(code)
            plain = not line.flags and (line.bold or coalition or (others_flagged and unnamed))
            if plain or nested:
                self._labels[side] = first
                label = self._entries[first]
                label.kind = "coalition"
                for word in words:  # "Western Allies": its members are "Allied", "the Allies"
                    for name in vocab.coalition_names.get(word, ()):
                        label.aliases.setdefault(_norm(name), name)
                        label.known.add(_norm(name))
                order = [i for i in order if i != first]
        self._columns[side] = order

    def _read_units(self, side: str, code: Wikicode) -> None:
        """Each line of a side's units field is a force of that side. A formation, named by a
        word of a force ("[[Eighth Army (United Kingdom)|Eighth Army]]", "69th Brigade"), is
        another name of its column's party when the column has one party or a coalition
        label; an organisation ("[[Hay'at Tahrir al-Sham]]") stays a party of its own."""
        forces = _vocabulary().force_nouns
        for line in _column_lines(code):
            if _is_heading(line.text):
                continue
            first = len(self._entries)
            self._read_line(side, line, unit=True)
            for entry in self._entries[first:]:
                words = set(_norm(entry.name).replace("-", " ").split())
                entry.formation = bool(words & forces)

    def _read_commanders(self, side: str, code: Wikicode) -> None:
        """Each line of a side's commanders field is a person of that side, known by the words
        of the name its link targets and shows and of its text ("[[Philip II of France|Philip
        II, King of France]]" is "Philip")."""
        for line in _column_lines(code):
            names = [name for link in line.links for name in link]
            if _is_name(line.text):
                names.append(line.text)
            words = frozenset(w for name in names for w in _name_words(name))
            if words:
                self._commanders.append((side, words))

    def _read_line(self, side: str, line: _Line, *, unit: bool = False) -> None:
        """The party of one line: its first link, else the armed service its flag draws, else
        its text, known also by the line's other links ("Forces of [[Pompey]], including many
        of the [[Optimates]]"); its flags name their country."""
        named: list[_Entry] = []
        for target, text in line.links:
            if named:
                named[0].aliases.setdefault(_norm(target), target)
                named[0].aliases.setdefault(_norm(text), text)
                continue
            # the fuller of the link's target and its text names the party: "[[Kingdom of
            # Portugal|Portugal]]" is the Kingdom of Portugal, "[[House of Welf|Holy Roman
            # Empire]]" the Holy Roman Empire
            name, other = (text, target) if len(text) > len(target) else (target, text)
            entry = self._add(name, _RANK_LINK, _kind_of(name), side)
            if other and _norm(other) != entry.key:
                entry.aliases[_norm(other)] = other
                # "[[Achaemenid Empire|Persian Empire]]" is Persia's: "Persian bodies" are its
                entry.countries.update(_countries_named(other))
            named.append(entry)
        forces = {} if named else dict(line.forces)
        for code, service in forces.items():  # {{army|Russia}}: the Russian Army, of Russia
            country = _expand_flag(code)
            entry = self._add(_force_name(country, service), _RANK_TEXT, "force", side)
            entry.aliases.setdefault(_norm(f"{country} {service}"), f"{country} {service}")
            entry.countries.add(_norm(country))
            named.append(entry)
        text = line.text
        owner = _POSSESSOR.match(text) if text and not named else None
        if owner is not None:  # "Octavian's Roman and allied supporters": Octavian's side
            entry = self._add(owner.group("who"), _RANK_TEXT, "force", side)
            entry.aliases.setdefault(_norm(text), text)
            named.append(entry)
        elif not named and text and _is_name(text):
            named.append(self._add(text, _RANK_TEXT, _kind_of(text, "force"), side))
        for entry in named:
            entry.countries.update(_countries_named(entry.name))
        for code in line.flags:
            if code in forces:
                continue
            self._read_flag(side, code, named, unit=unit)

    def _read_flag(self, side: str, code: str, named: list[_Entry], *, unit: bool = False) -> None:
        """A flag on a line: another name of the line's party when it is that country's
        ("{{flagicon|Portugal}} [[Kingdom of Portugal|Portugal]]"), a mark on it when not
        ("{{flagicon|Russia}} [[Wagner Group]]"), else the line's party itself. On a line of a
        units field it only marks the unit: "{{flagicon|USA}} [[III Amphibious Corps (United
        States)]]" is a force of the United States, not another name of it."""
        country = _expand_flag(code)
        owner = next((e for e in named if _norm(country) in _countries_named(e.name)), None)
        if unit and named:
            owner = None
        if owner is None:
            owner = next((e for e in named if e.key == _norm(code)), None)
        if owner is not None:
            if owner.rank == _RANK_TEXT and owner.key == _norm(code) and len(country) > len(code):
                owner.name = country  # "{{flag|UK}}" prints "UK": the country is its name
            owner.kind = _kind_of(owner.name, "country")  # "{{flag|Nazi Germany}}"
            owner.aliases.setdefault(_norm(country), country)
            owner.aliases.setdefault(_norm(code), code)
            owner.countries.add(_norm(country))
        elif named:
            for entry in named:
                entry.flags.add(_norm(country))
        else:
            entry = self._add(country, _RANK_TEXT, _kind_of(country, "country"), side)
            entry.aliases.setdefault(_norm(code), code)
            entry.countries.add(_norm(country))

    def _common_country(self, entry: _Entry) -> str:
        """The common name of the one country an entry is ("Nazi Germany" -> "Germany"),
        else ""."""
        vocab = _vocabulary()
        names = {entry.key, *entry.aliases, *entry.countries}
        found = {vocab.country_names.get(n, vocab.countries.get(n, "")) for n in names}
        found.discard("")
        return found.pop() if len(found) == 1 else ""

    def _infer_coalitions(self, prose: str) -> None:
        """The coalition label of a column that lists several countries and no label: the one
        coalition of data/parties.toml [coalitions] all of them belong to, when the article's
        text names it ("Axis forces", "Allied forces")."""
        vocab = _vocabulary()
        for side, order in self._columns.items():
            if side in self._labels:
                continue
            ids = [i for i in order if i not in self._supporters]
            if len(ids) < 2:
                continue
            members = {_norm(self._common_country(self._entries[i])) for i in ids}
            if "" in members:
                continue  # a party that is no known country: the column is no coalition
            fits = [name for name, known in vocab.coalitions.items() if members <= known]
            if len(fits) != 1:
                continue
            name = fits[0]
            forms = (name, *vocab.coalition_names.get(name.lower(), ()))
            if not any(re.search(rf"\b{re.escape(form)}\b", prose) for form in forms):
                continue  # the text never speaks of the coalition: it labels nothing
            label = self._add(name, _RANK_DATA, "coalition", side)
            for form in forms:
                label.aliases.setdefault(_norm(form), form)
                label.known.add(_norm(form))
            self._labels[side] = len(self._entries) - 1

    def _read_definitions(self, prose: str) -> None:
        """Names the text defines with their short form: "the Rapid Support Forces (RSF)"."""
        vocab = _vocabulary()
        known = {e.key for e in self._entries}
        for canonical, others in vocab.aliases.items():
            known.update(_norm(n) for n in (canonical, *others))
        for m in _DEFINITION.finditer(prose):
            long_form = _defined_long_form(m.group("long"), m.group("short"))
            if not long_form:
                continue
            words = set(_norm(long_form).replace("-", " ").split())
            short = m.group("short")
            if not (
                words & vocab.force_words or _norm(long_form) in known or _norm(short) in known
            ):
                continue  # "the Syrian Observatory for Human Rights (SOHR)" is an outlet
            entry = self._add(long_form, _RANK_LINK, _kind_of(long_form))
            entry.aliases[_norm(short)] = short
            entry.countries.update(_countries_named(long_form))

    def _merge(self) -> None:
        """Entries that are one party become one: the same name, or one's name another's alias
        (a flag's "Portugal" and "[[Kingdom of Portugal|Portugal]]"), on a common side or with
        no side. The fullest name, by its source's rank and then length, is the canonical."""
        parent = list(range(len(self._entries)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        by_key: dict[str, list[int]] = {}
        for i, entry in enumerate(self._entries):
            by_key.setdefault(entry.key, []).append(i)
        for ids in by_key.values():  # one name is one party, whichever columns name it
            for i in ids[1:]:
                parent[find(i)] = find(ids[0])
        for i, entry in enumerate(self._entries):
            for alias in entry.aliases:
                for j in by_key.get(alias, ()):
                    other = self._entries[j]
                    if j != i and (entry.sides & other.sides or not entry.sides or not other.sides):
                        parent[find(j)] = find(i)
        groups: dict[int, list[int]] = {}
        for i in range(len(self._entries)):
            groups.setdefault(find(i), []).append(i)
        merged: list[_Entry] = []
        remap: dict[int, int] = {}
        for ids in groups.values():
            best = max(ids, key=lambda i: (self._entries[i].rank, len(self._entries[i].name)))
            head = self._entries[best]
            for i in ids:
                other = self._entries[i]
                remap[i] = len(merged)
                if other is head:
                    continue
                head.sides |= other.sides
                for alias, written in other.aliases.items():
                    head.aliases.setdefault(alias, written)
                head.countries |= other.countries
                head.flags |= other.flags
                head.formation = head.formation and other.formation
                if other.kind == "coalition":  # a label stays the column's label
                    head.kind = other.kind
            merged.append(head)
        self._entries = merged
        self._columns = {
            s: list(dict.fromkeys(remap[i] for i in ids)) for s, ids in self._columns.items()
        }
        self._labels = {s: remap[i] for s, i in self._labels.items()}
        self._supporters = {remap[i] for i in self._supporters}
        if self._subject is not None:
            self._subject = remap[self._subject]

    def _add_known_names(self) -> None:
        """The other names data/parties.toml knows of each party (its canonical name when the
        article gave only a short or printed one: "SDF" -> "Syrian Democratic Forces"), and the
        initials of the names the article gives it."""
        vocab = _vocabulary()
        groups = _known_groups()
        taken = {alias for entry in self._entries for alias in entry.aliases}
        for entry in self._entries:
            common = self._common_country(entry) if entry.kind != "coalition" else ""
            for name, other in vocab.country_names.items():
                # "Nazi Germany" is also "Germany" and "German Reich", unless another party is
                if other == common and name not in taken:
                    entry.aliases.setdefault(name, vocab.country_written[name])
                    entry.known.add(name)
            for acronym in filter(None, map(_initials, entry.aliases)):
                if acronym not in entry.aliases:
                    entry.weak[acronym] = acronym.upper()
            canonicals = {groups[a] for a in entry.aliases if a in groups}
            if len(canonicals) != 1:
                continue  # a name of two known parties says nothing of either
            canonical = canonicals.pop()
            for name in (canonical, *vocab.aliases[canonical]):
                entry.aliases.setdefault(_norm(name), name)
                entry.known.add(_norm(name))
            if entry.rank < _RANK_DATA:
                entry.name, entry.rank = canonical, _RANK_DATA
            entry.kind = vocab.kinds.get(_norm(canonical), entry.kind)

    def _build_index(self) -> None:
        for i, entry in enumerate(self._entries):
            entry.party = Party(
                entry.name, next(iter(entry.sides)) if len(entry.sides) == 1 else "", entry.kind
            )
            names = {**entry.weak, **entry.aliases}
            for alias, written in names.items():
                if not alias or (_is_generic(alias) and alias not in entry.known):
                    continue  # "Rebels" heads its column but names no one in the text
                self._index.setdefault(alias, set()).add(i)
                if _is_acronym(written):
                    self._acronyms.add(alias)
                size = len(alias.split())
                self._longest = max(self._longest, min(size, MAX_NAME_WORDS))
                for bucket in _bucket_keys(alias):
                    self._buckets.setdefault(bucket, []).append((alias, i))
                for word in _nationality_of_name(alias):
                    self._words.setdefault(word, set()).add(i)
            for country in entry.countries:
                self._by_country.setdefault(country, set()).add(i)
            for country in entry.flags:
                self._by_flag.setdefault(country, set()).add(i)
        for entry in self._entries:
            if entry.formation and len(entry.sides) == 1:
                column = self.column_party(next(iter(entry.sides)))
                if column is not None:  # "the Eighth Army suffered ..." counts its column's
                    entry.party = column

    # -- reading ---------------------------------------------------------------------------

    def resolve(self, words: str, flags: Sequence[str] = ()) -> Party | None:
        """The canonical party named by `words` as written ("SDF fighters", "the Kurdish-led
        SDF", "Portuguese troops", "Bavarians", "ISIL"), else by the country of a flag on the
        figure's line; None for a generic noun ("soldiers", "civilians") or an unknown name.

        Each phrase is read once per article (the answer is cached).
        """
        key = (words, tuple(flags))
        if key not in self._cache:
            self._cache[key] = self._resolve(words, flags)
        return self._cache[key]

    def _resolve(self, words: str, flags: Sequence[str]) -> Party | None:
        tokens = _tokens(words)[: MAX_NAME_WORDS * 2]
        found, decided = self._by_name(tokens)
        if decided:
            return found
        country = _country_in(tokens)
        found, decided = self._by_demonym(country)
        if decided:
            return found
        for step in (self._by_near_miss, _by_known_name, self._by_nationality_word):
            found, decided = step(tokens)
            if decided:
                return found
        if country:
            return _global_country(country)
        return self._by_flags(flags)

    def _by_name(self, tokens: Sequence[tuple[str, str]]) -> tuple[Party | None, bool]:
        """The longest run of the words that is a name of the article's parties; two parties
        under one name decide for none."""
        for size in range(min(self._longest, len(tokens)), 0, -1):
            hits: set[int] = set()
            for start in range(len(tokens) - size + 1):
                run = tokens[start : start + size]
                gram = " ".join(t for t, _ in run)
                ids = self._index.get(gram)
                if not ids:
                    continue
                if gram in self._acronyms and all(w.islower() for _, w in run):
                    continue  # "is" is not IS, "saa" written in lower case is not a name
                hits |= ids
            if hits:
                return (self._party(hits), True)
        return None, False

    def _by_demonym(self, country: str) -> tuple[Party | None, bool]:
        """The article's party of the country the words name by a nationality word or by its
        name."""
        if not country:
            return None, False
        ids = self._index.get(_norm(country), set()) | self._by_country.get(_norm(country), set())
        if not ids:
            return None, False
        countries = {i for i in ids if self._entries[i].kind == "country"}
        return self._party(countries or ids), True

    def _by_nationality_word(self, tokens: Sequence[tuple[str, str]]) -> tuple[Party | None, bool]:
        """For words that are a nationality word, alone or before a word of a force ("Persian",
        "Persian troops"), the one party of the article named by that word and words of a
        force or a state ("Persian forces"); undecided when none or several are ("Syrian" is
        not the Syrian Democratic Forces, "Syrian civilians" are no force)."""
        forces = _vocabulary().force_nouns
        ids: set[int] = set()
        for lower, written in tokens:
            if written[:1].isupper() and _country_of_word(lower):
                for stem in _stems(lower):  # "Persians" of "Persian forces"
                    ids |= self._words.get(stem, set())
            elif lower not in forces:
                return None, False
        if len(ids) != 1:
            return None, False
        return self._party(ids), True

    def _by_near_miss(self, tokens: Sequence[tuple[str, str]]) -> tuple[Party | None, bool]:
        """A near-miss of one name of the article's parties ("Syrian Democratic Force"), scored
        only against names sharing a first or last word or the initials; unambiguous only."""
        phrases = _trimmed(tokens)
        if not phrases:
            return None, False
        candidates: dict[str, int] = {}
        for bucket in {b for phrase in phrases for b in _bucket_keys(phrase)}:
            for alias, i in self._buckets.get(bucket, ()):
                if len(candidates) >= FUZZY_CANDIDATES:
                    break
                candidates.setdefault(alias, i)
        hits: set[int] = set()
        for alias, i in candidates.items():
            if len(alias) < MIN_FUZZY_LENGTH:
                continue
            self.fuzzy_scored += 1
            if max(_SCORER(phrase, alias) for phrase in phrases) >= FUZZY_THRESHOLD:
                hits.add(i)
        if not hits:
            return None, False
        return self._party(hits), True

    def _by_flags(self, flags: Sequence[str]) -> Party | None:
        """The party of the flags on the figure's line, when they name one."""
        found: set[Party] = set()
        for code in flags:
            country = _norm(_expand_flag(code))
            # the line that bears the flag, else a party of that name or country
            ids = self._by_flag.get(country, set())
            ids = ids or self._index.get(country, set()) | self._by_country.get(country, set())
            if ids:
                party = self._party(ids)
                if party is not None:
                    found.add(party)
            elif country:
                found.add(_global_country(_vocabulary().countries.get(country, _expand_flag(code))))
        return found.pop() if len(found) == 1 else None

    def _party(self, ids: set[int]) -> Party | None:
        if len(ids) != 1:
            return None
        return self._entries[next(iter(ids))].party

    def attribute(self, words: str, flags: Sequence[str] = (), side: str = "") -> Party | None:
        """The party of an infobox line's figure: named by its words, else by the line's flag,
        else the party of its column (`column_party`)."""
        party = self.resolve(words, flags)
        if party is not None:
            return party
        return self.column_party(side) if side else None

    def commanded_by(self, name: str) -> Party | None:
        """The party of the side whose commanders name the person `name` names, as written
        in the text: a name or its last words ("Caesar", "Caesar's", "Philip"), or an adjective
        of one ("Pompeian" is Pompey's); None when no side's or both sides' do, or when the side
        holds several parties and no label."""
        tokens = [(t, w) for t, w in _tokens(name) if t not in _vocabulary().commander_titles]
        if not tokens or not all(w[:1].isupper() for _, w in tokens):
            return None
        words = {t for t, _ in tokens}
        sides = {side for side, known in self._commanders if words <= known}
        if not sides and len(words) == 1:
            word = next(iter(words))
            stem = _name_stem(word)
            if stem and not _country_of_word(word):
                sides = {
                    side
                    for side, known in self._commanders
                    if any(_name_stem(k) == stem for k in known)
                }
        if len(sides) != 1:
            return None
        side = sides.pop()
        return self.column_party(side) or self.label(side)

    def side_of(self, name: str) -> str:
        """The combatant column of the party `name` names, "" when none or several do."""
        party = self.resolve(name)
        return party.side if party is not None else ""

    def column_party(self, side: str) -> Party | None:
        """The party a column's generic line is of: the coalition heading a coalition column,
        else the column's one party, those listed under a heading ("Supported by:") left out;
        None when the column holds several and no label."""
        if side in self._labels:
            return self._entries[self._labels[side]].party
        ids = [i for i in self._columns.get(side, []) if i not in self._supporters]
        return self._entries[ids[0]].party if len(ids) == 1 else None

    def opponent(self, side: str) -> Party | None:
        """The party of the column that fights column `side` (its one party or its coalition),
        when the article has two columns; None otherwise."""
        others = [s for s in self._columns if s != side]
        if not side or side not in self._columns or len(others) != 1:
            return None
        return self.column_party(others[0]) or self.label(others[0])

    def label(self, side: str) -> Party | None:
        """The coalition heading a column ("Allied powers"), None when the column has none."""
        i = self._labels.get(side)
        return self._entries[i].party if i is not None else None

    def column(self, side: str) -> tuple[Party, ...]:
        """The parties a column lists, in its order, its coalition label left out."""
        return tuple(p for i in self._columns.get(side, []) if (p := self._entries[i].party))

    @property
    def subject(self) -> Party | None:
        """The organisation or country the article's faction infobox is about."""
        return self._entries[self._subject].party if self._subject is not None else None

    def parties(self) -> tuple[Party, ...]:
        """Every party of the article."""
        return tuple(e.party for e in self._entries if e.party is not None)

    def names(self) -> dict[str, tuple[str, ...]]:
        """Canonical name -> every name it is known by in this article, as written."""
        out: dict[str, tuple[str, ...]] = {}
        for entry in self._entries:
            written = {**entry.weak, **entry.aliases}
            out[entry.name] = tuple(sorted(set(written.values()), key=str.lower))
        return out


_SCORER = fuzz.ratio
# a column line that names its party as the owner of its forces ("Mark Antony's supporters")
_POSSESSOR = re.compile(r"^(?P<who>[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*){0,3})['’]s\s+\w")


def _name_words(name: str) -> list[str]:
    """The words that name a person in a commander's name, before a comma or an "of" that adds
    a title or a place: capitalised, neither title, small word, numeral nor country ("Philip
    II, King of France" -> ["philip"], "Otto IV, Holy Roman Emperor" -> ["otto"])."""
    vocab = _vocabulary()
    out = []
    name = _NAME_END.split(name, maxsplit=1)[0]
    for lower, written in _tokens(name):
        if (
            len(lower) < 3
            or not written[:1].isupper()
            or not lower.isalpha()
            or lower in vocab.commander_titles
            or _ROMAN.fullmatch(written)
            or lower in vocab.countries
            or _country_of_word(lower)
        ):
            continue
        out.append(lower)
    return out


def _nationality_of_name(name: str) -> list[str]:
    """The nationality words of a name made only of them and words of a force or a state
    ("persian forces", "persian empire" -> ["persian"]); none for another kind of name
    ("syrian democratic forces")."""
    vocab = _vocabulary()
    words = name.replace("-", " ").split()
    found = [w for w in words if _country_of_word(w)]
    kinds = vocab.force_nouns | vocab.state_words | vocab.generic
    if found and all(w in kinds for w in words if w not in found):
        return found
    return []


_NAME_END = re.compile(r",|\s+of\s+")
_ROMAN = re.compile(r"[IVXLCDM]+")  # a regnal number: "Philip II", "Otto IV"


@lru_cache(maxsize=1 << 12)
def _name_stem(word: str) -> str:
    """A name's or its adjective's stem: one adjective ending cut, then the vowels after it
    ("pompeian", "pompey" and "pompeius" -> "pomp"); "" when shorter than `min_stem`."""
    vocab = _vocabulary()
    stem = word.lower()
    for ending in vocab.adjective_endings:
        if stem.endswith(ending) and len(stem) - len(ending) >= vocab.min_stem:
            stem = stem[: -len(ending)]
            break
    if stem.endswith("us") and len(stem) - 2 >= vocab.min_stem:
        stem = stem[:-2]
    stem = stem.rstrip("aeiouy")
    return stem if len(stem) >= vocab.min_stem else ""


def _by_known_name(tokens: Sequence[tuple[str, str]]) -> tuple[Party | None, bool]:
    """A party the article does not list but data/parties.toml knows by one of its names
    ("ISIL fighters" -> Islamic State); a generic alias ("government forces") does not count."""
    index, longest = _known_index()
    for size in range(min(longest, len(tokens)), 0, -1):
        for start in range(len(tokens) - size + 1):
            run = tokens[start : start + size]
            hit = index.get(" ".join(t for t, _ in run))
            if hit is None:
                continue
            written = hit[1]
            if _is_acronym(written) and all(w.islower() for _, w in run):
                continue
            return hit[0], True
    return None, False


@cache
def _known_groups() -> dict[str, str]:
    """Each name data/parties.toml gives, normalised -> its party's canonical name."""
    groups: dict[str, str] = {}
    for canonical, others in _vocabulary().aliases.items():
        for name in (canonical, *others):
            groups.setdefault(_norm(name), canonical)
    return groups


@cache
def _known_index() -> tuple[dict[str, tuple[Party, str]], int]:
    vocab = _vocabulary()
    index: dict[str, tuple[Party, str]] = {}
    for canonical, others in vocab.aliases.items():
        party = Party(canonical, "", vocab.kinds.get(_norm(canonical), "organisation"))
        for name in (canonical, *others):
            key = _norm(name)
            if key and not _is_generic(name, nationality=True):
                index.setdefault(key, (party, name))
    return index, max((len(k.split()) for k in index), default=1)


def _trimmed(tokens: Sequence[tuple[str, str]]) -> list[str]:
    """The phrases a near-miss is looked for in: the words, then without the generic words
    around them, one at a time ("Syrian Democratic Force fighters" -> "Syrian Democratic
    Force"); phrases too short to be matched loosely left out."""
    generic = _vocabulary().generic
    words = [t for t, _ in tokens]
    out: list[str] = []
    while words and len(out) < 4:
        phrase = " ".join(words)
        if len(phrase) >= MIN_FUZZY_LENGTH and not all(w in generic for w in words):
            out.append(phrase)
        if words[-1] in generic:
            words = words[:-1]
        elif words[0] in generic:
            words = words[1:]
        else:
            break
    return out


def _country_in(tokens: Sequence[tuple[str, str]]) -> str:
    """The one country the words name by a nationality word or its name, or ""."""
    vocab = _vocabulary()
    found: set[str] = set()
    words = [t for t, _ in tokens]
    k = 0
    while k < len(words):
        for size in (3, 2):  # "United Kingdom", "North Korean"
            run = " ".join(words[k : k + size]) if k + size <= len(words) else ""
            country = vocab.countries.get(run) or vocab.demonyms.get(run) if run else ""
            if not country and run:  # "New Zealanders": a plural of several words
                country = next((country_of(st) for st in _stems(run) if st in vocab.multiword), "")
            if country:
                found.add(country)
                k += size
                break
        else:
            country = vocab.countries.get(words[k]) or _country_of_word(words[k])
            if country:
                found.add(country)
            k += 1
    return found.pop() if len(found) == 1 else ""


@cache
def _global_country(country: str) -> Party:
    """A country or people no column names: a party of no side."""
    return Party(country, "", _kind_of(country, "country"))


def _countries_named(name: str) -> set[str]:
    """The countries a name is of: its own ("Portugal"), one in it ("Kingdom of Portugal",
    "Armed Forces of Ukraine"), a state's nationality word ("First French Empire"), but not the
    nationality word of another kind of name ("Syrian Democratic Forces" is not Syria)."""
    vocab = _vocabulary()
    key = _norm(name)
    words = key.split()
    found = set()
    for size in (3, 2, 1):
        for start in range(len(words) - size + 1):
            run = " ".join(words[start : start + size])
            if run in vocab.countries:
                found.add(run)
    if key in vocab.flag_codes:
        found.add(_norm(vocab.flag_codes[key]))
    if set(words) & vocab.state_words:  # "First French Empire" is France, "Russian Empire" Russia
        found.update(_norm(c) for c in map(_country_of_word, words) if c)
    return found


def _bucket_keys(phrase: str) -> set[str]:
    """Where a name is filed for near-miss lookups: by its first and last word, and by its
    initials."""
    words = phrase.split()
    if not words:
        return set()
    keys = {"^" + words[0], "$" + words[-1]}
    acronym = _initials(phrase)
    if acronym:
        keys.add("#" + acronym)
    return keys


def _is_acronym(written: str) -> bool:
    """A short name written in capitals ("IS", "SDF", "HTS")."""
    letters = written.replace(".", "").replace("-", "")
    return 1 < len(letters) <= 6 and letters.isupper()


def _is_name(text: str) -> bool:
    """Whether a combatant line's text can be a party's name: a few words, with letters."""
    words = text.split()
    return 0 < len(words) <= _MAX_LINE_WORDS and any(c.isalpha() for c in text)


def _is_heading(text: str, first: bool = False) -> bool:
    """A line that heads the parties under it ("Supported by:") and names none itself; a
    column's first line ending in a colon ("Western Allies:") is its coalition's label."""
    key = _norm(text.rstrip(":"))
    if not key:
        return True
    return key in _vocabulary().headings or (text.rstrip().endswith(":") and not first)


_LINK_REACH = 50  # lines ahead a link's text is looked for (a link in a note is on none)
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_BULLETS = re.compile(r"^[\s*#:;•·]+")


def _column_lines(code: Wikicode) -> list[_Line]:
    """The lines of a combatant column, as read: text without notes or brackets, the flags on
    each, the wiki links each shows, and whether it is written in bold (a label)."""
    rendering = render(code, 0, skip_infobox=False)
    lines: list[_Line] = []
    pos = 0
    raw_lines = _raw_lines(str(code))
    marks = rendering.flags  # in reading order: each line takes the ones up to its end
    k = 0
    for raw in rendering.text.split("\n"):
        end = pos + len(raw)
        pos = end + 1
        flags: list[str] = []
        while k < len(marks) and marks[k].pos <= end:
            flags.append(marks[k].country)
            k += 1
        text = _BRACKETED.sub(" ", _BULLETS.sub("", raw))
        text = " ".join(text.split()).strip(" ,;'\"–-")
        if text or flags:
            lines.append(_Line(text, flags, [], False))
    bold = raw_lines[0].startswith(("'''", "<b>")) if raw_lines else False
    if lines:
        lines[0].bold = bold
    _attach_forces(code, lines, [f.country for f in marks])
    cursor = 0
    for target, text in _links(code):
        for n in range(cursor, min(len(lines), cursor + _LINK_REACH)):
            if text and _has_words(lines[n].text, text):
                lines[n].links.append((target, text))
                cursor = n
                break
    return lines


def _has_words(text: str, words: str) -> bool:
    """Whether `words` occur in `text` as whole words."""
    at = text.find(words)
    while at >= 0:
        end = at + len(words)
        if (at == 0 or not text[at - 1].isalnum()) and (
            end == len(text) or not text[end].isalnum()
        ):
            return True
        at = text.find(words, at + 1)
    return False


def _force_name(country: str, service: str) -> str:
    """The name of a country's armed service: "Russian Army", "United States Navy"."""
    adjective = _vocabulary().adjectives.get(_norm(country), "")
    return f"{adjective or country} {service}"


def _attach_forces(code: Wikicode, lines: list[_Line], flags: list[str]) -> None:
    """Flags that draw an armed service ({{army|X}}, {{flagicon|X|navy}}) name that service on
    their line. Flag templates are read in the order the rendering met them."""
    vocab = _vocabulary()
    r = rules()
    drawn: list[tuple[str, str]] = []
    for node, _start, _end in walk(code, 0, descend=_shows_names):
        if not isinstance(node, Template):
            continue
        name = template_name(node)
        if name not in r.flag_text and name not in r.flag_icon:
            continue
        positional = [str(p.value).strip() for p in node.params if not p.showkey]
        country = node.params[0].value.strip_code().strip() if positional else ""
        if not country:
            continue
        service = vocab.force_templates.get(name, "")
        if not service and len(positional) > 1:
            service = vocab.force_variants.get(positional[1].lower(), "")
        drawn.append((country, service))
    if [c for c, _ in drawn] != flags:
        return  # the flags were not all met in the same order: name no services
    k = 0
    for line in lines:
        for _ in line.flags:
            country, service = drawn[k]
            k += 1
            if service:
                line.forces.append((country, service))


def _shows_names(node: object, _text: str) -> bool:
    """Whether a walk over a column goes into a node: not into refs, notes or links."""
    if isinstance(node, Tag):
        return str(node.tag).lower() != "ref"
    if isinstance(node, Template):
        name = template_name(node)
        return not (name.startswith(("efn", "ref", "sfn", "cite")) or "note" in name)
    return not isinstance(node, Wikilink)


def _nested_under_first(code: Wikicode) -> bool:
    """Whether every list item of a column after the first is nested under it ("* Coalition"
    then "** Member" lines): the first heads the others."""
    depths = [len(m.group(0)) for m in _LIST_ITEM.finditer(str(code))]
    return len(depths) >= 2 and all(d > depths[0] for d in depths[1:])


_LIST_ITEM = re.compile(r"(?m)^[ \t]*[*#]+")


def _raw_lines(raw: str) -> list[str]:
    parts = re.split(r"<br\s*/?>|\n", raw, flags=re.I)
    return [p for p in (_BULLETS.sub("", part).strip() for part in parts) if p]


def _links(code: Wikicode) -> list[tuple[str, str]]:
    """The wiki links a column shows, in order, as (target, shown text); files, refs and notes
    left out."""
    skip_prefixes = rules().skip_link_prefixes
    out: list[tuple[str, str]] = []
    for node, _start, _end in walk(code, 0, descend=_shows_names):
        if not isinstance(node, Wikilink):
            continue
        target = " ".join(str(node.title).split("#")[0].replace("_", " ").split())
        if not target or target.split(":")[0].lower() in skip_prefixes:
            continue
        shown = render(node.text, 0, skip_infobox=False).text if node.text is not None else target
        shown = " ".join(shown.split())
        out.append((target, shown))
    return out


_NAME_WORD = r"(?:[A-Z][\w'’.-]*|(?:al|el|ad|as|ash|an|ar)-[\w'’-]+|of|the|and|for|de|du|in)"
_DEFINITION = re.compile(
    rf"(?P<long>[A-Z][\w'’.-]*(?:\s+{_NAME_WORD}){{0,{MAX_NAME_WORDS}}})\s*"
    r"\(\s*(?:the\s+)?(?P<short>[A-Z][A-Za-z0-9-]{1,9})\s*\)"
)


def _defined_long_form(words: str, short: str) -> str:
    """The name a short form stands for, out of the capitalised words before it: the words
    from the first whose initials spell the short form ("Yesterday Rapid Support Forces (RSF)"
    -> "Rapid Support Forces"); "" when they do not spell it."""
    letters = [c.lower() for c in short if c.isalpha() and c.isupper()]
    if len(letters) < 2:
        return ""
    parts = words.split()
    while parts and parts[-1].lower() in ("of", "the", "and", "for", "de", "du", "in"):
        parts.pop()
    for start in range(len(parts)):
        if parts[start][:1].lower() != letters[0]:
            continue
        initials = [p[0].lower() for w in parts[start:] for p in re.split(r"[-'’]", w) if p]
        if _is_subsequence(letters, initials) and len(parts) - start <= len(letters) + 3:
            return " ".join(parts[start:])
    return ""


def _is_subsequence(needle: Sequence[str], haystack: Sequence[str]) -> bool:
    it = iter(haystack)
    return all(any(c == h for h in it) for c in needle)
