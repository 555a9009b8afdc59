"""Per (upload, month, unit, field, known-columns pattern) sums, so the pages read ~20× fewer rows.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

COUNTS = (
    "received_online_full",
    "received_online_partial",
    "received_direct",
    "received_postal",
    "carried_over",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_in_time",
    "pending_overdue",
    "withdrawn",
    "returned_postal",
    "results_digitized",
    "dossiers_digitized",
    "payments_total",
    "payments_online",
    "received_online",
    "received_direct_postal",
    "received_new",
    "resolved",
    "pending",
)


def upgrade() -> None:
    op.create_table(
        "figure_sum",
        sa.Column("upload_id", sa.Integer, sa.ForeignKey("upload.id", ondelete="CASCADE"), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("unit", sa.String(300), nullable=False),
        sa.Column("field", sa.String(300), nullable=False),
        sa.Column("known_mask", sa.BigInteger, nullable=False),
        sa.Column("row_count", sa.Integer, nullable=False),
        *[sa.Column(c, sa.BigInteger, nullable=True) for c in COUNTS],
    )
    op.create_index("ix_figure_sum_upload_period_unit", "figure_sum", ["upload_id", "period", "unit"])
    # backfill from the figures already stored
    mask = " + ".join(f"(CASE WHEN {c} IS NOT NULL THEN {1 << i} ELSE 0 END)" for i, c in enumerate(COUNTS))
    sums = ", ".join(f"SUM({c})" for c in COUNTS)
    op.execute(
        f"INSERT INTO figure_sum (upload_id, period, unit, field, known_mask, row_count, {', '.join(COUNTS)}) "
        f"SELECT upload_id, period, unit, field, m, COUNT(*), {sums} FROM "
        f"(SELECT figure.*, {mask} AS m FROM figure) AS f GROUP BY upload_id, period, unit, field, m"
    )


def downgrade() -> None:
    op.drop_table("figure_sum")
