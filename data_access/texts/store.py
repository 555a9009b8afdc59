"""The Vietnamese texts of the store: its refusals, the notes it writes and the names it records."""

from __future__ import annotations

# ---- refusals ----
NO_CONNECTION = "Không kết nối được cơ sở dữ liệu: {error}"
NOT_SAVABLE = "Không thể lưu: tệp còn lỗi"
NOTHING_TO_RESTORE = "Lần nhập #{upload} không có số liệu nào để khôi phục"
PART_NOT_HELD = "Lần nhập #{upload} không có số liệu tháng {month} của '{unit}'"

# ---- notes of a restore (the history shows them) ----
RESTORE_ONE = "{month} – {unit}"
RESTORE_MANY = "{n} tháng × đơn vị"
RESTORE_NOTE = "Khôi phục {what} từ lần nhập #{upload}"

# ---- names recorded as the user of an upload ----
SAMPLE_USER = "dữ liệu mẫu"
