"""History (append-only): every upload and its parts, restoring an earlier version of a
(month, unit) as a new upload, what is loaded, and a dump of every table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access.auth import Actor, account_transaction, permit, record
from data_access.schema import figure, metadata, upload, upload_part
from data_access.store.active import active_versions, on_active
from data_access.store.engine import StoreError
from data_access.store.importing import UploadInfo, insert_upload
from data_access.store.reads import FIGURE_COLUMNS, figure_frame
from data_access.store.sums import refresh_sums
from data_access.texts import store as T
from data_access.times import as_utc
from vnfmt import fmt_month_number

HISTORY_COLUMNS = [
    "id",
    "created_at",
    "user",
    "file_name",
    "sha256",
    "months",
    "rows",
    "kind",
    "restored_from",
    "active",
    "units",
]


Part = tuple[str, str]  # (period, unit)


def restore(engine: Engine, upload_id: int, *, period: str, unit: str, actor: Actor) -> UploadInfo:
    """Make upload ``upload_id``'s figures for (period, unit) the active ones again, as a new upload.

    ``actor`` must be allowed to restore; the restore is audited.
    """
    return restore_parts(engine, upload_id, [(period, unit)], actor=actor)


def restore_parts(
    engine: Engine, upload_id: int, parts: Sequence[Part] | None, *, actor: Actor
) -> UploadInfo:
    """Make several (period, unit) parts of upload ``upload_id`` active again, all or nothing.

    ``parts=None`` restores every part of the upload. The parts become one new upload of kind
    ``restore`` in one transaction: a part the upload does not hold refuses the whole restore and
    nothing is written. ``actor`` must be allowed to restore; the restore is audited once.
    """
    permit(engine, actor, "restore")  # audited; the stored account is checked again in the transaction
    with account_transaction(engine, actor, "restore") as conn:
        src = conn.execute(sa.select(upload).where(upload.c.id == upload_id)).first()
        held = {
            (r.period, r.unit): int(r.row_count)
            for r in conn.execute(
                sa.select(upload_part.c.period, upload_part.c.unit, upload_part.c.row_count).where(
                    upload_part.c.upload_id == upload_id
                )
            )
        }
        wanted = sorted(held) if parts is None else sorted(set(parts))
        if src is None or not wanted:
            raise StoreError(T.NOTHING_TO_RESTORE.format(upload=upload_id))
        missing = [p for p in wanted if p not in held]
        if missing:
            period, unit = missing[0]
            raise StoreError(
                T.PART_NOT_HELD.format(upload=upload_id, month=fmt_month_number(period), unit=unit)
            )
        rows = sum(held[p] for p in wanted)
        months = sorted({p for p, _ in wanted})
        what = (
            T.RESTORE_ONE.format(month=fmt_month_number(wanted[0][0]), unit=wanted[0][1])
            if len(wanted) == 1
            else T.RESTORE_MANY.format(n=len(wanted))
        )
        new_id = insert_upload(
            conn,
            created_at=dt.datetime.now(dt.UTC),
            user_name=actor.username,
            file_name=src.file_name,
            sha256=src.sha256,
            months=",".join(months),
            row_count=rows,
            kind="restore",
            layout=src.layout,
            restored_from=upload_id,
            note=T.RESTORE_NOTE.format(what=what, upload=upload_id),
        )
        for period, unit in wanted:
            sel = sa.select(
                sa.literal(new_id).label("upload_id"), *[figure.c[c] for c in FIGURE_COLUMNS]
            ).where(figure.c.upload_id == upload_id, figure.c.period == period, figure.c.unit == unit)
            conn.execute(figure.insert().from_select(["upload_id", *FIGURE_COLUMNS], sel))
            conn.execute(
                upload_part.insert().values(
                    upload_id=new_id, period=period, unit=unit, row_count=held[(period, unit)]
                )
            )
        refresh_sums(conn, int(new_id))
        detail: dict[str, object] = {"upload_id": int(new_id), "from_upload": upload_id}
        if len(wanted) == 1:
            detail.update(period=wanted[0][0], unit=wanted[0][1])
        else:
            detail["parts"] = [f"{p} {u}" for p, u in wanted]
        record(conn, actor.username, "restore", {**detail, "via": actor.via})
    return UploadInfo(int(new_id), src.file_name, months, rows, src.sha256)


def history(engine: Engine) -> pd.DataFrame:
    """Every upload, newest first, with whether it is the active version of its months."""
    a = active_versions()
    with engine.connect() as conn:
        ups = conn.execute(sa.select(upload).order_by(upload.c.id.desc())).all()
        parts = conn.execute(
            sa.select(
                upload_part.c.upload_id, upload_part.c.period, upload_part.c.unit, upload_part.c.row_count
            )
        ).all()
        act = {
            (r.period, r.unit): r.upload_id
            for r in conn.execute(sa.select(a.c.period, a.c.unit, a.c.upload_id))
        }
    by_upload: dict[int, list[tuple[str, str]]] = {}
    for p in parts:
        by_upload.setdefault(p.upload_id, []).append((p.period, p.unit))
    records = []
    for u in ups:
        pairs = by_upload.get(u.id, [])
        n_active = sum(1 for pair in pairs if act.get(pair) == u.id)
        state = "active" if pairs and n_active == len(pairs) else ("partly" if n_active else "replaced")
        records.append(
            {
                "id": u.id,
                "created_at": as_utc(u.created_at),
                "user": u.user_name,
                "file_name": u.file_name,
                "sha256": u.sha256,
                "months": u.months.split(",") if u.months else [],
                "rows": u.row_count,
                "kind": u.kind,
                "restored_from": u.restored_from,
                "active": state,
                "units": sorted({unit for _, unit in pairs}),
            }
        )
    return pd.DataFrame(records, columns=HISTORY_COLUMNS)


def upload_parts(engine: Engine, upload_id: int) -> pd.DataFrame:
    """(period, unit, rows, active) of one upload."""
    a = active_versions()
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(upload_part.c.period, upload_part.c.unit, upload_part.c.row_count, a.c.upload_id)
            .join(a, sa.and_(a.c.period == upload_part.c.period, a.c.unit == upload_part.c.unit))
            .where(upload_part.c.upload_id == upload_id)
            .order_by(upload_part.c.period, upload_part.c.unit)
        ).all()
    return pd.DataFrame(
        [
            {"period": r.period, "unit": r.unit, "rows": r.row_count, "active": r.upload_id == upload_id}
            for r in rows
        ],
        columns=["period", "unit", "rows", "active"],
    )


def upload_figures(engine: Engine, upload_id: int) -> pd.DataFrame:
    """Every figure row of one upload (for the history view)."""
    cols = [figure.c[c] for c in FIGURE_COLUMNS]
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(*cols).where(figure.c.upload_id == upload_id).order_by(figure.c.id)
        ).all()
    return figure_frame(rows)


@dataclass
class Summary:
    months: list[str]
    units: list[str]
    fields: list[str]
    rows: int
    last_upload: dict[str, Any] | None


def summary(engine: Engine) -> Summary:
    """What is loaded: months, units, fields, active rows, and the latest upload."""
    a = active_versions()
    j = on_active(figure, a)
    with engine.connect() as conn:
        months = [r[0] for r in conn.execute(sa.select(a.c.period).distinct().order_by(a.c.period))]
        units = [r[0] for r in conn.execute(sa.select(a.c.unit).distinct().order_by(a.c.unit))]
        fields = [
            r[0]
            for r in conn.execute(sa.select(figure.c.field).join(a, j).distinct().order_by(figure.c.field))
        ]
        n = conn.execute(sa.select(sa.func.count()).select_from(figure).join(a, j)).scalar_one()
        last = conn.execute(sa.select(upload).order_by(upload.c.id.desc()).limit(1)).first()
    return Summary(months, units, fields, int(n), dict(last._mapping) if last else None)


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, ordered (to compare a database before and after)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for t in metadata.sorted_tables:  # every table the schema knows (sums and users too)
            order = list(t.primary_key.columns) or list(t.columns)
            out[t.name] = [tuple(r) for r in conn.execute(sa.select(t).order_by(*order))]
    return out
