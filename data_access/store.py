"""Storage: engine set-up, migrations, import in one transaction, history, restore, reads.

The dashboard reads, for each (month, unit), the figures of the latest upload that holds
that pair; earlier uploads stay in history and can be restored (a restore is itself an
upload of kind ``restore``, so history is append-only).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from data_access.aggregate import refresh_sums
from data_access.auth import Actor, cli_actor, record, require
from data_access.catalog import Catalog
from data_access.columns import COUNT_COLUMNS, HEADERS, TEXT_COLUMNS, TOTALS
from data_access.messages import Issue, IssueList, msg
from data_access.readers import ReadResult, read_workbook
from data_access.schema import figure, upload, upload_part

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_migrate_lock = threading.Lock()
_engines: dict[str, Engine] = {}


class StoreError(RuntimeError):
    """A database problem worth a clear message (the page shows it, the CLI exits 1)."""


# ---------------------------------------------------------------------------- engine


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
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


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def create_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout."""
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


@lru_cache(maxsize=16)
def open_engine(url: str) -> Engine:
    """The (cached) engine for ``url`` with the schema migrated to the latest revision."""
    engine = create_engine(url)
    _engines[url] = engine
    try:
        migrate(engine)
    except sa.exc.OperationalError as exc:
        _engines.pop(url, None)
        engine.dispose()
        raise StoreError(f"Không kết nối được cơ sở dữ liệu: {_safe(exc)}") from exc
    return engine


def close_engines() -> None:
    """Dispose every cached engine (tests, and after a database was dropped)."""
    for eng in _engines.values():
        eng.dispose()
    _engines.clear()
    open_engine.cache_clear()


def _safe(exc: BaseException) -> str:
    """The first line of a driver error, without the URL or SQL it may carry."""
    text = str(getattr(exc, "orig", exc) or exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


def connection_lost(exc: sa.exc.SQLAlchemyError) -> bool:
    """Whether ``exc`` says the database is unreachable (rather than that a statement was wrong)."""
    return isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError | sa.exc.DisconnectionError
                      | sa.exc.TimeoutError) or bool(getattr(exc, "connection_invalidated", False))


# ---------------------------------------------------------------------------- import


@dataclass
class UploadInfo:
    id: int
    file_name: str
    months: list[str]
    rows: int
    sha256: str = ""


@dataclass
class PreparedImport(IssueList):
    """Files read and checked against the store, not yet written."""

    results: list[ReadResult]
    issues: list[Issue]
    preview: pd.DataFrame  # period, unit, rows, status (new|replace), current_upload
    committed: list[UploadInfo] = field(default_factory=list)


@dataclass
class ImportResult(IssueList):
    issues: list[Issue]
    uploads: list[UploadInfo]



Source = Path | str | tuple[str, bytes]
PREVIEW_COLUMNS = ["period", "unit", "rows", "status", "current_upload"]


def prepare_import(
    engine: Engine,
    sources: Sequence[Source],
    *,
    unit: str | None = None,
    catalog: Catalog | None = None,
    today: dt.date | None = None,
) -> PreparedImport:
    """Read and check every file, then compare with what is stored (warnings and preview)."""
    results: list[ReadResult] = []
    for src in sources:
        if isinstance(src, tuple):
            results.append(read_workbook(src[1], filename=src[0], unit=unit, catalog=catalog, today=today))
        else:
            results.append(read_workbook(src, unit=unit, catalog=catalog, today=today))
    return prepare_rows(engine, results, unit=unit)


