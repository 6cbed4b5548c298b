"""Citations: every `<ref>` and citation template of an article, and how each use resolves.

Handles refs defined inline, defined once by name and reused (`<ref name=x/>`, `{{r|x}}`),
list-defined inside `{{reflist|refs=...}}`, citation templates of any `cite ...` family,
bare-URL and plain-text refs, and `{{sfn}}` short footnotes pointing at a bibliography entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from mwparserfromhell.nodes import ExternalLink, Node, Tag, Template, Text, Wikilink
from mwparserfromhell.wikicode import Wikicode

from claims.knowledge import load_data
from claims.model import Citation
from claims.parse import (
    RefMark,
    is_citation_template,
    param_spans,
    plain,
    rules,
    tag_attr,
    tag_contents_start,
    template_name,
    walk,
    wikitext,
)

# Parameter names of citation templates, first present wins.
_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "script-title", "chapter", "contribution", "entry"),
    "trans_title": ("trans-title", "trans_title", "transtitle", "trans-chapter"),
    "publisher": ("publisher", "institution", "via"),
    "work": (
        "work",
        "website",
        "newspaper",
        "magazine",
        "journal",
        "periodical",
        "site",
        "encyclopedia",
        "encyclopaedia",
        "dictionary",
        "series",
        "network",
        "station",
        "user",  # {{cite tweet}}: the account
    ),
    "agency": ("agency",),
    "date": ("date", "publication-date", "publication_date", "year", "orig-date"),
    "url": ("url", "chapter-url", "contribution-url", "website-url", "URL"),
    "archive_url": ("archive-url", "archiveurl", "archive_url"),
    "language": ("language", "lang"),
}
_AUTHOR_LAST = (
    "last",
    "last1",
    "surname",
    "surname1",
    "author-last",
    "author",
    "author1",
    "authors",
    "vauthors",
    "editor",
    "editor1",
    "editor-last",
)
_AUTHOR_FIRST = ("first", "first1", "given", "given1", "author-first")
_LINK_FIELDS = (
    "publisher",
    "work",
    "website",
    "newspaper",
    "magazine",
    "agency",
    "via",
    "journal",
    "periodical",
    "network",
    "station",
)
_URL = re.compile(r"https?://[^\s\]<>|{}\"']+", re.I)


@dataclass(slots=True)
class CitationIndex:
    """All citations of one article, and the lookups that resolve a use of one."""

    named: dict[tuple[str, str], list[Citation]] = field(default_factory=dict)
    inline: dict[int, list[Citation]] = field(default_factory=dict)  # ref start -> citations
    bibliography: list[Citation] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # refs whose body is only a short footnote ("<ref>{{harvnb|Smith|2016|p=4}}</ref>")
    short: dict[int, tuple[str, ...]] = field(default_factory=dict)  # ref start -> keys
    short_named: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)

    @property
    def citations(self) -> list[Citation]:
        """Each defined citation once, in article order."""
        seen: dict[tuple[int, int], Citation] = {}
        for group in (*self.inline.values(), *self.named.values(), self.bibliography):
            for citation in group:
                seen.setdefault((citation.start, citation.title_start), citation)
        return [seen[k] for k in sorted(seen)]

    def resolve(self, mark: RefMark) -> list[Citation]:
        """The citations a ref mark in the text stands for ([] when it cannot be resolved)."""
        if mark.kind == "sfn":
            return self._short_footnote(mark.sfn)
        if mark.body is not None and mark.start in self.inline:
            keys = self.short.get(mark.start)
            return (keys and self._short_footnote(keys)) or self.inline[mark.start]
        if mark.name:
            keys = self.short_named.get((mark.group, mark.name))
            found = self._short_footnote(keys) if keys else []
            return found or self.named.get((mark.group, mark.name), [])
        return []

    def _short_footnote(self, keys: tuple[str, ...]) -> list[Citation]:
        if not keys:
            return []
        year = next((k for k in reversed(keys) if re.fullmatch(r"\d{4}[a-z]?|n\.d\.", k)), "")
        authors = [k.lower() for k in keys if k != year]
        for citation in self.bibliography:
            surname = citation.author.split(",")[0].strip().lower()
            if authors and surname == authors[0] and (not year or year[:4] in citation.date):
                return [citation]
        return []


def read_citations(code: Wikicode) -> CitationIndex:
    """Index every citation of a parsed article by the ways the text can point at it."""
    index = CitationIndex()
    inside_ref_until = -1
    for node, start, end in walk(code, descend=_may_hold_citations):
        if isinstance(node, Tag) and wikitext(node.tag).strip().lower() == "ref":
            if start < inside_ref_until:
                continue
            if node.contents is None or node.self_closing or not wikitext(node.contents).strip():
                continue
            inside_ref_until = end
            name = tag_attr(node, "name")
            group = tag_attr(node, "group")
            body_start = tag_contents_start(node, start)
            citations = _from_body(node.contents, body_start, name, start, end)
            index.inline[start] = citations
            keys = _short_footnote_keys(node.contents, citations)
            if keys:
                index.short[start] = keys
                if name:
                    index.short_named.setdefault((group, name), keys)
            if name:
                key = (group, name)
                if key in index.named:
                    if _differs(index.named[key], citations):
                        index.problems.append(f"ref name={name!r} is defined more than once")
                else:
                    index.named[key] = citations
        elif isinstance(node, Template) and start >= inside_ref_until:
            name = template_name(node)
            if is_citation_template(name):
                index.bibliography.append(_from_template(node, start, "", start, end))
    return index


_NESTED_CITATION = re.compile(r"<ref|\{\{\s*(?:cite|citation|vcite|sfn|harv)", re.I)


def _may_hold_citations(node: Node, text: str) -> bool:
    """Whether a node's children can hold a citation (a ref or a citation template)."""
    if isinstance(node, Tag) and wikitext(node.tag).strip().lower() == "ref":
        return False
    return _NESTED_CITATION.search(text, 2) is not None


