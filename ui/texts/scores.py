"""Texts of the page "Điểm đánh giá" (the PAR-index and 766 points, issue 17) and of the what-if points."""

from __future__ import annotations

TITLE = "Điểm đánh giá"
CAPTION = "Điểm tính từ số liệu của Sở theo thang điểm {file}: {spans}."
CAPTION_SPAN = "{framework} — {span}"
SCORING_BROKEN = "Không đọc được thang điểm: {error}"

#: The framework as the sentences name it ("… điểm CCHC", "… điểm 766").
FRAMEWORK_SHORT: dict[str, str] = {"par": "CCHC", "i766": "766"}
#: The framework in the caption.
FRAMEWORK_CAPTION: dict[str, str] = {"par": "Chỉ số CCHC (chấm theo năm)", "i766": "Bộ chỉ số 766"}

# ---------------------------------------------------------------------------- the sentence on top

BEST_STEP = (
    ":material/military_tech: Có thể thêm **{points} điểm {framework}** nếu thêm **{n} {noun}** "
    "(tiêu chí “{label}”: từ {value} lên {next_from})."
)
#: After BEST_STEP: the unit furthest below that step's threshold, and how many it lacks to reach it itself.
BEST_STEP_WHERE = " Thiếu nhiều nhất ở **{unit}**: {n} {noun} để đơn vị đạt {next_from}."
#: Whose figures the sentence on top is computed on, without a unit chosen.
NOTE_DEPARTMENT = "Sở"
BEST_STEP_NOTE = (
    "Bước có nhiều điểm nhất trên mỗi hồ sơ cần thêm, tính trên tổng số liệu của {head}; đơn vị nêu tên là "
    "đơn vị còn cách mức đó xa nhất."
)
NO_STEP = ":material/military_tech: Các đơn vị đã đạt mức điểm cao nhất của {framework} có thể tính được."

# ---------------------------------------------------------------------------- one framework

SPAN = "{name} — {span}"
TOTAL = "**{head}: {points} / {max} điểm** tính được từ số liệu (mất {lost} điểm)."
TOTAL_NONE = "**{head}:** chưa có tiêu chí nào tính được điểm từ số liệu."
MISSING = "Chưa có điểm: {items} — tổng {max} điểm, không tính là 0 và không tính là đủ."
MISSING_ITEM = "{label} ({max} điểm, {reason})"
NOT_FROM_FIGURES = "Không tính được từ số liệu của Sở: {items} — tổng {max} điểm."
NOT_FROM_FIGURES_ITEM = "{label} ({max} điểm)"
POINTS_OF = "{points} / {max}"
#: The next step of a criterion: dossiers (or procedures) to it and the points they bring.
#: One column of the phone's heat map, in the key under it.
HEATMAP_KEY_ITEM = "({n}) {label}"
NEXT_STEP = "thêm {n} {noun} → +{gain} điểm"
#: The same on a phone (the noun is in the column's tooltip).
NEXT_STEP_SHORT = "thêm {n} → +{gain} điểm"
FULL = "đã đủ điểm"
ESTIMATE = "ước tính"
#: A criterion that is the department's own estimate (``exact = false``), as its row names it.
LABEL_ESTIMATE = "{label} · ước tính"
EXACT = "chính thức"

COLUMNS: dict[str, str] = {
    "label": "Tiêu chí",
    "value": "Tỷ lệ",
    "points": "Điểm / tối đa",
    "next": "Bậc tiếp theo",
    "counts": "Tử số / mẫu số",
}
HELP: dict[str, str] = {
    "value": "Tử số / mẫu số của tiêu chí trong kỳ",
    "points": "Điểm theo các mức của thang điểm / điểm tối đa của tiêu chí",
    "next": "Số hồ sơ (hoặc thủ tục) cần thêm để đạt mức điểm cao hơn gần nhất, và số điểm thêm được",
    "label": "“ước tính”: Sở tự tính từ số liệu của mình, cách chấm chính thức có thể khác",
}

# ---------------------------------------------------------------------------- by unit

BY_UNIT = "Điểm bị mất theo đơn vị"
BY_UNIT_NOTE = (
    "Mỗi ô: số điểm đơn vị mất ở tiêu chí (điểm tối đa − điểm, như khi đơn vị được chấm riêng); "
    "ô trống: không có số liệu hoặc không phát sinh hồ sơ."
)
HEAT_HOVER = "{unit}<br>{label}<br>Tỷ lệ: {value}<br>Điểm: {points} / {max}<br>Mất: {lost}<br>{next}"
HEAT_SCALE = "Điểm mất"
NO_UNITS = "Chưa có đơn vị nào có số liệu cho các tiêu chí này."

# ---------------------------------------------------------------------------- official 766 scores

OFFICIAL = "Điểm công bố trên Cổng và ước tính của Sở"
OFFICIAL_NOTE = (
    "Điểm công bố là điểm Cổng Dịch vụ công quốc gia công bố cho {period}, văn phòng Sở nhập lại; "
    "điểm ước tính chỉ gồm các tiêu chí tính được từ số liệu của Sở. Hai điểm không cộng lẫn vào nhau."
)
OFFICIAL_NONE = "Chưa có điểm công bố của {period}: văn phòng Sở nhập ở trang Nhập số liệu."
OFFICIAL_COLUMNS: dict[str, str] = {
    "group": "Nhóm chỉ số",
    "estimate": "Ước tính của Sở",
    "official": "Công bố",
    "difference": "Chênh lệch",
    "rank": "Xếp hạng",
}
OFFICIAL_HELP: dict[str, str] = {
    "estimate": "Điểm các tiêu chí tính được từ số liệu của Sở / điểm tối đa của các tiêu chí đó",
    "difference": "Điểm công bố − điểm ước tính (khi ước tính chỉ gồm một phần của nhóm, chênh lệch gồm cả phần không tính được)",
}
OFFICIAL_NOT_ESTIMATED = "không tính được"

# ---------------------------------------------------------------------------- the what-if page

WHATIF_POINTS = "Điểm đánh giá khi đạt chỉ tiêu"
WHATIF_POINTS_NOTE = (
    "Đổi chỉ tiêu không làm đổi điểm: điểm chỉ đổi khi số liệu đổi. Bảng cho biết, với chỉ tiêu đang "
    "chọn, số hồ sơ cần thêm để đạt chỉ tiêu ({scope}, {period}) và số điểm mà số hồ sơ đó mang lại."
)
WHATIF_NONE = "Không có tiêu chí chấm điểm nào gắn với các chỉ tiêu của kế hoạch."
WHATIF_COLUMNS: dict[str, str] = {
    "label": "Tiêu chí",
    "target": "Chỉ tiêu",
    "value": "Tỷ lệ",
    "shortfall": "Cần thêm (hồ sơ)",
    "points": "Điểm hiện nay",
    "points_at": "Điểm khi đạt",
    "gain": "Thêm",
}
WHATIF_HELP: dict[str, str] = {
    "shortfall": "Số hồ sơ (hoặc thủ tục) cần thêm ở tử số để đạt chỉ tiêu đang chọn",
    "points_at": "Điểm của tiêu chí nếu có thêm số hồ sơ đó (mẫu số giữ nguyên)",
}
