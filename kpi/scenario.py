"""What a what-if scenario is and changes: pure rules behind the what-if page (no I/O, no text).

* percent ↔ fraction as typed in the inputs (:func:`to_percent`, :func:`to_fraction`);
* the scenario from the session's overrides (:func:`set_target`, :func:`scenario_of`,
  :func:`changed_kpis`, :func:`unit_target`), for dossier and procedure KPIs alike (:func:`kpi_ids`);
* what it changes against the plan (:func:`plan_diff`, :func:`targets_record`), once for the
  confirmation and the audit alike;
* how one compared row or headline moved (:func:`row_change`, :func:`headline_kind`), for the
  sentences that ``ui`` words in Vietnamese.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from kpi.targets import Plan, with_overrides

#: Two targets closer than this are the same target (floats typed as percent).
SAME_TARGET = 1e-9

Targets = Mapping[str, float]
UnitTargets = Mapping[tuple[str, str], float]


def to_percent(fraction: float) -> float:
    """``0.905`` → ``90.5`` (as typed in the inputs, without float noise)."""
    return round(float(fraction) * 100, 4)


def to_fraction(percent: float) -> float:
    """``90.5`` → ``0.905``, the same float as the literal (so it round-trips through TOML)."""
    return float(f"{float(percent) / 100:.6g}")


# ---------------------------------------------------------------------------- the scenario


def set_target(targets: Targets, kpi: str, percent: float | None, plan_target: float) -> dict[str, float]:
    """``targets`` with ``kpi`` set to ``percent`` (as a fraction); dropped when it is the plan's
    target or empty, so an override exists only while it differs from the plan."""
    out = dict(targets)
    if percent is None or abs(to_fraction(percent) - plan_target) <= SAME_TARGET:
        out.pop(kpi, None)
    else:
        out[kpi] = to_fraction(percent)
    return out


def kpi_ids(plan: Plan) -> list[str]:
    """Every KPI of ``plan``: the dossier KPIs, then the procedure KPIs (each in file order)."""
    return [*plan.kpis, *plan.procedure_kpis]


def _in_plan(plan: Plan, kpi: str) -> bool:
    return kpi in plan.kpis or kpi in plan.procedure_kpis


def scenario_of(plan: Plan, targets: Targets, units: UnitTargets) -> Plan:
    """``plan`` with the overrides of its own KPIs (of either kind) applied (``plan`` itself when
    there are none)."""
    kept = {k: v for k, v in targets.items() if _in_plan(plan, k)}
    kept_units = {k: v for k, v in units.items() if _in_plan(plan, k[0])}
    if not kept and not kept_units:
        return plan
    return with_overrides(plan, targets=kept, unit_targets=kept_units)


def changed_kpis(plan: Plan, targets: Targets, units: UnitTargets) -> list[str]:
    """The KPIs (:func:`kpi_ids` order: dossier KPIs, then procedure KPIs) that have an override,
    plan-wide or for a unit."""
    return [k for k in kpi_ids(plan) if k in targets or any(kid == k for kid, _ in units)]


def unit_target(plan: Plan, kpi: str, unit: str | None, targets: Targets, units: UnitTargets) -> float:
    """The target a unit has now: its override, else the plan's unit target, else the KPI's
    (scenario) target."""
    if unit is not None and (kpi, unit) in units:
        return units[(kpi, unit)]
    spec = plan.spec(kpi)
    if unit is not None and unit in spec.units:
        return spec.units[unit]
    return targets.get(kpi, spec.target)


# ---------------------------------------------------------------------------- against the plan


@dataclass(frozen=True)
class TargetChange:
    """One KPI whose targets a scenario changes: the plan-wide target and the units' targets."""

    kpi: str
    label: str
    target_before: float
    target_after: float
    units_before: dict[str, float]
    units_after: dict[str, float]


def plan_diff(plan: Plan, scenario: Plan) -> dict[str, TargetChange]:
    """The KPIs (:func:`kpi_ids` order, both kinds) whose target or unit targets differ between
    ``plan`` and ``scenario``."""
    out: dict[str, TargetChange] = {}
    for kid in kpi_ids(plan):
        before, after = plan.spec(kid), scenario.spec(kid)
        if before.target != after.target or before.units != after.units:
            out[kid] = TargetChange(
                kid, before.label, before.target, after.target, dict(before.units), dict(after.units)
            )
    return out


def targets_record(plan: Plan) -> dict[str, dict[str, object]]:
    """Every KPI's ``target`` and ``units``, dossier and procedure KPIs alike (what the audit trail
    keeps of a targets file)."""
    return {k: {"target": s.target, "units": dict(s.units)} for k in kpi_ids(plan) for s in [plan.spec(k)]}


# ---------------------------------------------------------------------------- how a row moved


@dataclass(frozen=True)
class RowChange:
    """How one :func:`kpi.whatif.compare` row moved from the plan to the scenario."""

    status_base: str
    status_scen: str
    shortfall_delta: int | None  # scenario − plan, None when unknown or 0

    @property
    def status_moved(self) -> bool:
        return self.status_base != self.status_scen


def _known(value: object) -> bool:
    return value is not None and value is not pd.NA and value == value  # NaN is not equal to itself


def row_change(row: Mapping[str, object]) -> RowChange:
    """The status before → after and the shortfall's change of one compared row."""
    d = row.get("shortfall_delta")
    delta = int(d) if _known(d) and d != 0 else None  # type: ignore[call-overload]
    return RowChange(str(row["status_base"]), str(row["status_scen"]), delta)


def still_judged(row: Mapping[str, object]) -> bool:
    """Only the target moved (same status, same shortfall) and the row has data: "still met/below"."""
    change = row_change(row)
    return (
        not change.status_moved
        and change.shortfall_delta is None
        and bool(row.get("target_changed"))
        and change.status_scen != "no_data"
    )


def headline_kind(row: Mapping[str, object]) -> str:
    """``no_data`` / ``status`` (the status moved) / ``shortfall`` (same status, the shortfall
    moved) / ``same``, for the headline (department or unit) of a scenario."""
    b, s = str(row["status_base"]), str(row["status_scen"])
    if "no_data" in (b, s):
        return "no_data"
    if b != s:
        return "status"
    sb, ss = row["shortfall_base"], row["shortfall_scen"]
    return "shortfall" if _known(sb) and _known(ss) and sb != ss else "same"


__all__ = [
    "RowChange",
    "TargetChange",
    "changed_kpis",
    "headline_kind",
    "kpi_ids",
    "plan_diff",
    "row_change",
    "scenario_of",
    "set_target",
    "still_judged",
    "targets_record",
    "to_fraction",
    "to_percent",
    "unit_target",
]
