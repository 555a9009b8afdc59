"""What-if for the KPIs that count procedures: kpi.scenario keeps their overrides, lists them, audits
them; kpi.whatif_procedures judges the plan's procedure table again under the scenario, by hand.

The catalog of these tests (every procedure ``toàn trình``; the KPI counts those on Cổng DVCQG):

    unit     procedures  on the portal            counted / in the denominator
    Phòng A  P1–P4       yes, yes, yes, no         3 / 4
    Phòng B  P5–P11      yes ×4, no ×2, (empty)    4 / 6, P11 unknown (left out)
    the department                                 7 / 10, 1 unknown
"""

from __future__ import annotations

import pandas as pd
import pytest

from data_access.columns import CATALOG_COLUMNS, CATALOG_FLAGS
from kpi.procedures import ProcedureFigures, procedure_kpi_table
from kpi.scenario import changed_kpis, kpi_ids, plan_diff, scenario_of, targets_record, unit_target
from kpi.targets import load_targets, with_overrides
from kpi.whatif_procedures import (
    PROCEDURE_COMPARE_COLUMNS,
    compare_procedures,
    compared_procedures,
    rejudge,
)

PLAN = load_targets(
    text="""
[plan]
name = "KH thử"
year = 2024
near = 0.05

[kpi.online_payment]
label = "Thanh toán trực tuyến"
numerator = ["payments_online"]
denominator = ["payments_total"]
target = 0.45

[kpi.portal]
label = "DVCTT toàn trình trên Cổng DVCQG"
kind = "procedures"
scope = { online_level = "toàn trình" }
counted_if = { on_national_portal = true }
target = 0.80

[kpi.portal.units]
"Phòng A" = 0.75
"""
)
A, B = "Phòng A", "Phòng B"
PERIOD = "2024-06"


def _catalog() -> pd.DataFrame:
    portal = [True, True, True, False, True, True, True, True, False, False, None]
    n = len(portal)
    frame = pd.DataFrame(
        {
            "procedure_code": [f"1.{i:06d}" for i in range(1, n + 1)],
            "procedure_name": [f"Thủ tục {i}" for i in range(1, n + 1)],
            "field": ["Giáo dục trung học"] * n,
            "unit": [A] * 4 + [B] * 7,
            "online_level": ["toàn trình"] * n,
            "full_online_eligible": [True] * n,
            "on_national_portal": portal,
            "has_fee": [False] * n,
            "postal_allowed": [False] * n,
        }
    )
    for flag in CATALOG_FLAGS:
        frame[flag] = frame[flag].astype("boolean")
    return frame[list(CATALOG_COLUMNS)]


NO_FIGURES = ProcedureFigures(
    pd.DataFrame(columns=["period", "unit", "field", "procedure_code"]),
    pd.DataFrame(columns=["period", "unit", "field", "level"]),
    pd.DataFrame(columns=["period", "unit", "field", "procedure_code", "procedure_name"]),
)


def _table(plan, by=()) -> pd.DataFrame:
    cat = _catalog()
    return procedure_kpi_table(NO_FIGURES, lambda month: cat, plan, period=PERIOD, by=by)


def test_overrides_of_procedure_kpis_are_kept_listed_and_read() -> None:
    assert kpi_ids(PLAN) == ["online_payment", "portal"]  # dossier KPIs first
    scen = scenario_of(PLAN, {"portal": 0.6}, {("portal", B): 0.9})
    assert scen is not PLAN
    assert scen.procedure_kpis["portal"].target == 0.6
    assert scen.procedure_kpis["portal"].units == {A: 0.75, B: 0.9}
    assert scen.kpis == PLAN.kpis  # the dossier KPIs untouched
    assert changed_kpis(PLAN, {"portal": 0.6, "online_payment": 0.5}, {}) == ["online_payment", "portal"]
    assert changed_kpis(PLAN, {}, {("portal", B): 0.9}) == ["portal"]
    assert unit_target(PLAN, "portal", B, {}, {("portal", B): 0.9}) == 0.9  # its override
    assert unit_target(PLAN, "portal", A, {"portal": 0.6}, {}) == 0.75  # the plan's unit target
    assert unit_target(PLAN, "portal", B, {"portal": 0.6}, {}) == 0.6  # the scenario's
    assert unit_target(PLAN, "portal", None, {}, {}) == 0.8  # the plan's


