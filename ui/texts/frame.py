"""Texts of the app frame: the entry file, the page registry, the shared filters, sign-in and sessions."""

from __future__ import annotations

# ---------------------------------------------------------------------------- the entry file (app.py)

PAGE_TITLE = "DVCTT – Sở GD&ĐT"
DEMO_BANNER = (
    "Chế độ dùng thử — chưa bật đăng nhập: chưa có tài khoản nào, nên bất kỳ ai mở được trang này đều xem "
    "và **nhập được số liệu**. Tạo tài khoản quản trị đầu tiên bằng lệnh "
    "`python -m data_access users add …` (xem README); đặt `ALLOW_DEMO_MODE=0` để cấm chế độ này."
)
EXTERNAL_PROBLEM = (
    "Nguồn số liệu ngoài “{name}”: {problem}. Các trang dùng số liệu đã lưu ở lần đồng bộ trước."
)
SAMPLE_LOADED = "Cơ sở dữ liệu trống: đã nạp dữ liệu mẫu ({months} tháng)."

# ---------------------------------------------------------------------------- the page registry (menu)

SECTION_DASHBOARD = "Điều hành"
SECTION_OFFICE = "Văn phòng Sở"
MENU_OVERVIEW = "Tổng quan"
MENU_GAPS = "Khoảng cách"
MENU_TRENDS = "Xu hướng"
MENU_PROCEDURES = "Thủ tục hành chính"
MENU_WHATIF = "Giả định chỉ tiêu"
MENU_SCORES = "Điểm đánh giá"
MENU_UPLOAD = "Nhập số liệu"
MENU_ADMIN = "Quản trị"
REFUSED_TITLE = "Không có quyền truy cập"
REFUSED_MESSAGE = "Trang “{page}” không dành cho tài khoản của bạn. Chọn một trang trong danh sách bên trái."

# ---------------------------------------------------------------------------- the shared filters

MODE_MONTH_LABEL = "Trong tháng"
MODE_YTD_LABEL = "Lũy kế từ đầu năm"
YTD_RANGE = "Lũy kế tháng 1–{month}/{year}"
FILTERS_HEADER = "**Bộ lọc**"
FILTER_YEAR = "Năm"
FILTER_MONTH = "Tháng"
FILTER_MODE = "Phạm vi"
FILTER_UNIT = "Đơn vị"
ALL_UNITS_LABEL = "Toàn Sở (tất cả đơn vị)"

# ---------------------------------------------------------------------------- sign-in and sessions

#: Why a session ended, as the sign-in form says it (keyed by ``data_access.sessions`` reasons).
SESSION_ENDED = {
    "idle": "Phiên làm việc đã hết hạn do không hoạt động. Vui lòng đăng nhập lại.",
    "removed": "Tài khoản của bạn không còn hiệu lực. Liên hệ quản trị.",
    "role": "Vai trò của tài khoản đã thay đổi. Vui lòng đăng nhập lại.",
    "password": "Mật khẩu của tài khoản đã được đổi. Vui lòng đăng nhập lại.",
}
SIGN_IN_TITLE = "Đăng nhập"
SIGN_IN_CAPTION = "Bảng điều khiển dịch vụ công trực tuyến – Sở Giáo dục và Đào tạo"
OIDC_NO_ROLE = "Tài khoản của bạn chưa được cấp quyền xem bảng điều khiển. Liên hệ quản trị."
SIGN_OUT = "Đăng xuất"
OIDC_SIGN_IN = "Đăng nhập bằng tài khoản cơ quan"
USERNAME = "Tên đăng nhập"
PASSWORD = "Mật khẩu"
SIGN_IN_BUTTON = "Đăng nhập"
USER_HELP = "Tên đăng nhập: {username}"
PAGE_REFUSED = "{reason}. Trang này không dành cho tài khoản của bạn."

# ---------------------------------------------------------------------------- the shared filters: periods

FILTER_KIND = "Kỳ báo cáo"
FILTER_PERIOD = "Kỳ"
KIND_MONTH_LABEL = "Tháng"
KIND_QUARTER_LABEL = "Quý"
KIND_HALF_LABEL = "6 tháng"
KIND_YEAR_LABEL = "Năm"
KIND_YTD_LABEL = "Lũy kế"
