"""Text bombs (issue 19, items 1, 5 and 12): a small workbook whose cells would hold gigabytes of
text once calamine copies a shared string into each of them, refused before calamine is given it;
the marked copy's bounded work; duplicate zip members; encrypted and Excel 97–2003 files told apart.

The bombs are read for real only in child processes under ``RLIMIT_AS`` and a timeout, so that a
regression fails the test instead of taking the machine down.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import time
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from data_access import annotate, xlsx
from data_access.readers import read_workbook
from data_access.texts.files import DUPLICATE_MEMBER, ENCRYPTED_WORKBOOK, LEGACY_XLS, OLE_OTHER
from data_access.xlsx import guard, text_extent
from tests.helpers import ROOT
from tests.workbooks import canonical_records, record
from vnfmt import fmt_int

MB = 2**20
DATA = ROOT / "tests" / "data"
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
MEMORY_LIMIT = 2048 * MB  # the children's address space: calamine aborts there, the machine does not


# ---------------------------------------------------------------------------- builders


def _replace(members: dict[str, Iterator[bytes] | bytes], base: bytes | None = None) -> bytes:
    """A real canonical workbook with ``members`` replaced or added; a generator member is written
    chunk by chunk (a 60 MB text never sits in memory)."""
    base = base if base is not None else canonical_records([record()])
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst,
    ):
        for name in src.namelist():
            if name not in members:
                dst.writestr(name, src.read(name))
        for name, body in members.items():
            with dst.open(name, "w") as fh:
                for chunk in [body] if isinstance(body, bytes) else body:
                    fh.write(chunk)
    return out.getvalue()


def _repeat(piece: bytes, size: int) -> Iterator[bytes]:
    block = piece * (MB // len(piece))
    for _ in range(size // len(block)):
        yield block
    yield piece * ((size % len(block)) // len(piece))


def _sst(*items: bytes) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?><sst ' + NS + b">" + b"".join(items) + b"</sst>"


def _sheet(cells: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
        + NS
        + b"><sheetData>"
        + cells
        + b"</sheetData></worksheet>"
    )


def shared_string_bomb(chars: int = 5_000_000, refs: int = 30_000) -> bytes:
    """The attack's file: one shared string of ``chars`` characters used by ``refs`` cells A1…A30000
    (calamine asks for ``chars × refs`` bytes: 150 GB)."""
    rows = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>0</v></c></row>' % (n, n) for n in range(1, refs + 1))
    strings = iter([_sst()[: -len(b"</sst>")] + b"<si><t>", *_repeat(b"A", chars), b"</t></si></sst>"])
    return _replace({STRINGS: strings, SHEET: _sheet(rows)})


def inline_cell_bomb(chars: int = 60 * MB) -> bytes:
    """One inline-string cell B2 of ``chars`` characters (the 60 MB single text cell)."""
    head = _sheet(b"")[: -len(b"</sheetData></worksheet>")]
    head += b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row><row r="2"><c r="B2" t="inlineStr"><is><t>'
    return _replace(
        {SHEET: iter([head, *_repeat(b"B", chars), b"</t></is></c></row></sheetData></worksheet>"])}
    )


def shared_cell_bomb(chars: int = 60 * MB) -> bytes:
    """One shared string of ``chars`` characters, used by one cell."""
    strings = iter([_sst()[: -len(b"</sst>")] + b"<si><t>", *_repeat(b"C", chars), b"</t></si></sst>"])
    return _replace({STRINGS: strings, SHEET: _sheet(b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>')})


def procedure_name_bomb(rows: int = 22_000, chars: int = 30_000) -> bytes:
    """A valid canonical workbook whose 'Tên TTHC' cells all use one shared string of ``chars``
    characters (under Excel's cell limit): the attack's 1.25 MB file that was accepted and grew the
    SQLite file to 668 MB (22,000 × 30,000 = 660 million characters)."""
    base = canonical_records([record(procedure_name="P") for _ in range(rows)])
    with zipfile.ZipFile(io.BytesIO(base)) as zf:
        xml = zf.read(SHEET)
    xml, n = re.subn(
        rb'<c r="(E\d+)" t="inlineStr"><is><t>P</t></is></c>', rb'<c r="\1" t="s"><v>0</v></c>', xml
    )
    assert n == rows
    return _replace({SHEET: xml, STRINGS: _sst(b"<si><t>" + b"T" * chars + b"</t></si>")}, base)


@pytest.fixture(scope="module")
def bomb_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("text_bombs")
    out = {}
    for key, build in (
        ("shared_string", shared_string_bomb),
        ("inline_cell", inline_cell_bomb),
        ("shared_cell", shared_cell_bomb),
        ("procedure_name", procedure_name_bomb),
    ):
        out[key] = folder / f"{key}.xlsx"
        out[key].write_bytes(build())
    return out


def test_the_bombs_are_the_attacks_small_files(bomb_files: dict[str, Path]) -> None:
    sizes = {k: p.stat().st_size for k, p in bomb_files.items()}
    assert 150_000 < sizes["shared_string"] < 170_000, sizes  # "a 161 KB workbook"
    assert sizes["procedure_name"] < 2 * MB, sizes  # "a 1,25 MB variant"
    assert all(s < 2 * MB for s in sizes.values()), sizes
    with zipfile.ZipFile(bomb_files["shared_string"]) as zf:  # under every earlier bound
        assert sum(i.file_size for i in zf.infolist()) < guard.MAX_UNCOMPRESSED_BYTES


# ---------------------------------------------------------------------------- refused before calamine


@pytest.fixture
def no_calamine(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(data: bytes) -> list[object]:  # pragma: no cover - must not be reached
        raise AssertionError("calamine was given a text bomb")

    monkeypatch.setattr(xlsx.workbook, "read_sheets", refuse)


@pytest.mark.usefixtures("no_calamine")
def test_the_161_kb_bomb_is_refused_naming_the_cell(bomb_files: dict[str, Path]) -> None:
    start = time.perf_counter()
    result = read_workbook(bomb_files["shared_string"].read_bytes(), filename="bomb.xlsx")
    elapsed = time.perf_counter() - start
    assert [i.code for i in result.errors] == ["cell_text_huge"], [i.format() for i in result.issues]
    issue = result.errors[0]
    # the shared string is 5,000,000 characters; Excel's limit is 32,767
    assert issue.message.startswith("Ô A1 chứa 5.000.000 ký tự, vượt giới hạn 32.767 ký tự"), issue.message
    assert (issue.sheet, issue.row, issue.col_index) == ("SoLieu", 1, 0)
    assert result.frame.empty
    assert elapsed < 5, elapsed


@pytest.mark.usefixtures("no_calamine")
@pytest.mark.parametrize(
    ("key", "code", "where"),
    [
        ("inline_cell", "cell_text_huge", ("SoLieu", 2, 1)),  # B2
        ("shared_cell", "text_bomb", ("", None, None)),  # the strings alone pass the bound
        ("procedure_name", "text_bomb", ("SoLieu", None, 4)),  # column E, where the total crossed
    ],
)
def test_the_other_variants_are_refused(
    key: str, code: str, where: tuple[str, int | None, int | None], bomb_files: dict[str, Path]
) -> None:
    result = read_workbook(bomb_files[key], filename=f"{key}.xlsx")
    assert [i.code for i in result.errors] == [code], [i.format() for i in result.issues]
    issue = result.errors[0]
    assert issue.sheet == where[0]
    if where[1] is not None:
        assert issue.row == where[1]
    assert issue.col_index == where[2]
    if key == "procedure_name":
        # 30,000 (the string itself) + 30,000 a cell: 665 cells make 19,980,000, the 666th
        # 20,010,000 > 20,000,000; rows start at 2, under the header: E667
        assert issue.row == 667 and "đến ô E667 của trang 'SoLieu'" in issue.message, issue.message
        assert "20.010.000" in issue.message and "20.000.000" in issue.message
    if key == "shared_cell":
        assert "bảng chuỗi dùng chung" in issue.message, issue.message


_CHILD = r"""
import json, os, resource, sys, time
start = time.perf_counter()
from data_access.__main__ import main
try:
    rc = main(sys.argv[1:])
except SystemExit as exc:
    rc = exc.code
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
with open(os.environ["BOMB_REPORT"], "w") as fh:
    json.dump({"rc": rc, "seconds": time.perf_counter() - start, "peak": peak}, fh)
"""


def _limited() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_cli_limited(args: list[str], report: Path, timeout: float = 120) -> tuple[dict[str, Any], str]:
    """``python -m data_access ARGS`` in a child under ``MEMORY_LIMIT`` and ``timeout``: its exit
    code, seconds and peak RSS (written by the child to ``report``), and its stderr."""
    import os

    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "BOMB_REPORT": str(report)},
        preexec_fn=_limited,  # (the child has no threads before exec)
    )
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail(f"the import took more than {timeout} s")
    assert report.exists(), f"the child died (exit {proc.returncode}): {err[-3000:]}"
    return json.loads(report.read_text()), err


def test_cli_refuses_the_161_kb_bomb_fast_and_small(bomb_files: dict[str, Path], tmp_path: Path) -> None:
    """Before the fix, under this 2 GB limit, the import aborted (SIGABRT) after 4 s at 1.7 GB; with
    no limit calamine asks for 150 GB."""
    db = tmp_path / "bomb.db"
    out, err = run_cli_limited(
        ["import", str(bomb_files["shared_string"]), "--db", f"sqlite:///{db}"], tmp_path / "report.json"
    )
    assert out["rc"] == 1, (out, err)
    assert "Ô A1 chứa 5.000.000 ký tự" in err and "trang 'SoLieu'" in err, err
    assert out["seconds"] < 5, out  # imports included
    assert out["peak"] < 500 * MB, out


def test_cli_refuses_every_variant_and_stores_nothing(bomb_files: dict[str, Path], tmp_path: Path) -> None:
    db = tmp_path / "variants.db"
    files = [str(bomb_files[k]) for k in ("inline_cell", "shared_cell", "procedure_name")]
    out, err = run_cli_limited(["import", *files, "--db", f"sqlite:///{db}"], tmp_path / "report.json")
    assert out["rc"] == 1, (out, err)
    assert err.count("LỖI") == 3, err
    assert out["peak"] < 500 * MB, out
    assert out["seconds"] < 20, out
    assert db.stat().st_size < 2 * MB  # the 668 MB of the attack: nothing stored


# ---------------------------------------------------------------------------- the bound follows calamine


_STRING_CASES = [
    b"<si><t>plain</t></si>",
    b"<si/>",  # an empty string (a later calamine drops it: the indices would move up)
    b"<si><r><t>ri</t></r><r><rPr><b/></rPr><t>ch</t></r></si>",
    b"<si><t>abc</t><rPh sb='0' eb='1'><t>PHONETIC-NOT-COUNTED</t></rPh></si>",
    b"<si><rPh><t>only phonetic</t></rPh></si>",  # empty
    b"<si><t>first</t><r><t>after the first t: skipped</t></r></si>",  # (by a later calamine)
    b"<si><r><t>a</t></r><rPh><t>skip</t></rPh><t>b</t></si>",
    b"<si><t>x &amp; y &#x1EC7;</t></si>",
    b"<si><t></t></si>",
    b"<si><r></r></si>",
    b"<si><t xml:space='preserve'>  spaced  </t></si>",
    b"<si><t>a<t>nested</t>tail</t></si>",  # a <t> ends at the first </t>: "anested"
    b"<x:si xmlns:x='urn:s'><x:t>pp</x:t></x:si>",
    b"<si><t>q<!--c-->r<![CDATA[<z>]]></t></si>",  # CDATA counts
    b"<si><foo><t>in foo</t></foo></si>",
    b"<si><si><t>inner</t></si><t>outer</t></si>",
]


def test_shared_string_lengths_match_what_calamine_reads() -> None:
    """Each string's length as computed matches the text calamine puts in a cell that uses it."""
    strings = _sst(*_STRING_CASES)
    with zipfile.ZipFile(io.BytesIO(_replace({STRINGS: strings}))) as zf:
        lengths = list(text_extent.shared_string_lengths(zf, zf.getinfo(STRINGS), text_extent._Budget()))
    cells = b"".join(
        b'<row r="%d"><c r="A%d" t="s"><v>%d</v></c></row>' % (i + 1, i + 1, i) for i in range(len(lengths))
    )
    data = _replace({STRINGS: strings, SHEET: _sheet(cells)})
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    seen = [len(str(row[0])) for row in wb.get_sheet_by_name("SoLieu").to_python()]
    assert len(lengths) == len(_STRING_CASES)  # calamine 0.37 keeps an empty <si/> (index kept)
    assert lengths == seen
    assert lengths[5] == len("first") + len("after the first t: skipped")  # every <t> joined


def _sheet_text(cells: bytes, strings: bytes) -> int | None:
    """The characters counted for a sheet, or None when refused."""
    data = _replace({STRINGS: strings, SHEET: _sheet(cells)})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        budget = text_extent._Budget()
        lengths = text_extent.shared_string_lengths(zf, zf.getinfo(STRINGS), budget)
        budget.total = 0
        if not text_extent._weigh_fast(zf, zf.getinfo(SHEET), lengths, budget):
            text_extent._weigh_walk(zf, zf.getinfo(SHEET), lengths, budget)
        return budget.total


def test_an_empty_si_keeps_its_index_as_calamine_does() -> None:
    """calamine 0.37 keeps an empty <si/>: index 1 is the 40,000 characters, index 0 is empty."""
    strings = _sst(b"<si/>", b"<si><t>" + b"L" * 40_000 + b"</t></si>")
    for v, refused in ((b"1", True), (b"0", False)):
        cell = b'<row r="1"><c r="C1" t="s"><v>' + v + b"</v></c></row>"
        issue = guard.check_container(_replace({STRINGS: strings, SHEET: _sheet(cell)}), "a.xlsx")
        if refused:
            assert issue is not None and issue.code == "cell_text_huge", issue
            assert issue.message.startswith("Ô C1 chứa 40.000 ký tự"), issue.message
        else:
            assert issue is None, issue


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        # fast path: two cells using string 1 (10 chars) and string 0 (3): 10 + 3 = 13
        (b'<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="s"><v>0</v></c></row>', 13),
        # (walked sheets count every character inside a cell as well: the digits of its <v>)
        # a prefixed cell is walked: 10 + 3, plus the digits "1" and "0": 15
        (
            b'<row r="1"><x:c xmlns:x="urn:x" r="A1" t="s"><x:v>1</x:v></x:c><c r="B1" t="s"><v>0</v></c></row>',
            15,
        ),
        # calamine reads " 1" as index 0; not plain digits: the longest (10) + the 2 characters: 12
        (b'<row r="1"><c r="A1" t="s"><v> 1</v></c></row>', 12),
        # calamine takes a cell's last <v>: walked, string 1 (10, not string 0's 3) + 2 digits: 12
        (b'<row r="1"><c r="A1" t="s"><v>0</v><v>1</v></c></row>', 12),
        # a comment splitting the digits: calamine reads "0"; expat joins "01": the longest + 2: 12
        (b'<row r="1"><c r="A1" t="s"><v>0<!-- -->1</v></c></row>', 12),
        # single quotes and spaces around '=': a plain shared-string cell too: 10
        (b"<row r='1'><c r='A1' t = 's'><v>1</v></c></row>", 10),
        # inline text of 30 bytes is counted (runs of at most 24 bytes are the cell's cost)
        (b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"i" * 30 + b"</t></is></c></row>", 30),
    ],
)
def test_sheet_weighing(cells: bytes, expected: int) -> None:
    strings = _sst(b"<si><t>abc</t></si>", b"<si><t>0123456789</t></si>")
    # the shared strings count once themselves: 3 + 10 = 13 (reset before weighing the sheet)
    assert _sheet_text(cells, strings) == expected


