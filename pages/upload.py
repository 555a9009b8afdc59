"""Nhập số liệu: template, upload with check and preview, explicit save, history and restore."""

from __future__ import annotations

import streamlit as st

from data_access.settings import max_upload_mb
from ui import data
from ui.auth import require_page
from ui.upload_history import show_history
from ui.upload_state import forget_upload, prepared_state
from ui.upload_view import T, oversized
from ui.upload_widgets import show_checked, template_box

require_page("upload")  # the page checks the role itself: a direct URL without it is refused
src: data.Source = st.session_state["_source"]

st.title(T["title"], anchor=False)
st.caption(T["intro"])
template_box()

limit = max_upload_mb()
left, right = st.columns([3, 2])
with left:
    uploaded = st.file_uploader(T["uploader"], type=["xlsx"], accept_multiple_files=True, key="upload_files",
                                help=T["uploader_help"], max_upload_size=limit)
with right:
    unit = st.selectbox(T["unit"], data.catalog().units.names, index=None, key="upload_unit",
                        placeholder=T["unit_placeholder"], help=T["unit_help"])

if not uploaded:
    forget_upload()
    st.info(T["waiting"], icon=":material/upload_file:")
else:
    files = [(f.name, f.getvalue()) for f in uploaded]
    big = oversized(files, limit)
    if big:
        forget_upload()
        for name, size in big:
            st.error(T["too_large"].format(name=name, size=f"{size:.1f}".replace(".", ","), limit=limit),
                     icon=":material/block:")
    else:
        show_checked(src, prepared_state(src.engine, src.version, files, unit))

st.divider()
show_history(src)
