"""The Vietnamese texts of the external figures source: its mapping file's errors and its names."""

from __future__ import annotations

# ---- names ----
#: The user an automatic sync is recorded under (history, audit trail).
SYNC_USER = "đồng bộ nguồn ngoài"
#: How the pages and the history name a source (the upload's file name).
LABEL = "{name} (nguồn ngoài: {where})"
#: How an issue names a column that a constant of the mapping stands for.
CONSTANT_COLUMN = "hằng số {code}"

# ---- errors of the mapping file and of the source, each after "<mapping file>: " ----
MAPPING_ERRORS: dict[str, str] = {
    "unreadable": "không đọc được tệp ánh xạ nguồn số liệu ({error})",
    "toml": "lỗi cú pháp TOML: {error}",
    "section_unknown": "mục [{key}] không được hỗ trợ (chỉ có [source], [columns], [constants])",
    "source_key_unknown": "[source] khóa '{key}' không được hỗ trợ",
    "url_both": "[source] chỉ ghi một trong hai khóa 'url' hoặc 'url_env'",
    "url_env_name": "[source] url_env phải là tên một biến môi trường",
    "url_env_unset": "[source] url_env: biến môi trường '{name}' chưa được đặt",
    "url_missing": "[source] thiếu khóa 'url' (địa chỉ SQLAlchemy của cơ sở dữ liệu nguồn)",
    "url_invalid": "[source] url không phải địa chỉ SQLAlchemy hợp lệ",
    "table_missing": "[source] thiếu khóa 'table' (tên bảng hoặc view chứa số liệu)",
    "schema_invalid": "[source] schema phải là một tên",
    "name_invalid": "[source] name phải là một chuỗi",
    "refresh_invalid": "[source] refresh_minutes phải là số phút ≥ 0",
    "timeout_invalid": "[source] timeout_seconds phải là số giây > 0",
    "max_rows_invalid": "[source] max_rows phải là số nguyên ≥ 1",
    "column_code_unknown": "[columns] '{code}' không phải mã cột của hợp đồng dữ liệu",
    "column_name_invalid": "[columns] {code} phải là tên một cột của bảng nguồn",
    "column_twice": "[columns] cột nguồn '{column}' được gán cho cả '{first}' và '{second}'",
    "constant_code_invalid": "[constants] '{code}' không dùng được làm hằng số (chỉ: {codes})",
    "constant_and_column": "'{code}' có cả trong [columns] và [constants]: chỉ ghi ở một nơi",
    "constant_invalid": "[constants] {code} phải là một chuỗi",
    "constant_unknown": "[constants] {code} = '{value}' không có trong danh mục",
    "required_missing": "thiếu '{code}' trong [columns]{hint}",
    "section_missing": "thiếu mục [{key}]",
    "section_not_table": "[{key}] phải là một bảng khóa = giá trị",
    "no_table": "[source] table: không có bảng hoặc view '{table}' trong cơ sở dữ liệu nguồn",
    "no_connection": "không kết nối được cơ sở dữ liệu nguồn ({error})",
    "column_absent": "[columns] {code} = '{column}': bảng '{table}' không có cột này (các cột: {have})",
    "unreadable_table": "không đọc được bảng nguồn '{table}' ({error})",
    "timed_out": (
        "nguồn không trả lời trong {seconds} giây (timeout_seconds trong [source]); "
        "sẽ thử lại ở lần đồng bộ sau"
    ),
    "too_many_rows": (
        "bảng nguồn '{table}' có hơn {max_rows} dòng (giới hạn max_rows trong [source], mặc định "
        "{default}): không đọc, không lưu gì; hãy lọc view nguồn (ví dụ chỉ các năm cần) hoặc tăng max_rows"
    ),
}
#: The outcome of a sync that failed for another reason (the main database, a driver's error).
SYNC_FAILED = "đồng bộ không thành công ({error})"
#: The banner while a check has been waiting for the source longer than a page may wait.
SOURCE_SLOW = (
    "nguồn chưa trả lời sau {seconds} giây (đang chờ trong nền, tối đa {limit} giây); các trang không chờ"
)

#: Added to "constant_unknown" when the catalog has a close name.
CONSTANT_SUGGESTION = "; có phải '{hint}'?"
#: Added to "required_missing" for a code a constant may stand for.
REQUIRED_OR_CONSTANT = " (hoặc ghi trong [constants])"
