"""The Overview's line for the next periodic report due (``reporting.toml``, :mod:`kpi.reporting`):
"Báo cáo Quý I/2024 gửi Sở Nội vụ trước 05/03/2024 – còn 4 ngày"."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from kpi.reporting import Due, ReportingError, next_due
from vnfmt import VN_TZ

__all__ = ["show_next_due"]


def show_next_due(today: dt.date | None = None) -> Due | None:
    """Show the next report due from ``today`` (default: today in Vietnam) as one info line and return
    it, so the page can put the button that makes that period's report beside it (``due.period``);
    ``None`` when no report is listed. A refused ``reporting.toml`` is shown as a warning naming it."""
    day = today or dt.datetime.now(VN_TZ).date()
    try:
        due = next_due(day)
    except ReportingError as exc:
        st.warning(str(exc))
        return None
    if due is not None:
        st.info(due.text, icon=":material/event:")
    return due
