"""Filters <-> URL: the query string is the one source of truth of the view.

Changing a control writes the URL (a history entry, so the back button works); opening or
going back to a URL sets the controls. Charts, grid and downloads read the URL only.
"""

from __future__ import annotations

import calendar
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, html, no_update

from claims.filters import DATE_FIELDS, ISO_DATE, FilterError, Filters
from dashboard.callbacks.common import BadRequest, PageState, check_topic, page_query, page_state
from dashboard.callbacks.common import topic_labels as _topic_labels
from dashboard.data import FILTER_FIELDS, DashboardData
from dashboard.layout import DEFAULT_CHART_TOPIC

CONTROL_FIELDS = FILTER_FIELDS + DATE_FIELDS


def controls_of(filters: Filters) -> list[Any]:
    """Control values (dropdown lists, date texts) showing a filter state."""
    return [list(getattr(filters, name)) for name in FILTER_FIELDS] + [
        getattr(filters, name) or None for name in DATE_FIELDS
    ]


def sync_filters(
    trigger: str | None,
    search: object,
    values: list[Any],
    chart_topic: object,
    data: DashboardData | None = None,
) -> tuple[Any, list[Any], Any, str, bool]:
    """Returns (url search, control values, chart topic, error text, error hidden).

    `trigger` is the id of what changed: "url" (page opened, back/forward), "clear-filters",
    or a control. Controls are validated exactly as the URL is; bad values are refused with a
    message and the view stays as it was.
    """
    blank = [no_update] * len(CONTROL_FIELDS)
    if trigger == "clear-filters":
        return "", controls_of(Filters()), DEFAULT_CHART_TOPIC, "", True
    if trigger in (None, "url"):
        try:
            state = page_state(search)
        except BadRequest as exc:
            return no_update, controls_of(Filters()), DEFAULT_CHART_TOPIC, _bad(exc), False
        if data is None:
            return no_update, controls_of(state.filters), state.chart_topic, "", True
        resolved, unknown = state.filters.resolve(data.snapshot().spellings)
        notice = _unknown(unknown)
        return no_update, controls_of(resolved), state.chart_topic, notice, not notice
    if not isinstance(values, list) or len(values) != len(CONTROL_FIELDS):
        return no_update, blank, no_update, "The filter controls sent an unexpected value.", False
    try:
        filters = Filters.from_mapping(dict(zip(CONTROL_FIELDS, values, strict=True)))
        state = PageState(filters, check_topic(chart_topic or DEFAULT_CHART_TOPIC))
    except (FilterError, BadRequest) as exc:
        return no_update, blank, no_update, _bad(exc), False
    query = page_query(state)
    current = search if isinstance(search, str) else ""
    return (query if query != current else no_update), blank, no_update, "", True


PICKER_PROPS = {"start_date": "date_from", "end_date": "date_to"}


def picker_dates(date_from: object, date_to: object) -> tuple[str | None, str | None]:
    """The date picker's days for the filters' dates: a year or month typed in the URL shows as
    its first day (from) or its last day (to), which selects the same claims."""
    return _full_day(date_from, first=True), _full_day(date_to, first=False)


def _full_day(value: object, *, first: bool) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    match = ISO_DATE.match(value)
    if match is None:
        return None
    year, month, day = match.groups()
    if day:
        return value
    if not month:
        return f"{year}-01-01" if first else f"{year}-12-31"
    try:
        last = calendar.monthrange(int(year), int(month))[1]
    except ValueError:  # no such month ("2024-13")
        return None
    return f"{year}-{month}-{'01' if first else last}"


def picked_values(values: list[Any], picked: dict[str, object]) -> list[Any]:
    """The control values with the picker's changed ends (`{"start_date": "2024-11-30"}`) in
    place of the typed dates; any other key is ignored."""
    out = list(values)
    for prop, value in picked.items():
        name = PICKER_PROPS.get(prop)
        if name is not None:
            out[CONTROL_FIELDS.index(name)] = value
    return out


def date_span(data: DashboardData) -> tuple[str, str] | None:
    """The first and last day of the loaded claims' dates (None when none is dated); worked
    out once per data version."""
    return data.drawn(("date span",), lambda: _span_of(data.snapshot().claims))


def _span_of(claims: Any) -> tuple[str, str] | None:
    dates = claims.get("date")
    if dates is None:
        return None
    # a month or year ends on its last day: "2024-12" lasts beyond "2024-12-05"
    values = set(dates.astype("string").dropna().unique())
    firsts = [d for d in (_full_day(v, first=True) for v in values) if d]
    lasts = [d for d in (_full_day(v, first=False) for v in values) if d]
    return (min(firsts), max(lasts)) if firsts else None


def _unknown(values: list[str]) -> str:
    if not values:
        return ""
    return (
        f"No loaded claim has {', '.join(values)}: nothing matches that filter. Check the "
        "spelling (names match in any case) or remove it."
    )


def _bad(exc: Exception) -> str:
    return f"This view cannot be shown: {exc}. Showing all claims instead; fix the filters above."


def filter_options(data: DashboardData) -> dict[str, list[dict[str, str]]]:
    """Options of the filter menus: the values present in the data, each with its count of
    claims ("SOHR (12)"), in the order of their labels (so "Killed" comes before "Killed or
    injured" and is what typing "killed" and Enter picks); the chart's topics are those with
    figures, and its default."""
    return data.drawn(("filter options",), lambda: _options_of(data.snapshot()))


