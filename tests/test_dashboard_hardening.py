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

    from uploads import upload_and_wait

    from claims.parse import nesting_problem
    from dashboard.data import DashboardData

    store = Store(tmp_path / "claims.duckdb")
    store.add_article("Raid", SMALL.format(n=5, i=5))
    from claims.service import ComparedStore

    data = DashboardData(ComparedStore(store))
    raw = ("{{{" * 200 + "30 soldiers were killed" + "}}}" * 200).encode()
    contents = "data:text/plain;base64," + base64.b64encode(raw).decode()
    message, cls, _version = upload_and_wait(data, contents, "Deep.wiki", 1)
    assert message == (f"Not added: {nesting_problem()} (Deep.wiki). Nothing else changed.")
    assert cls == "notice bad"
    assert store.articles_frame().title.tolist() == ["Raid"]


# -- forged and malformed callback requests: 400 with one line, counted in the log -----------

CALLBACK = "/_dash-update-component"


@pytest.fixture
def served(tmp_path: Path):
    store = Store(tmp_path / "claims.duckdb")
    store.add_article("Raid", SMALL.format(n=5, i=5))
    app = create_app(store, seeds=False)
    yield app, app.server.test_client()
    store.close()


def _item(spec: dict, value: object = None) -> dict | list:
    """A well-formed request item for a declared input, state or output."""
    import json

    component = spec["id"]
    if component.startswith("{"):  # a pattern: one matching component for each wildcard
        pattern = json.loads(component)
        real = {k: ("x" if isinstance(v, list) else v) for k, v in pattern.items()}
        item = {"id": real, "property": spec["property"], "value": value}
        multi = any(v in (["ALL"], ["ALLSMALLER"]) for v in pattern.values())
        return [item] if multi else item
    return {"id": component, "property": spec["property"], "value": value}


def _body(app, output: str) -> dict:
    callback = app.callback_map[output]
    declared = callback["output"] if isinstance(callback["output"], list) else [callback["output"]]
    outputs = [
        _item({"id": o.component_id_str(), "property": o.component_property}) for o in declared
    ]
    for item in outputs:
        for one in item if isinstance(item, list) else [item]:
            one.pop("value")
    return {
        "output": output,
        "outputs": outputs if output.startswith("..") else outputs[0],
        "inputs": [_item(spec) for spec in callback["inputs"]],
        "state": [_item(spec) for spec in callback["state"]],
        "changedPropIds": [],
    }


def _server_outputs(app) -> list[str]:
    return [key for key, callback in app.callback_map.items() if "callback" in callback]


def test_every_callback_the_page_can_send_passes_the_check(served) -> None:
    from dashboard.callback_requests import callback_problem

    app, _client = served
    outputs = _server_outputs(app)
    assert len(outputs) >= 10
    for output in outputs:
        assert callback_problem(_body(app, output), app.callback_map) is None, output


def test_a_well_formed_request_is_answered_by_its_callback(served) -> None:
    app, client = served
    body = _body(app, "filter-chips.children")
    body["inputs"][0]["value"] = "?topic=killed"
    answer = client.post(CALLBACK, json=body)
    assert answer.status_code == 200
    assert "filter-chips" in answer.get_json()["response"]
    assert app.refused_requests.total == 0


