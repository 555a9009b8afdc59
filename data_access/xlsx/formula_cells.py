"""Cells that calamine reads as empty although they hold something: error values (``#DIV/0!``,
``#N/A``…) and formulas whose result the file does not hold (a workbook written by a program that
does not compute formulas, such as openpyxl, and never opened in Excel).

Both would be stored as "unknown" without a word; the readers refuse them, naming the cell. The
sheet's XML is searched with C-level regular expressions only where it holds a formula or an
error value at all, after the container checks (:mod:`.guard`) have bounded its size.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass

_PFX = rb"(?:[A-Za-z_][\w.\-]*:)?"  # a namespace prefix (x:c), as some programs write
#: A formula element followed by no value, or by an empty one, then the end of its cell.
_NO_VALUE = re.compile(
    rb"<(" + _PFX + rb")f(?:\s[^>]*)?(?:/>|>[^<]*</\1f>)\s*"
    rb"(<\1v\s*/>|<\1v(?:\s[^>]*)?>\s*</\1v>)?\s*</\1c>"
)
#: A cell tag of type "e" (an error value).
_ERROR_CELL = re.compile(rb"<(" + _PFX + rb")c(?=[\s/>])[^>]*?\st\s*=\s*[\"']e[\"'][^>]*>")
_CELL_OPEN = re.compile(rb"<(" + _PFX + rb")c(?=[\s/>])([^>]*)>")
_ROW_OR_CELL = re.compile(rb"<(/?)" + _PFX + rb"(row|c)(?=[\s/>])([^>]*)>")
_ATTR = re.compile(rb"""([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"([A-Za-z]{1,3})(\d{1,7})")
_SHEET_TAG = re.compile(rb"<(?:" + _PFX + rb")sheet\s([^>]*)>")
_REL_TAG = re.compile(rb"<(?:" + _PFX + rb")Relationship\s([^>]*)>")
_SHOWN = 60  # characters of a formula quoted in a message


@dataclass(frozen=True)
class HiddenValue:
    """A cell read as empty: ``code`` says why (``cell_formula_error`` or ``cell_formula_uncached``),
    ``shown`` is what the message quotes (the error value, or the formula)."""

    code: str
    shown: str


def hidden_values(data: bytes, sheet: str) -> dict[tuple[int, int], HiddenValue]:
    """Cells of sheet ``sheet`` (0-based row, column) that calamine reads as empty but hold an error
    value or a formula without its result. Empty when the sheet's part cannot be found."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        member = _sheet_member(zf, sheet)
        if member is None:
            return {}
        return scan(zf.read(member))


def scan(xml: bytes) -> dict[tuple[int, int], HiddenValue]:
    """The cells of one worksheet's XML that hold an error value or a formula without its result."""
    found: dict[int, HiddenValue] = {}  # offset of the cell's tag → what it hides
    if b'"e"' in xml or b"'e'" in xml:
        for m in _ERROR_CELL.finditer(xml):
            end = xml.find(b"</" + m.group(1) + b"c>", m.end())
            content = xml[m.end() : end] if end != -1 and not m.group(0).endswith(b"/>") else b""
            value = re.search(rb"<" + re.escape(m.group(1)) + rb"v(?:\s[^>]*)?>([^<]*)<", content)
            found[m.start()] = HiddenValue("cell_formula_error", _text(value.group(1)) if value else "#?")
    if b"<f" in xml or b":f" in xml:
        for m in _NO_VALUE.finditer(xml):
            start = _cell_start(xml, m.start())
            if start is None or start in found:
                continue
            tag = _CELL_OPEN.match(xml, start)
            assert tag is not None  # (found by _cell_start)
            if _attr(tag.group(2), b"t") == b"str" and m.group(2):
                continue  # a formula whose cached result is the empty string: a value, kept as ""
            formula = re.search(rb">([^<]*)</", m.group(0))
            text = _text(formula.group(1)) if formula else ""
            shown = "=" + text[:_SHOWN] + ("…" if len(text) > _SHOWN else "") if text else ""
            found[start] = HiddenValue("cell_formula_uncached", shown)
    return _positions(xml, found) if found else {}


def _cell_start(xml: bytes, at: int) -> int | None:
    """Offset of the ``<c>`` tag that holds the element at ``at`` (a few tags back at most)."""
    for _ in range(8):
        at = xml.rfind(b"<", 0, at)
        if at == -1:
            return None
        if _CELL_OPEN.match(xml, at):
            return at
        if xml.startswith((b"<row", b"</row", b"<sheetData"), at):
            return None
    return None


def _positions(xml: bytes, found: dict[int, HiddenValue]) -> dict[tuple[int, int], HiddenValue]:
    """(row, column) of each cell found, from its ``r`` or, without one, inferred as calamine does
    (the row's ``r``, else the next row; the cell after the previous one)."""
    out: dict[tuple[int, int], HiddenValue] = {}
    missing = {}
    for start, hidden in found.items():
        tag = _CELL_OPEN.match(xml, start)
        ref = _ref(_attr(tag.group(2), b"r")) if tag else None
        if ref is None:
            missing[start] = hidden
        else:
            out[ref] = hidden
    if missing:
        row = col = 0
        last = max(missing)
        for m in _ROW_OR_CELL.finditer(xml):
            if m.start() > last:
                break
            closing, name, attrs = m.group(1), m.group(2), m.group(3)
            if name == b"row":
                if not closing and (r := _attr(attrs, b"r")) is not None and r.isdigit():
                    row = int(r) - 1
                if closing or attrs.endswith(b"/"):
                    row, col = row + 1, 0
                continue
            if closing:
                continue
            ref = _ref(_attr(attrs, b"r"))
            if ref is not None:
                row, col = ref
            if m.start() in missing:
                out[(row, col)] = missing[m.start()]
            col += 1
    return out


def _attr(attrs: bytes, name: bytes) -> bytes | None:
    """The last value of attribute ``name`` in a tag's attributes (as calamine takes it)."""
    values = [v or q for k, v, q in _ATTR.findall(attrs) if k == name]
    return values[-1] if values else None


def _ref(ref: bytes | None) -> tuple[int, int] | None:
    """``B12`` → (11, 1)."""
    m = _REF.fullmatch(ref) if ref else None
    if m is None:
        return None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ch - 64
    return int(m.group(2)) - 1, col - 1


def _text(raw: bytes) -> str:
    return html.unescape(raw.decode("utf-8", "replace")).strip()


def _sheet_member(zf: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member of sheet ``sheet``, as calamine finds it (``xl/workbook.xml`` and its relations)."""
    try:
        workbook = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    targets: dict[bytes, str] = {}
    for m in _REL_TAG.finditer(rels):
        rid, target = _attr(m.group(1), b"Id"), _attr(m.group(1), b"Target")
        if rid is not None and target is not None:
            targets[rid] = _text(target)
    for m in _SHEET_TAG.finditer(workbook):
        attrs = m.group(1)
        name = _attr(attrs, b"name")
        if name is None or html.unescape(name.decode("utf-8", "replace")) != sheet:
            continue
        # the relation id (r:id, whatever the prefix)
        sheet_rid = next((v or q for k, v, q in _ATTR.findall(attrs) if k.endswith(b":id")), None)
        part = targets.get(sheet_rid) if sheet_rid is not None else None
        if part is None:
            return None
        path = part.lstrip("/") if part.startswith("/") else posixpath.normpath(posixpath.join("xl", part))
        names = {n.lower(): n for n in zf.namelist()}
        return names.get(path.lower())
    return None
