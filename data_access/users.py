"""Users: create, remove, new password, new role, the list; every change checks the actor and is audited.

Every function that changes something takes an :class:`Actor` and checks its permission
itself (``require``), so a page reached by a direct URL, or code calling the function
directly, is refused without the role. A change of password or role, and a removal, end the
user's signed-in sessions (:mod:`data_access.sessions`).
"""

from __future__ import annotations

import bcrypt
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access.audit import _now, record
from data_access.roles import ROLES, Actor, require
from data_access.schema import app_user
from data_access.settings import bcrypt_rounds
from data_access.texts import auth as T

__all__ = [
    "MIN_PASSWORD",
    "AuthError",
    "add_user",
    "full_name",
    "has_users",
    "list_users",
    "remove_user",
    "set_password",
    "set_role",
    "user_role",
]

MIN_PASSWORD = 8


class AuthError(ValueError):
    """A user-management request that cannot be done (Vietnamese message)."""


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
