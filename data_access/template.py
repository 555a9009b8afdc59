"""The canonical Excel template the office fills in (sheet ``SoLieu``), with its guide and lists.

``SoLieu`` holds the header row only, so nothing in the template is ever imported by accident;
the guide (``HuongDan``) explains every column and shows an example row; the units and fields
the drop-down lists offer live on a hidden sheet (``DanhMuc``) behind named ranges, because
their names contain commas (a literal list would split them).
"""

from __future__ import annotations

import io
from typing import cast

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from data_access.catalog import Catalog, load_catalog
from data_access.columns import HEADERS, PART_COLUMNS, REQUIRED_COLUMNS, TEMPLATE_COLUMNS, TOTALS
from data_access.texts import template as T
from data_access.texts.template import (
    COUNT_ERROR,
    DATA_SHEET,
    EXAMPLE,
    GUIDE_SHEET,
    INTRO,
    LIST_WARNING,
    LISTS_SHEET,
    MEANINGS,
    PERIOD_HINT,
    RULES_TITLE,
)
from data_access.texts.template import RULES as CHECK_RULES

UNITS_NAME = "DanhSachDonVi"
FIELDS_NAME = "DanhSachLinhVuc"
#: Rows of ``SoLieu`` that carry the validations and the text format (row 2 to this one).
LAST_ROW = 2000
TEMPLATE_FILE_NAME = "mau-so-lieu-dvctt.xlsx"

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
EXAMPLE_FILL = PatternFill("solid", fgColor="F2F2F2")
TITLE_FONT = Font(bold=True, size=14, color="1F5FA8")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

#: The guide's rules: each total as the sum of its parts, then the checks (``texts.template``).
RULES: tuple[str, ...] = (
    *(f"{HEADERS[t]} = " + " + ".join(HEADERS[p] for p in parts) for t, parts in TOTALS.items()),
    *CHECK_RULES,
)


def _width(code: str) -> float:
    if code in ("unit", "field"):
        return 42
    if code == "procedure_name":
        return 36
    if code in ("period", "procedure_code"):
        return 13
    return 16


def build_template(catalog: Catalog | None = None) -> bytes:
    """The ``.xlsx`` bytes of the canonical template (``SoLieu``, ``HuongDan``, hidden ``DanhMuc``)."""
    catalog = catalog or load_catalog()
    wb = Workbook()
    data = cast(Worksheet, wb.active)  # a new workbook's one sheet
    data.title = DATA_SHEET
    guide = wb.create_sheet(GUIDE_SHEET)
    lists = wb.create_sheet(LISTS_SHEET)

    units, fields = catalog.units.names, catalog.fields.names
    _fill_lists(wb, lists, units, fields)
    _fill_data_sheet(data)
    _fill_guide(guide, units, fields)
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _fill_lists(wb: Workbook, ws: Worksheet, units: list[str], fields: list[str]) -> None:
    ws.append(list(T.LISTS_HEADER))
    for i in range(max(len(units), len(fields))):
        ws.append([units[i] if i < len(units) else None, fields[i] if i < len(fields) else None])
    ws.column_dimensions["A"].width = 60
    ws.column_dimensions["B"].width = 50
    ws.sheet_state = "hidden"
    for name, col, n in ((UNITS_NAME, "A", len(units)), (FIELDS_NAME, "B", len(fields))):
        ref = f"'{LISTS_SHEET}'!${col}$2:${col}${max(2, n + 1)}"
        wb.defined_names[name] = DefinedName(name, attr_text=ref)


