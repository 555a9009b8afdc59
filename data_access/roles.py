"""Roles and what each may do: who acts (``Actor``), the permission check, an OIDC user's role."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from data_access.texts import auth as T
from data_access.texts.auth import ROLES

__all__ = [
    "DEMO_ACTOR",
    "PERMISSIONS",
    "ROLES",
    "AccountRefused",
    "Actor",
    "PermissionDenied",
    "cli_actor",
    "require",
    "role_from_claims",
]

#: What each role may do. Every role may view pages, use what-if and download.
PERMISSIONS: dict[str, frozenset[str]] = {
    "lanh_dao": frozenset({"view", "whatif", "download"}),
    "van_phong": frozenset({"view", "whatif", "download", "upload", "restore"}),
    "quan_tri": frozenset(
        {"view", "whatif", "download", "upload", "restore", "save_targets", "manage_users", "read_audit"}
    ),
}


class PermissionDenied(PermissionError):
    """The actor's role does not allow the action (Vietnamese message)."""


class AccountRefused(PermissionDenied):
    """A write refused by :func:`data_access.auth.require_account`: the stored account (or session) no
    longer allows it. ``reason`` is ``permission``, ``removed``, ``role``, ``ended``, ``idle``,
    ``demo_over`` or ``demo_forbidden``; the refusal is audited once the write's transaction is undone."""

    def __init__(
        self, message: str, *, username: str, action: str, reason: str, via: str, session: str | None
    ):
        super().__init__(message)
        self.username = username
        self.action = action
        self.reason = reason
        self.via = via
        self.session = session


@dataclass(frozen=True)
class Actor:
    """Who acts: a signed-in user, the command line, or the open demo mode."""

    username: str
    role: str
    via: str = "web"  # web | cli | demo | oidc | external
    #: The sha256 of the web session's token (:mod:`data_access.sessions`) the actor was resumed from: a write
    #: checks that this session is still open and not idle. Not part of the actor's identity (equality).
    session: str | None = field(default=None, compare=False, repr=False)

    def can(self, action: str) -> bool:
        return action in PERMISSIONS.get(self.role, frozenset())


#: The command line is run by whoever holds the database: it may do everything.
def cli_actor(username: str = "cli") -> Actor:
    return Actor(username or "cli", "quan_tri", "cli")


#: Open demo mode (no user yet): sees every dashboard page and may upload, as the office does, but may
#: neither manage users nor save official targets; those need a real administrator.
DEMO_ACTOR = Actor(T.DEMO_USER, "van_phong", "demo")


def require(actor: Actor | None, action: str) -> Actor:
    """Return ``actor`` when it may do ``action``; raise :class:`PermissionDenied` otherwise."""
    if actor is None or not actor.can(action):
        who = (
            T.NOT_SIGNED_IN
            if actor is None
            else T.WHO_ACCOUNT.format(username=actor.username, role=ROLES.get(actor.role, actor.role))
        )
        raise PermissionDenied(T.NO_PERMISSION.format(who=who, action=T.ACTIONS.get(action, action)))
    return actor


def role_from_claims(claims: Mapping[str, Any], config: Mapping[str, Any]) -> str | None:
    """The role of an OIDC user from ``[roles]`` in secrets.

    ``config`` may name a ``claim`` whose value (a string or a list) holds a role name, and/or list
    e-mail addresses per role (``quan_tri = ["a@x.vn"]``); the most powerful matching role wins.
    """
    found: set[str] = set()
    claim = config.get("claim")
    if claim and claim in claims:
        value = claims[claim]
        values = value if isinstance(value, list | tuple) else [value]
        found.update(str(v) for v in values if str(v) in ROLES)
    email = str(claims.get("email", "")).strip().casefold()
    for role in ROLES:
        listed = config.get(role) or []
        if email and email in {str(e).strip().casefold() for e in listed}:
            found.add(role)
    for role in ("quan_tri", "van_phong", "lanh_dao"):
        if role in found:
            return role
    return None
