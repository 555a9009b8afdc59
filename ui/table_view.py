"""One way to show a table on the pages: numbers stay numbers (a header click sorts them as numbers)
but read the Vietnamese way (``1.234``, ``90,5 %``, ``-2,3 điểm %``), empty cells read "–", the
columns a director needs fit at 1400 px, and Streamlit's English table toolbar is hidden (the pages
offer their own downloads).

``st.dataframe`` shows a pandas ``Styler``'s formatted text while sorting on the values underneath;
:func:`styled` builds that Styler (tested in ``tests/test_table_view.py``), :func:`show_table` draws it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from ui.texts import directors as T
from vnfmt import MISSING, fmt_int, fmt_number, fmt_pct, fmt_points, is_missing

#: How a column's values read, by kind (``text`` is shown as it is).
FORMATS: dict[str, Callable[[object], str]] = {
    "int": fmt_int,
    "percent": fmt_pct,
    "points": fmt_points,
    "number": fmt_number,
}
NUMBER_KINDS = frozenset(FORMATS)
#: Streamlit's element toolbar (its "Download as CSV", "Search", "Fullscreen" are English) above tables.
HIDE_TOOLBAR_CSS = (
    '<style>[data-testid="stElementContainer"]:has([data-testid="stDataFrame"]) '
    '[data-testid="stElementToolbar"]{display:none !important}</style>'
)
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
    #: Width on a phone (default: ``width`` × :data:`PHONE_SCALE`).
    phone_width: int | None = None
    #: Text longer than the column is shortened with "…" (a trailing " (n)" kept), the full texts
    #: listed in the column's tooltip: nothing is clipped by the frame.
    fit: bool = False


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


def _constant(text: str) -> Callable[[object], str]:
    return lambda _: text


def styled(
    frame: pd.DataFrame,
    columns: Sequence[TableColumn],
    *,
    styles: pd.DataFrame | None = None,
    formats: Mapping[str, Callable[[object], str]] | None = None,
    texts: pd.DataFrame | None = None,
) -> Styler:
    """``frame``'s ``columns`` as a Styler: Vietnamese text per column kind (or ``formats[key]``),
    "–" for an empty cell, the CSS of ``styles`` (same index, same column keys) when given.

    ``texts`` (same index, some column keys) overrides a cell's shown text where it is not empty, the
    value underneath staying what a header click sorts by (e.g. ``5 → 19`` sorted as 19)."""
    shown = frame_for(frame, columns)
    styler = shown.style.format({c.key: _formatter(c.kind, (formats or {}).get(c.key)) for c in columns})
    if texts is not None:
        for key in (c.key for c in columns if c.key in texts.columns):
            for pos, text in enumerate(texts[key].reindex(shown.index).tolist()):
                if isinstance(text, str):
                    styler = styler.format(_constant(text), subset=(shown.index[pos : pos + 1], [key]))
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
#: The main column's width at 390 px (a phone), and the pixels a table leaves free (its borders).
PHONE_WIDTH = 356
FRAME_MARGIN = 10
#: The narrowest a ``fit`` column is made to let its table fit.
MIN_FIT_WIDTH = 90


#: Pixels per character of the tables' 14 px Source Sans, bold included (capitals, small letters and
#: digits; measured in Chromium, rounded up), and a cell's padding.
UPPER_PX, LOWER_PX = 7.6, 6.1
CELL_PADDING = 17
#: A bold cell's text is this much wider; a header needs this much more (its sort mark).
BOLD_SCALE, HEADER_EXTRA = 1.05, 12
_COUNT = re.compile(r" \([\d.]+\)$")


def text_px(text: str) -> float:
    """A wide estimate of ``text``'s width in a table cell, in pixels."""
    return sum(UPPER_PX if ch.isupper() else LOWER_PX for ch in text)


def shorten(text: str, width: int) -> str:
    """``text`` cut at a word with "…" so that it fits ``width`` pixels; a trailing count ``" (12)"`` kept."""
    room = width - CELL_PADDING
    if text_px(text) <= room:
        return text
    match = _COUNT.search(text)
    tail = match.group(0) if match else ""
    body = text[: len(text) - len(tail)]
    keep = len(body)
    while keep > 1 and text_px(body[:keep] + "…" + tail) > room:
        keep -= 1
    cut = body[:keep]
    if (
        body[keep : keep + 1] not in ("", " ") and cut.rfind(" ") > keep // 2
    ):  # inside a word: back to its start
        cut = cut[: cut.rfind(" ")]
    return f"{cut.rstrip(' ,;–-')}…{tail}"


def _shown_px(frame: pd.DataFrame, texts: pd.DataFrame | None, c: TableColumn) -> float:
    """The width a text column's cells and header need (bold cells included)."""
    values = frame[c.key].tolist()
    if texts is not None and c.key in texts.columns:
        values = [t if isinstance(t, str) else v for t, v in zip(texts[c.key].tolist(), values, strict=True)]
    cells = max((text_px(str(v)) * BOLD_SCALE for v in values if not is_missing(v)), default=0.0)
    return max(cells, text_px(c.header) + HEADER_EXTRA) + CELL_PADDING


