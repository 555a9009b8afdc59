"""Province-scale benchmark on PostgreSQL: load ~5 million figure rows with COPY, then time the
Overview's queries in the database against loading the same rows into pandas and summing there.

    .venv/bin/python benchmarks/bench_postgres.py [--agencies 100] [--procedures 300] [--months 168]
        [--admin-url postgresql+psycopg://postgres@127.0.0.1:5432/test] [--keep]

It creates (and afterwards drops, unless --keep) a database ``kpi_bench`` on that server.
Prints: load time; each query as a median of 5 runs; the pandas path; their ratio.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import intake_columns
from data_access.aggregate import SqlFigures, refresh_sums
from data_access.columns import COUNT_COLUMNS, TOTALS
from data_access.store import close_engines, load_figures, open_engine
from kpi.engine import kpi_table
from kpi.targets import load_targets

ROOT = Path(__file__).resolve().parent.parent
FIELDS = [f"Lĩnh vực {i:02d}" for i in range(12)]


def months(n: int, last: str = "2024-12") -> list[str]:
    y, m = int(last[:4]), int(last[5:])
    idx = y * 12 + m - 1
    return [f"{(i // 12):04d}-{(i % 12) + 1:02d}" for i in range(idx - n + 1, idx + 1)]


def month_frame(period: str, agencies: int, procedures: int, rng: np.random.Generator) -> pd.DataFrame:
    """One month of figures: every agency × procedure, with the contract's totals."""
    n = agencies * procedures
    unit = np.repeat([f"Cơ quan {a:03d}" for a in range(agencies)], procedures)
    proc = np.tile(np.arange(procedures), agencies)
    new = rng.poisson(12, n)
    full = rng.binomial(new, 0.75)
    partial = rng.binomial(new - full, 0.5)
    postal = rng.binomial(new - full - partial, 0.3)
    direct = new - full - partial - postal
    carried = rng.poisson(3, n)
    avail = new + carried
    resolved = rng.binomial(avail, 0.85)
    late = rng.binomial(resolved, 0.04)
    early = rng.binomial(resolved - late, 0.5)
    on_time = resolved - late - early
    pending = avail - resolved
    overdue = rng.binomial(pending, 0.1)
    pay_total = rng.binomial(new, 0.6)
    data = {
        "upload_id": 0,
        "period": period,
        "unit": unit,
        "field": np.array(FIELDS, dtype=object)[proc % len(FIELDS)],
        "procedure_code": [f"{p // 1000 + 1}.{p:06d}" for p in proc],
        "procedure_name": None,
        **intake_columns(full, partial, direct, postal, carried),
        "resolved_early": early,
        "resolved_on_time": on_time,
        "resolved_late": late,
        "pending_in_time": pending - overdue,
        "pending_overdue": overdue,
        "withdrawn": 0,
        "returned_postal": rng.binomial(resolved, 0.12),
        "results_digitized": rng.binomial(resolved, 0.95),
        "dossiers_digitized": rng.binomial(new, 0.85),
        "payments_total": pay_total,
        "payments_online": rng.binomial(pay_total, 0.4),
    }
    frame = pd.DataFrame(data)
    for total, parts in TOTALS.items():
        frame[total] = sum(frame[p] for p in parts)
    return frame


def load(url: str, agencies: int, procedures: int, n_months: int) -> tuple[float, int]:
    """Create the schema (migrations) and COPY the figures in, one upload per month."""
    engine = open_engine(url)
    rng = np.random.default_rng(20241201)
    cols = ["upload_id", "period", "unit", "field", "procedure_code", "procedure_name", *COUNT_COLUMNS]
    total = 0
    t0 = time.perf_counter()
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        for period in months(n_months):
            cur.execute(
                "INSERT INTO upload (created_at, user_name, file_name, sha256, months, row_count, kind, layout) "
                "VALUES (now(), 'bench', %s, %s, %s, %s, 'import', 'canonical') RETURNING id",
                (f"{period}.xlsx", "0" * 64, period, agencies * procedures),
            )
            upload_id = cur.fetchone()[0]
            frame = month_frame(period, agencies, procedures, rng)
            frame["upload_id"] = upload_id
            buf = io.StringIO()
            frame[cols].to_csv(buf, index=False, header=False)
            with cur.copy(f"COPY figure ({', '.join(cols)}) FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(buf.getvalue())
            parts = frame.groupby("unit").size()
            with cur.copy("COPY upload_part (upload_id, period, unit, row_count) FROM STDIN") as copy:
                for unit, n in parts.items():
                    copy.write_row((upload_id, period, unit, int(n)))
            total += len(frame)
        raw.commit()
        with engine.begin() as conn:
            for (upload_id,) in conn.execute(sa.text("SELECT id FROM upload ORDER BY id")).all():
                refresh_sums(conn, upload_id)
        cur.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
    return time.perf_counter() - t0, total


def median_of(fn: Callable[[], object], n: int = 5) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--agencies", type=int, default=100)
    p.add_argument("--procedures", type=int, default=300)
    p.add_argument("--months", type=int, default=168)
    p.add_argument("--admin-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    p.add_argument("--keep", action="store_true")
    args = p.parse_args()
    name = "kpi_bench"
    admin = sa.create_engine(args.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    url = args.admin_url.rsplit("/", 1)[0] + "/" + name
    try:
        seconds, rows = load(url, args.agencies, args.procedures, args.months)
        print(
            f"loaded {rows:,} figure rows (and their per-field sums) ({args.agencies} agencies × {args.procedures} procedures × "
            f"{args.months} months) with COPY in {seconds:.1f} s"
        )
        engine = open_engine(url)
        plan = load_targets(ROOT / "targets.toml")
        sql = SqlFigures(engine)
        period = months(args.months)[-1]
        year_start = period[:4] + "-01"
        queries = {
            "one month": dict(period=period),
            "year to date": dict(period=period, ytd=True),
            "month by unit": dict(period=period, by=["unit"]),
            "month by field": dict(period=period, by=["field"]),
        }
        print(f"{'query':16} {'database':>10} {'pandas':>10} {'ratio':>7}   (median of 5, seconds)")
        for label, kw in queries.items():
            db = median_of(lambda kw=kw: kpi_table(sql, plan, **kw))
            start = year_start if kw.get("ytd") else period

            def via_pandas(kw: dict = kw, start: str = start) -> None:
                frame = load_figures(engine, start, period)
                kpi_table(frame, plan, **kw)

            pd_time = median_of(via_pandas, 3)
            print(f"{label:16} {db:10.3f} {pd_time:10.3f} {pd_time / db:6.1f}×")
    finally:
        close_engines()
        if not args.keep:
            with admin.connect() as conn:
                conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
