"""The canonical Excel template the office fills in (sheet ``SoLieu``), with its guide and lists.

``SoLieu`` holds the header row only, so nothing in the template is ever imported by accident;
the guide (``HuongDan``) explains every column and shows an example row; the units and fields
the drop-down lists offer live on a hidden sheet (``DanhMuc``) behind named ranges, because
their names contain commas (a literal list would split them).
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from data_access.catalog import NO_FIELD, Catalog, load_catalog
from data_access.columns import HEADERS, PART_COLUMNS, REQUIRED_COLUMNS, TEMPLATE_COLUMNS, TOTALS

DATA_SHEET = "SoLieu"
GUIDE_SHEET = "HuongDan"
LISTS_SHEET = "DanhMuc"
UNITS_NAME = "DanhSachDonVi"
FIELDS_NAME = "DanhSachLinhVuc"
#: Rows of ``SoLieu`` that carry the validations and the text format (row 2 to this one).
LAST_ROW = 2000
TEMPLATE_FILE_NAME = "mau-so-lieu-dvctt.xlsx"

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
EXAMPLE_FILL = PatternFill("solid", fgColor="F2F2F2")
TITLE_FONT = Font(bold=True, size=14, color="1F5FA8")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

# ---------------------------------------------------------------- Vietnamese text of the guide

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
RULES: tuple[str, ...] = (
    *(f"{HEADERS[t]} = " + " + ".join(HEADERS[p] for p in parts) for t, parts in TOTALS.items()),
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


def _width(code: str) -> float:
    if code in ("unit", "field"):
        return 42
    if code == "procedure_name":
        return 36
    if code in ("period", "procedure_code"):
        return 13
    return 16


def build_template(catalog: Catalog | None = None) -> bytes:
    """The ``.xlsx`` bytes of the canonical template (``SoLieu``, ``HuongDan``, hidden ``DanhMuc``)."""
    catalog = catalog or load_catalog()
    wb = Workbook()
    data = wb.active
    data.title = DATA_SHEET
    guide = wb.create_sheet(GUIDE_SHEET)
    lists = wb.create_sheet(LISTS_SHEET)

    units, fields = catalog.units.names, catalog.fields.names
    _fill_lists(wb, lists, units, fields)
    _fill_data_sheet(data)
    _fill_guide(guide, units, fields)
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _fill_lists(wb: Workbook, ws: Worksheet, units: list[str], fields: list[str]) -> None:
    ws.append(["Đơn vị", "Lĩnh vực"])
    for i in range(max(len(units), len(fields))):
        ws.append([units[i] if i < len(units) else None, fields[i] if i < len(fields) else None])
    ws.column_dimensions["A"].width = 60
    ws.column_dimensions["B"].width = 50
    ws.sheet_state = "hidden"
    for name, col, n in ((UNITS_NAME, "A", len(units)), (FIELDS_NAME, "B", len(fields))):
        ref = f"'{LISTS_SHEET}'!${col}$2:${col}${max(2, n + 1)}"
        wb.defined_names[name] = DefinedName(name, attr_text=ref)


def _fill_data_sheet(ws: Worksheet) -> None:
    codes = list(TEMPLATE_COLUMNS)
    ws.append([HEADERS[c] for c in codes])
    for j, code in enumerate(codes, start=1):
        cell = ws.cell(row=1, column=j)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(j)].width = _width(code)
    ws.row_dimensions[1].height = 48
    ws.freeze_panes = "A2"

    col = {c: get_column_letter(j) for j, c in enumerate(codes, start=1)}
    # the period column is text, so 06/2024 stays as typed instead of becoming a date
    ws.column_dimensions[col["period"]].number_format = "@"
    period_dv = DataValidation(type="textLength", operator="between", formula1="6", formula2="10",
                               allow_blank=True, showInputMessage=True, showErrorMessage=True,
                               errorStyle="warning", promptTitle=HEADERS["period"], prompt=PERIOD_HINT,
                               errorTitle=HEADERS["period"], error=PERIOD_HINT)
    period_dv.add(f"{col['period']}2:{col['period']}{LAST_ROW}")
    ws.cell(row=1, column=1).comment = Comment(PERIOD_HINT, "Mẫu số liệu", width=260, height=70)

    validations = [period_dv]
    for code, name, title in (("unit", UNITS_NAME, HEADERS["unit"]), ("field", FIELDS_NAME, HEADERS["field"])):
        dv = DataValidation(type="list", formula1=name, allow_blank=True, showDropDown=False,
                            showInputMessage=True, showErrorMessage=True, errorStyle="warning",
                            promptTitle=title, prompt="Chọn trong danh sách thả xuống.",
                            errorTitle=title, error=LIST_WARNING)
        dv.add(f"{col[code]}2:{col[code]}{LAST_ROW}")
        validations.append(dv)
    counts = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, errorStyle="stop", errorTitle="Số hồ sơ",
                            error=COUNT_ERROR)
    counts.add(f"{col[PART_COLUMNS[0]]}2:{col[PART_COLUMNS[-1]]}{LAST_ROW}")
    validations.append(counts)
    for dv in validations:
        ws.add_data_validation(dv)


def _fill_guide(ws: Worksheet, units: list[str], fields: list[str]) -> None:
    w = ws
    w.column_dimensions["A"].width = 26
    w.column_dimensions["B"].width = 36
    w.column_dimensions["C"].width = 80
    w.column_dimensions["D"].width = 22
    wrap = Alignment(wrap_text=True, vertical="top")

    def line(text: str, *, font: Font | None = None) -> None:
        w.append([text])
        row = w.max_row
        w.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        cell = w.cell(row=row, column=1)
        cell.alignment = wrap
        if font:
            cell.font = font
        w.row_dimensions[row].height = 15 * max(1, len(text) // 150 + 1)

    line("HƯỚNG DẪN NHẬP SỐ LIỆU DỊCH VỤ CÔNG TRỰC TUYẾN", font=TITLE_FONT)
    for i, text in enumerate(INTRO, start=1):
        line(f"{i}. {text}")
    w.append([])

    line("Các cột của trang SoLieu", font=Font(bold=True, size=12))
    w.append(["Mã cột", "Tiêu đề cột", "Ý nghĩa", "Bắt buộc?"])
    head = w.max_row
    for j in range(1, 5):
        c = w.cell(row=head, column=j)
        c.font, c.fill, c.border = Font(bold=True), HEADER_FILL, BOX
    for code in TEMPLATE_COLUMNS:
        required = "Bắt buộc" if code in REQUIRED_COLUMNS else (
            "Không (trống = chưa biết)" if code in PART_COLUMNS else "Không")
        w.append([code, HEADERS[code], MEANINGS[code], required])
        for j in range(1, 5):
            c = w.cell(row=w.max_row, column=j)
            c.alignment, c.border = wrap, BOX
    w.append([])

    line(RULES_TITLE, font=Font(bold=True, size=12))
    for text in RULES:
        line(f"• {text}")
    w.append([])

    line("Ví dụ (một dòng mẫu; chỉ để tham khảo, KHÔNG được nhập — hãy ghi số liệu vào trang SoLieu)",
         font=Font(bold=True, size=12))
    w.append([HEADERS[c] for c in TEMPLATE_COLUMNS])
    ex_head = w.max_row
    w.append([EXAMPLE.get(c) for c in TEMPLATE_COLUMNS])
    for j in range(1, len(TEMPLATE_COLUMNS) + 1):
        h = w.cell(row=ex_head, column=j)
        h.font, h.fill, h.border = Font(bold=True), HEADER_FILL, BOX
        h.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        v = w.cell(row=ex_head + 1, column=j)
        v.fill, v.border, v.font = EXAMPLE_FILL, BOX, Font(italic=True)
        v.alignment = Alignment(wrap_text=True, vertical="top")
    w.cell(row=ex_head + 1, column=1).number_format = "@"
    w.row_dimensions[ex_head].height = 48
    w.append([])

    line("Danh mục đơn vị", font=Font(bold=True, size=12))
    for name in units:
        line(f"• {name}")
    line("Danh mục lĩnh vực", font=Font(bold=True, size=12))
    for name in fields:
        line(f"• {name}")


__all__ = ["DATA_SHEET", "GUIDE_SHEET", "LISTS_SHEET", "TEMPLATE_FILE_NAME", "build_template"]
