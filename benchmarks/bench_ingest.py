"""Ingest speed and peak memory on a generated MediaWiki dump.

    python benchmarks/bench_ingest.py [--articles 1000 5000] [--engines local1 local2 dask]
                                      [--repeat N]

Builds a `.xml.bz2` dump of N articles (one in ten is the seed article under another title with
its figures changed, the rest are short battle articles with an infobox, cited prose and
headlines), then ingests it into a fresh store once per engine, each in its own process, and
prints the median of N runs: seconds and articles/s of the ingest, claims, the peak resident
memory of the ingesting process and of its workers, then the time and peak memory of comparing
all the stored claims once at the end (which grows with the store, not with the dump's reading).
"""

from __future__ import annotations

import argparse
import bz2
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "seeds" / "battle-of-aleppo-2024.wiki").read_text(encoding="utf-8")
OUTLETS = [
    "Reuters",
    "Associated Press",
    "BBC News",
    "Al Jazeera",
    "TASS",
    "SANA",
    "Syrian Observatory for Human Rights",
    "Kyiv Independent",
    "The Guardian",
    "AFP",
]
PLACES = ["Redtown", "Hillcrest", "Lakeside", "Oakford", "Riverford", "Stonebridge"]

SMALL = (Path(__file__).resolve().parent / "data" / "battle_template.wiki").read_text(
    encoding="utf-8"
)  # str.format template: {{ }} are literal braces


def article(n: int, rng: random.Random) -> tuple[str, str]:
    if n % 10 == 0:
        text = SEED.replace("350 militants", f"{rng.randint(100, 900)} militants")
        return f"Battle of Aleppo variant {n}", text
    place = rng.choice(PLACES)
    year = rng.randint(2000, 2024)
    values = {
        "place": place,
        "year": year,
        "day": rng.randint(1, 20),
        "n": n,
        "day2": rng.randint(21, 28),
        "strength": rng.randint(500, 50000),
        "killed": rng.randint(5, 900),
        "civilians": rng.randint(2, 90),
        "villages": rng.randint(2, 30),
        "fled": rng.randint(1000, 90000),
    }
    for k, outlet in enumerate(rng.sample(OUTLETS, 4), start=1):
        values[f"o{k}"] = outlet
    return f"Battle of {place} {n}", SMALL.format(**values)


def build_dump(path: Path, count: int) -> None:
    rng = random.Random(count)
    with bz2.open(path, "wt", encoding="utf-8") as out:
        out.write('<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/">\n')
        for n in range(count):
            title, text = article(n, rng)
            out.write(
                f"<page><title>{escape(title)}</title><ns>0</ns><id>{n + 1}</id><revision>"
                f'<id>{n + 1}</id><text xml:space="preserve">{escape(text)}</text></revision>'
                "</page>\n"
            )
        out.write("</mediawiki>\n")


def child(dump: str, store_path: str, engine: str) -> None:
    from claims.ingest import ingest
    from claims.service import ComparedStore
    from claims.store import Store

    processes = 2 if engine in ("local2", "dask") else 1
    store = Store(store_path)
    start = time.perf_counter()
    report = ingest(
        [dump],
        store,
        processes=processes,
        engine="dask" if engine == "dask" else "local",
        progress=False,
        compare=False,
    )
    seconds = time.perf_counter() - start
    ingest_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    ComparedStore(store).save()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "compare_s": time.perf_counter() - start,
                "articles": report.seen,
                "claims": report.claims,
                "failed": len(report.failed),
                "rss_mb": ingest_rss,
                "compare_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "workers_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--engines", nargs="+", default=["local1", "local2", "dask"])
    parser.add_argument("--repeat", type=int, default=1, metavar="N", help="runs per engine")
    parser.add_argument("--child", nargs=3, metavar=("DUMP", "STORE", "ENGINE"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    print(
        f"{'articles':>8} {'engine':>7} {'seconds':>8} {'art/s':>7} {'claims':>8} {'peak MB':>8} "
        f"{'workers MB':>10} {'compare s':>9} {'compare MB':>10}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for count in args.articles:
            dump = Path(folder) / f"dump-{count}.xml.bz2"
            build_dump(dump, count)
            for engine in args.engines:
                runs = []
                for run in range(max(args.repeat, 1)):
                    store = Path(folder) / f"{engine}-{count}-{run}.duckdb"
                    done = subprocess.run(
                        [sys.executable, __file__, "--child", str(dump), str(store), engine],
                        capture_output=True,
                        text=True,
                        check=True,
                    )
                    runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
                    store.unlink()
                result = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
                result["claims"] = int(result["claims"])
                print(
                    f"{count:8d} {engine:>7} {result['seconds']:8.1f} "
                    f"{result['articles'] / result['seconds']:7.1f} {result['claims']:8d} "
                    f"{result['rss_mb']:8.0f} {result['workers_rss_mb']:10.0f} "
                    f"{result['compare_s']:9.1f} {result['compare_rss_mb']:10.0f}"
                )


if __name__ == "__main__":
    main()
