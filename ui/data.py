"""Cached access to the database and the targets for the pages (the one place with st.cache_*).

Caches are keyed on what changes them: the database URL and its data version (the latest
upload id, read from the database on every rerun, so another process's upload shows too),
and the targets file's content.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
import streamlit as st
from sqlalchemy.engine import Engine

from data_access.aggregate import SqlFigures
from data_access.bootstrap import load_sample_if_empty
from data_access.catalog import Catalog, load_catalog
from data_access.external import Mapping, MappingError, load_mapping, sync_if_due
from data_access.settings import database_url, figures_source_path, load_sample_on_first_start, targets_path
from data_access.store import (
    StoreError,
    close_engines,
    connection_lost,
    data_version,
    load_figures,
    open_engine,
    summary,
)
from kpi import engine, insights
from kpi.targets import Plan, TargetsError, load_targets
from ui.texts import directors as T


@dataclass(frozen=True)
class ExternalStatus:
    """The external figures source of the settings, as last checked by this process."""

    name: str  # the source as the pages name it (or the mapping file, when it cannot be read)
    problem: str | None = None  # why the last check stored nothing (shown on the pages)


@dataclass
class Source:
    url: str
    engine: Engine
    version: int
    sample_loaded: int  # months loaded from the sample data at this process's first start
    external: ExternalStatus | None = None


@st.cache_resource(show_spinner=T.OPENING_DATABASE)
def _first_start(url: str) -> int:
    """Months of sample data loaded into ``url``'s database by this process (once per process)."""
    # no sample figures beside real ones: an external source configured means real data is coming
    sample = load_sample_on_first_start() and figures_source_path() is None
    result = load_sample_if_empty(open_engine(url)) if sample else None
    return len({m for u in result.uploads for m in u.months}) if result and result.ok else 0


def _engine(url: str) -> tuple[Engine, int]:
    """The engine of ``url`` (data_access's registry, opened and migrated on first use) and
    :func:`_first_start`'s months."""
    loaded = _first_start(url)  # first, so that opening and migrating shows its spinner
    return open_engine(url), loaded


def reconnect() -> None:
    """Dispose every open engine (their connections) so that the next rerun opens new ones, and
    check for an empty database again."""
    close_engines()
    _first_start.clear()


def source() -> Source:
    """The database of this app (settings), migrated, with sample data on first start."""
    url = database_url()
    try:
        engine, loaded = _engine(url)
        external = _sync_external(engine)
        version = data_version(engine)
    except StoreError:
        reconnect()
        raise
    except Exception as exc:  # the database went away: say so, recover at the next rerun
        reconnect()
        raise StoreError(T.NO_CONNECTION.format(error=type(exc).__name__)) from exc
    return Source(url, engine, version, loaded, external)


@st.cache_data(max_entries=4, show_spinner=False)
def _mapping(path: str, mtime_ns: int, size: int) -> Mapping:
    """The mapping file, parsed again only when it changes (a broken one raises, and is not cached)."""
    return load_mapping(path, catalog=catalog())


#: Said wherever the database does not answer; the app reconnects by itself.
RETRY_LATER = T.RETRY_LATER


def query_failed(exc: sa.exc.SQLAlchemyError) -> tuple[str, bool]:
    """(Vietnamese message, whether the database is unreachable) for a query of a page that failed;
    the connection is dropped so that the next rerun opens a new one."""
    reconnect()
    if connection_lost(exc):
        return T.CONNECTION_LOST.format(error=type(exc).__name__, retry=RETRY_LATER), True
    return T.QUERY_FAILED.format(error=type(exc).__name__), False


def _sync_external(engine: Engine) -> ExternalStatus | None:
    """Bring the external source's figures in when they changed (checked at most every
    ``refresh_minutes`` per process; the data version then moves, so every cache follows)."""
    path = figures_source_path()
    if path is None:
        return None
    try:
        stat = path.stat()
        mapping = _mapping(str(path), stat.st_mtime_ns, stat.st_size)
    except OSError as exc:
        return ExternalStatus(
            path.name, T.MAPPING_UNREADABLE.format(file=path.name, reason=exc.strerror or exc)
        )
    except MappingError as exc:
        return ExternalStatus(path.name, str(exc))
    result, _ = sync_if_due(engine, mapping)
    errors = result.errors
    if not errors:
        return ExternalStatus(mapping.label)
    more = T.SYNC_MORE_ERRORS.format(n=len(errors) - 3) if len(errors) > 3 else ""
    return ExternalStatus(
        mapping.label, T.SYNC_ERRORS.format(n=len(errors)) + "; ".join(i.format() for i in errors[:3]) + more
    )


@st.cache_data(max_entries=4, show_spinner=False)
def _figures(url: str, version: int) -> pd.DataFrame:
    return load_figures(open_engine(url))


