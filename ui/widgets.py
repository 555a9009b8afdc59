"""Widgets shared by the pages: notices, the plan (or its error), the upload source line, KPI cards."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from data_access.plans import year_notice
from kpi.engine import previous_period
from kpi.periods import Period, as_period
from kpi.targets import Plan, TargetsError
from ui import data
from ui.auth import ACTOR_KEY
from ui.figures import sparkline_img
from ui.fmt import STATUS_COLORS, STATUS_LABELS
from ui.kpi_cache import period_series
from ui.md import md_escape
from ui.scenario import effective_plan, scenario_applied
from ui.state import Filters, current_filters, stop_page
from ui.texts import directors as T
from vnfmt import fmt_datetime, fmt_int, fmt_month, fmt_month_in, fmt_number, fmt_pct, fmt_points, is_missing

UPLOAD_PAGE = "pages/upload.py"
#: How the source line names where figures came from (upload kinds of data_access.store).
SOURCE_KINDS = T.SOURCE_KINDS


def source() -> data.Source:
    """The data source the entry file opened for this run."""
    return cast(data.Source, st.session_state["_source"])


def page_registered(page: str) -> bool:
    """Whether ``page`` (a path such as ``pages/upload.py``) is a page of this run's navigation."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return False
    wanted = (Path(ctx.main_script_path).resolve().parent / page).resolve()
    return any(
        Path(str(p.get("script_path", ""))).resolve() == wanted
        for p in ctx.pages_manager.get_pages().values()
    )


def page_link(page: str, label: str, icon: str) -> bool:
    """``st.page_link`` to ``page`` when this session's navigation has it (else nothing); whether drawn."""
    if not page_registered(page):
        return False
    st.page_link(page, label=label, icon=icon)
    return True


def no_data_notice() -> None:
    """Say there is nothing to show (instead of empty charts): who may upload is pointed to the upload
    page, a director is told that the office imports the figures."""
    actor = st.session_state.get(ACTOR_KEY)
    if actor is None or not actor.can("upload"):
        st.info(T.NO_DATA_DIRECTOR, icon=":material/inbox:")
        return
    st.info(T.NO_DATA_UPLOADER, icon=":material/inbox:")
    if not page_link(UPLOAD_PAGE, T.TO_UPLOAD_PAGE, ":material/upload_file:"):
        st.caption(T.OPEN_UPLOAD_PAGE)


def plan_or_stop(*, scenario: bool = True) -> Plan:
    """The targets plan of the filters' year (with the session's scenario when switched on), and one line
    when that year has no plan of its own; on a broken file, say so and stop."""
    filters = current_filters()
    try:
        plan = data.official_plan(filters.year if filters is not None else None)
    except TargetsError as exc:
        st.error(T.TARGETS_BROKEN.format(error=md_escape(exc)), icon=":material/error:")
        stop_page()
    if filters is not None and (note := plan_year_note(plan, filters.year)):
        st.caption(f":material/event_note: {note}")
    if scenario and scenario_applied():
        st.warning(T.SCENARIO_BANNER, icon=":material/science:")
        return effective_plan(plan)
    return plan


def plan_year_note(plan: Plan, year: int) -> str | None:
    """The line saying that ``year`` has no plan of its own and is judged by ``plan`` (``None`` for the
    plan's own year): :func:`data_access.plans.year_notice`."""
    return year_notice(year, plan.year)


def stock_definitions(plan: Plan) -> str | None:
    """One line naming how the KPIs that count a stock (``pending*``, ``carried_over``) are computed,
    beside the KPIs whose numerator is part of theirs (the 766 progress ratio and "on time"), so both
    definitions are read on the page; None when the plan has no such KPI."""
    with_stock = [s for s in plan.kpis.values() if s.uses_stock]
    if not with_stock:
        return None
    related = [
        s
        for s in plan.kpis.values()
        if s not in with_stock and any(set(s.numerator) < set(w.numerator) for w in with_stock)
    ]
    items = [
        T.DEFINITION_ITEM.format(label=md_escape(s.label), description=md_escape(s.description))
        for s in [*related, *with_stock]
        if s.description
    ]
    return T.DEFINITIONS.format(items="; ".join(items)) if items else None


