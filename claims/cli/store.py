"""`claims store check` and `claims store repair`: is the store file sound, and make it so."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXAMPLE = """example:
  claims store check
  claims store check --store demo.duckdb
  claims store repair --store demo.duckdb

check prints one line per problem (a damaged or truncated file, a missing table, claims of no
held article, claim counts that disagree, a stale comparison) and exits 1, or prints
"store FILE: N articles, M claims, ok" and exits 0. repair mends a file that can be read in
place; one that cannot is salvaged into a new file, the damaged one kept beside it as
FILE.damaged-<timestamp>, and each thing lost is one line"""


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "store",
        help="check the store file for damage, or repair it",
        description="Check the store file for damage and disagreeing tables, or repair it.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    for action, text in (
        ("check", "one line per problem of the store; exit 1 when there is any"),
        ("repair", "make the store sound again, keeping a damaged file beside it"),
    ):
        one = actions.add_parser(
            action,
            help=text,
            description=text,
            epilog=EXAMPLE,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        one.add_argument("--store", metavar="FILE", help="store file (default: the user's store)")
        one.set_defaults(run=check if action == "check" else repair)

    def usage(_: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return 2

    parser.set_defaults(run=usage)


def _path(args: argparse.Namespace) -> Path:
    from claims.store import Store

    return Path(args.store) if args.store else Store.default_path()


def check(args: argparse.Namespace) -> int:
    from claims.errors import CounterclaimError
    from claims.storecheck import check_store

    try:
        report = check_store(_path(args))
    except (CounterclaimError, OSError) as exc:
        print(f"claims store check: {exc}", file=sys.stderr)
        return 2
    if report.sound:
        print(report.summary())
        return 0
    for problem in report.problems:
        print(problem)
    return 1


def repair(args: argparse.Namespace) -> int:
    from claims.errors import CounterclaimError
    from claims.storecheck import repair_store

    try:
        report = repair_store(_path(args))
    except (CounterclaimError, OSError) as exc:
        print(f"claims store repair: {exc}", file=sys.stderr)
        return 2
    for line in (*report.done, *report.lost):
        print(line)
    after = report.after
    if after is None or not after.sound:
        for problem in after.problems if after else []:
            print(f"still: {problem}")
        print(f"claims store repair: {report.path}: could not be made sound", file=sys.stderr)
        return 2
    print(after.summary() + ("" if report.done or report.lost else " (nothing to repair)"))
    return 0
