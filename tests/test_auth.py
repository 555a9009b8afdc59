"""Users, roles, lockout and the audit trail (on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from data_access.auth import (
    DEMO_ACTOR,
    Actor,
    AuthError,
    PermissionDenied,
    add_user,
    authenticate,
    cli_actor,
    has_users,
    list_users,
    read_audit,
    remove_user,
    require,
    set_password,
)

ADMIN = cli_actor("root")
NO_SLEEP: list[float] = []


def _auth(engine: sa.Engine, user: str, password: str, now: dt.datetime | None = None):
    return authenticate(engine, user, password, now=now, sleep=NO_SLEEP.append)


def test_roles_and_permissions() -> None:
    director, office, admin = Actor("a", "lanh_dao"), Actor("b", "van_phong"), Actor("c", "quan_tri")
    assert director.can("view") and director.can("whatif") and director.can("download")
    assert not director.can("upload") and not director.can("save_targets")
    assert office.can("upload") and office.can("restore") and not office.can("manage_users")
    assert admin.can("save_targets") and admin.can("manage_users") and admin.can("read_audit")
    with pytest.raises(PermissionDenied, match="không có quyền nhập số liệu"):
        require(director, "upload")
    with pytest.raises(PermissionDenied, match="Chưa đăng nhập"):
        require(None, "view")
    assert DEMO_ACTOR.can("upload")


def test_users_sign_in_and_audit(engine: sa.Engine) -> None:
    assert not has_users(engine)
    add_user(engine, ADMIN, "admin", "mat-khau-dai", "quan_tri")
    assert has_users(engine)
    with pytest.raises(AuthError, match="đã có"):
        add_user(engine, ADMIN, "admin", "mat-khau-dai", "quan_tri")
    with pytest.raises(AuthError, match="ít nhất 8"):
        add_user(engine, ADMIN, "ngan", "123", "lanh_dao")
    with pytest.raises(AuthError, match="Vai trò"):
        add_user(engine, ADMIN, "x", "mat-khau-dai", "boss")
    with pytest.raises(PermissionDenied):
        add_user(engine, Actor("gd", "lanh_dao"), "y", "mat-khau-dai", "lanh_dao")
    ok = _auth(engine, "admin", "mat-khau-dai")
    assert ok.ok and ok.actor == Actor("admin", "quan_tri", "web")
    bad = _auth(engine, "admin", "sai-mat-khau")
    assert not bad.ok and bad.message.startswith("Tên đăng nhập hoặc mật khẩu không đúng")
    unknown = _auth(engine, "ai-do", "sai-mat-khau")
    assert unknown.message == bad.message  # no hint whether the user exists
    users = list_users(engine)
    assert list(users["username"]) == ["admin"] and "password_hash" not in users.columns
    log = read_audit(engine, ok.actor)
    actions = list(zip(log["action"], log["success"], strict=True))
    # newest first: unknown user, bad password, good sign-in, the director's refused add_user, user_add
    assert actions == [
        ("sign_in", False),
        ("sign_in", False),
        ("sign_in", True),
        ("denied", False),
        ("user_add", True),
    ]
    assert json.loads(log["detail"][3]) == {"action": "manage_users", "reason": "permission", "via": "web"}
    assert json.loads(log["detail"][4]) == {"user": "admin", "role": "quan_tri", "via": "cli"}
    with pytest.raises(PermissionDenied):
        read_audit(engine, Actor("gd", "lanh_dao"))


def test_lockout_after_five_failures(engine: sa.Engine) -> None:
    add_user(engine, ADMIN, "vp", "mat-khau-dai", "van_phong")
    t0 = dt.datetime(2026, 11, 22, 8, 0, tzinfo=dt.UTC)
    NO_SLEEP.clear()
    for i in range(4):
        r = _auth(engine, "vp", "sai", now=t0 + dt.timedelta(seconds=i))
        assert not r.ok and r.locked_until is None
    fifth = _auth(engine, "vp", "sai", now=t0 + dt.timedelta(seconds=5))
    assert not fifth.ok and "khóa 15 phút" in fifth.message
    # failures slow down: 0.25, 0.5, 1, 2, 2 seconds
    assert NO_SLEEP == [0.25, 0.5, 1.0, 2.0, 2.0]
    # even the right password is refused while locked …
    locked = _auth(engine, "vp", "mat-khau-dai", now=t0 + dt.timedelta(minutes=14))
    assert not locked.ok and "tạm khóa" in locked.message
    # … and accepted after 15 minutes
    assert _auth(engine, "vp", "mat-khau-dai", now=t0 + dt.timedelta(minutes=16)).ok


def test_password_change_and_removal(engine: sa.Engine) -> None:
    add_user(engine, ADMIN, "gd", "mat-khau-dai", "lanh_dao")
    set_password(engine, ADMIN, "gd", "mat-khau-moi-1")
    assert not _auth(engine, "gd", "mat-khau-dai").ok
    assert _auth(engine, "gd", "mat-khau-moi-1").ok
    remove_user(engine, ADMIN, "gd")
    assert not has_users(engine)
    with pytest.raises(AuthError):
        remove_user(engine, ADMIN, "gd")


def _hash_costs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the cost factor of every hash ``bcrypt.checkpw`` is called with (``$2b$NN$…``)."""
    import bcrypt

    costs: list[int] = []
    real = bcrypt.checkpw

    def counting(password: bytes, hashed: bytes) -> bool:
        costs.append(int(hashed.split(b"$")[2]))
        return real(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", counting)
    return costs


@pytest.mark.parametrize("rounds", ["4", "5"])
def test_unknown_user_costs_the_same_bcrypt_work(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, rounds: str
) -> None:
    """An unknown, a removed and a locked user cost one bcrypt check of the real hashes' cost, as a wrong
    password does: the time of an attempt does not tell which accounts exist."""
    from data_access.store import open_engine

    monkeypatch.setenv("BCRYPT_ROUNDS", rounds)
    engine = open_engine(sqlite_url)
    for name in ("vp", "gd", "cu"):
        add_user(engine, ADMIN, name, "mat-khau-dai", "van_phong")
    remove_user(engine, ADMIN, "cu")
    t0 = dt.datetime(2026, 11, 22, 8, 0, tzinfo=dt.UTC)
    for i in range(5):  # lock gd
        _auth(engine, "gd", "sai", now=t0 + dt.timedelta(seconds=i))
    costs = _hash_costs(monkeypatch)
    attempts = {
        "wrong password": ("vp", "sai-mat-khau"),
        "unknown user": ("khong-co-ai", "sai-mat-khau"),
        "removed user": ("cu", "mat-khau-dai"),
        "locked user": ("gd", "mat-khau-dai"),
        "too long": ("vp", "x" * 100),
        "right password": ("vp", "mat-khau-dai"),
    }
    for label, (user, password) in attempts.items():
        costs.clear()
        result = _auth(engine, user, password, now=t0 + dt.timedelta(minutes=1))
        assert result.ok == (label == "right password"), label
        assert costs == [int(rounds)], (label, costs)
