"""What the dashboard knows about the store: a comparison per data version, sliced per filter.

Extraction and matching happen in `claims` once per change of the store (keyed by
`Store.version()`); a filter change only selects rows of precomputed frames and asks the
comparison to `restrict` itself to them, so callbacks stay fast with many claims loaded.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import pandas as pd

from claims.filters import Filters, Spelling
from claims.model import ALL_CLAIM_COLUMNS
from dashboard.figures import prepare_claims

T = TypeVar("T")
MAX_GRID_ROWS = 2000  # rows sent to the browser's grid; the "all claims" CSV has every row
VIEW_CACHE_SIZE = 32  # views kept per data version (a few users clicking back and forth)
GRID_COLUMNS: tuple[str, ...] = (
    "verdict",
    "topic",
    "party",
    "value_text",
    "value_low",
    "value_high",
    "unit",
    "source",
    "source_name",
    "source_kind",
    "claimant",
    "date",
    "place",
    "quote",
    "citation_title",
    "citation_url",
    "archive_url",
    "article",
    "section",
    "origin",
    "confirmed",
    "group_id",
    "claim_id",
)
"""Columns of the claims grid, in order. Every claims download has the one layout of
`claims.model.CLAIM_CSV_COLUMNS` (the grid's rows, with every column)."""

FILTER_FIELDS = ("article", "topic", "party", "source", "source_kind", "verdict")


class StoreLike(Protocol):
    """The part of `claims.store.Store` the dashboard uses (and, optionally, `writing()`:
    whether another process writes the store now, see `claims.service.ComparedStore`)."""

    def version(self) -> str: ...
    def comparison(self) -> Any: ...
    def articles_frame(self) -> pd.DataFrame: ...
    def add_article(self, title: str, text: str, *, path: str = "") -> list: ...


@dataclass(frozen=True)
class Snapshot:
    """The comparison of one data version, with the lists the filter menus offer."""

    version: str
    comparison: Any
    claims: pd.DataFrame  # comparison.claims plus `verdict` (the claim's group verdict)
    options: dict[str, list[str]]
    articles: pd.DataFrame
    spellings: dict[str, Spelling] = field(default_factory=dict)  # the options, by spelling


@dataclass(frozen=True)
class View:
    """The claims, groups and pairs that pass one filter state."""

    filters: Filters
    claims: pd.DataFrame
    comparison: Any
    total_claims: int

    @property
    def grid_rows(self) -> pd.DataFrame:
        """Rows for the grid: the view's claims, capped at MAX_GRID_ROWS, grid columns only."""
        rows = self.claims.head(MAX_GRID_ROWS)
        return rows.reindex(columns=list(GRID_COLUMNS))


@dataclass
class DashboardData:
    """Caches the store's comparison by data version and views by filter state (thread-safe).

    The dashboard only reads the store. When the data changes, one request builds the new
    snapshot while the others go on with the last one; while another process writes the store
    (`claims ingest`, the upload writer), the last snapshot is kept until the writer is done
    and has saved the comparison, which every server process then loads rather than makes.
    Uploads go to the store's queue (`uploads`, a `claims.writer.UploadQueue`), written by the
    one writer; a store without a file (tests) adds them in place.
    """

    store: StoreLike
    history: pd.DataFrame | None = None  # a drift table (`claims history`), when one is loaded
    uploads: Any = None  # the store's `UploadQueue`; made from the store's file when not given
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _build_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _snapshot: Snapshot | None = field(default=None, repr=False)
    _views: OrderedDict[Filters, View] = field(default_factory=OrderedDict, repr=False)
    _drawn: OrderedDict[Hashable, Any] = field(default_factory=OrderedDict, repr=False)

    def __post_init__(self) -> None:
        if self.uploads is None:
            path = getattr(getattr(self.store, "store", self.store), "path", None)
            if path is not None:
                from claims.writer import UploadQueue

                self.uploads = UploadQueue(path)

    def snapshot(self) -> Snapshot:
        """The current data; rebuilt only when the store's version has changed, by one request
        at a time (the others keep the last snapshot meanwhile)."""
        version = self.store.version()
        current = self._snapshot
        if current is not None and current.version == version:
            return current
        if current is not None and self._writer_at_work():
            return current
        if not self._build_lock.acquire(blocking=current is None):
            return current  # type: ignore[return-value]  # being rebuilt by another request
        try:
            version = self.store.version()
            current = self._snapshot
            if current is not None and current.version == version:
                return current
            snapshot = _build_snapshot(version, self.store)
            with self._lock:
                self._snapshot = snapshot
                self._views.clear()
                self._drawn.clear()
            return snapshot
        finally:
            self._build_lock.release()

    def latest(self) -> Snapshot:
        """The last snapshot built, without asking the store (the health check): built once
        when there is none yet."""
        return self._snapshot or self.snapshot()

    def _writer_at_work(self) -> bool:
        writing = getattr(self.store, "writing", None)
        try:
            return bool(writing()) if callable(writing) else False
        except OSError:
            return False

    def view(self, filters: Filters) -> View:
        """The claims and comparison seen through `filters` (no re-matching); names match the
        data's in any case (`?source=sohr` shows SOHR)."""
        snapshot = self.snapshot()
        filters = filters.resolve(snapshot.spellings)[0]
        with self._lock:
            cached = self._views.get(filters)
            if cached is not None and self._snapshot is snapshot:
                self._views.move_to_end(filters)
                return cached
        claims = filters.apply(snapshot.claims) if not filters.is_empty() else snapshot.claims
        if len(claims) == len(snapshot.claims):
            comparison = snapshot.comparison
        else:
            comparison = snapshot.comparison.restrict(claims["claim_id"])
        view = View(filters, claims, comparison, len(snapshot.claims))
        with self._lock:
            if self._snapshot is snapshot:
                self._views[filters] = view
                while len(self._views) > VIEW_CACHE_SIZE:
                    self._views.popitem(last=False)
        return view

    def unknown_values(self, filters: Filters) -> list[str]:
        """The filter values no loaded claim has ("source 'xyz'"), for a notice on the page."""
        return filters.resolve(self.snapshot().spellings)[1]

    def drawn(self, key: Hashable, draw: Callable[[], T]) -> T:
        """What `draw` returns for `key` under the current data, drawn once and kept a while.

        Charts and grid rows of a view are the same for every user who opens it (the default
        view above all), so they are drawn once per data version, not once per request.
        """
        snapshot = self.snapshot()
        with self._lock:
            if key in self._drawn and self._snapshot is snapshot:
                self._drawn.move_to_end(key)
                return self._drawn[key]
        value = draw()
        with self._lock:
            if self._snapshot is snapshot:
                self._drawn[key] = value
                while len(self._drawn) > VIEW_CACHE_SIZE * 2:
                    self._drawn.popitem(last=False)
        return value

    def same_articles(self, title: str, text: str) -> tuple[str, bool]:
        """(the title of a loaded article with exactly this text, or ""; whether an article
        of this title is loaded), so that an upload is not counted twice."""
        from claims.store import revision_of

        articles = self.store.articles_frame()
        titles = set(articles["title"].astype(str)) if "title" in articles.columns else set()
        same = ""
        if "revision" in articles.columns and len(articles):
            revision = revision_of(text)
            hits = articles[articles["revision"].astype(str) == revision]
            if len(hits):
                same = str(hits["title"].iloc[0])
        return same, title in titles

    def submit_upload(self, title: str, text: str, *, path: str = "") -> Any:
        """Queue an article for the store's writer and return at once with its
        `claims.writer.UploadState`; a store without a file adds it here and now."""
        if self.uploads is not None:
            return self.uploads.submit(title, text, path)
        from claims.errors import ArticleError
        from claims.writer import DONE, FAILED, UploadState

        replacing = self.same_articles(title, text)[1]
        try:
            with self._lock:
                claims = self.store.add_article(title, text, path=path)
        except ArticleError as exc:
            return UploadState("", FAILED, title, exc.path, problem=exc.problem)
        return UploadState("", DONE, title, path, len(claims), replacing)

    def upload_state(self, ticket: object) -> Any:
        """Where a queued upload is now (`claims.writer.UploadState`)."""
        from claims.writer import UNKNOWN, UploadState

        if self.uploads is None:
            return UploadState(str(ticket), UNKNOWN)
        return self.uploads.state(ticket)


COMPARISON_COLUMNS = ("group_id", "scope", "group_verdict", "confirmed")


def _build_snapshot(version: str, store: StoreLike) -> Snapshot:
    comparison = store.comparison()
    claims = comparison.claims
    missing = [c for c in (*ALL_CLAIM_COLUMNS, *COMPARISON_COLUMNS) if c not in claims.columns]
    if missing:  # an empty store's frames may come without columns
        claims = claims.assign(
            **{c: pd.Series(dtype="object", index=claims.index) for c in missing}
        )
    if "group_verdict" in claims.columns:
        claims = claims.assign(verdict=claims["group_verdict"].astype("string").fillna("single"))
    elif "verdict" not in claims.columns:
        claims = claims.assign(verdict=pd.Series("single", index=claims.index, dtype="string"))
    claims = prepare_claims(claims.reset_index(drop=True))
    # filters compare text; casting once here makes each filter change a plain lookup
    text_columns = [c for c in (*FILTER_FIELDS, "origin", "date") if c in claims.columns]
    claims = claims.assign(**{c: claims[c].astype("string").fillna("") for c in text_columns})
    # ids as Python strings: handing a view's ids to `restrict` is then a plain iteration
    claims = claims.assign(**{c: claims[c].astype(object) for c in ID_COLUMNS["claims"]})
    options = {
        name: sorted(v for v in claims[name].astype("string").fillna("").unique() if v)
        for name in FILTER_FIELDS
        if name in claims.columns
    }
    spellings = {name: Spelling(values) for name, values in options.items()}
    return Snapshot(
        version, _with_plain_ids(comparison), claims, options, store.articles_frame(), spellings
    )


ID_COLUMNS = {"claims": ("claim_id", "group_id"), "groups": ("group_id",),
              "pairs": ("group_id", "claim_a", "claim_b")}  # fmt: skip


def _with_plain_ids(comparison: Any) -> Any:
    """The comparison with its id columns as Python strings (object dtype).

    `restrict` looks ids up with `isin`; on pandas' Arrow-backed strings that converts every
    wanted id to an Arrow scalar (about 2 s for 50,000 ids), on object columns it is a hash
    lookup (under 0.3 s). The frames are copied once per data version.
    """
    if not dataclasses.is_dataclass(comparison):
        return comparison
    changes = {}
    for name, columns in ID_COLUMNS.items():
        frame = getattr(comparison, name, None)
        if isinstance(frame, pd.DataFrame):
            present = [c for c in columns if c in frame.columns]
            changes[name] = frame.assign(**{c: frame[c].astype(object) for c in present})
    return dataclasses.replace(comparison, **changes)
