"""The sample list of dossiers uploaded in a real browser: the one-line summary, the preview with the
dossier count, the save, and the stored upload (Debian's chromium through Playwright). Run alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from data_access.store import history, open_engine
from sample_data.make_dossiers import LIST_FILE
from tests.browser import assert_no_exception, browser_page, require_chromium, streamlit_server, wait_idle
from tests.helpers import ROOT
from tests.test_browser_upload import UPLOADER, english_words, visible_text

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
OUT = ROOT / "test-output"


def test_upload_the_sample_list_in_a_real_browser(tmp_path: Path) -> None:
    chromium = require_chromium()
    OUT.mkdir(exist_ok=True)
    url = f"sqlite:///{tmp_path / 'browser.db'}"
    # with the sample (its months 04–06/2024 are replaced by the list) and its procedure catalog
    with streamlit_server(url) as base, browser_page(chromium, height=1800) as page:
        page.goto(f"{base}/nhap-so-lieu")
        wait_idle(page, 90_000)
        assert_no_exception(page)
        page.get_by_role("heading", name="Nhập số liệu", exact=True).wait_for()
        assert page.get_by_text("danh sách hồ sơ", exact=False).first.is_visible()
        before = len(history(open_engine(url)))

        page.locator(f'{UPLOADER} input[type="file"]').set_input_files(str(LIST_FILE))
        page.get_by_text("Xem trước: số liệu sẽ được lưu").wait_for(timeout=90_000)
        wait_idle(page, 60_000)
        assert_no_exception(page)
        summary = page.locator('[data-testid="stAlertContainer"]').filter(has_text="hồ sơ, tháng 4–6/2024")
        assert "5.537 hồ sơ, tháng 4–6/2024, 7 đơn vị, 41 TTHC" in summary.first.inner_text()
        assert page.get_by_text("Mọi số liệu đều tính được").is_visible()
        page.screenshot(path=str(OUT / "upload-dossier-list.png"), full_page=True)
        assert page.locator('[data-testid="stDataFrame"]:visible').count() >= 1  # the preview (a canvas grid)
        assert english_words(page) == [], visible_text(page)
        assert len(history(open_engine(url))) == before, "nothing is stored before pressing save"

        page.locator(".st-key-save_upload button").click()
        page.get_by_text(f"Đã lưu lần nhập #{before + 1} ({LIST_FILE.name})").wait_for(timeout=60_000)
        wait_idle(page)
        assert_no_exception(page)
        top = history(open_engine(url)).iloc[0]
        assert top["file_name"] == LIST_FILE.name and top["months"] == ["2024-04", "2024-05", "2024-06"]
