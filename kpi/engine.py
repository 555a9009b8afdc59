"""The KPI engine: ratios of sums against the plan's targets. Pure pandas, no I/O.

Input is a *figures* frame: ``period`` (``YYYY-MM``), ``unit``, ``field``, ``procedure_code``
(str or NA), ``procedure_name`` and any subset of the count columns of the data contract, as
nullable ``Int64`` where NA means *unknown* (never 0). A KPI whose column is absent is unknown.

Two steps, so that the first can later move to SQL:

1. :func:`aggregate` — per KPI and group, the numerator and denominator summed over the rows
   where *every* figure of that KPI is known, with ``rows`` in scope and ``rows_missing``
   (left out because a figure is unknown);
2. :func:`evaluate` — target, value, gap, shortfall (whole dossiers, exact with fractions) and
   status, on the small aggregated frame.

What-if is the same calls with a plan from :func:`kpi.targets.with_overrides`. Step 1 lives in
:mod:`kpi.sums`, step 2 in :mod:`kpi.judge`, the year-end projection in :mod:`kpi.projection`; this
module builds the tables from them and re-exports every public name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from kpi.judge import EVAL_COLUMNS, STATUSES, evaluate, judge_columns
from kpi.periods import Period, as_period
from kpi.projection import PROJECTION_METHOD_VI, PROJECTION_WINDOW, project_year_end
from kpi.sums import (
    AGG_COLUMNS,
    GROUP_KEYS,
    Figures,
    FigureSource,
    add_totals,
    aggregate,
    check_by,
    previous_period,
    running_ytd,
    wide_sums,
)
from kpi.targets import Plan

# ---------------------------------------------------------------------------- tables


def kpi_table(
    figures: Figures,
    plan: Plan,
    *,
    period: str | Period,
    ytd: bool = False,
    by: Sequence[str] = (),
    change: bool = False,
) -> pd.DataFrame:
    """The KPI table of one period (:mod:`kpi.periods`): a :class:`Period`, or its code (``2024-06``,
    ``2024-Q2``, ``2024-H1``, ``2024``; with ``ytd`` a month is the year to date through it). The
    target is the one in force in the period's last month.

    Columns as :func:`evaluate`; with ``change=True`` also ``change`` (see :func:`with_change`),
    against the same table for the previous period of the same kind (:meth:`Period.previous`; for
    January year-to-date there is none, so ``change`` is NaN).
    """
    p = as_period(period, ytd=ytd)
    table = evaluate(aggregate(figures, plan, start=p.start, end=p.end, by=by), plan, period=p.end)
    if change:
        prev = p.previous()
        if prev is None:
            table["change"] = np.nan
        else:
            table = with_change(table, kpi_table(figures, plan, period=prev, by=by), by)
    return table


def with_change(table_now: pd.DataFrame, table_prev: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """``table_now`` with ``change`` = value − the previous table's value for the same KPI and group,
    in fraction points (0.03 = +3 points); NaN when either has no value."""
    keys = [*check_by(by), "kpi"]
    prev = table_prev[[*keys, "value"]].rename(columns={"value": "_prev_value"})
    out = table_now.merge(prev, on=keys, how="left", sort=False)
    out["change"] = out["value"] - out["_prev_value"]
    return out.drop(columns="_prev_value")


def monthly_series(figures: Figures, plan: Plan, *, year: int, by: Sequence[str] = ()) -> pd.DataFrame:
    """Month by month in ``year`` (months with figures), each at its own month's target, with the
    year-to-date cumulative ratio (ratio of the cumulative sums) judged at that month's target.

    Columns: ``period, *by, kpi, label, numerator, denominator, rows, rows_missing, target, value,
    gap, shortfall, status, ytd_numerator, ytd_denominator, ytd_value, ytd_gap, ytd_shortfall,
    ytd_status``; sorted by KPI (plan order), group, month.
    """
    keys = check_by(by, allow_period=False)
    agg = aggregate(figures, plan, start=f"{year:04d}-01", end=f"{year:04d}-12", by=["period", *keys])
    monthly = evaluate(agg, plan)
    if monthly.empty:
        for c in ("ytd_numerator", "ytd_denominator", "ytd_value", "ytd_gap", "ytd_shortfall", "ytd_status"):
            monthly[c] = pd.Series(dtype="float64")
        return monthly
    order = {k: i for i, k in enumerate(plan.kpis)}
    monthly["_order"] = monthly["kpi"].map(order)
    monthly = monthly.sort_values(["_order", *keys, "period"], kind="stable", na_position="last")
    monthly["_n"] = monthly["numerator"].fillna(0).astype("int64")
    monthly["_d"] = monthly["denominator"].fillna(0).astype("int64")
    monthly["_c"] = monthly["rows"] - monthly["rows_missing"]
    cum = monthly.groupby(["_order", *keys], dropna=False, sort=False)[["_n", "_d", "_c"]].cumsum()
    has = (cum["_c"] > 0).to_numpy()
    ytd_num = pd.array(cum["_n"].to_numpy(dtype="int64"), dtype="Int64")
    ytd_den = pd.array(cum["_d"].to_numpy(dtype="int64"), dtype="Int64")
    ytd_num[~has] = pd.NA
    ytd_den[~has] = pd.NA
    monthly["ytd_numerator"] = ytd_num
    monthly["ytd_denominator"] = ytd_den
    _ytd_with_stocks(monthly, figures, plan, year=year, keys=keys)
    judged = judge_columns(
        monthly["ytd_numerator"],
        monthly["ytd_denominator"],
        monthly["target"].to_numpy(dtype="float64"),
        plan,
    )
    for key, values in judged.items():
        monthly[f"ytd_{key}"] = values
    return monthly.drop(columns=["_order", "_n", "_d", "_c"]).reset_index(drop=True)


def _ytd_with_stocks(
    monthly: pd.DataFrame, figures: Figures, plan: Plan, *, year: int, keys: list[str]
) -> None:
    """Replace, in place, the running year-to-date sums of the KPIs that count a stock
    (:attr:`~kpi.plan.KpiSpec.uses_stock`) by the sums over January..month with the stocks taken
    once (:func:`kpi.sums.running_ytd`), as :func:`kpi_table` gives a year to date: a cumulative
    sum would add up every month's pending figures."""
    ytd = running_ytd(figures, plan, year=year, by=keys)
    if ytd.empty:
        return
    on = ["period", *keys, "kpi"]
    keyed = monthly[on].merge(ytd[[*on, "numerator", "denominator"]], on=on, how="left", sort=False)
    rows = monthly["kpi"].isin(set(ytd["kpi"])).to_numpy()
    monthly.loc[rows, "ytd_numerator"] = keyed.loc[rows, "numerator"].to_numpy()
    monthly.loc[rows, "ytd_denominator"] = keyed.loc[rows, "denominator"].to_numpy()


