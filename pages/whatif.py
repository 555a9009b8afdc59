"""Giả định chỉ tiêu: type other targets, see at once what they change (status, gap, shortfall,
rank) for the department and per unit, optionally apply them to every page, download them.

A full run (page opened, sidebar filter changed) reads the cached figures and sums them
(``kpi.whatif.aggregate_scope``); the inputs and results are one fragment, so a target change
reruns only the fragment, which judges those sums again under the scenario: nothing is read from
the database or the targets file.
"""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from kpi.targets import Plan
from kpi.whatif import aggregate_scope, compare, judge, kpi_changes
from ui import data
from ui import whatif_view as wv
from ui.figures import shortfall_compare
from ui.fmt import fmt_pct, fmt_points
from ui.scenario import scenario_applied, scenario_plan
from ui.state import Filters, current_filters, stop_page
from ui.widgets import no_data_notice, plan_or_stop, source

st.title("Giả định chỉ tiêu")
if msg := st.session_state.pop("whatif_saved_message", None):
    st.success(msg, icon=":material/task_alt:")
if msg := st.session_state.pop("whatif_save_error", None):
    st.error(msg, icon=":material/error:")
filters = current_filters()
if filters is None:
    no_data_notice()
    stop_page()
plan = plan_or_stop(scenario=False)
src = source()
figures = data.figure_source(src)
_, base_text = data.targets_text()
catalog = data.catalog()
data_units = data.loaded_summary(src)["units"]
unit_choices = list(dict.fromkeys([*catalog.units.names, *data_units]))
short_names = {u: catalog.units.short(u) for u in unit_choices}

st.caption(
    f"{filters.describe()} · {plan.name} · So sánh chỉ tiêu theo kế hoạch ({wv.BASE_TAG}) với chỉ tiêu "
    f"giả định ({wv.SCEN_TAG}). Kết quả cập nhật ngay khi nhập số."
)

# The sums and the plan's judgement change with the filters only: done here, once per full run.
scope = figures if filters.unit is None else figures.where(units=[filters.unit])
head_by = () if filters.unit is None else ("unit",)
agg_head = aggregate_scope(scope, plan, period=filters.period, ytd=filters.ytd, by=head_by)
agg_unit = aggregate_scope(figures, plan, period=filters.period, ytd=filters.ytd, by=("unit",))
base_head = judge(agg_head, plan, period=filters.period, by=head_by)
base_unit = judge(agg_unit, plan, period=filters.period, by=("unit",))


def _inputs(plan: Plan, changed: set[str]) -> None:
    """One number input (percent, the source of truth) and a slider kept in step, per KPI."""
    specs = list(plan.kpis.values())
    for start in range(0, len(specs), 2):
        cols = st.columns(2)
        for col, spec in zip(cols, specs[start:start + 2], strict=False):
            args = (spec.id, spec.target)
            with col, st.container(border=True, key=f"box_{spec.id}"):
                head, badge = st.columns([5, 1], vertical_alignment="center")
                head.markdown(f"**{spec.label}**")
                if spec.id in changed:
                    badge.badge("Đã đổi", icon=":material/edit:", color="blue")
                left, right = st.columns([2, 3], vertical_alignment="center")
                left.number_input(
                    f"Chỉ tiêu giả định – {spec.label} (%)", min_value=0.0, max_value=100.0, step=0.5,
                    format="%.1f", key=wv.target_key(spec.id), on_change=wv.on_number, args=args,
                    label_visibility="collapsed",
                )
                right.slider(
                    f"Kéo để đổi chỉ tiêu – {spec.label}", min_value=0.0, max_value=100.0, step=0.5,
                    format="%.1f %%", key=wv.slider_key(spec.id), on_change=wv.on_slider, args=args,
                    label_visibility="collapsed",
                )
                road = (" · có lộ trình theo tháng; chỉ tiêu giả định dùng một mức cho mọi tháng"
                        if spec.roadmap else "")
                st.caption(f"Chỉ tiêu kế hoạch: {fmt_pct(spec.target)}{road}")


