"""Issue 19, the readers' part: thousands separators in text counts (item 2); error values, formulas
without their result, a hidden or a second data sheet (item 9); text lengths from the schema, alike on
SQLite and PostgreSQL (item 11); periods 01/1900 and 2024-02-30, merged cells, a "Tổng cộng" row and a
header in row 7 (item 12)."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from data_access.columns import HEADERS, TEMPLATE_COLUMNS
from data_access.readers import read_workbook
from data_access.schema import figure, upload
from data_access.store import import_files, load_figures, open_engine
from data_access.xlsx import rules
from data_access.xlsx.cells import EARLIEST_YEAR, parse_count
from data_access.xlsx.formula_cells import scan
from tests.helpers import EXAMPLES, ROOT
from tests.workbooks import (
    FIELD,
    HEADER,
    UNIT,
    canonical,
    canonical_records,
    official,
    official_row,
    record,
    to_bytes,
    write,
)

TODAY = dt.date(2024, 12, 31)
PAY = HEADERS["payments_total"]  # a count no total or balance depends on (only payments_online ≤ it)
PAY_COL = TEMPLATE_COLUMNS.index("payments_total")  # 19: column T


def read(data: bytes, **kw: object):
    kw.setdefault("today", TODAY)
    return read_workbook(data, filename="t.xlsx", **kw)  # type: ignore[arg-type]


def codes(result) -> list[str]:
    return [i.code for i in result.issues]


def row_cells(**values: object) -> list[object]:
    """One canonical row in template order."""
    rec = record(**values)
    return [rec.get(c) for c in TEMPLATE_COLUMNS]


def edit_sheet(data: bytes, edit: Callable[[str], str], member: str = "xl/worksheets/sheet1.xml") -> bytes:
    """The workbook with the XML of ``member`` rewritten (to write what openpyxl does not)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename == member:
                changed = edit(body.decode("utf-8"))
                assert changed != body.decode("utf-8"), "the edit changed nothing"
                body = changed.encode("utf-8")
            zout.writestr(info, body)
    return out.getvalue()


# ---------------------------------------------------------------------------- item 2: thousands


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.000", 10_000),  # ten thousand, as Vietnamese write it (was stored as 10)
        ("2.000", 2_000),  # (was stored as 2)
        ("1.234", 1_234),  # (was refused as a fraction)
        ("1.234.567", 1_234_567),  # (was refused as text)
        (" 10.000 ", 10_000),
        ("10 000", 10_000),  # grouped with a space
        ("1.234,0", 1_234),  # a zero decimal after the Vietnamese grouping
        ("12.0", 12),  # a zero decimal, as before: one digit after the dot is no group of thousands
        ("12,00", 12),
    ],
)
def test_dot_grouped_text_count_is_a_whole_number(text: str, expected: int) -> None:
    r = read(canonical_records([record(payments_total=text)]))
    assert r.ok, [i.format() for i in r.issues]
    assert codes(r) == []  # payments_online 3 ≤ the total either way; no balance depends on it
    assert r.frame.loc[0, "payments_total"] == expected


def test_comma_grouped_text_count_is_refused_with_both_readings() -> None:
    r = read(canonical_records([record(), record(field="Thi, tuyển sinh", payments_total="10,000")]))
    assert codes(r) == ["count_ambiguous"]
    e = r.errors[0]
    assert (e.sheet, e.row, e.column, e.col_index, e.value) == ("SoLieu", 3, PAY, PAY_COL, "10,000")
    # both readings: 10 (a decimal comma, 10,000 = 10) or 10.000 (a thousands comma)
    assert "là 10 (dấu phẩy thập phân) hay 10.000 (dấu phẩy phân cách hàng nghìn)" in e.message
    assert "trang 'SoLieu', dòng 3, cột 'Giao dịch thanh toán phí, lệ phí' (T)" in e.format()


def test_comma_readings_of_other_values() -> None:
    r = read(
        canonical_records(
            [record(payments_total="1,234"), record(field="Thi, tuyển sinh", payments_total="1,234,567")]
        )
    )
    assert codes(r) == ["count_ambiguous", "count_comma_groups"]
    first, second = r.errors
    assert "là 1,234 (dấu phẩy thập phân) hay 1.234 (" in first.message  # 1,234 = 1.234 as a decimal
    assert "nếu là 1.234.567 hồ sơ, ghi 1.234.567" in second.message


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("12.5", "count_fraction"),
        ("12,5", "count_fraction"),
        ("1.234,5", "count_fraction"),
        ("0.500", "count_fraction"),  # no group starts with 0: a decimal
        ("-10.000", "count_negative"),
        ("-10,000", "count_negative"),
        ("1.000.000.000", "count_too_large"),  # 10⁹ > MAX_COUNT
        ("1.23.456", "count_text"),  # groups of three digits only
        ("1,5", "count_fraction"),
    ],
)
def test_other_texts_stay_errors(cell: str, code: str) -> None:
    assert parse_count(cell) == (None, code)
    r = read(canonical_records([record(payments_total=cell)]))
    assert codes(r) == [code] and r.errors[0].row == 2 and r.errors[0].column == PAY


