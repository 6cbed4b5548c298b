"""Claim drift: how each figure of an article changed across its revisions.

An article's history is read one revision at a time, in flat memory: from a MediaWiki export
with full history (`pages-meta-history` dumps, `Special:Export` with all revisions; `.xml`,
`.xml.bz2`, `.xml.gz`) or from a folder of revision files named by revision id or timestamp.
Each revision's claims are extracted and grouped into figures (one figure per quantity at one
place, with every source that backs it); each figure is matched to a figure of the revision
before by its place in the article and by its words (the rules are data, in
`claims/data/history.toml`), so a figure keeps one identity while its value, its source and
its words change. Each change is an event of a named rule: `raised`, `lowered`,
`source_replaced`, `removed`, `restored`, `disputed_removed`, `revert_war`...

The changed-sections shortcut: each revision is split into sections and each section hashed;
a revision whose sections all hash as those of a revision read recently (the one before, or
any of the last `state_cache` distinct texts: a revert) reuses that revision's figures and is
not extracted again. A revision with any changed section is extracted whole: a section's
claims depend on the rest of the article (the infobox names the parties and dates the prose,
a `<ref name=x/>` is defined in another section, the references list's headlines are claims,
the title and the citations give the default year), so reusing the claims of unchanged
sections would be wrong whenever one of those changed elsewhere. See docs/history.md.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import re
import xml.etree.ElementTree as ET
from collections import OrderedDict, defaultdict, deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from rapidfuzz import fuzz

from claims.dumps import DUMP_SUFFIXES, is_dump
from claims.errors import ArticleError, CounterclaimError
from claims.knowledge import load_data
from claims.model import Claim

if TYPE_CHECKING:
    import pandas as pd

# -- revisions ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Revision:
    """One revision of one page."""

    title: str
    id: str  # the revision id ("" when unknown: a file named by its timestamp)
    timestamp: str  # ISO 8601 as the dump writes it ("2024-11-30T12:00:00Z"), "" when unknown
    comment: str  # the edit summary
    text: str
    parent: str = ""  # the parent revision's id, when the dump gives it


HISTORY_SUFFIXES = DUMP_SUFFIXES
REVISION_SUFFIXES = (".wiki", ".txt", ".wikitext", ".mediawiki", ".mw")


def read_history(path: str | Path, title: str | None = None) -> Iterator[Revision]:
    """The revisions of a history export, or of a folder of revision files, one at a time.

    `title` names a folder's article (an export names its pages). Pages come in dump order,
    each page's revisions in the dump's order (oldest first in the exports MediaWiki writes).
    Redirects and pages outside the main namespace are skipped. Raises `ArticleError` naming
    the input and the problem; revisions read before it were already yielded.
    """
    path = Path(path)
    if path.is_dir():
        yield from read_revision_folder(path, title)
        return
    if not is_dump(path):
        raise ArticleError(
            str(path), f"is neither a history export ({', '.join(DUMP_SUFFIXES)}) nor a folder"
        )
    try:
        stream = _open(path)
    except OSError as exc:
        raise ArticleError(str(path), exc.strerror or str(exc)) from None
    with stream:
        yield from read_history_stream(stream, str(path))


def _open(path: Path) -> io.BufferedIOBase:
    name = path.name.lower()
    if name.endswith(".bz2"):
        return bz2.open(path, "rb")  # type: ignore[return-value]
    if name.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


_REVISION_FIELDS = {"id": "id", "timestamp": "timestamp", "comment": "comment", "text": "text"}


def read_history_stream(stream: BinaryIO, name: str) -> Iterator[Revision]:
    """The revisions of a MediaWiki export read from an open (uncompressed) binary stream.

    Each revision is yielded when its closing tag is read, then cleared and dropped from its
    page, so memory holds one revision however long the history.
    """
    try:
        context = ET.iterparse(stream, events=("start", "end"))
        path: list[str] = []
        root: ET.Element | None = None
        page: ET.Element | None = None
        title, namespace, redirect = "", "0", False
        values: dict[str, str] = {}
        for event, element in context:
            tag = _local(element.tag)
            if event == "start":
                if root is None:
                    if tag != "mediawiki":
                        raise ArticleError(name, "is not a MediaWiki XML export")
                    root = element
                elif tag == "page" and len(path) == 1:
                    page, title, namespace, redirect = element, "", "0", False
                elif tag == "revision" and len(path) == 2 and path[1] == "page":
                    values = {}
                path.append(tag)
                continue
            path.pop()
            depth = len(path)
            if depth == 2 and path[1] == "page":  # a field of the page, or one revision
                if tag == "title":
                    title = element.text or ""
                elif tag == "ns":
                    namespace = (element.text or "0").strip()
                elif tag == "redirect":
                    redirect = True
                elif tag == "revision":
                    if namespace == "0" and not redirect and title:
                        yield Revision(
                            title=title,
                            id=values.get("id", "").strip(),
                            timestamp=values.get("timestamp", "").strip(),
                            comment=values.get("comment", ""),
                            text=values.get("text", ""),
                            parent=values.get("parentid", "").strip(),
                        )
                    element.clear()
                    if page is not None:
                        page.remove(element)
                    values = {}
            elif depth == 3 and path[2] == "revision":
                if tag in ("id", "timestamp", "comment", "text", "parentid"):
                    values[tag] = element.text or ""
            elif depth == 1 and root is not None:  # a page, or the siteinfo, is done
                element.clear()
                root.clear()
                page = None
        if root is None:
            raise ArticleError(name, "is empty")
    except ET.ParseError as exc:
        raise ArticleError(name, f"is not well-formed XML ({exc})") from None
    except (EOFError, OSError) as exc:
        raise ArticleError(name, f"cannot be read to the end ({exc})") from None


_TIMESTAMP_FORMATS = (
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H-%M-%SZ",
    "%Y-%m-%dT%H%M%SZ",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H-%M-%S",
    "%Y%m%d%H%M%S",
    "%Y-%m-%d",
)


def revision_name(stem: str) -> tuple[str, str] | None:
    """("id", "123") or ("timestamp", "2024-11-30T12:00:00Z") for a revision file's name."""
    for fmt in _TIMESTAMP_FORMATS:
        try:
            moment = datetime.strptime(stem, fmt)
        except ValueError:
            continue
        return "timestamp", moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if stem.isdigit() and len(stem) <= 12:
        return "id", str(int(stem))
    return None


