"""Server-side sign-in sessions (data_access.sessions) on SQLite and PostgreSQL, with hand-made times; and the
app's resume path (ui.auth.current_actor) fed a cookie, since AppTest has no browser cookies."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

import data_access.sessions
import ui.auth
from data_access.auth import Actor, add_user, cli_actor, read_audit, remove_user, set_password, set_role
from data_access.schema import web_session
from data_access.sessions import (
    end_session,
    end_sessions_of,
    load_state,
    resume,
    resume_session,
    save_state,
    start_session,
    token_hash,
)
from data_access.store import dump, open_engine
from tests.helpers import app_test

T0 = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
IDLE = 30.0
PASSWORD = "mat-khau-dai-1"


@pytest.fixture
def users(engine: sa.Engine) -> sa.Engine:
    for name, role in {"gd": "lanh_dao", "vp": "van_phong"}.items():
        add_user(engine, cli_actor(), name, PASSWORD, role)
    return engine


def _at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def _row(engine: sa.Engine, token: str) -> sa.Row:
    with engine.connect() as conn:
        return conn.execute(sa.select(web_session).where(web_session.c.token_hash == token_hash(token))).one()


def _sign_outs(engine: sa.Engine) -> list[tuple[str, str]]:
    log = read_audit(engine, cli_actor())
    rows = log[log["action"] == "sign_out"]
    return [(u, json.loads(d)["reason"]) for u, d in zip(rows["username"], rows["detail"], strict=True)]


def test_a_session_resumes_until_idle_exactly_at_the_boundary(users: sa.Engine) -> None:
    token = start_session(users, "gd", now=T0)
    assert resume_session(users, token, idle_minutes=IDLE, now=_at(IDLE)) == Actor("gd", "lanh_dao", "web")
    # the resume at the boundary refreshed last_seen: idle is counted from there
    assert resume_session(users, token, idle_minutes=IDLE, now=_at(2 * IDLE)) is not None
    late = _at(3 * IDLE) + dt.timedelta(microseconds=1)
    assert resume(users, token, idle_minutes=IDLE, now=late) == data_access.sessions.Resumed(None, "idle")
    assert resume_session(users, token, idle_minutes=IDLE, now=late) is None, "ended: no second chance"
    row = _row(users, token)
    assert (row.end_reason, row.ended_at is not None) == ("idle", True)
    assert _sign_outs(users) == [("gd", "idle")]


def test_last_seen_is_written_at_most_once_a_minute(users: sa.Engine) -> None:
    token = start_session(users, "gd", now=T0)
    resume_session(users, token, idle_minutes=IDLE, now=_at(0.5))
    assert _row(users, token).last_seen.replace(tzinfo=dt.UTC) == T0
    resume_session(users, token, idle_minutes=IDLE, now=_at(1))
    assert _row(users, token).last_seen.replace(tzinfo=dt.UTC) == _at(1)


def test_sign_out_ends_the_session(users: sa.Engine) -> None:
    token = start_session(users, "gd", now=T0)
    other = start_session(users, "gd", now=T0)  # another browser of the same user
    assert end_session(users, token, now=_at(1))
    assert not end_session(users, token), "already ended"
    assert resume(users, token, idle_minutes=IDLE, now=_at(2)).reason == "user"
    assert resume_session(users, other, idle_minutes=IDLE, now=_at(2)) is not None, "the other browser stays"
    assert _sign_outs(users) == [("gd", "user")]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda e: set_role(e, cli_actor(), "vp", "lanh_dao"), "role"),
        (lambda e: set_password(e, cli_actor(), "vp", "mat-khau-moi-2"), "password"),
        (lambda e: remove_user(e, cli_actor(), "vp"), "removed"),
        (lambda e: end_sessions_of(e, "vp", reason="ended"), "ended"),
    ],
)
def test_account_changes_end_every_session_of_the_user(users: sa.Engine, change: object, reason: str) -> None:
    tokens = [start_session(users, "vp", now=T0) for _ in range(2)]
    director = start_session(users, "gd", now=T0)
    change(users)  # type: ignore[operator]
    for token in tokens:
        assert resume(users, token, idle_minutes=IDLE, now=_at(1)) == data_access.sessions.Resumed(
            None, reason
        )
    assert resume_session(users, director, idle_minutes=IDLE, now=_at(1)) is not None, "other users stay"
    assert _sign_outs(users) == [("vp", reason)]


def test_setting_the_same_role_keeps_the_session(users: sa.Engine) -> None:
    token = start_session(users, "vp", now=T0)
    set_role(users, cli_actor(), "vp", "van_phong")
    assert resume_session(users, token, idle_minutes=IDLE, now=_at(1)) == Actor("vp", "van_phong", "web")


def test_a_role_changed_behind_the_apps_back_ends_the_session(users: sa.Engine) -> None:
    """Even a role changed in the database directly (not through set_role) ends the session."""
    token = start_session(users, "vp", now=T0)
    with users.begin() as conn:
        conn.execute(sa.text("UPDATE app_user SET role = 'quan_tri' WHERE username = 'vp'"))
    assert resume(users, token, idle_minutes=IDLE, now=_at(1)).reason == "role"


def test_unknown_tokens_and_no_token(users: sa.Engine) -> None:
    assert resume(users, None, idle_minutes=IDLE).reason == "unknown"
    assert resume(users, "", idle_minutes=IDLE).reason == "unknown"
    assert resume(users, "not-a-token", idle_minutes=IDLE).reason == "unknown"
    with pytest.raises(ValueError):
        start_session(users, "nobody")


def test_the_token_is_stored_hashed_only(users: sa.Engine) -> None:
    token = start_session(users, "gd", now=T0)
    save_state(users, token, {"filters": {"thang": "2024-06"}})
    assert len(token) >= 43, "32 random bytes"
    text = repr(dump(users))
    assert token not in text and token_hash(token) in text
    assert start_session(users, "gd") != token


def test_state_is_kept_with_the_open_session(users: sa.Engine) -> None:
    token = start_session(users, "gd", now=T0)
    assert load_state(users, token) == {}
    state = {
        "filters": {"thang": "2024-06", "don_vi": "Thanh tra Sở"},
        "whatif": {
            "targets": {"online_full": 0.9},
            "units": [["online_full", "Thanh tra Sở", 0.5]],
            "apply": True,
        },
    }
    save_state(users, token, state)
    assert load_state(users, token) == state
    end_session(users, token)
    save_state(users, token, {"filters": {}})  # an ended session keeps what it had
    assert load_state(users, token) == state
    assert load_state(users, None) == {} and load_state(users, "unknown") == {}
    with users.begin() as conn:
        conn.execute(web_session.update().values(state="not json"))
    assert load_state(users, token) == {}


# ---------------------------------------------------------------------------- the app's resume path


def _cookie(app_env: pytest.MonkeyPatch, token: str | None) -> None:
    """What ``st.context.cookies`` would hold in a browser that has the session cookie."""
    app_env.setattr(ui.auth, "browser_cookies", lambda: {ui.auth.COOKIE: token} if token else {})


def test_a_new_browser_session_with_the_cookie_resumes_filters_and_scenario(
    sample_db_url: str, app_env: pytest.MonkeyPatch
) -> None:
    engine = open_engine(sample_db_url)
    add_user(engine, cli_actor(), "gd", PASSWORD, "lanh_dao")
    token = start_session(engine, "gd")
    save_state(
        engine,
        token,
        {
            "filters": {"thang": "2024-06", "pham_vi": "ytd", "don_vi": "Thanh tra Sở"},
            "whatif": {"targets": {"online_full": 0.95}, "units": [], "apply": True},
        },
    )
    _cookie(app_env, token)
    at = app_test(sample_db_url, app_env)
    at.run()  # a reload: a new browser session, the same cookie
    assert not at.exception, at.exception
    assert at.session_state["_actor"] == Actor("gd", "lanh_dao", "web")
    assert [t.value for t in at.title] == ["Tổng quan"]
    ss = at.session_state
    # saved before the quarters came (``thang``): resumed all the same, and written again with ``ky``
    assert (ss["f_period"], ss["f_kind"], ss["f_unit"]) == ("2024-06", "ytd", "Thanh tra Sở")
    assert (ss["whatif_targets"], ss["whatif_apply_on"]) == ({"online_full": 0.95}, True)
    assert at.query_params == {"ky": "2024-06", "pham_vi": "ytd", "don_vi": "Thanh tra Sở"}
    log = read_audit(engine, cli_actor())
    assert (log["username"][0], log["action"][0]) == ("gd", "session_resume")
    # a filter changed: kept with the session for the next reload
    at.sidebar.selectbox(key="f_unit").set_value("__all__").run()
    assert load_state(engine, token)["filters"] == {"ky": "2024-06", "pham_vi": "ytd"}
    # a quarter is kept the same way
    at.sidebar.segmented_control(key="f_kind").set_value("quarter").run()
    assert load_state(engine, token)["filters"] == {"ky": "2024-Q2"}


def test_the_address_wins_over_the_session_and_bad_values_are_ignored(
    sample_db_url: str, app_env: pytest.MonkeyPatch
) -> None:
    engine = open_engine(sample_db_url)
    add_user(engine, cli_actor(), "gd", PASSWORD, "lanh_dao")
    token = start_session(engine, "gd")
    save_state(engine, token, {"filters": {"thang": "2024-06", "don_vi": "Thanh tra Sở"}})
    _cookie(app_env, token)
    at = app_test(sample_db_url, app_env)
    at.query_params = {"thang": "2024-03", "pham_vi": "bogus", "don_vi": "Phòng không có"}
    at.run()
    ss = at.session_state
    # the month from the address; the unknown unit and mode are ignored, not the session's
    assert (ss["f_period"], ss["f_kind"], ss["f_unit"]) == ("2024-03", "month", "Thanh tra Sở")


@pytest.mark.parametrize("reason", ["idle", "ended"])
def test_a_cookie_of_an_ended_session_shows_the_form(
    reason: str, sample_db_url: str, app_env: pytest.MonkeyPatch
) -> None:
    engine = open_engine(sample_db_url)
    add_user(engine, cli_actor(), "gd", PASSWORD, "lanh_dao")
    token = start_session(engine, "gd", now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
    if reason == "ended":
        end_session(engine, token)
    _cookie(app_env, token)
    at = app_test(sample_db_url, app_env)
    at.run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Đăng nhập"] and "_actor" not in at.session_state
    assert ("Phiên làm việc đã hết hạn" in " ".join(i.value for i in at.info)) == (reason == "idle")


def test_a_deep_link_signed_out_lands_on_its_page_after_sign_in(
    sample_db_url: str, app_env: pytest.MonkeyPatch
) -> None:
    engine = open_engine(sample_db_url)
    add_user(engine, cli_actor(), "gd", PASSWORD, "lanh_dao")
    _cookie(app_env, None)
    at = app_test(sample_db_url, app_env)
    at.run()
    gaps = next(h for h, i in at._registered_pages.items() if i["url_pathname"] == "khoang-cach")
    at._page_hash = gaps  # /khoang-cach typed in
    at.run()
    assert [t.value for t in at.title] == ["Đăng nhập"], "the form at the page's own address"
    at.text_input(key="signin_user").input("gd")
    at.text_input(key="signin_password").input(PASSWORD)
    at.button(key="FormSubmitter:sign_in-Đăng nhập").click().run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Khoảng cách theo đơn vị và lĩnh vực"]
    assert at.session_state["_session_token"]
    # a page the role may not open: said in Vietnamese, never Streamlit's "Page not found"
    at._page_hash = next(h for h, i in at._registered_pages.items() if i["url_pathname"] == "quan-tri")
    at.run()
    assert [t.value for t in at.title] == ["Không có quyền truy cập"]
    assert "không dành cho tài khoản của bạn" in at.error[0].value
    # and the Overview's own address is the Overview
    at._page_hash = next(h for h, i in at._registered_pages.items() if i["url_pathname"] == "tong-quan")
    at.run()
    assert [t.value for t in at.title] == ["Tổng quan"]
