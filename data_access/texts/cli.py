"""The Vietnamese texts of the command lines (``python -m data_access`` and the shared argparse parts)."""

from __future__ import annotations

# ---- argparse's own messages ----
#: argparse's message ids (``_('…')`` in Python 3.11's ``argparse.py``) that a user can meet.
MESSAGES_VI: dict[str, str] = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "tham số bắt buộc",
    "options": "tùy chọn",
    "subcommands": "lệnh",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "show program's version number and exit": "hiện số phiên bản rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "unrecognized arguments: %s": "không nhận ra tham số: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "giá trị không hợp lệ: %(value)r (chọn một trong: %(choices)s)",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "không có lệnh %(parser_name)r (chọn một trong: %(choices)s)",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ (%(type)s): %(value)r",
    "expected one argument": "cần một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "not allowed with argument %s": "không dùng được cùng với %s",
    "ignored explicit argument %r": "tùy chọn này không nhận giá trị %r",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn viết tắt chưa rõ: %(option)s có thể là %(matches)s",
    "unexpected option string: %s": "tùy chọn không đúng chỗ: %s",
    "can't open '%(filename)s': %(error)s": "không mở được '%(filename)s': %(error)s",
}
#: ``ngettext`` ids (singular form) → Vietnamese, which has no plural form.
PLURAL_MESSAGES_VI: dict[str, str] = {"expected %s argument": "cần %s giá trị"}
USAGE_ERROR = "Lỗi cú pháp lệnh"
SEE_HELP = "Xem hướng dẫn: {prog} -h"

# ---- options shared by the commands ----
DB_HELP = "SQLAlchemy URL của cơ sở dữ liệu (mặc định: DATABASE_URL hoặc data/dashboard.db)"
NOT_AN_INTEGER = "'{text}' không phải là số nguyên"
FORMAT_HELP = "dạng kết quả: {choices} (mặc định: table)"

# ---- python -m data_access: commands, arguments and their help ----
PROG_DESCRIPTION = "Nhập và tra cứu số liệu DVCTT"
COMMAND_METAVAR = "LỆNH"
COMMAND_HELP = "một trong các lệnh sau"
IMPORT_HELP = "nhập một hoặc nhiều tệp Excel (một giao dịch)"
FILES_METAVAR = "TỆP"
FILES_HELP = "tệp Excel (.xlsx) theo mẫu, biểu II.06a hoặc danh sách hồ sơ của hệ thống một cửa"
UNIT_METAVAR = "ĐƠN_VỊ"
IMPORT_UNIT_HELP = "đơn vị của báo cáo theo lĩnh vực (biểu II.06a)"
USER_METAVAR = "TÊN"
IMPORT_USER_HELP = "người nhập (ghi vào lịch sử)"
HISTORY_HELP = "liệt kê các lần nhập"
RESTORE_HELP = "khôi phục số liệu một tháng, một đơn vị từ lần nhập cũ"
UPLOAD_ID_METAVAR = "MÃ_LẦN_NHẬP"
UPLOAD_ID_HELP = "số # của lần nhập cũ (xem lệnh history)"
RESTORE_PERIOD_HELP = "tháng cần khôi phục (vd. 2024-06)"
RESTORE_UNIT_HELP = "đơn vị cần khôi phục (tên theo danh mục)"
RESTORE_USER_HELP = "người khôi phục (ghi vào lịch sử)"
SYNC_HELP = "đồng bộ số liệu từ nguồn ngoài (bảng/view theo tệp ánh xạ)"
MAPPING_HELP = "tệp ánh xạ (mặc định: FIGURES_SOURCE hoặc [figures_source] trong secrets)"
CHECK_HELP = "chỉ kiểm tra ánh xạ và số liệu nguồn, không lưu"
SETTINGS_HELP = "liệt kê các thiết lập, giá trị hiện tại và nguồn của chúng"
USERS_HELP = "quản lý tài khoản đăng nhập (bcrypt)"
#: The ``users`` subcommands and their help, in menu order.
USERS_COMMANDS: dict[str, str] = {
    "add": "thêm tài khoản",
    "passwd": "đổi mật khẩu",
    "remove": "xóa tài khoản",
    "list": "liệt kê tài khoản",
}
USERNAME_METAVAR = "TÊN_ĐĂNG_NHẬP"
USERNAME_HELP = "tên đăng nhập của tài khoản"
ROLE_HELP = "vai trò: {roles}"
FULL_NAME_METAVAR = "HỌ_TÊN"
FULL_NAME_HELP = 'họ tên của người dùng, vd. "Nguyễn Thị Lan" (--name: tên cũ của tùy chọn)'
PASSWORD_STDIN_HELP = "đọc mật khẩu từ dòng đầu của đầu vào chuẩn (không hỏi)"
USERS_USER_HELP = "người thực hiện (ghi vào nhật ký)"

