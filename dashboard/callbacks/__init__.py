"""Callbacks grouped by feature; each module's `register(app, data)` wires its own."""

from __future__ import annotations

from dash import Dash

from dashboard.callbacks import charts, downloads, filters, grid, pages, upload
from dashboard.data import DashboardData


def register_all(app: Dash, data: DashboardData) -> None:
    for feature in (filters, pages, charts, grid, downloads, upload):
        feature.register(app, data)