def source_text(uploads: pd.DataFrame, limit: int = 3) -> str:
    """The uploads the figures come from, in words: the first ``limit``, then how many more."""
    parts = []
    for r in uploads.head(limit).itertuples():
        kind = SOURCE_KINDS.get(str(r.kind), SOURCE_KINDS["import"])
        parts.append(f"{kind} #{r.id} – {r.file_name} – {fmt_datetime(cast(dt.datetime, r.created_at))}")
    more = T.MORE_UPLOADS.format(n=len(uploads) - limit) if len(uploads) > limit else ""
    return f"{'; '.join(parts)}{more}"


def source_line(uploads: pd.DataFrame) -> None:
    """One line naming the uploads the figures on the page come from."""
    if uploads.empty:
        return
    st.caption(T.SOURCE_LINE.format(sources=md_escape(source_text(uploads))))


#: Text colour and tint of a status on the cards (the near colour darkened to be readable on white).
_BADGE = {
    "met": (STATUS_COLORS["met"], "#e8f5e9"),
    "near": ("#8d6e00", "#fff8e1"),
    "below": (STATUS_COLORS["below"], "#ffebee"),
    "no_data": ("#616161", "#f5f5f5"),
}
_BADGE_MARK = {"met": "✓", "near": "!", "below": "✗", "no_data": "?"}
#: The card grid: 4 columns on a laptop, 2 on a tablet, 1 on a phone, always in plan order.
CARDS_CSS = """<style>
.kpi-grid{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:1rem;margin:0 0 .5rem 0}
@media (max-width:1199px){.kpi-grid{grid-template-columns:repeat(2,minmax(0,1fr))}}
@media (max-width:640px){.kpi-grid{grid-template-columns:minmax(0,1fr)}}
.kpi-card{border:1px solid rgba(49,51,63,.2);border-radius:.5rem;padding:.75rem 1rem;display:flex;
flex-direction:column;gap:.2rem;min-width:0;color:#31333f;font-size:.9rem;line-height:1.35}
.kpi-label{font-size:.9rem;font-weight:600;overflow-wrap:anywhere;cursor:help}
.kpi-value{font-size:2rem;font-weight:600;line-height:1.2}
.kpi-change{overflow-wrap:anywhere}.kpi-up{color:#2e7d32}.kpi-down{color:#c62828}.kpi-flat{color:#6b6f7b}
.kpi-spark{display:block;width:100%;height:32px;margin:.2rem 0}
.kpi-status{align-self:flex-start;border-radius:.3rem;padding:0 .45rem;font-weight:600;font-size:.85rem}
.kpi-muted{color:#6b6f7b}
</style>"""


def _esc(x: object) -> str:
    return html.escape(str(x), quote=True)


def change_html(change: object, period: str | Period, ytd: bool = False) -> str:
    """The change from the previous period of the same kind, whole: ``↑ +2,0 điểm % so với Tháng 5/2024``
    (``so với Quý I/2024``…) in green (red when down, gray with no arrow when it is 0,0 at the precision
    shown); ``""`` when unknown. ``period``: a month (with ``ytd``) or a :class:`~kpi.periods.Period`."""
    if is_missing(change):
        return ""
    p = as_period(period, ytd=ytd)
    if p.kind == "month":
        when = fmt_month(previous_period(p.code))
    elif p.kind == "ytd":
        when = T.CHANGE_YTD.format(month=fmt_month_in(previous_period(p.code)))
    elif (before := p.previous()) is not None:
        when = before.describe()
    else:
        return ""
    text = fmt_points(change)
    if text == fmt_points(0.0):
        css, arrow = "kpi-flat", ""
    else:
        css, arrow = ("kpi-up", "↑ ") if float(change) > 0 else ("kpi-down", "↓ ")  # type: ignore[arg-type]
    return f'<div class="kpi-change {css}">{arrow}{T.CHANGE_FROM.format(change=_esc(text), when=_esc(when))}</div>'


