"""The brief (báo cáo tóm tắt, ``reports.md``) as a :class:`~data_access.document.Document`, and its files.

:func:`compose_brief` turns frames the KPI engine computed (:class:`BriefData`: the period's KPI table
with its change, the table by unit or by field, the attention list, the procedures left out, the points)
into the document: title with the period in words, I. overall results, II. by unit (or by field for one
unit) with one chart, III. what needs attention, IV. points at stake, the sources and the plan. This
module does not compute a KPI (``data_access`` sits below ``kpi``): ``kpi.cli_brief`` and the pages
compute and call it. :func:`render` writes the document as DOCX (with the administrative header),
PDF or XLSX (the header as the first subtitle lines). Every text is cleaned of control characters
(:func:`data_access.docx_writer.clean_text`), so an upload's odd character breaks no file; workbook
texts are never formulas (:mod:`data_access.export`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from data_access.document import Block, Document, ExportColumn, Image, Paragraph, Table
from data_access.docx_writer import AdminHeader, clean_text, document_docx
from data_access.settings import agency
from data_access.textnorm import fold
from data_access.texts import brief as T
from vnfmt import (
    VN_TZ,
    fmt_datetime,
    fmt_int,
    fmt_month_in,
    fmt_month_number,
    fmt_pct,
    is_missing,
)

__all__ = [
    "FORMATS",
    "MIME_TYPES",
    "BriefData",
    "admin_header",
    "chart_kpi",
    "compose_brief",
    "file_stem",
    "mail_summary",
    "render",
]

FORMATS = ("docx", "pdf", "xlsx")
MIME_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")

_RESULTS = (
    ExportColumn("value", T.COL_VALUE, "percent", 9),
    ExportColumn("target", T.COL_TARGET, "percent", 9),
    ExportColumn("gap", T.COL_GAP, "points", 11),
    ExportColumn("shortfall", T.COL_SHORTFALL, "int", 10),
    ExportColumn("status_label", T.COL_STATUS, "text", 9),
)
OVERALL_COLUMNS = (
    ExportColumn("label", T.COL_KPI, "text", 34),
    *_RESULTS,
    ExportColumn("change", T.COL_CHANGE, "points", 11),
)
#: Table I's second part: the KPIs counting procedures (numerator and denominator are procedures).
PROCEDURE_OVERALL_COLUMNS = (
    ExportColumn("label", T.COL_KPI, "text", 34),
    ExportColumn("value", T.COL_VALUE, "percent", 9),
    ExportColumn("target", T.COL_TARGET, "percent", 9),
    ExportColumn("gap", T.COL_GAP, "points", 11),
    ExportColumn("counts", T.COL_COUNTS_PROCEDURES, "text", 12),
    ExportColumn("shortfall", T.COL_SHORTFALL_PROCEDURES, "int", 10),
    ExportColumn("unknown", T.COL_UNKNOWN_PROCEDURES, "int", 10),
    ExportColumn("status_label", T.COL_STATUS, "text", 9),
)
UNIT_COLUMNS = (
    ExportColumn("unit", T.COL_UNIT, "text", 24),
    ExportColumn("label", T.COL_KPI, "text", 26),
    *_RESULTS,
)
FIELD_COLUMNS = (ExportColumn("field", T.COL_FIELD, "text", 24), *UNIT_COLUMNS[1:])
ATTENTION_COLUMNS = (
    ExportColumn("unit", T.COL_UNIT, "text", 22),
    ExportColumn("label", T.COL_KPI, "text", 22),
    ExportColumn("value", T.COL_VALUE, "percent", 9),
    ExportColumn("target", T.COL_TARGET, "percent", 9),
    ExportColumn("shortfall", T.COL_SHORTFALL, "int", 10),
    ExportColumn("worst_field", T.COL_WORST_FIELD, "text", 22),
    ExportColumn("worst_field_shortfall", T.COL_WORST_FIELD_SHORTFALL, "int", 10),
)
PROCEDURE_COLUMNS = (
    ExportColumn("procedure_code", T.COL_PROCEDURE_CODE, "text", 12),
    ExportColumn("procedure_name", T.COL_PROCEDURE_NAME, "text", 34),
    ExportColumn("unit", T.COL_UNIT, "text", 20),
    ExportColumn("reason", T.COL_REASON, "text", 20),
)
SOURCE_COLUMNS = (
    ExportColumn("id", T.COL_UPLOAD, "int", 8),
    ExportColumn("file_name", T.COL_FILE, "text", 30),
    ExportColumn("time", T.COL_TIME, "text", 16),
    ExportColumn("user", T.COL_USER, "text", 16),
    ExportColumn("months", T.COL_MONTHS, "text", 18),
)
#: The most procedures listed per procedure KPI.
PROCEDURES_LIMIT = 20


@dataclass(frozen=True)
class BriefData:
    """What the brief shows, computed by the KPI engine.

    ``overall``: the period's KPI table with ``change`` (``kpi_table(..., change=True)``); ``groups``:
    the table by ``group`` (``unit`` for the department, ``field`` for one unit); ``attention``: the
    frame of :func:`kpi.insights.attention`; ``procedures``: KPI label → its procedures not counted
    (columns of :data:`PROCEDURE_COLUMNS`); ``points``: section IV's blocks (empty when scoring
    is not available, ``points_available`` False, or has nothing for the period); ``uploads``: the frame
    of :func:`data_access.queries.active_uploads`; ``status_labels``: status code → Vietnamese;
    ``chart``: a PNG to show in section II (default: drawn by :mod:`data_access.brief_chart`)."""

    period_title: str
    months: tuple[str, ...]
    plan_name: str
    plan_year: int
    overall: pd.DataFrame
    groups: pd.DataFrame
    attention: pd.DataFrame
    uploads: pd.DataFrame
    status_labels: Mapping[str, str]
    unit: str | None = None
    group: str = "unit"
    plan_note: str | None = None
    procedures: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    procedure_overall: pd.DataFrame = field(default_factory=pd.DataFrame)
    points: tuple[Block, ...] | list[Block] = ()
    points_available: bool = False
    chart: bytes | None = None
    generated: dt.datetime | None = None


def admin_header(
    today: dt.date | None = None, *, name: str | None = None, place: str | None = None
) -> AdminHeader:
    """The header of the agency ``name`` and ``place`` (default: the settings ``AGENCY_NAME`` /
    ``AGENCY_PLACE`` or ``[agency]`` of secrets, :func:`data_access.settings.agency`; unset: Sở GD&ĐT,
    Hải Phòng), dated ``today`` (default: today in Vietnam)."""
    set_name, set_place = agency()
    agency_name = clean_text(set_name if name is None else name).strip() or T.DEFAULT_AGENCY
    agency_place = clean_text(set_place if place is None else place).strip() or T.DEFAULT_PLACE
    return AdminHeader(agency_name, agency_place, today or dt.datetime.now(VN_TZ).date())


def file_stem(period: str, unit: str | None = None) -> str:
    """The brief's file name without extension: ``bao-cao-2024-Q1``, for one unit with its name folded
    to ASCII after it (``bao-cao-2024-Q1-phong-giao-duc-trung-hoc``)."""
    stem = f"bao-cao-{period}"
    if unit:
        stem += "-" + _NOT_SLUG.sub("-", fold(unit)).strip("-")
    return stem


# ---------------------------------------------------------------------------- composition


def _labelled(frame: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    out = frame.copy()
    out["status_label"] = [labels.get(str(s), str(s)) for s in out["status"]] if "status" in out else []
    return out


def chart_kpi(groups: pd.DataFrame) -> str | None:
    """The KPI drawn in section II: the one with the most dossiers short across the groups, else the
    first with any value; ``None`` when no KPI has a value."""
    known = groups[groups["value"].notna()] if "value" in groups else groups.iloc[0:0]
    if known.empty:
        return None
    short = known.assign(_s=pd.to_numeric(known["shortfall"], errors="coerce").fillna(0))
    totals = short.groupby("kpi", sort=False)["_s"].sum()
    return str(totals.idxmax()) if totals.max() > 0 else str(known["kpi"].iloc[0])


def _summary(overall: pd.DataFrame) -> str:
    known = overall[overall["status"] != "no_data"]
    below = known[known["status"].isin(["below", "near"])]
    if below.empty:
        return T.SUMMARY_ALL_MET.format(total=len(known))
    short = below.assign(_s=pd.to_numeric(below["shortfall"], errors="coerce"))
    if short["_s"].fillna(0).max() > 0:
        worst = short.sort_values("_s", ascending=False, kind="stable").iloc[0]
        return T.SUMMARY_BELOW.format(
            below=len(below), total=len(known), label=worst["label"], shortfall=fmt_int(worst["shortfall"])
        )
    return T.SUMMARY_BELOW_NO_SHORTFALL.format(below=len(below), total=len(known))


def mail_summary(data: BriefData, *, limit: int = 5) -> str:
    """The body of the mail sending the brief (``kpi brief --send``): the title, the period and scope,
    how many KPIs are below target and the largest shortfall, then up to ``limit`` KPIs below target
    (achieved, target, dossiers short), the attachments and the plan."""
    title = (
        T.TITLE_UNIT.format(unit=data.unit, period=data.period_title)
        if data.unit
        else T.TITLE.format(period=data.period_title)
    )
    lines = [title, _period_line(data), T.SCOPE_LINE.format(scope=data.unit or T.DEPARTMENT), ""]
    lines.append(_summary(data.overall))
    below = data.overall[data.overall["status"].isin(["below", "near"])]
    if not below.empty:
        short = below.assign(_s=pd.to_numeric(below["shortfall"], errors="coerce").fillna(-1))
        lines.append(T.MAIL_BELOW_HEAD)
        for r in short.sort_values("_s", ascending=False, kind="stable").head(limit).to_dict("records"):
            lines.append(
                T.MAIL_BELOW_LINE.format(
                    label=r["label"],
                    value=fmt_pct(r["value"]),
                    target=fmt_pct(r["target"]),
                    shortfall=fmt_int(r["shortfall"]),
                )
            )
        if len(below) > limit:
            lines.append(T.MAIL_BELOW_MORE.format(count=len(below) - limit))
    lines += ["", T.MAIL_ATTACHED, T.MAIL_FOOTER]
    return clean_text("\n".join(lines))


def _sources(uploads: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for r in uploads.to_dict("records"):
        created = r.get("created_at")
        months = r.get("periods") or []
        rows.append(
            {
                "id": r.get("id"),
                "file_name": r.get("file_name"),
                "time": fmt_datetime(created) if isinstance(created, dt.datetime) else None,
                "user": r.get("user"),
                "months": ", ".join(fmt_month_number(m) for m in months),
            }
        )
    return pd.DataFrame(rows, columns=[c.key for c in SOURCE_COLUMNS])


def _period_line(data: BriefData) -> str:
    if len(data.months) > 1:
        span = f"{fmt_month_in(data.months[0])} – {fmt_month_in(data.months[-1])}"
        return T.PERIOD_LINE.format(period=data.period_title, months=span)
    return T.PERIOD_ONLY.format(period=data.period_title)


def compose_brief(data: BriefData) -> Document:
    """The brief's document (see the module doc); texts cleaned of control characters."""
    from data_access.brief_chart import bars_png

    scope = data.unit or T.DEPARTMENT
    title = (
        T.TITLE_UNIT.format(unit=data.unit, period=data.period_title)
        if data.unit
        else T.TITLE.format(period=data.period_title)
    )
    plan_line = (
        T.PLAN_LINE_NAMED.format(plan=data.plan_name)
        if str(data.plan_year) in data.plan_name
        else T.PLAN_LINE.format(plan=data.plan_name, year=data.plan_year)
    )
    if data.plan_note:
        plan_line += f". {data.plan_note}"
    subtitle = [_period_line(data), T.SCOPE_LINE.format(scope=scope), plan_line]
    subtitle.append(T.GENERATED_LINE.format(time=fmt_datetime(data.generated or dt.datetime.now(dt.UTC))))

    overall = _labelled(
        data.overall if "change" in data.overall else data.overall.assign(change=None), data.status_labels
    )
    blocks: list[Block] = [
        Paragraph(_summary(data.overall)),
        Paragraph(T.SECTION_RESULTS, "heading"),
        Table.from_frame(overall, OVERALL_COLUMNS, sheet=T.RESULTS_SHEET),
    ]
    if not data.procedure_overall.empty:
        procs = _labelled(data.procedure_overall, data.status_labels)
        procs["counts"] = [
            "" if pd.isna(n) or pd.isna(d) else f"{fmt_int(n)}/{fmt_int(d)}"
            for n, d in zip(procs["numerator"], procs["denominator"], strict=True)
        ]
        blocks.append(
            Table.from_frame(
                procs,
                PROCEDURE_OVERALL_COLUMNS,
                title=T.PROCEDURE_RESULTS_TITLE,
                sheet=T.PROCEDURE_RESULTS_SHEET,
            )
        )

    by_field = data.group == "field"
    blocks.append(Paragraph(T.SECTION_FIELDS if by_field else T.SECTION_UNITS, "heading"))
    groups = _labelled(data.groups, data.status_labels)
    blocks.append(
        Table.from_frame(
            groups,
            FIELD_COLUMNS if by_field else UNIT_COLUMNS,
            sheet=T.FIELDS_SHEET if by_field else T.UNITS_SHEET,
        )
    )
    drawn = chart_kpi(data.groups)
    if drawn is not None:
        rows = data.groups[data.groups["kpi"] == drawn]
        png = data.chart if data.chart is not None else bars_png(rows, group=data.group)
        caption = T.CHART_CAPTION.format(
            kpi=rows["label"].iloc[0], group=T.CHART_GROUP_FIELD if by_field else T.CHART_GROUP_UNIT
        )
        blocks.append(Image(png, caption))

    blocks.append(Paragraph(T.SECTION_ATTENTION, "heading"))
    if data.attention.empty:
        blocks.append(Paragraph(T.ATTENTION_NONE))
    else:
        blocks.append(Paragraph(T.ATTENTION_INTRO, "note"))
        blocks.append(Table.from_frame(data.attention, ATTENTION_COLUMNS, sheet=T.ATTENTION_SHEET))
    if not data.procedures:
        blocks.append(Paragraph(T.PROCEDURES_NONE, "note"))
    for label, frame in data.procedures.items():
        blocks.append(
            Table.from_frame(
                frame.head(PROCEDURES_LIMIT),
                PROCEDURE_COLUMNS,
                title=T.PROCEDURES_TITLE.format(kpi=label),
                sheet=T.PROCEDURES_SHEET,
            )
        )

    blocks.append(Paragraph(T.SECTION_POINTS, "heading"))
    if data.points:
        blocks.extend(data.points)
    else:
        blocks.append(Paragraph(T.POINTS_NONE if data.points_available else T.POINTS_NOT_YET))

    blocks.append(Paragraph(T.SECTION_SOURCES, "heading"))
    if data.uploads.empty:
        blocks.append(Paragraph(T.SOURCES_NONE))
    else:
        blocks.append(Table.from_frame(_sources(data.uploads), SOURCE_COLUMNS, sheet=T.SOURCES_SHEET))
    blocks.append(Paragraph(plan_line))
    return clean_document(Document(title, tuple(subtitle), tuple(blocks)))


