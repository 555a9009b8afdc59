"""The documents of Tổng quan, Khoảng cách and Xu hướng: the page's frames → a
:class:`~data_access.document.Document` (drawing nothing), with the subtitle every exported page shares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd

from data_access.document import Block, Document, ExportColumn, Image, Paragraph, Table
from kpi.targets import Plan
from ui.fmt import STATUS_LABELS
from ui.state import Filters
from ui.tables import GAP_GROUP, gap_document_table
from ui.texts import directors as T
from ui.widgets import plan_year_note, source_text
from vnfmt import fmt_datetime, fmt_int, fmt_month

#: How many uploads the sources line of a document names before "và N lần nhập khác".
SOURCES_LIMIT = 8


def header_lines(
    filters: Filters,
    plan: Plan,
    uploads: pd.DataFrame | None,
    *,
    period: str | None = None,
    scope: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[str, ...]:
    """The subtitle of an exported page, in this order: period, scope, plan, sources, time of export."""
    plan_line = T.DOC_PLAN.format(name=plan.name) + (
        "" if str(plan.year) in plan.name else T.DOC_PLAN_YEAR.format(year=plan.year)
    )
    if note := plan_year_note(plan, filters.year):
        plan_line += f". {note}"
    lines = [
        T.DOC_PERIOD.format(period=period or filters.period.describe()),
        T.DOC_SCOPE.format(scope=scope or filters.unit or T.DEPARTMENT),
        plan_line,
    ]
    if uploads is not None and not uploads.empty:
        lines.append(T.DOC_SOURCES.format(sources=source_text(uploads, SOURCES_LIMIT)))
    lines.append(T.DOC_EXPORTED.format(time=fmt_datetime(now or dt.datetime.now(dt.UTC))))
    return tuple(lines)


def labelled(frame: pd.DataFrame, **columns: str) -> pd.DataFrame:
    """``frame`` with each ``new=old`` status column as its Vietnamese label."""
    return frame.assign(
        **{new: frame[old].map(lambda s: STATUS_LABELS.get(s, s)) for new, old in columns.items()}
    )


# ---------------------------------------------------------------------------- Tổng quan

#: The result columns that the KPI cards and the "Cần chú ý" list share.
_RESULT_COLUMNS = (
    ExportColumn("value", T.COL_VALUE, "percent", 10),
    ExportColumn("target", T.COL_TARGET_SET, "percent", 10),
    ExportColumn("gap", T.COL_GAP, "points", 13),
    ExportColumn("shortfall", T.COL_SHORTFALL, "int", 11),
)
OVERVIEW_COLUMNS = (
    ExportColumn("label", T.COL_KPI, "text", 42),
    *_RESULT_COLUMNS,
    ExportColumn("status_label", T.COL_STATUS, "text", 13),
    ExportColumn("change", T.COL_CHANGE, "points", 13),
)
ATTENTION_COLUMNS = (
    ExportColumn("unit", T.COL_UNIT, "text", 30),
    ExportColumn("label", T.COL_KPI, "text", 30),
    *_RESULT_COLUMNS,
    ExportColumn("field", T.COL_WORST_FIELD, "text", 30),
)


def overview_document(
    table: pd.DataFrame,
    attention: pd.DataFrame,
    *,
    filters: Filters,
    plan: Plan,
    uploads: pd.DataFrame | None = None,
    now: dt.datetime | None = None,
) -> Document:
    """Tổng quan: the KPI cards as a table and the "Cần chú ý" list (``kpi_table`` and ``attention`` frames)."""
    below = table[table["status"].isin(["below", "near"])]
    summary = T.OVERVIEW_BELOW.format(n=len(below), total=len(table)) if len(below) else T.OVERVIEW_ALL_MET
    cards = labelled(table if "change" in table else table.assign(change=None), status_label="status")
    fields = [
        f"{f} ({fmt_int(s)})" if isinstance(f, str) and f else None
        for f, s in zip(
            attention.get("worst_field", []), attention.get("worst_field_shortfall", []), strict=True
        )
    ]
    blocks: list[Block] = [
        Paragraph(summary),
        Table.from_frame(cards, OVERVIEW_COLUMNS, title=T.OVERVIEW_RESULTS, sheet=T.OVERVIEW_SHEET),
    ]
    if attention.empty:
        blocks.append(Paragraph(T.ATTENTION_NONE))
    else:
        shown = attention.assign(field=pd.Series(fields, index=attention.index, dtype=object))
        blocks.append(Table.from_frame(shown, ATTENTION_COLUMNS, title=T.ATTENTION))
    return Document(
        T.OVERVIEW_DOC.format(plan=plan.name), header_lines(filters, plan, uploads, now=now), tuple(blocks)
    )


# ---------------------------------------------------------------------------- Khoảng cách


def gaps_document(
    table: pd.DataFrame,
    level: str,
    *,
    title: str,
    kpi_label: str,
    filters: Filters,
    plan: Plan,
    uploads: pd.DataFrame | None = None,
    group_labels: Mapping[str, str] | None = None,
    now: dt.datetime | None = None,
) -> Document:
    """Khoảng cách: the table shown at its drill level (``unit``, ``field``, ``procedure``) and its bars."""
    from ui.print_charts import gap_bars_png

    if level == "unit":
        scope, labels = T.GAPS_DOC_SCOPE, dict(group_labels or {})
    else:
        cols = [c for c in ("unit", "field")[: 1 if level == "field" else 2] if c in table and len(table)]
        scope = " – ".join(str(table[c].iloc[0]) for c in cols)
        labels = (
            {}
            if level == "field"
            else {
                c: f"{c} {n}" if isinstance(n, str) else str(c)
                for c, n in zip(
                    table["procedure_code"], table.get("procedure_name", table["procedure_code"]), strict=True
                )
            }
        )
    blocks: list[Block] = [gap_document_table(table, level, title=title)]
    if len(table):
        blocks.append(
            Image(
                gap_bars_png(table, group=GAP_GROUP[level], group_labels=labels),
                caption=T.GAPS_DOC_CHART.format(kpi=kpi_label),
            )
        )
    return Document(
        T.GAPS_DOC.format(title=title),
        header_lines(filters, plan, uploads, scope=scope or None, now=now),
        tuple(blocks),
    )


# ---------------------------------------------------------------------------- Xu hướng


def _trend_columns(grouped: bool, ytd: bool, by: str = "month") -> tuple[ExportColumn, ...]:
    return (
        ExportColumn("month", T.COL_MONTH, "text", 12)
        if by == "month"
        else ExportColumn("month", T.COL_PERIOD, "text", 24),
        *((ExportColumn("unit", T.COL_UNIT, "text", 30),) if grouped else ()),
        ExportColumn("value", T.COL_VALUE, "percent", 10),
        *((ExportColumn("ytd_value", T.COL_YTD, "percent", 11),) if ytd else ()),
        ExportColumn("target", T.COL_ROADMAP, "percent", 11),
        ExportColumn("status_label", T.COL_STATUS, "text", 14),
    )


def trends_document(
    series: pd.DataFrame,
    kpis: Mapping[str, str],
    *,
    filters: Filters,
    plan: Plan,
    scope: str,
    groups: Sequence[str] | None = None,
    notes: Mapping[str, str] | None = None,
    uploads: pd.DataFrame | None = None,
    now: dt.datetime | None = None,
    by: str = "month",
    span: str | None = None,
) -> Document:
    """Xu hướng: per KPI (id → label, in order) its outlook line, the trend image and a table of month,
    value, target, status (one row per month and unit when ``groups`` are compared). ``by``: ``month``
    (a :func:`kpi.engine.monthly_series` frame), or ``quarter``/``year`` (a :func:`kpi.series.period_series`
    frame: one row per period, named by its ``period_name``). ``span``: the period line (default: the
    filters' year through their last month)."""
    from ui.print_charts import trend_png
    from ui.print_period_charts import period_trend_png

    grouped = bool(groups) and len(groups or ()) > 1
    blocks: list[Block] = []
    for kid, label in kpis.items():
        s = series[series["kpi"] == kid]
        blocks.append(Paragraph(label, "heading"))
        if s.empty or s["status"].eq("no_data").all():
            blocks.append(Paragraph(T.NO_YEAR_DATA, "note"))
            continue
        if notes and notes.get(kid):
            blocks.append(Paragraph(notes[kid], "note"))
        chart = trend_png if by == "month" else period_trend_png
        blocks.append(
            Image(
                chart(s, groups=groups if grouped else None, group_col="unit" if grouped else None),
                caption=(T.TRENDS_DOC_CHART if by == "month" else T.TRENDS_DOC_PERIOD_CHART).format(
                    label=label
                ),
            )
        )
        order = "period" if by == "month" else "period_start"
        rows = labelled(s.sort_values([order, "unit"] if grouped else [order]), status_label="status")
        rows = rows.assign(month=rows["period"].map(fmt_month) if by == "month" else rows["period_name"])
        ytd = "ytd_value" in s and not grouped
        blocks.append(Table.from_frame(rows, _trend_columns(grouped, ytd, by), sheet=label))
    period = span or T.YEAR_UNTIL.format(year=filters.year, month=fmt_month(filters.end).lower())
    scope_line = f"{scope}: {', '.join(groups or ())}" if grouped else scope
    return Document(
        T.TRENDS_DOC.format(scope=scope),
        header_lines(filters, plan, uploads, period=period, scope=scope_line, now=now),
        tuple(blocks),
    )
