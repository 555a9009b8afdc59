"""KPI engine: hand-computed ratios of sums, boundaries, unknown figures, and properties."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_access.columns import COUNT_COLUMNS
from kpi.engine import (
    PROJECTION_METHOD_VI,
    add_totals,
    aggregate,
    evaluate,
    kpi_table,
    monthly_series,
    previous_period,
    project_year_end,
    rank,
    with_change,
)
from kpi.targets import KpiSpec, Plan, load_targets, with_overrides

PLAN_TEXT = """
[plan]
name = "KH thử"
year = 2024
near = 0.05

[kpi.online_full]
label = "Hồ sơ trực tuyến toàn trình"
numerator = ["received_online_full"]
denominator = ["received_new"]
target = 0.90

[kpi.online_payment]
label = "Thanh toán trực tuyến"
numerator = ["payments_online"]
denominator = ["payments_total"]
target = 0.45

[kpi.on_time]
label = "Giải quyết đúng hạn"
numerator = ["resolved_early", "resolved_on_time"]
denominator = ["resolved"]
target = 0.95
"""
PLAN = load_targets(text=PLAN_TEXT)
A, B, C = "Phòng A", "Phòng B", "Phòng C"


def figures(rows: Sequence[dict[str, object]]) -> pd.DataFrame:
    """A figures frame: text columns plus the count columns used here (Int64, None = unknown)."""
    cols = [
        "received_online_full",
        "received_new",
        "payments_online",
        "payments_total",
        "resolved_early",
        "resolved_on_time",
        "resolved",
    ]
    data: dict[str, object] = {
        "period": pd.Series([r.get("period", "2024-03") for r in rows], dtype=str),
        "unit": pd.Series([r.get("unit", A) for r in rows], dtype=str),
        "field": pd.Series([r.get("field", "Thi, tuyển sinh") for r in rows], dtype=str),
        "procedure_code": pd.Series([r.get("procedure_code") for r in rows], dtype=object),
        "procedure_name": pd.Series([None] * len(rows), dtype=object),
    }
    for c in cols:
        data[c] = pd.array([r.get(c) for r in rows], dtype="Int64")
    return pd.DataFrame(data)


def row_of(table: pd.DataFrame, kpi: str, **group: object) -> pd.Series:
    t = table[table["kpi"] == kpi]
    for k, v in group.items():
        t = t[t[k] == v]
    assert len(t) == 1, t
    return t.iloc[0]


def one(num: int | None, den: int | None, target: float, near: float = 0.05) -> pd.Series:
    """Evaluate a single aggregated row of a one-KPI plan with ``target``."""
    plan = Plan(
        "p", 2024, near, {"k": KpiSpec("k", "K", ("received_online_full",), ("received_new",), target)}
    )
    agg = pd.DataFrame(
        {
            "kpi": ["k"],
            "numerator": pd.array([num], dtype="Int64"),
            "denominator": pd.array([den], dtype="Int64"),
            "rows": [1],
            "rows_missing": [0],
        }
    )
    return evaluate(agg, plan, period="2024-03").iloc[0]


# ---------------------------------------------------------------------------- hand-computed


def test_ratio_of_sums_over_units() -> None:
    f = figures(
        [
            {"unit": A, "received_online_full": 61, "received_new": 90},
            {"unit": B, "received_online_full": 70, "received_new": 94},
        ]
    )
    r = row_of(kpi_table(f, PLAN, period="2024-03"), "online_full")
    # (61+70)/(90+94) = 131/184 = 0.71195...
    assert (r.numerator, r.denominator) == (131, 184)
    assert r.value == pytest.approx(131 / 184)
    assert r.value == pytest.approx(0.711956521)
    assert r.target == 0.90
    assert r.gap == pytest.approx(131 / 184 - 0.90)
    # ⌈0.9 × 184 − 131⌉ = ⌈165.6 − 131⌉ = ⌈34.6⌉ = 35
    assert r.shortfall == 35
    assert r.status == "below"
    assert (r.rows, r.rows_missing) == (2, 0)
    assert r.label == "Hồ sơ trực tuyến toàn trình"


def test_never_an_average_of_percentages() -> None:
    f = figures(
        [
            {"unit": A, "received_online_full": 1, "received_new": 1},  # 100 %
            {"unit": B, "received_online_full": 10, "received_new": 100},  # 10 %
        ]
    )
    # (1+10)/(1+100) = 11/101 = 0.1089..., not (100 % + 10 %)/2 = 55 %
    assert row_of(kpi_table(f, PLAN, period="2024-03"), "online_full").value == pytest.approx(11 / 101)


def test_two_column_numerator() -> None:
    f = figures(
        [
            {"resolved_early": 50, "resolved_on_time": 40, "resolved": 100},
            {"unit": B, "resolved_early": 3, "resolved_on_time": None, "resolved": 10},  # unknown: left out
        ]
    )
    r = row_of(kpi_table(f, PLAN, period="2024-03"), "on_time")
    # (50+40)/100 = 0.90; ⌈0.95 × 100 − 90⌉ = 5; 0.90 ≥ 0.95 − 0.05 → near
    assert (r.numerator, r.denominator, r.shortfall, r.status) == (90, 100, 5, "near")
    assert (r.rows, r.rows_missing) == (2, 1)


@pytest.mark.parametrize(
    ("num", "den", "target", "shortfall", "status"),
    [
        (90, 100, 0.90, 0, "met"),  # exactly on target: 0.9 × 100 = 90 (no float trap)
        (90, 200, 0.45, 0, "met"),  # 0.45 × 200 = 90
        (89, 100, 0.90, 1, "near"),  # 90 − 89 = 1; 0.89 ≥ 0.85
        (85, 100, 0.90, 5, "near"),  # exactly target − near: 0.85 ≥ 0.9 − 0.05 (0.8500000000000001 in floats)
        (84, 100, 0.90, 6, "below"),  # 0.84 < 0.85
        (100, 100, 1.00, 0, "met"),
        (99, 100, 1.00, 1, "near"),
        (0, 7, 0.15, 2, "below"),  # ⌈0.15 × 7⌉ = ⌈1.05⌉ = 2
        (1, 7, 0.15, 1, "near"),  # ⌈1.05 − 1⌉ = 1; 1/7 = 0.142... < 0.15 but ≥ 0.15 − 0.05
        (57, 100, 0.57, 0, "met"),  # 0.57 × 100 = 56.99999999999999 in floats
        (7, 100, 0.07, 0, "met"),  # 0.07 × 100 = 7.000000000000001 in floats: a float ceil says 1
        (3, 3, 0.0, 0, "met"),
        (0, 5, 0.0, 0, "met"),
    ],
)
def test_shortfall_and_status_are_exact(
    num: int, den: int, target: float, shortfall: int, status: str
) -> None:
    r = one(num, den, target)
    assert (r.shortfall, r.status) == (shortfall, status)


def test_zero_denominator_is_no_data() -> None:
    f = figures([{"received_online_full": 0, "received_new": 0}])
    r = row_of(kpi_table(f, PLAN, period="2024-03"), "online_full")
    assert (r.numerator, r.denominator, r.rows, r.rows_missing) == (0, 0, 1, 0)
    assert math.isnan(r.value) and math.isnan(r.gap)
    assert r.shortfall is pd.NA
    assert r.status == "no_data"


def test_unknown_figures_are_left_out_and_counted() -> None:
    f = figures(
        [
            {"unit": A, "received_online_full": 80, "received_new": 100},
            {"unit": B, "received_online_full": None, "received_new": 50},
            {"unit": C, "received_online_full": 5, "received_new": None},
        ]
    )
    r = row_of(kpi_table(f, PLAN, period="2024-03"), "online_full")
    # only A is complete: 80/100
    assert (r.numerator, r.denominator, r.rows, r.rows_missing) == (80, 100, 3, 2)
    assert r.value == pytest.approx(0.8)


def test_all_unknown_is_no_data_not_zero() -> None:
    f = figures([{"received_online_full": 10, "received_new": 20}])  # payments unknown
    r = row_of(kpi_table(f, PLAN, period="2024-03"), "online_payment")
    assert r.numerator is pd.NA and r.denominator is pd.NA
    assert (r.rows, r.rows_missing, r.status) == (1, 1, "no_data")
    assert math.isnan(r.value) and r.shortfall is pd.NA


def test_absent_column_is_unknown() -> None:
    f = figures([{"received_online_full": 10, "received_new": 20}]).drop(columns=["payments_online"])
    r = row_of(kpi_table(f, PLAN, period="2024-03"), "online_payment")
    assert (r.status, r.rows_missing) == ("no_data", 1)


def test_no_figures_in_scope_still_lists_every_kpi() -> None:
    t = kpi_table(
        figures([{"period": "2024-01", "received_online_full": 1, "received_new": 1}]), PLAN, period="2024-03"
    )
    assert list(t["kpi"]) == list(PLAN.kpis)
    assert set(t["status"]) == {"no_data"} and set(t["rows"]) == {0}


def test_columns_and_dtypes() -> None:
    t = kpi_table(
        figures([{"received_online_full": 1, "received_new": 2}]), PLAN, period="2024-03", by=["unit"]
    )
    expected = "unit kpi label numerator denominator rows rows_missing target value gap shortfall status"
    assert list(t.columns) == expected.split()
    assert str(t["numerator"].dtype) == "Int64" and str(t["shortfall"].dtype) == "Int64"
    assert type(t["numerator"].tolist()[0]) is int
    agg = aggregate(
        figures([{"received_online_full": 1, "received_new": 2}]),
        PLAN,
        start="2024-03",
        end="2024-03",
        by=["unit"],
    )
    assert list(agg.columns) == ["unit", "kpi", "numerator", "denominator", "rows", "rows_missing"]


def test_month_range_and_ytd() -> None:
    f = figures(
        [
            {"period": "2023-12", "received_online_full": 1000, "received_new": 1000},  # other year: out
            {"period": "2024-01", "received_online_full": 40, "received_new": 50},
            {"period": "2024-02", "received_online_full": 45, "received_new": 50},
            {"period": "2024-03", "received_online_full": 47, "received_new": 50},
            {"period": "2024-04", "received_online_full": 0, "received_new": 50},  # after: out
        ]
    )
    month = row_of(kpi_table(f, PLAN, period="2024-03"), "online_full")
    assert (month.numerator, month.denominator, month.status) == (47, 50, "met")  # 0.94
    ytd = row_of(kpi_table(f, PLAN, period="2024-03", ytd=True), "online_full")
    # (40+45+47)/(50+50+50) = 132/150 = 0.88; ⌈0.9 × 150 − 132⌉ = ⌈135 − 132⌉ = 3
    assert (ytd.numerator, ytd.denominator, ytd.shortfall, ytd.status) == (132, 150, 3, "near")
    agg = aggregate(f, PLAN, start="2024-02", end="2024-03")
    assert row_of(agg, "online_full").numerator == 45 + 47


def test_groups_by_unit_and_field_and_procedure() -> None:
    f = figures(
        [
            {
                "unit": A,
                "field": "F1",
                "procedure_code": "1.001",
                "received_online_full": 9,
                "received_new": 10,
            },
            {"unit": A, "field": "F1", "procedure_code": None, "received_online_full": 1, "received_new": 10},
            {"unit": A, "field": "F2", "received_online_full": 5, "received_new": 5},
            {"unit": B, "field": "F1", "received_online_full": 2, "received_new": 4},
        ]
    )
    t = kpi_table(f, PLAN, period="2024-03", by=["unit", "field"])
    t = t[t["kpi"] == "online_full"]
    assert list(zip(t["unit"], t["field"], t["numerator"], t["denominator"], strict=True)) == [
        (A, "F1", 10, 20),
        (A, "F2", 5, 5),
        (B, "F1", 2, 4),
    ]
    p = kpi_table(f, PLAN, period="2024-03", by=["procedure_code"])
    p = p[p["kpi"] == "online_full"]
    assert p["procedure_code"].iloc[0] == "1.001" and p["numerator"].iloc[0] == 9
    assert (
        pd.isna(p["procedure_code"].iloc[1]) and p["numerator"].iloc[1] == 1 + 5 + 2
    )  # NA code kept as a group


def test_bad_arguments() -> None:
    f = figures([{"received_new": 1}])
    with pytest.raises(ValueError, match="YYYY-MM"):
        kpi_table(f, PLAN, period="2024-3")
    with pytest.raises(ValueError, match="cannot group"):
        kpi_table(f, PLAN, period="2024-03", by=["procedure_name"])
    with pytest.raises(ValueError, match="needs `period`"):
        evaluate(aggregate(f, PLAN, start="2024-03", end="2024-03"), PLAN)


# ---------------------------------------------------------------------------- targets in the engine


ROADMAP_PLAN = load_targets(
    text=PLAN_TEXT
    + """
