"""The real dashboard in a real headless Chromium: load, filter, download, URL state, upload.

The app runs on a free loopback port in a background thread over a fresh store seeded with the
bundled articles. Screenshots of the main views land in the test run's temporary folder.
"""

from __future__ import annotations

import csv
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
HOSTILE_ARTICLE = Path(__file__).resolve().parent / "fixtures" / "dashboard_hostile.wiki"


SERVED: list = []  # the app the module's server runs, for the last test's look at its counts


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from werkzeug.serving import make_server

    from dashboard import create_app

    Store = pytest.importorskip("claims.store").Store

    store = Store(tmp_path_factory.mktemp("store") / "claims.duckdb")
    app = create_app(store, seeds=SEEDS)
    SERVED.append(app)
    port = _free_port()
    server = make_server("127.0.0.1", port, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join(timeout=5)
    store.close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, tmp_path: Path):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


GRID_SETTLED_JS = """() => {
    const notice = document.querySelector('#grid-notice')?.textContent || '';
    const said = notice.match(/^([0-9,]+) claims[.]$/);
    if (!said) return notice.length > 0 ? -1 : null;
    let api;
    try { api = dash_ag_grid.getApi('claims-grid'); } catch (e) { return null; }
    if (!api) return null;
    let rows = 0;
    api.forEachNode(() => { rows += 1; });
    return rows === Number(said[1].replace(/,/g, '')) ? rows : null;
}"""


def wait_grid(page, until: str = "true") -> int:
    """Until the grid holds the rows its notice announces and their count `n` passes `until`.

    Returns that count, or -1 when the notice says something else (no match, first rows only).
    """
    page.wait_for_function(f"((n) => n !== null && ({until}))(({GRID_SETTLED_JS})())")
    return page.evaluate(GRID_SETTLED_JS)


def wait_ready(page) -> None:
    """Until the grid and the first chart have been drawn from the server's answer."""
    page.wait_for_function("document.querySelector('#view-summary')?.textContent.length > 0")
    wait_grid(page)


MARKS_JS = """(id) => {
    const plot = document.querySelector('#' + id + ' .js-plotly-plot');
    if (!plot || !plot._fullData) return -1;
    return plot._fullData.reduce((n, t) => n + (t._length || 0), 0);
}"""


def chart_marks(page, chart_id: str, until: str = ">= 0") -> int:
    """Marks drawn on a chart, waiting until their count passes `until` (e.g. "> 0", "== 0")."""
    page.wait_for_function(f"({MARKS_JS})('{chart_id}') {until}")
    return page.evaluate(MARKS_JS, chart_id)


def grid_ids(page) -> list[str]:
    return page.evaluate(
        """async () => {
            const api = await dash_ag_grid.getApiAsync('claims-grid');
            const ids = [];
            api.forEachNodeAfterFilterAndSort((node) => ids.push(node.data.claim_id));
            return ids;
        }"""
    )


def choose(page, control: str, text: str) -> None:
    """Pick an option of a dropdown as a user does: open it, search, click the option shown.

    The search box is filled once it is shown: keys typed while the menu is still opening are
    lost.
    """
    page.click(f"#{control}")
    search = page.locator(".dash-dropdown-search").first
    search.wait_for(state="visible")
    search.fill(text)
    # options read "Strength (45)": the value's label and its count of claims
    option = page.get_by_role("option", name=re.compile(rf"^{re.escape(text)} \(\d[\d,]*\)$")).first
    option.wait_for(state="visible")
    option.click()
    page.keyboard.press("Escape")


def test_page_loads_with_the_seed_figures(page, base_url, shots):
    page.goto(base_url + "/")
    wait_ready(page)
    assert chart_marks(page, "chart-by-source", "> 0") > 0
    assert len(grid_ids(page)) > 0
    assert "claims in view" in page.inner_text("#view-summary")
    page.screenshot(path=str(shots / "overview.png"), full_page=True)


