"""Texts of the directors' side: widgets, figures, tables, documents, the data notices, Khoảng cách, Xu hướng."""

from __future__ import annotations

DEPARTMENT = "Toàn Sở"
NO_YEAR_DATA = "Chưa có số liệu cho chỉ tiêu này trong năm."

# ---------------------------------------------------------------------------- the database and sources (ui.data)

OPENING_DATABASE = "Đang mở cơ sở dữ liệu…"
NO_CONNECTION = "Không kết nối được cơ sở dữ liệu: {error}"
#: Said wherever the database does not answer; the app reconnects by itself.
RETRY_LATER = "Vui lòng thử lại sau ít phút; trang sẽ tự kết nối lại khi cơ sở dữ liệu hoạt động."
CONNECTION_LOST = "Không kết nối được cơ sở dữ liệu ({error}). {retry}"
QUERY_FAILED = (
    "Lỗi khi truy vấn cơ sở dữ liệu ({error}). Vui lòng tải lại trang; "
    "nếu lỗi lặp lại, hãy báo quản trị hệ thống."
)
MAPPING_UNREADABLE = "{file}: không đọc được tệp ánh xạ ({reason})"
SYNC_MORE_ERRORS = " (và {n} lỗi khác)"
SYNC_ERRORS = "{n} lỗi, không lưu gì: "

# ---------------------------------------------------------------------------- notices, plan and sources (ui.widgets)

#: How the source line names where figures came from (upload kinds of data_access.store).
SOURCE_KINDS = {"import": "lần nhập", "restore": "khôi phục", "external": "đồng bộ"}
MORE_UPLOADS = " và {n} lần nhập khác"
SOURCE_LINE = ":material/description: Nguồn số liệu: {sources}"
NO_DATA_DIRECTOR = (
    "Chưa có số liệu nào trong cơ sở dữ liệu: số liệu hằng tháng chưa được nhập. Văn phòng Sở "
    "nhập số liệu; các trang sẽ hiển thị ngay khi có số liệu."
)
NO_DATA_UPLOADER = "Chưa có số liệu nào trong cơ sở dữ liệu. Hãy nhập tệp Excel số liệu hằng tháng."
TO_UPLOAD_PAGE = "Đến trang Nhập số liệu"
OPEN_UPLOAD_PAGE = "Mở trang “Nhập số liệu” (mục Văn phòng Sở) để nhập."
TARGETS_BROKEN = "Tệp chỉ tiêu có lỗi, chưa thể tính chỉ tiêu: {error}"
SCENARIO_BANNER = (
    "Đang xem theo **chỉ tiêu giả định** (trang Giả định chỉ tiêu), không phải chỉ tiêu "
    "chính thức trong kế hoạch. Tắt “Áp dụng cho toàn bộ trang” để trở lại."
)
# the year-plan notice: data_access/texts/plans.py (NO_OWN_PLAN, ONE_FILE_FOR_ALL)

# ---------------------------------------------------------------------------- the KPI cards (ui.widgets)

CHANGE_YTD = "lũy kế đến {month}"
CHANGE_FROM = "{change} so với {when}"
CARD_TARGET_SOURCE = "Nguồn chỉ tiêu: {source}"
TREND_LABEL = "Diễn biến theo tháng"
CARD_TREND = TREND_LABEL + ": {values}"
CARD_NO_DOSSIERS = "không phát sinh hồ sơ"
CARD_NO_DATA = "chưa có số liệu"
CARD_TARGET_REASON = "Chỉ tiêu {target} · {reason}"
CARD_TARGET_GAP = "Chỉ tiêu {target} · Chênh lệch {gap}"
CARD_SHORTFALL = "Còn thiếu <b>{shortfall}</b> hồ sơ ({counts})"
CARD_MET = "Đạt: {counts} hồ sơ"
#: A card of a KPI that counts procedures (``kind = "procedures"``): "còn thiếu 3 TTHC".
CARD_SHORTFALL_PROCEDURES = "Còn thiếu <b>{shortfall}</b> TTHC ({counts})"
CARD_MET_PROCEDURES = "Đạt: {counts} TTHC"
CARD_NO_PROCEDURES = "không có TTHC thuộc phạm vi"
GAPS_PROCEDURES = "Chỉ tiêu tính theo TTHC: theo đơn vị và lĩnh vực"
PROCEDURE_CARDS = "Chỉ tiêu tính theo thủ tục hành chính (TTHC)"
PROCEDURE_CARDS_NONE = "Đơn vị đã chọn không có TTHC nào trong danh mục, nên không có chỉ tiêu theo TTHC."
PROCEDURE_CARDS_NO_CATALOG = (
    "Chưa có danh mục TTHC áp dụng cho kỳ đã chọn, nên chưa tính được các chỉ tiêu theo TTHC. "
    "Văn phòng tải danh mục lên ở trang Nhập số liệu."
)
TO_PROCEDURES_PAGE = "Xem danh sách TTHC cần xử lý"
CARD_PROCEDURES_UNKNOWN = "{n} TTHC chưa có số liệu theo TTHC, không tính"
#: Under the cards: how the KPIs counting a stock are computed; ``{items}`` are DEFINITION_ITEMs.
DEFINITIONS = "Cách tính: {items}."
DEFINITION_ITEM = "**{label}** = {description}"
CARD_ROWS_MISSING = "Có {n} dòng chưa có số liệu, không tính"

