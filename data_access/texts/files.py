"""The Vietnamese texts of reading and writing files: workbook checks and export formats."""

from __future__ import annotations

# ---- reading a workbook ----
#: The name of an upload that came without a file name.
UPLOAD_NAME = "tệp tải lên"
#: Details of the "not_excel" message.
EMPTY_FILE = "tệp rỗng"
NOT_XLSX = "nội dung không phải định dạng .xlsx"
#: Why a sheet's XML is refused (the detail of the "unreadable" message).
SHEET_DOCTYPE = "trang tính có khai báo DOCTYPE hoặc dấu '<' trong giá trị thuộc tính"
SHEET_UNCLOSED = "trang tính có chú thích hoặc khối CDATA không đóng"
#: The detail of "unreadable" when a part's XML is broken ({member}: the zip member, {error}: expat's words).
XML_BROKEN = "phần '{member}' của tệp không phải XML hợp lệ ({error})"
#: The detail of "unreadable" for a workbook listing too many sheets or relationships ({member}: the part).
TOO_MANY_PARTS = "phần '{member}' liệt kê hơn {limit} trang tính hoặc liên kết (có thể là tệp độc hại)"
#: The detail of "unreadable" for a zip holding two parts of one name (Excel never writes one; readers
#: disagree on which of the two counts).
DUPLICATE_MEMBER = "tệp có hai phần cùng tên '{member}' (tệp bị sửa bằng công cụ khác hoặc bị giả mạo)"
#: Details of "not_excel" for an OLE (Compound File) container: a workbook encrypted with a password
#: (Excel stores it so even when saved as .xlsx), a real Excel 97–2003 workbook, another OLE file.
ENCRYPTED_WORKBOOK = (
    "sổ tính được đặt mật khẩu mở tệp (đã mã hóa) nên không đọc được. Mở tệp bằng Excel, vào Tệp → Thông tin "
    "→ Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa trống mật khẩu, lưu lại rồi tải lên"
)
LEGACY_XLS = (
    "đây là tệp Excel 97–2003 (.xls), định dạng cũ không được hỗ trợ. Mở tệp bằng Excel, chọn Lưu thành → "
    "Sổ làm việc Excel (*.xlsx), rồi tải tệp .xlsx lên"
)
OLE_OTHER = "tệp dạng Office cũ (OLE), không phải sổ tính .xlsx"
#: Where the text bound was crossed ("text_bomb" {where}).
TEXT_AT_CELL = "đến ô {cell} của trang '{sheet}'"
TEXT_IN_SHEET = "đến trang '{sheet}'"
TEXT_IN_SHARED = "riêng bảng chuỗi dùng chung (xl/sharedStrings.xml)"
#: A cell's length when the reading stopped before its end ("cell_text_huge" {chars}).
TEXT_MORE_THAN = "hơn {n}"

#: The upload page's refusal of a file name longer than a file system allows ({n}: its length).
NAME_TOO_LONG = (
    "Tên tệp dài {n} ký tự, quá giới hạn {limit} ký tự của tên tệp (tệp thật không thể có tên dài như vậy): "
    "đổi tên tệp cho ngắn hơn rồi tải lại. Chưa lưu số liệu nào."
)
#: Replaces, in the uploader's file list, Streamlit's English line for a file its server refused
#: ("AxiosError: Request failed with status code 400" when a name of a few thousand characters makes
#: the multipart part header too long for python-multipart, "Invalid multipart data"; "File must be
#: 20.0MB or smaller").
UPLOAD_FAILED = (
    "Không tải được tệp này lên (tệp quá lớn, tên tệp quá dài hoặc mất kết nối): xóa tệp khỏi ô, "
    "kiểm tra rồi chọn lại"
)

# ---- writing a workbook ----
#: The last row of the marked copy's list when issues were left out ({n}: how many; {limit}: how many shown).
ANNOTATE_MORE = (
    "Còn {n} vấn đề nữa không được đánh dấu trong bản này (chỉ đánh dấu {limit} vấn đề đầu, lỗi trước): "
    "xem đủ danh sách trên trang tải lên; sửa các lỗi trên rồi tải lại để kiểm tra tiếp"
)
#: Why no marked copy is made of a workbook too large for openpyxl to open at little cost.
ANNOTATE_TOO_BIG = "tệp quá lớn để tạo bản đánh dấu ({what} > {limit}); xem danh sách lỗi trên trang tải lên"
ANNOTATE_MERGED = "{cells} ô gộp"
ANNOTATE_SHEET_XML = "{mb} MB dữ liệu trang tính"
#: Excel's number format of a difference in percentage points.
POINTS_FORMAT = '+0.0" điểm %";-0.0" điểm %";0.0" điểm %"'
