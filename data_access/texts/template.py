"""The Vietnamese texts of the canonical template workbook: its guide sheet, hints and lists."""

from __future__ import annotations

from data_access.texts.columns import NO_FIELD

# ---- sheet names (tabs the office sees; the reader looks for the data sheet by name) ----
DATA_SHEET = "SoLieu"
GUIDE_SHEET = "HuongDan"
LISTS_SHEET = "DanhMuc"

# ---- the guide sheet ----
#: What each template column means (shown on the guide sheet).
MEANINGS: dict[str, str] = {
    "period": "Tháng báo cáo. Ghi dạng MM/YYYY (vd. 06/2024) hoặc YYYY-MM (vd. 2024-06); "
    "nếu ghi một ngày thì lấy tháng của ngày đó. Không nhập tháng ở tương lai.",
    "unit": "Đơn vị (phòng, ban) báo cáo. Chọn trong danh sách thả xuống.",
    "field": f"Lĩnh vực thủ tục hành chính. Chọn trong danh sách thả xuống; dùng '{NO_FIELD}' "
    "khi không tách được theo lĩnh vực.",
    "procedure_code": "Mã thủ tục hành chính trên Cổng Dịch vụ công quốc gia, khi báo cáo chi tiết "
    "đến từng thủ tục.",
    "procedure_name": "Tên thủ tục hành chính (để đối chiếu, không dùng để tính).",
    "received_online_full": "Số hồ sơ tiếp nhận trong kỳ qua dịch vụ công trực tuyến toàn trình.",
    "received_online_partial": "Số hồ sơ tiếp nhận trong kỳ qua dịch vụ công trực tuyến một phần.",
    "received_direct": "Số hồ sơ tiếp nhận trực tiếp trong kỳ (tại Bộ phận Một cửa).",
    "received_postal": "Số hồ sơ tiếp nhận trong kỳ qua dịch vụ bưu chính công ích (BCCI).",
    "carried_over": "Số hồ sơ từ kỳ trước chuyển sang, chưa giải quyết xong.",
    "resolved_early": "Số hồ sơ đã giải quyết xong trước hạn.",
    "resolved_on_time": "Số hồ sơ đã giải quyết xong đúng hạn.",
    "resolved_late": "Số hồ sơ đã giải quyết xong nhưng quá hạn.",
    "pending_in_time": "Số hồ sơ đang giải quyết (cuối kỳ), còn trong hạn.",
    "pending_overdue": "Số hồ sơ đang giải quyết (cuối kỳ), đã quá hạn.",
    "withdrawn": "Số hồ sơ trả lại hoặc tổ chức, công dân rút hồ sơ.",
    "returned_postal": "Số kết quả giải quyết trả qua dịch vụ BCCI (không lớn hơn số đã giải quyết).",
    "results_digitized": "Số kết quả giải quyết được số hóa (không lớn hơn số đã giải quyết).",
    "dossiers_digitized": "Số hồ sơ được số hóa (không lớn hơn tiếp nhận trong kỳ + từ kỳ trước chuyển sang).",
    "payments_total": "Số giao dịch thanh toán phí, lệ phí.",
    "payments_online": "Số giao dịch thanh toán trực tuyến trên Cổng Dịch vụ công quốc gia "
    "(không lớn hơn tổng số giao dịch).",
}

INTRO: tuple[str, ...] = (
    f"Ghi số liệu vào trang '{DATA_SHEET}', từ dòng 2 trở xuống. Không đổi tên trang, không sửa dòng tiêu đề.",
    "Mỗi dòng là số liệu của một tháng × một đơn vị × một lĩnh vực (có thể chi tiết đến từng TTHC); "
    "không lặp lại cùng kỳ, đơn vị, lĩnh vực và mã TTHC.",
    "Số hồ sơ là số nguyên ≥ 0. Ô để trống nghĩa là CHƯA BIẾT, không phải 0: chỉ tiêu nào cần ô đó "
    "sẽ bỏ qua dòng này. Nếu số liệu bằng 0, hãy ghi 0.",
    "Một tệp có thể gồm nhiều tháng. Nhập lại một tháng của một đơn vị sẽ thay thế số liệu đang dùng của "
    "tháng và đơn vị đó; bản cũ vẫn lưu trong lịch sử và có thể khôi phục.",
    "Cột không thuộc mẫu (vd. 'Ghi chú') được bỏ qua. Tệp có lỗi bị từ chối cả tệp; trang Nhập số liệu "
    "liệt kê từng lỗi và cho tải về bản có đánh dấu ô lỗi.",
)

