"""Initial schema: uploads, their (month, unit) parts, and the figures.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
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
        "upload",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("months", sa.String(2000), nullable=False),
        sa.Column("row_count", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False, server_default="import"),
        sa.Column("layout", sa.String(20), nullable=False, server_default="canonical"),
        sa.Column("restored_from", sa.Integer, sa.ForeignKey("upload.id"), nullable=True),
        sa.Column("note", sa.Text, nullable=True),
    )
    op.create_index("ix_upload_sha256", "upload", ["sha256"])
    op.create_table(
        "upload_part",
        sa.Column("upload_id", sa.Integer, sa.ForeignKey("upload.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("period", sa.String(7), primary_key=True),
        sa.Column("unit", sa.String(300), primary_key=True),
        sa.Column("row_count", sa.Integer, nullable=False),
    )
    op.create_index("ix_upload_part_period_unit", "upload_part", ["period", "unit", "upload_id"])
    op.create_table(
        "figure",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
        sa.Column("upload_id", sa.Integer, sa.ForeignKey("upload.id", ondelete="CASCADE"), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("unit", sa.String(300), nullable=False),
        sa.Column("field", sa.String(300), nullable=False),
        sa.Column("procedure_code", sa.String(100), nullable=True),
        sa.Column("procedure_name", sa.String(1000), nullable=True),
        *[sa.Column(c, sa.BigInteger, nullable=True) for c in COUNTS],
    )
    op.create_index("ix_figure_upload_period_unit", "figure", ["upload_id", "period", "unit"])
    op.create_index("ix_figure_period_unit", "figure", ["period", "unit"])


def downgrade() -> None:
    op.drop_table("figure")
    op.drop_table("upload_part")
    op.drop_table("upload")
