"""Thủ tục hành chính's pieces: the procedure list of one procedure KPI (``procedures.md``), a procedure's
trend, the catalog (danh mục TTHC) in force with its versions and changes, the codes not in the catalog,
and the list's Excel.

The frames shown are built by pure functions (:func:`list_frame`, :func:`catalog_frame`,
:func:`versions_frame`, :func:`changes_frame`, :func:`not_counted_sentence`, :func:`list_document`),
tested without a page; the answers of the database and of :mod:`kpi.procedures` are cached on the
database URL, its data version and the catalog's latest version id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import sqlalchemy as sa
import streamlit as st

from data_access.columns import CATALOG_FLAGS, COUNT_COLUMNS, HEADERS
from data_access.document import Block, Document, ExportColumn, Paragraph, Table
from data_access.procedure_catalog import (
    catalog_changes,
    catalog_in_force,
    catalog_versions,
    latest_version_id,
)
from data_access.procedure_figures import SqlProcedureFigures, catalog_lookup, codes_not_in_catalog
from data_access.store import open_engine
from data_access.texts.procedure_catalog import CATALOG_HEADERS
from kpi import procedures as kp
from kpi import texts as KT
from kpi.periods import Period, parse_period
from kpi.targets import Plan, ProcedureKpiSpec
from ui import data
from ui.figure_style import SCENARIO_COLOR, layout
from ui.figures_trends import MONTH_FORMAT, month_start
from ui.kpi_cache import CachedFigures, plan_key, procedure_kpi_table, procedure_list
from ui.md import md_escape
from ui.state import Filters
from ui.table_view import (
    CELL_PADDING,
    FRAME_MARGIN,
    HEADER_EXTRA,
    LAPTOP_WIDTH,
    MIN_FIT_WIDTH,
    TableColumn,
    show_table,
    text_px,
)
from ui.texts import procedures as T
from vnfmt import fmt_datetime, fmt_int, fmt_month_in, fmt_month_padded, fmt_pct, is_missing

#: Plotly's toolbar is hidden on the page's chart.
CHART_CONFIG = {"displayModeBar": False}
#: How many procedures the top sentence names before "và N TTHC khác".
NAMED = 5
ALL = "__all__"
#: Session key: the KPI whose list the procedure of the trend was picked from.
_PICKED_FOR = "_proc_pick_kpi"

FLAG_HEADERS = {
    "full_online_eligible": T.COL_FLAG_ELIGIBLE,
    "on_national_portal": T.COL_FLAG_PORTAL,
    "has_fee": T.COL_FLAG_FEE,
    "postal_allowed": T.COL_FLAG_POSTAL,
}


# ---------------------------------------------------------------------------- words


def flag_text(value: object) -> str:
    """A yes/no attribute of the catalog: ``Có`` / ``Không`` / ``Chưa rõ`` (empty = unknown, never no)."""
    if is_missing(value):
        return T.FLAG_UNKNOWN
    return T.FLAG_YES if bool(value) else T.FLAG_NO


def counted_text(value: object) -> str:
    """Whether a procedure is counted: ``Có`` / ``Không`` / ``Chưa có số liệu``."""
    if is_missing(value):
        return T.COUNTED_UNKNOWN
    return T.COUNTED_YES if bool(value) else T.COUNTED_NO


def reason_text(code: object) -> str:
    """The Vietnamese of a reason code of :func:`kpi.procedures.procedure_list`."""
    if is_missing(code):
        return ""
    return str(KT.PROCEDURE_REASONS.get(str(code), code))


def column_header(code: str) -> str:
    """A figure column's Vietnamese name."""
    return HEADERS.get(code, code)


# ---------------------------------------------------------------------------- the catalog's frames


def catalog_frame(
    catalog: pd.DataFrame, effective: str | None, short: Callable[[str], str] = str
) -> pd.DataFrame:
    """The catalog as the page shows it: flags in words (:func:`flag_text`), the effective month
    ``01/2024``, the unit's ``short`` name beside its name."""
    out = catalog[["procedure_code", "procedure_name", "unit", "field", "online_level"]].astype(object).copy()
    out["unit_short"] = [short(str(u)) for u in out["unit"]]
    for flag in CATALOG_FLAGS:
        out[flag] = [flag_text(v) for v in catalog[flag].tolist()]
    out["effective"] = fmt_month_padded(effective)
    return out


