"""``python -m kpi procedures`` (``procedures.md``): the list of the page "Thủ tục hành chính" — a small
database counted by hand, then the sample data equal to :func:`kpi.procedures.procedure_list`, the
formats and the refusals."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from data_access.catalog import load_catalog
from data_access.procedure_catalog import catalog_in_force, save_catalog
from data_access.procedure_figures import SqlProcedureFigures, catalog_lookup
from data_access.store import import_files, open_engine
from kpi import __main__ as kpi_cli
from kpi.cli_procedures import JSON_KEYS, records
from kpi.periods import parse_period
from kpi.procedures import procedure_list
from kpi.targets import Plan, load_targets
from tests.helpers import ROOT
from tests.workbooks import canonical_records, record, write

KPI = "online_procedures_with_dossiers"
TRH = "Phòng Giáo dục Trung học"


def _plan() -> Plan:
    return load_targets(ROOT / "targets.toml", unit_resolver=load_catalog().units.match)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = kpi_cli.main(["procedures", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _json(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> list[dict[str, object]]:
    code, out, err = _run(capsys, *args, "--format", "json", "--db", url)
    assert code == 0, err
    return json.loads(out)


# ---------------------------------------------------------------------------- counted by hand

#: Four procedures of the sample catalog, all offered fully online: three in "Giáo dục trung học"
#: (given by procedure in January), one in "Thi, tuyển sinh" (given as one row without a code).
P1, P2, P3, P4 = "1.005090", "1.005091", "1.005093", "1.005142"


@pytest.fixture
def small_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'small.db'}"
    engine = open_engine(url)
    sample = catalog_in_force(_sample_engine(tmp_path), "2024-01")
    catalog = sample[sample["procedure_code"].isin([P1, P2, P3, P4])].copy()
    catalog["online_level"] = "toàn trình"
    assert len(catalog) == 4
    save_catalog(engine, catalog, effective="2024-01", file_name="danh-muc.xlsx", sha256="0" * 64)
    gdth = "Giáo dục trung học"
    rows = [
        # received 10 fully online + 2 partly + 3 direct + 1 postal = 16 new, 12 online
        record("01/2024", TRH, gdth, P1, "P1"),
        # none online: 15 direct + 1 postal = 16 new, 0 online (balanced as the template's example)
        record(
            "01/2024",
            TRH,
            gdth,
            P2,
            "P2",
            received_online_full=0,
            received_online_partial=0,
            received_direct=15,
        ),
        # P3 has no row in a field given by procedure: known 0
        record("01/2024", TRH, "Thi, tuyển sinh"),  # one row for the field: P4 unknown
    ]
    path = write(tmp_path, "so-lieu-2024-01.xlsx", canonical_records(rows))
    result = import_files(engine, [path], user="test")
    assert result.ok, [i.format() for i in result.errors]
    return url


def test_kpi_report_counts_the_small_database_by_hand(
    small_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``kpi report --format json`` after the catalog: the procedure KPIs with ``kind`` and ``unknown``."""
    capsys.readouterr()
    assert kpi_cli.main(["report", "--period", "2024-01", "--format", "json", "--db", small_db]) == 0
    got = {r["kpi"]: r for r in json.loads(capsys.readouterr().out)}
    assert got["online_full"]["kind"] == "dossiers" and got["online_full"]["unknown"] is None
    online = got[KPI]
    # in scope: the 4 procedures offered online; P4 (its field came as one row) is unknown and left out:
    # denominator 3 (P1, P2, P3); counted: P1 only (12 online) → 1 / 3 = 33,3 % < 80 %;
    # shortfall ⌈0,8 × 3 − 1⌉ = ⌈1,4⌉ = 2 procedures
    assert (online["kind"], online["numerator"], online["denominator"], online["unknown"]) == (
        "procedures",
        1,
        3,
        1,
    )
    assert online["value"] == pytest.approx(1 / 3) and online["shortfall"] == 2
    assert online["status"] == "below" and online["rows"] is None
    # counted_if needs no figures: the 4 are eligible for and offered fully online in this catalog (4 / 4),
    # and all 4 are on the national portal (4 / 4)
    full, portal = got["procedures_full_online"], got["procedures_on_national_portal"]
    assert (full["numerator"], full["denominator"], full["unknown"], full["status"]) == (4, 4, 0, "met")
    assert (portal["numerator"], portal["denominator"], portal["unknown"]) == (4, 4, 0)


def _sample_engine(tmp_path: Path) -> object:
    from data_access.procedure_catalog import import_catalog

    engine = open_engine(f"sqlite:///{tmp_path / 'catalog.db'}")
    _, vid = import_catalog(engine, ROOT / "sample_data" / "danh-muc-tthc.xlsx", effective="2023-01")
    assert vid is not None
    return engine


