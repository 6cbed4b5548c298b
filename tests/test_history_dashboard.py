"""A group's page shows how its figures changed, from a drift table of `claims history`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from dash import dcc, html

from claims.cli import main
from claims.errors import ArticleError
from claims.extract import extract_article
from claims.history import STEP_COLUMNS, Revision, Tracker, drift_frame, figure_steps, read_drift
from claims.tables import claims_frame
from dashboard import create_app
from dashboard.callbacks.pages import render_page  # (dashboard.pages, imported as the app does)
from dashboard.data import DashboardData
from dashboard.figures import history_steps, history_steps_spec
from tests.test_dashboard_callbacks import FrameStore
from tests.test_dashboard_pages import find, texts

TITLE = "Raid on Redtown"
TEXT = (
    "On 3 May 2020, {n} soldiers were killed in Redtown.<ref>{{{{cite news|work=Reuters|"
    "title=Clashes in Redtown|url=https://www.reuters.com/x|date=3 May 2020}}}}</ref>\n\n"
    "== Aftermath ==\nOn 4 May 2020, {m} civilians were injured in Redtown.<ref>{{{{cite news|"
    "work=BBC News|title=Aftermath|url=https://www.bbc.co.uk/y|date=4 May 2020}}}}</ref>\n"
)
VALUES = [(10, 5), (12, 5), (12, 5), (9, 5)]


def history() -> tuple[pd.DataFrame, str]:
    tracker = Tracker(TITLE)
    text = ""
    for k, (n, m) in enumerate(VALUES):
        text = TEXT.format(n=n, m=m)
        tracker.add(Revision(TITLE, str(500 + k), f"2020-05-0{k + 3}T10:00:00Z", f"edit {k}", text))
    return drift_frame(tracker.events), text


@pytest.fixture(scope="module")
def loaded() -> tuple[DashboardData, pd.DataFrame]:
    drift, last = history()
    rows = claims_frame(extract_article(last, TITLE)).to_dict("records")
    return DashboardData(FrameStore(rows)), drift


def group_of(data: DashboardData, topic: str) -> str:
    claims = data.snapshot().claims
    return str(claims[claims["topic"] == topic]["group_id"].iloc[0])


def test_figure_steps_are_the_values_of_the_groups_figures(loaded) -> None:
    data, drift = loaded
    claims = data.snapshot().claims
    killed = claims[claims["topic"] == "killed"]
    steps = figure_steps(drift, killed)
    assert list(steps.columns) == list(STEP_COLUMNS)
    assert list(steps["value_text"]) == ["10", "12", "9"]
    assert list(steps["event"]) == ["added", "raised", "lowered"]
    assert list(steps["url"]) == [
        f"https://en.wikipedia.org/w/index.php?oldid={r}" for r in ("500", "501", "503")
    ]
    # the other figure of the article is not this group's
    assert figure_steps(drift, claims[claims["topic"] == "injured"])["value_text"].tolist() == ["5"]
    assert figure_steps(drift, killed.assign(article="Elsewhere")).empty


def test_a_groups_page_draws_its_history_and_links_each_revision(loaded) -> None:
    data, drift = loaded
    group_id = group_of(data, "killed")
    page = render_page(data.snapshot(), f"/group/{group_id}", drift)
    assert "How these figures changed" in texts(page)
    graph = next(g for g in find(page, dcc.Graph) if g.id == "group-history")
    trace = graph.figure.data[0]
    assert list(trace.y) == [10.0, 12.0, 9.0]
    assert trace.line.shape == "hv"
    hrefs = [a.href for a in find(page, html.A)]
    for revision in ("500", "501", "503"):
        assert f"https://en.wikipedia.org/w/index.php?oldid={revision}" in hrefs
    words = " ".join(texts(page))
    assert "lowered 12 → 9" in words and "edit 3" in words
    # without a drift table the page is as before
    plain = render_page(data.snapshot(), f"/group/{group_id}")
    assert "How these figures changed" not in texts(plain)


def test_a_removal_breaks_the_line_and_names_are_escaped() -> None:
    steps = pd.DataFrame(
        {
            "figure_id": ["f", "f", "f"],
            "figure": ["<script>x</script>"] * 3,
            "revision": ["1", "2", "3"],
            "timestamp": ["2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z", "2020-01-03T00:00:00Z"],
            "url": [""] * 3,
            "event": ["added", "removed", "restored"],
            "value_low": [10.0, None, 8.0],
            "value_high": [20.0, None, 8.0],
            "value_text": ["10-20", "", "8"],
            "source": ["AP", "", "AP"],
            "detail": ["added", "removed", "restored"],
            "comment": ["", "", ""],
        }
    )
    figure = history_steps(steps)
    assert list(figure.data[0].y) == [15.0, None, 8.0]
    assert "<script>" not in figure.data[0].name
    empty = history_steps_spec(steps.iloc[0:0])
    assert empty["data"] == []


def test_a_drift_table_is_read_back_from_every_format(tmp_path: Path) -> None:
    drift, _ = history()
    for suffix in (".csv", ".json", ".jsonl", ".parquet"):
        path = tmp_path / f"drift{suffix}"
        from claims.tables import write_table

        write_table(drift, path)
        back = read_drift(path)
        assert list(back["revision"]) == list(drift["revision"]), suffix
        assert list(back["new_low"]) == list(drift["new_low"]), suffix


def test_a_bad_drift_table_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"
    path.write_text("article,claim_id\nA,1\n", encoding="utf-8")
    with pytest.raises(ArticleError) as caught:
        read_drift(path)
    assert str(caught.value) == f"{path}: is not a drift table (no column figure)"
    with pytest.raises(ArticleError):
        create_app(FrameStore([]), seeds=False, history=path)  # type: ignore[arg-type]


def test_the_app_loads_the_drift_table_it_is_given(tmp_path: Path, loaded) -> None:
    data, drift = loaded
    path = tmp_path / "drift.csv"
    drift.to_csv(path, index=False)
    rows = data.store.rows  # type: ignore[attr-defined]
    app = create_app(FrameStore(rows), seeds=False, history=path)  # type: ignore[arg-type]
    assert len(app.counterclaim_data.history) == len(drift)


def test_claims_serve_takes_a_drift_table(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    assert "--history DRIFT" in capsys.readouterr().out
