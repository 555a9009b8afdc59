"""The print chart (PNG) of Xu hướng's quarter and year views: one KPI period by period, as
:func:`ui.print_charts.trend_png` draws the month view (same colours, fonts and number format)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.figure import Figure

from ui.figures import SCENARIO_COLOR, TARGET_COLOR
from ui.print_charts import _LINE_COLORS, _finish_trend, _pct, _plot_values, _short
from ui.texts import directors as T


def period_trend_png(
    series: pd.DataFrame, *, groups: Sequence[str] | None = None, group_col: str | None = None
) -> bytes:
    """One KPI period by period (a :func:`kpi.series.period_series` frame): the value (one line per group
    when comparing) and the target of each period's last month as a dashed step, periods named below."""
    order = series.drop_duplicates("period").sort_values("period_start", kind="stable")
    codes = order["period"].tolist()
    xs = list(range(1, len(codes) + 1))
    fig = Figure(figsize=(7.5, 2.8))
    ax = fig.add_subplot()
    if group_col and groups:
        for i, g in enumerate(groups):
            s = series[series[group_col] == g].drop_duplicates("period").set_index("period").reindex(codes)
            _plot_values(ax, xs, s, 3.5, 1.8, _LINE_COLORS[i % len(_LINE_COLORS)], _short(g, 30))
    else:
        base = order.set_index("period").reindex(codes)
        _plot_values(ax, xs, base, 4, 2.2, SCENARIO_COLOR, T.IN_PERIOD)
    targets = order.set_index("period").reindex(codes)["target"]
    ax.step(
        xs,
        [_pct(v) for v in targets],
        where="mid",
        linestyle="--",
        linewidth=1.4,
        color=TARGET_COLOR,
        label=T.PERIOD_TARGET,
    )
    ax.set_xlim(0.5, len(codes) + 0.5)
    ax.set_xticks(xs, [_short(str(n), 24) for n in order["period_name"]], fontsize=7)
    return _finish_trend(fig, ax)
