"""Read the office's workbooks (canonical template or official Biểu II.06a) into a typed frame.

Every rule of ``data-contract.md`` is applied here; every error of a file is collected in
one pass, each located by file, sheet, Excel row and column header. Nothing here touches
the database: the store checks the frame against what is stored.

This module picks the layout; the work is done by :mod:`.guard` and :mod:`.extent` (what is
refused before calamine opens the file), :mod:`.cells` (one cell), :mod:`.formula_cells` (the cells
calamine reads as empty that hold an error value or a formula without its result), :mod:`.rules` (the
rules every reader shares), :mod:`.canonical` and :mod:`.official` (the two layouts).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from data_access.catalog import Catalog, load_catalog
from data_access.messages import Issue, msg
from data_access.textnorm import fold
from data_access.xlsx.canonical import header_row, header_too_low, low_header_row, read_canonical
from data_access.xlsx.cells import MAX_COUNT, parse_period, row_filled
from data_access.xlsx.dossier_list import ProcedureBook, is_dossier_sheet, read_dossier_list
from data_access.xlsx.extent import MAX_SHEET_CELLS
from data_access.xlsx.formula_cells import hidden_values
from data_access.xlsx.guard import MAX_FILE_BYTES, MAX_UNCOMPRESSED_BYTES, short_error
from data_access.xlsx.official import read_official
from data_access.xlsx.official_header import find_header
from data_access.xlsx.rules import FRAME_COLUMNS, CellNotes, Context, ReadResult, empty_frame
from data_access.xlsx.workbook import Sheet, open_workbook, unreadable

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


def _is_table(rows: list[list[object]]) -> bool:
    """Whether a sheet holds a table of figures in either layout, found where a data sheet's is looked
    for (the template's guide shows the header row far lower, as an example)."""
    return header_row(rows) is not None or find_header(rows) is not None


def read_workbook(
    source: Path | str | bytes,
    *,
    filename: str | None = None,
    unit: str | None = None,
    catalog: Catalog | None = None,
    today: dt.date | None = None,
    cutoff_day: int | None = None,
    procedures: ProcedureBook = None,
) -> ReadResult:
    """Read one workbook (a path or the bytes of an upload) in either layout, or a dossier list
    (:mod:`.dossier_list`, aggregated to figures; ``procedures`` is the procedure catalog in force).

    ``unit`` names the unit of an official-layout report by field. ``today`` fixes what
    counts as a future period (default: the real date). ``cutoff_day`` is the day reporting months
    close on, for an official report's period line (``None``: calendar months; the import passes
    the setting ``REPORTING_CUTOFF_DAY``).
    """
    opened = open_workbook(source, filename=filename)
    name, data, sheets = opened.name, opened.data, opened.sheets
    result = ReadResult(name, empty_frame(), sha256=opened.sha256)
    if opened.issue is not None:
        result.issues.append(opened.issue)
        return result
    listed = next((sh for sh in sheets if is_dossier_sheet(sh.rows, sh.name)), None)
    if listed is not None:
        read = read_dossier_list(
            listed.rows,
            filename=name,
            catalog=catalog,
            procedures=procedures,
            today=today,
            cutoff_day=cutoff_day,
            sheet=listed.name,
        )
        read.sha256 = opened.sha256
        return read.as_read_result()
    ctx = Context(name, catalog or load_catalog(), today or dt.date.today(), result)

    nonempty = [sh for sh in sheets if any(map(row_filled, sh.rows))]
    if not nonempty:
        result.issues.append(
            Issue(
                "error",
                "empty_workbook",
                msg("empty_workbook"),
                file=name,
                sheet=sheets[0].name if sheets else "",
            )
        )
        return result

    found = _table_sheet(sheets, nonempty)
    if found is None:
        result.issues.append(Issue("error", "no_table", msg("no_table"), file=name, sheet=nonempty[0].name))
        return result
    layout, sheet, header = found
    result.layout, result.sheet = ("official" if layout == "official" else "canonical"), sheet.name
    # The figures imported are those a person opening the file sees, from the one table it holds:
    # a hidden data sheet, or a second one (which would be left out), is refused, named.
    if sheet.hidden:
        ctx.error("hidden_data_sheet", sheet.name, name=sheet.name)
    others = [sh.name for sh in sheets if sh is not sheet and _is_table(sh.rows)]
    if others:
        ctx.error(
            "second_data_sheet", sheet.name, others=", ".join(f"'{o}'" for o in others), name=sheet.name
        )
    if layout == "low":
        header_too_low(ctx, sheet.name, header)
        return _without_rows_if_refused(result)
    try:
        notes = CellNotes(sheet.merged, hidden_values(data, sheet.name))
    except Exception as exc:  # (calamine read the same parts: not expected)
        result.issues.append(unreadable(name, short_error(exc)))
        return _without_rows_if_refused(result)
    if layout == "canonical":
        read_canonical(ctx, sheet.name, sheet.rows, header, notes)
    else:
        read_official(ctx, sheet.name, sheet.rows, unit, cutoff_day=cutoff_day, notes=notes)
    return _without_rows_if_refused(result)


def _table_sheet(sheets: list[Sheet], nonempty: list[Sheet]) -> tuple[str, Sheet, int] | None:
    """The sheet to read, its layout ("canonical", "official", or "low": a canonical header below where
    the template allows it) and its header row (canonical layouts)."""
    # 1. canonical: the sheet named SoLieu, else the first sheet whose first rows have the key headers
    for sheet in sorted(sheets, key=lambda s: fold(s.name) != "solieu"):
        header = header_row(sheet.rows)
        if header is not None:
            return "canonical", sheet, header
        if fold(sheet.name) == "solieu":
            low = low_header_row(sheet.rows)
            return ("canonical", sheet, 0) if low is None else ("low", sheet, low)
    # 2. the official layout
    for sheet in nonempty:
        if find_header(sheet.rows) is not None:
            return "official", sheet, 0
    # 3. a canonical header lower than the template allows: say where it is
    for sheet in nonempty:
        low = low_header_row(sheet.rows)
        if low is not None:
            return "low", sheet, low
    return None


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


def _without_rows_if_refused(result: ReadResult) -> ReadResult:
    """A file with an error gives no rows at all (all or nothing)."""
    if result.errors:
        result.frame = empty_frame()
        result.excel_rows = []
    return result
