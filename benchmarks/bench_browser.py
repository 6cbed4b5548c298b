"""The dashboard as a reader's browser sees it: first dispute, first chart, weight, a filter change.

    python benchmarks/bench_browser.py [--claims N] [--runs 5] [--screenshot docs/screenshot.png]

Serves the app on a loopback port (over a fresh store seeded with `seeds/`, or with `--claims
N` over N synthetic claims as `bench_dashboard.py` makes them) and drives Debian's headless
Chromium. Prints, as the median of `--runs` page loads after a first, cold one (which also
makes the comparison): the time from navigation to the first dispute row, to the first chart
drawn, the JavaScript and the whole page transferred, and the time from choosing a topic in
the filters until the summary line says the new count. `--screenshot` saves the landing view
at 1440 x 900 (the README's picture).
"""

from __future__ import annotations

import argparse
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WEIGHT_JS = """() => {
    const entries = performance.getEntriesByType('resource');
    const nav = performance.getEntriesByType('navigation')[0];
    let js = 0, all = nav ? nav.decodedBodySize : 0;
    for (const e of entries) {
        // the decoded size: what the browser parses, cached or not
        all += e.decodedBodySize;
        if (e.name.includes('.js')) js += e.decodedBodySize;
    }
    return [js, all];
}"""
CHART_DRAWN_JS = """() => {
    const plot = document.querySelector('#chart-by-source .js-plotly-plot');
    return !!(plot && plot._fullData && plot._fullData.length);
}"""


def serve(claims: int) -> tuple[str, object]:
    from werkzeug.serving import make_server

    from dashboard import create_app

    if claims:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from bench_dashboard import BenchStore, synthetic_claims

        from claims.match import compare

        app = create_app(BenchStore(compare(synthetic_claims(claims))), seeds=False)
    else:
        from claims.store import Store

        store = Store(Path(tempfile.mkdtemp()) / "claims.duckdb")
        app = create_app(store, seeds=ROOT / "seeds")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = make_server("127.0.0.1", port, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{port}", server


def load(page, url: str) -> dict[str, float]:
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(".finding, #disputes .notice", timeout=120_000)
    first_dispute = time.perf_counter() - start
    page.wait_for_function(CHART_DRAWN_JS, timeout=120_000)
    first_chart = time.perf_counter() - start
    js, total = page.evaluate(WEIGHT_JS)
    return {"dispute": first_dispute, "chart": first_chart, "js": js, "total": total}


def filter_change(page) -> float:
    """Seconds from choosing a topic in the filter menu to the summary giving the new count."""
    before = page.inner_text("#view-summary")
    page.click("#f-topic")
    search = page.locator(".dash-dropdown-search").first
    search.wait_for(state="visible")
    search.fill("Strength")
    option = page.get_by_role("option", name=re.compile(r"^Strength \(")).first
    option.wait_for(state="visible")
    start = time.perf_counter()
    option.click()
    page.wait_for_function(
        "(before) => { const s = document.querySelector('#view-summary'); "
        "return s && s.textContent && s.textContent !== before; }",
        arg=before,
        timeout=60_000,
    )
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=0, help="synthetic claims (0: the seeds)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--screenshot", type=Path)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print("bench_browser: Debian chromium is not installed (make browser)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    base, server = serve(args.claims)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        cold = load(page, base + "/")
        if args.screenshot:
            page.wait_for_timeout(500)
            page.screenshot(path=str(args.screenshot))
        warm = []
        changes = []
        for _ in range(args.runs):
            fresh = context.new_page()
            warm.append(load(fresh, base + "/"))
            changes.append(filter_change(fresh))
            fresh.close()
        browser.close()
    server.shutdown()  # type: ignore[attr-defined]

    corpus = f"{args.claims:,} synthetic claims" if args.claims else "the bundled seeds"
    print(f"dashboard in headless Chromium over {corpus}, 1440 x 900; {args.runs} warm loads")
    print(f"cold load (makes the comparison): first dispute {cold['dispute']:.2f} s, "
          f"first chart {cold['chart']:.2f} s")  # fmt: skip
    for name, key in (("first dispute row", "dispute"), ("first chart drawn", "chart")):
        values = [w[key] for w in warm]
        print(f"{name:24} median {statistics.median(values):.2f} s, max {max(values):.2f} s")
    js = statistics.median(w["js"] for w in warm)
    total = statistics.median(w["total"] for w in warm)
    print(f"{'transferred':24} JavaScript {js / 1e6:.2f} MB, the whole page {total / 1e6:.2f} MB")
    print(f"{'filter change':24} median {statistics.median(changes) * 1000:.0f} ms, "
          f"max {max(changes) * 1000:.0f} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
