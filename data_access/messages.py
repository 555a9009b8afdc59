"""Every Vietnamese message the readers and the store produce, kept together for review."""

from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class Issue:
    """One error or warning about an uploaded file, located as Excel shows it."""

    level: str  # "error" or "warning"
    code: str
    message: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: object = None
    col_index: int | None = None  # 0-based column in the sheet, for highlighting
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    def where(self) -> str:
        parts = [p for p in (self.file, self.sheet and f"trang '{self.sheet}'") if p]
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column:
            letter = f" ({column_letter(self.col_index)})" if self.col_index is not None else ""
            parts.append(f"cột '{self.column}'{letter}")
        return ", ".join(parts)

    def format(self) -> str:
        """One line for the command line: where, the value, the message."""
        shown = self.value
        if isinstance(shown, float) and shown.is_integer():
            shown = int(shown)  # Excel keeps every number as a float: show -3, not -3.0
        blank = shown is None or (isinstance(shown, str) and not shown.strip())
        value = "" if blank else f" [giá trị: {shown!r}]"
        label = "LỖI" if self.is_error else "CẢNH BÁO"
        where = self.where()
        return f"{label}: {where}: {self.message}{value}" if where else f"{label}: {self.message}{value}"

    def as_dict(self) -> dict:
        return {
            "level": self.level,
            "code": self.code,
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": None if self.value is None else str(self.value),
            "message": self.message,
        }


def msg(code: str, **kwargs: object) -> str:
    """The Vietnamese message for ``code`` with its placeholders filled."""
    if code in ("unit_unknown", "field_unknown") and not kwargs.get("suggestion"):
        code = f"{code}_far"  # no close name: say so, and where to add one
    return MESSAGES[code].format(**kwargs)


def column_letter(index: int | None) -> str:
    """Excel column letter for a 0-based index (0 → A, 26 → AA)."""
    if index is None:
        return ""
    n = index + 1
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


class IssueList:
    """Mixin for results that carry ``issues``: their errors, warnings and whether all is well."""

    issues: list[Issue]

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if not i.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors
