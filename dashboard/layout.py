"""The page: filters (mirrored in the URL), charts, the claims grid with its detail panel,
downloads and the upload box. Components only; behaviour lives in `dashboard.callbacks`."""

from __future__ import annotations

import dash_ag_grid as dag
from dash import dcc, html

from dashboard.data import GRID_COLUMNS

FILTER_LABELS = {
    "article": "Article",
    "topic": "Topic",
    "party": "Party",
    "source": "Source",
    "source_kind": "Source kind",
    "verdict": "Verdict",
}
DEFAULT_CHART_TOPIC = "killed"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
UPLOAD_SUFFIXES = (".wiki", ".txt")

SHOW_TABLE, HIDE_TABLE = "Show as table", "Hide the table"
GRAPH_CONFIG = {"displaylogo": False, "responsive": True, "toImageButtonOptions": {"scale": 2}}

_HEADERS = {
    "verdict": "Verdict",
    "topic": "Topic",
    "party": "Party",
    "value_text": "Figure as written",
    "value_low": "Low",
    "value_high": "High",
    "unit": "Unit",
    "source": "Source",
    "source_name": "Outlet",
    "source_kind": "Source kind",
    "claimant": "Claimant",
    "date": "Date",
    "place": "Place",
    "quote": "Quote",
    "citation_title": "Cited headline",
    "citation_url": "Cited article",
    "archive_url": "Archive",
    "article": "Article",
    "section": "Section",
    "origin": "Found in",
    "confirmed": "Confirmed",
    "group_id": "Group",
    "claim_id": "Claim id",
}


def column_defs() -> list[dict[str, object]]:
    """Grid columns: links through a renderer that only makes http(s) links, verdict badges."""
    defs: list[dict[str, object]] = []
    for name in GRID_COLUMNS:
        col: dict[str, object] = {"field": name, "headerName": _HEADERS.get(name, name)}
        if name in ("value_low", "value_high"):
            col.update(filter="agNumberColumnFilter", type="numericColumn", width=110)
        elif name in ("citation_url", "archive_url"):
            col.update(cellRenderer="SafeLink", width=140, filter=False)
        elif name == "verdict":
            col.update(cellRenderer="VerdictBadge", width=130, pinned="left")
        elif name == "quote":
            col.update(width=420, tooltipField="quote")
        elif name in ("value_text", "source"):
            # the figure and who gives it stay in sight while the grid scrolls sideways
            col.update(pinned="left", width=150)
        elif name == "unit":
            col.update(width=90)
        elif name in ("group_id", "claim_id", "section", "origin", "confirmed"):
            col.update(width=130)
        defs.append(col)
    return defs


Options = dict[str, list[dict[str, str]]]


def _filter_dropdown(name: str, options: Options) -> html.Div:
    return html.Div(
        [
            html.Label(FILTER_LABELS[name], htmlFor=f"f-{name}"),
            dcc.Dropdown(
                id=f"f-{name}", multi=True, placeholder="All", options=options.get(name, [])
            ),
        ],
        className="filter",
    )


def _date_bounds(dates: tuple[str, str] | None) -> dict[str, str]:
    """The picker's first and last days: the span of the claims' dates."""
    if not dates:
        return {}
    first, last = dates
    return {"min_date_allowed": first, "max_date_allowed": last}


def filters_panel(
    options: Options, summary: str = "", dates: tuple[str, str] | None = None
) -> html.Section:
    return html.Section(
        [
            html.Div(
                [_filter_dropdown(name, options) for name in FILTER_LABELS]
                + [
                    html.Div(
                        [
                            html.Label("From date", htmlFor="f-date_from"),
                            dcc.Input(
                                id="f-date_from",
                                type="text",
                                placeholder="YYYY-MM-DD",
                                debounce=True,
                                maxLength=10,
                            ),
                        ],
                        className="filter filter-date",
                    ),
                    html.Div(
                        [
                            html.Label("To date", htmlFor="f-date_to"),
                            dcc.Input(
                                id="f-date_to",
                                type="text",
                                placeholder="YYYY-MM-DD",
                                debounce=True,
                                maxLength=10,
                            ),
                        ],
                        className="filter filter-date",
                    ),
                    html.Div(
                        [
                            html.Label("Pick dates", htmlFor="f-dates-from"),
                            dcc.DatePickerRange(
                                id="f-dates",
                                start_date_id="f-dates-from",
                                end_date_id="f-dates-to",
                                start_date_placeholder_text="From",
                                end_date_placeholder_text="To",
                                display_format="YYYY-MM-DD",
                                first_day_of_week=1,
                                number_of_months_shown=1,
                                clearable=True,
                                updatemode="singledate",
                                **_date_bounds(dates),
                            ),
                        ],
                        className="filter filter-picker",
                    ),
                ],
                className="filters-grid",
            ),
            html.Div(
                [
                    html.Button("Clear filters", id="clear-filters", className="button"),
                    html.Span(summary, id="view-summary", className="summary", role="status"),
                    html.Div(
                        id="filter-chips", className="chips", **{"aria-label": "Active filters"}
                    ),
                ],
                className="filters-actions",
            ),
            html.Div(id="filter-error", className="error", role="alert", hidden=True),
        ],
        className="panel filters",
        **{"aria-label": "Filters"},
    )


