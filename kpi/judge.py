"""Step 2 of the KPI engine: target, value, gap, shortfall and status of the aggregated sums.

Exact (targets as fractions of their decimal text) and vectorised. Re-exported by :mod:`kpi.engine`.
"""

from __future__ import annotations

from fractions import Fraction
from typing import cast

import numpy as np
import pandas as pd

from kpi.sums import check_period
from kpi.targets import Plan

STATUSES: tuple[str, ...] = ("met", "near", "below", "no_data")
EVAL_COLUMNS: tuple[str, ...] = (
    "kpi",
    "label",
    "numerator",
    "denominator",
    "rows",
    "rows_missing",
    "target",
    "value",
    "gap",
    "shortfall",
    "status",
)
#: A column of a judged table as :func:`judge_columns` builds it.
Column = np.ndarray | pd.api.extensions.ExtensionArray


def judge_columns(num: pd.Series, den: pd.Series, target: np.ndarray, plan: Plan) -> dict[str, Column]:
    """value, gap, shortfall, status for aligned numerator/denominator/target columns.

    Exact and vectorised: each target is the fraction p/q of its decimal text (0.9 → 9/10) and
    ``near`` is a/b, so "met" is ``q·num ≥ p·den``, the shortfall ⌈(p·den − q·num)/q⌉ and "near"
    ``b·q·num ≥ den·(b·p − a·q)``, all in integers (Python ints when int64 could overflow).
    """
    num_f = num.to_numpy(dtype="float64", na_value=np.nan)
    den_f = den.to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(den_f > 0, num_f / den_f, np.nan)
    n_rows = len(num_f)
    has = ~np.isnan(num_f) & ~np.isnan(den_f) & (den_f > 0)
    near = Fraction(str(plan.near))
    fracs = {t: Fraction(str(t)) for t in set(target.tolist())}
    p = np.array([fracs[t].numerator for t in target.tolist()], dtype=object)
    q = np.array([fracs[t].denominator for t in target.tolist()], dtype=object)
    shortfall = pd.array([pd.NA] * n_rows, dtype="Int64")
    status = np.full(n_rows, "no_data", dtype=object)
    if has.any():
        idx = np.flatnonzero(has)
        n_int = num.to_numpy(dtype=object, na_value=0)[idx]
        d_int = den.to_numpy(dtype=object, na_value=0)[idx]
        pi, qi = p[idx], q[idx]
        need = pi * d_int - qi * n_int  # object arrays of Python ints: exact, no overflow
        met = need <= 0
        short = np.where(met, 0, -((-need) // qi))
        is_near = near.denominator * qi * n_int >= d_int * (near.denominator * pi - near.numerator * qi)
        status[idx] = np.where(met, "met", np.where(is_near, "near", "below"))
        shortfall[idx] = pd.array(short.astype("int64"), dtype="Int64")
    return {"value": value, "gap": value - target, "shortfall": shortfall, "status": status}


def _targets(agg: pd.DataFrame, plan: Plan, period: str | None) -> np.ndarray:
    """Target per row: at the row's own ``period`` when there is that column, else at ``period``;
    for the row's unit when grouped by unit."""
    kpis = agg["kpi"].tolist()
    if "period" in agg.columns:
        periods = agg["period"].tolist()
    else:
        if period is None:
            raise ValueError("evaluate needs `period` when the frame has no 'period' column")
        check_period(period)
        periods = [period] * len(agg)
    units = agg["unit"].tolist() if "unit" in agg.columns else [None] * len(agg)
    memo: dict[tuple[str, str, object], float] = {}
    out = np.empty(len(agg), dtype="float64")
    for i, key in enumerate(zip(kpis, periods, units, strict=True)):
        t = memo.get(key)
        if t is None:
            k, p, u = key
            t = memo[key] = plan.target_for(k, p, u if isinstance(u, str) else None)
        out[i] = t
    return out


def evaluate(agg: pd.DataFrame, plan: Plan, *, period: str | None = None) -> pd.DataFrame:
    """Add ``label, target, value, gap, shortfall, status`` to an :func:`aggregate` frame.

    * target: :meth:`Plan.target_for` at ``period`` (the last month of the range), or at each row's
      own month when the frame has a ``period`` column; per unit when grouped by unit;
    * value: numerator / denominator (float, NaN without data); gap: value − target;
    * shortfall: ⌈target × denominator − numerator⌉ when positive else 0, exact (``Fraction``);
    * status: ``no_data`` (no complete row, or denominator 0: value, gap NaN, shortfall NA),
      ``met`` (numerator ≥ target × denominator), ``near`` (value ≥ target − plan.near), ``below``.

    Columns: ``*by, kpi, label, numerator, denominator, rows, rows_missing, target, value, gap,
    shortfall, status``.
    """
    out = agg.copy()
    target = _targets(out, plan, period)
    judged = judge_columns(out["numerator"], out["denominator"], target, plan)
    labels = {k: s.label for k, s in plan.kpis.items()}
    out.insert(cast(int, out.columns.get_loc("kpi")) + 1, "label", out["kpi"].map(labels).astype(object))
    out["target"] = target
    for key, values in judged.items():
        out[key] = values
    return out
