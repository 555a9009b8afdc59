"""Pure parsing of one cell: a period, a count, a text value (no I/O, no issue list: fuzzable)."""

from __future__ import annotations

import datetime as dt
import math
import re

from data_access.textnorm import clean
from vnfmt import fmt_date

_PERIOD_MY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_PERIOD_YM = re.compile(r"^(\d{4})\s*[/.\-]\s*(\d{1,2})$")
_PERIOD_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?:\s.*)?$")
_PERIOD_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_MIN = (dt.date(2000, 1, 1) - _EXCEL_EPOCH).days  # 36526
_SERIAL_MAX = (dt.date(9999, 12, 31) - _EXCEL_EPOCH).days + 1


def parse_period(value: object) -> str | None:
    """Return ``YYYY-MM`` for a period cell (``MM/YYYY``, ``YYYY-MM``, a date or an Excel serial)."""
    year = month = None
    if isinstance(value, dt.datetime | dt.date):
        year, month = value.year, value.month
    elif isinstance(value, int | float) and not isinstance(value, bool):
        # An Excel serial date that lost its date format. Only serials from 2000-01-01 on count:
        # a smaller number (a year typed as 2024, a month typed as 6) is not a date here.
        if not math.isfinite(value) or not _SERIAL_MIN <= value < _SERIAL_MAX:
            return None
        d = _EXCEL_EPOCH + dt.timedelta(days=int(value))
        year, month = d.year, d.month
    elif isinstance(value, str):
        s = value.strip()
        if m := _PERIOD_MY.match(s):
            month, year = int(m.group(1)), int(m.group(2))
        elif (m := _PERIOD_YM.match(s)) or (m := _PERIOD_ISO.match(s)):
            year, month = int(m.group(1)), int(m.group(2))
        elif m := _PERIOD_DMY.match(s):
            month, year = int(m.group(2)), int(m.group(3))
        else:
            return None
    else:
        return None
    if not (1 <= month <= 12 and 1900 <= year <= 9999):
        return None
    return f"{year:04d}-{month:02d}"


def parse_text(value: object) -> str | None:
    """A text cell as clean NFC text, ``None`` when empty. Whole floats lose their ``.0``."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            value = int(value)
    elif isinstance(value, dt.datetime | dt.date):
        value = fmt_date(value)
    s = clean(value)
    return s or None


_INT_TEXT = re.compile(r"^[+-]?\d+(?:[.,]0+)?$")
#: The largest count a cell may hold: no office handles a billion dossiers a month, and sums of
#: counts this size stay exact in float64 and int64 (a larger one would wrap to a negative int64).
MAX_COUNT = 999_999_999


def parse_count(value: object) -> tuple[int | None, str | None]:
    """Parse a count cell: ``(value, None)`` or ``(None, error code)``; empty → ``(None, None)``."""
    if value is None or value == "":
        return None, None
    if isinstance(value, bool):
        return None, "count_text"
    if isinstance(value, int):
        return _bounded(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None, "count_text"
        if not value.is_integer():
            return None, "count_fraction" if value >= 0 else "count_negative"
        return _bounded(int(value))
    if isinstance(value, str):
        s = value.strip().replace("\u00a0", "").replace(" ", "")
        if s == "":
            return None, None
        if _INT_TEXT.match(s):
            head = re.split(r"[.,]", s)[0]
            digits = head.lstrip("+-").lstrip("0")
            if len(digits) > 18:  # (int() refuses more than 4,300 digits; no count is this long)
                return None, "count_negative" if head.startswith("-") else "count_too_large"
            return _bounded(int(head))
        try:
            f = float(s.replace(",", "."))
        except ValueError:
            return None, "count_text"
        if not math.isfinite(f):
            return None, "count_text"
        if f < 0:
            return None, "count_negative"
        return None, "count_fraction"
    return None, "count_text"


def _bounded(n: int) -> tuple[int | None, str | None]:
    if n < 0:
        return None, "count_negative"
    if n > MAX_COUNT:
        return None, "count_too_large"
    return n, None


def numberlike(value: object) -> bool:
    """Whether a cell holds a number (even one the count rules refuse, such as -3 or 12.5)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if isinstance(value, str):
        s = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            float(s)
        except ValueError:
            return False
        return True
    return False


def shown(value: object) -> str:
    """A cell as a message quotes it: a whole float without its ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def row_filled(row: list[object]) -> bool:
    """Whether a row has a cell that is neither empty text nor ``None`` (counted in C: fast)."""
    return row.count("") + row.count(None) < len(row)


def cell_at(row: list[object], j: int | None) -> object:
    """Cell ``j`` of a row, ``None`` beyond its end or when there is no such column."""
    if j is None or j >= len(row):
        return None
    return row[j]
