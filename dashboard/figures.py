"""Pure figure builders: a claims (or matrix) DataFrame in, a titled `go.Figure` out.

Each builder `x_spec` returns the figure as plain dicts, which the callbacks send as they are;
`x` wraps the same spec in a `go.Figure` for everyone else (and the tests).

They never read the store and never see Dash, so they are tested without a browser. All text
that comes from articles is escaped before it reaches Plotly, whose hover and tick labels read
a small subset of HTML: a title holding `<script>` or `<a href="javascript:...">` is drawn as
those characters, never as markup.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

# Okabe-Ito, a palette that stays distinct under the common colour-vision deficiencies. Each
# family of outlets also gets its own marker symbol, so colour is never the only cue.
KIND_FAMILIES: dict[str, tuple[str, str, str]] = {
    # family: (label, colour, marker symbol)
    "monitor": ("Monitors, NGOs, UN", "#0072B2", "circle"),
    "wire": ("Wire agencies", "#009E73", "diamond"),
    "press": ("Newspapers, broadcasters, sites", "#56B4E9", "square"),
    "state": ("State, military, party media", "#D55E00", "triangle-up"),
    "research": ("Think tanks, books, journals", "#CC79A7", "pentagon"),
    "social": ("Blogs, social media", "#E69F00", "star"),
    "unknown": ("Outlet of unknown kind", "#999999", "cross"),
    "none": ("No citation", "#000000", "x-thin-open"),
}
FAMILY_OF_KIND: dict[str, str] = {
    "monitor": "monitor",
    "NGO": "monitor",
    "UN": "monitor",
    "news agency": "wire",
    "newspaper": "press",
    "news website": "press",
    "broadcaster": "press",
    "magazine": "press",
    "aggregator": "press",
    "state media": "state",
    "government": "state",
    "military": "state",
    "party-affiliated": "state",
    "think tank": "research",
    "book": "research",
    "journal": "research",
    "blog/social": "social",
    "social media": "social",
    "none": "none",
    "": "none",
}
COUNT_TOPIC_UNITS = {
    "captured": "places",
    "equipment": "items",
    "damage": "buildings",
    "strikes": "strikes",
}
MAX_PARTIES = 20  # rows of a figures-by-source chart; the parties with most claims are kept
MAX_MARKS = 3000  # marks on a chart; beyond it the largest claims per party are kept
MAX_MATRIX_SOURCES = 30
HOVER_QUOTE = 240  # characters of a quote shown in a hover


def kind_family(kind: object) -> str:
    """The colour family of an outlet kind ("state media" -> "state"); unknown kinds -> unknown."""
    if not isinstance(kind, str):
        return "none"
    return FAMILY_OF_KIND.get(kind, "unknown")


def topic_unit(topic: str) -> str:
    """What a topic's figures count, for axis titles ("people", "places", "items")."""
    return COUNT_TOPIC_UNITS.get(topic, "people" if topic != "other" else "count")


