"""Tables of an article: grids of cells, and the figures their cells hold.

A wikitable (`{| ... |}`) or an HTML `<table>` is read into rows of cells, with `rowspan` and
`colspan` spread out so that every row has its cells under the right column: a cell spanning
two rows appears in both, a cell spanning two columns under both. Header cells (`!`, `<th>`)
are told apart from data cells; the leading rows made only of header cells are the table's
header. The caption (`|+`, `<caption>`) is kept apart.

A figure in a cell takes its topic from its own words, else from its column's header
("Killed", "Tanks lost"), else from its row's label (a table turned on its side); its party
from its own words, the row's label or party column ("Ukraine", "Civilians"), or the column's
header. Date and place come from the row's date and place columns; citations from the cell
("own"), else the refs the row writes outside its figures: label, source column, a column
with no header ("row"), else the column's header, the caption, a footer row or a source line
right after the table ("table"). Column kinds live in `claims/data/tables.toml`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from mwparserfromhell.nodes import Tag
from mwparserfromhell.wikicode import Wikicode

from claims.context import (
    clean_claimant,
    find_claimants,
    find_places,
    nearest_claimant,
    nearest_place,
    trailing_claimant,
)
from claims.dates import find_dates, is_event_date, period_of
from claims.knowledge import load_data, lowered_set
from claims.model import Quantity
from claims.parse import (
    RefMark,
    Rendering,
    TableMark,
    parse,
    refs_after,
    render,
    tag_attr,
    tag_contents_start,
)
from claims.quantities import find_quantities
from claims.topics import COUNTS_OF_PEOPLE, Sentence

MAX_NESTING = 4  # tables inside table cells read this deep
MAX_PARTY_WORDS = 6  # a longer row or column label describes rather than names a party

MAX_SPAN = 50  # larger rowspan/colspan values are read as this (a broken or hostile table)
MAX_CELLS = 20_000  # cells of one table read at most
MAX_FOOTER_BREAKS = 3  # a source line after a table: on the next line, or after one blank line


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell as written: its contents and where they start in the article."""

    contents: Wikicode
    start: int
    header: bool


@dataclass(slots=True)
class Grid:
    """A table's cells by row and column, spans spread out; None where a row is short."""

    caption: Cell | None
    rows: list[list[Cell | None]] = field(default_factory=list)
    header_rows: int = 0

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)


_SPAN_VALUE = re.compile(r"\s*\+?([0-9]{1,6})")


def _span(node: Tag, name: str) -> int:
    """A cell's rowspan or colspan as browsers read it: the ASCII digits it starts with ("2",
    "2px"); none ("abc", "²"), zero or a negative number count as 1."""
    match = _SPAN_VALUE.match(tag_attr(node, name))
    return max(1, min(MAX_SPAN, int(match.group(1)))) if match else 1


def _cells_of(contents: Wikicode, start: int) -> tuple[list[tuple[Tag, int]], int]:
    """The cell tags directly inside a row, with their offsets; and where the contents end."""
    out: list[tuple[Tag, int]] = []
    pos = start
    for node in contents.nodes:
        size = len(str(node))
        if isinstance(node, Tag) and str(node.tag).strip().lower() in ("td", "th"):
            out.append((node, pos))
        pos += size
    return out, pos


def _closing_length(node: Tag) -> int:
    if node.self_closing:
        return 0
    if node.wiki_markup:
        return len(node.closing_wiki_markup or "")
    return 3 + len(str(node.closing_tag))  # "</tr>"


def _cell(node: Tag, start: int) -> Cell | None:
    if node.contents is None or node.self_closing:
        return None
    return Cell(node.contents, tag_contents_start(node, start), str(node.tag).lower() == "th")


