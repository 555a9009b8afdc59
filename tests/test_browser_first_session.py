"""The first browser session after the server starts may open any page by its address, without
Streamlit's English "Page not found" dialog (serve.py switches off the legacy pages/ mode)."""

from __future__ import annotations

import pytest

from tests.browser import assert_no_exception, browser_page, require_chromium, streamlit_server, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_deep_link_in_the_first_session_has_no_dialog(sample_db_url: str) -> None:
    chromium = require_chromium()
    with streamlit_server(sample_db_url, env={"SAMPLE_DATA": "0"}) as base, browser_page(chromium) as page:
        page.goto(f"{base}/khoang-cach")  # the very first session of this process
        wait_idle(page, 60_000)
        assert_no_exception(page)
        assert page.locator('[role="dialog"]').count() == 0
        assert page.get_by_text("Page not found").count() == 0
        page.get_by_role("heading", name="Khoảng cách theo đơn vị và lĩnh vực", exact=True).wait_for()
