"""A page per group (`/group/<id>`), per claim (`/claim/<id>`) and per source
(`/source/<name>`), the "changed recently" view (`/changes`), and their data.

A group's page puts its claims side by side with their quotes, cited headlines, links to the
citation, its archive and the article's section, and the rules that decided each pair. A
claim's page gives its quote, its citation, its group and, when a drift table is loaded, how
its figure changed across the article's revisions. A source's page lists the groups it speaks
to, what it said and what the others said, and how often it agrees or conflicts with them.
`group_data`, `claim_data` and `source_data` are the same content as tables, for the pages'
`.csv` and `.json` addresses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

import pandas as pd
from dash import dcc, html

from claims.findings import NO_CITATION, Finding, finding_for
from claims.model import CLAIM_CSV_COLUMNS
from dashboard.callbacks.common import topic_labels
from dashboard.data import Snapshot
from dashboard.disputes import claim_href, group_href, kept_apart, source_href, strip

GROUP_PATH = re.compile(r"^/group/(?P<id>[0-9A-Za-z_-]{1,64})/?$")
CLAIM_PATH = re.compile(r"^/claim/(?P<id>[0-9A-Za-z_-]{1,64})/?$")
CHANGES_PATH = re.compile(r"^/changes/?$")
SOURCE_PATH = re.compile(r"^/source/(?P<name>[^/]{1,600})/?$")
SAFE_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
MAX_PAGE_ROWS = 500  # rows of a page's tables; its CSV holds every row
PAIR_FIELDS = ("source_a", "source_b", "verdict", "rules", "why", "claim_a", "claim_b")
WIKI = "https://en.wikipedia.org/wiki/"


class PageNotFound(LookupError):
    """An address naming no group or source of the store (shown as one line on the page)."""


@dataclass(frozen=True)
class PageData:
    """What one page shows, as tables: its claims, its pairs, and a summary mapping."""

    kind: str  # "group", "claim" or "source"
    key: str
    summary: dict[str, Any]
    claims: pd.DataFrame
    pairs: pd.DataFrame
    finding: Finding | None = None  # a group's finding, as its page draws it


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def page_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """A page's claims in the one layout of every claims table (CLAIM_CSV_COLUMNS)."""
    return claims.reindex(columns=list(CLAIM_CSV_COLUMNS)).reset_index(drop=True)


def group_data(snapshot: Snapshot, group_id: str) -> PageData:
    """The group `group_id` of the snapshot; PageNotFound when there is none."""
    comparison = snapshot.comparison
    finding = finding_for(comparison, group_id, topic_labels=topic_labels())
    if finding is None:
        raise PageNotFound(f"no group {group_id!r} in the store")
    claims = snapshot.claims[snapshot.claims["group_id"] == group_id]
    pairs = comparison.pairs[comparison.pairs["group_id"] == group_id]
    groups = comparison.groups
    row = groups[groups["group_id"] == group_id].iloc[0]
    summary = finding.as_dict() | {
        "part_of": _text(row.get("part_of")),
        "other_articles": _text(row.get("other_articles")),
        "independent_sources": _text(row.get("independent_sources")),
    }
    return PageData("group", group_id, summary, page_claims(claims), _pair_table(pairs), finding)


def claim_data(snapshot: Snapshot, claim_id: str, history: pd.DataFrame | None = None) -> PageData:
    """The claim `claim_id` of the snapshot (one row of the claims layout) and its figure's
    history (`summary["history"]`: the steps of `claims.history.claim_steps`, oldest first;
    empty without a drift table); PageNotFound when there is no such claim."""
    from claims.history import STEP_COLUMNS, claim_steps

    claims = snapshot.claims
    own = claims[claims["claim_id"].astype(str) == claim_id].head(1)
    if own.empty:
        raise PageNotFound(f"no claim {claim_id!r} in the store")
    row = page_claims(own)
    record = own.iloc[0].to_dict()
    steps = (
        claim_steps(history, record)
        if history is not None
        else pd.DataFrame(columns=list(STEP_COLUMNS))
    )
    group_id = _text(record.get("group_id"))
    pairs = snapshot.comparison.pairs
    mine = pairs[(pairs["claim_a"] == claim_id) | (pairs["claim_b"] == claim_id)]
    summary = {
        "claim_id": claim_id,
        "article": _text(record.get("article")),
        "figure": _text(record.get("value_text")),
        "topic": _text(record.get("topic")),
        "party": _text(record.get("party")),
        "source": _text(record.get("source")) or NO_CITATION,
        "group_id": group_id,
        "verdict": _text(record.get("verdict")),
        "history": steps,
    }
    return PageData("claim", claim_id, summary, row, _pair_table(mine))


