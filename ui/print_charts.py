"""Charts for print (PDF, reports) as PNG bytes, drawn with matplotlib (Agg, no display, no pyplot).

The same colours as the pages' plotly figures (:mod:`ui.figures`, ``STATUS_COLORS``); every number
through :mod:`vnfmt`; the font is matplotlib's own DejaVu Sans, which has every Vietnamese glyph.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Literal

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from data_access.brief_chart import bars_png
from ui.figures import SCENARIO_COLOR, TARGET_COLOR
from ui.fmt import STATUS_COLORS
from ui.texts import directors as T
from vnfmt import fmt_month, fmt_number, is_missing

DPI = 150
_PCT_AXIS = FuncFormatter(lambda v, _pos: f"{fmt_number(v, 0)} %")
_LINE_COLORS = ("#1f5fa8", "#00897b", "#e65100", "#6a1b9a", "#c2185b", "#455a64", "#7cb342", "#5d4037")


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def _pct(v: object) -> float:
    return float("nan") if is_missing(v) else float(v) * 100  # type: ignore[arg-type]


def _short(text: str, n: int = 38) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _finish(fig: Figure, ax: Axes, *, grid: Literal["x", "y"]) -> bytes:
    """Light grid on ``grid`` (``x`` or ``y``), no top and right frame, tight layout; the PNG."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis=grid, color="#eceff1")
    ax.set_axisbelow(True)
    fig.tight_layout()
    return _png(fig)


def _plot_values(
    ax: Axes, months: Sequence[int], frame: pd.DataFrame, size: float, width: float, color: str, label: str
) -> None:
    """One line of monthly values (``frame["value"]``, in percent) with round markers."""
    values = [_pct(v) for v in frame["value"]]
    ax.plot(months, values, marker="o", markersize=size, linewidth=width, color=color, label=label)


def gap_bars_png(table: pd.DataFrame, *, group: str, group_labels: Mapping[str, str] | None = None) -> bytes:
    """One KPI's value per group (units, fields, procedures), worst gap on top, coloured by status,
    each group's target as a dark tick; the value written at the end of each bar (drawn by
    :func:`data_access.brief_chart.bars_png` in the pages' colours, without an axis title)."""
    return bars_png(
        table,
        group=group,
        group_labels=group_labels,
        status_colors=STATUS_COLORS,
        target_color=TARGET_COLOR,
        axis_label=None,
    )


def trend_png(
    series: pd.DataFrame, *, groups: Sequence[str] | None = None, group_col: str | None = None
) -> bytes:
    """One KPI month by month over its year: the value (one line per group when comparing) and the
    target of each month as a dashed step."""
    periods = sorted(series["period"].unique())
    year = periods[-1][:4] if periods else "2000"
    months = [int(p[5:]) for p in periods]
    fig = Figure(figsize=(7.5, 2.8))
    ax = fig.add_subplot()
    if group_col and groups:
        for i, g in enumerate(groups):
            s = series[series[group_col] == g].set_index("period").reindex(periods)
            _plot_values(ax, months, s, 3.5, 1.8, _LINE_COLORS[i % len(_LINE_COLORS)], _short(g, 30))
        base = series.drop_duplicates("period").set_index("period").reindex(periods)
    else:
        base = series.set_index("period").reindex(periods)
        _plot_values(ax, months, base, 4, 2.2, SCENARIO_COLOR, T.IN_MONTH)
    ax.step(
        months,
        [_pct(v) for v in base["target"]],
        where="post",
        linestyle="--",
        linewidth=1.4,
        color=TARGET_COLOR,
        label=T.ROADMAP,
    )
    ax.set_xlim(0.5, 12.5)
    ax.set_xticks(range(1, 13), [fmt_month(f"{year}-{m:02d}", short=True) for m in range(1, 13)], fontsize=7)
    return _finish_trend(fig, ax)


def _finish_trend(fig: Figure, ax: Axes) -> bytes:
    """A trend chart's percent axis from 0, its legend under the plot, then :func:`_finish`."""
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(_PCT_AXIS)
    ax.tick_params(axis="y", labelsize=8)
    ax.legend(
        loc="upper center", bbox_to_anchor=(0.5, -0.1), fontsize=7, frameon=False, ncols=min(4, len(ax.lines))
    )
    return _finish(fig, ax, grid="y")
