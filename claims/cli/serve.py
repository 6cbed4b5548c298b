"""`claims serve`: the dashboard over a store, on a local development server."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "serve",
        help="open the dashboard in the browser (charts, grid, CSV downloads)",
        description="Serve the dashboard over a store; loads the bundled seeds if it is empty.",
        epilog="example:\n  claims serve --store claims.duckdb --port 8050\n\n"
        "production: gunicorn --workers 1 --threads 8 -b 127.0.0.1:8050 dashboard.wsgi:server",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_serve_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from dashboard.__main__ import serve  # Dash is imported only when the dashboard is served

    return serve(args.host, args.port, args.store, args.history)


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of serving the dashboard, shared by `claims serve` and `python -m dashboard`."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8050, help="port (8050)")
    parser.add_argument(
        "--store",
        default=None,
        help="DuckDB store file (default: $COUNTERCLAIM_STORE or "
        "~/.local/share/counterclaim/claims.duckdb)",
    )
    parser.add_argument(
        "--history",
        default=None,
        metavar="DRIFT",
        help="a drift table from `claims history` (default: $COUNTERCLAIM_HISTORY, else the "
        "one `claims history --store` kept in the store): group and claim pages show how "
        "their figures changed, and /changes what changed recently",
    )
