"""The pre-filter of dump pages: a cheap test, before the full parse, of whether a page is worth
extracting (it calls an infobox template, or sits in a category, named in
`claims/data/prefilter.toml`).

The listed names are compiled into word tries, so that a scan costs little more at each place
of the text however long the lists: one search for the templates over the text, one pass that
collects the names of its category links, one search for the phrases over those names. Each is
linear in the size of the page, and the whole test costs a small fraction of an extraction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from claims.errors import DataFileError
from claims.knowledge import load_data

_SPACE = r"[ _]+"
_CATEGORY = re.compile(r"\[\[[ _]*category[ _]*:([^\[\]|\n]{1,255})", re.IGNORECASE)
"""A category link and its name (MediaWiki page names are at most 255 bytes, hold no brackets)."""


def _words(name: str) -> tuple[str, ...]:
    return tuple(name.lower().replace("_", " ").split())


def _trie(phrases: Iterable[tuple[str, ...]]) -> str:
    """A regular expression matching any of the phrases (words joined by spaces or
    underscores), its branches shared word by word, so each place of a text is tried against
    the first words only."""
    root: dict = {}
    for words in phrases:
        node = root
        for word in words:
            node = node.setdefault(word, {})
        node[""] = {}

    def render(node: dict) -> str:
        branches = []
        for word in sorted((w for w in node if w), key=lambda w: (-len(w), w)):
            child = node[word]
            rest = render(child)
            if not rest:
                branches.append(re.escape(word))
            elif "" in child:
                branches.append(f"{re.escape(word)}(?:{_SPACE}{rest})?")
            else:
                branches.append(f"{re.escape(word)}{_SPACE}{rest}")
        if not branches:
            return ""
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return render(root)


def _names(data: dict, key: str) -> list[tuple[str, ...]]:
    values = data.get(key)
    if not isinstance(values, list) or not all(isinstance(v, str) and _words(v) for v in values):
        raise DataFileError(f"claims/data/prefilter.toml: {key} must be a list of names")
    return [_words(v) for v in values]


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = load_data("prefilter.toml")
    template = re.compile(
        r"\{\{[ _\t\n]*(?:template[ _]*:[ _]*)?"
        + _trie(_names(data, "templates"))
        + r"[ _\t\n]*(?:\||\}\}|<!--|$)",
        re.IGNORECASE,
    )
    phrase = re.compile(
        r"(?<![^\W_])" + _trie(_names(data, "categories")) + r"(?![^\W_])", re.IGNORECASE
    )
    return template, phrase


def worth_extracting(text: str) -> bool:
    """Whether a page's wikitext calls a listed infobox or is in a listed category."""
    template, phrase = _patterns()
    if template.search(text) is not None:
        return True
    names = _CATEGORY.findall(text)
    return bool(names) and phrase.search("\n".join(names)) is not None


def check_prefilter() -> None:
    """Compile the pre-filter now: DataFileError names a bad `prefilter.toml` before a run."""
    _patterns()
