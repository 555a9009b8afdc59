"""Layout in Debian's chromium: card titles whole, tables within their frame, cards in plan order on a
phone, no English table toolbar. One server for the module."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kpi.targets import load_targets
from tests.browser import assert_no_exception, browser_page, require_chromium, streamlit_server, wait_idle
from tests.helpers import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PHONE_AGENT = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/126.0 Mobile Safari/537.36")
#: Every element whose text is clipped (wider inside than its box) among the card titles and change lines.
CLIPPED_JS = """() => [...document.querySelectorAll('.kpi-label, .kpi-change')]
  .filter(e => e.scrollWidth > e.clientWidth || e.textContent.trim().endsWith('…')).map(e => e.textContent)"""
#: Per table: [scroll width, client width] of its grid's scroller.
GRIDS_JS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].map(e => {
  const s = e.querySelector('.dvn-scroller'); return s ? [s.scrollWidth, s.clientWidth] : null; })"""


@pytest.fixture(scope="module")
def base(sample_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("layout") / "sample.db"
    shutil.copyfile(sample_db_template, db)
    require_chromium()
    with streamlit_server(f"sqlite:///{db}", env={"SAMPLE_DATA": "0"}) as url:
        yield url


def _open(page: object, url: str) -> None:
    page.goto(url)  # type: ignore[attr-defined]
    wait_idle(page, 60_000)
    page.locator(".kpi-card").first.wait_for()  # type: ignore[attr-defined]
    assert_no_exception(page)


def test_laptop_cards_whole_attention_table_within_its_frame_no_english_toolbar(base: str) -> None:
    with browser_page(require_chromium()) as page:
        _open(page, base)
        assert page.locator(".kpi-card").count() == 8  # type: ignore[attr-defined]
        assert page.evaluate(CLIPPED_JS) == []  # type: ignore[attr-defined]
        plan = load_targets(ROOT / "targets.toml")
        first = page.locator('.kpi-card[data-kpi="online_payment"] .kpi-label')  # type: ignore[attr-defined]
        assert first.get_attribute("title").startswith(plan.kpis["online_payment"].label)  # full label on hover
        grid = page.locator('[data-testid="stDataFrame"]').first  # type: ignore[attr-defined]  # "Cần chú ý"
        grid.wait_for()
        page.wait_for_timeout(500)  # type: ignore[attr-defined]
        scroll, client = page.evaluate(GRIDS_JS)[0]  # type: ignore[attr-defined]
        assert scroll <= client, "the attention table is wider than its frame"
        grid.hover()
        page.wait_for_timeout(300)  # type: ignore[attr-defined]
        toolbar = page.locator('[data-testid="stElementToolbar"]')  # type: ignore[attr-defined]
        assert all(not t.is_visible() for t in toolbar.all())
        for word in ("Download", "Search", "Fullscreen"):
            assert page.get_by_label(word).filter(visible=True).count() == 0, word  # type: ignore[attr-defined]
            assert page.get_by_title(word).filter(visible=True).count() == 0, word  # type: ignore[attr-defined]


def test_phone_cards_in_plan_order_and_sidebar_collapsed(base: str) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_FLAGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=require_chromium(), headless=True, args=CHROMIUM_FLAGS)
        page = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", user_agent=PHONE_AGENT,
                                   is_mobile=True, has_touch=True).new_page()
        try:
            _open(page, base)
            order = [k for k in load_targets(ROOT / "targets.toml").kpis]
            cards = page.evaluate("""() => [...document.querySelectorAll('.kpi-card')]
              .map(e => [e.dataset.kpi, e.getBoundingClientRect().top, e.getBoundingClientRect().width])""")
            assert [k for k, _, _ in cards] == order
            tops = [top for _, top, _ in cards]
            assert tops == sorted(tops) and len(set(tops)) == len(tops), "one card per row, in plan order"
            assert all(width <= 390 for _, _, width in cards)
            assert page.evaluate(CLIPPED_JS) == []
            box = page.locator('[data-testid="stSidebar"]').bounding_box()
            assert box is None or box["x"] + box["width"] <= 1, "the sidebar covers the page on a phone"
        finally:
            browser.close()
