"""Step 1 of the KPI engine: numerator and denominator sums per KPI and group (pure pandas, no I/O).

Also the period and grouping checks every step uses. Re-exported by :mod:`kpi.engine`.

Flows and stocks (``periods.md``). Over a range of several months (``start < end``, not grouped by
``period``), the flows are summed over the months, while a stock is taken once: ``carried_over``
(:data:`~data_access.columns.STOCKS_AT_START`) from the range's first month, ``pending``,
``pending_in_time``, ``pending_overdue`` (:data:`~data_access.columns.STOCKS_AT_END`) from its last.
The stock belongs to a **row-series**: the rows of one (unit, field), or of one (unit, field,
procedure code) when grouped by procedure (:func:`~data_access.columns.series_keys`; the SQL sums
use the same key). For a KPI that needs a stock, a series counts only when it has rows in that
month and every one of them has all of the KPI's figures known there; otherwise the series' stock
is unknown and all its rows are left out of that KPI (counted in ``rows_missing``); a group left
with no row has no value ("chưa có số liệu"), never 0. Within a counted series a row of another
month is left out alone when one of its flows is unknown, as for a flow-only KPI. One month
(``start == end``), or each month when grouped by ``period``, is exactly the per-row rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import pandas as pd

from data_access.columns import TOTALS, series_keys, split_stocks
from kpi.targets import Plan

GROUP_KEYS: tuple[str, ...] = ("period", "unit", "field", "procedure_code")
AGG_COLUMNS: tuple[str, ...] = ("kpi", "numerator", "denominator", "rows", "rows_missing")

# ---------------------------------------------------------------------------- helpers


def check_period(period: str) -> tuple[int, int]:
    """(year, month) of a ``YYYY-MM`` period; ValueError for anything else."""
    if (
        not isinstance(period, str)
        or len(period) != 7
        or period[4] != "-"
        or not period[:4].isdigit()
        or not period[5:].isdigit()
        or not 1 <= int(period[5:]) <= 12
    ):
        raise ValueError(f"period must be 'YYYY-MM', got {period!r}")
    return int(period[:4]), int(period[5:])


def previous_period(period: str) -> str:
    """The month before ``period`` (``'2024-01'`` → ``'2023-12'``)."""
    year, month = check_period(period)
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


def shift_period(period: str, months: int) -> str:
    """The month ``months`` after ``period`` (before, when negative)."""
    year, month = check_period(period)
    idx = year * 12 + month - 1 + months
    return f"{idx // 12}-{idx % 12 + 1:02d}"


def check_by(by: Sequence[str], *, allow_period: bool = True) -> list[str]:
    """The grouping keys as a list, checked against :data:`GROUP_KEYS` (a lone string is one key)."""
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

    def wide(
        self,
        specs: Sequence[tuple[tuple[str, ...], tuple[str, ...]]],
        *,
        start: str,
        end: str,
        by: Sequence[str],
    ) -> pd.DataFrame:
        """Per group of ``by`` over months ``start``..``end``: ``rows`` and, for each spec ``i``
        (numerator columns, denominator columns), ``n{i}``/``d{i}`` = sums over the rows where all
        of the spec's columns are known and ``c{i}`` = the number of such rows."""
        ...


Figures = pd.DataFrame | FigureSource


def aggregate(figures: Figures, plan: Plan, *, start: str, end: str, by: Sequence[str] = ()) -> pd.DataFrame:
    """Numerator and denominator sums per KPI and group over the months ``start``..``end``.

    A row counts for a KPI only when all of that KPI's numerator and denominator figures are known.
    Columns: ``*by, kpi, numerator, denominator, rows, rows_missing``; numerator and denominator
    are ``Int64``, NA when no row of the group is complete; ``rows`` counts the group's rows in
    scope, ``rows_missing`` those left out of this KPI. KPIs in plan order, groups sorted (NA last).
    With ``by=()`` there is one row per KPI even when no figure is in scope. Over several months
    a stock is taken once, from the first or the last month (see the module's "Flows and stocks").

    ``figures`` is a figures frame (summed here with pandas) or a :class:`FigureSource` that sums
    in the database; both give the same result.
    """
    check_period(start)
    check_period(end)
    keys = check_by(by)
    specs = [(spec.numerator, spec.denominator) for spec in plan.kpis.values()]
    if isinstance(figures, pd.DataFrame):
        wide = wide_sums(figures, specs, start=start, end=end, by=keys)
    else:
        wide = figures.wide(specs, start=start, end=end, by=keys)
    return _long(wide, list(plan.kpis), keys)


