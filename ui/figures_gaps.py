"""The gap figures of the pages: rows × KPIs heat map, one KPI's bars per group, and the what-if
shortfall comparison (data in, figure out; no streamlit)."""

from __future__ import annotations

from typing import cast

import pandas as pd
import plotly.graph_objects as go

from ui.figure_style import BASELINE_COLOR, SCENARIO_COLOR, TARGET_COLOR, layout, wrap_label
from ui.fmt import STATUS_COLORS, STATUS_LABELS
from ui.texts import directors as T
from vnfmt import fmt_int, fmt_number, fmt_pct, fmt_points, is_missing


def _cut(text: str, chars: int) -> str:
    """``text``, or its first ``chars`` − 1 characters and "…" when longer."""
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


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
                zr.append(None if is_missing(gap) else round(float(gap) * 100, 2))
                tr.append(
                    "–"
                    if is_missing(rec["value"])
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
            # upright headers on a phone are one line each (two would overlap the next column),
            # cut to fit the header band; the hover names the KPI whole
            x=[_cut(n, HEAT_LABEL_CHARS) if compact else wrap_label(n, 12) for n in names],
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
    return layout(
        fig,
        height=max(300, (34 if compact else 48) * len(rows) + top + 40),
        margin={"l": 4, "r": 4, "t": top, "b": 4},
    )


#: The longest KPI name shown whole on an upright heatmap header (a phone).
HEAT_LABEL_CHARS = 24
#: The longest group name shown whole on a bar chart's tick.
BAR_LABEL_CHARS = 32


def gap_bars(
    table: pd.DataFrame,
    *,
    group: str,
    kpi_label: str,
    group_labels: dict[str, str] | None = None,
    noun: str = T.DOSSIERS_NOUN,
) -> go.Figure:
    """Bars of one KPI's value per group (units or fields), sorted by gap, coloured by status; the
    shortfall counts ``noun`` (dossiers, or "TTHC" for a KPI counting procedures).

    The target is drawn per group as a marker line (groups may have their own target).
    """
    group_labels = group_labels or {}
    t = table.copy()
    t["_gap"] = pd.to_numeric(t["gap"], errors="coerce")
    t = t.sort_values("_gap", ascending=True, na_position="last")  # worst on top
    names = [group_labels.get(g, g) for g in t[group]]
    values = [None if is_missing(v) else float(v) * 100 for v in t["value"]]
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
            noun=noun,
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
    # a long field name is cut on its tick (the hover keeps it whole), so that the bars keep their
    # width on a phone; the right margin holds the value label of a bar at 100 %
    ticks = [_cut(n, BAR_LABEL_CHARS) for n in names]
    fig.update_yaxes(autorange="reversed", automargin=True, tickvals=names, ticktext=ticks)
    return layout(
        fig,
        height=max(240, 34 * len(names) + 100),
        showlegend=False,
        margin={"l": 4, "r": 36, "t": 20, "b": 4},
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
        vals = [None if is_missing(ser.get(g)) else int(cast(float, ser.get(g))) for g in groups]
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
    return layout(fig, height=380)
