"""Alembic environment: the connection is handed in by ``data_access.store.migrate``."""

from __future__ import annotations

from alembic import context

from data_access.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only through data_access.store.migrate
    raise RuntimeError("run migrations through data_access.store.migrate(engine)")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