#: The room a table has on a laptop's page (1400 px, sidebar open): its columns are sized to it.
ROOM = LAPTOP_WIDTH - FRAME_MARGIN


def header_px(header: str) -> int:
    """The width a column needs for ``header`` whole (its sort mark included)."""
    return int(text_px(header) + HEADER_EXTRA + CELL_PADDING) + 1


def _share(fixed: Sequence[TableColumn], fits: dict[str, float]) -> dict[str, int]:
    """The widths of the ``fit`` columns (key → weight): the room the ``fixed`` ones leave, by weight."""
    left = ROOM - sum(c.width or 0 for c in fixed)
    total = sum(fits.values())
    return {k: max(int(left * w / total), MIN_FIT_WIDTH) for k, w in fits.items()}


def catalog_columns() -> list[TableColumn]:
    """The catalog's columns: within a laptop's page (the unit is the sidebar's filter, the effective
    month said above the table); on a phone the code, the name and the level."""
    fixed = [
        TableColumn("procedure_code", T.COL_CODE, width=header_px(T.COL_CODE), phone_width=66),
        TableColumn("online_level", T.COL_LEVEL, width=header_px(T.COL_LEVEL), phone_width=100),
        *(
            TableColumn(
                f, T.FLAG_SHORT[f], width=header_px(T.FLAG_SHORT[f]), help=FLAG_HEADERS[f], essential=False
            )
            for f in CATALOG_FLAGS
        ),
    ]
    width = _share(fixed, {"procedure_name": 0.62, "field": 0.38})
    return [
        fixed[0],
        TableColumn("procedure_name", T.COL_NAME, width=width["procedure_name"], phone_width=180, fit=True),
        TableColumn("field", T.COL_FIELD, width=width["field"], essential=False, fit=True),
        *fixed[1:],
    ]


def versions_frame(versions: pd.DataFrame) -> pd.DataFrame:
    """The catalog uploads (newest first) as the page shows them."""
    return pd.DataFrame(
        {
            "id": [f"#{int(v)}" for v in versions["id"]],
            "effective": [fmt_month_padded(v) for v in versions["effective"]],
            "created_at": [fmt_datetime(v) if v is not None else "" for v in versions["created_at"]],
            "user_name": versions["user_name"].astype(object).tolist(),
            "file_name": versions["file_name"].astype(object).tolist(),
            "row_count": versions["row_count"].astype("int64").tolist(),
        },
        index=versions.index,
    )


VERSION_COLUMNS = [
    TableColumn("id", T.COL_VERSION, width=95),
    TableColumn("effective", T.COL_EFFECTIVE, width=90),
    TableColumn("created_at", T.COL_CREATED, width=130, essential=False),
    TableColumn("user_name", T.COL_USER, width=120, essential=False),
    TableColumn("file_name", T.COL_FILE, width=200, fit=True, essential=False),
    TableColumn("row_count", T.COL_ROWS, "int", 80),
]


def version_label(row: pd.Series) -> str:
    return T.VERSION_LABEL.format(
        id=int(row["id"]), effective=fmt_month_padded(row["effective"]), n=fmt_int(row["row_count"])
    )


def changes_frame(changes: pd.DataFrame) -> pd.DataFrame:
    """What changed between two versions: the change in words and the changed columns by their headers."""
    return pd.DataFrame(
        {
            "procedure_code": changes["procedure_code"].astype(object).tolist(),
            "procedure_name": changes["procedure_name"].astype(object).tolist(),
            "change": [T.CHANGE_LABELS.get(str(c), str(c)) for c in changes["change"]],
            "columns": [", ".join(CATALOG_HEADERS.get(c, c) for c in cols) for cols in changes["columns"]],
        },
        index=changes.index,
    )


CHANGE_COLUMNS = [
    TableColumn("procedure_code", T.COL_CODE, width=85),
    TableColumn("procedure_name", T.COL_NAME, width=300, fit=True),
    TableColumn("change", T.COL_CHANGE, width=130),
    TableColumn("columns", T.COL_CHANGED_COLUMNS, width=240, essential=False),
]