def prepare_rows(engine: Engine, results: list[ReadResult], *, unit: str | None = None) -> PreparedImport:
    """Compare rows already read and checked (files, an external source) with what is stored."""
    issues = [i for r in results for i in r.issues]
    for r in results:
        if unit and r.ok and r.layout == "canonical":
            issues.append(Issue("warning", "unit_ignored", msg("unit_ignored"), file=r.file))
    empty_preview = pd.DataFrame(columns=PREVIEW_COLUMNS)
    if any(i.is_error for i in issues) or not results:
        return PreparedImport(results, issues, empty_preview)
    # (month, unit) pairs of the upload, each new or replacing the stored active version
    pairs: Counter[tuple[str, str]] = Counter()
    for r in results:
        pairs.update(zip(r.frame["period"], r.frame["unit"], strict=True))
    active = active_parts(engine)
    current = dict(zip(zip(active["period"], active["unit"], strict=True), active["upload_id"], strict=True))
    keys = sorted(pairs)
    preview = pd.DataFrame({
        "period": [p for p, _ in keys],
        "unit": [u for _, u in keys],
        "rows": [pairs[k] for k in keys],
        "status": ["replace" if k in current else "new" for k in keys],
        "current_upload": [current.get(k, np.nan) for k in keys],
    }, columns=PREVIEW_COLUMNS)
    for r in results:
        held = set(zip(r.frame["period"], r.frame["unit"], strict=True))
        for k in keys:
            if k in current and k in held:
                issues.append(Issue("warning", "month_stored", msg(
                    "month_stored", period=_vn_month(k[0]), unit=k[1], upload=int(current[k])), file=r.file))
    issues.extend(_same_file_warnings(engine, results))
    new = results[0].frame if len(results) == 1 else pd.concat([r.frame for r in results], ignore_index=True)
    stored_periods = set(active["period"])
    issues.extend(_jump_warnings(engine, results, new, stored_periods))
    return PreparedImport(results, issues, preview)


def _vn_month(period: str) -> str:
    return f"{period[5:]}/{period[:4]}"


def _same_file_warnings(engine: Engine, results: list[ReadResult]) -> list[Issue]:
    shas = [r.sha256 for r in results]
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(upload.c.id, upload.c.sha256, upload.c.created_at)
            .where(upload.c.sha256.in_(shas), upload.c.kind == "import")
            .order_by(upload.c.id)
        ).all()
    first = {}
    for row in rows:
        first.setdefault(row.sha256, row)
    out = []
    for r in results:
        if r.sha256 in first:
            row = first[r.sha256]
            out.append(Issue("warning", "same_file", msg("same_file", sha=r.sha256[:12], upload=row.id,
                                                         when=_fmt_time(row.created_at)), file=r.file))
    return out


