"""What-if: the KPI tables under the plan and under a scenario, side by side. Pure pandas, no I/O.

A scenario only changes targets (:func:`kpi.targets.with_overrides`), never what a KPI counts, so
the sums are taken once (:func:`kpi.engine.aggregate`) and judged twice (:func:`kpi.engine.evaluate`):
``evaluate(aggregate(...))`` is exactly :func:`kpi.engine.kpi_table`.

* :func:`aggregate_scope` — the sums of a period (:mod:`kpi.periods`: what ``kpi_table`` sums);
* :func:`judge_both` — baseline and scenario tables from those sums (:func:`judge`: one table, ranked);
* :func:`compare` — one row per KPI (and group) with both judgements, ranks and what changed;
* :func:`kpi_changes` — per KPI, how many groups change status and the extra shortfall, summed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kpi.engine import Figures, aggregate, evaluate, rank
from kpi.periods import Period, as_period
from kpi.targets import Plan

#: Order of the statuses from good to bad (``no_data`` is not judged).
STATUS_RANK: dict[str, int] = {"met": 0, "near": 1, "below": 2}
#: Columns of :func:`compare` (after the grouping columns).
COMPARE_COLUMNS: tuple[str, ...] = (
    "kpi",
    "label",
    "numerator",
    "denominator",
    "rows_missing",
    "value",
    "target_base",
    "target_scen",
    "gap_base",
    "gap_scen",
    "shortfall_base",
    "shortfall_scen",
    "status_base",
    "status_scen",
    "rank_base",
    "rank_scen",
    "target_changed",
    "status_changed",
    "shortfall_delta",
    "changed",
    "direction",
)


def _check_same_kpis(baseline: Plan, scenario: Plan) -> None:
    if list(baseline.kpis) != list(scenario.kpis):
        raise ValueError("the scenario must have the baseline's KPIs, in the same order")
    for kid, spec in baseline.kpis.items():
        other = scenario.kpis[kid]
        if (spec.numerator, spec.denominator) != (other.numerator, other.denominator):
            raise ValueError(f"KPI {kid!r}: a scenario may change targets only, not what is counted")


def _judged_at(period: str | Period) -> str:
    """The month whose targets judge ``period``: a month itself, a period's last month computed."""
    return as_period(period).end


def aggregate_scope(
    figures: Figures, plan: Plan, *, period: str | Period, ytd: bool = False, by: Sequence[str] = ()
) -> pd.DataFrame:
    """The sums :func:`kpi.engine.kpi_table` would judge for ``period`` (a :class:`~kpi.periods.Period`
    or its code; with ``ytd`` a month is January..that month): its months ``start``..``end``."""
    p = as_period(period, ytd=ytd)
    return aggregate(figures, plan, start=p.start, end=p.end, by=by)


