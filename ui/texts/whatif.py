"""Texts of the what-if page (Giả định chỉ tiêu): its inputs, toolbar, results, tables and sentences."""

from __future__ import annotations

# ---------------------------------------------------------------------------- the page (pages/whatif.py)

TITLE = "Giả định chỉ tiêu"
CAPTION = (
    "{filters} · {plan} · So sánh chỉ tiêu theo kế hoạch với chỉ tiêu giả định. "
    "Kết quả cập nhật ngay khi nhập số."
)
INPUTS = "Chỉ tiêu giả định"
DEPARTMENT = "Toàn Sở"
IMPACT = "Tác động"
BY_UNIT = "Theo đơn vị"

# ---------------------------------------------------------------------------- a target per KPI (ui.whatif_inputs)

CHANGED_BADGE = "Đã đổi"
TARGET_INPUT = "Chỉ tiêu giả định – {label} (%)"
PCT_PLACEHOLDER = "ví dụ 85,5"
PCT_HELP = "Chỉ tiêu tính bằng %, từ 0 đến 100; gõ 85,5 hoặc 85.5"
SLIDER = "Kéo để đổi chỉ tiêu – {label}"
ROADMAP_NOTE = " · có lộ trình theo tháng; chỉ tiêu giả định dùng một mức cho mọi tháng"
PLAN_TARGET = "Chỉ tiêu kế hoạch: {target}{roadmap}"

# ---------------------------------------------------------------------------- unit targets (ui.whatif_inputs)

UNITS_EXPANDER = "Chỉ tiêu riêng cho đơn vị (không bắt buộc)"
UNITS_CAPTION = (
    "Một chỉ tiêu riêng thay chỉ tiêu chung cho đơn vị đó khi xem theo đơn vị "
    "(như chỉ tiêu riêng của đơn vị trong tệp chỉ tiêu targets.toml)."
)
UNIT_KPI = "Chỉ tiêu"
UNIT_NAME = "Đơn vị"
UNIT_PCT = "Chỉ tiêu (%)"
ADD = "Thêm"
UNIT_PLAN_OWN = "kế hoạch riêng {target}"
UNIT_PLAN_NONE = "chưa có chỉ tiêu riêng"
REMOVE = "Bỏ"
REMOVE_HELP = "Bỏ chỉ tiêu riêng này"

# ---------------------------------------------------------------------------- the toolbar and saving (ui.whatif_inputs)

RESET = "Đặt lại theo kế hoạch"
APPLY = "Áp dụng cho toàn bộ trang"
APPLY_HELP = (
    "Các trang Tổng quan, Khoảng cách, Xu hướng dùng chỉ tiêu giả định (có dải cảnh báo) cho đến khi tắt."
)
DOWNLOAD = "Tải tệp chỉ tiêu giả định"
APPLIED = ":material/visibility: Các trang khác đang dùng chỉ tiêu giả định."
APPLIED_NOTHING = ":material/info: Chưa có chỉ tiêu nào khác kế hoạch: các trang khác vẫn dùng kế hoạch."
DOWNLOAD_ONLY = (
    ":material/lock: Chỉ có thể tải tệp chỉ tiêu giả định về máy. Trang này không tự ghi vào "
    "tệp chỉ tiêu chính thức (targets.toml); chỉ tài khoản quản trị mới lưu được chỉ tiêu "
    "chính thức."
)
SAVE = "Lưu làm chỉ tiêu chính thức…"
SAVE_NOTE = ":material/lock: Chỉ lưu khi bấm nút và xác nhận; bản cũ được giữ lại và ghi nhật ký."
SAVE_QUESTION = "Lưu chỉ tiêu giả định thành chỉ tiêu chính thức? {changes}"
SAVE_CONFIRM = "Xác nhận lưu"
SAVE_CANCEL = "Hủy"

# ---------------------------------------------------------------------------- typed targets and saving (ui.whatif_state)

NOT_A_NUMBER = "“{text}” không phải là một số (ví dụ 85,5)"
OUT_OF_RANGE = "{value} % nằm ngoài khoảng 0–100 %"
KEPT = "{problem}: giữ {previous} %."
SAVE_FAILED = "Không lưu được chỉ tiêu: {error}"
SAVED = "Đã lưu chỉ tiêu chính thức mới; bản cũ được giữ tại {file}."
SAVED_NEW_PLAN = "Đã lưu chỉ tiêu chính thức năm {year} thành kế hoạch riêng của năm ({file})."

# ---------------------------------------------------------------------------- the results (ui.whatif_results)

