"""Vietnamese formatting and the plotly figure builders (checked on the returned figures)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
from streamlit.testing.v1 import AppTest

from data_access.export import ExportColumn, table_to_csv, table_to_xlsx
from ui.figures import gap_bars, gap_heatmap, shortfall_compare, trend_lines
from ui.fmt import STATUS_COLORS
from vnfmt import fmt_date, fmt_datetime, fmt_int, fmt_month, fmt_pct, fmt_points


def test_numbers_in_vietnamese() -> None:
    assert fmt_pct(0.905) == "90,5 %"
    assert fmt_pct(1) == "100,0 %"
    assert fmt_pct(float("nan")) == "–"
    assert fmt_pct(None) == "–"
    assert fmt_int(1234) == "1.234"
    assert fmt_int(1234567) == "1.234.567"
    assert fmt_int(pd.NA) == "–"
    assert fmt_points(-0.023) == "-2,3 điểm %"
    assert fmt_points(0.05) == "+5,0 điểm %"
    assert fmt_points(0.0) == "0,0 điểm %"
    assert fmt_month("2024-06") == "Tháng 6/2024"
    assert fmt_month("2024-06", short=True) == "T6/2024"
    assert fmt_date(dt.date(2024, 6, 30)) == "30/06/2024"
    # 07:05 UTC is 14:05 in Vietnam (UTC+7)
    assert fmt_datetime(dt.datetime(2026, 11, 22, 7, 5, tzinfo=dt.UTC)) == "14:05 22/11/2026"


def _table() -> pd.DataFrame:
    # unit A: 81/100 at 90 % → gap -9 points, shortfall ⌈90 − 81⌉ = 9; unit B: 95/100 → met
    return pd.DataFrame(
        {
            "unit": ["A", "B", "A", "B"],
            "kpi": ["online_full", "online_full", "on_time", "on_time"],
            "numerator": [81, 95, 50, 40],
            "denominator": [100, 100, 50, 50],
            "value": [0.81, 0.95, 1.0, 0.8],
            "target": [0.9, 0.9, 0.95, 0.95],
            "gap": [0.81 - 0.9, 0.95 - 0.9, 1.0 - 0.95, 0.8 - 0.95],
            "shortfall": pd.array([9, 0, 0, 8], dtype="Int64"),
            "status": ["below", "met", "met", "below"],
        }
    )


def test_heatmap_cells_are_gaps_in_points_with_values_as_text() -> None:
    fig = gap_heatmap(_table(), row="unit", labels={"online_full": "Toàn trình", "on_time": "Đúng hạn"})
    trace = fig.data[0]
    assert list(trace.y) == ["A", "B"]
    assert list(trace.x) == ["Toàn trình", "Đúng hạn"]
    assert [round(v, 1) for v in trace.z[0]] == [-9.0, 5.0]
    assert trace.text[0][0] == "81,0 %"
    assert "Còn thiếu: 9 hồ sơ" in trace.hovertext[0][0]


def test_bars_sorted_by_gap_with_target_line() -> None:
    one = _table()[lambda t: t["kpi"] == "online_full"]
    fig = gap_bars(one, group="unit", kpi_label="Toàn trình")
    bars, targets = fig.data[0], fig.data[1]
    assert list(bars.y) == ["A", "B"]  # worst gap first (drawn on top: the y axis is reversed)
    assert [round(x, 1) for x in bars.x] == [81.0, 95.0]
    assert list(targets.x) == [90.0, 90.0]
    assert not fig.layout.shapes  # one target mark per bar, not a second line across the chart
    labels = fig.data[2]
    assert labels.mode == "text" and list(labels.text) == ["81,0 %", "95,0 %"]
    # each value label starts right of its bar and of its target mark: the mark never crosses it
    assert [round(x, 1) for x in labels.x] == [92.0, 97.0]
    assert labels.cliponaxis is False and labels.textposition == "middle right"
    assert fig.layout.xaxis.range[1] >= 120  # room for "100,0 %" right of a full bar
    assert fig.layout.yaxis.automargin


def test_heatmap_uses_short_labels_wrapped_full_ones_in_the_hover_and_a_phone_layout() -> None:
    short = {"online_full": "Trực tuyến toàn trình", "on_time": "Đúng hạn"}
    full = {"online_full": "Hồ sơ trực tuyến toàn trình", "on_time": "Giải quyết đúng hạn"}
    fig = gap_heatmap(_table(), row="unit", labels=short, hover_labels=full)
    assert list(fig.data[0].x) == ["Trực tuyến<br>toàn trình", "Đúng hạn"]
    assert "Hồ sơ trực tuyến toàn trình" in fig.data[0].hovertext[0][0]
    assert fig.layout.xaxis.automargin and fig.layout.margin.t >= 52  # two lines of headers fit
    phone = gap_heatmap(_table(), row="unit", labels=short, hover_labels=full, compact=True)
    assert phone.layout.xaxis.tickangle == -90 and phone.data[0].showscale is False
    assert phone.data[0].text[0][0] == "81"  # whole percents: a value fits a column 30 px wide


def test_trend_has_value_ytd_target_and_projection() -> None:
    series = pd.DataFrame(
        {"period": ["2024-01", "2024-02"], "value": [0.5, 0.7], "target": [0.8, 0.9], "ytd_value": [0.5, 0.6]}
    )
    fig = trend_lines(series, label="Toàn trình", projection=0.75)
    names = [t.name for t in fig.data]
    assert names == ["Trong tháng", "Lũy kế từ đầu năm", "Chỉ tiêu (lộ trình)", "Dự báo cuối năm"]
    assert list(fig.data[2].y) == [80.0, 90.0]
    assert list(fig.data[3].x) == [pd.Timestamp("2024-02-01"), pd.Timestamp("2024-12-01")]
    assert fig.data[3].y[-1] == 75.0


def test_shortfall_compare() -> None:
    base = pd.DataFrame({"unit": ["A", "B"], "shortfall": pd.array([9, 0], dtype="Int64")})
    scen = pd.DataFrame({"unit": ["A", "B"], "shortfall": pd.array([19, 5], dtype="Int64")})
    fig = shortfall_compare(base, scen, group="unit", label="Toàn trình")
    assert list(fig.data[0].y) == [9, 0]
    assert list(fig.data[1].y) == [19, 5]


def test_excel_export_keeps_formulas_as_text_and_percent_as_percent() -> None:
    frame = pd.DataFrame(
        {
            "unit": ['=HYPERLINK("x")', "+1", "-2", "@A1", "Phòng A"],
            "value": [0.5] * 5,
            "n": [1234, None, 1, 2, 3],
        }
    )
    cols = [
        ExportColumn("unit", "Đơn vị"),
        ExportColumn("value", "Giá trị", "percent"),
        ExportColumn("n", "Số", "int"),
    ]
    ws = openpyxl.load_workbook(io.BytesIO(table_to_xlsx(frame, cols))).active
    units = [ws.cell(row=r, column=1) for r in range(2, 7)]
    assert [c.value for c in units] == ['=HYPERLINK("x")', "+1", "-2", "@A1", "Phòng A"]
    assert all(c.data_type == "s" for c in units)  # text, never a formula
    assert ws.cell(row=2, column=2).number_format == "0.0%"
    assert ws.cell(row=2, column=2).value == 0.5
    assert ws.cell(row=3, column=3).value is None  # unknown stays empty, not 0
    csv_text = table_to_csv(frame, cols).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'+1" in csv_text and "'@A1" in csv_text


def _card(change: float, status: str, **extra: object) -> str:
    """One KPI card's HTML, with ``change`` from last month and ``status``."""
    from ui.widgets import kpi_card_html

    row = {
        "kpi": "online_full",
        "label": "Hồ sơ trực tuyến toàn trình",
        "short_label": "Toàn trình",
        "value": 0.8,
        "change": change,
        "status": status,
        "target": 0.9,
        "gap": -0.1,
        "shortfall": 10,
        "numerator": 80,
        "denominator": 100,
        "rows_missing": 0,
        "description": "Mô tả",
        "source": "KH",
        **extra,
    }
    return kpi_card_html(row, [70.0, 75.0, 80.0], period="2024-06")