def read_grid(table: Tag, start: int) -> Grid:
    """The grid of a table tag whose markup starts at `start` in the article."""
    caption: Cell | None = None
    raw_rows: list[list[tuple[Tag, int]]] = []
    implicit: list[tuple[Tag, int]] = []
    if table.contents is None:
        return Grid(None)
    pos = tag_contents_start(table, start)
    for node in table.contents.nodes:
        tag = str(node.tag).strip().lower() if isinstance(node, Tag) else ""
        if tag == "tr" and node.contents is not None and not node.self_closing:
            # a row's length is read off its cells: turning it to text again costs as much
            row, contents_end = _cells_of(node.contents, tag_contents_start(node, pos))
            if row or not node.wiki_markup:  # MediaWiki drops a "|-" row without cells
                raw_rows.append(row)
            pos = contents_end + _closing_length(node)
            continue
        whole = str(node)
        if isinstance(node, Tag):
            if tag == "caption" and caption is None:
                caption = _cell(node, pos)
            elif tag in ("td", "th"):
                contents = str(node.contents or "")
                if node.wiki_markup == "|" and contents.startswith("+") and caption is None:
                    # "|+ caption": the parser reads it as a cell whose text starts with "+"
                    cell = _cell(node, pos)
                    if cell is not None:
                        caption = Cell(parse(contents[1:]), cell.start + 1, False)
                else:
                    implicit.append((node, pos))
        pos += len(whole)
    if implicit:
        raw_rows.insert(0, implicit)
    grid = Grid(caption)
    pending: dict[int, tuple[Cell | None, int]] = {}  # column -> (cell, rows still to fill)
    budget = MAX_CELLS
    for raw in raw_rows:
        row: list[Cell | None] = []
        cells = iter(raw)
        while budget > 0:
            col = len(row)
            if col in pending:
                cell, left = pending[col]
                row.append(cell)
                if left > 1:
                    pending[col] = (cell, left - 1)
                else:
                    del pending[col]
                budget -= 1
                continue
            item = next(cells, None)
            if item is None:
                break
            node, node_start = item
            cell = _cell(node, node_start)
            rowspan, colspan = _span(node, "rowspan"), _span(node, "colspan")
            for _ in range(colspan):
                if rowspan > 1:
                    pending[len(row)] = (cell, rowspan - 1)
                row.append(cell)
                budget -= 1
        while pending and max(pending) >= len(row) and budget > 0:  # spans past the last cell
            col = len(row)
            cell, left = pending.pop(col, (None, 0))
            row.append(cell)
            if left > 1:
                pending[col] = (cell, left - 1)
            budget -= 1
        grid.rows.append(row)
        if budget <= 0:
            break
    for row in grid.rows:
        if row and all(cell is not None and cell.header for cell in row):
            grid.header_rows += 1
        else:
            break
    return grid


# -- figures -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TableFigure:
    """One figure of a table cell, read with its row and column."""

    quantity: Quantity
    topic: str
    party: str
    refs: list[RefMark]
    claimant: str
    date: str
    date_basis: str
    place: str
    quote: str
    raw: tuple[int, int]
    field: str
    source_basis: str = "none"  # own | row | table | none: where the refs backing it sit


@dataclass(frozen=True, slots=True)
class _Kinds:
    date: frozenset[str]
    place: frozenset[str]
    party: frozenset[str]
    source: frozenset[str]
    skip: frozenset[str]
    total: frozenset[str]
    empty: frozenset[str]
    name_words: frozenset[str]
    footer_words: frozenset[str]


@cache
def _kinds() -> _Kinds:
    data = load_data("tables.toml")
    return _Kinds(
        date=lowered_set(data["date_columns"]),
        place=lowered_set(data["place_columns"]),
        party=lowered_set(data["party_columns"]),
        source=lowered_set(data["source_columns"]),
        skip=lowered_set(data["skip_columns"]),
        total=lowered_set(data["total_labels"]),
        empty=lowered_set(data.get("empty_cells", [])),
        name_words=lowered_set(data.get("name_words", [])),
        footer_words=lowered_set(data.get("footer_words", [])),
    )


def _key(label: str) -> str:
    return " ".join(label.replace("_", " ").lower().split()).strip(" :.*")


def _column_kind(label: str) -> str:
    key = _key(label)
    kinds = _kinds()
    for kind in ("date", "place", "party", "source", "skip"):
        if key in getattr(kinds, kind):
            return kind
    return ""


