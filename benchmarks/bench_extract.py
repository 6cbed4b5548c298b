"""Extraction time per article against mwparserfromhell's parse alone on the same text.

    python benchmarks/bench_extract.py [ARTICLE...] [--runs N] [--table-rows N] [--demo DIR]
                                       [--prose-figures N] [--sentence-figures N]
                                       [--growth-runs N] [--growth-steps N] [--no-growth]
                                       [--profile SHAPE]
                                       [--clock wall|cpu]

Prints, per article, the median of N runs of: mwparserfromhell's parse alone (the reference),
the project's own parse (`claims.parse.parse`: the same tree, built with less work per node, and
markup left open ended as MediaWiki ends it), the citation index, the plain text rendering,
and the whole extraction (which includes its own parse); then the ratio of the extraction to
mwparserfromhell's parse and the articles extracted per second. Next to the seeds and the real
articles of `--demo` it times generated articles: one cited casualty table (`--table-rows`), a
long article of cited prose and lists with claimants, dates and places (`--prose-figures`), and
one sentence listing many figures ("Alder (4), Birch (2), ..."; `--sentence-figures`).

Then it times shapes of growing size, doubling each step, and prints the time per step and the
growth per doubling (2.0 is linear, 4.0 quadratic): figures in one sentence, figures in one
list item, figures in one table cell, "according to X" clauses in one text, markup left open
(tags, comments and bracketed links that nothing closes) and references in one paragraph.

`--profile SHAPE` runs cProfile on one generated shape (prose, sentence, list, cell, clauses)
instead and prints its 25 costliest functions. `--clock cpu` times this process's CPU alone,
for a machine that other work shares.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import mwparserfromhell

from claims.citations import read_citations
from claims.extract import extract
from claims.parse import parse, render

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEMO = Path("/work/shared/seeds/demo")

# Words the generated articles are built from; indexes pick them in turn, so that every
# sentence differs from its neighbours as real prose does.
_TOWNS = (
    "Ashford Hollow", "Brenmoor", "Caldwick", "Dunharrow", "Eastmere", "Fennick", "Glasbury",
    "Harrowgate", "Ilsby", "Jarrowfield", "Kestrel Ford", "Lindmouth", "Marrowby", "Northam",
)  # fmt: skip
_FORCES = (
    "Northern Army", "Coastal Brigade", "Free Legion", "Highland Corps", "Republican Guard",
    "People's Militia", "Border Regiment", "Eastern Front", "Volunteer Battalion",
)  # fmt: skip
_CLAIMANTS = (
    "the Ministry of Defence", "the Red Crescent", "local officials", "the governor",
    "a military spokesman", "the United Nations", "the Interior Ministry", "hospital sources",
)  # fmt: skip
_OUTLETS = ("Reuters", "Associated Press", "BBC News", "Al Jazeera", "The Guardian", "TASS")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_NAMES = (
    "Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir", "Ginkgo", "Hazel", "Ironwood", "Juniper",
    "Kapok", "Larch", "Maple", "Nutmeg", "Oak", "Pine", "Quince", "Rowan", "Spruce", "Teak",
)  # fmt: skip


CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}
_clock = time.perf_counter


def median_ms(action: Callable[[object], object], argument: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = _clock()
        action(argument)
        times.append(_clock() - start)
    return statistics.median(times) * 1000


def _cite(i: int) -> str:
    outlet = _OUTLETS[i % len(_OUTLETS)]
    month = _MONTHS[i % 12]
    return (
        f"<ref>{{{{cite news|work={outlet}|title=Fighting near {_TOWNS[i % len(_TOWNS)]} "
        f"report {i}|date={1 + i % 28} {month} 2016|url=https://example.org/news/{i}}}}}</ref>"
    )


def table_article(rows: int) -> str:
    """An article whose figures sit in one wikitable: a date, a place, a count, a note."""
    lines = [
        "{{Infobox military conflict|conflict=Generated campaign|date=2016}}",
        "The campaign lasted a year.",
        "== Incidents ==",
        '{| class="wikitable"',
        "! Date !! Place !! Killed !! Notes",
    ]
    for i in range(rows):
        lines.append("|-")
        lines.append(
            f"| {1 + i % 28} March 2016 || Town{i} || {3 * i} || {i} soldiers killed and "
            f"{i + 2} wounded<ref>{{{{cite news|work=Reuters|title=Report {i}|"
            f"url=https://www.reuters.com/{i}}}}}</ref>"
        )
    lines.append("|}")
    return "\n".join(lines) + "\n"


_SENTENCES = (
    "On {day} {month} 2016, {force} troops attacked {town}, and {a} soldiers were killed and "
    "{b} wounded, according to {claimant}.{ref}",
    "{Claimant} said that {a} civilians had died in the shelling of {town} since {month}, "
    "while {b} more were missing.{ref}",
    "By {day} {month}, about {big} people had fled {town} towards {town2}, the "
    "{force} reported.{ref}",
    "The {force} claimed to have destroyed {a} tanks and {b} armoured vehicles near {town} "
    "({force2} claim).{ref}",
    "Fighting around {town} left at least {a} dead and more than {b} injured on {day} "
    "{month} 2016.{ref}",
)
_LIST_ITEMS = (
    "* {force}: {a} killed, {b} wounded, {c} captured{ref}",
    "* {town}: {big} displaced (according to {claimant}){ref}",
    "* {day} {month}: {a} soldiers and {b} civilians killed in {town}{ref}",
)


def prose_article(figures: int) -> str:
    """A long article of cited prose paragraphs and lists, about `figures` figures in all:
    sentences with claimants ("according to X", "X said"), dates and places, and lists of
    losses per force, town or day, each line with its own ref."""
    out = [
        "{{Infobox military conflict|conflict=Generated war|date=2016|place=Northam}}",
        "The generated war was fought in 2016.",
    ]
    count = i = 0
    while count < figures:
        if i % 12 == 0:
            out.append(f"\n== Phase {i // 12 + 1} ==")
        values = {
            "day": 1 + i % 28,
            "month": _MONTHS[i % 12],
            "town": _TOWNS[i % len(_TOWNS)],
            "town2": _TOWNS[(i + 5) % len(_TOWNS)],
            "force": _FORCES[i % len(_FORCES)],
            "force2": _FORCES[(i + 3) % len(_FORCES)],
            "claimant": _CLAIMANTS[i % len(_CLAIMANTS)],
            "Claimant": _CLAIMANTS[i % len(_CLAIMANTS)][:1].upper()
            + _CLAIMANTS[i % len(_CLAIMANTS)][1:],
            "a": 3 + (i * 37) % 400,
            "b": 7 + (i * 53) % 900,
            "c": 1 + (i * 11) % 60,
            "big": f"{(1 + (i * 17) % 90) * 1000:,}",
            "ref": _cite(i),
        }
        if i % 4 == 3:
            items = [_LIST_ITEMS[(i + k) % len(_LIST_ITEMS)] for k in range(4)]
            lines = []
            for k, item in enumerate(items):
                shifted = {**values, "force": _FORCES[(i + k) % len(_FORCES)], "ref": _cite(i + k)}
                shifted["town"] = _TOWNS[(i + k) % len(_TOWNS)]
                lines.append(item.format(**shifted))
                count += item.count("{a}") + item.count("{b}") + item.count("{c}")
                count += item.count("{big}")
            out.append(f"Losses reported by {values['claimant']}:")
            out.extend(lines)
        else:
            paragraph = []
            for k in range(3):
                template = _SENTENCES[(i + k) % len(_SENTENCES)]
                shifted = {**values, "ref": _cite(i * 3 + k), "a": values["a"] + k}
                shifted["town"] = _TOWNS[(i + 2 * k) % len(_TOWNS)]
                paragraph.append(template.format(**shifted))
                count += template.count("{a}") + template.count("{b}") + template.count("{big}")
            filler = f"The {values['force']} held the bridges over the river at {values['town2']}."
            out.append("\n" + " ".join([*paragraph, filler]))
        i += 1
    return "\n".join(out) + "\n"


def one_sentence(figures: int) -> str:
    """One cited sentence listing `figures` figures: "The dead by unit: Alder (4), Birch (2),
    ..., and Teak (3)."."""
    parts = [
        f"{_NAMES[i % len(_NAMES)]} {_FORCES[i // len(_NAMES) % len(_FORCES)].split()[-1]} "
        f"({1 + (i * 7) % 40})"
        for i in range(figures)
    ]
    return (
        "Soldiers killed in the battle, by unit: " + ", ".join(parts[:-1]) + f" and "
        f"{parts[-1]}.<ref>{{{{cite news|work=Reuters|title=The dead|date=2016}}}}</ref>\n"
    )


