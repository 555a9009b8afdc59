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
from ui.fmt import STATUS_LABELS
from ui.whatif_tables import pair_text
from vnfmt import fmt_int, fmt_number, fmt_pct, fmt_points

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


def _pair(fmt, base: object, scen: object) -> str:
    """A "plan → scenario" cell as the page shows it (one value when both read the same)."""
    return pair_text(base, scen, fmt)


def _status(base: str, scen: str) -> str:
    return pair_text(STATUS_LABELS[base], STATUS_LABELS[scen], str)


@pytest.fixture
def files(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, str | None]]:
    """(callable, file name) of every download the page offers (files are built when clicked)."""
    made: list[tuple[object, str | None]] = []
    add_deferred = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        made.append((data_callable, file_name))
        return add_deferred(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return made


def _excel_rows(content: bytes) -> list[dict[str, object]]:
    """The first table of an exported workbook, as {header: value} per row (below its title block)."""
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(content)).worksheets[0].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r and r[0] == "Chỉ tiêu")
    return [dict(zip(rows[head], r, strict=True)) for r in rows[head + 1 :] if r and r[0]]


def shown(element: object) -> pd.DataFrame:
    """A table's cells as the browser shows them (the Styler's text; the values underneath stay numbers)."""
    from streamlit import dataframe_util

    return dataframe_util.convert_arrow_bytes_to_pandas_df(element.proto.arrow_data.styler.display_values)  # type: ignore[attr-defined]


def test_opens_on_the_plan(at: AppTest) -> None:
    plan = _plan()
    for kid, spec in plan.kpis.items():
        assert at.text_input(key=f"target_{kid}").value == fmt_number(spec.target * 100)  # "90,0", not "90.0"
        slider = at.select_slider(key=f"slider_{kid}")
        assert slider.value == pytest.approx(spec.target * 100)
        assert fmt_pct(spec.target) in slider.options  # the bubble reads "90,0 %", not "90.0 %"
    assert not _insights(at)
    assert any("Chưa có giả định" in i.value for i in at.info)
    dept = _rows(at, "whatif_dept")
    assert [r["change"] for r in dept] == ["–"] * len(plan.kpis)
    assert at.button(key="whatif_reset").disabled


def test_target_change_equals_the_engine(at: AppTest, figures: pd.DataFrame, files: list) -> None:
    at.text_input(key="target_online_full").set_value("80").run()
    _ok(at)
    assert at.session_state["whatif_targets"] == {"online_full": 0.8}
    assert at.select_slider(key="slider_online_full").value == 80.0  # kept in step
    plan = _plan()
    scen = with_overrides(plan, {"online_full": 0.8})

    base_t = kpi_table(figures, plan, period=PERIOD).set_index("kpi")
    scen_t = kpi_table(figures, scen, period=PERIOD).set_index("kpi")
    dept = {r["label"]: r for r in _rows(at, "whatif_dept")}  # KPIs by their short labels
    for kid, spec in plan.kpis.items():
        row = dept[spec.short_label]
        assert row["value"] == fmt_pct(base_t.loc[kid, "value"])
        assert row["target"] == _pair(fmt_pct, base_t.loc[kid, "target"], scen_t.loc[kid, "target"])
        assert row["status"] == _status(base_t.loc[kid, "status"], scen_t.loc[kid, "status"])
        assert row["shortfall"] == _pair(fmt_int, base_t.loc[kid, "shortfall"], scen_t.loc[kid, "shortfall"])
    assert dept[plan.kpis["online_full"].short_label]["target"] == "90,0 % → 80,0 %"
    assert dept[plan.kpis["online_full"].short_label]["change"] != "–"  # the sample misses 90 % in Dec 2024

    # every column, the gaps too, stays in the Excel the page offers
    sheet = _excel_rows([m for m, name in files if name == f"gia-dinh-chi-tieu-{PERIOD}.xlsx"][-1]())
    excel = {r["Chỉ tiêu"]: r for r in sheet}
    for kid, spec in plan.kpis.items():
        assert excel[spec.label]["Chênh lệch (giả định)"] == pytest.approx(scen_t.loc[kid, "gap"] * 100), (
            kid
        )  # in points
        assert excel[spec.label]["Chênh lệch (kế hoạch)"] == pytest.approx(base_t.loc[kid, "gap"] * 100), kid
        assert excel[spec.label]["Còn thiếu (giả định)"] == scen_t.loc[kid, "shortfall"], kid

    # per unit (the chart and the table follow the KPI just changed), with the engine's ranks
    assert at.session_state["whatif_kpi"] == "online_full"
    tables = [rank(kpi_table(figures, p, period=PERIOD, by=["unit"])) for p in (plan, scen)]
    base_u, scen_u = (t[t["kpi"] == "online_full"].set_index("unit") for t in tables)
    shown = {r["unit"]: r for r in _rows(at, "whatif_units_table")}
    assert len(shown) == len(base_u)
    flips = 0
    for unit, b in base_u.iterrows():
        s, row = scen_u.loc[unit], shown[SHORTS.units.short(unit)]
        assert row["status"] == _status(b["status"], s["status"]), unit
        assert row["shortfall"] == _pair(fmt_int, b["shortfall"], s["shortfall"]), unit
        assert row["rank"] == _pair(fmt_int, b["rank"], s["rank"]), unit
        assert row["target"] == "90,0 % → 80,0 %" and row["value"] == fmt_pct(b["value"]), unit
        flips += b["status"] != s["status"]
    assert flips > 0, "80 % should change at least one unit's status on the sample data"

    text = _insights(at)
    assert (
        len(text) == 1 and "Với chỉ tiêu 80,0 % (kế hoạch 90,0 %) cho Hồ sơ trực tuyến toàn trình" in text[0]
    )
    assert "hồ sơ trực tuyến toàn trình" in text[0] and "Toàn Sở:" in text[0]
    assert len(at.get("plotly_chart")) == 1


