"""What the small readers (procedure catalog, official 766 scores) share: the issue list they append to,
and the mapping of a header row to column codes with its three issues (an unknown header, one code
twice, a required one missing)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Protocol

from data_access.messages import Issue, column_letter, msg
from data_access.textnorm import clean


class _Result(Protocol):
    file: str
    sheet: str
    issues: list[Issue]


class Issues:
    """Appends the reader's issues to ``result``: the message from ``messages`` (the reader's own
    texts), else :func:`data_access.messages.msg` (the shared ones), located by Excel row and column."""

    def __init__(self, result: _Result, messages: Mapping[str, str]) -> None:
        self.result, self.messages = result, messages

    def add(
        self,
        code: str,
        /,
        row: int | None = None,
        column: str = "",
        cell: object = None,
        j: int | None = None,
        *,
        level: str = "error",
        **kw: object,
    ) -> None:
        text = self.messages[code].format(**kw) if code in self.messages else msg(code, **kw)
        self.result.issues.append(
            Issue(level, code, text, self.result.file, self.result.sheet, row, column, cell, j)
        )


def header_columns(
    header: Sequence[object],
    excel_row: int,
    match: Callable[[object], str | None],
    issues: Issues,
    *,
    prefix: str,
    required: Collection[str],
    names: Mapping[str, str],
) -> dict[str, int] | None:
    """Column code → its index in ``header`` (the sheet's row ``excel_row``), by ``match``; a header it
    does not know is a warning ``{prefix}_unknown_column``, a code met twice an error
    ``{prefix}_duplicate_column`` naming both columns, and each ``required`` code absent an error
    ``{prefix}_missing_column`` (its header ``names[code]``). ``None`` when a required one is missing."""
    colmap: dict[str, int] = {}
    for j, cell in enumerate(header):
        if cell in ("", None):
            continue
        code = match(cell)
        if code is None:
            issues.add(
                f"{prefix}_unknown_column",
                excel_row,
                clean(cell),
                None,
                j,
                level="warning",
                header=clean(cell),
            )
        elif code in colmap:
            issues.add(
                f"{prefix}_duplicate_column",
                excel_row,
                clean(cell),
                None,
                j,
                header=clean(cell),
                first=column_letter(colmap[code]),
                second=column_letter(j),
            )
        else:
            colmap[code] = j
    missing = [code for code in required if code not in colmap]
    for code in missing:
        issues.add(f"{prefix}_missing_column", excel_row, names[code], header=names[code])
    return None if missing else colmap
