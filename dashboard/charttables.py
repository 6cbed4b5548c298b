"""Each chart's table alternative: an HTML table of exactly the rows its data link downloads.

The rows come from the same function as `/chart/<id>.csv` (`charts.chart_view_rows` then
`charts.data_layout`), so the table, the CSV and the image's caption cannot disagree.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from dash import html

from dashboard.callbacks.charts import (
    BadRequest,
    chart_caption,
    chart_name,
    chart_view_rows,
    data_layout,
)
from dashboard.data import DashboardData

CLAIM_TABLE_COLUMNS = (
    ("source", "Source"),
    ("value_text", "Figure as written"),
    ("value_low", "Low"),
    ("value_high", "High"),
    ("unit", "Unit"),
    ("party", "Party"),
    ("topic", "Topic"),
    ("date", "Date"),
)
MATRIX_TABLE_COLUMNS = (
    ("source_a", "Source"),
    ("source_b", "Other source"),
    ("verdict", "Verdict"),
    ("count", "Pairs of figures"),
)
MAX_TABLE_ROWS = 500  # rows written into the page; the data link holds them all


def table_columns(chart_id: str) -> tuple[tuple[str, str], ...]:
    return MATRIX_TABLE_COLUMNS if chart_id == "chart-matrix" else CLAIM_TABLE_COLUMNS


def cell_text(value: object) -> str:
    """A cell as the table shows it: numbers with thousands separators, blanks for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    if pd.isna(value):
        return ""
    return str(value)


def chart_table(data: DashboardData, search: object, chart_id: str) -> Any:
    """The table of one chart of the URL's view, with a caption naming what it holds."""
    try:
        charted, rows, state = chart_view_rows(data, search, chart_id)
    except BadRequest as exc:
        return html.P(f"No table: {exc}.", className="error")
    frame = data_layout(rows, chart_id)
    columns = table_columns(chart_id)
    shown = frame.head(MAX_TABLE_ROWS)
    caption = [
        html.Strong(f"{chart_name(chart_id, state.chart_topic)}: the data of the chart. "),
        chart_caption(rows, chart_id, charted.filters),
    ]
    if len(frame) > len(shown):
        caption.append(
            f" The first {len(shown):,} of {len(frame):,} rows are shown; the chart's data "
            "link (CSV) holds them all."
        )
    head = html.Thead(html.Tr([html.Th(label, scope="col") for _name, label in columns]))
    body = html.Tbody(
        [
            html.Tr([html.Td(cell_text(row.get(name))) for name, _label in columns])
            for row in shown.astype(object).to_dict("records")
        ]
    )
    return html.Div(
        html.Table([html.Caption(caption), head, body], className="page-table chart-table-rows"),
        className="table-scroll",
    )
