"""What a comparison finds, as a reader reads it: the disputed groups first, one sentence each.

`findings(comparison)` lists the groups that at least two independent sources speak to
(`claims/data/findings.toml`), conflicts first and the widest relative gap first, each with a
title (what is counted, of whom, in which scope, when and where), every source's figure as
written, the parts counted inside it, and a sentence stating the finding: "SOHR 22, AP 4:
conflict", "3 sources, 230 vs 28: conflict", "2 sources, 12 then 22: a later tally".
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd

from claims.knowledge import load_data

NO_CITATION = "(no citation)"
NOT_JUDGED = frozenset({"different_scope", "part_of"})  # pair verdicts that judge nothing


@dataclass(frozen=True)
class FindingRules:
    """The settings of `claims/data/findings.toml`."""

    min_independent: int
    verdict_order: tuple[str, ...]
    max_named_sources: int
    max_marks: int
    verdict_words: dict[str, str]
    scope_words: dict[str, str]
    kept_apart_words: dict[str, str]
    max_kept_apart: int


@cache
def finding_rules() -> FindingRules:
    """The findings settings, read once."""
    data = load_data("findings.toml")
    return FindingRules(
        min_independent=int(data["min_independent"]),
        verdict_order=tuple(data["verdict_order"]),
        max_named_sources=int(data["max_named_sources"]),
        max_marks=int(data["max_marks"]),
        verdict_words=dict(data["verdict_words"]),
        scope_words=dict(data["scope_words"]),
        kept_apart_words=dict(data["kept_apart_words"]),
        max_kept_apart=int(data["max_kept_apart"]),
    )


@dataclass(frozen=True)
class Mark:
    """One source's figure in a group: its outlet, the figure as written and its interval.

    An open end ("more than 30") is None; `low` and `high` are both None only for a figure
    with no interval at all.
    """

    claim_id: str
    source: str
    text: str
    low: float | None
    high: float | None
    quote: str = ""

    @property
    def label(self) -> str:
        """The mark's direct label: the outlet and the figure as written ("SOHR 22")."""
        return f"{self.source} {self.text}".strip()


@dataclass(frozen=True)
class Part:
    """A group counted inside a whole ("including 11 children"), as listed beside the whole."""

    group_id: str
    title: str
    figures: str  # the part's figures as written, with their outlets


@dataclass(frozen=True)
class Finding:
    """One disputed (or agreed) group, ready to be shown."""

    group_id: str
    article: str
    title: str
    verdict: str
    verdict_words: str
    sentence: str
    gap: float
    n_independent: int
    marks: tuple[Mark, ...]
    more_marks: int  # figures of the group beyond `max_marks`
    rules: str  # the rules that decided the group's pairs, counted ("ranges_apart ×2")
    why: str
    sum_check: str
    parts: tuple[Part, ...]
    # figures set apart from the group's on purpose, one sentence each ("SOHR 22, AP 4
    # (2024-11-30, University of Aleppo): a total and one incident, not compared")
    kept_apart: tuple[str, ...] = ()
    more_kept_apart: int = 0

    def as_dict(self) -> dict[str, Any]:
        """A plain mapping (for JSON): marks and parts as lists of mappings."""
        return {
            "group_id": self.group_id,
            "article": self.article,
            "title": self.title,
            "verdict": self.verdict,
            "sentence": self.sentence,
            "gap": self.gap,
            "n_independent": self.n_independent,
            "rules": self.rules,
            "why": self.why,
            "sum_check": self.sum_check,
            "kept_apart": list(self.kept_apart),
            "more_kept_apart": self.more_kept_apart,
            "marks": [
                {
                    "claim_id": m.claim_id,
                    "source": m.source,
                    "figure": m.text,
                    "low": m.low,
                    "high": m.high,
                }
                for m in self.marks
            ],
            "more_marks": self.more_marks,
            "parts": [
                {"group_id": p.group_id, "title": p.title, "figures": p.figures} for p in self.parts
            ],
        }


def disputed_groups(groups: pd.DataFrame) -> pd.DataFrame:
    """The groups worth listing first, in reading order (see the module's docstring)."""
    rules = finding_rules()
    if groups.empty or "n_independent" not in groups.columns:
        return groups.iloc[0:0]
    independent = pd.to_numeric(groups["n_independent"], errors="coerce").fillna(0)
    chosen = groups[independent >= rules.min_independent]
    if chosen.empty:
        return chosen
    rank = {verdict: i for i, verdict in enumerate(rules.verdict_order)}
    order = chosen["verdict"].astype(str).map(rank).fillna(len(rank))
    gap = pd.to_numeric(chosen["gap"], errors="coerce").fillna(0.0)
    keyed = chosen.assign(_order=order, _gap=-gap)
    return keyed.sort_values(["_order", "_gap"], kind="stable").drop(columns=["_order", "_gap"])


