"""kpi.sums.running_ytd (one grouped sum) gives exactly what one aggregate per month gives."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from data_access.aggregate import SqlFigures
from data_access.columns import COUNT_COLUMNS
from data_access.store import load_figures
from kpi.engine import aggregate
from kpi.sums import running_ytd
from tests.test_periods_engine import STOCK_PLAN, quarter  # noqa: F401  (a fixture)

BY = [(), ("unit",), ("field",), ("unit", "field"), ("procedure_code",), ("unit", "field", "procedure_code")]


def _reference(figures: object, plan, by: tuple[str, ...], year: int = 2024) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """One aggregate over January..m per month m with figures (what running_ytd replaces)."""
    stock = replace(plan, kpis={k: s for k, s in plan.kpis.items() if s.uses_stock})
    frame = figures if isinstance(figures, pd.DataFrame) else None
    months = sorted(set(frame["period"])) if frame is not None else sorted(figures.months())  # type: ignore[attr-defined]
    parts = [
        aggregate(figures, stock, start=f"{year}-01", end=m, by=by).assign(period=m)  # type: ignore[arg-type]
        for m in months
        if m.startswith(str(year))
    ]
    out = pd.concat(parts, ignore_index=True)
    out["complete"] = out["rows"] - out["rows_missing"]
    return out


def _compare(got: pd.DataFrame, expected: pd.DataFrame, by: tuple[str, ...]) -> None:
    """Every group of the reference, equal; ``got`` may also list a group with no row yet by month m
    (all NA: ``complete`` 0), which the reference leaves out."""
    keys = ["period", *by, "kpi"]
    b = expected.sort_values(keys, na_position="last").reset_index(drop=True)[list(got.columns)]
    a = b[keys].merge(got, on=keys, how="left")
    assert len(a) == len(b)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    extra = got.merge(b[keys], on=keys, how="left", indicator=True)
    assert (extra.loc[extra["_merge"] == "left_only", "complete"] == 0).all()


@pytest.mark.parametrize("by", BY)
def test_the_quarter_fixture_in_pandas_and_sql(quarter: sa.Engine, by: tuple[str, ...]) -> None:  # noqa: F811
    frame = load_figures(quarter)
    expected = _reference(frame, STOCK_PLAN, by)
    _compare(running_ytd(frame, STOCK_PLAN, year=2024, by=by), expected, by)
    _compare(running_ytd(SqlFigures(quarter), STOCK_PLAN, year=2024, by=by), expected, by)


@pytest.mark.parametrize("seed", range(12))
def test_random_figures_with_unknowns_and_missing_months(quarter: sa.Engine, seed: int) -> None:  # noqa: F811
    """Random figures, a tenth of the cells unknown and a fifth of the (series, month) rows absent."""
    base = load_figures(quarter)
    rng = np.random.default_rng(seed)
    series = base[["unit", "field", "procedure_code", "procedure_name"]].drop_duplicates()
    rows = []
    for month in range(1, 7):
        for s in series.itertuples(index=False):
            if rng.random() < 0.2:
                continue
            row = {"period": f"2024-{month:02d}", **s._asdict()}
            for c in COUNT_COLUMNS:
                row[c] = pd.NA if rng.random() < 0.1 else int(rng.integers(0, 40))
            rows.append(row)
    frame = pd.DataFrame(rows)
    for c in COUNT_COLUMNS:
        frame[c] = frame[c].astype("Int64")
    for by in BY:
        _compare(running_ytd(frame, STOCK_PLAN, year=2024, by=by), _reference(frame, STOCK_PLAN, by), by)
