"""The what-if page's part for the KPIs that count procedures (``procedures.md``): their tables under
the plan and the scenario, in their own section below the dossier KPIs' (never mixed into those tables).

The plan's procedure KPI table (``data.procedure_kpi_table``: summed in the database, cached per data
version, catalog upload, plan, period and grouping) is the same under a scenario, so a target change in
the page's fragment reads no figures: the scenario only judges the same counts again
(:func:`kpi.whatif_procedures.rejudge`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

import pandas as pd
import streamlit as st

from kpi.periods import as_period
from kpi.targets import Plan
from kpi.whatif import kpi_changes
from kpi.whatif_procedures import ProcedureCompared, compared_procedures
from ui import data
from ui import whatif_view as wv
from ui.state import Filters
from ui.table_view import TableColumn, show_table
from ui.texts import whatif_procedures as TP
from ui.whatif_state import JUST_CHANGED
from ui.whatif_tables import PAIR_HELP, _styles, pair_text, screen_frame
from vnfmt import MISSING, fmt_int, is_missing

PROC_PICK = "whatif_proc_kpi"

# ---------------------------------------------------------------------------- the tables compared


def procedures_compared(plan: Plan, scenario: Plan, filters: Filters) -> ProcedureCompared | None:
    """The plan's procedure KPIs (the department, or the sidebar's unit; and per unit) against the
    scenario's targets; ``None`` when the plan has no procedure KPI."""
    from ui.widgets import source

    if not plan.procedure_kpis:
        return None
    figures = data.figure_source(source())
    head_by: tuple[str, ...] = () if filters.unit is None else ("unit",)
    base_unit = data.procedure_kpi_table(figures, plan, period=filters.period, by=("unit",))
    base_head = base_unit if head_by else data.procedure_kpi_table(figures, plan, period=filters.period)
    return compared_procedures(
        base_head, base_unit, scenario, period=filters.period, head_by=head_by, unit=filters.unit
    )


# ---------------------------------------------------------------------------- the tables on screen


def shortfall_text(base: object, scen: object, noun: str) -> str:
    """``còn thiếu 3 TTHC``, ``còn thiếu 0 → 3 TTHC`` (plan → scenario), ``–`` without a value."""
    if is_missing(base) and is_missing(scen):
        return MISSING
    return TP.SHORTFALL_CELL.format(n=pair_text(base, scen, fmt_int), noun=noun)


_H = TP.SCREEN_HEADERS
SCREEN_COLUMNS: dict[str, TableColumn] = {
    c.key: c
    for c in (
        TableColumn("label", _H["label"], width=240, fit=True),
        TableColumn("unit", _H["unit"], width=150, fit=True),
        TableColumn("counts", _H["counts"], width=120, help=TP.COUNTS_HELP, essential=False),
        TableColumn("value", _H["value"], "percent", 80, essential=False),
        TableColumn("target", _H["target"], "percent", 120, PAIR_HELP, essential=False),
        TableColumn("status", _H["status"], width=140, help=PAIR_HELP, phone_width=136),
        TableColumn("shortfall", _H["shortfall"], "int", 150, TP.SHORTFALL_HELP, phone_width=110),
        TableColumn("unknown", _H["unknown"], "int", 90, TP.UNKNOWN_HELP, essential=False),
        TableColumn("rank", _H["rank"], "int", 75, TP.RANK_HELP, essential=False),
        TableColumn("change", _H["change"], width=210, fit=True, essential=False, help=TP.CHANGE_HELP),
    )
}
#: On screen the "plan → scenario" status and shortfall say what changed (the change column is in the
#: Excel and PDF), so that the procedure counts fit beside them.
HEAD_SCREEN = ("label", "counts", "value", "target", "status", "shortfall", "unknown")
UNIT_SCREEN = ("unit", "counts", "value", "target", "status", "shortfall", "unknown", "rank")