def _options_of(snapshot: Any) -> dict[str, list[dict[str, str]]]:
    labels = _topic_labels()
    claims = snapshot.claims
    out: dict[str, list[dict[str, str]]] = {}
    for name in FILTER_FIELDS:
        values = snapshot.options.get(name, [])
        counts = claims[name].value_counts().to_dict() if name in claims.columns else {}
        shown = labels if name == "topic" else {}
        options = [
            {
                "label": f"{shown.get(v, v)} ({counts.get(v, 0):,})",
                "value": v,
                "search": shown.get(v, v),
            }
            for v in values
        ]
        out[name] = sorted(options, key=lambda o: (o["search"].casefold(), o["value"]))
    present = set(snapshot.options.get("topic", [])) | {DEFAULT_CHART_TOPIC}
    out["chart-topic"] = [
        {"label": label, "value": key} for key, label in labels.items() if key in present
    ]
    return out


def filter_chips(search: object) -> list[Any]:
    """The active filters as chips, each a button that removes its value from the view."""
    try:
        state = page_state(search)
    except BadRequest:
        return []
    labels = _topic_labels()
    chips = []
    for name in CONTROL_FIELDS:
        values = getattr(state.filters, name)
        for value in values if isinstance(values, tuple) else ((values,) if values else ()):
            shown = labels.get(value, value) if name == "topic" else value
            field = name.replace("_", " ")
            chips.append(
                html.Button(
                    [f"{field}: {shown or '(none)'}", html.Span(" ×", **{"aria-hidden": "true"})],
                    id={"type": "chip", "field": name, "value": value},
                    className="chip",
                    title=f"Remove the filter {field}: {shown}",
                    **{"aria-label": f"Remove the filter {field}: {shown}"},
                )
            )
    return chips


def without_chip(search: object, chip: object) -> Any:
    """The URL query without the chip's value; no_update for anything malformed."""
    if not isinstance(chip, dict) or chip.get("field") not in CONTROL_FIELDS:
        return no_update
    try:
        state = page_state(search)
    except BadRequest:
        return no_update
    name, value = chip["field"], chip.get("value")
    current = getattr(state.filters, name)
    if isinstance(current, tuple):
        changed = state.filters.with_(**{name: tuple(v for v in current if v != value)})
    else:
        changed = state.filters.with_(**{name: ""})
    return page_query(PageState(changed, state.chart_topic))


def register(app: Dash, data: DashboardData) -> None:
    @app.callback(Output("filter-chips", "children"), Input("url", "search"))
    def _chips(search):
        return filter_chips(search)

    @app.callback(
        Output("url", "search", allow_duplicate=True),
        Input({"type": "chip", "field": ALL, "value": ALL}, "n_clicks"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def _remove_chip(clicks, search):
        if not any(clicks or []):
            return no_update
        return without_chip(search, ctx.triggered_id)

    control_inputs = [Input(f"f-{name}", "value") for name in FILTER_FIELDS] + [
        Input(f"f-{name}", "value") for name in DATE_FIELDS
    ]

    @app.callback(
        Output("url", "search"),
        *[Output(f"f-{name}", "value") for name in CONTROL_FIELDS],
        Output("f-dates", "start_date"),
        Output("f-dates", "end_date"),
        Output("f-dates", "initial_visible_month"),
        Output("chart-topic", "value"),
        Output("filter-error", "children"),
        Output("filter-error", "hidden"),
        Input("url", "search"),
        *control_inputs,
        Input("f-dates", "start_date"),
        Input("f-dates", "end_date"),
        Input("chart-topic", "value"),
        Input("clear-filters", "n_clicks"),
    )
    def _sync(search, *rest):
        n = len(CONTROL_FIELDS)
        values, start, end, chart_topic = list(rest[:n]), rest[n], rest[n + 1], rest[n + 2]
        trigger = ctx.triggered_id
        if trigger == "f-dates":  # a day picked: the same values as typed dates
            picked = {"start_date": start, "end_date": end}
            changed = {t["prop_id"].rpartition(".")[2] for t in ctx.triggered}
            values = picked_values(values, {k: v for k, v in picked.items() if k in changed})
        if (trigger is not None and trigger.startswith("f-")) or trigger == "chart-topic":
            trigger = "control"
        url, controls, topic, error, hidden = sync_filters(
            trigger, search, values, chart_topic, data
        )
        if trigger == "control" and hidden:
            # the typed boxes and the picker show the same dates, whichever was used
            typed = values[-len(DATE_FIELDS) :]
            controls = [*controls[: -len(DATE_FIELDS)], *[v or None for v in typed]]
        dates = controls[-len(DATE_FIELDS) :]
        if any(d is no_update for d in dates):
            shown: tuple[Any, Any] = (no_update, no_update)
        else:
            shown = picker_dates(*dates)
        month = shown[0] or shown[1] or (date_span(data) or (None, None))[1]
        return (url, *controls, *shown, month or no_update, topic, error, hidden)

    @app.callback(
        *[Output(f"f-{name}", "options") for name in FILTER_FIELDS],
        Output("chart-topic", "options"),
        Output("f-dates", "min_date_allowed"),
        Output("f-dates", "max_date_allowed"),
        Input("data-version", "data"),
        prevent_initial_call=True,
    )
    def _options(_version):
        options = filter_options(data)
        first, last = date_span(data) or (None, None)
        return (*(options[name] for name in (*FILTER_FIELDS, "chart-topic")), first, last)
