"""Figures per procedure, summed in the database: the procedure KPIs' source for large data (``procedures.md``).

:class:`SqlProcedureFigures` implements ``kpi.procedures.ProcedureSource`` with ``GROUP BY`` statements over
the active figure rows (the latest upload of each (month, unit), resolved in SQL on ``upload_part`` by
:func:`~data_access.store.active.active_versions`); no figure row is read into Python, only sums:

* ``sums``: one statement groups the rows by (period, unit, field, procedure_code): each requested
  column's ``SUM``, NULL (NA) when ``COUNT(column) < COUNT(*)`` (a row of it has the cell unknown). Its
  groups with a NULL code (a field's rows without a procedure: a remainder or field-level row) are not
  sums of a procedure: they make that field ``partial``. On PostgreSQL the result comes by ``COPY``;
* ``coverage``: per (period, unit, field) of the active uploads (read from the small ``figure_sum``),
  ``procedure`` when no row of that field lacks a procedure code, else ``partial``. For a (month, unit)
  whose active upload is a dossier list (``upload.layout = 'dossiers'``, kept by a restore) every field
  is ``procedure``: the fields of its rows, and every field the catalog in force that month or at
  ``end`` gives the unit (a catalog procedure of it without a dossier had 0), as
  ``kpi.procedures.procedure_figures_from_frame`` does with its ``dossier_units``;
* ``codes_not_in_catalog``: the procedure codes of active rows missing from the catalog in force in their
  month (none is in force: every code), with the rows' procedure name.

:meth:`SqlProcedureFigures.procedure_totals` gives the per-range shape instead (:class:`ProcedureTotals`,
what the KPI table and list of a year use): one ``GROUP BY`` (unit, field, procedure_code) over the range,
each column's ``SUM`` (NULL when a row of it has the cell empty: ``COUNT`` is compared only for the
columns some active row has empty, known from ``figure_sum.known_mask``), and the months each key has rows
in as a bitmask (bit j = the j-th month of the range: ``bit_or`` of a power of two computed once per
active (month, unit) on PostgreSQL, ``SUM(DISTINCT …)`` on SQLite); its rows without a code give the
months their field is ``partial``. On PostgreSQL the join's row estimate is far too low, so the
statement's transaction hashes instead of sorting (``enable_sort = off``); no index is needed (the join
by ``ix_figure_upload_period_unit`` is ~20 % of its time, the grouping the rest).

The catalog in force in a month (the catalog version with the highest id whose effective month is not
after it, :func:`~data_access.procedure_catalog.version_in_force`) is resolved in SQL too. Unit and field
names are compared as stored: imports store both figures and catalog under the catalog's names.

:class:`ProcedureFigures` is defined here, not in :mod:`kpi.procedures`, because ``data_access`` may not
import ``kpi`` (``tests/test_layers.py``); :mod:`kpi.procedures` takes the class from here.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from threading import Lock
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access.columns import COUNT_COLUMNS
from data_access.procedure_catalog import catalog_version, empty_catalog, version_in_force
from data_access.schema import figure, figure_sum, upload, upload_part
from data_access.schema import procedure_catalog_entry as entry
from data_access.schema import procedure_catalog_version as version
from data_access.store.active import active_versions
from data_access.store.sums import BITS

__all__ = [
    "CODES_COLUMNS",
    "COVERAGE_COLUMNS",
    "DOSSIER_LAYOUT",
    "KEY_COLUMNS",
    "LEVELS",
    "MAX_RANGE_MONTHS",
    "TOTAL_KEYS",
    "CatalogLookup",
    "ProcedureFigures",
    "ProcedureTotals",
    "SqlProcedureFigures",
    "catalog_lookup",
    "codes_not_in_catalog",
]

#: The keys of ``ProcedureFigures.sums`` (then one Int64 column per requested figure column).
KEY_COLUMNS: tuple[str, ...] = ("period", "unit", "field", "procedure_code")
#: The keys of ``ProcedureTotals.totals`` (then ``months`` and one Int64 column per figure column).
TOTAL_KEYS: tuple[str, ...] = ("unit", "field", "procedure_code")
#: The longest range ``ProcedureTotals`` takes: its ``months`` bitmask is a signed 64-bit integer.
MAX_RANGE_MONTHS = 62
COVERAGE_COLUMNS: tuple[str, ...] = ("period", "unit", "field", "level")
CODES_COLUMNS: tuple[str, ...] = ("period", "unit", "field", "procedure_code", "procedure_name")
#: The coverage levels: every row of the field names its procedure / a row without a code exists.
LEVELS: tuple[str, str] = ("procedure", "partial")
#: The ``upload.layout`` of a dossier list (``dossier-list.md``): procedure-level in every field.
DOSSIER_LAYOUT = "dossiers"
#: PostgreSQL's ``work_mem`` for the grouping statement, its transaction only (a constant statement: no
#: value is built into SQL text).
SET_PG_WORK_MEM = "SET LOCAL work_mem = '128MB'"
#: No JIT compilation for these statements: compiling costs ~0,1 s, more than it saves on a year's rows
#: (benchmarks/bench_procedures.py: a year by unit 0,62 → 0,49 s).
SET_PG_NO_JIT = "SET LOCAL jit = off"
#: How COPY writes NULL (a text no code or name is).
_NULL = "\\N"
#: A month ``YYYY-MM`` → the catalog in force (``CATALOG_COLUMNS``).
CatalogLookup = Callable[[str], pd.DataFrame]


@dataclass(frozen=True)
class ProcedureFigures:
    """What procedure KPIs need of the figures over some months (the shapes of the issue 15 contract).

    ``sums``: one row per (period, unit, field, procedure_code) with figure rows in the active uploads,
    then one nullable Int64 column per requested figure column (NA: a row of it has the cell unknown).
    ``coverage``: one row per (period, unit, field) present, ``level`` in :data:`LEVELS`.
    ``codes_not_in_catalog``: period, unit, field, procedure_code, procedure_name.
    """

    sums: pd.DataFrame
    coverage: pd.DataFrame
    codes_not_in_catalog: pd.DataFrame


@dataclass(frozen=True)
class ProcedureTotals:
    """The per-range shape of the figures by procedure (what a year of KPIs needs, ~12× fewer rows than
    :class:`ProcedureFigures` for a year): the months ``start``..``end`` (at most :data:`MAX_RANGE_MONTHS`).

    ``totals``: one row per (unit, field, procedure_code) with figure rows in the active uploads of the
    range; ``months``: int64 bitmask, bit ``j`` set when the key has a row in the ``j``-th month from
    ``start`` (bit 0 = ``start``); then one nullable Int64 column per requested figure column: the sum
    over the range, NA when any row of it has the cell unknown.
    ``coverage``: as :attr:`ProcedureFigures.coverage` (one row per month, unit, field present).
    """

    start: str
    end: str
    totals: pd.DataFrame
    coverage: pd.DataFrame


@dataclass(frozen=True)
class SqlProcedureFigures:
    """The active figures of a database by procedure, optionally limited to some units and fields."""

    engine: Engine
    units: tuple[str, ...] | None = None
    fields: tuple[str, ...] | None = None
    #: Off: ``codes_not_in_catalog`` is left empty (the KPIs do not read it; one scan fewer).
    check_codes: bool = True

    def where(
        self, *, units: Sequence[str] | None = None, fields: Sequence[str] | None = None
    ) -> SqlProcedureFigures:
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

    def procedure_figures(self, columns: Sequence[str], *, start: str, end: str) -> ProcedureFigures:
        """The sums of ``columns`` per (period, unit, field, procedure) of months ``start``..``end``
        (``YYYY-MM``; in no particular order), the coverage of each (period, unit, field) and, unless
        ``check_codes`` is off, the codes not in the catalog."""
        cols = tuple(dict.fromkeys(columns))
        bad = [c for c in cols if c not in COUNT_COLUMNS]
        if bad:
            raise ValueError(f"unknown columns {bad}")
        by_units, by_fields = self.units is not None, self.fields is not None
        params = self._params(start, end)
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                # one statement groups 10⁵–10⁶ keys for a year of a province: hash them in memory
                conn.exec_driver_sql(SET_PG_WORK_MEM)
                conn.exec_driver_sql(SET_PG_NO_JIT)
            grouped = _grouped(conn, _sums_statement(cols, by_units, by_fields), params, cols)
            fields = conn.execute(_fields_statement(by_units, by_fields), params).all()
            codes = (
                conn.execute(_codes_statement(by_units, by_fields), params).all() if self.check_codes else []
            )
        coded = grouped["procedure_code"].notna().to_numpy(dtype=bool)
        sums = grouped.loc[coded] if not coded.all() else grouped
        partial = grouped.loc[~coded, ["period", "unit", "field"]]
        return ProcedureFigures(
            sums.reset_index(drop=True), _coverage_frame(fields, partial), _codes_frame(codes)
        )

    def procedure_totals(self, columns: Sequence[str], *, start: str, end: str) -> ProcedureTotals:
        """The sums of ``columns`` per (unit, field, procedure) over months ``start``..``end`` with the
        months each has rows in (:class:`ProcedureTotals`), and the coverage of each (period, unit,
        field) as :meth:`procedure_figures` gives it. One ``GROUP BY`` of the range's rows by (unit, field,
        code): a year of a province is ~12× fewer groups than by month. The codes not in the catalog are
        not looked up (the KPIs do not read them; :meth:`codes_not_in_catalog`)."""
        cols = tuple(dict.fromkeys(columns))
        bad = [c for c in cols if c not in COUNT_COLUMNS]
        if bad:
            raise ValueError(f"unknown columns {bad}")
        base = _month_index(start)
        n_months = _month_index(end) - base + 1
        if n_months < 1:
            raise ValueError(f"start {start} is after end {end}")
        if n_months > MAX_RANGE_MONTHS:
            raise ValueError(f"ProcedureTotals take at most {MAX_RANGE_MONTHS} months, not {n_months}")
        by_units, by_fields = self.units is not None, self.fields is not None
        params = self._params(start, end)
        with self.engine.connect() as conn:
            pg = conn.dialect.name == "postgresql"
            if pg:
                conn.exec_driver_sql(SET_PG_WORK_MEM)
                conn.exec_driver_sql(SET_PG_NO_JIT)
            fields = conn.execute(_fields_statement(by_units, by_fields), params).all()
            masks = conn.execute(_masks_statement(by_units, by_fields), params).scalars().all()
            # the columns some active row has empty (figure_sum's patterns of known columns): only
            # those need COUNT(column) beside their SUM
            empty = tuple(c for c in cols if any(not int(m) & BITS[c] for m in masks))
            if pg:
                # the join's row estimate is ~1000× low (the active uploads' max), so PostgreSQL sorts
                # the range's rows by three texts to group them (~3× slower than hashing them)
                conn.exec_driver_sql("SET LOCAL enable_sort = off")
            statement = _totals_statement(cols, by_units, by_fields, pg, empty)
            grouped = _grouped(conn, statement, {**params, "base": base}, cols, TOTAL_KEYS, ("months",))
        coded = grouped["procedure_code"].notna().to_numpy(dtype=bool)
        totals = grouped.loc[coded] if not coded.all() else grouped
        rest = grouped.loc[~coded]
        partial = [  # a remainder / field-level row's months: those fields are partial then
            (_month_code(base + j), u, f)
            for u, f, mask in zip(rest["unit"], rest["field"], rest["months"], strict=True)
            for j in range(n_months)
            if int(mask) >> j & 1
        ]
        return ProcedureTotals(
            start,
            end,
            totals.reset_index(drop=True),
            _coverage_frame(fields, pd.DataFrame(partial, columns=["period", "unit", "field"])),
        )

    def codes_not_in_catalog(self, *, start: str, end: str) -> pd.DataFrame:
        """The active rows' procedure codes not in the catalog in force in their month (:data:`CODES_COLUMNS`)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                _codes_statement(self.units is not None, self.fields is not None), self._params(start, end)
            ).all()
        return _codes_frame(rows)

    def dossier_units(self, *, start: str, end: str) -> list[tuple[str, str]]:
        """The (period, unit) pairs of months ``start``..``end`` whose active upload is a dossier list
        (``dossier_units`` of :func:`kpi.procedures.procedure_figures_from_frame`), sorted."""
        a = _active(self.units is not None)
        q = (
            sa.select(a.c.period, a.c.unit)
            .select_from(a.join(upload, upload.c.id == a.c.upload_id))
            .where(upload.c.layout == DOSSIER_LAYOUT)
        )
        with self.engine.connect() as conn:
            return sorted((str(p), str(u)) for p, u in conn.execute(q, self._params(start, end)))


