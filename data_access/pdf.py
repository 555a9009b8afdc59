"""Write a :class:`~data_access.document.Document` as an A4 PDF (fpdf2), in Vietnamese.

The font is DejaVu Sans as shipped inside the matplotlib wheel (every Vietnamese glyph, no system
font needed); every number is printed with :mod:`vnfmt`; the page is landscape when the widest
table does not fit portrait; tables repeat their header row on each page; pages are numbered
``Trang 1/3``.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from fpdf import FPDF

from data_access.document import Document, Image, Paragraph, Table
from data_access.pdf_fonts import FAMILY, font_files, fonts_for, text_width
from vnfmt import MISSING, fmt_int, fmt_number, fmt_pct, fmt_points

__all__ = ["cell_text", "document_pdf", "font_files", "text_width"]

MARGIN = 12.0  # mm
#: The width inside the margins of a portrait A4 page: a table that needs more goes landscape.
PORTRAIT_WIDTH = 210 - 2 * MARGIN
_HEAD_FILL = (220, 230, 241)
_ZEBRA = (246, 248, 250)
_GREY = (90, 90, 90)
_TABLE_PT = 8.0
_LINE, _PAD_X, _PAD_Y = 3.6, 1.4, 1.0  # mm
_TEXT_MIN = 24.0  # mm: a text column may be wrapped down to this
_TEXT_MM_PER_CHAR = 1.7  # a text column's declared width (characters) in mm, at most
_FORMATS: dict[str, Callable[[object], str]] = {
    "int": fmt_int,
    "percent": fmt_pct,
    "points": fmt_points,
    "decimal": lambda x: fmt_number(x, 2),
}


def cell_text(value: object, kind: str) -> str:
    """A value as printed: numbers in Vietnamese formats, missing as ``–``."""
    if value is None or (isinstance(value, float) and value != value):
        return MISSING
    f = _FORMATS.get(kind)
    return f(value) if f else str(value)


class _Pdf(FPDF):
    doc_title = ""

    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font(FAMILY, "", 7.5)
            self.set_text_color(*_GREY)
            self.cell(0, 5, self.doc_title, align="L", new_x="LMARGIN", new_y="NEXT")
            self.ln(2)
            self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(FAMILY, "", 7.5)
        self.set_text_color(*_GREY)
        self.cell(0, 5, f"Trang {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def _wrap(text: str, width: float, bold: bool) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (at words; a too long word at characters)."""
    if text_width(text, bold=bold) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if text_width(trial, bold=bold) <= width:
            line = trial
            continue
        if line:
            lines.append(line)
        while text_width(word, bold=bold) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and text_width(word[:cut], bold=bold) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    return [*lines, line] if line else lines or [""]


@dataclass(frozen=True)
class _Layout:
    """A table's texts as printed and what its columns need, in mm: ``natural`` (values unwrapped,
    headers in about two lines) and ``least`` (numbers with their header wrapped at every word, text
    wrapped down to :data:`_TEXT_MIN` mm or its longest word)."""

    headers: list[str]
    texts: list[list[str]]
    right: list[bool]
    natural: list[float]
    least: list[float]

    def widths(self, page_width: float) -> list[float]:
        """Column widths filling ``page_width``: room to spare goes to the text columns; short of room,
        the numbers' headers wrap first, then the text columns, then everything shrinks in proportion."""
        out = list(self.natural)
        text_cols = [j for j, r in enumerate(self.right) if not r] or list(range(len(out)))
        if sum(out) <= page_width:
            spare = (page_width - sum(out)) / sum(out[j] for j in text_cols)
            return [w * (1 + spare) if j in text_cols else w for j, w in enumerate(out)]
        for group in ([j for j, r in enumerate(self.right) if r], text_cols):
            excess = sum(out) - page_width
            give = sum(out[j] - self.least[j] for j in group)
            if give > 0:
                f = min(1.0, excess / give)
                for j in group:
                    out[j] -= (out[j] - self.least[j]) * f
            if sum(out) <= page_width + 1e-6:
                return out
        return [w * page_width / sum(out) for w in out]


def _layout(table: Table) -> _Layout:
    headers = [c.header for c in table.columns]
    texts = [[cell_text(v, c.kind) for c, v in zip(table.columns, row, strict=True)] for row in table.rows]
    right = [c.kind != "text" for c in table.columns]
    natural, least = [], []
    pad = 2 * _PAD_X + 0.5
    for j, c in enumerate(table.columns):
        word = max((text_width(w, bold=True) for w in c.header.split()), default=0.0) + pad
        head = max(word, text_width(c.header, bold=True) / 2 + pad)
        value = max((text_width(r[j]) for r in texts), default=0.0) + pad
        if right[j]:
            natural.append(max(head, value))
            least.append(max(word, value))
        else:
            longest_word = max((text_width(w) for r in texts for w in r[j].split()), default=0.0) + pad
            full = max(head, min(value, c.width * _TEXT_MM_PER_CHAR))
            natural.append(full)
            least.append(min(full, max(word, _TEXT_MIN, min(longest_word, 2 * _TEXT_MIN))))
    return _Layout(headers, texts, right, natural, least)