def as_utc(value: dt.datetime) -> dt.datetime:
    """A stored time as an aware UTC datetime (SQLite hands back naive ones)."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _fmt_time(value: dt.datetime) -> str:
    return as_utc(value).astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")


VN_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")

#: A ×3 jump is only reported where the larger of the two figures is at least this (1 → 4 is noise).
JUMP_MIN = 10


def _jump_warnings(engine: Engine, results: list[ReadResult], new: pd.DataFrame,
                   stored_periods: set[str] | None = None) -> list[Issue]:
    """Warn where a figure moves by more than ×3 from the previous month, same unit and field.

    Rows are compared key by key (unit, field and procedure): a procedure's row is not added to
    its field's row. A total is compared only where its parts are not known in both months (else
    the parts' warnings say it already).
    """
    periods = sorted(new["period"].unique())
    prev_periods = sorted({_prev(p) for p in periods} - set(periods))
    if stored_periods is not None:  # only months the store holds (none: no query at all)
        prev_periods = [p for p in prev_periods if p in stored_periods]
    stored = load_figures(engine, periods=prev_periods) if prev_periods else None
    cols = list(COUNT_COLUMNS)

    def keyed(frame: pd.DataFrame) -> tuple[list[tuple], np.ndarray]:
        keys = list(zip(frame["period"], frame["unit"], frame["field"],
                        (c or "" for c in frame["procedure_code"]), strict=True))
        return keys, frame[cols].to_numpy(dtype="float64", na_value=np.nan)

    new_keys, new_values = keyed(new)
    # two files of one call may hold the same key: the later row is what will be stored
    position = {k: i for i, k in enumerate(new_keys)}
    rows = sorted(position.values())
    stored_keys, stored_values = keyed(stored) if stored is not None and not stored.empty else ([], None)
    stored_position = {k: i for i, k in enumerate(stored_keys)}
    # the previous month of every row: from this upload if it holds that month, else as stored
    prev_of = {p: _prev(p) for p in periods}
    missing = len(new_keys) + len(stored_keys)  # index of an all-NaN row
    lookup = []
    for i in rows:
        period, unit, fld, proc = new_keys[i]
        key = (prev_of[period], unit, fld, proc)
        j = position.get(key)
        if j is None:
            j = stored_position.get(key)
            j = missing if j is None else len(new_keys) + j
        lookup.append(j)
    table = [new_values, np.full((1, len(cols)), np.nan)]
    if stored_values is not None:
        table.insert(1, stored_values)
    before = np.vstack(table)[lookup]
    after = new_values[rows]
    with np.errstate(invalid="ignore"):
        known = ~np.isnan(before) & ~np.isnan(after) & (np.fmax(before, after) >= JUMP_MIN)
        up = known & (after > 3 * before)
        down = known & ~up & (before > 3 * after)
    for k, c in enumerate(cols):
        if c in TOTALS:  # a total whose parts are known in both months: the parts say it already
            parts_known = np.ones(len(rows), dtype=bool)
            for part in TOTALS[c]:
                j = cols.index(part)
                parts_known &= ~np.isnan(before[:, j]) & ~np.isnan(after[:, j])
            up[:, k] &= ~parts_known
            down[:, k] &= ~parts_known
    file_of = {}
    for r in results:
        for m in r.months:
            file_of.setdefault(m, r.file)
    out: list[Issue] = []
    for i, k in zip(*np.nonzero(up | down), strict=True):  # row by row, columns in order
        period, unit, fld, proc = new_keys[rows[i]]
        code = "jump" if up[i, k] else "drop"
        c = cols[k]
        where = f"{fld} (TTHC {proc})" if proc else fld
        out.append(Issue("warning", code, msg(code, header=HEADERS[c], unit=unit, field=where,
                                              period=_vn_month(period), value=int(after[i, k]),
                                              previous=int(before[i, k])),
                         file=file_of.get(period, ""), column=HEADERS[c]))
    return out


def _prev(period: str) -> str:
    y, m = int(period[:4]), int(period[5:])
    return f"{y - 1:04d}-12" if m == 1 else f"{y:04d}-{m - 1:02d}"


def commit_import(engine: Engine, prepared: PreparedImport, *, actor: Actor, kind: str = "import"
                  ) -> list[UploadInfo]:
    """Write every file of a prepared import in ONE transaction; a second call writes nothing.

    ``actor`` must be allowed to upload (``van_phong`` or ``quan_tri``); the upload is audited.
    ``kind`` is ``import`` for files, ``external`` for a sync of an external source.

    Test hook (fault injection, ``tests/test_faults.py``): when the environment variable
    ``DATA_ACCESS_FAULT_PAUSE`` names a file path, the transaction, once every row is inserted and
    before it commits, creates that file and sleeps ``DATA_ACCESS_FAULT_PAUSE_SECONDS`` (default 60)
    seconds, so that a test can kill the process there. Unset (always, outside tests), it does nothing.
    """
    require(actor, "upload")
    if not prepared.ok:
        raise StoreError("Không thể lưu: tệp còn lỗi")
    if prepared.committed:
        return prepared.committed
    now = dt.datetime.now(dt.UTC)
    infos: list[UploadInfo] = []
    with engine.begin() as conn:
        for r in prepared.results:
            frame = r.frame
            months = r.months
            upload_id = conn.execute(
                upload.insert().values(created_at=now, user_name=actor.username, file_name=r.file[:500],
                                       sha256=r.sha256, months=",".join(months), row_count=len(frame),
                                       kind=kind, layout=r.layout)
            ).inserted_primary_key[0]
            _insert_frame(conn, upload_id, frame)
            refresh_sums(conn, int(upload_id))
            record(conn, actor.username, "upload" if kind == "import" else kind,
                   {"upload_id": int(upload_id), "file": r.file, "sha256": r.sha256, "months": months,
                    "rows": len(frame), "via": actor.via})
            infos.append(UploadInfo(int(upload_id), r.file, months, len(frame), r.sha256))
        _fault_pause()
    prepared.committed = infos
    return infos


def _fault_pause() -> None:
    """The test hook of :func:`commit_import` (see there); a no-op unless ``DATA_ACCESS_FAULT_PAUSE`` is set."""
    marker = os.environ.get("DATA_ACCESS_FAULT_PAUSE")
    if not marker:
        return
    Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(float(os.environ.get("DATA_ACCESS_FAULT_PAUSE_SECONDS", "60")))


def _insert_frame(conn: sa.Connection, upload_id: int, frame: pd.DataFrame) -> None:
    cols = [*TEXT_COLUMNS, *COUNT_COLUMNS]
    columns: list[list[object]] = [[upload_id] * len(frame)]
    for c in cols:
        # as Python str/int (not numpy scalars), every missing value (NA, NaN) as None
        columns.append(frame[c].to_numpy(dtype=object, na_value=None).tolist())
    _insert_many(conn, figure, ["upload_id", *cols], list(zip(*columns, strict=True)))
    parts = frame.groupby(["period", "unit"]).size()
    _insert_many(conn, upload_part, ["upload_id", "period", "unit", "row_count"],
                 [(upload_id, p, u, int(n)) for (p, u), n in parts.items()])


def _insert_many(conn: sa.Connection, table: sa.Table, names: list[str], rows: list[tuple]) -> None:
    """INSERT ``rows`` (tuples in ``names`` order) with the driver's own executemany.

    SQLAlchemy Core would build a parameter dict per row, which costs more than the insert itself
    for a file of a few thousand rows. The values are plain ``str``/``int``/``None``.
    """
    if not rows:
        return
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(conn.dialect.paramstyle)
    if mark is None:  # another driver: let SQLAlchemy bind the parameters
        conn.execute(table.insert(), [dict(zip(names, r, strict=True)) for r in rows])
        return
    q = conn.dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {q(table.name)} ({', '.join(q(n) for n in names)}) "
           f"VALUES ({', '.join([mark] * len(names))})")
    conn.exec_driver_sql(sql, rows)


def import_files(
    engine: Engine,
    paths: Sequence[Source],
    user: str = "cli",
    unit: str | None = None,
    *,
    actor: Actor | None = None,
    catalog: Catalog | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Read, check and store files: all of them or, on any error, none.

    Without ``actor`` this is the command line's trusted path (whoever holds the database):
    the upload is recorded under ``user``. Pages pass the signed-in actor, whose role is checked.
    """
    prepared = prepare_import(engine, paths, unit=unit, catalog=catalog, today=today)
    if not prepared.ok:
        return ImportResult(prepared.issues, [])
    infos = commit_import(engine, prepared, actor=actor or cli_actor(user))
    return ImportResult(prepared.issues, infos)


