"""Periods people report on (``periods.md``): a month, a quarter, a half year, a year, or the year to
date through a month. Pure functions, no I/O.

Written ``2024-06``, ``2024-Q2``, ``2024-H1``, ``2024``; the year to date is a month with ``ytd``.
A period that is not over yet is computed on its months up to the latest month that has figures
(:meth:`Period.until`); that month is then its last month, for the stocks and for the target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from kpi import texts as T
from vnfmt import fmt_month

Kind = Literal["month", "quarter", "half", "year", "ytd"]
KINDS: tuple[Kind, ...] = ("month", "quarter", "half", "year", "ytd")
#: Months in one period of each kind (the year to date varies: its number is its last month).
_LENGTH = {"month": 1, "quarter": 3, "half": 6, "year": 12}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_PATTERNS = (
    (re.compile(r"(\d{4})-(\d{2})"), "month"),
    (re.compile(r"(\d{4})-[Qq]([1-4])"), "quarter"),
    (re.compile(r"(\d{4})-[Hh]([12])"), "half"),
    (re.compile(r"(\d{4})"), "year"),
)


def _month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


@dataclass(frozen=True, order=True)
class Period:
    """One period. ``number``: the month (``month``, ``ytd``), the quarter (1–4), the half (1–2), or 0
    for a year. ``last``: when set, the period's figures stop at that month (it is not over yet)."""

    kind: Kind
    year: int
    number: int
    last: str | None = None

    def __post_init__(self) -> None:
        top = {"month": 12, "ytd": 12, "quarter": 4, "half": 2, "year": 0}[self.kind]
        low = 0 if self.kind == "year" else 1
        if not (low <= self.number <= top) or not 1 <= self.year <= 9999:
            raise ValueError(f"no such period: {self.kind} {self.year} {self.number}")
        if self.last is not None and not self.start <= self.last < self.nominal_end:
            raise ValueError(f"{self.last} is not a month inside {self.code} before its end")

    # ------------------------------------------------------------------ months

    @property
    def start(self) -> str:
        """The first month (``YYYY-MM``)."""
        if self.kind in ("year", "ytd"):
            return _month(self.year, 1)
        return _month(self.year, (self.number - 1) * _LENGTH[self.kind] + 1)

    @property
    def nominal_end(self) -> str:
        """The period's last month when it is over."""
        if self.kind in ("month", "ytd"):
            return _month(self.year, self.number)
        if self.kind == "year":
            return _month(self.year, 12)
        return _month(self.year, self.number * _LENGTH[self.kind])

    @property
    def end(self) -> str:
        """The last month computed: :attr:`last` when the period is not over, else its nominal end."""
        return self.last or self.nominal_end

    @property
    def months(self) -> list[str]:
        """Every month computed, first to :attr:`end`."""
        first, last = int(self.start[5:]), int(self.end[5:])
        return [_month(self.year, m) for m in range(first, last + 1)]

    @property
    def complete(self) -> bool:
        return self.last is None

    @property
    def code(self) -> str:
        """``2024-06``, ``2024-Q2``, ``2024-H1``, ``2024``; a year to date is written by its month."""
        if self.kind in ("month", "ytd"):
            return _month(self.year, self.number)
        if self.kind == "year":
            return f"{self.year:04d}"
        return f"{self.year:04d}-{'Q' if self.kind == 'quarter' else 'H'}{self.number}"

    # ------------------------------------------------------------------ moves

    def until(self, latest: str | None) -> Period:
        """This period computed up to ``latest`` (the latest month with any figures) when that falls
        inside it before its end; unchanged otherwise (over, or no figures in it at all)."""
        full = replace(self, last=None)
        if latest is None or not full.start <= latest < full.nominal_end:
            return full
        return replace(full, last=latest)

    def previous(self) -> Period | None:
        """The period of the same kind before this one (whole); a year to date: through the month
        before, in the same year (None for January)."""
        if self.kind == "ytd":
            return None if self.number == 1 else Period("ytd", self.year, self.number - 1)
        if self.kind == "year":
            return Period("year", self.year - 1, 0)
        count = 12 // _LENGTH[self.kind]
        if self.number == 1:
            return Period(self.kind, self.year - 1, count)
        return Period(self.kind, self.year, self.number - 1)

    def describe(self) -> str:
        """``Tháng 6/2024``, ``Quý II/2024``, ``6 tháng đầu năm 2024``, ``Năm 2024``,
        ``Lũy kế đến Tháng 6/2024``; a period not over yet adds ``(số liệu đến Tháng 5/2024)``."""
        if self.kind == "month":
            text = fmt_month(self.code)
        elif self.kind == "ytd":
            text = T.PERIOD_YTD.format(month=fmt_month(self.nominal_end))
        elif self.kind == "quarter":
            text = T.PERIOD_QUARTER.format(roman=_ROMAN[self.number], year=self.year)
        elif self.kind == "half":
            text = T.PERIOD_HALF[self.number].format(year=self.year)
        else:
            text = T.PERIOD_YEAR.format(year=self.year)
        if self.last is not None:
            text = T.PERIOD_UPTO.format(period=text, month=fmt_month(self.last))
        return text


def parse_period(text: str, *, ytd: bool = False) -> Period:
    """The period written ``text`` (``2024-06``, ``2024-Q2``, ``2024-H1``, ``2024``); with ``ytd``
    the year to date through that month (a month is required). ValueError otherwise."""
    value = text.strip() if isinstance(text, str) else text
    for pattern, kind in _PATTERNS:
        m = pattern.fullmatch(value) if isinstance(value, str) else None
        if m is None:
            continue
        year = int(m.group(1))
        number = int(m.group(2)) if m.lastindex and m.lastindex > 1 else 0
        if ytd and kind != "month":
            raise ValueError(f"the year to date needs a month 'YYYY-MM', got {text!r}")
        try:
            return Period("ytd" if ytd else kind, year, number)  # type: ignore[arg-type]
        except ValueError:
            break
    raise ValueError(f"period must be 'YYYY-MM', 'YYYY-Qn', 'YYYY-Hn' or 'YYYY', got {text!r}")


def as_period(period: str | Period, *, ytd: bool = False) -> Period:
    """``period`` itself, or the period its code names (:func:`parse_period`); ``ytd=True`` with a
    :class:`Period` that is not a year to date is a ValueError (the two say different things)."""
    if isinstance(period, Period):
        if ytd and period.kind != "ytd":
            raise ValueError(f"ytd=True with a {period.kind} period {period.code!r}")
        return period
    return parse_period(period, ytd=ytd)


def period_of(kind: Kind, month: str) -> Period:
    """The period of ``kind`` that contains ``month`` (for ``ytd``: through that month)."""
    year, m = int(month[:4]), int(month[5:])
    if kind in ("month", "ytd"):
        return Period(kind, year, m)
    if kind == "year":
        return Period("year", year, 0)
    return Period(kind, year, (m - 1) // _LENGTH[kind] + 1)


def periods_with_figures(kind: Kind, months: list[str]) -> list[Period]:
    """Every period of ``kind`` holding at least one of ``months`` (the months with figures), oldest
    first, each computed up to the latest of those months (:meth:`Period.until`)."""
    if not months:
        return []
    latest = max(months)
    seen = dict.fromkeys(period_of(kind, m) for m in sorted(months))
    return [p.until(latest) for p in seen]


__all__ = ["KINDS", "Kind", "Period", "as_period", "parse_period", "period_of", "periods_with_figures"]
