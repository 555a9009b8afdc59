"""Reporting months and the cut-off day (``periods.md``, "The reporting cut-off"): pure date arithmetic.

With no cut-off (``None``) a month is a calendar month. With a cut-off day ``d`` (1–28), month M runs
from the day after the ``d``-th of M−1 to the ``d``-th of M: with ``d = 14`` (the government's reporting
regime) 2024-03 is 15/02/2024–14/03/2024, and 2024-01 is 15/12/2023–14/01/2024.

Months are written ``YYYY-MM``. The readers (the official II.06a period line, the dossier list) take the
cut-off as a parameter; the setting ``REPORTING_CUTOFF_DAY`` is read by the import that calls them.
"""

from __future__ import annotations

import calendar
import datetime as dt

#: The cut-off days allowed: every month has them (the 29th–31st do not exist in every month).
MIN_CUTOFF_DAY = 1
MAX_CUTOFF_DAY = 28


def _check_cutoff(cutoff_day: int | None) -> None:
    if cutoff_day is not None and not MIN_CUTOFF_DAY <= cutoff_day <= MAX_CUTOFF_DAY:
        raise ValueError(f"cut-off day {cutoff_day!r} outside {MIN_CUTOFF_DAY}..{MAX_CUTOFF_DAY}")


def _year_month(month: str) -> tuple[int, int]:
    try:
        year, number = int(month[:4]), int(month[5:])
    except ValueError:
        raise ValueError(f"not a month YYYY-MM: {month!r}") from None
    if len(month) != 7 or month[4] != "-" or not 1 <= number <= 12:
        raise ValueError(f"not a month YYYY-MM: {month!r}")
    return year, number


def _month(year: int, number: int) -> str:
    return f"{year:04d}-{number:02d}"


def _previous(year: int, number: int) -> tuple[int, int]:
    return (year - 1, 12) if number == 1 else (year, number - 1)


def month_span(month: str, cutoff_day: int | None) -> tuple[dt.date, dt.date]:
    """(first day, last day) of reporting month ``month`` (``YYYY-MM``) under ``cutoff_day``.

    ``None``: the calendar month. A day ``d``: from the day after the ``d``-th of the month before to the
    ``d``-th of ``month`` (``month_span("2024-01", 14)`` is 15/12/2023–14/01/2024).
    """
    _check_cutoff(cutoff_day)
    year, number = _year_month(month)
    if cutoff_day is None:
        return dt.date(year, number, 1), dt.date(year, number, calendar.monthrange(year, number)[1])
    before = dt.date(*_previous(year, number), cutoff_day)
    return before + dt.timedelta(days=1), dt.date(year, number, cutoff_day)


def month_of_date(day: dt.date, cutoff_day: int | None) -> str:
    """The reporting month (``YYYY-MM``) that ``day`` belongs to: under cut-off 14, 14/03 is in
    2024-03 and 15/03 in 2024-04."""
    _check_cutoff(cutoff_day)
    if cutoff_day is None or day.day <= cutoff_day:
        return _month(day.year, day.month)
    return _month(day.year + 1, 1) if day.month == 12 else _month(day.year, day.month + 1)


def month_of_span(start: dt.date, end: dt.date, cutoff_day: int | None) -> str | None:
    """The reporting month whose span is exactly ``start``–``end`` under ``cutoff_day``, else ``None``
    (a span over several months, a part of a month, or the wrong way round)."""
    month = month_of_date(end, cutoff_day)
    return month if month_span(month, cutoff_day) == (start, end) else None
