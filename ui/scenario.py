"""The what-if scenario of this browser session: targets typed on the what-if page.

Session keys: ``whatif_targets`` {kpi id: fraction}, ``whatif_units`` {(kpi id, unit): fraction},
``whatif_apply`` (bool: the other pages use the scenario too).
"""

from __future__ import annotations

import streamlit as st

from kpi.targets import Plan, with_overrides


def scenario_overrides() -> tuple[dict[str, float], dict[tuple[str, str], float]]:
    ss = st.session_state
    return dict(ss.get("whatif_targets", {})), dict(ss.get("whatif_units", {}))


def scenario_plan(plan: Plan) -> Plan:
    """The official plan with this session's what-if targets applied."""
    targets, units = scenario_overrides()
    targets = {k: v for k, v in targets.items() if k in plan.kpis}
    units = {k: v for k, v in units.items() if k[0] in plan.kpis}
    if not targets and not units:
        return plan
    return with_overrides(plan, targets=targets, unit_targets=units)


def scenario_applied() -> bool:
    return bool(st.session_state.get("whatif_apply")) and any(scenario_overrides())


def effective_plan(plan: Plan) -> Plan:
    """What the directors' pages use: the scenario when switched on, else the official plan."""
    return scenario_plan(plan) if scenario_applied() else plan
