"""The what-if page's inputs: a target per KPI, unit targets, and the toolbar (reset, apply, download, save)."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import streamlit as st

from kpi.scenario import kpi_ids, plan_diff
from kpi.targets import KpiSpec, Plan, ProcedureKpiSpec
from ui import data
from ui import whatif_view as wv
from ui.scenario import scenario_applied
from ui.texts import whatif as T
from ui.texts import whatif_procedures as TP
from ui.whatif_state import SLIDER_STEPS, UNIT_PCT_ERROR, error_key, on_unit_pct, slider_text
from vnfmt import fmt_pct


def problem_line(key: str) -> None:
    """The Vietnamese message of a refused entry (kept in ``key``), in red under its input."""
    if problem := st.session_state.get(key):
        st.caption(f":red[:material/error: {problem}]")


def kpi_inputs(plan: Plan, changed: set[str]) -> None:
    """One text input (percent typed the Vietnamese way, the source of truth) and a slider kept in step,
    per KPI; the slider's bubble reads ``90,0 %``. The KPIs that count procedures follow in their own
    group ("Chỉ tiêu tính theo TTHC")."""
    target_boxes(list(plan.kpis.values()), changed)
    if plan.procedure_kpis:
        st.markdown(f"**{TP.INPUTS_GROUP}**")
        st.caption(TP.INPUTS_NOTE)
        target_boxes(list(plan.procedure_kpis.values()), changed)


def target_boxes(specs: Sequence[KpiSpec | ProcedureKpiSpec], changed: set[str]) -> None:
    """The bordered boxes of ``specs``' targets, two a row."""
    for start in range(0, len(specs), 2):
        cols = st.columns(2)
        for col, spec in zip(cols, specs[start : start + 2], strict=False):
            args = (spec.id, spec.target)
            with col, st.container(border=True, key=f"box_{spec.id}"):
                head, badge = st.columns([5, 1], vertical_alignment="center")
                head.markdown(f"**{spec.label}**")
                if spec.id in changed:
                    badge.badge(T.CHANGED_BADGE, icon=":material/edit:", color="blue")
                left, right = st.columns([2, 3], vertical_alignment="center")
                left.text_input(
                    T.TARGET_INPUT.format(label=spec.label),
                    key=wv.target_key(spec.id),
                    on_change=wv.on_number,
                    args=args,
                    label_visibility="collapsed",
                    placeholder=T.PCT_PLACEHOLDER,
                    help=T.PCT_HELP,
                )
                right.select_slider(
                    T.SLIDER.format(label=spec.label),
                    options=SLIDER_STEPS,
                    format_func=slider_text,
                    key=wv.slider_key(spec.id),
                    on_change=wv.on_slider,
                    args=args,
                    label_visibility="collapsed",
                )
                problem_line(error_key(spec.id))
                road = T.ROADMAP_NOTE if spec.roadmap else ""
                st.caption(T.PLAN_TARGET.format(target=fmt_pct(spec.target), roadmap=road))


