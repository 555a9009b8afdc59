"""The container checks made before calamine is given a file: its size, that it is a zip (an
encrypted workbook and an Excel 97–2003 ``.xls`` are told apart, each with its own message), that
no two members share a name, that its members do not expand beyond the bound (zip bombs, lying
headers included), that no sheet spans more cells than calamine can build
(:mod:`data_access.xlsx.extent`), and that the cells would not hold more text than the bounds of
:mod:`data_access.xlsx.text_extent` (a shared string copied into every cell that uses it).

The limits are read from this module (and ``extent.MAX_SHEET_CELLS``, ``text_extent.MAX_TEXT_CHARS``…
from those) at each call, so a test may lower them there.
"""

from __future__ import annotations

import io
import math
import struct
import zipfile
import zlib

from data_access.messages import Issue, column_letter, msg
from data_access.texts.files import (
    DUPLICATE_MEMBER,
    EMPTY_FILE,
    ENCRYPTED_WORKBOOK,
    LEGACY_XLS,
    NOT_XLSX,
    OLE_OTHER,
    TEXT_AT_CELL,
    TEXT_IN_SHARED,
    TEXT_IN_SHEET,
    TEXT_MORE_THAN,
)
from data_access.xlsx import extent, text_extent
from data_access.xlsx.extent import UnsafeSheet
from data_access.xlsx.text_extent import TextFinding, UnsafeText
from vnfmt import fmt_int

#: Refuse a workbook whose parts expand beyond this many bytes (zip bombs, huge XML).
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
#: Refuse a workbook larger than this many bytes on disk.
MAX_FILE_BYTES = 50 * 1024 * 1024


