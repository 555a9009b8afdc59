"""The periodic reports the department sends (``reporting.toml``, ``reports.md``): each with its kind of
period, due rule and recipients, and the next one due from a given day (:func:`next_due`), written as the
Overview's line (:func:`due_line`): "Báo cáo Quý I/2024 gửi Sở Nội vụ trước 05/03/2024 – còn 4 ngày".

A due rule is a day of a month counted from the period's last month (``due_month`` 0: that month,
1: the month after, -1: the month before); a day the month does not have is its last day. The plans'
deadlines (Q1 and Q3 before the 5th of the quarter's last month, the 6 months before 05/6, the year
before 30/11, the IT report before 15/12, the monthly review) are data, never code.
"""

from __future__ import annotations

import calendar
import datetime as dt
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from data_access.texts import deadlines as T
from kpi.periods import Kind, Period
from vnfmt import fmt_date

__all__ = [
    "DEFAULT_REPORTING_FILE",
    "Due",
    "Report",
    "ReportingError",
    "due_date",
    "due_line",
    "load_reports",
    "next_due",
    "upcoming",
]

DEFAULT_REPORTING_FILE = Path(__file__).resolve().parent.parent / "reporting.toml"
_COUNT = {"month": 12, "quarter": 4, "half": 2, "year": 1}


class ReportingError(ValueError):
    """``reporting.toml`` is missing or refused (the message is Vietnamese)."""


@dataclass(frozen=True)
class Report:
    """One periodic report of ``reporting.toml``."""

    id: str
    title: str  # "{period}" → Period.describe(), "{year}" → the year
    kind: Kind
    numbers: tuple[int, ...]  # the periods of the year reported on (quarters 1 and 3: (1, 3))
    due_month: int
    due_day: int
    send_to: str
    also_to: tuple[str, ...] = ()
    source: str = ""

    def period(self, year: int, number: int) -> Period:
        return Period(self.kind, year, 0 if self.kind == "year" else number)

    def title_of(self, period: Period) -> str:
        return self.title.format(period=period.describe(), year=period.year)


@dataclass(frozen=True)
class Due:
    """A report due: which, for which period, by when, and how many days are left from ``today``."""

    report: str  # Report.id
    title: str  # "Báo cáo Quý I/2024"
    period: str  # period code, "2024-Q1"
    due: dt.date
    days_left: int
    recipients: tuple[str, ...]  # send_to first

    @property
    def text(self) -> str:
        return due_line(self)


def due_date(report: Report, period: Period) -> dt.date:
    """The last day to send ``report`` on ``period``: ``due_day`` of the month ``due_month`` months after
    the period's last month (the month's last day if shorter)."""
    end = period.nominal_end
    index = int(end[:4]) * 12 + int(end[5:]) - 1 + report.due_month
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(report.due_day, calendar.monthrange(year, month)[1]))


def _dues(reports: Sequence[Report], today: dt.date) -> list[tuple[dt.date, int, Due]]:
    found = []
    for rank, report in enumerate(reports):
        for year in (today.year - 1, today.year, today.year + 1):
            for number in report.numbers:
                period = report.period(year, number)
                when = due_date(report, period)
                if when < today:
                    continue
                due = Due(
                    report.id,
                    report.title_of(period),
                    period.code,
                    when,
                    (when - today).days,
                    (report.send_to, *report.also_to),
                )
                found.append((when, rank, due))
    found.sort(key=lambda t: (t[0], t[1]))
    return found


def upcoming(today: dt.date, *, count: int = 3, reports: Sequence[Report] | None = None) -> list[Due]:
    """The ``count`` next reports due on or after ``today``, soonest first (on one day, in the file's
    order)."""
    chosen = load_reports() if reports is None else reports
    return [d for _, _, d in _dues(chosen, today)[:count]]