# ---------------------------------------------------------------------------- restore


def restore(engine: Engine, upload_id: int, *, period: str, unit: str, actor: Actor) -> UploadInfo:
    """Make upload ``upload_id``'s figures for (period, unit) the active ones again, as a new upload.

    ``actor`` must be allowed to restore; the restore is audited.
    """
    require(actor, "restore")
    with engine.begin() as conn:
        src = conn.execute(sa.select(upload).where(upload.c.id == upload_id)).first()
        part = conn.execute(sa.select(upload_part.c.row_count).where(
            upload_part.c.upload_id == upload_id, upload_part.c.period == period, upload_part.c.unit == unit)
        ).first()
        if src is None or part is None:
            raise StoreError(f"Lần nhập #{upload_id} không có số liệu tháng {_vn_month(period)} của '{unit}'")
        now = dt.datetime.now(dt.UTC)
        new_id = conn.execute(upload.insert().values(
            created_at=now, user_name=actor.username, file_name=src.file_name, sha256=src.sha256,
            months=period, row_count=part.row_count, kind="restore", layout=src.layout,
            restored_from=upload_id, note=f"Khôi phục {_vn_month(period)} – {unit} từ lần nhập #{upload_id}",
        )).inserted_primary_key[0]
        cols = [*TEXT_COLUMNS, *COUNT_COLUMNS]
        sel = sa.select(sa.literal(new_id).label("upload_id"), *[figure.c[c] for c in cols]).where(
            figure.c.upload_id == upload_id, figure.c.period == period, figure.c.unit == unit)
        conn.execute(figure.insert().from_select(["upload_id", *cols], sel))
        conn.execute(upload_part.insert().values(upload_id=new_id, period=period, unit=unit,
                                                 row_count=part.row_count))
        refresh_sums(conn, int(new_id))
        record(conn, actor.username, "restore", {"upload_id": int(new_id), "from_upload": upload_id,
                                                 "period": period, "unit": unit, "via": actor.via})
    return UploadInfo(int(new_id), src.file_name, [period], int(part.row_count), src.sha256)


