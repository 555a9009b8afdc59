"""The department's figures for a period written as Biểu II.06a (``domain.md``), the layout the provincial
one-stop systems export and the office sends on: title, the "Kỳ báo cáo" line, three header rows with
merged cells as in ``examples/bao-cao-06a-mau.xlsx``, the row numbering the 13 columns, one row per
field (or per unit), the total row, the place-and-date line and the signatures.

A month's workbook is read back by :func:`data_access.xlsx.read_workbook` to the same figures (the
06a columns; the others are not in the layout and read back unknown). The official reader takes one
whole reporting month per file (:func:`data_access.xlsx.official_header.span_month`), and one table
per workbook: a quarter, half year or year is written summed, with its own dates on the period line
(the form the office sends for those reports), which the reader refuses as a span of several months;
:func:`write_06a_months` writes one readable workbook per month of such a period instead.

Over several months the flows are summed and a stock is taken once: "từ kỳ trước" from the first
month, "đang giải quyết" from the last (``data_access.columns.STOCKS_AT_*``). A figure unknown in any
row of a group leaves that group's cell empty (unknown, never 0). Texts are written as text cells,
never formulas, cleaned of the characters a workbook cannot hold.

``data_access`` sits below ``kpi``: a period is any object shaped as :class:`kpi.periods.Period`
(:class:`PeriodLike`), or a month code ``YYYY-MM``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from data_access.catalog import Catalog, load_catalog
from data_access.columns import STOCKS_AT_END, STOCKS_AT_START
from data_access.export import safe_text
from data_access.reporting_period import month_span
from data_access.texts import official_export as T
from vnfmt import fmt_date

__all__ = ["OFFICIAL_COLUMNS", "PeriodLike", "write_06a", "write_06a_months"]

By = Literal["field", "unit"]

#: The figures columns the layout carries (read back as written), in the order of columns 4–13.
OFFICIAL_COLUMNS: tuple[str, ...] = (
    "received_online",
    "received_direct_postal",
    "carried_over",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending",
    "pending_in_time",
    "pending_overdue",
)
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_WIDTHS = (6, 42, 10, 11, 13, 10, 10, 10, 10, 10, 10, 10, 10)
_FONT = "Times New Roman"
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


class PeriodLike(Protocol):
    """What the writer needs of a period (:class:`kpi.periods.Period` has it)."""

    @property
    def kind(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def number(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def months(self) -> list[str]: ...


@dataclass(frozen=True)
class _Month:
    kind: str
    year: int
    number: int

    @property
    def code(self) -> str:
        return f"{self.year:04d}-{self.number:02d}"

    @property
    def months(self) -> list[str]:
        return [self.code]


def _as_period(period: PeriodLike | str) -> PeriodLike:
    if not isinstance(period, str):
        return period
    m = _MONTH.fullmatch(period.strip())
    if m is None or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(T.BAD_PERIOD.format(period=period))
    return _Month("month", int(m.group(1)), int(m.group(2)))


def _words(period: PeriodLike) -> str:
    if period.kind == "month":
        return T.MONTH_WORDS.format(month=period.number, year=period.year)
    if period.kind == "quarter":
        return T.QUARTER_WORDS.format(roman=_ROMAN[period.number], year=period.year)
    if period.kind == "half":
        return T.HALF_WORDS[period.number].format(year=period.year)
    return T.YEAR_WORDS.format(year=period.year)


def _text(value: object) -> str:
    """Text a workbook can hold and no spreadsheet runs as a formula."""
    return ILLEGAL_CHARACTERS_RE.sub("", safe_text(value))


def _group_sums(frame: pd.DataFrame, key: str, columns: Sequence[str]) -> pd.DataFrame:
    """Sums of ``columns`` per ``key``; NA where any row of the group has the figure unknown."""
    cols = list(columns)
    values = frame[cols].astype("Int64")
    sums = values.groupby(frame[key], sort=False).sum()
    unknown = values.isna().groupby(frame[key], sort=False).any()
    return sums.mask(unknown)


def _stock_sums(scope: pd.DataFrame, month: str, key: str, columns: Sequence[str]) -> pd.DataFrame:
    """Stocks ``columns`` per ``key`` taken in ``month``; NA for a group with a row-series of the period
    (unit, field, procedure) that has no row in that month (its stock is unknown)."""
    series = ["unit", "field", "procedure_code"]
    at = scope[scope["period"] == month]
    sums = _group_sums(at, key, columns)
    seen = set(map(tuple, at[series].astype(str).to_numpy().tolist()))
    groups = scope[key].drop_duplicates().tolist()
    sums = sums.reindex(groups)
    for g in groups:
        rows = scope[scope[key] == g][series].astype(str).drop_duplicates()
        if any(tuple(r) not in seen for r in rows.to_numpy().tolist()):
            sums.loc[g] = pd.NA
    return sums


def _table(figures: pd.DataFrame, months: list[str], key: str) -> pd.DataFrame:
    """One row per ``key`` value: the 06a columns over ``months`` (flows summed, stocks once)."""
    scope = figures[figures["period"].isin(months)]
    if len(months) == 1:
        return _group_sums(scope, key, OFFICIAL_COLUMNS)
    starts = [c for c in OFFICIAL_COLUMNS if c in STOCKS_AT_START]
    ends = [c for c in OFFICIAL_COLUMNS if c in STOCKS_AT_END]
    flows = [c for c in OFFICIAL_COLUMNS if c not in starts and c not in ends]
    present = sorted(set(scope["period"]))
    out = _group_sums(scope, key, flows)
    out = out.join(_stock_sums(scope, present[0], key, starts))
    out = out.join(_stock_sums(scope, present[-1], key, ends))
    return out[list(OFFICIAL_COLUMNS)]


def _ordered(table: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Rows in the catalog's order, names it does not hold after them (sorted)."""
    rank = {n: i for i, n in enumerate(names)}
    order = sorted(table.index, key=lambda n: (rank.get(n, len(rank)), str(n)))
    return table.loc[order]


