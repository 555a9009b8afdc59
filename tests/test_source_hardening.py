"""Hardening of the sources (issue 19, items 4, 8 and three of 12): a slow or hanging external source
never holds a page, concurrent syncs store one upload, a row cap, timeouts of the main database, a
full or read-only database said as such, a database recreated empty migrated again, markdown and
terminal escapes in file names shown literally."""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from data_access import external
from data_access.bootstrap import sample_files
from data_access.external import MappingError, load_mapping, read_external, sync
from data_access.external_mapping import DEFAULT_MAX_ROWS
from data_access.store import close_engines, create_engine, history, import_files, open_engine
from data_access.store.engine import failure_kind, failure_message
from data_access.texts import store as TS
from tests.helpers import ROOT, card_values
from tests.test_external import MAPPING, ROWS, _make_source
from ui.md import WORD_JOINER, md_escape

#: The file name of the markdown-injection attack: an image from any host, and fake bold "urgent".
EVIL_NAME = "![x](http://evil.example/x.png) **KHẨN**.xlsx"


def _mapping_file(
    tmp_path: Path, src_url: str, schema: str | None, table: str, extra: str = "", name: str = ""
) -> Path:
    path = tmp_path / f"{name or 'nguon-' + table}.toml"
    text = MAPPING.format(url=src_url, table=table, schema=f'schema = "{schema}"' if schema else "")
    path.write_text(text.replace("refresh_minutes = 5", f"refresh_minutes = 5\n{extra}"), encoding="utf-8")
    return path


@pytest.fixture
def source(db_url: str, tmp_path: Path) -> Iterator[tuple[str, str, str | None]]:
    """(store URL, source URL, schema): the two-row source of tests/test_external.py."""
    if db_url.startswith("sqlite"):
        src_url, schema = f"sqlite:///{tmp_path / 'mot_cua.db'}", None
    else:
        src_url, schema = db_url, "mot_cua"
    _make_source(src_url, schema, ROWS)
    external.forget_checks()
    yield db_url, src_url, schema
    assert external.wait_for_checks(60)
    external.forget_checks()
    if schema:
        eng = sa.create_engine(src_url)
        with eng.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        eng.dispose()


# ---------------------------------------------------------------------------- concurrent syncs


def _external_uploads(url: str) -> int:
    return int((history(open_engine(url))["kind"] == "external").sum())


def test_threads_syncing_at_once_store_one_upload(
    source: tuple[str, str, str | None], tmp_path: Path
) -> None:
    """8 sessions arriving when a sync is due, each with its own engine (its own connections, as 8
    processes would have): one upload, the 7 others find it (PostgreSQL: the advisory lock; SQLite:
    the re-check in the write transaction)."""
    db_url, src_url, schema = source
    mapping = load_mapping(_mapping_file(tmp_path, src_url, schema, "v_bc"))
    open_engine(db_url)  # migrated once, before the threads
    engines = [create_engine(db_url) for _ in range(8)]
    barrier = threading.Barrier(len(engines))
    results: list[external.SyncResult] = []
    failures: list[BaseException] = []

    def one(engine: sa.Engine) -> None:
        barrier.wait()
        try:
            results.append(sync(engine, mapping))
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=one, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for e in engines:
        e.dispose()
    assert not failures, failures
    assert len(results) == 8 and all(r.ok for r in results)
    assert sum(r.upload_id is not None for r in results) == 1
    assert sum(r.unchanged for r in results) == 7
    assert _external_uploads(db_url) == 1


