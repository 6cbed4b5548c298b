"""Ingest speed and peak memory on a generated MediaWiki dump.

    python benchmarks/bench_ingest.py [--articles 1000 5000] [--engines local1 local2 dask]
                                      [--repeat N]
    python benchmarks/bench_ingest.py --prefilter [--pages 5000] [--share 0.01]
                                      [--modes prefilter all] [--engines local1]
    python benchmarks/bench_ingest.py --multistream [--pages 50000] [--all-pages 2000]
                                      [--engines local1 local2 dask1 dask2] [--no-index]

Builds a `.xml.bz2` dump of N articles (one in ten is the seed article under another title with
its figures changed, the rest are short battle articles with an infobox, cited prose and
headlines), then ingests it into a fresh store once per engine, each in its own process, and
prints the median of N runs: seconds and articles/s of the ingest, claims, the peak resident
memory of the ingesting process and of its workers, then the time and peak memory of comparing
all the stored claims once at the end (which grows with the store, not with the dump's reading).

With --prefilter, the dump is an encyclopedia's mix instead: a `--share` of its pages (1%) are
conflict articles as above, the others short town articles (an infobox of a settlement, cited
prose with figures, categories), and it is ingested with the pre-filter ("prefilter") and
without it ("all", as `--all`): pages/s read and pages kept.

With --multistream, the same mix is written as a multistream dump with its index (a header
stream, streams of 100 pages, a closing stream; cached under /tmp/counterclaim-bench), and
ingested range by range by 1 and 2 workers of the local engine and of a dask LocalCluster,
with the pre-filter (`--pages`, 50,000) and without it (`--all-pages`, a smaller dump of the
same mix, as every page is then extracted): pages/s, pages/s per core, the speed-up of 2 workers
over 1, and the peak memory of the ingesting process and of its workers. `--no-index` adds the
runs that read the same dump from start to end in the ingesting process (no index).
"""

from __future__ import annotations

import argparse
import bz2
import json
import os
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
OTHER = (Path(__file__).resolve().parent / "data" / "other_template.wiki").read_text(
    encoding="utf-8"
)  # a page that is no conflict article, the same kind of template
REGIONS = ["Northland", "Southland", "Eastmark", "Westvale"]


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


def other_page(n: int, rng: random.Random) -> tuple[str, str]:
    place = rng.choice(PLACES)
    values = {
        "place": place,
        "n": n,
        "region": rng.choice(REGIONS),
        "river": rng.choice(PLACES),
        "other": rng.choice(PLACES),
        "population": rng.randint(2_000, 90_000),
        "older": rng.randint(1_000, 60_000),
        "year": rng.randint(2001, 2021),
        "older_year": rng.randint(1900, 1990),
        "area": rng.randint(5, 300),
        "elevation": rng.randint(2, 900),
        "founded": rng.randint(900, 1500),
        "arches": rng.randint(2, 12),
        "bridge": rng.randint(1500, 1800),
        "railway": rng.randint(1840, 1910),
        "page": rng.randint(1, 400),
        "workers": rng.randint(200, 5000),
        "rain": rng.randint(400, 1400),
        "sun": rng.randint(1200, 2600),
        "beds": rng.randint(50, 900),
        "schools": rng.randint(2, 40),
        "firms": rng.randint(5, 200),
        "visitors": rng.randint(500, 20000),
        "born": rng.randint(1930, 1990),
        "born2": rng.randint(1920, 1960),
        "century": rng.randint(11, 19),
    }
    return f"{place} {n}", OTHER.format(**values)


