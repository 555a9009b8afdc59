"""Procedure KPIs on the province-scale PostgreSQL data: ``procedure_figures`` and ``procedure_kpi_table``
for a year, summed in the database (:class:`data_access.procedure_figures.SqlProcedureFigures`).

    .venv/bin/python benchmarks/bench_procedures.py [--agencies 100] [--procedures 300] [--months 168]
        [--admin-url postgresql+psycopg://postgres@127.0.0.1:5432/test] [--keep] [--reuse]

The figures are those of ``benchmarks/bench_postgres.py`` (its generator and COPY loader, ~5 million
rows), with each procedure code made the agency's own (``<agency>.<procedure>``: a catalog gives every
procedure one unit), and a catalog of agencies × procedures entries (believable levels and flags) in
force from the first month. It creates a database ``kpi_bench_procedures`` (dropped afterwards unless
``--keep``; ``--reuse`` keeps an existing one and skips the load). Prints the load time and each query
as a median of 5 runs (min in brackets); the target is < 0,5 s per query. The KPI table is timed on both
forms of the source: month sums (``per_month=True``, the first form) and range totals (the default), and
the two tables are checked equal.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import bench_postgres
from benchmarks.bench_postgres import FIELDS, months
from data_access.columns import CATALOG_COLUMNS, CATALOG_FLAGS
from data_access.procedure_catalog import save_catalog
from data_access.procedure_figures import SqlProcedureFigures, catalog_lookup
from data_access.store import close_engines, open_engine
from kpi.procedures import procedure_kpi_table
from kpi.targets import load_targets

ROOT = Path(__file__).resolve().parent.parent
NAME = "kpi_bench_procedures"
_shared_frame = bench_postgres.month_frame


def agency_codes(period: str, agencies: int, procedures: int, rng: np.random.Generator) -> pd.DataFrame:
    """bench_postgres's month of figures, with procedure codes unique per agency (``12.000034``)."""
    frame = _shared_frame(period, agencies, procedures, rng)
    agency = np.repeat(np.arange(agencies), procedures)
    proc = np.tile(np.arange(procedures), agencies)
    frame["procedure_code"] = [f"{a + 1}.{p:06d}" for a, p in zip(agency, proc, strict=True)]
    return frame


def catalog(agencies: int, procedures: int) -> pd.DataFrame:
    """agencies × procedures entries: ~70 % toàn trình, 25 % một phần; flags mostly known."""
    rng = np.random.default_rng(20241202)
    n = agencies * procedures
    agency = np.repeat(np.arange(agencies), procedures)
    proc = np.tile(np.arange(procedures), agencies)
    level = rng.choice(["toàn trình", "một phần", "không"], n, p=[0.7, 0.25, 0.05])
    frame = pd.DataFrame(
        {
            "procedure_code": [f"{a + 1}.{p:06d}" for a, p in zip(agency, proc, strict=True)],
            "procedure_name": [f"Thủ tục {p:03d}" for p in proc],
            "field": np.array(FIELDS, dtype=object)[proc % len(FIELDS)],
            "unit": [f"Cơ quan {a:03d}" for a in agency],
            "online_level": level,
        }
    )
    for flag, p_yes in zip(CATALOG_FLAGS, (0.9, 0.8, 0.4, 0.7), strict=True):
        yes = rng.random(n) < p_yes
        unknown = rng.random(n) < 0.02
        frame[flag] = pd.array([None if u else bool(y) for y, u in zip(yes, unknown, strict=True)], "boolean")
    return frame[list(CATALOG_COLUMNS)]


