"""Import: read and check files (or rows already read), compare them with what is stored, and
write them all in one transaction."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access.auth import Actor, account_transaction, cli_actor, permit, record
from data_access.catalog import Catalog
from data_access.columns import COUNT_COLUMNS, HEADERS, TEXT_COLUMNS
from data_access.messages import Issue, IssueList, msg
from data_access.readers import ReadResult, read_workbook
from data_access.schema import figure, upload, upload_part
from data_access.settings import SettingError, reporting_cutoff_day
from data_access.store.checks import jump_warnings, month_stored_warnings, same_file_warnings
from data_access.store.engine import StoreError
from data_access.store.reads import active_parts
from data_access.store.sums import refresh_sums
from data_access.texts import store as T
from data_access.xlsx.dossier_list import DossierReadResult


@dataclass
class UploadInfo:
    id: int
    file_name: str
    months: list[str]
    rows: int
    sha256: str = ""
    #: a list of dossiers: how many dossiers it held, and its units (0 and [] for other files)
    dossiers: int = 0
    units: list[str] = field(default_factory=list)


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
    """Read and check every file, then compare with what is stored (warnings and preview).

    Official reports' periods are read under the setting ``REPORTING_CUTOFF_DAY``; a bad value of it
    refuses the import with that setting's error, before any file is read.
    """
    try:
        cutoff_day = reporting_cutoff_day()
    except SettingError as exc:
        return PreparedImport(
            [], [Issue("error", "setting_invalid", str(exc))], pd.DataFrame(columns=PREVIEW_COLUMNS)
        )
    results: list[ReadResult] = []
    from data_access.procedure_figures import catalog_lookup  # (it imports the store: not at import time)

    procedures = catalog_lookup(engine)  # month → the catalog in force, each version read once
    for src in sources:
        data, name = (src[1], src[0]) if isinstance(src, tuple) else (src, None)
        results.append(
            read_workbook(
                data,
                filename=name,
                unit=unit,
                catalog=catalog,
                today=today,
                cutoff_day=cutoff_day,
                procedures=procedures,
            )
        )
    for result in results:
        if result.ok:
            result.issues.extend(codes_not_in_catalog(result, procedures))
    return prepare_rows(engine, results, unit=unit)


def codes_not_in_catalog(result: ReadResult, procedures: Callable[[str], pd.DataFrame]) -> list[Issue]:
    """A warning naming the procedure codes of ``result`` that the catalog in force in their month does
    not list (``procedures.md``: stored, with a warning, so the office can fix the catalog). Months with
    no catalog in force are not checked (there is nothing to compare with)."""
    frame = result.frame
    if frame.empty or "procedure_code" not in frame:
        return []
    coded = frame.loc[frame["procedure_code"].notna(), ["period", "procedure_code"]].drop_duplicates()
    missing: set[str] = set()
    for month, codes in coded.groupby("period")["procedure_code"]:
        catalog = procedures(str(month))
        if catalog.empty:
            continue
        known = {str(c).strip() for c in catalog["procedure_code"]}
        missing |= {str(c).strip() for c in codes} - known
    if not missing:
        return []
    listed = sorted(missing)
    return [
        Issue(
            "warning",
            "procedure_not_in_catalog",
            msg("procedure_not_in_catalog", n=len(listed), codes=", ".join(listed)),
            file=result.file,
            sheet=result.sheet,
            column=HEADERS["procedure_code"],
        )
    ]


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
    preview = pd.DataFrame(
        {
            "period": [p for p, _ in keys],
            "unit": [u for _, u in keys],
            "rows": [pairs[k] for k in keys],
            "status": ["replace" if k in current else "new" for k in keys],
            "current_upload": [current.get(k, np.nan) for k in keys],
        },
        columns=PREVIEW_COLUMNS,
    )
    issues.extend(month_stored_warnings(results, keys, current))
    issues.extend(same_file_warnings(engine, results))
    new = results[0].frame if len(results) == 1 else pd.concat([r.frame for r in results], ignore_index=True)
    issues.extend(jump_warnings(engine, results, new, set(active["period"])))
    return PreparedImport(results, issues, preview)


def commit_import(
    engine: Engine,
    prepared: PreparedImport,
    *,
    actor: Actor,
    kind: str = "import",
    unless: Callable[[sa.Connection], bool] | None = None,
) -> list[UploadInfo]:
    """Write every file of a prepared import in ONE transaction; a second call writes nothing.

    ``actor`` must be allowed to upload (``van_phong`` or ``quan_tri``); the upload is audited.
    ``kind`` is ``import`` for files, ``external`` for a sync of an external source. ``unless``, when
    given, is asked first inside the write transaction: when it answers true nothing is written and
    ``[]`` is returned (an external sync finding its rows stored meanwhile by another session).

    Test hook (fault injection, ``tests/test_faults.py``): when the environment variable
    ``DATA_ACCESS_FAULT_PAUSE`` names a file path, the transaction, once every row is inserted and
    before it commits, creates that file and sleeps ``DATA_ACCESS_FAULT_PAUSE_SECONDS`` (default 60)
    seconds, so that a test can kill the process there. Unset (always, outside tests), it does nothing.
    """
    permit(engine, actor, "upload")  # audited; the stored account is checked again in the transaction
    if not prepared.ok:
        raise StoreError(T.NOT_SAVABLE)
    if prepared.committed:
        return prepared.committed
    now = dt.datetime.now(dt.UTC)
    infos: list[UploadInfo] = []
    with account_transaction(engine, actor, "upload") as conn:
        if unless is not None and unless(conn):
            return []
        for r in prepared.results:
            frame = r.frame
            months = r.months
            upload_id = insert_upload(
                conn,
                created_at=now,
                user_name=actor.username,
                file_name=r.file[:500],
                sha256=r.sha256,
                months=",".join(months),
                row_count=len(frame),
                kind=kind,
                layout=r.layout,
            )
            _insert_frame(conn, upload_id, frame)
            refresh_sums(conn, int(upload_id))
            record(
                conn,
                actor.username,
                "upload" if kind == "import" else kind,
                {
                    "upload_id": int(upload_id),
                    "file": r.file,
                    "sha256": r.sha256,
                    "months": months,
                    "rows": len(frame),
                    "via": actor.via,
                },
            )
            units = sorted(set(frame["unit"])) if not frame.empty else []
            dossiers = r.dossier_count if isinstance(r, DossierReadResult) else 0
            infos.append(UploadInfo(int(upload_id), r.file, months, len(frame), r.sha256, dossiers, units))
        _fault_pause()
    prepared.committed = infos
    return infos


def insert_upload(conn: sa.Connection, **values: object) -> int:
    """INSERT one ``upload`` row with ``values``; its new id."""
    key = conn.execute(upload.insert().values(**values)).inserted_primary_key
    assert key is not None
    return int(key[0])


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
        columns.append(frame[c].to_numpy(dtype=object, na_value=None).tolist())  # type: ignore[call-overload]
    _insert_many(conn, figure, ["upload_id", *cols], list(zip(*columns, strict=True)))
    parts = frame.groupby(["period", "unit"]).size()
    pairs = zip(parts.index.tolist(), parts.tolist(), strict=True)
    _insert_many(
        conn,
        upload_part,
        ["upload_id", "period", "unit", "row_count"],
        [(upload_id, p, u, int(n)) for (p, u), n in pairs],
    )


def _insert_many(
    conn: sa.Connection, table: sa.Table, names: list[str], rows: list[tuple[object, ...]]
) -> None:
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
    sql = (
        f"INSERT INTO {q(table.name)} ({', '.join(q(n) for n in names)}) "
        f"VALUES ({', '.join([mark] * len(names))})"
    )
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
