"""`claims store check` and `claims store repair`: each damage is one line, repair makes the
store sound again and keeps a damaged file beside it; and ingest killed with SIGKILL."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from claims.cli import main
from claims.ingest import ingest
from claims.service import ComparedStore, comparison_key
from claims.store import Store
from claims.storecheck import check_store, repair_store
from tests.test_store import INJURED, SMALL, damaged_store


def articles_folder(folder: Path, count: int = 4) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        text = " ".join(
            [SMALL.format(n=10 + i, i=i), INJURED.format(n=20 + i, i=i), SMALL.format(n=3, i=9)]
        )
        (folder / f"raid-{i}.wiki").write_text(text, encoding="utf-8")
    return folder


def ingest_folder(folder: Path, path: Path, count: int = 4) -> Path:
    """A sound store of `count` small articles read from files in `folder`, compared."""
    report = ingest([articles_folder(folder, count)], Store(path), progress=False)
    assert report.added == count and report.compared
    return path


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One sound store (and the folder of its articles) that tests copy."""
    folder = tmp_path_factory.mktemp("template")
    return ingest_folder(folder / "articles", folder / "claims.duckdb"), folder / "articles"


@pytest.fixture
def ingested(tmp_path: Path, template: tuple[Path, Path]) -> Callable[[Path], Path]:
    """A copy of the template store at `FOLDER/claims.duckdb` (its articles' files are the
    template's, which tests leave as they are)."""

    def copy(folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copy(template[0], folder / "claims.duckdb"))

    return copy


@pytest.fixture
def articles(template: tuple[Path, Path]) -> Path:
    return template[1]


def run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, list[str], list[str]]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out.splitlines(), out.err.splitlines()


def sql(path: Path, *statements: str) -> None:
    con = duckdb.connect(str(path))
    for statement in statements:
        con.execute(statement)
    con.close()


def counts(path: Path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    out = {
        t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("articles", "claims", "citations", "compared_claims")
    }
    con.close()
    return out


def test_a_sound_store_is_one_ok_line_and_exit_0(
    tmp_path: Path, capsys: pytest.CaptureFixture, ingested: Callable[[Path], Path]
) -> None:
    path = ingested(tmp_path)
    claims = counts(path)["claims"]
    assert claims > 4
    code, out, err = run(capsys, "store", "check", "--store", str(path))
    assert (code, out, err) == (0, [f"store {path}: 4 articles, {claims} claims, ok"], [])


def test_no_such_store_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path = tmp_path / "none.duckdb"
    code, out, err = run(capsys, "store", "check", "--store", str(path))
    assert (code, out, err) == (2, [], [f"claims store check: {path}: no such store"])
    code, _, err = run(capsys, "store", "repair", "--store", str(path))
    assert code == 2 and err == [f"claims store repair: {path}: no such store"]
    assert not path.exists()


def flip_blocks(path: Path) -> None:
    damaged_store(path)


def truncate(path: Path) -> None:
    damaged = ingest_folder(path.parent / "articles", path)
    sql(damaged, "CHECKPOINT")
    with damaged.open("r+b") as out:
        out.truncate(damaged.stat().st_size // 2)


def garbage(path: Path) -> None:
    path.write_bytes(b"not a database\n" * 500)


def empty(path: Path) -> None:
    path.write_bytes(b"")


def zeroed_header(path: Path) -> None:
    ingest_folder(path.parent / "articles", path)
    with path.open("r+b") as out:
        out.write(b"\0" * 4096)


PHYSICAL: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    # damage -> how to make it, and the start of each line (after the file's name)
    "flipped blocks": (flip_blocks, ["the table claims cannot be read: the store is damaged ("]),
    "truncated": (truncate, ["the table ", "cannot be read: the store is damaged (IO Error: "]),
    "garbage": (garbage, ["the store is damaged (IO Error: ", "not a valid DuckDB database"]),
    "empty": (empty, ["the store is damaged (IO Error: ", "not a valid DuckDB database"]),
    "zeroed header": (zeroed_header, ["the store is damaged (", "not a valid DuckDB"]),
}


@pytest.mark.parametrize("damage", sorted(PHYSICAL))
def test_physical_damage_is_one_line_each_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture, damage: str
) -> None:
    make, words = PHYSICAL[damage]
    path = tmp_path / "claims.duckdb"
    make(path)
    code, out, err = run(capsys, "store", "check", "--store", str(path))
    assert code == 1 and err == []
    assert out and all(line.startswith(f"{path}: ") for line in out)
    assert all(word in out[0] for word in words), out
    if damage in ("garbage", "empty", "zeroed header"):
        assert len(out) == 1  # nothing more can be read