def one_list_item(figures: int) -> str:
    """A list under a lead line, whose one item carries `figures` figures."""
    parts = ", ".join(f"{1 + (i * 7) % 40} {('killed', 'wounded')[i % 2]}" for i in range(figures))
    return f"Losses reported by the ministry:\n* {_FORCES[0]}: {parts}<ref>{_cite(0)}</ref>\n"


def one_table_cell(figures: int) -> str:
    """A wikitable whose one note cell carries `figures` figures."""
    parts = ", ".join(
        f"{1 + (i * 7) % 40} soldiers killed in {_TOWNS[i % 14]}" for i in range(figures)
    )
    return (
        '{| class="wikitable"\n! Date !! Place !! Notes\n|-\n'
        f"| 3 March 2016 || Northam || {parts}{_cite(0)}\n|}}\n"
    )


def according_clauses(clauses: int) -> str:
    """One paragraph of `clauses` clauses "according to X, N were killed in Town;"."""
    parts = [
        f"according to {_CLAIMANTS[i % len(_CLAIMANTS)]}, {1 + (i * 7) % 90} people were "
        f"killed in {_TOWNS[i % len(_TOWNS)]}"
        for i in range(clauses)
    ]
    return "In the spring, " + "; ".join(parts) + ".<ref>" + _cite(1) + "</ref>\n"


