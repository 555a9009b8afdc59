"""Users get a full name ("Họ tên"), unknown (NULL) until given.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:  # batch: SQLite alters a table by copying it
        batch.add_column(sa.Column("full_name", sa.String(200), nullable=True))
    # a display name given before (the CLI's --name) is the person's full name; the user name copied
    # into it by default is not
    op.execute(
        "UPDATE app_user SET full_name = display_name "
        "WHERE display_name IS NOT NULL AND display_name <> '' AND display_name <> username"
    )


def downgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("full_name")
