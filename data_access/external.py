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
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access.auth import Actor
from data_access.catalog import Catalog
from data_access.external_mapping import CONSTANT_CODES, Mapping, MappingError, load_mapping, mapping_error
from data_access.messages import Issue, IssueList
from data_access.readers import ReadResult, read_rows
from data_access.schema import upload
from data_access.store import advisory_lock, commit_import, prepare_rows
from data_access.texts import external as T

__all__ = [
    "CONSTANT_CODES",
    "KIND",
    "SYNC_ACTOR",
    "Mapping",
    "MappingError",
    "SyncResult",
    "forget_checks",
    "last_synced",
    "load_mapping",
    "read_external",
    "sync",
    "sync_if_due",
]

KIND = "external"
#: The actor an automatic sync is recorded under (history, audit trail).
SYNC_ACTOR = Actor(T.SYNC_USER, "van_phong", "external")


# ---------------------------------------------------------------------------- reading


def _source_engine(mapping: Mapping) -> Engine:
    return sa.create_engine(mapping.url, pool_pre_ping=True)


def _source_table(engine: Engine, mapping: Mapping) -> sa.Table:
    """The source table or view, reflected; every mapped column must be there."""
    try:
        table = sa.Table(mapping.table, sa.MetaData(), schema=mapping.schema, autoload_with=engine)
    except sa.exc.NoSuchTableError as exc:
        raise mapping_error(Path(mapping.path).name, "no_table", table=mapping.table) from exc
    except sa.exc.SQLAlchemyError as exc:
        raise mapping_error(Path(mapping.path).name, "no_connection", error=type(exc).__name__) from exc
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
    period, unit, field and procedure columns) and the source's column name.
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
        stmt = sa.select(*[table.c[mapping.columns[c]] for c in codes]).order_by(*order)
        try:
            with engine.connect() as conn:
                fetched = conn.execute(stmt).all()
        except sa.exc.SQLAlchemyError as exc:
            raise mapping_error(
                Path(mapping.path).name, "unreadable_table", table=mapping.table, error=type(exc).__name__
            ) from exc
    finally:
        engine.dispose()
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


def last_synced(engine: Engine, mapping: Mapping) -> tuple[int, str] | None:
    """(upload id, SHA-256) of the last upload stored from this source, or ``None``."""
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(upload.c.id, upload.c.sha256)
            .where(upload.c.kind == KIND, upload.c.file_name == mapping.label[:500])
            .order_by(upload.c.id.desc())
            .limit(1)
        ).first()
    return (int(row.id), row.sha256) if row else None


def sync(
    engine: Engine,
    mapping: Mapping,
    *,
    actor: Actor = SYNC_ACTOR,
    catalog: Catalog | None = None,
    today: dt.date | None = None,
) -> SyncResult:
    """Read the source and, when its rows changed since the last sync, store them as one upload.

    All or nothing, as an import: a source row that breaks a rule of the data contract stores
    nothing and is listed. ``actor`` must be allowed to upload (the automatic sync is).
    """

    result = read_external(mapping, catalog=catalog, today=today)
    if not result.ok:
        return SyncResult(result.issues)
    last = last_synced(engine, mapping)
    if last is not None and last[1] == result.sha256:
        return SyncResult(result.issues, unchanged=True, months=result.months, rows=len(result.frame))
    prepared = prepare_rows(engine, [result])
    if not prepared.ok:
        return SyncResult(prepared.issues)
    infos = commit_import(engine, prepared, actor=actor, kind=KIND)
    return SyncResult(prepared.issues, upload_id=infos[0].id, months=infos[0].months, rows=infos[0].rows)


_due_lock = threading.Lock()
#: (database URL, mapping file) -> (when last checked, what that check gave), in this process.
_last_check: dict[tuple[str, str], tuple[float, SyncResult]] = {}


def sync_if_due(engine: Engine, mapping: Mapping, *, now: float | None = None) -> tuple[SyncResult, bool]:
    """(outcome, whether it is new): :func:`sync` at most once every ``mapping.refresh_minutes`` per
    database in this process, else the last check's outcome again. A source that cannot be read
    gives an outcome with that error too, and waits for the next check like any other: a source that
    does not answer must not slow every rerun. On PostgreSQL an advisory lock keeps processes from
    syncing together."""
    key = (str(engine.url), mapping.path)
    now = time.monotonic() if now is None else now
    with _due_lock:
        last = _last_check.get(key)
        if last is not None and now - last[0] < mapping.refresh_minutes * 60:
            return last[1], False
    try:
        with advisory_lock(engine, 74210003):
            result = sync(engine, mapping)
    except MappingError as exc:
        result = SyncResult([Issue("error", "source_unusable", str(exc), file=mapping.label)])
    with _due_lock:
        _last_check[key] = (now, result)
    return result, True


def forget_checks() -> None:
    """Forget when the sources were last checked (tests; a settings change)."""
    with _due_lock:
        _last_check.clear()
