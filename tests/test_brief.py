"""``python -m kpi brief`` (issue 18): the brief as DOCX, PDF and XLSX on the sample database, each file
opened again and its title and tables compared with ``kpi report`` for the same period."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import docx
import pandas as pd
import pytest
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader

from data_access.brief import BriefData, admin_header, compose_brief, render
from data_access.document import Document, ExportColumn, Table
from data_access.docx_writer import FONT, AdminHeader, clean_text, date_line, document_docx
from data_access.pdf import cell_text
from kpi.__main__ import main
from kpi.texts import STATUS_LABELS

PERIODS = {
    "2024-Q1": "Quý I/2024",
    "2024-H1": "6 tháng đầu năm 2024",
    "2024-03": "Tháng 3/2024",
}
UNIT = "Phòng Giáo dục Trung học"


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TARGETS_FILE", "AGENCY_NAME", "AGENCY_PLACE", "SCORING_FILE"):
        monkeypatch.delenv(name, raising=False)


def _brief(db: str, period: str, fmt: str, out: Path, *extra: str) -> int:
    return main(["brief", "--period", period, "--format", fmt, "--out", str(out), "--db", db, *extra])


def _report(
    db: str, period: str, capsys: pytest.CaptureFixture[str], *extra: str, kind: str = "dossiers"
) -> list[dict[str, object]]:
    """``kpi report --format json`` for ``period``, its KPIs of ``kind`` (what the brief's tables must
    equal: table I the dossier KPIs, its second part the KPIs counting procedures)."""
    capsys.readouterr()
    assert main(["report", "--period", period, "--format", "json", "--db", db, *extra]) == 0
    recs: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return [r for r in recs if r["kind"] == kind]


def _expected_procedure_rows(recs: list[dict[str, object]]) -> list[list[str]]:
    """Table I's procedure part as printed: label, value, target, gap, counts, shortfall, unknown, status."""
    return [
        [
            str(r["label"]),
            cell_text(r["value"], "percent"),
            cell_text(r["target"], "percent"),
            cell_text(r["gap"], "points"),
            f"{cell_text(r['numerator'], 'int')}/{cell_text(r['denominator'], 'int')}",
            cell_text(r["shortfall"], "int"),
            cell_text(r["unknown"], "int"),
            STATUS_LABELS[str(r["status"])],
        ]
        for r in recs
    ]


def _expected_rows(recs: list[dict[str, object]]) -> list[list[str]]:
    """Table I as printed: label, value, target, gap, shortfall, status (the change column aside)."""
    return [
        [
            str(r["label"]),
            cell_text(r["value"], "percent"),
            cell_text(r["target"], "percent"),
            cell_text(r["gap"], "points"),
            cell_text(r["shortfall"], "int"),
            STATUS_LABELS[str(r["status"])],
        ]
        for r in recs
    ]


# ---------------------------------------------------------------------------- DOCX