def resolve_source(snapshot: Snapshot, name: str) -> str:
    """The store's name for `name` (case-insensitive); PageNotFound when no claim has it."""
    sources = snapshot.claims["source"].astype(str).replace("", NO_CITATION)
    known = {s.casefold(): s for s in sources.unique()}
    found = known.get(name.casefold())
    if found is None:
        raise PageNotFound(f"no source named {name[:80]!r} in the store")
    return found


def source_data(snapshot: Snapshot, name: str) -> PageData:
    """Everything the source `name` says (any case), and how it stands to the others."""
    source = resolve_source(snapshot, name)
    claims = snapshot.claims
    stored = "" if source == NO_CITATION else source
    own = claims[claims["source"].astype(str) == stored]
    pairs = snapshot.comparison.pairs
    theirs = pairs[(pairs["source_a"] == stored) | (pairs["source_b"] == stored)]
    verdicts = theirs["verdict"].astype(str).value_counts().to_dict()
    first = own.iloc[0] if not own.empty else pd.Series(dtype=object)
    summary = {
        "source": source,
        "outlet": _text(first.get("source_name")),
        "kind": _text(first.get("source_kind")),
        "claims": len(own),
        "groups": int(own["group_id"].nunique()),
        "articles": int(own["article"].nunique()),
        "pairs": {str(k): int(v) for k, v in verdicts.items()},
    }
    return PageData("source", source, summary, page_claims(own), _pair_table(theirs))


def _pair_table(pairs: pd.DataFrame) -> pd.DataFrame:
    return pairs.reindex(columns=["group_id", *PAIR_FIELDS]).reset_index(drop=True)


# -- the pages ---------------------------------------------------------------------------


def route(pathname: object) -> tuple[str, str] | None:
    """("group", id), ("claim", id), ("source", name) or ("changes", "") for a page's path;
    None for the main view."""
    if not isinstance(pathname, str) or pathname in ("", "/"):
        return None
    if match := GROUP_PATH.match(pathname):
        return "group", match["id"]
    if match := CLAIM_PATH.match(pathname):
        return "claim", match["id"]
    if CHANGES_PATH.match(pathname):
        return "changes", ""
    if match := SOURCE_PATH.match(pathname):
        return "source", unquote(match["name"])
    return "unknown", pathname[:80]


def render_page(
    snapshot: Snapshot,
    pathname: object,
    history: pd.DataFrame | None = None,
    search: object = "",
) -> html.Div | None:
    """The page for `pathname`, or None for the main view; a group's and a claim's page show
    how their figures changed when a drift table (`history`) is loaded, and `/changes` lists
    its latest changes under the query string `search` (`dashboard.changes`)."""
    where = route(pathname)
    if where is None:
        return None
    kind, key = where
    try:
        if kind == "group":
            return group_page(snapshot, key, history)
        if kind == "claim":
            return claim_page(snapshot, key, history)
        if kind == "changes":
            from dashboard.changes import changes_page

            return changes_page(snapshot, history, search)
        if kind == "source":
            return source_page(snapshot, key)
        raise PageNotFound(f"no page at {key!r}")
    except PageNotFound as exc:
        return html.Div(
            [
                _back(),
                html.H2("Not found"),
                html.P(f"{exc}. It may have been replaced by a newer version of its article."),
            ],
            className="panel page",
        )