def changes_summary(changes: pd.DataFrame) -> str:
    counts = changes["change"].value_counts()
    return T.CHANGES_SUMMARY.format(
        added=fmt_int(int(counts.get("added", 0))),
        removed=fmt_int(int(counts.get("removed", 0))),
        changed=fmt_int(int(counts.get("changed", 0))),
    )


def scoped(frame: pd.DataFrame, unit: str | None, field: str | None) -> pd.DataFrame:
    """The rows of ``frame`` of ``unit`` and ``field`` (``None``: all)."""
    keep = pd.Series(True, index=frame.index)
    if unit is not None:
        keep &= frame["unit"] == unit
    if field is not None:
        keep &= frame["field"] == field
    return frame[keep]


# ---------------------------------------------------------------------------- the list's frames


def figure_columns(frame: pd.DataFrame) -> list[str]:
    """The figure columns of a :func:`kpi.procedures.procedure_list` frame (after its fixed ones)."""
    return [c for c in frame.columns if c in COUNT_COLUMNS and c not in kp.LIST_COLUMNS]


def not_counted(frame: pd.DataFrame) -> pd.DataFrame:
    """The procedures of a list in the KPI's denominator and not counted (the ones to work on)."""
    in_den = frame["in_denominator"].eq(True).to_numpy(dtype=bool, na_value=False)
    no = frame["counted"].eq(False).to_numpy(dtype=bool, na_value=False)
    return frame[in_den & no]


def list_frame(frame: pd.DataFrame, short: Callable[[str], str] = str) -> pd.DataFrame:
    """The procedure list as shown: code and name in one cell, ``counted`` and ``reason`` in words, the
    unit's ``short`` name, the figures as they are."""
    return frame.assign(
        procedure=[
            T.PROCEDURE_CELL.format(code=c, name=n)
            for c, n in zip(frame["procedure_code"].tolist(), frame["procedure_name"].tolist(), strict=True)
        ],
        unit_short=[short(str(u)) for u in frame["unit"].tolist()],
        counted_text=[counted_text(v) for v in frame["counted"].tolist()],
        reason_text=[reason_text(v) for v in frame["reason"].tolist()],
    )


def list_columns(figures: Sequence[str], *, unit: bool = True, field: bool = True) -> list[TableColumn]:
    """The list's columns, within a laptop's page: the unit (its short name) and the field only when not
    chosen above the table, the figures under short headers; on a phone the procedure, whether counted
    and why."""
    counted = TableColumn("counted_text", T.COL_COUNTED, width=header_px(T.COUNTED_UNKNOWN), phone_width=70)
    numbers = [
        TableColumn(
            c,
            T.FIGURE_SHORT.get(c, column_header(c)),
            "int",
            header_px(T.FIGURE_SHORT.get(c, column_header(c))),
            help=column_header(c),
            essential=False,
        )
        for c in figures
    ]
    weights = {
        "procedure": 0.34,
        **({"unit_short": 0.14} if unit else {}),
        **({"field": 0.16} if field else {}),
    }
    width = _share([counted, *numbers], {**weights, "reason_text": 0.36})
    if unit and sum(width.values()) + (counted.width or 0) + sum(c.width or 0 for c in numbers) > ROOM:
        return list_columns(figures, unit=False, field=field)  # too many figures: the field says enough
    return [
        TableColumn("procedure", T.COL_PROCEDURE, width=width["procedure"], phone_width=150, fit=True),
        *(
            [TableColumn("unit_short", T.COL_UNIT, width=width["unit_short"], essential=False, fit=True)]
            if unit
            else []
        ),
        *(
            [TableColumn("field", T.COL_FIELD, width=width["field"], essential=False, fit=True)]
            if field
            else []
        ),
        counted,
        TableColumn("reason_text", T.COL_REASON, width=width["reason_text"], phone_width=126, fit=True),
        *numbers,
    ]


