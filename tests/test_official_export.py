"""Biểu II.06a written by the dashboard (data_access.official_export) and read back by the official reader
(data_access.xlsx.read_workbook) to the same figures: on the sample data and on a small hand-made frame."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from data_access.columns import COUNT_COLUMNS, TOTALS
from data_access.official_export import OFFICIAL_COLUMNS, write_06a, write_06a_months
from data_access.xlsx import read_workbook
from kpi.periods import Period

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
EXAMPLE = ROOT.parent / "shared" / "design" / "examples" / "bao-cao-06a-mau.xlsx"
AGENCY = "UBND THÀNH PHỐ HẢI PHÒNG\nSở Giáo dục và Đào tạo"
TH = "Phòng Giáo dục Trung học"
MN = "Phòng Giáo dục Mầm non và Giáo dục Tiểu học"
F1, F2 = "Giáo dục trung học", "Thi, tuyển sinh"
COLS = list(OFFICIAL_COLUMNS)


def _sample(month: str) -> pd.DataFrame:
    read = read_workbook(SAMPLE / f"so-lieu-{month}.xlsx")
    assert read.ok and not read.frame.empty
    return read.frame


def _sums(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    return frame.groupby(by)[COLS].sum().astype("int64").sort_index()


def _sheet(data: bytes) -> Worksheet:
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws is not None
    return ws


# ---------------------------------------------------------------------------- the sample data


def test_sample_month_by_unit_round_trip() -> None:
    figures = _sample("2024-03")
    data = write_06a(figures, period="2024-03", by="unit", agency=AGENCY, place="Hải Phòng")
    back = read_workbook(data, filename="06a.xlsx")
    assert back.issues == [] and back.layout == "official"
    assert set(back.frame["period"]) == {"2024-03"}
    assert set(back.frame["field"]) == {"Không phân lĩnh vực"}
    pd.testing.assert_frame_equal(_sums(back.frame, "unit"), _sums(figures, "unit"))
    # what the layout does not carry reads back unknown, not 0
    for c in ("received_online_full", "payments_online", "results_digitized"):
        assert back.frame[c].isna().all()
    # received_new is rebuilt from (4) + (5)
    assert back.frame["received_new"].sum() == figures["received_new"].sum()


def test_sample_month_by_field_of_one_unit_round_trip() -> None:
    figures = _sample("2024-03")
    data = write_06a(figures, period=Period("month", 2024, 3), by="field", agency=AGENCY, unit=TH)
    back = read_workbook(data, unit=TH)
    assert back.issues == []
    assert set(back.frame["unit"]) == {TH}
    pd.testing.assert_frame_equal(_sums(back.frame, "field"), _sums(figures[figures["unit"] == TH], "field"))


def test_sample_department_by_field_round_trip() -> None:
    # the department's report by field (all units summed) reads back under any one unit's name
    figures = _sample("2024-06")
    back = read_workbook(write_06a(figures, period="2024-06", by="field", agency=AGENCY), unit=TH)
    assert back.issues == []
    pd.testing.assert_frame_equal(_sums(back.frame, "field"), _sums(figures, "field"))


def test_same_layout_as_the_example() -> None:
    ws = _sheet(write_06a(_sample("2024-06"), period="2024-06", by="field", agency=AGENCY))
    header = {str(r) for r in ws.merged_cells.ranges if r.min_row >= 4 and r.max_row <= 9}
    if EXAMPLE.exists():
        example = openpyxl.load_workbook(EXAMPLE).active
        assert example is not None
        assert header == {str(r) for r in example.merged_cells.ranges if r.min_row >= 4 and r.max_row <= 9}
        for row in (7, 8, 9, 10):
            assert [ws.cell(row, j).value for j in range(1, 14)] == [
                example.cell(row, j).value for j in range(1, 14)
            ]
    assert ws["A5"].value == "Kỳ báo cáo: Tháng 6 năm 2024 (Từ ngày 01/06/2024 đến ngày 30/06/2024)"
    assert ws["A1"].value == "UBND THÀNH PHỐ HẢI PHÒNG" and ws["A2"].value == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"


# ---------------------------------------------------------------------------- a hand-made frame


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Figures rows from their parts; the totals summed as the readers do (unknown if a part is)."""
    out = []
    for r in rows:
        rec: dict[str, object] = {"procedure_code": None, "procedure_name": None, **r}
        for c in COUNT_COLUMNS:
            rec.setdefault(c, None)
        for total, parts in TOTALS.items():
            vals = [rec[p] for p in parts]
            rec[total] = None if any(v is None for v in vals) else sum(vals)  # type: ignore[arg-type]
        out.append(rec)
    frame = pd.DataFrame(out)
    for c in COUNT_COLUMNS:
        frame[c] = pd.array(frame[c].tolist(), dtype="Int64")
    return frame


