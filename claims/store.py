"""The embedded store: one DuckDB file holding articles, claims, problems and the comparison.

Each call opens a short-lived connection (read-only for reads), so a dashboard can read while
`claims ingest` writes from another process; a reader that meets the writer's lock retries for a
few seconds. Every change of the data bumps a version number, kept in a small file next to the
database so that readers can tell whether their cached comparison is current without opening it.
"""

from __future__ import annotations

import hashlib
import os
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import duckdb
import pandas as pd

from claims.errors import CounterclaimError
from claims.filters import Filters
from claims.knowledge import rules_fingerprint
from claims.model import ALL_CLAIM_COLUMNS, Citation, Claim

T = TypeVar("T")
LOCK_WAIT_SECONDS = 20.0
_NUMERIC = {"value_low": "DOUBLE", "value_high": "DOUBLE", "start": "BIGINT", "end": "BIGINT"}
_CLAIM_TABLE = ", ".join(f'"{c}" {_NUMERIC.get(c, "VARCHAR")}' for c in ALL_CLAIM_COLUMNS)
CITATION_COLUMNS: tuple[str, ...] = ("article", *(f.name for f in fields(Citation)))
"""Columns of the `citations` table: the article, then every field of `Citation`."""
_CITATION_INTS = {"start", "end", "title_start", "title_end"}
_CITATION_TABLE = ", ".join(
    f'"{c}" {"BIGINT" if c in _CITATION_INTS else "VARCHAR"}' for c in CITATION_COLUMNS
)
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS articles (title VARCHAR PRIMARY KEY, revision VARCHAR, "
    "path VARCHAR, ingested_at TIMESTAMP, claims INTEGER, revision_id VARCHAR, "
    "revision_timestamp VARCHAR)",
    f"CREATE TABLE IF NOT EXISTS claims ({_CLAIM_TABLE})",
    f"CREATE TABLE IF NOT EXISTS citations ({_CITATION_TABLE})",
    "CREATE TABLE IF NOT EXISTS problems (path VARCHAR, message VARCHAR, noted_at TIMESTAMP)",
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
)
COMPARISON_TABLES = ("compared_claims", "groups", "pairs", "sources")
ARTICLE_COLUMNS = (
    "title",
    "revision",
    "path",
    "ingested_at",
    "claims",
    "revision_id",
    "revision_timestamp",
)
"""Columns of the `articles` table: `revision` is the hash of the text and rules (what a re-run
compares), `revision_id` and `revision_timestamp` the dump's `<revision>` (empty for files)."""
_ADDED_ARTICLE_COLUMNS = {"revision_id": "VARCHAR", "revision_timestamp": "VARCHAR"}


_PATH_LOCKS: dict[str, threading.RLock] = {}
_PATH_LOCKS_GUARD = threading.Lock()
VERSION_CHECK_SECONDS = 5.0


def _path_lock(path: Path) -> threading.RLock:
    """One lock per store file in this process: DuckDB refuses a read-only and a read-write
    connection to one file from the same process at the same time."""
    key = str(path.resolve())
    with _PATH_LOCKS_GUARD:
        return _PATH_LOCKS.setdefault(key, threading.RLock())


def _add_missing_claim_columns(con: duckdb.DuckDBPyConnection) -> None:
    """A store written by an earlier release gains the claim and article columns added since
    (empty until its articles are read again, which their changed revision hash makes the next
    ingest do)."""
    have = {row[0] for row in con.execute("DESCRIBE claims").fetchall()}
    for column in ALL_CLAIM_COLUMNS:
        if column not in have:
            kind = _NUMERIC.get(column, "VARCHAR")
            con.execute(f'ALTER TABLE claims ADD COLUMN "{column}" {kind}')
    have = {row[0] for row in con.execute("DESCRIBE articles").fetchall()}
    for column, kind in _ADDED_ARTICLE_COLUMNS.items():
        if column not in have:
            con.execute(f'ALTER TABLE articles ADD COLUMN "{column}" {kind}')


