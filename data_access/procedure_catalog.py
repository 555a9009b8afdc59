"""The procedure catalog (danh mục TTHC) in the database: versions by effective month, history kept.

A month is measured against the catalog in force in it: the latest upload (highest id) whose effective
month is not after it (``procedures.md``). Reading the file is :mod:`data_access.xlsx.procedure_catalog`.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access.account_check import account_transaction
from data_access.audit import record
from data_access.columns import CATALOG_COLUMNS, CATALOG_FLAGS, ONLINE_LEVELS
from data_access.roles import Actor, cli_actor
from data_access.schema import procedure_catalog_entry as entry
from data_access.schema import procedure_catalog_version as version
from data_access.xlsx.procedure_catalog import CatalogRead, empty_catalog, is_catalog_workbook, read_catalog

__all__ = [
    "CHANGE_COLUMNS",
    "SAMPLE_CATALOG",
    "VERSION_COLUMNS",
    "CatalogRead",
    "catalog_changes",
    "catalog_in_force",
    "catalog_version",
    "catalog_versions",
    "empty_catalog",
    "import_catalog",
    "is_catalog_workbook",
    "latest_version_id",
    "load_sample_catalog_if_empty",
    "read_catalog",
    "save_catalog",
    "version_in_force",
]

VERSION_COLUMNS: tuple[str, ...] = ("id", "effective", "created_at", "user_name", "file_name", "row_count")
CHANGE_COLUMNS: tuple[str, ...] = ("procedure_code", "procedure_name", "change", "columns")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _check_month(month: str) -> str:
    if not isinstance(month, str) or not _MONTH.match(month):
        raise ValueError(f"month must be YYYY-MM, got {month!r}")
    return month


def _cell(value: object) -> object:
    """A frame cell as the database takes it: NA → NULL, numpy bools → bool."""
    if value is None or value is pd.NA:
        return None
    try:
        if pd.isna(value):  # type: ignore[call-overload]
            return None
    except (TypeError, ValueError):
        pass
    return value


def save_catalog(
    engine: Engine,
    frame: pd.DataFrame,
    *,
    effective: str,
    user: str = "cli",
    file_name: str,
    sha256: str,
    actor: Actor | None = None,
) -> int:
    """Store one catalog version (a catalog frame, as :func:`read_catalog` gives it) effective from the
    month ``effective`` (``YYYY-MM``), in one transaction with its audit row; its version id.

    Without ``actor`` this is the command line's trusted path, recorded under ``user``; pages pass the
    signed-in actor, whose account is checked (``upload`` permission) in the same transaction."""
    _check_month(effective)
    missing = [c for c in CATALOG_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"catalog frame lacks columns {missing}")
    if frame["procedure_code"].duplicated().any():
        raise ValueError("catalog frame has duplicate procedure codes")
    bad = set(frame["online_level"]) - set(ONLINE_LEVELS)
    if bad:
        raise ValueError(f"unknown online levels {sorted(map(str, bad))}")
    who = actor or cli_actor(user)
    rows = [
        {c: _cell(v) for c, v in zip(CATALOG_COLUMNS, r, strict=True)}
        for r in frame[list(CATALOG_COLUMNS)].itertuples(index=False)
    ]
    for r in rows:
        for flag in CATALOG_FLAGS:
            if r[flag] is not None:
                r[flag] = bool(r[flag])
    with account_transaction(engine, who, "upload") as conn:
        key = conn.execute(
            version.insert().values(
                effective=effective,
                created_at=dt.datetime.now(dt.UTC),
                user_name=who.username[:200],
                file_name=file_name[:500],
                sha256=sha256,
                row_count=len(rows),
            )
        ).inserted_primary_key
        assert key is not None
        version_id = int(key[0])
        if rows:
            conn.execute(entry.insert(), [{"version_id": version_id, **r} for r in rows])
        record(
            conn,
            who.username,
            "catalog_upload",
            {
                "version_id": version_id,
                "file": file_name,
                "sha256": sha256,
                "effective": effective,
                "procedures": len(rows),
                "via": who.via,
            },
        )
    return version_id


def import_catalog(
    engine: Engine,
    source: object,
    *,
    effective: str,
    filename: str | None = None,
    user: str = "cli",
    actor: Actor | None = None,
) -> tuple[CatalogRead, int | None]:
    """Read a catalog file (path or bytes) and, when it has no error, store it (:func:`save_catalog`):
    the read (its issues) and the new version id (``None`` when refused: nothing stored)."""
    read = read_catalog(source, filename=filename)  # type: ignore[arg-type]
    if not read.ok:
        return read, None
    vid = save_catalog(
        engine,
        read.frame,
        effective=effective,
        user=user,
        file_name=read.file,
        sha256=read.sha256,
        actor=actor,
    )
    return read, vid


def _frame(rows: list[sa.Row[Any]]) -> pd.DataFrame:
    if not rows:
        return empty_catalog()
    frame = pd.DataFrame(
        [{c: getattr(r, c) for c in CATALOG_COLUMNS} for r in rows], columns=list(CATALOG_COLUMNS)
    )
    for c in CATALOG_FLAGS:
        frame[c] = pd.array([None if v is None else bool(v) for v in frame[c].tolist()], dtype="boolean")
    for c in CATALOG_COLUMNS:
        if c not in CATALOG_FLAGS:
            frame[c] = frame[c].astype(object)
    return frame.sort_values("procedure_code", kind="stable").reset_index(drop=True)


def _entries(conn: sa.Connection, version_id: int) -> pd.DataFrame:
    cols = [entry.c[c] for c in CATALOG_COLUMNS]
    rows = conn.execute(sa.select(*cols).where(entry.c.version_id == version_id)).all()
    return _frame(list(rows))


def version_in_force(engine: Engine, month: str) -> int | None:
    """The id of the catalog version in force in ``month`` (``YYYY-MM``), ``None`` when none is."""
    _check_month(month)
    with engine.connect() as conn:
        vid = conn.execute(
            sa.select(sa.func.max(version.c.id)).where(version.c.effective <= month)
        ).scalar_one_or_none()
    return None if vid is None else int(vid)


def latest_version_id(engine: Engine) -> int:
    """The id of the latest catalog upload (0 when none): it changes whenever a catalog is uploaded, so the
    pages' caches of procedure KPIs key on it."""
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(version.c.id), 0))).scalar_one())


