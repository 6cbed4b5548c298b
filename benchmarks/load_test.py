"""Load test: the dashboard under gunicorn on loopback, many clients at once.

Starts gunicorn (`dashboard.wsgi:server`) on a free loopback port over a fresh store seeded
with the bundled articles, then runs CLIENTS threads for SECONDS, each mixing page loads
(the page, its layout and callback list), filter changes (the charts and grid callbacks, as
the browser posts them to /_dash-update-component), CSV downloads of the grid's rows, health
checks, and now and then an upload of an article (queued, and written by the store's writer
while the others read).
Prints requests/s, p50/p95/p99 latency per kind, errors (any non-200 answer or failure) and the
server's memory at start and end.

    python benchmarks/load_test.py [--clients 20] [--seconds 30] [--workers 2] [--threads 4]
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import requests

ROOT = Path(__file__).resolve().parent.parent
UPLOAD_SHARE = 0.01  # of requests: an article queued while the others read (written meanwhile)
SEED_TEXT = next(
    (base64.b64encode(p.read_bytes()).decode() for p in sorted((ROOT / "seeds").glob("*.wiki"))),
    "",
)
FILTERS = [
    "",
    "?topic=killed",
    "?topic=strength",
    "?topic=injured&chart=injured",
    "?source_kind=monitor",
    "?source_kind=state+media",
    "?verdict=conflict",
    "?date_from=2024-11-29",
    "?date_from=2024-12-01&date_to=2024-12-31",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, store: Path, workers: int, threads: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "COUNTERCLAIM_STORE": str(store),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    command = [
        sys.executable, "-m", "gunicorn",
        "--workers", str(workers), "--threads", str(threads),
        "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--preload",
        "--log-level", "warning", "dashboard.wsgi:server",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def wait_healthy(base: str, process: subprocess.Popen, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with code {process.returncode}")
        try:
            answer = requests.get(base + "/healthz", timeout=2)
            if answer.ok:
                return answer.json()
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz in time")


def callback_bodies(base: str) -> dict[str, dict]:
    """Request bodies for the charts, grid and download callbacks, from the app's own list."""
    dependencies = requests.get(base + "/_dash-dependencies", timeout=10).json()
    wanted = {"chart-by-source.figure": "charts", "claims-grid.rowData": "grid",
              "download.data": "download", "upload-message.children": "upload"}  # fmt: skip
    bodies = {}
    for dependency in dependencies:
        for key, name in wanted.items():
            if key in dependency["output"]:
                bodies[name] = dependency
    return bodies


def _outputs(dependency: dict) -> list[dict]:
    outputs = []
    for part in dependency["output"].strip(".").split("..."):
        component, prop = part.strip(".").rsplit(".", 1)
        outputs.append({"id": component, "property": prop})
    return outputs


def post_callback(session, base, dependency, inputs, state=(), changed=()) -> requests.Response:
    outputs = _outputs(dependency)
    body = {
        "output": dependency["output"],
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": list(inputs),
        "state": list(state),
        "changedPropIds": list(changed),
    }
    return session.post(base + "/_dash-update-component", json=body, timeout=60)