def read_revision_folder(folder: Path, title: str | None = None) -> Iterator[Revision]:
    """The revisions of a folder of revision files (`<id>.wiki` or `<timestamp>.wiki`), oldest
    first: by revision id, or by timestamp. The article is named by `title`, else the
    folder's name. A file named neither way, or that cannot be read, is an `ArticleError`
    raised after the revisions before it in order were yielded."""
    from claims.extract import decode_article

    files = sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in REVISION_SUFFIXES
    )
    if not files:
        raise ArticleError(str(folder), f"holds no revision files ({', '.join(REVISION_SUFFIXES)})")
    named: list[tuple[str, str, Path]] = []
    bad: Path | None = None
    for p in files:
        kind = revision_name(p.stem)
        if kind is None:
            bad = bad or p
            continue
        named.append((kind[0], kind[1], p))
    kinds = {k for k, _, _ in named}
    if len(kinds) > 1:
        raise ArticleError(str(folder), "mixes files named by revision id and by timestamp")
    named.sort(key=lambda n: (int(n[1]) if n[0] == "id" else 0, n[1]))
    article = title or folder.resolve().name.replace("_", " ")
    for kind, value, p in named:
        try:
            text = decode_article(p.read_bytes(), str(p))
        except OSError as exc:
            raise ArticleError(str(p), exc.strerror or str(exc)) from None
        yield Revision(
            title=article,
            id=value if kind == "id" else "",
            timestamp=value if kind == "timestamp" else "",
            comment="",
            text=text,
        )
    if bad is not None:
        raise ArticleError(str(bad), "is named neither by a revision id nor by a timestamp")


# -- sections -------------------------------------------------------------------------------

_HEADING = re.compile(r"^(={1,6})[ \t]*([^=\n].*?)[ \t]*\1[ \t]*$", re.MULTILINE)
LEAD = "(lead)"


def sections(text: str) -> list[tuple[str, str]]:
    """The article's sections as (heading, wikitext), the lead (with the infobox) first."""
    out: list[tuple[str, str]] = []
    heading, start = LEAD, 0
    for m in _HEADING.finditer(text):
        out.append((heading, text[start : m.start()]))
        heading, start = m.group(2).strip(), m.start()
    out.append((heading, text[start:]))
    return out


def section_hashes(text: str) -> tuple[tuple[str, str], ...]:
    """(heading, digest) of each section: the revision's fingerprint."""
    return tuple(
        (heading, hashlib.blake2b(body.encode("utf-8"), digest_size=10).hexdigest())
        for heading, body in sections(text)
    )


def changed_sections(
    before: Sequence[tuple[str, str]], after: Sequence[tuple[str, str]]
) -> list[str]:
    """The headings of the sections an edit changed, added or removed, in the new order."""
    seen: dict[str, int] = defaultdict(int)
    old: dict[tuple[str, int], str] = {}
    for heading, digest in before:
        old[(heading, seen[heading])] = digest
        seen[heading] += 1
    seen.clear()
    out: list[str] = []
    for heading, digest in after:
        key = (heading, seen[heading])
        seen[heading] += 1
        if old.pop(key, None) != digest:
            out.append(heading)
    out.extend(heading for (heading, _), _ in old.items() if heading not in out)
    return out


# -- rules ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MatchRule:
    name: str
    same: tuple[str, ...]
    min_similarity: float
    restore: bool


@dataclass(frozen=True, slots=True)
class HistoryRules:
    identity: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]  # origin -> (locus, scope)
    match: tuple[MatchRule, ...]
    events: tuple[str, ...]
    dispute_same: tuple[str, ...]
    dispute_requires_party: bool
    revert_war_flips: int
    recent: tuple[str, ...]  # the events of the "changed recently" view by default
    state_cache: int
    window_per_worker: int
    revision_url: str

    def url(self, revision_id: str) -> str:
        return self.revision_url.format(id=revision_id) if revision_id else ""


@cache
def history_rules() -> HistoryRules:
    """The rules of `claims/data/history.toml`."""
    data: dict[str, Any] = load_data("history.toml")
    identity = {
        origin: (tuple(spec["locus"]), tuple(spec["scope"]))
        for origin, spec in data["identity"].items()
    }
    match = tuple(
        MatchRule(
            name=r["name"],
            same=tuple(r["same"]),
            min_similarity=float(r["min_similarity"]),
            restore=bool(r.get("restore", True)),
        )
        for r in data["match"]
    )
    events = data["events"]
    return HistoryRules(
        identity=identity,
        match=match,
        events=tuple(events["rules"]),
        dispute_same=tuple(events["disputed_removed"]["same"]),
        dispute_requires_party=bool(events["disputed_removed"]["require_party"]),
        revert_war_flips=int(events["revert_war"]["min_flips"]),
        recent=tuple(events["recent"]["shown"]),
        state_cache=int(data["reading"]["state_cache"]),
        window_per_worker=int(data["reading"].get("window_per_worker", 4)),
        revision_url=str(data["reading"]["revision_url"]),
    )


# -- figures of one revision ----------------------------------------------------------------

_CELL = re.compile(r"table (\d+), row (\d+), column (\d+)")
_DIGITS = re.compile(r"\d[\d,.]*")


