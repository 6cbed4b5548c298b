"""A pytest plugin loaded by the mutation run only (pyproject.toml, [tool.mutmut]).

The matching rules are read once and kept (`settings()`, `finding_rules()`); a mutant of the
code that reads them (`_rules`, `_words_pattern`) would run once, while the tests are
collected, and never inside a test, so every such mutant would look untested. Each test here
starts with those caches empty, so the rules are read again, by the mutated code.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from claims import findings, match


@pytest.fixture(autouse=True)
def _rules_read_afresh() -> Iterator[None]:
    for cached in (match.settings, match._verdict, match.comparison_fingerprint):
        cached.cache_clear()
    findings.finding_rules.cache_clear()
    yield
