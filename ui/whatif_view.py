"""Helpers of the what-if page: the session's scenario inputs (callbacks) and pure view builders.

Pure (no streamlit, tested in ``tests/test_whatif.py``): :func:`to_fraction`, :func:`noun_for`,
:func:`scenario_phrase`, :func:`summary_sentence`, :func:`change_text`, :func:`department_view`,
:func:`unit_rows`, :func:`unit_view`, :func:`style_view`, :func:`scenario_toml`.

Session keys: the number inputs ``target_<kpi>`` (percent, the source of truth) and their sliders
``slider_<kpi>``; the plain keys of :mod:`ui.scenario` (``whatif_targets``, ``whatif_units``,
``whatif_apply_on``), from which the inputs are set again when the page is opened anew (Streamlit
drops a widget's state on the pages that do not draw it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from kpi.targets import KpiSpec, Plan, dump_targets_toml
from kpi.whatif import KpiChange
from ui.fmt import STATUS_COLORS, STATUS_LABELS, fmt_int, fmt_pct, fmt_points
from ui.scenario import APPLY_KEY

TARGETS_KEY = "whatif_targets"
UNITS_KEY = "whatif_units"
APPLY_WIDGET = "whatif_apply"
KPI_PICK = "whatif_kpi"
UNIT_KPI = "whatif_u_kpi"
UNIT_NAME = "whatif_u_unit"
UNIT_PCT = "whatif_u_pct"
DOWNLOAD_NAME = "targets-gia-dinh.toml"

#: What a KPI's numerator counts, for "cần thêm 412 …" (by KPI id, else by its one numerator column).
NOUNS: dict[str, str] = {
    "online_full": "hồ sơ trực tuyến toàn trình",
    "online_payment": "giao dịch thanh toán trực tuyến",
    "digitized_results": "kết quả giải quyết được số hóa",
    "digitized_dossiers": "hồ sơ được số hóa",
    "online_any": "hồ sơ trực tuyến",
    "on_time": "hồ sơ giải quyết đúng hạn",
    "postal_received": "hồ sơ tiếp nhận qua BCCI",
    "postal_returned": "kết quả trả qua BCCI",
}
NOUNS_BY_COLUMN: dict[str, str] = {
    "received_online_full": NOUNS["online_full"],
    "payments_online": NOUNS["online_payment"],
    "results_digitized": NOUNS["digitized_results"],
    "dossiers_digitized": NOUNS["digitized_dossiers"],
    "received_online": NOUNS["online_any"],
    "received_postal": NOUNS["postal_received"],
    "returned_postal": NOUNS["postal_returned"],
}
DEFAULT_NOUN = "hồ sơ"

BASE_TAG = "KH"  # theo kế hoạch
SCEN_TAG = "GĐ"  # theo giả định
_TINTS = {"met": "#e8f5e9", "near": "#fff8e1", "below": "#ffebee", "no_data": "#f5f5f5"}
_DIRECTION_COLORS = {"worse": STATUS_COLORS["below"], "better": STATUS_COLORS["met"]}


def target_key(kpi: str) -> str:
    return f"target_{kpi}"


def slider_key(kpi: str) -> str:
    return f"slider_{kpi}"


def noun_for(spec: KpiSpec) -> str:
    """The thing a KPI's numerator counts, e.g. ``giao dịch thanh toán trực tuyến``."""
    if spec.id in NOUNS:
        return NOUNS[spec.id]
    if len(spec.numerator) == 1:
        return NOUNS_BY_COLUMN.get(spec.numerator[0], DEFAULT_NOUN)
    return DEFAULT_NOUN


def to_percent(fraction: float) -> float:
    """``0.905`` → ``90.5`` (as typed in the inputs, without float noise)."""
    return round(float(fraction) * 100, 4)


def to_fraction(percent: float) -> float:
    """``90.5`` → ``0.905``, the same float as the literal (so it round-trips through TOML)."""
    return float(f"{float(percent) / 100:.6g}")


# ---------------------------------------------------------------------------- sentences


