"""Every role on an empty database: each page of its navigation opens without an exception, and the
empty state fits the role (the office is pointed to the upload page, a director is told who imports)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from data_access.auth import add_user, authenticate, cli_actor
from data_access.store import open_engine
from tests.helpers import run_app

PASSWORD = "mat-khau-dai-1"
USERS = {"gd": "lanh_dao", "vp": "van_phong", "qt": "quan_tri"}
DIRECTORS_PAGES = ["pages/overview.py", "pages/gaps.py", "pages/trends.py", "pages/whatif.py"]
OFFICE_PAGES = {"van_phong": ["pages/upload.py"], "quan_tri": ["pages/upload.py", "pages/admin.py"]}


@pytest.fixture
def empty_users_url(sqlite_url: str) -> str:
    """An empty database (no figures) with one user of each role."""
    defaults = authenticate.__kwdefaults__
    saved = defaults["sleep"]
    defaults["sleep"] = lambda _s: None
    engine = open_engine(sqlite_url)
    for name, role in USERS.items():
        add_user(engine, cli_actor(), name, PASSWORD, role)
    yield sqlite_url
    defaults["sleep"] = saved


def _signed_in(url: str, env: pytest.MonkeyPatch, user: str) -> AppTest:
    at = run_app(url, env)
    at.text_input(key="signin_user").input(user)
    at.text_input(key="signin_password").input(PASSWORD)
    at.button(key="FormSubmitter:sign_in-Đăng nhập").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _page_links(at: AppTest) -> list[str]:
    return [str(p.proto.page) for p in at.get("page_link")]


@pytest.mark.parametrize("user", list(USERS))
def test_every_page_of_each_role_opens_on_an_empty_database(
    user: str, empty_users_url: str, app_env: pytest.MonkeyPatch
) -> None:
    role = USERS[user]
    at = _signed_in(empty_users_url, app_env, user)
    for page in [*DIRECTORS_PAGES, *OFFICE_PAGES.get(role, [])]:
        at.switch_page(page).run()
        assert not at.exception, (role, page, [e.value for e in at.exception])
        assert not at.error, (role, page, [e.value for e in at.error])
        if page not in DIRECTORS_PAGES:
            continue
        infos = " | ".join(i.value for i in at.info)
        assert "Chưa có số liệu" in infos, (role, page, infos)
        assert not at.get("plotly_chart")
        if role == "lanh_dao":
            assert "Văn phòng Sở" in infos and "Hãy nhập" not in infos, (page, infos)
            assert "nhap-so-lieu" not in _page_links(at), (page, _page_links(at))
        else:
            assert "nhap-so-lieu" in _page_links(at), (role, page, _page_links(at))
