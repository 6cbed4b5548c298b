"""What a comparison finds, as the landing view states it (claims.findings)."""

from __future__ import annotations

import pandas as pd
import pytest

from claims.findings import (
    Mark,
    disputed_groups,
    finding_for,
    finding_rules,
    findings,
    group_title,
    sentence,
)
from claims.match import compare
from claims.model import ALL_CLAIM_COLUMNS


def row(claim_id: str, source: str, low: float | None, high: float | None, text: str,
        **values: object) -> dict[str, object]:  # fmt: skip
    base: dict[str, object] = {
        "article": "Battle of Somewhere", "claim_id": claim_id, "origin": "infobox",
        "section": "", "topic": "killed", "party": "Rebels", "side": "1",
        "value_low": low, "value_high": high, "value_text": text, "qualifier": "exact",
        "date": "2024-11-30", "place": "", "source": source, "source_name": source,
        "source_kind": "wire", "quote": f"{text} were killed.",
    }  # fmt: skip
    base.update(values)
    return base


def compared(rows: list[dict[str, object]]):
    return compare(pd.DataFrame(rows).reindex(columns=list(ALL_CLAIM_COLUMNS)))


@pytest.fixture(scope="module")
def comparison():
    return compared(
        [
            # a narrow conflict, a wide conflict, an agreement, and one lone source
            row("k1", "SOHR", 22, 22, "22"),
            row("k2", "AP", 4, 4, "4"),
            row("i1", "SOHR", 30, 30, "30", topic="injured"),
            row("i2", "AP", 31, 31, "about 31", topic="injured"),
            row("i3", "Reuters", 100, None, "more than 100", topic="injured"),
            row("s1", "SOHR", 1000, 1000, "1,000", topic="strength"),
            row("s2", "TASS", 1000, 1050, "1,000–1,050", topic="strength"),
            row("d1", "SOHR", 500, 500, "500", topic="displaced"),
        ]
    )


def by_topic(comparison, topic: str):
    groups = comparison.groups
    return groups[groups["topic"] == topic].iloc[0]


def test_conflicts_come_first_widest_gap_first_then_agreements(comparison):
    listed = findings(comparison)
    assert [f.verdict for f in listed] == ["conflict", "conflict", "agree"]
    assert listed[0].gap > listed[1].gap
    assert listed[0].title.startswith("Killed")
    assert listed[2].title.startswith("Strength")


def test_a_group_of_one_source_is_not_listed(comparison):
    listed = disputed_groups(comparison.groups)
    assert "displaced" not in set(listed["topic"])
    assert (listed["n_independent"] >= finding_rules().min_independent).all()


def test_two_sources_are_named_with_their_figures(comparison):
    first = findings(comparison)[0]
    assert first.sentence == "SOHR 22, AP 4: conflict"
    assert [m.label for m in first.marks] == ["AP 4", "SOHR 22"]  # lowest figure first


def test_three_sources_give_their_count_and_extremes(comparison):
    injured = next(f for f in findings(comparison) if f.title.startswith("Injured"))
    assert injured.sentence == "3 sources, more than 100 vs 30: conflict"
    assert injured.rules == "ranges_apart ×2, ranges_overlap ×1"
    open_mark = next(m for m in injured.marks if m.source == "Reuters")
    assert open_mark.low == 100 and open_mark.high is None


def test_an_agreement_reads_as_a_range_from_low_to_high(comparison):
    strength = next(f for f in findings(comparison) if f.verdict == "agree")
    assert strength.sentence == "TASS 1,000–1,050, SOHR 1,000: agree"


def test_limit_keeps_the_first_of_the_order(comparison):
    assert [f.group_id for f in findings(comparison, limit=1)] == [findings(comparison)[0].group_id]


def test_any_group_has_a_finding_with_all_its_figures(comparison):
    lone = by_topic(comparison, "displaced")
    finding = finding_for(comparison, lone["group_id"])
    assert finding is not None and finding.verdict == "single"
    assert [m.text for m in finding.marks] == ["500"]
    assert finding_for(comparison, "g-none") is None