def _forged(app) -> dict[str, object]:
    good = _body(app, "filter-chips.children")
    multi = _body(app, next(k for k in _server_outputs(app) if "claims-grid.rowData" in k))
    pattern = next(k for k in _server_outputs(app) if '"ALL"' in str(app.callback_map[k]["inputs"]))
    chips = _body(app, pattern)

    def without(body: dict, key: str) -> dict:
        return {k: v for k, v in body.items() if k != key}

    return {
        "a list, not an object": [good],
        "JSON null": None,
        "no output": without(good, "output"),
        "an output of a number": {**good, "output": 5},
        "an unknown output": {**good, "output": "nope.children"},
        "an output run in the browser": {**good, "output": "detail.title"},
        "no inputs": without(good, "inputs"),
        "inputs of text": {**good, "inputs": "url"},
        "one input too many": {**good, "inputs": good["inputs"] * 2},
        "an unknown input id": {**good, "inputs": [{**good["inputs"][0], "id": "evil"}]},
        "an unknown input property": {
            **good,
            "inputs": [{**good["inputs"][0], "property": "__proto__"}],
        },
        "an input without an id": {**good, "inputs": [{"property": "search", "value": ""}]},
        "an input of a number": {**good, "inputs": [7]},
        "state of a number": {**multi, "state": 3},
        "no outputs": without(good, "outputs"),
        "an unknown output id": {**good, "outputs": {"id": "evil", "property": "children"}},
        "outputs one short": {**multi, "outputs": multi["outputs"][:-1]},
        "changedPropIds of numbers": {**good, "changedPropIds": [1, 2]},
        "a wildcard input not in a list": {**chips, "inputs": [chips["inputs"][0][0]]},
        "a wildcard id of an unknown type": {
            **chips,
            "inputs": [[{**chips["inputs"][0][0], "id": {"type": "evil", "field": 1, "value": 2}}]],
        },
        "a wildcard id holding an object": {
            **chips,
            "inputs": [
                [{**chips["inputs"][0][0], "id": {"type": "chip", "field": {}, "value": "x"}}]
            ],
        },
    }


def test_forged_requests_get_400_with_one_line_never_500(served) -> None:
    from dashboard import bad_request_message

    app, client = served
    forged = _forged(app)
    for name, body in forged.items():
        answer = client.post(CALLBACK, json=body)
        assert answer.status_code == 400, name
        text = answer.get_data(as_text=True)
        assert text.startswith("Bad callback request: ") and text.count("\n") == 1, name
        assert "Traceback" not in text and "<" not in text, name
    assert app.refused_requests.total == len(forged)
    problem = "`inputs` item 0: unknown id 'evil'"
    answer = client.post(CALLBACK, json=forged["an unknown input id"])
    assert answer.get_data(as_text=True) == bad_request_message(problem) + "\n"


@pytest.mark.parametrize(
    ("data", "content_type"),
    [(b"{not json", "application/json"), (b'{"output": "x"}', "text/plain"), (b"", "")],
)
def test_a_body_that_is_not_json_gets_400(served, data: bytes, content_type: str) -> None:
    _app, client = served
    answer = client.post(CALLBACK, data=data, content_type=content_type)
    assert answer.status_code == 400
    assert answer.get_data(as_text=True).startswith("Bad callback request: the body is not")


def test_a_body_over_the_limit_is_still_413(served) -> None:
    _app, client = served
    body = b'{"output": "' + b"x" * (MAX_REQUEST_BYTES + 1) + b'"}'
    answer = client.post(CALLBACK, data=body, content_type="application/json")
    assert answer.status_code == 413


def test_a_fault_of_the_server_is_still_500(served, monkeypatch: pytest.MonkeyPatch) -> None:
    app, client = served
    body = _body(app, "filter-chips.children")

    def broken(*_args: object) -> object:
        raise RuntimeError("the server broke")

    monkeypatch.setattr(app, "_prepare_callback", broken)
    app.server.config["PROPAGATE_EXCEPTIONS"] = False
    answer = client.post(CALLBACK, json=body)
    assert answer.status_code == 500
    assert app.refused_requests.total == 0


def test_refused_requests_are_logged_as_a_count_not_one_line_each() -> None:
    import logging

    from dashboard.callback_requests import BadRequestTally

    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    log = logging.getLogger("test-refused")
    log.addHandler(Keep())
    log.propagate = False
    now = [0.0]
    tally = BadRequestTally(log, every=100, period=60.0, clock=lambda: now[0])
    for _ in range(250):  # a flood within one second
        tally.count("unknown output 'x'")
    assert len(lines) == 3  # the first at once, then one per hundred
    assert lines[0].startswith("refused 1 malformed or forged callback request(s) (1 in all)")
    assert lines[1].startswith("refused 100 ") and "(101 in all)" in lines[1]
    now[0] = 61.0  # a minute later: the 49 counted since are in the next line
    tally.count("unknown output 'y'")
    assert len(lines) == 4
    assert lines[3].startswith("refused 50 malformed or forged callback request(s) in 61 s")
    assert lines[3].endswith("(251 in all); last: unknown output 'y'")
    assert tally.total == 251
