"""Helpers of the tests that are not fixtures: paths, the PostgreSQL reset, the one AppTest starter."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
#: The example workbooks of the design notes, copied here so that a clone anywhere passes.
EXAMPLES = Path(__file__).resolve().parent / "data"
PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
#: Set by .ci/run: an unreachable PostgreSQL is then a failure, not a skip.
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"


def pg_reachable() -> str | None:
    """``None`` when the PostgreSQL server of the tests answers, else the first line of why not."""
    try:
        eng = sa.create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with eng.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        eng.dispose()
        return None
    except Exception as exc:  # any driver error means "not here"
        return str(exc).splitlines()[0]


def reset_pg(url: str) -> None:
    """Empty the PostgreSQL database ``url`` (drop and re-create its public schema)."""
    eng = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    eng.dispose()


def app_test(url: str, env: pytest.MonkeyPatch, script: str = "app.py") -> AppTest:
    """An AppTest of ``script`` (the entry file, or one page file alone) on the database ``url``, not run yet."""
    from streamlit.testing.v1 import AppTest

    env.setenv("DATABASE_URL", url)
    return AppTest.from_file(str(ROOT / script), default_timeout=60)


def run_app(url: str, env: pytest.MonkeyPatch, page: str | None = None) -> AppTest:
    """The whole app (entry file, then ``page`` when given) run on the database ``url``, without exception."""
    at = app_test(url, env)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# the old private names, while tests still import them from tests.conftest
_pg_reachable = pg_reachable
_reset_pg = reset_pg


def card_values(at: AppTest) -> dict[str, str]:
    """The Overview's KPI cards as {full label: value shown}: one HTML element holds them all."""
    import html
    import re

    body = " ".join(h.proto.body for h in at.html)
    found = re.findall(
        r'aria-label="([^"]*)"><div class="kpi-label"[^>]*>[^<]*</div>'
        r'<div class="kpi-value">([^<]*)</div>',
        body,
    )
    return {html.unescape(label): html.unescape(value) for label, value in found}