def _fill_data_sheet(ws: Worksheet) -> None:
    codes = list(TEMPLATE_COLUMNS)
    ws.append([HEADERS[c] for c in codes])
    for j, code in enumerate(codes, start=1):
        cell = ws.cell(row=1, column=j)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(j)].width = _width(code)
    ws.row_dimensions[1].height = 48
    ws.freeze_panes = "A2"

    col = {c: get_column_letter(j) for j, c in enumerate(codes, start=1)}
    # the period column is text, so 06/2024 stays as typed instead of becoming a date
    ws.column_dimensions[col["period"]].number_format = "@"
    period_dv = DataValidation(
        type="textLength",
        operator="between",
        formula1="6",
        formula2="10",
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=True,
        errorStyle="warning",
        promptTitle=HEADERS["period"],
        prompt=PERIOD_HINT,
        errorTitle=HEADERS["period"],
        error=PERIOD_HINT,
    )
    period_dv.add(f"{col['period']}2:{col['period']}{LAST_ROW}")
    ws.cell(row=1, column=1).comment = Comment(PERIOD_HINT, T.HINT_AUTHOR, width=260, height=70)

    validations = [period_dv]
    for code, name, title in (
        ("unit", UNITS_NAME, HEADERS["unit"]),
        ("field", FIELDS_NAME, HEADERS["field"]),
    ):
        dv = DataValidation(
            type="list",
            formula1=name,
            allow_blank=True,
            showDropDown=False,
            showInputMessage=True,
            showErrorMessage=True,
            errorStyle="warning",
            promptTitle=title,
            prompt=T.LIST_PROMPT,
            errorTitle=title,
            error=LIST_WARNING,
        )
        dv.add(f"{col[code]}2:{col[code]}{LAST_ROW}")
        validations.append(dv)
    counts = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=T.COUNT_TITLE,
        error=COUNT_ERROR,
    )
    counts.add(f"{col[PART_COLUMNS[0]]}2:{col[PART_COLUMNS[-1]]}{LAST_ROW}")
    validations.append(counts)
    for dv in validations:
        ws.add_data_validation(dv)


def _fill_guide(ws: Worksheet, units: list[str], fields: list[str]) -> None:
    w = ws
    w.column_dimensions["A"].width = 26
    w.column_dimensions["B"].width = 36
    w.column_dimensions["C"].width = 80
    w.column_dimensions["D"].width = 22
    wrap = Alignment(wrap_text=True, vertical="top")

    def line(text: str, *, font: Font | None = None) -> None:
        w.append([text])
        row = w.max_row
        w.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        cell = w.cell(row=row, column=1)
        cell.alignment = wrap
        if font:
            cell.font = font
        w.row_dimensions[row].height = 15 * max(1, len(text) // 150 + 1)

    line(T.GUIDE_TITLE, font=TITLE_FONT)
    for i, text in enumerate(INTRO, start=1):
        line(f"{i}. {text}")
    w.append([])

    line(T.COLUMNS_TITLE, font=Font(bold=True, size=12))
    w.append(list(T.COLUMNS_HEADER))
    head = w.max_row
    for j in range(1, 5):
        c = w.cell(row=head, column=j)
        c.font, c.fill, c.border = Font(bold=True), HEADER_FILL, BOX
    for code in TEMPLATE_COLUMNS:
        required = (
            T.REQUIRED_YES
            if code in REQUIRED_COLUMNS
            else (T.REQUIRED_PART if code in PART_COLUMNS else T.REQUIRED_NO)
        )
        w.append([code, HEADERS[code], MEANINGS[code], required])
        for j in range(1, 5):
            c = w.cell(row=w.max_row, column=j)
            c.alignment, c.border = wrap, BOX
    w.append([])

    line(RULES_TITLE, font=Font(bold=True, size=12))
    for text in RULES:
        line(f"• {text}")
    w.append([])

    line(T.EXAMPLE_TITLE, font=Font(bold=True, size=12))
    w.append([HEADERS[c] for c in TEMPLATE_COLUMNS])
    ex_head = w.max_row
    w.append([EXAMPLE.get(c) for c in TEMPLATE_COLUMNS])
    for j in range(1, len(TEMPLATE_COLUMNS) + 1):
        h = w.cell(row=ex_head, column=j)
        h.font, h.fill, h.border = Font(bold=True), HEADER_FILL, BOX
        h.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        v = w.cell(row=ex_head + 1, column=j)
        v.fill, v.border, v.font = EXAMPLE_FILL, BOX, Font(italic=True)
        v.alignment = Alignment(wrap_text=True, vertical="top")
    w.cell(row=ex_head + 1, column=1).number_format = "@"
    w.row_dimensions[ex_head].height = 48
    w.append([])

    line(T.UNITS_TITLE, font=Font(bold=True, size=12))
    for name in units:
        line(f"• {name}")
    line(T.FIELDS_TITLE, font=Font(bold=True, size=12))
    for name in fields:
        line(f"• {name}")


__all__ = [
    "DATA_SHEET",
    "EXAMPLE",
    "GUIDE_SHEET",
    "INTRO",
    "LISTS_SHEET",
    "MEANINGS",
    "RULES",
    "TEMPLATE_FILE_NAME",
    "build_template",
]
