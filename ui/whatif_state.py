"""The what-if page's session state: its widget keys and the callbacks that keep the scenario.

Session keys: the text inputs ``target_<kpi>`` (percent typed the Vietnamese way, the source of truth)
and their sliders ``slider_<kpi>`` (a ``select_slider`` over :data:`SLIDER_STEPS`, reading ``90,0 %``); the plain keys of :mod:`ui.scenario` (``whatif_targets``, ``whatif_units``,
``whatif_apply_on``), from which the inputs are set again when the page is opened anew (Streamlit
drops a widget's state on the pages that do not draw it). The rules are in :mod:`kpi.scenario`.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from kpi.scenario import kpi_ids, set_target, targets_record, to_fraction, to_percent, unit_target
from kpi.targets import KpiSpec, Plan, ProcedureKpiSpec, dump_targets_toml
from ui.scenario import APPLY_KEY
from ui.texts import whatif as T
from vnfmt import fmt_number

TARGETS_KEY = "whatif_targets"
UNITS_KEY = "whatif_units"
APPLY_WIDGET = "whatif_apply"
KPI_PICK = "whatif_kpi"
JUST_CHANGED = (
    "whatif_just_changed"  # the KPI whose target was just set (procedure KPIs' unit table follows it)
)
UNIT_KPI = "whatif_u_kpi"
UNIT_NAME = "whatif_u_unit"
UNIT_PCT = "whatif_u_pct"  # the unit target's text input (``85,5``)
UNIT_PCT_VALUE = "whatif_u_pct_value"  # its last accepted percent, kept when a bad one is typed
UNIT_PCT_ERROR = "whatif_u_pct_error"
SAVE_PENDING = "whatif_save_pending"
SAVED_MESSAGE = "whatif_saved_message"
SAVE_ERROR = "whatif_save_error"
DOWNLOAD_NAME = "targets-gia-dinh.toml"


def target_key(kpi: str) -> str:
    return f"target_{kpi}"


def error_key(kpi: str) -> str:
    """Where a refused entry's message waits for the input's next drawing."""
    return f"target_error_{kpi}"


def percent_text(pct: float) -> str:
    """A percent as the inputs show it: ``90.0`` → ``90,0``."""
    return fmt_number(pct, 1)


def parse_percent(text: object) -> tuple[float | None, str | None]:
    """A typed target in percent: ``85,5``, ``85.5``, ``85,5 %`` → ``(85.5, None)``; anything else,
    or outside 0–100, → ``(None, a Vietnamese message)``."""
    raw = str(text or "").strip().removesuffix("%").strip().replace(" ", "").replace(",", ".")
    try:
        value = float(raw)
    except ValueError:
        return None, T.NOT_A_NUMBER.format(text=str(text or "").strip())
    if not 0 <= value <= 100:  # NaN fails too
        return None, T.OUT_OF_RANGE.format(value=percent_text(value) if value == value else raw)
    return round(value, 4), None


def slider_key(kpi: str) -> str:
    return f"slider_{kpi}"


#: The sliders' steps: 0 to 100 % by 0,5.
SLIDER_STEPS: tuple[float, ...] = tuple(i / 2 for i in range(201))


def slider_step(pct: float) -> float:
    """The slider's step nearest to ``pct`` (a typed 85,3 puts the slider at 85,5)."""
    return min(max(round(pct * 2) / 2, 0.0), 100.0)


def slider_text(pct: float) -> str:
    """A slider step as its bubble reads it: ``90,0 %``."""
    return f"{percent_text(pct)} %"


def overrides() -> tuple[dict[str, float], dict[tuple[str, str], float]]:
    """The session's (plan-wide targets, unit targets), as the inputs keep them."""
    ss = st.session_state
    return ss.get(TARGETS_KEY, {}), ss.get(UNITS_KEY, {})


