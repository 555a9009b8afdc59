"""Hardening against bad files: zip bombs (honest and lying headers), formula injection in the
downloads, and a static scan for pickle/eval/exec and SQL built from strings."""

from __future__ import annotations

import ast
import csv
import io
import json
import struct
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from data_access import xlsx
from data_access.export import table_to_csv
from data_access.readers import MAX_FILE_BYTES, MAX_UNCOMPRESSED_BYTES, read_workbook
from data_access.xlsx import extent, guard
from data_access.xlsx.cells import MAX_COUNT
from tests.helpers import ROOT
from tests.workbooks import canonical_records, record, to_bytes
from ui.tables import GAP_EXPORT_COLUMNS, _prepare, gap_xlsx

MB = 2**20
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
ZIP_BOMB_TEXT = "giải nén quá lớn"

# ---------------------------------------------------------------------------- zip bombs


def _bomb(path: Path, member: str, head: bytes, filler: bytes, size: int, tail: bytes) -> Path:
    """A real workbook whose ``member`` is replaced by ``head + filler * … + tail`` (``size`` bytes
    of filler), written to the zip in 1 MB chunks: nothing of that size is ever held in memory."""
    base = canonical_records([record()])
    chunk = filler * (MB // len(filler))
    with (
        zipfile.ZipFile(io.BytesIO(base)) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out,
    ):
        for info in src.infolist():
            if info.filename != member:
                out.writestr(info.filename, src.read(info.filename))
        with out.open(member, "w") as fh:
            fh.write(head)
            for _ in range(size // MB):
                fh.write(chunk)
            fh.write(tail)
    return path


def _lie(data: bytes, member: str, declared: int) -> bytes:
    """``data`` with the uncompressed size of ``member`` rewritten to ``declared`` in both its local
    header and its central directory entry (the data and its CRC are left as they are)."""
    out = bytearray(data)
    eocd = out.rfind(b"PK\x05\x06")
    count, _, cd_offset = struct.unpack_from("<HLL", out, eocd + 10)
    at = cd_offset
    for _ in range(count):
        assert out[at : at + 4] == b"PK\x01\x02"
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", out, at + 28)
        local = struct.unpack_from("<L", out, at + 42)[0]
        name = bytes(out[at + 46 : at + 46 + name_len]).decode()
        if name == member:
            struct.pack_into("<L", out, at + 24, declared)  # central directory: uncompressed size
            struct.pack_into("<L", out, local + 22, declared)  # local header: uncompressed size
        at += 46 + name_len + extra_len + comment_len
    return bytes(out)


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Four bombs of a few hundred KB: a 300 MB sheet and a 250 MB shared-strings part, each with
    an honest header and with one that claims a few KB."""
    folder = tmp_path_factory.mktemp("bombs")
    sheet = _bomb(
        folder / "sheet_bomb.xlsx",
        SHEET,
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
        b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
        b" ",
        300 * MB,
        b"</sheetData></worksheet>",
    )
    strings = _bomb(
        folder / "strings_bomb.xlsx",
        STRINGS,
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns='
        b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        b"<si><t>",
        b"A",
        250 * MB,
        b"</t></si></sst>",
    )
    out = {"sheet": sheet, "strings": strings}
    for key, path, member in (("sheet_lying", sheet, SHEET), ("strings_lying", strings, STRINGS)):
        out[key] = folder / f"{key}.xlsx"
        out[key].write_bytes(_lie(path.read_bytes(), member, 4096))
    return out


def test_bombs_are_small_files_and_the_lies_took_effect(bombs: dict[str, Path]) -> None:
    for key, path in bombs.items():
        assert path.stat().st_size < 2 * MB, key
        with zipfile.ZipFile(path) as zf:
            declared = sum(i.file_size for i in zf.infolist())
        if key.endswith("_lying"):
            assert declared < MAX_UNCOMPRESSED_BYTES, key  # the directory alone would let it through
        else:
            assert declared > MAX_UNCOMPRESSED_BYTES, key


@pytest.mark.parametrize("key", ["sheet", "sheet_lying", "strings", "strings_lying"])
def test_zip_bomb_refused_before_calamine(
    key: str, bombs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_calamine(data: bytes) -> list:  # pragma: no cover - must not be reached
        raise AssertionError("calamine was given a zip bomb")

    monkeypatch.setattr(xlsx.workbook, "read_sheets", no_calamine)
    for source in (bombs[key], bombs[key].read_bytes()):  # a path (CLI) and the bytes of an upload
        result = read_workbook(source, filename=f"{key}.xlsx")
        assert [i.code for i in result.errors] == ["zip_bomb"], [i.format() for i in result.issues]
        issue = result.errors[0]
        assert ZIP_BOMB_TEXT in issue.message and f"> {MAX_UNCOMPRESSED_BYTES // MB} MB" in issue.message
        assert issue.file == f"{key}.xlsx"
        assert result.frame.empty


_MEASURE = r"""
import json, resource, sys
from data_access.readers import read_workbook
from tests.workbooks import canonical_records, record, to_bytes

assert read_workbook(canonical_records([record()]), today=None).ok  # warm up: imports, catalog
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
codes = {p: [i.code for i in read_workbook(p).errors] for p in sys.argv[1:]}
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"codes": codes, "increase_kb": after - before}))
"""


def test_zip_bomb_peak_memory_stays_bounded(bombs: dict[str, Path]) -> None:
    """In a fresh process, refusing all four bombs (1.1 GB expanded in all) raises the peak RSS by
    far less than one of them would take expanded."""
    paths = [str(p) for p in bombs.values()]
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE, *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert all(codes == ["zip_bomb"] for codes in out["codes"].values()), out
    assert out["increase_kb"] * 1024 < 100 * MB, out


@pytest.mark.parametrize("key", ["sheet", "strings"])
def test_upload_page_does_not_open_a_refused_bomb_to_mark_it(
    key: str, bombs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The upload page marks a refused file's cells with openpyxl; for a zip bomb that took 2 s and
    430 MB (the 300 MB sheet inflated). A file refused as a whole is no longer opened."""
    from data_access import annotate

    def no_openpyxl(*a: object, **k: object) -> None:  # pragma: no cover - must not be reached
        raise AssertionError("openpyxl was given a zip bomb")

    monkeypatch.setattr(annotate, "load_workbook", no_openpyxl)
    data = bombs[key].read_bytes()
    result = read_workbook(data, filename="bomb.xlsx")
    with pytest.raises(annotate.AnnotateError, match="zip_bomb"):
        annotate.annotate_workbook(data, result.errors)
    with pytest.raises(annotate.AnnotateError, match="sheet_too_big"):
        annotate.annotate_workbook(
            _sheet_with(HOSTILE["corners"]), read_workbook(_sheet_with(HOSTILE["corners"])).errors
        )


