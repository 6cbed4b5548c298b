"""Charts follow the URL's filters: figures by source, strength, matrix, affiliations, timeline."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, ctx, no_update

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
        charted, note = view, ""
        articles = view.claims["article"].value_counts() if len(view.claims) else None
        if not state.filters.article and articles is not None and len(articles) > 1:
            # one article at a time: several battles on one chart read as one
            top = str(articles.index[0])
            charted = data.view(state.filters.with_(article=(top,)))
            note = (
                f"Charts of “{top}”, the article with most claims in view ({len(articles):,} "
                "articles). Choose articles in the Article filter to chart others, or several "
                "to chart them together."
            )
        figs = build_figures(charted, state.chart_topic)
        return (*figs, "", True, summary(view), note)

    return data.drawn(("charts", state.filters, state.chart_topic), draw)


def register(app: Dash, data: DashboardData) -> None:
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
