"""Where the sources disagree: one row per disputed group, every source's figure labelled.

Each finding (`claims.findings`) is drawn as a row: its title (what is counted, of whom, in
which scope, when and where) linking to the group's page, the sentence stating the finding,
and one line per source, the outlet and the figure as written beside a mark (an exact figure)
or a bar (a range) on the row's own scale from zero. An open figure ("more than 30") is a bar
running off the scale's end with an arrow. The parts counted inside the group follow it.
Everything is HTML text, so the rows read the same to a screen reader, at 390 px and in print.
"""

from __future__ import annotations

import math
from urllib.parse import quote

from dash import dcc, html

from claims.findings import Finding, Mark

SCALE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


def nice_top(value: float) -> float:
    """The round number a scale ends at: the smallest 1, 2, 2.5 or 5 × 10^k at least `value`."""
    if not math.isfinite(value) or value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in SCALE_STEPS:
        if step * power >= value * (1 - 1e-12):
            return step * power
    return 10 * power


def format_number(value: float) -> str:
    """A scale's tick as written in full ("1,000,000", "2.5"), never "1M" or "1e6"."""
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:,.1f}"


def scale_of(marks: tuple[Mark, ...] | list[Mark]) -> float:
    """The top of the scale of a row: a round number above its largest known figure."""
    known = [v for m in marks for v in (m.low, m.high) if v is not None]
    return nice_top(max(known)) if known else 1.0


def _percent(value: float, top: float) -> float:
    return max(0.0, min(100.0, 100.0 * value / top))


def mark_shape(mark: Mark, top: float) -> html.Span:
    """The mark of one figure on a scale from 0 to `top`."""
    low, high = mark.low, mark.high
    title = f"{mark.label}"
    if low is None and high is None:
        return html.Span("no interval", className="strip-none")
    if low is not None and high is not None and high <= low:
        return html.Span(
            className="strip-dot", style={"left": f"{_percent(low, top):.2f}%"}, title=title
        )
    start = _percent(low, top) if low is not None else 0.0
    end = _percent(high, top) if high is not None else 100.0
    classes = "strip-bar"
    if high is None:
        classes += " open-high"
    if low is None:
        classes += " open-low"
    return html.Span(
        className=classes,
        style={"left": f"{start:.2f}%", "width": f"{max(end - start, 0.8):.2f}%"},
        title=title,
    )


def strip(marks: tuple[Mark, ...] | list[Mark], more: int = 0, group_id: str = "") -> html.Div:
    """The labelled figures of one group on one scale: a line per figure, and the scale."""
    top = scale_of(marks)
    lines = [
        html.Div(
            [
                html.Span(
                    [html.Span(mark.source, className="strip-source"), " ",
                     html.Span(mark.text, className="strip-figure")],
                    className="strip-label",
                ),
                html.Span(mark_shape(mark, top), className="strip-track"),
            ],
            className="strip-line",
            title=mark.quote[:300],
        )
        for mark in marks
    ]  # fmt: skip
    ticks = [0.0, top / 2, top]
    axis = html.Span(
        [
            html.Span(format_number(tick), className=f"strip-tick tick-{i}")
            for i, tick in enumerate(ticks)
        ],
        className="strip-track strip-axis",
    )
    scale = html.Div(
        [html.Span("", className="strip-label"), axis],
        className="strip-line strip-scale",
        **{"aria-hidden": "true"},
    )
    extra = []
    if more and group_id:
        extra = [
            dcc.Link(
                f"and {more} more figure{'s' if more != 1 else ''} on the group's page",
                href=group_href(group_id),
                className="strip-more",
            )
        ]
    return html.Div([*lines, scale, *extra], className="strip")


def group_href(group_id: str) -> str:
    return f"/group/{quote(group_id, safe='')}"


def claim_href(claim_id: str) -> str:
    return f"/claim/{quote(claim_id, safe='')}"


def source_href(source: str) -> str:
    return f"/source/{quote(source, safe='')}"


def kept_apart(finding: Finding) -> list[html.Ul]:
    """The sentences of the figures set apart from a group on purpose, as a list (or nothing)."""
    if not finding.kept_apart:
        return []
    items = [html.Li(text) for text in finding.kept_apart]
    if finding.more_kept_apart:
        items.append(html.Li(f"and {finding.more_kept_apart:,} more set apart", className="hint"))
    return [html.Ul(items, className="kept-apart", **{"aria-label": "Figures set apart"})]


def finding_row(finding: Finding, *, heading: str = "h3") -> html.Article:
    """One finding: title linking to its group, its sentence, labelled figures, parts, rules."""
    title_tag = getattr(html, heading.capitalize())
    body: list = [
        html.Div(
            [
                html.Span(finding.verdict_words, className=f"badge verdict-{finding.verdict}"),
                title_tag(
                    dcc.Link(finding.title, href=group_href(finding.group_id)),
                    className="finding-title",
                ),
            ],
            className="finding-head",
        ),
        html.P(finding.sentence, className="finding-sentence"),
        *kept_apart(finding),
        strip(finding.marks, finding.more_marks, finding.group_id),
    ]
    if finding.parts or finding.sum_check:
        items = [
            html.Li([dcc.Link(part.title, href=group_href(part.group_id)), f": {part.figures}"])
            for part in finding.parts
        ]
        body.append(
            html.Div(
                [html.Span("Parts of this figure", className="finding-parts-head")]
                + ([html.Ul(items)] if items else [])
                + ([html.P(finding.sum_check, className="sum-check")] if finding.sum_check else []),
                className="finding-parts",
            )
        )
    meta = [finding.article]
    if finding.rules:
        meta.append(f"decided by {finding.rules}")
    body.append(html.P(" · ".join(m for m in meta if m), className="finding-meta"))
    return html.Article(
        body,
        className=f"finding verdict-row-{finding.verdict}",
        id=f"finding-{finding.group_id}",
    )


def findings_list(findings: list[Finding], total: int, verdicts: dict[str, int]) -> list:
    """The rows of the disputes panel, or what to do when there are none.

    `total` is the number of groups with two or more independent sources in view, `verdicts`
    their count by verdict; `findings` the first of them.
    """
    if not findings:
        return [
            html.P(
                "No group in this view has figures from two independent sources. Clear some "
                "filters, or add an article whose sources disagree.",
                className="notice",
            )
        ]
    counted = ", ".join(
        f"{n:,} {verdict.replace('_', ' ')}" for verdict, n in verdicts.items() if n
    )
    head = (
        f"{total:,} group{'s' if total != 1 else ''} with figures from two or more independent "
        f"sources ({counted}); showing {len(findings):,}, conflicts first and the widest gap "
        "first. Each row has its own scale from zero."
    )
    return [html.P(head, className="notice", id="disputes-summary")] + [
        finding_row(f) for f in findings
    ]
