"""Write tables for download (Excel with openpyxl, CSV), safe against formula injection."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportColumn:
    key: str
    header: str
    kind: str = "text"  # text | int | percent | points
    width: int = 14


def _blank(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def safe_text(value: object) -> str:
    """Text that a spreadsheet will not run as a formula (a leading ``'`` neutralises it in CSV)."""
    s = "" if _blank(value) else str(value)
    return "'" + s if s.startswith(FORMULA_PREFIXES) else s


def table_to_xlsx(frame: pd.DataFrame, columns: Sequence[ExportColumn], *, title: str = "",
                  sheet: str = "BangSoLieu") -> bytes:
    """A formatted workbook: bold frozen header, widths, percent cells as percent, text as text.

    Text cells are always written with the text data type, so ``=SUM(…)`` typed in a name stays
    text and is never evaluated.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    first = 1
    if title:
        ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
        first = 3
    head_fill = PatternFill("solid", fgColor="DCE6F1")
    for j, col in enumerate(columns, start=1):
        c = ws.cell(row=first, column=j, value=col.header)
        c.font = Font(bold=True)
        c.fill = head_fill
        c.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(j)].width = col.width
    for i, rec in enumerate(frame.to_dict("records"), start=first + 1):
        for j, col in enumerate(columns, start=1):
            v = rec.get(col.key)
            cell = ws.cell(row=i, column=j)
            if _blank(v):
                cell.value = None
            elif col.kind == "int":
                cell.value = int(v)
                cell.number_format = "#,##0"
            elif col.kind == "percent":
                cell.value = float(v)
                cell.number_format = "0.0%"
            elif col.kind == "points":
                cell.value = float(v) * 100
                cell.number_format = '+0.0" điểm";-0.0" điểm";0.0" điểm"'
            else:
                cell.value = str(v)
                cell.data_type = "s"  # never a formula, whatever it starts with
    ws.freeze_panes = ws.cell(row=first + 1, column=1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def table_to_csv(frame: pd.DataFrame, columns: Sequence[ExportColumn]) -> bytes:
    """UTF-8 CSV (with BOM, so Excel shows Vietnamese), formula-like text prefixed by ``'``."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([c.header for c in columns])
    for rec in frame.to_dict("records"):
        row = []
        for c in columns:
            v = rec.get(c.key)
            if _blank(v):
                row.append("")
            elif c.kind == "int":
                row.append(str(int(v)))
            elif c.kind in ("percent", "points"):
                row.append(f"{float(v):.6f}")
            else:
                row.append(safe_text(v))
        w.writerow(row)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
