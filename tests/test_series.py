"""kpi.series: period by period (months, quarters, years), each judged at its own last month's target."""

from __future__ import annotations

import pandas as pd
import pytest

from kpi.engine import kpi_table, monthly_series
from kpi.periods import Period
from kpi.series import period_series, periods_between
from kpi.targets import load_targets
from tests.test_engine import PLAN, figures

#: online_full's target steps up in April and in July (the roadmap).
ROADMAP_PLAN = load_targets(
    text="""
[plan]
name = "KH lộ trình"
year = 2024
near = 0.05

[kpi.online_full]
label = "Hồ sơ trực tuyến toàn trình"
numerator = ["received_online_full"]
denominator = ["received_new"]
target = 0.90
roadmap = { "2024-04" = 0.70, "2024-07" = 0.80 }
"""
)


def _rows() -> pd.DataFrame:
    # online_full per month (numerator/denominator): Jan 6/10, Feb 8/10, Mar 10/20, Apr 9/10, May 1/10
    months = [
        ("2024-01", 6, 10),
        ("2024-02", 8, 10),
        ("2024-03", 10, 20),
        ("2024-04", 9, 10),
        ("2024-05", 1, 10),
    ]
    return figures([{"period": p, "received_online_full": n, "received_new": d} for p, n, d in months])


def test_periods_between_cuts_the_last_one_to_the_end() -> None:
    assert [p.code for p in periods_between("quarter", "2023-11", "2024-05")] == [
        "2023-Q4",
        "2024-Q1",
        "2024-Q2",
    ]
    last = periods_between("quarter", "2023-11", "2024-05")[-1]
    assert (last.start, last.end, last.complete) == ("2024-04", "2024-05", False)
    assert [p.code for p in periods_between("year", "2023-01", "2024-05")] == ["2023", "2024"]
    assert periods_between("year", "2023-01", "2024-05")[0].complete  # 2023 is over by 2024-05
    with pytest.raises(ValueError):
        periods_between("ytd", "2024-01", "2024-05")
    with pytest.raises(ValueError):
        periods_between("month", "2024-05", "2024-01")


def test_quarters_are_sums_of_their_months_at_their_last_months_target() -> None:
    s = period_series(_rows(), ROADMAP_PLAN, kind="quarter", start="2024-01", end="2024-05")
    assert s["period"].tolist() == ["2024-Q1", "2024-Q2"]
    q1, q2 = s.iloc[0], s.iloc[1]
    # Q1: (6 + 8 + 10) / (10 + 10 + 20) = 24/40 = 0.6, judged at March's target 0.90 (roadmap from April)
    assert (q1["numerator"], q1["denominator"], q1["value"], q1["target"]) == (24, 40, 0.6, 0.90)
    # shortfall: ceil(0.90 × 40 − 24) = 12
    assert q1["shortfall"] == 12
    # Q2 up to May (not over): (9 + 1) / (10 + 10) = 0.5 at May's target 0.70
    assert (q2["numerator"], q2["denominator"], q2["value"], q2["target"]) == (10, 20, 0.5, 0.70)
    assert (q2["period_start"], q2["period_end"]) == ("2024-04", "2024-05")
    assert q2["period_name"] == "Quý II/2024 (số liệu đến Tháng 5/2024)"
    # the same as one kpi_table per quarter
    same = kpi_table(_rows(), ROADMAP_PLAN, period=Period("quarter", 2024, 2, last="2024-05"))
    assert same.iloc[0]["value"] == q2["value"] and same.iloc[0]["target"] == q2["target"]


def test_by_month_equals_the_monthly_series_and_by_year_is_the_whole_sum() -> None:
    f = _rows()
    by_month = period_series(f, PLAN, kind="month", start="2024-01", end="2024-05")
    monthly = monthly_series(f, PLAN, year=2024)
    cols = ["period", "kpi", "numerator", "denominator", "value", "target", "status"]
    pd.testing.assert_frame_equal(by_month[cols].reset_index(drop=True), monthly[cols].reset_index(drop=True))
    year = period_series(f, PLAN, kind="year", start="2024-01", end="2024-05")
    row = year[year["kpi"] == "online_full"].iloc[0]
    # 2024 up to May: (6 + 8 + 10 + 9 + 1) / (10 + 10 + 20 + 10 + 10) = 34/60
    assert (row["period"], row["numerator"], row["denominator"]) == ("2024", 34, 60)
    assert row["period_name"] == "Năm 2024 (số liệu đến Tháng 5/2024)"


def test_by_unit_keeps_each_units_periods() -> None:
    f = pd.concat([_rows(), _rows().assign(unit="Phòng B")], ignore_index=True)
    s = period_series(f, ROADMAP_PLAN, kind="quarter", start="2024-01", end="2024-05", by=["unit"])
    assert s[["unit", "period"]].values.tolist() == [
        ["Phòng A", "2024-Q1"],
        ["Phòng A", "2024-Q2"],
        ["Phòng B", "2024-Q1"],
        ["Phòng B", "2024-Q2"],
    ]
    assert s["numerator"].tolist() == [24, 10, 24, 10]
