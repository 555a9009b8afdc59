"""Procedure KPIs (``procedures.md``, "How a procedure is counted"), hand-computed: kpi.procedures.

The catalog of most tests (units U1, U2; fields GDTH, TTS):

    code unit field level        eligible portal fee  postal
    P1   U1   GDTH  toàn trình   yes      yes    yes  yes
    P2   U1   GDTH  một phần     yes      no     no   yes
    P3   U1   GDTH  toàn trình   yes      no     yes  yes
    P4   U2   TTS   toàn trình   yes      yes    yes  yes
    P5   U2   TTS   không        no       no     no   no
    P6   U1   TTS   một phần     (empty)  no     (empty) yes

The five KPIs are those ``procedures.md`` ships (WITH = online procedures with online dossiers).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_access.columns import CATALOG_COLUMNS
from kpi import texts as T
from kpi.judge import STATUSES
from kpi.plan import Plan, ProcedureKpiSpec
from kpi.procedures import (
    COVERAGE_COLUMNS,
    LIST_COLUMNS,
    MISSING_CODE_COLUMNS,
    REASONS,
    TABLE_COLUMNS,
    CatalogLookup,
    ProcedureFigures,
    ProcedureRangeSource,
    ProcedureSource,
    ProcedureTotals,
    procedure_figures_from_frame,
    procedure_kpi_table,
    procedure_list,
    procedure_totals_from_figures,
)

U1, U2 = "Phòng Giáo dục Trung học", "Phòng Khảo thí"
GDTH, TTS = "Giáo dục trung học", "Thi, tuyển sinh"
TT, MP, KH = "toàn trình", "một phần", "không"
N = None

FULL = ProcedureKpiSpec(
    "procedures_full_online",
    "TTHC đủ điều kiện được cung cấp toàn trình",
    1.0,
    scope={"full_online_eligible": True},
    counted_if={"online_level": (TT,)},
)
PORTAL = ProcedureKpiSpec(
    "procedures_on_national_portal",
    "DVC toàn trình tích hợp Cổng DVCQG",
    0.8,
    scope={"online_level": (TT,)},
    counted_if={"on_national_portal": True},
)
FEE = ProcedureKpiSpec(
    "fee_procedures_paid_online",
    "TTHC có phí, lệ phí được thanh toán trực tuyến",
    0.8,
    scope={"has_fee": True},
    active=("received_new",),
    counted_when=("payments_online",),
)
WITH = ProcedureKpiSpec(
    "online_procedures_with_dossiers",
    "DVCTT phát sinh hồ sơ trực tuyến",
    0.8,
    scope={"online_level": (TT, MP)},
    counted_when=("received_online",),
)
POSTAL = ProcedureKpiSpec(
    "procedures_with_postal",
    "TTHC có hồ sơ qua BCCI",
    0.5,
    active=("received_new",),
    counted_when=("received_postal", "returned_postal"),
)
SPECS = (FULL, PORTAL, FEE, WITH, POSTAL)
FLOWS = ("received_new", "received_online", "payments_online", "received_postal", "returned_postal")


def make_plan(*specs: ProcedureKpiSpec, near: float = 0.05) -> Plan:
    return Plan("Kế hoạch thử", 2024, near, {}, {s.id: s for s in (specs or SPECS)})


def catalog_frame(rows: Sequence[tuple[object, ...]]) -> pd.DataFrame:
    """Rows (code, unit, field, level, eligible, portal, fee, postal) as a catalog frame."""
    data = {c: [] for c in CATALOG_COLUMNS}  # type: dict[str, list[object]]
    for code, unit, field, level, *flags in rows:
        data["procedure_code"].append(code)
        data["procedure_name"].append(f"Thủ tục {code}")
        data["unit"].append(unit)
        data["field"].append(field)
        data["online_level"].append(level)
        for name, value in zip(
            ("full_online_eligible", "on_national_portal", "has_fee", "postal_allowed"), flags, strict=True
        ):
            data[name].append(value)
    out = pd.DataFrame(data)
    for flag in ("full_online_eligible", "on_national_portal", "has_fee", "postal_allowed"):
        out[flag] = out[flag].astype("boolean")
    return out


BASE = catalog_frame(
    [
        ("P1", U1, GDTH, TT, True, True, True, True),
        ("P2", U1, GDTH, MP, True, False, False, True),
        ("P3", U1, GDTH, TT, True, False, True, True),
        ("P4", U2, TTS, TT, True, True, True, True),
        ("P5", U2, TTS, KH, False, False, False, False),
        ("P6", U1, TTS, MP, N, False, N, True),
    ]
)


def same(frame: pd.DataFrame) -> CatalogLookup:
    return lambda month: frame


PARTS = ("received_online_full", "received_online_partial", "received_direct", "received_postal")


def row(period: str, unit: str, field: str, code: str | None, **counts: int | None) -> dict[str, object]:
    """One figures row: every receipt part, returned_postal and payments 0 unless given (None = empty)."""
    out: dict[str, object] = {
        "period": period,
        "unit": unit,
        "field": field,
        "procedure_code": code,
        "procedure_name": None if code is None else f"Thủ tục {code}",
    }
    for c in (*PARTS, "returned_postal", "payments_total", "payments_online"):
        out[c] = counts.pop(c, 0)
    assert not counts, counts
    return out


def figures(rows: Sequence[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    for c in (*PARTS, "returned_postal", "payments_total", "payments_online"):
        frame[c] = frame[c].astype("Int64")
    return frame


def pf_of(
    rows: Sequence[dict[str, object]],
    start: str,
    end: str,
    catalog: CatalogLookup | None = None,
    dossier_units: Sequence[tuple[str, str]] = (),
) -> ProcedureFigures:
    return procedure_figures_from_frame(
        figures(rows), start=start, end=end, columns=FLOWS, catalog=catalog, dossier_units=dossier_units
    )


def one(table: pd.DataFrame, kpi: str, **group: str) -> dict[str, Any]:
    sel = table["kpi"] == kpi
    for k, v in group.items():
        sel &= table[k] == v
    rows = table.loc[sel]
    assert len(rows) == 1, rows
    return {str(k): v for k, v in rows.iloc[0].to_dict().items()}


def counts(r: dict[str, Any]) -> tuple[int, int, int]:
    return int(r["numerator"]), int(r["denominator"]), int(r["unknown"])


# ---------------------------------------------------------------------------- known zero vs unknown


def test_field_by_procedure_a_procedure_without_row_is_known_zero() -> None:
    # Jan: U1/GDTH comes by procedure: P1 (2 online), P3 (0 online, 1 direct); P2 has no row → 0.
    # U1/TTS and U2 have no figures → P6 and P4 unknown (P5 "không" is outside WITH's scope).
    # WITH: scope P1 P2 P3 P4 P6; counted P1; not counted P2 P3; unknown P4 P6.
    # num 1, den 3, unknown 2; value 1/3; shortfall ⌈0.8·3 − 1⌉ = ⌈1.4⌉ = 2; 1/3 < 0.75 → below.
    pf = pf_of(
        [
            row("2024-01", U1, GDTH, "P1", received_online_full=2),
            row("2024-01", U1, GDTH, "P3", received_direct=1),
        ],
        "2024-01",
        "2024-01",
    )
    assert pf.coverage.to_dict("records") == [
        {"period": "2024-01", "unit": U1, "field": GDTH, "level": "procedure"}
    ]
    t = procedure_kpi_table(pf, same(BASE), make_plan(), period="2024-01")
    r = one(t, WITH.id)
    assert counts(r) == (1, 3, 2)
    assert r["value"] == pytest.approx(1 / 3)
    assert r["gap"] == pytest.approx(1 / 3 - 0.8)
    assert r["shortfall"] == 2 and r["status"] == "below" and r["kind"] == "procedures"
    assert r["label"] == WITH.label and r["target"] == 0.8
    assert list(t.columns) == list(TABLE_COLUMNS)
    assert list(t["kpi"]) == [s.id for s in SPECS]  # plan order
    assert str(t["numerator"].dtype) == "Int64" and str(t["denominator"].dtype) == "Int64"


def test_field_given_as_one_row_leaves_its_procedures_unknown() -> None:
    # Jan: U1/GDTH is one row without a code (5 online): P1 P2 P3 unknown. U1/TTS: nothing → P6 unknown.
    # U2/TTS by procedure: P4 1 online (P5 no row → 0, outside scope).
    # WITH: counted P4; unknown P1 P2 P3 P6 → num 1, den 1, unknown 4; 1/1 ≥ 0.8 → met, shortfall 0.
    pf = pf_of(
        [
            row("2024-01", U1, GDTH, None, received_online_full=5),
            row("2024-01", U2, TTS, "P4", received_online_partial=1),
        ],
        "2024-01",
        "2024-01",
    )
    levels = {(r["unit"], r["field"]): r["level"] for r in pf.coverage.to_dict("records")}
    assert levels == {(U1, GDTH): "partial", (U2, TTS): "procedure"}
    r = one(procedure_kpi_table(pf, same(BASE), make_plan(), period="2024-01"), WITH.id)
    assert counts(r) == (1, 1, 4)
    assert r["value"] == 1.0 and r["status"] == "met" and r["shortfall"] == 0


def test_remainder_row_beside_procedure_rows() -> None:
    # Jan U1/GDTH: P1 1 online, P3 2 direct, and a remainder row (no code) with 4 online:
    # P1 counted, P3 known 0 online → not counted, P2 unknown (its dossiers may be in the remainder).
    # P4 (U2 nothing) and P6 (U1/TTS nothing) unknown → num 1, den 2, unknown 3.
    pf = pf_of(
        [
            row("2024-01", U1, GDTH, "P1", received_online_full=1),
            row("2024-01", U1, GDTH, "P3", received_direct=2),
            row("2024-01", U1, GDTH, None, received_online_full=4),
        ],
        "2024-01",
        "2024-01",
    )
    assert pf.coverage["level"].tolist() == ["partial"]
    assert sorted(pf.sums["procedure_code"]) == ["P1", "P3"]  # the remainder is no procedure's sum
    r = one(procedure_kpi_table(pf, same(BASE), make_plan(), period="2024-01"), WITH.id)
    assert counts(r) == (1, 2, 3)
    lst = procedure_list(pf, same(BASE), make_plan(), kpi=WITH.id, period="2024-01")
    assert dict(zip(lst["procedure_code"], lst["reason"], strict=True)) == {
        "P3": "no_online_dossier",
        "P2": "unknown_figures",
        "P4": "unknown_figures",
        "P6": "unknown_figures",
        "P1": "counted",
    }


def test_empty_payment_cell() -> None:
    # FEE: scope has_fee = P1 P3 P4 (P6's fee flag empty → unknown; P2 P5 no fee → out of scope).
    # Jan U1/GDTH: P1 3 received, payments_online empty → active, payment unknown → unknown.
    #              P3 2 received, 1 paid online → counted.
    # U2/TTS: P4 a row with 0 received and an empty payment cell → not active (0 dossiers: the
    # payment cell is not needed) → outside the denominator.
    # num 1, den 1, unknown 2 (P1 figures, P6 attribute); 1/1 → met.
    pf = pf_of(
        [
            row("2024-01", U1, GDTH, "P1", received_online_full=3, payments_online=None),
            row("2024-01", U1, GDTH, "P3", received_online_full=2, payments_total=2, payments_online=1),
            row("2024-01", U2, TTS, "P4", payments_online=None),
        ],
        "2024-01",
        "2024-01",
    )
    p1 = pf.sums.loc[pf.sums["procedure_code"] == "P1"].iloc[0]
    assert p1["received_new"] == 3 and pd.isna(p1["payments_online"])
    r = one(procedure_kpi_table(pf, same(BASE), make_plan(), period="2024-01"), FEE.id)
    assert counts(r) == (1, 1, 2)
    assert r["status"] == "met"
    lst = procedure_list(pf, same(BASE), make_plan(), kpi=FEE.id, period="2024-01")
    # no procedure counted-false in the denominator; unknown (P1 3 dossiers, then P6 whose dossiers
    # are unknown: U1/TTS sent nothing), then counted P3, then the not active P4
    assert list(zip(lst["procedure_code"], lst["reason"], strict=True)) == [
        ("P1", "unknown_figures"),
        ("P6", "unknown_attribute"),
        ("P3", "counted"),
        ("P4", "not_active"),
    ]
    assert lst["counted"].isna().tolist() == [True, True, False, False]
    assert lst["counted"].tolist()[2:] == [True, False]
    assert lst["in_denominator"].tolist()[2:] == [True, False]
    assert lst["payments_online"].isna().tolist()[0] and lst["received_new"].tolist()[0] == 3


def test_a_row_counts_for_its_procedure_by_code_within_the_catalog_unit() -> None:
    # Jan U1/GDTH by procedure: P1 0 online; U1 also files P3 under field TTS (1 online) and a
    # blank code "  " there (a remainder: U1/TTS is partial). U2/TTS by procedure files P2
    # (U1's procedure in the catalog) with 5 online: not U2's, so it does not count for P2.
    # WITH: P1 not counted; P3 counted (its row, under another field of its unit, still counts);
    # P2 no row in U1, U1/GDTH by procedure → 0 → not counted; P4 (U2, no row, by procedure) → 0;
    # P6 (U1/TTS partial, no row) → unknown. num 1, den 4, unknown 1.
    pf = pf_of(
        [
            row("2024-01", U1, GDTH, "P1"),
            row("2024-01", U1, TTS, "P3", received_online_full=1),
            row("2024-01", U1, TTS, "  ", received_direct=2),
            row("2024-01", U2, TTS, "P2", received_online_full=5),
        ],
        "2024-01",
        "2024-01",
        catalog=same(BASE),
    )
    levels = {(r["unit"], r["field"]): r["level"] for r in pf.coverage.to_dict("records")}
    assert levels == {(U1, GDTH): "procedure", (U1, TTS): "partial", (U2, TTS): "procedure"}
    assert pf.codes_not_in_catalog.empty  # P2 is in the catalog (under another unit)
    assert counts(one(procedure_kpi_table(pf, same(BASE), make_plan(WITH), period="2024-01"), WITH.id)) == (
        1,
        4,
        1,
    )
    # without a catalog the codes not in it are not looked for: an empty frame with its columns
    bare = pf_of([row("2024-01", U1, GDTH, "P9")], "2024-01", "2024-01")
    assert bare.codes_not_in_catalog.empty and list(bare.codes_not_in_catalog.columns) == list(
        MISSING_CODE_COLUMNS
    )


# ---------------------------------------------------------------------------- periods of several months


def quarter_rows(march_u2: bool = True) -> list[dict[str, object]]:
    """Q1 2024, every unit and field by procedure each month:
    U1/GDTH: P1 online 0, 2, 0 (Jan, Feb, Mar); P3 direct 2 each month; P2 no row (0).
    U1/TTS: P6 direct 1 each month. U2/TTS: P4 online 1 in Jan, 0 in Feb and Mar (direct 1)."""
    rows = []
    for m, p1 in (("2024-01", 0), ("2024-02", 2), ("2024-03", 0)):
        rows.append(row(m, U1, GDTH, "P1", received_online_full=p1, received_direct=1))
        rows.append(row(m, U1, GDTH, "P3", received_direct=2))
        rows.append(row(m, U1, TTS, "P6", received_direct=1))
        if m != "2024-03" or march_u2:
            rows.append(
                row(m, U2, TTS, "P4", received_online_full=1 if m == "2024-01" else 0, received_direct=1)
            )
    return rows


def test_quarter_online_dossiers_only_in_the_second_month() -> None:
    # WITH over Q1: P1 0+2+0 = 2 > 0 → counted; P4 1+0+0 = 1 → counted; P2 0, P3 0, P6 0 → not.
    # num 2, den 5, unknown 0; value 0.4; shortfall ⌈0.8·5 − 2⌉ = 2. January alone: P4 only → 1/5;
    # February alone: P1 only → 1/5 (P4 had 0 in Feb).
    pf = pf_of(quarter_rows(), "2024-01", "2024-03")
    plan = make_plan()
    q1 = one(procedure_kpi_table(pf, same(BASE), plan, period="2024-Q1"), WITH.id)
    assert counts(q1) == (2, 5, 0)
    assert q1["value"] == pytest.approx(0.4) and q1["shortfall"] == 2
    assert counts(one(procedure_kpi_table(pf, same(BASE), plan, period="2024-01"), WITH.id)) == (1, 5, 0)
    assert counts(one(procedure_kpi_table(pf, same(BASE), plan, period="2024-02"), WITH.id)) == (1, 5, 0)
    # the year to date through February is Jan + Feb: P1 (2) and P4 (1) → 2/5
    ytd = one(procedure_kpi_table(pf, same(BASE), plan, period="2024-02", ytd=True), WITH.id)
    assert counts(ytd) == (2, 5, 0)


def test_quarter_with_one_month_missing_for_a_unit() -> None:
    # As above, but U2 sent nothing for March: P4's March is unknown, so P4 is left out of Q1 even
    # though it had an online dossier in January (any unknown month → unknown).
    # WITH Q1: counted P1; not counted P2 P3 P6; unknown P4 → num 1, den 4, unknown 1;
    # shortfall ⌈0.8·4 − 1⌉ = ⌈2.2⌉ = 3.
    pf = pf_of(quarter_rows(march_u2=False), "2024-01", "2024-03")
    r = one(procedure_kpi_table(pf, same(BASE), make_plan(), period="2024-Q1"), WITH.id)
    assert counts(r) == (1, 4, 1)
    assert r["shortfall"] == 3 and r["value"] == pytest.approx(0.25)
    lst = procedure_list(pf, same(BASE), make_plan(), kpi=WITH.id, period="2024-Q1")
    p4 = lst.loc[lst["procedure_code"] == "P4"].iloc[0]
    assert pd.isna(p4["received_online"]) and pd.isna(p4["counted"]) and p4["reason"] == "unknown_figures"


# ---------------------------------------------------------------------------- the catalog changing


V1 = catalog_frame(
    [
        ("P1", U1, GDTH, TT, True, True, True, True),
        ("P2", U1, GDTH, MP, True, False, False, True),
        ("P3", U1, GDTH, MP, True, True, True, True),
        ("P4", U2, TTS, TT, True, True, True, True),
        ("P5", U2, TTS, KH, False, False, False, False),
    ]
)
V2 = catalog_frame(  # from April: P2 moves to U2/TTS, P3 becomes toàn trình, P7 is new (U1/GDTH)
    [
        ("P1", U1, GDTH, TT, True, True, True, True),
        ("P2", U2, TTS, MP, True, False, False, True),
        ("P3", U1, GDTH, TT, True, True, True, True),
        ("P4", U2, TTS, TT, True, True, True, True),
        ("P5", U2, TTS, KH, False, False, False, False),
        ("P7", U1, GDTH, TT, True, False, True, True),
    ]
)


def versions(month: str) -> pd.DataFrame:
    return V2 if month >= "2024-04" else V1


def test_catalog_changing_mid_year_counted_if() -> None:
    # PORTAL (scope toàn trình, counted if on the portal) uses the catalog of the period's last month.
    # Q1 (V1): toàn trình P1 P4, both on the portal → 2/2. H1 (V2): P1 P3 P4 P7; P7 not on the
    # portal → 3/4; shortfall ⌈0.8·4 − 3⌉ = ⌈0.2⌉ = 1.
    plan = make_plan(PORTAL)
    empty = pf_of([row("2024-01", U1, GDTH, "P1")], "2024-01", "2024-06")
    assert counts(one(procedure_kpi_table(empty, versions, plan, period="2024-Q1"), PORTAL.id)) == (2, 2, 0)
    h1 = one(procedure_kpi_table(empty, versions, plan, period="2024-H1"), PORTAL.id)
    assert counts(h1) == (3, 4, 0) and h1["shortfall"] == 1


def test_catalog_changing_mid_year_figures_follow_each_months_catalog() -> None:
    # H1, every month U1/GDTH sends P1 (1 online) and U2/TTS sends P4 (1 direct), both by procedure.
    # February also: P2 1 online under U1 (its unit in February, V1) and P7 1 online under U1
    # (P7 is not in February's catalog: it takes its V2 unit U1 and its figures count by code).
    # WITH over H1, catalog V2: scope P1 P2 P3 P4 P7 (P5 "không").
    #   P1 6 online → counted; P2 1 (Feb, U1) → counted; P3 no row ever, fields by procedure → 0;
    #   P4 0 online → not counted; P7 1 (Feb) → counted. num 3, den 5, unknown 0.
    # Had P2's February been looked up under its V2 unit U2, it would be 0 and num 2.
    rows = []
    for m in ("2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"):
        rows.append(row(m, U1, GDTH, "P1", received_online_full=1))
        rows.append(row(m, U2, TTS, "P4", received_direct=1))
    rows.append(row("2024-02", U1, GDTH, "P2", received_online_partial=1))
    rows.append(row("2024-02", U1, GDTH, "P7", received_online_full=1))
    pf = pf_of(rows, "2024-01", "2024-06", catalog=versions)
    assert pf.codes_not_in_catalog.to_dict("records") == [
        {
            "period": "2024-02",
            "unit": U1,
            "field": GDTH,
            "procedure_code": "P7",
            "procedure_name": "Thủ tục P7",
        }
    ]
    assert list(pf.codes_not_in_catalog.columns) == list(MISSING_CODE_COLUMNS)
    plan = make_plan(WITH)
    assert counts(one(procedure_kpi_table(pf, versions, plan, period="2024-H1"), WITH.id)) == (3, 5, 0)
    lst = procedure_list(pf, versions, plan, kpi=WITH.id, period="2024-H1")
    by_code = lst.set_index("procedure_code")
    assert by_code.loc["P2", "unit"] == U2  # listed under its unit of the period end
    assert by_code.loc["P2", "received_online"] == 1 and by_code.loc["P7", "received_online"] == 1


# ---------------------------------------------------------------------------- counted_if, active


class NoFigures:
    """A ProcedureSource that must not be asked (counted_if KPIs need no figures)."""

    def procedure_figures(self, columns: Sequence[str], *, start: str, end: str) -> ProcedureFigures:
        raise AssertionError(f"figures asked for {columns}")


def test_counted_if_with_an_empty_flag() -> None:
    # FULL: scope eligible = P1 P2 P3 P4 (P5 no; P6 empty → unknown). Counted if toàn trình:
    # P1 P3 P4; P2 một phần → not counted ("partly_online"). num 3, den 4, unknown 1;
    # value 0.75 < 1 − 0.05 → below; shortfall ⌈1·4 − 3⌉ = 1.
    plan = make_plan(FULL, PORTAL)
    t = procedure_kpi_table(NoFigures(), same(BASE), plan, period="2024-05")
    r = one(t, FULL.id)
    assert counts(r) == (3, 4, 1)
    assert r["status"] == "below" and r["shortfall"] == 1
    # PORTAL with P4's portal flag empty: scope toàn trình P1 P3 P4; P1 counted, P3 not, P4 unknown.
    cat = BASE.copy()
    cat.loc[cat["procedure_code"] == "P4", "on_national_portal"] = pd.NA
    r2 = one(procedure_kpi_table(NoFigures(), same(cat), plan, period="2024-05"), PORTAL.id)
    assert counts(r2) == (1, 2, 1)
    # the list shows each procedure's dossiers too, so it asks for received_new
    some = pf_of([row("2024-05", U1, GDTH, "P1", received_direct=4)], "2024-05", "2024-05")
    lst = procedure_list(some, same(cat), plan, kpi=PORTAL.id, period="2024-05")
    assert list(zip(lst["procedure_code"], lst["reason"], strict=True)) == [
        ("P3", "not_on_portal"),
        ("P4", "unknown_attribute"),
        ("P1", "counted"),
    ]
    assert lst["received_new"].tolist()[2] == 4  # P1; P3 (no row, U1/GDTH by procedure) 0; P4 unknown
    assert lst["received_new"].tolist()[0] == 0 and pd.isna(lst["received_new"].tolist()[1])
    full = procedure_list(some, same(BASE), plan, kpi=FULL.id, period="2024-05")
    assert full.set_index("procedure_code").loc["P2", "reason"] == "partly_online"
    assert "P5" not in set(full["procedure_code"])  # not eligible: outside the scope, not listed


def test_active_filter() -> None:
    # POSTAL (no scope: all six; active received_new; counted when postal received + returned > 0).
    # Jan U1/GDTH: P1 3 received (1 postal); P3 2 received (0 postal, 1 returned by post); P2 no row → 0.
    # U1/TTS: P6 a row of zeros → not active. U2/TTS: P4 1 direct; P5 zeros → not active.
    # Active: P1 P3 P4 (den 3); counted P1 P3 (num 2); not active P2 P5 P6; 2/3 ≥ 0.5 → met.
    pf = pf_of(
        [
            row("2024-01", U1, GDTH, "P1", received_direct=2, received_postal=1),
            row("2024-01", U1, GDTH, "P3", received_direct=2, returned_postal=1),
            row("2024-01", U1, TTS, "P6"),
            row("2024-01", U2, TTS, "P4", received_direct=1),
            row("2024-01", U2, TTS, "P5"),
        ],
        "2024-01",
        "2024-01",
    )
    r = one(procedure_kpi_table(pf, same(BASE), make_plan(), period="2024-01"), POSTAL.id)
    assert counts(r) == (2, 3, 0)
    assert r["status"] == "met" and r["shortfall"] == 0
    lst = procedure_list(pf, same(BASE), make_plan(), kpi=POSTAL.id, period="2024-01")
    # not counted first (P4), then counted (P1 3 dossiers, P3 2), then the not active (P2, P5, P6)
    assert lst["procedure_code"].tolist() == ["P4", "P1", "P3", "P2", "P6", "P5"]  # ties: unit, field, code
    assert lst["reason"].tolist() == [
        "no_postal_dossier",
        "counted",
        "counted",
        "not_active",
        "not_active",
        "not_active",
    ]


# ---------------------------------------------------------------------------- groups and targets


def test_by_unit_and_by_field() -> None:
    # Figures of the first test (P1 counted; P2 P3 not; P4 P6 unknown), WITH grouped by the catalog's
    # unit and field (P6 is U1's but in field TTS, beside U2's P4):
    #   by unit:  U1 = P1 counted, P2 P3 not, P6 unknown → 1/3, unknown 1; U2 = P4 unknown → 0/0, unknown 1
    #   by field: GDTH = 1/3, unknown 0; TTS = P4 P6 → 0/0, unknown 2 (no value: status no_data)
    pf = pf_of(
        [
            row("2024-01", U1, GDTH, "P1", received_online_full=2),
            row("2024-01", U1, GDTH, "P3", received_direct=1),
        ],
        "2024-01",
        "2024-01",
    )
    plan = make_plan(WITH)
    by_unit = procedure_kpi_table(pf, same(BASE), plan, period="2024-01", by=["unit"])
    assert list(by_unit.columns) == ["unit", *TABLE_COLUMNS]
    assert counts(one(by_unit, WITH.id, unit=U1)) == (1, 3, 1)
    u2 = one(by_unit, WITH.id, unit=U2)
    assert counts(u2) == (0, 0, 1) and u2["status"] == "no_data" and math.isnan(u2["value"])
    by_field = procedure_kpi_table(pf, same(BASE), plan, period="2024-01", by=["field"])
    assert counts(one(by_field, WITH.id, field=GDTH)) == (1, 3, 0)
    assert counts(one(by_field, WITH.id, field=TTS)) == (0, 0, 2)
    both = procedure_kpi_table(pf, same(BASE), plan, period="2024-01", by=["unit", "field"])
    assert [(r["unit"], r["field"]) for r in both.to_dict("records")] == [(U1, GDTH), (U1, TTS), (U2, TTS)]
    assert counts(one(both, WITH.id, unit=U1, field=TTS)) == (0, 0, 1)
    with pytest.raises(ValueError):
        procedure_kpi_table(pf, same(BASE), plan, period="2024-01", by=["procedure_code"])


def test_unit_target_and_roadmap() -> None:
    # WITH with a unit target 0.30 for U1 and a roadmap 0.50 from February.
    # By unit, U1 (1/3 ≈ 0.333 ≥ 0.30) → met at 0.30, shortfall 0; U2 has no value.
    # Without grouping the plan target applies: January 0.80 (1/3 → below, shortfall 2);
    # the target of Q1 is the one in force in March, 0.50: shortfall ⌈0.5·3 − 1⌉ = ⌈0.5⌉ = 1.
    spec = replace(WITH, units={U1: 0.30}, roadmap={"2024-02": 0.50})
    plan = make_plan(spec)
    pf = pf_of(
        [
            row(m, U1, GDTH, "P1", received_online_full=2 if m == "2024-01" else 0)
            for m in ("2024-01", "2024-02", "2024-03")
        ]
        + [row(m, U1, GDTH, "P3", received_direct=1) for m in ("2024-01", "2024-02", "2024-03")],
        "2024-01",
        "2024-03",
    )
    by_unit = procedure_kpi_table(pf, same(BASE), plan, period="2024-01", by=["unit"])
    u1 = one(by_unit, WITH.id, unit=U1)
    assert u1["target"] == 0.30 and u1["status"] == "met" and u1["shortfall"] == 0
    assert one(by_unit, WITH.id, unit=U2)["target"] == 0.80
    jan = one(procedure_kpi_table(pf, same(BASE), plan, period="2024-01"), WITH.id)
    assert jan["target"] == 0.80 and jan["shortfall"] == 2
    q1 = one(procedure_kpi_table(pf, same(BASE), plan, period="2024-Q1"), WITH.id)
    assert counts(q1) == (1, 3, 2) and q1["target"] == 0.50 and q1["shortfall"] == 1
    assert q1["status"] == "below"  # 1/3 < 0.50 − 0.05


def test_zero_denominator_has_no_value() -> None:
    # A KPI whose scope (unit "Văn phòng Sở") holds no procedure: one row, 0/0, no value, no_data.
    # An empty catalog: the same for every KPI.
    nobody = ProcedureKpiSpec(
        "office", "Văn phòng", 0.8, scope={"unit": ("Văn phòng Sở",)}, counted_if={"has_fee": True}
    )
    plan = make_plan(nobody, WITH)
    pf = pf_of([row("2024-01", U1, GDTH, "P1", received_online_full=1)], "2024-01", "2024-01")
    r = one(procedure_kpi_table(pf, same(BASE), plan, period="2024-01"), "office")
    assert counts(r) == (0, 0, 0)
    assert r["status"] == "no_data" and math.isnan(r["value"]) and pd.isna(r["shortfall"])
    empty = BASE.iloc[0:0]
    t = procedure_kpi_table(pf, same(empty), plan, period="2024-01")
    assert t["status"].tolist() == ["no_data", "no_data"] and t["denominator"].tolist() == [0, 0]
    assert T.PROCEDURES_NONE_IN_SCOPE == "không có TTHC thuộc phạm vi"
    assert set(t["status"]) <= set(STATUSES)


# ---------------------------------------------------------------------------- the list


def test_procedure_list_order_reasons_and_filters() -> None:
    # Q1 of quarter_rows without U2's March (P4 unknown). WITH's list:
    #   not counted, most dossiers first: P3 (2+2+2 = 6 received), P6 (1+1+1 = 3), P2 (0);
    #   then unknown P4; then counted P1 (received 1+3+1 = 5).
    pf = pf_of(quarter_rows(march_u2=False), "2024-01", "2024-03")
    plan = make_plan()
    lst = procedure_list(pf, same(BASE), plan, kpi=WITH.id, period="2024-Q1")
    assert list(lst.columns) == [*LIST_COLUMNS, "received_new", "received_online"]
    assert lst["procedure_code"].tolist() == ["P3", "P6", "P2", "P4", "P1"]
    assert lst["reason"].tolist() == [
        "no_online_dossier",
        "no_online_dossier",
        "no_online_dossier",
        "unknown_figures",
        "counted",
    ]
    assert lst["received_new"].tolist()[:3] == [6, 3, 0]
    assert lst.loc[4, "received_new"] == 5 and lst.loc[4, "received_online"] == 2
    assert str(lst["counted"].dtype) == "boolean" and str(lst["received_new"].dtype) == "Int64"
    assert set(lst["reason"]) <= set(REASONS) and set(REASONS) <= set(T.PROCEDURE_REASONS)
    # filters by the catalog's unit / field, matched without case or accents
    u1 = procedure_list(pf, same(BASE), plan, kpi=WITH.id, period="2024-Q1", unit="phong giao duc TRUNG HOC")
    assert u1["procedure_code"].tolist() == ["P3", "P6", "P2", "P1"]
    tts = procedure_list(pf, same(BASE), plan, kpi=WITH.id, period="2024-Q1", field="thi tuyen sinh")
    assert tts["procedure_code"].tolist() == ["P6", "P4"]
    # the table and the list agree
    r = one(procedure_kpi_table(pf, same(BASE), plan, period="2024-Q1"), WITH.id)
    assert counts(r) == (int(lst["counted"].eq(True).sum()), int(lst["in_denominator"].eq(True).sum()), 1)


def test_attribute_texts_match_folded() -> None:
    # scope "TOAN TRINH" is "toàn trình"; figures naming the unit in another spelling still match.
    # WITH-like KPI on toàn trình only: P1 P3 P4; Jan U1/GDTH (spelled in lower case, no accents)
    # by procedure: P1 1 online, P3 no row → 0; U2 none → P4 unknown. num 1, den 2, unknown 1.
    spec = replace(WITH, scope={"online_level": "TOAN  TRINH"})
    pf = pf_of(
        [row("2024-01", "phong giao duc trung hoc", "giao duc trung hoc", "P1", received_online_full=1)],
        "2024-01",
        "2024-01",
    )
    assert counts(one(procedure_kpi_table(pf, same(BASE), make_plan(spec), period="2024-01"), WITH.id)) == (
        1,
        2,
        1,
    )


def test_dossier_list_pair_makes_every_field_of_the_unit_procedure_level() -> None:
    # Jan, U1's active upload is a dossier list with dossiers only of P1 (1 online, field GDTH).
    # As a dossier list, every catalog field of U1 (GDTH and TTS) is by procedure: P2 P3 P6 had 0.
    # WITH: counted P1; not counted P2 P3 P6; unknown P4 (U2 nothing) → 1/4, unknown 1.
    # The same rows as an ordinary upload: U1/TTS has no figures → P6 unknown → 1/3, unknown 2.
    rows = [row("2024-01", U1, GDTH, "P1", received_online_full=1)]
    plan = make_plan(WITH)
    listed = pf_of(rows, "2024-01", "2024-01", catalog=same(BASE), dossier_units=[("2024-01", U1)])
    assert set(map(tuple, listed.coverage[["unit", "field", "level"]].to_numpy().tolist())) == {
        (U1, GDTH, "procedure"),
        (U1, TTS, "procedure"),
    }
    assert list(listed.coverage.columns) == list(COVERAGE_COLUMNS)
    assert counts(one(procedure_kpi_table(listed, same(BASE), plan, period="2024-01"), WITH.id)) == (1, 4, 1)
    plain = pf_of(rows, "2024-01", "2024-01")
    assert counts(one(procedure_kpi_table(plain, same(BASE), plan, period="2024-01"), WITH.id)) == (1, 3, 2)
    with pytest.raises(ValueError):
        pf_of(rows, "2024-01", "2024-01", dossier_units=[("2024-01", U1)])  # needs the catalog


def test_stocks_are_refused() -> None:
    with pytest.raises(ValueError, match="stock"):
        procedure_figures_from_frame(
            figures([row("2024-01", U1, GDTH, "P1")]),
            start="2024-01",
            end="2024-01",
            columns=["carried_over"],
        )
    bad = ProcedureKpiSpec("bad", "x", 0.5, counted_when=("pending",))
    with pytest.raises(ValueError, match="stock"):
        procedure_kpi_table(NoFigures(), same(BASE), make_plan(bad), period="2024-01")


class RecordingSource:
    """A ProcedureSource that builds its answer from a figures frame, recording what it was asked."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.calls: list[tuple[tuple[str, ...], str, str]] = []

    def procedure_figures(self, columns: Sequence[str], *, start: str, end: str) -> ProcedureFigures:
        self.calls.append((tuple(columns), start, end))
        return procedure_figures_from_frame(self.frame, start=start, end=end, columns=columns)


