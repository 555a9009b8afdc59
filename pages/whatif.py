"""Giả định chỉ tiêu: type other targets, see at once what they change (status, gap, shortfall,
rank) for the department and per unit, optionally apply them to every page, download them.

A full run (page opened, sidebar filter changed) reads the cached figures and sums them
(``kpi.whatif.aggregate_scope``); the inputs and results are one fragment, so a target change
reruns only the fragment, which judges those sums again under the scenario: nothing is read from
the database or the targets file.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from kpi.scenario import changed_kpis
from kpi.targets import Plan
from kpi.whatif import aggregate_scope, judge
from ui import data
from ui import whatif_view as wv
from ui.exports import export_buttons, whatif_document
from ui.scenario import scenario_plan
from ui.state import Filters
from ui.texts import whatif as T
from ui.whatif_inputs import kpi_inputs, toolbar, unit_overrides
from ui.whatif_points import PointsSums, points_section, points_sums
from ui.whatif_procedures import procedure_section, procedures_compared
from ui.whatif_results import compared, head_by, head_table, impact, unit_section
from ui.widgets import page_start, source

ctx = page_start(T.TITLE, scenario=False)  # the official plan: the scenario is made here
filters, plan, src, figures = ctx.filters, ctx.plan, ctx.src, ctx.figures
if msg := st.session_state.pop(wv.SAVED_MESSAGE, None):
    st.success(msg, icon=":material/task_alt:")
if msg := st.session_state.pop(wv.SAVE_ERROR, None):
    st.error(msg, icon=":material/error:")
_, base_text = data.targets_text(filters.year)  # the selected year's plan
catalog = data.catalog()
data_units = data.loaded_summary(src)["units"]
unit_choices = list(dict.fromkeys([*catalog.units.names, *data_units]))
short_names = {u: catalog.units.short(u) for u in unit_choices}

st.caption(T.CAPTION.format(filters=filters.describe(), plan=plan.name))

# The sums and the plan's judgement change with the filters only: done here, once per full run.
scope = figures if filters.unit is None else figures.where(units=[filters.unit])
agg_head = aggregate_scope(scope, plan, period=filters.period, by=head_by(filters))
agg_unit = aggregate_scope(figures, plan, period=filters.period, by=("unit",))
sums = {
    "agg_head": agg_head,
    "agg_unit": agg_unit,
    "base_head": judge(agg_head, plan, period=filters.period, by=head_by(filters)),
    "base_unit": judge(agg_unit, plan, period=filters.period, by=("unit",)),
}
points = points_sums(scope, plan, filters.period, by=head_by(filters))  # the scoring criteria's periods


@st.fragment
def scenario_fragment(
    plan: Plan,
    filters: Filters,
    sums: dict[str, pd.DataFrame],
    base_text: str,
    unit_choices: list[str],
    short_names: dict[str, str],
    points: PointsSums,
) -> None:
    """Inputs and results: a target change reruns only this (it reads nothing from the database)."""
    wv.init_inputs(plan)
    targets, units = wv.overrides()
    changed = changed_kpis(plan, targets, units)

    st.subheader(T.INPUTS)
    kpi_inputs(plan, set(changed))
    unit_overrides(plan, unit_choices, short_names)
    scenario = scenario_plan(plan)
    toolbar(plan, scenario, base_text, bool(targets or units))

    head_cmp, unit_cmp = compared(plan, scenario, filters, sums)
    head_name = T.DEPARTMENT if filters.unit is None else short_names.get(filters.unit, filters.unit)
    st.subheader(T.IMPACT)
    impact(plan, filters.end, changed, unit_cmp, head_cmp, head_name, short_names)
    head_table(filters, head_cmp, head_name, plan)
    procedures = procedures_compared(plan, scenario, filters)  # the KPIs counting procedures (TTHC)
    export_buttons(
        partial(
            whatif_document,
            head_cmp,
            unit_cmp,
            filters=filters,
            plan=plan,
            head_name=head_name,
            short_names=short_names,
            uploads=data.active_uploads(source(), filters.start, filters.end, filters.unit),
            procedures=procedures,
        ),
        key="whatif_export",
        file_stem=f"gia-dinh-chi-tieu-{filters.period.code}",
        scenario_note=False,
    )

    st.subheader(T.BY_UNIT)
    unit_section(plan, changed, unit_cmp, short_names)
    procedure_section(plan, procedures, filters, changed, head_name, short_names)
    points_section(scenario, points, head_name)


scenario_fragment(plan, filters, sums, base_text, unit_choices, short_names, points)
