"""The engine registry: one engine per URL, and closing it really gives new connections."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from data_access.store import close_engines, open_engine
from data_access.store import engine as registry


def test_one_engine_per_url_until_closed(sqlite_url: str, tmp_path: Path) -> None:
    other_url = f"sqlite:///{tmp_path / 'other.db'}"
    first = open_engine(sqlite_url)
    other = open_engine(other_url)
    assert open_engine(sqlite_url) is first and other is not first
    close_engines(sqlite_url)  # only this one
    assert open_engine(other_url) is other
    again = open_engine(sqlite_url)
    assert again is not first
    close_engines()
    assert open_engine(sqlite_url) is not again and open_engine(other_url) is not other


def test_threads_opening_one_url_share_one_engine(sqlite_url: str) -> None:
    close_engines()
    got: list[sa.Engine] = []
    threads = [threading.Thread(target=lambda: got.append(open_engine(sqlite_url))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 8 and len({id(e) for e in got}) == 1


def test_least_recently_used_engine_is_disposed_beyond_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    close_engines()
    monkeypatch.setattr(registry, "MAX_ENGINES", 2)
    urls = [f"sqlite:///{tmp_path / f'{i}.db'}" for i in range(3)]
    a, b = open_engine(urls[0]), open_engine(urls[1])
    assert open_engine(urls[0]) is a  # a used again: b is now the oldest
    pool = b.pool
    open_engine(urls[2])
    assert b.pool is not pool  # disposed (its connections closed; a disposed engine gets a new pool)
    assert open_engine(urls[0]) is a
    assert open_engine(urls[1]) is not b
    close_engines()


@pytest.mark.postgres
def test_closing_gives_a_new_postgresql_connection(pg_base_url: str) -> None:
    close_engines()
    first = open_engine(pg_base_url)
    with first.connect() as conn:
        pid = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
    close_engines()
    fresh = open_engine(pg_base_url)
    assert fresh is not first
    with fresh.connect() as conn:
        assert conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one() != pid
        # the old connection is closed, not only forgotten (its backend exits within moments)
        alive = sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid = :p")
        deadline = time.monotonic() + 5
        while conn.execute(alive, {"p": pid}).scalar_one() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert conn.execute(alive, {"p": pid}).scalar_one() == 0
    close_engines()
