"""Dashboard callback latency for a filter change with many claims loaded.

Builds a synthetic store of N claims (default 100,000) over many articles, parties and outlets,
compares it once with `claims.match.compare`, then times what the server does when a user
changes a filter: the URL/controls sync, the disputes list, the charts callback and the grid
callback, each on a filter state not seen before (no view cache hit; the first callback of a
change pays for slicing the view, the others find it cached). Prints median and p95 per callback.

    python benchmarks/bench_dashboard.py [--claims 100000] [--runs 30]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from claims.model import ALL_CLAIM_COLUMNS
from dashboard.callbacks import charts, filters, grid, pages
from dashboard.data import DashboardData

KINDS = [
    "monitor",
    "news agency",
    "state media",
    "newspaper",
    "broadcaster",
    "NGO",
    "UN",
    "government",
    "think tank",
    "social media",
    "unknown",
]
TOPICS = [
    "killed",
    "killed",
    "killed",
    "injured",
    "strength",
    "strength",
    "displaced",
    "detained",
    "captured",
    "equipment",
    "strikes",
]


def synthetic_claims(n: int, seed: int = 7) -> pd.DataFrame:
    """N claims shaped like extraction output: many articles, parties, outlets and dates."""
    rng = np.random.default_rng(seed)
    sources = [f"Outlet {i}" for i in range(150)]
    source_kind = {s: KINDS[i % len(KINDS)] for i, s in enumerate(sources)}
    low = np.round(np.exp(rng.normal(4, 2, n))).clip(1, 2_000_000)
    ranged = rng.random(n) < 0.3
    high = np.where(ranged, np.round(low * rng.uniform(1.1, 3, n)), low)
    source = rng.choice(sources, n)
    days = rng.integers(0, 730, n)
    dates = (pd.Timestamp("2023-01-01") + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d")
    frame = pd.DataFrame(
        {
            "article": [f"Battle of Place {i}" for i in rng.integers(0, 300, n)],
            "claim_id": [f"{i:016x}" for i in range(n)],
            "origin": rng.choice(["infobox", "prose", "citation_title"], n),
            "section": rng.choice(["Battle", "Casualties", "Aftermath"], n),
            "topic": rng.choice(TOPICS, n),
            "party": [f"Party {i}" for i in rng.integers(0, 40, n)],
            "side": rng.choice(["1", "2", ""], n),
            "value_low": low,
            "value_high": high,
            "value_text": [f"about {int(v):,}" for v in low],
            "qualifier": rng.choice(["exact", "about", "range"], n),
            "date": np.where(rng.random(n) < 0.9, dates, ""),
            "place": rng.choice(["", "north", "the city"], n),
            "source": source,
            "source_name": [f"{s} News" for s in source],
            "source_kind": [source_kind[s] for s in source],
            "claimant": rng.choice(["", "", "state media", "the army"], n),
            "citation_title": "Dozens killed in fighting",
            "citation_url": "https://example.org/news/article",
            "archive_url": "",
            "quote": "Fighters from both sides were killed as the offensive reached the city, "
            "the monitor said, citing medical sources on the ground.",
            "start": 0,
            "end": 120,
        }
    )
    for column in ALL_CLAIM_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    return frame[list(ALL_CLAIM_COLUMNS)]


class BenchStore:
    """A store holding one precomputed comparison (the dashboard only reads it)."""

    def __init__(self, comparison) -> None:
        self._comparison = comparison

    def version(self) -> str:
        return "bench"

    def comparison(self):
        return self._comparison

    def articles_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"title": self._comparison.claims["article"].unique()})

    def add_article(self, title: str, text: str, *, path: str = "") -> list:
        raise NotImplementedError


def timed(function: Callable[[], object]) -> tuple[float, float]:
    """(wall ms, CPU ms of this thread): CPU time is what the callback costs on a shared machine."""
    start, cpu = time.perf_counter(), time.thread_time()
    function()
    return (time.perf_counter() - start) * 1000, (time.thread_time() - cpu) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    from claims.match import compare

    claims = synthetic_claims(args.claims)
    start = time.perf_counter()
    comparison = compare(claims)
    compare_s = time.perf_counter() - start
    data = DashboardData(BenchStore(comparison))
    start = time.perf_counter()
    data.snapshot()
    snapshot_s = time.perf_counter() - start
    charts.render_charts(data, "")  # warm-up: imports, first full view
    grid.render_grid(data, "", None)
    pages.render_disputes(data, "", False)

    parties = sorted(claims["party"].unique())
    sources = sorted(claims["source"].unique())
    searches = []
    for i in range(args.runs):
        choice = i % 3
        if choice == 0:
            searches.append(f"?topic={TOPICS[i % len(TOPICS)]}&party={parties[i % len(parties)]}")
        elif choice == 1:
            searches.append(f"?source={sources[i % len(sources)]}&date_from=2023-{i % 12 + 1:02d}")
        else:
            searches.append(f"?source_kind={KINDS[i % len(KINDS)]}&verdict=conflict")
    rows: dict[str, list[tuple[float, float]]] = {
        "sync (controls -> URL)": [],
        "disputes": [],
        "charts": [],
        "grid": [],
    }
    for search in searches:
        values = [[], [], [], [], [], [], None, None]
        rows["sync (controls -> URL)"].append(
            timed(lambda: filters.sync_filters("control", "", values, "killed"))  # noqa: B023
        )
        rows["disputes"].append(timed(lambda: pages.render_disputes(data, search, False)))  # noqa: B023
        rows["charts"].append(timed(lambda: charts.render_charts(data, search)))  # noqa: B023
        rows["grid"].append(timed(lambda: grid.render_grid(data, search, None)))  # noqa: B023
    total = [
        (sum(wall for wall, _ in parts), sum(cpu for _, cpu in parts))
        for parts in zip(*rows.values(), strict=True)
    ]
    rows["filter change, all callbacks"] = total

    print(f"{args.claims:,} claims; compare {compare_s:.1f} s once; snapshot {snapshot_s:.2f} s")
    print(f"{'callback':32} {'median ms':>10} {'p95 ms':>10} {'CPU median':>11}  runs")
    for name, times in rows.items():
        wall = [w for w, _ in times]
        cpu = [c for _, c in times]
        p95 = float(np.percentile(wall, 95))
        print(
            f"{name:32} {statistics.median(wall):10.1f} {p95:10.1f} "
            f"{statistics.median(cpu):11.1f}  {len(times)}"
        )
    goal = statistics.median(w for w, _ in total) < 150
    print(f"goal median < 150 ms for a filter change: {'met' if goal else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
