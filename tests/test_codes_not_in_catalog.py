"""Figures naming a procedure the catalog in force does not list: stored, with one warning naming the
codes (``procedures.md``), on the command line as on the page (both go through ``prepare_import``)."""

from __future__ import annotations

from pathlib import Path

from data_access.procedure_catalog import load_sample_catalog_if_empty
from data_access.store import import_files, open_engine, prepare_import
from data_access.store.reads import active_parts
from tests.helpers import ROOT

SAMPLE = ROOT / "sample_data"
LIST = SAMPLE / "ds-ho-so-2024-q2.xlsx"


def test_codes_not_in_the_catalog_are_named_and_the_figures_stored(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'c.db'}")
    assert load_sample_catalog_if_empty(engine, SAMPLE, user="test") is not None
    prepared = prepare_import(engine, [LIST])
    warned = [i for i in prepared.warnings if i.code == "procedure_not_in_catalog"]
    # the sample list's two units without a procedure in the sample catalog use 1.008999 and 2.002999
    assert len(warned) == 1, [i.format() for i in prepared.warnings]
    assert "2 mã TTHC" in warned[0].message and "1.008999, 2.002999" in warned[0].message
    assert warned[0].column == "Mã TTHC"
    result = import_files(engine, [LIST], user="test")
    assert result.ok, [i.format() for i in result.errors]
    assert sorted(set(active_parts(engine)["period"])) == ["2024-04", "2024-05", "2024-06"]


def test_no_catalog_in_force_no_warning(tmp_path: Path) -> None:
    """With no catalog stored every code would be "unknown": nothing to compare with, so no warning."""
    engine = open_engine(f"sqlite:///{tmp_path / 'n.db'}")
    files = sorted(SAMPLE.glob("so-lieu-2024-0[1-2].xlsx"))
    prepared = prepare_import(engine, files)
    assert prepared.ok
    assert not [i for i in prepared.warnings if i.code == "procedure_not_in_catalog"]
