"""Vietnamese formatting of numbers, percentages, months and dates (no streamlit here)."""

from __future__ import annotations

import datetime as dt
import math

VN_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")

STATUS_LABELS: dict[str, str] = {
    "met": "Đạt",
    "near": "Gần đạt",
    "below": "Chưa đạt",
    "no_data": "Chưa có số liệu",
}
#: One colour per status, used by every page and figure.
STATUS_COLORS: dict[str, str] = {
    "met": "#2e7d32",
    "near": "#f9a825",
    "below": "#c62828",
    "no_data": "#9e9e9e",
}
#: The Streamlit colour name of a status (for badges and markdown).
STATUS_ST_COLORS: dict[str, str] = {"met": "green", "near": "orange", "below": "red", "no_data": "gray"}
STATUS_ICONS: dict[str, str] = {
    "met": ":material/check_circle:",
    "near": ":material/error:",
    "below": ":material/cancel:",
    "no_data": ":material/help:",
}


def _missing(x: object) -> bool:
    if x is None:
        return True
    try:
        return bool(x != x) or (isinstance(x, float) and math.isnan(x))
    except (TypeError, ValueError):
        return True  # pd.NA


def fmt_int(n: object) -> str:
    """``1234`` → ``1.234`` (dot groups thousands); missing → ``–``."""
    if _missing(n):
        return "–"
    v = int(n)  # type: ignore[call-overload]
    s = f"{abs(v):,}".replace(",", ".")
    return f"-{s}" if v < 0 else s


def fmt_number(x: object, digits: int = 1) -> str:
    """``1234.5`` → ``1.234,5``."""
    if _missing(x):
        return "–"
    s = f"{abs(float(x)):,.{digits}f}"  # type: ignore[arg-type]
    s = s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return f"-{s}" if float(x) < 0 else s  # type: ignore[arg-type]


def fmt_pct(x: object, digits: int = 1) -> str:
    """A fraction as a Vietnamese percentage: ``0.905`` → ``90,5 %``; missing → ``–``."""
    if _missing(x):
        return "–"
    return f"{fmt_number(float(x) * 100, digits)} %"  # type: ignore[arg-type]


def fmt_points(x: object, digits: int = 1, sign: bool = True) -> str:
    """A difference of fractions in percentage points: ``-0.023`` → ``-2,3 điểm %``."""
    if _missing(x):
        return "–"
    v = float(x) * 100  # type: ignore[arg-type]
    body = fmt_number(abs(v), digits)
    if round(v, digits) == 0:
        return f"0,{'0' * digits} điểm %" if digits else "0 điểm %"
    prefix = ("+" if v > 0 else "-") if sign else ("" if v > 0 else "-")
    return f"{prefix}{body} điểm %"


def fmt_month(period: str, short: bool = False) -> str:
    """``2024-06`` → ``Tháng 6/2024`` (short: ``T6/2024``)."""
    y, m = period.split("-")
    return f"{'T' if short else 'Tháng '}{int(m)}/{y}"


def fmt_date(d: dt.date | dt.datetime) -> str:
    """A date as ``dd/mm/yyyy``."""
    return d.strftime("%d/%m/%Y")


def fmt_datetime(d: dt.datetime) -> str:
    """A stored (UTC) time in Vietnam time: ``14:05 22/11/2026``."""
    if d.tzinfo is None:
        d = d.replace(tzinfo=dt.UTC)
    return d.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")


def fmt_status(status: str) -> str:
    return STATUS_LABELS.get(status, status)
