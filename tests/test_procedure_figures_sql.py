"""Figures per procedure summed in the database (SqlProcedureFigures) equal the pandas path
(``kpi.procedures.procedure_figures_from_frame`` on the stored figures frame), on SQLite and PostgreSQL;
sums and coverage hand-computed on a small case; a re-upload replaces a (month, unit)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa

from data_access.columns import CATALOG_COLUMNS, CATALOG_FLAGS
from data_access.procedure_catalog import save_catalog
from data_access.procedure_figures import (
    CODES_COLUMNS,
    COVERAGE_COLUMNS,
    KEY_COLUMNS,
    MAX_RANGE_MONTHS,
    TOTAL_KEYS,
    SqlProcedureFigures,
    catalog_lookup,
    codes_not_in_catalog,
)
from data_access.store import import_files, load_figures
from kpi.procedures import procedure_figures_from_frame, procedure_kpi_table, procedure_list
from kpi.procedures import procedure_totals_from_figures as totals_of
from kpi.targets import load_targets
from tests.test_dossier_list import row as dossier_row
from tests.test_dossier_list import workbook as dossier_workbook
from tests.workbooks import canonical_records, record

UNIT = "Phòng Giáo dục Trung học"
FIELD = "Giáo dục trung học"
EXAMS = "Thi, tuyển sinh"
QUALITY = "Phòng Quản lý chất lượng"
QFIELD = "Kiểm định chất lượng giáo dục"
GDTX = "Phòng Giáo dục Thường xuyên, Giáo dục Nghề nghiệp và Đại học"
GDTX_FIELDS = ("Giáo dục thường xuyên", "Giáo dục nghề nghiệp")
COLS = ("received_online", "received_new", "payments_online", "received_postal", "returned_postal")


def _catalog(entries: list[tuple[str, str, str]]) -> pd.DataFrame:
    f = pd.DataFrame(
        {
            "procedure_code": [c for c, _, _ in entries],
            "procedure_name": [f"Thủ tục {c}" for c, _, _ in entries],
            "field": [fld for _, fld, _ in entries],
            "unit": [u for _, _, u in entries],
            "online_level": ["toàn trình"] * len(entries),
        }
    )
    for c in CATALOG_FLAGS:
        f[c] = pd.array([True] * len(entries), dtype="boolean")
    return f[list(CATALOG_COLUMNS)]


CATALOG = [
    ("P1", FIELD, UNIT),
    ("P2", FIELD, UNIT),
    ("P3", EXAMS, UNIT),
    ("Q1", QFIELD, QUALITY),
    ("D1", GDTX_FIELDS[0], GDTX),
    ("D2", GDTX_FIELDS[1], GDTX),
]


def _counts(full: int, partial: int, direct: int, postal: int, **more: object) -> dict[str, object]:
    """A row's received parts (the rest balanced from them): carried 0, all resolved on time."""
    new = full + partial + direct + postal
    return {
        "received_online_full": full,
        "received_online_partial": partial,
        "received_direct": direct,
        "received_postal": postal,
        "carried_over": 0,
        "resolved_early": 0,
        "resolved_on_time": new,
        "resolved_late": 0,
        "pending_in_time": 0,
        "pending_overdue": 0,
        "withdrawn": 0,
        "returned_postal": 0,
        "results_digitized": new,
        "dossiers_digitized": new,
        "payments_total": new,
        "payments_online": 0,
        **more,
    }


def _import(engine: sa.Engine, name: str, rows: list[dict[str, object]]) -> None:
    result = import_files(engine, [(name, canonical_records(rows))])
    assert result.ok, [i.format() for i in result.errors]


