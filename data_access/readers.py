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
import struct
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path

import numpy as np
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
from data_access.messages import Issue, IssueList, msg
from data_access.textnorm import clean, fold

#: Refuse a workbook whose parts expand beyond this many bytes (zip bombs, huge XML).
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
#: Refuse a workbook larger than this many bytes on disk.
MAX_FILE_BYTES = 50 * 1024 * 1024

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


# ---------------------------------------------------------------------------- cells


_PERIOD_MY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_PERIOD_YM = re.compile(r"^(\d{4})\s*[/.\-]\s*(\d{1,2})$")
_PERIOD_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?:\s.*)?$")
_PERIOD_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_MIN = (dt.date(2000, 1, 1) - _EXCEL_EPOCH).days  # 36526
_SERIAL_MAX = (dt.date(9999, 12, 31) - _EXCEL_EPOCH).days + 1


def parse_period(value: object) -> str | None:
    """Return ``YYYY-MM`` for a period cell (``MM/YYYY``, ``YYYY-MM``, a date or an Excel serial)."""
    year = month = None
    if isinstance(value, dt.datetime | dt.date):
        year, month = value.year, value.month
    elif isinstance(value, int | float) and not isinstance(value, bool):
        # An Excel serial date that lost its date format. Only serials from 2000-01-01 on count:
        # a smaller number (a year typed as 2024, a month typed as 6) is not a date here.
        if not math.isfinite(value) or not _SERIAL_MIN <= value < _SERIAL_MAX:
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
#: The largest count a cell may hold: no office handles a billion dossiers a month, and sums of
#: counts this size stay exact in float64 and int64 (a larger one would wrap to a negative int64).
MAX_COUNT = 999_999_999