def test_card_without_change_is_neutral_and_its_sparkline_takes_the_status_colour() -> None:
    import urllib.parse

    flat = _card(0.0004, "below")  # +0,04 points: "0,0 điểm %" at the precision shown
    assert '<div class="kpi-change kpi-flat">0,0 điểm % so với Tháng 5/2024</div>' in flat  # gray, no arrow
    spark = urllib.parse.unquote(flat.split('src="', 1)[1].split('"', 1)[0])
    assert f'stroke="{STATUS_COLORS["below"]}"' in spark  # red: the KPI is below target, though it rose
    assert 'alt="Diễn biến theo tháng: 70,0 %, 75,0 %, 80,0 %"' in flat and "<title>" in spark
    up = _card(0.02, "met")
    assert '<div class="kpi-change kpi-up">↑ +2,0 điểm % so với Tháng 5/2024</div>' in up
    down = _card(-0.02, "met")
    assert '<div class="kpi-change kpi-down">↓ -2,0 điểm % so với Tháng 5/2024</div>' in down
    assert f'stroke="{STATUS_COLORS["met"]}"' in urllib.parse.unquote(down)  # green: met, though it fell
    assert "kpi-change" not in _card(float("nan"), "met")  # no previous month: no line


def test_card_shows_the_short_label_whole_the_full_one_on_hover_and_escapes_data() -> None:
    card = _card(0.01, "below")
    assert (
        '<div class="kpi-label" title="Hồ sơ trực tuyến toàn trình\nMô tả\nNguồn chỉ tiêu: KH">Toàn trình</div>'
        in card
    )
    assert 'aria-label="Hồ sơ trực tuyến toàn trình"' in card and "Chưa đạt" in card
    assert (
        "Chỉ tiêu 90,0 % · Chênh lệch -10,0 điểm %" in card and "Còn thiếu <b>10</b> hồ sơ (80/100)" in card
    )
    evil = _card(0.01, "met", label='<script>alert("x")</script>', short_label="<b>A&B</b>")
    assert "<script>" not in evil and "&lt;b&gt;A&amp;B&lt;/b&gt;" in evil
    from ui.widgets import change_html

    assert "so với lũy kế đến tháng 5/2024" in change_html(0.01, "2024-06", ytd=True)
    no_dossiers = _card(float("nan"), "no_data", denominator=0)
    assert "không phát sinh hồ sơ" in no_dossiers and '<div class="kpi-value">–</div>' in no_dossiers


def test_cards_are_one_html_grid_in_plan_order() -> None:
    def page() -> None:
        from ui.widgets import kpi_cards

        base = {
            "value": 0.8,
            "change": 0.01,
            "status": "met",
            "target": 0.7,
            "gap": 0.1,
            "shortfall": 0,
            "numerator": 8,
            "denominator": 10,
            "rows_missing": 0,
        }
        kpi_cards([{**base, "kpi": f"k{i}", "label": f"KPI {i}"} for i in range(8)], {}, period="2024-01")

    at = AppTest.from_function(page).run()
    assert not at.exception and len(at.html) == 1 and not at.markdown and not at.metric
    body = at.html[0].proto.body
    assert [f"k{i}" for i in range(8)] == [part.split('"', 1)[0] for part in body.split('data-kpi="')[1:]]
    assert "grid-template-columns:repeat(4" in body and "@media (max-width:640px)" in body
    assert "so với Tháng 12/2023" in body  # January's previous month
