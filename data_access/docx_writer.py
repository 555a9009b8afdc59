"""Write a :class:`~data_access.document.Document` as a Word file (python-docx), the one the office edits.

A4 portrait with the margins of Nghị định 30/2020/NĐ-CP (top and bottom 2 cm, left 3 cm, right 2 cm),
Times New Roman (the administrative standard, every Vietnamese glyph) on every script slot of every
style (ascii, hAnsi, eastAsia, cs, the theme fonts removed), the administrative header
(:class:`AdminHeader`: agency, national name and motto, place and date line) as a borderless two
column table, tables across the text width with their header row repeated on each page, numbers in
Vietnamese formats (:func:`data_access.pdf.cell_text`, i.e. :mod:`vnfmt`), pictures scaled to the
text width. Every text goes through :func:`clean_text`: a control character from an upload (which
XML 1.0 cannot hold) is dropped instead of breaking the file.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from data_access.document import Document, Image, Paragraph, Table
from data_access.pdf import cell_text
from data_access.texts import brief as T

__all__ = ["FONT", "AdminHeader", "clean_text", "date_line", "document_docx"]

FONT = "Times New Roman"
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
MARGINS = {"top": Cm(2.0), "bottom": Cm(2.0), "left": Cm(3.0), "right": Cm(2.0)}
#: The width between the margins: every table and picture fits in it.
TEXT_WIDTH = Emu(PAGE_WIDTH - MARGINS["left"] - MARGINS["right"])
_BODY_PT, _TABLE_PT, _SMALL_TABLE_PT, _NOTE_PT = 13, 10, 9, 11
_TWIP = 635  # EMU
_GREY = RGBColor(0x55, 0x55, 0x55)
_HEAD_FILL = "DCE6F1"
#: Characters XML 1.0 cannot hold (C0 controls but tab, newline, carriage return; surrogates; U+FFFE/F).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: object) -> str:
    """``value`` as text without the characters a Word file cannot hold (control characters; DEL too)."""
    return _ILLEGAL.sub("", "" if value is None else str(value))


def date_line(place: str, day: dt.date) -> str:
    """``Hải Phòng, ngày 05 tháng 3 năm 2024``: a day below 10 and the months 1 and 2 with a leading
    zero (Nghị định 30/2020/NĐ-CP, Phụ lục I)."""
    d = f"{day.day:02d}"
    m = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return T.DATE_LINE.format(place=place, day=d, month=m, year=day.year)


@dataclass(frozen=True)
class AdminHeader:
    """The administrative header: the agency (and its superior, optional), the place and the date."""

    agency: str
    place: str
    date: dt.date
    parent: str = ""

    @property
    def date_text(self) -> str:
        return date_line(self.place, self.date)

    def lines(self) -> tuple[str, ...]:
        """The header as plain lines (for the PDF and the workbook, which have no two-column header)."""
        left = " – ".join(x for x in (self.parent, self.agency) if x)
        return (left, f"{T.NATION} – {T.MOTTO}", self.date_text)


# ---------------------------------------------------------------------------- fonts and styles


def _set_fonts(rpr_owner: Any, size: float | None = None) -> None:
    """Times New Roman on every slot of a style's or run's ``w:rFonts`` (theme fonts removed)."""
    element = rpr_owner.element if hasattr(rpr_owner, "element") else rpr_owner
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), str(int(size * 2)))


def _styles(docx: DocxDocument) -> None:
    """Every paragraph and character style of the template in Times New Roman; Normal 13 pt."""
    for style in docx.styles:
        if isinstance(style, BaseStyle) and style.type in (1, 2, 3):  # paragraph, character, table
            _set_fonts(style)
            font = getattr(style, "font", None)
            if font is not None and style.name and style.name.startswith(("Heading", "Title", "Caption")):
                font.color.rgb = RGBColor(0, 0, 0)
    normal = docx.styles["Normal"]
    normal.font.size = Pt(_BODY_PT)
    fmt = normal.paragraph_format
    fmt.space_after, fmt.space_before, fmt.line_spacing = Pt(4), Pt(0), 1.1
    for name, size in (("Heading 1", 13), ("Heading 2", 12)):
        st = docx.styles[name]
        st.font.size, st.font.bold = Pt(size), True
        st.paragraph_format.space_before, st.paragraph_format.space_after = Pt(10), Pt(4)
    # the document defaults too (a text without a style, e.g. a table cell, inherits them)
    defaults = docx.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None and rpr_default.find(qn("w:rPr")) is not None:
            fonts = rpr_default.find(qn("w:rPr")).find(qn("w:rFonts"))
            if fonts is not None:
                for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                    fonts.attrib.pop(qn(attr), None)
                for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                    fonts.set(qn(attr), FONT)


def _page(docx: DocxDocument) -> None:
    section = docx.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(footer, T.PAGE, size=10)
    _page_field(footer)


def _page_field(paragraph: DocxParagraph) -> None:
    """A PAGE field (the page number Word fills in)."""
    run = paragraph.add_run()
    _set_fonts(run._r, 10)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _run(
    paragraph: DocxParagraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    grey: bool = False,
) -> None:
    run = paragraph.add_run(clean_text(text))
    run.bold, run.italic = bold or None, italic or None
    if size is not None:
        run.font.size = Pt(size)
    if grey:
        run.font.color.rgb = _GREY
    _set_fonts(run._r)


def _tight(paragraph: DocxParagraph, after: float = 0) -> None:
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0


# ---------------------------------------------------------------------------- blocks


def _no_borders(table: object) -> None:
    tbl_pr = table._tbl.tblPr  # type: ignore[attr-defined]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _header(docx: DocxDocument, header: AdminHeader) -> None:
    """Agency left, national name and motto right (both centred in their column), the date line under."""
    left_w, right_w = Cm(6.2), Emu(TEXT_WIDTH - Cm(6.2))
    table = docx.add_table(rows=2, cols=2)
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = left_w, right_w
    agency = table.cell(0, 0).paragraphs[0]
    agency.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _tight(agency)
    if header.parent:
        _run(agency, header.parent.upper(), size=12)
        agency = table.cell(0, 0).add_paragraph()
        agency.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _tight(agency)
    _run(agency, header.agency.upper(), bold=True, size=12)
    nation = table.cell(0, 1).paragraphs[0]
    nation.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _tight(nation)
    _run(nation, T.NATION, bold=True, size=12)
    motto = table.cell(0, 1).add_paragraph()
    motto.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _tight(motto)
    _run(motto, T.MOTTO, bold=True, size=13)
    rule = table.cell(0, 1).add_paragraph()
    rule.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _tight(rule, 2)
    _run(rule, "\u2500" * 16, size=8)
    when = table.cell(1, 1).paragraphs[0]
    when.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _tight(when, 6)
    _run(when, header.date_text, italic=True, size=13)


def _shade(cell: _Cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _repeat_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _fixed_layout(table: object) -> None:
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)  # type: ignore[attr-defined]


def _widths(table: Table) -> list[int]:
    """Column widths in EMU filling the text width, in proportion to the declared widths (characters),
    a number column at least the width of its longest value."""
    wants = []
    for j, col in enumerate(table.columns):
        longest = max((len(cell_text(r[j], col.kind)) for r in table.rows), default=0)
        wants.append(max(col.width, longest + 2) if col.kind != "text" else max(col.width, 8))
    total = sum(wants) or 1
    return [int(TEXT_WIDTH * w / total) // _TWIP * _TWIP for w in wants]  # Word keeps whole twips


def _table(docx: DocxDocument, table: Table) -> None:
    if table.title:
        docx.add_heading(clean_text(table.title), level=2)
    if not table.columns:
        return
    size = _TABLE_PT if len(table.columns) <= 6 else _SMALL_TABLE_PT
    widths = _widths(table)
    out = docx.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    out.style = docx.styles["Table Grid"]
    out.autofit = False
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_layout(out)
    right = [c.kind != "text" for c in table.columns]
    head = out.rows[0]
    _repeat_header(head)
    texts = [[c.header for c in table.columns]] + [
        [cell_text(v, c.kind) for c, v in zip(table.columns, row, strict=True)] for row in table.rows
    ]
    for i, (row, values) in enumerate(zip(out.rows, texts, strict=True)):
        for j, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            cell.width = Emu(widths[j])
            p = cell.paragraphs[0]
            _tight(p)
            p.alignment = (
                WD_ALIGN_PARAGRAPH.CENTER if i == 0 else WD_ALIGN_PARAGRAPH.RIGHT if right[j] else None
            )
            _run(p, text, bold=i == 0, size=size)
            if i == 0:
                _shade(cell, _HEAD_FILL)
    docx.add_paragraph().paragraph_format.space_after = Pt(2)


def _image(docx: DocxDocument, image: Image) -> None:
    from data_access.pdf import _png_size

    w_px, h_px = _png_size(image.png)
    width = min(int(TEXT_WIDTH), int(Cm(16)))
    height = width * h_px // max(w_px, 1)
    room = int(PAGE_HEIGHT - MARGINS["top"] - MARGINS["bottom"] - Cm(3))
    if height > room:
        width, height = width * room // height, room
    docx.add_picture(io.BytesIO(image.png), width=Emu(width), height=Emu(height))
    docx.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if image.caption:
        p = docx.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, image.caption, italic=True, size=_NOTE_PT, grey=True)


def _paragraph(docx: DocxDocument, block: Paragraph) -> None:
    if block.style == "heading":
        docx.add_heading(clean_text(block.text), level=1)
        return
    p = docx.add_paragraph()
    if block.style == "note":
        _run(p, block.text, italic=True, size=_NOTE_PT, grey=True)
    else:
        p.paragraph_format.first_line_indent = Cm(1.0)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _run(p, block.text)


def document_docx(doc: Document, *, header: AdminHeader | None = None) -> bytes:
    """The document as ``.docx`` bytes: the administrative header (when given), the title centred in
    bold capitals' weight, the subtitle lines in small italics, then each block in order."""
    docx = new_docx()
    _styles(docx)
    _page(docx)
    docx.core_properties.title = clean_text(doc.title)
    docx.core_properties.author = clean_text(header.agency) if header else ""
    if header is not None:
        _header(docx, header)
    title = docx.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before, title.paragraph_format.space_after = Pt(12), Pt(6)
    _run(title, doc.title, bold=True, size=14)
    for line in doc.subtitle:
        p = docx.add_paragraph()
        _tight(p, 2)
        _run(p, line, italic=True, size=_NOTE_PT, grey=True)
    for block in doc.blocks:
        if isinstance(block, Table):
            _table(docx, block)
        elif isinstance(block, Image):
            _image(docx, block)
        else:
            _paragraph(docx, block)
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()
