"""Quản trị: users and the audit trail (``quan_tri`` only; the page checks it itself)."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from data_access.auth import (
    ROLES,
    AuthError,
    add_user,
    list_users,
    read_audit,
    remove_user,
    set_password,
    set_role,
)
from data_access.export import ExportColumn, table_to_csv
from ui.auth import require_page
from ui.fmt import fmt_datetime
from ui.widgets import source

actor = require_page("manage_users")
engine = source().engine
st.title("Quản trị")

ACTIONS = {
    "sign_in": "Đăng nhập", "sign_out": "Đăng xuất", "upload": "Nhập số liệu", "restore": "Khôi phục",
    "external": "Đồng bộ nguồn ngoài",
    "save_targets": "Lưu chỉ tiêu", "user_add": "Thêm tài khoản", "user_remove": "Xóa tài khoản",
    "user_passwd": "Đổi mật khẩu", "user_role": "Đổi vai trò",
}

users_tab, audit_tab = st.tabs(["Tài khoản", "Nhật ký"])
with users_tab:
    notice = st.session_state.pop("_admin_notice", None)
    if notice:  # the change made before the rerun below, so that the table and lists show it
        st.success(notice, icon=":material/check_circle:")
    users = list_users(engine)
    st.dataframe(
        users.assign(role=users["role"].map(ROLES),
                     created_at=users["created_at"].map(lambda d: fmt_datetime(d) if pd.notna(d) else "–"),
                     last_login_at=users["last_login_at"].map(lambda d: fmt_datetime(d) if pd.notna(d) else "–"),
                     locked_until=users["locked_until"].map(lambda d: fmt_datetime(d) if pd.notna(d) else "")),
        hide_index=True, width="stretch", key="users_table",
        column_config={"username": "Tên đăng nhập", "display_name": "Họ tên", "role": "Vai trò",
                       "created_at": "Tạo lúc", "locked_until": "Khóa đến", "last_login_at": "Đăng nhập gần nhất",
                       "failed_attempts": "Số lần sai"},
    )
    with st.form("user_add", clear_on_submit=True):
        st.markdown("**Thêm tài khoản**")
        c1, c2, c3 = st.columns(3)
        username = c1.text_input("Tên đăng nhập", key="new_user")
        password = c2.text_input("Mật khẩu (≥ 8 ký tự)", type="password", key="new_password")
        role = c3.selectbox("Vai trò", list(ROLES), format_func=ROLES.get, key="new_role")
        if st.form_submit_button("Thêm", icon=":material/person_add:"):
            try:
                add_user(engine, actor, username, password, role)
            except AuthError as exc:
                st.error(str(exc))
            else:
                st.session_state["_admin_notice"] = f"Đã thêm tài khoản '{username}'"
                st.rerun()
    if not users.empty:
        with st.form("user_change", clear_on_submit=True):
            st.markdown("**Đổi mật khẩu, vai trò hoặc xóa tài khoản**")
            c1, c2, c3 = st.columns(3)
            who = c1.selectbox("Tài khoản", users["username"].tolist(), key="change_user")
            new_password = c2.text_input("Mật khẩu mới (để trống: không đổi)", type="password", key="change_pw")
            new_role = c3.selectbox("Vai trò", ["", *ROLES], format_func=lambda r: ROLES.get(r, "(không đổi)"),
                                    key="change_role")
            remove = st.checkbox("Xóa tài khoản này", key="change_remove")
            if st.form_submit_button("Thực hiện", icon=":material/manage_accounts:"):
                try:
                    if remove:
                        if who == actor.username:
                            raise AuthError("Không thể tự xóa tài khoản đang đăng nhập")
                        remove_user(engine, actor, who)
                    else:
                        if new_password:
                            set_password(engine, actor, who, new_password)
                        if new_role:
                            set_role(engine, actor, who, new_role)
                except AuthError as exc:
                    st.error(str(exc))
                else:
                    st.session_state["_admin_notice"] = (f"Đã xóa tài khoản '{who}'" if remove
                                                         else f"Đã cập nhật tài khoản '{who}'")
                    st.rerun()

with audit_tab:
    log = read_audit(engine, actor)
    view = pd.DataFrame({
        "at": log["at"].map(fmt_datetime), "username": log["username"],
        "action": log["action"].map(lambda a: ACTIONS.get(a, a)),
        "success": log["success"].map({True: "Thành công", False: "Thất bại"}),
        "detail": log["detail"].map(lambda d: ", ".join(f"{k}: {v}" for k, v in json.loads(d or "{}").items())),
    })
    st.dataframe(view, hide_index=True, width="stretch", key="audit_table",
                 column_config={"at": "Thời gian", "username": "Người thực hiện", "action": "Hành động",
                                "success": "Kết quả", "detail": "Chi tiết"})
    cols = [ExportColumn("at", "Thời gian"), ExportColumn("username", "Người thực hiện"),
            ExportColumn("action", "Hành động"), ExportColumn("success", "Kết quả"), ExportColumn("detail", "Chi tiết")]
    st.download_button("Tải nhật ký (CSV)", data=table_to_csv(view, cols), file_name="nhat-ky.csv",
                       mime="text/csv", icon=":material/download:", key="audit_download")
