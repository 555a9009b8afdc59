"""Engines: creation (SQLite pragmas), the one registry of open engines, Alembic migrations,
advisory locks, and how database errors are classified."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from data_access.texts import store as T

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
#: How many engines the registry keeps open; opening one more disposes the least recently used.
MAX_ENGINES = 16
_migrate_lock = threading.Lock()
_registry_lock = threading.Lock()  # guards _engines
_open_lock = threading.Lock()  # one engine created (and migrated) at a time
_engines: OrderedDict[str, Engine] = OrderedDict()


class StoreError(RuntimeError):
    """A database problem worth a clear message (the page shows it, the CLI exits 1)."""


# ---------------------------------------------------------------------------- migrations


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    """The newest migration's revision."""
    return ScriptDirectory.from_config(_alembic_config()).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (``None`` when never migrated)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@contextmanager
def advisory_lock(engine: Engine, key: int) -> Iterator[None]:
    """Hold PostgreSQL's session advisory lock ``key`` (other processes wait); nothing elsewhere."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": key})
        try:
            yield
        finally:
            conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            conn.commit()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema with Alembic (no-op when already at ``revision``)."""
    with _migrate_lock:
        if revision == "head" and current_revision(engine) == head_revision():
            return
        cfg = _alembic_config()
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(74210001)"))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)


# ---------------------------------------------------------------------------- engines


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def create_engine(url: str) -> Engine:
    """A new engine for ``url``, neither registered nor migrated (:func:`open_engine` does both);
    SQLite gets WAL, foreign keys and a busy timeout."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    kwargs: dict[str, object] = {"pool_pre_ping": True}
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        kwargs = {"connect_args": {"check_same_thread": False, "timeout": 30}}
    engine = sa.create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _registered(url: str) -> Engine | None:
    with _registry_lock:
        engine = _engines.get(url)
        if engine is not None:
            _engines.move_to_end(url)
        return engine


def open_engine(url: str) -> Engine:
    """The engine for ``url`` from this process's registry, created and migrated to the latest
    revision on first use (again after :func:`close_engines`)."""
    engine = _registered(url)
    if engine is not None:
        return engine
    with _open_lock:
        engine = _registered(url)  # another thread may have opened it meanwhile
        if engine is not None:
            return engine
        engine = create_engine(url)
        try:
            migrate(engine)
        except sa.exc.OperationalError as exc:
            engine.dispose()
            raise StoreError(T.NO_CONNECTION.format(error=_safe(exc))) from exc
        with _registry_lock:
            _engines[url] = engine
            evicted = [_engines.popitem(last=False)[1] for _ in range(len(_engines) - MAX_ENGINES)]
    for old in evicted:
        old.dispose()
    return engine


def close_engines(url: str | None = None) -> None:
    """Dispose the registered engine of ``url`` (default: every one) and forget it, so that the next
    :func:`open_engine` opens a new engine with new connections (tests, a dropped database, a lost
    connection)."""
    with _registry_lock:
        if url is None:
            closing = list(_engines.values())
            _engines.clear()
        else:
            one = _engines.pop(url, None)
            closing = [one] if one is not None else []
    for engine in closing:
        engine.dispose()


# ---------------------------------------------------------------------------- errors


def _safe(exc: BaseException) -> str:
    """The first line of a driver error, without the URL or SQL it may carry."""
    text = str(getattr(exc, "orig", exc) or exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


def connection_lost(exc: sa.exc.SQLAlchemyError) -> bool:
    """Whether ``exc`` says the database is unreachable (rather than that a statement was wrong)."""
    return isinstance(
        exc, sa.exc.OperationalError | sa.exc.InterfaceError | sa.exc.DisconnectionError | sa.exc.TimeoutError
    ) or bool(getattr(exc, "connection_invalidated", False))
