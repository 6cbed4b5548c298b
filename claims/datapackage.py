"""The data dictionary of every table Counterclaim writes, as a Frictionless data package.

`datapackage(resources)` describes files (claims, groups, pairs, sources, disputes) by the
columns of `claims/data/columns.toml`; `write_datapackage(folder, resources)` writes it as
`datapackage.json` beside them. The dashboard serves the same description.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from claims.knowledge import load_data

TABLES = ("claims", "groups", "pairs", "sources", "disputes")
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json", "jsonl": "application/jsonl",
               "parquet": "application/vnd.apache.parquet"}  # fmt: skip


@cache
def dictionary() -> dict[str, dict[str, tuple[str, str]]]:
    """Per table, per column: (type, description)."""
    data = load_data("columns.toml")
    return {
        table: {column: (spec[0], spec[1]) for column, spec in data[table].items()}
        for table in TABLES
    }


def schema(table: str, columns: Sequence[str]) -> dict[str, Any]:
    """The Table Schema of `columns` of `table` (a column not in the dictionary is a string)."""
    known = dictionary()[table]
    fields = []
    for column in columns:
        kind, description = known.get(column, ("string", ""))
        fields.append({"name": column, "type": kind, "description": description})
    return {"fields": fields}


Resources = Mapping[str, tuple[str, str, Sequence[str]]]
"""Per resource name: (path or URL, table kind of TABLES, the columns written)."""


def datapackage(resources: Resources) -> dict[str, Any]:
    """A data package describing `resources`."""
    return {
        "profile": "tabular-data-package",
        "name": "counterclaim",
        "title": "Counterclaim: who says how many, and where do the sources disagree",
        "licenses": [{"name": "CC-BY-SA-4.0", "title": "Text and figures from Wikipedia articles"}],
        "resources": [
            {
                "name": name,
                "path": path,
                "profile": "tabular-data-resource",
                "format": _format(path),
                "mediatype": MEDIA_TYPES.get(_format(path), "text/csv"),
                "encoding": "utf-8",
                "schema": schema(table, columns),
            }
            for name, (path, table, columns) in resources.items()
        ],
    }


def _format(path: str) -> str:
    return Path(path.split("?")[0]).suffix.lstrip(".") or "csv"


def write_datapackage(folder: Path, resources: Resources) -> Path:
    """Write `datapackage.json` describing `resources` into `folder`; returns its path."""
    target = Path(folder) / "datapackage.json"
    target.write_text(json.dumps(datapackage(resources), indent=1, ensure_ascii=False) + "\n")
    return target
