"""The data contract's rules shared by every reader, and the collection of their issues.

A reader turns cells into columns (text lists, float arrays with NaN for unknown) and hands them to
:func:`finish`: totals from their parts, part-of-whole, the balance warning, duplicate keys, then
the frame. The period and catalog-name rules of a single cell are here too.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import String

from data_access.catalog import Catalog
from data_access.columns import COUNT_COLUMNS, HEADERS, KEY_COLUMNS, PART_OF_WHOLE, TEXT_COLUMNS, TOTALS
from data_access.messages import Issue, IssueList, column_letter, msg
from data_access.schema import figure, upload
from data_access.xlsx.cells import EARLIEST_YEAR, parse_text, read_period, shown
from data_access.xlsx.formula_cells import HiddenValue
from vnfmt import fmt_date, fmt_int

FRAME_COLUMNS: tuple[str, ...] = (*TEXT_COLUMNS, *COUNT_COLUMNS)


@dataclass
class ReadResult(IssueList):
    """What reading one file gives: the rows (if no error), every issue, and where they came from."""

    file: str
    frame: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    layout: str = ""  # "canonical" or "official"
    sheet: str = ""
    sha256: str = ""
    excel_rows: list[int] = field(default_factory=list)  # Excel row of each frame row
    period_span: tuple[dt.date, dt.date] | None = None  # official: the period line's accepted dates

    @property
    def months(self) -> list[str]:
        if self.frame.empty:
            return []
        return sorted(self.frame["period"].unique().tolist())


def empty_frame() -> pd.DataFrame:
    """An empty figures frame with the contract's columns and dtypes."""
    data: dict[str, object] = {c: np.array([], dtype=object) for c in TEXT_COLUMNS}
    data.update({c: pd.array([], dtype="Int64") for c in COUNT_COLUMNS})
    return pd.DataFrame(data, copy=False)


@dataclass
class Context:
    """Where the issues of one file go, and what its rules need (catalog, today)."""

    file: str
    catalog: Catalog
    today: dt.date
    result: ReadResult

    # ``cell`` (the raw value shown after the message) is not called ``value``: several messages
    # have a ``{value}`` placeholder of their own, passed as a keyword.
    def issue(
        self,
        level: str,
        code: str,
        sheet: str,
        row: int | None = None,
        column: str = "",
        cell: object = None,
        col_index: int | None = None,
        **kw: object,
    ) -> None:
        """Add one issue of ``level`` (``error`` or ``warning``) with its message."""
        self.result.issues.append(
            Issue(level, code, msg(code, **kw), self.file, sheet, row, column, cell, col_index)
        )

    def error(self, code: str, sheet: str, *where: Any, **kw: Any) -> None:
        """Add an error; ``where`` is row, column, cell, col_index as in :meth:`issue`."""
        self.issue("error", code, sheet, *where, **kw)

    def warn(self, code: str, sheet: str, *where: Any, **kw: Any) -> None:
        """Add a warning; ``where`` is row, column, cell, col_index as in :meth:`issue`."""
        self.issue("warning", code, sheet, *where, **kw)


#: A merged range as calamine gives it: ((first row, first column), (last row, last column)), 0-based.
MergedRange = tuple[tuple[int, int], tuple[int, int]]


@dataclass(frozen=True)
class CellNotes:
    """What a sheet's values do not show: its merged ranges and the cells calamine read as empty
    although they hold an error value or a formula without its result (:mod:`.formula_cells`)."""

    merged: tuple[MergedRange, ...] = ()
    hidden: Mapping[tuple[int, int], HiddenValue] = field(default_factory=dict)


#: The codes of :func:`flag_cells`: other issues about the cells they name are left out.
CELL_CODES = ("merged_cells", "cell_formula_error", "cell_formula_uncached", "total_row_inside")
#: Merged ranges refused one by one, at most (a file refused for them needs no more to be fixed).
MAX_MERGED_REPORTED = 50
#: Every row below a table's first: calamine's rows end at the last cell with a value, and a row of
#: formulas without their results (read as empty) may lie below it.
TO_THE_END = 2**31


