"""Users: create, remove, new password, new role, the list; every change checks the actor and is audited.

Every function that changes something takes an :class:`Actor` and checks its permission
itself (:func:`~data_access.account_check.permit`), and the acting account again inside the change's
transaction (:func:`~data_access.account_check.account_transaction`), so a page reached by a direct URL,
code calling the function directly, or an administrator removed or demoted meanwhile is refused (and
audited). A change of password or role, and a removal, end the user's signed-in sessions
(:mod:`data_access.sessions`).

User names are stored in Unicode NFKC form; a name with an invisible, control or format character (a
zero-width space, a right-to-left mark…), or one that differs from an existing name only by case or by
its Unicode spelling (``Admin``, ``ａｄｍｉｎ``), is refused: two accounts must not look alike.
"""

from __future__ import annotations

import unicodedata

import bcrypt
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access.account_check import account_transaction, permit
from data_access.audit import _now, record
from data_access.roles import ROLES, Actor
from data_access.schema import app_user
from data_access.settings import bcrypt_rounds
from data_access.texts import auth as T

__all__ = [
    "MAX_PASSWORD_BYTES",
    "MAX_USERNAME",
    "MIN_PASSWORD",
    "AuthError",
    "add_user",
    "full_name",
    "has_users",
    "list_users",
    "normalize_username",
    "remove_user",
    "set_password",
    "set_role",
    "user_role",
    "username_problem",
]

MIN_PASSWORD = 8
#: bcrypt reads at most 72 bytes (UTF-8) of a password; a longer one is refused, never cut.
MAX_PASSWORD_BYTES = 72
MAX_USERNAME = 100  # app_user.username's length
#: Unicode categories a user name may not hold: control, format (zero-width, bidi marks), private use,
#: surrogates, unassigned, line and paragraph separators, and combining marks left after NFKC.
_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp", "Mn", "Me"})


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


def normalize_username(username: str) -> str:
    """``username`` as stored and looked up: Unicode NFKC, without surrounding white space."""
    return unicodedata.normalize("NFKC", username).strip()


def username_problem(username: str) -> str | None:
    """Why ``username`` (already normalised) may not be an account's name; ``None`` when it may."""
    if not username:
        return T.USERNAME_EMPTY
    if len(username) > MAX_USERNAME:
        return T.USERNAME_TOO_LONG.format(n=MAX_USERNAME)
    bad = [
        c
        for c in username
        if unicodedata.category(c) in _BAD_CATEGORIES or (unicodedata.category(c) == "Zs" and c != " ")
    ]
    if bad:
        return T.USERNAME_INVISIBLE.format(codes=", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in bad)))
    return None


def _fold(username: str) -> str:
    """What two names that look alike share: NFKC of the case-folded NFKC form."""
    return unicodedata.normalize("NFKC", normalize_username(username).casefold())


def _hash(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AuthError(T.PASSWORD_TOO_SHORT.format(n=MIN_PASSWORD))
    if len(password.encode()) > MAX_PASSWORD_BYTES:
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

    The name is stored in NFKC form (see the module's note: look-alike names are refused).
    ``full_name`` ("Họ tên", else ``display_name``) is stored as given, ``NULL`` when empty; the
    display name is the full name, else the user name.
    """
    permit(engine, actor, "manage_users")
    username = normalize_username(username)
    problem = username_problem(username)
    if problem:
        raise AuthError(problem)
    if role not in ROLES:
        raise AuthError(T.ROLE_INVALID_CHOOSE.format(role=role, roles=", ".join(ROLES)))
    hashed = _hash(password)
    with account_transaction(engine, actor, "manage_users") as conn:
        existing = conn.execute(sa.select(app_user.c.username)).scalars().all()
        if username in existing:
            raise AuthError(T.USERNAME_TAKEN.format(username=username))
        twin = next((e for e in existing if _fold(e) == _fold(username)), None)
        if twin is not None:
            raise AuthError(T.USERNAME_LOOKALIKE.format(username=username, existing=twin))
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
    in one transaction with the acting account's check; no such user is refused."""
    with account_transaction(engine, actor, "manage_users") as conn:
        if not conn.execute(statement).rowcount:
            raise AuthError(T.NO_SUCH_USER.format(username=username))
        record(conn, actor.username, action, {"user": username, "via": actor.via})
        _end_sessions(conn, username, reason)


def remove_user(engine: Engine, actor: Actor, username: str) -> None:
    permit(engine, actor, "manage_users")
    _change_user(
        engine,
        actor,
        username,
        app_user.delete().where(app_user.c.username == username),
        "user_remove",
        "removed",
    )


def set_password(engine: Engine, actor: Actor, username: str, password: str) -> None:
    permit(engine, actor, "manage_users")
    hashed = _hash(password)
    statement = (
        app_user.update()
        .where(app_user.c.username == username)
        .values(password_hash=hashed, failed_attempts=0, locked_until=None)
    )
    _change_user(engine, actor, username, statement, "user_passwd", "password")


def set_role(engine: Engine, actor: Actor, username: str, role: str) -> None:
    permit(engine, actor, "manage_users")
    if role not in ROLES:
        raise AuthError(T.ROLE_INVALID.format(role=role))
    with account_transaction(engine, actor, "manage_users") as conn:
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
