"""The reporting cut-off (``periods.md``): ``REPORTING_CUTOFF_DAY``, the months it gives
(:mod:`data_access.reporting_period`), the II.06a period line read under it, the upload page's line
saying which month a report maps to, and the setting's validation."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from data_access import settings
from data_access.__main__ import main
from data_access.readers import ReadResult, read_workbook
from data_access.reporting_period import month_of_date, month_of_span, month_span
from data_access.store import load_figures, open_engine, prepare_import
from tests.helpers import EXAMPLES, ROOT
from tests.test_page_upload import no_exception, start_app, table, texts, upload
from ui.upload_view import period_notes

D = dt.date
BAO_CAO = EXAMPLES / "bao-cao-06a-mau.xlsx"  # a copy of ../shared/design/examples/bao-cao-06a-mau.xlsx
TODAY = D(2024, 12, 31)
GDTrH = "Phòng Giáo dục Trung học"
LINE_15_14 = "Kỳ báo cáo: Tháng 3 năm 2024 (Từ ngày 15/02/2024 đến ngày 14/03/2024)"


@pytest.fixture
def clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No setting in the environment, an empty home and working directory, no project secrets file."""
    for s in settings.SETTINGS:
        monkeypatch.delenv(s.env, raising=False)
    (tmp_path / "home").mkdir()
    (tmp_path / "work").mkdir()
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path / "home"))
    monkeypatch.chdir(tmp_path / "work")
    monkeypatch.setattr(settings, "SECRETS_FILE", tmp_path / "project" / ".streamlit" / "secrets.toml")
    return monkeypatch


def with_period_line(line: str) -> bytes:
    """The example II.06a report (June 2024, A5 "Kỳ báo cáo: Tháng 6 năm 2024 (Từ ngày 01/06/2024 …)")
    with its period line replaced by ``line``."""
    wb = openpyxl.load_workbook(BAO_CAO)
    ws = wb["Bieu06a"]
    assert str(ws["A5"].value).startswith("Kỳ báo cáo: Tháng 6 năm 2024")
    ws["A5"] = line
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read(line: str, cutoff_day: int | None) -> ReadResult:
    return read_workbook(
        with_period_line(line), filename="bao-cao.xlsx", unit=GDTrH, today=TODAY, cutoff_day=cutoff_day
    )


# ---------------------------------------------------------------------------- the months


def test_month_span() -> None:
    # cut-off 14: month M runs from the day after 14/(M-1) to 14/M
    assert month_span("2024-03", 14) == (D(2024, 2, 15), D(2024, 3, 14))
    assert month_span("2024-01", 14) == (D(2023, 12, 15), D(2024, 1, 14))  # across the year boundary
    assert month_span("2024-12", 14) == (D(2024, 11, 15), D(2024, 12, 14))
    # calendar months: 2024 is a leap year (29 days in February), 2023 is not
    assert month_span("2024-02", None) == (D(2024, 2, 1), D(2024, 2, 29))
    assert month_span("2023-02", None) == (D(2023, 2, 1), D(2023, 2, 28))
    assert month_span("2024-12", None) == (D(2024, 12, 1), D(2024, 12, 31))
    # cut-off 28: after 28/02/2024 comes 29/02 (leap year), after 28/02/2023 comes 01/03
    assert month_span("2024-03", 28) == (D(2024, 2, 29), D(2024, 3, 28))
    assert month_span("2023-03", 28) == (D(2023, 3, 1), D(2023, 3, 28))
    assert month_span("2024-03", 1) == (D(2024, 2, 2), D(2024, 3, 1))
    for bad_day in (0, 29, 31):
        with pytest.raises(ValueError, match="cut-off day"):
            month_span("2024-03", bad_day)
    for bad_month in ("2024-13", "2024-3", "03/2024", "2024-00"):
        with pytest.raises(ValueError, match="YYYY-MM"):
            month_span(bad_month, 14)


