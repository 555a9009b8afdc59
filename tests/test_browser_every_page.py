"""Every role, on an empty and on a full database, opens every page of its navigation in Debian's
chromium: no exception, no dialog, no English word a user reads, no cut card title, no table wider than
its frame at 1400 px; the Overview and Khoảng cách the same at 390 px (issue 13's "done when")."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from data_access.auth import Actor, add_user, cli_actor
from data_access.store import close_engines, open_engine
from tests.browser import assert_no_exception, browser_page, require_chromium, streamlit_server, wait_idle
from tests.test_browser_roles import NAV, sign_in
from ui.navigation import entries_for

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
USERS = {
    "quan_tri": ("quantri", "quan-tri-bi-mat-1"),
    "van_phong": ("vanthu", "van-phong-bi-mat-2"),
    "lanh_dao": ("giamdoc", "giam-doc-bi-mat-3"),
}
#: The page's own title (the sidebar's headings are not the page's).
TITLE = '[data-testid="stMain"] h1'
PHONE_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)
#: English a user might meet: Streamlit's own widget texts, raw values, our own untranslated words.
ENGLISH = re.compile(
    r"\b(upload|browse|drag and drop|files?|limit \d+|per file|remove|download( as)?|search|fullscreen|"
    r"none|nan|nat|null|true|false|page not found|error|warning|loading|running|sign (in|out)|password|"
    r"user(name)?|role|reason|status|target|value|month|year|units?|field|period|shortfall|gap|select|"
    r"choose|options|no results|clear all|show|hide|close)\b",
    re.I,
)
#: The text of the app a user sees: text nodes in drawn elements, icon ligatures left out.
VISIBLE_TEXT_JS = """() => {
  const root = document.querySelector('[data-testid="stApp"]');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const out = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('[translate="no"], [aria-hidden="true"], style, script') || !n.textContent.trim()) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1 || !el.checkVisibility({visibilityProperty: true})) continue;
    out.push(n.textContent.trim());
  }
  return out.join('\\n');
}"""
CLIPPED_JS = """() => [...document.querySelectorAll('.kpi-label, .kpi-change')]
  .filter(e => e.scrollWidth > e.clientWidth + 1 || e.textContent.trim().endsWith('…')).map(e => e.textContent)"""
WIDE_TABLES_JS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].map(e => {
  const s = e.querySelector('.dvn-scroller'); return s && s.scrollWidth > s.clientWidth + 1 ? e.innerText.slice(0, 60) : null;
}).filter(x => x)"""


def english(text: str) -> list[str]:
    """English words in ``text``, file names (``….xlsx``) and the product's own codes left out."""
    return [m.group(0) for m in ENGLISH.finditer(re.sub(r"\S+\.(?:xlsx|pdf|toml)\b", "", text))]


def test_the_english_detector_finds_streamlit_words_and_spares_vietnamese() -> None:
    assert english("Browse files\nDrag and drop files here\nNone") == [
        "Browse",
        "files",
        "Drag and drop",
        "files",
        "None",
    ]
    assert english("Tổng quan\nHồ sơ trực tuyến toàn trình 90,5 %\nTải Excel\nmau-so-lieu.xlsx") == []


def _users(url: str) -> None:
    engine = open_engine(url)
    admin: Actor = cli_actor()
    for role, (name, password) in USERS.items():
        add_user(engine, admin, name, password, role)
    close_engines()


@pytest.fixture(scope="module", params=["empty", "full"])
def server(
    request: pytest.FixtureRequest, sample_db_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    db = tmp_path_factory.mktemp(f"every-{request.param}") / "app.db"
    if request.param == "full":
        shutil.copyfile(sample_db_template, db)
    url = f"sqlite:///{db}"
    _users(url)
    require_chromium()
    with streamlit_server(url, env={"SAMPLE_DATA": "0", "BCRYPT_ROUNDS": "4"}) as base:
        yield base, request.param


def _check_page(page: object, *, where: str) -> None:
    wait_idle(page, 60_000)
    assert_no_exception(page)
    assert page.locator('[role="dialog"]').count() == 0, where  # type: ignore[attr-defined]
    page.wait_for_timeout(400)  # type: ignore[attr-defined]  # the grids measure their columns
    text = page.evaluate(VISIBLE_TEXT_JS)  # type: ignore[attr-defined]
    heading = page.locator(TITLE).first.inner_text().strip()  # type: ignore[attr-defined]
    assert heading and heading in text, f"{where}: the visible text was not read"
    words = english(text)
    assert words == [], f"{where}: English on the page: {words}"
    assert page.evaluate(CLIPPED_JS) == [], f"{where}: a card title or change line is cut"  # type: ignore[attr-defined]
    assert page.evaluate(WIDE_TABLES_JS) == [], f"{where}: a table is wider than its frame"  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", list(USERS))
def test_every_page_of_every_role_on_a_laptop(server: tuple[str, str], role: str) -> None:
    base, kind = server
    with browser_page(require_chromium()) as page:
        page.goto(base)  # type: ignore[attr-defined]
        wait_idle(page, 60_000)
        sign_in(page, USERS[role])
        for entry in entries_for(Actor(USERS[role][0], role, "password")):
            # through the menu, as a person moves (the addresses themselves: tests/test_browser_session.py)
            page.locator(NAV).get_by_text(entry.title, exact=True).click()  # type: ignore[attr-defined]
            path = "" if entry.default else entry.url_path  # the default page is served at /
            page.wait_for_url(re.compile(rf"/{path}(\\?.*)?$"), timeout=30_000)  # type: ignore[attr-defined]
            _check_page(page, where=f"{kind} database, {role}, /{entry.url_path}")


def test_overview_and_gaps_on_a_phone(server: tuple[str, str]) -> None:
    base, kind = server
    with browser_page(require_chromium(), width=390, height=844) as page:
        page.context.set_extra_http_headers({"User-Agent": PHONE_AGENT})  # type: ignore[attr-defined]
        page.goto(base)  # type: ignore[attr-defined]
        wait_idle(page, 60_000)
        sign_in(page, USERS["lanh_dao"])
        for path in ("tong-quan", "khoang-cach"):
            page.goto(f"{base}/{path}")  # type: ignore[attr-defined]
            page.locator(TITLE).first.wait_for(timeout=30_000)  # type: ignore[attr-defined]
            _check_page(page, where=f"{kind} database, phone, /{path}")