def test_a_small_database_counted_by_hand(small_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    got = _json(capsys, small_db, "--period", "2024-01", "--kpi", KPI)
    assert all(tuple(r) == JSON_KEYS for r in got)
    by_code = {r["procedure_code"]: r for r in got}
    # P1: 10 + 2 online > 0 → counted; P2: 0 + 0 online → not; P3: no row where the field is given
    # by procedure → 0, not counted; P4: its field came as one row → unknown (null), left out
    assert {c: r["counted"] for c, r in by_code.items()} == {P1: True, P2: False, P3: False, P4: None}
    assert by_code[P1]["values"] == {"received_new": 10 + 2 + 3 + 1, "received_online": 10 + 2}
    assert by_code[P2]["values"] == {"received_new": 0 + 0 + 15 + 1, "received_online": 0}
    assert by_code[P3]["values"] == {"received_new": 0, "received_online": 0}
    assert by_code[P4]["values"] == {"received_new": None, "received_online": None}
    # not counted first (most dossiers first: P2 16, P3 0), then unknown, then counted
    assert [r["procedure_code"] for r in got] == [P2, P3, P4, P1]
    assert {r["unit"] for r in got} == {TRH}

    code, out, _ = _run(capsys, "--period", "2024-01", "--kpi", KPI, "--db", small_db)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "DVCTT có phát sinh hồ sơ trực tuyến — tháng 1/2024"
    # 4 in scope: 1 counted, 2 not counted, 1 without figures by procedure
    assert lines[1] == (
        "Thuộc phạm vi: 4 TTHC; được tính: 1; chưa được tính: 2; chưa có số liệu theo TTHC: 1."
    )
    assert "chưa có hồ sơ trực tuyến trong kỳ" in out
    assert next(line for line in lines if line.startswith(P4)).split()[-2:] == ["–", "–"]

    code, out, _ = _run(capsys, "--period", "2024-01", "--kpi", KPI, "--format", "csv", "--db", small_db)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == [
        "procedure_code",
        "procedure_name",
        "unit",
        "field",
        "counted",
        "received_new",
        "received_online",
    ]
    assert [(r["procedure_code"], r["counted"], r["received_online"]) for r in rows] == [
        (P2, "false", "0"),
        (P3, "false", "0"),
        (P4, "", ""),
        (P1, "true", "12"),
    ]


# ---------------------------------------------------------------------------- the sample data


def _expected(url: str, kpi: str, period: str, *, ytd: bool = False, unit: str | None = None) -> list[dict]:
    engine = open_engine(url)
    frame = procedure_list(
        SqlProcedureFigures(engine),
        catalog_lookup(engine),
        _plan(),
        kpi=kpi,
        period=parse_period(period, ytd=ytd),
        unit=unit,
    )
    return records(frame)


@pytest.mark.parametrize("kpi", list(_plan().procedure_kpis))
def test_the_cli_lists_what_procedure_list_gives(
    kpi: str, sample_db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    got = _json(capsys, sample_db_url, "--period", "2024-12", "--kpi", kpi)
    assert got == _expected(sample_db_url, kpi, "2024-12")
    assert got, "the sample catalog has procedures in every KPI's scope"
    assert {type(r["counted"]) for r in got} <= {bool, type(None)}


def test_quarter_year_to_date_and_unit(sample_db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    q = _json(capsys, sample_db_url, "--period", "2024-Q1", "--kpi", KPI)
    assert q == _expected(sample_db_url, KPI, "2024-Q1")
    ytd = _json(capsys, sample_db_url, "--period", "2024-06", "--ytd", "--kpi", KPI)
    assert ytd == _expected(sample_db_url, KPI, "2024-06", ytd=True)
    month = _json(capsys, sample_db_url, "--period", "2024-06", "--kpi", KPI)
    assert ytd != month, "six months summed differ from June alone"
    unit = _json(
        capsys, sample_db_url, "--period", "2024-06", "--kpi", KPI, "--unit", "phòng giáo dục trung học"
    )
    assert unit == _expected(sample_db_url, KPI, "2024-06", unit=TRH)
    assert unit and {r["unit"] for r in unit} == {TRH}
    assert len(unit) < len(month)


def test_refusals(sample_db_url: str, sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "--period", "2024-06", "--kpi", "online_full", "--db", sample_db_url)
    assert code == 1
    assert "online_full" in err and KPI in err  # a dossier KPI is not a procedure KPI: the known ones named
    code, _, err = _run(
        capsys,
        "--period",
        "2024-06",
        "--kpi",
        KPI,
        "--unit",
        "Phòng Giáo dục Trung hoc x",
        "--db",
        sample_db_url,
    )
    assert code == 1 and "Không có đơn vị" in err
    code, _, err = _run(capsys, "--period", "2024-06", "--kpi", KPI, "--db", sqlite_url)
    assert code == 1 and err.startswith("LỖI:")
    with pytest.raises(SystemExit) as exc:
        _run(capsys, "--period", "2024-Q1", "--ytd", "--kpi", KPI, "--db", sample_db_url)
    assert exc.value.code == 2
    code, _, err = _run(capsys, "--period", "2025-01", "--kpi", KPI, "--db", sample_db_url)
    assert code == 1 and "2025" in err


def test_records_keep_unknown_as_null() -> None:
    frame = pd.DataFrame(
        {
            "procedure_code": ["1"],
            "procedure_name": ["A"],
            "unit": [TRH],
            "field": ["F"],
            "online_level": ["toàn trình"],
            "counted": pd.array([pd.NA], dtype="boolean"),
            "in_denominator": pd.array([pd.NA], dtype="boolean"),
            "reason": ["unknown_figures"],
            "received_new": pd.array([pd.NA], dtype="Int64"),
        }
    )
    assert records(frame) == [
        {
            "procedure_code": "1",
            "procedure_name": "A",
            "unit": TRH,
            "field": "F",
            "counted": None,
            "values": {"received_new": None},
        }
    ]