def _row(
    pdf: _Pdf,
    texts: Sequence[str],
    widths: Sequence[float],
    right: Sequence[bool],
    *,
    bold: bool = False,
    fill: tuple[int, int, int] | None = None,
) -> None:
    """One table row at the current position: each cell wrapped, numbers right-aligned."""
    cells = [_wrap(t, w - 2 * _PAD_X, bold) for t, w in zip(texts, widths, strict=True)]
    height = max(len(c) for c in cells) * _LINE + 2 * _PAD_Y
    x, y = pdf.l_margin, pdf.get_y()
    if fill:
        pdf.set_fill_color(*fill)
        pdf.rect(x, y, sum(widths), height, style="F")
    pdf.set_font(FAMILY, "B" if bold else "", _TABLE_PT)
    base = (_LINE - pdf.font_size) / 2 + pdf.font_size * 0.8
    for lines, w, r in zip(cells, widths, right, strict=True):
        for k, line in enumerate(lines):
            tx = x + w - _PAD_X - text_width(line, bold=bold) if r else x + _PAD_X
            pdf.text(tx, y + _PAD_Y + k * _LINE + base, line)
        x += w
    pdf.line(pdf.l_margin, y + height, pdf.l_margin + sum(widths), y + height)
    pdf.set_y(y + height)


def _row_height(texts: Sequence[str], widths: Sequence[float], bold: bool = False) -> float:
    lines = max(len(_wrap(t, w - 2 * _PAD_X, bold)) for t, w in zip(texts, widths, strict=True))
    return lines * _LINE + 2 * _PAD_Y


def _table(pdf: _Pdf, table: Table, layout: _Layout) -> None:
    """The table across the page width; its header row again at the top of every page it runs onto."""
    if table.title:
        _paragraph(pdf, Paragraph(table.title, "heading"))
    widths = layout.widths(pdf.epw)

    def header() -> None:
        _row(pdf, layout.headers, widths, layout.right, bold=True, fill=_HEAD_FILL)

    pdf.set_draw_color(200, 205, 210)
    pdf.set_line_width(0.2)
    if pdf.get_y() + _row_height(layout.headers, widths, True) + 3 * _LINE > pdf.page_break_trigger:
        pdf.add_page(same=True)
    header()
    for i, texts in enumerate(layout.texts):
        if pdf.get_y() + _row_height(texts, widths) > pdf.page_break_trigger:
            pdf.add_page(same=True)
            header()
        _row(pdf, texts, widths, layout.right, fill=_ZEBRA if i % 2 else None)
    pdf.ln(3)


def _png_size(png: bytes) -> tuple[int, int]:
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG image")
    w, h = struct.unpack(">II", png[16:24])
    return w, h


def _image(pdf: _Pdf, image: Image) -> None:
    w_px, h_px = _png_size(image.png)
    width = min(pdf.epw, 180.0)
    height = width * h_px / w_px
    room = pdf.eph - 12
    if height > room:  # taller than a page: scale down
        width, height = width * room / height, room
    if pdf.get_y() + height + 8 > pdf.page_break_trigger:
        pdf.add_page(same=True)
    pdf.image(image.png, x=pdf.l_margin + (pdf.epw - width) / 2, w=width, h=height)
    if image.caption:
        pdf.set_font(FAMILY, "", 8)
        pdf.set_text_color(*_GREY)
        pdf.multi_cell(0, 4, image.caption, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    pdf.ln(3)


_STYLES = {"heading": ("B", 11, 6.0), "note": ("", 8, 4.0), "body": ("", 9.5, 5.0)}


def _paragraph(pdf: _Pdf, p: Paragraph) -> None:
    style, size, height = _STYLES.get(p.style, _STYLES["body"])
    if p.style == "heading" and pdf.get_y() + 30 > pdf.page_break_trigger:
        pdf.add_page(same=True)  # no heading alone at the foot of a page
    pdf.set_font(FAMILY, style, size)
    if p.style == "note":
        pdf.set_text_color(*_GREY)
    pdf.multi_cell(0, height, p.text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(1.5 if p.style == "heading" else 1)


def _chars(doc: Document, layouts: Iterable[_Layout]) -> set[str]:
    """Every character the document prints."""
    texts = [doc.title, *doc.subtitle, "Trang 0123456789/"]
    texts += [
        b.text if isinstance(b, Paragraph) else b.caption if isinstance(b, Image) else b.title
        for b in doc.blocks
    ]
    for lay in layouts:
        texts += lay.headers
        texts += [t for row in lay.texts for t in row]
    return set("".join(texts))


def document_pdf(doc: Document) -> bytes:
    """The document as PDF bytes: title and subtitle lines, then each block in order."""
    layouts = {id(t): _layout(t) for t in doc.tables}
    wide = any(sum(lay.natural) > PORTRAIT_WIDTH for lay in layouts.values())
    pdf = _Pdf(orientation="L" if wide else "P", unit="mm", format="A4")
    pdf.doc_title = doc.title
    pdf.set_title(doc.title)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=14)
    regular, bold = fonts_for(_chars(doc, layouts.values()))
    pdf.add_font(FAMILY, "", regular)
    pdf.add_font(FAMILY, "B", bold)
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 15)
    pdf.multi_cell(0, 7.5, doc.title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font(FAMILY, "", 8.5)
    pdf.set_text_color(*_GREY)
    for line in doc.subtitle:
        pdf.multi_cell(0, 4.5, line, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(4)
    for block in doc.blocks:
        if isinstance(block, Table):
            _table(pdf, block, layouts[id(block)])
        elif isinstance(block, Image):
            _image(pdf, block)
        else:
            _paragraph(pdf, block)
    return bytes(pdf.output())
