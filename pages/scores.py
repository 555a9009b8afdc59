"""Điểm đánh giá: the PAR-index and 766 points the department's figures give, per criterion and per
unit, the next step in dossiers, and the best step on top (:mod:`kpi.scoring`, :mod:`ui.scoring_view`)."""

from __future__ import annotations

import streamlit as st

from data_access.official_scores import official_scores
from kpi.scoring import ScoringError, default_scoring_path, load_scoring, score_table
from ui import data
from ui import scoring_view as sv
from ui.md import md_escape
from ui.state import stop_page
from ui.table_view import is_phone
from ui.texts import directors as TD
from ui.texts import scores as T
from ui.widgets import page_start

ctx = page_start(T.TITLE)
filters, plan, src, figures = ctx.filters, ctx.plan, ctx.src, ctx.figures
try:
    scoring = load_scoring()  # SCORING_FILE, else scoring.toml (data_access.settings)
except ScoringError as exc:
    st.error(T.SCORING_BROKEN.format(error=md_escape(exc)), icon=":material/error:")
    stop_page()

cat = data.catalog()
short_units = {u: cat.units.short(u) for u in data.loaded_summary(src)["units"]}
head = TD.DEPARTMENT if filters.unit is None else short_units.get(filters.unit, filters.unit)
periods = {fid: sv.framework_period(fw, filters.period) for fid, fw in scoring.frameworks.items()}
spans = "; ".join(
    T.CAPTION_SPAN.format(framework=T.FRAMEWORK_CAPTION.get(fid, fw.name), span=periods[fid].describe())
    for fid, fw in scoring.frameworks.items()
)
st.caption(T.CAPTION.format(file=default_scoring_path().name, spans=spans))

# the criteria counting procedures (7.4.1, 7.5.1) from the catalog in force; with a unit chosen, its row
# of the per-unit table (its own figures and its catalog procedures)
tables = {}
for fid, p in periods.items():
    by_unit = score_table(
        figures, plan, scoring, period=p, by=("unit",), framework=fid, catalog=data.procedure_catalog(figures)
    )
    if filters.unit is None:
        head_table = score_table(
            figures, plan, scoring, period=p, framework=fid, catalog=data.procedure_catalog(figures)
        )
    else:
        head_table = sv.unit_rows(by_unit, filters.unit)
    tables[fid] = (head_table, by_unit)
for fid, (head_table, by_unit) in tables.items():
    step = sv.best_step(head_table)  # the points of the department (or of the chosen unit) itself
    most = sv.where_most(by_unit if filters.unit is None else head_table.assign(unit=filters.unit), step)
    st.markdown(sv.best_step_sentence(step, fid, short_units, most if filters.unit is None else None))
st.caption(T.BEST_STEP_NOTE.format(head=T.NOTE_DEPARTMENT if filters.unit is None else head))

compact = is_phone()
for fid, fw in scoring.frameworks.items():
    head_table, by_unit = tables[fid]
    sv.show_framework(
        head_table, fw, head=head, span=periods[fid].describe(), key=f"scores_{fid}", compact=compact
    )
    sv.show_by_unit(by_unit, row_labels=short_units, compact=compact, key=f"scores_heat_{fid}")
    if fid == "i766" and filters.unit is None and periods[fid].kind != "ytd":
        # the portal's published scores of the same period, beside the estimate (never mixed in)
        published = official_scores(src.engine, periods[fid].code)
        sv.show_official(
            sv.official_frame(head_table, published), period=periods[fid].describe(), key="scores_official"
        )
