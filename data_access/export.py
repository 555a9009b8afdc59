"""Write tables for download (Excel with openpyxl, CSV), safe against formula injection.

:func:`table_to_xlsx` writes one table; :func:`document_xlsx` writes a :class:`~data_access.document.Document`
(one sheet per table, each under the document's title block), through the same cell writer.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from data_access.document import Document, ExportColumn, Paragraph, Table
from data_access.texts.files import POINTS_FORMAT
from vnfmt import is_missing

__all__ = [
    "FORMULA_PREFIXES",
    "NUMBER_FORMATS",
    "ExportColumn",
    "document_xlsx",
    "safe_text",
    "table_to_csv",
    "table_to_xlsx",
    "workbook_bytes",
]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Excel number formats per column kind (Excel shows the separators of the reader's locale).
#: ``decimal``: a plain number such as the points of a criterion (1,46), two decimals.
NUMBER_FORMATS = {"int": "#,##0", "percent": "0.0%", "points": POINTS_FORMAT, "decimal": "#,##0.00"}
#: The widest a measured text column gets (characters); the first column may take more.
MAX_WIDTH, MAX_FIRST_WIDTH = 60, 90
_HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def safe_text(value: object) -> str:
    """Text that a spreadsheet will not run as a formula (a leading ``'`` neutralises it in CSV)."""
    s = "" if is_missing(value) else str(value)
    return "'" + s if s.startswith(FORMULA_PREFIXES) else s


def _put(ws: Worksheet, row: int, column: int, value: object, kind: str) -> None:
    """One cell: numbers as numbers in their format, anything else as text (never a formula)."""
    cell = ws.cell(row=row, column=column)
    if is_missing(value):
        cell.value = None
    elif kind == "int":
        cell.value = int(value)  # type: ignore[call-overload]
    elif kind in ("percent", "points", "decimal"):
        cell.value = float(value) * (100 if kind == "points" else 1)  # type: ignore[arg-type]
    else:
        cell.value = str(value)
        cell.data_type = "s"  # never a formula, whatever it starts with
        return
    cell.number_format = NUMBER_FORMATS.get(kind, "General")


def _text(ws: Worksheet, row: int, value: str, **font: object) -> None:
    _put(ws, row, 1, value, "text")
    if font:
        ws.cell(row=row, column=1).font = Font(**font)  # type: ignore[arg-type]


def _write_table(
    ws: Worksheet, first: int, columns: Sequence[ExportColumn], rows: Sequence[Sequence[object]]
) -> int:
    """Header at row ``first`` (bold, filled), then ``rows``; the last row written."""
    for j, col in enumerate(columns, start=1):
        c = ws.cell(row=first, column=j, value=col.header)
        c.font = Font(bold=True)
        c.fill = _HEAD_FILL
        c.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(j)].width = col.width
    for i, values in enumerate(rows, start=first + 1):
        for j, (col, v) in enumerate(zip(columns, values, strict=True), start=1):
            _put(ws, i, j, v, col.kind)
    return first + len(rows)


def _records(frame: pd.DataFrame, columns: Sequence[ExportColumn]) -> list[list[object]]:
    return [[rec.get(c.key) for c in columns] for rec in frame.to_dict("records")]


def _active(wb: Workbook) -> Worksheet:
    ws = wb.active
    assert isinstance(ws, Worksheet)
    return ws


def workbook_bytes(wb: Workbook) -> bytes:
    """The saved ``.xlsx`` file of ``wb``."""
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def table_to_xlsx(
    frame: pd.DataFrame, columns: Sequence[ExportColumn], *, title: str = "", sheet: str = "BangSoLieu"
) -> bytes:
    """A formatted workbook: bold frozen header, widths, percent cells as percent, text as text.

    Text cells are always written with the text data type, so ``=SUM(…)`` typed in a name stays
    text and is never evaluated.
    """
    wb = Workbook()
    ws = _active(wb)
    ws.title = sheet[:31]
    first = 1
    if title:
        _text(ws, 1, title, bold=True, size=13)
        first = 3
    _write_table(ws, first, columns, _records(frame, columns))
    ws.freeze_panes = f"A{first + 1}"
    return workbook_bytes(wb)


