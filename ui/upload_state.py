"""The upload page's session state: a set of files read and checked once, saved once.

A set of files (their SHA-256 and the unit chosen) is read and checked once and the
``PreparedImport`` kept in the session, so reruns do not re-read and a second press of
"Lưu số liệu" stores nothing more (``commit_import`` hands back what it stored). Nothing is
written before that button is pressed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from data_access.audit import audit_refused_upload
from data_access.store import PreparedImport, UploadInfo, commit_import, prepare_import
from ui import data
from ui.texts.office import T
from ui.upload_view import files_key

STATE_KEY = "_upload_state"
#: The uploader's key is ``upload_files`` then ``upload_files_2``, ``_3``… : a new key after each save
#: gives an empty uploader (Streamlit offers no other way to clear one).
UPLOADER_KEY = "upload_files"
GENERATION_KEY = "_upload_generation"
#: What the last save stored, shown once after the rerun that empties the uploader.
SAVED_KEY = "_upload_saved"


@dataclass
class UploadState:
    """One checked set of files in the session: what was read, its preview, its marked copies."""

    key: str
    version: int  # data version the check was made against
    files: list[tuple[str, bytes]]
    unit: str | None
    prepared: PreparedImport
    preview: tuple[pd.DataFrame, pd.DataFrame] | None = None
    plan_error: str = ""
    annotated: dict[int, bytes | str] = field(default_factory=dict)  # bytes, or why there are none
    saved_version: int = 0  # data version right after this session's save


class _Progress(Sequence[tuple[str, bytes]]):
    """The files to read, reporting each one as ``prepare_import`` takes it."""

    def __init__(self, files: Sequence[tuple[str, bytes]], report: Callable[[int, str], None]) -> None:
        self._files = list(files)
        self._report = report

    def __len__(self) -> int:
        return len(self._files)

    @overload
    def __getitem__(self, i: int) -> tuple[str, bytes]: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[tuple[str, bytes]]: ...
    def __getitem__(self, i: int | slice) -> tuple[str, bytes] | Sequence[tuple[str, bytes]]:
        return self._files[i]

    def __iter__(self) -> Iterator[tuple[str, bytes]]:
        for i, item in enumerate(self._files):
            self._report(i, item[0])
            yield item
        self._report(len(self._files), "")


def prepared_state(
    engine: Engine, version: int, files: list[tuple[str, bytes]], unit: str | None
) -> UploadState:
    """The session's checked import for these files and unit; read and checked only when new.

    A state is reused while its files and unit are the same and nothing was stored since it was
    checked (or since this session saved it); otherwise the files are checked again.
    """
    key = files_key(files, unit)
    state: UploadState | None = st.session_state.get(STATE_KEY)
    if state is not None and state.key == key:
        if state.prepared.committed and state.saved_version == version:
            return state
        if not state.prepared.committed and state.version == version:
            return state
    n = len(files)
    bar = st.progress(0.0, text=T["reading"].format(i=1, n=n, name=files[0][0]))

    def report(i: int, name: str) -> None:
        if i < n:
            bar.progress(i / (n + 1), text=T["reading"].format(i=i + 1, n=n, name=name))
        else:
            bar.progress(n / (n + 1), text=T["checking"])

    prepared = prepare_import(engine, _Progress(files, report), unit=unit, catalog=data.catalog())
    bar.empty()
    if not prepared.ok:  # a refused set of files is audited (the command line's refusals are not)
        errors = [i.format() for i in prepared.errors]
        audit_refused_upload(engine, st.session_state.get("_actor"), [name for name, _ in files], errors)
    state = UploadState(key, version, files, unit, prepared)
    st.session_state[STATE_KEY] = state
    return state


def forget_upload() -> None:
    """Drop the checked import once the uploader is emptied (adding the files again checks them anew)."""
    st.session_state.pop(STATE_KEY, None)


def uploader_key() -> str:
    """The uploader's current key (see :data:`UPLOADER_KEY`)."""
    n = int(st.session_state.get(GENERATION_KEY, 1))
    return UPLOADER_KEY if n == 1 else f"{UPLOADER_KEY}_{n}"


@dataclass
class Saved:
    """A save to report after the uploader is emptied: what was stored and its preview."""

    infos: list[UploadInfo]
    preview: tuple[pd.DataFrame, pd.DataFrame] | None


def after_save(state: UploadState, infos: list[UploadInfo]) -> None:
    """Empty the uploader (a new key), keep what was stored to show it, and point the history at the
    newest upload; the caller reruns."""
    ss = st.session_state
    ss.pop(uploader_key(), None)
    ss[GENERATION_KEY] = int(ss.get(GENERATION_KEY, 1)) + 1
    ss[SAVED_KEY] = Saved(infos, state.preview)
    if infos:
        ss["history_upload"] = max(i.id for i in infos)
    forget_upload()


def take_saved() -> Saved | None:
    """The save to report on this run, once."""
    saved: Saved | None = st.session_state.pop(SAVED_KEY, None)
    return saved


def save(engine: Engine, state: UploadState) -> tuple[list[UploadInfo], bool]:
    """Store the prepared import (once): (what is stored, whether it had been stored before)."""
    already = bool(state.prepared.committed)
    infos = commit_import(engine, state.prepared, actor=st.session_state["_actor"])
    if not already:
        state.saved_version = max(i.id for i in infos) if infos else state.version
    return infos, already
