"""The "sample data loaded" notice goes to the session whose first run loaded it, not to every later one."""

from __future__ import annotations

import pytest

from tests.helpers import app_test


def test_only_the_loading_session_is_told(sqlite_url: str, app_env: pytest.MonkeyPatch) -> None:
    app_env.setenv("SAMPLE_DATA", "1")
    first = app_test(sqlite_url, app_env)
    first.run(timeout=180)  # the empty database gets the 24 sample months in this run
    assert not first.exception
    assert [t.value for t in first.toast] == ["Cơ sở dữ liệu trống: đã nạp dữ liệu mẫu (24 tháng)."]
    first.run()
    assert len(first.toast) == 0  # once in that session
    later = app_test(sqlite_url, app_env)  # another browser, or a reload: a new session
    later.run()
    assert not later.exception and len(later.toast) == 0
