"""The text a workbook would make calamine build, bounded from the XML before calamine is given it.

calamine keeps one copy of each shared string (``xl/sharedStrings.xml``) but copies it again into
every cell that refers to it, and python-calamine then makes a Python string of each copy: a 161 KB
file with one string of 5 million characters referred to by 30,000 cells asks for 150 GB, which
the size, expansion and cell bounds of :mod:`.guard` and :mod:`.extent` do not see (the XML is
6 MB, the sheet 30,000 cells). :func:`text_extent` bounds what the cells would hold:

* the shared strings are read with expat as calamine reads them (which ``<si>`` make a string, which
  ``<t>`` count: its index rules are followed, so cell ``<v>3</v>`` weighs what calamine's fourth
  string weighs); only their lengths are kept;
* each worksheet's cells that refer to a shared string (``t="s"``) are weighed by that string, and
  the text written in the sheet itself (inline strings, ``t="str"`` values) by its length in bytes
  (never fewer than its characters); runs of at most :data:`SHORT_RUN` bytes are left out, as they
  cost no more than the cell that holds them, which :mod:`.extent` bounds;
* refused: a cell longer than :data:`MAX_CELL_CHARS` (Excel's own limit: no workbook Excel wrote
  holds more; the schema's longest text column holds 1,000) and a workbook whose text, shared
  strings included, would pass :data:`MAX_TEXT_CHARS`.

Why checks before calamine rather than calamine in a child process under a memory and CPU limit:
the checks refuse in well under a second with a few MB of memory and name the sheet and the cell,
where a child would first have to fill its memory limit (seconds and hundreds of MB each time, on a
two-core server shared by every session), could only say "too much memory", and would add a process
start (≈ 1 s of imports) and a copy of the file to every ordinary upload. The checks follow the
module's existing approach (:mod:`.extent` bounds calamine's rectangle the same way), whose bound
holds whatever the XML says because every departure from the plain form is walked exactly.

A sheet is scanned in C-level passes when every ``t="s"`` in it belongs to a plain
``<c … t="s"><v>digits</v>`` cell and no text run is longer than a cell may be; any other sheet (a
prefix, an odd attribute, a long text, a DTD) is walked with expat element by element. Memory stays
at one 1 MB buffer plus the lengths (8 bytes a shared string, at most :data:`MAX_SHARED_STRINGS`).
"""

from __future__ import annotations

import re
import zipfile
from array import array
from dataclasses import dataclass
from typing import NoReturn
from xml.parsers import expat

from data_access.texts.files import SHEET_DOCTYPE, TOO_MANY_PARTS, XML_BROKEN
from vnfmt import fmt_int

#: Excel's own limit of one cell's text (a longer one cannot come from Excel, nor be stored here).
MAX_CELL_CHARS = 32_767
#: Refuse a workbook whose cells and shared strings would hold more characters than this in all
#: (calamine copies a shared string into each cell that uses it). 20 million characters are 20,000
#: rows of 1,000 characters; a full year of an office's reports is below 2 million.
MAX_TEXT_CHARS = 20_000_000
#: Refuse a shared-strings table with more strings than this (calamine keeps each as a string).
MAX_SHARED_STRINGS = 2_000_000
#: Refuse a workbook listing more sheets than this (calamine reads each, one member may be named by
#: many), or more relationships than this in ``xl/_rels/workbook.xml.rels``.
MAX_SHEETS = 1_000
MAX_RELATIONSHIPS = 100_000
#: Text runs of at most this many bytes are not counted (17 significant digits, sign and exponent
#: of a number fit; their cost is the cell's, bounded by ``extent.MAX_SHEET_CELLS``).
SHORT_RUN = 24

SHARED_STRINGS = "xl/sharedstrings.xml"  # calamine's fixed path, compared ignoring ASCII case
_CHUNK = 1024 * 1024
_MAX_CARRY = 4 * 1024 * 1024
_LOOSE_T = re.compile(rb"""t\s*=\s*(?:"s"|'s')""")
_VALUE = re.compile(rb"\s*<v>(\d{1,18})</v>\s*</c>")
_LONG_RUN = re.compile(rb">[^<]{%d,}" % (SHORT_RUN + 1))
_R_ATTR = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]{1,3}\d{1,7})["']""")
_SPACES = (b" ", b"\t", b"\r", b"\n")
_DOCTYPE = re.compile(rb"<!doctype", re.I)
_CELL_REF = re.compile(r"([A-Za-z]{1,3})(\d{1,7})")
_SHEET_FOLDER = re.compile(r"(?i)xl/(?:worksheets|chartsheets|dialogsheets|macrosheets)/")


