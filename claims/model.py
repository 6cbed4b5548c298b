"""The records that flow through the pipeline.

Every stage takes these frozen records and returns them: citations are read from the article,
resolved to a canonical `Source`, quantities are read from text, and each figure becomes a
`Claim` tied to the words it came from.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum

ORIGINS = ("infobox", "prose", "table", "citation_title")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A figure as written, turned into a closed or half-open interval.

    `low`/`high` are None for an open end ("more than 30" has no high). `start`/`end` are
    offsets of `text` inside the string the quantity was read from.
    """

    low: float | None
    high: float | None
    text: str
    qualifier: str = ""  # exact | about | more than | at least | fewer than | up to | range | vague
    unit: str = ""  # "" for a count, "percent" for a share
    start: int = 0
    end: int = 0

    @property
    def midpoint(self) -> float | None:
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        return self.low if self.low is not None else self.high


@dataclass(frozen=True, slots=True)
class Source:
    """One outlet under one canonical short name (SOHR, AP, TASS...)."""

    key: str
    name: str
    kind: str = "unknown"
    country: str = ""
    known: bool = False  # True when the outlet is in the package's registry


UNSOURCED = Source(key="", name="(no citation)", kind="none")


@dataclass(frozen=True, slots=True)
class Citation:
    """One cited work: a `<ref>` body, a citation template, or a bare URL."""

    ref_name: str = ""
    template: str = ""  # normalised template name ("cite news"), "" for a bare or plain ref
    title: str = ""
    trans_title: str = ""
    publisher: str = ""
    work: str = ""  # work / website / newspaper / magazine / journal, first one set
    agency: str = ""
    author: str = ""
    date: str = ""  # as written
    url: str = ""
    archive_url: str = ""
    language: str = ""
    text: str = ""  # plain text of the ref body, for refs with no template
    start: int = -1  # offsets of the defining <ref>...</ref> in the article
    end: int = -1
    title_start: int = -1  # offsets of the title (or trans-title) value in the article
    title_end: int = -1
    links: tuple[str, ...] = ()  # targets of [[wiki links]] inside publisher/work fields


@dataclass(frozen=True, slots=True)
class Claim:
    """A numeric claim: how many of what, about whom, said by which source, from which words."""

    article: str
    claim_id: str
    origin: str  # infobox | prose | citation_title
    section: str
    topic: str
    party: str
    side: str  # "1", "2", "3" for an infobox combatant column, "" when unknown
    value_low: float | None
    value_high: float | None
    value_text: str
    qualifier: str
    date: str  # ISO date (YYYY-MM-DD, YYYY-MM or YYYY) or ""
    place: str
    source: str  # canonical short name, "" when no citation backs the claim
    source_name: str
    source_kind: str
    claimant: str  # who asserts the figure when the text names one ("Russia", "state media")
    citation_title: str
    citation_url: str
    archive_url: str
    quote: str  # the sentence or field text, plain (markup removed)
    start: int  # offsets of the quote's wikitext in the article
    end: int
    unit: str = ""
    relayed_from: str = ""  # canonical source an outlet cites for the figure ("citing SOHR")
    source_country: str = ""
    ref_names: tuple[str, ...] = ()
    field: str = ""  # infobox parameter, or "table N, row R, column C", where the figure sits
    date_basis: str = ""  # sentence | paragraph | section | infobox | row | table | citation
    citation_date: str = ""
    party_text: str = ""  # the words that named the party, as written ("SDF fighters")
    counted: str = ""  # the noun the figure counts ("cases", "soldiers", "villages")
    source_basis: str = ""  # how the citation reaches the figure: own | block | row | table | none
    why: str = ""  # the attribution rules that decided party, topic, date and source

    @property
    def independent_source(self) -> str:
        """The source that originally counted the figure: the relayed origin when known."""
        return self.relayed_from or self.source

    def to_row(self) -> dict[str, object]:
        row = asdict(self)
        row["ref_names"] = " ".join(self.ref_names)
        return row


CLAIM_COLUMNS: tuple[str, ...] = (
    "article",
    "claim_id",
    "origin",
    "section",
    "topic",
    "party",
    "side",
    "value_low",
    "value_high",
    "value_text",
    "qualifier",
    "date",
    "place",
    "source",
    "source_name",
    "source_kind",
    "claimant",
    "citation_title",
    "citation_url",
    "archive_url",
    "quote",
    "start",
    "end",
)
"""The documented column order of claim exports; the remaining `Claim` fields follow."""

ALL_CLAIM_COLUMNS: tuple[str, ...] = CLAIM_COLUMNS + tuple(
    f.name for f in fields(Claim) if f.name not in CLAIM_COLUMNS
)