def sized(
    columns: Sequence[TableColumn],
    *,
    compact: bool = False,
    frame: pd.DataFrame | None = None,
    texts: pd.DataFrame | None = None,
) -> list[TableColumn]:
    """The columns' widths on screen: narrower on a phone (``compact``); a text column no wider than
    its texts in ``frame`` (or ``texts``) need; the ``fit`` columns share the room the page leaves
    beside the others (wider, their text shortened less; or narrower, so that the table fits, but not
    under :data:`MIN_FIT_WIDTH`)."""
    cols = [
        replace(c, width=c.phone_width or int(c.width * PHONE_SCALE)) if compact and c.width else c
        for c in columns
    ]
    if frame is not None:
        cols = [
            replace(c, width=min(c.width, int(_shown_px(frame, texts, c)) + 1))
            if c.width and c.kind == "text" and not c.fit
            else c
            for c in cols
        ]
    fits = [i for i, c in enumerate(cols) if c.fit and c.width and c.kind not in NUMBER_KINDS]
    room = (PHONE_WIDTH if compact else LAPTOP_WIDTH) - FRAME_MARGIN - sum(c.width or 100 for c in cols)
    if room and fits and all(c.width for c in cols):
        for i in fits:
            cols[i] = replace(cols[i], width=max((cols[i].width or 0) + room // len(fits), MIN_FIT_WIDTH))
    return cols


def fitted(frame: pd.DataFrame, columns: Sequence[TableColumn]) -> tuple[pd.DataFrame, list[TableColumn]]:
    """The ``fit`` columns' texts shortened to their width (:func:`shorten`), the full texts (without
    a trailing count) added to the column's tooltip."""
    out, cols = frame, []
    for c in columns:
        if not c.fit or c.width is None or c.kind in NUMBER_KINDS:
            cols.append(c)
            continue
        values = frame[c.key].tolist()
        short = [shorten(v, c.width) if isinstance(v, str) else v for v in values]
        full = dict.fromkeys(_COUNT.sub("", v) for v, s in zip(values, short, strict=True) if s != v)
        if full:
            out = out.assign(**{c.key: pd.Series(short, index=frame.index, dtype=object)})
            note = T.FULL_NAMES.format(names="; ".join(full))
            c = replace(c, help=f"{c.help}. {note}" if c.help else note)
        cols.append(c)
    return out, cols


def column_config(
    columns: Sequence[TableColumn], *, compact: bool = False, scaled: bool = False
) -> dict[str, Any]:
    """Headers, widths and tooltips; numbers right-aligned; on a phone narrower (unless ``scaled``
    already, :func:`sized`); the first column pinned when the table scrolls sideways (a phone, or
    wider than a laptop's page)."""
    first = columns[0].key if columns else None
    pin = compact or sum(c.width or 100 for c in columns) > LAPTOP_WIDTH
    out: dict[str, Any] = {}
    for c in columns:
        width = int(c.width * PHONE_SCALE) if compact and c.width and not scaled else c.width
        if c.kind in NUMBER_KINDS:
            out[c.key] = st.column_config.NumberColumn(c.header, width=width, help=c.help)
        else:
            pinned = True if pin and c.key == first else None
            out[c.key] = st.column_config.Column(c.header, width=width, help=c.help, pinned=pinned)
    return out


def show_table(
    frame: pd.DataFrame,
    columns: Sequence[TableColumn],
    *,
    key: str,
    styles: pd.DataFrame | None = None,
    formats: Mapping[str, Callable[[object], str]] | None = None,
    compact: bool | None = None,
    texts: pd.DataFrame | None = None,
) -> None:
    """Draw ``frame`` as :func:`styled` (``texts``: shown text of some cells) with the toolbar hidden,
    long texts of ``fit`` columns shortened (:func:`fitted`); on a phone (``compact``; by default
    :func:`is_phone`) only the essential columns."""
    if compact is None:
        compact = is_phone()
    shown = [c for c in columns if c.essential] if compact else columns
    frame, cols = fitted(frame, sized(shown, compact=compact, frame=frame, texts=texts))
    st.html(HIDE_TOOLBAR_CSS)
    st.dataframe(
        styled(frame, cols, styles=styles, formats=formats, texts=texts),
        hide_index=True,
        width="stretch",
        key=key,
        placeholder=MISSING,
        column_order=[c.key for c in cols],
        column_config=column_config(cols, compact=compact, scaled=True),
    )


#: Pixel widths of the gap tables' columns (``ui.tables.GAP_EXPORT_COLUMNS``) on the page.
GAP_WIDTHS = {
    "unit": 150,
    "field": 210,
    "procedure_code": 80,
    "procedure_name": 260,
    "status_label": 100,
    "value": 80,
    "target": 75,
    "gap": 95,
    "shortfall": 110,
    "numerator": 90,
    "denominator": 95,
    "rows_missing": 140,
}
_GAP_ORDER = (
    "unit",
    "field",
    "procedure_code",
    "procedure_name",
    "status_label",
    "value",
    "target",
    "gap",
    "shortfall",
    "numerator",
    "denominator",
    "rows_missing",
)
_GAP_ESSENTIAL = frozenset({"unit", "field", "procedure_name", "status_label", "value", "shortfall"})


def gap_columns(export_columns: Sequence[object], level: str) -> list[TableColumn]:
    """The drill-down table's columns from its export columns: name and verdict first, the counts
    after; at procedure level the field (chosen above the table) is left out."""
    by_key = {c.key: c for c in export_columns}  # type: ignore[attr-defined]
    keys = [k for k in _GAP_ORDER if k in by_key and not (level == "procedure" and k == "field")]
    return [
        TableColumn(
            k,
            by_key[k].header,  # type: ignore[attr-defined]
            by_key[k].kind,  # type: ignore[attr-defined]
            GAP_WIDTHS.get(k),
            essential=k in _GAP_ESSENTIAL,
        )
        for k in keys
    ]
