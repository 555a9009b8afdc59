"""Every Vietnamese text of the ``kpi`` layer: status words, plan defaults, targets-file messages, the CLI.

Sentences with values are ``str.format`` templates with named placeholders; the code fills them in
(numbers and months formatted with :mod:`vnfmt`).
"""

from __future__ import annotations

# ---------------------------------------------------------------------------- status words
# Shared by the command line and the pages (``ui.fmt`` re-exports them).

STATUS_LABELS: dict[str, str] = {
    "met": "Đạt",
    "near": "Gần đạt",
    "below": "Chưa đạt",
    "no_data": "Chưa có số liệu",
}

# ---------------------------------------------------------------------------- plan defaults and methods

#: What a KPI's numerator counts when its ``noun`` key is not given.
DEFAULT_NOUN = "hồ sơ"
#: What a procedure KPI (``kind = "procedures"``) counts when its ``noun`` key is not given.
PROCEDURE_NOUN = "TTHC"
#: How :func:`kpi.engine.project_year_end` projects (shown beside the projection).
PROJECTION_METHOD = "Dự báo: giả định các tháng còn lại giữ nhịp trung bình 3 tháng gần nhất"

# ---------------------------------------------------------------------------- reading targets.toml
# ``{name}`` is the file's name; a checker message is prefixed with "<file>: <key>: ".

TARGETS_NOT_FOUND = "{name}: không tìm thấy tệp chỉ tiêu ({path})"
TARGETS_UNREADABLE = "{name}: không đọc được tệp chỉ tiêu ({error})"
TOML_SYNTAX_AT = "{name}: lỗi cú pháp TOML ở dòng {line}, cột {column}: {detail}"
TOML_SYNTAX_AT_END = "{name}: lỗi cú pháp TOML ở cuối tệp: {detail}"
TOML_SYNTAX = "{name}: lỗi cú pháp TOML: {detail}"
KPI_NOT_IN_PLAN = "KPI không có trong kế hoạch"

# ---------------------------------------------------------------------------- checking targets.toml