def _unit_overrides(plan: Plan, unit_choices: list[str], short_names: dict[str, str]) -> None:
    ss = st.session_state
    units: dict[tuple[str, str], float] = ss.get(wv.UNITS_KEY, {})
    labels = {k: s.label for k, s in plan.kpis.items()}
    with st.expander("Chỉ tiêu riêng cho đơn vị (không bắt buộc)", icon=":material/apartment:",
                     expanded=bool(units)):
        st.caption("Một chỉ tiêu riêng thay chỉ tiêu chung cho đơn vị đó khi xem theo đơn vị "
                   "(như mục [kpi.<mã>.units] của tệp chỉ tiêu).")
        if ss.get(wv.UNIT_NAME) not in unit_choices:
            ss[wv.UNIT_NAME] = unit_choices[0] if unit_choices else None
        if wv.UNIT_PCT not in ss:
            wv.on_unit_pick(plan)
        c1, c2, c3, c4 = st.columns([3, 3, 1.4, 1.2], vertical_alignment="bottom")
        c1.selectbox("Chỉ tiêu", list(plan.kpis), format_func=labels.get, key=wv.UNIT_KPI,
                     on_change=wv.on_unit_pick, args=(plan,))
        c2.selectbox("Đơn vị", unit_choices, key=wv.UNIT_NAME, format_func=lambda u: short_names.get(u, u),
                     on_change=wv.on_unit_pick, args=(plan,))
        c3.number_input("Chỉ tiêu (%)", min_value=0.0, max_value=100.0, step=0.5, format="%.1f",
                        key=wv.UNIT_PCT)
        c4.button("Thêm", icon=":material/add:", key="whatif_u_add", on_click=wv.add_unit_override,
                  width="stretch")
        for i, ((kid, unit), value) in enumerate(sorted(units.items(), key=lambda kv: (
                list(plan.kpis).index(kv[0][0]) if kv[0][0] in plan.kpis else 99, kv[0][1]))):
            if kid not in plan.kpis:
                continue
            a, b = st.columns([8, 1], vertical_alignment="center")
            plan_unit = plan.kpis[kid].units.get(unit)
            was = f"kế hoạch riêng {fmt_pct(plan_unit)}" if plan_unit is not None else "chưa có chỉ tiêu riêng"
            a.markdown(f"{labels[kid]} · **{short_names.get(unit, unit)}**: {fmt_pct(value)} ({was})")
            b.button("Bỏ", icon=":material/close:", key=f"whatif_u_del_{i}", type="tertiary",
                     on_click=wv.remove_unit_override, args=(kid, unit), help="Bỏ chỉ tiêu riêng này")


def _toolbar(plan: Plan, scenario: Plan, base_text: str, has_overrides: bool) -> None:
    c1, c2, c3 = st.columns([1.2, 1.6, 1.6], vertical_alignment="center")
    c1.button("Đặt lại theo kế hoạch", icon=":material/restart_alt:", key="whatif_reset",
              on_click=wv.reset, args=(plan,), disabled=not has_overrides)
    c2.toggle("Áp dụng cho toàn bộ trang", key=wv.APPLY_WIDGET, on_change=wv.on_apply,
              help="Các trang Tổng quan, Khoảng cách, Xu hướng dùng chỉ tiêu giả định (có dải cảnh báo) "
                   "cho đến khi tắt.")
    c3.download_button(
        # built when clicked (deferred), not on every rerun
        "Tải tệp chỉ tiêu giả định",
        data=functools.partial(wv.scenario_toml, scenario, base_text, data.catalog().units.match),
        file_name=wv.DOWNLOAD_NAME, mime="application/toml", key="whatif_download",
        icon=":material/download:", on_click="ignore",
    )
    if scenario_applied():
        st.caption(":material/visibility: Các trang khác đang dùng chỉ tiêu giả định.")
    elif st.session_state.get(wv.APPLY_WIDGET):
        st.caption(":material/info: Chưa có chỉ tiêu nào khác kế hoạch: các trang khác vẫn dùng kế hoạch.")
    actor = st.session_state.get("_actor")
    if actor is not None and actor.can("save_targets") and actor.via != "demo":
        _save_box(plan, scenario, base_text, has_overrides)
    else:
        st.caption(":material/lock: Chỉ có thể tải tệp chỉ tiêu giả định về máy. Trang này không tự ghi vào "
                   "tệp chỉ tiêu chính thức (targets.toml); chỉ tài khoản quản trị mới lưu được chỉ tiêu "
                   "chính thức.")


def _save_box(plan: Plan, scenario: Plan, base_text: str, has_overrides: bool) -> None:
    """``quan_tri`` only: save the scenario as the official targets, after a confirmation."""
    if not st.session_state.get("whatif_save_pending"):
        st.button("Lưu làm chỉ tiêu chính thức…", icon=":material/save:", key="whatif_save",
                  disabled=not has_overrides, on_click=lambda: st.session_state.update(whatif_save_pending=True))
        st.caption(":material/lock: Chỉ lưu khi bấm nút và xác nhận; bản cũ được giữ lại và ghi nhật ký.")
        return
    changed = {k: (plan.kpis[k].target, scenario.kpis[k].target) for k in plan.kpis
               if plan.kpis[k].target != scenario.kpis[k].target or plan.kpis[k].units != scenario.kpis[k].units}
    lines = "; ".join(f"{plan.kpis[k].label}: {fmt_pct(a)} → {fmt_pct(b)}" for k, (a, b) in changed.items())
    st.warning(f"Lưu chỉ tiêu giả định thành chỉ tiêu chính thức? {lines}", icon=":material/warning:")
    ok, cancel = st.columns(2)
    if ok.button("Xác nhận lưu", type="primary", key="whatif_save_confirm", icon=":material/check:",
                 on_click=wv.on_save_official, args=(plan, scenario)):
        st.rerun(scope="app")  # the official plan changed: every part of the page follows
    cancel.button("Hủy", key="whatif_save_cancel",
                  on_click=lambda: st.session_state.update(whatif_save_pending=False))


