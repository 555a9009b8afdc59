"""AppTest runs of the what-if page on the sample data: the KPIs that count procedures (TTHC) are inputs
too, their results move with their targets in their own tables, the export and the save carry them."""

from __future__ import annotations

import json
from io import BytesIO

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from data_access.auth import cli_actor, read_audit
from data_access.procedure_figures import SqlProcedureFigures, catalog_lookup
from data_access.store import open_engine
from kpi.procedures import procedure_kpi_table
from kpi.targets import Plan, load_targets, with_overrides
from tests.helpers import ROOT, run_app
from tests.test_page_whatif import PERIOD, SHORT, UNIT, files, shown
from tests.test_page_whatif_save import _signed_in
from ui.fmt import STATUS_LABELS
from ui.whatif_tables import pair_text
from vnfmt import fmt_int, fmt_number, fmt_pct

__all__ = ["files"]  # the fixture, imported

KPI = "procedures_on_national_portal"  # the sample: 28 of its 32 full-online procedures on the portal


@pytest.fixture
def at(sample_db_url: str, app_env: pytest.MonkeyPatch) -> AppTest:
    return run_app(sample_db_url, app_env, "pages/whatif.py")


def _plan() -> Plan:
    return load_targets(ROOT / "targets.toml")


def _engine_table(url: str, plan: Plan, by: tuple[str, ...] = ()) -> pd.DataFrame:
    engine = open_engine(url)
    return procedure_kpi_table(
        SqlProcedureFigures(engine), catalog_lookup(engine), plan, period=PERIOD, by=by
    ).set_index([*by, "kpi"])


