"""Shared fixtures: a fresh database per test on SQLite and, when it answers, on PostgreSQL.

Helpers that are not fixtures live in :mod:`tests.helpers`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

# helpers re-exported while tests still import them from here (tests.helpers is their home)
from tests.helpers import (  # noqa: F401
    EXAMPLES,
    PG_ADMIN_URL,
    REQUIRE_POSTGRES,
    ROOT,
    _pg_reachable,
    _reset_pg,
    app_test,
    pg_reachable,
    reset_pg,
    run_app,
)

os.environ.setdefault("BCRYPT_ROUNDS", "4")  # fast hashes in tests; production uses 12


@pytest.fixture(scope="session")
def pg_base_url(worker_id: str) -> Iterator[str]:
    """URL of a PostgreSQL database of this test worker's own (created once per session)."""
    problem = pg_reachable()
    if problem:
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is required (REQUIRE_POSTGRES=1) but: {problem}")
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {problem}")
    # the test run's own prefix (pytest-xdist's run uid, else this process): two runs side by side
    # on one server never share a database
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getpid()))[:12]
    name = f"kpi_test_{run}_{worker_id}".replace("-", "_").lower()
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    admin.dispose()
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    from data_access.store import close_engines

    close_engines()
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database: a SQLite file, or this worker's PostgreSQL database wiped."""
    from data_access.store import close_engines

    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    url = request.getfixturevalue("pg_base_url")
    close_engines()
    reset_pg(url)
    yield url
    close_engines()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def engine(db_url: str) -> sa.Engine:
    from data_access.store import open_engine

    return open_engine(db_url)


@pytest.fixture(scope="session")
def sample_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the committed sample workbooks and the sample procedure catalog, as a first
    start loads them (built once per test session)."""
    from data_access.bootstrap import sample_files
    from data_access.official_scores import load_sample_scores_if_empty
    from data_access.procedure_catalog import load_sample_catalog_if_empty
    from data_access.settings import SAMPLE_DIR
    from data_access.store import import_files, open_engine

    path = tmp_path_factory.mktemp("sample") / "sample.db"
    engine = open_engine(f"sqlite:///{path}")
    result = import_files(engine, sample_files(), user="dữ liệu mẫu")
    assert result.ok, [i.format() for i in result.errors]
    assert load_sample_catalog_if_empty(engine, SAMPLE_DIR, user="dữ liệu mẫu") is not None
    assert load_sample_scores_if_empty(engine, SAMPLE_DIR, user="dữ liệu mẫu") is not None
    engine.dispose()
    return path


@pytest.fixture
def sample_db_url(sample_db_template: Path, tmp_path: Path) -> str:
    """A private copy of the sample database, as a SQLite URL."""
    import shutil

    target = tmp_path / "sample.db"
    shutil.copyfile(sample_db_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Environment for AppTest runs: no sample loading unless a test asks for it."""
    monkeypatch.setenv("SAMPLE_DATA", "0")
    monkeypatch.delenv("TARGETS_FILE", raising=False)
    return monkeypatch
