"""Shared filters (year, month, month vs year to date, unit): initialised and drawn in one place.

They are mirrored in the address (``?thang=2024-06&pham_vi=ytd&don_vi=…``), so a reload or a bookmark
keeps them, and kept with the signed-in session (:mod:`data_access.sessions`): a new browser session
takes them from the address first, then from the session it resumes, else the latest month.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

import streamlit as st

from ui.texts import frame as T
from vnfmt import fmt_month

ALL_UNITS = "__all__"
MODE_MONTH = "month"
MODE_YTD = "ytd"
MODE_LABELS = {MODE_MONTH: T.MODE_MONTH_LABEL, MODE_YTD: T.MODE_YTD_LABEL}
#: The address's query parameter of each filter (session state key → parameter).
PARAMS = {"f_month": "thang", "f_mode": "pham_vi", "f_unit": "don_vi"}
#: Session key: the filters kept with a resumed session ({parameter: value}), read by :func:`init_filters`.
SAVED_KEY = "_saved_filters"


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
        when = (
            T.YTD_RANGE.format(month=int(self.period[5:]), year=self.period[:4])
            if self.ytd
            else fmt_month(self.period)
        )
        return f"{when} · {self.unit}" if self.unit else when


def init_filters(months: list[str], units: list[str] | None = None) -> None:
    """Set every filter key once (no-op when already set and valid): from the address, else from the
    resumed session, else the latest month with data, the month alone and the whole department."""
    ss = st.session_state
    years = sorted({int(m[:4]) for m in months})
    if not years:
        return
    if "f_month" not in ss:  # a new browser session (a reload, a bookmark) or a new sign-in
        saved = ss.pop(SAVED_KEY, None) or {}
        for key, valid in (("f_month", months), ("f_mode", list(MODE_LABELS)), ("f_unit", units or [])):
            value = next(
                (v for v in (st.query_params.get(PARAMS[key]), saved.get(PARAMS[key])) if v in valid), None
            )
            if value is not None:  # the address first, then the session; an invalid value is ignored
                ss[key] = value
        if "f_month" in ss:
            ss["f_year"] = int(ss["f_month"][:4])
    if ss.get("f_year") not in years:
        ss["f_year"] = years[-1]
    in_year = [m for m in months if int(m[:4]) == ss["f_year"]]
    if ss.get("f_month") not in in_year:
        ss["f_month"] = in_year[-1]
    ss.setdefault("f_mode", MODE_MONTH)
    ss.setdefault("f_unit", ALL_UNITS)


def filter_values() -> dict[str, str]:
    """The filters as the address writes them ({parameter: value}; the defaults left out)."""
    ss = st.session_state
    values = {PARAMS[k]: str(ss[k]) for k in PARAMS if ss.get(k) is not None}
    if values.get("pham_vi") == MODE_MONTH:
        del values["pham_vi"]
    if values.get("don_vi") == ALL_UNITS:
        del values["don_vi"]
    return values


def mirror_filters() -> None:
    """Write the filters into the address (only what differs), so that a reload or a bookmark keeps them."""
    values = filter_values()
    params = st.query_params
    for name in PARAMS.values():
        if name not in values and name in params:
            del params[name]
    if any(params.get(k) != v for k, v in values.items()):
        params.update(values)


def read_filters(months: list[str], units: list[str]) -> Filters | None:
    """What the shared filters say (``None`` without data), from the session state alone.

    The entry file calls this before the page runs and :func:`draw_filters` after it, so that the
    page's content reaches the browser first (the sidebar's select boxes cost the first paint
    about 120 ms on this machine); a widget's new value is in the session state at the start of
    the rerun it causes, so the page always sees what the widgets show.
    """
    if not months:
        return None
    init_filters(months, units)
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
        st.markdown(T.FILTERS_HEADER)
        # persist_state: the values outlive the pages that do not draw the filters (upload, admin)
        st.selectbox(
            T.FILTER_YEAR,
            years,
            key="f_year",
            on_change=_year_changed,
            args=(months,),
            persist_state="session",
        )
        in_year = [m for m in months if int(m[:4]) == ss["f_year"]]
        st.selectbox(T.FILTER_MONTH, in_year, key="f_month", format_func=fmt_month, persist_state="session")
        st.segmented_control(
            T.FILTER_MODE,
            list(MODE_LABELS),
            key="f_mode",
            format_func=MODE_LABELS.__getitem__,
            selection_mode="single",
            persist_state="session",
        )
        st.selectbox(
            T.FILTER_UNIT,
            [ALL_UNITS, *units],
            key="f_unit",
            format_func=lambda u: T.ALL_UNITS_LABEL if u == ALL_UNITS else u,
            persist_state="session",
        )
    mirror_filters()


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