def test_a_source_gives_the_same_table() -> None:
    frame = figures(quarter_rows(march_u2=False))
    source = RecordingSource(frame)
    assert isinstance(source, ProcedureSource)
    plan = make_plan()
    via_source = procedure_kpi_table(source, same(BASE), plan, period="2024-Q1", by=["unit"])
    direct = procedure_kpi_table(
        pf_of(quarter_rows(march_u2=False), "2024-01", "2024-03"),
        same(BASE),
        plan,
        period="2024-Q1",
        by=["unit"],
    )
    pd.testing.assert_frame_equal(via_source, direct)
    assert source.calls == [
        (
            ("received_new", "payments_online", "received_online", "received_postal", "returned_postal"),
            "2024-01",
            "2024-03",
        )
    ]


# ---------------------------------------------------------------------------- range totals


class RangeSource:
    """A ProcedureRangeSource built from a figures frame: month sums and range totals, recording which
    form it was asked for."""

    def __init__(self, frame: pd.DataFrame, catalog: CatalogLookup | None = None) -> None:
        self.frame, self.catalog = frame, catalog
        self.calls: list[tuple[str, str, str]] = []

    def _pf(self, columns: Sequence[str], start: str, end: str) -> ProcedureFigures:
        return procedure_figures_from_frame(
            self.frame, start=start, end=end, columns=columns, catalog=self.catalog
        )

    def procedure_figures(self, columns: Sequence[str], *, start: str, end: str) -> ProcedureFigures:
        self.calls.append(("month", start, end))
        return self._pf(columns, start, end)

    def procedure_totals(self, columns: Sequence[str], *, start: str, end: str) -> ProcedureTotals:
        self.calls.append(("range", start, end))
        return procedure_totals_from_figures(self._pf(columns, start, end), start=start, end=end)


