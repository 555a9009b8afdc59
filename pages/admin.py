"""Quản trị: users and the audit trail (``quan_tri`` only; the page checks it itself)."""

from __future__ import annotations

import streamlit as st

from data_access.audit import audit_csv
from data_access.auth import (
    ROLES,
    AuthError,
    PermissionDenied,
    add_user,
    list_users,
    read_audit,
    remove_user,
    set_password,
    set_role,
)
from ui.admin_view import AUDIT_COLUMNS, USER_COLUMNS, audit_view, users_view
from ui.auth import require_page
from ui.md import md_escape
from ui.office_tables import draw
from ui.texts.office import ADMIN as A
from ui.widgets import source

actor = require_page("manage_users")
engine = source().engine
st.title(A["title"])

users_tab, audit_tab = st.tabs([A["users_tab"], A["audit_tab"]])
with users_tab:
    notice = st.session_state.pop("_admin_notice", None)
    if notice:  # the change made before the rerun below, so that the table and lists show it
        st.success(notice, icon=":material/check_circle:")
    users = list_users(engine)
    draw(users_view(users), USER_COLUMNS, key="users_table")
    with st.form("user_add", clear_on_submit=True):
        st.markdown(f"**{A['add_title']}**")
        c1, c2, c3, c4 = st.columns(4)
        username = c1.text_input(A["username"], key="new_user")
        name = c2.text_input(A["full_name"], key="new_full_name", placeholder=A["full_name_placeholder"])
        password = c3.text_input(A["password"], type="password", key="new_password")
        role = c4.selectbox(A["role"], list(ROLES), format_func=lambda r: ROLES[r], key="new_role")
        if st.form_submit_button(A["add"], icon=":material/person_add:"):
            try:
                add_user(engine, actor, username, password, role, full_name=name)
            except (AuthError, PermissionDenied) as exc:
                st.error(md_escape(exc))
            else:
                st.session_state["_admin_notice"] = A["added"].format(username=md_escape(username))
                st.rerun()
    if not users.empty:
        with st.form("user_change", clear_on_submit=True):
            st.markdown(f"**{A['change_title']}**")
            c1, c2, c3 = st.columns(3)
            who = c1.selectbox(A["account"], users["username"].tolist(), key="change_user")
            new_password = c2.text_input(A["new_password"], type="password", key="change_pw")
            new_role = c3.selectbox(
                A["role"],
                ["", *ROLES],
                format_func=lambda r: ROLES.get(r, A["role_unchanged"]),
                key="change_role",
            )
            remove = st.checkbox(A["remove"], key="change_remove")
            if st.form_submit_button(A["apply"], icon=":material/manage_accounts:"):
                try:
                    if remove:
                        if who == actor.username:
                            raise AuthError(A["self_remove"])
                        remove_user(engine, actor, who)
                    else:
                        if new_password:
                            set_password(engine, actor, who, new_password)
                        if new_role:
                            set_role(engine, actor, who, new_role)
                except (AuthError, PermissionDenied) as exc:
                    st.error(md_escape(exc))
                else:
                    st.session_state["_admin_notice"] = A["removed" if remove else "updated"].format(
                        username=md_escape(who)
                    )
                    st.rerun()

with audit_tab:
    view = audit_view(read_audit(engine, actor))
    draw(view, AUDIT_COLUMNS, key="audit_table", wrap=True)
    st.download_button(
        A["audit_download"],
        data=audit_csv(view),  # every cell quoted, formulas neutralised after every separator
        file_name="nhat-ky.csv",
        mime="text/csv",
        icon=":material/download:",
        key="audit_download",
    )
