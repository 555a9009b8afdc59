"""Xu hướng with the sidebar's unit: every figure is that unit's (equal to the engine and to
``python -m kpi report --by unit``), the units compared follow the sidebar, December has no forecast;
and every directors' page names the plan it judges another year against."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data_access.catalog import load_catalog
from data_access.store import load_figures, open_engine
from kpi import __main__ as kpi_cli
from kpi.engine import project_year_end
from kpi.targets import Plan, load_targets
from tests.conftest import ROOT, run_app
from vnfmt import fmt_int, fmt_pct

UNIT = "Thanh tra Sở"
OTHER = "Phòng Giáo dục Trung học"
PERIOD = "2024-06"


def _plan() -> Plan:
    return load_targets(ROOT / "targets.toml", unit_resolver=load_catalog().units.match)


def _report(url: str, period: str, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    """``python -m kpi report --period P --ytd --by unit --format json`` on ``url``."""
    capsys.readouterr()
    assert (
        kpi_cli.main(["report", "--period", period, "--ytd", "--by", "unit", "--format", "json", "--db", url])
        == 0
    )
    return json.loads(capsys.readouterr().out)


def _expected_captions(
    url: str, unit: str | None, ytd: dict[str, float | None]
) -> dict[str, tuple[str, str | None]]:
    """Per KPI with data: how the page's caption starts (year to date, projection, target) and the
    dossiers still needed by December (``None``: none), from the engine."""
    figures = load_figures(open_engine(url))
    by: tuple[str, ...] = ()
    if unit:
        figures, by = figures[figures["unit"] == unit], ("unit",)
    proj = project_year_end(figures, _plan(), period=PERIOD, by=by).set_index("kpi")
    out = {}
    for kpi, p in proj.iterrows():
        if p["projected_status"] == "no_data":
            continue
        start = (
            f"Lũy kế đến nay {fmt_pct(ytd.get(str(kpi), p['ytd_value']))}; "
            f"dự báo tháng 12: {fmt_pct(p['projected_value'])} so với chỉ tiêu {fmt_pct(p['target'])}"
        )
        short = p["projected_shortfall"]
        out[str(kpi)] = (
            start,
            None if pd.isna(short) or short <= 0 else f"cần thêm khoảng {fmt_int(short)} hồ sơ",
        )
    return out


def _outlooks(at: AppTest) -> list[str]:
    return [c.value for c in at.caption if c.value.startswith(("Lũy kế đến nay", "Kết quả cả năm"))]


def _trends(url: str, env: pytest.MonkeyPatch, *, unit: str | None, period: str = PERIOD) -> AppTest:
    at = run_app(url, env)
    at.sidebar.selectbox(key="f_period").set_value(period).run()
    if unit:
        at.sidebar.selectbox(key="f_unit").set_value(unit).run()
    at.switch_page("pages/trends.py").run()
    at.multiselect(key="trend_kpis").set_value(list(_plan().kpis)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _check(at: AppTest, expected: dict[str, tuple[str, str | None]]) -> None:
    shown = _outlooks(at)
    assert len(shown) == len(expected), (shown, expected)
    for caption, (kpi, (start, need)) in zip(shown, expected.items(), strict=True):
        assert caption.startswith(start), (kpi, caption, start)
        if need:
            assert need in caption, (kpi, caption, need)
        else:
            assert "cần thêm" not in caption, (kpi, caption)


def test_trends_with_the_sidebar_unit_show_that_units_figures(
    sample_db_url: str, app_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    report = _report(sample_db_url, PERIOD, capsys)
    unit_ytd = {r["kpi"]: r["value"] for r in report if r["unit"] == UNIT}
    assert unit_ytd, "the unit has figures in the sample data"
    at = _trends(sample_db_url, app_env, unit=UNIT)
    assert at.multiselect(key="trend_units").value == [UNIT]
    assert any(f"**{UNIT}**" in c.value for c in at.caption), "the caption names the unit shown"
    unit_expected = _expected_captions(sample_db_url, UNIT, unit_ytd)
    _check(at, unit_expected)
    assert at.get("plotly_chart")

    # the department's figures are other numbers, and the page shows them without a unit
    department = _expected_captions(sample_db_url, None, {})
    assert {k: v[0] for k, v in department.items()} != {k: v[0] for k, v in unit_expected.items()}
    at.sidebar.selectbox(key="f_unit").set_value("__all__").run()
    assert at.multiselect(key="trend_units").value == []
    _check(at, department)


def test_units_compared_follow_every_change_of_the_sidebar_unit(
    sample_db_url: str, app_env: pytest.MonkeyPatch
) -> None:
    at = _trends(sample_db_url, app_env, unit=UNIT)
    assert at.multiselect(key="trend_units").value == [UNIT]
    at.multiselect(key="trend_units").set_value([UNIT, OTHER]).run()
    assert not _outlooks(at), "several units side by side: no projection"
    assert at.get("plotly_chart")
    at.sidebar.selectbox(key="f_unit").set_value(OTHER).run()
    assert at.multiselect(key="trend_units").value == [OTHER]
    at.sidebar.selectbox(key="f_unit").set_value(UNIT).run()
    assert at.multiselect(key="trend_units").value == [UNIT]
    # and again after a visit to another page
    at.switch_page("pages/overview.py").run()
    at.sidebar.selectbox(key="f_unit").set_value(OTHER).run()
    at.switch_page("pages/trends.py").run()
    assert at.multiselect(key="trend_units").value == [OTHER]


def test_december_has_no_forecast_but_the_years_result(
    sample_db_url: str, app_env: pytest.MonkeyPatch
) -> None:
    at = _trends(sample_db_url, app_env, unit=None, period="2024-12")
    assert any("không còn tháng nào để dự báo" in c.value for c in at.caption)
    outlooks = _outlooks(at)
    assert outlooks and all(c.startswith("Kết quả cả năm 2024") for c in outlooks), outlooks
    assert not any("dự báo tháng 12" in c for c in outlooks)


# the notice of a year without a plan of its own: tests/test_year_plans.py (every page)


def test_a_procedure_kpi_month_by_month_equals_the_engine(
    sample_db_url: str, app_env: pytest.MonkeyPatch
) -> None:
    """A KPI counting procedures (TTHC) is offered too; its line is the engine's value of each month
    (the procedures of the catalog counted on that month's figures) and its year to date."""
    from data_access.procedure_figures import catalog_lookup
    from kpi.procedures import procedure_figures_from_frame, procedure_kpi_table

    kid = "online_procedures_with_dossiers"
    at = run_app(sample_db_url, app_env)
    at.sidebar.selectbox(key="f_period").set_value(PERIOD).run()
    at.switch_page("pages/trends.py").run()
    at.multiselect(key="trend_kpis").set_value([kid]).run()
    assert not at.exception, [e.value for e in at.exception]
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    lines = {t["name"]: t["y"] for t in fig["data"]}

    engine = open_engine(sample_db_url)
    figures, plan, lookup = load_figures(engine), _plan(), catalog_lookup(engine)
    columns = sorted({c for spec in plan.procedure_kpis.values() for c in spec.columns})
    want_month, want_ytd = [], []
    for m in range(1, 7):
        month = f"2024-{m:02d}"
        for ytd, want in ((False, want_month), (True, want_ytd)):
            start = "2024-01" if ytd else month
            pf = procedure_figures_from_frame(
                figures, start=start, end=month, columns=columns, catalog=lookup
            )
            row = procedure_kpi_table(pf, lookup, plan, period=month, ytd=ytd).set_index("kpi").loc[kid]
            want.append(round(float(row["value"]) * 100, 6))
    assert [round(v, 6) for v in lines["Trong tháng"]] == want_month
    assert [round(v, 6) for v in lines["Lũy kế từ đầu năm"]] == want_ytd
