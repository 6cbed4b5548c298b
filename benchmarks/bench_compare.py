"""Time of `claims.compare` on generated claim sets of growing size.

    python benchmarks/bench_compare.py [--sizes 1000 10000 100000] [--runs 3]

Claims are generated like a corpus of conflict articles: each article has a few dozen
incidents (a date, a place, a sentence) reported by several outlets with nearby or distant
figures, plus infobox totals. Prints the median time per size and its growth against the
previous size (1.0x per 10x claims would be flat; 10x is linear). `cpu s` is the process's
CPU time: `compare` runs on one core, so on a busy machine wall time grows but CPU time does not.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import date, timedelta

import pandas as pd

from claims.match import compare
from claims.model import ALL_CLAIM_COLUMNS, make_claim_id

TOPICS = ["killed", "injured", "displaced", "detained", "strength", "captured", "strikes"]
PARTIES = ["civilians", "soldiers", "rebels", "fighters", "police", ""]
SOURCES = [
    "Reuters",
    "AP",
    "AFP",
    "SOHR",
    "BBC",
    "Al Jazeera",
    "TASS",
    "SANA",
    "ANHA",
    "CNN",
    "Anadolu",
    "RIA",
    "Kyiv Independent",
    "ISW",
    "OCHA",
    "Airwars",
    "NYT",
    "Guardian",
]
PLACES = [
    "Aleppo",
    "Idlib",
    "Hama",
    "Homs",
    "Raqqa",
    "Deir ez-Zor",
    "Bakhmut",
    "Avdiivka",
    "Mariupol",
    "Gaza City",
    "Khan Younis",
    "Rafah",
    "Mosul",
    "Fallujah",
    "Sanaa",
    "Marib",
]
VERBS = [
    "an air strike on the market in",
    "shelling of the hospital in",
    "clashes near",
    "a drone attack on a convoy outside",
    "an ambush on the road to",
    "fighting in",
]


def generate(n: int, seed: int = 7) -> pd.DataFrame:
    rng = random.Random(seed)
    rows = []
    article = 0
    while len(rows) < n:
        article += 1
        title = f"Battle {article}"
        start = date(2015, 1, 1) + timedelta(days=rng.randrange(3000))
        for incident in range(rng.randint(10, 40)):
            day = start + timedelta(days=rng.randrange(60))
            place = rng.choice(PLACES)
            topic = rng.choice(TOPICS)
            party = rng.choice(PARTIES)
            base = rng.randint(2, 5000)
            sentence = f"On {day:%d %B %Y}, {rng.choice(VERBS)} {place} killed {{}} {party}."
            for source in rng.sample(SOURCES, rng.randint(1, 5)):
                value = base if rng.random() < 0.6 else max(1, int(base * rng.uniform(0.5, 2)))
                rows.append(
                    (
                        title,
                        incident,
                        "prose",
                        topic,
                        party,
                        value,
                        day.isoformat(),
                        place,
                        source,
                        sentence.format(value),
                    )
                )
        for party in ("soldiers", "rebels", "civilians"):
            for source in rng.sample(SOURCES, 2):
                value = rng.randint(100, 50000)
                rows.append(
                    (
                        title,
                        -1,
                        "infobox",
                        "killed",
                        party,
                        value,
                        "",
                        "",
                        source,
                        f"{value} {party} killed",
                    )
                )
    rows = rows[:n]
    frame = pd.DataFrame(
        rows,
        columns=[
            "article",
            "incident",
            "origin",
            "topic",
            "party",
            "value_low",
            "date",
            "place",
            "source",
            "quote",
        ],
    )
    frame["value_high"] = frame["value_low"]
    frame["value_text"] = frame["value_low"].astype(str)
    frame["claim_id"] = [make_claim_id(i) for i in range(len(frame))]
    for column in ALL_CLAIM_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    return frame[list(ALL_CLAIM_COLUMNS)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"median of {args.runs} runs; load average {load} on {os.cpu_count()} cores")
    print(
        f"{'claims':>8} {'groups':>8} {'pairs':>8} {'seconds':>8} {'cpu s':>7} "
        f"{'claims/s':>10} {'growth':>7}"
    )
    previous = None
    for size in args.sizes:
        frame = generate(size)
        times, cpu_times = [], []
        for _ in range(args.runs):
            start, cpu_start = time.perf_counter(), time.process_time()
            result = compare(frame)
            times.append(time.perf_counter() - start)
            cpu_times.append(time.process_time() - cpu_start)
        seconds = statistics.median(times)
        cpu = statistics.median(cpu_times)
        growth = f"{seconds / previous:6.1f}x" if previous else "      -"
        print(
            f"{size:8d} {len(result.groups):8d} {len(result.pairs):8d} {seconds:8.2f} {cpu:7.2f} "
            f"{size / seconds:10.0f} {growth}"
        )
        previous = seconds


if __name__ == "__main__":
    main()
