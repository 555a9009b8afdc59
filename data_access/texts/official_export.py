"""The Vietnamese texts of the Biểu II.06a workbook the dashboard writes (``data_access.official_export``):
the same words as the provincial systems' export (``domain.md``), so the official reader reads it back."""

from __future__ import annotations

SHEET_NAME = "Bieu06a"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
#: The period line; {words}: "Tháng 6 năm 2024" or "Quý I năm 2024", {start}/{end}: dd/mm/yyyy.
PERIOD_LINE = "Kỳ báo cáo: {words} (Từ ngày {start} đến ngày {end})"
MONTH_WORDS = "Tháng {month} năm {year}"
QUARTER_WORDS = "Quý {roman} năm {year}"
HALF_WORDS = {1: "6 tháng đầu năm {year}", 2: "6 tháng cuối năm {year}"}
YEAR_WORDS = "Năm {year}"
UNIT_OF_COUNT = "Đơn vị tính: Số hồ sơ TTHC"
UNIT_LINE = "Đơn vị: {unit}"
# ---- the header (three rows, merged as the example) ----
COL_NUMBER = "STT"
COL_FIELD = "Lĩnh vực, công việc giải quyết theo cấp"
COL_UNIT = "Đơn vị"
RECEIVED = "Số hồ sơ nhận giải quyết"
RESULTS = "Kết quả giải quyết"
TOTAL = "Tổng số"
IN_PERIOD = "Trong kỳ"
FROM_BEFORE = "Từ kỳ trước"
ONLINE = "Trực tuyến"
DIRECT_POSTAL = "Trực tiếp, dịch vụ bưu chính"
RESOLVED = "Số hồ sơ đã giải quyết"
EARLY = "Trước hạn"
ON_TIME = "Đúng hạn"
LATE = "Quá hạn"
PENDING = "Số hồ sơ đang giải quyết"
IN_TIME = "Trong hạn"
TOTAL_ROW = "Tổng cộng"
# ---- below the table ----
PLACE_DATE = "{place}, ngày {day:02d} tháng {month} năm {year}"
MAKER = "NGƯỜI LẬP BIỂU"
HEAD = "THỦ TRƯỞNG ĐƠN VỊ"
# ---- errors (ValueError messages, shown by the CLI and the pages) ----
BAD_BY = "Cách lập biểu phải là 'field' (theo lĩnh vực) hoặc 'unit' (theo đơn vị), không phải '{by}'"
BAD_PERIOD = "Kỳ báo cáo '{period}' không hợp lệ: cần một tháng dạng YYYY-MM (hoặc một kỳ đã chọn)"
NO_FIGURES = "Kỳ {period} chưa có số liệu{unit}: không lập Biểu II.06a rỗng"
NO_FIGURES_UNIT = " của {unit}"