class Client(threading.Thread):
    def __init__(self, base: str, bodies: dict, stop: float, seed: int) -> None:
        super().__init__(daemon=True)
        self.base, self.bodies, self.stop, self.random = base, bodies, stop, random.Random(seed)
        self.times: dict[str, list[float]] = defaultdict(list)
        self.upload_text = SEED_TEXT
        self.uploads = 0
        self.errors: list[str] = []

    def timed(self, kind: str, call, *args) -> requests.Response | None:
        start = time.perf_counter()
        try:
            answer = call(*args)
        except requests.RequestException as exc:
            self.errors.append(f"{kind}: {type(exc).__name__}")
            return None
        self.times[kind].append((time.perf_counter() - start) * 1000)
        if answer.status_code != 200:
            self.errors.append(f"{kind}: HTTP {answer.status_code}")
        return answer

    def run(self) -> None:
        session = requests.Session()
        while time.monotonic() < self.stop:
            roll = self.random.random()
            search = self.random.choice(FILTERS)
            if roll < UPLOAD_SHARE and self.upload_text:
                self.uploads += 1
                name = f"Load test {self.name} {self.uploads}"
                # a text of its own (a comment line): the same text twice is not added twice
                text = base64.b64decode(self.upload_text) + f"\n<!-- {name} -->\n".encode()
                contents = "data:text/plain;base64," + base64.b64encode(text).decode()
                answer = self.timed(
                    "upload (queued)",
                    post_callback,
                    session,
                    self.base,
                    self.bodies["upload"],
                    [
                        {"id": "upload", "property": "contents", "value": contents},
                        {"id": "upload-poll", "property": "n_intervals", "value": None},
                    ],
                    [
                        {"id": "upload", "property": "filename", "value": f"{name}.wiki"},
                        {"id": "upload-pending", "property": "data", "value": None},
                        {"id": "data-version", "property": "data", "value": 0},
                    ],
                    ["upload.contents"],
                )
                if answer is not None and answer.ok and "queued" not in answer.text:
                    self.errors.append("upload: not queued")
            elif roll < 0.05:
                self.timed("healthz", session.get, self.base + "/healthz")
            elif roll < 0.2:
                for path in ("/" + search, "/_dash-layout", "/_dash-dependencies"):
                    self.timed("page", session.get, self.base + path)
            elif roll < 0.8:
                url = {"id": "url", "property": "search", "value": search}
                version = {"id": "data-version", "property": "data", "value": 0}
                self.timed(
                    "filter: charts",
                    post_callback,
                    session,
                    self.base,
                    self.bodies["charts"],
                    [url, version],
                    [{"id": "prerendered", "property": "data", "value": False}],
                    ["url.search"],
                )
                focus = {"id": "focus", "property": "data", "value": None}
                answer = self.timed(
                    "filter: grid",
                    post_callback,
                    session,
                    self.base,
                    self.bodies["grid"],
                    [url, focus, version],
                    [],
                    ["url.search"],
                )
                if answer is not None and answer.ok:
                    rows = answer.json()["response"]["claims-grid"]["rowData"]
                    self.last_ids = [row["claim_id"] for row in rows]
            else:
                ids = getattr(self, "last_ids", [])
                clicks = [
                    {"id": "download-claims", "property": "n_clicks", "value": 1},
                    {"id": "download-groups", "property": "n_clicks", "value": None},
                    {"id": "download-pairs", "property": "n_clicks", "value": None},
                    {"id": "download-all-claims", "property": "n_clicks", "value": None},
                ]
                state = [
                    {"id": "url", "property": "search", "value": search},
                    {"id": "grid-ids", "property": "data", "value": ids},
                ]
                self.timed(
                    "csv download",
                    post_callback,
                    session,
                    self.base,
                    self.bodies["download"],
                    clicks,
                    state,
                    ["download-claims.n_clicks"],
                )


def server_rss_mb(process: subprocess.Popen) -> float:
    """Resident memory of gunicorn and its workers (the process group), in MB."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == process.pid:  # the process group (gunicorn's session)
            total += int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    return total / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as folder:
        process = start_gunicorn(port, Path(folder) / "claims.duckdb", args.workers, args.threads)
        try:
            health = wait_healthy(base, process)
            bodies = callback_bodies(base)
            requests.get(base + "/", timeout=60)  # every worker's first snapshot is made
            memory_start = server_rss_mb(process)
            stop = time.monotonic() + args.seconds
            clients = [Client(base, bodies, stop, seed) for seed in range(args.clients)]
            started = time.monotonic()
            for client in clients:
                client.start()
            for client in clients:
                client.join()
            elapsed = time.monotonic() - started
            memory_end = server_rss_mb(process)
            health_end = requests.get(base + "/healthz", timeout=10).json()
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)

    times: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    for client in clients:
        for kind, values in client.times.items():
            times[kind].extend(values)
        errors.extend(client.errors)
    every = [value for values in times.values() for value in values]
    print(
        f"gunicorn {args.workers} workers x {args.threads} threads; {args.clients} clients for "
        f"{elapsed:.0f} s; store: {health['articles']} articles, {health['claims']} claims"
    )
    print(f"{'request':18} {'count':>7} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9}")
    for kind, values in sorted([*times.items(), ("all", every)]):
        print(f"{kind:18} {len(values):7d} {statistics.median(values):9.1f} "
              f"{float(np.percentile(values, 95)):9.1f} "
              f"{float(np.percentile(values, 99)):9.1f}")  # fmt: skip
    print(f"requests/s: {len(every) / elapsed:.1f}; errors: {len(errors)}")
    print(
        f"server memory (gunicorn and workers, RSS): {memory_start:.0f} MB at start, "
        f"{memory_end:.0f} MB at end; store at end: {health_end['articles']} articles"
    )
    for error in sorted(set(errors))[:10]:
        print(f"  {error} (x{errors.count(error)})")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
