"""The one formatting module: Vietnamese numbers, points, months and times, and the CLI printing the same."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

import vnfmt
from kpi.__main__ import render_table
from ui import fmt as ui_fmt


@pytest.mark.parametrize(
    ("value", "text"),
    [(1234, "1.234"), (1234567, "1.234.567"), (0, "0"), (-1234, "-1.234"), (None, "–"), (pd.NA, "–")],
)
def test_integers_group_thousands_with_a_dot(value: object, text: str) -> None:
    assert vnfmt.fmt_int(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.905, "90,5 %"),
        (1, "100,0 %"),
        (0, "0,0 %"),
        (float("nan"), "–"),
        # 0.12345 → 12,345 % → 12,3 %; 0.8055 → 80,55 % → 80,6 %; 12.3456 → 1.234,56 % → 1.234,6 %
        (0.12345, "12,3 %"),
        (0.8055, "80,6 %"),
        (12.3456, "1.234,6 %"),
    ],
)
def test_percentages_use_a_decimal_comma_and_a_space(value: object, text: str) -> None:
    assert vnfmt.fmt_pct(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (-0.094, "-9,4 điểm %"),
        (0.05, "+5,0 điểm %"),
        (0.0, "0,0 điểm %"),
        (-0.0004, "0,0 điểm %"),  # -0.04 points rounds to 0,0: no sign, no "-0,0"
        (None, "–"),
    ],
)
def test_points_carry_a_sign_except_zero(value: object, text: str) -> None:
    assert vnfmt.fmt_points(value) == text


def test_numbers_months_dates_and_times() -> None:
    assert vnfmt.fmt_number(1234.55) == "1.234,6"  # half up, not half even
    assert vnfmt.fmt_number(2.5, 0) == "3"
    assert (
        vnfmt.fmt_signed_int(12) == "+12"
        and vnfmt.fmt_signed_int(-3) == "-3"
        and vnfmt.fmt_signed_int(0) == "0"
    )
    assert vnfmt.fmt_month("2024-06") == "Tháng 6/2024"
    assert vnfmt.fmt_month("2024-06", short=True) == "T6/2024"
    assert vnfmt.fmt_month_in("2024-12") == "tháng 12/2024"
    assert vnfmt.fmt_date(dt.date(2024, 6, 3)) == "03/06/2024"
    # 07:05 UTC is 14:05 in Vietnam (UTC+7); a naive stored time is UTC
    assert vnfmt.fmt_datetime(dt.datetime(2026, 12, 2, 7, 5, tzinfo=dt.UTC)) == "14:05 02/12/2026"
    assert vnfmt.fmt_datetime(dt.datetime(2026, 12, 1, 20, 30)) == "03:30 02/12/2026"


def test_no_module_writes_its_own_number_or_date_format() -> None:
    """Thousands and decimal marks, dates and times come from vnfmt only: no ``.replace(",", ".")`` chains,
    no ``strftime("%d/%m/%Y")`` and no ``fmt_*`` functions defined anywhere else in the app's code."""
    root = Path(__file__).resolve().parent.parent
    hand_made = re.compile(r'replace\("[.,]", "[.,]"\)|strftime\("%d/%m|strftime\("%H:%M|^def fmt_', re.M)
    found = []
    for pkg in ("data_access", "kpi", "ui", "pages"):
        for path in (root / pkg).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            # the readers may turn a typed decimal comma into a dot before parsing a number
            text = (
                re.sub(r'replace\(",", "\."\)', "", text)
                if "xlsx" in path.parts or "whatif_state" in path.name
                else text
            )
            found += [f"{path.relative_to(root)}: {m.group(0)}" for m in hand_made.finditer(text)]
    assert not found, found
    assert not hasattr(ui_fmt, "fmt_pct")  # ui.fmt keeps the status colours only; the formats are vnfmt's


def test_the_command_line_prints_the_pages_strings() -> None:
    rec = {
        "label": "Hồ sơ trực tuyến toàn trình",
        "numerator": 1234,
        "denominator": 1500,
        "value": 1234 / 1500,
        "target": 0.9,
        "gap": 1234 / 1500 - 0.9,
        "shortfall": 116,
        "status": "below",
        "rows_missing": 0,
    }
    text = render_table([rec], (), "T")
    # 1234 / 1500 = 82,27 % → "82,3 %"; gap 82,27 − 90 = −7,73 → "-7,7"; ⌈0,9 × 1500 − 1234⌉ = 116
    for cell in (
        vnfmt.fmt_int(1234),
        vnfmt.fmt_int(1500),
        vnfmt.fmt_pct(1234 / 1500),
        "90,0 %",
        "-7,7",
        "116",
    ):
        assert cell in text
    assert "−" not in text  # the minus sign is the locale's hyphen-minus, as on the pages
