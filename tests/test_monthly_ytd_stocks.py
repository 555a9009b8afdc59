"""The running year to date of :func:`kpi.engine.monthly_series` takes the stocks once (periods.md)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from kpi.engine import kpi_table, monthly_series
from kpi.targets import load_targets

ROOT = Path(__file__).resolve().parent.parent


def _figures() -> pd.DataFrame:
    rows = [
        # period, early, on_time, late, resolved, pending_in_time, pending_overdue, pending
        ("2024-01", 2, 6, 2, 10, 4, 1, 5),
        ("2024-02", 1, 5, 2, 8, 3, 4, 7),
        ("2024-03", 3, 3, 0, 6, 6, 0, 6),
    ]
    cols = ["resolved_early", "resolved_on_time", "resolved_late", "resolved"]
    cols += ["pending_in_time", "pending_overdue", "pending"]
    frame = pd.DataFrame(
        [{"period": p, **dict(zip(cols, v, strict=True))} for p, *v in rows],
    )
    frame["unit"] = "Phòng A"
    frame["field"] = "Giáo dục"
    frame["procedure_code"] = pd.Series([pd.NA] * 3, dtype="object")
    frame["procedure_name"] = ""
    for c in cols:
        frame[c] = frame[c].astype("Int64")
    return frame


@pytest.fixture()
def plan():
    full = load_targets(ROOT / "targets.toml")
    return replace(full, kpis={k: full.kpis[k] for k in ("on_time", "progress_766")})


def test_ytd_of_a_stock_kpi_takes_pending_from_the_month_itself(plan) -> None:
    series = monthly_series(_figures(), plan, year=2024)
    p766 = series[series["kpi"] == "progress_766"].set_index("period")
    # January alone: (2 + 6 + 4) / (10 + 5) = 12 / 15
    assert (p766.loc["2024-01", "ytd_numerator"], p766.loc["2024-01", "ytd_denominator"]) == (12, 15)
    # Through February: flows summed, pending of February only:
    # (2+6 + 1+5 + 3) / (10+8 + 7) = 17 / 25 = 0,68 — a running sum would give (12+9)/(15+15) = 21/30
    assert (p766.loc["2024-02", "ytd_numerator"], p766.loc["2024-02", "ytd_denominator"]) == (17, 25)
    assert p766.loc["2024-02", "ytd_value"] == pytest.approx(0.68)
    # Through March: (8 + 6 + 6 + 6) / (24 + 6) = 26 / 30
    assert (p766.loc["2024-03", "ytd_numerator"], p766.loc["2024-03", "ytd_denominator"]) == (26, 30)
    # the same as the year-to-date table
    table = kpi_table(_figures(), plan, period="2024-03", ytd=True).set_index("kpi")
    assert (table.loc["progress_766", "numerator"], table.loc["progress_766", "denominator"]) == (26, 30)


def test_flow_kpis_keep_the_running_sum(plan) -> None:
    series = monthly_series(_figures(), plan, year=2024)
    on_time = series[series["kpi"] == "on_time"].set_index("period")
    # (2+6) + (1+5) + (3+3) = 20 over 10 + 8 + 6 = 24
    assert (on_time.loc["2024-03", "ytd_numerator"], on_time.loc["2024-03", "ytd_denominator"]) == (20, 24)


def test_a_missing_last_month_leaves_the_stock_unknown(plan) -> None:
    figures = _figures()
    figures.loc[figures["period"] == "2024-02", "pending"] = pd.NA
    series = monthly_series(figures, plan, year=2024)
    p766 = series[series["kpi"] == "progress_766"].set_index("period")
    # February's pending unknown: the year to date through February needs it → unknown, never 0
    assert pd.isna(p766.loc["2024-02", "ytd_numerator"])
    assert p766.loc["2024-02", "ytd_status"] == "no_data"
    # through March the end stock is March's, known; February's pending is a stock inside the period,
    # not needed: (2+6 + 1+5 + 3+3 + 6) / (10+8+6 + 6) = 26 / 30, every flow counted
    assert (p766.loc["2024-03", "ytd_numerator"], p766.loc["2024-03", "ytd_denominator"]) == (26, 30)
    assert p766.loc["2024-03", "ytd_status"] != "no_data"
