"""An Excel and a PDF of what a page shows: the page's frames → a :class:`~data_access.document.Document`.

The builders (:func:`overview_document`, :func:`gaps_document`, :func:`trends_document`,
:func:`whatif_document`) take the very frames the pages show and draw nothing; :func:`export_buttons`
offers the document as ``Tải Excel`` and ``Tải PDF``. The files are written only when a button is
clicked (``st.download_button`` with a callable), and kept by the document's content hash.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import pandas as pd
import streamlit as st

from data_access.document import Block, Document, ExportColumn, Image, Paragraph, Table
from data_access.export import document_xlsx
from data_access.pdf import document_pdf
from kpi.targets import Plan
from ui.fmt import STATUS_LABELS
from ui.scenario import scenario_applied
from ui.state import Filters
from ui.tables import GAP_GROUP, gap_document_table
from ui.texts import directors as T
from ui.whatif_tables import DEPARTMENT_COLUMNS, UNIT_COLUMNS, change_text
from ui.widgets import plan_year_note, source_text
from vnfmt import fmt_datetime, fmt_int, fmt_month, fmt_pct

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCENARIO_NOTE = T.SCENARIO_NOTE
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
        T.DOC_PERIOD.format(period=period or Filters(filters.period, filters.ytd, None).describe()),
        T.DOC_SCOPE.format(scope=scope or filters.unit or T.DEPARTMENT),
        plan_line,
    ]
    if uploads is not None and not uploads.empty:
        lines.append(T.DOC_SOURCES.format(sources=source_text(uploads, SOURCES_LIMIT)))
    lines.append(T.DOC_EXPORTED.format(time=fmt_datetime(now or dt.datetime.now(dt.UTC))))
    return tuple(lines)


def _labelled(frame: pd.DataFrame, **columns: str) -> pd.DataFrame:
    """``frame`` with each ``new=old`` status column as its Vietnamese label."""
    return frame.assign(
        **{new: frame[old].map(lambda s: STATUS_LABELS.get(s, s)) for new, old in columns.items()}
    )


# ---------------------------------------------------------------------------- Tổng quan

OVERVIEW_COLUMNS = (
    ExportColumn("label", T.COL_KPI, "text", 42),
    ExportColumn("value", T.COL_VALUE, "percent", 10),
    ExportColumn("target", T.COL_TARGET_SET, "percent", 10),
    ExportColumn("gap", T.COL_GAP, "points", 13),
    ExportColumn("shortfall", T.COL_SHORTFALL, "int", 11),
    ExportColumn("status_label", T.COL_STATUS, "text", 13),
    ExportColumn("change", T.COL_CHANGE, "points", 13),
)
ATTENTION_COLUMNS = (
    ExportColumn("unit", T.COL_UNIT, "text", 30),
    ExportColumn("label", T.COL_KPI, "text", 30),
    ExportColumn("value", T.COL_VALUE, "percent", 10),
    ExportColumn("target", T.COL_TARGET_SET, "percent", 10),
    ExportColumn("gap", T.COL_GAP, "points", 13),
    ExportColumn("shortfall", T.COL_SHORTFALL, "int", 11),
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
    cards = _labelled(table if "change" in table else table.assign(change=None), status_label="status")
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


def _trend_columns(grouped: bool, ytd: bool) -> tuple[ExportColumn, ...]:
    return (
        ExportColumn("month", T.COL_MONTH, "text", 12),
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
) -> Document:
    """Xu hướng: per KPI (id → label, in order) its outlook line, the trend image and a table of month,
    value, target, status (one row per month and unit when ``groups`` are compared)."""
    from ui.print_charts import trend_png

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
        blocks.append(
            Image(
                trend_png(s, groups=groups if grouped else None, group_col="unit" if grouped else None),
                caption=T.TRENDS_DOC_CHART.format(label=label),
            )
        )
        rows = _labelled(s.sort_values(["period", "unit"] if grouped else ["period"]), status_label="status")
        rows = rows.assign(month=rows["period"].map(fmt_month))
        blocks.append(
            Table.from_frame(rows, _trend_columns(grouped, "ytd_value" in s and not grouped), sheet=label)
        )
    period = T.YEAR_UNTIL.format(year=filters.year, month=fmt_month(filters.period).lower())
    scope_line = f"{scope}: {', '.join(groups or ())}" if grouped else scope
    return Document(
        T.TRENDS_DOC.format(scope=scope),
        header_lines(filters, plan, uploads, period=period, scope=scope_line, now=now),
        tuple(blocks),
    )


# ---------------------------------------------------------------------------- Giả định chỉ tiêu

_WHATIF_KINDS = {
    "shortfall_base": "int",
    "shortfall_scen": "int",
    "rank_base": "int",
    "rank_scen": "int",
    "value": "percent",
    "target_base": "percent",
    "target_scen": "percent",
    "gap_base": "points",
    "gap_scen": "points",
}


def _whatif_columns(headers: Mapping[str, str], first: tuple[ExportColumn, ...]) -> tuple[ExportColumn, ...]:
    rest = (
        ExportColumn(k, h, _WHATIF_KINDS.get(k, "text"), 24 if k == "change" else 11)
        for k, h in headers.items()
        if k not in ("label", "unit")
    )
    return (*first, *rest)


def _whatif_rows(cmp: pd.DataFrame, short_names: Mapping[str, str]) -> pd.DataFrame:
    cols = ("status_base", "status_scen", "shortfall_delta", "target_changed")
    change = [
        change_text(dict(zip(cols, v, strict=True)))
        for v in zip(*(cmp[c].tolist() for c in cols), strict=True)
    ]
    out = _labelled(cmp, status_base="status_base", status_scen="status_scen").assign(change=change)
    return out.assign(unit=[short_names.get(u, u) for u in out["unit"]]) if "unit" in out else out


def whatif_document(
    head_cmp: pd.DataFrame,
    unit_cmp: pd.DataFrame,
    *,
    filters: Filters,
    plan: Plan,
    head_name: str = T.DEPARTMENT,
    short_names: Mapping[str, str] | None = None,
    uploads: pd.DataFrame | None = None,
    now: dt.datetime | None = None,
) -> Document:
    """Giả định chỉ tiêu: the headline table (``compare`` without groups, or of the sidebar's unit) plan
    vs scenario, then the per-unit table of the KPIs whose target changed (every KPI when none did)."""
    names = dict(short_names or {})
    moved = head_cmp[head_cmp["target_changed"]] if len(head_cmp) else head_cmp
    blocks: list[Block] = [
        Paragraph(
            T.WHATIF_MOVED.format(label=r.label, base=fmt_pct(r.target_base), scenario=fmt_pct(r.target_scen))
        )
        for r in moved.itertuples()
    ]
    if not blocks:
        blocks.append(Paragraph(T.WHATIF_NONE))
    first: tuple[ExportColumn, ...] = (ExportColumn("label", T.COL_KPI, "text", 34),)
    blocks.append(
        Table.from_frame(
            _whatif_rows(head_cmp, names),
            _whatif_columns(DEPARTMENT_COLUMNS, first),
            title=T.WHATIF_HEAD.format(head=head_name),
            sheet=head_name,
        )
    )
    changed = set(unit_cmp.loc[unit_cmp["target_changed"], "kpi"]) if len(unit_cmp) else set()
    units = unit_cmp[unit_cmp["kpi"].isin(changed)] if changed else unit_cmp
    order = {k: i for i, k in enumerate(plan.kpis)}
    units = units.assign(_k=units["kpi"].map(order)).sort_values(
        ["_k", "rank_scen", "unit"], na_position="last"
    )
    first = (ExportColumn("unit", T.COL_UNIT, "text", 22), ExportColumn("label", T.COL_KPI, "text", 26))
    blocks.append(
        Table.from_frame(
            _whatif_rows(units, names),
            _whatif_columns(UNIT_COLUMNS, first),
            title=T.WHATIF_BY_UNIT,
            sheet=T.WHATIF_BY_UNIT,
        )
    )
    return Document(
        T.WHATIF_DOC, header_lines(filters, plan, uploads, scope=head_name, now=now), tuple(blocks)
    )


# ---------------------------------------------------------------------------- the buttons


@st.cache_data(max_entries=32, show_spinner=False)
def _written(kind: str, digest: str, _doc: Document) -> bytes:
    """The document as ``xlsx`` or ``pdf`` bytes, kept per content hash (``digest``)."""
    return document_xlsx(_doc) if kind == "xlsx" else document_pdf(_doc)


def with_scenario_note(doc: Document) -> Document:
    """``doc`` saying, under its plan line, that the what-if targets are applied instead of the plan's."""
    lines = list(doc.subtitle)
    lines.insert(min(3, len(lines)), SCENARIO_NOTE)
    return replace(doc, subtitle=tuple(lines))


def export_buttons(
    doc: Document | Callable[[], Document], *, key: str, file_stem: str, scenario_note: bool = True
) -> None:
    """``Tải Excel`` (widget key ``key``) and ``Tải PDF`` (``{key}_pdf``) side by side.

    ``doc`` may be a callable: the document (charts included) is then built only when a button is
    clicked, once for both files of the same run. When the session applies its what-if targets to
    every page, the document says so (:func:`with_scenario_note`; ``scenario_note=False``: never).
    """
    made: list[Document] = []
    noted = scenario_note and scenario_applied()  # read now: the files are written outside this run

    def document() -> Document:
        if not made:
            built = doc() if callable(doc) else doc
            made.append(with_scenario_note(built) if noted else built)
        return made[0]

    def file(kind: str) -> Callable[[], bytes]:
        return lambda: _written(kind, document().digest(), document())

    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        T.DOWNLOAD_XLSX,
        data=file("xlsx"),
        file_name=f"{file_stem}.xlsx",
        mime=XLSX_MIME,
        icon=":material/table_view:",
        key=key,
        on_click="ignore",
        width="stretch",
    )
    right.download_button(
        T.DOWNLOAD_PDF,
        data=file("pdf"),
        file_name=f"{file_stem}.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        key=f"{key}_pdf",
        on_click="ignore",
        width="stretch",
    )
