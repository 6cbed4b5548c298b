"""One writer per store: the writer lock, the upload queue and its writer process, and the
dashboard that keeps serving while they write."""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_ingest import SMALL, page, write_dump

from claims.parse import nesting_problem
from claims.store import Store
from claims.writer import (
    DONE,
    FAILED,
    QUEUED,
    WAITING,
    StoreBusy,
    UploadQueue,
    WriterLock,
    drain,
    lock_path,
    writer_of,
)

HOLD = (
    "import sys; from claims.writer import WriterLock; "
    "WriterLock(sys.argv[1], sys.argv[2]).acquire(); print('held', flush=True); sys.stdin.read()"
)
WAIT_SECONDS = 240.0  # generous bounds for work done in other processes on a loaded machine


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[callable]:
    """Start a process that holds a store's writer lock (as `claims ingest` does) until ended."""
    started: list[subprocess.Popen] = []

    def start(store: Path, role: str = "ingest") -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(store), role],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout.readline().strip() == "held"
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


def stop(process: subprocess.Popen) -> None:
    process.stdin.close()
    process.wait(timeout=30)


def wait_for(condition, what: str, seconds: float = WAIT_SECONDS):
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def article(n: int, i: int) -> str:
    return SMALL.format(n=n, i=i)


# -- the writer lock ------------------------------------------------------------------------


def test_a_second_writer_is_refused_with_the_pid_of_the_first(tmp_path: Path, holder) -> None:
    store = tmp_path / "claims.duckdb"
    Store(store).add_article("Raid", article(5, 1))
    first = holder(store)
    assert writer_of(store).pid == first.pid and writer_of(store).role == "ingest"
    with pytest.raises(StoreBusy) as refused:
        WriterLock(store, "ingest").acquire()
    assert str(refused.value) == f"the store {store} is being written by PID {first.pid}"
    # a write through the library is refused the same way, and changes nothing
    with pytest.raises(StoreBusy):
        Store(store).add_article("Other", article(6, 2))
    assert Store(store, read_only=True).articles_frame().title.tolist() == ["Raid"]
    stop(first)
    assert writer_of(store) is None
    with WriterLock(store, "ingest"):
        assert writer_of(store).pid == os.getpid()
    assert writer_of(store) is None