# ---------------------------------------------------------------------------- reads


def _active_subquery() -> sa.Subquery:
    return (sa.select(upload_part.c.period, upload_part.c.unit,
                      sa.func.max(upload_part.c.upload_id).label("upload_id"))
            .group_by(upload_part.c.period, upload_part.c.unit).subquery("active"))


def active_parts(engine: Engine) -> pd.DataFrame:
    """(period, unit, upload_id) of the active version of every stored (month, unit)."""
    a = _active_subquery()
    with engine.connect() as conn:
        rows = conn.execute(sa.select(a.c.period, a.c.unit, a.c.upload_id).order_by(a.c.period, a.c.unit)).all()
    return pd.DataFrame(rows, columns=["period", "unit", "upload_id"])


def load_figures(
    engine: Engine,
    start: str | None = None,
    end: str | None = None,
    *,
    periods: Iterable[str] | None = None,
    units: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The active figures (latest upload of each month and unit) in the engine's frame format."""
    a = _active_subquery()
    cols = [figure.c[c] for c in (*TEXT_COLUMNS, *COUNT_COLUMNS)]
    q = sa.select(*cols).join(a, sa.and_(figure.c.upload_id == a.c.upload_id, figure.c.period == a.c.period,
                                         figure.c.unit == a.c.unit))
    if start:
        q = q.where(figure.c.period >= start)
    if end:
        q = q.where(figure.c.period <= end)
    if periods is not None:
        q = q.where(figure.c.period.in_(list(periods)))
    if units is not None:
        q = q.where(figure.c.unit.in_(list(units)))
    # Sorted here, not by the database: SQLite compares text by code point, PostgreSQL by its
    # collation (and puts NULLs last), so ORDER BY would give each backend its own order.
    q = q.order_by(figure.c.id)
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    frame = _to_frame(rows)
    if len(frame) > 1:
        frame = frame.sort_values(["period", "unit", "field", "procedure_code"], kind="stable",
                                  na_position="first", ignore_index=True)
    return frame


def _to_frame(rows: Sequence[sa.Row]) -> pd.DataFrame:
    names = [*TEXT_COLUMNS, *COUNT_COLUMNS]
    if not rows:
        from data_access.readers import empty_frame

        return empty_frame()
    columns = list(zip(*rows, strict=True))
    data: dict[str, object] = {}
    for name, values in zip(names, columns, strict=True):
        if name in COUNT_COLUMNS:
            data[name] = pd.array(values, dtype="Int64")
        else:
            data[name] = pd.Series(values, dtype="object")
    return pd.DataFrame(data)


def upload_figures(engine: Engine, upload_id: int) -> pd.DataFrame:
    """Every figure row of one upload (for the history view)."""
    cols = [figure.c[c] for c in (*TEXT_COLUMNS, *COUNT_COLUMNS)]
    with engine.connect() as conn:
        rows = conn.execute(sa.select(*cols).where(figure.c.upload_id == upload_id).order_by(figure.c.id)).all()
    return _to_frame(rows)


def data_version(engine: Engine) -> int:
    """A number that changes whenever the stored figures change (the latest upload id)."""
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(upload.c.id), 0))).scalar_one())