def unit_overrides(plan: Plan, unit_choices: list[str], short_names: dict[str, str]) -> None:
    """The optional unit targets: pick a KPI and a unit, type its target, add; each one listed with "Bỏ"."""
    ss = st.session_state
    units: dict[tuple[str, str], float] = ss.get(wv.UNITS_KEY, {})
    ids = kpi_ids(plan)  # dossier KPIs, then those counting procedures
    labels = {k: plan.spec(k).label for k in ids}
    with st.expander(T.UNITS_EXPANDER, icon=":material/apartment:", expanded=bool(units)):
        st.caption(T.UNITS_CAPTION)
        if ss.get(wv.UNIT_NAME) not in unit_choices:
            ss[wv.UNIT_NAME] = unit_choices[0] if unit_choices else None
        if wv.UNIT_PCT not in ss:
            wv.on_unit_pick(plan)
        c1, c2, c3, c4 = st.columns([3, 3, 1.4, 1.2], vertical_alignment="bottom")
        c1.selectbox(
            T.UNIT_KPI,
            ids,
            format_func=labels.__getitem__,
            key=wv.UNIT_KPI,
            on_change=wv.on_unit_pick,
            args=(plan,),
        )
        c2.selectbox(
            T.UNIT_NAME,
            unit_choices,
            key=wv.UNIT_NAME,
            format_func=lambda u: short_names.get(u, u),
            on_change=wv.on_unit_pick,
            args=(plan,),
        )
        c3.text_input(
            T.UNIT_PCT, key=wv.UNIT_PCT, on_change=on_unit_pct, placeholder=T.PCT_PLACEHOLDER, help=T.PCT_HELP
        )
        c4.button(
            T.ADD, icon=":material/add:", key="whatif_u_add", on_click=wv.add_unit_override, width="stretch"
        )
        problem_line(UNIT_PCT_ERROR)
        for i, ((kid, unit), value) in enumerate(
            sorted(
                units.items(),
                key=lambda kv: (ids.index(kv[0][0]) if kv[0][0] in labels else len(ids), kv[0][1]),
            )
        ):
            if kid not in labels:
                continue
            a, b = st.columns([8, 1], vertical_alignment="center")
            plan_unit = plan.spec(kid).units.get(unit)
            was = (
                T.UNIT_PLAN_OWN.format(target=fmt_pct(plan_unit))
                if plan_unit is not None
                else T.UNIT_PLAN_NONE
            )
            a.markdown(f"{labels[kid]} · **{short_names.get(unit, unit)}**: {fmt_pct(value)} ({was})")
            b.button(
                T.REMOVE,
                icon=":material/close:",
                key=f"whatif_u_del_{i}",
                type="tertiary",
                on_click=wv.remove_unit_override,
                args=(kid, unit),
                help=T.REMOVE_HELP,
            )


def toolbar(plan: Plan, scenario: Plan, base_text: str, has_overrides: bool) -> None:
    """Reset, apply to every page, download; the save box for an administrator, else why not."""
    c1, c2, c3 = st.columns([1.2, 1.6, 1.6], vertical_alignment="center")
    c1.button(
        T.RESET,
        icon=":material/restart_alt:",
        key="whatif_reset",
        on_click=wv.reset,
        args=(plan,),
        disabled=not has_overrides,
    )
    c2.toggle(T.APPLY, key=wv.APPLY_WIDGET, on_change=wv.on_apply, help=T.APPLY_HELP)
    c3.download_button(
        # built when clicked (deferred), not on every rerun
        T.DOWNLOAD,
        data=functools.partial(
            wv.scenario_toml, scenario, base_text, data.catalog().units.match, data.catalog().fields.match
        ),
        file_name=wv.DOWNLOAD_NAME,
        mime="application/toml",
        key="whatif_download",
        icon=":material/download:",
        on_click="ignore",
    )
    if scenario_applied():
        st.caption(T.APPLIED)
    elif st.session_state.get(wv.APPLY_WIDGET):
        st.caption(T.APPLIED_NOTHING)
    actor = st.session_state.get("_actor")
    if actor is not None and actor.can("save_targets") and actor.via != "demo":
        save_box(plan, scenario, base_text, has_overrides)
    else:
        st.caption(T.DOWNLOAD_ONLY)


def save_box(plan: Plan, scenario: Plan, base_text: str, has_overrides: bool) -> None:
    """``quan_tri`` only: save the scenario as the official targets, after a confirmation."""
    if not st.session_state.get(wv.SAVE_PENDING):
        st.button(
            T.SAVE,
            icon=":material/save:",
            key="whatif_save",
            disabled=not has_overrides,
            on_click=lambda: st.session_state.update({wv.SAVE_PENDING: True}),
        )
        st.caption(T.SAVE_NOTE)
        return
    lines = "; ".join(
        f"{c.label}: {fmt_pct(c.target_before)} → {fmt_pct(c.target_after)}"
        for c in plan_diff(plan, scenario).values()
    )
    st.warning(T.SAVE_QUESTION.format(changes=lines), icon=":material/warning:")
    ok, cancel = st.columns(2)
    if ok.button(
        T.SAVE_CONFIRM,
        type="primary",
        key="whatif_save_confirm",
        icon=":material/check:",
        on_click=wv.on_save_official,
        args=(plan, scenario),
    ):
        st.rerun(scope="app")  # the official plan changed: every part of the page follows
    cancel.button(
        T.SAVE_CANCEL,
        key="whatif_save_cancel",
        on_click=lambda: st.session_state.update({wv.SAVE_PENDING: False}),
    )