@dataclass(frozen=True, slots=True)
class Observation:
    """One figure as one revision has it: one quantity at one place, with all its sources."""

    origin: str
    locus: tuple[str, ...]
    scope: tuple[str, ...]
    topic: str
    party: str
    ordinal: int  # among the figures of its locus with its topic and party
    label: str  # the figure's place, readable: "infobox · casualties3 · line 1"
    section: str
    field: str
    quote: str
    masked: str  # the quote with its figures masked, for matching by words
    value_low: float | None
    value_high: float | None
    value_text: str
    sources: tuple[str, ...]  # canonical outlets, sorted; () when no citation backs it
    citations: tuple[tuple[str, str, str], ...]  # (source, url, title) of each backing claim
    citation_date: str

    @property
    def value(self) -> tuple[float | None, float | None, str]:
        return (self.value_low, self.value_high, self.value_text)

    @property
    def source(self) -> str:
        return "; ".join(self.sources)

    def key(self, parts: Sequence[str]) -> tuple[object, ...]:
        return tuple(getattr(self, p) for p in parts)


def _mask(quote: str, value_text: str) -> str:
    masked = quote
    if value_text:
        masked = re.sub(re.escape(value_text), "#", masked, flags=re.IGNORECASE)
    return _DIGITS.sub("#", masked).lower()


def observe(claims: Sequence[Claim], rules: HistoryRules | None = None) -> list[Observation]:
    """The figures of one revision's claims: claims of one quantity at one place are one
    figure backed by each of their sources."""
    rules = rules or history_rules()
    groups: dict[tuple[object, ...], list[Claim]] = {}
    for c in claims:
        key = (c.origin, c.section, c.field, c.start, c.end, c.topic, c.party, c.value_text)
        key += (c.value_low, c.value_high)
        groups.setdefault(key, []).append(c)
    # the place of each quote among the quotes of its field (lines) or section (sentences)
    lines: dict[tuple[str, str], list[int]] = defaultdict(list)
    sentences: dict[tuple[str, str], list[int]] = defaultdict(list)
    for c in claims:
        lines[(c.origin, c.field)].append(c.start)
        sentences[(c.origin, c.section)].append(c.start)
    line_of = {k: {s: i for i, s in enumerate(sorted(set(v)))} for k, v in lines.items()}
    sentence_of = {k: {s: i for i, s in enumerate(sorted(set(v)))} for k, v in sentences.items()}
    counts: dict[tuple[object, ...], int] = defaultdict(int)
    out: list[Observation] = []
    ordered = sorted(groups.values(), key=lambda g: g[0].start)
    for group in ordered:
        c = group[0]
        cell = _CELL.search(c.field) if c.origin == "table" else None
        parts = {
            "field": ("", c.field),
            "line": ("line", str(line_of[(c.origin, c.field)][c.start] + 1)),
            "section": ("", c.section),
            "sentence": ("sentence", str(sentence_of[(c.origin, c.section)][c.start] + 1)),
            "table": ("table", cell.group(1) if cell else ""),
            "row": ("row", cell.group(2) if cell else ""),
            "column": ("column", cell.group(3) if cell else ""),
            "citation": ("", c.citation_url or " ".join(c.ref_names) or c.citation_title),
        }
        locus_parts, scope_parts = rules.identity.get(c.origin, rules.identity["other"])
        locus = tuple(parts[p][1] for p in locus_parts)
        scope = tuple(parts[p][1] for p in scope_parts)
        place = [f"{parts[p][0]} {parts[p][1]}".strip() for p in locus_parts if parts[p][1]]
        ordinal_key = (c.origin, locus, c.topic, c.party)
        ordinal = counts[ordinal_key]
        counts[ordinal_key] += 1
        label = " · ".join([c.origin, *place])
        sources = tuple(sorted({g.source for g in group if g.source}))
        citations = tuple(
            sorted({(g.source, g.citation_url, g.citation_title) for g in group if g.source})
        )
        out.append(
            Observation(
                origin=c.origin,
                locus=locus,
                scope=scope,
                topic=c.topic,
                party=c.party,
                ordinal=ordinal,
                label=label,
                section=c.section,
                field=c.field,
                quote=c.quote,
                masked=_mask(c.quote, c.value_text),
                value_low=c.value_low,
                value_high=c.value_high,
                value_text=c.value_text,
                sources=sources,
                citations=citations,
                citation_date=next((g.citation_date for g in group if g.citation_date), ""),
            )
        )
    return out


# -- timelines and events -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Point:
    """A figure's state from one revision on (a timeline holds the revisions that changed it)."""

    revision: str
    timestamp: str
    present: bool
    value_low: float | None
    value_high: float | None
    value_text: str
    source: str
    citation: str  # "added", "changed", "removed" or "" (the citations did not change)
    comment: str
    events: tuple[str, ...]


@dataclass(slots=True)
class Figure:
    """One figure followed across revisions."""

    figure_id: str
    identity: str  # where it was first seen and what it counts, readable
    origin: str
    topic: str
    party: str
    last: Observation
    present: bool = True
    timeline: list[Point] = field(default_factory=list)
    values: list[tuple[float | None, float | None, str] | None] = field(default_factory=list)
    flips: int = 0
    flagged: bool = False
    removed_in: str = ""


@dataclass(frozen=True, slots=True)
class Event:
    """One change of one figure in one revision, named by the rule that found it."""

    article: str
    figure_id: str
    figure: str
    origin: str
    section: str
    field: str
    topic: str
    party: str
    revision: str
    timestamp: str
    event: str
    old: str
    new: str
    old_low: float | None
    old_high: float | None
    new_low: float | None
    new_high: float | None
    old_source: str
    new_source: str
    detail: str
    comment: str
    url: str
    matched_by: str  # the match rule that tied the figure to its previous state ("" if none)
    edited_sections: str

    def to_row(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in EVENT_COLUMNS}


