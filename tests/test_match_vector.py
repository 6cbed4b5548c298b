"""The verdict rules read over arrays of pairs (`judge_pairs`) decide every pair as the rules
read one pair at a time (`judge_pair`) do: on pairs of the frozen probe corpus, with the
full rule table and with each verdict rule taken out of it."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest
from compare_golden import read_claims

from claims import match
from claims.match import _ClaimArrays, judge_pair, judge_pairs, settings


@pytest.fixture(scope="module")
def cols() -> dict[str, list]:
    """The columns `compare` judges pairs with, taken from its run on the probe corpus."""
    seen: dict[str, dict[str, list]] = {}
    judge = match._judge

    def keep(frame, groups, s, cols, *rest):
        seen["cols"] = cols
        return judge(frame, groups, s, cols, *rest)

    mp = pytest.MonkeyPatch()
    mp.setattr(match, "_judge", keep)
    try:
        match.compare(read_claims())
    finally:
        mp.undo()
    return seen["cols"]


def _pairs(cols: dict[str, list]) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of claims of one article and topic (where the rules disagree most), and a
    spread of any two claims."""
    by_key: dict[tuple[str, str], list[int]] = {}
    for r, key in enumerate(zip(cols["article"], cols["topic"], strict=True)):
        by_key.setdefault(key, []).append(r)
    chosen = [pair for rows in by_key.values() for pair in itertools.combinations(rows[:40], 2)]
    n = len(cols["article"])
    chosen += [(r, (r * 7919 + 13) % n) for r in range(n)]
    a, b = zip(*chosen, strict=True)
    return np.array(a), np.array(b)


VERDICT_RULES = [None, *(r.name for r in settings().verdicts)]


@pytest.mark.parametrize("without", VERDICT_RULES)
def test_pairs_judged_at_once_as_one_by_one(cols, without):
    s = settings()
    if without is not None:
        s = dataclasses.replace(s, verdicts=tuple(r for r in s.verdicts if r.name != without))
    a, b = _pairs(cols)
    outcome, outcomes = judge_pairs(a, b, _ClaimArrays(cols, s), s)
    found = [outcomes[k] for k in outcome.tolist()]
    expected = [judge_pair(x, y, cols, s) for x, y in zip(a.tolist(), b.tolist(), strict=True)]
    assert found == expected
    # the pairs hold every verdict the table can give, so the comparison reads each rule
    assert {v for v, _rule in expected} >= {"agree", "conflict"}
    assert len({rule for _v, rule in expected}) >= (4 if without is None else 3)