def wide_sums(
    figures: pd.DataFrame,
    specs: Sequence[tuple[tuple[str, ...], tuple[str, ...]]],
    *,
    start: str,
    end: str,
    by: Sequence[str],
) -> pd.DataFrame:
    """The pandas :meth:`FigureSource.wide`: one row per group, ``rows``, ``n{i}``, ``d{i}``, ``c{i}``.

    Over several months, flows and stocks as the module says: a stock column counts only in its
    month (the first or the last), and a row-series whose stock is unknown leaves all its rows out
    of the KPIs that need that stock.
    """
    keys = list(by)
    period = figures["period"]
    if not (pd.api.types.is_string_dtype(period.dtype) or period.dtype == object):
        period = period.astype(str)  # e.g. an empty frame built without dtypes
    scope = figures.loc[((period >= start) & (period <= end)).to_numpy(dtype=bool)]
    n = len(scope)
    over_months = start < end and "period" not in keys

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

    def plus(codes: Sequence[str], where: np.ndarray | None = None) -> np.ndarray:
        acc = np.zeros(n, dtype="int64")
        for code in codes:
            acc += column(code)[1]
        return acc if where is None else np.where(where, acc, 0)

    def all_known(codes: Sequence[str]) -> np.ndarray:
        known = np.ones(n, dtype=bool)
        for code in codes:
            known &= column(code)[0]
        return known

    boundary: dict[str, np.ndarray] = {}

    def series() -> tuple[np.ndarray, int]:
        """(series number of each row, number of series)."""
        if "series" not in boundary:
            numbers = scope.groupby(list(series_keys(keys)), dropna=False, sort=False).ngroup()
            boundary["series"] = numbers.to_numpy(dtype="int64")
            boundary["at_start"] = (scope["period"] == start).to_numpy(dtype=bool)
            boundary["at_end"] = (scope["period"] == end).to_numpy(dtype=bool)
        found = boundary["series"]
        return found, int(found.max()) + 1 if n else 0

    data: dict[str, object] = {k: scope[k].to_numpy() for k in keys}
    for i, (num, den) in enumerate(specs):
        needed = tuple(dict.fromkeys(num + den))
        flows, first, last = split_stocks(needed) if over_months else (needed, (), ())
        known = all_known(flows)
        if first or last:
            codes, count = series()
            ok = np.ones(count, dtype=bool)
            for stocks, at in ((first, boundary["at_start"]), (last, boundary["at_end"])):
                if stocks:
                    there = np.bincount(codes[at], minlength=count)
                    good = np.bincount(codes[at & known & all_known(stocks)], minlength=count)
                    ok &= (there > 0) & (there == good)
            known = known & ok[codes]

        def value(part: tuple[str, ...], known: np.ndarray = known) -> np.ndarray:
            f, s0, s1 = split_stocks(part) if over_months else (part, (), ())
            acc = plus(f)
            if s0:
                acc += plus(s0, boundary["at_start"])
            if s1:
                acc += plus(s1, boundary["at_end"])
            return np.where(known, acc, 0)

        data[f"n{i}"] = value(num)
        data[f"d{i}"] = value(den)
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
    nums = (
        np.concatenate([wide[f"n{i}"].to_numpy(dtype="int64") for i in range(k)])
        if g
        else np.zeros(0, "int64")
    )
    dens = (
        np.concatenate([wide[f"d{i}"].to_numpy(dtype="int64") for i in range(k)])
        if g
        else np.zeros(0, "int64")
    )
    complete = (
        np.concatenate([wide[f"c{i}"].to_numpy(dtype="int64") for i in range(k)])
        if g
        else np.zeros(0, "int64")
    )
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


