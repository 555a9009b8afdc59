"""What an upload changes before it is stored (data_access.preview, data_access.versions, kpi.preview), by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from data_access.preview import after_figures, incoming_rows, rows_by_pair, shared_pairs
from data_access.readers import ReadResult, empty_frame
from data_access.store import PreparedImport
from data_access.versions import current_upload, newest, part_uses, restorable, restored_from, with_use
from kpi.preview import KpiMove, kpi_moves
from kpi.targets import load_targets

A, B = "Phòng A", "Phòng B"
PLAN = load_targets(
    text="""
[plan]
name = "KH thử"
year = 2024
near = 0.05

[kpi.online_full]
label = "Hồ sơ trực tuyến toàn trình"
numerator = ["received_online_full"]
denominator = ["received_new"]
target = 0.90
"""
)


def rows(*spec: tuple[str, str, str, int | None, int | None]) -> pd.DataFrame:
    """(period, unit, field, online-full, new dossiers) per row, in the store's frame format."""
    frame = empty_frame()
    data = {c: [None] * len(spec) for c in frame.columns}
    for i, (period, unit, fld, full, new) in enumerate(spec):
        data["period"][i], data["unit"][i], data["field"][i] = period, unit, fld
        data["received_online_full"][i], data["received_new"][i] = full, new
    out = pd.DataFrame(data)
    for c in frame.columns:
        out[c] = out[c].astype(frame[c].dtype)
    return out


def prepared(*files: tuple[str, pd.DataFrame]) -> PreparedImport:
    results = [ReadResult(name, frame) for name, frame in files]
    return PreparedImport(
        results, [], pd.DataFrame(columns=["period", "unit", "rows", "status", "current_upload"])
    )


# ---------------------------------------------------------------------------- the store's rule


def test_newest_keeps_the_highest_version_of_each_month_and_unit_in_order() -> None:
    frame = rows(
        ("2024-06", A, "x", 1, 2),
        ("2024-06", B, "x", 3, 4),
        ("2024-06", A, "y", 5, 6),
        ("2024-07", A, "x", 7, 8),
    )
    # versions 1, 1, 2, 1: June of A has versions 1 and 2 → only the version-2 row stays
    kept = newest(frame, [1, 1, 2, 1])
    assert list(zip(kept["period"], kept["unit"], kept["field"], strict=True)) == [
        ("2024-06", B, "x"),
        ("2024-06", A, "y"),
        ("2024-07", A, "x"),
    ]
    assert newest(frame.iloc[:0], []).empty


# ---------------------------------------------------------------------------- preview


def test_a_later_file_wins_a_shared_month_and_unit() -> None:
    first = rows(("2024-06", A, "x", 1, 2), ("2024-06", A, "y", 3, 4), ("2024-06", B, "x", 5, 6))
    second = rows(("2024-06", A, "z", 7, 8))
    prep = prepared(("a.xlsx", first), ("b.xlsx", second), ("empty.xlsx", empty_frame()))
    incoming, files = incoming_rows(prep)
    # A's June: a.xlsx's two rows are replaced by b.xlsx's one row; B's June stays from a.xlsx
    assert list(zip(incoming["unit"], incoming["field"], strict=True)) == [(B, "x"), (A, "z")]
    assert files == {("2024-06", A): "b.xlsx", ("2024-06", B): "a.xlsx"}
    assert "_file" not in incoming.columns
    assert shared_pairs(prep) == [("2024-06", A, "b.xlsx")]
    assert rows_by_pair(incoming) == {("2024-06", B): 1, ("2024-06", A): 1}


def test_an_upload_of_nothing_brings_no_rows() -> None:
    incoming, files = incoming_rows(prepared(("empty.xlsx", empty_frame())))
    assert incoming.empty and files == {} and rows_by_pair(incoming) == {}
    assert shared_pairs(prepared()) == []


def test_after_replaces_each_uploaded_month_and_unit_whole() -> None:
    before = rows(("2024-06", A, "x", 1, 2), ("2024-06", A, "y", 3, 4), ("2024-06", B, "x", 5, 6))
    incoming = rows(("2024-06", A, "z", 9, 10))
    after = after_figures(before, incoming)
    # both stored rows of A's June go, B's stays, the new row comes
    assert list(zip(after["unit"], after["field"], strict=True)) == [(B, "x"), (A, "z")]
    assert after_figures(before, incoming.iloc[:0]) is before
    assert list(after_figures(before.iloc[:0], incoming)["field"]) == ["z"]


def test_kpi_moves_before_and_after() -> None:
    before = rows(("2024-06", A, "x", 45, 50), ("2024-06", B, "x", 10, 10))
    incoming = rows(("2024-06", A, "x", 36, 50))
    after = after_figures(before, incoming)
    moves = kpi_moves(before, after, PLAN, [("2024-06", A)])
    m = moves[("2024-06", A, "online_full")]
    # before 45/50 = 0.90, after 36/50 = 0.72; change 0.72 − 0.90 = −0.18; 0.72 < 0.90 − 0.05: below
    assert (m.before, m.after, m.target, m.status) == (0.9, 0.72, 0.9, "below")
    assert m.change == pytest.approx(-0.18)
    assert ("2024-06", B, "online_full") not in moves  # not in the upload
    new = kpi_moves(before.iloc[:0], incoming, PLAN, [("2024-06", A)])[("2024-06", A, "online_full")]
    assert new.before is None and new.after == 0.72 and new.change is None  # nothing stored before


def test_kpi_move_change_needs_both_values() -> None:
    assert KpiMove(0.5, None, 0.9, "no_data").change is None
    assert KpiMove(0.5, 0.75, 0.9, "below").change == 0.25  # 0.75 − 0.5


# ---------------------------------------------------------------------------- history and restore


ACTIVE = pd.DataFrame(
    {"period": ["2024-06", "2024-07", "2024-08"], "unit": [A, A, A], "upload_id": [3, 5, 2]}
)
HIST = pd.DataFrame({"id": [5, 3, 2], "restored_from": [2, None, None]})


def test_parts_of_an_upload_are_used_directly_through_a_restore_or_replaced() -> None:
    parts = pd.DataFrame(
        {
            "period": ["2024-06", "2024-07", "2024-08"],
            "unit": [A, A, A],
            "rows": [4, 5, 6],
            "active": [False, False, True],
        }
    )
    restored = restored_from(HIST)
    assert restored == {5: 2}  # upload #5 is a restore of #2
    used = with_use(parts, 2, ACTIVE, restored)
    # June: #3 is in use (replaced); July: #5, a restore of #2 (in use through it); August: #2 itself
    assert used["via_restore"].tolist() == [False, True, False]
    assert part_uses(used, ACTIVE, restored) == [("replaced", 3), ("via_restore", 5), ("active", 2)]
    assert restorable(used)["period"].tolist() == ["2024-06"]
    assert current_upload(ACTIVE, "2024-07", A) == 5 and current_upload(ACTIVE, "2024-09", A) is None
