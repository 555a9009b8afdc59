"""The sidebar's five kinds of period (Tháng / Quý / 6 tháng / Năm / Lũy kế) on the pages: the caption names
the period, the Overview's cards are the engine's table of that very period, old addresses still open what
they named, a period not over yet says up to which month it has figures, Xu hướng goes by quarter or year."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data_access.bootstrap import sample_files
from data_access.store import import_files, load_figures, open_engine
from kpi.engine import kpi_table
from kpi.periods import Period
from kpi.targets import Plan, load_targets
from tests.helpers import ROOT, app_test, card_values, run_app
from ui.texts import directors as TD
from vnfmt import fmt_int, fmt_pct

#: (kind, period code, how the caption names it, the period, the previous period's name on the cards)
CASES = [
    ("month", "2024-06", "Tháng 6/2024", Period("month", 2024, 6), "Tháng 5/2024"),
    ("quarter", "2024-Q2", "Quý II/2024", Period("quarter", 2024, 2), "Quý I/2024"),
    ("half", "2024-H1", "6 tháng đầu năm 2024", Period("half", 2024, 1), "6 tháng cuối năm 2023"),
    ("year", "2023", "Năm 2023", Period("year", 2023, 0), None),  # no 2022 in the sample: no change
    ("ytd", "2024-06", "Lũy kế đến Tháng 6/2024", Period("ytd", 2024, 6), "lũy kế đến tháng 5/2024"),
]


def _plan() -> Plan:
    return load_targets(ROOT / "targets.toml")


def _expected(figures: pd.DataFrame, period: Period) -> dict[str, str]:
    """{label: value as the card shows it} of the engine's table (a value does not depend on the target)."""
    table = kpi_table(figures, _plan(), period=period)
    return {r.label: (fmt_pct(r.value) if r.status != "no_data" else "–") for r in table.itertuples()}


def _same_cards(at: AppTest, figures: pd.DataFrame, period: Period) -> None:
    cards, expected = card_values(at), _expected(figures, period)
    shared = set(cards) & set(expected)  # another year's plan may name other KPIs: compare those in both
    assert len(shared) >= 5, (cards, expected)
    assert {k: cards[k] for k in shared} == {k: expected[k] for k in shared}


def _cards_html(at: AppTest) -> str:
    return html.unescape(" ".join(h.proto.body for h in at.html))


def _choose(at: AppTest, kind: str, code: str) -> None:
    at.sidebar.segmented_control(key="f_kind").set_value(kind).run()
    at.sidebar.selectbox(key="f_period").set_value(code).run()
    assert not at.exception, [e.value for e in at.exception]


