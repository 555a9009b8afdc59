"""The year-end projection of a KPI that counts a stock (the 766 progress ratio): its year to date takes the
pending figures once, from the month projected from, and its pace counts its flows alone."""

from __future__ import annotations

import pandas as pd
import pytest

from kpi.engine import kpi_table, project_year_end
from kpi.periods import Period
from kpi.targets import load_targets

PLAN = load_targets(
    text="""
[plan]
name = "KH thử"
year = 2024
near = 0.05

[kpi.progress_766]
label = "Tiến độ giải quyết (766)"
numerator = ["resolved_early", "resolved_on_time", "pending_in_time"]
denominator = ["resolved", "pending"]
target = 0.95

[kpi.on_time]
label = "Giải quyết đúng hạn"
numerator = ["resolved_early", "resolved_on_time"]
denominator = ["resolved"]
target = 0.95
"""
)
#: month, early, on time, resolved, pending, pending in time
MONTHS = [
    ("2024-01", 10, 20, 40, 10, 8),
    ("2024-02", 10, 20, 40, 20, 10),
    ("2024-03", 10, 20, 40, 30, 12),
    ("2024-04", 10, 30, 50, 40, 20),
]


def _figures() -> pd.DataFrame:
    cols = ["resolved_early", "resolved_on_time", "resolved", "pending", "pending_in_time"]
    data: dict[str, object] = {
        "period": [m[0] for m in MONTHS],
        "unit": ["Phòng A"] * len(MONTHS),
        "field": ["Thi, tuyển sinh"] * len(MONTHS),
        "procedure_code": pd.Series([None] * len(MONTHS), dtype=object),
        "procedure_name": pd.Series([None] * len(MONTHS), dtype=object),
    }
    for i, c in enumerate(cols, start=1):
        data[c] = pd.array([m[i] for m in MONTHS], dtype="Int64")
    return pd.DataFrame(data)


def test_the_year_to_date_takes_the_pending_figures_of_its_last_month_only() -> None:
    p = project_year_end(_figures(), PLAN, period="2024-04").set_index("kpi").loc["progress_766"]
    # flows Jan–Apr: early 40 + on time 90 = 130, resolved 170; pending of April: in time 20, all 40
    # year to date (130 + 20) / (170 + 40) = 150/210 (summing the stocks would give 180/270)
    assert (p["ytd_numerator"], p["ytd_denominator"]) == (150, 210)
    table = kpi_table(_figures(), PLAN, period=Period("ytd", 2024, 4)).set_index("kpi")
    assert (table.loc["progress_766", "numerator"], table.loc["progress_766", "denominator"]) == (150, 210)
    # pace Feb–Apr of the flows: (30 + 30 + 40)/3 = 100/3 and (40 + 40 + 50)/3 = 130/3 a month;
    # 8 months left, the pending kept as in April: (150 + 800/3)/(210 + 1040/3) = 1250/1670
    assert p["pace_numerator"] == pytest.approx(100 / 3)
    assert p["pace_denominator"] == pytest.approx(130 / 3)
    assert p["projected_numerator"] == pytest.approx(1250 / 3)
    assert p["projected_denominator"] == pytest.approx(1670 / 3)
    assert p["projected_value"] == pytest.approx(1250 / 1670)
    # ⌈0.95 × 1670/3 − 1250/3⌉ = ⌈(1586.5 − 1250)/3⌉ = ⌈112.17⌉ = 113
    assert p["projected_shortfall"] == 113


def test_a_flow_only_kpi_is_projected_as_before() -> None:
    p = project_year_end(_figures(), PLAN, period="2024-04").set_index("kpi").loc["on_time"]
    # YTD 130/170; pace (30 + 30 + 40)/3 and (40 + 40 + 50)/3; (130 + 800/3)/(170 + 1040/3) = 1190/1550
    assert (p["ytd_numerator"], p["ytd_denominator"]) == (130, 170)
    assert p["projected_value"] == pytest.approx(1190 / 1550)
