"""Plotly figure builders: data in, figure out (no streamlit; tested on the returned figure)."""

from __future__ import annotations

import html
import math
import urllib.parse
from collections.abc import Iterable, Sequence
from typing import cast

import pandas as pd
import plotly.graph_objects as go

from ui.fmt import STATUS_COLORS, STATUS_LABELS
from ui.texts import directors as T
from vnfmt import fmt_int, fmt_number, fmt_pct, fmt_points

FONT = "Inter, Segoe UI, Roboto, Arial, sans-serif"
TARGET_COLOR = "#37474f"
ROADMAP_COLOR = "#6a1b9a"
BASELINE_COLOR = "#90a4ae"
SCENARIO_COLOR = "#1f5fa8"


def _layout(fig: go.Figure, height: int, **kw: object) -> go.Figure:
    kw.setdefault("margin", {"l": 10, "r": 10, "t": 40, "b": 10})
    fig.update_layout(
        height=height,
        font={"family": FONT, "size": 13},
        separators=",.",  # Vietnamese: decimal comma, dot for thousands
        hoverlabel={"font_family": FONT},
        plot_bgcolor="white",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        **kw,
    )
    return fig


def _nan(x: object) -> bool:
    try:
        return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))
    except TypeError:
        return True


def wrap_label(text: str, width: int = 13) -> str:
    """Break a long label into lines of about ``width`` characters (``<br>`` for plotly)."""
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        lines.append(line)
    return "<br>".join(lines)


def gap_heatmap(
    table: pd.DataFrame,
    *,
    row: str = "unit",
    labels: dict[str, str] | None = None,
    row_labels: dict[str, str] | None = None,
    hover_labels: dict[str, str] | None = None,
    compact: bool = False,
) -> go.Figure:
    """Rows (units or fields) × KPIs, coloured by gap in points, each cell showing the value.

    ``table`` has columns ``row``, kpi, value, target, gap, shortfall, status (one line per pair).
    ``labels`` name the KPI columns (short labels, wrapped), ``hover_labels`` the KPI in the hover
    (full labels; default ``labels``). ``compact`` (a phone): headers turned upright, whole percents
    in the cells and no colour bar, so that every value fits a column 30 px wide.
    """
    labels = labels or {}
    hover_labels = hover_labels or labels
    row_labels = row_labels or {}
    kpis = list(dict.fromkeys(table["kpi"]))
    rows = list(dict.fromkeys(table[row]))
    idx = table.set_index([row, "kpi"])
    z, text, hover = [], [], []
    for r in rows:
        zr, tr, hr = [], [], []
        for k in kpis:
            if (r, k) in idx.index:
                rec = idx.loc[(r, k)]
                gap = rec["gap"]
                zr.append(None if _nan(gap) else round(float(gap) * 100, 2))
                tr.append(
                    "–"
                    if _nan(rec["value"])
                    else fmt_number(float(rec["value"]) * 100, 0)
                    if compact
                    else fmt_pct(rec["value"])
                )
                hr.append(
                    T.HEATMAP_HOVER.format(
                        row=row_labels.get(r, r),
                        kpi=hover_labels.get(k, k),
                        value=fmt_pct(rec["value"]),
                        target=fmt_pct(rec["target"]),
                        gap=fmt_points(gap),
                        shortfall=fmt_int(rec["shortfall"]),
                        status=STATUS_LABELS.get(rec["status"], rec["status"]),
                    )
                )
            else:
                zr.append(None)
                tr.append("")
                hr.append("")
        z.append(zr)
        text.append(tr)
        hover.append(hr)
    finite = [abs(v) for zr in z for v in zr if v is not None]
    bound = max(finite) if finite else 10.0
    bound = max(bound, 5.0)
    names = [labels.get(k, k) for k in kpis]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[wrap_label(n, 18 if compact else 12) for n in names],
            y=[row_labels.get(r, r) for r in rows],
            text=text,
            texttemplate="%{text}",
            textfont={"size": 11 if compact else 13},
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            colorscale=[
                [0, "#c62828"],
                [0.45, "#ffcdd2"],
                [0.5, "#fafafa"],
                [0.55, "#c8e6c9"],
                [1, "#2e7d32"],
            ],
            zmin=-bound,
            zmax=bound,
            zmid=0,
            xgap=2,
            ygap=2,
            showscale=not compact,
            colorbar={"title": {"text": T.HEATMAP_SCALE}, "ticksuffix": ""},
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(
        side="top", tickangle=-90 if compact else 0, automargin=True, tickfont={"size": 11 if compact else 12}
    )
    lines = max((n.count("<br>") + 1 for n in fig.data[0].x), default=1)
    top = 150 if compact else 20 + 16 * lines
    return _layout(
        fig,
        height=max(300, (34 if compact else 48) * len(rows) + top + 40),
        margin={"l": 4, "r": 4, "t": top, "b": 4},
    )


