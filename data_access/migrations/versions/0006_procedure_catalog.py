"""The procedure catalog (danh mục TTHC): versions by effective month and their procedures.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "procedure_catalog_version",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("effective", sa.String(7), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("row_count", sa.Integer, nullable=False),
        sa.Column("note", sa.Text, nullable=True),
    )
    op.create_index("ix_procedure_catalog_version_effective", "procedure_catalog_version", ["effective"])
    op.create_table(
        "procedure_catalog_entry",
        sa.Column(
            "version_id",
            sa.Integer,
            sa.ForeignKey("procedure_catalog_version.id", ondelete="CASCADE"),
            primary_key=True,
            nullable=False,
        ),
        sa.Column("procedure_code", sa.String(100), primary_key=True, nullable=False),
        sa.Column("procedure_name", sa.String(1000), nullable=False),
        sa.Column("field", sa.String(300), nullable=False),
        sa.Column("unit", sa.String(300), nullable=False),
        sa.Column("online_level", sa.String(20), nullable=False),
        sa.Column("full_online_eligible", sa.Boolean, nullable=True),
        sa.Column("on_national_portal", sa.Boolean, nullable=True),
        sa.Column("has_fee", sa.Boolean, nullable=True),
        sa.Column("postal_allowed", sa.Boolean, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("procedure_catalog_entry")
    op.drop_table("procedure_catalog_version")
