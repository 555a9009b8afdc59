"""Stored times as aware UTC (SQLite hands back naive datetimes); their text comes from :mod:`vnfmt`."""

from __future__ import annotations

import datetime as dt

from vnfmt import VN_TZ

__all__ = ["VN_TZ", "as_utc"]


def as_utc(value: dt.datetime) -> dt.datetime:
    """A stored time as an aware UTC datetime (SQLite hands back naive ones)."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
