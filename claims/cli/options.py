"""Options shared by the verbs: the article time budget, the table output and the engine."""

from __future__ import annotations

import argparse


def add_timeout_argument(parser: argparse.ArgumentParser) -> None:
    """`--article-timeout SECONDS`, shared by the verbs that extract articles."""
    from claims.budget import DEFAULT_ARTICLE_TIMEOUT

    parser.add_argument(
        "--article-timeout",
        type=float,
        default=DEFAULT_ARTICLE_TIMEOUT,
        metavar="SECONDS",
        help="skip an article whose extraction takes longer, as a one-line problem "
        f"(default {DEFAULT_ARTICLE_TIMEOUT:g}; 0: no limit)",
    )


def timeout_error(verb: str, args: argparse.Namespace) -> str | None:
    """The one-line usage error of a bad --article-timeout, else None."""
    from claims.budget import check_timeout

    try:
        check_timeout(args.article_timeout)
    except ValueError as exc:
        return f"claims {verb}: --article-timeout: {exc}"
    return None


def add_table_output_argument(parser: argparse.ArgumentParser) -> None:
    """`-o/--output OUT`: a table file (.csv, .json, .jsonl, .parquet) or '-' for CSV on stdout."""
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="output file: .csv, .json, .jsonl or .parquet; '-' writes CSV to stdout",
    )


def table_output_error(verb: str, args: argparse.Namespace) -> str | None:
    """The one-line usage error of an output that is not a table file nor '-', else None."""
    from claims.tables import TABLE_FORMATS, TABLE_SUFFIXES

    out = str(args.output)
    if out != "-" and not out.lower().endswith(TABLE_SUFFIXES):
        return f"claims {verb}: {out}: use a {TABLE_FORMATS} file, or '-'"
    return None


MAX_PROCESSES = 256


def add_engine_arguments(parser: argparse.ArgumentParser) -> None:
    """`--processes N`, `--engine local|dask` and `--scheduler ADDR`, shared by the verbs that
    extract in parallel."""
    parser.add_argument("--processes", type=int, default=1, metavar="N", help="worker processes")
    parser.add_argument("--engine", choices=("local", "dask"), default="local")
    parser.add_argument("--scheduler", metavar="ADDR", help="dask scheduler address")


def engine_error(verb: str, args: argparse.Namespace) -> str | None:
    """The one-line usage error of a bad --processes, else None."""
    if args.processes < 1 or args.processes > MAX_PROCESSES:
        return f"claims {verb}: --processes must be between 1 and {MAX_PROCESSES}"
    return None