@dataclass(frozen=True, slots=True)
class _Label:
    """What a row or column label says: a topic (strong when an event or thing is named,
    weak when only people are), a party, a claimant, whether it stands for a total."""

    topic: str = ""
    strong: bool = False
    party: str = ""
    claimant: str = ""
    total: bool = False


@lru_cache(maxsize=8192)  # labels repeat within an article; a dump holds millions
def _label(text: str, figure_fields: tuple[tuple[str, str], ...]) -> _Label:
    key = _key(text)
    if not key:
        return _Label()
    if key in _kinds().total:
        return _Label(total=True)
    mentions = find_claimants(text)
    claimant = mentions[0].label if mentions else ""
    probe = f"1 {text}"
    reading = Sentence(probe).read(Quantity(1, 1, "1", "exact", "", 0, 1))
    fields = dict(figure_fields)
    if key in fields:
        return _Label(fields[key], True, reading.party if reading else "", claimant)
    if reading is None or reading.topic == "other":
        named = not claimant and (
            not any(ch.isdigit() for ch in text) or _names_a_unit(text)  # "3rd Battalion"
        )
        party = text.strip() if named and len(text.split()) <= MAX_PARTY_WORDS else ""
        return _Label(party=party, claimant=claimant)
    strong = bool(reading.event) or reading.noun_class not in ("", *COUNTS_OF_PEOPLE)
    party = reading.party or (text.strip() if _names_a_unit(text) else "")  # "3rd Battalion"
    return _Label(reading.topic, strong, party, claimant)


_DIGITS = re.compile(r"\b(\d+)(st|nd|rd|th)?\b", re.I)


def _names_a_unit(text: str) -> bool:
    """Whether a label names a unit, a flight or a model by its number ("3rd Battalion",
    "Task Force 88", "Flight 17"): each of its numbers is an ordinal or follows a word of
    such names."""
    numbers = list(_DIGITS.finditer(text))
    if not numbers:
        return False
    words = _kinds().name_words
    for number in numbers:
        if number.group(2):  # an ordinal: the label must name a unit with it
            if not any(word in words for word in _key(text[number.end() :]).split()[:4]):
                return False
        elif not _named_at(text, number.start(), number.end()):
            return False
    return True


def _stacked_label(parts: list[str], figure_fields: tuple[tuple[str, str], ...]) -> _Label:
    """The label of a column under several header rows: the lowest row naming an event or a
    thing gives the topic ("Losses" over "Killed" is killed, "Killed" over "Soldiers" too),
    else the lowest naming any; the others give the party and claimant."""
    labels = [_label(part, figure_fields) for part in parts]
    topical = next(
        (lab for lab in reversed(labels) if lab.topic and lab.strong),
        next((lab for lab in reversed(labels) if lab.topic), _Label()),
    )
    # the other labels name whom: "Killed" over "Soldiers" counts soldiers killed
    party = " ".join(
        lab.party for lab in labels if lab.party and lab is not topical and not lab.strong
    )
    claimant = next((lab.claimant for lab in labels if lab.claimant), "")
    total = any(lab.total for lab in labels)
    return _Label(
        topical.topic, topical.strong, party or topical.party, claimant or topical.claimant, total
    )


class _Cells:
    """Plain text of each cell, rendered once (nested tables left out and kept)."""

    def __init__(self) -> None:
        self._done: dict[int, Rendering] = {}

    def __call__(self, cell: Cell | None) -> Rendering | None:
        if cell is None:
            return None
        key = id(cell)
        if key not in self._done:
            self._done[key] = render(
                cell.contents, cell.start, skip_infobox=False, skip_tables=True
            )
        return self._done[key]

    def text(self, cell: Cell | None) -> str:
        rendering = self(cell)
        return " ".join(rendering.text.split()) if rendering is not None else ""


def _may_label(text: str, cell: Cell, column: _Label | None) -> bool:
    """Whether a cell can label its row: words, not a placeholder ("?", "N/A", "unknown"),
    and a header cell or one under a column that counts nothing ("Killed: ?" is no label)."""
    if sum(ch.isalpha() for ch in text) < 2 or _key(text) in _kinds().empty:
        return False
    return cell.header or column is None or not column.topic


