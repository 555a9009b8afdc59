"""Vietnamese texts of the official 766 scores (``scoring.md``): the sheet, its headers, the groups'
names and spellings, the reader's issues and the command line (``python -m data_access scores``)."""

from __future__ import annotations

#: The sheet the scores live on.
SCORES_SHEET = "Diem766"

#: The header of each column of the sheet (``period``, ``group``, ``points`` required).
SCORES_HEADERS: dict[str, str] = {
    "period": "Kỳ",
    "group": "Nhóm chỉ số",
    "points": "Điểm",
    "max_points": "Điểm tối đa",
    "rank": "Xếp hạng",
}

#: Other headers offices write for the same columns (matched case- and diacritic-insensitively).
SCORES_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "period": ("Kỳ đánh giá", "Kỳ công bố", "Tháng", "Thời gian", "Kỳ báo cáo"),
    "group": ("Nhóm", "Chỉ số", "Nhóm chỉ tiêu", "Nhóm tiêu chí", "Tiêu chí", "Chỉ tiêu"),
    "points": ("Điểm số", "Điểm đạt", "Điểm đạt được", "Điểm công bố", "Kết quả"),
    "max_points": ("Điểm chuẩn", "Thang điểm", "Điểm tối đa của nhóm"),
    "rank": ("Thứ hạng", "Hạng", "Xếp hạng toàn quốc", "Xếp hạng của tỉnh"),
}

#: The name of each group of the 766 index (QĐ 766/QĐ-TTg, as the portal shows them today) and of the total.
GROUP_NAMES: dict[str, str] = {
    "i766.publicity": "Công khai, minh bạch",
    "i766.progress": "Tiến độ giải quyết",
    "i766.online": "Dịch vụ công trực tuyến",
    "i766.payment": "Thanh toán trực tuyến",
    "i766.satisfaction": "Mức độ hài lòng",
    "i766.digitization": "Số hóa hồ sơ",
    "i766.total": "Tổng điểm",
}

#: Other ways a group is written (besides its name and code), before folding (``textnorm.fold``).
GROUP_ALIASES: dict[str, tuple[str, ...]] = {
    "i766.publicity": ("Công khai minh bạch", "Công khai", "Nhóm 1", "Nhóm chỉ số 1", "1", "I"),
    "i766.progress": ("Tiến độ", "Tiến độ giải quyết hồ sơ", "Nhóm 2", "Nhóm chỉ số 2", "2", "II"),
    "i766.online": (
        "DVCTT",
        "DVC trực tuyến",
        "Cung cấp dịch vụ công trực tuyến",
        "Nhóm 3",
        "Nhóm chỉ số 3",
        "3",
        "III",
    ),
    "i766.payment": ("Thanh toán", "Thanh toán trực tuyến (TTTT)", "Nhóm 4", "Nhóm chỉ số 4", "4", "IV"),
    "i766.satisfaction": (
        "Hài lòng",
        "Mức độ hài lòng của người dân",
        "Mức độ hài lòng trong tiếp nhận, giải quyết TTHC",
        "Nhóm 5",
        "Nhóm chỉ số 5",
        "5",
        "V",
    ),
    "i766.digitization": (
        "Số hóa",
        "Mức độ số hóa hồ sơ",
        "Số hóa hồ sơ, kết quả",
        "Nhóm 6",
        "Nhóm chỉ số 6",
        "6",
        "VI",
    ),
    "i766.total": ("Tổng", "Tổng cộng", "Tổng số", "Tổng số điểm", "Điểm tổng", "Cộng", "Tổng điểm 766"),
}

#: A row whose group cell says this holds the rank in its ``Điểm`` cell (stored on the total).
RANK_WORDS: tuple[str, ...] = ("Xếp hạng", "Thứ hạng", "Hạng")

#: Words before a period (``Tháng 6/2024``, ``Quý II/2024``, ``Năm 2024``, ``6 tháng đầu năm 2024``).
MONTH_WORDS: tuple[str, ...] = ("thang", "t")
QUARTER_WORDS: tuple[str, ...] = ("quy", "q")
YEAR_WORDS: tuple[str, ...] = ("nam",)
FIRST_HALF_WORDS: tuple[str, ...] = ("6 thang dau nam", "sau thang dau nam")
SECOND_HALF_WORDS: tuple[str, ...] = ("6 thang cuoi nam", "sau thang cuoi nam")

