"""The upload page's logic and views: read and check once per set of files, preview, save, history, restore.

A set of files (their SHA-256 and the unit chosen) is read and checked once and the
``PreparedImport`` kept in the session, so reruns do not re-read and a second press of
"Lưu số liệu" stores nothing more (``commit_import`` hands back what it stored). Nothing is
written before that button is pressed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from data_access.annotate import AnnotateError, annotate_workbook
from data_access.columns import HEADERS, TEMPLATE_COLUMNS, TEXT_COLUMNS
from data_access.messages import Issue, column_letter
from data_access.store import (
    PreparedImport,
    StoreError,
    UploadInfo,
    active_parts,
    commit_import,
    history,
    load_figures,
    prepare_import,
    restore,
    upload_figures,
    upload_parts,
)
from data_access.template import TEMPLATE_FILE_NAME, build_template
from kpi.engine import kpi_table
from kpi.targets import Plan, TargetsError
from ui import data
from ui.fmt import STATUS_LABELS, fmt_datetime, fmt_int, fmt_month, fmt_pct, fmt_points

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Who is recorded as the uploader until sign-in exists.
DEFAULT_USER = "văn phòng"
#: KPIs shown before → after in the preview table (plan order); all are in the detail table.
MAIN_KPIS = 4

STATE_KEY = "_upload_state"
RESTORE_PENDING = "_restore_pending"
RESTORE_DONE = "_restore_done"

# ---------------------------------------------------------------- Vietnamese text, kept together

T = {
    "title": "Nhập số liệu",
    "intro": "Tải lên tệp Excel số liệu hằng tháng (theo mẫu, hoặc biểu II.06a). Tệp được đọc và kiểm tra "
    "trước; số liệu chỉ được lưu khi bấm **Lưu số liệu**.",
    "template_title": "Mẫu nhập liệu",
    "template_text": "Mẫu Excel có trang **SoLieu** (ghi số liệu từ dòng 2), danh sách đơn vị và lĩnh vực "
    "thả xuống, và trang **HuongDan** giải thích từng cột kèm một dòng ví dụ.",
    "template_button": "Tải mẫu Excel",
    "uploader": "Tệp số liệu (.xlsx)",
    "uploader_help": "Chọn một hoặc nhiều tệp. Mỗi tệp là một lần nhập; các tệp được kiểm tra cùng lúc "
    "và chỉ lưu khi tất cả đều hợp lệ.",
    "unit": "Đơn vị báo cáo (chỉ cho biểu II.06a theo lĩnh vực)",
    "unit_placeholder": "Không chọn",
    "unit_help": "Biểu II.06a lập theo lĩnh vực thuộc về một đơn vị: chọn đơn vị đó. Tệp theo mẫu "
    "tự ghi đơn vị từng dòng nên không cần chọn.",
    "waiting": "Chọn tệp để bắt đầu. Số liệu chưa được lưu cho đến khi bạn xem trước và bấm Lưu số liệu.",
    "too_large": "Tệp '{name}' quá lớn: {size} MB, giới hạn là {limit} MB. Chưa đọc tệp nào; "
    "hãy bỏ tệp này hoặc chia nhỏ.",
    "reading": "Đang đọc và kiểm tra tệp {i}/{n}: {name}…",
    "checking": "Đang đối chiếu với số liệu đã lưu…",
    "refused": "Tệp bị từ chối: {n} lỗi",
    "refused_detail": "Không có số liệu nào được lưu. Sửa các lỗi dưới đây trong tệp rồi tải lên lại.",
    "unit_needed": "Tệp theo biểu II.06a lập theo lĩnh vực: hãy chọn **Đơn vị báo cáo** ở ô phía trên, "
    "tệp sẽ được kiểm tra lại.",
    "annotated": "Tải bản có đánh dấu ô lỗi – {name}",
    "annotated_help": "Bản sao của tệp đã gửi: ô lỗi tô đỏ, nội dung lỗi ghi trong chú thích của ô, "
    "và trang KiemTra liệt kê mọi lỗi.",
    "annotate_failed": "Không tạo được bản đánh dấu cho '{name}' ({detail}).",
    "warnings": "{n} cảnh báo: xem lại trước khi lưu (vẫn có thể lưu).",
    "warnings_table": "Danh sách cảnh báo",
    "accepted": "Tệp hợp lệ: {rows} dòng, {pairs} cặp tháng × đơn vị. Xem trước rồi bấm Lưu số liệu.",
    "preview_title": "Xem trước: số liệu sẽ được lưu",
    "preview_caption": "Mỗi dòng là một tháng của một đơn vị. Chỉ tiêu của đơn vị trong tháng: "
    "trước → sau khi lưu (– là chưa có số liệu).",
    "preview_detail": "Tất cả chỉ tiêu: trước → sau",
    "plan_error": "Không tính được chỉ tiêu để xem trước (tệp chỉ tiêu có lỗi: {error}).",
    "save": "Lưu số liệu",
    "saved_button": "Đã lưu",
    "saved_preview_title": "Đã lưu: chỉ tiêu trước → sau",
    "saved": "Đã lưu {uploads}: {months}; {rows} dòng. Các trang khác hiển thị số liệu mới.",
    "saved_again": "Số liệu này đã được lưu ({uploads}); không lưu lại lần nữa.",
    "save_failed": "Chưa lưu được: {error}",
    "same_file": "Tệp trùng nội dung với tệp đã nhập trước đây",
    "multi_file_pair": "Tháng {month} của '{unit}' có trong nhiều tệp: tệp nhập sau cùng ('{file}') sẽ "
    "được dùng.",
    "history_title": "Lịch sử nhập số liệu",
    "history_empty": "Chưa có lần nhập nào.",
    "history_pick": "Xem một lần nhập",
    "parts_title": "Các tháng × đơn vị của lần nhập #{id}",
    "figures_title": "Số liệu của lần nhập #{id} ({rows} dòng)",
    "restore_pick": "Tháng × đơn vị cần khôi phục",
    "restore_none": "Mọi tháng × đơn vị của lần nhập này đang được dùng: không có gì để khôi phục.",
    "restore_start": "Khôi phục…",
    "restore_question": "Khôi phục số liệu **{month}** của **{unit}** từ lần nhập #{id}? Số liệu đang dùng "
    "(lần nhập #{current}) sẽ được thay thế; bản đó vẫn giữ trong lịch sử.",
    "restore_confirm": "Xác nhận khôi phục",
    "restore_cancel": "Hủy",
    "restore_done": "Đã khôi phục {month} của '{unit}' từ lần nhập #{source} (ghi thành lần nhập #{id}).",
    "restore_failed": "Không khôi phục được: {error}",
}

ISSUE_COLUMNS = ["Tệp", "Trang", "Dòng", "Cột", "Giá trị", "Nội dung"]
#: Rows this tall let long messages wrap (st.dataframe wraps text above 4rem).
WRAP_ROW_HEIGHT = 72
KIND_LABELS = {"import": "Nhập", "restore": "Khôi phục", "external": "Nguồn ngoài"}
ACTIVE_LABELS = {"active": "Đang dùng", "partly": "Dùng một phần", "replaced": "Đã thay thế"}
STATUS_NEW = "Mới"


def user_name() -> str:
    """Who is uploading: the signed-in user (or the demo user)."""
    actor = st.session_state.get("_actor")
    return getattr(actor, "username", None) or DEFAULT_USER


# ---------------------------------------------------------------- pure helpers


def month_short(period: str) -> str:
    """``2024-06`` → ``06/2024``."""
    return f"{period[5:]}/{period[:4]}"


def files_key(files: Sequence[tuple[str, bytes]], unit: str | None) -> str:
    """What identifies a set of uploaded files for the session cache: their SHA-256 (in order) and the unit."""
    digests = [hashlib.sha256(b).hexdigest() for _, b in files]
    return "|".join([*digests, f"unit={unit or ''}"])


def oversized(files: Sequence[tuple[str, bytes]], limit_mb: int) -> list[tuple[str, float]]:
    """(name, size in MB) of each file over ``limit_mb``."""
    return [(name, len(b) / 2**20) for name, b in files if len(b) > limit_mb * 2**20]


def _shown(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def issues_frame(issues: Sequence[Issue]) -> pd.DataFrame:
    """Issues as a table: Tệp, Trang, Dòng, Cột (header and letter), Giá trị, Nội dung."""
    rows = []
    for i in issues:
        col = i.column
        if i.col_index is not None:
            col = f"{col} ({column_letter(i.col_index)})" if col else column_letter(i.col_index)
        rows.append([i.file, i.sheet, "" if i.row is None else str(i.row), col, _shown(i.value), i.message])
    return pd.DataFrame(rows, columns=ISSUE_COLUMNS)


def drop_empty(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without the columns that are empty in every row (keeps Tệp and Nội dung)."""
    keep = [c for c in frame.columns if c in ("Tệp", "Nội dung") or (frame[c].astype(str) != "").any()]
    return frame[keep]


