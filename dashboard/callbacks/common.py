"""Reading the page's state (the URL query) into validated values, shared by every callback."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from urllib.parse import parse_qs, urlencode

from claims.filters import FilterError, Filters
from dashboard.layout import DEFAULT_CHART_TOPIC

CHART_PARAM = "chart"  # URL parameter of the first chart's topic (not a filter of the claims)
FOCUS_PARAM = "focus"  # URL parameter of a focus: "claim:<id>" or "sources:<a>|<b>"
MAX_QUERY_LENGTH = 20_000


class BadRequest(ValueError):
    """A value sent by the browser that the dashboard refuses (shown as a message, not a trace)."""


@cache
def topic_labels() -> dict[str, str]:
    """Topic keys and their human labels, from the package's taxonomy."""
    from claims.topics import taxonomy

    return dict(taxonomy().labels)


@dataclass(frozen=True)
class PageState:
    """What the URL says: the filters and the topic of the first chart."""

    filters: Filters
    chart_topic: str


def page_state(search: object) -> PageState:
    """Parse the URL query; raises BadRequest with a one-line reason on anything malformed."""
    if search is None:
        search = ""
    if not isinstance(search, str):
        raise BadRequest("the address of the page is not text")
    if len(search) > MAX_QUERY_LENGTH:
        raise BadRequest(f"the address is over {MAX_QUERY_LENGTH} characters long")
    try:
        filters = Filters.from_query(search)
    except FilterError as exc:
        raise BadRequest(str(exc)) from exc
    chart = parse_qs(search.lstrip("?")).get(CHART_PARAM, [DEFAULT_CHART_TOPIC])[-1]
    return PageState(filters, check_topic(chart))


def check_topic(topic: object) -> str:
    """A chart topic from the browser, checked against the taxonomy."""
    if not isinstance(topic, str) or topic not in topic_labels():
        shown = str(topic)[:40] if isinstance(topic, str) else type(topic).__name__
        known = ", ".join(topic_labels())
        raise BadRequest(f"unknown topic {shown!r} for the chart; known topics: {known}")
    return topic


def page_query(state: PageState) -> str:
    """The URL query (with leading '?', or '' for the default view) of a page state."""
    parts = [state.filters.to_query()]
    if state.chart_topic != DEFAULT_CHART_TOPIC:
        parts.append(urlencode({CHART_PARAM: state.chart_topic}))
    query = "&".join(part for part in parts if part)
    return f"?{query}" if query else ""


def focus_from_query(search: object) -> dict[str, object] | None:
    """The focus a URL names (`?focus=claim:<id>`, `?focus=sources:SOHR|AP`), else None."""
    if not isinstance(search, str) or len(search) > MAX_QUERY_LENGTH:
        return None
    values = parse_qs(search.lstrip("?")).get(FOCUS_PARAM)
    if not values:
        return None
    kind, _, rest = values[-1].partition(":")
    if kind == "claim" and 0 < len(rest) <= 64 and rest.isalnum():
        return {"claim": rest}
    if kind == "sources" and rest.count("|") == 1 and len(rest) <= 600:
        return {"sources": rest.split("|")}
    return None
