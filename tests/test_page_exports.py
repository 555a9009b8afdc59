"""The Excel and PDF of what a page shows: the builders of ``ui.exports`` on hand-made frames, and
the two download buttons of Tổng quan, Khoảng cách and Xu hướng (AppTest on the sample data)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import openpyxl
import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from data_access.document import Image, Paragraph
from kpi.periods import Period
from kpi.targets import load_targets
from kpi.whatif import compare
from tests.helpers import ROOT, run_app
from ui.exports import (
    SCENARIO_NOTE,
    gaps_document,
    header_lines,
    overview_document,
    trends_document,
    whatif_document,
    with_scenario_note,
)
from ui.state import Filters

NOW = dt.datetime(2026, 12, 2, 7, 5, tzinfo=dt.UTC)  # 14:05 in Vietnam
FILTERS = Filters(Period("month", 2024, 6))
PLAN = load_targets(ROOT / "targets.toml")
UNIT = "Phòng Giáo dục Trung học"


def _kpi_rows(**over: object) -> pd.DataFrame:
    base = {
        "kpi": ["online_full", "on_time"],
        "label": ["Toàn trình", "Đúng hạn"],
        "numerator": [80, 95],
        "denominator": [100, 100],
        "rows_missing": [0, 0],
        "value": [0.8, 0.95],
        "target": [0.9, 0.95],
        "gap": [-0.1, 0.0],
        "shortfall": pd.array([10, 0], dtype="Int64"),
        "status": ["below", "met"],
        "change": [0.012, None],
    }
    base.update(over)
    return pd.DataFrame(base)


def test_header_lines_name_period_scope_plan_sources_and_time() -> None:
    uploads = pd.DataFrame(
        {
            "id": [3],
            "kind": ["import"],
            "file_name": ["so-lieu.xlsx"],
            "created_at": [dt.datetime(2024, 7, 1, 1, 0)],
        }
    )
    lines = header_lines(Filters(Period("ytd", 2024, 6), UNIT), PLAN, uploads, now=NOW)
    assert lines[0] == "Kỳ báo cáo: Lũy kế đến Tháng 6/2024"
    assert lines[1] == f"Phạm vi: {UNIT}"
    assert lines[2].startswith(f"Kế hoạch: {PLAN.name}")
    assert lines[3] == "Nguồn số liệu: lần nhập #3 – so-lieu.xlsx – 08:00 01/07/2024"
    assert lines[4] == "Xuất lúc: 14:05 02/12/2026"
    noted = with_scenario_note(
        overview_document(_kpi_rows(), pd.DataFrame(), filters=FILTERS, plan=PLAN, now=NOW)
    )
    assert noted.subtitle[3] == SCENARIO_NOTE


def test_overview_document_rows() -> None:
    attention = pd.DataFrame(
        {
            "unit": [UNIT],
            "kpi": ["online_full"],
            "label": ["Toàn trình"],
            "value": [0.6],
            "target": [0.9],
            "gap": [-0.3],
            "shortfall": pd.array([30], dtype="Int64"),
            "worst_field": ["Thi, tuyển sinh"],
            "worst_field_shortfall": pd.array([12], dtype="Int64"),
        }
    )
    doc = overview_document(_kpi_rows(), attention, filters=FILTERS, plan=PLAN, now=NOW)
    cards, worst = doc.tables
    assert [c.header for c in cards.columns][:3] == ["Chỉ tiêu", "Đạt được", "Chỉ tiêu đặt ra"]
    assert cards.rows == (
        ("Toàn trình", 0.8, 0.9, -0.1, 10, "Chưa đạt", 0.012),
        ("Đúng hạn", 0.95, 0.95, 0.0, 0, "Đạt", None),
    )
    assert worst.rows == ((UNIT, "Toàn trình", 0.6, 0.9, -0.3, 30, "Thi, tuyển sinh (12)"),)
    assert doc.blocks[0] == Paragraph("1/2 chỉ tiêu chưa đạt.")
    empty = overview_document(
        _kpi_rows(status=["met", "met"]), attention.iloc[:0], filters=FILTERS, plan=PLAN
    )
    assert len(empty.tables) == 1 and empty.blocks[0].text == "Tất cả chỉ tiêu có số liệu đều đạt."


def test_gaps_document_rows_by_gap_and_bars() -> None:
    table = _kpi_rows(kpi=["online_full"] * 2, label=["Toàn trình"] * 2).assign(unit=["Thanh tra Sở", UNIT])
    doc = gaps_document(
        table,
        "unit",
        title="Toàn trình – các đơn vị",
        kpi_label="Toàn trình",
        filters=FILTERS,
        plan=PLAN,
        group_labels={UNIT: "Phòng GDTrH"},
        now=NOW,
    )
    (t,) = doc.tables
    assert [r[0] for r in t.rows] == ["Thanh tra Sở", UNIT]  # the largest gap first, as on the page
    assert t.rows[0][1:4] == (80, 100, 0.8)
    assert isinstance(doc.blocks[-1], Image) and doc.blocks[-1].png.startswith(b"\x89PNG")
    assert "Phạm vi: Toàn Sở (theo đơn vị)" in doc.subtitle
    fields = table.assign(unit=UNIT, field=["Thi, tuyển sinh", "Văn bằng"])
    doc = gaps_document(fields, "field", title="t", kpi_label="Toàn trình", filters=FILTERS, plan=PLAN)
    assert f"Phạm vi: {UNIT}" in doc.subtitle and doc.tables[0].columns[1].header == "Lĩnh vực"


def test_trends_document_one_table_and_chart_per_kpi() -> None:
    series = pd.DataFrame(
        {
            "period": ["2024-01", "2024-02"] * 2,
            "kpi": ["online_full"] * 2 + ["on_time"] * 2,
            "value": [0.5, 0.7, None, None],
            "ytd_value": [0.5, 0.6, None, None],
            "target": [0.9, 0.9, 0.95, 0.95],
            "status": ["below", "below", "no_data", "no_data"],
        }
    )
    doc = trends_document(
        series,
        {"online_full": "Toàn trình", "on_time": "Đúng hạn"},
        filters=FILTERS,
        plan=PLAN,
        scope="Toàn Sở",
        notes={"online_full": "Dự báo tháng 12: 75,0 %"},
        now=NOW,
    )
    (t,) = doc.tables
    assert t.rows == (
        ("Tháng 1/2024", 0.5, 0.5, 0.9, "Chưa đạt"),
        ("Tháng 2/2024", 0.7, 0.6, 0.9, "Chưa đạt"),
    )
    assert t.sheet == "Toàn trình"
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "Paragraph", "Image", "Table", "Paragraph", "Paragraph"]
    assert doc.blocks[-1].text == "Chưa có số liệu cho chỉ tiêu này trong năm."
    assert doc.subtitle[0] == "Kỳ báo cáo: Năm 2024, đến tháng 6/2024"
    two = pd.concat([series.assign(unit="A"), series.assign(unit="B", value=0.4)])
    doc = trends_document(
        two,
        {"online_full": "Toàn trình"},
        filters=FILTERS,
        plan=PLAN,
        scope="So sánh 2 đơn vị",
        groups=["A", "B"],
    )
    assert [r[:2] for r in doc.tables[0].rows][:2] == [("Tháng 1/2024", "A"), ("Tháng 1/2024", "B")]
    assert "Phạm vi: So sánh 2 đơn vị: A, B" in doc.subtitle


def test_trends_document_by_quarter_names_each_period() -> None:
    """The quarter view's document: one row per quarter named as on the page, its own chart and period line."""
    series = pd.DataFrame(
        {
            "period": ["2024-Q1", "2024-Q2"],
            "period_start": ["2024-01", "2024-04"],
            "period_end": ["2024-03", "2024-05"],
            "period_name": ["Quý I/2024", "Quý II/2024 (số liệu đến Tháng 5/2024)"],
            "kpi": ["online_full"] * 2,
            "value": [0.6, 0.5],
            "target": [0.9, 0.7],
            "status": ["below", "below"],
        }
    )
    doc = trends_document(
        series,
        {"online_full": "Toàn trình"},
        filters=Filters(Period("quarter", 2024, 2, last="2024-05")),
        plan=PLAN,
        scope="Toàn Sở",
        by="quarter",
        span="Quý I/2024 – Quý II/2024 (số liệu đến Tháng 5/2024)",
        now=NOW,
    )
    (t,) = doc.tables
    assert t.columns[0].header == "Kỳ"
    assert t.rows == (
        ("Quý I/2024", 0.6, 0.9, "Chưa đạt"),
        ("Quý II/2024 (số liệu đến Tháng 5/2024)", 0.5, 0.7, "Chưa đạt"),
    )
    (image,) = [b for b in doc.blocks if isinstance(b, Image)]
    assert image.png.startswith(b"\x89PNG") and "từng kỳ" in image.caption
    assert doc.subtitle[0] == "Kỳ báo cáo: Quý I/2024 – Quý II/2024 (số liệu đến Tháng 5/2024)"