def _put(ws: Worksheet, row: int, col: int, value: object, *, bold: bool = False) -> None:
    cell = ws.cell(row=row, column=col)
    if value is None or value is pd.NA:
        cell.value = None
    elif isinstance(value, str):
        cell.value = _text(value)
        cell.data_type = "s"  # never a formula, whatever it starts with
    else:
        cell.value = int(value)  # type: ignore[call-overload]
    cell.font = Font(name=_FONT, size=11, bold=bold)


def _merge(ws: Worksheet, ref: str, value: str, *, bold: bool = True, align: Alignment = _CENTER) -> None:
    first = ref.split(":")[0]
    ws[first] = _text(value)
    ws[first].data_type = "s"
    ws[first].font = Font(name=_FONT, size=11, bold=bold)
    ws[first].alignment = align
    if ":" in ref:
        ws.merge_cells(ref)


def _header(ws: Worksheet, by: By) -> None:
    """Rows 7–10: the three header rows merged as the example, and the numbering row."""
    _merge(ws, "A7:A9", T.COL_NUMBER)
    _merge(ws, "B7:B9", T.COL_FIELD if by == "field" else T.COL_UNIT)
    _merge(ws, "C7:F7", T.RECEIVED)
    _merge(ws, "G7:M7", T.RESULTS)
    _merge(ws, "C8:C9", T.TOTAL)
    _merge(ws, "D8:E8", T.IN_PERIOD)
    _merge(ws, "F8:F9", T.FROM_BEFORE)
    _merge(ws, "G8:J8", T.RESOLVED)
    _merge(ws, "K8:M8", T.PENDING)
    for col, text in zip(
        "DEGHIJKLM",
        (T.ONLINE, T.DIRECT_POSTAL, T.TOTAL, T.EARLY, T.ON_TIME, T.LATE, T.TOTAL, T.IN_TIME, T.LATE),
        strict=True,
    ):
        _merge(ws, f"{col}9", text)
    for j in range(1, 14):
        _put(ws, 10, j, f"({j})", bold=True)
        ws.cell(row=10, column=j).alignment = _CENTER
    for r in range(7, 11):
        for j in range(1, 14):
            ws.cell(row=r, column=j).border = _BOX


def _values(row: pd.Series) -> list[object]:
    """Columns 3–13 of one row: the total received (4 + 5 + 6, unknown if one is), then the figures."""
    parts = [row["received_online"], row["received_direct_postal"], row["carried_over"]]
    total = None if any(pd.isna(p) for p in parts) else int(sum(parts))
    return [total, *(None if pd.isna(row[c]) else int(row[c]) for c in OFFICIAL_COLUMNS)]


def _total(table: pd.DataFrame) -> pd.Series:
    """The total row: each column's sum, unknown if a row's is."""
    return pd.Series({c: pd.NA if table[c].isna().any() else int(table[c].sum()) for c in OFFICIAL_COLUMNS})