def not_counted_sentence(frame: pd.DataFrame, limit: int = NAMED) -> str:
    """``Còn 7 TTHC chưa có hồ sơ trực tuyến: A, B, …`` — the procedures not counted (in the list's order),
    by the reason most of them share; every one counted: says so; nothing in scope: ``""``."""
    in_den = frame[frame["in_denominator"].eq(True).to_numpy(dtype=bool, na_value=False)]
    if in_den.empty:
        return ""
    left = not_counted(in_den)
    if left.empty:
        return T.ALL_COUNTED.format(n=fmt_int(len(in_den)))
    reasons = left["reason"].dropna().astype(str)
    what = (
        _lower_first(reason_text(reasons.value_counts().index[0]))
        if reasons.nunique() == 1
        else T.NOT_COUNTED_DEFAULT
    )
    names = [str(n) for n in left["procedure_name"].head(limit)]
    text = ", ".join(names)
    if len(left) > limit:
        text = T.NOT_COUNTED_MORE.format(names=text, n=fmt_int(len(left) - limit))
    return T.NOT_COUNTED.format(n=fmt_int(len(left)), what=what, names=text)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


LIST_EXPORT_BASE = (
    ExportColumn("procedure_code", T.COL_CODE, "text", 11),
    ExportColumn("procedure_name", T.COL_NAME, "text", 50),
    ExportColumn("unit", T.COL_UNIT, "text", 32),
    ExportColumn("field", T.COL_FIELD, "text", 30),
    ExportColumn("online_level", T.COL_LEVEL, "text", 13),
    ExportColumn("counted_text", T.COL_COUNTED, "text", 14),
    ExportColumn("reason_text", T.COL_REASON, "text", 40),
)
NOT_IN_CATALOG_EXPORT = (
    ExportColumn("period", T.COL_PERIOD, "text", 10),
    ExportColumn("unit", T.COL_UNIT, "text", 32),
    ExportColumn("field", T.COL_FIELD, "text", 30),
    ExportColumn("procedure_code", T.COL_CODE, "text", 11),
    ExportColumn("procedure_name", T.COL_NAME, "text", 50),
)


def list_document(
    frame: pd.DataFrame,
    not_in_catalog: pd.DataFrame,
    *,
    spec: ProcedureKpiSpec,
    subtitle: Sequence[str],
    field: str | None = None,
) -> Document:
    """The list as a document (``Tải Excel``): one table with every column the page shows, and the codes
    not in the catalog when there are any."""
    shown = list_frame(frame)
    figures = figure_columns(frame)
    columns = (*LIST_EXPORT_BASE, *(ExportColumn(c, column_header(c), "int", 16) for c in figures))
    counted = shown["counted"]
    summary = T.DOC_SUMMARY.format(
        total=fmt_int(len(shown)),
        counted=fmt_int(int(counted.eq(True).sum())),
        not_counted=fmt_int(int(counted.eq(False).sum())),
        unknown=fmt_int(int(counted.isna().sum())),
    )
    lines = [*subtitle, *([T.DOC_FIELD.format(field=field)] if field else [])]
    blocks: list[Block] = [Paragraph(summary)]
    if sentence := not_counted_sentence(frame):
        blocks.append(Paragraph(sentence))
    blocks.append(Table.from_frame(shown, columns, title=spec.label, sheet=T.LIST_SHEET))
    if not not_in_catalog.empty:
        blocks.append(Table.from_frame(not_in_catalog, NOT_IN_CATALOG_EXPORT, title=T.TAB_NOT_IN_CATALOG))
    return Document(T.LIST_DOC.format(label=spec.label), tuple(lines), tuple(blocks))


# ---------------------------------------------------------------------------- a procedure's trend


def procedure_trend(series: pd.DataFrame, columns: Sequence[str], *, year: int) -> go.Figure:
    """One procedure's figures month by month (``series``: period, one column per figure column; NA =
    unknown that month, drawn as a gap) on a date axis spanning ``year``."""
    fig = go.Figure()
    ordered = series.sort_values("period")
    xs = [month_start(str(p)) for p in ordered["period"]]
    colors = (SCENARIO_COLOR, "#00897b", "#6a1b9a", "#ef6c00")
    for i, c in enumerate(columns):
        ys = [None if is_missing(v) else float(v) for v in ordered[c].tolist()]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                name=column_header(c),
                mode="lines+markers",
                line={"color": colors[i % len(colors)], "width": 2},
                connectgaps=False,
                hovertemplate=T.TREND_HOVER.format(column=column_header(c)),
            )
        )
    fig.update_xaxes(
        type="date",
        tickformat=MONTH_FORMAT,
        hoverformat=MONTH_FORMAT,
        gridcolor="#eceff1",
        range=[pd.Timestamp(year - 1, 12, 16), pd.Timestamp(year, 12, 16)],
    )
    fig.update_yaxes(title_text=T.TREND_AXIS, rangemode="tozero", gridcolor="#eceff1", tickformat=",d")
    return layout(fig, height=280, showlegend=True)


