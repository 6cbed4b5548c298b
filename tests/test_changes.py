"""A claim's page with its figure's history, and the "changed recently" view with its data."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from dash import dcc, html

from claims.extract import extract_article
from claims.history import (
    CHANGE_COLUMNS,
    Revision,
    Tracker,
    UnknownEvent,
    check_events,
    drift_frame,
    history_rules,
    recent_changes,
)
from claims.tables import claims_frame, write_table
from dashboard import create_app
from dashboard.callbacks.pages import initial_view, render_page
from dashboard.data import DashboardData
from dashboard.layout import build_layout
from tests.test_dashboard_callbacks import FrameStore
from tests.test_dashboard_pages import find, texts

RED, BLUE = "Raid on Redtown", "Siege of Bluetown"
KILLED = (
    "On 3 May 2020, {n} soldiers were killed in {town}.<ref>{{{{cite news|work={work}|"
    "title=Clashes|url=https://www.{site}/x|date=3 May 2020}}}}</ref>\n\n"
)
INJURED = (
    "== Aftermath ==\nOn 4 May 2020, {m} civilians were injured in {town}.<ref>{{{{cite news|"
    "work=BBC News|title=Aftermath|url=https://www.bbc.co.uk/y|date=4 May 2020}}}}</ref>\n"
)
SITES = {"Reuters": "reuters.com", "AP": "apnews.com"}
# (killed, its source, injured or None when the sentence is gone), one revision each
RED_REVISIONS = [
    (10, "Reuters", 5),
    (12, "Reuters", 5),  # raised
    (12, "AP", 5),  # source replaced
    (12, "AP", None),  # removed
    (12, "AP", 5),  # restored
    (9, "AP", 5),  # lowered
]
BLUE_REVISIONS = [(40, "Reuters", 7), (45, "Reuters", 7)]  # raised, before Redtown's changes


def text(town: str, n: int, work: str, m: int | None) -> str:
    killed = KILLED.format(n=n, town=town, work=work, site=SITES[work])
    injured = INJURED.format(m=m, town=town) if m else "== Aftermath ==\nLater.\n"
    return killed + injured


def follow(title: str, revisions: list, first: int, day: int) -> tuple[pd.DataFrame, str]:
    tracker = Tracker(title)
    town = title.split()[-1]
    last = ""
    for k, values in enumerate(revisions):
        last = text(town, *values)
        stamp = f"2020-04-{day + k:02d}T10:00:00Z"
        tracker.add(Revision(title, str(first + k), stamp, f"edit {first + k}", last))
    return drift_frame(tracker.events), last


def two_histories() -> tuple[list[dict], pd.DataFrame]:
    """The claims of the last revisions of both articles, and their drift table."""
    red, red_text = follow(RED, RED_REVISIONS, 500, 10)
    blue, blue_text = follow(BLUE, BLUE_REVISIONS, 900, 1)
    rows = []
    for title, last in ((RED, red_text), (BLUE, blue_text)):
        rows += claims_frame(extract_article(last, title)).to_dict("records")
    return rows, pd.concat([red, blue], ignore_index=True)


@pytest.fixture(scope="module")
def loaded() -> tuple[DashboardData, pd.DataFrame]:
    rows, drift = two_histories()
    return DashboardData(FrameStore(rows)), drift


def claim_of(data: DashboardData, article: str, topic: str) -> dict:
    claims = data.snapshot().claims
    own = claims[(claims["article"] == article) & (claims["topic"] == topic)]
    return own.iloc[0].to_dict()


def test_the_recent_events_are_declared_rules():
    assert set(history_rules().recent) <= set(history_rules().events)
    assert "added" not in history_rules().recent
    assert check_events(["raised", " lowered", "raised", ""]) == ("raised", "lowered")
    with pytest.raises(UnknownEvent, match="unknown event 'grew'; known events: added"):
        check_events(["grew"])


def test_recent_changes_are_newest_first_and_name_the_claim_their_figure_is(loaded):
    data, drift = loaded
    changes = recent_changes(drift, data.snapshot().claims)
    assert list(changes.columns) == list(CHANGE_COLUMNS)
    assert changes["event"].tolist() == [
        "lowered",
        "restored",
        "removed",
        "source_replaced",
        "raised",
        "raised",
    ]
    assert changes["revision"].tolist() == ["505", "504", "503", "502", "501", "901"]
    killed = claim_of(data, RED, "killed")
    injured = claim_of(data, RED, "injured")
    assert changes.loc[0, "claim_id"] == killed["claim_id"]
    assert changes.loc[0, "group_id"] == killed["group_id"]
    assert changes.loc[2, "claim_id"] == injured["claim_id"], "the removed figure is back now"
    only = recent_changes(
        drift, data.snapshot().claims, events=["raised"], articles=["siege OF bluetown"]
    )
    assert only["revision"].tolist() == ["901"] and only["new"].tolist() == ["45"]
    added = recent_changes(drift, data.snapshot().claims, events=["added"])
    assert len(added) == 4 and set(added["event"]) == {"added"}
    gone = recent_changes(drift, data.snapshot().claims.iloc[0:0])
    assert set(gone["claim_id"]) == {""} and len(gone) == 6


def test_the_changes_page_links_each_revision_and_the_claim_and_group(loaded):
    data, drift = loaded
    page = render_page(data.snapshot(), "/changes", drift, "")
    words = " ".join(texts(page))
    assert "Changed recently" in words
    summary = (
        "6 changes (raised, lowered, source replaced, removed, restored, disputed removed, "
        "revert war) in 2 article(s), newest first."
    )
    assert summary in words
    rows = [r for r in find(page, html.Tr) if getattr(r, "className", "") == "change-row"]
    assert len(rows) == 6
    first = rows[0]
    assert "lowered 12 → 9" in " ".join(texts(first))
    hrefs = [a.href for a in find(first, html.A)]
    assert hrefs == ["https://en.wikipedia.org/w/index.php?oldid=505"]
    killed = claim_of(data, RED, "killed")
    links = [link.href for link in find(first, dcc.Link)]
    assert links == [f"/claim/{killed['claim_id']}", f"/group/{killed['group_id']}"]
    assert "source replaced: Reuters → AP" in " ".join(texts(rows[3]))
    assert "Reuters → AP" in texts(rows[3])


def test_the_changes_page_is_filtered_by_event_and_article_from_the_address(loaded):
    data, drift = loaded
    page = render_page(data.snapshot(), "/changes", drift, "?event=raised&article=Raid+on+Redtown")
    rows = [r for r in find(page, html.Tr) if getattr(r, "className", "") == "change-row"]
    assert [" ".join(texts(r)).count("raised 10 → 12") for r in rows] == [1]

    def chips(name: str) -> dict[str, str]:
        line = next(p for p in find(page, html.P) if getattr(p, "id", "") == f"changes-{name}s")
        return {link.children: link.href for link in find(line, dcc.Link)}

    assert chips("event") == {
        "all": "/changes?article=Raid+on+Redtown",
        "lowered (1)": "/changes?event=lowered&article=Raid+on+Redtown",
        "source replaced (1)": "/changes?event=source_replaced&article=Raid+on+Redtown",
        "removed (1)": "/changes?event=removed&article=Raid+on+Redtown",
        "restored (1)": "/changes?event=restored&article=Raid+on+Redtown",
    }, "the event shown is not a link"
    assert chips("article") == {
        "all": "/changes?event=raised",
        f"{BLUE} (1)": f"/changes?event=raised&article={BLUE.replace(' ', '+')}",
    }
    data_links = [a.href for a in find(page, html.A) if getattr(a, "className", "") == "data-link"]
    assert data_links == [
        "/changes.csv?event=raised&article=Raid+on+Redtown",
        "/changes.json?event=raised&article=Raid+on+Redtown",
    ]
    bad = " ".join(texts(render_page(data.snapshot(), "/changes", drift, "?event=grew")))
    assert "Changes not listed: unknown event 'grew'" in bad
    nowhere = " ".join(texts(render_page(data.snapshot(), "/changes", drift, "?article=Atlantis")))
    assert "No change of article 'Atlantis'." in nowhere and "0 changes" in nowhere
    unloaded = " ".join(texts(render_page(data.snapshot(), "/changes", None, "")))
    assert "No revision history is loaded" in unloaded


def test_a_claims_page_gives_its_quote_citation_and_its_figures_history(loaded):
    data, drift = loaded
    killed = claim_of(data, RED, "killed")
    page = render_page(data.snapshot(), f"/claim/{killed['claim_id']}", drift)
    words = " ".join(texts(page))
    assert killed["quote"] in texts(page)
    assert "How this figure changed" in words and "cited article" in words
    graph = next(g for g in find(page, dcc.Graph) if g.id == "claim-history")
    assert len(graph.figure.data) == 1, "only the claim's own figure, not its neighbour's"
    assert list(graph.figure.data[0].y) == [10.0, 12.0, 12.0, 9.0]
    hrefs = [a.href for a in find(page, html.A)]
    for revision in ("500", "501", "502", "505"):
        assert f"https://en.wikipedia.org/w/index.php?oldid={revision}" in hrefs
    assert "https://www.apnews.com/x" in hrefs
    assert f"/group/{killed['group_id']}" in [link.href for link in find(page, dcc.Link)]
    plain = render_page(data.snapshot(), f"/claim/{killed['claim_id']}")
    assert "How this figure changed" not in " ".join(texts(plain))
    missing = render_page(data.snapshot(), "/claim/nothere", drift)
    assert "no claim 'nothere' in the store" in " ".join(texts(missing))


def test_a_groups_page_links_each_claim_to_its_page(loaded):
    data, drift = loaded
    killed = claim_of(data, RED, "killed")
    page = render_page(data.snapshot(), f"/group/{killed['group_id']}", drift)
    assert f"/claim/{killed['claim_id']}" in [link.href for link in find(page, dcc.Link)]


def test_the_landing_page_links_the_changes_only_with_a_history(loaded):
    data, drift = loaded

    def landing_links(history: pd.DataFrame | None) -> list[str]:
        data.history = history
        try:
            return [link.href for link in find(build_layout({}, initial_view(data)), dcc.Link)]
        finally:
            data.history = None

    assert "/changes" in landing_links(drift)
    assert "/changes" not in landing_links(None)


@pytest.fixture(scope="module")
def client(loaded, tmp_path_factory: pytest.TempPathFactory):
    data, drift = loaded
    path = tmp_path_factory.mktemp("drift") / "drift.parquet"
    write_table(drift, path)
    rows = data.store.rows  # type: ignore[attr-defined]
    app = create_app(FrameStore(list(rows)), seeds=False, history=path)  # type: ignore[arg-type]
    return app.server.test_client()


def test_the_changes_data_addresses_hold_the_list(client):
    body = json.loads(client.get("/changes.json?event=raised,lowered").data)
    assert body["query"] == "event=raised&event=lowered" and body["count"] == 3
    assert [c["revision"] for c in body["changes"]] == ["505", "501", "901"]
    assert body["changes"][0]["url"] == "https://en.wikipedia.org/w/index.php?oldid=505"
    answer = client.get(f"/changes.csv?article={BLUE}&bom=1")
    assert answer.status_code == 200 and answer.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(answer.data.decode("utf-8-sig"))))
    assert list(rows[0]) == list(CHANGE_COLUMNS) and [r["new"] for r in rows] == ["45"]
    bad = client.get("/changes.json?event=grew")
    assert bad.status_code == 400 and bad.text.startswith("bad query: unknown event 'grew'")


def test_the_claim_data_addresses_hold_the_claim_and_its_history(client, loaded):
    data, _ = loaded
    killed = claim_of(data, RED, "killed")
    body = json.loads(client.get(f"/claim/{killed['claim_id']}.json").data)
    assert body["claim"]["figure"] == "9" and body["claim"]["group_id"] == killed["group_id"]
    assert [s["value_text"] for s in body["history"]] == ["10", "12", "12", "9"]
    assert [c["claim_id"] for c in body["claims"]] == [killed["claim_id"]]
    table = list(csv.DictReader(io.StringIO(client.get(f"/claim/{killed['claim_id']}.csv").text)))
    assert [r["quote"] for r in table] == [killed["quote"]]
    assert client.get("/claim/nothere.json").status_code == 404


def test_without_a_history_the_changes_data_is_not_there(tmp_path: Path):
    app = create_app(FrameStore([]), seeds=False)  # type: ignore[arg-type]
    answer = app.server.test_client().get("/changes.json")
    assert answer.status_code == 404 and "no revision history is loaded" in answer.text


def test_a_claims_page_shows_hostile_text_as_text_and_links_only_http():
    from tests.test_dashboard_pages import conflict_rows

    data = DashboardData(FrameStore(conflict_rows()))
    page = render_page(data.snapshot(), "/claim/b1")
    assert '<script>alert("x")</script>' in texts(page)
    hrefs = [a.href for a in find(page, html.A)]
    assert hrefs and not any("javascript" in h for h in hrefs)
    assert "/source/%40evil" in [link.href for link in find(page, dcc.Link)]


def revision_folder(root: Path, title: str, revisions: list) -> Path:
    folder = root / title
    folder.mkdir(parents=True)
    town = title.split()[-1]
    for k, values in enumerate(revisions):
        (folder / f"{700 + k}.wiki").write_text(text(town, *values), encoding="utf-8")
    return folder


def test_history_keeps_its_drift_table_in_the_store_where_serve_finds_it(tmp_path: Path, capsys):
    from claims.cli import main
    from claims.history import EVENT_COLUMNS, read_drift
    from claims.store import Store

    red = revision_folder(tmp_path, RED, RED_REVISIONS)
    blue = revision_folder(tmp_path, BLUE, BLUE_REVISIONS)
    store_path = tmp_path / "claims.duckdb"
    store = Store(store_path)
    store.add_article(RED, text("Redtown", *RED_REVISIONS[-1]))
    version = store.version()
    out = tmp_path / "drift.csv"
    assert main(["history", str(red), "--store", str(store_path), "-o", str(out)]) == 0
    said = capsys.readouterr().err
    assert f"changes written to {out} and kept in the store {store_path}" in said
    kept = store.drift_table()
    assert kept is not None and list(kept.columns) == list(EVENT_COLUMNS)
    assert kept["revision"].tolist() == read_drift(out)["revision"].tolist()
    assert store.version() == version, "the claims and their comparison are unchanged"
    # again, and another article: the article's rows are replaced, the other's added
    assert main(["history", str(red), "--store", str(store_path)]) == 0
    assert main(["history", str(blue), "--store", str(store_path)]) == 0
    kept = store.drift_table()
    assert kept is not None and len(kept) == len(read_drift(out)) + 3
    assert kept["article"].value_counts().to_dict() == {RED: len(read_drift(out)), BLUE: 3}
    app = create_app(Store(store_path, read_only=True), seeds=False)
    served = app.server.test_client()
    body = json.loads(served.get("/changes.json").data)
    assert [c["revision"] for c in body["changes"]][:2] == ["705", "704"]
    assert body["count"] == 6
    assert json.loads(served.get("/changes.json?article=" + BLUE).data)["count"] == 1


def test_history_needs_a_file_or_a_store_and_plain_stores_have_no_drift(tmp_path: Path, capsys):
    from claims.cli import main
    from claims.store import Store

    red = revision_folder(tmp_path, RED, RED_REVISIONS[:2])
    assert main(["history", str(red)]) == 2
    assert capsys.readouterr().err == "claims history: give -o OUT, --store FILE, or both\n"
    assert main(["history", str(red), "--store", str(tmp_path / "s.duckdb"), "--bom"]) == 2
    assert "--bom: only for CSV output" in capsys.readouterr().err
    store = Store(tmp_path / "plain.duckdb")
    assert store.drift_table() is None
    app = create_app(store, seeds=False)
    assert app.counterclaim_data.history is None


def test_a_change_names_the_claim_with_its_value_among_those_at_its_place():
    from claims.history import EVENT_COLUMNS

    def event(revision: str, name: str, old: str, new: str) -> dict:
        row = dict.fromkeys(EVENT_COLUMNS, "")
        place = {"article": RED, "origin": "infobox", "field": "casualties3", "topic": "killed"}
        stamp = f"2020-01-0{revision}T00:00:00Z"
        more = {"party": "civilians", "revision": revision, "timestamp": stamp, "event": name}
        return row | place | more | {"old": old, "new": new, "figure_id": f"f{revision}"}

    drift = pd.DataFrame(
        [event("1", "raised", "5", "7"), event("2", "disputed_removed", "30", "")]
    ).reindex(columns=list(EVENT_COLUMNS))
    claims = pd.DataFrame(
        [
            {"article": RED, "origin": "infobox", "field": "casualties3", "topic": "killed",
             "party": "civilians", "value_text": v, "claim_id": f"c{v}", "group_id": f"g{v}"}
            for v in ("7", "30")  # the removed one is not the first of its place
        ]
    )  # fmt: skip
    changes = recent_changes(drift, claims)
    assert changes[["event", "claim_id", "group_id"]].values.tolist() == [
        ["disputed_removed", "c30", "g30"],
        ["raised", "c7", "g7"],
    ]
    elsewhere = recent_changes(drift, claims.assign(field="casualties1"))
    assert set(elsewhere["claim_id"]) == {""}
