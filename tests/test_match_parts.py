"""The small rules the matching engine is made of, each on its own: how far apart two figures
are, when ranges agree, what a figure counts, how the admission and verdict rules combine,
when a later figure is a later tally, and how a whole's arithmetic is written."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest

from claims import match
from claims.match import (
    Rule,
    _noun_after,
    _PairFacts,
    admit,
    intervals_agree,
    judge_pair,
    relative_gap,
    settings,
    sum_check,
)
from claims.model import Verdict

INF = float("inf")


# -- how far apart two figures are -----------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "gap"),
    [
        ((100.0, 100.0), (150.0, 150.0), 50 / 150),  # 150 is a third above 100
        ((150.0, 150.0), (100.0, 100.0), 50 / 150),  # in either order
        ((100.0, 120.0), (150.0, 200.0), 30 / 150),  # from the lower's top to the higher's low
        ((150.0, 200.0), (100.0, 120.0), 30 / 150),
        ((90.0, 110.0), (100.0, 120.0), 0.0),  # ranges that meet are not apart
        ((0.0, 50.0), (100.0, 100.0), 0.5),  # "up to 50" against 100
        ((50.0, 50.0), (100.0, INF), 0.5),  # 50 against "at least 100"
        ((0.0, 0.0), (1.0, 1.0), 1.0),  # none against one: wholly apart
    ],
)
def test_relative_gap_is_the_higher_low_above_the_lower_top(
    a: tuple[float, float], b: tuple[float, float], gap: float
) -> None:
    assert relative_gap(a, b) == pytest.approx(gap)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ((0.0, 0.0), (0.0, 10.0)),  # a range down to zero has no share to be apart by
        ((10.0, 10.0), (-INF, INF)),  # a figure of unknown size
        ((100.0, INF), (200.0, INF)),  # two open ranges always meet above
    ],
)
def test_relative_gap_is_none_when_no_share_can_be_taken(
    a: tuple[float, float], b: tuple[float, float]
) -> None:
    assert relative_gap(a, b) is None


def test_ranges_that_touch_agree_in_either_order() -> None:
    assert intervals_agree((90.0, 100.0), (100.0, 120.0), 0.0)
    assert intervals_agree((100.0, 120.0), (90.0, 100.0), 0.0)
    assert not intervals_agree((90.0, 99.0), (100.0, 120.0), 0.0)


# -- what a figure counts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "figure", "noun"),
    [
        ("they killed 5,000 infantry", "5,000", ("infantry", False)),
        ("200–300 light cavalry", "200–300", ("cavalry", False)),  # an adjective is skipped
        ("12,000 Bavarian soldiers", "12,000", ("soldiers", False)),  # a name before the noun
        ("12,000 Bavarian soldiers fled", "12,000", ("soldiers", False)),
        ("5,000 Bavarian cavalry", "5,000", ("cavalry", False)),
        ("600 Flemish were killed", "600", ("flemish", True)),  # a name alone is the noun
        ("600 Flemish", "600", ("flemish", True)),  # also as the last word of the sentence
        ("Army Sends 5,000 Troops To Border", "5,000", ("troops", False)),  # a title's capitals
        ("Army Sends 5,000 Cavalry To Border", "5,000", ("cavalry", False)),
        ("31 (HRW) killed", "31", ("", False)),  # words after a bracket are not its noun
        ("killed 40 further, and more", "40", ("", False)),  # only adjectives before a comma
        ("killed 300 further additional heavy cavalry", "300", ("", False)),  # 3 words at most
        ("cavalry of 300", "", ("", False)),  # no figure, no noun
        ("10 wounded", "7", ("", False)),  # a figure not in the sentence
    ],
)
def test_the_noun_a_figure_counts_is_read_right_after_it(
    quote: str, figure: str, noun: tuple[str, bool]
) -> None:
    assert _noun_after(quote, figure, settings()) == noun


# -- the admission engine: how the effects of the rules that fire combine ------------------


def _rule(name: str, effect: str, threshold: str = "") -> Rule:
    return Rule(name=name, when="", effect=effect, threshold=threshold, scope=("incident",))


def _admit(monkeypatch: pytest.MonkeyPatch, rules: list[Rule]) -> tuple[float | None, list[str]]:
    """Admit a candidate for which every rule's condition holds."""
    for rule in rules:
        monkeypatch.setitem(match._INCIDENT_CONDITIONS, rule.name, lambda c: True)
    candidate = SimpleNamespace(s=SimpleNamespace(thresholds={"low": 40.0, "high": 62.0}))
    return admit(rules, candidate, "incident")  # type: ignore[arg-type]