def status_label(status: str, current: object) -> str:
    """``Mới`` or ``Thay thế lần nhập #N``."""
    if status == "replace" and current is not None and not pd.isna(current):
        return f"Thay thế lần nhập #{int(current)}"
    return STATUS_NEW


def incoming_rows(prepared: PreparedImport) -> tuple[pd.DataFrame, dict[tuple[str, str], str]]:
    """The rows that will be active once stored, and the file each (month, unit) comes from.

    Each file is an upload of its own, stored in order, so where two files hold the same
    (month, unit) the later file's rows are the ones the dashboard reads.
    """
    winner: dict[tuple[str, str], int] = {}
    for idx, r in enumerate(prepared.results):
        if r.frame.empty:
            continue
        for pair in zip(r.frame["period"], r.frame["unit"], strict=True):
            winner[pair] = idx
    parts = []
    for idx, r in enumerate(prepared.results):
        if r.frame.empty:
            continue
        keep = [winner[p] == idx for p in zip(r.frame["period"], r.frame["unit"], strict=True)]
        parts.append(r.frame[keep])
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(TEXT_COLUMNS))
    return frame, {p: prepared.results[i].file for p, i in winner.items()}


def shared_pairs(prepared: PreparedImport) -> list[tuple[str, str, str]]:
    """(month, unit, winning file) of every (month, unit) that more than one file holds."""
    seen: dict[tuple[str, str], int] = {}
    for r in prepared.results:
        if r.frame.empty:
            continue
        for pair in set(zip(r.frame["period"], r.frame["unit"], strict=True)):
            seen[pair] = seen.get(pair, 0) + 1
    _, files = incoming_rows(prepared)
    return [(p, u, files[(p, u)]) for (p, u), n in sorted(seen.items()) if n > 1]


