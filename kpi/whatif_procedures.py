"""What-if for the KPIs that count procedures (``procedures.md``): pure pandas, no I/O.

A scenario changes targets only, never which procedures are counted, so the table of
:func:`kpi.procedures.procedure_kpi_table` (numerator, denominator, ``unknown`` in procedures) is
taken once under the plan and judged again under the scenario (:func:`rejudge`), exactly as that
function judges it (:func:`kpi.judge.judge_columns`, the target for the period's last month and, by
unit, the unit's own). :func:`compare_procedures` puts both side by side in the columns of
:func:`kpi.whatif.compare`, with ``unknown`` (procedures left out) in place of ``rows_missing``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from kpi.judge import judge_columns
from kpi.periods import Period, as_period
from kpi.plan import Plan
from kpi.whatif import COMPARE_COLUMNS, compare

#: Columns of :func:`compare_procedures` (after the grouping columns).
PROCEDURE_COMPARE_COLUMNS: tuple[str, ...] = tuple(
    "unknown" if c == "rows_missing" else c for c in COMPARE_COLUMNS
)


class ProcedureCompared(NamedTuple):
    """The procedure KPIs under the plan and the scenario: the headline (the department, or the
    sidebar's unit) and per unit, both :func:`compare_procedures` tables."""

    head: pd.DataFrame
    unit: pd.DataFrame


def rejudge(table: pd.DataFrame, plan: Plan, *, period: str | Period, by: Sequence[str] = ()) -> pd.DataFrame:
    """``table`` (a :func:`kpi.procedures.procedure_kpi_table` of ``period``, grouped by ``by``) judged
    under ``plan``'s targets: ``target``, ``value``, ``gap``, ``shortfall``, ``status`` replaced, the
    counts kept. The target is ``plan``'s for the period's last month, per unit when ``by`` has it."""
    out = table.reset_index(drop=True).copy()
    end = as_period(period).end
    units = out["unit"].tolist() if "unit" in by else [None] * len(out)
    target = np.array(
        [plan.target_for(str(k), end, u) for k, u in zip(out["kpi"].tolist(), units, strict=True)],
        dtype="float64",
    )
    judged = judge_columns(out["numerator"].astype("Int64"), out["denominator"].astype("Int64"), target, plan)
    out["target"] = target
    for key, values in judged.items():
        out[key] = values
    return out


def compare_procedures(
    baseline: pd.DataFrame, scenario: pd.DataFrame, by: Sequence[str] = ()
) -> pd.DataFrame:
    """Two procedure KPI tables (the same KPIs and groups, e.g. a table and its :func:`rejudge`) side
    by side: ``*by`` then :data:`PROCEDURE_COMPARE_COLUMNS` (:func:`kpi.whatif.compare`'s, shortfalls
    and ranks in procedures, ``unknown`` the procedures left out)."""
    b = baseline.assign(rows_missing=baseline["unknown"])
    s = scenario.assign(rows_missing=scenario["unknown"])
    return compare(b, s, by=by).rename(columns={"rows_missing": "unknown"})


def compared_procedures(
    base_head: pd.DataFrame,
    base_unit: pd.DataFrame,
    scenario: Plan,
    *,
    period: str | Period,
    head_by: Sequence[str] = (),
    unit: str | None = None,
) -> ProcedureCompared:
    """The headline and per-unit comparisons of the plan's procedure KPI tables (``base_head``
    grouped by ``head_by``, ``base_unit`` by unit) against ``scenario``; with ``unit`` the headline
    keeps that unit's rows only."""
    head = base_head
    if unit is not None and "unit" in head_by:
        head = head[head["unit"] == unit].reset_index(drop=True)
    return ProcedureCompared(
        compare_procedures(head, rejudge(head, scenario, period=period, by=head_by), by=head_by),
        compare_procedures(
            base_unit, rejudge(base_unit, scenario, period=period, by=("unit",)), by=("unit",)
        ),
    )


__all__ = [
    "PROCEDURE_COMPARE_COLUMNS",
    "ProcedureCompared",
    "compare_procedures",
    "compared_procedures",
    "rejudge",
]