def test_totals_of_month_sums_hand_computed() -> None:
    # quarter_rows without U2's March: P1 has rows in Jan, Feb, Mar → months 0b111 = 7;
    # received_online 0 + 2 + 0 = 2, received_new (0+1) + (2+1) + (0+1) = 5. P4 rows in Jan, Feb →
    # 0b011 = 3, received_online 1 + 0 = 1. February alone: bit 0 is February: P1 1, P4 1.
    pf = pf_of(quarter_rows(march_u2=False), "2024-01", "2024-03")
    pt = procedure_totals_from_figures(pf, start="2024-01", end="2024-03")
    t = pt.totals.set_index("procedure_code")
    assert (t.loc["P1", "months"], t.loc["P1", "received_online"], t.loc["P1", "received_new"]) == (7, 2, 5)
    assert (t.loc["P4", "months"], t.loc["P4", "received_online"]) == (3, 1)
    assert t.loc["P3", "received_new"] == 6 and t.loc["P6", "received_new"] == 3  # 2+2+2, 1+1+1
    assert (pt.start, pt.end) == ("2024-01", "2024-03") and len(pt.coverage) == len(pf.coverage)
    feb = procedure_totals_from_figures(pf, start="2024-02", end="2024-02").totals.set_index("procedure_code")
    assert (feb.loc["P1", "months"], feb.loc["P1", "received_online"]) == (1, 2)
    assert feb.loc["P4", "months"] == 1 and set(feb.index) == {"P1", "P3", "P4", "P6"}
    # an empty cell: the range total is unknown (never 0)
    one_na = pf_of([row("2024-01", U1, GDTH, "P1", payments_online=None)], "2024-01", "2024-02")
    t2 = procedure_totals_from_figures(one_na, start="2024-01", end="2024-02").totals
    assert t2["payments_online"].isna().all() and t2["months"].tolist() == [1]


