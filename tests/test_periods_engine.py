"""Periods in the engine and the command line: flows summed, stocks taken once (``periods.md``).

Over a quarter, ``carried_over`` is the first month's and ``pending*`` the last month's; a row-series
(unit, field — and procedure when grouped by procedure) missing that month, or with that stock
unknown there, leaves its rows out of the KPIs that need the stock. The same figures from pandas,
SQLite and PostgreSQL; the ``kpi report`` rows of a quarter from the stored monthly rows by hand.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Hashable, Iterable, Mapping
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from data_access.aggregate import SqlFigures
from data_access.columns import TEMPLATE_COLUMNS
from data_access.store import import_files, load_figures, open_engine
from kpi.engine import aggregate, kpi_table
from kpi.periods import Period, parse_period, period_of, periods_with_figures
from kpi.targets import load_targets
from tests.helpers import ROOT
from tests.workbooks import canonical_records

PLAN = load_targets(ROOT / "targets.toml")
#: KPIs of flows only (on time), of flows and the end stock (766), of the start stock (carried-over
#: share, the books: both stocks) and of the end stock only (overdue share).
STOCK_PLAN = load_targets(
    text="""
[plan]
name = "KH thử kỳ"
year = 2024
near = 0.05

[kpi.on_time]
label = "Giải quyết đúng hạn"
numerator = ["resolved_early", "resolved_on_time"]
denominator = ["resolved"]
target = 0.95

[kpi.progress_766]
label = "Tiến độ giải quyết (766)"
numerator = ["resolved_early", "resolved_on_time", "pending_in_time"]
denominator = ["resolved", "pending"]
target = 0.95

[kpi.carried_share]
label = "Tồn kỳ trước / tiếp nhận mới"
numerator = ["carried_over"]
denominator = ["received_new"]
target = 0.10

[kpi.books]
label = "Cân đối sổ"
numerator = ["received_new", "carried_over"]
denominator = ["resolved", "pending", "withdrawn"]
target = 1.0