# ---------------------------------------------------------------------------- cached answers


@dataclass(frozen=True)
class Keys:
    """What the cached answers depend on: the database, its figures' version and its catalog's."""

    url: str
    version: int
    catalog: int


def keys_for(url: str, version: int, engine: sa.Engine) -> Keys:
    return Keys(url, version, latest_version_id(engine))


@st.cache_data(max_entries=64, show_spinner=False)
def _versions(keys: Keys) -> pd.DataFrame:
    return catalog_versions(open_engine(keys.url))


@st.cache_data(max_entries=64, show_spinner=False)
def _in_force(keys: Keys, month: str) -> pd.DataFrame:
    return catalog_in_force(open_engine(keys.url), month)


@st.cache_data(max_entries=64, show_spinner=False)
def _changes(keys: Keys, old: int | None, new: int) -> pd.DataFrame:
    return catalog_changes(open_engine(keys.url), old, new)


@st.cache_data(max_entries=64, show_spinner=False)
def _not_in_catalog(keys: Keys, start: str, end: str) -> pd.DataFrame:
    return codes_not_in_catalog(open_engine(keys.url), start, end)


def _sources(keys: Keys) -> tuple[SqlProcedureFigures, kp.CatalogLookup]:
    engine = open_engine(keys.url)
    return SqlProcedureFigures(engine), catalog_lookup(engine)


@st.cache_data(max_entries=64, show_spinner=False)
def _year_lists(
    keys: Keys, key: str, _plan: Plan, kpi: str, columns: tuple[str, ...], months: tuple[str, ...]
) -> pd.DataFrame:
    """The KPI's list month by month (``period`` added): the sums asked of the database once for the
    months, each month judged on its own catalog."""
    source, catalog = _sources(keys)
    figures = source.procedure_figures(list(columns), start=months[0], end=months[-1])
    lists = [
        kp.procedure_list(figures, catalog, _plan, kpi=kpi, period=month).assign(period=month)
        for month in months
    ]
    return pd.concat(lists, ignore_index=True)


def catalog_in(keys: Keys, month: str) -> pd.DataFrame:
    """The catalog in force in ``month`` (empty: none)."""
    return _in_force(keys, month)


def not_in_catalog(keys: Keys, start: str, end: str, unit: str | None) -> pd.DataFrame:
    """The figures' procedure codes of ``start``..``end`` missing from the catalog (of ``unit``)."""
    codes = _not_in_catalog(keys, start, end)
    return codes if unit is None else codes[codes["unit"] == unit]


def kpi_result(
    keys: Keys, plan: Plan, period: Period, unit: str | None, field: str | None, kpi: str
) -> pd.Series | None:
    """The KPI's row of :func:`kpi.procedures.procedure_kpi_table` for the unit and field chosen (grouped
    by them when chosen); ``None`` when no procedure of the catalog is in that group."""
    chosen = {"unit": unit, "field": field}
    by = tuple(k for k, v in chosen.items() if v is not None)
    table = procedure_kpi_table(CachedFigures(keys.url, keys.version), plan, period=period, by=by)
    keep = table["kpi"] == kpi
    for k in by:
        keep &= table[k] == chosen[k]
    rows = table[keep]
    return None if rows.empty else rows.iloc[0]


def procedure_rows(
    keys: Keys, plan: Plan, kpi: str, period: Period, unit: str | None, field: str | None
) -> pd.DataFrame:
    """The KPI's list (:func:`kpi.procedures.procedure_list`) for the unit and field chosen."""
    return procedure_list(
        CachedFigures(keys.url, keys.version), plan, kpi=kpi, period=period, unit=unit, field=field
    )


def trend_series(
    lists: pd.DataFrame, code: str, months: Sequence[str], columns: Sequence[str]
) -> pd.DataFrame:
    """One procedure's figures per month of ``months`` (NA: unknown, or not in the KPI's list that month)."""
    one = lists[lists["procedure_code"] == code].drop_duplicates("period").set_index("period")
    out = pd.DataFrame({"period": list(months)})
    for c in columns:
        values = one[c].reindex(list(months)).tolist() if len(one) else [pd.NA] * len(months)
        out[c] = pd.array(values, dtype="Int64")
    return out


