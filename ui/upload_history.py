"""The upload page's history: every upload, one chosen to see its parts and figures, and the
restore of one, several or all of its parts no longer in use (after a confirmation, in one
transaction: :func:`data_access.store.restore_parts`)."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from data_access.auth import PermissionDenied
from data_access.store import StoreError, active_parts, history, restore_parts, upload_figures, upload_parts
from data_access.versions import current_upload, restorable, restored_from, with_use
from ui import data
from ui.md import md_escape
from ui.office_tables import HISTORY, PARTS, draw
from ui.table_view import TableColumn
from ui.texts.office import T
from ui.upload_view import figures_view, history_view, parts_view
from vnfmt import fmt_datetime, fmt_int, fmt_month

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
    draw(history_view(hist), HISTORY, key="upload_history", height=min(420, 38 + 35 * len(hist)))
    labels = {
        int(i): f"#{i} – {name} – {fmt_datetime(at)}"
        for i, name, at in zip(hist["id"], hist["file_name"], hist["created_at"], strict=True)
    }
    ids = list(labels)
    if st.session_state.get("history_upload") not in ids:
        st.session_state["history_upload"] = ids[0]
    chosen = st.selectbox(T["history_pick"], ids, key="history_upload", format_func=lambda i: labels[i])
    restored = restored_from(hist)
    active = active_parts(engine)
    parts = with_use(upload_parts(engine, chosen), chosen, active, restored)
    st.markdown(f"**{T['parts_title'].format(id=chosen)}**")
    draw(parts_view(parts, active, restored), PARTS, key="history_parts")
    with st.columns([3, 2])[0]:
        restore_box(engine, chosen, parts, active)
    figures = upload_figures(engine, chosen)
    with st.expander(T["figures_title"].format(id=chosen, rows=fmt_int(len(figures)))):
        shown = figures_view(figures)
        draw(
            shown,
            [
                TableColumn(
                    c,
                    c,
                    kind="int" if pd.api.types.is_numeric_dtype(shown[c]) else "text",
                    width=None if pd.api.types.is_numeric_dtype(shown[c]) else 150,
                )
                for c in shown.columns
            ],
        )


def _part(option: str) -> tuple[str, str]:
    """An option ``period|unit`` as (period, unit)."""
    period, unit = option.split("|", 1)
    return period, unit


def _part_label(option: str) -> str:
    period, unit = _part(option)
    return f"{fmt_month(period)} – {unit}"


def restore_box(engine: Engine, upload_id: int, parts: pd.DataFrame, active: pd.DataFrame) -> None:
    """Restore one, several or all (month, unit) parts of an upload no longer in use, after a confirmation."""
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
    if ss.get("restore_upload") != upload_id or not set(ss.get("restore_parts") or []) <= set(options):
        ss["restore_upload"], ss["restore_parts"] = upload_id, options[:1]  # another upload: its first part
    if len(options) > 1 and st.button(
        T["restore_all"].format(n=len(options)), key="restore_all", icon=":material/select_all:"
    ):
        ss["restore_parts"] = options
    chosen: list[str] = st.multiselect(
        T["restore_pick"],
        options,
        key="restore_parts",
        format_func=_part_label,
        placeholder=T["restore_pick_empty"],
    )
    wanted = tuple(_part(o) for o in chosen)
    pending = ss.get(RESTORE_PENDING)
    if pending != (upload_id, wanted):
        if st.button(T["restore_start"], key="restore_start", icon=":material/restore:", disabled=not wanted):
            ss[RESTORE_PENDING] = (upload_id, wanted)
            st.rerun()
        return
    if len(wanted) == 1:
        period, unit = wanted[0]
        current = current_upload(active, period, unit)
        question = T["restore_question"].format(
            month=fmt_month(period), unit=unit, id=upload_id, current=current if current is not None else "?"
        )
    else:
        question = T["restore_question_many"].format(
            n=len(wanted), id=upload_id, parts="; ".join(_part_label(o) for o in chosen)
        )
    st.warning(question, icon=":material/help:")
    ok, cancel = st.columns(2)
    if ok.button(
        T["restore_confirm"], key="restore_confirm", type="primary", icon=":material/check:", width="stretch"
    ):
        ss.pop(RESTORE_PENDING, None)
        try:
            info = restore_parts(engine, upload_id, list(wanted), actor=st.session_state["_actor"])
        except (StoreError, PermissionDenied) as exc:  # a stale account too (refused and audited)
            st.error(T["restore_failed"].format(error=md_escape(exc)), icon=":material/error:")
            return
        if len(wanted) == 1:
            ss[RESTORE_DONE] = T["restore_done"].format(
                month=fmt_month(wanted[0][0]), unit=wanted[0][1], source=upload_id, id=info.id
            )
        else:
            ss[RESTORE_DONE] = T["restore_done_many"].format(n=len(wanted), source=upload_id, id=info.id)
        st.rerun()
    if cancel.button(T["restore_cancel"], key="restore_cancel", icon=":material/close:", width="stretch"):
        ss.pop(RESTORE_PENDING, None)
        st.rerun()
