"""Two app processes on one PostgreSQL database: an upload through process A shows in process B at its
next page load. B's caches are keyed on the data version read from the database on every rerun, so
nothing stale survives another process's upload (Debian's chromium through Playwright)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import AbstractContextManager, ExitStack
from pathlib import Path

import pytest
from openpyxl import Workbook

from data_access.bootstrap import sample_files
from data_access.columns import HEADERS, TEMPLATE_COLUMNS
from data_access.store import close_engines, data_version, history, import_files, load_figures, open_engine
from kpi.engine import kpi_table
from kpi.targets import load_targets
from tests.browser import assert_no_exception, browser_page, require_chromium, streamlit_server, wait_idle
from tests.helpers import ROOT, _reset_pg
from vnfmt import fmt_pct

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.xdist_group("browser")]
OUT = ROOT / "test-output"
CARD = '.kpi-card[data-kpi="online_full"] .kpi-value'
NEW_FILE = "so-lieu-2024-12-bo-sung.xlsx"


@pytest.fixture
def pg_sample_url(pg_base_url: str) -> Iterator[str]:
    """This worker's PostgreSQL database wiped, holding the 24 sample workbooks."""
    close_engines()
    _reset_pg(pg_base_url)
    result = import_files(open_engine(pg_base_url), sample_files(), user="dữ liệu mẫu")
    assert result.ok, [i.format() for i in result.errors]
    yield pg_base_url
    close_engines()


def december_workbook(url: str) -> bytes:
    """One balanced row per unit for 12/2024, every new dossier received fully online (online_full 100 %)."""
    figures = load_figures(open_engine(url))
    december = figures[figures["period"] == "2024-12"]
    pairs = december.groupby("unit")["field"].first()
    wb = Workbook()
    ws = wb.active
    ws.title = "SoLieu"
    ws.append([HEADERS[c] for c in TEMPLATE_COLUMNS])
    counts = {c: 0 for c in TEMPLATE_COLUMNS[5:]}
    counts.update(received_online_full=100, resolved_early=100, results_digitized=100, dossiers_digitized=100)
    for unit, field in pairs.items():
        row = {
            "period": "12/2024",
            "unit": unit,
            "field": field,
            "procedure_code": None,
            "procedure_name": None,
            **counts,
        }
        ws.append([row[c] for c in TEMPLATE_COLUMNS])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def online_full(url: str) -> str:
    table = kpi_table(load_figures(open_engine(url)), load_targets(ROOT / "targets.toml"), period="2024-12")
    return fmt_pct(table.set_index("kpi").loc["online_full", "value"])


def read_overview(page: object) -> tuple[str, str]:
    """(the online_full card's value, the source caption) of the Overview shown."""
    page.locator(CARD).wait_for(timeout=60_000)  # type: ignore[attr-defined]
    wait_idle(page)
    assert_no_exception(page)
    caption = page.locator('[data-testid="stCaptionContainer"]').filter(has_text="Nguồn số liệu")  # type: ignore[attr-defined]
    return page.locator(CARD).inner_text(), caption.first.inner_text()  # type: ignore[attr-defined]


def start_together(stack: ExitStack, servers: list[AbstractContextManager[str]]) -> list[str]:
    """Start the servers side by side (each waits seconds for its health check); all are stopped by
    ``stack``, also when one of them fails to start."""
    with ThreadPoolExecutor(len(servers)) as pool:
        futures = [pool.submit(cm.__enter__) for cm in servers]
        wait(futures)
    for cm, f in zip(servers, futures, strict=True):
        if f.exception() is None:
            stack.push(cm)
    return [f.result() for f in futures]


def test_upload_in_one_process_shows_in_the_other(pg_sample_url: str, tmp_path: Path) -> None:
    chromium = require_chromium()
    OUT.mkdir(exist_ok=True)
    url = pg_sample_url
    new_file = tmp_path / NEW_FILE
    new_file.write_bytes(december_workbook(url))
    before = online_full(url)
    env = {"SAMPLE_DATA": "0"}
    with ExitStack() as stack:
        base_a, base_b = start_together(stack, [streamlit_server(url, env=env) for _ in range(2)])
        page_b = stack.enter_context(browser_page(chromium))
        page_a = page_b.context.new_page()

        # process B: the Overview on the sample data (its caches filled for this data version)
        page_b.goto(base_b)
        value, caption = read_overview(page_b)
        assert value == before
        assert "so-lieu-2024-12.xlsx" in caption and NEW_FILE not in caption

        # process A: the upload page (demo mode: no user in this database), the new December file saved
        page_a.goto(base_a)
        wait_idle(page_a, 60_000)
        page_a.goto(f"{base_a}/nhap-so-lieu")
        wait_idle(page_a)
        page_a.locator('.st-key-upload_files input[type="file"]').set_input_files(str(new_file))
        page_a.locator(".st-key-save_upload button").wait_for(timeout=30_000)
        wait_idle(page_a)
        assert_no_exception(page_a)
        page_a.locator(".st-key-save_upload button").click()
        page_a.get_by_text(f"Đã lưu lần nhập #25 ({NEW_FILE})").wait_for(timeout=30_000)
        assert data_version(open_engine(url)) == 25
        assert history(open_engine(url)).iloc[0]["file_name"] == NEW_FILE
        after = online_full(url)
        assert after == "100,0 %" != before

        # process B again: a page load reads the new data version and shows the new figures
        page_b.reload()
        value, caption = read_overview(page_b)
        page_b.screenshot(path=str(OUT / "two-processes-b-after.png"), full_page=True)
        assert value == after
        assert f"lần nhập #25 – {NEW_FILE}" in caption
        assert "so-lieu-2024-12.xlsx" not in caption