def test_streaming_check_counts_the_real_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """A normal workbook under a bound low enough to make the check inflate it: exactly its real
    size passes, one byte less is refused, whatever its header says."""
    data = canonical_records([record(procedure_code=f"1.{i:06d}") for i in range(50)])
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        real = sum(i.file_size for i in zf.infolist())
        sheet_size = zf.getinfo(SHEET).file_size
    lying = _lie(data, SHEET, 10)
    monkeypatch.setattr(guard, "MAX_UNCOMPRESSED_BYTES", real)
    assert guard.check_container(data, "a.xlsx") is None
    # really within the bound, but its sheet is longer than it says: a broken file (calamine refuses
    # it too: "File is larger than its declared uncompressed size")
    assert guard.check_container(lying, "a.xlsx").code == "unreadable"  # type: ignore[union-attr]
    monkeypatch.setattr(guard, "MAX_UNCOMPRESSED_BYTES", real - 1)
    assert guard.check_container(data, "a.xlsx").code == "zip_bomb"  # type: ignore[union-attr]
    # the directory says 10 bytes fewer than the bound minus the sheet: only inflating finds it
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(lying)).infolist()) == real - sheet_size + 10
    assert guard.check_container(lying, "a.xlsx").code == "zip_bomb"  # type: ignore[union-attr]


