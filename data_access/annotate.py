"""Mark the problems of a workbook in a copy of it: an error's cell red, a warning's yellow (a cell
with both is red), the messages as the cell's comment.

Each issue names its sheet, Excel row and (0-based) column; an issue without a column marks the
first cell of its row, one without a row the A1 cell of its sheet (the first sheet when the sheet
is unknown). A sheet ``KiemTra`` at the end lists every issue, errors first, with its level ("Lỗi" on
red, "Cảnh báo" on yellow) and a link to its cell.

The work is bounded, as the page makes the copy during a rerun on a server every session shares: at
most :data:`MAX_MARKED` issues are marked and listed (errors first; the list ends with how many were
left out), each sheet's merged ranges are indexed once (not scanned once per issue), a column's
header is looked up once, and a workbook that openpyxl could only open at great cost is not opened:
openpyxl builds an object for every cell of a merged range (one ``<mergeCell ref="A1:XFD1048576"/>``
asks for 17 billion) and for every cell of the sheets (:data:`MAX_MERGED_CELLS`,
:data:`MAX_SHEET_XML_BYTES`).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Sequence

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from data_access.messages import Issue
from data_access.textnorm import fold
from data_access.texts import messages as T
from data_access.texts.files import ANNOTATE_MERGED, ANNOTATE_MORE, ANNOTATE_SHEET_XML, ANNOTATE_TOO_BIG
from vnfmt import fmt_int

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")  # Excel's "bad" red
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")  # Excel's "neutral" yellow
ERROR_FONT_COLOR = "9C0006"
AUTHOR = T.ANNOTATE_AUTHOR
LIST_SHEET = "KiemTra"
#: How many rows from the top to search for a header when an issue names a column but no index.
HEADER_SEARCH_ROWS = 15


#: Refusals of a file as a whole for its size: no cell to mark, and opening the file with openpyxl
#: would cost the memory and time the readers refused to spend (a zip bomb inflated, a sheet of
#: millions of cells).
FILE_LEVEL_CODES = frozenset(
    {"too_large", "zip_bomb", "sheet_too_big", "cell_text_huge", "text_bomb", "shared_strings_bomb"}
)
#: Mark and list at most this many issues (errors first): a file with thousands of errors has one
#: cause to fix first, and the page lists them all.
MAX_MARKED = 200
#: Do not open a workbook whose merged ranges hold more cells than this (openpyxl makes each a cell).
MAX_MERGED_CELLS = 100_000
#: Do not open a workbook whose worksheets' XML is larger than this (openpyxl: ~1 KB a cell in memory).
MAX_SHEET_XML_BYTES = 10 * 2**20
_MERGE_TAG = re.compile(rb"<(?:[\w.-]+:)?mergeCell[\s/>][^>]*>")
_MERGE_WORD = re.compile(rb"mergeCell(?!s)")
_MERGE_REF = re.compile(rb"""\sref\s*=\s*["']([A-Za-z]{1,3})(\d{1,7})(?::([A-Za-z]{1,3})(\d{1,7}))?["']""")
_WORKSHEET = re.compile(r"(?i)xl/worksheets/[^/]+\.xml$")


class AnnotateError(ValueError):
    """The workbook could not be opened for annotation (the page then offers no marked copy)."""


def _cell_text(issue: Issue) -> str:
    label = T.LABEL_ERROR if issue.is_error else T.LABEL_WARNING
    value = issue.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    blank = value is None or (isinstance(value, str) and not value.strip())
    shown = "" if blank else T.ANNOTATE_VALUE.format(value=value)
    return T.ANNOTATE_CELL.format(label=label, message=issue.message, value=shown)


def _sheet(wb: Workbook, name: str) -> Worksheet:
    if name and name in wb.sheetnames:
        return wb[name]
    if name:
        folded = {fold(n): n for n in wb.sheetnames}
        if fold(name) in folded:
            return wb[folded[fold(name)]]
    return wb.worksheets[0]


def _find_column(ws: Worksheet, header: str) -> int | None:
    """1-based column whose header (in the top rows) reads ``header``, else ``None``."""
    key = fold(header)
    if not key:
        return None
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, HEADER_SEARCH_ROWS)):
        for cell in row:
            if isinstance(cell.value, str) and fold(cell.value) == key:
                return cell.column
    return None


