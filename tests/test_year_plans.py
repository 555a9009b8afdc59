"""Each year's plan (``periods.md``): ``targets/YYYY.toml`` beside ``targets.toml``, the notice when a year
has none, ``TARGETS_FILE`` / ``--targets`` for every year, what-if saved into the selected year's plan."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data_access import plans, settings
from data_access.auth import add_user, cli_actor
from data_access.catalog import load_catalog
from data_access.columns import HEADERS, TEMPLATE_COLUMNS
from data_access.store import import_files, open_engine
from kpi.__main__ import main as kpi_main
from kpi.targets import load_targets
from tests.helpers import ROOT, app_test

NOTICE_2023 = "Chưa có kế hoạch năm 2023: đang so với chỉ tiêu năm 2024"
SHIPPED_2023 = ROOT / "targets" / "2023.toml"


def _default_root(env: pytest.MonkeyPatch, folder: Path, *, with_2023: bool = False) -> Path:
    """Make ``folder/targets.toml`` (a copy of the shipped plan) the *default* of the targets setting,
    as if it were the project root, with ``TARGETS_FILE`` unset; ``folder/targets/2023.toml`` too when
    asked. Returns the current plan's path."""
    current = folder / "targets.toml"
    shutil.copyfile(ROOT / "targets.toml", current)
    if with_2023:
        (folder / "targets").mkdir()
        shutil.copyfile(SHIPPED_2023, folder / "targets" / "2023.toml")
    setting = dataclasses.replace(settings._BY_NAME["targets"], default=current)
    env.setitem(settings._BY_NAME, "targets", setting)
    env.delenv("TARGETS_FILE", raising=False)
    return current


# ---------------------------------------------------------------------------- the resolution