def test_streaming_check_on_broken_deflate_data_is_unreadable(monkeypatch: pytest.MonkeyPatch) -> None:
    data = bytearray(canonical_records([record()]))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo(SHEET)
    start = guard._data_offset(memoryview(bytes(data)), info)
    data[start : start + 16] = b"\xff" * 16  # an invalid deflate block type
    monkeypatch.setattr(guard, "MAX_UNCOMPRESSED_BYTES", 100_000)  # below the ceiling: inflated here
    issue = guard.check_container(bytes(data), "a.xlsx")
    assert issue is not None and issue.code == "unreadable", issue
    result = read_workbook(bytes(data), filename="a.xlsx")
    assert [i.code for i in result.errors] == ["unreadable"]


def test_ordinary_workbook_is_not_inflated_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    """A workbook whose compressed size cannot reach the bound costs no extra inflating."""
    calls: list[int] = []
    real = guard._expanded_size
    monkeypatch.setattr(guard, "_expanded_size", lambda *a: calls.append(1) or real(*a))
    assert read_workbook(canonical_records([record()]), filename="a.xlsx").ok
    assert calls == []


# ---------------------------------------------------------------------------- formula injection

EVIL = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "=1+1"]


def _gap_table(level: str) -> pd.DataFrame:
    n = len(EVIL)
    frame = pd.DataFrame(
        {
            "unit": EVIL,
            "field": EVIL,
            "procedure_code": EVIL,
            "procedure_name": EVIL,
            "numerator": pd.array([5, 6, 7, 8, 9], dtype="Int64"),
            "denominator": pd.array([10] * n, dtype="Int64"),
            "value": [0.5, 0.6, 0.7, 0.8, 0.9],
            "target": [0.9] * n,
            "gap": [-0.4, -0.3, -0.2, -0.1, 0.0],
            "shortfall": pd.array([4, 3, 2, 1, 0], dtype="Int64"),
            "status": ["below"] * 4 + ["met"],
            "rows_missing": pd.array([0] * n, dtype="Int64"),
        }
    )
    return frame


@pytest.mark.parametrize("level", ["unit", "field", "procedure"])
def test_gap_export_writes_formula_like_names_as_text(level: str) -> None:
    table = _gap_table(level)
    data = gap_xlsx(table, level, title="Khoảng cách")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read(SHEET).decode()
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere in the sheet
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    text_cols = [
        j
        for j, c in enumerate(GAP_EXPORT_COLUMNS[level], start=1)
        if c.kind == "text" and c.key != "status_label"
    ]
    cells = [ws.cell(row=r, column=j) for r in range(4, 4 + len(EVIL)) for j in text_cols]
    assert cells and all(c.data_type == "s" for c in cells)
    assert sorted({c.value for c in cells}) == sorted(EVIL)
    # what a spreadsheet reading the file sees: the text itself, not a formula's result
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert {rows[r][j - 1] for r in range(3, 3 + len(EVIL)) for j in text_cols} == set(EVIL)
    # the same table as CSV: every formula-like cell neutralised by a leading '
    csv_rows = list(
        csv.reader(
            io.StringIO(table_to_csv(_prepare(table, level), GAP_EXPORT_COLUMNS[level]).decode("utf-8-sig"))
        )
    )
    shown = {row[j - 1] for row in csv_rows[1:] for j in text_cols}
    assert shown == {"'" + evil for evil in EVIL}


# ---------------------------------------------------------------------------- static scan

SCANNED = [
    *(p for d in ("data_access", "kpi", "ui", "pages") for p in sorted((ROOT / d).rglob("*.py"))),
    ROOT / "app.py",
]
#: Functions allowed to build SQL text: they interpolate only column names and SQL fragments built
#: from the code's own constants (COUNT_COLUMNS, BITS, the schema's table names), never a value.
SQL_TEXT_ALLOWED = {
    ("data_access/store/sums.py", "refresh_sums"),  # columns from COUNT_COLUMNS; upload id bound as :u
    (
        "data_access/store/importing.py",
        "_insert_many",
    ),  # quoted schema identifiers; values as driver parameters
}
SQL_TEXT_ALLOWED_DIRS = ("data_access/migrations/",)  # the back-fills: column names of the migration
SQL_CALLS = {
    "text",
    "execute",
    "exec_driver_sql",
    "executescript",
    "executemany",
    "read_sql",
    "read_sql_query",
}
DANGEROUS_MODULES = {"pickle", "cPickle", "dill", "shelve", "marshal", "cloudpickle"}
DANGEROUS_BUILTINS = {"eval", "exec", "__import__", "compile"}  # called by name
DANGEROUS_METHODS = {"read_pickle", "to_pickle", "loads_pickle"}  # pandas and friends


