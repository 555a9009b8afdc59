"""Vietnamese texts of the what-if page's part for the KPIs that count procedures (TTHC)."""

from __future__ import annotations

from ui.texts.whatif import BASE_TAG, PAIR_HELP, SCEN_TAG

# ---------------------------------------------------------------------------- inputs

INPUTS_GROUP = "Chỉ tiêu tính theo TTHC"
INPUTS_NOTE = (
    "Các chỉ tiêu đếm thủ tục hành chính (TTHC) theo danh mục TTHC: đổi chỉ tiêu chỉ đổi đánh giá và "
    "số TTHC còn thiếu, không đổi TTHC nào được tính."
)

# ---------------------------------------------------------------------------- results

RESULTS = "Chỉ tiêu tính theo TTHC"
SEE_BELOW = "Chỉ tiêu tính theo TTHC đã thay đổi: xem phần «Chỉ tiêu tính theo TTHC» bên dưới."
HEAD = "**{name}** – {when} · chỉ tiêu tính theo TTHC"
HEAD_NOTE = (
    "Tử số, mẫu số và số còn thiếu tính bằng số TTHC. «Chưa có số liệu theo TTHC»: số TTHC thuộc phạm vi "
    "nhưng không đánh giá được (thiếu số liệu theo từng TTHC hoặc thiếu thông tin trong danh mục)."
)
NO_PROCEDURES = "{name}: không có TTHC thuộc phạm vi các chỉ tiêu tính theo TTHC."
#: The shortfall of a procedure KPI on screen: "còn thiếu 3 TTHC" / "còn thiếu 0 → 3 TTHC".
SHORTFALL_CELL = "còn thiếu {n} {noun}"
COUNTS_CELL = "{num}/{den}"
BY_UNIT = "Chỉ tiêu tính theo TTHC – theo đơn vị"
PICK_KPI = "Chỉ tiêu tính theo TTHC"
PICK_KPI_CHANGED = "✎ {label}"
NO_UNIT_DATA = "Chưa có đơn vị nào có TTHC thuộc phạm vi chỉ tiêu này."

#: Column key → header on screen.
SCREEN_HEADERS = {
    "label": "Chỉ tiêu",
    "unit": "Đơn vị",
    "counts": "Đạt/tổng",
    "value": "Đạt được",
    "target": "Chỉ tiêu đặt ra",
    "status": "Đánh giá",
    "shortfall": "Còn thiếu (TTHC)",
    "unknown": "Chưa rõ",
    "rank": "Hạng",
    "change": "Thay đổi",
}
COUNTS_HELP = "Số TTHC được tính / số TTHC thuộc phạm vi chỉ tiêu (mẫu số)"
SHORTFALL_HELP = PAIR_HELP + ". Số TTHC cần thêm để đạt chỉ tiêu"
UNKNOWN_HELP = "Số TTHC thuộc phạm vi nhưng chưa có số liệu theo TTHC (không tính vào mẫu số)"
RANK_HELP = PAIR_HELP + ". Hạng 1 = còn thiếu nhiều TTHC nhất"
CHANGE_HELP = "Đánh giá theo kế hoạch → theo giả định; ↑/↓: số TTHC còn thiếu tăng/giảm"

# ---------------------------------------------------------------------------- the Excel and PDF

DOC_HEAD = "{head}: chỉ tiêu tính theo TTHC, kế hoạch và giả định"
DOC_HEAD_SHEET = "Chỉ tiêu TTHC"
DOC_BY_UNIT = "Chỉ tiêu tính theo TTHC theo đơn vị"
DOC_BY_UNIT_SHEET = "Chỉ tiêu TTHC theo đơn vị"
#: Column key → header of the procedure columns of the document (the others: ``COMPARE_HEADERS``).
DOC_HEADERS = {
    "numerator": "Số TTHC đạt",
    "denominator": "Số TTHC trong phạm vi",
    "unknown": "Chưa có số liệu theo TTHC",
    "shortfall_base": f"TTHC còn thiếu {BASE_TAG}",
    "shortfall_scen": f"TTHC còn thiếu {SCEN_TAG}",
}
