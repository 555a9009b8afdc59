"""The upload page's texts and tables: what a checked upload, the history and an upload's parts
look like (pure builders over :mod:`data_access.preview`, :mod:`data_access.versions` and
:mod:`kpi.preview`; the widgets are in :mod:`ui.upload_widgets`, :mod:`ui.upload_history`, the
session's checked import in :mod:`ui.upload_state`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

import pandas as pd

from data_access.columns import HEADERS, TEMPLATE_COLUMNS
from data_access.messages import Issue, column_letter
from data_access.preview import after_figures, incoming_rows, kpis_without_value, preview_pairs, rows_by_pair
from data_access.store import PreparedImport, UploadInfo
from data_access.versions import part_uses
from kpi.preview import KpiMove, kpi_moves
from kpi.targets import Plan
from ui.fmt import STATUS_LABELS, fmt_datetime, fmt_int, fmt_pct, fmt_points

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: KPIs shown before → after in the preview table (plan order); all are in the detail table.
MAIN_KPIS = 4
DETAIL_COLUMNS = ["Tháng", "Đơn vị", "Chỉ tiêu", "Trước", "Sau", "Thay đổi", "Mục tiêu", "Đánh giá (sau)"]

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
    "uploader_hint": "Kéo thả tệp vào ô dưới đây hoặc bấm vào ô để chọn tệp · chỉ nhận tệp .xlsx, tối đa {limit} MB "
    "mỗi tệp · có thể chọn nhiều tệp.",
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
    "unit_only": "Tệp '{names}' là biểu II.06a lập theo lĩnh vực, chưa biết của đơn vị nào: hãy chọn **Đơn vị "
    "báo cáo** ở ô phía trên (không cần sửa tệp). Tệp sẽ được kiểm tra lại ngay khi chọn.",
    "blank_kpis": "**Sau khi lưu, {n} chỉ tiêu của {unit} tháng {month} sẽ không có giá trị**, vì tệp không có "
    "các cột số liệu của chúng (biểu II.06a không có các cột này): {kpis}.",
    "blank_kpis_replace": " Giá trị của các chỉ tiêu này từ lần nhập trước (#{current}) sẽ không còn được hiển thị.",
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
    "restore_pick": "Tháng × đơn vị cần khôi phục (chọn một, nhiều hoặc tất cả)",
    "restore_pick_empty": "Chọn ít nhất một tháng × đơn vị",
    "restore_all": "Chọn tất cả ({n})",
    "restore_none": "Mọi tháng × đơn vị của lần nhập này đang được dùng: không có gì để khôi phục.",
    "restore_start": "Khôi phục…",
    "restore_question": "Khôi phục số liệu **{month}** của **{unit}** từ lần nhập #{id}? Số liệu đang dùng "
    "(lần nhập #{current}) sẽ được thay thế; bản đó vẫn giữ trong lịch sử.",
    "restore_question_many": "Khôi phục **{n} tháng × đơn vị** từ lần nhập #{id} trong một lần: {parts}? Số liệu "
    "đang dùng sẽ được thay thế (các bản đó vẫn giữ trong lịch sử); nếu một phần không khôi phục được thì "
    "không phần nào được ghi.",
    "restore_confirm": "Xác nhận khôi phục",
    "restore_cancel": "Hủy",
    "restore_done": "Đã khôi phục {month} của '{unit}' từ lần nhập #{source} (ghi thành lần nhập #{id}).",
    "restore_done_many": "Đã khôi phục {n} tháng × đơn vị từ lần nhập #{source} (ghi thành lần nhập #{id}).",
    "restore_failed": "Không khôi phục được: {error}",
}

ISSUE_COLUMNS = ["Tệp", "Trang", "Dòng", "Cột", "Giá trị", "Nội dung"]
KIND_LABELS = {"import": "Nhập", "restore": "Khôi phục", "external": "Nguồn ngoài"}
ACTIVE_LABELS = {"active": "Đang dùng", "partly": "Dùng một phần", "replaced": "Đã thay thế"}
STATUS_NEW = "Mới"


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

def _pct(x: object) -> str:
    return fmt_pct(x) if x is not None and not pd.isna(x) else "–"  # type: ignore[arg-type]


def _arrow(move: KpiMove | None) -> str:
    return "–" if move is None else f"{_pct(move.before)} → {_pct(move.after)}"


def kpi_preview(before: pd.DataFrame, prepared: PreparedImport, plan: Plan | None,
                short: Callable[[str], str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The preview per month × unit (status, rows, main KPIs before → after) and the long detail.

    ``before`` is the active figures; "after" is them with each (month, unit) of the upload replaced.
    ``short`` names a unit in the tables (the catalog's short name keeps them narrow).
    """
    name = short or (lambda u: u)
    incoming, _ = incoming_rows(prepared)
    pv = preview_pairs(prepared)
    rows = rows_by_pair(incoming)
    pairs = list(zip(pv["period"], pv["unit"], strict=True))
    summary = pd.DataFrame({
        "Tháng": [month_short(p) for p, _ in pairs],
        "Đơn vị": [name(u) for _, u in pairs],
        "Loại": [status_label(s, c) for s, c in zip(pv["status"], pv["current_upload"], strict=True)],
        "Số dòng": [fmt_int(rows.get(pair, r)) for pair, r in zip(pairs, pv["rows"], strict=True)],
    })
    if plan is None or pv.empty:
        return summary.reset_index(drop=True), pd.DataFrame(columns=DETAIL_COLUMNS)
    periods = sorted(pv["period"].unique())
    scope = before[before["period"].isin(periods)] if not before.empty else before
    moves = kpi_moves(scope, after_figures(scope, incoming), plan, pairs)
    labels = {k: s.label for k, s in plan.kpis.items()}
    for k in list(plan.kpis)[:MAIN_KPIS]:
        summary[labels[k]] = [_arrow(moves.get((p, u, k))) for p, u in pairs]
    detail = []
    for p, u in pairs:
        for k in plan.kpis:
            m = moves.get((p, u, k))
            if m is None:
                continue
            detail.append([month_short(p), name(u), labels[k], _pct(m.before), _pct(m.after),
                           fmt_points(m.change) if m.change is not None else "–", _pct(m.target),
                           STATUS_LABELS.get(m.status, m.status)])
    return summary.reset_index(drop=True), pd.DataFrame(detail, columns=DETAIL_COLUMNS)