def median_of(fn: Callable[[], object], n: int = 5) -> tuple[str, object]:
    """``fn`` run ``n`` times: "median (min)" seconds, and its last result."""
    times, out = [], None
    for _ in range(n):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return f"{statistics.median(times):8.3f} ({min(times):.3f})", out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--agencies", type=int, default=100)
    p.add_argument("--procedures", type=int, default=300)
    p.add_argument("--months", type=int, default=168)
    p.add_argument("--admin-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    p.add_argument("--keep", action="store_true", help="keep the database afterwards")
    p.add_argument("--reuse", action="store_true", help="use an existing database as it is (no load)")
    p.add_argument("--load-only", action="store_true", help="load (implies --keep), time nothing")
    args = p.parse_args()
    admin = sa.create_engine(args.admin_url, isolation_level="AUTOCOMMIT")
    url = args.admin_url.rsplit("/", 1)[0] + "/" + NAME
    with admin.connect() as conn:
        exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": NAME}).first()
        if not (args.reuse and exists):
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)"))
            conn.execute(sa.text(f"CREATE DATABASE {NAME}"))
    try:
        engine = open_engine(url)
        if not (args.reuse and exists):
            bench_postgres.month_frame = agency_codes  # the shared loader, with the agencies' own codes
            seconds, rows = bench_postgres.load(url, args.agencies, args.procedures, args.months)
            first = months(args.months)[0]
            save_catalog(
                engine,
                catalog(args.agencies, args.procedures),
                effective=first,
                user="bench",
                file_name="bench-catalog.xlsx",
                sha256="0" * 64,
            )
            print(
                f"loaded {rows:,} figure rows ({args.agencies} agencies × {args.procedures} procedures × "
                f"{args.months} months) with COPY and a catalog of {args.agencies * args.procedures:,} "
                f"procedures in {seconds:.1f} s"
            )
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT count(*) FROM figure")).scalar_one()
        print(f"figure rows in the database: {rows:,}")
        if not args.load_only:
            run(engine, args.months)
    finally:
        close_engines()
        if not (args.keep or args.load_only):
            with admin.connect() as conn:
                conn.execute(sa.text(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)"))
    return 0


def run(engine: sa.Engine, n_months: int) -> None:
    plan = load_targets(ROOT / "targets.toml")
    if not plan.procedure_kpis:
        raise SystemExit("targets.toml defines no procedure KPI: nothing to time")
    columns = sorted({c for s in plan.procedure_kpis.values() for c in s.columns})
    end = months(n_months)[-1]
    start = end[:4] + "-01"
    source = SqlProcedureFigures(engine)
    quick = SqlProcedureFigures(engine, check_codes=False)
    lookup = catalog_lookup(engine)
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    print(f"{'query (' + start[:4] + ')':48} {'seconds, median of 5 (min)':>8}")
    seconds, pf = median_of(lambda: source.procedure_figures(columns, start=start, end=end))
    n = len(pf.sums)  # type: ignore[attr-defined]
    print(f"{'procedure_figures (' + str(len(columns)) + ' columns), by month':48} {seconds}   ({n:,} sums)")
    seconds, _ = median_of(lambda: quick.procedure_figures(columns, start=start, end=end))
    print(f"{'procedure_figures, check_codes=False':48} {seconds}")
    seconds, pt = median_of(lambda: quick.procedure_totals(columns, start=start, end=end))
    n = len(pt.totals)  # type: ignore[attr-defined]
    print(f"{'procedure_totals (the year as one range)':48} {seconds}   ({n:,} totals)")
    cases: list[tuple[str, str, bool, tuple[str, ...]]] = [
        ("year by unit", end, True, ("unit",)),
        ("year", end, True, ()),
        ("month by unit", end, False, ("unit",)),
    ]

    def table(period: str, ytd: bool, by: tuple[str, ...], per_month: bool) -> pd.DataFrame:
        return procedure_kpi_table(quick, lookup, plan, period=period, ytd=ytd, by=by, per_month=per_month)

    for name, period, ytd, by in cases:
        results = {}
        for form, per_month in (("by month", True), ("by range", False)):
            seconds, results[form] = median_of(partial(table, period, ytd, by, per_month))
            rows = len(results[form])  # type: ignore[arg-type]
            print(f"{'procedure_kpi_table, ' + name + ' (' + form + ')':48} {seconds}   ({rows:,} rows)")
        pd.testing.assert_frame_equal(results["by month"], results["by range"])  # type: ignore[arg-type]
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    raise SystemExit(main())
