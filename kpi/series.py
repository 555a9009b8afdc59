"""Period by period: the KPI table of every month, quarter, half year or year over a span (pure, no I/O).

Each period is one :func:`kpi.engine.kpi_table` (so one :func:`kpi.engine.aggregate` over its months,
which takes the stocks once: ``carried_over`` of its first month, ``pending*`` of its last), judged at
the target in force in its own last month. The last period is cut to ``end`` when it runs past it
(:meth:`kpi.periods.Period.until`), as the pages cut a period not over yet.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kpi.engine import Figures, aggregate, evaluate, kpi_table
from kpi.periods import Kind, Period, period_of
from kpi.sums import check_by, check_period, shift_period
from kpi.targets import Plan

#: The kinds a series may go by (a year to date is not a sequence of periods).
SERIES_KINDS: tuple[Kind, ...] = ("month", "quarter", "half", "year")
#: The columns :func:`period_series` adds before the KPI table's own.
PERIOD_COLUMNS: tuple[str, ...] = ("period", "period_start", "period_end", "period_name")


def periods_between(kind: Kind, start: str, end: str) -> list[Period]:
    """The periods of ``kind`` holding the months ``start``..``end``, oldest first; the one holding
    ``end`` is cut to it when not over by then (the others are whole)."""
    if kind not in SERIES_KINDS:
        raise ValueError(f"a series goes by {SERIES_KINDS}, got {kind!r}")
    check_period(start)
    check_period(end)
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    out: list[Period] = []
    month = start
    while month <= end:
        p = period_of(kind, month)
        out.append(p.until(end))
        month = shift_period(p.nominal_end, 1)
    return out


def period_series(
    figures: Figures,
    plan: Plan,
    *,
    kind: Kind,
    start: str,
    end: str,
    by: Sequence[str] = (),
    plans: Sequence[tuple[int, Plan]] = (),
) -> pd.DataFrame:
    """The KPI table of every period of ``kind`` (:data:`SERIES_KINDS`) holding the months
    ``start``..``end`` (:func:`periods_between`), each judged at its own last month's target in the
    plan of its own year: ``plans`` gives (year, plan) pairs, a year not among them uses ``plan``.

    Columns: ``period`` (its code: ``2024-06``, ``2024-Q2``, ``2024-H1``, ``2024``), ``period_start``,
    ``period_end`` (the months computed), ``period_name`` (:meth:`Period.describe`), ``*by``, then
    :func:`kpi.engine.evaluate`'s; sorted by KPI (plan order), group, period.
    """
    keys = check_by(by, allow_period=False)
    periods = periods_between(kind, start, end)
    by_year = dict(plans)

    def plan_of(year: int) -> Plan:
        return by_year.get(year, plan)

    if kind == "month":  # one sum grouped by month per year: each month is its own period, stocks and all
        months = {p.code: p for p in periods}
        parts = []
        for year in sorted({p.year for p in periods}):
            first, last = max(start, f"{year:04d}-01"), min(end, f"{year:04d}-12")
            agg = aggregate(figures, plan_of(year), start=first, end=last, by=["period", *keys])
            parts.append(evaluate(agg, plan_of(year)))
        table = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        table = table[table["period"].isin(list(months))]
        parts = [table]
        found = {str(c) for c in table["period"]}
        for code, p in months.items():  # a month without any figure still has its row per KPI
            if code not in found and not keys:
                parts.append(kpi_table(figures, plan_of(p.year), period=p).assign(period=code))
        table = pd.concat(parts, ignore_index=True) if len(parts) > 1 else table
        table = table.assign(
            period_start=table["period"],
            period_end=table["period"],
            period_name=[months[str(c)].describe() for c in table["period"]],
        )
    else:
        tables = [
            kpi_table(figures, plan_of(p.year), period=p, by=keys).assign(
                period=p.code, period_start=p.start, period_end=p.end, period_name=p.describe()
            )
            for p in periods
        ]
        table = pd.concat(tables, ignore_index=True)
    order = {k: i for i, k in enumerate(plan.kpis)}
    table = table.assign(_order=table["kpi"].map(order), _pos=table["period_start"])
    table = table.sort_values(["_order", *keys, "_pos"], kind="stable", na_position="last")
    rest = [c for c in table.columns if c not in (*PERIOD_COLUMNS, *keys, "_order", "_pos")]
    return table[[*PERIOD_COLUMNS, *keys, *rest]].reset_index(drop=True)


__all__ = ["PERIOD_COLUMNS", "SERIES_KINDS", "period_series", "periods_between"]
