"""How much the import costs over reading the workbook bare.

Builds a 2,000-row canonical workbook (openpyxl) in a temporary folder and prints the median of
5 runs, in seconds, of:

1. bare read: ``CalamineWorkbook.from_path(...).get_sheet_by_name('SoLieu').to_python()``
2. read + validate: ``data_access.readers.read_workbook``
3. read + validate + store into a fresh SQLite database: ``data_access.store.import_files``
   (the database is created and migrated before the clock starts)

and the ratio full / bare. Aim: ratio ≤ 3 and full < 0.5 s.

Run: ``.venv/bin/python benchmarks/bench_import.py [--rows N] [--repeat N] [--profile]``
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from benchmarks.common import intake_columns  # noqa: E402
from data_access.catalog import load_catalog  # noqa: E402
from data_access.columns import HEADERS, TEMPLATE_COLUMNS  # noqa: E402
from data_access.readers import read_workbook  # noqa: E402
from data_access.store import close_engines, import_files, open_engine  # noqa: E402

TODAY = dt.date(2025, 1, 31)


def build_workbook(path: Path, rows: int, seed: int = 1) -> None:
    """``rows`` balanced rows: months 2023-01… × every unit × every field (× procedures when needed)."""
    rnd = random.Random(seed)
    cat = load_catalog()
    months = [f"{m:02d}/{y}" for y in (2023, 2024) for m in range(1, 13)]
    keys = [(p, u, f, None) for p in months for u in cat.units.names for f in cat.fields.names]
    k = 0
    while len(keys) < rows:  # more rows than (month, unit, field) combinations: add procedures
        k += 1
        keys += [(p, u, f, f"1.{k:06d}") for p in months for u in cat.units.names for f in cat.fields.names]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("SoLieu")
    ws.append([HEADERS[c] for c in TEMPLATE_COLUMNS])
    base: dict[tuple, list[int]] = {}
    for period, unit, fld, proc in keys[:rows]:
        # each key has its own size; a month moves it by -20 % … +25 % (real data rarely jumps ×3)
        sizes = base.setdefault((unit, fld, proc), [rnd.randint(20, 200) for _ in range(6)])
        full, partial, direct, postal, carried, payments = (int(s * rnd.uniform(0.8, 1.25)) for s in sizes)
        received = full + partial + direct + postal
        withdrawn = rnd.randint(0, min(3, received + carried))
        left = received + carried - withdrawn
        resolved = left * 4 // 5
        pending = left - resolved
        early = resolved // 3
        late = min(2, resolved - early)
        values = {
            "period": period,
            "unit": unit,
            "field": fld,
            "procedure_code": proc,
            "procedure_name": f"Thủ tục {proc}" if proc else None,
            **intake_columns(full, partial, direct, postal, carried),
            "resolved_early": early,
            "resolved_on_time": resolved - early - late,
            "resolved_late": late,
            "pending_in_time": pending - min(pending, 1),
            "pending_overdue": min(pending, 1),
            "withdrawn": withdrawn,
            "returned_postal": resolved // 6,
            "results_digitized": resolved // 2,
            "dossiers_digitized": received // 2,
            "payments_total": payments,
            "payments_online": payments // 2 if rnd.random() > 0.05 else None,
        }
        ws.append([values[c] for c in TEMPLATE_COLUMNS])
    wb.save(path)


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) seconds of one call."""
    gc.collect()
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t0, time.process_time() - c0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--profile", action="store_true", help="profile one full import (cProfile, top 25)")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "so-lieu-2000.xlsx"
        build_workbook(path, args.rows)
        check = read_workbook(path, today=TODAY)
        if not check.ok:
            for issue in check.errors[:10]:
                print(issue.format(), file=sys.stderr)
            return 1
        assert len(check.frame) == args.rows

        counter = iter(range(10**6))

        def fresh_engine():
            return open_engine(f"sqlite:///{folder / f'bench-{next(counter)}.db'}")  # migrated here

        def full(engine) -> None:
            res = import_files(engine, [path], today=TODAY)
            assert res.ok and res.uploads[0].rows == args.rows

        # warm up imports and caches once
        read_workbook(path, today=TODAY)
        full(fresh_engine())

        # the three measures take turns in each round, so a busy machine slows them alike
        runs: dict[str, list[tuple[float, float]]] = {"bare": [], "read": [], "full": []}
        for _ in range(args.repeat):
            runs["bare"].append(
                timed(lambda: CalamineWorkbook.from_path(str(path)).get_sheet_by_name("SoLieu").to_python())
            )
            runs["read"].append(timed(lambda: read_workbook(path, today=TODAY)))
            engine = fresh_engine()
            runs["full"].append(timed(lambda engine=engine: full(engine)))
        wall = {k: statistics.median(w for w, _ in v) for k, v in runs.items()}
        cpu = {k: statistics.median(c for _, c in v) for k, v in runs.items()}
        bare, read, stored = wall["bare"], wall["read"], wall["full"]

        print(
            f"rows: {args.rows}; file: {path.stat().st_size / 1024:.0f} KiB; median of {args.repeat} runs "
            f"(wall clock; CPU time in brackets, steadier on a busy machine)"
        )
        print(f"bare calamine read          : {bare:.4f} s  [{cpu['bare']:.4f}]")
        print(f"read + validate             : {read:.4f} s  [{cpu['read']:.4f}]  ({read / bare:.2f} × bare)")
        print(
            f"read + validate + store     : {stored:.4f} s  [{cpu['full']:.4f}]  ({stored / bare:.2f} × bare)"
        )
        print(
            f"ratio full / bare           : {stored / bare:.2f}  [CPU {cpu['full'] / cpu['bare']:.2f}]  "
            "(aim ≤ 3, and full < 0.5 s)"
        )

        if args.profile:
            engine = fresh_engine()
            prof = cProfile.Profile()
            prof.enable()
            full(engine)
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
        close_engines()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
