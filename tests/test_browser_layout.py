"""Layout in Debian's chromium: card titles whole, tables within their frame (Tổng quan, Giả định chỉ tiêu),
cards in plan order on a phone, no English table toolbar nor English on the what-if page. One server for
the module; screenshots of the what-if page in ``test-output/``."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kpi.targets import load_targets
from tests.browser import assert_no_exception, browser_page, require_chromium, streamlit_server, wait_idle
from tests.helpers import ROOT
from tests.test_browser_every_page import VISIBLE_TEXT_JS, english

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PHONE_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)
#: Every element whose text is clipped (wider inside than its box) among the card titles and change lines.
CLIPPED_JS = """() => [...document.querySelectorAll('.kpi-label, .kpi-change')]
  .filter(e => e.scrollWidth > e.clientWidth || e.textContent.trim().endsWith('…')).map(e => e.textContent)"""
#: Per table: [scroll width, client width] of its grid's scroller.
#: Every table drawn (one inside a closed expander is not drawn until it is opened): its widths.
GRIDS_JS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
  .filter(e => !e.closest('details:not([open])')).map(e => {
  const s = e.querySelector('.dvn-scroller'); return s ? [s.scrollWidth, s.clientWidth] : null; })"""


@pytest.fixture(scope="module")
def base(sample_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("layout") / "sample.db"
    shutil.copyfile(sample_db_template, db)
    require_chromium()
    with streamlit_server(f"sqlite:///{db}", env={"SAMPLE_DATA": "0"}) as url:
        yield url


@contextmanager
def phone_page(chromium: str) -> Iterator[object]:
    """A page of a 390×844 phone (its User-Agent says so: the app then shows fewer columns)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_FLAGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield browser.new_context(
                viewport={"width": 390, "height": 844},
                locale="vi-VN",
                user_agent=PHONE_AGENT,
                is_mobile=True,
                has_touch=True,
            ).new_page()
        finally:
            browser.close()


def _grids_fit(page: object) -> None:
    """Every table on the page (scrolled into view, so drawn) is no wider than its frame."""
    for grid in page.locator('[data-testid="stDataFrame"]').all():  # type: ignore[attr-defined]
        grid.scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # type: ignore[attr-defined]
    grids = page.evaluate(GRIDS_JS)  # type: ignore[attr-defined]
    assert grids and all(g is not None and g[0] <= g[1] for g in grids), f"wider than the frame: {grids}"


def _open(page: object, url: str) -> None:
    page.goto(url)  # type: ignore[attr-defined]
    wait_idle(page, 60_000)
    page.locator(".kpi-card").first.wait_for()  # type: ignore[attr-defined]
    assert_no_exception(page)


def test_laptop_cards_whole_attention_table_within_its_frame_no_english_toolbar(base: str) -> None:
    with browser_page(require_chromium()) as page:
        _open(page, base)
        plan = load_targets(ROOT / "targets.toml")
        cards = page.locator(".kpi-card").count()  # type: ignore[attr-defined]
        assert cards == len(plan.kpis) + len(plan.procedure_kpis)  # dossier KPIs, then procedure KPIs
        assert page.evaluate(CLIPPED_JS) == []  # type: ignore[attr-defined]
        first = page.locator('.kpi-card[data-kpi="online_payment"] .kpi-label')  # type: ignore[attr-defined]
        assert first.get_attribute("title").startswith(
            plan.kpis["online_payment"].label
        )  # full label on hover
        grid = page.locator('[data-testid="stDataFrame"]').first  # type: ignore[attr-defined]  # "Cần chú ý"
        grid.wait_for()
        _grids_fit(page)
        grid.hover()
        page.wait_for_timeout(300)  # type: ignore[attr-defined]
        toolbar = page.locator('[data-testid="stElementToolbar"]')  # type: ignore[attr-defined]
        assert all(not t.is_visible() for t in toolbar.all())
        for word in ("Download", "Search", "Fullscreen"):
            assert page.get_by_label(word).filter(visible=True).count() == 0, word  # type: ignore[attr-defined]
            assert page.get_by_title(word).filter(visible=True).count() == 0, word  # type: ignore[attr-defined]


def test_phone_cards_in_plan_order_and_sidebar_collapsed(base: str) -> None:
    with phone_page(require_chromium()) as page:
        _open(page, base)
        plan = load_targets(ROOT / "targets.toml")
        order = [*plan.kpis, *plan.procedure_kpis]  # the dossier KPIs' cards, then the procedure KPIs'
        cards = page.evaluate("""() => [...document.querySelectorAll('.kpi-card')]
          .map(e => [e.dataset.kpi, e.getBoundingClientRect().top, e.getBoundingClientRect().width])""")
        assert [k for k, _, _ in cards] == order
        tops = [top for _, top, _ in cards]
        assert tops == sorted(tops) and len(set(tops)) == len(tops), "one card per row, in plan order"
        assert all(width <= 390 for _, _, width in cards)
        assert page.evaluate(CLIPPED_JS) == []
        box = page.locator('[data-testid="stSidebar"]').bounding_box()
        assert box is None or box["x"] + box["width"] <= 1, "the sidebar covers the page on a phone"
        _grids_fit(page)


@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_whatif_tables_fit_their_frame_and_the_page_speaks_vietnamese(base: str, size: str) -> None:
    chromium = require_chromium()
    out = ROOT / "test-output"
    out.mkdir(exist_ok=True)
    with browser_page(chromium) if size == "laptop" else phone_page(chromium) as page:
        _open(page, base)  # first the app itself (see tests/test_browser_whatif.py)
        page.goto(f"{base}/gia-dinh")  # type: ignore[attr-defined]
        wait_idle(page, 60_000)
        box = page.locator(".st-key-target_online_full input")  # type: ignore[attr-defined]
        box.fill("75")
        box.press("Enter")
        wait_idle(page)
        assert_no_exception(page)
        _grids_fit(page)  # both tables, with "plan → scenario" cells
        page.get_by_text("Chỉ tiêu riêng cho đơn vị").click()  # type: ignore[attr-defined]  # its text too
        wait_idle(page)
        text = page.evaluate(VISIBLE_TEXT_JS)  # type: ignore[attr-defined]
        assert "75,0 %" in text and english(text) == [], english(text)
        width = 1400 if size == "laptop" else 390
        page.set_viewport_size({"width": width, "height": 3200 if size == "laptop" else 5200})  # type: ignore[attr-defined]
        page.wait_for_timeout(800)  # type: ignore[attr-defined]
        page.screenshot(path=str(out / f"whatif-{width}.png"), full_page=True)  # type: ignore[attr-defined]