def _count(value: object) -> tuple[int | None, str | None]:
    """Parse a count cell: ``(value, None)`` or ``(None, error code)``; empty → ``(None, None)``."""
    if value is None or value == "":
        return None, None
    if isinstance(value, bool):
        return None, "count_text"
    if isinstance(value, int):
        return _bounded(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None, "count_text"
        if not value.is_integer():
            return None, "count_fraction" if value >= 0 else "count_negative"
        return _bounded(int(value))
    if isinstance(value, str):
        s = value.strip().replace("\u00a0", "").replace(" ", "")
        if s == "":
            return None, None
        if _INT_TEXT.match(s):
            head = re.split(r"[.,]", s)[0]
            digits = head.lstrip("+-").lstrip("0")
            if len(digits) > 18:  # (int() refuses more than 4,300 digits; no count is this long)
                return None, "count_negative" if head.startswith("-") else "count_too_large"
            return _bounded(int(head))
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


def _bounded(n: int) -> tuple[int | None, str | None]:
    if n < 0:
        return None, "count_negative"
    if n > MAX_COUNT:
        return None, "count_too_large"
    return n, None


# ---------------------------------------------------------------------------- workbook


def _check_container(data: bytes, name: str) -> Issue | None:
    """Refuse what is not a zip-based workbook, or what would expand beyond the bound.

    The sizes the zip directory declares are checked first; as they can lie, the members are
    then inflated for real (in chunks, output thrown away, stopping once past the bound) unless
    their compressed sizes alone prove they cannot reach it (see :func:`_expansion_ceiling`).
    """
    if len(data) > MAX_FILE_BYTES:
        return Issue("error", "too_large", msg("too_large", size=round(len(data) / 2**20, 1),
                                                limit=MAX_FILE_BYTES // 2**20), file=name)
    if not data.startswith(b"PK\x03\x04"):
        detail = "tệp rỗng" if not data else "nội dung không phải định dạng .xlsx"
        return Issue("error", "not_excel", msg("not_excel", detail=detail), file=name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            if total <= MAX_UNCOMPRESSED_BYTES and _expansion_ceiling(infos) > MAX_UNCOMPRESSED_BYTES:
                total = _expanded_size(zf, data, infos, MAX_UNCOMPRESSED_BYTES)
            if total > MAX_UNCOMPRESSED_BYTES:
                return Issue("error", "zip_bomb", msg("zip_bomb", size=math.ceil(total / 2**20),
                                                       limit=MAX_UNCOMPRESSED_BYTES // 2**20), file=name)
            for info in infos:
                rows, cols, cells = _sheet_extent(zf, info)
                if rows * cols > MAX_SHEET_CELLS or cells > MAX_SHEET_CELLS:
                    return Issue("error", "sheet_too_big", msg(
                        "sheet_too_big", end=f"{_letter(cols - 1)}{rows}", cells=_thousands(max(rows * cols, cells)),
                        limit=_thousands(MAX_SHEET_CELLS)), file=name)
    except _Unsafe as exc:
        return Issue("error", "unreadable", msg("unreadable", detail=str(exc)), file=name)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, struct.error,
            NotImplementedError, RuntimeError) as exc:
        return Issue("error", "unreadable", msg("unreadable", detail=_short(exc)), file=name)
    return None


#: A deflate stream expands at most 1032:1 (a 258-byte match costs at least 2 bits; zlib's
#: "Technical details": "the limit is 1032:1"). A stored member is as large as its data.
_DEFLATE_MAX_RATIO = 1032
_CHUNK_IN = 256 * 1024
_CHUNK_OUT = 1024 * 1024


def _expansion_ceiling(infos: list[zipfile.ZipInfo]) -> float:
    """An upper bound of what the members can really expand to, from their compressed sizes only.

    Below the bound a workbook needs no inflating here: an ordinary workbook of up to ~190 KB
    is checked for free. Another compression method has no such bound (always inflated).
    """
    ceiling = 0.0
    for info in infos:
        if info.compress_type == zipfile.ZIP_STORED:
            ceiling += info.compress_size
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            ceiling += info.compress_size * _DEFLATE_MAX_RATIO
        else:
            return math.inf
    return ceiling


def _expanded_size(zf: zipfile.ZipFile, data: bytes, infos: list[zipfile.ZipInfo], limit: int) -> int:
    """The bytes the members really expand to, whatever their headers say; stops once past ``limit``.

    Deflated members are inflated from their raw data with ``zlib`` (``zipfile`` itself would stop at
    the declared size); memory stays at about one output chunk.
    """
    view = memoryview(data)
    total = 0
    for info in infos:
        if info.compress_type == zipfile.ZIP_STORED:
            total += info.compress_size
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            start = _data_offset(view, info)
            raw = view[start:min(len(view), start + info.compress_size)]
            total += _inflated_size(raw, limit - total)
        else:  # bzip2, lzma…: zipfile stops at the declared size, then checks the CRC
            with zf.open(info) as fh:
                while chunk := fh.read(_CHUNK_OUT):
                    total += len(chunk)
                    if total > limit:
                        break
        if total > limit:
            break
    return total


def _data_offset(view: memoryview, info: zipfile.ZipInfo) -> int:
    """Where a member's compressed data starts (after its local header, whose name/extra may differ)."""
    at = info.header_offset
    if bytes(view[at:at + 4]) != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header of {info.filename!r}")
    name_len, extra_len = struct.unpack_from("<HH", view, at + 26)
    return at + 30 + name_len + extra_len


def _inflated_size(raw: memoryview, limit: int) -> int:
    """Bytes a raw deflate stream expands to, counted chunk by chunk; stops once past ``limit``."""
    d = zlib.decompressobj(-zlib.MAX_WBITS)
    n = 0
    for start in range(0, len(raw), _CHUNK_IN):
        pending: bytes | memoryview = raw[start:start + _CHUNK_IN]
        while pending:
            n += len(d.decompress(pending, _CHUNK_OUT))
            if n > limit or d.eof:
                return n
            pending = d.unconsumed_tail
    return n + len(d.flush())  # input all consumed: what is left is at most a few matches


# ---------------------------------------------------------------------------- sheet extent

#: Refuse a worksheet whose cells span more than this many cells counted from A1, or that holds more
#: cells than this. calamine builds the whole rectangle (32 bytes a cell) before anything else and,
#: when it cannot, aborts the process (no exception to catch): two cells, A1 and XFD1048576, ask for
#: 550 GB (calamine issue #693). Two million cells are 75,000 rows of the template.
MAX_SHEET_CELLS = 2_000_000

_SCAN_CHUNK = 1024 * 1024
_SCAN_TAIL = 64  # the bytes of a buffer scanned again with the next one (a tag cut in two)
_SCAN_BACK = 16  # of which: context for a look-behind, already scanned
_U32 = 2**32  # calamine keeps positions in u32 and lets them wrap
_SMALL_EXTENT = (9999, 52)  # A1:AZ9999: 519,948 cells
#: A cell tag that does not open with a position in A1:AZ9999.
_CELL_NOT_SMALL = re.compile(rb'<c(?! r="[Aa]?[A-Za-z]\d{1,4}")[\s>/]')
#: A cell tag that does not open with a position (calamine would infer it from the row and the previous
#: cell), or writes it in another way.
_CELL_NOT_PLAIN = re.compile(rb'<c(?! r="[A-Za-z]+\d+")[\s>/]')
_CELL_REF = re.compile(rb'<c r="([A-Za-z]+)(\d+)"')
#: An attribute ``r`` that is not the first of a ``<c>`` or ``<row>`` tag (calamine takes a cell's last).
_STRAY_R = re.compile(rb" r\s*=(?<!<c r=)(?<!<row r=)")
_PREFIXED_CELL = re.compile(rb":c[\s>/]")
_OTHER_SPACES = (b"\t", b"\n", b"\r")  # an attribute r after one of these sends the sheet to the walk
#: The walk: row and cell tags (any prefix, quotes respected), and what quick-xml (calamine's parser)
#: skips: comments, CDATA and processing instructions.
_WALK_TOKEN = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>"
                         rb"|<(/?)(?:[^\s/>!?:]+:)?(row|c)(?=[\s/>])((?:[^>\"']|\"[^\"]*\"|'[^']*')*+)>", re.S)
_ATTR = re.compile(rb"""([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"([A-Za-z]*)(\d+)")
_DOCTYPE = re.compile(rb"<!doctype", re.I)
_LT_IN_VALUE = re.compile(rb"""=\s*(?:"[^"]*<|'[^']*<)""")
_SKIPPED = ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>"), (b"<?", b"?>"))


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # 17.179.869.184, as Vietnamese writes it


class _Unsafe(Exception):
    """A worksheet built to defeat the extent check (refused as unreadable)."""


def _sheet_extent(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int, int]:
    """(rows, columns, cells) that member ``info`` would give calamine were it a worksheet: upper bounds.

    Any member is checked (the workbook's relations decide which are sheets). A pass of C-level
    searches proves that most sheets stay within A1:AZ9999; a larger sheet whose cells all give their
    position plainly has them read by a second such pass; any other is walked tag by tag.
    """
    if _SMALL_EXTENT[0] * _SMALL_EXTENT[1] <= MAX_SHEET_CELLS:  # (not when a test lowers the bound)
        found = _scan_extent(zf, info, exact=False)
        if found == "large":
            found = _scan_extent(zf, info, exact=True)
        if found != "walk" and found != "large":
            return found  # type: ignore[return-value]
    return _walk_extent(zf.read(info))


def _scan_extent(zf: zipfile.ZipFile, info: zipfile.ZipInfo, *, exact: bool) -> tuple[int, int, int] | str:
    """One streaming pass: the extent, or "large" (a cell beyond A1:AZ9999: read them all, ``exact``),
    or "walk" (a cell without a plain first ``r``, a second ``r``, a prefix: walk the sheet)."""
    count = info.file_size > 15 * MAX_SHEET_CELLS  # else it cannot hold that many cells (≥ 15 bytes each)
    odd = (_CELL_NOT_PLAIN, _STRAY_R, _PREFIXED_CELL) if exact else (_STRAY_R, _PREFIXED_CELL)
    cells = max_row = max_col = 0
    start = 0
    tail = b""
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(_SCAN_CHUNK)
            buf = tail + chunk
            end = len(buf) if not chunk else len(buf) - _SCAN_TAIL
            if end > start:
                if any(b in buf and b + b"r" in buf for b in _OTHER_SPACES) or any(
                        (m := rx.search(buf, start)) is not None and m.start() < end for rx in odd):
                    return "walk"
                if not exact:
                    m = _CELL_NOT_SMALL.search(buf, start)
                    if m is not None and m.start() < end:
                        return "large"
                else:  # every cell opens with r="A1"-like: the largest row and column are what count
                    refs = _CELL_REF.findall(buf, start)
                    if refs:
                        rows = [d for _, d in refs]
                        top = (max(map(int, rows)) if max(map(len, rows)) < 10  # below 2^32: no wrapping
                               else max(int(d) % _U32 for d in rows))
                        max_row = max(max_row, top)
                        max_col = max(max_col, *map(_column, {c for c, _ in refs}))
                if count:
                    cells += buf.count(b"<c", start, end + 1)
            if not chunk:
                return (max_row, max_col, cells) if exact else (*_SMALL_EXTENT, cells)
            if end > start:
                tail, start = buf[end - _SCAN_BACK:], _SCAN_BACK
            else:
                tail = buf


def _column(letters: bytes) -> int:
    """A column's number (A = 1), as calamine computes it (u32, wrapping)."""
    col = 0
    for ch in letters.upper():
        col = (col * 26 + ch - 64) % _U32
    return col


def _parse_ref(ref: bytes) -> tuple[int, int | None] | None:
    """A cell or row reference as calamine reads it: (row, column or None), 0-based; ``None`` if bad."""
    m = _REF.fullmatch(ref)
    if m is None:
        return None
    row = int(m.group(2)) % _U32
    if row == 0:
        return None
    col = _column(m.group(1))
    return row - 1, (col - 1 if col else None)


def _walk_extent(xml: bytes) -> tuple[int, int, int]:
    """The extent of a worksheet, walked as calamine's cell reader does (positions inferred from the
    row and the previous cell where a cell has no ``r``), counting every cell, empty ones too.

    Bytes are read as UTF-8, as calamine reads them (a UTF-16 sheet gives it no cell at all). Refused,
    as markup that calamine would not take for elements could mislead the walk: a DTD, a ``<`` inside
    an attribute value, and a comment, CDATA section or processing instruction left open.
    """
    if _DOCTYPE.search(xml) or _LT_IN_VALUE.search(xml):
        raise _Unsafe("trang tính có khai báo DOCTYPE hoặc dấu '<' trong giá trị thuộc tính")
    for opening, closing in _SKIPPED:
        if xml.find(opening, xml.rfind(closing) + 1) != -1:
            raise _Unsafe("trang tính có chú thích hoặc khối CDATA không đóng")
    row = col = cells = 0
    max_row = max_col = -1
    for m in _WALK_TOKEN.finditer(xml):
        local = m.group(2)
        if local is None:
            continue  # comment, CDATA, processing instruction
        attrs = m.group(3)
        closing, empty = m.group(1) == b"/", attrs.endswith(b"/")
        refs = [] if closing or b"r" not in attrs else [v or q for k, v, q in _ATTR.findall(attrs) if k == b"r"]
        if local == b"row":
            if refs and (parsed := _parse_ref(refs[0])) is not None:  # a row takes its first r
                row = parsed[0]
            if closing or empty:
                row, col = (row + 1) % _U32, 0
            continue
        if closing:
            continue
        parsed = _parse_ref(refs[-1]) if refs else None  # a cell takes its last r
        if parsed is not None and parsed[1] is not None:
            at, col = parsed
        else:
            at = row
        cells += 1
        max_row, max_col = max(max_row, at), max(max_col, col)
        col = (col + 1) % _U32
        if cells > MAX_SHEET_CELLS or (max_row + 1) * (max_col + 1) > MAX_SHEET_CELLS:
            break
    return max_row + 1, max_col + 1, cells


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

    nonempty = [(n, rows) for n, rows in sheets if any(map(_filled, rows))]
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


def read_rows(rows: list[list[object]], *, name: str, sheet: str = "", catalog: Catalog | None = None,
              today: dt.date | None = None, sha256: str = "") -> ReadResult:
    """Check rows that did not come from a workbook (an external table: the first row holds the
    contract's codes or headers) by every rule of the canonical template."""
    result = ReadResult(name, empty_frame(), sha256=sha256, layout="canonical", sheet=sheet)
    ctx = _Context(name, catalog or load_catalog(), today or dt.date.today(), result)
    _read_canonical(ctx, sheet, rows, 0, None)
    if result.errors:
        result.frame = empty_frame()
        result.excel_rows = []
    return result


def _filled(row: list[object]) -> bool:
    """Whether a row has a cell that is neither empty text nor ``None`` (counted in C: fast)."""
    return row.count("") + row.count(None) < len(row)


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) < 200 else text[:200] + "…"


@dataclass
class _Context:
    file: str
    catalog: Catalog
    today: dt.date
    result: ReadResult

    # ``cell`` (the raw value shown after the message) is not called ``value``: several messages
    # have a ``{value}`` placeholder of their own, passed as a keyword.
    def error(self, code: str, sheet: str, row: int | None = None, column: str = "",
              cell: object = None, col_index: int | None = None, **kw: object) -> None:
        self.result.issues.append(Issue("error", code, msg(code, **kw), self.file, sheet, row, column,
                                        cell, col_index))

    def warn(self, code: str, sheet: str, row: int | None = None, column: str = "",
             cell: object = None, col_index: int | None = None, **kw: object) -> None:
        self.result.issues.append(Issue("warning", code, msg(code, **kw), self.file, sheet, row, column,
                                        cell, col_index))


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
    if not rows or not any(map(_filled, rows)):
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
            if _filled(r)]
    if not body:
        ctx.error("no_data_rows", sheet, header_idx + 1)
        return
    if any(c not in colmap for c in REQUIRED_COLUMNS):
        return
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
    text["period"] = _period_column(ctx, sheet, excel_rows, column(j), headers["period"], j)
    for kind in ("unit", "field"):
        j = colmap[kind]
        text[kind] = _catalog_column(ctx, sheet, excel_rows, column(j), kind, headers[kind], j)
    for code in ("procedure_code", "procedure_name"):
        j = colmap.get(code)  # type: ignore[assignment]
        text[code] = [None] * n if j is None else _text_column(column(j))
    counts: dict[str, np.ndarray] = {}
    for code in COUNT_COLUMNS:
        j = colmap.get(code)  # type: ignore[assignment]
        counts[code] = (np.full(n, np.nan) if j is None
                        else _count_column(ctx, sheet, excel_rows, column(j), headers[code], j))
    _sort_issues(ctx, first_issue)
    _finish(ctx, sheet, text, counts, excel_rows, headers, colmap)


def _letter(j: int) -> str:
    from data_access.messages import column_letter

    return column_letter(j)


def _get(r: list[object], j: int | None) -> object:
    if j is None or j >= len(r):
        return None
    return r[j]


def _sort_issues(ctx: _Context, start: int) -> None:
    """Put the issues added since ``start`` in row order (stable: a row keeps its column order)."""
    issues = ctx.result.issues
    issues[start:] = sorted(issues[start:], key=lambda i: -1 if i.row is None else i.row)


def _period_column(ctx: _Context, sheet: str, excel_rows: list[int], raw: list[object], header: str,
                   j: int) -> list[object]:
    known: dict[tuple[type, object], str] = {}  # a month is typed the same way on many rows
    out: list[object] = []
    for excel_row, v in zip(excel_rows, raw, strict=True):
        key = (type(v), v)
        period = known.get(key)
        if period is None:
            period = _period(ctx, sheet, excel_row, v, header, j)
            if period is not None:
                known[key] = period
        out.append(period)
    return out


def _catalog_column(ctx: _Context, sheet: str, excel_rows: list[int], raw: list[object], kind: str,
                    header: str, j: int) -> list[object]:
    known: dict[object, str] = {}
    out: list[object] = []
    for excel_row, v in zip(excel_rows, raw, strict=True):
        key = v if type(v) is str else (type(v), v)  # (1, 1.0 and True are equal keys otherwise)
        name = known.get(key)
        if name is None:
            name = _catalog_name(ctx, sheet, excel_row, v, kind, header, j)
            if name is not None:
                known[key] = name
        out.append(name)
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
            known[key] = _text(v)
        out.append(known[key])
    return out


_NUMBER_TYPES = (float, int)


def _count_column(ctx: _Context, sheet: str, excel_rows: list[int], raw: list[object], header: str,
                  j: int) -> np.ndarray:
    """A count column as floats (NaN = unknown); every bad cell reported as ``_count`` says."""
    # Numbers (calamine gives floats) are checked in numpy; any other cell goes through ``_count``.
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
        value, err = _count(v)
        if err:
            ctx.error(err, sheet, excel_rows[i], header, v, j, value=_show(v))
        values[i] = np.nan if value is None else value
    return values


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


def _sum_known(arrays: list[np.ndarray]) -> np.ndarray:
    """Element-wise sum, NaN where any term is unknown."""
    total = arrays[0].copy()
    for a in arrays[1:]:
        total = total + a
    return total


def _finish(ctx: _Context, sheet: str, text: dict[str, list[object]], counts: dict[str, np.ndarray],
            excel_rows: list[int], headers: dict[str, str], colmap: dict[str, int]) -> None:
    """Totals, part-of-whole, duplicate keys and the balance warning; then build the frame.

    ``counts`` holds one float array per count column (NaN = unknown); totals are filled in.
    """
    first_issue = len(ctx.result.issues)
    _totals(ctx, sheet, counts, excel_rows, headers, colmap)
    for part, wholes in PART_OF_WHOLE:
        p = counts[part]
        whole = _sum_known([counts[w] for w in wholes])
        with np.errstate(invalid="ignore"):
            hits = np.flatnonzero(p > whole)  # False where either is NaN
        header = headers.get(part, HEADERS[part])
        for i in hits.tolist():
            ctx.error("part_exceeds_whole", sheet, excel_rows[i], header, int(p[i]), colmap.get(part),
                      header=header, value=int(p[i]), whole=" + ".join(HEADERS[w] for w in wholes),
                      expected=int(whole[i]))
    left = _sum_known([counts["received_new"], counts["carried_over"]])
    right = _sum_known([counts["resolved"], counts["pending"], counts["withdrawn"]])
    with np.errstate(invalid="ignore"):
        unbalanced = np.flatnonzero(left != right)
    for i in unbalanced.tolist():
        if not (np.isnan(left[i]) or np.isnan(right[i])):
            ctx.warn("books_unbalanced", sheet, excel_rows[i], left=int(left[i]), right=int(right[i]))
    seen: dict[tuple, int] = {}
    keys = zip(*(text[k] for k in KEY_COLUMNS), strict=True)
    for excel_row, key in zip(excel_rows, keys, strict=True):
        if key[0] is None or key[1] is None or key[2] is None:
            continue
        other = seen.setdefault(key, excel_row)
        if other != excel_row:
            ctx.error("duplicate_key", sheet, excel_row, other=other)
    _sort_issues(ctx, first_issue)
    if ctx.result.errors:
        return
    data: dict[str, object] = {c: pd.Series(text[c], dtype="object") for c in TEXT_COLUMNS}
    for c in COUNT_COLUMNS:
        values = counts[c]
        mask = np.isnan(values)
        data[c] = pd.arrays.IntegerArray(np.where(mask, 0, values).astype(np.int64), mask)
    ctx.result.frame = pd.DataFrame(data, columns=list(FRAME_COLUMNS))
    ctx.result.excel_rows = list(excel_rows)


def _totals(ctx: _Context, sheet: str, counts: dict[str, np.ndarray], excel_rows: list[int],
            headers: dict[str, str], colmap: dict[str, int]) -> None:
    """Fill each total from its parts where all are known; check a given total against them."""
    for total, parts in TOTALS.items():
        values = [counts[p] for p in parts]
        given = counts[total]
        header = headers.get(total, HEADERS[total])
        names = " + ".join(HEADERS[p] for p in parts)
        stacked = np.vstack(values)
        known = ~np.isnan(stacked)
        all_known = known.all(axis=0)
        s = np.where(known, stacked, 0).sum(axis=0)  # the sum of the known parts
        given_known = ~np.isnan(given)
        if total in colmap:
            for i in np.flatnonzero(all_known & given_known & (given != s)).tolist():
                ctx.error("total_mismatch", sheet, excel_rows[i], header, int(given[i]), colmap.get(total),
                          header=header, value=int(given[i]), parts=names, expected=int(s[i]))
        for i in np.flatnonzero(~all_known & known.any(axis=0) & given_known & (s > np.nan_to_num(given))).tolist():
            ctx.error("parts_exceed_total", sheet, excel_rows[i], header, int(given[i]), colmap.get(total),
                      header=header, value=int(given[i]), parts=names, expected=int(s[i]))
        counts[total] = np.where(all_known, s, given)


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
        is_total = (_is_total_label(name_fold) or (
            isinstance(first_cell, str) and _is_total_label(fold(first_cell)))) and not _known_name(
            ctx, kind, name_raw)
        values = {c: _get(r, colmap[c]) for c in numeric}
        if all(v in ("", None) for v in values.values()):
            if total_row is not None:
                break
            continue  # blank row, section heading or signature line
        if not any(_numberlike(v) for v in values.values()) and not _known_name(ctx, kind, name_raw):
            continue  # a signature or place-and-date line (text only, no figure, no catalog name)
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
    text = {c: [rec[c] for rec in records] for c in TEXT_COLUMNS}
    counts = {c: np.array([np.nan if rec[c] is None else rec[c] for rec in records], dtype=np.float64)
              for c in COUNT_COLUMNS}
    _finish(ctx, sheet, text, counts, excel_rows,
            {**HEADERS, **{k: v for k, v in headers.items() if k in HEADERS}}, hdr_colmap)
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


def _is_total_label(folded: str) -> bool:
    """A total row's label: "Tổng cộng", "Tổng số", "Cộng", "Cộng toàn Sở"… (not "Công nhận…")."""
    return folded in ("cong", "tong") or folded.startswith(("tong cong", "tong so", "cong toan", "cong chung"))


def _numberlike(value: object) -> bool:
    """Whether a cell holds a number (even one the count rules refuse, such as -3 or 12.5)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if isinstance(value, str):
        s = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            float(s)
        except ValueError:
            return False
        return True
    return False


def _known_name(ctx: _Context, kind: str, raw: object) -> bool:
    book = ctx.catalog.units if kind == "unit" else ctx.catalog.fields
    return book.match(raw) is not None if isinstance(raw, str) and raw.strip() else False


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
