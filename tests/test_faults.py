"""Faults: an import killed (SIGKILL) before its commit, two imports of one month at once, and a
database that stops answering under the running app (SQLite file and PostgreSQL).

The kill uses the test hook of ``data_access.store.commit_import``: with ``DATA_ACCESS_FAULT_PAUSE`` set, the
transaction creates that file once every row is inserted, then sleeps before committing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from data_access.bootstrap import sample_files
from data_access.columns import COUNT_COLUMNS, TEXT_COLUMNS
from data_access.readers import read_workbook
from data_access.store import close_engines, dump, history, import_files, load_figures, open_engine
from kpi.targets import load_targets
from tests.helpers import ROOT, _reset_pg, card_values
from tests.workbooks import FIELD, GOOD_COUNTS, UNIT, canonical_records, record, write

OTHER_FIELD = "Giáo dục thường xuyên"


def _book(factor: int, periods: tuple[str, ...] = ("06/2024",), procedures: int = 40) -> bytes:
    """Balanced rows (the good counts × ``factor``) for UNIT: each period × two fields × procedures."""
    counts = {c: v * factor for c, v in GOOD_COUNTS.items()}
    return canonical_records(
        [
            record(period=p, field=f, procedure_code=f"1.{k:06d}", procedure_name=f"TTHC {k}", **counts)
            for p in periods
            for f in (FIELD, OTHER_FIELD)
            for k in range(procedures)
        ]
    )


def _rows(frame: pd.DataFrame) -> list[tuple]:
    """A frame's figure rows as sorted tuples (None for unknown), to compare stored with read."""
    cols = [*TEXT_COLUMNS, *COUNT_COLUMNS]
    out = []
    for rec in frame[cols].astype(object).itertuples(index=False):
        out.append(
            tuple(
                None if v is None or v is pd.NA else (int(v) if c in COUNT_COLUMNS else v)
                for c, v in zip(cols, rec, strict=True)
            )
        )
    return sorted(out, key=repr)


