"""An Excel and a PDF of what a page shows: the page's frames → a :class:`~data_access.document.Document`.

The builders (:func:`overview_document`, :func:`gaps_document`, :func:`trends_document`,
:func:`whatif_document`) take the very frames the pages show and draw nothing; :func:`export_buttons`
offers the document as ``Tải Excel`` and ``Tải PDF``. The files are written only when a button is
clicked (``st.download_button`` with a callable), and kept by the document's content hash.

The builders live in :mod:`ui.export_documents` (the shared subtitle, Tổng quan, Khoảng cách, Xu hướng)
and :mod:`ui.export_whatif` (Giả định chỉ tiêu); they are importable from here as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import streamlit as st

from data_access.document import Document
from data_access.export import document_xlsx
from data_access.pdf import document_pdf
from ui.export_documents import (
    ATTENTION_COLUMNS,
    OVERVIEW_COLUMNS,
    SOURCES_LIMIT,
    gaps_document,
    header_lines,
    overview_document,
    trends_document,
)
from ui.export_whatif import whatif_document
from ui.scenario import scenario_applied
from ui.texts import directors as T

__all__ = [
    "ATTENTION_COLUMNS",
    "OVERVIEW_COLUMNS",
    "SCENARIO_NOTE",
    "SOURCES_LIMIT",
    "XLSX_MIME",
    "export_buttons",
    "gaps_document",
    "header_lines",
    "overview_document",
    "trends_document",
    "whatif_document",
    "with_scenario_note",
]

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCENARIO_NOTE = T.SCENARIO_NOTE


@st.cache_data(max_entries=32, show_spinner=False)
def _written(kind: str, digest: str, _doc: Document) -> bytes:
    """The document as ``xlsx`` or ``pdf`` bytes, kept per content hash (``digest``)."""
    return document_xlsx(_doc) if kind == "xlsx" else document_pdf(_doc)


def with_scenario_note(doc: Document) -> Document:
    """``doc`` saying, under its plan line, that the what-if targets are applied instead of the plan's."""
    lines = list(doc.subtitle)
    lines.insert(min(3, len(lines)), SCENARIO_NOTE)
    return replace(doc, subtitle=tuple(lines))


def export_buttons(
    doc: Document | Callable[[], Document], *, key: str, file_stem: str, scenario_note: bool = True
) -> None:
    """``Tải Excel`` (widget key ``key``) and ``Tải PDF`` (``{key}_pdf``) side by side.

    ``doc`` may be a callable: the document (charts included) is then built only when a button is
    clicked, once for both files of the same run. When the session applies its what-if targets to
    every page, the document says so (:func:`with_scenario_note`; ``scenario_note=False``: never).
    """
    made: list[Document] = []
    noted = scenario_note and scenario_applied()  # read now: the files are written outside this run

    def document() -> Document:
        if not made:
            built = doc() if callable(doc) else doc
            made.append(with_scenario_note(built) if noted else built)
        return made[0]

    def file(kind: str) -> Callable[[], bytes]:
        return lambda: _written(kind, document().digest(), document())

    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        T.DOWNLOAD_XLSX,
        data=file("xlsx"),
        file_name=f"{file_stem}.xlsx",
        mime=XLSX_MIME,
        icon=":material/table_view:",
        key=key,
        on_click="ignore",
        width="stretch",
    )
    right.download_button(
        T.DOWNLOAD_PDF,
        data=file("pdf"),
        file_name=f"{file_stem}.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        key=f"{key}_pdf",
        on_click="ignore",
        width="stretch",
    )
