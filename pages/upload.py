"""Nhập số liệu: template, upload with check and preview, explicit save, history and restore."""

from __future__ import annotations

import streamlit as st

from data_access.settings import max_upload_mb
from ui import data
from ui.auth import require_page
from ui.texts.office import T
from ui.upload_history import show_history
from ui.upload_other import show_catalog_file, show_scores_file, split_files
from ui.upload_state import forget_upload, prepared_state, take_saved, uploader_key
from ui.upload_view import oversized
from ui.upload_widgets import UPLOADER_CSS, show_checked, show_last_save, template_box
from vnfmt import fmt_number

require_page("upload")  # the page checks the role itself: a direct URL without it is refused
src: data.Source = st.session_state["_source"]

st.title(T["title"], anchor=False)
st.caption(T["intro"])
template_box()

limit = max_upload_mb()
st.html(UPLOADER_CSS)  # Streamlit's own English lines in the uploader are hidden; ours is the caption
left, right = st.columns([3, 2])
with left:
    uploaded = st.file_uploader(
        T["uploader"],
        type=["xlsx"],
        accept_multiple_files=True,
        key=uploader_key(),
        help=T["uploader_help"],
        max_upload_size=limit,
    )
    st.caption(T["uploader_hint"].format(limit=limit))
with right:
    unit = st.selectbox(
        T["unit"],
        data.catalog().units.names,
        index=None,
        key="upload_unit",
        placeholder=T["unit_placeholder"],
        help=T["unit_help"],
    )

saved = take_saved()
if saved is not None:
    show_last_save(saved)
if not uploaded:
    forget_upload()
    if saved is None:
        st.info(T["waiting"], icon=":material/upload_file:")
else:
    files = [(f.name, f.getvalue()) for f in uploaded]
    big = oversized(files, limit)
    if big:
        forget_upload()
        for name, size in big:
            st.error(
                T["too_large"].format(name=name, size=fmt_number(size), limit=limit), icon=":material/block:"
            )
    else:
        # a procedure catalog or the official 766 scores has its own box; the figures files (template,
        # Biểu II.06a, list of dossiers) are checked and previewed together
        figures, catalogs, scores = split_files(files)
        for name, content in catalogs:
            show_catalog_file(src, name, content)
        for name, content in scores:
            show_scores_file(src, name, content)
        if figures:
            show_checked(src, prepared_state(src.engine, src.version, figures, unit))
        else:
            forget_upload()

st.divider()
show_history(src)
