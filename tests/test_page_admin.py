"""Quản trị in the whole app (AppTest): users with their full name ("Họ tên"), the audit trail in
Vietnamese words, and the sidebar naming the signed-in person. Moved here from ``test_roles.py``."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from data_access.auth import add_user, authenticate, cli_actor, list_users
from data_access.store import open_engine
from tests.test_roles import EXAMPLE, PASSWORD, USERS, XLSX, sign_in, start, table_with, texts
from ui.admin_view import detail_text


@pytest.fixture
def accounts(sample_db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The sample data with one user of each role; failed sign-ins do not sleep."""
    monkeypatch.setitem(authenticate.__kwdefaults__, "sleep", lambda _s: None)
    engine = open_engine(sample_db_url)
    for name, role in USERS.items():
        add_user(engine, cli_actor(), name, PASSWORD, role)
    return sample_db_url


def test_admin_page_users_and_audit_trail(accounts: str, app_env: pytest.MonkeyPatch) -> None:
    at = sign_in(start(accounts, app_env), "qt")
    # an upload through the upload page, audited under the signed-in user
    at.switch_page("pages/upload.py").run()
    at.file_uploader(key="upload_files").set_value([(EXAMPLE.name, EXAMPLE.read_bytes(), XLSX)]).run()
    at.button(key="save_upload").click().run()
    assert not at.exception, at.exception
    assert "Đã lưu" in texts(at.success), texts(at.success)
    # a user added through the admin form, with a full name
    at.switch_page("pages/admin.py").run()
    users = table_with(at, "Họ tên")
    assert set(users["Tên đăng nhập"]) == set(USERS)
    assert "password_hash" not in users.columns and not users.isna().any().any(), "no None in empty cells"
    at.text_input(key="new_user").input("vp2")
    at.text_input(key="new_full_name").input("Trần Thị Lan")
    at.text_input(key="new_password").input("mat-khau-moi-2")
    at.selectbox(key="new_role").set_value("van_phong")
    at.button(key="FormSubmitter:user_add-Thêm").click().run()
    assert not at.exception, at.exception
    assert "Đã thêm tài khoản 'vp2'" in texts(at.success)
    users = table_with(at, "Họ tên")
    assert users.loc[users["Tên đăng nhập"] == "vp2", "Họ tên"].tolist() == ["Trần Thị Lan"], "shown at once"
    assert list_users(open_engine(accounts)).set_index("username").loc["vp2", "full_name"] == "Trần Thị Lan"
    assert "vp2" in at.selectbox(key="change_user").options
    # change the new user's role, then remove the account
    at.selectbox(key="change_user").set_value("vp2")
    at.selectbox(key="change_role").set_value("lanh_dao")
    at.button(key="FormSubmitter:user_change-Thực hiện").click().run()
    assert "Đã cập nhật tài khoản 'vp2'" in texts(at.success)
    users = table_with(at, "Họ tên")
    assert users.loc[users["Tên đăng nhập"] == "vp2", "Vai trò"].tolist() == ["Lãnh đạo (Ban Giám đốc)"]
    at.selectbox(key="change_user").set_value("qt")
    at.checkbox(key="change_remove").check()
    at.button(key="FormSubmitter:user_change-Thực hiện").click().run()
    assert "Không thể tự xóa tài khoản đang đăng nhập" in texts(at.error)
    at.selectbox(key="change_user").set_value("vp2")
    at.checkbox(key="change_remove").check()
    at.button(key="FormSubmitter:user_change-Thực hiện").click().run()
    assert "Đã xóa tài khoản 'vp2'" in texts(at.success)
    assert "vp2" not in set(table_with(at, "Họ tên")["Tên đăng nhập"])
    assert "vp2" not in at.selectbox(key="change_user").options
    # a password too short: refused with its reason, nothing added
    at.text_input(key="new_user").input("ngan")
    at.text_input(key="new_password").input("123")
    at.button(key="FormSubmitter:user_add-Thêm").click().run()
    assert "ít nhất 8" in texts(at.error)
    log = table_with(at, "Hành động")
    actions = log["Hành động"].tolist()
    assert actions[:5] == ["Xóa tài khoản", "Đổi vai trò", "Thêm tài khoản", "Nhập số liệu", "Đăng nhập"], (
        actions
    )
    assert actions.count("Thêm tài khoản") == 4  # three by the command line, one on the page
    assert (log["Người thực hiện"] == "qt").sum() == 5
    upload_detail = log["Chi tiết"][log["Hành động"] == "Nhập số liệu"].iloc[0]
    assert "tệp: so-lieu-mau.xlsx" in upload_detail
    assert log["Chi tiết"].iloc[2] == "tài khoản: vp2, vai trò: Văn phòng Sở, qua: trang web"
    assert log["Chi tiết"].iloc[1] == (
        "tài khoản: vp2, trước: Văn phòng Sở, sau: Lãnh đạo (Ban Giám đốc), qua: trang web"
    )
    assert not log["Chi tiết"].str.contains("mat-khau").any(), "no password in the audit"
    assert not log["Chi tiết"].str.contains("via|role|user:|bad_password").any(), "no raw keys or values"
    assert at.get("download_button"), "the audit trail can be downloaded"


@pytest.mark.parametrize(
    ("detail", "shown"),
    [
        ({"reason": "bad_password", "failed": 2}, "lý do: sai mật khẩu, số lần sai liên tiếp: 2"),
        ({"role": "quan_tri"}, "vai trò: Quản trị"),
        ({"reason": "idle"}, "lý do: hết thời gian không hoạt động"),
        (
            {"upload_id": 30, "from_upload": 12, "period": "2024-06", "unit": "Thanh tra Sở", "via": "cli"},
            "lần nhập: #30, từ lần nhập: #12, tháng: 06/2024, đơn vị: Thanh tra Sở, qua: dòng lệnh",
        ),
        ({"user": "admin", "role": "lanh_dao"}, "tài khoản: admin, vai trò: Lãnh đạo (Ban Giám đốc)"),
        ({"months": ["2024-05", "2024-06"]}, "tháng: 2024-05, 2024-06"),
        ({"new_key": "some_value"}, "new_key: some_value"),  # unknown keys and values as they are
    ],
)
def test_audit_details_in_vietnamese(detail: dict, shown: str) -> None:
    assert detail_text(json.dumps(detail)) == shown


def test_audit_detail_that_is_not_json() -> None:
    assert detail_text("not json") == "not json" and detail_text(None) == ""


def test_sidebar_names_the_signed_in_person(accounts: str, app_env: pytest.MonkeyPatch) -> None:
    engine = open_engine(accounts)
    add_user(engine, cli_actor(), "lan", PASSWORD, "lanh_dao", full_name="Trần Thị Lan")
    at = sign_in(start(accounts, app_env), "lan")
    sidebar = " | ".join(c.value for c in at.sidebar.caption)
    assert "Trần Thị Lan · Lãnh đạo (Ban Giám đốc)" in sidebar
    other: AppTest = sign_in(start(accounts, app_env), "gd")  # no full name: the user name
    assert "gd · Lãnh đạo (Ban Giám đốc)" in " | ".join(c.value for c in other.sidebar.caption)
