"""Shared filters (year, month, month vs year to date, unit): initialised and drawn in one place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

import streamlit as st

from ui.fmt import fmt_month

ALL_UNITS = "__all__"
MODE_MONTH = "month"
MODE_YTD = "ytd"
MODE_LABELS = {MODE_MONTH: "Trong tháng", MODE_YTD: "Lũy kế từ đầu năm"}


@dataclass(frozen=True)
class Filters:
    period: str  # YYYY-MM, the month chosen (end of the range when year to date)
    ytd: bool
    unit: str | None

    @property
    def year(self) -> int:
        return int(self.period[:4])

    @property
    def start(self) -> str:
        return f"{self.period[:4]}-01" if self.ytd else self.period

    def describe(self) -> str:
        """``Tháng 6/2024`` or ``Lũy kế 1–6/2024``, plus the unit when one is chosen."""
        when = f"Lũy kế tháng 1–{int(self.period[5:])}/{self.period[:4]}" if self.ytd else fmt_month(self.period)
        return f"{when} · {self.unit}" if self.unit else when


def init_filters(months: list[str]) -> None:
    """Set every filter key once, to the latest month with data (no-op when already set and valid)."""
    ss = st.session_state
    years = sorted({int(m[:4]) for m in months})
    if not years:
        return
    if ss.get("f_year") not in years:
        ss["f_year"] = years[-1]
    in_year = [m for m in months if int(m[:4]) == ss["f_year"]]
    if ss.get("f_month") not in in_year:
        ss["f_month"] = in_year[-1]
    ss.setdefault("f_mode", MODE_MONTH)
    ss.setdefault("f_unit", ALL_UNITS)


def read_filters(months: list[str], units: list[str]) -> Filters | None:
    """What the shared filters say (``None`` without data), from the session state alone.

    The entry file calls this before the page runs and :func:`draw_filters` after it, so that the
    page's content reaches the browser first (the sidebar's select boxes cost the first paint
    about 120 ms on this machine); a widget's new value is in the session state at the start of
    the rerun it causes, so the page always sees what the widgets show.
    """
    if not months:
        return None
    init_filters(months)
    ss = st.session_state
    if ss.get("f_unit") not in (ALL_UNITS, *units):
        ss["f_unit"] = ALL_UNITS
    mode = ss.get("f_mode") or MODE_MONTH
    unit = ss["f_unit"]
    return Filters(ss["f_month"], mode == MODE_YTD, None if unit == ALL_UNITS else unit)


def draw_filters(months: list[str], units: list[str]) -> None:
    """Draw the shared filters in the sidebar (after :func:`read_filters` in the same run)."""
    if not months:
        return
    ss = st.session_state
    years = sorted({int(m[:4]) for m in months})
    with st.sidebar:
        st.markdown("**Bộ lọc**")
        st.selectbox("Năm", years, key="f_year", on_change=_year_changed, args=(months,))
        in_year = [m for m in months if int(m[:4]) == ss["f_year"]]
        st.selectbox("Tháng", in_year, key="f_month", format_func=fmt_month)
        st.segmented_control("Phạm vi", list(MODE_LABELS), key="f_mode", format_func=MODE_LABELS.get,
                             selection_mode="single")
        st.selectbox("Đơn vị", [ALL_UNITS, *units], key="f_unit",
                     format_func=lambda u: "Toàn Sở (tất cả đơn vị)" if u == ALL_UNITS else u)


def _year_changed(months: list[str]) -> None:
    ss = st.session_state
    in_year = [m for m in months if int(m[:4]) == ss["f_year"]]
    if ss.get("f_month") not in in_year and in_year:
        ss["f_month"] = in_year[-1]


def current_filters() -> Filters | None:
    """The filters the entry file computed for this run (pages read them from here)."""
    return st.session_state.get("_filters")


#: Set by the entry file: pages end early with :func:`stop_page`, which it catches.
FRAME_KEY = "_in_frame"


class PageStopped(Exception):
    """Raised by :func:`stop_page`: the page ends here; the entry file still draws what follows it."""


def stop_page() -> NoReturn:
    """End the page here, like ``st.stop()``, but let the entry file draw the shared filters after it.

    (After ``st.stop()`` nothing more can be drawn in the run, and Streamlit would drop the state of
    the filter widgets it did not see, losing the month the user chose.)
    """
    if st.session_state.get(FRAME_KEY):
        raise PageStopped
    st.stop()
    raise AssertionError("unreachable: st.stop raises")
