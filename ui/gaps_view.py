"""Khoảng cách's pieces: the gap charts, the drill-down unit → field → procedure (its pickers' session
state) and the table it ends at."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from ui import data
from ui.figures import gap_bars
from ui.table_view import gap_columns, show_table
from ui.tables import GAP_EXPORT_COLUMNS, gap_table_frame
from ui.texts import directors as T
from ui.widgets import PageContext

#: Plotly's toolbar is hidden on every chart of the page.
CHART_CONFIG = {"displayModeBar": False}


@dataclass(frozen=True)
class GapLevel:
    """Where the drill-down ends: the unit picked (if any), the level, its rows and the table's title."""

    unit: str | None
    level: str
    table: pd.DataFrame
    title: str


def bars(
    table: pd.DataFrame,
    group: str,
    label: str,
    *,
    key: str,
    group_labels: dict[str, str] | None = None,
    noun: str = T.DOSSIERS_NOUN,
) -> None:
    """The gap of one KPI per ``group`` (unit or field) as bars."""
    st.plotly_chart(
        gap_bars(table, group=group, kpi_label=label, group_labels=group_labels, noun=noun),
        key=key,
        config=CHART_CONFIG,
    )


def _by_gap(table: pd.DataFrame, col: str) -> list[str]:
    """The values of ``col``, largest gap first (no gap last)."""
    return table.sort_values("gap", na_position="last")[col].tolist()


def _forget_stale(key: str, options: list[str]) -> None:
    """Drop a pick kept in the session that is no longer one of ``options``."""
    if st.session_state.get(key) not in (None, *options):
        del st.session_state[key]


def _unit_picker(one: pd.DataFrame, sidebar_unit: str | None, short_units: Mapping[str, str]) -> str | None:
    units = _by_gap(one, "unit")
    _forget_stale("gap_unit", units)
    if "gap_unit" not in st.session_state and sidebar_unit in units:
        st.session_state["gap_unit"] = sidebar_unit  # the unit chosen in the sidebar, as a start
    unit: str | None = st.selectbox(
        T.GAPS_UNIT,
        units,
        key="gap_unit",
        index=None,
        placeholder=T.GAPS_UNIT_PLACEHOLDER,
        format_func=lambda u: f"{u} ({short_units.get(u, u)})",
    )
    return unit


def _field_picker(fields_table: pd.DataFrame) -> str | None:
    fields = _by_gap(fields_table, "field")
    _forget_stale("gap_field", fields)
    field: str | None = st.selectbox(
        T.GAPS_FIELD, fields, key="gap_field", index=None, placeholder=T.GAPS_FIELD_PLACEHOLDER
    )
    return field


def _procedures(ctx: PageContext, sub: data.CachedFigures, kpi_id: str) -> pd.DataFrame:
    """One KPI per procedure of ``sub``, with the procedures' names."""
    filters = ctx.filters
    by = ("unit", "field", "procedure_code")
    procs = data.kpi_table(sub, ctx.plan, period=filters.period, by=by)
    procs = procs[procs["kpi"] == kpi_id].copy()
    names = sub.procedure_names(filters.start, filters.end)
    procs["procedure_name"] = procs["procedure_code"].map(
        lambda c: names.get(c) if isinstance(c, str) else None
    )
    return procs


def drill_down(
    ctx: PageContext, kpi_id: str, label: str, one: pd.DataFrame, short_units: Mapping[str, str]
) -> GapLevel:
    """The unit and field pickers (the field's once a unit is picked), and the table they lead to."""
    c1, c2 = st.columns(2)
    with c1:
        unit = _unit_picker(one, ctx.filters.unit, short_units)
    if not unit:
        return GapLevel(None, "unit", one, T.GAPS_TABLE_UNITS.format(label=label))
    scope = ctx.figures.where(units=[unit])
    filters = ctx.filters
    by_field = data.kpi_table(scope, ctx.plan, period=filters.period, by=("unit", "field"))
    fields_table = by_field[by_field["kpi"] == kpi_id]
    with c2:
        field = _field_picker(fields_table)
    if not field:
        bars(fields_table, "field", label, key="bars_unit_fields")
        return GapLevel(unit, "field", fields_table, T.GAPS_TABLE_FIELDS.format(label=label, unit=unit))
    procs = _procedures(ctx, scope.where(fields=[field]), kpi_id)
    title = T.GAPS_TABLE_PROCEDURES.format(label=label, unit=unit, field=field)
    return GapLevel(unit, "procedure", procs, title)


def gap_table(gl: GapLevel, short_units: Mapping[str, str]) -> None:
    """The drill-down's table under its title, units by their short names."""
    st.markdown(f"**{gl.title}**")
    shown = gap_table_frame(gl.table, gl.level)
    if "unit" in shown:
        shown["unit"] = [short_units.get(u, u) for u in shown["unit"]]
    show_table(shown, gap_columns(GAP_EXPORT_COLUMNS[gl.level], gl.level), key="gap_table")


def procedure_gaps(ctx: PageContext, short_units: Mapping[str, str]) -> None:
    """The KPIs that count procedures (``plan.procedure_kpis``): one chosen, its value by unit and by
    field (the catalog's), shortfall in TTHC, with a link to the list of procedures to act on."""
    filters, plan = ctx.filters, ctx.plan
    if not plan.procedure_kpis or data.procedure_catalog(ctx.figures)(filters.end).empty:
        return
    st.subheader(T.GAPS_PROCEDURES)
    labels = {k: s.label for k, s in plan.procedure_kpis.items()}
    kpi_id: str = st.selectbox(
        T.GAPS_KPI, list(labels), format_func=labels.__getitem__, key="gap_procedure_kpi"
    )
    by_unit = data.procedure_kpi_table(ctx.figures, plan, period=filters.period, by=("unit",))
    if filters.unit is None:
        field_table = data.procedure_kpi_table(ctx.figures, plan, period=filters.period, by=("field",))
    else:  # the unit's procedures (the catalog's), by field
        both = data.procedure_kpi_table(ctx.figures, plan, period=filters.period, by=("unit", "field"))
        field_table = both[both["unit"] == filters.unit].drop(columns="unit")
    left, right = st.columns(2)
    with left:
        st.markdown(T.GAPS_BY_UNIT.format(label=labels[kpi_id]))
        one = by_unit[by_unit["kpi"] == kpi_id]
        bars(
            one,
            "unit",
            labels[kpi_id],
            key="bars_procedure_unit",
            group_labels=dict(short_units),
            noun=T.PROCEDURES_NOUN,
        )
    with right:
        st.markdown(T.GAPS_BY_FIELD.format(label=labels[kpi_id]))
        bars(
            field_table[field_table["kpi"] == kpi_id],
            "field",
            labels[kpi_id],
            key="bars_procedure_field",
            noun=T.PROCEDURES_NOUN,
        )
    st.page_link("pages/procedures.py", label=T.TO_PROCEDURES_PAGE, icon=":material/checklist:")
