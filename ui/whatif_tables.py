"""The what-if page's tables: a :func:`kpi.whatif.compare` table, numbers kept as numbers (sorted
as numbers) and shown the Vietnamese way through :mod:`ui.table_view`, statuses coloured.

Every column (``DEPARTMENT_COLUMNS``, ``UNIT_COLUMNS``) is in the Excel and PDF (:mod:`ui.exports`); the
screen shows what a director compares (``SCREEN_COLUMNS``), each "plan → scenario" pair in one cell
(``90,0 % → 80,0 %``) sorted by the scenario's value, so that a table fits 1400 px; on a phone fewer.
Pure builders are tested in ``tests/test_whatif.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd
from pandas.io.formats.style import Styler

from kpi.scenario import row_change, still_judged
from ui.fmt import STATUS_COLORS, STATUS_LABELS
from ui.table_view import TableColumn, show_table
from ui.texts import whatif as T
from ui.texts.whatif import BASE_TAG as BASE_TAG  # re-exported: the headers' tags
from ui.texts.whatif import PAIR_HELP as PAIR_HELP  # re-exported
from ui.texts.whatif import SCEN_TAG as SCEN_TAG  # re-exported
from vnfmt import fmt_int, fmt_pct, fmt_points

_TINTS = {"met": "#e8f5e9", "near": "#fff8e1", "below": "#ffebee", "no_data": "#f5f5f5"}
_DIRECTION_COLORS = {"worse": STATUS_COLORS["below"], "better": STATUS_COLORS["met"]}


def change_text(row: Mapping[str, object]) -> str:
    """``Đạt → Chưa đạt · ↑ thiếu +37`` / ``↓ thiếu -5`` / ``vẫn đạt`` / ``–`` for one compared row
    (the status before → after, and the shortfall's change in dossiers)."""
    change = row_change(row)
    b, s = change.status_base, change.status_scen
    parts = []
    if change.status_moved:
        parts.append(f"{STATUS_LABELS.get(b, b)} → {STATUS_LABELS.get(s, s)}")
    d = change.shortfall_delta
    if d is not None:
        parts.append(T.CHANGE_MORE.format(n=fmt_int(d)) if d > 0 else T.CHANGE_LESS.format(n=fmt_int(-d)))
    if still_judged(row):
        parts.append(T.CHANGE_STILL.format(status=STATUS_LABELS.get(s, s).lower()))
    return " · ".join(parts) if parts else "–"


_STATUS_KEYS = ("change", "status_base", "status_scen", "shortfall_base", "shortfall_scen")
_VALUE_KEYS = ("value", "target_base", "target_scen", "gap_base", "gap_scen")


def _headers(*keys: str) -> dict[str, str]:
    return {k: T.COMPARE_HEADERS[k] for k in keys}


#: Column key → header, for the department table (``department_view``): what changed first.
DEPARTMENT_COLUMNS: dict[str, str] = _headers("label", *_STATUS_KEYS, *_VALUE_KEYS)
#: Column key → header, for the per-unit table (``unit_view``).
UNIT_COLUMNS: dict[str, str] = _headers("unit", *_STATUS_KEYS, "rank_base", "rank_scen", *_VALUE_KEYS)
#: Kind of each number column (``ui.table_view`` formats).
_KINDS = {
    "value": "percent",
    "target_base": "percent",
    "target_scen": "percent",
    "gap_base": "points",
    "gap_scen": "points",
    "shortfall_base": "int",
    "shortfall_scen": "int",
    "rank_base": "int",
    "rank_scen": "int",
}
_FORMATS: dict[str, Callable[[object], str]] = {
    "value": fmt_pct,
    "target_base": fmt_pct,
    "target_scen": fmt_pct,
    "gap_base": fmt_points,
    "gap_scen": fmt_points,
    "shortfall_base": fmt_int,
    "shortfall_scen": fmt_int,
    "rank_base": fmt_int,
    "rank_scen": fmt_int,
    "status_base": lambda s: STATUS_LABELS.get(str(s), str(s)),
    "status_scen": lambda s: STATUS_LABELS.get(str(s), str(s)),
}


def compare_frame(cmp: pd.DataFrame, columns: Mapping[str, str]) -> pd.DataFrame:
    """``columns`` of a compare table as shown: the change and the statuses as text, numbers as numbers."""
    data: dict[str, list[object]] = {}
    for key in columns:
        if key == "change":
            cols = ("status_base", "status_scen", "shortfall_delta", "target_changed")
            data[key] = [
                change_text(dict(zip(cols, values, strict=True)))
                for values in zip(*(cmp[c].tolist() for c in cols), strict=True)
            ]
        elif key in _KINDS or key not in _FORMATS:
            data[key] = cmp[key].tolist()
        else:
            data[key] = [_FORMATS[key](v) for v in cmp[key].tolist()]
    return pd.DataFrame(data, index=cmp.index)


def _view(cmp: pd.DataFrame, columns: Mapping[str, str]) -> pd.DataFrame:
    frame = compare_frame(cmp, columns)
    for key in columns:
        if key in _KINDS:
            frame[key] = [_FORMATS[key](v) for v in frame[key].tolist()]
        elif key not in _FORMATS and key != "change":
            frame[key] = [str(v) for v in frame[key].tolist()]
    return frame


def department_view(cmp: pd.DataFrame) -> pd.DataFrame:
    """A :func:`kpi.whatif.compare` table without groups (one row per KPI), as Vietnamese text."""
    return _view(cmp, DEPARTMENT_COLUMNS)


def unit_rows(cmp: pd.DataFrame, kpi: str, *, changed_only: bool = False) -> pd.DataFrame:
    """The rows of one KPI of a per-unit compare table, worst first under the scenario."""
    t = cmp[cmp["kpi"] == kpi]
    if changed_only:
        t = t[t["status_changed"] | (t["shortfall_delta"].fillna(0) != 0)]
    return t.sort_values(["rank_scen", "unit"], kind="stable", na_position="last")


def unit_view(rows: pd.DataFrame, short_names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """:func:`unit_rows` as Vietnamese text, units by their short names."""
    view = _view(rows, UNIT_COLUMNS)
    names = short_names or {}
    view["unit"] = [names.get(u, u) for u in rows["unit"]]
    return view


def style_view(view: pd.DataFrame, cmp: pd.DataFrame) -> Styler:
    """Colour the statuses (tinted by status; the scenario's bold when it changed) and the change
    column (red when worse, green when better); ``cmp`` holds the compared rows behind ``view``."""
    styles = _styles(list(view.columns), cmp)
    return view.style.apply(lambda _: styles, axis=None)


def _styles(columns: list[str], cmp: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for base, scen, moved, direction in zip(
        cmp["status_base"].tolist(),
        cmp["status_scen"].tolist(),
        cmp["status_changed"].tolist(),
        cmp["direction"].tolist(),
        strict=True,
    ):
        css = dict.fromkeys(columns, "")
        if "status_base" in css and base in _TINTS:
            css["status_base"] = f"background-color: {_TINTS[base]};"
        for key in ("status_scen", "status"):  # "status": the screen's "plan → scenario" cell
            if key in css and scen in _TINTS:
                css[key] = f"background-color: {_TINTS[scen]};" + ("font-weight: bold;" if moved else "")
        if "change" in css and direction in _DIRECTION_COLORS:
            css["change"] = f"color: {_DIRECTION_COLORS[direction]};"
        rows.append([css[c] for c in columns])
    return pd.DataFrame(rows, index=cmp.index, columns=columns)


#: The columns on screen: a "plan → scenario" pair shows both and sorts by the scenario's value.
_H = T.SCREEN_HEADERS
SCREEN_COLUMNS: dict[str, TableColumn] = {
    c.key: c
    for c in (
        TableColumn("label", _H["label"], width=240, fit=True),
        TableColumn("unit", _H["unit"], width=150, fit=True),
        TableColumn("value", _H["value"], "percent", 80, essential=False),
        TableColumn("target", _H["target"], "percent", 120, PAIR_HELP, essential=False),
        TableColumn("status", _H["status"], width=140, help=PAIR_HELP, phone_width=136),
        TableColumn("shortfall", _H["shortfall"], "int", 105, T.SHORTFALL_HELP, phone_width=84),
        TableColumn("rank", _H["rank"], "int", 75, T.RANK_HELP, essential=False),
        TableColumn("change", _H["change"], width=210, fit=True, essential=False, help=T.CHANGE_HELP),
    )
}
DEPARTMENT_SCREEN = ("label", "value", "target", "status", "shortfall", "change")
UNIT_SCREEN = ("unit", "value", "target", "status", "shortfall", "rank", "change")
#: A paired column: (plan's column, scenario's column, how one side reads).
_PAIRS: dict[str, tuple[str, str, Callable[[object], str]]] = {
    "target": ("target_base", "target_scen", fmt_pct),
    "shortfall": ("shortfall_base", "shortfall_scen", fmt_int),
    "rank": ("rank_base", "rank_scen", fmt_int),
    "status": ("status_base", "status_scen", _FORMATS["status_base"]),
}


def pair_text(base: object, scen: object, fmt: Callable[[object], str]) -> str:
    """``90,0 % → 80,0 %``; one value when both read the same."""
    a, b = fmt(base), fmt(scen)
    return a if a == b else f"{a} → {b}"


def screen_frame(
    cmp: pd.DataFrame, keys: Sequence[str], *, names: Mapping[str, str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(values, shown texts) of the screen's ``keys``: a pair's value is the scenario's (sorted by it),
    its text both sides (:func:`pair_text`); ``names`` renames units and KPIs (short names)."""
    values: dict[str, list[object]] = {}
    texts: dict[str, list[object]] = {}
    for key in keys:
        if key in _PAIRS:
            base, scen, fmt = _PAIRS[key]
            texts[key] = [pair_text(b, s, fmt) for b, s in zip(cmp[base], cmp[scen], strict=True)]
            values[key] = texts[key] if key == "status" else cmp[scen].tolist()
        elif key == "change":
            values[key] = compare_frame(cmp, {"change": ""})["change"].tolist()
        elif key == "label":
            values[key] = [(names or {}).get(k, lb) for k, lb in zip(cmp["kpi"], cmp["label"], strict=True)]
        elif key == "unit":
            values[key] = [(names or {}).get(u, u) for u in cmp["unit"]]
        else:
            values[key] = cmp[key].tolist()
    return pd.DataFrame(values, index=cmp.index), pd.DataFrame(texts, index=cmp.index)


def show_compare(
    cmp: pd.DataFrame, keys: Sequence[str], *, key: str, names: Mapping[str, str] | None = None
) -> None:
    """A compare table on the page (:data:`SCREEN_COLUMNS` ``keys``): numbers sortable, statuses tinted,
    the change coloured."""
    rows = cmp.reset_index(drop=True)
    frame, texts = screen_frame(rows, keys, names=names)
    show_table(
        frame,
        [SCREEN_COLUMNS[k] for k in keys],
        key=key,
        texts=texts,
        styles=_styles(list(frame.columns), rows),
    )
