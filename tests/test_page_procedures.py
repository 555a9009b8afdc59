"""Thủ tục hành chính (``procedures.md``): the procedure list of each procedure KPI on the sample data with
its catalog, the unit and field filters, the catalog in force with its versions and changes, the codes
not in the catalog, and the pieces the page is built from (flags in words, the top sentence, the Excel).

The sample database of ``conftest`` holds the sample figures and the sample catalog (effective 01/2023),
as the app's first start stores them."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from data_access.catalog import load_catalog
from data_access.export import document_xlsx
from data_access.procedure_catalog import (
    catalog_in_force,
    catalog_versions,
    load_sample_catalog_if_empty,
    save_catalog,
)
from data_access.procedure_figures import SqlProcedureFigures, catalog_lookup
from data_access.schema import procedure_catalog_entry as catalog_entry
from data_access.schema import procedure_catalog_version as catalog_version
from data_access.store import open_engine
from kpi import texts as KT
from kpi.procedures import procedure_kpi_table, procedure_list
from kpi.targets import Plan, load_targets
from tests.helpers import ROOT, run_app
from ui import procedures_view as pv
from vnfmt import fmt_int, fmt_month_padded

PAGE = "pages/procedures.py"
PERIOD = "2024-12"
TRH = "Phòng Giáo dục Trung học"
KPI = "online_procedures_with_dossiers"


def _plan() -> Plan:
    return load_targets(ROOT / "targets.toml", unit_resolver=load_catalog().units.match)


def _with_catalog(url: str) -> None:
    """The sample catalog is there (``conftest``), else stored here as the app's first start does."""
    load_sample_catalog_if_empty(open_engine(url), ROOT / "sample_data", user="test")
    assert catalog_versions(open_engine(url))["effective"].tolist() == ["2023-01"]


def _without_catalog(url: str) -> None:
    with open_engine(url).begin() as conn:
        conn.execute(sa.delete(catalog_entry))
        conn.execute(sa.delete(catalog_version))


def _list(url: str, kpi: str, period: str = PERIOD, **kw: str | None) -> pd.DataFrame:
    engine = open_engine(url)
    return procedure_list(
        SqlProcedureFigures(engine), catalog_lookup(engine), _plan(), kpi=kpi, period=period, **kw
    )


def _page(url: str, env: pytest.MonkeyPatch, *, unit: str | None = None, period: str = PERIOD) -> AppTest:
    at = run_app(url, env)
    at.sidebar.selectbox(key="f_period").set_value(period).run()
    if unit:
        at.sidebar.selectbox(key="f_unit").set_value(unit).run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


#: A column only each table of the page has (AppTest does not give a dataframe's key).
_MARK = {
    "proc_list": "counted_text",
    "proc_catalog": "postal_allowed",
    "proc_versions": "row_count",
    "proc_changes": "change",
    "proc_unknown_codes": "period",
}


def _shown(at: AppTest, key: str) -> pd.DataFrame:
    """The values of the page's table ``key``."""
    found = [d.value for d in at.dataframe if _MARK[key] in d.value.columns]
    assert len(found) == 1, (key, [list(d.value.columns) for d in at.dataframe])
    shown = found[0]
    if "procedure" in shown.columns:  # the list shows "code – name" in one cell
        shown = shown.assign(procedure_code=[str(p).split(" – ")[0] for p in shown["procedure"]])
    return shown


