"""Loading the package's knowledge files (claims/data/*.toml), once per process."""

from __future__ import annotations

import hashlib
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from claims.errors import DataFileError


@cache
def load_data(name: str) -> dict[str, Any]:
    """The parsed TOML file `claims/data/<name>`; DataFileError names the file when it is bad."""
    try:
        raw = resources.files("claims").joinpath("data", name).read_bytes()
    except (FileNotFoundError, OSError) as exc:
        raise DataFileError(f"claims/data/{name}: missing ({exc})") from exc
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(f"claims/data/{name}: {exc}") from exc


def lowered_set(values: object) -> frozenset[str]:
    """A frozenset of lower-cased strings from a TOML array (empty when absent)."""
    if not isinstance(values, list):
        return frozenset()
    return frozenset(str(v).strip().lower() for v in values)


READING_FILES = frozenset({"dumps.toml", "prefilter.toml"})
"""Data files that decide which input is read (limits on dumps, the pre-filter of their pages),
not how an article is extracted: editing them does not make every stored article new again."""


@cache
def rules_fingerprint() -> str:
    """A digest of the package's version and every data file of extraction: what it knows."""
    digest = hashlib.sha1(_package_version().encode())
    folder = resources.files("claims").joinpath("data")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_file() and entry.name not in READING_FILES:
            digest.update(entry.name.encode())
            digest.update(entry.read_bytes())
    return digest.hexdigest()[:16]


def _package_version() -> str:
    from claims.bundled import version

    return version()
