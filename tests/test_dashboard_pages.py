"""The landing list of disputes, the group and source pages, and their data addresses."""

from __future__ import annotations

import csv
import io
import json

import pytest
from dash import dcc, html

from claims.model import CLAIM_CSV_COLUMNS
from dashboard import create_app
from dashboard.callbacks.pages import render_disputes
from dashboard.data import DashboardData
from dashboard.disputes import format_number, nice_top, scale_of, strip
from dashboard.pages import render_page, route
from tests.test_dashboard_callbacks import HOSTILE, FrameStore, claim


def conflict_rows() -> list[dict[str, object]]:
    """SOHR 10 and AP 40 on one count (a conflict), SANA alone on another, a hostile claim."""
    return [
        claim("a1", quote="SOHR counted 10 rebels killed."),
        claim("a2", source="AP", source_name="Associated Press", source_kind="wire",
              value_low=40.0, value_high=40.0, value_text="40", quote="40 rebels were killed."),
        claim("a3", party="Army", topic="strength", value_low=5000.0, value_high=5000.0,
              value_text="5,000", source="SANA", source_name="SANA", source_kind="state"),
        claim("b1", party="Militia", date="2024-12-05", quote=HOSTILE,
              value_text='=HYPERLINK("http://x")', citation_url="javascript:alert(1)",
              source="@evil", source_name=HOSTILE),
    ]  # fmt: skip


@pytest.fixture
def data() -> DashboardData:
    return DashboardData(FrameStore(conflict_rows()))


@pytest.fixture
def client():
    app = create_app(FrameStore(conflict_rows()), seeds=False)  # type: ignore[arg-type]
    return app.server.test_client()


def texts(component: object) -> list[str]:
    """Every string inside a Dash component tree, in order."""
    if isinstance(component, str):
        return [component]
    if isinstance(component, list | tuple):
        return [t for c in component for t in texts(c)]
    children = getattr(component, "children", None)
    return texts(children) if children is not None else []


def find(component: object, kind: type) -> list:
    found = [component] if isinstance(component, kind) else []
    children = getattr(component, "children", None)
    if isinstance(children, list | tuple):
        for child in children:
            found += find(child, kind)
    elif children is not None and not isinstance(children, str):
        found += find(children, kind)
    return found


def conflict_group(data: DashboardData) -> str:
    groups = data.snapshot().comparison.groups
    return str(groups[groups["verdict"] == "conflict"]["group_id"].iloc[0])


def test_landing_lists_the_conflict_with_each_figure_labelled(data):
    children = render_disputes(data, "", show_all=False)
    words = " ".join(texts(children))
    assert "SOHR 40" not in words
    assert "AP 40, SOHR 10: conflict" in words
    assert "1 group with figures from two or more independent sources (1 conflict)" in words
    rows = [c for c in children if isinstance(c, html.Article)]
    assert len(rows) == 1, "SANA's lone figure is not a dispute"
    link = find(rows[0], dcc.Link)[0]
    assert link.href == f"/group/{conflict_group(data)}"


def test_landing_follows_the_filters_and_refuses_a_forged_address(data):
    assert not [
        c for c in render_disputes(data, "?source=SANA", False) if isinstance(c, html.Article)
    ]
    refused = " ".join(texts(render_disputes(data, "?date_from=31-12-2024", False)))
    assert refused.startswith("Disputes not listed:")


def test_routes_of_pages():
    assert route("/") is None and route("") is None and route(None) is None
    assert route("/group/gabc123") == ("group", "gabc123")
    assert route("/source/Al%20Jazeera") == ("source", "Al Jazeera")
    assert route("/elsewhere")[0] == "unknown"


def test_group_page_puts_the_claims_side_by_side_with_rules(data):
    group_id = conflict_group(data)
    page = render_page(data.snapshot(), f"/group/{group_id}")
    words = " ".join(texts(page))
    assert "AP 40, SOHR 10: conflict" in words
    assert "SOHR counted 10 rebels killed." in words and "40 rebels were killed." in words
    assert "ranges_apart" in words
    rows = find(page, html.Tr)
    assert {getattr(r, "id", None) for r in rows} - {None} == {"claim-a1", "claim-a2"}
    hrefs = {a.href for a in find(page, html.A)}
    assert f"/group/{group_id}.csv" in hrefs and f"/group/{group_id}.json" in hrefs
    assert "https://example.org/a" in hrefs
    assert any(h.startswith("https://en.wikipedia.org/wiki/Battle_of_Somewhere#Casualties")
               for h in hrefs)  # fmt: skip
    assert "/source/AP" in {link.href for link in find(page, dcc.Link)}


