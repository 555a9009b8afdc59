"""Sign-in and roles in the whole app (AppTest on a copy of the sample data): demo mode, the sign-in
form, lockout, the pages of each role, pages and write functions that refuse without the role,
sign-out, the idle timeout, accounts removed or changed while signed in, and OIDC claims to roles."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

import data_access.sessions
from data_access.auth import (
    DEMO_ACTOR,
    PERMISSIONS,
    ROLES,
    Actor,
    PermissionDenied,
    add_user,
    authenticate,
    cli_actor,
    read_audit,
    remove_user,
    role_from_claims,
    set_password,
    set_role,
)
from data_access.bootstrap import sample_files
from data_access.store import commit_import, dump, import_files, open_engine, prepare_import, restore
from tests.helpers import EXAMPLES, ROOT, app_test, card_values, run_app
from ui.navigation import PAGES as REGISTRY
from ui.navigation import entries_for

EXAMPLE = EXAMPLES / "so-lieu-mau.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PASSWORD = "mat-khau-dai-1"
#: The pages each role finds in the navigation, from the app's own registry (a new page is tested by itself).
ROLE_PAGES = {role: {Path(p.file).name for p in entries_for(Actor("x", role))} for role in ROLES}
ALL_PAGES = {Path(p.file).name for p in REGISTRY}
DASHBOARD = {"overview.py", "gaps.py", "trends.py", "whatif.py"}
USERS = {"gd": "lanh_dao", "vp": "van_phong", "qt": "quan_tri"}


# ---------------------------------------------------------------------------- helpers


@pytest.fixture
def no_sleep() -> None:
    """Failed sign-ins sleep 0.25 … 2 s in the app; not in these tests."""
    defaults = authenticate.__kwdefaults__
    saved = defaults["sleep"]
    defaults["sleep"] = lambda _s: None
    yield
    defaults["sleep"] = saved


@pytest.fixture
def users_url(sample_db_url: str, no_sleep: None) -> str:
    """The sample data with one user of each role (created as the command line does)."""
    engine = open_engine(sample_db_url)
    for name, role in USERS.items():
        add_user(engine, cli_actor(), name, PASSWORD, role)
    return sample_db_url


start = run_app


def nav_pages(at: AppTest) -> set[str]:
    """The file names of the page files st.navigation registered in the last run (the callable pages, the
    sign-in form at every address and the hidden "no permission" pages, are not page files)."""
    return {Path(str(i["script_path"])).name for i in at._registered_pages.values() if i.get("script_path")}


def sign_in(at: AppTest, user: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="signin_user").input(user)
    at.text_input(key="signin_password").input(password)
    at.button(key="FormSubmitter:sign_in-Đăng nhập").click()
    at.run()
    assert not at.exception, at.exception
    return at


def is_sign_in_form(at: AppTest) -> bool:
    """Only the sign-in form: its title and fields, no page content, no sidebar widgets."""
    checks = {
        "title": [t.value for t in at.title] == ["Đăng nhập"],
        "fields": {w.key for w in at.text_input} == {"signin_user", "signin_password"},
        "no content": not card_values(at)
        and not at.get("plotly_chart")
        and not at.dataframe
        and not at.warning,
        "empty sidebar": not at.sidebar.children,
        "navigation": not nav_pages(at),  # every address runs the form, no page file
    }
    failed = [name for name, ok in checks.items() if not ok]
    if failed:
        print("not the sign-in form:", failed, nav_pages(at), at.sidebar)
    return not failed


def texts(elements: object) -> str:
    return " | ".join(e.value for e in elements)  # type: ignore[attr-defined]


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first table shown with ``column`` (AppTest does not expose a dataframe's key)."""
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with {column!r}: {[list(d.value.columns) for d in at.dataframe]}")


def audit_rows(url: str) -> pd.DataFrame:
    return read_audit(open_engine(url), cli_actor())


