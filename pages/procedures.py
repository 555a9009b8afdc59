"""Thủ tục hành chính: per procedure KPI the procedures of its scope, which are counted and why not (to-do
first), a procedure's trend, the list's Excel; the catalog (danh mục TTHC), its versions and changes,
and the codes in figures but not in the catalog."""

from __future__ import annotations

import streamlit as st

from ui import data
from ui import procedures_view as pv
from ui.export_documents import header_lines
from ui.exports import export_buttons
from ui.texts import procedures as T
from ui.widgets import page_start

ctx = page_start(T.TITLE)
filters, plan, src = ctx.filters, ctx.plan, ctx.src
st.caption(T.CAPTION.format(filters=filters.describe()))
keys = pv.keys_for(src.url, src.version, src.engine)
catalog = pv.catalog_in(keys, filters.end)

field: str | None = None
if not plan.procedure_kpis:
    st.info(T.NO_PROCEDURE_KPIS, icon=":material/info:")
elif catalog.empty:
    st.info(pv.no_catalog_text(filters.end), icon=":material/info:")
else:
    left, right = st.columns(2)
    with left:
        kpi = pv.pick_kpi(plan)
    with right:
        field = pv.pick_field(pv.fields_of(catalog, filters.unit))
    spec = plan.procedure_kpis[kpi]
    result = pv.kpi_result(keys, plan, filters.period, filters.unit, field, kpi)
    if result is not None:
        st.markdown(pv.kpi_line(result))
    else:
        st.markdown(pv.no_scope_line(plan, kpi, filters.end, filters.unit))
    frame = pv.procedure_rows(keys, plan, kpi, filters.period, filters.unit, field)
    pv.list_notes(frame)
    st.subheader(T.LIST_HEADING)
    if frame.empty:
        st.caption(T.EMPTY_LIST)
    else:
        pv.show_list(frame, unit=filters.unit, field=field)
        uploads = data.active_uploads(src, filters.start, filters.end, filters.unit)
        missing = pv.not_in_catalog(keys, filters.start, filters.end, filters.unit)
        export_buttons(
            lambda: pv.list_document(
                frame, missing, spec=spec, subtitle=header_lines(filters, plan, uploads), field=field
            ),
            key="proc_download",
            file_stem=f"thu-tuc-{kpi}-{filters.period.code}",
        )
        pv.trend_section(keys, plan, kpi, frame, filters)

pv.catalog_section(keys, filters.end, filters.unit, field, filters.start)
