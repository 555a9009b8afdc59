"""The words of the dossier list (danh sách hồ sơ, ``dossier-list.md``): headers, values, messages."""

from __future__ import annotations

#: Sheet name of the list.
SHEET_NAME = "DanhSachHoSo"

#: Column code → (header, aliases...). The first is the header shown in messages.
HEADERS: dict[str, tuple[str, ...]] = {
    "dossier_code": ("Mã hồ sơ", "Số hồ sơ"),
    "procedure_code": ("Mã TTHC", "Mã thủ tục"),
    "procedure_name": ("Tên TTHC", "Tên thủ tục"),
    "unit": ("Đơn vị", "Cơ quan giải quyết"),
    "field": ("Lĩnh vực",),
    "channel": ("Hình thức nộp", "Kênh nộp"),
    "online_full": ("Toàn trình",),
    "received_date": ("Ngày tiếp nhận",),
    "due_date": ("Hạn xử lý", "Ngày hẹn trả"),
    "end_date": ("Ngày kết thúc", "Ngày có kết quả"),
    "status": ("Trạng thái",),
    "result_digitized": ("Kết quả điện tử", "Số hóa kết quả"),
    "dossier_digitized": ("Số hóa hồ sơ",),
    "fee_required": ("Phải nộp phí, lệ phí",),
    "paid_online": ("Thanh toán trực tuyến", "Thanh toán trên Cổng DVCQG"),
    "returned_postal": ("Trả kết quả qua BCCI",),
}

#: Channel words → channel code.
CHANNELS: dict[str, tuple[str, ...]] = {
    "online": ("Trực tuyến",),
    "direct": ("Trực tiếp",),
    "postal": ("Bưu chính công ích", "BCCI", "Bưu điện"),
}

#: Status words → status code.
STATUSES: dict[str, tuple[str, ...]] = {
    "resolved": ("Đã giải quyết", "Đã trả kết quả", "Hoàn thành"),
    "open": ("Đang giải quyết",),
    "withdrawn": ("Rút hồ sơ", "Trả lại", "Từ chối", "Dừng xử lý"),
}

#: yes/no words (``procedures.md``), folded before comparing.

#: The period line above the header (folded: "Từ ngày 01/04/2024 đến ngày 30/06/2024").
PERIOD_FROM = "từ ngày"
PERIOD_TO = "đến ngày"

MESSAGES: dict[str, str] = {
    "dossier_no_header": "Không tìm thấy dòng tiêu đề của danh sách hồ sơ (cần các cột 'Mã hồ sơ' và 'Ngày tiếp nhận')",
    "dossier_no_rows": "Danh sách hồ sơ không có dòng nào dưới dòng tiêu đề",
    "dossier_missing_column": "Thiếu cột bắt buộc '{header}'",
    "dossier_duplicate_column": "Cột '{header}' xuất hiện hai lần",
    "dossier_missing_cell": "Ô '{header}' bị trống (bắt buộc)",
    "dossier_bad_channel": "Hình thức nộp không hợp lệ: cần 'Trực tuyến', 'Trực tiếp' hoặc 'Bưu chính công ích'",
    "dossier_bad_status": "Trạng thái không hợp lệ: cần 'Đã giải quyết', 'Đang giải quyết' hoặc 'Rút hồ sơ'",
    "dossier_bad_date": "Ngày không hợp lệ: cần dd/mm/yyyy (có thể kèm giờ) hoặc ô ngày của Excel",
    "dossier_future_date": "Ngày ở tương lai (hôm nay là {today})",
    "dossier_bad_yes_no": "Giá trị có/không không hợp lệ: cần 'Có', 'Không', 'x', 1 hoặc 0 (để trống nếu không rõ)",
    "dossier_end_before_received": "Ngày kết thúc trước ngày tiếp nhận ({received})",
    "dossier_end_missing": "Hồ sơ đã giải quyết hoặc đã rút phải có ngày kết thúc",
    "dossier_end_when_open": "Hồ sơ đang giải quyết không được có ngày kết thúc",
    "dossier_duplicate_code": "Mã hồ sơ trùng với dòng {other}",
    "dossier_unit_unknown": "Đơn vị không có trong danh mục",
    "dossier_field_unknown": "Lĩnh vực không có trong danh mục",
    "dossier_unit_missing": "Thiếu đơn vị: ô trống và thủ tục không có trong danh mục TTHC",
    "dossier_field_missing": "Thiếu lĩnh vực: ô trống và thủ tục không có trong danh mục TTHC",
    "dossier_after_period": "Hồ sơ tiếp nhận sau ngày cuối kỳ ({end})",
    "dossier_text_too_long": "Ô dài quá {limit} ký tự",
    "dossier_bad_period": "Kỳ 'Từ ngày … đến ngày …' không trọn các tháng báo cáo: {start} – {end}",
}