def test_a_candidate_no_rule_speaks_of_needs_no_similarity(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _admit(monkeypatch, []) == (0.0, [])


def test_relax_and_tighten_move_the_need_one_way_only(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _admit(monkeypatch, [_rule("n", "need", "low"), _rule("r", "relax", "high")]) == (
        40.0,
        ["n", "r"],
    )
    assert _admit(monkeypatch, [_rule("n", "need", "high"), _rule("t", "tighten", "low")]) == (
        62.0,
        ["n", "t"],
    )
    assert _admit(monkeypatch, [_rule("r", "relax", "high")]) == (0.0, ["r"])


def test_a_later_need_replaces_an_earlier_one(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = [_rule("t", "tighten", "high"), _rule("n", "need", "low")]
    assert _admit(monkeypatch, rules) == (40.0, ["t", "n"])


def test_refuse_and_join_end_the_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    after = _rule("n", "need", "high")
    assert _admit(monkeypatch, [_rule("x", "refuse"), after]) == (None, ["x"])
    assert _admit(monkeypatch, [_rule("j", "join"), after]) == (match.JOIN, ["j"])


# -- verdicts ----------------------------------------------------------------------------------


def test_without_verdict_rules_overlap_agrees_and_distance_conflicts() -> None:
    bare = dataclasses.replace(settings(), verdicts=())
    cols = {"interval": [(100.0, 100.0), (105.0, 105.0), (300.0, 300.0)]}
    assert judge_pair(0, 1, cols, bare) == (Verdict.AGREE, "no_rule")
    assert judge_pair(0, 2, cols, bare) == (Verdict.CONFLICT, "no_rule")


def _later_not_lower(dates: list[str], intervals: list[tuple[float, float]]) -> bool:
    cols = {"date": dates, "interval": intervals}
    return _PairFacts(0, 1, cols, settings(), overlap=False).later_not_lower()


def test_a_later_figure_at_least_the_earlier_is_a_later_tally() -> None:
    assert _later_not_lower(["2024-03-01", "2024-01-01"], [(20.0, 20.0), (10.0, 10.0)])
    assert _later_not_lower(["2024-01-01", "2024-03-01"], [(10.0, 10.0), (20.0, 20.0)])
    assert _later_not_lower(["2024-01-01", "2024-03-01"], [(10.0, 10.0), (10.0, 10.0)])  # equal
    assert not _later_not_lower(["2024-03-01", "2024-01-01"], [(10.0, 10.0), (20.0, 20.0)])


def test_a_later_range_is_compared_by_its_low_ends() -> None:
    # later 10–30 against an earlier 20: it may be lower
    assert not _later_not_lower(["2024-03-01", "2024-01-01"], [(10.0, 30.0), (20.0, 20.0)])
    # later 20 against an earlier 10–30: at least the earlier's low
    assert _later_not_lower(["2024-03-01", "2024-01-01"], [(20.0, 20.0), (10.0, 30.0)])


def test_an_undated_or_same_day_figure_is_no_later_tally() -> None:
    assert not _later_not_lower(["2024-03-01", ""], [(20.0, 20.0), (10.0, 10.0)])
    assert not _later_not_lower(["", "2024-03-01"], [(10.0, 10.0), (20.0, 20.0)])
    assert not _later_not_lower(["2024-03-01", "2024-03-01"], [(20.0, 20.0), (10.0, 10.0)])


# -- a whole's arithmetic ----------------------------------------------------------------------


def test_sum_check_writes_the_arithmetic_of_a_whole() -> None:
    assert sum_check(202, [183, 19], 0.1) == "202 = 183 + 19"
    assert sum_check(1117, [210, 380, 530], 0.1) == (
        "1,117 ≈ 210 + 380 + 530 = 1,120 (within ±10%)"
    )
    assert sum_check(22, [12, 6], 0.1) == (
        "the parts sum to 18 (12 + 6); the total says 22: 4 unaccounted for"
    )
    assert sum_check(22, [20, 6], 0.1, noun="sides") == (
        "the sides sum to 26 (20 + 6); the total says 22: the sides exceed it by 4"
    )


def test_sum_check_counts_a_gap_of_exactly_the_tolerance_as_within() -> None:
    assert sum_check(100, [150], 0.5) == "100 ≈ 150 = 150 (within ±50%)"