EVENT_COLUMNS: tuple[str, ...] = (
    "article",
    "figure",
    "figure_id",
    "revision",
    "timestamp",
    "event",
    "old",
    "new",
    "old_source",
    "new_source",
    "comment",
    "url",
    "detail",
    "origin",
    "section",
    "field",
    "topic",
    "party",
    "old_low",
    "old_high",
    "new_low",
    "new_high",
    "matched_by",
    "edited_sections",
)
"""The columns of a drift table, in order."""


def _midpoint(low: float | None, high: float | None) -> float | None:
    if low is not None and high is not None:
        return (low + high) / 2
    return low if low is not None else high


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if value != int(value) else f"{int(value):,}"


class Tracker:
    """Follows the figures of one article through its revisions, one revision at a time."""

    def __init__(
        self, title: str, *, shortcut: bool = True, rules: HistoryRules | None = None
    ) -> None:
        self.title = title
        self.shortcut = shortcut
        self.rules = rules or history_rules()
        self.figures: dict[str, Figure] = {}
        self.events: list[Event] = []
        self.warnings: list[str] = []
        self.revisions = 0
        self.extractions = 0
        self.last_revision: Revision | None = None
        self._live: list[str] = []  # ids of the figures present, in article order
        self._cache: OrderedDict[tuple[tuple[str, str], ...], list[Observation]] = OrderedDict()
        self._fingerprint: tuple[tuple[str, str], ...] = ()
        self._serial = 0

    # reading one revision

    def add(self, revision: Revision, prepared: Prepared | None = None) -> list[Event]:
        """Read one revision; the events it made, in figure order. `prepared` holds its
        figures when they were observed elsewhere (another process: see `follow`)."""
        self.revisions += 1
        fingerprint = section_hashes(revision.text)
        edited = changed_sections(self._fingerprint, fingerprint) if self.revisions > 1 else []
        same_text = self.shortcut and self.revisions > 1 and fingerprint == self._fingerprint
        self._fingerprint = fingerprint
        self.last_revision = revision
        if same_text:
            return []  # nothing changed: no figure can have
        if prepared is not None:
            observations = prepared.observations
            self.extractions += prepared.extracted
            if prepared.warning and prepared.extracted:
                self.warnings.append(prepared.warning)
        else:
            observations = self._observations(revision, fingerprint)
        return self._apply(revision, observations, "; ".join(edited))

    def _observations(
        self, revision: Revision, fingerprint: tuple[tuple[str, str], ...]
    ) -> list[Observation]:
        if self.shortcut:
            cached = self._cache.get(fingerprint)
            if cached is not None:
                self._cache.move_to_end(fingerprint)
                return cached
        observations = observe(self._extract(revision), self.rules)
        if self.shortcut:
            self._cache[fingerprint] = observations
            while len(self._cache) > self.rules.state_cache:
                self._cache.popitem(last=False)
        return observations

    def _extract(self, revision: Revision) -> list[Claim]:
        self.extractions += 1
        claims, warning = extract_revision(revision.text, revision.title, _revision_name(revision))
        if warning:
            self.warnings.append(warning)
        return claims

    # matching

    def _match(self, observations: list[Observation]) -> dict[int, tuple[str, str]]:
        """Observation index -> (figure id, match rule) for figures seen before."""
        assigned: dict[int, tuple[str, str]] = {}
        used: set[str] = set()
        live = [f for f in self._live]
        removed = [fid for fid, f in self.figures.items() if not f.present]
        for pool, restoring in ((live, False), (removed, True)):
            if not pool:
                continue
            for rule in self.rules.match:
                if restoring and not rule.restore:
                    continue
                self._match_rule(rule, observations, pool, assigned, used)
        return assigned

    def _match_rule(
        self,
        rule: MatchRule,
        observations: list[Observation],
        pool: list[str],
        assigned: dict[int, tuple[str, str]],
        used: set[str],
    ) -> None:
        block: dict[tuple[object, ...], list[str]] = defaultdict(list)
        for fid in pool:
            if fid not in used:
                block[self.figures[fid].last.key(rule.same)].append(fid)
        if not block:
            return
        pairs: list[tuple[float, int, int, int, str]] = []
        for i, o in enumerate(observations):
            if i in assigned:
                continue
            for fid in block.get(o.key(rule.same), ()):
                prior = self.figures[fid].last
                similarity = (
                    100.0 if o.masked == prior.masked else fuzz.ratio(o.masked, prior.masked)
                )
                if similarity < rule.min_similarity:
                    continue
                moved = int(o.locus != prior.locus) + int(o.ordinal != prior.ordinal)
                pairs.append((-similarity, moved, i, len(pairs), fid))
        pairs.sort()
        for _, _, i, _, fid in pairs:
            if i in assigned or fid in used:
                continue
            assigned[i] = (fid, rule.name)
            used.add(fid)

    # events

    def _apply(
        self, revision: Revision, observations: list[Observation], edited: str
    ) -> list[Event]:
        assigned = self._match(observations)
        made: list[Event] = []
        previous_live = [self.figures[fid] for fid in self._live]
        matched = {fid for fid, _ in assigned.values()}
        new_live: list[str] = []
        for i, o in enumerate(observations):
            if i in assigned:
                fid, rule = assigned[i]
                made.extend(self._changed(self.figures[fid], o, revision, rule, edited))
            else:
                fid = self._new_figure(o)
                made.extend(self._added(self.figures[fid], o, revision, edited))
            new_live.append(fid)
        for figure in previous_live:
            if figure.figure_id not in matched:
                made.extend(self._removed(figure, previous_live, revision, edited))
        self._live = new_live
        self.events.extend(made)
        return made

    def _new_figure(self, o: Observation) -> str:
        self._serial += 1
        identity = f"{o.label} · {o.topic} · {o.party or '(no party)'}"
        if o.ordinal:
            identity += f" #{o.ordinal + 1}"
        digest = hashlib.blake2b(f"{self.title}\x1f{identity}".encode(), digest_size=6)
        fid = digest.hexdigest()
        while fid in self.figures:  # the same place seen again as another figure
            fid = hashlib.blake2b(f"{fid}{self._serial}".encode(), digest_size=6).hexdigest()
        self.figures[fid] = Figure(fid, identity, o.origin, o.topic, o.party, o)
        return fid

    def _event(
        self,
        figure: Figure,
        revision: Revision,
        name: str,
        old: Observation | None,
        new: Observation | None,
        detail: str,
        rule: str,
        edited: str,
    ) -> Event:
        here = new or old or figure.last
        return Event(
            article=self.title,
            figure_id=figure.figure_id,
            figure=figure.identity,
            origin=here.origin,
            section=here.section,
            field=here.field,
            topic=here.topic,
            party=here.party,
            revision=revision.id,
            timestamp=revision.timestamp,
            event=name,
            old=old.value_text if old else "",
            new=new.value_text if new else "",
            old_low=old.value_low if old else None,
            old_high=old.value_high if old else None,
            new_low=new.value_low if new else None,
            new_high=new.value_high if new else None,
            old_source=old.source if old else "",
            new_source=new.source if new else "",
            detail=detail,
            comment=revision.comment,
            url=self.rules.url(revision.id),
            matched_by=rule,
            edited_sections=edited,
        )

    def _point(
        self, figure: Figure, revision: Revision, o: Observation | None, events: list[Event]
    ) -> None:
        citation = ""
        names = {e.event for e in events}
        if names & {"citation_added", "source_replaced", "citation_changed"}:
            citation = "added" if "citation_added" in names else "changed"
        elif "citation_removed" in names:
            citation = "removed"
        shown = o or figure.last
        figure.timeline.append(
            Point(
                revision=revision.id,
                timestamp=revision.timestamp,
                present=o is not None,
                value_low=shown.value_low if o else None,
                value_high=shown.value_high if o else None,
                value_text=shown.value_text if o else "",
                source=shown.source if o else "",
                citation=citation,
                comment=revision.comment,
                events=tuple(e.event for e in events),
            )
        )

    def _added(
        self, figure: Figure, o: Observation, revision: Revision, edited: str
    ) -> list[Event]:
        detail = f"added {o.value_text}" + (f" (citation: {o.source})" if o.source else "")
        events = [self._event(figure, revision, "added", None, o, detail, "", edited)]
        figure.values.append(o.value)
        self._point(figure, revision, o, events)
        return events

    def _changed(
        self, figure: Figure, o: Observation, revision: Revision, rule: str, edited: str
    ) -> list[Event]:
        old = figure.last
        events: list[Event] = []

        def event(name: str, detail: str) -> None:
            events.append(self._event(figure, revision, name, old, o, detail, rule, edited))

        citation = f" (citation: {o.source}{', ' + o.citation_date if o.citation_date else ''})"
        citation = citation if o.source else ""
        value_changed = old.value != o.value
        if not figure.present:
            event("restored", f"restored {o.value_text}{citation} (removed in {figure.removed_in})")
        elif value_changed:
            before, after = _midpoint(*old.value[:2]), _midpoint(*o.value[:2])
            if before is not None and after is not None and after != before:
                name = "raised" if after > before else "lowered"
            else:
                name = "reworded"
            event(name, f"{name} {old.value_text} → {o.value_text}{citation}")
        if figure.present:
            events.extend(self._citation_events(figure, old, o, revision, rule, edited))
        if not figure.present or value_changed:
            events.extend(self._flip(figure, o.value, revision, old, o, rule, edited))
        figure.present = True
        figure.last = o
        if events:
            self._point(figure, revision, o, events)
        return events

    def _citation_events(
        self,
        figure: Figure,
        old: Observation,
        o: Observation,
        revision: Revision,
        rule: str,
        edited: str,
    ) -> list[Event]:
        before, after = set(old.sources), set(o.sources)
        name = ""
        if before != after:
            if before and after and not (before <= after or after <= before):
                name = "source_replaced"
                detail = f"source replaced: {old.source} → {o.source}"
            elif before < after:
                name = "citation_added"
                detail = f"citation added: {'; '.join(sorted(after - before))}"
            else:
                name = "citation_removed"
                detail = f"citation removed: {'; '.join(sorted(before - after))}"
        elif old.citations != o.citations:
            name = "citation_changed"
            detail = f"citation changed: {o.source}"
        if not name:
            return []
        return [self._event(figure, revision, name, old, o, detail, rule, edited)]

    def _flip(
        self,
        figure: Figure,
        value: tuple[float | None, float | None, str] | None,
        revision: Revision,
        old: Observation | None,
        new: Observation | None,
        rule: str,
        edited: str,
    ) -> list[Event]:
        values = figure.values
        if len(values) >= 2 and values[-2] == value:
            figure.flips += 1
        else:
            figure.flips = 0
            figure.flagged = False
        values.append(value)
        del values[:-2]
        if figure.flips < self.rules.revert_war_flips or figure.flagged:
            return []
        figure.flagged = True
        a, b = (
            (values[0] or (None, None, "(absent)"))[2],
            (values[1] or (None, None, "(absent)"))[2],
        )
        detail = f"revert war: {a} ⇄ {b}, {figure.flips} reverts in a row"
        return [self._event(figure, revision, "revert_war", old, new, detail, rule, edited)]

    def _removed(
        self, figure: Figure, previous_live: list[Figure], revision: Revision, edited: str
    ) -> list[Event]:
        old = figure.last
        name, detail = (
            "removed",
            f"removed {old.value_text}" + (f" ({old.source})" if old.source else ""),
        )
        rival = self._disputer(figure, previous_live)
        if rival is not None:
            name = "disputed_removed"
            detail += f", disputed by {rival.source}: {rival.value_text}"
        events = [self._event(figure, revision, name, old, None, detail, "", edited)]
        figure.present = False
        figure.removed_in = revision.id or revision.timestamp
        events.extend(self._flip(figure, None, revision, old, None, "", edited))
        self._point(figure, revision, None, events)
        return events

    def _disputer(self, figure: Figure, previous_live: list[Figure]) -> Observation | None:
        """Another figure of the revision before that disputed this one: the same topic and
        party (`dispute_same`), another value, and no source in common."""
        o = figure.last
        if not o.sources or (self.rules.dispute_requires_party and not o.party):
            return None
        same = self.rules.dispute_same
        for other in previous_live:
            p = other.last
            if other is figure or p.key(same) != o.key(same):
                continue
            if p.sources and not set(p.sources) & set(o.sources) and p.value[:2] != o.value[:2]:
                return p
        return None

    # the state now

    def finish(self) -> None:
        """Drop what only the next revision could use (the recent texts' figures)."""
        self._cache.clear()

    def current(self) -> list[Observation]:
        """The figures present at the last revision read, in article order."""
        return [self.figures[fid].last for fid in self._live]


