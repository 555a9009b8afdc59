"""The sample list of dossiers (``sample_data/ds-ho-so-2024-q2.xlsx``): the committed file is what its
generator writes, its figures are the sample's for every (month, unit, field) of 2024-Q2, and imported
in place of the three monthly workbooks it gives the same ``python -m kpi report``."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from data_access.bootstrap import sample_files
from data_access.columns import PART_COLUMNS
from data_access.store import close_engines, import_files, open_engine
from data_access.xlsx.dossier_list import read_dossier_list
from kpi.__main__ import main as kpi_main
from sample_data.generate import make_rows
from sample_data.make_dossiers import LIST_FILE, QUARTER, list_bytes, make_dossiers

TODAY = dt.date(2025, 1, 1)


def test_committed_list_is_the_generators_output() -> None:
    assert LIST_FILE.name not in {p.name for p in sample_files()}  # the first start does not load it
    assert list_bytes(make_dossiers()) == LIST_FILE.read_bytes()


def test_list_gives_the_sample_figures_per_month_unit_field() -> None:
    read = read_dossier_list(LIST_FILE, today=TODAY)
    assert read.ok, [i.format() for i in read.issues[:5]]
    assert read.months == list(QUARTER) and len(read.units) == 7 and read.procedure_count == 41
    got = read.frame.groupby(["period", "unit", "field"])[list(PART_COLUMNS)].sum()
    sample = make_rows()
    want = (
        sample[sample["period"].isin(QUARTER)].groupby(["period", "unit", "field"])[list(PART_COLUMNS)].sum()
    )
    assert got.index.equals(want.index)
    assert (got[list(PART_COLUMNS)] == want[list(PART_COLUMNS)]).all().all()
    # as many figure rows as the three monthly workbooks: 41 keys a month, each with a dossier
    assert len(read.frame) == len(sample[sample["period"].isin(QUARTER)]) == 3 * 41
    # books balance per key and month
    f = read.frame
    assert (f["received_new"] + f["carried_over"] == f["resolved"] + f["pending"] + f["withdrawn"]).all()
    # every dossier received in the quarter is counted once; the rest were open at the end of March
    march = sample[sample["period"] == "2024-03"]
    open_end_of_march = int((march["pending_in_time"] + march["pending_overdue"]).sum())
    assert read.dossier_count == int(f["received_new"].sum()) + open_end_of_march


def _report(url: str, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert kpi_main(["report", *args, "--format", "json", "--db", url]) == 0
    return capsys.readouterr().out


def test_same_report_as_the_monthly_workbooks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    engine = open_engine(f"sqlite:///{a}")
    assert import_files(engine, sample_files()).ok
    close_engines()
    shutil.copy(a, b)
    listed = import_files(open_engine(f"sqlite:///{b}"), [LIST_FILE])
    assert listed.ok and listed.uploads[0].months == list(QUARTER)
    close_engines()
    for args in (
        ("--period", "2024-Q2"),
        ("--period", "2024-Q2", "--by", "unit,field"),
        ("--period", "2024-05"),
    ):
        before = _report(f"sqlite:///{a}", capsys, *args)
        after = _report(f"sqlite:///{b}", capsys, *args)
        assert before == after, args
        assert '"numerator"' in before
