"""Year-end projection of the KPIs: the last quarter's pace continues (pure pandas, no I/O).

Re-exported by :mod:`kpi.engine`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction

import numpy as np
import pandas as pd

from data_access.columns import split_stocks
from kpi.periods import Period, as_period
from kpi.sums import Figures, aggregate, check_by, check_period, shift_period
from kpi.targets import Plan
from kpi.texts import PROJECTION_METHOD

PROJECTION_METHOD_VI = PROJECTION_METHOD  # the name the pages and tests know
PROJECTION_WINDOW = 3
# The float columns of the projection, in their order among its columns.
_FLOAT_COLUMNS = (
    "ytd_value",
    "pace_numerator",
    "pace_denominator",
    "projected_numerator",
    "projected_denominator",
    "projected_value",
    "target",
    "projected_gap",
)


def project_year_end(
    figures: Figures, plan: Plan, *, period: str | Period, by: Sequence[str] = ()
) -> pd.DataFrame:
    """Year-end projection from the year-to-date through ``period``: a month ``YYYY-MM``, or a
    :class:`~kpi.periods.Period` (every kind lies within one year), projected from its last month
    computed (:attr:`Period.end`: a quarter not over yet, from its latest month with figures).

    Method (:data:`PROJECTION_METHOD_VI`): the last quarter's pace continues —
    projected numerator = YTD numerator + average monthly numerator of the last 3 months
    (January..``period`` only; months without a complete row are not counted in the average)
    × months remaining; the same for the denominator; projected value = their ratio, judged
    against the December target (unit override when grouped by unit). No month with data in the
    window → ``no_data``. In December the projection is the year-to-date.

    A KPI that counts a stock (``pending*``, ``carried_over``: ``periods.md``) takes its year to date
    as :func:`kpi.engine.aggregate` does over January..``period`` (the stock once, from its month),
    and its pace from its flows alone: the stock is projected as it stands at ``period``.

    Columns: ``*by, kpi, label, months_remaining, ytd_numerator, ytd_denominator, ytd_value,
    pace_numerator, pace_denominator`` (monthly averages, float), ``projected_numerator,
    projected_denominator`` (float), ``projected_value, target, projected_gap,
    projected_shortfall`` (dossiers beyond the pace needed by year end, Int64),
    ``projected_status``.
    """
    period = as_period(period).end
    year, month = check_period(period)
    keys = check_by(by, allow_period=False)
    stocked = [k for k, spec in plan.kpis.items() if spec.uses_stock]
    pace_plan = _flows_only(plan) if stocked else plan
    agg = aggregate(figures, pace_plan, start=f"{year}-01", end=period, by=["period", *keys])
    window_start = shift_period(period, -(min(PROJECTION_WINDOW, month) - 1))
    agg["s_complete"] = agg["rows"] - agg["rows_missing"]
    agg["s_num"] = agg["numerator"].fillna(0).astype("int64")
    agg["s_den"] = agg["denominator"].fillna(0).astype("int64")
    in_window = (agg["period"] >= window_start).to_numpy()
    agg["s_wnum"] = np.where(in_window, agg["s_num"], 0)
    agg["s_wden"] = np.where(in_window, agg["s_den"], 0)
    agg["s_wmonths"] = (in_window & (agg["s_complete"] > 0).to_numpy()).astype("int64")
    order = {k: i for i, k in enumerate(plan.kpis)}
    agg["_order"] = agg["kpi"].map(order)
    sums = (
        agg.groupby(["_order", "kpi", *keys], dropna=False, sort=True)[
            ["s_num", "s_den", "s_complete", "s_wnum", "s_wden", "s_wmonths"]
        ]
        .sum()
        .reset_index()
    )
    if stocked:
        sums = _stocks_once(
            sums, aggregate(figures, plan, start=f"{year}-01", end=period, by=keys), stocked, keys
        )
    remaining = 12 - month
    near = Fraction(str(plan.near))
    december = f"{year}-12"
    labels = {k: s.label for k, s in plan.kpis.items()}
    records = []
    for row in sums.to_dict("records"):
        kpi_id = str(row["kpi"])
        s_num, s_den, months = int(row["s_num"]), int(row["s_den"]), int(row["s_wmonths"])
        unit = row.get("unit") if "unit" in keys else None
        target = plan.target_for(kpi_id, december, unit if isinstance(unit, str) else None)
        rec: dict[str, object] = {k: row[k] for k in keys}
        has_ytd = row["s_complete"] > 0
        rec.update(
            kpi=kpi_id,
            label=labels[kpi_id],
            months_remaining=remaining,
            ytd_numerator=s_num if has_ytd else pd.NA,
            ytd_denominator=s_den if has_ytd else pd.NA,
            ytd_value=s_num / s_den if has_ytd and s_den > 0 else np.nan,
            pace_numerator=np.nan,
            pace_denominator=np.nan,
            projected_numerator=np.nan,
            projected_denominator=np.nan,
            projected_value=np.nan,
            target=target,
            projected_gap=np.nan,
            projected_shortfall=pd.NA,
            projected_status="no_data",
        )
        if months > 0:
            pace_num = Fraction(int(row["s_wnum"]), months)
            pace_den = Fraction(int(row["s_wden"]), months)
            pnum = s_num + pace_num * remaining
            pden = s_den + pace_den * remaining
            rec.update(
                pace_numerator=float(pace_num),
                pace_denominator=float(pace_den),
                projected_numerator=float(pnum),
                projected_denominator=float(pden),
            )
            if pden > 0:
                t = Fraction(str(target))
                need = t * pden - pnum
                value = pnum / pden
                rec.update(
                    projected_value=float(value),
                    projected_gap=float(value) - target,
                    projected_shortfall=max(0, math.ceil(need)),
                    projected_status="met" if need <= 0 else ("near" if value >= t - near else "below"),
                )
        records.append(rec)
    columns = [
        *keys,
        "kpi",
        "label",
        "months_remaining",
        "ytd_numerator",
        "ytd_denominator",
        *_FLOAT_COLUMNS,
        "projected_shortfall",
        "projected_status",
    ]
    out = pd.DataFrame.from_records(records, columns=columns)
    for c in ("ytd_numerator", "ytd_denominator", "projected_shortfall"):
        out[c] = out[c].astype("Int64")
    for c in _FLOAT_COLUMNS:
        out[c] = out[c].astype("float64")
    return out


def _flows_only(plan: Plan) -> Plan:
    """``plan`` with every KPI counting its flows alone (the stocks left out of both sums)."""
    kpis = {
        k: replace(
            spec, numerator=split_stocks(spec.numerator)[0], denominator=split_stocks(spec.denominator)[0]
        )
        for k, spec in plan.kpis.items()
    }
    return replace(plan, kpis=kpis)


def _stocks_once(sums: pd.DataFrame, ytd: pd.DataFrame, stocked: list[str], keys: list[str]) -> pd.DataFrame:
    """``sums`` with the year to date of the ``stocked`` KPIs from ``ytd`` (one aggregate over the months)."""
    y = ytd[["kpi", *keys]].assign(
        y_num=ytd["numerator"].fillna(0).astype("int64"),
        y_den=ytd["denominator"].fillna(0).astype("int64"),
        y_complete=ytd["rows"] - ytd["rows_missing"],
    )
    out = sums.merge(y, on=["kpi", *keys], how="left", sort=False)
    take = out["kpi"].isin(stocked).to_numpy() & out["y_complete"].notna().to_numpy()
    for mine, theirs in (("s_num", "y_num"), ("s_den", "y_den"), ("s_complete", "y_complete")):
        out[mine] = np.where(take, out[theirs].fillna(0), out[mine]).astype("int64")
    return out.drop(columns=["y_num", "y_den", "y_complete"])
