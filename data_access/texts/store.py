"""The Vietnamese texts of the store: its refusals, the notes it writes and the names it records."""

from __future__ import annotations

# ---- refusals ----
NO_CONNECTION = "Không kết nối được cơ sở dữ liệu: {error}"
#: A statement ran or waited for a lock past DB_TIMEOUT_SECONDS.
TIMED_OUT = (
    "Cơ sở dữ liệu không trả lời trong {seconds} giây (đang bận hoặc bị khóa bởi một thao tác khác); "
    "không có gì bị thay đổi"
)
#: The failures with a message of their own (data_access.store.engine.failure_kind).
FAILURES = {
    "full": (
        "Không ghi được vào cơ sở dữ liệu: ổ đĩa (hoặc hạn mức lưu trữ) đã đầy. Số liệu đã lưu vẫn "
        "nguyên vẹn; hãy báo quản trị hệ thống giải phóng dung lượng"
    ),
    "read_only": (
        "Không ghi được vào cơ sở dữ liệu: cơ sở dữ liệu đang ở chế độ chỉ đọc (quyền ghi tệp hoặc "
        "máy chủ chỉ đọc). Số liệu đã lưu vẫn nguyên vẹn; hãy báo quản trị hệ thống"
    ),
    "schema_gone": (
        "Cơ sở dữ liệu đã bị xóa hoặc tạo lại rỗng trong khi ứng dụng đang chạy; cấu trúc bảng sẽ "
        "được tạo lại ở lần tải trang tiếp theo"
    ),
}
NOT_SAVABLE = "Không thể lưu: tệp còn lỗi"
NOTHING_TO_RESTORE = "Lần nhập #{upload} không có số liệu nào để khôi phục"
PART_NOT_HELD = "Lần nhập #{upload} không có số liệu tháng {month} của '{unit}'"

# ---- notes of a restore (the history shows them) ----
RESTORE_ONE = "{month} – {unit}"
RESTORE_MANY = "{n} tháng × đơn vị"
RESTORE_NOTE = "Khôi phục {what} từ lần nhập #{upload}"

# ---- names recorded as the user of an upload ----
SAMPLE_USER = "dữ liệu mẫu"
