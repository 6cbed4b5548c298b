"""What one figure of a sentence counts: `claims.topics.Sentence.read`."""

from __future__ import annotations

import string

import pytest
from workcount import CountingStr, Work, count_lines

from claims.quantities import find_quantities
from claims.topics import Reading, Sentence, topic_labels


def _readings(text: str, **kwargs: str) -> list[tuple[str, Reading | None]]:
    sentence = Sentence(text)
    previous: Reading | None = None
    found = []
    for q in find_quantities(text):
        reading = sentence.read(q, previous=previous, **kwargs)
        found.append((q.text, reading))
        previous = reading or previous
    return found


def _topics(text: str, **kwargs: str) -> dict[str, str | None]:
    return {t: (r.topic if r else None) for t, r in _readings(text, **kwargs)}


def test_the_counted_noun_is_kept_with_its_modifiers() -> None:
    readings = dict(_readings("The ministry reported 95 new cases and 3 Hamas fighters."))
    cases, fighters = readings["95"], readings["3"]
    assert cases is not None and fighters is not None
    assert (cases.topic, cases.noun, cases.modifiers) == ("cases", "cases", ("new",))
    assert (fighters.noun, fighters.noun_class, fighters.modifiers) == (
        "fighters",
        "person",
        ("Hamas",),
    )


def test_a_noun_no_table_knows_is_kept_and_counts_other() -> None:
    readings = dict(_readings("The flood cut off 14 prefectures, and 9 deaths were recorded."))
    prefectures = readings["14"]
    assert prefectures is not None
    assert (prefectures.topic, prefectures.noun, prefectures.noun_class) == (
        "other",
        "prefectures",
        "",
    )


def test_a_known_place_reached_with_no_capture_word_is_other() -> None:
    reading = dict(_readings("The virus reached 3 provinces."))["3"]
    assert reading is not None
    assert (reading.topic, reading.noun) == ("other", "provinces")


def test_each_item_of_a_list_reads_its_own_words() -> None:
    assert _topics("There were 95 new cases, 60 recoveries and 8 deaths.") == {
        "95": "cases",
        "60": "recovered",
        "8": "killed",
    }
    assert _topics("The attack left 12 killed, 40 wounded and 3 missing.") == {
        "12": "killed",
        "40": "injured",
        "3": "missing",
    }


def test_an_item_with_no_word_borrows_the_lists_verb_not_another_items_noun() -> None:
    assert _topics("40 on the bus, 212 in the market and 17 at the checkpoint were killed.") == {
        "40": "killed",
        "212": "killed",
        "17": "killed",
    }
    assert _topics("There were 95 new widgets, and 8 deaths.") == {"95": "other", "8": "killed"}


def test_a_list_after_a_lead_counts_what_the_lead_names() -> None:
    assert _topics("Cases by province: Alpha (4), Beta (2), Gamma (1).") == {
        "4": "cases",
        "2": "cases",
        "1": "cases",
    }


def test_the_displaced_are_not_the_party_they_flee() -> None:
    reading = dict(_readings("Thousands flee the militia."))["Thousands"]
    assert reading is not None
    assert (reading.topic, reading.party, reading.noun) == ("displaced", "", "")


def test_signatures_in_a_strength_field_count_no_force() -> None:
    reading = dict(_readings("200,000 signatures", default_topic="strength"))["200,000"]
    assert reading is not None
    assert (reading.topic, reading.noun) == ("other", "signatures")


def test_people_who_take_a_place_are_a_force_and_people_taken_are_detained() -> None:
    assert _topics("Seven companies of infantry secured the North Bridge.") == {"Seven": "strength"}
    assert _topics("Rebels captured 40 soldiers.") == {"40": "detained"}
    assert _topics("400 militiamen advanced on the town.") == {"400": "strength"}


def test_the_given_figures_split_the_sentence_as_the_found_ones_do() -> None:
    text = "The attack left 12 killed, 40 wounded and 3 missing."
    figures = find_quantities(text)
    given = Sentence(text, figures)
    assert [given.read(q) for q in figures] == [r for _, r in _readings(text)]


def test_new_measures_are_topics() -> None:
    labels = topic_labels()
    for topic in ("missing", "rescued", "cases", "recovered"):
        assert topic in labels
    assert list(labels)[-1] == "other"


def _names(n: int) -> list[str]:
    letters, lower = string.ascii_uppercase, string.ascii_lowercase
    return [
        f"{letters[i % 26]}{lower[(i // 26) % 26]}{lower[(i // 676) % 26]}ton" for i in range(n)
    ]


def _read_all(text: str) -> int:
    """The work of reading every figure of a sentence: lines of the package run and characters
    read from the sentence, counted, not timed."""
    work = Work()
    sentence_text = CountingStr(text, work)
    figures = find_quantities(text)
    sentence = Sentence(sentence_text, figures)
    work.chars = 0  # only the readings are counted

    def read() -> None:
        for q in figures:
            sentence.read(q)

    count_lines(work, read)
    return work.total


def _listed(n: int) -> str:
    names = _names(n)
    return "Cases by province: " + ", ".join(f"{x} ({i % 9 + 1})" for i, x in enumerate(names))


def _tallies(n: int) -> str:
    words = ("killed", "wounded", "missing", "captured")
    return "The fighting left " + ", ".join(f"{i % 97 + 2} {words[i % 4]}" for i in range(n))


@pytest.mark.parametrize("sentence", [_listed, _tallies])
def test_a_sentence_of_many_figures_reads_in_linear_time(sentence) -> None:
    # read quadratically, each figure looked at every token or figure of its sentence
    small, large = _read_all(sentence(200) + "."), _read_all(sentence(1600) + ".")
    assert large < small * 12, (small, large)  # 8x the figures; quadratic would be 64x
