"""The sample figures: deterministic, balanced, plausible, and the committed workbooks match them."""

from __future__ import annotations

import zipfile
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from data_access.catalog import load_catalog
from data_access.columns import HEADERS, KEY_COLUMNS, PART_COLUMNS, PART_OF_WHOLE, TEMPLATE_COLUMNS, TOTALS
from sample_data.generate import SAMPLE_DIR, make_rows, write_workbooks

TEXT = ["period", "unit", "field", "procedure_code", "procedure_name"]


@cache
def _default() -> pd.DataFrame:
    return make_rows()


@pytest.fixture
def rows() -> pd.DataFrame:
    """The default sample with the contract's totals added (a copy per test)."""
    frame = _default().copy()
    for total, parts in TOTALS.items():
        frame[total] = frame[list(parts)].sum(axis=1, skipna=False)
    return frame


def _share(frame: pd.DataFrame, num: str, den: str, by: list[str]) -> pd.Series:
    sums = frame.groupby(by)[[num, den]].sum()
    return sums[num] / sums[den]


def test_deterministic_and_typed() -> None:
    a, b = make_rows(), make_rows()
    pd.testing.assert_frame_equal(a, b)
    assert list(a.columns) == TEXT + list(PART_COLUMNS)
    assert all(str(a[c].dtype) == "Int64" for c in PART_COLUMNS)
    assert not make_rows(seed=1).equals(a)


def test_shape_and_keys(rows: pd.DataFrame) -> None:
    per_month = rows.groupby("period").size()
    assert len(per_month) == 24
    assert per_month.index[0] == "2023-01" and per_month.index[-1] == "2024-12"
    assert per_month.between(30, 60).all()
    assert not rows.duplicated(list(KEY_COLUMNS)).any()
    # every key every month, and a (unit, field) pair is either broken down by procedure or one row
    assert (rows.groupby(["unit", "field", "procedure_code"], dropna=False).size() == 24).all()
    mixed = rows.assign(has=rows["procedure_code"].notna()).groupby(["unit", "field"])["has"].nunique()
    assert (mixed == 1).all()
    assert rows["procedure_code"].notna().any() and rows["procedure_code"].isna().any()
    assert (rows["procedure_code"].isna() == rows["procedure_name"].isna()).all()


def test_names_are_in_the_catalog(rows: pd.DataFrame) -> None:
    catalog = load_catalog()
    assert set(rows["unit"]) == set(catalog.units.names)
    assert set(rows["field"]) <= set(catalog.fields.names)
    assert (rows.groupby("unit")["field"].nunique().between(1, 3)).all()


def test_whole_numbers_and_few_unknowns(rows: pd.DataFrame) -> None:
    counts = rows[list(PART_COLUMNS)]
    assert (counts.fillna(0) >= 0).all().all()
    unknown = counts.isna().any(axis=1)
    assert 1 <= unknown.sum() <= 10
    assert counts.columns[counts.isna().any()].tolist() == ["payments_total", "payments_online"]


def test_books_balance_and_carry_over(rows: pd.DataFrame) -> None:
    assert (
        rows["received_new"] + rows["carried_over"] == rows["resolved"] + rows["pending"] + rows["withdrawn"]
    ).all()
    ordered = rows.sort_values(["unit", "field", "procedure_code", "period"])
    previous = ordered.groupby(["unit", "field", "procedure_code"], dropna=False)["pending"].shift(1)
    chained = previous.notna()
    assert chained.sum() == len(rows) - len(rows) // 24
    assert (ordered.loc[chained, "carried_over"] == previous[chained]).all()
    first = ordered.loc[~chained, "carried_over"]
    assert (first >= 0).all() and first.sum() < 0.5 * rows.loc[
        rows["period"] == "2023-01", "received_new"
    ].sum()


def test_part_not_larger_than_whole(rows: pd.DataFrame) -> None:
    for part, wholes in PART_OF_WHOLE:
        whole = rows[list(wholes)].sum(axis=1, skipna=False)
        known = rows[part].notna() & whole.notna()
        assert (rows.loc[known, part] <= whole[known]).all(), part


def test_online_full_share_is_believable(rows: pd.DataFrame) -> None:
    rows["year"] = rows["period"].str[:4]
    share = _share(rows, "received_online_full", "received_new", ["unit", "year"]).unstack()
    assert (share["2024"] > share["2023"]).all()
    assert (share["2024"] < 0.9).sum() >= 5
    overall = _share(rows, "received_online_full", "received_new", ["year"])
    assert overall["2023"] < overall["2024"] < 0.9
    assert share["2024"].min() < 0.6  # a unit clearly behind
    late = rows[rows["period"] >= "2024-10"]
    assert _share(late, "received_online_full", "received_new", ["unit"]).max() >= 0.88  # one near target
    monthly = _share(rows, "received_online_full", "received_new", ["period"])
    assert monthly.iloc[-3:].mean() > monthly.iloc[:3].mean() + 0.15