@dataclass(frozen=True)
class TextFinding:
    """Why a workbook's text is refused: ``kind`` is "cell" (one cell too long) or "total"."""

    kind: str  # "cell": one cell too long; "total": too much text; "count": too many shared strings
    sheet: str  # the worksheet's name, "" for the shared strings
    cell: str  # "B7", or "" when not known
    chars: int  # the cell's characters, the running total when the bound was crossed, the strings
    limit: int
    exact: bool = True  # False: ``chars`` are those counted when the reading stopped (there are more)


class UnsafeText(Exception):
    """XML the text check cannot follow (broken, or with a DTD): refused as unreadable."""


class _Stop(Exception):
    def __init__(self, finding: TextFinding) -> None:
        super().__init__(finding.kind)
        self.finding = finding


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _parser() -> expat.XMLParserType:
    p = expat.ParserCreate()
    p.buffer_text = True
    p.buffer_size = 64 * 1024
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def no_dtd(*_: object) -> NoReturn:
        raise UnsafeText(SHEET_DOCTYPE)

    p.StartDoctypeDeclHandler = no_dtd
    p.EntityDeclHandler = no_dtd
    return p


def _feed(p: expat.XMLParserType, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                p.Parse(chunk, False)
            p.Parse(b"", True)
    except expat.ExpatError as exc:
        raise UnsafeText(XML_BROKEN.format(member=info.filename, error=expat.ErrorString(exc.code))) from exc


class _Budget:
    """The characters counted so far in the workbook, and the check against the bounds."""

    def __init__(self) -> None:
        self.total = 0
        self.sheet = ""  # the worksheet being weighed ("" while the shared strings are read)

    def cell(self, cell: str, chars: int, *, exact: bool = True) -> None:
        if chars > MAX_CELL_CHARS:
            raise _Stop(TextFinding("cell", self.sheet, cell, chars, MAX_CELL_CHARS, exact))
        self.add(cell, chars)

    def add(self, cell: str, chars: int) -> None:
        self.total += chars
        if self.total > MAX_TEXT_CHARS:
            raise _Stop(TextFinding("total", self.sheet, cell, self.total, MAX_TEXT_CHARS))


class _String:
    """The ``<si>`` being read: its tag name, whether in ``<rPh>``, the ``<t>`` open in it, its length."""

    def __init__(self) -> None:
        self.open("")

    def open(self, name: str) -> None:
        self.name = name  # the <si>'s tag name while one is open
        self.phonetic = False
        self.t_name = ""  # the open <t>'s tag name
        self.length = 0


def shared_string_lengths(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> array[int]:
    """The length of each string calamine makes of the shared strings ``info``, in its order.

    calamine 0.37 (python-calamine 0.9.1) makes one string of every ``<si>`` (any prefix), empty
    ones included: the text of each ``<t>`` in it outside ``<rPh>`` (phonetic runs), a ``<t>``
    ending at the first end tag of its name; entities and CDATA count as the characters they stand
    for. ``tests/test_bombs.py`` checks this against the calamine installed, case by case (a later
    calamine that drops empty ``<si>`` would shift the indices). Stops (``_Stop``) once past a bound.
    """
    lengths: array[int] = array("Q")
    si = _String()

    def start(name: str, _attrs: object) -> None:
        local = _local(name)
        if not si.name:
            if local == "si":
                si.open(name)
        elif si.t_name:
            return
        elif local == "rPh":
            si.phonetic = True
        elif local == "t" and not si.phonetic:
            si.t_name = name

    def end(name: str) -> None:
        if not si.name:
            return
        if si.t_name:
            if name == si.t_name:
                si.t_name = ""
        elif _local(name) == "si":
            si.name = ""
            if len(lengths) >= MAX_SHARED_STRINGS:
                raise _Stop(TextFinding("count", "", "", len(lengths) + 1, MAX_SHARED_STRINGS))
            lengths.append(si.length)
        elif _local(name) == "rPh":
            si.phonetic = False

    def text(data: str) -> None:
        if si.t_name:
            si.length += len(data)
            if budget.total + si.length > MAX_TEXT_CHARS:  # one string past the bound: stop reading it
                raise _Stop(TextFinding("total", "", "", budget.total + si.length, MAX_TEXT_CHARS, False))

    p = _parser()
    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = text
    _feed(p, zf, info)
    budget.add("", sum(lengths))
    return lengths


def _weigh_fast(zf: zipfile.ZipFile, info: zipfile.ZipInfo, lengths: array[int], budget: _Budget) -> bool:
    """Weigh a worksheet in C-level passes; ``False`` (and nothing counted) when it must be walked."""
    n = len(lengths)
    counted = 0
    carry = b""
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            buf = carry + chunk
            if chunk:
                cut = buf.rfind(b"<c")  # nothing the passes look for spans a "<c": cut there
                if cut <= 0:
                    carry = buf
                    if len(carry) > _MAX_CARRY:
                        return _undo(budget, counted)
                    continue
                seg, carry = buf[:cut], buf[cut:]
                if len(carry) > _MAX_CARRY:
                    return _undo(budget, counted)
            else:
                seg, carry = buf, b""
            if _DOCTYPE.search(seg) or b"<![CDATA[" in seg:
                return _undo(budget, counted)
            for m in _LOOSE_T.finditer(seg):
                at = m.start()
                opened = seg.rfind(b"<", 0, at)
                closed = seg.find(b">", m.end())
                value = _VALUE.match(seg, closed + 1) if closed > 0 else None
                if (
                    opened < 0
                    or seg[opened + 1 : opened + 2] != b"c"
                    or seg[opened + 2 : opened + 3] not in _SPACES
                    or seg[at - 1 : at] not in _SPACES
                    or seg.find(b">", opened, at) != -1
                    or value is None
                ):
                    return _undo(budget, counted)  # not a plain <c … t="s"><v>digits</v></c>
                idx = int(value.group(1))
                chars = lengths[idx] if idx < n else 0
                ref = _R_ATTR.search(seg, opened, closed)
                counted += chars
                budget.cell(ref.group(1).decode().upper() if ref else "", chars)
            for run in _LONG_RUN.finditer(seg):
                size = run.end() - run.start() - 1
                if size > MAX_CELL_CHARS:
                    return _undo(budget, counted)  # walked, to count its characters and name its cell
                counted += size
                budget.add("", size)
            if not chunk:
                return True


def _undo(budget: _Budget, counted: int) -> bool:
    budget.total -= counted
    return False


class _Cell:
    """The ``<c>`` being walked: its position, whether it refers to a shared string, its text."""

    def __init__(self) -> None:
        self.open = False
        self.ref = ""
        self.shared = False
        self.text = 0
        self.v: str | None = None  # the first 32 characters of its <v>, once one is open
        self.v_start = 0
        self.v_plain = False  # the <v> holds ASCII digits only, written as such (no reference, comment…)


def _weigh_walk(zf: zipfile.ZipFile, info: zipfile.ZipInfo, lengths: array[int], budget: _Budget) -> None:
    """Weigh a worksheet element by element: each ``<c>`` (any prefix) by all the text inside it,
    plus, when ``t="s"``, the shared string its ``<v>`` names; when that ``<v>`` is not plain digits
    (calamine reads its raw bytes, and a value it cannot read as a number is index 0), the longest."""
    longest = max(lengths, default=0)
    cell = _Cell()
    p = _parser()

    def start(name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "c" and not cell.open:
            cell.open, cell.ref, cell.shared, cell.text, cell.v = (
                True,
                attrs.get("r", ""),
                attrs.get("t") == "s",
                0,
                None,
            )
        elif local == "v" and cell.open:
            cell.v, cell.v_start, cell.v_plain = "", p.CurrentByteIndex + len(name) + 2, not attrs

    def end(name: str) -> None:
        local = _local(name)
        if local == "v" and cell.open and cell.v is not None:
            raw = p.CurrentByteIndex - cell.v_start
            v = cell.v
            cell.v_plain = cell.v_plain and raw == len(v) and 0 < len(v) <= 18 and v.isascii() and v.isdigit()
        elif local == "c" and cell.open:
            chars = cell.text
            if cell.shared:
                if cell.v_plain and cell.v is not None:
                    idx = int(cell.v)
                    chars += lengths[idx] if idx < len(lengths) else 0
                else:
                    chars += longest
            budget.cell(_ref(cell.ref), chars)
            cell.open = False

    def text(data: str) -> None:
        if cell.open:
            cell.text += len(data)
            if cell.v is not None and len(cell.v) < 32:
                cell.v += data[:32]
            if cell.text > MAX_CELL_CHARS:  # stop reading a huge text: there is more
                budget.cell(_ref(cell.ref), cell.text, exact=False)

    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = text
    _feed(p, zf, info)


def _ref(ref: str) -> str:
    return ref.upper() if _CELL_REF.fullmatch(ref) else ""


def _elements(
    zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], path: str, local: str, limit: int
) -> list[dict[str, str]]:
    """The attributes of every element ``local`` (any prefix) of the member named ``path`` (ignoring
    ASCII case, as calamine finds it), read with expat; empty when there is no such member. More than
    ``limit`` of them is refused (:class:`UnsafeText`), as is broken XML."""
    info = next((i for i in infos if i.filename.lower() == path), None)
    if info is None:
        return []
    found: list[dict[str, str]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == local:
            if len(found) >= limit:
                raise UnsafeText(TOO_MANY_PARTS.format(member=info.filename, limit=fmt_int(limit)))
            found.append(attrs)

    p = _parser()
    p.StartElementHandler = start
    _feed(p, zf, info)
    return found


def sheet_members(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> list[tuple[zipfile.ZipInfo, str]]:
    """The worksheets calamine would read, each with its sheet name, in the workbook's order (a member
    named by two sheets comes twice); then, named by their path, the other members of the sheet
    folders: calamine reads a sheet only from ``xl/worksheets/``, ``xl/chartsheets/`` or
    ``xl/dialogsheets/`` (the second part of its path), so these hold every one it could read."""
    targets = {
        a.get("Id", ""): a.get("Target", "")
        for a in _elements(zf, infos, "xl/_rels/workbook.xml.rels", "Relationship", MAX_RELATIONSHIPS)
    }
    by_name: dict[str, zipfile.ZipInfo] = {}
    for i in infos:
        by_name.setdefault(i.filename.lower(), i)
    out: list[tuple[zipfile.ZipInfo, str]] = []
    for a in _elements(zf, infos, "xl/workbook.xml", "sheet", MAX_SHEETS):
        target = targets.get(a.get("r:id", a.get("relationships:id", "")), "")
        path = (
            target[1:]
            if target.startswith("/xl/")
            else target
            if target.startswith("xl/")
            else f"xl/{target}"
        )
        if (info := by_name.get(path.lower())) is not None:
            out.append((info, a.get("name", "") or info.filename))
    seen = {id(i) for i, _ in out}
    out += [(i, i.filename) for i in infos if id(i) not in seen and _SHEET_FOLDER.match(i.filename)]
    return out


def text_extent(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> TextFinding | None:
    """Why the text the worksheets' cells (and the shared strings) would hold is refused, or ``None``.

    Raises :class:`UnsafeText` for XML it cannot follow (broken, or with a DTD).
    """
    budget = _Budget()
    try:
        strings = next((i for i in infos if i.filename.lower() == SHARED_STRINGS), None)
        lengths = shared_string_lengths(zf, strings, budget) if strings is not None else array("Q")
        weighed: dict[int, int] = {}  # a member's text, once weighed (counted again for each sheet)
        for info, name in sheet_members(zf, infos):
            budget.sheet = name
            if id(info) in weighed:
                budget.add("", weighed[id(info)])
                continue
            before = budget.total
            if not _weigh_fast(zf, info, lengths, budget):
                _weigh_walk(zf, info, lengths, budget)
            weighed[id(info)] = budget.total - before
    except _Stop as stop:
        return stop.finding
    return None
