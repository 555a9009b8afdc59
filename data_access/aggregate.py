"""Sums in the database: the KPI engine's figure source for large data (no raw rows in Python).

``SqlFigures.wide`` answers one ``SELECT … GROUP BY`` per call (over several months with a stock
KPI, one ``SELECT`` over a per-series sub-select: flows and stocks as in :mod:`kpi.sums`), with the month range and the
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

from data_access.columns import COUNT_COLUMNS, series_keys, split_stocks
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
        over_months = start < end and "period" not in keys
        q = _wide_statement(spec_key, keys, self.units is not None, self.fields is not None, over_months)
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
    over_months: bool = False,
) -> sa.Select[Any]:
    """The GROUP BY statement for these KPI specs and keys, built once and reused with new parameters.

    Without a procedure key it reads ``figure_sum`` (a pattern of known columns counts for a KPI
    when it covers the KPI's columns); with one, the figure rows themselves.

    ``over_months`` (several months, not grouped by period) with a KPI that needs a stock: the
    flows and stocks rule of :mod:`kpi.sums`, in one statement. An inner ``GROUP BY`` per row-series
    (:func:`~data_access.columns.series_keys`) sums each KPI with its stocks taken only in their
    month (``:start`` or ``:end``) and counts the series' rows in those months and how many of them
    have the KPI's figures known; the outer ``GROUP BY`` over ``keys`` keeps the series whose every
    row there is known.
    """
    table = figure if "procedure_code" in keys else figure_sum
    split = [tuple(split_stocks(tuple(dict.fromkeys(n + d)))) for n, d in specs] if over_months else []
    if not any(first or last for _, first, last in split):
        return _flat_statement(table, specs, keys, by_units, by_fields)
    return _series_statement(table, specs, keys, by_units, by_fields)


def _known(table: sa.Table, codes: Sequence[str]) -> tuple[sa.ColumnElement[bool], sa.ColumnElement[Any]]:
    """(whether ``codes`` are all known in a row of ``table``, the row's weight in rows)."""
    if table is figure:
        if not codes:
            return sa.true(), sa.literal(1)
        return sa.and_(*[figure.c[c].isnot(None) for c in codes]), sa.literal(1)
    bits = sum(BITS[c] for c in codes)
    return table.c.known_mask.op("&")(bits) == bits, table.c.row_count


def _total(known: sa.ColumnElement[bool], expr: sa.ColumnElement[Any], label: str) -> sa.Label[Any]:
    return sa.func.coalesce(sa.func.sum(sa.case((known, expr), else_=0)), 0).label(label)


def _rows(table: sa.Table) -> sa.Label[Any]:
    if table is figure:
        return sa.func.count().label("rows")
    return sa.func.coalesce(sa.func.sum(table.c.row_count), 0).label("rows")


def _source(
    table: sa.Table, by_units: bool, by_fields: bool
) -> tuple[sa.Join, sa.ColumnElement[bool] | None]:
    a = _active(by_units)
    where = table.c.field.in_(sa.bindparam("fields", expanding=True)) if by_fields else None
    return table.join(a, on_active(table, a)), where


def _flat_statement(
    table: sa.Table,
    specs: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...],
    keys: tuple[str, ...],
    by_units: bool,
    by_fields: bool,
) -> sa.Select[Any]:
    """Every column summed over the rows in scope (one month, or flows only)."""
    joined, where = _source(table, by_units, by_fields)
    cols: list[sa.ColumnElement[Any]] = [table.c[k].label(k) for k in keys]
    cols.append(_rows(table))
    for i, (num, den) in enumerate(specs):
        known, weight = _known(table, tuple(dict.fromkeys(num + den)))
        cols.append(_total(known, _plus(num, table), f"n{i}"))
        cols.append(_total(known, _plus(den, table), f"d{i}"))
        cols.append(_total(known, weight, f"c{i}"))
    q = sa.select(*cols).select_from(joined)
    if where is not None:
        q = q.where(where)
    return q.group_by(*[table.c[k] for k in keys]) if keys else q


def _series_statement(
    table: sa.Table,
    specs: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...],
    keys: tuple[str, ...],
    by_units: bool,
    by_fields: bool,
) -> sa.Select[Any]:
    """Flows summed, stocks taken at ``:start`` / ``:end``, per row-series, then grouped by ``keys``."""
    joined, where = _source(table, by_units, by_fields)
    series = series_keys(keys)
    at = {"start": table.c.period == sa.bindparam("start"), "end": table.c.period == sa.bindparam("end")}
    _, weight = _known(table, ())
    cols: list[sa.ColumnElement[Any]] = [table.c[k].label(k) for k in series]
    cols.append(_rows(table))
    for b in ("start", "end"):
        cols.append(_total(at[b], weight, f"there_{b}"))
    for i, (num, den) in enumerate(specs):
        flows, first, last = split_stocks(tuple(dict.fromkeys(num + den)))
        known, weight = _known(table, flows)
        cols.append(_total(known, _value(num, table, at), f"n{i}"))
        cols.append(_total(known, _value(den, table, at), f"d{i}"))
        cols.append(_total(known, weight, f"c{i}"))
        for b, stocks in (("start", first), ("end", last)):
            if stocks:
                good, _ = _known(table, flows + stocks)
                cols.append(_total(sa.and_(at[b], good), weight, f"good{i}_{b}"))
    inner = sa.select(*cols).select_from(joined)
    if where is not None:
        inner = inner.where(where)
    sub = inner.group_by(*[table.c[k] for k in series]).subquery("series")
    out: list[sa.ColumnElement[Any]] = [sub.c[k].label(k) for k in keys]
    out.append(sa.func.coalesce(sa.func.sum(sub.c.rows), 0).label("rows"))
    for i, (num, den) in enumerate(specs):
        _, first, last = split_stocks(tuple(dict.fromkeys(num + den)))
        checks = [
            sa.and_(sub.c[f"there_{b}"] > 0, sub.c[f"there_{b}"] == sub.c[f"good{i}_{b}"])
            for b, stocks in (("start", first), ("end", last))
            if stocks
        ]
        ok: sa.ColumnElement[bool] = sa.and_(*checks) if checks else sa.true()
        for p in "ndc":
            out.append(_total(ok, sub.c[f"{p}{i}"], f"{p}{i}"))
    q = sa.select(*out).select_from(sub)
    return q.group_by(*[sub.c[k] for k in keys]) if keys else q


def _value(
    codes: Sequence[str], table: sa.Table, at: dict[str, sa.ColumnElement[bool]]
) -> sa.ColumnElement[Any]:
    """The sum of ``codes`` in a row, a stock only in its month (else 0)."""
    flows, first, last = split_stocks(tuple(codes))
    expr: sa.ColumnElement[Any] = _plus(flows, table) if flows else sa.literal(0)
    for b, stocks in (("start", first), ("end", last)):
        if stocks:
            expr = expr + sa.case((at[b], _plus(stocks, table)), else_=0)
    return expr


def _plus(codes: Sequence[str], table: sa.Table = figure) -> sa.ColumnElement[Any]:
    """The sum of ``codes`` in a row of ``table`` (0 for none: a part of a KPI may count only stocks)."""
    if not codes:
        return sa.literal(0)
    expr: sa.ColumnElement[Any] = table.c[codes[0]]
    for c in codes[1:]:
        expr = expr + table.c[c]
    return expr