def test_a_range_source_gives_the_same_table_and_list() -> None:
    # As test_quarter_online_dossiers_only_in_the_second_month (WITH Q1: 2/5), from range totals:
    # one question for the quarter's totals; per_month=True asks the month sums instead.
    source = RangeSource(figures(quarter_rows()))
    assert isinstance(source, ProcedureRangeSource)
    plan = make_plan()
    ranged = procedure_kpi_table(source, same(BASE), plan, period="2024-Q1", by=["unit"])
    assert source.calls == [("range", "2024-01", "2024-03")]
    monthly = procedure_kpi_table(source, same(BASE), plan, period="2024-Q1", by=["unit"], per_month=True)
    assert source.calls[1:] == [("month", "2024-01", "2024-03")]
    pd.testing.assert_frame_equal(ranged, monthly)
    total = procedure_kpi_table(source, same(BASE), plan, period="2024-Q1")
    assert counts(one(total, WITH.id)) == (2, 5, 0)
    for spec in SPECS:
        pd.testing.assert_frame_equal(
            procedure_list(source, same(BASE), plan, kpi=spec.id, period="2024-Q1"),
            procedure_list(source, same(BASE), plan, kpi=spec.id, period="2024-Q1", per_month=True),
        )
    # the totals themselves, of exactly the period
    pt = source.procedure_totals(list(FLOWS), start="2024-01", end="2024-03")
    pd.testing.assert_frame_equal(procedure_kpi_table(pt, same(BASE), plan, period="2024-Q1"), total)
    with pytest.raises(ValueError, match="totals are of"):
        procedure_kpi_table(pt, same(BASE), plan, period="2024-01")