def _short_footnote_keys(body: Wikicode, citations: list[Citation]) -> tuple[str, ...]:
    """The (author, ..., year) of a ref whose body holds a short footnote and no citation of
    its own ("<ref>{{harvnb|Smith|2016|p=4}}</ref>"); () otherwise."""
    if any(c.template or c.url for c in citations):
        return ()
    short = rules().short_footnote
    for node in body.nodes:
        if isinstance(node, Template) and template_name(node) in short:
            return tuple(
                wikitext(p.value).strip() for p in node.params if wikitext(p.name).strip().isdigit()
            )
    return ()


def _differs(a: list[Citation], b: list[Citation]) -> bool:
    return [(c.title, c.url) for c in a] != [(c.title, c.url) for c in b]


def _from_body(body: Wikicode, body_start: int, name: str, start: int, end: int) -> list[Citation]:
    citations = [
        _from_template(node, node_start, name, start, end)
        for node, node_start, _ in walk(body, body_start, descend=_may_hold_citations)
        if isinstance(node, Template) and is_citation_template(template_name(node))
    ]
    if citations:
        return citations
    url = ""
    title = ""
    title_start = title_end = -1
    for node, node_start, _ in walk(body, body_start):
        if isinstance(node, ExternalLink):
            url = wikitext(node.url).strip()
            if node.brackets and node.title is not None:
                title = plain(node.title)
                gap = 0 if node.suppress_space else 1
                title_start = node_start + 1 + len(wikitext(node.url)) + gap
                title_end = title_start + len(wikitext(node.title))
            break
    text = plain(_quotations_marked(body))
    if not url:
        found = _URL.search(wikitext(body))
        url = found.group(0) if found else ""
    return [
        Citation(
            ref_name=name,
            title=title,
            url=url,
            text=text,
            author=_plain_book_author(body, text),
            start=start,
            end=end,
            title_start=title_start,
            title_end=title_end,
            links=_links_outside_quotations(body),
        )
    ]


# -- quotations and books in plain-text refs --------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Quoting:
    marks: dict[str, str]  # opening mark -> closing mark
    tags: frozenset[str]
    templates: frozenset[str]
    quoted: re.Pattern[str]  # a passage from an opening mark to its closing mark or the end
    book_markers: re.Pattern[str]
    cited_in: re.Pattern[str]


@cache
def _quoting() -> _Quoting:
    data = load_data("sources.toml")
    quotations, books = data["quotations"], data["plain_books"]
    markers = "|".join(re.escape(m) for m in sorted(books["markers"], key=len, reverse=True))
    marks = {str(opening): str(closing) for opening, closing in quotations["marks"]}
    quoted = "|".join(
        f"{re.escape(o)}[^{re.escape(c)}]*(?:{re.escape(c)}|$)" for o, c in marks.items()
    )
    return _Quoting(
        marks=marks,
        quoted=re.compile(quoted),
        tags=frozenset(t.lower() for t in quotations["tags"]),
        templates=frozenset(t.lower() for t in quotations["templates"]),
        book_markers=re.compile(rf"(?<!\w)(?:{markers})(?=\s*[\dxivlc])", re.I),
        cited_in=re.compile(
            rf"(?<!\w)(?:{'|'.join(re.escape(w) for w in books['cited_in'])})\s+", re.I
        ),
    )


