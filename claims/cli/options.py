"""Options shared by the verbs that extract articles."""

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