def _figures(text: str) -> list[Quantity]:
    """The figures of a cell's text, leaving out the numbers that are part of a name."""
    found = [q for q in find_quantities(text) if q.low is not None or q.high is not None]
    if found and any(ch.isupper() for ch in text):
        found = [q for q in found if not _is_name_number(text, q)]
    return found


def _has_figure(text: str) -> bool:
    return bool(_figures(text))


NAME_REACH = 120  # characters before a number searched for the name it is part of
_NAME_BEFORE = re.compile(r"(?:^|[\s(\[])((?:[A-Z][\w.'’-]*\s+){0,2}[A-Z][\w.'’-]*)[\s-]*$")
_NAME_AFTER = re.compile(r"\s*(?:$|[,;:)\]/–—]|\(|[A-Z])")


def _is_name_number(text: str, q: Quantity) -> bool:
    """Whether a number is part of the name of a unit, a flight, a route or a model: written
    bare right after a word that names such things ("Flight 17", "Task Force 88", "Boeing
    737", "Company 7"), with nothing but a capitalised word or a bracket after it."""
    if q.qualifier != "exact" or not q.text.strip().isdigit():
        return False
    return _named_at(text, q.start, q.end)


def _named_at(text: str, start: int, end: int) -> bool:
    # the name is the three words at most before the number: read no further back
    before = _NAME_BEFORE.search(text, max(0, start - NAME_REACH), start)
    if before is None or not _NAME_AFTER.match(text, end):
        return False
    words = before.group(1).lower().split()
    names = _kinds().name_words
    return any(" ".join(words[k:]) in names for k in range(len(words)))


def _date_of(text: str, default_year: int | None) -> str:
    for mention in find_dates(text):
        iso = mention.iso(default_year)
        if iso:
            return iso
    year = re.fullmatch(r"\s*((?:1[5-9]|20)\d\d)\s*", text)
    return year.group(1) if year else ""


def _row_date_of(text: str, default_year: int | None) -> tuple[str, bool]:
    """A date cell's date, and whether it spans a period ("Oct 2016 – Jul 2017"): a period
    is dated by its end, as an infobox total is, and its figures count the whole of it."""
    start, end = period_of(text, default_year)
    if start and end and start != end:
        return end, True
    return _date_of(text, default_year), False