def test_filter_changes_chart_grid_and_url_and_back_restores(page, base_url, shots):
    page.goto(base_url + "/")
    wait_ready(page)
    all_marks = chart_marks(page, "chart-by-source", "> 0")
    all_rows = grid_ids(page)
    page.fill("#f-date_from", "2099-01-01")
    page.press("#f-date_from", "Enter")
    page.wait_for_url("**date_from=2099-01-01**")
    page.wait_for_function(
        "document.querySelector('#grid-notice').textContent.includes('No claims')"
    )
    assert grid_ids(page) == []
    assert chart_marks(page, "chart-by-source", "== 0") == 0
    page.screenshot(path=str(shots / "empty-state.png"), full_page=True)
    page.go_back()
    page.wait_for_function("!location.search.includes('date_from')")
    page.wait_for_function(
        f"document.querySelector('#grid-notice').textContent.includes('{len(all_rows):,}')"
    )
    assert sorted(grid_ids(page)) == sorted(all_rows)
    assert chart_marks(page, "chart-by-source", f"== {all_marks}") == all_marks
    assert page.input_value("#f-date_from") == ""


def test_topic_filter_from_the_menu_and_copied_url_restores_the_view(page, base_url, browser):
    page.goto(base_url + "/")
    wait_ready(page)
    before = grid_ids(page)
    choose(page, "f-topic", "Strength")
    page.wait_for_url("**topic=strength**")
    wait_grid(page, f"n >= 0 && n < {len(before)}")
    after = grid_ids(page)
    assert after and len(after) < len(before)
    copied = page.url
    other = browser.new_page()
    try:
        other.goto(copied)
        wait_ready(other)
        assert sorted(grid_ids(other)) == sorted(after)
        assert "Strength" in other.inner_text("#f-topic")
    finally:
        other.close()


def test_csv_download_has_the_grid_rows(page, base_url, tmp_path):
    page.goto(base_url + "/?topic=killed")
    count = wait_grid(page, "n > 0")
    # a word some rows hold and others do not: the search narrows the grid to those rows
    word = page.evaluate(
        """async () => {
            const api = await dash_ag_grid.getApiAsync('claims-grid');
            const sources = [];
            api.forEachNode((node) => sources.push(node.data.source || ''));
            return sources.find((s) => s.length > 3 && sources.filter((t) => t === s).length
                                < sources.length / 2);
        }"""
    )
    assert word, "the view holds several sources"
    page.fill("#quick-search", word)
    page.wait_for_function(
        "(n) => { const api = dash_ag_grid.getApi('claims-grid'); "
        "return api && api.getDisplayedRowCount() < n; }",
        arg=count,
    )
    shown = grid_ids(page)
    assert 0 < len(shown) < count
    texts = page.evaluate(
        """async () => {
            const api = await dash_ag_grid.getApiAsync('claims-grid');
            const rows = [];
            api.forEachNodeAfterFilterAndSort((node) => rows.push(JSON.stringify(node.data)));
            return rows;
        }"""
    )
    assert all(word.lower() in text.lower() for text in texts)
    with page.expect_download() as info:
        page.click("#download-claims")
    download = info.value
    assert download.suggested_filename.startswith("claims_topic-killed_")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["claim_id"] for row in rows] == shown
    assert shown


def test_clicking_a_grid_row_shows_its_group(page, base_url, shots):
    page.goto(base_url + "/")
    wait_ready(page)
    # a cell, as a reader clicks: the middle of a wide row can fall between rendered columns
    # the figure's column is pinned on the left, beside the verdict and the source
    page.click(".ag-pinned-left-cols-container .ag-row >> nth=0 >> [col-id=value_text]")
    page.wait_for_selector("#detail .card")
    assert page.locator("#detail .badge").count() >= 1
    page.screenshot(path=str(shots / "group-detail.png"), full_page=True)


def test_forged_url_shows_an_error_not_a_trace(page, base_url):
    page.goto(base_url + "/?chart=%3Cscript%3E&date_from=nonsense")
    page.wait_for_selector("#filter-error:not([hidden])")
    text = page.inner_text("#filter-error")
    assert "cannot be shown" in text and "Traceback" not in text


