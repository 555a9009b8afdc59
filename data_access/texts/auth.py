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
USERNAME_LOOKALIKE = (
    "Tên đăng nhập '{username}' trùng với tài khoản đã có '{existing}' "
    "(khác nhau chỉ ở chữ hoa/thường hoặc cách viết Unicode)"
)
USERNAME_INVISIBLE = (
    "Tên đăng nhập chứa ký tự ẩn hoặc ký tự điều khiển ({codes}); chỉ dùng chữ, số, dấu chấm, gạch nối"
)
USERNAME_TOO_LONG = "Tên đăng nhập dài quá {n} ký tự"
NO_SUCH_USER = "Không có tài khoản '{username}'"

# ---- sign-in ----
#: The one message of every failed sign-in (unknown user, wrong or too long password, locked account): it
#: does not tell which accounts exist or are locked.
SIGN_IN_BAD = (
    "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang tạm khóa "
    "(sau {n} lần nhập sai liên tiếp tài khoản bị khóa {minutes} phút)"
)
SIGN_IN_OK = "Đăng nhập thành công"

# ---- a write refused because the stored account no longer allows it ----
ACCOUNT_REFUSED = "Không thực hiện được việc {action}: {why}. Vui lòng đăng nhập lại."
#: Why, by the reason :func:`data_access.auth.require_account` finds.
ACCOUNT_REFUSED_WHY: dict[str, str] = {
    "removed": "tài khoản '{username}' không còn tồn tại",
    "role": "vai trò của tài khoản '{username}' đã thay đổi",
    "ended": "phiên làm việc đã kết thúc",
    "idle": "phiên làm việc đã hết hạn do không hoạt động",
    "demo_over": "chế độ dùng thử đã kết thúc vì đã có tài khoản",
    "demo_forbidden": "chế độ dùng thử đã bị tắt (ALLOW_DEMO_MODE=0)",
}

# ---- demo mode forbidden (ALLOW_DEMO_MODE=0) with no user yet ----
DEMO_FORBIDDEN_TITLE = "Chưa có tài khoản nào"
DEMO_FORBIDDEN = (
    "Cơ sở dữ liệu chưa có tài khoản nào và chế độ dùng thử đã bị tắt (ALLOW_DEMO_MODE=0), nên chưa ai "
    "mở được bảng điều khiển. Người quản trị máy chủ tạo tài khoản quản trị đầu tiên bằng lệnh dưới đây "
    "(lệnh hỏi mật khẩu hai lần), rồi tải lại trang này để đăng nhập."
)
DEMO_FORBIDDEN_COMMAND = 'python -m data_access users add admin --role quan_tri --full-name "Nguyễn Văn An"'

# ---- the audit trail's words for what this module writes (added to the admin page's) ----
AUDIT_ACTIONS = {"denied": "Từ chối thao tác", "upload_refused": "Tệp bị từ chối"}
AUDIT_DETAIL_KEYS = {
    "action": "thao tác",
    "page": "trang",
    "files": "tệp",
    "errors": "số lỗi",
    "first_error": "lỗi đầu tiên",
}
AUDIT_DETAIL_VALUES = {
    **ACTIONS,
    "password_too_long": "mật khẩu dài quá 72 byte",
    "permission": "vai trò không có quyền",
    "ended": "phiên đã kết thúc",
    "demo_over": "chế độ dùng thử đã kết thúc",
    "demo_forbidden": "chế độ dùng thử bị tắt",
    "in_flight": "quá nhiều lần thử cùng lúc",
}
