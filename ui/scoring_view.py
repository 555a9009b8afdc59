"""The page "Điểm đánh giá": the points of the PAR index and the 766 index from the department's figures
(:mod:`kpi.scoring`), per framework, per criterion and per unit, with the next step in dossiers.

Pure helpers (tested on their return values): :func:`fmt_score`, :func:`framework_period`,
:func:`step_text`, :func:`criterion_frame`, :func:`total_lines`, :func:`best_step`,
:func:`best_step_sentence`, :func:`lost_heatmap` (a plotly figure), :func:`official_frame`,
:func:`target_points`. The ``show_*`` functions draw them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, cast

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from data_access.official_scores import GROUP_CRITERIA, GROUP_MAX, SIX_GROUPS, TOTAL
from data_access.texts.official_scores import GROUP_NAMES
from kpi.periods import Period, as_period
from kpi.plan import Plan
from kpi.scoring import Framework, Scoring, score
from kpi.texts import SCORE_REASONS
from ui.figure_style import layout, wrap_label
from ui.md import md_escape
from ui.table_view import TableColumn, show_table
from ui.texts import scores as T
from vnfmt import MISSING, SCORE_DIGITS, fmt_int, fmt_pct, fmt_score, is_missing

#: Points as the scoreboards print them: at most two decimals (1,46; 0,05; 2,5).
POINT_DIGITS = SCORE_DIGITS
CHART_CONFIG = {"displayModeBar": False}


def framework_period(framework: Framework, period: Period) -> Period:
    """The period a framework is shown for: a yearly framework (``period = "year"``) the year to date
    through the chosen period's last month, any other the chosen period itself."""
    return as_period(period.end, ytd=True) if framework.period == "year" else period


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return cast(list[dict[str, Any]], frame.to_dict("records"))


def _gain(row: Mapping[str, Any]) -> float:
    return float(row["next_points"]) - float(row["points"])


def step_text(row: Mapping[str, Any], compact: bool = False) -> str:
    """The next step of a :func:`kpi.scoring.score_table` row: ``thêm 517 hồ sơ → +0,04 điểm``
    (``compact``, a phone: ``thêm 517 → +0,04 điểm``), ``đã đủ điểm``, or why there are no points
    (``chưa có số liệu``…)."""
    if isinstance(row.get("reason"), str):
        return SCORE_REASONS[str(row["reason"])]
    if is_missing(row["to_next"]) or is_missing(row["next_points"]):
        return T.FULL
    step = T.NEXT_STEP_SHORT if compact else T.NEXT_STEP
    return step.format(n=fmt_int(row["to_next"]), noun=row["noun"], gain=fmt_score(_gain(row)))


#: The criteria table's columns (a phone keeps the criterion, the points and the next step).
CRITERION_COLUMNS = (
    TableColumn("label", T.COLUMNS["label"], width=300, fit=True, help=T.HELP["label"], phone_width=120),
    TableColumn("value", T.COLUMNS["value"], "percent", width=70, help=T.HELP["value"], essential=False),
    TableColumn("points", T.COLUMNS["points"], width=100, help=T.HELP["points"], phone_width=80),
    TableColumn("next", T.COLUMNS["next"], width=340, help=T.HELP["next"], phone_width=146),
    TableColumn("counts", T.COLUMNS["counts"], width=125, essential=False),
)


def criterion_frame(table: pd.DataFrame, compact: bool = False) -> pd.DataFrame:
    """The rows of a department :func:`~kpi.scoring.score_table` as :data:`CRITERION_COLUMNS` show them:
    the ratio a number, the points as text (``1,46 / 1,5``; ``– / 0,1`` without a value), the next step
    (:func:`step_text`, short on a phone: ``compact``) and the counts; an estimate's label says so."""
    records = _records(table)
    return pd.DataFrame(
        {
            "label": [
                r["label"] if r["exact"] else T.LABEL_ESTIMATE.format(label=r["label"]) for r in records
            ],
            "value": pd.array([None if is_missing(r["value"]) else r["value"] for r in records], "Float64"),
            "points": [
                T.POINTS_OF.format(points=fmt_score(r["points"]), max=fmt_score(r["max"])) for r in records
            ],
            "next": [step_text(r, compact) for r in records],
            "counts": [
                ""
                if is_missing(r["denominator"])
                else f"{fmt_int(r['numerator'])} / {fmt_int(r['denominator'])}"
                for r in records
            ],
        }
    )


