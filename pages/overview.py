"""Tổng quan: one card per KPI, where the figures come from, and what needs attention."""

from __future__ import annotations

import streamlit as st

from ui import data
from ui.exports import export_buttons, overview_document
from ui.fmt import fmt_int, fmt_pct, fmt_points
from ui.table_view import TableColumn, show_table
from ui.widgets import kpi_cards, page_start, source_line

#: The attention table: what and how far first, the field with the largest shortfall last.
ATTENTION_COLUMNS = [
    TableColumn("unit", "Đơn vị", width=155, help="Tên viết tắt theo danh mục đơn vị", fit=True),
    TableColumn("label", "Chỉ tiêu", width=165, fit=True),
    TableColumn("shortfall", "Còn thiếu (hồ sơ)", "int", width=110),
    TableColumn("value", "Đạt được", "percent", width=80),
    TableColumn("target", "Chỉ tiêu đặt ra", "percent", width=95, essential=False),
    TableColumn("gap", "Chênh lệch", "points", width=100, essential=False),
    TableColumn("field", "Lĩnh vực thiếu nhiều nhất", width=228, essential=False, fit=True,
                help="Lĩnh vực còn thiếu nhiều hồ sơ nhất của cặp này (số hồ sơ còn thiếu)"),
]

ctx = page_start("Tổng quan")
filters, plan, src, figures = ctx.filters, ctx.plan, ctx.src, ctx.figures
scope = figures if filters.unit is None else figures.where(units=[filters.unit])
st.caption(f"{filters.describe()} · {plan.name}")
uploads = data.active_uploads(src, filters.start, filters.period, filters.unit)
source_line(uploads)

table = data.kpi_table(scope, plan, period=filters.period, ytd=filters.ytd, change=True)
series = data.monthly_series(scope, plan, year=filters.year)
series = series[series["period"] <= filters.period]
value_col = "ytd_value" if filters.ytd else "value"

below = table[table["status"].isin(["below", "near"])]
if below.empty:
    st.success("Tất cả chỉ tiêu có số liệu đều đạt.", icon=":material/verified:")
else:
    worst = below.sort_values("gap").iloc[0]
    st.markdown(
        f"**{len(below)}/{len(table)} chỉ tiêu chưa đạt.** Xa nhất: *{worst['label']}* "
        f"{fmt_pct(worst['value'])} so với chỉ tiêu {fmt_pct(worst['target'])} "
        f"({fmt_points(worst['gap'])}, còn thiếu {fmt_int(worst['shortfall'])} hồ sơ)."
    )

specs = plan.kpis
rows = [{**r, "short_label": specs[r["kpi"]].short_label, "description": specs[r["kpi"]].description,
         "source": specs[r["kpi"]].source} for r in table.to_dict("records")]
sparks = {k: [round(float(v) * 100, 1) for v in g[value_col] if v == v] for k, g in series.groupby("kpi")}
kpi_cards(rows, sparks, period=filters.period, ytd=filters.ytd)

st.subheader("Cần chú ý")
if filters.unit is None:
    st.caption("Các cặp (đơn vị, chỉ tiêu) còn thiếu nhiều hồ sơ nhất so với chỉ tiêu.")
else:
    st.caption(f"Các chỉ tiêu của {filters.unit} còn thiếu nhiều hồ sơ nhất, theo lĩnh vực.")
worst = data.attention(scope, plan, period=filters.period, ytd=filters.ytd, top=10)
if worst.empty:
    st.success("Không có đơn vị nào thiếu hồ sơ so với chỉ tiêu.", icon=":material/verified:")
else:
    shown = worst.assign(unit=[data.catalog().units.short(u) for u in worst["unit"]],
                         label=[specs[k].short_label for k in worst["kpi"]],
                         field=[f"{f} ({fmt_int(n)})" if f else None
                                for f, n in zip(worst["worst_field"], worst["worst_field_shortfall"], strict=True)])
    show_table(shown, ATTENTION_COLUMNS, key="attention")
    st.page_link("pages/gaps.py", label="Xem chi tiết theo đơn vị, lĩnh vực, thủ tục",
                 icon=":material/stacked_bar_chart:")
export_buttons(lambda: overview_document(table, worst, filters=filters, plan=plan, uploads=uploads),
               key="overview_download", file_stem=f"tong-quan-{filters.period}")
