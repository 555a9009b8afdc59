"""The official layout, Biểu II.06a: a unit's report by field or the department's report by unit.

Its header is read by :mod:`.official_header`; here the report period above it and the rows below
it, down to a closing total row, which is checked against the rows above it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np

from data_access.catalog import NO_FIELD
from data_access.columns import COUNT_COLUMNS, HEADERS, TEXT_COLUMNS
from data_access.textnorm import fold
from data_access.xlsx.cells import cell_at, count_issue_kw, is_total_label, numberlike, parse_count
from data_access.xlsx.official_header import (
    find_header,
    header_text,
    numbered_row,
    official_columns,
    span_month,
)
from data_access.xlsx.rules import (
    TO_THE_END,
    CellNotes,
    Context,
    catalog_name,
    check_period,
    drop_issues_at,
    finish,
    flag_cells,
)

_DATES = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
_MONTH_LINE = re.compile(r"thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_PERIOD_HEADER = HEADERS["period"]


def _official_period(
    ctx: Context, sheet: str, rows: list[list[object]], upto: int, cutoff_day: int | None
) -> str | None:
    """The month of the "Kỳ báo cáo: từ ngày … đến ngày …" (or "tháng M năm YYYY") line above the table;
    the dates must be one whole reporting month under ``cutoff_day`` (:func:`.official_header.span_month`)."""
    for i, row in enumerate(rows[:upto]):
        for j, c in enumerate(row):
            if not isinstance(c, str):
                continue
            f = fold(c)
            if "ky bao cao" not in f and "tu ngay" not in f:
                continue
            dates = _DATES.findall(c)
            if len(dates) >= 2:
                (d1, m1, y1), (d2, m2, y2) = dates[0], dates[1]
                try:
                    start = dt.date(int(y1), int(m1), int(d1))
                    end = dt.date(int(y2), int(m2), int(d2))
                except ValueError:
                    ctx.error("period_invalid", sheet, i + 1, _PERIOD_HEADER, c, j, value=c.strip())
                    return None
                named = _MONTH_LINE.search(f)  # "Tháng 3 năm 2024 (Từ ngày …)": the month in words too
                words = f"{named.group(2)}-{int(named.group(1)):02d}" if named else None
                month = span_month(ctx, sheet, i + 1, j, c, (start, end), words, cutoff_day)
                if month is None:
                    return None
                return check_period(ctx, sheet, i + 1, f"{month[5:]}/{month[:4]}", _PERIOD_HEADER, j)
            if m := _MONTH_LINE.search(f):
                return check_period(
                    ctx, sheet, i + 1, f"{int(m.group(1)):02d}/{m.group(2)}", _PERIOD_HEADER, j
                )
    ctx.error("official_period_missing", sheet)
    return None


@dataclass
class _Table:
    """What the header and the lines above it say about one official table."""

    sheet: str
    colmap: dict[str, int]  # code → column
    kind: str  # "field": a unit's report by field; "unit": the department's report by unit
    headers: dict[str, str]  # code → a readable header ("(4) Trực tuyến")
    period: str | None
    unit: str | None  # the unit of a report by field


def read_official(
    ctx: Context,
    sheet: str,
    rows: list[list[object]],
    unit: str | None,
    *,
    cutoff_day: int | None,
    notes: CellNotes | None = None,
) -> None:
    """Read the official table of ``rows`` into ``ctx.result``; ``unit`` names the unit of a report by field,
    ``cutoff_day`` the day reporting months close on (``None``: calendar months). ``notes``: the merged
    ranges and the cells read as empty that hold an error value or a formula without its result; those
    in the table's rows (above its total row) are refused."""
    first_issue = len(ctx.result.issues)
    first, last = find_header(rows)  # type: ignore[misc]
    numbered = numbered_row(rows)
    colmap, kind = official_columns(rows, first, last, numbered)
    period = _official_period(ctx, sheet, rows, first, cutoff_day)
    unit_name = _report_unit(ctx, sheet, first, unit) if kind == "field" else None
    headers = {code: header_text(rows, first, last, j) for code, j in colmap.items()}
    table = _Table(sheet, colmap, kind, headers, period, unit_name)
    start = (numbered if numbered is not None else last) + 1
    records: list[dict[str, object]] = []
    excel_rows: list[int] = []
    total_row: tuple[int, dict[str, int | None]] | None = None
    numeric = [c for c in colmap if c != "name"]
    for i in range(start, len(rows)):
        values = {c: cell_at(rows[i], colmap[c]) for c in numeric}
        if all(v in ("", None) for v in values.values()):
            continue  # blank row, section heading or signature line
        name_raw = cell_at(rows[i], colmap["name"])
        if not any(numberlike(v) for v in values.values()) and not _known_name(ctx, kind, name_raw):
            continue  # a signature or place-and-date line (text only, no figure, no catalog name)
        if _is_total_row(ctx, kind, name_raw, cell_at(rows[i], 0)):
            total_row = (i + 1, {c: parse_count(v)[0] for c, v in values.items()})
            break
        records.append(_record(ctx, table, i + 1, name_raw, values))
        excel_rows.append(i + 1)
    end = total_row[0] - 1 if total_row is not None else TO_THE_END
    covered = flag_cells(
        ctx,
        sheet,
        notes or CellNotes(),
        range(start, end),
        {j: headers[c] for c, j in colmap.items()},
        merged_rows=[x - 1 for x in excel_rows],
    )
    if not records:
        ctx.error("no_data_rows", sheet, start)
        drop_issues_at(ctx, first_issue, covered)
        return
    text = {c: [rec[c] for rec in records] for c in TEXT_COLUMNS}
    counts = {
        c: np.array([np.nan if rec[c] is None else rec[c] for rec in records], dtype=np.float64)
        for c in COUNT_COLUMNS
    }
    finish(
        ctx,
        sheet,
        text,
        counts,
        excel_rows,
        {**HEADERS, **{k: v for k, v in headers.items() if k in HEADERS}},
        {c: j for c, j in colmap.items() if c in HEADERS},
    )
    drop_issues_at(ctx, first_issue, covered)
    if total_row is not None and not ctx.result.errors:
        _check_total_row(ctx, table, *total_row)


