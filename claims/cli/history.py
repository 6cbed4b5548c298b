"""`claims history DUMP_OR_FOLDER -o drift.csv`: how each figure changed across revisions."""

from __future__ import annotations

import argparse
import sys
import time

from claims.cli.options import (
    add_engine_arguments,
    add_table_output_argument,
    csv_options,
    engine_error,
    table_output_error,
)
from claims.errors import CounterclaimError

EXAMPLE = """example:
  claims history Battle_of_Aleppo-history.xml.bz2 -o drift.csv
  claims history revisions/ --title "Battle of Aleppo (2024)" -o drift.jsonl
  claims history enwiki-pages-meta-history1.xml.bz2 -o drift.parquet --events raised,lowered
  claims history Battle_of_Aleppo-history.xml.bz2 --store claims.duckdb   # then: claims serve
  claims history enwiki-pages-meta-history1.xml.bz2 -o drift.csv --processes 2

One row per change of a figure: article, figure, revision, timestamp, event (the rule that
found it: added, removed, restored, raised, lowered, reworded, source_replaced,
citation_added, citation_removed, citation_changed, disputed_removed, revert_war), old, new,
old_source, new_source, comment (the edit summary), url (the revision), detail."""


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "history",
        help="follow each figure through an article's revisions (claim drift)",
        description=(
            "Follow each numeric claim of articles through their revisions: a MediaWiki export "
            "with full history (.xml, .xml.bz2, .xml.gz) or a folder of revision files named by "
            "revision id or timestamp (123456.wiki, 2024-11-30T12-00-00Z.wiki)."
        ),
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("path", metavar="DUMP_OR_FOLDER", help="history export or revision folder")
    add_table_output_argument(parser, required=False, help_more=" (-o, --store or both)")
    parser.add_argument(
        "--store",
        metavar="FILE",
        help="keep the drift table in this store too (its articles' earlier rows replaced), "
        "where `claims serve` finds it without --history",
    )
    parser.add_argument(
        "--title", help="the article's title for a folder of revisions (default: the folder's name)"
    )
    parser.add_argument(
        "--events",
        metavar="NAMES",
        help="only these events, comma-separated (default: all)",
    )
    parser.add_argument(
        "--no-shortcut",
        dest="shortcut",
        action="store_false",
        help="extract every revision, even one whose sections are all unchanged",
    )
    add_engine_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from claims.history import drift_frame, follow_path, history_rules
    from claims.tables import write_table

    if args.output is None and args.store is None:
        print("claims history: give -o OUT, --store FILE, or both", file=sys.stderr)
        return 2
    if problem := table_output_error("history", args) or engine_error("history", args):
        print(problem, file=sys.stderr)
        return 2
    out = str(args.output) if args.output is not None else None
    wanted: set[str] | None = None
    if args.events:
        known = history_rules().events
        wanted = {e.strip() for e in args.events.split(",") if e.strip()}
        unknown = sorted(wanted - set(known))
        if unknown:
            print(
                f"claims history: unknown event {', '.join(unknown)}; use {', '.join(known)}",
                file=sys.stderr,
            )
            return 2
    store = None
    if args.store:  # opened first: a store that cannot be written is said before the work
        from claims.store import Store

        try:
            store = Store(args.store)
        except (CounterclaimError, OSError) as exc:
            print(f"claims history: {exc}", file=sys.stderr)
            return 2
    began = time.perf_counter()
    try:
        result = follow_path(
            args.path,
            shortcut=args.shortcut,
            title=args.title,
            processes=args.processes,
            engine=args.engine,
            scheduler=args.scheduler,
        )
    except CounterclaimError as exc:
        print(f"claims history: {exc}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - began
    for warning in result.warnings:
        print(f"claims history: warning: {warning}", file=sys.stderr)
    for problem in result.problems:
        print(f"claims history: error: {problem}", file=sys.stderr)
    if not result.articles:
        print("claims history: no revision could be read", file=sys.stderr)
        return 2
    events = [e for e in result.events if wanted is None or e.event in wanted]
    frame = drift_frame(events)
    written: list[str] = []
    failed = False
    if out is not None:
        try:
            write_table(frame, out, **csv_options(args))
            written.append(f"written to {out}")
        except (CounterclaimError, OSError) as exc:
            print(f"claims history: {exc}", file=sys.stderr)
            failed = True
    if store is not None:  # kept even when the file could not be written, and the other way
        try:
            store.write_drift(frame, articles=[t.title for t in result.articles])
            written.append(f"kept in the store {args.store}")
        except (CounterclaimError, OSError) as exc:
            print(f"claims history: {exc}", file=sys.stderr)
            failed = True
    if written and out != "-":
        figures = sum(len(t.figures) for t in result.articles)
        extracted = sum(t.extractions for t in result.articles)
        rate = result.revisions / seconds if seconds > 0 else 0.0
        print(
            f"claims history: {result.revisions} revisions of {len(result.articles)} article(s) "
            f"({extracted} extracted, {rate:.1f} revisions/s), {figures} figures, "
            f"{len(events)} changes {' and '.join(written)}",
            file=sys.stderr,
        )
    if failed:
        return 2
    return 1 if result.problems else 0
