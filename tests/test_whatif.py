"""What-if comparison (kpi.whatif) and the page's pure view helpers (ui.whatif_view), by hand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pandas as pd
import pytest

from kpi.engine import add_totals, kpi_table, rank
from kpi.targets import DEFAULT_TARGETS_FILE, KpiSpec, load_targets, with_overrides
from kpi.whatif import aggregate_scope, compare, judge, judge_both, kpi_changes, with_rank
from sample_data.generate import make_rows
from ui import whatif_view as wv

PLAN = load_targets(
    text="""
[plan]
name = "KH thử"
year = 2024
near = 0.05

[kpi.online_full]
label = "Hồ sơ trực tuyến toàn trình"
numerator = ["received_online_full"]
denominator = ["received_new"]
target = 0.90
noun = "hồ sơ trực tuyến toàn trình"

[kpi.online_payment]
label = "Thanh toán trực tuyến"
numerator = ["payments_online"]
denominator = ["payments_total"]
target = 0.45
noun = "giao dịch thanh toán trực tuyến"
"""
)
A, B, C, D = "Phòng A", "Phòng B", "Phòng C", "Phòng D"
PERIOD = "2024-06"


def frame(rows: Sequence[tuple[str, int | None, int | None]]) -> pd.DataFrame:
    """One row per unit in June 2024: (unit, online-full, new dossiers); payments 10/20 everywhere."""
    return pd.DataFrame(
        {
            "period": PERIOD,
            "unit": [r[0] for r in rows],
            "field": "Thi, tuyển sinh",
            "procedure_code": pd.Series([None] * len(rows), dtype=object),
            "procedure_name": None,
            "received_online_full": pd.array([r[1] for r in rows], dtype="Int64"),
            "received_new": pd.array([r[2] for r in rows], dtype="Int64"),
            "payments_online": pd.array([10] * len(rows), dtype="Int64"),
            "payments_total": pd.array([20] * len(rows), dtype="Int64"),
        }
    )


# A 95/100 (met, exactly 95 % at the scenario), B 92/100 (met → near), C 60/80 (below, 12 → 16),
# D nothing received (no data). Department: 247/280 = 88,2 %.
FIG = frame([(A, 95, 100), (B, 92, 100), (C, 60, 80), (D, 0, 0)])
SCEN = with_overrides(PLAN, {"online_full": 0.95})


def _cmp(plan=SCEN, by=("unit",)):
    agg = aggregate_scope(FIG, PLAN, period=PERIOD, by=by)
    return compare(*judge_both(agg, PLAN, plan, period=PERIOD), by=by)


def test_judge_both_is_kpi_table_twice() -> None:
    for by in ((), ("unit",)):
        agg = aggregate_scope(FIG, PLAN, period=PERIOD, by=by)
        base, scen = judge_both(agg, PLAN, SCEN, period=PERIOD)
        pd.testing.assert_frame_equal(base, kpi_table(FIG, PLAN, period=PERIOD, by=by))
        pd.testing.assert_frame_equal(scen, kpi_table(FIG, SCEN, period=PERIOD, by=by))


def test_judge_both_on_generated_data_month_and_ytd() -> None:
    figs = add_totals(make_rows(2024, 2024))
    plan = load_targets(DEFAULT_TARGETS_FILE)
    scen = with_overrides(plan, {"online_full": 0.8, "online_payment": 0.6}, {("on_time", A): 0.99})
    for ytd in (False, True):
        agg = aggregate_scope(figs, plan, period="2024-09", ytd=ytd, by=("unit",))
        base, sc = judge_both(agg, plan, scen, period="2024-09")
        pd.testing.assert_frame_equal(base, kpi_table(figs, plan, period="2024-09", ytd=ytd, by=["unit"]))
        pd.testing.assert_frame_equal(sc, kpi_table(figs, scen, period="2024-09", ytd=ytd, by=["unit"]))


def test_raising_the_target_flips_statuses_and_shortfalls_exactly() -> None:
    cmp = _cmp().set_index(["unit", "kpi"])
    of = cmp.xs("online_full", level="kpi")
    assert of["status_base"].to_dict() == {A: "met", B: "met", C: "below", D: "no_data"}
    assert of["status_scen"].to_dict() == {A: "met", B: "near", C: "below", D: "no_data"}
    assert of["shortfall_base"].tolist()[:3] == [0, 0, 12]  # C: ⌈0,90 × 80 − 60⌉
    assert of["shortfall_scen"].tolist()[:3] == [0, 3, 16]  # B: 95 − 92; C: 76 − 60
    assert of.loc[D, "shortfall_base"] is pd.NA and of.loc[D, "shortfall_delta"] is pd.NA
    assert of["shortfall_delta"].tolist()[:3] == [0, 3, 4]
    assert of["target_base"].tolist() == [0.90] * 4 and of["target_scen"].tolist() == [0.95] * 4
    assert of["gap_scen"].round(4).tolist()[:3] == [0.0, -0.03, -0.2]
    # rank 1 = most dossiers short; ties by lower gap (B 0,92 before A 0,95); no data last
    assert of["rank_base"].to_dict() == {A: 3, B: 2, C: 1, D: 4}
    assert of["rank_scen"].to_dict() == {A: 3, B: 2, C: 1, D: 4}
    assert of["direction"].to_dict() == {A: "same", B: "worse", C: "worse", D: "same"}
    assert of["status_changed"].to_dict() == {A: False, B: True, C: False, D: False}
    assert of["changed"].all()  # the target changed everywhere
    pay = cmp.xs("online_payment", level="kpi")
    assert not pay["changed"].any() and (pay["direction"] == "same").all()


def test_with_rank_is_the_engine_rank_in_table_order() -> None:
    table = kpi_table(FIG, SCEN, period=PERIOD, by=["unit"])
    ranked = with_rank(table, ("unit",))
    pd.testing.assert_frame_equal(ranked.drop(columns="rank"), table)
    engine = rank(table).set_index(["unit", "kpi"])["rank"]
    assert ranked.set_index(["unit", "kpi"])["rank"].to_dict() == engine.to_dict()
    assert with_rank(kpi_table(FIG, SCEN, period=PERIOD))["rank"].isna().all()
    # tables judged (and ranked) once, as the page does, compare the same as plain tables
    agg = aggregate_scope(FIG, PLAN, period=PERIOD, by=("unit",))
    pre = compare(
        judge(agg, PLAN, period=PERIOD, by=("unit",)),
        judge(agg, SCEN, period=PERIOD, by=("unit",)),
        by=("unit",),
    )
    pd.testing.assert_frame_equal(pre, _cmp())
    # rows in another order are matched by group
    shuffled = kpi_table(FIG, SCEN, period=PERIOD, by=["unit"]).iloc[::-1]
    pd.testing.assert_frame_equal(
        compare(kpi_table(FIG, PLAN, period=PERIOD, by=["unit"]), shuffled, by=("unit",)), _cmp()
    )


def test_department_compare_has_no_rank() -> None:
    cmp = _cmp(by=()).set_index("kpi")
    row = cmp.loc["online_full"]
    assert (row["numerator"], row["denominator"]) == (247, 280)
    assert (row["status_base"], row["status_scen"]) == ("near", "below")  # 88,2 % vs 85 % / 90 %
    assert (row["shortfall_base"], row["shortfall_scen"]) == (5, 19)  # 252 − 247; 266 − 247
    assert row["rank_base"] is pd.NA


def test_kpi_changes_counts_units_and_sums_shortfall() -> None:
    change = kpi_changes(_cmp(), ["online_full"])["online_full"]
    assert (change.groups, change.met_to_near, change.met_to_below, change.near_to_below) == (3, 1, 0, 0)
    assert (change.newly_missed, change.to_met, change.below_to_near) == (1, 0, 0)
    assert (change.shortfall_base, change.shortfall_scen, change.extra_shortfall) == (12, 19, 7)
    assert set(kpi_changes(_cmp())) == {"online_full", "online_payment"}


def test_lowering_the_target_and_unit_overrides() -> None:
    scen = with_overrides(PLAN, {"online_full": 0.75}, {("online_full", C): 0.70})
    cmp = _cmp(scen).set_index(["unit", "kpi"]).xs("online_full", level="kpi")
    assert cmp["status_scen"].to_dict() == {A: "met", B: "met", C: "met", D: "no_data"}
    assert cmp.loc[C, "target_scen"] == 0.70 and cmp.loc[C, "shortfall_delta"] == -12
    change = kpi_changes(_cmp(scen))["online_full"]
    assert (change.to_met, change.extra_shortfall) == (1, -12)
    # a unit override alone leaves the department (by=()) as it was
    dept = _cmp(with_overrides(PLAN, unit_targets={("online_full", C): 0.70}), by=()).set_index("kpi")
    assert not dept.loc["online_full", "changed"]


def test_scenario_may_not_change_what_is_counted() -> None:
    other = replace(
        PLAN,
        kpis={
            **PLAN.kpis,
            "online_full": replace(PLAN.kpis["online_full"], denominator=("received_online",)),
        },
    )
    agg = aggregate_scope(FIG, PLAN, period=PERIOD)
    with pytest.raises(ValueError, match="targets only"):
        judge_both(agg, PLAN, other, period=PERIOD)


def test_summary_sentence_names_the_moves_and_the_extra_dossiers() -> None:
    by_unit, dept = _cmp(), _cmp(by=())
    change = kpi_changes(by_unit)["online_full"]
    phrase = wv.scenario_phrase("Hồ sơ trực tuyến toàn trình", plan_target=0.90, new_target=0.95)
    head = dept[dept["kpi"] == "online_full"].iloc[0].to_dict()
    text = wv.summary_sentence(
        phrase, change, noun=wv.noun_for(PLAN.kpis["online_full"]), head_name="Toàn Sở", head=head
    )
    assert text == (
        "Với chỉ tiêu 95,0 % (kế hoạch 90,0 %) cho Hồ sơ trực tuyến toàn trình: thêm 1 đơn vị không còn "
        "đạt (1 gần đạt); cần thêm 7 hồ sơ trực tuyến toàn trình (cộng phần còn thiếu của các đơn vị). "
        "Toàn Sở: Gần đạt → Chưa đạt, còn thiếu 5 → 19 hồ sơ trực tuyến toàn trình."
    )
    lower = with_overrides(PLAN, {"online_full": 0.75})
    change = kpi_changes(_cmp(lower))["online_full"]
    head = _cmp(lower, by=()).iloc[0].to_dict()
    text = wv.summary_sentence(
        wv.scenario_phrase("X", plan_target=0.9, new_target=0.75),
        change,
        noun="hồ sơ",
        head_name="Toàn Sở",
        head=head,
    )
    assert "thêm 1 đơn vị đạt" in text and "bớt 12 hồ sơ phải bổ sung" in text
    assert text.endswith("Toàn Sở: Gần đạt → Đạt, còn thiếu 5 → 0 hồ sơ.")


def test_phrases_nouns_and_change_text() -> None:
    assert wv.scenario_phrase("Y", plan_target=0.45, new_target=None, unit_targets={"Phòng GDTrH": 0.6}) == (
        "Với chỉ tiêu riêng Phòng GDTrH 60,0 % cho Y"
    )
    assert "chỉ tiêu riêng của 3 đơn vị" in wv.scenario_phrase(
        "Y", plan_target=0.45, new_target=0.5, unit_targets={"a": 0.1, "b": 0.2, "c": 0.3}
    )
    pay = PLAN.kpis["online_payment"]
    assert wv.noun_for(pay) == "giao dịch thanh toán trực tuyến"
    assert wv.noun_for(replace(pay, id="new_kpi")) == "giao dịch thanh toán trực tuyến"  # its noun key
    assert wv.noun_for(KpiSpec("new_kpi", "K", ("resolved_early",), ("resolved",), 0.9)) == "hồ sơ"  # default
    rows = _cmp().set_index(["unit", "kpi"]).xs("online_full", level="kpi")
    texts = [wv.change_text(r) for r in rows.reset_index().to_dict("records")]
    assert texts == ["vẫn đạt", "Đạt → Gần đạt · ↑ thiếu +3", "↑ thiếu +4", "–"]


def test_views_format_in_vietnamese() -> None:
    dept = wv.department_view(_cmp(by=()))
    assert list(dept.columns) == list(wv.DEPARTMENT_COLUMNS)
    assert dept.iloc[0].to_dict() == {
        "label": "Hồ sơ trực tuyến toàn trình",
        "value": "88,2 %",
        "target_base": "90,0 %",
        "target_scen": "95,0 %",
        "status_base": "Gần đạt",
        "status_scen": "Chưa đạt",
        "gap_base": "-1,8 điểm %",
        "gap_scen": "-6,8 điểm %",
        "shortfall_base": "5",
        "shortfall_scen": "19",
        "change": "Gần đạt → Chưa đạt · ↑ thiếu +14",
    }
    cmp = _cmp()
    rows = wv.unit_rows(cmp, "online_full")
    assert rows["unit"].tolist() == [C, B, A, D]  # worst first under the scenario
    assert wv.unit_rows(cmp, "online_full", changed_only=True)["unit"].tolist() == [C, B]
    view = wv.unit_view(rows, {C: "P. C"})
    assert view["unit"].tolist() == ["P. C", B, A, D]
    assert view[["rank_base", "rank_scen"]].iloc[1].tolist() == ["2", "2"]
    styled = wv.style_view(view, rows)
    css = styled._compute().ctx  # (row, col) -> [(prop, value)]
    col = list(view.columns).index("status_scen")
    assert ("font-weight", "bold") in css[(1, col)]  # B changed status
    assert ("color", "#c62828") in css[(0, list(view.columns).index("change"))]  # C worse


def test_percent_inputs_round_trip() -> None:
    assert wv.to_fraction(90.5) == 0.905 and wv.to_fraction(33.3) == 0.333
    assert wv.to_percent(0.905) == 90.5 and wv.to_percent(0.45) == 45.0


def test_scenario_toml_round_trips_and_keeps_comments() -> None:
    text = DEFAULT_TARGETS_FILE.read_text(encoding="utf-8")
    plan = load_targets(DEFAULT_TARGETS_FILE)
    scen = with_overrides(
        plan,
        {"online_full": 0.8, "online_payment": 0.605},
        {("online_full", "Phòng Giáo dục Trung học"): 0.95},
    )
    out = wv.scenario_toml(scen, text).decode("utf-8")
    assert load_targets(text=out) == scen
    assert "# Chỉ tiêu KPI của bảng điều khiển DVCTT" in out and "target = 0.80" in out
    assert list(load_targets(text=out).kpis) == list(plan.kpis)
    assert wv.scenario_toml(plan, text).decode("utf-8") == text  # nothing changed: the same file


def test_screen_pairs_show_plan_and_scenario_and_sort_by_the_scenario() -> None:
    cmp = pd.DataFrame(
        {
            "kpi": ["a", "b"],
            "label": ["A dài", "B dài"],
            "value": [0.5, None],
            "target_base": [0.9, 0.9],
            "target_scen": [0.8, 0.9],
            "status_base": ["below", "no_data"],
            "status_scen": ["met", "no_data"],
            "shortfall_base": pd.array([12, None], dtype="Int64"),
            "shortfall_scen": pd.array([0, None], dtype="Int64"),
            "shortfall_delta": pd.array([-12, None], dtype="Int64"),
            "target_changed": [True, False],
        }
    )
    values, texts = wv.screen_frame(cmp, wv.DEPARTMENT_SCREEN, names={"a": "A"})
    assert values["label"].tolist() == ["A", "B dài"]
    assert values["shortfall"].tolist()[0] == 0 and values["target"].tolist() == [0.8, 0.9]  # the scenario's
    assert texts.to_dict("records") == [
        {"target": "90,0 % → 80,0 %", "status": "Chưa đạt → Đạt", "shortfall": "12 → 0"},
        {"target": "90,0 %", "status": "Chưa có số liệu", "shortfall": "–"},
    ]
    assert values["change"].tolist() == ["Chưa đạt → Đạt · ↓ thiếu -12", "–"]
