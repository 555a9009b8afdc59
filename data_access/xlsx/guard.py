"""The container checks made before calamine is given a file: its size, that it is a zip, that its
members do not expand beyond the bound (zip bombs, lying headers included), and that no sheet spans
more cells than calamine can build (:mod:`data_access.xlsx.extent`).

The limits are read from this module (and ``extent.MAX_SHEET_CELLS`` from that one) at each call, so
a test may lower them there.
"""

from __future__ import annotations

import io
import math
import struct
import zipfile
import zlib

from data_access.messages import Issue, column_letter, msg
from data_access.texts.files import EMPTY_FILE, NOT_XLSX
from data_access.xlsx import extent
from data_access.xlsx.extent import UnsafeSheet
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
        detail = EMPTY_FILE if not data else NOT_XLSX
        return Issue("error", "not_excel", msg("not_excel", detail=detail), file=name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
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
    except UnsafeSheet as exc:
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


def short_error(exc: BaseException) -> str:
    """An exception's text for a message, cut at 200 characters."""
    text = str(exc) or type(exc).__name__
    return text if len(text) < 200 else text[:200] + "…"
