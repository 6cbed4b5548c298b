"""One filter state for every view of the claims: the dashboard, its URLs and `claims export`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from urllib.parse import parse_qs, urlencode

import pandas as pd

MAX_VALUES = 200  # a filter naming more values than this is refused, not scanned
MAX_VALUE_LENGTH = 300

LIST_FIELDS = ("article", "topic", "party", "source", "source_kind", "verdict", "origin")
DATE_FIELDS = ("date_from", "date_to")
ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class FilterError(ValueError):
    """A filter value of the wrong type, size or form."""


class Spelling:
    """The values of one filter present in the data, looked up as written or in any case."""

    __slots__ = ("exact", "folded")

    def __init__(self, values: Iterable[str]) -> None:
        self.exact = frozenset(str(v) for v in values)
        self.folded: dict[str, str] = {}
        for value in sorted(self.exact):
            self.folded.setdefault(value.casefold(), value)

    def spelt(self, value: str) -> str | None:
        """`value` as the data spells it, or None when no value of the data is it."""
        return value if value in self.exact else self.folded.get(value.casefold())


@dataclass(frozen=True, slots=True)
class Filters:
    """Which claims are in view. Empty tuples mean "all"."""

    article: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()
    party: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    source_kind: tuple[str, ...] = ()
    verdict: tuple[str, ...] = ()
    origin: tuple[str, ...] = ()
    date_from: str = ""
    date_to: str = ""

    @classmethod
    def from_mapping(cls, values: dict[str, object]) -> Filters:
        """Build from untrusted input (a URL query, a callback, CLI options), validating it."""
        kwargs: dict[str, object] = {}
        for name in LIST_FIELDS:
            kwargs[name] = _as_tuple(name, values.get(name))
        for name in DATE_FIELDS:
            kwargs[name] = _as_date(name, values.get(name))
        return cls(**kwargs)  # type: ignore[arg-type]

    @classmethod
    def from_query(cls, query: str) -> Filters:
        """Read the filter state from a URL query string (`?topic=killed&source=SOHR`)."""
        parsed = parse_qs(query.lstrip("?"), keep_blank_values=False)
        return cls.from_mapping({key: value for key, value in parsed.items()})

    def to_query(self) -> str:
        """The URL query string that gives this state back through `from_query`."""
        pairs: list[tuple[str, str]] = []
        for name in LIST_FIELDS:
            pairs.extend((name, value) for value in getattr(self, name))
        for name in DATE_FIELDS:
            if getattr(self, name):
                pairs.append((name, getattr(self, name)))
        return urlencode(pairs)

    def resolve(self, known: Mapping[str, Iterable[str] | Spelling]) -> tuple[Filters, list[str]]:
        """These filters with each value spelt as the data spells it (names match in any
        case: `sohr` is `SOHR`), and the values no claim has, as "source 'xyz'".

        `known` gives, per filter name, the values present in the data (or their `Spelling`,
        made once for many calls); filters it does not name are kept as they are.
        """
        changes: dict[str, tuple[str, ...]] = {}
        unknown: list[str] = []
        for name in LIST_FIELDS:
            wanted = getattr(self, name)
            if not wanted or name not in known:
                continue
            given = known[name]
            spelt = given if isinstance(given, Spelling) else Spelling(given)
            resolved = []
            for value in wanted:
                match = spelt.spelt(value)
                if match is None:
                    unknown.append(f"{name.replace('_', ' ')} {value[:60]!r}")
                    match = value
                resolved.append(match)
            changes[name] = tuple(dict.fromkeys(resolved))
        return (replace(self, **changes) if changes else self), unknown

    def with_(self, **changes: object) -> Filters:
        return replace(self, **changes)  # type: ignore[arg-type]

    def is_empty(self) -> bool:
        return all(not getattr(self, f.name) for f in fields(self))

    def apply(self, claims: pd.DataFrame) -> pd.DataFrame:
        """The rows of a claims frame that pass the filters; absent columns are not filtered."""
        mask = pd.Series(True, index=claims.index)
        for name in LIST_FIELDS:
            wanted = getattr(self, name)
            if wanted and name in claims.columns:
                mask &= claims[name].astype("string").fillna("").isin(wanted)
        if "date" in claims.columns and (self.date_from or self.date_to):
            dates = claims["date"].astype("string").fillna("")
            mask &= dates.ne("")
            # compare at the filter's precision: "2024-11" lies within date_to "2024-11"
            if self.date_from:
                mask &= dates.str.slice(0, len(self.date_from)).ge(self.date_from)
            if self.date_to:
                mask &= dates.str.slice(0, len(self.date_to)).le(self.date_to)
        return claims[mask]


def _as_tuple(name: str, value: object) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        items: list[object] = [value]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        kind = type(value).__name__
        raise FilterError(f"filter {name!r} takes text or a list of text, not {kind}")
    if len(items) > MAX_VALUES:
        raise FilterError(f"filter {name!r} names {len(items)} values; at most {MAX_VALUES}")
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise FilterError(f"filter {name!r} takes text values, not {type(item).__name__}")
        if len(item) > MAX_VALUE_LENGTH:
            raise FilterError(f"filter {name!r} has a value over {MAX_VALUE_LENGTH} characters")
        if item:
            out.append(item)
    return tuple(dict.fromkeys(out))


def _as_date(name: str, value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, list | tuple) and len(value) == 1:
        value = value[0]
    if not isinstance(value, str):
        raise FilterError(f"filter {name!r} takes a date as text (YYYY-MM-DD)")
    value = value.strip()
    match = ISO_DATE.match(value)
    bad = f"filter {name!r}: {value[:40]!r} is not a date written YYYY, YYYY-MM or YYYY-MM-DD"
    if match is None:
        raise FilterError(bad)
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError as exc:
        raise FilterError(bad) from exc
    return value
