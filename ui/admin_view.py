"""The Quản trị page's tables in Vietnamese: the users and the audit trail, with a word for every
audit action and every detail key and value the app writes (an unknown one is shown as it is)."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from data_access.auth import ROLES
from ui.office_tables import text_columns
from vnfmt import fmt_datetime

ACTIONS = {
    "sign_in": "Đăng nhập", "sign_out": "Đăng xuất", "session_resume": "Tiếp tục phiên",
    "upload": "Nhập số liệu", "restore": "Khôi phục", "external": "Đồng bộ nguồn ngoài",
    "save_targets": "Lưu chỉ tiêu", "user_add": "Thêm tài khoản", "user_remove": "Xóa tài khoản",
    "user_passwd": "Đổi mật khẩu", "user_role": "Đổi vai trò",
}
DETAIL_KEYS = {
    "reason": "lý do", "role": "vai trò", "failed": "số lần sai liên tiếp", "via": "qua", "user": "tài khoản",
    "old": "trước", "new": "sau", "upload_id": "lần nhập", "from_upload": "từ lần nhập", "period": "tháng",
    "unit": "đơn vị", "parts": "tháng × đơn vị", "file": "tệp", "sha256": "SHA-256", "months": "tháng",
    "rows": "số dòng", "previous_version": "bản trước", "source": "nguồn",
}
DETAIL_VALUES = {
    "bad_password": "sai mật khẩu", "unknown_user": "tên đăng nhập không có", "locked": "tài khoản đang khóa",
    "idle": "hết thời gian không hoạt động", "removed": "tài khoản đã bị xóa", "user": "người dùng đăng xuất",
    "role": "vai trò đã đổi", "password": "mật khẩu đã đổi", "unknown": "phiên không còn",
    "web": "trang web", "cli": "dòng lệnh", "demo": "chế độ dùng thử", "oidc": "tài khoản cơ quan",
    **ROLES,
}
#: Keys whose values are ids or names, never words to translate ("user": "admin" stays "admin").
_LITERAL_KEYS = frozenset({"user", "file", "sha256", "unit", "upload_id", "from_upload", "previous_version"})

USER_COLUMNS = text_columns(("Tên đăng nhập", 120), ("Họ tên", 180), ("Vai trò", 165), ("Tạo lúc", 115),
                            ("Đăng nhập gần nhất", 140), ("Khóa đến", 110, False), ("Số lần sai", 80, False))
AUDIT_COLUMNS = text_columns(("Thời gian", 120), ("Người thực hiện", 140), ("Hành động", 150),
                             ("Kết quả", 95), ("Chi tiết", 460))


def _value(key: str, value: object) -> str:
    if isinstance(value, list):
        return ", ".join(_value(key, v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{DETAIL_KEYS.get(k, k)} {_value(k, v)}" for k, v in value.items())
    if value is None:
        return "–"
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
    return pd.DataFrame({
        "Thời gian": log["at"].map(_when), "Người thực hiện": log["username"],
        "Hành động": log["action"].map(lambda a: ACTIONS.get(a, a)),
        "Kết quả": log["success"].map({True: "Thành công", False: "Thất bại"}),
        "Chi tiết": log["detail"].map(detail_text),
    })


def users_view(users: pd.DataFrame) -> pd.DataFrame:
    """The users as shown: user name, full name ("" when not given), role, times, lock and failures."""
    return pd.DataFrame({
        "Tên đăng nhập": users["username"],
        "Họ tên": [n if isinstance(n, str) else "" for n in users["full_name"]],
        "Vai trò": users["role"].map(lambda r: ROLES.get(r, r)),
        "Tạo lúc": users["created_at"].map(_when),
        "Đăng nhập gần nhất": [_when(d) or "chưa đăng nhập" for d in users["last_login_at"]],
        "Khóa đến": users["locked_until"].map(_when),
        "Số lần sai": [str(int(n)) if n else "" for n in users["failed_attempts"]],
    })
