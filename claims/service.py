"""The comparison of a store's claims, above both: the store keeps data, `claims.match` judges.

`ComparedStore(store).comparison()` reads the comparison the store holds when it was made from
the same data under the same rules, else makes it with `claims.match.compare`; it is kept in
memory per version of the data. `save()` makes it and writes it into the store.

The writer of a store (`claims ingest`, the upload writer) saves the comparison once after each
change, so that every server process reading the store loads it rather than making its own.
"""

from __future__ import annotations

import os
import threading

import pandas as pd

from claims.match import Comparison, compare, comparison_fingerprint
from claims.store import Store


def comparison_key(version: str) -> str:
    """What a stored comparison is current for: a version of the data, and the rules."""
    return f"{version}|{comparison_fingerprint()}"


class ComparedStore:
    """A store with the comparison of its claims."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._cache: tuple[str, Comparison] | None = None
        self._lock = threading.Lock()

    def version(self) -> str:
        return self.store.version()

    def articles_frame(self) -> pd.DataFrame:
        return self.store.articles_frame()

    def add_article(self, title: str, text: str, *, path: str = "") -> list:
        return self.store.add_article(title, text, path=path)

    def writing(self) -> bool:
        """Whether another process is writing the store now (`claims.writer`): its data may be
        half written and its comparison not yet saved, so a reader that already shows a
        comparison keeps it until the writer is done, rather than make one itself."""
        from claims.writer import writer_of

        holder = writer_of(self.store.path)
        return holder is not None and holder.pid != os.getpid()

    def comparison(self) -> Comparison:
        """The comparison of all claims; made once per version of the data."""
        version = self.store.version()
        with self._lock:
            if self._cache is not None and self._cache[0] == version:
                return self._cache[1]
        frames = self.store.comparison_tables(comparison_key)
        if frames is not None:
            comparison = Comparison(*frames)
        else:
            version, claims = self.store.claims_snapshot()
            comparison = compare(claims)
        with self._lock:
            self._cache = (version, comparison)
        return comparison

    def save(self) -> Comparison:
        """Make the comparison of all claims and keep it in the store with its version."""
        version, claims = self.store.claims_snapshot()
        comparison = compare(claims)
        frames = [comparison.claims, comparison.groups, comparison.pairs, comparison.sources]
        self.store.write_comparison_tables(comparison_key(version), frames)
        with self._lock:
            self._cache = (version, comparison)
        return comparison

    def close(self) -> None:
        """Forget the comparison kept in memory."""
        self._cache = None
        self.store.close()
