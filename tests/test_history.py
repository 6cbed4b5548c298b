"""Claim drift: histories read in flat memory, figures followed by identity, events by rule."""

from __future__ import annotations

import bz2
import gzip
import importlib.util
import json
import sys
import tracemalloc
from collections import Counter
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import pytest

from claims.cli import main
from claims.errors import ArticleError
from claims.extract import extract
from claims.history import (
    EVENT_COLUMNS,
    Revision,
    Tracker,
    changed_sections,
    drift_frame,
    follow,
    follow_path,
    history_rules,
    observe,
    read_history,
    revision_name,
    section_hashes,
    sections,
)

HERE = Path(__file__).parent
_spec = importlib.util.spec_from_file_location(
    "make_history", HERE / "fixtures" / "make_history.py"
)
assert _spec and _spec.loader
make_history = importlib.util.module_from_spec(_spec)
sys.modules["make_history"] = make_history
_spec.loader.exec_module(make_history)

TITLE = make_history.TITLE


def revisions_of(planned: list) -> list[Revision]:
    return [Revision(TITLE, str(p.id), p.timestamp, p.comment, p.text) for p in planned]


def run(planned: list, shortcut: bool = True) -> Tracker:
    tracker = Tracker(TITLE, shortcut=shortcut)
    for revision in revisions_of(planned):
        tracker.add(revision)
    return tracker


@pytest.fixture(scope="module")
def small_plan() -> list:
    return make_history.plan(40, seed=3)


SNAPSHOT_EVERY = 9


@pytest.fixture(scope="module")
def small_run(small_plan: list) -> tuple[Tracker, dict[int, list]]:
    """The short history followed, with the figures present after some of its revisions."""
    tracker = Tracker(TITLE)
    snapshots: dict[int, list] = {}
    for k, revision in enumerate(revisions_of(small_plan)):
        tracker.add(revision)
        if k % SNAPSHOT_EVERY == 0 or k == len(small_plan) - 1:
            snapshots[k] = tracker.current()
    return tracker, snapshots


@pytest.fixture(scope="module")
def small(small_run) -> Tracker:
    return small_run[0]


@pytest.fixture(scope="module")
def fixture_history() -> tuple[Tracker, list]:
    result = follow_path(make_history.FIXTURE)
    assert result.problems == [] and len(result.articles) == 1
    return result.articles[0], make_history.plan()


def state_of(observations) -> set[tuple]:
    """What a revision says: each figure's place, value and each of its sources."""
    return {
        (o.origin, o.topic, o.party, o.value_text, o.value_low, o.value_high, source)
        for o in observations
        for source in (o.sources or ("",))
    }


def claims_state(text: str) -> set[tuple]:
    claims = extract(text, TITLE).claims
    return {
        (c.origin, c.topic, c.party, c.value_text, c.value_low, c.value_high, c.source)
        for c in claims
    }


def check_events(tracker: Tracker, planned: list) -> None:
    by_revision: dict[str, list] = {}
    for e in tracker.events:
        by_revision.setdefault(e.revision, []).append(e)
    for p in planned[1:]:
        found = by_revision.get(str(p.id), [])
        if p.unrelated:
            assert found == [], (p.comment, [(e.event, e.figure) for e in found])
        for event, topic, party, value in p.expected:
            assert any(
                e.event == event
                and e.topic == topic
                and e.party == party
                and value in (e.new if e.new else e.old)
                for e in found
            ), (p.comment, event, topic, party, value, [(e.event, e.figure) for e in found])


# -- events as generated ----------------------------------------------------------------------


def test_the_generated_fixture_is_current() -> None:
    made = make_history.export(make_history.plan())
    assert bz2.decompress(make_history.FIXTURE.read_bytes()) == made
    assert make_history.FIXTURE.stat().st_size < 400_000


@pytest.mark.slow
def test_events_of_the_fixture_are_found_as_generated(fixture_history) -> None:
    tracker, planned = fixture_history
    assert tracker.revisions == len(planned) == 200
    check_events(tracker, planned)
    # reverts and null edits come back to a text read before: not extracted again
    assert tracker.extractions < len({p.text for p in planned}) + 1
    assert tracker.extractions == len({p.text for p in planned})


