"""The time figures of the pages: a KPI's trend over the year (or period by period: quarters, years) and
the cards' sparklines (no streamlit)."""

from __future__ import annotations

import html
import urllib.parse
from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go

from ui.figure_style import ROADMAP_COLOR, SCENARIO_COLOR, TARGET_COLOR, layout
from ui.texts import directors as T
from vnfmt import is_missing

#: A month on a date axis, the Vietnamese way (``T6/2024``), for ticks and hover labels.
MONTH_FORMAT = "T%-m/%Y"


def month_start(period: str) -> pd.Timestamp:
    """``2024-06`` → the first day of that month, where a month's point sits on a date axis."""
    return pd.Timestamp(f"{period}-01")


def _pct_points(values: Iterable[object]) -> list[float | None]:
    return [None if is_missing(v) else float(v) * 100 for v in values]  # type: ignore[arg-type]


def trend_lines(
    series: pd.DataFrame,
    *,
    label: str,
    projection: float | None = None,
    projection_note: str = "",
    groups: Sequence[str] | None = None,
    group_col: str | None = None,
) -> go.Figure:
    """Monthly value (and year-to-date cumulative) of one KPI with its target (roadmap) as a line,
    on a date axis spanning the year; ``projection`` (the December value) is drawn from the last
    month with figures to December, unless that month is December (nothing left to forecast).

    ``series`` has columns period, value, target, and optionally ytd_value and ``group_col``.
    """
    fig = go.Figure()
    periods = sorted(series["period"].unique())
    xs = [month_start(p) for p in periods]
    when = f"%{{x|{MONTH_FORMAT}}}"
    if group_col and groups:
        for g in groups:
            s = series[series[group_col] == g].set_index("period").reindex(periods)
            _add_line(fig, xs, _pct_points(s["value"]), g, f"{g}<br>{when}: %{{y:.1f}} %<extra></extra>")
        base = series.drop_duplicates("period").set_index("period").reindex(periods)
    else:
        base = series.set_index("period").reindex(periods)
        line = {"color": SCENARIO_COLOR, "width": 3}
        _add_line(fig, xs, _pct_points(base["value"]), T.IN_MONTH, T.IN_MONTH_HOVER.format(when=when), line)
        if "ytd_value" in base:
            line = {"color": "#00897b", "dash": "dot", "width": 2}
            hover = T.YTD_HOVER.format(when=when)
            _add_line(fig, xs, _pct_points(base["ytd_value"]), T.YTD, hover, line, mode="lines")
    roadmap = [float(v) * 100 for v in base["target"]]
    line = {"color": TARGET_COLOR, "dash": "dash", "shape": "hv"}
    _add_line(fig, xs, roadmap, T.ROADMAP, T.ROADMAP_HOVER.format(when=when), line, mode="lines")
    year = periods[-1][:4] if periods else None
    if projection is not None and not is_missing(projection) and year and periods[-1] != f"{year}-12":
        _add_line(
            fig,
            [xs[-1], month_start(f"{year}-12")],
            [_last(base), float(projection) * 100],
            T.PROJECTION,
            T.PROJECTION_HOVER.format(when=when, note=projection_note),
            {"color": ROADMAP_COLOR, "dash": "dot"},
        )
    fig.update_xaxes(type="date", tickformat=MONTH_FORMAT, hoverformat=MONTH_FORMAT, gridcolor="#eceff1")
    if year:  # the whole year, so that December (and the distance to it) sits where it belongs
        y = int(year)
        fig.update_xaxes(range=[pd.Timestamp(y - 1, 12, 16), pd.Timestamp(y, 12, 16)])
    fig.update_yaxes(title_text=label, ticksuffix=" %", rangemode="tozero", gridcolor="#eceff1")
    return layout(fig, height=360)