def judge_both(
    agg: pd.DataFrame, baseline: Plan, scenario: Plan, *, period: str | Period
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(kpi_table under baseline, kpi_table under scenario)`` from one :func:`aggregate_scope`;
    ``period``: the month (``YYYY-MM``) or the :class:`~kpi.periods.Period` (judged at its last month)."""
    _check_same_kpis(baseline, scenario)
    at = _judged_at(period)
    return evaluate(agg, baseline, period=at), evaluate(agg, scenario, period=at)


def judge(agg: pd.DataFrame, plan: Plan, *, period: str | Period, by: Sequence[str] = ()) -> pd.DataFrame:
    """``kpi_table`` from :func:`aggregate_scope` sums, with ``rank`` (see :func:`with_rank`);
    ``period`` as :func:`judge_both`'s."""
    return with_rank(evaluate(agg, plan, period=_judged_at(period)), by)


def with_rank(table: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """``table`` (a KPI table) with :func:`kpi.engine.rank`'s ``rank`` by shortfall within each KPI
    (1 = most dossiers short), rows kept in their order; ``rank`` NA when ``by`` is empty."""
    out = table.copy()
    if not by or out.empty:
        out["rank"] = pd.array([pd.NA] * len(out), dtype="Int64")
        return out
    ranked = rank(table.assign(_pos=np.arange(len(table))), by_col=list(by))
    ranks = np.zeros(len(table), dtype="int64")
    ranks[ranked["_pos"].to_numpy()] = ranked["rank"].to_numpy()
    out["rank"] = pd.array(ranks, dtype="Int64")
    return out


def _direction(base: str, scen: str, delta: object) -> str:
    """``worse`` / ``better`` / ``same``: by status first, then by the shortfall."""
    if base in STATUS_RANK and scen in STATUS_RANK and base != scen:
        return "worse" if STATUS_RANK[scen] > STATUS_RANK[base] else "better"
    if delta is pd.NA or delta is None or delta == 0:
        return "same"
    return "worse" if delta > 0 else "better"  # type: ignore[operator]


def _aligned(baseline: pd.DataFrame, scenario: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``scenario``'s rows in ``baseline``'s order (as they come from :func:`judge_both`, usually)."""
    if len(baseline) != len(scenario):
        raise ValueError("baseline and scenario tables differ in rows")
    if all(baseline[k].tolist() == scenario[k].tolist() for k in keys):
        return scenario.reset_index(drop=True)
    idx = baseline.set_index(keys).index
    s = scenario.set_index(keys).reindex(idx)
    if s["status"].isna().any():
        raise ValueError("baseline and scenario tables differ in groups")
    return s.reset_index()


def compare(baseline: pd.DataFrame, scenario: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Baseline and scenario tables (same KPIs and groups) side by side.

    Columns: ``*by`` then :data:`COMPARE_COLUMNS`. ``*_base`` / ``*_scen``: target, gap, shortfall,
    status and ``rank`` (:func:`with_rank`: :func:`kpi.engine.rank` by shortfall within each KPI,
    1 = most dossiers short; NA when ``by`` is empty; a table that has a ``rank`` column already,
    e.g. from :func:`judge`, is not ranked again). ``shortfall_delta`` = scenario − baseline
    shortfall (Int64, NA without data); ``changed``: the target, the status or the shortfall
    differs; ``direction``: ``worse`` / ``better`` / ``same``. Rows in the baseline's order.
    """
    keys = [*by, "kpi"]
    b = baseline.reset_index(drop=True)
    s = _aligned(b, scenario, keys)
    if "rank" not in b.columns:
        b = with_rank(b, by)
    if "rank" not in s.columns:
        s = with_rank(s, by)
    data: dict[str, object] = {k: b[k].to_numpy() for k in (*keys, "label")}
    for col in ("numerator", "denominator", "rows_missing", "value"):
        data[col] = b[col].array
    for suffix, t in (("base", b), ("scen", s)):
        data[f"target_{suffix}"] = t["target"].to_numpy(dtype="float64")
        data[f"gap_{suffix}"] = t["gap"].to_numpy(dtype="float64")
        data[f"shortfall_{suffix}"] = t["shortfall"].astype("Int64").array
        data[f"status_{suffix}"] = t["status"].to_numpy(dtype=object)
        data[f"rank_{suffix}"] = t["rank"].astype("Int64").array
    out = pd.DataFrame(data)
    out["target_changed"] = np.abs(out["target_base"].to_numpy() - out["target_scen"].to_numpy()) > 1e-12
    out["status_changed"] = out["status_base"].to_numpy() != out["status_scen"].to_numpy()
    delta = out["shortfall_scen"] - out["shortfall_base"]
    out["shortfall_delta"] = delta
    moved = delta.fillna(0).to_numpy() != 0
    out["changed"] = out["target_changed"].to_numpy() | out["status_changed"].to_numpy() | moved
    out["direction"] = [
        _direction(bs, ss, d)
        for bs, ss, d in zip(data["status_base"], data["status_scen"], delta.tolist(), strict=True)  # type: ignore[call-overload]
    ]
    return out[[*by, *COMPARE_COLUMNS]]


@dataclass(frozen=True)
class KpiChange:
    """What a scenario does to one KPI over the groups of a :func:`compare` table (e.g. units)."""

    kpi: str
    label: str
    groups: int  # groups with a value under both (status not no_data)
    met_to_below: int
    met_to_near: int
    near_to_below: int
    to_met: int  # near or below → met
    below_to_near: int
    shortfall_base: int  # summed over the groups
    shortfall_scen: int

    @property
    def newly_missed(self) -> int:
        """Groups that met the target under the plan and no longer do (near or below)."""
        return self.met_to_below + self.met_to_near

    @property
    def extra_shortfall(self) -> int:
        """Scenario minus plan shortfall, summed over the groups (negative: fewer dossiers needed)."""
        return self.shortfall_scen - self.shortfall_base

    @property
    def status_moves(self) -> int:
        return self.newly_missed + self.near_to_below + self.to_met + self.below_to_near


def kpi_changes(table: pd.DataFrame, kpis: Iterable[str] | None = None) -> dict[str, KpiChange]:
    """Per KPI of ``table`` (a :func:`compare` table by group), the status moves and shortfall sums.

    ``kpis``: only these (default: every KPI of the table), in the table's order; one asked for
    but not in the table gets a change with nothing in it.
    """
    wanted = None if kpis is None else list(kpis)
    out: dict[str, KpiChange] = {}
    for kid, t in table.groupby("kpi", sort=False):
        if wanted is not None and kid not in wanted:
            continue
        pair = list(zip(t["status_base"], t["status_scen"], strict=True))
        out[str(kid)] = KpiChange(
            kpi=str(kid),
            label=str(t["label"].iloc[0]),
            groups=sum(1 for b, s in pair if b != "no_data" and s != "no_data"),
            met_to_below=sum(1 for b, s in pair if b == "met" and s == "below"),
            met_to_near=sum(1 for b, s in pair if b == "met" and s == "near"),
            near_to_below=sum(1 for b, s in pair if b == "near" and s == "below"),
            to_met=sum(1 for b, s in pair if b in ("near", "below") and s == "met"),
            below_to_near=sum(1 for b, s in pair if b == "below" and s == "near"),
            shortfall_base=int(t["shortfall_base"].fillna(0).sum()),
            shortfall_scen=int(t["shortfall_scen"].fillna(0).sum()),
        )
    for kid in wanted or ():  # asked for but without a group in the table: nothing moves
        if kid not in out:
            out[kid] = KpiChange(kid, kid, 0, 0, 0, 0, 0, 0, 0, 0)
    return out


__all__ = [
    "COMPARE_COLUMNS",
    "STATUS_RANK",
    "KpiChange",
    "aggregate_scope",
    "compare",
    "judge",
    "judge_both",
    "kpi_changes",
    "with_rank",
]