@pytest.mark.slow
def test_the_last_revisions_state_equals_extract_on_its_text(fixture_history) -> None:
    tracker, planned = fixture_history
    assert state_of(tracker.current()) == claims_state(planned[-1].text)
    assert len(tracker.current()) == len(observe(extract(planned[-1].text, TITLE).claims))


def test_the_state_after_any_revision_equals_extract_on_its_text(small_run, small_plan) -> None:
    _, snapshots = small_run
    assert len(snapshots) >= 5
    for k, current in snapshots.items():
        assert state_of(current) == claims_state(small_plan[k].text), k


def test_events_of_a_short_history(small: Tracker, small_plan: list) -> None:
    check_events(small, small_plan)
    names = Counter(e.event for e in small.events)
    for rule in ("raised", "lowered", "source_replaced", "removed", "restored"):
        assert names[rule] >= 1, rule
    assert names["disputed_removed"] == 1 and names["revert_war"] == 1


def test_a_raise_names_its_citation_and_links_its_revision(small: Tracker, small_plan) -> None:
    raised = next(e for e in small.events if e.event == "raised" and e.field == "casualties3")
    assert (raised.old, raised.new, raised.new_source) == ("22", "35", "SOHR")
    assert raised.detail.startswith("raised 22 → 35 (citation: SOHR")
    assert raised.url == f"https://en.wikipedia.org/w/index.php?oldid={raised.revision}"
    assert raised.comment == "update toll per SOHR"
    swap = next(e for e in small.events if e.event == "source_replaced")
    assert swap.detail == "source replaced: TASS → Reuters"
    assert (swap.old, swap.new) == ("350", "350")


def test_a_figure_moved_by_an_inserted_sentence_keeps_its_identity(small, small_plan) -> None:
    insert = next(p for p in small_plan if p.comment == "add Tel Rifaat shelling")
    found = [e for e in small.events if e.revision == str(insert.id)]
    assert [(e.event, e.new) for e in found] == [("added", "7")]
    # the figure that moved down one sentence kept its identity and its whole timeline
    strike = next(
        f for f in small.figures.values() if f.topic == "killed" and f.last.value_text == "19"
    )
    assert [p.value_text for p in strike.timeline] == ["16", "19"]
    assert "sentence 2" in strike.identity and strike.present


def test_timeline_points_hold_value_source_citation_and_comment(small: Tracker) -> None:
    swap = next(e for e in small.events if e.event == "source_replaced")
    figure = small.figures[swap.figure_id]
    assert [(p.value_text, p.source, p.citation) for p in figure.timeline] == [
        ("350", "TASS", ""),
        ("350", "Reuters", "changed"),
    ]
    war = next(e for e in small.events if e.event == "revert_war")
    points = small.figures[war.figure_id].timeline
    assert [p.value_text for p in points] == ["Dozens", "120", "Dozens", "120", "Dozens", "120"]
    assert points[4].events == ("lowered", "revert_war")
    assert all(p.revision and p.timestamp for p in points)


def test_the_shortcut_changes_nothing_but_the_work(small: Tracker, small_plan: list) -> None:
    slow = run(small_plan, shortcut=False)
    assert [e.to_row() for e in slow.events] == [e.to_row() for e in small.events]
    assert slow.extractions == len(small_plan)
    assert small.extractions == len({p.text for p in small_plan}) < len(small_plan)


def test_a_blanked_revision_removes_every_figure_and_its_revert_restores_them() -> None:
    seed = make_history.SEED.read_text(encoding="utf-8")
    tracker = Tracker(TITLE)
    tracker.add(Revision(TITLE, "1", "", "", seed))
    count = len(tracker.current())
    blanked = tracker.add(Revision(TITLE, "2", "", "blanking", ""))
    assert {e.event for e in blanked} <= {"removed", "disputed_removed"}
    assert len(blanked) == count and tracker.current() == []
    assert tracker.warnings and "revision 2" in tracker.warnings[0]
    restored = tracker.add(Revision(TITLE, "3", "", "rv", seed))
    assert [e.event for e in restored] == ["restored"] * count


