"""The upload page's widgets for a set of files: the template, a refused or accepted check, the
preview before → after, and the save button."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from data_access.annotate import AnnotateError, annotate_workbook
from data_access.preview import shared_pairs
from data_access.store import PreparedImport, StoreError, UploadInfo, load_figures
from data_access.template import TEMPLATE_FILE_NAME, build_template
from kpi.targets import Plan, TargetsError
from ui import data
from ui.fmt import fmt_int
from ui.upload_state import UploadState, save
from ui.upload_view import (
    WRAP_ROW_HEIGHT,
    XLSX_MIME,
    T,
    drop_empty,
    issues_frame,
    kpi_preview,
    month_short,
    saved_text,
)

ISSUE_CONFIG = {
    "Dòng": st.column_config.TextColumn(width=60),
    "Trang": st.column_config.TextColumn(width=90),
    "Nội dung": st.column_config.TextColumn(width="large"),
}


@st.cache_data(show_spinner=False)
def template_bytes(catalog_digest: str) -> bytes:
    """The template workbook (cached; the digest of the catalog names keys it)."""
    return build_template(data.catalog())


def catalog_digest() -> str:
    cat = data.catalog()
    return hashlib.sha256("\n".join([*cat.units.names, "", *cat.fields.names]).encode()).hexdigest()


def template_box() -> None:
    """The template download, with a line on what it holds."""
    with st.container(border=True):
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.markdown(f"**{T['template_title']}** · {T['template_text']}")
        right.download_button(T["template_button"], data=template_bytes(catalog_digest()),
                              file_name=TEMPLATE_FILE_NAME, mime=XLSX_MIME, key="download_template",
                              icon=":material/download:", on_click="ignore", width="stretch")


def show_refused(state: UploadState) -> None:
    """Every error of a refused upload, and a marked copy of each file that has errors."""
    prepared = state.prepared
    errors = prepared.errors
    st.error(T["refused"].format(n=fmt_int(len(errors))), icon=":material/block:")
    st.caption(T["refused_detail"])
    if any(i.code == "official_unit_needed" for i in errors):
        st.info(T["unit_needed"], icon=":material/apartment:")
    st.dataframe(issues_frame(errors), hide_index=True, width="stretch", key="upload_errors",
                 column_config=ISSUE_CONFIG, row_height=WRAP_ROW_HEIGHT)
    n = 0
    for idx, r in enumerate(prepared.results):
        if not r.errors:
            continue
        if idx not in state.annotated:
            try:
                state.annotated[idx] = annotate_workbook(state.files[idx][1], r.errors)
            except AnnotateError as exc:
                state.annotated[idx] = str(exc)
        marked = state.annotated[idx]
        if isinstance(marked, str):
            if r.errors[0].code not in ("not_excel", "unreadable", "zip_bomb", "too_large"):
                st.caption(T["annotate_failed"].format(name=r.file, detail=marked))
            continue
        stem = r.file[:-5] if r.file.lower().endswith(".xlsx") else r.file
        st.download_button(T["annotated"].format(name=r.file), data=marked, file_name=f"{stem}-danh-dau-loi.xlsx",
                           mime=XLSX_MIME, key="download_annotated" if n == 0 else f"download_annotated_{n}",
                           icon=":material/download:", on_click="ignore", help=T["annotated_help"])
        n += 1
    if prepared.warnings:
        with st.expander(T["warnings"].format(n=fmt_int(len(prepared.warnings)))):
            st.dataframe(drop_empty(issues_frame(prepared.warnings)), hide_index=True, width="stretch",
                         column_config=ISSUE_CONFIG, row_height=WRAP_ROW_HEIGHT)


def show_warnings(prepared: PreparedImport) -> None:
    """Warnings of an accepted upload: a repeated file called out, the rest in a table."""
    extra = [f"{T['multi_file_pair'].format(month=month_short(p), unit=u, file=f)}"
             for p, u, f in shared_pairs(prepared)]
    for w in prepared.warnings:
        if w.code == "same_file":
            st.warning(f"**{T['same_file']}** – {w.file}: {w.message}", icon=":material/content_copy:")
    for text in extra:
        st.warning(text, icon=":material/layers:")
    if prepared.warnings:
        others = [w for w in prepared.warnings if w.code != "same_file"]
        st.warning(T["warnings"].format(n=fmt_int(len(prepared.warnings))), icon=":material/warning:")
        if others:
            with st.expander(T["warnings_table"], expanded=len(others) <= 5):
                st.dataframe(drop_empty(issues_frame(others)), hide_index=True, width="stretch",
                             key="upload_warnings", column_config=ISSUE_CONFIG, row_height=WRAP_ROW_HEIGHT)


def preview_tables(src: data.Source, state: UploadState) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The preview tables, computed once per checked import."""
    if state.preview is None:
        try:
            plan: Plan | None = data.official_plan()
        except TargetsError as exc:
            plan, state.plan_error = None, str(exc)
        periods = sorted(state.prepared.preview["period"].unique())
        before = load_figures(src.engine, periods=periods)
        state.preview = kpi_preview(before, state.prepared, plan, data.catalog().units.short)
    return state.preview


def show_preview(src: data.Source, state: UploadState, *, saved: bool = False) -> None:
    """The preview per month × unit (main KPIs before → after), and every KPI in an expander."""
    summary, detail = preview_tables(src, state)
    st.markdown(f"**{T['saved_preview_title' if saved else 'preview_title']}**")
    st.caption(T["preview_caption"])
    if state.plan_error:
        st.warning(T["plan_error"].format(error=state.plan_error), icon=":material/error:")
    config = {"Tháng": st.column_config.TextColumn(width=65), "Đơn vị": st.column_config.TextColumn(width=160),
              "Loại": st.column_config.TextColumn(width=150), "Số dòng": st.column_config.TextColumn(width=60)}
    for label in summary.columns[4:]:
        config[label] = st.column_config.TextColumn(width=130, help=f"{label}: trước → sau khi lưu")
    st.dataframe(summary, hide_index=True, width="stretch", key="upload_preview", column_config=config)
    if not detail.empty:
        with st.expander(T["preview_detail"]):
            st.dataframe(detail, hide_index=True, width="stretch")


def show_saved(infos: Sequence[UploadInfo]) -> None:
    uploads, months, rows = saved_text(infos)
    st.success(T["saved"].format(uploads=uploads, months=months, rows=rows), icon=":material/task_alt:")


def show_checked(src: data.Source, state: UploadState) -> None:
    """A checked set of files: its errors when refused; else the preview and "Lưu số liệu"."""
    if not state.prepared.ok:
        show_refused(state)
        return
    prepared = state.prepared
    saved = bool(prepared.committed)
    if saved:
        show_saved(prepared.committed)
    else:
        n_rows = sum(len(r.frame) for r in prepared.results)
        st.success(T["accepted"].format(rows=fmt_int(n_rows), pairs=fmt_int(len(prepared.preview))),
                   icon=":material/fact_check:")
        show_warnings(prepared)
    show_preview(src, state, saved=saved)
    if st.button(T["saved_button"] if saved else T["save"], key="save_upload",
                 type="secondary" if saved else "primary",
                 icon=":material/done_all:" if saved else ":material/save:"):
        try:
            infos, again = save(src.engine, state)
        except StoreError as exc:
            st.error(T["save_failed"].format(error=exc), icon=":material/error:")
        else:
            if again:
                st.info(T["saved_again"].format(uploads=saved_text(infos)[0]), icon=":material/info:")
            else:
                st.rerun()  # the whole app (filters, other pages) reads the new data version
