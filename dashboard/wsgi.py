"""WSGI entry point: `gunicorn dashboard.wsgi:server` (the store from $COUNTERCLAIM_STORE)."""

from __future__ import annotations

from dashboard import create_app

app = create_app()
server = app.server