def _report_unit(ctx: Context, sheet: str, first: int, unit: str | None) -> str | None:
    """The catalog's name of the unit a report by field was chosen for; ``None`` after an error."""
    if not unit:
        ctx.error("official_unit_needed", sheet, first + 1)
        return None
    name = ctx.catalog.units.match(unit)
    if name is None:
        ctx.error(
            "unit_unknown",
            sheet,
            None,
            HEADERS["unit"],
            unit,
            value=unit,
            suggestion=ctx.catalog.units.suggest(unit) or "",
        )
    return name


def _record(
    ctx: Context, table: _Table, excel_row: int, name_raw: object, values: dict[str, object]
) -> dict[str, object]:
    """One row of the table as a contract record (counts ``None`` where unknown); its errors to ``ctx``."""
    name = catalog_name(
        ctx, table.sheet, excel_row, name_raw, table.kind, table.headers["name"], table.colmap["name"]
    )
    unit, field = (name, NO_FIELD) if table.kind == "unit" else (table.unit, name)
    rec: dict[str, object] = {
        "period": table.period,
        "procedure_code": None,
        "procedure_name": None,
        "unit": unit,
        "field": field,
    }
    for code in COUNT_COLUMNS:
        rec[code] = None
    received_total = None
    for c, raw in values.items():
        value, err = parse_count(raw)
        if err:
            ctx.error(
                err,
                table.sheet,
                excel_row,
                table.headers[c],
                raw,
                table.colmap[c],
                **count_issue_kw(raw, err),
            )
        if c == "received_total":
            received_total = value
        else:
            rec[c] = value
    parts = [rec.get("received_online"), rec.get("received_direct_postal"), rec.get("carried_over")]
    if received_total is not None and all(p is not None for p in parts) and sum(parts) != received_total:  # type: ignore[arg-type]
        header = table.headers["received_total"]
        ctx.error(
            "total_mismatch",
            table.sheet,
            excel_row,
            header,
            received_total,
            table.colmap["received_total"],
            header=header,
            value=received_total,
            parts="(4) + (5) + (6)",
            expected=sum(parts),
        )
    return rec


def _check_total_row(ctx: Context, table: _Table, excel_row: int, totals: dict[str, int | None]) -> None:
    """Warn where the table's own total row disagrees with the sum of the rows read."""
    frame = ctx.result.frame
    for c, v in totals.items():
        if v is None:
            continue
        s = frame[["received_new", "carried_over"]].sum().sum() if c == "received_total" else frame[c].sum()
        if int(s) != v:
            ctx.warn(
                "official_total_row",
                table.sheet,
                excel_row,
                table.headers[c],
                v,
                table.colmap[c],
                header=table.headers[c],
                value=v,
                expected=int(s),
            )


def _is_total_row(ctx: Context, kind: str, name_raw: object, first_cell: object) -> bool:
    """A row labelled as a total (in its name cell or its first cell) that does not name a unit or field."""
    labelled = (isinstance(name_raw, str) and is_total_label(fold(name_raw))) or (
        isinstance(first_cell, str) and is_total_label(fold(first_cell))
    )
    return labelled and not _known_name(ctx, kind, name_raw)


def _known_name(ctx: Context, kind: str, raw: object) -> bool:
    book = ctx.catalog.units if kind == "unit" else ctx.catalog.fields
    return book.match(raw) is not None if isinstance(raw, str) and raw.strip() else False
