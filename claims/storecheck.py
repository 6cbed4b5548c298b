"""Check a store file for damage and repair it: `claims store check` and `claims store repair`.

`check_store` reads every table of the file whole (so that a block whose checksum fails, or
that a truncation cut off, is found), then checks what the tables say of each other: every
claim and citation belongs to a held article, each article's claim count is the number of its
claims, the saved comparison is current. Each problem is one line naming the file.

`repair_store` makes the store sound again. A file DuckDB reads whole is mended in place:
missing tables are made, articles whose claims are incomplete are read again from their file
when it still holds the same text (else dropped, so that the next ingest reads them afresh),
claims and citations of no held article are dropped, and the comparison is made again. A file
that cannot be opened, or has tables that cannot be read, is salvaged: the tables that can be
read are copied into a new file, mended as above, which then takes the store's place, while
the damaged file is kept beside it as `FILE.damaged-<timestamp>` (with its write-ahead log,
`FILE.wal`, when it has one); what was lost is one line each. A file that cannot be opened
because its write-ahead log is damaged is salvaged from the file without the log (losing the
changes since the last checkpoint). The store keeps no article text, only where each article
was read from: an article is read again only from a file that still holds the same text.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from claims.store import COMPARISON_TABLES, SCHEMA, Store, StoreError, store_error

BASE_TABLES: tuple[str, ...] = tuple(s.split()[5] for s in SCHEMA)
"""The tables every store has (articles, claims, citations, problems, meta)."""
NAMES_SHOWN = 3
ARTICLES_LISTED = 10
"""Articles lost are listed one a line up to this many; the rest are counted in one line."""


@dataclass(slots=True)
class StoreCheck:
    """What `check_store` found: the counts (when the tables could be read) and the problems,
    one line each, naming the file."""

    path: Path
    articles: int | None = None
    claims: int | None = None
    problems: list[str] = field(default_factory=list)
    opened: bool = True  # DuckDB could open the file
    unreadable: list[str] = field(default_factory=list)  # tables that could not be read
    missing: list[str] = field(default_factory=list)  # tables the file does not have

    @property
    def sound(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """The line of a sound store: `store FILE: N articles, M claims, ok`."""
        return f"store {self.path}: {self.articles} articles, {self.claims} claims, ok"


@dataclass(slots=True)
class StoreRepair:
    """What `repair_store` did (one line each) and the check of the store afterwards."""

    path: Path
    done: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    damaged_copy: Path | None = None
    after: StoreCheck | None = None


def _detail(path: Path, exc: duckdb.Error) -> str:
    """`store_error`'s line without the file name it starts with."""
    return str(store_error(path, exc)).removeprefix(f"{path}: ")


def _names(names: list[str], total: int) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    return shown + (f" and {total - NAMES_SHOWN} more" if total > NAMES_SHOWN else "")


