"""Vietnamese texts of ``python -m kpi procedures`` (the procedure list of one procedure KPI)."""

from __future__ import annotations

CLI_HELP = "danh sách TTHC thuộc phạm vi một chỉ tiêu đếm theo TTHC, TTHC nào được tính và vì sao"
CLI_DESCRIPTION = (
    'Liệt kê các TTHC thuộc phạm vi một chỉ tiêu đếm theo TTHC (kind = "procedures") trong một kỳ: '
    "TTHC nào được tính, TTHC nào chưa và vì sao, cùng số liệu của kỳ — như trang Thủ tục hành chính."
)
CLI_KPI_METAVAR = "CHỈ_TIÊU"
CLI_KPI_HELP = "mã chỉ tiêu đếm theo TTHC trong tệp chỉ tiêu, ví dụ online_procedures_with_dossiers"
CLI_UNIT_METAVAR = "ĐƠN_VỊ"
CLI_UNIT_HELP = "chỉ các TTHC do đơn vị này chủ trì (tên trong danh mục đơn vị)"
CLI_UNKNOWN_KPI = (
    "Không có chỉ tiêu đếm theo TTHC '{kpi}' trong tệp chỉ tiêu. Các chỉ tiêu đếm theo TTHC: {known}."
)
CLI_NO_PROCEDURE_KPIS = 'Tệp chỉ tiêu không có chỉ tiêu nào đếm theo TTHC (kind = "procedures").'
CLI_UNKNOWN_UNIT = "Không có đơn vị '{unit}' trong danh mục đơn vị."
CLI_UNKNOWN_UNIT_SUGGEST = "Không có đơn vị '{unit}' trong danh mục đơn vị. Có phải là '{suggestion}'?"
CLI_TITLE = "{label} — {span}"
CLI_TITLE_UNIT = "{label} — {unit} — {span}"
CLI_SUMMARY = "Thuộc phạm vi: {total} TTHC; được tính: {counted}; chưa được tính: {not_counted}; chưa có số liệu theo TTHC: {unknown}."
CLI_EMPTY = "Không có TTHC thuộc phạm vi chỉ tiêu."
CLI_HEADERS: dict[str, str] = {
    "procedure_code": "Mã TTHC",
    "procedure_name": "Tên TTHC",
    "unit": "Đơn vị",
    "field": "Lĩnh vực",
    "counted": "Được tính",
    "reason": "Lý do",
}
COUNTED_YES = "Có"
COUNTED_NO = "Không"
COUNTED_UNKNOWN = "Chưa có số liệu"
