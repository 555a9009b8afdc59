"""The tables of the office's pages (Nhập số liệu, Quản trị): their columns and widths, drawn through
:mod:`ui.table_view` (empty cells "–", Streamlit's English toolbar hidden) with long text wrapped.

Widths are chosen so that every column fits at 1400 px beside the sidebar (about 1 000 px of
table); long text wraps.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from ui.table_view import HIDE_TOOLBAR_CSS, TableColumn, column_config, is_phone, styled
from ui.texts.office import HEADER

#: Rows this tall let long messages wrap (st.dataframe wraps text above 4rem).
WRAP_ROW_HEIGHT = 72


def text_columns(*spec: tuple[str, int | None] | tuple[str, int | None, bool]) -> list[TableColumn]:
    """Text columns keyed by their (Vietnamese) header: (header, width[, essential on a phone])."""
    return [TableColumn(s[0], s[0], width=s[1], essential=bool(s[2]) if len(s) > 2 else True) for s in spec]


H = HEADER
ISSUES = text_columns(
    (H["file"], 130, False),
    (H["sheet"], 80, False),
    (H["row"], 55),
    (H["column"], 170),
    (H["value"], 140),
    (H["message"], 350),
)
PREVIEW_FIRST = text_columns(
    (H["month"], 70), (H["unit"], 140), (H["kind"], 140, False), (H["rows"], 65, False)
)
#: The width of each KPI's "before → after" column of the preview.
PREVIEW_KPI_WIDTH = 120
DETAIL = text_columns(
    (H["month"], 70),
    (H["unit"], 150),
    (H["kpi"], 220),
    (H["before"], 80),
    (H["after"], 80),
    (H["change"], 90),
    (H["target"], 80),
    (H["status_after"], 110),
)
HISTORY = text_columns(
    (H["upload"], 70),
    (H["time"], 115),
    (H["uploader"], 100),
    (H["file"], 160),
    (H["month"], 90),
    (H["rows"], 65, False),
    (H["kind"], 80, False),
    (H["restored_from"], 85, False),
    (H["state"], 120),
)
PARTS = text_columns((H["month"], 70), (H["unit"], 430), (H["rows"], 70), (H["state"], 340))


def draw(
    frame: pd.DataFrame,
    columns: Sequence[TableColumn],
    *,
    key: str | None = None,
    wrap: bool = False,
    height: int | None = None,
) -> None:
    """``frame`` (its columns named by the headers of ``columns``; others not shown), long text
    wrapped when ``wrap``; on a phone only the essential columns."""
    compact = is_phone()
    cols = [c for c in columns if c.key in frame.columns and (c.essential or not compact)]
    st.html(HIDE_TOOLBAR_CSS)
    st.dataframe(
        styled(frame, cols),
        hide_index=True,
        width="stretch",
        key=key,
        column_order=[c.key for c in cols],
        column_config=column_config(cols, compact=compact),
        row_height=WRAP_ROW_HEIGHT if wrap else None,
        height="auto" if height is None else height,
    )