def test_source_page_matches_names_in_any_case_and_counts_its_stance(data):
    page = render_page(data.snapshot(), "/source/ap")
    words = " ".join(texts(page))
    assert "AP" in words and "1 conflict" in words
    assert {getattr(r, "id", None) for r in find(page, html.Tr)} - {None} == {"claim-a2"}


def test_unknown_pages_say_so_in_one_line(data):
    for path in ("/group/gnothere", "/source/Nobody", "/elsewhere"):
        words = " ".join(texts(render_page(data.snapshot(), path)))
        assert "Not found" in words and "no " in words


def test_hostile_text_is_shown_as_text_and_links_only_http(data):
    page = render_page(data.snapshot(), "/source/@evil")
    assert HOSTILE in texts(page)
    assert all(not a.href.startswith("javascript") for a in find(page, html.A))


def test_group_data_addresses(client, data):
    group_id = conflict_group(data)
    answer = client.get(f"/group/{group_id}.json")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    body = json.loads(answer.data)
    assert body["group"]["sentence"] == "AP 40, SOHR 10: conflict"
    assert sorted(c["claim_id"] for c in body["claims"]) == ["a1", "a2"]
    assert body["pairs"][0]["verdict"] == "conflict"
    table = list(csv.DictReader(io.StringIO(client.get(f"/group/{group_id}.csv").text)))
    assert sorted(r["claim_id"] for r in table) == ["a1", "a2"]
    assert list(table[0]) == list(CLAIM_CSV_COLUMNS)


def test_source_and_disputes_data_addresses(client):
    body = json.loads(client.get("/source/sohr.json").data)
    assert body["source"]["source"] == "SOHR" and body["source"]["pairs"] == {"conflict": 1}
    evil = client.get("/source/@evil.csv").text
    assert "'=HYPERLINK" in evil, "formulas are neutralised"
    listed = json.loads(client.get("/disputes.json").data)
    assert listed["groups"] == 1 and listed["disputes"][0]["finding"] == "AP 40, SOHR 10: conflict"
    filtered = json.loads(client.get("/disputes.json?source=SANA").data)
    assert filtered["disputes"] == []
    rows = list(csv.DictReader(io.StringIO(client.get("/disputes.csv").text)))
    assert rows[0]["figures"] == "SOHR 10; AP 40"


def test_data_addresses_refuse_unknown_and_bad_requests(client):
    assert client.get("/group/gnothere.json").status_code == 404
    missing = client.get("/source/Nobody.csv")
    assert missing.status_code == 404 and "no source named 'Nobody'" in missing.text
    bad = client.get("/disputes.csv?date_from=31-12-2024")
    assert bad.status_code == 400 and bad.text.startswith("bad filter:")


def test_scales_end_at_round_numbers_written_in_full():
    assert [nice_top(v) for v in (7, 12, 22, 174, 2_052_299)] == [10, 20, 25, 200, 2_500_000]
    assert format_number(2_500_000) == "2,500,000" and format_number(0.5) == "0.5"
    assert nice_top(0) == 1.0


def test_an_open_figure_runs_off_the_scale_with_an_arrow():
    from claims.findings import Mark

    marks = [Mark("a", "SOHR", "more than 30", 30.0, None), Mark("b", "AP", "20", 20.0, 20.0)]
    assert scale_of(marks) == 50
    drawn = strip(marks)
    bars = [s for s in find(drawn, html.Span) if "strip-bar" in (s.className or "")]
    assert len(bars) == 1 and "open-high" in bars[0].className
    assert bars[0].style == {"left": "60.00%", "width": "40.00%"}
    dots = [s for s in find(drawn, html.Span) if s.className == "strip-dot"]
    assert dots[0].style == {"left": "40.00%"}


@pytest.mark.parametrize(
    "written", ["31-12-2024", "2024/11/30", "12/01/2024", "2024-13", "2024-02-30", "24-11"]
)
def test_a_date_not_written_iso_is_refused_with_its_reason(written):
    from claims.filters import FilterError, Filters

    with pytest.raises(FilterError, match="is not a date written YYYY, YYYY-MM or YYYY-MM-DD"):
        Filters.from_mapping({"date_from": written})


