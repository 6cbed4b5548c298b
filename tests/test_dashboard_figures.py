"""Figure builders: pure DataFrame -> Figure, checked without a browser."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import figures


def claim(claim_id: str, **values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "claim_id": claim_id,
        "article": "Battle",
        "topic": "killed",
        "party": "Rebels",
        "side": "1",
        "value_low": 10.0,
        "value_high": 10.0,
        "value_text": "10",
        "date": "2024-11-30",
        "source": "SOHR",
        "source_name": "Syrian Observatory for Human Rights",
        "source_kind": "monitor",
        "claimant": "",
        "quote": "10 rebels were killed.",
        "unit": "",
        "group_id": "g1",
    }
    row.update(values)
    return row


def frame(*rows: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def marks(figure) -> list[tuple[float, float, str]]:
    out = []
    for trace in figure.data:
        for x, y, custom in zip(trace.x, trace.y, trace.customdata, strict=True):
            out.append((x, y, custom[0]))
    return out


def test_figures_by_source_has_one_row_per_party_and_a_mark_per_claim():
    claims = frame(
        claim("a1"),
        claim(
            "a2",
            source="AP",
            source_name="AP",
            source_kind="news agency",
            value_low=12.0,
            value_high=20.0,
        ),
        claim("a3", party="Army", source="SANA", source_kind="state media"),
        claim("a4", topic="strength", party="Army", value_low=5000.0, value_high=5000.0),
    )
    figure = figures.figures_by_source(claims, "killed", "Killed")
    assert sorted(c for _, _, c in marks(figure)) == ["a1", "a2", "a3"]
    assert list(figure.layout.yaxis.ticktext) == ["Army", "Rebels"]
    assert figure.layout.title.text == "Killed: figures by source"
    assert "people" in figure.layout.title.subtitle.text
    assert "people" in figure.layout.xaxis.title.text


def test_range_claim_is_a_bar_from_low_to_high():
    figure = figures.figures_by_source(frame(claim("r", value_low=12.0, value_high=20.0)), "killed")
    trace = figure.data[0]
    assert trace.x[0] == 12.0
    assert trace.error_x.array[0] == 8.0
    assert trace.error_x.arrayminus[0] == 0


def test_open_ended_claim_is_drawn_at_its_known_end_with_an_arrow():
    figure = figures.figures_by_source(
        frame(claim("o", value_low=30.0, value_high=None, value_text="more than 30")), "killed"
    )
    trace = figure.data[0]
    assert trace.x[0] == 30.0
    assert list(trace.marker.symbol) == ["triangle-right"]


def test_traces_are_coloured_by_source_kind_family():
    claims = frame(
        claim("m"),
        claim("s", source="SANA", source_kind="state media"),
        claim("n", source="", source_kind="none"),
    )
    figure = figures.figures_by_source(claims, "killed")
    colours = {trace.name: trace.marker.color for trace in figure.data}
    assert colours["Monitors, NGOs, UN"] == "#0072B2"
    assert colours["State, military, party media"] == "#D55E00"
    assert colours["No citation"] == "#000000"


def test_share_claims_are_not_drawn_on_a_count_axis():
    figure = figures.figures_by_source(frame(claim("p", unit="percent")), "killed")
    assert not figure.data
    assert "No killed figures" in figure.layout.annotations[0].text


def test_a_forces_equipment_is_not_drawn_on_a_head_count_axis():
    claims = frame(
        claim("troops", topic="strength", value_low=5000.0, value_high=5000.0, thing=""),
        claim("tanks", topic="strength", value_low=500.0, value_high=500.0, thing="tank"),
    )
    figure = figures.figures_by_source(claims, "strength")
    assert [c for _, _, c in marks(figure)] == ["troops"]


def test_empty_view_says_what_to_do():
    figure = figures.figures_by_source(frame(claim("x")).iloc[0:0], "killed", "Killed")
    assert figure.layout.title.text.startswith("Killed")
    assert "Clear some filters" in figure.layout.annotations[0].text


@pytest.mark.parametrize(
    "hostile",
    ["<script>alert(1)</script>", '<a href="javascript:alert(1)">x</a>', "<img onerror=alert(1)>"],
)
def test_hostile_text_reaches_plotly_escaped(hostile):
    claims = frame(
        claim("h", quote=hostile, source_name=hostile, party=hostile, value_text=hostile)
    )
    figure = figures.figures_by_source(claims, "killed")
    custom = [str(v) for v in figure.data[0].customdata[0]]
    ticks = list(figure.layout.yaxis.ticktext)
    for text in custom + ticks:
        assert "<script" not in text and "<a " not in text and "<img" not in text
    assert any("&lt;" in text for text in custom)


def test_matrix_is_symmetric_and_shows_share_in_conflict():
    matrix = pd.DataFrame(
        {
            "source_a": ["AP", "AP", "SOHR"],
            "source_b": ["SOHR", "SOHR", "SANA"],
            "verdict": ["agree", "conflict", "conflict"],
            "count": [3, 1, 2],
        }
    )
    figure = figures.agreement_matrix(matrix)
    heat = figure.data[0]
    labels = list(heat.x)
    z = pd.DataFrame(heat.z, index=list(heat.y), columns=labels)
    assert z.loc["AP", "SOHR"] == pytest.approx(0.25)
    assert z.loc["SOHR", "AP"] == pytest.approx(0.25)
    assert z.loc["SANA", "SOHR"] == pytest.approx(1.0)
    assert pd.isna(z.loc["AP", "SANA"])
    assert "conflict" in figure.layout.title.subtitle.text


def test_matrix_without_pairs_is_an_explained_empty_figure():
    figure = figures.agreement_matrix(
        pd.DataFrame(columns=["source_a", "source_b", "verdict", "count"])
    )
    assert not figure.data
    assert figure.layout.annotations


def test_claim_dates_read_every_precision():
    dates = figures.claim_dates(pd.Series(["2024", "2024-11", "2024-11-30", "", "garbage"]))
    assert [d.strftime("%Y-%m-%d") if not pd.isna(d) else None for d in dates] == [
        "2024-01-01",
        "2024-11-01",
        "2024-11-30",
        None,
        None,
    ]


def test_timeline_leaves_out_undated_claims():
    claims = frame(claim("d", date="2024-11-30"), claim("u", date=""))
    figure = figures.timeline(claims, {"killed": "Killed"})
    assert [c for _, _, c in marks(figure)] == ["d"]
    assert list(figure.data[0].y) == ["Killed"]


def test_a_timeline_of_one_day_spans_a_month_around_it():
    figure = figures.timeline(frame(claim("a"), claim("b")), {"killed": "Killed"})
    assert list(figure.layout.xaxis.range) == ["2024-11-15", "2024-12-15"]
    spread = frame(claim("a"), claim("b", date="2024-12-30"))
    assert figures.timeline(spread, {"killed": "Killed"}).layout.xaxis.range is None


def test_losses_by_affiliation_draws_only_figures_somebody_claimed():
    claims = frame(
        claim("m1", value_low=100.0, value_high=100.0),
        claim("m2", value_low=300.0, value_high=400.0),
        claim("s1", source="SANA", source_kind="state media", value_low=1000.0, value_high=1000.0),
    )
    figure = figures.losses_by_affiliation(claims, ("killed",), "Killed")
    by_name = {trace.name: trace for trace in figure.data}
    monitors = by_name["Monitors, NGOs, UN"]
    # from the lowest figure claimed (100) to the highest (400): no median (250) is drawn
    assert list(monitors.y) == [100.0] and list(monitors.error_y.array) == [300.0]
    state = by_name["State, military, party media"]
    assert list(state.y) == [1000.0] and list(state.error_y.array) == [0.0]
    assert "SANA" in state.customdata[0][2]
    assert figure.layout.title.subtitle.text.startswith("the lowest to the highest figure")
    assert figure.layout.yaxis.dtick == 1 and figure.layout.yaxis.tickformat == ",.0f"


def test_rows_of_figures_by_source_are_parted_and_marks_stay_in_their_row():
    claims = frame(*(claim(f"a{i}", source=f"S{i}") for i in range(5)),
                   claim("b", party="Army", source="T"))  # fmt: skip
    figure = figures.figures_by_source(claims, "killed", "Killed")
    ys = [y for trace in figure.data for y in trace.y]
    rows = sorted({round(y) for y in ys})
    assert all(abs(y - round(y)) <= 0.3 + 1e-9 for y in ys) and len(rows) == 2
    assert [shape.y0 for shape in figure.layout.shapes] == [0.5]
    assert figure.layout.xaxis.dtick == 1  # ticks at powers of ten only: 1, 10, 100...


def test_kind_family_of_unknown_kind_is_unknown():
    assert figures.kind_family("carrier pigeon") == "unknown"
    assert figures.kind_family(None) == "none"
    assert figures.kind_family("state media") == "state"


def test_matrix_of_other_verdicts_only_is_empty():
    matrix = pd.DataFrame(
        {"source_a": ["AP"], "source_b": ["SOHR"], "verdict": ["updated"], "count": [2]}
    )
    assert not figures.agreement_matrix(matrix).data


def test_figures_with_no_citation_are_not_a_source_of_the_matrix():
    matrix = pd.DataFrame(
        {
            "source_a": ["", "AP", ""],
            "source_b": ["SOHR", "SOHR", "AP"],
            "verdict": ["conflict", "agree", "agree"],
            "count": [3, 1, 2],
        }
    )
    figure = figures.agreement_matrix(matrix)
    assert sorted(figure.data[0].x) == ["AP", "SOHR"]
    assert "(no citation)" not in list(figure.data[0].y)