def procedure_screen_frame(
    cmp: pd.DataFrame, keys: Sequence[str], plan: Plan, *, names: Mapping[str, str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(values, shown texts) of a :func:`kpi.whatif_procedures.compare_procedures` table: as the dossier
    tables' (:func:`ui.whatif_tables.screen_frame`), the counts ``32/37`` and the shortfall
    ``còn thiếu 0 → 3 TTHC`` (the scenario's number underneath, sorted by it)."""
    base_keys = [k for k in keys if k not in ("counts", "unknown")]
    values, texts = screen_frame(cmp, base_keys, names=names)
    if "shortfall" in keys:
        nouns = [plan.spec(str(k)).noun for k in cmp["kpi"]]
        texts["shortfall"] = [
            shortfall_text(b, s, n)
            for b, s, n in zip(cmp["shortfall_base"], cmp["shortfall_scen"], nouns, strict=True)
        ]
    if "counts" in keys:
        values["counts"] = [
            TP.COUNTS_CELL.format(num=fmt_int(n), den=fmt_int(d))
            for n, d in zip(cmp["numerator"], cmp["denominator"], strict=True)
        ]
    if "unknown" in keys:
        values["unknown"] = cmp["unknown"].tolist()
    return values[list(keys)], texts


def _show(cmp: pd.DataFrame, keys: Sequence[str], plan: Plan, *, key: str, names: Mapping[str, str]) -> None:
    rows = cmp.reset_index(drop=True)
    frame, texts = procedure_screen_frame(rows, keys, plan, names=names)
    show_table(
        frame,
        [SCREEN_COLUMNS[k] for k in keys],
        key=key,
        texts=texts,
        styles=_styles(list(frame.columns), rows),
    )


# ---------------------------------------------------------------------------- the section


def procedure_section(
    plan: Plan,
    proc: ProcedureCompared | None,
    filters: Filters,
    changed: Sequence[str],
    head_name: str,
    short_names: Mapping[str, str],
) -> None:
    """The procedure KPIs under the plan and the scenario (``proc``: :func:`procedures_compared`), in a
    section of their own below the dossier KPIs': one sentence per changed procedure KPI, the
    headline's table, and one KPI's units. Nothing when ``proc`` is ``None`` (no procedure KPI)."""
    if proc is None:
        return
    st.subheader(TP.RESULTS)
    mine = [k for k in changed if k in plan.procedure_kpis]
    if mine:
        targets, units = wv.overrides()
        moves = kpi_changes(proc.unit, mine)
        period = as_period(filters.period).end
        for k in mine:
            spec = plan.procedure_kpis[k]
            phrase = wv.scenario_phrase(
                spec.label,
                plan_target=plan.target_for(k, period),
                new_target=targets.get(k),
                unit_targets={short_names.get(u, u): v for (kid, u), v in units.items() if kid == k},
            )
            rows = proc.head[proc.head["kpi"] == k]
            head = cast(dict[str, object], rows.iloc[0].to_dict()) if len(rows) else None
            text = wv.summary_sentence(phrase, moves[k], noun=spec.noun, head_name=head_name, head=head)
            st.markdown(f":material/insights: {text}")
    st.markdown(TP.HEAD.format(name=head_name, when=filters.period.describe()))
    if proc.head.empty:
        st.caption(TP.NO_PROCEDURES.format(name=head_name))
    else:
        names = {k: s.short_label for k, s in plan.procedure_kpis.items()}
        _show(proc.head, HEAD_SCREEN, plan, key="whatif_proc_head", names=names)
        st.caption(TP.HEAD_NOTE)
    unit_table(plan, mine, proc.unit, short_names)


def unit_table(
    plan: Plan, changed: Sequence[str], unit_cmp: pd.DataFrame, short_names: Mapping[str, str]
) -> None:
    """One procedure KPI chosen (the one just changed, else the first changed, else the first): its
    units under the plan and the scenario, worst first."""
    ss = st.session_state
    ids = list(plan.procedure_kpis)
    just = ss.pop(JUST_CHANGED, None)
    if just in plan.procedure_kpis:  # a procedure KPI's target was just changed
        ss[PROC_PICK] = just
    if ss.get(PROC_PICK) not in plan.procedure_kpis:
        ss[PROC_PICK] = changed[0] if changed else ids[0]
    labels = {k: s.label for k, s in plan.procedure_kpis.items()}
    with st.expander(TP.BY_UNIT, icon=":material/apartment:", expanded=bool(changed)):
        kid = st.selectbox(
            TP.PICK_KPI,
            ids,
            key=PROC_PICK,
            format_func=lambda k: TP.PICK_KPI_CHANGED.format(label=labels[k]) if k in changed else labels[k],
        )
        rows = wv.unit_rows(unit_cmp, str(kid))
        if rows.empty:
            st.caption(TP.NO_UNIT_DATA)
            return
        _show(rows, UNIT_SCREEN, plan, key="whatif_proc_units", names=dict(short_names))


__all__ = [
    "HEAD_SCREEN",
    "PROC_PICK",
    "SCREEN_COLUMNS",
    "UNIT_SCREEN",
    "procedure_screen_frame",
    "procedure_section",
    "procedures_compared",
    "shortfall_text",
    "unit_table",
]
