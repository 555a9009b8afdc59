"""Saving a scenario as the official targets file: versioned, atomic, audited (``quan_tri`` only)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy.engine import Engine

from data_access.auth import Actor, account_transaction, permit, record


def history_dir(path: Path) -> Path:
    """Where earlier versions of ``path`` are kept: ``<folder>/targets_history/``."""
    return path.parent / "targets_history"


def save_targets_file(
    engine: Engine,
    actor: Actor,
    path: Path,
    new_text: str,
    *,
    old_targets: Mapping[str, object],
    new_targets: Mapping[str, object],
) -> Path:
    """Replace the targets file with ``new_text`` (already validated by the caller).

    The previous file is copied to ``targets_history/<name>-<UTC time>.toml`` first; the new text is
    written to a temporary file and moved into place (atomic); the change is audited with the old
    and new targets. Returns the path of the kept previous version.
    """
    permit(engine, actor, "save_targets")  # audited; the stored account is checked again below
    path = Path(path)
    old_text = path.read_text(encoding="utf-8") if path.exists() else ""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    keep = history_dir(path) / f"{path.stem}-{stamp}{path.suffix}"
    keep.parent.mkdir(parents=True, exist_ok=True)
    keep.write_text(old_text, encoding="utf-8")
    fd, tmp = tempfile.mkstemp(prefix=".targets-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(new_text)
            fh.flush()
            os.fsync(fh.fileno())
        with account_transaction(engine, actor, "save_targets") as conn:  # a stale account: refused
            record(
                conn,
                actor.username,
                "save_targets",
                {
                    "file": path.name,
                    "previous_version": keep.name,
                    "old": old_targets,
                    "new": new_targets,
                    "via": actor.via,
                },
            )
            os.replace(tmp, path)  # inside the transaction: if this fails, the audit row is rolled back
    except BaseException:
        if os.path.exists(tmp):  # not moved into place: the kept copy is no previous version either
            os.unlink(tmp)
            keep.unlink(missing_ok=True)
        raise
    return keep