[kpi.overdue_share]
label = "Đang giải quyết quá hạn / đang giải quyết"
numerator = ["pending_overdue"]
denominator = ["pending"]
target = 0.0
"""
)

TRH = "Phòng Giáo dục Trung học"
QLCL = "Phòng Quản lý chất lượng"
TTR = "Thanh tra Sở"
GDTRH, THI, VB = "Giáo dục trung học", "Thi, tuyển sinh", "Hệ thống văn bằng, chứng chỉ"
P1, P2 = "1.005092", "2.001914"

# (unit, field, procedure) → month → (received online full, received direct, carried over,
#   early, on time, late, pending in time, pending overdue); None = the cell is empty (unknown).
# Every row balances: received + carried = resolved + pending (nothing withdrawn).
FIGURES: dict[tuple[str, str, str | None], dict[int, tuple[int | None, ...]]] = {
    # a unit with a whole quarter, its pending different every month
    (TRH, GDTRH, None): {
        1: (20, 0, 10, 5, 15, 2, 6, 2),  # 20 + 10 = 22 + 8
        2: (25, 5, 8, 10, 12, 4, 9, 3),  # 30 + 8 = 26 + 12
        3: (20, 5, 12, 12, 14, 1, 7, 3),  # 25 + 12 = 27 + 10
    },
    # a unit with no upload for March, the quarter's last month
    (QLCL, THI, None): {
        1: (10, 10, 0, 8, 8, 2, 2, 0),  # 20 + 0 = 18 + 2
        2: (12, 8, 2, 9, 9, 1, 3, 0),  # 20 + 2 = 19 + 3
    },
    # a unit given by procedure; one procedure's March pending in time is unknown
    (TTR, VB, P1): {
        1: (5, 0, 1, 2, 2, 0, 2, 0),  # 5 + 1 = 4 + 2
        2: (5, 0, 2, 3, 2, 1, 1, 0),  # 5 + 2 = 6 + 1
        3: (5, 0, 1, 2, 3, 0, 0, 1),  # 5 + 1 = 5 + 1
    },
    (TTR, VB, P2): {
        1: (4, 0, 0, 1, 2, 0, 1, 0),  # 4 + 0 = 3 + 1
        2: (4, 0, 1, 2, 2, 0, 1, 0),  # 4 + 1 = 4 + 1
        3: (4, 0, 1, 2, 1, 1, None, 1),  # pending in time unknown, so pending is unknown too
    },
}
NAMES = {P1: "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", P2: "Chỉnh sửa nội dung văn bằng, chứng chỉ"}


def _records(month: int) -> list[dict[str, object]]:
    out = []
    for (unit, field, proc), months in FIGURES.items():
        if month not in months:
            continue
        full, direct, carried, early, on_time, late, in_time, overdue = months[month]
        resolved = early + on_time + late  # type: ignore[operator]
        out.append(
            {
                "period": f"{month:02d}/2024",
                "unit": unit,
                "field": field,
                "procedure_code": proc,
                "procedure_name": NAMES.get(proc or ""),
                "received_online_full": full,
                "received_online_partial": 0,
                "received_direct": direct,
                "received_postal": 0,
                "carried_over": carried,
                "resolved_early": early,
                "resolved_on_time": on_time,
                "resolved_late": late,
                "pending_in_time": in_time,
                "pending_overdue": overdue,
                "withdrawn": 0,
                "returned_postal": 0,
                "results_digitized": resolved,
                "dossiers_digitized": 0,
                "payments_total": 0,
                "payments_online": 0,
            }
        )
    return out


@pytest.fixture
def quarter(engine: sa.Engine) -> sa.Engine:
    """The figures above imported, one upload per month (SQLite, and PostgreSQL when it answers)."""
    files = [(f"q1-{m}.xlsx", canonical_records(_records(m), TEMPLATE_COLUMNS)) for m in (1, 2, 3)]
    result = import_files(engine, files, user="test")
    assert result.ok, [i.format() for i in result.errors]
    return engine


def _row(table: pd.DataFrame, kpi: str, **group: object) -> pd.Series:
    sel = table["kpi"] == kpi
    for k, v in group.items():
        sel &= table[k].isna() if v is None else table[k] == v
    rows = table[sel]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def _pair(row: pd.Series) -> tuple[object, object]:
    n, d = row["numerator"], row["denominator"]
    return (None if pd.isna(n) else int(n), None if pd.isna(d) else int(d))


# ---------------------------------------------------------------------------- kpi.periods


@pytest.mark.parametrize(
    ("text", "ytd", "kind", "start", "end", "code", "label"),
    [
        ("2024-06", False, "month", "2024-06", "2024-06", "2024-06", "Tháng 6/2024"),
        ("2024-Q2", False, "quarter", "2024-04", "2024-06", "2024-Q2", "Quý II/2024"),
        ("2024-q4", False, "quarter", "2024-10", "2024-12", "2024-Q4", "Quý IV/2024"),
        ("2024-H1", False, "half", "2024-01", "2024-06", "2024-H1", "6 tháng đầu năm 2024"),
        ("2024-H2", False, "half", "2024-07", "2024-12", "2024-H2", "6 tháng cuối năm 2024"),
        (" 2024 ", False, "year", "2024-01", "2024-12", "2024", "Năm 2024"),
        ("2024-06", True, "ytd", "2024-01", "2024-06", "2024-06", "Lũy kế đến Tháng 6/2024"),
    ],
)
def test_parse_and_describe_each_kind(
    text: str, ytd: bool, kind: str, start: str, end: str, code: str, label: str
) -> None:
    p = parse_period(text, ytd=ytd)
    assert (p.kind, p.start, p.end, p.code, p.describe()) == (kind, start, end, code, label)
    assert p.complete and p.months[0] == start and p.months[-1] == end
    # Q2: April..June = 3 months; H1, a year to date through June: 6; a year: 12
    assert len(p.months) == {"month": 1, "quarter": 3, "half": 6, "ytd": 6, "year": 12}[kind]


@pytest.mark.parametrize(
    ("text", "ytd"),
    [
        ("2024-13", False),
        ("2024-Q5", False),
        ("2024-H3", False),
        ("03/2024", False),
        ("24", False),
        ("2024-Q1", True),
    ],
)
def test_parse_refuses(text: str, ytd: bool) -> None:
    with pytest.raises(ValueError):
        parse_period(text, ytd=ytd)


@pytest.mark.parametrize(
    ("text", "ytd", "previous"),
    [
        ("2024-01", False, Period("month", 2023, 12)),
        ("2024-Q1", False, Period("quarter", 2023, 4)),
        ("2024-Q3", False, Period("quarter", 2024, 2)),
        ("2024-H1", False, Period("half", 2023, 2)),
        ("2024-H2", False, Period("half", 2024, 1)),
        ("2024", False, Period("year", 2023, 0)),
        ("2024-06", True, Period("ytd", 2024, 5)),
        ("2024-01", True, None),  # no year to date before January
    ],
)
def test_previous_of_each_kind(text: str, ytd: bool, previous: Period | None) -> None:
    assert parse_period(text, ytd=ytd).previous() == previous


def test_until_cuts_a_period_not_over_yet() -> None:
    q2 = parse_period("2024-Q2")
    cut = q2.until("2024-05")  # figures up to May: April..May, May is the last month
    assert (cut.start, cut.end, cut.months, cut.complete) == (
        "2024-04",
        "2024-05",
        ["2024-04", "2024-05"],
        False,
    )
    assert cut.describe() == "Quý II/2024 (số liệu đến Tháng 5/2024)"
    assert q2.until("2024-06") == q2 and q2.until("2024-09") == q2  # over: unchanged
    assert q2.until("2024-02") == q2 and q2.until(None) == q2  # no figures in it: unchanged
    assert cut.until("2024-12") == q2  # a later cut-off makes it whole again
    assert parse_period("2024").until("2024-03").describe() == "Năm 2024 (số liệu đến Tháng 3/2024)"
    assert parse_period("2024-H2").until("2024-07").months == ["2024-07"]
    assert parse_period("2024-06").until("2024-03") == parse_period("2024-06")  # a month is whole or nothing
    ytd = parse_period("2024-06", ytd=True).until("2024-04")
    assert ytd.describe() == "Lũy kế đến Tháng 6/2024 (số liệu đến Tháng 4/2024)" and ytd.end == "2024-04"


def test_period_of_and_periods_with_figures() -> None:
    assert period_of("quarter", "2024-05") == Period("quarter", 2024, 2)
    assert period_of("half", "2024-07") == Period("half", 2024, 2)
    assert period_of("year", "2024-07") == Period("year", 2024, 0)
    got = periods_with_figures("quarter", ["2023-11", "2024-01", "2024-02"])
    # Q4/2023 is over; Q1/2024 has figures up to February, its latest month
    assert [p.describe() for p in got] == ["Quý IV/2023", "Quý I/2024 (số liệu đến Tháng 2/2024)"]


# ---------------------------------------------------------------------------- flows and stocks


def test_quarter_takes_pending_once_from_its_last_month(quarter: sa.Engine) -> None:
    frame = load_figures(quarter)
    t = kpi_table(frame, STOCK_PLAN, period="2024-Q1", by=["unit"])
    # Phòng GD Trung học, Q1: early 5+10+12 = 27, on time 15+12+14 = 41, resolved 22+26+27 = 75;
    # pending at the end of March: in time 7, overdue 3 → pending 10.
    # 766: (27 + 41 + 7) / (75 + 10) = 75 / 85 = 88.2 %.
    # Summing the pending of every month instead: (27 + 41 + (6 + 9 + 7)) / (75 + (8 + 12 + 10))
    # = 90 / 105 = 85.7 %, a different (wrong) answer.
    r = _row(t, "progress_766", unit=TRH)
    assert _pair(r) == (75, 85) != (90, 105)
    assert r["value"] == pytest.approx(75 / 85) and r["value"] != pytest.approx(90 / 105)
    assert (r["rows"], r["rows_missing"]) == (3, 0)
    # carried over at the start of January only: 10 / new dossiers 20 + 30 + 25 = 75 (summing: 30 / 75)
    assert _pair(_row(t, "carried_share", unit=TRH)) == (10, 75)
    # the books balance over the quarter: new 75 + carried 10 = resolved 75 + pending 10 + withdrawn 0
    assert _pair(_row(t, "books", unit=TRH)) == (85, 85)
    # the flows-only KPI sums the three months: (27 + 41) / 75
    assert _pair(_row(t, "on_time", unit=TRH)) == (68, 75)
    # stocks only: overdue 3 of the 10 pending at the end of March (summing: 8 of 30)
    assert _pair(_row(t, "overdue_share", unit=TRH)) == (3, 10)


def test_unit_missing_the_last_month_has_no_stock(quarter: sa.Engine) -> None:
    frame = load_figures(quarter)
    t = kpi_table(frame, STOCK_PLAN, period="2024-Q1", by=["unit"])
    # Phòng QLCL uploaded January and February only: its pending at the end of March is unknown
    r = _row(t, "progress_766", unit=QLCL)
    assert _pair(r) == (None, None) and r["status"] == "no_data"
    assert (r["rows"], r["rows_missing"]) == (2, 2)
    # its carried over (January) is known: 0 / new 20 + 20 = 40; the books need March: unknown
    assert _pair(_row(t, "carried_share", unit=QLCL)) == (0, 40)
    assert _row(t, "books", unit=QLCL)["status"] == "no_data"
    # flows only: on time (8 + 8 + 9 + 9) / (18 + 19) = 34 / 37, still computed
    on_time = _row(t, "on_time", unit=QLCL)
    assert _pair(on_time) == (34, 37) and on_time["status"] != "no_data"


def test_a_stock_unknown_in_the_last_month_leaves_its_series_out(quarter: sa.Engine) -> None:
    frame = load_figures(quarter)
    # by unit, the series is (Thanh tra Sở, Văn bằng): P2's March pending is unknown, so the
    # series' pending is unknown and all six of its rows are out of the 766 KPI
    by_unit = kpi_table(frame, STOCK_PLAN, period="2024-Q1", by=["unit"])
    r = _row(by_unit, "progress_766", unit=TTR)
    assert _pair(r) == (None, None) and (r["rows"], r["rows_missing"]) == (6, 6)
    # by procedure, each procedure is its own series: P1 = (early 2+3+2 + on time 2+2+3 + March
    # pending in time 0) / (resolved 4+6+5 + March pending 1) = 14 / 16; P2 unknown
    by_proc = kpi_table(frame, STOCK_PLAN, period="2024-Q1", by=["unit", "procedure_code"])
    assert _pair(_row(by_proc, "progress_766", unit=TTR, procedure_code=P1)) == (14, 16)
    assert _row(by_proc, "progress_766", unit=TTR, procedure_code=P2)["status"] == "no_data"
    # the whole department: only Phòng GD Trung học's series is complete → 75 / 85, 8 of 11 rows out
    total = _row(kpi_table(frame, STOCK_PLAN, period="2024-Q1"), "progress_766")
    assert _pair(total) == (75, 85) and (total["rows"], total["rows_missing"]) == (11, 8)
    # on time over everything: (68 + 34 + (7 + 7) + (3 + 4 + 3)) / (75 + 37 + 15 + 11) = 126 / 138
    assert _pair(_row(kpi_table(frame, STOCK_PLAN, period="2024-Q1"), "on_time")) == (126, 138)


def test_each_month_of_a_period_grouping_is_that_month(quarter: sa.Engine) -> None:
    frame = load_figures(quarter)
    by_month = aggregate(frame, STOCK_PLAN, start="2024-01", end="2024-03", by=["period", "unit"])
    march = aggregate(frame, STOCK_PLAN, start="2024-03", end="2024-03", by=["unit"])
    got = by_month[by_month["period"] == "2024-03"].drop(columns="period").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, march, check_dtype=False)
    # March alone, Thanh tra Sở: the P2 row is left out by itself, P1 counts:
    # (2 + 3 + 0) / (5 + 1) = 5 / 6 (one month is the per-row rule)
    assert _pair(_row(march, "progress_766", unit=TTR)) == (5, 6)
    # January, Phòng GD Trung học: (5 + 15 + 6) / (22 + 8) = 26 / 30 — that month's own pending
    jan = by_month[by_month["period"] == "2024-01"]
    assert _pair(_row(jan, "progress_766", unit=TRH)) == (26, 30)


def test_year_to_date_through_march_is_the_first_quarter(quarter: sa.Engine) -> None:
    frame = load_figures(quarter)
    for by in ([], ["unit"], ["unit", "field", "procedure_code"]):
        q1 = kpi_table(frame, STOCK_PLAN, period="2024-Q1", by=by)
        ytd = kpi_table(frame, STOCK_PLAN, period="2024-03", ytd=True, by=by)
        pd.testing.assert_frame_equal(q1, ytd)
    # and the half year, cut to March (the latest month with figures), is the same months
    h1 = parse_period("2024-H1").until("2024-03")
    pd.testing.assert_frame_equal(
        kpi_table(frame, STOCK_PLAN, period=h1, by=["unit"]),
        kpi_table(frame, STOCK_PLAN, period="2024-Q1", by=["unit"]),
    )


@pytest.mark.parametrize(
    "by",
    [(), ("unit",), ("field",), ("unit", "field"), ("procedure_code",), ("unit", "field", "procedure_code")],
)
@pytest.mark.parametrize(
    ("start", "end"), [("2024-01", "2024-03"), ("2024-02", "2024-03"), ("2024-03", "2024-03")]
)
def test_database_sums_equal_pandas(quarter: sa.Engine, by: tuple[str, ...], start: str, end: str) -> None:
    """SQLite and PostgreSQL (the ``engine`` fixture runs both) against pandas on the same figures."""
    frame = load_figures(quarter)
    for plan in (STOCK_PLAN, PLAN):
        expected = aggregate(frame, plan, start=start, end=end, by=by)
        got = aggregate(SqlFigures(quarter), plan, start=start, end=end, by=by)
        pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    t = kpi_table(SqlFigures(quarter), STOCK_PLAN, period="2024-Q1", by=["unit"])
    assert _pair(_row(t, "progress_766", unit=TRH)) == (75, 85)
    assert _row(t, "progress_766", unit=QLCL)["status"] == "no_data"


def test_database_filters_keep_the_stock_rule(quarter: sa.Engine) -> None:
    sql = SqlFigures(quarter).where(units=[TRH, QLCL], fields=[GDTRH, THI])
    frame = load_figures(quarter)
    scoped = frame[frame["unit"].isin([TRH, QLCL]) & frame["field"].isin([GDTRH, THI])]
    a = kpi_table(sql, STOCK_PLAN, period="2024-Q1", by=["field"])
    b = kpi_table(scoped, STOCK_PLAN, period="2024-Q1", by=["field"])
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    assert _pair(_row(a, "progress_766", field=GDTRH)) == (75, 85)


# ---------------------------------------------------------------------------- kpi report on the sample

STARTS, ENDS = {"carried_over"}, {"pending", "pending_in_time", "pending_overdue"}


def _hand_sums(
    records: Iterable[Mapping[Hashable, object]], num: tuple[str, ...], den: tuple[str, ...]
) -> tuple[int | None, int | None, int, int]:
    """Numerator, denominator, rows, rows left out of one KPI over Jan–Mar 2024, written out plainly
    (not the engine): flows summed over the months where known; carried over from January and
    pending from March, per (unit, field), only when that month's rows all have the KPI's figures."""
    rows = [r for r in records if "2024-01" <= str(r["period"]) <= "2024-03"]
    cols = list(dict.fromkeys(num + den))
    flows = [c for c in cols if c not in STARTS | ENDS]
    boundary = {"2024-01": [c for c in cols if c in STARTS], "2024-03": [c for c in cols if c in ENDS]}

    def known(r: Mapping[Hashable, object], codes: Iterable[str]) -> bool:
        return all(not pd.isna(r[c]) for c in codes)  # type: ignore[call-overload]

    bad: set[tuple[object, object]] = set()
    for month, stocks in boundary.items():
        if not stocks:
            continue
        for key in {(r["unit"], r["field"]) for r in rows}:
            there = [r for r in rows if (r["unit"], r["field"]) == key and r["period"] == month]
            if not there or not all(known(r, flows + stocks) for r in there):
                bad.add(key)
    n = d = counted = 0
    for r in rows:
        if (r["unit"], r["field"]) in bad or not known(r, flows):
            continue
        counted += 1
        for part, target in ((num, "n"), (den, "d")):
            total = 0
            for c in part:
                at = "2024-01" if c in STARTS else "2024-03" if c in ENDS else None
                if at is None or r["period"] == at:
                    total += int(r[c])  # type: ignore[call-overload]
            if target == "n":
                n += total
            else:
                d += total
    if counted == 0:
        return None, None, len(rows), len(rows)
    return n, d, len(rows), len(rows) - counted


def _kpi_report(url: str, *args: str) -> list[dict[str, object]]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TARGETS_FILE")}
    env["PYTHONIOENCODING"] = "utf-8"
    proc = subprocess.run(
        [sys.executable, "-m", "kpi", "report", "--db", url, "--format", "json", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    out: list[dict[str, object]] = json.loads(proc.stdout)
    return out


def test_cli_quarter_is_the_hand_sum_of_its_months(sample_db_url: str) -> None:
    got = [o for o in _kpi_report(sample_db_url, "--period", "2024-Q1") if o["kind"] == "dossiers"]
    stored = load_figures(open_engine(sample_db_url), "2024-01", "2024-03").to_dict("records")
    assert {r["period"] for r in stored} == {"2024-01", "2024-02", "2024-03"}
    assert [o["kpi"] for o in got] == list(PLAN.kpis)
    for obj in got:
        spec = PLAN.kpis[str(obj["kpi"])]
        n, d, rows, missing = _hand_sums(stored, spec.numerator, spec.denominator)
        assert (obj["numerator"], obj["denominator"], obj["rows"], obj["rows_missing"]) == (
            n,
            d,
            rows,
            missing,
        )
        assert obj["value"] == (None if n is None or not d else pytest.approx(float(Fraction(n, d))))
        assert obj["target"] == spec.target  # no roadmap in the shipped plan: its target
        assert obj["period"] == "2024-Q1" and obj["period_kind"] == "quarter"
        assert obj["period_label"] == "Quý I/2024" and obj["months"] == ["2024-01", "2024-02", "2024-03"]
    # the sample has open dossiers every month: summing them would give another 766 ratio
    p766 = next(o for o in got if o["kpi"] == "progress_766")
    months = [r for r in stored if not pd.isna(r["pending"])]
    summed_pending = sum(int(r["pending"]) for r in months)
    march_pending = sum(int(r["pending"]) for r in months if r["period"] == "2024-03")
    assert summed_pending > march_pending > 0
    assert p766["denominator"] == sum(int(r["resolved"]) for r in stored) + march_pending


def test_cli_year_to_date_through_march_gives_the_quarters_rows(sample_db_url: str) -> None:
    quarter = _kpi_report(sample_db_url, "--period", "2024-Q1", "--by", "unit")
    ytd = _kpi_report(sample_db_url, "--period", "2024-03", "--ytd", "--by", "unit")
    own = ("period", "period_kind", "period_label")
    assert [{k: v for k, v in o.items() if k not in own} for o in ytd] == [
        {k: v for k, v in o.items() if k not in own} for o in quarter
    ]
    assert {(o["period"], o["period_kind"], o["period_label"]) for o in ytd} == {
        ("2024-03", "ytd", "Lũy kế đến Tháng 3/2024")
    }


def test_cli_cuts_a_period_not_over_and_refuses_one_without_figures(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'q.db'}"
    files = [(f"q1-{m}.xlsx", canonical_records(_records(m), TEMPLATE_COLUMNS)) for m in (1, 2)]
    assert import_files(open_engine(url), files, user="test").ok
    # figures up to February: the first half year is January..February, February its last month
    got = _kpi_report(url, "--period", "2024-H1", "--by", "unit")
    assert {o["period_label"] for o in got} == {"6 tháng đầu năm 2024 (số liệu đến Tháng 2/2024)"}
    assert all(o["months"] == ["2024-01", "2024-02"] for o in got)
    # Phòng GD Trung học: (5 + 15 + 10 + 12 + February pending in time 9) / (22 + 26 + 12) = 51 / 60
    trh = next(o for o in got if o["kpi"] == "progress_766" and o["unit"] == TRH)
    assert (trh["numerator"], trh["denominator"]) == (51, 60)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TARGETS_FILE")}
    env["PYTHONIOENCODING"] = "utf-8"
    proc = subprocess.run(
        [sys.executable, "-m", "kpi", "report", "--db", url, "--period", "2023-Q4"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode == 1 and proc.stdout == ""
    assert "Không có số liệu quý IV/2023 (tháng 10/2023 – tháng 12/2023)" in proc.stderr
    assert "từ tháng 1/2024 đến tháng 2/2024 (2 tháng)" in proc.stderr
    assert "Quý I/2024 (số liệu đến Tháng 2/2024)" in proc.stderr
