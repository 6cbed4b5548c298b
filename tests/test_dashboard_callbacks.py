"""Dashboard callbacks called directly, with well-formed and forged inputs."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
from dataclasses import dataclass

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.errors import ArticleError
from claims.filters import Filters
from claims.match import Comparison, compare
from claims.model import ALL_CLAIM_COLUMNS, CLAIM_CSV_COLUMNS
from claims.tables import FORMULA_PREFIXES
from dashboard.callbacks import charts, downloads, filters, grid, upload
from dashboard.callbacks.common import BadRequest, page_query, page_state
from dashboard.data import GRID_COLUMNS, DashboardData


def claim(claim_id: str, **values: object) -> dict[str, object]:
    """One extracted claim as a row; fields not given take a plain default."""
    row: dict[str, object] = {
        "article": "Battle of Somewhere",
        "claim_id": claim_id,
        "origin": "prose",
        "section": "Casualties",
        "topic": "killed",
        "party": "Rebels",
        "side": "1",
        "value_low": 10.0,
        "value_high": 10.0,
        "value_text": "10",
        "qualifier": "exact",
        "date": "2024-11-30",
        "place": "",
        "source": "SOHR",
        "source_name": "Syrian Observatory for Human Rights",
        "source_kind": "monitor",
        "claimant": "",
        "citation_title": "",
        "citation_url": "https://example.org/a",
        "archive_url": "",
        "quote": "10 rebels were killed.",
        "start": 0,
        "end": 10,
        "unit": "",
    }
    row.update(values)
    return row


@dataclass
class FrameStore:
    """A store over hand-written claim rows, compared by the real `claims.match.compare`.

    `add_article` adds one claim per article, or raises ArticleError for an unbalanced
    template, as the real store does for text it cannot read.
    """

    rows: list[dict[str, object]]
    revision: int = 0

    def version(self) -> str:
        return str(self.revision)

    def comparison(self) -> Comparison:
        if not self.rows:
            return Comparison.empty()
        return compare(pd.DataFrame(self.rows).reindex(columns=list(ALL_CLAIM_COLUMNS)))

    def articles_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"title": sorted({r["article"] for r in self.rows})})

    def add_article(self, title: str, text: str, *, path: str = "") -> list:
        if "{{" in text and "}}" not in text:
            raise ArticleError(path, "unbalanced template")
        self.rows.append(claim(f"{self.revision + 100:x}", article=title, party="Villagers"))
        self.revision += 1
        return [object()]


HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def data() -> DashboardData:
    """SOHR and AP in conflict on one count (a1, a2); a strength claim; a hostile claim."""
    rows = [
        claim("a1"),
        claim(
            "a2",
            source="AP",
            source_name="AP",
            source_kind="news agency",
            value_low=40.0,
            value_high=40.0,
            value_text="40",
            quote="40 rebels were killed.",
        ),
        claim(
            "a3",
            party="Army",
            topic="strength",
            value_low=5000.0,
            value_high=5000.0,
            source="SANA",
            source_name="SANA",
            source_kind="state media",
            quote="5,000 troops were sent.",
        ),
        claim(
            "b1",
            party="Militia",
            date="2024-12-05",
            quote=HOSTILE,
            value_text='=HYPERLINK("http://x")',
            citation_url="javascript:alert(1)",
            source="@evil",
            source_name=HOSTILE,
        ),
    ]
    return DashboardData(FrameStore(rows))


def test_page_state_round_trips_through_the_url():
    state = page_state("?topic=killed&source=SOHR&date_from=2024-11&chart=strength")
    assert state.filters == Filters(topic=("killed",), source=("SOHR",), date_from="2024-11")
    assert state.chart_topic == "strength"
    assert page_state(page_query(state)) == state


@pytest.mark.parametrize(
    "search",
    [
        "?chart=nonsense",
        "?date_from=yesterday",
        "?" + "&".join(f"topic=t{i}" for i in range(500)),
        "?topic=" + "x" * 400,
        42,
        ["?topic=killed"],
    ],
)
def test_forged_urls_are_refused_with_a_reason(search):
    with pytest.raises(BadRequest):
        page_state(search)


def test_control_change_writes_the_url():
    values = [[], ["killed"], [], ["SOHR"], [], [], "2024-11", None]
    url, _, _, error, hidden = filters.sync_filters("control", "", values, "killed")
    assert url == "?topic=killed&source=SOHR&date_from=2024-11"
    assert hidden and not error


def test_opening_a_url_sets_the_controls():
    _, values, chart, _, hidden = filters.sync_filters(
        "url", "?party=Army&chart=strength", [], None
    )
    assert values[2] == ["Army"] and values[0] == [] and chart == "strength" and hidden


@pytest.mark.parametrize(
    "values",
    [
        [[], [{"$gt": 1}], [], [], [], [], None, None],  # wrong type inside a list
        [[], ["t"] * 1000, [], [], [], [], None, None],  # huge list
        [[], [], [], [], [], [], "not a date", None],
        "not a list",
    ],
)
def test_forged_control_values_give_an_error_state(values):
    url, _, _, error, hidden = filters.sync_filters("control", "", values, "killed")
    assert not hidden and error
    assert "Traceback" not in error
    assert url is filters.no_update


def test_unknown_chart_topic_from_a_control_is_refused():
    values = [[], [], [], [], [], [], None, None]
    *_, error, hidden = filters.sync_filters("control", "", values, "<script>")
    assert not hidden and "unknown topic" in error


def test_charts_follow_the_filters(data):
    all_claims = charts.render_charts(data, "")
    only_ap = charts.render_charts(data, "?source=AP")
    ids = lambda fig: sorted(c[0] for t in fig["data"] for c in t["customdata"])  # noqa: E731
    assert ids(all_claims[0]) == ["a1", "a2", "b1"]
    assert ids(only_ap[0]) == ["a2"]
    assert "1 of 4 claims" in only_ap[7]


def test_charts_of_a_view_are_drawn_once_per_data_version(data):
    first = charts.render_charts(data, "?topic=killed")
    assert charts.render_charts(data, "?topic=killed") is first
    upload.handle_upload(data, encoded(b"5 killed"), "More.wiki", 0)
    again = charts.render_charts(data, "?topic=killed")
    assert again is not first
    marks = lambda fig: sum(len(trace["customdata"]) for trace in fig["data"])  # noqa: E731
    # two articles now: the charts show the one with most claims, and say so
    assert marks(again[0]) == marks(first[0]) and "Battle of Somewhere" in again[8]
    both = charts.render_charts(data, "?topic=killed&article=Battle+of+Somewhere&article=More")
    assert marks(both[0]) == marks(first[0]) + 1 and both[8] == ""  # the uploaded claim too


def test_charts_with_a_forged_url_show_an_error_not_a_trace(data):
    result = charts.render_charts(data, "?chart=../../etc/passwd")
    message, hidden = result[5], result[6]
    assert not hidden and "unknown topic" in message


def test_grid_rows_follow_the_filters_and_keep_hostile_text_as_data(data):
    rows, notice, *_ = grid.render_grid(data, "?topic=killed", None)
    assert [r["claim_id"] for r in rows] == ["a1", "a2", "b1"]
    assert set(rows[0]) == set(GRID_COLUMNS)
    assert rows[0]["verdict"] == "conflict"
    hostile = next(r for r in rows if r["claim_id"] == "b1")
    assert hostile["quote"] == HOSTILE  # React renders it as text; nothing is interpreted
    assert notice == "3 claims."


def test_clicking_a_chart_mark_narrows_the_grid_to_its_group(data):
    focus = grid.update_focus("chart-by-source", {"points": [{"customdata": ["a1", "x"]}]})
    rows, _, note, note_hidden, _ = grid.render_grid(data, "", focus)
    assert sorted(r["claim_id"] for r in rows) == ["a1", "a2"]
    assert not note_hidden and "one group" in note


def test_clicking_a_matrix_cell_shows_claims_where_both_sources_speak(data):
    focus = grid.update_focus("chart-matrix", {"points": [{"x": "SOHR", "y": "AP"}]})
    rows, *_ = grid.render_grid(data, "", focus)
    assert sorted(r["claim_id"] for r in rows) == ["a1", "a2"]


@pytest.mark.parametrize(
    "click",
    [
        None,
        "x",
        {"points": "all"},
        {"points": [{"customdata": ["'; DROP TABLE"]}]},
        {"points": [{"x": 1, "y": 2}]},
    ],
)
def test_forged_clicks_leave_the_grid_whole(data, click):
    focus = grid.update_focus("chart-by-source", click)
    rows, *_ = grid.render_grid(data, "", focus)
    assert len(rows) == 4


def test_detail_shows_the_group_side_by_side_with_verdict(data):
    detail = grid.render_detail(data, "a1")
    text = str(detail)
    assert "conflict" in text and "Syrian Observatory" in text and "AP" in text
    assert "conflict among pairs" in text  # the group's why
    assert "ranges_apart: 10 vs 40" in text  # the pair's why


def test_detail_makes_links_only_for_http_urls(data):
    detail = str(grid.render_detail(data, "b1"))
    assert "href='javascript" not in detail and 'href="javascript' not in detail
    assert "javascript:alert(1)" in detail  # shown as text


@pytest.mark.parametrize("claim_id", [None, 5, "zz", "ffff", ["a1"]])
def test_detail_of_unknown_claim_says_so(data, claim_id):
    assert isinstance(grid.render_detail(data, claim_id), str)


def test_neutralise_cell_prefixes_formula_starts():
    cells = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "safe", 5, -3.0]
    assert [downloads.neutralise_cell(c) for c in cells] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "safe",
        5,
        -3.0,
    ]


def test_download_of_the_grid_has_exactly_its_rows_in_the_one_layout(data):
    rows, *_ = grid.render_grid(data, "?topic=killed", None)
    ids = [r["claim_id"] for r in rows][::-1]
    payload, message = downloads.build_download(data, "claims", "?topic=killed", ids)
    frame = pd.read_csv(io.StringIO(payload["content"]), keep_default_na=False)
    assert list(frame.columns) == list(CLAIM_CSV_COLUMNS)  # as extract and export write them
    assert list(frame["claim_id"]) == ids
    assert payload["filename"] == f"claims_topic-killed_{dt.date.today().isoformat()}.csv"
    hostile = frame[frame["claim_id"] == "b1"].iloc[0]
    assert hostile["value_text"].startswith("'=")
    assert hostile["source"] == "'@evil"
    assert "3 claims" in message


def test_download_ignores_ids_outside_the_view(data):
    payload, _ = downloads.build_download(data, "claims", "?source=AP", ["a1", "a2", "zzz"])
    frame = pd.read_csv(io.StringIO(payload["content"]))
    assert list(frame["claim_id"]) == ["a2"]


@pytest.mark.parametrize("ids", ["a1", ["a1"] * 6000, [1, 2], [{"x": 1}]])
def test_forged_download_requests_are_refused(data, ids):
    payload, message = downloads.build_download(data, "claims", "", ids)
    assert payload is None and message.startswith("Nothing downloaded")


def test_groups_and_pairs_downloads_follow_the_view(data):
    groups, _ = downloads.build_download(data, "groups", "?party=Army", [])
    pairs, _ = downloads.build_download(data, "pairs", "", [])
    assert groups["filename"].startswith("groups_party-Army_")
    assert len(pd.read_csv(io.StringIO(groups["content"]))) == 1
    assert len(pd.read_csv(io.StringIO(pairs["content"]))) == 1
    assert downloads.build_download(data, "../../secret", "", [])[0] is None


def test_all_claims_download_has_every_claim_of_the_filters(data):
    payload, _ = downloads.build_download(data, "all-claims", "?topic=killed", None)
    frame = pd.read_csv(io.StringIO(payload["content"]))
    assert sorted(frame["claim_id"]) == ["a1", "a2", "b1"]
    assert payload["filename"].startswith("all-claims_topic-killed_")


def test_file_name_says_what_it_holds():
    name = downloads.file_name(
        "claims", Filters(topic=("killed",), source=("SOHR", "AP")), dt.date(2026, 11, 25)
    )
    assert name == "claims_topic-killed_source-SOHR+AP_2026-11-25.csv"
    assert downloads.file_name("pairs", Filters(), dt.date(2026, 11, 25)) == (
        "pairs_all_2026-11-25.csv"
    )
    weird = downloads.file_name("claims", Filters(party=("../../x y",)), dt.date(2026, 1, 1))
    assert "/" not in weird and ".." not in weird


def encoded(raw: bytes) -> str:
    return "data:text/plain;base64," + base64.b64encode(raw).decode()


def test_upload_adds_the_article_and_bumps_the_data_version(data):
    message, cls, version, *_ = upload.handle_upload(
        data, encoded(b"'''X''' killed 5 people."), "My_article.wiki", 3
    )
    assert version == 4 and "ok" in cls and "My article" in message
    assert "My article" in data.snapshot().options["article"]


@pytest.mark.parametrize(
    ("raw", "name", "reason"),
    [
        (b"text", "article.exe", "only .wiki or .txt"),
        (b"", "empty.wiki", "empty"),
        (b"\x00\x01\x02binary", "bin.txt", "binary"),
        ("caf\u00e9".encode("latin-1"), "latin.txt", "not UTF-8"),
        (b"{{Infobox ...", "broken.wiki", "unbalanced template"),
    ],
)
def test_bad_upload_is_refused_with_a_reason_and_nothing_lost(data, raw, name, reason):
    before = len(data.snapshot().claims)
    message, cls, version, *_ = upload.handle_upload(data, encoded(raw), name, 1)
    assert reason in message and "bad" in cls
    assert version is upload.no_update
    assert len(data.snapshot().claims) == before


def test_oversized_upload_is_refused_before_decoding(data):
    huge = "data:text/plain;base64," + "A" * (upload.MAX_UPLOAD_BYTES * 2)
    message, *_ = upload.handle_upload(data, huge, "huge.wiki", 0)
    assert "larger than 5 MB" in message


@pytest.mark.parametrize("contents", [None, 5, "no comma", "data:x;base64,!!!!"])
def test_forged_upload_contents_are_refused(data, contents):
    message, cls, *_ = upload.handle_upload(data, contents, "a.wiki", 0)
    assert message.startswith("Not added") and "bad" in cls


@pytest.fixture
def client(data):
    from dashboard import create_app

    app = create_app(data.store, seeds=False)
    return app.server.test_client()


def dash_post(client, output: str, inputs: list[dict], changed: list[str], state=None):
    outputs = [
        {"id": part.strip(".").rsplit(".", 1)[0], "property": part.strip(".").rsplit(".", 1)[1]}
        for part in output.strip(".").split("...")
    ]
    body = {"output": output, "outputs": outputs, "inputs": inputs, "changedPropIds": changed}
    if state is not None:
        body["state"] = state
    return client.post("/_dash-update-component", json=body)


def charts_output(client) -> str:
    dependencies = client.get("/_dash-dependencies").get_json()
    return next(d["output"] for d in dependencies if "chart-by-source.figure" in d["output"])


def test_healthz_reports_the_store(client):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ok", "version": "0", "articles": 1, "claims": 4}
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/assets/../pyproject.toml",
        "/assets/%2e%2e/pyproject.toml",
        "/assets/..%2fpyproject.toml",
        "/_dash-component-suites/dash/../../../../etc/passwd",
        "/../../etc/passwd",
    ],
)
def test_no_route_reads_files_outside_the_app(client, path):
    answer = client.get(path)
    assert answer.status_code in (200, 404, 400)
    assert b"[project]" not in answer.data and b"root:" not in answer.data


def test_forged_callback_request_answers_without_a_trace(client):
    output = charts_output(client)
    answer = dash_post(
        client,
        output,
        [
            {"id": "url", "property": "search", "value": {"$ne": 1}},
            {"id": "data-version", "property": "data", "value": "x" * 1000},
        ],
        ["url.search"],
        [{"id": "prerendered", "property": "data", "value": {"$ne": 1}}],
    )
    assert answer.status_code == 200
    text = answer.get_data(as_text=True)
    assert "Traceback" not in text and "not text" in text


def test_request_over_the_size_limit_is_refused(client):
    from dashboard import MAX_REQUEST_BYTES

    answer = client.post(
        "/_dash-update-component",
        data=b"{" + b" " * (MAX_REQUEST_BYTES + 10) + b"}",
        content_type="application/json",
    )
    assert answer.status_code == 413


def test_debug_is_off_and_errors_stay_on_the_server(client):
    answer = client.post("/_dash-update-component", json={"output": "nope.children"})
    assert answer.status_code >= 400
    assert b"Traceback" not in answer.data


def test_serve_command_offers_host_port_and_store():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "claims.cli", "serve", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert "--store" in result.stdout and "--port" in result.stdout and "--host" in result.stdout


def test_empty_store_says_what_to_do():
    store = FrameStore([])
    data = DashboardData(store)
    result = charts.render_charts(data, "")
    assert "upload" in result[7]
    assert "upload an article" in result[0]["layout"]["annotations"][0]["text"]
    rows, notice, *_ = grid.render_grid(data, "", None)
    assert rows == [] and "upload" in notice
    assert "no longer loaded" in str(grid.render_detail(data, "abc"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=20), min_size=1, max_size=5))
def test_no_csv_cell_starts_as_a_formula(cells):
    frame = pd.DataFrame({"quote": cells, "value_low": range(len(cells))})
    rows = list(csv.DictReader(io.StringIO(downloads.safe_csv(frame), newline="")))
    assert len(rows) == len(cells)
    for row, cell in zip(rows, cells, strict=True):
        assert not row["quote"].startswith(FORMULA_PREFIXES)
        expected = "'" + cell if cell.startswith(FORMULA_PREFIXES) else cell
        assert row["quote"] == expected


def _table_cells(component) -> tuple[list[str], list[list[str]], str]:
    """(headers, body rows, caption text) of a chart table component."""
    table = component.children
    caption, head, body = table.children
    headers = [th.children for th in head.children.children]
    rows = [[td.children for td in tr.children] for tr in body.children]
    text = "".join(c if isinstance(c, str) else c.children for c in caption.children)
    return headers, rows, text


@pytest.mark.parametrize("chart_id", charts.CHART_IDS)
@pytest.mark.parametrize("search", ["", "?source=SOHR&source=AP", "?chart=strength"])
def test_each_chart_table_holds_the_rows_of_its_data_link(data, chart_id, search):
    from dashboard.charttables import chart_table, table_columns

    headers, rows, caption = _table_cells(chart_table(data, search, chart_id))
    frame = charts.chart_data(data, search, chart_id)
    names = [name for name, _label in table_columns(chart_id)]
    assert headers == [label for _name, label in table_columns(chart_id)]
    assert len(rows) == len(frame)
    text_columns = [n for n in names if n not in ("value_low", "value_high", "count")]
    expected = frame.reindex(columns=text_columns).astype(object).fillna("").astype(str)
    shown = [[row[names.index(n)] for n in text_columns] for row in rows]
    assert shown == expected.values.tolist()
    assert caption.startswith(charts.chart_name(chart_id, page_state(search).chart_topic))
    assert "Sources:" in caption and "Filters:" in caption


def test_a_chart_table_caption_names_the_sources_and_filters(data):
    from dashboard.charttables import chart_table

    _headers, rows, caption = _table_cells(
        chart_table(data, "?source=SOHR&source=AP", "chart-by-source")
    )
    assert len(rows) == 2
    assert "Sources: AP, SOHR." in caption
    assert "Filters: source: SOHR, AP." in caption


def test_tables_open_only_on_request_and_forged_requests_open_none(data):
    closed = charts.render_tables(data, {"open": [], "search": ""})
    assert closed == (None,) * 5 + (True,) * 5
    opened = charts.render_tables(data, {"open": ["chart-matrix"], "search": "?source=AP"})
    assert opened[2] is not None and opened[7] is False and opened[5:7] == (True, True)
    for forged in (None, "x", {"open": "chart-matrix"}, {"open": [3, "../x"], "search": 5}):
        assert charts.render_tables(data, forged) == closed
    bad = charts.render_tables(data, {"open": ["chart-matrix"], "search": "?date_from=nonsense"})
    assert "No table" in bad[2].children


def test_a_chart_image_export_carries_its_caption(data):
    from dashboard import figures

    specs = charts.build_figures(data.view(Filters(source=("SOHR", "AP"))), "killed")
    for chart_id, spec in zip(charts.CHART_IDS, specs, strict=True):
        exported = figures.exported_layout(spec)
        caption = spec["layout"]["meta"]["export"]["caption"]
        subtitle = exported["title"]["subtitle"]["text"]
        assert "Filters: source: SOHR, AP." in caption
        assert "Filters: source: SOHR, AP." in subtitle.replace("<br>", " ")
        # the screen's chart is unchanged; the exported one makes room for the caption
        assert "Filters" not in spec["layout"]["title"].get("subtitle", {}).get("text", "")
        assert exported["margin"]["t"] > spec["layout"]["margin"]["t"]
        rows = charts.chart_rows(data.view(Filters(source=("SOHR", "AP"))), "killed", chart_id)
        assert caption.startswith(f"Sources: {charts.sources_words(rows, chart_id)}.")
    by_source = specs[0]["layout"]["meta"]["export"]["caption"]
    assert by_source.startswith("Sources: AP, SOHR.")


def test_a_caption_counts_what_it_does_not_name():
    many = pd.DataFrame({"source": [f"S{i:02d}" for i in range(12)] + ["S00", ""]})
    words = charts.sources_words(many, "chart-by-source")
    assert words.startswith("S00, (no citation), S01") and words.endswith("and 5 more")
    assert charts.filters_words(Filters()) == "none (all claims)"
    assert charts.filters_words(Filters(topic=("killed",), date_from="2024-11")) == (
        "topic: Killed; from 2024-11"
    )


def test_the_picker_shows_a_typed_year_or_month_as_the_days_it_selects():
    assert filters.picker_dates("2024", "2024") == ("2024-01-01", "2024-12-31")
    assert filters.picker_dates("2024-02", "2024-02") == ("2024-02-01", "2024-02-29")
    assert filters.picker_dates("2023-02", "2023-11") == ("2023-02-01", "2023-11-30")
    assert filters.picker_dates("2024-11-30", None) == ("2024-11-30", None)
    assert filters.picker_dates("", "31-12-2024") == (None, None)
    assert filters.picker_dates("2024-13", "2024-00") == (None, None)
    # the days shown select the same claims as the typed month
    dated = pd.DataFrame(
        {"date": ["2024-01-31", "2024-02-01", "2024-02-29", "2024-03-01", "2024-02"]}
    )
    month = Filters(date_from="2024-02", date_to="2024-02").apply(dated)
    days = Filters(*[()] * 7, *filters.picker_dates("2024-02", "2024-02")).apply(dated)
    assert list(month["date"]) == ["2024-02-01", "2024-02-29", "2024-02"]
    assert list(days["date"]) == ["2024-02-01", "2024-02-29"]


def test_a_picked_day_is_the_same_filter_value_as_a_typed_one():
    values = [[] for _ in filters.FILTER_FIELDS] + ["2024-11", None]
    picked = filters.picked_values(values, {"end_date": "2024-12-03", "other": "x"})
    assert picked[-2:] == ["2024-11", "2024-12-03"]
    url, *_ = filters.sync_filters("control", "", picked, "killed")
    typed = [[] for _ in filters.FILTER_FIELDS] + ["2024-11", "2024-12-03"]
    assert url == filters.sync_filters("control", "", typed, "killed")[0]
    assert url == "?date_from=2024-11&date_to=2024-12-03"
    # a picked value is validated as a typed one is
    bad = filters.picked_values(values, {"start_date": "2024-13-01"})
    assert "not a date" in filters.sync_filters("control", "", bad, "killed")[3]


def test_the_date_span_is_that_of_the_claims_dates(data):
    assert filters.date_span(data) == ("2024-11-30", "2024-12-05")
    undated = DashboardData(FrameStore([claim("u1", date="")]))
    assert filters.date_span(undated) is None
    months = DashboardData(FrameStore([claim("m1", date="2023"), claim("m2", date="2024-02")]))
    assert filters.date_span(months) == ("2023-01-01", "2024-02-29")
    ends = DashboardData(FrameStore([claim("e1", date="2024-12-05"), claim("e2", date="2024-12")]))
    assert filters.date_span(ends) == ("2024-12-01", "2024-12-31")
