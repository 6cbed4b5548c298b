"""Extraction rules, each on a small article written for it, and the seed end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from claims.errors import ArticleError
from claims.extract import extract, extract_article, load_paths
from claims.model import Claim
from claims.parse import plain
from claims.sources import SourceRegistry

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).parent.parent / "seeds" / "battle-of-aleppo-2024.wiki"


def key(name: str) -> str:
    source = SourceRegistry.default().lookup(name)
    assert source is not None, f"{name} should be a known outlet"
    return source.key


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def find(claims: list[Claim], **wanted: object) -> list[Claim]:
    return [c for c in claims if all(getattr(c, k) == v for k, v in wanted.items())]


@pytest.fixture(scope="module")
def infobox_claims() -> list[Claim]:
    return [c for c in extract_article(read("extract_infobox.wiki")) if c.origin == "infobox"]


@pytest.fixture(scope="module")
def prose_claims() -> list[Claim]:
    return [c for c in extract_article(read("extract_prose.wiki")) if c.origin == "prose"]


@pytest.fixture(scope="module")
def seed_claims() -> list[Claim]:
    return extract_article(SEED.read_text(encoding="utf-8"))


# -- infobox ---------------------------------------------------------------------------------


def test_infobox_title_names_the_article(infobox_claims: list[Claim]) -> None:
    assert {c.article for c in infobox_claims} == {"Siege of Testville"}


def test_range_with_one_source_per_end(infobox_claims: list[Claim]) -> None:
    strength = find(infobox_claims, field="strength1")
    by_source = {c.source: (c.value_low, c.value_high) for c in strength}
    assert by_source == {key("BBC News"): (10000, 10000), key("The Guardian"): (20000, 20000)}
    assert all(c.topic == "strength" and c.side == "1" for c in strength)


def test_each_figure_of_a_field_keeps_its_own_refs(infobox_claims: list[Claim]) -> None:
    casualties = find(infobox_claims, field="casualties1")
    assert {(c.topic, c.value_low, c.source) for c in casualties} == {
        ("killed", 120, key("Reuters")),
        ("injured", 300, key("Al Jazeera")),
    }


def test_an_infobox_line_without_a_ref_is_backed_by_the_next_ref_of_its_block() -> None:
    text = (
        "{{Infobox military conflict|combatant2={{flag|Soviet Union}}"
        "|strength2='''Initial:'''<br />187,000 personnel<br />400 tanks"
        "<ref>{{cite news|title=a|work=Reuters}}</ref><br />'''Later:'''<br />1,143,000 men"
        "<br />Unknown tanks}}"
    )
    sources = {c.value_text: c.source for c in extract_article(text, "Battle")}
    assert sources["187,000"] == sources["400"] == key("Reuters")
    # a heading starts another block: the ref above does not reach under it
    assert sources["1,143,000"] == ""


def test_named_ref_reused_in_another_field(infobox_claims: list[Claim]) -> None:
    (dozens,) = find(infobox_claims, field="casualties2")
    assert dozens.source == key("TASS")
    assert dozens.ref_names == ("tass",)
    assert dozens.value_low is not None and dozens.value_low >= 10
    assert dozens.value_high is not None and dozens.value_high <= 100
    assert dozens.qualifier == "vague"


def test_ref_defined_later_in_prose_backs_an_infobox_figure(infobox_claims: list[Claim]) -> None:
    (civilians,) = find(infobox_claims, field="casualties3")
    assert civilians.source == "SOHR"
    assert civilians.party == "civilians"
    assert civilians.topic == "killed"


def test_parenthetical_claimant_in_infobox(infobox_claims: list[Claim]) -> None:
    (fighters,) = find(infobox_claims, field="strength2")
    assert fighters.claimant == "Russia"
    assert fighters.value_low == 1500
    assert fighters.side == "2"


def test_infobox_date_and_place_apply_to_its_figures(infobox_claims: list[Claim]) -> None:
    (killed,) = find(infobox_claims, field="casualties1", topic="killed")
    assert killed.date == "2019-03-09"
    assert killed.date_basis == "infobox"
    assert killed.place == "Testville"


def test_unit_names_and_image_sizes_are_not_figures(infobox_claims: list[Claim]) -> None:
    assert not {c.value_low for c in infobox_claims} & {46, 25}
    assert not find(infobox_claims, field="units1")
    assert not find(infobox_claims, field="image_size")


# -- prose -----------------------------------------------------------------------------------


def test_clause_refs_attribute_each_figure(prose_claims: list[Claim]) -> None:
    forty = find(prose_claims, value_low=40)
    twelve = find(prose_claims, value_low=12)
    assert [c.source for c in forty] == [key("Al Arabiya")]
    assert [c.source for c in twelve] == [key("Reuters")]
    assert forty[0].claimant == "rebels"
    assert twelve[0].claimant == "army"
    assert forty[0].date == "2021-06-12" and forty[0].date_basis == "sentence"


def test_state_media_is_the_claimant(prose_claims: list[Claim]) -> None:
    (four,) = find(prose_claims, value_low=4)
    assert four.claimant == "state media"
    assert four.topic == "killed"
    assert four.party == "soldiers"
    assert four.place == "Hilltown"
    assert four.source == key("Xinhua")


def test_about_and_more_than_become_ranges(prose_claims: list[Claim]) -> None:
    (fled,) = [c for c in prose_claims if c.value_text == "about 10,000"]
    assert fled.topic == "displaced"
    assert fled.qualifier == "about"
    assert fled.value_low is not None and fled.value_high is not None
    assert fled.value_low <= 10000 <= fled.value_high
    (villages,) = [c for c in prose_claims if c.value_text == "more than 30"]
    assert villages.topic == "captured"
    assert villages.value_high is None
    assert villages.value_low is not None and villages.value_low >= 30


def test_refs_written_together_go_to_the_figure_each_backs() -> None:
    text = (
        "Local doctors said 1,500 people were killed; the World Health Organization said 460 "
        "patients were killed at the hospital.<ref>{{cite news|title=Doctors say 1,500 killed"
        "|work=Reuters}}</ref><ref>{{cite web|title=Attack on hospital condemned"
        "|publisher=World Health Organization}}</ref>\n"
        "The UN said 400 people were killed.<ref>{{cite web|title=Camp attacked"
        "|publisher=UN News}}</ref><ref>{{cite news|title=Camp attacked|work=BBC News}}</ref>\n"
    )
    claims = [c for c in extract_article(text, "Siege") if c.origin == "prose"]
    # the headline states one figure, the outlet is the other's claimant
    assert [c.source for c in find(claims, value_low=1500)] == [key("Reuters")]
    assert [c.source for c in find(claims, value_low=460)] == [key("World Health Organization")]
    # one figure keeps every ref written after it, its claimant's outlet among them
    assert {c.source for c in find(claims, value_low=400)} == {key("UN News"), key("BBC News")}


def test_a_title_case_headline_names_the_place_the_article_writes() -> None:
    text = (
        "{{Infobox civilian attack|location=Gaza City}}\nThe blast hit a hospital in Gaza."
        "<ref>{{cite news|title=Officials Say 300 Died in Gaza Hospital Blast|work=Reuters}}"
        "</ref> A shelter was hit in Khan Younis.<ref>{{cite news|title=Strike in Khan Younis "
        "Kills 12 People|work=BBC News}}</ref> <ref>{{cite news|title=Attack Kills Four in "
        "Rafah Market|work=CNN}}</ref>\n"
    )
    claims = [c for c in extract_article(text, "Blast") if c.origin == "citation_title"]
    assert {c.value_low: c.place for c in claims} == {300: "Gaza", 12: "Khan Younis", 4: "Rafah"}


def test_named_ref_reused_in_prose(prose_claims: list[Claim]) -> None:
    (fled,) = [c for c in prose_claims if c.value_text == "about 10,000"]
    (villages,) = [c for c in prose_claims if c.value_text == "more than 30"]
    assert fled.source == villages.source == key("OCHA")
    assert fled.date == "2021-06-20"


def test_between_range_in_prose(prose_claims: list[Claim]) -> None:
    (strike,) = [c for c in prose_claims if c.value_low == 20 and c.value_high == 30]
    assert strike.topic == "killed"
    assert strike.party == "civilians"
    assert strike.section == "Aftermath"
    assert strike.date == "2021-06-25"


def test_years_ordinals_models_and_places_are_not_figures(prose_claims: list[Claim]) -> None:
    sentence = [c for c in prose_claims if "2016 offensive" in c.quote]
    assert sentence == []
    assert not [c for c in prose_claims if c.value_low in (2016, 2021, 46, 55, 3000)]


def test_quote_is_found_at_its_offsets() -> None:
    text = read("extract_prose.wiki")
    for claim in extract_article(text):
        if claim.origin == "citation_title":
            continue
        assert claim.value_text in claim.quote
        assert " ".join(plain(text[claim.start : claim.end]).split()) == claim.quote


# -- headlines -------------------------------------------------------------------------------


def test_headline_is_its_outlets_claim_in_translation() -> None:
    claims = extract_article(read("extract_headlines.wiki"))
    headlines = [c for c in claims if c.origin == "citation_title"]
    translated = [c for c in headlines if "Sampletown" in c.quote and "air strike" in c.quote]
    assert translated, headlines
    assert translated[0].value_low == 16
    assert translated[0].topic == "killed"
    assert translated[0].date == "2022-05-03"
    assert translated[0].date_basis == "citation"
    text = read("extract_headlines.wiki")
    assert text[translated[0].start : translated[0].end] == translated[0].quote
    monitor = [c for c in headlines if c.source == "SOHR"]
    assert [c.value_low for c in monitor] == [16]


# -- stability and bad input -----------------------------------------------------------------


def test_claim_id_is_stable_across_runs() -> None:
    text = read("extract_prose.wiki")
    first = [c.claim_id for c in extract_article(text)]
    second = [c.claim_id for c in extract_article(text)]
    assert first == second
    assert len(set(first)) == len(first)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Caf\xe9 killed 4".encode("latin-1"), "not UTF-8"),
        (b"<!DOCTYPE html><html><body>5 killed</body></html>", "HTML"),
        (b'{"title": "x", "killed": 5}', "JSON"),
    ],
)
def test_bad_file_gets_a_one_line_error_and_others_are_read(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    bad = tmp_path / "bad.wiki"
    bad.write_bytes(content)
    good = tmp_path / "good.wiki"
    good.write_text(read("extract_prose.wiki"), encoding="utf-8")
    result = load_paths([bad, good])
    assert [p.path for p in result.problems if p.fatal] == [str(bad)]
    message = str(result.problems[0])
    assert problem in message and "\n" not in message
    assert result.articles == ["Battle of Exampleton"]
    assert result.claims


def test_empty_text_raises_article_error() -> None:
    with pytest.raises(ArticleError, match="empty"):
        extract_article("  ")


def test_unbalanced_markup_still_extracts() -> None:
    text = "{{Infobox military conflict\n| casualties1 = 50 killed<ref>{{cite web|title=x\n"
    text += "\nIn the battle, 30 soldiers were killed.<ref name=missing/> [[Broken link"
    claims = extract_article(text)
    assert 30 in [c.value_low for c in claims if c.origin == "prose"]


def test_undefined_named_ref_is_a_warning() -> None:
    result = extract("On 3 May 2020, 30 soldiers were killed.<ref name=nowhere/>", "T")
    assert any("nowhere" in w for w in result.warnings)
    assert [c.source for c in result.claims] == [""]


# -- the seed end to end ---------------------------------------------------------------------


def test_seed_strength_per_tass_russian_claim(seed_claims: list[Claim]) -> None:
    infobox = [c for c in seed_claims if c.origin == "infobox" and c.topic == "strength"]
    tass = {(c.field, c.value_low, c.claimant) for c in infobox if c.source == "TASS"}
    assert ("strength1", 350, "Russia") in tass
    assert ("strength2", 30000, "Russia") in tass


def test_seed_civilians_per_sohr(seed_claims: list[Claim]) -> None:
    hits = find(seed_claims, origin="infobox", field="casualties3", source="SOHR", value_low=22)
    assert hits and hits[0].party == "civilians" and hits[0].topic == "killed"


def test_seed_returnees_per_anha(seed_claims: list[Claim]) -> None:
    hits = [c for c in seed_claims if c.value_low == 2892 and c.source == "ANHA"]
    assert {c.origin for c in hits} == {"prose", "citation_title"}
    assert all(c.topic == "displaced" for c in hits)


def test_seed_dozens_of_soldiers_per_reuters(seed_claims: list[Claim]) -> None:
    hits = find(seed_claims, origin="infobox", field="casualties2")
    # the line's flag names whose soldiers they are
    assert [(c.source, c.party, c.topic, c.qualifier) for c in hits] == [
        ("Reuters", "Syrian Government", "killed", "vague")
    ]


def test_seed_headline_claimant_after_a_dash(seed_claims: list[Claim]) -> None:
    hits = [c for c in seed_claims if c.origin == "citation_title" and c.source == "TASS"]
    assert {c.value_low for c in hits} == {350, 30000}
    assert {c.claimant for c in hits} == {"Putin"}


def test_seed_has_no_year_or_unit_number_as_figure(seed_claims: list[Claim]) -> None:
    values = {c.value_low for c in seed_claims} | {c.value_high for c in seed_claims}
    assert not values & {2012, 2016, 2020, 2024, 46, 55}


# -- infobox lists and headings --------------------------------------------------------------


@pytest.fixture(scope="module")
def list_claims() -> list[Claim]:
    return extract_article(read("extract_infobox_lists.wiki"))


def test_list_template_items_are_figures_with_their_own_refs(list_claims: list[Claim]) -> None:
    strength = find(list_claims, field="strength2")
    assert {(c.value_low, c.value_high, c.source) for c in strength} == {
        (4000, 5000, key("Institute for the Study of War")),
        (15000, 15000, key("TASS")),
    }
    assert {c.party for c in strength} == {"Northland"}  # the flag of the combatant column


def test_per_heading_names_the_claimant_of_the_lines_under_it(list_claims: list[Claim]) -> None:
    killed = {c.value_low: c for c in find(list_claims, field="casualties1")}
    assert killed[16000].claimant == "Northland"
    assert killed[2500].claimant == key("Mediazona")
    assert killed[16000].value_high == 17000


def test_headline_lead_names_the_claimant(list_claims: list[Claim]) -> None:
    (headline,) = [c for c in list_claims if c.origin == "citation_title"]
    assert headline.value_low == 15000
    assert headline.claimant == "defense ministry"
    assert headline.topic == "strength"


def test_nationality_plural_is_the_party_and_hostages_are_detained() -> None:
    text = (
        "{{Infobox military conflict\n| casualties1 = {{plainlist|\n* 251 taken hostage<ref>"
        "{{cite news|work=BBC News|title=Hostages|url=https://www.bbc.co.uk/news/h}}</ref>\n}}\n"
        "| casualties3 = At least 40,000 Palestinians killed<ref>{{cite web|title=Toll|"
        "publisher=Gaza Health Ministry|url=https://www.moh.gov.ps/q}}</ref>\n}}"
    )
    claims = {c.field: c for c in extract_article(text, "War")}
    assert claims["casualties1"].topic == "detained"
    assert claims["casualties3"].party == "Palestinians"
    assert claims["casualties3"].topic == "killed"
    assert (claims["casualties3"].value_low, claims["casualties3"].value_high) == (40000, None)


def test_outlet_relaying_another_records_the_origin() -> None:
    text = (
        "On 3 May 2020, 40 soldiers were killed in Redtown.<ref>{{cite news|work=Reuters|"
        "title=Forty soldiers killed in Redtown, war monitor says, citing the Syrian Observatory"
        "|url=https://www.reuters.com/r1|date=3 May 2020}}</ref>"
    )
    (prose,) = [c for c in extract_article(text, "Redtown") if c.origin == "prose"]
    assert prose.source == key("Reuters")
    assert prose.relayed_from == "SOHR"
    assert prose.independent_source == "SOHR"


def test_a_place_after_a_preposition_is_not_what_a_figure_counts() -> None:
    text = (
        "The town was shelled.<ref>{{cite news|agency=Reuters|title=Shelling kills 12 in "
        "Ukrainian town|url=https://www.reuters.com/u1|date=17 January 2015}}</ref>"
    )
    (headline,) = [c for c in extract_article(text, "Shelling") if c.origin == "citation_title"]
    assert (headline.topic, headline.value_low) == ("killed", 12)


def test_things_already_named_are_not_counted() -> None:
    text = "The gunman killed 51 people and injured 40 others at the two mosques."
    claims = extract_article(text, "Shooting")
    assert sorted((c.topic, c.value_low) for c in claims) == [("injured", 40), ("killed", 51)]


def test_an_event_word_outranks_residents_but_not_across_a_clause() -> None:
    text = (
        "Over 2,500 residents were evacuated from the town in February. "
        "The town had 20,000 residents, and 50 were killed in the fighting."
    )
    topics = {c.value_low: c.topic for c in extract_article(text, "Siege")}
    assert topics == {2500: "displaced", 20000: "population", 50: "killed"}


def test_captured_people_in_a_casualties_field_are_detained() -> None:
    text = "{{Infobox military conflict\n| casualties1 = 136 killed, 110 captured\n}}"
    topics = {c.value_low: c.topic for c in extract_article(text, "Battle")}
    assert topics == {136: "killed", 110: "detained"}


def test_a_bracketed_claimant_closes_the_run_of_figures_before_it() -> None:
    text = (
        "{{Infobox military conflict\n| casualties1 = 136 killed, 270 wounded (Ukrainian claim)"
        "<ref>{{cite web|title=Toll|website=unian.info|url=https://www.unian.info/t}}</ref>"
        "<br/>Over 3,000 killed<ref>{{cite web|title=Losses|publisher=RIA Novosti|"
        "url=https://ria.ru/l}}</ref> (DPR claim)\n}}"
    )
    claimants = {c.value_low: c.claimant for c in extract_article(text, "Battle")}
    assert claimants == {136: "Ukraine", 270: "Ukraine", 3000: "DPR"}


def test_a_denial_names_who_gives_the_figure() -> None:
    text = "Ukrainian officials denied this, saying that only 90 soldiers had been captured."
    (claim,) = extract_article(text, "Battle")
    assert (claim.topic, claim.claimant) == ("detained", "Ukraine officials")


# -- tables ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def table_claims() -> list[Claim]:
    return extract_article(read("extract_tables.wiki"))


def cell(claims: list[Claim], table: int, row: int, column: int) -> list[Claim]:
    return [c for c in claims if c.field == f"table {table}, row {row}, column {column}"]


def test_table_column_header_gives_the_topic_and_row_label_the_party(
    table_claims: list[Claim],
) -> None:
    (killed,) = cell(table_claims, 1, 1, 2)
    (wounded,) = cell(table_claims, 1, 1, 3)
    assert (killed.origin, killed.topic, killed.party, killed.value_low) == (
        "table",
        "killed",
        "Government forces",
        1200,
    )
    assert (wounded.topic, wounded.qualifier, wounded.value_low, wounded.value_high) == (
        "injured",
        "about",
        2700,
        3300,
    )
    assert killed.quote == "Government forces — Losses Killed: 1,200"


def test_table_cell_ref_then_source_column_then_caption(table_claims: list[Claim]) -> None:
    assert [c.source for c in cell(table_claims, 1, 3, 2)] == [key("SOHR")]  # its own ref
    assert [c.source for c in cell(table_claims, 1, 1, 2)] == [key("Reuters")]  # source column
    assert [c.source for c in cell(table_claims, 1, 2, 2)] == [key("Human Rights Watch")]
    (rebels,) = cell(table_claims, 1, 2, 2)
    assert (rebels.value_low, rebels.value_high, rebels.qualifier) == (800, 900, "range")
    assert not cell(table_claims, 1, 2, 3)  # "unknown" is no figure


def test_table_total_row_has_no_party(table_claims: list[Claim]) -> None:
    (total,) = cell(table_claims, 1, 4, 2)
    assert (total.party, total.value_low, total.quote) == ("", 2350, "Total — Losses Killed: 2,350")


def test_table_date_and_place_columns_and_sentences_in_cells(table_claims: list[Claim]) -> None:
    first = {c.topic: c for c in cell(table_claims, 2, 1, 3)}
    assert set(first) == {"captured", "killed"}
    assert (first["killed"].party, first["killed"].date, first["killed"].place) == (
        "soldiers",
        "2016-03-03",
        "Northtown",
    )
    assert first["killed"].source == key("AP")
    (second,) = cell(table_claims, 2, 2, 3)
    assert (second.date, second.place, second.claimant) == ("2016-04-14", "Southtown", "SOHR")
    assert not [c for c in table_claims if c.origin == "prose" and "Northtown" in c.quote]


def test_table_turned_on_its_side_takes_the_topic_from_the_row(table_claims: list[Claim]) -> None:
    losses = sorted(
        (c.quote.split(" — ")[0], c.party.lower(), c.topic, c.value_low)
        for c in table_claims
        if c.field.startswith("table 3")
    )
    assert losses == [
        ("Aircraft lost", "government", "equipment", 3),
        ("Tanks destroyed", "government", "equipment", 45),
        ("Tanks destroyed", "rebels", "equipment", 12),
    ]


def test_html_table_skips_number_columns_and_keeps_claimants(table_claims: list[Claim]) -> None:
    units = {c.party: c for c in table_claims if c.field.startswith("table 4")}
    assert set(units) == {"4th Division", "Tiger Forces"}
    assert {c.topic for c in units.values()} == {"strength"}
    assert units["Tiger Forces"].claimant == "Russia"
    assert all(c.field.endswith("column 3") for c in units.values())  # not the "No." column


def test_table_quote_offsets_point_at_the_cell() -> None:
    text = read("extract_tables.wiki")
    (claim,) = cell(extract_article(text), 1, 3, 2)
    assert text[claim.start : claim.end].strip().startswith("at least 350")


def test_a_ref_holding_only_a_short_footnote_points_at_the_bibliography() -> None:
    text = (
        '{{Infobox military conflict\n| strength1 = 500 tanks<ref name="b">{{harvnb|Bergström|'
        '2007|p=72}}</ref>\n| strength2 = 400 tanks<ref name="b" />\n}}\n== Sources ==\n'
        "* {{cite book |last=Bergström |first=Christer |year=2007 |title=The Air Battle "
        "|publisher=Chevron Publishing}}\n"
    )
    claims = extract_article(text, "Battle")
    # a book's figures are its author's, not its printer's
    assert {c.value_low: c.source for c in claims} == {500: "Bergström", 400: "Bergström"}
    assert {(c.source_name, c.source_kind) for c in claims} == {("Christer Bergström", "book")}


def test_a_heading_that_says_when_names_no_party() -> None:
    text = (
        "{{Infobox military conflict\n| combatant1 = {{flag|Germany}}\n"
        "| strength1 = '''At the start:'''<br>3,000 artillery pieces<br>'''Axis:'''<br>500 tanks"
        "\n}}"
    )
    parties = {c.value_low: c.party for c in extract_article(text, "Battle")}
    assert parties == {3000: "Germany", 500: "Axis"}


def test_civil_conflict_infobox_counts_participants() -> None:
    text = "{{Infobox civil conflict\n| side1 = Protesters\n| howmany1 = 200,000+\n}}"
    (claim,) = extract_article(text, "Protests")
    assert (claim.topic, claim.party, claim.value_low, claim.value_high) == (
        "strength",
        "Protesters",
        200000,
        None,
    )


def test_a_speaker_before_the_figure_speaks_for_clauses_added_with_and() -> None:
    text = (
        "The Health Ministry said 2,329 people had been killed, and 9,042 wounded. "
        "Twelve people died, and the army said 5 soldiers were killed."
    )
    claimants = {c.value_low: c.claimant for c in extract_article(text, "War")}
    assert claimants == {2329: "health ministry", 9042: "health ministry", 12: "", 5: "army"}


def test_targets_struck_mobilised_troops_and_a_far_population_word() -> None:
    text = (
        "The military said it had struck more than 450 targets overnight. "
        "The army was mobilizing 360,000 in total. "
        "Nearly 1.9 million people, about 85% of the population, had been displaced."
    )
    topics = {c.value_text: c.topic for c in extract_article(text, "War")}
    assert topics["more than 450"] == "strikes"
    assert topics["360,000"] == "strength"
    assert topics["Nearly 1.9 million"] == "displaced"


def test_buildings_destroyed_are_damage_and_seized_ones_places_taken() -> None:
    text = (
        "Shelling destroyed over 9,000 buildings in the city. Rebels seized 5 schools. "
        "Forty people were killed at the two hospitals."
    )
    topics = {c.value_text: c.topic for c in extract_article(text, "Siege")}
    assert topics == {"over 9,000": "damage", "5": "captured", "Forty": "killed"}


def test_sortable_table_cells_show_their_number() -> None:
    text = (
        '{| class="wikitable sortable"\n! Side !! Killed\n|-\n| Rebels || {{nts|1234}}\n'
        "|-\n| Army || {{sort|0300|300}}\n|}"
    )
    killed = {c.party: c.value_low for c in extract_article(text, "Battle") if c.topic == "killed"}
    assert killed == {"Rebels": 1234, "Army": 300}


def test_list_line_label_bracketed_outlet_and_restated_figure() -> None:
    text = (
        "== Casualties ==\n"
        "* Syrian National Army: 318 killed (SOHR)<ref>{{cite web|title=Toll|"
        "publisher=Syrian Observatory for Human Rights|url=https://www.syriahr.com/t}}</ref>\n"
        "* According to officials: 12 wounded\n"
        "Turkey said that 137,000 civilians had fled the city by 18 March, while the UN put "
        "the figure at 98,000."
    )
    claims = {c.value_text: c for c in extract_article(text, "Operation")}
    assert (claims["318"].party, claims["318"].claimant) == ("Syrian National Army", "SOHR")
    assert claims["12"].party == ""
    assert (claims["98,000"].topic, claims["98,000"].party, claims["98,000"].claimant) == (
        "displaced",
        "civilians",
        "UN",
    )


def test_date_templates_tweets_and_headline_tags() -> None:
    text = (
        "{{Infobox civilian attack\n| date = {{start date|2022|3|4}}\n| fatalities = 14\n}}\n"
        "The toll rose.<ref>{{cite tweet |user=MoHTestistan |number=150 |title=Update: 15 "
        "martyrs and 52 wounded in Testville |date=5 March 2022}}</ref>"
    )
    claims = extract_article(text, "Bombing")
    (box,) = [c for c in claims if c.origin == "infobox"]
    assert box.date == "2022-03-04"
    headline = {c.value_low: c for c in claims if c.origin == "citation_title"}
    assert headline[15].topic == "killed" and headline[52].topic == "injured"
    assert {c.source for c in headline.values()} == {"@MoHTestistan"}
    assert {c.claimant for c in headline.values()} == {""}


def test_a_long_row_label_describes_rather_than_names_a_party() -> None:
    text = (
        '{| class="wikitable"\n! Incident !! Killed\n|-\n'
        "| Shelling of the central market by heavy artillery units || 12\n|-\n"
        "| Kurdish fighters || 5\n|}"
    )
    parties = {c.value_low: c.party for c in extract_article(text, "Siege")}
    assert parties == {12: "", 5: "Kurdish fighters"}


def test_placeholders_label_nothing_and_a_spanning_total_names_no_party() -> None:
    text = (
        '{| class="wikitable"\n! Belligerent !! Killed !! Wounded !! Captured\n|-\n'
        "| {{flagicon|Ukraine}} Ukraine || 1,000–2,000 || 5,000+ || 300\n|-\n"
        "| {{flagicon|Russia}} Russia || ? || N/A || 50\n|-\n"
        "| colspan=3 | Total: 3,350 ||\n|}"
    )
    rows = sorted((c.party, c.topic, c.value_low, c.quote) for c in extract_article(text, "War"))
    assert rows == [
        ("", "killed", 3350, "Killed: Total: 3,350"),
        ("Russia", "detained", 50, "Russia — Captured: 50"),
        ("Ukraine", "detained", 300, "Ukraine — Captured: 300"),
        ("Ukraine", "injured", 5000, "Ukraine — Wounded: 5,000+"),
        ("Ukraine", "killed", 1000, "Ukraine — Killed: 1,000–2,000"),
    ]


def test_a_lead_line_ending_in_a_colon_speaks_for_the_list_under_it() -> None:
    text = (
        "According to the SOHR, the following losses were recorded:\n"
        "* Turkish Armed Forces: 46 killed\n"
        "* Civilians: 289 killed (Turkish claim)\n"
        "Later, 12 soldiers were killed.\n"
        "* Rebels: 30 killed\n"
    )
    claimants = {c.value_low: c.claimant for c in extract_article(text, "Operation")}
    assert claimants == {46: "SOHR", 289: "Turkey", 12: "", 30: ""}


def test_only_list_items_take_a_party_from_their_label() -> None:
    text = (
        "== Losses ==\n* Casualties: 50 killed\n* Syrian Army: 120 killed\n"
        "Losses: 30 were killed in the town.\n"
    )
    parties = {c.value_low: c.party for c in extract_article(text, "Battle")}
    assert parties == {50: "", 120: "Syrian Army", 30: ""}


def test_a_date_without_year_takes_the_year_written_before_it_in_its_paragraph() -> None:
    text = (
        "{{Infobox military conflict|conflict=Siege of Testburg"
        "|date=10 October 2023 – 17 February 2024}}\n"
        "By January 2024 the lines had moved. On 3 February, 12 soldiers were killed.\n\n"
        "On 20 October, 40 civilians were killed.\n"
    )
    dates = {c.value_low: c.date for c in extract_article(text)}
    assert dates[12] == "2024-02-03"
    # no year in its paragraph: the one of the article's period the day falls in
    assert dates[40] == "2023-10-20"


def test_a_date_without_year_falls_before_the_citation_reporting_it() -> None:
    text = (
        "Fighting went on. On 30 December, 7 people were killed.<ref>{{cite news|title=Clashes"
        "|date=2 January 2021|work=Reuters}}</ref>\n\n"
        "On 5 March, 9 people were killed.<ref>{{cite news|title=Shelling|date=6 March 2020"
        "|work=BBC News}}</ref>\n\n"
        "On 1 June, 3 people were killed.<ref>{{cite book|title=A History|date=1995"
        "|publisher=Verso}}</ref> Talks began.<ref>{{cite news|title=Talks|date=May 2021"
        "|work=CNN}}</ref><ref>{{cite news|title=Truce|date=June 2021|work=AP}}</ref>\n"
    )
    dates = {c.value_low: c.date for c in extract_article(text, "Insurgency in Testland")}
    assert dates[7] == "2020-12-30"
    assert dates[9] == "2020-03-05"
    # a book written long after says nothing of the year: the article's (its citations') stands
    assert dates[3] == "2021-06-01"


def test_an_outlet_or_a_word_ending_in_at_is_not_a_place() -> None:
    text = (
        "Analysts from Oryx counted 109 destroyed vehicles. "
        "Hay'at Tahrir al-Sham took 5 villages near Saraqib."
    )
    places = {c.value_low: c.place for c in extract_article(text, "Offensive")}
    assert places[109] == ""
    assert places[5] == "Saraqib"


def test_a_book_dates_nothing_and_a_day_heading_names_no_party() -> None:
    text = (
        "{{Infobox military conflict|conflict=Battle of Testhill|date=12 July 1943"
        "|combatant1={{flag|Germany}}|combatant2={{flag|Soviet Union}}"
        "|strength1='''12 July:'''<br/>294 tanks{{sfn|Frieser|2007|p=130}}}}\n"
        "The corps attacked with about 500 tanks.{{sfn|Frieser|2007|p=131}}\n"
        "== Sources ==\n* {{cite book |last=Frieser |first=Karl-Heinz |year=2007 "
        "|title=Die Ostfront |publisher=Deutsche Verlags-Anstalt}}\n"
    )
    claims = {c.value_text: c for c in extract_article(text)}
    assert claims["294"].party == "Germany"
    assert claims["294"].source == "Frieser"
    # the book was written in 2007; the battle it tells of was fought in 1943
    assert (claims["about 500"].date, claims["about 500"].date_basis) == ("1943-07-12", "event")


def test_killed_wounded_or_missing_an_adverb_speaker_and_whose_tanks() -> None:
    text = (
        "The corps lost 842 killed, wounded or missing. "
        "Rotmistrov later claimed that his army had destroyed over 400 German tanks."
    )
    claims = {c.value_text: c for c in extract_article(text, "Battle")}
    assert claims["842"].topic == "casualties"
    assert (claims["over 400"].topic, claims["over 400"].party) == ("equipment", "Germany")
    assert claims["over 400"].claimant == "Rotmistrov"


def test_a_verb_before_the_figure_outranks_a_word_describing_its_people() -> None:
    text = (
        "The strike killed over 100 displaced people. "
        "There were 2,000 displaced people in the camp."
    )
    topics = {c.value_text: c.topic for c in extract_article(text, "Strike")}
    assert topics == {"over 100": "killed", "2,000": "displaced"}


def test_people_who_remain_are_a_population_soldiers_who_remain_a_force() -> None:
    text = (
        "{{Infobox military conflict|combatant1={{flag|Ukraine}}|combatant2={{flag|Russia}}}}\n"
        "Around 1,600 people remain in the town. 300 soldiers remained in the garrison. "
        "Some 30 Russians were killed. About 1.8m people lived in the region, including some "
        "500,000 displaced people."
    )
    claims = {c.value_text: c for c in extract_article(text, "Siege")}
    assert claims["Around 1,600"].topic == "population"
    assert (claims["About 1.8m"].topic, claims["some 500,000"].topic) == (
        "population",
        "displaced",
    )
    assert claims["300"].topic == "strength"
    # a people named by its country is on that country's side
    assert (claims["Some 30"].party, claims["Some 30"].side) == ("Russia", "2")
    assert claims["Some 30"].party_text == "Russians"


def test_a_dotted_acronym_does_not_end_a_claimant_and_a_nationality_names_one() -> None:
    text = (
        "{{Infobox military conflict|casualties1=1,247 killed (Iraqi government)"
        "{{citation needed|date=May 2018}}}}\n"
        "An airstrike killed between 105 and 141 civilians, according to a U.S. military "
        "investigation. The U.N. said 40 people had died."
    )
    claims = {c.value_text: c for c in extract_article(text, "Battle")}
    assert claims["1,247"].claimant == "Iraq government"
    assert claims["between 105 and 141"].claimant == "US military investigation"
    assert claims["40"].claimant == key("United Nations")


def test_a_party_named_by_an_acronym_or_another_name_is_on_its_column_side() -> None:
    text = (
        "{{Infobox military conflict|combatant1=[[Sudanese Armed Forces]]"
        "|combatant2=[[Rapid Support Forces]]<br>[[Islamic State]]}}\n"
        "The army said 300 RSF fighters were killed. Some 40 ISIL militants were captured. "
        "Officials said 12 SAF soldiers died."
    )
    sides = {c.value_text: c.side for c in extract_article(text, "Battle")}
    assert sides == {"300": "2", "Some 40": "2", "12": "1"}


def test_a_timeline_section_headed_by_a_year_dates_its_days_and_months() -> None:
    text = (
        "{{Infobox military conflict|date=2019 – present}}\n"
        "== Timeline ==\n=== 2021 ===\n"
        "* 24 March: Militants attacked the town. Dozens of civilians were killed.\n"
        "* July: Troops, numbering about 1,000, deployed to the province.\n"
    )
    claims = {c.value_text: c for c in extract_article(text, "Insurgency")}
    assert claims["Dozens"].date == "2021-03-24"
    # a month heading a line dates it and names no party
    assert (claims["about 1,000"].date, claims["about 1,000"].party) == ("2021-07", "")


def test_a_sum_of_losses_is_casualties_and_a_quantifier_names_no_claimant() -> None:
    text = (
        "Soviet archives recorded 478,741 killed or missing and 650,878 wounded or sick, a total "
        "of 1,129,619. Other estimates put Axis losses at between 500,000 and 850,000. "
        "Many sources said 300 soldiers were captured."
    )
    claims = {c.value_text: c for c in extract_article(text, "Battle")}
    assert [claims[t].topic for t in ("478,741", "650,878", "1,129,619")] == [
        "killed",
        "injured",
        "casualties",
    ]
    assert claims["between 500,000 and 850,000"].claimant == ""
    assert claims["300"].claimant == "sources"


def test_two_names_joined_by_and_before_a_noun_are_one_party() -> None:
    text = (
        "{{Infobox military conflict|combatant1={{flag|Israel}}|combatant2=[[Hamas]]}}\n"
        "The strike killed at least 19 Hamas and Palestinian Islamic Jihad militants. "
        "Fighting killed 30 soldiers and 12 civilians."
    )
    claims = {c.value_text: c for c in extract_article(text, "Strike")}
    nineteen = claims["at least 19"]
    assert nineteen.party == "Hamas and Palestinian Islamic Jihad rebels"
    assert nineteen.side == "2"
    assert (claims["30"].party, claims["12"].party) == ("soldiers", "civilians")


def test_a_bracketed_organisation_no_registry_lists_is_the_claimant() -> None:
    text = (
        "{{Infobox military conflict|casualties3=1,200 injured (Red Crescent)<br>"
        "300 killed (Aleppo)<br>50 killed (Free Syrian Army)}}"
    )
    claimants = {c.value_text: c.claimant for c in extract_article(text, "Battle")}
    # a place, or an armed force whose losses the figure may count, is no claimant
    assert claimants == {"1,200": "Red Crescent", "300": "", "50": ""}


def test_turnout_and_a_bracketed_claimant_noun_without_a_ref_of_its_own() -> None:
    text = (
        "Organisers put the turnout at more than 200,000, while police said about 45,000 had "
        "taken part. Troops fired on protesters in the northern city of Northburg, killing "
        "nine.\n"
        "* '''Arrested:''' 4,500 (Amnesty),<ref>{{cite web|title=Mass arrests"
        "|publisher=Amnesty International}}</ref> 1,800 (government)\n"
    )
    claims = {c.value_text: c for c in extract_article(text, "Protests")}
    assert (claims["more than 200,000"].topic, claims["more than 200,000"].claimant) == (
        "strength",
        "Organisers",
    )
    assert (claims["about 45,000"].topic, claims["about 45,000"].claimant) == (
        "strength",
        "police",
    )
    assert claims["nine"].place == "Northburg"
    assert claims["4,500"].source == key("Amnesty International")
    # the ref after 4,500 is not the government's: its figure stands uncited
    assert (claims["1,800"].claimant, claims["1,800"].source) == ("government", "")


def test_as_of_dates_its_tally_and_a_collapsible_list_title_holds_a_figure() -> None:
    text = (
        "{{Infobox military conflict|casualties1={{collapsible list|title=Total: 1,100+ killed"
        "|300 in June}}}}\n"
        "Fighting began on 1 June 2016. {{As of|2016|8}}, the UN estimated that 40,000 people "
        "had fled. The army loses 60 soldiers.\n"
    )
    claims = {c.value_text: c for c in extract_article(text, "Battle")}
    assert claims["40,000"].date == "2016-08"
    assert claims["40,000"].quote.startswith("As of August 2016, the UN estimated")
    assert claims["1,100+"].topic == "killed"
    assert claims["60"].topic == "casualties"


def test_an_event_word_after_a_later_figure_is_that_figures() -> None:
    text = (
        "By August the death toll had risen to 40,005, with more than 92,000 wounded. "
        "12 soldiers and 30 civilians were killed."
    )
    topics = {c.value_text: c.topic for c in extract_article(text, "War")}
    assert topics == {
        "40,005": "killed",
        "more than 92,000": "injured",
        "12": "killed",
        "30": "killed",
    }


def test_people_who_remain_missing_are_missing_not_residents() -> None:
    text = "23 people remain missing. Around 1,600 people remain in the town."
    topics = {c.value_text: c.topic for c in extract_article(text, "Siege")}
    assert topics == {"23": "missing", "Around 1,600": "population"}


def test_people_counted_with_no_event_word_are_a_force_only_when_armed() -> None:
    text = (
        "Officials said it was likely 100 to 300 people. The town held 350 militants. "
        "Some 5,000 protesters gathered."
    )
    claims = {c.value_text: c for c in extract_article(text, "Blast")}
    assert claims["100 to 300"].topic == "other"
    assert claims["350"].topic == "strength"
    assert claims["Some 5,000"].topic == "strength"


def test_equipment_a_force_fights_with_is_its_strength_equipment_lost_a_loss() -> None:
    text = (
        "{{Infobox military conflict|strength1=300 tanks|casualties1=40 tanks}}\n"
        "The army attacked with about 500 tanks. Its own losses were 19 tanks."
    )
    claims = {c.value_text: c for c in extract_article(text, "Battle")}
    topics = {text: claims[text].topic for text in ("300", "40", "about 500", "19")}
    assert topics == {
        "300": "strength",
        "40": "equipment",
        "about 500": "strength",
        "19": "equipment",
    }


def test_places_destroyed_are_damage_places_taken_are_captured() -> None:
    text = (
        "About 40% of the city was destroyed. Shelling razed 5 villages. Rebels seized 12 villages."
    )
    topics = {c.value_text: c.topic for c in extract_article(text, "Battle")}
    assert topics == {"About 40%": "damage", "5": "damage", "12": "captured"}


def test_things_lost_are_the_losing_countrys() -> None:
    text = (
        "Russian forces lost 7 T-72 tanks and two helicopters. Ukraine has lost 20 tanks. "
        "Russia lost more than 2,000 troops and 100 tanks. Rebels destroyed 12 Syrian tanks. "
        "Ukraine lost ground, while rebels destroyed 5 tanks."
    )
    parties = {
        c.value_text: c.party for c in extract_article(text, "Battle") if c.topic == "equipment"
    }
    assert parties == {
        "7": "Russia",
        "two": "Russia",
        "20": "Ukraine",
        "100": "Russia",
        "12": "Syria",
        "5": "",
    }


def test_troops_something_is_done_with_are_a_force_not_captives() -> None:
    text = (
        "Government forces encircled the city with some 8,000 troops. Rebels captured 300 soldiers."
    )
    topics = {c.value_text: c.topic for c in extract_article(text, "Siege")}
    assert topics == {"some 8,000": "strength", "300": "detained"}


def test_what_befell_people_outranks_what_they_were_and_named_speakers() -> None:
    text = (
        "Hamas said 50 hostages had been killed in strikes. "
        "The Syrian Observatory for Human Rights (SOHR) reported that at least 320 fighters had "
        "died. About 1,000 Wagner fighters were deployed, British intelligence said. "
        "2,892 refugees returned to the city."
    )
    claims = {c.value_text: c for c in extract_article(text, "War")}
    assert claims["50"].topic == "killed"
    assert claims["2,892"].topic == "displaced"
    assert claims["at least 320"].claimant == "SOHR"
    assert claims["About 1,000"].claimant == "British intelligence"
