"""Stored times as aware UTC, and the Vietnamese month and time text of the store's messages.

``vn_month`` and ``fmt_time`` are here only until the shared formatting module replaces them.
"""

from __future__ import annotations

import datetime as dt

VN_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")


def as_utc(value: dt.datetime) -> dt.datetime:
    """A stored time as an aware UTC datetime (SQLite hands back naive ones)."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def vn_month(period: str) -> str:
    """``YYYY-MM`` as ``MM/YYYY``."""
    return f"{period[5:]}/{period[:4]}"


def fmt_time(value: dt.datetime) -> str:
    """A stored time as ``HH:MM DD/MM/YYYY`` in Vietnam time."""
    return as_utc(value).astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")