def test_rules_are_read_from_the_data_file() -> None:
    rules = history_rules()
    assert rules.revert_war_flips >= 2
    assert rules.match[0].name == "same_words_exact"
    assert {"raised", "lowered", "source_replaced", "removed", "restored"} <= set(rules.events)
    assert {"disputed_removed", "revert_war"} <= set(rules.events)
    assert set(rules.identity) >= {"infobox", "prose", "table", "citation_title", "other"}


# -- sections -------------------------------------------------------------------------------


def test_sections_and_the_sections_an_edit_changed() -> None:
    text = "Lead.\n== A ==\nOne.\n=== B ===\nTwo.\n== C ==\nThree.\n"
    assert [h for h, _ in sections(text)] == ["(lead)", "A", "B", "C"]
    assert "".join(body for _, body in sections(text)) == text
    before = section_hashes(text)
    after = section_hashes(text.replace("Two.", "Two!").replace("== C ==\nThree.\n", ""))
    assert changed_sections(before, after) == ["B", "C"]
    assert changed_sections(before, before) == []


# -- reading histories ------------------------------------------------------------------------


def page_xml(title: str, revisions: list[tuple[str, str, str, str]], ns: int = 0) -> str:
    body = "".join(
        f"<revision><id>{rid}</id><timestamp>{ts}</timestamp>"
        f"<contributor><username>X</username><id>99</id></contributor>"
        f"<comment>{escape(comment)}</comment>"
        f'<text xml:space="preserve">{escape(text)}</text></revision>'
        for rid, ts, comment, text in revisions
    )
    return f"<page><title>{escape(title)}</title><ns>{ns}</ns><id>5</id>{body}</page>"


def dump_bytes(*pages: str) -> bytes:
    head = '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11">'
    return (head + "<siteinfo><sitename>W</sitename></siteinfo>" + "".join(pages)).encode() + (
        b"</mediawiki>"
    )


SMALL = (
    "On 3 May 2020, {n} soldiers were killed in Redtown.<ref>{{{{cite news|work=Reuters|"
    "title=Clashes|url=https://www.reuters.com/x|date=3 May 2020}}}}</ref>"
)


def test_every_revision_of_every_main_page_is_read_in_order(tmp_path: Path) -> None:
    data = dump_bytes(
        page_xml("Raid", [("11", "2020-05-03T00:00:00Z", "new", SMALL.format(n=10))]),
        page_xml("Talk:Raid", [("12", "2020-05-03T00:00:00Z", "", "talk")], ns=1),
        page_xml(
            "Raid",
            [
                ("13", "2020-05-04T00:00:00Z", "more", SMALL.format(n=12)),
                ("14", "2020-05-05T00:00:00Z", "rv", SMALL.format(n=10)),
            ],
        ),
    )
    for name, raw in (
        ("h.xml", data),
        ("h.xml.bz2", bz2.compress(data)),
        ("h.xml.gz", gzip.compress(data)),
    ):
        path = tmp_path / name
        path.write_bytes(raw)
        revisions = list(read_history(path))
        assert [(r.title, r.id, r.comment) for r in revisions] == [
            ("Raid", "11", "new"),
            ("Raid", "13", "more"),
            ("Raid", "14", "rv"),
        ]
        assert revisions[0].timestamp == "2020-05-03T00:00:00Z"


