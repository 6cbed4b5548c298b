"""Counterclaim: numeric claims from Wikipedia articles, attributed to their sources and compared.

>>> from claims import extract_article
>>> claims = extract_article(open("seeds/battle-of-aleppo-2024.wiki").read())
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from claims.errors import ArticleError, CounterclaimError
from claims.filters import Filters
from claims.model import Citation, Claim, Quantity, Source

if TYPE_CHECKING:
    from claims.extract import extract_article, load_paths
    from claims.match import Comparison, compare

__all__ = [
    "ArticleError",
    "Citation",
    "Claim",
    "Comparison",
    "CounterclaimError",
    "Filters",
    "Quantity",
    "Source",
    "compare",
    "extract_article",
    "load_paths",
]

_LAZY = {
    "extract_article": "claims.extract",
    "load_paths": "claims.extract",
    "compare": "claims.match",
    "Comparison": "claims.match",
}


def __getattr__(name: str) -> Any:
    """Import the heavier stages on first use, so `import claims` stays cheap."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'claims' has no attribute {name!r}")