def test_the_damage_is_found_whichever_table_holds_it(tmp_path: Path) -> None:
    """Each damaged table is its own line; the tables that read well are not named."""
    path = damaged_store(tmp_path / "claims.duckdb")
    found = check_store(path)
    assert found.opened and found.unreadable
    named = [line.split(" cannot be read")[0].rsplit(" ", 1)[1] for line in found.problems]
    assert named == found.unreadable
    assert "articles" not in found.unreadable  # a few rows, before the damaged middle


def missing_table(path: Path) -> list[str]:
    sql(path, "DROP TABLE citations")
    return [f"{path}: the table citations is missing"]


def orphan_claims(path: Path) -> list[str]:
    held = counts(path)
    sql(path, "DELETE FROM articles WHERE title = 'raid-1'")
    after = duckdb.connect(str(path), read_only=True)
    claims, citations = (
        after.execute(f"SELECT count(*) FROM {t} WHERE article = 'raid-1'").fetchone()[0]
        for t in ("claims", "citations")
    )
    after.close()
    assert 0 < claims < held["claims"] and citations > 0
    return [
        f"{path}: {claims} claims of 1 article(s) not in the articles table (raid-1)",
        f"{path}: {citations} citations of 1 article(s) not in the articles table (raid-1)",
    ]


def miscounted(path: Path) -> list[str]:
    con = duckdb.connect(str(path), read_only=True)
    said = con.execute("SELECT claims FROM articles WHERE title = 'raid-2'").fetchone()[0]
    con.close()
    sql(path, "UPDATE articles SET claims = claims + 4 WHERE title = 'raid-2'")
    return [
        f"{path}: 1 article(s) whose claim count disagrees with the claims table "
        f"(raid-2: {said + 4} said, {said} held)"
    ]


def stale_comparison(path: Path) -> list[str]:
    sql(path, "UPDATE meta SET value = 'another' WHERE key = 'version'")
    return [f"{path}: the saved comparison is stale (made from other data or under other rules)"]


def comparison_table_missing(path: Path) -> list[str]:
    sql(path, "DROP TABLE pairs")
    return [f"{path}: the saved comparison lacks the table(s) pairs"]


LOGICAL = {
    "missing table": missing_table,
    "orphan claims": orphan_claims,
    "miscounted": miscounted,
    "stale comparison": stale_comparison,
    "comparison table missing": comparison_table_missing,
}


@pytest.mark.parametrize("damage", sorted(LOGICAL))
def test_tables_that_disagree_are_one_line_each_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture, damage: str, ingested: Callable[[Path], Path]
) -> None:
    path = ingested(tmp_path)
    expected = LOGICAL[damage](path)
    code, out, err = run(capsys, "store", "check", "--store", str(path))
    assert (code, out, err) == (1, expected, [])