def test_the_list_is_the_engines_with_counted_and_reason_in_words(
    sample_db_url: str, app_env: pytest.MonkeyPatch
) -> None:
    _with_catalog(sample_db_url)
    at = _page(sample_db_url, app_env)
    assert at.selectbox(key="proc_kpi").options == [s.label for s in _plan().procedure_kpis.values()]
    at.selectbox(key="proc_kpi").set_value(KPI).run()
    assert not at.exception
    expected = _list(sample_db_url, KPI)
    shown = _shown(at, "proc_list")
    assert shown["procedure_code"].tolist() == expected["procedure_code"].tolist()
    words = {True: "Có", False: "Không"}
    assert shown["counted_text"].tolist() == [
        "Chưa có số liệu" if pd.isna(c) else words[bool(c)] for c in expected["counted"]
    ]
    # the to-do first: every "Không" before every "Có"
    texts = shown["counted_text"].tolist()
    assert "Không" in texts and "Có" in texts
    assert max(i for i, t in enumerate(texts) if t == "Không") < min(
        i for i, t in enumerate(texts) if t == "Có"
    )
    # the reason in words, shortened with "…" to its column (whole in the column's tooltip)
    for seen, code in zip(shown["reason_text"], expected["reason"], strict=True):
        whole = KT.PROCEDURE_REASONS[code]
        assert seen == whole or (seen.endswith("…") and whole.startswith(seen[:-1])), (seen, whole)
    assert "chưa có hồ sơ trực tuyến trong kỳ" in set(shown["reason_text"]), "the commonest reason whole"
    for column in ("received_new", "received_online"):  # the period's sums, unknown empty
        assert shown[column].astype("float64").fillna(-1).tolist() == (
            expected[column].astype("float64").fillna(-1).tolist()
        )

    # the top sentence: "Còn N TTHC chưa có hồ sơ trực tuyến trong kỳ: …", N = those in the denominator not counted
    left = expected[expected["in_denominator"].eq(True) & expected["counted"].eq(False)]
    sentence = [w.value for w in at.warning if w.value.startswith("Còn ")]
    assert len(sentence) == 1
    assert sentence[0].startswith(f"Còn {fmt_int(len(left))} TTHC chưa có hồ sơ trực tuyến trong kỳ")
    assert str(left["procedure_name"].iloc[0]).split(" ")[0] in sentence[0]
    # how many left out for want of figures by procedure
    unknown = int(expected["counted"].isna().sum())
    assert unknown > 0, "the sample has fields given as one row"
    assert any(c.value.startswith(f"{fmt_int(unknown)} TTHC chưa có số liệu theo TTHC") for c in at.caption)

    # the KPI's line is the engine's
    engine = open_engine(sample_db_url)
    row = (
        procedure_kpi_table(SqlProcedureFigures(engine), catalog_lookup(engine), _plan(), period=PERIOD)
        .set_index("kpi")
        .loc[KPI]
    )
    line = next(m.value for m in at.markdown if m.value.startswith("**"))
    assert f"(đạt {fmt_int(row['numerator'])}/{fmt_int(row['denominator'])} TTHC)" in line
    # numerator = counted, denominator = counted + not counted (in the denominator), from the list
    assert row["numerator"] == int(expected["counted"].eq(True).sum())
    assert row["denominator"] == int(row["numerator"]) + len(left)

    # a procedure's trend: one chart
    assert at.selectbox(key="proc_pick").value == expected["procedure_code"].iloc[0]
    assert len(at.get("plotly_chart")) == 1


def test_unit_and_field_filter_the_list_and_the_catalog(
    sample_db_url: str, app_env: pytest.MonkeyPatch
) -> None:
    _with_catalog(sample_db_url)
    at = _page(sample_db_url, app_env, unit=TRH)
    at.selectbox(key="proc_kpi").set_value(KPI).run()
    shown = _shown(at, "proc_list")
    assert "unit_short" not in shown.columns, "the unit chosen in the sidebar is not repeated on each row"
    assert shown["procedure_code"].tolist() == _list(sample_db_url, KPI, unit=TRH)["procedure_code"].tolist()
    catalog = catalog_in_force(open_engine(sample_db_url), PERIOD)
    fields = sorted(set(catalog.loc[catalog["unit"] == TRH, "field"]))
    assert at.selectbox(key="proc_field").options[1:] == fields
    at.selectbox(key="proc_field").set_value("Thi, tuyển sinh").run()
    assert not at.exception
    shown = _shown(at, "proc_list")
    assert "field" not in shown.columns
    expected = _list(sample_db_url, KPI, unit=TRH, field="Thi, tuyển sinh")
    assert shown["procedure_code"].tolist() == expected["procedure_code"].tolist()
    in_catalog = catalog[(catalog["unit"] == TRH) & (catalog["field"] == "Thi, tuyển sinh")]
    assert sorted(_shown(at, "proc_catalog")["procedure_code"]) == sorted(in_catalog["procedure_code"])