def _revision_name(revision: Revision) -> str:
    return f"{revision.title} revision {revision.id or revision.timestamp}"


def extract_revision(text: str, title: str, name: str) -> tuple[list[Claim], str | None]:
    """The claims of one revision's text, and the one-line warning when it has none to give:
    a blanked or unreadable revision has no figures (all were removed); one odd revision is
    its own problem, and the others are read."""
    from claims.extract import extract

    try:
        return extract(text, title or None, path=name).claims, None
    except ArticleError as exc:
        return [], f"{name}: {exc.problem}"
    except Exception as exc:
        reason = " ".join(str(exc).split())[:200]
        return [], f"{name}: could not be extracted ({type(exc).__name__}: {reason})"


def observe_revision(
    text: str, title: str, name: str, rules: HistoryRules
) -> tuple[list[Observation], str | None]:
    """The figures of one revision's text (what a worker process computes)."""
    claims, warning = extract_revision(text, title, name)
    return observe(claims, rules), warning


@dataclass(frozen=True, slots=True)
class Prepared:
    """The figures of a revision observed ahead of the tracker, and whether it took an
    extraction (a text seen recently reuses the figures of its first reading)."""

    observations: list[Observation]
    warning: str | None
    extracted: bool


@contextmanager
def _executor(engine: str, processes: int, scheduler: str | None) -> Iterator[Any]:
    """Something with `submit(fn, *args)` returning a future with `.result()`: worker
    processes of this machine (local), or a dask.distributed cluster (dask)."""
    if engine == "dask":
        from claims.ingest import dask_client

        with dask_client(scheduler, processes) as client:
            yield client
        return
    from concurrent.futures import ProcessPoolExecutor

    from claims.ingest import worker_setup

    with ProcessPoolExecutor(max_workers=processes, initializer=worker_setup) as pool:
        yield pool