def test_an_ordinary_workbook_is_weighed_in_the_fast_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_walk(*a: object) -> None:  # pragma: no cover - must not be reached
        raise AssertionError("an ordinary sheet was walked")

    monkeypatch.setattr(text_extent, "_weigh_walk", no_walk)
    for path in [
        DATA / "so-lieu-mau.xlsx",
        DATA / "bao-cao-06a-mau.xlsx",
        *sorted((ROOT / "sample_data").glob("so-lieu-*.xlsx"))[:2],
    ]:
        assert guard.check_container(path.read_bytes(), path.name) is None, path


def test_lowered_bounds_are_read_at_each_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """The template's header row holds 300-odd characters of text runs: a bound of 100 refuses it,
    at the sheet (no single cell passes a cell bound of 32,767)."""
    data = canonical_records([record()])
    assert guard.check_container(data, "a.xlsx") is None
    monkeypatch.setattr(text_extent, "MAX_TEXT_CHARS", 100)
    issue = guard.check_container(data, "a.xlsx")
    assert issue is not None and issue.code == "text_bomb" and issue.sheet == "SoLieu", issue


def _two_sheets(target: str, sheet: bytes) -> bytes:
    """A workbook with sheets 'A' and 'B' both reading ``target`` (a path under xl/), which holds ``sheet``."""
    workbook = (
        b'<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        + NS
        + b'><sheets><sheet name="A" sheetId="1" r:id="rId1"/><sheet name="B" sheetId="2" r:id="rId1"/>'
        b"</sheets></workbook>"
    )
    rels = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'worksheet" Target="' + target.encode() + b'"/></Relationships>'
    )
    members = {SHEET: _sheet(b""), "xl/workbook.xml": workbook, "xl/_rels/workbook.xml.rels": rels}
    return _replace({**members, f"xl/{target}": sheet})  # (the base's sheet emptied: no text of its own)


