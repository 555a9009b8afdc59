"""``figure_sum``: per (upload, month, unit, field, pattern of known columns) sums of the figures,
kept by the import and the restore in their own transaction (read by :mod:`data_access.aggregate`)."""

from __future__ import annotations

import sqlalchemy as sa

from data_access.columns import COUNT_COLUMNS
from data_access.schema import figure_sum

#: The bit of each count column in ``figure_sum.known_mask`` (set where the column is known).
BITS: dict[str, int] = {c: 1 << i for i, c in enumerate(COUNT_COLUMNS)}


def _mask_sql() -> str:
    return " + ".join(f"(CASE WHEN {c} IS NOT NULL THEN {b} ELSE 0 END)" for c, b in BITS.items())


def refresh_sums(conn: sa.Connection, upload_id: int) -> None:
    """(Re)build the ``figure_sum`` rows of one upload from its figures, inside the caller's transaction."""
    cols = ", ".join(COUNT_COLUMNS)
    sums = ", ".join(f"SUM({c})" for c in COUNT_COLUMNS)
    conn.execute(figure_sum.delete().where(figure_sum.c.upload_id == upload_id))
    conn.execute(
        sa.text(
            f"INSERT INTO figure_sum (upload_id, period, unit, field, known_mask, row_count, {cols}) "
            f"SELECT upload_id, period, unit, field, m, COUNT(*), {sums} FROM "
            f"(SELECT figure.*, {_mask_sql()} AS m FROM figure WHERE upload_id = :u) AS f "
            f"GROUP BY upload_id, period, unit, field, m"
        ),
        {"u": upload_id},
    )