def test_plan_diff_and_audit_record_name_procedure_kpis() -> None:
    scen = with_overrides(PLAN, {"portal": 0.6}, {("portal", B): 0.9})
    diff = plan_diff(PLAN, scen)
    assert list(diff) == ["portal"]
    change = diff["portal"]
    assert (change.label, change.target_before, change.target_after) == (
        "DVCTT toàn trình trên Cổng DVCQG",
        0.8,
        0.6,
    )
    assert (change.units_before, change.units_after) == ({A: 0.75}, {A: 0.75, B: 0.9})
    assert targets_record(scen) == {
        "online_payment": {"target": 0.45, "units": {}},
        "portal": {"target": 0.6, "units": {A: 0.75, B: 0.9}},
    }


def test_the_plan_judged_again_is_the_plan_s_table() -> None:
    for by in ((), ("unit",)):
        table = _table(PLAN, by)
        again = rejudge(table, PLAN, period=PERIOD, by=by)
        pd.testing.assert_frame_equal(again, table)


def test_department_under_other_targets() -> None:
    base = _table(PLAN)
    row = base.iloc[0]
    assert (row["numerator"], row["denominator"], row["unknown"]) == (7, 10, 1)
    # plan 80 %: 7/10 = 70 %, gap −10 points (more than the 5 of "near"): ⌈0.8 × 10 − 7⌉ = 1 short
    assert (row["status"], row["shortfall"]) == ("below", 1)
    cmp = compare_procedures(base, rejudge(base, with_overrides(PLAN, {"portal": 0.72}), period=PERIOD))
    assert list(cmp.columns) == list(PROCEDURE_COMPARE_COLUMNS)
    r = cmp.iloc[0]
    # 72 %: gap 70 − 72 = −2 points → near; ⌈0.72 × 10 − 7⌉ = ⌈0.2⌉ = 1 short
    assert (r["status_base"], r["status_scen"], r["shortfall_base"], r["shortfall_scen"]) == (
        "below",
        "near",
        1,
        1,
    )
    assert r["gap_scen"] == pytest.approx(0.70 - 0.72) and r["unknown"] == 1
    assert bool(r["target_changed"]) and r["direction"] == "better"
    met = compare_procedures(base, rejudge(base, with_overrides(PLAN, {"portal": 0.7}), period=PERIOD))
    assert (met.iloc[0]["status_scen"], met.iloc[0]["shortfall_scen"], met.iloc[0]["shortfall_delta"]) == (
        "met",
        0,
        -1,
    )  # 7 ≥ 0.7 × 10


def test_units_under_other_targets() -> None:
    base = _table(PLAN, ("unit",))
    scen = with_overrides(PLAN, {"portal": 0.6}, {("portal", A): 0.9})
    got = compared_procedures(_table(PLAN), base, scen, period=PERIOD).unit.set_index("unit")
    # Phòng A 3/4 = 75 %: plan (its own 75 %) met, 0 short; scenario 90 %: ⌈3.6 − 3⌉ = 1, gap −15 → below
    assert tuple(got.loc[A, ["target_base", "target_scen", "status_base", "status_scen"]]) == (
        0.75,
        0.9,
        "met",
        "below",
    )
    assert (got.loc[A, "shortfall_base"], got.loc[A, "shortfall_scen"]) == (0, 1)
    # Phòng B 4/6 = 66,7 %: plan 80 %: ⌈4.8 − 4⌉ = 1, gap −13,3 → below; scenario 60 %: met, 0
    assert tuple(got.loc[B, ["target_base", "target_scen", "status_base", "status_scen"]]) == (
        0.8,
        0.6,
        "below",
        "met",
    )
    assert (got.loc[B, "shortfall_base"], got.loc[B, "shortfall_scen"], got.loc[B, "unknown"]) == (1, 0, 1)
    assert (got.loc[A, "rank_scen"], got.loc[B, "rank_scen"]) == (1, 2)  # Phòng A now the most short


def test_headline_of_one_unit() -> None:
    base = _table(PLAN, ("unit",))
    scen = with_overrides(PLAN, {"portal": 0.6})
    head = compared_procedures(base, base, scen, period=PERIOD, head_by=("unit",), unit=B).head
    assert head["unit"].tolist() == [B]
    # Phòng B 4/6 under 60 %: 4 ≥ 0.6 × 6 = 3.6 → met
    assert (head.iloc[0]["status_base"], head.iloc[0]["status_scen"]) == ("below", "met")
