"""The sign-in that survives a reload, in Debian's chromium: a deep link signed out lands on its page after
sign-in, a reload keeps the page, the filters and the what-if scenario, /tong-quan is the Overview, and
sign-out, a role change, a password change (command line) and the idle timeout end the session."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from urllib.parse import parse_qs, urlparse

import pytest
import sqlalchemy as sa

from data_access.auth import add_user, cli_actor, set_role
from data_access.schema import web_session
from data_access.store import open_engine
from tests.browser import assert_no_exception, browser_page, require_chromium, streamlit_server, wait_idle
from tests.helpers import ROOT
from tests.test_browser_roles import NAV, heading, sign_in, sign_out
from vnfmt import fmt_month

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
OUT = ROOT / "test-output"
DIRECTOR = ("giamdoc", "giam-doc-bi-mat-3")
GAPS = "Khoảng cách theo đơn vị và lĩnh vực"
UNIT = "Thanh tra Sở"


def no_dialog(page: object) -> None:
    """No Streamlit dialog ("Page not found") over the page."""
    assert page.locator('[data-testid="stDialog"], [role="dialog"]').count() == 0  # type: ignore[attr-defined]


def reload(page: object) -> None:
    page.reload()  # type: ignore[attr-defined]
    wait_idle(page, 60_000)
    assert_no_exception(page)
    no_dialog(page)


def open_at(page: object, url: str) -> None:
    page.goto(url)  # type: ignore[attr-defined]
    wait_idle(page, 60_000)
    assert_no_exception(page)
    no_dialog(page)


def the_cookie(page: object) -> dict | None:
    jar = page.context.cookies()  # type: ignore[attr-defined]
    return next((c for c in jar if c["name"] == "dvctt_session"), None)


def signed_in(page: object) -> bool:
    return page.locator(".st-key-sign_out").count() == 1  # type: ignore[attr-defined]


def params(page: object) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)  # type: ignore[attr-defined]


def test_a_reload_and_a_deep_link_keep_the_sign_in(
    sample_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    chromium = require_chromium()
    OUT.mkdir(exist_ok=True)
    url = sample_db_url
    monkeypatch.setenv("BCRYPT_ROUNDS", "4")
    engine = open_engine(url)
    add_user(engine, cli_actor(), DIRECTOR[0], DIRECTOR[1], "lanh_dao")
    env = {"SAMPLE_DATA": "0", "BCRYPT_ROUNDS": "4"}
    with streamlit_server(url, env=env) as base, browser_page(chromium) as page:
        open_at(page, base)
        # a bookmarked page with filters, signed out: the sign-in form at that address, no English dialog
        open_at(page, f"{base}/khoang-cach?thang=2024-06&don_vi={UNIT}")
        heading(page, "Đăng nhập").wait_for()
        assert page.locator(NAV).count() == 0
        assert urlparse(page.url).path == "/khoang-cach"
        page.screenshot(path=str(OUT / "session-sign-in-1400.png"), full_page=True)
        sign_in(page, DIRECTOR, lands_on=GAPS)
        assert urlparse(page.url).path == "/khoang-cach"
        assert page.locator(".st-key-f_period input").input_value() == fmt_month("2024-06")
        assert page.locator(".st-key-f_unit input").input_value() == UNIT
        cookie = the_cookie(page)  # sign_in waited for it
        assert cookie is not None and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
        assert not cookie["secure"], "plain http here; the JavaScript adds Secure behind https"

        # a filter changed in the sidebar goes into the address; a reload keeps page, filters, sign-in
        page.locator(".st-key-f_kind").get_by_text("Lũy kế", exact=True).click()
        wait_idle(page)
        # the old link's ``thang`` is written again as ``ky``
        assert params(page) == {"ky": ["2024-06"], "pham_vi": ["ytd"], "don_vi": [UNIT]}
        reload(page)
        heading(page, GAPS).wait_for()
        assert signed_in(page)
        assert page.locator(".st-key-f_period input").input_value() == f"Lũy kế đến {fmt_month('2024-06')}"
        assert page.locator(".st-key-f_unit input").input_value() == UNIT
        assert params(page)["pham_vi"] == ["ytd"]

        # the what-if scenario survives a reload too (kept with the session, not in the address)
        page.locator(NAV).get_by_text("Giả định chỉ tiêu", exact=True).click()
        wait_idle(page)
        box = page.locator(".st-key-target_online_full input")
        box.fill("75")
        box.press("Enter")
        wait_idle(page)
        reload(page)
        assert signed_in(page)
        assert page.locator(".st-key-target_online_full input").input_value() in ("75,0", "75")

        # the Overview's own address; a page this role may not open says so in Vietnamese
        open_at(page, f"{base}/tong-quan")
        heading(page, "Tổng quan").wait_for()
        assert signed_in(page)
        open_at(page, f"{base}/quan-tri")
        heading(page, "Không có quyền truy cập").wait_for()
        assert "không dành cho tài khoản của bạn" in page.inner_text("body")
        assert page.locator(".st-key-new_user").count() == 0

        # sign-out ends it: a reload shows the form, the cookie is gone
        open_at(page, f"{base}/khoang-cach")
        sign_out(page)
        assert urlparse(page.url).path == "/" and not params(page)
        reload(page)
        heading(page, "Đăng nhập").wait_for()
        assert the_cookie(page) is None

        # a role changed by the administrator ends it at the next reload
        sign_in(page, DIRECTOR)
        set_role(engine, cli_actor(), DIRECTOR[0], "van_phong")
        reload(page)
        heading(page, "Đăng nhập").wait_for()
        assert "Vai trò của tài khoản đã thay đổi" in page.inner_text("body")

        # so does the idle timeout (the session's last activity moved back past SESSION_IDLE_MINUTES)
        sign_in(page, DIRECTOR)
        assert page.locator(NAV).get_by_text("Nhập số liệu").count() == 1, "the new role"
        with engine.begin() as conn:
            conn.execute(
                web_session.update()
                .where(web_session.c.ended_at.is_(None))
                .values(last_seen=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31))
            )
        reload(page)
        heading(page, "Đăng nhập").wait_for()
        assert "Phiên làm việc đã hết hạn do không hoạt động" in page.inner_text("body")

        # and a new password set with the command line
        sign_in(page, DIRECTOR)
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "data_access",
                "users",
                "passwd",
                DIRECTOR[0],
                "--password-stdin",
                "--db",
                url,
            ],
            input="mat-khau-moi-4\n",
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "BCRYPT_ROUNDS": "4"},
            timeout=120,
        )
        assert out.returncode == 0, out.stderr
        reload(page)
        heading(page, "Đăng nhập").wait_for()
        assert "Mật khẩu của tài khoản đã được đổi" in page.inner_text("body")
    with engine.connect() as conn:
        assert (
            conn.execute(
                sa.select(sa.func.count()).select_from(web_session).where(web_session.c.ended_at.is_(None))
            ).scalar_one()
            == 0
        )


def test_the_sign_in_form_on_a_phone(sample_db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    chromium = require_chromium()
    OUT.mkdir(exist_ok=True)
    monkeypatch.setenv("BCRYPT_ROUNDS", "4")
    add_user(open_engine(sample_db_url), cli_actor(), DIRECTOR[0], DIRECTOR[1], "lanh_dao")
    with (
        streamlit_server(sample_db_url, env={"SAMPLE_DATA": "0", "BCRYPT_ROUNDS": "4"}) as base,
        browser_page(chromium, width=390, height=844) as page,
    ):
        open_at(page, base)
        open_at(page, f"{base}/xu-huong")
        heading(page, "Đăng nhập").wait_for()
        form = page.locator('[data-testid="stForm"]').bounding_box()
        assert form is not None and form["x"] >= 0 and form["x"] + form["width"] <= 390
        page.screenshot(path=str(OUT / "session-sign-in-390.png"), full_page=True)
        page.locator(".st-key-signin_user input").fill(DIRECTOR[0])
        page.locator(".st-key-signin_password input").fill(DIRECTOR[1])
        page.locator('[data-testid="stFormSubmitButton"] button').click()
        heading(page, "Xu hướng").wait_for(timeout=30_000)  # the page the link named
        wait_idle(page)
        reload(page)
        heading(page, "Xu hướng").wait_for()
        assert urlparse(page.url).path == "/xu-huong"
        assert page.get_by_role("heading", name="Đăng nhập").count() == 0
