"""Time the KPI engine: the full table (all KPIs × unit × field) for one month and year-to-date.

Run: ``.venv/bin/python benchmarks/bench_kpi.py [--runs 7]``. Prints the median of the runs
(``time.perf_counter``) on the sample data and on larger generated data. Aim: < 100 ms.
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

from kpi.engine import add_totals, kpi_table, monthly_series, project_year_end  # noqa: E402
from kpi.targets import load_targets  # noqa: E402
from sample_data.generate import make_rows  # noqa: E402

DATASETS: tuple[tuple[str, dict[str, int]], ...] = (
    ("mẫu (2023–2024)", {"start_year": 2023, "end_year": 2024, "scale": 1}),
    ("~10× (2015–2024, scale 2)", {"start_year": 2015, "end_year": 2024, "scale": 2}),
    ("~23× (2015–2024, scale 5)", {"start_year": 2015, "end_year": 2024, "scale": 5}),
)


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    runs = max(7, args.runs)
    plan = load_targets()
    by = ("unit", "field")
    print(f"median of {runs} runs, {len(plan.kpis)} KPIs, by unit × field")
    print(
        f"{'data':28} {'rows':>8} {'period':>8} {'month ms':>9} {'YTD ms':>8} {'series ms':>10} {'proj ms':>8}"
    )
    for name, kwargs in DATASETS:
        figures = add_totals(make_rows(**kwargs))
        period = f"{kwargs['end_year']}-06"
        month = median_ms(lambda f=figures, p=period: kpi_table(f, plan, period=p, by=by), runs)
        ytd = median_ms(lambda f=figures, p=period: kpi_table(f, plan, period=p, ytd=True, by=by), runs)
        series = median_ms(
            lambda f=figures, y=kwargs["end_year"]: monthly_series(f, plan, year=y, by=by), runs
        )
        proj = median_ms(lambda f=figures, p=period: project_year_end(f, plan, period=p, by=by), runs)
        print(
            f"{name:28} {len(figures):>8} {period:>8} {month:>9.1f} {ytd:>8.1f} {series:>10.1f} {proj:>8.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
