"""Entry point: page config, data source, sign-in, shared filters, navigation (the frame around every page).

The pages and who may open them are listed in :mod:`ui.navigation`."""

from __future__ import annotations

import logging

import sqlalchemy.exc
import streamlit as st

from ui import data
from ui.auth import current_actor, sign_in_page, user_box
from ui.navigation import pages_for
from ui.state import FRAME_KEY, PageStopped, draw_filters, read_filters

st.set_page_config(
    page_title="DVCTT – Sở GD&ĐT",
    page_icon=":material/monitoring:",
    layout="wide",
    initial_sidebar_state="expanded",
)

try:
    src = data.source()
except data.StoreError as exc:
    st.error(f"{exc}. {data.RETRY_LATER}", icon=":material/cloud_off:")
    st.stop()
st.session_state["_source"] = src

actor = current_actor(src.engine)
if actor is None or not actor.role:
    st.navigation([st.Page(lambda: sign_in_page(src.engine), title="Đăng nhập", icon=":material/login:",
                           url_path="dang-nhap")]).run()
    st.stop()

nav = st.navigation(pages_for(actor))

if actor.via == "demo":
    st.warning("Chế độ dùng thử — chưa bật đăng nhập. Xem README để tạo tài khoản quản trị đầu tiên.",
               icon=":material/lock_open:")
if src.external is not None and src.external.problem:
    st.warning(f"Nguồn số liệu ngoài “{src.external.name}”: {src.external.problem}. Các trang dùng số liệu "
               "đã lưu ở lần đồng bộ trước.", icon=":material/sync_problem:")
user_box(src.engine, actor)
if src.sample_loaded and not st.session_state.get("_sample_notice"):
    st.session_state["_sample_notice"] = True
    st.toast(f"Cơ sở dữ liệu trống: đã nạp dữ liệu mẫu ({src.sample_loaded} tháng).", icon=":material/info:")

loaded = data.loaded_summary(src)
st.session_state["_filters"] = read_filters(loaded["months"], loaded["units"])
st.session_state[FRAME_KEY] = True

try:
    nav.run()
except PageStopped:  # the page ended early (ui.state.stop_page): the filters are still drawn below
    pass
except sqlalchemy.exc.SQLAlchemyError as exc:  # a query of the page failed: no traceback on the page
    logging.getLogger(__name__).warning("database error during a page run", exc_info=True)
    message, lost = data.query_failed(exc)
    st.error(message, icon=":material/cloud_off:" if lost else ":material/error:")

# the shared filters, after the page: its content reaches the browser first (see ui.state.read_filters)
draw_filters(loaded["months"], loaded["units"])
