"""The Vietnamese texts of users, roles, permissions and sign-in."""

from __future__ import annotations

# ---- roles and what they may do ----
ROLES: dict[str, str] = {
    "lanh_dao": "Lãnh đạo (Ban Giám đốc)",
    "van_phong": "Văn phòng Sở",
    "quan_tri": "Quản trị",
}
#: The actions a refusal names.
ACTIONS: dict[str, str] = {
    "upload": "nhập số liệu",
    "restore": "khôi phục số liệu",
    "save_targets": "lưu chỉ tiêu chính thức",
    "manage_users": "quản lý người dùng",
    "read_audit": "xem nhật ký",
    "view": "xem",
    "whatif": "giả định",
    "download": "tải về",
}
#: The user name of the open demo mode (shown in the audit trail).
DEMO_USER = "dùng thử"

# ---- refusals ----
NOT_SIGNED_IN = "Chưa đăng nhập"
WHO_ACCOUNT = "Tài khoản '{username}' ({role})"
NO_PERMISSION = "{who} không có quyền {action}"

# ---- user management ----
PASSWORD_TOO_SHORT = "Mật khẩu cần ít nhất {n} ký tự"
PASSWORD_TOO_LONG = "Mật khẩu dài quá 72 byte"
USERNAME_EMPTY = "Tên đăng nhập không được để trống"
ROLE_INVALID_CHOOSE = "Vai trò '{role}' không hợp lệ; chọn một trong: {roles}"
ROLE_INVALID = "Vai trò '{role}' không hợp lệ"
USERNAME_TAKEN = "Tên đăng nhập '{username}' đã có"
NO_SUCH_USER = "Không có tài khoản '{username}'"

# ---- sign-in ----
SIGN_IN_BAD = "Tên đăng nhập hoặc mật khẩu không đúng"
SIGN_IN_LOCKED = "Tài khoản tạm khóa do nhập sai nhiều lần; thử lại sau {minutes} phút"
SIGN_IN_OK = "Đăng nhập thành công"
SIGN_IN_NOW_LOCKED = "Sai {n} lần liên tiếp: tài khoản bị khóa {minutes} phút"
