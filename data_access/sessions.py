"""Server-side sign-in sessions: what lets a signed-in user reload the page or open a bookmark.

A session is a random token (``secrets.token_urlsafe(32)``) that the browser keeps in a cookie; the
database keeps only its sha256, so a copy of the database signs nobody in. A session ends on sign-out,
after ``SESSION_IDLE_MINUTES`` without activity, and when the user's password or role changes or the
user is removed. It also keeps what the user had on screen (filters, what-if scenario) as JSON.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access.auth import Actor, _aware, _now, record
from data_access.schema import app_user, web_session
from data_access.settings import session_idle_minutes

#: ``last_seen`` is written at most this often (and at most every quarter of the idle time).
TOUCH_SECONDS = 60.0


@dataclass(frozen=True)
class Resumed:
    """The outcome of :func:`resume`: the actor, or why there is none (``unknown``, ``user``, ``idle``,
    ``role``, ``password``, ``removed``)."""

    actor: Actor | None
    reason: str = ""


def token_hash(token: str) -> str:
    """What the database keeps of a token: its sha256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(engine: Engine, username: str, *, now: dt.datetime | None = None) -> str:
    """Open a session for ``username`` (signed in just now) and return its token, for the cookie."""
    now = now or _now()
    token = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        role = conn.execute(sa.select(app_user.c.role).where(app_user.c.username == username)).scalar()
        if role is None:
            raise ValueError(f"no user {username!r}")
        conn.execute(
            web_session.insert().values(
                token_hash=token_hash(token), username=username, role=role, created_at=now, last_seen=now
            )
        )
    return token


def resume(
    engine: Engine, token: str | None, *, idle_minutes: float, now: dt.datetime | None = None
) -> Resumed:
    """The actor of the session ``token``, or why it has none; ends (and audits) a session found idle, or
    whose user was removed or has another role now. Refreshes ``last_seen`` at most once a minute."""
    if not token:
        return Resumed(None, "unknown")
    now = now or _now()
    key = token_hash(token)
    query = (
        sa.select(web_session, app_user.c.role.label("user_role"))
        .outerjoin(app_user, app_user.c.username == web_session.c.username)
        .where(web_session.c.token_hash == key)
    )
    with engine.begin() as conn:
        row = conn.execute(query).first()
        if row is None:
            return Resumed(None, "unknown")
        if row.ended_at is not None:
            return Resumed(None, row.end_reason or "user")
        idle = now - (_aware(row.last_seen) or now)
        reason = (
            "idle"
            if idle > dt.timedelta(minutes=idle_minutes)
            else "removed"
            if row.user_role is None
            else "role"
            if row.user_role != row.role
            else ""
        )
        if reason:
            _end(conn, [key], row.username, reason, now)
            return Resumed(None, reason)
        if idle.total_seconds() >= min(TOUCH_SECONDS, idle_minutes * 15):
            conn.execute(web_session.update().where(web_session.c.token_hash == key).values(last_seen=now))
    return Resumed(Actor(row.username, row.role, "web", session=key))


def resume_session(
    engine: Engine, token: str | None, *, idle_minutes: float, now: dt.datetime | None = None
) -> Actor | None:
    """The actor of the session ``token``; ``None`` when unknown, ended or expired (see :func:`resume`)."""
    return resume(engine, token, idle_minutes=idle_minutes, now=now).actor


def _end(conn: sa.Connection, keys: list[str], username: str, reason: str, now: dt.datetime) -> None:
    conn.execute(
        web_session.update().where(web_session.c.token_hash.in_(keys)).values(ended_at=now, end_reason=reason)
    )
    record(conn, username, "sign_out", {"reason": reason})


def end_session(
    engine: Engine, token: str | None, *, reason: str = "user", now: dt.datetime | None = None
) -> bool:
    """End the session ``token`` (sign-out), audited; whether an open session was ended."""
    if not token:
        return False
    with engine.begin() as conn:
        return end_key_in(conn, token_hash(token), reason, now=now)


def end_key_in(conn: sa.Connection, key: str, reason: str, *, now: dt.datetime | None = None) -> bool:
    """End the session whose token hash is ``key`` inside the caller's transaction, when it is still open
    (audited as a sign-out with ``reason``); whether it was open."""
    username = conn.execute(
        sa.select(web_session.c.username).where(
            web_session.c.token_hash == key, web_session.c.ended_at.is_(None)
        )
    ).scalar()
    if username is None:
        return False
    _end(conn, [key], username, reason, now or _now())
    return True


def end_sessions_in(
    conn: sa.Connection, username: str, reason: str, *, now: dt.datetime | None = None
) -> int:
    """End every open session of ``username`` inside the caller's transaction; how many were open."""
    keys = list(
        conn.execute(
            sa.select(web_session.c.token_hash).where(
                web_session.c.username == username, web_session.c.ended_at.is_(None)
            )
        ).scalars()
    )
    if keys:
        _end(conn, keys, username, reason, now or _now())
    return len(keys)


def end_sessions_of(engine: Engine, username: str, *, reason: str = "ended") -> int:
    """End every open session of ``username`` (a password or role change, a removed user)."""
    with engine.begin() as conn:
        return end_sessions_in(conn, username, reason)


def save_state(
    engine: Engine, token: str | None, state: dict[str, Any], *, now: dt.datetime | None = None
) -> None:
    """Keep ``state`` (JSON-serialisable: filters, what-if scenario) with the open session ``token``.

    A change of state is activity: ``last_seen`` moves to ``now`` too, unless the session is idle already
    (the what-if page's fragment reruns, which change the scenario, never resume the session)."""
    if not token:
        return
    now = now or _now()
    text = json.dumps(state, ensure_ascii=False, sort_keys=True)
    seen = web_session.c.last_seen
    fresh = sa.and_(seen >= now - dt.timedelta(minutes=session_idle_minutes()), seen <= now)
    with engine.begin() as conn:
        conn.execute(
            web_session.update()
            .where(web_session.c.token_hash == token_hash(token), web_session.c.ended_at.is_(None))
            .values(state=text, last_seen=sa.case((fresh, now), else_=seen))
        )


def load_state(engine: Engine, token: str | None) -> dict[str, Any]:
    """What :func:`save_state` kept with the session ``token`` (``{}`` when nothing or unreadable)."""
    if not token:
        return {}
    with engine.connect() as conn:
        text = conn.execute(
            sa.select(web_session.c.state).where(web_session.c.token_hash == token_hash(token))
        ).scalar()
    try:
        state = json.loads(text or "{}")
    except ValueError:
        return {}
    return state if isinstance(state, dict) else {}