def test_a_procedure_moving_between_units_falls_back_to_month_sums() -> None:
    # The rows of test_catalog_changing_mid_year_figures_follow_each_months_catalog, plus P2 filed
    # under U1 in May (3 online) when the catalog (V2, from April) gives P2 to U2: that row is not P2's
    # (WITH H1 still 3/5, P2's online 1 from February, not 1 + 3 = 4). The range total (U1, GDTH, P2)
    # holds February (counts) and May (does not) together: the engine asks the month sums then.
    rows = []
    for m in ("2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"):
        rows.append(row(m, U1, GDTH, "P1", received_online_full=1))
        rows.append(row(m, U2, TTS, "P4", received_direct=1))
    rows.append(row("2024-02", U1, GDTH, "P2", received_online_partial=1))
    rows.append(row("2024-02", U1, GDTH, "P7", received_online_full=1))
    rows.append(row("2024-05", U1, GDTH, "P2", received_online_full=3))
    source = RangeSource(figures(rows), catalog=versions)
    plan = make_plan(WITH)
    table = procedure_kpi_table(source, versions, plan, period="2024-H1")
    assert counts(one(table, WITH.id)) == (3, 5, 0)
    assert source.calls == [("range", "2024-01", "2024-06"), ("month", "2024-01", "2024-06")]
    lst = procedure_list(source, versions, plan, kpi=WITH.id, period="2024-H1").set_index("procedure_code")
    assert lst.loc["P2", "received_online"] == 1
    pt = source.procedure_totals(list(FLOWS), start="2024-01", end="2024-06")
    with pytest.raises(ValueError, match="moved between units"):
        procedure_kpi_table(pt, versions, plan, period="2024-H1")
    # without the May row the totals tell every procedure apart: no month sums asked
    calm = RangeSource(figures(rows[:-1]), catalog=versions)
    assert counts(one(procedure_kpi_table(calm, versions, plan, period="2024-H1"), WITH.id)) == (3, 5, 0)
    assert calm.calls == [("range", "2024-01", "2024-06")]


