"""The dashboard over a damaged store and under an oversized request: one line, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from claims.store import Store
from dashboard import MAX_REQUEST_BYTES, create_app, too_large_message
from tests.test_store import SMALL, damaged_store


def test_a_damaged_store_is_shown_on_the_page_and_healthz_is_503(tmp_path: Path) -> None:
    path = damaged_store(tmp_path / "claims.duckdb")
    app = create_app(Store(path), seeds=False)
    client = app.server.test_client()
    page = client.get("/")
    assert page.status_code == 200
    layout = client.get("/_dash-layout")
    assert layout.status_code == 200
    assert f"{path}: the store is damaged (".replace("/", "\\u002f") in layout.get_data(
        as_text=True
    )
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json() == {"status": "error"}


def test_python_m_dashboard_refuses_a_damaged_store_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    from dashboard.__main__ import serve

    path = damaged_store(tmp_path / "claims.duckdb")
    assert serve("127.0.0.1", 0, str(path)) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"dashboard: {path}: the store is damaged (")


def test_a_request_over_the_limit_gets_413_with_one_line(tmp_path: Path) -> None:
    store = Store(tmp_path / "claims.duckdb")
    store.add_article("Raid", SMALL.format(n=5, i=5))
    client = create_app(store, seeds=False).server.test_client()
    answer = client.post(
        "/_dash-update-component",
        data=b"x" * (MAX_REQUEST_BYTES + 1),
        content_type="application/json",
    )
    assert answer.status_code == 413
    body = answer.get_data(as_text=True)
    assert body == too_large_message() + "\n"
    assert body.count("\n") == 1 and "<" not in body
    assert "5 MB" in body
    assert store.articles_frame().title.tolist() == ["Raid"]


def test_an_upload_nested_too_deep_says_so_in_one_line(tmp_path: Path) -> None:
    import base64

    from claims.parse import nesting_problem
    from dashboard.callbacks.upload import handle_upload
    from dashboard.data import DashboardData

    store = Store(tmp_path / "claims.duckdb")
    store.add_article("Raid", SMALL.format(n=5, i=5))
    from claims.service import ComparedStore

    data = DashboardData(ComparedStore(store))
    raw = ("{{{" * 200 + "30 soldiers were killed" + "}}}" * 200).encode()
    contents = "data:text/plain;base64," + base64.b64encode(raw).decode()
    message, cls, _version = handle_upload(data, contents, "Deep.wiki", 1)
    assert message == (f"Not added: {nesting_problem()} (Deep.wiki). Nothing else changed.")
    assert cls == "notice bad"
    assert store.articles_frame().title.tolist() == ["Raid"]
