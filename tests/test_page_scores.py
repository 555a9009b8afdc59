"""Điểm đánh giá (issue 17): the points the page shows equal :mod:`kpi.scoring`'s and the hand-worked
figures of the sample (2024-12, year to date for the PAR index); the helpers of :mod:`ui.scoring_view`;
the official 766 scores beside the estimate; the what-if page's points for the chosen targets."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data_access.official_scores import save_scores
from data_access.procedure_figures import catalog_lookup
from data_access.store import load_figures, open_engine
from kpi.scoring import framework_totals, load_scoring, score_records, score_table
from kpi.targets import load_targets
from tests.helpers import ROOT, run_app
from ui import scoring_view as sv
from ui.table_view import FRAME_MARGIN, PHONE_WIDTH, sized
from ui.whatif_points import points_sums, points_table
from vnfmt import fmt_int

PERIOD = "2024-12"


def shown(element: object) -> pd.DataFrame:
    """A table's cells as the browser shows them (the Styler's text)."""
    from streamlit import dataframe_util

    return dataframe_util.convert_arrow_bytes_to_pandas_df(element.proto.arrow_data.styler.display_values)  # type: ignore[attr-defined]


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.fixture
def at(sample_db_url: str, app_env: pytest.MonkeyPatch) -> AppTest:
    app_env.delenv("SCORING_FILE", raising=False)
    return run_app(sample_db_url, app_env, "pages/scores.py")


@pytest.fixture
def par(sample_db_url: str) -> pd.DataFrame:
    """kpi.scoring's PAR table of the sample, year to date through December 2024, by criterion (the
    procedure criteria against the sample's procedure catalog)."""
    engine = open_engine(sample_db_url)
    figures = load_figures(engine)
    plan = load_targets(ROOT / "targets.toml")
    return score_table(
        figures,
        plan,
        load_scoring(),
        period=PERIOD,
        ytd=True,
        framework="par",
        catalog=catalog_lookup(engine),
    ).set_index("criterion")


# ---------------------------------------------------------------------------- the computation, by hand


def test_par_points_of_the_sample_by_hand(par: pd.DataFrame) -> None:
    on_time = par.loc["par.3.4.2"]
    assert (on_time["numerator"], on_time["denominator"]) == (18_250, 18_767)
    # 18 250 / 18 767 = 0,97245… ≥ 95 %: ratio × 1,5 = 27 375 / 18 767 = 1,4587 → "1,46"
    assert on_time["value"] == pytest.approx(18_250 / 18_767)
    assert on_time["points"] == pytest.approx(float(Fraction(3, 2) * Fraction(18_250, 18_767)))
    assert on_time["to_next"] == 18_767 - 18_250  # full points at 100 %: 517 dossiers
    assert sv.fmt_score(on_time["points"]) == "1,46"
    online = par.loc["par.7.4.2"]
    assert (online["numerator"], online["denominator"]) == (15_740, 18_992)
    # 15 740 / 18 992 = 0,8288 ≥ 80 %: the full 2,5, no next step
    assert online["points"] == 2.5 and pd.isna(online["to_next"])
    # the procedure criteria: 36 of the 41 online procedures had an online dossier in the year (87,8 %
    # ≥ 60 %: 0,1); 36 of the 36 procedures with dossiers had one by post (100 % ≥ 75 %: 0,1)
    procedures = par.loc["par.7.4.1"]
    assert (procedures["numerator"], procedures["denominator"], procedures["points"]) == (36, 41, 0.1)
    postal = par.loc["par.7.5.1"]
    assert (postal["numerator"], postal["denominator"], postal["points"]) == (36, 36, 0.1)
    # the total: 3.4.2 (1,4587) + 3.5 (18 016 / 18 767 = 0,9600 × 1) + 7.4.1 (0,1) + 7.4.2 (2,5) + 7.5.1
    # (0,1) + 7.5.2 (9,4 % < 15 %: 0) + 7.5.3 (12,4 % < 15 %: 0) = 5,1187 of 1,5 + 1 + 0,1 + 2,5 + 0,1 + 0,2
    # + 0,5 = 5,9
    digitized = Fraction(18_016, 18_767)
    total = (
        Fraction(3, 2) * Fraction(18_250, 18_767)
        + digitized
        + Fraction(1, 10)
        + Fraction(5, 2)
        + Fraction(1, 10)
    )
    totals = framework_totals(par.reset_index(), load_scoring()).set_index("framework").loc["par"]
    assert totals["points"] == pytest.approx(float(total))
    assert totals["max"] == pytest.approx(5.9)
    assert totals["missing"] == 0 and totals["missing_max"] == pytest.approx(0)
    assert (sv.fmt_score(totals["points"]), sv.fmt_score(totals["max"])) == ("5,12", "5,9")
    # the JSON records of `kpi score` carry the same numbers
    rec = {r["criterion"]: r for r in score_records(par.reset_index())}
    assert rec["par.3.4.2"]["points"] == pytest.approx(on_time["points"])