def claim_id_prefix(*parts: object) -> hashlib.blake2b:
    """The digest of the first parts of a claim id, for the claims that share them (the
    figures of one sentence): `make_claim_id(*rest, prefix=...)` goes on from a copy."""
    digest = hashlib.blake2b(digest_size=8)
    for part in parts:
        digest.update(str(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")
    return digest


def make_claim_id(*parts: object, prefix: hashlib.blake2b | None = None) -> str:
    """A short id that stays the same for the same inputs across runs and machines;
    `make_claim_id(a, b, prefix=claim_id_prefix(x, y))` equals `make_claim_id(x, y, a, b)`."""
    digest = prefix.copy() if prefix is not None else hashlib.blake2b(digest_size=8)
    for part in parts:
        digest.update(str(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class ArticleProblem:
    """Why an input could not be (fully) read: one line naming the file and the problem."""

    path: str
    message: str
    fatal: bool = True

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(slots=True)
class ExtractionResult:
    """Claims of one load, with the problems met on the way (nothing already read is lost)."""

    claims: list[Claim] = field(default_factory=list)
    problems: list[ArticleProblem] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)


# -- the comparison -----------------------------------------------------------------------


class Verdict(StrEnum):
    """How the figures of a pair (or of a group, its strongest pair) stand to each other."""

    AGREE = "agree"  # independent sources, ranges overlap within the tolerance
    REPEATED = "repeated"  # one outlet, or outlets relaying one origin, repeating a figure
    CONFLICT = "conflict"  # no overlap within the tolerance; the pair's `gap` says how far
    UPDATED = "updated"  # a later tally of a growing count
    DIFFERENT_SCOPE = "different_scope"  # a total and one incident: shown, never judged
    PART_OF = "part_of"  # a part and its whole ("including 11 children"): never judged
    SINGLE = "single"  # a group of one source's one figure: nothing to compare


class Scope(StrEnum):
    """What a figure is about: the whole subject of its article, or one incident of it."""

    TOTAL = "total"
    INCIDENT = "incident"


@dataclass(frozen=True, slots=True)
class Group:
    """Claims that count the same measure of the same party, in the same scope and time."""

    group_id: str
    article: str
    topic: str
    measure: str  # what is counted: "people", "infantry", "tank", "village"...
    party: str
    side: str
    scope: Scope
    date: str  # the earliest date of its claims
    place: str
    label: str
    n_claims: int
    n_sources: int
    n_independent: int  # distinct original sources (an outlet relaying SOHR counts as SOHR)
    independent_sources: str  # those sources, "; "-separated
    low: float | None  # the lowest finite end of its claims' ranges
    high: float | None
    best_estimate: float | None  # median of the independent sources' midpoints
    spread: float | None  # highest midpoint / lowest midpoint
    gap: float | None  # the largest relative gap of its conflicting pairs
    verdict: Verdict
    why: str
    part_of: str  # the group of the whole this group counts a part of, "" for none
    sum_check: str  # for a whole: its parts' arithmetic ("1,120 = 210 + 380 + 530")
    other_articles: str  # articles telling the same event, its figures set against this one's


@dataclass(frozen=True, slots=True)
class Pair:
    """Two claims set against each other, with the verdict and the rules that decided it."""

    group_id: str
    claim_a: str
    claim_b: str
    source_a: str
    source_b: str
    verdict: Verdict
    rules: str  # the names of the match.toml rules that fired, in order, "; "-separated
    why: str  # those rules with the arithmetic they read
    gap: float | None  # conflict: (higher low - lower high) / higher low
    text_score: float  # similarity of the two sentences, numbers removed (0-100)
    tolerance: float


@dataclass(frozen=True, slots=True)
class SourceStat:
    """One source across the comparison: how often it is highest, lowest, agreed with."""

    source: str
    source_name: str
    source_kind: str
    claims: int
    groups: int
    highest: int
    lowest: int
    unconfirmed: int  # its claims no independent source agrees with
    agree: int
    conflict: int
    repeated: int


def columns(record: type) -> tuple[str, ...]:
    """The column order of a record's table: its fields, as declared."""
    return tuple(f.name for f in fields(record))


GROUP_COLUMNS = columns(Group)
PAIR_COLUMNS = columns(Pair)
SOURCE_COLUMNS = columns(SourceStat)
COMPARED_CLAIM_COLUMNS: tuple[str, ...] = (
    "group_id",
    "scope",
    "group_verdict",
    "is_highest",
    "is_lowest",
    "confirmed",
    "measure",
    "whole_id",
)
"""The columns a comparison adds to each claim; `whole_id` is the claim whose part it counts."""

CLAIM_CSV_COLUMNS: tuple[str, ...] = ALL_CLAIM_COLUMNS + COMPARED_CLAIM_COLUMNS
"""The one layout of every claims table written (`extract`, `export`, `compare`, the
dashboard's downloads and data addresses): a claim not yet compared has the last columns empty."""