def test_the_write_transaction_rechecks(
    source: tuple[str, str, str | None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check before the write sees nothing (as when another session commits between the two) and
    the advisory lock is gone: the re-check inside the write transaction alone stores one upload."""
    db_url, src_url, schema = source
    mapping = load_mapping(_mapping_file(tmp_path, src_url, schema, "v_bc"))
    monkeypatch.setattr(external, "last_synced", lambda engine, mapping: None)

    @contextmanager
    def no_lock(*_a: object, **_k: object) -> Iterator[bool]:
        yield True

    monkeypatch.setattr(external, "advisory_lock", no_lock)
    open_engine(db_url)
    engines = [create_engine(db_url) for _ in range(4)]
    barrier = threading.Barrier(len(engines))
    results: list[external.SyncResult] = []

    def one(engine: sa.Engine) -> None:
        barrier.wait()
        results.append(sync(engine, mapping))

    threads = [threading.Thread(target=one, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for e in engines:
        e.dispose()
    assert len(results) == 4 and sum(r.upload_id is not None for r in results) == 1
    assert all(r.unchanged for r in results if r.upload_id is None)
    assert _external_uploads(db_url) == 1


def test_processes_syncing_at_once_store_one_upload(
    source: tuple[str, str, str | None], tmp_path: Path
) -> None:
    db_url, src_url, schema = source
    path = _mapping_file(tmp_path, src_url, schema, "v_bc")
    open_engine(db_url)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "data_access", "sync", "--mapping", str(path), "--db", db_url],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert sum("lần nhập #" in out for out, _ in outs) == 1  # one stored, three found nothing new
    assert sum("không có gì mới" in out for out, _ in outs) == 3
    assert _external_uploads(db_url) == 1


# ---------------------------------------------------------------------------- the row cap


def test_the_row_cap_refuses_a_larger_source(source: tuple[str, str, str | None], tmp_path: Path) -> None:
    _, src_url, schema = source
    assert (
        load_mapping(_mapping_file(tmp_path, src_url, schema, "v_bc")).max_rows == DEFAULT_MAX_ROWS == 500_000
    )
    capped = _mapping_file(
        tmp_path, src_url, schema, "v_bc", "max_rows = 1", name="gioi-han"
    )  # the source has 2 rows
    with pytest.raises(MappingError) as err:
        read_external(load_mapping(capped))
    assert str(err.value) == (
        "gioi-han.toml: bảng nguồn 'v_bc' có hơn 1 dòng (giới hạn max_rows trong [source], mặc định "
        "500.000): không đọc, không lưu gì; hãy lọc view nguồn (ví dụ chỉ các năm cần) hoặc tăng max_rows"
    )
    exact = _mapping_file(tmp_path, src_url, schema, "v_bc", "max_rows = 2")  # exactly the cap: read
    assert len(read_external(load_mapping(exact)).frame) == 2
    done = subprocess.run(
        [sys.executable, "-m", "data_access", "sync", "--mapping", str(capped), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and "có hơn 1 dòng" in done.stderr
    for bad in ("max_rows = 0", "max_rows = 1.5", "timeout_seconds = 0", 'timeout_seconds = "x"'):
        with pytest.raises(MappingError, match=r"max_rows|timeout_seconds"):
            load_mapping(_mapping_file(tmp_path, src_url, schema, "v_bc", bad))


# ---------------------------------------------------------------------------- a source that never answers


@pytest.fixture
def hanging(source: tuple[str, str, str | None], tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """(store URL with two sample months, mapping of a source that does not answer within its
    timeout_seconds = 4): on PostgreSQL a view over ``pg_sleep(600)``; on SQLite a source file that
    another connection holds an exclusive lock on."""
    db_url, src_url, schema = source
    assert import_files(open_engine(db_url), sample_files()[-2:], user="dữ liệu mẫu").ok
    holder: sqlite3.Connection | None = None
    if schema:
        eng = sa.create_engine(src_url)
        with eng.begin() as conn:
            conn.execute(
                sa.text(f"CREATE VIEW {schema}.v_cham AS SELECT b.* FROM {schema}.bao_cao b, pg_sleep(600)")
            )
        eng.dispose()
        table = "v_cham"
    else:
        file = sa.engine.make_url(src_url).database
        assert file
        with sqlite3.connect(file) as conn:
            conn.execute("PRAGMA journal_mode=DELETE")  # a reader then waits for the writer's lock
        holder = sqlite3.connect(file, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        table = "v_bc"
    yield db_url, _mapping_file(tmp_path, src_url, schema, table, "timeout_seconds = 4")
    if holder is not None:
        holder.rollback()
        holder.close()


def _timed_run(at: AppTest) -> float:
    start = time.monotonic()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return time.monotonic() - start


def test_a_source_that_never_answers_holds_no_page(
    hanging: tuple[str, Path], app_env: pytest.MonkeyPatch
) -> None:
    from ui import data

    db_url, mapping = hanging
    app_env.setenv("DATABASE_URL", db_url)
    # the usual time: the Overview of this database without a source (second run: caches warm)
    usual_at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    _timed_run(usual_at)
    usual = _timed_run(usual_at)
    cards = card_values(usual_at)
    assert cards

    app_env.setenv("FIGURES_SOURCE", str(mapping))
    app_env.setattr(data, "SLOW_AFTER_SECONDS", 1.0)
    external.forget_checks()
    first = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    took = _timed_run(first)  # hands the check to the worker, which then waits for the source
    assert took < usual + 3, (took, usual)
    time.sleep(1.5)
    other = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)  # another session
    took = _timed_run(other)
    assert took < usual + 3, (took, usual)
    assert card_values(other) == cards  # the figures stored before
    banners = [w.value.replace("\\", "") for w in other.warning]
    assert any("chưa trả lời sau" in b and "tối đa 4 giây" in b for b in banners), banners

    # the source's timeout ends the check (4 s): then the banner says so, and the figures stay
    assert external.wait_for_checks(60)
    after = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    _timed_run(after)
    banners = [w.value.replace("\\", "") for w in after.warning]
    assert any("nguồn không trả lời trong 4 giây" in b for b in banners), banners
    assert card_values(after) == cards
    assert _external_uploads(db_url) == 0


def test_a_source_that_accepts_but_never_speaks_times_out(tmp_path: Path) -> None:
    """A listener that accepts the connection and never sends a byte: connecting gives up after the
    source's timeout_seconds (2 s), with the timeout's message."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    port = listener.getsockname()[1]
    try:
        path = _mapping_file(tmp_path, f"postgresql+psycopg://x@127.0.0.1:{port}/nguon", None, "v_bc")
        path.write_text(
            path.read_text(encoding="utf-8").replace("refresh_minutes = 5", "timeout_seconds = 2"),
            encoding="utf-8",
        )
        start = time.monotonic()
        with pytest.raises(MappingError) as err:
            read_external(load_mapping(path))
        assert time.monotonic() - start < 10
        assert "nguồn không trả lời trong 2 giây" in str(err.value)
    finally:
        listener.close()


# ---------------------------------------------------------------------------- the main database


@pytest.mark.postgres
def test_a_frozen_main_database_is_said_within_its_timeout(
    pg_base_url: str, app_env: pytest.MonkeyPatch
) -> None:
    """Another session holds an exclusive lock on the uploads: the page says so after
    DB_TIMEOUT_SECONDS (2), instead of waiting for ever."""
    from tests.helpers import reset_pg

    close_engines()
    reset_pg(pg_base_url)
    assert import_files(open_engine(pg_base_url), sample_files()[-1:], user="x").ok
    close_engines()
    app_env.setenv("DB_TIMEOUT_SECONDS", "2")
    app_env.setenv("DATABASE_URL", pg_base_url)
    locker = sa.create_engine(pg_base_url)
    with locker.connect() as conn:
        conn.execute(sa.text("LOCK TABLE upload IN ACCESS EXCLUSIVE MODE"))
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        took = _timed_run(at)
        conn.rollback()
    locker.dispose()
    assert took < 20
    messages = [e.value for e in at.error]
    assert any("Cơ sở dữ liệu không trả lời trong 2 giây" in m for m in messages), messages
    at.run()  # the lock is gone: the page works again by itself
    assert not at.error and card_values(at)
    close_engines()


def test_a_write_waiting_past_the_timeout_says_so(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DB_TIMEOUT_SECONDS", "1")
    close_engines()
    engine = open_engine(sqlite_url)
    file = sa.engine.make_url(sqlite_url).database
    assert file
    holder = sqlite3.connect(file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the write lock
    try:
        start = time.monotonic()
        with pytest.raises(sa.exc.OperationalError) as err:
            import_files(engine, sample_files()[-1:], user="x")
        assert time.monotonic() - start < 10  # 1 s of busy timeout, not 30
    finally:
        holder.rollback()
        holder.close()
    assert failure_kind(err.value) == "timeout"
    assert failure_message(err.value) == TS.TIMED_OUT.format(seconds=1)
    close_engines()


def test_a_full_disk_is_not_a_lost_connection(sqlite_url: str, tmp_path: Path) -> None:
    from ui import data

    engine = open_engine(sqlite_url)
    with engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    # the file may not grow past the pages it has (as a full disk): the import's rows do not fit
    capped = create_engine(sqlite_url)
    sa.event.listen(capped, "connect", lambda c, _r: c.execute(f"PRAGMA max_page_count = {pages}"))
    with pytest.raises(sa.exc.OperationalError) as err:
        import_files(capped, sample_files()[-1:], user="x")
    capped.dispose()
    assert failure_kind(err.value) == "full"
    message, lost = data.query_failed(err.value)
    assert message == TS.FAILURES["full"] and not lost
    assert "Không kết nối được" not in message


@pytest.mark.parametrize(
    "db_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_a_read_only_database_is_said_as_such(db_url: str, tmp_path: Path) -> None:
    from ui import data

    open_engine(db_url)
    if db_url.startswith("sqlite"):
        file = sa.engine.make_url(db_url).database
        ro = sa.create_engine(f"sqlite:///file:{file}?mode=ro&uri=true")
    else:
        ro = sa.create_engine(db_url, connect_args={"options": "-c default_transaction_read_only=on"})
    with pytest.raises(sa.exc.SQLAlchemyError) as err:
        import_files(ro, sample_files()[-1:], user="x")
    ro.dispose()
    assert failure_kind(err.value) == "read_only"
    message, lost = data.query_failed(err.value)
    assert message == TS.FAILURES["read_only"] and not lost


@pytest.mark.parametrize(
    "db_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_a_database_recreated_empty_is_migrated_again(db_url: str, app_env: pytest.MonkeyPatch) -> None:
    close_engines()
    assert import_files(open_engine(db_url), sample_files()[-1:], user="x").ok
    app_env.setenv("DATABASE_URL", db_url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    _timed_run(at)
    cards = card_values(at)
    assert cards
    if db_url.startswith("sqlite"):  # the file deleted and created again, empty
        file = Path(sa.engine.make_url(db_url).database or "")
        for f in file.parent.glob(file.name + "*"):
            f.unlink()
        sqlite3.connect(file).close()
    else:
        eng = sa.create_engine(db_url, isolation_level="AUTOCOMMIT")
        with eng.connect() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        eng.dispose()
    _timed_run(at)  # this very run migrates the empty database and says it is empty: no error
    assert not at.error, [e.value for e in at.error]
    assert not card_values(at) and any("Chưa có số liệu" in i.value for i in at.info)
    # the tables are in the new database (not in a deleted file the old connections still held)
    fresh = sa.create_engine(db_url)
    assert "upload" in sa.inspect(fresh).get_table_names()
    fresh.dispose()
    assert import_files(open_engine(db_url), sample_files()[-1:], user="x").ok
    _timed_run(at)
    assert card_values(at) == cards
    close_engines()


# ---------------------------------------------------------------------------- file names shown literally


def test_md_escape() -> None:
    assert md_escape(EVIL_NAME) == (
        f"\\!\\[x\\](h{WORD_JOINER}ttp\\://evil.example/x.png) \\*\\*KHẨN\\*\\*.xlsx"
    )
    # plain names stay as they are; a time, intraword underscores, dashes and dots need nothing
    assert md_escape("so-lieu_2024-06 (Thanh tra Sở).xlsx") == "so-lieu_2024-06 (Thanh tra Sở).xlsx"
    assert md_escape("# Tiêu đề\n\n- mục") == "\\# Tiêu đề - mục"  # one line: no heading, no list item
    assert (
        md_escape("1. x") == "1\\. x"
        and md_escape("_nghiêng_ :red[đỏ] $x$") == "\\_nghiêng\\_ \\:red\\[đỏ\\] \\$x\\$"
    )
    assert md_escape("a@b.vn www.x.vn") == f"a{WORD_JOINER}@b.vn w{WORD_JOINER}ww.x.vn"
    assert md_escape("<img src=x>") == "\\<img src=x\\>"


def _unescaped(markdown: str) -> str:
    """What CommonMark shows for text escaped by md_escape: each backslash escape as its character."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace(WORD_JOINER, "")


def test_the_overview_shows_a_file_name_literally(sample_db_url: str, app_env: pytest.MonkeyPatch) -> None:
    last = sample_files()[-1]
    assert import_files(open_engine(sample_db_url), [(EVIL_NAME, last.read_bytes())], user="x").ok
    app_env.setenv("DATABASE_URL", sample_db_url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    _timed_run(at)
    line = next(c.value for c in at.caption if "Nguồn số liệu" in c.value)
    assert md_escape(EVIL_NAME) in line
    assert EVIL_NAME in _unescaped(line)  # shown as typed
    for markup in ("![", "**", "http://"):  # no image, no link, no bold left to render
        assert markup not in line, markup
    assert not re.search(r"(?<!\\)[\[\]*!]", line)  # every bracket, star and "!" escaped


def test_history_prints_terminal_escapes_as_text(sqlite_url: str) -> None:
    name = "a\x1b[2J\x1b]0;pwned\x07b\u202egpj.xlsx"  # clear screen, set the title, reverse the line
    assert import_files(open_engine(sqlite_url), [(name, sample_files()[-1].read_bytes())], user="x").ok

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "data_access", "history", "--db", sqlite_url, *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    table = run()
    assert "a\\x1b[2J\\x1b]0;pwned\\x07b\\u202egpj.xlsx" in table
    assert not any(c in table for c in ("\x1b", "\x07", "\u202e"))
    text = run("--format", "json")
    assert not any(c in text for c in ("\x1b", "\x07", "\u202e"))
    assert json.loads(text)[0]["file_name"] == name  # the JSON still holds the name exactly
