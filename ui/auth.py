"""Who is using this browser session: demo mode, password sign-in, or OIDC through ``st.login``.

* No user in the database and no ``[auth]`` in secrets → open demo mode (banner), unless
  ``ALLOW_DEMO_MODE=0`` forbids it: then every address shows how to create the first administrator.
* Users in the database → the sign-in form, then a server-side session (:mod:`data_access.sessions`)
  whose token the browser keeps in the cookie ``dvctt_session``, so that a reload or a bookmark stays
  signed in and gets its filters and what-if scenario back. The session ends after
  ``SESSION_IDLE_MINUTES`` (default 30) without a rerun, on sign-out, and when the user's password or
  role changes. The cookie is written by a few lines of JavaScript (:data:`COOKIE_JS`), read through
  ``st.context.cookies``.
* ``[auth]`` configured → ``st.login``; the role comes from ``[roles]`` in secrets (see
  :func:`data_access.auth.role_from_claims`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import streamlit as st
from sqlalchemy.engine import Engine

from data_access.auth import (
    DEMO_ACTOR,
    ROLES,
    AccountRefused,
    Actor,
    PermissionDenied,
    audit,
    authenticate,
    demo_mode_allowed,
    full_name,
    has_users,
    permit,
    require,
    role_from_claims,
)
from data_access.sessions import end_session, load_state, resume, save_state, start_session, token_hash
from data_access.settings import session_idle_minutes
from data_access.texts import auth as AT
from ui.md import md_escape
from ui.navigation import sign_in_pages
from ui.scenario import restore_scenario, scenario_snapshot
from ui.state import SAVED_KEY, filter_values, stop_page
from ui.texts import frame as T

ACTOR_KEY = "_actor"
TOKEN_KEY = "_session_token"  # this browser session's sign-in session (data_access.sessions)
TRIED_KEY = "_session_cookie_tried"  # the cookie's token already tried by this browser session
KEPT_KEY = "_session_kept"  # the state last saved with the session
WRITTEN_KEY = "_session_cookie_written"  # this browser session wrote a token into the cookie
COOKIE = "dvctt_session"
COOKIE_MAX_AGE = 12 * 3600  # a working day; the server ends an idle session long before
NOTICE_KEY = "_signin_notice"
REFUSED_KEY = "_write_refused"  # a write refused for a stale account: the sign-in form says it once
SIGNED_OUT_KEY = "_signed_out"
#: Why a session ended, as the sign-in form says it (no notice for a sign-out or an unknown token).
ENDED = T.SESSION_ENDED
#: Sets (data.token) or clears (no token) the session cookie. JavaScript cannot make it HttpOnly; see README.
COOKIE_JS = """
export default function ({ data }) {
  const name = "dvctt_session";
  const has = document.cookie.split("; ").find((c) => c.startsWith(name + "="));
  const tail = "; Path=/; SameSite=Strict" + (location.protocol === "https:" ? "; Secure" : "");
  if (data && data.token) {
    if (has !== name + "=" + data.token) document.cookie = name + "=" + data.token + tail + "; Max-Age=" + data.max_age;
  } else if (has) {
    document.cookie = name + "=" + tail + "; Max-Age=0";
  }
}
"""


@functools.cache
def _cookie_component() -> Callable[..., object]:
    """The component that runs :data:`COOKIE_JS` (registered at its first use, inside a script run)."""
    return st.components.v2.component("dvctt_session_cookie", js=COOKIE_JS)


def idle_minutes() -> float:
    """``SESSION_IDLE_MINUTES`` (default 30), read by ``data_access.settings``."""
    return session_idle_minutes()


def _oidc_config() -> dict[str, Any] | None:
    try:
        return dict(st.secrets["auth"]) if "auth" in st.secrets else None
    except Exception:  # no secrets file at all
        return None


def _roles_config() -> dict[str, Any]:
    try:
        return dict(st.secrets["roles"]) if "roles" in st.secrets else {}
    except Exception:
        return {}


def _clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def browser_cookies() -> Mapping[str, str]:
    """The cookies the browser sent when this browser session connected (``st.context.cookies``)."""
    return st.context.cookies


def cookie_token() -> str | None:
    """The session token in the browser's cookie (``None`` without one, and outside a browser)."""
    value = browser_cookies().get(COOKIE)
    return value if isinstance(value, str) and value else None


