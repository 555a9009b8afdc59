"""The extent of a worksheet as calamine would build it, found before calamine is given the file.

calamine builds a sheet's whole rectangle from A1 before anything else and aborts the process when it
cannot: :func:`sheet_extent` bounds that rectangle from the XML alone (a fast pass of C-level
searches, else a walk tag by tag), whatever the XML says or hides.
"""

from __future__ import annotations

import re
import zipfile

from data_access.texts.files import SHEET_DOCTYPE, SHEET_UNCLOSED

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
_WALK_TOKEN = re.compile(
    rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>"
    rb"|<(/?)(?:[^\s/>!?:]+:)?(row|c)(?=[\s/>])((?:[^>\"']|\"[^\"]*\"|'[^']*')*+)>",
    re.S,
)
_ATTR = re.compile(rb"""([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"([A-Za-z]*)(\d+)")
_DOCTYPE = re.compile(rb"<!doctype", re.I)
_LT_IN_VALUE = re.compile(rb"""=\s*(?:"[^"]*<|'[^']*<)""")
_SKIPPED = ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>"), (b"<?", b"?>"))


class UnsafeSheet(Exception):
    """A worksheet built to defeat the extent check (refused as unreadable)."""


def sheet_extent(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int, int]:
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
    return walk_extent(zf.read(info))


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
                    (m := rx.search(buf, start)) is not None and m.start() < end for rx in odd
                ):
                    return "walk"
                if not exact:
                    m = _CELL_NOT_SMALL.search(buf, start)
                    if m is not None and m.start() < end:
                        return "large"
                else:  # every cell opens with r="A1"-like: the largest row and column are what count
                    refs = _CELL_REF.findall(buf, start)
                    if refs:
                        rows = [d for _, d in refs]
                        top = (
                            max(map(int, rows))
                            if max(map(len, rows)) < 10  # below 2^32: no wrapping
                            else max(int(d) % _U32 for d in rows)
                        )
                        max_row = max(max_row, top)
                        max_col = max(max_col, *map(_column, {c for c, _ in refs}))
                if count:
                    cells += buf.count(b"<c", start, end + 1)
            if not chunk:
                return (max_row, max_col, cells) if exact else (*_SMALL_EXTENT, cells)
            if end > start:
                tail, start = buf[end - _SCAN_BACK :], _SCAN_BACK
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


def walk_extent(xml: bytes) -> tuple[int, int, int]:
    """The extent of a worksheet, walked as calamine's cell reader does (positions inferred from the
    row and the previous cell where a cell has no ``r``), counting every cell, empty ones too.

    Bytes are read as UTF-8, as calamine reads them (a UTF-16 sheet gives it no cell at all). Refused,
    as markup that calamine would not take for elements could mislead the walk: a DTD, a ``<`` inside
    an attribute value, and a comment, CDATA section or processing instruction left open.
    """
    if _DOCTYPE.search(xml) or _LT_IN_VALUE.search(xml):
        raise UnsafeSheet(SHEET_DOCTYPE)
    for opener, closer in _SKIPPED:
        if xml.find(opener, xml.rfind(closer) + 1) != -1:
            raise UnsafeSheet(SHEET_UNCLOSED)
    row = col = cells = 0
    max_row = max_col = -1
    for m in _WALK_TOKEN.finditer(xml):
        local = m.group(2)
        if local is None:
            continue  # comment, CDATA, processing instruction
        attrs = m.group(3)
        closing, empty = m.group(1) == b"/", attrs.endswith(b"/")
        refs = (
            [] if closing or b"r" not in attrs else [v or q for k, v, q in _ATTR.findall(attrs) if k == b"r"]
        )
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
            at, col = parsed[0], parsed[1]
        else:
            at = row
        cells += 1
        max_row, max_col = max(max_row, at), max(max_col, col)
        col = (col + 1) % _U32
        if cells > MAX_SHEET_CELLS or (max_row + 1) * (max_col + 1) > MAX_SHEET_CELLS:
            break
    return max_row + 1, max_col + 1, cells
