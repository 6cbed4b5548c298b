"""Data addresses, as datasette gives them: every page's content as `.csv` and `.json`.

- `/group/<id>.csv`, `/group/<id>.json`: the group's claims (and, in JSON, its finding and
  pairs);
- `/claim/<id>.csv`, `/claim/<id>.json`: the claim (and, in JSON, its pairs and the history
  of its figure when a drift table is loaded);
- `/source/<name>.csv`, `/source/<name>.json`: the source's claims (and its pairs);
- `/changes.csv`, `/changes.json`: the "changed recently" list under the query string's
  `event` and `article` (`/changes.json?event=raised&article=Raid`), newest first;
- `/disputes.csv`, `/disputes.json`: the landing list under the filters of the query string
  (`/disputes.json?topic=killed`), one row per group;
- `/chart/<chart id>.csv`: what one chart of the view draws (under the query string's
  filters and chart topic);
- `/datapackage.json`: the data dictionary (a Frictionless data package) of every table the
  dashboard serves or downloads: each column's type and meaning.

CSV cells are neutralised against spreadsheet formulas as every download is, unless the query
string asks for `raw=1` (every cell exactly as stored, for programs); `bom=1` starts the CSV with
a UTF-8 byte-order mark, for Excel. JSON always holds the values exactly. An unknown group or
source is a 404 with one line, a bad filter or a bad CSV option a 400 with one line.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd
from flask import Flask, Response, request

from claims.filters import FilterError, Filters
from claims.findings import disputed_groups, findings
from dashboard.callbacks.common import topic_labels
from dashboard.callbacks.downloads import safe_csv
from dashboard.data import DashboardData
from dashboard.pages import PageData, PageNotFound, claim_data, group_data, source_data

MAX_LISTED = 10_000  # groups in a disputes download


def _plain(value: Any) -> Any:
    """A value JSON can hold: NaN and missing values as null, numpy scalars as Python's."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else str(value)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [_plain(row) for row in frame.astype(object).to_dict("records")]


def json_response(payload: Any, status: int = 200) -> Response:
    body = json.dumps(_plain(payload), ensure_ascii=False, indent=1)
    return Response(body, status=status, mimetype="application/json")


CSV_OPTIONS = ("bom", "raw")
"""Query parameters of a `.csv` address: `bom=1` (a byte-order mark), `raw=1` (no guard)."""


class BadOption(ValueError):
    """A CSV option of the query string that is neither 1 nor 0 (a one-line reason)."""


def csv_options(args: Mapping[str, str]) -> dict[str, bool]:
    """`bom` and `raw` of a query string (each 1/true/yes or 0/false/no, default 0)."""
    options = {}
    for name in CSV_OPTIONS:
        value = args.get(name, "0").strip().lower()
        if value not in _YES + _NO:
            raise BadOption(f"{name}={value[:20]!r}: use {name}=1 or {name}=0")
        options[name] = value in _YES
    return options


_YES, _NO = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


def csv_response(frame: pd.DataFrame, name: str) -> Response:
    """The table as a CSV attachment, with the CSV options of the request's query string."""
    try:
        options = csv_options(request.args)
    except BadOption as exc:
        return _error(f"bad CSV option: {exc}", 400)
    body = safe_csv(frame, **options)
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _error(message: str, status: int) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")


def page_response(page: PageData, suffix: str) -> Response:
    if suffix == "csv":
        return csv_response(page.claims, f"{page.kind}_{page.key}"[:100])
    summary = dict(page.summary)
    extra = {}
    if isinstance(summary.get("history"), pd.DataFrame):  # a claim's figure's history
        extra["history"] = records(summary.pop("history"))
    return json_response(
        {
            page.kind: summary,
            "claims": records(page.claims),
            "pairs": records(page.pairs),
            **extra,
        }
    )


