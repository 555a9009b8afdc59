"""The upload page's texts and tables: what a checked upload, the history and an upload's parts
look like (pure builders over :mod:`data_access.preview`, :mod:`data_access.versions` and
:mod:`kpi.preview`; the widgets are in :mod:`ui.upload_widgets`, :mod:`ui.upload_history`, the
session's checked import in :mod:`ui.upload_state`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import SupportsInt, cast

import pandas as pd

from data_access.columns import HEADERS, TEMPLATE_COLUMNS
from data_access.messages import Issue, column_letter
from data_access.preview import (
    after_figures,
    incoming_rows,
    kpis_without_value,
    preview_pairs,
    reporting_spans,
    rows_by_pair,
)
from data_access.store import PreparedImport, UploadInfo
from data_access.versions import part_uses
from data_access.xlsx.dossier_list import DossierReadResult
from kpi.preview import KpiMove, kpi_moves
from kpi.targets import Plan
from ui.fmt import STATUS_LABELS
from ui.texts.office import (
    ACTIVE_LABELS,
    DOSSIER_MONTHS_ONE,
    DOSSIER_MONTHS_YEAR,
    DOSSIER_MONTHS_YEARS,
    DOSSIER_UNKNOWN_REASONS,
    HEADER,
    KIND_LABELS,
    PART_STATES,
    SAVED_MONTH,
    SAVED_UPLOAD,
    STATUS_NEW,
    STATUS_REPLACE,
)
from ui.texts.office import T as T  # re-exported: the page and the tests read the upload texts here
from vnfmt import (
    MISSING,
    fmt_date,
    fmt_datetime,
    fmt_int,
    fmt_month,
    fmt_month_number,
    fmt_pct,
    fmt_points,
    is_missing,
)

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: KPIs shown before → after in the preview table (plan order); all are in the detail table.
MAIN_KPIS = 4

H = HEADER
ISSUE_COLUMNS = [H["file"], H["sheet"], H["row"], H["column"], H["value"], H["message"]]
DETAIL_COLUMNS = [
    H["month"],
    H["unit"],
    H["kpi"],
    H["before"],
    H["after"],
    H["change"],
    H["target"],
    H["status_after"],
]


def files_key(files: Sequence[tuple[str, bytes]], unit: str | None) -> str:
    """What identifies a set of uploaded files for the session cache: their SHA-256 (in order) and the unit."""
    digests = [hashlib.sha256(b).hexdigest() for _, b in files]
    return "|".join([*digests, f"unit={unit or ''}"])


#: The longest file name a file system allows (ext4, NTFS: 255); the stored name holds 500.
MAX_NAME_CHARS = 255


def long_names(files: Sequence[tuple[str, bytes]]) -> list[int]:
    """The length of each file name over :data:`MAX_NAME_CHARS` (only a forged request sends one)."""
    return [len(name) for name, _ in files if len(name) > MAX_NAME_CHARS]


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
    keep = [c for c in frame.columns if c in (H["file"], H["message"]) or (frame[c].astype(str) != "").any()]
    return frame[keep]


def status_label(status: str, current: object) -> str:
    """``Mới`` or ``Thay thế lần nhập #N``."""
    if status == "replace" and not is_missing(current):
        return STATUS_REPLACE.format(n=int(cast(SupportsInt, current)))
    return STATUS_NEW


def dossier_results(prepared: PreparedImport) -> list[DossierReadResult]:
    """The lists of dossiers among the files read."""
    return [r for r in prepared.results if isinstance(r, DossierReadResult)]


def months_text(months: Sequence[str]) -> str:
    """The months of a list in a sentence: ``tháng 4/2024``, ``tháng 4–6/2024``, ``tháng 11/2023–2/2024``."""
    if not months:
        return MISSING
    first, last = min(months), max(months)
    if first == last:
        return DOSSIER_MONTHS_ONE.format(month=int(first[5:]), year=first[:4])
    if first[:4] == last[:4]:
        return DOSSIER_MONTHS_YEAR.format(first=int(first[5:]), last=int(last[5:]), year=first[:4])
    return DOSSIER_MONTHS_YEARS.format(first=fmt_month_number(first), last=fmt_month_number(last))


