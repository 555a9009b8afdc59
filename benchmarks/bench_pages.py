"""Time every page: a warm AppTest run of each, and in chromium the first KPI card of a fresh Overview
load next to the same for a one-line Streamlit page (the floor).

Run: ``.venv/bin/python benchmarks/bench_pages.py [--runs 5] [--no-browser] [--profile PAGE]``.

* AppTest: the whole app (entry file and page) on two SQLite databases built in a temporary folder,
  the committed sample workbooks and about ten times as many rows (``make_rows(2015, 2024, scale=2)``
  written as workbooks and imported like uploads). One warm-up run, then the median of ``--runs``.
  The scripts' bytecode is kept between runs, as the server keeps it (``--compile-every-run``: not).
  Aim: every page under 300 ms on the larger data.
* Browser: from navigation start until the ``online_full`` card's value is first painted, read on
  the page's own clock (``performance.now()`` in an init script: Playwright's polling backoff would
  add up to 500 ms at random), over fresh page loads (new sessions); all servers up at once and
  loaded in turn each round, one warm-up round, then the median of ``--runs`` (default 21 for the
  browser), next to the same for a page that holds one ``st.metric`` (the floor).
  Aim: the Overview within 1,5 × the floor.

A page over the aim is profiled (cProfile on one warm AppTest run), and so is ``--profile PAGE``.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import bench_databases, median_ms, page_bench_parser  # noqa: E402
from data_access.store import open_engine, summary  # noqa: E402

PAGES = ["pages/overview.py", "pages/gaps.py", "pages/trends.py", "pages/whatif.py", "pages/upload.py"]
PAGE_AIM_MS = 300.0
FLOOR_AIM = 1.5
CARD = '.kpi-card[data-kpi="online_full"] .kpi-value'
FLOOR_SCRIPT = 'import streamlit as st\n\nst.metric("x", "1")\n'


def app_on(url: str, page: str):  # -> AppTest
    from streamlit.testing.v1 import AppTest

    os.environ["DATABASE_URL"] = url
    os.environ["SAMPLE_DATA"] = "0"
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page(page)
    at.run()  # the warm-up run: caches filled, modules imported
    if at.exception:
        raise RuntimeError(f"{page} failed: {at.exception[0].message}")
    return at


def time_page(url: str, page: str, runs: int) -> float:
    """Median ms of a warm whole-script AppTest run of ``page`` (entry file included)."""
    at = app_on(url, page)
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        at.run()
        samples.append(time.perf_counter() - t0)
        if at.exception:
            raise RuntimeError(f"{page} failed: {at.exception[0].message}")
    return median_ms(samples)


def profile_page(url: str, page: str, top: int = 25) -> str:
    """cProfile of one warm AppTest run of ``page``: the functions with the most cumulative time in
    the project's own code, then the most internal time anywhere. AppTest runs the script in a
    thread of its own, so the profiler is switched on inside that thread."""
    from streamlit.runtime.scriptrunner import script_runner

    at = app_on(url, page)
    at.run()
    prof = cProfile.Profile()
    original = script_runner.exec_func_with_error_handling

    def profiled(func, ctx):  # type: ignore[no-untyped-def]
        prof.enable()
        try:
            return original(func, ctx)
        finally:
            prof.disable()

    script_runner.exec_func_with_error_handling = profiled
    try:
        at.run()
    finally:
        script_runner.exec_func_with_error_handling = original
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("cumulative").print_stats(rf"{ROOT}/(app|pages|ui|kpi|data_access)", top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


# ---------------------------------------------------------------------------- browser


#: Injected before any page script: the time (``performance.now()``, from the navigation's start) at
#: which an element matching the selector for this port is first laid out with a size, checked on
#: every DOM mutation and every animation frame. Playwright's own ``wait_for`` polls with a backoff
#: up to 500 ms, which made a load 450 ms "slower" at random; the page's own clock does not.
FIRST_SEEN_JS = """
(() => {
  const selector = (%s)[document.location.port];
  if (!selector) return;
  const check = () => {
    if (window.__firstSeen !== undefined) return;
    const el = document.querySelector(selector);
    if (el) {
      const box = el.getBoundingClientRect();
      if (box.width > 0 && box.height > 0) { window.__firstSeen = performance.now(); return; }
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
  document.addEventListener("DOMContentLoaded", () =>
    new MutationObserver(check).observe(document.body, {subtree: true, childList: true, attributes: true}));
})();
"""


def first_seen_ms(page: object, base: str) -> float:
    """One fresh load of ``base`` (a new session): ms from navigation start to the selector's first paint."""
    page.goto("about:blank")  # type: ignore[attr-defined]
    page.goto(base, wait_until="commit")  # type: ignore[attr-defined]
    page.wait_for_function(
        "() => window.__firstSeen !== undefined",
        polling="raf",  # type: ignore[attr-defined]
        timeout=60_000,
    )
    return float(page.evaluate("window.__firstSeen"))  # type: ignore[attr-defined]


def browser_cpu(page: object, base: str, selector: str, top: int = 12) -> str:
    """Chrome's CPU profile of one fresh page load until ``selector`` is visible: the main thread's
    busy time by script (Streamlit's frontend chunks) and the native work ("(program)": parsing,
    style, layout)."""
    from collections import Counter

    page.goto("about:blank")  # type: ignore[attr-defined]
    cdp = page.context.new_cdp_session(page)  # type: ignore[attr-defined]
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 500})
    cdp.send("Profiler.start")
    t0 = time.perf_counter()
    page.goto(base, wait_until="commit")  # type: ignore[attr-defined]
    page.locator(selector).first.wait_for(state="visible", timeout=60_000)  # type: ignore[attr-defined]
    wall = (time.perf_counter() - t0) * 1000
    profile = cdp.send("Profiler.stop")["profile"]
    cdp.detach()
    nodes = {n["id"]: n["callFrame"] for n in profile["nodes"]}
    by_script: Counter[str] = Counter()
    for sample, delta in zip(profile["samples"], [*profile["timeDeltas"][1:], 0], strict=True):
        frame = nodes[sample]
        by_script[frame["url"].rsplit("/", 1)[-1] or frame["functionName"] or "(native)"] += delta / 1000
    idle = by_script.pop("(idle)", 0.0)
    busy = sum(by_script.values())
    lines = [f"  wall {wall:.0f} ms (profiler on); main thread busy {busy:.0f} ms, idle {idle:.0f} ms"]
    lines += [f"  {ms:8.0f} ms  {name}" for name, ms in by_script.most_common(top)]
    return "\n".join(lines)


