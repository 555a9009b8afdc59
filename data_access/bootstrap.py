"""First start: load the committed sample workbooks (with the sample procedure catalog and the sample's
published 766 scores) into an empty database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from data_access.official_scores import load_sample_scores_if_empty
from data_access.procedure_catalog import load_sample_catalog_if_empty
from data_access.settings import SAMPLE_DIR
from data_access.store import ImportResult, advisory_lock, data_version, import_files
from data_access.texts.store import SAMPLE_USER


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
    with advisory_lock(engine, 74210002):
        if data_version(engine) > 0:  # another process loaded it while this one waited
            return None
        result = import_files(engine, files, user=SAMPLE_USER)
        if result.ok:  # the sample's procedure catalog (danh mục TTHC) and 766 scores, beside its figures
            load_sample_catalog_if_empty(engine, folder, user=SAMPLE_USER)
            load_sample_scores_if_empty(engine, folder, user=SAMPLE_USER)
        return result
