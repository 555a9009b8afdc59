"""The brief (``reports.md``) of the period on screen as Word, PDF and Excel downloads on the directors'
pages, and the deadline line's button that makes the next report due.

:func:`brief_buttons` offers :func:`kpi.cli_brief.brief_document` rendered by
:func:`data_access.brief.render` for the page's period (and the sidebar's unit), judged by the official
plan of that year (never a what-if scenario: this is the document the office signs). While the page
runs only one cheap question is asked (does the period, or the unit, have figures? both cached per
data version): each file is written when its button is clicked (``st.download_button`` with a
callable ``data``) and kept per data version, plan, period, unit and format. A period without figures
shows the Vietnamese message of ``kpi brief`` instead of the buttons, never an empty document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from data_access.brief import FORMATS, MIME_TYPES, admin_header, file_stem, render
from data_access.plans import year_notice
from data_access.store import open_engine
from data_access.texts import brief as TB
from kpi.cli_brief import brief_document, procedure_inputs
from kpi.periods import Period, parse_period
from kpi.reporting import Due
from kpi.targets import Plan
from ui import data
from ui.texts import brief as T

__all__ = ["brief_buttons", "brief_period", "brief_refusal", "due_button"]

_LABELS = {"docx": T.DOWNLOAD_DOCX, "pdf": T.DOWNLOAD_PDF, "xlsx": T.DOWNLOAD_XLSX}
_ICONS = {
    "docx": ":material/description:",
    "pdf": ":material/picture_as_pdf:",
    "xlsx": ":material/table_view:",
}


def brief_period(src: data.Source, code: str) -> Period:
    """The period of ``code`` cut to the last month with figures when it is not over (as ``kpi brief``)."""
    months = data.loaded_summary(src)["months"]
    return parse_period(code).until(max(months) if months else None)


def brief_refusal(src: data.Source, period: Period, unit: str | None) -> str | None:
    """Why no brief can be made for ``period`` (and ``unit``): the Vietnamese message of ``kpi brief``
    when the period, or the unit in it, has no figures; ``None`` when it can be made."""
    months = set(data.loaded_summary(src)["months"])
    if not months & set(period.months):
        return TB.CLI_NO_PERIOD_FIGURES.format(period=period.describe())
    if unit is not None and data.active_uploads(src, period.start, period.end, unit).empty:
        return TB.CLI_NO_UNIT_FIGURES.format(unit=unit, period=period.describe())
    return None


@st.cache_data(max_entries=24, ttl=3600, show_spinner=False)
def _brief_file(
    figures: data.CachedFigures,
    plan_digest: str,
    period: Period,
    unit: str | None,
    fmt: str,
    _plan: Plan,
    _uploads: pd.DataFrame,
) -> bytes:
    """The brief as ``fmt`` bytes, kept per data version (in ``figures``), plan digest, period and unit."""
    procedures, catalog = procedure_inputs(open_engine(figures.url), _plan)
    doc = brief_document(
        figures,
        _plan,
        period,
        unit=unit,
        uploads=_uploads,
        plan_note=year_notice(period.year, _plan.year),
        procedure_source=procedures,
        catalog=catalog,
    )
    return render(doc, fmt, header=admin_header())


def _writer(src: data.Source, period: Period, unit: str | None, fmt: str) -> Callable[[], bytes]:
    """The callable a button is given: the file is written when clicked, then kept."""

    def write() -> bytes:
        plan = data.official_plan(period.year)
        uploads = data.active_uploads(src, period.start, period.end, unit)
        figures = data.figure_source(src)
        return _brief_file(figures, data.plan_key(plan), period, unit, fmt, plan, uploads)

    return write


def _buttons(
    src: data.Source,
    period: Period,
    unit: str | None,
    *,
    key: str,
    formats: Sequence[str],
    labels: dict[str, str],
) -> None:
    stem = file_stem(period.code, unit)
    columns = st.columns([1] * len(formats) + [max(1, 6 - 2 * len(formats))])
    for column, fmt in zip(columns, formats, strict=False):
        column.download_button(
            labels[fmt],
            data=_writer(src, period, unit, fmt),
            file_name=f"{stem}.{fmt}",
            mime=MIME_TYPES[fmt],
            icon=_ICONS[fmt],
            key=f"{key}_{fmt}",
            on_click="ignore",
            width="stretch",
        )


def brief_buttons(
    src: data.Source,
    period: Period,
    unit: str | None = None,
    *,
    key: str,
    formats: Sequence[str] = FORMATS,
    heading: bool = True,
) -> bool:
    """The brief of ``period`` (and ``unit``) as one download button per format (keys ``{key}_docx``,
    ``{key}_pdf``, ``{key}_xlsx``), under a small heading; the Vietnamese message instead when the
    period has no figures. Whether the buttons were shown."""
    if heading:
        st.markdown(f"**{T.BRIEF_HEADING}**")
    refused = brief_refusal(src, period, unit)
    if refused is not None:
        st.info(refused, icon=":material/info:")
        return False
    st.caption(T.BRIEF_CAPTION.format(period=period.describe()))
    _buttons(src, period, unit, key=key, formats=formats, labels=_LABELS)
    return True


def due_button(src: data.Source, due: Due, *, key: str = "due_brief") -> bool:
    """Beside the deadline line: the Word brief of the report due (its period, the whole department), or
    the Vietnamese message when that period has no figures yet. Whether the button was shown."""
    period = brief_period(src, due.period)
    refused = brief_refusal(src, period, None)
    if refused is not None:
        st.caption(refused)
        return False
    labels = {"docx": T.DUE_DOCX.format(title=due.title)}
    _buttons(src, period, None, key=key, formats=("docx",), labels=labels)
    return True
