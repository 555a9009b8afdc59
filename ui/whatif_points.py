"""The what-if page's points section (issue 17): for the targets chosen, the dossiers needed and the
points of the PAR-index and 766 criteria those dossiers would bring (:mod:`kpi.scoring`).

Targets do not change points, figures do: the section sums each framework's period once per full run
(:func:`points_sums`; the PAR index is yearly, so the year to date through the chosen period's last
month), and a target change only judges those sums again under the scenario (:func:`points_table`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from kpi.periods import Period
from kpi.scoring import Scoring, ScoringError, load_scoring
from kpi.targets import Plan
from kpi.whatif import aggregate_scope, judge
from ui import scoring_view as sv
from ui.md import md_escape
from ui.texts import scores as T
from ui.texts import whatif as TW


@dataclass(frozen=True)
class PointsSums:
    """The scoring rules (or why they could not be read) and, per framework with a criterion on a KPI
    of the plan, its period and the sums of that period (:func:`kpi.whatif.aggregate_scope`)."""

    scoring: Scoring | None
    error: str | None
    parts: tuple[tuple[str, Period, pd.DataFrame], ...]
    by: tuple[str, ...] = ()


def points_sums(figures: object, plan: Plan, period: Period, by: Sequence[str] = ()) -> PointsSums:
    """What :func:`points_table` needs, read once per full run (``figures``: the page's scope)."""
    try:
        scoring = load_scoring()
    except ScoringError as exc:
        return PointsSums(None, str(exc), ())
    parts = []
    for fid, fw in scoring.frameworks.items():
        if not any(c.kpi in plan.kpis for c in scoring.of(fid) if c.kpi is not None):
            continue
        p = sv.framework_period(fw, period)
        parts.append((fid, p, aggregate_scope(figures, plan, period=p, by=by)))  # type: ignore[arg-type]
    return PointsSums(scoring, None, tuple(parts), tuple(by))


def points_table(scenario: Plan, sums: PointsSums) -> pd.DataFrame:
    """Per criterion on a KPI of the plan: :func:`ui.scoring_view.target_points` under ``scenario``'s
    targets, with the ``period`` (its description) each framework is judged on."""
    if sums.scoring is None:
        return pd.DataFrame()
    frames = []
    for fid, p, agg in sums.parts:
        judged = judge(agg, scenario, period=p, by=sums.by)
        frames.append(
            sv.target_points(scenario, sums.scoring, judged, framework=fid).assign(period=p.describe())
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def points_section(scenario: Plan, sums: PointsSums, head_name: str) -> None:
    """The section: a table of the criteria (target, dossiers needed, points now and at the target)."""
    if sums.error is not None:
        st.subheader(T.WHATIF_POINTS)
        st.warning(T.SCORING_BROKEN.format(error=md_escape(sums.error)), icon=":material/warning:")
        return
    table = points_table(scenario, sums)
    periods = ", ".join(dict.fromkeys(table["period"])) if not table.empty else ""
    sv.show_target_points(table, scope=head_name or TW.DEPARTMENT, period=periods, key="whatif_points")
