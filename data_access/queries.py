"""Read-only queries for the pages beyond the figures themselves."""

from __future__ import annotations

from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access.schema import upload
from data_access.store.active import active_versions
from data_access.times import as_utc


def active_uploads(engine: Engine, start: str, end: str, unit: str | None = None) -> pd.DataFrame:
    """The uploads whose figures the dashboard shows for months ``start``..``end`` (and ``unit``).

    Columns: id, file_name, created_at (aware UTC), user, kind, periods (list of YYYY-MM), units.
    """
    latest = active_versions(start, end, units=[unit] if unit else None, name="latest")
    q = (
        sa.select(
            upload.c.id,
            upload.c.file_name,
            upload.c.created_at,
            upload.c.user_name,
            upload.c.kind,
            latest.c.period,
            latest.c.unit,
        )
        .join(latest, latest.c.upload_id == upload.c.id)
        .order_by(upload.c.id.desc(), latest.c.period)
    )
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    by_id: dict[int, dict[str, Any]] = {}
    for r in rows:
        rec = by_id.setdefault(
            r.id,
            {
                "id": r.id,
                "file_name": r.file_name,
                "created_at": as_utc(r.created_at),
                "user": r.user_name,
                "kind": r.kind,
                "periods": [],
                "units": [],
            },
        )
        if r.period not in rec["periods"]:
            rec["periods"].append(r.period)
        if r.unit not in rec["units"]:
            rec["units"].append(r.unit)
    return pd.DataFrame(
        list(by_id.values()), columns=["id", "file_name", "created_at", "user", "kind", "periods", "units"]
    )
