"""The canonical template (sheet ``SoLieu``, one header row) and rows from another source read by
its rules: each cell rule runs over a whole column (counts in numpy), then the contract's rules."""

from __future__ import annotations

import functools
from collections.abc import Callable
from itertools import zip_longest

import numpy as np

from data_access.columns import COUNT_COLUMNS, HEADERS, REQUIRED_COLUMNS, match_header
from data_access.messages import column_letter
from data_access.textnorm import clean
from data_access.xlsx.cells import (
    MAX_COUNT,
    cell_at,
    count_issue_kw,
    parse_count,
    parse_text,
    row_filled,
    total_label,
)
from data_access.xlsx.rules import (
    TO_THE_END,
    CellNotes,
    Context,
    Covered,
    catalog_name,
    check_period,
    drop_issues_at,
    finish,
    flag_cells,
    sort_issues,
)

#: The header row is one of the first this many rows with content (title rows may stand above it).
HEADER_WITHIN = 5
#: Rows searched for a header lower than that, to say where it is.
_HEADER_SEARCH = 60


def _is_header(row: list[object]) -> bool:
    codes = {match_header(c) for c in row if isinstance(c, str)}
    return all(code in codes for code in REQUIRED_COLUMNS)


def header_row(rows: list[list[object]]) -> int | None:
    """Index of the first of the first :data:`HEADER_WITHIN` non-empty rows that holds the required headers."""
    seen = 0
    for i, row in enumerate(rows):
        if not any(c not in ("", None) for c in row):
            continue
        if _is_header(row):
            return i
        seen += 1
        if seen >= HEADER_WITHIN:
            break
    return None


def low_header_row(rows: list[list[object]]) -> int | None:
    """Index of a row holding the required headers below where :func:`header_row` looks, else ``None``."""
    return next((i for i, row in enumerate(rows[:_HEADER_SEARCH]) if _is_header(row)), None)


def header_too_low(ctx: Context, sheet: str, index: int) -> None:
    """Refuse a table whose header row (``index``) is lower than the template allows, naming the row."""
    ctx.error(
        "header_too_low",
        sheet,
        index + 1,
        line=index + 1,
        allowed=HEADER_WITHIN - 1,
        headers=", ".join(HEADERS[c] for c in REQUIRED_COLUMNS),
    )


def read_canonical(
    ctx: Context, sheet: str, rows: list[list[object]], header_idx: int, notes: CellNotes | None = None
) -> None:
    """Read the table whose header is row ``header_idx`` into ``ctx.result`` (frame or issues).

    ``notes`` tells what the values do not show (merged ranges, error values, formulas without their
    result): each cell of the table that it names is refused, and told once."""
    start = len(ctx.result.issues)
    covered = _read_canonical(ctx, sheet, rows, header_idx, notes or CellNotes())
    drop_issues_at(ctx, start, covered)


def _read_canonical(
    ctx: Context, sheet: str, rows: list[list[object]], header_idx: int, notes: CellNotes
) -> Covered:
    covered = Covered()
    if not rows or not any(map(row_filled, rows)):
        ctx.error("empty_sheet", sheet)
        return covered
    header = rows[header_idx]
    colmap: dict[str, int] = {}
    for j, cell in enumerate(header):
        if cell in ("", None):
            continue
        code = match_header(cell)
        if code is None:
            ctx.warn("unknown_column", sheet, header_idx + 1, str(cell), col_index=j, header=clean(cell))
        elif code in colmap:
            ctx.error(
                "duplicate_column",
                sheet,
                header_idx + 1,
                str(cell),
                col_index=j,
                header=clean(cell),
                first=column_letter(colmap[code]),
                second=column_letter(j),
            )
        else:
            colmap[code] = j
    for code in REQUIRED_COLUMNS:
        if code not in colmap:
            ctx.error("missing_column", sheet, header_idx + 1, HEADERS[code], header=HEADERS[code])
    headers = {code: clean(header[j]) for code, j in colmap.items()}
    columns = {j: headers[code] for code, j in colmap.items()}
    covered = flag_cells(ctx, sheet, notes, range(header_idx + 1, TO_THE_END), columns, header_row=header_idx)
    body = [(i + 1, r) for i, r in enumerate(rows[header_idx + 1 :], start=header_idx + 1) if row_filled(r)]
    body = _total_rows(ctx, sheet, body, colmap, covered)
    if not body:
        ctx.error("no_data_rows", sheet, header_idx + 1)
        return covered
    if any(c not in colmap for c in REQUIRED_COLUMNS):
        return covered
    # Column by column: each cell rule runs over a whole column (counts in numpy), then the
    # issues are put back in row order, as a row-by-row pass would have listed them.
    excel_rows = [x for x, _ in body]
    body_rows = [r for _, r in body]
    n = len(body_rows)

    transposed = list(zip_longest(*body_rows))  # short rows padded with None

    def column(j: int) -> list[object]:
        return list(transposed[j]) if j < len(transposed) else [None] * n

    first_issue = len(ctx.result.issues)
    text: dict[str, list[object]] = {}
    j = colmap["period"]
    text["period"] = _checked_column(
        excel_rows, column(j), functools.partial(check_period, ctx, sheet, header=headers["period"], j=j)
    )
    for kind in ("unit", "field"):
        j = colmap[kind]
        text[kind] = _checked_column(
            excel_rows,
            column(j),
            functools.partial(catalog_name, ctx, sheet, kind=kind, header=headers[kind], j=j),
        )
    for code in ("procedure_code", "procedure_name"):
        j = colmap.get(code)  # type: ignore[assignment]
        text[code] = [None] * n if j is None else _text_column(column(j))
    counts: dict[str, np.ndarray] = {}
    for code in COUNT_COLUMNS:
        j = colmap.get(code)  # type: ignore[assignment]
        counts[code] = (
            np.full(n, np.nan)
            if j is None
            else count_column(ctx, sheet, excel_rows, column(j), headers[code], j)
        )
    sort_issues(ctx, first_issue)
    finish(ctx, sheet, text, counts, excel_rows, headers, colmap)
    return covered