def _load(engine: sa.Engine) -> None:
    save_catalog(
        engine, _catalog(CATALOG), effective="2024-01", file_name="dm.xlsx", sha256="0" * 64, user="test"
    )
    _import(
        engine,
        "thang-1-2.xlsx",
        [
            # January, UNIT: FIELD by procedure (P1, P2 with an empty payment cell, X9 not in the
            # catalog); EXAMS as one field-level row (no code)
            record("01/2024", UNIT, FIELD, "P1", "Thủ tục P1", **_counts(5, 1, 3, 1, payments_online=2)),
            record("01/2024", UNIT, FIELD, "P2", "Thủ tục P2", **_counts(0, 0, 4, 0, payments_online=None)),
            record("01/2024", UNIT, FIELD, "X9", "Thủ tục lạ", **_counts(1, 0, 0, 0)),
            record("01/2024", UNIT, EXAMS, None, None, **_counts(2, 0, 2, 0)),
            # February, UNIT: P1 beside a remainder row of FIELD (P2 then unknown)
            record("02/2024", UNIT, FIELD, "P1", "Thủ tục P1", **_counts(0, 0, 2, 0)),
            record("02/2024", UNIT, FIELD, None, None, **_counts(3, 0, 0, 0)),
            # January, QUALITY: one field-level row
            record("01/2024", QUALITY, QFIELD, None, None, **_counts(1, 1, 1, 1)),
        ],
    )
    # March, GDTX: a dossier list with one online dossier of D1 (field GDTX_FIELDS[0]) only
    listing = dossier_workbook(
        [
            dossier_row(  # type: ignore[no-untyped-call]
                "HS1",
                proc="D1",
                channel="Trực tuyến",
                full="Có",
                rec="01/03/2024",
                due="10/03/2024",
                end="05/03/2024",
                unit=GDTX,
                field=GDTX_FIELDS[0],
            )
        ],
        period="Từ ngày 01/03/2024 đến ngày 31/03/2024",
    )
    result = import_files(engine, [("ds.xlsx", listing)])
    assert result.ok, [i.format() for i in result.errors]


@pytest.fixture
def loaded(engine: sa.Engine) -> sa.Engine:
    _load(engine)
    return engine


def _by_keys(frame: pd.DataFrame, keys: tuple[str, ...]) -> pd.DataFrame:
    return frame.sort_values(list(keys), kind="stable").reset_index(drop=True)


def _pandas(engine: sa.Engine, start: str, end: str, frame: pd.DataFrame | None = None) -> Any:
    source = SqlProcedureFigures(engine)
    return procedure_figures_from_frame(
        load_figures(engine) if frame is None else frame,
        start=start,
        end=end,
        columns=COLS,
        dossier_units=source.dossier_units(start=start, end=end),
        catalog=catalog_lookup(engine),
    )


def _assert_same(got: Any, expected: Any) -> None:
    cols = [*KEY_COLUMNS, *COLS]
    pd.testing.assert_frame_equal(
        _by_keys(got.sums[cols], KEY_COLUMNS), _by_keys(expected.sums[cols], KEY_COLUMNS), check_dtype=False
    )
    for c in COLS:
        assert str(got.sums[c].dtype) == "Int64"
    pd.testing.assert_frame_equal(
        _by_keys(got.coverage[list(COVERAGE_COLUMNS)], COVERAGE_COLUMNS[:3]),
        _by_keys(expected.coverage[list(COVERAGE_COLUMNS)], COVERAGE_COLUMNS[:3]),
        check_dtype=False,
    )
    pd.testing.assert_frame_equal(
        _by_keys(got.codes_not_in_catalog[list(CODES_COLUMNS)], CODES_COLUMNS[:4]),
        _by_keys(expected.codes_not_in_catalog[list(CODES_COLUMNS)], CODES_COLUMNS[:4]),
        check_dtype=False,
    )


@pytest.mark.parametrize(
    "start,end", [("2024-01", "2024-01"), ("2024-01", "2024-03"), ("2024-02", "2024-12")]
)
def test_sql_equals_pandas(loaded: sa.Engine, start: str, end: str) -> None:
    got = SqlProcedureFigures(loaded).procedure_figures(COLS, start=start, end=end)
    _assert_same(got, _pandas(loaded, start, end))