def dossier_summary(result: DossierReadResult) -> str:
    """What a list gave, in one line: "Danh sách hồ sơ 'ds.xlsx': 3.214 hồ sơ, tháng 4–6/2024, 7 đơn vị,
    41 TTHC." """
    return T["dossier_summary"].format(
        file=result.file,
        dossiers=fmt_int(result.dossier_count),
        months=months_text(result.list_months),
        units=fmt_int(len(result.units)),
        procedures=fmt_int(result.procedure_count),
    )


def dossier_unknown_lines(result: DossierReadResult) -> list[str]:
    """One line per figure a list leaves unknown somewhere: how many (month, procedure) rows, and why."""
    return [
        T["dossier_unknown"].format(
            figure=HEADERS.get(c, c), n=fmt_int(n), reason=DOSSIER_UNKNOWN_REASONS.get(c, "")
        )
        for c, n in result.unknown.items()
        if n
    ]


def dossier_counts(prepared: PreparedImport) -> dict[tuple[str, str], int]:
    """(month, unit) → the dossiers a list counts in it (received in the month or carried over into it),
    for the (month, unit) pairs that come from a list of dossiers."""
    out: dict[tuple[str, str], int] = {}
    for r in dossier_results(prepared):
        f = r.frame
        if f.empty:
            continue
        n = (
            (f["received_new"].astype("Int64") + f["carried_over"].astype("Int64"))
            .groupby([f["period"], f["unit"]])
            .sum(min_count=1)
        )
        for pair, v in n.items():
            period, unit = cast(tuple[str, str], pair)
            if not is_missing(v):
                out[(str(period), str(unit))] = int(cast(SupportsInt, v))
    return out


def _arrow(move: KpiMove | None) -> str:
    return MISSING if move is None else f"{fmt_pct(move.before)} → {fmt_pct(move.after)}"


