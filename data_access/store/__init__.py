"""Storage: engines and migrations, import in one transaction, history and restore, reads.

The dashboard reads, for each (month, unit), the figures of the latest upload that holds
that pair (:mod:`data_access.store.active`); earlier uploads stay in history and can be
restored (a restore is itself an upload of kind ``restore``, so history is append-only).

Modules: :mod:`.engine` (engine registry, migrations, locks, errors), :mod:`.importing`
(prepare and commit), :mod:`.checks` (the import's warnings), :mod:`.history` (history,
restore, summary, dump), :mod:`.reads` (the active figures), :mod:`.sums` (``figure_sum``).
Every public name is importable from ``data_access.store`` itself.
"""

from __future__ import annotations

from data_access.messages import msg
from data_access.store.active import active_versions, on_active
from data_access.store.checks import JUMP_MIN
from data_access.store.engine import (
    MIGRATIONS_DIR,
    StoreError,
    _safe,
    advisory_lock,
    close_engines,
    connection_lost,
    create_engine,
    current_revision,
    head_revision,
    migrate,
    open_engine,
)
from data_access.store.history import (
    Summary,
    dump,
    history,
    restore,
    restore_parts,
    summary,
    upload_figures,
    upload_parts,
)
from data_access.store.importing import (
    PREVIEW_COLUMNS,
    ImportResult,
    PreparedImport,
    Source,
    UploadInfo,
    commit_import,
    import_files,
    prepare_import,
    prepare_rows,
)
from data_access.store.reads import active_parts, data_version, load_figures
from data_access.times import VN_TZ, as_utc

__all__ = [
    "JUMP_MIN",
    "MIGRATIONS_DIR",
    "PREVIEW_COLUMNS",
    "VN_TZ",
    "ImportResult",
    "PreparedImport",
    "Source",
    "StoreError",
    "Summary",
    "UploadInfo",
    "_safe",
    "active_parts",
    "active_versions",
    "advisory_lock",
    "as_utc",
    "close_engines",
    "commit_import",
    "connection_lost",
    "create_engine",
    "current_revision",
    "data_version",
    "dump",
    "head_revision",
    "history",
    "import_files",
    "load_figures",
    "migrate",
    "msg",
    "on_active",
    "open_engine",
    "prepare_import",
    "prepare_rows",
    "restore",
    "restore_parts",
    "summary",
    "upload_figures",
    "upload_parts",
]
