"""External figures source: read-only figures from a table or view of another database.

A mapping file (TOML) says where the figures are and which of its columns is which contract code::

    [source]
    name = "Hệ thống thông tin giải quyết TTHC tỉnh"   # shown on the pages (default: the table)
    url = "postgresql+psycopg://reader@db-host/mot_cua" # any SQLAlchemy URL …
    # url_env = "ONE_STOP_DB_URL"                       # … or the environment variable that holds it
    table = "v_dvc_thang"                               # a table or a view
    schema = "bao_cao"                                  # optional
    refresh_minutes = 10                                # the app looks for changes at most this often

    [columns]            # contract code = the source's column name
    period = "ky_bao_cao"
    unit = "don_vi"
    received_online = "tiep_nhan_truc_tuyen"

    [constants]          # contract code = one value for every row (a source without that column)
    field = "Không phân lĩnh vực"

The source is only ever read (one ``SELECT`` of the mapped columns). Its rows are checked by the
canonical template's rules (:func:`data_access.readers.read_rows`) and stored as an upload of
kind ``external`` named after the source, so the pages show them like uploaded figures, marked
with their source, and history and restore work for them too. A sync whose rows are the same as
the last stored ones (same SHA-256) stores nothing.

Bounds: connecting and every statement at most ``timeout_seconds`` (default 60), at most ``max_rows``
rows (default 500 000, more is refused). The app never syncs in a page run: :func:`check_in_background`
hands due checks to one worker thread per process and returns at once with the last outcome, so a
source that is slow or does not answer delays no page (they show the figures stored before, and a
banner). Concurrent syncs of one source store it once: on PostgreSQL a session advisory lock lets one
process sync at a time, and on every database the write transaction itself checks, holding the
write lock, that the rows' SHA-256 is not what the last sync stored already.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access.auth import Actor
from data_access.catalog import Catalog
from data_access.external_mapping import (
    CONSTANT_CODES,
    DEFAULT_MAX_ROWS,
    Mapping,
    MappingError,
    load_mapping,
    mapping_error,
)
from data_access.messages import Issue, IssueList
from data_access.readers import ReadResult, read_rows
from data_access.schema import upload
from data_access.store import advisory_lock, commit_import, open_engine, prepare_rows
from data_access.store.engine import failure_kind, failure_message, timeout_args
from data_access.texts import external as T
from vnfmt import fmt_int

__all__ = [
    "CONSTANT_CODES",
    "KIND",
    "SYNC_ACTOR",
    "CheckState",
    "Mapping",
    "MappingError",
    "SyncResult",
    "check_in_background",
    "forget_checks",
    "last_synced",
    "load_mapping",
    "read_external",
    "sync",
    "wait_for_checks",
]

KIND = "external"
#: The actor an automatic sync is recorded under (history, audit trail).
SYNC_ACTOR = Actor(T.SYNC_USER, "van_phong", "external")
#: PostgreSQL advisory lock keys: one sync at a time (session lock), one store at a time (transaction lock).
SYNC_LOCK = 74210003
STORE_LOCK = 74210004
log = logging.getLogger(__name__)


# ---------------------------------------------------------------------------- reading


def _source_engine(mapping: Mapping) -> Engine:
    """An engine of the source whose connecting and statements end after ``timeout_seconds``."""
    return sa.create_engine(mapping.url, connect_args=timeout_args(mapping.url, mapping.timeout_seconds))


def _timed_out(exc: sa.exc.SQLAlchemyError) -> bool:
    """Whether the source's driver gave up waiting (statement or lock timeout, connect timeout)."""
    return failure_kind(exc) == "timeout" or "timeout expired" in str(getattr(exc, "orig", exc))


def _source_failure(mapping: Mapping, which: str, exc: sa.exc.SQLAlchemyError) -> MappingError:
    where = Path(mapping.path).name
    if _timed_out(exc):
        return mapping_error(where, "timed_out", seconds=fmt_int(round(mapping.timeout_seconds)))
    return mapping_error(where, which, table=mapping.table, error=type(exc).__name__)


def _source_table(engine: Engine, mapping: Mapping) -> sa.Table:
    """The source table or view, reflected; every mapped column must be there."""
    try:
        table = sa.Table(mapping.table, sa.MetaData(), schema=mapping.schema, autoload_with=engine)
    except sa.exc.NoSuchTableError as exc:
        raise mapping_error(Path(mapping.path).name, "no_table", table=mapping.table) from exc
    except sa.exc.SQLAlchemyError as exc:
        raise _source_failure(mapping, "no_connection", exc) from exc
    missing = [(code, col) for code, col in mapping.columns.items() if col not in table.c]
    if missing:
        have = ", ".join(sorted(table.c.keys()))
        code, col = missing[0]
        raise mapping_error(
            Path(mapping.path).name, "column_absent", code=code, column=col, table=mapping.table, have=have
        )
    return table