NO_SCENARIO = (
    "Chưa có giả định: mọi chỉ tiêu đang bằng kế hoạch. Nhập một chỉ tiêu khác để xem ngay "
    "số đơn vị đạt, chưa đạt và số hồ sơ còn thiếu thay đổi thế nào."
)
PAIR_NOTE = "Ô có dạng “A → B”: A theo kế hoạch, B theo giả định; một số: như nhau."
HEAD_NO_DATA = "{name} chưa có số liệu trong kỳ này."
HEAD_NOTE = PAIR_NOTE + " Tệp Excel, PDF có đủ các cột, kể cả chênh lệch."
PICK_KPI = "Chỉ tiêu"
PICK_KPI_CHANGED = "{label} (đã đổi)"
CHANGED_ONLY = "Chỉ hiện đơn vị có thay đổi"
NO_UNIT_DATA = "Chưa có số liệu của đơn vị nào trong kỳ này."
NO_UNIT_CHANGED = "Không đơn vị nào thay đổi với chỉ tiêu này."
UNIT_NOTE = (
    PAIR_NOTE + " Hạng 1 = còn thiếu nhiều hồ sơ nhất. Gần đạt: thấp hơn chỉ tiêu không quá "
    "{near}. Còn thiếu = số {noun} cần thêm để đạt chỉ tiêu."
)

# ---------------------------------------------------------------------------- the tables (ui.whatif_tables)

BASE_TAG = "(kế hoạch)"  # spelled out: "KH/GĐ" read as "Giám đốc"
SCEN_TAG = "(giả định)"
CHANGE_MORE = "↑ thiếu +{n}"
CHANGE_LESS = "↓ thiếu -{n}"
CHANGE_STILL = "vẫn {status}"
#: Column key → header of every compared column (the Excel and PDF; ``DEPARTMENT_COLUMNS``, ``UNIT_COLUMNS``).
COMPARE_HEADERS = {
    "label": "Chỉ tiêu",
    "unit": "Đơn vị",
    "change": "Thay đổi",
    "status_base": f"Đánh giá {BASE_TAG}",
    "status_scen": f"Đánh giá {SCEN_TAG}",
    "shortfall_base": f"Còn thiếu {BASE_TAG}",
    "shortfall_scen": f"Còn thiếu {SCEN_TAG}",
    "rank_base": f"Hạng {BASE_TAG}",
    "rank_scen": f"Hạng {SCEN_TAG}",
    "value": "Đạt được",
    "target_base": f"Chỉ tiêu {BASE_TAG}",
    "target_scen": f"Chỉ tiêu {SCEN_TAG}",
    "gap_base": f"Chênh lệch {BASE_TAG}",
    "gap_scen": f"Chênh lệch {SCEN_TAG}",
}
#: "Theo kế hoạch → theo giả định", the reading of every paired cell on screen.
PAIR_HELP = "Theo kế hoạch → theo giả định (một số: như nhau)"
#: Column key → header of the columns on screen (``SCREEN_COLUMNS``).
SCREEN_HEADERS = {
    "label": "Chỉ tiêu",
    "unit": "Đơn vị",
    "value": "Đạt được",
    "target": "Chỉ tiêu đặt ra",
    "status": "Đánh giá",
    "shortfall": "Còn thiếu",
    "rank": "Hạng",
    "change": "Thay đổi",
}
SHORTFALL_HELP = PAIR_HELP + ". Số hồ sơ (giao dịch) cần thêm để đạt chỉ tiêu"
RANK_HELP = PAIR_HELP + ". Hạng 1 = còn thiếu nhiều hồ sơ nhất"
CHANGE_HELP = "Đánh giá theo kế hoạch → theo giả định; ↑/↓: số hồ sơ còn thiếu tăng/giảm"

# ---------------------------------------------------------------------------- the sentences (ui.whatif_view)

PHRASE = "Với {parts} cho {label}"
PHRASE_AND = " và "
PHRASE_TARGET = "chỉ tiêu {target} (kế hoạch {plan})"
PHRASE_UNITS = "chỉ tiêu riêng {units}"
PHRASE_MANY_UNITS = "chỉ tiêu riêng của {n} đơn vị"
PHRASE_AS_PLAN = "chỉ tiêu {plan} (như kế hoạch)"
MOVE_NEWLY_MISSED = "thêm {n} đơn vị không còn đạt ({detail})"
MOVE_NEAR_TO_BELOW = "{n} đơn vị từ gần đạt xuống chưa đạt"
MOVE_TO_MET = "thêm {n} đơn vị đạt"
MOVE_BELOW_TO_NEAR = "{n} đơn vị từ chưa đạt lên gần đạt"
MOVE_NONE = "không đơn vị nào đổi trạng thái"
SHORTFALL_MORE = "cần thêm {n} {noun}"
SHORTFALL_LESS = "bớt {n} {noun} phải bổ sung"
SHORTFALL_SAME = "số {noun} còn thiếu không đổi"
HEADLINE_NO_DATA = "{name}: chưa có số liệu để đánh giá."
HEADLINE_STATUS = "{name}: {base} → {scen}, còn thiếu {shortfall_base} → {shortfall_scen} {noun}."
HEADLINE_SHORTFALL = "{name}: vẫn {base}, còn thiếu {shortfall_base} → {shortfall_scen} {noun}."
HEADLINE_SAME = "{name}: không đổi ({base})."
HEADLINE_NONE = "{name}: chưa có số liệu."
SUMMARY = "{phrase}: {moves}; {shortfall} (cộng phần còn thiếu của các đơn vị). {headline}"
