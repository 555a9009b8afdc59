"""Users; sign-in with bcrypt, slow-down and lockout; the audit trail (roles: :mod:`data_access.roles`).

Every function that changes something takes an :class:`Actor` and checks its permission
itself (``require``), so a page reached by a direct URL, or code calling the function
directly, is refused without the role.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import bcrypt
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access.roles import (
    DEMO_ACTOR,
    PERMISSIONS,
    ROLES,
    Actor,
    PermissionDenied,
    cli_actor,
    require,
    role_from_claims,
)
from data_access.schema import app_user, audit_log
from data_access.settings import bcrypt_rounds
from data_access.texts import auth as T

__all__ = [
    "DEMO_ACTOR",
    "LOCK_MINUTES",
    "MAX_FAILED",
    "MIN_PASSWORD",
    "PERMISSIONS",
    "ROLES",
    "Actor",
    "AuthError",
    "PermissionDenied",
    "SignIn",
    "add_user",
    "audit",
    "authenticate",
    "cli_actor",
    "full_name",
    "has_users",
    "list_users",
    "read_audit",
    "record",
    "remove_user",
    "require",
    "role_from_claims",
    "set_password",
    "set_role",
    "user_role",
]

MAX_FAILED = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 8


class AuthError(ValueError):
    """A user-management request that cannot be done (Vietnamese message)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


# ---------------------------------------------------------------------------- audit


def record(
    conn: sa.Connection,
    username: str,
    action: str,
    detail: Mapping[str, object] | None = None,
    *,
    success: bool = True,
) -> None:
    """Append one audit row inside the caller's transaction."""
    conn.execute(
        audit_log.insert().values(
            at=_now(),
            username=username[:100],
            action=action[:40],
            success=1 if success else 0,
            detail=json.dumps(detail or {}, ensure_ascii=False, default=str),
        )
    )


def audit(
    engine: Engine,
    username: str,
    action: str,
    detail: Mapping[str, object] | None = None,
    *,
    success: bool = True,
) -> None:
    """Append one audit row in its own transaction."""
    with engine.begin() as conn:
        record(conn, username, action, detail, success=success)


def read_audit(engine: Engine, actor: Actor, *, limit: int = 1000) -> pd.DataFrame:
    """The latest audit rows (``quan_tri`` only): at, username, action, success, detail."""
    require(actor, "read_audit")
    with engine.connect() as conn:
        rows = conn.execute(sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)).all()
    return pd.DataFrame(
        [
            {
                "id": r.id,
                "at": _aware(r.at),
                "username": r.username,
                "action": r.action,
                "success": bool(r.success),
                "detail": r.detail,
            }
            for r in rows
        ],
        columns=["id", "at", "username", "action", "success", "detail"],
    )


# ---------------------------------------------------------------------------- users


def has_users(engine: Engine) -> bool:
    """Whether any user exists (without one, the app runs in open demo mode)."""
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(app_user)).scalar_one() > 0


def user_role(engine: Engine, username: str) -> str | None:
    """The stored role of ``username``; ``None`` when there is no such user (any more)."""
    with engine.connect() as conn:
        return conn.execute(sa.select(app_user.c.role).where(app_user.c.username == username)).scalar()


def _hash(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AuthError(T.PASSWORD_TOO_SHORT.format(n=MIN_PASSWORD))
    if len(password.encode()) > 72:
        raise AuthError(T.PASSWORD_TOO_LONG)
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=bcrypt_rounds())).decode()


def add_user(
    engine: Engine,
    actor: Actor,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    full_name: str | None = None,
) -> None:
    """Create a user. The first user of an empty database may be created by the command line only.

    ``full_name`` ("Họ tên", else ``display_name``) is stored as given, ``NULL`` when empty; the
    display name is the full name, else the user name.
    """
    require(actor, "manage_users")
    username = username.strip()
    if not username:
        raise AuthError(T.USERNAME_EMPTY)
    if role not in ROLES:
        raise AuthError(T.ROLE_INVALID_CHOOSE.format(role=role, roles=", ".join(ROLES)))
    hashed = _hash(password)
    with engine.begin() as conn:
        exists = conn.execute(sa.select(app_user.c.id).where(app_user.c.username == username)).first()
        if exists:
            raise AuthError(T.USERNAME_TAKEN.format(username=username))
        full = " ".join((full_name or display_name or "").split()) or None
        conn.execute(
            app_user.insert().values(
                username=username,
                display_name=full or username,
                full_name=full,
                password_hash=hashed,
                role=role,
                created_at=_now(),
            )
        )
        record(conn, actor.username, "user_add", {"user": username, "role": role, "via": actor.via})


def _change_user(
    engine: Engine, actor: Actor, username: str, statement: sa.Executable, action: str, reason: str
) -> None:
    """Run ``statement`` (an update or delete of ``username``'s row), audit it and end the user's sessions,
    in one transaction; no such user is refused."""
    with engine.begin() as conn:
        if not conn.execute(statement).rowcount:
            raise AuthError(T.NO_SUCH_USER.format(username=username))
        record(conn, actor.username, action, {"user": username, "via": actor.via})
        _end_sessions(conn, username, reason)


def remove_user(engine: Engine, actor: Actor, username: str) -> None:
    require(actor, "manage_users")
    _change_user(
        engine,
        actor,
        username,
        app_user.delete().where(app_user.c.username == username),
        "user_remove",
        "removed",
    )


def set_password(engine: Engine, actor: Actor, username: str, password: str) -> None:
    require(actor, "manage_users")
    hashed = _hash(password)
    statement = (
        app_user.update()
        .where(app_user.c.username == username)
        .values(password_hash=hashed, failed_attempts=0, locked_until=None)
    )
    _change_user(engine, actor, username, statement, "user_passwd", "password")