# ---------------------------------------------------------------------------- charts (ui.figures, ui.print_charts)
# plotly templates: ``%{{x}}`` is plotly's placeholder once ``str.format`` has filled in the named ones

HEATMAP_HOVER = (
    "<b>{row}</b><br>{kpi}<br>Giá trị: {value} · Chỉ tiêu: {target}<br>"
    "Chênh lệch: {gap}<br>Còn thiếu: {shortfall} hồ sơ<br>{status}"
)
HEATMAP_SCALE = "Chênh lệch<br>(điểm %)"
DOSSIERS_NOUN = "hồ sơ"
PROCEDURES_NOUN = "TTHC"
BARS_HOVER = (
    "<b>{name}</b><br>{kpi}: {value} ({numerator}/{denominator})<br>"
    "Chỉ tiêu: {target} · Chênh lệch: {gap}<br>Còn thiếu: {shortfall} {noun} · {status}"
)
TARGET = "Chỉ tiêu"
TARGET_HOVER = "Chỉ tiêu: %{x:.1f} %<extra></extra>"
VALUE = "Giá trị"
BARS_AXIS = "Đạt được (%)<br>vạch đứng: chỉ tiêu"
IN_MONTH = "Trong tháng"
IN_MONTH_HOVER = "{when}: %{{y:.1f}} %<extra>Trong tháng</extra>"
YTD = "Lũy kế từ đầu năm"
YTD_HOVER = "{when}: %{{y:.1f}} %<extra>Lũy kế</extra>"
ROADMAP = "Chỉ tiêu (lộ trình)"
ROADMAP_HOVER = "{when}: chỉ tiêu %{{y:.1f}} %<extra></extra>"
PROJECTION = "Dự báo cuối năm"
PROJECTION_HOVER = "{when}: dự báo %{{y:.1f}} %<br>{note}<extra></extra>"
PLAN_SHORTFALL = "Theo kế hoạch"
SCENARIO_SHORTFALL = "Theo giả định"
SHORTFALL_HOVER = "%{{x}}<br>{name}: %{{y:,}} hồ sơ<extra></extra>"
SHORTFALL_AXIS = "Còn thiếu (hồ sơ) – {label}"

# ---------------------------------------------------------------------------- table columns (ui.tables, ui.exports)

COL_NUMERATOR = "Tử số (hồ sơ)"
COL_DENOMINATOR = "Mẫu số (hồ sơ)"
COL_VALUE = "Đạt được"
COL_TARGET = "Chỉ tiêu"
COL_TARGET_SET = "Chỉ tiêu đặt ra"
COL_KPI = "Chỉ tiêu"
COL_GAP = "Chênh lệch"
COL_SHORTFALL = "Còn thiếu (hồ sơ)"
COL_STATUS = "Đánh giá"
COL_ROWS_MISSING = "Dòng chưa có số liệu"
COL_UNIT = "Đơn vị"
COL_FIELD = "Lĩnh vực"
COL_PROCEDURE_CODE = "Mã TTHC"
COL_PROCEDURE_NAME = "Tên TTHC"
COL_CHANGE = "So với tháng trước"
COL_WORST_FIELD = "Lĩnh vực thiếu nhiều nhất"
COL_MONTH = "Tháng"
COL_YTD = YTD
COL_ROADMAP = ROADMAP
NO_PROCEDURE_CODE = "(không theo TTHC)"
NO_PROCEDURE_NAME = "Các hồ sơ không tách theo TTHC"