def _row(period: str, unit: str, field: str, base: int, **kw: int | None) -> dict[str, object]:
    """A row with figures base + k (so each cell is told apart)."""
    r: dict[str, object] = {
        "period": period,
        "unit": unit,
        "field": field,
        "received_online_full": base + 1,
        "received_online_partial": base + 2,
        "received_direct": base + 3,
        "received_postal": base + 4,
        "carried_over": base + 5,
        "resolved_early": base + 6,
        "resolved_on_time": base + 7,
        "resolved_late": base + 8,
        "pending_in_time": base + 9,
        "pending_overdue": base + 10,
    }
    r.update(kw)
    return r


HAND = _frame(
    [
        _row("2024-03", TH, F1, 0),
        _row("2024-03", TH, F2, 10),
        _row("2024-03", MN, F1, 100),
        _row("2024-03", MN, F2, 200, resolved_late=None),  # unknown: MN's resolved, late
    ]
)


def test_hand_frame_by_unit_cells() -> None:
    ws = _sheet(write_06a(HAND, period="2024-03", by="unit", agency="Sở GD&ĐT"))
    # catalog order: Mầm non… before Trung học
    assert [ws.cell(r, 2).value for r in (11, 12, 13)] == [MN, TH, "Tổng cộng"]
    # TH = rows base 0 and base 10: online (1+2)+(11+12) = 26, direct+postal (3+4)+(13+14) = 34,
    # carried (5)+(15) = 20, total 26+34+20 = 80; resolved (6+7+8)+(16+17+18) = 72 = 22+24+26;
    # pending (9+10)+(19+20) = 58 = 28+30
    assert [ws.cell(12, j).value for j in range(1, 14)] == [2, TH, 80, 26, 34, 20, 72, 22, 24, 26, 58, 28, 30]
    # MN = bases 100 and 200: online 203+403 = 606, direct+postal 207+407 = 614, carried 105+205 = 310,
    # total 1530; early 106+206 = 312, on time 107+207 = 314, late unknown → resolved unknown (empty);
    # pending 219+419 = 638 = 109+209 = 318, 110+210 = 320
    assert [ws.cell(11, j).value for j in range(1, 14)] == [
        1,
        MN,
        1530,
        606,
        614,
        310,
        None,
        312,
        314,
        None,
        638,
        318,
        320,
    ]
    # the total row: unknown where a row's is; 1530 + 80 = 1610, 606 + 26 = 632, …
    assert [ws.cell(13, j).value for j in range(3, 14)] == [
        1610,
        632,
        648,
        330,
        None,
        334,
        338,
        None,
        696,
        346,
        350,
    ]
    assert ws.cell(11, 3).data_type == "n" and ws.cell(11, 2).data_type == "s"


def test_hand_frame_round_trip_keeps_unknown() -> None:
    back = read_workbook(write_06a(HAND, period="2024-03", by="unit", agency="Sở GD&ĐT"))
    assert back.errors == []
    got = back.frame.set_index("unit")
    assert got.loc[TH, "resolved"] == 72 and got.loc[TH, "resolved_late"] == 26
    assert got.loc[MN, ["resolved", "resolved_late"]].isna().all()
    assert got.loc[MN, "resolved_early"] == 312  # a known part stays known
    assert got.loc[MN, "carried_over"] == 310 and got.loc[MN, "pending"] == 638


def test_hand_frame_by_field_round_trip() -> None:
    data = write_06a(HAND, period="2024-03", by="field", agency="Sở GD&ĐT", unit=TH)
    back = read_workbook(data, unit=TH)
    assert back.issues == []
    expected = HAND[HAND["unit"] == TH].set_index("field")[COLS]
    pd.testing.assert_frame_equal(
        back.frame.set_index("field")[COLS], expected, check_names=False, check_index_type=False
    )


