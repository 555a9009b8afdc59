"""Read the one-stop system's list of dossiers (``dossier-list.md``) into the figures frame.

The cells are parsed column by column (a text's parse is cached: a list repeats few distinct values),
every error of the file collected in one pass with sheet, Excel row, column and value; the figures are
computed by :func:`data_access.dossier_figures.aggregate_dossiers`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from data_access import dossier_figures  # a module, not its name: dossier_figures imports this package
from data_access.catalog import Catalog, load_catalog
from data_access.columns import CATALOG_COLUMNS, COUNT_COLUMNS, ONLINE_LEVELS
from data_access.messages import Issue, IssueList
from data_access.reporting_period import month_of_date, month_span
from data_access.textnorm import clean, fold
from data_access.texts import dossiers as T
from data_access.texts.files import UPLOAD_NAME
from data_access.xlsx.cells import parse_yes_no
from data_access.xlsx.rules import TEXT_LIMITS, ReadResult, empty_frame
from data_access.xlsx.workbook import open_workbook
from vnfmt import fmt_date

__all__ = ["DossierRead", "is_dossier_sheet", "read_dossier_list"]

#: Rows looked at for the header (a title block and the period line may stand above it).
HEADER_SEARCH_ROWS = 20
REQUIRED = ("dossier_code", "procedure_code", "channel", "received_date", "status")
YES_NO = (
    "online_full",
    "result_digitized",
    "dossier_digitized",
    "fee_required",
    "paid_online",
    "returned_postal",
)
DATES = ("received_date", "due_date", "end_date")

_HEADER_INDEX = {fold(h): code for code, hs in T.HEADERS.items() for h in hs}
_CHANNELS = {fold(w): code for code, ws in T.CHANNELS.items() for w in ws}
_STATUSES = {fold(w): code for code, ws in T.STATUSES.items() for w in ws}
_DATE_TEXT = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_PERIOD = re.compile(
    re.escape(fold(T.PERIOD_FROM))
    + r" (\d{1,2}) (\d{1,2}) (\d{4}) "
    + re.escape(fold(T.PERIOD_TO))
    + r" (\d{1,2}) (\d{1,2}) (\d{4})"
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass
class DossierRead(IssueList):
    """The figures of a dossier list (empty after an error), what it covered, and every issue."""

    file: str
    frame: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    sheet: str = ""
    sha256: str = ""
    layout: str = "dossiers"
    dossier_count: int = 0
    months: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    procedure_count: int = 0
    #: figure column → how many (month, unit, field, procedure) keys it is unknown for
    unknown: dict[str, int] = field(default_factory=dict)

    def as_read_result(self) -> ReadResult:
        """The same figures as the canonical reader's result (layout ``dossiers``), for the import pipeline."""
        return ReadResult(self.file, self.frame, list(self.issues), "dossiers", self.sheet, self.sha256)


def _header_at(row: list[object]) -> dict[str, int]:
    found: dict[str, int] = {}
    for j, cell in enumerate(row):
        code = _HEADER_INDEX.get(fold(cell)) if isinstance(cell, str) else None
        if code is not None and code not in found:
            found[code] = j
    return found


def _find_header(rows: list[list[object]]) -> int | None:
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = _header_at(row)
        if "dossier_code" in found and "received_date" in found:
            return i
    return None


def is_dossier_sheet(rows: list[list[object]], name: str = "") -> bool:
    """Whether a sheet is a dossier list: named ``DanhSachHoSo`` or with ``Mã hồ sơ`` and ``Ngày tiếp nhận``
    in a header row near its top."""
    return fold(name) == fold(T.SHEET_NAME) or _find_header(rows) is not None


