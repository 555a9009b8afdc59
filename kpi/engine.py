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

What-if is the same calls with a plan from :func:`kpi.targets.with_overrides`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Literal, Protocol

import numpy as np
import pandas as pd

from data_access.columns import TOTALS
from kpi.targets import Plan

GROUP_KEYS: tuple[str, ...] = ("period", "unit", "field", "procedure_code")
STATUSES: tuple[str, ...] = ("met", "near", "below", "no_data")
PROJECTION_METHOD_VI = "Dự báo: giả định các tháng còn lại giữ nhịp trung bình 3 tháng gần nhất"
PROJECTION_WINDOW = 3

AGG_COLUMNS: tuple[str, ...] = ("kpi", "numerator", "denominator", "rows", "rows_missing")
EVAL_COLUMNS: tuple[str, ...] = (
    "kpi", "label", "numerator", "denominator", "rows", "rows_missing",
    "target", "value", "gap", "shortfall", "status",
)


# ---------------------------------------------------------------------------- helpers


def _check_period(period: str) -> tuple[int, int]:
    if (
        not isinstance(period, str) or len(period) != 7 or period[4] != "-"
        or not period[:4].isdigit() or not period[5:].isdigit() or not 1 <= int(period[5:]) <= 12
    ):
        raise ValueError(f"period must be 'YYYY-MM', got {period!r}")
    return int(period[:4]), int(period[5:])


def previous_period(period: str) -> str:
    """The month before ``period`` (``'2024-01'`` → ``'2023-12'``)."""
    year, month = _check_period(period)
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


def _shift(period: str, months: int) -> str:
    year, month = _check_period(period)
    idx = year * 12 + month - 1 + months
    return f"{idx // 12}-{idx % 12 + 1:02d}"


def _check_by(by: Sequence[str], *, allow_period: bool = True) -> list[str]:
    if isinstance(by, str):
        by = [by]
    out = list(by)
    for key in out:
        if key not in GROUP_KEYS or (key == "period" and not allow_period):
            raise ValueError(f"cannot group by {key!r}; allowed: {GROUP_KEYS}")
    if len(set(out)) != len(out):
        raise ValueError(f"repeated grouping key in {out}")
    return out


def add_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with the five total columns: a given total is kept, a missing one is the
    sum of its parts where all of them are known (NA-propagating), else NA."""
    out = frame.copy()
    for total, parts in TOTALS.items():
        acc: pd.Series | None = None
        for part in parts:
            s = out[part].astype("Int64") if part in out else pd.Series(pd.NA, index=out.index, dtype="Int64")
            acc = s if acc is None else acc + s
        assert acc is not None
        out[total] = out[total].astype("Int64").where(out[total].notna(), acc) if total in out else acc
    return out


# ---------------------------------------------------------------------------- step 1: sums


class FigureSource(Protocol):
    """Figures that sum themselves (e.g. in SQL): see :func:`data_access.aggregate.SqlFigures`."""

    def wide(self, specs: Sequence[tuple[tuple[str, ...], tuple[str, ...]]], *, start: str, end: str,
             by: Sequence[str]) -> pd.DataFrame:
        """Per group of ``by`` over months ``start``..``end``: ``rows`` and, for each spec ``i``
        (numerator columns, denominator columns), ``n{i}``/``d{i}`` = sums over the rows where all
        of the spec's columns are known and ``c{i}`` = the number of such rows."""
        ...


Figures = pd.DataFrame | FigureSource


def aggregate(
    figures: Figures,
    plan: Plan,
    *,
    start: str,
    end: str,
    by: Sequence[str] = (),
) -> pd.DataFrame:
    """Numerator and denominator sums per KPI and group over the months ``start``..``end``.

    A row counts for a KPI only when all of that KPI's numerator and denominator figures are known.
    Columns: ``*by, kpi, numerator, denominator, rows, rows_missing``; numerator and denominator
    are ``Int64``, NA when no row of the group is complete; ``rows`` counts the group's rows in
    scope, ``rows_missing`` those left out of this KPI. KPIs in plan order, groups sorted (NA last).
    With ``by=()`` there is one row per KPI even when no figure is in scope.

    ``figures`` is a figures frame (summed here with pandas) or a :class:`FigureSource` that sums
    in the database; both give the same result.
    """
    _check_period(start)
    _check_period(end)
    keys = _check_by(by)
    specs = [(spec.numerator, spec.denominator) for spec in plan.kpis.values()]
    if isinstance(figures, pd.DataFrame):
        wide = wide_sums(figures, specs, start=start, end=end, by=keys)
    else:
        wide = figures.wide(specs, start=start, end=end, by=keys)
    return _long(wide, list(plan.kpis), keys)


