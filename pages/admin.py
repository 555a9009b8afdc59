"""Quản trị: users and the audit trail (``quan_tri`` only; the page checks it itself)."""

from __future__ import annotations

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
from ui.admin_view import AUDIT_COLUMNS, USER_COLUMNS, audit_view, users_view
from ui.auth import require_page
from ui.office_tables import draw
from ui.widgets import source

actor = require_page("manage_users")
engine = source().engine
st.title("Quản trị")

users_tab, audit_tab = st.tabs(["Tài khoản", "Nhật ký"])
with users_tab:
    notice = st.session_state.pop("_admin_notice", None)
    if notice:  # the change made before the rerun below, so that the table and lists show it
        st.success(notice, icon=":material/check_circle:")
    users = list_users(engine)
    draw(users_view(users), USER_COLUMNS, key="users_table")
    with st.form("user_add", clear_on_submit=True):
        st.markdown("**Thêm tài khoản**")
        c1, c2, c3, c4 = st.columns(4)
        username = c1.text_input("Tên đăng nhập", key="new_user")
        name = c2.text_input("Họ tên", key="new_full_name", placeholder="vd. Nguyễn Thị Lan")
        password = c3.text_input("Mật khẩu (≥ 8 ký tự)", type="password", key="new_password")
        role = c4.selectbox("Vai trò", list(ROLES), format_func=ROLES.get, key="new_role")
        if st.form_submit_button("Thêm", icon=":material/person_add:"):
            try:
                add_user(engine, actor, username, password, role, full_name=name)
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
    view = audit_view(read_audit(engine, actor))
    draw(view, AUDIT_COLUMNS, key="audit_table", wrap=True)
    cols = [ExportColumn(c.key, c.key) for c in AUDIT_COLUMNS]
    st.download_button("Tải nhật ký (CSV)", data=table_to_csv(view, cols), file_name="nhat-ky.csv",
                       mime="text/csv", icon=":material/download:", key="audit_download")