def escape_text(value: object, limit: int | None = None) -> str:
    """Article text made safe for Plotly's label markup: shortened, escaped, one line."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = " ".join(str(value).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return html.escape(text, quote=False)


def wrap(text: str, width: int = 60) -> str:
    """Break escaped text into `<br>`-joined lines for a hover box."""
    words, lines, line = text.split(" "), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return "<br>".join(lines)


def empty_spec(title: str, message: str) -> dict[str, Any]:
    """A titled, axis-free figure that says why it is empty and what to do."""
    return _figure(
        [],
        {
            "title": _title(title),
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "height": 260,
            "annotations": [
                {
                    "text": wrap(escape_text(message), 70),
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0.5,
                    "y": 0.5,
                    "showarrow": False,
                    "font": {"size": 14, "color": "#444"},
                }
            ],
        },
    )


LOG_AXIS = {"type": "log", "dtick": 1, "tickformat": ",.0f"}
"""A log axis ticked at powers of ten, written in full: 1, 10, 100, 1,000, 10,000."""

_AXIS = {
    "gridcolor": "#e6e6e6",
    "zerolinecolor": "#cccccc",
    "linecolor": "#999999",
    "automargin": True,
}


def _figure(traces: list[dict[str, Any]], layout: dict[str, Any]) -> dict[str, Any]:
    """A figure as plain trace and layout dicts, styled alike (what Dash sends to Plotly.js)."""
    merged = {**_base_layout(), **layout}
    for axis in ("xaxis", "yaxis"):
        merged[axis] = {**_AXIS, **merged.get(axis, {})}
    return {"data": traces, "layout": merged}


def as_figure(spec: dict[str, Any]) -> go.Figure:
    """A figure spec as a `go.Figure`, built without Plotly's per-property validation.

    Validation and the deep copies `go.Figure` makes dominate a callback with thousands of
    marks, so callbacks send the specs as they are; the specs are written to the schema and
    every builder is tested through this wrapper.
    """
    return go.Figure(data=spec["data"], layout=spec["layout"], _validate=False)


def _title(text: str) -> dict[str, object]:
    """A chart title, "Main title: units and how to read it" split into title and subtitle
    (short lines stay readable on a phone)."""
    main, _, sub = text.partition(" | ")
    title: dict[str, object] = {
        "text": escape_text(main),
        "y": 0.98,
        "yanchor": "top",
        "x": 0.01,
        "xanchor": "left",
    }
    if sub:
        title["subtitle"] = {"text": escape_text(sub), "font": {"size": 12, "color": "#555"}}
    return title


EXPORT_WIDTH = 900  # pixels of an exported image (times the export scale)
CAPTION_WIDTH = 120  # characters of a caption line at that width
CAPTION_LINE = 16  # pixels of a caption line


def with_export_caption(spec: dict[str, Any], caption: str, name: str) -> dict[str, Any]:
    """The figure with what its image export adds: the caption under its subtitle.

    The screen shows the chart as it was; `layout.meta.export` holds the layout changes of the
    exported image (`assets/chart-export.js` applies them to a copy when the chart's "download
    as PNG" button is pressed): the title with the caption as further subtitle lines, the top
    margin grown by the caption's height, and the image's width, extra height and file name.
    """
    layout = spec["layout"]
    lines = wrap(escape_text(caption), CAPTION_WIDTH)
    extra = CAPTION_LINE * (lines.count("<br>") + 1) + 6
    title = dict(layout.get("title") or {})
    subtitle = dict(title.get("subtitle") or {"font": {"size": 12, "color": "#555"}})
    shown = subtitle.get("text", "")
    subtitle["text"] = f"{shown}<br>{lines}" if shown else lines
    title["subtitle"] = subtitle
    margin = dict(layout.get("margin") or {})
    margin["t"] = int(margin.get("t", 80)) + extra
    export = {
        "layout": {"title": title, "margin": margin},
        "width": EXPORT_WIDTH,
        "height_extra": extra,
        "filename": name,
        "caption": caption,
    }
    meta = dict(layout.get("meta") or {})
    meta["export"] = export
    return {**spec, "layout": {**layout, "meta": meta}}


def exported_layout(spec: dict[str, Any]) -> dict[str, Any]:
    """The layout of a figure's exported image: its layout with `meta.export`'s changes, as
    `assets/chart-export.js` merges them (one level deep)."""
    layout = spec["layout"]
    export = layout.get("meta", {}).get("export")
    if not export:
        return dict(layout)
    return {**layout, **export["layout"]}


def _base_layout() -> dict[str, object]:
    return {
        "template": {},  # styled here; plotly's default template would add ~10 KB per chart
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 10, "r": 10, "t": 80, "b": 120},
        "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 12},
        "hoverlabel": {"align": "left", "font": {"size": 12}},
        # the legend sits under the plot, clear of the title and subtitle at any width
        "legend": {
            "orientation": "h",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "x": 0,
            "title": {"text": "Source kind"},
        },
        "modebar": {"orientation": "v"},
    }


def _counts(claims: pd.DataFrame, topic: str) -> pd.DataFrame:
    """Claims of a topic that give a count (not a share) with at least one end."""
    if claims.empty or "topic" not in claims.columns:
        return claims.iloc[0:0]
    claims = chart_frame(claims)
    rows = claims[claims["topic"].astype("string").eq(topic)]
    if "unit" in rows.columns:
        rows = rows[rows["unit"].astype("string").fillna("").eq("")]
    if "thing" in rows.columns and topic_unit(topic) == "people":
        # a force's 500 tanks or 3 brigades are no head count: the axis counts people
        thing = rows["thing"]
        rows = rows[thing.isna() | (thing == "")]
    low = pd.to_numeric(rows["value_low"], errors="coerce")
    high = pd.to_numeric(rows["value_high"], errors="coerce")
    rows = rows.assign(_low=low, _high=high)
    return rows[rows["_low"].notna() | rows["_high"].notna()]


PREPARED = ("_hover", "_when", "_family")
CHART_COLUMNS = (
    "claim_id", "topic", "party", "value_low", "value_high", "value_text", "unit", "thing",
    "source", "source_kind", "date", *PREPARED,
)  # fmt: skip


def chart_frame(claims: pd.DataFrame) -> pd.DataFrame:
    """Only the columns charts read: cheaper to slice and copy than the full claims frame.

    Builders call it themselves; a caller drawing several charts of one view calls it once.
    """
    wanted = [c for c in CHART_COLUMNS if c in claims.columns or c in PREPARED]
    if list(claims.columns) == wanted:
        return claims
    return prepare_claims(claims)[wanted]


def prepare_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """The claims with what every chart needs computed once: escaped hover text, the date as
    a full ISO day (None when undated) and the colour family. Done once per data version."""
    if all(column in claims.columns for column in PREPARED):
        return claims
    blank = pd.Series("", index=claims.index)
    outlet = _escaped(claims.get("source_name", blank), 80).replace("", "(no citation)")
    claimant = _escaped(claims.get("claimant", blank), 60)
    hover = (
        "<b>"
        + outlet
        + "</b>: "
        + _escaped(claims.get("value_text", blank), 60)
        + "<br>Party: "
        + _escaped(claims.get("party", blank), 60)
        + "  Date: "
        + _escaped(claims.get("date", blank), 20).replace("", "undated")
        + claimant.where(claimant.eq(""), "<br>Claimant: " + claimant)
        + "<br><i>"
        + _escaped(claims.get("quote", blank), HOVER_QUOTE, wrap_at=70)
        + "</i>"
    )
    return claims.assign(
        _hover=hover.astype(object),
        _when=claim_dates(claims.get("date", blank)).dt.strftime("%Y-%m-%d").astype(object),
        _family=claims.get("source_kind", blank).map(kind_family).astype(object),
    )


def _hover_rows(rows: pd.DataFrame) -> np.ndarray:
    """customdata for claim marks: claim_id (read back by chart clicks) and the hover text."""
    # a fixed-width text array: copied and serialised as one block, not string by string
    return np.column_stack([rows["claim_id"].astype(str), rows["_hover"].astype(str)]).astype(str)


def _escaped(values: pd.Series, limit: int, wrap_at: int = 0) -> pd.Series:
    """`escape_text` over a column at once; long text broken into lines of about `wrap_at`."""
    text = values.astype("string").fillna("").str.replace(r"\s+", " ", regex=True).str.strip()
    long = text.str.len() > limit
    text = text.where(~long, text.str.slice(0, limit - 1).str.rstrip() + "…")
    text = text.str.replace("&", "&amp;", regex=False)
    text = text.str.replace("<", "&lt;", regex=False).str.replace(">", "&gt;", regex=False)
    if wrap_at:
        text = text.str.replace(rf"(.{{{wrap_at}}}\S*) ", r"\1<br>", regex=True)
    return text.astype(object)


HOVER_TEMPLATE = "%{customdata[1]}<extra></extra>"


def _split(rows: pd.DataFrame, column: str) -> dict[object, pd.DataFrame]:
    """The rows grouped by one column's values, split in one pass."""
    return {key: part for key, part in rows.groupby(column, sort=False)}


def _limit_marks(rows: pd.DataFrame, parties: list[str]) -> pd.DataFrame:
    rows = rows[rows["party"].isin(parties)]
    if len(rows) <= MAX_MARKS:
        return rows
    per_party = max(1, MAX_MARKS // max(1, len(parties)))
    rows = rows.assign(_size=rows["_high"].fillna(rows["_low"]))
    return rows.sort_values("_size", ascending=False).groupby("party", sort=False).head(per_party)


def figures_by_source_spec(
    claims: pd.DataFrame, topic: str, topic_label: str = ""
) -> dict[str, Any]:
    """One row per party; each claim a point (exact) or a low-high bar (range), by source kind.

    Open ends are drawn as an arrow-like marker at the known end ("more than 30" -> ▶ at 30).
    """
    label = topic_label or topic.capitalize()
    unit = topic_unit(topic)
    title = f"{label}: figures by source | {unit}; a point per exact figure, a bar per range"
    rows = _counts(claims, topic)
    if rows.empty:
        return empty_spec(
            title,
            f"No {label.lower()} figures in this view. Clear some filters, choose another topic "
            "for the chart, or upload an article.",
        )
    rows = rows.assign(party=rows["party"].astype("string").fillna("").replace("", "(unnamed)"))
    order = rows["party"].value_counts().index.tolist()[:MAX_PARTIES]
    rows = _limit_marks(rows, order)
    position = {party: i for i, party in enumerate(reversed(order))}
    rows = rows.sort_values(["party", "source"], kind="stable")
    # spread the sources of a party over its row band so that marks do not hide each other
    rank = rows.groupby("party", sort=False).cumcount()
    size = rows.groupby("party", sort=False)["party"].transform("size")
    # within the party's own band (±0.3), rows parted by lines: no mark sits between rows
    offset = np.where(size > 1, (rank / (size - 1).clip(lower=1) - 0.5) * 0.6, 0.0)
    rows = rows.assign(_y=rows["party"].map(position).astype(float) + offset)

    traces = []
    by_family = _split(rows, "_family")
    for family, (family_label, colour, symbol) in KIND_FAMILIES.items():
        part = by_family.get(family)
        if part is None:
            continue
        low, high = part["_low"], part["_high"]
        x = low.fillna(high)
        plus = (high - x).where(high.notna() & low.notna(), 0).fillna(0)
        symbols = np.where(
            high.isna(), "triangle-right", np.where(low.isna(), "triangle-left", symbol)
        )
        traces.append(
            {
                "type": "scatter",
                "x": x.to_numpy(),
                "y": part["_y"].to_numpy(),
                "mode": "markers",
                "name": family_label,
                "legendgroup": family,
                "marker": {
                    "color": colour,
                    "symbol": symbols,
                    "size": 10,
                    "line": {"width": 1, "color": "#222"},
                },
                "error_x": {
                    "type": "data",
                    "symmetric": False,
                    "array": plus.to_numpy(),
                    "arrayminus": np.zeros(len(part)),
                    "color": colour,
                    "thickness": 4,
                    "width": 0,
                },
                "customdata": _hover_rows(part),
                "hovertemplate": HOVER_TEMPLATE,
            }
        )
    return _figure(
        traces,
        {
            "title": _title(title),
            "xaxis": {
                "title": {"text": f"{label} ({unit}, log scale)"},
                **LOG_AXIS,
            },
            "yaxis": {
                "title": {"text": "Party"},
                "tickvals": list(position.values()),
                "ticktext": [escape_text(p, 40) for p in position],
                "range": [-0.5, len(position) - 0.5],
                "showgrid": False,
                "automargin": True,
            },
            "shapes": [
                {
                    "type": "line",
                    "xref": "paper",
                    "x0": 0,
                    "x1": 1,
                    "y0": i + 0.5,
                    "y1": i + 0.5,
                    "line": {"color": "#d9d9d9", "width": 1},
                }
                for i in range(len(position) - 1)
            ],
            "height": max(360, 200 + 48 * len(position)),
        },
    )


def agreement_matrix_spec(matrix: pd.DataFrame) -> dict[str, Any]:
    """Source x source heatmap: share of compared pairs in conflict, with the counts in hover.

    `matrix` is `Comparison.matrix()` in long form: source_a, source_b, verdict, count.
    """
    title = "Agreement between sources | share of the figures both gave that conflict"
    if matrix is not None and not matrix.empty:
        # a figure no citation backs is nobody's: it is not a source to agree with
        named = (matrix["source_a"].astype(str) != "") & (matrix["source_b"].astype(str) != "")
        matrix = matrix[matrix["verdict"].isin(["agree", "conflict"]) & named]
    if matrix is None or matrix.empty:
        return empty_spec(
            title,
            "No two sources give a figure for the same thing in this view. Widen the filters "
            "(more articles, topics or sources) to compare them.",
        )
    long = matrix.assign(
        source_a=matrix["source_a"].astype(str).replace("", "(no citation)"),
        source_b=matrix["source_b"].astype(str).replace("", "(no citation)"),
    )
    # each unordered pair counts once, then is mirrored so the matrix reads the same both ways
    mirrored = long.rename(columns={"source_a": "source_b", "source_b": "source_a"})
    both = pd.concat([long, mirrored[long["source_a"] != long["source_b"]]], ignore_index=True)
    totals = both.groupby("source_a")["count"].sum().sort_values(ascending=False, kind="stable")
    sources = totals.index[:MAX_MATRIX_SOURCES].tolist()
    position = {source: i for i, source in enumerate(sources)}
    inside = both[both["source_a"].isin(position) & both["source_b"].isin(position)]
    rows = inside["source_a"].map(position).to_numpy(dtype=int)
    cols = inside["source_b"].map(position).to_numpy(dtype=int)
    counts = pd.to_numeric(inside["count"], errors="coerce").fillna(0).to_numpy(dtype=float)
    is_agree = inside["verdict"].eq("agree").to_numpy()
    agree = np.zeros((len(sources), len(sources)))
    conflict = np.zeros((len(sources), len(sources)))
    np.add.at(agree, (rows[is_agree], cols[is_agree]), counts[is_agree])
    np.add.at(conflict, (rows[~is_agree], cols[~is_agree]), counts[~is_agree])
    compared = agree + conflict
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(compared > 0, conflict / compared, np.nan)
    labels = [escape_text(s, 30) for s in sources]
    text = np.where(
        compared > 0,
        np.char.add(
            np.char.add(agree.astype(int).astype(str), " agree / "),
            np.char.add(conflict.astype(int).astype(str), " conflict"),
        ),
        "not compared",
    )
    heatmap = {
        "type": "heatmap",
        "z": share,
        "x": labels,
        "y": labels,
        "zmin": 0,
        "zmax": 1,
        "colorscale": [[0.0, "#0072B2"], [0.5, "#F7F7F7"], [1.0, "#D55E00"]],
        "colorbar": {"title": {"text": "share in conflict"}, "tickformat": ".0%"},
        "customdata": text,
        "hovertemplate": "%{y} vs %{x}<br>%{customdata}<extra></extra>",
        "xgap": 1,
        "ygap": 1,
    }
    return _figure(
        [heatmap],
        {
            "title": _title(title),
            "xaxis": {"title": {"text": "Source"}, "tickangle": -45, "automargin": True},
            "yaxis": {"title": {"text": "Source"}, "autorange": "reversed", "automargin": True},
            "height": max(360, 160 + 22 * len(sources)),
        },
    )


def claim_dates(dates: pd.Series) -> pd.Series:
    """ISO dates at any precision ("2024", "2024-11", "2024-11-30") as timestamps; else NaT."""
    text = dates.astype("string").fillna("").str.slice(0, 10)
    padded = text.where(text.str.len() != 7, text + "-01")
    padded = padded.where(padded.str.len() != 4, padded + "-01-01")
    return pd.to_datetime(padded, format="%Y-%m-%d", errors="coerce")


def timeline_spec(
    claims: pd.DataFrame, topic_labels: dict[str, str] | None = None
) -> dict[str, Any]:
    """Claims by date (x) and topic (row); marker size grows with the figure (log)."""
    title = "Claims over time | by date and topic; a bigger marker is a bigger figure"
    if claims.empty:
        return empty_spec(title, "No claims in this view. Clear some filters or upload an article.")
    rows = chart_frame(claims)
    rows = rows[rows["_when"].notna()]
    if rows.empty:
        return empty_spec(
            title,
            "None of the claims in this view carries a date. Widen the filters to see dated ones.",
        )
    labels = topic_labels or {}
    value = pd.to_numeric(rows["value_high"], errors="coerce").fillna(
        pd.to_numeric(rows["value_low"], errors="coerce")
    )
    rows = rows.assign(
        _size=6 + 3 * np.log10(value.fillna(1).clip(lower=1)),
        _topic=rows["topic"]
        .map({t: escape_text(labels.get(t, t), 30) for t in rows["topic"].unique()})
        .astype(object),
    )
    if len(rows) > MAX_MARKS:
        rows = rows.sort_values("_size", ascending=False).head(MAX_MARKS)
    traces = []
    by_family = _split(rows, "_family")
    for family, (family_label, colour, symbol) in KIND_FAMILIES.items():
        part = by_family.get(family)
        if part is None:
            continue
        traces.append(
            {
                "type": "scatter",
                "x": part["_when"].to_numpy(dtype=str),
                "y": part["_topic"].to_numpy(dtype=str),
                "mode": "markers",
                "name": family_label,
                "marker": {
                    "color": colour,
                    "symbol": symbol,
                    "size": part["_size"].to_numpy(),
                    "opacity": 0.8,
                    "line": {"width": 0.5, "color": "#222"},
                },
                "customdata": _hover_rows(part),
                "hovertemplate": HOVER_TEMPLATE,
            }
        )
    xaxis: dict[str, Any] = {"title": {"text": "Date of the claim"}, "type": "date"}
    days = rows["_when"].dropna()
    if not days.empty:  # ISO days: their order as text is their order in time
        first, last = pd.Timestamp(days.min()), pd.Timestamp(days.max())
        if last - first < pd.Timedelta(days=2):
            # claims of one day: a month around it, not an axis of milliseconds
            pad = pd.Timedelta(days=15)
            xaxis["range"] = [str((first - pad).date()), str((last + pad).date())]
    return _figure(
        traces,
        {
            "title": _title(title),
            "xaxis": xaxis,
            "yaxis": {"title": {"text": "Topic"}, "automargin": True, "type": "category"},
            "height": max(320, 120 + 40 * rows["_topic"].nunique()),
        },
    )


HISTORY_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
HISTORY_SYMBOLS = ("circle", "triangle-up", "diamond", "square", "x", "star")
MAX_HISTORY_FIGURES = len(HISTORY_COLOURS)


def history_steps_spec(steps: pd.DataFrame) -> dict[str, Any]:
    """Each followed figure's value across its article's revisions, as steps (x: the
    revision's time, y: the figure's value, the middle of its range), one line per figure;
    a removal breaks its line. Hovering a step names its revision, event and source."""
    title = "How these figures changed | their value after each revision that changed them"
    if steps.empty:
        return empty_spec(title, "No revision history was loaded for these figures.")
    traces = []
    figures = list(dict.fromkeys(steps["figure_id"]))[:MAX_HISTORY_FIGURES]
    for k, figure_id in enumerate(figures):
        part = steps[steps["figure_id"] == figure_id]
        low = pd.to_numeric(part["value_low"], errors="coerce")
        high = pd.to_numeric(part["value_high"], errors="coerce")
        middle = ((low + high) / 2).fillna(low).fillna(high)
        hover = np.column_stack(
            [
                _escaped(part["revision"].astype(str), 20),
                _escaped(part["detail"].astype(str), 120, 60),
                _escaped(part["comment"].astype(str), 120, 60),
            ]
        )
        traces.append(
            {
                "type": "scatter",
                "x": part["timestamp"].to_numpy(dtype=str),
                "y": [None if pd.isna(v) else float(v) for v in middle],
                "mode": "lines+markers",
                "line": {"shape": "hv", "color": HISTORY_COLOURS[k], "width": 2},
                "marker": {"symbol": HISTORY_SYMBOLS[k], "size": 8, "color": HISTORY_COLOURS[k]},
                "connectgaps": False,
                "name": escape_text(str(part["figure"].iloc[0]), 70),
                "customdata": hover,
                "hovertemplate": "revision %{customdata[0]}<br>%{customdata[1]}"
                "<br><i>%{customdata[2]}</i><extra></extra>",
            }
        )
    return _figure(
        traces,
        {
            "title": _title(title),
            "xaxis": {"title": {"text": "Revision time"}, "type": "date"},
            "yaxis": {"title": {"text": "Value"}, "rangemode": "tozero"},
            "legend": {**_base_layout()["legend"], "title": {"text": "Figure"}},
            "height": 380,
        },
    )


def history_steps(steps: pd.DataFrame) -> go.Figure:
    return as_figure(history_steps_spec(steps))


def losses_by_affiliation_spec(
    claims: pd.DataFrame, topics: Iterable[str] = ("killed",), topic_label: str = "Killed"
) -> dict[str, Any]:
    """Each party's losses as claimed by each family of outlets: the lowest and the highest
    figure that family's outlets claim, joined by a bar (only figures somebody gave are drawn,
    never a median or a sum nobody claimed).

    Puts what belligerents' own media say next to monitors and wire agencies.
    """
    wanted = tuple(topics)
    unit = topic_unit(wanted[0]) if wanted else "people"
    title = (
        f"{topic_label} by party and kind of source | the lowest to the highest figure each "
        f"kind of source claims, {unit}"
    )
    rows = pd.concat([_counts(claims, t) for t in wanted]) if wanted else claims.iloc[0:0]
    if rows.empty:
        return empty_spec(
            title, f"No {topic_label.lower()} figures in this view. Clear some filters."
        )
    rows = rows.assign(
        party=rows["party"].astype("string").fillna("").replace("", "(unnamed)"),
        _least=rows["_low"].fillna(rows["_high"]),
        _most=rows["_high"].fillna(rows["_low"]),
        _said=_escaped(rows["source"].astype("string").fillna("").replace("", "(no citation)"), 40)
        + " "
        + _escaped(rows["value_text"], 40),
    )
    parties = rows["party"].value_counts().index.tolist()[:MAX_PARTIES]
    rows = rows[rows["party"].isin(parties)]
    summary = (
        rows.groupby(["party", "_family"], observed=True)
        .agg(
            least=("_least", "min"),
            most=("_most", "max"),
            size=("_least", "size"),
            said=("_said", lambda said: "<br>".join(list(dict.fromkeys(said))[:8])),
        )
        .reset_index()
    )
    traces = []
    for family, (family_label, colour, symbol) in KIND_FAMILIES.items():
        part = summary[summary["_family"] == family]
        if part.empty:
            continue
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [escape_text(p, 40) for p in part["party"]],
                "y": part["least"].to_numpy(),
                "name": family_label,
                "offsetgroup": family,
                "marker": {"color": colour, "symbol": symbol, "size": 10,
                           "line": {"width": 1, "color": "#222"}},
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": (part["most"] - part["least"]).to_numpy(),
                    "arrayminus": np.zeros(len(part)),
                    "color": colour,
                    "thickness": 6,
                    "width": 8,
                },
                "customdata": np.column_stack(
                    [part["most"].to_numpy(), part["size"].to_numpy(), part["said"].to_numpy()]
                ),
                "hovertemplate": (
                    f"%{{x}}<br>{escape_text(family_label)}: %{{y:,.0f}} to "
                    f"%{{customdata[0]:,.0f}} {unit}<br>%{{customdata[1]}} claims:<br>"
                    "%{customdata[2]}<extra></extra>"
                ),
            }
        )  # fmt: skip
    return _figure(
        traces,
        {
            "title": _title(title),
            "scattermode": "group",
            "xaxis": {
                "title": {"text": "Party"},
                "categoryorder": "array",
                "categoryarray": [escape_text(p, 40) for p in parties],
                "automargin": True,
            },
            "yaxis": {"title": {"text": f"{topic_label} ({unit}, log scale)"}, **LOG_AXIS},
            "height": 440,
        },
    )


def _pattern(family: str) -> str:
    return {"state": "/", "social": "x", "research": ".", "unknown": "-"}.get(family, "")


def empty_figure(title: str, message: str) -> go.Figure:
    """A titled, axis-free figure that says why it is empty and what to do."""
    return as_figure(empty_spec(title, message))


def figures_by_source(claims: pd.DataFrame, topic: str, topic_label: str = "") -> go.Figure:
    """One row per party; each claim a point or a low-high bar, coloured by source kind."""
    return as_figure(figures_by_source_spec(claims, topic, topic_label))


def agreement_matrix(matrix: pd.DataFrame) -> go.Figure:
    """Source x source heatmap of the share of shared figures in conflict."""
    return as_figure(agreement_matrix_spec(matrix))


def timeline(claims: pd.DataFrame, topic_labels: dict[str, str] | None = None) -> go.Figure:
    """Claims by date and topic."""
    return as_figure(timeline_spec(claims, topic_labels))


def losses_by_affiliation(
    claims: pd.DataFrame, topics: Iterable[str] = ("killed",), topic_label: str = "Killed"
) -> go.Figure:
    """Each party's losses as claimed by each family of outlets."""
    return as_figure(losses_by_affiliation_spec(claims, topics, topic_label))