def current_actor(engine: Engine) -> Actor | None:
    """The actor of this session, or ``None`` when sign-in is required and not done (form shown).

    Signed in, the stored session decides on every rerun (idle time, sign-out elsewhere, a new password
    or role, a removed user); a new browser session with a valid cookie resumes it, filters and what-if
    scenario included."""
    if _oidc_config() is not None:
        return _oidc_actor(engine)
    ss = st.session_state
    if not has_users(engine):
        if not demo_mode_allowed():  # ALLOW_DEMO_MODE=0: the "form" says how to create the first admin
            ss.pop(ACTOR_KEY, None)
            return None
        ss[ACTOR_KEY] = DEMO_ACTOR
        return DEMO_ACTOR
    token: str | None = ss.get(TOKEN_KEY)
    cookie = cookie_token()
    from_cookie = token is None and cookie is not None and cookie != ss.get(TRIED_KEY)
    if from_cookie:
        token = ss[TRIED_KEY] = cookie
    result = resume(engine, token, idle_minutes=idle_minutes(), now=_clock())
    actor = result.actor
    if actor is None:
        if result.reason in ENDED:
            ss[NOTICE_KEY] = ENDED[result.reason]
        ss.pop(ACTOR_KEY, None)
        ss.pop(TOKEN_KEY, None)
        return None
    if from_cookie:  # a reload, a bookmark, a new tab: the session goes on where it was
        ss[TOKEN_KEY] = token
        state = load_state(engine, token)
        ss[SAVED_KEY] = state.get("filters") or {}
        restore_scenario(state.get("whatif"))
        ss[KEPT_KEY] = state
        audit(engine, actor.username, "session_resume", {"role": actor.role})
    ss[ACTOR_KEY] = actor
    return actor


def keep_state(engine: Engine) -> None:
    """Save the filters and the what-if scenario with the signed-in session when they changed."""
    ss = st.session_state
    token = ss.get(TOKEN_KEY)
    if not token:
        return
    state = {"filters": filter_values(), "whatif": scenario_snapshot()}
    if state != ss.get(KEPT_KEY):
        save_state(engine, token, state)
        ss[KEPT_KEY] = state


