"""Sums in the database: the KPI engine's figure source for large data (no raw rows in Python).

``SqlFigures.wide`` answers one ``SELECT … GROUP BY`` per call, with the month range and the
unit/field filters in the ``WHERE`` and the "latest upload of each (month, unit)" resolved in SQL
on the small ``upload_part`` table. It implements :class:`kpi.engine.FigureSource`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access.columns import COUNT_COLUMNS
from data_access.schema import figure, figure_sum, upload_part

GROUPABLE = ("period", "unit", "field", "procedure_code")
BITS: dict[str, int] = {c: 1 << i for i, c in enumerate(COUNT_COLUMNS)}


def _mask_sql() -> str:
    return " + ".join(f"(CASE WHEN {c} IS NOT NULL THEN {b} ELSE 0 END)" for c, b in BITS.items())


def refresh_sums(conn: sa.Connection, upload_id: int) -> None:
    """(Re)build the ``figure_sum`` rows of one upload from its figures, inside the caller's transaction."""
    cols = ", ".join(COUNT_COLUMNS)
    sums = ", ".join(f"SUM({c})" for c in COUNT_COLUMNS)
    conn.execute(figure_sum.delete().where(figure_sum.c.upload_id == upload_id))
    conn.execute(sa.text(
        f"INSERT INTO figure_sum (upload_id, period, unit, field, known_mask, row_count, {cols}) "
        f"SELECT upload_id, period, unit, field, m, COUNT(*), {sums} FROM "
        f"(SELECT figure.*, {_mask_sql()} AS m FROM figure WHERE upload_id = :u) AS f "
        f"GROUP BY upload_id, period, unit, field, m"
    ), {"u": upload_id})