def table_figures(
    table: Tag,
    start: int,
    *,
    number: int,
    figure_fields: tuple[tuple[str, str], ...],
    default_year: int | None,
    default_date: str = "",
    default_place: str = "",
    footer: Sequence[RefMark] = (),
    depth: int = 0,
) -> Iterator[TableFigure]:
    """Every figure of a table (and of tables nested in its cells).

    `footer` holds the refs of a source line written right after the table
    (`refs_after_table`); with the caption's and the refs of rows after the last figure
    ("Source: ...<ref>"), they back the figures whose row cites nothing.
    """
    grid = read_grid(table, start)
    if not grid.rows:
        return
    cells = _Cells()
    header_rows = grid.header_rows
    if not header_rows and len(grid.rows) > 1:
        first = [cells.text(cell) for cell in grid.rows[0]]
        if any(first) and not any(_has_figure(t) for t in first):
            header_rows = 1  # a first row of labels written as plain cells
    width = grid.width
    col_parts: list[list[str]] = [[] for _ in range(width)]
    col_refs: list[list[RefMark]] = [[] for _ in range(width)]
    for row in grid.rows[:header_rows]:
        for c, cell in enumerate(row):
            text = cells.text(cell)
            if text and text not in col_parts[c]:
                col_parts[c].append(text)
                rendering = cells(cell)
                if rendering is not None:
                    col_refs[c].extend(rendering.refs)
    col_names = [" ".join(parts) for parts in col_parts]
    col_kind = [_column_kind(parts[-1]) if parts else "" for parts in col_parts]
    col_label = [_stacked_label(parts, figure_fields) for parts in col_parts]
    caption = cells(grid.caption)
    caption_text = " ".join(caption.text.split()) if caption is not None else ""
    caption_refs = caption.refs if caption is not None else []
    row_refs_of = [_row_refs(row, col_kind, cells) for row in grid.rows]
    last = max(
        (
            r
            for r in range(header_rows, len(grid.rows))
            if _row_has_figure(grid.rows[r], col_kind, cells)
        ),
        default=len(grid.rows) - 1,
    )
    # a table dated as a whole, by its caption or a footer row ("Latest update: 12 November
    # 2020"): its figures count up to that day
    footer_text = " ".join(
        dict.fromkeys(cells.text(cell) for row in grid.rows[last + 1 :] for cell in row if cell)
    )
    footer_date = _date_of(footer_text, default_year)
    as_of = _date_of(caption_text, default_year) or (footer_date if len(footer_date) >= 7 else "")
    table_date = as_of or default_date
    table_refs = [
        *caption_refs,
        *(ref for refs in row_refs_of[last + 1 :] for ref in refs),  # a footer row
        *footer,
    ]
    seen: set[int] = set()
    for r in range(header_rows, len(grid.rows)):
        row = grid.rows[r]
        row_date, row_place, row_party, row_refs = "", "", "", row_refs_of[r]
        row_period, row_claimant = False, ""
        label_col, label_text, names = -1, "", []
        figures_from = len(row)
        for c, cell in enumerate(row):
            if cell is None:
                continue
            text = cells.text(cell)
            kind = col_kind[c] if c < width else ""
            rendering = cells(cell)
            if kind == "date":
                if not row_date:
                    row_date, row_period = _row_date_of(text, default_year)
            elif kind == "place":
                row_place = row_place or text
            elif kind == "party" and not _has_figure(text):  # "Total: 3,350" spans over it
                names.append(text)
                if not row_party and _key(text) not in _kinds().total:
                    row_party = text
            elif kind == "source" and rendering is not None:
                if text and not any(ch.isdigit() for ch in text):
                    row_claimant = row_claimant or clean_claimant(text)  # "Iraqi government"
            elif kind != "skip" and text and c < figures_from:
                if _has_figure(text) and not cell.header:
                    figures_from = c  # a row's label comes before its figures
                elif label_col < 0 and _may_label(text, cell, col_label[c] if c < width else None):
                    label_col, label_text = c, text
                    names.append(text)
        row_label = _label(label_text, figure_fields) if label_text else _Label()
        # a date under another header ("First case") in a table dated as a whole dates that
        # column's event, not the row's figures
        other_event = bool(as_of and label_col < width and col_parts[label_col])
        if label_text and not (row_label.topic or row_label.party or row_label.total):
            row_date = row_date or ("" if other_event else _date_of(label_text, default_year))
        row_name = " ".join(dict.fromkeys(names))
        for c, cell in enumerate(row):
            if cell is None or c == label_col or (c < width and col_kind[c]) or id(cell) in seen:
                continue
            seen.add(id(cell))
            rendering = cells(cell)
            if rendering is None:
                continue
            if depth < MAX_NESTING:
                for k, nested in enumerate(rendering.tables):
                    yield from table_figures(
                        nested.node,
                        nested.start,
                        number=number * 100 + k + 1,
                        figure_fields=figure_fields,
                        default_year=default_year,
                        default_date=row_date or table_date,
                        default_place=row_place or default_place,
                        depth=depth + 1,
                    )
            column = col_label[c] if c < width else _Label()
            yield from _cell_figures(
                rendering,
                column=column,
                column_name=col_names[c] if c < width else "",
                row=replace(row_label, claimant=row_label.claimant or row_claimant),
                row_name=row_name,
                row_party=row_party,
                refs=(row_refs, col_refs[c] if c < width else [], table_refs),
                date=row_date,
                table_date=table_date,
                period=row_period,
                place=row_place or default_place,
                default_year=default_year,
                field=f"table {number}, row {r - header_rows + 1}, column {c + 1}",
            )


def _row_refs(row: list[Cell | None], col_kind: list[str], cells: _Cells) -> list[RefMark]:
    """The refs a row writes outside its figures: in its label, its date, place, party or
    source columns, or a column with no header and no figure (`| 14 || 6.1 || <ref/>`).
    They back every figure of the row that has no ref of its own."""
    refs: list[RefMark] = []
    done: set[int] = set()
    for c, cell in enumerate(row):
        if cell is None or id(cell) in done:
            continue
        done.add(id(cell))
        rendering = cells(cell)
        if rendering is None or not rendering.refs:
            continue
        kind = col_kind[c] if c < len(col_kind) else ""
        if kind or not _has_figure(cells.text(cell)):
            refs.extend(rendering.refs)
    return refs


