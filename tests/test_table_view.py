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
FRAME = pd.DataFrame(
    {
        "unit": ["Phòng A", None, "Phòng <b>C</b>"],
        "shortfall": pd.array([1234, 37, None], dtype="Int64"),
        "value": [0.905, None, 0.5],
        "gap": [-0.023, 0.05, None],
        "other": [1, 2, 3],
    }
)


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


def test_a_long_text_is_shortened_at_a_word_keeping_its_count() -> None:
    from ui.table_view import shorten, text_px

    field = "Giáo dục và Đào tạo thuộc hệ thống giáo dục quốc dân (1.234)"
    short = shorten(field, 228)
    assert short.endswith("… (1.234)") and short.startswith("Giáo dục và Đào tạo")
    assert text_px(short) <= 228 and not short.removesuffix("… (1.234)").endswith(" ")
    assert shorten("Hệ thống văn bằng, chứng chỉ (14)", 228) == "Hệ thống văn bằng, chứng chỉ (14)"  # fits
    assert shorten("Phòng GDTX-GDNN-ĐH", 120).startswith("Phòng GDTX")  # one long word: cut inside it


def test_fit_columns_take_the_room_left_and_name_the_full_texts_in_their_tooltip() -> None:
    from ui.table_view import FRAME_MARGIN, LAPTOP_WIDTH, PHONE_WIDTH, fitted, sized

    frame = pd.DataFrame(
        {"name": ["Ngắn", "Một tên rất dài " * 4 + "(7)"], "status": ["Đạt", "Chưa đạt"], "n": [1.0, 2.0]}
    )
    columns = [
        TableColumn("name", "Tên", width=150, fit=True, help="Tên đơn vị"),
        TableColumn("status", "Đánh giá", width=200),
        TableColumn("n", "Số", "int", 100),
    ]
    laptop = sized(columns, frame=frame)
    assert laptop[1].width < 200  # a text column no wider than its texts
    assert sum(c.width or 0 for c in laptop) == LAPTOP_WIDTH - FRAME_MARGIN  # the fit column takes the rest
    phone = sized(columns, compact=True, frame=frame)
    assert sum(c.width or 0 for c in phone) <= PHONE_WIDTH - FRAME_MARGIN
    shown, cols = fitted(frame, phone)
    assert shown["name"].tolist()[0] == "Ngắn" and shown["name"].tolist()[1].endswith("… (7)")
    assert cols[0].help == "Tên đơn vị. Tên đầy đủ: " + ("Một tên rất dài " * 4).rstrip()


def test_texts_show_both_sides_while_the_value_underneath_sorts() -> None:
    frame = pd.DataFrame({"unit": ["A", "B"], "shortfall": [19.0, 0.0]})
    cols = [TableColumn("unit", "Đơn vị"), TableColumn("shortfall", "Còn thiếu", "int")]
    texts = pd.DataFrame({"shortfall": ["5 → 19", None]})
    html = styled(frame, cols, texts=texts).to_html()
    assert "5 → 19" in html and ">0<" in html
    assert frame_for(frame, cols)["shortfall"].tolist() == [19.0, 0.0]