def page_alone(page: str, actor: Actor | None, url: str, env: pytest.MonkeyPatch) -> AppTest:
    """Run one page file on its own, as a session with ``actor`` reaching it by any path."""
    at = app_test(url, env, page)
    if actor is not None:
        at.session_state["_actor"] = actor
    return at.run()


# ---------------------------------------------------------------------------- the page registry


def test_page_registry() -> None:
    """Every registered page exists, has its own URL and a known permission; the pages of today go to the
    roles README's role table names (a new page goes to the roles of its permission)."""
    assert all((ROOT / p.file).is_file() for p in REGISTRY)
    assert sorted(p.name for p in (ROOT / "pages").glob("*.py")) == sorted(ALL_PAGES), "a page not registered"
    assert len({p.url_path for p in REGISTRY}) == len(REGISTRY) and sum(p.default for p in REGISTRY) == 1
    assert all(any(p.permission in allowed for allowed in PERMISSIONS.values()) for p in REGISTRY)
    known = {
        **dict.fromkeys(DASHBOARD, frozenset(ROLES)),
        "upload.py": {"van_phong", "quan_tri"},
        "admin.py": {"quan_tri"},
    }
    for page, roles in known.items():
        assert {r for r in ROLES if page in ROLE_PAGES[r]} == roles, page
    assert ROLE_PAGES["van_phong"] == {Path(p.file).name for p in entries_for(DEMO_ACTOR)}


# ---------------------------------------------------------------------------- demo mode


def test_demo_mode_without_users(sample_db_url: str, app_env: pytest.MonkeyPatch) -> None:
    at = start(sample_db_url, app_env)
    assert any("Chế độ dùng thử — chưa bật đăng nhập" in w.value for w in at.warning), texts(at.warning)
    assert at.session_state["_actor"] == DEMO_ACTOR
    assert not at.sidebar.button, "no sign-out button in demo mode"
    # demo mode acts as the office: every dashboard page and the upload page, no user management
    assert nav_pages(at) == ROLE_PAGES["van_phong"]
    for page in sorted(ROLE_PAGES["van_phong"]):
        at.switch_page(f"pages/{page}").run()
        assert not at.exception, (page, at.exception)
        assert not at.error, (page, texts(at.error))
    at.switch_page("pages/upload.py").run()
    assert [u.key for u in at.get("file_uploader")] == ["upload_files"]
    with pytest.raises(ValueError, match="navigation page"):
        at.switch_page("pages/admin.py")
    # the open demo actor may not create the first account (the command line does)
    with pytest.raises(PermissionDenied):
        add_user(open_engine(sample_db_url), DEMO_ACTOR, "ke-la", PASSWORD, "quan_tri")


# ---------------------------------------------------------------------------- sign-in


def test_users_turn_the_sign_in_form_on(sample_db_url: str, app_env: pytest.MonkeyPatch) -> None:
    at = start(sample_db_url, app_env)
    at.switch_page("pages/upload.py").run()  # a demo session on the upload page …
    add_user(open_engine(sample_db_url), cli_actor(), "qt", PASSWORD, "quan_tri")
    at.run()  # … is over as soon as a user exists
    assert is_sign_in_form(at), at.main
    assert "_actor" not in at.session_state
    for page in ("pages/overview.py", "pages/upload.py"):
        with pytest.raises(ValueError, match="navigation page"):
            at.switch_page(page)


