"""The Vietnamese texts of the brief (báo cáo tóm tắt): its Word header, sections, tables and command."""

from __future__ import annotations

# ---- the administrative header (Nghị định 30/2020/NĐ-CP) ----
#: Defaults of the settings AGENCY_NAME / AGENCY_PLACE.
DEFAULT_AGENCY = "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
DEFAULT_PLACE = "Hải Phòng"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập – Tự do – Hạnh phúc"
#: The place and date line ({day}, {month} already padded as the decree says).
DATE_LINE = "{place}, ngày {day} tháng {month} năm {year}"
#: The page numbers in the Word footer: "Trang 1".
PAGE = "Trang "

# ---- the document ----
TITLE = "Báo cáo kết quả thực hiện các chỉ tiêu dịch vụ công trực tuyến – {period}"
TITLE_UNIT = "Báo cáo kết quả thực hiện các chỉ tiêu dịch vụ công trực tuyến – {unit} – {period}"
PERIOD_LINE = "Kỳ báo cáo: {period} ({months})"
PERIOD_ONLY = "Kỳ báo cáo: {period}"
SCOPE_LINE = "Phạm vi: {scope}"
DEPARTMENT = "Toàn Sở"
PLAN_LINE = "Kế hoạch so sánh: {plan} (năm {year})"
PLAN_LINE_NAMED = "Kế hoạch so sánh: {plan}"
GENERATED_LINE = "Lập lúc: {time} (bảng điều hành DVCTT)"
SUMMARY_BELOW = (
    "{below}/{total} chỉ tiêu chưa đạt hoặc gần đạt kế hoạch; thiếu nhiều nhất: {label} ({shortfall} hồ sơ)."
)
SUMMARY_BELOW_NO_SHORTFALL = "{below}/{total} chỉ tiêu chưa đạt hoặc gần đạt kế hoạch."
SUMMARY_ALL_MET = "Tất cả {total} chỉ tiêu có số liệu đều đạt kế hoạch."

SECTION_RESULTS = "I. Kết quả chung"
SECTION_UNITS = "II. Kết quả theo đơn vị"
SECTION_FIELDS = "II. Kết quả theo lĩnh vực"
SECTION_ATTENTION = "III. Nội dung cần chú ý"
SECTION_POINTS = "IV. Điểm đánh giá bị ảnh hưởng"
SECTION_SOURCES = "Nguồn số liệu và kế hoạch"

RESULTS_SHEET = "KetQuaChung"
UNITS_SHEET = "TheoDonVi"
FIELDS_SHEET = "TheoLinhVuc"
ATTENTION_SHEET = "CanChuY"
PROCEDURES_SHEET = "TTHC chua tinh"
SOURCES_SHEET = "NguonSoLieu"

CHART_CAPTION = "{kpi}: giá trị đạt được (cột, màu theo đánh giá) và chỉ tiêu (vạch) theo {group}."
CHART_GROUP_UNIT = "đơn vị"
CHART_GROUP_FIELD = "lĩnh vực"
CHART_AXIS = "Đạt được (%)"

ATTENTION_INTRO = "Các cặp đơn vị – chỉ tiêu còn thiếu nhiều hồ sơ nhất, kèm lĩnh vực thiếu nhiều nhất."
ATTENTION_NONE = "Không có đơn vị nào chưa đạt hoặc gần đạt kế hoạch trong kỳ."
PROCEDURES_TITLE = "Thủ tục chưa được tính – {kpi}"
PROCEDURES_NONE = "Chưa có chỉ tiêu tính theo thủ tục hành chính trong kế hoạch, hoặc chưa có danh mục TTHC."
POINTS_NOT_YET = (
    "Chưa có phần tính điểm đánh giá (Bộ chỉ số PAR INDEX và Quyết định 766/QĐ-TTg): "
    "mục này sẽ được bổ sung khi chức năng tính điểm hoàn thành."
)
POINTS_NONE = "Chưa có tiêu chí chấm điểm nào tính được cho kỳ này."
SOURCES_NONE = "Không tìm thấy lần nhập số liệu nào cho kỳ này."
PLAN_NOTE = "So với: {plan}."

# ---- table headers ----
COL_KPI = "Chỉ tiêu"
COL_UNIT = "Đơn vị"
COL_FIELD = "Lĩnh vực"
COL_VALUE = "Đạt được"
COL_TARGET = "Kế hoạch"
COL_GAP = "Chênh lệch"
COL_SHORTFALL = "Còn thiếu (hồ sơ)"
COL_SHORTFALL_PROCEDURES = "Còn thiếu (TTHC)"
COL_COUNTS_PROCEDURES = "TTHC đạt / phạm vi"
COL_UNKNOWN_PROCEDURES = "Chưa có số liệu"
PROCEDURE_RESULTS_TITLE = "Chỉ tiêu tính theo thủ tục hành chính (TTHC)"
PROCEDURE_RESULTS_SHEET = "ChiTieuTTHC"
COL_STATUS = "Đánh giá"
COL_CHANGE = "So với kỳ trước"
COL_WORST_FIELD = "Lĩnh vực thiếu nhiều nhất"
COL_WORST_FIELD_SHORTFALL = "Thiếu ở lĩnh vực đó (hồ sơ)"
COL_PROCEDURE_CODE = "Mã TTHC"
COL_PROCEDURE_NAME = "Tên TTHC"
COL_REASON = "Lý do"
COL_UPLOAD = "Lần nhập"
COL_FILE = "Tệp"
COL_TIME = "Thời gian"
COL_USER = "Người nhập"
COL_MONTHS = "Tháng"

