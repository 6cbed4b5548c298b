"""Sources: one canonical outlet per citation, whatever name, link or URL the citation uses.

The registry (`claims/data/sources.csv`, one line per outlet) maps full names, aliases,
Wikipedia article titles and web domains to a short key (SOHR, AP, TASS...). Lookups forgive
case, a leading "The", punctuation, accents, "(news agency)"-style qualifiers, "News"/"Online"
suffixes, subdomains and archive wrappers, and near-misses within a strict similarity cutoff.
The rules (kinds, suffix words, relay phrases) live in `claims/data/sources.toml`.

Which outlet a citation stands for: the outlet that published the page is the source. A news
agency it carries (`agency=`, or a news agency named as `publisher=`) is the relay, the origin
of the figure. Aggregators and hosting platforms (Yahoo News, MSN, ReliefWeb, YouTube) are the
source only when nothing better is named: otherwise the outlet they carry is.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import parse_qs, unquote, urlsplit

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from claims.citations import outside_quotations
from claims.errors import DataFileError
from claims.knowledge import load_data
from claims.model import UNSOURCED, Citation, Source

DATA_FILE = "sources.csv"
RULES_FILE = "sources.toml"
COLUMNS = ("key", "name", "kind", "country", "aliases", "domains", "links")
UNKNOWN_KIND = "unknown"
UNNAMED = "(unnamed)"  # key of a citation that names no outlet, author or URL
SOCIAL_MEDIA = "social media"
AGGREGATOR = "aggregator"
NEWS_AGENCY = "news agency"
_AGENCY_KINDS = frozenset({NEWS_AGENCY, "state media"})  # a publisher= of these kinds is relayed
LOOKUP_ONLY = "~"  # alias prefix: used for lookups, never searched for in running text

# A link's parts stop at the next bracket ("[[" opens another link), and a URL at a space or
# a bracket, so that a name of many unclosed "[[" or "[//" costs its length, not its square.
_MARKUP_LINK = re.compile(r"\[\[(?:(?:[^|\[\]]|\[(?!\[))*+\|)?((?:[^\[\]]|\[(?!\[))*+)\]\]")
_MARKUP_EXTERNAL = re.compile(r"\[(?:https?:)?//[^\s\[\]]++\s*+([^\[\]]*+)\]")
_MARKUP_TEMPLATE = re.compile(r"\{\{[^{}]*\}\}")
_MARKUP_TAG = re.compile(r"<[^<>]*>")
_QUOTES = re.compile(r"'{2,}")
_PAREN = re.compile(r"\(([^()]*)\)")
_APOSTROPHE = re.compile(r"['’ʼ`´]")
_NON_WORD = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")
_DOMAIN_LIKE = re.compile(
    r"^(?:https?:)?(?://)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?(?:[/?#]\S*)?$", re.I
)
_URL_IN_TEXT = re.compile(r"(?:https?://|www\.)[^\s\]<>|{}\"']+", re.I)
_TOKEN = re.compile(r"[^\W_]+")
_EMBEDDED_URL = re.compile(r"(?:https?:/+|www\.)\S+", re.I)
_WAYBACK_PATH = re.compile(r"^/web/[^/]*/(?P<rest>.+)$")


@dataclass(frozen=True, slots=True)
class _Rules:
    kinds: frozenset[str]
    suffix_words: frozenset[str]
    qualifier_words: frozenset[str]
    section_names: frozenset[str]
    cutoff: float
    short_word: int
    long_word: int
    min_fuzzy_length: int
    archive_hosts: frozenset[str]
    wayback_hosts: frozenset[str]
    social: dict[str, str]  # host -> platform name
    social_reserved: frozenset[str]
    relay_before: re.Pattern[str]
    relay_after: re.Pattern[str]
    relay_words: re.Pattern[str]
    relay_word_keys: dict[str, str]
    template_kinds: dict[str, str]


@cache
def _rules() -> _Rules:
    data = load_data(RULES_FILE)
    try:
        relay = data["relay"]
        words = {str(k).lower(): str(v) for k, v in relay["words"].items()}

        def alternation(values: Iterable[str]) -> str:
            return "|".join(
                sorted((re.escape(str(v)).replace(r"\ ", r"\s+") for v in values), key=len)[::-1]
            )

        return _Rules(
            kinds=frozenset(data["kinds"]),
            suffix_words=frozenset(w.lower() for w in data["suffix_words"]),
            qualifier_words=frozenset(w.lower() for w in data["qualifier_words"]),
            section_names=frozenset(_norm(w) for w in data["section_names"]),
            cutoff=float(data["fuzzy"]["cutoff"]),
            short_word=int(data["fuzzy"]["short_word"]),
            long_word=int(data["fuzzy"]["long_word"]),
            min_fuzzy_length=int(data["fuzzy"]["min_length"]),
            archive_hosts=frozenset(data["archives"]["archive_today"]),
            wayback_hosts=frozenset(data["archives"]["wayback"]),
            social={str(k): str(v) for k, v in data["social"]["platforms"].items()},
            social_reserved=frozenset(w.lower() for w in data["social"]["reserved_paths"]),
            relay_before=re.compile(
                rf"(?:^|[\s(,])(?:{alternation(relay['before'])})\s+(?:the\s+|a\s+|an\s+)?$",
                re.I,
            ),
            relay_after=re.compile(
                rf"^(?:['’]s)?\s*(?::|(?:{alternation(relay['after'])})(?!\w))", re.I
            ),
            relay_words=re.compile(rf"(?<![\w-])(?:{alternation(words)})(?![\w-])", re.I),
            template_kinds={str(k): str(v) for k, v in data["template_kinds"].items()},
            relay_word_keys={" ".join(k.split()): v for k, v in words.items()},
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DataFileError(f"claims/data/{RULES_FILE}: missing or bad entry ({exc})") from exc


# -- text forms ---------------------------------------------------------------------------


def clean_name(raw: str) -> str:
    """An outlet name as a reader would write it: wiki markup, italics and HTML removed."""
    text = _MARKUP_LINK.sub(r"\1", raw)
    text = _MARKUP_EXTERNAL.sub(r"\1", text)
    text = _MARKUP_TEMPLATE.sub(" ", text)
    text = _MARKUP_TAG.sub(" ", text)
    text = _QUOTES.sub("", text).replace("&nbsp;", " ").replace("&amp;", "&")
    text = " ".join(text.split())
    return text.strip(' .,;:|-–—"“”')


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def _norm(name: str, qualifiers: frozenset[str] = frozenset()) -> str:
    """Lower-case words of a name: accents, apostrophes, punctuation, leading "the" and
    generic parenthetical qualifiers ("(news agency)") removed; other qualifiers kept."""

    def paren(match: re.Match[str]) -> str:
        words = _NON_WORD.sub(" ", _APOSTROPHE.sub("", match.group(1))).split()
        return " " if all(w in qualifiers for w in words) else f" {match.group(1)} "

    text = _fold(name).replace("&", " and ")
    text = _PAREN.sub(paren, text)
    words = _NON_WORD.sub(" ", _APOSTROPHE.sub("", text)).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _core(norm: str, suffixes: frozenset[str]) -> str:
    """The name without trailing generic words: "AP News" -> "ap", "Anadolu Agency" -> "anadolu"."""
    words = norm.split()
    while len(words) > 1 and words[-1] in suffixes:
        words.pop()
    return " ".join(words)


def _host_and_path(url: str) -> tuple[str, str, str]:
    """(host without www. and port, path, query) of a URL written with or without a scheme."""
    url = url.strip().strip("<>\"'")
    if not re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):
        url = "http://" + url.lstrip("/")
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return "", "", ""
    if host.startswith("www."):
        host = host[4:]
    elif re.match(r"^www\d\.", host):
        host = host[5:]
    return host, parts.path, parts.query


# A name to find in text: its words as written, lower-cased, and its outlet; indexed by its
# first two words (one for one-word names).
_IndexedName = tuple[tuple[str, ...], list[str], Source]

# -- the registry ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outlet:
    """One line of the registry: the canonical source and every way of naming it."""

    source: Source
    aliases: tuple[str, ...]
    domains: tuple[str, ...]
    links: tuple[str, ...]
    mention_names: tuple[str, ...]  # names safe to look for in running text
    relay_names: tuple[str, ...]  # names to look for after "citing" or before "said"


class SourceRegistry:
    """Known outlets, and the rules that name the outlet behind a citation, name or URL."""

    def __init__(self, outlets: Iterable[Outlet]) -> None:
        self.rules = _rules()
        self.outlets: tuple[Outlet, ...] = tuple(outlets)
        self.by_key: dict[str, Source] = {}
        self._exact: dict[str, Source] = {}
        self._core: dict[str, Source | None] = {}
        self._domains: dict[str, Source] = {}
        self._mention_index: dict[str, list[_IndexedName]] = {}
        self._relay_index: dict[str, list[_IndexedName]] = {}
        for outlet in self.outlets:
            source = outlet.source
            self.by_key[source.key] = source
            for name in (source.key, source.name, *outlet.aliases, *outlet.links):
                norm = self._norm(name)
                if not norm:
                    continue
                self._exact.setdefault(norm, source)
            for domain in outlet.domains:
                self._domains.setdefault(domain.lower().removeprefix("www."), source)
            for names, index in (
                (outlet.mention_names, self._mention_index),
                (outlet.relay_names, self._relay_index),
            ):
                for name in names:
                    words = tuple(_TOKEN.findall(name))
                    if words:
                        lower = [w.lower() for w in words]
                        index.setdefault(" ".join(lower[:2]), []).append((words, lower, source))
        for norm, source in self._exact.items():
            core = _core(norm, self.rules.suffix_words)
            if self._core.get(core, source) is not source:
                self._core[core] = None  # two outlets share it: never guess between them
            else:
                self._core[core] = source
        for norm, source in self._exact.items():
            self._core[norm] = source
        for index in (self._mention_index, self._relay_index):
            for candidates in index.values():
                candidates.sort(key=lambda c: len(c[0]), reverse=True)
        self._choices = list(self._exact)
        self._names: dict[str, Source | None] = {}
        self._resolved: dict[Citation, Source] = {}
        self._relays: dict[tuple[Citation, str], str] = {}

    @classmethod
    def default(cls) -> SourceRegistry:
        """The package's registry, loaded once per process."""
        return _default_registry()

    @classmethod
    def from_rows(cls, rows: Iterable[dict[str, str]], origin: str = "rows") -> SourceRegistry:
        """A registry from rows with the CSV's columns; DataFileError names the bad row."""
        return cls(read_outlets(rows, origin))

    def _norm(self, name: str) -> str:
        return _norm(clean_name(name), self.rules.qualifier_words)

    # -- names --------------------------------------------------------------------------

    def lookup(self, name: str) -> Source | None:
        """The known outlet a name, alias, wiki link title or domain stands for; None if unknown."""
        if name in self._names:
            return self._names[name]
        found = self._lookup(name)
        if len(self._names) > 50_000:
            self._names.clear()
        self._names[name] = found
        return found

    def _lookup(self, name: str) -> Source | None:
        cleaned = clean_name(name.split("#")[0].lstrip(":"))
        if not cleaned:
            return None
        if " " not in cleaned and _DOMAIN_LIKE.match(cleaned):
            return self.from_url(cleaned)
        norm = _norm(cleaned, self.rules.qualifier_words)
        if not norm:
            return None
        found = self._exact.get(norm)
        if found is not None:
            return found
        core = _core(norm, self.rules.suffix_words)
        if core != norm or " " in core:
            # "AP News" is AP; but a lone word is no outlet because one ends in it ("Arab")
            found = self._core.get(core)
            if found is not None:
                return found
        return self._near_miss(norm)

    def names_outlet(self, name: str) -> bool:
        """True when a name is written as a known outlet is (no typo allowance): "Oryx" in
        "analysts from Oryx" names an outlet, not a place."""
        norm = self._norm(name)
        return bool(norm) and norm in self._exact

    def _near_miss(self, norm: str) -> Source | None:
        """A known name written with a typo: close as a whole and word by word."""
        if len(norm) < self.rules.min_fuzzy_length:
            return None
        candidates = process.extract(
            norm, self._choices, scorer=fuzz.ratio, score_cutoff=self.rules.cutoff, limit=5
        )
        for choice, _, _ in candidates:
            if _same_words_with_typos(norm, choice, self.rules):
                return self._exact[choice]
        return None

    # -- URLs ---------------------------------------------------------------------------

    def from_url(self, url: str) -> Source | None:
        """The known outlet of a URL by its domain, unwrapping archive and cache links.

        A Telegram channel or X/Twitter handle that is not in the registry gives an unknown
        source named after the handle, of kind "social media".
        """
        host, path, query = self._unwrap(url)
        if not host:
            return None
        segments = [s for s in path.split("/") if s]
        platform = self.rules.social.get(host)
        levels = host.split(".")
        hosts = [".".join(levels[i:]) for i in range(len(levels) - 1)]
        if platform is not None:
            hosts = [self._platform_host(platform, host)]
        handle = self._handle(platform, segments, query) if platform else ""
        first = handle or (segments[0].lower() if segments else "")
        for candidate in hosts:
            if first and f"{candidate}/{first.lower()}" in self._domains:
                return self._domains[f"{candidate}/{first.lower()}"]
        if handle:
            return Source(key=f"@{handle}", name=f"@{handle}", kind=SOCIAL_MEDIA, known=False)
        for candidate in hosts:
            if candidate in self._domains:
                return self._domains[candidate]
        return None

    def _platform_host(self, platform: str, host: str) -> str:
        for other, name in self.rules.social.items():
            if name == platform and other in self._domains:
                return other
        return host

    def _handle(self, platform: str, segments: list[str], query: str) -> str:
        if not segments:
            return ""
        if platform == "Telegram" and segments[0].lower() == "s" and len(segments) > 1:
            segments = segments[1:]
        first = segments[0]
        if first.startswith("@"):
            first = first[1:]
        elif platform == "YouTube" and first.lower() in ("c", "user") and len(segments) > 1:
            first = segments[1]
        elif platform == "YouTube" or (platform == "Facebook" and "id=" in query):
            return ""
        if first.lower() in self.rules.social_reserved or not re.fullmatch(r"[\w.]+", first):
            return ""
        return first

    def _unwrap(self, url: str) -> tuple[str, str, str]:
        """Host, path and query of the page an archive, cache or proxy link stands for."""
        host, path, query = _host_and_path(url)
        for _ in range(4):
            inner = ""
            if host in self.rules.wayback_hosts:
                match = _WAYBACK_PATH.match(path)
                inner = match.group("rest") + (f"?{query}" if query else "") if match else ""
            elif host in self.rules.archive_hosts:
                match = _EMBEDDED_URL.search(path + (f"?{query}" if query else ""))
                inner = match.group(0) if match else ""
                if not inner:
                    return "", "", ""  # a short archive id: the original is not in the link
            elif host.endswith("webcitation.org"):
                inner = (parse_qs(query).get("url") or [""])[0]
                if not inner:
                    return "", "", ""
            elif host.startswith("webcache.googleusercontent."):
                q = (parse_qs(query).get("q") or [""])[0]
                inner = re.sub(r"^cache:(?:[\w-]{6,}:)?", "", q)
            elif host.endswith(".translate.goog"):
                label = host.removesuffix(".translate.goog")
                host = label.replace("--", "\0").replace("-", ".").replace("\0", "-")
                host = host.removeprefix("www.")
                continue
            elif host.startswith("translate.google.") or host == "translate.googleusercontent.com":
                inner = (parse_qs(query).get("u") or [""])[0]
            if not inner:
                break
            inner = unquote(inner) if "%3a" in inner[:12].lower() else inner
            inner = re.sub(r"^(https?:)/+", r"\1//", inner, flags=re.I)
            host, path, query = _host_and_path(inner)
        return host, path, query

    # -- citations ----------------------------------------------------------------------

    def resolve(self, citation: Citation) -> Source:
        """The outlet a citation stands for (see the module docstring for the order).

        Unknown outlets get their clean name (or the URL's domain) as key and name, with
        kind "unknown" and known=False. Only a citation with nothing to go on is unsourced.
        """
        found = self._resolved.get(citation)
        if found is None:
            found = self._resolve(citation)
            if len(self._resolved) > 20_000:
                self._resolved.clear()
            self._resolved[citation] = found
        return found

    def _resolve(self, citation: Citation) -> Source:
        work = citation.work if clean_name(citation.work) else ""
        if self._is_section(work):
            work = ""
        text_urls = _URL_IN_TEXT.findall(citation.text) if citation.text else []
        work_source = self.lookup(work) if work else None
        if work_source is not None and work_source.known and work_source.kind != AGGREGATOR:
            return work_source
        by_url = [
            self.from_url(url) for url in (citation.url, citation.archive_url, *text_urls) if url
        ]
        sites = [s for s in by_url if s is not None and s.known]
        if work and work_source is None:
            # the publishing outlet is named but unknown: it is the source, not what it carries
            site = next((s for s in sites if s.kind != AGGREGATOR), None)
            if site is not None:
                return site
            if not sites:
                return self._unknown(work, citation.template)
        named = [
            self.lookup(raw)
            for raw in (citation.publisher, *citation.links, citation.agency)
            if raw
        ]
        known = [s for s in (work_source, *sites, *named) if s is not None and s.known]
        for source in known:
            if source.kind != AGGREGATOR:
                return source
        # a plain ref is named by what it says of the work it cites, not by what it quotes
        said = outside_quotations(citation.text) if citation.text and not citation.template else ""
        mentioned = self.mentions(said) if said else []
        if mentioned:
            return mentioned[0][2]
        plain_book = not citation.template and citation.text
        if citation.author and (
            plain_book or self.rules.template_kinds.get(citation.template) == "book"
        ):
            # a book's figures are its author's: the press that printed it says nothing
            return self._author(citation.author)
        handle = next((s for s in by_url if s is not None and not s.known), None)
        if handle is not None:
            return handle
        if known:
            return known[0]
        for raw in (work, citation.publisher, citation.agency, *citation.links):
            if raw and clean_name(raw):
                return self._unknown(raw, citation.template)
        for url in (citation.url, citation.archive_url, *text_urls):
            host = self._unwrap(url)[0] if url else ""
            if host and clean_name(host):
                return self._unknown(host, citation.template)
        if said and clean_name(_first_segment(said)):
            return self._unknown(_first_segment(said))
        if citation.author and clean_name(citation.author):
            return self._unknown(citation.author, citation.template)
        if citation.title or citation.template or citation.text:
            # cited, but by nothing that names an outlet: one shared placeholder, never the title
            # nor a quoted passage
            kind = self.rules.template_kinds.get(citation.template, UNKNOWN_KIND)
            return Source(key=UNNAMED, name="(unnamed source)", kind=kind, known=False)
        return UNSOURCED

    def _unknown(self, raw: str, template: str = "") -> Source:
        name = clean_name(raw)
        if " " not in name and _DOMAIN_LIKE.match(name):
            name = _host_and_path(name)[0] or name
        kind = self.rules.template_kinds.get(template, UNKNOWN_KIND)
        if kind == SOCIAL_MEDIA and re.fullmatch(r"[\w.]+", name):
            name = f"@{name}"  # {{cite tweet|user=X}} is the account @X its links name
        return Source(key=name, name=name, kind=kind, known=False)

    def _author(self, author: str) -> Source:
        """The source a book's author is: a known outlet writing as author (a report of Human
        Rights Watch), else the author under their surname ("Frieser, Karl-Heinz": Frieser)."""
        known = self.lookup(author)
        if known is not None and known.known:
            return known
        surname, _, given = author.partition(",")
        surname = clean_name(surname)
        if not surname:
            return self._unknown(author, "cite book")
        name = " ".join(f"{given} {surname}".split())
        return Source(key=surname, name=name, kind="book", known=False)

    def _is_section(self, work: str) -> bool:
        return bool(work) and self._norm(work) in self.rules.section_names

    # -- relays and mentions --------------------------------------------------------------

    def relay(self, citation: Citation, text: str = "") -> str:
        """The key of the outlet a citation relays, "" if none or if it is the source itself.

        Read first from the words ("citing SOHR", "according to the Syrian Observatory",
        "SOHR said", "... - monitor") of `text`, the headline or a plain ref's text; then from
        the news agency the citation names (agency=, or a news or state agency as publisher=).
        """
        cache_key = (citation, text)
        found = self._relays.get(cache_key)
        if found is None:
            found = self._relay(citation, text)
            if len(self._relays) > 20_000:
                self._relays.clear()
            self._relays[cache_key] = found
        return found

    def _relay(self, citation: Citation, text: str) -> str:
        source = self.resolve(citation)
        for words in (text, citation.trans_title, citation.title, citation.text):
            if words:
                origin = self._relayed_in(words, source.key)
                if origin:
                    return origin
        agency = self.lookup(citation.agency) if citation.agency else None
        if agency is not None and agency.key != source.key:
            return agency.key
        for raw in (citation.publisher, *citation.links):
            other = self.lookup(raw) if raw else None
            if other is not None and other.kind in _AGENCY_KINDS and other.key != source.key:
                return other.key
        return ""

    def _relayed_in(self, text: str, own: str) -> str:
        named = _find_names(text, self._relay_index)
        spans = [(start, end, source.key) for start, end, source in named]
        for match in self.rules.relay_words.finditer(text):
            if any(s <= match.start() < e or s < match.end() <= e for s, e, _ in spans):
                continue  # "monitor" inside "Middle East Monitor"
            word = " ".join(match.group(0).lower().split())
            spans.append((match.start(), match.end(), self.rules.relay_word_keys.get(word, "")))
        for start, end, key in sorted(spans):
            if key and key != own and self._relay_context(text, start, end):
                return key
        return ""

    def _relay_context(self, text: str, start: int, end: int) -> bool:
        before, after = text[:start], text[end:]
        if self.rules.relay_before.search(before) or self.rules.relay_after.match(after):
            return True
        # a headline's tail: "... - monitor", "... | SOHR report", "... (SOHR)"
        tail = _TAIL_AFTER.fullmatch(after)
        return tail is not None and _TAIL_BEFORE.search(before) is not None

    def mentions(self, text: str) -> list[tuple[int, int, Source]]:
        """Known outlets named in running text, as (start, end, source), in order.

        Matches whole words written as a name is written (capitals where the name has them,
        acronyms in capitals only); a name followed by another capitalised word is part of a
        longer name ("the National Army") and is skipped. Names that are also common words or
        armed actors ("Independent", "IDF") are left to the claimant rules.
        """
        return _find_names(text, self._mention_index)


