"""``python -m kpi report`` through a subprocess, on a temporary SQLite database."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from data_access.catalog import load_catalog
from data_access.columns import HEADERS, TEMPLATE_COLUMNS
from data_access.procedure_catalog import load_sample_catalog_if_empty
from kpi.engine import kpi_table
from kpi.targets import load_targets

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_MONTHS = ("2024-01", "2024-02", "2024-03")
JSON_KEYS = {"kpi", "numerator", "denominator", "value", "target", "gap", "shortfall", "status"}


def _workbook(path: Path, period: str) -> Path:
    """A small canonical workbook (used when the sample workbooks are not there)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "SoLieu"
    ws.append([HEADERS[c] for c in TEMPLATE_COLUMNS])
    units = ["Phòng Giáo dục Trung học", "Phòng Quản lý chất lượng"]
    for i, (unit, field) in enumerate(
        [
            (units[0], "Giáo dục trung học"),
            (units[1], "Thi, tuyển sinh"),
            (units[1], "Hệ thống văn bằng, chứng chỉ"),
        ]
    ):
        month = int(period[5:])
        values = {
            "period": period,
            "unit": unit,
            "field": field,
            "procedure_code": None,
            "procedure_name": None,
            "received_online_full": 40 + i + month,
            "received_online_partial": 5,
            "received_direct": 6 + i,
            "received_postal": 3,
            "carried_over": 0,
            "resolved_early": 20,
            "resolved_on_time": 30 + i,
            "resolved_late": 2,
            "pending_in_time": 4 + month,
            "pending_overdue": 1,
            "withdrawn": 0,
            "returned_postal": 7,
            "results_digitized": 50,
            "dossiers_digitized": 50,
            "payments_total": 10,
            "payments_online": 4 + i,
        }
        # the carry-over and pending balance is not checked strictly (a warning at most)
        ws.append([values[c] for c in TEMPLATE_COLUMNS])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite database holding January–March 2024 (the sample workbooks when present)."""
    from data_access.store import import_files, open_engine

    folder = tmp_path_factory.mktemp("kpi_cli")
    url = f"sqlite:///{folder / 'kpi.db'}"
    files = [ROOT / "sample_data" / f"so-lieu-{m}.xlsx" for m in SAMPLE_MONTHS]
    if not all(f.is_file() for f in files):
        files = [_workbook(folder / f"so-lieu-{m}.xlsx", m) for m in SAMPLE_MONTHS]
    result = import_files(open_engine(url), files, user="test")
    assert result.ok, [i.format() for i in result.errors]
    assert load_sample_catalog_if_empty(open_engine(url), ROOT / "sample_data", user="test") is not None
    return url


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TARGETS_FILE")}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-m", "kpi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def expected(url: str, period: str, ytd: bool, by: list[str], targets: Path | None = None) -> list[dict]:
    """The JSON objects built from ``kpi_table`` called directly."""
    from data_access.store import load_figures, open_engine

    plan = load_targets(targets, unit_resolver=load_catalog().units.match)
    table = kpi_table(load_figures(open_engine(url)), plan, period=period, ytd=ytd, by=by)
    out = []
    for r in table.to_dict("records"):

        def num(x: object) -> float | None:
            return None if x is pd.NA or (isinstance(x, float) and math.isnan(x)) else x  # type: ignore[return-value]

        out.append(
            {
                "kpi": r["kpi"],
                **{k: r[k] for k in by},
                "numerator": num(r["numerator"]),
                "denominator": num(r["denominator"]),
                "value": num(r["value"]),
                "target": r["target"],
                "gap": num(r["gap"]),
                "shortfall": num(r["shortfall"]),
                "status": r["status"],
            }
        )
    return out


@pytest.mark.parametrize(
    ("extra", "ytd", "by"),
    [
        ([], False, []),
        (["--ytd", "--by", "unit"], True, ["unit"]),
        (["--by", "unit,field"], False, ["unit", "field"]),
    ],
)
def test_json_equals_kpi_table(db: str, extra: list[str], ytd: bool, by: list[str]) -> None:
    proc = run("report", "--period", "2024-03", "--db", db, "--format", "json", *extra)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    assert isinstance(got, list) and got
    for obj in got:
        assert JSON_KEYS | set(by) <= set(obj)
        assert obj["status"] in {"met", "near", "below", "no_data"}
        assert obj["shortfall"] is None or (isinstance(obj["shortfall"], int) and obj["shortfall"] >= 0)
        assert obj["numerator"] is None or isinstance(obj["numerator"], int)
        assert not {"unit", "field"} - set(by) & set(obj)
    want = expected(db, "2024-03", ytd, by)
    dossiers = [o for o in got if o["kind"] == "dossiers"]
    assert [{k: o[k] for k in w} for o, w in zip(dossiers, want, strict=True)] == want
    assert len(dossiers) == len(want)
    # then the KPIs counting procedures, as kpi.procedures counts them on the same figures and catalog
    procedures = got[len(dossiers) :]
    want_p = expected_procedures(db, "2024-03", ytd, by)
    assert [{k: o[k] for k in w} for o, w in zip(procedures, want_p, strict=True)] == want_p
    assert len(procedures) == len(want_p) and {o["kind"] for o in procedures} == {"procedures"}
    assert all(o["rows"] is None and isinstance(o["unknown"], int) for o in procedures)


def expected_procedures(url: str, period: str, ytd: bool, by: list[str]) -> list[dict]:
    """The procedure KPIs' JSON objects from :func:`kpi.procedures.procedure_kpi_table` on the pandas path."""
    from data_access.procedure_figures import catalog_lookup
    from data_access.store import load_figures, open_engine
    from kpi.periods import as_period
    from kpi.procedures import procedure_figures_from_frame, procedure_kpi_table

    engine = open_engine(url)
    plan = load_targets(None, unit_resolver=load_catalog().units.match)
    p = as_period(period, ytd=ytd)
    columns = sorted({c for spec in plan.procedure_kpis.values() for c in spec.columns})
    lookup = catalog_lookup(engine)
    pf = procedure_figures_from_frame(
        load_figures(engine), start=p.start, end=p.end, columns=columns, catalog=lookup
    )
    table = procedure_kpi_table(pf, lookup, plan, period=p, by=by)
    return [
        {
            **{k: (None if pd.isna(r[k]) else r[k]) for k in by},
            "kpi": r["kpi"],
            "numerator": int(r["numerator"]),
            "denominator": int(r["denominator"]),
            "unknown": int(r["unknown"]),
            "status": r["status"],
        }
        for r in table.to_dict("records")
    ]


