"""Entry point: page config, data source, sign-in, shared filters, navigation (the frame around every page).

The pages and who may open them are listed in :mod:`ui.navigation`."""

from __future__ import annotations

import logging

import sqlalchemy.exc
import streamlit as st

from data_access.settings import SettingError, reporting_cutoff_day
from ui import data
from ui.auth import current_actor, keep_state, session_cookie, sign_in_navigation, user_box
from ui.md import md_escape
from ui.navigation import entry_at, pages_for
from ui.state import FRAME_KEY, PageStopped, draw_filters, read_filters
from ui.texts import frame as T

st.set_page_config(
    page_title=T.PAGE_TITLE,
    page_icon=":material/monitoring:",
    layout="wide",
    initial_sidebar_state="auto",  # collapsed on a phone, open on a laptop
)

try:
    src = data.source()
except data.StoreError as exc:
    st.error(f"{md_escape(exc)}. {data.RETRY_LATER}", icon=":material/cloud_off:")
    st.stop()
st.session_state["_source"] = src

actor = current_actor(src.engine)
if actor is None or not actor.role:
    sign_in_navigation(src.engine)  # the form at every page's address; after sign-in, that page
    st.stop()

nav = st.navigation(pages_for(actor))
entry = entry_at(nav.url_path)

if actor.via == "demo":
    st.warning(T.DEMO_BANNER, icon=":material/lock_open:")
if src.external is not None and src.external.problem:
    st.warning(
        T.EXTERNAL_PROBLEM.format(name=md_escape(src.external.name), problem=md_escape(src.external.problem)),
        icon=":material/sync_problem:",
    )
user_box(src.engine, actor)
try:
    reporting_cutoff_day()  # a bad REPORTING_CUTOFF_DAY is said at start, not only when a file is read
except SettingError as exc:
    st.error(str(exc), icon=":material/settings:")


# the sample notice: only to the session whose first run loaded it (not to every reload after)
if src.sample_loaded and data.sample_loaded_here(src.url) and not st.session_state.get("_sample_notice"):
    st.session_state["_sample_notice"] = True
    st.toast(T.SAMPLE_LOADED.format(months=src.sample_loaded), icon=":material/info:")

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

keep_state(src.engine)  # a reload or a bookmark gets the filters and the what-if scenario back
session_cookie()
# the shared filters, after the page: its content reaches the browser first (see ui.state.read_filters);
# only on the pages they change (not on the upload and admin pages)
if entry is None or entry.filters:
    draw_filters(loaded["months"], loaded["units"])
