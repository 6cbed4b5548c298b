"""Claims as tables, and tables written to CSV, JSON, JSON Lines or Parquet.

CSV is the format people open in spreadsheets, so by default text cells (and header names)
that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage
return) are guarded with a leading apostrophe; numbers are left as numbers. `raw=True` writes
CSV for programs instead, every cell exactly as stored; `bom=True` starts the file with a UTF-8
byte-order mark, so that Excel reads its accents and scripts as UTF-8. JSON, JSON Lines and
Parquet are for programs: they always carry the values exactly, never the apostrophe.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from claims.errors import CounterclaimError
from claims.model import ALL_CLAIM_COLUMNS, Claim

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
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
    """A text cell made safe for spreadsheets (a leading apostrophe); other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells and header names cannot run as spreadsheet formulas.

    Every column that is not numeric is looked at (text, categories, mixed objects); numbers
    and booleans are left as they are.
    """
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
            continue
        out[column] = series.astype(object).map(neutralise_cell)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def to_csv_text(
    frame: pd.DataFrame, *, raw: bool = False, bom: bool = False, line_end: str = "\n"
) -> str:
    """CSV text of a table: guarded for spreadsheets unless `raw`, with a byte-order mark
    first when `bom`; `line_end` ends each record ("\r\n" for RFC 4180)."""
    text = (frame if raw else neutralise(frame)).to_csv(index=False, lineterminator=line_end)
    return BOM + text if bom else text


def write_table(
    frame: pd.DataFrame, out: str | Path, *, raw: bool = False, bom: bool = False
) -> None:
    """Write a table to `out` by its suffix (`TABLE_SUFFIXES`); "-" writes CSV to stdout.

    CSV is guarded against spreadsheet formulas unless `raw`, and starts with a byte-order mark
    when `bom`; both are refused (`CounterclaimError`) for another format, which always holds
    the values exactly as they are.
    """
    if str(out) == "-":
        sys.stdout.write(to_csv_text(frame, raw=raw, bom=bom))
        sys.stdout.flush()
        return
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise CounterclaimError(
            f"{out}: unknown output format {suffix or '(none)'!r}; use {TABLE_FORMATS}"
        )
    if suffix != ".csv" and (raw or bom):
        given = " and ".join(f"--{n}" for n, on in (("bom", bom), ("raw", raw)) if on)
        raise CounterclaimError(f"{out}: {given}: only for CSV output, not {suffix}")
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    if suffix == ".csv":
        tmp.write_text(to_csv_text(frame, raw=raw, bom=bom), encoding="utf-8", newline="")
    elif suffix == ".json":
        frame.to_json(tmp, orient="records", force_ascii=False, indent=1)
    elif suffix == ".jsonl":
        frame.to_json(tmp, orient="records", force_ascii=False, lines=True)
    else:
        frame.to_parquet(tmp, index=False)
    tmp.replace(path)
