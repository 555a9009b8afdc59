"""Sign-in with bcrypt, slow-down and lockout; re-exports users (:mod:`data_access.users`), the audit
trail (:mod:`data_access.audit`) and roles (:mod:`data_access.roles`) under their old names.

Every function that changes something takes an :class:`Actor` and checks its permission
itself (``require``), so a page reached by a direct URL, or code calling the function
directly, is refused without the role.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

import bcrypt
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access.audit import _aware as _aware
from data_access.audit import _now as _now
from data_access.audit import audit, read_audit, record
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
from data_access.schema import app_user
from data_access.settings import bcrypt_rounds
from data_access.texts import auth as T
from data_access.users import (
    MIN_PASSWORD,
    AuthError,
    add_user,
    full_name,
    has_users,
    list_users,
    remove_user,
    set_password,
    set_role,
    user_role,
)

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


@dataclass(frozen=True)
class SignIn:
    """The outcome of :func:`authenticate`: whether it worked, the message to show, who signed in."""

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