def wide_sums(figures: pd.DataFrame, specs: Sequence[tuple[tuple[str, ...], tuple[str, ...]]], *,
              start: str, end: str, by: Sequence[str]) -> pd.DataFrame:
    """The pandas :meth:`FigureSource.wide`: one row per group, ``rows``, ``n{i}``, ``d{i}``, ``c{i}``."""
    keys = list(by)
    period = figures["period"]
    if not (pd.api.types.is_string_dtype(period.dtype) or period.dtype == object):
        period = period.astype(str)  # e.g. an empty frame built without dtypes
    scope = figures.loc[((period >= start) & (period <= end)).to_numpy(dtype=bool)]
    n = len(scope)

    cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def column(code: str) -> tuple[np.ndarray, np.ndarray]:
        """(known mask, values with unknown as 0) of one count column."""
        if code not in cache:
            if code in scope.columns:
                s = scope[code]
                cache[code] = (s.notna().to_numpy(), s.to_numpy(dtype="int64", na_value=0))
            else:
                cache[code] = (np.zeros(n, dtype=bool), np.zeros(n, dtype="int64"))
        return cache[code]

    def total(codes: tuple[str, ...], known: np.ndarray) -> np.ndarray:
        acc = np.zeros(n, dtype="int64")
        for code in codes:
            acc += column(code)[1]
        return np.where(known, acc, 0)

    data: dict[str, object] = {k: scope[k].to_numpy() for k in keys}
    for i, (num, den) in enumerate(specs):
        known = np.ones(n, dtype=bool)
        for code in dict.fromkeys(num + den):
            known &= column(code)[0]
        data[f"n{i}"] = total(num, known)
        data[f"d{i}"] = total(den, known)
        data[f"c{i}"] = known.astype("int64")
    data["rows"] = np.ones(n, dtype="int64")
    work = pd.DataFrame(data)
    if keys:
        return work.groupby(keys, dropna=False, sort=True).sum().reset_index()
    return work.sum(numeric_only=True).to_frame().T.astype("int64")


def _long(wide: pd.DataFrame, kpi_ids: list[str], keys: list[str]) -> pd.DataFrame:
    """One row per KPI and group (KPIs in plan order, then the groups in ``wide``'s order)."""
    k, g = len(kpi_ids), len(wide)
    if k == 0:
        return pd.DataFrame(columns=[*keys, *AGG_COLUMNS])
    nums = np.concatenate([wide[f"n{i}"].to_numpy(dtype="int64") for i in range(k)]) if g else np.zeros(0, "int64")
    dens = np.concatenate([wide[f"d{i}"].to_numpy(dtype="int64") for i in range(k)]) if g else np.zeros(0, "int64")
    complete = (np.concatenate([wide[f"c{i}"].to_numpy(dtype="int64") for i in range(k)])
                if g else np.zeros(0, "int64"))
    rows = np.tile(wide["rows"].to_numpy(dtype="int64"), k)
    missing = complete == 0
    data: dict[str, object] = {key: np.tile(wide[key].to_numpy(dtype=object), k) for key in keys}
    data["kpi"] = np.repeat(np.array(kpi_ids, dtype=object), g)
    data["numerator"] = pd.arrays.IntegerArray(nums, missing.copy())
    data["denominator"] = pd.arrays.IntegerArray(dens, missing.copy())
    data["rows"] = rows
    data["rows_missing"] = rows - complete
    out = pd.DataFrame(data)
    out["kpi"] = out["kpi"].astype(str)
    return out


# ---------------------------------------------------------------------------- step 2: judge


def _judge_columns(num: pd.Series, den: pd.Series, target: np.ndarray, plan: Plan) -> dict[str, object]:
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
    return {
        "value": value,
        "gap": value - target,
        "shortfall": shortfall,
        "status": pd.array(status, dtype=object),
    }


def _targets(agg: pd.DataFrame, plan: Plan, period: str | None) -> np.ndarray:
    """Target per row: at the row's own ``period`` when there is that column, else at ``period``;
    for the row's unit when grouped by unit."""
    kpis = agg["kpi"].tolist()
    if "period" in agg.columns:
        periods = agg["period"].tolist()
    else:
        if period is None:
            raise ValueError("evaluate needs `period` when the frame has no 'period' column")
        _check_period(period)
        periods = [period] * len(agg)
    units = agg["unit"].tolist() if "unit" in agg.columns else [None] * len(agg)
    memo: dict[tuple, float] = {}
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
    judged = _judge_columns(out["numerator"], out["denominator"], target, plan)
    labels = {k: s.label for k, s in plan.kpis.items()}
    out.insert(out.columns.get_loc("kpi") + 1, "label", out["kpi"].map(labels).astype(object))
    out["target"] = target
    for key, values in judged.items():
        out[key] = values
    return out


# ---------------------------------------------------------------------------- tables


def kpi_table(
    figures: Figures,
    plan: Plan,
    *,
    period: str,
    ytd: bool = False,
    by: Sequence[str] = (),
    change: bool = False,
) -> pd.DataFrame:
    """The KPI table of one month, or of January..``period`` when ``ytd`` (target at ``period``).

    Columns as :func:`evaluate`; with ``change=True`` also ``change`` (see :func:`with_change`),
    against the same table for the previous month (year-to-date through the previous month when
    ``ytd``; for January year-to-date there is none, so ``change`` is NaN).
    """
    year, month = _check_period(period)
    start = f"{year}-01" if ytd else period
    table = evaluate(aggregate(figures, plan, start=start, end=period, by=by), plan, period=period)
    if change:
        if ytd and month == 1:
            table["change"] = np.nan
        else:
            prev = kpi_table(figures, plan, period=previous_period(period), ytd=ytd, by=by)
            table = with_change(table, prev, by)
    return table


