"""Read the one-stop system's list of dossiers (``dossier-list.md``) into the figures frame.

The cells are parsed column by column (a text's parse is cached: a list repeats few distinct values),
every error of the file collected in one pass with sheet, Excel row, column and value; the figures are
computed by :func:`data_access.dossier_figures.aggregate_dossiers`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from data_access import dossier_figures  # a module, not its name: dossier_figures imports this package
from data_access.catalog import Catalog, Dictionary, load_catalog
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

__all__ = ["DossierRead", "DossierReadResult", "ProcedureBook", "is_dossier_sheet", "read_dossier_list"]

#: The procedure catalog a list is read against: one frame (:data:`CATALOG_COLUMNS`) for every month,
#: or a lookup from a month (``YYYY-MM``) to the catalog in force in it (each dossier's unit, field,
#: name and level are taken from the catalog in force in its receipt month).
ProcedureBook = pd.DataFrame | Callable[[str], pd.DataFrame] | None

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

    def as_read_result(self) -> DossierReadResult:
        """The same figures as the canonical reader's result (layout ``dossiers``), for the import pipeline,
        with what the list covered (dossiers, units, procedures, unknown figures) for the upload page."""
        return DossierReadResult(
            self.file,
            self.frame,
            list(self.issues),
            "dossiers",
            self.sheet,
            self.sha256,
            dossier_count=self.dossier_count,
            list_months=list(self.months),
            units=list(self.units),
            procedure_count=self.procedure_count,
            unknown=dict(self.unknown),
        )


@dataclass
class DossierReadResult(ReadResult):
    """A :class:`ReadResult` of a dossier list, with what the list covered (see :class:`DossierRead`)."""

    dossier_count: int = 0
    list_months: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    procedure_count: int = 0
    unknown: dict[str, int] = field(default_factory=dict)


class _Books:
    """The procedure catalog by month: a value of a procedure (unit, field, name, level) as the catalog
    in force in a given month has it (one frame for every month when the book is a frame)."""

    COLUMNS = ("unit", "field", "procedure_name", "online_level")

    def __init__(self, book: ProcedureBook) -> None:
        self._book = book
        self._by_month: dict[str | None, dict[str, dict[object, object]]] = {}
        self._by_frame: dict[int, dict[str, dict[object, object]]] = {}
        self._frames: list[pd.DataFrame] = []  # kept, so that the ids keying _by_frame stay unique

    def _dicts(self, frame: pd.DataFrame) -> dict[str, dict[object, object]]:
        got = self._by_frame.get(id(frame))
        if got is None:
            by_code = frame.drop_duplicates("procedure_code").set_index("procedure_code")
            got = {c: (by_code[c].to_dict() if c in by_code else {}) for c in self.COLUMNS}
            self._by_frame[id(frame)] = got
            self._frames.append(frame)
        return got

    def for_month(self, month: str | None) -> dict[str, dict[object, object]]:
        got = self._by_month.get(month)
        if got is None:
            book = self._book
            if book is None or (month is None and callable(book)):
                frame = pd.DataFrame(columns=list(CATALOG_COLUMNS))
            elif callable(book):
                frame = book(month)  # type: ignore[arg-type]
            else:
                frame = book
            got = self._by_month[month] = self._dicts(frame)
        return got


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
    if type(value) is str and value.isascii() and value.isprintable() and "  " not in value:
        return value.strip() or None  # what clean() makes of it, without its regular expression
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
    procedures: ProcedureBook = None,
    today: dt.date | None = None,
    cutoff_day: int | None = None,
    sheet: str = "",
) -> DossierRead:
    """Read a dossier list (the rows of its sheet, or a workbook's bytes or path) and aggregate it.

    ``catalog`` (units/fields) checks the unit and field cells; ``procedures`` (a catalog frame,
    :data:`CATALOG_COLUMNS`, or a month's lookup of the catalog in force, :data:`ProcedureBook`) gives a
    procedure's unit, field, name and level when the row leaves them empty, as in force in the
    dossier's receipt month. ``today`` fixes what is a future date; ``cutoff_day`` the reporting months.
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


TEXTS = ("dossier_code", "procedure_code", "procedure_name", "unit", "field")


@dataclass
class _Col:
    """One column of the list, parsed once per distinct cell (a list repeats few distinct values):
    ``codes`` gives each row its distinct cell, ``raw``/``parsed`` the distinct cells and their parse
    (the last one is the empty cell); rows whose value an error removed are ``nulled``."""

    cells: tuple[object, ...] | None
    codes: np.ndarray
    raw: list[object]
    parsed: list[object]
    nulled: np.ndarray

    @classmethod
    def of(cls, cells: tuple[object, ...] | None, n: int, parse: Callable[[object], object]) -> _Col:
        if cells is None:
            return cls(None, np.zeros(n, dtype=np.intp), [None], [parse(None)], np.zeros(n, dtype=bool))
        # factorize by value and type: True, 1 and 1.0 are one dict key but not one cell
        values = np.asarray(cells, dtype=object)
        found, uniques = pd.factorize(values, use_na_sentinel=True)
        raw: list[object] = list(uniques)
        # True, 1 and 1.0 are one key to factorize but not one cell: kept apart when the column has both
        if set(map(type, raw)) & {bool, int, float} and _mixed_numbers(cells):
            typed = np.asarray([type(v).__name__ for v in cells], dtype=object)
            found, kinds = pd.factorize(pd.MultiIndex.from_arrays([values, typed]), use_na_sentinel=True)
            raw = [u[0] for u in kinds]
        codes = np.where(np.asarray(found) < 0, len(raw), np.asarray(found))
        raw.append(None)
        return cls(cells, codes, raw, [parse(v) for v in raw], np.zeros(n, dtype=bool))

    def raw_at(self, i: int) -> object:
        return None if self.cells is None else self.cells[i]

    def null(self, i: int) -> None:
        self.nulled[i] = True

    def _take(self, per_value: np.ndarray) -> np.ndarray:
        taken: np.ndarray = per_value[self.codes]
        return taken

    def flag(self, test: Callable[[object], bool]) -> np.ndarray:
        """Whether each row's parsed value passes ``test`` (rows nulled by an error do not)."""
        passed: np.ndarray = self._take(np.array([bool(test(v)) for v in self.parsed], dtype=bool))
        kept: np.ndarray = passed & ~self.nulled
        return kept

    def values(self) -> np.ndarray:
        """The parsed value of each row (``None`` where empty or removed by an error)."""
        per = np.empty(len(self.parsed), dtype=object)
        per[:] = self.parsed
        out = self._take(per)
        out[self.nulled] = None
        return out

    def mapped(self, fn: Callable[[object], object]) -> np.ndarray:
        """``fn`` of each row's parsed value, computed once per distinct value (object array)."""
        per = np.empty(len(self.parsed), dtype=object)
        per[:] = [fn(v) for v in self.parsed]
        out = self._take(per)
        out[self.nulled] = fn(None)
        return out

    def uniques(self) -> list[object]:
        """The distinct parsed values of the rows (removed ones left out)."""
        used = np.bincount(self.codes[~self.nulled], minlength=len(self.parsed)) > 0
        return [v for v, u in zip(self.parsed, used.tolist(), strict=True) if u]

    def dates(self) -> list[dt.date | None]:
        """The parsed value of each distinct cell when it is a date, else ``None``."""
        return [v if isinstance(v, dt.date) else None for v in self.parsed]

    def days(self) -> np.ndarray:
        """The rows' dates as ``datetime64[D]`` (NaT where empty, not a date or removed)."""
        per = np.array(self.dates(), dtype="datetime64[D]")
        out = self._take(per)
        out[self.nulled] = np.datetime64("NaT", "D")
        return out

    def flags(self) -> tuple[np.ndarray, np.ndarray]:
        """(yes, unknown) of a yes/no column: unknown where empty or removed."""
        yes = self._take(np.array([v is True for v in self.parsed], dtype=bool)) & ~self.nulled
        known = self._take(np.array([isinstance(v, bool) for v in self.parsed], dtype=bool)) & ~self.nulled
        return yes, ~known

    def raw_empty(self) -> np.ndarray:
        """Whether each row's cell is empty (``None`` or ``""``), whatever an error removed."""
        return self._take(np.array([v is None or v == "" for v in self.raw], dtype=bool))


def _longer(value: object, *, limit: int) -> bool:
    return isinstance(value, str) and len(value) > limit


def _match(value: object, *, dictionary: Dictionary) -> str | None:
    return dictionary.match(value) if isinstance(value, str) else None


def _mixed_numbers(cells: Sequence[object]) -> bool:
    """Whether a column holds a bool beside numbers (which compare equal: ``True == 1``)."""
    kinds = set(map(type, cells))
    return bool in kinds and bool(kinds & {int, float})


def _read(
    result: DossierRead,
    rows: list[list[object]],
    catalog: Catalog,
    procedures: ProcedureBook,
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
    body_rows = rows[header + 1 :]
    # a row is empty when every cell is None or "" (list.count runs in C: no loop over cells here)
    keep = [i for i, r in enumerate(body_rows) if r.count(None) + r.count("") < len(r)]
    if not keep:
        issues.error("dossier_no_rows")
        return
    excel_rows = (np.asarray(keep, dtype=np.int64) + header + 2).tolist()
    data_rows = [body_rows[i] for i in keep]
    n = len(data_rows)
    width = max(cols.values()) + 1
    if any(len(r) < width for r in data_rows):
        data_rows = [r if len(r) >= width else [*r, *([None] * (width - len(r)))] for r in data_rows]
    by_index = {j: c for j, c in enumerate(zip(*data_rows, strict=False)) if j < width}

    parsers: dict[str, Callable[[object], object]] = {
        **{c: _text for c in TEXTS},
        "channel": lambda v: _CHANNELS.get(fold(v), "bad") if _text(v) else None,
        "status": lambda v: _STATUSES.get(fold(v), "bad") if _text(v) else None,
        **{c: _parse_date for c in DATES},
        **{c: _parse_yes_no for c in YES_NO},
    }
    col = {
        code: _Col.of(by_index.get(cols[code]) if code in cols else None, n, parse)
        for code, parse in parsers.items()
    }

    def where(code: str, i: int) -> tuple[int, str, object, int | None]:
        return excel_rows[i], headers.get(code, T.HEADERS[code][0]), col[code].raw_at(i), cols.get(code)

    bad_code = {"channel": "dossier_bad_channel", "status": "dossier_bad_status"}
    for code in parsers:
        c = col[code]
        missing = c.flag(lambda v: v is None) if code in REQUIRED else None
        bad = c.flag(lambda v: isinstance(v, str) and v == "bad") if code not in TEXTS else None
        future = (
            c.flag(lambda v: isinstance(v, dt.date) and v > today)
            if code in ("received_date", "end_date")
            else None
        )
        flagged = [m for m in (missing, bad, future) if m is not None]
        if not flagged:
            continue
        for i in np.flatnonzero(np.logical_or.reduce(flagged)).tolist():
            if missing is not None and missing[i]:
                issues.error("dossier_missing_cell", *where(code, i), header=headers[code])
            elif bad is not None and bad[i]:
                kind = bad_code.get(code) or ("dossier_bad_date" if code in DATES else "dossier_bad_yes_no")
                issues.error(kind, *where(code, i))
                c.null(i)
            elif future is not None and future[i]:
                issues.error("dossier_future_date", *where(code, i), today=fmt_date(today))
                c.null(i)
    for code in ("procedure_code", "procedure_name"):
        limit = TEXT_LIMITS.get(code)
        if limit:
            too_long = col[code].flag(partial(_longer, limit=limit))
            for i in np.flatnonzero(too_long).tolist():
                issues.error("dossier_text_too_long", *where(code, i), limit=limit)
    codes = pd.Series(col["dossier_code"].values(), dtype=object)
    involved = np.flatnonzero((codes.duplicated(keep=False) & codes.notna()).to_numpy())
    seen: dict[object, int] = {}
    for i in involved.tolist():
        other = seen.setdefault(codes.iat[i], excel_rows[i])
        if other != excel_rows[i]:
            issues.error("dossier_duplicate_code", *where("dossier_code", i), other=other)
    rec, end = col["received_date"].days(), col["end_date"].days()
    status = col["status"].values()
    end_empty = col["end_date"].raw_empty()
    for i in np.flatnonzero(~np.isnat(rec) & ~np.isnat(end) & (end < rec)).tolist():
        issues.error("dossier_end_before_received", *where("end_date", i), received=fmt_date(rec[i].item()))
    for i in np.flatnonzero(((status == "resolved") | (status == "withdrawn")) & end_empty).tolist():
        issues.error("dossier_end_missing", *where("end_date", i))
    for i in np.flatnonzero((status == "open") & ~end_empty).tolist():
        issues.error("dossier_end_when_open", *where("end_date", i))

    # unit, field, name and level: the row's, else the procedure catalog's in force in its receipt month
    books = _Books(procedures)
    rec_col = col["received_date"]
    month_of: dict[dt.date | None, str | None] = {None: None}
    month_per_value = []
    for v in rec_col.dates():  # a few hundred distinct days under many distinct cells (times)
        if v is not None and v not in month_of:
            month_of[v] = month_of_date(v, cutoff_day)
        month_per_value.append(month_of[v])
    known_months = sorted({m for m in month_per_value if m is not None})
    latest = known_months[-1] if known_months else None
    versions: list[dict[str, dict[object, object]]] = []
    version_of: dict[int, int] = {}  # id of a catalog version's look-ups -> its index in versions
    month_version: dict[str | None, int] = {}
    for m in [*known_months, None]:
        book = books.for_month(m if m is not None else latest)
        if id(book) not in version_of:
            version_of[id(book)] = len(versions)
            versions.append(book)
        month_version[m] = version_of[id(book)]
    per_value = np.array([month_version[m] for m in month_per_value], dtype=np.intp)
    row_version = per_value[rec_col.codes]
    proc_col = col["procedure_code"]
    proc = proc_col.values()

    def from_book(column: str) -> np.ndarray:
        """The catalog's ``column`` (a text) of each row's procedure, in the version in force in its
        receipt month (object array, None where the catalog has none): one look-up per version and
        distinct procedure code."""
        table = np.empty((len(versions), len(proc_col.parsed)), dtype=object)
        for b, book in enumerate(versions):
            got = [book[column].get(v) for v in proc_col.parsed]
            table[b, :] = [v if isinstance(v, str) and v else None for v in got]
        taken: np.ndarray = table[row_version, proc_col.codes]
        return taken

    value: dict[str, np.ndarray] = {}
    for kind, dictionary in (("unit", catalog.units), ("field", catalog.fields)):
        c = col[kind]
        texts = c.values()
        matched = c.mapped(partial(_match, dictionary=dictionary))
        for i in np.flatnonzero(pd.notna(texts) & pd.isna(matched)).tolist():
            issues.error(f"dossier_{kind}_unknown", *where(kind, i))
        empty = pd.isna(texts)
        found = from_book(kind)
        for i in np.flatnonzero(empty & pd.isna(found)).tolist():
            issues.error(f"dossier_{kind}_missing", *where(kind, i))
        value[kind] = np.where(empty, found, matched)

    received = [d for d in rec_col.uniques() if isinstance(d, dt.date)]
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
            for i in np.flatnonzero(~np.isnat(rec) & (rec > np.datetime64(stop, "D"))).tolist():
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

    channel = col["channel"].values()
    full_yes, full_unknown = col["online_full"].flags()
    lacking = np.flatnonzero(full_unknown & (channel == "online"))
    if len(lacking):  # an online dossier without its Toàn trình cell: the catalog's level of its procedure
        level = from_book("online_level")[lacking]
        known = np.array([isinstance(v, str) for v in level.tolist()], dtype=bool)
        full_yes[lacking[known]] = level[known] == ONLINE_LEVELS[0]
        full_unknown[lacking[known]] = False
    names = col["procedure_name"].values()
    unnamed = np.flatnonzero(pd.isna(names))
    if len(unnamed):
        names = names.copy()
        names[unnamed] = from_book("procedure_name")[unnamed]

    def flag_column(code: str) -> pd.arrays.BooleanArray:
        yes, unknown = col[code].flags()
        return pd.arrays.BooleanArray(yes, unknown)

    dossiers = pd.DataFrame(
        {
            "unit": pd.Series(value["unit"], dtype=object),
            "field": pd.Series(value["field"], dtype=object),
            "procedure_code": pd.Series(proc, dtype=object),
            "procedure_name": pd.Series(names, dtype=object),
            "channel": pd.Series(channel, dtype=object),
            "online_full": pd.arrays.BooleanArray(full_yes, full_unknown),
            "received_date": rec,
            "due_date": col["due_date"].days(),
            "end_date": end,
            "status": pd.Series(status, dtype=object),
            **{c: flag_column(c) for c in YES_NO if c != "online_full"},
        }
    )
    frame = dossier_figures.aggregate_dossiers(dossiers, months, cutoff_day)
    result.frame = frame
    result.dossier_count = n
    result.months = sorted(frame["period"].unique().tolist()) if not frame.empty else months
    result.units = sorted(frame["unit"].unique().tolist())
    result.procedure_count = int(pd.Series(proc, dtype=object).nunique())
    result.unknown = {c: int(frame[c].isna().sum()) for c in COUNT_COLUMNS if frame[c].isna().any()}