def set_role(engine: Engine, actor: Actor, username: str, role: str) -> None:
    require(actor, "manage_users")
    if role not in ROLES:
        raise AuthError(T.ROLE_INVALID.format(role=role))
    with engine.begin() as conn:
        old = conn.execute(sa.select(app_user.c.role).where(app_user.c.username == username)).scalar()
        if old is None:
            raise AuthError(T.NO_SUCH_USER.format(username=username))
        conn.execute(app_user.update().where(app_user.c.username == username).values(role=role))
        record(
            conn, actor.username, "user_role", {"user": username, "old": old, "new": role, "via": actor.via}
        )
        if old != role:
            _end_sessions(conn, username, "role")


def _end_sessions(conn: sa.Connection, username: str, reason: str) -> None:
    """End the user's signed-in sessions in this transaction (a new password or role signs them in anew)."""
    from data_access.sessions import end_sessions_in  # data_access.sessions imports this module

    end_sessions_in(conn, username, reason)


def list_users(engine: Engine) -> pd.DataFrame:
    """Users without their hashes: username, display_name, role, created_at, locked_until, last_login_at,
    failed_attempts, full_name (``None`` when not given)."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(
                app_user.c.username,
                app_user.c.display_name,
                app_user.c.role,
                app_user.c.created_at,
                app_user.c.locked_until,
                app_user.c.last_login_at,
                app_user.c.failed_attempts,
                app_user.c.full_name,
            ).order_by(app_user.c.username)
        ).all()
    frame = pd.DataFrame(
        [r._asdict() for r in rows],
        columns=[
            "username",
            "display_name",
            "role",
            "created_at",
            "locked_until",
            "last_login_at",
            "failed_attempts",
            "full_name",
        ],
    )
    frame["full_name"] = pd.Series(
        [r.full_name for r in rows], index=frame.index, dtype=object
    )  # None, not NaN
    return frame


def full_name(engine: Engine, username: str) -> str | None:
    """The stored full name ("Họ tên") of ``username``; ``None`` when not given or no such user."""
    with engine.connect() as conn:
        return conn.execute(sa.select(app_user.c.full_name).where(app_user.c.username == username)).scalar()


# ---------------------------------------------------------------------------- sign-in


@dataclass(frozen=True)
class SignIn:
    ok: bool
    message: str
    actor: Actor | None = None
    locked_until: dt.datetime | None = None


@functools.cache
def _dummy_hash(rounds: int) -> str:
    """A hash of a random password with ``rounds``, made once: what an unknown user's attempt is checked against."""
    return bcrypt.hashpw(secrets.token_hex(16).encode(), bcrypt.gensalt(rounds=rounds)).decode()


def _check(password: str, hashed: str) -> bool:
    """One bcrypt check (a password over 72 bytes costs the same and never matches)."""
    secret = password.encode()
    return bcrypt.checkpw(secret[:72], hashed.encode()) and len(secret) <= 72


def _slow_down(failed: int) -> float:
    """Seconds to wait after the ``failed``-th failure in a row (0.25, 0.5, 1, 2, 2…)."""
    return min(0.25 * 2.0 ** max(failed - 1, 0), 2.0)


def authenticate(
    engine: Engine,
    username: str,
    password: str,
    *,
    now: dt.datetime | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SignIn:
    """Check a password; failures slow down, and the 5th in a row locks the account for 15 minutes.

    Every attempt is audited. The message never says whether the user exists, and every attempt
    costs one bcrypt check of the same cost: an unknown (or removed) user's and a locked account's
    password is checked against a dummy hash, so the time does not tell either.
    """
    now = now or _now()
    bad = T.SIGN_IN_BAD
    dummy = _dummy_hash(bcrypt_rounds())  # made at the first attempt of the process, whichever path it takes
    with engine.begin() as conn:
        user = conn.execute(sa.select(app_user).where(app_user.c.username == username.strip())).first()
        if user is None:
            _check(password, dummy)
            record(conn, username or "?", "sign_in", {"reason": "unknown_user"}, success=False)
            result = SignIn(False, bad)
            failed = 1
        else:
            locked = _aware(user.locked_until)
            if locked and locked > now:
                _check(password, dummy)
                record(conn, user.username, "sign_in", {"reason": "locked"}, success=False)
                mins = max(1, int((locked - now).total_seconds() // 60) + 1)
                return SignIn(False, T.SIGN_IN_LOCKED.format(minutes=mins), locked_until=locked)
            if _check(password, user.password_hash):
                conn.execute(
                    app_user.update()
                    .where(app_user.c.id == user.id)
                    .values(failed_attempts=0, locked_until=None, last_login_at=now)
                )
                record(conn, user.username, "sign_in", {"role": user.role})
                return SignIn(True, T.SIGN_IN_OK, Actor(user.username, user.role, "web"))
            failed = (0 if locked and locked <= now else user.failed_attempts) + 1
            values: dict[str, object] = {"failed_attempts": failed}
            message = bad
            lock_until = None
            if failed >= MAX_FAILED:
                lock_until = now + dt.timedelta(minutes=LOCK_MINUTES)
                values.update(locked_until=lock_until, failed_attempts=0)
                message = T.SIGN_IN_NOW_LOCKED.format(n=MAX_FAILED, minutes=LOCK_MINUTES)
            conn.execute(app_user.update().where(app_user.c.id == user.id).values(**values))
            record(
                conn, user.username, "sign_in", {"reason": "bad_password", "failed": failed}, success=False
            )
            result = SignIn(False, message, locked_until=lock_until)
    sleep(_slow_down(failed))
    return result