# ---------------------------------------------------------------------------- properties


def _reference(
    pf: ProcedureFigures, catalog: CatalogLookup, spec: ProcedureKpiSpec, months: list[str]
) -> dict[str, object]:
    """Per procedure of the last month's catalog: True / False / None (unknown) / "out" / "inactive",
    computed row by row in plain Python (the oracle of the vectorised code)."""
    end = catalog(months[-1])
    sums: dict[tuple[object, object, object], list[dict[str, Any]]] = {}
    for r in pf.sums.to_dict("records"):
        sums.setdefault((r["period"], r["unit"], r["procedure_code"]), []).append(
            {str(k): v for k, v in r.items()}
        )
    where = {  # month → code → (unit, field) in that month's catalog
        m: {
            c: (u, f)
            for c, u, f in zip(
                catalog(m)["procedure_code"], catalog(m)["unit"], catalog(m)["field"], strict=True
            )
        }
        for m in months
    }
    cov = {(r["period"], r["unit"], r["field"]): r["level"] for r in pf.coverage.to_dict("records")}

    def attr_match(rec: dict[str, Any], conditions: Mapping[str, object]) -> object:
        result: object = True
        for attr, want in conditions.items():
            value = rec[attr]
            if value is None or value is pd.NA:
                result = None if result is not False else False
                continue
            ok = (
                value == want
                if isinstance(want, bool)
                else value in (want if isinstance(want, tuple) else (want,))
            )
            if not ok:
                result = False
        return result

    def period_sum(rec: dict[str, Any], col: str) -> int | None:
        total = 0
        for m in months:
            unit, field = where[m].get(rec["procedure_code"], (rec["unit"], rec["field"]))
            rows = sums.get((m, unit, rec["procedure_code"]), [])
            if rows:
                if any(pd.isna(r[col]) for r in rows):
                    return None
                total += sum(int(r[col]) for r in rows)
            elif cov.get((m, unit, field)) != "procedure":
                return None
        return total

    def cols_sum(rec: dict[str, Any], cols: Sequence[str]) -> int | None:
        parts = [period_sum(rec, c) for c in cols]
        return None if any(p is None for p in parts) else sum(p for p in parts if p is not None)

    out: dict[str, object] = {}
    for raw in end.to_dict("records"):
        rec: dict[str, Any] = {str(k): (None if v is pd.NA else v) for k, v in raw.items()}
        scope = attr_match(rec, spec.scope)
        if scope is False:
            out[rec["procedure_code"]] = "out"
            continue
        if scope is None:
            out[rec["procedure_code"]] = None
            continue
        if spec.active:
            a = cols_sum(rec, spec.active)
            if a is None:
                out[rec["procedure_code"]] = None
                continue
            if a == 0:
                out[rec["procedure_code"]] = "inactive"
                continue
        if spec.counted_when:
            c = cols_sum(rec, spec.counted_when)
            out[rec["procedure_code"]] = None if c is None else c > 0
        else:
            res = attr_match(rec, spec.counted_if)
            out[rec["procedure_code"]] = res
    return out


