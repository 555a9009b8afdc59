"""Khoảng cách: gaps by unit and field, drill down to procedures, the table, its Excel and PDF."""

from __future__ import annotations

import streamlit as st

from ui import data
from ui.exports import export_buttons, gaps_document
from ui.figures import gap_bars, gap_heatmap
from ui.table_view import gap_columns, is_phone, show_table
from ui.tables import GAP_EXPORT_COLUMNS, gap_table_frame
from ui.texts import directors as T
from ui.widgets import page_start

ctx = page_start(T.GAPS_TITLE)
filters, plan, src, figures = ctx.filters, ctx.plan, ctx.src, ctx.figures
st.caption(T.GAPS_CAPTION.format(filters=filters.describe()))
labels = {k: s.label for k, s in plan.kpis.items()}
cat = data.catalog()
short_units = {u: cat.units.short(u) for u in data.loaded_summary(src)["units"]}

by_unit = data.kpi_table(figures, plan, period=filters.period, ytd=filters.ytd, by=("unit",))
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
    config={"displayModeBar": False},
)

kpi_id: str = st.selectbox(T.GAPS_KPI, list(plan.kpis), format_func=labels.__getitem__, key="gap_kpi")
label = labels[kpi_id]
one = by_unit[by_unit["kpi"] == kpi_id]
by_field_all = data.kpi_table(figures, plan, period=filters.period, ytd=filters.ytd, by=("field",))
left, right = st.columns(2)
with left:
    st.markdown(T.GAPS_BY_UNIT.format(label=label))
    st.plotly_chart(
        gap_bars(one, group="unit", kpi_label=label, group_labels=short_units),
        key="bars_unit",
        config={"displayModeBar": False},
    )
with right:
    st.markdown(T.GAPS_BY_FIELD.format(label=label))
    st.plotly_chart(
        gap_bars(by_field_all[by_field_all["kpi"] == kpi_id], group="field", kpi_label=label),
        key="bars_field",
        config={"displayModeBar": False},
    )

st.subheader(T.GAPS_DRILL)
units = one.sort_values("gap", na_position="last")["unit"].tolist()
if st.session_state.get("gap_unit") not in (None, *units):
    del st.session_state["gap_unit"]
if "gap_unit" not in st.session_state and filters.unit in units:
    st.session_state["gap_unit"] = filters.unit  # the unit chosen in the sidebar, as a start
c1, c2 = st.columns(2)
with c1:
    unit = st.selectbox(
        T.GAPS_UNIT,
        units,
        key="gap_unit",
        index=None,
        placeholder=T.GAPS_UNIT_PLACEHOLDER,
        format_func=lambda u: f"{u} ({short_units.get(u, u)})",
    )
level, table = "unit", one
title = T.GAPS_TABLE_UNITS.format(label=label)
field = None
if unit:
    scope = figures.where(units=[unit])
    by_field = data.kpi_table(scope, plan, period=filters.period, ytd=filters.ytd, by=("unit", "field"))
    fields_table = by_field[by_field["kpi"] == kpi_id]
    fields = fields_table.sort_values("gap", na_position="last")["field"].tolist()
    if st.session_state.get("gap_field") not in (None, *fields):
        del st.session_state["gap_field"]
    with c2:
        field = st.selectbox(
            T.GAPS_FIELD, fields, key="gap_field", index=None, placeholder=T.GAPS_FIELD_PLACEHOLDER
        )
    level, table, title = "field", fields_table, T.GAPS_TABLE_FIELDS.format(label=label, unit=unit)
    if field:
        sub = scope.where(fields=[field])
        procs = data.kpi_table(
            sub, plan, period=filters.period, ytd=filters.ytd, by=("unit", "field", "procedure_code")
        )
        procs = procs[procs["kpi"] == kpi_id].copy()
        names = sub.procedure_names(filters.start, filters.period)
        procs["procedure_name"] = procs["procedure_code"].map(
            lambda c: names.get(c) if isinstance(c, str) else None
        )
        level, table, title = (
            "procedure",
            procs,
            T.GAPS_TABLE_PROCEDURES.format(label=label, unit=unit, field=field),
        )
    else:
        st.plotly_chart(
            gap_bars(fields_table, group="field", kpi_label=label),
            key="bars_unit_fields",
            config={"displayModeBar": False},
        )

st.markdown(f"**{title}**")
shown = gap_table_frame(table, level)
if "unit" in shown:
    shown["unit"] = [short_units.get(u, u) for u in shown["unit"]]
show_table(shown, gap_columns(GAP_EXPORT_COLUMNS[level], level), key="gap_table")
uploads = data.active_uploads(src, filters.start, filters.period, unit)
export_buttons(
    lambda: gaps_document(
        table,
        level,
        title=title,
        kpi_label=label,
        filters=filters,
        plan=plan,
        uploads=uploads,
        group_labels=short_units,
    ),
    key="gap_download",
    file_stem=f"khoang-cach-{kpi_id}-{filters.period}",
)
