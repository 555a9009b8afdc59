"""Texts of the page "Thủ tục hành chính": the procedure KPIs' lists, a procedure's trend, the catalog
(danh mục TTHC), its versions and changes, and the procedures in figures but not in the catalog."""

from __future__ import annotations

TITLE = "Thủ tục hành chính"
CAPTION = (
    "{filters}. Danh sách TTHC thuộc phạm vi từng chỉ tiêu đếm theo TTHC, TTHC cần xử lý ở đầu danh sách."
)

# ---------------------------------------------------------------------------- the KPI and the list

KPI = "Chỉ tiêu theo TTHC"
FIELD = "Lĩnh vực"
ALL_FIELDS = "Tất cả lĩnh vực"
NO_PROCEDURE_KPIS = (
    'Kế hoạch chỉ tiêu đang áp dụng chưa có chỉ tiêu nào đếm theo TTHC (kind = "procedures" trong '
    "tệp chỉ tiêu)."
)
NO_CATALOG = (
    "Chưa có danh mục TTHC áp dụng cho {month}: chưa thể lập danh sách TTHC. Văn phòng Sở nhập danh mục "
    "ở trang Nhập số liệu hoặc bằng lệnh `python -m data_access catalog import`."
)
KPI_LINE = "**{label}**: {value} (đạt {numerator}/{denominator} TTHC), chỉ tiêu {target}."
KPI_LINE_NO_VALUE = "**{label}**: chưa tính được ({reason}), chỉ tiêu {target}."
KPI_NO_SCOPE = "không có TTHC thuộc phạm vi"
KPI_NO_DATA = "chưa có số liệu theo TTHC"
SHORTFALL = " Còn thiếu {n} TTHC để đạt chỉ tiêu."
#: "Còn 7 TTHC chưa có hồ sơ trực tuyến: …" — the procedures not counted, named.
NOT_COUNTED = "Còn {n} TTHC {what}: {names}."
NOT_COUNTED_MORE = "{names} và {n} TTHC khác"
NOT_COUNTED_DEFAULT = "chưa đạt"
ALL_COUNTED = "Tất cả {n} TTHC thuộc phạm vi đều đạt."
UNKNOWN_LEFT_OUT = "{n} TTHC chưa có số liệu theo TTHC: không tính vào chỉ tiêu (tử số và mẫu số)."
EMPTY_LIST = "Không có TTHC nào thuộc phạm vi chỉ tiêu với bộ lọc đang chọn."
LIST_HEADING = "Danh sách TTHC"

COL_CODE = "Mã TTHC"
COL_PROCEDURE = "TTHC"
PROCEDURE_CELL = "{code} – {name}"
COL_NAME = "Tên TTHC"
COL_UNIT = "Đơn vị"
COL_FIELD = "Lĩnh vực"
COL_LEVEL = "Mức độ DVCTT"
COL_COUNTED = "Được tính"
COL_REASON = "Lý do"
#: ``counted`` as the list says it (True / False / unknown).
COUNTED_YES = "Có"
COUNTED_NO = "Không"
COUNTED_UNKNOWN = "Chưa có số liệu"
LIST_SHEET = "Danh sách TTHC"
LIST_DOC = "Danh sách TTHC – {label}"
DOC_SUMMARY = "Thuộc phạm vi: {total} TTHC; được tính: {counted}; chưa được tính: {not_counted}; chưa có số liệu: {unknown}."
DOC_FIELD = "Lĩnh vực: {field}"

# ---------------------------------------------------------------------------- one procedure's trend

TREND_HEADING = "Diễn biến theo tháng của một TTHC"
TREND_PICK = "TTHC"
TREND_CAPTION = "Số liệu từng tháng năm {year} đến {month}; tháng chưa có số liệu theo TTHC để trống."
TREND_HOVER = "{column}<br>%{{x|T%-m/%Y}}: %{{y:,.0f}}<extra></extra>"
TREND_AXIS = "Hồ sơ"
TREND_NO_FIGURES = "TTHC này chưa có số liệu theo TTHC trong năm {year}."

# ---------------------------------------------------------------------------- the catalog

CATALOG_HEADING = "Danh mục TTHC"
TAB_CURRENT = "Danh mục đang áp dụng"
TAB_VERSIONS = "Các lần cập nhật và thay đổi"
TAB_NOT_IN_CATALOG = "Mã TTHC chưa có trong danh mục"
CATALOG_IN_FORCE = "Danh mục áp dụng cho {month}: lần cập nhật #{id}, áp dụng từ tháng {effective}, {n} TTHC."
CATALOG_SHOWN = "Đang hiển thị {shown}/{n} TTHC theo bộ lọc đơn vị và lĩnh vực."
NO_CATALOG_VERSIONS = "Chưa có danh mục TTHC nào được nhập."
COL_EFFECTIVE = "Áp dụng từ"
COL_FLAG_ELIGIBLE = "Đủ điều kiện toàn trình"
COL_FLAG_PORTAL = "Tích hợp Cổng DVCQG"
COL_FLAG_FEE = "Có phí, lệ phí"
COL_FLAG_POSTAL = "Thực hiện qua BCCI"
#: The flags' headers on the page (the catalog file's headers in their tooltips).
FLAG_SHORT = {
    "full_online_eligible": "Đủ ĐK toàn trình",
    "on_national_portal": "Cổng DVCQG",
    "has_fee": "Phí, lệ phí",
    "postal_allowed": "Qua BCCI",
}
#: The figure columns' headers in the list on the page (the full names in their tooltips).
FIGURE_SHORT = {
    "received_new": "Tiếp nhận",
    "received_online": "Trực tuyến",
    "received_online_full": "Toàn trình",
    "received_online_partial": "Một phần",
    "received_postal": "Nhận BCCI",
    "returned_postal": "Trả BCCI",
    "payments_total": "Giao dịch",
    "payments_online": "TT trực tuyến",
}
FLAG_YES = "Có"
FLAG_NO = "Không"
FLAG_UNKNOWN = "Chưa rõ"

COL_VERSION = "Lần cập nhật"
COL_CREATED = "Thời điểm nhập"
COL_USER = "Người nhập"
COL_FILE = "Tệp"
COL_ROWS = "Số TTHC"
VERSION_LABEL = "#{id} – áp dụng từ {effective} ({n} TTHC)"
CHANGES_FROM = "Từ lần cập nhật"
CHANGES_TO = "Đến lần cập nhật"
CHANGES_NOTHING_BEFORE = "(chưa có danh mục)"
CHANGES_NONE = "Hai lần cập nhật có danh mục giống nhau."
CHANGES_SUMMARY = "Thêm {added}, bỏ {removed}, thay đổi {changed} TTHC."
COL_CHANGE = "Thay đổi"
COL_CHANGED_COLUMNS = "Cột thay đổi"
CHANGE_LABELS = {"added": "Thêm mới", "removed": "Bỏ khỏi danh mục", "changed": "Thay đổi"}

NOT_IN_CATALOG_NONE = "Mọi mã TTHC trong số liệu của kỳ đều có trong danh mục."
NOT_IN_CATALOG = (
    "{n} mã TTHC có trong số liệu của kỳ nhưng chưa có trong danh mục TTHC: số liệu của các mã này "
    "không được tính vào chỉ tiêu theo TTHC. Văn phòng Sở bổ sung danh mục."
)
COL_PERIOD = "Tháng"