def observed_ahead(
    revisions: Iterable[Revision],
    *,
    processes: int,
    engine: str = "local",
    scheduler: str | None = None,
    shortcut: bool = True,
    rules: HistoryRules | None = None,
) -> Iterator[tuple[Revision, Prepared]]:
    """Each revision with its figures, observed by worker processes (or a dask cluster) a few
    revisions ahead, in the order read: the reading and the matching stay in this process,
    in order, and the extractions run in parallel. At most `window_per_worker` revisions a
    worker are in flight, so memory stays flat. With the shortcut, a text whose sections all
    hash as one of the last `state_cache` distinct texts (of the same article) is not sent
    again: it reuses that text's figures."""
    rules = rules or history_rules()
    window = max(1, processes) * rules.window_per_worker
    pending: deque[tuple[Revision, Any, bool]] = deque()
    recent: OrderedDict[tuple[str, tuple[tuple[str, str], ...]], Any] = OrderedDict()

    def taken() -> tuple[Revision, Prepared]:
        revision, future, extracted = pending.popleft()
        try:
            observations, warning = future.result()
        except BrokenProcessPool:
            raise CounterclaimError(
                "a worker process died (out of memory?); the revisions before it were read"
            ) from None
        return revision, Prepared(observations, warning, extracted)

    with _executor(engine, processes, scheduler) as pool:
        for revision in revisions:
            key = (revision.title, section_hashes(revision.text))
            future = recent.get(key) if shortcut else None
            extracted = future is None
            if future is None:
                args = (revision.text, revision.title, _revision_name(revision), rules)
                future = pool.submit(observe_revision, *args)
                if shortcut:
                    recent[key] = future
                    while len(recent) > rules.state_cache:
                        recent.popitem(last=False)
            else:
                recent.move_to_end(key)
            pending.append((revision, future, extracted))
            if len(pending) >= window:
                yield taken()
        while pending:
            yield taken()


# -- whole histories ------------------------------------------------------------------------


@dataclass(slots=True)
class HistoryResult:
    """The articles followed, with their events; `problems` are one-line errors of the input
    (what was read before one is kept), `warnings` revisions that could not be extracted."""

    articles: list[Tracker] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [w for t in self.articles for w in t.warnings]

    @property
    def events(self) -> list[Event]:
        return [e for t in self.articles for e in t.events]

    @property
    def revisions(self) -> int:
        return sum(t.revisions for t in self.articles)


