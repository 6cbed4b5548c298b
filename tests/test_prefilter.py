"""The pre-filter of dump pages (claims/data/prefilter.toml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from claims.prefilter import worth_extracting

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize(
    "text",
    [
        "{{Infobox military conflict\n| conflict = Raid\n}}",
        "{{infobox_Military_Conflict|conflict=Raid}}",
        "{{ Template:Infobox  civilian attack <!-- a note -->\n| title = Raid\n}}",
        "{{Infobox earthquake}}",
        "{{Infobox pandemic\n| disease = Flu\n}}",
        "{{Infobox outbreak|name=Flu}}",
        "{{Infobox military unit|unit_name=1st Brigade}}",
        "{{Infobox war faction|name=Front}}",
        "Prose.\n[[Category:Battles involving France]]",
        "[[category: Conflicts_in_1066|Hastings]]",
        "[[Category:2023 earthquakes]]",
    ],
)
def test_the_prefilter_keeps_conflict_disaster_epidemic_and_unit_pages(text: str) -> None:
    assert worth_extracting(text)


@pytest.mark.parametrize(
    "text",
    [
        "{{Infobox person|name=Ada}}\n[[Category:English mathematicians]]",
        "{{Infobox settlement|name=Redtown}}\n[[Category:Towns in Northland]]",
        "{{Infobox military conflicts of the future}}",  # a longer name is another template
        "[[Category:Battleships of the Royal Navy]]",  # a phrase only as a whole word
        "The battles of the war, in prose, are no category.",
        "",
    ],
)
def test_the_prefilter_skips_other_pages(text: str) -> None:
    assert not worth_extracting(text)


def test_every_seed_passes_the_prefilter() -> None:
    for seed in sorted((ROOT / "seeds").glob("*.wiki")):
        assert worth_extracting(seed.read_text(encoding="utf-8")), seed.name