def test_a_member_read_by_two_sheets_counts_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    """calamine reads the member once per sheet that names it: 2 × 600 characters of inline text."""
    cell = b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"w" * 600 + b"</t></is></c></row>"
    data = _two_sheets("worksheets/deep/x.xml", _sheet(cell))
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert [len(str(wb.get_sheet_by_name(n).to_python()[0][0])) for n in ("A", "B")] == [600, 600]
    monkeypatch.setattr(text_extent, "MAX_TEXT_CHARS", 1000)  # 600 passes, 2 × 600 = 1,200 does not
    issue = guard.check_container(data, "a.xlsx")
    assert issue is not None and issue.code == "text_bomb" and issue.sheet == "B", issue
    monkeypatch.setattr(text_extent, "MAX_TEXT_CHARS", 1200)
    assert guard.check_container(data, "a.xlsx") is None


def test_too_many_sheets_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_extent, "MAX_SHEETS", 1)
    issue = guard.check_container(_two_sheets("worksheets/sheet1.xml", _sheet(b"")), "a.xlsx")
    assert issue is not None and issue.code == "unreadable" and "hơn 1 trang tính" in issue.message, issue


def test_too_many_shared_strings_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_extent, "MAX_SHARED_STRINGS", 3)
    data = _replace({STRINGS: _sst(*[b"<si><t>s</t></si>"] * 4)})
    issue = guard.check_container(data, "a.xlsx")
    assert issue is not None and issue.code == "shared_strings_bomb", issue


