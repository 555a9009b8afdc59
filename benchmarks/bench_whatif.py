"""Time the what-if page: a warm rerun after a target change next to a rerun with nothing changed.

Run: ``.venv/bin/python benchmarks/bench_whatif.py [--runs 9]``. Drives the real app with
Streamlit's AppTest (a whole-script rerun, the worst case: in the browser a target change reruns
only the page's fragment, without the entry file's database round trip) on two SQLite databases
built in a temporary folder: the committed sample workbooks, and about ten times as many rows
(``make_rows(2015, 2024, scale=2)`` written as workbooks and imported like an upload). Prints the
median of the runs (``time.perf_counter``) and their ratio. Aim: ratio ≤ 1,2 and < 200 ms.

Also prints what the fragment itself computes on a target change (judge the scenario, compare,
sentence, views, chart), without Streamlit.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import bench_databases, median_ms, page_bench_parser  # noqa: E402
from data_access.store import load_figures, open_engine  # noqa: E402
from kpi.targets import load_targets, with_overrides  # noqa: E402
from kpi.whatif import aggregate_scope, compare, judge, kpi_changes  # noqa: E402
from vnfmt import fmt_number  # noqa: E402

PAGE = "pages/whatif.py"


def time_page(url: str, runs: int) -> tuple[float, float, int]:
    """(median ms of a rerun with nothing changed, after a target change, rows)."""
    from streamlit.testing.v1 import AppTest

    os.environ["DATABASE_URL"] = url
    os.environ["SAMPLE_DATA"] = "0"
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page(PAGE)
    at.run()
    if at.exception:
        raise SystemExit(f"the page failed: {at.exception}")
    for _ in range(3):  # warm: caches filled, modules imported
        at.run()
        at.text_input(key="target_online_full").input("85,0").run()
        at.text_input(key="target_online_full").input("90,0").run()
    same: list[float] = []
    changed: list[float] = []
    values = [80.0, 75.0]  # typed as people type them: "80,0"
    for i in range(runs):
        t0 = time.perf_counter()
        at.run()
        same.append(time.perf_counter() - t0)
        box = at.text_input(key="target_online_full").input(fmt_number(values[i % 2]))
        t0 = time.perf_counter()
        box.run()
        changed.append(time.perf_counter() - t0)
        if at.exception:
            raise SystemExit(f"the page failed: {at.exception}")
    assert at.session_state["whatif_targets"] == {"online_full": values[(runs - 1) % 2] / 100}
    rows = len(load_figures(open_engine(url)))
    return median_ms(same), median_ms(changed), rows


def time_fragment_work(url: str, runs: int) -> float:
    """Median ms of what the fragment computes after a target change, without Streamlit: judge the
    scenario on the cached sums, compare with the plan's tables, the sentence, views and chart."""
    import pandas as pd

    from ui import whatif_view as wv
    from ui.figures import shortfall_compare

    figures = load_figures(open_engine(url))
    plan = load_targets(ROOT / "targets.toml")
    period = max(figures["period"])
    agg_head = aggregate_scope(figures, plan, period=period)
    agg_unit = aggregate_scope(figures, plan, period=period, by=("unit",))
    base_head = judge(agg_head, plan, period=period)
    base_unit = judge(agg_unit, plan, period=period, by=("unit",))

    def work(target: float) -> None:
        scen = with_overrides(plan, {"online_full": target})
        unit_cmp = compare(base_unit, judge(agg_unit, scen, period=period, by=("unit",)), by=("unit",))
        head_cmp = compare(base_head, judge(agg_head, scen, period=period))
        change = kpi_changes(unit_cmp, ["online_full"])["online_full"]
        wv.summary_sentence(
            wv.scenario_phrase("x", plan_target=0.9, new_target=target),
            change,
            noun="hồ sơ",
            head_name="Toàn Sở",
            head=head_cmp.iloc[0].to_dict(),
        )
        wv.style_view(wv.department_view(head_cmp), head_cmp)._compute()
        rows = wv.unit_rows(unit_cmp, "online_full")
        wv.style_view(wv.unit_view(rows), rows)._compute()
        b = pd.DataFrame({"unit": rows["unit"], "shortfall": rows["shortfall_base"].to_numpy()})
        shortfall_compare(
            b, b.assign(shortfall=rows["shortfall_scen"].to_numpy()), group="unit", label="x"
        ).to_json()

    return _median(lambda: work(0.8), runs)


_WATCH = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  window.__rerun = new Promise(resolve => {
    let t0 = null, seen = false;
    document.addEventListener('keydown', () => { if (t0 === null) t0 = performance.now(); },
                              {capture: true, once: true});
    const obs = new MutationObserver(() => {
      const state = app.getAttribute('data-test-script-state');
      if (state === 'running') seen = true;
      if (seen && state === 'notRunning') { obs.disconnect(); resolve(performance.now() - t0); }
    });
    obs.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  });
}"""


def time_browser(url: str, runs: int) -> tuple[float, float]:
    """In Debian's chromium: (median ms of a full rerun (key R), of a target change (the fragment)),
    from the key press until the app is idle again."""
    from tests.browser import browser_page, require_chromium, streamlit_server, wait_idle

    chromium = require_chromium()
    full: list[float] = []
    fragment: list[float] = []
    with streamlit_server(url, env={"SAMPLE_DATA": "0"}) as base, browser_page(chromium) as page:
        page.goto(base)
        wait_idle(page, 60_000)
        page.goto(f"{base}/gia-dinh")
        wait_idle(page, 60_000)
        box = page.locator(".st-key-target_online_full input")
        for i in range(runs + 2):
            page.locator("h1").first.click()
            page.evaluate(_WATCH)
            page.keyboard.press("r")
            ms = page.evaluate("window.__rerun")
            wait_idle(page)
            page.evaluate(_WATCH)
            box.fill(f"{80 - 5 * (i % 2)}")
            box.press("Enter")
            ms2 = page.evaluate("window.__rerun")
            wait_idle(page)
            if i >= 2:  # warm-up
                full.append(ms / 1000)
                fragment.append(ms2 / 1000)
    return median_ms(full), median_ms(fragment)


def _median(fn: Callable[[], object], runs: int) -> float:
    fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return median_ms(samples)


def main(argv: list[str] | None = None) -> int:
    parser = page_bench_parser(__doc__, runs=9)
    parser.add_argument(
        "--browser",
        action="store_true",
        help="also time the page in chromium: a full rerun vs a target change (fragment)",
    )
    args = parser.parse_args(argv)
    runs = max(7, args.runs)
    with bench_databases(args, "bench-whatif-") as (datasets, how, _folder):
        print(f"median of {runs} AppTest reruns of {PAGE} (whole script, {how}), ms")
        print(
            f"{'data':28} {'rows':>7} {'unchanged':>10} {'target changed':>15} {'ratio':>6} {'fragment work':>14}"
        )
        results: list[tuple[str, float, float]] = []
        for name, url in datasets:
            same, changed, rows = time_page(url, runs)
            work = time_fragment_work(url, runs)
            print(f"{name:28} {rows:>7} {same:>10.1f} {changed:>15.1f} {changed / same:>6.2f} {work:>14.1f}")
            if args.browser:
                results.append((name, *time_browser(url, runs)))
        if args.browser:
            print(f"\nin chromium, median of {runs}: key press → app idle again, ms")
            print(f"{'data':28} {'full rerun (R)':>15} {'target change':>14}")
            for name, full, fragment in results:
                print(f"{name:28} {full:>15.1f} {fragment:>14.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