def scenario_toml(
    scenario: Plan,
    base_text: str,
    unit_resolver: Callable[[str], str | None] | None = None,
    field_resolver: Callable[[str], str | None] | None = None,
) -> bytes:
    """The scenario as a targets file: the shipped file's text (comments, order, other keys kept)
    with the scenario's targets, dossier and procedure KPIs (UTF-8); ``field_resolver`` keeps the
    field names of a procedure KPI's ``scope`` as written."""
    return dump_targets_toml(
        scenario, base_text, unit_resolver=unit_resolver, field_resolver=field_resolver
    ).encode("utf-8")


def all_specs(plan: Plan) -> list[KpiSpec | ProcedureKpiSpec]:
    """Every KPI whose target the page offers: the dossier KPIs, then the procedure KPIs."""
    return [plan.spec(k) for k in kpi_ids(plan)]


def init_inputs(plan: Plan) -> None:
    """Set every input of the page that has no state, from the session's scenario (else the plan)."""
    ss = st.session_state
    targets = ss.setdefault(TARGETS_KEY, {})
    ss.setdefault(UNITS_KEY, {})
    for spec in all_specs(plan):
        kid = spec.id
        pct = to_percent(targets.get(kid, spec.target))
        if target_key(kid) not in ss:
            ss[target_key(kid)] = percent_text(pct)
        if slider_key(kid) not in ss:
            ss[slider_key(kid)] = slider_step(pct)
    if APPLY_WIDGET not in ss:
        ss[APPLY_WIDGET] = bool(ss.get(APPLY_KEY, False))
    if ss.get(UNIT_KPI) not in kpi_ids(plan):
        ss[UNIT_KPI] = kpi_ids(plan)[0]


def _store_target(kid: str, pct: float, plan_target: float) -> None:
    ss = st.session_state
    ss[TARGETS_KEY] = set_target(ss.get(TARGETS_KEY, {}), kid, pct, plan_target)
    ss[target_key(kid)] = percent_text(pct)
    ss[slider_key(kid)] = slider_step(pct)
    ss.pop(error_key(kid), None)
    ss[KPI_PICK] = ss[JUST_CHANGED] = kid  # the chart and the unit table follow the KPI just changed


def on_number(kid: str, plan_target: float) -> None:
    """The typed target changed: stored and the slider follows; refused (the previous value kept,
    a message beside the input) when it is not a percent from 0 to 100."""
    previous = to_percent(st.session_state.get(TARGETS_KEY, {}).get(kid, plan_target))
    pct = typed_percent(target_key(kid), error_key(kid), previous)
    if pct is not None:
        _store_target(kid, pct, plan_target)


def typed_percent(text_key: str, problem_key: str, previous: float) -> float | None:
    """The percent typed in ``text_key`` (:func:`parse_percent`), shown again as ``85,5``; when refused,
    ``None``, the input back at ``previous`` and the Vietnamese message in ``problem_key``."""
    ss = st.session_state
    pct, problem = parse_percent(ss.get(text_key))
    if pct is None:
        ss[text_key] = percent_text(previous)
        ss[problem_key] = T.KEPT.format(problem=problem, previous=percent_text(previous))
        return None
    ss[text_key] = percent_text(pct)
    ss.pop(problem_key, None)
    return pct


def on_slider(kid: str, plan_target: float) -> None:
    """A slider moved: the typed target follows."""
    _store_target(kid, float(st.session_state[slider_key(kid)]), plan_target)


def on_apply() -> None:
    """The toggle "Áp dụng cho toàn bộ trang" changed: the other pages follow it."""
    ss = st.session_state
    ss[APPLY_KEY] = bool(ss.get(APPLY_WIDGET))


def reset(plan: Plan) -> None:
    """Back to the plan: every input, the unit overrides, and the pages use the plan again."""
    ss = st.session_state
    for spec in all_specs(plan):
        ss[target_key(spec.id)] = percent_text(to_percent(spec.target))
        ss[slider_key(spec.id)] = slider_step(to_percent(spec.target))
        ss.pop(error_key(spec.id), None)
    ss[TARGETS_KEY] = {}
    ss[UNITS_KEY] = {}
    ss[APPLY_WIDGET] = False
    ss[APPLY_KEY] = False