def test_a_dtd_in_the_shared_strings_is_unreadable() -> None:
    strings = (
        b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">]><sst '
        + NS
        + b"><si><t>&a;</t></si></sst>"
    )
    issue = guard.check_container(_replace({STRINGS: strings}), "a.xlsx")
    assert issue is not None and issue.code == "unreadable", issue


# ---------------------------------------------------------------------------- duplicate members


@pytest.mark.parametrize("second", [SHEET, SHEET.upper()])
def test_a_zip_with_two_members_of_one_name_is_refused(second: str) -> None:
    """Python's zipfile (and openpyxl) take the later one, calamine the first: refused, named."""
    base = canonical_records([record()])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, src.read(name))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile: "Duplicate name"
            dst.writestr(second, _sheet(b'<row r="1"><c r="A1"><v>1</v></c></row>'))
    result = read_workbook(out.getvalue(), filename="dup.xlsx")
    assert [i.code for i in result.errors] == ["unreadable"]
    assert DUPLICATE_MEMBER.format(member=second) in result.errors[0].message


# ---------------------------------------------------------------------------- OLE files


@pytest.mark.parametrize(
    ("name", "detail"),
    [
        ("so-lieu-97-2003.xls", LEGACY_XLS),  # written by xlwt 1.3.0 (a 'Workbook' stream)
        ("so-lieu-mat-khau.xlsx", ENCRYPTED_WORKBOOK),  # so-lieu-mau.xlsx encrypted by msoffcrypto-tool 6.1.0
    ],
)
def test_encrypted_and_legacy_workbooks_get_their_own_words(name: str, detail: str) -> None:
    result = read_workbook(DATA / name)
    assert [i.code for i in result.errors] == ["not_excel"]
    assert result.errors[0].message.endswith(detail)


