"""AppTest runs of the directors' pages on the sample data and on an empty database."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data_access.auth import DEMO_ACTOR
from data_access.procedure_figures import catalog_lookup
from data_access.store import load_figures, open_engine
from kpi.engine import kpi_table
from kpi.periods import as_period
from kpi.procedures import procedure_figures_from_frame, procedure_kpi_table
from kpi.targets import load_targets
from tests.helpers import ROOT, card_values, run_app
from ui.navigation import entries_for
from vnfmt import fmt_pct

#: The pages of the open demo mode, from the app's own registry (a new page is tested by itself).
PAGES = [p.file for p in entries_for(DEMO_ACTOR)]
#: The pages that show figures (they say so when there are none).
FIGURE_PAGES = {p.file for p in entries_for(DEMO_ACTOR) if p.permission == "view"}


_app = run_app


def _cards(at: AppTest) -> dict[str, str]:
    return card_values(at)


def _expected(url: str, period: str, unit: str | None = None, ytd: bool = False) -> dict[str, str]:
    """The cards the engines give: the dossier KPIs on the unit's figures, then the procedure KPIs (the
    unit's procedures are the catalog's, judged on the pandas path from the same figures)."""
    engine = open_engine(url)
    all_figures = load_figures(engine)
    figures = all_figures[all_figures["unit"] == unit] if unit else all_figures
    plan = load_targets(ROOT / "targets.toml")
    table = kpi_table(figures, plan, period=period, ytd=ytd)
    cards = {r.label: (fmt_pct(r.value) if r.status != "no_data" else "–") for r in table.itertuples()}
    p = as_period(period, ytd=ytd)
    columns = sorted({c for spec in plan.procedure_kpis.values() for c in spec.columns})
    lookup = catalog_lookup(engine)
    pf = procedure_figures_from_frame(all_figures, start=p.start, end=p.end, columns=columns, catalog=lookup)
    procs = procedure_kpi_table(pf, lookup, plan, period=p, by=("unit",) if unit else ())
    if unit:
        procs = procs[procs["unit"] == unit]
    cards.update({r.label: (fmt_pct(r.value) if r.status != "no_data" else "–") for r in procs.itertuples()})
    return cards


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_sample_data(page: str, sample_db_url: str, app_env: pytest.MonkeyPatch) -> None:
    at = _app(sample_db_url, app_env)
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_empty_database(page: str, sqlite_url: str, app_env: pytest.MonkeyPatch) -> None:
    at = _app(sqlite_url, app_env)
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    if page in FIGURE_PAGES:
        # a page with no data says so and points to the upload page, no empty charts
        assert any("Chưa có số liệu" in i.value for i in at.info), [i.value for i in at.info]
        assert not at.get("plotly_chart")


def test_overview_cards_equal_the_engine(sample_db_url: str, app_env: pytest.MonkeyPatch) -> None:
    at = _app(sample_db_url, app_env)
    # default: the latest month with data
    assert (at.session_state["f_kind"], at.session_state["f_period"]) == ("month", "2024-12")
    cards = _cards(at)
    plan = load_targets(ROOT / "targets.toml")
    assert len(cards) == len(plan.kpis) + len(plan.procedure_kpis) == 9 + 5
    assert cards == _expected(sample_db_url, "2024-12")


def test_overview_follows_month_unit_and_ytd(sample_db_url: str, app_env: pytest.MonkeyPatch) -> None:
    at = _app(sample_db_url, app_env)
    december = _cards(at)
    at.sidebar.selectbox(key="f_period").set_value("2024-06").run()
    june = _cards(at)
    assert june == _expected(sample_db_url, "2024-06")
    assert june != december
    unit = "Phòng Giáo dục Mầm non và Giáo dục Tiểu học"
    at.sidebar.selectbox(key="f_unit").set_value(unit).run()
    assert _cards(at) == _expected(sample_db_url, "2024-06", unit)
    at.sidebar.segmented_control(key="f_kind").set_value("ytd").run()
    assert _cards(at) == _expected(sample_db_url, "2024-06", unit, ytd=True)
    # the filters are kept while moving between pages
    at.switch_page("pages/gaps.py").run()
    at.switch_page("pages/overview.py").run()
    assert (at.session_state["f_kind"], at.session_state["f_period"]) == ("ytd", "2024-06")
    assert at.session_state["f_unit"] == unit
    assert _cards(at) == _expected(sample_db_url, "2024-06", unit, ytd=True)


def test_overview_names_its_upload_and_attention_list(
    sample_db_url: str, app_env: pytest.MonkeyPatch
) -> None:
    at = _app(sample_db_url, app_env)
    captions = " ".join(c.value for c in at.caption)
    assert "so-lieu-2024-12.xlsx" in captions
    assert at.dataframe, "the attention table is shown"
    frame: pd.DataFrame = at.dataframe[0].value
    assert {"unit", "label", "shortfall", "field"} <= set(frame.columns)
    assert len(frame) > 0
    # the worst pair first: shortfalls are sorted descending
    shortfalls = frame["shortfall"].tolist()  # numbers: a header click sorts them as numbers
    assert shortfalls == sorted(shortfalls, reverse=True)


def test_gaps_drill_down_to_procedures(sample_db_url: str, app_env: pytest.MonkeyPatch) -> None:
    at = _app(sample_db_url, app_env)
    at.switch_page("pages/gaps.py").run()
    assert not at.exception
    at.selectbox(key="gap_kpi").set_value("online_payment").run()
    at.selectbox(key="gap_unit").set_value("Phòng Quản lý chất lượng").run()
    fields = at.selectbox(key="gap_field").options
    assert "Hệ thống văn bằng, chứng chỉ" in fields
    at.selectbox(key="gap_field").set_value("Hệ thống văn bằng, chứng chỉ").run()
    assert not at.exception
    frame = at.dataframe[-1].value
    assert "1.005092" in set(frame["procedure_code"])
    assert at.get("download_button"), "the Excel download is offered"


def test_trends_compare_units(sample_db_url: str, app_env: pytest.MonkeyPatch) -> None:
    at = _app(sample_db_url, app_env)
    at.switch_page("pages/trends.py").run()
    assert any("Dự báo" in c.value for c in at.caption), "the projection method is named"
    at.multiselect(key="trend_units").set_value(["Phòng Giáo dục Trung học", "Thanh tra Sở"]).run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 4


def test_broken_targets_file_shows_message(sample_db_url: str, app_env: pytest.MonkeyPatch, tmp_path) -> None:
    bad = tmp_path / "targets.toml"
    bad.write_text(
        (ROOT / "targets.toml")
        .read_text(encoding="utf-8")
        .replace('numerator = ["received_online_full"]', 'numerator = ["received_onlin"]'),
        encoding="utf-8",
    )
    app_env.setenv("TARGETS_FILE", str(bad))
    at = _app(sample_db_url, app_env)
    assert not at.exception
    assert any("received_onlin" in e.value for e in at.error), [e.value for e in at.error]


def test_a_page_that_ends_early_keeps_the_filters(sample_db_url: str, app_env: pytest.MonkeyPatch) -> None:
    """Pages end early with ui.state.stop_page: the entry file still draws the filters after them,
    so the month the user chose survives (after st.stop() Streamlit would drop the unseen widgets)."""
    at = _app(sample_db_url, app_env)
    at.sidebar.selectbox(key="f_period").set_value("2024-03").run()
    at.switch_page("pages/trends.py").run()
    at.multiselect(key="trend_kpis").set_value([]).run()  # no KPI chosen: the page stops early
    assert any("Chọn ít nhất một chỉ tiêu" in i.value for i in at.info)
    assert not at.get("plotly_chart")
    assert at.sidebar.selectbox(key="f_period").value == "2024-03"
    at.run()
    assert at.session_state["f_period"] == "2024-03"
    at.switch_page("pages/overview.py").run()
    assert _cards(at) == _expected(sample_db_url, "2024-03")


def test_broken_targets_file_keeps_the_filters(
    sample_db_url: str, app_env: pytest.MonkeyPatch, tmp_path
) -> None:
    bad = tmp_path / "targets.toml"
    bad.write_text("[plan]\nname = 1\n", encoding="utf-8")
    app_env.setenv("TARGETS_FILE", str(bad))
    at = _app(sample_db_url, app_env)
    assert at.error and not at.exception
    assert at.sidebar.selectbox(key="f_period").value == "2024-12"