def test_upload_adds_an_article_and_hostile_text_stays_text(page, base_url, tmp_path, shots):
    page.goto(base_url + "/")
    wait_ready(page)
    article = tmp_path / "Battle_of_Testville.wiki"
    article.write_bytes(HOSTILE_ARTICLE.read_bytes())
    page.set_input_files("#upload input[type=file]", str(article))
    page.wait_for_function(
        "document.querySelector('#upload-message').textContent.includes('Added')"
    )
    page.goto(base_url + "/?article=Battle+of+Testville")
    wait_ready(page)
    assert grid_ids(page)
    page.wait_for_timeout(500)
    assert page.dialogs == []  # no script ran
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("#claims-grid img").count() == 0
    page.screenshot(path=str(shots / "uploaded.png"), full_page=True)


def test_bad_upload_shows_an_error_and_keeps_the_data(page, base_url, tmp_path):
    page.goto(base_url + "/")
    wait_ready(page)
    before = page.inner_text("#view-summary")
    binary = tmp_path / "binary.wiki"
    binary.write_bytes(b"\x00\x01\x02\x03" * 100)
    page.set_input_files("#upload input[type=file]", str(binary))
    page.wait_for_function(
        "document.querySelector('#upload-message').textContent.includes('Not added')"
    )
    assert "binary" in page.inner_text("#upload-message")
    assert page.inner_text("#view-summary") == before


def test_phone_layout_stacks_the_charts(browser, base_url, shots):
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        phone.goto(base_url + "/")
        wait_ready(phone)
        widths = phone.evaluate(
            "[...document.querySelectorAll('.charts-row .chart')]"
            ".map((e) => e.getBoundingClientRect().width)"
        )
        assert widths and all(w <= 390 for w in widths)
        # a list of cards in place of a cramped grid
        phone.wait_for_selector("#claim-cards .card", state="visible")
        assert not phone.locator(".claims-grid").is_visible()
        card = phone.locator("#claim-cards .card").first
        assert card.locator(".figure").inner_text() and card.locator(".badge").inner_text()
        assert card.bounding_box()["width"] <= 390
        phone.screenshot(path=str(shots / "phone.png"), full_page=True)
    finally:
        phone.close()


def test_healthz_and_no_file_outside_the_app(page, base_url):
    health = page.request.get(base_url + "/healthz")
    assert health.ok and health.json()["status"] == "ok" and health.json()["claims"] > 0
    for path in ("/assets/../pyproject.toml", "/assets/%2e%2e/pyproject.toml", "/../seeds"):
        response = page.request.get(base_url + path)
        assert response.status == 404 or "[project]" not in response.text()


def test_landing_lists_disputes_first_each_figure_labelled(page, base_url, shots):
    page.goto(base_url + "/")
    page.wait_for_selector(".finding .badge", state="visible")
    first = page.locator(".finding").first
    assert first.locator(".badge").inner_text() == "conflict"
    sentence = first.locator(".finding-sentence").inner_text()
    assert sentence.endswith(": conflict")
    labels = first.locator(".strip-line:not(.strip-scale) .strip-label").all_inner_texts()
    figures = first.locator(".strip-figure").all_inner_texts()
    assert len(labels) >= 2 and all(
        f and f in label for f, label in zip(figures, labels, strict=True)
    )
    verdicts = page.locator(".finding .badge").all_inner_texts()
    # conflicts first: no conflict comes after anything else
    assert verdicts.index("conflict") == 0
    assert "conflict" not in verdicts[verdicts.count("conflict") :]
    summary = page.inner_text("#disputes-summary")
    assert "conflict" in summary and "independent sources" in summary
    page.screenshot(path=str(shots / "landing.png"))


def test_group_and_source_pages_have_their_own_addresses(page, base_url, shots):
    page.goto(base_url + "/")
    page.wait_for_selector(".finding")
    first = page.locator(".finding").first
    title = first.locator(".finding-title").inner_text()
    first.locator(".finding-title a").click()
    page.wait_for_selector("#group-page h2", state="visible")
    assert "/group/g" in page.url and page.inner_text("#group-page h2") == title
    claims = page.locator("#group-page tbody tr").count()
    assert claims == page.locator("#group-page .strip-line:not(.strip-scale)").count() >= 2
    assert "ranges_apart" in page.inner_text("#group-page")
    page.screenshot(path=str(shots / "group.png"), full_page=True)
    group_url = page.url
    data = page.request.get(group_url + ".json").json()
    assert data["group"]["title"] == title and len(data["claims"]) == claims
    source = page.locator("#group-page tbody tr a").first
    name = source.inner_text()
    source.click()
    page.wait_for_selector("#source-page h2", state="visible")
    assert page.inner_text("#source-page h2") == name and "/source/" in page.url
    page.reload()  # the address alone opens the page
    page.wait_for_selector("#source-page h2", state="visible")
    assert page.inner_text("#source-page h2") == name
    page.go_back()
    page.wait_for_selector("#group-page h2", state="visible")
    assert page.url == group_url
    page.go_back()
    page.wait_for_selector(".finding")
    assert page.locator("#main-view").is_visible()