def test_a_history_is_read_in_flat_memory(tmp_path: Path) -> None:
    text = "Some prose that is long enough. " * 300  # ~10 KB a revision
    revisions = [(str(i), "2020-01-01T00:00:00Z", f"edit {i}", text + str(i)) for i in range(1500)]
    path = tmp_path / "big.xml"
    path.write_bytes(dump_bytes(page_xml("Long", revisions)))
    assert path.stat().st_size > 14_000_000
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_history(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 1500
    assert peak < 2_000_000, peak  # a few revisions held, not the 15 MB of them


def test_a_broken_history_is_one_line_and_what_came_before_is_kept(tmp_path: Path) -> None:
    revisions = [(str(i), "", "", SMALL.format(n=10 + i)) for i in range(1, 6)]
    data = dump_bytes(page_xml("Raid", revisions))
    cut = data.index(b"<revision><id>4</id>") + 30
    path = tmp_path / "broken.xml.bz2"
    path.write_bytes(bz2.compress(data[:cut]))
    result = follow_path(path)
    assert [t.revisions for t in result.articles] == [3]
    assert len(result.problems) == 1 and "\n" not in result.problems[0]
    assert result.problems[0].startswith(f"{path}: ")
    raised = [e for e in result.events if e.event == "raised"]
    assert [(e.old, e.new) for e in raised] == [("11", "12"), ("12", "13")]
    out = tmp_path / "drift.csv"
    assert main(["history", str(path), "-o", str(out)]) == 1
    assert len(pd.read_csv(out)) == len(result.events)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"<html><body>no</body></html>", "is not a MediaWiki XML export"),
        (b"", "is not well-formed XML"),
        (b"<mediawiki><page><title>A</title", "is not well-formed XML"),
    ],
)
def test_not_a_history_is_a_one_line_error(tmp_path: Path, data: bytes, problem: str) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(data)
    with pytest.raises(ArticleError) as caught:
        list(read_history(path))
    assert problem in str(caught.value) and str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_path_that_is_no_history_is_refused(tmp_path: Path, capsys) -> None:
    path = tmp_path / "article.wiki"
    path.write_text("text", encoding="utf-8")
    assert main(["history", str(path), "-o", str(tmp_path / "d.csv")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith(f"claims history: error: {path}: is neither a history export")


def test_revision_file_names() -> None:
    assert revision_name("1260000055") == ("id", "1260000055")
    assert revision_name("2024-11-30T12:00:00Z") == ("timestamp", "2024-11-30T12:00:00Z")
    assert revision_name("2024-11-30T12-00-00Z") == ("timestamp", "2024-11-30T12:00:00Z")
    assert revision_name("20241130120000") == ("timestamp", "2024-11-30T12:00:00Z")
    assert revision_name("draft") is None


def test_a_folder_of_revisions_is_read_in_order(tmp_path: Path) -> None:
    folder = tmp_path / "Raid_on_Redtown"
    folder.mkdir()
    for rid, n in ((9, 10), (10, 12), (100, 15)):
        (folder / f"{rid}.wiki").write_text(SMALL.format(n=n), encoding="utf-8")
    revisions = list(read_history(folder))
    assert [(r.title, r.id) for r in revisions] == [
        ("Raid on Redtown", "9"),
        ("Raid on Redtown", "10"),
        ("Raid on Redtown", "100"),
    ]
    (folder / "notes.wiki").write_text("x", encoding="utf-8")
    result = follow_path(folder, title="Raid")
    assert [t.revisions for t in result.articles] == [3]
    assert result.problems == [
        f"{folder / 'notes.wiki'}: is named neither by a revision id nor by a timestamp"
    ]
    assert [e.event for e in result.events] == ["added", "raised", "raised"]
    by_time = tmp_path / "by_time"
    by_time.mkdir()
    (by_time / "2020-05-04T00-00-00Z.wiki").write_text(SMALL.format(n=12), encoding="utf-8")
    (by_time / "2020-05-03T00-00-00Z.wiki").write_text(SMALL.format(n=10), encoding="utf-8")
    assert [r.timestamp for r in read_history(by_time)] == [
        "2020-05-03T00:00:00Z",
        "2020-05-04T00:00:00Z",
    ]


def test_follow_keeps_a_page_read_before_an_error() -> None:
    def revisions():
        yield Revision("A", "1", "", "", SMALL.format(n=10))
        yield Revision("B", "2", "", "", SMALL.format(n=10))
        raise ArticleError("h.xml", "cannot be read to the end")

    seen = []
    with pytest.raises(ArticleError):
        for tracker in follow(revisions()):
            seen.append(tracker.title)
    assert seen == ["A", "B"]


# -- the command ------------------------------------------------------------------------------


def raid_history(path: Path) -> Path:
    values = [10, 12, 12, 9, 9]
    revisions = [
        (str(100 + i), f"2020-05-0{i + 1}T00:00:00Z", f"edit {i}", SMALL.format(n=n))
        for i, n in enumerate(values)
    ]
    path.write_bytes(gzip.compress(dump_bytes(page_xml("Raid", revisions))))
    return path


@pytest.mark.parametrize("suffix", [".csv", ".json", ".jsonl", ".parquet"])
def test_claims_history_writes_one_row_per_change(tmp_path: Path, suffix: str, capsys) -> None:
    path = raid_history(tmp_path / "h.xml.gz")
    out = tmp_path / f"drift{suffix}"
    assert main(["history", str(path), "-o", str(out)]) == 0
    if suffix == ".csv":
        frame = pd.read_csv(out, dtype={"revision": str, "old": str, "new": str})
    elif suffix == ".json":
        frame = pd.DataFrame(json.loads(out.read_text(encoding="utf-8")))
    elif suffix == ".jsonl":
        frame = pd.read_json(out, lines=True, dtype={"revision": str, "old": str, "new": str})
    else:
        frame = pd.read_parquet(out)
    assert list(frame.columns) == list(EVENT_COLUMNS)
    rows = [(str(r), e, o, n) for r, e, o, n in frame[["revision", "event", "old", "new"]].values]
    assert [(r, e, str(o) if o == o else "", str(n)) for r, e, o, n in rows] == [
        ("100", "added", "", "10"),
        ("101", "raised", "10", "12"),
        ("103", "lowered", "12", "9"),
    ]
    assert list(frame["url"]) == [
        f"https://en.wikipedia.org/w/index.php?oldid={r}" for r in ("100", "101", "103")
    ]
    assert list(frame["comment"]) == ["edit 0", "edit 1", "edit 3"]
    assert "3 changes written to" in capsys.readouterr().err


def test_claims_history_keeps_only_the_events_asked(tmp_path: Path, capsys) -> None:
    path = raid_history(tmp_path / "h.xml.gz")
    out = tmp_path / "raised.csv"
    assert main(["history", str(path), "-o", str(out), "--events", "raised"]) == 0
    assert list(pd.read_csv(out)["event"]) == ["raised"]
    assert main(["history", str(path), "-o", str(out), "--events", "grew"]) == 2
    assert "unknown event grew" in capsys.readouterr().err


@pytest.mark.parametrize("shortcut", [True, False], ids=["shortcut", "every-revision"])
def test_worker_processes_find_the_same_changes_as_one_process(shortcut: bool) -> None:
    one = follow_path(make_history.FIXTURE, shortcut=shortcut)
    two = follow_path(make_history.FIXTURE, shortcut=shortcut, processes=2)
    assert two.problems == one.problems == []
    pd.testing.assert_frame_equal(drift_frame(two.events), drift_frame(one.events))
    assert [t.extractions for t in two.articles] == [t.extractions for t in one.articles]
    assert two.warnings == one.warnings


def test_history_on_worker_processes_through_the_cli(tmp_path: Path) -> None:
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert main(["history", str(make_history.FIXTURE), "-o", str(one)]) == 0
    assert main(["history", str(make_history.FIXTURE), "-o", str(two), "--processes", "2"]) == 0
    assert two.read_bytes() == one.read_bytes()


def test_history_refuses_a_bad_process_count(capsys) -> None:
    assert main(["history", str(make_history.FIXTURE), "-o", "x.csv", "--processes", "0"]) == 2
    assert capsys.readouterr().err.strip() == (
        "claims history: --processes must be between 1 and 256"
    )


def test_history_on_a_dask_cluster_finds_the_same_changes(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    one = follow_path(make_history.FIXTURE)
    on_dask = follow_path(make_history.FIXTURE, engine="dask", processes=1)
    pd.testing.assert_frame_equal(drift_frame(on_dask.events), drift_frame(one.events))