def test_slider_moves_the_number_input(at: AppTest) -> None:
    at.select_slider(key="slider_online_payment").set_value(60.0).run()
    _ok(at)
    assert at.text_input(key="target_online_payment").value == "60,0"
    assert at.session_state["whatif_targets"] == {"online_payment": 0.6}
    # typing the plan's value again removes the KPI from the scenario
    at.text_input(key="target_online_payment").set_value("45").run()
    assert at.session_state["whatif_targets"] == {}
    assert at.select_slider(key="slider_online_payment").value == 45.0
    at.text_input(key="target_online_payment").set_value("60,3").run()  # between two steps
    assert at.session_state["whatif_targets"] == {"online_payment": 0.603}
    assert at.select_slider(key="slider_online_payment").value == 60.5  # the nearest step


def test_reset_restores_the_plan(at: AppTest) -> None:
    at.text_input(key="target_online_full").set_value("80").run()
    at.text_input(key="target_on_time").set_value("99").run()
    at.toggle(key="whatif_apply").set_value(True).run()
    assert at.session_state["whatif_apply_on"] is True
    at.button(key="whatif_reset").click().run()
    _ok(at)
    assert at.text_input(key="target_online_full").value == "90,0"
    assert at.select_slider(key="slider_on_time").value == 95.0
    assert at.session_state["whatif_targets"] == {} and at.session_state["whatif_units"] == {}
    assert at.toggle(key="whatif_apply").value is False and at.session_state["whatif_apply_on"] is False
    assert not _insights(at)
    assert [r["change"] for r in _rows(at, "whatif_dept")] == ["–"] * len(_plan().kpis)


def test_download_is_the_scenario_as_targets_toml(at: AppTest, files: list) -> None:
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
    assert at.text_input(key="whatif_u_pct").value == "45,0"  # the unit's current target, the Vietnamese way
    at.text_input(key="whatif_u_pct").set_value("70").run()
    assert at.text_input(key="whatif_u_pct").value == "70,0"
    at.button(key="whatif_u_add").click().run()
    _ok(at)
    assert at.session_state["whatif_units"] == {("online_payment", UNIT): 0.7}
    assert at.session_state["whatif_kpi"] == "online_payment"
    scen = with_overrides(_plan(), unit_targets={("online_payment", UNIT): 0.7})
    t = kpi_table(figures, scen, period=PERIOD, by=["unit"]).set_index(["unit", "kpi"])
    base = kpi_table(figures, _plan(), period=PERIOD, by=["unit"]).set_index(["unit", "kpi"])
    row = {r["unit"]: r for r in _rows(at, "whatif_units_table")}[SHORT]
    assert row["target"] == "45,0 % → 70,0 %"
    b, s = base.loc[(UNIT, "online_payment")], t.loc[(UNIT, "online_payment")]
    assert row["status"] == _status(b["status"], s["status"])
    assert row["shortfall"] == _pair(fmt_int, b["shortfall"], s["shortfall"])
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
    statuses = re.findall(r'data-status="(\w+)"', cards)  # the dossier KPIs' cards, then the procedure KPIs'
    assert statuses[: len(scen_table)] == scen_table["status"].tolist()  # the scenario's statuses
    assert len(statuses) == len(scen_table) + len(scen.procedure_kpis)
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
    assert at.select_slider(key="slider_online_full").value == 80.0
    assert at.toggle(key="whatif_apply").value is True
    at.toggle(key="whatif_apply").set_value(False).run()
    at.switch_page("pages/overview.py").run()
    _ok(at)
    assert not any("giả định" in w.value for w in at.warning)
    plan_row = kpi_table(figures, _plan(), period=PERIOD).set_index("kpi").loc["online_full"]
    assert f"Chỉ tiêu 90,0 % · Chênh lệch {fmt_points(plan_row['gap'])}" in " ".join(
        h.proto.body for h in at.html
    )


