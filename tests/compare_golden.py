"""The comparison of a fixed corpus, as digests: a change of how `compare` is computed (for
speed or memory) must leave every group, pair, verdict and `why` as it was.

The corpus is frozen in `tests/fixtures/compare_golden_claims.json.gz`: the claims extracted
from the probe articles (`tests/probes`), the seeds and the matching fixtures, so that a change
of extraction does not move it. The generated shapes of `benchmarks/bench_compare.py` are
added at small sizes, and the example of every rule of `claims/data/match.toml`. A change of
the matching rules that is meant to change the comparison rewrites the digests:

    PYTHONPATH=. python tests/compare_golden.py --update            # digests of today's code
    PYTHONPATH=. python tests/compare_golden.py --update --claims   # and extract the corpus again
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import json
import sys
from pathlib import Path

import pandas as pd

from claims.match import Comparison, compare
from claims.model import ALL_CLAIM_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
CLAIMS = ROOT / "tests" / "fixtures" / "compare_golden_claims.json.gz"
DIGESTS = ROOT / "tests" / "fixtures" / "compare_golden.json"
# the generated shapes and their sizes: big enough to pass every cap of match.toml once
SHAPE_SIZES = {"standard": 3000, "one-block": 600, "totals": 400, "parties": 400, "day-place": 400}


def _bench():
    path = ROOT / "benchmarks" / "bench_compare.py"
    spec = importlib.util.spec_from_file_location("bench_compare", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_compare", module)
    spec.loader.exec_module(module)
    return module


def extract_corpus() -> pd.DataFrame:
    """The claims of every probe, seed and matching fixture article, one frame."""
    from claims.extract import extract_article
    from claims.tables import claims_frame

    paths = sorted(
        [
            *(ROOT / "tests" / "probes").glob("*.wiki"),
            *(ROOT / "seeds").glob("*.wiki"),
            *(ROOT / "tests" / "fixtures").glob("match_*.wiki"),
        ]
    )
    claims = []
    for path in paths:
        claims.extend(extract_article(path.read_text(encoding="utf-8"), path.stem))
    return claims_frame(claims)


def write_claims(frame: pd.DataFrame) -> None:
    records = json.loads(frame.to_json(orient="split", index=False))
    with gzip.open(CLAIMS, "wt", encoding="utf-8") as out:
        json.dump(records, out, ensure_ascii=False, separators=(",", ":"))


def read_claims() -> pd.DataFrame:
    with gzip.open(CLAIMS, "rt", encoding="utf-8") as stream:
        records = json.load(stream)
    frame = pd.DataFrame(records["data"], columns=records["columns"])
    for column in ("value_low", "value_high"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    for column in ("start", "end"):
        frame[column] = frame[column].astype("int64")
    return frame[list(ALL_CLAIM_COLUMNS)]


def corpora() -> dict[str, pd.DataFrame]:
    """Each input compared: the frozen corpus, all together and each article alone, and the
    generated shapes."""
    claims = read_claims()
    out = {"corpus": claims}
    for article, rows in claims.groupby("article", sort=True):
        out[f"article:{article}"] = rows.reset_index(drop=True)
    bench = _bench()
    for shape, size in SHAPE_SIZES.items():
        out[f"shape:{shape}"] = bench.SHAPES[shape](size)
    # the example of every rule of match.toml (tests/test_match_rules.py), each compared alone
    from test_match_rules import RULES, _claims

    for kind, rule in RULES:
        out[f"rule:{kind}:{rule.name}"] = _claims(rule.example)
    return out


def table_digest(frame: pd.DataFrame) -> str:
    """A digest of a table's columns, their types and every cell as CSV writes it."""
    text = repr([(c, str(t)) for c, t in frame.dtypes.items()]) + frame.to_csv(index=False)
    return hashlib.sha256(text.encode()).hexdigest()


def digests(result: Comparison) -> dict[str, object]:
    return {
        "claims": table_digest(result.claims),
        "groups": table_digest(result.groups),
        "pairs": table_digest(result.pairs),
        "sources": table_digest(result.sources),
        "matrix": table_digest(result.matrix()),
        "rows": [len(result.claims), len(result.groups), len(result.pairs), len(result.sources)],
    }


def compute() -> dict[str, dict[str, object]]:
    return {name: digests(compare(frame)) for name, frame in corpora().items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="write the digests")
    parser.add_argument("--claims", action="store_true", help="extract the corpus again")
    args = parser.parse_args()
    if args.claims:
        write_claims(extract_corpus())
    found = compute()
    if args.update:
        DIGESTS.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"{len(found)} comparisons written to {DIGESTS}")
        return
    expected = json.loads(DIGESTS.read_text(encoding="utf-8"))
    changed = [name for name in sorted(expected) if expected[name] != found.get(name)]
    for name in changed:
        tables = [k for k in expected[name] if expected[name][k] != found[name][k]]
        print(f"{name}: {', '.join(tables)} changed")
    print(f"{len(expected) - len(changed)} of {len(expected)} comparisons as before")
    sys.exit(1 if changed else 0)


if __name__ == "__main__":
    main()