# ---------------------------------------------------------------------------- the page


def test_page_shows_the_points_of_kpi_scoring(at: AppTest, par: pd.DataFrame) -> None:
    _ok(at)
    rows = shown(at.dataframe[0])  # the PAR index first, its criteria in the file's order
    rows.index = pd.Index(par.index)
    assert str(rows.loc["par.3.4.2", "label"]) == str(par.loc["par.3.4.2", "label"])
    on_time = rows.loc["par.3.4.2"]
    assert on_time["value"] == "97,2 %"
    assert on_time["points"] == "1,46 / 1,5"
    # 1,5 − 1,4587 = 0,0413 → "+0,04"
    assert on_time["next"] == "thêm 517 hồ sơ giải quyết đúng hạn → +0,04 điểm"
    online = rows.loc["par.7.4.2"]
    assert (online["value"], online["points"], online["next"]) == ("82,9 %", "2,5 / 2,5", "đã đủ điểm")
    bcci = rows.loc["par.7.5.2"]  # 1 786 / 18 992 = 9,4 %: 15 % needs ⌈2 848,8 − 1 786⌉
    assert (bcci["points"], bcci["next"]) == ("0 / 0,2", "thêm 1.063 hồ sơ tiếp nhận qua BCCI → +0,1 điểm")
    procedures = rows.loc["par.7.4.1"]  # 36 / 41 = 87,8 % of the online procedures: the full 0,1
    assert (procedures["value"], procedures["points"], procedures["next"]) == (
        "87,8 %",
        "0,1 / 0,1",
        "đã đủ điểm",
    )
    texts = [m.value for m in at.markdown]
    assert any(t.startswith("**Toàn Sở: 5,12 / 5,9 điểm**") for t in texts), texts
    # the 766 parts the figures cannot give, with their points (18 + 12 + 2 + 18 + 12 = 62)
    assert any(t.startswith("Không tính được từ số liệu của Sở") and "tổng 62 điểm" in t for t in texts)
    est = shown(at.dataframe[1])["label"].tolist()
    assert est[0] == "Tiến độ giải quyết"  # exact
    assert est[1] == "Thanh toán trực tuyến (hồ sơ) · ước tính"


def test_best_step_sentence_on_top(at: AppTest, sample_db_url: str) -> None:
    figures = load_figures(open_engine(sample_db_url))
    plan = load_targets(ROOT / "targets.toml")
    scoring = load_scoring()
    head = score_table(figures, plan, scoring, period=PERIOD, ytd=True, framework="par")
    by_unit = score_table(figures, plan, scoring, period=PERIOD, ytd=True, by=("unit",), framework="par")
    best = sv.best_step(head)
    assert best is not None
    # the department's own points: results returned by post 12,4 % of the year, band 15 % → 0,1 of 0,2;
    # every other step brings fewer points a dossier (on time: 517 dossiers for +0,04)
    assert best["criterion"] == "par.7.5.1" or best["label"] == "Kết quả trả qua BCCI"
    num, den = int(best["numerator"]), int(best["denominator"])
    assert best["to_next"] == math.ceil(Fraction(15, 100) * den - num)
    # the unit furthest below 15 %: its own ⌈0,15 × den − num⌉, the largest of all units
    lacks = {
        str(r.unit): math.ceil(Fraction(15, 100) * int(r.denominator) - int(r.numerator))
        for r in by_unit[by_unit["criterion"] == best["criterion"]].itertuples()
    }
    unit, lack = sv.where_most(by_unit, best)  # type: ignore[misc]
    assert lack == max(lacks.values()) > 0 and lacks[unit] == lack
    top = [m.value for m in at.markdown if m.value.startswith(":material/military_tech:")]
    assert top[0].startswith(
        f":material/military_tech: Có thể thêm **{sv.fmt_score(best['gain'])} điểm CCHC** nếu thêm "
        f"**{fmt_int(best['to_next'])} {best['noun']}**"
    ), top
    assert "Thiếu nhiều nhất ở **" in top[0] and f": {fmt_int(lack)} " in top[0]
    assert "766" in top[1]