flag = st.sampled_from([True, False, None])


@st.composite
def scenarios(
    draw: st.DrawFn,
) -> tuple[pd.DataFrame, pd.DataFrame, list[dict[str, object]], list[tuple[str, str]]]:
    units, fields = [U1, U2], [GDTH, TTS]
    n = draw(st.integers(1, 7))
    cats = []
    for _ in range(2):  # a catalog for Jan–Feb and one from March (some codes differ)
        rows = []
        for i in range(n):
            if draw(st.booleans()) or i == 0:
                rows.append(
                    (
                        f"P{i}",
                        draw(st.sampled_from(units)),
                        draw(st.sampled_from(fields)),
                        draw(st.sampled_from([TT, MP, KH])),
                        draw(flag),
                        draw(flag),
                        draw(flag),
                        draw(flag),
                    )
                )
        cats.append(catalog_frame(rows))
    fig_rows: list[dict[str, object]] = []
    count = st.one_of(st.none(), st.integers(0, 2))
    for m in ("2024-01", "2024-02", "2024-03"):
        for u in units:
            for f in fields:
                kind = draw(st.sampled_from(["none", "procedures", "remainder", "one_row"]))
                if kind == "none":
                    continue
                if kind in ("procedures", "remainder"):
                    for i in range(n + 1):  # P{n} is in no catalog
                        if draw(st.booleans()):
                            fig_rows.append(
                                row(
                                    m,
                                    u,
                                    f,
                                    f"P{i}",
                                    received_online_full=draw(count),
                                    received_direct=draw(st.integers(0, 2)),
                                    received_postal=draw(count),
                                    payments_online=draw(count),
                                )
                            )
                if kind in ("remainder", "one_row"):
                    fig_rows.append(row(m, u, f, None, received_direct=1))
    dossier = [
        (m, u) for m in ("2024-01", "2024-02", "2024-03") for u in units if draw(st.integers(0, 5)) == 0
    ]
    return cats[0], cats[1], fig_rows, dossier


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.sampled_from(SPECS), st.sampled_from(["2024-Q1", "2024-02", "2024-03"]))
def test_property_counts_add_up_and_match_the_reference(
    scenario: tuple[pd.DataFrame, pd.DataFrame, list[dict[str, object]], list[tuple[str, str]]],
    spec: ProcedureKpiSpec,
    period: str,
) -> None:
    v1, v2, rows, dossier = scenario
    catalog = lambda m: v2 if m >= "2024-03" else v1  # noqa: E731
    if not rows:
        rows = [row("2024-01", U1, GDTH, "P0")]
    pf = procedure_figures_from_frame(
        figures(rows), start="2024-01", end="2024-03", columns=FLOWS, catalog=catalog, dossier_units=dossier
    )
    plan = make_plan(spec)
    months = {"2024-Q1": ["2024-01", "2024-02", "2024-03"], "2024-02": ["2024-02"], "2024-03": ["2024-03"]}[
        period
    ]
    ref = _reference(pf, catalog, spec, months)
    table = procedure_kpi_table(pf, catalog, plan, period=period)
    r = one(table, spec.id)
    num, den, unk = counts(r)
    scope_size = sum(1 for v in ref.values() if v != "out")
    inactive = sum(1 for v in ref.values() if v == "inactive")
    not_counted = den - num
    assert 0 <= num <= den
    assert num + not_counted + unk + inactive == scope_size
    assert (num, den, unk) == (
        sum(1 for v in ref.values() if v is True),
        sum(1 for v in ref.values() if v is True or v is False),
        sum(1 for v in ref.values() if v is None),
    )
    lst = procedure_list(pf, catalog, plan, kpi=spec.id, period=period)
    assert len(lst) == scope_size
    got = {
        c: (None if pd.isna(x) else bool(x))
        for c, x in zip(lst["procedure_code"], lst["counted"], strict=True)
    }
    for code, v in ref.items():
        if v == "out":
            assert code not in got
        elif v == "inactive":
            assert got[code] is False
        else:
            assert got[code] is v
    by_unit = procedure_kpi_table(pf, catalog, plan, period=period, by=["unit"])
    assert int(by_unit["numerator"].sum()) == num and int(by_unit["unknown"].sum()) == unk
    if den == 0:
        assert r["status"] == "no_data"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.sampled_from(SPECS), st.sampled_from(["2024-Q1", "2024-02", "2024-03"]))