def total_lines(table: pd.DataFrame, framework: Framework, head: str) -> list[str]:
    """The lines under a framework's title: the points the figures give / their max, the criteria
    without points (with theirs and why), and the parts the figures cannot give (with their points)."""
    has = table["points"].notna()
    lines = []
    if has.any():
        points, most = float(table.loc[has, "points"].sum()), float(table.loc[has, "max"].sum())
        lines.append(
            T.TOTAL.format(
                head=md_escape(head),
                points=fmt_score(points),
                max=fmt_score(most),
                lost=fmt_score(most - points),
            )
        )
    else:
        lines.append(T.TOTAL_NONE.format(head=md_escape(head)))
    missing = _records(table[~has])
    if missing:
        items = "; ".join(
            T.MISSING_ITEM.format(
                label=md_escape(r["label"]), max=fmt_score(r["max"]), reason=SCORE_REASONS[str(r["reason"])]
            )
            for r in missing
        )
        lines.append(T.MISSING.format(items=items, max=fmt_score(sum(float(r["max"]) for r in missing))))
    if framework.not_computed:
        items = "; ".join(
            T.NOT_FROM_FIGURES_ITEM.format(label=md_escape(n.label), max=fmt_score(float(n.max)))
            for n in framework.not_computed
        )
        total = float(sum((n.max for n in framework.not_computed), Fraction(0)))
        lines.append(T.NOT_FROM_FIGURES.format(items=items, max=fmt_score(total)))
    return lines


def unit_rows(by_unit: pd.DataFrame, unit: str) -> pd.DataFrame:
    """One unit's rows of a per-unit :func:`~kpi.scoring.score_table`, without the ``unit`` column (the
    shape of the department's table)."""
    return by_unit[by_unit["unit"] == unit].drop(columns="unit").reset_index(drop=True)


def best_step(table: pd.DataFrame) -> dict[str, Any] | None:
    """The row of a :func:`~kpi.scoring.score_table` (the department's, or one unit's) whose next step
    brings the most points per dossier (ties: more points, then fewer dossiers), with its ``gain``;
    ``None`` when no row has one."""
    ok = table["to_next"].notna() & table["next_points"].notna() & table["points"].notna()
    best: dict[str, Any] | None = None
    best_key: tuple[float, float, int] | None = None
    for r in _records(table[ok]):
        n = int(r["to_next"])
        gain = _gain(r)
        if n <= 0 or gain <= 0:
            continue
        key = (gain / n, gain, -n)
        if best_key is None or key > best_key:
            best, best_key = {**r, "gain": gain}, key
    return best


def where_most(by_unit: pd.DataFrame, step: Mapping[str, Any] | None) -> tuple[str, int] | None:
    """The unit of a per-unit :func:`~kpi.scoring.score_table` furthest below ``step``'s threshold
    (``next_from``) on the same criterion, with the dossiers it lacks to reach it:
    ⌈next_from × denominator − numerator⌉, exact (no float trap); ``None`` when no unit is below it."""
    if step is None or is_missing(step.get("next_from")):
        return None
    threshold = Fraction(str(step["next_from"]))
    rows = by_unit[(by_unit["criterion"] == step["criterion"]) & by_unit["denominator"].notna()]
    best: tuple[str, int] | None = None
    for r in _records(rows):
        if is_missing(r["numerator"]):
            continue
        lack = math.ceil(threshold * int(r["denominator"]) - int(r["numerator"]))
        if lack > 0 and (best is None or lack > best[1] or (lack == best[1] and str(r["unit"]) < best[0])):
            best = (str(r["unit"]), lack)
    return best