def next_due(
    today: dt.date, *, reports: Sequence[Report] | None = None, skip: Sequence[str] = ()
) -> Due | None:
    """The next report due on or after ``today`` (a report due today is still due); ``skip``: report
    ids left out (e.g. ``("monthly",)`` for the quarterly ones only). ``None`` when no report is listed."""
    chosen = load_reports() if reports is None else reports
    found = _dues([r for r in chosen if r.id not in skip], today)
    return found[0][2] if found else None


def due_line(due: Due) -> str:
    """ "Báo cáo Quý I/2024 gửi Sở Nội vụ trước 05/03/2024 – còn 4 ngày"."""
    left = T.DUE_TODAY if due.days_left == 0 else T.DAYS_LEFT.format(days=due.days_left)
    return T.DUE_LINE.format(title=due.title, to=due.recipients[0], date=fmt_date(due.due), left=left)


# ---------------------------------------------------------------------------- the file


def load_reports(path: Path | str | None = None) -> list[Report]:
    """The reports of ``reporting.toml`` (default: the project root's), in the file's order;
    :class:`ReportingError` naming the entry and the key for a file refused."""
    p = Path(path) if path is not None else DEFAULT_REPORTING_FILE
    try:
        with p.open("rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        raise ReportingError(T.FILE_NOT_FOUND.format(path=p)) from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ReportingError(T.FILE_UNREADABLE.format(path=p, error=exc)) from None
    entries = raw.get("report")
    if not isinstance(entries, list) or not entries:
        raise ReportingError(T.NO_REPORTS.format(path=p))
    reports: list[Report] = []
    for i, entry in enumerate(entries, start=1):
        try:
            report = _report(entry if isinstance(entry, dict) else {})
            if any(r.id == report.id for r in reports):
                raise ValueError(T.DUPLICATE_ID.format(value=report.id))
        except ValueError as exc:
            raise ReportingError(T.BAD_ENTRY.format(path=p, index=i, problem=exc)) from None
        reports.append(report)
    return reports


def _text(entry: dict[str, Any], key: str) -> str:
    if key not in entry:
        raise ValueError(T.MISSING_KEY.format(key=key))
    value = entry[key]
    if not isinstance(value, str) or not value.strip():
        raise ValueError(T.BAD_TEXT.format(key=key))
    return value.strip()


def _int(entry: dict[str, Any], key: str) -> int:
    if key not in entry:
        raise ValueError(T.MISSING_KEY.format(key=key))
    value = entry[key]
    return value if isinstance(value, int) and not isinstance(value, bool) else -999


def _report(entry: dict[str, Any]) -> Report:
    report_id = _text(entry, "id")
    title = _text(entry, "title")
    kind = _text(entry, "kind")
    if kind not in _COUNT:
        raise ValueError(T.BAD_KIND.format(value=kind))
    count = _COUNT[kind]
    numbers = entry.get("numbers", list(range(1, count + 1)))
    if not isinstance(numbers, list) or not numbers:
        raise ValueError(T.BAD_LIST.format(key="numbers"))
    for n in numbers:
        if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= count:
            raise ValueError(T.BAD_NUMBER.format(value=n, kind=kind))
    due_month, due_day = _int(entry, "due_month"), _int(entry, "due_day")
    if not -11 <= due_month <= 12:
        raise ValueError(T.BAD_MONTH.format(value=entry["due_month"]))
    if not 1 <= due_day <= 31:
        raise ValueError(T.BAD_DAY.format(value=entry["due_day"]))
    also = entry.get("also_to", [])
    if not isinstance(also, list) or not all(isinstance(a, str) and a.strip() for a in also):
        raise ValueError(T.BAD_LIST.format(key="also_to"))
    source = entry.get("source", "")
    return Report(
        report_id,
        title,
        kind,  # type: ignore[arg-type]
        tuple(numbers),
        due_month,
        due_day,
        _text(entry, "send_to"),
        tuple(a.strip() for a in also),
        source if isinstance(source, str) else "",
    )