def time_browser(
    urls: list[tuple[str, str]], runs: int, folder: Path
) -> tuple[float, list[tuple[str, float]], dict[str, str]]:
    """(floor ms, [(data name, Overview ms)], {name: CPU profile of one load}).

    Every server is up at once and each round loads the floor and then each Overview, so a busy
    moment of the machine slows them alike; one warm-up round, then the median of ``runs``.
    """
    from tests.browser import browser_page, require_chromium, streamlit_server

    chromium = require_chromium()
    floor_script = folder / "floor.py"
    floor_script.write_text(FLOOR_SCRIPT, encoding="utf-8")
    cpu: dict[str, str] = {}
    with ExitStack() as stack:
        targets = [
            (
                "floor",
                stack.enter_context(streamlit_server(None, script=floor_script)),
                '[data-testid="stMetricValue"]',
            )
        ]
        for name, url in urls:
            targets.append((name, stack.enter_context(streamlit_server(url, env={"SAMPLE_DATA": "0"})), CARD))
        page = stack.enter_context(browser_page(chromium))
        selectors = {base.rsplit(":", 1)[1]: sel for _, base, sel in targets}
        page.add_init_script(FIRST_SEEN_JS % json.dumps(selectors))  # type: ignore[attr-defined]
        samples: dict[str, list[float]] = {name: [] for name, _, _ in targets}
        for round_no in range(runs + 1):
            for name, base, _ in targets:
                ms = first_seen_ms(page, base)
                if round_no:
                    samples[name].append(ms)
        floor = statistics.median(samples["floor"])
        results = [(name, statistics.median(samples[name])) for name, _ in urls]
        cpu["one-line page (floor)"] = browser_cpu(page, targets[0][1], targets[0][2])
        for (name, base, sel), (_, ms) in zip(targets[1:], results, strict=True):
            if ms > FLOOR_AIM * floor:
                cpu[f"Overview, {name}"] = browser_cpu(page, base, sel)
    return floor, results, cpu


# ---------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = page_bench_parser(__doc__, runs=5)
    parser.add_argument("--browser-runs", type=int, default=21, help="fresh loads per page in chromium")
    parser.add_argument("--no-browser", action="store_true", help="AppTest timings only")
    parser.add_argument(
        "--profile",
        action="append",
        default=[],
        metavar="PAGE",
        help="also profile this page (e.g. pages/gaps.py) on the larger data",
    )
    args = parser.parse_args(argv)
    runs = max(1, args.runs)
    with bench_databases(args, "bench-pages-") as (datasets, how, folder):
        big_url = datasets[-1][1]
        rows = {name: summary(open_engine(url)).rows for name, url in datasets}
        print(", ".join(f"{name} {n} rows" for name, n in rows.items()))

        print(f"\nwarm AppTest run (entry file + page, {how}), median of {runs} after one warm-up, ms")
        print(
            f"{'page':22}" + "".join(f"{name:>28}" for name, _ in datasets) + f"   aim < {PAGE_AIM_MS:.0f} ms"
        )
        slow: list[str] = []
        for page in PAGES:
            cells = []
            for name, url in datasets:
                try:
                    ms = time_page(url, page, runs)
                except RuntimeError as exc:
                    cells.append(f"{'failed':>28}")
                    print(f"  {exc}", file=sys.stderr)
                    continue
                cells.append(f"{ms:>28.1f}")
                if name == datasets[-1][0] and ms >= PAGE_AIM_MS:
                    slow.append(page)
            print(f"{page:22}" + "".join(cells) + ("   MISSED" if page in slow else "   ok"))

        if not args.no_browser:
            floor, loads, cpu = time_browser(datasets, max(runs, args.browser_runs), folder)
            print(
                f"\nin chromium: navigation start → first KPI card painted (the page's own clock), median of {max(runs, args.browser_runs)} fresh loads, ms"
            )
            print(f"{'one-line page (floor)':34} {floor:>8.0f}")
            for name, ms in loads:
                ratio = ms / floor
                verdict = "ok" if ratio <= FLOOR_AIM else "MISSED"
                print(
                    f"{'Overview, ' + name:34} {ms:>8.0f}   {ratio:.2f} × floor (aim ≤ {FLOOR_AIM}) {verdict}"
                )
            if len(cpu) > 1:  # the Overview missed: where the browser spends its time, next to the floor
                for name, text in cpu.items():
                    print(f"\nchromium CPU profile of one fresh load: {name}\n{text}")

        for page in dict.fromkeys([*slow, *args.profile]):
            print(f"\n--- profile of one warm run of {page} on {datasets[-1][0]} ---")
            print(profile_page(big_url, page))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