def test_month_of_date_and_of_span() -> None:
    assert month_of_date(D(2024, 3, 14), 14) == "2024-03"
    assert month_of_date(D(2024, 3, 15), 14) == "2024-04"
    assert month_of_date(D(2023, 12, 15), 14) == "2024-01"  # the year's first reporting month
    assert month_of_date(D(2024, 3, 31), None) == "2024-03"
    assert month_of_span(D(2024, 2, 15), D(2024, 3, 14), 14) == "2024-03"
    assert month_of_span(D(2024, 2, 15), D(2024, 3, 14), None) is None
    assert month_of_span(D(2024, 3, 1), D(2024, 3, 31), None) == "2024-03"
    assert month_of_span(D(2024, 3, 1), D(2024, 3, 31), 14) is None
    assert month_of_span(D(2023, 12, 15), D(2024, 1, 14), 14) == "2024-01"
    assert month_of_span(D(2024, 2, 15), D(2024, 3, 13), 14) is None  # a day short
    assert month_of_span(D(2024, 3, 14), D(2024, 2, 15), 14) is None  # the wrong way round


# ---------------------------------------------------------------------------- the II.06a period line


def test_15_to_14_span_is_march_under_cutoff_14() -> None:
    r = read(LINE_15_14, 14)
    assert r.ok, [i.format() for i in r.issues]
    assert r.months == ["2024-03"]
    assert r.period_span == (D(2024, 2, 15), D(2024, 3, 14))
    # the figures are those of the example (read as June under calendar months), only the month differs
    june = read_workbook(BAO_CAO, unit=GDTrH, today=TODAY)
    assert june.months == ["2024-06"] and june.period_span == (D(2024, 6, 1), D(2024, 6, 30))
    assert r.frame.drop(columns="period").equals(june.frame.drop(columns="period"))
    # Excel row 11 of the example: (4) 112, (5) 22, (7) 111 → received_new 112 + 22 = 134
    assert (r.frame.iloc[0]["received_new"], r.frame.iloc[0]["resolved"]) == (134, 111)


def test_15_to_14_span_is_refused_under_calendar_months() -> None:
    r = read(LINE_15_14, None)
    assert [i.code for i in r.errors] == ["official_period_span"]
    e = r.errors[0]
    assert (e.row, e.column, e.col_index) == (5, "Kỳ báo cáo", 0)
    assert "từ ngày 15/02/2024 đến ngày 14/03/2024" in e.message  # the span found
    assert "tháng 3/2024 là từ ngày 01/03/2024 đến ngày 31/03/2024" in e.message  # the one expected
    assert "REPORTING_CUTOFF_DAY" in e.message and r.frame.empty
    # without the month in words the expected month is the one the span ends in: March again
    bare = read("Kỳ báo cáo: Từ ngày 15/02/2024 đến ngày 14/03/2024", None)
    assert [i.code for i in bare.errors] == ["official_period_span"]
    assert "từ ngày 01/03/2024 đến ngày 31/03/2024" in bare.errors[0].message


def test_calendar_month_is_refused_under_cutoff_14() -> None:
    r = read("Kỳ báo cáo: Tháng 3 năm 2024 (Từ ngày 01/03/2024 đến ngày 31/03/2024)", 14)
    assert [i.code for i in r.errors] == ["official_period_span"]
    message = r.errors[0].message
    assert "từ ngày 01/03/2024 đến ngày 31/03/2024" in message
    assert "tháng 3/2024 là từ ngày 15/02/2024 đến ngày 14/03/2024" in message
    assert "chốt số liệu ngày 14" in message
    # no month in words: 31/03 is in April's reporting month (15/03–14/04)
    bare = read("Từ ngày 01/03/2024 đến ngày 31/03/2024", 14)
    assert "tháng 4/2024 là từ ngày 15/03/2024 đến ngày 14/04/2024" in bare.errors[0].message
    # the example itself (01/06–30/06) is refused too
    june = read_workbook(BAO_CAO, unit=GDTrH, today=TODAY, cutoff_day=14)
    assert [i.code for i in june.errors] == ["official_period_span"]
    assert "tháng 6/2024 là từ ngày 15/05/2024 đến ngày 14/06/2024" in june.errors[0].message


