"""Claimants and places named in the text around a figure, and what finding them costs."""

from __future__ import annotations

import dataclasses
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from workcount import CountingPattern, CountingStr, Work, count_lines, count_patterns

from claims import context
from claims.context import (
    _CLAUSE_BREAK,
    _CONTRAST_BREAK,
    ClaimantMention,
    find_claimants,
    find_places,
    nearest_claimant,
    trailing_claimant,
)
from claims.model import Quantity


def _clause_by_scan(text: str, pos: int, breaks=_CLAUSE_BREAK) -> tuple[int, int]:
    start, end = 0, len(text)
    for m in breaks.finditer(text):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end


def _nearest_by_scan(mentions, q: Quantity, limit: int, text: str) -> str:
    """The rule of `nearest_claimant` read as a scan of every mention: the specification the
    indexed search must give the same answer as."""
    c_end = _clause_by_scan(text, q.start)[1]
    said_from = _clause_by_scan(text, q.start, _CONTRAST_BREAK)[0]
    best = None
    for m in mentions:
        if m.start >= q.end and m.start > limit:
            continue
        if any(ch.isdigit() for ch in m.label):
            continue
        if m.start >= c_end or m.end <= said_from:
            continue
        if m.start >= q.end:
            distance = m.start - q.end
        elif m.end <= q.start:
            distance = q.start - m.end + 1
        else:
            distance = 0
        if best is None or distance < best[0]:
            best = (distance, m.label)
    return best[1] if best else ""


def _trailing_by_scan(mentions, q: Quantity, ref_positions: list[int], line: str) -> str:
    for m in mentions:
        if m.start < q.end or not line.startswith("(", m.start):
            continue
        if any(q.end <= pos <= m.start for pos in ref_positions):
            return ""
        return m.label
    return ""


_PIECES = st.sampled_from(
    [
        "according to the ministry, ",
        "the army said ",
        "(Russian claim) ",
        "(per SOHR) ",
        "according to page 12, ",
        "12 killed ",
        "300 wounded, ",
        "; ",
        ", while ",
        ", and ",
        ", but ",
        " whereas ",
        "in Aleppo ",
        "Officials said ",
        "(self-reported) ",
        "the Syrian Observatory for Human Rights (SOHR) reported ",
        "fighting went on ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=40), st.data())
def test_nearest_claimant_is_the_nearest_by_any_reading(pieces, data):
    text = "".join(pieces)
    mentions = find_claimants(text)
    for _ in range(5):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 6)))
        limit = data.draw(st.integers(end, len(text)))
        q = Quantity(1, 1, text[start:end], start=start, end=end)
        assert nearest_claimant(mentions, q, limit, text) == _nearest_by_scan(
            mentions, q, limit, text
        )
        assert nearest_claimant(list(mentions), q, limit, text) == _nearest_by_scan(
            mentions, q, limit, text
        )
        refs = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=4)))
        assert trailing_claimant(mentions, q, refs, text) == _trailing_by_scan(
            mentions, q, refs, text
        )


def test_nearest_claimant_of_overlapping_mentions_takes_the_first():
    text = "12 killed"
    q = Quantity(12, 12, "12", start=0, end=2)
    mentions = [ClaimantMention(0, 5, "a", "first"), ClaimantMention(1, 4, "b", "second")]
    assert nearest_claimant(mentions, q, len(text), text) == "first"


def test_claimant_of_each_clause_of_a_long_paragraph():
    speakers = ["the ministry", "the Red Crescent", "the governor"]
    clauses = [f"according to {speakers[n % 3]}, {n + 1} people were killed" for n in range(300)]
    text = "; ".join(clauses) + "."
    mentions = find_claimants(text)
    assert len(mentions) == 300
    for k, clause in enumerate(clauses):
        start = text.index(clause) + clause.index(", ") + 2
        figure = f"{k + 1}"
        q = Quantity(k + 1, k + 1, figure, start=start, end=start + len(figure))
        assert nearest_claimant(mentions, q, len(text), text) == mentions[k].label


def _claimants_work(monkeypatch, text: str) -> Work:
    """The work of finding a text's claimants, counted, not timed: lines of the package run,
    characters read from the text, and the text given to each pattern of the module."""
    work = Work()
    vocab = context._vocabulary()
    counted = dataclasses.replace(
        vocab,
        **{
            field.name: CountingPattern(getattr(vocab, field.name), work)
            for field in dataclasses.fields(vocab)
            if isinstance(getattr(vocab, field.name), re.Pattern)
        },
    )
    with monkeypatch.context() as patch:
        count_patterns(patch, context, work)
        patch.setattr(context, "_vocabulary", lambda: counted)
        masked = context._mask_acronyms
        patch.setattr(context, "_mask_acronyms", lambda t: CountingStr(masked(t), work))
        found = count_lines(work, lambda: find_claimants(text))
    assert [m.label for m in found] == ["ministry"]
    return work


def test_speaker_before_a_verb_after_a_long_word(monkeypatch):
    # a word of many letters before the speaker costs its length once, not once per letter:
    # the words before a verb are read backwards, and a pattern looking at them is given only
    # their last characters, never the whole text before the verb
    def text(n: int) -> str:
        return "x" * n + " The ministry said 12 people were killed."

    small, large = (
        _claimants_work(monkeypatch, text(2_000)),
        _claimants_work(monkeypatch, text(16_000)),
    )
    assert large.scanned >= 16_000  # the module's patterns were counted
    assert large.total < small.total * 12, (small.total, large.total)  # 8x the letters
    assert max(large.searches, default=0) < 1_000, max(large.searches)


def test_speakers_of_many_clauses_are_each_found_once():
    text = " ".join(f"The governor of Town{i} said {i} died." for i in range(2000))
    labels = [m.label for m in find_claimants(text)]
    assert len(labels) == 2000
    assert labels[:2] == ["governor of Town0", "governor of Town1"]


def test_claimant_noun_word_makes_a_lower_case_speaker():
    assert [m.label for m in find_claimants("In Aleppo, local media reported 30 dead.")] == [
        "local media"
    ]
    assert [m.label for m in find_claimants("he said 30 died")] == []


def test_acronym_after_the_speaker_is_skipped():
    mentions = find_claimants("The Syrian Observatory for Human Rights (SOHR) reported 30 dead.")
    assert [m.label for m in mentions] == ["Syrian Observatory for Human Rights"]


def test_places_of_a_long_list():
    text = ", ".join(f"{i} in Brenmoor" for i in range(3000))
    assert len(find_places(text)) == 3000
