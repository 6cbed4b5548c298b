"""Adding an article from the browser: checked for type and size, then queued for the writer.

The request only checks the file and puts it in the store's queue (`claims.writer`); the
extraction runs in a process of its own, and the page asks every second how far it is
("queued: the store is being written by PID N" while `claims ingest` writes) until it is in or
refused. A refused file changes nothing: the store replaces an article in one transaction or
not at all.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import PurePosixPath
from typing import Any

from dash import Dash, Input, Output, State, ctx, no_update

from claims.writer import DONE, EXTRACTING, FAILED, UNKNOWN, WAITING, UploadState
from dashboard.data import DashboardData
from dashboard.layout import MAX_UPLOAD_BYTES, UPLOAD_SUFFIXES

MAX_NAME = 200


def read_upload(contents: object, filename: object) -> tuple[str, str]:
    """(title, text) of an uploaded file; ValueError with a clear reason when refused."""
    if not isinstance(filename, str) or not filename or len(filename) > MAX_NAME:
        raise ValueError("the file has no usable name")
    name = PurePosixPath(filename.replace("\\", "/")).name
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        allowed = " or ".join(UPLOAD_SUFFIXES)
        raise ValueError(f"{name}: only {allowed} files of wikitext can be added")
    if not isinstance(contents, str) or "," not in contents:
        raise ValueError(f"{name}: the browser sent no file content")
    encoded = contents.split(",", 1)[1]
    if len(encoded) > (MAX_UPLOAD_BYTES * 4) // 3 + 4:
        raise ValueError(f"{name}: larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"{name}: the file content is damaged") from exc
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ValueError(f"{name}: larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    if not raw.strip():
        raise ValueError(f"{name}: the file is empty")
    if b"\x00" in raw[:8192]:
        raise ValueError(f"{name}: this is a binary file, not wikitext")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{name}: not UTF-8 text (save the wikitext as UTF-8)") from exc
    title = PurePosixPath(name).stem.replace("_", " ").strip() or name
    return title, text


Answer = tuple[str, str, Any, Any, bool]
"""(message, message class, new data version, the upload still pending, polling disabled)."""

POLL_MS = 1000  # how often the page asks after a queued upload


def handle_upload(
    data: DashboardData, contents: object, filename: object, version: object
) -> Answer:
    """Check an upload and hand it to the store's writer; answers at once (the extraction
    runs in a process of its own). A refused file leaves the data as it was."""
    try:
        title, text = read_upload(contents, filename)
        same, _replacing = data.same_articles(title, text)
    except ValueError as exc:
        return f"Not added: {exc}. Nothing else changed.", "notice bad", no_update, None, True
    if same:
        return (
            f"Already in the store as “{same}”: the same text is not added twice. Nothing changed.",
            "notice",
            no_update,
            None,
            True,
        )
    state = data.submit_upload(title, text, path=str(filename))
    return upload_answer(state, version)


def poll_upload(data: DashboardData, pending: object, version: object) -> Answer:
    """Where the pending upload is now: its message, and the data version bumped once it is in."""
    if not isinstance(pending, dict) or "ticket" not in pending:
        return no_update, no_update, no_update, None, True
    state = data.upload_state(pending.get("ticket"))
    if state.state == UNKNOWN:
        return (
            "The upload is no longer in the queue; reload the page to see the data.",
            "notice",
            no_update,
            None,
            True,
        )
    return upload_answer(state, version)


def upload_answer(state: UploadState, version: object) -> Answer:
    """The page's answer for an upload in `state`."""
    title = state.title
    if state.state == FAILED:
        where = f" ({state.path})" if state.path else ""
        return (
            f"Not added: {state.problem}{where}. Nothing else changed.",
            "notice bad",
            no_update,
            None,
            True,
        )
    if state.state != DONE:
        pending = {"ticket": state.ticket}
        if state.state == WAITING:
            message = (
                f"“{title}” queued: the store is being written by PID {state.writer}; it is "
                "added as soon as that write ends."
            )
        elif state.state == EXTRACTING:
            message = f"Extracting “{title}”; it joins the comparison in a moment."
        else:
            message = f"“{title}” queued: it is extracted in a moment."
        return message, "notice", no_update, pending, False
    count = state.claims
    bump = (version if isinstance(version, int) else 0) + 1
    verb = "Replaced" if state.replaced else "Added"
    message = (
        f"{verb} “{title}”: {count:,} claim{'s' if count != 1 else ''} joined the comparison"
        + (" in place of its earlier version." if state.replaced else ".")
    )
    if count == 0:
        message += " No figures were found in it."
    return message, "notice ok", bump, None, True


def register(app: Dash, data: DashboardData) -> None:
    @app.callback(
        Output("upload-message", "children"),
        Output("upload-message", "className"),
        Output("data-version", "data"),
        Output("upload-pending", "data"),
        Output("upload-poll", "disabled"),
        Input("upload", "contents"),
        Input("upload-poll", "n_intervals"),
        State("upload", "filename"),
        State("upload-pending", "data"),
        State("data-version", "data"),
        prevent_initial_call=True,
    )
    def _upload(contents, _intervals, filename, pending, version):
        if ctx.triggered_id == "upload-poll":
            return poll_upload(data, pending, version)
        return handle_upload(data, contents, filename, version)