def test_csv_has_the_same_rows_as_json(db: str) -> None:
    as_json = json.loads(
        run("report", "--period", "2024-02", "--db", db, "--format", "json", "--by", "unit").stdout
    )
    proc = run("report", "--period", "2024-02", "--db", db, "--format", "csv", "--by", "unit")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(rows) == len(as_json)
    for r, j in zip(rows, as_json, strict=True):
        assert (r["kpi"], r["unit"], r["status"]) == (j["kpi"], j["unit"], j["status"])
        assert r["numerator"] == ("" if j["numerator"] is None else str(j["numerator"]))
        assert (float(r["value"]) if r["value"] else None) == j["value"]


def test_table_format_is_readable_vietnamese(db: str) -> None:
    proc = run("report", "--period", "2024-03", "--ytd", "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert "lũy kế từ tháng 1 đến tháng 3/2024" in proc.stdout
    assert "Hồ sơ trực tuyến toàn trình" in proc.stdout and "Chỉ tiêu" in proc.stdout


def test_unit_targets_from_the_targets_file(db: str, tmp_path: Path) -> None:
    text = (ROOT / "targets.toml").read_text(encoding="utf-8")
    path = tmp_path / "chi-tieu.toml"
    path.write_text(text + '\n[kpi.online_full.units]\n"Phòng GDTrH" = 0.5\n', encoding="utf-8")
    proc = run(
        "report",
        "--period",
        "2024-03",
        "--db",
        db,
        "--format",
        "json",
        "--by",
        "unit",
        "--targets",
        str(path),
    )
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    trh = [o for o in got if o["kpi"] == "online_full" and o["unit"] == "Phòng Giáo dục Trung học"]
    assert trh and trh[0]["target"] == 0.5
    want = expected(db, "2024-03", False, ["unit"], targets=path)
    dossiers = [o for o in got if o["kind"] == "dossiers"]
    assert [{k: o[k] for k in w} for o, w in zip(dossiers, want, strict=True)] == want


def test_empty_database_exits_1(tmp_path: Path) -> None:
    proc = run("report", "--period", "2024-03", "--db", f"sqlite:///{tmp_path / 'empty.db'}")
    assert proc.returncode == 1
    assert "chưa có số liệu" in proc.stderr
    assert proc.stdout == ""


def test_unknown_period_exits_1(db: str) -> None:
    proc = run("report", "--period", "2023-06", "--db", db, "--format", "json")
    assert proc.returncode == 1
    assert "Không có số liệu tháng 6/2023" in proc.stderr and "từ tháng 1/2024" in proc.stderr
    assert proc.stdout == ""


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            ('["received_online_full"]', '["received_onlin"]'),
            "[kpi.online_full] numerator: mã cột 'received_onlin' không có trong hợp đồng dữ liệu",
        ),
        (("target = 0.45", "target = 45"), "[kpi.online_payment] target"),
        (("[kpi.online_any]", "[kpi.online_any\n"), "lỗi cú pháp TOML ở dòng"),
        (
            ("", '\n[kpi.online_full.units]\n"Phòng Trung học cơ sở" = 0.5\n'),
            "[kpi.online_full.units] \"Phòng Trung học cơ sở\": đơn vị 'Phòng Trung học cơ sở' không có trong danh mục",
        ),
    ],
)
def test_broken_targets_file_exits_1(db: str, tmp_path: Path, change: tuple[str, str], words: str) -> None:
    text = (ROOT / "targets.toml").read_text(encoding="utf-8")
    if change[0]:
        assert change[0] in text
        text = text.replace(change[0], change[1], 1)
    else:
        text += change[1]  # appended
    path = tmp_path / "targets.toml"
    path.write_text(text, encoding="utf-8")
    proc = run("report", "--period", "2024-03", "--db", db, "--targets", str(path))
    assert proc.returncode == 1
    assert words in proc.stderr, proc.stderr
    assert proc.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--period", "2024-13"],
        ["report", "--period", "03/2024"],
        ["report"],
        ["report", "--period", "2024-03", "--by", "region"],
        ["report", "--period", "2024-03", "--format", "xml"],
        [],
        ["rapport", "--period", "2024-03"],
    ],
)
def test_wrong_usage_exits_2(db: str, args: list[str]) -> None:
    proc = run(*args, "--db", db) if args else run()
    assert proc.returncode == 2
    assert "Cách dùng" in proc.stderr and "usage" not in proc.stderr
