"""Build test workbooks in memory with openpyxl: the canonical template and the official Biểu II.06a.

Every builder returns the ``.xlsx`` bytes; :func:`write` puts them in a folder (``tmp_path``).
Nothing here reads a workbook: the tests check the readers against what was written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook

from data_access.columns import COUNT_COLUMNS, HEADERS, TEMPLATE_COLUMNS
from data_access.export import workbook_bytes
from data_access.template import EXAMPLE

#: The canonical header row, in template order.
HEADER: list[str] = [HEADERS[c] for c in TEMPLATE_COLUMNS]

UNIT = "Phòng Giáo dục Trung học"
FIELD = "Giáo dục trung học"

#: The template's example row (data_access.template.EXAMPLE), balanced: received_new 16 (= 10 + 2 + 3 + 1) + carried 4 = 20
#: = resolved 15 (= 8 + 6 + 1) + pending 4 (= 3 + 1) + withdrawn 1.
GOOD_COUNTS: dict[str, int] = {k: int(v) for k, v in EXAMPLE.items() if k in COUNT_COLUMNS}  # type: ignore[call-overload]


def record(
    period: object = "06/2024",
    unit: object = UNIT,
    field: object = FIELD,
    procedure_code: object = None,
    procedure_name: object = None,
    **counts: object,
) -> dict[str, object]:
    """One row keyed by column code: the good counts, overridden by ``counts``."""
    rec: dict[str, object] = {
        "period": period,
        "unit": unit,
        "field": field,
        "procedure_code": procedure_code,
        "procedure_name": procedure_name,
    }
    rec.update(GOOD_COUNTS)
    rec.update(counts)
    return rec


to_bytes = workbook_bytes


def canonical(
    rows: Iterable[Sequence[object]],
    headers: Sequence[object] | None = None,
    *,
    sheet: str = "SoLieu",
    extra_sheets: Mapping[str, Sequence[Sequence[object]]] | None = None,
) -> bytes:
    """A workbook whose sheet ``sheet`` has ``headers`` in row 1 and ``rows`` below (``None`` = empty cell)."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(HEADER if headers is None else headers))
    for r in rows:
        ws.append(list(r))
    for name, extra in (extra_sheets or {}).items():
        other = wb.create_sheet(name)
        for r in extra:
            other.append(list(r))
    return to_bytes(wb)


def canonical_records(
    records: Iterable[Mapping[str, object]],
    codes: Sequence[str] = TEMPLATE_COLUMNS,
    headers: Sequence[object] | None = None,
    **kwargs: object,
) -> bytes:
    """A canonical workbook with one column per code (headers: the Vietnamese ones unless given)."""
    hdr = [HEADERS[c] for c in codes] if headers is None else list(headers)
    rows = [[rec.get(c) for c in codes] for rec in records]
    return canonical(rows, hdr, **kwargs)  # type: ignore[arg-type]


#: Official rows: (name, (3) total, (4) online, (5) direct+postal, (6) carried, (7) resolved, (8) early,
#: (9) on time, (10) late, (11) pending, (12) in time, (13) overdue).
OfficialRow = tuple[object, ...]

PERIOD_LINE_06 = "Kỳ báo cáo: Tháng 6 năm 2024 (Từ ngày 01/06/2024 đến ngày 30/06/2024)"


def official_row(
    name: str,
    online: int,
    direct_postal: int,
    carried: int,
    early: int,
    on_time: int,
    late: int,
    in_time: int,
    overdue: int,
) -> OfficialRow:
    """An official row with its totals computed: (3) = (4)+(5)+(6), (7) = (8)+(9)+(10), (11) = (12)+(13)."""
    return (
        name,
        online + direct_postal + carried,
        online,
        direct_postal,
        carried,
        early + on_time + late,
        early,
        on_time,
        late,
        in_time + overdue,
        in_time,
        overdue,
    )


def official(
    rows: Iterable[OfficialRow],
    *,
    period_line: str | None = PERIOD_LINE_06,
    by: str = "field",
    total_row: bool = True,
    signature: bool = True,
    sheet: str = "Bieu06a",
) -> bytes:
    """A report in the layout of Biểu II.06a (title rows, three merged header rows, numbered row)."""
    rows = [list(r) for r in rows]
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(["UBND THÀNH PHỐ HẢI PHÒNG", *[""] * 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    ws.append(["SỞ GIÁO DỤC VÀ ĐÀO TẠO", *[""] * 6, "Độc lập - Tự do - Hạnh phúc"])
    ws.append([])
    ws.append(["TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"])
    ws.append([period_line] if period_line else [])
    ws.append([*[""] * 10, "Đơn vị tính: Số hồ sơ TTHC"])
    name_header = "Đơn vị" if by == "unit" else "Lĩnh vực, công việc giải quyết theo cấp"
    ws.append(["STT", name_header, "Số hồ sơ nhận giải quyết", "", "", "", "Kết quả giải quyết"])
    ws.append(
        [
            "",
            "",
            "Tổng số",
            "Trong kỳ",
            "",
            "Từ kỳ trước",
            "Số hồ sơ đã giải quyết",
            "",
            "",
            "",
            "Số hồ sơ đang giải quyết",
        ]
    )
    ws.append(
        [
            "",
            "",
            "",
            "Trực tuyến",
            "Trực tiếp, dịch vụ bưu chính",
            "",
            "Tổng số",
            "Trước hạn",
            "Đúng hạn",
            "Quá hạn",
            "Tổng số",
            "Trong hạn",
            "Quá hạn",
        ]
    )
    ws.append([f"({i})" for i in range(1, 14)])
    for rng in ("A7:A9", "B7:B9", "C7:F7", "G7:M7", "C8:C9", "D8:E8", "F8:F9", "G8:J8", "K8:M8"):
        ws.merge_cells(rng)
    for i, r in enumerate(rows, start=1):
        ws.append([i, *r])
    if total_row and rows:
        sums = [sum(r[k] for r in rows if isinstance(r[k], int)) for k in range(1, 12)]  # type: ignore[misc]
        ws.append(["", "Tổng cộng", *sums])
    if signature:
        ws.append([])
        ws.append([*[""] * 9, "Hải Phòng, ngày 05 tháng 7 năm 2024"])
        ws.append(["", "NGƯỜI LẬP BIỂU", *[""] * 7, "THỦ TRƯỞNG ĐƠN VỊ"])
    return to_bytes(wb)


def write(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` as ``folder/name`` and return the path."""
    path = Path(folder) / name
    path.write_bytes(data)
    return path
