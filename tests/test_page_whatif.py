"""AppTest runs of the what-if page on the sample data: what it shows equals the engine's tables."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from data_access.catalog import load_catalog
from data_access.store import load_figures, open_engine
from kpi.engine import kpi_table, rank
from kpi.targets import load_targets, with_overrides
from tests.helpers import ROOT, run_app
from ui.fmt import STATUS_LABELS, fmt_int, fmt_number, fmt_pct, fmt_points

PERIOD = "2024-12"  # the latest month of the sample data, the page's default
UNIT = "Phòng Giáo dục Trung học"
SHORT = "Phòng GDTrH"
SHORTS = load_catalog()


@pytest.fixture
def at(sample_db_url: str, app_env: pytest.MonkeyPatch) -> AppTest:
    return run_app(sample_db_url, app_env, "pages/whatif.py")


@pytest.fixture
def figures(sample_db_url: str) -> pd.DataFrame:
    return load_figures(open_engine(sample_db_url))


def _plan():
    return load_targets(ROOT / "targets.toml")


def _ok(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def _insights(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith(":material/insights:")]


def _rows(at: AppTest, key: str) -> list[dict[str, str]]:
    """The rows of the department table (first) or the per-unit table (second), as shown."""
    index = {"whatif_dept": 0, "whatif_units_table": 1}[key]
    return shown(at.dataframe[index]).to_dict("records")


def shown(element: object) -> pd.DataFrame:
    """A table's cells as the browser shows them (the Styler's text; the values underneath stay numbers)."""
    from streamlit import dataframe_util

    return dataframe_util.convert_arrow_bytes_to_pandas_df(
        element.proto.arrow_data.styler.display_values)  # type: ignore[attr-defined]


def test_opens_on_the_plan(at: AppTest) -> None:
    plan = _plan()
    for kid, spec in plan.kpis.items():
        assert at.text_input(key=f"target_{kid}").value == fmt_number(spec.target * 100)  # "90,0", not "90.0"
        assert at.slider(key=f"slider_{kid}").value == pytest.approx(spec.target * 100)
    assert not _insights(at)
    assert any("Chưa có giả định" in i.value for i in at.info)
    dept = _rows(at, "whatif_dept")
    assert [r["change"] for r in dept] == ["–"] * len(plan.kpis)
    assert at.button(key="whatif_reset").disabled


def test_target_change_equals_the_engine(at: AppTest, figures: pd.DataFrame) -> None:
    at.text_input(key="target_online_full").set_value("80").run()
    _ok(at)
    assert at.session_state["whatif_targets"] == {"online_full": 0.8}
    assert at.slider(key="slider_online_full").value == 80.0  # kept in step
    plan = _plan()
    scen = with_overrides(plan, {"online_full": 0.8})

    base_t = kpi_table(figures, plan, period=PERIOD).set_index("kpi")
    scen_t = kpi_table(figures, scen, period=PERIOD).set_index("kpi")
    dept = {r["label"]: r for r in _rows(at, "whatif_dept")}
    for kid, spec in plan.kpis.items():
        row = dept[spec.label]
        assert row["target_scen"] == fmt_pct(scen_t.loc[kid, "target"])
        assert row["status_base"] == STATUS_LABELS[base_t.loc[kid, "status"]]
        assert row["status_scen"] == STATUS_LABELS[scen_t.loc[kid, "status"]]
        assert row["gap_scen"] == fmt_points(scen_t.loc[kid, "gap"])
        assert row["shortfall_base"] == fmt_int(base_t.loc[kid, "shortfall"])
        assert row["shortfall_scen"] == fmt_int(scen_t.loc[kid, "shortfall"])
    assert dept[plan.kpis["online_full"].label]["change"] != "–"  # the sample misses 90 % in Dec 2024

    # per unit (the chart and the table follow the KPI just changed), with the engine's ranks
    assert at.session_state["whatif_kpi"] == "online_full"
    engine_rows: dict[str, dict[str, str]] = {}
    for tag, p in (("base", plan), ("scen", scen)):
        t = rank(kpi_table(figures, p, period=PERIOD, by=["unit"]))
        for r in t[t["kpi"] == "online_full"].itertuples():
            engine_rows.setdefault(r.unit, {}).update({
                f"status_{tag}": STATUS_LABELS[r.status], f"shortfall_{tag}": fmt_int(r.shortfall),
                f"rank_{tag}": fmt_int(r.rank), f"target_{tag}": fmt_pct(r.target),
            })
    shown = {r["unit"]: r for r in _rows(at, "whatif_units_table")}
    assert len(shown) == len(engine_rows)
    flips = 0
    for unit, expected in engine_rows.items():
        row = shown[SHORTS.units.short(unit)]
        for key, value in expected.items():
            assert row[key] == value, (unit, key)
        flips += expected["status_base"] != expected["status_scen"]
    assert flips > 0, "80 % should change at least one unit's status on the sample data"

    text = _insights(at)
    assert len(text) == 1 and "Với chỉ tiêu 80,0 % (kế hoạch 90,0 %) cho Hồ sơ trực tuyến toàn trình" in text[0]
    assert "hồ sơ trực tuyến toàn trình" in text[0] and "Toàn Sở:" in text[0]
    assert len(at.get("plotly_chart")) == 1


def test_slider_moves_the_number_input(at: AppTest) -> None:
    at.slider(key="slider_online_payment").set_value(60.0).run()
    _ok(at)
    assert at.text_input(key="target_online_payment").value == "60,0"
    assert at.session_state["whatif_targets"] == {"online_payment": 0.6}
    # typing the plan's value again removes the KPI from the scenario
    at.text_input(key="target_online_payment").set_value("45").run()
    assert at.session_state["whatif_targets"] == {}
    assert at.slider(key="slider_online_payment").value == 45.0


def test_reset_restores_the_plan(at: AppTest) -> None:
    at.text_input(key="target_online_full").set_value("80").run()
    at.text_input(key="target_on_time").set_value("99").run()
    at.toggle(key="whatif_apply").set_value(True).run()
    assert at.session_state["whatif_apply_on"] is True
    at.button(key="whatif_reset").click().run()
    _ok(at)
    assert at.text_input(key="target_online_full").value == "90,0"
    assert at.slider(key="slider_on_time").value == 95.0
    assert at.session_state["whatif_targets"] == {} and at.session_state["whatif_units"] == {}
    assert at.toggle(key="whatif_apply").value is False and at.session_state["whatif_apply_on"] is False
    assert not _insights(at)
    assert [r["change"] for r in _rows(at, "whatif_dept")] == ["–"] * 8


def test_download_is_the_scenario_as_targets_toml(at: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    # the page hands st.download_button a callable (the file is built when clicked): catch it
    files: list[tuple[object, str | None]] = []
    add_deferred = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        files.append((data_callable, file_name))
        return add_deferred(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    at.text_input(key="target_online_full").set_value("80").run()
    at.text_input(key="target_online_payment").set_value("60,5").run()
    _ok(at)
    makers = [d for d, name in files if name == "targets-gia-dinh.toml"]
    assert makers, "the page offers targets-gia-dinh.toml"
    text = makers[-1]().decode("utf-8")
    expected = with_overrides(_plan(), {"online_full": 0.8, "online_payment": 0.605})
    assert load_targets(text=text) == expected
    assert text.startswith("# Chỉ tiêu KPI") and "target = 0.80" in text and "target = 0.605" in text
    assert any("không tự ghi" in c.value for c in at.caption)  # no save offered (demo mode), said plainly


def test_unit_override_add_and_remove(at: AppTest, figures: pd.DataFrame) -> None:
    at.selectbox(key="whatif_u_kpi").set_value("online_payment").run()
    at.selectbox(key="whatif_u_unit").set_value(UNIT).run()
    assert at.number_input(key="whatif_u_pct").value == 45.0  # the unit's current target
    at.number_input(key="whatif_u_pct").set_value(70).run()
    at.button(key="whatif_u_add").click().run()
    _ok(at)
    assert at.session_state["whatif_units"] == {("online_payment", UNIT): 0.7}
    assert at.session_state["whatif_kpi"] == "online_payment"
    scen = with_overrides(_plan(), unit_targets={("online_payment", UNIT): 0.7})
    t = kpi_table(figures, scen, period=PERIOD, by=["unit"]).set_index(["unit", "kpi"])
    row = {r["unit"]: r for r in _rows(at, "whatif_units_table")}[SHORT]
    assert row["target_scen"] == "70,0 %"
    assert row["status_scen"] == STATUS_LABELS[t.loc[(UNIT, "online_payment"), "status"]]
    assert row["shortfall_scen"] == fmt_int(t.loc[(UNIT, "online_payment"), "shortfall"])
    assert "chỉ tiêu riêng Phòng GDTrH 70,0 %" in _insights(at)[0]
    at.button(key="whatif_u_del_0").click().run()
    _ok(at)
    assert at.session_state["whatif_units"] == {}
    assert not _insights(at)


def test_apply_switch_reaches_the_other_pages(at: AppTest, figures: pd.DataFrame) -> None:
    at.text_input(key="target_online_full").set_value("80").run()
    at.toggle(key="whatif_apply").set_value(True).run()
    _ok(at)
    assert at.session_state["whatif_apply_on"] is True

    at.switch_page("pages/overview.py").run()
    _ok(at)
    assert any("giả định" in w.value for w in at.warning), [w.value for w in at.warning]
    scen = with_overrides(_plan(), {"online_full": 0.8})
    scen_table = kpi_table(figures, scen, period=PERIOD)
    cards = " ".join(h.proto.body for h in at.html)  # every card is in one HTML element, in plan order
    assert re.findall(r'data-status="(\w+)"', cards) == scen_table["status"].tolist()  # the scenario's statuses
    assert STATUS_LABELS[scen_table.set_index("kpi").loc["online_full", "status"]] == "Đạt"  # 80,6 % ≥ 80 %
    for r in scen_table.itertuples():  # every card: the scenario's target
        assert f"Chỉ tiêu {fmt_pct(r.target)} · Chênh lệch {fmt_points(r.gap)}" in cards, r.kpi
    assert "Chỉ tiêu 80,0 %" in cards
    # the same on every run of the other page (the widget's own state is gone by now)
    at.run()
    assert any("giả định" in w.value for w in at.warning)

    # back on the what-if page: the inputs come back from the scenario, the switch stays on
    at.switch_page("pages/whatif.py").run()
    _ok(at)
    assert at.text_input(key="target_online_full").value == "80,0"
    assert at.slider(key="slider_online_full").value == 80.0
    assert at.toggle(key="whatif_apply").value is True
    at.toggle(key="whatif_apply").set_value(False).run()
    at.switch_page("pages/overview.py").run()
    _ok(at)
    assert not any("giả định" in w.value for w in at.warning)
    plan_row = kpi_table(figures, _plan(), period=PERIOD).set_index("kpi").loc["online_full"]
    assert f"Chỉ tiêu 90,0 % · Chênh lệch {fmt_points(plan_row['gap'])}" in " ".join(h.proto.body for h in at.html)


def test_sidebar_unit_and_year_to_date(at: AppTest, figures: pd.DataFrame) -> None:
    at.sidebar.selectbox(key="f_unit").set_value(UNIT).run()
    at.sidebar.segmented_control(key="f_mode").set_value("ytd").run()
    at.text_input(key="target_online_payment").set_value("70").run()
    _ok(at)
    scen = with_overrides(_plan(), {"online_payment": 0.7})
    scope = figures[figures["unit"] == UNIT]
    t = kpi_table(scope, scen, period=PERIOD, ytd=True, by=["unit"]).set_index("kpi")
    base = kpi_table(scope, _plan(), period=PERIOD, ytd=True, by=["unit"]).set_index("kpi")
    head = {r["label"]: r for r in _rows(at, "whatif_dept")}  # the headline is the unit chosen
    for kid, spec in _plan().kpis.items():
        assert head[spec.label]["status_scen"] == STATUS_LABELS[t.loc[kid, "status"]]
        assert head[spec.label]["shortfall_scen"] == fmt_int(t.loc[kid, "shortfall"])
        assert head[spec.label]["shortfall_base"] == fmt_int(base.loc[kid, "shortfall"])
    assert f"**{SHORT}** – Lũy kế tháng 1–12/2024" in [m.value for m in at.markdown]
    assert f"{SHORT}:" in _insights(at)[0]
    # the per-unit table still ranks every unit (year to date)
    all_units = kpi_table(figures, scen, period=PERIOD, ytd=True, by=["unit"])
    assert len(_rows(at, "whatif_units_table")) == all_units["unit"].nunique()


@pytest.mark.parametrize(("typed", "shown", "pct"), [("85,5", "85,5", 85.5), ("85.5", "85,5", 85.5),
                                                    ("85,5 %", "85,5", 85.5), (" 70 ", "70,0", 70.0)])
def test_a_target_typed_the_vietnamese_way_is_applied(at: AppTest, typed: str, shown: str, pct: float) -> None:
    at.text_input(key="target_online_full").set_value(typed).run()
    _ok(at)
    assert at.text_input(key="target_online_full").value == shown
    assert at.slider(key="slider_online_full").value == pct
    assert at.session_state["whatif_targets"] == {"online_full": pct / 100}


@pytest.mark.parametrize(("typed", "words"), [("abc", "không phải là một số"), ("120", "ngoài khoảng 0–100 %"),
                                              ("-5", "ngoài khoảng 0–100 %")])
def test_a_bad_target_is_refused_in_vietnamese_and_the_previous_one_kept(at: AppTest, typed: str,
                                                                         words: str) -> None:
    at.text_input(key="target_online_full").set_value("80").run()
    at.text_input(key="target_online_full").set_value(typed).run()
    _ok(at)
    assert at.text_input(key="target_online_full").value == "80,0"
    assert at.slider(key="slider_online_full").value == 80.0
    assert at.session_state["whatif_targets"] == {"online_full": 0.8}
    message = " ".join(c.value for c in at.caption)
    assert words in message and "giữ 80,0 %" in message, message
    at.text_input(key="target_online_full").set_value("85").run()  # a good value clears the message
    assert "giữ 80,0 %" not in " ".join(c.value for c in at.caption)


def test_headers_spell_out_plan_and_scenario(at: AppTest) -> None:
    from ui.whatif_tables import DEPARTMENT_COLUMNS, UNIT_COLUMNS

    headers = " ".join([*DEPARTMENT_COLUMNS.values(), *UNIT_COLUMNS.values()])
    assert "KH" not in headers.split() and "GĐ" not in headers.split()
    assert "Còn thiếu (kế hoạch)" in headers and "Còn thiếu (giả định)" in headers
    frame = at.dataframe[0].value  # numbers stay numbers underneath (a header click sorts them as numbers)
    assert frame["shortfall_scen"].dtype.kind == "f" and frame["target_base"].dtype.kind == "f"