def test_wrong_password_lockout_and_right_password(users_url: str, app_env: pytest.MonkeyPatch) -> None:
    at = start(users_url, app_env)
    assert is_sign_in_form(at)
    sign_in(at, "vp", "sai-mat-khau")
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in texts(at.error)
    assert is_sign_in_form(at)
    sign_in(at, "khong-co-ai", "sai-mat-khau")  # an unknown user: the same message
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in texts(at.error)
    for _ in range(3):
        sign_in(at, "vp", "sai-mat-khau")
    sign_in(at, "vp", "sai-mat-khau")  # the 5th failure in a row: locked, with the same message
    assert texts(at.error).startswith("Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang tạm khóa")
    first = texts(at.error)
    sign_in(at, "vp")  # even the right password while locked
    assert texts(at.error) == first, "one message for every failure: it does not tell the account is locked"
    assert is_sign_in_form(at)
    # another account is not locked
    sign_in(at, "gd")
    assert not at.error and [t.value for t in at.title] == ["Tổng quan"]
    assert card_values(at), "the KPI cards are shown"
    log = audit_rows(users_url)
    signins = log[log["action"] == "sign_in"]
    assert signins["success"].tolist() == [True, False, False, False, False, False, False, False]
    reasons = [json.loads(d).get("reason") for d in signins["detail"]]
    assert reasons[:2] == [None, "locked"] and reasons[-2:] == ["unknown_user", "bad_password"]
    assert not log["detail"].str.contains("sai-mat-khau|mat-khau-dai").any(), "no password in the audit"


@pytest.mark.parametrize("role", ["lanh_dao", "van_phong", "quan_tri"])
def test_each_role_sees_exactly_its_pages(role: str, users_url: str, app_env: pytest.MonkeyPatch) -> None:
    user = next(u for u, r in USERS.items() if r == role)
    at = sign_in(start(users_url, app_env), user)
    assert nav_pages(at) == ROLE_PAGES[role]
    assert not at.warning, "no demo banner once signed in"
    assert any(user in c.value for c in at.sidebar.caption), "who is signed in is shown"
    assert at.sidebar.button(key="sign_out")
    for page in sorted(ROLE_PAGES[role]):
        at.switch_page(f"pages/{page}").run()
        assert not at.exception, (page, at.exception)
        assert not at.error, (page, texts(at.error))
    for page in sorted(ALL_PAGES - ROLE_PAGES[role]):
        with pytest.raises(ValueError, match="navigation page"):  # as "page not found" in a browser
            at.switch_page(f"pages/{page}")


@pytest.mark.parametrize(
    ("page", "actor"),
    [
        ("pages/upload.py", Actor("gd", "lanh_dao")),
        ("pages/upload.py", None),
        ("pages/admin.py", Actor("gd", "lanh_dao")),
        ("pages/admin.py", Actor("vp", "van_phong")),
        ("pages/admin.py", DEMO_ACTOR),
    ],
)
def test_pages_refuse_themselves_without_the_role(
    page: str, actor: Actor | None, users_url: str, app_env: pytest.MonkeyPatch
) -> None:
    at = page_alone(page, actor, users_url, app_env)
    assert not at.exception, at.exception
    assert "không có quyền" in texts(at.error), texts(at.error)
    assert not at.get("file_uploader") and not at.dataframe and not at.text_input


# ---------------------------------------------------------------------------- admin page and audit


# the admin page's test (users, audit trail): tests/test_page_admin.py


def test_write_functions_refuse_without_the_role(engine: sa.Engine) -> None:
    """Called directly (not through a page), every writing function checks the role and writes nothing."""
    result = import_files(engine, sample_files()[-1:], user="dữ liệu mẫu")
    assert result.ok
    add_user(engine, cli_actor(), "gd", PASSWORD, "lanh_dao")
    director, office = Actor("gd", "lanh_dao"), Actor("vp", "van_phong")
    upload_id = result.uploads[0].id
    part = (result.uploads[0].months[0], "Thanh tra Sở")
    prepared = prepare_import(engine, [EXAMPLE])
    assert prepared.ok
    before = dump(engine)
    with pytest.raises(PermissionDenied, match="không có quyền nhập số liệu"):
        commit_import(engine, prepared, actor=director)
    with pytest.raises(PermissionDenied, match="không có quyền khôi phục"):
        restore(engine, upload_id, period=part[0], unit=part[1], actor=director)
    with pytest.raises(PermissionDenied):
        import_files(engine, [EXAMPLE], actor=director)
    for actor in (director, office, DEMO_ACTOR):
        with pytest.raises(PermissionDenied, match="không có quyền quản lý người dùng"):
            add_user(engine, actor, "moi", PASSWORD, "quan_tri")
        with pytest.raises(PermissionDenied):
            set_password(engine, actor, "gd", "mat-khau-khac")
        with pytest.raises(PermissionDenied):
            set_role(engine, actor, "gd", "quan_tri")
        with pytest.raises(PermissionDenied):
            remove_user(engine, actor, "gd")
        with pytest.raises(PermissionDenied):
            read_audit(engine, actor)
    with pytest.raises(PermissionDenied, match="Chưa đăng nhập"):
        commit_import(engine, prepared, actor=None)  # type: ignore[arg-type]
    after = dump(engine)
    denied = after.pop("audit_log")[len(before["audit_log"]) :]
    assert after == {k: v for k, v in before.items() if k != "audit_log"}, "nothing written but the audit"
    # every refusal audited: 3 of the director's writes, 4 user changes by each of 3 actors, the anonymous one
    assert [(r[3], r[4]) for r in denied] == [("denied", 0)] * (3 + 4 * 3 + 1)
    assert denied[-1][2] == "?" and json.loads(denied[-1][5]) == {"action": "upload", "reason": "permission"}
    assert not prepared.committed


