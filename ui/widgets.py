"""Widgets shared by the pages: notices, the plan (or its error), the upload source line, KPI cards."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from kpi.targets import Plan, TargetsError
from ui import data
from ui.fmt import (
    STATUS_ICONS,
    STATUS_LABELS,
    STATUS_ST_COLORS,
    fmt_datetime,
    fmt_int,
    fmt_month,
    fmt_pct,
    fmt_points,
)
from ui.scenario import effective_plan, scenario_applied
from ui.state import Filters, current_filters, stop_page

UPLOAD_PAGE = "pages/upload.py"
#: How the source line names where figures came from (upload kinds of data_access.store).
SOURCE_KINDS = {"import": "lần nhập", "restore": "khôi phục", "external": "đồng bộ"}


def source() -> data.Source:
    """The data source the entry file opened for this run."""
    return st.session_state["_source"]


def no_data_notice() -> None:
    """Say there is nothing to show and point to the upload page (instead of empty charts)."""
    st.info("Chưa có số liệu nào trong cơ sở dữ liệu. Hãy nhập tệp Excel số liệu hằng tháng.",
            icon=":material/inbox:")
    st.page_link(UPLOAD_PAGE, label="Đến trang Nhập số liệu", icon=":material/upload_file:")


def plan_or_stop(*, scenario: bool = True) -> Plan:
    """The targets plan (with the session's scenario when switched on); on a broken file, say so and stop."""
    try:
        plan = data.official_plan()
    except TargetsError as exc:
        st.error(f"Tệp chỉ tiêu có lỗi, chưa thể tính chỉ tiêu: {exc}", icon=":material/error:")
        stop_page()
    if scenario and scenario_applied():
        st.warning("Đang xem theo **chỉ tiêu giả định** (trang Giả định chỉ tiêu), không phải chỉ tiêu "
                   "chính thức trong kế hoạch. Tắt “Áp dụng cho toàn bộ trang” để trở lại.",
                   icon=":material/science:")
        return effective_plan(plan)
    return plan


def source_line(uploads: pd.DataFrame) -> None:
    """One line naming the uploads the figures on the page come from."""
    if uploads.empty:
        return
    parts = []
    for r in uploads.head(3).itertuples():
        kind = SOURCE_KINDS.get(r.kind, "lần nhập")
        parts.append(f"{kind} #{r.id} – {r.file_name} – {fmt_datetime(r.created_at)}")
    more = f" và {len(uploads) - 3} lần nhập khác" if len(uploads) > 3 else ""
    st.caption(f":material/description: Nguồn số liệu: {'; '.join(parts)}{more}")


def _nan(x: object) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def status_badge_md(status: str) -> str:
    """A status as a markdown badge (``:red-badge[…]``), coloured as on every page."""
    color = STATUS_ST_COLORS.get(status, "gray")
    return f":{color}-badge[{STATUS_ICONS.get(status, '')} {STATUS_LABELS.get(status, status)}]"


def kpi_card(row: pd.Series, spark: list[float] | None, *, key: str) -> None:
    """One KPI: value, change from last month, status, target, gap, shortfall and a small trend."""
    with st.container(border=True, key=key):
        value = fmt_pct(row["value"]) if row["status"] != "no_data" else "–"
        change = row.get("change")
        delta = None if _nan(change) else fmt_points(change)
        help_text = f"{row.get('description') or ''}\n\nNguồn chỉ tiêu: {row.get('source') or ''}".strip()
        st.metric(
            row["label"], value, delta=delta, delta_color="normal", help=help_text or None,
            delta_description="so với tháng trước" if delta else None,
            chart_data=spark if spark and len(spark) > 1 else None, chart_type="line",
        )
        # one markdown element for the badge and the lines below it: each element costs the browser's
        # first paint, and 8 cards × 3 elements were ~45 ms of it (benchmarks/bench_pages.py)
        status = row["status"]
        lines = [status_badge_md(status)]
        if status == "no_data":
            reason = ("không phát sinh hồ sơ" if not _nan(row["denominator"]) and row["denominator"] == 0
                      else "chưa có số liệu")
            lines.append(f":gray[Chỉ tiêu {fmt_pct(row['target'])} · {reason}]")
        else:
            lines.append(f":gray[Chỉ tiêu {fmt_pct(row['target'])} · Chênh lệch {fmt_points(row['gap'])}]")
            short = row["shortfall"]
            if not _nan(short) and short > 0:
                lines.append(f"Còn thiếu **{fmt_int(short)}** hồ sơ "
                             f"({fmt_int(row['numerator'])}/{fmt_int(row['denominator'])})")
            else:
                lines.append(f"Đạt: {fmt_int(row['numerator'])}/{fmt_int(row['denominator'])} hồ sơ")
        if not _nan(row.get("rows_missing")) and row["rows_missing"] > 0:
            lines.append(f":gray[:material/info: {fmt_int(row['rows_missing'])} dòng chưa có số liệu, không tính]")
        st.markdown("  \n".join(lines))


def month_label(period: str) -> str:
    return fmt_month(period)


@dataclass(frozen=True)
class PageContext:
    """What every directors' page starts from: the filters, the plan in force, the data source."""

    filters: Filters
    plan: Plan
    src: data.Source
    figures: data.CachedFigures


def page_start(title: str, *, scenario: bool = True) -> PageContext:
    """Title, then stop with a pointer to the upload page when there is no data; else the context."""
    st.title(title)
    filters = current_filters()
    if filters is None:
        no_data_notice()
        stop_page()
    plan = plan_or_stop(scenario=scenario)
    src = source()
    return PageContext(filters, plan, src, data.figure_source(src))  # type: ignore[arg-type]
