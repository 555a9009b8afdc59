"""Tables shown on the pages and their Excel downloads (formatting in Vietnamese)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from data_access.document import Table
from data_access.export import ExportColumn, table_to_xlsx
from ui.fmt import STATUS_LABELS
from ui.texts import directors as T
from vnfmt import fmt_int, fmt_pct, fmt_points

_COMMON = [
    ExportColumn("numerator", T.COL_NUMERATOR, "int", 12),
    ExportColumn("denominator", T.COL_DENOMINATOR, "int", 12),
    ExportColumn("value", T.COL_VALUE, "percent", 11),
    ExportColumn("target", T.COL_TARGET, "percent", 10),
    ExportColumn("gap", T.COL_GAP, "points", 13),
    ExportColumn("shortfall", T.COL_SHORTFALL, "int", 12),
    ExportColumn("status_label", T.COL_STATUS, "text", 14),
    ExportColumn("rows_missing", T.COL_ROWS_MISSING, "int", 12),
]
GAP_EXPORT_COLUMNS: dict[str, list[ExportColumn]] = {
    "unit": [ExportColumn("unit", T.COL_UNIT, "text", 48), *_COMMON],
    "field": [
        ExportColumn("unit", T.COL_UNIT, "text", 30),
        ExportColumn("field", T.COL_FIELD, "text", 40),
        *_COMMON,
    ],
    "procedure": [
        ExportColumn("field", T.COL_FIELD, "text", 30),
        ExportColumn("procedure_code", T.COL_PROCEDURE_CODE, "text", 12),
        ExportColumn("procedure_name", T.COL_PROCEDURE_NAME, "text", 50),
        *_COMMON,
    ],
}


def _prepare(table: pd.DataFrame, level: str) -> pd.DataFrame:
    t = table.copy()
    t["status_label"] = t["status"].map(STATUS_LABELS)
    if level == "procedure":
        t["procedure_code"] = t["procedure_code"].map(
            lambda c: c if isinstance(c, str) else T.NO_PROCEDURE_CODE
        )
        t["procedure_name"] = t["procedure_name"].map(
            lambda c: c if isinstance(c, str) else T.NO_PROCEDURE_NAME
        )
    t["_g"] = pd.to_numeric(t["gap"], errors="coerce")
    return t.sort_values("_g", na_position="last", kind="stable").drop(columns="_g")


def gap_table_view(table: pd.DataFrame, level: str) -> pd.DataFrame:
    """The table as Vietnamese-formatted text, sorted by gap (largest gap first)."""
    t = _prepare(table, level)
    fmt: dict[str, Callable[[object], str]] = {"int": fmt_int, "percent": fmt_pct, "points": fmt_points}
    out = pd.DataFrame()
    for c in GAP_EXPORT_COLUMNS[level]:
        f = fmt.get(c.kind)
        out[c.key] = t[c.key].map(f) if f else t[c.key]
    return out.reset_index(drop=True)


def gap_xlsx(table: pd.DataFrame, level: str, *, title: str) -> bytes:
    """The same table as a formatted workbook (numbers stay numbers, percent cells as percent)."""
    return table_to_xlsx(_prepare(table, level), GAP_EXPORT_COLUMNS[level], title=title)


#: The column a gap table of each level is grouped by (the bars' groups).
GAP_GROUP = {"unit": "unit", "field": "field", "procedure": "procedure_code"}


def gap_document_table(table: pd.DataFrame, level: str, *, title: str = "") -> Table:
    """The same table for a document (:mod:`data_access.document`): sorted and labelled as shown."""
    return Table.from_frame(_prepare(table, level), GAP_EXPORT_COLUMNS[level], title=title)


def gap_table_frame(table: pd.DataFrame, level: str) -> pd.DataFrame:
    """The table as shown on the page (numbers kept as numbers, for ``ui.table_view``), sorted by gap."""
    return _prepare(table, level).reset_index(drop=True)
