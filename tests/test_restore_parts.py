"""Restoring several (month, unit) parts of one upload at once: one new upload, all or nothing, audited
(SQLite and PostgreSQL through the ``engine`` fixture)."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from data_access.auth import Actor, PermissionDenied, cli_actor, read_audit
from data_access.store import StoreError, dump, history, restore_parts, upload_parts
from tests.test_store import QLCL, TRH, VB, figures, imp, src
from tests.workbooks import record

ADMIN = cli_actor("quản trị")


def _two_versions(engine: sa.Engine) -> tuple[int, int]:
    """v1 holds three parts (05 TrH, 05 QLCL, 06 TrH); v2 replaces all three."""
    old = imp(engine, src("v1.xlsx", [record_(5, TRH, 10), record_(5, QLCL, 11), record_(6, TRH, 12)]))
    new = imp(engine, src("v2.xlsx", [record_(5, TRH, 20), record_(5, QLCL, 21), record_(6, TRH, 22)]))
    return old.uploads[0].id, new.uploads[0].id


def record_(month: int, unit: str, online: int) -> dict:
    field = "Giáo dục trung học" if unit == TRH else VB
    return record(period=f"{month:02d}/2024", unit=unit, field=field, received_online_full=online)


def test_two_parts_restored_in_one_upload(engine: sa.Engine) -> None:
    old_id, new_id = _two_versions(engine)
    info = restore_parts(engine, old_id, [("2024-05", TRH), ("2024-06", TRH)], actor=ADMIN)
    assert info.id == new_id + 1 and info.rows == 2 and info.months == ["2024-05", "2024-06"]
    now = figures(engine)
    assert now[("2024-05", TRH, "Giáo dục trung học")] == 10
    assert now[("2024-06", TRH, "Giáo dục trung học")] == 12
    assert now[("2024-05", QLCL, VB)] == 21  # not chosen: still the newer version
    top = history(engine).iloc[0]
    assert (top["id"], top["kind"], top["restored_from"], top["months"]) == (
        info.id,
        "restore",
        old_id,
        ["2024-05", "2024-06"],
    )
    assert upload_parts(engine, info.id)[["period", "unit"]].values.tolist() == [
        ["2024-05", TRH],
        ["2024-06", TRH],
    ]
    entry = read_audit(engine, ADMIN).iloc[0]
    assert entry["action"] == "restore"
    assert json.loads(entry["detail"])["parts"] == [f"2024-05 {TRH}", f"2024-06 {TRH}"]


def test_none_restores_the_whole_upload(engine: sa.Engine) -> None:
    old_id, _ = _two_versions(engine)
    info = restore_parts(engine, old_id, None, actor=ADMIN)
    assert info.rows == 3
    assert sorted(figures(engine).values()) == [10, 11, 12]
    assert history(engine).set_index("id").loc[info.id, "active"] == "active"


def test_a_part_the_upload_lacks_refuses_the_whole_restore(engine: sa.Engine) -> None:
    old_id, _ = _two_versions(engine)
    before = dump(engine)
    with pytest.raises(StoreError, match="không có số liệu tháng 7/2024"):
        restore_parts(engine, old_id, [("2024-05", TRH), ("2024-07", TRH)], actor=ADMIN)
    with pytest.raises(StoreError, match="không có số liệu"):
        restore_parts(engine, old_id, [], actor=ADMIN)
    with pytest.raises(StoreError, match="không có số liệu"):
        restore_parts(engine, old_id + 99, None, actor=ADMIN)
    assert dump(engine) == before, "nothing written: not even the first, valid part"


def test_restore_parts_needs_the_role(engine: sa.Engine) -> None:
    old_id, _ = _two_versions(engine)
    before = dump(engine)
    with pytest.raises(PermissionDenied):
        restore_parts(engine, old_id, None, actor=Actor("gd", "lanh_dao"))
    after = dump(engine)
    # the refusal is audited, nothing else changed
    denied = after.pop("audit_log")[len(before["audit_log"]) :]
    assert after == {k: v for k, v in before.items() if k != "audit_log"}
    assert [(r[2], r[3], r[4], json.loads(r[5])["reason"]) for r in denied] == [
        ("gd", "denied", 0, "permission")
    ]