def test_hand_computed_sums_coverage_and_codes(loaded: sa.Engine) -> None:
    pf = SqlProcedureFigures(loaded).procedure_figures(COLS, start="2024-01", end="2024-03")
    sums = {tuple(r[:4]): dict(zip(COLS, r[4:], strict=True)) for r in pf.sums.itertuples(index=False)}
    p1 = sums[("2024-01", UNIT, FIELD, "P1")]
    # received_online = 5 full + 1 partial = 6; received_new = 6 + 3 direct + 1 postal = 10
    assert (p1["received_online"], p1["received_new"], p1["payments_online"], p1["received_postal"]) == (
        6,
        10,
        2,
        1,
    )
    p2 = sums[("2024-01", UNIT, FIELD, "P2")]
    # 0 + 0 online, 0 + 0 + 4 + 0 new; the payment cell is empty: unknown, never 0
    assert (p2["received_online"], p2["received_new"]) == (0, 4)
    assert p2["payments_online"] is pd.NA
    assert sums[("2024-02", UNIT, FIELD, "P1")]["received_new"] == 2  # 0 + 0 + 2 + 0
    # the dossier list: one online dossier of D1 in March
    d1 = sums[("2024-03", GDTX, GDTX_FIELDS[0], "D1")]
    assert (d1["received_online"], d1["received_new"]) == (1, 1)
    # no sums row for a field-level row (no code)
    assert set(sums) == {
        ("2024-01", UNIT, FIELD, "P1"),
        ("2024-01", UNIT, FIELD, "P2"),
        ("2024-01", UNIT, FIELD, "X9"),
        ("2024-02", UNIT, FIELD, "P1"),
        ("2024-03", GDTX, GDTX_FIELDS[0], "D1"),
    }
    levels = {(p, u, f): lv for p, u, f, lv in pf.coverage.itertuples(index=False)}
    assert levels == {
        ("2024-01", UNIT, FIELD): "procedure",  # every row has a code
        ("2024-01", UNIT, EXAMS): "partial",  # one row without a code
        ("2024-02", UNIT, FIELD): "partial",  # P1 beside a remainder row
        ("2024-01", QUALITY, QFIELD): "partial",
        # the dossier list: its field, and the unit's other catalog field without a dossier
        ("2024-03", GDTX, GDTX_FIELDS[0]): "procedure",
        ("2024-03", GDTX, GDTX_FIELDS[1]): "procedure",
    }
    codes = pf.codes_not_in_catalog
    assert codes.values.tolist() == [["2024-01", UNIT, FIELD, "X9", "Thủ tục lạ"]]
    pd.testing.assert_frame_equal(codes, codes_not_in_catalog(loaded, "2024-01", "2024-03"))


def test_reupload_replaces_the_month_and_unit(loaded: sa.Engine) -> None:
    # January of UNIT again: only P1 now. P2, X9 and the EXAMS row of the first upload are replaced;
    # February (the first upload's other month) and QUALITY's January stay
    _import(
        loaded,
        "thang-1-lai.xlsx",
        [record("01/2024", UNIT, FIELD, "P1", "Thủ tục P1", **_counts(7, 0, 0, 0))],
    )
    source = SqlProcedureFigures(loaded)
    pf = source.procedure_figures(COLS, start="2024-01", end="2024-02")
    keys = set(zip(pf.sums["period"], pf.sums["procedure_code"], strict=True))
    assert keys == {("2024-01", "P1"), ("2024-02", "P1")}
    jan = pf.sums[(pf.sums["period"] == "2024-01")].iloc[0]
    assert (jan["received_online"], jan["received_new"]) == (7, 7)  # 7 + 0 online, 7 + 0 + 0 + 0 new
    assert set(zip(pf.coverage["period"], pf.coverage["field"], pf.coverage["level"], strict=True)) == {
        ("2024-01", FIELD, "procedure"),
        ("2024-01", QFIELD, "partial"),
        ("2024-02", FIELD, "partial"),
    }
    assert pf.codes_not_in_catalog.empty
    _assert_same(pf, _pandas(loaded, "2024-01", "2024-02"))


@pytest.mark.parametrize(
    "units,fields",
    [
        ([UNIT], None),
        (None, [FIELD]),
        ([UNIT, GDTX], [FIELD, GDTX_FIELDS[1]]),
        (["Không có'; DROP TABLE figure; --"], None),
    ],
)
def test_filters_equal_the_filtered_frame(
    loaded: sa.Engine, units: list[str] | None, fields: list[str] | None
) -> None:
    frame = load_figures(loaded)
    if units is not None:
        frame = frame[frame["unit"].isin(units)]
    if fields is not None:
        frame = frame[frame["field"].isin(fields)]
    source = SqlProcedureFigures(loaded).where(units=units, fields=fields)
    got = source.procedure_figures(COLS, start="2024-01", end="2024-03")
    expected = procedure_figures_from_frame(
        frame.reset_index(drop=True),
        start="2024-01",
        end="2024-03",
        columns=COLS,
        dossier_units=source.dossier_units(start="2024-01", end="2024-03"),
        catalog=catalog_lookup(loaded),
    )
    if fields is not None:  # the catalog's fields of a dossier list, limited like the figures
        keep = expected.coverage["field"].isin(fields)
        expected = type(expected)(expected.sums, expected.coverage[keep], expected.codes_not_in_catalog)
    _assert_same(got, expected)


