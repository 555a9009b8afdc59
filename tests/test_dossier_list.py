"""The dossier list (``dossier-list.md``): reading, checking and the figures, hand-computed."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from data_access.columns import CATALOG_COLUMNS, COUNT_COLUMNS
from data_access.dossier_figures import aggregate_dossiers
from data_access.xlsx.dossier_list import is_dossier_sheet, read_dossier_list
from data_access.xlsx.rules import FRAME_COLUMNS, empty_frame

UNIT = "Phòng Giáo dục Trung học"
FIELD = "Giáo dục trung học"
TODAY = dt.date(2024, 7, 1)
HEADER = [
    "Mã hồ sơ",
    "Mã TTHC",
    "Tên TTHC",
    "Đơn vị",
    "Lĩnh vực",
    "Hình thức nộp",
    "Toàn trình",
    "Ngày tiếp nhận",
    "Hạn xử lý",
    "Ngày kết thúc",
    "Trạng thái",
    "Kết quả điện tử",
    "Số hóa hồ sơ",
    "Phải nộp phí, lệ phí",
    "Thanh toán trực tuyến",
    "Trả kết quả qua BCCI",
]


def catalog_frame() -> pd.DataFrame:
    f = pd.DataFrame(
        {
            "procedure_code": ["P1", "P2"],
            "procedure_name": ["Thủ tục 1", "Thủ tục 2"],
            "field": [FIELD, FIELD],
            "unit": [UNIT, UNIT],
            "online_level": ["toàn trình", "một phần"],
        }
    )
    for c in ("full_online_eligible", "on_national_portal", "has_fee", "postal_allowed"):
        f[c] = pd.array([True, None], dtype="boolean")
    return f[list(CATALOG_COLUMNS)]


def row(
    code,
    proc="P1",
    channel="Trực tiếp",
    full=None,
    rec="01/03/2024",
    due="10/03/2024",
    end=None,
    status=None,
    result="Có",
    digit="Có",
    fee="Không",
    paid=None,
    postal="Không",
    unit=UNIT,
    field=FIELD,
):
    if status is None:
        status = "Đang giải quyết" if end is None else "Đã giải quyết"
    return [
        code,
        proc,
        None,
        unit,
        field,
        channel,
        full,
        rec,
        due,
        end,
        status,
        result,
        digit,
        fee,
        paid,
        postal,
    ]


def workbook(
    rows, *, title=True, period="Từ ngày 01/03/2024 đến ngày 31/05/2024", sheet="DanhSachHoSo"
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    if title:
        ws.append(["DANH SÁCH HỒ SƠ"])
        if period:
            ws.append([period])
        ws.append([])
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read(rows, **kw):
    return read_dossier_list(
        workbook(rows, **kw), filename="ds.xlsx", procedures=catalog_frame(), today=TODAY
    )


def fig(result, month, proc="P1"):
    f = result.frame
    hit = f[(f["period"] == month) & (f["procedure_code"] == proc)]
    assert len(hit) == 1, hit
    return hit.iloc[0]


def test_march_to_may_carried_over_and_pending():
    # received 05/03, due 20/03, resolved 10/05: new in March; carried over into April and May
    # (received before their first day, not ended before it); pending at 31/03 and 30/04, overdue
    # (due 20/03 < 31/03); resolved late in May (10/05 > 20/03).
    r = read([row("A", rec="05/03/2024", due="20/03/2024", end="10/05/2024 14:30")])
    assert r.ok, [i.format() for i in r.issues]
    assert r.months == ["2024-03", "2024-04", "2024-05"] and r.dossier_count == 1
    mar, apr, may = (fig(r, m) for m in ("2024-03", "2024-04", "2024-05"))
    assert (mar.received_direct, mar.carried_over, mar.pending, mar.pending_overdue) == (1, 0, 1, 1)
    assert (apr.received_new, apr.carried_over, apr.pending, apr.pending_overdue) == (0, 1, 1, 1)
    assert (may.carried_over, may.resolved, may.resolved_late, may.pending) == (1, 1, 1, 0)
    assert may.results_digitized == 1 and may.returned_postal == 0
    assert mar.dossiers_digitized == 1 and apr.dossiers_digitized == 0
    assert list(r.frame.columns) == list(FRAME_COLUMNS)
    assert all(r.frame[c].dtype == "Int64" for c in COUNT_COLUMNS)


def test_due_day_late_withdrawn():
    rows = [
        row("A", rec="01/04/2024", due="15/04/2024", end="15/04/2024"),  # on its due day: on time
        row("B", rec="01/04/2024", due="15/04/2024", end="16/04/2024"),  # a day late
        row("C", rec="01/04/2024", due="15/04/2024", end="14/04/2024 08:00"),  # early
        row("D", rec="02/04/2024", due="15/04/2024", end="03/04/2024", status="Rút hồ sơ"),
        row("E", rec="02/04/2024", due="30/04/2024"),  # open at 30/04, due 30/04 >= 30/04: in time
    ]
    r = read(rows, period="Từ ngày 01/04/2024 đến ngày 30/04/2024")
    assert r.ok, [i.format() for i in r.issues]
    a = fig(r, "2024-04")
    assert (a.resolved_on_time, a.resolved_late, a.resolved_early, a.resolved) == (1, 1, 1, 3)
    assert (a.withdrawn, a.pending_in_time, a.pending_overdue) == (1, 1, 0)
    # 5 received = 3 resolved + 1 pending + 1 withdrawn
    assert a.received_new == 5 == a.resolved + a.pending + a.withdrawn


def test_online_full_from_catalog_and_empty_payment():
    rows = [
        row("A", proc="P1", channel="Trực tuyến", rec="01/04/2024", fee="Có", paid=None),  # P1 toàn trình
        row("B", proc="P1", channel="Trực tuyến", full="Không", rec="02/04/2024", fee="Có", paid="Có"),
        row("C", proc="P2", channel="Trực tuyến", rec="02/04/2024", fee="Không", paid=None),  # P2 một phần
    ]
    r = read(rows, period="Từ ngày 01/04/2024 đến ngày 30/04/2024")
    assert r.ok, [i.format() for i in r.issues]
    p1, p2 = fig(r, "2024-04", "P1"), fig(r, "2024-04", "P2")
    assert (p1.received_online_full, p1.received_online_partial, p1.received_online) == (1, 1, 2)
    assert p1.payments_total == 2 and pd.isna(p1.payments_online)  # A's paid cell is empty: unknown
    assert (p2.received_online_partial, p2.payments_total, p2.payments_online) == (1, 0, 0)  # fee no: known
    assert r.unknown == {"payments_online": 1}
    assert p1.procedure_name == "Thủ tục 1" and p1.unit == UNIT


def test_online_without_level_and_no_due_are_unknown():
    cat = catalog_frame()
    cat.loc[0, "online_level"] = None
    r = read_dossier_list(
        workbook([row("A", channel="Trực tuyến", due=None, end="20/03/2024")]),
        procedures=cat,
        today=TODAY,
    )
    assert r.ok
    m = fig(r, "2024-03")
    assert pd.isna(m.received_online_full) and pd.isna(m.received_online_partial) and m.received_online == 1
    assert m.received_new == 1 and m.resolved == 1  # received_online known and pd.isna(m.resolved_early)


def test_title_free_header_and_aliases_excel_dates():
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(
        [
            "Số hồ sơ",
            "Mã thủ tục",
            "Kênh nộp",
            "Ngày tiếp nhận",
            "Ngày hẹn trả",
            "Ngày có kết quả",
            "Trạng thái",
        ]
    )
    ws.append(
        [
            "A",
            "P1",
            "BCCI",
            dt.datetime(2024, 3, 4, 9, 0),
            dt.date(2024, 3, 8),
            dt.date(2024, 3, 8),
            "Hoàn thành",
        ]
    )
    buf = io.BytesIO()
    wb.save(buf)
    r = read_dossier_list(buf.getvalue(), procedures=catalog_frame(), today=TODAY)
    assert r.ok, [i.format() for i in r.issues]
    m = fig(r, "2024-03")
    assert (m.received_postal, m.resolved_on_time) == (1, 1)
    assert pd.isna(m.results_digitized)  # no result column, resolved: unknown
    assert is_dossier_sheet([["Mã hồ sơ", "Ngày tiếp nhận"]]) and not is_dossier_sheet([["Kỳ", "Đơn vị"]])
    assert is_dossier_sheet([], "DanhSachHoSo")


def test_bad_input_all_in_one_pass():
    rows = [
        row("A", channel="Fax"),  # row 5: unknown channel
        row("A", status="Xong", end="05/03/2024"),  # row 6: duplicate code, unknown status
        row("C", rec="32/03/2024"),  # row 7: bad date
        row("D", rec="10/03/2024", end="09/03/2024"),  # row 8: end before receipt
        row("E", status="Đã giải quyết"),  # row 9: resolved without end
        row("F", end="05/03/2024", status="Đang giải quyết"),  # row 10: open with an end
        row("G", proc="P9", unit=None),  # row 11: unit neither in the row nor in the catalog
        row("H", rec="01/06/2024"),  # row 12: after the period's end (31/05)
        row("I", rec="01/08/2024"),  # row 13: future
        row("J", unit="Phòng Không Có"),  # row 14: unknown unit
        row("K", result="có lẽ"),  # row 15: bad yes/no
        row(None),  # row 16: missing code
    ]
    r = read(rows)
    assert not r.ok and r.frame.empty
    got = {(i.row, i.column, i.code) for i in r.issues}
    expected = {
        (5, "Hình thức nộp", "dossier_bad_channel"),
        (6, "Mã hồ sơ", "dossier_duplicate_code"),
        (6, "Trạng thái", "dossier_bad_status"),
        (7, "Ngày tiếp nhận", "dossier_bad_date"),
        (8, "Ngày kết thúc", "dossier_end_before_received"),
        (9, "Ngày kết thúc", "dossier_end_missing"),
        (10, "Ngày kết thúc", "dossier_end_when_open"),
        (11, "Đơn vị", "dossier_unit_missing"),
        (12, "Ngày tiếp nhận", "dossier_after_period"),
        (13, "Ngày tiếp nhận", "dossier_future_date"),
        (14, "Đơn vị", "dossier_unit_unknown"),
        (15, "Kết quả điện tử", "dossier_bad_yes_no"),
        (16, "Mã hồ sơ", "dossier_missing_cell"),
    }
    assert expected <= got, sorted(got - expected)
    bad = next(i for i in r.issues if i.code == "dossier_bad_channel")
    assert (bad.sheet, bad.value, bad.col_index) == ("DanhSachHoSo", "Fax", 5)


def test_missing_columns_and_header():
    wb = Workbook()
    wb.active.append(["Mã hồ sơ", "Ngày tiếp nhận"])
    wb.active.append(["A", "01/03/2024"])
    buf = io.BytesIO()
    wb.save(buf)
    r = read_dossier_list(buf.getvalue(), today=TODAY)
    assert {i.column for i in r.issues if i.code == "dossier_missing_column"} == {
        "Mã TTHC",
        "Hình thức nộp",
        "Trạng thái",
    }
    assert read_dossier_list([["x"]], today=TODAY).errors[0].code == "dossier_no_header"


def test_aggregate_empty():
    assert aggregate_dossiers(pd.DataFrame(), ["2024-03"]).columns.tolist() == list(empty_frame().columns)


_day = st.integers(min_value=0, max_value=150).map(lambda n: dt.date(2024, 1, 1) + dt.timedelta(days=n))
_flag = st.sampled_from(["Có", "Không", None])


@st.composite
def _dossier(draw, code):
    rec = draw(_day)
    due = draw(st.one_of(st.none(), _day))
    status = draw(st.sampled_from(["Đã giải quyết", "Đang giải quyết", "Rút hồ sơ"]))
    end = None if status == "Đang giải quyết" else rec + dt.timedelta(days=draw(st.integers(0, 60)))
    if end is not None and end > TODAY:
        end = TODAY
    return [
        code,
        draw(st.sampled_from(["P1", "P2"])),
        None,
        None,
        None,
        draw(st.sampled_from(["Trực tuyến", "Trực tiếp", "BCCI"])),
        draw(_flag),
        rec,
        due,
        end,
        status,
        draw(_flag),
        draw(_flag),
        draw(_flag),
        draw(_flag),
        draw(_flag),
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 25).flatmap(lambda n: st.tuples(*(_dossier(f"D{i}") for i in range(n)))))
def test_books_balance(dossiers):
    r = read_dossier_list([HEADER, *map(list, dossiers)], procedures=catalog_frame(), today=TODAY)
    assert r.ok, [i.format() for i in r.issues]
    f = r.frame
    assert f["received_new"].notna().all() and f["resolved"].notna().all() and f["pending"].notna().all()
    assert (f["received_new"] + f["carried_over"] == f["resolved"] + f["pending"] + f["withdrawn"]).all()
    assert f.groupby(["period", "unit", "field", "procedure_code"]).size().max() == 1
    # every dossier is counted once as received, in its receipt month
    assert int(f["received_new"].sum()) == len(dossiers)


@pytest.mark.parametrize("cutoff", [None, 14])
def test_cutoff_months(cutoff):
    # under cut-off 14, 15/03 belongs to 2024-04
    r = read_dossier_list(
        [HEADER, row("A", rec="15/03/2024", due="20/03/2024", end="16/03/2024")],
        procedures=catalog_frame(),
        today=TODAY,
        cutoff_day=cutoff,
    )
    assert r.ok
    assert r.months == (["2024-03"] if cutoff is None else ["2024-04"])


def test_received_before_the_period_is_carried_over():
    # received 20/02, period from 01/03: carried over into March, resolved on 05/03 (due 01/03: late)
    r = read([row("A", rec="20/02/2024", due="01/03/2024", end="05/03/2024")])
    assert r.ok
    m = fig(r, "2024-03")
    assert (m.received_new, m.carried_over, m.resolved_late) == (0, 1, 1)
    # April and May: the period line covers them and the unit had no dossier at all there: its key is
    # written as zeros (a known zero, replacing what is stored for those months), not left out
    assert r.months == ["2024-03", "2024-04", "2024-05"]
    for month in ("2024-04", "2024-05"):
        z = fig(r, month)
        assert all(z[c] == 0 for c in COUNT_COLUMNS), z
    rr = r.as_read_result()
    assert rr.layout == "dossiers" and rr.months == ["2024-03", "2024-04", "2024-05"] and rr.ok


def test_a_unit_idle_in_a_covered_month_gets_zeros_others_keys_are_left_out():
    # Period April–June. Unit U1 (P1): A received 02/04, resolved 03/04; C received 03/06, open.
    # U1 has no dossier at all in May: May is written as zeros for its key (U1, P1).
    # Unit U2 (P2, P3): B of P2 in every month (received 02/04, open to 05/06); P3's D only in April.
    # In May U2 has B, so U2's P3 (no dossier in May) is not written: a known 0 at procedure level.
    other = "Phòng Quản lý chất lượng"
    other_field = "Hệ thống văn bằng, chứng chỉ"
    rows = [
        row("A", proc="P1", rec="02/04/2024", due="10/04/2024", end="03/04/2024"),
        row("C", proc="P1", rec="03/06/2024", due="20/06/2024"),
        row(
            "B",
            proc="P2",
            rec="02/04/2024",
            due="30/06/2024",
            end="05/06/2024",
            unit=other,
            field=other_field,
        ),
        row(
            "D",
            proc="P3",
            rec="02/04/2024",
            due="10/04/2024",
            end="04/04/2024",
            unit=other,
            field=other_field,
        ),
    ]
    r = read(rows, period="Từ ngày 01/04/2024 đến ngày 30/06/2024")
    assert r.ok, [i.format() for i in r.issues]
    f = r.frame
    may = f[f["period"] == "2024-05"]
    assert sorted(may["procedure_code"]) == ["P1", "P2"]  # P3 left out: U2 had a dossier (B) in May
    p1 = fig(r, "2024-05", "P1")
    assert p1.unit == UNIT and all(p1[c] == 0 for c in COUNT_COLUMNS)
    p2 = fig(r, "2024-05", "P2")
    assert (p2.carried_over, p2.pending_in_time) == (1, 1)  # B: open at 31/05, due 30/06
    assert fig(r, "2024-06", "P1").received_new == 1


_cell = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(-5, 50000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2030, 1, 1)),
    st.booleans(),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_cell, min_size=0, max_size=18), max_size=8))
def test_fuzz_only_our_errors(body):
    r = read_dossier_list([HEADER, *body], procedures=catalog_frame(), today=TODAY)
    assert all(i.code.startswith("dossier_") for i in r.issues)
    if r.ok:
        f = r.frame
        assert (f["received_new"] + f["carried_over"] == f["resolved"] + f["pending"] + f["withdrawn"]).all()
