"""The rules of a what-if scenario (kpi.scenario), by hand."""

from __future__ import annotations

import pandas as pd

from kpi.scenario import (
    changed_kpis,
    headline_kind,
    plan_diff,
    row_change,
    scenario_of,
    set_target,
    still_judged,
    targets_record,
    to_fraction,
    to_percent,
    unit_target,
)
from kpi.targets import load_targets, with_overrides

PLAN = load_targets(
    text="""
[plan]
name = "KH thử"
year = 2024
near = 0.05

[kpi.online_full]
label = "Hồ sơ trực tuyến toàn trình"
numerator = ["received_online_full"]
denominator = ["received_new"]
target = 0.90

[kpi.online_full.units]
"Phòng A" = 0.80

[kpi.online_payment]
label = "Thanh toán trực tuyến"
numerator = ["payments_online"]
denominator = ["payments_total"]
target = 0.45
"""
)


def test_percent_and_fraction() -> None:
    assert to_fraction(90.5) == 0.905 and to_fraction(33.3) == 0.333  # 90.5 / 100, no float noise
    assert to_percent(0.905) == 90.5 and to_percent(0.45) == 45.0


def test_an_override_exists_only_while_it_differs_from_the_plan() -> None:
    assert set_target({}, "online_full", 95.0, 0.90) == {"online_full": 0.95}
    assert set_target({"online_full": 0.95}, "online_full", 90.0, 0.90) == {}  # back to the plan's 90 %
    assert set_target({"online_full": 0.95, "online_payment": 0.5}, "online_full", None, 0.90) == {
        "online_payment": 0.5
    }


def test_scenario_changed_kpis_and_unit_targets() -> None:
    assert scenario_of(PLAN, {}, {}) is PLAN
    assert scenario_of(PLAN, {"gone": 0.5}, {("gone", "Phòng A"): 0.1}) is PLAN  # not in the plan: ignored
    scen = scenario_of(PLAN, {"online_payment": 0.6}, {("online_full", "Phòng B"): 0.7})
    assert scen.kpis["online_payment"].target == 0.6 and scen.kpis["online_full"].units == {
        "Phòng A": 0.8,
        "Phòng B": 0.7,
    }
    assert changed_kpis(PLAN, {"online_payment": 0.6}, {("online_full", "Phòng B"): 0.7}) == [
        "online_full",
        "online_payment",
    ]  # plan order
    units = {("online_full", "Phòng B"): 0.7}
    assert unit_target(PLAN, "online_full", "Phòng B", {}, units) == 0.7  # its override
    assert unit_target(PLAN, "online_full", "Phòng A", {}, units) == 0.8  # the plan's unit target
    assert unit_target(PLAN, "online_full", "Phòng C", {"online_full": 0.95}, units) == 0.95  # the scenario's
    assert unit_target(PLAN, "online_full", None, {}, {}) == 0.90  # the plan's


def test_plan_diff_and_the_audit_record() -> None:
    assert plan_diff(PLAN, PLAN) == {}
    scen = with_overrides(PLAN, {"online_payment": 0.6}, {("online_full", "Phòng B"): 0.7})
    diff = plan_diff(PLAN, scen)
    assert list(diff) == ["online_full", "online_payment"]
    assert (diff["online_full"].target_before, diff["online_full"].target_after) == (0.9, 0.9)
    assert diff["online_full"].units_after == {"Phòng A": 0.8, "Phòng B": 0.7}
    assert (diff["online_payment"].label, diff["online_payment"].target_after) == (
        "Thanh toán trực tuyến",
        0.6,
    )
    assert targets_record(scen) == {
        "online_full": {"target": 0.9, "units": {"Phòng A": 0.8, "Phòng B": 0.7}},
        "online_payment": {"target": 0.6, "units": {}},
    }


def row(
    base: str, scen: str, sb: object, ss: object, delta: object, target_changed: bool = True
) -> dict[str, object]:
    return {
        "status_base": base,
        "status_scen": scen,
        "shortfall_base": sb,
        "shortfall_scen": ss,
        "shortfall_delta": delta,
        "target_changed": target_changed,
    }


def test_how_a_row_moved() -> None:
    moved = row_change(row("met", "near", 0, 3, 3))  # 3 − 0 = 3 more dossiers short
    assert moved.status_moved and moved.shortfall_delta == 3
    assert row_change(row("below", "below", 5, 5, 0)).shortfall_delta is None  # 0: no change
    assert row_change(row("no_data", "no_data", pd.NA, pd.NA, pd.NA)).shortfall_delta is None
    assert row_change(row("near", "near", 5, 1, float("nan"))).shortfall_delta is None
    assert still_judged(row("met", "met", 0, 0, 0))  # only the target moved
    assert not still_judged(row("met", "met", 0, 0, 0, target_changed=False))
    assert not still_judged(row("no_data", "no_data", pd.NA, pd.NA, pd.NA))
    assert not still_judged(row("met", "near", 0, 3, 3))


def test_headline_kind() -> None:
    assert headline_kind(row("near", "below", 5, 19, 14)) == "status"
    assert headline_kind(row("below", "below", 5, 19, 14)) == "shortfall"
    assert headline_kind(row("met", "met", 0, 0, 0)) == "same"
    assert headline_kind(row("met", "no_data", 0, pd.NA, pd.NA)) == "no_data"