def follow(
    revisions: Iterable[Revision],
    *,
    shortcut: bool = True,
    rules: HistoryRules | None = None,
    processes: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
) -> Iterator[Tracker]:
    """Follow the figures of each page through its revisions; one `Tracker` per page, yielded
    when its last revision was read (its cache of recent texts dropped: a dump of many pages
    keeps each page's figures and events, never its texts). An `ArticleError` of the input is
    raised after the page being read was yielded with the revisions read before it.

    With `processes` above 1, or the dask `engine`, the revisions are extracted in parallel
    (`observed_ahead`); the events are the same as in one process."""
    tracker: Tracker | None = None
    parallel = processes > 1 or engine == "dask"
    read: Iterable[tuple[Revision, Prepared | None]]
    if parallel:
        read = observed_ahead(
            revisions,
            processes=processes,
            engine=engine,
            scheduler=scheduler,
            shortcut=shortcut,
            rules=rules,
        )
    else:
        read = ((revision, None) for revision in revisions)
    try:
        for revision, prepared in read:
            if tracker is None or revision.title != tracker.title:
                if tracker is not None:
                    tracker.finish()
                    yield tracker
                tracker = Tracker(revision.title, shortcut=shortcut, rules=rules)
            tracker.add(revision, prepared)
    except ArticleError:
        if tracker is not None:
            tracker.finish()
            yield tracker
            tracker = None
        raise
    if tracker is not None:
        tracker.finish()
        yield tracker


def follow_path(
    path: str | Path,
    *,
    shortcut: bool = True,
    title: str | None = None,
    processes: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
) -> HistoryResult:
    """Every article of a history export or revision folder; a bad input is a problem line,
    and what was read before it is kept."""
    result = HistoryResult()
    try:
        revisions = read_history(path, title)
        parallel = {"processes": processes, "engine": engine, "scheduler": scheduler}
        for tracker in follow(revisions, shortcut=shortcut, **parallel):
            result.articles.append(tracker)
    except ArticleError as exc:
        result.problems.append(str(exc))
    return result


# -- drift tables ---------------------------------------------------------------------------

_DRIFT_TEXT = ("article", "figure", "figure_id", "revision", "timestamp", "event", "old", "new")
_DRIFT_TEXT += ("old_source", "new_source", "comment", "url", "detail", "origin", "section")
_DRIFT_TEXT += ("field", "topic", "party")
_DRIFT_NUMBERS = ("old_low", "old_high", "new_low", "new_high")
_VALUE_EVENTS = frozenset({"added", "raised", "lowered", "reworded", "removed", "restored"})
_VALUE_EVENTS |= {"disputed_removed", "source_replaced", "citation_added", "citation_removed"}
_VALUE_EVENTS |= {"citation_changed"}


def drift_frame(events: Iterable[Event]) -> pd.DataFrame:
    """Events as a drift table: one row per change, columns `EVENT_COLUMNS`."""
    import pandas as pd

    frame = pd.DataFrame([e.to_row() for e in events], columns=list(EVENT_COLUMNS))
    for column in _DRIFT_NUMBERS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def read_drift(path: str | Path) -> pd.DataFrame:
    """A drift table written by `claims history` (.csv, .json, .jsonl or .parquet).

    Raises `ArticleError` naming the file when it cannot be read or lacks a drift column.
    """
    import pandas as pd

    path = Path(path)
    name = path.name.lower()
    try:
        if name.endswith(".csv"):
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        elif name.endswith(".jsonl"):
            frame = pd.read_json(path, lines=True, dtype=False)
        elif name.endswith(".json"):
            frame = pd.read_json(path, dtype=False)
        elif name.endswith(".parquet"):
            frame = pd.read_parquet(path)
        else:
            raise ArticleError(str(path), "is not a drift table (.csv, .json, .jsonl, .parquet)")
    except ArticleError:
        raise
    except (OSError, ValueError) as exc:
        reason = " ".join(str(exc).split())[:200]
        raise ArticleError(str(path), f"cannot be read as a drift table ({reason})") from None
    return as_drift(frame, str(path))


def as_drift(frame: pd.DataFrame, origin: str) -> pd.DataFrame:
    """A table read from `origin` (a file, a store) as a drift table: the columns of
    `EVENT_COLUMNS` in order, text as text ("" for missing), numbers as floats. Raises
    `ArticleError` naming `origin` when a column of a drift table is missing."""
    import pandas as pd

    missing = [c for c in (*_DRIFT_TEXT, *_DRIFT_NUMBERS) if c not in frame.columns]
    if missing:
        raise ArticleError(origin, f"is not a drift table (no column {missing[0]})")
    frame = frame.reindex(columns=list(EVENT_COLUMNS))
    for column in _DRIFT_TEXT:
        frame[column] = frame[column].astype("string").fillna("").astype(object)
    for column in _DRIFT_NUMBERS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


STEP_COLUMNS = ("figure_id", "figure", "revision", "timestamp", "url", "event", "value_low",
                "value_high", "value_text", "source", "detail", "comment")  # fmt: skip


def _claim_key(claim: Mapping[str, object]) -> tuple[str, ...]:
    """A claim's figure key: article, origin, topic, party and its place (the infobox field of
    an infobox or table figure, else its section)."""
    origin = str(claim.get("origin") or "")
    place = claim.get("field") if origin in ("infobox", "table") else claim.get("section")
    key = (claim.get("article"), origin, claim.get("topic"), claim.get("party"), place)
    return tuple("" if v is None or v != v else str(v) for v in key)


def _drift_keys(drift: pd.DataFrame) -> list[tuple[str, ...]]:
    """The figure key of each row of a drift table (as `_claim_key` of its claim)."""
    places = drift["field"].where(drift["origin"].isin(["infobox", "table"]), drift["section"])
    columns = (drift["article"], drift["origin"], drift["topic"], drift["party"], places)
    return [tuple(str(v) for v in key) for key in zip(*columns, strict=True)]


