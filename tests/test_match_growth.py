"""How the work of `compare` grows on the shapes that once made it quadratic: one article
giving thousands of totals, each at its own place; one block of claims; many distinct party
names; many articles telling one day at one place. The work is counted (lines of the package
run, tests/workcount.py), never timed: doubling the claims must about double it (a scan of
every group for each claim would make it four times as much)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from workcount import Work, count_lines

from claims.match import compare

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_compare.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_compare", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_compare", module)
    spec.loader.exec_module(module)
    return module


SHAPES = _bench().SHAPES


def _work(shape: str, n: int) -> int:
    frame = SHAPES[shape](n)
    compare(frame.head(20))  # settings and caches read once, outside the count
    work = Work()
    result = count_lines(work, lambda: compare(frame))
    assert len(result.claims) == n
    return work.lines


# beyond the caps of match.toml (40 candidates, 20 groups per place key, 50 party names)
@pytest.mark.parametrize("shape", ["totals", "one-block", "parties", "day-place"])
def test_work_grows_linearly_with_the_claims(shape):
    small, large = _work(shape, 300), _work(shape, 1200)
    # linear: 4x the work for 4x the claims (n log n a little more); quadratic: 16x
    assert large / small < 6.0, (shape, small, large)


def test_totals_at_their_own_places_are_each_a_group():
    result = compare(SHAPES["totals"](300))
    assert result.groups["n_claims"].max() <= 2
    assert len(result.groups) >= 290


def test_day_and_place_of_other_articles_still_join():
    """The index of a day and place still finds another article's group: two articles
    telling one strike in like words are one group."""
    frame = SHAPES["day-place"](6)
    frame["quote"] = "On 5 May 2020, an air strike on the market in Aleppo killed 23 civilians."
    frame["value_low"] = frame["value_high"] = 23.0
    frame["value_text"] = "23"
    frame["article"] = ["A", "B", "C", "D", "E", "F"]
    result = compare(frame)
    assert len(result.groups) == 1