def test_sidebar_unit_and_year_to_date(at: AppTest, figures: pd.DataFrame) -> None:
    at.sidebar.selectbox(key="f_unit").set_value(UNIT).run()
    at.sidebar.segmented_control(key="f_kind").set_value("ytd").run()
    at.text_input(key="target_online_payment").set_value("70").run()
    _ok(at)
    scen = with_overrides(_plan(), {"online_payment": 0.7})
    scope = figures[figures["unit"] == UNIT]
    t = kpi_table(scope, scen, period=PERIOD, ytd=True, by=["unit"]).set_index("kpi")
    base = kpi_table(scope, _plan(), period=PERIOD, ytd=True, by=["unit"]).set_index("kpi")
    head = {r["label"]: r for r in _rows(at, "whatif_dept")}  # the headline is the unit chosen
    for kid, spec in _plan().kpis.items():
        assert head[spec.short_label]["status"] == _status(base.loc[kid, "status"], t.loc[kid, "status"])
        assert head[spec.short_label]["shortfall"] == _pair(
            fmt_int, base.loc[kid, "shortfall"], t.loc[kid, "shortfall"]
        )
    assert f"**{SHORT}** – Lũy kế đến Tháng 12/2024" in [m.value for m in at.markdown]
    assert f"{SHORT}:" in _insights(at)[0]
    # the per-unit table still ranks every unit (year to date)
    all_units = kpi_table(figures, scen, period=PERIOD, ytd=True, by=["unit"])
    assert len(_rows(at, "whatif_units_table")) == all_units["unit"].nunique()


@pytest.mark.parametrize(
    ("typed", "shown", "pct"),
    [("85,5", "85,5", 85.5), ("85.5", "85,5", 85.5), ("85,5 %", "85,5", 85.5), (" 70 ", "70,0", 70.0)],
)
def test_a_target_typed_the_vietnamese_way_is_applied(
    at: AppTest, typed: str, shown: str, pct: float
) -> None:
    at.text_input(key="target_online_full").set_value(typed).run()
    _ok(at)
    assert at.text_input(key="target_online_full").value == shown
    assert at.select_slider(key="slider_online_full").value == pct
    assert at.session_state["whatif_targets"] == {"online_full": pct / 100}


@pytest.mark.parametrize(
    ("typed", "words"),
    [("abc", "không phải là một số"), ("120", "ngoài khoảng 0–100 %"), ("-5", "ngoài khoảng 0–100 %")],
)
def test_a_bad_target_is_refused_in_vietnamese_and_the_previous_one_kept(
    at: AppTest, typed: str, words: str
) -> None:
    at.text_input(key="target_online_full").set_value("80").run()
    at.text_input(key="target_online_full").set_value(typed).run()
    _ok(at)
    assert at.text_input(key="target_online_full").value == "80,0"
    assert at.select_slider(key="slider_online_full").value == 80.0
    assert at.session_state["whatif_targets"] == {"online_full": 0.8}
    message = " ".join(c.value for c in at.caption)
    assert words in message and "giữ 80,0 %" in message, message
    at.text_input(key="target_online_full").set_value("85").run()  # a good value clears the message
    assert "giữ 80,0 %" not in " ".join(c.value for c in at.caption)


def test_headers_spell_out_plan_and_scenario(at: AppTest) -> None:
    import json

    from ui.table_view import LAPTOP_WIDTH
    from ui.whatif_tables import DEPARTMENT_COLUMNS, SCREEN_COLUMNS, UNIT_COLUMNS

    headers = " ".join(
        [*DEPARTMENT_COLUMNS.values(), *UNIT_COLUMNS.values(), *(c.header for c in SCREEN_COLUMNS.values())]
    )
    assert "KH" not in headers.split() and "GĐ" not in headers.split()
    assert "Còn thiếu (kế hoạch)" in headers and "Còn thiếu (giả định)" in headers  # the Excel's headers
    assert any("A theo kế hoạch, B theo giả định" in c.value for c in at.caption)  # how "A → B" reads
    frame = at.dataframe[0].value  # numbers stay numbers underneath (a header click sorts them as numbers)
    assert frame["shortfall"].dtype.kind == "f" and frame["target"].dtype.kind == "f"
    for table in at.dataframe:  # the columns fit a laptop's page: no sideways scrolling
        config = {k: c for k, c in json.loads(table.proto.columns).items() if not k.startswith("_")}
        widths = [c.get("width") for c in config.values()]
        assert all(widths) and sum(widths) <= LAPTOP_WIDTH, config


@pytest.mark.parametrize(
    ("typed", "words"), [("abc", "không phải là một số"), ("101", "ngoài khoảng 0–100 %")]
)
def test_a_bad_unit_target_is_refused_in_vietnamese_and_the_previous_one_kept(
    at: AppTest, typed: str, words: str
) -> None:
    at.selectbox(key="whatif_u_kpi").set_value("online_payment").run()
    at.selectbox(key="whatif_u_unit").set_value(UNIT).run()
    at.text_input(key="whatif_u_pct").set_value("60,5").run()
    at.text_input(key="whatif_u_pct").set_value(typed).run()
    _ok(at)
    assert at.text_input(key="whatif_u_pct").value == "60,5"
    message = " ".join(c.value for c in at.caption)
    assert words in message and "giữ 60,5 %" in message, message
    at.button(key="whatif_u_add").click().run()  # the value kept is the one added
    assert at.session_state["whatif_units"] == {("online_payment", UNIT): 0.605}
    assert "giữ 60,5 %" not in " ".join(c.value for c in at.caption)