def _back() -> dcc.Link:
    return dcc.Link("← All disputes and charts", href="/", className="back-link")


def _link(url: object, label: str) -> html.A | str:
    if isinstance(url, str) and SAFE_URL.match(url):
        return html.A(label, href=url, target="_blank", rel="noopener noreferrer nofollow")
    return ""


def _data_links(path: str) -> html.P:
    return html.P(
        [
            "This page's data: ",
            html.A("CSV", href=f"{path}.csv", className="data-link"),
            " · ",
            html.A("JSON", href=f"{path}.json", className="data-link"),
        ],
        className="finding-meta",
    )


def _section_link(article: str, section: str) -> html.A | str:
    if not article:
        return ""
    anchor = f"#{quote(section.replace(' ', '_'))}" if section else ""
    label = f"{article} § {section}" if section else article
    return html.A(
        label,
        href=f"{WIKI}{quote(article.replace(' ', '_'))}{anchor}",
        target="_blank",
        rel="noopener noreferrer nofollow",
    )


def claim_table(claims: pd.DataFrame, *, link_sources: bool = True, link_groups: bool = False):
    """The claims of a page as a table: source, figure, range, context, quote and links."""
    head = ["Source", "Figure as written", "Party", "Date", "Claimant", "Quote", "Cited", "Where"]
    if link_groups:
        head.insert(0, "Group")
    body = []
    for row in claims.head(MAX_PAGE_ROWS).to_dict("records"):
        source = _text(row.get("source")) or NO_CITATION
        cells: list[Any] = [
            dcc.Link(source, href=source_href(source)) if link_sources else source,
            html.Span(
                [
                    _claim_link(row),
                    html.Br(),
                    html.Span(
                        _range(row.get("value_low"), row.get("value_high")), className="meta"
                    ),
                ]
            ),
            _text(row.get("party")),
            _text(row.get("date")) or "undated",
            _text(row.get("claimant")),
            html.Blockquote(_text(row.get("quote"))),
            html.Span(
                [
                    html.Span(_text(row.get("citation_title")), className="cited-title"),
                    " ",
                    _link(row.get("citation_url"), "cited article"),
                    " ",
                    _link(row.get("archive_url"), "archive"),
                ]
            ),
            _section_link(_text(row.get("article")), _text(row.get("section"))),
        ]
        if link_groups:
            gid = _text(row.get("group_id"))
            cells.insert(
                0,
                html.Span(
                    [
                        dcc.Link(gid, href=group_href(gid)) if gid else "",
                        html.Br(),
                        html.Span(
                            _text(row.get("verdict")).replace("_", " "),
                            className=f"badge verdict-{_text(row.get('verdict')) or 'single'}",
                        ),
                    ]
                ),
            )
        body.append(html.Tr([html.Td(c) for c in cells], id=f"claim-{_text(row.get('claim_id'))}"))
    more = len(claims) - MAX_PAGE_ROWS
    table = html.Table(
        [html.Thead(html.Tr([html.Th(h, scope="col") for h in head])), html.Tbody(body)],
        className="page-table",
    )
    note = [html.P(f"and {more:,} more in the CSV.", className="notice")] if more > 0 else []
    return html.Div([table, *note], className="table-scroll")


def _claim_link(row: dict[str, Any]) -> Any:
    """The figure as written, linked to its claim's page (when the claim has an id)."""
    figure = html.Strong(_text(row.get("value_text")))
    claim_id = _text(row.get("claim_id"))
    if not CLAIM_ID.match(claim_id):
        return figure
    return dcc.Link(figure, href=claim_href(claim_id), className="claim-link")


CLAIM_ID = re.compile(r"^[0-9A-Za-z_-]{1,64}$")


def _range(low: object, high: object) -> str:
    def fmt(v: object) -> str:
        return "open" if v is None or pd.isna(v) else f"{float(v):,.0f}"

    a, b = fmt(low), fmt(high)
    return f"range {a}" if a == b else f"range {a} to {b}"


