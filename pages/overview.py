"""Tổng quan: one card per KPI, where the figures come from, and what needs attention."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import data
from ui.brief_buttons import brief_buttons, due_button
from ui.deadline import show_next_due
from ui.exports import export_buttons, overview_document
from ui.table_view import TableColumn, show_table
from ui.texts import directors as T
from ui.widgets import (
    card_rows,
    card_sparklines,
    kpi_cards,
    page_start,
    procedure_cards,
    source_line,
    stock_definitions,
)
from vnfmt import fmt_int, fmt_pct, fmt_points

#: The attention table: what and how far first, the field with the largest shortfall last.
ATTENTION_COLUMNS = [
    TableColumn("unit", T.COL_UNIT, width=155, help=T.ATTENTION_UNIT_HELP, fit=True),
    TableColumn("label", T.COL_KPI, width=165, fit=True),
    TableColumn("shortfall", T.COL_SHORTFALL, "int", width=110),
    TableColumn("value", T.COL_VALUE, "percent", width=80),
    TableColumn("target", T.COL_TARGET_SET, "percent", width=95, essential=False),
    TableColumn("gap", T.COL_GAP, "points", width=100, essential=False),
    TableColumn(
        "field", T.COL_WORST_FIELD, width=228, essential=False, fit=True, help=T.ATTENTION_FIELD_HELP
    ),
]

ctx = page_start(T.OVERVIEW_TITLE)
filters, plan, src, figures = ctx.filters, ctx.plan, ctx.src, ctx.figures
scope = figures if filters.unit is None else figures.where(units=[filters.unit])
st.caption(f"{filters.describe()} · {plan.name}")
uploads = data.active_uploads(src, filters.start, filters.end, filters.unit)
source_line(uploads)
if (due := show_next_due()) is not None:
    due_button(src, due)

by = ("unit",) if filters.unit else ()  # a unit is judged by its own targets (roadmap, unit targets)
table = data.kpi_table(scope, plan, period=filters.period, by=by, change=True)

below = table[table["status"].isin(["below", "near"])]
if below.empty:
    st.success(T.OVERVIEW_ALL_MET, icon=":material/verified:")
else:
    farthest = below.sort_values("gap").iloc[0]
    st.markdown(
        T.OVERVIEW_FARTHEST.format(
            below=len(below),
            total=len(table),
            label=farthest["label"],
            value=fmt_pct(farthest["value"]),
            target=fmt_pct(farthest["target"]),
            gap=fmt_points(farthest["gap"]),
            shortfall=fmt_int(farthest["shortfall"]),
        )
    )

kpi_cards(card_rows(table, plan), card_sparklines(ctx, scope, by), period=filters.period)
if (definitions := stock_definitions(plan)) is not None:
    st.caption(definitions)
procedure_cards(ctx)  # the KPIs that count procedures (TTHC), beside the dossier KPIs

st.subheader(T.ATTENTION)
if filters.unit is None:
    st.caption(T.ATTENTION_PAIRS)
else:
    st.caption(T.ATTENTION_OF_UNIT.format(unit=filters.unit))
worst = data.attention(scope, plan, period=filters.period, top=10)
if worst.empty:
    st.success(T.ATTENTION_NO_UNIT, icon=":material/verified:")
else:
    fields = pd.Series(
        [
            f"{f} ({fmt_int(n)})" if f else None
            for f, n in zip(worst["worst_field"], worst["worst_field_shortfall"], strict=True)
        ],
        index=worst.index,
        dtype=object,
    )
    shown = worst.assign(
        unit=[data.catalog().units.short(u) for u in worst["unit"]],
        label=[plan.kpis[k].short_label for k in worst["kpi"]],
        field=fields,
    )
    show_table(shown, ATTENTION_COLUMNS, key="attention")
    st.page_link("pages/gaps.py", label=T.TO_GAPS_PAGE, icon=":material/stacked_bar_chart:")
export_buttons(
    lambda: overview_document(table, worst, filters=filters, plan=plan, uploads=uploads),
    key="overview_download",
    file_stem=f"tong-quan-{filters.period.code}",
)
brief_buttons(src, filters.period, filters.unit, key="overview_brief")