def test_a_year_uses_its_own_plan_else_the_current_one_with_a_notice(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    current = _default_root(monkeypatch, tmp_path, with_2023=True)
    own = plans.plan_file_for(2023)
    assert (own.path, own.plan_year, own.own_year, own.explicit) == (
        tmp_path / "targets" / "2023.toml",
        2023,
        True,
        False,
    )
    assert own.notice is None
    this = plans.plan_file_for(2024)  # targets.toml is the plan of 2024 ([plan] year = 2024)
    assert (this.path, this.plan_year, this.own_year, this.notice) == (current, 2024, True, None)
    other = plans.plan_file_for(2022)
    assert (other.path, other.plan_year, other.own_year) == (current, 2024, False)
    assert other.notice == "Chưa có kế hoạch năm 2022: đang so với chỉ tiêu năm 2024"
    assert plans.plan_years() == [2023, 2024]
    # saving: into the year's own file, else a new targets/YYYY.toml
    assert plans.save_path_for(2023) == tmp_path / "targets" / "2023.toml"
    assert plans.save_path_for(2024) == current
    assert plans.save_path_for(2022) == tmp_path / "targets" / "2022.toml"


def test_without_a_2023_plan_the_current_one_is_used_and_said(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    current = _default_root(monkeypatch, tmp_path)
    choice = plans.plan_file_for(2023)
    assert (choice.path, choice.plan_year, choice.own_year) == (current, 2024, False)
    assert choice.notice == NOTICE_2023
    assert plans.plan_years() == [2024]


def test_targets_file_set_is_used_for_every_year(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _default_root(monkeypatch, tmp_path, with_2023=True)  # a 2023 plan beside it is not looked at
    chosen = tmp_path / "ke-hoach.toml"
    shutil.copyfile(ROOT / "targets.toml", chosen)
    monkeypatch.setenv("TARGETS_FILE", str(chosen))
    for year in (2022, 2023, 2024):
        choice = plans.plan_file_for(year)
        assert (choice.path, choice.plan_year, choice.explicit) == (chosen, 2024, True)
        assert plans.save_path_for(year) == chosen
    assert plans.plan_file_for(2024).notice is None
    # the file's plan is of 2024: a 2023 period is still told so, naming the setting's file
    assert plans.plan_file_for(2023).notice == (
        "Tệp chỉ tiêu ke-hoach.toml được chọn cho mọi năm: năm 2023 đang so với chỉ tiêu năm 2024"
    )
    assert plans.plan_years() == [2024]
    # --targets wins over TARGETS_FILE, and is one file for every year too
    other = tmp_path / "khac.toml"
    shutil.copyfile(SHIPPED_2023, other)
    assert plans.plan_file_for(2024, str(other)).path == other
    assert plans.plan_file_for(2023, str(other)).own_year


def test_a_year_file_of_another_year_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _default_root(monkeypatch, tmp_path)
    (tmp_path / "targets").mkdir()
    shutil.copyfile(ROOT / "targets.toml", tmp_path / "targets" / "2023.toml")  # says year = 2024
    with pytest.raises(plans.PlanFileError, match=r"targets/2023\.toml: \[plan\] year = 2024 .*\(2023\)"):
        plans.plan_file_for(2023)


def test_a_plan_name_moves_to_another_year() -> None:
    assert plans.plan_name_for("Kế hoạch DVCTT năm 2024", 2024, 2023) == "Kế hoạch DVCTT năm 2023"
    assert plans.plan_name_for("Kế hoạch DVCTT", 2024, 2023) == "Kế hoạch DVCTT năm 2023"


# ---------------------------------------------------------------------------- the shipped 2023 plan


def test_the_shipped_2023_plan_is_valid_and_says_where_each_target_comes_from() -> None:
    plan = load_targets(SHIPPED_2023, unit_resolver=load_catalog().units.match)
    current = load_targets(ROOT / "targets.toml")
    assert plan.year == 2023 and "2023" in plan.name
    assert list(plan.kpis) == list(current.kpis), "the same KPI ids, in the same order"
    # the targets the 2023 plan states (the lowest level scored, section II of the plan)
    stated = {"on_time": 0.95, "digitized_results": 0.70, "online_any": 0.40}
    stated |= {"postal_received": 0.15, "postal_returned": 0.15}
    assert {k: plan.kpis[k].target for k in stated} == stated
    for kid in stated:
        assert plan.kpis[kid].source.startswith("KH 2023"), kid
    # those it does not state keep the 2024 value, and say so
    for kid in set(plan.kpis) - set(stated):
        assert plan.kpis[kid].source.startswith("Không có trong KH 2023"), kid
        assert (
            "lấy theo KH 2024" in plan.kpis[kid].source
            or "lấy theo chỉ tiêu năm 2024" in plan.kpis[kid].source
        )
        assert plan.kpis[kid].target == current.kpis[kid].target, kid


# ---------------------------------------------------------------------------- the command line

#: One unit, one field, the same figures in May 2023 and May 2024.
ROW = {
    "unit": "Phòng Giáo dục Trung học",
    "field": "Giáo dục trung học",
    "procedure_code": None,
    "procedure_name": None,
    "received_online_full": 30,
    "received_online_partial": 12,
    "received_direct": 46,
    "received_postal": 12,  # received_new = 30 + 12 + 46 + 12 = 100
    "carried_over": 0,
    "resolved_early": 20,
    "resolved_on_time": 60,
    "resolved_late": 0,  # resolved = 80
    "pending_in_time": 20,
    "pending_overdue": 0,  # 0 + 100 = 80 + 20 + 0: the books balance
    "withdrawn": 0,
    "returned_postal": 12,
    "results_digitized": 64,
    "dossiers_digitized": 95,
    "payments_total": 10,
    "payments_online": 5,
}


@pytest.fixture
def may_db(tmp_path: Path) -> str:
    from openpyxl import Workbook

    files = []
    for period in ("2023-05", "2024-05"):
        wb = Workbook()
        ws = wb.worksheets[0]
        ws.title = "SoLieu"
        ws.append([HEADERS[c] for c in TEMPLATE_COLUMNS])
        ws.append([{"period": period, **ROW}.get(c) for c in TEMPLATE_COLUMNS])
        path = tmp_path / f"so-lieu-{period}.xlsx"
        wb.save(path)
        files.append(path)
    url = f"sqlite:///{tmp_path / 'may.db'}"
    result = import_files(open_engine(url), files, user="test")
    assert result.ok, [i.format() for i in result.errors]
    return url


def _report(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, dict[str, object]]:
    assert kpi_main(["report", *args, "--format", "json"]) == 0
    return {r["kpi"]: r for r in json.loads(capsys.readouterr().out)}


def test_cli_judges_2023_by_its_own_plan(
    may_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TARGETS_FILE", raising=False)
    y2023 = _report(capsys, "--period", "2023-05", "--db", may_db)  # the shipped targets/2023.toml
    y2024 = _report(capsys, "--period", "2024-05", "--db", may_db)  # the same figures, targets.toml
    assert {(r["plan_year"], r["plan_own_year"]) for r in y2023.values()} == {(2023, True)}
    assert {(r["plan_year"], r["plan_own_year"]) for r in y2024.values()} == {(2024, True)}
    # online_any = (30 + 12) / 100 = 0.42: 2023 target 0.40 → met (gap +0.02, nothing short);
    # 2024 target 0.50, near from 0.45 → below (gap −0.08), short ⌈0.50 × 100 − 42⌉ = 8 dossiers
    a, b = y2023["online_any"], y2024["online_any"]
    assert a["value"] == b["value"] == pytest.approx(0.42)
    assert (a["target"], a["status"], a["shortfall"]) == (pytest.approx(0.40), "met", 0)
    assert a["gap"] == pytest.approx(0.02)
    assert (b["target"], b["status"], b["shortfall"]) == (pytest.approx(0.50), "below", 8)
    assert b["gap"] == pytest.approx(-0.08)
    # digitized_results = 64 / 80 = 0.80: 2023 target 0.70 → met; 2024 target 1.00 → below, short 80 − 64 = 16
    a, b = y2023["digitized_results"], y2024["digitized_results"]
    assert a["value"] == b["value"] == pytest.approx(0.80)
    assert (a["status"], a["shortfall"], b["status"], b["shortfall"]) == ("met", 0, "below", 16)
    # on_time = 80 / 80 = 1.00 ≥ 0.95 in both years; postal_received = 12 / 100 = 0.12, near 0.15 in both
    for kid, status in (("on_time", "met"), ("postal_received", "near")):
        assert y2023[kid]["status"] == y2024[kid]["status"] == status, kid


def test_cli_without_a_2023_plan_uses_the_current_one_and_says_so(
    may_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _default_root(monkeypatch, tmp_path)
    recs = _report(capsys, "--period", "2023-05", "--db", may_db)
    assert {(r["plan_year"], r["plan_own_year"]) for r in recs.values()} == {(2024, False)}
    assert (recs["online_any"]["target"], recs["online_any"]["status"]) == (pytest.approx(0.50), "below")
    assert kpi_main(["report", "--period", "2023-05", "--db", may_db]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[1] == NOTICE_2023, table[:3]  # under the title, one line
    assert kpi_main(["report", "--period", "2024-05", "--db", may_db]) == 0
    assert NOTICE_2023 not in capsys.readouterr().out


def test_cli_targets_names_one_file_for_every_year(
    may_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TARGETS_FILE", raising=False)
    shipped = str(ROOT / "targets.toml")
    recs = _report(capsys, "--period", "2023-05", "--db", may_db, "--targets", shipped)
    assert {(r["plan_year"], r["plan_own_year"]) for r in recs.values()} == {(2024, False)}
    assert recs["online_any"]["status"] == "below"  # 0.42 against 2024's 0.50, not 2023's 0.40
    monkeypatch.setenv("TARGETS_FILE", str(SHIPPED_2023))
    recs = _report(capsys, "--period", "2024-05", "--db", may_db)  # the 2023 file judges 2024 too
    assert {(r["plan_year"], r["plan_own_year"]) for r in recs.values()} == {(2023, False)}
    assert recs["online_any"]["status"] == "met"


# ---------------------------------------------------------------------------- the pages


def _at_month(url: str, env: pytest.MonkeyPatch, month: str) -> AppTest:
    """The app (not run yet) opened on ``month`` through the address (old and new parameter names)."""
    at = app_test(url, env)
    at.query_params["thang"] = month
    at.query_params["ky"] = month
    return at


def _notices(at: AppTest) -> list[str]:
    return [c.value for c in at.caption if "đang so với chỉ tiêu năm" in c.value]


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/gaps.py", "pages/trends.py", "pages/whatif.py"])
def test_pages_say_when_a_year_has_no_plan_of_its_own(
    page: str, sample_db_url: str, app_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # the shipped plans: 2023 has its own, so no notice
    at = _at_month(sample_db_url, app_env, "2023-06")
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not _notices(at), _notices(at)
    # no 2023 plan beside targets.toml: one line, on every page
    _default_root(app_env, tmp_path)
    at = _at_month(sample_db_url, app_env, "2023-06")
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [n.removeprefix(":material/event_note: ") for n in _notices(at)] == [NOTICE_2023]


def _signed_in_whatif(url: str, env: pytest.MonkeyPatch, month: str) -> AppTest:
    at = _at_month(url, env, month)
    at.run()
    at.text_input(key="signin_user").input("nguoi")
    at.text_input(key="signin_password").input("mat-khau-dai")
    at.button[0].click().run()
    assert not at.exception, at.exception
    at.switch_page("pages/whatif.py").run()
    assert not at.exception, at.exception
    return at


def _save(at: AppTest, percent: str) -> None:
    at.text_input(key="target_online_payment").set_value(percent).run()
    at.button(key="whatif_save").click().run()
    at.button(key="whatif_save_confirm").click().run()
    assert not at.exception, at.exception


def test_saving_what_if_for_2023_writes_its_own_plan_and_history_per_year(
    sample_db_url: str, app_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    current = _default_root(app_env, tmp_path)  # no targets/ folder yet
    add_user(open_engine(sample_db_url), cli_actor(), "nguoi", "mat-khau-dai", "quan_tri")
    own = tmp_path / "targets" / "2023.toml"

    at = _signed_in_whatif(sample_db_url, app_env, "2023-06")
    assert len(_notices(at)) == 1  # judged by the 2024 plan until 2023 has one
    _save(at, "60")
    plan = load_targets(own, unit_resolver=load_catalog().units.match)
    assert plan.year == 2023 and plan.name.endswith("năm 2023"), plan.name
    assert plan.kpis["online_payment"].target == 0.6
    assert plan.kpis["online_full"].target == 0.90  # the rest as the plan it started from
    assert "#" in own.read_text(encoding="utf-8")  # comments kept
    assert load_targets(current).kpis["online_payment"].target == 0.45  # the 2024 plan untouched
    assert any("2023.toml" in s.value for s in at.success), [s.value for s in at.success]
    assert not _notices(at), "2023 is now judged by its own plan"
    assert at.text_input(key="target_online_payment").value == "60,0"

    _save(at, "65")  # the second save replaces 2023's plan and keeps the first
    assert load_targets(own).kpis["online_payment"].target == 0.65
    kept_2023 = sorted((tmp_path / "targets" / "targets_history").glob("2023-*.toml"))
    assert len(kept_2023) == 2  # before the first save there was no file (kept empty), then 60 %
    assert kept_2023[0].read_text(encoding="utf-8") == ""
    assert load_targets(kept_2023[1]).kpis["online_payment"].target == 0.6
    assert not (tmp_path / "targets_history").exists()  # nothing of 2024's history yet

    at = _signed_in_whatif(sample_db_url, app_env, "2024-06")
    assert not _notices(at)
    _save(at, "70")
    assert load_targets(current).kpis["online_payment"].target == 0.70
    assert load_targets(own).kpis["online_payment"].target == 0.65
    kept_2024 = list((tmp_path / "targets_history").glob("targets-*.toml"))
    assert len(kept_2024) == 1 and load_targets(kept_2024[0]).kpis["online_payment"].target == 0.45
    assert len(list((tmp_path / "targets" / "targets_history").glob("*.toml"))) == 2


def test_with_targets_file_set_saving_for_2023_writes_that_file(
    sample_db_url: str, app_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    chosen = tmp_path / "targets.toml"
    shutil.copyfile(ROOT / "targets.toml", chosen)
    app_env.setenv("TARGETS_FILE", str(chosen))
    add_user(open_engine(sample_db_url), cli_actor(), "nguoi", "mat-khau-dai", "quan_tri")
    at = _signed_in_whatif(sample_db_url, app_env, "2023-06")
    assert [n.removeprefix(":material/event_note: ") for n in _notices(at)] == [
        "Tệp chỉ tiêu targets.toml được chọn cho mọi năm: năm 2023 đang so với chỉ tiêu năm 2024"
    ]
    _save(at, "60")
    plan = load_targets(chosen)
    assert (plan.year, plan.kpis["online_payment"].target) == (2024, 0.6)
    assert not (tmp_path / "targets").exists()
