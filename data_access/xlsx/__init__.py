"""Read the office's workbooks (canonical template or official Biểu II.06a) into a typed frame.

Every rule of ``data-contract.md`` is applied here; every error of a file is collected in
one pass, each located by file, sheet, Excel row and column header. Nothing here touches
the database: the store checks the frame against what is stored.

This module picks the layout; the work is done by :mod:`.guard` and :mod:`.extent` (what is
refused before calamine opens the file), :mod:`.cells` (one cell), :mod:`.rules` (the rules every
reader shares), :mod:`.canonical` and :mod:`.official` (the two layouts).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

from python_calamine import CalamineWorkbook

from data_access.catalog import Catalog, load_catalog
from data_access.messages import Issue, msg
from data_access.textnorm import fold
from data_access.texts.files import UPLOAD_NAME
from data_access.xlsx.canonical import header_row, read_canonical
from data_access.xlsx.cells import MAX_COUNT, parse_period, row_filled
from data_access.xlsx.extent import MAX_SHEET_CELLS
from data_access.xlsx.guard import MAX_FILE_BYTES, MAX_UNCOMPRESSED_BYTES, check_container, short_error
from data_access.xlsx.official import read_official
from data_access.xlsx.official_header import find_header
from data_access.xlsx.rules import FRAME_COLUMNS, Context, ReadResult, empty_frame

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


def _sheets(data: bytes) -> list[tuple[str, list[list[object]]]]:
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    out = []
    for name in wb.sheet_names:
        sheet = wb.get_sheet_by_name(name)
        out.append((name, sheet.to_python(skip_empty_area=False)))
    return out  # type: ignore[return-value]


def read_workbook(
    source: Path | str | bytes,
    *,
    filename: str | None = None,
    unit: str | None = None,
    catalog: Catalog | None = None,
    today: dt.date | None = None,
) -> ReadResult:
    """Read one workbook (a path or the bytes of an upload) in either layout.

    ``unit`` names the unit of an official-layout report by field. ``today`` fixes what
    counts as a future period (default: the real date).
    """
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
        name = filename or UPLOAD_NAME
    else:
        path = Path(source)
        name = filename or path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            return ReadResult(name, empty_frame(), [_unreadable(name, str(exc))])
    result = ReadResult(name, empty_frame(), sha256=hashlib.sha256(data).hexdigest())
    bad = check_container(data, name)
    if bad:
        result.issues.append(bad)
        return result
    try:
        sheets = _sheets(data)
    except Exception as exc:  # calamine raises several types for broken files
        result.issues.append(_unreadable(name, short_error(exc)))
        return result
    ctx = Context(name, catalog or load_catalog(), today or dt.date.today(), result)

    nonempty = [(n, rows) for n, rows in sheets if any(map(row_filled, rows))]
    if not nonempty:
        result.issues.append(
            Issue(
                "error",
                "empty_workbook",
                msg("empty_workbook"),
                file=name,
                sheet=sheets[0][0] if sheets else "",
            )
        )
        return result

    # 1. canonical: the sheet named SoLieu, else the first sheet whose first row has the key headers
    ordered = sorted(sheets, key=lambda s: fold(s[0]) != "solieu")
    for sheet_name, rows in ordered:
        header = header_row(rows)
        if header is not None or fold(sheet_name) == "solieu":
            result.layout, result.sheet = "canonical", sheet_name
            read_canonical(ctx, sheet_name, rows, header or 0)
            break
    else:
        # 2. official layout
        for sheet_name, rows in nonempty:
            if find_header(rows) is not None:
                result.layout, result.sheet = "official", sheet_name
                read_official(ctx, sheet_name, rows, unit)
                break
        else:
            result.issues.append(Issue("error", "no_table", msg("no_table"), file=name, sheet=nonempty[0][0]))
    return _without_rows_if_refused(result)


def read_rows(
    rows: list[list[object]],
    *,
    name: str,
    sheet: str = "",
    catalog: Catalog | None = None,
    today: dt.date | None = None,
    sha256: str = "",
) -> ReadResult:
    """Check rows that did not come from a workbook (an external table: the first row holds the
    contract's codes or headers) by every rule of the canonical template."""
    result = ReadResult(name, empty_frame(), sha256=sha256, layout="canonical", sheet=sheet)
    read_canonical(Context(name, catalog or load_catalog(), today or dt.date.today(), result), sheet, rows, 0)
    return _without_rows_if_refused(result)


def _unreadable(name: str, detail: str) -> Issue:
    return Issue("error", "unreadable", msg("unreadable", detail=detail), file=name)


def _without_rows_if_refused(result: ReadResult) -> ReadResult:
    """A file with an error gives no rows at all (all or nothing)."""
    if result.errors:
        result.frame = empty_frame()
        result.excel_rows = []
    return result
