"""The offsets contract: how a claim's `quote` relates to the article at its `start`/`end`.

Every claim names the span of the article's wikitext it was read from, `text[start:end]`, and
quotes that span's words. For each `origin`:

- `prose`: the span is the wikitext of the sentence, from the first character that shows in
  the sentence to the last (links, templates, refs and markup inside it included); the quote
  is that wikitext rendered as plain text (as the prose is: infoboxes and tables left out),
  whitespace collapsed to single spaces.
- `infobox`: the same, for one line of the infobox field (its list bullet left out).
- `table`: the span is the wikitext of the cell's contents; the quote is the cell's labels
  ("row label — column label: ") followed by the cell rendered as plain text (tables nested
  in it left out), whitespace collapsed.
- `citation_title`: the span is the value of the citation's headline parameter
  (`trans-title=` when it has words, else `title=`; the text of a bracketed link in a plain
  ref), surrounding spaces left out; the quote is that value rendered, whitespace collapsed.

Two allowances follow from how wikitext is read. Bold and italic quote marks left open are
paired by the whole line they stand in, so a span cut out of its line can show an apostrophe
more or less: quotes are compared with apostrophes left out. A sentence that begins or ends
inside a link or template whose text holds more than the sentence is given the whole link or
template (a cut through `[[...]]` renders as markup), so its rendered span can hold more than
the quote, which is then a part of it.

Where the span itself holds markup left open (braces, brackets, a comment or a tag that
does not close within it), mwparserfromhell reads that markup by what follows it in the
article, so the span rendered alone can differ: the quote's letters and digits are then, in
order, among those of the wikitext at the span (its entities read as their characters).

So `quote == rendered(text[start:end])` (for a table, its ending), where `rendered` is
`quoted_text(text, start, end, origin)`. A rendered span can hold words the wikitext does not
spell (a date template's month name, a `{{convert}}` unit, an entity's letter): they are what
the article shows there. Besides, `0 <= start <= end <= len(text)`, `value_low <=
value_high`, and `value_text` is words of the quote.

`check_offsets(text, claim)` names the first way a claim breaks the contract, in one line.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from claims.errors import ArticleError
from claims.model import Claim
from claims.parse import parse, render

ORIGINS = ("prose", "infobox", "table", "citation_title")
_MARKUP_EDGES = "[]{}<>="  # the first or last character of a link, template, tag or heading
_RENDER_FLAGS = {
    "prose": {"skip_infobox": True, "skip_tables": True},
    "infobox": {"skip_infobox": False, "skip_tables": False},
    "table": {"skip_infobox": False, "skip_tables": True},
    "citation_title": {"skip_infobox": False, "skip_tables": False},
}


def quoted_text(text: str, start: int, end: int, origin: str) -> str:
    """What the article shows for `text[start:end]`, read as a quote of `origin` is: the span
    rendered as plain text, whitespace collapsed. Kept for the last spans asked: the figures of
    one sentence, cell or headline share their span, which is rendered once."""
    return _quoted_text(text, start, end, origin)


@lru_cache(maxsize=64)
def _quoted_text(text: str, start: int, end: int, origin: str) -> str:
    span = text[start:end]
    if not span:
        return ""
    try:
        code = parse(span)
    except ArticleError:  # cannot be: the whole article was read
        return span
    rendering = render(code, start, **_RENDER_FLAGS.get(origin, _RENDER_FLAGS["prose"]))
    return " ".join(rendering.text.split())


def check_offsets(text: str, claim: Claim) -> str | None:
    """The first way `claim` breaks the offsets contract for the article `text`, in one line;
    None when it keeps it (see the module's account of the contract)."""
    start, end = claim.start, claim.end
    if not 0 <= start <= end <= len(text):
        return f"offsets {start}..{end} are not within the article (0..{len(text)})"
    low, high = claim.value_low, claim.value_high
    if low is not None and high is not None and low > high:
        return f"value_low {low} is above value_high {high}"
    if claim.origin not in ORIGINS:
        return f"unknown origin {claim.origin!r}"
    quote = claim.quote
    if quote != " ".join(quote.split()):
        return "the quote's whitespace is not collapsed"
    if claim.value_text and " ".join(claim.value_text.split()) not in quote:
        return f"value_text {claim.value_text!r} is not in the quote"
    shown = quoted_text(text, start, end, claim.origin)
    if claim.origin == "table":
        if quote == shown or quote.endswith(": " + shown):
            return None
        return f"the table quote does not end with the cell at {start}..{end}: {shown!r}"
    if quote == shown or quote.replace("'", "") == shown.replace("'", ""):
        return None  # quote marks left open are read by their whole line (see above)
    edges = text[start] + text[end - 1] if end > start else ""
    if quote in shown and any(ch in _MARKUP_EDGES for ch in edges):
        return None  # a sentence begun or ended inside a link or template holding more
    span = text[start:end]
    if not _balanced(span) and _in_order(_letters(quote), _letters(html.unescape(span))):
        return None  # markup left open is read by what follows it (see above)
    return f"the quote is not the article's text at {start}..{end}: {shown[:80]!r}"


_PAIRS = (("{{", "}}"), ("[[", "]]"), ("[", "]"), ("<!--", "-->"))
_TAG = re.compile(r"<(/?)([a-z]+)\b[^<>]*?(/?)>", re.I)


def _balanced(span: str) -> bool:
    """Whether a span's markup is closed within it: braces, brackets, comments and tags."""
    if any(span.count(a) != span.count(b) for a, b in _PAIRS):
        return False
    depth: dict[str, int] = {}
    for tag in _TAG.finditer(span):
        if tag.group(3):
            continue
        name = tag.group(2).lower()
        depth[name] = depth.get(name, 0) + (-1 if tag.group(1) else 1)
    return not any(depth.values())


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def _in_order(part: str, whole: str) -> bool:
    """Whether the characters of `part` are, in order, among those of `whole`."""
    rest = iter(whole)
    return all(ch in rest for ch in part)


__all__ = ["ORIGINS", "check_offsets", "quoted_text"]
