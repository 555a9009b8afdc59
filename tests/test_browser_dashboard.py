"""Browser tests: the real app in Debian's chromium, driven by Playwright (never `playwright install`)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from data_access.store import load_figures, open_engine
from kpi.engine import kpi_table
from kpi.targets import load_targets
from tests.browser import assert_no_exception, browser_page, require_chromium, streamlit_server, wait_idle
from tests.helpers import ROOT
from vnfmt import fmt_pct

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
OUT = ROOT / "test-output"


def _expected(url: str, period: str) -> dict[str, str]:
    plan = load_targets(ROOT / "targets.toml")
    table = kpi_table(load_figures(open_engine(url)), plan, period=period)
    return {r.kpi: fmt_pct(r.value) for r in table.itertuples()}


def test_directors_pages_in_a_real_browser(sample_db_url: str, tmp_path: Path) -> None:
    chromium = require_chromium()
    OUT.mkdir(exist_ok=True)
    expected = _expected(sample_db_url, "2024-12")
    with streamlit_server(sample_db_url, env={"SAMPLE_DATA": "0"}) as base, browser_page(chromium) as page:
        page.goto(base)
        wait_idle(page, 60_000)
        assert_no_exception(page)
        # every KPI card shows the engine's value for the latest month
        for kpi, value in expected.items():
            card = page.locator(f'.kpi-card[data-kpi="{kpi}"]')
            assert card.count() == 1, kpi
            assert value in card.locator(".kpi-value").inner_text(), kpi
        page.screenshot(path=str(OUT / "overview.png"), full_page=True)

        # switch month in the sidebar: the cards follow
        page.locator(".st-key-f_period").click()
        page.get_by_role("option", name="Tháng 6/2024").click()
        wait_idle(page)
        june = _expected(sample_db_url, "2024-06")
        card = page.locator('.kpi-card[data-kpi="online_full"] .kpi-value')
        assert june["online_full"] in card.inner_text()

        # every page opens from the navigation without an exception
        for title, shot in (
            ("Khoảng cách", "gaps"),
            ("Xu hướng", "trends"),
            ("Giả định chỉ tiêu", "whatif"),
            ("Nhập số liệu", "upload"),
            ("Tổng quan", "overview-june"),
        ):
            page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
            wait_idle(page)
            assert_no_exception(page)
            page.screenshot(path=str(OUT / f"{shot}.png"), full_page=True)
            if title == "Khoảng cách":
                # the month chosen on the Overview is kept
                assert "Tháng 6/2024" in page.locator('[data-testid="stCaptionContainer"]').first.inner_text()
                with page.expect_download() as info:
                    page.locator(".st-key-gap_download button").click()
                data = Path(info.value.path()).read_bytes()
                ws = openpyxl.load_workbook(io.BytesIO(data)).active
                head = int(ws.auto_filter.ref.split(":")[0][1:])  # the header row, below the title block
                headers = [c.value for c in ws[head]]
                assert headers[:3] == ["Đơn vị", "Tử số (hồ sơ)", "Mẫu số (hồ sơ)"]
                assert ws.cell(row=head + 1, column=4).number_format == "0.0%"
