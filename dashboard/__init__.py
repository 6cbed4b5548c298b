"""The Counterclaim dashboard: a Dash app that asks `claims` for data and draws it.

`create_app(store)` builds the same app for `python -m dashboard`, `claims serve`, gunicorn
(`dashboard.wsgi:server`) and the tests, each with its own store.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from dash import Dash, html, set_props
from dash.exceptions import DependencyException
from flask import Response, jsonify

from claims.bundled import bundled_folder
from claims.errors import CounterclaimError
from dashboard.callback_requests import BadRequestTally, callback_problem
from dashboard.data import DashboardData
from dashboard.layout import MAX_UPLOAD_BYTES, build_layout

if TYPE_CHECKING:
    from claims.store import Store

ASSETS = bundled_folder("dashboard", "assets") or Path(__file__).resolve().parent / "assets"
MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES * 3 // 2 + 256 * 1024  # a base64 upload and its envelope
log = logging.getLogger("dashboard")


def create_app(
    store: Store | None = None,
    *,
    seeds: Path | Literal[False] | None = None,
    history: str | Path | None = None,
) -> Dash:
    """The dashboard over `store` (default: the user's store, seeded with the bundled articles).

    `seeds` is a folder of articles loaded when the store is empty (None: the bundled seeds;
    False: load nothing). `history` is a drift table written by `claims history` (default:
    `$COUNTERCLAIM_HISTORY`, else the one kept in the store by `claims history --store`, else
    none): a group's and a claim's page then show how their figures changed, and `/changes`
    lists the latest changes.
    Raises `ArticleError` naming the file when the drift table cannot be read.
    """
    if store is None:  # the dashboard reads; `claims ingest` and the upload writer write
        from claims.store import Store
        from claims.writer import open_for_reading

        store = open_for_reading(Store.default_path(), seeds)
    elif seeds is not False:
        store.ensure_seeded(seeds)
    from claims.service import ComparedStore

    # the store keeps data; its comparison is made (or read back) by the service above it
    data = DashboardData(store if hasattr(store, "comparison") else ComparedStore(store))
    history = history or os.environ.get("COUNTERCLAIM_HISTORY") or None
    if history:
        from claims.history import read_drift

        data.history = read_drift(history)
    elif callable(getattr(store, "drift_table", None)):  # one kept by `claims history --store`
        from claims.history import as_drift

        kept = store.drift_table()
        data.history = None if kept is None else as_drift(kept, f"{store.path}: table drift")
    app = Dash(
        __name__,
        title="Counterclaim: who says how many",
        assets_folder=str(ASSETS),
        update_title=None,
        suppress_callback_exceptions=False,
        on_error=_show_error,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    from dashboard.callbacks import register_all
    from dashboard.callbacks.filters import filter_options
    from dashboard.callbacks.pages import initial_view

    def page_layout() -> object:
        try:
            return build_layout(filter_options(data), initial_view(data))
        except CounterclaimError as exc:  # a damaged or unreadable store: said on the page
            log.error("the page could not be built: %s", exc)
            return store_error_layout(str(exc))

    app.layout = page_layout
    register_all(app, data)
    _use_partial_plotly(app)
    _check_callback_requests(app)
    _add_routes(app, data)
    app.server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.counterclaim_data = data  # type: ignore[attr-defined]
    return app


PARTIAL_PLOTLY = Path(__file__).resolve().parent / "vendor" / "plotly-cartesian.min.js"
PLOTLY_PATH = "_dash-component-suites/plotly/package_data/plotly.min.js"


def _use_partial_plotly(app: Dash) -> None:
    """Answer the page's request for plotly.js with its cartesian bundle (1.5 MB, not 4.8 MB).

    Dash's renderer loads plotly.js from one fixed address; the charts here use only cartesian
    traces (scatter, bar, heatmap), so that address is served the partial bundle shipped in
    this package. When the bundle is missing the full one is served as before.
    """
    if not PARTIAL_PLOTLY.is_file():
        return
    from flask import request, send_file

    address = f"{app.config.requests_pathname_prefix}{PLOTLY_PATH}"

    @app.server.before_request
    def partial_plotly() -> Response | None:
        if request.path != address:
            return None
        return send_file(
            PARTIAL_PLOTLY, mimetype="text/javascript", conditional=True, max_age=86400
        )


CALLBACK_PATH = "_dash-update-component"


def _check_callback_requests(app: Dash) -> None:
    """Answer a malformed or forged callback request 400 with its one-line reason before Dash
    reads it (see `dashboard.callback_requests`); such requests are counted in the log, one
    line per hundred or per minute. Bodies over MAX_REQUEST_BYTES are still 413."""
    from flask import request

    address = f"{app.config.routes_pathname_prefix}{CALLBACK_PATH}"
    tally = BadRequestTally(log)
    app.refused_requests = tally  # type: ignore[attr-defined]

    @app.server.before_request
    def check_callback_request() -> Response | None:
        if request.path != address or request.method != "POST":
            return None
        if not request.is_json:
            problem = "the body is not JSON (Content-Type: application/json)"
        else:
            problem = callback_problem(request.get_json(silent=True), app.callback_map)
        if problem is None:
            return None
        tally.count(problem)
        return Response(bad_request_message(problem) + "\n", status=400, mimetype="text/plain")


def bad_request_message(problem: str) -> str:
    """The one line answering a malformed or forged callback request (HTTP 400)."""
    return f"Bad callback request: {problem}."


def too_large_message() -> str:
    """The one line answering a request body over MAX_REQUEST_BYTES (HTTP 413)."""
    return (
        f"Not added: the request is larger than {MAX_REQUEST_BYTES / 1e6:.1f} MB; articles of "
        f"up to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB can be added. Nothing else changed."
    )


def store_error_layout(message: str) -> html.Main:
    """The page when the store cannot be read: its one-line reason, and nothing else."""
    return html.Main(
        [
            html.H1("Counterclaim"),
            html.P(message, id="store-error", className="notice bad", role="alert"),
            html.P("Repair or replace the store file, then reload the page."),
        ],
        className="page",
    )


def _show_error(error: Exception) -> None:
    """Any unexpected callback failure: logged in full, shown to the user as one calm line."""
    log.error("callback failed", exc_info=error)
    set_props(
        "app-error",
        {
            "children": "Something went wrong while updating the page; the data is unchanged. "
            "Reload the page or clear the filters.",
            "hidden": False,
        },
    )


def _add_routes(app: Dash, data: DashboardData) -> None:
    from dashboard.dataurls import add_data_routes

    server = app.server
    add_data_routes(server, data)

    @server.route("/healthz")
    def healthz() -> tuple[Response, int]:
        try:
            snapshot = data.latest()  # never waits for a rebuild or a writer
        except Exception as exc:  # the health check reports failure instead of raising it
            log.error("health check failed", exc_info=exc)
            return jsonify(status="error"), 503
        return jsonify(
            status="ok",
            version=str(snapshot.version),
            articles=len(snapshot.articles),
            claims=len(snapshot.claims),
        ), 200

    @server.errorhandler(413)
    def too_large(_error: Exception) -> tuple[Response, int]:
        # the page never sends a file over MAX_UPLOAD_BYTES (the upload box drops it and
        # assets/upload-check.js says why), so this answers requests made outside the page
        return Response(too_large_message() + "\n", mimetype="text/plain"), 413

    @server.errorhandler(DependencyException)
    def unknown_bundle(_error: DependencyException) -> tuple[str, int]:
        # Dash serves only its registered bundles; any other path is simply not there
        return "Not found", 404

    @server.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response


__all__ = ["create_app"]