def test_marks_beyond_the_cap_are_counted_not_lost():
    cap = finding_rules().max_marks
    rows = [row(f"m{i}", f"Outlet {i}", 100 + i, 100 + i, str(100 + i)) for i in range(cap + 3)]
    rows.append(row("far", "Far Outlet", 900, 900, "900"))
    listed = findings(compared(rows))
    assert listed, "a group of many outlets is listed"
    assert len(listed[0].marks) == cap
    assert listed[0].more_marks == len(rows) - cap
    full = finding_for(compared(rows), listed[0].group_id)
    assert full is not None and len(full.marks) == len(rows)


def test_parts_are_listed_beside_their_whole_with_the_sum_check():
    rows = [
        row("w1", "SOHR", 40, 40, "40", origin="prose", section="Casualties",
            quote="40 people were killed, including 11 children.", party="civilians"),
        row("w2", "AP", 90, 90, "90", origin="prose", section="Casualties",
            quote="AP said 90 people were killed.", party="civilians"),
    ]  # fmt: skip
    comparison = compared(rows)
    groups = comparison.groups
    whole = groups.iloc[0]
    part = {
        **{c: whole[c] for c in groups.columns},
        "group_id": "gpart",
        "part_of": whole["group_id"],
        "topic": "killed",
        "measure": "child",
    }
    comparison.groups = pd.concat([groups, pd.DataFrame([part])], ignore_index=True)
    members = [
        row("p1", "SOHR", 11, 11, "11", party="civilians") | {"group_id": "gpart"},
        row("p2", "AP", 12, 12, "12", party="civilians") | {"group_id": "gpart"},
    ]
    comparison.claims = pd.concat([comparison.claims, pd.DataFrame(members)], ignore_index=True)
    finding = finding_for(comparison, whole["group_id"])
    assert finding is not None
    assert [(p.group_id, p.figures) for p in finding.parts] == [("gpart", "SOHR 11, AP 12")]
    assert finding.parts[0].title.startswith("Killed (child)")
    assert finding.as_dict()["parts"] == [
        {"group_id": "gpart", "title": finding.parts[0].title, "figures": "SOHR 11, AP 12"}
    ]


def test_sentences_of_other_verdicts():
    marks = [Mark("a", "SOHR", "12", 12, 12), Mark("b", "AP", "15", 15, 15),
             Mark("c", "AFP", "22", 22, 22)]  # fmt: skip
    assert sentence(marks, "updated", 3) == "3 sources, 12 then 22: a later tally"
    same = [Mark("a", "Quarles", "one", 1, 1), Mark("b", "Quarles", "One", 1, 1),
            Mark("c", "Chidsey", "174", 174, 174)]  # fmt: skip
    assert sentence(same, "conflict", 2) == "Chidsey 174, Quarles one: conflict"
    assert sentence([], "agree", 0) == "agree"


def test_a_title_names_measure_party_scope_date_and_place():
    group = {"topic": "killed", "measure": "child", "party": "", "scope": "incident",
             "date": "2024-11-30", "place": "Aleppo"}  # fmt: skip
    assert group_title(group, {"killed": "Killed"}) == (
        "Killed (child) · no party named · one incident · 2024-11-30 · Aleppo"
    )
    assert group_title({"topic": "strength", "measure": "people", "scope": "total"}, {}) == (
        "Strength · no party named · total"
    )


def test_pairs_set_apart_decide_nothing_of_a_groups_verdict():
    from claims.findings import rule_counts

    pairs = pd.DataFrame(
        {
            "verdict": ["conflict", "different_scope", "different_scope", "part_of", "agree"],
            "rules": ["ranges_apart", "total_and_incident", "total_and_incident", "part_words",
                      "ranges_overlap"],
        }
    )  # fmt: skip
    assert rule_counts(pairs) == "ranges_apart ×1, ranges_overlap ×1"