#: What the numerator and the denominator are called in the messages.
COLUMN_ROLES: dict[str, str] = {
    "numerator": "tử số",
    "denominator": "mẫu số",
    "active": "điều kiện có phát sinh (active)",
    "counted_when": "điều kiện được tính (counted_when)",
}
DID_YOU_MEAN = " Có phải là '{name}'?"
CHECK: dict[str, str] = {
    "unknown_section": "mục không được hỗ trợ (chỉ có [plan] và [kpi.<mã>])",
    "no_plan": "thiếu mục [plan] (name, year, near)",
    "unknown_plan_key": "khóa không được hỗ trợ (chỉ có {keys})",
    "no_plan_name": "thiếu tên kế hoạch (chuỗi văn bản)",
    "bad_year": "năm kế hoạch phải là số nguyên 4 chữ số, không phải {value!r}",
    "bad_near": "phải là số từ 0 đến 1 (0.05 = 5 điểm %), không phải {value!r}",
    "no_kpi": "chưa có KPI nào (cần ít nhất một mục [kpi.<mã>])",
    "kpi_not_table": "phải là một bảng (label, numerator, denominator, target…)",
    "kpi_keys_hint": " (các khóa: {keys})",
    "unknown_kpi_key": "khóa không được hỗ trợ.{hint}",
    "no_label": "thiếu tên hiển thị của KPI",
    "bad_label": "tên hiển thị phải là chuỗi văn bản khác rỗng",
    "no_target": "thiếu chỉ tiêu (số từ 0 đến 1, ví dụ 0.90)",
    "not_text": "phải là chuỗi văn bản",
    "bad_noun": 'điều tử số đếm (ví dụ "hồ sơ") phải là chuỗi văn bản khác rỗng',
    "bad_short_label": "tên ngắn (trên thẻ KPI, trục biểu đồ) phải là chuỗi văn bản khác rỗng",
    "no_columns": 'thiếu {role} (danh sách mã cột, ví dụ ["received_new"])',
    "empty_columns": "{role} phải là danh sách mã cột khác rỗng",
    "column_not_text": "mã cột phải là chuỗi, không phải {value!r}",
    "unknown_column": "mã cột '{code}' không có trong hợp đồng dữ liệu.{hint}",
    "repeated_column": "mã cột '{code}' lặp lại (sẽ bị cộng hai lần)",
    "target_not_number": "chỉ tiêu phải là một số từ 0 đến 1 (0.90 = 90 %), không phải {value!r}",
    "percent_hint": " — có phải {fraction:g}?",
    "target_out_of_range": "chỉ tiêu {value!r} nằm ngoài khoảng 0 đến 1 (0.90 = 90 %){hint}",
    "roadmap_not_table": 'lộ trình phải là một bảng "YYYY-MM" = chỉ tiêu',
    "bad_roadmap_month": 'mốc lộ trình phải có dạng "YYYY-MM" với tháng từ 01 đến 12 (ví dụ "2024-09")',
    "units_not_table": 'chỉ tiêu đơn vị phải là một bảng "tên đơn vị" = chỉ tiêu',
    "unknown_unit": "đơn vị '{unit}' không có trong danh mục.{hint}",
    "empty_unit": "tên đơn vị rỗng",
    "repeated_unit": "trùng đơn vị với \"{first}\" (cùng là '{canonical}')",
    # KPIs that count procedures (kind = "procedures", procedures.md)
    "unknown_kind": 'loại KPI \'{value}\' không được hỗ trợ (chỉ có "dossiers" hoặc "procedures")',
    "scope_not_table": "phạm vi phải là một bảng thuộc tính danh mục TTHC, ví dụ { has_fee = true }",
    "counted_if_not_table": 'điều kiện được tính phải là một bảng thuộc tính danh mục TTHC, ví dụ { online_level = "toàn trình" }',
    "unknown_attribute": "thuộc tính '{name}' không có trong danh mục TTHC (chỉ có {names}).{hint}",
    "bad_level": "mức độ DVCTT '{value}' không hợp lệ (chỉ có {levels})",
    "level_not_text": "mức độ DVCTT phải là chuỗi hoặc danh sách chuỗi khác rỗng, không phải {value!r}",
    "bad_flag": "phải là true hoặc false, không phải {value!r}",
    "name_not_text": "tên phải là chuỗi hoặc danh sách chuỗi khác rỗng, không phải {value!r}",
    "unknown_field": "lĩnh vực '{field}' không có trong danh mục.{hint}",
    "empty_counted_if": "điều kiện được tính cần ít nhất một thuộc tính danh mục TTHC",
    "counted_both": "chỉ dùng một trong hai: counted_when (theo số liệu) hoặc counted_if (theo danh mục)",
    "counted_none": "thiếu điều kiện được tính: counted_when (mã cột) hoặc counted_if (thuộc tính danh mục)",
    "no_ratio_columns": 'KPI đếm TTHC (kind = "procedures") không dùng tử số, mẫu số: dùng scope, active, counted_when hoặc counted_if',
    "procedure_keys_hint": " (các khóa của KPI đếm TTHC: {keys})",
}

# ---------------------------------------------------------------------------- command line: usage