def left_open(opener: str) -> Callable[[int], str]:
    """A paragraph of figures followed by `count` copies of markup that nothing closes."""

    def build(count: int) -> str:
        return "30 soldiers were killed." + opener * count + " 12 tanks were destroyed.\n"

    return build


def many_refs(count: int) -> str:
    """One cited sentence followed by `count` references to one named citation."""
    return "30 soldiers were killed.<ref name=a>" + _cite(0) + "</ref>" + "<ref name=a/>" * count


GROWTH: dict[str, tuple[Callable[[int], str], tuple[int, ...]]] = {
    "unclosed <small> tags": (left_open("<small>"), (2000, 4000, 8000, 16000)),
    "unclosed <ref> tags": (left_open("<ref name=a>"), (2000, 4000, 8000, 16000)),
    "unclosed comments": (left_open("<!--"), (2000, 4000, 8000, 16000)),
    "unclosed external links": (left_open("[http://example.org"), (2000, 4000, 8000, 16000)),
    "references in one paragraph": (many_refs, (2000, 4000, 8000, 16000)),
    "figures in one sentence": (one_sentence, (100, 200, 400, 800, 1600)),
    "figures in one list item": (one_list_item, (100, 200, 400, 800, 1600)),
    "figures in one table cell": (one_table_cell, (100, 200, 400, 800, 1600)),
    "'according to X' clauses": (according_clauses, (1000, 2000, 4000, 8000, 16000)),
}


def _articles(args: argparse.Namespace) -> list[tuple[str, str]]:
    paths = args.articles or sorted(SEEDS.glob("*.wiki"))
    if not args.articles and args.demo.is_dir():
        paths += sorted(args.demo.glob("*.wiki"))
    articles = [(path.stem, path.read_text(encoding="utf-8")) for path in paths]
    if args.table_rows > 0:
        articles.append((f"generated-table-{args.table_rows}-rows", table_article(args.table_rows)))
    if args.prose_figures > 0:
        name = f"generated-prose-{args.prose_figures}-figures"
        articles.append((name, prose_article(args.prose_figures)))
    if args.sentence_figures > 0:
        name = f"generated-sentence-{args.sentence_figures}-figures"
        articles.append((name, one_sentence(args.sentence_figures)))
    return articles


