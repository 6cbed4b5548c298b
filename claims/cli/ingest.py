"""`claims ingest PATH...`: articles, folders and MediaWiki dumps into the store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from claims.cli.options import (
    add_engine_arguments,
    add_timeout_argument,
    engine_error,
    timeout_error,
)

EXAMPLE = """example:
  claims ingest seeds/
  claims ingest enwiki-latest-pages-articles.xml.bz2 --processes 2
  claims ingest enwiki-latest-pages-articles-multistream.xml.bz2 --processes 2
  claims ingest dump.xml.bz2 --engine dask --scheduler tcp://scheduler:8786
  bzcat dump.xml.bz2 | claims ingest -
  claims ingest dump.xml.bz2 --all --article-timeout 120

the pages of dumps are pre-filtered (conflict, attack, disaster, epidemic, unit and faction
infoboxes and categories, claims/data/prefilter.toml); --all extracts every page. A
multistream dump whose index (X-index.txt.bz2) is beside it, or named by --index, is read in
parallel by the workers, range by range. Unchanged articles are skipped, changed ones
replaced; an interrupted run can be re-run"""


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "ingest",
        help="add articles, folders and MediaWiki dumps to the store",
        description="Extract articles (files, folders, .xml/.xml.bz2 dumps) into the store.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="article files, folders, dumps; '-' reads a dump (plain, bz2, gzip) or one article "
        "from stdin",
    )
    parser.add_argument("--store", metavar="FILE", help="store file (default: the user's store)")
    add_engine_arguments(parser)
    parser.add_argument(
        "--index",
        metavar="FILE",
        help="the index of the multistream dump named (default: the one beside it, "
        "X-index.txt.bz2)",
    )
    parser.add_argument(
        "--no-index",
        action="store_true",
        help="read multistream dumps from start to end in this process, as other dumps",
    )
    parser.add_argument(
        "--parts",
        metavar="DIR",
        help="folder of the Parquet partitions the workers write (default: STORE.parts beside "
        "the store; on several machines, a folder they all share)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    add_timeout_argument(parser)
    parser.add_argument(
        "--all",
        action="store_true",
        help="extract every page of a dump, not only those the pre-filter keeps",
    )
    parser.add_argument(
        "--prefilter-files",
        action="store_true",
        help="pre-filter article files too (by default every file named or in a folder is "
        "extracted)",
    )
    parser.add_argument(
        "--no-compare",
        action="store_true",
        help="skip comparing all stored claims at the end (when loading several dumps in a row)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from claims.errors import CounterclaimError
    from claims.ingest import ingest
    from claims.store import Store
    from claims.writer import WriterLock

    if problem := engine_error("ingest", args):
        print(problem, file=sys.stderr)
        return 2
    if problem := timeout_error("ingest", args):
        print(problem, file=sys.stderr)
        return 2
    if args.index and args.no_index:
        print("claims ingest: give --index FILE or --no-index, not both", file=sys.stderr)
        return 2
    try:
        path = Path(args.store) if args.store else Store.default_path()
        with WriterLock(path, "ingest"):  # the one writer; a second one is refused (exit 2)
            store = Store(path)
            report = ingest(
                args.paths,
                store,
                processes=args.processes,
                engine=args.engine,
                scheduler=args.scheduler,
                progress=not args.quiet,
                compare=not args.no_compare,
                article_timeout=args.article_timeout,
                prefilter=not args.all,
                prefilter_files=args.prefilter_files,
                index=args.index,
                use_index=not args.no_index,
                parts=args.parts,
            )
    except (CounterclaimError, OSError) as exc:
        print(f"claims ingest: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "claims ingest: interrupted; the articles written so far are kept, "
            "run the same command again to resume",
            file=sys.stderr,
        )
        return 1
    for path, problem in report.failed:
        print(f"claims ingest: error: {path}: {problem}", file=sys.stderr)
    print(f"claims ingest: {report.summary()}; store {store.path}", file=sys.stderr)
    if report.failed and not (report.added or report.unchanged):
        return 2
    return 1 if report.failed else 0