def period_lines(
    series: pd.DataFrame,
    *,
    label: str,
    groups: Sequence[str] | None = None,
    group_col: str | None = None,
) -> go.Figure:
    """One KPI period by period (a :func:`kpi.series.period_series` frame: quarters, half years, years):
    its value in each period and, dashed, the target of each period's last month; one point per period
    on an axis named by the periods (``Quý I/2024``…), oldest first.

    ``series`` has columns period, period_start, period_name, value, target, and optionally ``group_col``.
    """
    fig = go.Figure()
    order = series.drop_duplicates("period").sort_values("period_start", kind="stable")
    codes = order["period"].tolist()
    xs = order["period_name"].tolist()
    if group_col and groups:
        for g in groups:
            s = series[series[group_col] == g].drop_duplicates("period").set_index("period").reindex(codes)
            _add_line(fig, xs, _pct_points(s["value"]), g, f"{g}<br>%{{x}}: %{{y:.1f}} %<extra></extra>")
    else:
        base = series.drop_duplicates("period").set_index("period").reindex(codes)
        line = {"color": SCENARIO_COLOR, "width": 3}
        _add_line(fig, xs, _pct_points(base["value"]), T.IN_PERIOD, T.IN_PERIOD_HOVER, line)
    base = order.set_index("period").reindex(codes)
    line = {"color": TARGET_COLOR, "dash": "dash", "shape": "hv"}
    _add_line(
        fig, xs, _pct_points(base["target"]), T.PERIOD_TARGET, T.PERIOD_TARGET_HOVER, line, mode="lines"
    )
    fig.update_xaxes(type="category", gridcolor="#eceff1")
    fig.update_yaxes(title_text=label, ticksuffix=" %", rangemode="tozero", gridcolor="#eceff1")
    return layout(fig, height=360)


def _add_line(
    fig: go.Figure,
    xs: Sequence[object],
    ys: Sequence[float | None],
    name: str,
    hover: str,
    line: dict[str, object] | None = None,
    *,
    mode: str = "lines+markers",
) -> None:
    """One line of the trend figure (points in percent)."""
    fig.add_trace(go.Scatter(x=xs, y=ys, mode=mode, name=name, line=line, hovertemplate=hover))


def _last(base: pd.DataFrame) -> float | None:
    col = "ytd_value" if "ytd_value" in base else "value"
    vals = [v for v in base[col] if not is_missing(v)]
    return float(vals[-1]) * 100 if vals else None


def sparkline_svg(
    values: Sequence[float], color: str, *, height: int = 32, label: str = T.TREND_LABEL
) -> str:
    """A small inline SVG line of ``values`` (at least two) in ``color``, as wide as its container,
    named by ``label`` (``aria-label`` and ``<title>``); ``""`` for fewer than two values."""
    vals = [float(v) for v in values if not is_missing(v)]
    if len(vals) < 2:
        return ""
    lo, hi = min(vals), max(vals)
    span = hi - lo
    pad = 3
    pts = " ".join(
        f"{i * 100 / (len(vals) - 1):.2f},"
        f"{(height / 2 if span == 0 else pad + (hi - v) / span * (height - 2 * pad)):.2f}"
        for i, v in enumerate(vals)
    )
    name = html.escape(label, quote=True)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kpi-spark" role="img" aria-label="{name}" '
        f'width="100%" height="{height}" viewBox="0 0 100 {height}" preserveAspectRatio="none">'
        f'<title>{name}</title><polyline points="{pts}" fill="none" stroke="{color}" stroke-width="2" '
        f'stroke-linejoin="round" vector-effect="non-scaling-stroke"/></svg>'
    )


def sparkline_img(
    values: Sequence[float], color: str, *, height: int = 32, label: str = T.TREND_LABEL
) -> str:
    """:func:`sparkline_svg` as an ``<img>`` (a data URI) with ``label`` as its text alternative: st.html
    keeps HTML only (its sanitizer drops inline SVG); ``""`` for fewer than two values."""
    svg = sparkline_svg(values, color, height=height, label=label)
    if not svg:
        return ""
    src = "data:image/svg+xml," + urllib.parse.quote(svg, safe=" =:/,.")
    return (
        f'<img class="kpi-spark" src="{html.escape(src, quote=True)}" alt="{html.escape(label, quote=True)}">'
    )