def test_other_spans_name_the_span_and_the_expected_one() -> None:
    # part of one reporting month
    part = read("Kỳ báo cáo: Tháng 3 năm 2024 (Từ ngày 01/03/2024 đến ngày 14/03/2024)", 14)
    assert [i.code for i in part.errors] == ["official_period_partial"]
    assert "từ ngày 01/03/2024 đến ngày 14/03/2024" in part.errors[0].message
    assert "từ ngày 15/02/2024 đến ngày 14/03/2024" in part.errors[0].message
    # a partial calendar month was accepted as its month before; it is one month only when whole
    half = read("Kỳ báo cáo: Tháng 3 năm 2024 (Từ ngày 01/03/2024 đến ngày 20/03/2024)", None)
    assert [i.code for i in half.errors] == ["official_period_partial"]
    assert "từ ngày 01/03/2024 đến ngày 31/03/2024" in half.errors[0].message
    # a whole reporting month, but not the one the line names in words
    named = read("Kỳ báo cáo: Tháng 3 năm 2024 (Từ ngày 15/03/2024 đến ngày 14/04/2024)", 14)
    assert [i.code for i in named.errors] == ["official_period_named"]
    assert named.errors[0].message.startswith(
        "Kỳ báo cáo ghi tháng 3/2024 nhưng từ ngày 15/03/2024 đến ngày 14/04/2024 là tháng 4/2024"
    )
    assert "tháng 3/2024 là từ ngày 15/02/2024 đến ngày 14/03/2024" in named.errors[0].message
    # a quarter
    quarter = read("Kỳ báo cáo: Quý I năm 2024 (Từ ngày 15/12/2023 đến ngày 14/03/2024)", 14)
    assert [i.code for i in quarter.errors] == ["official_period_span"]


def test_year_boundary_under_cutoff_14() -> None:
    r = read("Kỳ báo cáo: Tháng 1 năm 2024 (Từ ngày 15/12/2023 đến ngày 14/01/2024)", 14)
    assert r.ok and r.months == ["2024-01"]


# ---------------------------------------------------------------------------- the setting


