"""The audit trail: sign-ins, uploads, restores, target saves and user changes, one row each."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access.roles import Actor, require
from data_access.schema import audit_log

__all__ = ["audit", "read_audit", "record"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def record(
    conn: sa.Connection,
    username: str,
    action: str,
    detail: Mapping[str, object] | None = None,
    *,
    success: bool = True,
) -> None:
    """Append one audit row inside the caller's transaction."""
    conn.execute(
        audit_log.insert().values(
            at=_now(),
            username=username[:100],
            action=action[:40],
            success=1 if success else 0,
            detail=json.dumps(detail or {}, ensure_ascii=False, default=str),
        )
    )


def audit(
    engine: Engine,
    username: str,
    action: str,
    detail: Mapping[str, object] | None = None,
    *,
    success: bool = True,
) -> None:
    """Append one audit row in its own transaction."""
    with engine.begin() as conn:
        record(conn, username, action, detail, success=success)


def read_audit(engine: Engine, actor: Actor, *, limit: int = 1000) -> pd.DataFrame:
    """The latest audit rows (``quan_tri`` only): at, username, action, success, detail."""
    require(actor, "read_audit")
    with engine.connect() as conn:
        rows = conn.execute(sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)).all()
    return pd.DataFrame(
        [
            {
                "id": r.id,
                "at": _aware(r.at),
                "username": r.username,
                "action": r.action,
                "success": bool(r.success),
                "detail": r.detail,
            }
            for r in rows
        ],
        columns=["id", "at", "username", "action", "success", "detail"],
    )
