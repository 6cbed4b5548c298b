"""Extraction accuracy on the hand-labelled probe articles, and extraction time per article.

    python benchmarks/bench_accuracy.py [--article SLUG] [--verbose] [--runs N]

Reads `tests/probes/labels.toml`, extracts each labelled article with the current library and
matches every labelled figure to the extracted claims of its article: a claim matches when its
quote contains the label's quote (or, for a short field or cell quote, the label's quote
contains the claim's), after whitespace normalisation and ignoring case, and its value interval
equals the label's (each end within 0.5; an open end equals `inf`). Among the matching claims
the one agreeing with the label on the most facts is kept.

It prints, per article and in total: the figures labelled, the share found (a claim matches),
and among the found ones the share with the right topic, party (strict: the same canonical
party; lenient: one contains the other), date (equal, or the claim's date starts with the
label's) and source (equal, ignoring case); then the numbers labelled as no figure (years,
calibres, unit names...) that were emitted as claims anyway; then the time of one extraction
against mwparserfromhell's parse alone on the same text (median of N runs each).
`--verbose` lists every label with no match and every mismatch, label against claim.
"""

from __future__ import annotations

import argparse
import math
import re
import statistics
import sys
import time
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import mwparserfromhell

from claims.extract import extract

PROBES = Path(__file__).resolve().parent.parent / "tests" / "probes"
FACTS = ("topic", "party", "party_lenient", "date", "source")
SHORT_QUOTE = 60  # a claim quote this short (a field or a cell) may sit inside the label's


@dataclass
class Label:
    article: str
    quote: str
    value: str
    low: float
    high: float
    topic: str = ""
    party: str = ""
    date: str = ""
    source: str = ""
    counted: str = ""
    not_a_figure: bool = False
    note: str = ""


@dataclass
class Outcome:
    label: Label
    claim: object | None = None
    agree: dict[str, bool] = field(default_factory=dict)


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip().casefold()


def canonical_party(name: str, aliases: dict[str, str]) -> str:
    key = normalise(name)
    key = re.sub(r"^the ", "", key)
    return aliases.get(key, key)


def party_aliases() -> dict[str, str]:
    """Each other name of a party (`claims/data/parties.toml` [aliases], [country_names]) mapped
    to its main name."""
    try:
        from claims.knowledge import load_data

        parties = load_data("parties.toml")
    except Exception:  # the data file or its loader may change; the benchmark still runs
        return {}
    # other names of a party, and the names of a country's states of one period ("Nazi
    # Germany", "Kingdom of Italy"), which one article's registry knows as one party
    data = {**parties.get("aliases", {}), **parties.get("country_names", {})}
    aliases: dict[str, str] = {}
    for main, others in data.items():
        for other in others:
            aliases.setdefault(normalise(other), normalise(main))
    return aliases


def load_labels(path: Path) -> list[Label]:
    with path.open("rb") as handle:
        rows = tomllib.load(handle).get("figure", [])
    known = set(Label.__dataclass_fields__)
    return [Label(**{k: v for k, v in row.items() if k in known}) for row in rows]


def interval(claim: object) -> tuple[float, float]:
    low = getattr(claim, "value_low", None)
    high = getattr(claim, "value_high", None)
    return (-math.inf if low is None else float(low), math.inf if high is None else float(high))


def same_end(a: float, b: float) -> bool:
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= 0.5


def quote_matches(label: Label, claim: object) -> bool:
    wanted = normalise(label.quote)
    got = normalise(getattr(claim, "quote", ""))
    if not wanted or not got:
        return False
    return wanted in got or (len(got) <= SHORT_QUOTE and got in wanted)


def matches(label: Label, claim: object) -> bool:
    low, high = interval(claim)
    return (
        same_end(low, float(label.low))
        and same_end(high, float(label.high))
        and quote_matches(label, claim)
    )


def agreement(label: Label, claim: object, aliases: dict[str, str]) -> dict[str, bool]:
    want_party = canonical_party(label.party, aliases)
    got_party = canonical_party(getattr(claim, "party", ""), aliases)
    lenient = want_party == got_party or bool(
        want_party and got_party and (want_party in got_party or got_party in want_party)
    )
    got_date = getattr(claim, "date", "") or ""
    return {
        "topic": normalise(getattr(claim, "topic", "")) == normalise(label.topic),
        "party": want_party == got_party,
        "party_lenient": lenient,
        "date": got_date == label.date or got_date.startswith(label.date),
        "source": normalise(getattr(claim, "source", "")) == normalise(label.source),
    }


def judge(
    labels: Iterable[Label], claims: Sequence[object], aliases: dict[str, str]
) -> list[Outcome]:
    outcomes = []
    for label in labels:
        candidates = [c for c in claims if matches(label, c)]
        if not candidates:
            outcomes.append(Outcome(label))
            continue
        scored = [(agreement(label, c, aliases), c) for c in candidates]
        best, claim = max(scored, key=lambda pair: sum(pair[0].values()))
        outcomes.append(Outcome(label, claim, best))
    return outcomes


