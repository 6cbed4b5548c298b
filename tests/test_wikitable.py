"""Tables read into grids: spans spread out, headers and captions told apart, bounded work."""

from __future__ import annotations

import time

from claims.extract import extract_article
from claims.parse import parse, plain, render
from claims.wikitable import (
    MAX_CELLS,
    MAX_SPAN,
    _has_figure,
    _names_a_unit,
    _span,
    read_grid,
    refs_after_table,
    table_figures,
)


def grid_of(text: str):
    rendering = render(parse(text), skip_tables=True)
    (mark,) = rendering.tables
    return read_grid(mark.node, mark.start)


def texts(grid) -> list[list[str]]:
    return [[plain(cell.contents) if cell else "" for cell in row] for row in grid.rows]


def test_rowspan_and_colspan_put_cells_under_their_columns() -> None:
    grid = grid_of(
        '{|\n|+ Caption\n|-\n! rowspan=2 | Side !! colspan="2" | Losses\n|-\n'
        "! Killed !! Wounded\n|-\n| A || 1 || 2\n|-\n| rowspan=2 | B || 3 || 4\n|-\n| 5 || 6\n|}"
    )
    assert plain(grid.caption.contents) == "Caption"
    assert grid.header_rows == 2
    assert texts(grid) == [
        ["Side", "Losses", "Losses"],
        ["Side", "Killed", "Wounded"],
        ["A", "1", "2"],
        ["B", "3", "4"],
        ["B", "5", "6"],
    ]


def test_html_table_and_first_row_without_row_marker() -> None:
    grid = grid_of("<table><tr><th>X</th><td>1</td></tr><tr><td colspan=2>y</td></tr></table>")
    assert texts(grid) == [["X", "1"], ["y", "y"]]
    assert grid.header_rows == 0
    implicit = grid_of("{|\n! A !! B\n|-\n| 1 || 2\n|}")
    assert texts(implicit) == [["A", "B"], ["1", "2"]]
    assert implicit.header_rows == 1


def test_hostile_spans_are_bounded() -> None:
    rows = "\n|-\n".join("| rowspan=99999999 colspan=99999999 | 5 killed" for _ in range(300))
    started = time.perf_counter()
    grid = grid_of("{|\n" + rows + "\n|}")
    assert sum(len(row) for row in grid.rows) <= MAX_CELLS + 50
    assert time.perf_counter() - started < 5


def test_prose_leaves_tables_to_the_table_reader() -> None:
    text = (
        "Before the table, 3 soldiers were killed.\n"
        '{| class="wikitable"\n! Side !! Killed\n|-\n| Rebels || 40\n|}\n'
        "After it, 7 civilians died."
    )
    rendering = render(parse(text), skip_tables=True)
    assert "Rebels" not in rendering.text and "40" not in rendering.text
    by_origin = sorted((c.origin, c.value_low) for c in extract_article(text, "Battle"))
    assert by_origin == [("prose", 3), ("prose", 7), ("table", 40)]


def test_a_table_without_figures_or_labels_gives_nothing() -> None:
    text = "{|\n| [[File:Map.png|200px]] || Map of the area\n|-\n| 2016 || 2017\n|}"
    assert extract_article(text, "Battle") == []


def test_cell_offsets_point_at_their_contents_in_the_article() -> None:
    text = (
        "Intro.\n{| class=wikitable\n|+ Cap\n! a !! b\n|- style=x\n| <b>1</b> || rowspan=2 | 2\n"
        "|-\n| '''3'''<ref>{{cite web|title=t}}</ref>\n|}\n<table class=x><tr><th>h</th></tr>"
        "<tr><td>4</td><td colspan=2>5</td></tr></table> end"
    )
    rendering = render(parse(text), skip_tables=True)
    assert len(rendering.tables) == 2
    checked = 0
    for mark in rendering.tables:
        grid = read_grid(mark.node, mark.start)
        for row in grid.rows:
            for cell in row:
                if cell is not None:
                    body = str(cell.contents)
                    assert text[cell.start : cell.start + len(body)] == body
                    checked += 1
    assert checked >= 9


def test_span_values_are_read_as_browsers_read_them() -> None:
    spans = {"²": 1, "abc": 1, "0": 1, "-2": 1, "2px": 2, " 3": 3, "+2": 2, "٣": 1, "9" * 9: 50}
    cells = " || ".join(f'rowspan="{value}" | {k}' for k, value in enumerate(spans))
    grid = grid_of("{|\n| " + cells + "\n|}")
    assert texts(grid)[0] == [str(k) for k in range(len(spans))]
    table = parse("{|\n| " + cells + "\n|}").nodes[0]
    found = [_span(node, "rowspan") for node in table.contents.filter_tags() if node.tag == "td"]
    assert found == list(spans.values())
    assert max(found) == MAX_SPAN


def test_rowspan_across_rows_with_an_empty_row_between() -> None:
    grid = grid_of(
        "{|\n! Side !! Phase !! Killed\n|-\n| rowspan=3 | A || 1st || 4\n|-\n|-\n| 2nd || 5\n"
        "|-\n| 3rd || 6\n|-\n| B || 1st || 7\n|}"
    )
    assert texts(grid) == [
        ["Side", "Phase", "Killed"],
        ["A", "1st", "4"],
        ["A", "2nd", "5"],
        ["A", "3rd", "6"],
        ["B", "1st", "7"],
    ]


def test_numbers_of_names_are_not_figures_of_a_label() -> None:
    assert _has_figure("12 killed") and _has_figure("Killed 14") and _has_figure("Soldiers 40")
    for label in ("Flight 17", "Task Force 88", "Boeing 737", "Company 7", "Hill 303 (north)"):
        assert not _has_figure(label), label
    assert _names_a_unit("3rd Battalion") and _names_a_unit("Task Force 88")
    assert not _names_a_unit("3rd day") and not _names_a_unit("Hamas 40")


def _figures_of(text: str) -> list[tuple[str, str, list[str]]]:
    rendering = render(parse(text), skip_tables=True)
    out = []
    for number, mark in enumerate(rendering.tables, start=1):
        figures = table_figures(
            mark.node,
            mark.start,
            number=number,
            figure_fields=(("killed", "killed"),),
            default_year=None,
            footer=refs_after_table(rendering, mark),
        )
        out.extend((f.quantity.text, f.source_basis, [r.name for r in f.refs]) for f in figures)
    return out


def test_source_basis_says_where_the_refs_of_a_figure_sit() -> None:
    text = (
        '{|\n! Side !! Killed !!\n|-\n| A || 14<ref name="own"/> || <ref name="row"/>\n'
        '|-\n| B || 6 || <ref name="row2"/>\n|-\n| C || 2 ||\n|}\n'
        'Source: Ministry of Health<ref name="after"/>\n\nLater text<ref name="later"/>.\n'
        '{|\n! Side !! Killed\n|-\n| D || 3\n|}\n\nAn unrelated sentence<ref name="no"/>.'
    )
    assert _figures_of(text) == [
        ("14", "own", ["own"]),
        ("6", "row", ["row2"]),
        ("2", "table", ["after"]),
        ("3", "none", []),
    ]


def test_a_source_line_after_a_table_does_not_reach_across_another_table() -> None:
    text = (
        "{|\n! Side !! Killed\n|-\n| A || 5\n|}\n\n{|\n! Side !! Killed\n|-\n| B || 7\n|}\n"
        'Sources:<ref name="second"/>'
    )
    assert _figures_of(text) == [("5", "none", []), ("7", "table", ["second"])]