def kpi_card_html(
    row: Mapping[str, Any], spark: Sequence[float] | None, *, period: str | Period, ytd: bool = False
) -> str:
    """One KPI card as HTML: the short label whole (the full one, description and source on hover),
    value, change, trend, status as text and colour, target, gap and shortfall; every text escaped."""
    status = str(row["status"])
    label = str(row["label"])
    short = str(row.get("short_label") or label)
    hover = "\n".join(
        t
        for t in (
            label,
            row.get("description") or "",
            T.CARD_TARGET_SOURCE.format(source=row["source"]) if row.get("source") else "",
        )
        if t
    )
    value = fmt_pct(row["value"]) if status != "no_data" else "–"
    color, tint = _BADGE.get(status, _BADGE["no_data"])
    by = as_period(period, ytd=ytd).kind
    trend = T.CARD_TREND_BY.get(by, T.CARD_TREND).format(
        values=", ".join(fmt_number(v) + " %" for v in (spark or []))
    )
    lines = [
        f'<div class="kpi-label" title="{_esc(hover)}">{_esc(short)}</div>',
        f'<div class="kpi-value">{_esc(value)}</div>',
        change_html(row.get("change"), period, ytd),
        sparkline_img(spark or [], STATUS_COLORS.get(status, STATUS_COLORS["no_data"]), label=trend),
        f'<span class="kpi-status" style="color:{color};background:{tint}">'
        f'<span aria-hidden="true">{_BADGE_MARK.get(status, "")}</span> {_esc(STATUS_LABELS.get(status, status))}</span>',
    ]
    target = fmt_pct(row["target"])
    procedures = row.get("kind") == "procedures"
    if status == "no_data":
        empty = not is_missing(row["denominator"]) and row["denominator"] == 0
        reason = (T.CARD_NO_PROCEDURES if procedures else T.CARD_NO_DOSSIERS) if empty else T.CARD_NO_DATA
        lines.append(
            f'<div class="kpi-muted">{T.CARD_TARGET_REASON.format(target=target, reason=reason)}</div>'
        )
    else:
        gap = T.CARD_TARGET_GAP.format(target=target, gap=fmt_points(row["gap"]))
        lines.append(f'<div class="kpi-muted">{gap}</div>')
        counts = f"{fmt_int(row['numerator'])}/{fmt_int(row['denominator'])}"
        short_text, met_text = (
            (T.CARD_SHORTFALL_PROCEDURES, T.CARD_MET_PROCEDURES)
            if procedures
            else (T.CARD_SHORTFALL, T.CARD_MET)
        )
        if not is_missing(row["shortfall"]) and row["shortfall"] > 0:
            lines.append(
                f"<div>{short_text.format(shortfall=fmt_int(row['shortfall']), counts=counts)}</div>"
            )
        else:
            lines.append(f"<div>{met_text.format(counts=counts)}</div>")
    if procedures and not is_missing(row.get("unknown")) and row["unknown"] > 0:
        unknown = T.CARD_PROCEDURES_UNKNOWN.format(n=fmt_int(row["unknown"]))
        lines.append(f'<div class="kpi-muted">{unknown}</div>')
    if not is_missing(row.get("rows_missing")) and row["rows_missing"] > 0:
        missing = T.CARD_ROWS_MISSING.format(n=fmt_int(row["rows_missing"]))
        lines.append(f'<div class="kpi-muted">{missing}</div>')
    body = "".join(line for line in lines if line)
    return (
        f'<section class="kpi-card" data-kpi="{_esc(row["kpi"])}" data-status="{_esc(status)}" '
        f'aria-label="{_esc(label)}">{body}</section>'
    )


