"""Sign-in and roles tried as a new user would, in Debian's chromium: the first administrator from the
command line, then everything else in the browser — users added on the admin page, an upload by the
office, a director without the upload page, and the audit trail that records it all."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from data_access.auth import list_users
from data_access.store import history, open_engine
from tests.browser import assert_no_exception, browser_page, require_chromium, streamlit_server, wait_idle
from tests.helpers import EXAMPLES, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
OUT = ROOT / "test-output"
EXAMPLE = EXAMPLES / "so-lieu-mau.xlsx"
ADMIN = ("admin", "quan-tri-bi-mat-1")
OFFICE = ("vanthu", "van-phong-bi-mat-2")
DIRECTOR = ("giamdoc", "giam-doc-bi-mat-3")
NAV = '[data-testid="stSidebarNav"]'


def heading(page: object, text: str) -> object:
    return page.get_by_role("heading", name=text, exact=True)  # type: ignore[attr-defined]


def sign_in(page: object, user: tuple[str, str], *, lands_on: str = "Tổng quan") -> None:
    heading(page, "Đăng nhập").wait_for()
    page.locator(".st-key-signin_user input").fill(user[0])  # type: ignore[attr-defined]
    page.locator(".st-key-signin_password input").fill(user[1])  # type: ignore[attr-defined]
    page.locator('[data-testid="stFormSubmitButton"] button').click()  # type: ignore[attr-defined]
    heading(page, lands_on).wait_for(timeout=30_000)
    wait_idle(page)
    assert_no_exception(page)
    assert page.locator(".st-key-sign_out").get_by_text(user[0]).count() == 0  # type: ignore[attr-defined]
    assert user[0] in page.locator('[data-testid="stSidebar"]').inner_text()  # type: ignore[attr-defined]
    # the session cookie is set by the sign-in component's JavaScript after this rerun (later on a
    # loaded machine): a test that opens another address next must not race it
    for _ in range(75):
        if any(c["name"] == "dvctt_session" for c in page.context.cookies()):  # type: ignore[attr-defined]
            break
        page.wait_for_timeout(200)  # type: ignore[attr-defined]


def sign_out(page: object) -> None:
    page.locator(".st-key-sign_out button").click()  # type: ignore[attr-defined]
    heading(page, "Đăng nhập").wait_for(timeout=30_000)
    wait_idle(page)


def go(page: object, title: str) -> None:
    page.locator(NAV).get_by_text(title, exact=True).click()  # type: ignore[attr-defined]
    heading(page, title).wait_for(timeout=30_000)
    wait_idle(page)
    assert_no_exception(page)


def nav_titles(page: object) -> list[str]:
    links = page.locator(f'{NAV} [data-testid="stSidebarNavLink"]').all_inner_texts()  # type: ignore[attr-defined]
    return [t.strip().splitlines()[-1] for t in links]  # without the icon's ligature


def add_user_on_admin_page(page: object, user: tuple[str, str], role_label: str) -> None:
    page.locator(".st-key-new_user input").fill(user[0])  # type: ignore[attr-defined]
    page.locator(".st-key-new_password input").fill(user[1])  # type: ignore[attr-defined]
    page.locator(".st-key-new_role").click()  # type: ignore[attr-defined]
    page.get_by_role("option", name=role_label, exact=True).click()  # type: ignore[attr-defined]
    page.locator('[data-testid="stFormSubmitButton"]').filter(has_text="Thêm").locator("button").click()  # type: ignore[attr-defined]
    page.get_by_text(f"Đã thêm tài khoản '{user[0]}'").wait_for(timeout=30_000)  # type: ignore[attr-defined]
    wait_idle(page)
    assert_no_exception(page)


def create_admin_with_cli(url: str) -> None:
    env = {**os.environ, "BCRYPT_ROUNDS": "4"}
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "data_access",
            "users",
            "add",
            ADMIN[0],
            "--role",
            "quan_tri",
            "--password-stdin",
            "--db",
            url,
        ],
        input=ADMIN[1] + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert ADMIN[1] not in out.stdout + out.stderr


def test_roles_as_a_new_user_tries_them(sample_db_url: str) -> None:
    chromium = require_chromium()
    OUT.mkdir(exist_ok=True)
    url = sample_db_url  # a private copy of the sample data
    create_admin_with_cli(url)
    with (
        streamlit_server(url, env={"SAMPLE_DATA": "0", "BCRYPT_ROUNDS": "4"}) as base,
        browser_page(chromium, height=1400) as page,
    ):
        page.goto(base)
        wait_idle(page, 60_000)
        # users exist: the sign-in form and nothing else
        heading(page, "Đăng nhập").wait_for()
        assert page.locator(".kpi-card").count() == 0
        assert page.locator(NAV).count() == 0
        assert page.get_by_text("Chế độ dùng thử").count() == 0
        page.screenshot(path=str(OUT / "roles-sign-in.png"), full_page=True)
        page.locator(".st-key-signin_user input").fill(ADMIN[0])
        page.locator(".st-key-signin_password input").fill("sai-mat-khau")
        page.locator('[data-testid="stFormSubmitButton"] button').click()
        page.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng").wait_for(timeout=30_000)
        wait_idle(page)

        # the administrator adds an office user and a director on the admin page
        sign_in(page, ADMIN)
        assert nav_titles(page) == [
            "Tổng quan",
            "Khoảng cách",
            "Xu hướng",
            "Thủ tục hành chính",
            "Điểm đánh giá",
            "Giả định chỉ tiêu",
            "Nhập số liệu",
            "Quản trị",
        ]
        go(page, "Quản trị")
        add_user_on_admin_page(page, OFFICE, "Văn phòng Sở")
        add_user_on_admin_page(page, DIRECTOR, "Lãnh đạo (Ban Giám đốc)")
        page.screenshot(path=str(OUT / "roles-admin-users.png"), full_page=True)
        users = list_users(open_engine(url))
        assert dict(zip(users["username"], users["role"], strict=True)) == {
            ADMIN[0]: "quan_tri",
            OFFICE[0]: "van_phong",
            DIRECTOR[0]: "lanh_dao",
        }
        sign_out(page)

        # the office uploads the example workbook
        sign_in(page, OFFICE)
        assert nav_titles(page) == [
            "Tổng quan",
            "Khoảng cách",
            "Xu hướng",
            "Thủ tục hành chính",
            "Điểm đánh giá",
            "Giả định chỉ tiêu",
            "Nhập số liệu",
        ]
        go(page, "Nhập số liệu")
        page.locator('.st-key-upload_files input[type="file"]').set_input_files(str(EXAMPLE))
        page.locator(".st-key-save_upload button").wait_for(timeout=30_000)
        wait_idle(page)
        page.locator(".st-key-save_upload button").click()
        page.get_by_text("Đã lưu lần nhập").wait_for(timeout=30_000)
        wait_idle(page)
        assert_no_exception(page)
        page.screenshot(path=str(OUT / "roles-upload-saved.png"), full_page=True)
        last = history(open_engine(url)).iloc[0]
        assert (last["file_name"], last["user"]) == (EXAMPLE.name, OFFICE[0])
        sign_out(page)

        # the director: the dashboard pages, no upload page, no admin page
        sign_in(page, DIRECTOR)
        assert nav_titles(page) == [
            "Tổng quan",
            "Khoảng cách",
            "Xu hướng",
            "Thủ tục hành chính",
            "Điểm đánh giá",
            "Giả định chỉ tiêu",
        ]
        assert page.locator(NAV).get_by_text("Nhập số liệu").count() == 0
        assert page.locator('.kpi-card[data-kpi="online_full"]').count() == 1
        page.screenshot(path=str(OUT / "roles-director.png"), full_page=True)
        # the upload page's address typed in: a new browser session, still signed in (the session cookie),
        # told in Vietnamese that the page is not for this account, never Streamlit's "Page not found"
        page.goto(f"{base}/nhap-so-lieu")
        wait_idle(page, 60_000)
        assert page.locator('[data-testid="stDialog"]').count() == 0
        heading(page, "Không có quyền truy cập").wait_for()
        assert page.locator(".st-key-upload_files").count() == 0
        assert page.get_by_role("heading", name="Nhập số liệu").count() == 0
        assert page.locator(NAV).get_by_text("Nhập số liệu").count() == 0
        page.screenshot(path=str(OUT / "roles-director-deep-link.png"), full_page=True)
        sign_out(page)

        # the administrator reads the audit trail: sign-ins, users added, the upload
        sign_in(page, ADMIN)
        # a sign-in starts afresh: the filters show the latest month, not what the widgets held before
        assert page.locator(".st-key-f_period input").input_value() == "Tháng 12/2024"
        go(page, "Quản trị")
        assert page.locator(".st-key-f_period").count() == 0, "no filters where they change nothing"
        page.get_by_role("tab", name="Nhật ký").click()
        page.locator(".st-key-audit_download button").wait_for()
        wait_idle(page)
        page.screenshot(path=str(OUT / "roles-audit.png"), full_page=True)
        with page.expect_download() as info:
            page.locator(".st-key-audit_download button").click()
        text = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    seen = [(r["Người thực hiện"], r["Hành động"], r["Kết quả"]) for r in rows][::-1]  # oldest first
    who_did = {(who, action) for who, action, ok in seen if ok == "Thành công"}
    assert next(who for who, action, _ok in seen if action == "Thêm tài khoản") == "cli"  # the first admin
    assert (ADMIN[0], "Đăng nhập", "Thất bại") in seen
    for user in (ADMIN, OFFICE, DIRECTOR):
        assert (user[0], "Đăng nhập") in who_did and (user[0], "Đăng xuất") in who_did
    added = [
        r["Chi tiết"] for r in rows if r["Hành động"] == "Thêm tài khoản" and r["Người thực hiện"] == ADMIN[0]
    ]
    assert sorted(added) == sorted(
        [
            f"tài khoản: {OFFICE[0]}, vai trò: Văn phòng Sở, qua: trang web",
            f"tài khoản: {DIRECTOR[0]}, vai trò: Lãnh đạo (Ban Giám đốc), qua: trang web",
        ]
    )
    uploads = [r for r in rows if r["Hành động"] == "Nhập số liệu" and r["Người thực hiện"] != "dữ liệu mẫu"]
    assert len(uploads) == 1 and uploads[0]["Người thực hiện"] == OFFICE[0]
    assert EXAMPLE.name in uploads[0]["Chi tiết"]
    assert not any(pw in text for pw in (ADMIN[1], OFFICE[1], DIRECTOR[1], "sai-mat-khau"))
