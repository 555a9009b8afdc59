"""The scores the national portal published (766 index), recorded by the office beside the estimate.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "official_score_upload",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("row_count", sa.Integer, nullable=False),
    )
    op.create_table(
        "official_score",
        sa.Column(
            "upload_id",
            sa.Integer,
            sa.ForeignKey("official_score_upload.id", ondelete="CASCADE"),
            primary_key=True,
            nullable=False,
        ),
        sa.Column("period", sa.String(10), primary_key=True, nullable=False),
        sa.Column("group_code", sa.String(40), primary_key=True, nullable=False),
        sa.Column("group_name", sa.String(300), nullable=False),
        sa.Column("points", sa.Float, nullable=True),
        sa.Column("rank", sa.Integer, nullable=True),
    )
    op.create_index("ix_official_score_period", "official_score", ["period", "group_code"])


def downgrade() -> None:
    op.drop_table("official_score")
    op.drop_table("official_score_upload")
