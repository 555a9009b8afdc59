"""Fuzzing the reader: whatever workbook comes in, ``read_workbook`` returns a ``ReadResult`` whose
problems are its own ``Issue``s — it never raises.

Workbooks are generated with openpyxl (random sheet names, headers, cell types, shapes; sometimes
the canonical or the official layout with random cells), and as byte-level corruptions of a good
workbook. ``FUZZ_EXAMPLES`` sets the number of examples per test (CI: 500).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import unicodedata
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from data_access.catalog import load_catalog
from data_access.columns import COUNT_COLUMNS, HEADERS, TEMPLATE_COLUMNS
from data_access.messages import MESSAGES, Issue
from data_access.readers import FRAME_COLUMNS, ReadResult, read_workbook
from data_access.xlsx import extent, guard
from tests.workbooks import GOOD_COUNTS, HEADER, official, official_row, to_bytes

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
CATALOG = load_catalog()
TODAY = dt.date(2025, 1, 31)
UNITS = list(CATALOG.units.names)
FIELDS = list(CATALOG.fields.names)


def _nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


# ---------------------------------------------------------------------------- cells

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=24).map(
    lambda s: ILLEGAL_CHARACTERS_RE.sub("", s)
)
_tricky_text = st.sampled_from(
    [
        "=1+1",
        "=A1*2",
        "=(",
        "+1",
        "-5",
        "@SUM(A1)",
        '=HYPERLINK("http://x")',
        "06/2024",
        "2024-06",
        "6/2024",
        "01/06/2024",
        "2024-06-15T00:00:00",
        "13/2024",
        "00/2024",
        "12/1899",
        " 12 ",
        "1,0",
        "1.5",
        "-0",
        "+7",
        "1e3",
        "nan",
        "inf",
        "-inf",
        "NaN",
        "12 345",
        "1\u00a0234",
        "٣",
        "Ⅻ",
        "",
        " ",
        "\t",
        "Tổng cộng",
        "Cộng",
        "STT",
        "(1)",
        "Kỳ báo cáo: Tháng 6 năm 2024",
        "Từ ngày 01/06/2024 đến ngày 31/07/2024",
        "Từ ngày 31/02/2024 đến ngày 31/03/2024",
        "x" * 300,
    ]
)
_names = st.sampled_from(UNITS + FIELDS + [_nfd(n) for n in UNITS + FIELDS] + [n.upper() for n in UNITS])
_ints = st.integers(min_value=-1000, max_value=1000)
_huge = st.integers(min_value=-(2**80), max_value=2**80)
_floats = st.floats(allow_nan=True, allow_infinity=True)  # openpyxl writes NaN/∞ as empty cells
_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31))
_datetimes = st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(9999, 12, 31))
_times = st.times()
_deltas = st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=10_000))
CELL = st.one_of(
    st.none(),
    st.booleans(),
    _ints,
    _huge,
    _floats,
    _text,
    _tricky_text,
    _names,
    _dates,
    _datetimes,
    _times,
    _deltas,
)
#: Cells a real count column holds, mostly good.
COUNT = st.one_of(
    st.integers(min_value=0, max_value=500), st.integers(min_value=0, max_value=500), st.none(), CELL
)
HEADER_CELL = st.one_of(
    st.sampled_from(list(HEADERS.values())),
    st.sampled_from(list(HEADERS)),
    st.sampled_from([_nfd(h) for h in HEADERS.values()] + [h.upper() for h in HEADERS.values()]),
    _text,
    _tricky_text,
    st.none(),
    st.just(""),
)
SHEET_NAME = st.one_of(
    st.sampled_from(["SoLieu", "solieu", "SO LIEU", "Bieu06a", "Sheet", "Số liệu"]),
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="[]:*?/\\"),
        min_size=1,
        max_size=31,
    )
    .map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s))
    .filter(bool),
)

# ---------------------------------------------------------------------------- sheets

Grid = list[list[object]]


@st.composite
def random_grid(draw: st.DrawFn) -> Grid:
    """Any shape: a header row of mixed real and garbage headers, then random rows."""
    width = draw(st.integers(0, 24))
    header = draw(st.lists(HEADER_CELL, min_size=width, max_size=width))
    rows = draw(st.lists(st.lists(CELL, max_size=width + 2), max_size=6))
    lead = draw(st.lists(st.lists(CELL, max_size=4), max_size=3))  # title rows above the header
    return [*lead, header, *rows]


def _good_period() -> st.SearchStrategy[object]:
    return st.one_of(
        st.sampled_from(["06/2024", "2024-06", "12/2024", "01/2025", "6/2024", "2024/03"]),
        st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2025, 1, 31)),
    )


@st.composite
def canonical_grid(draw: st.DrawFn) -> Grid:
    """The template's header (sometimes with columns shuffled, dropped or duplicated) and rows that are
    valid (balanced good counts, scaled) with a few cells replaced by random ones, or all random."""
    codes = list(TEMPLATE_COLUMNS)
    if draw(st.integers(0, 3)) == 0:
        codes = draw(st.permutations(codes))
    if draw(st.integers(0, 3)) == 0:
        drop = draw(st.sets(st.sampled_from(codes), max_size=4))
        codes = [c for c in codes if c not in drop]
    if draw(st.integers(0, 5)) == 0 and codes:
        codes.append(draw(st.sampled_from(codes)))
    header: list[object] = [
        draw(st.sampled_from([HEADERS[c], c, _nfd(HEADERS[c]), HEADERS[c].upper()])) for c in codes
    ]
    noisy = draw(st.integers(0, 3)) == 0  # else: valid rows with at most two random cells
    rows = []
    for i in range(draw(st.integers(0, 6))):
        factor = draw(st.integers(0, 20))
        rec: dict[str, object] = {
            "period": draw(_good_period()),
            "unit": draw(_names if noisy else st.sampled_from(UNITS)),
            "field": draw(st.sampled_from(FIELDS)),
            "procedure_code": draw(st.sampled_from([None, f"1.{i:06d}", f" 1.{i:06d} "])),
            "procedure_name": draw(st.one_of(st.none(), _text, _tricky_text)),
            **{c: v * factor for c, v in GOOD_COUNTS.items()},
        }
        if draw(st.integers(0, 4)) == 0:
            rec["payments_online"] = None  # an unknown count
        rows.append([rec.get(c) for c in codes])
    edits = len(rows) * len(codes) // 3 if noisy else draw(st.sampled_from([0, 0, 0, 1, 2, 3]))
    for _ in range(edits if rows and codes else 0):
        rows[draw(st.integers(0, len(rows) - 1))][draw(st.integers(0, len(codes) - 1))] = draw(CELL)
    return [header, *rows]


def _mostly(good: st.SearchStrategy, bad: st.SearchStrategy, odds: int = 6) -> st.SearchStrategy:
    """``good`` ``odds`` times out of ``odds + 1``, else ``bad`` (one_of would pick them evenly)."""
    return st.integers(0, odds).flatmap(lambda k: good if k else bad)


_OFFICIAL_PERIODS = [
    "Kỳ báo cáo: Tháng 6 năm 2024 (Từ ngày 01/06/2024 đến ngày 30/06/2024)",
    "Kỳ báo cáo: Tháng 6 năm 2024",
    "Kỳ báo cáo: Tháng 12 năm 2024 (Từ ngày 01/12/2024 đến ngày 31/12/2024)",
]
_BAD_OFFICIAL_PERIODS = [
    "Kỳ báo cáo: Tháng 13 năm 2024",
    "Từ ngày 01/06/2024 đến ngày 30/07/2024",
    "Kỳ báo cáo: Tháng 6 năm 2030",
    "Từ ngày 31/02/2024 đến ngày 31/03/2024",
]


@st.composite
def official_bytes(draw: st.DrawFn) -> tuple[bytes, str | None]:
    """A Biểu II.06a report: consistent rows with a few random cells, a period line, the unit (mostly)."""
    by = draw(st.sampled_from(["field", "unit"]))
    names = FIELDS if by == "field" else UNITS
    rows = []
    for k in draw(st.lists(st.integers(0, len(names) - 1), min_size=0, max_size=5, unique=True)):
        name = draw(_mostly(st.sampled_from([names[k], _nfd(names[k])]), st.one_of(_names, CELL)))
        nums = draw(st.lists(st.integers(0, 50), min_size=8, max_size=8))
        rows.append(list(official_row(name, *nums)))  # type: ignore[arg-type]
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
        if rows:
            rows[draw(st.integers(0, len(rows) - 1))][draw(st.integers(1, 11))] = draw(COUNT)
    period_line = draw(
        _mostly(
            st.sampled_from(_OFFICIAL_PERIODS),
            st.one_of(st.none(), _tricky_text, st.sampled_from(_BAD_OFFICIAL_PERIODS)),
        )
    )
    rows_ok = all(type(v) is int for r in rows for v in r[1:])
    data = official(
        [tuple(r) for r in rows],
        period_line=period_line,
        by=by,
        total_row=rows_ok and draw(st.booleans()),
        signature=draw(st.booleans()),
        sheet=draw(SHEET_NAME),
    )
    unit = draw(_mostly(st.sampled_from(UNITS), st.one_of(st.none(), _text)))
    return data, unit


@st.composite
def workbook_bytes(draw: st.DrawFn) -> tuple[bytes, str | None]:
    kind = draw(st.sampled_from(["random", "canonical", "canonical", "official", "official", "mixed"]))
    unit = draw(st.one_of(st.none(), st.sampled_from(UNITS), _text))
    if kind == "official":
        return draw(official_bytes())
    wb = Workbook()
    wb.remove(wb.active)
    sheets = draw(st.integers(1, 3)) if kind == "mixed" else 1
    for k in range(sheets):
        grid = draw(
            canonical_grid() if kind == "canonical" or (kind == "mixed" and k == 0) else random_grid()
        )
        ws = wb.create_sheet(draw(SHEET_NAME) if k or draw(st.booleans()) else "SoLieu")
        for row in grid:
            ws.append(row)
        if draw(st.integers(0, 9)) == 0 and ws.max_row >= 2 and ws.max_column >= 2:
            ws.merge_cells(start_row=1, start_column=1, end_row=2, end_column=2)
    if not wb.worksheets:
        wb.create_sheet("Sheet")
    return to_bytes(wb), unit


# ---------------------------------------------------------------------------- the property

_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def check(result: object) -> None:
    """What every read must give: a ReadResult, its own Issues, and a sound frame when it is ok."""
    assert isinstance(result, ReadResult)
    for issue in result.issues:
        assert type(issue) is Issue
        assert issue.level in ("error", "warning")
        assert issue.code in MESSAGES, issue.code
        assert issue.message and issue.file == "fuzz.xlsx"
        assert issue.row is None or (isinstance(issue.row, int) and issue.row >= 1)
        issue.format()  # the command line prints it
        issue.as_dict()  # the upload page shows it
    if not result.ok:
        assert result.frame.empty and result.excel_rows == []
        return
    frame = result.frame
    assert list(frame.columns) == list(FRAME_COLUMNS)
    assert len(frame) == len(result.excel_rows) > 0
    assert frame["period"].map(lambda p: bool(_PERIOD.match(p)) and p <= "2025-01").all()
    assert frame["unit"].isin(UNITS).all()
    counts = frame[list(COUNT_COLUMNS)]
    assert (counts.fillna(0) >= 0).all().all()
    assert not frame.duplicated(["period", "unit", "field", "procedure_code"]).any()


@FUZZ
@given(workbook_bytes())
def test_reader_never_raises_on_generated_workbooks(case: tuple[bytes, str | None]) -> None:
    data, unit = case
    check(read_workbook(data, filename="fuzz.xlsx", unit=unit, catalog=CATALOG, today=TODAY))


def _good() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "SoLieu"
    ws.append(HEADER)
    ws.append(["06/2024", UNITS[1], FIELDS[1], None, None, 10, 2, 3, 1, 4, 8, 6, 1, 3, 1, 1, 2, 15, 16, 5, 3])
    return to_bytes(wb)


GOOD = _good()


@FUZZ
@given(st.data())
def test_reader_never_raises_on_corrupted_bytes(data: st.DataObject) -> None:
    """A good workbook truncated, with bytes overwritten, or with bytes inserted."""
    raw = bytearray(GOOD)
    for _ in range(data.draw(st.integers(0, 4), label="edits")):
        kind = data.draw(st.sampled_from(["flip", "truncate", "insert", "zero"]), label="kind")
        at = data.draw(st.integers(0, max(0, len(raw) - 1)), label="at")
        if kind == "flip" and raw:
            raw[at] ^= data.draw(st.integers(1, 255), label="mask")
        elif kind == "truncate":
            del raw[at:]
        elif kind == "insert":
            raw[at:at] = data.draw(st.binary(min_size=1, max_size=64), label="bytes")
        else:
            raw[at : at + 8] = b"\x00" * len(raw[at : at + 8])
    # half the time with a bound low enough that the zip check inflates every member itself
    bound = 50_000 if data.draw(st.booleans(), label="inflate") else guard.MAX_UNCOMPRESSED_BYTES
    with mock.patch.object(guard, "MAX_UNCOMPRESSED_BYTES", bound):
        check(read_workbook(bytes(raw), filename="fuzz.xlsx", catalog=CATALOG, today=TODAY))


def test_good_file_reads() -> None:
    for bound in (guard.MAX_UNCOMPRESSED_BYTES, 50_000):  # 50 KB: inflated by the zip check too
        with mock.patch.object(guard, "MAX_UNCOMPRESSED_BYTES", bound):
            result = read_workbook(GOOD, filename="fuzz.xlsx", catalog=CATALOG, today=TODAY)
        assert result.ok, [i.format() for i in result.issues]
        check(result)


# ---------------------------------------------------------------------------- the sheet extent check
# extent.sheet_extent must bound what calamine builds (rows × columns from A1), whatever the XML:
# positions given or inferred, duplicated or decoy attributes, quotes, prefixes, comments, CDATA.
# Sheets stay within 10,010 rows × 61 columns, so calamine itself can be asked for the truth.


def _ref(row: int, col: int) -> str:
    from data_access.messages import column_letter

    return f"{column_letter(col)}{row}"


@st.composite
def sheet_data(draw: st.DrawFn) -> bytes:
    pos = st.one_of(
        st.tuples(st.integers(1, 40), st.integers(0, 29)),  # within A1:AZ9999 (and the
        st.tuples(st.integers(9990, 10010), st.integers(0, 3)),  # 2nd pass beyond it)
        st.tuples(st.integers(1, 40), st.integers(50, 60)),
    )
    plain = draw(st.booleans())  # every position given plainly, as spreadsheet programs write them
    out = []
    for _ in range(draw(st.integers(0, 6))):
        r = draw(st.one_of(st.none(), st.integers(1, 40)))
        row_attr = (
            ""
            if r is None
            else draw(
                st.sampled_from(
                    [f' r="{r}"', f' r="{r}" spans="1:3"']
                    if plain
                    else [f' r="{r}"', f" r='{r}'", f' r = "{r}"', f' spans="1:3" r="{r}"', f' r="{r}" r="1"']
                )
            )
        )
        if draw(st.integers(0, 8)) == 0:
            out.append(f"<row{row_attr}/>")
            continue
        cells = []
        for _ in range(draw(st.integers(0, 6))):
            at = draw(pos if plain else st.one_of(st.none(), pos))
            ref = "" if at is None else _ref(*at)
            other = _ref(*draw(pos))
            attr = (
                ""
                if at is None
                else draw(
                    st.sampled_from(
                        [f' r="{ref}"', f' r="{ref}" t="n" s="1"']
                        if plain
                        else [
                            f' r="{ref}"',
                            f' t="n" r="{ref}"',
                            f" r='{ref}'",
                            f' r = "{ref}"',
                            f'\tr="{ref}"',
                            f' r="{other}" r="{ref}"',
                            f' r="{ref}" x=" r=\'{other}\'"',
                            f' x=" r=\'{other}\'" r="{ref}"',
                            f' r="{ref.lower()}"',
                        ]
                    )
                )
            )
            name = "c" if plain else draw(st.sampled_from(["c", "c", "c", "x:c"]))
            body = draw(st.sampled_from(["<v>1</v>", "<v>1</v>", "", "/"]))
            value_tag = "x:v" if name == "x:c" else "v"
            cell = (
                f"<{name}{attr}/>"
                if body == "/"
                else f"<{name}{attr}>{body.replace('v>', value_tag + '>')}</{name}>"
            )
            cells.append(cell)
            if not plain and draw(st.integers(0, 9)) == 0:
                cells.append(
                    draw(
                        st.sampled_from(
                            [f'<!-- <c r="{other}"> -->', f'<![CDATA[<c r="{other}">]]>', "<!-- </row> -->"]
                        )
                    )
                )
        out.append(f"<row{row_attr}>{''.join(cells)}</row>")
    return "".join(out).encode()


def _sheet_book(inner: bytes) -> bytes:
    import zipfile

    wb = Workbook()
    wb.active["A1"] = "x"
    src = io.BytesIO(to_bytes(wb))
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                start, end = body.index(b"<sheetData>"), body.index(b"</sheetData>")
                body = body[:start] + b"<sheetData>" + inner + body[end:]
            zout.writestr(info.filename, body)
    return out.getvalue()


@FUZZ
@given(sheet_data())
def test_sheet_extent_bounds_what_calamine_builds(inner: bytes) -> None:
    import zipfile

    from python_calamine import CalamineWorkbook

    data = _sheet_book(inner)
    try:
        grid = (
            CalamineWorkbook.from_filelike(io.BytesIO(data))
            .get_sheet_by_index(0)
            .to_python(skip_empty_area=False)
        )
    except Exception:  # calamine refuses the sheet: nothing is built
        return
    height, width = len(grid), max((len(r) for r in grid), default=0)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
        rows, cols, _ = extent.sheet_extent(zf, info)
        walked_rows, walked_cols, _ = extent.walk_extent(zf.read(info))
    assert rows >= height and cols >= width, (rows, cols, height, width)
    if height and width:  # the walk counts every cell, empty ones too: never below calamine's shape
        assert walked_rows >= height and walked_cols >= width, (walked_rows, walked_cols, height, width)
