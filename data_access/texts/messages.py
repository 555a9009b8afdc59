"""The issue messages of the readers and the store, and the words of an issue's location."""

from __future__ import annotations

# ---- issue messages, by code (``str.format`` templates) ----
MESSAGES: dict[str, str] = {
    # file-level
    "not_excel": "Tệp không phải sổ tính Excel (.xlsx): {detail}",
    "unreadable": "Không đọc được tệp Excel (tệp hỏng hoặc bị cắt ngắn): {detail}",
    "too_large": "Tệp quá lớn: {size} MB, giới hạn là {limit} MB",
    "zip_bomb": "Tệp có nội dung giải nén quá lớn ({size} MB > {limit} MB), có thể là tệp độc hại; từ chối đọc",
    "sheet_too_big": "Trang tính trải trên vùng quá rộng (đến ô {end}: {cells} ô > {limit} ô), có thể là tệp độc hại "
    "hoặc có ô thừa ở rất xa bảng; xóa các ô đó rồi tải lại",
    "empty_workbook": "Sổ tính không có trang tính nào có dữ liệu",
    "no_table": "Không tìm thấy bảng số liệu: cần trang 'SoLieu' theo mẫu (dòng 1 là tiêu đề cột) "
    "hoặc biểu mẫu II.06a",
    "empty_sheet": "Trang tính trống",
    "no_data_rows": "Không có dòng số liệu nào dưới dòng tiêu đề",
    "missing_column": "Thiếu cột bắt buộc '{header}'",
    "duplicate_column": "Cột '{header}' xuất hiện hai lần (cột {first} và cột {second})",
    "unknown_column": "Cột '{header}' không thuộc mẫu số liệu, đã bỏ qua",
    # values
    "period_missing": "Thiếu kỳ báo cáo",
    "period_invalid": "Kỳ báo cáo '{value}' không hợp lệ: cần dạng MM/YYYY (vd. 06/2024), YYYY-MM hoặc một ngày",
    "period_future": "Kỳ báo cáo {value} ở tương lai (hôm nay là {today})",
    "unit_missing": "Thiếu tên đơn vị",
    "unit_unknown": "Đơn vị '{value}' không có trong danh mục. Có phải là '{suggestion}'?",
    "field_missing": "Thiếu tên lĩnh vực",
    "field_unknown": "Lĩnh vực '{value}' không có trong danh mục. Có phải là '{suggestion}'?",
    # the same two without a close name (the catalog's suggest found none)
    "unit_unknown_far": "Đơn vị '{value}' không có trong danh mục và không có tên nào gần giống. Nếu là đơn vị "
    "mới, cần thêm vào danh mục đơn vị (tệp data_access/catalog.toml, mục [[unit]]).",
    "field_unknown_far": "Lĩnh vực '{value}' không có trong danh mục và không có tên nào gần giống. Nếu là lĩnh vực "
    "mới, cần thêm vào danh mục lĩnh vực (tệp data_access/catalog.toml, mục [[field]]).",
    "count_negative": "Số '{value}' âm: số hồ sơ phải là số nguyên ≥ 0",
    "count_fraction": "Số '{value}' không phải số nguyên: số hồ sơ phải là số nguyên ≥ 0",
    "count_text": "'{value}' không phải là số: số hồ sơ phải là số nguyên ≥ 0",
    "count_too_large": "Số '{value}' quá lớn: số hồ sơ phải nhỏ hơn 1 tỉ",
    "total_mismatch": "Tổng '{header}' = {value} khác tổng các thành phần ({parts}) = {expected}",
    "parts_exceed_total": "Các thành phần ({parts}) cộng lại {expected} lớn hơn tổng '{header}' = {value}",
    "part_exceeds_whole": "'{header}' = {value} lớn hơn '{whole}' = {expected}",
    "duplicate_key": "Trùng khóa (kỳ, đơn vị, lĩnh vực, mã TTHC) với dòng {other}",
    # official layout
    "official_period_missing": "Không tìm thấy dòng 'Kỳ báo cáo: … từ ngày dd/mm/yyyy đến ngày dd/mm/yyyy'",
    "official_period_span": "Kỳ báo cáo từ {start} đến {end} trải qua nhiều tháng: mỗi tệp chỉ được một tháng",
    "official_unit_needed": "Báo cáo theo lĩnh vực: cần chọn đơn vị báo cáo (dòng lệnh: --unit)",
    "official_total_row": "Dòng tổng cộng ghi {value} cho '{header}' nhưng các dòng cộng lại {expected}",
    # warnings about the content
    "books_unbalanced": "Sổ không cân: tiếp nhận trong kỳ + kỳ trước chuyển sang = {left} "
    "≠ đã giải quyết + đang giải quyết + trả lại/rút = {right}",
    "month_stored": "Tháng {period} của '{unit}' đã có số liệu (lần nhập #{upload}); "
    "lần nhập này sẽ thay thế, bản cũ vẫn giữ trong lịch sử",
    "jump": "'{header}' của '{unit}' – '{field}' tháng {period} là {value}, "
    "gấp hơn 3 lần so với tháng trước ({previous})",
    "drop": "'{header}' của '{unit}' – '{field}' tháng {period} là {value}, "
    "giảm hơn 3 lần so với tháng trước ({previous})",
    "same_file": "Tệp này (SHA-256 {sha}) đã được nhập ở lần nhập #{upload} lúc {when}",
    "unit_ignored": "Đã bỏ qua đơn vị được chọn: tệp theo mẫu tự ghi đơn vị từng dòng",
}

# ---- an issue's location and label (command line, annotated copy) ----
ISSUE_SHEET = "trang '{sheet}'"
ISSUE_ROW = "dòng {row}"
ISSUE_COLUMN = "cột '{column}'{letter}"
ISSUE_VALUE = " [giá trị: {value!r}]"
LABEL_ERROR = "LỖI"
LABEL_WARNING = "CẢNH BÁO"

# ---- the annotated copy of a workbook ----
ANNOTATE_AUTHOR = "Kiểm tra số liệu"
ANNOTATE_CELL = "{label}: {message}{value}"
ANNOTATE_VALUE = " [giá trị: {value}]"
ANNOTATE_TOO_LARGE = "tệp bị từ chối vì quá lớn ({codes}): không mở để đánh dấu"
ANNOTATE_LIST_HEADER: tuple[str, ...] = ("Mức", "Trang", "Dòng", "Cột", "Giá trị", "Nội dung", "Ô")
ANNOTATE_LEVEL_ERROR = "Lỗi"
ANNOTATE_LEVEL_WARNING = "Cảnh báo"