def write_06a(
    figures: pd.DataFrame,
    *,
    period: PeriodLike | str,
    by: By,
    agency: str,
    unit: str | None = None,
    place: str = "",
    today: dt.date | None = None,
    cutoff_day: int | None = None,
    catalog: Catalog | None = None,
) -> bytes:
    """Biểu II.06a of ``figures`` (a figures frame) for ``period``, one row per field (``by="field"``)
    or per unit (``by="unit"``), as the bytes of an ``.xlsx``.

    ``agency``: the agency's name above the title (a line break for a parent agency line first, e.g.
    "UBND THÀNH PHỐ HẢI PHÒNG\\nSỞ GIÁO DỤC VÀ ĐÀO TẠO"). ``unit``: only that unit's figures (a unit's
    report by field, read back with ``read_workbook(..., unit=unit)``; the department's by field is read
    back under any one unit name). ``place`` and ``today``: the place-and-date line (none when no place).
    ``cutoff_day``: the reporting cut-off the period line's dates follow (``REPORTING_CUTOFF_DAY``).
    ValueError (Vietnamese) for a wrong ``by`` or period, or a period with no figures.
    """
    if by not in ("field", "unit"):
        raise ValueError(T.BAD_BY.format(by=by))
    p = _as_period(period)
    months = list(p.months)
    scope = figures[figures["period"].isin(months)]
    if unit is not None:
        scope = scope[scope["unit"] == unit]
    if scope.empty:
        where = T.NO_FIGURES_UNIT.format(unit=unit) if unit else ""
        raise ValueError(T.NO_FIGURES.format(period=p.code, unit=where))
    cat = catalog or load_catalog()
    table = _ordered(_table(scope, months, by), (cat.fields if by == "field" else cat.units).names)

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = T.SHEET_NAME
    for j, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    left = Alignment(horizontal="center", vertical="center", wrap_text=False)
    for i, line in enumerate([s for s in agency.splitlines() if s.strip()][:2] or [""], start=1):
        _merge(ws, f"A{i}:F{i}", line.strip().upper(), align=left)
    _merge(ws, "H1:M1", T.NATION, align=left)
    _merge(ws, "H2:M2", T.MOTTO, align=left)
    _merge(ws, "A4:M4", T.TITLE)
    start, end = month_span(months[0], cutoff_day)[0], month_span(months[-1], cutoff_day)[1]
    line = T.PERIOD_LINE.format(words=_words(p), start=fmt_date(start), end=fmt_date(end))
    _merge(ws, "A5:M5", line, bold=False)
    if unit is not None and by == "field":
        _merge(ws, "A6", T.UNIT_LINE.format(unit=unit), bold=False, align=Alignment(horizontal="left"))
    _merge(ws, "K6", T.UNIT_OF_COUNT, bold=False, align=Alignment(horizontal="right"))
    _header(ws, by)

    r = 11
    for n, (name, row) in enumerate(table.iterrows(), start=1):
        _put(ws, r, 1, n)
        _put(ws, r, 2, str(name))
        for j, v in enumerate(_values(row), start=3):
            _put(ws, r, j, v)
        r += 1
    _put(ws, r, 2, T.TOTAL_ROW, bold=True)
    for j, v in enumerate(_values(_total(table)), start=3):
        _put(ws, r, j, v, bold=True)
    for row_cells in ws.iter_rows(min_row=11, max_row=r, max_col=13):
        for cell in row_cells:
            cell.border = _BOX
            if cell.column != 2:
                cell.alignment = Alignment(horizontal="center", vertical="center")
            else:
                cell.alignment = Alignment(vertical="center", wrap_text=True)
    if place:
        day = today or dt.date.today()
        date_line = T.PLACE_DATE.format(place=place, day=day.day, month=day.month, year=day.year)
        _merge(ws, f"J{r + 2}:M{r + 2}", date_line, bold=False)
        ws.cell(row=r + 2, column=10).font = Font(name=_FONT, size=11, italic=True)
    _merge(ws, f"B{r + 3}", T.MAKER)
    _merge(ws, f"J{r + 3}:M{r + 3}", T.HEAD)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.print_title_rows = "7:10"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_06a_months(
    figures: pd.DataFrame,
    *,
    period: PeriodLike | str,
    by: By,
    agency: str,
    **kw: object,
) -> dict[str, bytes]:
    """One Biểu II.06a per month of ``period`` that has figures, by month code (each one read back by the
    official reader); the other keywords as :func:`write_06a`."""
    p = _as_period(period)
    scope = figures[figures["period"].isin(p.months)]
    if kw.get("unit") is not None:
        scope = scope[scope["unit"] == kw["unit"]]
    if scope.empty:
        write_06a(figures, period=p, by=by, agency=agency, **kw)  # type: ignore[arg-type]  # raises
    return {
        m: write_06a(figures, period=m, by=by, agency=agency, **kw)  # type: ignore[arg-type]
        for m in sorted(set(scope["period"]))
    }
