"""Xu hướng: per KPI its value month by month with target and roadmap, year to date and projection to
December; or quarter by quarter, year by year (each judged at its last month's target, no projection).

Every figure is of the scope shown: the whole department, the unit chosen in the sidebar (or the one
unit picked to compare), or several units side by side (then without projection).
"""

from __future__ import annotations

import streamlit as st

from kpi.engine import PROJECTION_METHOD_VI
from kpi.periods import Kind
from ui import data
from ui import trends_view as tv
from ui.exports import export_buttons, trends_document
from ui.state import stop_page
from ui.texts import directors as T
from ui.widgets import page_start

ctx = page_start(T.TRENDS_TITLE)
filters, plan, src = ctx.filters, ctx.plan, ctx.src
labels = {k: s.label for k, s in plan.kpis.items()}
labels |= {k: s.label for k, s in plan.procedure_kpis.items()}  # the KPIs counting procedures (TTHC)
all_units = data.loaded_summary(src)["units"]
tv.start_compared_units(filters.unit, all_units)

c1, c2 = st.columns([2, 3])
with c1:
    chosen = st.multiselect(
        T.TRENDS_KPIS,
        list(labels),
        default=list(plan.kpis)[:4],
        format_func=labels.__getitem__,
        key="trend_kpis",
        placeholder=T.TRENDS_KPIS_PLACEHOLDER,
    )
with c2:
    units = st.multiselect(
        T.TRENDS_UNITS,
        all_units,
        key="trend_units",
        placeholder=T.TRENDS_UNITS_PLACEHOLDER.format(scope=filters.unit or T.DEPARTMENT),
    )

picked = st.segmented_control(
    T.TRENDS_BY,
    list(tv.TREND_BY),
    default="month",
    key="trend_by",
    format_func=T.TRENDS_BY_LABELS.__getitem__,
    selection_mode="single",
)
by: Kind = picked if picked in tv.TREND_BY else "month"  # clicked off: the month view
scope = tv.trend_scope(ctx, units, by)
year = scope.year
caption, span, first_month = tv.scope_caption(scope, filters)
st.caption(caption)

if not chosen:
    st.info(T.TRENDS_CHOOSE, icon=":material/checklist:")
    stop_page()
if by != "month" and not scope.compared:
    st.caption(T.TRENDS_NO_PROJECTION)
if scope.projection is not None:
    st.caption(
        T.TRENDS_DECEMBER.format(year=year)
        if scope.december
        else f":material/insights: {PROJECTION_METHOD_VI}."
    )

notes: dict[str, str] = {}
for i, kpi_id in enumerate(chosen):
    if note := tv.kpi_block(i, kpi_id, labels[kpi_id], scope):
        notes[kpi_id] = note
one_unit = scope.shown[0] if len(scope.shown) == 1 else None
uploads = data.active_uploads(src, first_month, filters.end, one_unit)
export_buttons(
    lambda: trends_document(
        scope.series,
        {k: labels[k] for k in chosen},
        filters=filters,
        plan=plan,
        scope=scope.name,
        groups=scope.shown,
        notes=notes,
        uploads=uploads,
        by=by,
        span=span,
    ),
    key="trend_download",
    file_stem=f"xu-huong-{filters.period.code}" + ("" if by == "month" else f"-{by}"),
)
