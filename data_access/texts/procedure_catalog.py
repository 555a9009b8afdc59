"""Vietnamese texts of the procedure catalog (danh mục TTHC): its headers, the reader's issues, the CLI."""

from __future__ import annotations

#: The sheet the catalog lives on.
CATALOG_SHEET = "DanhMucTTHC"

#: The catalog file's header of each column code (``procedures.md``).
CATALOG_HEADERS: dict[str, str] = {
    "procedure_code": "Mã TTHC",
    "procedure_name": "Tên TTHC",
    "field": "Lĩnh vực",
    "unit": "Đơn vị chủ trì",
    "online_level": "Mức độ DVCTT",
    "full_online_eligible": "Đủ điều kiện toàn trình",
    "on_national_portal": "Tích hợp Cổng DVCQG",
    "has_fee": "Có phí, lệ phí",
    "postal_allowed": "Thực hiện qua BCCI",
}

#: Other headers offices write for the same columns (matched case- and diacritic-insensitively).
CATALOG_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "procedure_code": ("Mã thủ tục", "Mã số TTHC", "Mã thủ tục hành chính", "Mã"),
    "procedure_name": ("Tên thủ tục", "Tên thủ tục hành chính"),
    "field": ("Lĩnh vực TTHC",),
    "unit": ("Đơn vị", "Đơn vị thực hiện", "Cơ quan chủ trì", "Phòng chủ trì"),
    "online_level": ("Mức độ", "Mức độ dịch vụ công trực tuyến", "Mức độ DVC trực tuyến", "Mức DVCTT"),
    "full_online_eligible": ("Đủ điều kiện cung cấp toàn trình", "Đủ điều kiện DVCTT toàn trình"),
    "on_national_portal": ("Tích hợp Cổng Dịch vụ công quốc gia", "Cổng DVCQG", "Trên Cổng DVCQG"),
    "has_fee": ("Có phí", "Có lệ phí", "Phí, lệ phí", "Có nghĩa vụ tài chính"),
    "postal_allowed": ("Qua BCCI", "Dịch vụ bưu chính công ích", "Thực hiện qua dịch vụ BCCI"),
}

#: Spellings of the online levels, folded (``textnorm.fold``) → the level of ``ONLINE_LEVELS``.
LEVEL_SPELLINGS: dict[str, str] = {
    "toan trinh": "toàn trình",
    "dvctt toan trinh": "toàn trình",
    "dvc truc tuyen toan trinh": "toàn trình",
    "dich vu cong truc tuyen toan trinh": "toàn trình",
    "muc 4": "toàn trình",
    "muc do 4": "toàn trình",
    "4": "toàn trình",
    "mot phan": "một phần",
    "dvctt mot phan": "một phần",
    "dvc truc tuyen mot phan": "một phần",
    "dich vu cong truc tuyen mot phan": "một phần",
    "muc 3": "một phần",
    "muc do 3": "một phần",
    "3": "một phần",
    "khong": "không",
    "muc 2": "không",
    "muc do 2": "không",
    "2": "không",
    "muc 1": "không",
    "muc do 1": "không",
    "1": "không",
    "cung cap thong tin": "không",
    "cung cap thong tin truc tuyen": "không",
}

#: Yes/no cells, folded: ``có``/``không``, ``x``, ``1``/``0``, ``yes``/``no``, ``đúng``/``sai``.

#: The reader's issue messages, by code (``str.format`` templates).
MESSAGES: dict[str, str] = {
    "no_catalog_sheet": "Không tìm thấy danh mục TTHC: cần trang 'DanhMucTTHC' (dòng 1 là tiêu đề cột, "
    "có cột 'Mã TTHC' và 'Mức độ DVCTT')",
    "catalog_header_missing": "Trang 'DanhMucTTHC' không có dòng tiêu đề cột ở các dòng đầu (cần cột "
    "'Mã TTHC' và 'Mức độ DVCTT')",
    "catalog_missing_column": "Thiếu cột bắt buộc '{header}'",
    "catalog_duplicate_column": "Cột '{header}' xuất hiện hai lần (cột {first} và cột {second})",
    "catalog_unknown_column": "Cột '{header}' không thuộc mẫu danh mục TTHC, đã bỏ qua",
    "catalog_no_rows": "Không có dòng thủ tục nào dưới dòng tiêu đề",
    "code_missing": "Thiếu mã TTHC",
    "code_number": "Mã TTHC được ghi dạng số ({number}): Excel bỏ các số 0 ở cuối; đã đọc là '{code}'. "
    "Nên định dạng cột là văn bản (Text)",
    "code_duplicate": "Mã TTHC '{code}' trùng với dòng {first}: mỗi thủ tục chỉ ghi một dòng",
    "name_missing": "Thiếu tên TTHC",
    "level_missing": "Thiếu mức độ DVCTT (toàn trình, một phần hoặc không)",
    "level_unknown": "Mức độ DVCTT '{value}' không hợp lệ: ghi 'toàn trình', 'một phần' hoặc 'không' "
    "(hoặc 'mức 4', 'mức 3', 'mức 2', 'cung cấp thông tin')",
    "flag_unknown": "Ô '{value}' không phải có/không: ghi 'có' hoặc 'không' (cũng nhận x, 1/0, yes/no, "
    "đúng/sai); để trống nếu chưa rõ",
}

# ---- the command line (``python -m data_access catalog``) ----
CATALOG_HELP = "danh mục thủ tục hành chính (TTHC): nhập tệp, xem danh mục đang áp dụng"
CATALOG_IMPORT_HELP = "nhập tệp danh mục TTHC (.xlsx, trang DanhMucTTHC)"
CATALOG_LIST_HELP = "liệt kê danh mục TTHC áp dụng trong một tháng"
CATALOG_FILE_METAVAR = "TỆP"
CATALOG_FILE_HELP = "tệp danh mục TTHC (.xlsx)"
EFFECTIVE_HELP = "tháng bắt đầu áp dụng (YYYY-MM hoặc MM/YYYY; mặc định: tháng hiện tại)"
LIST_PERIOD_HELP = "tháng cần xem danh mục (YYYY-MM; mặc định: tháng hiện tại)"
CATALOG_USER_HELP = "người nhập, ghi vào nhật ký (mặc định: cli)"
CATALOG_IMPORTED = "{file}: đã nhập danh mục {n} TTHC, hiệu lực từ tháng {month} (phiên bản #{version})"
CATALOG_NONE = "Chưa có danh mục TTHC áp dụng cho tháng {month}"
CATALOG_LIST_TITLE = "Danh mục TTHC áp dụng tháng {month}: {n} thủ tục"
LIST_HEADERS: dict[str, str] = {
    "procedure_code": "Mã TTHC",
    "procedure_name": "Tên TTHC",
    "unit": "Đơn vị",
    "online_level": "Mức độ",
    "flags": "ĐK toàn trình / DVCQG / Phí / BCCI",
}
FLAG_SHOWN: dict[object, str] = {True: "có", False: "không", None: "?"}
BAD_EFFECTIVE = "Tháng hiệu lực '{value}' không hợp lệ: ghi YYYY-MM (ví dụ 2024-01)"

# ---- audit, changes between versions ----
CHANGE_KINDS: dict[str, str] = {"added": "thêm mới", "removed": "bỏ khỏi danh mục", "changed": "thay đổi"}
