"""Widgets shared by the pages: notices, the plan (or its error), the upload source line, KPI cards."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from kpi.targets import Plan, TargetsError
from ui import data
from ui.auth import ACTOR_KEY
from ui.figures import sparkline_svg
from ui.fmt import (
    STATUS_COLORS,
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


def page_registered(page: str) -> bool:
    """Whether ``page`` (a path such as ``pages/upload.py``) is a page of this run's navigation."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return False
    wanted = (Path(ctx.main_script_path).resolve().parent / page).resolve()
    return any(Path(str(p.get("script_path", ""))).resolve() == wanted
               for p in ctx.pages_manager.get_pages().values())


def page_link(page: str, label: str, icon: str) -> bool:
    """``st.page_link`` to ``page`` when this session's navigation has it (else nothing); whether drawn."""
    if not page_registered(page):
        return False
    st.page_link(page, label=label, icon=icon)
    return True


def no_data_notice() -> None:
    """Say there is nothing to show (instead of empty charts): who may upload is pointed to the upload
    page, a director is told that the office imports the figures."""
    actor = st.session_state.get(ACTOR_KEY)
    if actor is None or not actor.can("upload"):
        st.info("Chưa có số liệu nào trong cơ sở dữ liệu: số liệu hằng tháng chưa được nhập. Văn phòng Sở "
                "nhập số liệu; các trang sẽ hiển thị ngay khi có số liệu.", icon=":material/inbox:")
        return
    st.info("Chưa có số liệu nào trong cơ sở dữ liệu. Hãy nhập tệp Excel số liệu hằng tháng.",
            icon=":material/inbox:")
    if not page_link(UPLOAD_PAGE, "Đến trang Nhập số liệu", ":material/upload_file:"):
        st.caption("Mở trang “Nhập số liệu” (mục Văn phòng Sở) để nhập.")


def plan_or_stop(*, scenario: bool = True) -> Plan:
    """The targets plan (with the session's scenario when switched on); on a broken file, say so and stop."""
    try:
        plan = data.official_plan()
    except TargetsError as exc:
        st.error(f"Tệp chỉ tiêu có lỗi, chưa thể tính chỉ tiêu: {exc}", icon=":material/error:")
        stop_page()
    filters = current_filters()
    if filters is not None and (note := plan_year_note(plan, filters.year)):
        st.caption(f":material/event_note: {note}")
    if scenario and scenario_applied():
        st.warning("Đang xem theo **chỉ tiêu giả định** (trang Giả định chỉ tiêu), không phải chỉ tiêu "
                   "chính thức trong kế hoạch. Tắt “Áp dụng cho toàn bộ trang” để trở lại.",
                   icon=":material/science:")
        return effective_plan(plan)
    return plan


def plan_year_note(plan: Plan, year: int) -> str | None:
    """Which plan a year other than the plan's own is judged against (``None`` for the plan's year)."""
    if year == plan.year:
        return None
    name = plan.name if str(plan.year) in plan.name else f"{plan.name} năm {plan.year}"
    return f"So với chỉ tiêu của {name} (chưa có kế hoạch riêng cho năm {year})."


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
        flat = delta == fmt_points(0.0)  # no change at the precision shown: gray, no arrow
        help_text = f"{row.get('description') or ''}\n\nNguồn chỉ tiêu: {row.get('source') or ''}".strip()
        st.metric(
            row["label"], value, delta=delta, delta_color="off" if flat else "normal",
            delta_arrow="off" if flat else "auto", help=help_text or None,
            delta_description="so với tháng trước" if delta else None,
        )
        # one markdown element for the sparkline, the badge and the lines below it: each element costs
        # the browser's first paint, and 8 cards × 3 elements were ~45 ms of it (benchmarks/bench_pages.py).
        # The sparkline is drawn here (not as st.metric's chart, whose colour is the change's) so that
        # it takes the KPI's status colour.
        status = row["status"]
        svg = sparkline_svg(spark or [], STATUS_COLORS.get(status, STATUS_COLORS["no_data"]))
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
        body = "  \n".join(lines)
        st.markdown(f"{svg}\n\n{body}" if svg else body, unsafe_allow_html=bool(svg))


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
