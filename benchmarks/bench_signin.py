"""Time a failed sign-in: an unknown user name against a wrong password for a known user.

Run: ``.venv/bin/python benchmarks/bench_signin.py [--runs 15] [--rounds 12]``. Prints the median of
the runs (``time.perf_counter``, the slow-down sleep left out) on a SQLite file with one user and
the production bcrypt cost; the two medians should be within a few per cent of each other.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=12, help="BCRYPT_ROUNDS (production: 12)")
    args = parser.parse_args()
    os.environ["BCRYPT_ROUNDS"] = str(args.rounds)

    from data_access.auth import add_user, authenticate, cli_actor
    from data_access.schema import app_user
    from data_access.store import open_engine

    with tempfile.TemporaryDirectory() as tmp:
        engine = open_engine(f"sqlite:///{Path(tmp) / 'signin.db'}")
        add_user(engine, cli_actor(), "vp", "mat-khau-dai-1", "van_phong")
        cases = {"wrong password (known user)": "vp", "unknown user": "khong-co-ai"}
        times: dict[str, list[float]] = {label: [] for label in cases}
        authenticate(engine, "khong-co-ai", "x", sleep=lambda _s: None)  # warm-up: makes the dummy hash
        for _ in range(args.runs):
            with engine.begin() as conn:  # no lockout: the known user stays a plain wrong-password case
                conn.execute(app_user.update().values(failed_attempts=0, locked_until=None))
            for label, user in cases.items():  # interleaved, so drift hits both alike
                t0 = time.perf_counter()
                result = authenticate(engine, user, "sai-mat-khau", sleep=lambda _s: None)
                times[label].append(time.perf_counter() - t0)
                assert not result.ok
        engine.dispose()
    print(f"bcrypt cost {args.rounds}, {args.runs} runs each (median, ms):")
    for label, values in times.items():
        print(f"  {label:30} {statistics.median(values) * 1000:8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
