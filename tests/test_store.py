"""The DuckDB store: one transaction per change, versions, citations, seeds and concurrent use."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from claims.errors import ArticleError
from claims.extract import extract
from claims.filters import Filters
from claims.model import GROUP_COLUMNS, PAIR_COLUMNS
from claims.service import ComparedStore, comparison_key
from claims.store import Store, StoreError, citations_frame, revision_of
from claims.tables import claims_frame

ROOT = Path(__file__).parent.parent
SMALL = (
    "On 3 May 2020, {n} soldiers were killed in Redtown.<ref>{{{{cite news|work=Reuters|"
    "title=Clashes in Redtown|url=https://www.reuters.com/{i}|date=3 May 2020}}}}</ref>"
)
INJURED = (
    "On 4 May 2020, {n} civilians were injured in Redtown.<ref>{{{{cite news|work=BBC News|"
    "title=Shelling of Redtown|url=https://www.bbc.com/{i}|date=4 May 2020}}}}</ref>"
)


def test_add_article_rejects_bad_text_and_keeps_the_store(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.duckdb")
    store.add_article("Raid", SMALL.format(n=5, i=5))
    version = store.version()
    with pytest.raises(ArticleError):
        store.add_article("Bad", "")
    assert store.version() == version
    assert store.articles_frame().title.tolist() == ["Raid"]


def test_changed_text_replaces_claims_and_citations(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.duckdb")
    store.add_article("Raid", SMALL.format(n=5, i=5))
    first = store.version()
    cited = store.citations_frame("Raid")
    assert cited.work.tolist() == ["Reuters"] and cited.url.tolist() == [
        "https://www.reuters.com/5"
    ]
    store.add_article("Raid", INJURED.format(n=8, i=8))
    assert store.version() != first
    assert store.claims_frame().value_low.tolist() == [8]
    assert store.citations_frame().work.tolist() == ["BBC News"]
    assert store.articles_frame().revision.tolist() == [revision_of(INJURED.format(n=8, i=8))]


def test_a_title_twice_in_one_batch_keeps_its_last_version(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.duckdb")
    batch = []
    for n in (5, 6):
        text = SMALL.format(n=n, i=n)
        result = extract(text, "Raid")
        batch.append(
            (
                "Raid",
                revision_of(text),
                "",
                result.claims,
                citations_frame("Raid", result.citations),
            )
        )
    assert store.write_articles(batch) == 1
    assert store.claims_frame().value_low.tolist() == [6]
    assert len(store.citations_frame()) == 1
    assert store.articles_frame().claims.tolist() == [1]


def test_a_failed_write_leaves_the_old_claims_in_place(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.duckdb")
    store.add_article("Raid", SMALL.format(n=5, i=5))
    version = store.version()
    broken = claims_frame(extract(SMALL.format(n=9, i=9), "Raid").claims)
    broken["value_low"] = broken["value_low"].astype(object)
    broken.loc[0, "value_low"] = "not a number"
    with pytest.raises(Exception, match="not a number"):
        store.write_articles([("Raid", "new", "", broken)])
    assert store.claims_frame().value_low.tolist() == [5]
    assert store.version() == version


def test_an_article_read_at_last_clears_its_old_problem(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.duckdb")
    store.add_problems([("raid.wiki", "is empty"), ("other.wiki", "is empty")])
    store.add_article("Raid", SMALL.format(n=5, i=5), path="raid.wiki")
    assert store.problems_frame().path.tolist() == ["other.wiki"]


def test_claims_frame_applies_the_dashboards_filters(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.duckdb")
    store.add_article("Raid", SMALL.format(n=5, i=5))
    store.add_article("Shelling", INJURED.format(n=8, i=8))
    assert sorted(store.claims_frame().topic) == ["injured", "killed"]
    assert store.claims_frame(Filters(topic=("injured",))).article.tolist() == ["Shelling"]
    assert store.claims_frame(Filters(source=("Reuters",))).article.tolist() == ["Raid"]


def test_comparison_follows_the_version(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.duckdb")
    compared = ComparedStore(store)
    store.add_article("Raid", SMALL.format(n=5, i=5))
    first = compared.comparison()
    assert compared.comparison() is first
    store.add_article("Shelling", INJURED.format(n=8, i=8))
    second = compared.comparison()
    assert second is not first
    assert sorted(second.claims.article) == ["Raid", "Shelling"]
    assert len(second.groups) == 2


def test_saved_comparison_is_read_back_by_another_store(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.duckdb")
    store.add_article("Raid", SMALL.format(n=5, i=5))
    made = ComparedStore(store).save()
    reader = Store(tmp_path / "store.duckdb", read_only=True)
    assert reader.comparison_tables(comparison_key) is not None  # read, not made again
    loaded = ComparedStore(reader).comparison()
    assert loaded.claims.claim_id.tolist() == made.claims.claim_id.tolist()
    assert list(loaded.groups.columns) == list(GROUP_COLUMNS)
    assert list(loaded.pairs.columns) == list(PAIR_COLUMNS)


def test_a_comparison_saved_under_other_rules_is_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import claims.service

    store = Store(tmp_path / "store.duckdb")
    store.add_article("Raid", SMALL.format(n=5, i=5))
    ComparedStore(store).save()
    assert Store(tmp_path / "store.duckdb", read_only=True).comparison_tables(comparison_key)
    monkeypatch.setattr(claims.service, "comparison_fingerprint", lambda: "other-rules")
    reader = Store(tmp_path / "store.duckdb", read_only=True)
    assert reader.comparison_tables(comparison_key) is None
    assert ComparedStore(reader).comparison().claims.article.tolist() == ["Raid"]  # made again


def test_store_is_seeded_once_with_the_bundled_articles(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.duckdb")
    assert store.ensure_seeded() == 5
    assert store.ensure_seeded() == 0
    assert store.articles_frame().title.tolist() == [
        "Battle of Aleppo (2024)",
        "Battle of Hastings",
        "Battles of Lexington and Concord",
        "French Revolution",
        "Operation Overlord",
    ]
    assert len(store.citations_frame()) > 10


def test_seeds_folder_from_the_environment_notes_bad_seeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "raid.wiki").write_text(SMALL.format(n=5, i=5), encoding="utf-8")
    (seeds / "empty.wiki").write_text("", encoding="utf-8")
    monkeypatch.setenv("COUNTERCLAIM_SEEDS", str(seeds))
    store = Store(tmp_path / "store.duckdb")
    assert store.ensure_seeded() == 1
    assert store.articles_frame().title.tolist() == ["raid"]
    assert store.problems_frame().path.str.endswith("empty.wiki").tolist() == [True]


def test_default_path_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNTERCLAIM_STORE", "/data/x.duckdb")
    assert Store.default_path() == Path("/data/x.duckdb")
    monkeypatch.delenv("COUNTERCLAIM_STORE")
    monkeypatch.setenv("XDG_DATA_HOME", "/xdg")
    assert Store.default_path() == Path("/xdg/counterclaim/claims.duckdb")
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", "/home/reader")
    assert Store.default_path() == Path("/home/reader/.local/share/counterclaim/claims.duckdb")


def test_read_only_store_must_exist_and_refuses_writes(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such store"):
        Store(tmp_path / "missing.duckdb", read_only=True)
    Store(tmp_path / "store.duckdb")
    reader = Store(tmp_path / "store.duckdb", read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        reader.add_article("Raid", SMALL.format(n=5, i=5))
    assert reader.articles_frame().empty and reader.ensure_seeded() == 0


def test_a_stale_version_file_is_repaired_from_the_store(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.duckdb")
    store.add_article("Raid", SMALL.format(n=5, i=5))
    current = store.version()
    # a writer killed between its commit and its copy of the version leaves the file behind
    (tmp_path / "store.duckdb.version").write_text("stale", encoding="utf-8")
    reader = Store(tmp_path / "store.duckdb", read_only=True)
    assert reader.version() == current


def test_threads_of_one_process_read_while_another_writes(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.duckdb")
    errors: list[Exception] = []

    def write() -> None:
        try:
            for i in range(15):
                store.add_article(f"Raid {i}", SMALL.format(n=10 + i, i=i))
        except Exception as exc:
            errors.append(exc)

    writer = threading.Thread(target=write)
    writer.start()
    reader = Store(tmp_path / "store.duckdb", read_only=True)
    while writer.is_alive():
        try:
            reader.claims_frame()
        except Exception as exc:
            errors.append(exc)
    writer.join()
    assert not errors, errors[:3]
    assert reader.article_count() == 15
    assert len(reader.claims_frame()) == 15


def test_new_extraction_rules_make_every_article_new_again(monkeypatch) -> None:
    import claims.store

    before = revision_of("Twelve soldiers were killed.")
    assert revision_of("Twelve soldiers were killed.") == before  # same text, same rules
    monkeypatch.setattr(claims.store, "rules_fingerprint", lambda: "edited data file")
    assert revision_of("Twelve soldiers were killed.") != before


def damaged_store(path: Path) -> Path:
    """A store of some hundred claims whose blocks in the middle of the file are overwritten
    after a checkpoint, so their checksums fail when read."""
    import duckdb

    store = Store(path)
    store.write_articles(
        (title, str(i), "", extract(text, title).claims, [])
        for i in range(20)
        for title in [f"Raid {i}"]
        for text in [" ".join(SMALL.format(n=n, i=n) for n in range(i * 50, i * 50 + 50))]
    )
    con = duckdb.connect(str(path))
    con.execute("CHECKPOINT")
    con.close()
    size = path.stat().st_size
    with path.open("r+b") as out:
        for offset in range(size // 4, 3 * size // 4, 16 * 1024):
            out.seek(offset)
            out.write(b"\xff" * 64)
    con = duckdb.connect(str(path), read_only=True)
    with pytest.raises(duckdb.Error):  # the damage is real: DuckDB itself cannot read it
        con.execute("SELECT * FROM claims").fetchall()
    con.close()
    return path


def test_a_damaged_store_is_one_line_naming_its_file(tmp_path: Path) -> None:
    path = damaged_store(tmp_path / "claims.duckdb")
    with pytest.raises(StoreError) as caught:
        Store(path, read_only=True).claims_frame()
    message = str(caught.value)
    assert message.startswith(f"{path}: the store is damaged (")
    assert "\n" not in message


def test_export_from_a_damaged_store_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = damaged_store(tmp_path / "claims.duckdb")
    out = tmp_path / "x.csv"
    done = subprocess.run(
        [sys.executable, "-m", "claims.cli", "export", "--store", str(path), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        line for line in done.stderr.splitlines() if line.startswith("claims export: ")
    ]
    assert len(done.stderr.splitlines()) == 1
    assert f"claims export: {path}: the store is damaged (" in done.stderr
    assert not out.exists()


def test_compare_of_a_damaged_store_names_it_once_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    from claims.cli import main

    path = damaged_store(tmp_path / "claims.duckdb")
    assert main(["compare", "--store", str(path), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].count(str(path)) == 1
    assert err[0].startswith(f"claims compare: {path}: the store is damaged (")


def test_a_comparison_cut_short_leaves_the_marker_stale_and_no_part_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import claims.store

    store = Store(tmp_path / "store.duckdb")
    store.add_article("Raid 1", SMALL.format(n=10, i=1))
    saved = ComparedStore(store).save()
    assert store.comparison_is_current(comparison_key)
    store.add_article("Raid 2", SMALL.format(n=12, i=2))
    real = claims.store._frames

    def cut_short(frames: list) -> object:
        yield real(frames[:1])[0]  # the first table is replaced, then the writer dies
        raise KeyboardInterrupt

    monkeypatch.setattr(claims.store, "_frames", cut_short)
    with pytest.raises(KeyboardInterrupt):
        ComparedStore(store).save()
    monkeypatch.undo()
    assert not store.comparison_is_current(comparison_key)
    assert store.comparison_tables(comparison_key) is None
    with store._connect() as con:  # the earlier tables are whole, none of the cut one kept
        kept = con.execute("SELECT count(*) FROM compared_claims").fetchone()[0]
    assert kept == len(saved.claims)
    ComparedStore(store).save()
    assert store.comparison_is_current(comparison_key)
