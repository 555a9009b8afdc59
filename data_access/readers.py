"""Read the office's workbooks (canonical template or official Biểu II.06a) into a typed frame.

Every rule of ``data-contract.md`` is applied here; every error of a file is collected in
one pass, each located by file, sheet, Excel row and column header. Nothing here touches
the database: the store checks the frame against what is stored.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from data_access.catalog import NO_FIELD, Catalog, load_catalog
from data_access.columns import (
    COUNT_COLUMNS,
    HEADERS,
    KEY_COLUMNS,
    PART_OF_WHOLE,
    REQUIRED_COLUMNS,
    TEXT_COLUMNS,
    TOTALS,
    match_header,
)
from data_access.messages import Issue, msg
from data_access.textnorm import clean, fold

#: Refuse a workbook whose parts expand beyond this many bytes (zip bombs, huge XML).
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
#: Refuse a workbook larger than this many bytes on disk.
MAX_FILE_BYTES = 50 * 1024 * 1024

FRAME_COLUMNS: tuple[str, ...] = (*TEXT_COLUMNS, *COUNT_COLUMNS)


@dataclass
class ReadResult:
    """What reading one file gives: the rows (if no error), every issue, and where they came from."""

    file: str
    frame: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    layout: str = ""  # "canonical" or "official"
    sheet: str = ""
    sha256: str = ""
    excel_rows: list[int] = field(default_factory=list)  # Excel row of each frame row

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if not i.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def months(self) -> list[str]:
        if self.frame.empty:
            return []
        return sorted(self.frame["period"].unique().tolist())


def empty_frame() -> pd.DataFrame:
    """An empty figures frame with the contract's columns and dtypes."""
    data: dict[str, pd.Series] = {c: pd.Series([], dtype="object") for c in TEXT_COLUMNS}
    data.update({c: pd.Series([], dtype="Int64") for c in COUNT_COLUMNS})
    return pd.DataFrame(data)


# ---------------------------------------------------------------------------- cells


_PERIOD_MY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_PERIOD_YM = re.compile(r"^(\d{4})\s*[/.\-]\s*(\d{1,2})$")
_PERIOD_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?:\s.*)?$")
_PERIOD_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_period(value: object) -> str | None:
    """Return ``YYYY-MM`` for a period cell (``MM/YYYY``, ``YYYY-MM``, a date or an Excel serial)."""
    year = month = None
    if isinstance(value, dt.datetime | dt.date):
        year, month = value.year, value.month
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value) or not 1 <= value < 2958466:
            return None
        d = _EXCEL_EPOCH + dt.timedelta(days=int(value))
        year, month = d.year, d.month
    elif isinstance(value, str):
        s = value.strip()
        if m := _PERIOD_MY.match(s):
            month, year = int(m.group(1)), int(m.group(2))
        elif (m := _PERIOD_YM.match(s)) or (m := _PERIOD_ISO.match(s)):
            year, month = int(m.group(1)), int(m.group(2))
        elif m := _PERIOD_DMY.match(s):
            month, year = int(m.group(2)), int(m.group(3))
        else:
            return None
    else:
        return None
    if not (1 <= month <= 12 and 1900 <= year <= 9999):
        return None
    return f"{year:04d}-{month:02d}"


