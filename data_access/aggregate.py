"""Sums in the database: the KPI engine's figure source for large data (no raw rows in Python).

``SqlFigures.wide`` answers one ``SELECT … GROUP BY`` per call, with the month range and the
unit/field filters in the ``WHERE`` and the "latest upload of each (month, unit)" resolved in SQL
on the small ``upload_part`` table. It implements :class:`kpi.engine.FigureSource`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access.columns import COUNT_COLUMNS
from data_access.schema import figure, figure_sum
from data_access.store.active import active_versions, on_active
from data_access.store.sums import BITS, refresh_sums

__all__ = ["BITS", "GROUPABLE", "SqlFigures", "refresh_sums"]

GROUPABLE = ("period", "unit", "field", "procedure_code")
#: What :meth:`SqlFigures.wide` sums: per spec, its numerator columns and its denominator columns.
WideSpecs = Sequence[tuple[tuple[str, ...], tuple[str, ...]]]


@dataclass(frozen=True)
class SqlFigures:
    """The active figures of a database, optionally limited to some units and fields."""

    engine: Engine
    units: tuple[str, ...] | None = None
    fields: tuple[str, ...] | None = None

    def where(self, *, units: Sequence[str] | None = None, fields: Sequence[str] | None = None) -> SqlFigures:
        """The same source limited to ``units`` and/or ``fields``."""
        return replace(
            self,
            units=tuple(units) if units is not None else self.units,
            fields=tuple(fields) if fields is not None else self.fields,
        )

    def _params(self, start: str, end: str) -> dict[str, object]:
        params: dict[str, object] = {"start": start, "end": end}
        if self.units is not None:
            params["units"] = list(self.units)
        if self.fields is not None:
            params["fields"] = list(self.fields)
        return params

    def wide(self, specs: WideSpecs, *, start: str, end: str, by: Sequence[str]) -> pd.DataFrame:
        """Per group: ``rows``, and per spec ``i`` the sums ``n{i}``, ``d{i}`` over complete rows and their count ``c{i}``."""
        keys = tuple(by)
        for k in keys:
            if k not in GROUPABLE:
                raise ValueError(f"cannot group by {k!r}")
        spec_key = tuple((tuple(n), tuple(d)) for n, d in specs)
        for num, den in spec_key:
            for code in (*num, *den):
                if code not in COUNT_COLUMNS:
                    raise ValueError(f"unknown column {code!r}")
        q = _wide_statement(spec_key, keys, self.units is not None, self.fields is not None)
        with self.engine.connect() as conn:
            rows = conn.execute(q, self._params(start, end)).all()
        names = [*keys, "rows", *[f"{p}{i}" for i in range(len(specs)) for p in "ndc"]]
        frame = pd.DataFrame([tuple(r) for r in rows], columns=names)
        if not keys:
            if frame.empty:
                frame = pd.DataFrame([[0] * len(names)], columns=names)
            return frame.fillna(0).astype("int64")
        for c in names[len(keys) :]:
            frame[c] = frame[c].astype("int64")
        for k in keys:
            frame[k] = frame[k].astype(object).where(frame[k].notna(), None)
        return frame.sort_values(list(keys), na_position="last", kind="stable").reset_index(drop=True)

    # ------------------------------------------------------------------ lists for the filters

    def months(self) -> list[str]:
        return self._distinct("period")

    def unit_names(self) -> list[str]:
        return self._distinct("unit")

    def _distinct(self, column: str) -> list[str]:
        """The distinct values of ``column`` in scope (every month), sorted."""
        c = _active(self.units is not None).c[column]
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(c).distinct().order_by(c), self._params("0000-00", "9999-99"))
            return [r[0] for r in rows]

    def procedure_names(self, start: str, end: str) -> dict[str, str]:
        """{procedure code: name} of the rows in scope (for drill-down labels)."""
        a = _active(self.units is not None)
        joined = figure.join(a, on_active(figure, a))
        q = (
            sa.select(figure.c.procedure_code, sa.func.max(figure.c.procedure_name))
            .select_from(joined)
            .where(figure.c.procedure_code.isnot(None))
            .group_by(figure.c.procedure_code)
        )
        if self.fields is not None:
            q = q.where(figure.c.field.in_(sa.bindparam("fields", expanding=True)))
        with self.engine.connect() as conn:
            return {code: name or "" for code, name in conn.execute(q, self._params(start, end))}


def _active(by_units: bool) -> sa.Subquery:
    """Latest upload of each (month, unit) in [start, end] (bound parameters ``start``, ``end``, ``units``)."""
    units: sa.BindParameter[Any] | None = sa.bindparam("units", expanding=True) if by_units else None
    return active_versions(sa.bindparam("start"), sa.bindparam("end"), units=units)


@lru_cache(maxsize=512)
def _wide_statement(
    specs: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...],
    keys: tuple[str, ...],
    by_units: bool,
    by_fields: bool,
) -> sa.Select[Any]:
    """The GROUP BY statement for these KPI specs and keys, built once and reused with new parameters.

    Without a procedure key it reads ``figure_sum`` (a pattern of known columns counts for a KPI
    when it covers the KPI's columns); with one, the figure rows themselves.
    """
    table = figure if "procedure_code" in keys else figure_sum
    a = _active(by_units)
    joined = table.join(a, on_active(table, a))
    cols: list[sa.ColumnElement[Any]] = [table.c[k].label(k) for k in keys]
    if table is figure:
        cols.append(sa.func.count().label("rows"))
    else:
        cols.append(sa.func.coalesce(sa.func.sum(table.c.row_count), 0).label("rows"))
    for i, (num, den) in enumerate(specs):
        needed = tuple(dict.fromkeys(num + den))
        if table is figure:
            known = sa.and_(*[figure.c[c].isnot(None) for c in needed])
            weight: sa.ColumnElement[Any] = sa.literal(1)
        else:
            bits = sum(BITS[c] for c in needed)
            known = table.c.known_mask.op("&")(bits) == bits
            weight = table.c.row_count
        cols.append(
            sa.func.coalesce(sa.func.sum(sa.case((known, _plus(num, table)), else_=0)), 0).label(f"n{i}")
        )
        cols.append(
            sa.func.coalesce(sa.func.sum(sa.case((known, _plus(den, table)), else_=0)), 0).label(f"d{i}")
        )
        cols.append(sa.func.coalesce(sa.func.sum(sa.case((known, weight), else_=0)), 0).label(f"c{i}"))
    q = sa.select(*cols).select_from(joined)
    if by_fields:
        q = q.where(table.c.field.in_(sa.bindparam("fields", expanding=True)))
    return q.group_by(*[table.c[k] for k in keys]) if keys else q


def _plus(codes: Sequence[str], table: sa.Table = figure) -> sa.ColumnElement[Any]:
    expr: sa.ColumnElement[Any] = table.c[codes[0]]
    for c in codes[1:]:
        expr = expr + table.c[c]
    return expr