def check_container(data: bytes, name: str) -> Issue | None:
    """Refuse what is not a zip-based workbook, or what would expand beyond the bound.

    The sizes the zip directory declares are checked first; as they can lie, the members are
    then inflated for real (in chunks, output thrown away, stopping once past the bound) unless
    their compressed sizes alone prove they cannot reach it (see :func:`_expansion_ceiling`).
    """
    if len(data) > MAX_FILE_BYTES:
        return Issue(
            "error",
            "too_large",
            msg("too_large", size=round(len(data) / 2**20, 1), limit=MAX_FILE_BYTES // 2**20),
            file=name,
        )
    if not data.startswith(b"PK\x03\x04"):
        detail = EMPTY_FILE if not data else _not_zip_detail(data)
        return Issue("error", "not_excel", msg("not_excel", detail=detail), file=name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            seen: set[str] = set()
            for info in infos:  # part names are case-insensitive (OPC); calamine takes the first
                key = info.filename.lower()
                if key in seen:
                    detail = DUPLICATE_MEMBER.format(member=info.filename)
                    return Issue("error", "unreadable", msg("unreadable", detail=detail), file=name)
                seen.add(key)
            total = sum(i.file_size for i in infos)
            if total <= MAX_UNCOMPRESSED_BYTES and _expansion_ceiling(infos) > MAX_UNCOMPRESSED_BYTES:
                total = _expanded_size(zf, data, infos, MAX_UNCOMPRESSED_BYTES)
            if total > MAX_UNCOMPRESSED_BYTES:
                return Issue(
                    "error",
                    "zip_bomb",
                    msg("zip_bomb", size=math.ceil(total / 2**20), limit=MAX_UNCOMPRESSED_BYTES // 2**20),
                    file=name,
                )
            for info in infos:
                rows, cols, cells = extent.sheet_extent(zf, info)
                limit = extent.MAX_SHEET_CELLS
                if rows * cols > limit or cells > limit:
                    return Issue(
                        "error",
                        "sheet_too_big",
                        msg(
                            "sheet_too_big",
                            end=f"{column_letter(cols - 1)}{rows}",
                            cells=fmt_int(max(rows * cols, cells)),
                            limit=fmt_int(limit),
                        ),
                        file=name,
                    )
            found = text_extent.text_extent(zf, infos)
            if found is not None:
                return text_issue(found, name)
    except (UnsafeSheet, UnsafeText) as exc:
        return Issue("error", "unreadable", msg("unreadable", detail=str(exc)), file=name)
    except (
        zipfile.BadZipFile,
        OSError,
        ValueError,
        EOFError,
        zlib.error,
        struct.error,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        return Issue("error", "unreadable", msg("unreadable", detail=short_error(exc)), file=name)
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
            raw = view[start : min(len(view), start + info.compress_size)]
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
    if bytes(view[at : at + 4]) != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header of {info.filename!r}")
    name_len, extra_len = struct.unpack_from("<HH", view, at + 26)
    return int(at + 30 + name_len + extra_len)


def _inflated_size(raw: memoryview, limit: int) -> int:
    """Bytes a raw deflate stream expands to, counted chunk by chunk; stops once past ``limit``."""
    d = zlib.decompressobj(-zlib.MAX_WBITS)
    n = 0
    for start in range(0, len(raw), _CHUNK_IN):
        pending: bytes | memoryview = raw[start : start + _CHUNK_IN]
        while pending:
            n += len(d.decompress(pending, _CHUNK_OUT))
            if n > limit or d.eof:
                return n
            pending = d.unconsumed_tail
    return n + len(d.flush())  # input all consumed: what is left is at most a few matches


def text_issue(found: TextFinding, name: str) -> Issue:
    """The refusal of a workbook whose cells would hold too much text, located at its sheet and cell."""
    if found.kind == "count":
        return Issue(
            "error", "shared_strings_bomb", msg("shared_strings_bomb", limit=fmt_int(found.limit)), file=name
        )
    at = _cell_position(found.cell)
    row, col = at if at is not None else (None, None)
    if found.kind == "cell":
        code = "cell_text_huge"
        chars = fmt_int(found.chars) if found.exact else TEXT_MORE_THAN.format(n=fmt_int(found.chars))
        text = msg(code, cell=found.cell or "?", chars=chars, limit=fmt_int(found.limit))
    else:
        code = "text_bomb"
        if not found.sheet:
            place = TEXT_IN_SHARED
        elif found.cell:
            place = TEXT_AT_CELL.format(cell=found.cell, sheet=found.sheet)
        else:
            place = TEXT_IN_SHEET.format(sheet=found.sheet)
        text = msg(code, where=place, chars=fmt_int(found.chars), limit=fmt_int(found.limit))
    return Issue(
        "error",
        code,
        text,
        file=name,
        sheet=found.sheet,
        row=row,
        col_index=col,
    )


def _cell_position(ref: str) -> tuple[int, int] | None:
    """(Excel row, 0-based column) of a reference like "B7"."""
    letters = ref.rstrip("0123456789")
    if not letters or letters == ref:
        return None
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return int(ref[len(letters) :]), col - 1


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN = 0xFFFFFFFE


def _not_zip_detail(data: bytes) -> str:
    """Why a file that is not a zip is no workbook to read: an encrypted workbook and an ``.xls`` (both
    OLE compound files) each have their own words."""
    if not data.startswith(_OLE_MAGIC):
        return NOT_XLSX
    try:
        names = ole_stream_names(data)
    except (ValueError, struct.error, UnicodeDecodeError):
        return OLE_OTHER
    if {"encryptedpackage", "encryptioninfo"} & names:
        return ENCRYPTED_WORKBOOK
    if {"workbook", "book"} & names:
        return LEGACY_XLS
    return OLE_OTHER


def ole_stream_names(data: bytes) -> set[str]:
    """The names (folded to lower case) of the entries of an OLE compound file's directory.

    Reads the header, the FAT (its first 109 sectors are listed in the header, the rest in the DIFAT
    chain) and the directory chain; every loop is bounded by the number of sectors, so a cycle ends.
    """
    shift = struct.unpack_from("<H", data, 0x1E)[0]
    if shift not in (9, 12):
        raise ValueError("sector size")
    size = 1 << shift
    n_sectors = max(0, (len(data) - size) // size)
    (dir_start,) = struct.unpack_from("<L", data, 0x30)
    difat_start, n_difat = struct.unpack_from("<LL", data, 0x44)
    fat_sectors = [s for s in struct.unpack_from("<109L", data, 0x4C) if s < n_sectors]
    at = difat_start
    for _ in range(min(n_difat, n_sectors)):
        if at >= n_sectors:
            break
        entries = struct.unpack_from(f"<{size // 4}L", data, (at + 1) * size)
        fat_sectors += [s for s in entries[:-1] if s < n_sectors]
        at = entries[-1]
    fat: list[int] = []
    for sector in fat_sectors:
        fat += struct.unpack_from(f"<{size // 4}L", data, (sector + 1) * size)
    names: set[str] = set()
    at = dir_start
    for _ in range(n_sectors):
        if at >= n_sectors:
            break
        base = (at + 1) * size
        for entry in range(size // 128):
            raw = data[base + entry * 128 : base + entry * 128 + 128]
            length = struct.unpack_from("<H", raw, 64)[0]
            if 2 <= length <= 64:
                names.add(raw[: length - 2].decode("utf-16-le").lower())
        at = fat[at] if at < len(fat) else _END_OF_CHAIN
    return names


def short_error(exc: BaseException) -> str:
    """An exception's text for a message, cut at 200 characters."""
    text = str(exc) or type(exc).__name__
    return text if len(text) < 200 else text[:200] + "…"