def test_heat_map_of_points_lost_by_unit(at: AppTest, sample_db_url: str) -> None:
    figures = load_figures(open_engine(sample_db_url))
    plan = load_targets(ROOT / "targets.toml")
    by_unit = score_table(
        figures, plan, load_scoring(), period=PERIOD, ytd=True, by=("unit",), framework="par"
    )
    fig = sv.lost_heatmap(by_unit, row_labels={"Phòng Kế hoạch – Tài chính": "Phòng KH-TC"})
    heat = fig.data[0]
    assert len(heat.x) == 5  # 7.4.1 and 7.5.1 have no points in any unit: left out
    row = list(heat.y).index("Phòng KH-TC")
    col = 0  # par.3.4.2: 93,4 % < 95 %, all 1,5 lost
    assert heat.z[row][col] == pytest.approx(1.5) and heat.text[row][col] == "1,5"
    assert len(at.get("plotly_chart")) == 2  # one per framework
    # on a phone the columns are numbered and the key under the map names them in the same order
    phone = sv.lost_heatmap(by_unit, compact=True).data[0]
    assert list(phone.x) == ["(1)", "(2)", "(3)", "(4)", "(5)"]
    key = sv.heatmap_key(by_unit)
    assert key.startswith("(1) Kết quả giải quyết hồ sơ TTHC (đúng hạn); (2) ") and key.count("; ") == 4


def test_official_scores_beside_the_estimate(sample_db_url: str, app_env: pytest.MonkeyPatch) -> None:
    engine = open_engine(sample_db_url)
    frame = pd.DataFrame(
        {
            "period": [PERIOD, PERIOD, PERIOD],
            "group_code": ["i766.progress", "i766.publicity", "i766.total"],
            "group_name": ["Tiến độ giải quyết", "Công khai, minh bạch", "Tổng điểm"],
            "points": [19.0, 17.5, 80.25],
            "rank": pd.array([None, None, 7], dtype="Int64"),
        }
    )
    save_scores(engine, frame, file_name="diem.xlsx", sha256="0" * 64)
    at = run_app(sample_db_url, app_env, "pages/scores.py")
    _ok(at)
    rows = shown(at.dataframe[2]).set_index("group")
    # December 2024 alone: progress 1 247 / 1 273 × 20 = 19,5915 → "19,59"; published 19 → −0,59
    assert rows.loc["Tiến độ giải quyết", "estimate"] == "19,59 / 20"
    assert rows.loc["Tiến độ giải quyết", "official"] == "19 / 20"
    assert rows.loc["Tiến độ giải quyết", "difference"] == "-0,59"
    # a group the figures cannot give: the published score alone, no difference
    assert rows.loc["Công khai, minh bạch", "estimate"] == "không tính được"
    assert rows.loc["Công khai, minh bạch", "official"] == "17,5 / 18"
    assert rows.loc["Công khai, minh bạch", "difference"] == "–"
    assert rows.loc["Tổng điểm", "rank"] == "7"
    # the estimate above stays the estimate: the published scores are not mixed into it
    est = shown(at.dataframe[1])
    assert est["label"][0] == "Tiến độ giải quyết" and est["points"][0] == "19,59 / 20"


def test_official_frame_by_hand() -> None:
    table = pd.DataFrame(
        {
            "criterion": ["i766.progress", "i766.payment_dossiers", "i766.payment_procedures"],
            "points": [18.0, 3.0, None],
            "max": [20.0, 6.0, 2.0],
        }
    )
    official = pd.DataFrame(
        {
            "group_code": ["i766.payment"],
            "group_name": ["Thanh toán trực tuyến"],
            "points": [7.5],
            "rank": pd.array([None], dtype="Int64"),
        }
    )
    out = sv.official_frame(table, official).set_index("group_code")
    pay = out.loc["i766.payment"]
    # only component A has points: 3 of its 6; the group's 10 are published as 7,5 → +4,5
    assert (pay["estimate"], pay["estimate_max"], pay["official"], pay["max"]) == (3.0, 6.0, 7.5, 10.0)
    assert pay["difference"] == pytest.approx(4.5)
    progress = out.loc["i766.progress"]
    assert pd.isna(progress["official"]) and pd.isna(progress["difference"])
    assert out.loc["i766.total", "estimate"] == 21.0  # 18 + 3: the criteria with points
    assert pd.isna(out["estimate"]["i766.publicity"])
    texts = sv.official_texts(out.reset_index())
    assert texts["estimate"].tolist()[3] == "3 / 6" and texts["difference"].tolist()[3] == "+4,5"


