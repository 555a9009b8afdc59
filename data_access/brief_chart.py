"""The brief's chart as PNG bytes, drawn with matplotlib (Agg, no display, no browser).

One KPI's value per group (units or fields), worst gap on top, coloured by status, the target as a dark
tick. It lives here, below ``ui``, because the command line (``kpi``) may not import ``ui``; the pages'
print export draws the same chart through it.
The font is matplotlib's DejaVu Sans, which has every Vietnamese glyph; numbers through :mod:`vnfmt`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from data_access.docx_writer import clean_text
from data_access.texts import brief as T
from vnfmt import fmt_number, fmt_pct, is_missing

DPI = 150
#: The pages' status colours (ui.fmt.STATUS_COLORS) and target colour (ui.figures.TARGET_COLOR).
STATUS_COLORS = {"met": "#2e7d32", "near": "#f9a825", "below": "#c62828", "no_data": "#9e9e9e"}
TARGET_COLOR = "#263238"


def _pct(v: object) -> float:
    return float("nan") if is_missing(v) else float(v) * 100  # type: ignore[arg-type]


def _short(text: str, n: int = 38) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def bars_png(
    table: pd.DataFrame,
    *,
    group: str,
    group_labels: Mapping[str, str] | None = None,
    status_colors: Mapping[str, str] = STATUS_COLORS,
    target_color: str = TARGET_COLOR,
    axis_label: str | None = T.CHART_AXIS,
) -> bytes:
    """``table`` (one KPI's rows of a KPI table grouped by ``group``: value, target, gap, status) as
    horizontal bars, the largest gap below target on top, coloured by status, each group's target as a
    dark tick, the value written at the end of each bar. The one drawing of this chart: the pages' print
    export (:func:`ui.print_charts.gap_bars_png`) calls it with their colours and no axis title."""
    labels = group_labels or {}
    t = table.assign(_g=pd.to_numeric(table["gap"], errors="coerce")).sort_values(
        "_g", na_position="last", kind="stable"
    )
    names = [_short(clean_text(labels.get(g, g))) for g in t[group]]
    values = [_pct(v) for v in t["value"]]
    ys = list(range(len(names)))
    fig = Figure(figsize=(7.5, max(1.6, 0.3 * len(names) + (1.1 if axis_label else 0.9))))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.barh(
        ys,
        [0 if v != v else v for v in values],
        color=[status_colors.get(str(s), "#9e9e9e") for s in t["status"]],
        height=0.65,
    )
    ax.scatter(
        [_pct(v) for v in t["target"]], ys, marker="|", s=260, linewidths=2.5, color=target_color, zorder=3
    )
    for y, v, raw in zip(ys, values, t["value"], strict=True):
        ax.annotate(
            fmt_pct(raw),
            (0 if v != v else v, y),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=7.5,
        )
    ax.set_yticks(ys, names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 118)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{fmt_number(v, 0)} %"))
    ax.tick_params(axis="x", labelsize=8)
    if axis_label:
        ax.set_xlabel(axis_label, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#eceff1")
    ax.set_axisbelow(True)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()