[kpi.online_full.roadmap]
"2024-06" = 0.70
"2024-09" = 0.80

[kpi.online_full.units]
"Phòng B" = 0.60
"""
)


def test_roadmap_target_at_the_last_month_of_the_range() -> None:
    f = figures(
        [
            {"period": p, "received_online_full": 75, "received_new": 100}
            for p in ("2024-05", "2024-06", "2024-07", "2024-09")
        ]
    )
    assert row_of(kpi_table(f, ROADMAP_PLAN, period="2024-05"), "online_full").target == 0.90
    r = row_of(kpi_table(f, ROADMAP_PLAN, period="2024-06"), "online_full")
    assert (r.target, r.status, r.shortfall) == (0.70, "met", 0)
    ytd = row_of(kpi_table(f, ROADMAP_PLAN, period="2024-09", ytd=True), "online_full")
    # 300/400 = 0.75 against the September roadmap entry 0.80: ⌈320 − 300⌉ = 20, 0.75 ≥ 0.75 → near
    assert (ytd.target, ytd.shortfall, ytd.status) == (0.80, 20, "near")


def test_unit_override_only_when_grouped_by_unit() -> None:
    f = figures(
        [
            {"period": "2024-07", "unit": A, "received_online_full": 65, "received_new": 100},
            {"period": "2024-07", "unit": B, "received_online_full": 65, "received_new": 100},
        ]
    )
    t = kpi_table(f, ROADMAP_PLAN, period="2024-07", by=["unit"])
    assert row_of(t, "online_full", unit=A).target == 0.70  # roadmap
    b = row_of(t, "online_full", unit=B)
    assert (b.target, b.status) == (0.60, "met")  # the unit's own target, roadmap not applied
    total = row_of(kpi_table(f, ROADMAP_PLAN, period="2024-07"), "online_full")
    assert total.target == 0.70
    by_field = kpi_table(f, ROADMAP_PLAN, period="2024-07", by=["field"])
    assert row_of(by_field, "online_full").target == 0.70


def test_grouped_by_period_each_month_has_its_own_target() -> None:
    f = figures(
        [{"period": p, "received_online_full": 75, "received_new": 100} for p in ("2024-05", "2024-06")]
    )
    t = kpi_table(f, ROADMAP_PLAN, period="2024-06", ytd=True, by=["period"])
    assert row_of(t, "online_full", period="2024-05").target == 0.90
    assert row_of(t, "online_full", period="2024-06").target == 0.70


def test_what_if_uses_the_overridden_plan_and_leaves_the_official_one() -> None:
    f = figures([{"received_online_full": 80, "received_new": 100}])
    official = row_of(kpi_table(f, PLAN, period="2024-03"), "online_full")
    what_if = with_overrides(PLAN, targets={"online_full": 0.8})
    r = row_of(kpi_table(f, what_if, period="2024-03"), "online_full")
    assert (official.status, official.shortfall) == ("below", 10)
    assert (r.target, r.status, r.shortfall) == (0.8, "met", 0)
    assert row_of(kpi_table(f, PLAN, period="2024-03"), "online_full").status == "below"
    unit_what_if = with_overrides(ROADMAP_PLAN, targets={"online_full": 0.5})  # drops the roadmap
    assert row_of(kpi_table(f, unit_what_if, period="2024-09"), "online_full").target == 0.5


# ---------------------------------------------------------------------------- change, series, projection


def test_previous_period() -> None:
    assert previous_period("2024-01") == "2023-12"
    assert previous_period("2024-10") == "2024-09"
    with pytest.raises(ValueError):
        previous_period("2024-13")


def test_change_against_the_previous_month() -> None:
    f = figures(
        [
            {"period": "2024-02", "unit": A, "received_online_full": 60, "received_new": 100},
            {"period": "2024-03", "unit": A, "received_online_full": 75, "received_new": 100},
            {"period": "2024-03", "unit": B, "received_online_full": 1, "received_new": 2},
        ]
    )
    t = kpi_table(f, PLAN, period="2024-03", by=["unit"], change=True)
    assert row_of(t, "online_full", unit=A).change == pytest.approx(0.75 - 0.60)
    assert math.isnan(row_of(t, "online_full", unit=B).change)  # no February figures
    now = kpi_table(f, PLAN, period="2024-03")
    prev = kpi_table(f, PLAN, period="2024-02")
    both = with_change(now, prev)
    # (75+1)/(100+2) − 60/100
    assert row_of(both, "online_full").change == pytest.approx(76 / 102 - 0.60)
    ytd = kpi_table(f, PLAN, period="2024-03", ytd=True, change=True)
    # (60+75+1)/(100+100+2) − 60/100
    assert row_of(ytd, "online_full").change == pytest.approx(136 / 202 - 0.60)
    jan = kpi_table(f, PLAN, period="2024-01", ytd=True, change=True)
    assert jan["change"].isna().all()


def test_monthly_series_with_year_to_date() -> None:
    f = figures(
        [
            {"period": "2024-01", "received_online_full": 40, "received_new": 50},
            {"period": "2024-02", "received_online_full": None, "received_new": 50},
            {"period": "2024-03", "received_online_full": 50, "received_new": 50},
            {"period": "2025-01", "received_online_full": 0, "received_new": 50},
        ]
    )
    s = monthly_series(f, ROADMAP_PLAN, year=2024)
    s = s[s["kpi"] == "online_full"]
    assert list(s["period"]) == ["2024-01", "2024-02", "2024-03"]
    assert list(s["status"]) == ["below", "no_data", "met"]  # 0.8, –, 1.0
    # year to date: 40/50, still 40/50 (February unknown), (40+50)/(50+50) = 0.9
    assert list(s["ytd_numerator"]) == [40, 40, 90]
    assert list(s["ytd_denominator"]) == [50, 50, 100]
    assert list(s["ytd_value"]) == pytest.approx([0.8, 0.8, 0.9])
    assert list(s["ytd_status"]) == ["below", "below", "met"]
    assert list(s["ytd_shortfall"]) == [5, 5, 0]  # ⌈45 − 40⌉
    first = s.iloc[0]
    assert pd.isna(monthly_series(f, PLAN, year=2024).query("kpi == 'online_payment'")["ytd_numerator"]).all()
    assert first.target == 0.90


def test_monthly_series_ytd_matches_kpi_table_ytd() -> None:
    f = figures(
        [
            {
                "period": f"2024-{m:02d}",
                "unit": u,
                "received_online_full": m * 3 + len(u),
                "received_new": 40 + m,
            }
            for m in range(1, 7)
            for u in (A, B)
        ]
    )
    s = monthly_series(f, ROADMAP_PLAN, year=2024, by=["unit"])
    for period in ("2024-03", "2024-06"):
        t = kpi_table(f, ROADMAP_PLAN, period=period, ytd=True, by=["unit"])
        for unit in (A, B):
            got = row_of(s, "online_full", unit=unit, period=period)
            want = row_of(t, "online_full", unit=unit)
            assert (got.ytd_numerator, got.ytd_denominator, got.ytd_shortfall, got.ytd_status) == (
                want.numerator,
                want.denominator,
                want.shortfall,
                want.status,
            )


def test_projection_continues_the_last_three_months_pace() -> None:
    f = figures(
        [
            {"period": "2024-01", "received_online_full": 10, "received_new": 100},  # outside the window
            {"period": "2024-02", "received_online_full": 60, "received_new": 100},
            {"period": "2024-03", "received_online_full": 70, "received_new": 100},
            {"period": "2024-04", "received_online_full": 80, "received_new": 100},
        ]
    )
    p = row_of(project_year_end(f, PLAN, period="2024-04"), "online_full")
    # YTD 220/400; pace (60+70+80)/3 = 70 and 100 a month; 8 months left:
    # (220 + 70×8)/(400 + 100×8) = 780/1200 = 0.65; ⌈0.9 × 1200 − 780⌉ = 300
    assert (p.ytd_numerator, p.ytd_denominator, p.months_remaining) == (220, 400, 8)
    assert (p.pace_numerator, p.pace_denominator) == (70, 100)
    assert (p.projected_numerator, p.projected_denominator) == (780, 1200)
    assert p.projected_value == pytest.approx(0.65)
    assert (p.target, p.projected_shortfall, p.projected_status) == (0.9, 300, "below")
    assert "3 tháng" in PROJECTION_METHOD_VI


def test_projection_early_in_the_year_and_in_december() -> None:
    f = figures(
        [
            {"period": "2024-01", "received_online_full": 9, "received_new": 10},
            {"period": "2024-12", "received_online_full": 5, "received_new": 10},
        ]
    )
    jan = row_of(project_year_end(f, PLAN, period="2024-01"), "online_full")
    # only January in the window: (9 + 9×11)/(10 + 10×11) = 108/120 = 0.9 → met
    assert (jan.projected_numerator, jan.projected_denominator, jan.projected_status) == (108, 120, "met")
    dec = row_of(project_year_end(f, PLAN, period="2024-12"), "online_full")
    # December: the projection is the year to date, 14/20; the window Oct–Dec has one month with data
    assert (dec.months_remaining, dec.projected_numerator, dec.projected_denominator) == (0, 14, 20)
    nodata = row_of(project_year_end(f, PLAN, period="2024-06"), "online_full")
    assert nodata.projected_status == "no_data" and nodata.ytd_numerator == 9  # nothing in Apr–Jun


def test_projection_uses_the_december_target_and_unit_override() -> None:
    f = figures([{"unit": B, "period": "2024-03", "received_online_full": 7, "received_new": 10}])
    p = project_year_end(f, ROADMAP_PLAN, period="2024-03", by=["unit"])
    assert row_of(p, "online_full", unit=B).target == 0.60
    assert row_of(project_year_end(f, ROADMAP_PLAN, period="2024-03"), "online_full").target == 0.80


def test_rank_worst_first_no_data_last() -> None:
    f = figures(
        [
            {"unit": A, "received_online_full": 80, "received_new": 100},  # short 10, gap −0.10
            {"unit": B, "received_online_full": 5, "received_new": 10},  # short 4, gap −0.40
            {"unit": C, "received_online_full": 0, "received_new": 0},  # no data
            {"unit": "Phòng D", "received_online_full": 95, "received_new": 100},  # met
        ]
    )
    t = kpi_table(f, PLAN, period="2024-03", by=["unit"])
    by_short = rank(t, "unit", key="shortfall")
    r = by_short[by_short["kpi"] == "online_full"]
    assert list(zip(r["unit"], r["rank"], strict=True)) == [(A, 1), (B, 2), ("Phòng D", 3), (C, 4)]
    by_gap = rank(t, "unit", key="gap")
    g = by_gap[by_gap["kpi"] == "online_full"]
    assert list(g["unit"]) == [B, A, "Phòng D", C]
    assert list(by_short["kpi"].drop_duplicates()) == list(PLAN.kpis)
    with pytest.raises(ValueError):
        rank(t, "field")


def test_rank_within_each_field_when_grouped_by_unit_and_field() -> None:
    f = figures(
        [
            {"unit": A, "field": "F1", "received_online_full": 1, "received_new": 10},
            {"unit": B, "field": "F1", "received_online_full": 9, "received_new": 10},
            {"unit": A, "field": "F2", "received_online_full": 9, "received_new": 10},
            {"unit": B, "field": "F2", "received_online_full": 1, "received_new": 10},
        ]
    )
    r = rank(kpi_table(f, PLAN, period="2024-03", by=["unit", "field"]), "unit")
    r = r[r["kpi"] == "online_full"]
    assert list(zip(r["field"], r["unit"], r["rank"], strict=True)) == [
        ("F1", A, 1),
        ("F1", B, 2),
        ("F2", B, 1),
        ("F2", A, 2),
    ]


def test_add_totals_from_parts_only_when_all_known() -> None:
    f = pd.DataFrame(
        {
            "received_online_full": pd.array([3, 3, None, None], dtype="Int64"),
            "received_online_partial": pd.array([2, None, 1, None], dtype="Int64"),
            "received_direct": pd.array([1, 1, 1, 1], dtype="Int64"),
            "received_postal": pd.array([0, 0, 0, 0], dtype="Int64"),
            "received_online": pd.array([None, None, None, 7], dtype="Int64"),  # given total kept
        }
    )
    out = add_totals(f)
    assert out["received_online"].tolist() == [5, pd.NA, pd.NA, 7]
    assert out["received_direct_postal"].tolist() == [1, 1, 1, 1]
    assert out["received_new"].tolist() == [6, pd.NA, pd.NA, 8]
    assert out["resolved"].isna().all() and str(out["pending"].dtype) == "Int64"
    assert "received_online" not in add_totals(f.drop(columns="received_online")).columns.difference(
        COUNT_COLUMNS
    )
    assert f["received_online"].tolist() == [pd.NA, pd.NA, pd.NA, 7]  # input untouched


# ---------------------------------------------------------------------------- properties

counts = st.one_of(st.none(), st.integers(min_value=0, max_value=60))
raw_rows = st.lists(
    st.fixed_dictionaries(
        {
            "period": st.sampled_from(["2024-02", "2024-03"]),
            "unit": st.sampled_from([A, B, C]),
            "field": st.sampled_from(["F1", "F2"]),
            "received_online_full": counts,
            "received_new": counts,
            "payments_online": counts,
            "payments_total": counts,
            "resolved_early": counts,
            "resolved_on_time": counts,
            "resolved": counts,
        }
    ),
    min_size=0,
    max_size=25,
)
RESULT = ["kpi", "numerator", "denominator", "value", "target", "gap", "shortfall", "status"]
PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _compare(left: pd.DataFrame, right: pd.DataFrame, cols: list[str]) -> None:
    pd.testing.assert_frame_equal(left[cols].reset_index(drop=True), right[cols].reset_index(drop=True))


@PROPS
@given(
    raw_rows,
    st.randoms(use_true_random=False),
    st.booleans(),
    st.sampled_from([(), ("unit",), ("unit", "field")]),
)
def test_result_independent_of_row_order(
    rows: list[dict], rnd: object, ytd: bool, by: tuple[str, ...]
) -> None:
    shuffled = list(rows)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    a = kpi_table(figures(rows), ROADMAP_PLAN, period="2024-03", ytd=ytd, by=by)
    b = kpi_table(figures(shuffled), ROADMAP_PLAN, period="2024-03", ytd=ytd, by=by)
    _compare(a, b, [*by, *RESULT, "rows", "rows_missing"])


@PROPS
@given(raw_rows.filter(bool), st.data())
def test_splitting_a_row_in_two_gives_the_same_result(rows: list[dict], data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(rows) - 1))
    first, second = dict(rows[i]), dict(rows[i])
    for col, v in rows[i].items():
        if col in ("period", "unit", "field") or v is None:
            continue
        part = data.draw(st.integers(0, v))
        first[col], second[col] = part, v - part
    split = [*rows[:i], first, second, *rows[i + 1 :]]
    for by in ((), ("unit", "field")):
        a = kpi_table(figures(rows), PLAN, period="2024-03", ytd=True, by=by)
        b = kpi_table(figures(split), PLAN, period="2024-03", ytd=True, by=by)
        _compare(a, b, [*by, *RESULT])


@PROPS
@given(st.integers(0, 10_000), st.integers(1, 10_000), st.integers(0, 100).map(lambda p: p / 100))
def test_shortfall_is_exactly_what_reaches_the_target(num: int, den: int, target: float) -> None:
    r = one(num, den, target)
    s = int(r.shortfall)
    assert s >= 0
    assert one(num + s, den, target).status == "met"
    if s > 0:
        assert r.status != "met"
        assert one(num + s - 1, den, target).status != "met"
    else:
        assert r.status == "met"


@PROPS
@given(raw_rows)
def test_group_sums_equal_the_sums_of_their_subgroups(rows: list[dict]) -> None:
    f = figures(rows)
    total = aggregate(f, PLAN, start="2024-02", end="2024-03")
    by_unit = aggregate(f, PLAN, start="2024-02", end="2024-03", by=["unit"])
    by_both = aggregate(f, PLAN, start="2024-02", end="2024-03", by=["unit", "field"])
    for kid in PLAN.kpis:
        t = row_of(total, kid)
        u = by_unit[by_unit["kpi"] == kid]
        for col in ("numerator", "denominator"):
            expected = t[col] if t[col] is not pd.NA else None
            got = u[col].sum() if u[col].notna().any() else None
            assert got == expected
        assert u["rows"].sum() == t["rows"] and u["rows_missing"].sum() == t["rows_missing"]
        for unit, sub in by_both[by_both["kpi"] == kid].groupby("unit"):
            parent = row_of(u, kid, unit=unit)
            for col in ("numerator", "denominator"):
                got = sub[col].sum() if sub[col].notna().any() else pd.NA
                assert (got is pd.NA and parent[col] is pd.NA) or got == parent[col]


def test_value_is_float_nan_never_none() -> None:
    t = kpi_table(figures([{"received_online_full": 0, "received_new": 0}]), PLAN, period="2024-03")
    assert t["value"].dtype == np.float64 and t["gap"].dtype == np.float64
