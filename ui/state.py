"""Shared filters (the kind of period, the period, the unit): initialised and drawn in one place.

The sidebar chooses the kind of period (Tháng / Quý / 6 tháng / Năm / Lũy kế, :data:`KIND_LABELS`)
and then one period of that kind among those with figures, newest first (:func:`kpi.periods.periods_with_figures`,
named by :meth:`~kpi.periods.Period.describe`; a period not over yet is cut to the latest month with
figures and says so). The filters carry that :class:`~kpi.periods.Period` (:class:`Filters`).

The address mirrors them, so a reload or a bookmark keeps them:

* ``ky`` — the period's code: ``2024-06`` (a month), ``2024-Q2`` (a quarter), ``2024-H1`` / ``2024-H2``
  (a half year), ``2024`` (a year);
* ``pham_vi=ytd`` — with a month in ``ky``: the year to date through that month (Lũy kế);
* ``don_vi`` — the unit (left out for the whole department).

So ``/khoang-cach?ky=2024-Q2&don_vi=Thanh tra Sở`` opens Quý II/2024 for that unit. Links written before
the quarters came (``?thang=2024-06&pham_vi=ytd``) still open what they named: ``thang`` is read as ``ky``
when there is no ``ky`` (and the address is then rewritten with ``ky``). A value that is not valid (not a
period, or a period without figures; an unknown unit) is ignored.

The filters are also kept with the signed-in session (:mod:`data_access.sessions`, as the same
``{parameter: value}`` dict, old keys read the same way): a new browser session takes them from the
address first, then from the session it resumes, else the latest month alone for the whole department.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NoReturn

import streamlit as st

from kpi.periods import KINDS, Kind, Period, parse_period, periods_with_figures
from ui.texts import frame as T

ALL_UNITS = "__all__"
KIND_LABELS: dict[Kind, str] = {
    "month": T.KIND_MONTH_LABEL,
    "quarter": T.KIND_QUARTER_LABEL,
    "half": T.KIND_HALF_LABEL,
    "year": T.KIND_YEAR_LABEL,
    "ytd": T.KIND_YTD_LABEL,
}
#: The address's query parameter of each filter (session state key → parameter).
PARAMS = {"f_period": "ky", "f_kind": "pham_vi", "f_unit": "don_vi"}
#: ``pham_vi``'s one value: the year to date (a month in ``ky``).
YTD_PARAM = "ytd"
#: The month parameter of the links written before ``ky`` (read, never written).
OLD_MONTH_PARAM = "thang"
#: Session key: the filters kept with a resumed session ({parameter: value}), read by :func:`init_filters`.
SAVED_KEY = "_saved_filters"
#: Session key: the kind shown last (the segmented control can be clicked off: it comes back to it).
_KIND_SHOWN = "_f_kind_shown"


@dataclass(frozen=True)
class Filters:
    """The period chosen (with its last month cut to the figures when it is not over) and the unit."""

    period: Period
    unit: str | None = None

    @property
    def year(self) -> int:
        return self.period.year

    @property
    def kind(self) -> Kind:
        return self.period.kind

    @property
    def ytd(self) -> bool:
        return self.period.kind == "ytd"

    @property
    def start(self) -> str:
        """The period's first month (``YYYY-MM``)."""
        return self.period.start

    @property
    def end(self) -> str:
        """The period's last month computed (``YYYY-MM``)."""
        return self.period.end

    def describe(self) -> str:
        """``Tháng 6/2024``, ``Quý II/2024``, ``6 tháng đầu năm 2024``, ``Năm 2024``, ``Lũy kế đến Tháng
        6/2024`` (plus ``(số liệu đến …)`` when not over), and the unit when one is chosen."""
        when = self.period.describe()
        return f"{when} · {self.unit}" if self.unit else when


def period_options(kind: Kind, months: list[str]) -> dict[str, Period]:
    """The periods of ``kind`` with figures, newest first, by code (what the period box offers)."""
    return {p.code: p for p in reversed(periods_with_figures(kind, months))}


def _from_params(values: Mapping[str, object], months: list[str]) -> tuple[Kind, str] | None:
    """(kind, code) that the address (or a saved session) names, when it is a period with figures."""
    code = values.get(PARAMS["f_period"]) or values.get(OLD_MONTH_PARAM)
    if not isinstance(code, str):
        return None
    try:
        named = parse_period(code)
    except ValueError:
        return None
    kind: Kind = "ytd" if named.kind == "month" and values.get(PARAMS["f_kind"]) == YTD_PARAM else named.kind
    return (kind, code) if code in period_options(kind, months) else None


