"""Options shared by the verbs: the article time budget, the table output and its CSV
options, and the engine."""

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


def add_table_output_argument(
    parser: argparse.ArgumentParser, *, required: bool = True, help_more: str = ""
) -> None:
    """`-o/--output OUT`: a table file (.csv, .json, .jsonl, .parquet) or '-' for CSV on stdout;
    with the CSV options `--bom` and `--raw` (`add_csv_arguments`). A verb that can keep its
    table elsewhere makes it optional (`required=False`) and says so in `help_more`."""
    parser.add_argument(
        "-o",
        "--output",
        required=required,
        metavar="OUT",
        help="output file: .csv, .json, .jsonl or .parquet; '-' writes CSV to stdout" + help_more,
    )
    add_csv_arguments(parser)


def add_csv_arguments(parser: argparse.ArgumentParser) -> None:
    """`--bom` (a UTF-8 byte-order mark, for Excel) and `--raw` (no formula guard): CSV only."""
    parser.add_argument(
        "--bom",
        action="store_true",
        help="CSV: start with a UTF-8 byte-order mark, so that Excel reads the text as UTF-8",
    )
    parser.add_argument(
        "--raw",
        action="store_true",
        help="CSV: every cell exactly as stored, without the apostrophe that keeps a "
        "spreadsheet from running a cell starting with = + - @ as a formula (for programs)",
    )


def csv_options_error(verb: str, args: argparse.Namespace, csv: bool) -> str | None:
    """The one-line usage error of --bom or --raw given for output that is not CSV, else None."""
    given = [f"--{name}" for name in ("bom", "raw") if getattr(args, name, False)]
    if given and not csv:
        return (
            f"claims {verb}: {' and '.join(given)}: only for CSV output (JSON, JSON Lines and "
            "Parquet always hold the values exactly)"
        )
    return None


def table_output_error(verb: str, args: argparse.Namespace) -> str | None:
    """The one-line usage error of an output that is not a table file nor '-', or of CSV
    options given for another format, else None."""
    from claims.tables import TABLE_FORMATS, TABLE_SUFFIXES

    if args.output is None:  # an optional output not given: the CSV options have no CSV
        return csv_options_error(verb, args, False)
    out = str(args.output)
    if out != "-" and not out.lower().endswith(TABLE_SUFFIXES):
        return f"claims {verb}: {out}: use a {TABLE_FORMATS} file, or '-'"
    return csv_options_error(verb, args, out == "-" or out.lower().endswith(".csv"))


def csv_options(args: argparse.Namespace) -> dict[str, bool]:
    """The keyword arguments of `write_table` for the CSV options given."""
    return {"raw": bool(getattr(args, "raw", False)), "bom": bool(getattr(args, "bom", False))}


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
