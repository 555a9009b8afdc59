"""Xu hướng: monthly value per KPI with target and roadmap, year to date, projection to December.

Every figure is of the scope shown: the whole department, the unit chosen in the sidebar (or the one
unit picked to compare), or several units side by side (then without projection).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kpi.engine import PROJECTION_METHOD_VI
from ui import data
from ui.exports import export_buttons, trends_document
from ui.figures import trend_lines
from ui.fmt import STATUS_LABELS
from ui.state import stop_page
from ui.texts import directors as T
from ui.widgets import page_start
from vnfmt import fmt_int, fmt_month, fmt_pct

ctx = page_start(T.TRENDS_TITLE)
filters, plan, src, figures = ctx.filters, ctx.plan, ctx.src, ctx.figures
labels = {k: s.label for k, s in plan.kpis.items()}
year = filters.year
ss = st.session_state
all_units = data.loaded_summary(src)["units"]
# the units compared start from the sidebar's unit, again whenever the sidebar's unit changes
if "trend_units" not in ss or ss.get("_trend_units_for", "") != (filters.unit or None):
    ss["trend_units"] = [filters.unit] if filters.unit else []
    ss["_trend_units_for"] = filters.unit or None
ss["trend_units"] = [u for u in ss["trend_units"] if u in all_units]

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

shown = units or ([filters.unit] if filters.unit else [])
projection: pd.DataFrame | None = None
if len(shown) > 1:
    series = data.monthly_series(figures.where(units=shown), plan, year=year, by=("unit",))
    scope_name = T.TRENDS_COMPARE.format(n=len(shown))
elif shown:  # one unit: its own figures, judged at its own targets (as `kpi report --by unit`)
    scoped = figures.where(units=shown)
    series = data.monthly_series(scoped, plan, year=year, by=("unit",))
    projection = data.project_year_end(scoped, plan, period=filters.period, by=("unit",))
    scope_name = shown[0]
else:
    series = data.monthly_series(figures, plan, year=year)
    projection = data.project_year_end(figures, plan, period=filters.period)
    scope_name = T.DEPARTMENT
series = series[series["period"] <= filters.period]
december = filters.period[5:] == "12"
st.caption(T.TRENDS_CAPTION.format(year=year, month=fmt_month(filters.period), scope=scope_name))

if not chosen:
    st.info(T.TRENDS_CHOOSE, icon=":material/checklist:")
    stop_page()
if projection is not None:
    st.caption(
        T.TRENDS_DECEMBER.format(year=year) if december else f":material/insights: {PROJECTION_METHOD_VI}."
    )


def outlook(p: pd.Series) -> str:
    """The year to date and the December projection (in December: the year's result) of one KPI."""
    short = p["projected_shortfall"]
    need = not pd.isna(short) and short > 0
    judged = T.OUTLOOK_JUDGED.format(target=fmt_pct(p["target"]), status=STATUS_LABELS[p["projected_status"]])
    if december:
        return T.OUTLOOK_YEAR.format(year=year, ytd=fmt_pct(p["ytd_value"]), judged=judged) + (
            T.OUTLOOK_YEAR_SHORT.format(n=fmt_int(short)) if need else ""
        )
    return T.OUTLOOK_SO_FAR.format(
        ytd=fmt_pct(p["ytd_value"]), projected=fmt_pct(p["projected_value"]), judged=judged
    ) + (T.OUTLOOK_NEED.format(n=fmt_int(short)) if need else "")


notes: dict[str, str] = {}
for i, kpi_id in enumerate(chosen):
    s = series[series["kpi"] == kpi_id]
    with st.container(border=True, key=f"trend_{kpi_id}"):
        st.markdown(f"**{labels[kpi_id]}**")
        if s.empty or s["status"].eq("no_data").all():
            st.caption(T.NO_YEAR_DATA)
            continue
        proj_value = None
        rows = projection[projection["kpi"] == kpi_id] if projection is not None else None
        if rows is not None and not rows.empty and rows.iloc[0]["projected_status"] != "no_data":
            st.caption(notes.setdefault(kpi_id, outlook(rows.iloc[0])))
            proj_value = None if december else rows.iloc[0]["projected_value"]
        fig = trend_lines(
            s,
            label=labels[kpi_id],
            projection=proj_value,
            projection_note=PROJECTION_METHOD_VI,
            groups=shown if len(shown) > 1 else None,
            group_col="unit" if len(shown) > 1 else None,
        )
        st.plotly_chart(fig, key=f"trend_chart_{i}", config={"displayModeBar": False})
uploads = data.active_uploads(src, f"{year}-01", filters.period, shown[0] if len(shown) == 1 else None)
export_buttons(
    lambda: trends_document(
        series,
        {k: labels[k] for k in chosen},
        filters=filters,
        plan=plan,
        scope=scope_name,
        groups=shown,
        notes=notes,
        uploads=uploads,
    ),
    key="trend_download",
    file_stem=f"xu-huong-{filters.period}",
)