def with_change(table_now: pd.DataFrame, table_prev: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """``table_now`` with ``change`` = value − the previous table's value for the same KPI and group,
    in fraction points (0.03 = +3 points); NaN when either has no value."""
    keys = [*_check_by(by), "kpi"]
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
    keys = _check_by(by, allow_period=False)
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
    judged = _judge_columns(monthly["ytd_numerator"], monthly["ytd_denominator"],
                            monthly["target"].to_numpy(dtype="float64"), plan)
    for key, values in judged.items():
        monthly[f"ytd_{key}"] = values
    return monthly.drop(columns=["_order", "_n", "_d", "_c"]).reset_index(drop=True)


def project_year_end(
    figures: Figures, plan: Plan, *, period: str, by: Sequence[str] = ()
) -> pd.DataFrame:
    """Year-end projection from the year-to-date through ``period``.

    Method (:data:`PROJECTION_METHOD_VI`): the last quarter's pace continues —
    projected numerator = YTD numerator + average monthly numerator of the last 3 months
    (January..``period`` only; months without a complete row are not counted in the average)
    × months remaining; the same for the denominator; projected value = their ratio, judged
    against the December target (unit override when grouped by unit). No month with data in the
    window → ``no_data``. In December the projection is the year-to-date.

    Columns: ``*by, kpi, label, months_remaining, ytd_numerator, ytd_denominator, ytd_value,
    pace_numerator, pace_denominator`` (monthly averages, float), ``projected_numerator,
    projected_denominator`` (float), ``projected_value, target, projected_gap,
    projected_shortfall`` (dossiers beyond the pace needed by year end, Int64),
    ``projected_status``.
    """
    year, month = _check_period(period)
    keys = _check_by(by, allow_period=False)
    agg = aggregate(figures, plan, start=f"{year}-01", end=period, by=["period", *keys])
    window_start = _shift(period, -(min(PROJECTION_WINDOW, month) - 1))
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
        ].sum().reset_index()
    )
    remaining = 12 - month
    near = Fraction(str(plan.near))
    december = f"{year}-12"
    labels = {k: s.label for k, s in plan.kpis.items()}
    records = []
    for row in sums.itertuples(index=False):
        unit = getattr(row, "unit", None) if "unit" in keys else None
        target = plan.target_for(row.kpi, december, unit if isinstance(unit, str) else None)
        rec: dict[str, object] = {k: getattr(row, k) for k in keys}
        has_ytd = row.s_complete > 0
        rec.update(
            kpi=row.kpi, label=labels[row.kpi], months_remaining=remaining,
            ytd_numerator=int(row.s_num) if has_ytd else pd.NA,
            ytd_denominator=int(row.s_den) if has_ytd else pd.NA,
            ytd_value=row.s_num / row.s_den if has_ytd and row.s_den > 0 else np.nan,
            pace_numerator=np.nan, pace_denominator=np.nan, projected_numerator=np.nan,
            projected_denominator=np.nan, projected_value=np.nan, target=target, projected_gap=np.nan,
            projected_shortfall=pd.NA, projected_status="no_data",
        )
        if row.s_wmonths > 0:
            pace_num = Fraction(int(row.s_wnum), int(row.s_wmonths))
            pace_den = Fraction(int(row.s_wden), int(row.s_wmonths))
            pnum = row.s_num + pace_num * remaining
            pden = row.s_den + pace_den * remaining
            rec.update(pace_numerator=float(pace_num), pace_denominator=float(pace_den),
                       projected_numerator=float(pnum), projected_denominator=float(pden))
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
    columns = [*keys, "kpi", "label", "months_remaining", "ytd_numerator", "ytd_denominator", "ytd_value",
               "pace_numerator", "pace_denominator", "projected_numerator", "projected_denominator",
               "projected_value", "target", "projected_gap", "projected_shortfall", "projected_status"]
    out = pd.DataFrame.from_records(records, columns=columns)
    for c in ("ytd_numerator", "ytd_denominator", "projected_shortfall"):
        out[c] = out[c].astype("Int64")
    for c in ("ytd_value", "pace_numerator", "pace_denominator", "projected_numerator", "projected_denominator",
              "projected_value", "target", "projected_gap"):
        out[c] = out[c].astype("float64")
    return out


def rank(
    table: pd.DataFrame,
    by_col: str | Sequence[str] = "unit",
    key: Literal["shortfall", "gap"] = "shortfall",
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
    "GROUP_KEYS",
    "PROJECTION_METHOD_VI",
    "STATUSES",
    "add_totals",
    "aggregate",
    "evaluate",
    "kpi_table",
    "monthly_series",
    "previous_period",
    "project_year_end",
    "rank",
    "with_change",
]