def kpi_cards(
    rows: Sequence[Mapping[str, Any]],
    sparks: Mapping[str, Sequence[float]],
    *,
    period: str | Period,
    ytd: bool = False,
) -> None:
    """Every KPI card as ONE HTML element (a CSS grid, in plan order): far less browser work than a
    metric and a markdown per card (benchmarks/bench_pages.py)."""
    cards = "".join(kpi_card_html(r, sparks.get(str(r["kpi"])), period=period, ytd=ytd) for r in rows)
    st.html(f'{CARDS_CSS}<div class="kpi-grid" role="list">{cards}</div>')


@dataclass(frozen=True)
class PageContext:
    """What every directors' page starts from: the filters, the plan in force, the data source."""

    filters: Filters
    plan: Plan
    src: data.Source
    figures: data.CachedFigures


def card_rows(table: pd.DataFrame, plan: Plan) -> list[dict[str, Any]]:
    """The rows of a KPI table as :func:`kpi_cards` draws them: with each KPI's short label,
    description and source from ``plan``."""
    records = cast(list[dict[str, Any]], table.to_dict("records"))
    out = []
    for r in records:
        spec = plan.spec(r["kpi"])
        out.append(
            {**r, "short_label": spec.short_label, "description": spec.description, "source": spec.source}
        )
    return out


def procedure_cards(ctx: PageContext) -> pd.DataFrame:
    """The cards of the KPIs counting procedures (``plan.procedure_kpis``) under their own heading, for the
    chosen period and unit (a unit's procedures are those the catalog gives it), with a link to the list;
    returns their table (empty when the plan has none)."""
    filters, plan = ctx.filters, ctx.plan
    if not plan.procedure_kpis:
        return pd.DataFrame()
    if data.procedure_catalog(ctx.figures)(filters.end).empty:  # no catalog in force: nothing to count
        st.subheader(T.PROCEDURE_CARDS)
        st.info(T.PROCEDURE_CARDS_NO_CATALOG, icon=":material/info:")
        return pd.DataFrame()
    if filters.unit is None:
        table = data.procedure_kpi_table(ctx.figures, plan, period=filters.period)
    else:
        by_unit = data.procedure_kpi_table(ctx.figures, plan, period=filters.period, by=("unit",))
        table = by_unit[by_unit["unit"] == filters.unit].drop(columns="unit")
    st.subheader(T.PROCEDURE_CARDS)
    if table.empty:
        st.info(T.PROCEDURE_CARDS_NONE, icon=":material/info:")
        return table
    kpi_cards(card_rows(table, plan), {}, period=filters.period)
    st.page_link("pages/procedures.py", label=T.TO_PROCEDURES_PAGE, icon=":material/checklist:")
    return table


def card_sparklines(ctx: PageContext, scope: data.CachedFigures, by: Sequence[str]) -> dict[str, list[float]]:
    """Each KPI's sparkline values (percent, one decimal) up to the chosen period: the year's months
    (or their year to date) for a month, else the earlier periods of the same kind from the first
    month with figures."""
    filters, plan = ctx.filters, ctx.plan
    if filters.kind in ("month", "ytd"):
        series = data.monthly_series(scope, plan, year=filters.year, by=by)
        series = series[series["period"] <= filters.end]
        value_col = "ytd_value" if filters.ytd else "value"
    else:
        first = data.loaded_summary(ctx.src)["months"][0]
        series = period_series(scope, plan, kind=filters.kind, start=first, end=filters.end, by=by)
        value_col = "value"
    return {
        str(k): [round(float(v) * 100, 1) for v in g[value_col] if not is_missing(v)]
        for k, g in series.groupby("kpi")
    }


def page_start(title: str, *, scenario: bool = True) -> PageContext:
    """Title, then stop with a pointer to the upload page when there is no data; else the context."""
    st.title(title)
    filters = current_filters()
    if filters is None:
        no_data_notice()
        stop_page()
    plan = plan_or_stop(scenario=scenario)
    src = source()
    return PageContext(filters, plan, src, data.figure_source(src))