# Lower-case words inside names ("al-Jazeera", "the Guardian", "Institute for the Study of War").
_PARTICLES = frozenset(
    {"al", "el", "an", "ar", "as", "ad", "ash", "at", "az", "the", "of", "for", "and", "de"}
    | {"la", "le", "du", "des", "di", "della", "der", "die", "von", "on", "in", "a"}
)
_TAIL_AFTER = re.compile(
    r"\s*(?:report|reports|says|said|claims|data|figures|tally)?\s*[)\]]?[\W_]*", re.I
)
_TAIL_BEFORE = re.compile(r"(?:(?:^|\s|,)[-–—|(]|:)\s*(?:the\s+|a\s+)?$", re.I)
_GAP = re.compile(r"[\s\-'’./&]{1,3}")
_CONTINUED = re.compile(r"[ \t]+[A-Z][a-z]")


def _find_names(text: str, index: dict[str, list[_IndexedName]]) -> list[tuple[int, int, Source]]:
    """Non-overlapping (start, end, source) of the names of `index` written in `text`."""
    tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]
    lowered = [token.lower() for _, _, token in tokens]
    found: list[tuple[int, int, Source]] = []
    i = 0
    while i < len(tokens):
        matched = 0
        pair = index.get(f"{lowered[i]} {lowered[i + 1]}", ()) if i + 1 < len(tokens) else ()
        for words, lower, source in itertools.chain(pair, index.get(lowered[i], ())):
            n = len(words)
            if lowered[i : i + n] == lower and _written_as(text, tokens[i : i + n], words):
                first = i + 1 if n > 1 and lower[0] == "the" else i
                found.append((tokens[first][0], tokens[i + n - 1][1], source))
                matched = n
                break
        i += matched or 1
    return found