def _graph(graph_id: str, drawn: dict[str, dict]) -> html.Div:
    extra = {"figure": drawn[graph_id]} if graph_id in drawn else {}
    return html.Div(
        [
            dcc.Loading(
                dcc.Graph(id=graph_id, config=GRAPH_CONFIG, className="chart", **extra),
                type="circle",
                delay_show=300,
            ),
            html.Div(
                [
                    html.A(
                        "This chart's data (CSV)",
                        id=f"{graph_id}-data",
                        href=f"/chart/{graph_id}.csv",
                        className="chart-data",
                    ),
                    # the table alternative: the same rows as the data link, drawn on request
                    html.Button(
                        SHOW_TABLE,
                        id=f"{graph_id}-table-toggle",
                        className="table-toggle",
                        type="button",
                        **{"aria-expanded": "false", "aria-controls": f"{graph_id}-table"},
                    ),
                ],
                className="chart-links",
            ),
            html.Div(id=f"{graph_id}-table", className="chart-table", hidden=True),
        ],
        className="chart-box",
    )


def charts_panel(
    options: Options, figures: dict[str, dict] | None = None, note: str = ""
) -> html.Section:
    drawn = figures or {}
    return html.Section(
        [
            html.Div(
                [
                    html.Label("Topic of the first chart", htmlFor="chart-topic"),
                    dcc.Dropdown(
                        id="chart-topic",
                        options=options.get("chart-topic", []),
                        value=DEFAULT_CHART_TOPIC,
                        clearable=False,
                        className="chart-topic",
                    ),
                    html.Span(
                        "Click a mark to see its group and narrow the grid to it.",
                        className="hint",
                    ),
                ],
                className="chart-controls",
            ),
            html.Div(id="charts-error", className="error", role="alert", hidden=True),
            html.P(note, id="charts-note", className="notice"),
            html.Div(
                [_graph("chart-by-source", drawn), _graph("chart-strength", drawn)],
                className="charts-row",
            ),
            html.Div(
                [_graph("chart-matrix", drawn), _graph("chart-affiliation", drawn)],
                className="charts-row",
            ),
            _graph("chart-timeline", drawn),
        ],
        className="panel charts",
        **{"aria-label": "Charts"},
    )


def grid_panel() -> html.Section:
    return html.Section(
        [
            html.H2("Claims"),
            html.Div(
                [
                    dcc.Input(
                        id="quick-search",
                        type="search",
                        placeholder="Search all columns…",
                        debounce=False,
                        maxLength=200,
                        className="quick-search",
                    ),
                    html.Div(id="focus-note", className="focus-note", hidden=True),
                    html.Button(
                        "Show the whole view", id="clear-focus", className="button", hidden=True
                    ),
                ],
                className="grid-tools",
            ),
            html.Div(id="grid-notice", className="notice", role="status"),
            dag.AgGrid(
                id="claims-grid",
                columnDefs=column_defs(),
                rowData=[],
                defaultColDef={
                    "sortable": True,
                    "filter": True,
                    "resizable": True,
                    "floatingFilter": False,
                    "minWidth": 90,
                },
                getRowId="params.data.claim_id",
                dashGridOptions={
                    "pagination": True,
                    "paginationPageSize": 50,
                    "tooltipShowDelay": 300,
                    "enableCellTextSelection": True,
                    "rowSelection": {
                        "mode": "singleRow",
                        "checkboxes": False,
                        "enableClickSelection": True,
                    },
                },
                className="ag-theme-quartz claims-grid",
                style={"height": "520px", "width": "100%"},
            ),
            # on a phone, a list of cards in place of the grid
            html.Div(id="claim-cards", className="claim-cards"),
            html.Section(
                [
                    html.H2("Claim group"),
                    html.Div(
                        "Click a row of the grid or a mark of a chart to compare every source's "
                        "figure for the same thing.",
                        id="detail",
                        className="detail-empty",
                    ),
                ],
                className="detail",
                **{"aria-label": "Claim group"},
            ),
        ],
        className="panel grid",
        **{"aria-label": "Claims grid"},
    )


