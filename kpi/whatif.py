"""What-if: the KPI tables under the plan and under a scenario, side by side. Pure pandas, no I/O.

A scenario only changes targets (:func:`kpi.targets.with_overrides`), never what a KPI counts, so
the sums are taken once (:func:`kpi.engine.aggregate`) and judged twice (:func:`kpi.engine.evaluate`):
``evaluate(aggregate(...))`` is exactly :func:`kpi.engine.kpi_table`.

* :func:`aggregate_scope` — the sums for a month or year to date (what ``kpi_table`` sums);
* :func:`judge_both` — baseline and scenario tables from those sums;
* :func:`compare` — one row per KPI (and group) with both judgements, ranks and what changed;
* :func:`kpi_changes` — per KPI, how many groups change status and the extra shortfall, summed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from kpi.engine import aggregate, evaluate, rank
from kpi.targets import Plan

#: Order of the statuses from good to bad (``no_data`` is not judged).
STATUS_RANK: dict[str, int] = {"met": 0, "near": 1, "below": 2}
#: Columns of :func:`compare` (after the grouping columns).
COMPARE_COLUMNS: tuple[str, ...] = (
    "kpi", "label", "numerator", "denominator", "rows_missing", "value",
    "target_base", "target_scen", "gap_base", "gap_scen", "shortfall_base", "shortfall_scen",
    "status_base", "status_scen", "rank_base", "rank_scen",
    "target_changed", "status_changed", "shortfall_delta", "changed", "direction",
)


def _check_same_kpis(baseline: Plan, scenario: Plan) -> None:
    if list(baseline.kpis) != list(scenario.kpis):
        raise ValueError("the scenario must have the baseline's KPIs, in the same order")
    for kid, spec in baseline.kpis.items():
        other = scenario.kpis[kid]
        if (spec.numerator, spec.denominator) != (other.numerator, other.denominator):
            raise ValueError(f"KPI {kid!r}: a scenario may change targets only, not what is counted")


def aggregate_scope(
    figures: pd.DataFrame, plan: Plan, *, period: str, ytd: bool = False, by: Sequence[str] = ()
) -> pd.DataFrame:
    """The sums :func:`kpi.engine.kpi_table` would judge: the month ``period``, or January..``period``."""
    start = f"{period[:4]}-01" if ytd else period
    return aggregate(figures, plan, start=start, end=period, by=by)


def judge_both(agg: pd.DataFrame, baseline: Plan, scenario: Plan, *, period: str
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(kpi_table under baseline, kpi_table under scenario)`` from one :func:`aggregate_scope`."""
    _check_same_kpis(baseline, scenario)
    return evaluate(agg, baseline, period=period), evaluate(agg, scenario, period=period)


def _direction(base: str, scen: str, delta: object) -> str:
    """``worse`` / ``better`` / ``same``: by status first, then by the shortfall."""
    if base in STATUS_RANK and scen in STATUS_RANK and base != scen:
        return "worse" if STATUS_RANK[scen] > STATUS_RANK[base] else "better"
    if delta is pd.NA or delta is None or delta == 0:
        return "same"
    return "worse" if delta > 0 else "better"  # type: ignore[operator]


def compare(baseline: pd.DataFrame, scenario: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Baseline and scenario tables (same KPIs and groups) side by side.

    Columns: ``*by`` then :data:`COMPARE_COLUMNS`. ``*_base`` / ``*_scen``: target, gap, shortfall,
    status and ``rank`` (:func:`kpi.engine.rank` by shortfall within each KPI, 1 = most dossiers
    short; NA when ``by`` is empty). ``shortfall_delta`` = scenario − baseline shortfall (Int64, NA
    without data); ``changed``: the target, the status or the shortfall differs; ``direction``:
    ``worse`` / ``better`` / ``same``. Rows in the baseline's order (KPI in plan order, groups).
    """
    keys = [*by, "kpi"]
    if len(baseline) != len(scenario):
        raise ValueError("baseline and scenario tables differ in rows")
    b = baseline.reset_index(drop=True)
    idx = b.set_index(keys).index
    s = scenario.set_index(keys).reindex(idx)
    if s["status"].isna().any():
        raise ValueError("baseline and scenario tables differ in groups")
    out = b[[*keys, "label", "numerator", "denominator", "rows_missing", "value"]].copy()
    for col in ("target", "gap", "shortfall", "status"):
        out[f"{col}_base"] = b[col].to_numpy()
        out[f"{col}_scen"] = s[col].to_numpy()
    for col in ("shortfall_base", "shortfall_scen"):
        out[col] = out[col].astype("Int64")
    for suffix, table in (("base", baseline), ("scen", scenario)):
        if by:
            ranks = rank(table, by_col=list(by)).set_index(keys)["rank"].reindex(idx).to_numpy()
        else:
            ranks = [pd.NA] * len(out)
        out[f"rank_{suffix}"] = pd.array(ranks, dtype="Int64")
    out["target_changed"] = (out["target_base"] - out["target_scen"]).abs().to_numpy() > 1e-12
    out["status_changed"] = (out["status_base"] != out["status_scen"]).to_numpy()
    out["shortfall_delta"] = out["shortfall_scen"] - out["shortfall_base"]
    moved = out["shortfall_delta"].fillna(0).to_numpy() != 0
    out["changed"] = out["target_changed"].to_numpy() | out["status_changed"].to_numpy() | moved
    out["direction"] = [
        _direction(bs, ss, d)
        for bs, ss, d in zip(out["status_base"], out["status_scen"], out["shortfall_delta"], strict=True)
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

    ``kpis``: only these (default: every KPI of the table), in the table's order.
    """
    wanted = None if kpis is None else set(kpis)
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
    return out


__all__ = [
    "COMPARE_COLUMNS",
    "STATUS_RANK",
    "KpiChange",
    "aggregate_scope",
    "compare",
    "judge_both",
    "kpi_changes",
]
