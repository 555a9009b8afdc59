"""The Xu hướng outlook line of one KPI (``ui.trends_view.outlook``), in December and before."""

from __future__ import annotations

import pandas as pd

from ui.texts import directors as T
from ui.trends_view import outlook


def _row(shortfall: float) -> pd.Series:
    return pd.Series(
        {
            "target": 0.8,
            "ytd_value": 0.7,
            "projected_value": 0.75,
            "projected_status": "below",
            "projected_shortfall": shortfall,
        }
    )


def test_outlook_before_december_names_projection_and_need() -> None:
    text = outlook(_row(12), year=2024, december=False)
    assert text.startswith(T.OUTLOOK_SO_FAR.split("{")[0])
    assert T.OUTLOOK_NEED.format(n="12") in text


def test_outlook_in_december_is_the_year_result_without_need_when_met() -> None:
    text = outlook(_row(float("nan")), year=2024, december=True)
    assert text.startswith(T.OUTLOOK_YEAR.format(year=2024, ytd="", judged="").split(":")[0])
    assert T.OUTLOOK_NEED.split("{")[0] not in text
    assert T.OUTLOOK_YEAR_SHORT.split("{")[0] not in text
