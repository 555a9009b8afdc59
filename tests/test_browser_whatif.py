"""Browser test of the what-if page: type a target, see units change status at once, download it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import expect

from data_access.catalog import load_catalog
from data_access.store import load_figures, open_engine
from kpi.engine import kpi_table
from kpi.targets import load_targets, with_overrides
from kpi.whatif import compare, kpi_changes
from tests.browser import assert_no_exception, browser_page, require_chromium, streamlit_server, wait_idle
from tests.helpers import ROOT
from ui.fmt import STATUS_LABELS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
OUT = ROOT / "test-output"
PERIOD = "2024-12"


def _expected(url: str, target: float) -> tuple[dict[str, tuple[str, str]], str]:
    """{unit short name: (status under the plan, under the scenario)} and the summary's moves."""
    figures = load_figures(open_engine(url))
    plan = load_targets(ROOT / "targets.toml")
    scen = with_overrides(plan, {"online_full": target})
    cmp = compare(
        kpi_table(figures, plan, period=PERIOD, by=["unit"]),
        kpi_table(figures, scen, period=PERIOD, by=["unit"]),
        by=("unit",),
    )
    cmp = cmp[cmp["kpi"] == "online_full"]
    short = load_catalog().units.short
    statuses = {
        short(r.unit): (STATUS_LABELS[r.status_base], STATUS_LABELS[r.status_scen]) for r in cmp.itertuples()
    }
    change = kpi_changes(cmp)["online_full"]
    return statuses, f"thêm {change.to_met} đơn vị đạt" if change.to_met else ""


def test_typing_a_target_changes_units_at_once(sample_db_url: str, tmp_path: Path) -> None:
    chromium = require_chromium()
    OUT.mkdir(exist_ok=True)
    statuses, moves = _expected(sample_db_url, 0.75)
    flipped = {u: s for u, s in statuses.items() if s[0] != s[1]}
    assert flipped, "75 % should change some unit's status on the sample data"
    with streamlit_server(sample_db_url, env={"SAMPLE_DATA": "0"}) as base, browser_page(chromium) as page:
        # the Overview first, then a page by its address
        page.goto(base)
        wait_idle(page, 60_000)
        page.goto(f"{base}/gia-dinh")
        wait_idle(page, 60_000)
        assert page.locator("[role='dialog']").count() == 0
        assert_no_exception(page)
        assert "Chưa có giả định" in page.inner_text("body")

        box = page.locator(".st-key-target_online_full input")
        expect(box).to_have_value("90,0")
        box.fill("75")
        box.press("Enter")
        wait_idle(page)
        assert_no_exception(page)

        body = page.inner_text("body")
        assert "Với chỉ tiêu 75,0 % (kế hoạch 90,0 %) cho Hồ sơ trực tuyến toàn trình" in body
        assert moves in body
        # the slider followed the text input, its bubble the Vietnamese way
        slider = page.locator(".st-key-slider_online_full")
        expect(slider.locator("input[type=range]")).to_have_attribute("aria-valuetext", "75,0 %")
        expect(slider.get_by_test_id("stSliderThumbValue")).to_have_text("75,0 %")
        # the per-unit table (a canvas grid; its visible cells are also an accessible table): one
        # row per unit: the unit, achieved, target, the status "plan → scenario" (one when the same)…, the change
        grid = page.locator("[data-testid='stDataFrame']").nth(1)
        grid.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        cells = grid.locator("[role='gridcell']").all_inner_texts()
        width = len(cells) // len(statuses)
        rows = {cells[i]: cells[i : i + width] for i in range(0, len(cells), width)}
        assert set(rows) == set(statuses), cells[:30]
        for unit, (before, after) in statuses.items():
            assert float(rows[unit][2]) == 0.75, rows[
                unit
            ]  # (the accessible cells hold the scenario's value)
            assert rows[unit][3] == (f"{before} → {after}" if before != after else before), rows[unit]
            assert (f"{before} → {after}" in rows[unit][-1]) == (before != after), rows[unit]
        page.set_viewport_size({"width": 1400, "height": 2900})
        page.wait_for_timeout(800)
        page.screenshot(path=str(OUT / "whatif.png"), full_page=True)

        with page.expect_download() as info:
            page.locator(".st-key-whatif_download button").click()
        assert info.value.suggested_filename == "targets-gia-dinh.toml"
        text = Path(info.value.path()).read_text(encoding="utf-8")
        plan = load_targets(ROOT / "targets.toml")
        assert load_targets(text=text) == with_overrides(plan, {"online_full": 0.75})

        # a target change reruns only the page's fragment and reads nothing from the database:
        # with the uploads table out of the way, a whole rerun would stop at the entry file's
        # data-version query (a missing table reads as a database recreated under the app:
        # data_access.texts.store's "schema_gone" message); the fragment carries on
        db = sqlite3.connect(sample_db_url.removeprefix("sqlite:///"))
        db.execute("ALTER TABLE upload RENAME TO upload_away")
        db.commit()
        try:
            box.fill("70")
            box.press("Enter")
            wait_idle(page)
            body = page.inner_text("body")
            assert "Với chỉ tiêu 70,0 % (kế hoạch 90,0 %)" in body
            assert "Không kết nối" not in body
            assert_no_exception(page)
            # the control: a whole rerun (key R) does read the database, and says it cannot
            page.locator("h1").first.click()
            page.keyboard.press("r")
            wait_idle(page)
            assert "Cơ sở dữ liệu đã bị xóa hoặc tạo lại rỗng" in page.inner_text("body")
        finally:
            db.execute("ALTER TABLE upload_away RENAME TO upload")
            db.commit()
            db.close()
