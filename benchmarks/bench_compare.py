"""Time of `claims.compare` on generated claim sets of growing size.

    python benchmarks/bench_compare.py [--shape standard] [--sizes 1000 10000 100000] [--runs 3]

`standard` claims are generated like a corpus of conflict articles: each article has a few dozen
incidents (a date, a place, a sentence) reported by several outlets with nearby or distant
figures, plus infobox totals. The other shapes are the ones that once made the comparison
quadratic: `one-block` (one article, topic and party), `totals` (one article's totals, each at
a place of its own), `parties` (a party name of its own for every claim), `day-place` (many
articles telling one day at one place in words of their own). Prints the median time per size,
the growth of CPU time against the previous size ("2.0x per 2x" is linear) and the peak memory
of the process that generated and compared that size (each size runs in a process of its own;
`input MB` is its peak once the claims are generated, before comparing them). `cpu s` is the
process's CPU time (user and system, `resource.getrusage`): `compare` runs on one core, so on
a busy machine wall time grows but CPU time does not.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
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
    return _frame(rows[:n])


COLUMNS = [
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
]


def _frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["value_high"] = frame["value_low"]
    frame["value_text"] = frame["value_low"].astype(str)
    frame["claim_id"] = [make_claim_id(i) for i in range(len(frame))]
    for column in ALL_CLAIM_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    return frame[list(ALL_CLAIM_COLUMNS)]


SYLLABLES = [
    "ka",
    "lo",
    "ran",
    "mir",
    "tes",
    "vo",
    "dan",
    "il",
    "shu",
    "ber",
    "ak",
    "zan",
    "po",
    "rem",
    "ul",
    "gor",
    "fi",
    "nat",
    "se",
    "kor",
    "bal",
    "ti",
    "mun",
    "ya",
    "res",
    "do",
    "kh",
    "an",
]


def _name(rng: random.Random, syllables: int = 3) -> str:
    """A made-up word ("Kaloran"), so that generated places and parties share no name."""
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()


def _words(rng: random.Random, n: int) -> str:
    return " ".join(_name(rng, 2).lower() for _ in range(n))


def one_block(n: int, seed: int = 7) -> pd.DataFrame:
    """One article, one topic, one party: every claim falls in one block, most of them on a
    few days at a few places, in like sentences (large groups, many sources in each)."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        day = date(2020, 1, 1) + timedelta(days=rng.randrange(5))
        place = rng.choice(PLACES[:3])
        value = rng.randint(2, 5000)
        sentence = f"On {day:%d %B %Y}, {rng.choice(VERBS)} {place} killed {value} civilians."
        rows.append(
            (
                "Battle 1",
                i,
                "prose",
                "killed",
                "civilians",
                value,
                day.isoformat(),
                place,
                rng.choice(SOURCES),
                sentence,
            )
        )
    return _frame(rows)


def totals(n: int, seed: int = 7) -> pd.DataFrame:
    """One article giving n totals of one topic and party, each at a place of its own."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        place = f"{_name(rng, 4)} {_name(rng, 3)}"
        value = rng.randint(100, 50000)
        rows.append(
            (
                "War 1",
                i,
                "prose",
                "killed",
                "civilians",
                value,
                "",
                place,
                rng.choice(SOURCES),
                f"In total, {value} civilians were killed in {place}.",
            )
        )
    return _frame(rows)


def parties(n: int, seed: int = 7) -> pd.DataFrame:
    """n claims each naming a party of its own ("Kaloran Mirtes Brigade"), ten to an article."""
    rng = random.Random(seed)
    kinds = ["Brigade", "Forces", "Movement", "Front", "Army", "Militia"]
    rows = []
    for i in range(n):
        party = f"{_name(rng)} {_name(rng)} {rng.choice(kinds)}"
        value = rng.randint(2, 5000)
        day = date(2015, 1, 1) + timedelta(days=rng.randrange(3000))
        place = rng.choice(PLACES)
        rows.append(
            (
                f"Battle {i // 10}",
                i,
                "prose",
                rng.choice(TOPICS),
                party,
                value,
                day.isoformat(),
                place,
                rng.choice(SOURCES),
                f"On {day:%d %B %Y}, {value} of the {party} were killed near {place}.",
            )
        )
    return _frame(rows)


def day_place(n: int, seed: int = 7) -> pd.DataFrame:
    """Many articles telling incidents of one day at one place, each in words of its own, a
    few claims to an article."""
    rng = random.Random(seed)
    rows = []
    day = date(2020, 5, 5)
    for i in range(n):
        value = rng.randint(2, 5000)
        rows.append(
            (
                f"Article {i // 3}",
                i,
                "prose",
                "killed",
                "civilians",
                value,
                day.isoformat(),
                "Aleppo",
                rng.choice(SOURCES),
                f"{_words(rng, 8).capitalize()} {value}.",
            )
        )
    return _frame(rows)


DEFAULT_SIZES = {
    "standard": [1000, 10000, 100000],
    "one-block": [2000, 4000, 8000, 16000],
    "totals": [2000, 4000, 8000, 16000],
    "parties": [2000, 4000, 8000, 16000],
    "day-place": [2000, 4000, 8000, 16000],
}
SHAPES = {
    "standard": generate,
    "one-block": one_block,
    "totals": totals,
    "parties": parties,
    "day-place": day_place,
}


def _cpu() -> float:
    """The CPU seconds (user and system) this process has used."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _measure(shape: str, size: int, runs: int, queue: multiprocessing.Queue) -> None:
    """One size in a process of its own, so that its peak memory is its own."""
    frame = SHAPES[shape](size)
    made = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    times, cpu_times = [], []
    for _ in range(runs):
        start, cpu_start = time.perf_counter(), _cpu()
        result = compare(frame)
        times.append(time.perf_counter() - start)
        cpu_times.append(_cpu() - cpu_start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put(
        (
            len(result.groups),
            len(result.pairs),
            statistics.median(times),
            statistics.median(cpu_times),
            peak,
            made,
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", choices=sorted(SHAPES), default="standard")
    parser.add_argument("--sizes", type=int, nargs="+")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sizes = args.sizes or DEFAULT_SIZES[args.shape]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"shape {args.shape}; median of {args.runs} runs; load average {load} on "
        f"{os.cpu_count()} cores"
    )
    print(
        f"{'claims':>9} {'groups':>8} {'pairs':>8} {'seconds':>8} {'cpu s':>7} "
        f"{'claims/s':>10} {'growth':>12} {'peak MB':>8} {'input MB':>8}"
    )
    context = multiprocessing.get_context("fork")
    previous: tuple[int, float] | None = None
    for size in sizes:
        queue = context.Queue()
        worker = context.Process(target=_measure, args=(args.shape, size, args.runs, queue))
        worker.start()
        groups, pairs, seconds, cpu, peak, made = queue.get()
        worker.join()
        growth = "-"
        if previous:
            # the growth of CPU time against that of the claims: 2.0x per 2x is linear
            growth = f"{cpu / previous[1]:.1f}x per {size / previous[0]:g}x"
        print(
            f"{size:9d} {groups:8d} {pairs:8d} {seconds:8.2f} {cpu:7.2f} "
            f"{size / seconds:10.0f} {growth:>12} {peak:8.0f} {made:8.0f}"
        )
        previous = (size, cpu)


if __name__ == "__main__":
    main()
