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