# ---- python -m data_access: what the commands print ----
ERROR_LINE = "LỖI: {error}"
DATABASE_ERROR = "LỖI: cơ sở dữ liệu: {error}"
PASSWORD_PROMPT = "Mật khẩu: "
PASSWORD_AGAIN = "Nhập lại mật khẩu: "
PASSWORDS_DIFFER = "Hai lần nhập mật khẩu không khớp"
USER_ADDED = "Đã thêm tài khoản '{username}' ({role})"
PASSWORD_CHANGED = "Đã đổi mật khẩu của '{username}'"
USER_REMOVED = "Đã xóa tài khoản '{username}'"
NO_USERS = "Chưa có tài khoản nào (ứng dụng đang ở chế độ dùng thử, không cần đăng nhập)."
REFUSED = "Từ chối: {n} lỗi; không có số liệu nào được lưu."
FILE_NOT_FOUND = "LỖI: {file}: không tìm thấy tệp"
IMPORTED = "{file}: tháng {months}; {rows} dòng; lần nhập #{upload}"
IMPORTED_DOSSIERS = "{file}: danh sách {dossiers} hồ sơ, tháng {months}, {units} đơn vị; {rows} dòng số liệu; lần nhập #{upload}"
NO_HISTORY = "Chưa có lần nhập nào."
#: The state of an upload in ``history``.
UPLOAD_STATES: dict[str, str] = {"active": "đang dùng", "partly": "dùng một phần", "replaced": "đã thay thế"}
HISTORY_TIME = "thời gian (UTC)"
HISTORY_USER = "người nhập"
HISTORY_ROWS = "dòng"
HISTORY_STATE = "trạng thái"
HISTORY_REST = "tệp / tháng / sha256"
BAD_PERIOD = "Lỗi cú pháp lệnh: --period '{period}' không hợp lệ, cần YYYY-MM (vd. 2024-06)"
RESTORED = "Đã khôi phục tháng {month} của '{unit}' từ lần nhập #{upload} (lần nhập mới #{new}, {rows} dòng)"
NO_SOURCE = (
    "Lỗi cú pháp lệnh: chưa cấu hình nguồn số liệu ngoài (--mapping, FIGURES_SOURCE "
    "hoặc [figures_source] mapping trong .streamlit/secrets.toml)"
)
SYNC_CHECKED = "{label}: hợp lệ; tháng {months}; {rows} dòng (chưa lưu)"
SYNC_UNCHANGED = "{label}: không có gì mới (đã đồng bộ: tháng {months}; {rows} dòng)"
SYNCED = "{label}: tháng {months}; {rows} dòng; lần nhập #{upload}"
#: Where a setting's value comes from, in ``settings``.
SETTING_SOURCES: dict[str, str] = {
    "cli": "dòng lệnh",
    "env": "biến môi trường",
    "secrets": "secrets.toml",
    "default": "mặc định",
}
SETTINGS_NAME = "thiết lập"
SETTINGS_ENV = "biến môi trường"
SETTINGS_SOURCE = "nguồn"
SETTINGS_VALUE = "giá trị"
SETTING_NONE = "(không có)"
SETTING_ON = "bật"
SETTING_OFF = "tắt"