# ---------------------------------------------------------------------------- the helpers


def test_fmt_score_and_step_text() -> None:
    assert [sv.fmt_score(x) for x in (1.4587, 1.5, 2.0, 0.0, 0.05, 1234.567, None)] == [
        "1,46",
        "1,5",
        "2",
        "0",
        "0,05",
        "1.234,57",
        "–",
    ]
    row = {"reason": None, "to_next": 38, "next_points": 2.5, "points": 1.3, "noun": "hồ sơ"}
    assert sv.step_text(row) == "thêm 38 hồ sơ → +1,2 điểm"
    assert sv.step_text({**row, "to_next": pd.NA, "next_points": math.nan}) == "đã đủ điểm"
    assert sv.step_text({**row, "reason": "no_dossiers"}) == "không phát sinh hồ sơ"


def test_phone_keeps_criterion_points_and_next_step() -> None:
    phone = [c for c in sv.CRITERION_COLUMNS if c.essential]
    assert [c.key for c in phone] == ["label", "points", "next"]
    widths = sized(phone, compact=True)
    assert sum(c.width or 0 for c in widths) <= PHONE_WIDTH - FRAME_MARGIN


def test_framework_period() -> None:
    scoring = load_scoring()
    from kpi.periods import as_period

    q = as_period("2024-Q2")
    assert (
        sv.framework_period(scoring.frameworks["par"], q).describe()
        == as_period("2024-06", ytd=True).describe()
    )
    assert sv.framework_period(scoring.frameworks["i766"], q) == q


# ---------------------------------------------------------------------------- the what-if page


def test_target_points_by_hand(sample_db_url: str) -> None:
    """On time at a 99 % target, year to date: ⌈0,99 × 18 767 − 18 250⌉ = ⌈329,33⌉ = 330 dossiers,
    which bring 1,5 × 18 580 / 18 767 = 1,4851 points, 0,0264 more than now (1,4587)."""
    from kpi.periods import as_period
    from kpi.targets import with_overrides

    figures = load_figures(open_engine(sample_db_url))
    plan = load_targets(ROOT / "targets.toml")
    sums = points_sums(figures, plan, as_period(PERIOD))
    base = points_table(plan, sums).set_index("criterion").loc["par.3.4.2"]
    scen = points_table(with_overrides(plan, {"on_time": 0.99}), sums).set_index("criterion").loc["par.3.4.2"]
    assert scen["shortfall"] == 330
    assert scen["points_at"] == pytest.approx(1.5 * 18_580 / 18_767)
    assert scen["points"] == base["points"] == pytest.approx(1.5 * 18_250 / 18_767)  # targets: no points
    assert scen["gain"] == pytest.approx(1.5 * 330 / 18_767)


def test_whatif_page_points_section(sample_db_url: str, app_env: pytest.MonkeyPatch) -> None:
    app_env.delenv("SCORING_FILE", raising=False)
    at = run_app(sample_db_url, app_env, "pages/whatif.py")
    _ok(at)
    label = "Kết quả giải quyết hồ sơ TTHC (đúng hạn)"
    before = shown(at.dataframe[-1]).set_index("label").loc[label]
    at.text_input(key="target_on_time").set_value("99").run()
    _ok(at)
    after = shown(at.dataframe[-1]).set_index("label").loc[label]
    assert after["target"] == "99,0 %"
    assert after["shortfall"] == "330"
    assert after["points_at"] == "1,49 / 1,5"  # 1,4851
    assert after["gain"] == "+0,03"  # 1,4851 − 1,4587 = 0,0264
    assert after["points"] == before["points"] == "1,46"  # the target changed, the figures did not


def test_a_malformed_scoring_file_is_named_on_both_pages(
    sample_db_url: str, app_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bad = tmp_path / "diem.toml"
    bad.write_text('[framework.par]\nname = "x"\nperiod = "tuần"\n', encoding="utf-8")
    app_env.setenv("SCORING_FILE", str(bad))  # data_access.settings: SCORING_FILE
    at = run_app(sample_db_url, app_env, "pages/scores.py")
    assert not at.exception
    assert len(at.error) == 1 and "diem.toml" in at.error[0].value and "period" in at.error[0].value
    assert not at.dataframe
    at = run_app(sample_db_url, app_env, "pages/whatif.py")
    _ok(at)  # the what-if page still works; its points section says why it has no points
    assert any("diem.toml" in w.value for w in at.warning)