def best_step_sentence(
    step: Mapping[str, Any] | None,
    framework: str,
    unit_names: Mapping[str, str],
    most: tuple[str, int] | None = None,
) -> str:
    """``Có thể thêm 0,1 điểm CCHC nếu thêm 1.063 hồ sơ … Thiếu nhiều nhất ở Phòng X: …``, from
    :func:`best_step` on the department's (or the chosen unit's) table and :func:`where_most`."""
    short = T.FRAMEWORK_SHORT.get(framework, framework)
    if step is None:
        return T.NO_STEP.format(framework=short)
    noun = md_escape(step["noun"])
    text = T.BEST_STEP.format(
        points=fmt_score(step["gain"]),
        framework=short,
        n=fmt_int(step["to_next"]),
        noun=noun,
        label=md_escape(step["label"]),
        value=fmt_pct(step["value"]),
        next_from=fmt_pct(step["next_from"]),
    )
    if most is not None:
        unit, lack = most
        text += T.BEST_STEP_WHERE.format(
            unit=md_escape(unit_names.get(unit, unit)),
            n=fmt_int(lack),
            noun=noun,
            next_from=fmt_pct(step["next_from"]),
        )
    return text


def lost_heatmap(
    unit_table: pd.DataFrame, *, row_labels: Mapping[str, str] | None = None, compact: bool = False
) -> go.Figure:
    """Units × criteria of a per-unit :func:`~kpi.scoring.score_table`, coloured by the points lost
    (white: none lost, dark red: the most), each cell showing them; a criterion no unit has points for
    is left out, a unit without a value for a criterion is an empty cell. ``compact``: a phone."""
    row_labels = row_labels or {}
    criteria = _scored_criteria(unit_table)
    units = sorted({str(u) for u in unit_table["unit"].dropna()}, key=lambda u: row_labels.get(u, u))
    idx = {(str(r["unit"]), str(r["criterion"])): r for r in _records(unit_table)}
    labels = {str(r["criterion"]): str(r["label"]) for r in _records(unit_table)}
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    hover: list[list[str]] = []
    for u in units:
        zr: list[float | None] = []
        tr: list[str] = []
        hr: list[str] = []
        for c in criteria:
            r = idx.get((u, c))
            if r is None or is_missing(r["lost"]):
                zr.append(None)
                tr.append("")
                hr.append("" if r is None else f"{row_labels.get(u, u)}<br>{labels[c]}<br>{step_text(r)}")
                continue
            zr.append(round(float(r["lost"]), 4))
            tr.append(fmt_score(r["lost"]))
            hr.append(
                T.HEAT_HOVER.format(
                    unit=row_labels.get(u, u),
                    label=labels[c],
                    value=fmt_pct(r["value"]),
                    points=fmt_score(r["points"]),
                    max=fmt_score(r["max"]),
                    lost=fmt_score(r["lost"]),
                    next=step_text(r),
                )
            )
        z.append(zr)
        text.append(tr)
        hover.append(hr)
    finite = [v for zr in z for v in zr if v is not None]
    top_value = max(finite, default=0.0) or 1.0
    fig = go.Figure(
        go.Heatmap(
            z=z,
            # a phone has no room for the criteria's names across the top: numbered, the key below
            x=[f"({i})" for i, _ in enumerate(criteria, 1)]
            if compact
            else [wrap_label(labels[c], 14) for c in criteria],
            y=[row_labels.get(u, u) for u in units],
            text=text,
            texttemplate="%{text}",
            textfont={"size": 11 if compact else 13},
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            colorscale=[[0, "#fafafa"], [0.5, "#ef9a9a"], [1, "#b71c1c"]],
            zmin=0,
            zmax=top_value,
            xgap=2,
            ygap=2,
            showscale=not compact,
            colorbar={"title": {"text": T.HEAT_SCALE}},
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(side="top", automargin=True, tickfont={"size": 10 if compact else 12})
    lines = max((str(x).count("<br>") + 1 for x in fig.data[0].x), default=1)
    top = 16 * lines + 20
    return layout(
        fig,
        height=max(260, (34 if compact else 44) * len(units) + top + 30),
        margin={"l": 4, "r": 4, "t": top, "b": 4},
    )


# ---------------------------------------------------------------------------- official 766 scores

#: The official table's columns: texts (a group without an estimate reads "không tính được").
OFFICIAL_COLUMNS = (
    TableColumn("group", T.OFFICIAL_COLUMNS["group"], width=200, fit=True),
    TableColumn("estimate", T.OFFICIAL_COLUMNS["estimate"], width=130, help=T.OFFICIAL_HELP["estimate"]),
    TableColumn("official", T.OFFICIAL_COLUMNS["official"], width=100),
    TableColumn(
        "difference", T.OFFICIAL_COLUMNS["difference"], width=100, help=T.OFFICIAL_HELP["difference"]
    ),
    TableColumn("rank", T.OFFICIAL_COLUMNS["rank"], "int", width=80, essential=False),
)


def official_frame(table: pd.DataFrame, official: pd.DataFrame) -> pd.DataFrame:
    """The estimate beside the published score, per 766 group and the total, never summed into one.

    ``table``: the department's 766 :func:`~kpi.scoring.score_table`; ``official``: the published scores
    of the same period (:func:`data_access.official_scores.official_scores`). A group's estimate is the
    sum of the points of its criteria (:data:`~data_access.official_scores.GROUP_CRITERIA`) that have
    points, out of their max (``estimate_max``: part of the group's ``max`` when the figures give only
    part of it); a group with no criterion with points has no estimate. The total's estimate is the sum
    of every criterion with points. ``difference`` = published − estimate, where both exist.

    Columns ``group_code, group, estimate, estimate_max, official, max, difference, rank``."""
    points = {str(r["criterion"]): r for r in _records(table) if not is_missing(r["points"])}
    published = {str(r["group_code"]): r for r in _records(official)}
    rows = []
    for code in (*SIX_GROUPS, TOTAL):
        crits = list(points) if code == TOTAL else [c for c in GROUP_CRITERIA.get(code, ()) if c in points]
        est = sum(float(points[c]["points"]) for c in crits) if crits else None
        est_max = sum(float(points[c]["max"]) for c in crits) if crits else None
        pub = published.get(code)
        off = None if pub is None or is_missing(pub["points"]) else float(pub["points"])
        rank = None if pub is None or is_missing(pub["rank"]) else int(pub["rank"])
        rows.append(
            {
                "group_code": code,
                "group": str(pub["group_name"]) if pub is not None else GROUP_NAMES.get(code, code),
                "estimate": est,
                "estimate_max": est_max,
                "official": off,
                "max": GROUP_MAX[code],
                "difference": None if est is None or off is None else off - est,
                "rank": rank,
            }
        )
    cols = ["group_code", "group", "estimate", "estimate_max", "official", "max", "difference", "rank"]
    out = pd.DataFrame(rows, columns=cols)
    for col in ("estimate", "estimate_max", "official", "max", "difference"):
        out[col] = pd.array(out[col].tolist(), dtype="Float64")
    out["rank"] = pd.array(out["rank"].tolist(), dtype="Int64")
    return out


# ---------------------------------------------------------------------------- what-if points


def target_points(
    plan: Plan, scoring: Scoring, table: pd.DataFrame, *, framework: str | None = None
) -> pd.DataFrame:
    """For each criterion (of ``framework``, when given) whose ``kpi`` is a KPI of ``table`` (a KPI table
    under the targets chosen, :func:`kpi.engine.evaluate`, one row per KPI): the target, the dossiers to
    it (``shortfall``) and the points now and with those dossiers (the numerator plus the shortfall, the
    denominator kept: targets do not change points, figures do).

    Columns ``criterion, label, kpi, target, value, shortfall, points, points_at, gain, max, noun``."""
    by_kpi = {str(r["kpi"]): r for r in _records(table)}
    rows = []
    for c in scoring.of(framework):
        if c.kpi is None or c.kpi not in plan.kpis or c.kpi not in by_kpi:
            continue
        r = by_kpi[c.kpi]
        num = None if is_missing(r["numerator"]) else int(r["numerator"])
        den = None if is_missing(r["denominator"]) else int(r["denominator"])
        short = None if is_missing(r["shortfall"]) else int(r["shortfall"])
        now = score(c, num, den)
        at = score(c, None if num is None or short is None else num + short, den)
        points = None if now.points is None else float(now.points)
        points_at = None if at.points is None else float(at.points)
        rows.append(
            {
                "criterion": c.id,
                "label": c.label,
                "kpi": c.kpi,
                "target": float(r["target"]),
                "value": None if now.value is None else float(now.value),
                "shortfall": short,
                "points": points,
                "points_at": points_at,
                "gain": None if points is None or points_at is None else points_at - points,
                "max": float(c.max),
                "noun": c.noun or plan.kpis[c.kpi].noun,
            }
        )
    cols = [
        "criterion",
        "label",
        "kpi",
        "target",
        "value",
        "shortfall",
        "points",
        "points_at",
        "gain",
        "max",
        "noun",
    ]
    out = pd.DataFrame(rows, columns=cols)
    out["shortfall"] = pd.array(out["shortfall"].tolist(), dtype="Int64")
    for col in ("target", "value", "points", "points_at", "gain", "max"):
        out[col] = pd.array(out[col].tolist(), dtype="Float64")
    return out


WHATIF_COLUMNS = (
    TableColumn("label", T.WHATIF_COLUMNS["label"], width=230, fit=True),
    TableColumn("target", T.WHATIF_COLUMNS["target"], "percent", width=80, essential=False),
    TableColumn("value", T.WHATIF_COLUMNS["value"], "percent", width=80, essential=False),
    TableColumn("shortfall", T.WHATIF_COLUMNS["shortfall"], "int", width=90, help=T.WHATIF_HELP["shortfall"]),
    TableColumn("points", T.WHATIF_COLUMNS["points"], "number", width=100, essential=False),
    TableColumn(
        "points_at", T.WHATIF_COLUMNS["points_at"], "number", width=100, help=T.WHATIF_HELP["points_at"]
    ),
    TableColumn("gain", T.WHATIF_COLUMNS["gain"], "number", width=70),
)


def _score_texts(frame: pd.DataFrame, cols: Sequence[str], with_max: Sequence[str] = ()) -> pd.DataFrame:
    data = {}
    for col in cols:
        data[col] = [
            T.POINTS_OF.format(points=fmt_score(v), max=fmt_score(m)) if col in with_max else fmt_score(v)
            for v, m in zip(frame[col].tolist(), frame["max"].tolist(), strict=True)
        ]
    return pd.DataFrame(data, index=frame.index)


# ---------------------------------------------------------------------------- drawing


def show_framework(
    table: pd.DataFrame, framework: Framework, *, head: str, span: str, key: str, compact: bool = False
) -> None:
    """One framework for the department (or the unit chosen): its title and period, the total lines,
    the criteria as rows."""
    st.subheader(T.SPAN.format(name=framework.name, span=span))
    for line in total_lines(table, framework, head):
        st.markdown(line)
    show_table(criterion_frame(table, compact), CRITERION_COLUMNS, key=key, compact=compact)


def show_by_unit(unit_table: pd.DataFrame, *, row_labels: Mapping[str, str], compact: bool, key: str) -> None:
    """The points lost per unit and criterion, as a heat map."""
    st.markdown(f"**{T.BY_UNIT}**")
    if unit_table.empty or not unit_table["points"].notna().any():
        st.caption(T.NO_UNITS)
        return
    st.plotly_chart(
        lost_heatmap(unit_table, row_labels=row_labels, compact=compact), key=key, config=CHART_CONFIG
    )
    if compact:  # the numbered columns' key
        st.caption(heatmap_key(unit_table))
    st.caption(T.BY_UNIT_NOTE)


def _scored_criteria(unit_table: pd.DataFrame) -> list[str]:
    """The criteria some unit has points for, in file order (the heat map's columns)."""
    scored = unit_table.groupby("criterion", sort=False)["points"].apply(lambda s: s.notna().any())
    return [str(c) for c, ok in scored.items() if ok]


def heatmap_key(unit_table: pd.DataFrame) -> str:
    """What the phone's numbered columns of :func:`lost_heatmap` are: ``(1) Kết quả…; (2) …``."""
    labels = {str(r["criterion"]): str(r["label"]) for r in _records(unit_table)}
    criteria = _scored_criteria(unit_table)
    return "; ".join(T.HEATMAP_KEY_ITEM.format(n=i, label=labels[c]) for i, c in enumerate(criteria, 1))


def official_texts(frame: pd.DataFrame) -> pd.DataFrame:
    """How :func:`official_frame`'s cells read: ``30,71 / 36`` (the estimate out of what it covers),
    ``72,5 / 100``, ``+1,2``; a group without an estimate reads "không tính được"."""
    records = _records(frame)
    return pd.DataFrame(
        {
            "estimate": [
                T.OFFICIAL_NOT_ESTIMATED
                if is_missing(r["estimate"])
                else T.POINTS_OF.format(points=fmt_score(r["estimate"]), max=fmt_score(r["estimate_max"]))
                for r in records
            ],
            "official": [
                MISSING
                if is_missing(r["official"])
                else T.POINTS_OF.format(points=fmt_score(r["official"]), max=fmt_score(r["max"]))
                for r in records
            ],
            "difference": [_signed(r["difference"]) for r in records],
        },
        index=frame.index,
    )


def show_official(frame: pd.DataFrame, *, period: str, key: str) -> None:
    """The estimate and the published score per 766 group, side by side with the difference."""
    st.markdown(f"**{T.OFFICIAL}**")
    if frame["official"].isna().all() and frame["rank"].isna().all():
        st.caption(T.OFFICIAL_NONE.format(period=period))
        return
    show_table(frame.assign(**official_texts(frame)), OFFICIAL_COLUMNS, key=key)
    st.caption(T.OFFICIAL_NOTE.format(period=period))


def _signed(x: object) -> str:
    if is_missing(x):
        return MISSING
    text = fmt_score(x)
    return text if text.startswith("-") or text == "0" else f"+{text}"


def show_target_points(points: pd.DataFrame, *, scope: str, period: str, key: str) -> None:
    """The what-if page's points section: per criterion, the dossiers to the chosen target and the points."""
    st.subheader(T.WHATIF_POINTS)
    if points.empty:
        st.caption(T.WHATIF_NONE)
        return
    texts = _score_texts(points, ["points", "points_at"], with_max=["points_at"])
    texts["gain"] = [_signed(v) for v in points["gain"]]
    show_table(points, WHATIF_COLUMNS, key=key, texts=texts)
    st.caption(T.WHATIF_POINTS_NOTE.format(scope=scope, period=period))


__all__ = [
    "CRITERION_COLUMNS",
    "POINT_DIGITS",
    "best_step",
    "best_step_sentence",
    "criterion_frame",
    "fmt_score",
    "framework_period",
    "lost_heatmap",
    "official_frame",
    "official_texts",
    "show_by_unit",
    "show_framework",
    "show_official",
    "show_target_points",
    "step_text",
    "target_points",
    "total_lines",
    "unit_rows",
    "where_most",
]