def test_an_other_or_broken_ole_file_is_not_an_xlsx() -> None:
    data = (DATA / "so-lieu-97-2003.xls").read_bytes()
    for broken in (
        data[:600],
        data[:8] + b"\x00" * 600,
        data.replace("Workbook".encode("utf-16-le"), "Nothing!".encode("utf-16-le")),
    ):
        result = read_workbook(broken, filename="x.xls")
        assert [i.code for i in result.errors] == ["not_excel"]
        assert result.errors[0].message.endswith(OLE_OTHER)


# ---------------------------------------------------------------------------- the marked copy


def _many_errors(errors: int = 3000, merged: int = 1500) -> bytes:
    """A canonical workbook of ``errors`` rows each with a negative count (one error a row) and
    ``merged`` merged pairs of cells to the right of the table."""
    wb = openpyxl.load_workbook(
        io.BytesIO(canonical_records([record(received_direct=-1) for _ in range(errors)]))
    )
    ws = wb["SoLieu"]
    for i in range(merged):
        ws.merge_cells(start_row=i + 2, start_column=30, end_row=i + 2, end_column=31)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_the_marked_copy_is_capped_and_indexes_merges_once(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _many_errors()
    result = read_workbook(data, filename="loi.xlsx")
    assert len(result.errors) >= 3000
    built: list[str] = []
    real = annotate.MergeIndex

    class Counting(real):  # type: ignore[misc, valid-type]
        def __init__(self, ws: Any) -> None:
            built.append(ws.title)
            super().__init__(ws)

    monkeypatch.setattr(annotate, "MergeIndex", Counting)
    start = time.perf_counter()
    marked = annotate.annotate_workbook(data, result.issues)
    elapsed = time.perf_counter() - start
    assert built == ["SoLieu"]  # one index for the sheet, not one scan per issue
    wb = openpyxl.load_workbook(io.BytesIO(marked))
    comments = sum(1 for row in wb["SoLieu"].iter_rows() for c in row if c.comment is not None)
    assert comments == annotate.MAX_MARKED == 200
    listing = wb[annotate.LIST_SHEET]
    assert listing.max_row == 1 + 200 + 1  # header, 200 issues, the note
    more = len(result.issues) - 200
    note = str(listing.cell(row=listing.max_row, column=1).value)
    assert note.startswith(f"Còn {fmt_int(more)} vấn đề nữa"), note
    assert elapsed < 10, elapsed  # measured ≈ 1 s; the attack's copy ran past 300 s


def test_a_merge_of_the_whole_sheet_is_not_opened(monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl makes a cell object of every merged cell: A1:XFD1048576 is 17 billion of them."""

    def no_openpyxl(*a: object, **k: object) -> None:  # pragma: no cover - must not be reached
        raise AssertionError("openpyxl was given the merge")

    monkeypatch.setattr(annotate, "load_workbook", no_openpyxl)
    base = canonical_records([record(received_direct=-1)])
    with zipfile.ZipFile(io.BytesIO(base)) as zf:
        xml = zf.read(SHEET)
    for merge in (b'<mergeCell ref="A1:XFD1048576"/>', b'<mergeCell ref="&#65;1:XFD1048576"/>'):
        hostile = _replace(
            {
                SHEET: xml.replace(
                    b"</sheetData>", b"</sheetData><mergeCells count='1'>" + merge + b"</mergeCells>"
                )
            },
            base,
        )
        issues = read_workbook(hostile, filename="m.xlsx").issues
        with pytest.raises(annotate.AnnotateError, match="ô gộp"):
            annotate.annotate_workbook(hostile, issues)


@pytest.mark.usefixtures("no_calamine")
def test_the_text_bombs_are_not_opened_to_mark_them(
    bomb_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_openpyxl(*a: object, **k: object) -> None:  # pragma: no cover - must not be reached
        raise AssertionError("openpyxl was given a text bomb")

    monkeypatch.setattr(annotate, "load_workbook", no_openpyxl)
    data = bomb_files["shared_string"].read_bytes()
    with pytest.raises(annotate.AnnotateError, match="cell_text_huge"):
        annotate.annotate_workbook(data, read_workbook(data).errors)