def scenario_phrase(label: str, *, plan_target: float, new_target: float | None,
                    unit_targets: Mapping[str, float] | None = None) -> str:
    """``Với chỉ tiêu 60,0 % (kế hoạch 45,0 %) cho <label>`` (and the units' own targets)."""
    parts = []
    if new_target is not None:
        parts.append(f"chỉ tiêu {fmt_pct(new_target)} (kế hoạch {fmt_pct(plan_target)})")
    units = dict(unit_targets or {})
    if units:
        if len(units) <= 2:
            parts.append("chỉ tiêu riêng " + ", ".join(f"{u} {fmt_pct(v)}" for u, v in units.items()))
        else:
            parts.append(f"chỉ tiêu riêng của {len(units)} đơn vị")
    if not parts:
        parts.append(f"chỉ tiêu {fmt_pct(plan_target)} (như kế hoạch)")
    return f"Với {' và '.join(parts)} cho {label}"


def _moves(change: KpiChange) -> str:
    parts = []
    if change.newly_missed:
        detail = [f"{n} {STATUS_LABELS[s].lower()}" for n, s in
                  ((change.met_to_below, "below"), (change.met_to_near, "near")) if n]
        parts.append(f"thêm {change.newly_missed} đơn vị không còn đạt ({', '.join(detail)})")
    if change.near_to_below:
        parts.append(f"{change.near_to_below} đơn vị từ gần đạt xuống chưa đạt")
    if change.to_met:
        parts.append(f"thêm {change.to_met} đơn vị đạt")
    if change.below_to_near:
        parts.append(f"{change.below_to_near} đơn vị từ chưa đạt lên gần đạt")
    return ", ".join(parts) if parts else "không đơn vị nào đổi trạng thái"


def _shortfall_words(delta: int, noun: str) -> str:
    if delta > 0:
        return f"cần thêm {fmt_int(delta)} {noun}"
    if delta < 0:
        return f"bớt {fmt_int(-delta)} {noun} phải bổ sung"
    return f"số {noun} còn thiếu không đổi"


def _headline(name: str, row: Mapping[str, object], noun: str) -> str:
    b, s = str(row["status_base"]), str(row["status_scen"])
    if "no_data" in (b, s):
        return f"{name}: chưa có số liệu để đánh giá."
    sb, ss = fmt_int(row["shortfall_base"]), fmt_int(row["shortfall_scen"])
    if b != s:
        return f"{name}: {STATUS_LABELS[b]} → {STATUS_LABELS[s]}, còn thiếu {sb} → {ss} {noun}."
    if sb != ss:
        return f"{name}: vẫn {STATUS_LABELS[b].lower()}, còn thiếu {sb} → {ss} {noun}."
    return f"{name}: không đổi ({STATUS_LABELS[b].lower()})."


def summary_sentence(phrase: str, change: KpiChange, *, noun: str, head_name: str,
                     head: Mapping[str, object] | None) -> str:
    """One paragraph per changed KPI: status moves and extra shortfall summed over the units, then
    the headline (the department, or the unit chosen in the sidebar; ``None``: no data) before → after.

    E.g. ``Với chỉ tiêu 60,0 % (kế hoạch 45,0 %) cho …: thêm 3 đơn vị không còn đạt (2 chưa đạt,
    1 gần đạt); cần thêm 412 giao dịch thanh toán trực tuyến (cộng phần còn thiếu của các đơn vị).
    Toàn Sở: Đạt → Chưa đạt, còn thiếu 0 → 150 giao dịch thanh toán trực tuyến.``
    """
    headline = _headline(head_name, head, noun) if head is not None else f"{head_name}: chưa có số liệu."
    return (f"{phrase}: {_moves(change)}; {_shortfall_words(change.extra_shortfall, noun)} "
            f"(cộng phần còn thiếu của các đơn vị). {headline}")


# ---------------------------------------------------------------------------- tables


def change_text(row: Mapping[str, object]) -> str:
    """``Đạt → Chưa đạt · ↑ thiếu +37`` / ``↓ thiếu -5`` / ``vẫn đạt`` / ``–`` for one compared row
    (the status before → after, and the shortfall's change in dossiers)."""
    parts = []
    b, s = str(row["status_base"]), str(row["status_scen"])
    if b != s:
        parts.append(f"{STATUS_LABELS.get(b, b)} → {STATUS_LABELS.get(s, s)}")
    d = row["shortfall_delta"]
    if d is not pd.NA and d is not None and d == d and d != 0:
        parts.append(f"↑ thiếu +{fmt_int(d)}" if d > 0 else f"↓ thiếu -{fmt_int(-d)}")  # type: ignore[operator]
    if not parts and bool(row.get("target_changed")) and s != "no_data":
        parts.append(f"vẫn {STATUS_LABELS.get(s, s).lower()}")
    return " · ".join(parts) if parts else "–"