def test_figures_set_apart_get_their_own_sentence():
    from claims.findings import kept_apart_sentences

    comparison = compared(
        [
            # a total of the battle, and two incidents of it told by other sources
            row("t1", "SOHR", 22, 22, "22"),
            row(
                "n1",
                "AP",
                4,
                4,
                "four",
                origin="prose",
                place="University of Aleppo",
                quote="four were killed at the University of Aleppo.",
            ),
            row(
                "n2",
                "BBC",
                12,
                12,
                "12",
                origin="prose",
                date="2024-12-01",
                place="Aleppo University Hospital",
                quote="12 were killed at Aleppo University Hospital.",
            ),
        ]
    )
    apart = comparison.pairs[comparison.pairs["verdict"] == "different_scope"]
    assert len(apart) == 2, "the total is set apart from each incident"
    total = apart["group_id"].iloc[0]
    finding = finding_for(comparison, total)
    assert finding is not None
    words = finding_rules().kept_apart_words["different_scope"]
    assert sorted(finding.kept_apart) == sorted(
        [
            f"SOHR 22, AP four (2024-11-30, University of Aleppo): {words}",
            f"SOHR 22, BBC 12 (2024-12-01, Aleppo University Hospital): {words}",
        ]
    )
    # the sentence of the group itself says nothing of them: they were not compared
    assert "AP" not in finding.sentence
    assert finding.as_dict()["kept_apart"] == list(finding.kept_apart)
    # a pair whose claims are not at hand, or a judged pair, writes no such sentence
    assert kept_apart_sentences(apart, {}) == []
    judged = apart.assign(verdict="conflict")
    claims = {r["claim_id"]: r for r in comparison.claims.to_dict("records")}
    assert kept_apart_sentences(judged, claims) == []


def test_set_apart_sentences_beyond_the_cap_are_counted():
    limit = finding_rules().max_kept_apart
    rows = [row("t1", "SOHR", 500, 500, "500")]
    rows += [
        row(f"n{i}", f"S{i}", i + 1, i + 1, str(i + 1), origin="prose", place=f"Place {i}",
            date=f"2024-11-{10 + i:02d}", quote=f"{i + 1} were killed in Place {i}.")
        for i in range(limit + 2)
    ]  # fmt: skip
    comparison = compared(rows)
    apart = comparison.pairs[comparison.pairs["verdict"] == "different_scope"]
    finding = finding_for(comparison, apart["group_id"].iloc[0])
    assert finding is not None
    assert len(apart) > limit
    assert len(finding.kept_apart) == limit
    assert finding.more_kept_apart == len(apart) - limit


def test_a_finding_as_json_keeps_every_field(comparison):
    killed = next(f for f in findings(comparison) if f.title.startswith("Killed"))
    group = by_topic(comparison, "killed")
    assert killed.as_dict() == {
        "group_id": group["group_id"],
        "article": "Battle of Somewhere",
        "title": "Killed · Rebels · total · 2024-11-30",
        "verdict": "conflict",
        "sentence": "SOHR 22, AP 4: conflict",
        "gap": group["gap"],
        "n_independent": 2,
        "rules": "ranges_apart ×1",
        "why": group["why"],
        "sum_check": "",
        "marks": [
            {"claim_id": "k2", "source": "AP", "figure": "4", "low": 4.0, "high": 4.0},
            {"claim_id": "k1", "source": "SOHR", "figure": "22", "low": 22.0, "high": 22.0},
        ],
        "more_marks": 0,
        "parts": [],
        "kept_apart": [],
        "more_kept_apart": 0,
    }
    assert killed.verdict_words == "conflict"
    assert killed.gap == pytest.approx((22 - 4) / 22)
    assert [m.quote for m in killed.marks] == ["4 were killed.", "22 were killed."]
    assert killed.why.startswith("1 conflict among pairs")


def test_a_group_without_a_verdict_or_counts_reads_as_one_source():
    comparison = compared([row("a", "SOHR", 5, 5, "5")])
    groups = comparison.groups.copy()
    groups["verdict"] = None
    groups["n_independent"] = float("nan")
    groups["gap"] = float("nan")
    groups["sum_check"] = "5 = 2 + 3"
    comparison.groups = groups
    finding = finding_for(comparison, groups["group_id"].iloc[0])
    assert finding is not None
    assert (finding.verdict, finding.verdict_words) == ("single", "one source")
    assert (finding.n_independent, finding.gap) == (0, 0.0)
    assert finding.sentence == "SOHR 5: one source"
    assert finding.sum_check == "5 = 2 + 3"


def test_a_verdict_without_words_is_read_from_its_name():
    comparison = compared([row("a", "SOHR", 5, 5, "5")])
    comparison.groups = comparison.groups.assign(verdict="newly_found")
    finding = finding_for(comparison, comparison.groups["group_id"].iloc[0])
    assert finding is not None and finding.verdict_words == "newly found"
    assert finding.sentence == "SOHR 5: newly found"


