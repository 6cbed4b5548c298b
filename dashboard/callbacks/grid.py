"""The claims grid, cross-filtering from chart clicks, and the claim-group detail panel."""

from __future__ import annotations

import html as html_text
import json
import re
from typing import Any

import pandas as pd
from dash import Dash, Input, Output, State, ctx, html, no_update

from dashboard.callbacks.common import BadRequest, focus_from_query, page_state
from dashboard.data import MAX_GRID_ROWS, DashboardData, View
from dashboard.figures import kind_family

CLICKABLE_CHARTS = ("chart-by-source", "chart-strength", "chart-timeline", "chart-matrix")
CLAIM_ID = re.compile(r"^[0-9a-f]{1,64}$")
SAFE_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
MAX_KEY_LENGTH = 300


def focus_from_click(chart_id: str, click: object) -> dict[str, Any] | None:
    """The selection a chart click makes: one claim (a mark) or two sources (a matrix cell).

    Returns None for anything that is not a well-formed click of that chart.
    """
    if not isinstance(click, dict) or not isinstance(click.get("points"), list):
        return None
    points = click["points"]
    if not points or not isinstance(points[0], dict):
        return None
    point = points[0]
    if chart_id == "chart-matrix":
        pair = [point.get("y"), point.get("x")]
        if not all(isinstance(s, str) and len(s) <= MAX_KEY_LENGTH for s in pair):
            return None
        names = [html_text.unescape(s) for s in pair]
        return {"sources": ["" if s == "(no citation)" else s for s in names]}
    custom = point.get("customdata")
    if (
        isinstance(custom, list)
        and custom
        and isinstance(custom[0], str)
        and CLAIM_ID.match(custom[0])
    ):
        return {"claim": custom[0]}
    return None


