"""Opening an uploaded workbook, shared by every reader (figures, dossier list, procedure catalog): the
bytes of a path or an upload, their sha256, the container checks of :mod:`.guard`, and the sheets as
python-calamine reads them. A file that cannot be opened gives one located ``Issue`` instead of sheets."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook, SheetVisibleEnum

from data_access.messages import Issue, msg
from data_access.texts.files import UPLOAD_NAME
from data_access.xlsx.guard import check_container, short_error
from data_access.xlsx.rules import MergedRange


@dataclass(frozen=True)
class Sheet:
    """A worksheet as calamine reads it: its cells from A1, whether it is hidden, its merged ranges."""

    name: str
    rows: list[list[object]]
    hidden: bool
    merged: tuple[MergedRange, ...]


@dataclass(frozen=True)
class Opened:
    """A workbook opened: its display ``name``, ``sha256`` and ``data``, and either its ``sheets`` or the
    ``issue`` that refused it (unreadable path, a container :mod:`.guard` refuses, a broken file)."""

    name: str
    sha256: str
    data: bytes
    sheets: list[Sheet]
    issue: Issue | None = None


def unreadable(name: str, detail: str) -> Issue:
    """The error of a file that cannot be read, with the reason."""
    return Issue("error", "unreadable", msg("unreadable", detail=detail), file=name)


def read_sheets(data: bytes) -> list[Sheet]:
    """Every sheet of a workbook's bytes (calamine raises on a broken file)."""
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    visible = {m.name: m.visible == SheetVisibleEnum.Visible for m in wb.sheets_metadata}
    out = []
    for name in wb.sheet_names:
        sheet = wb.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        out.append(Sheet(name, rows, not visible.get(name, True), tuple(sheet.merged_cell_ranges or ())))  # type: ignore[arg-type]
    return out


def open_workbook(source: Path | str | bytes, *, filename: str | None = None) -> Opened:
    """Read ``source`` (a path, or the bytes of an upload named ``filename``) and open its sheets."""
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
        name = filename or UPLOAD_NAME
    else:
        path = Path(source)
        name = filename or path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            return Opened(name, "", b"", [], unreadable(name, str(exc)))
    sha = hashlib.sha256(data).hexdigest()
    bad = check_container(data, name)
    if bad:
        return Opened(name, sha, data, [], bad)
    try:
        sheets = read_sheets(data)
    except Exception as exc:  # calamine raises several types for broken files
        return Opened(name, sha, data, [], unreadable(name, short_error(exc)))
    return Opened(name, sha, data, sheets)
