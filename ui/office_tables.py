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

#: Rows this tall let long messages wrap (st.dataframe wraps text above 4rem).
WRAP_ROW_HEIGHT = 72


def text_columns(*spec: tuple[str, int | None] | tuple[str, int | None, bool]) -> list[TableColumn]:
    """Text columns keyed by their (Vietnamese) header: (header, width[, essential on a phone])."""
    return [TableColumn(s[0], s[0], width=s[1], essential=bool(s[2]) if len(s) > 2 else True)
            for s in spec]


ISSUES = text_columns(("Tệp", 130, False), ("Trang", 80, False), ("Dòng", 55), ("Cột", 170), ("Giá trị", 140),
                      ("Nội dung", 350))
PREVIEW_FIRST = text_columns(("Tháng", 70), ("Đơn vị", 140), ("Loại", 140, False), ("Số dòng", 65, False))
#: The width of each KPI's "before → after" column of the preview.
PREVIEW_KPI_WIDTH = 120
DETAIL = text_columns(("Tháng", 70), ("Đơn vị", 150), ("Chỉ tiêu", 220), ("Trước", 80), ("Sau", 80),
                      ("Thay đổi", 90), ("Mục tiêu", 80), ("Đánh giá (sau)", 110))
HISTORY = text_columns(("Lần nhập", 70), ("Thời gian", 115), ("Người nhập", 100), ("Tệp", 160),
                       ("Tháng", 90), ("Số dòng", 65, False), ("Loại", 80, False), ("Khôi phục từ", 85, False),
                       ("Trạng thái", 120))
PARTS = text_columns(("Tháng", 70), ("Đơn vị", 430), ("Số dòng", 70), ("Trạng thái", 340))

def draw(frame: pd.DataFrame, columns: Sequence[TableColumn], *, key: str | None = None, wrap: bool = False,
         height: int | None = None) -> None:
    """``frame`` (its columns named by the headers of ``columns``; others not shown), long text
    wrapped when ``wrap``; on a phone only the essential columns."""
    compact = is_phone()
    cols = [c for c in columns if c.key in frame.columns and (c.essential or not compact)]
    st.html(HIDE_TOOLBAR_CSS)
    st.dataframe(styled(frame, cols), hide_index=True, width="stretch", key=key,  # type: ignore[call-overload]
                 column_order=[c.key for c in cols], column_config=column_config(cols, compact=compact),
                 row_height=WRAP_ROW_HEIGHT if wrap else None, height="auto" if height is None else height)
