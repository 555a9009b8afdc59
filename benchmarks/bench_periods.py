"""Time the KPI table of a year and of a quarter (stocks taken once, ``periods.md``), by unit × field.

    .venv/bin/python benchmarks/bench_periods.py [--runs 7] [--skip-postgres] [--agencies 100]
        [--procedures 300] [--months 168] [--admin-url postgresql+psycopg://postgres@127.0.0.1:5432/test] [--keep]

Two data sets, as the other benchmarks: the ~10× generated frame (``make_rows(2015, 2024, scale=2)``,
the pandas path; aim < 100 ms) and ~5 million figure rows in PostgreSQL loaded with COPY by
``bench_postgres.load`` (the database sums, :class:`data_access.aggregate.SqlFigures`; aim < 0.5 s a
query). The database ``kpi_bench_periods`` is created on that server and dropped afterwards unless
``--keep``. Prints the median of the runs (``time.perf_counter``) of each query, the month beside it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from benchmarks.bench_postgres import load, months  # noqa: E402
from data_access.aggregate import SqlFigures  # noqa: E402
from data_access.columns import split_stocks  # noqa: E402
from data_access.store import close_engines, open_engine  # noqa: E402
from kpi.engine import Figures, add_totals, kpi_table  # noqa: E402
from kpi.periods import Period, parse_period  # noqa: E402
from kpi.targets import Plan, load_targets  # noqa: E402
from sample_data.generate import make_rows  # noqa: E402

BY = ("unit", "field")


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm-up (and the SQL statement built once)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def queries(year: int, quarter: int) -> dict[str, Period]:
    """The periods timed: a month (for reference), a quarter, the year, its year to date in June."""
    return {
        "month (June)": parse_period(f"{year:04d}-06"),
        f"quarter Q{quarter}": parse_period(f"{year:04d}-Q{quarter}"),
        "half year H1": parse_period(f"{year:04d}-H1"),
        "year": parse_period(f"{year:04d}"),
    }


def time_all(figures: Figures, plan: Plan, periods: dict[str, Period], runs: int) -> None:
    for label, period in periods.items():

        def table(p: Period = period) -> object:
            return kpi_table(figures, plan, period=p, by=BY)

        ms = median_ms(table, runs)
        rows = len(kpi_table(figures, plan, period=period, by=BY))
        print(f"  {label:16} {period.code:>8} {ms:9.1f} ms   ({rows} KPI rows)")


def bench_pandas(plan: Plan, runs: int) -> None:
    figures = add_totals(make_rows(2015, 2024, scale=2))
    print(f"pandas, ~10× (2015–2024, scale 2): {len(figures):,} rows, by unit × field, median of {runs}")
    time_all(figures, plan, queries(2024, 2), runs)


def bench_postgres(plan: Plan, args: argparse.Namespace) -> None:
    name = "kpi_bench_periods"
    admin = sa.create_engine(args.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    url = args.admin_url.rsplit("/", 1)[0] + "/" + name
    try:
        seconds, rows = load(url, args.agencies, args.procedures, args.months)
        print(
            f"PostgreSQL: loaded {rows:,} figure rows ({args.agencies} agencies × {args.procedures} "
            f"procedures × {args.months} months) with COPY in {seconds:.1f} s; by unit × field, "
            f"median of {args.pg_runs}"
        )
        last = months(args.months)[-1]
        time_all(SqlFigures(open_engine(url)), plan, queries(int(last[:4]), 4), args.pg_runs)
    finally:
        close_engines()
        if not args.keep:
            with admin.connect() as conn:
                conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--pg-runs", type=int, default=5)
    p.add_argument("--skip-postgres", action="store_true")
    p.add_argument("--agencies", type=int, default=100)
    p.add_argument("--procedures", type=int, default=300)
    p.add_argument("--months", type=int, default=168)
    p.add_argument("--admin-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    p.add_argument("--keep", action="store_true")
    args = p.parse_args(argv)
    plan = load_targets(ROOT / "targets.toml")
    stocks = sum(1 for s in plan.kpis.values() if any(split_stocks(s.numerator + s.denominator)[1:]))
    print(f"{len(plan.kpis)} KPIs, {stocks} of them with a stock")
    bench_pandas(plan, max(3, args.runs))
    if not args.skip_postgres:
        bench_postgres(plan, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
