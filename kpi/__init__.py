"""KPI engine and plan targets (pure: no streamlit, no SQL; the command line is in ``__main__``)."""

from kpi.engine import (
    PROJECTION_METHOD_VI,
    STATUSES,
    add_totals,
    aggregate,
    evaluate,
    kpi_table,
    monthly_series,
    previous_period,
    project_year_end,
    rank,
    with_change,
)
from kpi.targets import KpiSpec, Plan, TargetsError, dump_targets_toml, load_targets, with_overrides

__all__ = [
    "PROJECTION_METHOD_VI",
    "STATUSES",
    "KpiSpec",
    "Plan",
    "TargetsError",
    "add_totals",
    "aggregate",
    "dump_targets_toml",
    "evaluate",
    "kpi_table",
    "load_targets",
    "monthly_series",
    "previous_period",
    "project_year_end",
    "rank",
    "with_change",
    "with_overrides",
]
