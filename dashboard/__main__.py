"""`python -m dashboard [--host HOST] [--port PORT] [--store FILE]`: serve the dashboard locally."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from claims.cli.serve import add_serve_arguments


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Serve the Counterclaim dashboard (development server; see docs/dashboard.md "
        "for gunicorn).",
        epilog="example:\n  python -m dashboard --port 8050 --store claims.duckdb",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_serve_arguments(parser)
    return parser


def serve(host: str, port: int, store_path: str | None, history: str | None = None) -> int:
    """Open the store, seed it if empty, and serve until interrupted."""
    from claims.errors import CounterclaimError
    from claims.store import Store
    from claims.writer import open_for_reading
    from dashboard import create_app

    try:
        store = open_for_reading(store_path or Store.default_path())
        app = create_app(store, history=history)
        app.counterclaim_data.snapshot()  # a damaged store is refused here, not on the page
    except (CounterclaimError, OSError) as exc:
        print(f"dashboard: {exc}", file=sys.stderr)
        return 2
    print(f"Counterclaim dashboard on http://{host}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    app.run(host=host, port=port, debug=False)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return serve(args.host, args.port, args.store, args.history)


if __name__ == "__main__":
    raise SystemExit(main())
