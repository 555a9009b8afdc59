"""A dossier list through the import pipeline (``python -m data_access import``), stored on SQLite and
PostgreSQL as an upload of layout ``dossiers``, with the figures the list gives."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from data_access.__main__ import main
from data_access.schema import upload
from data_access.store import load_figures, open_engine
from tests.test_dossier_list import row, workbook


def _list(tmp_path: Path) -> Path:
    # P1 (unit and field named on every row): in March
    #   D1 online full, received 01/03, due 10/03, ended 10/03 → resolved on time
    #   D2 direct, received 02/03, due 05/03, ended 06/03 → resolved late
    #   D3 direct, received 03/03, due 30/04, open → pending in time at 31/03
    # received_new = 3, resolved = 2, pending = 1: 3 + 0 carried over = 2 + 1 + 0 withdrawn
    rows = [
        row("D1", channel="Trực tuyến", full="Có", rec="01/03/2024", due="10/03/2024", end="10/03/2024"),
        row("D2", rec="02/03/2024", due="05/03/2024", end="06/03/2024"),
        row("D3", rec="03/03/2024", due="30/04/2024", result=None),
    ]
    path = tmp_path / "ds.xlsx"
    path.write_bytes(workbook(rows, period="Từ ngày 01/03/2024 đến ngày 31/03/2024"))
    return path


def test_dossier_list_imported_as_figures(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["import", str(_list(tmp_path)), "--db", db_url])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "ds.xlsx" in out
    engine = open_engine(db_url)
    with engine.connect() as conn:
        layouts = conn.execute(sa.select(upload.c.layout)).scalars().all()
    assert layouts == ["dossiers"]
    f = load_figures(engine)
    assert set(f["period"]) == {"2024-03"}
    assert f["received_new"].sum() == 3
    assert f["received_online_full"].sum() == 1
    assert f["resolved_on_time"].sum() == 1
    assert f["resolved_late"].sum() == 1
    assert f["pending_in_time"].sum() == 1


def test_bad_dossier_list_leaves_the_database_unchanged(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.xlsx"
    # an open dossier with an end date, and a duplicate code
    path.write_bytes(
        workbook(
            [row("D1", end="05/03/2024", status="Đang giải quyết"), row("D1")],
            period="Từ ngày 01/03/2024 đến ngày 31/03/2024",
        )
    )
    code = main(["import", str(path), "--db", db_url])
    _, err = capsys.readouterr()
    assert code == 1
    assert "D1" in err or "Dòng" in err or "dòng" in err
    engine = open_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(upload)).scalar_one() == 0


def test_import_reads_the_procedure_catalog_in_force(engine: sa.Engine) -> None:
    # Two catalog versions: from 2024-01 P1 is "toàn trình", from 2024-04 "một phần". Two online
    # dossiers of P1 without a Toàn trình cell and without unit and field: A received 05/03 (catalog
    # 2024-01: full), B received 05/04 (catalog 2024-04: partial); unit and field from the catalog.
    from data_access.procedure_catalog import save_catalog
    from data_access.store import import_files
    from tests.test_dossier_list import FIELD, TODAY, UNIT, catalog_frame

    first = catalog_frame()
    later = catalog_frame()
    later.loc[later["procedure_code"] == "P1", "online_level"] = "một phần"
    save_catalog(engine, first, effective="2024-01", file_name="dm1.xlsx", sha256="a")
    save_catalog(engine, later, effective="2024-04", file_name="dm2.xlsx", sha256="b")
    rows = [
        row("A", channel="Trực tuyến", rec="05/03/2024", due="30/04/2024", unit=None, field=None),
        row("B", channel="Trực tuyến", rec="05/04/2024", due="30/04/2024", unit=None, field=None),
    ]
    data = workbook(rows, period="Từ ngày 01/03/2024 đến ngày 30/04/2024")
    result = import_files(engine, [("ds.xlsx", data)], today=TODAY)
    assert result.ok, [i.format() for i in result.issues]
    f = load_figures(engine).set_index("period")
    assert (f.at["2024-03", "unit"], f.at["2024-03", "field"]) == (UNIT, FIELD)
    assert (f.at["2024-03", "received_online_full"], f.at["2024-03", "received_online_partial"]) == (1, 0)
    assert (f.at["2024-04", "received_online_full"], f.at["2024-04", "received_online_partial"]) == (0, 1)
    assert f.at["2024-04", "carried_over"] == 1  # A, open since March


def test_import_without_a_catalog_refuses_rows_without_unit(engine: sa.Engine) -> None:
    from data_access.store import import_files
    from tests.test_dossier_list import TODAY

    data = workbook([row("A", unit=None)], period="Từ ngày 01/03/2024 đến ngày 31/03/2024")
    result = import_files(engine, [("ds.xlsx", data)], today=TODAY)
    assert not result.ok and [i.code for i in result.errors] == ["dossier_unit_missing"]


def test_a_month_without_dossiers_replaces_the_stored_month_with_zeros(engine: sa.Engine) -> None:
    # First a list of May: one dossier of UNIT received and resolved in May (received_new 1).
    # Then a list of April–June in which UNIT has no dossier at all in May: May of UNIT is
    # replaced by a row of zeros (the period line covers May: a known zero), not left at 1.
    from data_access.columns import COUNT_COLUMNS
    from data_access.store import import_files
    from tests.test_dossier_list import TODAY

    may = workbook(
        [row("M", rec="02/05/2024", due="10/05/2024", end="03/05/2024")],
        period="Từ ngày 01/05/2024 đến ngày 31/05/2024",
    )
    assert import_files(engine, [("thang5.xlsx", may)], today=TODAY).ok
    quarter = workbook(
        [
            row("A", rec="02/04/2024", due="10/04/2024", end="03/04/2024"),
            row("C", rec="03/06/2024", due="20/06/2024", end="04/06/2024"),
        ],
        period="Từ ngày 01/04/2024 đến ngày 30/06/2024",
    )
    result = import_files(engine, [("quy2.xlsx", quarter)], today=TODAY)
    assert result.ok and result.uploads[0].months == ["2024-04", "2024-05", "2024-06"]
    f = load_figures(engine)
    got = f[f["period"] == "2024-05"]
    assert len(got) == 1 and all(got.iloc[0][c] == 0 for c in COUNT_COLUMNS)


def test_the_stored_upload_says_its_dossiers_and_units(engine: sa.Engine) -> None:
    # the list of _list(): 3 dossiers of one unit in March; a template file says 0 dossiers
    from data_access.store import import_files
    from tests.test_dossier_list import TODAY, UNIT

    rows = [row("D1", rec="01/03/2024", due="10/03/2024", end="10/03/2024"), row("D2", rec="02/03/2024")]
    data = workbook(rows, period="Từ ngày 01/03/2024 đến ngày 31/03/2024")
    info = import_files(engine, [("ds.xlsx", data)], today=TODAY).uploads[0]
    assert (info.dossiers, info.units, info.months, info.rows) == (2, [UNIT], ["2024-03"], 1)
