"""Engines: creation (SQLite pragmas, timeouts), the one registry of open engines, Alembic migrations,
advisory locks, and how database errors are classified."""

from __future__ import annotations

import os
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

from data_access import settings
from data_access.texts import store as T

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
#: How many engines the registry keeps open; opening one more disposes the least recently used.
MAX_ENGINES = 16
_migrate_lock = threading.Lock()
_registry_lock = threading.Lock()  # guards _engines
_open_lock = threading.Lock()  # one engine created (and migrated) at a time
_engines: OrderedDict[str, Engine] = OrderedDict()
#: SQLite file of a registered engine → (device, inode) when it was opened: a file deleted or replaced
#: under the running app (a database recreated empty) is noticed and opened, and migrated, anew.
_files: dict[str, tuple[int, int]] = {}
#: Seconds a connection attempt may take (PostgreSQL ``connect_timeout``), main database and sources.
CONNECT_TIMEOUT = 10


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
def advisory_lock(engine: Engine, key: int, *, wait: bool = True) -> Iterator[bool]:
    """Hold PostgreSQL's session advisory lock ``key``; nothing elsewhere (yields ``True``).

    ``wait``: other processes' holders are waited for (however long: the statement timeout does not
    apply to this wait); else the lock is only tried, and ``False`` is yielded when another holds it."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    with engine.connect() as conn:
        if wait:
            conn.execute(sa.text("SET statement_timeout = 0"))
            conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": key})
            conn.execute(sa.text("RESET statement_timeout"))
            got = True
        else:
            got = bool(conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
        conn.commit()
        try:
            yield got
        finally:
            if got:
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
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def db_timeout() -> int:
    """Seconds a statement of the dashboard's database may run or wait (``DB_TIMEOUT_SECONDS``, default 30)."""
    return int(settings.get("db_timeout_seconds"))


def timeout_args(url: str | sa.URL, seconds: float) -> dict[str, object]:
    """The driver's connect arguments bounding how long ``url``'s statements run or wait: PostgreSQL
    ``connect_timeout`` (:data:`CONNECT_TIMEOUT`, at most ``seconds``) and ``statement_timeout``
    (added to the URL's own ``options``), SQLite's busy timeout; nothing for another dialect."""
    u = sa.engine.make_url(url)
    if u.get_backend_name() == "postgresql":
        options = u.query.get("options", "")
        own = options if isinstance(options, str) else " ".join(options)
        return {
            "connect_timeout": max(1, min(CONNECT_TIMEOUT, round(seconds))),
            "options": f"{own} -c statement_timeout={round(seconds * 1000)}".strip(),
        }
    if u.get_backend_name() == "sqlite":
        return {"timeout": float(seconds)}
    return {}


def create_engine(url: str, *, timeout: float | None = None) -> Engine:
    """A new engine for ``url``, neither registered nor migrated (:func:`open_engine` does both);
    SQLite gets WAL and foreign keys; every statement runs or waits at most ``timeout`` seconds
    (default :func:`db_timeout`), a connection attempt at most :data:`CONNECT_TIMEOUT`."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    seconds = db_timeout() if timeout is None else timeout
    kwargs: dict[str, object] = {"pool_pre_ping": True, "connect_args": timeout_args(url, seconds)}
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        kwargs = {"connect_args": {"check_same_thread": False, **timeout_args(url, seconds)}}
    engine = sa.create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_file(url: str) -> str | None:
    """The file of a SQLite ``url`` (``None`` for another database or an in-memory one)."""
    if not url.startswith("sqlite"):
        return None
    path = sa.engine.make_url(url).database
    return path if path and path != ":memory:" and not path.startswith("file:") else None


def _file_id(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _file_replaced(url: str) -> bool:
    """Whether the SQLite file of the registered engine of ``url`` was deleted or replaced since it was
    opened (its connections would go on with the old, unlinked file)."""
    path = _sqlite_file(url)
    if path is None:
        return False
    with _registry_lock:
        opened = _files.get(url)
    return opened is not None and _file_id(path) != opened


def _registered(url: str) -> Engine | None:
    if _file_replaced(url):
        close_engines(url)
        return None
    with _registry_lock:
        engine = _engines.get(url)
        if engine is not None:
            _engines.move_to_end(url)
        return engine


def open_engine(url: str) -> Engine:
    """The engine for ``url`` from this process's registry, created and migrated to the latest
    revision on first use (again after :func:`close_engines`, and when its SQLite file was deleted or
    replaced meanwhile)."""
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
        except sa.exc.SQLAlchemyError as exc:
            engine.dispose()
            raise StoreError(failure_message(exc) or T.NO_CONNECTION.format(error=_safe(exc))) from exc
        path = _sqlite_file(url)
        opened = _file_id(path) if path else None
        with _registry_lock:
            _engines[url] = engine
            if opened is not None:
                _files[url] = opened
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
            _files.clear()
        else:
            _files.pop(url, None)
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


#: PostgreSQL SQLSTATEs and SQLite result codes of the failures that have a message of their own.
_PG_STATES = {
    "53100": "full",  # disk_full
    "53000": "full",  # insufficient_resources
    "25006": "read_only",  # read_only_sql_transaction
    "57014": "timeout",  # query_canceled (statement_timeout)
    "55P03": "timeout",  # lock_not_available (lock_timeout)
    "42P01": "schema_gone",  # undefined_table
}
_SQLITE_CODES = {
    "SQLITE_FULL": "full",
    "SQLITE_READONLY": "read_only",
    "SQLITE_BUSY": "timeout",
    "SQLITE_LOCKED": "timeout",
}


def failure_kind(exc: BaseException) -> str | None:
    """What a database error says, when it says one of: ``full`` (the disk or the quota), ``read_only``
    (the database or its file refuses writes), ``timeout`` (a statement ran or waited past the timeout),
    ``schema_gone`` (a table of the dashboard is missing: a database recreated empty); else ``None``."""
    orig = getattr(exc, "orig", None) or exc
    state = getattr(orig, "sqlstate", None)
    if isinstance(state, str) and state in _PG_STATES:
        return _PG_STATES[state]
    name = getattr(orig, "sqlite_errorname", None)
    if isinstance(name, str):
        if name == "SQLITE_READONLY_DBMOVED":  # the file was deleted or replaced under the connection
            return "schema_gone"
        for prefix, kind in _SQLITE_CODES.items():
            if name.startswith(prefix):
                return kind
        if "no such table" in str(orig):
            return "schema_gone"
    return None


def failure_message(exc: BaseException) -> str | None:
    """The Vietnamese message of :func:`failure_kind`'s failures (``None`` for any other error)."""
    kind = failure_kind(exc)
    if kind == "timeout":
        return T.TIMED_OUT.format(seconds=db_timeout())
    return T.FAILURES[kind] if kind else None