def test_other_shares_are_believable(rows: pd.DataFrame) -> None:
    rows["year"] = rows["period"].str[:4]
    payment = _share(rows, "payments_online", "payments_total", ["year"])
    assert payment["2023"] < payment["2024"] < 0.45
    by_unit = _share(rows, "payments_online", "payments_total", ["unit"]).dropna()
    assert (by_unit < 0.45).sum() >= 5
    total = rows.sum(numeric_only=True)
    assert 0.93 <= total["results_digitized"] / total["resolved"] < 1
    assert 0.78 <= total["dossiers_digitized"] / total["received_new"] <= 0.95
    assert 0.90 <= (total["resolved_early"] + total["resolved_on_time"]) / total["resolved"] <= 0.99
    assert 0.05 <= total["received_postal"] / total["received_new"] <= 0.20
    new = rows.groupby("period")["received_new"].sum()
    summer = new[new.index.str[5:].isin(["06", "07", "08"])].mean()
    assert summer > 1.4 * new[~new.index.str[5:].isin(["06", "07", "08"])].mean()


def test_scale_multiplies_procedures() -> None:
    default = _default()
    procedures = default["procedure_code"].notna().sum() // 24
    singles = default["procedure_code"].isna().sum() // 24
    big = make_rows(2015, 2024, scale=5)
    assert len(big) == 120 * (5 * procedures + singles)
    assert 20 < len(big) / len(default) < 25
    assert not big.duplicated(list(KEY_COLUMNS)).any()
    assert 8 < len(make_rows(2015, 2024, scale=2)) / len(default) < 12  # the "about 10 ×" benchmark size


def _read_back(path: Path) -> pd.DataFrame:
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("SoLieu").to_python()
    assert sheet[0] == [HEADERS[c] for c in TEMPLATE_COLUMNS]
    frame = pd.DataFrame(sheet[1:], columns=list(TEMPLATE_COLUMNS), dtype=object)
    frame["period"] = [f"{v[3:]}-{v[:2]}" for v in frame["period"]]
    for c in ("procedure_code", "procedure_name"):
        frame[c] = pd.Series([v or None for v in frame[c]], dtype=object)
    for c in PART_COLUMNS:
        frame[c] = pd.array([None if v == "" else int(v) for v in frame[c]], dtype="Int64")
    return frame


@pytest.mark.parametrize("period", ["2023-01", "2023-07", "2024-02", "2024-12"])
def test_committed_workbooks_match(period: str) -> None:
    path = SAMPLE_DIR / f"so-lieu-{period}.xlsx"
    expected = _default()
    expected = expected[expected["period"] == period].reset_index(drop=True)
    got = _read_back(path)
    pd.testing.assert_frame_equal(got[TEXT + list(PART_COLUMNS)], expected, check_dtype=False)
    wb = CalamineWorkbook.from_path(str(path))
    assert wb.sheet_names == ["SoLieu", "HuongDan"]
    assert len(wb.get_sheet_by_name("HuongDan").to_python()) == 1


def test_all_months_committed() -> None:
    names = sorted(p.name for p in SAMPLE_DIR.glob("so-lieu-*.xlsx"))
    assert names == [f"so-lieu-{y}-{m:02d}.xlsx" for y in (2023, 2024) for m in range(1, 13)]


def test_written_workbooks_are_stable(tmp_path: Path) -> None:
    frame = _default()
    frame = frame[frame["period"].isin(["2024-05", "2024-06"])]
    first = write_workbooks(frame, tmp_path / "a")
    second = write_workbooks(frame, tmp_path / "b")
    assert [p.name for p in first] == ["so-lieu-2024-05.xlsx", "so-lieu-2024-06.xlsx"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
        with zipfile.ZipFile(a) as archive:
            assert {info.date_time for info in archive.infolist()} == {(2025, 1, 1, 0, 0, 0)}
            assert b"2025-01-01T00:00:00Z" in archive.read("docProps/core.xml")
    unknown = _read_back(first[0])["payments_total"].isna().sum()
    assert unknown == frame.loc[frame["period"] == "2024-05", "payments_total"].isna().sum()
