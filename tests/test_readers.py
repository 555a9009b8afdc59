"""Readers: the example workbooks checked by hand, header and period matching, totals and parts."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from data_access.catalog import NO_FIELD
from data_access.columns import COUNT_COLUMNS, HEADERS, PART_COLUMNS, TEMPLATE_COLUMNS, TOTALS
from data_access.readers import FRAME_COLUMNS, read_workbook
from data_access.store import import_files, load_figures, open_engine
from tests.helpers import EXAMPLES
from tests.workbooks import (
    FIELD,
    GOOD_COUNTS,
    HEADER,
    UNIT,
    canonical,
    canonical_records,
    official,
    official_row,
    record,
)

SO_LIEU = EXAMPLES / "so-lieu-mau.xlsx"
BAO_CAO = EXAMPLES / "bao-cao-06a-mau.xlsx"
TODAY = dt.date(2024, 12, 31)
GDTrH = "Phòng Giáo dục Trung học"
GDTX = "Phòng Giáo dục Thường xuyên, Giáo dục Nghề nghiệp và Đại học"
QLCL = "Phòng Quản lý chất lượng"


def read(data: bytes | Path, **kw: object):
    kw.setdefault("today", TODAY)
    return read_workbook(data, **kw)  # type: ignore[arg-type]


def codes_of(result) -> list[str]:
    return [i.code for i in result.issues]


def row_of(frame: pd.DataFrame, **where: object) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for k, v in where.items():
        mask &= frame[k].isna() if v is None else frame[k] == v
    hits = frame[mask]
    assert len(hits) == 1, where
    return hits.iloc[0]


def na(value: object) -> bool:
    return value is None or value is pd.NA


# ---------------------------------------------------------------------------- so-lieu-mau.xlsx


@pytest.fixture(scope="module")
def so_lieu():
    return read_workbook(SO_LIEU, today=TODAY)


def test_example_canonical_shape(so_lieu) -> None:
    r = so_lieu
    assert r.ok, [i.format() for i in r.issues]
    assert r.issues == []  # every row balances, no unknown column
    assert (r.layout, r.sheet, r.file) == ("canonical", "SoLieu", "so-lieu-mau.xlsx")
    assert len(r.frame) == 13
    assert r.months == ["2024-05", "2024-06"]
    assert r.excel_rows == list(range(2, 15))
    assert list(r.frame.columns) == list(FRAME_COLUMNS)
    for c in COUNT_COLUMNS:
        assert str(r.frame[c].dtype) == "Int64", c
    assert len(r.sha256) == 64
    # 6 rows in 05/2024 (Excel rows 2-7), 7 in 06/2024 (rows 8-14)
    assert r.frame["period"].value_counts().to_dict() == {"2024-05": 6, "2024-06": 7}
    assert sorted(r.frame["unit"].unique()) == sorted([GDTrH, GDTX, QLCL])


def test_example_canonical_row_2_by_hand(so_lieu) -> None:
    # Excel row 2: 05/2024, Phòng GD Trung học, Giáo dục trung học:
    # 61 10 16 3 | 23 | 37 56 4 | 15 1 | 0 | 11 90 78 66 18
    row = so_lieu.frame.iloc[0]
    assert (row["period"], row["unit"], row["field"]) == ("2024-05", GDTrH, "Giáo dục trung học")
    assert na(row["procedure_code"]) and na(row["procedure_name"])
    assert row["received_online_full"] == 61
    assert row["received_online_partial"] == 10
    assert row["received_online"] == 71  # 61 + 10
    assert row["received_direct_postal"] == 19  # 16 + 3
    assert row["received_new"] == 90  # 71 + 16 + 3
    assert row["carried_over"] == 23
    assert row["resolved"] == 97  # 37 + 56 + 4
    assert row["pending"] == 16  # 15 + 1
    assert row["withdrawn"] == 0
    # books balance: 90 + 23 = 113 = 97 + 16 + 0
    assert row["received_new"] + row["carried_over"] == row["resolved"] + row["pending"] + row["withdrawn"]
    assert (row["returned_postal"], row["results_digitized"], row["dossiers_digitized"]) == (11, 90, 78)
    assert (row["payments_total"], row["payments_online"]) == (66, 18)


def test_example_canonical_null_payments_stay_unknown(so_lieu) -> None:
    # Excel row 5: 05/2024, GDTX-GDNN-ĐH, Giáo dục nghề nghiệp: both payment cells are empty
    row = row_of(so_lieu.frame, period="2024-05", unit=GDTX, field="Giáo dục nghề nghiệp")
    assert na(row["payments_total"]) and na(row["payments_online"])  # NA, not 0
    assert row["received_online"] == 91  # 79 + 12
    assert row["received_new"] == 115  # 91 + 17 + 7
    assert row["resolved"] == 122  # 41 + 78 + 3
    assert row["results_digitized"] == 110  # ≤ 122
    # the month's payments: NA rows are left out of the sum, not counted as 0
    may = so_lieu.frame[so_lieu.frame["period"] == "2024-05"]
    assert may["payments_total"].isna().sum() == 1
    assert may["payments_total"].sum() == 66 + 40 + 56 + 85 + 69  # = 316
    assert int(may["payments_total"].sum()) == 316


def test_example_canonical_procedure_row(so_lieu) -> None:
    # Excel row 14: 06/2024, QLCL, Hệ thống văn bằng, chứng chỉ, TTHC 1.005092
    row = row_of(so_lieu.frame, procedure_code="1.005092")
    assert row["procedure_name"] == "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc"
    assert (row["period"], row["unit"], row["field"]) == ("2024-06", QLCL, "Hệ thống văn bằng, chứng chỉ")
    assert row["received_online"] == 199  # 194 + 5
    assert row["received_direct_postal"] == 16  # 12 + 4
    assert row["received_new"] == 215  # 199 + 16
    assert row["resolved"] == 204  # 63 + 131 + 10
    assert row["pending"] == 17  # 17 + 0
    # 215 + 6 = 221 = 204 + 17 + 0
    assert so_lieu.excel_rows[so_lieu.frame.index.get_loc(row.name)] == 14
    # the same (month, unit, field) without a procedure is another key (Excel row 12)
    other = row_of(
        so_lieu.frame, period="2024-06", unit=QLCL, field="Hệ thống văn bằng, chứng chỉ", procedure_code=None
    )
    assert other["received_new"] == 88  # 72 + 7 + 8 + 1


def test_example_canonical_june_totals(so_lieu) -> None:
    june = so_lieu.frame[so_lieu.frame["period"] == "2024-06"]
    # received_new by row: 72 (59+3+9+1), 117 (95+8+9+5), 65 (54+2+7+2), 80 (57+6+15+2),
    # 88 (72+7+8+1), 67 (50+3+12+2), 215 (194+5+12+4)
    assert june["received_new"].tolist() == [72, 117, 65, 80, 88, 67, 215]
    assert int(june["received_new"].sum()) == 704
    # received_online_full: 59 + 95 + 54 + 57 + 72 + 50 + 194 = 581
    assert int(june["received_online_full"].sum()) == 581


# ---------------------------------------------------------------------------- bao-cao-06a-mau.xlsx


@pytest.fixture(scope="module")
def bao_cao():
    return read_workbook(BAO_CAO, unit="Phòng GDTrH", today=TODAY)


def test_example_official_shape(bao_cao) -> None:
    r = bao_cao
    assert r.ok, [i.format() for i in r.issues]
    assert (r.layout, r.sheet) == ("official", "Bieu06a")
    assert len(r.frame) == 10  # Excel rows 11-20; row 21 "Tổng cộng" is the total, not a field
    assert r.excel_rows == list(range(11, 21))
    assert r.months == ["2024-06"]  # "Từ ngày 01/06/2024 đến ngày 30/06/2024"
    assert set(r.frame["unit"]) == {GDTrH}  # the alias given as --unit, stored as the catalog name
    assert r.frame["field"].tolist()[:2] == [
        "Giáo dục và Đào tạo thuộc hệ thống giáo dục quốc dân",
        "Giáo dục trung học",
    ]
    assert r.frame["field"].tolist()[-1] == "Giáo dục mầm non"
    assert r.frame["procedure_code"].isna().all()


def test_example_official_first_row_by_hand(bao_cao) -> None:
    # Excel row 11: (3) 137, (4) 112, (5) 22, (6) 3, (7) 111, (8) 49, (9) 62, (10) 0, (11) 26, (12) 24, (13) 2
    row = bao_cao.frame.iloc[0]
    assert row["received_online"] == 112  # "Trực tuyến": full/partial unknown
    assert na(row["received_online_full"]) and na(row["received_online_partial"])
    assert row["received_direct_postal"] == 22  # "Trực tiếp, dịch vụ bưu chính": direct/postal unknown
    assert na(row["received_direct"]) and na(row["received_postal"])
    assert row["received_new"] == 134  # 112 + 22
    assert row["carried_over"] == 3  # and (3) 137 = 112 + 22 + 3
    assert row["resolved"] == 111  # 49 + 62 + 0
    assert (row["resolved_early"], row["resolved_on_time"], row["resolved_late"]) == (49, 62, 0)
    assert row["pending"] == 26  # 24 + 2
    assert (row["pending_in_time"], row["pending_overdue"]) == (24, 2)
    # what the layout lacks is unknown
    lacking = "withdrawn returned_postal results_digitized dossiers_digitized payments_total payments_online"
    for c in lacking.split():
        assert na(row[c]), c


def test_example_official_matches_total_row(bao_cao) -> None:
    f = bao_cao.frame
    # row 21 "Tổng cộng": 1239 834 245 160 1074 455 593 26 165 160 5
    assert int(f["received_online"].sum()) == 834  # 112+79+76+85+75+82+63+74+91+97
    assert int(f["received_direct_postal"].sum()) == 245
    assert int(f["carried_over"].sum()) == 160
    assert int(f["received_new"].sum()) + int(f["carried_over"].sum()) == 1239  # 834 + 245 + 160
    assert int(f["resolved"].sum()) == 1074
    assert int(f["pending"].sum()) == 165
    assert not [i for i in bao_cao.issues if i.code == "official_total_row"]


def test_example_official_without_unit_is_refused() -> None:
    r = read_workbook(BAO_CAO, today=TODAY)
    assert not r.ok
    assert codes_of(r) == ["official_unit_needed"]
    assert "--unit" in r.errors[0].message
    assert r.frame.empty


def test_example_official_with_unknown_unit() -> None:
    r = read_workbook(BAO_CAO, unit="Phòng Giáo dục Trung hoc x", today=TODAY)
    assert codes_of(r) == ["unit_unknown"]
    assert "Phòng Giáo dục Trung học" in r.errors[0].message


def test_example_bytes_and_path_read_alike() -> None:
    a = read_workbook(SO_LIEU, today=TODAY)
    b = read_workbook(SO_LIEU.read_bytes(), filename="x.xlsx", today=TODAY)
    assert b.file == "x.xlsx" and a.sha256 == b.sha256
    pd.testing.assert_frame_equal(a.frame, b.frame)


# ---------------------------------------------------------------------------- official layout, generated


def test_official_generated_by_field() -> None:
    data = official(
        [
            official_row("Giáo dục trung học", 10, 5, 2, 3, 4, 1, 6, 1),
            official_row("thi - tuyen sinh", 1, 2, 3, 1, 1, 1, 1, 0),
        ]
    )
    r = read(data, unit=GDTrH)
    assert r.ok and r.issues == []
    assert r.frame["field"].tolist() == ["Giáo dục trung học", "Thi, tuyển sinh"]
    assert r.frame["received_new"].tolist() == [15, 3]  # 10 + 5, 1 + 2
    assert r.frame["resolved"].tolist() == [8, 3]  # 3 + 4 + 1, 1 + 1 + 1
    assert r.excel_rows == [11, 12]


def test_official_by_unit_goes_to_no_field() -> None:
    data = official(
        [
            official_row("Phòng GDTrH", 10, 5, 2, 3, 4, 1, 6, 1),
            official_row("Thanh tra Sở", 1, 2, 3, 1, 1, 1, 1, 0),
        ],
        by="unit",
    )
    r = read(data)  # no --unit needed: the rows name their units
    assert r.ok, [i.format() for i in r.issues]
    assert r.frame["unit"].tolist() == [GDTrH, "Thanh tra Sở"]
    assert set(r.frame["field"]) == {NO_FIELD}


def test_official_without_total_row_skips_signature_lines() -> None:
    data = official([official_row("Giáo dục trung học", 10, 5, 2, 3, 4, 1, 6, 1)], total_row=False)
    r = read(data, unit=GDTrH)
    assert r.ok, [i.format() for i in r.issues]
    assert len(r.frame) == 1


def test_official_total_row_that_disagrees_is_a_warning() -> None:
    rows = [official_row("Giáo dục trung học", 10, 5, 2, 3, 4, 1, 6, 1)]
    data = official(rows, total_row=False, signature=False)
    from openpyxl import load_workbook

    from tests.workbooks import to_bytes

    wb = load_workbook(__import__("io").BytesIO(data))
    wb.active.append(["", "Tổng cộng", 17, 11, 5, 2, 8, 3, 4, 1, 7, 6, 1])  # (4) says 11, rows say 10
    r = read(to_bytes(wb), unit=GDTrH)
    assert r.ok
    assert codes_of(r) == ["official_total_row"]
    assert r.warnings[0].row == 12 and "(4)" in r.warnings[0].column


def test_official_month_line_without_dates() -> None:
    data = official(
        [official_row("Giáo dục trung học", 1, 1, 1, 1, 1, 1, 1, 1)],
        period_line="Kỳ báo cáo: Tháng 5 năm 2024",
    )
    r = read(data, unit=GDTrH)
    assert r.ok and r.months == ["2024-05"]


def test_official_row_received_total_must_add_up() -> None:
    row = list(official_row("Giáo dục trung học", 10, 5, 2, 3, 4, 1, 6, 1))
    row[1] = 18  # (3) should be 10 + 5 + 2 = 17
    r = read(official([tuple(row)], total_row=False), unit=GDTrH)
    assert codes_of(r) == ["total_mismatch"]
    assert r.errors[0].row == 11 and r.errors[0].column.startswith("(3)")


# ---------------------------------------------------------------------------- header matching


def _variant_headers(transform) -> list[str]:
    return [transform(h) for h in HEADER]


def _strip_diacritics(text: str) -> str:
    s = unicodedata.normalize("NFD", text)
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn")
    return s.replace("đ", "d").replace("Đ", "D")


HEADER_VARIANTS = {
    "upper": str.upper,
    "lower": str.lower,
    "spaces": lambda h: "  " + h.replace(" ", "   ") + "  ",
    "no-diacritics": _strip_diacritics,
    "nfd": lambda h: unicodedata.normalize("NFD", h),
}


def two_records() -> list[dict[str, object]]:
    # second row: received 7 + 2 + 3 + 1 = 13, + 4 carried = 17 = resolved 5 + 6 + 1 + pending 4 + withdrawn 1
    return [
        record(),
        record(
            field="Thi, tuyển sinh",
            received_online_full=7,
            resolved_early=5,
            results_digitized=12,
            dossiers_digitized=13,
            payments_online=None,
        ),
    ]


@pytest.fixture(scope="module")
def clean_frame() -> pd.DataFrame:
    recs = two_records()
    r = read(canonical_records(recs))
    assert r.ok and r.issues == []
    return r.frame


@pytest.mark.parametrize("variant", sorted(HEADER_VARIANTS))
def test_headers_in_other_spellings(variant: str, clean_frame: pd.DataFrame) -> None:
    recs = two_records()
    r = read(canonical_records(recs, headers=_variant_headers(HEADER_VARIANTS[variant])))
    assert r.ok and r.issues == [], [i.format() for i in r.issues]
    pd.testing.assert_frame_equal(r.frame, clean_frame)


def test_codes_as_headers(clean_frame: pd.DataFrame) -> None:
    recs = two_records()
    r = read(canonical_records(recs, headers=list(TEMPLATE_COLUMNS)))
    assert r.ok and r.issues == []
    pd.testing.assert_frame_equal(r.frame, clean_frame)


def test_shuffled_columns(clean_frame: pd.DataFrame) -> None:
    recs = two_records()
    codes = list(TEMPLATE_COLUMNS)
    random.Random(7).shuffle(codes)
    assert codes != list(TEMPLATE_COLUMNS)
    r = read(canonical_records(recs, codes))
    assert r.ok and r.issues == []
    pd.testing.assert_frame_equal(r.frame, clean_frame)


def test_unknown_column_is_a_warning_listing_it(clean_frame: pd.DataFrame) -> None:
    recs = two_records()
    rows = [[*[rec.get(c) for c in TEMPLATE_COLUMNS], "ghi chú gì đó"] for rec in recs]
    r = read(canonical(rows, [*HEADER, "Ghi chú"]))
    assert r.ok
    assert codes_of(r) == ["unknown_column"]
    w = r.warnings[0]
    assert w.level == "warning" and w.column == "Ghi chú" and w.row == 1 and w.col_index == len(HEADER)
    assert "Ghi chú" in w.message and "Ghi chú" in w.format()
    pd.testing.assert_frame_equal(r.frame, clean_frame)


def test_only_required_columns_gives_unknown_counts() -> None:
    r = read(canonical([["06/2024", UNIT, FIELD]], [HEADERS["period"], HEADERS["unit"], HEADERS["field"]]))
    assert r.ok and len(r.frame) == 1
    assert r.frame[list(COUNT_COLUMNS)].isna().all().all()


def test_sheet_named_solieu_is_found_among_others() -> None:
    data = canonical_records([record()], sheet="SoLieu", extra_sheets={"Ghi chép": [["xin chào"]]})
    from openpyxl import load_workbook

    from tests.workbooks import to_bytes

    wb = load_workbook(__import__("io").BytesIO(data))
    wb.move_sheet("SoLieu", offset=1)  # SoLieu is now the second sheet
    assert wb.sheetnames == ["Ghi chép", "SoLieu"]
    r = read(to_bytes(wb))
    assert r.ok and r.sheet == "SoLieu" and len(r.frame) == 1


def test_header_below_a_title_row_and_blank_rows_keep_excel_numbers() -> None:
    from openpyxl import Workbook

    from tests.workbooks import to_bytes

    wb = Workbook()
    ws = wb.active
    ws.title = "Số liệu tháng"
    ws.append(["SỐ LIỆU DỊCH VỤ CÔNG TRỰC TUYẾN"])
    ws.append(HEADER)  # row 2
    ws.append([record().get(c) for c in TEMPLATE_COLUMNS])  # row 3
    ws.append([])  # row 4 blank
    ws.append([record(field="Thi, tuyển sinh", withdrawn=-1).get(c) for c in TEMPLATE_COLUMNS])  # row 5
    r = read(to_bytes(wb))
    assert r.layout == "canonical"
    assert codes_of(r) == ["count_negative"]
    e = r.errors[0]
    assert (e.row, e.column, e.sheet) == (5, HEADERS["withdrawn"], "Số liệu tháng")


# ---------------------------------------------------------------------------- periods


def test_mixed_period_formats_in_one_file() -> None:
    recs = [
        record(period="05/2024"),
        record(period="2024-05", field="Thi, tuyển sinh"),
        record(period=dt.datetime(2024, 5, 17), field="Giáo dục thường xuyên"),
        record(period=dt.datetime(2024, 6, 1), field="Giáo dục thường xuyên"),
        record(period="6/2024"),
    ]
    r = read(canonical_records(recs))
    assert r.ok, [i.format() for i in r.issues]
    assert r.frame["period"].tolist() == ["2024-05", "2024-05", "2024-05", "2024-06", "2024-06"]
    assert r.months == ["2024-05", "2024-06"]


def test_future_period_depends_on_today() -> None:
    data = canonical_records([record(period="07/2024")])
    assert read(data, today=dt.date(2024, 7, 1)).ok  # the current month may be reported
    r = read(data, today=dt.date(2024, 6, 30))
    assert codes_of(r) == ["period_future"]
    assert "07/2024" in r.errors[0].message and "30/06/2024" in r.errors[0].message


# ---------------------------------------------------------------------------- counts


def test_whole_float_is_stored_as_int() -> None:
    r = read(canonical_records([record(withdrawn=1.0, carried_over="4")]))
    assert r.ok
    assert r.frame.loc[0, "withdrawn"] == 1 and r.frame.loc[0, "carried_over"] == 4


# ---------------------------------------------------------------------------- totals and parts

BASE = ["period", "unit", "field"]


def _one(codes: list[str], **values: object):
    return read(canonical_records([record(**values)], BASE + codes))


def test_total_only_keeps_total_and_leaves_parts_unknown() -> None:
    r = _one(["received_online", "resolved", "pending"], received_online=40, resolved=30, pending=5)
    assert r.ok
    row = r.frame.iloc[0]
    assert (row["received_online"], row["resolved"], row["pending"]) == (40, 30, 5)
    for c in (
        "received_online_full",
        "received_online_partial",
        "resolved_early",
        "resolved_on_time",
        "resolved_late",
        "pending_in_time",
        "pending_overdue",
    ):
        assert na(row[c]), c
    assert na(row["received_new"])  # received_direct_postal unknown → received_new unknown


def test_parts_only_compute_the_totals() -> None:
    r = read(canonical_records([record()]))
    row = r.frame.iloc[0]
    g = GOOD_COUNTS
    assert row["received_online"] == g["received_online_full"] + g["received_online_partial"] == 12
    assert row["received_direct_postal"] == g["received_direct"] + g["received_postal"] == 4
    assert row["received_new"] == 16  # 12 + 4
    assert row["resolved"] == 15  # 8 + 6 + 1
    assert row["pending"] == 4  # 3 + 1


def test_total_and_parts_agreeing() -> None:
    codes = [
        "received_online_full",
        "received_online_partial",
        "received_online",
        "received_new",
        "received_direct",
        "received_postal",
    ]
    r = _one(codes, received_online=12, received_new=16)
    assert r.ok and r.frame.loc[0, "received_online"] == 12 and r.frame.loc[0, "received_new"] == 16


@pytest.mark.parametrize(
    ("total", "given", "expected"),
    [
        ("received_online", 13, 12),  # 10 + 2
        ("received_direct_postal", 5, 4),  # 3 + 1
        ("received_new", 15, 16),  # 12 + 4
        ("resolved", 16, 15),  # 8 + 6 + 1
        ("pending", 0, 4),  # 3 + 1
    ],
)
def test_total_and_parts_disagreeing(total: str, given: int, expected: int) -> None:
    r = _one([*PART_COLUMNS, total], **{total: given})
    assert codes_of(r) == ["total_mismatch"]
    e = r.errors[0]
    assert e.column == HEADERS[total] and e.row == 2 and e.value == given
    assert f"= {given}" in e.message and f"= {expected}" in e.message
    assert r.frame.empty


def test_total_smaller_than_the_known_parts() -> None:
    # received_online_full 10 known, partial unknown, total 8 < 10
    r = _one(
        ["received_online_full", "received_online_partial", "received_online"],
        received_online=8,
        received_online_partial=None,
    )
    assert codes_of(r) == ["parts_exceed_total"]
    assert r.errors[0].column == HEADERS["received_online"]


def test_unknown_part_propagates_to_totals() -> None:
    r = read(canonical_records([record(received_postal=None, pending_overdue=None)]))
    assert r.ok
    row = r.frame.iloc[0]
    assert na(row["received_direct_postal"])  # 3 + ?
    assert na(row["received_new"])  # 12 + ?
    assert row["received_online"] == 12
    assert na(row["pending"])
    assert row["resolved"] == 15


def test_unknown_part_with_total_given_keeps_the_total() -> None:
    codes = [*PART_COLUMNS, "received_direct_postal"]
    r = _one(codes, received_postal=None, received_direct_postal=9)  # 3 known, ≤ 9
    assert r.ok
    row = r.frame.iloc[0]
    assert row["received_direct_postal"] == 9 and row["received_new"] == 21  # 12 + 9
    assert na(row["received_postal"])


def test_books_unbalanced_is_a_warning() -> None:
    r = read(canonical_records([record(withdrawn=0)]))  # 16 + 4 = 20 ≠ 15 + 4 + 0 = 19
    assert r.ok
    assert codes_of(r) == ["books_unbalanced"]
    assert r.warnings[0].row == 2 and "20" in r.warnings[0].message and "19" in r.warnings[0].message


def test_every_total_has_its_parts_in_the_frame() -> None:
    r = read(canonical_records([record()]))
    row = r.frame.iloc[0]
    for total, parts in TOTALS.items():
        assert row[total] == sum(row[p] for p in parts)


# ---------------------------------------------------------------------------- typed as people type


def _figures(seed: int = 3) -> list[dict[str, object]]:
    """Balanced figures for two months × four units × two fields, one row with a procedure."""
    rnd = random.Random(seed)
    units = [GDTrH, "Phòng Tổ chức – Hành chính", "Phòng Kế hoạch – Tài chính", QLCL]
    fields = ["Giáo dục trung học", "Hệ thống văn bằng, chứng chỉ"]
    out = []
    for month in (5, 6):
        for unit in units:
            for fld in fields:
                c = {
                    k: rnd.randint(0, 40)
                    for k in (
                        "received_online_full",
                        "received_online_partial",
                        "received_direct",
                        "received_postal",
                        "carried_over",
                        "payments_total",
                    )
                }
                received_new = sum(
                    c[k]
                    for k in (
                        "received_online_full",
                        "received_online_partial",
                        "received_direct",
                        "received_postal",
                    )
                )
                left = received_new + c["carried_over"]
                withdrawn = min(rnd.randint(0, 3), left)
                resolved = (left - withdrawn) * 3 // 4
                pending = left - withdrawn - resolved
                early, late = resolved // 2, min(1, resolved - resolved // 2)
                c.update(
                    withdrawn=withdrawn,
                    resolved_early=early,
                    resolved_late=late,
                    resolved_on_time=resolved - early - late,
                    pending_in_time=pending - min(pending, 1),
                    pending_overdue=min(pending, 1),
                    returned_postal=resolved // 5,
                    results_digitized=resolved // 2,
                    dossiers_digitized=received_new // 2,
                    payments_online=c["payments_total"] // 2,
                )
                out.append(record(period=f"{month:02d}/2024", unit=unit, field=fld, **c))
    out[3]["payments_total"] = out[3]["payments_online"] = None  # unknown stays unknown
    out.append(
        record(
            period="06/2024",
            unit=QLCL,
            field="Hệ thống văn bằng, chứng chỉ",
            procedure_code="1.005092",
            procedure_name="Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
        )
    )
    return out


def _typed(rec: dict[str, object], i: int) -> dict[str, object]:
    """The same row as a hurried person types it."""
    t = dict(rec)
    unit, fld = str(rec["unit"]), str(rec["field"])
    spell = [
        str.upper,
        _strip_diacritics,
        lambda s: unicodedata.normalize("NFD", s),
        lambda s: s.replace(" ", "  ").lower(),
        lambda s: s.replace("–", "-"),
    ][i % 5]
    t["unit"] = spell(unit).replace("–", "-")
    t["field"] = [
        str.lower,
        _strip_diacritics,
        lambda s: unicodedata.normalize("NFD", s),
        lambda s: " " + s.upper() + " ",
    ][i % 4](fld)
    month, year = str(rec["period"]).split("/")
    t["period"] = [
        f"{year}-{month}",
        f"{int(month)}/{year}",
        dt.datetime(int(year), int(month), 1 + i % 28),
        f"{month}/{year}",
    ][i % 4]
    if rec["procedure_name"]:
        t["procedure_name"] = unicodedata.normalize("NFD", str(rec["procedure_name"])).replace(" ", "  ")
    if i % 3 == 0 and rec["carried_over"] is not None:
        t["carried_over"] = float(rec["carried_over"])  # 12.0 is 12
    return t


def test_typed_as_people_type_imports_to_the_same_figures(tmp_path: Path) -> None:
    figures = _figures()
    clean_bytes = canonical_records(figures)
    first = read(clean_bytes)
    assert first.ok, [i.format() for i in first.errors]
    assert len(first.frame) == 17

    codes = list(TEMPLATE_COLUMNS)
    random.Random(11).shuffle(codes)
    spellings = [
        str.upper,
        str.lower,
        _strip_diacritics,
        lambda s: unicodedata.normalize("NFD", s),
        lambda s: "  " + s.replace(" ", "  ") + " ",
        lambda s: s,
    ]
    headers = [spellings[k % len(spellings)](HEADERS[c]) for k, c in enumerate(codes)]
    typed_rows = [
        [*[_typed(rec, i).get(c) for c in codes], "đã kiểm tra" if i % 2 else None]
        for i, rec in enumerate(figures)
    ]
    typed_bytes = canonical(typed_rows, [*headers, "Ghi chú"])

    frames, warnings = [], []
    for name, data in (("clean", clean_bytes), ("typed", typed_bytes)):
        engine = open_engine(f"sqlite:///{tmp_path / name}.db")
        res = import_files(engine, [(f"{name}.xlsx", data)], today=TODAY)
        assert res.ok, [i.format() for i in res.errors]
        warnings.append(sorted(w.code for w in res.warnings))
        frames.append(load_figures(engine))
    # the same warnings (×3 moves between the random months), plus the notes column listed
    assert warnings[1] == sorted([*warnings[0], "unknown_column"])
    clean_frame, typed_frame = frames
    assert len(clean_frame) == 17
    pd.testing.assert_frame_equal(typed_frame, clean_frame)
    assert set(clean_frame["unit"]) >= {"Phòng Tổ chức – Hành chính", "Phòng Kế hoạch – Tài chính"}
    assert unicodedata.is_normalized("NFC", "".join(typed_frame["procedure_name"].dropna()))


# ---------------------------------------------------------------------------- odds and ends


def test_official_row_named_cong_is_not_the_total_row(tmp_path: Path) -> None:
    from data_access.catalog import load_catalog

    cat_file = tmp_path / "cat.toml"
    cat_file.write_text(
        '[[unit]]\nname = "Phòng Giáo dục Trung học"\n'
        '[[field]]\nname = "Công tác học sinh, sinh viên"\n[[field]]\nname = "Giáo dục trung học"\n',
        encoding="utf-8",
    )
    data = official(
        [
            official_row("Công tác học sinh, sinh viên", 1, 2, 3, 1, 1, 1, 1, 0),
            official_row("Giáo dục trung học", 10, 5, 2, 3, 4, 1, 6, 1),
        ]
    )
    r = read(data, unit=GDTrH, catalog=load_catalog(cat_file))
    assert r.ok, [i.format() for i in r.issues]
    assert r.frame["field"].tolist() == ["Công tác học sinh, sinh viên", "Giáo dục trung học"]


def test_issue_format_and_dict() -> None:
    from data_access.messages import Issue, column_letter

    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]
    assert column_letter(None) == ""
    e = Issue("error", "count_negative", "Số '-3' âm", "a.xlsx", "SoLieu", 7, "Trả lại, rút hồ sơ", -3.0, 15)
    assert (
        e.format()
        == "LỖI: a.xlsx, trang 'SoLieu', dòng 7, cột 'Trả lại, rút hồ sơ' (P): Số '-3' âm [giá trị: -3]"
    )
    assert e.as_dict() == {
        "level": "error",
        "code": "count_negative",
        "file": "a.xlsx",
        "sheet": "SoLieu",
        "row": 7,
        "column": "Trả lại, rút hồ sơ",
        "value": "-3.0",
        "message": "Số '-3' âm",
    }
    w = Issue("warning", "x", "chú ý", value=pd.NA)
    assert w.format() == "CẢNH BÁO: chú ý [giá trị: <NA>]"
    assert Issue("warning", "x", "chú ý", value="  ").format() == "CẢNH BÁO: chú ý"
    assert Issue("error", "x", "m", value=0).format().endswith("[giá trị: 0]")
