"""The upload page's widgets for a set of files: the template, a refused or accepted check, the
preview before → after, and the save button."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace

import pandas as pd
import streamlit as st

from data_access.annotate import AnnotateError, annotate_workbook
from data_access.auth import PermissionDenied
from data_access.preview import shared_pairs
from data_access.store import PreparedImport, StoreError, UploadInfo, load_figures
from data_access.template import TEMPLATE_FILE_NAME, build_template
from data_access.texts.files import NAME_TOO_LONG, UPLOAD_FAILED
from kpi.targets import Plan, TargetsError
from ui import data
from ui.md import md_escape
from ui.office_tables import DETAIL, ISSUES, PREVIEW_FIRST, PREVIEW_KPI_WIDTH, draw, text_columns
from ui.texts.office import HEADER, PREVIEW_KPI_HELP, T
from ui.upload_state import Saved, UploadState, after_save, save
from ui.upload_view import (
    MAX_NAME_CHARS,
    XLSX_MIME,
    blank_kpi_notes,
    dossier_results,
    dossier_summary,
    dossier_unknown_lines,
    drop_empty,
    issues_frame,
    kpi_preview,
    long_names,
    only_unit_missing,
    period_notes,
    saved_text,
)
from vnfmt import fmt_int, fmt_month_number


@st.cache_data(show_spinner=False)
def template_bytes(catalog_digest: str) -> bytes:
    """The template workbook (cached; the digest of the catalog names keys it)."""
    return build_template(data.catalog())


def catalog_digest() -> str:
    """The SHA-256 of the catalog's unit and field names (keys the cached template)."""
    cat = data.catalog()
    return hashlib.sha256("\n".join([*cat.units.names, "", *cat.fields.names]).encode()).hexdigest()


def template_box() -> None:
    """The template download, with a line on what it holds."""
    with st.container(border=True):
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.markdown(f"**{T['template_title']}** · {T['template_text']}")
        right.download_button(
            T["template_button"],
            data=template_bytes(catalog_digest()),
            file_name=TEMPLATE_FILE_NAME,
            mime=XLSX_MIME,
            key="download_template",
            icon=":material/download:",
            on_click="ignore",
            width="stretch",
        )


def show_refused(state: UploadState) -> None:
    """Every error of a refused upload, and a marked copy of each file that has errors."""
    prepared = state.prepared
    errors = prepared.errors
    unit_only = only_unit_missing(prepared)
    if unit_only:  # nothing to fix in the file: the unit is to be chosen above
        st.info(
            T["unit_only"].format(names="', '".join(map(md_escape, unit_only))), icon=":material/apartment:"
        )
        return
    st.error(T["refused"].format(n=fmt_int(len(errors))), icon=":material/block:")
    st.caption(T["refused_detail"])
    if any(i.code == "official_unit_needed" for i in errors):
        st.info(T["unit_needed"], icon=":material/apartment:")
    draw(issues_frame(errors), ISSUES, key="upload_errors", wrap=True)
    n = 0
    for idx, r in enumerate(prepared.results):
        if not r.errors:
            continue
        if idx not in state.annotated:
            try:
                state.annotated[idx] = annotate_workbook(state.files[idx][1], r.issues)  # warnings too
            except AnnotateError as exc:
                state.annotated[idx] = str(exc)
        marked = state.annotated[idx]
        if isinstance(marked, str):
            if r.errors[0].code not in ("not_excel", "unreadable", "zip_bomb", "too_large"):
                st.caption(T["annotate_failed"].format(name=md_escape(r.file), detail=md_escape(marked)))
            continue
        stem = r.file[:-5] if r.file.lower().endswith(".xlsx") else r.file
        st.download_button(
            T["annotated"].format(name=md_escape(r.file)),
            data=marked,
            file_name=f"{stem}-danh-dau-loi.xlsx",
            mime=XLSX_MIME,
            key="download_annotated" if n == 0 else f"download_annotated_{n}",
            icon=":material/download:",
            on_click="ignore",
            help=T["annotated_help"],
        )
        n += 1
    if prepared.warnings:
        with st.expander(T["warnings"].format(n=fmt_int(len(prepared.warnings)))):
            draw(drop_empty(issues_frame(prepared.warnings)), ISSUES, wrap=True)


def show_dossier_lists(prepared: PreparedImport) -> None:
    """For each list of dossiers: what it gave in one line, and which figures stayed unknown and why."""
    for r in dossier_results(prepared):
        st.info(md_escape(dossier_summary(r)), icon=":material/list_alt:")
        lines = dossier_unknown_lines(r)
        if not lines:
            st.caption(T["dossier_known"])
            continue
        with st.expander(T["dossier_unknown_title"], expanded=True):
            st.markdown("\n".join(f"- {line}" for line in lines))


def show_warnings(prepared: PreparedImport) -> None:
    """Warnings of an accepted upload: a repeated file called out, the rest in a table."""
    extra = [
        f"{T['multi_file_pair'].format(month=fmt_month_number(p), unit=md_escape(u), file=md_escape(f))}"
        for p, u, f in shared_pairs(prepared)
    ]
    for w in prepared.warnings:
        if w.code == "same_file":
            st.warning(
                f"**{T['same_file']}** – {md_escape(w.file)}: {md_escape(w.message)}",
                icon=":material/content_copy:",
            )
    for text in extra:
        st.warning(text, icon=":material/layers:")
    if prepared.warnings:
        others = [w for w in prepared.warnings if w.code != "same_file"]
        st.warning(T["warnings"].format(n=fmt_int(len(prepared.warnings))), icon=":material/warning:")
        if others:
            with st.expander(T["warnings_table"], expanded=len(others) <= 5):
                draw(drop_empty(issues_frame(others)), ISSUES, key="upload_warnings", wrap=True)


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