def after_figures(before: pd.DataFrame, incoming: pd.DataFrame) -> pd.DataFrame:
    """``before`` with every (month, unit) of ``incoming`` replaced by ``incoming``'s rows."""
    if incoming.empty:
        return before
    pairs = set(zip(incoming["period"], incoming["unit"], strict=True))
    mask = [(p, u) not in pairs for p, u in zip(before["period"], before["unit"], strict=True)]
    kept = before[mask]
    return pd.concat([kept, incoming[[c for c in before.columns if c in incoming.columns]]],
                     ignore_index=True) if not kept.empty else incoming.copy()


def _pct(x: object) -> str:
    return fmt_pct(x) if x is not None and not pd.isna(x) else "–"  # type: ignore[arg-type]


def kpi_preview(before: pd.DataFrame, prepared: PreparedImport, plan: Plan | None,
                short: Callable[[str], str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The preview per month × unit (status, rows, main KPIs before → after) and the long detail.

    ``before`` is the active figures; "after" is them with each (month, unit) of the upload replaced.
    ``short`` names a unit in the tables (the catalog's short name keeps them narrow).
    """
    name = short or (lambda u: u)
    incoming, _ = incoming_rows(prepared)
    pv = prepared.preview.copy()
    pv = pv.sort_values(["period", "unit"], kind="stable")
    rows_by_pair = (incoming.groupby(["period", "unit"]).size().to_dict() if not incoming.empty else {})
    summary = pd.DataFrame({
        "Tháng": [month_short(p) for p in pv["period"]],
        "Đơn vị": [name(u) for u in pv["unit"]],
        "Loại": [status_label(s, c) for s, c in zip(pv["status"], pv["current_upload"], strict=True)],
        "Số dòng": [fmt_int(rows_by_pair.get((p, u), r))
                    for p, u, r in zip(pv["period"], pv["unit"], pv["rows"], strict=True)],
    })
    detail_cols = ["Tháng", "Đơn vị", "Chỉ tiêu", "Trước", "Sau", "Thay đổi", "Mục tiêu", "Đánh giá (sau)"]
    if plan is None or pv.empty:
        return summary.reset_index(drop=True), pd.DataFrame(columns=detail_cols)
    periods = sorted(pv["period"].unique())
    scope = before[before["period"].isin(periods)] if not before.empty else before
    after = after_figures(scope, incoming)
    main = list(plan.kpis)[:MAIN_KPIS]
    labels = {k: s.label for k, s in plan.kpis.items()}
    pairs = set(zip(pv["period"], pv["unit"], strict=True))
    values: dict[tuple[str, str, str], tuple[object, object, object, str]] = {}
    for period in periods:
        tb = kpi_table(scope, plan, period=period, by=["unit"]) if not scope.empty else None
        ta = kpi_table(after, plan, period=period, by=["unit"])
        old = ({(r.unit, r.kpi): r.value for r in tb.itertuples()} if tb is not None else {})
        for r in ta.itertuples():
            if (period, r.unit) in pairs:
                values[(period, r.unit, r.kpi)] = (old.get((r.unit, r.kpi)), r.value, r.target, r.status)
    for k in main:
        summary[labels[k]] = [
            _arrow(values.get((p, u, k))) for p, u in zip(pv["period"], pv["unit"], strict=True)]
    detail = []
    for p, u in zip(pv["period"], pv["unit"], strict=True):
        for k in plan.kpis:
            v = values.get((p, u, k))
            if v is None:
                continue
            b, a, target, status = v
            change = (a - b) if _num(a) and _num(b) else None  # type: ignore[operator]
            detail.append([month_short(p), name(u), labels[k], _pct(b), _pct(a),
                           fmt_points(change) if change is not None else "–", _pct(target),
                           STATUS_LABELS.get(status, status)])
    return summary.reset_index(drop=True), pd.DataFrame(detail, columns=detail_cols)


def _num(x: object) -> bool:
    return x is not None and not pd.isna(x)  # type: ignore[arg-type]


def _arrow(v: tuple[object, object, object, str] | None) -> str:
    if v is None:
        return "–"
    return f"{_pct(v[0])} → {_pct(v[1])}"


def saved_text(infos: Sequence[UploadInfo]) -> tuple[str, str, str]:
    """(uploads, months, rows) of what a save stored, in Vietnamese."""
    uploads = ", ".join(f"lần nhập #{i.id} ({i.file_name})" for i in infos)
    months = sorted({m for i in infos for m in i.months})
    shown = ", ".join(f"tháng {month_short(m)}" for m in months)
    return uploads, shown, fmt_int(sum(i.rows for i in infos))


def history_view(hist: pd.DataFrame) -> pd.DataFrame:
    """The history table as shown: Lần nhập, Thời gian, Người nhập, Tệp, Tháng, Số dòng, Loại, Trạng thái."""
    return pd.DataFrame({
        "Lần nhập": [f"#{i}" for i in hist["id"]],
        "Thời gian": [fmt_datetime(t) for t in hist["created_at"]],
        "Người nhập": hist["user"].tolist(),
        "Tệp": hist["file_name"].tolist(),
        "Tháng": [", ".join(month_short(m) for m in ms) for ms in hist["months"]],
        "Số dòng": [fmt_int(n) for n in hist["rows"]],
        "Loại": [KIND_LABELS.get(k, k) for k in hist["kind"]],
        "Khôi phục từ": ["" if r is None or pd.isna(r) else f"#{int(r)}" for r in hist["restored_from"]],
        "Trạng thái": [ACTIVE_LABELS.get(a, a) for a in hist["active"]],
    })


def parts_view(parts: pd.DataFrame, active: pd.DataFrame, restored_from: dict[int, int] | None = None
               ) -> pd.DataFrame:
    """An upload's (month, unit) parts with whether each is in use, else which upload replaced it.

    A part whose active version is a restore of this very upload is in use (through that restore).
    """
    current = {(p, u): int(i) for p, u, i in zip(active["period"], active["unit"], active["upload_id"],
                                                strict=True)}
    restored_from = restored_from or {}
    states = []
    for p, u, a, mine in zip(parts["period"], parts["unit"], parts["active"], parts["upload"], strict=True):
        now = current.get((p, u))
        if a:
            states.append("Đang dùng")
        elif now is not None and restored_from.get(now) == mine:
            states.append(f"Đang dùng (qua lần khôi phục #{now})")
        else:
            states.append(f"Đã thay thế (đang dùng lần nhập #{now if now is not None else '?'})")
    return pd.DataFrame({
        "Tháng": [month_short(p) for p in parts["period"]],
        "Đơn vị": parts["unit"].tolist(),
        "Số dòng": [fmt_int(n) for n in parts["rows"]],
        "Trạng thái": states,
    })


def restorable(parts: pd.DataFrame) -> pd.DataFrame:
    """The parts of an upload that are not in use, directly or through a restore of it."""
    return parts[~parts["active"].astype(bool) & ~parts["via_restore"].astype(bool)]


def with_use(parts: pd.DataFrame, upload_id: int, active: pd.DataFrame, restored_from: dict[int, int]
             ) -> pd.DataFrame:
    """``upload_parts`` plus ``upload`` (this id) and ``via_restore`` (in use through a restore of it)."""
    current = {(p, u): int(i) for p, u, i in zip(active["period"], active["unit"], active["upload_id"],
                                                strict=True)}
    out = parts.copy()
    out["upload"] = upload_id
    out["via_restore"] = [restored_from.get(current.get((p, u), -1)) == upload_id
                          for p, u in zip(out["period"], out["unit"], strict=True)]
    return out


def figures_view(frame: pd.DataFrame) -> pd.DataFrame:
    """Figures with Vietnamese headers, the month as MM/YYYY, empty columns of the template kept."""
    out = frame.copy()
    out["period"] = [month_short(p) for p in out["period"]]
    cols = [c for c in (*TEMPLATE_COLUMNS, *[c for c in out.columns if c not in TEMPLATE_COLUMNS])
            if c in out.columns]
    return out[cols].rename(columns=HEADERS)


# ---------------------------------------------------------------- session state


@dataclass
class UploadState:
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

    def __getitem__(self, i):  # type: ignore[no-untyped-def, override]
        return self._files[i]

    def __iter__(self) -> Iterator[tuple[str, bytes]]:
        for i, item in enumerate(self._files):
            self._report(i, item[0])
            yield item
        self._report(len(self._files), "")


def prepared_state(engine: Engine, version: int, files: list[tuple[str, bytes]], unit: str | None) -> UploadState:
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
    state = UploadState(key, version, files, unit, prepared)
    st.session_state[STATE_KEY] = state
    return state


def forget_upload() -> None:
    """Drop the checked import once the uploader is emptied (adding the files again checks them anew)."""
    st.session_state.pop(STATE_KEY, None)


def save(engine: Engine, state: UploadState) -> tuple[list[UploadInfo], bool]:
    """Store the prepared import (once): (what is stored, whether it had been stored before)."""
    already = bool(state.prepared.committed)
    infos = commit_import(engine, state.prepared, actor=st.session_state["_actor"])
    if not already:
        state.saved_version = max(i.id for i in infos) if infos else state.version
    return infos, already


# ---------------------------------------------------------------- views (streamlit)

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
    restored_from = {int(i): int(r) for i, r in zip(hist["id"], hist["restored_from"], strict=True)
                     if r is not None and not pd.isna(r)}
    active = active_parts(engine)
    parts = with_use(upload_parts(engine, chosen), chosen, active, restored_from)
    st.markdown(f"**{T['parts_title'].format(id=chosen)}**")
    st.dataframe(parts_view(parts, active, restored_from), hide_index=True, width="stretch", key="history_parts",
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
    current = active[(active["period"] == period) & (active["unit"] == unit)]["upload_id"]
    st.warning(T["restore_question"].format(month=fmt_month(period), unit=unit, id=upload_id,
                                            current=int(current.iloc[0]) if len(current) else "?"),
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
