"""What the page benchmarks share: the two SQLite databases they time, and AppTest set up as the server runs."""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from data_access.bootstrap import sample_files
from data_access.columns import PART_COLUMNS
from data_access.store import import_files, open_engine
from sample_data.generate import make_rows, write_workbooks

SAMPLE = "mẫu (2023–2024)"
LARGER = "~10× (2015–2024, scale 2)"


def build_db(path: Path, files: list[Path]) -> str:
    """A SQLite database at ``path`` holding ``files`` imported like uploads; its URL."""
    url = f"sqlite:///{path}"
    result = import_files(open_engine(url), files, user="benchmark")
    if not result.ok:
        raise SystemExit("\n".join(i.format() for i in result.errors))
    return url


def build_datasets(folder: Path) -> list[tuple[str, str]]:
    """[(name, URL)]: the committed sample workbooks, and about ten times as many rows
    (``make_rows(2015, 2024, scale=2)`` written as workbooks)."""
    sample_url = build_db(folder / "sample.db", sample_files())
    books = write_workbooks(make_rows(2015, 2024, scale=2), folder / "x10")
    return [(SAMPLE, sample_url), (LARGER, build_db(folder / "x10.db", books))]


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def keep_bytecode() -> None:
    """AppTest makes a new ScriptCache per run, so it compiles app.py and the page every time
    (~50 ms); the server compiles them once. Share one cache, as the server does."""
    from streamlit.testing.v1 import app_test

    shared = app_test.ScriptCache()
    app_test.ScriptCache = lambda: shared  # type: ignore[assignment,misc]


def intake_columns(
    full: object, partial: object, direct: object, postal: object, carried: object
) -> dict[str, object]:
    """The received and carried-over columns of synthetic figures (numbers or arrays): the first five
    part columns of the template, received online full/partial, direct, postal, carried over."""
    return dict(zip(PART_COLUMNS[:5], (full, partial, direct, postal, carried), strict=True))


COMPILE_HELP = "keep AppTest's own behaviour: compile the scripts on every run"


def add_compile_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--compile-every-run", action="store_true", help=COMPILE_HELP)


def page_bench_parser(description: str | None, runs: int) -> argparse.ArgumentParser:
    """The options every page benchmark has: ``--runs`` (default ``runs``) and ``--compile-every-run``."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=runs)
    add_compile_option(parser)
    return parser


@contextmanager
def bench_databases(
    args: argparse.Namespace, prefix: str
) -> Iterator[tuple[list[tuple[str, str]], str, Path]]:
    """Set AppTest up as the server runs (unless ``--compile-every-run``), quiet Streamlit's log, build
    the two databases in a temporary folder; yield them, how the scripts are compiled, and the folder."""
    if not args.compile_every_run:
        keep_bytecode()
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        t0 = time.perf_counter()
        datasets = build_datasets(Path(tmp))
        print(f"databases built in {time.perf_counter() - t0:.1f} s")
        how = "compiled every run" if args.compile_every_run else "bytecode kept, as the server does"
        yield datasets, how, Path(tmp)
