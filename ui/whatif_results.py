"""The what-if page's results: what the scenario changes, for the department (or the unit chosen)
and per unit, as sentences, coloured tables and a shortfall chart."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import pandas as pd
import streamlit as st

from kpi.targets import Plan
from kpi.whatif import compare, judge, kpi_changes
from ui import whatif_view as wv
from ui.figures import shortfall_compare
from ui.state import Filters
from ui.texts import whatif as T
from ui.texts import whatif_procedures as TP
from ui.texts.whatif import PAIR_NOTE as PAIR_NOTE  # re-exported
from ui.whatif_tables import DEPARTMENT_SCREEN, UNIT_SCREEN, show_compare
from vnfmt import fmt_points


def head_by(filters: Filters) -> tuple[str, ...]:
    """The grouping of the headline: the department as a whole, or the unit of the sidebar."""
    return () if filters.unit is None else ("unit",)


def compared(
    plan: Plan, scenario: Plan, filters: Filters, sums: Mapping[str, pd.DataFrame]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(headline, per-unit) :func:`kpi.whatif.compare` tables: the plan's judgement of the sums
    (``base_*``) against the scenario's (judged again here, from ``agg_*``)."""
    tables = {}
    for name, by in (("head", head_by(filters)), ("unit", ("unit",))):
        base = sums[f"base_{name}"]
        scen = (
            base if scenario is plan else judge(sums[f"agg_{name}"], scenario, period=filters.period, by=by)
        )
        tables[name] = compare(base, scen, by=by)
    return tables["head"], tables["unit"]


def impact(
    plan: Plan,
    period: str,
    changed: list[str],
    unit_cmp: pd.DataFrame,
    head_cmp: pd.DataFrame,
    head_name: str,
    short_names: Mapping[str, str],
) -> None:
    """One sentence per changed dossier KPI (or a hint when nothing is changed yet); the KPIs that
    count procedures have theirs in their own section (:func:`ui.whatif_procedures.procedure_section`)."""
    if not changed:
        st.info(T.NO_SCENARIO, icon=":material/tune:")
        return
    targets, units = wv.overrides()
    dossier = [k for k in changed if k in plan.kpis]
    if len(dossier) < len(changed):  # a procedure KPI's target changed: its sentence is further down
        st.caption(TP.SEE_BELOW)
    moves = kpi_changes(unit_cmp, dossier)
    for k in dossier:
        spec = plan.kpis[k]
        phrase = wv.scenario_phrase(
            spec.label,
            plan_target=plan.target_for(k, period),
            new_target=targets.get(k),
            unit_targets={short_names.get(u, u): v for (kid, u), v in units.items() if kid == k},
        )
        head_rows = head_cmp[head_cmp["kpi"] == k]
        head = cast(dict[str, object], head_rows.iloc[0].to_dict()) if len(head_rows) else None
        text = wv.summary_sentence(phrase, moves[k], noun=wv.noun_for(spec), head_name=head_name, head=head)
        st.markdown(f":material/insights: {text}")


def head_table(filters: Filters, head_cmp: pd.DataFrame, head_name: str, plan: Plan | None = None) -> None:
    """The headline's KPIs under the plan and the scenario (KPIs by their short labels)."""
    when = filters.period.describe()  # the unit is in head_name
    st.markdown(f"**{head_name}** – {when}")
    if head_cmp.empty:
        st.caption(T.HEAD_NO_DATA.format(name=head_name))
        return
    labels = {k: s.short_label for k, s in plan.kpis.items()} if plan is not None else None
    show_compare(head_cmp, DEPARTMENT_SCREEN, key="whatif_dept", names=labels)
    st.caption(T.HEAD_NOTE)


def unit_section(
    plan: Plan, changed: list[str], unit_cmp: pd.DataFrame, short_names: Mapping[str, str]
) -> None:
    """One dossier KPI chosen: the units' shortfall under both (chart) and their table, worst first
    (the procedure KPIs' units: :func:`ui.whatif_procedures.unit_table`)."""
    ss = st.session_state
    labels = {k: s.label for k, s in plan.kpis.items()}
    changed = [k for k in changed if k in plan.kpis]
    if ss.get(wv.KPI_PICK) not in plan.kpis:
        ss[wv.KPI_PICK] = changed[0] if changed else next(iter(plan.kpis))
    c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
    kid = c1.selectbox(
        T.PICK_KPI,
        list(plan.kpis),
        key=wv.KPI_PICK,
        format_func=lambda k: T.PICK_KPI_CHANGED.format(label=labels[k]) if k in changed else labels[k],
    )
    changed_only = c2.toggle(T.CHANGED_ONLY, key="whatif_changed_only")
    rows = wv.unit_rows(unit_cmp, kid)
    if rows.empty:
        st.caption(T.NO_UNIT_DATA)
        return
    base_rows = pd.DataFrame(
        {
            "unit": [short_names.get(u, u) for u in rows["unit"]],
            "shortfall": rows["shortfall_base"].to_numpy(),
        }
    )
    scen_rows = base_rows.assign(shortfall=rows["shortfall_scen"].to_numpy())
    st.plotly_chart(
        shortfall_compare(base_rows, scen_rows, group="unit", label=labels[kid]),
        key="whatif_chart",
        config={"displayModeBar": False},
    )
    shown = wv.unit_rows(unit_cmp, kid, changed_only=changed_only)
    if shown.empty:
        st.caption(T.NO_UNIT_CHANGED)
    else:
        show_compare(shown, UNIT_SCREEN, key="whatif_units_table", names=short_names)
    st.caption(T.UNIT_NOTE.format(near=fmt_points(plan.near, sign=False), noun=wv.noun_for(plan.kpis[kid])))