# ---------------------------------------------------------------------------- documents (ui.exports)

SCENARIO_NOTE = (
    "Lưu ý: số liệu được đánh giá theo chỉ tiêu giả định (trang Giả định chỉ tiêu), "
    "không phải chỉ tiêu chính thức trong kế hoạch."
)
DOC_PLAN = "Kế hoạch: {name}"
DOC_PLAN_YEAR = " (năm {year})"
DOC_PERIOD = "Kỳ báo cáo: {period}"
DOC_SCOPE = "Phạm vi: {scope}"
DOC_SOURCES = "Nguồn số liệu: {sources}"
DOC_EXPORTED = "Xuất lúc: {time}"
DOWNLOAD_XLSX = "Tải Excel"
DOWNLOAD_PDF = "Tải PDF"
# Tổng quan
OVERVIEW_BELOW = "{n}/{total} chỉ tiêu chưa đạt."
OVERVIEW_ALL_MET = "Tất cả chỉ tiêu có số liệu đều đạt."
OVERVIEW_RESULTS = "Kết quả các chỉ tiêu"
OVERVIEW_SHEET = "Chỉ tiêu"
ATTENTION = "Cần chú ý"
ATTENTION_NONE = "Cần chú ý: không có đơn vị nào thiếu hồ sơ so với chỉ tiêu."
OVERVIEW_DOC = "Tổng quan – {plan}"
# Khoảng cách
GAPS_DOC_SCOPE = "Toàn Sở (theo đơn vị)"
GAPS_DOC_CHART = "{kpi}: giá trị đạt được (cột, màu theo đánh giá) và chỉ tiêu (vạch)."
GAPS_DOC = "Khoảng cách – {title}"
# Xu hướng
TRENDS_DOC_CHART = "{label}: giá trị từng tháng và chỉ tiêu theo lộ trình (nét đứt)."
YEAR_UNTIL = "Năm {year}, đến {month}"
TRENDS_DOC = "Xu hướng – {scope}"
# Giả định chỉ tiêu
WHATIF_MOVED = "{label}: chỉ tiêu kế hoạch {base} → giả định {scenario}."
WHATIF_NONE = "Chưa có giả định: mọi chỉ tiêu đang bằng kế hoạch."
WHATIF_HEAD = "{head}: kế hoạch và giả định"
WHATIF_BY_UNIT = "Theo đơn vị"
WHATIF_DOC = "Giả định chỉ tiêu – so sánh với kế hoạch"

# ---------------------------------------------------------------------------- page Khoảng cách

GAPS_TITLE = "Khoảng cách theo đơn vị và lĩnh vực"
GAPS_CAPTION = "{filters} · Màu theo chênh lệch so với chỉ tiêu (điểm %); số trong ô là giá trị đạt được."
GAPS_KPI = "Chỉ tiêu"
GAPS_BY_UNIT = "**Theo đơn vị** – {label}"
GAPS_BY_FIELD = "**Theo lĩnh vực** – {label} (toàn Sở)"
GAPS_DRILL = "Đi sâu"
GAPS_UNIT = "Đơn vị"
GAPS_UNIT_PLACEHOLDER = "Chọn đơn vị để xem lĩnh vực"
GAPS_FIELD = "Lĩnh vực"
GAPS_FIELD_PLACEHOLDER = "Chọn lĩnh vực để xem thủ tục"
GAPS_TABLE_UNITS = "{label} – các đơn vị"
GAPS_TABLE_FIELDS = "{label} – {unit}: các lĩnh vực"
GAPS_TABLE_PROCEDURES = "{label} – {unit} – {field}: các thủ tục"

# ---------------------------------------------------------------------------- page Xu hướng

