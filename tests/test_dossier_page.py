"""The upload page with a list of dossiers, a procedure catalog and the official 766 scores (AppTest):
the list's one-line summary, the unknown figures and why, the preview with the dossier count, the save;
a catalog recognised and stored from the effective month chosen, with what changed."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from data_access.procedure_catalog import catalog_versions, version_in_force
from data_access.store import data_version, history, open_engine
from sample_data.make_catalog import CATALOG_FILE
from sample_data.make_dossiers import LIST_FILE
from tests.test_dossier_list import row, workbook
from tests.test_page_upload import no_exception, start_app, table, texts, upload


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[AppTest, str]:
    return start_app(tmp_path, monkeypatch)


def test_intro_names_the_three_kinds_of_file_and_the_catalog(app: tuple[AppTest, str]) -> None:
    at, _ = app
    intro = texts(at.caption)
    assert "biểu II.06a" in intro and "danh sách hồ sơ" in intro and "danh mục TTHC" in intro


def test_sample_list_summary_preview_and_save(app: tuple[AppTest, str]) -> None:
    at, url = app
    engine = open_engine(url)
    before = data_version(engine)
    upload(at, (LIST_FILE.name, LIST_FILE.read_bytes()))
    no_exception(at)
    # 5 537 dossiers (received in April–June, or open at the end of March), 7 units, 41 procedures
    assert "5.537 hồ sơ, tháng 4–6/2024, 7 đơn vị, 41 TTHC" in texts(at.info)
    assert "Mọi số liệu đều tính được" in texts(at.caption)
    preview = table(at, "Số hồ sơ")
    assert len(preview) == 21  # 3 months × 7 units
    assert preview["Số hồ sơ"].str.replace(".", "").astype(int).gt(0).all()
    assert any("→" in str(v) for v in preview.iloc[0].tolist())
    assert data_version(engine) == before
    at.button(key="save_upload").click().run()
    no_exception(at)
    top = history(engine).iloc[0]
    assert top["file_name"] == LIST_FILE.name and top["months"] == ["2024-04", "2024-05", "2024-06"]


def test_unknown_figures_are_named_with_their_reason(app: tuple[AppTest, str]) -> None:
    at, _ = app
    # one resolved dossier without a due date, one received with an empty fee cell (hand-checked:
    # early/on time/late unknown on 1 row, payments_total and payments_online unknown on 1 row)
    rows = [
        row("A", rec="02/03/2024", due=None, end="05/03/2024"),
        row("B", rec="03/03/2024", due="20/03/2024", fee=None),
    ]
    upload(at, ("ds.xlsx", workbook(rows, period="Từ ngày 01/03/2024 đến ngày 31/03/2024")))
    no_exception(at)
    assert "2 hồ sơ, tháng 3/2024, 1 đơn vị, 1 TTHC" in texts(at.info)
    shown = "\n".join(m.value for m in at.markdown)
    assert (
        "**Đã giải quyết đúng hạn**: chưa rõ ở 1 dòng tháng × TTHC – hồ sơ đã giải quyết không có Hạn xử lý"
        in shown
    )
    assert "Phải nộp phí, lệ phí" in shown


def test_a_catalog_is_recognised_and_stored_from_the_month_chosen(app: tuple[AppTest, str]) -> None:
    at, url = app
    engine = open_engine(url)
    assert len(catalog_versions(engine)) == 1  # the sample's, loaded at first start
    book = load_workbook(CATALOG_FILE)
    sheet = book.active
    assert sheet is not None
    sheet.delete_rows(2)  # the first procedure left out: one "removed" change
    buf = io.BytesIO()
    book.save(buf)
    upload(at, ("danh-muc-moi.xlsx", buf.getvalue()))
    no_exception(at)
    assert "Tệp là danh mục TTHC: 45 TTHC" in texts(at.info)
    assert not [b for b in at.button if b.key == "save_upload"]  # not a figures file
    effective = next(s for s in at.selectbox if s.key and s.key.startswith("catalog_effective_"))
    effective.set_value("2024-07").run()
    next(b for b in at.button if b.key and b.key.startswith("catalog_save_")).click().run()
    no_exception(at)
    assert "45 TTHC, áp dụng từ tháng 7/2024" in texts(at.success)
    assert "0 TTHC thêm, 1 bỏ, 0 thay đổi" in "\n".join(m.value for m in at.markdown)
    new = version_in_force(engine, "2024-07")
    assert new is not None and new != version_in_force(engine, "2024-06")


def test_the_official_scores_workbook_is_recognised_and_stored(app: tuple[AppTest, str]) -> None:
    from data_access.official_scores import read_scores, score_uploads

    at, url = app
    path = Path("sample_data/diem-766-mau.xlsx")
    expected = read_scores(path)
    assert expected.ok
    engine = open_engine(url)
    stored_before = len(score_uploads(engine))
    upload(at, (path.name, path.read_bytes()))
    no_exception(at)
    assert "Tệp là bảng điểm 766 chính thức" in texts(at.info)
    next(b for b in at.button if b.key and b.key.startswith("scores_save_")).click().run()
    no_exception(at)
    assert "Đã lưu bảng điểm" in texts(at.success)
    assert len(score_uploads(engine)) == stored_before + 1
