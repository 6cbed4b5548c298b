"""The disputes list of the landing view, and the pages of groups and sources by address."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, ctx, no_update

from claims.findings import disputed_groups, findings
from dashboard.callbacks.common import BadRequest, page_state, topic_labels
from dashboard.data import DashboardData
from dashboard.disputes import findings_list
from dashboard.pages import render_page

DISPUTES_SHOWN = 12  # rows of the landing list; "Show all" shows up to MAX_DISPUTES
MAX_DISPUTES = 200


def render_disputes(data: DashboardData, search: object, show_all: bool) -> list[Any]:
    """The landing list for the URL's filters: disputed groups first, labelled directly."""
    try:
        state = page_state(search)
    except BadRequest as exc:
        from dash import html

        return [html.P(f"Disputes not listed: {exc}.", className="error")]

    def draw() -> list[Any]:
        view = data.view(state.filters)
        ordered = disputed_groups(view.comparison.groups)
        limit = MAX_DISPUTES if show_all else DISPUTES_SHOWN
        shown = findings(view.comparison, limit=limit, topic_labels=topic_labels(), ordered=ordered)
        verdicts = ordered["verdict"].astype(str).value_counts().to_dict() if len(ordered) else {}
        return findings_list(shown, len(ordered), verdicts)

    return data.drawn(("disputes", state.filters, show_all), draw)


def initial_view(data: DashboardData) -> dict[str, Any]:
    """The default view (no filters) drawn for the page itself: summary, disputes, charts,
    and the span of the claims' dates (the date picker's bounds).

    A store that cannot be read raises its one-line error, which the page shows in place of
    the view (`dashboard.create_app`).
    """
    from dashboard.callbacks.charts import CHART_IDS, render_charts
    from dashboard.callbacks.filters import date_span

    drawn = render_charts(data, "")
    disputes = render_disputes(data, "", show_all=False)
    figures, summary, note = drawn[: len(CHART_IDS)], drawn[-2], drawn[-1]
    return {
        "changes": data.history is not None,  # a drift table is loaded: link /changes
        "summary": summary,
        "charts_note": note,
        "disputes": disputes,
        "figures": dict(zip(CHART_IDS, figures, strict=True)),
        "dates": date_span(data),
    }


def register(app: Dash, data: DashboardData) -> None:
    @app.callback(
        Output("disputes", "children"),
        Output("disputes-more", "children"),
        Input("url", "search"),
        Input("disputes-more", "n_clicks"),
        Input("data-version", "data"),
        State("prerendered", "data"),
    )
    def _disputes(search, clicks, _version, prerendered):
        show_all = bool(clicks) and clicks % 2 == 1
        label = "Show the first disputes only" if show_all else "Show all disputes"
        if prerendered and ctx.triggered_id is None and not search:
            return no_update, label  # the page came with the default view
        return render_disputes(data, search, show_all), label

    @app.callback(
        Output("page-view", "children"),
        Output("page-view", "hidden"),
        Output("main-view", "hidden"),
        Input("url", "pathname"),
        Input("url", "search"),
        Input("data-version", "data"),
    )
    def _page(pathname, search, _version):
        page = render_page(data.snapshot(), pathname, data.history, search)
        if page is None:
            return None, True, False
        return page, False, True
