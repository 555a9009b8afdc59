"""Who is using this browser session: demo mode, password sign-in, or OIDC through ``st.login``.

* No user in the database and no ``[auth]`` in secrets → open demo mode (banner).
* Users in the database → the sign-in form; the session ends after ``SESSION_IDLE_MINUTES``
  (default 30) without a rerun.
* ``[auth]`` configured → ``st.login``; the role comes from ``[roles]`` in secrets (see
  :func:`data_access.auth.role_from_claims`).
"""

from __future__ import annotations

import time

import streamlit as st
from sqlalchemy.engine import Engine

from data_access.auth import (
    DEMO_ACTOR,
    ROLES,
    Actor,
    PermissionDenied,
    audit,
    authenticate,
    has_users,
    require,
    role_from_claims,
    user_role,
)
from data_access.settings import session_idle_minutes
from ui.state import stop_page

ACTOR_KEY = "_actor"
SEEN_KEY = "_actor_seen"


def idle_minutes() -> float:
    """``SESSION_IDLE_MINUTES`` (default 30), read by ``data_access.settings``."""
    return session_idle_minutes()


def _oidc_config() -> dict | None:
    try:
        return dict(st.secrets["auth"]) if "auth" in st.secrets else None
    except Exception:  # no secrets file at all
        return None


def _roles_config() -> dict:
    try:
        return dict(st.secrets["roles"]) if "roles" in st.secrets else {}
    except Exception:
        return {}


def current_actor(engine: Engine) -> Actor | None:
    """The actor of this session, or ``None`` when sign-in is required and not done (form shown)."""
    if _oidc_config() is not None:
        return _oidc_actor(engine)
    if not has_users(engine):
        st.session_state[ACTOR_KEY] = DEMO_ACTOR
        return DEMO_ACTOR
    actor: Actor | None = st.session_state.get(ACTOR_KEY)
    if actor is not None and actor.via == "demo":
        actor = None  # users were created since: demo mode is over
    now = time.monotonic()
    if actor is not None:
        seen = st.session_state.get(SEEN_KEY, now)
        if now - seen > idle_minutes() * 60:
            audit(engine, actor.username, "sign_out", {"reason": "idle"})
            st.session_state.pop(ACTOR_KEY, None)
            st.session_state["_signin_notice"] = "Phiên làm việc đã hết hạn do không hoạt động. Vui lòng đăng nhập lại."
            actor = None
    if actor is not None and actor.via == "web":
        # the stored account decides on every rerun: a removed user is signed out, a new role applies at once
        role = user_role(engine, actor.username)
        if role is None:
            audit(engine, actor.username, "sign_out", {"reason": "removed"})
            st.session_state["_signin_notice"] = "Tài khoản của bạn không còn hiệu lực. Liên hệ quản trị."
            actor = None
        elif role != actor.role:
            actor = Actor(actor.username, role, actor.via)
            st.session_state[ACTOR_KEY] = actor
    if actor is not None:
        st.session_state[SEEN_KEY] = now
        return actor
    st.session_state.pop(ACTOR_KEY, None)
    return None


def _oidc_actor(engine: Engine) -> Actor | None:
    user = st.user
    if not getattr(user, "is_logged_in", False):
        return None
    claims = user.to_dict() if hasattr(user, "to_dict") else dict(user)
    role = role_from_claims(claims, _roles_config())
    name = str(claims.get("email") or claims.get("sub") or "oidc")
    if role is None:
        return Actor(name, "", "oidc")  # signed in but without a role: sees nothing
    if st.session_state.get(ACTOR_KEY) is None:
        audit(engine, name, "sign_in", {"via": "oidc", "role": role})
    actor = Actor(name, role, "oidc")
    st.session_state[ACTOR_KEY] = actor
    return actor


def sign_in_page(engine: Engine) -> None:
    """The sign-in form (password, or the OIDC button when configured)."""
    st.title("Đăng nhập")
    st.caption("Bảng điều khiển dịch vụ công trực tuyến – Sở Giáo dục và Đào tạo")
    notice = st.session_state.pop("_signin_notice", None)
    if notice:
        st.info(notice, icon=":material/schedule:")
    if _oidc_config() is not None:
        if getattr(st.user, "is_logged_in", False):
            st.error("Tài khoản của bạn chưa được cấp quyền xem bảng điều khiển. Liên hệ quản trị.",
                     icon=":material/block:")
            st.button("Đăng xuất", on_click=st.logout, key="oidc_logout")
        else:
            st.button("Đăng nhập bằng tài khoản cơ quan", on_click=st.login, key="oidc_login",
                      icon=":material/login:", type="primary")
        return
    with st.form("sign_in", border=True):
        username = st.text_input("Tên đăng nhập", key="signin_user", autocomplete="username")
        password = st.text_input("Mật khẩu", type="password", key="signin_password", autocomplete="current-password")
        submitted = st.form_submit_button("Đăng nhập", type="primary", icon=":material/login:")
    if submitted:
        result = authenticate(engine, username or "", password or "")
        if result.ok and result.actor is not None:
            # a fresh session for whoever signs in: nothing kept from the previous user (filters, uploads,
            # scenarios), and every widget drawn anew from its initial value
            for key in [k for k in st.session_state if k != "_sample_notice"]:
                del st.session_state[key]
            st.session_state[ACTOR_KEY] = result.actor
            st.session_state[SEEN_KEY] = time.monotonic()
            st.rerun()
        else:
            st.error(result.message, icon=":material/lock:")


def sign_out(engine: Engine) -> None:
    actor: Actor | None = st.session_state.pop(ACTOR_KEY, None)
    if actor is not None:
        audit(engine, actor.username, "sign_out", {"reason": "user"})
    if actor is not None and actor.via == "oidc":
        st.logout()


def user_box(engine: Engine, actor: Actor) -> None:
    """Who is signed in, and the sign-out button (sidebar)."""
    with st.sidebar:
        if actor.via == "demo":
            return
        st.caption(f":material/person: {actor.username} · {ROLES.get(actor.role, actor.role)}")
        st.button("Đăng xuất", key="sign_out", on_click=sign_out, args=(engine,), icon=":material/logout:")


def require_page(action: str) -> Actor:
    """Stop the page unless the session's actor may do ``action`` (checked on the page itself too)."""
    actor: Actor | None = st.session_state.get(ACTOR_KEY)
    try:
        return require(actor, action)
    except PermissionDenied as exc:
        st.error(f"{exc}. Trang này không dành cho tài khoản của bạn.", icon=":material/block:")
        stop_page()