def disputes_frame(data: DashboardData, filters: Filters) -> tuple[pd.DataFrame, int]:
    """The landing list of `filters` as a table (one row per group, in the list's order), and
    how many groups it holds in all."""
    view = data.view(filters)
    ordered = disputed_groups(view.comparison.groups)
    listed = findings(
        view.comparison, limit=MAX_LISTED, topic_labels=topic_labels(), ordered=ordered
    )
    rows = [
        {
            "group_id": f.group_id,
            "article": f.article,
            "title": f.title,
            "verdict": f.verdict,
            "finding": f.sentence,
            "kept_apart": "; ".join(f.kept_apart),
            "gap": f.gap,
            "n_independent": f.n_independent,
            "figures": "; ".join(m.label for m in f.marks),
            "rules": f.rules,
            "sum_check": f.sum_check,
        }
        for f in listed
    ]
    return pd.DataFrame(rows, columns=list(DISPUTE_COLUMNS)), len(ordered)


DISPUTE_COLUMNS = ("group_id", "article", "title", "verdict", "finding", "kept_apart", "gap",
                   "n_independent", "figures", "rules", "sum_check")  # fmt: skip


def dashboard_datapackage(data: DashboardData) -> dict[str, Any]:
    """The data dictionary of what the dashboard downloads and serves (one claims layout)."""
    from claims.datapackage import datapackage
    from claims.model import CLAIM_CSV_COLUMNS

    comparison = data.snapshot().comparison
    return datapackage(
        {
            "claims": ("claims.csv", "claims", CLAIM_CSV_COLUMNS),
            "groups": ("groups.csv", "groups", list(comparison.groups.columns)),
            "pairs": ("pairs.csv", "pairs", list(comparison.pairs.columns)),
            "disputes": ("/disputes.csv", "disputes", DISPUTE_COLUMNS),
        }
    )


def add_data_routes(server: Flask, data: DashboardData) -> None:
    @server.route("/datapackage.json")
    def data_dictionary() -> Response:
        return json_response(dashboard_datapackage(data))

    @server.route("/group/<group_id>.<any(csv, json):suffix>")
    def group_file(group_id: str, suffix: str) -> Response:
        try:
            return page_response(group_data(data.snapshot(), group_id), suffix)
        except PageNotFound as exc:
            return _error(str(exc), 404)

    @server.route("/claim/<claim_id>.<any(csv, json):suffix>")
    def claim_file(claim_id: str, suffix: str) -> Response:
        try:
            return page_response(claim_data(data.snapshot(), claim_id, data.history), suffix)
        except PageNotFound as exc:
            return _error(str(exc), 404)

    @server.route("/changes.<any(csv, json):suffix>")
    def changes_file(suffix: str) -> Response:
        from dashboard.changes import BadQuery, changes_frame, read_query

        if data.history is None:
            return _error("no revision history is loaded (claims serve --history FILE)", 404)
        try:
            query = read_query(request.query_string.decode("utf-8", "replace"))
        except BadQuery as exc:
            return _error(f"bad query: {exc}", 400)
        frame = changes_frame(data.snapshot(), data.history, query)
        if suffix == "csv":
            return csv_response(frame, "changes")
        return json_response(
            {
                "query": query.to_query().lstrip("?"),
                "count": len(frame),
                "changes": records(frame),
            }
        )

    @server.route("/source/<path:name>.<any(csv, json):suffix>")
    def source_file(name: str, suffix: str) -> Response:
        try:
            return page_response(source_data(data.snapshot(), name), suffix)
        except PageNotFound as exc:
            return _error(str(exc), 404)

    @server.route("/chart/<chart_id>.csv")
    def chart_file(chart_id: str) -> Response:
        from dashboard.callbacks.charts import chart_data
        from dashboard.callbacks.common import BadRequest

        try:
            frame = chart_data(data, request.query_string.decode("utf-8", "replace"), chart_id)
        except BadRequest as exc:
            return _error(f"no chart data: {exc}", 400)
        return csv_response(frame, chart_id)

    @server.route("/disputes.<any(csv, json):suffix>")
    def disputes_file(suffix: str) -> Response:
        try:
            filters = Filters.from_query(request.query_string.decode("utf-8", "replace"))
        except FilterError as exc:
            return _error(f"bad filter: {exc}", 400)
        frame, groups = disputes_frame(data, filters)
        if suffix == "csv":
            return csv_response(frame, "disputes")
        return json_response(
            {
                "filters": filters.to_query(),
                "groups": groups,
                "disputes": records(frame),
            }
        )
