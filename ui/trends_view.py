"""Xu hướng's pieces: the units compared (kept in the session), the series and projection of the scope
shown (month by month over the period's year, or quarter by quarter, year by year), and one KPI's block
(its outlook line and trend chart).

The year-end projection is computed within one year (from the year to date through the period's last
month), so it goes with the month view only; the quarter and year views span several years and say so.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from kpi.engine import PROJECTION_METHOD_VI
from kpi.periods import Kind, as_period, periods_with_figures
from ui import data
from ui.figures_trends import period_lines, trend_lines
from ui.fmt import STATUS_LABELS
from ui.kpi_cache import period_series
from ui.state import Filters
from ui.texts import directors as T
from ui.widgets import PageContext
from vnfmt import fmt_int, fmt_month, fmt_pct

#: What the series may go by, as the page offers it.
TREND_BY: tuple[Kind, ...] = ("month", "quarter", "year")


@dataclass(frozen=True)
class TrendScope:
    """What the page shows: the units (none: the department), their series up to the period chosen
    (by month over its year, or by quarter or year from the first month with figures), the projection
    to December (month view only; none when several units are compared) and the scope's name."""

    shown: list[str]
    series: pd.DataFrame
    projection: pd.DataFrame | None
    name: str
    year: int
    december: bool
    by: Kind = "month"

    @property
    def compared(self) -> bool:
        """Several units side by side."""
        return len(self.shown) > 1


def start_compared_units(sidebar_unit: str | None, all_units: list[str]) -> None:
    """The units compared start from the sidebar's unit, again whenever the sidebar's unit changes."""
    ss = st.session_state
    if "trend_units" not in ss or ss.get("_trend_units_for", "") != (sidebar_unit or None):
        ss["trend_units"] = [sidebar_unit] if sidebar_unit else []
        ss["_trend_units_for"] = sidebar_unit or None
    ss["trend_units"] = [u for u in ss["trend_units"] if u in all_units]


def trend_scope(ctx: PageContext, units: list[str], by: Kind = "month") -> TrendScope:
    """The series (and projection) of the units picked, else of the sidebar's unit, else the department."""
    filters, plan, figures = ctx.filters, ctx.plan, ctx.figures
    year = filters.year
    shown = units or ([filters.unit] if filters.unit else [])
    if by != "month":
        return _periods_scope(ctx, shown, by)
    projection: pd.DataFrame | None = None
    if len(shown) > 1:
        series = data.monthly_series(figures.where(units=shown), plan, year=year, by=("unit",))
        name = T.TRENDS_COMPARE.format(n=len(shown))
    elif shown:  # one unit: its own figures, judged at its own targets (as `kpi report --by unit`)
        scoped = figures.where(units=shown)
        series = data.monthly_series(scoped, plan, year=year, by=("unit",))
        projection = data.project_year_end(scoped, plan, period=filters.period, by=("unit",))
        name = shown[0]
    else:
        series = data.monthly_series(figures, plan, year=year)
        projection = data.project_year_end(figures, plan, period=filters.period)
        name = T.DEPARTMENT
    series = series[series["period"] <= filters.end]
    series = pd.concat([series, procedure_series(ctx, shown, "month")], ignore_index=True)
    return TrendScope(shown, series, projection, name, year, filters.end[5:] == "12")


def _periods_scope(ctx: PageContext, shown: list[str], by: Kind) -> TrendScope:
    """Quarter by quarter or year by year, from the first month with figures to the period's last month;
    no projection (it is computed within one year)."""
    filters, plan = ctx.filters, ctx.plan
    first = data.loaded_summary(ctx.src)["months"][0]
    scoped = ctx.figures.where(units=shown) if shown else ctx.figures
    group = ("unit",) if shown else ()
    years = range(int(first[:4]), int(filters.end[:4]) + 1)
    plans = tuple((y, data.official_plan(y)) for y in years if y != filters.year)  # each year its own plan
    series = period_series(scoped, plan, kind=by, start=first, end=filters.end, by=group, plans=plans)
    series = pd.concat([series, procedure_series(ctx, shown, by)], ignore_index=True)
    name = shown[0] if len(shown) == 1 else T.TRENDS_COMPARE.format(n=len(shown)) if shown else T.DEPARTMENT
    return TrendScope(shown, series, None, name, filters.year, False, by)


