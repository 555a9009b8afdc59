"""The what-if page's sentences, and the names of its helpers (tables, session state) in one place.

Pure (no streamlit, tested in ``tests/test_whatif.py``): :func:`noun_for`, :func:`scenario_phrase`,
:func:`summary_sentence`; the tables are built in :mod:`ui.whatif_tables`, the session state is kept
by :mod:`ui.whatif_state`, the rules are in :mod:`kpi.scenario`; every name is re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping

from kpi.scenario import headline_kind, to_fraction, to_percent
from kpi.targets import KpiSpec
from kpi.whatif import KpiChange
from ui.fmt import STATUS_LABELS
from ui.texts import whatif as T
from ui.whatif_state import (
    APPLY_WIDGET,
    DOWNLOAD_NAME,
    KPI_PICK,
    SAVE_ERROR,
    SAVE_PENDING,
    SAVED_MESSAGE,
    SLIDER_STEPS,
    TARGETS_KEY,
    UNIT_KPI,
    UNIT_NAME,
    UNIT_PCT,
    UNIT_PCT_ERROR,
    UNIT_PCT_VALUE,
    UNITS_KEY,
    add_unit_override,
    current_unit_target,
    init_inputs,
    on_apply,
    on_number,
    on_save_official,
    on_slider,
    on_unit_pct,
    on_unit_pick,
    overrides,
    remove_unit_override,
    reset,
    save_official,
    scenario_toml,
    slider_key,
    slider_step,
    slider_text,
    target_key,
    typed_percent,
)
from ui.whatif_tables import (
    BASE_TAG,
    DEPARTMENT_COLUMNS,
    DEPARTMENT_SCREEN,
    SCEN_TAG,
    SCREEN_COLUMNS,
    UNIT_COLUMNS,
    UNIT_SCREEN,
    change_text,
    department_view,
    pair_text,
    screen_frame,
    style_view,
    unit_rows,
    unit_view,
)
from vnfmt import fmt_int, fmt_pct


def noun_for(spec: KpiSpec) -> str:
    """The thing a KPI's numerator counts, e.g. ``giao dịch thanh toán trực tuyến`` (its ``noun``)."""
    return spec.noun


# ---------------------------------------------------------------------------- sentences


def scenario_phrase(
    label: str,
    *,
    plan_target: float,
    new_target: float | None,
    unit_targets: Mapping[str, float] | None = None,
) -> str:
    """``Với chỉ tiêu 60,0 % (kế hoạch 45,0 %) cho <label>`` (and the units' own targets)."""
    parts = []
    if new_target is not None:
        parts.append(T.PHRASE_TARGET.format(target=fmt_pct(new_target), plan=fmt_pct(plan_target)))
    units = dict(unit_targets or {})
    if units:
        if len(units) <= 2:
            parts.append(
                T.PHRASE_UNITS.format(units=", ".join(f"{u} {fmt_pct(v)}" for u, v in units.items()))
            )
        else:
            parts.append(T.PHRASE_MANY_UNITS.format(n=len(units)))
    if not parts:
        parts.append(T.PHRASE_AS_PLAN.format(plan=fmt_pct(plan_target)))
    return T.PHRASE.format(parts=T.PHRASE_AND.join(parts), label=label)


def _moves(change: KpiChange) -> str:
    parts = []
    if change.newly_missed:
        detail = [
            f"{n} {STATUS_LABELS[s].lower()}"
            for n, s in ((change.met_to_below, "below"), (change.met_to_near, "near"))
            if n
        ]
        parts.append(T.MOVE_NEWLY_MISSED.format(n=change.newly_missed, detail=", ".join(detail)))
    if change.near_to_below:
        parts.append(T.MOVE_NEAR_TO_BELOW.format(n=change.near_to_below))
    if change.to_met:
        parts.append(T.MOVE_TO_MET.format(n=change.to_met))
    if change.below_to_near:
        parts.append(T.MOVE_BELOW_TO_NEAR.format(n=change.below_to_near))
    return ", ".join(parts) if parts else T.MOVE_NONE


