"""The upload page's history: every upload, one chosen to see its parts and figures, and the
restore of a part no longer in use (after a confirmation)."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from data_access.store import StoreError, active_parts, history, restore, upload_figures, upload_parts
from data_access.versions import current_upload, restorable, restored_from, with_use
from ui import data
from ui.fmt import fmt_datetime, fmt_int, fmt_month
from ui.upload_view import T, figures_view, history_view, parts_view

RESTORE_PENDING = "_restore_pending"
RESTORE_DONE = "_restore_done"


def show_history(src: data.Source) -> None:
    """Every upload; one chosen to see its parts and figures and to restore a part no longer in use."""
    engine = src.engine
    st.subheader(T["history_title"], anchor=False)
    hist = history(engine)
    if hist.empty:
        st.info(T["history_empty"], icon=":material/history:")
        return
    st.dataframe(history_view(hist), hide_index=True, width="stretch", height=min(420, 38 + 35 * len(hist)),
                 key="upload_history")
    labels = {int(r.id): f"#{r.id} – {r.file_name} – {fmt_datetime(r.created_at)}" for r in hist.itertuples()}
    ids = list(labels)
    if st.session_state.get("history_upload") not in ids:
        st.session_state["history_upload"] = ids[0]
    chosen = st.selectbox(T["history_pick"], ids, key="history_upload", format_func=labels.get)
    restored = restored_from(hist)
    active = active_parts(engine)
    parts = with_use(upload_parts(engine, chosen), chosen, active, restored)
    st.markdown(f"**{T['parts_title'].format(id=chosen)}**")
    st.dataframe(parts_view(parts, active, restored), hide_index=True, width="stretch", key="history_parts",
                 column_config={"Tháng": st.column_config.TextColumn(width=70),
                                "Số dòng": st.column_config.TextColumn(width=70),
                                "Đơn vị": st.column_config.TextColumn(width=400),
                                "Trạng thái": st.column_config.TextColumn(width="large")})
    with st.columns([3, 2])[0]:
        restore_box(engine, chosen, parts, active)
    figures = upload_figures(engine, chosen)
    with st.expander(T["figures_title"].format(id=chosen, rows=fmt_int(len(figures)))):
        st.dataframe(figures_view(figures), hide_index=True, width="stretch")


def restore_box(engine: Engine, upload_id: int, parts: pd.DataFrame, active: pd.DataFrame) -> None:
    """Restore one (month, unit) of an upload that is no longer in use, after a confirmation."""
    ss = st.session_state
    done = ss.pop(RESTORE_DONE, None)
    if done:
        st.success(done, icon=":material/restore:")
    idle = restorable(parts)
    if idle.empty:
        st.caption(T["restore_none"])
        ss.pop(RESTORE_PENDING, None)
        return
    options = [f"{p}|{u}" for p, u in zip(idle["period"], idle["unit"], strict=True)]
    if ss.get("restore_part") not in options:
        ss["restore_part"] = options[0]
    chosen = st.selectbox(T["restore_pick"], options, key="restore_part",
                          format_func=lambda o: f"{fmt_month(o.split('|', 1)[0])} – {o.split('|', 1)[1]}")
    period, unit = chosen.split("|", 1)
    pending = ss.get(RESTORE_PENDING)
    if pending != (upload_id, period, unit):
        if st.button(T["restore_start"], key="restore_start", icon=":material/restore:"):
            ss[RESTORE_PENDING] = (upload_id, period, unit)
            st.rerun()
        return
    current = current_upload(active, period, unit)
    st.warning(T["restore_question"].format(month=fmt_month(period), unit=unit, id=upload_id,
                                            current=current if current is not None else "?"),
               icon=":material/help:")
    ok, cancel = st.columns(2)
    if ok.button(T["restore_confirm"], key="restore_confirm", type="primary", icon=":material/check:",
                 width="stretch"):
        ss.pop(RESTORE_PENDING, None)
        try:
            info = restore(engine, upload_id, period=period, unit=unit, actor=st.session_state["_actor"])
        except StoreError as exc:
            st.error(T["restore_failed"].format(error=exc), icon=":material/error:")
            return
        ss[RESTORE_DONE] = T["restore_done"].format(month=fmt_month(period), unit=unit, source=upload_id,
                                                    id=info.id)
        st.rerun()
    if cancel.button(T["restore_cancel"], key="restore_cancel", icon=":material/close:", width="stretch"):
        ss.pop(RESTORE_PENDING, None)
        st.rerun()