CLI_DESCRIPTION = "Tính các chỉ tiêu DVCTT so với kế hoạch"
CLI_COMMAND_METAVAR = "LỆNH"
CLI_COMMAND_HELP = "một trong các lệnh sau"
CLI_REPORT_HELP = "bảng KPI của một tháng, quý, 6 tháng, năm hoặc lũy kế từ đầu năm"
CLI_REPORT_DESCRIPTION = (
    "Bảng KPI của một kỳ báo cáo (tháng, quý, 6 tháng, năm hoặc lũy kế từ đầu năm), so với chỉ tiêu"
)
CLI_PERIOD_HELP = "kỳ báo cáo: tháng 2024-06, quý 2024-Q2, 6 tháng 2024-H1 hoặc năm 2024"
CLI_YTD_HELP = "lũy kế từ tháng 1 đến tháng báo cáo (--period phải là một tháng)"
CLI_BY_METAVAR = "NHÓM"
CLI_BY_HELP = "nhóm theo đơn vị, lĩnh vực hoặc cả hai: unit, field hoặc unit,field"
CLI_TARGETS_METAVAR = "TỆP"
CLI_TARGETS_HELP = "tệp chỉ tiêu (mặc định: TARGETS_FILE hoặc targets.toml)"
CLI_BAD_PERIOD = (
    "kỳ báo cáo '{text}' không hợp lệ: cần dạng YYYY-MM (tháng), YYYY-Qn (quý), YYYY-Hn (6 tháng) "
    "hoặc YYYY (năm), ví dụ 2024-06, 2024-Q2, 2024-H1, 2024"
)
CLI_BAD_BY = "'{text}' không hợp lệ: dùng unit, field hoặc unit,field"

# ---------------------------------------------------------------------------- command line: report

#: The table's column headers; ``unit`` and ``field`` only when grouped by them.
CLI_HEADERS: dict[str, str] = {
    "kpi": "KPI",
    "unit": "Đơn vị",
    "field": "Lĩnh vực",
    "numerator": "Tử số",
    "denominator": "Mẫu số",
    "value": "Tỷ lệ",
    "target": "Chỉ tiêu",
    "gap": "Chênh (điểm)",
    "shortfall": "Còn thiếu",
    "status": "Trạng thái",
    "rows_missing": "Thiếu số liệu",
}
#: Under the CLI table when it lists KPIs counting procedures: what their columns count.
CLI_PROCEDURES_NOTE = (
    "Chỉ tiêu tính theo TTHC: tử số, mẫu số và còn thiếu là số TTHC; cột «Thiếu số liệu» là số TTHC "
    "chưa có số liệu theo TTHC (không tính), ở các chỉ tiêu khác là số dòng số liệu thiếu."
)
CLI_TITLE = "{plan} — {span}"
CLI_YTD_SPAN = "lũy kế từ tháng 1 đến {month}"
CLI_EMPTY_DATABASE = (
    "Cơ sở dữ liệu chưa có số liệu nào. Hãy nhập số liệu trước: python -m data_access import TỆP.xlsx"
)
CLI_NO_FIGURES = "Không có số liệu {month}: cơ sở dữ liệu có số liệu từ {first} đến {last} ({months} tháng)."
CLI_ERROR = "LỖI: {message}"

# ---------------------------------------------------------------------------- periods (kpi.periods)

PERIOD_QUARTER = "Quý {roman}/{year}"
PERIOD_HALF = {1: "6 tháng đầu năm {year}", 2: "6 tháng cuối năm {year}"}
PERIOD_YEAR = "Năm {year}"
#: ``{month}`` is "Tháng 6/2024".
PERIOD_YTD = "Lũy kế đến {month}"
#: A period not over yet: ``{period}`` its name, ``{month}`` the latest month with figures.
PERIOD_UPTO = "{period} (số liệu đến {month})"

# ---------------------------------------------------------------------------- command line: periods

CLI_PERIOD_METAVAR = "KỲ"
CLI_YTD_NEEDS_MONTH = "--ytd cần một tháng (--period YYYY-MM), không phải '{text}'"
#: A period of several months with no figures in any of them; ``{period}`` e.g. "quý I/2023".
CLI_NO_FIGURES_PERIOD = (
    "Không có số liệu {period} ({first_month} – {last_month}): cơ sở dữ liệu có số liệu từ {first} "
    "đến {last} ({months} tháng)."
)
#: Added to :data:`CLI_NO_FIGURES_PERIOD` for a quarter, a half year or a year.
CLI_PERIODS_WITH_FIGURES = " Các kỳ cùng loại có số liệu: {periods}."

