"""CSV downloads of the current view: the grid's rows and columns, its groups, its pairs.

Cells a spreadsheet would run as a formula (starting with = + - @, tab or carriage return) are
prefixed with an apostrophe. File names say what they hold: claims_topic-killed_2026-11-25.csv.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pandas as pd
from dash import Dash, Input, Output, State, ctx

from claims.filters import DATE_FIELDS, LIST_FIELDS, Filters
from claims.model import CLAIM_CSV_COLUMNS
from claims.tables import neutralise_cell, to_csv_text
from dashboard.callbacks.common import BadRequest, page_state
from dashboard.data import MAX_GRID_ROWS, DashboardData

KINDS = ("claims", "all-claims", "groups", "pairs")
_SLUG = re.compile(r"[^A-Za-z0-9]+")


def safe_csv(frame: pd.DataFrame, *, raw: bool = False, bom: bool = False) -> str:
    """The frame as CSV text with every text cell (and header) neutralised, unless `raw`;
    with a UTF-8 byte-order mark first when `bom` (for Excel)."""
    # RFC 4180 line ends: a cell holding a bare carriage return is then quoted too
    return to_csv_text(frame, raw=raw, bom=bom, line_end="\r\n")


def file_name(kind: str, filters: Filters, today: dt.date | None = None) -> str:
    """`<kind>_<filters>_<date>.csv`, e.g. claims_topic-killed_2026-11-25.csv (all: `_all_`)."""
    parts = []
    for name in LIST_FIELDS:
        values = getattr(filters, name)
        if values:
            shown = "+".join(_SLUG.sub("-", v).strip("-")[:30] for v in values[:3])
            more = f"+{len(values) - 3}more" if len(values) > 3 else ""
            parts.append(f"{name.replace('_', '-')}-{shown}{more}")
    for name in DATE_FIELDS:
        if getattr(filters, name):
            parts.append(f"{name.replace('_', '-')}-{getattr(filters, name)}")
    label = "_".join(parts)[:120] or "all"
    return f"{kind}_{label}_{(today or dt.date.today()).isoformat()}.csv"


def grid_frame(claims: pd.DataFrame, claim_ids: object) -> pd.DataFrame:
    """The rows with these ids, in this order, with the grid's columns (unknown ids skipped)."""
    if not isinstance(claim_ids, list) or len(claim_ids) > MAX_GRID_ROWS:
        raise BadRequest(f"the grid sent more than {MAX_GRID_ROWS:,} rows or not a list")
    if not all(isinstance(i, str) and len(i) <= 64 for i in claim_ids):
        raise BadRequest("the grid sent row ids that are not claim ids")
    indexed = claims.drop_duplicates("claim_id").set_index("claim_id", drop=False)
    wanted = pd.Index(claim_ids)
    rows = indexed.loc[wanted[wanted.isin(indexed.index)]]
    return rows.reset_index(drop=True).reindex(columns=list(CLAIM_CSV_COLUMNS))


def build_download(
    data: DashboardData, kind: str, search: object, claim_ids: object
) -> tuple[dict[str, Any] | None, str]:
    """(dcc.Download data or None, message).

    `claims` = the grid's rows as shown; `all-claims` = every claim of the filters (the grid
    shows at most MAX_GRID_ROWS); `groups`/`pairs` = those of the filters.
    """
    if kind not in KINDS:
        return None, "Unknown download."
    try:
        state = page_state(search)
        view = data.view(state.filters)
        if kind == "claims":
            frame = grid_frame(view.claims, claim_ids)
        elif kind == "all-claims":
            frame = view.claims.reindex(columns=list(CLAIM_CSV_COLUMNS))
        elif kind == "groups":
            frame = view.comparison.groups
        else:
            frame = view.comparison.pairs
    except BadRequest as exc:
        return None, f"Nothing downloaded: {exc}."
    name = file_name(kind, state.filters)
    content = safe_csv(frame)
    return (
        {"content": content, "filename": name, "type": "text/csv", "base64": False},
        f"Downloaded {len(frame):,} {kind.replace('-', ' ')} as {name}.",
    )


def register(app: Dash, data: DashboardData) -> None:
    @app.callback(
        Output("download", "data"),
        Output("download-message", "children"),
        Input("download-claims", "n_clicks"),
        Input("download-groups", "n_clicks"),
        Input("download-pairs", "n_clicks"),
        Input("download-all-claims", "n_clicks"),
        State("url", "search"),
        State("grid-ids", "data"),
        prevent_initial_call=True,
    )
    def _download(_claims, _groups, _pairs, _all, search, claim_ids):
        kind = str(ctx.triggered_id or "").removeprefix("download-")
        return build_download(data, kind, search, claim_ids)


__all__ = ["build_download", "file_name", "grid_frame", "neutralise_cell", "register", "safe_csv"]