def _is_quotation(node: Node, quoting: _Quoting) -> bool:
    """A quotation written as markup: `<blockquote>`, `{{quote|...}}`."""
    if isinstance(node, Tag):
        return wikitext(node.tag).strip().lower() in quoting.tags
    return isinstance(node, Template) and template_name(node) in quoting.templates


def outside_quotations(text: str) -> str:
    """The text with its quoted passages (between quotation marks) blanked: what a plain ref
    says of the work it cites, not what the work says ("Smith (2004), p. 12. "...the Red Army
    lost..."" -> "Smith (2004), p. 12."). An unclosed quotation runs to the end."""
    return " ".join(_quoting().quoted.sub(" ", text).split())


def link_target(link: Wikilink) -> str:
    """What a wiki link names: its target page, or for a link to an anchor of the same page
    ("[[#Chidsey|Chidsey]]", a short citation's link to its bibliography entry) the words it
    shows, else the anchor without its "CITEREF" prefix."""
    target = wikitext(link.title).strip()
    if not target.startswith("#"):
        return target
    shown = plain(link.text).strip() if link.text is not None else ""
    return shown or target[1:].removeprefix("CITEREF").strip()


def _links_outside_quotations(body: Wikicode) -> tuple[str, ...]:
    """Targets of the wiki links of a plain ref, but those inside a quotation (marks, a
    `<blockquote>` or a quote template): a quoted passage links what it speaks of."""
    quoting = _quoting()
    links: list[str] = []
    closing = ""

    def visit(code: Wikicode, depth: int = 0) -> None:
        nonlocal closing
        for node in code.nodes:
            if isinstance(node, Text):
                for ch in node.value:
                    if closing:
                        closing = "" if ch == closing else closing
                    elif ch in quoting.marks:
                        closing = quoting.marks[ch]
            elif isinstance(node, Wikilink):
                if not closing:
                    links.append(link_target(node))
            elif _is_quotation(node, quoting) or depth > 8:
                continue
            elif isinstance(node, Tag) and node.contents is not None:
                visit(node.contents, depth + 1)
            elif isinstance(node, Template):
                for param in node.params:
                    visit(param.value, depth + 1)

    visit(body)
    return tuple(links)


def _quotations_marked(body: Wikicode) -> Wikicode | str:
    """The ref's wikitext with each quotation written as markup (`<blockquote>`, `{{quote}}`)
    put between quotation marks, as a reader sees it quoted (the body itself when it has none)."""
    quoting = _quoting()
    if not any(_is_quotation(node, quoting) for node in body.nodes):
        return body
    parts = []
    for node in body.nodes:
        if isinstance(node, Tag) and _is_quotation(node, quoting):
            parts.append(f"“{plain(node.contents) if node.contents is not None else ''}”")
        elif isinstance(node, Template) and _is_quotation(node, quoting):
            first = next(
                (p.value for p in node.params if wikitext(p.name).strip() in ("1", "text")), ""
            )
            parts.append(f"“{plain(first) if first else ''}”")
        else:
            parts.append(wikitext(node))
    return "".join(parts)


_MARKUP_CHARS = re.compile(r"[\[\]{}<>'&]")
_NAME_WORD = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’.\-]*")
_NAME_PARTICLES = frozenset({"de", "van", "von", "der", "den", "la", "le", "di", "da", "du"})
_JOINING = frozenset({"and", "&", "et", "al.", "al", "ed.", "eds."})  # several authors
_NAME_PARTICLES |= _JOINING
# where the author's name ends: the title in italics or quotes, or the year
_MAX_BARE_AUTHOR_WORDS = 3  # "Johnston and Stanley, p. 68": longer openings are titles
_TITLE_OPENERS = frozenset({"the", "a", "an"})
_BEFORE_TITLE = re.compile(r"''|\(\s*(?:c\.\s*)?\d{4}|\(n\.d\.\)|(?<!\w)\d{4}[a-z]?(?!\w)|[\"“„«]")