def _plain(value: object) -> object:
    """A driver's value as the readers take it: Decimal → int (or float if not whole)."""
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def read_external(
    mapping: Mapping, *, catalog: Catalog | None = None, today: dt.date | None = None
) -> ReadResult:
    """Read the source's rows (read only) and check them as the canonical template is checked.

    Issues name the source (as the file), the row of the result (1 = first, ordered by the mapped
    period, unit, field and procedure columns) and the source's column name. More than
    ``mapping.max_rows`` rows, or no answer within ``mapping.timeout_seconds``, raise
    :class:`MappingError` (at most ``max_rows`` + 1 rows are fetched).
    """
    engine = _source_engine(mapping)
    try:
        table = _source_table(engine, mapping)
        codes = list(mapping.columns)
        order = [
            table.c[mapping.columns[c]]
            for c in ("period", "unit", "field", "procedure_code")
            if c in mapping.columns
        ]
        stmt = (
            sa.select(*[table.c[mapping.columns[c]] for c in codes])
            .order_by(*order)
            .limit(mapping.max_rows + 1)
        )
        try:
            with engine.connect() as conn:
                fetched = conn.execute(stmt).all()
        except sa.exc.SQLAlchemyError as exc:
            raise _source_failure(mapping, "unreadable_table", exc) from exc
    finally:
        engine.dispose()
    if len(fetched) > mapping.max_rows:
        raise mapping_error(
            Path(mapping.path).name,
            "too_many_rows",
            table=mapping.table,
            max_rows=fmt_int(mapping.max_rows),
            default=fmt_int(DEFAULT_MAX_ROWS),
        )
    consts = list(mapping.constants)
    body = [[_plain(v) for v in row] + [mapping.constants[c] for c in consts] for row in fetched]
    header: list[object] = [*codes, *consts]
    digest = hashlib.sha256(
        json.dumps([header, body], default=str, ensure_ascii=False).encode("utf-8")
    ).hexdigest()
    result = read_rows([header, *body], name=mapping.label, catalog=catalog, today=today, sha256=digest)
    source_name = {**mapping.columns, **{c: T.CONSTANT_COLUMN.format(code=c) for c in consts}}
    result.issues = [_relocate(i, source_name) for i in result.issues]
    result.layout = KIND
    return result


def _relocate(issue: Issue, source_name: dict[str, str]) -> Issue:
    """An issue as the source shows it: its row in the result (not an Excel row) and its column name
    (the readers name a column by the header they found: here the code itself)."""
    code = issue.column if issue.column in source_name else None
    column = f"{source_name[code]} ({code})" if code else issue.column
    row = issue.row - 1 if issue.row is not None and issue.row > 1 else None
    return replace(issue, row=row, column=column, col_index=None, sheet="")


# ---------------------------------------------------------------------------- storing


@dataclass
class SyncResult(IssueList):
    issues: list[Issue]
    upload_id: int | None = None  # the new upload, when something was stored
    unchanged: bool = False  # the source holds what was stored last time
    months: list[str] = field(default_factory=list)
    rows: int = 0
    busy: bool = False  # another process was syncing this database (PostgreSQL): nothing done here


def _last(conn: sa.Connection, mapping: Mapping) -> tuple[int, str] | None:
    row = conn.execute(
        sa.select(upload.c.id, upload.c.sha256)
        .where(upload.c.kind == KIND, upload.c.file_name == mapping.label[:500])
        .order_by(upload.c.id.desc())
        .limit(1)
    ).first()
    return (int(row.id), row.sha256) if row else None


def last_synced(engine: Engine, mapping: Mapping) -> tuple[int, str] | None:
    """(upload id, SHA-256) of the last upload stored from this source, or ``None``."""
    with engine.connect() as conn:
        return _last(conn, mapping)


def _stored_meanwhile(mapping: Mapping, sha256: str) -> Callable[[sa.Connection], bool]:
    """The re-check of :func:`sync`, run first inside the write transaction: whether the last upload
    of this source already holds these rows (stored by another session or process since the
    check before). It takes the write lock first so that it sees every committed upload: on
    PostgreSQL a transaction advisory lock, on SQLite a write that changes nothing."""

    def check(conn: sa.Connection) -> bool:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": STORE_LOCK})
        else:
            conn.execute(upload.update().where(sa.false()).values(kind=upload.c.kind))
        last = _last(conn, mapping)
        return last is not None and last[1] == sha256

    return check