def _text(value: object) -> str | None:
    """A text cell as clean NFC text, ``None`` when empty. Whole floats lose their ``.0``."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            value = int(value)
    elif isinstance(value, dt.datetime | dt.date):
        value = value.strftime("%d/%m/%Y")
    s = clean(value)
    return s or None


_INT_TEXT = re.compile(r"^[+-]?\d+(?:[.,]0+)?$")


def _count(value: object) -> tuple[int | None, str | None]:
    """Parse a count cell: ``(value, None)`` or ``(None, error code)``; empty → ``(None, None)``."""
    if value is None or value == "":
        return None, None
    if isinstance(value, bool):
        return None, "count_text"
    if isinstance(value, int):
        return (value, None) if value >= 0 else (None, "count_negative")
    if isinstance(value, float):
        if not math.isfinite(value):
            return None, "count_text"
        if not value.is_integer():
            return None, "count_fraction" if value >= 0 else "count_negative"
        return (int(value), None) if value >= 0 else (None, "count_negative")
    if isinstance(value, str):
        s = value.strip().replace("\u00a0", "").replace(" ", "")
        if s == "":
            return None, None
        if _INT_TEXT.match(s):
            n = int(re.split(r"[.,]", s)[0])
            return (n, None) if n >= 0 else (None, "count_negative")
        try:
            f = float(s.replace(",", "."))
        except ValueError:
            return None, "count_text"
        if not math.isfinite(f):
            return None, "count_text"
        if f < 0:
            return None, "count_negative"
        return None, "count_fraction"
    return None, "count_text"


# ---------------------------------------------------------------------------- workbook


def _check_container(data: bytes, name: str) -> Issue | None:
    """Refuse what is not a zip-based workbook, or what would expand beyond the bound."""
    if len(data) > MAX_FILE_BYTES:
        return Issue("error", "too_large", msg("too_large", size=round(len(data) / 2**20, 1),
                                                limit=MAX_FILE_BYTES // 2**20), file=name)
    if not data.startswith(b"PK\x03\x04"):
        detail = "tệp rỗng" if not data else "nội dung không phải định dạng .xlsx"
        return Issue("error", "not_excel", msg("not_excel", detail=detail), file=name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return Issue("error", "unreadable", msg("unreadable", detail=str(exc)), file=name)
    if total > MAX_UNCOMPRESSED_BYTES:
        return Issue("error", "zip_bomb", msg("zip_bomb", size=total // 2**20,
                                               limit=MAX_UNCOMPRESSED_BYTES // 2**20), file=name)
    return None


def _sheets(data: bytes) -> list[tuple[str, list[list[object]]]]:
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    out = []
    for name in wb.sheet_names:
        sheet = wb.get_sheet_by_name(name)
        out.append((name, sheet.to_python(skip_empty_area=False)))
    return out


def read_workbook(
    source: Path | str | bytes,
    *,
    filename: str | None = None,
    unit: str | None = None,
    catalog: Catalog | None = None,
    today: dt.date | None = None,
) -> ReadResult:
    """Read one workbook (a path or the bytes of an upload) in either layout.

    ``unit`` names the unit of an official-layout report by field. ``today`` fixes what
    counts as a future period (default: the real date).
    """
    import hashlib

    if isinstance(source, bytes | bytearray):
        data = bytes(source)
        name = filename or "tệp tải lên"
    else:
        path = Path(source)
        name = filename or path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            return ReadResult(name, empty_frame(), [Issue("error", "unreadable",
                                                          msg("unreadable", detail=str(exc)), file=name)])
    result = ReadResult(name, empty_frame(), sha256=hashlib.sha256(data).hexdigest())
    bad = _check_container(data, name)
    if bad:
        result.issues.append(bad)
        return result
    try:
        sheets = _sheets(data)
    except Exception as exc:  # calamine raises several types for broken files
        result.issues.append(Issue("error", "unreadable", msg("unreadable", detail=_short(exc)), file=name))
        return result
    catalog = catalog or load_catalog()
    today = today or dt.date.today()
    ctx = _Context(name, catalog, today, result)

    nonempty = [(n, rows) for n, rows in sheets if any(any(c not in ("", None) for c in r) for r in rows)]
    if not nonempty:
        result.issues.append(Issue("error", "empty_workbook", msg("empty_workbook"), file=name,
                                   sheet=sheets[0][0] if sheets else ""))
        return result

    # 1. canonical: the sheet named SoLieu, else the first sheet whose first row has the key headers
    ordered = sorted(sheets, key=lambda s: fold(s[0]) != "solieu")
    for sheet_name, rows in ordered:
        header_row = _canonical_header_row(rows)
        if header_row is not None or fold(sheet_name) == "solieu":
            result.layout, result.sheet = "canonical", sheet_name
            _read_canonical(ctx, sheet_name, rows, header_row or 0, unit)
            break
    else:
        # 2. official layout
        for sheet_name, rows in nonempty:
            if _official_header(rows) is not None:
                result.layout, result.sheet = "official", sheet_name
                _read_official(ctx, sheet_name, rows, unit)
                break
        else:
            result.issues.append(Issue("error", "no_table", msg("no_table"), file=name, sheet=nonempty[0][0]))
    if result.errors:
        result.frame = empty_frame()
        result.excel_rows = []
    return result


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) < 200 else text[:200] + "…"


@dataclass
class _Context:
    file: str
    catalog: Catalog
    today: dt.date
    result: ReadResult

    def error(self, code: str, sheet: str, row: int | None = None, column: str = "",
              value: object = None, col_index: int | None = None, **kw: object) -> None:
        self.result.issues.append(Issue("error", code, msg(code, **kw), self.file, sheet, row, column,
                                        value, col_index))

    def warn(self, code: str, sheet: str, row: int | None = None, column: str = "",
             value: object = None, col_index: int | None = None, **kw: object) -> None:
        self.result.issues.append(Issue("warning", code, msg(code, **kw), self.file, sheet, row, column,
                                        value, col_index))


def _canonical_header_row(rows: list[list[object]]) -> int | None:
    """Index of the first of the first five non-empty rows that holds the required headers."""
    seen = 0
    for i, row in enumerate(rows):
        if not any(c not in ("", None) for c in row):
            continue
        codes = {match_header(c) for c in row if isinstance(c, str)}
        if all(code in codes for code in REQUIRED_COLUMNS):
            return i
        seen += 1
        if seen >= 5:
            break
    return None


# ---------------------------------------------------------------------------- canonical


def _read_canonical(ctx: _Context, sheet: str, rows: list[list[object]], header_idx: int,
                    unit: str | None) -> None:
    if not rows or not any(any(c not in ("", None) for c in r) for r in rows):
        ctx.error("empty_sheet", sheet)
        return
    header = rows[header_idx]
    colmap: dict[str, int] = {}
    for j, cell in enumerate(header):
        if cell in ("", None):
            continue
        code = match_header(cell)
        if code is None:
            ctx.warn("unknown_column", sheet, header_idx + 1, str(cell), col_index=j, header=clean(cell))
        elif code in colmap:
            ctx.error("duplicate_column", sheet, header_idx + 1, str(cell), col_index=j,
                      header=clean(cell), first=_letter(colmap[code]), second=_letter(j))
        else:
            colmap[code] = j
    for code in REQUIRED_COLUMNS:
        if code not in colmap:
            ctx.error("missing_column", sheet, header_idx + 1, HEADERS[code], header=HEADERS[code])
    headers = {code: clean(header[j]) for code, j in colmap.items()}
    body = [(i + 1, r) for i, r in enumerate(rows[header_idx + 1:], start=header_idx + 1)
            if any(c not in ("", None) for c in r)]
    if not body:
        ctx.error("no_data_rows", sheet, header_idx + 1)
        return
    if any(c not in colmap for c in REQUIRED_COLUMNS):
        return
    records: list[dict[str, object]] = []
    excel_rows: list[int] = []
    for excel_row, r in body:
        rec = _canonical_record(ctx, sheet, excel_row, r, colmap, headers)
        records.append(rec)
        excel_rows.append(excel_row)
    _finish(ctx, sheet, records, excel_rows, headers, colmap)


def _letter(j: int) -> str:
    from data_access.messages import column_letter

    return column_letter(j)


def _get(r: list[object], j: int | None) -> object:
    if j is None or j >= len(r):
        return None
    return r[j]


def _canonical_record(ctx: _Context, sheet: str, excel_row: int, r: list[object],
                      colmap: dict[str, int], headers: dict[str, str]) -> dict[str, object]:
    rec: dict[str, object] = {}
    j = colmap["period"]
    raw = _get(r, j)
    rec["period"] = _period(ctx, sheet, excel_row, raw, headers["period"], j)
    for kind in ("unit", "field"):
        j = colmap[kind]
        rec[kind] = _catalog_name(ctx, sheet, excel_row, _get(r, j), kind, headers[kind], j)
    rec["procedure_code"] = _text(_get(r, colmap.get("procedure_code")))
    rec["procedure_name"] = _text(_get(r, colmap.get("procedure_name")))
    for code in COUNT_COLUMNS:
        j = colmap.get(code)
        if j is None:
            rec[code] = None
            continue
        raw = _get(r, j)
        value, err = _count(raw)
        if err:
            ctx.error(err, sheet, excel_row, headers[code], raw, j, value=_show(raw))
        rec[code] = value
    return rec


def _show(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _period(ctx: _Context, sheet: str, excel_row: int, raw: object, header: str, j: int | None) -> str | None:
    if raw in (None, ""):
        ctx.error("period_missing", sheet, excel_row, header, raw, j)
        return None
    period = parse_period(raw)
    if period is None:
        ctx.error("period_invalid", sheet, excel_row, header, raw, j, value=_show(raw))
        return None
    if period > f"{ctx.today.year:04d}-{ctx.today.month:02d}":
        ctx.error("period_future", sheet, excel_row, header, raw, j, value=f"{period[5:]}/{period[:4]}",
                  today=ctx.today.strftime("%d/%m/%Y"))
        return None
    return period


def _catalog_name(ctx: _Context, sheet: str, excel_row: int, raw: object, kind: str, header: str,
                  j: int | None) -> str | None:
    text = _text(raw)
    if text is None:
        ctx.error(f"{kind}_missing", sheet, excel_row, header, raw, j)
        return None
    book = ctx.catalog.units if kind == "unit" else ctx.catalog.fields
    name = book.match(text)
    if name is None:
        ctx.error(f"{kind}_unknown", sheet, excel_row, header, raw, j, value=text,
                  suggestion=book.suggest(text) or "")
    return name


def _finish(ctx: _Context, sheet: str, records: list[dict[str, object]], excel_rows: list[int],
            headers: dict[str, str], colmap: dict[str, int]) -> None:
    """Totals, part-of-whole, duplicate keys and the balance warning; then build the frame."""
    seen: dict[tuple, int] = {}
    for rec, excel_row in zip(records, excel_rows, strict=True):
        _totals(ctx, sheet, excel_row, rec, headers, colmap)
        for part, wholes in PART_OF_WHOLE:
            p = rec.get(part)
            ws = [rec.get(w) for w in wholes]
            if p is None or any(w is None for w in ws):
                continue
            whole = sum(ws)  # type: ignore[arg-type]
            if p > whole:  # type: ignore[operator]
                ctx.error("part_exceeds_whole", sheet, excel_row, headers.get(part, HEADERS[part]), p,
                          colmap.get(part), header=headers.get(part, HEADERS[part]), value=p,
                          whole=" + ".join(HEADERS[w] for w in wholes), expected=whole)
        left = [rec.get(c) for c in ("received_new", "carried_over")]
        right = [rec.get(c) for c in ("resolved", "pending", "withdrawn")]
        if all(v is not None for v in left + right) and sum(left) != sum(right):  # type: ignore[arg-type]
            ctx.warn("books_unbalanced", sheet, excel_row, left=sum(left), right=sum(right))  # type: ignore[arg-type]
        if all(rec.get(k) is not None for k in ("period", "unit", "field")):
            key = tuple(rec.get(k) for k in KEY_COLUMNS)
            if key in seen:
                ctx.error("duplicate_key", sheet, excel_row, other=seen[key])
            else:
                seen[key] = excel_row
    if ctx.result.errors:
        return
    frame = pd.DataFrame.from_records(records, columns=list(FRAME_COLUMNS))
    for c in TEXT_COLUMNS:
        frame[c] = frame[c].astype("object").where(frame[c].notna(), None)
    for c in COUNT_COLUMNS:
        frame[c] = pd.array(frame[c].tolist(), dtype="Int64")
    ctx.result.frame = frame
    ctx.result.excel_rows = excel_rows


def _totals(ctx: _Context, sheet: str, excel_row: int, rec: dict[str, object], headers: dict[str, str],
            colmap: dict[str, int]) -> None:
    """Fill each total from its parts where all are known; check a given total against them."""
    for total, parts in TOTALS.items():
        values = [rec.get(p) for p in parts]
        given = rec.get(total)
        known = [v for v in values if v is not None]
        header = headers.get(total, HEADERS[total])
        names = " + ".join(HEADERS[p] for p in parts)
        if len(known) == len(parts):
            s = sum(known)  # type: ignore[arg-type]
            if given is not None and given != s and total in colmap:
                ctx.error("total_mismatch", sheet, excel_row, header, given, colmap.get(total),
                          header=header, value=given, parts=names, expected=s)
            rec[total] = s
        elif given is not None and known and sum(known) > given:  # type: ignore[arg-type,operator]
            ctx.error("parts_exceed_total", sheet, excel_row, header, given, colmap.get(total),
                      header=header, value=given, parts=names, expected=sum(known))  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- official (Biểu II.06a)

_NUMBERED = re.compile(r"^\(?\s*(\d{1,2})\s*\)?$")
_DATES = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")


def _numbered_row(rows: list[list[object]]) -> int | None:
    """Index of the row that numbers the columns ``(1) (2) … (13)``."""
    for i, row in enumerate(rows[:60]):
        nums = []
        for c in row:
            if isinstance(c, str) and (m := _NUMBERED.match(c.strip())):
                nums.append(int(m.group(1)))
            elif isinstance(c, float) and c.is_integer():
                nums.append(int(c))
            elif c not in ("", None):
                nums.append(-1)
        if len(nums) >= 10 and nums[:10] == list(range(1, 11)):
            return i
    return None


def _official_header(rows: list[list[object]]) -> tuple[int, int] | None:
    """(first header row, last header row) of an official-layout table, or ``None``."""
    start = None
    for i, row in enumerate(rows[:60]):
        folded = [fold(c) for c in row if isinstance(c, str)]
        if any("so ho so nhan giai quyet" in f or "ho so nhan giai quyet" in f for f in folded):
            start = i
            break
    numbered = _numbered_row(rows)
    if start is None and numbered is None:
        return None
    if start is None:
        start = max(0, numbered - 3)  # type: ignore[operator]
    if numbered is not None:
        return start, numbered - 1
    # no numbering row: the header ends at the first row whose third cell is a number
    for i in range(start + 1, min(len(rows), start + 6)):
        if any(isinstance(c, float) for c in rows[i][2:]):
            return start, i - 1
    return None


def _official_columns(rows: list[list[object]], first: int, last: int) -> tuple[dict[str, int], str, list]:
    """Map columns to codes from the stacked header rows (merged cells filled right and down)."""
    width = max(len(r) for r in rows[first:last + 1])
    stacked: list[list[str]] = []
    for i in range(first, last + 1):
        row = list(rows[i]) + [""] * (width - len(rows[i]))
        filled, current = [], ""
        for j in range(width):
            if row[j] not in ("", None):
                current = fold(row[j])
            elif j == 0 or (stacked and stacked[-1][j] != stacked[-1][j - 1]):
                current = ""  # a merge does not cross its parent's boundary
            filled.append(current)
        stacked.append(filled)
    # a cell left empty below a header belongs to the header above (vertical merge)
    labels = []
    for j in range(width):
        parts = []
        for level in stacked:
            if level[j] and (not parts or parts[-1] != level[j]):
                parts.append(level[j])
        labels.append(" / ".join(parts))
    colmap: dict[str, int] = {}
    kind = ""
    unmatched = []
    for j, label in enumerate(labels):
        leaf = label.split(" / ")[-1] if label else ""
        code = None
        if j == 0 or leaf in ("stt", "tt", "so tt"):
            continue
        if "linh vuc" in leaf or leaf.startswith("ten linh vuc"):
            kind, code = "field", "name"
        elif "don vi" in leaf and "nhan" not in label:
            kind, code = "unit", "name"
        elif "da giai quyet" in label or ("ket qua" in label and "dang" not in label):
            code = {"tong so": "resolved", "truoc han": "resolved_early", "dung han": "resolved_on_time",
                    "qua han": "resolved_late"}.get(leaf)
        elif "dang giai quyet" in label:
            code = {"tong so": "pending", "trong han": "pending_in_time", "qua han": "pending_overdue"}.get(leaf)
        elif "nhan giai quyet" in label or "tiep nhan" in label:
            if "truc tuyen" in leaf:
                code = "received_online"
            elif "truc tiep" in leaf or "buu chinh" in leaf:
                code = "received_direct_postal"
            elif "tu ky truoc" in leaf:
                code = "carried_over"
            elif leaf == "tong so":
                code = "received_total"
        if code and code not in colmap:
            colmap[code] = j
        elif label:
            unmatched.append((j, label))
    return colmap, kind, unmatched


_OFFICIAL_POSITIONS = {
    "name": 1, "received_total": 2, "received_online": 3, "received_direct_postal": 4, "carried_over": 5,
    "resolved": 6, "resolved_early": 7, "resolved_on_time": 8, "resolved_late": 9,
    "pending": 10, "pending_in_time": 11, "pending_overdue": 12,
}


def _official_period(ctx: _Context, sheet: str, rows: list[list[object]], upto: int) -> str | None:
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
                    ctx.error("period_invalid", sheet, i + 1, "Kỳ báo cáo", c, j, value=c.strip())
                    return None
                if (start.year, start.month) != (end.year, end.month):
                    ctx.error("official_period_span", sheet, i + 1, "Kỳ báo cáo", c, j,
                              start=start.strftime("%d/%m/%Y"), end=end.strftime("%d/%m/%Y"))
                    return None
                return _period(ctx, sheet, i + 1, f"{start.month:02d}/{start.year}", "Kỳ báo cáo", j)
            m = re.search(r"thang\s+(\d{1,2})\s+nam\s+(\d{4})", f)
            if m:
                return _period(ctx, sheet, i + 1, f"{int(m.group(1)):02d}/{m.group(2)}", "Kỳ báo cáo", j)
    ctx.error("official_period_missing", sheet)
    return None


def _read_official(ctx: _Context, sheet: str, rows: list[list[object]], unit: str | None) -> None:
    first, last = _official_header(rows)  # type: ignore[misc]
    colmap, kind, _unmatched = _official_columns(rows, first, last)
    numbered = _numbered_row(rows)
    if len([c for c in colmap if c != "name"]) < 6 and numbered is not None:
        colmap = dict(_OFFICIAL_POSITIONS)
        name_header = fold(rows[first][1]) if len(rows[first]) > 1 else ""
        kind = "unit" if "don vi" in name_header else "field"
    if "name" not in colmap:
        colmap["name"] = 1
        kind = kind or "field"
    period = _official_period(ctx, sheet, rows, first)
    unit_name = None
    if kind == "field":
        if not unit:
            ctx.error("official_unit_needed", sheet, first + 1)
        else:
            unit_name = ctx.catalog.units.match(unit)
            if unit_name is None:
                ctx.error("unit_unknown", sheet, None, "Đơn vị", unit, value=unit,
                          suggestion=ctx.catalog.units.suggest(unit) or "")
    header_text = {code: _official_header_text(rows, first, last, j) for code, j in colmap.items()}
    start = (numbered if numbered is not None else last) + 1
    records: list[dict[str, object]] = []
    excel_rows: list[int] = []
    total_row: tuple[int, dict[str, int | None]] | None = None
    numeric = [c for c in colmap if c != "name"]
    for i in range(start, len(rows)):
        r = rows[i]
        name_raw = _get(r, colmap["name"])
        first_cell = _get(r, 0)
        name_fold = fold(name_raw) if isinstance(name_raw, str) else ""
        is_total = name_fold.startswith(("tong cong", "tong so", "cong")) or (
            isinstance(first_cell, str) and fold(first_cell).startswith(("tong cong", "tong so", "cong")))
        values = {c: _get(r, colmap[c]) for c in numeric}
        if all(v in ("", None) for v in values.values()):
            if total_row is not None:
                break
            continue  # blank row, section heading or signature line
        if is_total:
            parsed = {c: _count(v)[0] for c, v in values.items()}
            total_row = (i + 1, parsed)
            break
        rec: dict[str, object] = {"period": period, "procedure_code": None, "procedure_name": None}
        if kind == "unit":
            rec["unit"] = _catalog_name(ctx, sheet, i + 1, name_raw, "unit", header_text["name"], colmap["name"])
            rec["field"] = NO_FIELD
        else:
            rec["unit"] = unit_name
            rec["field"] = _catalog_name(ctx, sheet, i + 1, name_raw, "field", header_text["name"],
                                         colmap["name"])
        for code in COUNT_COLUMNS:
            rec[code] = None
        received_total = None
        for c in numeric:
            value, err = _count(values[c])
            if err:
                ctx.error(err, sheet, i + 1, header_text[c], values[c], colmap[c], value=_show(values[c]))
            if c == "received_total":
                received_total = value
            else:
                rec[c] = value
        parts = [rec.get("received_online"), rec.get("received_direct_postal"), rec.get("carried_over")]
        if received_total is not None and all(p is not None for p in parts) and sum(parts) != received_total:  # type: ignore[arg-type]
            ctx.error("total_mismatch", sheet, i + 1, header_text["received_total"], received_total,
                      colmap["received_total"], header=header_text["received_total"], value=received_total,
                      parts="(4) + (5) + (6)", expected=sum(parts))  # type: ignore[arg-type]
        records.append(rec)
        excel_rows.append(i + 1)
    if not records:
        ctx.error("no_data_rows", sheet, start)
        return
    headers = {c: header_text.get(c, HEADERS.get(c, c)) for c in colmap}
    hdr_colmap = {c: j for c, j in colmap.items() if c in HEADERS}
    _finish(ctx, sheet, records, excel_rows, {**HEADERS, **{k: v for k, v in headers.items() if k in HEADERS}},
            hdr_colmap)
    if total_row is not None and not ctx.result.errors:
        row_no, totals = total_row
        frame = ctx.result.frame
        for c, v in totals.items():
            if v is None:
                continue
            if c == "received_total":
                s = frame[["received_new", "carried_over"]].sum().sum()
            else:
                s = frame[c].sum()
            if int(s) != v:
                ctx.warn("official_total_row", sheet, row_no, header_text[c], v, colmap[c],
                         header=header_text[c], value=v, expected=int(s))


def _official_header_text(rows: list[list[object]], first: int, last: int, j: int) -> str:
    """A readable header for column ``j``: its numbered label and its lowest header cell."""
    texts = [clean(rows[i][j]) for i in range(first, last + 1) if j < len(rows[i]) and rows[i][j] not in ("", None)]
    label = texts[-1] if texts else ""
    return f"({j + 1}) {label}".strip()


def read_many(sources: Sequence[tuple[str, bytes] | Path | str], **kwargs: object) -> list[ReadResult]:
    """Read several files; each gets its own result."""
    out = []
    for s in sources:
        if isinstance(s, tuple):
            out.append(read_workbook(s[1], filename=s[0], **kwargs))  # type: ignore[arg-type]
        else:
            out.append(read_workbook(s, **kwargs))  # type: ignore[arg-type]
    return out