def codes_not_in_catalog(engine: Engine, start: str, end: str) -> pd.DataFrame:
    """Every active figure row's procedure code of months ``start``..``end`` that the catalog in force
    in its month does not list: period, unit, field, procedure_code, procedure_name (sorted)."""
    return SqlProcedureFigures(engine).codes_not_in_catalog(start=start, end=end)


def catalog_lookup(engine: Engine) -> CatalogLookup:
    """A month → the catalog in force (:func:`~data_access.procedure_catalog.catalog_in_force`), each
    version read once (one small query per call finds the version in force, so a new catalog upload is
    seen). The frames are shared between calls: callers must not modify them."""
    frames: dict[int, pd.DataFrame] = {}
    lock = Lock()
    none = empty_catalog()

    def lookup(month: str) -> pd.DataFrame:
        vid = version_in_force(engine, month)
        if vid is None:
            return none
        with lock:
            frame = frames.get(vid)
        if frame is None:
            frame = catalog_version(engine, vid)
            with lock:
                frame = frames.setdefault(vid, frame)
        return frame

    return lookup


# ---------------------------------------------------------------------------------------- statements


def _active(by_units: bool) -> sa.Subquery:
    """Latest upload of each (month, unit) in [start, end] (bound ``start``, ``end``, ``units``)."""
    units: sa.BindParameter[Any] | None = sa.bindparam("units", expanding=True) if by_units else None
    return active_versions(sa.bindparam("start"), sa.bindparam("end"), units=units)


