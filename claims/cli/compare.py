"""`claims compare PATH... -o DIR`: which sources agree and which conflict, as four tables."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from claims.cli.options import (
    add_csv_arguments,
    add_timeout_argument,
    csv_options,
    csv_options_error,
    timeout_error,
)

EXAMPLE = """example:
  claims compare seeds/ -o out/
  claims compare --store ~/.local/share/counterclaim/claims.duckdb -o out/ --format parquet

writes claims.csv, groups.csv, pairs.csv and sources.csv (columns: docs/compare.md), or the
same four in the --format given"""


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "compare",
        help="group claims that count the same thing and judge their sources",
        description="Match claims across sources and write claims, groups, pairs and sources.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="article files or folders; '-' reads stdin"
    )
    parser.add_argument("-o", "--output", required=True, metavar="DIR", help="output folder")
    parser.add_argument(
        "--store", metavar="FILE", help="compare the claims of a store instead of files"
    )
    parser.add_argument(
        "--format",
        choices=("csv", "json", "jsonl", "parquet"),
        default="csv",
        help="format of the four files (csv)",
    )
    add_csv_arguments(parser)
    add_timeout_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from claims.datapackage import write_datapackage
    from claims.errors import CounterclaimError
    from claims.extract import load_paths
    from claims.match import compare
    from claims.model import CLAIM_CSV_COLUMNS
    from claims.tables import write_table

    if not args.paths and not args.store:
        print("claims compare: give article files or folders, or --store FILE", file=sys.stderr)
        return 2
    if problem := csv_options_error("compare", args, args.format == "csv"):
        print(problem, file=sys.stderr)
        return 2
    if problem := timeout_error("compare", args):
        print(problem, file=sys.stderr)
        return 2
    failed = False
    if args.store:
        from claims.store import Store

        try:
            from claims.service import ComparedStore

            store = Store(args.store, read_only=True)
            comparison = ComparedStore(store).comparison()
            store.close()
        except CounterclaimError as exc:  # names the store file itself
            print(f"claims compare: {exc}", file=sys.stderr)
            return 2
        except OSError as exc:
            print(f"claims compare: {args.store}: {exc}", file=sys.stderr)
            return 2
        articles = comparison.claims["article"].nunique()
    else:
        result = load_paths(args.paths, article_timeout=args.article_timeout)
        for problem in result.problems:
            label = "error" if problem.fatal else "warning"
            print(f"claims compare: {label}: {problem}", file=sys.stderr)
        if not result.articles:
            print("claims compare: no article could be read", file=sys.stderr)
            return 2
        failed = any(p.fatal for p in result.problems)
        comparison = compare(result.claims)
        articles = len(result.articles)
    out = Path(args.output)
    try:
        out.mkdir(parents=True, exist_ok=True)
        tables = {
            "claims": comparison.claims.reindex(columns=list(CLAIM_CSV_COLUMNS)),
            "groups": comparison.groups,
            "pairs": comparison.pairs,
            "sources": comparison.sources,
        }
        for name, frame in tables.items():
            write_table(frame, out / f"{name}.{args.format}", **csv_options(args))
        write_datapackage(
            out,
            {
                name: (f"{name}.{args.format}", name, list(frame.columns))
                for name, frame in tables.items()
            },
        )
    except (CounterclaimError, OSError) as exc:
        print(f"claims compare: {exc}", file=sys.stderr)
        return 2
    verdicts = comparison.groups["verdict"].value_counts().to_dict()
    summary = ", ".join(f"{n} {v}" for v, n in sorted(verdicts.items()))
    print(
        f"claims compare: {len(comparison.claims)} claims from {articles} article(s) in "
        f"{len(comparison.groups)} groups ({summary}); written to {out}/",
        file=sys.stderr,
    )
    return 1 if failed else 0