# ---------------------------------------------------------------------------- the session ends


def test_sign_out_returns_to_the_form_and_is_audited(users_url: str, app_env: pytest.MonkeyPatch) -> None:
    at = sign_in(start(users_url, app_env), "vp")
    at.sidebar.selectbox(key="f_period").set_value("2024-06").run()
    at.sidebar.selectbox(key="f_unit").set_value("Thanh tra Sở").run()
    at.switch_page("pages/upload.py").run()
    at.file_uploader(key="upload_files").set_value([(EXAMPLE.name, EXAMPLE.read_bytes(), XLSX)]).run()
    at.sidebar.button(key="sign_out").click().run()
    assert not at.exception, at.exception
    assert is_sign_in_form(at), at.main
    # signed out on the upload page, the form is at the Overview's address (AppTest would keep requesting
    # the page of its own last switch_page: follow the app instead)
    assert at._finished_page_script_hash == next(
        h for h, i in at._registered_pages.items() if i["url_pathname"] == ""
    )
    at._page_hash = ""
    assert not at.query_params, "the filters left the address"
    last = audit_rows(users_url).iloc[0]
    assert (last["username"], last["action"], json.loads(last["detail"])) == (
        "vp",
        "sign_out",
        {"reason": "user"},
    )
    # the next person signs in in the same browser session with their own role
    sign_in(at, "gd")
    assert nav_pages(at) == ROLE_PAGES["lanh_dao"]
    assert [t.value for t in at.title] == ["Tổng quan"]
    # nothing of the previous user's session is kept: the filters start at the latest month again
    assert (at.session_state["f_period"], at.session_state["f_unit"]) == ("2024-12", "__all__")
    assert not [k for k in at.session_state if k.startswith("upload_")], "no upload state left"