def _on(table: sa.Table, a: sa.Subquery) -> sa.ColumnElement[bool]:
    return sa.and_(table.c.upload_id == a.c.upload_id, table.c.period == a.c.period, table.c.unit == a.c.unit)


def _in_fields(column: sa.ColumnElement[Any]) -> sa.ColumnElement[bool]:
    return column.in_(sa.bindparam("fields", expanding=True))


def _pairs(by_units: bool) -> sa.Subquery:
    """The active (period, unit, upload_id) with ``version_id``, the catalog version in force in the
    month (NULL when none is): the max of two maxima over one join, no correlated sub-select."""
    p = upload_part.c
    q = (
        sa.select(
            p.period,
            p.unit,
            sa.func.max(p.upload_id).label("upload_id"),
            sa.func.max(version.c.id).label("version_id"),
        )
        .select_from(upload_part.outerjoin(version, version.c.effective <= p.period))
        .where(p.period >= sa.bindparam("start"), p.period <= sa.bindparam("end"))
    )
    if by_units:
        q = q.where(p.unit.in_(sa.bindparam("units", expanding=True)))
    return q.group_by(p.period, p.unit).subquery("pairs")


@lru_cache(maxsize=256)
def _sums_statement(columns: tuple[str, ...], by_units: bool, by_fields: bool) -> sa.Select[Any]:
    """Per (period, unit, field, procedure_code), a NULL code being the field's rows without one."""
    a = _active(by_units)
    keys = [figure.c[k] for k in KEY_COLUMNS]
    every = sa.func.count()
    sums = [
        sa.case((sa.func.count(figure.c[c]) == every, sa.func.sum(figure.c[c])), else_=sa.null()).label(c)
        for c in columns
    ]
    q = sa.select(*keys, *sums).select_from(figure.join(a, _on(figure, a)))
    if by_fields:
        q = q.where(_in_fields(figure.c.field))
    return q.group_by(*keys)


