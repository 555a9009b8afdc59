"""The what-if scenario of this browser session: targets typed on the what-if page.

Session keys (plain keys, not widget keys, so they outlive the what-if page's widgets, whose
state Streamlit drops on the other pages): ``whatif_targets`` {kpi id: fraction},
``whatif_units`` {(kpi id, unit): fraction}, ``whatif_apply_on`` (bool: the other pages use the
scenario too; the what-if page's toggle ``whatif_apply`` copies its value there on change).
"""

from __future__ import annotations

import streamlit as st

from kpi.scenario import scenario_of
from kpi.targets import Plan

APPLY_KEY = "whatif_apply_on"


def scenario_overrides() -> tuple[dict[str, float], dict[tuple[str, str], float]]:
    """This session's (plan-wide targets, unit targets) of the scenario."""
    ss = st.session_state
    return dict(ss.get("whatif_targets", {})), dict(ss.get("whatif_units", {}))


def scenario_plan(plan: Plan) -> Plan:
    """The official plan with this session's what-if targets applied (and the scenario kept with the
    signed-in session when it changed: the what-if page's fragment reruns without the entry file)."""
    from ui.auth import keep_state  # ui.auth imports this module

    source = st.session_state.get("_source")
    if source is not None:
        keep_state(source.engine)
    return scenario_of(plan, *scenario_overrides())


def scenario_applied() -> bool:
    """The toggle "Áp dụng cho toàn bộ trang" is on and the scenario differs from the plan."""
    return bool(st.session_state.get(APPLY_KEY)) and any(scenario_overrides())


def effective_plan(plan: Plan) -> Plan:
    """What the directors' pages use: the scenario when switched on, else the official plan."""
    return scenario_plan(plan) if scenario_applied() else plan


def scenario_snapshot() -> dict[str, object]:
    """The scenario as JSON keeps it with the signed-in session (:mod:`data_access.sessions`)."""
    ss = st.session_state
    targets, units = scenario_overrides()
    return {
        "targets": dict(sorted(targets.items())),
        "units": sorted([k, u, v] for (k, u), v in units.items()),
        "apply": bool(ss.get(APPLY_KEY)),
    }


def restore_scenario(saved: object) -> None:
    """Put back a :func:`scenario_snapshot` (a resumed session); what does not read as one is ignored."""
    if not isinstance(saved, dict):
        return
    try:
        targets = {str(k): float(v) for k, v in dict(saved.get("targets") or {}).items()}
        units = {(str(k), str(u)): float(v) for k, u, v in saved.get("units") or []}
    except (TypeError, ValueError):
        return
    ss = st.session_state
    ss["whatif_targets"], ss["whatif_units"], ss[APPLY_KEY] = targets, units, bool(saved.get("apply"))