def fields_of(catalog: pd.DataFrame, unit: str | None) -> list[str]:
    """The catalog's fields (of ``unit``), sorted."""
    return sorted({str(f) for f in scoped(catalog, unit, None)["field"]})


def no_catalog_text(month: str) -> str:
    return T.NO_CATALOG.format(month=fmt_month_in(month))


# ---------------------------------------------------------------------------- drawing


def pick_kpi(plan: Plan) -> str:
    """The procedure KPI chosen (selectbox ``proc_kpi``)."""
    specs = plan.procedure_kpis
    if st.session_state.get("proc_kpi") not in specs:
        st.session_state.pop("proc_kpi", None)
    chosen: str = st.selectbox(T.KPI, list(specs), format_func=lambda k: specs[k].label, key="proc_kpi")
    return chosen


def pick_field(fields: Sequence[str]) -> str | None:
    """The field chosen on the page (selectbox ``proc_field``; ``None``: all)."""
    options = [ALL, *fields]
    if st.session_state.get("proc_field") not in options:
        st.session_state.pop("proc_field", None)
    chosen = st.selectbox(
        T.FIELD, options, format_func=lambda f: T.ALL_FIELDS if f == ALL else f, key="proc_field"
    )
    return None if chosen == ALL else str(chosen)


def kpi_line(row: pd.Series) -> str:
    """The KPI's result for the scope: value, counts and target (or why it has no value)."""
    target = fmt_pct(row["target"])
    label = md_escape(row["label"])
    if row["status"] == "no_data" or is_missing(row["value"]):
        den = row["denominator"]
        reason = T.KPI_NO_SCOPE if not is_missing(den) and int(den) == 0 else T.KPI_NO_DATA
        return T.KPI_LINE_NO_VALUE.format(label=label, reason=reason, target=target)
    line = T.KPI_LINE.format(
        label=label,
        value=fmt_pct(row["value"]),
        numerator=fmt_int(row["numerator"]),
        denominator=fmt_int(row["denominator"]),
        target=target,
    )
    short = row.get("shortfall")
    if short is not None and not is_missing(short) and int(short) > 0:
        line += T.SHORTFALL.format(n=fmt_int(short))
    return line


def no_scope_line(plan: Plan, kpi: str, month: str, unit: str | None) -> str:
    """The KPI's line when no procedure of the catalog is in the unit and field chosen."""
    spec = plan.procedure_kpis[kpi]
    return T.KPI_LINE_NO_VALUE.format(
        label=md_escape(spec.label), reason=T.KPI_NO_SCOPE, target=fmt_pct(spec.target_for(month, unit))
    )


def list_notes(frame: pd.DataFrame) -> None:
    """The sentence naming the procedures not counted, and how many were left out for want of figures."""
    if sentence := not_counted_sentence(frame):
        if len(not_counted(frame)):
            st.warning(md_escape(sentence), icon=":material/checklist:")
        else:
            st.success(md_escape(sentence), icon=":material/check_circle:")
    unknown = int(frame["counted"].isna().sum())
    if unknown:
        st.caption(T.UNKNOWN_LEFT_OUT.format(n=fmt_int(unknown)))


def show_list(frame: pd.DataFrame, *, unit: str | None, field: str | None) -> None:
    """The list (to-do first, as the engine sorts it); on a phone name, counted and reason only."""
    columns = list_columns(figure_columns(frame), unit=unit is None, field=field is None)
    show_table(list_frame(frame, data.catalog().units.short), columns, key="proc_list")