# ---------------------------------------------------------------------------- scoring (kpi.scoring, scoring.toml)
# Issue 17: the PAR-index and 766 points. ``{name}`` is the file's name; a checker message is
# prefixed with "<file>: <key>: ".

SCORING_NOT_FOUND = "{name}: không tìm thấy tệp thang điểm ({path})"
SCORING_UNREADABLE = "{name}: không đọc được tệp thang điểm ({error})"
SCORING_CHECK: dict[str, str] = {
    "unknown_section": 'mục không được hỗ trợ (chỉ có [framework.<mã>] và [criterion."<mã>"])',
    "no_framework": "chưa có bộ chỉ số nào (cần ít nhất một mục [framework.<mã>])",
    "framework_not_table": "phải là một bảng (name, period, total, not_computed)",
    "unknown_key": "khóa không được hỗ trợ.{hint}",
    "keys_hint": " (các khóa: {keys})",
    "no_name": "thiếu tên (chuỗi văn bản khác rỗng)",
    "bad_period": "kỳ mặc định phải là một trong {choices}, không phải {value!r}",
    "bad_points": "số điểm phải là một số không âm, không phải {value!r}",
    "bad_max": "điểm tối đa phải là một số lớn hơn 0, không phải {value!r}",
    "not_computed_not_list": "phải là danh sách các bảng [[framework.<mã>.not_computed]] (label, max, source)",
    "not_computed_not_table": "phải là một bảng (label, max, source)",
    "total_mismatch": "tổng điểm {total:g} khác tổng max của các tiêu chí và các phần không tính được ({sum:g})",
    "no_criterion": 'chưa có tiêu chí nào (cần ít nhất một mục [criterion."<mã>"])',
    "criterion_not_table": "phải là một bảng (framework, label, kpi hoặc numerator/denominator, max, bands, source…)",
    "no_framework_ref": "thiếu mã bộ chỉ số (framework)",
    "unknown_framework": "bộ chỉ số '{value}' không có trong tệp (có: {choices})",
    "no_label": "thiếu tên hiển thị",
    "not_text": "phải là chuỗi văn bản",
    "no_source": "thiếu nguồn của quy tắc chấm điểm (source)",
    "bad_kpi": "mã KPI phải là chuỗi văn bản khác rỗng, không phải {value!r}",
    "kpi_and_columns": "dùng kpi hoặc cặp numerator/denominator, không dùng cả hai",
    "no_ratio": "thiếu kpi (mã KPI của targets.toml) hoặc cặp numerator/denominator",
    "bad_exact": "phải là true hoặc false, không phải {value!r}",
    "bad_noun": 'điều tử số đếm (ví dụ "hồ sơ") phải là chuỗi văn bản khác rỗng',
    "no_bands": "thiếu các mức điểm (bands = [ {{ from = 0.8, points = 2.5 }}, … ])",
    "band_not_table": "mỗi mức điểm phải là một bảng {{ from = …, points = … }} hoặc {{ from = …, times_ratio = … }}",
    "bad_from": "from phải là tỷ lệ từ 0 đến 1 (0.95 = 95 %), không phải {value!r}",
    "points_or_times": "mỗi mức điểm cần đúng một trong hai khóa points hoặc times_ratio",
    "points_over_max": "{value:g} điểm vượt điểm tối đa {max:g}",
    "bands_order": "các mức điểm phải xếp theo from giảm dần ({value:g} không nhỏ hơn {previous:g})",
}
#: Why a criterion has no points (``reason`` codes of :func:`kpi.scoring.score`).
SCORE_REASONS: dict[str, str] = {
    "no_dossiers": "không phát sinh hồ sơ",
    "no_data": "chưa có số liệu",
    "not_computed": "chưa tính được",
}
#: Beside a criterion that is the department's own estimate (``exact = false``).
SCORE_ESTIMATE = "ước tính"
#: A part of a framework the department's figures cannot give.
SCORE_NOT_FROM_FIGURES = "không tính được từ số liệu của Sở"

