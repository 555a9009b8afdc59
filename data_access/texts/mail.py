"""The Vietnamese texts of mailing a report (``data_access.mailer``): the message's subject and the
errors of the mail settings and of the SMTP server."""

from __future__ import annotations

#: {title}: "Báo cáo Tháng 3/2024" or the caller's, {unit}: UNIT_PART or "".
SUBJECT = "[{agency}] {title}{unit}"
SUBJECT_NO_AGENCY = "{title}{unit}"
UNIT_PART = " – {unit}"
DEFAULT_TITLE = "Báo cáo kết quả thực hiện các chỉ tiêu dịch vụ công trực tuyến kỳ {period}"
# ---- the settings ([mail] and [mail.recipients] of secrets.toml) ----
NO_MAIL_SECTION = "Chưa cấu hình gửi thư: thiếu mục [mail] trong secrets.toml (host, port, sender…)"
MAIL_KEY_MISSING = "Thiếu '{key}' trong mục [mail] của secrets.toml"
MAIL_PORT_BAD = "Cổng máy chủ thư [mail] port = '{value}' không hợp lệ (cần số từ 1 đến 65535)"
NO_RECIPIENTS = 'Chưa có người nhận: thêm danh sách [mail.recipients] {name} = ["..."] vào secrets.toml'
BAD_ADDRESS = "Địa chỉ thư không hợp lệ trong secrets.toml: '{value}'"
# ---- what happened ----
SENT = "Đã gửi {title} tới {count} người nhận"
SENT_PARTLY = "Đã gửi {title} tới {count} người nhận; máy chủ từ chối: {refused}"
SKIPPED = "Không gửi lại: {title} đã gửi lúc {at} với cùng số liệu (không có số liệu mới từ lần gửi trước)"
RETRY = " Chưa ghi là đã gửi; lần chạy sau sẽ gửi lại."
DOWN = "Không kết nối được máy chủ thư {host}:{port} ({error}): máy chủ không chạy hoặc sai địa chỉ, cổng."
TIMEOUT = "Máy chủ thư {host}:{port} không trả lời sau {seconds} giây."
DISCONNECTED = "Máy chủ thư {host}:{port} ngắt kết nối giữa chừng ({error})."
AUTH_FAILED = "Máy chủ thư {host}:{port} từ chối đăng nhập của '{user}': sai tên hoặc mật khẩu ({error})."
NO_STARTTLS = (
    "Máy chủ thư {host}:{port} không hỗ trợ STARTTLS; đặt starttls = false nếu đây là máy chủ nội bộ."
)
TLS_FAILED = "Không thiết lập được kết nối mã hóa với máy chủ thư {host}:{port} ({error})."
SENDER_REFUSED = "Máy chủ thư từ chối địa chỉ gửi '{sender}' ({error})."
ALL_REFUSED = "Máy chủ thư từ chối mọi người nhận: {refused}."
REFUSED = "Máy chủ thư {host}:{port} từ chối thư ({error})."