def catalog_in_force(engine: Engine, month: str) -> pd.DataFrame:
    """The catalog frame in force in ``month`` (``YYYY-MM``): the latest upload whose effective month is
    not after it; an empty frame with :data:`CATALOG_COLUMNS` when there is none. Flags: ``boolean``."""
    vid = version_in_force(engine, month)
    if vid is None:
        return empty_catalog()
    return catalog_version(engine, vid)


def catalog_version(engine: Engine, version_id: int) -> pd.DataFrame:
    """The procedures of one stored version (empty frame when there is no such version)."""
    with engine.connect() as conn:
        return _entries(conn, int(version_id))


def catalog_versions(engine: Engine) -> pd.DataFrame:
    """Every catalog upload, newest first: :data:`VERSION_COLUMNS`."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(*[version.c[c] for c in VERSION_COLUMNS]).order_by(version.c.id.desc())
        ).all()
    out = pd.DataFrame([tuple(r) for r in rows], columns=list(VERSION_COLUMNS))
    if not out.empty:
        out["created_at"] = [
            v.replace(tzinfo=dt.UTC) if v is not None and v.tzinfo is None else v for v in out["created_at"]
        ]
    return out


def catalog_changes(engine: Engine, old_id: int | None, new_id: int) -> pd.DataFrame:
    """What changed from version ``old_id`` (``None``: nothing, every procedure added) to ``new_id``:
    one row per procedure added, removed or changed, with ``columns`` the changed column codes
    (a tuple; empty for added/removed). Columns: :data:`CHANGE_COLUMNS`, sorted by code."""
    old = empty_catalog() if old_id is None else catalog_version(engine, old_id)
    new = catalog_version(engine, new_id)
    o = old.set_index("procedure_code")
    n = new.set_index("procedure_code")
    out: list[dict[str, object]] = []
    for code in sorted(set(o.index) | set(n.index)):
        if code not in o.index:
            out.append(
                {
                    "procedure_code": code,
                    "procedure_name": n.at[code, "procedure_name"],
                    "change": "added",
                    "columns": (),
                }
            )
        elif code not in n.index:
            out.append(
                {
                    "procedure_code": code,
                    "procedure_name": o.at[code, "procedure_name"],
                    "change": "removed",
                    "columns": (),
                }
            )
        else:
            changed = tuple(c for c in CATALOG_COLUMNS[1:] if not _same(o.at[code, c], n.at[code, c]))
            if changed:
                out.append(
                    {
                        "procedure_code": code,
                        "procedure_name": n.at[code, "procedure_name"],
                        "change": "changed",
                        "columns": changed,
                    }
                )
    return pd.DataFrame(out, columns=list(CHANGE_COLUMNS))


def _same(a: object, b: object) -> bool:
    a_na, b_na = _cell(a) is None, _cell(b) is None
    if a_na or b_na:
        return a_na and b_na
    return bool(a == b)


#: The sample catalog shipped beside the sample figures, and the month it applies from.
SAMPLE_CATALOG = "danh-muc-tthc.xlsx"
SAMPLE_EFFECTIVE = "2023-01"


def load_sample_catalog_if_empty(engine: Engine, folder: Path, *, user: str) -> int | None:
    """Store the sample catalog (``folder/danh-muc-tthc.xlsx``, effective 2023-01) when no catalog
    version exists yet; its version id, ``None`` when nothing was done (no file, a catalog already
    stored, or the file refused)."""
    path = Path(folder) / SAMPLE_CATALOG
    if not path.is_file():
        return None
    with engine.connect() as conn:
        if conn.execute(sa.select(sa.func.count()).select_from(version)).scalar_one():
            return None
    _, vid = import_catalog(engine, path, effective=SAMPLE_EFFECTIVE, user=user)
    return vid
