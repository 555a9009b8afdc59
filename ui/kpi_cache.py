"""The figures as a KPI-engine source, summed in the database, and the engine's answers, cached.

Both are keyed on the database URL and its data version (see :mod:`ui.data`), so an upload,
a restore or another process's import moves every cache on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from data_access.aggregate import SqlFigures
from data_access.procedure_catalog import latest_version_id
from data_access.procedure_figures import (
    CatalogLookup,
    ProcedureFigures,
    ProcedureTotals,
    SqlProcedureFigures,
    catalog_lookup,
)
from data_access.store import open_engine
from kpi import engine, insights, procedures, series
from kpi.periods import Kind, Period, as_period
from kpi.targets import Plan

__all__ = [
    "CachedFigures",
    "attention",
    "kpi_table",
    "monthly_series",
    "period_series",
    "plan_key",
    "procedure_catalog",
    "procedure_kpi_table",
    "procedure_list",
    "project_year_end",
]


@dataclass(frozen=True)
class CachedFigures:
    """The database's figures as a KPI-engine source: sums asked of the database, cached per data version.

    A what-if change re-evaluates targets on these cached sums and reads nothing from the database.
    """

    url: str
    version: int
    units: tuple[str, ...] | None = None
    fields: tuple[str, ...] | None = None

    def where(
        self,
        *,
        units: list[str] | tuple[str, ...] | None = None,
        fields: list[str] | tuple[str, ...] | None = None,
    ) -> CachedFigures:
        return CachedFigures(
            self.url,
            self.version,
            tuple(units) if units is not None else self.units,
            tuple(fields) if fields is not None else self.fields,
        )

    def wide(
        self, specs: Sequence[tuple[Sequence[str], Sequence[str]]], *, start: str, end: str, by: Sequence[str]
    ) -> pd.DataFrame:
        return _wide(self, tuple((tuple(n), tuple(d)) for n, d in specs), start, end, tuple(by))

    def procedure_names(self, start: str, end: str) -> dict[str, str]:
        return _procedure_names(self, start, end)

    def procedure_figures(self, columns: Sequence[str], *, start: str, end: str) -> ProcedureFigures:
        """Per procedure and month sums (:class:`kpi.procedures.ProcedureSource`), summed in the database,
        cached."""
        return _procedure_figures(self, tuple(columns), start, end)

    def procedure_totals(self, columns: Sequence[str], *, start: str, end: str) -> ProcedureTotals:
        """Per procedure sums over the range (the engine's fast form), summed in the database, cached."""
        return _procedure_totals(self, tuple(columns), start, end)


def _sql(figures: CachedFigures) -> SqlFigures:
    return SqlFigures(open_engine(figures.url), figures.units, figures.fields)


# The cached database sums are keyed on ``figures`` itself: its URL, data version and scope.
@st.cache_data(max_entries=1024, show_spinner=False)
def _wide(
    figures: CachedFigures,
    specs: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...],
    start: str,
    end: str,
    by: tuple[str, ...],
) -> pd.DataFrame:
    return _sql(figures).wide(specs, start=start, end=end, by=by)


@st.cache_data(max_entries=256, show_spinner=False)
def _procedure_figures(
    figures: CachedFigures, columns: tuple[str, ...], start: str, end: str
) -> ProcedureFigures:
    sql = SqlProcedureFigures(open_engine(figures.url), figures.units, figures.fields)
    return sql.procedure_figures(columns, start=start, end=end)


@st.cache_data(max_entries=256, show_spinner=False)
def _procedure_totals(
    figures: CachedFigures, columns: tuple[str, ...], start: str, end: str
) -> ProcedureTotals:
    sql = SqlProcedureFigures(open_engine(figures.url), figures.units, figures.fields)
    return sql.procedure_totals(columns, start=start, end=end)


@st.cache_resource(max_entries=16, show_spinner=False)
def _catalogs(url: str) -> CatalogLookup:
    return catalog_lookup(open_engine(url))


def procedure_catalog(figures: CachedFigures) -> CatalogLookup:
    """Month → the procedure catalog in force (each version read once per database)."""
    return _catalogs(figures.url)


@st.cache_data(max_entries=256, show_spinner=False)
def _procedure_names(figures: CachedFigures, start: str, end: str) -> dict[str, str]:
    return _sql(figures).procedure_names(start, end)


# ---------------------------------------------------------------------------- engine results, cached
# The directors' pages ask the engine the same questions for every session that opens them; the
# answers depend only on the figures (their data version is in ``figures``), the plan in force and
# the filters, so they are cached on exactly those. A what-if plan is another key (the what-if page
# itself calls the engine directly on the cached sums). The plan is keyed by a digest of its repr:
# Streamlit's own hashing of the nested dataclass costs ~4 ms a call, the digest ~0.1 ms.


def plan_key(plan: Plan) -> str:
    """A digest that differs whenever any target, label, roadmap entry or unit target differs."""
    return hashlib.sha256(repr(plan).encode()).hexdigest()