@pytest.mark.parametrize("damage", sorted(LOGICAL))
def test_repair_mends_disagreeing_tables_in_place_then_check_is_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture, damage: str, ingested: Callable[[Path], Path]
) -> None:
    path = ingested(tmp_path)
    sound = counts(path)
    LOGICAL[damage](path)
    code, out, err = run(capsys, "store", "repair", "--store", str(path))
    assert code == 0 and err == [], err
    assert out[-1].startswith(f"store {path}: ") and out[-1].endswith(", ok")
    assert not list(tmp_path.glob("claims.duckdb.damaged-*"))  # a readable file is mended
    code, out, _ = run(capsys, "store", "check", "--store", str(path))
    assert code == 0 and out[0].endswith(", ok")
    assert Store(path, read_only=True).comparison_is_current(comparison_key)
    if damage == "orphan claims":  # the article is gone: its claims with it
        assert counts(path)["articles"] == 3 and counts(path)["claims"] < sound["claims"]
    else:  # the files are at hand: the same content as before
        assert counts(path) == sound


def test_repair_reads_an_article_again_from_its_file(
    tmp_path: Path, capsys: pytest.CaptureFixture, ingested: Callable[[Path], Path], articles: Path
) -> None:
    path = ingested(tmp_path)
    sound = counts(path)
    sql(path, "DELETE FROM claims WHERE article = 'raid-0' AND start > 0")
    code, out, _ = run(capsys, "store", "repair", "--store", str(path))
    assert code == 0
    source = articles / "raid-0.wiki"
    assert [line for line in out if line.startswith("read again: ")] == [
        f"read again: raid-0 from {source} (3 claims; 1 of 3 were held)"
    ]
    assert counts(path) == sound


def test_repair_drops_an_incomplete_article_whose_file_is_gone_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path = ingest_folder(tmp_path / "articles", tmp_path / "claims.duckdb")
    sql(path, "DELETE FROM claims WHERE article = 'raid-0' AND start > 0")
    source = tmp_path / "articles" / "raid-0.wiki"
    source.write_text(SMALL.format(n=99, i=99), encoding="utf-8")  # not the text read
    code, out, _ = run(capsys, "store", "repair", "--store", str(path))
    assert code == 0
    assert (
        f"lost: the article raid-0 (1 of its 3 claims held; dropped, ingest {source} again "
        "to restore it)"
    ) in out
    assert counts(path)["articles"] == 3
    assert check_store(path).sound
    ingest([source], Store(path), progress=False)  # as the line says
    assert counts(path)["articles"] == 4 and check_store(path).sound


