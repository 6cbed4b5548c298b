"""Extraction time per article against mwparserfromhell's parse alone on the same text.

    python benchmarks/bench_extract.py [ARTICLE...] [--runs N] [--table-rows N]

Prints, per article, the median of N runs of: the parse alone, the citation index, the plain
text rendering, and the whole extraction (which includes its own parse); then the ratio of the
extraction to the parse and the articles extracted per second. Next to the seeds it times a
generated article made of one cited casualty table (`--table-rows`, 0 to leave it out).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from claims.citations import read_citations
from claims.extract import extract
from claims.parse import parse, render

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def median_ms(action: Callable[[object], object], argument: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action(argument)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def table_article(rows: int) -> str:
    """An article whose figures sit in one wikitable: a date, a place, a count, a note."""
    lines = [
        "{{Infobox military conflict|conflict=Generated campaign|date=2016}}",
        "The campaign lasted a year.",
        "== Incidents ==",
        '{| class="wikitable"',
        "! Date !! Place !! Killed !! Notes",
    ]
    for i in range(rows):
        lines.append("|-")
        lines.append(
            f"| {1 + i % 28} March 2016 || Town{i} || {3 * i} || {i} soldiers killed and "
            f"{i + 2} wounded<ref>{{{{cite news|work=Reuters|title=Report {i}|"
            f"url=https://www.reuters.com/{i}}}}}</ref>"
        )
    lines.append("|}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--table-rows", type=int, default=400)
    args = parser.parse_args()
    paths = args.articles or sorted(SEEDS.glob("*.wiki"))
    articles = [(path.stem, path.read_text(encoding="utf-8")) for path in paths]
    if args.table_rows > 0:
        articles.append((f"generated-table-{args.table_rows}-rows", table_article(args.table_rows)))
    header = (
        f"{'article':32} {'KB':>6} {'claims':>6} {'parse ms':>9} {'cites ms':>9} "
        f"{'render ms':>9} {'extract ms':>10} {'ratio':>6} {'art/s':>7}"
    )
    print(f"median of {args.runs} runs per figure")
    print(header)
    print("-" * len(header))
    for name, text in articles:
        claims = extract(text).claims  # warm the data files and caches
        code = parse(text)
        parse_ms = median_ms(parse, text, args.runs)
        cites_ms = median_ms(read_citations, code, args.runs)
        render_ms = median_ms(render, code, args.runs)
        extract_ms = median_ms(extract, text, args.runs)
        print(
            f"{name[:32]:32} {len(text.encode()) / 1024:6.0f} {len(claims):6d} "
            f"{parse_ms:9.1f} {cites_ms:9.1f} {render_ms:9.1f} {extract_ms:10.1f} "
            f"{extract_ms / parse_ms:6.2f} {1000 / extract_ms:7.1f}"
        )


if __name__ == "__main__":
    main()