#: The reader's issue messages, by code (``str.format`` templates).
MESSAGES: dict[str, str] = {
    "no_scores_sheet": "Không tìm thấy bảng điểm 766: cần trang 'Diem766' với các cột 'Kỳ', "
    "'Nhóm chỉ số', 'Điểm'",
    "scores_header_missing": "Trang điểm 766 không có dòng tiêu đề cột ở các dòng đầu (cần cột 'Kỳ', "
    "'Nhóm chỉ số', 'Điểm')",
    "scores_missing_column": "Thiếu cột bắt buộc '{header}'",
    "scores_duplicate_column": "Cột '{header}' xuất hiện hai lần (cột {first} và cột {second})",
    "scores_unknown_column": "Cột '{header}' không thuộc mẫu bảng điểm 766, đã bỏ qua",
    "scores_no_rows": "Không có dòng điểm nào dưới dòng tiêu đề",
    "score_period_missing": "Thiếu kỳ đánh giá (ghi MM/YYYY, ví dụ 06/2024, hoặc Quý II/2024)",
    "score_period_invalid": "Kỳ '{value}' không hợp lệ: ghi tháng MM/YYYY (06/2024), quý (Quý II/2024, "
    "2024-Q2), 6 tháng (2024-H1) hoặc năm (2024)",
    "score_period_too_early": "Kỳ '{value}' trước năm {year}: Bộ chỉ số 766 (QĐ 766/QĐ-TTg ngày "
    "23/6/2022) chưa áp dụng",
    "score_group_missing": "Thiếu tên nhóm chỉ số",
    "score_group_unknown": "Nhóm chỉ số '{value}' không có trong Bộ chỉ số 766: ghi một trong {names}",
    "score_missing": "Thiếu điểm: ô trống không được coi là 0 điểm; bỏ dòng này nếu Cổng chưa công bố",
    "score_not_number": "Điểm '{value}' không phải là số (ghi 17,25 hoặc 17.25)",
    "score_ambiguous": "Điểm '{value}' không rõ: dấu chấm trước ba chữ số có thể là phân cách hàng "
    "nghìn; ghi dấu phẩy cho phần thập phân (ví dụ 17,250)",
    "score_negative": "Điểm {value} âm: điểm công bố không nhỏ hơn 0",
    "score_above_max": "Điểm {value} vượt điểm tối đa {max} của nhóm '{group}'",
    "score_max_differs": "Điểm tối đa {value} khác với điểm tối đa {max} của nhóm '{group}' theo Bộ chỉ "
    "số 766 hiện nay",
    "score_duplicate": "Kỳ {period}, nhóm '{group}' trùng với dòng {first}: mỗi nhóm chỉ ghi một dòng mỗi kỳ",
    "rank_invalid": "Xếp hạng '{value}' không hợp lệ: ghi một số nguyên từ 1 trở lên",
    "rank_duplicate": "Kỳ {period} đã có xếp hạng ở dòng {first}: mỗi kỳ chỉ một xếp hạng",
    "rank_on_group": "Xếp hạng chỉ ghi ở dòng tổng điểm (hoặc một dòng 'Xếp hạng'), không ghi ở nhóm "
    "'{group}'",
    "total_differs": "Kỳ {period}: tổng điểm {total} khác tổng sáu nhóm {sum} (chênh {diff}); kiểm tra "
    "lại các ô điểm",
}

# ---- the command line (``python -m data_access scores``) ----
SCORES_HELP = "điểm Bộ chỉ số 766 do Cổng DVCQG công bố: nhập tệp, xem điểm đã nhập"
SCORES_IMPORT_HELP = "nhập tệp điểm 766 đã công bố (.xlsx, trang Diem766: Kỳ, Nhóm chỉ số, Điểm)"
SCORES_LIST_HELP = "liệt kê điểm 766 đã công bố (lần nhập mới nhất của mỗi kỳ và nhóm)"
SCORES_FILE_METAVAR = "TỆP"
SCORES_FILE_HELP = "tệp điểm 766 (.xlsx)"
SCORES_USER_HELP = "người nhập, ghi vào nhật ký (mặc định: cli)"
SCORES_PERIOD_METAVAR = "KỲ"
SCORES_PERIOD_HELP = "kỳ cần xem (06/2024, 2024-06, Quý II/2024, 2024-Q2…; mặc định: mọi kỳ)"
SCORES_IMPORTED = "{file}: đã nhập {rows} điểm 766 công bố của {n} kỳ ({periods}), lần nhập #{upload}"
SCORES_NONE = "Chưa có điểm 766 công bố nào"
SCORES_NONE_FOR = "Chưa có điểm 766 công bố cho {period}"
SCORES_LIST_TITLE = "Điểm 766 công bố — {period}"
SCORES_LIST_HEADERS: dict[str, str] = {
    "group": "Nhóm chỉ số",
    "points": "Điểm",
    "max_points": "Tối đa",
    "rank": "Xếp hạng",
    "upload": "Lần nhập",
}
BAD_SCORES_PERIOD = "Kỳ '{value}' không hợp lệ: ghi 2024-06, 06/2024, 2024-Q2 hoặc Quý II/2024"
NO_VALUE = "—"

#: How a stored period is written for people (the month, quarter, half, year of ``periods.md``).
PERIOD_MONTH = "Tháng {month}/{year}"
PERIOD_QUARTER = "Quý {roman}/{year}"
PERIOD_FIRST_HALF = "6 tháng đầu năm {year}"
PERIOD_SECOND_HALF = "6 tháng cuối năm {year}"
PERIOD_YEAR = "Năm {year}"
