"""Every named rule of match.toml runs on its own example, and matters for it: with the rule
taken out of its table, the example comes out otherwise."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from claims import match
from claims.match import Rule, compare, settings
from claims.model import ALL_CLAIM_COLUMNS

DEFAULTS: dict[str, object] = {
    "article": "Example",
    "topic": "killed",
    "party": "civilians",
    "origin": "prose",
    "start": 0,
}


def _claims(example: dict[str, object]) -> pd.DataFrame:
    rows = []
    for key in ("a", "b", "c", "d"):
        if key not in example:
            continue
        given = dict(example[key])  # type: ignore[arg-type]
        low, high = given.pop("value")
        row = {column: "" for column in ALL_CLAIM_COLUMNS}
        row.update(DEFAULTS)
        row.update(given)
        row.update(claim_id=key, value_low=float(low), value_high=float(high))
        if "start" not in given and given.get("quote") == example["a"].get("quote"):  # type: ignore[union-attr]
            row["start"] = 0
        elif "start" not in given:
            row["start"] = ord(key)  # another sentence
        rows.append(row)
    return pd.DataFrame(rows)


def _outcome(kind: str, example: dict[str, object], rule: str) -> object:
    c = compare(_claims(example))
    if kind in ("admission", "key"):
        groups = dict(zip(c.claims.claim_id, c.claims.group_id, strict=True))
        return "together" if groups["a"] == groups["b"] else "apart"
    if kind == "scope":
        return dict(zip(c.claims.claim_id, c.claims.scope, strict=True))["b"]
    pairs = c.pairs
    if kind == "part":
        parts = pairs[pairs.verdict == "part_of"]
        return "part_of" if rule in set(parts.rules) else "no part"
    if kind == "link":
        return "judged" if pairs.rules.str.startswith(rule).any() else "not judged"
    pair = pairs[pairs.claim_a.isin(["a", "b"]) & pairs.claim_b.isin(["a", "b"])]
    return (pair.verdict.iloc[0], pair.rules.iloc[0]) if len(pair) else ("none", "")


def _without(kind: str, name: str) -> match._Settings:
    s = settings()
    field = {
        "admission": "admission",
        "verdict": "verdicts",
        "part": "parts",
        "link": "links",
        "scope": "scopes",
        "key": "keys",
    }[kind]
    kept = tuple(r for r in getattr(s, field) if r.name != name)
    return dataclasses.replace(s, **{field: kept})


RULES: list[tuple[str, Rule]] = [
    *(("admission", r) for r in settings().admission),
    *(("verdict", r) for r in settings().verdicts),
    *(("part", r) for r in settings().parts),
    *(("link", r) for r in settings().links),
    *(("scope", r) for r in settings().scopes),
    *(("key", r) for r in settings().keys),
]


def test_every_rule_has_an_example_and_a_condition() -> None:
    assert RULES
    for _kind, rule in RULES:
        assert rule.example.get("expect"), rule.name
        assert rule.when, rule.name


@pytest.mark.parametrize(("kind", "rule"), RULES, ids=[f"{k}:{r.name}" for k, r in RULES])
def test_rule_decides_its_example(kind: str, rule: Rule, monkeypatch: pytest.MonkeyPatch) -> None:
    expect = rule.example["expect"]
    got = _outcome(kind, rule.example, rule.name)
    if kind == "verdict":
        assert got == (expect, rule.name)
    else:
        assert got == expect
    # the rule is what decides: without it the example comes out otherwise
    monkeypatch.setattr(match, "settings", lambda: _without(kind, rule.name))
    assert _outcome(kind, rule.example, rule.name) != got


def test_a_rule_naming_no_condition_is_refused() -> None:
    with pytest.raises(ValueError, match="has no condition"):
        match._rules(
            {"admission": [{"name": "made_up", "effect": "refuse"}]},
            "admission",
            {},
            frozenset({"refuse"}),
        )


def test_a_rule_with_an_unknown_effect_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown effect"):
        match._rules(
            {"verdict": [{"name": "ranges_apart", "effect": "maybe"}]},
            "verdict",
            {"ranges_apart": None},
            frozenset({"conflict"}),
        )


def test_a_rule_reading_a_missing_threshold_is_refused() -> None:
    with pytest.raises(ValueError, match="reads no number"):
        match._rules(
            {"admission": [{"name": "x", "effect": "need", "threshold": "nowhere"}]},
            "admission",
            {"x": None},
            frozenset({"need"}),
        )
