"""How much the import costs over reading the workbook bare.

Builds a 2,000-row canonical workbook (openpyxl) in a temporary folder and prints the median of
5 runs, in seconds, of:

1. bare read: ``CalamineWorkbook.from_path(...).get_sheet_by_name('SoLieu').to_python()``
2. read + validate: ``data_access.readers.read_workbook``
3. read + validate + store into a fresh SQLite database: ``data_access.store.import_files``
   (the database is created and migrated before the clock starts)

and the ratio full / bare. Aim: ratio ≤ 3 and full < 0.5 s.

Then the list of dossiers (``dossier-list.md``): a ``--dossiers``-row list (default 100 000 dossiers of
2024, the sample catalog's procedures, every channel and status) and the median of ``--repeat``
runs of the bare calamine read of its sheet against the whole import (read, check, aggregate, store
into a fresh SQLite database holding the sample catalog), their ratio, and the peak memory (maximum
resident set) of a separate process doing one whole import. Aim: ratio ≤ 3, under 10 s, under 1 GB.

Run: ``.venv/bin/python benchmarks/bench_import.py [--rows N] [--repeat N] [--dossiers N] [--profile]``
(``--dossiers 0`` leaves the list out, ``--rows 0`` the template).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import pstats
import random
import statistics
import subprocess
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
from data_access.procedure_catalog import load_sample_catalog_if_empty  # noqa: E402
from data_access.readers import read_workbook  # noqa: E402
from data_access.settings import SAMPLE_DIR  # noqa: E402
from data_access.store import close_engines, import_files, open_engine  # noqa: E402
from data_access.texts import dossiers as DT  # noqa: E402
from sample_data.make_catalog import entries  # noqa: E402

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


def build_dossier_list(path: Path, rows: int, seed: int = 2, *, names: bool = False) -> None:
    """A list of ``rows`` dossiers received in 2024 (title block and period line above the header), of
    the sample catalog's procedures, every status, channel and yes/no cell, dates as Excel dates and as
    text, Toàn trình left to the catalog on a third of the online rows.

    Without ``names`` the rows leave the procedure's name, unit and field to the catalog: with them a
    100,000-row list holds about 25 million characters of text, past the workbook guard's bound
    (``data_access.xlsx.text_extent.MAX_TEXT_CHARS``, 20 million), and is refused before it is read.
    """
    rnd = random.Random(seed)
    procs = entries()
    start = dt.date(2024, 1, 1)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(DT.SHEET_NAME)
    ws.append(["DANH SÁCH HỒ SƠ"])
    ws.append(["Từ ngày 01/01/2024 đến ngày 31/12/2024"])
    ws.append([])
    ws.append([DT.HEADERS[c][0] for c in DOSSIER_HEADER])
    yes_no = ("Có", "Không")
    for i in range(rows):
        p = procs[rnd.randrange(len(procs))]
        rec = start + dt.timedelta(days=rnd.randrange(366))
        due = rec + dt.timedelta(days=rnd.randint(3, 20))
        status = rnd.choices(("Đã giải quyết", "Đang giải quyết", "Rút hồ sơ"), (85, 12, 3))[0]
        end = None
        if status != "Đang giải quyết":
            end = min(rec + dt.timedelta(days=rnd.randint(0, 25)), dt.date(2024, 12, 31))
        channel = rnd.choices(("Trực tuyến", "Trực tiếp", "Bưu chính công ích"), (70, 25, 5))[0]
        full = rnd.choice((*yes_no, None)) if channel == "Trực tuyến" else None
        ws.append(
            [
                f"H29-{i:07d}",
                p.code,
                p.name if names else None,
                p.unit if names else None,
                p.field if names else None,
                channel,
                full,
                dt.datetime(rec.year, rec.month, rec.day, rnd.randint(7, 16), rnd.randint(0, 59)),
                due if i % 2 else due.strftime("%d/%m/%Y"),
                end,
                status,
                rnd.choice(yes_no) if status == "Đã giải quyết" else None,
                rnd.choice(yes_no),
                "Có" if p.fee else "Không",
                rnd.choice(yes_no) if p.fee else None,
                rnd.choice(yes_no) if status == "Đã giải quyết" else None,
            ]
        )
    wb.save(path)


DOSSIER_HEADER = (
    "dossier_code",
    "procedure_code",
    "procedure_name",
    "unit",
    "field",
    "channel",
    "online_full",
    "received_date",
    "due_date",
    "end_date",
    "status",
    "result_digitized",
    "dossier_digitized",
    "fee_required",
    "paid_online",
    "returned_postal",
)

#: One whole import of a list in a process of its own, printing its peak resident set (KiB on Linux).
PEAK_SCRIPT = """
import resource, sys, datetime as dt
sys.path.insert(0, sys.argv[3])
from data_access.store import import_files, open_engine
res = import_files(open_engine(sys.argv[2]), [sys.argv[1]], today=dt.date(2025, 1, 31))
assert res.ok, [i.format() for i in res.issues[:5]]
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def bench_dossiers(folder: Path, rows: int, repeat: int, profile: bool, names: bool = False) -> None:
    """The list of dossiers' case (see the module's note)."""
    path = folder / f"ds-ho-so-{rows}.xlsx"
    t0 = time.perf_counter()
    build_dossier_list(path, rows, names=names)
    built = time.perf_counter() - t0
    counter = iter(range(10**6))

    def fresh_engine() -> tuple[object, str]:
        url = f"sqlite:///{folder / f'ds-{next(counter)}.db'}"
        engine = open_engine(url)  # migrated here
        load_sample_catalog_if_empty(engine, SAMPLE_DIR, user="bench")
        return engine, url

    def full(engine) -> None:
        res = import_files(engine, [path], today=TODAY)
        assert res.ok, [i.format() for i in res.issues[:5]]

    def bare() -> None:
        CalamineWorkbook.from_path(str(path)).get_sheet_by_name(DT.SHEET_NAME).to_python()

    full(fresh_engine()[0])  # warm up
    runs: dict[str, list[tuple[float, float]]] = {"bare": [], "full": []}
    for _ in range(repeat):
        runs["bare"].append(timed(bare))
        engine = fresh_engine()[0]
        runs["full"].append(timed(lambda engine=engine: full(engine)))
    wall = {k: statistics.median(w for w, _ in v) for k, v in runs.items()}
    cpu = {k: statistics.median(c for _, c in v) for k, v in runs.items()}
    _, url = fresh_engine()
    close_engines()
    out = subprocess.run(
        [sys.executable, "-c", PEAK_SCRIPT, str(path), url, str(ROOT)],
        capture_output=True,
        text=True,
        check=True,
    )
    peak_mib = int(out.stdout.split()[-1]) / 1024
    print()
    print(
        f"dossier list: {rows} dossiers; file: {path.stat().st_size / 2**20:.1f} MiB (built in {built:.0f} s); "
        f"median of {repeat} runs (wall clock; CPU time in brackets)"
    )
    print(f"bare calamine read          : {wall['bare']:.3f} s  [{cpu['bare']:.3f}]")
    print(
        f"whole import (read, check,  : {wall['full']:.3f} s  [{cpu['full']:.3f}]  "
        f"({wall['full'] / wall['bare']:.2f} × bare; aim ≤ 3 and < 10 s)"
    )
    print("  aggregate, store SQLite)")
    print(f"peak memory (one import)    : {peak_mib:.0f} MiB resident  (aim < 1 GB)")
    if profile:
        engine = fresh_engine()[0]
        prof = cProfile.Profile()
        prof.enable()
        full(engine)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
        close_engines()


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
    ap.add_argument("--dossiers", type=int, default=100_000, help="dossiers of the list (0: no list)")
    ap.add_argument("--dossier-repeat", type=int, default=3, help="runs of the list's case")
    ap.add_argument(
        "--names", action="store_true", help="the list names procedure, unit and field on each row"
    )
    ap.add_argument("--profile", action="store_true", help="profile one full import (cProfile, top 25)")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        if args.rows:
            code = bench_template(Path(tmp), args)
            if code:
                return code
        if args.dossiers:
            bench_dossiers(Path(tmp), args.dossiers, args.dossier_repeat, args.profile, args.names)
    return 0


def bench_template(folder: Path, args: argparse.Namespace) -> int:
    """The canonical template's case (see the module's note)."""
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
    print(f"read + validate + store     : {stored:.4f} s  [{cpu['full']:.4f}]  ({stored / bare:.2f} × bare)")
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