def figure_steps(drift: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """The value of each followed figure of `claims` after each revision that changed it.

    A figure of the drift table is one of the claims' when it has a claim's article, origin,
    topic and party, and its infobox field (an infobox or table figure) or its section (any
    other). One row per value event (`STEP_COLUMNS`), oldest first; a removal has no value.
    """
    import pandas as pd

    if drift is None or drift.empty or claims.empty:
        return pd.DataFrame(columns=list(STEP_COLUMNS))
    wanted = {_claim_key(c) for c in claims.to_dict("records")}
    ours = pd.Series([k in wanted for k in _drift_keys(drift)], index=drift.index, dtype=bool)
    rows = drift[ours & drift["event"].isin(_VALUE_EVENTS)]
    if rows.empty:
        return pd.DataFrame(columns=list(STEP_COLUMNS))
    gone = rows["event"].isin(["removed", "disputed_removed"])
    steps = pd.DataFrame(
        {
            "figure_id": rows["figure_id"],
            "figure": rows["figure"],
            "revision": rows["revision"],
            "timestamp": rows["timestamp"],
            "url": rows["url"],
            "event": rows["event"],
            "value_low": rows["new_low"].where(~gone),
            "value_high": rows["new_high"].where(~gone),
            "value_text": rows["new"].where(~gone, ""),
            "source": rows["new_source"].where(~gone, ""),
            "detail": rows["detail"],
            "comment": rows["comment"],
        }
    )
    return steps.sort_values(["figure_id", "timestamp"], kind="stable").reset_index(drop=True)


def claim_steps(drift: pd.DataFrame, claim: Mapping[str, object]) -> pd.DataFrame:
    """The steps (`figure_steps`) of the one figure that is `claim` now.

    Several figures can share a claim's place (two counts of the dead in one section); of
    those, the figures whose last value is the claim's figure as written are its own. When
    none is, every figure of its place is given.
    """
    import pandas as pd

    steps = figure_steps(drift, pd.DataFrame([dict(claim)]))
    if steps.empty or steps["figure_id"].nunique() == 1:
        return steps
    last = steps.groupby("figure_id", sort=False)["value_text"].last()
    own = last[last.astype(str) == str(claim.get("value_text") or "")].index
    return steps[steps["figure_id"].isin(own)].reset_index(drop=True) if len(own) else steps


CHANGE_COLUMNS = ("timestamp", "article", "figure", "event", "old", "new", "old_source",
                  "new_source", "detail", "comment", "revision", "url", "figure_id",
                  "claim_id", "group_id")  # fmt: skip
"""The columns of the "changed recently" list: a drift table's, newest first, each change with
the claim (and its group) that the figure is now, when it is still in the store."""


class UnknownEvent(ValueError):
    """An event name that is no rule of `claims/data/history.toml` (its one-line reason)."""


def check_events(names: Iterable[str]) -> tuple[str, ...]:
    """`names` as event rule names, in order and once each; UnknownEvent names the first that
    is none, with the known ones."""
    known = history_rules().events
    wanted = tuple(dict.fromkeys(n.strip() for n in names if n.strip()))
    for name in wanted:
        if name not in known:
            raise UnknownEvent(f"unknown event {name[:40]!r}; known events: {', '.join(known)}")
    return wanted


def recent_changes(
    drift: pd.DataFrame | None,
    claims: pd.DataFrame,
    *,
    events: Iterable[str] = (),
    articles: Iterable[str] = (),
) -> pd.DataFrame:
    """The changes of a drift table, newest first (`CHANGE_COLUMNS`).

    Only the `events` given (checked by `check_events`; none: the rules' `recent` events) and
    the `articles` given (any case; none: every article). Each change names the claim of
    `claims` its figure is now (the claim of its place with its value: the new one, or for a
    removal the one removed; else the first claim of its place) and that claim's group; both
    are "" when no claim of `claims` is at the figure's place.
    """
    import pandas as pd

    kinds = check_events(events) or history_rules().recent
    if drift is None or drift.empty:
        return pd.DataFrame(columns=list(CHANGE_COLUMNS))
    rows = drift[drift["event"].isin(kinds)]
    folded = {a.casefold() for a in articles if a.strip()}
    if folded:
        rows = rows[rows["article"].astype(str).str.casefold().isin(folded)]
    rows = rows.sort_values(["timestamp", "revision"], ascending=False, kind="stable")
    places: dict[tuple[str, ...], list[tuple[str, str, str]]] = {}
    columns = ["claim_id", "group_id", "value_text"]
    wanted = [*claims.columns, *(c for c in columns if c not in claims.columns)]
    for claim in claims.reindex(columns=wanted).to_dict("records"):
        entry = tuple("" if v is None or v != v else str(v) for v in (claim[c] for c in columns))
        places.setdefault(_claim_key(claim), []).append(entry)  # type: ignore[arg-type]
    gone = rows["event"].isin(["removed", "disputed_removed"])
    values = rows["old"].where(gone, rows["new"]).astype(str)
    found = []
    for key, value in zip(_drift_keys(rows), values, strict=True):
        candidates = places.get(key, [])
        same = [c for c in candidates if c[2] == value]
        found.append((same or candidates or [("", "", "")])[0][:2])
    out = rows.reindex(columns=list(CHANGE_COLUMNS)).reset_index(drop=True)
    out["claim_id"] = [c for c, _ in found]
    out["group_id"] = [g for _, g in found]
    return out


__all__ = [
    "CHANGE_COLUMNS",
    "EVENT_COLUMNS",
    "STEP_COLUMNS",
    "Event",
    "Figure",
    "HistoryResult",
    "HistoryRules",
    "Observation",
    "Point",
    "Revision",
    "Tracker",
    "UnknownEvent",
    "as_drift",
    "changed_sections",
    "check_events",
    "claim_steps",
    "drift_frame",
    "figure_steps",
    "follow",
    "follow_path",
    "history_rules",
    "observe",
    "read_drift",
    "read_history",
    "read_history_stream",
    "recent_changes",
    "revision_name",
    "section_hashes",
    "sections",
]
