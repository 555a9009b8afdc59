"""Tổng quan: one card per KPI, where the figures come from, and what needs attention."""

from __future__ import annotations

import streamlit as st

from ui import data
from ui.fmt import fmt_int, fmt_pct, fmt_points
from ui.widgets import kpi_card, page_start, source_line

ctx = page_start("Tổng quan")
filters, plan, src, figures = ctx.filters, ctx.plan, ctx.src, ctx.figures
scope = figures if filters.unit is None else figures.where(units=[filters.unit])
st.caption(f"{filters.describe()} · {plan.name}")
source_line(data.active_uploads(src, filters.start, filters.period, filters.unit))

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
cols = st.columns(4)
for i, row in enumerate(table.itertuples(index=False)):
    rec = row._asdict()
    spec = specs[rec["kpi"]]
    rec["description"] = spec.description
    rec["source"] = spec.source
    spark = [round(float(v) * 100, 1) for v in series.loc[series["kpi"] == rec["kpi"], value_col] if v == v]
    with cols[i % 4]:
        kpi_card(rec, spark, key=f"card_{rec['kpi']}")

st.subheader("Cần chú ý")
if filters.unit is None:
    st.caption("Các cặp (đơn vị, chỉ tiêu) còn thiếu nhiều hồ sơ nhất so với chỉ tiêu.")
else:
    st.caption(f"Các chỉ tiêu của {filters.unit} còn thiếu nhiều hồ sơ nhất, theo lĩnh vực.")
worst = data.attention(scope, plan, period=filters.period, ytd=filters.ytd, top=10)
if worst.empty:
    st.success("Không có đơn vị nào thiếu hồ sơ so với chỉ tiêu.", icon=":material/verified:")
else:
    view = worst.assign(
        value=worst["value"].map(fmt_pct), target=worst["target"].map(fmt_pct),
        gap=worst["gap"].map(fmt_points), shortfall=worst["shortfall"].map(fmt_int),
        field=[f"{f} ({fmt_int(s)})" if f else "–" for f, s in
               zip(worst["worst_field"], worst["worst_field_shortfall"], strict=True)],
    )[["unit", "label", "value", "target", "gap", "shortfall", "field"]]
    st.dataframe(
        view, hide_index=True, width="stretch", key="attention",
        column_config={
            "unit": "Đơn vị", "label": "Chỉ tiêu", "value": "Đạt được", "target": "Chỉ tiêu đặt ra",
            "gap": "Chênh lệch", "shortfall": "Còn thiếu (hồ sơ)", "field": "Lĩnh vực thiếu nhiều nhất",
        },
    )
    st.page_link("pages/gaps.py", label="Xem chi tiết theo đơn vị, lĩnh vực, thủ tục",
                 icon=":material/stacked_bar_chart:")