def test_whatif_document_department_and_units() -> None:
    base = _kpi_rows()
    scen = base.assign(target=[0.95, 0.95], gap=[-0.15, 0.0], shortfall=pd.array([15, 0], dtype="Int64"))
    head = compare(base, scen)
    units = pd.concat([base.assign(unit="B"), base.assign(unit="A")], ignore_index=True)
    unit_cmp = compare(
        units, pd.concat([scen.assign(unit="B"), scen.assign(unit="A")], ignore_index=True), by=("unit",)
    )
    doc = whatif_document(head, unit_cmp, filters=FILTERS, plan=PLAN, short_names={"A": "Đơn vị A"}, now=NOW)
    dept, per_unit = doc.tables
    assert doc.blocks[0].text == "Toàn trình: chỉ tiêu kế hoạch 90,0 % → giả định 95,0 %."
    row = dict(zip([c.key for c in dept.columns], dept.rows[0], strict=True))
    assert (
        row["label"],
        row["target_base"],
        row["target_scen"],
        row["shortfall_base"],
        row["shortfall_scen"],
    ) == ("Toàn trình", 0.9, 0.95, 10, 15)
    assert row["change"].startswith("↑ thiếu +5")  # the page's own wording (ui.whatif_tables.change_text)
    assert {r[1] for r in per_unit.rows} == {"Toàn trình"}  # only the KPI whose target changed
    assert sorted(r[0] for r in per_unit.rows) == ["B", "Đơn vị A"]  # units by their short names


