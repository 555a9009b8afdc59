"""Nhập số liệu: template, upload with check and preview, explicit save, history and restore."""

from __future__ import annotations

import streamlit as st

from data_access.settings import max_upload_mb
from ui import data
from ui import upload_view as uv
from ui.auth import require_page

require_page("upload")  # the page checks the role itself: a direct URL without it is refused
src: data.Source = st.session_state["_source"]
T = uv.T

st.title(T["title"], anchor=False)
st.caption(T["intro"])
uv.template_box()

limit = max_upload_mb()
left, right = st.columns([3, 2])
with left:
    uploaded = st.file_uploader(T["uploader"], type=["xlsx"], accept_multiple_files=True, key="upload_files",
                                help=T["uploader_help"], max_upload_size=limit)
with right:
    unit = st.selectbox(T["unit"], data.catalog().units.names, index=None, key="upload_unit",
                        placeholder=T["unit_placeholder"], help=T["unit_help"])

if not uploaded:
    uv.forget_upload()
    st.info(T["waiting"], icon=":material/upload_file:")
else:
    files = [(f.name, f.getvalue()) for f in uploaded]
    big = uv.oversized(files, limit)
    if big:
        uv.forget_upload()
        for name, size in big:
            st.error(T["too_large"].format(name=name, size=f"{size:.1f}".replace(".", ","), limit=limit),
                     icon=":material/block:")
    else:
        state = uv.prepared_state(src.engine, src.version, files, unit)
        if not state.prepared.ok:
            uv.show_refused(state)
        else:
            prepared = state.prepared
            saved = bool(prepared.committed)
            if saved:
                uv.show_saved(prepared.committed)
            else:
                n_rows = sum(len(r.frame) for r in prepared.results)
                st.success(T["accepted"].format(rows=uv.fmt_int(n_rows), pairs=uv.fmt_int(len(prepared.preview))),
                           icon=":material/fact_check:")
                uv.show_warnings(prepared)
            uv.show_preview(src, state, saved=saved)
            if st.button(T["saved_button"] if saved else T["save"], key="save_upload",
                         type="secondary" if saved else "primary",
                         icon=":material/done_all:" if saved else ":material/save:"):
                try:
                    infos, again = uv.save(src.engine, state)
                except uv.StoreError as exc:
                    st.error(T["save_failed"].format(error=exc), icon=":material/error:")
                else:
                    if again:
                        st.info(T["saved_again"].format(uploads=uv.saved_text(infos)[0]), icon=":material/info:")
                    else:
                        st.rerun()  # the whole app (filters, other pages) reads the new data version

st.divider()
uv.show_history(src)
