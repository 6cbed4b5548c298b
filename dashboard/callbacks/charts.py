"""Charts follow the URL's filters: figures by source, strength, matrix, affiliations, timeline."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from dash import Dash, Input, Output, State, ctx, no_update

from claims.filters import LIST_FIELDS, Filters
from claims.model import CLAIM_CSV_COLUMNS
from dashboard import figures
from dashboard.callbacks.common import BadRequest, PageState, page_state, topic_labels
from dashboard.data import DashboardData, View
from dashboard.layout import HIDE_TABLE, SHOW_TABLE

CHART_IDS = (
    "chart-by-source",
    "chart-strength",
    "chart-matrix",
    "chart-affiliation",
    "chart-timeline",
)
MAX_NAMED = 8  # sources or filter values named in a caption; the rest are counted


def build_figures(view: View, chart_topic: str) -> list[dict[str, Any]]:
    """The five charts of a view as figure specs, in CHART_IDS order; each carries the caption
    its image export adds (the sources drawn and the view's filters)."""
    labels = topic_labels()
    claims = figures.chart_frame(view.claims)
    matrix = view.comparison.matrix()
    loss_topic = _loss_topic(chart_topic)
    specs = [
        figures.figures_by_source_spec(claims, chart_topic, labels.get(chart_topic, chart_topic)),
        figures.figures_by_source_spec(claims, "strength", labels.get("strength", "Strength")),
        figures.agreement_matrix_spec(matrix),
        figures.losses_by_affiliation_spec(
            claims, (loss_topic,), labels.get(loss_topic, loss_topic)
        ),
        figures.timeline_spec(claims, labels),
    ]
    # only the columns the captions read: cheaper to slice five times than the claims
    slim = view.claims.reindex(columns=["topic", "source", "date"])
    return [
        figures.with_export_caption(
            spec,
            chart_caption(
                matrix if chart_id == "chart-matrix"
                else _chart_claims(slim, chart_topic, chart_id),
                chart_id,
                view.filters,
            ),
            chart_id,
        )
        for chart_id, spec in zip(CHART_IDS, specs, strict=True)
    ]  # fmt: skip


def chart_name(chart_id: str, chart_topic: str) -> str:
    """What a chart shows, in words ("Killed: figures by source")."""
    labels = topic_labels()
    topic = labels.get(chart_topic, chart_topic)
    loss = labels.get(_loss_topic(chart_topic), _loss_topic(chart_topic))
    return {
        "chart-by-source": f"{topic}: figures by source",
        "chart-strength": f"{labels.get('strength', 'Strength')}: figures by source",
        "chart-matrix": "Agreement between sources",
        "chart-affiliation": f"{loss} by party and kind of source",
        "chart-timeline": "Claims over time",
    }[chart_id]


def filters_words(filters: Filters) -> str:
    """The filters of a view in words ("topic: Killed; source: SOHR, AP; from 2024-11")."""
    labels = topic_labels()
    parts = []
    for name in LIST_FIELDS:
        values = getattr(filters, name)
        if values:
            shown = [labels.get(v, v) if name == "topic" else v for v in values[:MAX_NAMED]]
            more = f" and {len(values) - MAX_NAMED:,} more" if len(values) > MAX_NAMED else ""
            parts.append(f"{name.replace('_', ' ')}: {', '.join(shown)}{more}")
    if filters.date_from:
        parts.append(f"from {filters.date_from}")
    if filters.date_to:
        parts.append(f"to {filters.date_to}")
    return "; ".join(parts) or "none (all claims)"


def sources_words(rows: pd.DataFrame, chart_id: str) -> str:
    """The sources of a chart's rows, most frequent first ("SOHR, AP and 4 more")."""
    if chart_id == "chart-matrix":
        names = pd.concat([rows["source_a"], rows["source_b"]]) if len(rows) else pd.Series([])
    else:
        names = rows["source"] if "source" in rows.columns else pd.Series([])
    counts: dict[str, int] = {}
    for name, n in names.value_counts(dropna=False).items():  # counted first: few names
        shown = "(no citation)" if name is None or pd.isna(name) or name == "" else str(name)
        counts[shown] = counts.get(shown, 0) + int(n)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
    shown = [str(name) for name, _n in ordered[:MAX_NAMED]]
    if not shown:
        return "none"
    more = len(ordered) - len(shown)
    return ", ".join(shown) + (f" and {more:,} more" if more else "")


def chart_caption(rows: pd.DataFrame, chart_id: str, filters: Filters) -> str:
    """What a chart's image and table say of where their figures come from."""
    what = "pairs of sources" if chart_id == "chart-matrix" else "claims"
    return (
        f"Sources: {sources_words(rows, chart_id)}. Filters: {filters_words(filters)}. "
        f"{len(rows):,} {what}; data: Counterclaim, from Wikipedia articles."
    )


def summary(view: View) -> str:
    """One line saying how much of the data is in view."""
    groups = view.comparison.groups
    articles = view.claims["article"].nunique() if "article" in view.claims else 0
    n = len(view.claims)
    if view.total_claims == 0:
        return "No articles loaded yet: upload a .wiki file below to start."
    return (
        f"{n:,} of {view.total_claims:,} claims in view, in {len(groups):,} groups, "
        f"from {articles:,} article{'s' if articles != 1 else ''}."
    )


def charted_view(data: DashboardData, view: View) -> tuple[View, str]:
    """The view the charts draw, and a note: one article at a time (several battles on one
    chart read as one), the one with most claims unless the filters choose articles."""
    articles = view.claims["article"].value_counts() if len(view.claims) else None
    if view.filters.article or articles is None or len(articles) <= 1:
        return view, ""
    top = str(articles.index[0])
    note = (
        f"Charts of “{top}”, the article with most claims in view ({len(articles):,} "
        "articles). Choose articles in the Article filter to chart others, or several "
        "to chart them together."
    )
    return data.view(view.filters.with_(article=(top,))), note


def _loss_topic(chart_topic: str) -> str:
    return chart_topic if chart_topic != "strength" else "killed"


def chart_rows(charted: View, chart_topic: str, chart_id: str) -> pd.DataFrame:
    """The rows one chart of a charted view draws: its claims or, for the matrix, its counts
    by pair of sources. Its data link, its table and its caption all read these."""
    if chart_id == "chart-matrix":
        return charted.comparison.matrix()
    return _chart_claims(charted.claims, chart_topic, chart_id)


def _chart_claims(claims: pd.DataFrame, chart_topic: str, chart_id: str) -> pd.DataFrame:
    """The claims a chart other than the matrix draws: its topic's, or the dated ones."""
    topic = {
        "chart-by-source": chart_topic,
        "chart-strength": "strength",
        "chart-affiliation": _loss_topic(chart_topic),
    }.get(chart_id)
    if topic is not None:
        return claims[claims["topic"] == topic]
    return claims[claims["date"].astype(str) != ""]  # the timeline: dated claims


def chart_data(data: DashboardData, search: object, chart_id: str) -> pd.DataFrame:
    """What one chart of the URL's view draws, as a table: its claims (the one claims layout)
    or, for the matrix, its counts by pair of sources. BadRequest for a bad URL or chart."""
    return data_layout(chart_view_rows(data, search, chart_id)[1], chart_id)


def data_layout(rows: pd.DataFrame, chart_id: str) -> pd.DataFrame:
    """A chart's rows in the layout of its data link (the claims layout, or the matrix's)."""
    if chart_id == "chart-matrix":
        return rows.reset_index(drop=True)
    return rows.reindex(columns=list(CLAIM_CSV_COLUMNS)).reset_index(drop=True)


def chart_view_rows(
    data: DashboardData, search: object, chart_id: str
) -> tuple[View, pd.DataFrame, PageState]:
    """(the charted view, the chart's rows, the page state) of the URL's view."""
    if chart_id not in CHART_IDS:
        raise BadRequest(f"no chart {chart_id[:40]!r}")
    state = page_state(search)
    charted, _note = charted_view(data, data.view(state.filters))
    return charted, chart_rows(charted, state.chart_topic, chart_id), state


def render_charts(data: DashboardData, search: object) -> tuple[Any, ...]:
    """(five figures, error text, error hidden, summary, note) for the URL's view.

    Charts show one article at a time: when the filters name no article and the view spans
    several, the article with most claims, and the note says so.

    A malformed URL gives the error text and empty charts that say what to do.
    """
    try:
        state = page_state(search)
    except BadRequest as exc:
        message = f"Charts not drawn: {exc}."
        blank = [figures.empty_spec("No view", "Clear the filters to see the charts.")] * 5
        return (*blank, message, False, "", "")

    def draw() -> tuple[Any, ...]:
        view = data.view(state.filters)
        charted, note = charted_view(data, view)
        figs = build_figures(charted, state.chart_topic)
        return (*figs, "", True, summary(view), note)

    return data.drawn(("charts", state.filters, state.chart_topic), draw)


def render_tables(data: DashboardData, request: object) -> tuple[Any, ...]:
    """(five tables, five hidden flags) for a request {"open": [chart ids], "search": query};
    a closed chart's table is emptied. A malformed request opens nothing."""
    from dashboard.charttables import chart_table

    open_ids: set[str] = set()
    search: object = ""
    if isinstance(request, dict) and isinstance(request.get("open"), list):
        open_ids = {i for i in request["open"] if isinstance(i, str) and i in CHART_IDS}
        search = request.get("search", "")
    tables = [chart_table(data, search, i) if i in open_ids else None for i in CHART_IDS]
    return (*tables, *[i not in open_ids for i in CHART_IDS])


def register(app: Dash, data: DashboardData) -> None:
    # each chart's data link follows the view
    links_js = (
        "function (search) { return " + json.dumps(list(CHART_IDS)) + ".map(function (id) "
        '{ return "/chart/" + id + ".csv" + (search || ""); }); }'
    )
    app.clientside_callback(
        links_js,
        *[Output(f"{chart_id}-data", "href") for chart_id in CHART_IDS],
        Input("url", "search"),
    )

    # a table toggle opens or closes its chart's table; only an open table asks the server
    tables_js = (
        "function () { var ids = " + json.dumps(list(CHART_IDS)) + ";"
        " var n = ids.length; var args = Array.prototype.slice.call(arguments);"
        " var search = args[n] || ''; var version = args[n + 1]; var before = args[n + 2];"
        " var open = ids.filter(function (id, i) { return (args[i] || 0) % 2 === 1; });"
        " var labels = ids.map(function (id, i) { return (args[i] || 0) % 2 === 1 ? "
        + json.dumps(HIDE_TABLE) + " : " + json.dumps(SHOW_TABLE) + "; });"
        " var expanded = ids.map(function (id, i) {"
        " return (args[i] || 0) % 2 === 1 ? 'true' : 'false'; });"
        " var closedBefore = !before || !before.open || before.open.length === 0;"
        " var request = (open.length === 0 && closedBefore) ? window.dash_clientside.no_update"
        " : {open: open, search: search, version: version};"
        " return [request].concat(labels, expanded); }"
    )  # fmt: skip
    app.clientside_callback(
        tables_js,
        Output("chart-tables", "data"),
        *[Output(f"{chart_id}-table-toggle", "children") for chart_id in CHART_IDS],
        *[Output(f"{chart_id}-table-toggle", "aria-expanded") for chart_id in CHART_IDS],
        *[Input(f"{chart_id}-table-toggle", "n_clicks") for chart_id in CHART_IDS],
        Input("url", "search"),
        Input("data-version", "data"),
        State("chart-tables", "data"),
    )

    @app.callback(
        *[Output(f"{chart_id}-table", "children") for chart_id in CHART_IDS],
        *[Output(f"{chart_id}-table", "hidden") for chart_id in CHART_IDS],
        Input("chart-tables", "data"),
        prevent_initial_call=True,
    )
    def _tables(request):
        return render_tables(data, request)

    @app.callback(
        *[Output(chart_id, "figure") for chart_id in CHART_IDS],
        Output("charts-error", "children"),
        Output("charts-error", "hidden"),
        Output("view-summary", "children"),
        Output("charts-note", "children"),
        Input("url", "search"),
        Input("data-version", "data"),
        State("prerendered", "data"),
    )
    def _charts(search, _version, prerendered):
        if prerendered and ctx.triggered_id is None and not search:
            return (no_update,) * (len(CHART_IDS) + 4)  # the page came with the default view
        return render_charts(data, search)
