"""`claims export -o OUT`: claims, groups or pairs of the store, through the dashboard's filters."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable

from claims.cli.options import add_table_output_argument, csv_options, table_output_error

EXAMPLE = """example:
  claims export -o killed.csv --topic killed
  claims export --what groups --source SOHR --date-from 2024-11-27 -o groups.parquet
  claims export --topic killed -o killed.jsonl
  claims export --topic killed -o killed.csv --bom

formats by suffix: .csv, .json (one array), .jsonl (one record a line), .parquet; '-' is CSV
on stdout. CSV guards cells starting with = + - @ with an apostrophe for spreadsheets (--raw:
exactly as stored); --bom adds a byte-order mark for Excel"""


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "export",
        help="write claims, groups or pairs of the store to CSV, JSON, JSON Lines or Parquet",
        description="Export from the store with the same filters as the dashboard.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_table_output_argument(parser)
    parser.add_argument("--store", metavar="FILE", help="store file (default: the user's store)")
    parser.add_argument("--what", choices=("claims", "groups", "pairs"), default="claims")
    for name in ("article", "topic", "party", "source", "source-kind", "verdict", "origin"):
        parser.add_argument(f"--{name}", action="append", metavar="VALUE", default=[])
    parser.add_argument("--date-from", metavar="YYYY[-MM[-DD]]")
    parser.add_argument("--date-to", metavar="YYYY[-MM[-DD]]")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from claims.errors import CounterclaimError
    from claims.filters import FilterError, Filters
    from claims.model import CLAIM_CSV_COLUMNS, Verdict
    from claims.service import ComparedStore
    from claims.store import Store
    from claims.tables import write_table

    if problem := table_output_error("export", args):
        print(problem, file=sys.stderr)
        return 2
    values = {
        "article": args.article,
        "topic": args.topic,
        "party": args.party,
        "source": args.source,
        "source_kind": args.source_kind,
        "verdict": args.verdict,
        "origin": args.origin,
        "date_from": args.date_from or "",
        "date_to": args.date_to or "",
    }
    try:
        filters = Filters.from_mapping(values)
    except FilterError as exc:
        print(f"claims export: {exc}", file=sys.stderr)
        return 2
    try:
        store = Store(args.store, read_only=True)
        comparison = ComparedStore(store).comparison()
        compared = comparison.claims
        if "verdict" not in compared.columns and "group_verdict" in compared.columns:
            compared = compared.assign(verdict=compared["group_verdict"])
        known: dict[str, Iterable[str]] = {
            name: compared[name].astype("string").dropna().unique()
            for name in values
            if name in compared.columns and not name.startswith("date")
        }
        known["verdict"] = [verdict.value for verdict in Verdict]
        filters, unknown = filters.resolve(known)
        if unknown:
            print(
                f"claims export: no claim of the store has {', '.join(unknown)}; nothing written",
                file=sys.stderr,
            )
            return 1
        claims = filters.apply(compared)
        if args.what == "claims":
            frame = claims.reindex(columns=list(CLAIM_CSV_COLUMNS))
        else:
            view = comparison.restrict(claims["claim_id"])
            frame = view.groups if args.what == "groups" else view.pairs
        write_table(frame, args.output, **csv_options(args))
    except (CounterclaimError, OSError) as exc:
        print(f"claims export: {exc}", file=sys.stderr)
        return 2
    if args.output != "-":
        print(f"claims export: {len(frame)} {args.what} written to {args.output}", file=sys.stderr)
    return 0
