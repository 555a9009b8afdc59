"""A small document model for downloads and reports: a title, subtitle lines and blocks.

Plain data (no streamlit, no formatting): the writers :func:`data_access.export.document_xlsx` and
:func:`data_access.pdf.document_pdf` turn one :class:`Document` into a workbook or a PDF, so a page's
export and a periodic report are written by the same code. Numbers stay numbers here (fractions for
``percent`` and ``points`` columns, counts for ``int``); each writer formats them its own way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

#: Kinds of a table column (``ExportColumn.kind``): how its values are written.
COLUMN_KINDS = ("text", "int", "percent", "points", "decimal")


@dataclass(frozen=True)
class ExportColumn:
    """A column of a written table: the frame's ``key``, its ``header``, ``kind`` and ``width`` (characters)."""

    key: str
    header: str
    kind: str = "text"  # text | int | percent | points | decimal (a plain number, 2 decimals)
    width: int = 14


@dataclass(frozen=True)
class Paragraph:
    """A line of text; ``style`` is ``body``, ``heading`` or ``note`` (smaller, grey)."""

    text: str
    style: str = "body"


@dataclass(frozen=True)
class Table:
    """A table: ``columns`` (header, kind, width in characters) and ``rows`` in column order."""

    columns: tuple[ExportColumn, ...]
    rows: tuple[tuple[object, ...], ...]
    title: str = ""
    sheet: str = ""  # the workbook's sheet name (default: from the title)

    @classmethod
    def from_frame(
        cls, frame: pd.DataFrame, columns: Sequence[ExportColumn], *, title: str = "", sheet: str = ""
    ) -> Table:
        """The ``columns`` (by ``key``) of ``frame``, missing values as ``None``."""
        for c in columns:
            if c.kind not in COLUMN_KINDS:
                raise ValueError(f"unknown column kind {c.kind!r}")
        records = frame.to_dict("records")
        rows = tuple(tuple(_plain(rec.get(c.key)) for c in columns) for rec in records)
        return cls(tuple(columns), rows, title, sheet)


@dataclass(frozen=True)
class Image:
    """A picture (PNG bytes) with a caption under it."""

    png: bytes
    caption: str = ""


Block = Paragraph | Table | Image


@dataclass(frozen=True)
class Document:
    """``title``, ``subtitle`` lines (period, scope, plan, sources, time of export), then ``blocks``."""

    title: str
    subtitle: tuple[str, ...] = ()
    blocks: tuple[Block, ...] = field(default=())

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def digest(self) -> str:
        """A hash of the whole content (for caching the written bytes)."""
        h = hashlib.sha256()
        for part in (self.title, *self.subtitle):
            h.update(b"\x00" + part.encode("utf-8"))
        for b in self.blocks:
            if isinstance(b, Image):
                h.update(b"\x01" + hashlib.sha256(b.png).digest() + b.caption.encode("utf-8"))
            else:
                h.update(b"\x02" + repr(b).encode("utf-8"))
        return h.hexdigest()


def _plain(v: object) -> object:
    """Missing values as ``None``; numpy and pandas scalars as Python ones."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and v != v:
        return None
    item = getattr(v, "item", None)
    if callable(item) and not isinstance(v, str):
        v = item()
        if isinstance(v, float) and v != v:
            return None
    return v