def test_phone_shows_a_dispute_on_the_first_screen(browser, base_url, shots):
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        phone.goto(base_url + "/")
        phone.wait_for_selector(".finding .strip", state="visible")
        top, width = phone.evaluate(
            "(() => { const r = document.querySelector('.finding').getBoundingClientRect();"
            " return [r.top, r.width]; })()"
        )
        assert top < 844 and width <= 390
        rights = phone.evaluate(
            "[...document.querySelectorAll('.finding .strip-track')]"
            ".map((e) => e.getBoundingClientRect().right)"
        )
        assert rights and max(rights) <= 390
        phone.screenshot(path=str(shots / "phone-landing.png"))
    finally:
        phone.close()


def test_typing_a_topic_and_enter_picks_that_topic(page, base_url):
    page.goto(base_url + "/")
    wait_ready(page)
    page.click("#f-topic")
    search = page.locator(".dash-dropdown-search").first
    search.wait_for(state="visible")
    search.fill("killed")
    page.get_by_role("option", name=re.compile(r"^Killed \(")).first.wait_for(state="visible")
    page.keyboard.press("Enter")
    page.wait_for_function("window.location.search.includes('topic=')")
    assert "topic=killed" in page.url and "topic=casualties" not in page.url


@pytest.mark.parametrize(
    ("name", "size", "reason"),
    [
        ("report.pdf", 2_000, "only .wiki or .txt"),
        ("huge.wiki", 6 * 1024 * 1024, "larger than 5 MB"),
    ],
)
def test_a_refused_file_gets_its_reason_at_once(page, base_url, tmp_path, name, size, reason):
    page.goto(base_url + "/")
    wait_ready(page)
    before = page.inner_text("#view-summary")
    path = tmp_path / name
    path.write_bytes(b"x" * size)
    page.set_input_files("#upload input[type=file]", str(path))
    page.wait_for_function(
        "document.querySelector('#upload-message').textContent.includes('Not added')"
    )
    text = page.inner_text("#upload-message")
    assert name in text and reason in text
    assert page.inner_text("#view-summary") == before


def test_a_focus_in_the_address_opens_its_group_and_scrolls_to_it(page, base_url):
    page.goto(base_url + "/")
    wait_ready(page)
    claim_id = grid_ids(page)[0]
    page.goto(f"{base_url}/?focus=claim:{claim_id}")
    page.wait_for_selector("#detail .card.selected", state="visible")
    page.wait_for_selector("#focus-note:not([hidden])")
    assert "claims of one group" in page.inner_text("#focus-note")
    page.wait_for_function(
        "(() => { const r = document.querySelector('#detail').getBoundingClientRect();"
        " return r.top >= -5 && r.top < window.innerHeight; })()"
    )
    page.click("#clear-focus")
    page.wait_for_function("!window.location.search.includes('focus=')")


def test_clicking_a_chart_mark_puts_its_group_in_the_address(page, base_url):
    page.goto(base_url + "/")
    wait_ready(page)
    chart_marks(page, "chart-by-source", "> 0")
    point = page.locator("#chart-by-source .scatterlayer .point").first
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("window.location.search.includes('focus=claim')")
    page.wait_for_selector("#detail .card.selected", state="visible")
    page.go_back()
    page.wait_for_function("!window.location.search.includes('focus=')")


def test_a_filter_chip_removes_its_filter(page, base_url):
    page.goto(base_url + "/?topic=killed&verdict=single")
    wait_ready(page)
    chip = page.locator("#filter-chips .chip", has_text="verdict: single")
    chip.click()
    page.wait_for_function("!window.location.search.includes('verdict=')")
    assert "topic=killed" in page.url
    page.wait_for_function("document.querySelectorAll('#filter-chips .chip').length === 1")
    assert page.inner_text("#filter-chips").startswith("topic: Killed")