# ---------------------------------------------------------------------------- the pages


@pytest.fixture
def files(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], bytes]]:
    """file name → the callable a download button was given (the file is written when clicked)."""
    made: dict[str, Callable[[], bytes]] = {}
    add_deferred = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        made[file_name] = data_callable
        return add_deferred(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return made


def _buttons(at: AppTest) -> list[tuple[str, str]]:
    """The page's own export buttons (the report buttons of ``ui.brief_buttons`` are tested apart)."""
    return [(b.label, b.key) for b in at.get("download_button") if "brief" not in str(b.key)]


def _sheets(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _header_row(ws) -> list[str]:
    first = int(ws.auto_filter.ref.split(":")[0][1:])
    return [c.value for c in ws[first]]


def test_overview_offers_excel_and_pdf(sample_db_url: str, app_env: pytest.MonkeyPatch, files: dict) -> None:
    at = run_app(sample_db_url, app_env)
    assert _buttons(at) == [("Tải Excel", "overview_download"), ("Tải PDF", "overview_download_pdf")]
    wb = _sheets(files["tong-quan-2024-12.xlsx"]())
    assert wb.sheetnames == ["Chỉ tiêu", "Cần chú ý"]
    ws = wb["Chỉ tiêu"]
    assert ws["A2"].value == "Kỳ báo cáo: Tháng 12/2024"
    assert _header_row(ws)[:2] == ["Chỉ tiêu", "Đạt được"]
    assert ws.auto_filter.ref.endswith(str(int(ws.auto_filter.ref.split(":")[0][1:]) + len(PLAN.kpis)))
    assert files["tong-quan-2024-12.pdf"]().startswith(b"%PDF")


def test_gaps_offers_excel_and_pdf_at_each_level(
    sample_db_url: str, app_env: pytest.MonkeyPatch, files: dict
) -> None:
    at = run_app(sample_db_url, app_env, "pages/gaps.py")
    assert _buttons(at) == [("Tải Excel", "gap_download"), ("Tải PDF", "gap_download_pdf")]
    ws = _sheets(files["khoang-cach-online_full-2024-12.xlsx"]()).active
    assert _header_row(ws)[:3] == ["Đơn vị", "Tử số (hồ sơ)", "Mẫu số (hồ sơ)"]
    assert ws.column_dimensions["A"].width >= max(len(str(c.value or "")) for c in ws["A"][8:])
    at.selectbox(key="gap_unit").set_value("Phòng Quản lý chất lượng").run()
    assert not at.exception
    ws = _sheets(files["khoang-cach-online_full-2024-12.xlsx"]()).active
    assert _header_row(ws)[:2] == ["Đơn vị", "Lĩnh vực"]
    assert "Phạm vi: Phòng Quản lý chất lượng" in [c.value for c in ws["A"][:8]]
    assert files["khoang-cach-online_full-2024-12.pdf"]().startswith(b"%PDF")


def test_trends_offers_excel_and_pdf(sample_db_url: str, app_env: pytest.MonkeyPatch, files: dict) -> None:
    at = run_app(sample_db_url, app_env, "pages/trends.py")
    assert _buttons(at) == [("Tải Excel", "trend_download"), ("Tải PDF", "trend_download_pdf")]
    wb = _sheets(files["xu-huong-2024-12.xlsx"]())
    assert len(wb.sheetnames) == len(at.multiselect(key="trend_kpis").value) == 4
    assert _header_row(wb.active)[0] == "Tháng"
    assert files["xu-huong-2024-12.pdf"]().startswith(b"%PDF")


def test_export_says_when_the_scenario_is_applied(
    sample_db_url: str, app_env: pytest.MonkeyPatch, files: dict
) -> None:
    at = run_app(sample_db_url, app_env)
    at.session_state["whatif_targets"] = {"online_full": 0.5}
    at.session_state["whatif_apply_on"] = True
    at.run()
    ws = _sheets(files["tong-quan-2024-12.xlsx"]()).active
    assert SCENARIO_NOTE in [c.value for c in ws["A"][:8]]


def test_whatif_offers_excel_and_pdf_of_the_comparison(
    sample_db_url: str, app_env: pytest.MonkeyPatch, files: dict
) -> None:
    at = run_app(sample_db_url, app_env, "pages/whatif.py")
    buttons = _buttons(at)
    assert ("Tải Excel", "whatif_export") in buttons and ("Tải PDF", "whatif_export_pdf") in buttons
    wb = _sheets(files["gia-dinh-chi-tieu-2024-12.xlsx"]())
    assert _header_row(wb.worksheets[0])[0] == "Chỉ tiêu"
    assert files["gia-dinh-chi-tieu-2024-12.pdf"]().startswith(b"%PDF")
