"""The document of Giả định chỉ tiêu: the what-if comparison frames → a :class:`~data_access.document.Document`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from data_access.document import Block, Document, ExportColumn, Paragraph, Table
from kpi.targets import Plan
from kpi.whatif_procedures import ProcedureCompared
from ui.export_documents import header_lines, labelled
from ui.state import Filters
from ui.texts import directors as T
from ui.texts import whatif_procedures as TP
from ui.whatif_tables import DEPARTMENT_COLUMNS, UNIT_COLUMNS, change_text
from vnfmt import fmt_pct

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
    "numerator": "int",
    "denominator": "int",
    "unknown": "int",
}


def _procedure_headers(columns: Mapping[str, str]) -> dict[str, str]:
    """``columns`` (a dossier table's) with the procedure counts after the label, shortfalls in TTHC."""
    head = {k: columns[k] for k in ("label", "unit") if k in columns}
    counts = {k: TP.DOC_HEADERS[k] for k in ("numerator", "denominator", "unknown")}
    rest = {k: TP.DOC_HEADERS.get(k, h) for k, h in columns.items() if k not in head}
    return {**head, **counts, **rest}


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
    out = labelled(cmp, status_base="status_base", status_scen="status_scen").assign(change=change)
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
    procedures: ProcedureCompared | None = None,
) -> Document:
    """Giả định chỉ tiêu: the headline table (``compare`` without groups, or of the sidebar's unit) plan
    vs scenario, then the per-unit table of the KPIs whose target changed (every KPI when none did);
    with ``procedures`` (:func:`kpi.whatif_procedures.compared_procedures`) the KPIs that count
    procedures follow in two tables of their own, the same way."""
    names = dict(short_names or {})
    heads = [head_cmp, *([procedures.head] if procedures is not None else [])]
    blocks: list[Block] = [
        Paragraph(
            T.WHATIF_MOVED.format(label=r.label, base=fmt_pct(r.target_base), scenario=fmt_pct(r.target_scen))
        )
        for cmp in heads
        if len(cmp)
        for r in cmp[cmp["target_changed"]].itertuples()
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
    unit_first = (ExportColumn("unit", T.COL_UNIT, "text", 22), ExportColumn("label", T.COL_KPI, "text", 26))
    blocks.append(
        Table.from_frame(
            _whatif_rows(_changed_units(unit_cmp, list(plan.kpis)), names),
            _whatif_columns(UNIT_COLUMNS, unit_first),
            title=T.WHATIF_BY_UNIT,
            sheet=T.WHATIF_BY_UNIT,
        )
    )
    if procedures is not None:
        blocks.append(
            Table.from_frame(
                _whatif_rows(procedures.head, names),
                _whatif_columns(_procedure_headers(DEPARTMENT_COLUMNS), first),
                title=TP.DOC_HEAD.format(head=head_name),
                sheet=TP.DOC_HEAD_SHEET,
            )
        )
        blocks.append(
            Table.from_frame(
                _whatif_rows(_changed_units(procedures.unit, list(plan.procedure_kpis)), names),
                _whatif_columns(_procedure_headers(UNIT_COLUMNS), unit_first),
                title=TP.DOC_BY_UNIT,
                sheet=TP.DOC_BY_UNIT_SHEET,
            )
        )
    return Document(
        T.WHATIF_DOC, header_lines(filters, plan, uploads, scope=head_name, now=now), tuple(blocks)
    )


def _changed_units(unit_cmp: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """The per-unit rows of the KPIs whose target changed (every KPI when none did), in ``order``
    (the plan's KPIs of the table's kind), worst first."""
    changed = set(unit_cmp.loc[unit_cmp["target_changed"], "kpi"]) if len(unit_cmp) else set()
    units = unit_cmp[unit_cmp["kpi"].isin(changed)] if changed else unit_cmp
    rank = {k: i for i, k in enumerate(order)}
    return units.assign(_k=units["kpi"].map(rank)).sort_values(
        ["_k", "rank_scen", "unit"], na_position="last"
    )
