"""Cached access to the database and the targets for the pages (with :mod:`ui.kpi_cache`, the one place
with st.cache_*; its figure source and cached engine calls are re-exported here).

Caches are keyed on what changes them: the database URL and its data version (the latest
upload id, read from the database on every rerun, so another process's upload shows too),
and the targets file's content.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
import streamlit as st
from sqlalchemy.engine import Engine

from data_access.bootstrap import load_sample_if_empty
from data_access.catalog import Catalog, load_catalog
from data_access.external import Mapping, MappingError, check_in_background, load_mapping
from data_access.plans import PlanFileError, plan_file_for
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
from data_access.store.engine import failure_kind, failure_message
from data_access.texts import external as TE
from kpi.targets import Plan, TargetsError, load_targets
from ui.kpi_cache import (
    CachedFigures,
    attention,
    kpi_table,
    monthly_series,
    plan_key,
    procedure_catalog,
    procedure_kpi_table,
    procedure_list,
    project_year_end,
)
from ui.texts import directors as T
from vnfmt import fmt_int

__all__ = [
    "RETRY_LATER",
    "CachedFigures",
    "ExternalStatus",
    "Source",
    "StoreError",
    "TargetsError",
    "active_uploads",
    "attention",
    "catalog",
    "close_engines",
    "figure_source",
    "figures",
    "kpi_table",
    "loaded_summary",
    "monthly_series",
    "official_plan",
    "plan_key",
    "procedure_catalog",
    "procedure_kpi_table",
    "procedure_list",
    "project_year_end",
    "query_failed",
    "reconnect",
    "source",
    "targets_text",
]


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
    months = len({m for u in result.uploads for m in u.months}) if result and result.ok else 0
    if months:
        _LOADED_BY[url] = _session_key()  # the browser session whose first run loaded it
    return months


#: database URL → the session that loaded the sample data into it (it alone is told so).
_LOADED_BY: dict[str, str] = {}


def _session_key() -> str:
    """A random key of this browser session, kept in its session state."""
    return str(st.session_state.setdefault("_session_key", secrets.token_hex(8)))


def sample_loaded_here(url: str) -> bool:
    """Whether this browser session's run loaded the sample data into ``url`` (a reload is a new session)."""
    return _LOADED_BY.get(url) == _session_key()


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
    """The database of this app (settings), migrated, with sample data on first start.

    A database recreated empty under the running app (its tables gone) is migrated again, and the
    sample data loaded as at a first start, in the same run."""
    url = database_url()
    try:
        try:
            engine, loaded = _engine(url)
            version = data_version(engine)
        except sa.exc.SQLAlchemyError as exc:
            if failure_kind(exc) != "schema_gone":
                raise
            reconnect()  # new connections; open_engine migrates the empty database
            engine, loaded = _engine(url)
            version = data_version(engine)
        external = _sync_external(url)
    except StoreError:
        reconnect()
        raise
    except Exception as exc:  # the database went away: say so, recover at the next rerun
        reconnect()
        message = failure_message(exc) or T.NO_CONNECTION.format(error=type(exc).__name__)
        raise StoreError(message) from exc
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
    known = failure_message(exc)  # a full disk, a read-only database, a timeout: said as such
    if known:
        return known, failure_kind(exc) in ("timeout", "schema_gone")
    if connection_lost(exc):
        return T.CONNECTION_LOST.format(error=type(exc).__name__, retry=RETRY_LATER), True
    return T.QUERY_FAILED.format(error=type(exc).__name__), False


#: Seconds a check of the external source may wait before the pages say the source is slow.
SLOW_AFTER_SECONDS = 5.0


def _sync_external(url: str) -> ExternalStatus | None:
    """The external source's state for the pages, after handing a due check to the background worker
    (at most every ``refresh_minutes`` per process; never waited for: a stored sync moves the data
    version, so the next rerun shows it). A check waiting longer than :data:`SLOW_AFTER_SECONDS` or
    one that failed is a problem the pages show, above the figures stored before."""
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
    state = check_in_background(url, mapping)
    waited = state.waiting()
    if waited is not None and waited >= SLOW_AFTER_SECONDS:
        slow = TE.SOURCE_SLOW.format(seconds=fmt_int(waited), limit=fmt_int(mapping.timeout_seconds))
        return ExternalStatus(mapping.label, slow)
    errors = state.result.errors if state.result is not None else []
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


def targets_text(year: int | None = None) -> tuple[Path, str]:
    """The targets file a period of ``year`` is measured against (:func:`data_access.plans.plan_file_for`;
    the current plan when ``None``) and its text."""
    if year is None:
        path = targets_path()
    else:
        try:
            path = plan_file_for(year).path
        except PlanFileError as exc:
            raise TargetsError(str(exc)) from exc
    return path, path.read_text(encoding="utf-8")


def official_plan(year: int | None = None) -> Plan:
    """The plan of ``year`` (``targets/YYYY.toml``, else ``targets.toml``; the current plan when ``None``);
    raises ``TargetsError`` with a message naming the key."""
    path, text = targets_text(year)
    return _plan(text, str(path), hashlib.sha256(text.encode()).hexdigest())


@st.cache_data(max_entries=32, show_spinner=False)
def _active_uploads(url: str, version: int, start: str, end: str, unit: str | None) -> pd.DataFrame:
    from data_access.queries import active_uploads as q

    return q(open_engine(url), start, end, unit)


def active_uploads(src: Source, start: str, end: str, unit: str | None = None) -> pd.DataFrame:
    """The uploads behind the months shown (file, time), cached per data version."""
    return _active_uploads(src.url, src.version, start, end, unit)


def figure_source(src: Source) -> CachedFigures:
    """The figures of ``src`` for the KPI engine, summed in the database."""
    return CachedFigures(src.url, src.version)
