"""From a wikitext article to attributed, normalised numeric claims.

An article is parsed once. Figures are read from three places: the infobox (each figure of a
field kept apart with the refs that follow it), the prose (each sentence, with the refs of its
clause), and the headlines of the cited works (a headline's figure is its outlet's claim). Each
figure becomes one `Claim` per source that backs it, with its topic, party, side, claimant,
date, place and the exact words it came from.
"""

from __future__ import annotations

import bisect
import gc
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from functools import cache, lru_cache
from pathlib import Path
from typing import BinaryIO

from mwparserfromhell.nodes import Template
from mwparserfromhell.wikicode import Wikicode

from claims.attribution import (
    SCHOLARLY_KINDS,
    Attribution,
    FigurePhrase,
    decide,
    role_labels,
    subject_of_losses,
)
from claims.citations import CitationIndex, read_citations
from claims.context import (
    claimant_nouns,
    clean_claimant,
    country_names,
    country_of,
    find_claimants,
    find_places,
    nearest_claimant,
    nearest_place,
    trailing_claimant,
)
from claims.dates import (
    DateMention,
    YearHints,
    bracketed_date_after,
    date_iso,
    find_dates,
    is_event_date,
    is_month_label,
    period_of,
)
from claims.errors import ArticleError
from claims.knowledge import load_data, lowered_set
from claims.model import (
    ArticleProblem,
    Citation,
    Claim,
    ExtractionResult,
    Quantity,
)
from claims.parse import (
    RefMark,
    Rendering,
    SectionMark,
    infoboxes,
    nesting_problem,
    note_definitions,
    notes_in,
    param_spans,
    parse,
    plain,
    refs_after,
    render,
    sentence_spans,
    template_name,
    wikilinks,
    wikitext,
)
from claims.parties import PartyRegistry
from claims.quantities import find_quantities
from claims.sources import SourceRegistry
from claims.topics import Reading, Sentence
from claims.wikitable import refs_after_table, table_figures

MAX_ARTICLE_BYTES = int(os.environ.get("COUNTERCLAIM_MAX_ARTICLE_BYTES", 8 * 1024 * 1024))
"""Articles larger than this are refused: the longest Wikipedia articles are under 1.5 MB."""

ARTICLE_SUFFIXES = (".wiki", ".txt", ".wikitext", ".mediawiki", ".mw")
_TITLE_SPEAKER = re.compile(r"\s[—–-]{1,2}\s*(?P<who>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})\s*$")
_BULLET = re.compile(r"^[\s*#:;•·]+")
_PER = re.compile(r"(?i)^(?:per|according to|as claimed by|claimed by|by|source:)\s+(?P<who>.+)$")
_TITLE_LEAD = re.compile(r"^(?P<who>[A-Z][\w.'’-]*(?:\s+[\w.'’-]+){0,3}):\s")
_HEADER = re.compile(r"^\s*(?P<label>[^\d:\n]{2,60}?)\s*:\s+")
_BRACKETED = re.compile(r"\(\s*([^()\d]{2,60}?)\s*\)")
_WORDS_BETWEEN = re.compile(r"[,.:]\s*\S")  # a bracket after another clause is not the figure's
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_YEAR_IN_TITLE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_ONE_DAY = re.compile(r"-?\d{4}-\d{2}-\d{2}")  # an ISO day, of a year BC too ("-0047-08-09")


@dataclass(frozen=True, slots=True)
class _Layout:
    figure_fields: dict[str, str]
    side_fields: tuple[str, ...]
    commander_fields: frozenset[str]
    date_fields: frozenset[str]
    place_fields: frozenset[str]
    title_fields: tuple[str, ...]
    skip_sections: frozenset[str]
    phase_words: frozenset[str]
    faction_infoboxes: frozenset[str]


@cache
def _layout() -> _Layout:
    data = load_data("infobox.toml")
    return _Layout(
        figure_fields={k.lower(): v for k, v in data["figure_fields"].items()},
        side_fields=tuple(data["side_fields"]),
        commander_fields=lowered_set(data.get("commander_fields", [])),
        date_fields=lowered_set(data["date_fields"]),
        place_fields=lowered_set(data["place_fields"]),
        title_fields=tuple(data["title_fields"]),
        skip_sections=lowered_set(data["skip_sections"]),
        phase_words=lowered_set(data.get("phase_words", [])),
        faction_infoboxes=lowered_set(data.get("faction_infoboxes", [])),
    )


def _field_key(name: str) -> tuple[str, str]:
    """("strength", "1") for "strength1"; ("casualties total", "") for "casualties_total"."""
    name = " ".join(name.replace("_", " ").lower().split())
    m = re.fullmatch(r"(.*?)\s*(\d)([a-z]?)", name)
    if m and m.group(1):
        return m.group(1), m.group(2)
    return name, ""


@dataclass(slots=True)
class _Infobox:
    fields: list[tuple[str, Wikicode, int]] = field(default_factory=list)
    columns: dict[str, Wikicode] = field(default_factory=dict)  # side -> combatant column
    units: dict[str, Wikicode] = field(default_factory=dict)  # side -> its units field
    commanders: dict[str, Wikicode] = field(default_factory=dict)  # side -> its commanders
    date: str = ""
    place: str = ""
    title: str = ""
    faction: bool = False  # the infobox of an organisation (its own strength is its own)


@dataclass(slots=True)
class Extraction:
    """Everything read from one article: its claims, citations and non-fatal problems."""

    title: str
    claims: list[Claim]
    citations: list[Citation]
    warnings: list[str]


def extract_article(text: str, title: str | None = None) -> list[Claim]:
    """Every numeric claim of a wikitext article, attributed to its sources.

    Raises `ArticleError` when the text cannot be an article (empty, binary, an HTML page...).
    """
    return extract(text, title).claims


def extract(
    text: str, title: str | None = None, *, path: str = "", default_title: str = ""
) -> Extraction:
    """Like `extract_article`, also returning the citations and the warnings met.

    With no `title`, the article is named by its infobox, else its lead's bold phrase, else
    `default_title`.
    """
    name = path or title or "<text>"
    check_article_text(text, name)
    # The article's tree stays alive while the readers make many small short-lived objects;
    # the cyclic collector would walk it again and again. Reference counting frees what the
    # readers drop; the collector resumes (and finds any cycle) once the article is read.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _Article(text, title, default_title, name).run()
    except RecursionError:  # a reader that recursed past the stack despite the parse's limit
        raise ArticleError(name, nesting_problem()) from None
    finally:
        if collecting:
            gc.enable()