def build_dump(path: Path, count: int, share: float = 1.0) -> None:
    """A dump of `count` pages; with `share` under 1, only one page in 1/share is a conflict
    article, the others town articles."""
    rng = random.Random(count)
    step = max(round(1 / share), 1) if share < 1 else 1
    with bz2.open(path, "wt", encoding="utf-8") as out:
        out.write('<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/">\n')
        for n in range(count):
            title, text = article(n // step, rng) if n % step == 0 else other_page(n, rng)
            out.write(
                f"<page><title>{escape(title)}</title><ns>0</ns><id>{n + 1}</id><revision>"
                f'<id>{n + 1}</id><text xml:space="preserve">{escape(text)}</text></revision>'
                "</page>\n"
            )
        out.write("</mediawiki>\n")


CACHE = Path(tempfile.gettempdir()) / "counterclaim-bench"


def page_items(count: int, share: float):
    """(page id, title, <page> XML) of the mixed dump of `build_dump`."""
    rng = random.Random(count)
    step = max(round(1 / share), 1) if share < 1 else 1
    for n in range(count):
        title, text = article(n // step, rng) if n % step == 0 else other_page(n, rng)
        stamp = f"2024-{n % 12 + 1:02d}-{n % 28 + 1:02d}T12:00:00Z"
        yield (
            n + 1,
            title,
            f"<page><title>{escape(title)}</title><ns>0</ns><id>{n + 1}</id><revision>"
            f"<id>{n + 1}</id><timestamp>{stamp}</timestamp>"
            f'<text xml:space="preserve">{escape(text)}</text></revision></page>',
        )


def multistream_dump(count: int, share: float) -> Path:
    """The mixed dump of `count` pages as a multistream dump with its index, made once and kept
    under /tmp (the generator is seeded: the same arguments give the same dump)."""
    from claims.multistream import write_multistream

    folder = CACHE / f"multistream-{count}-{share:g}-v1"
    dump = folder / "bench-pages-articles-multistream.xml.bz2"
    done = folder / "complete"
    if not done.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        write_multistream(dump, page_items(count, share))
        done.write_text("ok\n")
    return dump


def child(dump: str, store_path: str, engine: str, mode: str = "all") -> None:
    from claims.ingest import ingest
    from claims.service import ComparedStore
    from claims.store import Store

    name = engine.removesuffix("-noindex")
    processes = 2 if name in ("local2", "dask", "dask2") else 1
    store = Store(store_path)
    startup = resource.getrusage(resource.RUSAGE_SELF)
    startup_cpu = startup.ru_utime + startup.ru_stime
    start = time.perf_counter()
    report = ingest(
        [dump],
        store,
        processes=processes,
        engine="dask" if name.startswith("dask") else "local",
        progress=False,
        compare=False,
        prefilter=mode == "prefilter",
        use_index=not engine.endswith("-noindex"),
    )
    seconds = time.perf_counter() - start
    ingest_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    own, kids = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    driver_cpu = own.ru_utime + own.ru_stime - startup_cpu
    workers_cpu = kids.ru_utime + kids.ru_stime
    start = time.perf_counter()
    ComparedStore(store).save()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "compare_s": time.perf_counter() - start,
                "articles": report.seen,
                "pages": report.seen + report.skipped,
                "kept": report.seen,
                "claims": report.claims,
                "failed": len(report.failed),
                "rss_mb": ingest_rss,
                "compare_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "workers_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                "driver_cpu_s": driver_cpu,
                "workers_cpu_s": workers_cpu,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--engines", nargs="+", help="local1 local2 dask (default: all three)")
    parser.add_argument("--repeat", type=int, default=1, metavar="N", help="runs per engine")
    parser.add_argument("--prefilter", action="store_true", help="pages/s with and without it")
    parser.add_argument("--pages", type=int, nargs="+", default=[5000])
    parser.add_argument("--share", type=float, default=0.01, help="of conflict articles")
    parser.add_argument("--modes", nargs="+", default=["prefilter", "all"])
    parser.add_argument("--multistream", action="store_true", help="1 vs 2 workers, by range")
    parser.add_argument("--all-pages", type=int, default=2000, help="of the --all runs")
    parser.add_argument("--no-index", action="store_true", help="add runs without the index")
    parser.add_argument("--child", nargs=4, metavar=("DUMP", "STORE", "ENGINE", "MODE"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    if args.prefilter:
        prefilter_table(args)
        return
    if args.multistream:
        multistream_table(args)
        return
    print(
        f"{'articles':>8} {'engine':>7} {'seconds':>8} {'art/s':>7} {'claims':>8} {'peak MB':>8} "
        f"{'workers MB':>10} {'compare s':>9} {'compare MB':>10}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for count in args.articles:
            dump = Path(folder) / f"dump-{count}.xml.bz2"
            build_dump(dump, count)
            for engine in args.engines or ["local1", "local2", "dask"]:
                runs = []
                for run in range(max(args.repeat, 1)):
                    store = Path(folder) / f"{engine}-{count}-{run}.duckdb"
                    done = subprocess.run(
                        [sys.executable, __file__, "--child", str(dump), str(store), engine, "all"],
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


def prefilter_table(args: argparse.Namespace) -> None:
    engines = args.engines or ["local1"]
    print(
        f"{'pages':>7} {'conflict':>8} {'engine':>7} {'mode':>9} {'seconds':>8} {'pages/s':>8} "
        f"{'kept':>6} {'claims':>7} {'peak MB':>8}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for count in args.pages:
            dump = Path(folder) / f"mixed-{count}.xml.bz2"
            build_dump(dump, count, args.share)
            conflicts = len(range(0, count, max(round(1 / args.share), 1)))
            for engine in engines:
                for mode in args.modes:
                    runs = []
                    for run in range(max(args.repeat, 1)):
                        store = Path(folder) / f"{engine}-{mode}-{count}-{run}.duckdb"
                        done = subprocess.run(
                            [
                                sys.executable,
                                __file__,
                                "--child",
                                str(dump),
                                str(store),
                                engine,
                                mode,
                            ],
                            capture_output=True,
                            text=True,
                            check=True,
                        )
                        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
                        store.unlink()
                    result = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
                    print(
                        f"{count:7d} {conflicts:8d} {engine:>7} {mode:>9} "
                        f"{result['seconds']:8.1f} {result['pages'] / result['seconds']:8.1f} "
                        f"{int(result['kept']):6d} {int(result['claims']):7d} "
                        f"{result['rss_mb']:8.0f}"
                    )


def run_child(dump: Path, store: Path, engine: str, mode: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(dump), str(store), engine, mode],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"{engine} {mode}: {done.stderr.strip().splitlines()[-1:]}")
    for leftover in store.parent.glob(store.name + "*"):
        if leftover.is_file():
            leftover.unlink()
    return json.loads(done.stdout.strip().splitlines()[-1])


def multistream_table(args: argparse.Namespace) -> None:
    engines = args.engines or ["local1", "local2", "dask1", "dask2"]
    before = ["local1-noindex", "local2-noindex", "dask2-noindex"] if args.no_index else []
    count = args.pages[0] if args.pages != [5000] else 50_000
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    print(
        f"{'pages':>7} {'mode':>9} {'engine':>15} {'workers':>7} {'seconds':>8} "
        f"{'pages/s':>8} {'/core':>7} {'x of 1':>6} {'kept':>5} {'claims':>7} "
        f"{'driver MB':>9} {'workers MB':>10} {'driver cpu':>10} {'workers cpu':>11} "
        f"{'pages/cpu-s':>11}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for mode, pages in (("prefilter", count), ("all", args.all_pages)):
            if mode not in args.modes:
                continue
            dump = multistream_dump(pages, args.share)
            single: dict[str, float] = {}
            for engine in engines + (before if mode == "prefilter" else []):
                workers = 2 if engine.split("-")[0] in ("local2", "dask2") else 1
                runs = [
                    run_child(dump, Path(folder) / f"{engine}-{mode}-{run}.duckdb", engine, mode)
                    for run in range(max(args.repeat, 1))
                ]
                result = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
                rate = result["pages"] / result["seconds"]
                family = engine.replace("2", "1")
                if workers == 1:
                    single[engine] = rate
                ratio = rate / single[family] if family in single else 1.0
                print(
                    f"{pages:7d} {mode:>9} {engine:>15} {workers:7d} {result['seconds']:8.1f} "
                    f"{rate:8.1f} {rate / workers:7.1f} {ratio:6.2f} {int(result['kept']):5d} "
                    f"{int(result['claims']):7d} {result['rss_mb']:9.0f} "
                    f"{result['workers_rss_mb']:10.0f} {result['driver_cpu_s']:10.1f} "
                    f"{result['workers_cpu_s']:11.1f} "
                    f"{result['pages'] / (result['driver_cpu_s'] + result['workers_cpu_s']):11.1f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
