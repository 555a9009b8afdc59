"""The brief (``kpi brief``, issue 18) on the ~10× data: seconds to write each format for a quarter.

    .venv/bin/python benchmarks/bench_brief.py [--runs 3] [--period 2024-Q1] [--sample]

Builds the ~10× SQLite database of ``benchmarks/common.py`` (``make_rows(2015, 2024, scale=2)``
imported as uploads; with ``--sample`` also the committed sample), then for the department's brief
of ``--period`` (section II by unit) and for one unit's (section II by field) times, as a median of
``--runs`` runs: computing what the brief shows (:func:`kpi.cli_brief.brief_data` on the figures the
command loads: the KPI tables, the attention list, the procedures not counted (the sample catalog
loaded), the points), and each format written from it
(composing the document with its chart, then DOCX with python-docx, PDF with fpdf2, XLSX with
openpyxl). ``total`` is what ``kpi brief`` spends after start-up: compute + write. Aim: < 3 s for
DOCX and XLSX, < 10 s for the PDF.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import LARGER, SAMPLE, build_db
from data_access.bootstrap import sample_files
from data_access.brief import FORMATS, admin_header, compose_brief, render
from data_access.procedure_catalog import load_sample_catalog_if_empty
from data_access.queries import active_uploads
from data_access.settings import SAMPLE_DIR
from data_access.store import load_figures, open_engine
from kpi.cli_brief import brief_data, procedure_inputs
from kpi.periods import parse_period
from kpi.targets import load_targets
from sample_data.generate import make_rows, write_workbooks

ROOT = Path(__file__).resolve().parent.parent
AIMS = {"docx": 3.0, "xlsx": 3.0, "pdf": 10.0}
UNIT = "Phòng Giáo dục Trung học"


def median_s(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """The median seconds of ``runs`` calls of ``fn``, and its last result."""
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def _write(data: Any, fmt: str, header: Any) -> bytes:
    """The document composed from ``data`` (its chart drawn) and written as ``fmt``."""
    return render(compose_brief(data), fmt, header=header)


def bench(name: str, url: str, period_code: str, runs: int) -> None:
    engine = open_engine(url)
    load_sample_catalog_if_empty(engine, SAMPLE_DIR, user="benchmark")  # section III's procedures
    plan = load_targets(ROOT / "targets.toml")
    period = parse_period(period_code)
    previous = period.previous()
    header = admin_header()
    for unit in (None, UNIT):
        scope = unit or "Toàn Sở (mục II theo đơn vị)"

        def compute(unit: str | None = unit) -> Any:
            figures = load_figures(engine, previous.start if previous else period.start, period.end)
            uploads = active_uploads(engine, period.start, period.end, unit)
            source, catalog = procedure_inputs(engine, plan)
            return brief_data(
                figures, plan, period, unit=unit, uploads=uploads, procedure_source=source, catalog=catalog
            )

        t_compute, data = median_s(compute, runs)
        rows = f"{len(data.groups)} dòng mục II"
        print(f"{name} · {period.describe()} · {scope} ({rows}): compute {t_compute:.2f} s")
        for fmt in FORMATS:
            t_write, out = median_s(functools.partial(_write, data, fmt, header), runs)
            total = t_compute + t_write
            verdict = "ok" if total < AIMS[fmt] else f"OVER the {AIMS[fmt]:g} s aim"
            print(
                f"  {fmt:4}  write {t_write:5.2f} s   total {total:5.2f} s   "
                f"{len(out) / 1024:6.0f} KiB   ({verdict})"
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--period", default="2024-Q1")
    parser.add_argument("--sample", action="store_true", help="also time the committed sample data")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_brief_") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        datasets = []
        if args.sample:
            datasets.append((SAMPLE, build_db(folder / "sample.db", sample_files())))
        books = write_workbooks(make_rows(2015, 2024, scale=2), folder / "x10")
        datasets.append((LARGER, build_db(folder / "x10.db", books)))
        print(f"databases built in {time.perf_counter() - t0:.1f} s; median of {args.runs} runs")
        for name, url in datasets:
            bench(name, url, args.period, args.runs)


if __name__ == "__main__":
    main()
