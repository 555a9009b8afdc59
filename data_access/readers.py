"""The workbook readers, kept under their old name: they live in :mod:`data_access.xlsx` now.

To lower a limit in a test, patch it where it is read: ``data_access.xlsx.guard`` for the file and
inflated sizes, ``data_access.xlsx.extent`` for ``MAX_SHEET_CELLS`` (patching it here changes nothing).
"""

from __future__ import annotations

from data_access.xlsx import (
    FRAME_COLUMNS,
    MAX_COUNT,
    MAX_FILE_BYTES,
    MAX_SHEET_CELLS,
    MAX_UNCOMPRESSED_BYTES,
    ReadResult,
    empty_frame,
    parse_period,
    read_rows,
    read_workbook,
)

__all__ = [
    "FRAME_COLUMNS",
    "MAX_COUNT",
    "MAX_FILE_BYTES",
    "MAX_SHEET_CELLS",
    "MAX_UNCOMPRESSED_BYTES",
    "ReadResult",
    "empty_frame",
    "parse_period",
    "read_rows",
    "read_workbook",
]