def _row_has_figure(row: list[Cell | None], col_kind: list[str], cells: _Cells) -> bool:
    return any(
        cell is not None
        and not (c < len(col_kind) and col_kind[c])
        and _has_figure(cells.text(cell))
        for c, cell in enumerate(row)
    )


@cache
def _footer_line() -> re.Pattern[str]:
    words = "|".join(sorted((re.escape(w) for w in _kinds().footer_words), key=len, reverse=True))
    return re.compile(rf"\W*(?:{words})\b", re.I)


def refs_after_table(rendering: Rendering, mark: TableMark) -> list[RefMark]:
    """The refs of the line right after a table when it names the table's source ("Source:
    Ministry of Health<ref>...</ref>") or holds nothing but refs."""
    text = rendering.text
    start, breaks = mark.pos, 0
    while start < len(text) and text[start].isspace() and breaks <= MAX_FOOTER_BREAKS:
        breaks += text[start] == "\n"
        start += 1
    if breaks > MAX_FOOTER_BREAKS or any(mark.pos < t.pos <= start for t in rendering.tables):
        return []
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    line = text[start:end]
    refs = [ref for ref in rendering.refs if start <= ref.pos <= end]
    if refs and (not line.strip() or _footer_line().match(line)):
        return refs
    return []


def _cell_figures(
    rendering: Rendering,
    *,
    column: _Label,
    column_name: str,
    row: _Label,
    row_name: str,
    row_party: str,
    refs: tuple[list[RefMark], list[RefMark], list[RefMark]],
    date: str,
    table_date: str,
    period: bool,
    place: str,
    default_year: int | None,
    field: str,
) -> Iterator[TableFigure]:
    text = rendering.text
    quantities = _figures(text)
    if not quantities:
        return
    if column.strong:
        default = column.topic
    elif row.strong:
        default = row.topic
    else:
        default = column.topic or row.topic
    sentence = Sentence(text, quantities)
    mentions = find_claimants(text)
    ref_positions = [r.pos for r in rendering.refs]
    places = find_places(text)
    flat = " ".join(text.split())
    labels = " — ".join(part for part in (row_name, column_name) if part)
    quote = f"{labels}: {flat}" if labels else flat
    raw = rendering.raw_span(0, len(text))
    label_party = " ".join(
        part for part in (row_party or row.party, column.party) if part and not row.total
    )
    cell_dates = [d for d in find_dates(text) if is_event_date(text, d)]
    cell_date = cell_dates[0].iso(default_year) if cell_dates else ""
    for q in quantities:
        reading = sentence.read(q, default_topic=default)
        if reading is None:
            if not default:
                continue
            topic, party = default, label_party
        else:
            # the labels name whom a bare figure is about, not what a sentence in a cell counts
            topic, party = reading.topic, reading.party or ("" if reading.noun else label_party)
        cited = refs_after(rendering.refs, q.end) if rendering.refs else []
        source_basis = "own" if cited else "none"
        for fallback, level in zip(refs, ("row", "table", "table"), strict=True):
            if cited:
                break
            cited, source_basis = list(fallback), level if fallback else "none"
        claimant = (
            nearest_claimant(mentions, q, len(text), text)
            or trailing_claimant(mentions, q, ref_positions, text)
            or column.claimant
            or row.claimant
        )
        when = cell_date or date or table_date
        if cell_date:
            basis = "sentence"
        elif date:
            basis = "period" if period else "row"  # a period's figures count all of it
        else:
            basis = "table" if table_date else ""
        where = nearest_place(places, q.end, place)
        yield TableFigure(
            quantity=q,
            topic=topic,
            party=party,
            refs=cited,
            claimant=claimant,
            date=when,
            date_basis=basis,
            place=where,
            quote=quote,
            raw=raw,
            field=field,
            source_basis=source_basis,
        )