def test_property_range_totals_equal_month_sums(
    scenario: tuple[pd.DataFrame, pd.DataFrame, list[dict[str, object]], list[tuple[str, str]]],
    spec: ProcedureKpiSpec,
    period: str,
) -> None:
    # The same table and list from the per-range shape as from the month sums, for any figures
    # (remainders, empty cells, codes not in the catalog, a catalog moving procedures in March).
    v1, v2, rows, dossier = scenario
    catalog = lambda m: v2 if m >= "2024-03" else v1  # noqa: E731
    if not rows:
        rows = [row("2024-01", U1, GDTH, "P0")]
    pf = procedure_figures_from_frame(
        figures(rows), start="2024-01", end="2024-03", columns=FLOWS, catalog=catalog, dossier_units=dossier
    )
    plan = make_plan(spec)
    p_start, p_end = {"2024-Q1": ("2024-01", "2024-03")}.get(period, (period, period))
    sub = procedure_figures_from_frame(
        figures(rows), start=p_start, end=p_end, columns=FLOWS, catalog=catalog, dossier_units=dossier
    )
    pt = procedure_totals_from_figures(pf, start=p_start, end=p_end)
    for by in ([], ["unit"], ["field"]):
        expected = procedure_kpi_table(pf, catalog, plan, period=period, by=by)
        pd.testing.assert_frame_equal(procedure_kpi_table(sub, catalog, plan, period=period, by=by), expected)
        try:
            got = procedure_kpi_table(pt, catalog, plan, period=period, by=by)
        except ValueError as e:  # only when a procedure's unit differs between the two catalogs
            assert "moved between units" in str(e)
            moved = {
                c
                for c, u in zip(v1["procedure_code"], v1["unit"], strict=True)
                if c in set(v2["procedure_code"]) and u != v2.set_index("procedure_code").at[c, "unit"]
            }
            assert moved and period == "2024-Q1"
            continue
        pd.testing.assert_frame_equal(got, expected)
    frame = figures(rows)
    source = _DossierRangeSource(frame, catalog, dossier)
    pd.testing.assert_frame_equal(
        procedure_list(source, catalog, plan, kpi=spec.id, period=period),
        procedure_list(pf, catalog, plan, kpi=spec.id, period=period),
    )


class _DossierRangeSource(RangeSource):
    """RangeSource with dossier-list (month, unit) pairs."""

    def __init__(
        self, frame: pd.DataFrame, catalog: CatalogLookup, dossier: Sequence[tuple[str, str]]
    ) -> None:
        super().__init__(frame, catalog)
        self.dossier = dossier

    def _pf(self, columns: Sequence[str], start: str, end: str) -> ProcedureFigures:
        return procedure_figures_from_frame(
            self.frame,
            start=start,
            end=end,
            columns=columns,
            catalog=self.catalog,
            dossier_units=self.dossier,
        )


# ---------------------------------------------------------------------------- size (speed: benchmarks/)


def test_a_year_by_unit_of_300_procedures_and_100_units() -> None:
    # 300 procedures per unit × 100 units (30 000 procedures), 12 months, 80 % of the rows present.
    rng = np.random.default_rng(7)
    units = [f"Đơn vị {u}" for u in range(100)]
    n = 30_000
    codes = [f"1.{i:06d}" for i in range(n)]
    cat = pd.DataFrame(
        {
            "procedure_code": codes,
            "procedure_name": codes,
            "field": [f"Lĩnh vực {i % 10}" for i in range(n)],
            "unit": [units[i % 100] for i in range(n)],
            "online_level": rng.choice([TT, MP, KH], n),
            **{
                f: pd.array(rng.choice(np.array([True, False, None], dtype=object), n), dtype="boolean")
                for f in ("full_online_eligible", "on_national_portal", "has_fee", "postal_allowed")
            },
        }
    )
    months = [f"2024-{m:02d}" for m in range(1, 13)]
    sums = pd.DataFrame(
        {
            "period": np.repeat(months, n),
            "unit": np.tile(cat["unit"].to_numpy(), 12),
            "field": np.tile(cat["field"].to_numpy(), 12),
            "procedure_code": np.tile(np.array(codes, dtype=object), 12),
        }
    ).sample(frac=0.8, random_state=1)
    for c in FLOWS:
        sums[c] = pd.array(rng.integers(0, 3, len(sums)), dtype="Int64")
    cov = sums[["period", "unit", "field"]].drop_duplicates().assign(level="procedure")
    pf = ProcedureFigures(
        sums.reset_index(drop=True),
        cov.reset_index(drop=True),
        pd.DataFrame(columns=list(MISSING_CODE_COLUMNS)),
    )
    plan = make_plan()
    out = procedure_kpi_table(pf, same(cat), plan, period="2024", by=["unit"])  # timed in benchmarks/
    assert len(out) == 5 * 100  # five KPIs × 100 units, each unit with procedures in every scope