def pair_list(pairs: pd.DataFrame) -> html.Div:
    """Each judged pair: who against whom, the verdict, and the rules with their reasons."""
    if pairs.empty:
        return html.P("No pair of sources was judged in this group.", className="notice")
    items = [
        html.Li(
            [
                html.Span(_text(p["verdict"]).replace("_", " "),
                          className=f"badge verdict-{_text(p['verdict']) or 'single'}"),
                " ",
                html.Strong(f"{_text(p['source_a']) or NO_CITATION} vs "
                            f"{_text(p['source_b']) or NO_CITATION}"),
                ": ",
                html.Code(_text(p["rules"])),
                " ",
                _text(p["why"]),
            ]
        )
        for p in pairs.head(MAX_PAGE_ROWS).to_dict("records")
    ]  # fmt: skip
    return html.Ul(items, className="pairs")


MAX_HISTORY_LINKS = 40  # revisions listed under a group's history chart


def history_section(claims: pd.DataFrame, history: pd.DataFrame | None) -> list[Any]:
    """A group's history: a step chart of its figures across revisions and a link to each
    revision that changed them; nothing when no drift table follows them."""
    if history is None:
        return []
    from claims.history import figure_steps

    return steps_section(figure_steps(history, claims), "group-history")


def steps_section(
    steps: pd.DataFrame, graph_id: str, heading: str = "How these figures changed"
) -> list[Any]:
    """A step chart of `steps` (`claims.history.STEP_COLUMNS`) and a link to each revision
    that changed them, newest first (`<graph_id>-revisions`); nothing when there are none."""
    from dashboard.figures import history_steps

    if steps.empty:
        return []
    latest = steps.sort_values("timestamp", ascending=False, kind="stable")
    links = [
        html.Li(
            [
                _link(row["url"], f"revision {row['revision']}")
                or f"revision {row['revision'] or row['timestamp']}",
                f" ({_text(row['timestamp'])[:10]}): {_text(row['detail'])}",
                html.Span(f" — {row['comment']}", className="finding-meta")
                if _text(row["comment"])
                else "",
            ]
        )
        for row in latest.head(MAX_HISTORY_LINKS).to_dict("records")
    ]
    return [
        html.H3(heading),
        dcc.Graph(
            figure=history_steps(steps),
            id=graph_id,
            config={"displaylogo": False, "responsive": True},
        ),
        html.Ul(links, className="history-revisions", id=f"{graph_id}-revisions"),
    ]


def group_page(snapshot: Snapshot, group_id: str, history: pd.DataFrame | None = None) -> html.Div:
    data = group_data(snapshot, group_id)
    s, finding = data.summary, data.finding
    assert finding is not None  # group_data found it
    relations = []
    if s["part_of"]:
        relations.append(
            html.P(["A part of ", dcc.Link("its whole", href=group_href(s["part_of"])), "."])
        )
    if finding.parts:
        relations.append(
            html.Div(
                [
                    html.H3("Parts of this figure"),
                    html.Ul(
                        [
                            html.Li(
                                [dcc.Link(p.title, href=group_href(p.group_id)), f": {p.figures}"]
                            )
                            for p in finding.parts
                        ]
                    ),
                ]
            )
        )
    if finding.sum_check:
        relations.append(html.P(finding.sum_check, className="sum-check"))
    return html.Div(
        [
            _back(),
            html.Div(
                [
                    html.Span(finding.verdict_words, className=f"badge verdict-{finding.verdict}"),
                    html.H2(finding.title, className="finding-title"),
                ],
                className="finding-head",
            ),
            html.P(finding.sentence, className="finding-sentence"),
            *kept_apart(finding),
            strip(finding.marks),
            html.H3("Why"),
            html.P(finding.why or "One source's figure: nothing to compare.", className="why"),
            html.P(
                f"Rules that decided its pairs: {finding.rules}." if finding.rules else "",
                className="finding-meta",
            ),
            *relations,
            html.H3("The claims side by side"),
            claim_table(data.claims),
            html.H3("Each pair of sources"),
            pair_list(data.pairs),
            *history_section(data.claims, history),
            _data_links(group_href(group_id)),
        ],
        className="panel page group-page",
        id="group-page",
    )