def kpi_preview(
    before: pd.DataFrame,
    prepared: PreparedImport,
    plan: Plan | None,
    short: Callable[[str], str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The preview per month × unit (status, rows, main KPIs before → after) and the long detail.

    ``before`` is the active figures; "after" is them with each (month, unit) of the upload replaced.
    ``short`` names a unit in the tables (the catalog's short name keeps them narrow).
    """
    name = short or (lambda u: u)
    incoming, _ = incoming_rows(prepared)
    pv = preview_pairs(prepared)
    rows = rows_by_pair(incoming)
    pairs = list(zip(pv["period"], pv["unit"], strict=True))
    summary = pd.DataFrame(
        {
            H["month"]: [fmt_month_number(p) for p, _ in pairs],
            H["unit"]: [name(u) for _, u in pairs],
            H["kind"]: [status_label(s, c) for s, c in zip(pv["status"], pv["current_upload"], strict=True)],
            H["rows"]: [fmt_int(rows.get(pair, r)) for pair, r in zip(pairs, pv["rows"], strict=True)],
        }
    )
    dossiers = dossier_counts(prepared)
    if dossiers:  # a list of dossiers: how many dossiers each (month, unit) counts
        summary[H["dossiers"]] = [fmt_int(dossiers[pair]) if pair in dossiers else "" for pair in pairs]
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
            detail.append(
                [
                    fmt_month_number(p),
                    name(u),
                    labels[k],
                    fmt_pct(m.before),
                    fmt_pct(m.after),
                    fmt_points(m.change) if m.change is not None else MISSING,
                    fmt_pct(m.target),
                    STATUS_LABELS.get(m.status, m.status),
                ]
            )
    return summary.reset_index(drop=True), pd.DataFrame(detail, columns=DETAIL_COLUMNS)


def only_unit_missing(prepared: PreparedImport) -> list[str]:
    """The files of a refused upload whose only problem is the unit a II.06a report by field needs
    (choosing it is the fix, not editing the file); empty when anything else is wrong too."""
    errors = prepared.errors
    if not errors or any(i.code != "official_unit_needed" for i in errors):
        return []
    return sorted({i.file for i in errors})


def blank_kpi_notes(
    prepared: PreparedImport, plan: Plan | None, short: Callable[[str], str] | None = None
) -> list[str]:
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
        text = T["blank_kpis"].format(
            n=len(kpis),
            unit=name(unit),
            month=fmt_month_number(period),
            kpis="; ".join(plan.kpis[k].label for k in kpis),
        )
        now = current.get((period, unit))
        if not is_missing(now):
            text += T["blank_kpis_replace"].format(current=int(cast(SupportsInt, now)))
        notes.append(text)
    return notes


def period_notes(prepared: PreparedImport) -> list[str]:
    """One line per official report whose period line gave dates: the span and the month it maps to
    ("Kỳ báo cáo 15/02/2024–14/03/2024 → Tháng 3/2024" under the cut-off day 14)."""
    return [
        T["period_span"].format(file=file, start=fmt_date(start), end=fmt_date(end), month=fmt_month(month))
        for file, month, start, end in reporting_spans(prepared)
    ]


def saved_text(infos: Sequence[UploadInfo]) -> tuple[str, str, str]:
    """(uploads, months, rows) of what a save stored, in Vietnamese."""
    uploads = ", ".join(SAVED_UPLOAD.format(id=i.id, file=i.file_name) for i in infos)
    months = sorted({m for i in infos for m in i.months})
    shown = ", ".join(SAVED_MONTH.format(month=fmt_month_number(m)) for m in months)
    return uploads, shown, fmt_int(sum(i.rows for i in infos))


def history_view(hist: pd.DataFrame) -> pd.DataFrame:
    """The history table as shown: Lần nhập, Thời gian, Người nhập, Tệp, Tháng, Số dòng, Loại, Trạng thái."""
    return pd.DataFrame(
        {
            H["upload"]: [f"#{i}" for i in hist["id"]],
            H["time"]: [fmt_datetime(t) for t in hist["created_at"]],
            H["uploader"]: hist["user"].tolist(),
            H["file"]: hist["file_name"].tolist(),
            H["month"]: [", ".join(fmt_month_number(m) for m in ms) for ms in hist["months"]],
            H["rows"]: [fmt_int(n) for n in hist["rows"]],
            H["kind"]: [KIND_LABELS.get(k, k) for k in hist["kind"]],
            H["restored_from"]: [
                "" if r is None or pd.isna(r) else f"#{int(r)}" for r in hist["restored_from"]
            ],
            H["state"]: [ACTIVE_LABELS.get(a, a) for a in hist["active"]],
        }
    )


def parts_view(
    parts: pd.DataFrame, active: pd.DataFrame, restored_from: dict[int, int] | None = None
) -> pd.DataFrame:
    """An upload's (month, unit) parts with whether each is in use, else which upload replaced it
    (:func:`data_access.versions.part_uses`)."""
    states = []
    for use, now in part_uses(parts, active, restored_from):
        if use in ("active", "via_restore"):
            states.append(PART_STATES[use].format(now=now))
        else:
            states.append(PART_STATES["replaced"].format(now=now if now is not None else "?"))
    return pd.DataFrame(
        {
            H["month"]: [fmt_month_number(p) for p in parts["period"]],
            H["unit"]: parts["unit"].tolist(),
            H["rows"]: [fmt_int(n) for n in parts["rows"]],
            H["state"]: states,
        }
    )


def figures_view(frame: pd.DataFrame) -> pd.DataFrame:
    """Figures with Vietnamese headers, the month as MM/YYYY, empty columns of the template kept."""
    out = frame.copy()
    out["period"] = [fmt_month_number(p) for p in out["period"]]
    cols = [
        c
        for c in (*TEMPLATE_COLUMNS, *[c for c in out.columns if c not in TEMPLATE_COLUMNS])
        if c in out.columns
    ]
    return out[cols].rename(columns=HEADERS)
