"""First start: load the committed sample workbooks into an empty database."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access.settings import SAMPLE_DIR
from data_access.store import ImportResult, data_version, import_files


def sample_files(folder: Path = SAMPLE_DIR) -> list[Path]:
    """The sample workbooks, oldest month first."""
    return sorted(folder.glob("so-lieu-*.xlsx"))


def load_sample_if_empty(engine: Engine, folder: Path = SAMPLE_DIR) -> ImportResult | None:
    """Import the sample workbooks when no upload exists yet; ``None`` when nothing was done.

    On PostgreSQL an advisory lock keeps two app processes starting together from both loading.
    """
    if data_version(engine) > 0:
        return None
    files = sample_files(folder)
    if not files:
        return None
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT pg_advisory_lock(74210002)"))
            try:
                if data_version(engine) > 0:
                    return None
                return import_files(engine, files, user="dữ liệu mẫu")
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(74210002)"))
                conn.commit()
    return import_files(engine, files, user="dữ liệu mẫu")
