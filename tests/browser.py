"""Browser-test support: start ``streamlit run`` on a free port and drive Debian's chromium.

Never ``playwright install``: the system chromium (``/usr/bin/chromium``) is launched through
Playwright's ``executable_path``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
#: The app has finished running its script (Streamlit's own e2e tests wait for this).
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


def require_chromium() -> str:
    path = chromium_path()
    if path is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("Debian's chromium is required for browser tests (REQUIRE_BROWSER=1)")
        pytest.skip("chromium is not installed (scripts/test.sh installs it as root)")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(
    db_url: str | None, *, env: dict[str, str] | None = None, timeout: float = 60, script: Path | None = None
) -> Iterator[str]:
    """Run the app (or another ``script``) on a free port against ``db_url``; yield its base URL;
    stop it afterwards."""
    port = free_port()
    script = script or ROOT / "app.py"
    full_env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        **({"DATABASE_URL": db_url} if db_url else {}),
        **(env or {}),
    }
    log = open(os.devnull, "w")  # noqa: SIM115 - closed in finally
    # the app starts as the README's command starts it (serve.py); another script with streamlit run
    start = (
        [sys.executable, str(ROOT / "serve.py")]
        if script == ROOT / "app.py"
        else [sys.executable, "-m", "streamlit", "run", str(script)]
    )
    proc = subprocess.Popen(
        [
            *start,
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=script.parent,
        env=full_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {proc.returncode}")
            if time.monotonic() > deadline:
                raise TimeoutError("streamlit did not answer /_stcore/health")
            time.sleep(0.25)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextmanager
def browser_page(executable: str, *, width: int = 1400, height: int = 1000) -> Iterator[object]:
    """A Playwright page in headless Debian chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="vi-VN", accept_downloads=True
        )
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()


def wait_idle(page: object, timeout: float = 30_000) -> None:
    """Wait until the script finished running (and a beat for the DOM to settle)."""
    page.wait_for_selector(IDLE, timeout=timeout)  # type: ignore[attr-defined]
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    page.wait_for_selector(IDLE, timeout=timeout)  # type: ignore[attr-defined]


def assert_no_exception(page: object) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, "the page shows an exception"  # type: ignore[attr-defined]