def _written_as(text: str, span: list[tuple[int, int, str]], words: tuple[str, ...]) -> bool:
    """Whether the tokens of `span` write the name `words` as a name is written."""
    for (_, _, token), word in zip(span, words, strict=True):
        if word.isupper() and len(word) > 1 and token != word:
            return False  # acronyms only in capitals: "AP", not "ap"
        if word[0].isupper() and token[0].islower() and word.lower() not in _PARTICLES:
            return False  # "Arab news" is not "Arab News"
    for (_, end, _), (start, _, _) in itertools.pairwise(span):
        if not _GAP.fullmatch(text[end:start]):
            return False
    if not any(token[0].isupper() or token[0].isdigit() for _, _, token in span):
        return False
    return _CONTINUED.match(text, span[-1][1]) is None


_FILLER_WORDS = frozenset({"of", "for", "the", "and", "in", "on", "a"})


def _same_words_with_typos(query: str, known: str, rules: _Rules) -> bool:
    """Whether two names have the same words up to filler words and a typo or two per word
    (one edit or transposition in a word of 5+ letters, two from `long_word` letters).

    "Syrian Observatory of Human Rights" is "... for Human Rights"; "Iraqi Ministry of
    Defence" is not "Syrian Ministry of Defence", nor "Channel 12" "Channel 13".
    """
    mine = [w for w in query.split() if w not in _FILLER_WORDS]
    theirs = [w for w in known.split() if w not in _FILLER_WORDS]
    if len(mine) != len(theirs):
        return "".join(mine) == "".join(theirs)  # "Al Jazeera" written "Aljazeera"
    for a, b in zip(mine, theirs, strict=True):
        if a == b:
            continue
        if min(len(a), len(b)) < rules.short_word or a.isdigit() or b.isdigit():
            return False
        allowed = 2 if min(len(a), len(b)) >= rules.long_word else 1
        if OSA.distance(a, b, score_cutoff=allowed) > allowed:
            return False
    return True