@dataclass
class Covered:
    """Cells another issue already names (Excel row, 0-based column), whose other issues are left out."""

    cells: set[tuple[int, int]] = field(default_factory=set)
    ranges: list[tuple[int, int, int, int]] = field(default_factory=list)  # Excel rows r0..r1, columns c0..c1
    rows: set[int] = field(default_factory=set)

    def covers(self, row: int, col: int | None) -> bool:
        """Whether the cell at Excel row ``row``, column ``col`` (``None``: the whole row) is named."""
        if row in self.rows or (col is not None and (row, col) in self.cells):
            return True
        return col is not None and any(
            r0 <= row <= r1 and c0 <= col <= c1 and (row, col) != (r0, c0) for r0, r1, c0, c1 in self.ranges
        )


def _count_in(seq: Sequence[int], lo: int, hi: int) -> int:
    """How many of the sorted ``seq`` lie in ``lo..hi``."""
    return bisect.bisect_right(seq, hi) - bisect.bisect_left(seq, lo)


def flag_cells(
    ctx: Context,
    sheet: str,
    notes: CellNotes,
    rows: Sequence[int],
    columns: Mapping[int, str],
    *,
    header_row: int | None = None,
    merged_rows: Sequence[int] | None = None,
) -> Covered:
    """Refuse what the values of the cells read do not show: in ``rows`` (sorted, 0-based) × ``columns``
    (column → its header), and in every column of ``header_row``, a cell holding an error value or a
    formula without its result; a merged range that covers such a cell beyond its first (in
    ``merged_rows`` when given). Returns the cells named, for :func:`drop_issues_at`."""
    covered = Covered()
    merged_rows = rows if merged_rows is None else merged_rows
    cols = sorted(columns)
    for (r0, c0), (r1, c1) in notes.merged:
        if len(covered.ranges) >= MAX_MERGED_REPORTED:
            break
        read = _count_in(merged_rows, r0, r1) * _count_in(cols, c0, c1)
        if header_row is not None and r0 <= header_row <= r1:
            read += c1 - c0 + 1 - _count_in(cols, c0, c1) * (header_row in merged_rows)
        anchor_read = r0 == header_row or (c0 in columns and _count_in(merged_rows, r0, r0) > 0)
        if read - int(anchor_read) <= 0:
            continue  # only its first cell, or none, is read
        first = f"{column_letter(c0)}{r0 + 1}"
        ctx.error(
            "merged_cells",
            sheet,
            r0 + 1,
            columns.get(c0, ""),
            None,
            c0,
            range=f"{first}:{column_letter(c1)}{r1 + 1}",
            first=first,
        )
        covered.ranges.append((r0 + 1, r1 + 1, c0, c1))
    for (r, c), hidden in sorted(notes.hidden.items()):
        if r == header_row or (c in columns and _count_in(rows, r, r) > 0):
            header = columns.get(c, "")
            ctx.error(hidden.code, sheet, r + 1, header, hidden.shown or None, c, error=hidden.shown)
            covered.cells.add((r + 1, c))
    return covered


def drop_issues_at(ctx: Context, start: int, covered: Covered) -> None:
    """Leave out the issues added since ``start`` about the cells ``covered`` names, but those that name
    them (:data:`CELL_CODES`): a merged or hidden cell, or a total row, is told once."""
    if not (covered.cells or covered.ranges or covered.rows):
        return
    issues = ctx.result.issues
    issues[start:] = [
        i
        for i in issues[start:]
        if i.code in CELL_CODES or i.row is None or not covered.covers(i.row, i.col_index)
    ]


def sort_issues(ctx: Context, start: int) -> None:
    """Put the issues added since ``start`` in row order (stable: a row keeps its column order)."""
    issues = ctx.result.issues
    issues[start:] = sorted(issues[start:], key=lambda i: -1 if i.row is None else i.row)