def session_cookie() -> None:
    """Write this session's token into the browser's cookie, or clear a cookie left from a session ended."""
    ss = st.session_state
    token = ss.get(TOKEN_KEY)
    if token or ss.get(TRIED_KEY) or ss.get(WRITTEN_KEY) or cookie_token():
        ss[WRITTEN_KEY] = bool(token)
        _cookie_component()(key="session_cookie", data={"token": token, "max_age": COOKIE_MAX_AGE}, height=0)


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
    if _oidc_config() is None and not has_users(engine):  # demo mode forbidden (ALLOW_DEMO_MODE=0)
        st.title(AT.DEMO_FORBIDDEN_TITLE)
        st.error(AT.DEMO_FORBIDDEN, icon=":material/block:")
        st.code(AT.DEMO_FORBIDDEN_COMMAND, language="bash")
        return
    st.title(T.SIGN_IN_TITLE)
    st.caption(T.SIGN_IN_CAPTION)
    refused = st.session_state.pop(REFUSED_KEY, None)
    if refused:
        st.error(md_escape(refused), icon=":material/block:")  # it names the account
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.info(notice, icon=":material/schedule:")
    if _oidc_config() is not None:
        if getattr(st.user, "is_logged_in", False):
            st.error(T.OIDC_NO_ROLE, icon=":material/block:")
            st.button(T.SIGN_OUT, on_click=st.logout, key="oidc_logout")
        else:
            st.button(
                T.OIDC_SIGN_IN, on_click=st.login, key="oidc_login", icon=":material/login:", type="primary"
            )
        return
    with st.form("sign_in", border=True, width=480):
        username = st.text_input(T.USERNAME, key="signin_user", autocomplete="username")
        password = st.text_input(
            T.PASSWORD, type="password", key="signin_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button(T.SIGN_IN_BUTTON, type="primary", icon=":material/login:")
    if submitted:
        result = authenticate(engine, username or "", password or "")
        if result.ok and result.actor is not None:
            # a fresh session for whoever signs in: nothing kept from the previous user (filters, uploads,
            # scenarios), and every widget drawn anew from its initial value
            for key in [k for k in st.session_state if k != "_sample_notice"]:
                del st.session_state[key]
            token = st.session_state[TOKEN_KEY] = start_session(engine, result.actor.username)
            st.session_state[TRIED_KEY] = cookie_token()  # an older session's: not tried again
            st.session_state[ACTOR_KEY] = replace(result.actor, session=token_hash(token))
            st.rerun()  # on the page the address names: a deep link lands where it pointed
        else:
            st.error(result.message, icon=":material/lock:")


def sign_in_navigation(engine: Engine) -> None:
    """Signed out: the sign-in form at every page's address (the menu hidden); once signed in, the rerun
    shows the page the address names, so a bookmark or a link lands where it pointed."""
    pages = sign_in_pages(lambda: sign_in_page(engine))
    page = st.navigation(pages, position="hidden")
    if st.session_state.pop(SIGNED_OUT_KEY, False) and page.url_path:
        st.switch_page(pages[0])  # signed out on another page: the form at the Overview's address
    page.run()
    session_cookie()


def sign_out(engine: Engine) -> None:
    """End the session (audited); the filters leave the address, the next run clears the cookie."""
    ss = st.session_state
    actor: Actor | None = ss.pop(ACTOR_KEY, None)
    token = ss.pop(TOKEN_KEY, None)
    if token:
        end_session(engine, token)
    elif actor is not None:
        audit(engine, actor.username, "sign_out", {"reason": "user"})
    st.query_params.clear()
    ss[SIGNED_OUT_KEY] = True  # the next run goes to the Overview: the next person starts there
    if actor is not None and actor.via == "oidc":
        st.logout()


def user_box(engine: Engine, actor: Actor) -> None:
    """Who is signed in, and the sign-out button (sidebar)."""
    with st.sidebar:
        if actor.via == "demo":
            return
        shown = (full_name(engine, actor.username) if actor.via == "web" else None) or actor.username
        st.caption(
            f":material/person: {md_escape(shown)} · {ROLES.get(actor.role, actor.role)}",
            help=T.USER_HELP.format(username=md_escape(actor.username)) if shown != actor.username else None,
        )
        st.button(T.SIGN_OUT, key="sign_out", on_click=sign_out, args=(engine,), icon=":material/logout:")


def note_refusal(exc: BaseException) -> None:
    """Keep a write's refusal for a stale account (:class:`AccountRefused`) for the sign-in form that the
    next run shows (the refusal ended the session): the form says what was refused, once."""
    if isinstance(exc, AccountRefused) and exc.reason != "permission":
        st.session_state[REFUSED_KEY] = str(exc)


def require_page(action: str) -> Actor:
    """Stop the page unless the session's actor may do ``action`` (checked on the page itself too); a
    refusal is audited (``denied``, with the page)."""
    actor: Actor | None = st.session_state.get(ACTOR_KEY)
    source = st.session_state.get("_source")
    try:
        if source is None:  # the page run on its own (no frame): nothing to audit into
            return require(actor, action)
        return permit(source.engine, actor, action, page=st.context.url or "")
    except PermissionDenied as exc:
        st.error(T.PAGE_REFUSED.format(reason=exc), icon=":material/block:")
        stop_page()
