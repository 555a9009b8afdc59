"""The Vietnamese texts of the brief's buttons on the directors' pages (``ui.brief_buttons``) and of the
deadline line's button."""

from __future__ import annotations

BRIEF_HEADING = "Báo cáo tóm tắt"
BRIEF_CAPTION = (
    "Báo cáo {period} theo mẫu gửi Sở Nội vụ: bản Word để chỉnh sửa và ký, bản PDF để đọc và in, "
    "bản Excel với các bảng số liệu. So với kế hoạch chính thức (không áp dụng giả định chỉ tiêu)."
)
DOWNLOAD_DOCX = "Báo cáo Word"
DOWNLOAD_PDF = "Báo cáo PDF"
DOWNLOAD_XLSX = "Báo cáo Excel"
DUE_DOCX = "Lập {title} (Word)"