RULES_TITLE = "Quy tắc cộng tổng và kiểm tra"
#: The rules after the sums (those are written from ``TOTALS`` by the template).
RULES: tuple[str, ...] = (
    "Mẫu chỉ có các cột thành phần, hệ thống tự cộng các tổng trên. Nếu chỉ biết tổng mà không biết "
    "thành phần, có thể thêm cột tổng với đúng tiêu đề ở trên; khi ghi cả tổng và thành phần thì tổng "
    "phải bằng tổng các thành phần.",
    "Kết quả được số hóa và Trả kết quả qua BCCI không lớn hơn Đã giải quyết; Giao dịch thanh toán trực "
    "tuyến không lớn hơn Giao dịch thanh toán phí, lệ phí; Hồ sơ được số hóa không lớn hơn Tiếp nhận "
    "trong kỳ + Từ kỳ trước chuyển sang.",
    "Cân đối (chỉ cảnh báo): Tiếp nhận trong kỳ + Từ kỳ trước chuyển sang = Đã giải quyết + "
    "Đang giải quyết + Trả lại, rút hồ sơ.",
)

#: The example row shown on the guide (balanced: 16 + 4 = 15 + 4 + 1).
EXAMPLE: dict[str, object] = {
    "period": "06/2024",
    "unit": "Phòng Giáo dục Trung học",
    "field": "Giáo dục trung học",
    "procedure_code": "1.005090",
    "procedure_name": "Chuyển trường đối với học sinh trung học phổ thông",
    "received_online_full": 10,
    "received_online_partial": 2,
    "received_direct": 3,
    "received_postal": 1,
    "carried_over": 4,
    "resolved_early": 8,
    "resolved_on_time": 6,
    "resolved_late": 1,
    "pending_in_time": 3,
    "pending_overdue": 1,
    "withdrawn": 1,
    "returned_postal": 2,
    "results_digitized": 15,
    "dossiers_digitized": 16,
    "payments_total": 5,
    "payments_online": 3,
}

PERIOD_HINT = "Ghi tháng dạng MM/YYYY, ví dụ 06/2024 (ô đã định dạng văn bản)."
COUNT_ERROR = "Số hồ sơ phải là số nguyên ≥ 0. Để trống nếu chưa biết."
LIST_WARNING = "Tên không có trong danh sách. Nên chọn trong danh sách thả xuống."


# ---- sheet and cell labels of the workbook ----
LISTS_HEADER: tuple[str, str] = ("Đơn vị", "Lĩnh vực")
HINT_AUTHOR = "Mẫu số liệu"
LIST_PROMPT = "Chọn trong danh sách thả xuống."
COUNT_TITLE = "Số hồ sơ"
GUIDE_TITLE = "HƯỚNG DẪN NHẬP SỐ LIỆU DỊCH VỤ CÔNG TRỰC TUYẾN"
COLUMNS_TITLE = "Các cột của trang SoLieu"
COLUMNS_HEADER: tuple[str, str, str, str] = ("Mã cột", "Tiêu đề cột", "Ý nghĩa", "Bắt buộc?")
REQUIRED_YES = "Bắt buộc"
REQUIRED_PART = "Không (trống = chưa biết)"
REQUIRED_NO = "Không"
EXAMPLE_TITLE = "Ví dụ (một dòng mẫu; chỉ để tham khảo, KHÔNG được nhập — hãy ghi số liệu vào trang SoLieu)"
UNITS_TITLE = "Danh mục đơn vị"
FIELDS_TITLE = "Danh mục lĩnh vực"