def test_a_group_whose_claims_are_filtered_out_has_no_marks(comparison):
    group = by_topic(comparison, "killed")["group_id"]
    claims = comparison.claims
    narrowed = type(comparison)(
        claims[claims["group_id"] != group], comparison.groups, comparison.pairs.iloc[0:0],
        comparison.sources,
    )  # fmt: skip
    finding = finding_for(narrowed, group)
    assert finding is not None
    assert finding.marks == () and finding.rules == "" and finding.sentence == "conflict"


def test_groups_of_an_older_store_without_parts_still_give_findings(comparison):
    older = type(comparison)(
        comparison.claims, comparison.groups.drop(columns=["part_of"]), comparison.pairs,
        comparison.sources,
    )  # fmt: skip
    assert [f.sentence for f in findings(older)] == [f.sentence for f in findings(comparison)]
    assert all(f.parts == () for f in findings(older))


def test_counts_read_back_as_text_are_ordered_as_numbers():
    groups = pd.DataFrame(
        {
            "group_id": ["a", "b", "c", "d", "e"],
            "verdict": ["agree", "conflict", "conflict", "repeated", "conflict"],
            "n_independent": ["2", "3", "", "2", "2"],
            "gap": ["", "0.1", "0.9", "", "n/a"],
        }
    )
    assert list(disputed_groups(groups)["group_id"]) == ["b", "e", "a", "d"]
    assert disputed_groups(groups.iloc[0:0]).empty
    assert disputed_groups(groups.drop(columns=["n_independent"])).empty
    lone = groups.assign(n_independent="1")
    assert disputed_groups(lone).empty and list(disputed_groups(lone).columns) == list(
        groups.columns
    )


def test_more_sources_than_are_named_give_their_count_and_range():
    marks = [Mark("a", "SOHR", "12", 12, 12), Mark("b", "AP", "15", 15, 15),
             Mark("c", "AFP", "22", 22, 22)]  # fmt: skip
    assert sentence(marks, "agree", 3) == "3 sources, 12 to 22: agree"
    assert sentence(marks, "agree", 0) == "3 sources, 12 to 22: agree"  # counted from the marks
    assert sentence(marks, "conflict", 5) == "5 sources, 22 vs 12: conflict"
    alike = [Mark("a", "SOHR", "12", 12, 12), Mark("b", "AP", "12", 12, 12),
             Mark("c", "AFP", "12", 12, 12)]  # fmt: skip
    assert sentence(alike, "repeated", 1) == "1 sources, 12: one outlet repeating itself"
    both = [Mark("a", "SOHR", "12", 12, 12), Mark("b", "SOHR", "13", 13, 13)]
    assert sentence(both, "agree", 1) == "SOHR 12 and 13: agree"
    spaced = [Mark("a", "SOHR", "about 12", 12, 12), Mark("b", "SOHR", "About  12", 12, 12)]
    assert sentence(spaced, "agree", 1) == "SOHR about 12: agree"


def test_a_figure_with_no_interval_is_marked_last():
    from claims.findings import marks_of

    members = pd.DataFrame(
        [row("u", "AP", None, None, "some"), row("b", "SOHR", 9, 9, "9"), row("a", "", 9, 9, "9")]
    )
    assert [(m.claim_id, m.source) for m in marks_of(members)] == [
        ("a", "(no citation)"),
        ("b", "SOHR"),
        ("u", "AP"),
    ]


def test_a_title_of_an_unlabelled_topic_and_scope():
    assert group_title({"topic": "air_strikes", "scope": "phase", "party": "Rebels"}, {}) == (
        "Air strikes · Rebels · phase"
    )
    assert group_title({"topic": "", "measure": "tank", "scope": ""}, {}) == (
        "Figures (tank) · no party named"
    )
    assert group_title({"topic": float("nan"), "party": None}, {}) == "Figures · no party named"


def test_rule_counts_read_the_first_rule_of_each_pair():
    from claims.findings import rule_counts

    pairs = pd.DataFrame(
        {"rules": ["same_event_in_another_article; ranges_apart", "ranges_apart, x", ""]}
    )
    assert rule_counts(pairs) == "same_event_in_another_article ×1, ranges_apart ×1"
    assert rule_counts(pairs.iloc[0:0]) == ""
    assert rule_counts(pd.DataFrame({"verdict": ["agree"]})) == ""