def _plain_book_author(body: Wikicode, text: str) -> str:
    """The author of a plain ref written as a book ("Surname, Given"), "" for any other ref.

    A book ref names a page or an ISBN ("p. 12", "pp. 4–6", "ISBN 978-...") outside its
    quotations and opens with its author, before the title (in italics or quotes) or the year:
    "Smith, John (2004). ''The War''. p. 12." and "Keegan 1976, p. 45." name their authors, and
    so does a name alone before the volume or page ("Playfair Vol. III, p. 340"); "''The
    War'', p. 12" names none. A passage "quoted in" another work is that work's.
    """
    quoting = _quoting()
    said = outside_quotations(text)
    if not quoting.book_markers.search(said):
        return ""
    cited = quoting.cited_in.search(said)
    if cited:  # "..., quoted in Fischer, pp. 231-232"
        return _as_author(re.split(r"[,.;:(]", said[cited.end() :], maxsplit=1)[0])
    raw = wikitext(body)
    opening = _BEFORE_TITLE.search(raw)
    marker = quoting.book_markers.search(raw)
    if marker is not None and (opening is None or marker.start() < opening.start()):
        # "Playfair Vol. III, p. 340": a name alone before the volume or page is the author
        named = raw[: marker.start()].strip(" ,;:")
        words = named.split()
        if (
            "," not in named
            and 1 <= len(words) <= _MAX_BARE_AUTHOR_WORDS
            and words[0].lower() not in _TITLE_OPENERS  # "The Great War, p. 12" is a title
        ):
            return _as_author(named)
    if opening is None:
        return ""
    before = raw[: opening.start()]
    # most authors are written without markup: read as they are, without a parse
    return _as_author(plain(before) if _MARKUP_CHARS.search(before) else before)


def _as_author(words: str) -> str:
    """A person's name as a book's author is keyed, "Surname, Given" ("Louis R. Gottschalk" ->
    "Gottschalk, Louis R."; "Smith, John" and "Smith and Jones" as written); "" for words that
    are no name."""
    author = words.strip(" .,;:")
    names = author.replace(",", " ").split()
    if not 1 <= len(names) <= 6 or not names[0][:1].isupper():
        return ""
    if not all(_NAME_WORD.fullmatch(w) or w.lower() in _NAME_PARTICLES for w in names):
        return ""
    if "," in author or len(names) == 1 or any(w.lower() in _JOINING for w in names):
        return author
    k = len(names) - 1  # the surname, with the particles before it ("de Tocqueville")
    while k > 1 and names[k - 1].lower() in _NAME_PARTICLES:
        k -= 1
    return f"{' '.join(names[k:])}, {' '.join(names[:k])}"


def _from_template(node: Template, tpl_start: int, name: str, start: int, end: int) -> Citation:
    values: dict[str, tuple[Wikicode, int]] = {}
    for pname, value, value_start in param_spans(node, tpl_start):
        key = pname.lower()
        if key not in values and wikitext(value).strip():
            values[key] = (value, value_start)

    def first(names: tuple[str, ...]) -> str:
        for key in names:
            if key.lower() in values:
                return plain(values[key.lower()][0])
        return ""

    def address(names: tuple[str, ...]) -> str:
        # a bare URL renders as no text: its words are taken as written, without a render
        for key in names:
            if key.lower() in values:
                value = values[key.lower()][0]
                if all(_is_text_or_bare_url(node) for node in value.nodes):
                    text = " ".join("".join(getattr(n, "value", "") for n in value.nodes).split())
                else:
                    text = plain(value)
                return text.split()[0] if text else str(value).strip()
        return ""

    fields = {
        attr: address(names) if attr in ("url", "archive_url") else first(names)
        for attr, names in _FIELDS.items()
    }
    author = first(_AUTHOR_LAST)
    given = first(_AUTHOR_FIRST)
    if author and given:
        author = f"{author}, {given}"
    # The headline a claim is read from: the English translation when it has words (a
    # `trans-title=` holding only a comment is none), else the title; its offsets are the
    # offsets of the parameter it was read from.
    title_key = None
    if fields["trans_title"]:
        title_key = next((k for k in _FIELDS["trans_title"] if k in values), None)
    if title_key is None:
        title_key = next((k for k in _FIELDS["title"] if k in values), None)
    title_start = title_end = -1
    if title_key is not None:
        value, value_start = values[title_key]
        raw = wikitext(value)
        title_start = value_start + (len(raw) - len(raw.lstrip()))
        title_end = value_start + len(raw.rstrip())
    links = tuple(
        link_target(link)
        for key in _LINK_FIELDS
        if key in values
        for link in values[key][0].filter_wikilinks()
    )
    return Citation(
        ref_name=name,
        template=template_name(node),
        author=author,
        start=start,
        end=end,
        title_start=title_start,
        title_end=title_end,
        links=links,
        **fields,
    )


def _is_text_or_bare_url(node: Node) -> bool:
    return isinstance(node, Text) or (isinstance(node, ExternalLink) and not node.brackets)
