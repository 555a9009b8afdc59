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
    # the text the cells would hold, bounded before the file is read (data_access.xlsx.text_extent)
    "cell_text_huge": "Ô {cell} chứa {chars} ký tự, vượt giới hạn {limit} ký tự một ô (cũng là giới hạn của "
    "Excel), có thể là tệp độc hại; từ chối đọc",
    "text_bomb": "Sổ tính chứa quá nhiều chữ: {where} đã vượt {limit} ký tự (đếm đến {chars}), thường do rất "
    "nhiều ô dùng lại một chuỗi rất dài; có thể là tệp độc hại; từ chối đọc",
    "shared_strings_bomb": "Sổ tính có quá nhiều chuỗi dùng chung (hơn {limit}), có thể là tệp độc hại; "
    "từ chối đọc",
    "empty_workbook": "Sổ tính không có trang tính nào có dữ liệu",
    "no_table": "Không tìm thấy bảng số liệu: cần trang 'SoLieu' theo mẫu (dòng 1 là tiêu đề cột) "
    "hoặc biểu mẫu II.06a",
    "empty_sheet": "Trang tính trống",
    "no_data_rows": "Không có dòng số liệu nào dưới dòng tiêu đề",
    "missing_column": "Thiếu cột bắt buộc '{header}'",
    "duplicate_column": "Cột '{header}' xuất hiện hai lần (cột {first} và cột {second})",
    "unknown_column": "Cột '{header}' không thuộc mẫu số liệu, đã bỏ qua",
    "header_too_low": "Dòng tiêu đề cột ({headers}) nằm ở dòng {line}, thấp hơn mẫu: dòng tiêu đề phải là dòng 1 "
    "(phía trên nhiều nhất {allowed} dòng tên bảng). Xóa các dòng phía trên dòng {line} rồi tải lại",
    "hidden_data_sheet": "Trang số liệu '{name}' đang bị ẩn: người mở tệp không thấy số liệu sẽ được nhập. "
    "Hiện trang (chuột phải vào tên trang → Bỏ ẩn), kiểm tra rồi tải lại",
    "second_data_sheet": "Sổ tính có thêm trang số liệu {others} ngoài trang '{name}': mỗi tệp chỉ nhập một "
    "trang số liệu, không rõ cần nhập trang nào. Chuyển trang thừa sang tệp riêng (hoặc xóa) rồi tải lại",
    "merged_cells": "Các ô {range} được gộp (merge): bảng số liệu cần mỗi ô một giá trị, ô gộp chỉ giữ giá trị "
    "ở ô {first}. Bỏ gộp ô và ghi giá trị vào từng ô",
    "total_row_skipped": "Dòng tổng cộng ('{label}'): đã bỏ qua, không nhập (mẫu số liệu không có dòng tổng cộng)",
    "total_row_inside": "Dòng tổng cộng ('{label}') nằm giữa bảng: mẫu số liệu không có dòng tổng cộng hay dòng "
    "cộng từng phần (số của dòng này sẽ bị cộng hai lần). Xóa dòng này",
    "cell_formula_error": "Ô có lỗi công thức {error}: không có giá trị để nhập. Sửa công thức hoặc ghi số vào ô",
    "cell_formula_uncached": "Ô có công thức nhưng tệp không lưu kết quả đã tính (tệp do chương trình khác tạo, "
    "chưa mở bằng Excel): mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi tải lên; hoặc ghi số thay công thức",
    # values
    "period_missing": "Thiếu kỳ báo cáo",
    "period_invalid": "Kỳ báo cáo '{value}' không hợp lệ: cần dạng MM/YYYY (vd. 06/2024), YYYY-MM hoặc một ngày",
    "period_future": "Kỳ báo cáo {value} ở tương lai (hôm nay là {today})",
    "period_bad_day": "Kỳ báo cáo '{value}' không phải ngày có thật: tháng đó không có ngày này",
    "period_too_early": "Kỳ báo cáo '{value}' trước năm {earliest}: không có báo cáo nào trước năm đó, "
    "kiểm tra lại năm (vd. 06/2024)",
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
    "count_ambiguous": "Số '{value}' không rõ nghĩa: là {decimal} (dấu phẩy thập phân) hay {thousands} (dấu phẩy "
    "phân cách hàng nghìn)? Ghi {thousands} (hàng nghìn cách bằng dấu chấm) hoặc nhập ô dạng số",
    "count_comma_groups": "Số '{value}' cách hàng nghìn bằng dấu phẩy (cách viết tiếng Anh): nếu là {thousands} "
    "hồ sơ, ghi {thousands} (hàng nghìn cách bằng dấu chấm) hoặc nhập ô dạng số",
    "too_many_months": "Tệp có số liệu của {months} tháng, nhiều hơn một lần nhập lưu được: chia thành nhiều tệp",
    "text_too_long": "'{header}' dài {length} ký tự, quá giới hạn {limit} ký tự: rút ngắn nội dung ô",
    "total_mismatch": "Tổng '{header}' = {value} khác tổng các thành phần ({parts}) = {expected}",
    "parts_exceed_total": "Các thành phần ({parts}) cộng lại {expected} lớn hơn tổng '{header}' = {value}",
    "part_exceeds_whole": "'{header}' = {value} lớn hơn '{whole}' = {expected}",
    "duplicate_key": "Trùng khóa (kỳ, đơn vị, lĩnh vực, mã TTHC) với dòng {other}",
    # official layout
    "official_period_missing": "Không tìm thấy dòng 'Kỳ báo cáo: … từ ngày dd/mm/yyyy đến ngày dd/mm/yyyy'",
    # the period line's dates against the reporting month ({rule}: calendar months or the cut-off day)
    "official_period_span": "Kỳ báo cáo từ ngày {start} đến ngày {end} trải qua nhiều tháng báo cáo ({rule}); "
    "mỗi tệp chỉ được đúng một tháng: tháng {month} là từ ngày {expected_start} đến ngày {expected_end}",
    "official_period_partial": "Kỳ báo cáo từ ngày {start} đến ngày {end} không trọn một tháng báo cáo ({rule}); "
    "mỗi tệp chỉ được đúng một tháng: tháng {month} là từ ngày {expected_start} đến ngày {expected_end}",
    "official_period_named": "Kỳ báo cáo ghi tháng {month} nhưng từ ngày {start} đến ngày {end} là tháng {found} "
    "({rule}); tháng {month} là từ ngày {expected_start} đến ngày {expected_end}",
    "official_unit_needed": "Báo cáo theo lĩnh vực: cần chọn đơn vị báo cáo (dòng lệnh: --unit)",
    "official_total_row": "Dòng tổng cộng ghi {value} cho '{header}' nhưng các dòng cộng lại {expected}",
    # warnings about the content
    "books_unbalanced": "Sổ không cân: tiếp nhận trong kỳ + kỳ trước chuyển sang = {left} "
    "≠ đã giải quyết + đang giải quyết + trả lại/rút = {right}",
    "procedure_not_in_catalog": "{n} mã TTHC chưa có trong danh mục TTHC đang áp dụng: {codes}; số liệu vẫn "
    "được lưu, nhưng các mã này không được tính vào chỉ tiêu theo TTHC cho đến khi danh mục có chúng",
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