def test_claims_ingest_while_another_writes_exits_2_with_one_line(tmp_path: Path, holder) -> None:
    store = tmp_path / "claims.duckdb"
    Store(store)
    source = tmp_path / "Raid.wiki"
    source.write_text(article(5, 1), encoding="utf-8")
    first = holder(store)
    done = subprocess.run(
        [sys.executable, "-m", "claims.cli", "ingest", str(source), "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"claims ingest: the store {store} is being written by PID {first.pid}"
    ]
    assert Store(store, read_only=True).article_count() == 0
    stop(first)


def test_a_killed_writer_releases_the_lock_and_its_stale_file_is_taken_over(
    tmp_path: Path, holder
) -> None:
    store = tmp_path / "claims.duckdb"
    first = holder(store)
    first.send_signal(signal.SIGKILL)
    first.wait()
    # the file still names the killed writer, but nobody holds its lock: it is stale
    assert lock_path(store).read_text().split()[0] == str(first.pid)
    assert writer_of(store) is None
    with WriterLock(store, "ingest"):
        assert lock_path(store).read_text().split() == [str(os.getpid()), "ingest"]


def test_the_lock_is_reentrant_in_one_process(tmp_path: Path) -> None:
    store = Store(tmp_path / "claims.duckdb")
    with WriterLock(store.path, "ingest"), WriterLock(store.path, "ingest"):
        store.add_article("Raid", article(5, 1))  # the process holding the lock may write
    assert writer_of(store.path) is None


def test_an_extraction_process_over_its_memory_budget_gets_memory_error() -> None:
    script = (
        "from claims.budget import limit_memory\n"
        "limit_memory(256)\n"
        "try:\n"
        "    block = bytearray(1024 * 1024 * 1024)\n"
        "except MemoryError:\n"
        "    print('refused')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip() == "refused", done.stderr


# -- the upload queue -----------------------------------------------------------------------


def test_the_comparison_is_made_once_per_change_for_every_reader(tmp_path: Path, monkeypatch):
    import claims.service
    from claims.service import ComparedStore
    from dashboard.data import DashboardData

    calls = []
    real = claims.service.compare

    def counted(claims):
        calls.append(len(claims))
        return real(claims)

    monkeypatch.setattr(claims.service, "compare", counted)
    path = tmp_path / "claims.duckdb"
    with WriterLock(path, "ingest"):
        Store(path).add_article("Raid", article(5, 1))
        ComparedStore(Store(path)).save()  # what ingest does at its end
    assert len(calls) == 1
    # two server processes' data over one store (two gunicorn workers)
    first = DashboardData(ComparedStore(Store(path, read_only=True)))
    second = DashboardData(ComparedStore(Store(path, read_only=True)))
    assert len(first.snapshot().claims) == len(second.snapshot().claims) == 1
    assert len(calls) == 1  # both read the saved comparison
    queue = UploadQueue(path)
    ticket = queue.submit("Other raid", article(7, 2), "Other_raid.wiki", start=False).ticket
    assert drain(path) == 1
    assert len(calls) == 2  # the writer compared once for the change
    assert queue.state(ticket).state == DONE and queue.state(ticket).claims == 1
    for data in (first, second):
        assert sorted(data.snapshot().articles.title) == ["Other raid", "Raid"]
    assert len(calls) == 2  # and no reader compared again


def test_a_reader_keeps_its_snapshot_while_another_process_writes(
    tmp_path: Path, holder, monkeypatch
) -> None:
    import claims.service
    from claims.service import ComparedStore
    from dashboard.data import DashboardData

    path = tmp_path / "claims.duckdb"
    Store(path).add_article("Raid", article(5, 1))
    data = DashboardData(ComparedStore(Store(path, read_only=True)))
    before = data.snapshot()
    Store(path).add_article("Other raid", article(7, 2))  # new data, its comparison not saved
    calls = []
    monkeypatch.setattr(claims.service, "compare", lambda c: calls.append(1) or None)
    writer = holder(path)
    assert data.snapshot() is before and data.latest() is before and calls == []
    monkeypatch.undo()
    stop(writer)
    assert sorted(data.snapshot().articles.title) == ["Other raid", "Raid"]


@pytest.mark.slow
def test_an_upload_waits_for_ingest_then_is_written(tmp_path: Path) -> None:
    """`claims ingest` in a process of its own holds the store; an upload queued meanwhile
    says so, and is written when the ingest ends; both are kept."""
    from uploads import upload_and_wait

    from claims.service import ComparedStore
    from dashboard.callbacks import upload
    from dashboard.data import DashboardData

    path = tmp_path / "claims.duckdb"
    Store(path).add_article("Raid", article(5, 1))
    pages = [page(f"Raid {i}", article(10 + i, i), rev=i + 1) for i in range(1500)]
    dump = write_dump(tmp_path / "big.xml", pages)
    ingest = subprocess.Popen(
        [sys.executable, "-m", "claims.cli", "ingest", str(dump), "--store", str(path), "--quiet"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: (writer_of(path) or None) and writer_of(path).pid == ingest.pid, "ingest")
        data = DashboardData(ComparedStore(Store(path, read_only=True)))
        text = "In the ambush 9 soldiers were killed, SOHR said.<ref>SOHR report</ref>"
        contents = "data:text/plain;base64," + base64.b64encode(text.encode()).decode()
        _message, _cls, _version, pending, polling_off = upload.handle_upload(
            data, contents, "Ambush.wiki", 0
        )
        assert pending and not polling_off
        assert data.upload_state(pending["ticket"]).state in (QUEUED, WAITING)
        state = wait_for(
            lambda: (s := data.upload_state(pending["ticket"])).state == WAITING and s,
            "the upload to wait for ingest",
        )
        assert state.writer == ingest.pid
        message = upload.poll_upload(data, pending, 0)[0]
        assert f"queued: the store is being written by PID {ingest.pid}" in message
        assert ingest.poll() is None  # the ingest still runs: the upload waited for it
        assert ingest.wait(timeout=WAIT_SECONDS) == 0, ingest.stderr.read()
        final = wait_for(
            lambda: (s := data.upload_state(pending["ticket"])).finished and s, "the upload"
        )
        assert final.state == DONE and final.claims == 1
    finally:
        if ingest.poll() is None:
            ingest.kill()
        ingest.wait()
    titles = set(Store(path, read_only=True).articles_frame().title)
    assert {"Raid", "Ambush", "Raid 0", "Raid 1499"} <= titles and len(titles) == 1502
    assert UploadQueue(path).pending() == []
    # and a second upload, with no ingest running, goes straight in
    more = b"In the raid 4 people were killed."
    message, cls, _ = upload_and_wait(
        data, "data:text/plain;base64," + base64.b64encode(more).decode(), "Later.wiki", 1
    )
    assert message.startswith("Added “Later”") and "ok" in cls


def test_a_broken_upload_fails_in_the_writer_and_nothing_else_changes(tmp_path: Path) -> None:
    path = tmp_path / "claims.duckdb"
    Store(path).add_article("Raid", article(5, 1))
    queue = UploadQueue(path)
    deep = "{{{" * 200 + "30 soldiers were killed" + "}}}" * 200
    bad = queue.submit("Broken", deep, "Broken.wiki", start=False).ticket
    good = queue.submit("Good", article(8, 3), "Good.wiki", start=False).ticket
    assert drain(path) == 1
    failed = queue.state(bad)
    assert failed.state == FAILED and failed.path == "Broken.wiki"
    assert failed.problem == nesting_problem()
    assert queue.state(good).state == DONE
    assert sorted(Store(path, read_only=True).articles_frame().title) == ["Good", "Raid"]
    assert json.loads((queue.folder / f"{bad}.result.json").read_text())["state"] == FAILED


# -- serving while an upload is extracted ---------------------------------------------------


def quadratic_shape(size: int = 60_000) -> bytes:
    """The shape that once took minutes: one sentence of a figure list with commas only."""
    figures = ",".join(["1"] * (size // 2))
    return f"About {figures} soldiers were killed.\n".encode()


@pytest.mark.slow
def test_other_clients_are_served_while_a_hostile_upload_is_extracted(tmp_path: Path) -> None:
    from dashboard import create_app

    path = tmp_path / "claims.duckdb"
    Store(path).add_article("Raid", article(5, 1))
    app = create_app(Store(path, read_only=True), seeds=False)
    output = next(key for key in app.callback_map if "upload-pending.data" in key)
    outputs = [
        {"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1]}
        for part in output.strip(".").split("...")
    ]

    def upload_body(contents: object, trigger: str, pending: object = None) -> dict:
        return {
            "output": output,
            "outputs": outputs,
            "inputs": [
                {"id": "upload", "property": "contents", "value": contents},
                {"id": "upload-poll", "property": "n_intervals", "value": 1},
            ],
            "state": [
                {"id": "upload", "property": "filename", "value": "Hostile.wiki"},
                {"id": "upload-pending", "property": "data", "value": pending},
                {"id": "data-version", "property": "data", "value": 0},
            ],
            "changedPropIds": [trigger],
        }

    contents = "data:text/plain;base64," + base64.b64encode(quadratic_shape()).decode()
    uploader = app.server.test_client()
    answer = uploader.post("/_dash-update-component", json=upload_body(contents, "upload.contents"))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    pending = answer.get_json()["response"]["upload-pending"]["data"]
    assert pending and "ticket" in pending

    done = threading.Event()
    served: dict[str, list[float]] = {"healthz": [], "page": []}
    failures: list[str] = []

    def other_client() -> None:
        client = app.server.test_client()
        while not done.is_set():
            for kind, url in (("healthz", "/healthz"), ("page", "/")):
                started = time.monotonic()
                reply = client.get(url)
                served[kind].append(time.monotonic() - started)
                if reply.status_code != 200:
                    failures.append(f"{url}: {reply.status_code}")
            time.sleep(0.05)

    others = [threading.Thread(target=other_client) for _ in range(2)]
    for thread in others:
        thread.start()
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            assert time.monotonic() < deadline, "the upload did not finish"
            time.sleep(0.5)
            reply = uploader.post(
                "/_dash-update-component",
                json=upload_body(None, "upload-poll.n_intervals", pending),
            )
            assert reply.status_code == 200
            response = reply.get_json()["response"]
            message = response["upload-message"]["children"]
            if response["upload-poll"]["disabled"]:
                break
            assert "queued" in message or message.startswith("Extracting “Hostile”")
    finally:
        done.set()
        for thread in others:
            thread.join(timeout=60)
    assert failures == []
    assert len(served["healthz"]) >= 2 and len(served["page"]) >= 2
    assert max(served["healthz"]) < 5.0  # generous: it reads no store and waits for no one
    # the budget of ingest applies: in with its claims, or skipped past the time budget
    assert message.startswith("Added “Hostile”") or "skipped: took longer than" in message
    reply = app.server.test_client().get("/healthz")
    assert reply.status_code == 200