def test_each_chart_links_its_own_data_for_the_view(page, base_url):
    page.goto(base_url + "/?topic=strength")
    wait_ready(page)
    page.wait_for_function(
        "document.querySelector('#chart-strength-data').href.includes('topic=strength')"
    )
    href = page.get_attribute("#chart-strength-data", "href")
    rows = list(csv.DictReader(page.request.get(base_url + href).text().splitlines()))
    assert rows and {r["topic"] for r in rows} == {"strength"}


FOCUSED_JS = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return '';
    const classes = typeof e.className === 'string' ? e.className.split(' ').filter(Boolean) : [];
    const s = getComputedStyle(e);
    const ring = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1;
    return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + classes.map((c) => '.' + c).join('')
        + (e.closest('.finding') ? ' @finding' : '') + (ring ? ' +ring' : ' -ring');
}"""


def tab_to(page, selector: str, limit: int = 400) -> list[str]:
    """Press Tab until `selector` has the focus; returns what had the focus on the way, each
    as `tag#id.class [@finding] +ring|-ring` (inside a dispute row; a visible focus ring)."""
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED_JS))
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return seen
    raise AssertionError(f"{selector} was not reached by Tab; the focus went through {seen}")


def test_a_chart_table_opened_from_the_keyboard_holds_the_chart_data(page, base_url):
    page.goto(base_url + "/?topic=killed")
    wait_ready(page)
    chart_marks(page, "chart-by-source", "> 0")
    page.wait_for_function(
        "document.querySelector('#chart-by-source-data').href.includes('topic=killed')"
    )
    seen = tab_to(page, "#chart-by-source-table-toggle")
    assert seen[-1].endswith("+ring")
    toggle = page.locator("#chart-by-source-table-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    page.wait_for_selector("#chart-by-source-table table", state="visible")
    assert toggle.get_attribute("aria-expanded") == "true"
    caption = page.inner_text("#chart-by-source-table caption")
    assert "Sources:" in caption and "topic: Killed" in caption
    cells = page.evaluate(
        "[...document.querySelectorAll('#chart-by-source-table tbody tr')]"
        ".map((tr) => [...tr.children].map((td) => td.textContent))"
    )
    headers = page.locator("#chart-by-source-table thead th").all_inner_texts()
    href = page.get_attribute("#chart-by-source-data", "href")
    rows = list(csv.DictReader(page.request.get(base_url + href).text().splitlines()))
    assert rows and len(cells) == len(rows)
    at = {name: headers.index(name) for name in ("Source", "Figure as written", "Party", "Date")}
    assert [
        (c[at["Source"]], c[at["Figure as written"]], c[at["Party"]], c[at["Date"]]) for c in cells
    ] == [(r["source"], r["value_text"], r["party"], r["date"]) for r in rows]
    # Enter again closes it
    page.keyboard.press("Enter")
    page.wait_for_selector("#chart-by-source-table", state="hidden")
    assert toggle.get_attribute("aria-expanded") == "false"


def test_every_chart_control_and_table_toggle_is_reached_by_tab(page, base_url):
    page.goto(base_url + "/")
    wait_ready(page)
    seen = tab_to(page, "#chart-timeline-table-toggle", limit=600)
    # every stop shows where the focus is
    assert [s for s in seen if not s.endswith("+ring")] == []
    names = [s.removesuffix(" +ring") for s in seen]
    # the disputes' links (each row's title), the chart's topic menu, then per chart: its
    # toolbar, its data link and its table toggle
    rows = page.locator(".finding").count()
    assert names.count("a @finding") >= rows > 0
    assert any(n.startswith("button#chart-topic") for n in names)
    for chart_id in ("chart-by-source", "chart-strength", "chart-matrix", "chart-affiliation",
                     "chart-timeline"):  # fmt: skip
        toggle = names.index(f"button#{chart_id}-table-toggle.table-toggle")
        link = names.index(f"a#{chart_id}-data.chart-data")
        assert link == toggle - 1 and names[link - 1].startswith("button.modebar-btn")


def test_a_chart_image_is_exported_with_its_caption(page, base_url, shots):
    page.goto(base_url + "/?topic=killed")
    wait_ready(page)
    chart_marks(page, "chart-by-source", "> 0")
    page.evaluate(
        """() => { const original = window.Plotly.downloadImage;
            window.Plotly.downloadImage = (figure, options) => {
                window.exported = {layout: figure.layout, options: options};
                return original(figure, options); }; }"""
    )
    screen_title = page.evaluate(
        "document.querySelector('#chart-by-source .js-plotly-plot').layout.title.subtitle.text"
    )
    page.hover("#chart-by-source .js-plotly-plot")
    with page.expect_download() as info:
        page.click("#chart-by-source .modebar-btn[data-title='Download plot as a PNG']")
    download = info.value
    assert download.suggested_filename == "chart-by-source.png"
    target = shots / "export-chart-by-source.png"
    download.save_as(target)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    exported = page.evaluate("window.exported")
    caption = exported["layout"]["title"]["subtitle"]["text"].replace("<br>", " ")
    assert "Sources: " in caption and "Filters: " in caption and "topic: Killed" in caption
    assert exported["options"]["height"] > exported["layout"]["margin"]["t"]
    # the chart on the screen keeps its own title
    now = page.evaluate(
        "document.querySelector('#chart-by-source .js-plotly-plot').layout.title.subtitle.text"
    )
    assert now == screen_title and "Sources" not in now


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip


def pick_day(page, day: str) -> None:
    """Click `day` (YYYY-MM-DD) in the open date picker, going to its month first."""
    year, month, number = (int(part) for part in day.split("-"))
    controls = page.locator(".dash-datepicker-controls")
    for _ in range(240):
        shown_month = MONTHS.index(controls.locator(".dash-dropdown-value").inner_text().strip())
        shown_year = int(controls.locator("input[type=number]").input_value())
        steps = (year - shown_year) * 12 + (month - 1 - shown_month)
        if steps == 0:
            break
        controls.get_by_role("button", name="Next month" if steps > 0 else "Previous month").click()
    cell = page.locator(
        "td.dash-datepicker-calendar-date-inside:not(.dash-datepicker-calendar-date-disabled)",
        has_text=re.compile(rf"^{number}$"),
    )
    cell.click()


def test_picked_dates_write_the_url_and_narrow_the_grid(page, base_url):
    page.goto(base_url + "/")
    total = wait_grid(page, "n > 0")
    dates = page.evaluate(
        """async () => {
            const api = await dash_ag_grid.getApiAsync('claims-grid');
            const dates = [];
            api.forEachNode((node) => dates.push(node.data.date || ''));
            return dates;
        }"""
    )
    days = sorted({d for d in dates if len(d) == 10})
    month = days[-1][:7]
    in_month = [d for d in days if d.startswith(month)]
    assert len(in_month) >= 2, "the latest month has claims on several days"
    first, last = in_month[len(in_month) // 2 - 1], in_month[-1]
    expected = [d for d in dates if d and d[: len(first)] >= first and d[: len(last)] <= last]
    assert 0 < len(expected) < total
    page.click("#f-dates-from")
    page.wait_for_selector(".dash-datepicker-calendar", state="visible")
    pick_day(page, first)
    pick_day(page, last)
    page.wait_for_url(f"**date_from={first}**")
    page.wait_for_url(f"**date_to={last}**")
    assert wait_grid(page, f"n === {len(expected)}") == len(expected)
    # the typed boxes show the same ISO values, and the picker shows what was picked
    assert page.input_value("#f-date_from") == first
    assert page.input_value("#f-date_to") == last
    assert page.input_value("#f-dates-from") == first
    page.go_back()
    page.wait_for_function("!location.search.includes('date_to')")


def test_a_month_typed_in_the_address_still_filters_and_shows_in_the_picker(page, base_url):
    page.goto(base_url + "/")
    total = wait_grid(page, "n > 0")
    dates = page.evaluate(
        """async () => {
            const api = await dash_ag_grid.getApiAsync('claims-grid');
            const dates = [];
            api.forEachNode((node) => dates.push(node.data.date || ''));
            return dates;
        }"""
    )
    month = sorted(d for d in dates if d)[-1][:7]
    expected = [d for d in dates if d and d[:7] == month]
    page.goto(f"{base_url}/?date_from={month}&date_to={month}")
    assert wait_grid(page, f"n === {len(expected)}") == len(expected) < total
    assert page.input_value("#f-date_from") == month
    # the picker shows the month's first and last days, which select the same claims
    page.wait_for_function(f"document.querySelector('#f-dates-from').value === '{month}-01'")
    assert page.input_value("#f-dates-to").startswith(month)
    assert "date_from=" + month in page.url and "date_from=" + month + "-" not in page.url


def test_a_group_page_states_the_figures_set_apart_from_it(page, base_url):
    listed = page.request.get(base_url + "/disputes.json").json()["disputes"]
    apart = [d for d in listed if d["kept_apart"]]
    assert apart, "the bundled articles hold totals with incidents set apart"
    dispute = apart[0]
    page.goto(f"{base_url}/group/{dispute['group_id']}")
    page.wait_for_selector("#group-page .kept-apart li", state="visible")
    from claims.findings import finding_rules

    lines = page.locator("#group-page .kept-apart li:not(.hint)").all_inner_texts()
    assert "; ".join(lines) == dispute["kept_apart"]
    words = finding_rules().kept_apart_words.values()
    assert all(any(line.endswith(f": {w}") for w in words) for line in lines)


@pytest.fixture(scope="module")
def history_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    """A second app, over two articles and the drift table of their revisions."""
    from werkzeug.serving import make_server

    from claims.tables import write_table
    from dashboard import create_app
    from tests.test_changes import two_histories
    from tests.test_dashboard_callbacks import FrameStore

    rows, drift = two_histories()
    path = tmp_path_factory.mktemp("drift") / "drift.csv"
    write_table(drift, path)
    app = create_app(FrameStore(rows), seeds=False, history=path)  # type: ignore[arg-type]
    port = _free_port()
    server = make_server("127.0.0.1", port, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", app
    server.shutdown()
    thread.join(timeout=5)


def test_the_changes_view_opens_from_the_landing_page_and_follows_its_links(
    page, history_app, shots
):
    url, app = history_app
    page.goto(url + "/")
    page.click("#changes-link")
    page.wait_for_selector("#changes-page .change-row", state="visible")
    assert page.url == url + "/changes" and not page.locator("#main-view").is_visible()
    assert page.locator("#changes-page .change-row").count() == 6
    first = page.locator("#changes-page .change-row").first
    assert "lowered 12 → 9" in first.inner_text()
    assert first.locator("a[href*='oldid=505']").count() == 1
    page.screenshot(path=str(shots / "changes.png"), full_page=True)
    page.click("#changes-events >> text=source replaced (1)")
    page.wait_for_url("**/changes?event=source_replaced")
    page.wait_for_function("document.querySelectorAll('#changes-page .change-row').length === 1")
    assert "Reuters → AP" in page.inner_text("#changes-page .change-row")
    page.reload()  # the address alone gives the same list
    page.wait_for_selector("#changes-page .change-row", state="visible")
    assert page.locator("#changes-page .change-row").count() == 1
    page.click("#changes-page .change-row >> text=its claim")
    page.wait_for_selector("#claim-page #claim-history .js-plotly-plot", state="visible")
    assert "/claim/" in page.url and "How this figure changed" in page.inner_text("#claim-page")
    assert chart_marks(page, "claim-history", "== 4") == 4
    page.screenshot(path=str(shots / "claim.png"), full_page=True)
    page.go_back()
    page.wait_for_selector("#changes-page .change-row", state="visible")
    assert page.url.endswith("/changes?event=source_replaced")
    assert app.refused_requests.total == 0  # type: ignore[attr-defined]


def test_the_real_page_never_sends_a_request_the_server_refuses(page, base_url):
    page.goto(base_url + "/?topic=killed")
    page.wait_for_selector("#disputes")
    page.goto(base_url + "/")
    page.wait_for_selector("#disputes")
    assert SERVED[-1].refused_requests.total == 0  # of every test of this module run before