def _cli_import(path: Path, url: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DATA_ACCESS_FAULT")}
    return subprocess.Popen(
        [sys.executable, "-m", "data_access", "import", str(path), "--db", url],
        cwd=ROOT,
        env={**clean, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(marker: Path, procs: list[subprocess.Popen[str]], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        for p in procs:
            if p.poll() is not None:
                out, err = p.communicate()
                pytest.fail(f"import ended (exit {p.returncode}) before the pause: {out}\n{err}")
        if time.monotonic() > deadline:
            for p in procs:
                p.kill()
            pytest.fail(f"no pause marker {marker} after {timeout} s")
        time.sleep(0.02)


# ---------------------------------------------------------------------------- kill -9


def test_kill_during_import_keeps_the_old_figures(db_url: str, tmp_path: Path) -> None:
    engine = open_engine(db_url)
    good = write(tmp_path, "good.xlsx", _book(1))
    big = write(tmp_path, "big.xlsx", _book(2, ("06/2024", "07/2024"), procedures=150))  # 600 rows
    assert import_files(engine, [good]).ok
    before = dump(engine)
    assert before["figure"] and before["upload"]

    marker = tmp_path / "paused"
    proc = _cli_import(big, db_url, {"DATA_ACCESS_FAULT_PAUSE": str(marker)})
    _wait_for(marker, [proc])
    assert int(marker.read_text() or proc.pid) == proc.pid
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    assert dump(engine) == before  # old figures only: nothing of the killed transaction
    assert _rows(load_figures(engine)) == _rows(read_workbook(good).frame)

    # the database is not left locked or broken: the same import, without the hook, goes through
    done = _cli_import(big, db_url)
    out, err = done.communicate(timeout=60)
    assert done.returncode == 0, err
    assert "big.xlsx" in out
    assert _rows(load_figures(engine)) == _rows(read_workbook(big).frame)  # June replaced, July added
    assert [h.file_name for h in history(engine).itertuples()] == ["big.xlsx", "good.xlsx"]


# ---------------------------------------------------------------------------- two imports at once


def test_two_imports_of_the_same_month_at_once(db_url: str, tmp_path: Path) -> None:
    engine = open_engine(db_url)  # migrated before the two processes start
    files = {name: write(tmp_path, f"{name}.xlsx", _book(factor)) for name, factor in (("a", 3), ("b", 5))}
    markers = {name: tmp_path / f"{name}.paused" for name in files}
    # each pauses 3 s inside its transaction: on PostgreSQL both are open at once; on SQLite the
    # second waits (busy timeout) for the first to commit
    procs = {
        name: _cli_import(
            path,
            db_url,
            {"DATA_ACCESS_FAULT_PAUSE": str(markers[name]), "DATA_ACCESS_FAULT_PAUSE_SECONDS": "3"},
        )
        for name, path in files.items()
    }
    if engine.dialect.name == "postgresql":
        for m in markers.values():
            _wait_for(m, list(procs.values()))
        assert all(p.poll() is None for p in procs.values())  # both paused in their transaction together
    results = {name: p.communicate(timeout=90) for name, p in procs.items()}
    for name, p in procs.items():
        assert p.returncode == 0, results[name][1]

    h = history(engine)
    ids = dict(zip(h["file_name"], h["id"], strict=True))
    assert sorted(ids) == ["a.xlsx", "b.xlsx"]
    winner = max(ids, key=ids.__getitem__)
    stored = load_figures(engine, periods=["2024-06"], units=[UNIT])
    assert _rows(stored) == _rows(
        read_workbook(files[winner.removesuffix(".xlsx")]).frame
    )  # one file whole, not a mix
    assert set(h["active"]) == {"active", "replaced"}
    assert h.set_index("file_name").loc[winner, "active"] == "active"


# ---------------------------------------------------------------------------- the database goes away


class Proxy:
    """A TCP relay 127.0.0.1:port → the PostgreSQL server, that can be stopped and restarted on the
    same port (stopping closes the listening socket and every relayed connection)."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._listener: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._running = False

    def start(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        sock.listen(16)
        sock.settimeout(0.05)
        self.port = sock.getsockname()[1]
        self._listener, self._running = sock, True
        threading.Thread(target=self._accept, args=(sock,), daemon=True).start()

    def stop(self) -> None:
        self._running = False
        with self._lock:
            conns, self._conns = self._conns, []
            if self._listener is not None:
                self._listener.close()
                self._listener = None
        for c in conns:
            for action in (lambda c=c: c.shutdown(socket.SHUT_RDWR), c.close):
                with contextlib.suppress(OSError):
                    action()

    def _accept(self, sock: socket.socket) -> None:
        while self._running:
            try:
                client, _ = sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            client.settimeout(None)
            with self._lock:
                if not self._running:
                    client.close()
                    upstream.close()
                    return
                self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.close()


@pytest.fixture
def pg_via_proxy(request: pytest.FixtureRequest) -> Iterator[tuple[str, Proxy]]:
    """This worker's PostgreSQL database (wiped, two sample months imported directly) and a URL to it
    through a proxy the test can stop."""
    base = request.getfixturevalue("pg_base_url")
    close_engines()
    _reset_pg(base)
    result = import_files(open_engine(base), sample_files()[-2:], user="dữ liệu mẫu")
    assert result.ok, [i.format() for i in result.errors]
    url = sa.engine.make_url(base)
    proxy = Proxy((url.host or "127.0.0.1", url.port or 5432))
    proxy.start()
    proxied = url.set(drivername="postgresql+psycopg", host="127.0.0.1", port=proxy.port)
    yield proxied.render_as_string(hide_password=False), proxy
    proxy.stop()
    close_engines()


DB_DOWN = "Không kết nối được cơ sở dữ liệu"


def _page_works(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert len(card_values(at)) == len(load_targets(ROOT / "targets.toml").kpis)  # the overview's KPI cards


def _db_down_message(at: AppTest, url: str, port: int) -> str:
    assert not at.exception, at.exception  # a message, not a traceback
    messages = [e.value for e in at.error]
    assert len(messages) == 1 and DB_DOWN in messages[0], messages
    text = messages[0]
    for secret in (url, "postgres@", "postgresql", str(port), "5432"):
        assert secret not in text, (secret, text)
    return text


@pytest.mark.postgres
def test_app_survives_the_database_going_away(
    pg_via_proxy: tuple[str, Proxy], app_env: pytest.MonkeyPatch
) -> None:
    from ui import data

    url, proxy = pg_via_proxy
    app_env.setenv("DATABASE_URL", url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)

    # 1. the database goes away in the middle of a run (after the frame, before the page's queries)
    summary = data.loaded_summary
    armed = [True]

    def stop_after_summary(src: data.Source) -> dict:
        out = summary(src)
        if armed[0]:
            armed[0] = False
            proxy.stop()
        return out

    app_env.setattr(data, "loaded_summary", stop_after_summary)
    cleared: list[int] = []
    close = data.close_engines
    app_env.setattr(data, "close_engines", lambda *a: cleared.append(1) or close(*a))
    at.run()
    assert not armed[0]
    _db_down_message(at, url, proxy.port)
    assert cleared, "the engines were not closed"

    # 2. back: the next rerun works by itself
    proxy.start()
    at.run()
    _page_works(at)

    # 3. down before the run: the frame itself says so, and stops
    proxy.stop()
    at.run()
    _db_down_message(at, url, proxy.port)
    assert not card_values(at)

    # 4. back again
    proxy.start()
    at.run()
    _page_works(at)