def gap_bars(
    table: pd.DataFrame, *, group: str, kpi_label: str, group_labels: dict[str, str] | None = None
) -> go.Figure:
    """Bars of one KPI's value per group (units or fields), sorted by gap, coloured by status.

    The target is drawn per group as a marker line (groups may have their own target).
    """
    group_labels = group_labels or {}
    t = table.copy()
    t["_gap"] = pd.to_numeric(t["gap"], errors="coerce")
    t = t.sort_values("_gap", ascending=True, na_position="last")  # worst on top
    names = [group_labels.get(g, g) for g in t[group]]
    values = [None if _nan(v) else float(v) * 100 for v in t["value"]]
    hover = [
        T.BARS_HOVER.format(
            name=n,
            kpi=kpi_label,
            value=fmt_pct(r.value),
            numerator=fmt_int(r.numerator),
            denominator=fmt_int(r.denominator),
            target=fmt_pct(r.target),
            gap=fmt_points(r.gap),
            shortfall=fmt_int(r.shortfall),
            status=STATUS_LABELS.get(str(r.status), r.status),
        )
        for n, r in zip(names, t.itertuples(), strict=True)
    ]
    targets = [float(x) * 100 for x in t["target"]]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=names,
            x=values,
            orientation="h",
            name=kpi_label,
            marker_color=[STATUS_COLORS.get(s, "#9e9e9e") for s in t["status"]],
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    # one target mark per bar; the value label sits right of both the bar and its mark, never on it
    fig.add_trace(
        go.Scatter(
            y=names,
            x=targets,
            mode="markers",
            name=T.TARGET,
            marker={
                "symbol": "line-ns-open",
                "size": 20,
                "color": TARGET_COLOR,
                "line": {"width": 3, "color": TARGET_COLOR},
            },
            hovertemplate=T.TARGET_HOVER,
        )
    )
    fig.add_trace(
        go.Scatter(
            y=names,
            x=[max(v or 0.0, tg) + 2 for v, tg in zip(values, targets, strict=True)],
            mode="text",
            text=[fmt_pct(v) for v in t["value"]],
            textposition="middle right",
            cliponaxis=False,
            hoverinfo="skip",
            name=T.VALUE,
        )
    )
    fig.update_xaxes(
        title_text=T.BARS_AXIS,
        range=[0, 125],
        ticksuffix=" %",
        tickvals=[0, 25, 50, 75, 100],
        gridcolor="#eceff1",
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _layout(
        fig,
        height=max(240, 34 * len(names) + 100),
        showlegend=False,
        margin={"l": 4, "r": 8, "t": 20, "b": 4},
    )


#: A month on a date axis, the Vietnamese way (``T6/2024``), for ticks and hover labels.
MONTH_FORMAT = "T%-m/%Y"


def month_start(period: str) -> pd.Timestamp:
    """``2024-06`` → the first day of that month, where a month's point sits on a date axis."""
    return pd.Timestamp(f"{period}-01")


def _pct_points(values: Iterable[object]) -> list[float | None]:
    return [None if _nan(v) else float(v) * 100 for v in values]  # type: ignore[arg-type]


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
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=_pct_points(s["value"]),
                    mode="lines+markers",
                    name=g,
                    hovertemplate=f"{g}<br>{when}: %{{y:.1f}} %<extra></extra>",
                )
            )
        base = series.drop_duplicates("period").set_index("period").reindex(periods)
    else:
        base = series.set_index("period").reindex(periods)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=_pct_points(base["value"]),
                mode="lines+markers",
                name=T.IN_MONTH,
                line={"color": SCENARIO_COLOR, "width": 3},
                hovertemplate=T.IN_MONTH_HOVER.format(when=when),
            )
        )
        if "ytd_value" in base:
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=_pct_points(base["ytd_value"]),
                    mode="lines",
                    name=T.YTD,
                    line={"color": "#00897b", "dash": "dot", "width": 2},
                    hovertemplate=T.YTD_HOVER.format(when=when),
                )
            )
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=[float(v) * 100 for v in base["target"]],
            mode="lines",
            name=T.ROADMAP,
            line={"color": TARGET_COLOR, "dash": "dash", "shape": "hv"},
            hovertemplate=T.ROADMAP_HOVER.format(when=when),
        )
    )
    year = periods[-1][:4] if periods else None
    if projection is not None and not _nan(projection) and year and periods[-1] != f"{year}-12":
        fig.add_trace(
            go.Scatter(
                x=[xs[-1], month_start(f"{year}-12")],
                y=[_last(base), float(projection) * 100],
                mode="lines+markers",
                name=T.PROJECTION,
                line={"color": ROADMAP_COLOR, "dash": "dot"},
                hovertemplate=T.PROJECTION_HOVER.format(when=when, note=projection_note),
            )
        )
    fig.update_xaxes(type="date", tickformat=MONTH_FORMAT, hoverformat=MONTH_FORMAT, gridcolor="#eceff1")
    if year:  # the whole year, so that December (and the distance to it) sits where it belongs
        y = int(year)
        fig.update_xaxes(range=[pd.Timestamp(y - 1, 12, 16), pd.Timestamp(y, 12, 16)])
    fig.update_yaxes(title_text=label, ticksuffix=" %", rangemode="tozero", gridcolor="#eceff1")
    return _layout(fig, height=360)


