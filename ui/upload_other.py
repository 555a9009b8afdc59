"""The upload page's other files: a procedure catalog (danh mục TTHC) and the official 766 scores.

The page hands every file to :func:`split_files`; a catalog or a scores workbook is read, shown and
stored here (each with its own save button), the figures files (template, Biểu II.06a, list of
dossiers) go through the usual check and preview (:mod:`ui.upload_widgets`). What a file is, is
decided once per file content (its SHA-256) in the session, so reruns do not open it again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from data_access import official_scores
from data_access.auth import PermissionDenied
from data_access.procedure_catalog import (
    catalog_changes,
    catalog_versions,
    import_catalog,
    is_catalog_workbook,
    read_catalog,
    version_in_force,
)
from data_access.store import StoreError
from data_access.texts.procedure_catalog import CATALOG_HEADERS
from ui import data
from ui.md import md_escape
from ui.office_tables import ISSUES, draw
from ui.texts.office import CATALOG, CATALOG_CHANGE_HEADERS, CATALOG_CHANGE_WORDS, SCORES
from ui.upload_view import issues_frame
from vnfmt import fmt_int, fmt_month, fmt_month_in

KINDS_KEY = "_upload_kinds"
SAVED_KEY = "_upload_other_saved"
Files = list[tuple[str, bytes]]


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def file_kind(content: bytes) -> str:
    """``catalog``, ``scores`` or ``figures`` (anything else: the figures readers say what is wrong)."""
    if official_scores.is_scores_workbook(content):
        return "scores"
    if is_catalog_workbook(content):
        return "catalog"
    return "figures"


def split_files(files: Sequence[tuple[str, bytes]]) -> tuple[Files, Files, Files]:
    """(figures files, catalogs, scores workbooks), each in upload order."""
    kinds: dict[str, str] = st.session_state.setdefault(KINDS_KEY, {})
    out: dict[str, Files] = {"figures": [], "catalog": [], "scores": []}
    for name, content in files:
        key = _digest(content)
        if key not in kinds:
            kinds[key] = file_kind(content)
        out[kinds[key]].append((name, content))
    return out["figures"], out["catalog"], out["scores"]


def month_choices(today: dt.date) -> list[str]:
    """The months a catalog may take effect from: January two years back to December next year."""
    return [f"{y:04d}-{m:02d}" for y in range(today.year - 2, today.year + 2) for m in range(1, 13)]


def changes_view(changes: pd.DataFrame, short: dict[str, str]) -> pd.DataFrame:
    """The catalog's changes with Vietnamese headers and words (changed columns by their headers)."""
    out = changes.copy()
    out["change"] = [CATALOG_CHANGE_WORDS.get(c, c) for c in out["change"]]
    out["columns"] = [", ".join(short.get(c, c) for c in cols) for cols in out["columns"]]
    return out.rename(columns=CATALOG_CHANGE_HEADERS)


def _saved() -> dict[str, Any]:
    saved: dict[str, Any] = st.session_state.setdefault(SAVED_KEY, {})
    return saved


