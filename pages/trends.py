"""Xu hướng: monthly value per KPI with target and roadmap, year to date, projection to December."""

from __future__ import annotations

import streamlit as st

from kpi.engine import PROJECTION_METHOD_VI
from ui import data
from ui.figures import trend_lines
from ui.fmt import STATUS_LABELS, fmt_int, fmt_pct
from ui.state import stop_page
from ui.widgets import page_start

ctx = page_start("Xu hướng")
filters, plan, src, figures = ctx.filters, ctx.plan, ctx.src, ctx.figures
labels = {k: s.label for k, s in plan.kpis.items()}
year = filters.year
st.caption(f"Năm {year}, đến {filters.describe()} · đường nét đứt: chỉ tiêu theo lộ trình của từng tháng.")

c1, c2 = st.columns([2, 3])
with c1:
    chosen = st.multiselect("Chỉ tiêu", list(plan.kpis), default=list(plan.kpis)[:4], format_func=labels.get,
                            key="trend_kpis", placeholder="Chọn chỉ tiêu")
with c2:
    all_units = data.loaded_summary(src)["units"]
    if "trend_units" not in st.session_state and filters.unit:
        st.session_state["trend_units"] = [filters.unit]
    units = st.multiselect("So sánh đơn vị", all_units, key="trend_units", placeholder="Toàn Sở (chọn đơn vị để so sánh)")

if units:
    series = data.monthly_series(figures.where(units=units), plan, year=year, by=("unit",))
    projection = None
else:
    series = data.monthly_series(figures, plan, year=year)
    projection = data.project_year_end(figures, plan, period=filters.period)
series = series[series["period"] <= filters.period]

if not chosen:
    st.info("Chọn ít nhất một chỉ tiêu.", icon=":material/checklist:")
    stop_page()
if projection is not None:
    st.caption(f":material/insights: {PROJECTION_METHOD_VI}.")
for i, kpi_id in enumerate(chosen):
    s = series[series["kpi"] == kpi_id]
    with st.container(border=True, key=f"trend_{kpi_id}"):
        st.markdown(f"**{labels[kpi_id]}**")
        if s.empty or s["status"].eq("no_data").all():
            st.caption("Chưa có số liệu cho chỉ tiêu này trong năm.")
            continue
        proj_value = None
        if projection is not None:
            p = projection[projection["kpi"] == kpi_id].iloc[0]
            proj_value = p["projected_value"]
            if p["projected_status"] != "no_data":
                st.caption(
                    f"Lũy kế đến nay {fmt_pct(p['ytd_value'])}; dự báo tháng 12: {fmt_pct(p['projected_value'])} "
                    f"so với chỉ tiêu {fmt_pct(p['target'])} – {STATUS_LABELS[p['projected_status']]}"
                    + (f", cần thêm khoảng {fmt_int(p['projected_shortfall'])} hồ sơ"
                       if p["projected_shortfall"] and p["projected_shortfall"] > 0 else "")
                )
        fig = trend_lines(s, label=labels[kpi_id], projection=proj_value, projection_note=PROJECTION_METHOD_VI,
                          groups=units or None, group_col="unit" if units else None)
        st.plotly_chart(fig, key=f"trend_chart_{i}", config={"displayModeBar": False})
