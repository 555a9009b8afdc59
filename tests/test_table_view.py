"""ui.table_view: numbers stay numbers (sorted as numbers) but read the Vietnamese way, "–" for empty."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from ui.table_view import TableColumn, frame_for, gap_columns, styled
from ui.tables import GAP_EXPORT_COLUMNS

COLUMNS = [
    TableColumn("unit", "Đơn vị"),
    TableColumn("shortfall", "Còn thiếu (hồ sơ)", "int"),
    TableColumn("value", "Đạt được", "percent"),
    TableColumn("gap", "Chênh lệch", "points", essential=False),
]
FRAME = pd.DataFrame({
    "unit": ["Phòng A", None, "Phòng <b>C</b>"],
    "shortfall": pd.array([1234, 37, None], dtype="Int64"),
    "value": [0.905, None, 0.5],
    "gap": [-0.023, 0.05, None],
    "other": [1, 2, 3],
})


def test_values_stay_numbers_and_sort_as_numbers() -> None:
    frame = frame_for(FRAME, COLUMNS)
    assert list(frame.columns) == ["unit", "shortfall", "value", "gap"]
    assert frame["shortfall"].dtype == "float64"
    assert frame.sort_values("shortfall")["shortfall"].tolist()[:2] == [37.0, 1234.0]  # not "1.234" < "37"
    assert frame["unit"].tolist()[1] is None


def test_cells_read_the_vietnamese_way_and_empty_ones_read_a_dash() -> None:
    html = styled(FRAME, COLUMNS).to_html()
    for text in ("1.234", "90,5 %", "-2,3 điểm %", "+5,0 điểm %", "50,0 %"):
        assert text in html, text
    assert "None" not in html and "nan" not in html.lower().replace("nan-", "")
    assert html.count("–") == 4  # one empty unit, shortfall, value and gap


def test_styles_are_applied_cell_by_cell() -> None:
    css = pd.DataFrame({"unit": ["color: red;", "", ""]}, index=FRAME.index)
    html = styled(FRAME, COLUMNS, styles=css).to_html()
    assert "color: red;" in html


def test_show_table_hides_the_english_toolbar_and_keeps_only_essential_columns_on_a_phone() -> None:
    def page(compact: bool) -> None:
        from tests.test_table_view import COLUMNS, FRAME
        from ui.table_view import show_table

        show_table(FRAME, COLUMNS, key="t", compact=compact)

    wide = AppTest.from_function(page, args=(False,)).run()
    assert not wide.exception
    assert 'stElementToolbar"]{display:none' in wide.html[0].proto.body
    assert list(wide.dataframe[0].proto.column_order) == ["unit", "shortfall", "value", "gap"]
    assert wide.dataframe[0].value["shortfall"].dtype == "float64"
    assert wide.dataframe[0].proto.placeholder == "–"  # an empty number cell reads "–", not "None"
    phone = AppTest.from_function(page, args=(True,)).run()
    assert list(phone.dataframe[0].proto.column_order) == ["unit", "shortfall", "value"]


def test_gap_columns_put_the_name_and_verdict_first_and_fit_1400_px() -> None:
    for level in ("unit", "field"):
        cols = gap_columns(GAP_EXPORT_COLUMNS[level], level)
        assert cols[0].key == "unit" and cols[1 if level == "unit" else 2].key == "status_label"
        if level == "unit":
            assert sum(c.width or 0 for c in cols) <= 940  # the main column at 1400 px with the sidebar
    procedure = [c.key for c in gap_columns(GAP_EXPORT_COLUMNS["procedure"], "procedure")]
    assert "field" not in procedure and procedure[:2] == ["procedure_code", "procedure_name"]