def test_the_catalog_its_versions_changes_and_codes_not_in_it(
    sample_db_url: str, app_env: pytest.MonkeyPatch
) -> None:
    _with_catalog(sample_db_url)
    engine = open_engine(sample_db_url)
    first = catalog_in_force(engine, PERIOD)
    # a second version from 06/2024: one procedure dropped (its figures' code is then unknown), one
    # procedure's level changed, its portal flag made unknown
    dropped, changed = "1.005090", "1.005092"
    assert {dropped, changed} <= set(first["procedure_code"])
    second = first[first["procedure_code"] != dropped].copy()
    second.loc[second["procedure_code"] == changed, "online_level"] = "một phần"
    second.loc[second["procedure_code"] == changed, "on_national_portal"] = pd.NA
    save_catalog(engine, second, effective="2024-06", file_name="danh-muc-2024.xlsx", sha256="0" * 64)

    at = _page(sample_db_url, app_env)
    catalog = _shown(at, "proc_catalog")
    assert len(catalog) == len(first) - 1
    assert any(
        c.value.startswith("Danh mục áp dụng cho tháng 12/2024: lần cập nhật #2, áp dụng từ tháng 06/2024")
        for c in at.caption
    )
    one = catalog.set_index("procedure_code").loc[changed]
    assert one["online_level"] == "một phần"
    assert one["on_national_portal"] == "Chưa rõ"
    assert set(catalog["has_fee"]) <= {"Có", "Không", "Chưa rõ"}
    assert any("áp dụng từ tháng 06/2024" in c.value for c in at.caption)

    versions = _shown(at, "proc_versions")
    assert versions["effective"].tolist() == ["06/2024", "01/2023"]
    changes = _shown(at, "proc_changes").set_index("procedure_code")
    assert changes.loc[dropped, "change"] == "Bỏ khỏi danh mục"
    assert changes.loc[changed, "change"] == "Thay đổi"
    assert changes.loc[changed, "columns"] == "Mức độ DVCTT, Tích hợp Cổng DVCQG"
    assert len(changes) == 2
    assert any(c.value == "Thêm 0, bỏ 1, thay đổi 1 TTHC." for c in at.caption)

    unknown = _shown(at, "proc_unknown_codes")
    assert set(unknown["procedure_code"]) == {dropped}
    assert any("1 mã TTHC có trong số liệu" in w.value for w in at.warning)

    # before 06/2024 the first version is in force: every code is in it
    at = _page(sample_db_url, app_env, period="2024-05")
    assert any("lần cập nhật #1, áp dụng từ tháng 01/2023" in c.value for c in at.caption)
    assert dropped in set(_shown(at, "proc_catalog")["procedure_code"])
    assert any(c.value.startswith("Mọi mã TTHC") for c in at.caption)


def test_a_unit_without_procedures_in_the_catalog(sample_db_url: str, app_env: pytest.MonkeyPatch) -> None:
    at = _page(sample_db_url, app_env, unit="Thanh tra Sở")
    line = next(m.value for m in at.markdown if m.value.startswith("**"))
    assert "chưa tính được (không có TTHC thuộc phạm vi)" in line
    assert any(
        c.value == "Không có TTHC nào thuộc phạm vi chỉ tiêu với bộ lọc đang chọn." for c in at.caption
    )
    n = len(catalog_in_force(open_engine(sample_db_url), PERIOD))
    assert any(c.value == f"Đang hiển thị 0/{n} TTHC theo bộ lọc đơn vị và lĩnh vực." for c in at.caption)


def test_without_a_catalog_the_page_says_so(sample_db_url: str, app_env: pytest.MonkeyPatch) -> None:
    _without_catalog(sample_db_url)
    at = _page(sample_db_url, app_env)
    assert any("Chưa có danh mục TTHC áp dụng" in i.value for i in at.info)
    assert not at.get("plotly_chart")
    assert any(c.value == "Chưa có danh mục TTHC nào được nhập." for c in at.caption)


# ---------------------------------------------------------------------------- the pieces


def test_flags_effective_month_and_counted_in_words() -> None:
    assert [pv.flag_text(v) for v in (True, False, pd.NA, None)] == ["Có", "Không", "Chưa rõ", "Chưa rõ"]
    assert fmt_month_padded("2024-01") == "01/2024"
    assert [pv.counted_text(v) for v in (True, False, pd.NA)] == ["Có", "Không", "Chưa có số liệu"]
    assert pv.reason_text("not_on_portal") == "chưa tích hợp lên Cổng DVCQG"


def _frame(rows: list[tuple[str, str, object, bool, str, object]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "procedure_code": [r[0] for r in rows],
            "procedure_name": [r[1] for r in rows],
            "unit": TRH,
            "field": "Giáo dục trung học",
            "online_level": "toàn trình",
            "counted": pd.array([r[2] for r in rows], dtype="boolean"),
            "in_denominator": pd.array([r[3] for r in rows], dtype="boolean"),
            "reason": [r[4] for r in rows],
            "received_new": pd.array([r[5] for r in rows], dtype="Int64"),
        }
    )


