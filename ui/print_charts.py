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

from ui.figures import SCENARIO_COLOR, TARGET_COLOR
from ui.fmt import STATUS_COLORS
from ui.texts import directors as T
from vnfmt import fmt_month, fmt_number, fmt_pct, is_missing

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
    each group's target as a dark tick; the value written at the end of each bar."""
    labels = group_labels or {}
    t = table.assign(_g=pd.to_numeric(table["gap"], errors="coerce")).sort_values(
        "_g", na_position="last", kind="stable"
    )
    names = [_short(str(labels.get(g, g))) for g in t[group]]
    values = [_pct(v) for v in t["value"]]
    ys = list(range(len(names)))
    fig = Figure(figsize=(7.5, max(1.6, 0.3 * len(names) + 0.9)))
    ax = fig.add_subplot()
    ax.barh(
        ys,
        [0 if v != v else v for v in values],
        color=[STATUS_COLORS.get(s, "#9e9e9e") for s in t["status"]],
        height=0.65,
    )
    ax.scatter(
        [_pct(v) for v in t["target"]], ys, marker="|", s=260, linewidths=2.5, color=TARGET_COLOR, zorder=3
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
    ax.xaxis.set_major_formatter(_PCT_AXIS)
    ax.tick_params(axis="x", labelsize=8)
    return _finish(fig, ax, grid="x")


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
