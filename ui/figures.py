"""Plotly figure builders: data in, figure out (no streamlit; tested on the returned figure).

Split by concern: :mod:`ui.figure_style` (font, colours, layout), :mod:`ui.figures_gaps` (heat map, bars,
what-if shortfall comparison) and :mod:`ui.figures_trends` (trend lines, sparklines); every name is
importable from here as before.
"""

from __future__ import annotations

from ui.figure_style import (
    BASELINE_COLOR,
    FONT,
    ROADMAP_COLOR,
    SCENARIO_COLOR,
    TARGET_COLOR,
    wrap_label,
)
from ui.figures_gaps import gap_bars, gap_heatmap, shortfall_compare
from ui.figures_trends import MONTH_FORMAT, month_start, sparkline_img, sparkline_svg, trend_lines

__all__ = [
    "BASELINE_COLOR",
    "FONT",
    "MONTH_FORMAT",
    "ROADMAP_COLOR",
    "SCENARIO_COLOR",
    "TARGET_COLOR",
    "gap_bars",
    "gap_heatmap",
    "month_start",
    "shortfall_compare",
    "sparkline_img",
    "sparkline_svg",
    "trend_lines",
    "wrap_label",
]