@pytest.mark.parametrize("damage", sorted(PHYSICAL))
def test_repair_salvages_into_a_new_file_and_keeps_the_damaged_one(
    tmp_path: Path, capsys: pytest.CaptureFixture, damage: str
) -> None:
    make, _ = PHYSICAL[damage]
    path = tmp_path / "claims.duckdb"
    make(path)
    damaged_bytes = path.read_bytes()
    code, out, err = run(capsys, "store", "repair", "--store", str(path))
    assert code == 0 and err == [], err
    kept = list(tmp_path.glob("claims.duckdb.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged_bytes
    assert f"kept: the damaged file as {kept[0]}" in out
    assert any(line.startswith("lost: ") for line in out)
    assert not list(tmp_path.glob("claims.duckdb.repairing*"))
    code, out, _ = run(capsys, "store", "check", "--store", str(path))
    assert code == 0 and out[0].endswith(", ok")
    assert Store(path, read_only=True).comparison_is_current(comparison_key)


def test_salvage_keeps_the_tables_that_read_well(tmp_path: Path) -> None:
    path = damaged_store(tmp_path / "claims.duckdb")
    before = check_store(path)
    readable = [t for t in ("articles", "problems") if t not in before.unreadable]
    assert "claims" in before.unreadable and "articles" in readable
    repair = repair_store(path)
    assert "salvaged: the table articles (20 rows)" in repair.done
    assert "lost: the table claims" in " ".join(repair.lost)
    # no article's file is at hand: each is dropped, ten named, the rest counted in one line
    dropped = [line for line in repair.lost if line.startswith("lost: the article ")]
    assert len(dropped) == 10
    assert "lost: 10 more articles whose claims were not all held" in repair.lost[-1]
    assert repair.after is not None and repair.after.sound


def test_a_lost_citations_table_is_read_again_from_the_files(
    tmp_path: Path, capsys: pytest.CaptureFixture, ingested: Callable[[Path], Path]
) -> None:
    path = ingested(tmp_path)
    sound = counts(path)
    sql(path, "DROP TABLE citations")
    code, out, _ = run(capsys, "store", "repair", "--store", str(path))
    assert code == 0
    assert "read again: 4 articles from their files, for their citations" in out
    assert counts(path) == sound


def test_repair_of_a_sound_store_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture, ingested: Callable[[Path], Path]
) -> None:
    path = ingested(tmp_path)
    version = Store(path).version()
    code, out, _ = run(capsys, "store", "repair", "--store", str(path))
    assert code == 0 and out == [
        f"store {path}: 4 articles, {counts(path)['claims']} claims, ok (nothing to repair)"
    ]
    assert Store(path).version() == version


def test_a_comparison_made_by_the_service_is_current_for_check(tmp_path: Path) -> None:
    path = tmp_path / "claims.duckdb"
    store = Store(path)
    store.add_article("Raid", SMALL.format(n=5, i=5))
    assert check_store(path).sound  # never compared: readers compare on demand
    ComparedStore(store).save()
    assert check_store(path).sound
    store.add_article("Raid 2", SMALL.format(n=6, i=6))
    assert check_store(path).problems == [
        f"{path}: the saved comparison is stale (made from other data or under other rules)"
    ]


@pytest.mark.slow
def test_ingest_killed_at_random_points_then_run_again_equals_a_clean_run(
    tmp_path: Path,
) -> None:
    sys.path.insert(0, str(Path(__file__).parent.parent))
    from benchmarks.crash_test import PHASES, crash_test

    _, _, kills = crash_test(tmp_path, articles=60, kills=2, seed=3)
    assert len(kills) == 2
    assert all(kill.phase in PHASES for kill in kills)
    assert [kill.differences for kill in kills] == [[], []]


def test_a_damaged_write_ahead_log_loses_only_the_changes_since_the_checkpoint(
    tmp_path: Path, capsys: pytest.CaptureFixture, ingested: Callable[[Path], Path]
) -> None:
    import subprocess

    path = ingested(tmp_path)
    sound = counts(path)
    writer = (  # a writer killed before its log was checkpointed
        "import duckdb, os, sys; con = duckdb.connect(sys.argv[1]); "
        "con.execute(\"INSERT INTO problems VALUES ('late.wiki', 'late', now())\"); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", writer, str(path)], check=True, timeout=120)
    log = path.with_name(path.name + ".wal")
    data = bytearray(log.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 32] = b"\xff" * 32
    log.write_bytes(bytes(data))
    code, out, _ = run(capsys, "store", "check", "--store", str(path))
    assert code == 1 and len(out) == 1 and out[0].startswith(f"{path}: the store is damaged (")
    code, out, _ = run(capsys, "store", "repair", "--store", str(path))
    assert code == 0
    assert any(line.startswith(f"lost: the write-ahead log {log} ") for line in out)
    assert "lost: every table" not in " ".join(out)
    assert counts(path) == sound and not log.exists()
    kept = list(tmp_path.glob("claims.duckdb.damaged-*"))
    assert sorted(p.suffix == ".wal" for p in kept) == [False, True]
    assert check_store(path).sound


def test_store_without_an_action_shows_its_usage_and_exit_2(
    capsys: pytest.CaptureFixture,
) -> None:
    code, out, err = run(capsys, "store")
    assert code == 2 and out == []
    assert err[0].startswith("usage: claims store") and any("repair" in line for line in err)
    with pytest.raises(SystemExit):
        main(["store", "check", "--help"])
    assert "claims store repair --store demo.duckdb" in capsys.readouterr().out