def check_period(
    ctx: Context, sheet: str, excel_row: int, raw: object, header: str, j: int | None
) -> str | None:
    """The period of a cell (``YYYY-MM``); ``None`` after an error when missing, invalid or in the future."""
    if raw in (None, ""):
        ctx.error("period_missing", sheet, excel_row, header, raw, j)
        return None
    period, problem = read_period(raw)
    if period is None:
        ctx.error(
            problem or "period_invalid",
            sheet,
            excel_row,
            header,
            raw,
            j,
            value=shown(raw),
            earliest=EARLIEST_YEAR,
        )
        return None
    if period > f"{ctx.today.year:04d}-{ctx.today.month:02d}":
        ctx.error(
            "period_future",
            sheet,
            excel_row,
            header,
            raw,
            j,
            value=f"{period[5:]}/{period[:4]}",
            today=fmt_date(ctx.today),
        )
        return None
    return period


def catalog_name(
    ctx: Context, sheet: str, excel_row: int, raw: object, kind: str, header: str, j: int | None
) -> str | None:
    """The catalog's name of a unit or field cell (``kind``); ``None`` after an error when missing or unknown."""
    text = parse_text(raw)
    if text is None:
        ctx.error(f"{kind}_missing", sheet, excel_row, header, raw, j)
        return None
    book = ctx.catalog.units if kind == "unit" else ctx.catalog.fields
    name = book.match(text)
    if name is None:
        ctx.error(
            f"{kind}_unknown",
            sheet,
            excel_row,
            header,
            raw,
            j,
            value=text,
            suggestion=book.suggest(text) or "",
        )
    return name


def _sum_known(arrays: list[np.ndarray]) -> np.ndarray:
    """Element-wise sum, NaN where any term is unknown."""
    total = arrays[0].copy()
    for a in arrays[1:]:
        total = total + a
    return total


def finish(
    ctx: Context,
    sheet: str,
    text: dict[str, list[object]],
    counts: dict[str, np.ndarray],
    excel_rows: list[int],
    headers: dict[str, str],
    colmap: dict[str, int],
) -> None:
    """Totals, part-of-whole, duplicate keys and the balance warning; then build the frame.

    ``counts`` holds one float array per count column (NaN = unknown); totals are filled in.
    """
    first_issue = len(ctx.result.issues)
    _text_lengths(ctx, sheet, text, excel_rows, headers, colmap)
    months = sorted({p for p in text["period"] if isinstance(p, str)})
    if MONTHS_LIMIT is not None and len(",".join(months)) > MONTHS_LIMIT:
        ctx.error("too_many_months", sheet, months=fmt_int(len(months)))
    table = _Table(ctx, sheet, counts, excel_rows, headers, colmap)
    _totals(table)
    _part_of_whole(table)
    _balance(ctx, sheet, counts, excel_rows)
    _duplicate_keys(ctx, sheet, text, excel_rows)
    sort_issues(ctx, first_issue)
    if ctx.result.errors:
        return
    data: dict[str, object] = {c: pd.Series(text[c], dtype="object") for c in TEXT_COLUMNS}
    for c in COUNT_COLUMNS:
        values = counts[c]
        mask = np.isnan(values)
        data[c] = pd.arrays.IntegerArray(np.where(mask, 0, values).astype(np.int64), mask)
    ctx.result.frame = pd.DataFrame(data, columns=list(FRAME_COLUMNS))
    ctx.result.excel_rows = list(excel_rows)


#: The longest text each text column may store: the schema's lengths (PostgreSQL refuses a longer one,
#: SQLite would keep it), so a file is refused alike on both, with the cell named.
TEXT_LIMITS: dict[str, int] = {
    c: t.length for c in TEXT_COLUMNS if isinstance(t := figure.c[c].type, String) and t.length
}
#: The longest list of months (``YYYY-MM,YYYY-MM…``) an upload may store (``upload.months``).
MONTHS_LIMIT: int | None = upload.c.months.type.length if isinstance(upload.c.months.type, String) else None