def test_names_resolve_in_any_case_and_unknown_values_are_named():
    from claims.filters import Filters

    resolved, unknown = Filters(source=("sohr", "Nobody"), topic=("killed",)).resolve(
        {"source": ["SOHR", "AP"], "topic": ["killed"]}
    )
    assert resolved.source == ("SOHR", "Nobody") and unknown == ["source 'Nobody'"]
    assert Filters(source=("AP",)).resolve({"source": ["AP"]}) == (Filters(source=("AP",)), [])


def test_a_url_in_another_case_shows_the_view_and_an_unknown_value_a_notice(data):
    from dashboard.callbacks.filters import CONTROL_FIELDS, sync_filters

    blank = [None] * len(CONTROL_FIELDS)
    _, controls, _, notice, hidden = sync_filters("url", "?source=sohr", blank, "killed", data)
    assert controls[CONTROL_FIELDS.index("source")] == ["SOHR"] and hidden and not notice
    _, _, _, notice, hidden = sync_filters("url", "?source=nobody", blank, "killed", data)
    assert not hidden and "No loaded claim has source 'nobody'" in notice
    from claims.filters import Filters

    assert len(data.view(Filters(source=("sohr",))).claims) == 1


def test_menus_count_claims_per_value_and_offer_only_topics_with_data(data):
    from dashboard.callbacks.filters import filter_options

    options = filter_options(data)
    sources = {o["value"]: o["label"] for o in options["source"]}
    assert sources["SOHR"] == "SOHR (1)" and sources["AP"] == "AP (1)"
    topics = [o["value"] for o in options["topic"]]
    assert topics == ["killed", "strength"]
    assert [o["search"] for o in options["topic"]] == ["Killed", "Strength"]
    assert {o["value"] for o in options["chart-topic"]} == {"killed", "strength"}


def test_the_same_text_is_not_added_twice_and_a_new_version_replaces(tmp_path):
    import base64

    from uploads import upload_and_wait

    from claims.service import ComparedStore
    from claims.store import Store
    from dashboard.callbacks import upload

    def sent(text: str) -> str:
        return "data:text/plain;base64," + base64.b64encode(text.encode()).decode()

    data = DashboardData(ComparedStore(Store(tmp_path / "claims.duckdb")))
    first = "In the raid 12 people were killed, SOHR said.<ref>SOHR report</ref>"
    message, _, version = upload_and_wait(data, sent(first), "Raid_on_X.wiki", 0)
    assert message.startswith("Added “Raid on X”") and version == 1
    claims = len(data.snapshot().claims)
    # the same text under another name: already there, nothing counted twice
    message, _, version = upload_and_wait(data, sent(first), "copy.txt", 1)
    assert message.startswith("Already in the store as “Raid on X”") and version is upload.no_update
    assert len(data.snapshot().claims) == claims
    assert list(data.snapshot().articles["title"]) == ["Raid on X"]
    second = first.replace("12", "14")
    message, _, version = upload_and_wait(data, sent(second), "Raid_on_X.wiki", 1)
    assert message.startswith("Replaced “Raid on X”") and "earlier version" in message
    assert version == 2 and len(data.snapshot().claims) == claims


def components(node, kind: str):
    """Every component of type `kind` in a layout as Dash sends it (JSON), as its props."""
    if isinstance(node, dict):
        props = node.get("props", {})
        if node.get("type") == kind:
            yield props
        for value in props.values():
            yield from components(value, kind)
    elif isinstance(node, list):
        for item in node:
            yield from components(item, kind)


def test_the_page_comes_with_the_default_view_drawn(client):
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "AP 40, SOHR 10: conflict" in layout  # the disputes, before any callback
    body = json.loads(layout)
    stores = {props["id"]: props.get("data") for props in components(body, "Store")}
    assert stores["prerendered"] is True
    drawn = {props["id"]: props.get("figure") for props in components(body, "Graph")}
    assert drawn["chart-by-source"] and drawn["chart-by-source"]["data"]
    assert "claims in view" in layout


def test_the_data_dictionary_describes_every_column_served(client):
    package = json.loads(client.get("/datapackage.json").data)
    by_name = {r["name"]: r for r in package["resources"]}
    claims = [f["name"] for f in by_name["claims"]["schema"]["fields"]]
    assert claims == list(CLAIM_CSV_COLUMNS)
    assert all(f["description"] for r in package["resources"] for f in r["schema"]["fields"])
    types = {f["name"]: f["type"] for f in by_name["claims"]["schema"]["fields"]}
    assert types["value_low"] == "number" and types["start"] == "integer"
    disputes = list(csv.DictReader(io.StringIO(client.get("/disputes.csv").text)))
    assert list(disputes[0]) == [f["name"] for f in by_name["disputes"]["schema"]["fields"]]