def sync(
    engine: Engine,
    mapping: Mapping,
    *,
    actor: Actor = SYNC_ACTOR,
    catalog: Catalog | None = None,
    today: dt.date | None = None,
    wait: bool = True,
) -> SyncResult:
    """Read the source and, when its rows changed since the last sync, store them as one upload.

    All or nothing, as an import: a source row that breaks a rule of the data contract stores
    nothing and is listed. ``actor`` must be allowed to upload (the automatic sync is). On
    PostgreSQL one process syncs at a time: ``wait`` for another's sync to end (then find its
    upload and store nothing), or return at once with ``busy``.
    """
    with advisory_lock(engine, SYNC_LOCK, wait=wait) as got:
        if not got:
            return SyncResult([], busy=True)
        result = read_external(mapping, catalog=catalog, today=today)
        if not result.ok:
            return SyncResult(result.issues)
        same = SyncResult(result.issues, unchanged=True, months=result.months, rows=len(result.frame))
        last = last_synced(engine, mapping)
        if last is not None and last[1] == result.sha256:
            return same
        prepared = prepare_rows(engine, [result])
        if not prepared.ok:
            return SyncResult(prepared.issues)
        infos = commit_import(
            engine, prepared, actor=actor, kind=KIND, unless=_stored_meanwhile(mapping, result.sha256)
        )
    if not infos:  # another session stored the same rows meanwhile
        return same
    return SyncResult(prepared.issues, upload_id=infos[0].id, months=infos[0].months, rows=infos[0].rows)


# ---------------------------------------------------------------------------- in the background


@dataclass(frozen=True)
class CheckState:
    """What this process knows of the checks of one source into one database."""

    result: SyncResult | None = None  # the outcome of the last finished check (None: none finished yet)
    started: float | None = None  # when the last check started (time.monotonic())
    running: bool = False  # that check is still in flight

    def waiting(self, now: float | None = None) -> float | None:
        """Seconds the check in flight has waited so far (``None`` when none is in flight)."""
        if not self.running or self.started is None:
            return None
        return (time.monotonic() if now is None else now) - self.started


def _check(url: str, mapping: Mapping) -> SyncResult:
    """One check of the worker: :func:`sync` without waiting for another process's; every failure
    becomes an outcome with one error (shown on the pages), never an exception."""
    try:
        return sync(open_engine(url), mapping, wait=False)
    except MappingError as exc:
        return SyncResult([Issue("error", "source_unusable", str(exc), file=mapping.label)])
    except Exception as exc:  # the main database or a driver: said on the pages, the worker goes on
        log.warning("external source check failed", exc_info=True)
        message = T.SYNC_FAILED.format(error=failure_message(exc) or type(exc).__name__)
        return SyncResult([Issue("error", "sync_failed", message, file=mapping.label)])


class _Worker:
    """At most one thread per process runs the due checks, one after the other; asking never waits."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._states: dict[tuple[str, str], CheckState] = {}
        self._queue: dict[tuple[str, str], tuple[str, Mapping]] = {}
        self._thread: threading.Thread | None = None

    def request(self, url: str, mapping: Mapping, now: float) -> CheckState:
        key = (url, mapping.path)
        with self._lock:
            state = self._states.get(key, CheckState())
            due = not state.running and (
                state.started is None or now - state.started >= mapping.refresh_minutes * 60
            )
            if due:
                state = replace(state, started=now, running=True)
                self._states[key] = state
                self._queue[key] = (url, mapping)
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="external-sync", daemon=True)
                    self._thread.start()
            return state

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    self._thread = None
                    self._idle.notify_all()
                    return
                key = next(iter(self._queue))
                url, mapping = self._queue.pop(key)
            result: SyncResult | None = None
            try:
                result = _check(url, mapping)
            finally:
                with self._lock:
                    state = self._states.get(key)
                    if state is not None:  # not forgotten meanwhile
                        self._states[key] = replace(state, result=result or state.result, running=False)

    def wait(self, timeout: float) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self._thread is None, timeout)

    def forget(self) -> None:
        with self._lock:
            self._states.clear()
            self._queue.clear()


_worker = _Worker()


def check_in_background(url: str, mapping: Mapping, *, now: float | None = None) -> CheckState:
    """This process's state of the checks of ``mapping``'s source into the database ``url``, after
    handing a check to the worker thread when one is due (none in flight and the last one started
    ``mapping.refresh_minutes`` or more ago). Returns at once: the caller never waits for the source."""
    return _worker.request(url, mapping, time.monotonic() if now is None else now)


def wait_for_checks(timeout: float) -> bool:
    """Wait until the worker has no check left (tests); ``False`` when ``timeout`` seconds passed first."""
    return _worker.wait(timeout)


def forget_checks() -> None:
    """Forget every check's state (tests; a settings change): the next ask starts a check."""
    _worker.forget()
