"""The stored-account check of every write (:func:`account_transaction`), and the audited role check
(:func:`permit`); re-exported by :mod:`data_access.auth`.

A page's actor is read from the stored session on every full rerun (``ui.auth.current_actor``), but a
widget callback runs before that and an ``st.fragment`` rerun never does it: the actor a write receives
may be stale. So every writing function checks the stored account again inside its own transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access.audit import _aware, _now, record
from data_access.roles import PERMISSIONS, AccountRefused, Actor, PermissionDenied, require
from data_access.schema import app_user, web_session
from data_access.settings import get, session_idle_minutes
from data_access.texts import auth as T

__all__ = ["TRUSTED_VIAS", "account_transaction", "demo_mode_allowed", "permit", "require_account"]

#: Actors the stored account is not checked for: the command line and the external source's sync are run by
#: whoever holds the database; an OIDC user's role comes from the identity provider, not from ``app_user``.
TRUSTED_VIAS = frozenset({"cli", "external", "oidc"})


def demo_mode_allowed() -> bool:
    """Whether an empty user table opens the app in demo mode (``ALLOW_DEMO_MODE``, default on)."""
    return bool(get("allow_demo_mode"))


def _refused(actor: Actor | None, action: str, reason: str, message: str = "") -> AccountRefused:
    who = actor.username if actor is not None else "?"
    why = T.ACCOUNT_REFUSED_WHY.get(reason, reason).format(username=who)
    text = message or T.ACCOUNT_REFUSED.format(action=T.ACTIONS.get(action, action), why=why)
    return AccountRefused(
        text,
        username=who,
        action=action,
        reason=reason,
        via=actor.via if actor is not None else "",
        session=actor.session if actor is not None else None,
    )


def _record_refusal(engine: Engine, exc: AccountRefused, **extra: object) -> None:
    """Audit a refusal in its own transaction, and end the session it came from (the next rerun shows the
    sign-in form saying why)."""
    from data_access.sessions import end_key_in  # data_access.sessions imports auth, which imports this

    detail: dict[str, object] = {"action": exc.action, "reason": exc.reason, **extra}
    if exc.via:
        detail["via"] = exc.via
    with engine.begin() as conn:
        record(conn, exc.username, "denied", detail, success=False)
        if exc.session is not None and exc.reason in ("removed", "role", "idle"):
            end_key_in(conn, exc.session, exc.reason)


def permit(engine: Engine, actor: Actor | None, action: str, **detail: object) -> Actor:
    """:func:`require`, with a refusal audited (``denied``): the role check at the top of a writing function,
    or of a page (``detail``: which page)."""
    try:
        return require(actor, action)
    except PermissionDenied as exc:
        refusal = _refused(actor, action, "permission", str(exc))
        _record_refusal(engine, refusal, **detail)
        raise refusal from None


def require_account(
    conn: sa.Connection, actor: Actor | None, action: str, *, now: dt.datetime | None = None
) -> Actor:
    """Check, inside the write's transaction ``conn`` and before it writes, that ``actor`` may still do
    ``action``; raise :class:`AccountRefused` (Vietnamese message) otherwise. Use it through
    :func:`account_transaction`, which audits the refusal once the transaction is undone.

    * every actor: its role allows ``action`` (reason ``permission``);
    * demo mode: demo mode is allowed (``demo_forbidden``) and there is still no user (``demo_over``);
    * a web user: the account exists (``removed``) with the same role, which allows ``action`` (``role``);
      the session it came from (:attr:`Actor.session`) is open (``ended``) and not idle for longer than
      ``SESSION_IDLE_MINUTES`` (``idle``); the write counts as activity (``last_seen``).

    The command line, the external source and OIDC users are trusted (:data:`TRUSTED_VIAS`). On SQLite the
    check first takes the database's write lock (a no-op UPDATE), on PostgreSQL it locks the account and
    session rows (``FOR SHARE``): a concurrent removal or role change waits for this write or is seen by it.
    """
    try:
        require(actor, action)
    except PermissionDenied as exc:
        raise _refused(actor, action, "permission", str(exc)) from None
    assert actor is not None
    if actor.via in TRUSTED_VIAS:
        return actor
    now = now or _now()
    if conn.dialect.name == "sqlite":  # one writer at a time from here to the commit
        conn.execute(app_user.update().where(sa.false()).values(id=app_user.c.id))
    if actor.via == "demo":
        if not demo_mode_allowed():
            raise _refused(actor, action, "demo_forbidden")
        if conn.execute(sa.select(sa.func.count()).select_from(app_user)).scalar_one():
            raise _refused(actor, action, "demo_over")
        return actor
    role = conn.execute(
        sa.select(app_user.c.role).where(app_user.c.username == actor.username).with_for_update(read=True)
    ).scalar()
    if role is None:
        raise _refused(actor, action, "removed")
    if role != actor.role or action not in PERMISSIONS.get(role, frozenset()):
        raise _refused(actor, action, "role")
    if actor.session is None:  # an actor made by code, not resumed from a session: nothing more to check
        return actor
    session = conn.execute(
        sa.select(web_session.c.username, web_session.c.ended_at, web_session.c.last_seen)
        .where(web_session.c.token_hash == actor.session)
        .with_for_update(read=True)
    ).first()
    if session is None or session.ended_at is not None or session.username != actor.username:
        raise _refused(actor, action, "ended")
    seen = _aware(session.last_seen) or now
    if now - seen > dt.timedelta(minutes=session_idle_minutes()):
        raise _refused(actor, action, "idle")
    conn.execute(web_session.update().where(web_session.c.token_hash == actor.session).values(last_seen=now))
    return actor


@contextmanager
def account_transaction(
    engine: Engine, actor: Actor | None, action: str, *, now: dt.datetime | None = None
) -> Iterator[sa.Connection]:
    """``engine.begin()`` whose first act is :func:`require_account`: the write inside it happens only for an
    account that still allows it, checked in the same transaction. A refusal undoes the transaction, is
    audited (``denied``, with the reason) in a transaction of its own, ends the session it came from and
    is raised again (:class:`AccountRefused`, a :class:`PermissionDenied`)."""
    try:
        with engine.begin() as conn:
            require_account(conn, actor, action, now=now)
            yield conn
    except AccountRefused as exc:
        _record_refusal(engine, exc)
        raise
