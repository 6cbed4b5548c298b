"""`claims extract PATH... -o OUT`: the claims of wikitext files as CSV, JSON(L) or Parquet."""

from __future__ import annotations

import argparse
import sys

from claims.cli.options import (
    add_table_output_argument,
    add_timeout_argument,
    csv_options,
    table_output_error,
    timeout_error,
)
from claims.errors import CounterclaimError

EXAMPLE = """example:
  claims extract seeds/battle-of-aleppo-2024.wiki -o claims.csv
  claims extract articles/ -o claims.parquet
  claims extract article.wiki -o - | head
  curl -s "https://en.wikipedia.org/w/index.php?title=Battle_of_Aleppo_(2024)&action=raw" \\
    | claims extract - -o claims.jsonl"""


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "extract",
        help="extract the numeric claims of wikitext files",
        description="Extract every numeric claim of wikitext articles (files or folders).",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="article files or folders; '-' reads one article from stdin",
    )
    add_table_output_argument(parser)
    add_timeout_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from claims.extract import load_paths
    from claims.model import CLAIM_CSV_COLUMNS
    from claims.tables import claims_frame, write_table

    if problem := table_output_error("extract", args):
        print(problem, file=sys.stderr)
        return 2
    out = str(args.output)
    if problem := timeout_error("extract", args):
        print(problem, file=sys.stderr)
        return 2
    result = load_paths(args.paths, article_timeout=args.article_timeout)
    failed = [p for p in result.problems if p.fatal]
    for problem in result.problems:
        label = "error" if problem.fatal else "warning"
        print(f"claims extract: {label}: {problem}", file=sys.stderr)
    if not result.articles:
        print("claims extract: no article could be read", file=sys.stderr)
        return 2
    try:
        frame = claims_frame(result.claims).reindex(columns=list(CLAIM_CSV_COLUMNS))
        write_table(frame, out, **csv_options(args))
    except (CounterclaimError, OSError) as exc:
        print(f"claims extract: {exc}", file=sys.stderr)
        return 2
    if out != "-":
        print(
            f"claims extract: {len(result.claims)} claims from {len(result.articles)} "
            f"article(s) written to {out}",
            file=sys.stderr,
        )
    return 1 if failed else 0
