"""Verdicts, each on a small article written for it, then the seed, the library API and the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from claims.extract import extract_article
from claims.match import GROUP_COLUMNS, PAIR_COLUMNS, SOURCE_COLUMNS, Comparison, compare
from claims.model import ALL_CLAIM_COLUMNS

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).parent.parent / "seeds" / "battle-of-aleppo-2024.wiki"


def compared(name: str) -> Comparison:
    return compare(extract_article((FIXTURES / name).read_text(encoding="utf-8")))


def claim(c: Comparison, **wanted: object) -> pd.Series:
    rows = c.claims
    for column, value in wanted.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def group_of(c: Comparison) -> dict[str, str]:
    """Each figure as written -> the group it is in (figures written once in the article)."""
    return dict(zip(c.claims.value_text, c.claims.group_id, strict=True))


def pair(c: Comparison, source_a: str, source_b: str) -> pd.Series:
    p = c.pairs
    hit = p[
        ((p.source_a == source_a) & (p.source_b == source_b))
        | ((p.source_a == source_b) & (p.source_b == source_a))
    ]
    assert len(hit) == 1, c.pairs
    return hit.iloc[0]


@pytest.fixture(scope="module")
def market() -> Comparison:
    return compared("match_same_incident.wiki")


def test_two_outlets_same_incident_close_figures_agree(market: Comparison) -> None:
    verdict = pair(market, "Reuters", "Al Jazeera")
    assert verdict["verdict"] == "agree"
    assert "35 vs 36" in verdict["why"] and "±10%" in verdict["why"]


def test_same_incident_different_figures_conflict(market: Comparison) -> None:
    verdict = pair(market, "Reuters", "SANA")
    assert verdict["verdict"] == "conflict"
    assert verdict["why"].startswith("ranges_apart: 35 vs 80")
    assert verdict["rules"] == "ranges_apart" and verdict["gap"] == pytest.approx(45 / 80)
    group = market.groups[market.groups.group_id == claim(market, source="SANA").group_id]
    assert group.iloc[0]["verdict"] == "conflict"
    assert group.iloc[0]["n_independent"] == 4
    assert group.iloc[0]["low"] == 24 and group.iloc[0]["high"] == 99
    # the median of the four independent sources' midpoints: 35, 36, 61.5 (dozens), 80
    assert group.iloc[0]["best_estimate"] == pytest.approx((36 + 61.5) / 2)
    assert group.iloc[0]["gap"] == pytest.approx(45 / 80)


def test_vague_dozens_agrees_with_thirty_five(market: Comparison) -> None:
    assert pair(market, "Reuters", "BBC")["verdict"] == "agree"


def test_other_incident_is_its_own_group(market: Comparison) -> None:
    school = claim(market, value_text="12")
    strike = claim(market, value_text="35")
    assert school.group_id != strike.group_id
    assert school.group_verdict == "single"


def test_a_total_is_never_in_conflict_with_an_incident(market: Comparison) -> None:
    total = claim(market, value_text="47")
    assert total.scope == "total"
    assert total.group_id not in set(market.claims[market.claims.scope == "incident"].group_id)
    with_total = market.pairs[
        (market.pairs.claim_a == total.claim_id) | (market.pairs.claim_b == total.claim_id)
    ]
    assert len(with_total) == 2  # the market strike and the school strike
    assert set(with_total.verdict) == {"different_scope"}
    assert with_total.why.str.contains("not judged").all()
    assert market.groups.set_index("group_id").loc[total.group_id, "verdict"] == "single"


def test_highest_and_lowest_of_a_group(market: Comparison) -> None:
    assert bool(claim(market, source="SANA").is_highest)
    assert bool(claim(market, source="Reuters", value_text="35").is_lowest)
    assert bool(claim(market, source="Reuters", value_text="35").confirmed)
    sources = market.sources.set_index("source")
    assert sources.loc["SANA", "highest"] == 1
    assert sources.loc["SANA", "conflict"] == 2  # with Reuters and Al Jazeera; "dozens" agrees
    assert sources.loc["SANA", "unconfirmed"] == 0  # the vague "dozens" overlaps its 80


def test_outlet_repeating_itself_in_prose_and_headline_is_repeated() -> None:
    c = compared("match_repeats.wiki")
    killed = c.claims[c.claims.value_text == "27"]
    assert set(killed.origin) == {"prose", "citation_title"}
    assert killed.group_id.nunique() == 1
    assert set(killed.group_verdict) == {"repeated"}
    group = c.groups[c.groups.group_id == killed.group_id.iloc[0]].iloc[0]
    assert group["n_independent"] == 1


def test_later_larger_tally_of_the_same_outlet_is_an_update() -> None:
    c = compared("match_repeats.wiki")
    fled = c.claims[c.claims.topic == "displaced"]
    assert fled.group_id.nunique() == 1
    assert set(fled.group_verdict) == {"updated"}


def test_total_equal_to_the_sum_of_its_incidents_is_said() -> None:
    c = compared("match_sum_of_parts.wiki")
    total = c.groups[c.groups.scope == "total"].iloc[0]
    # the tolerance applies once, to the total: 35 + 12 is 47 exactly
    assert total["sum_check"] == "47 = 35 + 12"
    assert set(c.groups.verdict) == {"single"}


def test_relayed_figure_counts_its_origin_once() -> None:
    text = (
        "On 3 March 2020, 40 soldiers were killed in Redtown, according to the Syrian "
        "Observatory for Human Rights.<ref>{{cite news|work=Reuters|title=Clashes|"
        "url=https://www.reuters.com/r1|date=3 March 2020}}</ref>\n\n"
        "On 3 March 2020, 40 soldiers were killed in Redtown.<ref>{{cite web|title=Redtown|"
        "publisher=Syrian Observatory for Human Rights|url=https://www.syriahr.com/en/r2|"
        "date=3 March 2020}}</ref>"
    )
    c = compare(extract_article(text, "Redtown"))
    assert c.claims.group_id.nunique() == 1
    assert set(c.pairs.verdict) == {"repeated"}
    assert c.groups.iloc[0]["n_independent"] == 1 and c.groups.iloc[0]["n_sources"] == 2


# -- the seed --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> Comparison:
    return compare(extract_article(SEED.read_text(encoding="utf-8")))


def test_seed_sohr_prose_and_its_headline_are_one_repeated_group(seed: Comparison) -> None:
    sixteen = seed.claims[(seed.claims.value_low == 16) & (seed.claims.source == "SOHR")]
    assert set(sixteen.origin) == {"prose", "citation_title"}
    assert sixteen.group_id.nunique() == 1
    assert set(sixteen.group_verdict) == {"repeated"}


def test_seed_civilian_incidents_do_not_conflict(seed: Comparison) -> None:
    civilians = seed.claims[seed.claims.party.isin(["civilians", "people"])]
    killed = civilians[civilians.topic == "killed"]
    assert killed.group_id.nunique() >= 3
    assert "conflict" not in set(killed.group_verdict)


# -- API and CLI -----------------------------------------------------------------------------


def test_frames_have_the_documented_columns(seed: Comparison) -> None:
    assert list(seed.claims.columns[: len(ALL_CLAIM_COLUMNS)]) == list(ALL_CLAIM_COLUMNS)
    assert list(seed.groups.columns) == list(GROUP_COLUMNS)
    assert list(seed.pairs.columns) == list(PAIR_COLUMNS)
    assert list(seed.sources.columns) == list(SOURCE_COLUMNS)
    assert seed.claims.group_id.isin(seed.groups.group_id).all()


def test_restrict_keeps_only_the_chosen_claims_and_their_pairs(market: Comparison) -> None:
    chosen = market.claims[market.claims.source.isin(["Reuters", "SANA"])].claim_id
    view = market.restrict(chosen)
    assert set(view.claims.source) == {"Reuters", "SANA"}
    assert set(view.pairs.verdict) == {"conflict"}
    assert view.matrix().to_dict("records") == [
        {"source_a": "Reuters", "source_b": "SANA", "verdict": "conflict", "count": 1}
    ]


def test_matrix_counts_each_unordered_pair_once(market: Comparison) -> None:
    matrix = market.matrix()
    assert (matrix.source_a <= matrix.source_b).all()
    assert matrix["count"].sum() == len(
        market.pairs[market.pairs.verdict.isin(["agree", "conflict"])]
    )


def test_empty_input_gives_an_empty_comparison() -> None:
    empty = compare([])
    assert empty.claims.empty and empty.groups.empty and empty.matrix().empty


def test_compare_accepts_a_frame_as_well_as_claims(seed: Comparison) -> None:
    frame = seed.claims[list(ALL_CLAIM_COLUMNS)]
    again = compare(frame)
    assert list(again.groups.group_id) == list(seed.groups.group_id)


def test_cli_writes_four_csv_files(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "claims.cli",
            "compare",
            str(FIXTURES / "match_same_incident.wiki"),
            "-o",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    for name in ("claims", "groups", "pairs", "sources"):
        assert (tmp_path / f"{name}.csv").exists()
    groups = pd.read_csv(tmp_path / "groups.csv")
    assert "conflict" in set(groups.verdict)
    assert "groups (" in done.stderr


def test_seed_strength_in_infobox_and_headline_is_one_repeated_claim(
    seed: Comparison,
) -> None:
    tass = seed.claims[(seed.claims.source == "TASS") & (seed.claims.value_low == 350)]
    assert set(tass.origin) == {"infobox", "citation_title"}
    assert tass.group_id.nunique() == 1
    assert set(tass.group_verdict) == {"repeated"}


def test_a_casualty_table_by_side_is_judged_against_the_infobox() -> None:
    text = (
        "{{Infobox military conflict\n| conflict = Battle of X\n| date = May 2016\n"
        "| combatant1 = Government\n"
        "| casualties1 = 1,200 killed<ref>{{cite news|work=BBC News|title=a|"
        "url=https://www.bbc.co.uk/a}}</ref>\n}}\n== Casualties ==\n"
        '{| class="wikitable"\n! Side !! Killed\n|-\n| Government || 1,500<ref>{{cite news|'
        "work=Reuters|title=b|url=https://www.reuters.com/b}}</ref>\n|-\n! Date !! Killed\n|}\n"
        '{| class="wikitable"\n! Date !! Place !! Killed\n|-\n| 3 May || Redtown || 40 '
        "government soldiers\n|}\n"
    )
    claims = extract_article(text)
    scopes = compare(claims).claims.set_index("value_low")["scope"].to_dict()
    assert scopes == {1200: "total", 1500: "total", 40: "incident"}
    groups = compare(claims).groups
    (total,) = groups[groups["scope"] == "total"].itertuples()
    assert (total.verdict, total.n_claims) == ("conflict", 2)


def test_counts_of_different_things_are_never_compared() -> None:
    text = (
        "On 3 May 2020, SDF forces captured 15 villages and 2 hills north of Raqqa.<ref>{{cite "
        "news|work=Reuters|title=a|url=https://www.reuters.com/a}}</ref> On 3 May 2020, drones "
        "destroyed 8 tanks and 2 helicopters near Raqqa.<ref>{{cite news|work=BBC News|title=b|"
        "url=https://www.bbc.co.uk/b}}</ref> On 3 May 2020, rebels captured 14 villages near "
        "Raqqa.<ref>{{cite news|work=AP|title=c|url=https://apnews.com/c}}</ref>"
    )
    groups = compare(extract_article(text, "Raqqa")).groups
    verdicts = {
        label.split(" · ")[0]: v for label, v in zip(groups.label, groups.verdict, strict=True)
    }
    assert verdicts == {
        "captured (village)": "agree",
        "captured (hill)": "single",
        "equipment (tank)": "single",
        "equipment (helicopter)": "single",
    }


def test_formations_are_not_compared_with_head_counts() -> None:
    text = (
        "{{Infobox military conflict\n| combatant1 = Army\n| strength1 = 3 brigades<br>"
        "5,000 troops<ref>{{cite news|work=BBC News|title=a|url=https://www.bbc.co.uk/a}}</ref>"
        "\n}}\nThe army deployed 3 brigades, about 5,000 troops, to the city.<ref>{{cite news|"
        "work=Reuters|title=b|url=https://www.reuters.com/b}}</ref>"
    )
    groups = compare(extract_article(text, "Battle")).groups
    assert sorted(zip(groups.label, groups.verdict, strict=True)) == [
        ("strength (brigade) · Army (side 1)", "agree"),
        ("strength · Army (side 1)", "agree"),
    ]


def test_a_toll_of_a_wider_place_is_not_the_total_of_the_article() -> None:
    text = (
        "{{Infobox civilian attack|location=[[Gaza City]]|date=10 August 2024"
        "|fatalities=93+<ref>{{cite news|title=Strike on school|work=Al Jazeera"
        "|url=https://www.aljazeera.com/a}}</ref>|injuries=Dozens<ref>{{cite news|title=b"
        "|work=BBC News|url=https://www.bbc.com/b}}</ref>}}\n"
        "By mid-August, the total death toll in the Gaza Strip had risen to 40,005, with more "
        "than 92,000 wounded.<ref>{{cite news|title=Gaza death toll passes 40,000"
        "|work=Associated Press|url=https://apnews.com/c}}</ref>\n"
    )
    c = compare(extract_article(text, "School strike"))
    groups = {g.label.split(" · ")[0] + " · " + g.place: g for g in c.groups.itertuples()}
    # the headline names no place: it joins the total its own article backs
    assert groups["killed · Gaza Strip"].n_claims == 2
    assert groups["killed · Gaza City"].n_claims == 1
    assert "conflict" not in set(c.groups.verdict)


def test_figures_of_an_article_on_one_day_are_judged_as_its_total() -> None:
    text = (
        "{{Infobox civilian attack|location=[[Testtown]] hospital|date=17 October 2023"
        "|deaths=471 (Health Ministry claim)<ref>{{cite news|title=Toll revised"
        "|work=Al Jazeera|url=https://www.aljazeera.com/h1|date=18 October 2023}}</ref>}}\n"
        "French intelligence put the toll at a few dozen.<ref>{{cite news|title=French view"
        "|work=France 24|url=https://www.france24.com/h2|date=21 October 2023}}</ref> "
        "According to Human Rights Watch, the blast killed dozens.<ref>{{cite web"
        "|title=Findings|publisher=Human Rights Watch|url=https://www.hrw.org/h3"
        "|date=26 November 2023}}</ref>\n"
        "At least 93 people were killed, including 11 children and six women.<ref>{{cite news"
        "|title=Blast|work=Reuters|url=https://www.reuters.com/h4|date=17 October 2023}}</ref>\n"
    )
    claims = extract_article(text, "Hospital explosion")
    # reported on later days, each figure counts the one day the article is about
    prose = [c for c in claims if c.origin == "prose"]
    assert {(c.date, c.date_basis) for c in prose} == {("2023-10-17", "event")}
    c = compare(claims)
    by_figure = group_of(c)
    # the infobox total names no party: it is judged with the figures counting people
    assert by_figure["471"] == by_figure["a few dozen"] == by_figure["dozens"]
    assert by_figure["At least 93"] == by_figure["471"]
    verdict = c.groups.set_index("group_id").verdict
    assert verdict[by_figure["471"]] == "conflict"
    # a part ("including 11 children") is compared with neither its whole nor the other part
    assert len({by_figure["At least 93"], by_figure["11"], by_figure["six"]}) == 3
    assert set(c.pairs.verdict) <= {"agree", "conflict", "part_of"}
    parts = c.pairs[c.pairs.verdict == "part_of"]
    whole = c.claims.set_index("claim_id").value_text
    assert sorted(zip(parts.claim_a.map(whole), parts.claim_b.map(whole), strict=True)) == [
        ("At least 93", "11"),
        ("At least 93", "six"),
    ]
    assert set(parts.rules) == {"part_words"}


def test_two_claimants_of_one_sentence_are_judged_against_each_other() -> None:
    text = (
        "On 17 March 2017, an airstrike in [[Newtown]] killed between 105 and 141 civilians, "
        "according to a U.S. military investigation; local officials had put the toll at over "
        "200.<ref>{{cite news|title=Strike inquiry|work=The New York Times"
        "|url=https://www.nytimes.com/s1}}</ref>\n"
        "On 18 March 2017, shelling in [[Oldtown]] killed 12 civilians at the market and 40 "
        "civilians at the school."
        "<ref>{{cite news|title=Shelling|work=Reuters|url=https://www.reuters.com/s2}}</ref>\n"
    )
    c = compare(extract_article(text, "Battle"))
    group = group_of(c)
    assert group["between 105 and 141"] == group["over 200"]
    assert c.groups.set_index("group_id").verdict[group["over 200"]] == "conflict"
    # figures of one sentence with no claimant to tell them apart count different things
    assert group["12"] != group["40"]


def test_a_table_of_tallies_per_source_over_periods_is_judged_as_totals() -> None:
    text = (
        "{{Infobox military conflict|conflict=Battle of Y|date=17 October 2016 – 20 July 2017"
        "|casualties3=9,000–11,000 civilians killed<ref>{{cite news|agency=Associated Press"
        "|title=Toll|url=https://apnews.com/y1}}</ref>}}\n"
        '{| class="wikitable"\n! Source !! Civilians killed !! Period\n|-\n'
        "| Iraqi government || 1,429 || Oct 2016 – Jul 2017\n|-\n"
        "| [[Airwars]]<ref>{{cite web|publisher=Airwars|title=Report"
        "|url=https://airwars.org/y2}}</ref> || 5,805 || Feb – Jul 2017\n|}\n"
    )
    claims = extract_article(text)
    rows = {c.value_text: c for c in claims if c.origin == "table"}
    # a source column that names no outlet names the claimant
    assert (rows["1,429"].source, rows["1,429"].claimant) == ("", "Iraq government")
    assert (rows["5,805"].date, rows["5,805"].date_basis) == ("2017-07", "period")
    c = compare(claims)
    (total,) = c.groups[c.groups.scope == "total"].itertuples()
    assert (total.n_claims, total.verdict) == (3, "conflict")


def test_a_toll_of_one_days_attack_is_not_the_total_of_a_long_war() -> None:
    text = (
        "{{Infobox military conflict|conflict=Northland insurgency|date=2019 – present"
        "|place=[[Northland]]|casualties3=4,800+ total deaths<ref>{{cite web|publisher=ACLED"
        "|title=Monitor|url=https://acleddata.com/n1}}</ref>}}\n"
        "== 2021 ==\n"
        "* 24 March: Militants attacked the town. The government later put the death toll at "
        "1,193.<ref>{{cite web|title=Toll|publisher=Cabo Ligado|url=https://caboligado.com/n2}}"
        "</ref>\n"
        "* 30 June: By the end of June, the death toll of the insurgency had risen to 4,900."
        "<ref>{{cite news|title=Toll rises|work=Reuters|url=https://www.reuters.com/n3}}</ref>\n"
    )
    c = compare(extract_article(text))
    scope = dict(zip(c.claims.value_text, c.claims.scope, strict=True))
    assert scope == {"4,800+": "total", "1,193": "incident", "4,900": "total"}
    group = group_of(c)
    assert group["4,800+"] == group["4,900"]
    assert "conflict" not in set(c.groups.verdict)


def test_land_taken_is_compared_with_land_not_with_villages() -> None:
    text = (
        "On 3 May 2023, Ukraine said it had liberated 500 square kilometres near [[Izyum]]."
        "<ref>{{cite news|title=a|work=Reuters|url=https://www.reuters.com/l1}}</ref>\n"
        "On 3 May 2023, the army liberated 500 villages near [[Izyum]]."
        "<ref>{{cite news|title=b|work=BBC News|url=https://www.bbc.com/l2}}</ref>\n"
        "On 3 May 2023, Ukrainian forces retook about 190 sq mi near [[Izyum]]."
        "<ref>{{cite news|title=c|work=CNN|url=https://edition.cnn.com/l3}}</ref>\n"
    )
    claims = extract_article(text, "Counteroffensive")
    assert {c.value_text: c.topic for c in claims} == {
        "500 square kilometres": "captured",
        "500": "captured",
        "about 190 sq mi": "captured",
    }
    group = group_of(compare(claims))
    assert group["500 square kilometres"] == group["about 190 sq mi"] != group["500"]


def test_the_same_words_on_two_infobox_sides_count_two_forces() -> None:
    text = (
        "{{Infobox military conflict|combatant1={{flag|Germany}}|combatant2={{flag|Soviet Union}}"
        "|strength1=270,000 personnel<ref>{{cite book|last=Glantz|title=T|year=1995}}</ref>"
        "|strength2=187,000 personnel<ref>{{cite book|last=Glantz|title=T|year=1995}}</ref>"
        "|casualties2=650,878 wounded}}\n"
        "In total, Soviet archives recorded 650,878 wounded.<ref>{{cite book|last=Krivosheev"
        "|title=K|year=1997}}</ref>\n"
    )
    c = compare(extract_article(text, "Battle"))
    group = group_of(c)
    assert group["270,000"] != group["187,000"]
    labels = set(c.groups.label)
    assert any("(side 1)" in label for label in labels) and any("(side 2)" in x for x in labels)
    # a total naming no party joins the one party (and side) the infobox counts it for
    groups = c.claims.groupby("group_id").size()
    assert groups[group["650,878"]] == 2
    assert "conflict" not in set(c.groups.verdict)


def test_sentences_of_one_paragraph_on_one_days_event_are_one_incident() -> None:
    text = (
        "{{Infobox military conflict|date=1 January – 5 March 2020|place=[[Idlib]]}}\n"
        "On 5 May 2020, an airstrike on a market in [[Maarrat al-Numan]] killed 23 civilians, "
        "according to the Syrian Observatory for Human Rights.<ref>{{cite web|title=Strike"
        "|publisher=SOHR|url=https://www.syriahr.com/en/1|date=5 May 2020}}</ref> The [[White "
        "Helmets]] put the toll at 27.<ref>{{cite news|title=Market strike|work=Al Jazeera"
        "|url=https://www.aljazeera.com/m1|date=6 May 2020}}</ref> Reuters reported that at "
        "least 20 people were killed in the market strike.<ref>{{cite news|title=Air strike on "
        "Syrian market kills at least 20|work=Reuters|url=https://www.reuters.com/m2"
        "|date=5 May 2020}}</ref>\n"
        "On 7 May 2020, shelling of [[Ariha]] killed 4 children, the White Helmets said."
        "<ref>{{cite news|title=Ariha|work=Al Jazeera|url=https://www.aljazeera.com/m3"
        "|date=7 May 2020}}</ref>\n"
    )
    claims = extract_article(text, "Idlib offensive")
    # "put the toll at 27" restates what the sentence before it counted
    (toll,) = [c for c in claims if c.value_text == "27"]
    assert (toll.topic, toll.party) == ("killed", "civilians")
    c = compare(claims)
    market = c.claims[c.claims.date == "2020-05-05"]
    # the sentences and the Reuters headline (it names no party and no place) are one event
    assert market.group_id.nunique() == 1 and len(market) == 4
    assert set(market.group_verdict) == {"agree"}
    ariha = c.claims[c.claims.value_text == "4"]
    assert ariha.group_id.iloc[0] not in set(market.group_id)


def test_a_toll_after_another_count_is_a_toll_not_a_restatement() -> None:
    text = (
        "Dozens of civilians were killed, and about 11,000 people fled the town within a week. "
        "The government later put the death toll at 1,193, mostly civilians."
    )
    topics = {c.value_text: c.topic for c in extract_article(text, "Attack")}
    assert topics == {"Dozens": "killed", "about 11,000": "displaced", "1,193": "killed"}


def test_a_claim_joins_a_group_by_the_closest_of_its_sentences() -> None:
    text = (
        "By the end of March 2025, Human Rights Watch had documented 31 deaths.<ref name=h>"
        "{{cite web|title=Crackdown|publisher=Human Rights Watch|url=https://www.hrw.org/c1"
        "|date=2 April 2025}}</ref>\n"
        "== Casualties ==\n"
        "* Killed: 31 (HRW),<ref name=h/> 12 (government)\n"
    )
    c = compare(extract_article(text, "Protests"))
    group = c.claims.groupby("value_text").group_id.unique()
    # the list line's 31 joins the sentence citing the same report; its 12 joins the list line
    assert len(group["31"]) == 1 and group["12"][0] == group["31"][0]
    assert c.groups.set_index("group_id").verdict[group["12"][0]] == "conflict"


def test_news_of_an_articles_one_day_is_judged_with_its_total() -> None:
    text = (
        "{{Infobox civilian attack|location=[[Testtown]] hospital|date=17 October 2023"
        "|deaths=471<ref>{{cite news|title=Toll revised|work=Al Jazeera"
        "|url=https://www.aljazeera.com/h1|date=18 October 2023}}</ref>}}\n"
        "The blast hit the hospital.<ref>{{cite news|title=Hundreds feared dead in Testtown "
        "blast|work=Reuters|url=https://www.reuters.com/h2|date=17 October 2023}}</ref>"
        "<ref>{{cite news|title=Intelligence estimates 100 to 300 died in Testtown blast"
        "|work=The New York Times|url=https://www.nytimes.com/h3|date=24 October 2023}}</ref>"
        "<ref>{{cite news|title=Hospital gets 40 new beds|work=BBC News"
        "|url=https://www.bbc.com/h4|date=20 December 2023}}</ref>\n"
    )
    claims = extract_article(text, "Hospital explosion")
    headlines = {c.value_text: c for c in claims if c.origin == "citation_title"}
    # reported within days of the event, a headline counts that day; months later it does not
    assert (headlines["Hundreds"].date, headlines["Hundreds"].date_basis) == (
        "2023-10-17",
        "event",
    )
    assert headlines["100 to 300"].citation_date == "2023-10-24"
    c = compare(claims)
    group = group_of(c)
    # a headline's place ("Testtown") does not set it apart from the hospital's total
    assert group["471"] == group["Hundreds"] == group["100 to 300"]
    assert c.groups.set_index("group_id").verdict[group["471"]] == "conflict"


def test_figures_of_one_sentence_in_two_clauses_count_two_states() -> None:
    text = (
        "Before the war, the city had a population of about 32,000; by October 2023 fewer than "
        "1,600 residents remained.<ref>{{cite news|title=a|work=Reuters"
        "|url=https://www.reuters.com/p1}}</ref>\n"
    )
    c = compare(extract_article(text, "Siege"))
    assert c.claims.group_id.nunique() == 2
    assert "conflict" not in set(c.groups.verdict)


def _frame(*rows: dict[str, object]) -> pd.DataFrame:
    base = {"article": "Example", "topic": "killed", "party": "", "origin": "prose"}
    out = []
    for i, row in enumerate(rows):
        full = {**base, "claim_id": f"c{i}", "start": i, **row}
        low, high = full.pop("value")
        out.append({**full, "value_low": float(low), "value_high": float(high)})
    return pd.DataFrame(out)


def test_a_daily_count_is_not_a_running_tally_of_its_sentence() -> None:
    # the same outlet's daily reports: "8 deaths ... bringing the total to 869" chains only
    # the running totals, never one day's deaths with another's
    rows = [
        {
            "quote": f"On {day} June, {n} deaths were recorded, bringing the total to {total}.",
            "value": (n, n),
            "value_text": str(n),
            "source": "APS",
            "date": f"2020-06-{day}",
            "date_basis": "sentence",
            "place": "Algeria",
        }
        for day, n, total in ((20, 12, 849), (24, 8, 869))
    ]
    c = compare(_frame(*rows))
    assert c.claims.group_id.nunique() == 2
    assert "conflict" not in set(c.pairs.verdict)


def test_two_figures_after_a_range_word_are_estimates_of_one_count() -> None:
    quote = "The sources vary between about 1,500 and 11,000 for the dead."
    rows = [
        {"quote": quote, "value": (1500, 1500), "value_text": "about 1,500", "source": "Curry"},
        {"quote": quote, "value": (11000, 11000), "value_text": "11,000", "source": "Curry"},
    ]
    rows = [{**r, "start": 0, "origin": "infobox"} for r in rows]
    c = compare(_frame(*rows))
    assert c.claims.group_id.nunique() == 1
    assert c.pairs.verdict.tolist() == ["conflict"]


def test_a_head_count_named_by_its_noun_is_not_the_equipment_after_it() -> None:
    quote = "The army comprised four brigades totaling 17,978 troops, with 56 artillery pieces."
    rows = [
        {"quote": "17,700", "value": (17700, 17700), "value_text": "17,700", "source": "EA"},
        {"quote": quote, "value": (17978, 17978), "value_text": "17,978", "source": "Lewis"},
    ]
    rows = [{**r, "topic": "strength", "party": "Italy", "side": "2"} for r in rows]
    rows[0]["origin"] = "infobox"
    c = compare(_frame(*rows))
    assert set(c.claims.measure) == {"people"}
    assert c.pairs.verdict.tolist() == ["agree"]


def test_two_days_the_texts_name_are_two_incidents_but_a_report_may_be_a_day_late() -> None:
    base = {"place": "Algeria", "source": "APS", "value_text": "9"}
    said = "deaths were recorded in the last 24 hours across the country"
    rows = [
        {
            **base,
            "quote": f"On 13 June, 9 {said}.",
            "value": (9, 9),
            "date": "2020-06-13",
            "date_basis": "sentence",
        },
        {
            **base,
            "quote": f"On 14 June, 7 {said}.",
            "value": (7, 7),
            "value_text": "7",
            "date": "2020-06-14",
            "date_basis": "sentence",
        },
        {
            **base,
            "quote": f"Algeria: 9 {said}",
            "value": (9, 9),
            "origin": "citation_title",
            "date": "2020-06-14",
            "date_basis": "citation",
            "source": "AFP",
        },
    ]
    claims = compare(_frame(*rows)).claims
    group = dict(zip(claims.claim_id, claims.group_id, strict=True))
    assert group["c0"] != group["c1"]  # 13 and 14 June, as the sentences say
    assert group["c2"] == group["c0"]  # the report of the next day tells of the 13th


def test_a_count_of_a_month_is_not_a_count_of_one_of_its_days() -> None:
    rows = [
        {
            "quote": "There were 14,100 new cases in August across the country.",
            "value": (14100, 14100),
            "value_text": "14,100",
            "date": "2020-08",
            "date_basis": "sentence",
            "source": "CDC",
        },
        {
            "quote": "On 21 August, 409 new cases were recorded across the country.",
            "value": (409, 409),
            "value_text": "409",
            "date": "2020-08-21",
            "date_basis": "sentence",
            "source": "APS",
        },
    ]
    rows = [{**r, "topic": "cases"} for r in rows]
    c = compare(_frame(*rows))
    assert c.claims.group_id.nunique() == 2


def test_a_battles_article_and_its_wars_article_are_set_against_each_other() -> None:
    battle = (
        "{{Infobox military conflict|conflict=Battle of Northford|date=1 March 1896"
        "|place=[[Northford]]|combatant1=[[Kingdom of Italy]]|combatant2=[[Ethiopian Empire]]"
        "|casualties1=6,394 killed<ref>{{cite book|last=Milkias|title=Northford|year=2005}}"
        "</ref>}}\n"
    )
    war = (
        "{{Infobox military conflict|conflict=Northern War|date=1895–1896"
        "|combatant1=[[Ethiopian Empire]]|combatant2=[[Kingdom of Italy]]}}\n"
        "On 1 March 1896, at [[Northford]], the Kingdom of Italy lost 9,000 soldiers killed."
        "<ref>{{cite book|last=Uhlig|title=Encyclopaedia|year=2003}}</ref>\n"
    )
    claims = [
        *extract_article(battle, "Battle of Northford"),
        *extract_article(war, "Northern War"),
    ]
    c = compare(claims)
    linked = c.pairs[c.pairs.rules.str.startswith("same_event_in_another_article")]
    assert linked.verdict.tolist() == ["conflict"]
    assert "Battle of Northford / Northern War" in linked.why.iloc[0]
    other = c.groups.set_index("article").other_articles
    assert other["Battle of Northford"] == "Northern War"


def test_a_nation_named_after_a_figure_is_its_partys_head_count() -> None:
    rows = [
        {
            "quote": "10,900",
            "value": (10900, 10900),
            "value_text": "10,900",
            "origin": "infobox",
            "source": "Moran",
        },
        {
            "quote": "By 1944 the island was held by about 11,000 Japanese of the 14th Division.",
            "value": (10000, 12000),
            "value_text": "about 11,000",
            "counted": "division",
            "source": "Gayle",
        },
    ]
    rows = [{**r, "topic": "strength", "party": "Empire of Japan", "side": "2"} for r in rows]
    c = compare(_frame(*rows))
    assert set(c.claims.measure) == {"people"}
    assert c.pairs.verdict.tolist() == ["agree"]
    # a contingent of a coalition is a part of its force, not its head count
    contingent = [{**rows[1], "quote": "about 11,000 Flemish of the 14th Division"}, rows[0]]
    contingent[0]["party"] = contingent[1]["party"] = "Holy Roman Empire"
    assert compare(_frame(*contingent)).claims.measure.tolist() == ["flemish", "people"]


def test_a_part_is_never_more_than_its_whole() -> None:
    quote = "Modern estimates give 7,000 men, including 10,000 of the levies as some say."
    rows = [
        {"quote": quote, "value": (7000, 7000), "value_text": "7,000", "source": "Marren"},
        {"quote": quote, "value": (10000, 10000), "value_text": "10,000", "source": "Marren"},
    ]
    rows = [{**r, "start": 0} for r in rows]
    c = compare(_frame(*rows))
    assert set(c.claims.whole_id) == {""}
    assert "part_of" not in set(c.pairs.verdict)
