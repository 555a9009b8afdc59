"""The pure parts of the readers: one cell (period, count, text), a count column against the cell
rule, and the table that names the columns of a Biểu II.06a header."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from data_access.catalog import load_catalog
from data_access.xlsx.canonical import count_column
from data_access.xlsx.cells import numberlike, parse_count, parse_period, parse_text, row_filled, shown
from data_access.xlsx.official_header import _POSITIONS, official_columns
from data_access.xlsx.rules import Context, ReadResult, empty_frame

TODAY = dt.date(2024, 12, 31)


# ---------------------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("06/2024", "2024-06"),
        ("6/2024", "2024-06"),
        (" 06 / 2024 ", "2024-06"),
        ("06-2024", "2024-06"),
        ("06.2024", "2024-06"),
        ("2024-06", "2024-06"),
        ("2024/6", "2024-06"),
        ("2024-06-15", "2024-06"),
        ("15/06/2024", "2024-06"),
        (dt.datetime(2024, 6, 30, 17, 5), "2024-06"),
        (dt.date(2024, 6, 1), "2024-06"),
        (45444.0, "2024-06"),  # Excel serial of 2024-06-01 without its date format
        ("13/2024", None),
        ("2024-13", None),
        ("00/2024", None),
        ("31/02/2024", None),  # a day its month does not have (issue 19: refused, not read as 02/2024)
        ("tháng 6", None),
        ("", None),
        (None, None),
        (2024, None),  # a year alone is not a date
        (6, None),
        (True, None),
        (float("nan"), None),
    ],
)
def test_parse_period(value: object, expected: str | None) -> None:
    assert parse_period(value) == expected


# ---------------------------------------------------------------------------- counts


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (None, (None, None)),
        ("", (None, None)),
        ("   ", (None, None)),
        (0, (0, None)),
        (12, (12, None)),
        (12.0, (12, None)),
        ("12", (12, None)),
        (" 12 ", (12, None)),
        ("12.0", (12, None)),
        ("1 200", (1200, None)),
        (-3, (None, "count_negative")),
        (-3.0, (None, "count_negative")),
        ("-3", (None, "count_negative")),
        (12.5, (None, "count_fraction")),
        ("12,5", (None, "count_fraction")),
        (-2.5, (None, "count_negative")),
        ("abc", (None, "count_text")),
        (True, (None, "count_text")),
        (float("inf"), (None, "count_text")),
        (dt.datetime(2024, 1, 1), (None, "count_text")),
    ],
)
def test_count_cells(cell: object, expected: tuple) -> None:
    assert parse_count(cell) == expected


_CELLS = st.one_of(
    st.none(),
    st.just(""),
    st.booleans(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.sampled_from(["12", " 7 ", "12.0", "1,5", "-3", "abc", "1 200", "  "]),
    st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2030, 1, 1)),
)


@given(st.lists(_CELLS, max_size=30))
def test_count_column_agrees_with_count_cell_by_cell(cells: list[object]) -> None:
    """The vectorised column check gives what ``parse_count`` gives for each cell, errors in row order."""
    result = ReadResult("f.xlsx", empty_frame())
    ctx = Context("f.xlsx", load_catalog(), TODAY, result)
    rows = list(range(2, 2 + len(cells)))
    values = count_column(ctx, "SoLieu", rows, list(cells), "Tiếp nhận trực tiếp", 7)
    expected_errors = []
    for row, cell in zip(rows, cells, strict=True):
        value, err = parse_count(cell)
        got = values[row - 2]
        assert (value is None and got != got) or got == value, (cell, got, value)
        if err:
            expected_errors.append((row, err))
    assert [(i.row, i.code) for i in result.issues] == expected_errors
    assert all(i.column == "Tiếp nhận trực tiếp" and i.col_index == 7 for i in result.issues)


# ---------------------------------------------------------------------------- text and other cells


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        (12.0, "12"),
        (12.5, "12.5"),
        (7, "7"),
        (dt.date(2024, 6, 1), "01/06/2024"),
        ("  Phòng  GDTrH ", "Phòng GDTrH"),
    ],
)
def test_parse_text(value: object, expected: str | None) -> None:
    assert parse_text(value) == expected


def test_numberlike_shown_and_row_filled() -> None:
    assert [numberlike(v) for v in (3, -3.5, " 1 200 ", "12,5", True, "abc", None)] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    assert [shown(v) for v in (12.0, 12.5, "x", None)] == ["12", "12.5", "x", "None"]
    assert not row_filled(["", None, ""]) and row_filled(["", 0])


# ---------------------------------------------------------------------------- Biểu II.06a header words


def _columns(*header_rows: list[object]) -> tuple[dict[str, int], str]:
    return official_columns(list(header_rows), 0, len(header_rows) - 1, None)


def test_header_words_name_every_figure() -> None:
    colmap, kind = _columns(
        ["STT", "Lĩnh vực", "Số hồ sơ nhận giải quyết", "", "", "", "Kết quả giải quyết"],
        [
            "",
            "",
            "Tổng số",
            "Trong kỳ",
            "",
            "Từ kỳ trước",
            "Số hồ sơ đã giải quyết",
            "",
            "",
            "",
            "Số hồ sơ đang giải quyết",
        ],
        [
            "",
            "",
            "",
            "Trực tuyến",
            "Trực tiếp, dịch vụ bưu chính",
            "",
            "Tổng số",
            "Trước hạn",
            "Đúng hạn",
            "Quá hạn",
            "Tổng số",
            "Trong hạn",
            "Quá hạn",
        ],
    )
    assert kind == "field"
    # the words find every column where the official numbering (1)…(13) puts it
    assert colmap == _POSITIONS
    assert (colmap["name"], colmap["carried_over"], colmap["resolved"], colmap["pending_overdue"]) == (
        1,
        5,
        6,
        12,
    )


def test_header_words_exclusions() -> None:
    # "Đơn vị nhận" is not the name column; "Kết quả" with "đang" is not the resolved group
    colmap, kind = _columns(["STT", "Đơn vị nhận", "Kết quả đang", "Kết quả"], ["", "", "Tổng số", "Tổng số"])
    assert (colmap, kind) == ({"resolved": 3, "name": 1}, "field")  # (the name column by default)
    colmap, kind = _columns(["STT", "Đơn vị", "Tiếp nhận"], ["", "", "Qua bưu chính"])
    assert (colmap, kind) == ({"name": 1, "received_direct_postal": 2}, "unit")


def test_header_by_position_when_words_name_too_few() -> None:
    rows: list[list[object]] = [["STT", "Đơn vị", "a", "b"], [f"({i})" for i in range(1, 14)]]
    colmap, kind = official_columns(rows, 0, 0, 1)
    assert kind == "unit" and colmap["name"] == 1 and colmap["pending_overdue"] == 12
    assert _columns(["STT", "x", "y"]) == ({"name": 1}, "field")  # no name column: the second, by field
