"""One way to show a table on the pages: numbers stay numbers (a header click sorts them as numbers)
but read the Vietnamese way (``1.234``, ``90,5 %``, ``-2,3 điểm %``), empty cells read "–", the
columns a director needs fit at 1400 px, and Streamlit's English table toolbar is hidden (the pages
offer their own downloads).

``st.dataframe`` shows a pandas ``Styler``'s formatted text while sorting on the values underneath;
:func:`styled` builds that Styler (tested in ``tests/test_table_view.py``), :func:`show_table` draws it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from vnfmt import MISSING, fmt_int, fmt_number, fmt_pct, fmt_points, is_missing

#: How a column's values read, by kind (``text`` is shown as it is).
FORMATS: dict[str, Callable[[object], str]] = {
    "int": fmt_int, "percent": fmt_pct, "points": fmt_points, "number": fmt_number,
}
NUMBER_KINDS = frozenset(FORMATS)
#: Streamlit's element toolbar (its "Download as CSV", "Search", "Fullscreen" are English) above tables.
HIDE_TOOLBAR_CSS = ('<style>[data-testid="stElementContainer"]:has([data-testid="stDataFrame"]) '
                    '[data-testid="stElementToolbar"]{display:none !important}</style>')
_MOBILE_AGENTS = ("Mobi", "Android", "iPhone", "iPad")


@dataclass(frozen=True)
class TableColumn:
    """One column of a shown table: its key in the frame, header, kind, width (px) and tooltip;
    ``essential`` columns are the ones kept on a phone."""

    key: str
    header: str
    kind: str = "text"
    width: int | None = None
    help: str | None = None
    essential: bool = True


def _formatter(kind: str, fmt: Callable[[object], str] | None = None) -> Callable[[object], str]:
    f = fmt or FORMATS.get(kind)

    def show(v: object) -> str:
        if is_missing(v):
            return MISSING
        return f(v) if f is not None else str(v)

    return show


def frame_for(frame: pd.DataFrame, columns: Sequence[TableColumn]) -> pd.DataFrame:
    """The columns of ``frame`` to show, numbers as floats (missing as NaN: sorted last, shown "–")."""
    out = pd.DataFrame(index=frame.index)
    for c in columns:
        values = frame[c.key]
        if c.kind in NUMBER_KINDS:
            out[c.key] = pd.to_numeric(values, errors="coerce").astype("float64")
        else:
            out[c.key] = values.astype("object").where(values.notna(), None)
    return out


def styled(frame: pd.DataFrame, columns: Sequence[TableColumn], *, styles: pd.DataFrame | None = None,
           formats: Mapping[str, Callable[[object], str]] | None = None) -> Styler:
    """``frame``'s ``columns`` as a Styler: Vietnamese text per column kind (or ``formats[key]``),
    "–" for an empty cell, the CSS of ``styles`` (same index, same column keys) when given."""
    shown = frame_for(frame, columns)
    styler = shown.style.format({c.key: _formatter(c.kind, (formats or {}).get(c.key)) for c in columns})
    if styles is not None:
        css = styles.reindex(index=shown.index, columns=shown.columns).astype(object).fillna("")
        styler = styler.apply(lambda _: css, axis=None)
    return styler


def is_phone() -> bool:
    """Whether the browser says it is a phone or tablet (Streamlit cannot know the viewport's width)."""
    try:
        agent = st.context.headers.get("User-Agent") or ""
    except Exception:  # no request behind this run (AppTest, bare mode)
        return False
    return any(word in agent for word in _MOBILE_AGENTS)


#: On a phone the widths shrink by this much, and the first column is pinned (it stays on screen).
PHONE_SCALE = 0.7
#: The main column's width at 1400 px with the sidebar open: a wider table pins its first column.
LAPTOP_WIDTH = 938


def column_config(columns: Sequence[TableColumn], *, compact: bool = False) -> dict[str, Any]:
    """Headers, widths and tooltips; numbers right-aligned; on a phone narrower; the first column pinned
    when the table scrolls sideways (a phone, or wider than a laptop's page)."""
    first = columns[0].key if columns else None
    pin = compact or sum(c.width or 100 for c in columns) > LAPTOP_WIDTH
    out: dict[str, Any] = {}
    for c in columns:
        width = int(c.width * PHONE_SCALE) if compact and c.width else c.width
        if c.kind in NUMBER_KINDS:
            out[c.key] = st.column_config.NumberColumn(c.header, width=width, help=c.help)
        else:
            pinned = True if pin and c.key == first else None
            out[c.key] = st.column_config.Column(c.header, width=width, help=c.help, pinned=pinned)
    return out


def show_table(frame: pd.DataFrame, columns: Sequence[TableColumn], *, key: str,
               styles: pd.DataFrame | None = None, formats: Mapping[str, Callable[[object], str]] | None = None,
               compact: bool | None = None) -> None:
    """Draw ``frame`` as :func:`styled` with the toolbar hidden; on a phone (``compact``; by default
    :func:`is_phone`) only the essential columns."""
    if compact is None:
        compact = is_phone()
    cols = [c for c in columns if c.essential] if compact else list(columns)
    st.html(HIDE_TOOLBAR_CSS)
    st.dataframe(styled(frame, cols, styles=styles, formats=formats), hide_index=True, width="stretch", key=key,
                 placeholder=MISSING,
                 column_order=[c.key for c in cols],
                 column_config=column_config(cols, compact=compact))


#: Pixel widths of the gap tables' columns (``ui.tables.GAP_EXPORT_COLUMNS``) on the page.
GAP_WIDTHS = {"unit": 155, "field": 210, "procedure_code": 80, "procedure_name": 260, "status_label": 110,
              "value": 80, "target": 75, "gap": 105, "shortfall": 110, "numerator": 95, "denominator": 100,
              "rows_missing": 100}
_GAP_ORDER = ("unit", "field", "procedure_code", "procedure_name", "status_label", "value", "target", "gap",
              "shortfall", "numerator", "denominator", "rows_missing")
_GAP_ESSENTIAL = frozenset({"unit", "field", "procedure_name", "status_label", "value", "shortfall"})


def gap_columns(export_columns: Sequence[object], level: str) -> list[TableColumn]:
    """The drill-down table's columns from its export columns: name and verdict first, the counts
    after; at procedure level the field (chosen above the table) is left out."""
    by_key = {c.key: c for c in export_columns}  # type: ignore[attr-defined]
    keys = [k for k in _GAP_ORDER if k in by_key and not (level == "procedure" and k == "field")]
    return [TableColumn(k, by_key[k].header, by_key[k].kind, GAP_WIDTHS.get(k),  # type: ignore[attr-defined]
                        essential=k in _GAP_ESSENTIAL) for k in keys]
