"""Migrations: a database made by the first migration is upgraded on open and keeps its data."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from data_access.store import (
    close_engines,
    create_engine,
    current_revision,
    head_revision,
    migrate,
    open_engine,
)


def test_upgrade_from_first_migration_keeps_data(db_url: str) -> None:
    old = create_engine(db_url)
    migrate(old, "0001")
    assert current_revision(old) == "0001"
    with old.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO upload (created_at, user_name, file_name, sha256, months, row_count, kind, layout) "
                "VALUES (:t, 'vp', 'cu.xlsx', :sha, '2024-06', 1, 'import', 'canonical')"
            ),
            {"t": dt.datetime(2024, 7, 1, tzinfo=dt.UTC), "sha": "a" * 64},
        )
        upload_id = conn.execute(sa.text("SELECT max(id) FROM upload")).scalar_one()
        conn.execute(
            sa.text(
                "INSERT INTO upload_part (upload_id, period, unit, row_count) "
                "VALUES (:u, '2024-06', 'Thanh tra Sở', 1)"
            ),
            {"u": upload_id},
        )
        conn.execute(
            sa.text(
                "INSERT INTO figure (upload_id, period, unit, field, received_online_full, "
                "received_new) VALUES (:u, '2024-06', 'Thanh tra Sở', 'Không phân lĩnh vực', 3, 4)"
            ),
            {"u": upload_id},
        )
        assert "app_user" not in sa.inspect(conn).get_table_names()
    old.dispose()
    close_engines()
    # opening the database the way the app and the command line do upgrades it
    engine = open_engine(db_url)
    assert current_revision(engine) == head_revision() == "0008"
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT received_online_full, received_new FROM figure")).one() == (3, 4)
        assert conn.execute(sa.text("SELECT file_name FROM upload")).scalar_one() == "cu.xlsx"
        assert "app_user" in sa.inspect(conn).get_table_names()
        assert "audit_log" in sa.inspect(conn).get_table_names()
        # 0003 back-filled the per-field sums of the figures already there
        assert conn.execute(
            sa.text("SELECT row_count, received_online_full, received_new FROM figure_sum")
        ).one() == (1, 3, 4)


def test_opening_twice_is_a_no_op(db_url: str) -> None:
    engine = open_engine(db_url)
    migrate(engine)
    migrate(engine)
    assert current_revision(engine) == head_revision()


def test_0004_gives_users_a_full_name_kept_from_an_earlier_display_name(db_url: str) -> None:
    old = create_engine(db_url)
    migrate(old, "0003")
    with old.begin() as conn:
        for username, display in (("vanthu", "Nguyễn Thị Văn Thư"), ("admin", "admin")):
            conn.execute(
                sa.text(
                    "INSERT INTO app_user (username, display_name, password_hash, role, created_at) "
                    "VALUES (:u, :d, 'x', 'van_phong', :t)"
                ),
                {"u": username, "d": display, "t": dt.datetime(2024, 7, 1, tzinfo=dt.UTC)},
            )
        assert "full_name" not in {c["name"] for c in sa.inspect(conn).get_columns("app_user")}
    old.dispose()
    close_engines()
    engine = open_engine(db_url)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        column = {c["name"]: c for c in sa.inspect(conn).get_columns("app_user")}["full_name"]
        assert column["nullable"]
        names = dict(conn.execute(sa.text("SELECT username, full_name FROM app_user")).all())
    # a name given before is the full name; the user name copied in by default is not
    assert names == {"vanthu": "Nguyễn Thị Văn Thư", "admin": None}