CLI_SCORE_HELP = "điểm Chỉ số CCHC và Bộ chỉ số 766 tính từ số liệu của Sở"
CLI_SCORE_DESCRIPTION = (
    "Điểm từng tiêu chí (tỷ lệ, điểm, điểm tối đa, bậc điểm tiếp theo và số hồ sơ cần thêm) của "
    "một kỳ, cho cả Sở hoặc theo đơn vị"
)
CLI_SCORE_BY_HELP = "tính theo đơn vị (unit)"
CLI_FRAMEWORK_HELP = "chỉ một bộ chỉ số: par (Chỉ số CCHC) hoặc i766 (Bộ chỉ số 766)"
CLI_SCORING_METAVAR = "TỆP"
CLI_SCORING_HELP = "tệp thang điểm (mặc định: SCORING_FILE hoặc scoring.toml)"
CLI_SCORE_HEADERS: dict[str, str] = {
    "label": "Tiêu chí",
    "unit": "Đơn vị",
    "numerator": "Tử số",
    "denominator": "Mẫu số",
    "value": "Tỷ lệ",
    "points": "Điểm",
    "max": "Tối đa",
    "lost": "Mất",
    "next_from": "Bậc tiếp",
    "next_points": "Điểm bậc tiếp",
    "to_next": "Cần thêm",
    "note": "Ghi chú",
}
CLI_SCORE_TITLE = "{framework} — {span}"
#: The total line of a framework: points of the criteria with a value, and how many have none.
CLI_SCORE_TOTAL = (
    "Tổng: {points} / {max} điểm (mất {lost}); {missing} tiêu chí chưa có điểm ({missing_max} điểm)"
)
CLI_SCORE_NOT_COMPUTED = "Không tính được từ số liệu của Sở: {label} ({max} điểm)"

# ---------------------------------------------------------------------------- procedure KPIs (kpi.procedures)
# Issue 15 (``procedures.md``): the KPIs that count procedures (TTHC) and the list to act on.

#: A procedure KPI with no procedure in its denominator (no value, status ``no_data``).
PROCEDURES_NONE_IN_SCOPE = "không có TTHC thuộc phạm vi"
#: How many procedures of the scope were left out (no figures by procedure, or an empty attribute).
PROCEDURES_UNKNOWN = "{count} TTHC chưa có số liệu theo TTHC"
#: The shortfall of a procedure KPI ("còn thiếu 3 TTHC").
PROCEDURES_SHORTFALL = "còn thiếu {count} TTHC"
#: Why a procedure of a KPI's scope is or is not counted (``reason`` codes of ``kpi.procedures.REASONS``).
PROCEDURE_REASONS: dict[str, str] = {
    "counted": "được tính",
    "no_online_dossier": "chưa có hồ sơ trực tuyến trong kỳ",
    "no_online_payment": "có phí, lệ phí nhưng chưa có thanh toán trực tuyến",
    "no_postal_dossier": "chưa có hồ sơ tiếp nhận hoặc trả kết quả qua BCCI",
    "no_dossier": "chưa phát sinh hồ sơ trong kỳ",
    "no_figure": "số liệu trong kỳ bằng 0",
    "partly_online": "mới cung cấp trực tuyến một phần",
    "not_online": "chưa cung cấp trực tuyến",
    "other_level": "mức độ DVCTT không thuộc điều kiện được tính",
    "not_on_portal": "chưa tích hợp lên Cổng DVCQG",
    "not_eligible": "không đủ điều kiện cung cấp toàn trình",
    "no_fee": "không có phí, lệ phí",
    "no_postal": "không thực hiện qua BCCI",
    "other_attribute": "thuộc tính trong danh mục không thuộc điều kiện được tính",
    "not_active": "không phát sinh hồ sơ trong kỳ (ngoài mẫu số)",
    "unknown_figures": "chưa có số liệu theo TTHC",
    "unknown_attribute": "danh mục TTHC chưa ghi thuộc tính cần dùng",
}