def findings(
    comparison: Any,
    *,
    limit: int | None = None,
    topic_labels: dict[str, str] | None = None,
    ordered: pd.DataFrame | None = None,
) -> list[Finding]:
    """The disputed groups of `comparison` as findings, in reading order (at most `limit`).

    `ordered` is `disputed_groups(comparison.groups)` when the caller has it already.
    """
    if ordered is None:
        ordered = disputed_groups(comparison.groups)
    if limit is not None:
        ordered = ordered.head(limit)
    return _findings_of(comparison, ordered, topic_labels or {}, finding_rules().max_marks)


def finding_for(
    comparison: Any, group_id: str, *, topic_labels: dict[str, str] | None = None
) -> Finding | None:
    """Any one group of `comparison` as a finding with all its figures (None: no such group)."""
    groups = comparison.groups
    chosen = groups[groups["group_id"] == group_id]
    if chosen.empty:
        return None
    return _findings_of(comparison, chosen, topic_labels or {}, None)[0]


def _findings_of(
    comparison: Any, ordered: pd.DataFrame, labels: dict[str, str], max_marks: int | None
) -> list[Finding]:
    if ordered.empty:
        return []
    wanted = set(ordered["group_id"])
    groups = comparison.groups
    claims = comparison.claims
    part_groups = (
        groups[groups["part_of"].astype(str).isin(wanted)]
        if "part_of" in groups.columns
        else groups.iloc[0:0]
    )
    members = claims[claims["group_id"].isin(wanted | set(part_groups["group_id"]))]
    by_group = dict(iter(members.groupby("group_id", sort=False)))
    pairs = comparison.pairs
    pairs = pairs[pairs["group_id"].isin(wanted)]
    pairs_by_group = dict(iter(pairs.groupby("group_id", sort=False)))
    apart = pairs[pairs["verdict"].astype(str).isin(NOT_JUDGED)] if len(pairs) else pairs
    if len(apart):
        ids = set(apart["claim_a"]) | set(apart["claim_b"])
        others = claims[claims["claim_id"].isin(ids)]
        claims_by_id = {str(r["claim_id"]): r for r in others.to_dict("records")}
    else:
        claims_by_id = {}
    parts_by_whole = (
        dict(iter(part_groups.groupby("part_of", sort=False)))
        if "part_of" in part_groups.columns
        else {}
    )
    return [
        finding_of(
            group,
            by_group.get(group["group_id"], claims.iloc[0:0]),
            pairs_by_group.get(group["group_id"], pairs.iloc[0:0]),
            parts_by_whole.get(group["group_id"], part_groups.iloc[0:0]),
            by_group,
            labels,
            max_marks=max_marks,
            claims_by_id=claims_by_id,
        )
        for group in ordered.to_dict("records")
    ]


def finding_of(
    group: dict[str, Any],
    members: pd.DataFrame,
    pairs: pd.DataFrame,
    parts: pd.DataFrame,
    members_by_group: dict[str, pd.DataFrame],
    topic_labels: dict[str, str],
    *,
    max_marks: int | None = None,
    claims_by_id: dict[str, dict[str, Any]] | None = None,
) -> Finding:
    """One group as a finding: its marks in figure order, its sentence, rules and parts
    (at most `max_marks` marks; None: all), and a sentence for each figure set apart from it
    (`claims_by_id` holds the claims of its set-apart pairs; without it none is written)."""
    marks = marks_of(members)
    verdict = _text(group.get("verdict")) or "single"
    words = finding_rules().verdict_words.get(verdict, verdict.replace("_", " "))
    independent = int(_number(group.get("n_independent")) or 0)
    shown = marks if max_marks is None else marks[:max_marks]
    apart = kept_apart_sentences(pairs, claims_by_id or {})
    limit = finding_rules().max_kept_apart
    return Finding(
        group_id=_text(group.get("group_id")),
        article=_text(group.get("article")),
        title=group_title(group, topic_labels),
        verdict=verdict,
        verdict_words=words,
        sentence=sentence(marks, verdict, independent),
        gap=float(_number(group.get("gap")) or 0.0),
        n_independent=independent,
        marks=tuple(shown),
        more_marks=len(marks) - len(shown),
        rules=rule_counts(pairs),
        why=_text(group.get("why")),
        sum_check=_text(group.get("sum_check")),
        parts=tuple(
            Part(
                group_id=_text(part.get("group_id")),
                title=group_title(part, topic_labels),
                figures=", ".join(
                    m.label
                    for m in marks_of(members_by_group.get(part["group_id"], members.iloc[0:0]))
                ),
            )
            for part in parts.to_dict("records")
        ),
        kept_apart=tuple(apart[:limit]),
        more_kept_apart=max(0, len(apart) - limit),
    )