def downloads_panel() -> html.Section:
    return html.Section(
        [
            html.H2("Download CSV"),
            html.Div(
                [
                    html.Button("Claims in the grid", id="download-claims", className="button"),
                    html.Button(
                        "All claims of the filters", id="download-all-claims", className="button"
                    ),
                    html.Button("Groups of this view", id="download-groups", className="button"),
                    html.Button("Pairs of this view", id="download-pairs", className="button"),
                ],
                className="download-buttons",
            ),
            html.P(
                [
                    "Every claims file has the same columns as `claims extract` and `claims "
                    "export`; their meaning: ",
                    html.A("data dictionary (datapackage.json)", href="/datapackage.json"),
                    ".",
                ],
                className="hint",
            ),
            html.Div(id="download-message", className="notice", role="status"),
            dcc.Download(id="download"),
        ],
        className="panel downloads",
        **{"aria-label": "Downloads"},
    )


def upload_panel() -> html.Section:
    limit_mb = MAX_UPLOAD_BYTES // (1024 * 1024)
    return html.Section(
        [
            html.H2("Add an article"),
            dcc.Upload(
                id="upload",
                children=html.Div(
                    [
                        "Drop a Wikipedia article's wikitext here, or ",
                        html.A("choose a file", className="link"),
                        f" (.wiki or .txt, up to {limit_mb} MB).",
                    ]
                ),
                accept=",".join(UPLOAD_SUFFIXES),
                max_size=MAX_UPLOAD_BYTES,
                multiple=False,
                className="upload",
            ),
            # assets/upload-check.js reads these to answer a refused file at once
            html.Div(
                id="upload-rules",
                hidden=True,
                **{
                    "data-max-bytes": str(MAX_UPLOAD_BYTES),
                    "data-suffixes": ",".join(UPLOAD_SUFFIXES),
                },
            ),
            dcc.Loading(
                html.Div(id="upload-message", className="notice", role="status"),
                delay_show=200,
            ),
            dcc.Store(id="upload-pending", data=None),  # the queued upload the page asks after
            dcc.Interval(id="upload-poll", interval=1000, disabled=True),
        ],
        className="panel upload",
        **{"aria-label": "Add an article"},
    )


def disputes_panel(rows: list | None = None, changes: bool = False) -> html.Section:
    """The landing list; with a link to the "changed recently" view when `changes` (a drift
    table is loaded)."""
    return html.Section(
        [
            html.H2("Where the sources disagree"),
            html.P(
                "Every group of figures that two or more independent sources give for the same "
                "thing; each figure is labelled with its source and written as the source wrote "
                "it. Open a row's title for its claims side by side.",
                className="hint",
            ),
            *(
                [
                    html.P(
                        [
                            "How the figures changed across the articles' revisions: ",
                            dcc.Link("Changed recently", href="/changes", id="changes-link"),
                            ".",
                        ],
                        className="hint",
                    )
                ]
                if changes
                else []
            ),
            html.Div(rows or [], id="disputes", className="findings", **{"aria-live": "polite"}),
            html.Button("Show all disputes", id="disputes-more", className="button"),
        ],
        className="panel disputes",
        id="disputes-panel",
        **{"aria-label": "Where the sources disagree"},
    )


def build_layout(options: Options | None = None, initial: dict | None = None) -> html.Div:
    """The whole page. URL query = filter state; stores hold the data version and focus.

    `options` are the filter menus' choices (by filter name, plus "chart-topic"), given at
    page load so that a URL's values are valid choices from the first render. `initial` is the
    default view already drawn ("summary", "disputes" rows, "figures" by chart id), so that a
    page opened without filters shows its disputes and charts without waiting for callbacks.
    """
    options = options or {}
    initial = initial or {}
    return html.Div(
        [
            dcc.Location(id="url", refresh=False),
            dcc.Store(id="data-version", data=0),
            dcc.Store(id="focus", data=None),
            dcc.Store(id="grid-ids", data=[]),
            dcc.Store(id="chart-tables", data=None),  # which charts' tables are open, and for
            # which view
            # the default view drawn into the page itself: its callbacks need not answer again
            dcc.Store(id="prerendered", data=bool(initial)),
            html.Header(
                [
                    html.H1("Counterclaim"),
                    html.P(
                        "Who says how many, and where do the sources disagree? Numeric claims "
                        "from Wikipedia conflict articles, attributed to their sources.",
                        className="tagline",
                    ),
                ],
                className="header",
            ),
            html.Div(id="app-error", className="error", role="alert", hidden=True),
            html.Main(id="page-view", hidden=True),
            html.Div(
                [
                    filters_panel(options, initial.get("summary", ""), initial.get("dates")),
                    disputes_panel(initial.get("disputes"), bool(initial.get("changes"))),
                    charts_panel(options, initial.get("figures"), initial.get("charts_note", "")),
                    grid_panel(),
                    html.Div([downloads_panel(), upload_panel()], className="panels-row"),
                ],
                id="main-view",
            ),
        ],
        className="page",
    )
