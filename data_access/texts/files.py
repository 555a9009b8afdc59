"""The Vietnamese texts of reading and writing files: workbook checks and export formats."""

from __future__ import annotations

# ---- reading a workbook ----
#: The name of an upload that came without a file name.
UPLOAD_NAME = "tệp tải lên"
#: Details of the "not_excel" message.
EMPTY_FILE = "tệp rỗng"
NOT_XLSX = "nội dung không phải định dạng .xlsx"
#: Why a sheet's XML is refused (the detail of the "unreadable" message).
SHEET_DOCTYPE = "trang tính có khai báo DOCTYPE hoặc dấu '<' trong giá trị thuộc tính"
SHEET_UNCLOSED = "trang tính có chú thích hoặc khối CDATA không đóng"

# ---- writing a workbook ----
#: Excel's number format of a difference in percentage points.
POINTS_FORMAT = '+0.0" điểm %";-0.0" điểm %";0.0" điểm %"'