class _Article:
    def __init__(
        self, text: str, title: str | None, default_title: str = "", name: str = "<text>"
    ) -> None:
        self.text = text
        self.code = parse(text, name)
        self.index: CitationIndex = read_citations(self.code)
        self.registry = SourceRegistry.default()
        self.infobox = self._read_infobox()
        self._infobox_place = _first_place(self.infobox.place)
        self.title = (
            (title or "").strip() or self.infobox.title or _lead_title(text) or default_title
        )
        self.default_year = _default_year(self.infobox.date, self.title, self.index.citations)
        self.period = period_of(self.infobox.date, self.default_year)
        # an article on the events of one day ("17 October 2023"): its figures count that day
        start, end = self.period
        self.event_day = start if start == end and _ONE_DAY.fullmatch(start) else ""
        # section -> the last day its paragraphs told so far: a paragraph that writes no date
        # goes on from the day the section's narrative had reached
        self._told: dict[str, str] = {}
        # chapter (a top-level section) -> the last day its prose told inside the article's
        # period: a subsection that writes no date of its own goes on from the day the
        # narrative of the event had reached ("==Battle==" and its "===The Point===")
        self._narrative: dict[int, str] = {}
        self._headings: dict[str, tuple[str, int | None]] = {}  # see `_section_dates`
        # the prose, read once: for its claims, the tables it leaves out and the names it defines
        self._prose = render(self.code, 0, skip_infobox=True, skip_tables=True)
        subject = self.infobox.title if self.infobox.faction else ""
        self.parties = PartyRegistry.build(
            self.infobox.columns,
            self._prose.text,
            subject=subject,
            subject_kind="organisation" if subject else "",
            units=self.infobox.units,
            commanders=self.infobox.commanders,
            links=_named_links(self.code),
        )
        self.attribution = Attribution(
            self.title, self.index, self.registry, self.parties, self.period
        )

    def run(self) -> Extraction:
        self._infobox_claims()
        self._prose_claims()
        self._note_claims()
        self._table_claims()
        self._title_claims()
        found = self.attribution
        return Extraction(self.title, found.claims, self.index.citations, found.warnings)

    # -- infobox ---------------------------------------------------------------------------

    def _read_infobox(self) -> _Infobox:
        box = _Infobox()
        layout = _layout()
        for node, start in infoboxes(self.code):
            box.faction = box.faction or template_name(node) in layout.faction_infoboxes
            self._read_infobox_template(node, start, box, layout)
        # a note by a figure ({{efn|...}}, or one naming a note of the notes list) is read as
        # more lines of the figure's field, backed by the refs the note holds
        notes = [
            (name, note)
            for name, value, value_start in box.fields
            for note in notes_in(value, value_start)
        ]
        defined = note_definitions(self.text) if any(n.body is None for _, n in notes) else {}
        for name, note in notes:
            body = (note.body, note.body_start) if note.body is not None else defined.get(note.name)
            if body is not None:
                box.fields.append((name, *body))
        return box

    def _read_infobox_template(
        self, node: Template, start: int, box: _Infobox, layout: _Layout
    ) -> None:
        for name, value, value_start in param_spans(node, start):
            if not str(value).strip():
                continue
            base, number = _field_key(name)
            if base == "units" and number:
                box.units.setdefault(number, value)
            if base in layout.commander_fields and number:
                box.commanders.setdefault(number, value)
            if base in layout.figure_fields:
                box.fields.append((name, value, value_start))
            elif any(base == f or base == f + "s" for f in layout.side_fields) and number:
                box.columns.setdefault(number, value)
            elif base in layout.date_fields and not box.date:
                box.date = plain(value)
            elif base in layout.place_fields and not box.place:
                box.place = plain(value)
            elif base in layout.title_fields and not box.title:
                box.title = plain(value)

    def _infobox_claims(self) -> None:
        layout = _layout()
        date = ""
        if self.infobox.date:
            mentions = find_dates(self.infobox.date)
            if mentions:
                date = mentions[-1].iso(self.default_year)
            else:  # years alone: "1644", "1939–1945"
                date = self.period[1] or self.period[0]
        place = _first_place(self.infobox.place)
        for name, value, value_start in self.infobox.fields:
            base, number = _field_key(name)
            default_topic = layout.figure_fields[base]
            rendering = render(value, value_start, skip_infobox=False)
            positions = [r.pos for r in rendering.refs]
            column = self._column_name(number) if number in self.infobox.columns else None
            heading = ""
            lines = [
                _Line(
                    a,
                    b,
                    find_quantities(rendering.text[a:b]),
                    _refs_within(rendering, positions, a, b),
                )
                for a, b in _lines(rendering.text)
            ]
            carried = _carried_refs(lines)
            for k, line in enumerate(lines):
                found = self._infobox_line(
                    rendering,
                    line,
                    name,
                    number,
                    column,
                    default_topic,
                    date,
                    place,
                    heading,
                    carried[k],
                )
                if not found:  # a line without figures heads the lines under it
                    label = rendering.text[line.start : line.end].strip(" '\"*")
                    heading = label.rstrip(":").strip() if 0 < len(label) <= 60 else ""

    def _column_name(self, number: str) -> tuple[str, str]:
        """The name of a combatant column's party as the registry has it (its one party, its
        coalition, else its first), with the column's first line as written."""
        written = _column_label(self.infobox.columns[number])
        party = (
            self.parties.column_party(number)
            or self.parties.label(number)
            or next(iter(self.parties.column(number)), None)
        )
        return (party.name if party is not None else written), written

    def _infobox_line(
        self,
        rendering: Rendering,
        read: _Line,
        field_name: str,
        number: str,
        column: tuple[str, str] | None,
        default_topic: str,
        date: str,
        place: str,
        heading: str = "",
        carried: Sequence[RefMark] = (),
    ) -> bool:
        """Claims of one line of an infobox field; False when the line holds no figure.

        A line with no ref of its own is backed by `carried`: the first ref written after it
        in its block of lines ("270,000 personnel<br>500 tanks{{sfn|...}}").
        """
        start, end = read.start, read.end
        line = rendering.text[start:end]
        quantities = [q for q in read.figures if q.low is not None or q.high is not None]
        if not quantities:
            return False
        header = _HEADER.match(line)
        label = header.group("label").strip(" '\"") if header else heading
        header_party, header_claimant = "", ""
        per = _PER.match(label)
        if per:
            header_claimant = clean_claimant(per.group("who"))
        elif not _is_phase(label):
            header_party, header_topic = _heading_reading(label)
            default_topic = header_topic or default_topic
        line_start = rendering.text.rfind("\n", 0, start) + 1  # a flag before the bullet
        flags = [f.country for f in rendering.flags if line_start <= f.pos <= end]
        refs = read.refs or list(carried)
        basis = "own" if read.refs else ("block" if carried else "none")
        claimants = find_claimants(line)
        sentence = Sentence(line, read.figures)
        raw_start, raw_end = rendering.raw_span(start, end)
        quote = " ".join(line.split())
        ref_offsets = [r.pos - start for r in refs]
        starts = [q.start for q in quantities]
        for k, q in enumerate(quantities):
            reading = sentence.read(q, default_topic=default_topic)
            if reading is None:
                reading = Reading(default_topic, "", "", "", "")
            next_start = quantities[k + 1].start if k + 1 < len(quantities) else len(line)
            bracket = _bracket_date(line, q.end, self.default_year)
            for piece, piece_refs in self._split_by_refs(q, refs, start, next_start, end):
                phrase = FigurePhrase(
                    origin="infobox",
                    section="Infobox",
                    field=field_name,
                    quantity=piece,
                    reading=reading,
                    quote=quote,
                    raw=(raw_start, raw_end),
                    refs=piece_refs,
                    source_basis=basis if piece_refs else "none",
                    side=number if column is not None else "",
                )
                self.attribution.party_words(phrase, reading)
                phrase.add("party", "heading", header_party)
                phrase.add("party", "flag", flags[0] if flags else "")
                phrase.add("party", "column", *(column or ("", "")))
                phrase.add(
                    "claimant", "nearest", nearest_claimant(claimants, piece, next_start, line)
                )
                phrase.add(
                    "claimant", "trailing", trailing_claimant(claimants, piece, ref_offsets, line)
                )
                phrase.add("claimant", "bracketed", self._bracketed_outlet(line, q, starts))
                phrase.add("claimant", "heading", header_claimant)
                phrase.add("date", "bracket", bracket)
                phrase.add("date", "infobox", date)
                phrase.add("place", "infobox", place)
                self.attribution.attribute(phrase)
        return True

    def _split_by_refs(
        self, q: Quantity, refs: list[RefMark], line_start: int, next_start: int, line_end: int
    ) -> list[tuple[Quantity, list[RefMark]]]:
        """A figure and the refs that back it; a range cited per end becomes two figures."""
        inside = [r for r in refs if line_start + q.start < r.pos < line_start + q.end]
        after = [r for r in refs if line_start + q.end <= r.pos <= line_start + next_start]
        if not after:
            following = [r for r in refs if r.pos >= line_start + q.end]
            if following:
                first = following[0].pos
                after = [r for r in following if r.pos == first or r.pos - first < 2]
        if inside and q.low is not None and q.high is not None and q.low != q.high:
            cut = inside[0].pos - line_start - q.start
            low_text = q.text[:cut].rstrip(" –—-to")
            high_text = q.text[cut:].lstrip(" –—-to")
            low = Quantity(q.low, q.low, low_text or q.text, "exact", q.unit, q.start, q.start)
            high = Quantity(q.high, q.high, high_text or q.text, "exact", q.unit, q.end, q.end)
            return [(low, inside), (high, after)]
        return [(q, inside + after)]

    # -- prose -----------------------------------------------------------------------------

    def _prose_claims(self) -> None:
        rendering = self._prose
        text = rendering.text
        skip = _layout().skip_sections
        section_titles = [s.title for s in rendering.sections]
        section_starts = [s.pos for s in rendering.sections]
        chapters = _chapters(rendering.sections)
        refs_pos = [r.pos for r in rendering.refs]
        pos = 0
        lead_claimant = ""  # "According to the SOHR, losses were:" speaks for the list below
        for paragraph in text.split("\n"):
            p_start, p_end = pos, pos + len(paragraph)
            pos = p_end + 1
            if not paragraph.strip():
                continue
            k = bisect.bisect_right(section_starts, p_start) - 1
            section = section_titles[k] if k >= 0 else ""
            if section.strip().lower() in skip:
                continue
            in_list = self._is_list_line(rendering.raw_start(p_start))
            if not in_list:
                lead_claimant = ""
                if paragraph.rstrip().endswith(":"):
                    mentions = find_claimants(paragraph)
                    lead_claimant = mentions[0].label if mentions else ""
            self._paragraph(
                rendering,
                refs_pos,
                p_start,
                p_end,
                section,
                in_list,
                lead_claimant,
                chapter=chapters[k] if k >= 0 else -1,
            )

    def _note_claims(self) -> None:
        """Figures of the prose's footnotes (`{{efn|...}}`, a notes group's `<ref>`), each note
        read once as paragraphs of the section it stands in, backed by the refs it holds."""
        marks = self._prose.notes
        defined = note_definitions(self.text) if any(m.body is None for m in marks) else {}
        skip = _layout().skip_sections
        read: set[int] = set()
        for mark in marks:
            body = (mark.body, mark.body_start) if mark.body is not None else defined.get(mark.name)
            if body is None or body[1] in read:
                continue
            read.add(body[1])
            section = self._prose.section_at(mark.pos)
            if section.strip().lower() in skip:
                continue
            rendering = render(body[0], body[1], skip_infobox=True, skip_tables=True)
            refs_pos = [r.pos for r in rendering.refs]
            pos = 0
            for paragraph in rendering.text.split("\n"):
                start, pos = pos, pos + len(paragraph) + 1
                if paragraph.strip():
                    self._paragraph(rendering, refs_pos, start, start + len(paragraph), section)

    def _is_list_line(self, raw: int) -> bool:
        """Whether the wikitext line holding article offset `raw` is a list item."""
        line_start = self.text.rfind("\n", 0, raw) + 1
        return self.text.startswith(("*", "#"), line_start)

    def _paragraph(
        self,
        rendering: Rendering,
        refs_pos: list[int],
        p_start: int,
        p_end: int,
        section: str,
        in_list: bool = False,
        lead_claimant: str = "",
        chapter: int | None = None,
    ) -> None:
        """Claims of one paragraph; a list item takes its party from its label ("* Syrian Army:
        120 killed") and its claimant from the lead line of its list. `chapter` is the
        top-level section the paragraph stands in (-1: the lead), None for a note."""
        text = rendering.text
        spans = sentence_spans(text, p_start, p_end)
        para_date = ""
        earlier = self._told.get(section, "")
        narrative = self._narrative.get(chapter, "") if chapter is not None else ""
        section_date, para_year = self._section_dates(section)
        para_place = ""
        previous_party = ""
        infobox_place = self._infobox_place
        line_party = _line_label(text[p_start:p_end]) if in_list else ""
        lead_claimant = lead_claimant if in_list else ""
        # the last figure read in the paragraph: "The White Helmets put the toll at 27."
        # restates what the sentence before it counted
        previous: Reading | None = None
        read_sentences: list[str] = []  # the paragraph's sentences read so far
        for i, (s_start, s_end) in enumerate(spans):
            sentence_text = text[s_start:s_end]
            s_dates = find_dates(sentence_text)
            s_events = [d for d in s_dates if is_event_date(sentence_text, d)]
            s_places = find_places(sentence_text)
            quantities = find_quantities(sentence_text)
            if quantities:
                sentence = Sentence(sentence_text, quantities)
                next_sentence = spans[i + 1][0] if i + 1 < len(spans) else p_end
                # refs of this sentence: those up to the start of the next one
                lo = bisect.bisect_left(refs_pos, s_start)
                hi = bisect.bisect_right(refs_pos, next_sentence)
                sentence_refs = rendering.refs[lo:hi]
                own_refs = bool(sentence_refs)
                if not sentence_refs:
                    hi2 = bisect.bisect_right(refs_pos, p_end)
                    following = rendering.refs[hi:hi2]
                    if following:
                        first = following[0].pos
                        sentence_refs = [r for r in following if r.pos - first < 2]
                claimants = find_claimants(sentence_text)
                raw_start, raw_end = rendering.raw_span(s_start, s_end)
                quote = " ".join(sentence_text.split())
                phrases: list[FigurePhrase] = []
                previous_subject, previous_end = "", 0
                starts = [q.start for q in quantities]
                figure_spans = [(q.start, q.end) for q in quantities]
                claimant_spans = [(c.start, c.end) for c in claimants]
                before = text[spans[i - 1][0] : spans[i - 1][1]] if i else ""
                carried_from = 0  # where the figure whose party may carry over ended
                for q in quantities:
                    if q.low is None and q.high is None:
                        continue
                    if ";" in sentence_text[carried_from : q.start]:
                        previous_party = ""  # "...; the division suffered 1,405 casualties"
                    reading = sentence.read(q, previous_party=previous_party, previous=previous)
                    if reading is None:
                        continue
                    previous = reading
                    carried_from = q.end
                    if reading.party:
                        previous_party = reading.party
                    refs = refs_after(sentence_refs, s_start + q.end)
                    bracketed = self._bracketed_outlet(sentence_text, q, starts)
                    if bracketed and not any(r.pos >= s_start + q.end for r in sentence_refs):
                        refs = []  # "..., 1,800 (government)": the ref before is another's
                    phrase = FigurePhrase(
                        origin="prose",
                        section=section,
                        field="",
                        quantity=q,
                        reading=reading,
                        quote=quote,
                        raw=(raw_start, raw_end),
                        refs=refs,
                        source_basis=("own" if own_refs else "block") if refs else "none",
                    )
                    self.attribution.party_words(phrase, reading)
                    if reading.topic in _LOSS_TOPICS:
                        subject = subject_of_losses(sentence_text, q.start)
                        listed = _LISTED.fullmatch(sentence_text, previous_end, q.start)
                        if not subject and listed is not None:
                            subject = previous_subject  # "suffered 200 dead and 900 wounded"
                        phrase.add("party", "subject", subject)
                        previous_subject = subject
                    self.attribution.force_subject(phrase, sentence_text)
                    self.attribution.named_forces(
                        phrase, sentence_text, figure_spans, claimant_spans, before
                    )
                    self.attribution.paragraph_subject(phrase, read_sentences, sentence_text)
                    previous_end = q.end
                    phrase.add("party", "list_label", line_party)
                    phrase.add(
                        "claimant",
                        "nearest",
                        nearest_claimant(claimants, q, len(sentence_text), sentence_text),
                    )
                    phrase.add("claimant", "bracketed", bracketed)
                    phrase.add("claimant", "list_lead", lead_claimant)
                    phrases.append(phrase)
                self._share_refs(phrases)
                for phrase in phrases:
                    q, refs = phrase.quantity, phrase.refs
                    hints = YearHints(
                        context_year=_year_before(s_dates, q.start) or para_year,
                        # only a day written without its year needs the citation's date
                        citation_date=(
                            self._citation_date(refs)
                            if any(m.year is None for m in s_dates)
                            else ""
                        ),
                        period=self.period,
                        default_year=self.default_year,
                    )
                    sentence_date = _nearest_date(s_events, q, hints)
                    phrase.add(
                        "date",
                        "bracket",
                        _bracket_date(sentence_text, q.end, para_year or self.default_year),
                    )
                    phrase.add("date", "sentence", sentence_date)
                    phrase.add("date", "paragraph", para_date)
                    phrase.add("date", "earlier", earlier)
                    phrase.add("date", "section", section_date)
                    phrase.add("date", "narrative", narrative)
                    told = sentence_date or para_date or earlier or section_date
                    if self.event_day and told in ("", self.event_day):
                        phrase.add("date", "event", self.event_day)  # not the day it was reported
                    phrase.add("place", "sentence", nearest_place(s_places, q.end))
                    phrase.add("place", "paragraph", para_place)
                    phrase.add("place", "infobox", infobox_place)
                    self.attribution.attribute(phrase)
            read_sentences.append(sentence_text)
            events = s_events
            if events:
                para_year = _year_before(events, len(sentence_text)) or para_year
                hints = YearHints(para_year, "", self.period, self.default_year)
                latest = date_iso(events[-1], hints)
                if latest:
                    para_date = latest
                    self._told[section] = latest
                    if chapter is not None and _within(latest, self.period):
                        self._narrative[chapter] = latest
            if s_places:
                para_place = s_places[-1][2]

    def _section_dates(self, section: str) -> tuple[str, int | None]:
        """The date a section's heading gives its paragraphs and the year they start from,
        read once per section (each paragraph of it starts from them)."""
        found = self._headings.get(section)
        if found is None:
            section_date = _date_in(section, self.default_year)
            para_year = _year_before(find_dates(section), len(section))
            heading_years = _YEAR_IN_TITLE.findall(section)
            if para_year is None and len(heading_years) == 1:  # a section headed "2021"
                para_year = int(heading_years[0])
                section_date = section_date or heading_years[0]
            found = self._headings[section] = (section_date, para_year)
        return found

    def _share_refs(self, phrases: list[FigurePhrase]) -> None:
        """Refs written together after several figures of a sentence go to the figure each
        backs: the one whose claimant is the ref's outlet ("the WHO said 460"), else the one
        whose value the ref's headline states ("Doctors say 1,500 killed"). A ref that backs
        one figure is taken from the others; a figure keeps its refs when all would go."""
        groups: dict[tuple[int, ...], list[FigurePhrase]] = {}
        for phrase in phrases:
            if len(phrase.refs) > 1:
                groups.setdefault(tuple(id(r) for r in phrase.refs), []).append(phrase)
        for group in groups.values():
            if len(group) < 2:
                continue
            owners: dict[int, FigurePhrase] = {}
            for mark in group[0].refs:
                owner = self._ref_owner(mark, group)
                if owner is not None:
                    owners[id(mark)] = owner
            for phrase in group:
                kept = [r for r in phrase.refs if owners.get(id(r), phrase) is phrase]
                if kept:
                    phrase.refs = kept

    def _ref_owner(self, mark: RefMark, group: list[FigurePhrase]) -> FigurePhrase | None:
        """The one figure of `group` the ref backs by its outlet or its headline, if any."""
        citations = self.index.resolve(mark)
        keys = {self.attribution.source(c).key for c in citations}
        relayed = [self.attribution.outlet_claimant(decide(p, "claimant").value)[1] for p in group]
        by_claimant = [p for p, r in zip(group, relayed, strict=True) if r and r in keys]
        if len(by_claimant) == 1:
            return by_claimant[0]
        values: set[tuple[float | None, float | None]] = set()
        for citation in citations:
            title = citation.trans_title or citation.title
            if title:
                values.update((h.low, h.high) for h in find_quantities(title))
        by_headline = [
            p for p in group if (p.quantity.low, p.quantity.high) in values and p.quantity.low
        ]
        return by_headline[0] if len(by_headline) == 1 else None

    # -- tables ----------------------------------------------------------------------------

    def _table_claims(self) -> None:
        rendering = self._prose
        layout = _layout()
        fields = tuple(sorted(layout.figure_fields.items()))
        infobox_place = _first_place(self.infobox.place)
        for number, mark in enumerate(rendering.tables, start=1):
            section = rendering.section_at(mark.pos)
            if section.strip().lower() in layout.skip_sections:
                continue
            figures = table_figures(
                mark.node,
                mark.start,
                number=number,
                figure_fields=fields,
                default_year=self.default_year,
                default_date=_date_in(section, self.default_year),
                default_place=infobox_place,
                footer=refs_after_table(rendering, mark),
            )
            for figure in figures:
                phrase = FigurePhrase(
                    origin="table",
                    section=section,
                    field=figure.field,
                    quantity=figure.quantity,
                    reading=Reading(figure.topic, figure.party, "", "", ""),
                    quote=figure.quote,
                    raw=figure.raw,
                    refs=figure.refs,
                    source_basis=figure.source_basis,
                )
                phrase.add("party", "cell", figure.party)
                phrase.add("claimant", "cell", figure.claimant)
                phrase.add("date", figure.date_basis or "table", figure.date)
                phrase.add("place", "row", figure.place)
                self.attribution.attribute(phrase)

    # -- headlines -------------------------------------------------------------------------

    def _title_claims(self) -> None:
        seen: set[tuple[str, str]] = set()
        for citation in self.index.citations:
            headline = citation.trans_title or citation.title
            if not headline or not any(ch.isdigit() or ch.isalpha() for ch in headline):
                continue
            source = self.attribution.source(citation)
            if (source.key, headline) in seen:
                continue
            seen.add((source.key, headline))
            quantities = find_quantities(headline)
            if not quantities:
                continue
            sentence = Sentence(headline, quantities)
            claimants = find_claimants(headline)
            speaker = _TITLE_SPEAKER.search(headline)
            lead = _TITLE_LEAD.match(headline)
            if lead and not _is_speaker(lead.group("who")):
                lead = None  # "Dramatic escalation: ...", "Syria: ..." name no one who speaks
            relayed = self.registry.relay(citation, headline)
            date, date_kind = self.attribution.citation_date(citation.date), "citation"
            if self.event_day and _days_after(self.event_day, date) in range(EVENT_NEWS_DAYS):
                # news of the article's one day, within days of it: it counts that day
                date, date_kind = self.event_day, "event"
            places = find_places(headline)
            if _title_cased(headline):
                places = [self._headline_place(p) for p in places]
            previous_party = ""
            for q in quantities:
                if q.low is None and q.high is None:
                    continue
                reading = sentence.read(q, previous_party=previous_party)
                if reading is None:
                    continue
                previous_party = reading.party or previous_party
                nearest = nearest_claimant(claimants, q, len(headline), headline)
                lead_claimant = speaker_claimant = ""
                if not nearest and lead and lead.end() <= q.start:
                    named = self.registry.lookup(lead.group("who"))
                    if named is None:
                        lead_claimant = clean_claimant(lead.group("who"))
                    elif named.key != source.key and not relayed:
                        relayed = named.key
                if not nearest and not lead_claimant and speaker and speaker.start() > q.end:
                    who = speaker.group("who")
                    named = self.registry.lookup(who)
                    if named is None:
                        speaker_claimant = who
                    elif named.key != source.key and not relayed:
                        relayed = named.key
                phrase = FigurePhrase(
                    origin="citation_title",
                    section="References",
                    field="",
                    quantity=q,
                    reading=reading,
                    quote=" ".join(headline.split()),
                    raw=(citation.title_start, citation.title_end),
                    source_basis="own",
                    citations=[citation],
                    relayed_from=relayed if relayed != source.key else "",
                )
                self.attribution.party_words(phrase, reading)
                if reading.topic in _LOSS_TOPICS:
                    phrase.add("party", "subject", subject_of_losses(headline, q.start))
                phrase.add("claimant", "nearest", nearest)
                phrase.add("claimant", "lead", lead_claimant)
                phrase.add("claimant", "speaker", speaker_claimant)
                if source.kind not in SCHOLARLY_KINDS:  # a book's year is when it came out
                    phrase.add("date", date_kind, date)
                phrase.add("place", "headline", nearest_place(places, q.end))
                self.attribution.attribute(phrase, resolve_claimant=False)

    def _headline_place(self, place: tuple[int, int, str]) -> tuple[int, int, str]:
        """A place read from a Title Case headline, where every word is capitalised, so the
        name runs on into the words after it ("in Gaza Hospital Blast"): its longest start
        the article's own text or infobox place writes, else its first word."""
        start, _, name = place
        words = name.split()
        known = self._prose.text + "\n" + self.infobox.place
        for size in range(len(words), 1, -1):
            candidate = " ".join(words[:size])
            if re.search(rf"\b{re.escape(candidate)}\b", known):
                return start, start + len(candidate), candidate
        return start, start + len(words[0]), words[0]

    # -- claims ----------------------------------------------------------------------------

    def _citation_date(self, refs: Sequence[RefMark]) -> str:
        """The date of the first dated citation among the refs (ISO, "" when none)."""
        for mark in refs:
            for citation in self.index.resolve(mark):
                if citation.date:
                    iso = self.attribution.citation_date(citation.date)
                    if iso:
                        return iso
        return ""

    def _bracketed_outlet(self, text: str, q: Quantity, starts: Sequence[int]) -> str:
        """A known outlet named in brackets after a figure, before the next one ("318 killed
        (SOHR)"): it is the figure's claimant. `starts`: where the text's figures start."""
        k = bisect.bisect_left(starts, q.end)
        limit = starts[k] if k < len(starts) else None
        after = text[q.end : limit]
        m = _BRACKETED.search(after)
        if m is None or ";" in after[: m.start()] or _WORDS_BETWEEN.search(after[: m.start()]):
            return ""
        words = m.group(1).strip()
        outlet = self.registry.lookup(words)
        if outlet is not None and outlet.known:
            return words
        # "12 (government)", "1,800 (Russian)", "(Iraqi government)": a claimant noun, a
        # nationality, or both
        label = clean_claimant(words)
        if label in claimant_nouns() or label in country_names():
            return label
        nationality, _, noun = words.strip().partition(" ")
        named = country_of(nationality) and noun.islower() and noun in claimant_nouns()
        if named:
            return label
        # "(Red Crescent)", "(Syrian Network for Human Rights)": a name of an organisation
        names = [w for w in words.split() if w.lower() not in _SMALL_WORDS]
        organisation = (
            1 < len(names) <= 8
            and all(w[:1].isupper() for w in names)
            and any(w.lower() in _organisation_words() for w in names)
        )
        return label if organisation else ""