def show_catalog_file(src: data.Source, name: str, content: bytes) -> None:
    """A catalog file: its errors, or its count, the month it takes effect from and "Lưu danh mục"."""
    key = _digest(content)
    with st.container(border=True):
        st.markdown(f"**{md_escape(CATALOG['title'].format(file=name))}**")
        done = _saved().get(key)
        if done is not None:
            _show_catalog_saved(done)
            return
        read = read_catalog(content, filename=name)
        if not read.ok:
            st.error(CATALOG["refused"].format(n=fmt_int(len(read.errors))), icon=":material/block:")
            draw(issues_frame(read.errors), ISSUES, key=f"catalog_errors_{key[:12]}", wrap=True)
            return
        st.info(CATALOG["read"].format(n=fmt_int(len(read.frame))), icon=":material/list_alt:")
        choices = month_choices(dt.date.today())
        today = dt.date.today().strftime("%Y-%m")
        month = st.selectbox(
            CATALOG["effective"],
            choices,
            index=choices.index(today),
            format_func=fmt_month,
            key=f"catalog_effective_{key[:12]}",
        )
        old = version_in_force(src.engine, month)
        if old is None:
            st.caption(CATALOG["none_in_force"].format(month=fmt_month_in(month)))
        else:
            versions = catalog_versions(src.engine).set_index("id")
            st.caption(
                CATALOG["in_force"].format(
                    month=fmt_month_in(month),
                    id=old,
                    n=fmt_int(versions.at[old, "row_count"]),
                    since=fmt_month_in(str(versions.at[old, "effective"])),
                )
            )
        if st.button(CATALOG["save"], key=f"catalog_save_{key[:12]}", type="primary", icon=":material/save:"):
            try:
                _, vid = import_catalog(
                    src.engine, content, effective=month, filename=name, actor=st.session_state["_actor"]
                )
            except (StoreError, PermissionDenied, ValueError) as exc:
                st.error(CATALOG["save_failed"].format(error=md_escape(exc)), icon=":material/error:")
                return
            if vid is None:  # refused on the second read: not expected, the file is the same
                st.error(CATALOG["save_failed"].format(error=""), icon=":material/error:")
                return
            changes = catalog_changes(src.engine, old, vid)
            done = {
                "id": vid,
                "n": len(read.frame),
                "month": month,
                "changes": changes_view(changes, dict(CATALOG_HEADERS)),
            }
            _saved()[key] = done
            _show_catalog_saved(done)


def _show_catalog_saved(done: dict[str, Any]) -> None:
    st.success(
        CATALOG["saved"].format(id=done["id"], n=fmt_int(done["n"]), month=fmt_month_in(done["month"])),
        icon=":material/task_alt:",
    )
    changes: pd.DataFrame = done["changes"]
    if changes.empty:
        st.caption(CATALOG["no_changes"])
        return
    words = changes[CATALOG_CHANGE_HEADERS["change"]]
    st.markdown(
        CATALOG["changes"].format(
            added=fmt_int(int((words == CATALOG_CHANGE_WORDS["added"]).sum())),
            removed=fmt_int(int((words == CATALOG_CHANGE_WORDS["removed"]).sum())),
            changed=fmt_int(int((words == CATALOG_CHANGE_WORDS["changed"]).sum())),
        )
    )
    st.dataframe(changes, hide_index=True, width="stretch")


def _periods(periods: Sequence[str]) -> str:
    return ", ".join(official_scores.period_label(p) for p in periods)


def show_scores_file(src: data.Source, name: str, content: bytes) -> None:
    """An official 766 scores workbook: its errors, or what it holds and "Lưu điểm"."""
    key = _digest(content)
    with st.container(border=True):
        st.markdown(f"**{md_escape(SCORES['title'].format(file=name))}**")
        done = _saved().get(key)
        if done is not None:
            st.success(SCORES["saved"].format(**done), icon=":material/task_alt:")
            return
        read = official_scores.read_scores(content, filename=name)
        if not read.ok:
            st.error(SCORES["refused"].format(n=fmt_int(len(read.errors))), icon=":material/block:")
            draw(issues_frame(read.errors), ISSUES, key=f"scores_errors_{key[:12]}", wrap=True)
            return
        periods = _periods(read.periods)
        st.info(
            SCORES["read"].format(rows=fmt_int(len(read.frame)), periods=periods), icon=":material/grading:"
        )
        if st.button(SCORES["save"], key=f"scores_save_{key[:12]}", type="primary", icon=":material/save:"):
            try:
                result = official_scores.import_scores(
                    src.engine, content, name, actor=st.session_state["_actor"]
                )
            except (StoreError, PermissionDenied, ValueError) as exc:
                st.error(SCORES["save_failed"].format(error=md_escape(exc)), icon=":material/error:")
                return
            if not result.ok:
                st.error(SCORES["save_failed"].format(error=""), icon=":material/error:")
                return
            done = {"id": result.upload_id, "rows": fmt_int(result.rows), "periods": _periods(result.periods)}
            _saved()[key] = done
            st.success(SCORES["saved"].format(**done), icon=":material/task_alt:")


__all__ = ["file_kind", "show_catalog_file", "show_scores_file", "split_files"]
