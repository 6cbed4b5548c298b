"""Adding an article from the browser: checked for type and size, then extracted by the store.

A refused file changes nothing: the store replaces an article in one transaction or not at all.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import PurePosixPath
from typing import Any

from dash import Dash, Input, Output, State, no_update

from claims.errors import ArticleError
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


def handle_upload(
    data: DashboardData, contents: object, filename: object, version: object
) -> tuple[str, str, Any]:
    """(message, message class, new data version). A refused file leaves the data as it was."""
    try:
        title, text = read_upload(contents, filename)
        same, replacing = data.same_articles(title, text)
        if same:
            return (
                f"Already in the store as “{same}”: the same text is not added twice. "
                "Nothing changed.",
                "notice",
                no_update,
            )
        claims = data.add_article(title, text, path=str(filename))
    except ArticleError as exc:
        return (
            f"Not added: {exc.problem} ({exc.path}). Nothing else changed.",
            "notice bad",
            no_update,
        )
    except ValueError as exc:
        return f"Not added: {exc}. Nothing else changed.", "notice bad", no_update
    count = len(claims)
    bump = (version if isinstance(version, int) else 0) + 1
    verb = "Replaced" if replacing else "Added"
    message = (
        f"{verb} “{title}”: {count:,} claim{'s' if count != 1 else ''} joined the comparison"
        + (" in place of its earlier version." if replacing else ".")
    )
    if count == 0:
        message += " No figures were found in it."
    return message, "notice ok", bump


def register(app: Dash, data: DashboardData) -> None:
    @app.callback(
        Output("upload-message", "children"),
        Output("upload-message", "className"),
        Output("data-version", "data"),
        Input("upload", "contents"),
        State("upload", "filename"),
        State("data-version", "data"),
        prevent_initial_call=True,
    )
    def _upload(contents, filename, version):
        return handle_upload(data, contents, filename, version)
