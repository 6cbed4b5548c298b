"""The package's data files load and hold what the code reads from them."""

from __future__ import annotations

from pathlib import Path

import pytest

import claims
from claims.knowledge import load_data
from claims.parse import rules
from claims.topics import taxonomy

DATA = Path(claims.__file__).parent / "data"


@pytest.mark.parametrize("path", sorted(DATA.glob("*.toml")), ids=lambda p: p.name)
def test_data_file_loads_with_a_version(path: Path) -> None:
    data = load_data(path.name)
    assert data.get("version") == 1


def test_wikitext_rules_are_top_level_lists() -> None:
    r = rules()
    assert "plainlist" in r.list_templates
    assert "flag" in r.flag_text and "flagicon" in r.flag_icon
    assert "nowrap" in r.transparent
    assert all(isinstance(v, str) for v in r.literal.values())


def test_taxonomy_has_every_documented_topic() -> None:
    tax = taxonomy()
    for topic in (
        "killed",
        "injured",
        "strength",
        "displaced",
        "detained",
        "captured",
        "equipment",
        "strikes",
        "population",
        "other",
    ):
        assert topic in tax.topics
    assert "same_party" not in set(tax.roles.values())
    assert tax.same_party


def test_infobox_lists_are_not_swallowed_by_the_field_table() -> None:
    data = load_data("infobox.toml")
    assert all(isinstance(v, str) for v in data["figure_fields"].values())
    for key in ("side_fields", "date_fields", "place_fields", "title_fields", "skip_sections"):
        assert isinstance(data[key], list) and data[key]


def test_numbers_vague_ranges_are_ordered() -> None:
    data = load_data("numbers.toml")
    for phrase, (low, high) in data["vague"].items():
        assert 0 < low <= high, phrase
    qualifiers = data["qualifiers"]
    assert 0 < qualifiers["about_band"] < 1
    for label in ("about", "nearly", "more than", "at least", "up to", "fewer than"):
        assert qualifiers[label], label