def time_articles(articles: list[tuple[str, str]], runs: int) -> None:
    header = (
        f"{'article':36} {'KB':>5} {'claims':>6} {'mwp ms':>8} {'parse ms':>9} {'cites ms':>9} "
        f"{'render ms':>9} {'extract ms':>10} {'ratio':>6} {'art/s':>7}"
    )
    clock = "cpu" if _clock is time.process_time else "wall"
    print(f"median of {runs} runs per figure, {clock} time")
    print(header)
    print("-" * len(header))
    for name, text in articles:
        claims = extract(text).claims  # warm the data files and caches
        code = parse(text)
        reference_ms = median_ms(mwparserfromhell.parse, text, runs)
        parse_ms = median_ms(parse, text, runs)
        cites_ms = median_ms(read_citations, code, runs)
        render_ms = median_ms(render, code, runs)
        extract_ms = median_ms(extract, text, runs)
        print(
            f"{name[:36]:36} {len(text.encode()) / 1024:5.0f} {len(claims):6d} "
            f"{reference_ms:8.1f} {parse_ms:9.1f} {cites_ms:9.1f} {render_ms:9.1f} "
            f"{extract_ms:10.1f} {extract_ms / reference_ms:6.2f} {1000 / extract_ms:7.1f}"
        )


def time_growth(runs: int, steps: int) -> None:
    print(f"\ngrowth per doubling (median of {runs} runs; 2.0 is linear, 4.0 quadratic)")
    header = (
        f"{'shape':28} {'size':>6} {'KB':>6} {'claims':>6} {'mwp ms':>9} {'extract ms':>10} "
        f"{'ratio':>6} {'growth':>6}"
    )
    print(header)
    print("-" * len(header))
    for shape, (build, sizes) in GROWTH.items():
        before = None
        for size in sizes[:steps]:
            text = build(size)
            claims = extract(text).claims
            parse_ms = median_ms(mwparserfromhell.parse, text, runs)
            extract_ms = median_ms(extract, text, runs)
            growth = f"{extract_ms / before:6.2f}" if before else f"{'':6}"
            print(
                f"{shape:28} {size:6d} {len(text.encode()) / 1024:6.0f} {len(claims):6d} "
                f"{parse_ms:9.1f} {extract_ms:10.1f} {extract_ms / parse_ms:6.2f} {growth}"
            )
            before = extract_ms


SHAPES: dict[str, Callable[[], str]] = {
    "prose": lambda: prose_article(1500),
    "sentence": lambda: one_sentence(1600),
    "list": lambda: one_list_item(1600),
    "cell": lambda: one_table_cell(1600),
    "clauses": lambda: according_clauses(16000),
}


def profile(shape: str) -> None:
    text = SHAPES[shape]()
    extract(text)
    profiler = cProfile.Profile()
    profiler.runcall(extract, text)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--table-rows", type=int, default=400)
    parser.add_argument("--demo", type=Path, default=DEMO, help="folder of real articles")
    parser.add_argument("--prose-figures", type=int, default=1500)
    parser.add_argument("--sentence-figures", type=int, default=1600)
    parser.add_argument("--growth-runs", type=int, default=3)
    parser.add_argument("--growth-steps", type=int, default=5, help="sizes per shape, doubling")
    parser.add_argument("--no-growth", action="store_true")
    parser.add_argument("--profile", choices=sorted(SHAPES))
    parser.add_argument(
        "--clock", choices=sorted(CLOCKS), default="wall", help="cpu: this process's time only"
    )
    args = parser.parse_args()
    global _clock
    _clock = CLOCKS[args.clock]
    if args.profile:
        profile(args.profile)
        return
    time_articles(_articles(args), args.runs)
    if not args.no_growth:
        time_growth(args.growth_runs, args.growth_steps)


if __name__ == "__main__":
    main()
