"""The brief's buttons on Tổng quan and Khoảng cách (issue 18): Word, PDF and Excel of the period on
screen, each file opened again with its title; the deadline line and its button (AppTest, sample data)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import docx
import openpyxl
import pytest
from pypdf import PdfReader
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

import ui.deadline
from kpi.reporting import Due, next_due
from tests.helpers import app_test
from vnfmt import VN_TZ

TITLE = "Báo cáo kết quả thực hiện các chỉ tiêu dịch vụ công trực tuyến – {period}"
UNIT = "Phòng Giáo dục Trung học"


@pytest.fixture
def files(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], bytes]]:
    """file name → the callable a download button was given (the file is written when clicked)."""
    made: dict[str, Callable[[], bytes]] = {}
    add_deferred = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kw):  # type: ignore[no-untyped-def]
        made[file_name] = data_callable
        return add_deferred(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return made


def _run(url: str, env: pytest.MonkeyPatch, page: str | None = None, **params: str) -> AppTest:
    for name in ("AGENCY_NAME", "AGENCY_PLACE", "SCORING_FILE"):
        env.delenv(name, raising=False)
    at = app_test(url, env)
    at.query_params.update(params)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _brief_buttons(at: AppTest, key: str) -> list[tuple[str, str]]:
    found = [(str(getattr(b, "label", "")), str(getattr(b, "key", ""))) for b in at.get("download_button")]
    return [(label, k) for label, k in found if k.startswith(key)]


def _docx_title(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    assert d.tables[0].cell(0, 0).text == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"  # the administrative header
    return str(d.paragraphs[0].text)


def _xlsx_title(data: bytes) -> tuple[str, object]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    values = [c.value for c in ws["B"] if c.value is not None]  # the first table's "achieved" column
    return str(ws["A1"].value), values[1]


def _pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(data)).pages[:1])


@pytest.mark.parametrize(("page", "key"), [(None, "overview_brief"), ("pages/gaps.py", "gap_brief")])
def test_buttons_offer_the_brief_of_the_period_on_screen(
    page: str | None,
    key: str,
    sample_db_url: str,
    app_env: pytest.MonkeyPatch,
    files: dict[str, Callable[[], bytes]],
) -> None:
    at = _run(sample_db_url, app_env, page, ky="2024-Q1")
    assert _brief_buttons(at, key) == [
        ("Báo cáo Word", f"{key}_docx"),
        ("Báo cáo PDF", f"{key}_pdf"),
        ("Báo cáo Excel", f"{key}_xlsx"),
    ]
    title = TITLE.format(period="Quý I/2024")
    assert _docx_title(files["bao-cao-2024-Q1.docx"]()) == title
    sheet_title, achieved = _xlsx_title(files["bao-cao-2024-Q1.xlsx"]())
    assert sheet_title == title
    assert isinstance(achieved, float) and 0 <= achieved <= 1  # a number, not a text
    assert "Quý I/2024" in _pdf_text(files["bao-cao-2024-Q1.pdf"]())


def test_buttons_of_one_unit_name_it(
    sample_db_url: str, app_env: pytest.MonkeyPatch, files: dict[str, Callable[[], bytes]]
) -> None:
    _run(sample_db_url, app_env, ky="2024-03", don_vi=UNIT)
    data = files["bao-cao-2024-03-phong-giao-duc-trung-hoc.docx"]()
    assert (
        _docx_title(data)
        == f"Báo cáo kết quả thực hiện các chỉ tiêu dịch vụ công trực tuyến – {UNIT} – Tháng 3/2024"
    )


def test_deadline_line_shows_the_next_report_due(sample_db_url: str, app_env: pytest.MonkeyPatch) -> None:
    at = _run(sample_db_url, app_env)
    due = next_due(dt.datetime.now(VN_TZ).date())
    assert due is not None
    lines = [i.value for i in at.info]
    assert due.text in lines
    assert due.text.startswith(f"{due.title} gửi ") and f"trước {due.due:%d/%m/%Y}" in due.text
    # the sample's figures end in 12/2024: the period due today has none, so no empty report is offered
    if due.period > "2024-12":
        assert not _brief_buttons(at, "due_brief")
        assert any(c.value.startswith("Không có số liệu nào cho ") for c in at.caption)


def test_deadline_button_makes_the_report_due(
    sample_db_url: str, app_env: pytest.MonkeyPatch, files: dict[str, Callable[[], bytes]]
) -> None:
    due = Due("quarter", "Báo cáo Quý I/2024", "2024-Q1", dt.date(2024, 3, 5), 4, ("Sở Nội vụ",))
    app_env.setattr(ui.deadline, "next_due", lambda today: due)
    at = _run(sample_db_url, app_env)
    assert "Báo cáo Quý I/2024 gửi Sở Nội vụ trước 05/03/2024 – còn 4 ngày" in [i.value for i in at.info]
    assert _brief_buttons(at, "due_brief") == [("Lập Báo cáo Quý I/2024 (Word)", "due_brief_docx")]
    assert _docx_title(files["bao-cao-2024-Q1.docx"]()) == TITLE.format(period="Quý I/2024")
