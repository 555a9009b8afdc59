"""The store, on SQLite and PostgreSQL: transactions, replace per (month, unit), history, restore."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import store
from data_access.auth import cli_actor
from data_access.store import (
    StoreError,
    active_parts,
    commit_import,
    current_revision,
    data_version,
    dump,
    head_revision,
    history,
    import_files,
    importing,
    load_figures,
    open_engine,
    prepare_import,
    restore,
    summary,
    upload_figures,
    upload_parts,
)
from data_access.store.engine import db_timeout
from tests.helpers import EXAMPLES
from tests.workbooks import canonical_records, official, official_row, record

TODAY = dt.date(2024, 12, 31)
TRH = "Phòng Giáo dục Trung học"
QLCL = "Phòng Quản lý chất lượng"
VB = "Hệ thống văn bằng, chứng chỉ"


ADMIN = cli_actor("quản trị")


def src(name: str, recs: list[dict]) -> tuple[str, bytes]:
    return (name, canonical_records(recs))


def imp(engine: sa.Engine, *sources: tuple[str, bytes], **kw: object):
    kw.setdefault("today", TODAY)
    res = import_files(engine, list(sources), **kw)  # type: ignore[arg-type]
    assert res.ok, [i.format() for i in res.errors]
    return res


def figures(engine: sa.Engine, **kw: object) -> dict[tuple, int | None]:
    """{(period, unit, field): received_online_full} of the active figures."""
    f = load_figures(engine, **kw)  # type: ignore[arg-type]
    return {
        (r.period, r.unit, r.field): (
            None if pd.isna(r.received_online_full) else int(r.received_online_full)
        )
        for r in f.itertuples()
    }


# ---------------------------------------------------------------------------- set-up


def test_fresh_database_is_migrated_to_head(engine: sa.Engine) -> None:
    assert head_revision()
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert (
            conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == head_revision()
        )
        names = set(sa.inspect(conn).get_table_names())
    assert {"upload", "upload_part", "figure", "alembic_version"} <= names
    store.migrate(engine)  # a second run is a no-op
    assert data_version(engine) == 0
    assert load_figures(engine).empty and history(engine).empty


def test_sqlite_has_wal_and_foreign_keys(sqlite_url: str) -> None:
    engine = open_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar_one() == 1
        # DB_TIMEOUT_SECONDS (default 30) → a busy timeout of 30 × 1000 ms
        assert conn.execute(sa.text("PRAGMA busy_timeout")).scalar_one() == db_timeout() * 1000 == 30000
    assert open_engine(sqlite_url) is engine  # cached


def test_unreachable_database_is_a_store_error(tmp_path) -> None:
    with pytest.raises(StoreError):
        open_engine("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")


# ---------------------------------------------------------------------------- import


def test_example_roundtrip_keeps_unknown_as_null(engine: sa.Engine) -> None:
    res = import_files(engine, [EXAMPLES / "so-lieu-mau.xlsx"], user="Chị Lan", today=TODAY)
    assert res.ok
    [info] = res.uploads
    assert (info.file_name, info.months, info.rows, len(info.sha256)) == (
        "so-lieu-mau.xlsx",
        ["2024-05", "2024-06"],
        13,
        64,
    )
    f = load_figures(engine)
    assert len(f) == 13
    for c in ("received_new", "payments_total"):
        assert str(f[c].dtype) == "Int64"
    gdnn = f[(f.period == "2024-05") & (f.field == "Giáo dục nghề nghiệp")].iloc[0]
    assert gdnn["payments_total"] is pd.NA and gdnn["payments_online"] is pd.NA  # NULL, not 0
    assert int(gdnn["received_new"]) == 115  # 79 + 12 + 17 + 7
    # rows without a procedure come first on both databases
    vb = f[(f.period == "2024-06") & (f.unit == QLCL) & (f.field == VB)]
    assert vb["procedure_code"].tolist() == [None, "1.005092"]
    h = history(engine)
    assert h.loc[0, "user"] == "Chị Lan" and h.loc[0, "rows"] == 13 and h.loc[0, "kind"] == "import"
    assert h.loc[0, "created_at"].tzinfo is not None


def test_official_roundtrip(engine: sa.Engine) -> None:
    res = imp(engine, ("b.xlsx", (EXAMPLES / "bao-cao-06a-mau.xlsx").read_bytes()), unit="Phòng GDTrH")
    assert res.uploads[0].rows == 10
    f = load_figures(engine)
    assert f["field"].tolist() == sorted(f["field"])  # code-point order on both databases
    row = f[f["field"] == "Giáo dục và Đào tạo thuộc hệ thống giáo dục quốc dân"].iloc[0]
    assert (row["received_online"], row["resolved"], row["pending"]) == (112, 111, 26)
    assert row["received_online_full"] is pd.NA
    assert history(engine).loc[0, "file_name"] == "b.xlsx"


def test_one_call_is_one_transaction(engine: sa.Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    imp(engine, src("base.xlsx", [record(period="04/2024")]))
    before = dump(engine)
    real = importing._insert_frame
    calls = []

    def failing(conn, upload_id, frame):
        calls.append(upload_id)
        if len(calls) == 2:
            raise RuntimeError("mất kết nối giữa chừng")
        real(conn, upload_id, frame)

    monkeypatch.setattr(importing, "_insert_frame", failing)
    with pytest.raises(RuntimeError):
        import_files(
            engine,
            [src("a.xlsx", [record(period="05/2024")]), src("b.xlsx", [record(period="06/2024")])],
            today=TODAY,
        )
    assert len(calls) == 2  # the first file was written inside the transaction, then rolled back
    assert dump(engine) == before
    monkeypatch.undo()
    res = imp(engine, src("a.xlsx", [record(period="05/2024")]), src("b.xlsx", [record(period="06/2024")]))
    assert [u.months for u in res.uploads] == [["2024-05"], ["2024-06"]]
    h = history(engine)
    assert h["created_at"].iloc[0] == h["created_at"].iloc[1]  # one transaction, one time


def test_refused_upload_writes_nothing(engine: sa.Engine) -> None:
    imp(engine, src("base.xlsx", [record()]))
    before = dump(engine)
    res = import_files(
        engine,
        [src("good.xlsx", [record(period="05/2024")]), src("bad.xlsx", [record(withdrawn=-1)])],
        today=TODAY,
    )
    assert not res.ok and res.uploads == []
    assert [e.code for e in res.errors] == ["count_negative"]
    assert dump(engine) == before


def test_upload_replaces_month_and_unit_only(engine: sa.Engine) -> None:
    first = imp(
        engine,
        src(
            "may.xlsx",
            [
                record(period="05/2024", unit=TRH, field="Giáo dục trung học", received_online_full=10),
                record(period="05/2024", unit=TRH, field="Thi, tuyển sinh", received_online_full=11),
                record(period="05/2024", unit=QLCL, field=VB, received_online_full=12),
                record(period="04/2024", unit=TRH, field="Giáo dục trung học", received_online_full=13),
            ],
        ),
    ).uploads[0]
    assert first.months == ["2024-04", "2024-05"] and first.rows == 4
    v1 = data_version(engine)
    second = imp(
        engine,
        src(
            "may-trh.xlsx",
            [record(period="05/2024", unit=TRH, field="Giáo dục trung học", received_online_full=20)],
        ),
    ).uploads[0]
    assert data_version(engine) > v1
    assert figures(engine) == {
        ("2024-04", TRH, "Giáo dục trung học"): 13,  # another month: untouched
        ("2024-05", QLCL, VB): 12,  # another unit of the same month: untouched
        ("2024-05", TRH, "Giáo dục trung học"): 20,  # replaced
        # ("2024-05", TRH, "Thi, tuyển sinh") is gone: the (month, unit) was replaced as a whole
    }
    assert figures(engine, units=[QLCL]) == {("2024-05", QLCL, VB): 12}
    assert figures(engine, start="2024-05") == figures(engine, end="2024-05", periods=["2024-05"])
    assert len(load_figures(engine, periods=[])) == 0

    h = history(engine)
    assert h["id"].tolist() == [second.id, first.id]  # newest first
    assert h.set_index("id")["active"].to_dict() == {second.id: "active", first.id: "partly"}
    parts = upload_parts(engine, first.id).set_index(["period", "unit"])
    assert parts.to_dict("index") == {
        ("2024-04", TRH): {"rows": 1, "active": True},
        ("2024-05", QLCL): {"rows": 1, "active": True},
        ("2024-05", TRH): {"rows": 2, "active": False},
    }
    assert len(upload_figures(engine, first.id)) == 4  # history keeps every row
    ap = active_parts(engine)
    assert ap.set_index(["period", "unit"])["upload_id"].to_dict() == {
        ("2024-04", TRH): first.id,
        ("2024-05", QLCL): first.id,
        ("2024-05", TRH): second.id,
    }

    # replace the rest of the first upload: it is then wholly replaced
    third = imp(
        engine,
        src(
            "rest.xlsx",
            [
                record(period="04/2024", unit=TRH, field="Giáo dục trung học", received_online_full=30),
                record(period="05/2024", unit=QLCL, field=VB, received_online_full=31),
            ],
        ),
    ).uploads[0]
    states = history(engine).set_index("id")["active"].to_dict()
    assert states == {third.id: "active", second.id: "active", first.id: "replaced"}

    s = summary(engine)
    assert s.months == ["2024-04", "2024-05"] and s.units == sorted([QLCL, TRH]) and s.rows == 3
    assert s.last_upload is not None and s.last_upload["id"] == third.id


def test_restore_makes_the_old_version_active_and_is_recorded(engine: sa.Engine) -> None:
    old = imp(
        engine,
        src(
            "v1.xlsx",
            [
                record(period="05/2024", received_online_full=10),
                record(period="05/2024", unit=QLCL, field=VB, received_online_full=12),
            ],
        ),
    )
    new = imp(engine, src("v2.xlsx", [record(period="05/2024", received_online_full=20)]))
    old_id, new_id = old.uploads[0].id, new.uploads[0].id
    assert figures(engine)[("2024-05", TRH, "Giáo dục trung học")] == 20
    v = data_version(engine)

    info = restore(engine, old_id, period="2024-05", unit=TRH, actor=cli_actor("Anh Minh"))
    assert info.id > new_id and info.rows == 1 and info.months == ["2024-05"]
    assert data_version(engine) > v
    assert figures(engine) == {("2024-05", TRH, "Giáo dục trung học"): 10, ("2024-05", QLCL, VB): 12}

    h = history(engine).set_index("id")
    assert h.loc[info.id, "kind"] == "restore"
    assert h.loc[info.id, "restored_from"] == old_id
    assert h.loc[info.id, "user"] == "Anh Minh"
    assert h.loc[info.id, "active"] == "active"
    assert h.loc[new_id, "active"] == "replaced"
    assert h.loc[old_id, "active"] == "partly"  # its QLCL part is active; its TrH part is, via the copy
    assert h.loc[info.id, "sha256"] == h.loc[old_id, "sha256"]

    # restoring the newer version again works the same way: history only grows
    again = restore(engine, new_id, period="2024-05", unit=TRH, actor=ADMIN)
    assert figures(engine)[("2024-05", TRH, "Giáo dục trung học")] == 20
    assert len(history(engine)) == 4 and again.id == info.id + 1


def test_restore_of_something_not_there(engine: sa.Engine) -> None:
    up = imp(engine, src("v1.xlsx", [record(period="05/2024")])).uploads[0]
    before = dump(engine)
    for uid, period, unit in ((up.id + 5, "2024-05", TRH), (up.id, "2024-06", TRH), (up.id, "2024-05", QLCL)):
        with pytest.raises(StoreError, match="không có số liệu"):
            restore(engine, uid, period=period, unit=unit, actor=ADMIN)
    assert dump(engine) == before


# ---------------------------------------------------------------------------- prepare / preview / warnings


def test_prepared_import_preview_new_and_replace(engine: sa.Engine) -> None:
    first = imp(engine, src("may.xlsx", [record(period="05/2024")])).uploads[0]
    prepared = prepare_import(
        engine,
        [
            src(
                "two.xlsx",
                [
                    record(period="05/2024"),
                    record(period="05/2024", unit=QLCL, field=VB),
                    record(period="06/2024"),
                ],
            )
        ],
        today=TODAY,
    )
    assert prepared.ok
    preview = prepared.preview.set_index(["period", "unit"])
    assert preview["status"].to_dict() == {
        ("2024-05", QLCL): "new",
        ("2024-05", TRH): "replace",
        ("2024-06", TRH): "new",
    }
    assert preview.loc[("2024-05", TRH), "current_upload"] == first.id
    assert preview["rows"].to_dict() == {("2024-05", QLCL): 1, ("2024-05", TRH): 1, ("2024-06", TRH): 1}
    stored = [w for w in prepared.warnings if w.code == "month_stored"]
    assert len(stored) == 1 and "Tháng 5/2024" in stored[0].message and f"#{first.id}" in stored[0].message
    before = dump(engine)
    assert data_version(engine) == first.id  # preparing writes nothing
    assert dump(engine) == before

    infos = commit_import(engine, prepared, actor=cli_actor("u"))
    again = commit_import(engine, prepared, actor=cli_actor("u"))
    assert again == infos
    assert len(history(engine)) == 2  # stored once
    assert len(load_figures(engine)) == 3


def test_commit_refuses_a_prepared_import_with_errors(engine: sa.Engine) -> None:
    prepared = prepare_import(engine, [src("bad.xlsx", [record(period="13/2024")])], today=TODAY)
    assert not prepared.ok and prepared.preview.empty
    with pytest.raises(StoreError):
        commit_import(engine, prepared, actor=ADMIN)
    assert data_version(engine) == 0


def test_same_file_twice_is_a_warning(engine: sa.Engine) -> None:
    data = src("may.xlsx", [record(period="05/2024")])
    first = imp(engine, data).uploads[0]
    res = imp(engine, ("may-copy.xlsx", data[1]))
    same = [w for w in res.warnings if w.code == "same_file"]
    assert len(same) == 1 and f"#{first.id}" in same[0].message and same[0].file == "may-copy.xlsx"
    assert first.sha256[:12] in same[0].message


def test_jump_and_drop_warnings(engine: sa.Engine) -> None:
    imp(
        engine,
        src(
            "may.xlsx",
            [record(period="05/2024", received_online_full=10, carried_over=40, resolved_early=44)],
        ),
    )
    # 10 → 41: more than ×3 up; carried 40 → 4: more than ×3 down
    prepared = prepare_import(
        engine,
        [src("june.xlsx", [record(period="06/2024", received_online_full=41, resolved_early=39)])],
        today=TODAY,
    )
    jumps = {(w.code, w.column) for w in prepared.warnings if w.code in ("jump", "drop")}
    assert ("jump", "Tiếp nhận trực tuyến toàn trình") in jumps
    assert ("drop", "Từ kỳ trước chuyển sang") in jumps
    w = next(w for w in prepared.warnings if w.code == "jump")
    assert "41" in w.message and "(10)" in w.message and "tháng 6/2024" in w.message
    # another unit: 10 → 30 is within ×3; small figures (2 → 9, 1 → 0) are noise
    imp(engine, src("may-qlcl.xlsx", [record(period="05/2024", unit=QLCL)]))
    quiet = prepare_import(
        engine,
        [
            src(
                "june.xlsx",
                [
                    record(
                        period="06/2024",
                        unit=QLCL,
                        received_online_full=30,
                        received_online_partial=9,
                        resolved_late=0,
                    )
                ],
            )
        ],
        today=TODAY,
    )
    assert not [w for w in quiet.warnings if w.code in ("jump", "drop")]


def test_jump_within_one_upload_and_by_procedure(engine: sa.Engine) -> None:
    prepared = prepare_import(
        engine,
        [
            src(
                "two.xlsx",
                [
                    record(period="05/2024", field=VB, received_online_full=10),
                    record(period="06/2024", field=VB, received_online_full=12),
                    # a procedure row is compared with the same procedure, not added to its field
                    record(period="06/2024", field=VB, procedure_code="1.005092", received_online_full=100),
                ],
            )
        ],
        today=TODAY,
    )
    assert prepared.ok
    assert not [w for w in prepared.warnings if w.code in ("jump", "drop")]


def test_canonical_file_ignores_unit_option(engine: sa.Engine) -> None:
    res = imp(engine, src("may.xlsx", [record(period="05/2024")]), unit=QLCL)
    assert "unit_ignored" in [w.code for w in res.warnings]
    assert set(load_figures(engine)["unit"]) == {TRH}


def test_official_and_canonical_in_one_call(engine: sa.Engine) -> None:
    off = official([official_row("Giáo dục trung học", 10, 5, 2, 3, 4, 1, 6, 1)])
    res = imp(
        engine, ("off.xlsx", off), src("can.xlsx", [record(period="05/2024", unit=QLCL, field=VB)]), unit=TRH
    )
    assert [u.rows for u in res.uploads] == [1, 1]
    with engine.connect() as conn:
        layouts = conn.execute(sa.text("SELECT layout FROM upload ORDER BY id")).scalars().all()
    assert layouts == ["official", "canonical"]


def _reference_jumps(new: pd.DataFrame, stored: pd.DataFrame) -> list[tuple]:
    """The ×3 rule written the plain way, row by row, as an oracle for the vectorised one."""
    from data_access.columns import COUNT_COLUMNS, TOTALS

    def rows_of(frame: pd.DataFrame) -> dict[tuple, dict]:
        out = {}
        for rec in frame.to_dict("records"):
            out[(rec["period"], rec["unit"], rec["field"], rec["procedure_code"] or "")] = rec  # last wins
        return out

    def prev(p: str) -> str:
        y, m = int(p[:4]), int(p[5:])
        return f"{y - 1}-12" if m == 1 else f"{y}-{m - 1:02d}"

    mine, theirs = rows_of(new), rows_of(stored)
    months = set(new["period"])
    known = lambda v: v is not None and v is not pd.NA  # noqa: E731
    out = []
    for (p, u, f, c), after in mine.items():
        key = (prev(p), u, f, c)
        before = mine.get(key) if prev(p) in months else theirs.get(key)
        if before is None:
            continue
        for col in COUNT_COLUMNS:
            a, b = before[col], after[col]
            if not (known(a) and known(b)) or max(a, b) < store.JUMP_MIN:
                continue
            if col in TOTALS and all(known(before[x]) and known(after[x]) for x in TOTALS[col]):
                continue
            if b > 3 * a:
                out.append(("jump", p, u, f, c, col, int(b), int(a)))
            elif a > 3 * b:
                out.append(("drop", p, u, f, c, col, int(b), int(a)))
    return sorted(out)


def test_jump_warnings_match_the_plain_rule(sqlite_url: str) -> None:
    import random

    from data_access.columns import HEADERS

    engine = open_engine(sqlite_url)
    rnd = random.Random(2024)
    units = [TRH, QLCL]
    fields = ["Giáo dục trung học", VB]

    def figures_for(months: list[str]) -> list[dict]:
        recs = []
        for m in months:
            for u in units:
                for f in fields:
                    for proc in (None, "1.005092"):
                        if rnd.random() < 0.25:
                            continue
                        counts = {
                            k: rnd.choice([None, 0, 2, 5, 12, 40, 130])
                            for k in (
                                "received_online_full",
                                "received_online_partial",
                                "received_direct",
                                "received_postal",
                                "carried_over",
                                "withdrawn",
                                "payments_total",
                            )
                        }
                        recs.append(
                            record(
                                period=m,
                                unit=u,
                                field=f,
                                procedure_code=proc,
                                resolved_early=None,
                                resolved_on_time=None,
                                resolved_late=None,
                                pending_in_time=None,
                                pending_overdue=None,
                                returned_postal=None,
                                results_digitized=None,
                                dossiers_digitized=None,
                                payments_online=None,
                                **counts,
                            )
                        )
        return recs

    imp(engine, src("stored.xlsx", figures_for(["04/2024", "05/2024"])))
    new_recs = figures_for(["06/2024", "07/2024"])
    prepared = prepare_import(engine, [src("new.xlsx", new_recs)], today=TODAY)
    assert prepared.ok, [i.format() for i in prepared.errors]
    got = sorted((w.code, w.column, w.message) for w in prepared.warnings if w.code in ("jump", "drop"))
    expected = []
    for code, p, u, f, c, col, b, a in _reference_jumps(
        prepared.results[0].frame, load_figures(engine, periods=["2024-05"])
    ):
        where = f"{f} (TTHC {c})" if c else f
        expected.append(
            (
                code,
                HEADERS[col],
                store.msg(
                    code,
                    header=HEADERS[col],
                    unit=u,
                    field=where,
                    period=f"{int(p[5:])}/{p[:4]}",
                    value=b,
                    previous=a,
                ),
            )
        )
    assert len(expected) > 10  # the random figures do move
    assert got == sorted(expected)
