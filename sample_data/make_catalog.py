"""Make the sample procedure catalog ``sample_data/danh-muc-tthc.xlsx`` (sheet ``DanhMucTTHC``).

Its procedures are those of ``lines.toml`` (the 36 broken down in the sample figures, their fee flag
taken from there) plus a few the department offers that have no row in the figures: in a field the
figures break down by procedure they had 0 dossiers (known zero); in a field given as one row their
figures are unknown. Levels, portal and postal flags are believable for a Sở GD&ĐT (most procedures
toàn trình or một phần, a few không; most on the national portal), not the province's real list.

Run ``python -m sample_data.make_catalog`` to rewrite the file; equal content gives equal bytes.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from data_access.columns import CATALOG_COLUMNS
from data_access.texts.procedure_catalog import CATALOG_HEADERS, CATALOG_SHEET
from sample_data.generate import LINES, SAMPLE_DIR, workbook_bytes

CATALOG_FILE = SAMPLE_DIR / "danh-muc-tthc.xlsx"


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    field: str
    unit: str
    level: str  # toàn trình | một phần | không
    eligible: bool | None
    portal: bool | None
    fee: bool | None
    postal: bool | None


MNTH = "Phòng Giáo dục Mầm non và Giáo dục Tiểu học"
TRH = "Phòng Giáo dục Trung học"
GDTX = "Phòng Giáo dục Thường xuyên, Giáo dục Nghề nghiệp và Đại học"
QLCL = "Phòng Quản lý chất lượng"
TCHC = "Phòng Tổ chức – Hành chính"

#: Procedures of the figures offered only partly online (a site visit, an original to be checked).
PARTIAL = {"1.004439", "1.004563", "1.004475", "1.006390", "1.000257", "1.005065", "1.004996", "1.004997"}
#: Those of them that could be offered fully online (the plan's "đủ điều kiện"): the rest could not.
PARTIAL_ELIGIBLE = {"1.004439", "1.004563", "1.006390", "1.005065"}
#: Toàn trình procedures not yet integrated on the national portal.
NOT_ON_PORTAL = {"2.002480", "1.005095", "1.010941", "2.001987"}
#: Procedures whose result cannot be returned by post (an exam registration in person, a site visit).
NO_POSTAL = {"1.005142", "1.004996", "1.004997", "1.005000"}
#: A postal cell the office has not filled in yet (unknown, never "no").
POSTAL_UNKNOWN = {"1.005310"}

#: The catalog procedures with no row in the sample figures.
EXTRA: tuple[Entry, ...] = (
    Entry(
        "1.004494",
        "Giải thể trường mầm non (theo đề nghị của tổ chức, cá nhân thành lập trường)",
        "Giáo dục mầm non",
        MNTH,
        "toàn trình",
        True,
        True,
        False,
        True,
    ),
    Entry(
        "1.004555",
        "Giải thể trường tiểu học (theo đề nghị của tổ chức, cá nhân thành lập trường)",
        "Giáo dục tiểu học",
        MNTH,
        "toàn trình",
        True,
        True,
        False,
        True,
    ),
    Entry(
        "1.004442",
        "Sáp nhập, chia, tách trường trung học phổ thông",
        "Giáo dục trung học",
        TRH,
        "một phần",
        False,
        True,
        False,
        True,
    ),
    Entry(
        "1.005141",
        "Xét tuyển học sinh vào trường phổ thông dân tộc nội trú",
        "Giáo dục dân tộc",
        TRH,
        "toàn trình",
        True,
        True,
        False,
        True,
    ),
    Entry(
        "1.005049",
        "Cho phép trung tâm giáo dục thường xuyên hoạt động giáo dục trở lại",
        "Giáo dục thường xuyên",
        GDTX,
        "một phần",
        True,
        True,
        True,
        True,
    ),
    Entry(
        "1.000288",
        "Chấm dứt hoạt động liên kết đào tạo với nước ngoài của trung tâm giáo dục nghề nghiệp",
        "Giáo dục nghề nghiệp",
        GDTX,
        "không",
        False,
        False,
        False,
        False,
    ),
    Entry(
        "1.005070",
        "Giải thể văn phòng đại diện giáo dục nước ngoài tại Việt Nam",
        "Đào tạo với nước ngoài",
        GDTX,
        "không",
        False,
        False,
        False,
        False,
    ),
    Entry(
        "2.001915",
        "Cấp lại văn bằng, chứng chỉ do bị hư hỏng, thất lạc (cấp giấy chứng nhận thay thế)",
        "Hệ thống văn bằng, chứng chỉ",
        QLCL,
        "toàn trình",
        True,
        True,
        True,
        True,
    ),
    Entry(
        "1.004889",
        "Công nhận trường tiểu học đạt kiểm định chất lượng giáo dục",
        "Kiểm định chất lượng giáo dục",
        QLCL,
        "một phần",
        False,
        True,
        False,
        False,
    ),
    Entry(
        "1.005102",
        "Cấp giấy chứng nhận đăng ký thành lập trung tâm bồi dưỡng giáo viên",
        "Tiêu chuẩn nhà giáo, cán bộ quản lý giáo dục",
        TCHC,
        "không",
        False,
        False,
        False,
        False,
    ),
)


def entries() -> list[Entry]:
    """The sample catalog, in the order of ``lines.toml`` (each field's extra procedures after its own)."""
    out: list[Entry] = []
    for line in LINES:
        for p in line.procedures:
            partial = p.code in PARTIAL
            out.append(
                Entry(
                    p.code,
                    p.name,
                    line.field,
                    line.unit,
                    "một phần" if partial else "toàn trình",
                    (p.code in PARTIAL_ELIGIBLE) if partial else True,
                    p.code not in NOT_ON_PORTAL,
                    p.fee,
                    None if p.code in POSTAL_UNKNOWN else p.code not in NO_POSTAL,
                )
            )
        out.extend(e for e in EXTRA if (e.unit, e.field) == (line.unit, line.field))
    return out


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("Có" if value else "Không")


def catalog_bytes() -> bytes:
    """The workbook: header row 1 (the catalog's Vietnamese headers), one procedure a row, codes as text."""
    wb = Workbook()
    ws = wb.active
    ws.title = CATALOG_SHEET
    ws.append([CATALOG_HEADERS[c] for c in CATALOG_COLUMNS])
    for e in entries():
        ws.append(
            [
                e.code,
                e.name,
                e.field,
                e.unit,
                e.level,
                _yes_no(e.eligible),
                _yes_no(e.portal),
                _yes_no(e.fee),
                _yes_no(e.postal),
            ]
        )
    for row in ws.iter_rows(min_row=2, max_col=1):
        for cell in row:
            cell.number_format = "@"
    ws.freeze_panes = "A2"
    for letter, width in (("A", 11), ("B", 70), ("C", 34), ("D", 44), ("E", 13)):
        ws.column_dimensions[letter].width = width
    return workbook_bytes(wb, "sample_data.make_catalog")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sample_data.make_catalog", description="Tạo danh mục TTHC mẫu."
    )
    parser.add_argument(
        "--out", type=Path, default=CATALOG_FILE, help="tệp ghi ra (mặc định sample_data/danh-muc-tthc.xlsx)"
    )
    args = parser.parse_args(argv)
    data = catalog_bytes()
    if not args.out.exists() or args.out.read_bytes() != data:
        args.out.write_bytes(data)
    print(f"Đã ghi {len(entries())} TTHC vào {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
