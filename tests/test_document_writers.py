"""The document model and its writers: the workbook (title block, filter, frozen header, measured first
column, numbers as numbers, text never a formula) and the PDF (Vietnamese glyphs and numbers, pages)."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from data_access.document import Document, ExportColumn, Image, Paragraph, Table
from data_access.export import NUMBER_FORMATS, document_xlsx
from data_access.pdf import cell_text, document_pdf, font_files, text_width

LONG_UNIT = "Phòng Giáo dục Thường xuyên, Giáo dục Nghề nghiệp và Đại học"
COLUMNS = (
    ExportColumn("unit", "Đơn vị", "text", 20),
    ExportColumn("n", "Số hồ sơ", "int", 10),
    ExportColumn("value", "Đạt được", "percent", 10),
    ExportColumn("gap", "Chênh lệch", "points", 12),
    ExportColumn("status", "Đánh giá", "text", 12),
)
SUBTITLE = (
    "Kỳ báo cáo: Tháng 6/2024",
    "Phạm vi: Toàn Sở",
    "Kế hoạch: Kế hoạch 2024",
    "Nguồn số liệu: lần nhập #3 – so-lieu.xlsx – 14:05 02/06/2024",
    "Xuất lúc: 14:05 02/12/2026",
)


def _frame(n: int = 3) -> pd.DataFrame:
    units = [LONG_UNIT, "Thanh tra Sở", "=SUM(A1:A9)", *[f"Phòng số {i}" for i in range(n - 3)]]
    return pd.DataFrame(
        {
            "unit": units[:n],
            "n": pd.array([1234, None, 7, *range(n - 3)][:n], dtype="Int64"),
            "value": [0.905, float("nan"), 0.5, *[0.7] * (n - 3)][:n],
            "gap": [-0.023, None, 0.05, *[0.0] * (n - 3)][:n],
            "status": ["Chưa đạt", "Chưa có số liệu", "Đạt", *["Đạt"] * (n - 3)][:n],
        }
    )


def _doc(n: int = 3, *, extra: tuple = ()) -> Document:
    table = Table.from_frame(_frame(n), COLUMNS, title="Các đơn vị", sheet="Đơn vị")
    return Document(
        "Khoảng cách – Tỷ lệ toàn trình", SUBTITLE, (Paragraph("Ghi chú trước bảng", "note"), table, *extra)
    )


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


def test_table_from_frame_keeps_numbers_and_turns_missing_into_none() -> None:
    t = _doc().tables[0]
    assert t.rows[0] == (LONG_UNIT, 1234, 0.905, -0.023, "Chưa đạt")
    assert t.rows[1][1:4] == (None, None, None)
    assert type(t.rows[0][1]) is int  # not a numpy integer
    with pytest.raises(ValueError, match="kind"):
        Table.from_frame(_frame(), [ExportColumn("n", "Số", "money")])


def test_digest_follows_the_content() -> None:
    assert _doc().digest() == _doc().digest()
    assert _doc().digest() != _doc(4).digest()
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 20
    assert _doc(extra=(Image(png),)).digest() != _doc(extra=(Image(png + b"x"),)).digest()


def test_xlsx_title_block_filter_frozen_header_and_first_column() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(document_xlsx(_doc())))
    assert wb.sheetnames == ["Đơn vị"]
    ws = wb.active
    col_a = [ws.cell(row=r, column=1).value for r in range(1, 10)]
    assert col_a[:6] == ["Khoảng cách – Tỷ lệ toàn trình", *SUBTITLE]
    assert col_a[6:9] == ["Ghi chú trước bảng", "Các đơn vị", None]
    header = 10
    assert [c.value for c in ws[header]] == [c.header for c in COLUMNS]
    assert ws.auto_filter.ref == f"A{header}:E{header + 3}"
    assert ws.freeze_panes == f"B{header + 1}"
    assert ws.column_dimensions["A"].width >= len(LONG_UNIT)
    assert ws.print_title_rows == f"${header}:${header}"  # printed on every page


def test_xlsx_numbers_are_numbers_and_text_is_never_a_formula() -> None:
    data = document_xlsx(_doc())
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    first = ws.cell(row=11, column=1)
    n, value, gap = (ws.cell(row=11, column=j) for j in (2, 3, 4))
    assert (n.value, n.number_format) == (1234, NUMBER_FORMATS["int"])
    assert (value.value, value.number_format) == (0.905, "0.0%")
    assert gap.value == pytest.approx(-2.3) and "điểm" in gap.number_format
    assert first.value == LONG_UNIT and first.data_type == "s"
    assert [ws.cell(row=12, column=j).value for j in (2, 3, 4)] == [None, None, None]  # unknown stays empty
    evil = ws.cell(row=13, column=1)
    assert evil.value == "=SUM(A1:A9)" and evil.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheet = next(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))
        assert "<f>" not in zf.read(sheet).decode()


def test_xlsx_one_sheet_per_table_with_unique_names_and_trailing_notes() -> None:
    t = _doc().tables[0]
    doc = Document("Tài liệu", SUBTITLE, (t, t, Paragraph("Ghi chú cuối")))
    wb = openpyxl.load_workbook(io.BytesIO(document_xlsx(doc)))
    assert len(wb.sheetnames) == 2 and len(set(wb.sheetnames)) == 2
    last = wb[wb.sheetnames[1]]
    assert last.cell(row=last.max_row, column=1).value == "Ghi chú cuối"
    only_text = openpyxl.load_workbook(
        io.BytesIO(document_xlsx(Document("Trống", SUBTITLE, (Paragraph("x"),))))
    )
    assert only_text.active.cell(row=1, column=1).value == "Trống"


def test_pdf_has_vietnamese_text_numbers_and_page_numbers() -> None:
    data = document_pdf(_doc(90))
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    flat = re.sub(r"\s+", " ", text)
    assert "Phạm vi: Toàn Sở" in flat and "Thanh tra Sở" in flat and "Chưa có số liệu" in flat
    assert "90,5 %" in flat and "-2,3 điểm %" in flat and "1.234" in flat and "+5,0 điểm %" in flat
    pages = re.findall(r"Trang (\d+)/(\d+)", text)
    assert (
        len(pages) >= 2
        and pages[0] == ("1", pages[0][1])
        and {total for _, total in pages} == {str(len(pages))}
    )
    assert flat.count("Chênh lệch") == len(pages)  # the header row repeated on every page


def test_pdf_orientation_by_table_width_and_images() -> None:
    narrow = Document("Hẹp", (), (Table((ExportColumn("a", "Đơn vị"),), (("Thanh tra Sở",),)),))
    wide_cols = tuple(ExportColumn(f"c{i}", f"Cột số {i}", "percent", 10) for i in range(16))
    wide = Document("Rộng", (), (Table(wide_cols, ((0.5,) * 16,)),))
    assert b"/MediaBox [0 0 595.28 841.89]" in document_pdf(narrow)
    assert b"/MediaBox [0 0 841.89 595.28]" in document_pdf(wide)
    from ui.print_charts import trend_png

    series = pd.DataFrame({"period": ["2024-01", "2024-02"], "value": [0.5, 0.6], "target": [0.9, 0.9]})
    png = trend_png(series)
    assert png.startswith(b"\x89PNG")
    with_image = document_pdf(Document("Ảnh", (), (Image(png, "Chú thích ảnh"),)))
    assert b"/Subtype /Image" in with_image
    assert "Chú thích ảnh" in _pdf_text(with_image)


def test_number_texts_and_font_are_the_pages_own() -> None:
    assert [
        cell_text(v, k)
        for v, k in ((0.905, "percent"), (-0.023, "points"), (1234, "int"), (None, "int"), ("Đạt", "text"))
    ] == ["90,5 %", "-2,3 điểm %", "1.234", "–", "Đạt"]
    regular, bold = font_files()
    assert regular.is_file() and bold.is_file()
    assert text_width("Đạt", bold=True) > text_width("Đạt") > 0
