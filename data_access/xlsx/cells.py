"""Pure parsing of one cell: a period, a count, a text value (no I/O, no issue list: fuzzable)."""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re

from data_access.textnorm import clean, fold
from data_access.texts.columns import NO_WORDS, YES_WORDS
from vnfmt import fmt_date, fmt_int, fmt_number

_PERIOD_MY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_PERIOD_YM = re.compile(r"^(\d{4})\s*[/.\-]\s*(\d{1,2})$")
_PERIOD_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?:\s.*)?$")
_PERIOD_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_MIN = (dt.date(2000, 1, 1) - _EXCEL_EPOCH).days  # 36526
_SERIAL_MAX = (dt.date(9999, 12, 31) - _EXCEL_EPOCH).days + 1
#: No month before this year has a report of the kind read here: the one-stop-shop regime whose dossier
#: counts these reports carry dates from Quyết định 09/2015/QĐ-TTg (since replaced by Nghị định
#: 61/2018/NĐ-CP), and the dashboard's figures start years later. An earlier year is a slip (01/1900 is
#: what an empty date becomes in some programs) and is refused, not stored as a month nobody looks at.
#: It also keeps the months of one upload within what ``upload.months`` can list until the 2030s.
EARLIEST_YEAR = 2015


def parse_period(value: object) -> str | None:
    """Return ``YYYY-MM`` for a period cell (``MM/YYYY``, ``YYYY-MM``, a date or an Excel serial)."""
    return read_period(value)[0]


def read_period(value: object) -> tuple[str | None, str | None]:
    """A period cell as ``(YYYY-MM, None)``, or ``(None, code)``: ``period_invalid`` (not a period),
    ``period_bad_day`` (a text date whose day its month does not have: 30/02/2024) or
    ``period_too_early`` (before :data:`EARLIEST_YEAR`)."""
    year = month = None
    day: int | None = None
    if isinstance(value, dt.datetime | dt.date):
        year, month = value.year, value.month
    elif isinstance(value, int | float) and not isinstance(value, bool):
        # An Excel serial date that lost its date format. Only serials from 2000-01-01 on count:
        # a smaller number (a year typed as 2024, a month typed as 6) is not a date here.
        if not math.isfinite(value) or not _SERIAL_MIN <= value < _SERIAL_MAX:
            return None, "period_invalid"
        d = _EXCEL_EPOCH + dt.timedelta(days=int(value))
        year, month = d.year, d.month
    elif isinstance(value, str):
        s = value.strip()
        if m := _PERIOD_MY.match(s):
            month, year = int(m.group(1)), int(m.group(2))
        elif m := _PERIOD_YM.match(s):
            year, month = int(m.group(1)), int(m.group(2))
        elif m := _PERIOD_ISO.match(s):
            year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        elif m := _PERIOD_DMY.match(s):
            day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        else:
            return None, "period_invalid"
    else:
        return None, "period_invalid"
    if not (1 <= month <= 12 and 1 <= year <= 9999):
        return None, "period_invalid"
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None, "period_bad_day"
    if year < EARLIEST_YEAR:
        return None, "period_too_early"
    return f"{year:04d}-{month:02d}", None


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


#: Counts written as text. Vietnamese group thousands with dots (10.000, 1.234.567) and write
#: decimals with a comma; English does the reverse, so a comma before three digits (10,000) is ten
#: thousand to one reader and ten to the other: refused, with both readings.
_DIGITS = re.compile(r"\d+")
_DOT_GROUPED = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")  # 1.234, 10.000, 1.234.567
_DOT_GROUPED_DECIMAL = re.compile(r"([1-9]\d{0,2}(?:\.\d{3})+),(\d+)")  # 1.234,5 and 1.234,0
_COMMA_GROUPED = re.compile(r"([1-9]\d{0,2}),(\d{3})")  # 10,000: 10 or 10.000
_COMMA_GROUPS = re.compile(r"[1-9]\d{0,2}(?:,\d{3}){2,}")  # 1,234,567: English thousands
_WHOLE_DECIMAL = re.compile(r"(\d+)[.,]0+")  # 12.0, 12,00
#: The largest count a cell may hold: no office handles a billion dossiers a month, and sums of
#: counts this size stay exact in float64 and int64 (a larger one would wrap to a negative int64).
MAX_COUNT = 999_999_999
_MAX_DIGITS = 18  # int() refuses more than 4,300 digits; no count is this long