#: Column key → header, for the department table (``department_view``): what changed first.
DEPARTMENT_COLUMNS: dict[str, str] = {
    "label": "Chỉ tiêu",
    "change": "Thay đổi",
    "status_base": f"Đánh giá {BASE_TAG}",
    "status_scen": f"Đánh giá {SCEN_TAG}",
    "shortfall_base": f"Còn thiếu {BASE_TAG}",
    "shortfall_scen": f"Còn thiếu {SCEN_TAG}",
    "value": "Đạt được",
    "target_base": f"Chỉ tiêu {BASE_TAG}",
    "target_scen": f"Chỉ tiêu {SCEN_TAG}",
    "gap_base": f"Chênh lệch {BASE_TAG}",
    "gap_scen": f"Chênh lệch {SCEN_TAG}",
}
#: Column key → header, for the per-unit table (``unit_view``).
UNIT_COLUMNS: dict[str, str] = {
    "unit": "Đơn vị",
    "change": "Thay đổi",
    "status_base": f"Đánh giá {BASE_TAG}",
    "status_scen": f"Đánh giá {SCEN_TAG}",
    "shortfall_base": f"Còn thiếu {BASE_TAG}",
    "shortfall_scen": f"Còn thiếu {SCEN_TAG}",
    "rank_base": f"Hạng {BASE_TAG}",
    "rank_scen": f"Hạng {SCEN_TAG}",
    "value": "Đạt được",
    "target_base": f"Chỉ tiêu {BASE_TAG}",
    "target_scen": f"Chỉ tiêu {SCEN_TAG}",
    "gap_base": f"Chênh lệch {BASE_TAG}",
    "gap_scen": f"Chênh lệch {SCEN_TAG}",
}
#: Column widths in pixels (numbers narrow and right-aligned; the first column pinned).
COLUMN_WIDTHS: dict[str, int] = {
    "label": 250, "unit": 160, "change": 215, "status_base": 112, "status_scen": 112,
    "shortfall_base": 100, "shortfall_scen": 100, "rank_base": 72, "rank_scen": 72, "value": 80,
    "target_base": 90, "target_scen": 90, "gap_base": 112, "gap_scen": 112,
}
NUMBER_COLUMNS = frozenset({"shortfall_base", "shortfall_scen", "rank_base", "rank_scen", "value",
                            "target_base", "target_scen", "gap_base", "gap_scen"})
_FORMATS: dict[str, Callable[[object], str]] = {
    "value": fmt_pct, "target_base": fmt_pct, "target_scen": fmt_pct,
    "gap_base": fmt_points, "gap_scen": fmt_points,
    "shortfall_base": fmt_int, "shortfall_scen": fmt_int, "rank_base": fmt_int, "rank_scen": fmt_int,
    "status_base": lambda s: STATUS_LABELS.get(str(s), str(s)),
    "status_scen": lambda s: STATUS_LABELS.get(str(s), str(s)),
}


def _view(cmp: pd.DataFrame, columns: Mapping[str, str]) -> pd.DataFrame:
    data: dict[str, list[str]] = {}
    for key in columns:
        if key == "change":
            cols = ("status_base", "status_scen", "shortfall_delta", "target_changed")
            data[key] = [change_text(dict(zip(cols, values, strict=True)))
                         for values in zip(*(cmp[c].tolist() for c in cols), strict=True)]
        else:
            f = _FORMATS.get(key, str)
            data[key] = [f(v) for v in cmp[key].tolist()]
    return pd.DataFrame(data, index=cmp.index)


def department_view(cmp: pd.DataFrame) -> pd.DataFrame:
    """A :func:`kpi.whatif.compare` table without groups (one row per KPI), as Vietnamese text."""
    return _view(cmp, DEPARTMENT_COLUMNS)


