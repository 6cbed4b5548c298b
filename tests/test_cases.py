"""Extraction rules as data cases: small wikitext in, expected claims out.

Each `tests/cases/*.toml` file holds the cases of one kind of rule. A case is an article
(`wikitext`, with an optional `title`) and what its claims must hold:

- `[[case.expect]]`: some claim has every field given (`value` stands for a figure whose low
  and high are both that number; `value_low`/`value_high` may be given apart);
- `[[case.absent]]`: no claim has every field given;
- `claims`: how many claims the article gives, when the case says it.

A failing case prints the claims the article gave, so the rule at fault can be read off.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from claims.attribution import evidence_order
from claims.extract import extract_article
from claims.model import Claim

CASES = Path(__file__).parent / "cases"


def _cases() -> list[Any]:
    found = []
    for path in sorted(CASES.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for case in data.get("case", []):
            found.append(pytest.param(case, id=f"{path.stem}:{case['name']}"))
    return found


def _matches(claim: Claim, wanted: dict[str, Any]) -> bool:
    for name, value in wanted.items():
        if name == "value":
            if claim.value_low != value or claim.value_high != value:
                return False
        elif name == "ref_names":
            if " ".join(claim.ref_names) != value:
                return False
        elif getattr(claim, name) != value:
            return False
    return True


def _show(claims: list[Claim]) -> str:
    fields = ("origin", "topic", "party", "side", "value_text", "date", "source", "counted")
    rows = [" | ".join(f"{f}={getattr(c, f)!r}" for f in fields) for c in claims]
    return "\n".join(rows) or "(no claims)"


def test_every_case_file_holds_cases() -> None:
    files = sorted(CASES.glob("*.toml"))
    assert files, "tests/cases holds no case files"
    for path in files:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        cases = data.get("case", [])
        assert cases, f"{path.name} holds no [[case]]"
        for case in cases:
            assert "name" in case and "wikitext" in case, f"{path.name}: a case lacks a name"
            assert case.get("expect") or case.get("absent") or "claims" in case, (
                f"{path.name}:{case['name']} checks nothing"
            )


@pytest.mark.parametrize("case", _cases())
def test_case(case: dict[str, Any]) -> None:
    claims = extract_article(case["wikitext"], case.get("title", "Case"))
    for wanted in case.get("expect", []):
        assert any(_matches(c, wanted) for c in claims), (
            f"no claim with {wanted}; the claims:\n{_show(claims)}"
        )
    for unwanted in case.get("absent", []):
        hits = [c for c in claims if _matches(c, unwanted)]
        assert not hits, f"a claim with {unwanted} should not be:\n{_show(hits)}"
    if "claims" in case:
        assert len(claims) == case["claims"], _show(claims)


def test_every_kind_of_evidence_decides_in_some_case() -> None:
    """Each kind of evidence `claims/data/attribution.toml` declares for a reader is shown
    deciding a fact of that reader's figures in at least one case, so no row of the table goes
    untested."""
    decided: set[str] = set()
    for path in sorted(CASES.glob("*.toml")):
        for case in tomllib.loads(path.read_text(encoding="utf-8")).get("case", []):
            for claim in extract_article(case["wikitext"], case.get("title", "Case")):
                decided.update(f"{claim.origin}/{part}" for part in claim.why.split())
    declared = {
        f"{origin}/{fact}:{kind}"
        for fact, origins in evidence_order().items()
        for origin, kinds in origins.items()
        for kind in kinds
    }
    assert sorted(declared - decided) == []
