"""Khoảng cách: gaps by unit and field, drill down to procedures, the table, its Excel and PDF."""

from __future__ import annotations

import streamlit as st

from ui import data
from ui import gaps_view as gv
from ui.brief_buttons import brief_buttons
from ui.exports import export_buttons, gaps_document
from ui.figures import gap_heatmap
from ui.table_view import is_phone
from ui.texts import directors as T
from ui.widgets import page_start

ctx = page_start(T.GAPS_TITLE)
filters, plan, src, figures = ctx.filters, ctx.plan, ctx.src, ctx.figures
st.caption(T.GAPS_CAPTION.format(filters=filters.describe()))
labels = {k: s.label for k, s in plan.kpis.items()}
cat = data.catalog()
short_units = {u: cat.units.short(u) for u in data.loaded_summary(src)["units"]}

by_unit = data.kpi_table(figures, plan, period=filters.period, by=("unit",))
st.plotly_chart(
    gap_heatmap(
        by_unit,
        row="unit",
        labels={k: s.short_label for k, s in plan.kpis.items()},
        hover_labels=labels,
        row_labels=short_units,
        compact=is_phone(),
    ),
    key="heatmap",
    config=gv.CHART_CONFIG,
)

kpi_id: str = st.selectbox(T.GAPS_KPI, list(plan.kpis), format_func=labels.__getitem__, key="gap_kpi")
label = labels[kpi_id]
one = by_unit[by_unit["kpi"] == kpi_id]
by_field_all = data.kpi_table(figures, plan, period=filters.period, by=("field",))
left, right = st.columns(2)
with left:
    st.markdown(T.GAPS_BY_UNIT.format(label=label))
    gv.bars(one, "unit", label, key="bars_unit", group_labels=short_units)
with right:
    st.markdown(T.GAPS_BY_FIELD.format(label=label))
    gv.bars(by_field_all[by_field_all["kpi"] == kpi_id], "field", label, key="bars_field")

st.subheader(T.GAPS_DRILL)
shown = gv.drill_down(ctx, kpi_id, label, one, short_units)
gv.gap_table(shown, short_units)
uploads = data.active_uploads(src, filters.start, filters.end, shown.unit)
export_buttons(
    lambda: gaps_document(
        shown.table,
        shown.level,
        title=shown.title,
        kpi_label=label,
        filters=filters,
        plan=plan,
        uploads=uploads,
        group_labels=short_units,
    ),
    key="gap_download",
    file_stem=f"khoang-cach-{kpi_id}-{filters.period.code}",
)
gv.procedure_gaps(ctx, short_units)  # the KPIs counting procedures (TTHC), by unit and by field
brief_buttons(src, filters.period, filters.unit, key="gap_brief")