class StoreError(CounterclaimError):
    """The store file cannot be opened or used."""


_DAMAGE_WORDS = (
    "corrupt",
    "checksum",
    "not a valid duckdb",
    "serializ",
    "could not read enough bytes",  # a file cut short
)


def store_error(path: Path, exc: duckdb.Error) -> StoreError:
    """DuckDB's error as one line naming the store file: damage (a failed block checksum, a
    file that is not a database or is cut short) is said to be damage, anything else that the
    store cannot be used."""
    lines = str(exc).strip().splitlines()
    detail = " ".join(lines[0].split())[:200] if lines else type(exc).__name__
    damaged = type(exc) is duckdb.Error or isinstance(
        exc, (duckdb.InternalException, duckdb.SerializationException)
    )
    if damaged or any(word in detail.lower() for word in _DAMAGE_WORDS):
        return StoreError(f"{path}: the store is damaged ({detail})")
    return StoreError(f"{path}: the store cannot be used ({detail})")


def citations_frame(article: str, citations: Iterable[Citation]) -> pd.DataFrame:
    """One row per citation of an article (`CITATION_COLUMNS`); wiki links joined by " | "."""
    return cited_frame((article, citation) for citation in citations)


def cited_frame(cited: Iterable[tuple[str, Citation]]) -> pd.DataFrame:
    """One row per (article, citation), built at once for a whole batch of articles."""
    names = [f.name for f in fields(Citation)]
    rows = [
        (
            article,
            *(
                " | ".join(value) if isinstance(value, tuple) else value
                for value in (getattr(citation, name) for name in names)
            ),
        )
        for article, citation in cited
    ]
    frame = pd.DataFrame(rows, columns=list(CITATION_COLUMNS))
    for column in _CITATION_INTS:
        frame[column] = frame[column].astype("int64")
    return frame