def focused_rows(view: View, focus: object) -> tuple[pd.DataFrame, str]:
    """The view's claims narrowed by a focus, and a note saying what the focus is ("" if none)."""
    claims = view.claims
    if not isinstance(focus, dict):
        return claims, ""
    claim_id = focus.get("claim")
    if isinstance(claim_id, str):
        group = claims.loc[claims["claim_id"] == claim_id, "group_id"]
        if group.empty:
            return claims, ""
        rows = claims[claims["group_id"] == group.iloc[0]]
        return rows, f"Showing the {len(rows)} claims of one group (the mark you clicked)."
    sources = focus.get("sources")
    if isinstance(sources, list) and len(sources) == 2 and all(isinstance(s, str) for s in sources):
        by_source = claims[claims["source"].isin(sources)]
        shared = by_source.groupby("group_id")["source"].nunique()
        groups = shared[shared >= min(2, len(set(sources)))].index
        rows = by_source[by_source["group_id"].isin(groups)]
        names = " and ".join(s or "(no citation)" for s in sources)
        return rows, f"Showing the {len(rows)} claims where {names} speak of the same thing."
    return claims, ""


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (missing values as null)."""
    clean = frame.astype(object).where(frame.notna(), None)
    return clean.to_dict("records")


def render_grid(data: DashboardData, search: object, focus: object) -> tuple[Any, ...]:
    """(row data, notice, focus note, focus note hidden, clear-focus hidden)."""
    try:
        state = page_state(search)
    except BadRequest as exc:
        return [], f"Grid empty: {exc}.", "", True, True
    key = ("grid", state.filters, json.dumps(focus, sort_keys=True, default=str)[:500])
    return data.drawn(key, lambda: _grid_answer(data.view(state.filters), focus))


def _grid_answer(view: View, focus: object) -> tuple[Any, ...]:
    rows, note = focused_rows(view, focus)
    shown = View(view.filters, rows, view.comparison, view.total_claims).grid_rows
    if view.total_claims == 0:
        notice = "No articles loaded yet: upload a .wiki file below to start."
    elif rows.empty:
        notice = "No claims match these filters. Clear some filters to see more."
    elif len(rows) > MAX_GRID_ROWS:
        notice = (
            f"Showing the first {MAX_GRID_ROWS:,} of {len(rows):,} claims; narrow the filters "
            "to see the rest (sorting and searching apply to the rows shown)."
        )
    else:
        notice = f"{len(rows):,} claims."
    return records(shown), notice, note, not note, not note


MAX_CARDS = 50  # claims shown as cards on a phone, in place of the grid


def claim_cards(data: DashboardData, search: object, focus: object) -> list[Any]:
    """The view's first claims as cards (a phone's list in place of the grid): the figure as
    written, its source and verdict, party, date and the quote."""
    try:
        state = page_state(search)
    except BadRequest:
        return []

    def draw() -> list[Any]:
        rows, _note = focused_rows(data.view(state.filters), focus)
        cards = []
        for row in rows.head(MAX_CARDS).itertuples(index=False):
            verdict = _text(row.verdict) or "single"
            meta = " · ".join(
                part
                for part in (
                    _text(row.topic),
                    _text(row.party),
                    _text(row.date) or "undated",
                    _text(row.article),
                )
                if part
            )
            cards.append(
                html.Article(
                    [
                        html.Div(
                            [
                                html.Strong(_text(row.value_text), className="figure"),
                                " ",
                                html.Span(_text(row.source) or "(no citation)", className="outlet"),
                                " ",
                                html.Span(
                                    verdict.replace("_", " "), className=f"badge verdict-{verdict}"
                                ),
                            ]
                        ),
                        html.Div(meta, className="meta"),
                        html.Blockquote(_text(row.quote)[:300]),
                    ],
                    className=f"card kind-{kind_family(row.source_kind)}",
                )
            )
        more = len(rows) - len(cards)
        if more > 0:
            cards.append(
                html.P(
                    f"and {more:,} more: narrow the filters, or download them.", className="notice"
                )
            )
        return cards

    key = ("cards", state.filters, json.dumps(focus, sort_keys=True, default=str)[:500])
    return data.drawn(key, draw)


def update_focus(trigger: str | None, click: object, search: object = "") -> dict[str, Any] | None:
    """New focus after a chart click, "show whole view" (none), or a change of the address
    (the focus it names: a copied link opens the same focus)."""
    if trigger in CLICKABLE_CHARTS:
        return focus_from_click(trigger, click)
    if trigger == "url":
        return focus_from_query(search)
    return None


FOCUS_TO_URL_JS = """function (focus, search) {
    var params = new URLSearchParams(search || "");
    var value = "";
    if (focus && typeof focus.claim === "string") {
        value = "claim:" + focus.claim;
    } else if (focus && Array.isArray(focus.sources)) {
        value = "sources:" + focus.sources.join("|");
    }
    if ((params.get("focus") || "") === value) { return window.dash_clientside.no_update; }
    if (value) { params.set("focus", value); } else { params.delete("focus"); }
    var query = params.toString();
    return query ? "?" + query : "";
}"""

SCROLL_TO_DETAIL_JS = """function (children) {
    var detail = document.getElementById("detail");
    if (detail && children) { detail.scrollIntoView({behavior: "smooth", block: "start"}); }
    return window.dash_clientside.no_update;
}"""


def _range_text(low: object, high: object) -> str:
    """A claim's low-high range for people to read ("1,200", "30–?")."""

    def fmt(v: object) -> str:
        return "?" if v is None or pd.isna(v) else f"{float(v):,.0f}"

    return fmt(low) if fmt(low) == fmt(high) else f"{fmt(low)}–{fmt(high)}"