@pytest.mark.parametrize("period", list(PERIODS))
def test_docx_title_header_and_table_equal_kpi_report(
    period: str, sample_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "brief.docx"
    assert _brief(sample_db_url, period, "docx", out) == 0
    recs = _report(sample_db_url, period, capsys)
    d = docx.Document(str(out))
    texts = [p.text for p in d.paragraphs]
    assert texts[0] == f"Báo cáo kết quả thực hiện các chỉ tiêu dịch vụ công trực tuyến – {PERIODS[period]}"
    header = d.tables[0]
    assert header.cell(0, 0).text == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    assert header.cell(0, 1).text.startswith(
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc"
    )
    assert header.cell(1, 1).text.startswith("Hải Phòng, ngày ")
    results = d.tables[1]
    assert [c.text for c in results.rows[0].cells][:6] == [
        "Chỉ tiêu", "Đạt được", "Kế hoạch", "Chênh lệch", "Còn thiếu (hồ sơ)", "Đánh giá",
    ]  # fmt: skip
    assert [[c.text for c in row.cells][:6] for row in results.rows[1:]] == _expected_rows(recs)
    procedures = d.tables[2]  # then the KPIs counting procedures, equal to kpi report's too
    assert [c.text for c in procedures.rows[0].cells][4:7] == [
        "TTHC đạt / phạm vi", "Còn thiếu (TTHC)", "Chưa có số liệu",
    ]  # fmt: skip
    want = _expected_procedure_rows(_report(sample_db_url, period, capsys, kind="procedures"))
    assert len(want) == 5
    assert [[c.text for c in row.cells] for row in procedures.rows[1:]] == want
    for h in ("I. Kết quả chung", "II. Kết quả theo đơn vị", "III. Nội dung cần chú ý"):
        assert h in texts
    assert any(t.startswith("IV. ") for t in texts)
    # A4 portrait, 3 + 2 cm side margins: 21 − 5 = 16 cm of text, and every table fits in it
    sec = d.sections[0]
    width, height, left, right = sec.page_width, sec.page_height, sec.left_margin, sec.right_margin
    assert width and height and left and right
    assert (round(width.cm, 1), round(height.cm, 1)) == (21.0, 29.7)
    text_width = width - left - right
    for t in d.tables:
        assert sum(c.width or 0 for c in t.rows[0].cells) <= text_width + 10  # EMU rounding
    # Times New Roman on every script slot, in the styles and in the runs
    fonts = d.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {FONT}
    assert fonts.get(qn("w:asciiTheme")) is None
    # section II has its chart (a picture)
    assert len(d.inline_shapes) == 1


def test_docx_of_one_unit_is_judged_by_its_own_targets(
    sample_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "unit.docx"
    assert _brief(sample_db_url, "2024-Q1", "docx", out, "--unit", UNIT) == 0
    recs = _report(sample_db_url, "2024-Q1", capsys, "--by", "unit")
    mine = [r for r in recs if r["unit"] == UNIT]
    d = docx.Document(str(out))
    assert UNIT in d.paragraphs[0].text and "Quý I/2024" in d.paragraphs[0].text
    assert [[c.text for c in row.cells][:6] for row in d.tables[1].rows[1:]] == _expected_rows(mine)
    assert "II. Kết quả theo lĩnh vực" in [p.text for p in d.paragraphs]


# ---------------------------------------------------------------------------- PDF


@pytest.mark.parametrize("period", list(PERIODS))
def test_pdf_shows_title_and_figures(
    period: str, sample_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "brief.pdf"
    assert _brief(sample_db_url, period, "pdf", out) == 0
    recs = _report(sample_db_url, period, capsys)
    reader = PdfReader(str(out))
    first = reader.pages[0].extract_text()
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert PERIODS[period] in " ".join(first.split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    for row in _expected_rows(recs):
        line = " ".join(row[1:5])  # value, target, gap, shortfall follow each other in the row
        assert line in text, line


# ---------------------------------------------------------------------------- XLSX


@pytest.mark.parametrize("period", list(PERIODS))
def test_xlsx_numbers_stay_numbers_and_equal_kpi_report(
    period: str, sample_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "brief.xlsx"
    assert _brief(sample_db_url, period, "xlsx", out) == 0
    recs = _report(sample_db_url, period, capsys)
    wb = load_workbook(out)
    assert {"KetQuaChung", "TheoDonVi", "NguonSoLieu"} <= set(wb.sheetnames)
    ws = wb["KetQuaChung"]
    assert PERIODS[period] in str(ws["A1"].value)
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[0] == "Chỉ tiêu")
    body = rows[head + 1 : head + 1 + len(recs)]
    for r, rec in zip(body, recs, strict=True):
        assert r[0] == rec["label"]
        for got, want in ((r[1], rec["value"]), (r[2], rec["target"])):
            assert (got is None and want is None) or (
                isinstance(got, int | float) and got == pytest.approx(want)
            )
        # gap in points: the fraction × 100 (e.g. −0.207 → −20.7)
        assert rec["gap"] is None or r[3] == pytest.approx(float(rec["gap"]) * 100)  # type: ignore[arg-type]
        assert r[4] == rec["shortfall"] and (r[4] is None or isinstance(r[4], int))
    cell = ws.cell(row=head + 2, column=2)
    assert cell.number_format == "0.0%"


# ---------------------------------------------------------------------------- escaping


def _tiny_data(unit: str) -> BriefData:
    row = {
        "kpi": "k", "label": "Chỉ tiêu =SUM(A1)\x07", "value": 0.5, "target": 0.9, "gap": -0.4,
        "shortfall": 4, "status": "below", "change": None,
    }  # fmt: skip
    overall = pd.DataFrame([row])
    groups = pd.DataFrame([{**row, "unit": unit}])
    attention = pd.DataFrame(
        [{**row, "unit": unit, "worst_field": "Lĩnh\x1b vực", "worst_field_shortfall": 4}]
    )
    uploads = pd.DataFrame(
        [{"id": 1, "file_name": "=cmd|' /C calc'!A0\x00.xlsx", "created_at": dt.datetime(2024, 4, 1, tzinfo=dt.UTC),
          "user": "văn\x0bphòng", "kind": "import", "periods": ["2024-01"], "units": [unit]}]
    )  # fmt: skip
    return BriefData(
        period_title="Quý I/2024",
        months=("2024-01", "2024-02", "2024-03"),
        plan_name="Kế hoạch 2024",
        plan_year=2024,
        overall=overall,
        groups=groups,
        attention=attention,
        uploads=uploads,
        status_labels=STATUS_LABELS,
    )


def test_control_characters_and_formulas_from_uploads_are_harmless(tmp_path: Path) -> None:
    unit = "Phòng\x01 thử\ufffe"
    doc = compose_brief(_tiny_data(unit))
    header = AdminHeader("SỞ GD&ĐT\x02", "Hải Phòng", dt.date(2024, 3, 5))
    for fmt in ("docx", "pdf", "xlsx"):
        (tmp_path / f"x.{fmt}").write_bytes(render(doc, fmt, header=header))
    d = docx.Document(str(tmp_path / "x.docx"))  # the XML parses
    cells = [c.text for t in d.tables for r in t.rows for c in r.cells]
    assert "Phòng thử" in cells and "Lĩnh vực" in cells and "Chỉ tiêu =SUM(A1)" in cells
    assert d.tables[0].cell(0, 0).text == "SỞ GD&ĐT"
    wb = load_workbook(tmp_path / "x.xlsx")
    sources = wb["NguonSoLieu"]
    texts = [c for r in sources.iter_rows() for c in r if isinstance(c.value, str)]
    name = next(c for c in texts if "calc" in str(c.value))
    assert name.value == "=cmd|' /C calc'!A0.xlsx" and name.data_type == "s"  # text, never a formula
    formula_cells = [c for ws in wb for r in ws.iter_rows() for c in r if c.data_type == "f"]
    assert formula_cells == []
    assert "SỞ GD&ĐT" in PdfReader(str(tmp_path / "x.pdf")).pages[0].extract_text()


def test_clean_text_keeps_vietnamese_tabs_and_newlines() -> None:
    assert clean_text("Sở\tGiáo\ndục\x00\x08\x0b\x0c\x1f\x7f") == "Sở\tGiáo\ndục"
    assert clean_text(None) == ""


def test_document_docx_without_header_and_wide_table_fits() -> None:
    cols = tuple(ExportColumn(f"c{i}", f"Cột {i}", "percent", 10) for i in range(12))
    data = document_docx(Document("Rộng", (), (Table(cols, ((0.5,) * 12,)),)))
    d = docx.Document(io.BytesIO(data))
    sec = d.sections[0]
    width, left, right = sec.page_width, sec.left_margin, sec.right_margin
    assert width and left and right
    assert sum(c.width or 0 for c in d.tables[0].rows[0].cells) <= width - left - right
    assert d.tables[0].rows[1].cells[0].text == "50,0 %"


def test_date_line_and_header_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    # Nghị định 30/2020: a day below 10 and the months 1 and 2 get a leading zero
    assert date_line("Hải Phòng", dt.date(2024, 3, 5)) == "Hải Phòng, ngày 05 tháng 3 năm 2024"
    assert date_line("Hải Phòng", dt.date(2024, 2, 15)) == "Hải Phòng, ngày 15 tháng 02 năm 2024"
    assert date_line("Hà Nội", dt.date(2024, 12, 31)) == "Hà Nội, ngày 31 tháng 12 năm 2024"
    h = admin_header(dt.date(2024, 3, 5))
    assert (h.agency, h.place) == ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Hải Phòng")
    monkeypatch.setenv("AGENCY_NAME", "SỞ GIÁO DỤC VÀ ĐÀO TẠO HÀ NỘI")
    monkeypatch.setenv("AGENCY_PLACE", "Hà Nội")
    h = admin_header(dt.date(2024, 3, 5))
    assert (h.agency, h.date_text) == ("SỞ GIÁO DỤC VÀ ĐÀO TẠO HÀ NỘI", "Hà Nội, ngày 05 tháng 3 năm 2024")


# ---------------------------------------------------------------------------- bad input


def test_period_without_figures_writes_nothing(
    sample_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "none.docx"
    assert _brief(sample_db_url, "2030-Q1", "docx", out) == 1
    err = capsys.readouterr().err
    assert err.startswith("LỖI: ") and "quý I/2030" in err
    assert not out.exists()


def test_unknown_unit(sample_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "u.docx"
    assert _brief(sample_db_url, "2024-Q1", "docx", out, "--unit", "Phòng Không Tồn Tại") == 1
    assert "Không có đơn vị 'Phòng Không Tồn Tại'" in capsys.readouterr().err
    assert not out.exists()


def test_unwritable_out(sample_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _brief(sample_db_url, "2024-Q1", "docx", tmp_path / "no" / "such" / "dir.docx") == 1
    assert "Không ghi được tệp" in capsys.readouterr().err
    assert _brief(sample_db_url, "2024-Q1", "xlsx", tmp_path) == 1  # a directory
    assert "là một thư mục" in capsys.readouterr().err


def test_bad_period_and_format_are_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["brief", "--period", "2024-Q5", "--format", "docx", "--out", str(tmp_path / "a")],
        ["brief", "--period", "2024-Q1", "--format", "odt", "--out", str(tmp_path / "a")],
    ):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2
    assert "2024-Q5" in capsys.readouterr().err


# ---------------------------------------------------------------------------- the workbook's cells


def test_xlsx_empty_text_cell_and_decimal_kind_stay_typed() -> None:
    """An empty text cell is an empty cell (it raised KeyError), and a ``decimal`` column (the points
    of a criterion, 1,46) is written as a number with two decimals, never as text."""
    from data_access.export import NUMBER_FORMATS, document_xlsx, table_to_csv

    columns = (
        ExportColumn("name", "Tiêu chí", "text", 20),
        ExportColumn("points", "Điểm", "decimal", 8),
        ExportColumn("note", "Ghi chú", "text", 10),
    )
    frame = pd.DataFrame(
        {"name": ["Tỷ lệ toàn trình", "=SUM(A1)"], "points": [1.46, None], "note": [None, "x"]}
    )
    doc = Document("Điểm", ("Kỳ báo cáo: Quý I/2024",), (Table.from_frame(frame, columns, sheet="Diem"),))
    ws = load_workbook(io.BytesIO(document_xlsx(doc)))["Diem"]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Tiêu chí")
    first, second = header + 1, header + 2
    assert ws.cell(first, 2).value == 1.46 and ws.cell(first, 2).data_type == "n"
    assert ws.cell(first, 2).number_format == NUMBER_FORMATS["decimal"] == "#,##0.00"
    assert ws.cell(first, 3).value is None  # the empty text cell
    assert ws.cell(second, 1).value == "=SUM(A1)" and ws.cell(second, 1).data_type == "s"
    assert ws.cell(second, 2).value is None
    # the printed forms: 1,46 in the PDF and Word tables, 1.460000 in the CSV
    assert cell_text(1.46, "decimal") == "1,46" and cell_text(12.5, "decimal") == "12,50"
    assert table_to_csv(frame, columns).decode("utf-8-sig").splitlines()[1] == "Tỷ lệ toàn trình,1.460000,"
    with pytest.raises(ValueError, match="unknown column kind"):
        Table.from_frame(frame, (ExportColumn("points", "Điểm", "float"),))


def test_section_three_lists_the_procedures_not_counted(sample_db_url: str, tmp_path: Path) -> None:
    """Per procedure KPI of the plan, the procedures of its denominator not counted, as
    ``kpi.procedures.procedure_list`` finds them on the same database, the reason in words."""
    from data_access.procedure_figures import SqlProcedureFigures, catalog_lookup
    from data_access.store import open_engine
    from kpi.procedures import procedure_list
    from kpi.targets import load_targets
    from kpi.texts import PROCEDURE_REASONS

    out = tmp_path / "q1.xlsx"
    assert _brief(sample_db_url, "2024-Q1", "xlsx", out) == 0
    plan = load_targets(Path(__file__).resolve().parent.parent / "targets.toml")
    assert plan.procedure_kpis, "the plan has procedure KPIs"
    engine = open_engine(sample_db_url)
    wb = load_workbook(out)
    sheets = [ws for ws in wb.worksheets if ws.title.startswith("TTHC chua tinh")]
    assert len(sheets) == len(plan.procedure_kpis)
    for ws, (kpi_id, spec) in zip(sheets, plan.procedure_kpis.items(), strict=True):
        frame = procedure_list(
            SqlProcedureFigures(engine), catalog_lookup(engine), plan, kpi=kpi_id, period="2024-Q1"
        )
        left = frame[frame["counted"].eq(False).fillna(False) & frame["in_denominator"]].head(20)
        expected = [
            (code, name, unit, PROCEDURE_REASONS[reason])
            for code, name, unit, reason in zip(
                left["procedure_code"], left["procedure_name"], left["unit"], left["reason"], strict=True
            )
        ]
        column_a = [c.value for c in ws["A"]]
        assert f"Thủ tục chưa được tính – {spec.label}" in column_a
        first = column_a.index("Mã TTHC") + 2
        got = [tuple(c.value for c in row[:4]) for row in ws.iter_rows(min_row=first, max_row=ws.max_row)]
        assert got == expected


def test_xlsx_points_of_section_four_are_numbers(sample_db_url: str, tmp_path: Path) -> None:
    """Section IV's points, maximum and points lost are numeric cells (two decimals), and points + lost
    = maximum on every criterion with a value."""
    out = tmp_path / "q1.xlsx"
    assert _brief(sample_db_url, "2024-Q1", "xlsx", out) == 0
    ws = load_workbook(out)["DiemDanhGia"]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Tiêu chí")
    names = [ws.cell(header, j).value for j in range(1, 7)]
    assert names[3:6] == ["Điểm", "Tối đa", "Mất"]
    rows = [[ws.cell(r, j) for j in (4, 5, 6)] for r in range(header + 1, ws.max_row + 1)]
    scored = [cells for cells in rows if cells[0].value is not None]
    assert scored, "the sample's quarter scores some criteria"
    for points, most, lost in scored:
        assert {points.data_type, most.data_type, lost.data_type} == {"n"}
        assert points.number_format == "#,##0.00"
        assert points.value + lost.value == pytest.approx(most.value)