@dataclass(frozen=True)
class SqlFigures:
    """The active figures of a database, optionally limited to some units and fields."""

    engine: Engine
    units: tuple[str, ...] | None = None
    fields: tuple[str, ...] | None = None

    def where(self, *, units: Sequence[str] | None = None, fields: Sequence[str] | None = None) -> SqlFigures:
        """The same source limited to ``units`` and/or ``fields``."""
        return replace(self, units=tuple(units) if units is not None else self.units,
                       fields=tuple(fields) if fields is not None else self.fields)

    def _active(self, start: str, end: str) -> sa.Subquery:
        q = (sa.select(upload_part.c.period, upload_part.c.unit,
                       sa.func.max(upload_part.c.upload_id).label("upload_id"))
             .where(upload_part.c.period >= start, upload_part.c.period <= end)
             .group_by(upload_part.c.period, upload_part.c.unit))
        if self.units is not None:
            q = q.where(upload_part.c.unit.in_(self.units))
        return q.subquery("active")

    def _from(self, start: str, end: str) -> tuple[sa.FromClause, list[sa.ColumnElement[bool]]]:
        a = self._active(start, end)
        joined = figure.join(a, sa.and_(figure.c.upload_id == a.c.upload_id, figure.c.period == a.c.period,
                                        figure.c.unit == a.c.unit))
        conds: list[sa.ColumnElement[bool]] = []
        if self.fields is not None:
            conds.append(figure.c.field.in_(self.fields))
        return joined, conds

    def wide(self, specs: Sequence[tuple[tuple[str, ...], tuple[str, ...]]], *, start: str, end: str,
             by: Sequence[str]) -> pd.DataFrame:
        """Per group: ``rows``, and per spec ``i`` the sums ``n{i}``, ``d{i}`` over complete rows and their count ``c{i}``."""
        keys = list(by)
        for k in keys:
            if k not in GROUPABLE:
                raise ValueError(f"cannot group by {k!r}")
        for num, den in specs:
            for code in (*num, *den):
                if code not in COUNT_COLUMNS:
                    raise ValueError(f"unknown column {code!r}")
        if "procedure_code" in keys:
            q = self._wide_rows(specs, start, end, keys)
        else:
            q = self._wide_sums(specs, start, end, keys)
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        names = [*keys, "rows", *[f"{p}{i}" for i in range(len(specs)) for p in "ndc"]]
        frame = pd.DataFrame([tuple(r) for r in rows], columns=names)
        if not keys:
            if frame.empty:
                frame = pd.DataFrame([[0] * len(names)], columns=names)
            return frame.astype("int64")
        for c in names[len(keys):]:
            frame[c] = frame[c].astype("int64")
        for k in keys:
            frame[k] = frame[k].astype(object).where(frame[k].notna(), None)
        return frame.sort_values(keys, na_position="last", kind="stable").reset_index(drop=True)

    def _wide_rows(self, specs: Sequence[tuple[tuple[str, ...], tuple[str, ...]]], start: str, end: str,
                   keys: list[str]) -> sa.Select:
        """Sum the figure rows themselves (needed to group by procedure)."""
        joined, conds = self._from(start, end)
        cols: list[sa.ColumnElement] = [figure.c[k].label(k) for k in keys]
        cols.append(sa.func.count().label("rows"))
        for i, (num, den) in enumerate(specs):
            known = sa.and_(*[figure.c[c].isnot(None) for c in dict.fromkeys(num + den)])
            cols.append(sa.func.coalesce(sa.func.sum(sa.case((known, _plus(num)), else_=0)), 0).label(f"n{i}"))
            cols.append(sa.func.coalesce(sa.func.sum(sa.case((known, _plus(den)), else_=0)), 0).label(f"d{i}"))
            cols.append(sa.func.coalesce(sa.func.sum(sa.case((known, 1), else_=0)), 0).label(f"c{i}"))
        q = sa.select(*cols).select_from(joined).where(*conds)
        return q.group_by(*[figure.c[k] for k in keys]) if keys else q

    def _wide_sums(self, specs: Sequence[tuple[tuple[str, ...], tuple[str, ...]]], start: str, end: str,
                   keys: list[str]) -> sa.Select:
        """Sum the pre-summed ``figure_sum`` rows: a pattern counts for a KPI when it covers the KPI's columns."""
        a = self._active(start, end)
        fs = figure_sum
        joined = fs.join(a, sa.and_(fs.c.upload_id == a.c.upload_id, fs.c.period == a.c.period,
                                    fs.c.unit == a.c.unit))
        conds = [fs.c.field.in_(self.fields)] if self.fields is not None else []
        cols: list[sa.ColumnElement] = [fs.c[k].label(k) for k in keys]
        cols.append(sa.func.coalesce(sa.func.sum(fs.c.row_count), 0).label("rows"))
        for i, (num, den) in enumerate(specs):
            bits = sum(BITS[c] for c in dict.fromkeys(num + den))
            known = fs.c.known_mask.op("&")(bits) == bits
            n_expr = _plus(num, fs)
            d_expr = _plus(den, fs)
            cols.append(sa.func.coalesce(sa.func.sum(sa.case((known, n_expr), else_=0)), 0).label(f"n{i}"))
            cols.append(sa.func.coalesce(sa.func.sum(sa.case((known, d_expr), else_=0)), 0).label(f"d{i}"))
            cols.append(sa.func.coalesce(sa.func.sum(sa.case((known, fs.c.row_count), else_=0)), 0).label(f"c{i}"))
        q = sa.select(*cols).select_from(joined).where(*conds)
        return q.group_by(*[fs.c[k] for k in keys]) if keys else q

    # ------------------------------------------------------------------ lists for the filters

    def months(self) -> list[str]:
        a = self._active("0000-00", "9999-99")
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(sa.select(a.c.period).distinct().order_by(a.c.period))]

    def unit_names(self) -> list[str]:
        a = self._active("0000-00", "9999-99")
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(sa.select(a.c.unit).distinct().order_by(a.c.unit))]

    def procedure_names(self, start: str, end: str) -> dict[str, str]:
        """{procedure code: name} of the rows in scope (for drill-down labels)."""
        joined, conds = self._from(start, end)
        q = (sa.select(figure.c.procedure_code, sa.func.max(figure.c.procedure_name)).select_from(joined)
             .where(*conds, figure.c.procedure_code.isnot(None)).group_by(figure.c.procedure_code))
        with self.engine.connect() as conn:
            return {code: name or "" for code, name in conn.execute(q)}


def _plus(codes: Sequence[str], table: sa.Table = figure) -> sa.ColumnElement:
    expr: sa.ColumnElement = table.c[codes[0]]
    for c in codes[1:]:
        expr = expr + table.c[c]
    return expr