def _last(base: pd.DataFrame) -> float | None:
    col = "ytd_value" if "ytd_value" in base else "value"
    vals = [v for v in base[col] if not _nan(v)]
    return float(vals[-1]) * 100 if vals else None


def sparkline_svg(
    values: Sequence[float], color: str, *, height: int = 32, label: str = T.TREND_LABEL
) -> str:
    """A small inline SVG line of ``values`` (at least two) in ``color``, as wide as its container,
    named by ``label`` (``aria-label`` and ``<title>``); ``""`` for fewer than two values."""
    vals = [float(v) for v in values if not _nan(v)]
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


def shortfall_compare(baseline: pd.DataFrame, scenario: pd.DataFrame, *, group: str, label: str) -> go.Figure:
    """Shortfall in dossiers per group: plan targets vs the what-if scenario, side by side."""
    b = baseline.set_index(group)["shortfall"]
    s = scenario.set_index(group)["shortfall"]
    groups = list(dict.fromkeys([*s.sort_values(ascending=False).index, *b.index]))
    fig = go.Figure()
    for name, ser, color in (
        (T.PLAN_SHORTFALL, b, BASELINE_COLOR),
        (T.SCENARIO_SHORTFALL, s, SCENARIO_COLOR),
    ):
        vals = [None if _nan(ser.get(g)) else int(cast(float, ser.get(g))) for g in groups]
        fig.add_trace(
            go.Bar(
                x=groups,
                y=vals,
                name=name,
                marker_color=color,
                text=[fmt_int(v) for v in vals],
                textposition="outside",
                hovertemplate=T.SHORTFALL_HOVER.format(name=name),
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text=T.SHORTFALL_AXIS.format(label=label), gridcolor="#eceff1")
    return _layout(fig, height=380)
