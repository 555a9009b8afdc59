"""Derived views for directors: the worst (unit, KPI) pairs and where their gap sits."""

from __future__ import annotations

import pandas as pd

from kpi.engine import Figures, kpi_table
from kpi.periods import Period
from kpi.targets import Plan


def attention(
    by_unit: pd.DataFrame, by_unit_field: pd.DataFrame | None = None, *, top: int = 10
) -> pd.DataFrame:
    """The ``top`` (unit, KPI) pairs below or near target, most dossiers short first.

    ``by_unit`` is a KPI table grouped by unit; with ``by_unit_field`` (grouped by unit and field)
    each pair also names the field with the largest shortfall (``worst_field``, ``worst_field_shortfall``).
    Columns: unit, kpi, label, value, target, gap, shortfall, status, numerator, denominator,
    worst_field, worst_field_shortfall.
    """
    cols = [
        "unit",
        "kpi",
        "label",
        "value",
        "target",
        "gap",
        "shortfall",
        "status",
        "numerator",
        "denominator",
    ]
    t = by_unit[by_unit["status"].isin(["below", "near"])].copy()
    t = t[t["shortfall"].fillna(0) > 0]
    t["_s"] = t["shortfall"].astype("float64")
    t = t.sort_values(["_s", "gap"], ascending=[False, True], kind="stable").head(top)[cols]
    t["worst_field"] = None
    t["worst_field_shortfall"] = pd.array([pd.NA] * len(t), dtype="Int64")
    if by_unit_field is not None and not t.empty:
        f = by_unit_field[by_unit_field["shortfall"].fillna(0) > 0].copy()
        f["_s"] = f["shortfall"].astype("float64")
        best = f.sort_values("_s", ascending=False, kind="stable").drop_duplicates(["unit", "kpi"])
        best = best.set_index(["unit", "kpi"])
        for i, r in t.iterrows():
            if (r["unit"], r["kpi"]) in best.index:
                b = best.loc[(r["unit"], r["kpi"])]
                t.at[i, "worst_field"] = b["field"]
                t.at[i, "worst_field_shortfall"] = int(b["shortfall"])
    return t.reset_index(drop=True)


def attention_for(
    figures: Figures, plan: Plan, *, period: str | Period, ytd: bool = False, top: int = 10
) -> pd.DataFrame:
    """:func:`attention` of ``figures``' tables by unit and by unit × field for ``period``: a
    :class:`~kpi.periods.Period` or its code, as :func:`kpi.engine.kpi_table` takes it (with ``ytd``
    a month is the year to date through it)."""
    by_unit = kpi_table(figures, plan, period=period, ytd=ytd, by=("unit",))
    by_unit_field = kpi_table(figures, plan, period=period, ytd=ytd, by=("unit", "field"))
    return attention(by_unit, by_unit_field, top=top)
