"""Vietnamese formats of numbers, percentages, points, months, dates and times: the one place for them.

Below every layer (the command line, ``kpi``, ``data_access`` and ``ui`` all use it) and built on
Babel's ``vi`` locale (CLDR data: ``.`` groups thousands, ``,`` is the decimal mark, ``-`` the minus
sign), so the pages, the exports and the command line print the same strings.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from babel.numbers import format_decimal

LOCALE = "vi"
#: Vietnam time (no daylight saving): stored times are UTC, shown in this zone.
VN_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")
#: What a missing value is shown as.
MISSING = "–"
POINTS_UNIT = "điểm %"


def is_missing(x: object) -> bool:
    """``None``, NaN, ``pd.NA`` and ``pd.NaT`` are missing."""
    if x is None:
        return True
    try:
        return bool(x != x) or (isinstance(x, float) and math.isnan(x))
    except (TypeError, ValueError):
        return True  # pd.NA refuses to be a bool


def _pattern(digits: int) -> str:
    return "#,##0" + ("." + "0" * digits if digits > 0 else "")


def _decimal(x: object, digits: int) -> Decimal:
    # round half away from zero on the decimal value, as people do (Babel's default is half-even)
    d = Decimal(str(float(x))) if not isinstance(x, int | Decimal) else Decimal(x)  # type: ignore[arg-type]
    return d.quantize(Decimal(1).scaleb(-digits), rounding="ROUND_HALF_UP")


def fmt_int(n: object) -> str:
    """``1234`` → ``1.234``; missing → ``–``."""
    if is_missing(n):
        return MISSING
    return format_decimal(int(n), format="#,##0", locale=LOCALE)  # type: ignore[call-overload]


def fmt_number(x: object, digits: int = 1) -> str:
    """``1234.5`` → ``1.234,5``; missing → ``–``."""
    if is_missing(x):
        return MISSING
    d = _decimal(x, digits)
    if d == 0:
        d = abs(d)  # no "-0,0"
    return format_decimal(d, format=_pattern(digits), locale=LOCALE, decimal_quantization=False)


def fmt_pct(x: object, digits: int = 1) -> str:
    """A fraction as a percentage: ``0.905`` → ``90,5 %``; missing → ``–``."""
    if is_missing(x):
        return MISSING
    return f"{fmt_number(float(x) * 100, digits)} %"  # type: ignore[arg-type]


def fmt_points(x: object, digits: int = 1, sign: bool = True) -> str:
    """A difference of fractions in percentage points: ``-0.023`` → ``-2,3 điểm %``, ``0.05`` → ``+5,0 điểm %``."""
    if is_missing(x):
        return MISSING
    body = fmt_number(float(x) * 100, digits)  # type: ignore[arg-type]
    if sign and not body.startswith("-") and _decimal(float(x) * 100, digits) != 0:  # type: ignore[arg-type]
        body = "+" + body
    return f"{body} {POINTS_UNIT}"


def fmt_signed_int(n: object) -> str:
    """A change in a count: ``+12``, ``-3``, ``0``; missing → ``–``."""
    if is_missing(n):
        return MISSING
    v = int(n)  # type: ignore[call-overload]
    return ("+" if v > 0 else "") + fmt_int(v)


def fmt_month(period: str, short: bool = False) -> str:
    """``2024-06`` → ``Tháng 6/2024`` (short, for chart ticks: ``T6/2024``)."""
    y, m = period.split("-")
    return f"{'T' if short else 'Tháng '}{int(m)}/{y}"


def fmt_month_number(period: str) -> str:
    """``2024-06`` → ``6/2024``, after a word that says it is a month (``tháng {…}``)."""
    y, m = period.split("-")
    return f"{int(m)}/{y}"


def fmt_month_padded(month: object) -> str:
    """A month code ``2024-01`` as ``01/2024`` (a catalog's effective month, as the office writes it);
    ``""`` for anything else."""
    if not isinstance(month, str) or len(month) != 7:
        return ""
    return f"{month[5:]}/{month[:4]}"


#: Points as the scoreboards print them: at most two decimals (1,46; 0,05).
SCORE_DIGITS = 2


def fmt_score(x: object) -> str:
    """Points with at most two decimals, trailing zeros dropped: ``1.4587`` → ``1,46``, ``1.5`` → ``1,5``,
    ``2.0`` → ``2``; missing → ``–``."""
    if is_missing(x):
        return MISSING
    text = fmt_number(x, SCORE_DIGITS)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def fmt_month_in(period: str) -> str:
    """``2024-06`` → ``tháng 6/2024``, inside a sentence."""
    y, m = period.split("-")
    return f"tháng {int(m)}/{y}"


def fmt_date(d: dt.date | dt.datetime) -> str:
    """A date as ``dd/mm/yyyy``."""
    return d.strftime("%d/%m/%Y")


def fmt_datetime(d: dt.datetime) -> str:
    """A stored time (UTC when naive) in Vietnam time: ``14:05 02/12/2026``."""
    if d.tzinfo is None:
        d = d.replace(tzinfo=dt.UTC)
    return d.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")