def _shortfall_words(delta: int, noun: str) -> str:
    if delta > 0:
        return T.SHORTFALL_MORE.format(n=fmt_int(delta), noun=noun)
    if delta < 0:
        return T.SHORTFALL_LESS.format(n=fmt_int(-delta), noun=noun)
    return T.SHORTFALL_SAME.format(noun=noun)


def _headline(name: str, row: Mapping[str, object], noun: str) -> str:
    kind = headline_kind(row)
    if kind == "no_data":
        return T.HEADLINE_NO_DATA.format(name=name)
    b, s = STATUS_LABELS[str(row["status_base"])], STATUS_LABELS[str(row["status_scen"])]
    counts = {
        "shortfall_base": fmt_int(row["shortfall_base"]),
        "shortfall_scen": fmt_int(row["shortfall_scen"]),
    }
    if kind == "status":
        return T.HEADLINE_STATUS.format(name=name, base=b, scen=s, noun=noun, **counts)
    if kind == "shortfall":
        return T.HEADLINE_SHORTFALL.format(name=name, base=b.lower(), noun=noun, **counts)
    return T.HEADLINE_SAME.format(name=name, base=b.lower())


def summary_sentence(
    phrase: str, change: KpiChange, *, noun: str, head_name: str, head: Mapping[str, object] | None
) -> str:
    """One paragraph per changed KPI: status moves and extra shortfall summed over the units, then
    the headline (the department, or the unit chosen in the sidebar; ``None``: no data) before → after.

    E.g. ``Với chỉ tiêu 60,0 % (kế hoạch 45,0 %) cho …: thêm 3 đơn vị không còn đạt (2 chưa đạt,
    1 gần đạt); cần thêm 412 giao dịch thanh toán trực tuyến (cộng phần còn thiếu của các đơn vị).
    Toàn Sở: Đạt → Chưa đạt, còn thiếu 0 → 150 giao dịch thanh toán trực tuyến.``
    """
    headline = (
        _headline(head_name, head, noun) if head is not None else T.HEADLINE_NONE.format(name=head_name)
    )
    return T.SUMMARY.format(
        phrase=phrase,
        moves=_moves(change),
        shortfall=_shortfall_words(change.extra_shortfall, noun),
        headline=headline,
    )


__all__ = [
    "APPLY_WIDGET",
    "BASE_TAG",
    "DEPARTMENT_COLUMNS",
    "DEPARTMENT_SCREEN",
    "DOWNLOAD_NAME",
    "KPI_PICK",
    "SAVED_MESSAGE",
    "SAVE_ERROR",
    "SAVE_PENDING",
    "SCEN_TAG",
    "SCREEN_COLUMNS",
    "SLIDER_STEPS",
    "TARGETS_KEY",
    "UNITS_KEY",
    "UNIT_COLUMNS",
    "UNIT_KPI",
    "UNIT_NAME",
    "UNIT_PCT",
    "UNIT_PCT_ERROR",
    "UNIT_PCT_VALUE",
    "UNIT_SCREEN",
    "add_unit_override",
    "change_text",
    "current_unit_target",
    "department_view",
    "init_inputs",
    "noun_for",
    "on_apply",
    "on_number",
    "on_save_official",
    "on_slider",
    "on_unit_pct",
    "on_unit_pick",
    "overrides",
    "pair_text",
    "remove_unit_override",
    "reset",
    "save_official",
    "scenario_phrase",
    "scenario_toml",
    "screen_frame",
    "slider_key",
    "slider_step",
    "slider_text",
    "style_view",
    "summary_sentence",
    "target_key",
    "to_fraction",
    "to_percent",
    "typed_percent",
    "unit_rows",
    "unit_view",
]