def _containing(kind: Kind, month: str, months: list[str]) -> str:
    """The code of the period of ``kind`` with figures that holds ``month``, else the newest."""
    options = period_options(kind, months)
    if kind in ("month", "ytd"):  # a year to date is named by its month, as a month is
        return month if month in options else next(iter(options))
    return next(
        (code for code, p in options.items() if p.start <= month <= p.nominal_end), next(iter(options))
    )


def init_filters(months: list[str], units: list[str] | None = None) -> None:
    """Set every filter key once (no-op when already set and valid): from the address, else from the
    resumed session, else the latest month with data, the month alone and the whole department."""
    ss = st.session_state
    if not months:
        return
    if "f_period" not in ss:  # a new browser session (a reload, a bookmark) or a new sign-in
        saved = ss.pop(SAVED_KEY, None) or {}
        params = {k: st.query_params.get(k) for k in (*PARAMS.values(), OLD_MONTH_PARAM)}
        chosen = _from_params(params, months) or _from_params(saved, months)
        if chosen is not None:  # the address first, then the session; an invalid value is ignored
            ss["f_kind"], ss["f_period"] = chosen
        unit = next((v for v in (params.get("don_vi"), saved.get("don_vi")) if v in (units or [])), None)
        if unit is not None:
            ss["f_unit"] = unit
    if ss.get("f_kind") not in KINDS:  # unset, or the selected kind clicked off: back to the one shown
        ss["f_kind"] = ss.get(_KIND_SHOWN, "month")
    kind: Kind = ss["f_kind"]
    options = period_options(kind, months)
    if ss.get("f_period") not in options:
        ss["f_period"] = next(iter(options))
    ss[_KIND_SHOWN] = kind
    ss.setdefault("f_unit", ALL_UNITS)


def filter_values() -> dict[str, str]:
    """The filters as the address writes them ({parameter: value}; the defaults left out)."""
    ss = st.session_state
    values: dict[str, str] = {}
    if ss.get("f_period") is not None:
        values[PARAMS["f_period"]] = str(ss["f_period"])
    if ss.get("f_kind") == "ytd":
        values[PARAMS["f_kind"]] = YTD_PARAM
    if ss.get("f_unit") not in (None, ALL_UNITS):
        values[PARAMS["f_unit"]] = str(ss["f_unit"])
    return values


def mirror_filters() -> None:
    """Write the filters into the address (only what differs), so that a reload or a bookmark keeps them."""
    values = filter_values()
    params = st.query_params
    for name in (*PARAMS.values(), OLD_MONTH_PARAM):
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
    unit = ss["f_unit"]
    period = period_options(ss["f_kind"], months)[ss["f_period"]]
    return Filters(period, None if unit == ALL_UNITS else unit)


def draw_filters(months: list[str], units: list[str]) -> None:
    """Draw the shared filters in the sidebar (after :func:`read_filters` in the same run)."""
    if not months:
        return
    ss = st.session_state
    with st.sidebar:
        st.markdown(T.FILTERS_HEADER)
        # persist_state: the values outlive the pages that do not draw the filters (upload, admin)
        st.segmented_control(
            T.FILTER_KIND,
            list(KINDS),
            key="f_kind",
            format_func=KIND_LABELS.__getitem__,
            selection_mode="single",
            on_change=_kind_changed,
            args=(months,),
            persist_state="session",
        )
        options = period_options(ss["f_kind"], months)
        st.selectbox(
            T.FILTER_PERIOD,
            list(options),
            key="f_period",
            format_func=lambda code: options[code].describe(),
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


def _kind_changed(months: list[str]) -> None:
    """Another kind: its period that holds the last month of the period shown (else the newest)."""
    ss = st.session_state
    kind = ss.get("f_kind")
    shown = ss.get(_KIND_SHOWN, "month")
    if kind not in KINDS:
        return  # clicked off: init_filters brings the kind shown back, with its period
    old = period_options(shown, months).get(ss.get("f_period", ""))
    ss["f_period"] = _containing(kind, old.end if old else max(months), months)


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