@st.fragment
def scenario_fragment(plan: Plan, filters: Filters, sums: dict[str, pd.DataFrame], base_text: str,
                      unit_choices: list[str], short_names: dict[str, str]) -> None:
    """Inputs and results: a target change reruns only this (it reads nothing from the database)."""
    ss = st.session_state
    wv.init_inputs(plan)
    targets: dict[str, float] = ss[wv.TARGETS_KEY]
    units: dict[tuple[str, str], float] = ss[wv.UNITS_KEY]
    changed = [k for k in plan.kpis if k in targets or any(kid == k for kid, _ in units)]

    st.subheader("Chỉ tiêu giả định")
    _inputs(plan, set(changed))
    _unit_overrides(plan, unit_choices, short_names)
    scenario = scenario_plan(plan)
    _toolbar(plan, scenario, base_text, bool(targets or units))

    period = filters.period
    head_by = () if filters.unit is None else ("unit",)
    tables = {}
    for name, by in (("head", head_by), ("unit", ("unit",))):
        base = sums[f"base_{name}"]
        scen = base if scenario is plan else judge(sums[f"agg_{name}"], scenario, period=period, by=by)
        tables[name] = compare(base, scen, by=by)
    unit_cmp, head_cmp = tables["unit"], tables["head"]
    head_name = "Toàn Sở" if filters.unit is None else short_names.get(filters.unit, filters.unit)

    st.subheader("Tác động")
    if not changed:
        st.info("Chưa có giả định: mọi chỉ tiêu đang bằng kế hoạch. Nhập một chỉ tiêu khác để xem ngay "
                "số đơn vị đạt, chưa đạt và số hồ sơ còn thiếu thay đổi thế nào.", icon=":material/tune:")
    else:
        moves = kpi_changes(unit_cmp, changed)
        for k in changed:
            spec = plan.kpis[k]
            phrase = wv.scenario_phrase(
                spec.label, plan_target=plan.target_for(k, period), new_target=targets.get(k),
                unit_targets={short_names.get(u, u): v for (kid, u), v in units.items() if kid == k},
            )
            head_rows = head_cmp[head_cmp["kpi"] == k]
            head = head_rows.iloc[0].to_dict() if len(head_rows) else None
            text = wv.summary_sentence(phrase, moves[k], noun=wv.noun_for(spec), head_name=head_name,
                                       head=head)
            st.markdown(f":material/insights: {text}")

    when = Filters(filters.period, filters.ytd, None).describe()  # the unit is in head_name
    st.markdown(f"**{head_name}** – {when}")
    if head_cmp.empty:
        st.caption(f"{head_name} chưa có số liệu trong kỳ này.")
    else:
        head_view = wv.department_view(head_cmp)
        st.dataframe(wv.style_view(head_view, head_cmp), hide_index=True, width="stretch", key="whatif_dept",
                     column_config=wv.column_config(wv.DEPARTMENT_COLUMNS))

    st.subheader("Theo đơn vị")
    labels = {k: s.label for k, s in plan.kpis.items()}
    if ss.get(wv.KPI_PICK) not in plan.kpis:
        ss[wv.KPI_PICK] = changed[0] if changed else next(iter(plan.kpis))
    c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
    kid = c1.selectbox("Chỉ tiêu", list(plan.kpis), key=wv.KPI_PICK,
                       format_func=lambda k: f"{labels[k]} (đã đổi)" if k in changed else labels[k])
    changed_only = c2.toggle("Chỉ hiện đơn vị có thay đổi", key="whatif_changed_only")
    rows = wv.unit_rows(unit_cmp, kid)
    if rows.empty:
        st.caption("Chưa có số liệu của đơn vị nào trong kỳ này.")
        return
    base_rows = pd.DataFrame({"unit": [short_names.get(u, u) for u in rows["unit"]],
                              "shortfall": rows["shortfall_base"].to_numpy()})
    scen_rows = base_rows.assign(shortfall=rows["shortfall_scen"].to_numpy())
    st.plotly_chart(shortfall_compare(base_rows, scen_rows, group="unit", label=labels[kid]),
                    key="whatif_chart", config={"displayModeBar": False})
    shown = wv.unit_rows(unit_cmp, kid, changed_only=changed_only)
    if shown.empty:
        st.caption("Không đơn vị nào thay đổi với chỉ tiêu này.")
    else:
        st.dataframe(wv.style_view(wv.unit_view(shown, short_names), shown), hide_index=True, width="stretch",
                     key="whatif_units_table", column_config=wv.column_config(wv.UNIT_COLUMNS))
    st.caption(f"Hạng 1 = còn thiếu nhiều hồ sơ nhất. Gần đạt: thấp hơn chỉ tiêu không quá "
               f"{fmt_points(plan.near, sign=False)}. Còn thiếu = số {wv.noun_for(plan.kpis[kid])} cần thêm "
               "để đạt chỉ tiêu.")


scenario_fragment(plan, filters, {"agg_head": agg_head, "agg_unit": agg_unit, "base_head": base_head,
                                  "base_unit": base_unit}, base_text, unit_choices, short_names)