def parse_count(value: object) -> tuple[int | None, str | None]:
    """Parse a count cell: ``(value, None)`` or ``(None, error code)``; empty → ``(None, None)``.

    A number cell is taken as it is; a text cell may group thousands the Vietnamese way (``10.000``
    is ten thousand) or with spaces (``1 200``), and may end in a zero decimal (``12,0``).
    """
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
        return _count_text(s)
    return None, "count_text"


def _count_text(s: str) -> tuple[int | None, str | None]:
    """A count written as text (spaces removed)."""
    negative = s.startswith("-")
    body = s[1:] if s[:1] in "+-" else s
    whole: str | None = None  # the digits of a whole number
    if _DIGITS.fullmatch(body):
        whole = body
    elif _DOT_GROUPED.fullmatch(body):
        whole = body.replace(".", "")
    elif _COMMA_GROUPED.fullmatch(body):
        return None, "count_negative" if negative else "count_ambiguous"
    elif _COMMA_GROUPS.fullmatch(body):
        return None, "count_negative" if negative else "count_comma_groups"
    elif m := _WHOLE_DECIMAL.fullmatch(body):
        whole = m.group(1)
    elif (m := _DOT_GROUPED_DECIMAL.fullmatch(body)) and not m.group(2).strip("0"):
        whole = m.group(1).replace(".", "")
    if whole is not None:
        if len(whole.lstrip("0")) > _MAX_DIGITS:
            return None, "count_negative" if negative else "count_too_large"
        return _bounded(-int(whole) if negative else int(whole))
    if m := _DOT_GROUPED_DECIMAL.fullmatch(body):  # 1.234,5
        return None, "count_negative" if negative else "count_fraction"
    try:
        f = float(s.replace(",", "."))
    except ValueError:
        return None, "count_text"
    if not math.isfinite(f):
        return None, "count_text"
    if f < 0:
        return None, "count_negative"
    return None, "count_fraction"


def count_issue_kw(raw: object, code: str) -> dict[str, object]:
    """The placeholders of the message of count error ``code`` about cell ``raw``: its value, and for a
    comma-grouped text its readings (``10,000``: ``decimal`` 10, ``thousands`` 10.000)."""
    kw: dict[str, object] = {"value": shown(raw)}
    if code in ("count_ambiguous", "count_comma_groups") and isinstance(raw, str):
        s = raw.strip().replace("\u00a0", "").replace(" ", "").lstrip("+")
        kw["thousands"] = fmt_int(int(s.replace(",", "")))
        if m := _COMMA_GROUPED.fullmatch(s):
            decimals = m.group(2).rstrip("0")
            kw["decimal"] = (
                fmt_number(float(s.replace(",", ".")), len(decimals))
                if decimals
                else fmt_int(int(m.group(1)))
            )
    return kw


def _bounded(n: int) -> tuple[int | None, str | None]:
    if n < 0:
        return None, "count_negative"
    if n > MAX_COUNT:
        return None, "count_too_large"
    return n, None


def numberlike(value: object) -> bool:
    """Whether a cell holds a number (even one the count rules refuse, such as -3, 12.5 or 10,000)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if isinstance(value, str):
        s = value.strip().replace("\u00a0", "").replace(" ", "")
        try:
            float(s.replace(",", "."))
        except ValueError:
            value, err = parse_count(s)  # 1.234.567, 10,000, 1.234,5…
            return value is not None or err not in (None, "count_text")
        return True
    return False


def is_total_label(folded: str) -> bool:
    """A total row's label, folded: "Tổng cộng", "Tổng số", "Cộng", "Cộng toàn Sở"… (not "Công nhận…")."""
    return folded in ("cong", "tong") or folded.startswith(
        ("tong cong", "tong so", "cong toan", "cong chung")
    )


def total_label(row: list[object]) -> str | None:
    """The first text of ``row`` that labels a total (see :func:`is_total_label`), else ``None``."""
    for c in row:
        if isinstance(c, str) and c.strip() and len(c) < 100 and is_total_label(fold(c)):
            return clean(c)
    return None


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


def parse_yes_no(value: object) -> tuple[bool | None, bool]:
    """A yes/no cell as ``(answer, ok)``: ``(None, True)`` when empty (unknown, never "no"),
    ``(None, False)`` when it holds another word."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, True
    if isinstance(value, bool):
        return value, True
    if isinstance(value, int | float):
        return ({1.0: True, 0.0: False}.get(float(value)), value in (0, 1))
    key = fold(value)
    if key in YES_WORDS:
        return True, True
    if key in NO_WORDS:
        return False, True
    return None, False
