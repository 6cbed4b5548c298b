"""The "changed recently" view (`/changes`): the latest changes of the loaded drift table.

Newest first, each change linked to its revision (`?oldid=`) and to the claim and group its
figure is now. The query string filters it: `event` (an event rule of
`claims/data/history.toml`, repeated or comma-separated; none: the rules' `recent` events) and
`article` (repeated; any case). `/changes.csv` and `/changes.json` hold the same list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

import pandas as pd
from dash import dcc, html

from dashboard.data import Snapshot
from dashboard.disputes import claim_href, group_href

MAX_SHOWN = 200  # changes on the page; its CSV and JSON hold every one
MAX_QUERY = 2_000  # characters of a query string
MAX_VALUES = 50  # values of one parameter
PARAMS = ("event", "article")


class BadQuery(ValueError):
    """A query string the view cannot read (its one-line reason)."""


@dataclass(frozen=True)
class ChangesQuery:
    """Which changes are listed: these events (none: the recent ones), these articles."""

    events: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()

    def to_query(self, **replace: tuple[str, ...]) -> str:
        """The query string of this selection ('' for none), with `replace`d parameters."""
        values = {"event": self.events, "article": self.articles} | replace
        query = urlencode([(name, v) for name in PARAMS for v in values[name]])
        return f"?{query}" if query else ""


def read_query(search: object) -> ChangesQuery:
    """The selection of a query string (`?event=raised,lowered&article=Raid`); BadQuery for an
    unknown event or a malformed query. Other parameters (the main view's filters, CSV
    options) are left to their readers."""
    from claims.history import UnknownEvent, check_events

    if search is None:
        search = ""
    if not isinstance(search, str):
        raise BadQuery("the address of the page is not text")
    if len(search) > MAX_QUERY:
        raise BadQuery(f"the address is over {MAX_QUERY} characters long")
    parsed = parse_qs(search.lstrip("?"))
    events = [e for value in parsed.get("event", []) for e in value.split(",")]
    articles = [a.strip() for a in parsed.get("article", []) if a.strip()]
    if len(events) > MAX_VALUES or len(articles) > MAX_VALUES:
        raise BadQuery(f"more than {MAX_VALUES} values of one parameter")
    try:
        return ChangesQuery(check_events(events), tuple(dict.fromkeys(articles)))
    except UnknownEvent as exc:
        raise BadQuery(str(exc)) from None


def changes_frame(
    snapshot: Snapshot, history: pd.DataFrame | None, query: ChangesQuery
) -> pd.DataFrame:
    """The changes of the selection, newest first (`claims.history.CHANGE_COLUMNS`)."""
    from claims.history import recent_changes

    return recent_changes(history, snapshot.claims, events=query.events, articles=query.articles)


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _revision_link(row: dict[str, Any]) -> Any:
    from dashboard.pages import SAFE_URL

    label = f"revision {_text(row['revision'])}" if _text(row["revision"]) else "revision"
    url = _text(row["url"])
    if SAFE_URL.match(url):
        return html.A(label, href=url, target="_blank", rel="noopener noreferrer nofollow")
    return label


def _where(row: dict[str, Any]) -> list[Any]:
    from dashboard.pages import CLAIM_ID

    claim_id, group_id = _text(row["claim_id"]), _text(row["group_id"])
    links: list[Any] = []
    if CLAIM_ID.match(claim_id):
        links.append(dcc.Link("its claim", href=claim_href(claim_id)))
    if CLAIM_ID.match(group_id):
        links += [" · " if links else "", dcc.Link("its group", href=group_href(group_id))]
    return links or [html.Span("not in the store now", className="meta")]


def _choices(query: ChangesQuery, counts: dict[str, int], name: str) -> html.P:
    """Links that narrow the list to one value of `name` (event or article), with counts."""
    label = "Events" if name == "event" else "Articles"
    current = query.events if name == "event" else query.articles
    items: list[Any] = [f"{label}: "]
    everything = query.to_query(**{name: ()})
    items.append(
        dcc.Link("all", href=f"/changes{everything}", className="chip")
        if current
        else html.Strong("all")
    )
    for value, n in counts.items():
        text = f"{value.replace('_', ' ')} ({n:,})"
        items.append(" · ")
        if current == (value,):
            items.append(html.Strong(text))
        else:
            href = f"/changes{query.to_query(**{name: (value,)})}"
            items.append(dcc.Link(text, href=href, className="chip"))
    return html.P(items, className="finding-meta", id=f"changes-{name}s")


def changes_table(changes: pd.DataFrame) -> html.Div:
    head = ["When", "Article", "Figure", "Change", "Sources", "Edit summary", "Revision", "Now"]
    body = []
    for row in changes.head(MAX_SHOWN).to_dict("records"):
        event = _text(row["event"])
        old_source, new_source = _text(row["old_source"]), _text(row["new_source"])
        sources = (
            f"{old_source} → {new_source}"
            if old_source and new_source and old_source != new_source
            else new_source or old_source
        )
        cells = [
            _text(row["timestamp"])[:16].replace("T", " "),
            _text(row["article"]),
            _text(row["figure"]),
            html.Span(_text(row["detail"]) or event.replace("_", " "), className=f"event-{event}"),
            sources,
            html.Span(_text(row["comment"]), className="finding-meta"),
            _revision_link(row),
            html.Span(_where(row)),
        ]
        body.append(html.Tr([html.Td(c) for c in cells], className="change-row"))
    table = html.Table(
        [html.Thead(html.Tr([html.Th(h, scope="col") for h in head])), html.Tbody(body)],
        className="page-table changes-table",
    )
    return html.Div(table, className="table-scroll")


def changes_page(snapshot: Snapshot, history: pd.DataFrame | None, search: object) -> html.Div:
    """The page of `/changes` for the query string `search`."""
    from claims.history import history_rules

    back = dcc.Link("← All disputes and charts", href="/", className="back-link")
    parts: list[Any] = [back, html.H2("Changed recently")]
    if history is None:
        parts.append(
            html.P(
                "No revision history is loaded: start the dashboard with a drift table "
                "(claims serve --history drift.csv) to see how figures changed.",
                className="notice",
            )
        )
        return html.Div(parts, className="panel page changes-page", id="changes-page")
    try:
        query = read_query(search)
    except BadQuery as exc:
        parts.append(html.P(f"Changes not listed: {exc}.", className="error"))
        return html.Div(parts, className="panel page changes-page", id="changes-page")
    changes = changes_frame(snapshot, history, query)
    shown_events = query.events or history_rules().recent
    kinds = ChangesQuery((), query.articles)
    by_event = changes_frame(snapshot, history, kinds)["event"].value_counts()
    by_article = changes_frame(snapshot, history, ChangesQuery(query.events, ()))["article"]
    event_counts = {e: int(by_event.get(e, 0)) for e in history_rules().recent if e in by_event}
    for event in query.events:  # an event asked for that is not a recent one
        event_counts.setdefault(event, int((changes["event"] == event).sum()))
    article_counts = {str(a): int(n) for a, n in by_article.value_counts().items()}
    known = {a.casefold() for a in history["article"].astype(str)}
    missing = [a for a in query.articles if a.casefold() not in known]
    what = ", ".join(e.replace("_", " ") for e in shown_events)
    more = len(changes) - MAX_SHOWN
    cut = f"; the first {MAX_SHOWN:,} are shown, every one is in the CSV." if more > 0 else "."
    parts += [
        html.P(
            f"{len(changes):,} changes ({what}) in {changes['article'].nunique():,} "
            f"article(s), newest first{cut}",
            className="finding-sentence",
            id="changes-summary",
        ),
        *(
            [html.P(f"No change of article {', '.join(map(repr, missing))}.", className="notice")]
            if missing
            else []
        ),
        _choices(query, event_counts, "event"),
        _choices(query, article_counts, "article"),
        changes_table(changes)
        if not changes.empty
        else html.P("No change of these figures.", className="notice"),
        html.P(
            [
                "This list's data: ",
                html.A("CSV", href=f"/changes.csv{query.to_query()}", className="data-link"),
                " · ",
                html.A("JSON", href=f"/changes.json{query.to_query()}", className="data-link"),
            ],
            className="finding-meta",
        ),
    ]
    return html.Div(parts, className="panel page changes-page", id="changes-page")
