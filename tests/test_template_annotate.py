"""The Excel template (sheets, headers, lists, validations; filled by hand it imports) and the marked copy."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from data_access.annotate import ERROR_FILL, LIST_SHEET, WARNING_FILL, AnnotateError, annotate_workbook
from data_access.catalog import load_catalog
from data_access.columns import HEADERS, PART_COLUMNS, TEMPLATE_COLUMNS
from data_access.messages import Issue
from data_access.readers import read_workbook
from data_access.store import import_files, load_figures, open_engine
from data_access.template import DATA_SHEET, EXAMPLE, GUIDE_SHEET, LISTS_SHEET, build_template
from tests import workbooks as wbs


@pytest.fixture(scope="module")
def template() -> bytes:
    return build_template()


def _open(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def _range_values(wb: Workbook, name: str) -> list[str]:
    """The values of the cells a defined name points to."""
    dn = wb.defined_names[name]
    out = []
    for sheet, ref in dn.destinations:
        for row in wb[sheet][ref]:
            out.extend(c.value for c in row if c.value is not None)
    return out


# ---------------------------------------------------------------------------- template


def test_template_sheets_and_header(template: bytes) -> None:
    wb = _open(template)
    assert wb.sheetnames == [DATA_SHEET, GUIDE_SHEET, LISTS_SHEET]
    assert wb[LISTS_SHEET].sheet_state == "hidden"
    assert wb.active.title == DATA_SHEET
    ws = wb[DATA_SHEET]
    header = [c.value for c in ws[1]]
    assert header == [HEADERS[c] for c in TEMPLATE_COLUMNS]
    assert all(c.font.bold and c.alignment.wrap_text for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.max_row == 1, "SoLieu holds the header only: no example row to import by accident"
    assert ws.column_dimensions["B"].width >= 30
    assert ws.column_dimensions["A"].number_format == "@"  # the period stays text as typed


def test_template_validations(template: bytes) -> None:
    wb = _open(template)
    ws = wb[DATA_SHEET]
    catalog = load_catalog()
    dvs = ws.data_validations.dataValidation
    by_cell = {}
    for dv in dvs:
        for cell in ("A2", "B2", "C2", "F2", "U2", "U2000", "D2"):
            if cell in dv.sqref:
                by_cell[cell] = dv
    # units and fields: lists from the hidden sheet through named ranges (names hold commas)
    for cell, names in (("B2", catalog.units.names), ("C2", catalog.fields.names)):
        dv = by_cell[cell]
        assert dv.type == "list"
        assert _range_values(wb, dv.formula1.lstrip("=")) == names
    assert any("," in n for n in catalog.units.names)
    # counts: whole numbers >= 0 on every count column
    counts = by_cell["F2"]
    assert counts.type == "whole" and counts.operator == "greaterThanOrEqual" and counts.formula1 == "0"
    assert by_cell["U2"] is counts and by_cell["U2000"] is counts
    assert len(PART_COLUMNS) == 16 and "D2" not in by_cell  # procedure code is free text
    # the period column: a hint shown on entry
    assert by_cell["A2"].showInputMessage and "MM/YYYY" in by_cell["A2"].prompt


def test_template_guide(template: bytes) -> None:
    ws = _open(template)[GUIDE_SHEET]
    cells = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    text = "\n".join(str(v) for v in cells)
    for code in TEMPLATE_COLUMNS:
        assert code in cells and HEADERS[code] in cells
    assert "Bắt buộc" in cells
    assert "chưa biết" in text.lower()  # empty = unknown
    assert "Tiếp nhận trong kỳ = Tiếp nhận trực tuyến + Tiếp nhận trực tiếp và BCCI" in text  # totals rule
    assert "Ví dụ" in text
    # the example row is on the guide, under a copy of the header
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    example = [EXAMPLE[c] for c in TEMPLATE_COLUMNS]
    i = next(i for i, r in enumerate(rows) if r[: len(example)] == example)
    assert rows[i - 1][: len(example)] == [HEADERS[c] for c in TEMPLATE_COLUMNS]


def test_blank_template_imports_nothing(template: bytes) -> None:
    result = read_workbook(template, filename="mau.xlsx")
    assert result.layout == "canonical"
    assert [i.code for i in result.errors] == ["no_data_rows"]


def test_template_filled_by_hand_imports_cleanly(template: bytes, sqlite_url: str) -> None:
    wb = _open(template)
    ws = wb[DATA_SHEET]
    first = wbs.record(period="11/2024")
    second = wbs.record(
        period="11/2024",
        field="Thi, tuyển sinh",
        procedure_code="1.005090",
        procedure_name="Chuyển trường",
        received_direct=None,
    )
    for r, rec in enumerate((first, second), start=2):
        for j, code in enumerate(TEMPLATE_COLUMNS, start=1):
            ws.cell(row=r, column=j, value=rec[code])
    buf = io.BytesIO()
    wb.save(buf)
    engine = open_engine(sqlite_url)
    result = import_files(engine, [("mau-da-dien.xlsx", buf.getvalue())], user="test")
    assert result.ok, [i.format() for i in result.issues]
    assert result.warnings == []
    assert [(u.months, u.rows) for u in result.uploads] == [(["2024-11"], 2)]
    stored = load_figures(engine)
    assert len(stored) == 2
    assert stored["unit"].tolist() == [wbs.UNIT, wbs.UNIT]
    by_field = stored.set_index("field")
    assert by_field.loc[wbs.FIELD, "received_new"] == 16
    # an empty cell is unknown, and so is the total that needs it
    assert by_field.loc["Thi, tuyển sinh", "received_direct"] is pd.NA
    assert by_field.loc["Thi, tuyển sinh", "received_new"] is pd.NA
    assert by_field.loc["Thi, tuyển sinh", "procedure_code"] == "1.005090"


# ---------------------------------------------------------------------------- annotate


def _bad_workbook() -> bytes:
    """Row 2: a negative count (H); row 3: an unknown unit (B); a second sheet of notes."""
    return wbs.canonical_records(
        [
            wbs.record(period="12/2024", received_direct=-3),
            wbs.record(period="12/2024", unit="Phòng Giáo dục Trung hoc x"),
        ],
        extra_sheets={"Ghi chú": [["ghi chú"], ["dòng 2"]]},
    )


def _fill(cell: object) -> str:
    return cell.fill.fgColor.rgb[-6:] if cell.fill and cell.fill.fill_type == "solid" else ""  # type: ignore[attr-defined]


def test_annotate_marks_the_bad_cells() -> None:
    data = _bad_workbook()
    result = read_workbook(data, filename="bad.xlsx")
    assert {(i.code, i.row, i.col_index) for i in result.errors} == {
        ("count_negative", 2, 7),
        ("unit_unknown", 3, 1),
    }
    wb = _open(annotate_workbook(data, result.errors))
    ws = wb["SoLieu"]
    red = ERROR_FILL.fgColor.rgb[-6:]
    assert _fill(ws["H2"]) == red and _fill(ws["B3"]) == red
    assert "âm" in ws["H2"].comment.text and "[giá trị: -3]" in ws["H2"].comment.text
    assert "Phòng Giáo dục Trung hoc x" in ws["B3"].comment.text
    assert "Phòng Giáo dục Trung học" in ws["B3"].comment.text  # the suggestion
    marked = {c.coordinate for row in ws.iter_rows() for c in row if _fill(c)}
    assert marked == {"H2", "B3"}
    # values are untouched
    assert ws["H2"].value == -3 and ws["B3"].value == "Phòng Giáo dục Trung hoc x"
    # the list of issues, linking to each cell
    listing = wb[LIST_SHEET]
    rows = [[c.value for c in row] for row in listing.iter_rows(min_row=2)]
    assert [r[6] for r in rows] == ["SoLieu!H2", "SoLieu!B3"]
    assert listing["G2"].hyperlink.location or listing["G2"].hyperlink.target
    # the marked copy still reads the same way (the listing sheet does not confuse the reader)
    again = read_workbook(annotate_workbook(data, result.errors), filename="bad-marked.xlsx")
    assert {(i.code, i.row, i.col_index) for i in again.errors} == {
        ("count_negative", 2, 7),
        ("unit_unknown", 3, 1),
    }


def test_annotate_cells_without_column_or_row_and_by_sheet_name() -> None:
    data = _bad_workbook()
    issues = [
        Issue("error", "duplicate_key", "Trùng khóa", file="x", sheet="SoLieu", row=3),  # no column → A3
        Issue(
            "error", "no_data_rows", "Không có dòng", file="x", sheet="Ghi chú"
        ),  # no row → A1 of that sheet
        Issue(
            "error",
            "missing_column",
            "Thiếu cột",
            file="x",
            sheet="SoLieu",
            row=1,
            column=HEADERS["withdrawn"],
        ),  # a header but no index: found in the header row
        Issue("error", "unreadable", "Lỗi chung", file="x"),  # no sheet → the first sheet's A1
        Issue("error", "duplicate_key", "Trùng khóa lần hai", file="x", sheet="SoLieu", row=3),
    ]
    wb = _open(annotate_workbook(data, issues))
    ws, notes = wb["SoLieu"], wb["Ghi chú"]
    col_withdrawn = get_letter(TEMPLATE_COLUMNS.index("withdrawn"))
    assert _fill(ws["A3"]) and "Trùng khóa" in ws["A3"].comment.text
    assert "Trùng khóa lần hai" in ws["A3"].comment.text  # two issues, one comment
    assert _fill(notes["A1"]) and "Không có dòng" in notes["A1"].comment.text
    assert _fill(ws[f"{col_withdrawn}1"]) and "Thiếu cột" in ws[f"{col_withdrawn}1"].comment.text
    assert _fill(ws["A1"]) and "Lỗi chung" in ws["A1"].comment.text


def get_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def test_annotate_refuses_what_is_not_a_workbook() -> None:
    with pytest.raises(AnnotateError):
        annotate_workbook(b"not a workbook", [Issue("error", "not_excel", "x")])


def test_annotate_official_layout_merged_cell() -> None:
    data = wbs.official([wbs.official_row(wbs.FIELD, 10, 5, 2, 8, 5, 1, 2, 1)])
    # the unit is missing: the reader points at the header; a merged header cell is marked at its anchor
    result = read_workbook(data, filename="bieu.xlsx")
    assert result.errors
    issue = Issue(
        "error",
        "official_columns",
        "Không nhận ra cột",
        file="bieu.xlsx",
        sheet="Bieu06a",
        row=8,
        col_index=4,
    )  # E8 lies in the merged D8:E8
    wb = _open(annotate_workbook(data, [*result.errors, issue]))
    ws = wb["Bieu06a"]
    assert _fill(ws["D8"]) and "Không nhận ra cột" in ws["D8"].comment.text


def test_annotate_marks_warnings_yellow_and_lists_them_with_their_level() -> None:
    # row 2: an error (negative count); row 3: a valid row whose books do not balance (a warning)
    data = wbs.canonical_records(
        [
            wbs.record(period="12/2024", received_direct=-3),
            wbs.record(period="12/2024", field="Thi, tuyển sinh", resolved_on_time=900),
        ]
    )
    result = read_workbook(data, filename="canh-bao.xlsx")
    assert result.errors and result.warnings
    warning = result.warnings[0]
    wb = _open(annotate_workbook(data, result.issues))
    ws = wb["SoLieu"]
    row, col = warning.row, (warning.col_index or 0) + 1
    cell = ws.cell(row=row, column=col)
    assert _fill(cell) == WARNING_FILL.fgColor.rgb[-6:]
    assert cell.comment.text.startswith("CẢNH BÁO: ")
    assert _fill(ws["H2"]) == ERROR_FILL.fgColor.rgb[-6:]
    listing = wb[LIST_SHEET]
    levels = [r[0].value for r in listing.iter_rows(min_row=2)]
    assert levels == ["Lỗi"] * len(result.errors) + ["Cảnh báo"] * len(result.warnings)  # errors first
    assert _fill(listing["A2"]) == ERROR_FILL.fgColor.rgb[-6:]
    assert _fill(listing.cell(row=len(levels) + 1, column=1)) == WARNING_FILL.fgColor.rgb[-6:]


def test_a_cell_with_an_error_and_a_warning_is_red_with_both_messages() -> None:
    data = _bad_workbook()
    issues = [
        Issue("warning", "jump", "Tăng mạnh", file="x", sheet="SoLieu", row=2, col_index=7),
        Issue("error", "count_negative", "Số âm", file="x", sheet="SoLieu", row=2, col_index=7),
    ]
    ws = _open(annotate_workbook(data, issues))["SoLieu"]
    assert _fill(ws["H2"]) == ERROR_FILL.fgColor.rgb[-6:]
    assert "CẢNH BÁO: Tăng mạnh" in ws["H2"].comment.text and "LỖI: Số âm" in ws["H2"].comment.text
