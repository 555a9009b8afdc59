"""Reads of the active figures: which upload is active per (month, unit), the figures, the data version."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access.columns import COUNT_COLUMNS, TEXT_COLUMNS
from data_access.schema import figure, upload
from data_access.store.active import active_versions, on_active

FIGURE_COLUMNS = (*TEXT_COLUMNS, *COUNT_COLUMNS)


def active_parts(engine: Engine) -> pd.DataFrame:
    """(period, unit, upload_id) of the active version of every stored (month, unit)."""
    a = active_versions()
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(a.c.period, a.c.unit, a.c.upload_id).order_by(a.c.period, a.c.unit)
        ).all()
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
    a = active_versions(start or None, end or None, units=units, periods=periods)
    # Sorted here, not by the database: SQLite compares text by code point, PostgreSQL by its
    # collation (and puts NULLs last), so ORDER BY would give each backend its own order.
    q = sa.select(*[figure.c[c] for c in FIGURE_COLUMNS]).join(a, on_active(figure, a)).order_by(figure.c.id)
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    frame = figure_frame(rows)
    if len(frame) > 1:
        frame = frame.sort_values(
            ["period", "unit", "field", "procedure_code"],
            kind="stable",
            na_position="first",
            ignore_index=True,
        )
    return frame


def figure_frame(rows: Sequence[sa.Row[Any]]) -> pd.DataFrame:
    """Figure rows (``FIGURE_COLUMNS`` in order) as the engine's frame: counts Int64, unknown NA."""
    if not rows:
        from data_access.readers import empty_frame

        return empty_frame()
    columns = list(zip(*rows, strict=True))
    data: dict[str, object] = {}
    for name, values in zip(FIGURE_COLUMNS, columns, strict=True):
        if name in COUNT_COLUMNS:
            data[name] = pd.array(values, dtype="Int64")
        else:
            data[name] = pd.Series(values, dtype="object")
    return pd.DataFrame(data)


def data_version(engine: Engine) -> int:
    """A number that changes whenever the stored figures change (the latest upload id)."""
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(upload.c.id), 0))).scalar_one())
