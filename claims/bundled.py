"""Folders shipped with the package: the seed articles and the dashboard's assets.

An installed wheel holds them inside their packages (`claims/seeds`, `dashboard/assets`),
found through `importlib.resources`. A source checkout keeps them at the repository's top
(`seeds/`, `assets/`, beside `pyproject.toml`), which the build maps into the packages; there
they are found beside the package's folder.
"""

from __future__ import annotations

from importlib import metadata, resources
from pathlib import Path

DISTRIBUTION = "counterclaim"


def bundled_folder(package: str, name: str) -> Path | None:
    """The folder `name` shipped with `package` (e.g. "claims", "seeds"), or None if absent."""
    root = resources.files(package)
    if not isinstance(root, Path):  # a package inside a zip file: no folder to hand out
        return None
    inside = root / name
    if inside.is_dir():
        return inside
    top = root.parent
    if (top / "pyproject.toml").is_file() and (top / name).is_dir():
        return top / name
    return None


def seeds_folder() -> Path | None:
    """The bundled seed articles (`*.wiki`), or None when the package has none."""
    return bundled_folder("claims", "seeds")


def version() -> str:
    """The installed distribution's version ("unknown" when it is not installed)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


__all__ = ["bundled_folder", "seeds_folder", "version"]