def procedure_series(ctx: PageContext, shown: list[str], by: Kind) -> pd.DataFrame:
    """The KPIs counting procedures (``plan.procedure_kpis``) period by period, in the shape of the dossier
    KPIs' series: by month over the year (with the year to date through each month), or by quarter / year
    from the first month with figures; per unit when ``shown`` names units (their catalog procedures).
    No projection: a count of procedures is not extrapolated. Empty without procedure KPIs or catalog."""
    filters, plan = ctx.filters, ctx.plan
    if not plan.procedure_kpis or data.procedure_catalog(ctx.figures)(filters.end).empty:
        return pd.DataFrame()
    stored = [m for m in data.loaded_summary(ctx.src)["months"] if m <= filters.end]
    if by == "month":
        periods = [as_period(m) for m in stored if m[:4] == str(filters.year)]
    else:
        periods = periods_with_figures(by, stored)
    group = ("unit",) if shown else ()
    frames = []
    for p in periods:
        t = data.procedure_kpi_table(ctx.figures, plan, period=p, by=group)
        if by == "month":
            ytd = data.procedure_kpi_table(ctx.figures, plan, period=p.code, ytd=True, by=group)
            keys = ["kpi", *group]
            t = t.merge(ytd[[*keys, "value"]].rename(columns={"value": "ytd_value"}), on=keys, how="left")
        else:
            t = t.assign(period_start=p.start, period_end=p.end, period_name=p.describe())
        frames.append(t.assign(period=p.code))
    if not frames:
        return pd.DataFrame()
    out = pd.concat(frames, ignore_index=True)
    return out[out["unit"].isin(shown)] if shown else out


def scope_caption(scope: TrendScope, filters: Filters) -> tuple[str, str, str]:
    """(the caption under the pickers, the period line of the document, the first month shown)."""
    year = scope.year
    if scope.by == "month":
        span = T.YEAR_UNTIL.format(year=year, month=fmt_month(filters.end).lower())
        caption = T.TRENDS_CAPTION.format(year=year, month=fmt_month(filters.end), scope=scope.name)
        if filters.kind != "month":
            caption += " " + T.TRENDS_MONTHS_OF.format(period=filters.period.describe())
        return caption, span, f"{year}-01"
    first, last = span_text(scope)
    noun = T.TRENDS_BY_NOUN[scope.by]
    caption = T.TRENDS_PERIODS_CAPTION.format(by=noun, first=first, last=last, scope=scope.name)
    start = str(scope.series["period_start"].min()) if len(scope.series) else filters.start
    return caption, f"{first} – {last}", start


def span_text(scope: TrendScope) -> tuple[str, str]:
    """The names of the first and the last period of a quarter or year view (``("", "")`` when empty)."""
    s = scope.series.drop_duplicates("period").sort_values("period_start")
    if s.empty:
        return "", ""
    return str(s["period_name"].iloc[0]), str(s["period_name"].iloc[-1])


def outlook(p: pd.Series, *, year: int, december: bool) -> str:
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


def kpi_block(i: int, kpi_id: str, label: str, scope: TrendScope) -> str | None:
    """One KPI's bordered block: its outlook line (returned, for the PDF) and its trend chart."""
    s = scope.series[scope.series["kpi"] == kpi_id]
    note = None
    with st.container(border=True, key=f"trend_{kpi_id}"):
        st.markdown(f"**{label}**")
        if s.empty or s["status"].eq("no_data").all():
            st.caption(T.NO_YEAR_DATA if scope.by == "month" else T.NO_PERIOD_DATA)
            return None
        if scope.by != "month":
            fig = period_lines(
                s,
                label=label,
                groups=scope.shown if scope.compared else None,
                group_col="unit" if scope.compared else None,
            )
            st.plotly_chart(fig, key=f"trend_chart_{i}", config={"displayModeBar": False})
            return None
        proj_value = None
        p = scope.projection
        rows = p[p["kpi"] == kpi_id] if p is not None else None
        if rows is not None and not rows.empty and rows.iloc[0]["projected_status"] != "no_data":
            note = outlook(rows.iloc[0], year=scope.year, december=scope.december)
            st.caption(note)
            proj_value = None if scope.december else rows.iloc[0]["projected_value"]
        fig = trend_lines(
            s,
            label=label,
            projection=proj_value,
            projection_note=PROJECTION_METHOD_VI,
            groups=scope.shown if scope.compared else None,
            group_col="unit" if scope.compared else None,
        )
        st.plotly_chart(fig, key=f"trend_chart_{i}", config={"displayModeBar": False})
    return note