def kept_apart_sentences(pairs: pd.DataFrame, claims_by_id: dict[str, dict[str, Any]]) -> list[str]:
    """One sentence per pair of a group set apart on purpose (the verdicts of
    `kept_apart_words`): the group's figure, the other figure with the day and place it is
    about, and the words saying why they were not compared. Each sentence once, in the pairs'
    order; a pair whose claims are not at hand is left out."""
    words = finding_rules().kept_apart_words
    if pairs.empty or "verdict" not in pairs.columns:
        return []
    chosen = pairs[pairs["verdict"].astype(str).isin(set(words))]
    sentences: dict[str, None] = {}
    for pair in chosen.to_dict("records"):
        own = claims_by_id.get(_text(pair.get("claim_a")))
        other = claims_by_id.get(_text(pair.get("claim_b")))
        if own is None or other is None:
            continue
        where = ", ".join(t for t in (_text(other.get("date")), _text(other.get("place"))) if t)
        said = f"{_label(own)}, {_label(other)}" + (f" ({where})" if where else "")
        sentences.setdefault(f"{said}: {words[_text(pair.get('verdict'))]}", None)
    return list(sentences)


def _label(claim: dict[str, Any]) -> str:
    """A claim's direct label: its outlet and its figure as written ("AP 4")."""
    source = _text(claim.get("source")) or NO_CITATION
    return f"{source} {_text(claim.get('value_text'))}".strip()


def marks_of(members: pd.DataFrame) -> list[Mark]:
    """A group's claims as marks, lowest figure first (open figures by their known end)."""
    marks = []
    for row in members.to_dict("records"):
        low, high = _number(row.get("value_low")), _number(row.get("value_high"))
        marks.append(
            Mark(
                claim_id=_text(row.get("claim_id")),
                source=_text(row.get("source")) or NO_CITATION,
                text=_text(row.get("value_text")),
                low=low,
                high=high,
                quote=_text(row.get("quote")),
            )
        )
    return sorted(marks, key=lambda m: (_position(m), m.source, m.claim_id))


def sentence(marks: list[Mark], verdict: str, n_independent: int) -> str:
    """The finding in a few words: who says what, and the verdict."""
    rules = finding_rules()
    words = rules.verdict_words.get(verdict, verdict.replace("_", " "))
    if not marks:
        return words
    by_source: dict[str, list[Mark]] = {}
    for mark in marks:
        by_source.setdefault(mark.source, []).append(mark)
    if len(by_source) <= rules.max_named_sources:
        said = ", ".join(
            f"{source} {' and '.join(_distinct(m.text for m in figures))}"
            for source, figures in sorted(by_source.items(), key=lambda kv: -_position(kv[1][-1]))
        )
        return f"{said}: {words}"
    count = n_independent or len(by_source)
    lowest, highest = marks[0], marks[-1]
    if verdict == "updated":
        return f"{count} sources, {lowest.text} then {highest.text}: {words}"
    joiner = " vs " if verdict == "conflict" else " to "
    spread = highest.text if lowest.text == highest.text else f"{highest.text}{joiner}{lowest.text}"
    if verdict != "conflict" and lowest.text != highest.text:
        spread = f"{lowest.text}{joiner}{highest.text}"
    return f"{count} sources, {spread}: {words}"


def _distinct(texts: Iterable[str]) -> list[str]:
    """Figures as written, each once ("one" and "One" are one figure)."""
    seen: dict[str, str] = {}
    for text in texts:
        seen.setdefault(" ".join(text.casefold().split()), text)
    return list(seen.values())


def group_title(group: dict[str, Any], topic_labels: dict[str, str]) -> str:
    """What a group counts, of whom, in which scope, when and where ("Killed · civilians ·
    total · 2024-11-30 · Aleppo")."""
    rules = finding_rules()
    topic = _text(group.get("topic"))
    measure = _text(group.get("measure"))
    what = topic_labels.get(topic, topic.replace("_", " ").capitalize() or "Figures")
    if measure and measure != "people":
        what = f"{what} ({measure})"
    scope = _text(group.get("scope"))
    parts = [
        what,
        _text(group.get("party")) or "no party named",
        rules.scope_words.get(scope, scope),
        _text(group.get("date")),
        _text(group.get("place")),
    ]
    return " · ".join(part for part in parts if part)


def rule_counts(pairs: pd.DataFrame) -> str:
    """The rules that decided a group's pairs, most frequent first ("ranges_apart ×2").

    Pairs set apart and never judged (a total against one of its incidents, a part against its
    whole, filed under the total's or whole's group) decide nothing of the group's verdict.
    """
    if pairs.empty or "rules" not in pairs.columns:
        return ""
    if "verdict" in pairs.columns:
        pairs = pairs[~pairs["verdict"].astype(str).isin(NOT_JUDGED)]
    counted: Counter[str] = Counter()
    for rules in pairs["rules"].astype(str):
        first = rules.split(";")[0].split(",")[0].strip()
        if first:
            counted[first] += 1
    return ", ".join(f"{name} ×{n}" for name, n in counted.most_common())


def _position(mark: Mark) -> float:
    """Where a mark sits on a number line: its interval's middle, or its known end."""
    known = [v for v in (mark.low, mark.high) if v is not None]
    return sum(known) / len(known) if known else math.inf


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)