def test_empty_range_and_unknown_column(loaded: sa.Engine) -> None:
    pf = SqlProcedureFigures(loaded).procedure_figures(COLS, start="2023-01", end="2023-12")
    assert pf.sums.empty and list(pf.sums.columns) == [*KEY_COLUMNS, *COLS]
    assert pf.coverage.empty and pf.codes_not_in_catalog.empty
    with pytest.raises(ValueError, match="unknown"):
        SqlProcedureFigures(loaded).procedure_figures(["no_such_column"], start="2024-01", end="2024-01")


def test_no_catalog_in_force_lists_every_code(engine: sa.Engine) -> None:
    _import(engine, "t1.xlsx", [record("01/2024", UNIT, FIELD, "P1", "Thủ tục P1", **_counts(1, 0, 0, 0))])
    got = SqlProcedureFigures(engine).procedure_figures(COLS, start="2024-01", end="2024-01")
    assert got.codes_not_in_catalog.values.tolist() == [["2024-01", UNIT, FIELD, "P1", "Thủ tục P1"]]
    _assert_same(got, _pandas(engine, "2024-01", "2024-01"))


def test_catalog_lookup_reads_each_version_once(loaded: sa.Engine) -> None:
    lookup = catalog_lookup(loaded)
    jan, jun = lookup("2024-01"), lookup("2024-06")
    assert jan is jun and sorted(jan["procedure_code"]) == sorted(c for c, _, _ in CATALOG)
    assert lookup("2023-12").empty  # before the first effective month
    save_catalog(
        loaded, _catalog(CATALOG[:2]), effective="2024-04", file_name="dm2.xlsx", sha256="1" * 64, user="test"
    )
    assert lookup("2024-03") is jan  # still the first version in March
    assert sorted(lookup("2024-06")["procedure_code"]) == ["P1", "P2"]  # the new upload is seen


def test_catalog_change_mid_range(loaded: sa.Engine) -> None:
    # from March a catalog without P2 nor D2: in March (and at the end, June) GDTX has one field only,
    # so the dossier list makes only that field procedure-level; X9 is still not in the catalog
    save_catalog(
        loaded,
        _catalog([c for c in CATALOG if c[0] not in ("P2", "D2")]),
        effective="2024-03",
        file_name="dm2.xlsx",
        sha256="1" * 64,
        user="test",
    )
    pf = SqlProcedureFigures(loaded).procedure_figures(COLS, start="2024-01", end="2024-06")
    fields = set(pf.coverage.loc[pf.coverage["unit"] == GDTX, "field"])
    assert fields == {GDTX_FIELDS[0]}  # the catalogs of March and of June give GDTX one field
    assert pf.codes_not_in_catalog["procedure_code"].tolist() == ["X9"]  # January: P2 was listed then
    _assert_same(pf, _pandas(loaded, "2024-01", "2024-06"))


# ---------------------------------------------------------------------------- the per-range shape


def _assert_same_totals(got: Any, expected: Any) -> None:
    cols = [*TOTAL_KEYS, "months", *COLS]
    pd.testing.assert_frame_equal(
        _by_keys(got.totals[cols], TOTAL_KEYS), _by_keys(expected.totals[cols], TOTAL_KEYS), check_dtype=False
    )
    assert str(got.totals["months"].dtype) == "int64"
    for c in COLS:
        assert str(got.totals[c].dtype) == "Int64"
    pd.testing.assert_frame_equal(
        _by_keys(got.coverage[list(COVERAGE_COLUMNS)], COVERAGE_COLUMNS[:3]),
        _by_keys(expected.coverage[list(COVERAGE_COLUMNS)], COVERAGE_COLUMNS[:3]),
        check_dtype=False,
    )
    assert (got.start, got.end) == (expected.start, expected.end)