# ---------------------------------------------------------------------------- documents


def _sheet_name(table: Table, taken: set[str]) -> str:
    base = _SHEET_BAD.sub(" ", table.sheet or table.title or "Bang").strip()[:28] or "Bang"
    name, n = base, 2
    while name.lower() in taken:
        name, n = f"{base[:26]} {n}", n + 1
    taken.add(name.lower())
    return name


def _fit_widths(ws: Worksheet, table: Table) -> None:
    """Text columns as wide as their longest value (the first column may be wider)."""
    for j, col in enumerate(table.columns):
        if col.kind != "text":
            continue
        longest = max((len(str(r[j])) for r in table.rows if not is_missing(r[j])), default=0)
        cap = MAX_FIRST_WIDTH if j == 0 else MAX_WIDTH
        ws.column_dimensions[get_column_letter(j + 1)].width = max(col.width, min(longest + 2, cap))


def _table_sheet(ws: Worksheet, doc: Document, table: Table, notes: Sequence[str]) -> None:
    """The title block (title, subtitle, table title, notes), then the table with filter and frozen header."""
    _text(ws, 1, doc.title, bold=True, size=13)
    row = 2
    for line in doc.subtitle:
        _text(ws, row, line, italic=True, color="555555")
        row += 1
    for note in notes:
        _text(ws, row, note)
        row += 1
    if table.title:
        _text(ws, row, table.title, bold=True, size=12)
        row += 1
    first = row + 1
    last = _write_table(ws, first, table.columns, table.rows)
    _fit_widths(ws, table)
    ws.auto_filter.ref = f"A{first}:{get_column_letter(len(table.columns))}{max(last, first)}"
    ws.freeze_panes = f"B{first + 1}"
    ws.print_title_rows = f"{first}:{first}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if len(table.columns) > 6 else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    if ws.sheet_properties.pageSetUpPr is not None:
        ws.sheet_properties.pageSetUpPr.fitToPage = True


def document_xlsx(doc: Document) -> bytes:
    """One sheet per table, each under the document's title block (period, plan, sources) with the
    paragraphs written since the previous table; an autofilter on the header row, the header frozen,
    text columns measured. A document without tables gets one sheet of its lines."""
    wb = Workbook()
    wb.remove(_active(wb))
    taken: set[str] = set()
    notes: list[str] = []
    last_ws: Worksheet | None = None
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            notes.append(block.text)
        elif isinstance(block, Table):
            last_ws = wb.create_sheet(_sheet_name(block, taken))
            _table_sheet(last_ws, doc, block, notes)
            notes = []
    if last_ws is None:
        last_ws = wb.create_sheet(_sheet_name(Table((), (), doc.title), taken))
        _text(last_ws, 1, doc.title, bold=True, size=13)
        notes = [*doc.subtitle, *notes]
    row = last_ws.max_row + 2
    for note in notes:  # paragraphs after the last table: below it
        _text(last_ws, row, note)
        row += 1
    return workbook_bytes(wb)


def table_to_csv(frame: pd.DataFrame, columns: Sequence[ExportColumn]) -> bytes:
    """UTF-8 CSV (with BOM, so Excel shows Vietnamese), formula-like text prefixed by ``'``."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([c.header for c in columns])
    for rec in frame.to_dict("records"):
        row = []
        for c in columns:
            v = rec.get(c.key)
            if is_missing(v):
                row.append("")
            elif c.kind == "int":
                row.append(str(int(v)))  # type: ignore[arg-type]
            elif c.kind in ("percent", "points", "decimal"):
                row.append(f"{float(v):.6f}")  # type: ignore[arg-type]
            else:
                row.append(safe_text(v))
        w.writerow(row)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