def rank(
    table: pd.DataFrame, by_col: str | Sequence[str] = "unit", key: Literal["shortfall", "gap"] = "shortfall"
) -> pd.DataFrame:
    """Rank the ``by_col`` groups within each KPI (and each value of the table's other grouping
    columns): ``rank`` 1 = worst. ``key='shortfall'``: most dossiers short first (ties: lower gap
    first); ``key='gap'``: lowest gap first (ties: larger shortfall). ``no_data`` groups come last.
    Further ties by name. Returns the table sorted by KPI (as it came), partition and rank."""
    cols = [by_col] if isinstance(by_col, str) else list(by_col)
    for c in cols:
        if c not in table.columns:
            raise ValueError(f"column {c!r} is not in the table")
    if key not in ("shortfall", "gap"):
        raise ValueError(f"key must be 'shortfall' or 'gap', got {key!r}")
    partition = ["kpi", *[c for c in GROUP_KEYS if c in table.columns and c not in cols]]
    t = table.copy()
    order = {k: i for i, k in enumerate(dict.fromkeys(t["kpi"].tolist()))}
    t["_order"] = t["kpi"].map(order)
    t["_nodata"] = (t["status"] == "no_data").astype("int64")
    t["_short"] = -t["shortfall"].astype("float64").fillna(0)
    t["_gap"] = t["gap"].astype("float64").fillna(0)
    sort_keys = ["_short", "_gap"] if key == "shortfall" else ["_gap", "_short"]
    parts = ["_order", *partition[1:]]
    t = t.sort_values([*parts, "_nodata", *sort_keys, *cols], kind="stable", na_position="last")
    t["rank"] = t.groupby(parts, dropna=False, sort=False).cumcount() + 1
    return t.drop(columns=["_order", "_nodata", "_short", "_gap"]).reset_index(drop=True)


__all__ = [
    "AGG_COLUMNS",
    "EVAL_COLUMNS",
    "GROUP_KEYS",
    "PROJECTION_METHOD_VI",
    "PROJECTION_WINDOW",
    "STATUSES",
    "FigureSource",
    "Figures",
    "add_totals",
    "aggregate",
    "evaluate",
    "kpi_table",
    "monthly_series",
    "previous_period",
    "project_year_end",
    "rank",
    "wide_sums",
    "with_change",
]