def unit_rows(cmp: pd.DataFrame, kpi: str, *, changed_only: bool = False) -> pd.DataFrame:
    """The rows of one KPI of a per-unit compare table, worst first under the scenario."""
    t = cmp[cmp["kpi"] == kpi]
    if changed_only:
        t = t[t["status_changed"] | (t["shortfall_delta"].fillna(0) != 0)]
    return t.sort_values(["rank_scen", "unit"], kind="stable", na_position="last")


def unit_view(rows: pd.DataFrame, short_names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """:func:`unit_rows` as Vietnamese text, units by their short names."""
    view = _view(rows, UNIT_COLUMNS)
    names = short_names or {}
    view["unit"] = [names.get(u, u) for u in rows["unit"]]
    return view


def style_view(view: pd.DataFrame, cmp: pd.DataFrame) -> Styler:
    """Colour the statuses (tinted by status; the scenario's bold when it changed) and the change
    column (red when worse, green when better); ``cmp`` holds the compared rows behind ``view``."""
    columns = list(view.columns)
    rows = []
    for base, scen, moved, direction in zip(cmp["status_base"].tolist(), cmp["status_scen"].tolist(),
                                            cmp["status_changed"].tolist(), cmp["direction"].tolist(),
                                            strict=True):
        css = dict.fromkeys(columns, "")
        if "status_base" in css and base in _TINTS:
            css["status_base"] = f"background-color: {_TINTS[base]};"
        if "status_scen" in css and scen in _TINTS:
            css["status_scen"] = f"background-color: {_TINTS[scen]};" + ("font-weight: bold;" if moved else "")
        if "change" in css and direction in _DIRECTION_COLORS:
            css["change"] = f"color: {_DIRECTION_COLORS[direction]};"
        rows.append([css[c] for c in columns])
    styles = pd.DataFrame(rows, index=view.index, columns=columns)
    return view.style.apply(lambda _: styles, axis=None)


_HELP = {
    "change": "Đánh giá theo kế hoạch → theo giả định; ↑/↓: số hồ sơ còn thiếu tăng/giảm",
    "rank_base": "Hạng 1 = còn thiếu nhiều hồ sơ nhất",
    "rank_scen": "Hạng 1 = còn thiếu nhiều hồ sơ nhất",
}


def column_config(columns: Mapping[str, str]) -> dict[str, object]:
    """Headers, widths (numbers right-aligned) and a pinned first column for ``st.dataframe``."""
    first = next(iter(columns))
    return {
        key: st.column_config.TextColumn(
            label, width=COLUMN_WIDTHS.get(key), pinned=key == first or None, help=_HELP.get(key),
            alignment="right" if key in NUMBER_COLUMNS else None,
        )
        for key, label in columns.items()
    }


def scenario_toml(scenario: Plan, base_text: str, unit_resolver: Callable[[str], str | None] | None = None
                  ) -> bytes:
    """The scenario as a targets file: the shipped file's text (comments, order, other keys kept)
    with the scenario's targets (UTF-8)."""
    return dump_targets_toml(scenario, base_text, unit_resolver=unit_resolver).encode("utf-8")


# ---------------------------------------------------------------------------- session state


def init_inputs(plan: Plan) -> None:
    """Set every input of the page that has no state, from the session's scenario (else the plan)."""
    ss = st.session_state
    targets = ss.setdefault(TARGETS_KEY, {})
    ss.setdefault(UNITS_KEY, {})
    for kid, spec in plan.kpis.items():
        pct = to_percent(targets.get(kid, spec.target))
        if target_key(kid) not in ss:
            ss[target_key(kid)] = pct
        if slider_key(kid) not in ss:
            ss[slider_key(kid)] = ss[target_key(kid)]
    if APPLY_WIDGET not in ss:
        ss[APPLY_WIDGET] = bool(ss.get(APPLY_KEY, False))
    if ss.get(UNIT_KPI) not in plan.kpis:
        ss[UNIT_KPI] = next(iter(plan.kpis))


def _store_target(kid: str, plan_target: float) -> None:
    ss = st.session_state
    pct = ss.get(target_key(kid))
    targets = dict(ss.get(TARGETS_KEY, {}))
    if pct is None or abs(to_fraction(pct) - plan_target) <= 1e-9:
        targets.pop(kid, None)
    else:
        targets[kid] = to_fraction(pct)
    ss[TARGETS_KEY] = targets
    ss[KPI_PICK] = kid  # the chart and the unit table follow the KPI just changed


def on_number(kid: str, plan_target: float) -> None:
    """A number input changed: the slider follows, the scenario is stored."""
    ss = st.session_state
    if ss.get(target_key(kid)) is None:
        ss[target_key(kid)] = to_percent(ss.get(TARGETS_KEY, {}).get(kid, plan_target))
    ss[slider_key(kid)] = ss[target_key(kid)]
    _store_target(kid, plan_target)


def on_slider(kid: str, plan_target: float) -> None:
    """A slider moved: the number input follows (it stays the source of truth)."""
    ss = st.session_state
    ss[target_key(kid)] = ss[slider_key(kid)]
    _store_target(kid, plan_target)


def on_apply() -> None:
    ss = st.session_state
    ss[APPLY_KEY] = bool(ss.get(APPLY_WIDGET))


def reset(plan: Plan) -> None:
    """Back to the plan: every input, the unit overrides, and the pages use the plan again."""
    ss = st.session_state
    for kid, spec in plan.kpis.items():
        ss[target_key(kid)] = to_percent(spec.target)
        ss[slider_key(kid)] = to_percent(spec.target)
    ss[TARGETS_KEY] = {}
    ss[UNITS_KEY] = {}
    ss[APPLY_WIDGET] = False
    ss[APPLY_KEY] = False


def current_unit_target(plan: Plan, kid: str, unit: str | None) -> float:
    """The target a unit has now: the session's override, else the plan's unit target, else the
    KPI's (scenario) target."""
    ss = st.session_state
    units = ss.get(UNITS_KEY, {})
    if unit is not None and (kid, unit) in units:
        return units[(kid, unit)]
    spec = plan.kpis[kid]
    if unit is not None and unit in spec.units:
        return spec.units[unit]
    return ss.get(TARGETS_KEY, {}).get(kid, spec.target)


def on_unit_pick(plan: Plan) -> None:
    """KPI or unit chosen for an override: the percent shows that unit's current target."""
    ss = st.session_state
    ss[UNIT_PCT] = to_percent(current_unit_target(plan, ss[UNIT_KPI], ss.get(UNIT_NAME)))


def add_unit_override() -> None:
    ss = st.session_state
    kid, unit, pct = ss.get(UNIT_KPI), ss.get(UNIT_NAME), ss.get(UNIT_PCT)
    if not kid or not unit or pct is None:
        return
    units = dict(ss.get(UNITS_KEY, {}))
    units[(kid, unit)] = to_fraction(pct)
    ss[UNITS_KEY] = units
    ss[KPI_PICK] = kid


def remove_unit_override(kid: str, unit: str) -> None:
    ss = st.session_state
    units = dict(ss.get(UNITS_KEY, {}))
    units.pop((kid, unit), None)
    ss[UNITS_KEY] = units


def on_save_official(plan: Plan, scenario: Plan) -> None:
    """Confirm-button callback: save, then reset the inputs to the new official targets."""
    from data_access.auth import PermissionDenied
    from kpi.targets import TargetsError

    st.session_state["whatif_save_pending"] = False
    try:
        st.session_state["whatif_saved_message"] = save_official(plan, scenario)
    except (PermissionDenied, TargetsError, OSError) as exc:
        st.session_state["whatif_save_error"] = f"Không lưu được chỉ tiêu: {exc}"


def save_official(plan: Plan, scenario: Plan) -> str:
    """Write the scenario as the official targets file (the actor's role is checked by the writer)."""
    from data_access.targets_file import save_targets_file
    from kpi.targets import load_targets
    from ui import data

    path, current = data.targets_text()
    text = scenario_toml(scenario, current, data.catalog().units.match).decode("utf-8")
    load_targets(path, text=text, unit_resolver=data.catalog().units.match)  # refuse a broken file
    old = {k: {"target": s.target, "units": dict(s.units)} for k, s in plan.kpis.items()}
    new = {k: {"target": s.target, "units": dict(s.units)} for k, s in scenario.kpis.items()}
    keep = save_targets_file(st.session_state["_source"].engine, st.session_state["_actor"], path, text,
                             old_targets=old, new_targets=new)
    reset(scenario)
    return f"Đã lưu chỉ tiêu chính thức mới; bản cũ được giữ tại {keep.name}."