def _month_index(month: str) -> int:
    """``YYYY-MM`` → year × 12 + month − 1 (ValueError for another text)."""
    if len(month) != 7 or month[4] != "-" or not (month[:4] + month[5:]).isdigit():
        raise ValueError(f"not a month YYYY-MM: {month!r}")
    y, m = int(month[:4]), int(month[5:])
    if not 1 <= m <= 12:
        raise ValueError(f"not a month YYYY-MM: {month!r}")
    return y * 12 + m - 1


def _month_code(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _active_bits(by_units: bool) -> sa.Subquery:
    """:func:`_active` with ``bit``: 2^(the month's index from bound ``base``), computed once per
    (month, unit) — the same latest upload of each (month, unit) as
    :func:`~data_access.store.active.active_versions`."""
    p = upload_part.c
    index = sa.cast(
        sa.cast(sa.func.substr(p.period, 1, 4), sa.Integer) * 12
        + sa.cast(sa.func.substr(p.period, 6, 2), sa.Integer)
        - 1
        - sa.bindparam("base", type_=sa.Integer),
        sa.Integer,
    )
    bit = sa.cast(sa.literal_column("1"), sa.BigInteger).op("<<")(index)
    q = sa.select(p.period, p.unit, sa.func.max(p.upload_id).label("upload_id"), bit.label("bit")).where(
        p.period >= sa.bindparam("start"), p.period <= sa.bindparam("end")
    )
    if by_units:
        q = q.where(p.unit.in_(sa.bindparam("units", expanding=True)))
    return q.group_by(p.period, p.unit).subquery("active")


@lru_cache(maxsize=8)
def _masks_statement(by_units: bool, by_fields: bool) -> sa.Select[Any]:
    """The distinct patterns of known columns (``figure_sum.known_mask``) of the active rows."""
    a = _active(by_units)
    q = sa.select(figure_sum.c.known_mask).select_from(figure_sum.join(a, _on(figure_sum, a)))
    if by_fields:
        q = q.where(_in_fields(figure_sum.c.field))
    return q.distinct()


@lru_cache(maxsize=256)
def _totals_statement(
    columns: tuple[str, ...], by_units: bool, by_fields: bool, pg: bool, empty: tuple[str, ...]
) -> sa.Select[Any]:
    """Per (unit, field, procedure_code) over the range (a NULL code: the field's rows without one):
    ``months`` = the OR of the rows' month bits (PostgreSQL ``bit_or``; elsewhere ``SUM(DISTINCT)``,
    the same for powers of two), each column's ``SUM``, NULL when a row has the cell unknown (counted
    only for the columns of ``empty``: those some row of the range has empty)."""
    a = _active_bits(by_units)
    keys = [figure.c[k] for k in TOTAL_KEYS]
    months = sa.func.bit_or(a.c.bit) if pg else sa.func.sum(sa.distinct(a.c.bit))
    every = sa.func.count()
    sums = [
        sa.case((sa.func.count(figure.c[c]) == every, sa.func.sum(figure.c[c])), else_=sa.null()).label(c)
        if c in empty
        else sa.func.sum(figure.c[c]).label(c)
        for c in columns
    ]
    q = sa.select(*keys, months.label("months"), *sums).select_from(figure.join(a, _on(figure, a)))
    if by_fields:
        q = q.where(_in_fields(figure.c.field))
    return q.group_by(*keys)


@lru_cache(maxsize=8)
def _fields_statement(by_units: bool, by_fields: bool) -> sa.Select[Any]:
    """(period, unit, field, listed): every field of the active uploads (from ``figure_sum``, small),
    ``listed`` = 1 for a dossier list's; and with ``listed`` = 1 every field the catalog in force in the
    month or at ``:end`` gives a unit whose (month) active upload is a dossier list."""
    a = _active(by_units)
    is_list = sa.case((upload.c.layout == DOSSIER_LAYOUT, 1), else_=0)
    stored = (
        sa.select(
            figure_sum.c.period.label("period"),
            figure_sum.c.unit.label("unit"),
            figure_sum.c.field.label("field"),
            is_list.label("listed"),
        )
        .select_from(figure_sum.join(a, _on(figure_sum, a)).join(upload, upload.c.id == a.c.upload_id))
        .distinct()
    )
    if by_fields:
        stored = stored.where(_in_fields(figure_sum.c.field))
    pairs = _pairs(by_units)
    at_end = sa.select(sa.func.max(version.c.id)).where(version.c.effective <= sa.bindparam("end"))
    in_catalog = sa.and_(
        entry.c.unit == pairs.c.unit,
        sa.or_(entry.c.version_id == pairs.c.version_id, entry.c.version_id == at_end.scalar_subquery()),
    )
    listed = (
        sa.select(
            pairs.c.period.label("period"),
            pairs.c.unit.label("unit"),
            entry.c.field.label("field"),
            sa.literal(1).label("listed"),
        )
        .select_from(pairs.join(upload, upload.c.id == pairs.c.upload_id).join(entry, in_catalog))
        .where(upload.c.layout == DOSSIER_LAYOUT)
        .distinct()
    )
    if by_fields:
        listed = listed.where(_in_fields(entry.c.field))
    both = sa.union_all(stored, listed).subquery("both")
    return sa.select(both.c.period, both.c.unit, both.c.field, sa.func.max(both.c.listed)).group_by(
        both.c.period, both.c.unit, both.c.field
    )


@lru_cache(maxsize=8)
def _codes_statement(by_units: bool, by_fields: bool) -> sa.Select[Any]:
    """The coded rows' (period, unit, field, code, name) whose code the month's catalog lacks."""
    pairs = _pairs(by_units)
    listed = sa.and_(
        entry.c.version_id == pairs.c.version_id, entry.c.procedure_code == figure.c.procedure_code
    )
    keys = [figure.c.period, figure.c.unit, figure.c.field, figure.c.procedure_code]
    q = (
        sa.select(*keys, sa.func.max(figure.c.procedure_name))
        .select_from(figure.join(pairs, _on(figure, pairs)).outerjoin(entry, listed))
        .where(figure.c.procedure_code.isnot(None), entry.c.procedure_code.is_(None))
    )
    if by_fields:
        q = q.where(_in_fields(figure.c.field))
    return q.group_by(*keys)


# ---------------------------------------------------------------------------------------- frames


def _sorted(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Sorted in Python (SQLite compares text by code point, PostgreSQL by its collation)."""
    if len(frame) > 1:
        frame = frame.sort_values(list(keys), kind="stable", ignore_index=True)
    return frame


def _grouped(
    conn: sa.Connection,
    statement: sa.Select[Any],
    params: dict[str, object],
    columns: tuple[str, ...],
    keys: tuple[str, ...] = KEY_COLUMNS,
    ints: tuple[str, ...] = (),
) -> pd.DataFrame:
    """A grouping statement's rows as a frame: ``keys`` ``object`` (NULL → ``None``; only
    ``procedure_code`` may be NULL), then ``ints`` (int64, never NULL), then ``columns`` ``Int64``.

    On PostgreSQL the result (up to a row per procedure and month: 10⁵–10⁶ rows for a province's year)
    comes by ``COPY (statement) TO STDOUT`` as CSV, parsed by pandas in C: the same statement and
    parameters, bound by the driver; elsewhere the rows are fetched."""
    names = [*keys, *ints, *columns]
    dtypes: dict[str, Any] = {
        **{k: object for k in keys},
        **{c: "int64" for c in ints},
        **{c: "Int64" for c in columns},
    }
    if conn.dialect.name == "postgresql":
        compiled = statement.compile(dialect=conn.dialect).construct_expanded_state(params)
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        buffer = io.BytesIO()
        copy_sql = f"COPY ({compiled.statement}) TO STDOUT WITH (FORMAT csv, NULL '{_NULL}')"
        with cursor.copy(copy_sql, compiled.parameters) as copy:
            for chunk in copy:
                buffer.write(chunk)
        if buffer.tell():
            buffer.seek(0)
            frame = pd.read_csv(
                buffer,
                header=None,
                names=names,
                dtype=dtypes,
                keep_default_na=False,
                na_values={k: [_NULL] for k in names},
                encoding="utf-8",
            )
            code = frame["procedure_code"]  # the only key that may be NULL
            frame["procedure_code"] = code.astype(object).where(code.notna(), None)
            return frame
        rows: Sequence[sa.Row[Any]] = []
    else:
        rows = conn.execute(statement, params).all()
    if not rows:
        data: dict[str, Any] = {k: pd.Series([], dtype=object) for k in keys}
        data.update({c: pd.Series([], dtype="int64") for c in ints})
        data.update({c: pd.array([], dtype="Int64") for c in columns})
        return pd.DataFrame(data, columns=names)
    values = list(zip(*rows, strict=True))
    data = {k: pd.Series(v, dtype=object) for k, v in zip(keys, values, strict=False)}
    for c, v in zip(ints, values[len(keys) : len(keys) + len(ints)], strict=True):
        data[c] = pd.Series([int(x) for x in v], dtype="int64")
    for c, v in zip(columns, values[len(keys) + len(ints) :], strict=True):
        data[c] = pd.array(v, dtype="Int64")
    return pd.DataFrame(data, columns=names)


def _coverage_frame(rows: Sequence[sa.Row[Any]], partial: pd.DataFrame) -> pd.DataFrame:
    """(period, unit, field, level): ``procedure`` for a dossier list's field or one without a row
    lacking a procedure code (``partial`` lists those with one), else ``partial``."""
    remainder = set(zip(partial["period"], partial["unit"], partial["field"], strict=True))
    out = pd.DataFrame(
        [
            (*t[:3], LEVELS[0] if int(t[3]) or tuple(t[:3]) not in remainder else LEVELS[1])
            for t in map(tuple, rows)
        ],
        columns=list(COVERAGE_COLUMNS),
        dtype=object,
    )
    return _sorted(out, COVERAGE_COLUMNS[:3])


def _codes_frame(rows: Sequence[sa.Row[Any]]) -> pd.DataFrame:
    out = pd.DataFrame([tuple(r) for r in rows], columns=list(CODES_COLUMNS), dtype=object)
    out["procedure_name"] = out["procedure_name"].where(out["procedure_name"].notna(), None)
    return _sorted(out, CODES_COLUMNS[:4])