def _files() -> Iterator[tuple[str, ast.Module]]:
    assert len(SCANNED) > 20
    for path in SCANNED:
        yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"), str(path))


def _built_string(node: ast.AST) -> bool:
    """An f-string, ``"…" % x``, ``"…".format(…)`` or a ``+`` of strings."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return True
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"


def _call_name(node: ast.Call) -> str:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _built_names(scope: ast.AST) -> set[str]:
    return {
        t.id
        for n in ast.walk(scope)
        if isinstance(n, ast.Assign) and _built_string(n.value)
        for t in n.targets
        if isinstance(t, ast.Name)
    }


def _sql_from_strings(tree: ast.Module) -> list[tuple[str, int]]:
    """(innermost function, line) of each SQL call whose statement is built from a string expression,
    directly or through a variable assigned in the same function."""
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST, func: str, built: set[str]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, child.name, _built_names(child))
                continue
            if isinstance(child, ast.Call) and _call_name(child) in SQL_CALLS and child.args:
                arg = child.args[0]
                if _built_string(arg) or (isinstance(arg, ast.Name) and arg.id in built):
                    found.append((func, child.lineno))
            visit(child, func, built)

    visit(tree, "<module>", _built_names(tree))
    return sorted(set(found))


def test_no_pickle_eval_or_exec_in_the_project() -> None:
    problems = []
    for rel, tree in _files():
        for n in ast.walk(tree):
            if isinstance(n, ast.Import | ast.ImportFrom):
                mods = [a.name for a in n.names] + (
                    [n.module] if isinstance(n, ast.ImportFrom) and n.module else []
                )
                problems += [
                    f"{rel}:{n.lineno} imports {m}" for m in mods if m.split(".")[0] in DANGEROUS_MODULES
                ]
            elif isinstance(n, ast.Call) and (
                (isinstance(n.func, ast.Name) and n.func.id in DANGEROUS_BUILTINS)
                or (isinstance(n.func, ast.Attribute) and n.func.attr in DANGEROUS_METHODS)
            ):
                problems.append(f"{rel}:{n.lineno} calls {_call_name(n)}()")
    assert problems == []


def test_sql_is_parameterised_outside_the_allow_list() -> None:
    found = {}
    for rel, tree in _files():
        for func, line in _sql_from_strings(tree):
            if rel.startswith(SQL_TEXT_ALLOWED_DIRS) or (rel, func) in SQL_TEXT_ALLOWED:
                continue
            found[f"{rel}:{line}"] = func
    assert found == {}, "SQL built from strings (bind the values as parameters instead)"


def test_the_scan_sees_string_built_sql() -> None:
    """The scanner itself: it flags an f-string statement, directly or through a variable."""
    tree = ast.parse(
        "def bad(conn, name):\n"
        "    conn.execute(sa.text(f\"SELECT * FROM t WHERE name = '{name}'\"))\n"
        "def worse(conn, name):\n"
        "    sql = 'DELETE FROM t WHERE n = %s' % name\n"
        "    conn.exec_driver_sql(sql)\n"
        "def good(conn, name):\n"
        "    conn.execute(sa.text('SELECT * FROM t WHERE name = :n'), {'n': name})\n"
    )
    assert [f for f, _ in _sql_from_strings(tree)] == ["bad", "worse"]
    # each allow-listed function is one the scan really flags (a rename or a fix must update the list)
    for rel, func in SQL_TEXT_ALLOWED:
        tree = ast.parse((ROOT / rel).read_text(encoding="utf-8"))
        assert func in {f for f, _ in _sql_from_strings(tree)}, (rel, func)


def test_streamlit_config_protects_uploads() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server = config["server"]
    assert server["enableXsrfProtection"] is True
    assert isinstance(server["maxUploadSize"], int)
    assert 1 <= server["maxUploadSize"] <= MAX_FILE_BYTES // MB  # the server refuses before the reader does


# ---------------------------------------------------------------------------- sheets that would abort calamine
# calamine builds the whole rectangle of a sheet's cells (32 bytes a cell) and aborts the process, with
# no exception, when it cannot: a 2 KB file with cells in A1 and XFD1048576 asks for 550 GB
# (calamine #693). The readers walk the sheet first and refuse it ("sheet_too_big").


def _sheet_with(inner: bytes, *, replace: tuple[bytes, bytes] | None = None) -> bytes:
    """A one-sheet workbook whose <sheetData> holds ``inner`` (raw XML, as a hostile file would)."""
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == SHEET:
                start, end = body.index(b"<sheetData>"), body.index(b"</sheetData>")
                body = body[:start] + b"<sheetData>" + inner + body[end:]
                if replace:
                    body = body.replace(*replace)
            dst.writestr(info.filename, body)
    return out.getvalue()


FAR = b'<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
HOSTILE = {
    "corners": b'<row r="1"><c r="A1"><v>1</v></c></row>' + FAR,
    "one far cell (padded from A1)": FAR,
    "second r wins": b'<row r="1"><c r="A1" r="XFD1048576"><v>1</v></c></row>',
    "r after a quoted decoy": b'<row r="1"><c r="A1" t="n" x=" r=\'B2\'" r="XFD1048576"><v>1</v></c></row>',
    "single quotes": b"<row r=\"1\"><c r='XFD1048576'><v>1</v></c></row>",
    "spaces around =": b'<row r="1"><c r = "XFD1048576"><v>1</v></c></row>',
    "tab before r": b'<row r="1"><c\tr="XFD1048576"><v>1</v></c></row>',
    "later attribute": b'<row r="1"><c t="n" r="XFD1048576"><v>1</v></c></row>',
    "prefixed cell": b'<row r="1"><x:c xmlns:x="urn:x" r="XFD1048576"><x:v>1</x:v></x:c></row>',
    "lower case": b'<row r="1"><c r="xfd1048576"><v>1</v></c></row>',
    "inferred columns": b'<row r="1048576">' + b"<c><v>1</v></c>" * 30 + b"</row>",
    "inferred row": b'<row r="1"><c r="C1"><v>1</v></c></row><row r="1048575"/><row><c><v>1</v></c></row>',
    "comment hides a reset": b'<row r="1048576">' + b'<c><v>1</v></c><!-- <c r="A1"> -->' * 30 + b"</row>",
    "u32 wrap": b'<row r="1"><c r="XFD4295016872"><v>1</v></c></row>',  # row 4,295,016,872 mod 2^32 = 49,576
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_sheet_spanning_too_many_cells_is_refused_before_calamine(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_calamine(data: bytes) -> list:  # pragma: no cover - must not be reached
        raise AssertionError("calamine was given the sheet")

    monkeypatch.setattr(xlsx.workbook, "read_sheets", no_calamine)
    result = read_workbook(_sheet_with(HOSTILE[case]), filename="a.xlsx")
    assert [i.code for i in result.errors] == ["sheet_too_big"], [i.format() for i in result.issues]
    assert "2.000.000 ô" in result.errors[0].message


def test_too_many_cells_at_one_address_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Repeating one address makes a long cell list from a small area: counted on the fast path
    (a large sheet) and on the walk."""
    monkeypatch.setattr(extent, "MAX_SHEET_CELLS", 600_000)  # fast path on, counting above 9 MB
    many = b'<row r="1">' + b'<c r="A1"><v>1</v></c>' * 700_000 + b"</row>"  # 15 MB
    assert guard.check_container(_sheet_with(many), "a.xlsx").code == "sheet_too_big"  # type: ignore[union-attr]
    walked = b'<row r="1">' + b"<c><v>1</v></c>" * 5 + b'<c r="A1"><v>1</v></c>' * 700_000 + b"</row>"
    assert guard.check_container(_sheet_with(walked), "a.xlsx").code == "sheet_too_big"  # type: ignore[union-attr]