def current_unit_target(plan: Plan, kid: str, unit: str | None) -> float:
    """The target a unit has now (:func:`kpi.scenario.unit_target` on the session's overrides)."""
    return unit_target(plan, kid, unit, *overrides())


def on_unit_pick(plan: Plan) -> None:
    """KPI or unit chosen for an override: the percent shows that unit's current target."""
    ss = st.session_state
    pct = to_percent(current_unit_target(plan, ss[UNIT_KPI], ss.get(UNIT_NAME)))
    ss[UNIT_PCT], ss[UNIT_PCT_VALUE] = percent_text(pct), pct
    ss.pop(UNIT_PCT_ERROR, None)


def on_unit_pct() -> None:
    """The unit's target typed: kept as a percent, or refused (the previous one kept, a message below)."""
    ss = st.session_state
    pct = typed_percent(UNIT_PCT, UNIT_PCT_ERROR, float(ss.get(UNIT_PCT_VALUE, 0.0)))
    if pct is not None:
        ss[UNIT_PCT_VALUE] = pct


def add_unit_override() -> None:
    """The "Thêm" button: the unit's own target as typed joins the scenario."""
    ss = st.session_state
    kid, unit, pct = ss.get(UNIT_KPI), ss.get(UNIT_NAME), ss.get(UNIT_PCT_VALUE)
    if not kid or not unit or pct is None:
        return
    units = dict(ss.get(UNITS_KEY, {}))
    units[(kid, unit)] = to_fraction(pct)
    ss[UNITS_KEY] = units
    ss.pop(UNIT_PCT_ERROR, None)
    ss[KPI_PICK] = ss[JUST_CHANGED] = kid


def remove_unit_override(kid: str, unit: str) -> None:
    """The "Bỏ" button: the unit's own target leaves the scenario."""
    ss = st.session_state
    units = dict(ss.get(UNITS_KEY, {}))
    units.pop((kid, unit), None)
    ss[UNITS_KEY] = units


def on_save_official(plan: Plan, scenario: Plan) -> None:
    """Confirm-button callback: save, then reset the inputs to the new official targets."""
    from data_access.auth import PermissionDenied
    from kpi.targets import TargetsError

    st.session_state[SAVE_PENDING] = False
    try:
        st.session_state[SAVED_MESSAGE] = save_official(plan, scenario)
    except (PermissionDenied, TargetsError, OSError) as exc:
        from ui.auth import note_refusal  # ui.auth imports ui.scenario, which this module's callers import

        note_refusal(exc)  # a stale account: the sign-in form the next run shows says it
        st.session_state[SAVE_ERROR] = T.SAVE_FAILED.format(error=exc)


def save_official(plan: Plan, scenario: Plan) -> str:
    """Write the scenario as the official targets of the selected year (the actor's role is checked by
    the writer): that year's plan file, or a new ``targets/YYYY.toml`` (``[plan] year`` set to the year)
    when the year is judged by the current plan (:func:`data_access.plans.save_path_for`)."""
    from dataclasses import replace

    from data_access.plans import plan_name_for, save_path_for
    from data_access.targets_file import save_targets_file
    from kpi.targets import load_targets
    from ui import data
    from ui.state import current_filters

    filters = current_filters()
    year = filters.year if filters is not None else plan.year
    _, current = data.targets_text(year)  # the text the page started from: comments and order kept
    path = save_path_for(year)
    created = not path.exists()
    if scenario.year != year and created:  # a new plan of its own for the year
        scenario = replace(scenario, year=year, name=plan_name_for(scenario.name, scenario.year, year))
    catalog = data.catalog()
    text = scenario_toml(scenario, current, catalog.units.match, catalog.fields.match).decode("utf-8")
    load_targets(
        path, text=text, unit_resolver=catalog.units.match, field_resolver=catalog.fields.match
    )  # refuse a broken file
    keep = save_targets_file(
        st.session_state["_source"].engine,
        st.session_state["_actor"],
        path,
        text,
        old_targets=targets_record(plan),
        new_targets=targets_record(scenario),
    )
    reset(scenario)
    return T.SAVED_NEW_PLAN.format(year=year, file=path.name) if created else T.SAVED.format(file=keep.name)