EVENT_NEWS_DAYS = 8  # a headline of the day of events or the week after tells of them


def _days_after(day: str, date: str) -> int:
    """Whole days from `day` to `date` (both ISO days); -1 when either is not a full day."""
    try:
        return (Date.fromisoformat(date) - Date.fromisoformat(day)).days
    except ValueError:
        return -1


def _title_cased(headline: str) -> bool:
    """Every longer word of the headline is capitalised ("Hundreds Die in Gaza Blast")."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", headline) if len(w) > 3]
    return len(words) >= 3 and all(w[0].isupper() for w in words)


@dataclass(frozen=True, slots=True)
class _Line:
    """A line of an infobox field as read once: its span, its figures and its refs."""

    start: int
    end: int
    figures: list[Quantity]
    refs: list[RefMark]


def _refs_within(rendering: Rendering, positions: list[int], start: int, end: int) -> list[RefMark]:
    """The refs of a rendering between two offsets (`positions`: the refs', in text order)."""
    lo, hi = bisect.bisect_left(positions, start), bisect.bisect_right(positions, end)
    return rendering.refs[lo:hi]


def _carried_refs(lines: list[_Line]) -> list[list[RefMark]]:
    """For each line of a field, the refs that back it when it has none of its own.

    A block of lines (up to a line without figures, a heading) whose only citation is written
    after its last figure is cited by it as a whole ("187,000 personnel<br>400 tanks<ref>"):
    its uncited lines take that ref. Where the lines of a block cite their own refs, a line
    without one has none: the next line's ref is that line's.
    """
    carried: list[list[RefMark]] = [[] for _ in lines]
    block: list[int] = []
    for k in [*range(len(lines)), -1]:
        heading = k < 0 or (not lines[k].refs and not lines[k].figures)
        if not heading:
            block.append(k)
            continue
        cited = [j for j in block if lines[j].refs]
        if len(cited) == 1 and cited[0] == block[-1]:
            refs = lines[cited[0]].refs
            first = refs[0].pos
            covering = [r for r in refs if r.pos - first < 2]
            for j in block[:-1]:
                carried[j] = covering
        block = []
    return carried


def _line_label(line: str) -> str:
    """The label heading a list line ("* Syrian Army: 120 killed"): whom its figures are of."""
    bullet = _BULLET.match(line)
    header = _HEADER.match(line[bullet.end() :] if bullet else line)
    if header is None:
        return ""
    label = header.group("label").strip(" '\"")
    if len(label.split()) > 6 or _is_phase(label) or label.lower().startswith(_SAYING_LEADS):
        return ""
    probe = Sentence(f"1 {label}").read(Quantity(1, 1, "1", "exact", "", 0, 1))
    return "" if probe is not None and probe.event else label  # "Casualties:" names no one


@lru_cache(maxsize=1024)
def _heading_reading(label: str) -> tuple[str, str]:
    """The party and topic a heading of figure lines gives them: the label names the party
    ("Royal army:"), unless it says what is counted ("Civilian deaths:": civilians, killed)."""
    if not label:
        return "", ""
    probe = Sentence(f"1 {label}").read(Quantity(1, 1, "1", "exact", "", 0, 1))
    if probe is not None and probe.event:
        return (probe.party if probe.party in role_labels() else ""), probe.topic
    return label, ""


_SAYING_LEADS = ("according to", "per ", "source", "note", "see ")


def _is_phase(label: str) -> bool:
    """A label that says when or how sure rather than who ("At the start", "By 1943",
    "Confirmed", "Peak strength"): it names no party."""
    words = label.lower().replace("'", " ").split()
    if not words:
        return False
    phase = _layout().phase_words
    if words[0] in phase or " ".join(words[:2]) in phase or _YEAR_IN_TITLE.search(label):
        return True
    if is_month_label(label):
        return True  # "July:", "Late March:"
    return any(m.month for m in find_dates(label))  # "12 July", "On 5 March"


def _is_speaker(words: str) -> bool:
    """Whether a headline's lead ("Defense Ministry: ...", "Putin: ...") names who speaks: a
    proper name in title case or a claimant noun, and not merely a country or place."""
    label = clean_claimant(words)
    if not label or label in country_names() or label.lower() in _headline_tags():
        return False
    if label.lower() in claimant_nouns():
        return True
    return all(word[:1].isupper() for word in words.split())


@cache
def _headline_tags() -> frozenset[str]:
    return lowered_set(load_data("claimants.toml").get("headline_tags"))


_SMALL_WORDS = frozenset({"of", "the", "and", "for", "in", "de", "al", "el"})


def _column_label(value: Wikicode) -> str:
    """The first line of a combatant column: its label, or its first party."""
    lines = [ln.strip(" *#:;'") for ln in plain_lines(value)]
    return next((ln for ln in lines if ln and any(c.isalpha() for c in ln)), "")


_LISTED = re.compile(r"\s*[^\W\d]*\s*(?:,|and|,\s*and)\s*")  # " dead and ", ", "
_LOSS_TOPICS = frozenset({"killed", "injured", "casualties", "detained", "missing"})


def _bracket_date(text: str, pos: int, default_year: int | None) -> str:
    """The date in brackets after a figure ("18,000 Saxons (1631)"), by its period's end (a
    tally counts all of it); "" when none follows."""
    found = bracketed_date_after(text, pos, default_year)
    return found.last if found is not None else ""


@cache
def _organisation_words() -> frozenset[str]:
    return lowered_set(load_data("claimants.toml").get("organisation_words", []))


def plain_lines(value: Wikicode) -> list[str]:
    return [" ".join(line.split()) for line in render(value, skip_infobox=False).text.split("\n")]


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """Lines of an infobox value, bullets left out."""
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        bullet = _BULLET.match(line)
        offset = bullet.end() if bullet else 0
        if line[offset:].strip():
            yield line_start + offset, line_start + len(line)


def _nearest_date(events: list[DateMention], q: Quantity, hints: YearHints) -> str:
    """The date of the sentence that dates the figure: the last of its event dates (in
    reading order) before it, else the first after it."""
    if not events:
        return ""
    k = bisect.bisect_right(events, q.start, key=lambda m: m.start)
    return date_iso(events[k - 1] if k else events[0], hints)


def _year_before(mentions: Sequence[DateMention], pos: int) -> int | None:
    """The year of the last mention before `pos` that writes one (mentions in reading order)."""
    k = bisect.bisect_right(mentions, pos, key=lambda m: m.start)
    return next((m.year for m in reversed(mentions[:k]) if m.year is not None), None)


_LINK_MARKUP = re.compile(r"[\[\]{}<>'&]")  # a link text that needs reading as wikitext


def _named_links(code: Wikicode) -> list[tuple[str, str]]:
    """The article's wiki links that show a text of their own, as (target, text), files and
    categories left out."""
    found: list[tuple[str, str]] = []
    for link in wikilinks(code):
        if link.text is None:
            continue
        target = wikitext(link.title).strip()
        if not target or ":" in target.split("#")[0][:12]:
            continue  # File:, Image:, Category:
        shown = wikitext(link.text)
        text = (plain(shown) if _LINK_MARKUP.search(shown) else " ".join(shown.split())).strip()
        if text:
            found.append((target.split("#")[0], text))
    return found


def _chapters(sections: Sequence[SectionMark]) -> list[int]:
    """For each section, the index of the top-level section it stands in (itself for one)."""
    top = min((s.level for s in sections), default=2)
    chapters: list[int] = []
    current = -1
    for k, mark in enumerate(sections):
        if mark.level <= top or current < 0:
            current = k
        chapters.append(current)
    return chapters


def _iso_key(iso: str) -> tuple[int, str]:
    """An ISO date ("-0047-08-09", "1944-09") as a key that orders years BC too."""
    year, _, rest = iso.lstrip("-").partition("-")
    number = int(year) if year.isdigit() else 0
    return (-number if iso.startswith("-") else number, rest)


def _within(iso: str, period: tuple[str, str]) -> bool:
    """Whether a date lies in a period, each end compared at its own precision ("1944",
    "1944-09-15")."""
    start, end = period
    if not start or not iso:
        return False

    def cut(day: str, like: str) -> str:
        parts = day.lstrip("-").split("-")[: len(like.lstrip("-").split("-"))]
        return ("-" if day.startswith("-") else "") + "-".join(parts)

    if _iso_key(cut(iso, start)) < _iso_key(start):
        return False
    return not end or _iso_key(cut(iso, end)) <= _iso_key(end)


def _date_in(text: str, default_year: int | None) -> str:
    mentions = find_dates(text)
    return mentions[0].iso(default_year) if mentions else ""


def _first_place(text: str) -> str:
    return text.split(",")[0].split("\n")[0].strip() if text else ""


def _default_year(box_date: str, title: str, citations: list[Citation]) -> int | None:
    """The year a day-and-month date belongs to: the infobox's, the title's, else the citations'."""
    written = [m.year for m in find_dates(box_date or "") if m.year is not None]
    if written:  # "2 September 31 BC", "27 July 1214"
        return written[-1]
    for text in (box_date, title):
        m = _YEAR_IN_TITLE.search(text or "")
        if m:
            return int(m.group(1))
    years: dict[int, int] = {}
    for citation in citations:
        m = _YEAR_IN_TITLE.search(citation.date)
        if m:
            years[int(m.group(1))] = years.get(int(m.group(1)), 0) + 1
    return max(years, key=lambda y: years[y]) if years else None


_BOLD = re.compile(r"'''(.+?)'''")


def _lead_title(text: str) -> str:
    """The first bold phrase of the lead, which names the article's subject by convention."""
    m = _BOLD.search(text[:20000])
    return plain(m.group(1)) if m else ""


# -- reading files -------------------------------------------------------------------------


def check_article_text(text: str, name: str) -> None:
    """Refuse text that cannot be a wikitext article, naming the input and the problem."""
    if not isinstance(text, str):
        raise ArticleError(name, f"expected text, got {type(text).__name__}")
    if not text.strip():
        raise ArticleError(name, "is empty")
    if len(text) > MAX_ARTICLE_BYTES:
        raise ArticleError(
            name, f"is too large ({len(text):,} characters; the limit is {MAX_ARTICLE_BYTES:,})"
        )
    if "\x00" in text[:65536]:
        raise ArticleError(name, "is a binary file, not wikitext")
    head = text[:2048].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")):
        raise ArticleError(
            name, "is an HTML page, not wikitext (save the page's source via ?action=raw)"
        )
    if head.startswith("<mediawiki") or (head.startswith("<?xml") and "<mediawiki" in head):
        raise ArticleError(name, "is a MediaWiki XML dump; use `claims ingest` to read dumps")
    if head.startswith(("{", "[")) and _is_json(text):
        raise ArticleError(name, "is JSON, not wikitext")
    controls = len(_CONTROL.findall(text, 0, 65536))
    if controls > max(8, len(text[:65536]) // 100):
        raise ArticleError(name, "is a binary file, not wikitext")


def _is_json(text: str) -> bool:
    """A JSON document: an object, or a list holding a value other than empty lists ("[[]]"
    is also a wiki link with no target)."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):  # brackets nested too deep are not a document
        return False
    while isinstance(value, list) and len(value) == 1 and isinstance(value[0], list):
        value = value[0]
    return isinstance(value, dict) or (isinstance(value, list) and value != [] and value != [[]])


def decode_article(data: bytes, name: str) -> str:
    """Wikitext from bytes: UTF-8 only (a BOM is allowed), with a clear error otherwise."""
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleError(
            name, f"is too large ({len(data):,} bytes; the limit is {MAX_ARTICLE_BYTES:,})"
        )
    if not data.strip():
        raise ArticleError(name, "is empty")
    if b"\x00" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ArticleError(name, "is a binary file, not wikitext")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ArticleError(name, "is UTF-16 text; save it as UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(
            name, f"is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    check_article_text(text, name)
    return text


def read_article(path: str | Path) -> str:
    """The text of an article file, checked (see `decode_article`)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ArticleError(
                str(path), f"is too large ({size:,} bytes; the limit is {MAX_ARTICLE_BYTES:,})"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(str(path), exc.strerror or str(exc)) from None
    return decode_article(data, str(path))


STDIN = "-"
"""The path that names standard input."""
STDIN_NAME = "<stdin>"
"""How standard input is named in problems and in the store's `path`."""


def read_stdin(stream: BinaryIO | None = None) -> str:
    """One article read from standard input (or `stream`), checked like a file.

    A MediaWiki XML export is refused with a pointer to `claims ingest`, which reads dumps.
    """
    from claims.dumps import SNIFF_BYTES, dump_kind

    source = stream if stream is not None else sys.stdin.buffer
    data = source.read(MAX_ARTICLE_BYTES + 1)
    if dump_kind(data[:SNIFF_BYTES]):
        raise ArticleError(STDIN_NAME, "is a MediaWiki XML dump; `claims ingest -` reads dumps")
    return decode_article(data, STDIN_NAME)


def article_files(paths: Iterable[str | Path]) -> Iterator[Path | ArticleProblem]:
    """Files named, and article files inside folders named (sorted); problems for missing paths."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
            )
            if not found:
                yield ArticleProblem(
                    str(path), "holds no article files (" + ", ".join(ARTICLE_SUFFIXES) + ")"
                )
            yield from found
        elif path.is_file():
            yield path
        else:
            yield ArticleProblem(str(path), "no such file or folder")


def load_paths(
    paths: Iterable[str | Path], *, article_timeout: float | None = None
) -> ExtractionResult:
    """Extract every article file of `paths`; a bad file is recorded and the others still read.

    The path "-" reads one article from standard input. An article whose extraction takes
    longer than `article_timeout` seconds (None or 0: no limit) is skipped, as a problem.
    """
    from claims.budget import check_timeout

    timeout = check_timeout(article_timeout)
    result = ExtractionResult()
    for raw in paths:
        if str(raw) == STDIN:
            _load_into(result, STDIN_NAME, read_stdin, "stdin", timeout)
            continue
        for item in article_files([raw]):
            if isinstance(item, ArticleProblem):
                result.problems.append(item)
                continue
            _load_into(result, str(item), lambda item=item: read_article(item), item.stem, timeout)
    return result


def _load_into(
    result: ExtractionResult,
    name: str,
    read: Callable[[], str],
    default_title: str,
    timeout: float | None = None,
) -> None:
    from claims.budget import ArticleTimeout, time_budget, timeout_problem

    try:
        text = read()
        with time_budget(timeout):
            extraction = extract(text, None, path=name, default_title=default_title)
    except ArticleTimeout:
        result.problems.append(ArticleProblem(name, timeout_problem(timeout or 0)))
        return
    except ArticleError as exc:
        result.problems.append(ArticleProblem(name, exc.problem))
        return
    except Exception as exc:  # one odd file is its own failure, the others are still read
        reason = " ".join(str(exc).split())[:200]
        problem = f"could not be extracted ({type(exc).__name__}: {reason})"
        result.problems.append(ArticleProblem(name, problem))
        return
    result.articles.append(extraction.title)
    result.claims.extend(extraction.claims)
    result.problems.extend(ArticleProblem(name, w, fatal=False) for w in extraction.warnings)


__all__ = [
    "MAX_ARTICLE_BYTES",
    "Extraction",
    "check_article_text",
    "decode_article",
    "extract",
    "extract_article",
    "load_paths",
    "read_article",
    "read_stdin",
]
