"""Claims as tables, and tables written to CSV, JSON, JSON Lines or Parquet.

CSV is the format people open in spreadsheets, so text cells that a spreadsheet would run as a
formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) are neutralised with a
leading apostrophe; numbers are left as numbers.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from claims.errors import CounterclaimError
from claims.model import ALL_CLAIM_COLUMNS, Claim

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TABLE_SUFFIXES = (".csv", ".json", ".jsonl", ".parquet")
TABLE_FORMATS = ".csv, .json, .jsonl or .parquet"
"""The output formats, by suffix; JSON is one array of records, JSON Lines one record a line."""


def claims_frame(claims: Iterable[Claim]) -> pd.DataFrame:
    """One row per claim, columns in the documented order (`ALL_CLAIM_COLUMNS`)."""
    rows = [c.to_row() for c in claims]
    frame = pd.DataFrame(rows, columns=list(ALL_CLAIM_COLUMNS))
    for column in ("value_low", "value_high"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    for column in ("start", "end"):
        frame[column] = frame[column].astype("int64")
    return frame


def neutralise_cell(value: object) -> object:
    """A text cell made safe for spreadsheets; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells cannot run as spreadsheet formulas."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise_cell)
    return out


def to_csv_text(frame: pd.DataFrame) -> str:
    """CSV text of a table, neutralised for spreadsheets."""
    return neutralise(frame).to_csv(index=False)


def write_table(frame: pd.DataFrame, out: str | Path) -> None:
    """Write a table to `out` by its suffix (`TABLE_SUFFIXES`); "-" writes CSV to stdout."""
    if str(out) == "-":
        sys.stdout.write(to_csv_text(frame))
        sys.stdout.flush()
        return
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise CounterclaimError(
            f"{out}: unknown output format {suffix or '(none)'!r}; use {TABLE_FORMATS}"
        )
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    if suffix == ".csv":
        tmp.write_text(to_csv_text(frame), encoding="utf-8")
    elif suffix == ".json":
        frame.to_json(tmp, orient="records", force_ascii=False, indent=1)
    elif suffix == ".jsonl":
        frame.to_json(tmp, orient="records", force_ascii=False, lines=True)
    else:
        frame.to_parquet(tmp, index=False)
    tmp.replace(path)