def _parse_date(value: object) -> dt.date | str | None:
    """A date cell: the day, ``None`` when empty, ``"bad"`` when not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 36526 <= value < 2958466:  # Excel serials 2000-01-01 .. 9999-12-31
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        return "bad"
    if isinstance(value, str):
        s = value.strip()
        if not s:
            return None
        m = _DATE_TEXT.match(s)
        if not m:
            return "bad"
        try:
            day = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            if m.group(4) is not None:
                dt.time(int(m.group(4)), int(m.group(5)), int(m.group(6) or 0))
        except ValueError:
            return "bad"
        return day
    return "bad"


def _parse_yes_no(value: object) -> bool | str | None:
    """A yes/no cell (:func:`~data_access.xlsx.cells.parse_yes_no`): the answer, ``None`` when empty,
    ``"bad"`` for another word."""
    answer, ok = parse_yes_no(value)
    return answer if ok else "bad"


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = clean(value)
    return s or None


class _Issues:
    def __init__(self, file: str, sheet: str, out: list[Issue]) -> None:
        self.file, self.sheet, self.out = file, sheet, out

    def error(
        self,
        code: str,
        row: int | None = None,
        column: str = "",
        value: object = None,
        j: int | None = None,
        **kw: object,
    ) -> None:
        message = T.MESSAGES[code].format(**kw)
        self.out.append(Issue("error", code, message, self.file, self.sheet, row, column, value, j))


def _period_line(rows: list[list[object]], header: int) -> tuple[dt.date, dt.date] | str | None:
    for row in rows[:header]:
        for cell in row:
            if isinstance(cell, str):
                m = _PERIOD.search(fold(cell))
                if m:
                    try:
                        g = [int(x) for x in m.groups()]
                        return dt.date(g[2], g[1], g[0]), dt.date(g[5], g[4], g[3])
                    except ValueError:
                        return "bad"
    return None


def _months_between(first: str, last: str) -> list[str]:
    out = []
    y, m = int(first[:4]), int(first[5:])
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def read_dossier_list(
    rows_or_bytes: list[list[object]] | bytes | Path | str,
    *,
    filename: str | None = None,
    catalog: Catalog | None = None,
    procedures: pd.DataFrame | None = None,
    today: dt.date | None = None,
    cutoff_day: int | None = None,
    sheet: str = "",
) -> DossierRead:
    """Read a dossier list (the rows of its sheet, or a workbook's bytes or path) and aggregate it.

    ``catalog`` (units/fields) checks the unit and field cells; ``procedures`` (a catalog frame,
    :data:`CATALOG_COLUMNS`) gives a procedure's unit, field, name and level when the row leaves them
    empty. ``today`` fixes what is a future date; ``cutoff_day`` the reporting months.
    """
    name = filename or UPLOAD_NAME
    sha = ""
    if isinstance(rows_or_bytes, list):
        rows = rows_or_bytes
    else:
        opened = open_workbook(rows_or_bytes, filename=filename)
        name, sha = opened.name, opened.sha256
        if opened.issue is not None:
            return DossierRead(name, empty_frame(), [opened.issue], sha256=sha)
        sheets = [(sh.name, sh.rows) for sh in opened.sheets]
        chosen = next((s for s in sheets if fold(s[0]) == fold(T.SHEET_NAME)), None)
        chosen = (
            chosen
            or next((s for s in sheets if is_dossier_sheet(s[1])), None)
            or (sheets[0] if sheets else ("", []))
        )
        sheet, rows = chosen
    result = DossierRead(name, empty_frame(), sheet=sheet, sha256=sha)
    _read(result, rows, catalog or load_catalog(), procedures, today or dt.date.today(), cutoff_day)
    if result.errors:
        result.frame = empty_frame()
    return result


def _column(
    rows: list[list[object]], j: int | None, parse: Callable[[object], object]
) -> tuple[list[object], list[object]]:
    """(raw cells, parsed values) of column ``j`` (all ``None`` when the column is absent)."""
    if j is None:
        return [None] * len(rows), [None] * len(rows)
    raw = [r[j] if j < len(r) else None for r in rows]
    cache: dict[object, object] = {}
    parsed = []
    for v in raw:
        try:
            parsed.append(cache[v])
        except KeyError:
            p = cache[v] = parse(v)
            parsed.append(p)
        except TypeError:  # unhashable: not expected from calamine
            parsed.append(parse(v))
    return raw, parsed


def _read(
    result: DossierRead,
    rows: list[list[object]],
    catalog: Catalog,
    procedures: pd.DataFrame | None,
    today: dt.date,
    cutoff_day: int | None,
) -> None:
    issues = _Issues(result.file, result.sheet, result.issues)
    header = _find_header(rows)
    if header is None:
        issues.error("dossier_no_header")
        return
    cols: dict[str, int] = {}
    for j, cell in enumerate(rows[header]):
        code = _HEADER_INDEX.get(fold(cell)) if isinstance(cell, str) else None
        if code is None:
            continue
        if code in cols:
            issues.error("dossier_duplicate_column", header + 1, str(cell), cell, j, header=clean(cell))
        else:
            cols[code] = j
    headers = {c: clean(rows[header][j]) for c, j in cols.items()}
    for code in REQUIRED:
        if code not in cols:
            issues.error("dossier_missing_column", header + 1, T.HEADERS[code][0], header=T.HEADERS[code][0])
    if result.errors:
        return
    body = [
        (header + 2 + i, r) for i, r in enumerate(rows[header + 1 :]) if any(v not in (None, "") for v in r)
    ]
    if not body:
        issues.error("dossier_no_rows")
        return
    excel_rows = [n for n, _ in body]
    data_rows = [r for _, r in body]
    n = len(data_rows)

    parsers: dict[str, Callable[[object], object]] = {
        **{c: _text for c in ("dossier_code", "procedure_code", "procedure_name", "unit", "field")},
        "channel": lambda v: _CHANNELS.get(fold(v), "bad") if _text(v) else None,
        "status": lambda v: _STATUSES.get(fold(v), "bad") if _text(v) else None,
        **{c: _parse_date for c in DATES},
        **{c: _parse_yes_no for c in YES_NO},
    }
    raw: dict[str, list[object]] = {}
    val: dict[str, list[object]] = {}
    for code, parse in parsers.items():
        raw[code], val[code] = _column(data_rows, cols.get(code), parse)

    def where(code: str, i: int) -> tuple[int, str, object, int | None]:
        return excel_rows[i], headers.get(code, T.HEADERS[code][0]), raw[code][i], cols.get(code)

    bad_code = {"channel": "dossier_bad_channel", "status": "dossier_bad_status"}
    for code in parsers:
        for i, v in enumerate(val[code]):
            if v is None and code in REQUIRED:
                issues.error("dossier_missing_cell", *where(code, i), header=headers[code])
            elif v == "bad":
                kind = bad_code.get(code) or ("dossier_bad_date" if code in DATES else "dossier_bad_yes_no")
                issues.error(kind, *where(code, i))
                val[code][i] = None
            elif code in ("received_date", "end_date") and isinstance(v, dt.date) and v > today:
                issues.error("dossier_future_date", *where(code, i), today=fmt_date(today))
                val[code][i] = None
    for code in ("procedure_code", "procedure_name"):
        limit = TEXT_LIMITS.get(code)
        for i, v in enumerate(val[code]):
            if limit and isinstance(v, str) and len(v) > limit:
                issues.error("dossier_text_too_long", *where(code, i), limit=limit)
    seen: dict[str, int] = {}
    for i, c in enumerate(val["dossier_code"]):
        if isinstance(c, str):
            other = seen.setdefault(c, excel_rows[i])
            if other != excel_rows[i]:
                issues.error("dossier_duplicate_code", *where("dossier_code", i), other=other)
    for i in range(n):
        rec, end, st = val["received_date"][i], val["end_date"][i], val["status"][i]
        if isinstance(rec, dt.date) and isinstance(end, dt.date) and end < rec:
            issues.error("dossier_end_before_received", *where("end_date", i), received=fmt_date(rec))
        if st in ("resolved", "withdrawn") and end is None and raw["end_date"][i] in (None, ""):
            issues.error("dossier_end_missing", *where("end_date", i))
        if st == "open" and raw["end_date"][i] not in (None, ""):
            issues.error("dossier_end_when_open", *where("end_date", i))

    # unit, field, name and level: the row's, else the procedure catalog's
    book = procedures if procedures is not None else pd.DataFrame(columns=list(CATALOG_COLUMNS))
    by_code = book.drop_duplicates("procedure_code").set_index("procedure_code")
    for kind, dictionary in (("unit", catalog.units), ("field", catalog.fields)):
        fallback = by_code[kind].to_dict() if kind in by_code else {}
        matches: dict[object, str | None] = {}
        for i, text in enumerate(val[kind]):
            if text is not None:
                if text not in matches:
                    matches[text] = dictionary.match(text)
                matched = matches[text]
                if matched is None:
                    issues.error(f"dossier_{kind}_unknown", *where(kind, i))
                val[kind][i] = matched
            else:
                found = fallback.get(val["procedure_code"][i])
                if not isinstance(found, str) or not found:
                    issues.error(f"dossier_{kind}_missing", *where(kind, i))
                val[kind][i] = found if isinstance(found, str) else None

    received = [d for d in val["received_date"] if isinstance(d, dt.date)]
    period = _period_line(rows, header)
    months: list[str] = []
    if isinstance(period, tuple):
        start, stop = period
        first, last = month_of_date(start, cutoff_day), month_of_date(stop, cutoff_day)
        if (
            month_span(first, cutoff_day)[0] != start
            or month_span(last, cutoff_day)[1] != stop
            or stop < start
        ):
            issues.error("dossier_bad_period", header, start=fmt_date(start), end=fmt_date(stop))
        else:
            months = _months_between(first, last)
            for i, d in enumerate(val["received_date"]):
                if isinstance(d, dt.date) and d > stop:
                    issues.error("dossier_after_period", *where("received_date", i), end=fmt_date(stop))
    elif period == "bad":
        issues.error("dossier_bad_period", header, start="?", end="?")
    elif received:
        months = _months_between(
            month_of_date(min(received), cutoff_day), month_of_date(max(received), cutoff_day)
        )
    result.issues.sort(key=lambda i: -1 if i.row is None else i.row)
    if result.errors:
        return

    level = by_code["online_level"].to_dict() if "online_level" in by_code else {}
    full: list[object] = []
    for i, v in enumerate(val["online_full"]):
        if v is None and val["channel"][i] == "online":
            lv = level.get(val["procedure_code"][i])
            v = None if not isinstance(lv, str) else lv == ONLINE_LEVELS[0]
        full.append(v)
    names = by_code["procedure_name"].to_dict() if "procedure_name" in by_code else {}
    proc_names = [
        v if v is not None else names.get(val["procedure_code"][i])
        for i, v in enumerate(val["procedure_name"])
    ]
    dossiers = pd.DataFrame(
        {
            "unit": val["unit"],
            "field": val["field"],
            "procedure_code": val["procedure_code"],
            "procedure_name": proc_names,
            "channel": val["channel"],
            "online_full": pd.Series(full, dtype="boolean"),
            **{c: pd.to_datetime(pd.Series(val[c], dtype=object)) for c in DATES},
            "status": val["status"],
            **{c: pd.Series(val[c], dtype="boolean") for c in YES_NO if c != "online_full"},
        }
    )
    frame = dossier_figures.aggregate_dossiers(dossiers, months, cutoff_day)
    result.frame = frame
    result.dossier_count = n
    result.months = sorted(frame["period"].unique().tolist()) if not frame.empty else months
    result.units = sorted(frame["unit"].unique().tolist())
    result.procedure_count = int(pd.Series(val["procedure_code"]).nunique())
    result.unknown = {c: int(frame[c].isna().sum()) for c in COUNT_COLUMNS if frame[c].isna().any()}
