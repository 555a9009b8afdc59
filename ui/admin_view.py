"""The Quản trị page's tables in Vietnamese: the users and the audit trail, with a word for every
audit action and every detail key and value the app writes (an unknown one is shown as it is)."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from data_access.auth import ROLES
from data_access.texts import auth as AT
from ui.office_tables import text_columns
from ui.texts.office import (
    AUDIT_ACTIONS,
    AUDIT_DETAIL_KEYS,
    AUDIT_DETAIL_VALUES,
    AUDIT_RESULT,
    HEADER,
    NEVER_SIGNED_IN,
)
from vnfmt import MISSING, fmt_datetime

ACTIONS = {**AT.AUDIT_ACTIONS, **AUDIT_ACTIONS}
DETAIL_KEYS = {**AT.AUDIT_DETAIL_KEYS, **AUDIT_DETAIL_KEYS}
DETAIL_VALUES = {**AT.AUDIT_DETAIL_VALUES, **AUDIT_DETAIL_VALUES, **ROLES}
#: Keys whose values are ids or names, never words to translate ("user": "admin" stays "admin").
_LITERAL_KEYS = frozenset(
    {
        "user",
        "file",
        "files",
        "first_error",
        "page",
        "sha256",
        "unit",
        "upload_id",
        "from_upload",
        "previous_version",
    }
)

H = HEADER
USER_COLUMNS = text_columns(
    (H["username"], 120),
    (H["full_name"], 180),
    (H["role"], 165),
    (H["created"], 115),
    (H["last_login"], 140),
    (H["locked_until"], 110, False),
    (H["failed"], 80, False),
)
AUDIT_COLUMNS = text_columns(
    (H["time"], 120), (H["actor"], 140), (H["action"], 150), (H["result"], 95), (H["detail"], 460)
)


def _value(key: str, value: object) -> str:
    if isinstance(value, list):
        return ", ".join(_value(key, v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{DETAIL_KEYS.get(k, k)} {_value(k, v)}" for k, v in value.items())
    if value is None:
        return MISSING
    if key in _LITERAL_KEYS:
        return f"#{value}" if key in ("upload_id", "from_upload") else str(value)
    if key == "period" and isinstance(value, str) and len(value) == 7:
        return f"{value[5:]}/{value[:4]}"
    return DETAIL_VALUES.get(str(value), str(value))


def detail_text(detail: str | None) -> str:
    """An audit row's detail (JSON) in Vietnamese: ``lý do: sai mật khẩu, số lần sai liên tiếp: 2``."""
    try:
        data = json.loads(detail or "{}")
    except ValueError:
        return str(detail)
    if not isinstance(data, dict):
        return str(data)
    return ", ".join(f"{DETAIL_KEYS.get(k, k)}: {_value(k, v)}" for k, v in data.items())


def _when(value: object) -> str:
    """A stored time as the pages write it; "" when there is none (None, NaT)."""
    return fmt_datetime(value) if isinstance(value, dt.datetime) and not pd.isna(value) else ""


def audit_view(log: pd.DataFrame) -> pd.DataFrame:
    """The audit trail as shown (and downloaded): Thời gian, Người thực hiện, Hành động, Kết quả, Chi tiết."""
    return pd.DataFrame(
        {
            H["time"]: log["at"].map(_when),
            H["actor"]: log["username"],
            H["action"]: log["action"].map(lambda a: ACTIONS.get(a, a)),
            H["result"]: log["success"].map(AUDIT_RESULT),
            H["detail"]: log["detail"].map(detail_text),
        }
    )


def users_view(users: pd.DataFrame) -> pd.DataFrame:
    """The users as shown: user name, full name ("" when not given), role, times, lock and failures."""
    return pd.DataFrame(
        {
            H["username"]: users["username"],
            H["full_name"]: [n if isinstance(n, str) else "" for n in users["full_name"]],
            H["role"]: users["role"].map(lambda r: ROLES.get(r, r)),
            H["created"]: users["created_at"].map(_when),
            H["last_login"]: [_when(d) or NEVER_SIGNED_IN for d in users["last_login_at"]],
            H["locked_until"]: users["locked_until"].map(_when),
            H["failed"]: [str(int(n)) if n else "" for n in users["failed_attempts"]],
        }
    )
