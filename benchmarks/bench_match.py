"""Matching benchmark: are the comparison's groups and verdicts right on the probe articles?

    python benchmarks/bench_match.py [--verbose] [--json] [--expected PATH]

Reads `tests/probes/expected_groups.toml`, extracts every probe article it names and compares
all their claims together (`claims.match.compare`), as the product does. Each expected figure
is identified by its article, a snippet of its quote and its value as written; it resolves to
every claim of that article whose value text is the value (ignoring case and spacing) and whose
quote contains the snippet (one figure cited to several refs is several claims). Kinds:

- `dispute`: figures of independent sources for one count that differ; found when some pair
  of claims of two of its figures is judged `conflict`;
- `agreement`: figures of independent sources for one count that agree; found when such a pair
  is judged `agree`;
- `apart`: figures that count different things; held when no pair of claims of two of its
  figures is judged `agree`, `conflict` or `repeated` (`corroborated`);
- `sum`: a total and its parts; found when the total's group reports a sum of parts, or every
  part is judged `part_of` the total.

It prints how many of each were found, the figures it could not resolve, and the share of
conflict pairs on the probe articles that are real disputes: pairs between two figures of one
`dispute` expectation, over all conflict pairs. `--verbose` lists each expectation missed;
`--false-conflicts` lists every conflict pair that is no expected dispute (its article, group,
figures, the rules that fired and both sentences), to read the false conflicts by kind;
`--json` prints the same figures as one JSON object. Only the comparison's public output is
read (its claims, groups and pairs frames).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

PROBES = Path(__file__).resolve().parent.parent / "tests" / "probes"
KINDS = ("dispute", "agreement", "apart", "sum")
# Pair verdicts that say two figures count the same thing; old and new names alike.
SAME_COUNT = frozenset({"agree", "conflict", "repeated", "corroborated"})
PART_OF = "part_of"


@dataclass(frozen=True)
class Figure:
    article: str
    quote: str
    value: str

    def label(self) -> str:
        return f"[{self.article}] {self.value!r} in {self.quote!r}"


@dataclass(frozen=True)
class Expectation:
    kind: str
    article: str
    figures: tuple[Figure, ...]
    note: str = ""
    total: Figure | None = None  # for `sum`: the figure the parts (`figures`) add up to

    def all_figures(self) -> tuple[Figure, ...]:
        return (self.total, *self.figures) if self.total else self.figures


@dataclass
class Outcome:
    expectation: Expectation
    passed: bool
    unresolved: list[Figure] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)  # the verdicts that decided it


@dataclass
class Report:
    outcomes: list[Outcome]
    conflict_pairs: int
    real_conflict_pairs: int
    figures: int
    unresolved: list[Figure]
    false_conflicts: list[tuple[str, str]] = field(default_factory=list)

    def counts(self) -> dict[str, tuple[int, int]]:
        result = {}
        for kind in KINDS:
            mine = [o for o in self.outcomes if o.expectation.kind == kind]
            result[kind] = (sum(o.passed for o in mine), len(mine))
        return result

    def as_dict(self) -> dict[str, object]:
        counts = self.counts()
        precision = self.real_conflict_pairs / self.conflict_pairs if self.conflict_pairs else None
        return {
            "disputes_found": counts["dispute"][0],
            "disputes": counts["dispute"][1],
            "agreements_found": counts["agreement"][0],
            "agreements": counts["agreement"][1],
            "apart_held": counts["apart"][0],
            "apart": counts["apart"][1],
            "sums_found": counts["sum"][0],
            "sums": counts["sum"][1],
            "conflict_pairs": self.conflict_pairs,
            "real_conflict_pairs": self.real_conflict_pairs,
            "conflict_precision": precision,
            "figures": self.figures,
            "unresolved": [f.label() for f in self.unresolved],
            "missed": [
                {
                    "kind": o.expectation.kind,
                    "article": o.expectation.article,
                    "note": o.expectation.note,
                    "verdicts": o.seen,
                }
                for o in self.outcomes
                if not o.passed
            ],
        }


def normalise(text: object) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().casefold()


def _figure(article: str, row: Mapping[str, object]) -> Figure:
    return Figure(str(row.get("article", article)), str(row["quote"]), str(row["value"]))


def load_expectations(path: Path) -> list[Expectation]:
    """The `[[expect]]` tables of an expectations file, checked for kind and shape."""
    with path.open("rb") as handle:
        rows = tomllib.load(handle).get("expect", [])
    expectations = []
    for number, row in enumerate(rows, 1):
        kind = row.get("kind")
        if kind not in KINDS:
            raise ValueError(f"{path}: expectation {number}: unknown kind {kind!r}")
        article = str(row["article"])
        figures = tuple(_figure(article, f) for f in row.get("figures", []))
        total = _figure(article, row["total"]) if "total" in row else None
        if kind == "sum" and (total is None or not figures):
            raise ValueError(f"{path}: expectation {number}: a sum needs a total and parts")
        if kind != "sum" and len(figures) < 2:
            raise ValueError(f"{path}: expectation {number}: {kind} needs two figures")
        expectations.append(Expectation(kind, article, figures, str(row.get("note", "")), total))
    return expectations


def resolve(figures: Iterable[Figure], claims: pd.DataFrame) -> dict[Figure, frozenset[str]]:
    """Each figure's claim ids: claims of its article (the `probe` column, a probe's file
    name) with its value text whose quote holds its snippet; when some quote is the snippet
    itself, only those."""
    by_article: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for probe, claim_id, value, quote in zip(
        claims["probe"], claims["claim_id"], claims["value_text"], claims["quote"], strict=True
    ):
        by_article[str(probe)].append((str(claim_id), normalise(value), normalise(quote)))
    found = {}
    for figure in figures:
        value, snippet = normalise(figure.value), normalise(figure.quote)
        hits = [
            (claim_id, got_quote == snippet)
            for claim_id, got_value, got_quote in by_article.get(figure.article, [])
            if got_value == value and snippet in got_quote
        ]
        # a quote that is the snippet itself (a field, a cell) outranks quotes holding it
        exact = [claim_id for claim_id, whole in hits if whole]
        found[figure] = frozenset(exact or (claim_id for claim_id, _ in hits))
    return found


def _pair_verdicts(pairs: pd.DataFrame) -> dict[frozenset[str], set[str]]:
    verdicts: dict[frozenset[str], set[str]] = defaultdict(set)
    for a, b, verdict in zip(pairs["claim_a"], pairs["claim_b"], pairs["verdict"], strict=True):
        verdicts[frozenset((str(a), str(b)))].add(str(verdict))
    return verdicts


def _between(
    a: frozenset[str], b: frozenset[str], verdicts: Mapping[frozenset[str], set[str]]
) -> set[str]:
    seen: set[str] = set()
    for x in a:
        for y in b:
            if x != y:
                seen |= verdicts.get(frozenset((x, y)), set())
    return seen


def _judge(
    expectation: Expectation,
    ids: Mapping[Figure, frozenset[str]],
    verdicts: Mapping[frozenset[str], set[str]],
    sums: Mapping[str, str],
) -> Outcome:
    unresolved = [f for f in expectation.all_figures() if not ids.get(f)]
    figures = [f for f in expectation.figures if ids.get(f)]
    seen: set[str] = set()
    for i, first in enumerate(figures):
        for second in figures[i + 1 :]:
            seen |= _between(ids[first], ids[second], verdicts)
    kind = expectation.kind
    if kind == "sum":
        total = expectation.total
        total_ids = ids.get(total, frozenset()) if total else frozenset()
        reported = any(sums.get(claim_id) for claim_id in total_ids)
        parts_of = bool(figures) and all(
            PART_OF in _between(ids[f], total_ids, verdicts) for f in figures
        )
        passed = not unresolved and (reported or parts_of)
        seen = {"sum_check"} if reported else ({PART_OF} if parts_of else seen)
    elif kind == "apart":
        passed = not unresolved and not (seen & SAME_COUNT)
    elif kind == "dispute":
        passed = not unresolved and "conflict" in seen
    else:
        passed = not unresolved and "agree" in seen
    return Outcome(expectation, passed, unresolved, sorted(seen))


def score(
    expectations: Sequence[Expectation],
    comparison: object,
    ids: Mapping[Figure, frozenset[str]],
    articles: Iterable[str] | None = None,
) -> Report:
    """Judge every expectation against a comparison (its `claims`, `groups`, `pairs`), and
    count the conflict pairs among the claims of `articles` (all, by default) that join two
    figures of one dispute expectation."""
    claims, groups, pairs = comparison.claims, comparison.groups, comparison.pairs
    verdicts = _pair_verdicts(pairs)
    group_sum = {
        str(g): str(s)
        for g, s in zip(groups["group_id"], groups["sum_check"], strict=True)
        if isinstance(s, str) and s.strip()
    }
    sums = {
        str(c): group_sum.get(str(g), "")
        for c, g in zip(claims["claim_id"], claims["group_id"], strict=True)
    }
    outcomes = [_judge(e, ids, verdicts, sums) for e in expectations]

    wanted = set(articles) if articles is not None else None
    in_scope = {
        str(c)
        for c, p in zip(claims["claim_id"], claims["probe"], strict=True)
        if wanted is None or str(p) in wanted
    }
    disputed: set[frozenset[str]] = set()
    for e in expectations:
        if e.kind != "dispute":
            continue
        for i, first in enumerate(e.figures):
            for second in e.figures[i + 1 :]:
                for x in ids.get(first, frozenset()):
                    for y in ids.get(second, frozenset()):
                        if x != y:
                            disputed.add(frozenset((x, y)))
    conflicts = pairs[pairs["verdict"] == "conflict"]
    total = real = 0
    false_conflicts = []
    for a, b in zip(conflicts["claim_a"], conflicts["claim_b"], strict=True):
        a, b = str(a), str(b)
        if a not in in_scope and b not in in_scope:
            continue
        total += 1
        if frozenset((a, b)) in disputed:
            real += 1
        else:
            false_conflicts.append((a, b))
    every = {f for e in expectations for f in e.all_figures()}
    unresolved = sorted((f for f in every if not ids.get(f)), key=Figure.label)
    return Report(outcomes, total, real, len(every), unresolved, false_conflicts)


def run(expected: Path) -> tuple[Report, object]:
    """Extract and compare the probe articles the expectations name."""
    from claims.extract import extract
    from claims.match import compare

    expectations = load_expectations(expected)
    slugs = sorted({f.article for e in expectations for f in e.all_figures()})
    every, probe_of = [], {}
    for slug in slugs:
        text = (expected.parent / f"{slug}.wiki").read_text(encoding="utf-8")
        found = extract(text).claims
        every.extend(found)
        probe_of.update({c.claim_id: slug for c in found})
    comparison = compare(every)
    comparison.claims = comparison.claims.assign(probe=comparison.claims["claim_id"].map(probe_of))
    figures = {f for e in expectations for f in e.all_figures()}
    ids = resolve(figures, comparison.claims)
    return score(expectations, comparison, ids, slugs), comparison


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole}" + (f" ({100 * part / whole:.0f}%)" if whole else "")


def print_report(report: Report, comparison: object, verbose: bool) -> None:
    counts = report.counts()
    claims = comparison.claims
    print(
        f"matching on {claims['probe'].nunique()} probe articles: {len(claims)} claims, "
        f"{len(comparison.groups)} groups, {len(comparison.pairs)} pairs"
    )
    resolved = report.figures - len(report.unresolved)
    print(f"expected figures       {resolved}/{report.figures} resolved")
    print(f"disputes found         {_share(*counts['dispute'])}   (judged conflict)")
    print(f"agreements found       {_share(*counts['agreement'])}   (judged agree)")
    print(f"kept apart held        {_share(*counts['apart'])}   (never agree/conflict/repeated)")
    print(f"sums found             {_share(*counts['sum'])}   (sum of parts, or part_of)")
    print(
        f"conflict precision     {_share(report.real_conflict_pairs, report.conflict_pairs)}"
        "   (conflict pairs between figures of a dispute)"
    )
    for figure in report.unresolved:
        print(f"  NOT FOUND {figure.label()}")
    if verbose:
        for outcome in report.outcomes:
            if outcome.passed:
                continue
            e = outcome.expectation
            print(f"  MISSED {e.kind} [{e.article}] {e.note} verdicts={outcome.seen}")


def _around(quote: object, figure: object, reach: int = 70) -> str:
    """The words around a figure in its quote, on one line."""
    text = re.sub(r"\s+", " ", str(quote or "")).strip()
    at = text.find(str(figure))
    if at < 0 or len(text) <= 2 * reach:
        return text[: 2 * reach]
    start, end = max(0, at - reach), at + len(str(figure)) + reach
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def print_false_conflicts(report: Report, comparison: object) -> None:
    """Each conflict pair that is no expected dispute, by article and group."""
    claims = comparison.claims.set_index("claim_id")
    groups = comparison.groups.set_index("group_id")
    pairs = comparison.pairs
    conflicts = pairs[pairs["verdict"] == "conflict"]
    rules = {
        frozenset((str(a), str(b))): str(r)
        for a, b, r in zip(
            conflicts["claim_a"], conflicts["claim_b"], conflicts["rules"], strict=True
        )
    }
    rows = []
    for a, b in report.false_conflicts:
        ca, cb = claims.loc[a], claims.loc[b]
        rows.append((str(ca["probe"]), str(ca["group_id"]), a, b, ca, cb))
    rows.sort(key=lambda row: (row[0], row[1]))
    print(f"false conflict pairs   {len(rows)}")
    last = None
    for probe, gid, a, b, ca, cb in rows:
        if (probe, gid) != last:
            label = groups.loc[gid, "label"] if gid in groups.index else gid
            print(f"  [{probe}] group {gid}: {label}")
            last = (probe, gid)
        print(f"    {ca['value_text']!r} vs {cb['value_text']!r}  rules={rules[frozenset((a, b))]}")
        for c in (ca, cb):
            print(
                f"      {c['origin']}/{c['scope']} {c['source'] or '-'} {c['date'] or '-'}: "
                f"{_around(c['quote'], c['value_text'])}"
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expected", type=Path, default=PROBES / "expected_groups.toml")
    parser.add_argument("--verbose", action="store_true", help="list each expectation missed")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--false-conflicts",
        action="store_true",
        help="list each conflict pair that is no expected dispute",
    )
    args = parser.parse_args(argv)
    report, comparison = run(args.expected)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print_report(report, comparison, args.verbose)
        if args.false_conflicts:
            print_false_conflicts(report, comparison)
    return 0


if __name__ == "__main__":
    sys.exit(main())