@pytest.mark.parametrize("doctype", [b"<!DOCTYPE x [<!ENTITY e \"<c r='A1'>\">]>", b"<!doctype x>"])
def test_a_dtd_the_walk_cannot_follow_is_unreadable(doctype: bytes) -> None:
    data = _sheet_with(
        b'<row r="1"><c><v>1</v></c></row>', replace=(b"<sheetData>", doctype + b"<sheetData>")
    )
    issue = guard.check_container(data, "a.xlsx")
    assert issue is not None and issue.code == "unreadable", issue


def _calamine_shape(data: bytes) -> tuple[int, int]:
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(data))
        .get_sheet_by_index(0)
        .to_python(skip_empty_area=False)
    )
    return len(rows), max((len(r) for r in rows), default=0)


def _extent(data: bytes) -> tuple[int, int, int]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return extent.sheet_extent(zf, zf.getinfo(SHEET))


def _wide_or_long(rows: int, cols: int) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for i in range(rows):
        ws.append([i] * cols)
    return to_bytes(wb)


@pytest.mark.parametrize(("rows", "cols"), [(30, 60), (12_000, 3), (5, 700)])
def test_large_but_honest_sheets_are_measured_and_read(rows: int, cols: int) -> None:
    """Beyond A1:AZ9999 a second pass reads every cell's position: calamine's own shape."""
    data = _wide_or_long(rows, cols)
    assert _extent(data)[:2] == (rows, cols) == _calamine_shape(data)
    assert "sheet_too_big" not in {i.code for i in read_workbook(data).issues}