def median_seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def share(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.0f}%" if whole else "    -"


def summary_row(name: str, outcomes: list[Outcome]) -> str:
    figures = [o for o in outcomes if not o.label.not_a_figure]
    found = [o for o in figures if o.claim is not None]
    cells = [
        f"{name[:34]:34}",
        f"{len(figures):8d}",
        f"{len(found):6d} {share(len(found), len(figures))}",
    ]
    for fact in FACTS:
        right = sum(1 for o in found if o.agree.get(fact))
        cells.append(share(right, len(found)))
    noise = [o for o in outcomes if o.label.not_a_figure]
    wrong = sum(1 for o in noise if o.claim is not None)
    cells.append(f"{wrong:3d}/{len(noise):<3d}")
    return " ".join(cells)


def describe(claim: object) -> str:
    extra = []
    for name in ("counted", "party_text", "source_basis", "claimant", "field", "origin"):
        value = getattr(claim, name, "")
        if value:
            extra.append(f"{name}={value!r}")
    return (
        f"topic={getattr(claim, 'topic', '')!r} party={getattr(claim, 'party', '')!r} "
        f"date={getattr(claim, 'date', '')!r} source={getattr(claim, 'source', '')!r} "
        + " ".join(extra)
    )


def print_details(outcomes: list[Outcome]) -> None:
    for o in outcomes:
        label = o.label
        where = f"[{label.article}] {label.value!r} in {label.quote!r}"
        if label.not_a_figure:
            if o.claim is not None:
                print(f"  EMITTED (not a figure) {where}\n      claim: {describe(o.claim)}")
            continue
        if o.claim is None:
            print(f"  MISSED {where}")
            continue
        wrong = [f for f in FACTS if f != "party_lenient" and not o.agree.get(f)]
        if wrong:
            print(f"  WRONG {', '.join(wrong)}: {where}")
            print(
                f"      label: topic={label.topic!r} party={label.party!r} "
                f"date={label.date!r} source={label.source!r}"
            )
            print(f"      claim: {describe(o.claim)}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--article", help="only this probe (file name without .wiki)")
    parser.add_argument("--verbose", action="store_true", help="list each miss and mismatch")
    parser.add_argument("--runs", type=int, default=5, help="timing runs per article")
    parser.add_argument("--labels", type=Path, default=PROBES / "labels.toml")
    args = parser.parse_args(argv)

    labels = load_labels(args.labels)
    if args.article:
        labels = [label for label in labels if label.article == args.article]
        if not labels:
            print(f"no labels for article {args.article!r}", file=sys.stderr)
            return 2
    articles = sorted({label.article for label in labels})
    aliases = party_aliases()

    outcomes: dict[str, list[Outcome]] = {}
    timings: list[tuple[str, int, int, float, float]] = []
    for slug in articles:
        path = args.labels.parent / f"{slug}.wiki"
        text = path.read_text(encoding="utf-8")
        claims = extract(text).claims
        outcomes[slug] = judge([lb for lb in labels if lb.article == slug], claims, aliases)
        parse_s = median_seconds(lambda text=text: mwparserfromhell.parse(text), args.runs)
        extract_s = median_seconds(lambda text=text: extract(text), args.runs)
        timings.append((slug, len(text.encode()), len(claims), parse_s, extract_s))

    header = (
        f"{'article':34} {'labelled':>8} {'found':>12} {'topic':>6} {'party':>6} "
        f"{'p.len.':>6} {'date':>6} {'source':>6} {'no-fig':>7}"
    )
    print("accuracy among found figures (party strict, then lenient); no-fig = emitted/labelled")
    print(header)
    print("-" * len(header))
    everything: list[Outcome] = []
    for slug in articles:
        print(summary_row(slug, outcomes[slug]))
        everything.extend(outcomes[slug])
    print("-" * len(header))
    print(summary_row("all", everything))

    print()
    print(f"extraction time, median of {args.runs} runs")
    timing_header = (
        f"{'article':34} {'KB':>5} {'claims':>6} {'parse ms':>9} {'extract ms':>10} {'ratio':>6}"
    )
    print(timing_header)
    print("-" * len(timing_header))
    for slug, size, count, parse_s, extract_s in timings:
        ratio = extract_s / parse_s if parse_s else float("nan")
        print(
            f"{slug[:34]:34} {size / 1024:5.0f} {count:6d} {parse_s * 1000:9.1f} "
            f"{extract_s * 1000:10.1f} {ratio:6.2f}"
        )

    if args.verbose:
        print()
        print("misses and mismatches")
        print_details(everything)
    return 0


if __name__ == "__main__":
    sys.exit(main())
