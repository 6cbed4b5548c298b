"""Kill -9 proof: `claims ingest` killed at random points, run again, equals a clean run.

    python benchmarks/crash_test.py [--articles 400] [--kills 5] [--seed 15] [--processes 1]

Builds a folder of articles (the seeds, the probe articles, and a generated `.xml.bz2` dump of
`--articles` battle articles, so that the ingest writes several batches), ingests it once into
a clean store and times that run and its final comparison. Then, `--kills` times, into a fresh
store: starts the same `claims ingest` and sends it SIGKILL at a seeded random point, told by
the killed run's own progress bar (all but the last kill while batches are written, each once
the bar has counted its own slice of the pages, plus part of a batch's time; the last one
during the final comparison, part of its time after the bar closed; a kill that comes after
the run ended is drawn again, its wait halved), notes in which phase the kill landed (told
from the killed store: articles still missing, so writing batches; all articles held but the
comparison not current, so the final comparison), runs the same command again to completion,
and checks that the store equals the clean one in content: the same claim ids, the same rows
(and so counts) in every table, the same comparison tables, and `claims store check` finds it
sound. Prints one line per kill and exits 1 on any mismatch.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PHASES = (
    "before the first batch",
    "while writing batches",
    "during the final comparison",
    "after the run ended",
)
IGNORED_COLUMNS = {"articles": ("ingested_at",), "problems": ("noted_at",)}
"""Columns that hold the time of the write, which differs between any two runs."""


@dataclass(slots=True)
class Kill:
    delay: float
    phase: str
    articles_at_kill: int
    matched: bool
    differences: list[str]
    redrawn: int = 0  # kills drawn again because they came after the run ended


def build_folder(folder: Path, articles: int) -> None:
    """The seeds, the probe articles and a generated dump of `articles` battle articles."""
    from benchmarks.bench_ingest import build_dump

    folder.mkdir(parents=True, exist_ok=True)
    for source in (ROOT / "seeds", ROOT / "tests" / "probes"):
        for path in sorted(source.glob("*.wiki")):
            shutil.copy(path, folder / f"{source.name}-{path.name}")
    build_dump(folder / "generated.xml.bz2", articles)


def ingest_command(folder: Path, store: Path, processes: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "claims.cli",
        "ingest",
        str(folder),
        "--store",
        str(store),
        "--quiet",
        "--processes",
        str(processes),
    ]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def run_ingest(folder: Path, store: Path, processes: int) -> float:
    """Ingest to completion; the seconds it took."""
    start = time.perf_counter()
    done = subprocess.run(
        ingest_command(folder, store, processes),
        capture_output=True,
        text=True,
        env=_env(),
        cwd=folder,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"crash_test: ingest failed ({done.returncode}): {done.stderr.strip()}")
    return time.perf_counter() - start


class Watched:
    """An ingest run with its progress bar on, whose stderr is read by a thread: the pages the
    bar counts (it moves once a batch is written) and when its line ends (the bar is closed
    once the last batch is written, just before the final comparison)."""

    def __init__(self, command: list[str], folder: Path) -> None:
        self.start = time.perf_counter()
        self.child = subprocess.Popen(
            [c for c in command if c != "--quiet"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=_env(),
            cwd=folder,
        )
        self.pages = 0
        self.written = threading.Event()
        self.compare_start: float | None = None
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.child.stderr is not None
        while chunk := self.child.stderr.read1(4096):  # type: ignore[attr-defined]
            if self.compare_start is None:
                counts = BAR.findall(chunk)
                if counts:
                    self.pages = int(counts[-1])
                if b"\n" in chunk:
                    self.compare_start = time.perf_counter() - self.start
                    self.written.set()
        self.written.set()

    def wait_pages(self, pages: int, timeout: float) -> None:
        """Until the bar counts `pages` (or its line ended, or `timeout` seconds passed)."""
        deadline = time.perf_counter() + timeout
        while self.pages < pages and not self.written.is_set():
            if time.perf_counter() > deadline:
                return
            time.sleep(0.02)

    def kill(self) -> float:
        """SIGKILL; the seconds since the start."""
        at = time.perf_counter() - self.start
        self.child.send_signal(signal.SIGKILL)
        self.child.wait()
        self.reader.join()
        return at

    def finish(self) -> float:
        """Wait for the end; the seconds of the whole run."""
        code = self.child.wait()
        self.reader.join()
        if code not in (0, 1):
            raise SystemExit(f"crash_test: the clean ingest failed ({code})")
        return time.perf_counter() - self.start


BAR = re.compile(rb"ingest: (\d+) pages")
RETRIES = 3
"""A kill that came after the run ended (the machine was faster than in the clean run) is
drawn again, its wait halved, at most this many times."""


def kill_plan(kills: int, seed: int) -> list[tuple[str, float, float]]:
    """Seeded kill points, as (phase, share, jitter), each a fraction. The writing of batches
    gets every kill but the last: the run is killed once its bar counts `share` of the pages
    (each kill's share drawn from its own slice, so that they spread from the first batch to
    the last), `jitter` of a batch's time later (so the kill falls anywhere in the batch that
    follows: extraction or its transaction). The last kill (when there are two or more) falls
    in the final comparison: `jitter` of the clean run's comparison time after the killed
    run's bar closed."""
    rng = random.Random(seed)
    in_compare = 1 if kills > 1 else 0
    writing = kills - in_compare
    plan = [
        ("writing", rng.uniform(0.9 * k / writing, 0.9 * (k + 1) / writing), rng.uniform(0, 0.9))
        for k in range(writing)
    ]
    plan += [("comparison", 0.0, rng.uniform(0.05, 0.6)) for _ in range(in_compare)]
    return plan