def test_setting_values(clean: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert (settings.reporting_cutoff_day(), settings.source("reporting_cutoff_day")) == (None, "default")
    for value, expected in [("14", 14), (" 7 ", 7), ("1", 1), ("28", 28), ("", None), ("  ", None)]:
        clean.setenv("REPORTING_CUTOFF_DAY", value)
        assert settings.reporting_cutoff_day() == expected, value
    for value in ("0", "29", "31", "-1", "abc", "14.5", "14 ngày"):
        clean.setenv("REPORTING_CUTOFF_DAY", value)
        with pytest.raises(settings.SettingError) as info:
            settings.reporting_cutoff_day()
        message = str(info.value)
        assert f"biến môi trường REPORTING_CUTOFF_DAY = '{value}'" in message
        assert "từ 1 đến 28" in message
    clean.delenv("REPORTING_CUTOFF_DAY")
    secrets = tmp_path / "work" / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir(parents=True)
    secrets.write_text("[reporting]\ncutoff_day = 14\n", encoding="utf-8")
    assert (settings.reporting_cutoff_day(), settings.source("reporting_cutoff_day")) == (14, "secrets")
    for bad in ("31", "true", '"x"'):
        secrets.write_text(f"[reporting]\ncutoff_day = {bad}\n", encoding="utf-8")
        with pytest.raises(settings.SettingError, match=r"\[reporting\] cutoff_day trong secrets.toml"):
            settings.reporting_cutoff_day()


def test_settings_command_reports_a_bad_cutoff(
    clean: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean.setenv("REPORTING_CUTOFF_DAY", "14")
    assert main(["settings", "--format", "json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert (rows["reporting_cutoff_day"]["value"], rows["reporting_cutoff_day"]["source"]) == (14, "env")
    assert not any("error" in r for r in rows.values())
    clean.setenv("REPORTING_CUTOFF_DAY", "29")
    assert main(["settings", "--format", "json"]) == 2
    out, err = capsys.readouterr()
    rows = {r["name"]: r for r in json.loads(out)}
    assert rows["reporting_cutoff_day"]["value"] == "29"  # as given, not a silent default
    assert "REPORTING_CUTOFF_DAY = '29'" in rows["reporting_cutoff_day"]["error"]
    assert [n for n, r in rows.items() if "error" in r] == ["reporting_cutoff_day"]
    assert err.startswith("LỖI: Thiết lập không hợp lệ: biến môi trường REPORTING_CUTOFF_DAY = '29'")
    assert main(["settings"]) == 2
    out, err = capsys.readouterr()
    assert "reporting_cutoff_day" in out and "database" in out  # every setting still listed
    assert "từ 1 đến 28" in err


# ---------------------------------------------------------------------------- the import and the upload page


def test_import_stores_march_under_cutoff_14(tmp_path: Path) -> None:
    """``REPORTING_CUTOFF_DAY=14 python -m data_access import …`` (a real process with that environment)."""
    path = tmp_path / "bao-cao-thang-3.xlsx"
    path.write_bytes(with_period_line(LINE_15_14))
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUTF8": "1", "REPORTING_CUTOFF_DAY": "14"}
    args = [sys.executable, "-m", "data_access", "import", str(path), "--db", db, "--unit", "Phòng GDTrH"]
    done = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "bao-cao-thang-3.xlsx: tháng 03/2024; 10 dòng; lần nhập #1"
    stored = load_figures(open_engine(db))
    assert stored["period"].unique().tolist() == ["2024-03"] and len(stored) == 10
    assert int(stored["received_online"].sum()) == 834  # the example's total row, column (4)


def test_import_refuses_under_calendar_months_and_a_bad_setting(
    clean: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bao-cao-thang-3.xlsx"
    path.write_bytes(with_period_line(LINE_15_14))
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["import", str(path), "--db", db, "--unit", "Phòng GDTrH"]) == 1
    err = capsys.readouterr().err
    assert "từ ngày 15/02/2024 đến ngày 14/03/2024" in err and "từ ngày 01/03/2024 đến ngày 31/03/2024" in err
    clean.setenv("REPORTING_CUTOFF_DAY", "15/14")
    assert main(["import", str(path), "--db", db, "--unit", "Phòng GDTrH"]) == 1
    err = capsys.readouterr().err
    assert "LỖI: Thiết lập không hợp lệ: biến môi trường REPORTING_CUTOFF_DAY = '15/14'" in err
    assert load_figures(open_engine(db)).empty


def test_upload_page_says_which_month(clean: pytest.MonkeyPatch, tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'upload.db'}")
    files = [
        ("bao-cao.xlsx", with_period_line(LINE_15_14)),
        ("so-lieu-mau.xlsx", (EXAMPLES / "so-lieu-mau.xlsx").read_bytes()),  # canonical: no period line
    ]
    clean.setenv("REPORTING_CUTOFF_DAY", "14")
    prepared = prepare_import(engine, files, unit=GDTrH, today=TODAY)
    assert prepared.ok, [i.format() for i in prepared.issues]
    assert period_notes(prepared) == ["Kỳ báo cáo 15/02/2024–14/03/2024 → Tháng 3/2024 (tệp bao-cao.xlsx)"]
    clean.delenv("REPORTING_CUTOFF_DAY")
    refused = prepare_import(engine, files[:1], unit=GDTrH, today=TODAY)
    assert [i.code for i in refused.errors] == ["official_period_span"] and period_notes(refused) == []
    clean.setenv("REPORTING_CUTOFF_DAY", "0")
    bad = prepare_import(engine, files, unit=GDTrH, today=TODAY)
    assert [i.code for i in bad.errors] == ["setting_invalid"] and not bad.results


# ---------------------------------------------------------------------------- the app (AppTest)


def test_upload_page_shows_the_month_a_report_maps_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at, _url = start_app(tmp_path, monkeypatch, REPORTING_CUTOFF_DAY="14")
    upload(at, ("bao-cao-thang-3.xlsx", with_period_line(LINE_15_14)))
    at.selectbox(key="upload_unit").set_value(GDTrH).run()
    no_exception(at)
    assert "Kỳ báo cáo 15/02/2024–14/03/2024 → Tháng 3/2024 (tệp bao-cao-thang-3.xlsx)" in texts(at.info)
    assert table(at, "Loại")["Tháng"].tolist() == ["3/2024"]


def test_app_says_a_bad_cutoff_at_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at, _url = start_app(tmp_path, monkeypatch, REPORTING_CUTOFF_DAY="29")
    no_exception(at)
    assert "biến môi trường REPORTING_CUTOFF_DAY = '29'" in texts(at.error)