def test_the_top_sentence_names_the_ones_not_counted() -> None:
    frame = _frame(
        [
            ("1", "A", False, True, "no_online_dossier", 9),
            ("2", "B", False, True, "no_online_dossier", 3),
            ("3", "C", pd.NA, pd.NA, "unknown_figures", pd.NA),
            ("4", "D", True, True, "counted", 20),
            ("5", "E", False, False, "not_active", 0),  # outside the denominator: not named
        ]
    )
    assert pv.not_counted_sentence(frame) == "Còn 2 TTHC chưa có hồ sơ trực tuyến trong kỳ: A, B."
    assert (
        pv.not_counted_sentence(frame, limit=1)
        == "Còn 2 TTHC chưa có hồ sơ trực tuyến trong kỳ: A và 1 TTHC khác."
    )
    mixed = frame.assign(
        reason=["no_online_dossier", "partly_online", "unknown_figures", "counted", "not_active"]
    )
    assert pv.not_counted_sentence(mixed) == "Còn 2 TTHC chưa đạt: A, B."
    done = frame[frame["procedure_code"].isin(["3", "4"])]
    assert pv.not_counted_sentence(done) == "Tất cả 1 TTHC thuộc phạm vi đều đạt."
    assert pv.not_counted_sentence(frame.iloc[0:0]) == ""


def test_the_lists_excel_has_every_procedure_and_its_figures(tmp_path: Path) -> None:
    frame = _frame(
        [
            ("1.000001", "A", False, True, "no_online_dossier", 9),
            ("1.000002", "B", pd.NA, pd.NA, "unknown_figures", pd.NA),
            ("1.000003", "C", True, True, "counted", 20),
        ]
    )
    missing = pd.DataFrame(
        {
            "period": ["2024-12"],
            "unit": [TRH],
            "field": ["Giáo dục trung học"],
            "procedure_code": ["9.9"],
            "procedure_name": ["X"],
        }
    )
    spec = _plan().procedure_kpis[KPI]
    doc = pv.list_document(frame, missing, spec=spec, subtitle=("Kỳ báo cáo: Tháng 12/2024",), field=None)
    wb = openpyxl.load_workbook(io.BytesIO(document_xlsx(doc)))
    ws = wb["Danh sách TTHC"]
    head = int(ws.auto_filter.ref.split(":")[0][1:])
    headers = [c.value for c in ws[head]]
    assert headers == [
        "Mã TTHC",
        "Tên TTHC",
        "Đơn vị",
        "Lĩnh vực",
        "Mức độ DVCTT",
        "Được tính",
        "Lý do",
        "Tiếp nhận trong kỳ",
    ]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=head + 1, max_row=head + 3)]
    assert [r[0] for r in rows] == ["1.000001", "1.000002", "1.000003"]
    assert [r[5] for r in rows] == ["Không", "Chưa có số liệu", "Có"]
    assert [r[7] for r in rows] == [9, None, 20]
    texts = " ".join(str(c.value) for r in ws.iter_rows(max_row=head - 1) for c in r if c.value)
    assert "Thuộc phạm vi: 3 TTHC; được tính: 1; chưa được tính: 1; chưa có số liệu: 1." in texts
    assert len(wb.sheetnames) == 2  # the codes not in the catalog on their own sheet


def test_a_procedures_trend_leaves_unknown_months_empty() -> None:
    lists = pd.DataFrame(
        {
            "procedure_code": ["1", "1", "2"],
            "period": ["2024-01", "2024-03", "2024-01"],
            "received_new": pd.array([4, 0, 7], dtype="Int64"),
        }
    )
    s = pv.trend_series(lists, "1", ["2024-01", "2024-02", "2024-03"], ["received_new"])
    assert s["received_new"].tolist() == [4, pd.NA, 0]
    fig = pv.procedure_trend(s, ["received_new"], year=2024)
    assert list(fig.data[0].y) == [4.0, None, 0.0]
    assert fig.data[0].name == "Tiếp nhận trong kỳ"


@pytest.mark.parametrize("kpi", list(_plan().procedure_kpis))
def test_the_tables_fit_a_laptops_page(kpi: str) -> None:
    """Every KPI's list (with or without the unit and field columns) and the catalog are sized within
    the page at 1400 px (``ui.table_view.LAPTOP_WIDTH``), no column under its least width."""
    from ui.table_view import FRAME_MARGIN, LAPTOP_WIDTH, MIN_FIT_WIDTH

    figures = list(dict.fromkeys(("received_new", *_plan().procedure_kpis[kpi].columns)))
    for unit in (True, False):
        for field in (True, False):
            cols = pv.list_columns(figures, unit=unit, field=field)
            assert sum(c.width or 0 for c in cols) <= LAPTOP_WIDTH - FRAME_MARGIN, (unit, field, cols)
            assert all((c.width or 0) >= MIN_FIT_WIDTH for c in cols if c.fit)
            assert [c.key for c in cols if c.essential] == ["procedure", "counted_text", "reason_text"]
    assert sum(c.width or 0 for c in pv.catalog_columns()) <= LAPTOP_WIDTH - FRAME_MARGIN
