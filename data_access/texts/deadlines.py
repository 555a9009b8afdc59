"""The Vietnamese texts of the periodic reports' deadlines (``reporting.toml``, ``kpi.reporting``): the
Overview's line for the next report due and the file's errors."""

from __future__ import annotations

#: {title}: "Báo cáo Quý I/2024", {to}: the main recipient, {date}: dd/mm/yyyy, {left}: DAYS_LEFT…
DUE_LINE = "{title} gửi {to} trước {date} – {left}"
DAYS_LEFT = "còn {days} ngày"
DUE_TODAY = "hạn là hôm nay"
# ---- reporting.toml refused ----
FILE_NOT_FOUND = "Không tìm thấy tệp hạn báo cáo {path}"
FILE_UNREADABLE = "Tệp hạn báo cáo {path} không đọc được: {error}"
NO_REPORTS = "Tệp hạn báo cáo {path} không có mục [[report]] nào"
BAD_ENTRY = "Tệp hạn báo cáo {path}, mục [[report]] thứ {index}: {problem}"
MISSING_KEY = "thiếu khóa '{key}'"
BAD_KIND = "kind = '{value}' không hợp lệ; cần một trong: month, quarter, half, year"
BAD_NUMBER = "numbers có kỳ {value} không có trong một năm của loại kỳ {kind}"
BAD_DAY = "due_day = {value} không hợp lệ; cần một số từ 1 đến 31"
BAD_MONTH = "due_month = {value} không hợp lệ; cần một số nguyên từ -11 đến 12"
BAD_TEXT = "'{key}' phải là một chuỗi chữ không rỗng"
BAD_LIST = "'{key}' phải là một danh sách chuỗi chữ"
DUPLICATE_ID = "id = '{value}' đã dùng ở một mục trước"
