"""The upload page in a real browser: a refused file with its error table and marked copy, then the
example workbook previewed, saved, and shown on the Overview (Debian's chromium through Playwright)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest

from data_access.store import history, load_figures, open_engine
from tests import workbooks as wbs
from tests.browser import assert_no_exception, browser_page, require_chromium, streamlit_server, wait_idle
from tests.helpers import EXAMPLES, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
OUT = ROOT / "test-output"
EXAMPLE = EXAMPLES / "so-lieu-mau.xlsx"
UPLOADER = '[data-testid="stFileUploader"]'  # its key changes after each save
#: English words Streamlit's uploader writes by itself ("Upload", "Browse files", "20MB per file", …).
ENGLISH = re.compile(r"\b(upload|browse|drag|drop|files?|limit|per|remove|add|error|not allowed)\b", re.I)
#: Material icons are ligatures (their names are text, "upload", "add"): not words a user reads.
ICONS = '[translate="no"][aria-hidden="true"]'


def visible_text(page: object, skip: str = ICONS) -> str:
    """The text a user sees in the main area: text nodes in elements drawn bigger than a pixel (not
    the screen-reader-only helpers, 1 px and clipped), those inside ``skip`` (icon ligatures) left out."""
    return page.evaluate(  # type: ignore[attr-defined]
        """(icons) => {
            const main = document.querySelector('[data-testid="stMain"]');
            const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
            const out = [];
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                const el = n.parentElement;
                if (!el || el.closest(icons) || !n.textContent.trim()) continue;
                const r = el.getBoundingClientRect();
                if (r.width <= 1 || r.height <= 1 || !el.checkVisibility({visibilityProperty: true})) continue;
                out.push(n.textContent.trim());
            }
            return out.join("\\n");
        }""",
        skip,
    )


def english_words(page: object) -> list[str]:
    """English words on the page outside of file names (``….xlsx``) and of code spans (a command such
    as the demo-mode banner's ``python -m data_access users add …`` is typed as it is)."""
    text = re.sub(r"\S+\.xlsx", "", visible_text(page, skip=f"{ICONS}, code"))
    return ENGLISH.findall(text)


def _choose(page: object, path: Path) -> None:
    """Put one file in the uploader through its file chooser input."""
    page.locator(f'{UPLOADER} input[type="file"]').set_input_files(str(path))  # type: ignore[attr-defined]


def _clear_uploader(page: object) -> None:
    """Remove every file from the uploader (each has a delete button)."""
    delete = page.locator(f'{UPLOADER} [data-testid="stFileChipDeleteBtn"]')  # type: ignore[attr-defined]
    while delete.count():
        delete.first.click()
        wait_idle(page)


def test_upload_in_a_real_browser(tmp_path: Path) -> None:
    chromium = require_chromium()
    OUT.mkdir(exist_ok=True)
    url = f"sqlite:///{tmp_path / 'browser.db'}"
    bad = wbs.write(
        tmp_path,
        "so-lieu-sai.xlsx",
        wbs.canonical_records(
            [
                wbs.record(period="12/2024", received_direct=-3),
                wbs.record(period="12/2024", unit="Phòng Giáo dục Trung hoc x"),
            ]
        ),
    )
    # an empty database (no sample): the example's months are then the only ones, so the Overview
    # opens on 06/2024, the example's latest month
    with streamlit_server(url, env={"SAMPLE_DATA": "0"}) as base, browser_page(chromium, height=1800) as page:
        # the Overview first, then a page by its address
        page.goto(base)
        wait_idle(page, 60_000)
        page.goto(f"{base}/nhap-so-lieu")
        wait_idle(page)
        assert page.get_by_text("Page not found").count() == 0
        assert_no_exception(page)
        page.get_by_role("heading", name="Nhập số liệu", exact=True).wait_for()
        assert page.locator(".st-key-download_template button").is_visible()
        # the uploader speaks Vietnamese: Streamlit's own English lines are hidden, our line says the limits
        assert english_words(page) == [], visible_text(page)
        assert page.locator('[data-testid="stFileUploaderDropzoneInstructions"]').is_hidden()
        assert page.get_by_text("tối đa 20 MB mỗi tệp").is_visible()
        dropzone = page.locator('[data-testid="stFileUploaderDropzone"]')
        assert dropzone.is_visible() and dropzone.get_attribute("aria-label") == "Tệp số liệu (.xlsx)"

        # a bad file: every error in a table, a marked copy to download, nothing stored
        _choose(page, bad)
        page.get_by_text("Tệp bị từ chối: 2 lỗi").wait_for(timeout=30_000)
        wait_idle(page)
        assert_no_exception(page)
        assert page.locator('[data-testid="stDataFrame"]').first.is_visible()
        assert page.locator('[data-testid="stAlertContainer"]').filter(has_text="Tệp bị từ chối").count() == 1
        page.screenshot(path=str(OUT / "upload-refused.png"), full_page=True)
        assert english_words(page) == [], visible_text(page)  # with a file chosen too
        with page.expect_download() as info:
            page.locator(".st-key-download_annotated").get_by_role(
                "button", name="Tải bản có đánh dấu"
            ).click()
        marked = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))["SoLieu"]
        assert "âm" in marked["H2"].comment.text
        assert "Phòng Giáo dục Trung hoc x" in marked["B3"].comment.text
        assert history(open_engine(url)).empty

        # the example workbook: preview, then stored only when "Lưu số liệu" is pressed
        _clear_uploader(page)
        _choose(page, EXAMPLE)
        page.get_by_text("Xem trước: số liệu sẽ được lưu").wait_for(timeout=30_000)
        wait_idle(page)
        assert_no_exception(page)
        page.get_by_text("Tệp hợp lệ: 13 dòng").wait_for()
        page.screenshot(path=str(OUT / "upload-preview.png"), full_page=True)
        assert history(open_engine(url)).empty

        page.locator(".st-key-save_upload button").click()
        page.get_by_text("Đã lưu lần nhập #1 (so-lieu-mau.xlsx)").wait_for(timeout=30_000)
        wait_idle(page)
        assert_no_exception(page)
        page.screenshot(path=str(OUT / "upload-saved.png"), full_page=True)
        assert page.locator(f'{UPLOADER} [data-testid="stFileChip"]').count() == 0, "the uploader is emptied"
        assert english_words(page) == [], visible_text(page)
        stored = history(open_engine(url))
        assert stored["file_name"].tolist() == ["so-lieu-mau.xlsx"]
        assert len(load_figures(open_engine(url))) == 13

        # the Overview (same session, through the navigation) shows the new figures and names the file
        page.locator('[data-testid="stSidebarNav"]').get_by_text("Tổng quan", exact=True).click()
        wait_idle(page)
        assert_no_exception(page)
        source = page.locator('[data-testid="stCaptionContainer"]').filter(has_text="so-lieu-mau.xlsx")
        source.first.wait_for(timeout=30_000)
        assert "lần nhập #1" in source.first.inner_text()
        page.screenshot(path=str(OUT / "overview-after-upload.png"), full_page=True)