def figures(src: Source) -> pd.DataFrame:
    """All active figures, cached per data version."""
    return _figures(src.url, src.version)


@st.cache_data(max_entries=4, show_spinner=False)
def _summary(url: str, version: int) -> dict[str, Any]:
    s = summary(open_engine(url))
    return {
        "months": s.months,
        "units": s.units,
        "fields": s.fields,
        "rows": s.rows,
        "last_upload": s.last_upload,
    }


def loaded_summary(src: Source) -> dict[str, Any]:
    """Months, units, fields, rows and the last upload of ``src``, cached per data version."""
    return _summary(src.url, src.version)


@st.cache_resource
def catalog() -> Catalog:
    return load_catalog()


@st.cache_data(max_entries=8, show_spinner=False)
def _plan(text: str, path: str, digest: str) -> Plan:
    return load_targets(Path(path), text=text, unit_resolver=catalog().units.match)


def targets_text() -> tuple[Path, str]:
    path = targets_path()
    return path, path.read_text(encoding="utf-8")


def official_plan() -> Plan:
    """The plan in ``targets.toml`` (raises ``TargetsError`` with a message naming the key)."""
    path, text = targets_text()
    return _plan(text, str(path), hashlib.sha256(text.encode()).hexdigest())


__all__ = [
    "Source",
    "StoreError",
    "TargetsError",
    "catalog",
    "figures",
    "loaded_summary",
    "official_plan",
    "source",
    "targets_text",
]


@st.cache_data(max_entries=32, show_spinner=False)
def _active_uploads(url: str, version: int, start: str, end: str, unit: str | None) -> pd.DataFrame:
    from data_access.queries import active_uploads as q

    return q(open_engine(url), start, end, unit)


def active_uploads(src: Source, start: str, end: str, unit: str | None = None) -> pd.DataFrame:
    """The uploads behind the months shown (file, time), cached per data version."""
    return _active_uploads(src.url, src.version, start, end, unit)


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
        return _wide(
            self.url,
            self.version,
            self.units,
            self.fields,
            tuple((tuple(n), tuple(d)) for n, d in specs),
            start,
            end,
            tuple(by),
        )

    def procedure_names(self, start: str, end: str) -> dict[str, str]:
        return _procedure_names(self.url, self.version, self.units, self.fields, start, end)


def _sql(url: str, units: tuple[str, ...] | None, fields: tuple[str, ...] | None) -> SqlFigures:
    return SqlFigures(open_engine(url), units, fields)


@st.cache_data(max_entries=1024, show_spinner=False)
def _wide(
    url: str,
    version: int,
    units: tuple[str, ...] | None,
    fields: tuple[str, ...] | None,
    specs: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...],
    start: str,
    end: str,
    by: tuple[str, ...],
) -> pd.DataFrame:
    return _sql(url, units, fields).wide(specs, start=start, end=end, by=by)


@st.cache_data(max_entries=256, show_spinner=False)
def _procedure_names(
    url: str,
    version: int,
    units: tuple[str, ...] | None,
    fields: tuple[str, ...] | None,
    start: str,
    end: str,
) -> dict[str, str]:
    return _sql(url, units, fields).procedure_names(start, end)


def figure_source(src: Source) -> CachedFigures:
    """The figures of ``src`` for the KPI engine, summed in the database."""
    return CachedFigures(src.url, src.version)


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


def kpi_table(
    figures: CachedFigures,
    plan: Plan,
    *,
    period: str,
    ytd: bool = False,
    by: Sequence[str] = (),
    change: bool = False,
) -> pd.DataFrame:
    """:func:`kpi.engine.kpi_table`, cached per data version, plan and filters."""
    return _cached("kpi_table", figures, plan, period=period, ytd=ytd, by=tuple(by), change=change)


def monthly_series(figures: CachedFigures, plan: Plan, *, year: int, by: Sequence[str] = ()) -> pd.DataFrame:
    """:func:`kpi.engine.monthly_series`, cached per data version, plan and filters."""
    return _cached("monthly_series", figures, plan, year=year, by=tuple(by))


def project_year_end(
    figures: CachedFigures, plan: Plan, *, period: str, by: Sequence[str] = ()
) -> pd.DataFrame:
    """:func:`kpi.engine.project_year_end`, cached per data version, plan, month and grouping."""
    return _cached("project_year_end", figures, plan, period=period, by=tuple(by))


def attention(figures: CachedFigures, plan: Plan, *, period: str, ytd: bool, top: int = 10) -> pd.DataFrame:
    """:func:`kpi.insights.attention_for`, cached per data version, plan and filters."""
    return _cached("attention", figures, plan, period=period, ytd=ytd, top=top)