def test_a_focus_is_read_from_the_address():
    from dashboard.callbacks.common import focus_from_query
    from dashboard.callbacks.grid import update_focus

    assert focus_from_query("?topic=killed&focus=claim:ab12") == {"claim": "ab12"}
    assert focus_from_query("?focus=sources:SOHR|AP") == {"sources": ["SOHR", "AP"]}
    for forged in ("?focus=claim:", "?focus=claim:<script>", "?focus=sources:a", "?focus=x:y", ""):
        assert focus_from_query(forged) is None
    assert update_focus("url", None, "?focus=claim:ab12") == {"claim": "ab12"}
    assert update_focus("clear-focus", None, "?focus=claim:ab12") is None


def test_active_filters_are_chips_that_remove_their_value():
    from dashboard.callbacks.filters import filter_chips, without_chip

    chips = filter_chips("?topic=killed&source=SOHR&source=AP&date_from=2024-11")
    assert [c.id for c in chips] == [
        {"type": "chip", "field": "topic", "value": "killed"},
        {"type": "chip", "field": "source", "value": "SOHR"},
        {"type": "chip", "field": "source", "value": "AP"},
        {"type": "chip", "field": "date_from", "value": "2024-11"},
    ]
    assert texts(chips[0])[0] == "topic: Killed"
    search = "?topic=killed&source=SOHR&source=AP&date_from=2024-11"
    assert without_chip(search, {"field": "source", "value": "SOHR"}) == (
        "?topic=killed&source=AP&date_from=2024-11"
    )
    assert without_chip(search, {"field": "date_from", "value": "2024-11"}) == (
        "?topic=killed&source=SOHR&source=AP"
    )
    from dash import no_update

    assert without_chip(search, {"field": "nonsense", "value": "x"}) is no_update
    assert filter_chips("?date_from=31-12-2024") == []


def test_claim_cards_follow_the_view_and_its_focus(data):
    from dashboard.callbacks.grid import claim_cards

    cards = claim_cards(data, "?source=AP", None)
    words = " ".join(texts(cards))
    assert "40" in words and "AP" in words and "conflict" in words and "SOHR" not in words
    assert claim_cards(data, "?date_from=31-12-2024", None) == []
    focused = claim_cards(data, "", {"claim": "a1"})
    assert len([c for c in focused if isinstance(c, html.Article)]) == 2  # SOHR's and AP's


def test_each_chart_downloads_what_it_draws(client):
    by_source = list(csv.DictReader(io.StringIO(client.get("/chart/chart-by-source.csv").text)))
    assert {r["topic"] for r in by_source} == {"killed"} and len(by_source) == 3
    assert list(by_source[0]) == list(CLAIM_CSV_COLUMNS)
    strength = client.get("/chart/chart-strength.csv?source=SANA").text
    assert [r["claim_id"] for r in csv.DictReader(io.StringIO(strength))] == ["a3"]
    matrix = list(csv.DictReader(io.StringIO(client.get("/chart/chart-matrix.csv").text)))
    assert matrix == [{"source_a": "AP", "source_b": "SOHR", "verdict": "conflict", "count": "1"}]
    assert client.get("/chart/nothing.csv").status_code == 400
    assert client.get("/chart/chart-timeline.csv?date_from=31-12-2024").status_code == 400


def test_figures_set_apart_are_stated_on_the_landing_list_page_and_data(tmp_path):
    rows = [
        claim("a1", origin="infobox"),
        claim("a2", origin="infobox", source="AP", source_name="AP", source_kind="news agency",
              value_low=40.0, value_high=40.0, value_text="40"),
        claim("c1", source="BBC", source_name="BBC", source_kind="broadcaster", value_low=3.0,
              value_high=3.0, value_text="three", place="the city hospital",
              quote="three rebels were killed at the city hospital."),
    ]  # fmt: skip
    data = DashboardData(FrameStore(rows))
    said = "SOHR 10, BBC three (2024-11-30, the city hospital): a total and one incident"
    landing = " ".join(texts(render_disputes(data, "", show_all=False)))
    assert said in landing
    page = " ".join(texts(render_page(data.snapshot(), f"/group/{conflict_group(data)}")))
    assert said in page
    client = create_app(FrameStore(rows), seeds=False).server.test_client()  # type: ignore[arg-type]
    listed = list(csv.DictReader(io.StringIO(client.get("/disputes.csv").text)))
    assert listed[0]["kept_apart"].startswith(said)
    assert listed[0]["finding"] == "AP 40, SOHR 10: conflict"
