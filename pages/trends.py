"""Xu hướng: monthly value per KPI with target and roadmap, year to date, projection to December.

Every figure is of the scope shown: the whole department, the unit chosen in the sidebar (or the one
unit picked to compare), or several units side by side (then without projection).
"""

from __future__ import annotations

import streamlit as st

from kpi.engine import PROJECTION_METHOD_VI
from ui import data
from ui import trends_view as tv
from ui.exports import export_buttons, trends_document
from ui.state import stop_page
from ui.texts import directors as T
from ui.widgets import page_start
from vnfmt import fmt_month

ctx = page_start(T.TRENDS_TITLE)
filters, plan, src = ctx.filters, ctx.plan, ctx.src
labels = {k: s.label for k, s in plan.kpis.items()}
all_units = data.loaded_summary(src)["units"]
tv.start_compared_units(filters.unit, all_units)

c1, c2 = st.columns([2, 3])
with c1:
    chosen = st.multiselect(
        T.TRENDS_KPIS,
        list(plan.kpis),
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

scope = tv.trend_scope(ctx, units)
year = scope.year
st.caption(T.TRENDS_CAPTION.format(year=year, month=fmt_month(filters.period), scope=scope.name))

if not chosen:
    st.info(T.TRENDS_CHOOSE, icon=":material/checklist:")
    stop_page()
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
uploads = data.active_uploads(src, f"{year}-01", filters.period, one_unit)
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
    ),
    key="trend_download",
    file_stem=f"xu-huong-{filters.period}",
)