def test_text_is_never_a_formula_and_control_characters_go() -> None:
    data = write_06a(HAND, period="2024-03", by="unit", agency='=HYPERLINK("http://x","y")\n@SUM(1)\x07')
    ws = _sheet(data)
    assert ws["A1"].value == '\'=HYPERLINK("HTTP://X","Y")' and ws["A1"].data_type == "s"
    assert ws["A2"].value == "'@SUM(1)"
    assert read_workbook(data).errors == []


def test_reporting_cutoff_day_round_trip() -> None:
    data = write_06a(HAND, period="2024-03", by="unit", agency="Sở", cutoff_day=14)
    assert _sheet(data)["A5"].value == "Kỳ báo cáo: Tháng 3 năm 2024 (Từ ngày 15/02/2024 đến ngày 14/03/2024)"
    back = read_workbook(data, cutoff_day=14)
    assert back.errors == [] and set(back.frame["period"]) == {"2024-03"}
    assert read_workbook(data).errors[0].code == "official_period_span"  # calendar months: not one month


# ---------------------------------------------------------------------------- a quarter

QUARTER = _frame(
    [
        _row("2024-01", TH, F1, 0),
        _row("2024-02", TH, F1, 20),
        _row("2024-03", TH, F1, 40),
    ]
)


def test_quarter_sums_flows_and_takes_stocks_once() -> None:
    ws = _sheet(write_06a(QUARTER, period=Period("quarter", 2024, 1), by="unit", agency="Sở"))
    assert ws["A5"].value == "Kỳ báo cáo: Quý I năm 2024 (Từ ngày 01/01/2024 đến ngày 31/03/2024)"
    # online (1+2)+(21+22)+(41+42) = 129; direct+postal (3+4)+(23+24)+(43+44) = 141;
    # carried over from January only: 5; total 129 + 141 + 5 = 275;
    # resolved early 6+26+46 = 78, on time 7+27+47 = 81, late 8+28+48 = 84, total 243;
    # pending at the end of March only: 49, 50, total 99
    assert [ws.cell(11, j).value for j in range(2, 14)] == [TH, 275, 129, 141, 5, 243, 78, 81, 84, 99, 49, 50]


def test_quarter_is_refused_by_the_reader_and_its_months_round_trip() -> None:
    q1 = Period("quarter", 2024, 1)
    # the official reader takes one whole reporting month per file: the quarter's table is refused, named
    read = read_workbook(write_06a(QUARTER, period=q1, by="unit", agency="Sở"))
    assert [i.code for i in read.errors] == ["official_period_span"]
    months = write_06a_months(QUARTER, period=q1, by="unit", agency="Sở")
    assert list(months) == ["2024-01", "2024-02", "2024-03"]
    backs = [read_workbook(data).frame for data in months.values()]
    assert all(not b.empty for b in backs)
    back = pd.concat(backs, ignore_index=True)
    pd.testing.assert_frame_equal(
        back.set_index("period")[COLS],
        QUARTER.set_index("period")[COLS],
        check_names=False,
        check_index_type=False,
    )


def test_quarter_stock_unknown_when_a_series_lacks_the_month() -> None:
    # MN has figures in February and March only: its carried-over at the quarter's start is unknown
    frame = pd.concat([QUARTER, _frame([_row("2024-02", MN, F1, 0), _row("2024-03", MN, F1, 0)])])
    ws = _sheet(write_06a(frame, period="2024-03", by="unit", agency="Sở"))  # one month: fine
    assert ws.cell(11, 6).value == 5
    ws = _sheet(write_06a(frame, period=Period("quarter", 2024, 1), by="unit", agency="Sở"))
    assert ws.cell(11, 2).value == MN and ws.cell(11, 6).value is None and ws.cell(11, 3).value is None
    assert ws.cell(12, 6).value == 5


# ---------------------------------------------------------------------------- bad input


def test_no_figures_no_workbook() -> None:
    with pytest.raises(ValueError, match=re.escape("Kỳ 2025-01 chưa có số liệu: không lập Biểu II.06a rỗng")):
        write_06a(HAND, period="2025-01", by="unit", agency="Sở")
    with pytest.raises(ValueError, match=f"chưa có số liệu của {TH}"):
        write_06a(HAND, period="2024-02", by="field", agency="Sở", unit=TH)
    with pytest.raises(ValueError, match="theo lĩnh vực"):
        write_06a(HAND, period="2024-03", by="procedure", agency="Sở")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="không hợp lệ"):
        write_06a(HAND, period="2024-Q1", by="unit", agency="Sở")
