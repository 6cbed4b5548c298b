"""The `claims` command line: one verb per job.

Exit codes: 0 all inputs done; 1 some inputs failed (the others were still done);
2 usage error or nothing could be done.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

VERBS = ("extract", "compare", "ingest", "export", "history", "serve", "store")

EPILOG = """examples:
  claims extract seeds/battle-of-aleppo-2024.wiki -o claims.csv
  claims compare seeds/ -o out/
  claims ingest enwiki-latest-pages-articles.xml.bz2
  claims export --topic killed -o killed.csv
  claims history Battle_of_Aleppo-history.xml.bz2 -o drift.csv
  claims serve --port 8050
  claims store check --store demo.duckdb

exit codes: 0 done; 1 some inputs failed, the rest were done; 2 usage error or nothing done"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claims",
        description="Who says how many: numeric claims from Wikipedia articles, by source.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from claims.bundled import version

    parser.add_argument("--version", action="version", version=f"claims {version()}")
    sub = parser.add_subparsers(dest="verb", metavar="VERB")
    for verb in VERBS:
        module = importlib.import_module(f"claims.cli.{verb}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("claims: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
