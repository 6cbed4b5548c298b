"""Charts follow the URL's filters: figures by source, strength, matrix, affiliations, timeline."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from dash import Dash, Input, Output, State, ctx, no_update

from claims.model import CLAIM_CSV_COLUMNS
from dashboard import figures
from dashboard.callbacks.common import BadRequest, page_state, topic_labels
from dashboard.data import DashboardData, View

CHART_IDS = (
    "chart-by-source",
    "chart-strength",
    "chart-matrix",
    "chart-affiliation",
    "chart-timeline",
)


def build_figures(view: View, chart_topic: str) -> list[dict[str, Any]]:
    """The five charts of a view as figure specs, in CHART_IDS order."""
    labels = topic_labels()
    claims = figures.chart_frame(view.claims)
    loss_topic = chart_topic if chart_topic != "strength" else "killed"
    return [
        figures.figures_by_source_spec(claims, chart_topic, labels.get(chart_topic, chart_topic)),
        figures.figures_by_source_spec(claims, "strength", labels.get("strength", "Strength")),
        figures.agreement_matrix_spec(view.comparison.matrix()),
        figures.losses_by_affiliation_spec(
            claims, (loss_topic,), labels.get(loss_topic, loss_topic)
        ),
        figures.timeline_spec(claims, labels),
    ]


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


def chart_data(data: DashboardData, search: object, chart_id: str) -> pd.DataFrame:
    """What one chart of the URL's view draws, as a table: its claims (the one claims layout)
    or, for the matrix, its counts by pair of sources. BadRequest for a bad URL or chart."""
    if chart_id not in CHART_IDS:
        raise BadRequest(f"no chart {chart_id[:40]!r}")
    state = page_state(search)
    charted, _note = charted_view(data, data.view(state.filters))
    if chart_id == "chart-matrix":
        return charted.comparison.matrix()
    claims = charted.claims
    topic = {
        "chart-by-source": state.chart_topic,
        "chart-strength": "strength",
        "chart-affiliation": state.chart_topic if state.chart_topic != "strength" else "killed",
    }.get(chart_id)
    if topic is not None:
        claims = claims[claims["topic"] == topic]
    else:  # the timeline: dated claims
        claims = claims[claims["date"].astype(str) != ""]
    return claims.reindex(columns=list(CLAIM_CSV_COLUMNS)).reset_index(drop=True)


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