@pytest.mark.parametrize(
    "start,end",
    [("2024-01", "2024-01"), ("2024-01", "2024-03"), ("2024-02", "2024-12"), ("2023-06", "2024-02")],
)
@pytest.mark.parametrize(
    "units,fields", [(None, None), ([UNIT], None), ([UNIT, GDTX], [FIELD, GDTX_FIELDS[1]])]
)
def test_range_totals_equal_the_month_sums(
    loaded: sa.Engine, start: str, end: str, units: list[str] | None, fields: list[str] | None
) -> None:
    source = SqlProcedureFigures(loaded).where(units=units, fields=fields)
    got = source.procedure_totals(COLS, start=start, end=end)
    _assert_same_totals(
        got, totals_of(source.procedure_figures(COLS, start=start, end=end), start=start, end=end)
    )


def test_range_totals_hand_computed(loaded: sa.Engine) -> None:
    pt = SqlProcedureFigures(loaded).procedure_totals(COLS, start="2024-01", end="2024-03")
    t = {
        tuple(r[:3]): dict(zip(["months", *COLS], r[3:], strict=True))
        for r in pt.totals.itertuples(index=False)
    }
    p1 = t[(UNIT, FIELD, "P1")]
    # January (bit 0) and February (bit 1): 1 + 2 = 3; received_new 10 + 2 = 12, online 6 + 0 = 6
    assert (p1["months"], p1["received_new"], p1["received_online"], p1["payments_online"]) == (3, 12, 6, 2)
    p2 = t[(UNIT, FIELD, "P2")]
    assert p2["months"] == 1 and p2["received_new"] == 4 and p2["payments_online"] is pd.NA  # empty cell
    d1 = t[(GDTX, GDTX_FIELDS[0], "D1")]
    assert (d1["months"], d1["received_online"]) == (4, 1)  # March = bit 2
    assert set(t) == {
        (UNIT, FIELD, "P1"),
        (UNIT, FIELD, "P2"),
        (UNIT, FIELD, "X9"),
        (GDTX, GDTX_FIELDS[0], "D1"),
    }
    levels = {(p, u, f): lv for p, u, f, lv in pt.coverage.itertuples(index=False)}
    assert levels[("2024-02", UNIT, FIELD)] == "partial"  # the remainder row's month, from its bits
    assert levels[("2024-01", UNIT, FIELD)] == "procedure" and levels[("2024-01", UNIT, EXAMS)] == "partial"
    with pytest.raises(ValueError, match="at most"):
        SqlProcedureFigures(loaded).procedure_totals(COLS, start="2019-01", end="2024-12")
    assert MAX_RANGE_MONTHS == 62
    with pytest.raises(ValueError, match="after"):
        SqlProcedureFigures(loaded).procedure_totals(COLS, start="2024-03", end="2024-01")


def test_kpis_from_range_totals_equal_month_sums(loaded: sa.Engine) -> None:
    # the shipped KPIs on the database, both forms of the source; then P1 moving to QUALITY from
    # February (a catalog of that month): P1's February row under UNIT no longer counts for it, the
    # range total (UNIT, FIELD, P1) spans both months and the month sums are asked instead
    plan = load_targets(Path(__file__).resolve().parent.parent / "targets.toml")
    source = SqlProcedureFigures(loaded, check_codes=False)
    lookup = catalog_lookup(loaded)

    def both(period: str, **kw: Any) -> None:
        for by in ((), ("unit",), ("field",)):
            pd.testing.assert_frame_equal(
                procedure_kpi_table(source, lookup, plan, period=period, by=by, **kw),
                procedure_kpi_table(source, lookup, plan, period=period, by=by, per_month=True, **kw),
            )
        for kpi in plan.procedure_kpis:
            pd.testing.assert_frame_equal(
                procedure_list(source, lookup, plan, kpi=kpi, period=period, **kw),
                procedure_list(source, lookup, plan, kpi=kpi, period=period, per_month=True, **kw),
            )

    for period in ("2024-01", "2024-Q1", "2024-03"):
        both(period)
    both("2024-03", ytd=True)
    moved = [(c, f, QUALITY if c == "P1" else u) for c, f, u in CATALOG]
    save_catalog(
        loaded, _catalog(moved), effective="2024-02", file_name="dm2.xlsx", sha256="2" * 64, user="test"
    )
    both("2024-Q1")