def claim_page(snapshot: Snapshot, claim_id: str, history: pd.DataFrame | None = None) -> html.Div:
    """One claim: its figure, quote and citation, its place in the article, its group and
    pairs, and (with a drift table) how its figure changed across revisions."""
    data = claim_data(snapshot, claim_id, history)
    s = data.summary
    row = data.claims.iloc[0].to_dict()
    about = " · ".join(
        part
        for part in (
            s["party"],
            _text(row.get("date")) or "undated",
            f"claimed by {_text(row.get('claimant'))}" if _text(row.get("claimant")) else "",
        )
        if part
    )
    title = _text(row.get("citation_title"))
    cited = [
        f"Cited: “{title}” " if title else "",
        _link(row.get("citation_url"), "cited article"),
        " · " if _link(row.get("archive_url"), "") else "",
        _link(row.get("archive_url"), "archive"),
    ]
    group = (
        [
            "In ",
            dcc.Link("its group", href=group_href(s["group_id"])),
            " ",
            html.Span(
                s["verdict"].replace("_", " ") or "single",
                className=f"badge verdict-{s['verdict'] or 'single'}",
            ),
            ".",
        ]
        if s["group_id"]
        else ["In no group."]
    )
    history_part = steps_section(s["history"], "claim-history", "How this figure changed")
    if history is not None and not history_part:
        history_part = [
            html.H3("How this figure changed"),
            html.P("The drift table loaded does not follow this figure.", className="notice"),
        ]
    return html.Div(
        [
            _back(),
            html.H2([html.Strong(s["figure"]), f" {s['topic']}".rstrip()], className="claim-title"),
            html.P(about, className="finding-sentence"),
            html.Blockquote(_text(row.get("quote")), className="claim-quote"),
            html.P(
                [
                    "Source: ",
                    dcc.Link(s["source"], href=source_href(s["source"])),
                    f" ({_text(row.get('source_name'))})"
                    if _text(row.get("source_name")) not in ("", s["source"])
                    else "",
                    ". ",
                    *cited,
                    "." if title or _link(row.get("citation_url"), "") else "",
                ],
                className="claim-citation",
            ),
            html.P(
                [
                    "Where: ",
                    _section_link(s["article"], _text(row.get("section"))) or "unknown",
                    f" ({_text(row.get('origin'))})" if _text(row.get("origin")) else "",
                ],
                className="finding-meta",
            ),
            html.P(group, className="finding-meta"),
            html.H3("Its pairs with other sources"),
            pair_list(data.pairs),
            *history_part,
            _data_links(claim_href(claim_id)),
        ],
        className="panel page claim-page",
        id="claim-page",
    )


def source_page(snapshot: Snapshot, name: str) -> html.Div:
    data = source_data(snapshot, name)
    s = data.summary
    pairs = s["pairs"]
    stance = ", ".join(f"{n:,} {verdict.replace('_', ' ')}" for verdict, n in pairs.items())
    facts = " · ".join(
        part
        for part in (
            s["outlet"] if s["outlet"] and s["outlet"] != s["source"] else "",
            f"kind: {s['kind']}" if s["kind"] else "",
            f"{s['claims']:,} claims in {s['groups']:,} groups of {s['articles']:,} articles",
        )
        if part
    )
    return html.Div(
        [
            _back(),
            html.H2(s["source"]),
            html.P(facts, className="finding-sentence"),
            html.P(
                f"Its figures against other sources' for the same thing: {stance}."
                if stance
                else "No other source gave a figure for the same things.",
                className="notice",
            ),
            html.H3("Its claims"),
            claim_table(data.claims, link_sources=False, link_groups=True),
            html.H3("Its pairs with other sources"),
            pair_list(data.pairs),
            _data_links(source_href(s["source"])),
        ],
        className="panel page source-page",
        id="source-page",
    )
