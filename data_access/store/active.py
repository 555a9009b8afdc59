"""The active version of each (month, unit): the latest upload that holds it, resolved in SQL.

The one builder of that query, for the store's reads, the database sums and the pages' queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from data_access.schema import upload_part

#: A bound value or a literal one: ``sa.bindparam("start")`` or ``"2024-01"``.
Bound = str | sa.BindParameter[Any]


def active_versions(
    start: Bound | None = None,
    end: Bound | None = None,
    *,
    units: Iterable[str] | sa.BindParameter[Any] | None = None,
    periods: Iterable[str] | sa.BindParameter[Any] | None = None,
    name: str = "active",
) -> sa.Subquery:
    """(period, unit, upload_id) of the latest upload of each stored (month, unit), as a subquery.

    Optionally only months ``start``..``end``, ``units`` and ``periods``: each a literal value (or
    list) or a bound parameter (``sa.bindparam("units", expanding=True)`` for a list), so that one
    statement can be built once and run with new parameters. Limiting the pairs does not change
    which upload is active for a pair that is kept.
    """
    p = upload_part.c
    q = sa.select(p.period, p.unit, sa.func.max(p.upload_id).label("upload_id"))
    if start is not None:
        q = q.where(p.period >= start)
    if end is not None:
        q = q.where(p.period <= end)
    if units is not None:
        q = q.where(p.unit.in_(units if isinstance(units, sa.BindParameter) else list(units)))
    if periods is not None:
        q = q.where(p.period.in_(periods if isinstance(periods, sa.BindParameter) else list(periods)))
    return q.group_by(p.period, p.unit).subquery(name)


def on_active(table: sa.Table, active: sa.Subquery) -> sa.ColumnElement[bool]:
    """The join condition of ``table``'s rows (upload_id, period, unit) with their active version."""
    return sa.and_(
        table.c.upload_id == active.c.upload_id,
        table.c.period == active.c.period,
        table.c.unit == active.c.unit,
    )
