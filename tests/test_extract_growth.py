"""Extraction grows linearly with the figures of one sentence, of one list item, and with the
"according to X" clauses of one text: each shape of the extraction benchmark is read at two
sizes and the work counted (lines of the package run, never time), so that doubling the
figures at most about doubles the work, on any machine under any load."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from workcount import Work, count_lines

from claims.extract import extract

ROOT = Path(__file__).resolve().parent.parent


def _load_bench():
    spec = importlib.util.spec_from_file_location(
        "bench_extract", ROOT / "benchmarks" / "bench_extract.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_extract"] = module
    spec.loader.exec_module(module)
    return module


bench = _load_bench()


def _work(build: Callable[[int], str], size: int) -> int:
    text = build(size)
    extract(text)  # the data files and caches, loaded once, are no work of the text
    work = Work()
    claims = count_lines(work, lambda: extract(text).claims)
    assert len(claims) >= size  # every figure (every clause's figure) was read
    return work.lines


@pytest.mark.parametrize(
    ("build", "size"),
    [
        (bench.one_sentence, 200),  # "Alder Army (1), Birch Army (8), ..."
        (bench.one_list_item, 200),  # "* Northern Army: 1 killed, 8 wounded, ..."
        (bench.according_clauses, 200),  # "according to X, 1 people were killed in Town; ..."
    ],
    ids=["sentence", "list-item", "clauses"],
)
def test_doubling_the_figures_at_most_doubles_the_work(build, size) -> None:
    small, large = _work(build, size), _work(build, 2 * size)
    # a figure that looks at every word or figure of its sentence makes this near 4
    assert large < small * 2.3, (small, large, large / small)