def content(store: Path) -> dict[str, object]:
    """What the store holds, per table: its row count and a digest of its rows (sorted, the
    write times left out), and the claim ids."""
    import duckdb

    out: dict[str, object] = {}
    con = duckdb.connect(str(store), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        for table in sorted(tables):
            frame = con.execute(f"SELECT * FROM {table}").df()
            if table == "meta":
                frame = frame[~frame["key"].isin(["version", "compared_version"])]
            frame = frame.drop(columns=list(IGNORED_COLUMNS.get(table, ())))
            frame = frame.astype(str).sort_values(list(frame.columns)).reset_index(drop=True)
            digest = hashlib.sha1(frame.to_csv(index=False).encode()).hexdigest()
            out[table] = (len(frame), digest)
        ids = con.execute("SELECT claim_id FROM claims ORDER BY claim_id").fetchall()
        out["claim ids"] = hashlib.sha1("\n".join(r[0] for r in ids).encode()).hexdigest()
    finally:
        con.close()
    return out


def phase_of(store: Path, expected_articles: int) -> tuple[str, int]:
    """Where a killed run was, told from what it left: (phase, articles held)."""
    from claims.service import comparison_key
    from claims.store import Store

    if not store.exists():
        return PHASES[0], 0
    held = Store(store, read_only=True)
    count = held.article_count()
    if count < expected_articles:
        return (PHASES[1] if count else PHASES[0]), count
    if not held.comparison_is_current(comparison_key):
        return PHASES[2], count
    return PHASES[3], count


def store_check(store: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "claims.cli", "store", "check", "--store", str(store)],
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    return done.stdout.strip() if done.returncode == 0 else f"check failed: {done.stdout.strip()}"


def crash_test(
    work: Path, *, articles: int = 400, kills: int = 5, seed: int = 15, processes: int = 1
) -> tuple[float, float, list[Kill]]:
    """The clean run's seconds, when its comparison began, and what each kill found."""
    from claims.ingest import BATCH_ARTICLES

    folder = work / "articles"
    build_folder(folder, articles)
    clean = Watched(ingest_command(folder, work / "clean.duckdb", processes), folder)
    seconds = clean.finish()
    compare_start = clean.compare_start or seconds
    compare_seconds = max(seconds - compare_start, 0.1)
    pages = max(clean.pages, 1)
    batch_seconds = compare_start / math.ceil(pages / BATCH_ARTICLES)
    expected = content(work / "clean.duckdb")
    expected_articles = int(expected["articles"][0])  # type: ignore[index]
    results = []
    for k, (aim, share, jitter) in enumerate(kill_plan(kills, seed)):
        store = work / f"killed-{k}.duckdb"
        for attempt in range(RETRIES + 1):
            for stale in store.parent.glob(store.name + "*"):
                stale.unlink()
            run = Watched(ingest_command(folder, store, processes), folder)
            wait = jitter / 2**attempt
            if aim == "writing":
                run.wait_pages(round(share * pages), timeout=10 * seconds)
                time.sleep(wait * batch_seconds)
            else:
                run.written.wait(timeout=10 * seconds)
                time.sleep(wait * compare_seconds)
            delay = run.kill()
            phase, held = phase_of(store, expected_articles)
            if phase != PHASES[-1]:
                break
        run_ingest(folder, store, processes)
        found = content(store)
        differences = [
            name
            for name in sorted(set(expected) | set(found))
            if expected.get(name) != found.get(name)
        ]
        check = store_check(store)
        if check.startswith("check failed"):
            differences.append(check)
        results.append(Kill(delay, phase, held, not differences, differences, attempt))
    return seconds, compare_start, results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400, help="of the generated dump")
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        seconds, compare_start, results = crash_test(
            Path(folder),
            articles=args.articles,
            kills=args.kills,
            seed=args.seed,
            processes=args.processes,
        )
    print(f"clean run: {seconds:.1f} s, its final comparison from {compare_start:.1f} s")
    for k, kill in enumerate(results, start=1):
        verdict = "matched" if kill.matched else f"DIFFERS: {', '.join(kill.differences)}"
        again = f", drawn again {kill.redrawn} time(s)" if kill.redrawn else ""
        print(
            f"kill {k}: after {kill.delay:.2f} s, {kill.phase} "
            f"({kill.articles_at_kill} articles held{again}): rerun {verdict}"
        )
    by_phase = {phase: sum(k.phase == phase for k in results) for phase in PHASES}
    print("kills by phase: " + ", ".join(f"{p} {n}" for p, n in by_phase.items() if n))
    matched = sum(k.matched for k in results)
    print(f"{matched} of {len(results)} reruns equal the clean run")
    return 0 if matched == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
