"""The matching benchmark is itself guarded: its expectations parse and resolve on the probe
articles, and its scoring is checked on a small comparison made by hand."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from claims.extract import extract

ROOT = Path(__file__).resolve().parent.parent
PROBES = ROOT / "tests" / "probes"


def _load_bench():
    spec = importlib.util.spec_from_file_location(
        "bench_match", ROOT / "benchmarks" / "bench_match.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_match"] = module
    spec.loader.exec_module(module)
    return module


bench = _load_bench()


def test_expectations_file_parses_with_every_kind_on_real_articles():
    expectations = bench.load_expectations(PROBES / "expected_groups.toml")
    kinds = {e.kind for e in expectations}
    articles = {f.article for e in expectations for f in e.all_figures()}
    assert kinds == set(bench.KINDS)
    assert len(expectations) >= 40
    assert sum(e.kind == "dispute" for e in expectations) >= 10
    assert len(articles) >= 8
    assert all((PROBES / f"{slug}.wiki").is_file() for slug in articles)


def test_every_expected_figure_resolves_to_a_claim():
    expectations = bench.load_expectations(PROBES / "expected_groups.toml")
    figures = {f for e in expectations for f in e.all_figures()}
    rows = []
    for slug in sorted({f.article for f in figures}):
        for claim in extract((PROBES / f"{slug}.wiki").read_text(encoding="utf-8")).claims:
            rows.append(
                {
                    "probe": slug,
                    "claim_id": claim.claim_id,
                    "value_text": claim.value_text,
                    "quote": claim.quote,
                }
            )
    ids = bench.resolve(figures, pd.DataFrame(rows))
    missing = sorted(f.label() for f, found in ids.items() if not found)
    assert missing == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[[expect]]\nkind = "guess"\narticle = "a"\nfigures = []\n', "unknown kind"),
        (
            '[[expect]]\nkind = "sum"\narticle = "a"\nfigures = [{ quote = "x", value = "1" }]\n',
            "a sum needs a total",
        ),
        (
            '[[expect]]\nkind = "dispute"\narticle = "a"\n'
            'figures = [{ quote = "x", value = "1" }]\n',
            "needs two figures",
        ),
    ],
)
def test_malformed_expectations_are_refused(tmp_path, text, problem):
    path = tmp_path / "expected.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        bench.load_expectations(path)


# A comparison made by hand: claim ids c1.. with their figures, groups and pair verdicts.
CLAIMS = [
    # probe, claim_id, value_text, quote, group_id
    ("war", "c1", "6,400", "6,400 dead", "g1"),
    ("war", "c2", "4,000–5,000", "4,000–5,000 dead (modern estimates)", "g1"),
    ("war", "c3", "192", "192 Athenians,", "g2"),
    ("war", "c4", "11", "11 Plataeans", "g2"),
    ("war", "c5", "203", "203 dead in all", "g3"),
    ("war", "c6", "9,000", "9,000 hoplites", "g4"),
    ("war", "c7", "9,000", "about 9,000 hoplites, says Nepos", "g4"),
    ("war", "c8", "1", "Deaths: 1", "g5"),
    ("war", "c9", "1", "Deaths: 1 (USA)", "g5"),
    ("other", "c10", "3", "3 ships", "g6"),
    ("other", "c11", "30", "30 ships", "g6"),
]
GROUPS = [
    ("g1", ""),
    ("g2", ""),
    ("g3", "equals the sum of 2 incident figures (203)"),
    ("g4", ""),
    ("g5", ""),
    ("g6", ""),
]


def _comparison(pairs: list[tuple[str, str, str]]) -> SimpleNamespace:
    claims = pd.DataFrame(CLAIMS, columns=["probe", "claim_id", "value_text", "quote", "group_id"])
    groups = pd.DataFrame(GROUPS, columns=["group_id", "sum_check"])
    frame = pd.DataFrame(pairs, columns=["claim_a", "claim_b", "verdict"])
    return SimpleNamespace(claims=claims, groups=groups, pairs=frame)


def fig(quote: str, value: str, article: str = "war"):
    return bench.Figure(article, quote, value)


def _score(expectations, pairs, articles=None):
    comparison = _comparison(pairs)
    figures = {f for e in expectations for f in e.all_figures()}
    ids = bench.resolve(figures, comparison.claims)
    return bench.score(expectations, comparison, ids, articles)


DISPUTE = bench.Expectation(
    "dispute", "war", (fig("6,400 dead", "6,400"), fig("modern", "4,000–5,000"))
)
AGREEMENT = bench.Expectation(
    "agreement", "war", (fig("9,000 hoplites", "9,000"), fig("says Nepos", "9,000"))
)
APART = bench.Expectation("apart", "war", (fig("192 Athenians", "192"), fig("11 Plataeans", "11")))


def test_a_dispute_is_found_only_when_its_figures_are_judged_conflict():
    found = _score([DISPUTE], [("c1", "c2", "conflict")])
    missed = _score([DISPUTE], [("c1", "c2", "agree")])
    assert found.counts()["dispute"] == (1, 1)
    assert missed.counts()["dispute"] == (0, 1)
    assert missed.outcomes[0].seen == ["agree"]


def test_an_agreement_is_found_only_when_judged_agree():
    assert _score([AGREEMENT], [("c6", "c7", "agree")]).counts()["agreement"] == (1, 1)
    assert _score([AGREEMENT], [("c6", "c7", "repeated")]).counts()["agreement"] == (0, 1)


@pytest.mark.parametrize(
    ("verdict", "held"),
    [
        ("conflict", False),
        ("agree", False),
        ("repeated", False),
        ("corroborated", False),
        ("updated", True),
        ("different_scope", True),
        ("part_of", True),
    ],
)
def test_figures_kept_apart_may_only_be_left_unjudged_or_set_apart(verdict, held):
    report = _score([APART], [("c3", "c4", verdict)])
    assert report.counts()["apart"] == (int(held), 1)


def test_a_sum_is_found_by_the_total_group_or_by_every_part_judged_part_of_it():
    parts = (fig("192 Athenians", "192"), fig("11 Plataeans", "11"))
    reported = bench.Expectation("sum", "war", parts, total=fig("203 dead", "203"))
    by_group = _score([reported], [])
    assert by_group.counts()["sum"] == (1, 1)

    total_elsewhere = bench.Expectation("sum", "war", parts, total=fig("9,000 hoplites", "9,000"))
    assert _score([total_elsewhere], [("c3", "c6", "part_of")]).counts()["sum"] == (0, 1)
    both = [("c3", "c6", "part_of"), ("c4", "c6", "part_of"), ("c6", "c7", "agree")]
    assert _score([total_elsewhere], both).counts()["sum"] == (1, 1)


def test_an_exact_quote_outranks_quotes_that_hold_the_snippet():
    comparison = _comparison([])
    ids = bench.resolve([fig("Deaths: 1", "1"), fig("(USA)", "1")], comparison.claims)
    assert ids[fig("Deaths: 1", "1")] == {"c8"}
    assert ids[fig("(USA)", "1")] == {"c9"}


def test_an_unresolved_figure_is_reported_and_its_expectation_not_passed():
    ghost = bench.Expectation("apart", "war", (fig("192 Athenians", "192"), fig("nowhere", "7")))
    report = _score([ghost], [])
    assert report.counts()["apart"] == (0, 1)
    assert [f.quote for f in report.unresolved] == ["nowhere"]


def test_precision_counts_conflicts_between_figures_of_a_dispute_among_the_articles_scored():
    pairs = [
        ("c1", "c2", "conflict"),  # the dispute
        ("c3", "c4", "conflict"),  # a false conflict
        ("c10", "c11", "conflict"),  # another article, left out below
        ("c6", "c7", "agree"),
    ]
    every = _score([DISPUTE, APART], pairs)
    assert (every.real_conflict_pairs, every.conflict_pairs) == (1, 3)
    one_article = _score([DISPUTE, APART], pairs, articles=["war"])
    assert (one_article.real_conflict_pairs, one_article.conflict_pairs) == (1, 2)
    assert one_article.false_conflicts == [("c3", "c4")]
    assert one_article.as_dict()["conflict_precision"] == pytest.approx(0.5)