def locate(
    ws: Worksheet, issue: Issue, columns: dict[tuple[str, str], int | None] | None = None
) -> tuple[int, int]:
    """(row, column), both 1-based, of the cell an issue is about (``columns`` caches the header lookups)."""
    if issue.row is None:
        return 1, 1
    if issue.col_index is not None:
        return issue.row, issue.col_index + 1
    if issue.column:
        key = (ws.title, issue.column)
        if columns is None or key not in columns:
            found = _find_column(ws, issue.column)
            if columns is not None:
                columns[key] = found
        else:
            found = columns[key]
        if found is not None:
            return issue.row, found
    return issue.row, 1


class MergeIndex:
    """A sheet's merged ranges, indexed once by row: the anchor (top-left cell) of any cell in O(ranges
    on its row). Building it costs the ranges' rows, bounded by :data:`MAX_MERGED_CELLS`."""

    def __init__(self, ws: Worksheet) -> None:
        self.by_row: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
        for rng in ws.merged_cells.ranges:
            span = (rng.min_col, rng.max_col, rng.min_row, rng.min_col)
            for row in range(rng.min_row, rng.max_row + 1):
                self.by_row[row].append(span)

    def anchor(self, row: int, col: int) -> tuple[int, int]:
        """The top-left cell of the merged range holding (row, col), else (row, col) itself."""
        for first, last, top, left in self.by_row.get(row, ()):
            if first <= col <= last:
                return top, left
        return row, col


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def openable(data: bytes) -> str | None:
    """Why openpyxl should not open ``data`` (too many merged cells, too large sheets), else ``None``.

    Every ``mergeCell`` of a worksheet must be a tag whose ``ref`` is plainly written (else the cells
    cannot be counted: refused too). A file that is not a zip is left to openpyxl to refuse.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            sheets = [i for i in zf.infolist() if _WORKSHEET.match(i.filename)]
            size = sum(i.file_size for i in sheets)
            if size > MAX_SHEET_XML_BYTES:
                what = ANNOTATE_SHEET_XML.format(mb=fmt_int(-(-size // 2**20)))
                return ANNOTATE_TOO_BIG.format(
                    what=what, limit=ANNOTATE_SHEET_XML.format(mb=MAX_SHEET_XML_BYTES // 2**20)
                )
            merged = 0
            for info in sheets:
                xml = zf.read(info)  # at most MAX_SHEET_XML_BYTES in all
                tags = _MERGE_TAG.findall(xml)
                if len(tags) != len(_MERGE_WORD.findall(xml)):
                    merged = MAX_MERGED_CELLS + 1  # a mergeCell not written plainly: not counted, not opened
                for tag in tags:
                    m = _MERGE_REF.search(tag)
                    if m is None:
                        merged = MAX_MERGED_CELLS + 1
                        break
                    c1, r1 = _column_number(m.group(1)), int(m.group(2))
                    c2, r2 = (_column_number(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
                    merged += (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)
                if merged > MAX_MERGED_CELLS:
                    what = ANNOTATE_MERGED.format(cells=fmt_int(merged))
                    return ANNOTATE_TOO_BIG.format(what=what, limit=fmt_int(MAX_MERGED_CELLS))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        return None
    return None


def annotate_workbook(data: bytes, issues: Sequence[Issue]) -> bytes:
    """A copy of the workbook ``data`` with each issue's cell filled and its message as a comment.

    Pass every issue of the file, errors and warnings alike: both are marked, each in its colour.
    """
    refused = sorted({i.code for i in issues} & FILE_LEVEL_CODES)
    if refused:  # never open what the readers would not
        raise AnnotateError(T.ANNOTATE_TOO_LARGE.format(codes=", ".join(refused)))
    costly = openable(data)
    if costly is not None:
        raise AnnotateError(costly)
    try:
        wb = load_workbook(io.BytesIO(data), rich_text=False)
    except Exception as exc:  # openpyxl raises many types for files it cannot read
        raise AnnotateError(f"{type(exc).__name__}: {exc}") from exc

    ordered = sorted(issues, key=lambda i: not i.is_error)  # errors first, each kind in its order
    marked = ordered[:MAX_MARKED]
    merges: dict[str, MergeIndex] = {}
    columns: dict[tuple[str, str], int | None] = {}
    by_cell: dict[tuple[str, int, int], list[Issue]] = defaultdict(list)
    for issue in marked:
        ws = _sheet(wb, issue.sheet)
        index = merges.get(ws.title)
        if index is None:
            index = merges[ws.title] = MergeIndex(ws)
        row, col = index.anchor(*locate(ws, issue, columns))
        by_cell[(ws.title, row, col)].append(issue)

    for (title, row, col), found in by_cell.items():
        ws = wb[title]
        cell = ws.cell(row=row, column=col)
        errors = any(i.is_error for i in found)
        cell.fill = ERROR_FILL if errors else WARNING_FILL
        if errors:
            old = cell.font
            cell.font = Font(
                name=old.name, size=old.size, italic=old.italic, bold=True, color=ERROR_FONT_COLOR
            )
        text = "\n".join(_cell_text(i) for i in found)
        previous = cell.comment.text + "\n" if cell.comment is not None else ""
        lines = max(3, (len(text) // 45) + text.count("\n") + 2)
        cell.comment = Comment(previous + text, AUTHOR, width=320, height=min(400, 18 * lines))

    _list_sheet(wb, marked, by_cell, len(ordered) - len(marked))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _list_sheet(
    wb: Workbook, issues: Sequence[Issue], by_cell: dict[tuple[str, int, int], list[Issue]], more: int = 0
) -> None:
    """A sheet listing every marked issue (errors first) with a link to its cell, then, when ``more``
    issues were left out, a row saying how many."""
    name = LIST_SHEET
    n = 2
    while name in wb.sheetnames:
        name = f"{LIST_SHEET}{n}"
        n += 1
    ws = wb.create_sheet(name)
    ws.append(list(T.ANNOTATE_LIST_HEADER))
    for c in ws[1]:
        c.font = Font(bold=True)
    where = {id(i): key for key, found in by_cell.items() for i in found}
    for issue in issues:
        title, row, col = where[id(issue)]
        ref = f"{get_column_letter(col)}{row}"
        value = issue.value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        level = T.ANNOTATE_LEVEL_ERROR if issue.is_error else T.ANNOTATE_LEVEL_WARNING
        ws.append(
            [
                level,
                issue.sheet or title,
                issue.row,
                issue.column,
                None if value is None else str(value),
                issue.message,
                f"{title}!{ref}",
            ]
        )
        ws.cell(row=ws.max_row, column=1).fill = ERROR_FILL if issue.is_error else WARNING_FILL
        link = ws.cell(row=ws.max_row, column=7)
        link.hyperlink = f"#{quote_sheetname(title)}!{ref}"
        link.font = Font(color="0563C1", underline="single")
    if more:
        ws.append([ANNOTATE_MORE.format(n=fmt_int(more), limit=fmt_int(len(issues)))])
        ws.cell(row=ws.max_row, column=1).font = Font(italic=True, bold=True)
    for letter, width in zip("ABCDEFG", (10, 14, 8, 30, 18, 90, 16), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"


__all__ = ["AnnotateError", "MergeIndex", "annotate_workbook", "locate", "openable"]