def _link(url: object, label: str) -> html.Component | str:
    if isinstance(url, str) and SAFE_URL.match(url):
        return html.A(label, href=url, target="_blank", rel="noopener noreferrer nofollow")
    return str(url) if isinstance(url, str) and url else ""


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def render_detail(data: DashboardData, claim_id: object) -> html.Div | str:
    """Every source's figure for the same thing as `claim_id`, side by side, with the verdict."""
    if not isinstance(claim_id, str) or not CLAIM_ID.match(claim_id):
        return "This claim cannot be found; click a row of the grid or a chart mark."
    snapshot = data.snapshot()
    claims = snapshot.claims
    match = claims[claims["claim_id"] == claim_id]
    if match.empty:
        return "This claim is no longer loaded; click another row."
    group_id = match.iloc[0]["group_id"]
    members = claims[claims["group_id"] == group_id]
    groups = snapshot.comparison.groups
    group = groups[groups["group_id"] == group_id]
    info = group.iloc[0] if not group.empty else pd.Series(dtype=object)
    verdict = _text(info.get("verdict", match.iloc[0].get("verdict", "single"))) or "single"
    head = html.Div(
        [
            html.Span(verdict.replace("_", " "), className=f"badge verdict-{verdict}"),
            html.Strong(_text(info.get("label", "")) or _text(match.iloc[0]["topic"])),
            html.Span(
                f"{_count(len(members), 'claim')} from "
                f"{_count(members['source'].nunique(), 'source')}",
                className="meta",
            ),
        ],
        className="detail-head",
    )
    why = html.P(_text(info.get("why", "")), className="detail-why")
    cards = [
        html.Div(
            [
                html.Div(_text(row.source_name) or "(no citation)", className="outlet"),
                html.Div(_text(row.value_text), className="figure"),
                html.Div(f"range {_range_text(row.value_low, row.value_high)}", className="meta"),
                html.Div(
                    " · ".join(
                        part
                        for part in (
                            _text(row.source_kind),
                            _text(row.party),
                            _text(row.date) or "undated",
                            f"claimed by {_text(row.claimant)}" if _text(row.claimant) else "",
                        )
                        if part
                    ),
                    className="meta",
                ),
                html.Blockquote(_text(row.quote)),
                html.Div(
                    [
                        _link(row.citation_url, "cited article"),
                        " ",
                        _link(row.archive_url, "archive"),
                    ],
                    className="meta",
                ),
            ],
            className=f"card kind-{kind_family(row.source_kind)}"
            + (" selected" if row.claim_id == claim_id else ""),
        )
        for row in members.head(60).itertuples(index=False)
    ]
    pairs = snapshot.comparison.pairs
    pair_rows = pairs[pairs["group_id"] == group_id].head(40)
    pair_items = [
        html.Li(
            f"{_text(p.source_a) or '(no citation)'} vs {_text(p.source_b) or '(no citation)'}: "
            f"{_text(p.verdict).replace('_', ' ')}. {_text(p.why)}"
        )
        for p in pair_rows.itertuples(index=False)
    ]
    return html.Div(
        [head, why, html.Div(cards, className="detail-cards")]
        + ([html.Ul(pair_items, className="pairs")] if pair_items else [])
    )


def register(app: Dash, data: DashboardData) -> None:
    @app.callback(
        Output("claims-grid", "rowData"),
        Output("grid-notice", "children"),
        Output("focus-note", "children"),
        Output("focus-note", "hidden"),
        Output("clear-focus", "hidden"),
        Input("url", "search"),
        Input("focus", "data"),
        Input("data-version", "data"),
    )
    def _grid(search, focus, _version):
        return render_grid(data, search, focus)

    @app.callback(
        Output("focus", "data"),
        *[Input(chart_id, "clickData") for chart_id in CLICKABLE_CHARTS],
        Input("clear-focus", "n_clicks"),
        Input("url", "search"),
    )
    def _focus(*values):
        trigger = ctx.triggered_id or "url"  # on load: the focus the address names
        clicks, search = values[: len(CLICKABLE_CHARTS)], values[-1]
        click = clicks[CLICKABLE_CHARTS.index(trigger)] if trigger in CLICKABLE_CHARTS else None
        return update_focus(trigger, click, search)

    @app.callback(
        Output("claim-cards", "children"),
        Input("url", "search"),
        Input("focus", "data"),
        Input("data-version", "data"),
    )
    def _cards(search, focus, _version):
        return claim_cards(data, search, focus)

    # a focus lives in the address (a copied link opens it), and its detail scrolls into view
    app.clientside_callback(
        FOCUS_TO_URL_JS,
        Output("url", "search", allow_duplicate=True),
        Input("focus", "data"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        SCROLL_TO_DETAIL_JS,
        Output("detail", "title"),
        Input("detail", "children"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output("detail", "children"),
        Output("detail", "className"),
        Input("claims-grid", "cellClicked"),
        Input("focus", "data"),
        State("detail", "className"),
        prevent_initial_call=True,
    )
    def _detail(cell, focus, _class):
        if ctx.triggered_id == "claims-grid":
            claim_id = cell.get("rowId") if isinstance(cell, dict) else None
        elif isinstance(focus, dict) and "claim" in focus:
            claim_id = focus["claim"]
        else:
            return no_update, no_update
        return render_detail(data, claim_id), "detail-body"

    # the quick search filters the grid in the browser (and so the grid's CSV, which holds
    # the rows the grid shows)
    app.clientside_callback(
        """function (text, options) {
            return Object.assign({}, options || {}, {quickFilterText: text || ""});
        }""",
        Output("claims-grid", "dashGridOptions"),
        Input("quick-search", "value"),
        State("claims-grid", "dashGridOptions"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        "function (rows) { return (rows || []).map(function (r) { return r.claim_id; }); }",
        Output("grid-ids", "data"),
        Input("claims-grid", "virtualRowData"),
    )