TRENDS_TITLE = "Xu hướng"
TRENDS_KPIS = "Chỉ tiêu"
TRENDS_KPIS_PLACEHOLDER = "Chọn chỉ tiêu"
TRENDS_UNITS = "So sánh đơn vị"
TRENDS_UNITS_PLACEHOLDER = "{scope} (chọn đơn vị để so sánh)"
TRENDS_COMPARE = "So sánh {n} đơn vị"
TRENDS_CAPTION = YEAR_UNTIL + " · **{scope}** · đường nét đứt: chỉ tiêu theo lộ trình của từng tháng."
TRENDS_CHOOSE = "Chọn ít nhất một chỉ tiêu."
TRENDS_DECEMBER = (
    ":material/insights: Dự báo cuối năm: tháng 12 là tháng cuối năm, không còn tháng nào để "
    "dự báo; số liệu dưới đây là kết quả cả năm {year}."
)
OUTLOOK_JUDGED = "so với chỉ tiêu {target} – {status}"
OUTLOOK_YEAR = "Kết quả cả năm {year}: {ytd} {judged}"
OUTLOOK_YEAR_SHORT = ", còn thiếu {n} hồ sơ"
OUTLOOK_SO_FAR = "Lũy kế đến nay {ytd}; dự báo tháng 12: {projected} {judged}"
OUTLOOK_NEED = ", cần thêm khoảng {n} hồ sơ"

# ---------------------------------------------------------------------------- page Tổng quan

OVERVIEW_TITLE = "Tổng quan"
OVERVIEW_FARTHEST = (
    "**{below}/{total} chỉ tiêu chưa đạt.** Xa nhất: *{label}* {value} so với chỉ tiêu {target} "
    "({gap}, còn thiếu {shortfall} hồ sơ)."
)
ATTENTION_UNIT_HELP = "Tên viết tắt theo danh mục đơn vị"
ATTENTION_FIELD_HELP = "Lĩnh vực còn thiếu nhiều hồ sơ nhất của cặp này (số hồ sơ còn thiếu)"
ATTENTION_PAIRS = "Các cặp (đơn vị, chỉ tiêu) còn thiếu nhiều hồ sơ nhất so với chỉ tiêu."
ATTENTION_OF_UNIT = "Các chỉ tiêu của {unit} còn thiếu nhiều hồ sơ nhất, theo lĩnh vực."
ATTENTION_NO_UNIT = "Không có đơn vị nào thiếu hồ sơ so với chỉ tiêu."
TO_GAPS_PAGE = "Xem chi tiết theo đơn vị, lĩnh vực, thủ tục"

# ---------------------------------------------------------------------------- shown tables (ui.table_view)

FULL_NAMES = "Tên đầy đủ: {names}"

# ---------------------------------------------------------------------------- periods (quarters, half years, years)

#: Xu hướng: what the series goes by (``kpi.series.SERIES_KINDS`` that the page offers).
TRENDS_BY = "Xem theo"
TRENDS_BY_LABELS = {"month": "Tháng", "quarter": "Quý", "year": "Năm"}
#: ``{by}``: "quý" / "năm"; ``{first}``, ``{last}``: the periods' names.
TRENDS_PERIODS_CAPTION = (
    "Theo {by}, từ {first} đến {last} · **{scope}** · đường nét đứt: chỉ tiêu của tháng cuối mỗi kỳ."
)
TRENDS_BY_NOUN = {"quarter": "quý", "year": "năm"}
TRENDS_NO_PROJECTION = (
    ":material/insights: Dự báo cuối năm chỉ có khi xem theo tháng: dự báo tính trong một năm, "
    "từ lũy kế đến tháng cuối của kỳ đã chọn."
)
NO_PERIOD_DATA = "Chưa có số liệu cho chỉ tiêu này trong các kỳ."
IN_PERIOD = "Trong kỳ"
IN_PERIOD_HOVER = "%{x}: %{y:.1f} %<extra>Trong kỳ</extra>"
PERIOD_TARGET = "Chỉ tiêu (tháng cuối kỳ)"
PERIOD_TARGET_HOVER = "%{x}: %{y:.1f} %<extra>Chỉ tiêu</extra>"
COL_PERIOD = "Kỳ"
TRENDS_DOC_PERIOD_CHART = "{label}: giá trị từng kỳ và chỉ tiêu của tháng cuối mỗi kỳ (nét đứt)."
#: The year-to-date month view of a period: ``{period}`` its name (the months shown are its year's).
TRENDS_MONTHS_OF = "Kỳ đã chọn: {period}."
#: The cards' sparkline of a quarter, a half year, a year: the periods of that kind up to it.
CARD_TREND_BY = {
    "quarter": "Diễn biến theo quý: {values}",
    "half": "Diễn biến theo 6 tháng: {values}",
    "year": "Diễn biến theo năm: {values}",
}
