"""The trend figure on a real time axis, and the sparkline of the KPI cards."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from ui.figures import MONTH_FORMAT, sparkline_svg, trend_lines
from ui.fmt import STATUS_COLORS


def _series(periods: list[str]) -> pd.DataFrame:
    n = len(periods)
    return pd.DataFrame(
        {
            "period": periods,
            "value": [0.5 + 0.02 * i for i in range(n)],
            "target": [0.8] * n,
            "ytd_value": [0.5 + 0.01 * i for i in range(n)],
        }
    )


def _trace(fig: go.Figure, name: str) -> object:
    found = [t for t in fig.data if t.name == name]
    return found[0] if found else None


def test_x_values_are_first_days_of_months_on_a_date_axis() -> None:
    periods = [f"2024-{m:02d}" for m in range(1, 7)]
    fig = trend_lines(_series(periods), label="Toàn trình", projection=0.7)
    for trace in fig.data:
        assert all(isinstance(x, dt.datetime) and x.day == 1 for x in trace.x), trace.name
    assert list(fig.data[0].x) == [pd.Timestamp(f"{p}-01") for p in periods]
    assert fig.layout.xaxis.type == "date"
    assert fig.layout.xaxis.tickformat == MONTH_FORMAT == "T%-m/%Y"  # ticks read T6/2024
    # the axis spans the whole year: December has its place even before it has figures
    lo, hi = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    assert lo < pd.Timestamp("2024-01-01") and pd.Timestamp("2024-12-01") < hi < pd.Timestamp("2025-01-01")


def test_projection_runs_from_the_last_actual_month_to_december() -> None:
    fig = trend_lines(
        _series(["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]),
        label="Toàn trình",
        projection=0.75,
    )
    proj = _trace(fig, "Dự báo cuối năm")
    assert list(proj.x) == [pd.Timestamp("2024-06-01"), pd.Timestamp("2024-12-01")]
    assert round(proj.y[0], 6) == 55.0  # from the year to date of June
    assert proj.y[-1] == 75.0
    # a month without figures is a gap in time, not a step to the next category
    gap = trend_lines(_series(["2024-01", "2024-02", "2024-05"]), label="x", projection=0.6)
    assert _trace(gap, "Dự báo cuối năm").x[0] == pd.Timestamp("2024-05-01")
    assert (gap.data[0].x[2] - gap.data[0].x[1]).days == 90


def test_no_projection_in_december() -> None:
    periods = [f"2024-{m:02d}" for m in range(1, 13)]
    fig = trend_lines(_series(periods), label="Toàn trình", projection=0.9)
    assert _trace(fig, "Dự báo cuối năm") is None
    assert fig.data[0].x[-1] == pd.Timestamp("2024-12-01")


def test_compared_units_share_the_time_axis() -> None:
    s = pd.concat([_series(["2024-01", "2024-02"]).assign(unit=u) for u in ("A", "B")])
    fig = trend_lines(s, label="x", groups=["A", "B"], group_col="unit")
    assert [t.name for t in fig.data] == ["A", "B", "Chỉ tiêu (lộ trình)"]
    assert list(fig.data[1].x) == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-01")]
    assert fig.layout.xaxis.type == "date"


def test_sparkline_is_an_svg_line_in_the_colour_given() -> None:
    svg = sparkline_svg([50.0, 60.0, 55.0], STATUS_COLORS["below"])
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert f'stroke="{STATUS_COLORS["below"]}"' in svg
    points = svg.split('points="')[1].split('"')[0].split()
    assert len(points) == 3
    assert points[0].startswith("0.00,") and points[-1].startswith("100.00,")
    assert float(points[1].split(",")[1]) < float(points[0].split(",")[1])  # higher value, higher on screen
    assert "\n" not in svg  # one line: it sits inside the card's markdown
    assert sparkline_svg([50.0], "#000") == ""
    assert sparkline_svg([], "#000") == ""
    assert "points=" in sparkline_svg([70.0, 70.0], "#000")  # flat, no division by zero