def _open(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection; a store busy with a writer is a `StoreError` (not damage),
    a file DuckDB cannot open the `duckdb.Error` it raised."""
    from claims.store import _retry

    try:
        return _retry(lambda: duckdb.connect(str(path), read_only=True))
    except StoreError as exc:
        raise StoreError(f"{path}: {exc}") from exc.__cause__


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'")
    return {row[0] for row in rows.fetchall()}


def _read_whole(path: Path, table: str) -> int:
    """Rows of `table`, every block of it read (a fresh connection: DuckDB may refuse a
    connection any further use once it met a damaged block)."""
    con = _open(path)
    try:
        row = con.execute(f'SELECT count(*), max(hash(COLUMNS(*))) FROM "{table}"').fetchone()
        return int(row[0])
    finally:
        with suppress(duckdb.Error):
            con.close()


def check_store(path: str | Path) -> StoreCheck:
    """Every problem of the store file at `path`, one line each (empty when sound).

    Raises `StoreError` when there is nothing to check (no such file) or a writer holds the
    store for longer than the wait."""
    from claims.service import comparison_key

    path = Path(path)
    if not path.is_file():
        raise StoreError(f"{path}: no such store")
    report = StoreCheck(path)
    try:
        con = _open(path)
    except duckdb.Error as exc:
        report.opened = False
        report.problems.append(str(store_error(path, exc)))
        return report
    try:
        present = _tables(con)
    except duckdb.Error as exc:
        report.opened = False
        report.problems.append(str(store_error(path, exc)))
        return report
    finally:
        with suppress(duckdb.Error):
            con.close()
    report.missing = [t for t in BASE_TABLES if t not in present]
    for table in report.missing:
        report.problems.append(f"{path}: the table {table} is missing")
    counts: dict[str, int] = {}
    for table in [t for t in (*BASE_TABLES, *COMPARISON_TABLES) if t in present]:
        try:
            counts[table] = _read_whole(path, table)
        except duckdb.Error as exc:
            report.unreadable.append(table)
            report.problems.append(
                f"{path}: the table {table} cannot be read: {_detail(path, exc)}"
            )
    report.articles = counts.get("articles")
    report.claims = counts.get("claims")
    if any(t not in counts for t in ("articles", "claims", "citations", "meta")):
        return report  # what the tables say of each other cannot be told
    con = _open(path)
    try:
        report.problems.extend(_disagreements(con, path, present, comparison_key))
    except duckdb.Error as exc:
        report.problems.append(str(store_error(path, exc)))
    finally:
        with suppress(duckdb.Error):
            con.close()
    return report


ORPHANS = """SELECT count(*), count(DISTINCT t.article),
    list(DISTINCT t.article ORDER BY t.article)[1:{shown}]
    FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.title = t.article)"""
MISCOUNTED = """SELECT a.title, a.claims, coalesce(c.n, 0) AS held FROM articles a
    LEFT JOIN (SELECT article, count(*) AS n FROM claims GROUP BY article) c
    ON c.article = a.title WHERE a.claims IS DISTINCT FROM coalesce(c.n, 0) ORDER BY a.title"""


def _disagreements(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    present: set[str],
    comparison_key: Callable[[str], str],
) -> list[str]:
    """The problems of tables that each read well but disagree with each other."""
    out = []
    for table, what in (("claims", "claims"), ("citations", "citations")):
        count, articles, names = con.execute(
            ORPHANS.format(table=table, shown=NAMES_SHOWN)
        ).fetchone()
        if count:
            out.append(
                f"{path}: {count} {what} of {articles} article(s) not in the articles table "
                f"({_names([str(n) for n in names], articles)})"
            )
    miscounted = con.execute(MISCOUNTED).fetchall()
    if miscounted:
        shown = [f"{title}: {said} said, {held} held" for title, said, held in miscounted]
        out.append(
            f"{path}: {len(miscounted)} article(s) whose claim count disagrees with the claims "
            f"table ({_names(shown, len(miscounted))})"
        )
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    if articles and "version" not in meta:
        out.append(f"{path}: the store has articles but no version stamp in meta")
    compared = meta.get("compared_version")
    if compared is None:
        return out  # never compared (ingested with --no-compare): readers compare on demand
    if compared != comparison_key(meta.get("version", "0")):
        out.append(
            f"{path}: the saved comparison is stale (made from other data or under other rules)"
        )
        return out
    missing = [t for t in COMPARISON_TABLES if t not in present]
    if missing:
        out.append(f"{path}: the saved comparison lacks the table(s) {', '.join(missing)}")
        return out
    if "compared_claims" in present:
        apart = con.execute(
            "SELECT (SELECT count(*) FROM claims c WHERE NOT EXISTS (SELECT 1 FROM "
            "compared_claims k WHERE k.claim_id = c.claim_id)), (SELECT count(*) FROM "
            "compared_claims k WHERE NOT EXISTS (SELECT 1 FROM claims c "
            "WHERE c.claim_id = k.claim_id))"
        ).fetchone()
        if any(apart):
            out.append(
                f"{path}: the saved comparison disagrees with the claims ({apart[0]} claims "
                f"not in it, {apart[1]} of its claims not in the claims table)"
            )
    return out


# -- repair ------------------------------------------------------------------------------------


def repair_store(path: str | Path) -> StoreRepair:
    """Make the store at `path` sound (see the module's notes); what was done and lost.

    Raises `StoreError` when there is no such file or a writer holds it, and `StoreBusy` when
    another process holds the store's writer lock (`claims.writer`): the repair is a writer."""
    from claims.writer import WriterLock

    path = Path(path)
    before = check_store(path)
    repair = StoreRepair(path)
    if before.sound:
        repair.after = before
        return repair
    with WriterLock(path, "repair"):
        before = check_store(path)  # again, now that no one else writes it
        lost = set(before.missing) | set(before.unreadable)
        citations_lost = before.opened and "citations" in lost
        if before.opened and not before.unreadable:
            _mend(path, repair, before, citations_lost=citations_lost)
        else:
            _salvage(path, repair, before, citations_lost=citations_lost)
        repair.after = check_store(path)
    return repair


def _salvage(
    path: Path, repair: StoreRepair, before: StoreCheck, *, citations_lost: bool = False
) -> None:
    """Copy what can be read into a new file, mend it, and put it in the store's place,
    keeping the damaged file beside it."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    fresh = path.with_name(f"{path.name}.repairing")
    for leftover in (fresh, _wal(fresh)):
        leftover.unlink(missing_ok=True)
    Store(fresh)  # the schema of this release
    source = path
    bare = path.with_name(f"{path.name}.repairing-bare")
    if not before.opened and _wal(path).exists():
        shutil.copy2(path, bare)  # the file without its write-ahead log
        without_log = check_store(bare)
        if without_log.opened:
            repair.lost.append(
                f"lost: the write-ahead log {_wal(path)} (the changes since the last "
                f"checkpoint): {_first(before.problems, path)}"
            )
            source, before = bare, without_log
    if not before.opened:
        repair.lost.append(f"lost: every table: {_first(before.problems, path)}")
    else:
        for table in BASE_TABLES:
            if table in before.missing:
                repair.done.append(f"made: the missing table {table} (empty)")
                continue
            if table in before.unreadable:
                repair.lost.append(f"lost: the table {table}{_rows_of(source, table)}: damaged")
                continue
            try:
                copied = _copy_table(source, fresh, table)
            except duckdb.Error as exc:
                repair.lost.append(f"lost: the table {table}: {_detail(source, exc)}")
                continue
            repair.done.append(f"salvaged: the table {table} ({copied} rows)")
    for leftover in (bare, _wal(bare), bare.with_name(bare.name + ".version")):
        leftover.unlink(missing_ok=True)
    _mend(fresh, repair, check_store(fresh), shown_as=path, citations_lost=citations_lost)
    con = duckdb.connect(str(fresh))
    try:
        con.execute("CHECKPOINT")  # the new file whole, with no log of its own
    finally:
        con.close()
    kept = path.with_name(f"{path.name}.damaged-{stamp}")
    _keep_beside(path, kept)
    _wal(path).unlink(missing_ok=True)  # kept beside the damaged copy: not the new file's
    os.replace(fresh, path)
    fresh.with_name(fresh.name + ".version").unlink(missing_ok=True)
    repair.damaged_copy = kept
    repair.done.append(f"kept: the damaged file as {kept}")
    with suppress(StoreError, duckdb.Error):
        Store(path)._repair_version_file()


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _first(problems: list[str], path: Path) -> str:
    return problems[0].removeprefix(f"{path}: ") if problems else "unknown"


def _rows_of(path: Path, table: str) -> str:
    con = None
    try:
        con = _open(path)
        return f" ({con.execute(f'SELECT count(*) FROM {table}').fetchone()[0]} rows)"
    except duckdb.Error:
        return ""
    finally:
        if con is not None:
            with suppress(duckdb.Error):
                con.close()


def _copy_table(source: Path, target: Path, table: str) -> int:
    """Copy `table` of the damaged file into the new one (by column name, so that a store of
    an earlier release gains the columns added since); the rows copied."""
    con = duckdb.connect(str(target))
    try:
        escaped = str(source).replace("'", "''")
        con.execute(f"ATTACH '{escaped}' AS damaged (READ_ONLY)")
        con.execute("BEGIN TRANSACTION")
        con.execute(f"DELETE FROM {table}")
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM damaged.{table}")
        count = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        con.execute("COMMIT")
        return int(count)
    finally:
        with suppress(duckdb.Error):
            con.close()


def _keep_beside(path: Path, kept: Path) -> None:
    """The damaged file under its new name, the store's own name left in place until the
    repaired file replaces it (a hard link where the file system has them)."""
    try:
        os.link(path, kept)
    except OSError:
        shutil.copy2(path, kept)
    wal = _wal(path)
    if wal.exists():
        shutil.copy2(wal, _wal(kept))


def _mend(
    path: Path,
    repair: StoreRepair,
    found: StoreCheck,
    *,
    shown_as: Path | None = None,
    citations_lost: bool = False,
) -> None:
    """Mend a file whose tables all read well: make missing tables, read again or drop the
    articles whose claims are incomplete (and, when the citations were lost, read every
    article again whose file is at hand), drop claims and citations of no held article, and
    make the comparison again."""
    from claims.service import ComparedStore

    name = shown_as or path
    for table in found.missing:
        repair.done.append(f"made: the missing table {table} (empty)")
    store = Store(path)  # makes missing tables and columns
    done = _reread_or_drop(store, repair)
    if citations_lost:
        _reread_all(store, repair, done)
    with store._connect(write=True) as con:
        con.execute("BEGIN TRANSACTION")
        for table in ("claims", "citations"):
            count, articles, names = con.execute(
                ORPHANS.format(table=table, shown=NAMES_SHOWN)
            ).fetchone()
            if count:
                con.execute(
                    f"DELETE FROM {table} t WHERE NOT EXISTS "
                    "(SELECT 1 FROM articles a WHERE a.title = t.article)"
                )
                repair.lost.append(
                    f"lost: {count} {table} of {articles} article(s) not in the articles table "
                    f"({_names([str(n) for n in names], articles)})"
                )
        stamp = store._new_stamp(con)
        con.execute("COMMIT")
    store._write_version_file(stamp)
    comparison = ComparedStore(store).save()
    repair.done.append(
        f"made: the comparison of {name} again ({len(comparison.claims)} claims in "
        f"{len(comparison.groups)} groups)"
    )


def _reread_or_drop(store: Store, repair: StoreRepair) -> set[str]:
    """Articles whose claim count disagrees with their claims: read again from their file when
    it holds the text they were read from, else dropped whole (the next ingest of their source
    reads them afresh)."""
    with store._connect() as con:
        wrong = con.execute(
            f"SELECT m.title, m.claims, m.held, a.revision, a.path FROM ({MISCOUNTED}) m "
            "JOIN articles a ON a.title = m.title"
        ).fetchall()
    again, dropped = [], []
    for title, said, held, revision, source in wrong:
        result = _reread(title, revision, source)
        if result is not None:
            again.append(result)
            repair.done.append(
                f"read again: {title} from {source} ({len(result[3])} claims; "
                f"{held} of {said} were held)"
            )
            continue
        dropped.append(title)
        if len(dropped) <= ARTICLES_LISTED:
            repair.lost.append(
                f"lost: the article {title} ({held} of its {said} claims held; dropped, "
                f"ingest {source or 'its source'} again to restore it)"
            )
    if len(dropped) > ARTICLES_LISTED:
        repair.lost.append(
            f"lost: {len(dropped) - ARTICLES_LISTED} more articles whose claims were not all "
            "held (dropped; ingest their sources again to restore them)"
        )
    if again:
        store.write_articles(again)
    if dropped:
        with store._connect(write=True) as con:
            con.execute("BEGIN TRANSACTION")
            con.register("dropped", _titles(dropped))
            for table, key in (
                ("claims", "article"),
                ("citations", "article"),
                ("articles", "title"),
            ):
                con.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT title FROM dropped)")
            stamp = store._new_stamp(con)
            con.execute("COMMIT")
        store._write_version_file(stamp)
    return {r[0] for r in wrong}


def _reread(title: str, revision: str, source: str) -> tuple | None:
    """The article extracted again from its file, when the file holds the text it was read
    from and gives it the same title; else None."""
    from claims.ingest import ArticleInput, extract_batch
    from claims.store import revision_of

    text = _text_of(source)
    if text is None or revision_of(text) != revision:
        return None
    item = ArticleInput("", text, source, default_title=Path(source).stem)
    result = extract_batch([item])[0]
    if result[0] != title or isinstance(result[3], str):
        return None
    return result


def _reread_all(store: Store, repair: StoreRepair, skip: set[str]) -> None:
    """Every article (but those in `skip`) read again from its file, for the citations."""
    again, missed = [], 0
    for title, revision, source in store.articles_frame()[["title", "revision", "path"]].itertuples(
        index=False
    ):
        if title in skip:
            continue
        result = _reread(title, revision, source)
        if result is None:
            missed += 1
        else:
            again.append(result)
    if again:
        store.write_articles(again)
        repair.done.append(
            f"read again: {len(again)} articles from their files, for their citations"
        )
    if missed:
        repair.lost.append(
            f"lost: the citations of {missed} article(s) whose files are not at hand "
            "(ingest their sources again to restore them)"
        )


def _titles(titles: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"title": titles}, dtype=object)


def _text_of(source: str) -> str | None:
    """The text of an article file, when `source` is one that can still be read."""
    from claims.errors import ArticleError
    from claims.extract import decode_article

    if not source or not Path(source).is_file():
        return None  # a page of a dump, standard input, an upload, or a file since removed
    try:
        return decode_article(Path(source).read_bytes(), source)
    except (OSError, ArticleError):
        return None