def _text_lengths(
    ctx: Context,
    sheet: str,
    text: dict[str, list[object]],
    excel_rows: list[int],
    headers: dict[str, str],
    colmap: dict[str, int],
) -> None:
    """Refuse a text longer than its column may store (:data:`TEXT_LIMITS`)."""
    for c, limit in TEXT_LIMITS.items():
        for i, value in enumerate(text[c]):
            if isinstance(value, str) and len(value) > limit:
                header = headers.get(c, HEADERS[c])
                quoted = value[:60] + "…"
                ctx.error(
                    "text_too_long",
                    sheet,
                    excel_rows[i],
                    header,
                    quoted,
                    colmap.get(c),
                    header=header,
                    length=fmt_int(len(value)),
                    limit=fmt_int(limit),
                )


@dataclass
class _Table:
    """The count columns of one sheet, where their rules report to."""

    ctx: Context
    sheet: str
    counts: dict[str, np.ndarray]
    excel_rows: list[int]
    headers: dict[str, str]
    colmap: dict[str, int]

    def header(self, column: str) -> str:
        return self.headers.get(column, HEADERS[column])

    def count_error(self, code: str, i: int, column: str, value: int, **kw: object) -> None:
        """An error about row ``i``'s count in ``column``; the message names its header and value."""
        header = self.header(column)
        where = (self.excel_rows[i], header, value, self.colmap.get(column))
        self.ctx.error(code, self.sheet, *where, header=header, value=value, **kw)


def _part_of_whole(table: _Table) -> None:
    """A part (digitised results, online payments…) may not exceed its whole (known both)."""
    counts = table.counts
    for part, wholes in PART_OF_WHOLE:
        p = counts[part]
        whole = _sum_known([counts[w] for w in wholes])
        with np.errstate(invalid="ignore"):
            hits = np.flatnonzero(p > whole)  # False where either is NaN
        for i in hits.tolist():
            table.count_error(
                "part_exceeds_whole",
                i,
                part,
                int(p[i]),
                whole=" + ".join(HEADERS[w] for w in wholes),
                expected=int(whole[i]),
            )


def _balance(ctx: Context, sheet: str, counts: dict[str, np.ndarray], excel_rows: list[int]) -> None:
    """Warn where received + carried over ≠ resolved + pending + withdrawn (both sides known)."""
    left = _sum_known([counts["received_new"], counts["carried_over"]])
    right = _sum_known([counts["resolved"], counts["pending"], counts["withdrawn"]])
    with np.errstate(invalid="ignore"):
        unbalanced = np.flatnonzero(left != right)
    for i in unbalanced.tolist():
        if not (np.isnan(left[i]) or np.isnan(right[i])):
            ctx.warn("books_unbalanced", sheet, excel_rows[i], left=int(left[i]), right=int(right[i]))


def _duplicate_keys(ctx: Context, sheet: str, text: dict[str, list[object]], excel_rows: list[int]) -> None:
    """One row per (period, unit, field, procedure); a row missing one of the first three is skipped."""
    seen: dict[tuple[object, ...], int] = {}
    keys = zip(*(text[k] for k in KEY_COLUMNS), strict=True)
    for excel_row, key in zip(excel_rows, keys, strict=True):
        if key[0] is None or key[1] is None or key[2] is None:
            continue
        other = seen.setdefault(key, excel_row)
        if other != excel_row:
            ctx.error("duplicate_key", sheet, excel_row, other=other)


def _totals(table: _Table) -> None:
    """Fill each total from its parts where all are known; check a given total against them."""
    counts = table.counts
    for total, parts in TOTALS.items():
        values = [counts[p] for p in parts]
        given = counts[total]
        names = " + ".join(HEADERS[p] for p in parts)
        stacked = np.vstack(values)
        known = ~np.isnan(stacked)
        all_known = known.all(axis=0)
        s = np.where(known, stacked, 0).sum(axis=0)  # the sum of the known parts
        given_known = ~np.isnan(given)
        checks = [
            ("parts_exceed_total", ~all_known & known.any(axis=0) & given_known & (s > np.nan_to_num(given)))
        ]
        if total in table.colmap:
            checks.insert(0, ("total_mismatch", all_known & given_known & (given != s)))
        for code, hits in checks:
            for i in np.flatnonzero(hits).tolist():
                table.count_error(code, i, total, int(given[i]), parts=names, expected=int(s[i]))
        counts[total] = np.where(all_known, s, given)