def history(engine: Engine) -> pd.DataFrame:
    """Every upload, newest first, with whether it is the active version of its months."""
    a = _active_subquery()
    with engine.connect() as conn:
        ups = conn.execute(sa.select(upload).order_by(upload.c.id.desc())).all()
        parts = conn.execute(sa.select(upload_part.c.upload_id, upload_part.c.period, upload_part.c.unit,
                                       upload_part.c.row_count)).all()
        act = {(r.period, r.unit): r.upload_id for r in conn.execute(sa.select(a.c.period, a.c.unit, a.c.upload_id))}
    by_upload: dict[int, list[tuple[str, str]]] = {}
    for p in parts:
        by_upload.setdefault(p.upload_id, []).append((p.period, p.unit))
    records = []
    for u in ups:
        pairs = by_upload.get(u.id, [])
        n_active = sum(1 for pair in pairs if act.get(pair) == u.id)
        state = "active" if pairs and n_active == len(pairs) else ("partly" if n_active else "replaced")
        records.append({
            "id": u.id, "created_at": as_utc(u.created_at), "user": u.user_name, "file_name": u.file_name,
            "sha256": u.sha256, "months": u.months.split(",") if u.months else [], "rows": u.row_count,
            "kind": u.kind, "restored_from": u.restored_from, "active": state,
            "units": sorted({unit for _, unit in pairs}),
        })
    return pd.DataFrame(records, columns=["id", "created_at", "user", "file_name", "sha256", "months", "rows",
                                          "kind", "restored_from", "active", "units"])


def upload_parts(engine: Engine, upload_id: int) -> pd.DataFrame:
    """(period, unit, rows, active) of one upload."""
    a = _active_subquery()
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(upload_part.c.period, upload_part.c.unit, upload_part.c.row_count, a.c.upload_id)
            .join(a, sa.and_(a.c.period == upload_part.c.period, a.c.unit == upload_part.c.unit))
            .where(upload_part.c.upload_id == upload_id).order_by(upload_part.c.period, upload_part.c.unit)
        ).all()
    return pd.DataFrame([{"period": r.period, "unit": r.unit, "rows": r.row_count,
                          "active": r.upload_id == upload_id} for r in rows],
                        columns=["period", "unit", "rows", "active"])


@dataclass
class Summary:
    months: list[str]
    units: list[str]
    fields: list[str]
    rows: int
    last_upload: dict | None


def summary(engine: Engine) -> Summary:
    """What is loaded: months, units, fields, active rows, and the latest upload."""
    a = _active_subquery()
    j = sa.and_(figure.c.upload_id == a.c.upload_id, figure.c.period == a.c.period, figure.c.unit == a.c.unit)
    with engine.connect() as conn:
        months = [r[0] for r in conn.execute(sa.select(a.c.period).distinct().order_by(a.c.period))]
        units = [r[0] for r in conn.execute(sa.select(a.c.unit).distinct().order_by(a.c.unit))]
        fields = [r[0] for r in conn.execute(sa.select(figure.c.field).join(a, j).distinct().order_by(figure.c.field))]
        n = conn.execute(sa.select(sa.func.count()).select_from(figure).join(a, j)).scalar_one()
        last = conn.execute(sa.select(upload).order_by(upload.c.id.desc()).limit(1)).first()
    return Summary(months, units, fields, int(n), dict(last._mapping) if last else None)


def dump(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, ordered (to compare a database before and after)."""
    from data_access.schema import metadata

    out = {}
    with engine.connect() as conn:
        for t in metadata.sorted_tables:  # every table the schema knows (sums and users too)
            order = list(t.primary_key.columns) or list(t.columns)
            out[t.name] = [tuple(r) for r in conn.execute(sa.select(t).order_by(*order))]
    return out