def revision_of(text: str) -> str:
    """The revision hash of an article's text as read by these extraction rules: unchanged
    text and rules, unchanged revision. New rules (a new release, an edited data file) make
    every article new again, so a re-ingest extracts it afresh."""
    digest = hashlib.sha1(rules_fingerprint().encode())
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class Store:
    """Articles and their claims in one DuckDB file, with the comparison of all claims."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else self.default_path()
        self.read_only = read_only
        self._lock = threading.Lock()
        self._checked_at = 0.0
        if not read_only and self._written_elsewhere():
            pass  # its writer made the tables; this store reads, and its writes are refused
        elif not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect(write=True) as con:
                for statement in SCHEMA:
                    con.execute(statement)
                _add_missing_claim_columns(con)
        elif not self.path.exists():
            raise StoreError(f"{self.path}: no such store")

    def _written_elsewhere(self) -> bool:
        """Whether another process holds this store's writer lock (`claims.writer`)."""
        from claims.writer import StoreBusy, check_writable

        try:
            check_writable(self.path)
        except StoreBusy:
            return self.path.exists()
        return False

    @staticmethod
    def default_path() -> Path:
        """$COUNTERCLAIM_STORE, else $XDG_DATA_HOME/counterclaim/claims.duckdb."""
        if os.environ.get("COUNTERCLAIM_STORE"):
            return Path(os.environ["COUNTERCLAIM_STORE"]).expanduser()
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        return Path(base).expanduser() / "counterclaim" / "claims.duckdb"

    # -- connections -----------------------------------------------------------------------

    @contextmanager
    def _connect(self, *, write: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        if write and self.read_only:
            raise StoreError(f"{self.path}: the store was opened read-only")
        if write:
            from claims.writer import check_writable

            check_writable(self.path)  # one writer by design: another's lock refuses this one
        with _path_lock(self.path):
            try:
                con = _retry(lambda: duckdb.connect(str(self.path), read_only=not write))
            except StoreError as exc:
                raise StoreError(f"{self.path}: {exc}") from exc.__cause__
            except duckdb.Error as exc:
                raise store_error(self.path, exc) from exc
            try:
                yield con
            except duckdb.Error as exc:  # any failure of DuckDB is this store's, in one line
                raise store_error(self.path, exc) from exc
            finally:
                with suppress(duckdb.Error):
                    con.close()

    def _version_file(self) -> Path:
        return self.path.with_name(self.path.name + ".version")

    def version(self) -> str:
        """Changes whenever the data changes (a cache key for the comparison and the UI).

        The version is written in the store with each change, and copied to a small file next
        to it that readers can check cheaply; every few seconds the copy is checked against the
        store, so a writer killed between the two cannot leave readers on old data for long.
        """
        now = time.monotonic()
        if now - self._checked_at > VERSION_CHECK_SECONDS:
            self._checked_at = now
            self._repair_version_file()
        try:
            return self._version_file().read_text(encoding="utf-8").strip() or "0"
        except OSError:
            return "0"

    def _stored_version(self) -> str:
        with self._connect() as con:
            row = con.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        return row[0] if row else "0"

    def _repair_version_file(self) -> None:
        try:
            stored = _retry(self._stored_version, wait=0.2)
        except (StoreError, duckdb.Error):
            return  # a writer is busy; its own update of the file follows
        try:
            current = self._version_file().read_text(encoding="utf-8").strip()
        except OSError:
            current = ""
        if current != stored:
            self._write_version_file(stored)

    def _write_version_file(self, stamp: str) -> None:
        tmp = self._version_file().with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            tmp.write_text(stamp, encoding="utf-8")
            tmp.replace(self._version_file())
        except OSError:
            pass  # a read-only folder: readers then rely on the periodic check

    @staticmethod
    def _new_stamp(con: duckdb.DuckDBPyConnection) -> str:
        stamp = f"{time.time_ns():x}-{random.getrandbits(32):08x}"
        con.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", [stamp])
        return stamp

    # -- writing ---------------------------------------------------------------------------

    def ensure_seeded(self, seeds: Path | None = None) -> int:
        """Load the seed articles when the store holds no article; articles added.

        The folder is `seeds`, else $COUNTERCLAIM_SEEDS, else the seeds shipped with the package.
        Seeding takes the writer lock (`claims.writer`); while another process writes the
        store, nothing is seeded.
        """
        if self.read_only or self.article_count() > 0:
            return 0
        from claims.writer import StoreBusy, WriterLock

        try:
            with WriterLock(self.path, "seed"):
                return self._seed(seeds)
        except StoreBusy:
            return 0  # a writer is filling the store already

    def _seed(self, seeds: Path | None) -> int:
        from claims.bundled import seeds_folder

        env = os.environ.get("COUNTERCLAIM_SEEDS")
        folder = seeds or (Path(env) if env else seeds_folder())
        if folder is None or not folder.is_dir():
            return 0
        from claims.extract import ArticleError, read_article

        added = 0
        for path in sorted(folder.glob("*.wiki")):
            try:
                self.add_article("", read_article(path), path=str(path), default_title=path.stem)
                added += 1
            except ArticleError as exc:
                self.add_problems([(str(path), exc.problem)])
        return added

    def add_article(
        self, title: str, text: str, *, path: str = "", default_title: str = ""
    ) -> list[Claim]:
        """Extract an article and put its claims in place of its old ones, in one transaction.

        Raises `ArticleError` on text that cannot be an article; the store is then unchanged.
        """
        from claims.extract import extract

        extraction = extract(
            text, title or None, path=path or title or "<upload>", default_title=default_title
        )
        self.write_articles(
            [(extraction.title, revision_of(text), path, extraction.claims, extraction.citations)]
        )
        return extraction.claims

    def write_articles(self, articles: Iterable[tuple]) -> int:
        """Replace the claims (and citations) of each article in one transaction.

        Each item is (title, revision, path, claims), (title, revision, path, claims,
        citations) or (title, revision, path, claims, citations, (revision id, timestamp)):
        claims as `Claim`s or a frame of ALL_CLAIM_COLUMNS, citations as `Citation`s or a frame
        of CITATION_COLUMNS, the dump's revision id and timestamp as text. When a title comes
        twice, its last version wins. The tables of a whole batch are built at once, which is
        much faster than per article.
        """
        from claims.tables import claims_frame

        latest: dict[str, tuple] = {}
        for item in articles:
            latest.pop(item[0], None)  # keep input order, last version of a title
            latest[item[0]] = item
        if not latest:
            return 0
        now = datetime.now(UTC).replace(tzinfo=None)
        claim_frames: list[pd.DataFrame] = []
        claim_objects: list[Claim] = []
        citation_frames: list[pd.DataFrame] = []
        cited: list[tuple[str, Citation]] = []
        rows = []
        for title, revision, path, claims, *rest in latest.values():
            if isinstance(claims, pd.DataFrame):
                frame = claims.reindex(columns=list(ALL_CLAIM_COLUMNS)).assign(article=title)
                claim_frames.append(frame)
            else:
                claim_objects.extend(
                    c if c.article == title else replace(c, article=title) for c in claims
                )
            citations = rest[0] if rest else None
            if isinstance(citations, pd.DataFrame):
                citation_frames.append(
                    citations.reindex(columns=list(CITATION_COLUMNS)).assign(article=title)
                )
            elif citations:
                cited.extend((title, citation) for citation in citations)
            source = rest[1] if len(rest) > 1 and rest[1] else ("", "")
            rows.append((title, revision, path, now, len(claims), *source))
        if claim_objects or not claim_frames:
            claim_frames.append(claims_frame(claim_objects))
        if cited or not citation_frames:
            citation_frames.append(cited_frame(cited))
        claims_all = pd.concat(
            [f for f in claim_frames if len(f)] or claim_frames[:1], ignore_index=True
        )
        claims_all["ref_names"] = claims_all["ref_names"].map(_ref_text)
        citations_all = pd.concat(
            [f for f in citation_frames if len(f)] or citation_frames[:1], ignore_index=True
        )
        articles_frame = pd.DataFrame(rows, columns=list(ARTICLE_COLUMNS))
        with self._connect(write=True) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                con.register("new_articles", articles_frame)
                con.register("new_claims", claims_all)
                con.register("new_citations", citations_all)
                for table, key in (("claims", "article"), ("citations", "article")):
                    con.execute(
                        f"DELETE FROM {table} WHERE {key} IN (SELECT title FROM new_articles)"
                    )
                con.execute("DELETE FROM articles WHERE title IN (SELECT title FROM new_articles)")
                con.execute("DELETE FROM problems WHERE path IN (SELECT path FROM new_articles)")
                con.execute("INSERT INTO articles BY NAME SELECT * FROM new_articles")
                con.execute("INSERT INTO claims BY NAME SELECT * FROM new_claims")
                if len(citations_all):
                    con.execute("INSERT INTO citations SELECT * FROM new_citations")
                stamp = self._new_stamp(con)
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
        self._write_version_file(stamp)
        return len(articles_frame)

    def load_partitions(self, folder: str | Path) -> tuple[int, int, int]:
        """Load the Parquet partitions of a folder (`write_partition`) in one transaction,
        through DuckDB's `read_parquet` globs; (articles added or changed, articles unchanged,
        claims added).

        As with `write_articles`, an article already held at the same revision is left as it
        is, and of a title met twice the last one (by partition, then order) wins.
        """
        folder = Path(folder)
        if not any(folder.glob("articles-*.parquet")):
            return 0, 0, 0
        glob = {t: _sql_text(str(folder / f"{t}-*.parquet")) for t in PARTITION_TABLES}
        now = datetime.now(UTC).replace(tzinfo=None)
        with self._connect(write=True) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(
                    "CREATE TEMP TABLE part_articles AS SELECT * FROM "
                    f"read_parquet({glob['articles']}) QUALIFY row_number() OVER "
                    "(PARTITION BY title ORDER BY part DESC, item DESC) = 1"
                )
                con.execute(
                    "CREATE TEMP TABLE fresh AS SELECT p.* FROM part_articles p LEFT JOIN "
                    "articles a ON a.title = p.title AND a.revision = p.revision "
                    "WHERE a.title IS NULL"
                )
                total = con.execute("SELECT count(*) FROM part_articles").fetchone()[0]
                added, claims = con.execute(
                    "SELECT count(*), coalesce(sum(claims), 0) FROM fresh"
                ).fetchone()
                for table in ("claims", "citations"):
                    con.execute(f"DELETE FROM {table} WHERE article IN (SELECT title FROM fresh)")
                con.execute("DELETE FROM articles WHERE title IN (SELECT title FROM fresh)")
                con.execute("DELETE FROM problems WHERE path IN (SELECT path FROM fresh)")
                con.execute(
                    "INSERT INTO articles BY NAME SELECT title, revision, path, "
                    "? AS ingested_at, claims, revision_id, revision_timestamp FROM fresh",
                    [now],
                )
                for table in ("claims", "citations"):
                    con.execute(
                        f"INSERT INTO {table} BY NAME SELECT x.* EXCLUDE (part, item) FROM "
                        f"read_parquet({glob[table]}) x JOIN fresh f "
                        "ON x.part = f.part AND x.item = f.item"
                    )
                con.execute("DROP TABLE fresh")
                con.execute("DROP TABLE part_articles")
                stamp = self._new_stamp(con) if added else None
                con.execute("COMMIT")
            except BaseException:
                with suppress(duckdb.Error):
                    con.execute("ROLLBACK")
                raise
        if stamp:
            self._write_version_file(stamp)
        return int(added), int(total - added), int(claims)

    def add_problems(self, problems: Iterable[tuple[str, str]]) -> None:
        rows = [(p, m, datetime.now(UTC).replace(tzinfo=None)) for p, m in problems]
        if not rows:
            return
        with self._connect(write=True) as con:
            con.execute("BEGIN TRANSACTION")
            con.executemany("DELETE FROM problems WHERE path = ?", [(p,) for p, _, _ in rows])
            con.executemany("INSERT INTO problems VALUES (?, ?, ?)", rows)
            con.execute("COMMIT")

    def write_comparison_tables(self, key: str, frames: list[pd.DataFrame]) -> None:
        """Keep a comparison's tables (COMPARISON_TABLES, in order) with the key of the data
        and rules it was made from (see `claims.service`).

        The tables and the key (`compared_version` in `meta`, the marker that the comparison is
        current) are written in one transaction: a writer killed before its commit leaves the
        previous comparison and key, which no longer match the data, so the comparison is made
        again (see `comparison_is_current`)."""
        with self._connect(write=True) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                for name, frame in zip(COMPARISON_TABLES, _frames(frames), strict=True):
                    con.register("frame", frame)
                    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM frame")
                    con.unregister("frame")
                con.execute("INSERT OR REPLACE INTO meta VALUES ('compared_version', ?)", [key])
                con.execute("COMMIT")
            except BaseException:
                with suppress(duckdb.Error):
                    con.execute("ROLLBACK")
                raise

    # -- reading ---------------------------------------------------------------------------

    def revisions(self, titles: Iterable[str] | None = None) -> dict[str, str]:
        """Title -> revision of the articles held (of `titles` only, when given: an ingest asks
        batch by batch, so its memory does not grow with the size of the store)."""
        with self._connect() as con:
            if titles is None:
                return dict(con.execute("SELECT title, revision FROM articles").fetchall())
            wanted = pd.DataFrame({"title": list(dict.fromkeys(titles))}, dtype=object)
            if wanted.empty:
                return {}
            con.register("wanted", wanted)
            rows = con.execute(
                "SELECT a.title, a.revision FROM articles a JOIN wanted w ON a.title = w.title"
            ).fetchall()
            return dict(rows)

    def article_count(self) -> int:
        with self._connect() as con:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])

    def articles_frame(self) -> pd.DataFrame:
        """ARTICLE_COLUMNS, one row per article."""
        columns = ", ".join(f'"{c}"' for c in ARTICLE_COLUMNS)
        with self._connect() as con:
            return con.execute(f"SELECT {columns} FROM articles ORDER BY title").df()

    def citations_frame(self, article: str | None = None) -> pd.DataFrame:
        """Citations of every article (or of one), CITATION_COLUMNS, in article order."""
        with self._connect() as con:
            if article is None:
                return con.execute("SELECT * FROM citations ORDER BY article, start").df()
            return con.execute(
                "SELECT * FROM citations WHERE article = ? ORDER BY start", [article]
            ).df()

    def problems_frame(self) -> pd.DataFrame:
        with self._connect() as con:
            return con.execute("SELECT * FROM problems ORDER BY noted_at").df()

    # -- a drift table (`claims history --store`) --------------------------------------------

    def write_drift(self, frame: pd.DataFrame, articles: Iterable[str] | None = None) -> None:
        """Keep a drift table (`claims.history.EVENT_COLUMNS`) in the table `drift`: its rows
        replace those kept for `articles` (default: the frame's), other articles' stay; one
        transaction. The data version is unchanged: the claims and their comparison are not."""
        titles = pd.DataFrame(
            {"article": list(dict.fromkeys(frame["article"] if articles is None else articles))},
            dtype=object,
        )
        kinds = {c: "DOUBLE" if frame[c].dtype.kind == "f" else "VARCHAR" for c in frame.columns}
        columns = ", ".join(f'"{c}" {kind}' for c, kind in kinds.items())
        with self._connect(write=True) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(f"CREATE TABLE IF NOT EXISTS drift ({columns})")
                con.register("frame", frame)
                con.register("titles", titles)
                con.execute("DELETE FROM drift WHERE article IN (SELECT article FROM titles)")
                con.execute("INSERT INTO drift BY NAME SELECT * FROM frame")
                con.unregister("frame")
                con.unregister("titles")
                con.execute("COMMIT")
            except BaseException:
                with suppress(duckdb.Error):
                    con.execute("ROLLBACK")
                raise

    def drift_table(self) -> pd.DataFrame | None:
        """The drift table kept by `write_drift`, in the order written; None when none is."""
        with self._connect() as con:
            if not con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'drift'"
            ).fetchone()[0]:
                return None
            return con.execute("SELECT * FROM drift ORDER BY rowid").df()

    def claims_frame(self, filters: Filters | None = None) -> pd.DataFrame:
        """All claims (ALL_CLAIM_COLUMNS), optionally through the dashboard's filters."""
        with self._connect() as con:
            frame = self._read_claims(con)
        if filters is not None:
            frame = filters.apply(frame)
        return frame

    @staticmethod
    def _read_claims(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
        frame = con.execute("SELECT * FROM claims ORDER BY article, start, claim_id").df()
        for column in ALL_CLAIM_COLUMNS:
            if column not in _NUMERIC:
                frame[column] = frame[column].fillna("").astype(str)
        return frame

    def claims_snapshot(self) -> tuple[str, pd.DataFrame]:
        """The claims and the version they were read at (one snapshot)."""
        with self._connect() as con:
            row = con.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
            frame = self._read_claims(con)
        return (row[0] if row else "0"), frame

    def comparison_tables(self, key_of: Callable[[str], str]) -> list[pd.DataFrame] | None:
        """The comparison tables kept in the store, when they were made under the key
        `key_of(current version)`; None when made from other data or under other rules."""
        with self._connect() as con:
            if not self._compared(con, key_of):
                return None
            return [con.execute(f"SELECT * FROM {name}").df() for name in COMPARISON_TABLES]

    def comparison_is_current(self, key_of: Callable[[str], str]) -> bool:
        """Whether the store holds a comparison made under the key `key_of(current version)`:
        of the data as it is, under the rules of this release (a cheap check of two keys)."""
        with self._connect() as con:
            return self._compared(con, key_of)

    @staticmethod
    def _compared(con: duckdb.DuckDBPyConnection, key_of: Callable[[str], str]) -> bool:
        stored = con.execute("SELECT value FROM meta WHERE key = 'compared_version'").fetchone()
        current = con.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        return bool(stored and current and stored[0] == key_of(current[0]))

    def close(self) -> None:
        """Nothing to release: connections are closed after each call."""


PARTITION_TABLES = ("articles", "claims", "citations")


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def write_partition(folder: str | Path, part: int, articles: Iterable[tuple]) -> None:
    """Write the extracted articles of one part of an ingest as three Parquet files of
    `folder` (`articles-N`, `claims-N`, `citations-N`, keyed by part and item), in the store's
    column types, for `Store.load_partitions` to load. Items are (title, revision, path,
    claims, citations, (revision id, timestamp)), claims and citations as records. Each file
    is written under a temporary name, then renamed, the articles' last: a partition whose
    articles file is there is whole."""
    from claims.tables import claims_frame

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    claims: list[Claim] = []
    claim_items: list[int] = []
    cited: list[tuple[str, Citation]] = []
    citation_items: list[int] = []
    for item, (title, revision, path, found, citations, source) in enumerate(articles):
        rows.append((part, item, title, revision, path, len(found), *(source or ("", ""))))
        claims.extend(c if c.article == title else replace(c, article=title) for c in found)
        claim_items.extend([item] * len(found))
        cited.extend((title, citation) for citation in citations)
        citation_items.extend([item] * len(citations))
    article_frame = pd.DataFrame(
        rows,
        columns=[
            "part",
            "item",
            "title",
            "revision",
            "path",
            "claims",
            "revision_id",
            "revision_timestamp",
        ],
    )
    claim_frame = claims_frame(claims).assign(part=part, item=claim_items)
    claim_frame["ref_names"] = claim_frame["ref_names"].map(_ref_text)
    citation_frame = cited_frame(cited).assign(part=part, item=citation_items)
    types = {
        "articles": {"part": "BIGINT", "item": "BIGINT", "claims": "INTEGER"},
        "claims": {**_NUMERIC, "part": "BIGINT", "item": "BIGINT"},
        "citations": {
            **dict.fromkeys(_CITATION_INTS, "BIGINT"),
            "part": "BIGINT",
            "item": "BIGINT",
        },
    }
    frames = {"articles": article_frame, "claims": claim_frame, "citations": citation_frame}
    con = duckdb.connect()
    try:
        for table in ("claims", "citations", "articles"):
            frame = frames[table]
            con.register("frame", frame)
            columns = ", ".join(
                f'CAST("{c}" AS {types[table].get(c, "VARCHAR")}) AS "{c}"' for c in frame.columns
            )
            target = folder / f"{table}-{part:06d}.parquet"
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            con.execute(
                f"COPY (SELECT {columns} FROM frame) TO {_sql_text(str(tmp))} (FORMAT parquet)"
            )
            con.unregister("frame")
            tmp.replace(target)
    finally:
        con.close()


def _frames(frames: list[pd.DataFrame]) -> list[pd.DataFrame]:
    out = []
    for frame in frames:
        frame = frame.copy()
        for column in frame.columns:
            if frame[column].dtype == object:
                frame[column] = frame[column].map(lambda v: "" if v is None else v)
        out.append(frame)
    return out


def _ref_text(value: object) -> str:
    if isinstance(value, (tuple, list)):
        return " ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _retry(action: Callable[[], T], wait: float = LOCK_WAIT_SECONDS) -> T:
    """Run `action`, retrying while another process holds the store's write lock."""
    deadline = time.monotonic() + wait
    delay = 0.02
    while True:
        try:
            return action()
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() > deadline:
                raise StoreError(f"the store is busy: {exc}") from exc
        time.sleep(delay)
        delay = min(delay * 2, 0.5)