def _first_segment(text: str) -> str:
    """The first comma- or full-stop-separated part of a plain ref, as a name of last resort."""
    parts = re.split(r"[,.;]\s|\s[-–—]\s", text.strip())
    part = next((p for p in parts if clean_name(p)), "")  # "; Reuters" names Reuters
    return part[:80]


# -- loading ---------------------------------------------------------------------------------


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def read_outlets(rows: Iterable[dict[str, str]], origin: str = DATA_FILE) -> list[Outlet]:
    """Outlets from CSV rows, checked: known kind, unique keys, aliases and domains."""
    rules = _rules()
    outlets: list[Outlet] = []
    keys: dict[str, str] = {}
    names: dict[str, str] = {}
    domains: dict[str, str] = {}
    for number, row in enumerate(rows, start=2):
        where = f"claims/data/{origin}: line {row.get('_line') or number}"
        key = (row.get("key") or "").strip()
        name = (row.get("name") or "").strip()
        kind = (row.get("kind") or "").strip()
        if not key or not name:
            raise DataFileError(f"{where}: key and name are required")
        if kind not in rules.kinds:
            raise DataFileError(f"{where}: unknown kind {kind!r} for {key}")
        if key in keys:
            raise DataFileError(f"{where}: key {key!r} is already used")
        keys[key] = key
        raw_aliases = _split(row.get("aliases", ""))
        aliases = tuple(a.removeprefix(LOOKUP_ONLY) for a in raw_aliases)
        links = _split(row.get("links", ""))
        outlet_domains = tuple(
            d.lower().removeprefix("www.") for d in _split(row.get("domains", ""))
        )
        for alias in {_norm(a, rules.qualifier_words) for a in (key, name, *aliases, *links)}:
            if not alias:
                raise DataFileError(f"{where}: a name of {key} has no letters or digits")
            if alias in names and names[alias] != key:
                raise DataFileError(f"{where}: {alias!r} names both {names[alias]} and {key}")
            names[alias] = key
        for domain in outlet_domains:
            if domain in domains:
                raise DataFileError(f"{where}: domain {domain!r} is already {domains[domain]}")
            domains[domain] = key
        lookup_only = {a[1:].lower() for a in raw_aliases if a.startswith(LOOKUP_ONLY)}
        written = [
            n for n in dict.fromkeys((key, name, *aliases, *links)) if not _DOMAIN_LIKE.match(n)
        ]
        mentionable = kind != AGGREGATOR
        mention_names = tuple(n for n in written if mentionable and n.lower() not in lookup_only)
        relay_names = tuple(written) if mentionable else ()
        source = Source(
            key=key, name=name, kind=kind, country=(row.get("country") or "").strip(), known=True
        )
        outlets.append(Outlet(source, aliases, outlet_domains, links, mention_names, relay_names))
    return outlets


def read_rows(name: str = DATA_FILE) -> list[dict[str, str]]:
    """The rows of a registry CSV in the package's data folder (lines starting '#' skipped)."""
    try:
        raw = resources.files("claims").joinpath("data", name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"claims/data/{name}: cannot be read ({exc})") from exc
    numbered = [
        (number, line)
        for number, line in enumerate(raw.splitlines(), start=1)
        if line.strip() and not line.startswith("#")
    ]
    reader = csv.DictReader(io.StringIO("\n".join(line for _, line in numbered)))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise DataFileError(f"claims/data/{name}: header must be {','.join(COLUMNS)}")
    rows = []
    for (number, _), row in zip(numbered[1:], reader, strict=False):
        if None in row or any(value is None for value in row.values()):
            raise DataFileError(
                f"claims/data/{name}: line {number}: expected {len(COLUMNS)} columns"
            )
        rows.append({**row, "_line": str(number)})
    return rows


@cache
def _default_registry() -> SourceRegistry:
    return SourceRegistry(read_outlets(read_rows(), DATA_FILE))