class Clock:
    """A stand-in for ui.auth's clock: the time the test says."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def test_idle_session_expires(users_url: str, app_env: pytest.MonkeyPatch) -> None:
    import ui.auth

    clock = Clock()
    app_env.setattr(ui.auth, "_clock", clock)
    app_env.setattr(data_access.sessions, "_now", clock)
    app_env.setenv("SESSION_IDLE_MINUTES", "1")
    at = sign_in(start(users_url, app_env), "gd")
    assert [t.value for t in at.title] == ["Tổng quan"]
    for _ in range(3):  # activity keeps the session: each rerun within the minute counts
        clock.advance(55)
        at.run()
        assert [t.value for t in at.title] == ["Tổng quan"], "still signed in"
    clock.advance(61)
    at.run()
    assert not at.exception, at.exception
    assert is_sign_in_form(at), at.main
    assert "Phiên làm việc đã hết hạn do không hoạt động" in texts(at.info)
    last = audit_rows(users_url).iloc[0]
    assert (last["username"], last["action"], json.loads(last["detail"])) == (
        "gd",
        "sign_out",
        {"reason": "idle"},
    )
    at.run()
    assert not at.info, "the notice is shown once"
    sign_in(at, "gd")
    assert [t.value for t in at.title] == ["Tổng quan"]


@pytest.mark.parametrize(
    ("change", "notice"),
    [
        (lambda e: set_role(e, cli_actor(), "vp", "lanh_dao"), "Vai trò của tài khoản đã thay đổi"),
        (
            lambda e: set_password(e, cli_actor(), "vp", "mat-khau-moi-9"),
            "Mật khẩu của tài khoản đã được đổi",
        ),
        (lambda e: remove_user(e, cli_actor(), "vp"), "Tài khoản của bạn không còn hiệu lực"),
    ],
)
def test_account_changes_end_a_signed_in_session(
    change: object, notice: str, users_url: str, app_env: pytest.MonkeyPatch
) -> None:
    """A role or password changed or an account removed by the administrator ends the session at its next
    rerun (and every other browser's, see test_sessions): the sign-in form says why."""
    engine = open_engine(users_url)
    at = sign_in(start(users_url, app_env), "vp")
    at.switch_page("pages/upload.py").run()
    assert at.get("file_uploader")
    change(engine)  # type: ignore[operator]
    at.run()
    assert not at.exception, at.exception
    assert is_sign_in_form(at), at.main
    assert notice in texts(at.info), texts(at.info)
    assert not at.get("file_uploader") and "_actor" not in at.session_state
    reason = audit_rows(users_url).iloc[0]
    assert (reason["username"], reason["action"]) == ("vp", "sign_out")


def test_a_new_role_applies_after_signing_in_again(users_url: str, app_env: pytest.MonkeyPatch) -> None:
    at = sign_in(start(users_url, app_env), "vp")
    set_role(open_engine(users_url), cli_actor(), "vp", "lanh_dao")
    at.run()
    sign_in(at, "vp")
    assert nav_pages(at) == ROLE_PAGES["lanh_dao"]
    assert at.session_state["_actor"] == Actor("vp", "lanh_dao", "web")


# ---------------------------------------------------------------------------- OIDC claims


ROLES_CONFIG = {
    "claim": "roles",
    "quan_tri": ["Admin@So.gov.vn"],
    "van_phong": ["vp@so.gov.vn", "vp2@so.gov.vn"],
    "lanh_dao": ["gd@so.gov.vn", "vp@so.gov.vn"],
}


@pytest.mark.parametrize(
    ("claims", "config", "role"),
    [
        ({"roles": ["lanh_dao"]}, {"claim": "roles"}, "lanh_dao"),
        ({"roles": "van_phong"}, {"claim": "roles"}, "van_phong"),  # a string claim
        ({"roles": ("lanh_dao", "quan_tri")}, {"claim": "roles"}, "quan_tri"),  # most powerful wins
        ({"roles": ["giam_doc", "khach"]}, {"claim": "roles"}, None),  # no known role
        ({"groups": ["quan_tri"]}, {"claim": "roles"}, None),  # the named claim is missing
        ({"roles": ["quan_tri"]}, {}, None),  # no claim configured: claims are not read
        ({"email": "gd@so.gov.vn"}, ROLES_CONFIG, "lanh_dao"),
        ({"email": " admin@so.GOV.vn "}, ROLES_CONFIG, "quan_tri"),  # case and spaces ignored
        ({"email": "vp@so.gov.vn"}, ROLES_CONFIG, "van_phong"),  # listed twice: the more powerful
        ({"email": "gd@so.gov.vn", "roles": ["van_phong"]}, ROLES_CONFIG, "van_phong"),  # claim and list
        ({"email": "ai-do@gmail.com"}, ROLES_CONFIG, None),
        ({"email": ""}, {"lanh_dao": [""]}, None),  # an empty e-mail matches nothing
        ({}, ROLES_CONFIG, None),
    ],
)
def test_role_from_claims(claims: dict, config: dict, role: str | None) -> None:
    assert role_from_claims(claims, config) == role