@pytest.mark.parametrize(("kind", "code", "name", "period", "before"), CASES, ids=[c[0] for c in CASES])
def test_each_kind_of_period_on_the_overview(
    kind: str,
    code: str,
    name: str,
    period: Period,
    before: str | None,
    sample_db_url: str,
    app_env: pytest.MonkeyPatch,
) -> None:
    at = run_app(sample_db_url, app_env)
    assert at.sidebar.segmented_control(key="f_kind").options == ["Tháng", "Quý", "6 tháng", "Năm", "Lũy kế"]
    _choose(at, kind, code)
    assert at.caption[0].value.startswith(f"{name} · "), at.caption[0].value
    figures = load_figures(open_engine(sample_db_url))
    _same_cards(at, figures, period)
    cards = _cards_html(at)
    if before is None:
        assert "so với" not in cards
    else:
        assert f"so với {before}" in cards
    # the address names the period (and the year to date), so that a reload opens it again
    assert at.query_params["ky"] == code
    assert ("pham_vi" in at.query_params) == (kind == "ytd")
    # every other page runs on it and names it
    for page in ("pages/gaps.py", "pages/trends.py", "pages/whatif.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert any(name in c.value or name in m.value for c in at.caption for m in at.markdown), page


def test_a_quarters_figures_are_the_sum_of_its_three_months(
    sample_db_url: str, app_env: pytest.MonkeyPatch
) -> None:
    """Hand check: online_full of Quý II/2024 is received_online_full / received_new summed over April, May
    and June (rows where both are known), shown on its card as value and counts."""
    figures = load_figures(open_engine(sample_db_url))
    q2 = figures[figures["period"].isin(["2024-04", "2024-05", "2024-06"])]
    known = q2["received_online_full"].notna() & q2["received_new"].notna()
    months = q2[known].groupby("period")[["received_online_full", "received_new"]].sum()
    assert len(months) == 3, "the sample has the three months"
    num, den = int(months["received_online_full"].sum()), int(months["received_new"].sum())
    table = kpi_table(figures, _plan(), period=Period("quarter", 2024, 2)).set_index("kpi")
    assert (table.loc["online_full", "numerator"], table.loc["online_full", "denominator"]) == (num, den)
    # …and it is not one month's figure
    assert num > int(months["received_online_full"].max())
    at = run_app(sample_db_url, app_env)
    _choose(at, "quarter", "2024-Q2")
    label = _plan().kpis["online_full"].label
    assert card_values(at)[label] == fmt_pct(num / den)
    card = re.search(rf'aria-label="{re.escape(label)}">(.*?)</section>', _cards_html(at), re.S)
    assert card and f"{fmt_int(num)}/{fmt_int(den)}" in card.group(1), card


def test_switching_the_kind_keeps_the_month_inside_the_new_period(
    sample_db_url: str, app_env: pytest.MonkeyPatch
) -> None:
    at = run_app(sample_db_url, app_env)
    at.sidebar.selectbox(key="f_period").set_value("2024-05").run()
    # each switch: the new kind's period holding the last month of the one shown (Q2 and H1 end in June)
    chain = (
        ("quarter", "2024-Q2"),
        ("half", "2024-H1"),
        ("ytd", "2024-06"),
        ("year", "2024"),
        ("month", "2024-12"),
    )
    for kind, code in chain:
        at.sidebar.segmented_control(key="f_kind").set_value(kind).run()
        assert at.session_state["f_period"] == code, kind
    # newest first, named as the caption names them
    at.sidebar.segmented_control(key="f_kind").set_value("quarter").run()
    options = at.sidebar.selectbox(key="f_period").options
    assert options[:3] == ["Quý IV/2024", "Quý III/2024", "Quý II/2024"]
    assert len(options) == 8


def test_old_and_new_addresses_open_what_they_name(sample_db_url: str, app_env: pytest.MonkeyPatch) -> None:
    figures = load_figures(open_engine(sample_db_url))
    old = app_test(sample_db_url, app_env)
    old.query_params = {"thang": "2024-06", "pham_vi": "ytd"}  # a link from before the quarters
    old.run()
    assert not old.exception
    assert (old.session_state["f_kind"], old.session_state["f_period"]) == ("ytd", "2024-06")
    assert old.caption[0].value.startswith("Lũy kế đến Tháng 6/2024 · ")
    _same_cards(old, figures, Period("ytd", 2024, 6))
    assert dict(old.query_params) == {"ky": "2024-06", "pham_vi": "ytd"}, "rewritten with ky"
    month = app_test(sample_db_url, app_env)
    month.query_params = {"thang": "2024-03"}
    month.run()
    assert (month.session_state["f_kind"], month.session_state["f_period"]) == ("month", "2024-03")
    new = app_test(sample_db_url, app_env)
    new.query_params = {"ky": "2024-Q2", "don_vi": "Thanh tra Sở"}
    new.run()
    assert (new.session_state["f_kind"], new.session_state["f_period"]) == ("quarter", "2024-Q2")
    assert new.caption[0].value.startswith("Quý II/2024 · Thanh tra Sở · ")
    for bad in ({"ky": "2025-Q1"}, {"ky": "2024-Q5"}, {"ky": "2024-Q2", "pham_vi": "ytd"}):
        at = app_test(sample_db_url, app_env)
        at.query_params = bad
        at.run()
        assert not at.exception, bad
        # not a period with figures: ignored (latest month); ytd with a quarter: the quarter
        expected = ("quarter", "2024-Q2") if bad.get("pham_vi") else ("month", "2024-12")
        assert (at.session_state["f_kind"], at.session_state["f_period"]) == expected, bad


@pytest.fixture
def until_may_url(tmp_path: Path) -> str:
    """The sample's workbooks up to May 2024 only: 2024's second quarter, first half and year are not over."""
    url = f"sqlite:///{tmp_path / 'may.db'}"
    files = [f for f in sample_files() if f.stem <= "so-lieu-2024-05"]
    assert len(files) == 17
    engine = open_engine(url)
    assert import_files(engine, files, user="thử").ok
    engine.dispose()
    return url


def test_a_period_not_over_yet_says_up_to_which_month(
    until_may_url: str, app_env: pytest.MonkeyPatch
) -> None:
    at = run_app(until_may_url, app_env)
    figures = load_figures(open_engine(until_may_url))
    at.sidebar.segmented_control(key="f_kind").set_value("quarter").run()
    assert at.session_state["f_period"] == "2024-Q2"
    assert at.caption[0].value.startswith("Quý II/2024 (số liệu đến Tháng 5/2024) · "), at.caption[0].value
    # its figures are April and May's, judged at May's target; the stocks are May's
    cut = Period("quarter", 2024, 2, last="2024-05")
    _same_cards(at, figures, cut)
    assert at.sidebar.selectbox(key="f_period").options[0] == "Quý II/2024 (số liệu đến Tháng 5/2024)"
    at.sidebar.segmented_control(key="f_kind").set_value("year").run()
    assert at.caption[0].value.startswith("Năm 2024 (số liệu đến Tháng 5/2024) · ")
    _same_cards(at, figures, Period("year", 2024, 0, last="2024-05"))
    # a whole period before is whole
    at.sidebar.selectbox(key="f_period").set_value("2023").run()
    assert at.caption[0].value.startswith("Năm 2023 · ")


def test_trends_by_quarter_and_by_year(sample_db_url: str, app_env: pytest.MonkeyPatch) -> None:
    at = run_app(sample_db_url, app_env)
    at.sidebar.selectbox(key="f_period").set_value("2024-06").run()
    at.switch_page("pages/trends.py").run()
    assert any(c.value.startswith("Lũy kế đến nay") for c in at.caption), "the month view projects"
    at.segmented_control(key="trend_by").set_value("quarter").run()
    assert not at.exception, [e.value for e in at.exception]
    captions = [c.value for c in at.caption]
    # up to the sidebar's period (June 2024: the end of Quý II), each quarter whole
    assert any(c.startswith("Theo quý, từ Quý I/2023 đến Quý II/2024 · **Toàn Sở**") for c in captions), (
        captions
    )
    assert TD.TRENDS_NO_PROJECTION in captions, "where the projection does not apply, the page says so"
    assert not any(c.startswith(("Lũy kế đến nay", "Kết quả cả năm")) for c in captions)
    assert len(at.get("plotly_chart")) == 4
    at.segmented_control(key="trend_by").set_value("year").run()
    # 2024 is cut at the sidebar's June
    assert any(
        c.value.startswith("Theo năm, từ Năm 2023 đến Năm 2024 (số liệu đến Tháng 6/2024) · ")
        for c in at.caption
    ), [c.value for c in at.caption]
    at.sidebar.segmented_control(key="f_kind").set_value("year").run()
    assert at.session_state["f_period"] == "2024"
    assert any(c.value.startswith("Theo năm, từ Năm 2023 đến Năm 2024 · ") for c in at.caption)
    assert not at.exception


def test_the_overview_names_both_timeliness_definitions(
    sample_db_url: str, app_env: pytest.MonkeyPatch
) -> None:
    """periods.md / issue 14: progress_766 beside on_time, both definitions readable on the page (not
    only in a card's hover, which a phone does not have)."""
    at = run_app(sample_db_url, app_env)
    plan = _plan()
    line = next(c.value for c in at.caption if c.value.startswith("Cách tính:"))
    for kpi in ("on_time", "progress_766"):
        spec = plan.kpis[kpi]
        assert f"**{spec.label}** = {spec.description}" in line.replace("\\(", "(").replace("\\)", ")"), line
