"""The comparison of a frozen corpus (the probe articles, the seeds, the matching fixtures
and the generated shapes of bench_compare.py) is the one recorded in
`tests/fixtures/compare_golden.json`: work on how `compare` runs changes no group, pair,
verdict or `why`. A change of the rules meant to change the comparison rewrites the record
(`python tests/compare_golden.py --update`)."""

from __future__ import annotations

import json

import pytest
from compare_golden import DIGESTS, corpora, digests

from claims.match import compare

EXPECTED = json.loads(DIGESTS.read_text(encoding="utf-8"))
CORPORA = corpora()


def test_every_recorded_comparison_is_made():
    assert sorted(CORPORA) == sorted(EXPECTED)
    assert EXPECTED["corpus"]["rows"][0] > 1000  # the probe corpus, not an empty frame


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_comparison_is_as_recorded(name):
    found = digests(compare(CORPORA[name]))
    assert found["rows"] == EXPECTED[name]["rows"]
    changed = [table for table in EXPECTED[name] if found[table] != EXPECTED[name][table]]
    assert not changed, f"{name}: {changed} differ from the record"