def _clean(v: object) -> object:
    return clean_text(v) if isinstance(v, str) else None if is_missing(v) else v


def clean_document(doc: Document) -> Document:
    """``doc`` with every text (title, lines, captions, headers, cells) cleaned of control characters."""
    blocks: list[Block] = []
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            blocks.append(replace(b, text=clean_text(b.text)))
        elif isinstance(b, Image):
            blocks.append(replace(b, caption=clean_text(b.caption)))
        else:
            columns = tuple(replace(c, header=clean_text(c.header)) for c in b.columns)
            rows = tuple(tuple(_clean(v) for v in row) for row in b.rows)
            blocks.append(replace(b, columns=columns, rows=rows, title=clean_text(b.title)))
    return Document(clean_text(doc.title), tuple(clean_text(s) for s in doc.subtitle), tuple(blocks))


# ---------------------------------------------------------------------------- files


def with_header_lines(doc: Document, header: AdminHeader | None) -> Document:
    """``doc`` with the header's lines first in its subtitle (for writers without a two-column header)."""
    return doc if header is None else replace(doc, subtitle=(*map(clean_text, header.lines()), *doc.subtitle))


def render(doc: Document, fmt: str, *, header: AdminHeader | None = None) -> bytes:
    """``doc`` written as ``fmt`` (``docx``, ``pdf``, ``xlsx``)."""
    if fmt == "docx":
        return document_docx(doc, header=header)
    if fmt == "pdf":
        from data_access.pdf import document_pdf

        return document_pdf(with_header_lines(doc, header))
    if fmt == "xlsx":
        from data_access.export import document_xlsx

        return document_xlsx(with_header_lines(doc, header))
    raise ValueError(f"unknown format {fmt!r}; one of {FORMATS}")
