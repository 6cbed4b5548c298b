"""The party registry: one canonical party per name an article gives it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims import parties as parties_module
from claims.knowledge import load_data
from claims.parse import parse
from claims.parties import PARTY_KINDS, Party, PartyRegistry


def registry(prose: str = "", subject: str = "", subject_kind: str = "", **columns: str):
    """A registry from combatant columns given as side_1="wikitext", side_2=..."""
    code = {name.removeprefix("side_"): parse(text) for name, text in columns.items()}
    return PartyRegistry.build(code, prose, subject, subject_kind)


COALITION = registry(
    side_1="'''Allied powers'''<br>{{flagicon|UK}} [[United Kingdom of Great Britain and Ireland"
    "|United Kingdom]]<br>{{flagicon|Portugal}} [[Kingdom of Portugal|Portugal]]<br>{{flag|Spain}}",
    side_2="{{flag|First French Empire}}<br>{{flagicon|Kingdom of Bavaria}} "
    "[[Kingdom of Bavaria|Bavaria]]",
)


# -- sources of names ------------------------------------------------------------------------


def test_a_wiki_link_is_named_by_its_target_and_known_by_its_text() -> None:
    party = COALITION.resolve("Portugal")
    assert party == Party("Kingdom of Portugal", "1", "country")
    assert "Portugal" in COALITION.names()["Kingdom of Portugal"]


def test_a_flag_template_names_its_country_party() -> None:
    assert COALITION.resolve("Spain") == Party("Spain", "1", "country")
    assert COALITION.resolve("", flags=["Spain"]) == Party("Spain", "1", "country")


def test_a_flag_code_is_its_country() -> None:
    assert COALITION.resolve("", flags=["UK"]).name == "United Kingdom of Great Britain and Ireland"


def test_a_flag_on_a_figure_line_names_the_party_of_its_country() -> None:
    assert COALITION.resolve("40,000", flags=["Portugal"]).name == "Kingdom of Portugal"


def test_a_demonym_names_the_party_of_its_country() -> None:
    assert COALITION.resolve("Portuguese troops").name == "Kingdom of Portugal"
    assert COALITION.resolve("British").name == "United Kingdom of Great Britain and Ireland"
    assert COALITION.resolve("12,000 Bavarians") == Party("Kingdom of Bavaria", "2", "country")


def test_a_state_named_by_its_nationality_word_is_that_country() -> None:
    assert COALITION.resolve("French troops").name == "First French Empire"
    assert COALITION.resolve("Frenchmen").name == "First French Empire"


def test_a_demonym_of_a_country_no_column_names_is_that_country_of_no_side() -> None:
    assert COALITION.resolve("18,000 Saxons") == Party("Saxony", "", "country")
    assert COALITION.resolve("Ukrainian soldiers") == Party("Ukraine", "", "country")


def test_a_modifier_naming_a_backer_names_no_country() -> None:
    assert COALITION.resolve("Portuguese-backed militias") is None


def test_initials_of_a_long_name_are_its_name() -> None:
    reg = registry(side_1="[[Rapid Support Forces]]", side_2="[[Sudanese Armed Forces]]")
    assert reg.resolve("RSF") == Party("Rapid Support Forces", "1", "force")
    assert reg.resolve("RSF fighters").name == "Rapid Support Forces"
    assert reg.side_of("SAF troops") == "2"


def test_an_acronym_written_in_lower_case_is_a_word() -> None:
    reg = registry(side_1="[[Islamic State]]")
    assert reg.resolve("IS militants").name == "Islamic State"
    assert reg.resolve("is") is None


def test_a_name_the_text_defines_is_known_by_its_short_form() -> None:
    prose = (
        "Yesterday Hay'at Tahrir al-Sham (HTS) and the Syrian Democratic Forces (SDF) clashed "
        "near the dam."
    )
    reg = registry(prose, side_1="[[Syrian Democratic Forces]]", side_2="HTS")
    assert reg.resolve("HTS") == Party("Hay'at Tahrir al-Sham", "2", "organisation")
    assert reg.resolve("Hay'at Tahrir al-Sham fighters").side == "2"
    assert "SDF" in reg.names()["Syrian Democratic Forces"]


def test_an_outlet_defined_in_the_text_is_no_party() -> None:
    reg = registry("The Syrian Observatory for Human Rights (SOHR) counted 40 dead.")
    assert reg.resolve("SOHR") is None
    assert "Syrian Observatory for Human Rights" not in reg.names()


def test_a_data_alias_names_a_party_the_columns_list() -> None:
    reg = registry(side_1="[[Islamic State]]", side_2="{{flag|Iraq}}")
    for words in ("ISIL", "ISIS fighters", "Daesh", "the Islamic State of Iraq and the Levant"):
        assert reg.resolve(words) == Party("Islamic State", "1", "organisation"), words


def test_a_data_alias_names_its_party_in_an_article_that_does_not_list_it() -> None:
    assert registry().resolve("ISIL fighters") == Party("Islamic State", "", "organisation")


def test_a_generic_data_alias_needs_its_party_in_the_article() -> None:
    assert registry(side_1="[[Syrian Arab Army]]").resolve("government forces").side == "1"
    assert registry(side_1="[[Rapid Support Forces]]").resolve("government forces") is None


def test_one_party_under_several_names_is_one_party() -> None:
    prose = "The Syrian Democratic Forces (SDF) took the town."
    reg = registry(prose, side_1="[[Syrian Democratic Forces]]", side_2="{{flag|Turkey}}")
    found = {reg.resolve(w) for w in ("Syrian Democratic Forces", "SDF fighters", "the SDF",
                                      "Kurdish-led SDF", "SDF's")}  # fmt: skip
    assert found == {Party("Syrian Democratic Forces", "1", "force")}


def test_the_fullest_name_is_canonical() -> None:
    reg = registry("The Rapid Support Forces (RSF) shelled the town.", side_1="RSF")
    assert reg.resolve("RSF") == Party("Rapid Support Forces", "1", "force")


def test_a_near_miss_of_a_name_is_that_name() -> None:
    reg = registry(side_1="[[Syrian Democratic Forces]]", side_2="[[Syrian Arab Army]]")
    assert reg.resolve("Syrian Democratic Force fighters").name == "Syrian Democratic Forces"
    assert reg.resolve("Syrian Democratik Forces").side == "1"


def test_an_unknown_name_is_none() -> None:
    assert COALITION.resolve("Azov Battalion") is None


def test_the_subject_of_a_faction_infobox_is_a_party() -> None:
    reg = registry(subject="Hay'at Tahrir al-Sham", subject_kind="organisation")
    assert reg.subject == Party("Hay'at Tahrir al-Sham", "", "organisation")
    assert reg.resolve("HTS") == reg.subject


# -- coalitions, columns, ambiguity ----------------------------------------------------------


def test_a_coalition_column_holds_several_parties_under_its_label() -> None:
    assert COALITION.label("1") == Party("Allied powers", "1", "coalition")
    assert [p.name for p in COALITION.column("1")] == [
        "United Kingdom of Great Britain and Ireland",
        "Kingdom of Portugal",
        "Spain",
    ]
    assert COALITION.label("2") is None


def test_a_first_line_that_is_a_linked_party_is_no_label() -> None:
    reg = registry(side_1="[[Hay'at Tahrir al-Sham]]<br>[[Syrian National Army]]")
    assert reg.label("1") is None
    assert reg.column_party("1") is None


def test_a_supported_by_heading_is_no_party() -> None:
    reg = registry(side_1="{{flag|Russia}}<br>'''Supported by:'''<br>{{flag|Belarus}}")
    assert [p.name for p in reg.column("1")] == ["Russia", "Belarus"]
    assert reg.label("1") is None
    assert reg.column_party("1") == Party("Russia", "1", "country")  # its supporters aside


def test_a_plainlist_column_is_read_line_by_line() -> None:
    reg = registry(side_1="{{plainlist|\n* {{flagicon|Sweden}} [[Swedish Empire|Sweden]]\n"
                   "* {{flagicon|Saxony}} Saxony\n}}")  # fmt: skip
    assert [p.name for p in reg.column("1")] == ["Swedish Empire", "Saxony"]
    assert reg.resolve("Saxons").side == "1"
    assert reg.resolve("Swedes").name == "Swedish Empire"


def test_a_name_in_two_columns_has_no_side() -> None:
    reg = registry(side_1="[[Free Syrian Army]]", side_2="[[Free Syrian Army]]<br>{{flag|Turkey}}")
    assert reg.resolve("FSA") == Party("Free Syrian Army", "", "force")
    assert reg.side_of("Turkish troops") == "2"


def test_one_short_name_of_two_parties_names_neither() -> None:
    reg = registry(side_1="[[Royal Navy|Navy]]", side_2="[[French Navy|Navy]]")
    assert reg.resolve("Royal Navy").side == "1"
    assert reg.resolve("Navy") is None


def test_a_flag_unrelated_to_its_lines_name_is_not_that_party() -> None:
    reg = registry(side_1="{{flagicon|Russia}} [[Wagner Group]]", side_2="{{flag|Ukraine}}")
    assert reg.resolve("Russian soldiers") == Party("Russia", "", "country")
    assert reg.resolve("", flags=["Russia"]).name == "Wagner Group"


# -- generic nouns and the infobox rule ------------------------------------------------------


@pytest.mark.parametrize(
    "words", ["soldiers", "people", "civilians", "the enemy", "government troops", ""]
)
def test_a_generic_noun_names_no_party(words: str) -> None:
    assert COALITION.resolve(words) is None


def test_a_column_of_one_generic_name_is_that_name_for_its_generic_lines() -> None:
    reg = registry(side_1="Rebels", side_2="{{flag|Mali}}")
    assert reg.resolve("rebels") is None
    assert reg.attribute("rebels", side="1") == Party("Rebels", "1", "force")
    assert reg.attribute("soldiers", side="2") == Party("Mali", "2", "country")


def test_a_named_party_on_the_line_outranks_the_column_label() -> None:
    assert COALITION.attribute("40,000", ["Portugal"], "1").name == "Kingdom of Portugal"
    assert COALITION.attribute("12,000 Bavarians", (), "1").name == "Kingdom of Bavaria"
    assert COALITION.attribute("soldiers", (), "1") == COALITION.label("1")


# -- work done -------------------------------------------------------------------------------


def test_resolving_many_distinct_words_scores_few_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """10,000 distinct party words against an article of 500 names: each near-miss lookup
    scores only the names filed under its words, never every name."""
    calls = 0

    def counting(a: str, b: str) -> float:
        nonlocal calls
        calls += 1
        return 0.0

    monkeypatch.setattr(parties_module, "_SCORER", counting)
    column = "<br>".join(f"[[Brigade{k} Ridge Forces{k}]]" for k in range(500))
    reg = registry(side_1=column)
    for k in range(5_000):  # no name shares their words: nothing to score
        assert reg.resolve(f"Unit{k} Valley Fighters{k} group") is None
    assert calls == 0
    for k in range(5_000):  # each shares its last word with one name: that one is scored
        assert reg.resolve(f"Valley{k} Hill Forces{k % 500}") is None
    assert 5_000 <= calls <= 5_000 * 2
    assert calls == reg.fuzzy_scored
    before = calls
    reg.resolve("Unit1 Valley Fighters1 group")  # read once: the answer is cached
    assert calls == before


def test_building_is_linear_in_the_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """Twice the names cost about twice the work: counted as calls of the name normaliser."""
    calls = 0
    original = parties_module._norm

    def counting(words: str) -> str:
        nonlocal calls
        calls += 1
        return original(words)

    monkeypatch.setattr(parties_module, "_norm", counting)

    def work(n: int) -> int:
        nonlocal calls
        calls = 0
        column = "<br>".join(f"{{{{flagicon|X{k}}}}} [[Name{k} Land{k} Forces]]" for k in range(n))
        prose = " ".join(f"The Name{k} Land{k} Forces (NLF{k}) moved." for k in range(n))
        registry(prose, side_1=column)
        return calls

    small, large = work(200), work(400)
    assert large <= 2.5 * small


# -- armed services, printed codes, data names, units ----------------------------------------


def test_a_flag_drawing_an_armed_service_names_that_force_of_its_country() -> None:
    reg = registry(
        side_1="{{army|Belarus}}<br>{{flagicon|Russia|army}} Russia", side_2="{{navy|UK}}"
    )
    assert reg.resolve("Belarusian troops") == Party("Belarusian Army", "1", "force")
    assert reg.resolve("", flags=["Belarus"]).name == "Belarusian Army"
    assert reg.resolve("Russian soldiers").name == "Russian Armed Forces"  # a data name
    assert reg.resolve("Royal Navy sailors") == Party("Royal Navy", "2", "force")


def test_a_printed_flag_code_is_named_by_its_country() -> None:
    reg = registry(side_1="{{flag|UK}}", side_2="{{flag|Nazi Germany}}")
    assert reg.resolve("British troops") == Party("United Kingdom", "1", "country")
    assert reg.resolve("German soldiers") == Party("Nazi Germany", "2", "country")


def test_a_data_name_is_canonical_for_a_short_name_the_column_prints() -> None:
    reg = registry(side_1="SDF", side_2="{{flag|Turkey}}")
    assert reg.resolve("SDF") == Party("Syrian Democratic Forces", "1", "force")


def test_a_name_of_the_units_field_is_a_party_of_its_side() -> None:
    reg = PartyRegistry.build(
        {"1": parse("{{flag|Syrian opposition}}"), "2": parse("{{flag|Syria}}")},
        units={"1": parse("* [[Hay'at Tahrir al-Sham]]\n** Red Bands")},
    )
    assert reg.resolve("HTS fighters") == Party("Hay'at Tahrir al-Sham", "1", "organisation")
    assert reg.column("1") == (Party("Syrian opposition", "1", "country"),)


def test_a_first_item_with_the_others_nested_under_it_is_the_label() -> None:
    column = (
        "{{tree list}}\n* '''{{flag|Syrian opposition}}'''\n** [[Syrian Salvation Government]]\n"
        "** [[Syrian Interim Government]]\n{{tree list/end}}"
    )
    reg = registry(side_1=column)
    assert reg.label("1").name == "Syrian opposition"
    assert reg.resolve("SIG") == Party("Syrian Interim Government", "1", "organisation")


def test_every_kind_the_data_gives_is_a_party_kind() -> None:
    data = load_data("parties.toml")
    assert set(data["kinds"].values()) <= set(PARTY_KINDS)
    assert set(data["kinds"]) <= set(data["aliases"])  # a kind is of a listed party


def test_the_members_of_a_coalition_are_called_by_its_word() -> None:
    column = "'''[[Western Allies]]:'''\n{{plainlist|\n* {{flag|Canada}}\n* {{flag|Australia}}\n}}"
    reg = registry(side_1=column, side_2="{{flag|Nazi Germany}}")
    assert reg.label("1") == Party("Western Allies", "1", "coalition")
    assert reg.resolve("Allied soldiers") == reg.label("1")
    assert reg.resolve("the Allies") == reg.label("1")
    assert reg.resolve("Canadian troops").name == "Canada"


def test_a_link_is_named_by_the_fuller_of_its_target_and_text() -> None:
    reg = registry(
        side_1="[[House of Welf|Holy Roman Empire]]", side_2="[[Duchy of Normandy|Normans]]"
    )
    assert reg.resolve("Welf") is None  # no part of a name is the name
    assert reg.resolve("House of Welf") == Party("Holy Roman Empire", "1", "country")
    assert reg.resolve("Normans") == Party("Duchy of Normandy", "2", "country")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.lists(st.text(max_size=20), max_size=3))
def test_resolving_any_words_never_raises_and_is_stable(words: str, flags: list[str]) -> None:
    party = COALITION.resolve(words, flags)
    assert party is None or party.kind in PARTY_KINDS
    assert COALITION.resolve(words, flags) is party


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_building_from_any_column_never_raises(text: str) -> None:
    reg = registry(text, side_1=text)
    assert all(p.side in ("", "1") for p in reg.parties())


def test_a_units_line_flag_marks_the_unit_and_names_no_country_after_it() -> None:
    columns = {"1": parse("{{flag|United States|1912}}"), "2": parse("{{flagcountry|Japan}}")}
    units = {"1": parse("{{flagicon|USA|1912}} [[III Amphibious Corps (United States)|III Corps]]")}
    registry = PartyRegistry.build(columns, units=units)
    assert registry.column_party("1") == Party("United States", "1", "country")
    assert registry.resolve("American troops") == registry.column_party("1")
    assert registry.column("1") == (Party("United States", "1", "country"),)


def test_a_formation_of_the_units_field_is_its_column_party() -> None:
    columns = {"1": parse("{{flag|United States|1912}}"), "2": parse("{{flagcountry|Japan}}")}
    units = {"1": parse("{{flagicon|USA|1912}} [[III Amphibious Corps (United States)|III Corps]]")}
    registry = PartyRegistry.build(columns, units=units)
    assert registry.resolve("III Corps") == registry.column_party("1")
    assert registry.resolve("III Amphibious Corps (United States)") == registry.column_party("1")


def test_a_formation_of_a_column_of_several_parties_stays_its_own() -> None:
    columns = {"1": parse("[[Kingdom of Arden]]<br />[[Duchy of Bel]]"), "2": parse("[[Rome]]")}
    units = {"1": parse("[[Fifth Army (Arden)|Fifth Army]]")}
    registry = PartyRegistry.build(columns, units=units)
    fifth = registry.resolve("Fifth Army")
    assert fifth is not None and fifth.name == "Fifth Army (Arden)" and fifth.side == "1"


# -- commanders, the other name of a link ----------------------------------------------------


def _with_commanders(columns: dict[str, str], commanders: dict[str, str]) -> PartyRegistry:
    return PartyRegistry.build(
        {k: parse(v) for k, v in columns.items()},
        commanders={k: parse(v) for k, v in commanders.items()},
    )


COMMANDED = _with_commanders(
    {"1": "[[Kingdom of Portugal]]", "2": "[[Crown of Castile]]<br>[[Kingdom of Leon]]"},
    {
        "1": "[[Duarte of Viseu|Duarte, Duke of Viseu]]<br>[[Gaius Albinius Varro]]",
        "2": "[[Ferrand Ruiz]]<br>[[Enrique II, King of Leon]]",
    },
)


@pytest.mark.parametrize("name", ["Duarte", "Duarte's", "Albinius", "Gaius Albinius", "Albinian"])
def test_a_commanders_name_possessive_or_adjective_is_the_party_of_the_side(name: str) -> None:
    assert COMMANDED.commanded_by(name) == Party("Kingdom of Portugal", "1", "country")


@pytest.mark.parametrize("name", ["Ruiz", "Enrique", "Castilian", "King", "the king's", "Viseu"])
def test_a_commander_of_a_side_of_several_parties_a_title_or_a_place_names_no_party(
    name: str,
) -> None:
    # side 2 holds two parties and no label; "King" is a title, "Viseu" the duke's place
    assert COMMANDED.commanded_by(name) is None


def test_a_name_of_commanders_of_both_sides_names_no_side() -> None:
    reg = _with_commanders(
        {"1": "[[Kingdom of Portugal]]", "2": "[[Crown of Castile]]"},
        {"1": "[[Pedro Alvares]]", "2": "[[Pedro Ruiz]]"},
    )
    assert reg.commanded_by("Pedro") is None
    assert reg.commanded_by("Ruiz").name == "Crown of Castile"


def test_the_country_of_a_links_shown_name_is_its_partys() -> None:
    reg = registry(side_1="[[Sultanate of Rum|Turkish state]]", side_2="[[Kingdom of Georgia]]")
    assert reg.resolve("Turkish").name == "Sultanate of Rum"
    assert reg.resolve("Turkish bodies").side == "1"


def test_a_nationality_word_names_the_one_force_named_by_it() -> None:
    reg = registry(side_1="[[Achaemenid Empire|Persian forces]]", side_2="[[Athens]]")
    assert reg.resolve("Persians").name == "Achaemenid Empire"
    assert reg.resolve("Persian troops").side == "1"
    assert reg.resolve("Persian civilians").side == ""  # no force


def test_a_nationality_word_of_an_organisations_name_is_not_that_organisation() -> None:
    reg = registry(side_1="[[Syrian Democratic Forces]]", side_2="[[Islamic State]]")
    assert reg.resolve("Syrian soldiers") != reg.resolve("SDF")
