"""One claims layout everywhere, and a data dictionary describing every column written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

from claims.datapackage import dictionary
from claims.model import CLAIM_CSV_COLUMNS, GROUP_COLUMNS, PAIR_COLUMNS, SOURCE_COLUMNS

SEED = Path(__file__).resolve().parent.parent / "seeds" / "battle-of-aleppo-2024.wiki"


def test_every_column_of_every_table_is_described():
    described = dictionary()
    for table, columns in (("claims", CLAIM_CSV_COLUMNS), ("groups", GROUP_COLUMNS),
                           ("pairs", PAIR_COLUMNS), ("sources", SOURCE_COLUMNS)):  # fmt: skip
        missing = [c for c in columns if c not in described[table]]
        assert not missing, f"{table}: {missing} have no entry in claims/data/columns.toml"
        assert all(kind in ("string", "number", "integer", "boolean")
                   for kind, _ in described[table].values())  # fmt: skip


def run(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "claims.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=300)  # fmt: skip


def test_extract_and_compare_write_the_one_layout_and_its_dictionary(tmp_path):
    extracted = tmp_path / "claims.csv"
    assert run("extract", SEED, "-o", extracted).returncode == 0
    assert list(pd.read_csv(extracted).columns) == list(CLAIM_CSV_COLUMNS)
    out = tmp_path / "out"
    assert run("compare", SEED, "-o", out).returncode == 0
    assert list(pd.read_csv(out / "claims.csv").columns) == list(CLAIM_CSV_COLUMNS)
    package = json.loads((out / "datapackage.json").read_text())
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == {"claims", "groups", "pairs", "sources"}
    for name, resource in resources.items():
        written = list(pd.read_csv(out / resource["path"]).columns)
        assert [f["name"] for f in resource["schema"]["fields"]] == written, name