_LABEL_COLUMNS = ("unit", "field", "procedure_code", "procedure_name", "period")


def _total_rows(
    ctx: Context, sheet: str, body: list[tuple[int, list[object]]], colmap: dict[str, int], covered: Covered
) -> list[tuple[int, list[object]]]:
    """The body without its trailing total rows ("Tổng cộng"…: skipped with a warning, the template has
    none); a total row above a data row is refused (its figures would be counted twice)."""
    cols = sorted({0, *(colmap[c] for c in _LABEL_COLUMNS if c in colmap)})
    unit_col = colmap.get("unit")
    known: dict[object, bool] = {}  # a unit cell → whether the catalog knows it (typed alike on many rows)
    labels_of: dict[str, str | None] = {}  # a text cell → the total label it is, if one

    def label(row: list[object]) -> str | None:
        unit = cell_at(row, unit_col)
        if isinstance(unit, str):
            if unit not in known:
                known[unit] = ctx.catalog.units.match(unit) is not None
            if known[unit]:
                return None  # a unit of the catalog: a data row, whatever its other cells say
        for c in (cell_at(row, j) for j in cols):
            if type(c) is str:
                if c not in labels_of:
                    labels_of[c] = total_label([c])
                if labels_of[c] is not None:
                    return labels_of[c]
        return None

    labels = [label(r) for _, r in body]
    end = len(body)
    while end and labels[end - 1] is not None:
        end -= 1
    for (excel_row, _), text in zip(body[end:], labels[end:], strict=True):
        ctx.warn("total_row_skipped", sheet, excel_row, label=text)
    for (excel_row, _), text in zip(body[:end], labels[:end], strict=True):
        if text is not None:
            ctx.error("total_row_inside", sheet, excel_row, label=text)
            covered.rows.add(excel_row)
    return body[:end]


def _checked_column(
    excel_rows: list[int], raw: list[object], check: Callable[[int, object], str | None]
) -> list[object]:
    """``check(excel_row, cell)`` of each cell; a value already accepted is not checked again (a month
    or a unit is typed the same way on many rows). A refused one is, so each of its rows gets its error."""
    known: dict[object, str] = {}
    out: list[object] = []
    for excel_row, v in zip(excel_rows, raw, strict=True):
        key = v if type(v) is str else (type(v), v)  # (1, 1.0 and True are equal keys otherwise)
        value = known.get(key)
        if value is None:
            value = check(excel_row, v)
            if value is not None:
                known[key] = value
        out.append(value)
    return out


def _text_column(raw: list[object]) -> list[object]:
    known: dict[tuple[type, object], str | None] = {}
    out: list[object] = []
    for v in raw:
        if v is None or v == "":
            out.append(None)
            continue
        key = (type(v), v)
        if key not in known:
            known[key] = parse_text(v)
        out.append(known[key])
    return out


_NUMBER_TYPES = (float, int)


def count_column(
    ctx: Context, sheet: str, excel_rows: list[int], raw: list[object], header: str, j: int
) -> np.ndarray:
    """A count column as floats (NaN = unknown); every bad cell reported as ``parse_count`` says."""
    # Numbers (calamine gives floats) are checked in numpy; any other cell goes through ``parse_count``.
    if set(map(type, raw)) == {float}:
        values = np.array(raw, dtype=np.float64)
        check: list[int] = []
    else:
        values = np.array([v if type(v) in _NUMBER_TYPES else np.nan for v in raw], dtype=np.float64)
        check = [i for i, v in enumerate(raw) if type(v) not in _NUMBER_TYPES and v is not None and v != ""]
    nan = np.isnan(values)
    with np.errstate(invalid="ignore"):
        bad = ~nan & ((values < 0) | (values != np.floor(values)) | (values > MAX_COUNT))  # incl. ∞
    check.extend(np.flatnonzero(bad).tolist())
    if nan.any():
        check.extend(i for i in np.flatnonzero(nan).tolist() if type(raw[i]) is float)  # a NaN cell
    for i in sorted(check):
        v = raw[i]
        value, err = parse_count(v)
        if err:
            ctx.error(err, sheet, excel_rows[i], header, v, j, **count_issue_kw(v, err))
        values[i] = np.nan if value is None else value
    return values
