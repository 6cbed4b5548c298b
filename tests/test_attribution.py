"""The forces named around a figure: the sentence index gives the answers of the rules it reads
(`clause_of`, `opposed`), and reading a sentence of many figures or clauses costs work linear
in them."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from claims.attribution import _ForceIndex, clause_of, force_mentions, opposed

# words that make each rule of the index turn: names, nationality words and force nouns,
# possessives, words of opposition, verbs of a force, passive and amount words, figures,
# brackets and clause breaks, and words cut by a possessive or a hyphen
_WORDS = [
    "the", "The", "French", "English", "Philip's", "army", "troops", "men", "dead", "by",
    "against", "killed", "attacked", "were", "was", "about", "some", "more than", "at least",
    "300", "12,000", "5th", "12,000-strong", "(", ")", ",", ";", ":", " - ", "and", "he",
    "his", "of", "Kingdom", "France", "losses", "in", "favour", "had", "suffered", "which",
    "x_y", "Caesar’s", "–", "in favour of", "victory over",
]  # fmt: skip
_FIGURE = re.compile(r"\d[\d,]*")


def _sentence(words: list[str]) -> str:
    return " ".join(words).replace("( ", "(").replace(" )", ")")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=40))
def test_the_index_reads_clauses_and_opposition_as_the_rules_do(words: list[str]) -> None:
    text = _sentence(words)
    figures = [(m.start(), m.end()) for m in _FIGURE.finditer(text)]
    claimants = [(0, 3)] if text.startswith("The") else []
    index = _ForceIndex(text, figures, claimants)
    every = force_mentions(text, figures)
    kept = [m for m in every if not any(a < m.end and m.start < b for a, b in claimants)]
    assert index.mentions == kept
    for figure in figures:
        lo, hi, covered = index.clause(*figure)
        ref_lo, ref_hi, asides = clause_of(text, *figure)
        assert (lo, hi) == (ref_lo, ref_hi)
        for pos in range(lo, hi):
            assert covered(pos) == any(a <= pos < b for a, b in asides), pos
        for k, mention in enumerate(index.mentions):
            assert index.opposed(k, figure) == opposed(text, mention, figure), (mention, figure)


def test_a_possessive_force_before_its_verb_is_set_against_its_figure() -> None:
    # "Philip's" is read from its cut "'s": the words between are those the rule reads
    text = "Philip's army killed about 300 men"
    index = _ForceIndex(text, [(27, 30)], [])
    assert [m.words for m in index.mentions] == ["Philip"]
    assert index.opposed(0, (27, 30)) is True
    assert opposed(text, index.mentions[0], (27, 30)) is True