#: What the pages may ask through :func:`_engine_result`.
_ENGINE_CALLS: dict[str, Callable[..., pd.DataFrame]] = {
    "kpi_table": engine.kpi_table,
    "monthly_series": engine.monthly_series,
    "project_year_end": engine.project_year_end,
    "attention": insights.attention_for,
    "period_series": series.period_series,
}


@st.cache_data(max_entries=1024, show_spinner=False)
def _engine_result(
    name: str, figures: CachedFigures, key: str, _plan: Plan, args: tuple[tuple[str, object], ...]
) -> pd.DataFrame:
    """``_ENGINE_CALLS[name](figures, plan, **dict(args))``, cached on the figures (their data version),
    the plan's digest ``key`` and the arguments."""
    return _ENGINE_CALLS[name](figures, _plan, **dict(args))


def _cached(name: str, figures: CachedFigures, plan: Plan, **kwargs: object) -> pd.DataFrame:
    return _engine_result(name, figures, plan_key(plan), plan, tuple(sorted(kwargs.items())))


@st.cache_data(max_entries=512, show_spinner=False)
def _procedure_result(
    name: str,
    figures: CachedFigures,
    catalog_id: int,
    key: str,
    _plan: Plan,
    args: tuple[tuple[str, object], ...],
) -> pd.DataFrame:
    """A :mod:`kpi.procedures` answer, cached on the figures (their data version), the latest catalog upload,
    the plan's digest and the arguments."""
    call: Callable[..., pd.DataFrame] = (
        procedures.procedure_kpi_table if name == "table" else procedures.procedure_list
    )
    return call(figures, procedure_catalog(figures), _plan, **dict(args))


def _procedure_cached(name: str, figures: CachedFigures, plan: Plan, **kwargs: object) -> pd.DataFrame:
    catalog_id = latest_version_id(open_engine(figures.url))
    return _procedure_result(name, figures, catalog_id, plan_key(plan), plan, tuple(sorted(kwargs.items())))


def procedure_kpi_table(
    figures: CachedFigures, plan: Plan, *, period: str | Period, ytd: bool = False, by: Sequence[str] = ()
) -> pd.DataFrame:
    """:func:`kpi.procedures.procedure_kpi_table` (the KPIs counting procedures), cached per data version,
    catalog upload, plan and filters; an empty table when the plan has none."""
    if not plan.procedure_kpis:
        return pd.DataFrame(columns=list(procedures.TABLE_COLUMNS))
    return _procedure_cached("table", figures, plan, period=as_period(period, ytd=ytd), by=tuple(by))


def procedure_list(
    figures: CachedFigures,
    plan: Plan,
    *,
    kpi: str,
    period: str | Period,
    ytd: bool = False,
    unit: str | None = None,
    field: str | None = None,
) -> pd.DataFrame:
    """:func:`kpi.procedures.procedure_list`, cached like :func:`procedure_kpi_table`."""
    return _procedure_cached(
        "list", figures, plan, kpi=kpi, period=as_period(period, ytd=ytd), unit=unit, field=field
    )


def kpi_table(
    figures: CachedFigures,
    plan: Plan,
    *,
    period: str | Period,
    ytd: bool = False,
    by: Sequence[str] = (),
    change: bool = False,
) -> pd.DataFrame:
    """:func:`kpi.engine.kpi_table`, cached per data version, plan and filters (``period``: a
    :class:`~kpi.periods.Period`, or its code with ``ytd`` as the engine takes them)."""
    p = as_period(period, ytd=ytd)
    return _cached("kpi_table", figures, plan, period=p, by=tuple(by), change=change)


def monthly_series(figures: CachedFigures, plan: Plan, *, year: int, by: Sequence[str] = ()) -> pd.DataFrame:
    """:func:`kpi.engine.monthly_series`, cached per data version, plan and filters."""
    return _cached("monthly_series", figures, plan, year=year, by=tuple(by))


def period_series(
    figures: CachedFigures,
    plan: Plan,
    *,
    kind: Kind,
    start: str,
    end: str,
    by: Sequence[str] = (),
    plans: Sequence[tuple[int, Plan]] = (),
) -> pd.DataFrame:
    """:func:`kpi.series.period_series`, cached per data version, plans, kind, span and grouping."""
    return _cached(
        "period_series", figures, plan, kind=kind, start=start, end=end, by=tuple(by), plans=tuple(plans)
    )


def project_year_end(
    figures: CachedFigures, plan: Plan, *, period: str | Period, by: Sequence[str] = ()
) -> pd.DataFrame:
    """:func:`kpi.engine.project_year_end`, cached per data version, plan, month and grouping (a
    :class:`~kpi.periods.Period` is projected from its last month computed)."""
    month = as_period(period).end
    return _cached("project_year_end", figures, plan, period=month, by=tuple(by))


def attention(
    figures: CachedFigures, plan: Plan, *, period: str | Period, ytd: bool = False, top: int = 10
) -> pd.DataFrame:
    """:func:`kpi.insights.attention_for`, cached per data version, plan and filters."""
    return _cached("attention", figures, plan, period=as_period(period, ytd=ytd), top=top)