def only_unit_missing(prepared: PreparedImport) -> list[str]:
    """The files of a refused upload whose only problem is the unit a II.06a report by field needs
    (choosing it is the fix, not editing the file); empty when anything else is wrong too."""
    errors = prepared.errors
    if not errors or any(i.code != "official_unit_needed" for i in errors):
        return []
    return sorted({i.file for i in errors})


def blank_kpi_notes(prepared: PreparedImport, plan: Plan | None,
                    short: Callable[[str], str] | None = None) -> list[str]:
    """One Vietnamese line per (month, unit) whose KPIs will have no value once stored, because the
    upload lacks every row that knows their columns (an official II.06a report lacks several)."""
    if plan is None:
        return []
    name = short or (lambda u: u)
    incoming, _ = incoming_rows(prepared)
    blank = kpis_without_value(incoming, {k: spec.columns for k, spec in plan.kpis.items()})
    pv = preview_pairs(prepared)
    current = {(p, u): c for p, u, c in zip(pv["period"], pv["unit"], pv["current_upload"], strict=True)}
    notes = []
    for (period, unit), kpis in sorted(blank.items()):
        text = T["blank_kpis"].format(n=len(kpis), unit=name(unit), month=month_short(period),
                                      kpis="; ".join(plan.kpis[k].label for k in kpis))
        now = current.get((period, unit))
        if now is not None and not pd.isna(now):
            text += T["blank_kpis_replace"].format(current=int(now))
        notes.append(text)
    return notes


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
    """An upload's (month, unit) parts with whether each is in use, else which upload replaced it
    (:func:`data_access.versions.part_uses`)."""
    states = []
    for use, now in part_uses(parts, active, restored_from):
        if use == "active":
            states.append("Đang dùng")
        elif use == "via_restore":
            states.append(f"Đang dùng (qua lần khôi phục #{now})")
        else:
            states.append(f"Đã thay thế (đang dùng lần nhập #{now if now is not None else '?'})")
    return pd.DataFrame({
        "Tháng": [month_short(p) for p in parts["period"]],
        "Đơn vị": parts["unit"].tolist(),
        "Số dòng": [fmt_int(n) for n in parts["rows"]],
        "Trạng thái": states,
    })


def figures_view(frame: pd.DataFrame) -> pd.DataFrame:
    """Figures with Vietnamese headers, the month as MM/YYYY, empty columns of the template kept."""
    out = frame.copy()
    out["period"] = [month_short(p) for p in out["period"]]
    cols = [c for c in (*TEMPLATE_COLUMNS, *[c for c in out.columns if c not in TEMPLATE_COLUMNS])
            if c in out.columns]
    return out[cols].rename(columns=HEADERS)
