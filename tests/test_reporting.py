"""The periodic reports' deadlines (reporting.toml, kpi.reporting): the next one due from hand-picked days."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kpi.periods import Period
from kpi.reporting import ReportingError, due_date, due_line, load_reports, next_due, upcoming

D = dt.date


def test_the_project_file_lists_the_plans_reports() -> None:
    reports = {r.id: r for r in load_reports()}
    assert list(reports) == ["quarter", "half", "year", "it_year", "monthly"]
    assert reports["quarter"].numbers == (1, 3)
    assert reports["half"].numbers == (1,)
    assert reports["monthly"].numbers == tuple(range(1, 13))
    assert reports["quarter"].send_to == "Sở Nội vụ"


@pytest.mark.parametrize(
    ("report", "period", "expected"),
    [
        # Q1: the 5th of the quarter's last month (March); Q3: of September
        ("quarter", Period("quarter", 2024, 1), D(2024, 3, 5)),
        ("quarter", Period("quarter", 2024, 3), D(2024, 9, 5)),
        ("half", Period("half", 2024, 1), D(2024, 6, 5)),  # before 05/6
        ("year", Period("year", 2024, 0), D(2024, 11, 30)),  # December − 1 month = November, day 30
        ("it_year", Period("year", 2024, 0), D(2024, 12, 15)),
        ("monthly", Period("month", 2024, 12), D(2025, 1, 5)),  # the month after December is January 2025
    ],
)
def test_due_dates(report: str, period: Period, expected: dt.date) -> None:
    reports = {r.id: r for r in load_reports()}
    assert due_date(reports[report], period) == expected


def test_the_example_line() -> None:
    # 01/03/2024: Q1 due 05/03/2024, 5 − 1 = 4 days left; the February review is due that day too,
    # and the quarterly report comes first in the file
    due = next_due(D(2024, 3, 1))
    assert due is not None
    assert (due.report, due.period, due.due, due.days_left) == ("quarter", "2024-Q1", D(2024, 3, 5), 4)
    assert due.text == "Báo cáo Quý I/2024 gửi Sở Nội vụ trước 05/03/2024 – còn 4 ngày"
    assert due.recipients == ("Sở Nội vụ", "Ủy ban nhân dân thành phố")


def test_due_today_is_still_due_and_the_next_day_moves_on() -> None:
    today = next_due(D(2024, 3, 5), skip=("monthly",))
    assert today is not None and today.period == "2024-Q1" and today.days_left == 0
    assert today.text == "Báo cáo Quý I/2024 gửi Sở Nội vụ trước 05/03/2024 – hạn là hôm nay"
    after = next_due(D(2024, 3, 6), skip=("monthly",))
    # Q1 passed; the 6-month report is due 05/06/2024: 25 days of March after the 6th + 30 (April)
    # + 31 (May) + 5 = 91 days
    assert after is not None and (after.period, after.due, after.days_left) == ("2024-H1", D(2024, 6, 5), 91)
    assert after.text == "Báo cáo 6 tháng đầu năm 2024 gửi Sở Nội vụ trước 05/06/2024 – còn 91 ngày"


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        # after 05/06 the next quarterly-kind report is Q3, 05/09
        (D(2024, 6, 6), ("quarter", "2024-Q3", D(2024, 9, 5))),
        # after 05/09: the annual report, 30/11
        (D(2024, 9, 6), ("year", "2024", D(2024, 11, 30))),
        # after 30/11: the IT report, 15/12
        (D(2024, 12, 1), ("it_year", "2024", D(2024, 12, 15))),
        # after 15/12: next year's Q1, 05/03/2025
        (D(2024, 12, 16), ("quarter", "2025-Q1", D(2025, 3, 5))),
    ],
)
def test_next_due_through_the_year(today: dt.date, expected: tuple[str, str, dt.date]) -> None:
    due = next_due(today, skip=("monthly",))
    assert due is not None
    assert (due.report, due.period, due.due) == expected
    assert due.days_left == (expected[2] - today).days


def test_the_monthly_review_and_upcoming() -> None:
    # 10/04/2024: the April review is due 05/05/2024 (25 days: 30 − 10 + 5)
    due = next_due(D(2024, 4, 10))
    assert due is not None and (due.report, due.period, due.days_left) == ("monthly", "2024-04", 25)
    assert due.text == (
        "Báo cáo Tháng 4/2024 gửi Ban Chỉ đạo cải cách hành chính Sở trước 05/05/2024 – còn 25 ngày"
    )
    # 06/11/2024: year 30/11, the November review 05/12, the IT report 15/12
    nxt = upcoming(D(2024, 11, 6), count=3)
    assert [(d.report, d.period, d.due) for d in nxt] == [
        ("year", "2024", D(2024, 11, 30)),
        ("monthly", "2024-11", D(2024, 12, 5)),
        ("it_year", "2024", D(2024, 12, 15)),
    ]
    assert nxt[0].text == "Báo cáo năm 2024 gửi Sở Nội vụ trước 30/11/2024 – còn 24 ngày"
    assert due_line(nxt[2]).startswith("Báo cáo ứng dụng công nghệ thông tin trong giải quyết TTHC năm 2024")


def test_a_day_the_month_lacks_is_its_last(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text(
        '[[report]]\nid = "m"\ntitle = "Báo cáo {period}"\nkind = "month"\ndue_month = 1\ndue_day = 31\n'
        'send_to = "Ban Giám đốc"\n',
        encoding="utf-8",
    )
    (report,) = load_reports(path)
    assert due_date(report, Period("month", 2024, 1)) == D(2024, 2, 29)  # 2024 is a leap year
    assert due_date(report, Period("month", 2023, 1)) == D(2023, 2, 28)
    assert next_due(D(2024, 2, 1), reports=[report]).period == "2024-01"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("", "không có mục [[report]]"),
        ('[[report]]\nid = "x"\n', "mục [[report]] thứ 1: thiếu khóa 'title'"),
        (
            '[[report]]\nid = "x"\ntitle = "t"\nkind = "week"\ndue_month = 0\ndue_day = 5\nsend_to = "a"\n',
            "kind = 'week'",
        ),
        (
            '[[report]]\nid = "x"\ntitle = "t"\nkind = "quarter"\nnumbers = [5]\ndue_month = 0\ndue_day = 5\n'
            'send_to = "a"\n',
            "numbers có kỳ 5",
        ),
        (
            '[[report]]\nid = "x"\ntitle = "t"\nkind = "year"\ndue_month = 0\ndue_day = 40\nsend_to = "a"\n',
            "due_day = 40",
        ),
        ("[[report]\n", "không đọc được"),
    ],
)
def test_a_bad_file_is_named(tmp_path: Path, body: str, words: str) -> None:
    path = tmp_path / "r.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ReportingError) as info:
        load_reports(path)
    assert words in str(info.value)


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReportingError, match="Không tìm thấy"):
        load_reports(tmp_path / "none.toml")


def test_the_overview_line_widget(tmp_path: Path) -> None:
    from streamlit.testing.v1 import AppTest

    script = tmp_path / "page.py"
    script.write_text(
        "import datetime as dt\nfrom ui.deadline import show_next_due\nshow_next_due(dt.date(2024, 3, 1))\n",
        encoding="utf-8",
    )
    at = AppTest.from_file(str(script)).run()
    assert not at.exception
    assert [i.value for i in at.info] == ["Báo cáo Quý I/2024 gửi Sở Nội vụ trước 05/03/2024 – còn 4 ngày"]
