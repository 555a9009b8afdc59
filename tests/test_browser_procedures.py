"""Thủ tục hành chính in Debian's chromium: the list shows (the procedures not counted named above it),
its Excel downloads with the engine's rows, and on a 390 px phone the tables stay within their frame.
One server for the module; screenshots in ``test-output/``."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from data_access.catalog import load_catalog
from data_access.procedure_figures import SqlProcedureFigures, catalog_lookup
from data_access.store import open_engine
from kpi.procedures import procedure_list
from kpi.targets import load_targets
from tests.browser import assert_no_exception, browser_page, require_chromium, streamlit_server, wait_idle
from tests.helpers import ROOT
from tests.test_browser_layout import phone_page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
OUT = ROOT / "test-output"
PERIOD = "2024-12"
#: Per visible table: [scroll width, client width] of its grid's scroller.
VISIBLE_GRIDS_JS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
  .filter(e => e.offsetParent !== null).map(e => {
  const s = e.querySelector('.dvn-scroller'); return s ? [s.scrollWidth, s.clientWidth] : null; })"""


@pytest.fixture(scope="module")
def served(sample_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    db = tmp_path_factory.mktemp("procedures") / "sample.db"
    shutil.copyfile(sample_db_template, db)
    require_chromium()
    url = f"sqlite:///{db}"
    with streamlit_server(url, env={"SAMPLE_DATA": "0"}) as base:
        yield base, url


def _expected(url: str) -> list[tuple[str, object]]:
    """(code, received_new) of the first procedure KPI's list for the latest month, in order."""
    plan = load_targets(ROOT / "targets.toml", unit_resolver=load_catalog().units.match)
    engine = open_engine(url)
    kpi = next(iter(plan.procedure_kpis))
    frame = procedure_list(SqlProcedureFigures(engine), catalog_lookup(engine), plan, kpi=kpi, period=PERIOD)
    return [
        (str(c), None if pd.isna(v) else int(v))
        for c, v in zip(frame["procedure_code"], frame["received_new"], strict=True)
    ]


def _visible_grids_fit(page: object) -> None:
    """The tables shown (the list and the catalog in force; scrolled into view, so drawn) are no wider
    than their frame."""
    grids = page.locator('[data-testid="stDataFrame"]')  # type: ignore[attr-defined]
    for i in range(grids.count()):
        if grids.nth(i).is_visible():
            grids.nth(i).scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # type: ignore[attr-defined]
    shown = page.evaluate(VISIBLE_GRIDS_JS)  # type: ignore[attr-defined]
    assert len(shown) >= 2, shown
    assert all(g is not None and g[0] <= g[1] for g in shown), f"wider than the frame: {shown}"


def _open(page: object, base: str) -> None:
    page.goto(base)  # type: ignore[attr-defined]
    wait_idle(page, 60_000)
    page.locator(".kpi-card").first.wait_for()  # type: ignore[attr-defined]
    page.goto(f"{base}/thu-tuc")  # type: ignore[attr-defined]
    wait_idle(page, 60_000)
    assert_no_exception(page)


def test_the_list_shows_and_its_excel_downloads(served: tuple[str, str]) -> None:
    base, url = served
    expected = _expected(url)
    OUT.mkdir(exist_ok=True)
    with browser_page(require_chromium()) as page:
        _open(page, base)
        assert page.locator("h1").first.inner_text().strip() == "Thủ tục hành chính"  # type: ignore[attr-defined]
        sentence = page.locator('[data-testid="stAlertContentWarning"]').filter(has_text="TTHC")  # type: ignore[attr-defined]
        assert sentence.count() == 1
        assert sentence.inner_text().split("\n")[-1].startswith("Còn ")  # after the icon's name
        assert page.locator('[data-testid="stDataFrame"]').first.is_visible()  # type: ignore[attr-defined]
        assert page.locator('[data-testid="stPlotlyChart"]').count() == 1  # type: ignore[attr-defined]
        _visible_grids_fit(page)  # the list and the catalog, at 1400 px
        page.screenshot(path=str(OUT / "procedures.png"), full_page=True)  # type: ignore[attr-defined]

        with page.expect_download() as info:  # type: ignore[attr-defined]
            page.locator(".st-key-proc_download button").click()  # type: ignore[attr-defined]
        assert info.value.suggested_filename.endswith(f"-{PERIOD}.xlsx")
        data = Path(info.value.path()).read_bytes()
        ws = openpyxl.load_workbook(io.BytesIO(data))["Danh sách TTHC"]
        head = int(str(ws.auto_filter.ref).split(":")[0][1:])
        headers = [c.value for c in ws[head]]
        assert headers[:7] == [
            "Mã TTHC",
            "Tên TTHC",
            "Đơn vị",
            "Lĩnh vực",
            "Mức độ DVCTT",
            "Được tính",
            "Lý do",
        ]
        new = headers.index("Tiếp nhận trong kỳ")
        rows = [
            (str(r[0].value), r[new].value)
            for r in ws.iter_rows(min_row=head + 1, max_row=ws.max_row)
            if r[0].value is not None
        ]
        assert rows == expected

        # the catalog's versions tab shows its table
        page.get_by_role("tab", name="Các lần cập nhật và thay đổi").click()  # type: ignore[attr-defined]
        wait_idle(page)
        assert_no_exception(page)
        tables = page.locator('[role="tabpanel"]:visible [data-testid="stDataFrame"]')  # type: ignore[attr-defined]
        assert tables.count() == 2  # the versions and what changed between the two chosen


def test_on_a_phone_the_tables_fit(served: tuple[str, str]) -> None:
    base, _ = served
    with phone_page(require_chromium()) as page:
        _open(page, base)
        _visible_grids_fit(page)
        width = page.evaluate("() => document.documentElement.scrollWidth")  # type: ignore[attr-defined]
        assert width <= 390, width
        page.screenshot(path=str(OUT / "procedures-390.png"), full_page=True)  # type: ignore[attr-defined]