def test_number_cells_are_unchanged() -> None:
    # a number cell is what Excel holds: 10.0 is ten, 1.234 is a fraction (not 1234)
    r = read(canonical_records([record(payments_total=10.0)]))
    assert r.ok and r.frame.loc[0, "payments_total"] == 10
    r = read(canonical_records([record(payments_total=1.234)]))
    assert codes(r) == ["count_fraction"]


def test_official_layout_reads_dot_grouped_text() -> None:
    # (3) total = (4) + (5) + (6) = 10.000 + 5 + 2 = 10.007, written as text like (4)
    row = list(official_row(FIELD, 10_000, 5, 2, 3, 4, 1, 10_005, 4))
    row[1], row[2] = "10.007", "10.000"
    r = read(official([tuple(row)], total_row=False), unit=UNIT)
    assert r.ok, [i.format() for i in r.issues]
    assert (r.frame.loc[0, "received_online"], r.frame.loc[0, "received_new"]) == (10_000, 10_005)
    row[2] = "10,000"
    r = read(official([tuple(row)], total_row=False), unit=UNIT)
    assert "count_ambiguous" in codes(r)
    e = next(i for i in r.errors if i.code == "count_ambiguous")
    assert e.row == 11 and e.col_index == 3 and "10.000" in e.message  # the first data row, column D


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUTF8": "1"}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "data_access", "import", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_command_line_stores_ten_thousand_and_refuses_the_comma(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    good = write(
        tmp_path, "muoi-nghin.xlsx", canonical_records([record(period="05/2024", payments_total="10.000")])
    )
    proc = _cli(str(good), "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert "LỖI" not in proc.stderr
    stored = load_figures(open_engine(db))
    assert stored["payments_total"].tolist() == [10_000]

    bad = write(
        tmp_path, "dau-phay.xlsx", canonical_records([record(period="06/2024", payments_total="10,000")])
    )
    proc = _cli(str(bad), "--db", db)
    assert proc.returncode == 1
    assert "dau-phay.xlsx, trang 'SoLieu', dòng 2, cột 'Giao dịch thanh toán phí, lệ phí' (T)" in proc.stderr
    assert "là 10 (dấu phẩy thập phân) hay 10.000" in proc.stderr
    assert len(load_figures(open_engine(db))) == 1  # nothing of the refused file


# ---------------------------------------------------------------------------- item 9: hidden content


def test_formula_without_its_result_is_refused_with_the_cell() -> None:
    # openpyxl writes formulas without a cached result: calamine reads the cell as empty
    data = canonical_records([record(), record(field="Thi, tuyển sinh", payments_total="=2+3")])
    assert "<f>2+3</f><v" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    r = read(data)
    assert codes(r) == ["cell_formula_uncached"]
    e = r.errors[0]
    assert (e.row, e.column, e.col_index, e.value) == (3, PAY, PAY_COL, "=2+3")
    assert "lưu lại" in e.message


def test_formula_with_its_result_is_read() -> None:
    data = canonical_records([record(payments_total="=2+3")])
    # openpyxl writes the empty result as <v /> or, with lxml installed (python-docx needs it), <v></v>
    data = edit_sheet(data, lambda x: re.sub(r"<f>2\+3</f>(<v\s*/>|<v></v>)", "<f>2+3</f><v>5</v>", x))
    r = read(data)
    assert r.ok and r.frame.loc[0, "payments_total"] == 5
    # a formula whose result is the empty string (t="str", an empty <v>) holds a value: kept as empty
    data = canonical_records([record(procedure_name='=""')])
    data = edit_sheet(
        data,
        lambda x: re.sub(r'<c r="E2"><f>""</f>(<v\s*/>|<v></v>)', '<c r="E2" t="str"><f>""</f><v></v>', x),
    )
    r = read(data)
    assert r.ok and r.frame["procedure_name"].isna().all()


@pytest.mark.parametrize("error", ["#DIV/0!", "#N/A", "#VALUE!"])
def test_error_value_is_refused_with_the_cell(error: str) -> None:
    wb = load_workbook(io.BytesIO(canonical_records([record()])))
    cell = wb.active.cell(row=2, column=PAY_COL + 1)
    cell.value, cell.data_type = error, "e"
    r = read(to_bytes(wb))
    assert codes(r) == ["cell_formula_error"]
    e = r.errors[0]
    assert (e.row, e.column, e.col_index, e.value) == (2, PAY, PAY_COL, error)
    assert f"lỗi công thức {error}" in e.message


def test_hidden_required_cell_is_told_once() -> None:
    # an error value in the unit cell: the cell's error, not also "Thiếu tên đơn vị"
    wb = load_workbook(io.BytesIO(canonical_records([record()])))
    wb.active["B2"].value, wb.active["B2"].data_type = "#N/A", "e"
    r = read(to_bytes(wb))
    assert codes(r) == ["cell_formula_error"] and r.errors[0].column == HEADERS["unit"]


def test_hidden_value_outside_the_table_is_not_refused() -> None:
    # a formula without its result in a notes column (not read) is no figure left out
    data = canonical([[*row_cells(), "=A1"]], [*HEADER, "Ghi chú"])
    r = read(data)
    assert r.ok and codes(r) == ["unknown_column"]


def test_row_of_formulas_without_results_is_not_dropped_silently() -> None:
    # every cell of row 3 a formula without its result: calamine sees an empty row
    data = canonical([row_cells(), [f"=A{i}" for i in range(len(HEADER))]])
    r = read(data)
    assert r.errors and {i.code for i in r.errors} == {"cell_formula_uncached"}
    assert {i.row for i in r.errors} == {3} and len(r.errors) == len(HEADER)


def test_formula_without_result_in_official_layout() -> None:
    row = list(official_row(FIELD, 10, 5, 2, 3, 4, 1, 6, 1))
    row[6] = "=1+3"  # (8) Trước hạn of the first data row (row 11): column H (tuple index 0 is column B)
    r = read(official([tuple(row)], total_row=False), unit=UNIT)
    assert codes(r) == ["cell_formula_uncached"]
    assert (r.errors[0].row, r.errors[0].col_index, r.errors[0].value) == (11, 7, "=1+3")


def test_scan_finds_cells_without_position_and_with_prefix() -> None:
    xml = (
        b'<x:worksheet xmlns:x="s"><x:sheetData><x:row r="3"><x:c><x:v>1</x:v></x:c>'
        b'<x:c t="e"><x:v>#N/A</x:v></x:c><x:c><x:f>A1</x:f></x:c></x:row></x:sheetData></x:worksheet>'
    )
    found = scan(xml)
    # row 3 (index 2): B3 inferred after A3, C3 after B3
    assert {k: (v.code, v.shown) for k, v in found.items()} == {
        (2, 1): ("cell_formula_error", "#N/A"),
        (2, 2): ("cell_formula_uncached", "=A1"),
    }


def test_hidden_data_sheet_is_refused_naming_it() -> None:
    wb = load_workbook(io.BytesIO(canonical_records([record()], extra_sheets={"Ghi chú": [["xin chào"]]})))
    wb["SoLieu"].sheet_state = "hidden"
    r = read(to_bytes(wb))
    assert codes(r) == ["hidden_data_sheet"] and r.frame.empty
    assert r.errors[0].sheet == "SoLieu" and "'SoLieu' đang bị ẩn" in r.errors[0].message


def test_hidden_sheet_that_is_no_table_is_fine() -> None:
    wb = load_workbook(io.BytesIO(canonical_records([record()], extra_sheets={"DanhMuc": [[UNIT], [FIELD]]})))
    wb["DanhMuc"].sheet_state = "hidden"
    r = read(to_bytes(wb))
    assert r.ok and codes(r) == [] and len(r.frame) == 1


def test_second_data_sheet_is_refused_naming_it() -> None:
    july = [HEADER, row_cells(period="07/2024")]
    r = read(canonical_records([record()], extra_sheets={"Tháng 7": july, "Ghi chú": [["xin chào"]]}))
    assert codes(r) == ["second_data_sheet"] and r.frame.empty
    e = r.errors[0]
    assert e.sheet == "SoLieu" and "thêm trang số liệu 'Tháng 7' ngoài trang 'SoLieu'" in e.message
    # an official table beside the canonical one is a second table too
    wb = load_workbook(io.BytesIO(canonical_records([record()])))
    report = load_workbook(io.BytesIO(official([official_row(FIELD, 1, 2, 3, 1, 1, 1, 2, 1)])))
    other = wb.create_sheet("Bieu06a")
    for values in report.active.iter_rows(values_only=True):
        other.append(list(values))
    r = read(to_bytes(wb))
    assert codes(r) == ["second_data_sheet"] and "'Bieu06a'" in r.errors[0].message


# ---------------------------------------------------------------------------- item 11: lengths


@pytest.mark.parametrize("column", ["procedure_name", "procedure_code"])
def test_text_longer_than_the_schema_allows_is_refused_on_every_database(
    engine: sa.Engine, column: str
) -> None:
    limit = figure.c[column].type.length  # the schema's own limit, not a copy of it
    assert isinstance(limit, int) and limit > 0
    col = TEMPLATE_COLUMNS.index(column)
    too_long = canonical_records([record(**{"procedure_code": "1.000001", column: "x" * (limit + 1)})])
    res = import_files(engine, [("dai.xlsx", too_long)], today=TODAY)
    assert [(i.code, i.row, i.column, i.col_index) for i in res.errors] == [
        ("text_too_long", 2, HEADERS[column], col)
    ]
    assert f"quá giới hạn {limit:,}".replace(",", ".") in res.errors[0].message  # vnfmt's grouping
    assert load_figures(engine).empty  # nothing written (PostgreSQL would have raised, SQLite kept it)

    exact = canonical_records([record(**{"procedure_code": "1.000001", column: "y" * limit})])
    res = import_files(engine, [("vua.xlsx", exact)], today=TODAY)
    assert res.ok, [i.format() for i in res.errors]
    assert load_figures(engine)[column].tolist() == ["y" * limit]


def test_months_beyond_what_an_upload_stores_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    assert upload.c.months.type.length == rules.MONTHS_LIMIT  # read from the schema
    recs = [record(period="05/2024"), record(period="06/2024"), record(period="07/2024")]
    assert read(canonical_records(recs)).ok
    # "2024-05,2024-06" is 15 characters, "2024-05,2024-06,2024-07" 23
    monkeypatch.setattr(rules, "MONTHS_LIMIT", 15)
    assert read(canonical_records(recs[:2])).ok
    r = read(canonical_records(recs))
    assert codes(r) == ["too_many_months"] and "3 tháng" in r.errors[0].message


# ---------------------------------------------------------------------------- item 12: smaller


@pytest.mark.parametrize(
    ("period", "code"),
    [
        ("01/1900", "period_too_early"),
        (f"12/{EARLIEST_YEAR - 1}", "period_too_early"),
        (dt.date(1900, 1, 1), "period_too_early"),
        ("2024-02-30", "period_bad_day"),
        ("30/02/2024", "period_bad_day"),
        ("29/02/2023", "period_bad_day"),  # 2023 is no leap year
        ("31/04/2024", "period_bad_day"),
    ],
)
def test_periods_refused_with_the_cell(period: object, code: str) -> None:
    r = read(canonical_records([record(), record(period=period, field="Thi, tuyển sinh")]))
    assert codes(r) == [code]
    e = r.errors[0]
    assert (e.row, e.column, e.col_index) == (3, HEADERS["period"], 0)
    if code == "period_too_early":
        assert f"trước năm {EARLIEST_YEAR}" in e.message


@pytest.mark.parametrize(
    ("period", "month"), [(f"01/{EARLIEST_YEAR}", f"{EARLIEST_YEAR}-01"), ("29/02/2024", "2024-02")]
)
def test_periods_at_the_edges_are_read(period: str, month: str) -> None:
    r = read(canonical_records([record(period=period)]))
    assert r.ok and r.frame["period"].tolist() == [month]


def _rows(n: int = 3) -> list[list[object]]:
    fields = [FIELD, "Thi, tuyển sinh", "Giáo dục thường xuyên"]
    return [row_cells(field=f) for f in fields[:n]]


def test_merged_cells_are_named_once() -> None:
    wb = load_workbook(io.BytesIO(canonical(_rows())))
    wb.active.merge_cells("B2:B4")  # one unit for three rows: B3 and B4 read as empty
    r = read(to_bytes(wb))
    assert codes(r) == ["merged_cells"]  # not also "Thiếu tên đơn vị" on rows 3 and 4
    e = r.errors[0]
    assert (e.row, e.column, e.col_index) == (2, HEADERS["unit"], 1)
    assert "Các ô B2:B4 được gộp" in e.message and "ô B2" in e.message


def test_merged_title_above_the_header_is_fine() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "SoLieu"
    ws.append(["SỐ LIỆU THÁNG 6/2024"])
    ws.append(HEADER)
    ws.append(row_cells())
    ws.merge_cells("A1:E1")
    r = read(to_bytes(wb))
    assert r.ok and codes(r) == []


def test_merged_cells_in_official_rows() -> None:
    rows = [
        official_row(FIELD, 1, 2, 3, 1, 1, 1, 2, 1),
        official_row("Thi, tuyển sinh", 2, 2, 2, 1, 1, 1, 2, 1),
    ]
    wb = load_workbook(io.BytesIO(official(rows, total_row=False)))
    wb.active.merge_cells("C11:C12")  # (3) Tổng số of rows 11 and 12 as one cell
    r = read(to_bytes(wb), unit=UNIT)
    assert codes(r) == ["merged_cells"] and (r.errors[0].row, r.errors[0].col_index) == (11, 2)
    assert "C11:C12" in r.errors[0].message
    # a section heading merged across the table is no figure: still read
    wb = load_workbook(io.BytesIO(official(rows, total_row=False)))
    wb.active.insert_rows(11)
    wb.active["B11"] = "I. Cấp Sở"
    wb.active.merge_cells("B11:M11")
    r = read(to_bytes(wb), unit=UNIT)
    assert r.ok, [i.format() for i in r.issues]
    assert len(r.frame) == 2


def test_trailing_total_row_is_skipped_with_a_warning() -> None:
    rows = _rows()
    counts = [c for c in TEMPLATE_COLUMNS if c in record() and isinstance(record()[c], int)]
    # the sums of three equal rows: 3 × each count
    total = ["", "Tổng cộng", "", "", "", *[3 * int(record()[c]) for c in counts]]  # type: ignore[call-overload]
    r = read(canonical([*rows, total]))
    assert r.ok and codes(r) == ["total_row_skipped"]
    w = r.warnings[0]
    assert w.row == 5 and w.message.startswith("Dòng tổng cộng ('Tổng cộng'): đã bỏ qua")
    assert len(r.frame) == 3 and r.frame["received_online_full"].tolist() == [10, 10, 10]


def test_total_row_above_data_is_refused_as_a_total() -> None:
    rows = _rows()
    rows.insert(1, ["06/2024", "Cộng", FIELD])
    r = read(canonical(rows))
    assert codes(r) == ["total_row_inside"]  # not "Đơn vị 'Cộng' không có trong danh mục"
    assert r.errors[0].row == 3 and r.errors[0].message.startswith("Dòng tổng cộng ('Cộng') nằm giữa bảng")


def test_header_in_row_7_is_named_with_its_row() -> None:
    for title in ("SoLieu", "Báo cáo"):
        wb = Workbook()
        ws = wb.active
        ws.title = title
        for text in (
            "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
            "BÁO CÁO",
            "Tháng 6/2024",
            "Đơn vị: Sở",
            "Người lập: Lan",
            "Ghi chú",
        ):
            ws.append([text])
        ws.append(HEADER)  # row 7
        ws.append(row_cells())
        r = read(to_bytes(wb))
        assert codes(r) == ["header_too_low"], title
        e = r.errors[0]
        assert e.sheet == title and e.row == 7
        assert "nằm ở dòng 7" in e.message and "Xóa các dòng phía trên dòng 7" in e.message
    # within the first five rows with content it is read as before
    wb = Workbook()
    ws = wb.active
    ws.title = "SoLieu"
    for text in ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "BÁO CÁO", "Tháng 6/2024", "Đơn vị: Sở"):
        ws.append([text])
    ws.append(HEADER)
    ws.append(row_cells())
    assert read(to_bytes(wb)).ok


def test_example_frames_are_unchanged_by_the_new_checks() -> None:
    # the shipped examples: no issue at all of the codes this file adds
    new = {
        "count_ambiguous",
        "count_comma_groups",
        "cell_formula_error",
        "cell_formula_uncached",
        "hidden_data_sheet",
        "second_data_sheet",
        "text_too_long",
        "too_many_months",
        "period_bad_day",
        "period_too_early",
        "merged_cells",
        "total_row_skipped",
        "total_row_inside",
        "header_too_low",
    }
    paths = [
        *sorted((ROOT / "sample_data").glob("so-lieu-*.xlsx")),
        EXAMPLES / "so-lieu-mau.xlsx",
        EXAMPLES / "bao-cao-06a-mau.xlsx",
    ]
    assert len(paths) >= 3
    for path in paths:
        r = read_workbook(path, unit=UNIT, today=TODAY)
        assert r.ok and not new & set(codes(r)), (path.name, codes(r))
        assert isinstance(r.frame, pd.DataFrame) and len(r.frame) > 0
