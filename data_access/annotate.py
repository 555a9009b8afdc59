"""Mark the problems of a workbook in a copy of it: an error's cell red, a warning's yellow (a cell
with both is red), the messages as the cell's comment.

Each issue names its sheet, Excel row and (0-based) column; an issue without a column marks the
first cell of its row, one without a row the A1 cell of its sheet (the first sheet when the sheet
is unknown). A sheet ``KiemTra`` at the end lists every issue, errors first, with its level ("Lỗi" on
red, "Cảnh báo" on yellow) and a link to its cell.
"""

from __future__ import annotations

import io
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
FILE_LEVEL_CODES = frozenset({"too_large", "zip_bomb", "sheet_too_big"})


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


def locate(ws: Worksheet, issue: Issue) -> tuple[int, int]:
    """(row, column), both 1-based, of the cell an issue is about."""
    if issue.row is None:
        return 1, 1
    if issue.col_index is not None:
        return issue.row, issue.col_index + 1
    if issue.column:
        found = _find_column(ws, issue.column)
        if found is not None:
            return issue.row, found
    return issue.row, 1


def _anchor(ws: Worksheet, row: int, col: int) -> tuple[int, int]:
    """The top-left cell of the merged range holding (row, col), else (row, col) itself."""
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return rng.min_row, rng.min_col
    return row, col


def annotate_workbook(data: bytes, issues: Sequence[Issue]) -> bytes:
    """A copy of the workbook ``data`` with each issue's cell filled and its message as a comment.

    Pass every issue of the file, errors and warnings alike: both are marked, each in its colour.
    """
    refused = sorted({i.code for i in issues} & FILE_LEVEL_CODES)
    if refused:  # never open what the readers would not
        raise AnnotateError(T.ANNOTATE_TOO_LARGE.format(codes=", ".join(refused)))
    try:
        wb = load_workbook(io.BytesIO(data), rich_text=False)
    except Exception as exc:  # openpyxl raises many types for files it cannot read
        raise AnnotateError(f"{type(exc).__name__}: {exc}") from exc

    by_cell: dict[tuple[str, int, int], list[Issue]] = defaultdict(list)
    for issue in issues:
        ws = _sheet(wb, issue.sheet)
        row, col = _anchor(ws, *locate(ws, issue))
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

    _list_sheet(wb, issues, by_cell)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _list_sheet(
    wb: Workbook, issues: Sequence[Issue], by_cell: dict[tuple[str, int, int], list[Issue]]
) -> None:
    """A sheet listing every issue with a link to its cell."""
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
    for issue in sorted(issues, key=lambda i: not i.is_error):  # errors first, each kind in its order
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
    for letter, width in zip("ABCDEFG", (10, 14, 8, 30, 18, 90, 16), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"


__all__ = ["AnnotateError", "annotate_workbook", "locate"]