def preview_table(tables: tuple[pd.DataFrame, pd.DataFrame], *, saved: bool, plan_error: str = "") -> None:
    """The preview per month × unit (main KPIs before → after), and every KPI in an expander."""
    summary, detail = tables
    st.markdown(f"**{T['saved_preview_title' if saved else 'preview_title']}**")
    st.caption(T["preview_caption"])
    if plan_error:
        st.warning(T["plan_error"].format(error=plan_error), icon=":material/error:")
    counts = [c for c in summary.columns if c == HEADER["dossiers"]]  # a list of dossiers: its count
    kpis = [c for c in summary.columns if c not in {k.key for k in PREVIEW_FIRST} and c not in counts]
    columns = [
        *PREVIEW_FIRST,
        *text_columns(*[(c, 75, False) for c in counts]),
        *[
            replace(k, help=PREVIEW_KPI_HELP.format(kpi=k.key))
            for k in text_columns(*[(label, PREVIEW_KPI_WIDTH) for label in kpis])
        ],
    ]
    draw(summary, columns, key="upload_preview")
    if not detail.empty:
        with st.expander(T["preview_detail"]):
            draw(detail, DETAIL)


def show_preview(src: data.Source, state: UploadState) -> None:
    """The checked upload's preview, after a plain warning for each (month, unit) whose KPIs it blanks."""
    tables = preview_tables(src, state)
    try:
        plan: Plan | None = data.official_plan()
    except TargetsError:
        plan = None
    for note in blank_kpi_notes(state.prepared, plan, data.catalog().units.short):
        st.warning(note, icon=":material/visibility_off:")
    preview_table(tables, saved=False, plan_error=state.plan_error)


def show_saved(infos: Sequence[UploadInfo]) -> None:
    uploads, months, rows = saved_text(infos)
    st.success(
        T["saved"].format(uploads=md_escape(uploads), months=months, rows=rows), icon=":material/task_alt:"
    )


def show_last_save(saved: Saved) -> None:
    """What the save before this rerun stored, and its preview (the uploader is empty again)."""
    show_saved(saved.infos)
    if saved.preview is not None:
        preview_table(saved.preview, saved=True)


def show_checked(src: data.Source, state: UploadState) -> None:
    """A checked set of files: its errors when refused; else the preview and "Lưu số liệu"."""
    too_long = long_names(state.files)
    if too_long:  # refused before anything shows or stores the name
        for n in too_long:
            st.error(
                NAME_TOO_LONG.format(n=fmt_int(n), limit=fmt_int(MAX_NAME_CHARS)), icon=":material/block:"
            )
        return
    if not state.prepared.ok:
        show_refused(state)
        return
    prepared = state.prepared
    n_rows = sum(len(r.frame) for r in prepared.results)
    st.success(
        T["accepted"].format(rows=fmt_int(n_rows), pairs=fmt_int(len(prepared.preview))),
        icon=":material/fact_check:",
    )
    show_dossier_lists(prepared)
    for note in period_notes(prepared):  # an official report's dates and the month they map to
        st.info(md_escape(note), icon=":material/date_range:")
    show_warnings(prepared)
    show_preview(src, state)
    if st.button(T["save"], key="save_upload", type="primary", icon=":material/save:"):
        try:
            infos, again = save(src.engine, state)
        except (StoreError, PermissionDenied) as exc:  # a stale account too (refused and audited)
            st.error(T["save_failed"].format(error=md_escape(exc)), icon=":material/error:")
        else:
            if again:  # stored by an earlier press whose rerun did not happen
                st.info(
                    T["saved_again"].format(uploads=md_escape(saved_text(infos)[0])), icon=":material/info:"
                )
            else:
                after_save(state, infos)  # the uploader is emptied, the history shows the new upload
                st.rerun()  # the whole app (filters, other pages) reads the new data version


_CHIP_ERROR = UPLOAD_FAILED.replace('"', "'")
#: Streamlit 1.67 writes its uploader's lines in English ("Upload", "20MB per file • XLSX", "Drag and
#: drop files here") and offers no setting for them (streamlit/streamlit#13500). They are hidden by
#: their test ids, not rewritten: the whole drop zone still opens the file chooser when clicked, the
#: button keeps its upload icon, and the page's caption says in Vietnamese what to do and the limits.
#: A file Streamlit's server refused keeps its chip with an English line ("AxiosError: Request failed
#: with status code 400" for a name of a few thousand characters, too long a multipart header for
#: python-multipart; "File must be 20.0MB or smaller"): that line is shrunk to nothing and the chip
#: says it in Vietnamese instead. A shorter name over 255 characters is refused by ``show_checked``.
UPLOADER_CSS = (
    """<style>
[data-testid="stFileUploaderDropzoneInstructions"] {display: none !important}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {display: none !important}
[data-testid="stFileChip"] [role="alert"] {font-size: 0 !important}
"""
    + f'[data-testid="stFileChip"] [role="alert"]::after {{font-size: 0.875rem; content: "{_CHIP_ERROR}"}}\n'
    + "</style>"
)
