"""Fuzzing the extraction with mutations of real articles, each input under a time limit.

    python benchmarks/fuzz.py [--count N] [--seed S] [--start I] [--workers W]
                              [--budget SECONDS] [--time-limit SECONDS] [--minutes M] [--only I ...]
                              [--save DIR] [--corpus FILE_OR_DIR ...]

Input `i` of seed `S` is made from `random.Random(f"{S}:{i}")` alone: an excerpt of one
article of the corpus (the probes and the seeds by default), or a whole article, with one to
four mutations: byte flips, truncations, unbalanced `{{`, `}}`, `{{{`, `[[`, `<ref>`,
`<small>`, bold quotes and table markup, markup nested hundreds deep, 10^5 refs, a table of
thousands of cells, right-to-left and zero-width characters, slices of other articles spliced
in. `--only I` reruns chosen inputs, so any failure can be reproduced from its number.

Each input runs in a worker process: read through `decode_article` when it is bytes, then
`extract` twice. It counts as

- refused: an `ArticleError` (its one-line reason; not a failure),
- a crash: any other exception,
- skipped: an extraction past the article's time budget (`--budget`, default 30 s, the
  default of `--article-timeout`), stopped by `claims.budget.time_budget` as every verb stops
  it, with its one-line "skipped: took longer than 30 s" (not a failure; counted apart);
- a hang: the worker did not answer within `--time-limit` (default twice the budget and
  30 s): the budget failed to stop it; the worker is killed and replaced,
- an invariant failure: a claim breaking the offsets contract (`claims.offsets.check_offsets`:
  its quote is the article's text at its offsets, `value_low <= value_high`), or claim ids
  that differ between the two runs.

Prints the counts (inputs, refused, crashes, hangs, invariant failures, claims checked), the
rate, and one line per failure (`--minutes M` stops sending inputs after M minutes and
reports those run) (its input number and reason); `--save DIR` writes each
failing input to DIR as `<seed>-<i>.wiki` for a regression case. Exit 1 when anything failed.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing as mp
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = [ROOT / "tests" / "probes", ROOT / "seeds"]
DEFAULT_BUDGET = 30.0  # seconds per extraction: the default of `--article-timeout`

# -- mutations -------------------------------------------------------------------------------

UNBALANCED = [
    "{{",
    "}}",
    "{{{",
    "}}}",
    "[[",
    "]]",
    "[",
    "]",
    "<ref>",
    "</ref>",
    "<ref name=a>",
    "<ref name=a/>",
    "<small>",
    "</small>",
    "'''",
    "''",
    "<!--",
    "-->",
    "{|",
    "|}",
    "\n|-\n",
    "||",
    "|",
    "=",
    "\n== H ==\n",
    "<nowiki>",
    "<div>",
    "</div>",
    "<br>",
    "&nbsp;",
    "&#1234;",
    "{{cite web|title=",
    "{{Infobox military conflict\n| casualties1 = ",
    "{{efn|",
    "{{convert|",
    "{{start date|",
]
NESTS = [
    ("{{a|", "}}"),
    ("{{{", "}}}"),
    ("{{{a|", "}}}"),
    ("[[a|", "]]"),
    ("<ref>", "</ref>"),
    ("<small>", "</small>"),
    ("<span>", "</span>"),
    ("<div>", "</div>"),
    ("'''", "'''"),
    ("{|\n|", "\n|}"),
    ("{{ubl|", "}}"),
    ("{{efn|", "}}"),
]
ODD_CHARS = [
    "\u200b",  # zero-width space
    "\u200c",
    "\u200d",
    "\ufeff",
    "\u2060",
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u202a",
    "\u202b",
    "\u202e",  # right-to-left override
    "\u2066",
    "\u2069",
    "\u00a0",
    "\u2009",
    "\u0301",  # a combining accent
    "²",
    "①",
    "٣",
    "３",
    "\u2028",
    "\r",
    "\t",
]
RTL_TEXT = [
    "قتل 30 جنديا",
    "נהרגו 12 חיילים",
    "\u202b30 killed\u202c",
    "١٢٣ قتيلا",
    "‏30‏ killed",
]
FIGURE_TEXT = [
    " 30 soldiers were killed",
    " about 1,500 fighters",
    " between 10 and 20 civilians died",
    " 1 – 1 – 1 – 1",
    " dozens",
    " 300k",
    " according to the ministry,",
    " on 3 May 2020 in Aleppo",
]


def _excerpt(text: str, rng: random.Random) -> str:
    """A window of an article: most inputs are short, so that many can be run."""
    roll = rng.random()
    if roll < 0.01 or len(text) < 2000:
        return text
    size = rng.choice([300, 600, 1000, 1500, 2500, 4000]) if roll < 0.97 else 30000
    start = rng.randrange(0, max(1, len(text) - size))
    return text[start : start + size]


def _at(text: str, rng: random.Random) -> int:
    return rng.randrange(0, len(text) + 1)


def _insert(text: str, rng: random.Random, piece: str) -> str:
    at = _at(text, rng)
    return text[:at] + piece + text[at:]


def flip_bytes(text: str, rng: random.Random) -> bytes:
    data = bytearray(text.encode("utf-8"))
    for _ in range(rng.randint(1, 8)):
        if data:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


def truncate(text: str, rng: random.Random) -> str:
    at = _at(text, rng)
    return text[:at] if rng.random() < 0.7 else text[at:]


def unbalance(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 12)):
        text = _insert(text, rng, rng.choice(UNBALANCED))
    return text


def delete_markup(text: str, rng: random.Random) -> str:
    """Remove some closing (or opening) marks, so that markup is left open."""
    marks = ["}}", "]]", "</ref>", "|}", "'''", "-->", "{{", "[["]
    for _ in range(rng.randint(1, 6)):
        mark = rng.choice(marks)
        found = [m.start() for m in re.finditer(re.escape(mark), text)][:2000]
        if found:
            at = rng.choice(found)
            text = text[:at] + text[at + len(mark) :]
    return text


def nest(text: str, rng: random.Random) -> str:
    opener, closer = rng.choice(NESTS)
    depth = rng.choice([10, 40, 59, 60, 61, 100, 200, 500, 3000])
    closed = rng.random() < 0.6
    inner = rng.choice(FIGURE_TEXT)
    return _insert(text, rng, opener * depth + inner + (closer * depth if closed else ""))


def many_refs(text: str, rng: random.Random) -> str:
    count = rng.choices([1000, 10_000, 100_000], [6, 3, 1])[0]  # the largest costs a minute
    ref = rng.choice(["<ref name=a/>", "<ref>x</ref>", "{{sfn|A|2000}}", "<ref>"])
    return _insert(text, rng, " 30 soldiers were killed." + ref * count)


def huge_table(text: str, rng: random.Random) -> str:
    rows = rng.choices([100, 1000, 4000], [6, 3, 1])[0]
    cols = rng.choice([2, 3, 6])
    head = "\n{| class=wikitable\n! Place " + "!! Killed " * (cols - 1) + "\n"
    body = "".join(
        "|-\n| Town " + str(r) + "".join(f" || {r * c + 1}" for c in range(1, cols)) + "\n"
        for r in range(rows)
    )
    return _insert(text, rng, head + body + ("|}\n" if rng.random() < 0.8 else ""))


def odd_characters(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 30)):
        piece = rng.choice(ODD_CHARS) if rng.random() < 0.8 else rng.choice(RTL_TEXT)
        text = _insert(text, rng, piece)
    return text


def between_digits(text: str, rng: random.Random) -> str:
    """Zero-width and direction marks put inside numbers ("1\u200b000")."""
    digits = [i for i, ch in enumerate(text) if ch.isdigit()][:5000]
    for _ in range(rng.randint(1, 10)):
        if not digits:
            break
        at = rng.choice(digits)
        text = text[:at] + rng.choice(ODD_CHARS[:12]) + text[at:]
    return text


def splice(text: str, rng: random.Random, other: str) -> str:
    """A slice of another article put in at a random place (markup of two pages mixed)."""
    start = rng.randrange(0, max(1, len(other) - 1))
    piece = other[start : start + rng.choice([50, 500, 3000])]
    return _insert(text, rng, piece)


def repeat(text: str, rng: random.Random) -> str:
    """One short slice written many times: long sentences, long runs of one shape."""
    start = _at(text, rng)
    piece = text[start : start + rng.randint(1, 40)] or "1, "
    return _insert(text, rng, piece * rng.choice([10, 100, 1000]))


MUTATIONS = {
    "flip_bytes": 6,
    "truncate": 8,
    "unbalance": 20,
    "delete_markup": 10,
    "nest": 10,
    "many_refs": 1,
    "huge_table": 2,
    "odd_characters": 10,
    "between_digits": 6,
    "splice": 8,
    "repeat": 4,
}
_FUNCTIONS = {
    "flip_bytes": flip_bytes,
    "truncate": truncate,
    "unbalance": unbalance,
    "delete_markup": delete_markup,
    "nest": nest,
    "many_refs": many_refs,
    "huge_table": huge_table,
    "odd_characters": odd_characters,
    "between_digits": between_digits,
    "repeat": repeat,
}


def corpus_texts(paths: list[Path] | None = None) -> list[str]:
    """The articles mutations start from: every .wiki file of the folders and files given."""
    texts = []
    for path in paths or CORPUS:
        files = sorted(path.glob("*.wiki")) if path.is_dir() else [path]
        texts.extend(f.read_text(encoding="utf-8") for f in files)
    return texts


def mutate(
    texts: list[str], rng: random.Random, *, heavy: bool = True
) -> tuple[str | bytes, list[str]]:
    """One input: an excerpt of an article with one to four mutations, and their names.
    Without `heavy`, the costly shapes (10^5 refs, huge tables, long repeats) are left out."""
    text = _excerpt(rng.choice(texts), rng)
    names = [n for n in MUTATIONS if heavy or n not in ("many_refs", "huge_table", "repeat")]
    weights = [MUTATIONS[n] for n in names]
    chosen = rng.choices(names, weights, k=rng.randint(1, 4))
    if "flip_bytes" in chosen:  # bytes last: the other mutations work on text
        chosen = [n for n in chosen if n != "flip_bytes"] + ["flip_bytes"]
    out: str | bytes = text
    for name in chosen:
        assert isinstance(out, str)
        if name == "splice":
            out = splice(out, rng, rng.choice(texts))
        else:
            out = _FUNCTIONS[name](out, rng)
    return out, chosen


def make_input(texts: list[str], seed: int, index: int) -> tuple[str | bytes, list[str]]:
    return mutate(texts, random.Random(f"{seed}:{index}"))


# -- checking one input ----------------------------------------------------------------------


def check_input(
    data: str | bytes, name: str = "fuzz.wiki", budget: float | None = DEFAULT_BUDGET
) -> tuple[str, str, int]:
    """(outcome, reason, claims checked) of one input: outcome is ok, refused, skipped (the
    article's time budget ran out, as `--article-timeout` stops it in every verb), crash or
    invariant."""
    from claims.budget import ArticleTimeout, time_budget, timeout_problem
    from claims.errors import ArticleError
    from claims.extract import decode_article, extract
    from claims.offsets import check_offsets

    try:
        text = decode_article(data, name) if isinstance(data, bytes) else data
        with time_budget(budget):
            first = extract(text, path=name)
    except ArticleTimeout:
        return "skipped", timeout_problem(budget or 0), 0
    except ArticleError as exc:
        return "refused", exc.problem, 0
    except Exception as exc:  # a crash: the reason is the exception, in one line
        return "crash", f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}", 0
    for claim in first.claims:
        problem = check_offsets(text, claim)
        if problem:
            return "invariant", f"{claim.origin} claim {claim.claim_id}: {problem}", 0
    try:
        with time_budget(budget):
            second = extract(text, path=name)
    except ArticleTimeout:
        return "skipped", f"second run: {timeout_problem(budget or 0)}", 0
    except Exception as exc:
        return "crash", f"second run: {type(exc).__name__}: {str(exc)[:200]}", 0
    if [c.claim_id for c in first.claims] != [c.claim_id for c in second.claims]:
        return "invariant", "claim ids differ between two runs", len(first.claims)
    return "ok", "", len(first.claims)


def _worker(conn: Connection, corpus: list[str], seed: int, budget: float | None) -> None:
    import logging
    import warnings

    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    texts = corpus_texts([Path(p) for p in corpus])
    while True:
        try:
            index = conn.recv()
        except EOFError:  # the run ended or was stopped: its end of the pipe is closed
            return
        if index is None:
            return
        data, names = make_input(texts, seed, index)
        started = time.perf_counter()
        outcome, reason, claims = check_input(data, budget=budget)
        conn.send((index, outcome, reason, claims, names, time.perf_counter() - started))


# -- the run ---------------------------------------------------------------------------------


@dataclass
class _Slot:
    process: mp.Process
    conn: Connection
    index: int | None = None
    started: float = 0.0


@dataclass
class Tally:
    inputs: int = 0
    claims: int = 0
    outcomes: Counter = field(default_factory=Counter)
    mutations: Counter = field(default_factory=Counter)
    failures: list[tuple[int, str, str, list[str]]] = field(default_factory=list)
    slowest: tuple[float, int] = (0.0, -1)


def _start(ctx, corpus: list[str], seed: int, budget: float | None) -> _Slot:
    parent, child = ctx.Pipe()
    process = ctx.Process(target=_worker, args=(child, corpus, seed, budget), daemon=True)
    process.start()
    child.close()
    return _Slot(process, parent)


def run(
    indices: list[int],
    seed: int,
    workers: int,
    time_limit: float,
    corpus: list[str],
    progress: bool = True,
    minutes: float | None = None,
    budget: float | None = DEFAULT_BUDGET,
) -> Tally:
    ctx = mp.get_context("fork" if sys.platform != "win32" else "spawn")
    slots = [_start(ctx, corpus, seed, budget) for _ in range(workers)]
    todo = list(reversed(indices))
    tally = Tally()
    texts = corpus_texts([Path(p) for p in corpus])  # to name the mutations of a hang
    began = time.perf_counter()
    last_report = began
    try:
        while todo or any(s.index is not None for s in slots):
            for slot in slots:
                if minutes is not None and time.perf_counter() - began > minutes * 60:
                    todo.clear()
                if slot.index is None and todo:
                    slot.index = todo.pop()
                    slot.started = time.perf_counter()
                    slot.conn.send(slot.index)
            busy = [s.conn for s in slots if s.index is not None]
            ready = wait(busy, timeout=0.5)
            now = time.perf_counter()
            for k, slot in enumerate(slots):
                if slot.index is None:
                    continue
                if slot.conn in ready:
                    try:
                        index, outcome, reason, claims, names, took = slot.conn.recv()
                    except EOFError:  # the worker died (a crash of the interpreter itself)
                        index, outcome, reason, claims, names, took = (
                            slot.index,
                            "crash",
                            "the worker process died",
                            0,
                            [],
                            0.0,
                        )
                        slots[k] = _start(ctx, corpus, seed, budget)
                    _count(tally, index, outcome, reason, claims, names, took)
                    slots[k].index = None
                elif now - slot.started > time_limit:
                    slot.process.kill()
                    slot.process.join()
                    names = make_input(texts, seed, slot.index)[1]
                    reason = f"longer than {time_limit:g} s"
                    _count(tally, slot.index, "hang", reason, 0, names, time_limit)
                    slots[k] = _start(ctx, corpus, seed, budget)
            if progress and now - last_report > 30:
                last_report = now
                rate = tally.inputs / (now - began)
                print(
                    f"  {tally.inputs:,} inputs, {rate:.1f}/s, {dict(tally.outcomes)}", flush=True
                )
    finally:
        for slot in slots:
            if slot.process.is_alive():
                with contextlib.suppress(OSError):
                    slot.conn.send(None)
                slot.process.join(timeout=2)
                if slot.process.is_alive():
                    slot.process.kill()
                    slot.process.join()
    return tally


def _count(
    tally: Tally,
    index: int,
    outcome: str,
    reason: str,
    claims: int,
    names: list[str],
    took: float,
) -> None:
    tally.inputs += 1
    tally.claims += claims
    tally.outcomes[outcome] += 1
    tally.mutations.update(names)
    if took > tally.slowest[0]:
        tally.slowest = (took, index)
    if outcome in ("crash", "hang", "invariant", "skipped"):  # skips are listed, not failures
        tally.failures.append((index, outcome, reason, names))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="inputs to run (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the inputs (default 0)")
    parser.add_argument("--start", type=int, default=0, help="first input number (default 0)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument(
        "--budget",
        type=float,
        default=DEFAULT_BUDGET,
        help="seconds each extraction may take before it is stopped as skipped (default 30, "
        "as --article-timeout; 0: none)",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        help="seconds per input before its worker is killed as a hang (default: twice the "
        "budget and 30 s, or 60 s without a budget)",
    )
    parser.add_argument("--minutes", type=float, help="stop sending inputs after M minutes")
    parser.add_argument("--only", type=int, nargs="*", help="run only these input numbers")
    parser.add_argument("--save", type=Path, help="write failing inputs to this folder")
    parser.add_argument("--corpus", type=Path, nargs="*", help="articles to mutate")
    args = parser.parse_args(argv)
    budget = args.budget or None
    if args.time_limit is None:
        args.time_limit = 2 * budget + 30 if budget else 60.0
    corpus = [str(p) for p in (args.corpus or CORPUS)]
    indices = args.only if args.only else list(range(args.start, args.start + args.count))
    began = time.perf_counter()
    tally = run(
        indices,
        args.seed,
        args.workers,
        args.time_limit,
        corpus,
        minutes=args.minutes,
        budget=budget,
    )
    took = time.perf_counter() - began
    o = tally.outcomes
    invariant = o["invariant"]
    print(
        f"fuzz: {tally.inputs:,} inputs (seed {args.seed}) in {took:.0f} s "
        f"({tally.inputs / took:.1f}/s, {args.workers} workers): "
        f"{o['crash']} crashes, {o['hang']} hangs, {invariant} invariant failures; "
        f"{o['refused']:,} refused with a one-line reason, "
        f"{o['skipped']:,} skipped past the {args.budget:g} s budget, {o['ok']:,} read; "
        f"{tally.claims:,} claims checked"
    )
    print(
        f"  slowest input: #{tally.slowest[1]} ({tally.slowest[0]:.1f} s); mutations: "
        + ", ".join(f"{n} {c:,}" for n, c in sorted(tally.mutations.items()))
    )
    texts = corpus_texts([Path(p) for p in corpus]) if args.save else []
    for index, outcome, reason, names in sorted(tally.failures):
        print(f"  #{index} {outcome} ({'+'.join(names)}): {reason}")
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            data, _ = make_input(texts, args.seed, index)
            raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
            (args.save / f"{args.seed}-{index}.wiki").write_bytes(raw)
    return 1 if any(outcome != "skipped" for _, outcome, _, _ in tally.failures) else 0


if __name__ == "__main__":
    raise SystemExit(main())