def test_cells_without_positions_are_walked() -> None:
    """Cells without ``r`` (valid OOXML, written by some tools) take the walk: the same shape."""
    inner = b"".join(b'<row r="%d">' % i + b"<c><v>1</v></c>" * 4 + b"</row>" for i in range(1, 4))
    inner += b"<row>" + b"<c><v>2</v></c>" * 6 + b"</row>"  # row 4, inferred
    data = _sheet_with(inner)
    assert _extent(data) == (4, 6, 18)
    assert _calamine_shape(data) == (4, 6)


def test_fast_pass_bounds_an_ordinary_sheet() -> None:
    data = canonical_records([record(procedure_code=f"1.{i:06d}") for i in range(50)])
    rows, cols, _ = _extent(data)
    assert (rows, cols) == (9999, 52)  # proven within A1:AZ9999 without walking
    shape = _calamine_shape(data)
    assert shape[0] <= rows and shape[1] <= cols


_ABORT_CHECK = r"""
import sys
from data_access.readers import read_workbook
print(",".join(i.code for i in read_workbook(sys.argv[1]).errors))
"""


def test_a_five_kilobyte_file_no_longer_kills_the_process(tmp_path: Path) -> None:
    """The case of calamine #693 (cells A1 and XFD1048576), read for real in a process of its own:
    it used to end with 'memory allocation of 549755813888 bytes failed' and SIGABRT."""
    path = tmp_path / "corners.xlsx"
    path.write_bytes(_sheet_with(HOSTILE["corners"]))
    assert path.stat().st_size < 8192
    proc = subprocess.run(
        [sys.executable, "-c", _ABORT_CHECK, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "sheet_too_big"


# ---------------------------------------------------------------------------- counts too large


@pytest.mark.parametrize(
    "value",
    [
        10**30,
        2**70,
        1e30,
        float(2**63),
        1_000_000_000,
        "1" + "0" * 5000,
        "99999999999999999999",
        "1000000000,0",
    ],
)
def test_count_too_large_is_refused_not_wrapped(value: object) -> None:
    """A count beyond int64 used to wrap to -9223372036854775808 and pass as a figure (found by
    tests/test_fuzz.py); a 5,000-digit text made int() raise. Both are refused now."""
    result = read_workbook(canonical_records([record(received_direct=value)]), filename="a.xlsx")
    assert [i.code for i in result.errors] == ["count_too_large"], [i.format() for i in result.issues]
    assert result.frame.empty


def test_largest_count_is_accepted() -> None:
    big = MAX_COUNT
    result = read_workbook(
        canonical_records([record(carried_over=big)]), filename="a.xlsx"
    )  # unbalanced: a warning
    assert result.ok, [i.format() for i in result.errors]
    assert int(result.frame["carried_over"].iloc[0]) == big
