"""The document of Giả định chỉ tiêu: the what-if comparison frames → a :class:`~data_access.document.Document`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from data_access.document import Block, Document, ExportColumn, Paragraph, Table
from kpi.targets import Plan
from ui.export_documents import header_lines, labelled
from ui.state import Filters
from ui.texts import directors as T
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
