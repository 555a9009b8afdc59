"""The KPIs of each (month, unit) before and after an upload: pure pandas, no I/O.

``before`` is the active figures, ``after`` the same with the upload's (month, unit) replaced
(:func:`data_access.preview.after_figures`); both are judged per month by unit
(:func:`kpi.engine.kpi_table`), and only the pairs the upload holds are kept.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from kpi.engine import kpi_table
from kpi.targets import Plan


def _value(x: object) -> float | None:
    """A KPI value as a float, None when unknown (None, NA, NaN)."""
    return float(x) if isinstance(x, int | float) and not math.isnan(x) else None


@dataclass(frozen=True)
class KpiMove:
    """One KPI of one (month, unit): its value before and after, and the target and status after."""

    before: float | None
    after: float | None
    target: float
    status: str

    @property
    def change(self) -> float | None:
        """``after − before``, None when either is unknown."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def kpi_moves(
    before: pd.DataFrame, after: pd.DataFrame, plan: Plan, pairs: Iterable[tuple[str, str]]
) -> dict[tuple[str, str, str], KpiMove]:
    """(month, unit, kpi) → :class:`KpiMove` for every (month, unit) of ``pairs`` that has a value
    after (``before`` may be empty: nothing stored yet)."""
    wanted = set(pairs)
    out: dict[tuple[str, str, str], KpiMove] = {}
    for period in sorted({p for p, _ in wanted}):
        tb = kpi_table(before, plan, period=period, by=["unit"]) if not before.empty else None
        ta = kpi_table(after, plan, period=period, by=["unit"])
        old = {(r.unit, r.kpi): r.value for r in tb.itertuples()} if tb is not None else {}
        for r in ta.itertuples():
            if (period, r.unit) in wanted:
                out[(period, str(r.unit), str(r.kpi))] = KpiMove(
                    _value(old.get((r.unit, r.kpi))),
                    _value(r.value),
                    float(r.target),  # type: ignore[arg-type]
                    str(r.status),
                )
    return out


__all__ = ["KpiMove", "kpi_moves"]
