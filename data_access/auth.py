"""Sign-in with bcrypt, slow-down and lockout; the stored-account check of every write; re-exports users
(:mod:`data_access.users`), the audit trail (:mod:`data_access.audit`) and roles (:mod:`data_access.roles`)
under their old names.

Every function that changes something takes an :class:`Actor` and checks its permission
itself (:func:`permit`, audited), so a page reached by a direct URL, or code calling the function
directly, is refused without the role; and inside the write's own transaction it checks the stored
account again (:func:`account_transaction`): a user removed, demoted or idle since the page was drawn
(a Streamlit callback or ``st.fragment`` rerun never re-reads the session) is refused and audited.
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

from data_access.account_check import (
    TRUSTED_VIAS,
    account_transaction,
    demo_mode_allowed,
    permit,
    require_account,
)
from data_access.audit import _aware as _aware
from data_access.audit import _now as _now
from data_access.audit import audit, read_audit, record
from data_access.roles import (
    DEMO_ACTOR,
    PERMISSIONS,
    ROLES,
    AccountRefused,
    Actor,
    PermissionDenied,
    cli_actor,
    require,
    role_from_claims,
)
from data_access.schema import app_user, audit_log
from data_access.settings import bcrypt_rounds
from data_access.texts import auth as T
from data_access.users import (
    MAX_PASSWORD_BYTES,
    MIN_PASSWORD,
    AuthError,
    add_user,
    full_name,
    has_users,
    list_users,
    normalize_username,
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
    "TRUSTED_VIAS",
    "AccountRefused",
    "Actor",
    "AuthError",
    "PermissionDenied",
    "SignIn",
    "account_transaction",
    "add_user",
    "audit",
    "authenticate",
    "cli_actor",
    "demo_mode_allowed",
    "full_name",
    "has_users",
    "list_users",
    "permit",
    "read_audit",
    "record",
    "remove_user",
    "require",
    "require_account",
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
    locked_until: dt.datetime | None = None  # for the caller's logs and tests: the message never says it


# ---------------------------------------------------------------------------- sign-in


@functools.cache
def _dummy_hash(rounds: int) -> str:
    """A hash of a random password with ``rounds``, made once: what an unknown user's attempt is checked against."""
    return bcrypt.hashpw(secrets.token_hex(16).encode(), bcrypt.gensalt(rounds=rounds)).decode()


def _check(secret: bytes, hashed: str) -> bool:
    """One bcrypt check of ``secret`` (at most 72 bytes: bcrypt refuses longer ones)."""
    return bcrypt.checkpw(secret[:MAX_PASSWORD_BYTES], hashed.encode())


def _slow_down(failed: int) -> float:
    """Seconds to wait after the ``failed``-th failure in a row (0.25, 0.5, 1, 2, 2…)."""
    return min(0.25 * 2.0 ** max(failed - 1, 0), 2.0)


def _failures_in_a_row(conn: sa.Connection, name: str) -> int:
    """Failed sign-ins of ``name`` in a row in the last :data:`LOCK_MINUTES`, from the audit trail: the
    slow-down is counted alike for names with and without an account, so its length tells nothing."""
    cutoff = _now() - dt.timedelta(minutes=LOCK_MINUTES)
    rows = conn.execute(
        sa.select(audit_log.c.success)
        .where(audit_log.c.action == "sign_in", audit_log.c.username == name[:100], audit_log.c.at >= cutoff)
        .order_by(audit_log.c.id.desc())
        .limit(MAX_FAILED)
    ).scalars()
    failed = 0
    for ok in rows:
        if ok:
            break
        failed += 1
    return failed


def authenticate(
    engine: Engine,
    username: str,
    password: str,
    *,
    now: dt.datetime | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SignIn:
    """Check a password; failures slow down, and the 5th in a row locks the account for 15 minutes.

    Every attempt is audited and every failure gets the same message (unknown or removed user, wrong
    password, a password over 72 bytes, a locked account) and costs one bcrypt check of the same cost: a
    password over 72 bytes, an unknown user's and a locked account's are checked against a dummy hash.

    The attempt is counted *before* the password is checked, by one atomic ``UPDATE … SET failed_attempts =
    failed_attempts + 1 … RETURNING``: concurrent guesses each get their own number, and one numbered past
    :data:`MAX_FAILED` is refused unchecked, so no more than 5 guesses are ever checked per lock.
    """
    now = now or _now()
    name = normalize_username(username)
    names = list(dict.fromkeys([name, username.strip()]))  # an account stored before names were normalised
    secret = password.encode()
    too_long = len(secret) > MAX_PASSWORD_BYTES
    dummy = _dummy_hash(bcrypt_rounds())  # made at the first attempt of the process, whichever path it takes
    claim = (
        app_user.update()
        .where(app_user.c.username.in_(names))
        .where(sa.or_(app_user.c.locked_until.is_(None), app_user.c.locked_until <= now))
        .values(failed_attempts=app_user.c.failed_attempts + 1, locked_until=None)
        .returning(
            app_user.c.id,
            app_user.c.username,
            app_user.c.role,
            app_user.c.password_hash,
            app_user.c.failed_attempts,
        )
    )
    with engine.begin() as conn:
        user = conn.execute(claim).first()
        known = user is not None or (
            conn.execute(sa.select(app_user.c.id).where(app_user.c.username.in_(names))).first() is not None
        )
    ok = False
    if user is None:
        _check(secret, dummy)
        reason = "locked" if known else "unknown_user"
    elif too_long:
        _check(secret, dummy)
        reason = "password_too_long"
    elif user.failed_attempts > MAX_FAILED:  # guesses beyond the limit are in flight: not checked
        _check(secret, dummy)
        reason = "in_flight"
    else:
        ok = _check(secret, user.password_hash)
        reason = "bad_password"
    with engine.begin() as conn:
        if ok and user is not None:
            conn.execute(
                app_user.update()
                .where(app_user.c.id == user.id)
                .values(failed_attempts=0, locked_until=None, last_login_at=now)
            )
            record(conn, user.username, "sign_in", {"role": user.role})
            return SignIn(True, T.SIGN_IN_OK, Actor(user.username, user.role, "web"))
        lock_until = None
        detail: dict[str, object] = {"reason": reason}
        if user is not None:
            detail["failed"] = user.failed_attempts
            if user.failed_attempts >= MAX_FAILED:
                lock_until = now + dt.timedelta(minutes=LOCK_MINUTES)
                conn.execute(
                    app_user.update()
                    .where(app_user.c.id == user.id)
                    .values(locked_until=lock_until, failed_attempts=0)
                )
        record(conn, user.username if user is not None else (name or "?"), "sign_in", detail, success=False)
        failed = _failures_in_a_row(conn, user.username if user is not None else (name or "?"))
    sleep(_slow_down(failed))
    return SignIn(False, T.SIGN_IN_BAD.format(n=MAX_FAILED, minutes=LOCK_MINUTES), locked_until=lock_until)