def trend_section(keys: Keys, plan: Plan, kpi: str, frame: pd.DataFrame, filters: Filters) -> None:
    """A procedure of the list picked, and its figures month by month in the filters' year."""
    st.subheader(T.TREND_HEADING)
    names = dict(zip(frame["procedure_code"].astype(str), frame["procedure_name"].astype(str), strict=True))
    codes = list(names)
    # a new KPI (or a code no longer listed) starts from the top of its list: the first to work on
    if st.session_state.get("proc_pick") not in codes or st.session_state.get(_PICKED_FOR) != kpi:
        st.session_state.pop("proc_pick", None)
    st.session_state[_PICKED_FOR] = kpi
    code: str = st.selectbox(T.TREND_PICK, codes, format_func=lambda c: f"{c} – {names[c]}", key="proc_pick")
    year = filters.year
    months = tuple(m for m in parse_period(str(year)).months if m <= filters.end)
    columns = figure_columns(frame)
    if not columns:
        return
    lists = _year_lists(keys, plan_key(plan), plan, kpi, tuple(columns), months)
    series = trend_series(lists, code, months, columns)
    if series[columns].isna().all().all():
        st.caption(T.TREND_NO_FIGURES.format(year=year))
        return
    st.caption(T.TREND_CAPTION.format(year=year, month=fmt_month_in(filters.end)))
    st.plotly_chart(procedure_trend(series, columns, year=year), key="proc_trend", config=CHART_CONFIG)


def catalog_section(keys: Keys, month: str, unit: str | None, field: str | None, start: str) -> None:
    """The catalog in force in ``month`` (filtered), the versions with what changed, the unknown codes."""
    st.subheader(T.CATALOG_HEADING)
    current, history, unknown = st.tabs([T.TAB_CURRENT, T.TAB_VERSIONS, T.TAB_NOT_IN_CATALOG])
    versions = _versions(keys)
    with current:
        catalog = _in_force(keys, month)
        in_force = versions[versions["effective"] <= month].head(1)
        if catalog.empty or in_force.empty:
            st.info(no_catalog_text(month), icon=":material/info:")
        else:
            v = in_force.iloc[0]
            st.caption(
                T.CATALOG_IN_FORCE.format(
                    month=fmt_month_in(month),
                    id=int(v["id"]),
                    effective=fmt_month_padded(v["effective"]),
                    n=fmt_int(len(catalog)),
                )
            )
            shown = scoped(catalog, unit, field)
            if len(shown) != len(catalog):
                st.caption(T.CATALOG_SHOWN.format(shown=fmt_int(len(shown)), n=fmt_int(len(catalog))))
            show_table(
                catalog_frame(shown, str(v["effective"]), data.catalog().units.short),
                catalog_columns(),
                key="proc_catalog",
            )
    with history:
        versions_part(keys, versions)
    with unknown:
        codes = not_in_catalog(keys, start, month, unit)
        if codes.empty:
            st.caption(T.NOT_IN_CATALOG_NONE)
        else:
            st.warning(T.NOT_IN_CATALOG.format(n=fmt_int(codes["procedure_code"].nunique())))
            show_table(codes, NOT_IN_CATALOG_COLUMNS, key="proc_unknown_codes")


NOT_IN_CATALOG_COLUMNS = [
    TableColumn("period", T.COL_PERIOD, width=80, essential=False),
    TableColumn("unit", T.COL_UNIT, width=190, essential=False),
    TableColumn("field", T.COL_FIELD, width=180, essential=False),
    TableColumn("procedure_code", T.COL_CODE, width=85),
    TableColumn("procedure_name", T.COL_NAME, width=280, fit=True),
]


def versions_part(keys: Keys, versions: pd.DataFrame) -> None:
    """Every catalog upload, and what changed between two of them (by default the last two)."""
    if versions.empty:
        st.caption(T.NO_CATALOG_VERSIONS)
        return
    show_table(versions_frame(versions), VERSION_COLUMNS, key="proc_versions")
    ids = [int(v) for v in versions["id"]]  # newest first
    labels = {int(r["id"]): version_label(r) for _, r in versions.iterrows()}
    left, right = st.columns(2)
    new: int = right.selectbox(T.CHANGES_TO, ids, format_func=labels.__getitem__, key="proc_new")
    older: list[int | None] = [*(i for i in ids if i < new), None]
    if st.session_state.get("proc_old", 0) not in older:
        st.session_state.pop("proc_old", None)
    old: int | None = left.selectbox(
        T.CHANGES_FROM,
        older,
        format_func=lambda i: T.CHANGES_NOTHING_BEFORE if i is None else labels[i],
        key="proc_old",
    )
    changes = _changes(keys, old, new)
    if changes.empty:
        st.caption(T.CHANGES_NONE)
        return
    st.caption(changes_summary(changes))
    show_table(changes_frame(changes), CHANGE_COLUMNS, key="proc_changes")