def running_ytd(figures: Figures, plan: Plan, *, year: int, by: Sequence[str] = ()) -> pd.DataFrame:
    """For every month m of ``year`` with figures, the sums of each KPI of ``plan`` that counts a stock
    (:attr:`~kpi.plan.KpiSpec.uses_stock`) over January..m, exactly as ``aggregate(start=January,
    end=m)`` gives them (stocks once, the row-series rule of the module doc; January alone by the
    per-row rule), but from ONE sum grouped by month and row-series instead of one per month.

    Columns: ``period`` (m), ``*by``, ``kpi``, ``numerator``, ``denominator`` (``Int64``, NA when no
    row counts), ``complete`` (rows counted). Empty when no KPI counts a stock.
    """
    keys = check_by(by, allow_period=False)
    series = list(series_keys(tuple(keys)))
    jan = f"{year:04d}-01"
    out_cols = ["period", *keys, "kpi", "numerator", "denominator", "complete"]
    # per KPI the wide specs it needs: flows alone (F), flows with the end stocks (E), with the start
    # stocks (S), and everything (D, January's per-row sums)
    specs: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    layout: list[tuple[str, dict[str, int]]] = []
    for kpi_id, spec in plan.kpis.items():
        if not spec.uses_stock:
            continue
        (nf, ns, ne), (df, ds, de) = split_stocks(spec.numerator), split_stocks(spec.denominator)
        where = {"F": len(specs)}
        specs.append((nf, df))
        for part, stock_num, stock_den in (("E", ne, de), ("S", ns, ds)):
            if stock_num or stock_den:
                where[part] = len(specs)
                specs.append((nf + stock_num, df + stock_den))
        where["D"] = len(specs)
        specs.append((spec.numerator, spec.denominator))
        layout.append((kpi_id, where))
    if not layout:
        return pd.DataFrame(columns=out_cols)
    grouping, dec = ["period", *series], f"{year:04d}-12"
    if isinstance(figures, pd.DataFrame):
        wide = wide_sums(figures, specs, start=jan, end=dec, by=grouping)
    else:
        wide = figures.wide(specs, start=jan, end=dec, by=grouping)
    if wide.empty:
        return pd.DataFrame(columns=out_cols)
    months = sorted(str(m) for m in wide["period"].unique())
    month_no = wide["period"].astype(str).map({m: i for i, m in enumerate(months)}).to_numpy()
    series_no = wide.groupby(series, dropna=False, sort=False).ngroup().to_numpy()
    n_series, n_months = int(series_no.max()) + 1, len(months)

    def grid(column: str) -> np.ndarray:
        """``column`` of ``wide`` as a (series × month) array, 0 where a series has no row that month."""
        out = np.zeros((n_series, n_months), dtype="int64")
        out[series_no, month_no] = wide[column].to_numpy(dtype="int64")
        return out

    rows = grid("rows")
    j = months.index(jan) if jan in months else None
    # ngroup(sort=False) numbers the series in order of first appearance: their first rows, in order
    labels = wide.loc[~wide.duplicated(subset=series), series].reset_index(drop=True)
    parts = []
    for kpi_id, where in layout:
        f = where["F"]
        num, den, count = (
            np.cumsum(grid(f"n{f}"), 1),
            np.cumsum(grid(f"d{f}"), 1),
            np.cumsum(grid(f"c{f}"), 1),
        )
        ok = np.ones((n_series, n_months), dtype=bool)
        if "E" in where:  # each month's end stocks: the series has rows then, all of them known
            e = where["E"]
            ok &= (rows > 0) & (grid(f"c{e}") == rows)
            num = num + grid(f"n{e}") - grid(f"n{f}")
            den = den + grid(f"d{e}") - grid(f"d{f}")
        if "S" in where:  # January's start stocks, the same way
            s = where["S"]
            if j is None:
                ok[:] = False
            else:
                there = rows[:, j]
                ok &= ((there > 0) & (grid(f"c{s}")[:, j] == there))[:, None]
                num = num + (grid(f"n{s}") - grid(f"n{f}"))[:, [j]]
                den = den + (grid(f"d{s}") - grid(f"d{f}"))[:, [j]]
        num, den, count = np.where(ok, num, 0), np.where(ok, den, 0), np.where(ok, count, 0)
        if j is not None:  # January alone is one month: the per-row rule
            d = where["D"]
            num[:, j], den[:, j], count[:, j] = grid(f"n{d}")[:, j], grid(f"d{d}")[:, j], grid(f"c{d}")[:, j]
        frame = pd.concat([labels] * n_months, ignore_index=True)
        frame["period"] = np.repeat(np.array(months, dtype=object), n_series)
        frame["kpi"] = kpi_id
        frame["numerator"], frame["denominator"], frame["complete"] = (
            num.T.ravel(),
            den.T.ravel(),
            count.T.ravel(),
        )
        parts.append(frame)
    long = pd.concat(parts, ignore_index=True)
    summed = long.groupby(["period", *keys, "kpi"], dropna=False, sort=False)[
        ["numerator", "denominator", "complete"]
    ].sum()
    summed = summed.reset_index()
    none = (summed["complete"] == 0).to_numpy()
    for c in ("numerator", "denominator"):
        summed[c] = pd.arrays.IntegerArray(summed[c].to_numpy(dtype="int64"), none.copy())
    return summed[out_cols]