def _ok(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def _tables(at: AppTest) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(headline, per-unit) tables of the procedure KPIs as shown: the tables with their counts column."""
    mine = [f for f in (shown(d) for d in at.dataframe) if "counts" in f.columns]
    head = [f for f in mine if "unit" not in f.columns]
    unit = [f for f in mine if "unit" in f.columns]
    assert len(head) == 1 and len(unit) == 1, [list(f.columns) for f in mine]
    return head[0], unit[0]


def _shortfall(base: object, scen: object) -> str:
    return f"còn thiếu {pair_text(base, scen, fmt_int)} TTHC"


def _status(base: str, scen: str) -> str:
    return pair_text(STATUS_LABELS[base], STATUS_LABELS[scen], str)


def test_procedure_targets_are_inputs_in_their_own_group(at: AppTest) -> None:
    _ok(at)
    plan = _plan()
    assert plan.procedure_kpis, "the shipped targets.toml has procedure KPIs"
    assert any(m.value == "**Chỉ tiêu tính theo TTHC**" for m in at.markdown)
    for kid, spec in plan.procedure_kpis.items():
        assert at.text_input(key=f"target_{kid}").value == fmt_number(spec.target * 100)
    # the dossier KPIs' tables hold the dossier KPIs only
    dept = shown(at.dataframe[0])
    assert len(dept) == len(plan.kpis) and "counts" not in dept.columns
    head, _ = _tables(at)
    assert len(head) == len(plan.procedure_kpis)


def test_a_procedure_target_moves_its_status_and_shortfall(
    at: AppTest, sample_db_url: str, files: list
) -> None:
    plan = _plan()
    base = _engine_table(sample_db_url, plan)
    num, den = int(base.loc[KPI, "numerator"]), int(base.loc[KPI, "denominator"])
    assert (num, den) == (28, 32) and base.loc[KPI, "status"] == "met"  # 87,5 % ≥ 80 %
    dossier_before = shown(at.dataframe[0])

    at.text_input(key=f"target_{KPI}").set_value("95").run()
    _ok(at)
    assert at.session_state["whatif_targets"] == {KPI: 0.95}
    # 95 %: ⌈0.95 × 32 − 28⌉ = ⌈30.4 − 28⌉ = 3 procedures short; 87,5 − 95 = −7,5 points → below
    need = -(-(95 * den - 100 * num) // 100)
    assert need == 3
    scen = _engine_table(sample_db_url, with_overrides(plan, {KPI: 0.95}))
    assert scen.loc[KPI, "shortfall"] == need and scen.loc[KPI, "status"] == "below"

    head, units = _tables(at)
    row = head.iloc[list(plan.procedure_kpis).index(KPI)]
    assert row["counts"] == f"{num}/{den}"
    assert row["value"] == fmt_pct(num / den)
    assert row["target"] == "80,0 % → 95,0 %"
    assert row["status"] == _status("met", "below")
    assert row["shortfall"] == "còn thiếu 0 → 3 TTHC"
    assert row["unknown"] == fmt_int(base.loc[KPI, "unknown"])
    others = [k for k in plan.procedure_kpis if k != KPI]
    for k in others:  # the other procedure KPIs do not move
        r = head.iloc[list(plan.procedure_kpis).index(k)]
        assert "→" not in r["target"] + r["status"] and r["shortfall"] == _shortfall(
            base.loc[k, "shortfall"], base.loc[k, "shortfall"]
        )
    text = [m.value for m in at.markdown if m.value.startswith(":material/insights:")]
    assert any(
        "(kế hoạch 80,0 %)" in t and "Toàn Sở: Đạt → Chưa đạt, còn thiếu 0 → 3 TTHC." in t for t in text
    )
    pd.testing.assert_frame_equal(shown(at.dataframe[0]), dossier_before)  # the dossier KPIs stay put
    assert any("xem phần «Chỉ tiêu tính theo TTHC» bên dưới" in c.value for c in at.caption)

    # the units of the KPI just changed, each against the engine under both targets
    base_u = _engine_table(sample_db_url, plan, ("unit",))
    scen_u = _engine_table(sample_db_url, with_overrides(plan, {KPI: 0.95}), ("unit",))
    assert at.selectbox(key="whatif_proc_kpi").value == KPI
    assert len(units) == len(base_u.xs(KPI, level="kpi"))
    short = {k: v for k, v in zip(units["unit"], units.to_dict("records"), strict=True)}
    b, s = base_u.loc[(UNIT, KPI)], scen_u.loc[(UNIT, KPI)]
    assert short[SHORT]["status"] == _status(b["status"], s["status"])
    assert short[SHORT]["shortfall"] == _shortfall(b["shortfall"], s["shortfall"])

    # the Excel: a sheet of the procedure KPIs, the scenario's shortfall in procedures
    maker = [m for m, name in files if name == f"gia-dinh-chi-tieu-{PERIOD}.xlsx"][-1]
    book = load_workbook(BytesIO(maker()))
    assert "Chỉ tiêu TTHC" in book.sheetnames and "Chỉ tiêu TTHC theo đơn vị" in book.sheetnames
    rows = list(book["Chỉ tiêu TTHC"].iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r and r[0] == "Chỉ tiêu")
    excel = {r[0]: dict(zip(rows[top], r, strict=True)) for r in rows[top + 1 :] if r and r[0]}
    got = excel[plan.procedure_kpis[KPI].label]
    assert (got["Số TTHC đạt"], got["Số TTHC trong phạm vi"]) == (num, den)
    assert (got["TTHC còn thiếu (kế hoạch)"], got["TTHC còn thiếu (giả định)"]) == (0, 3)
    pdf = [m for m, name in files if name == f"gia-dinh-chi-tieu-{PERIOD}.pdf"][-1]()
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "Toàn Sở: chỉ tiêu tính theo TTHC, kế hoạch và giả định" in text  # the PDF has the table too


def test_a_unit_target_of_a_procedure_kpi(at: AppTest, sample_db_url: str) -> None:
    at.selectbox(key="whatif_u_kpi").set_value(KPI).run()
    at.selectbox(key="whatif_u_unit").set_value(UNIT).run()
    assert at.text_input(key="whatif_u_pct").value == "80,0"  # the plan's target, no unit target of its own
    at.text_input(key="whatif_u_pct").set_value("100").run()
    at.button(key="whatif_u_add").click().run()
    _ok(at)
    assert at.session_state["whatif_units"] == {(KPI, UNIT): 1.0}
    scen = with_overrides(_plan(), unit_targets={(KPI, UNIT): 1.0})
    b = _engine_table(sample_db_url, _plan(), ("unit",)).loc[(UNIT, KPI)]
    s = _engine_table(sample_db_url, scen, ("unit",)).loc[(UNIT, KPI)]
    # 100 %: every procedure in the denominator must be counted: den − num short
    assert s["shortfall"] == int(s["denominator"]) - int(s["numerator"])
    _, units = _tables(at)
    row = {r["unit"]: r for r in units.to_dict("records")}[SHORT]
    assert row["target"] == "80,0 % → 100,0 %"
    assert row["shortfall"] == _shortfall(b["shortfall"], s["shortfall"])
    head, _ = _tables(at)
    assert head.iloc[list(_plan().procedure_kpis).index(KPI)]["target"] == "80,0 %"  # the department's


def test_saving_writes_the_procedure_target(
    sample_db_url: str, app_env: pytest.MonkeyPatch, tmp_path
) -> None:
    at, targets = _signed_in(sample_db_url, app_env, "quan_tri", tmp_path)
    before = load_targets(targets)
    at.text_input(key=f"target_{KPI}").set_value("95").run()
    at.button(key="whatif_save").click().run()
    assert any("80,0 % → 95,0 %" in w.value for w in at.warning)  # the confirmation names the change
    at.button(key="whatif_save_confirm").click().run()
    assert not at.exception, at.exception
    after = load_targets(targets)
    assert after.procedure_kpis[KPI].target == 0.95
    assert after == with_overrides(before, {KPI: 0.95})  # nothing else changed (scopes kept)
    assert at.text_input(key=f"target_{KPI}").value == "95,0"  # the inputs start from the new plan
    log = read_audit(open_engine(sample_db_url), cli_actor())
    detail = json.loads(log[log["action"] == "save_targets"].iloc[0]["detail"])
    assert detail["old"][KPI]["target"] == 0.8 and detail["new"][KPI]["target"] == 0.95


def test_sidebar_unit_year_to_date_heads_the_procedure_table(at: AppTest, sample_db_url: str) -> None:
    at.sidebar.selectbox(key="f_unit").set_value(UNIT).run()
    at.sidebar.segmented_control(key="f_kind").set_value("ytd").run()
    at.text_input(key=f"target_{KPI}").set_value("100").run()
    _ok(at)
    engine = open_engine(sample_db_url)
    args = (SqlProcedureFigures(engine), catalog_lookup(engine))
    base = procedure_kpi_table(*args, _plan(), period=PERIOD, ytd=True, by=("unit",)).set_index(
        ["unit", "kpi"]
    )
    b = base.loc[(UNIT, KPI)]
    num, den = int(b["numerator"]), int(b["denominator"])
    assert den > num  # the unit misses 100 %: den − num procedures short
    head, units = _tables(at)
    assert f"**{SHORT}** – Lũy kế đến Tháng 12/2024 · chỉ tiêu tính theo TTHC" in [
        m.value for m in at.markdown
    ]
    row = head.iloc[list(_plan().procedure_kpis).index(KPI)]  # the headline is the unit chosen
    assert row["counts"] == f"{num}/{den}"
    assert row["shortfall"] == _shortfall(b["shortfall"], den - num)
    assert len(units) == len(base.xs(KPI, level="kpi"))  # every unit still listed