# ---- the command ``python -m kpi brief`` ----
CLI_HELP = "báo cáo tóm tắt của một kỳ (Word, PDF hoặc Excel)"
CLI_DESCRIPTION = (
    "Lập báo cáo tóm tắt kết quả các chỉ tiêu DVCTT của một tháng, quý, 6 tháng hoặc năm: "
    "kết quả chung, theo đơn vị, nội dung cần chú ý, điểm đánh giá, nguồn số liệu."
)
CLI_UNIT_METAVAR = "ĐƠN_VỊ"
CLI_UNIT_HELP = "chỉ một đơn vị (tên như trong danh mục đơn vị)"
CLI_FORMAT_HELP = "định dạng tệp: docx (Word), pdf hoặc xlsx (Excel)"
CLI_OUT_METAVAR = "TỆP"
CLI_OUT_HELP = "tệp kết quả sẽ ghi"
CLI_UNKNOWN_UNIT = "Không có đơn vị '{unit}' trong danh mục đơn vị."
CLI_UNKNOWN_UNIT_SUGGEST = "Không có đơn vị '{unit}' trong danh mục đơn vị. Có phải là '{suggestion}'?"
CLI_NO_UNIT_FIGURES = "Không có số liệu của {unit} trong {period}: không lập báo cáo rỗng."
CLI_NO_PERIOD_FIGURES = "Không có số liệu nào cho {period}: không lập báo cáo rỗng."
CLI_OUT_UNWRITABLE = "Không ghi được tệp '{path}': {reason}."
CLI_OUT_IS_DIR = "là một thư mục"
CLI_OUT_NO_DIR = "thư mục chứa tệp không tồn tại"
CLI_WRITTEN = "Đã ghi {path} ({size} byte)."
CLI_SEND_HELP = (
    "gửi thư báo cáo (PDF và Word, kèm tóm tắt) tới người nhận trong secrets.toml [mail.recipients]; "
    "không gửi lại khi số liệu không đổi từ lần gửi trước. --period latest: tháng mới nhất có số liệu"
)
CLI_FORCE_HELP = "gửi lại kể cả khi số liệu không đổi từ lần gửi trước"
CLI_RECIPIENTS_METAVAR = "DANH_SÁCH"
CLI_RECIPIENTS_HELP = "danh sách người nhận trong [mail.recipients] của secrets.toml (mặc định: monthly)"
CLI_NEED_OUT = "cần --format và --out (ghi tệp), hoặc --send (gửi thư)"
CLI_NEED_FORMAT = "cần --format (docx, pdf hoặc xlsx) cho tệp --out"
CLI_SEND_SKIPPED = (
    "Không gửi lại: {title} đã gửi lúc {at} với cùng số liệu (không có số liệu mới từ lần gửi trước)."
)
#: The mail's subject after "[agency] " ({period}: "Quý I/2024").
MAIL_TITLE = "Báo cáo kết quả thực hiện các chỉ tiêu DVCTT – {period}"

# ---- the mail of ``kpi brief --send`` (data_access.brief.mail_summary) ----
MAIL_BELOW_HEAD = "Các chỉ tiêu chưa đạt hoặc gần đạt:"
MAIL_BELOW_LINE = "- {label}: đạt {value}, kế hoạch {target}, còn thiếu {shortfall} hồ sơ"
MAIL_BELOW_MORE = "- và {count} chỉ tiêu khác (xem báo cáo đính kèm)"
MAIL_ATTACHED = "Đính kèm: báo cáo bản PDF (để đọc, in) và bản Word (để chỉnh sửa, ký)."
MAIL_FOOTER = "Thư gửi tự động từ bảng điều hành dịch vụ công trực tuyến; không cần trả lời thư này."

# ---- section IV: points (kpi.scoring) ----
POINTS_SHEET = "DiemDanhGia"
POINTS_INTRO = "Điểm ước tính từ số liệu của kỳ theo scoring.toml; tiêu chí mất nhiều điểm nhất xếp trước."
POINTS_TOTAL = "{name}: {points}/{max} điểm trên các tiêu chí tính được (mất {lost} điểm)."
POINTS_FILE_ERROR = "Không tính được điểm đánh giá: {message}"
COL_CRITERION = "Tiêu chí"
COL_FRAMEWORK = "Bộ chỉ số"
COL_RATIO = "Tỷ lệ"
COL_POINTS = "Điểm"
COL_MAX = "Tối đa"
COL_LOST = "Mất"
COL_TO_NEXT = "Cần thêm để lên mức"
COL_NOTE = "Ghi chú"
