"""The procedure catalog (danh mục TTHC, procedures.md): reader, versioned store, CLI, sample file."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from data_access.__main__ import main
from data_access.audit import read_audit
from data_access.columns import CATALOG_COLUMNS, CATALOG_FLAGS
from data_access.procedure_catalog import (
    catalog_changes,
    catalog_in_force,
    catalog_versions,
    import_catalog,
    is_catalog_workbook,
    load_sample_catalog_if_empty,
    save_catalog,
)
from data_access.roles import cli_actor
from data_access.store import open_engine
from data_access.texts.procedure_catalog import CATALOG_HEADERS
from data_access.xlsx.procedure_catalog import CatalogRead, parse_level, parse_yes_no, read_catalog
from tests.helpers import ROOT
from tests.workbooks import to_bytes

SAMPLE = ROOT / "sample_data" / "danh-muc-tthc.xlsx"
TRH = "Phòng Giáo dục Trung học"
HEADER = [CATALOG_HEADERS[c] for c in CATALOG_COLUMNS]


def row(
    code: object = "1.005090",
    name: object = "Chuyển trường đối với học sinh trung học phổ thông",
    field: object = "Giáo dục trung học",
    unit: object = TRH,
    level: object = "toàn trình",
    eligible: object = "có",
    portal: object = "có",
    fee: object = "không",
    postal: object = "có",
) -> list[object]:
    return [code, name, field, unit, level, eligible, portal, fee, postal]


def book(rows: list[list[object]], header: list[object] | None = None, sheet: str = "DanhMucTTHC") -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    ws.append(HEADER if header is None else header)
    for r in rows:
        ws.append(r)
    return to_bytes(wb)


def read(rows: list[list[object]], **kw: object) -> CatalogRead:
    return read_catalog(book(rows, **kw), filename="dm.xlsx")  # type: ignore[arg-type]


def only_error(r: CatalogRead) -> object:
    assert not r.ok
    assert r.frame.empty  # refused whole
    assert len(r.errors) == 1, [i.format() for i in r.errors]
    return r.errors[0]


# ---- reader: good input ----


def test_sample_catalog_reads_clean() -> None:
    r = read_catalog(SAMPLE)
    assert r.ok, [i.format() for i in r.issues]
    assert r.issues == []
    assert list(r.frame.columns) == list(CATALOG_COLUMNS)
    # 36 procedures of lines.toml + 10 with no row in the figures
    assert len(r.frame) == 46
    assert r.frame["procedure_code"].is_unique
    for flag in CATALOG_FLAGS:
        assert str(r.frame[flag].dtype) == "boolean"
    assert set(r.frame["online_level"]) == {"toàn trình", "một phần", "không"}
    counts = r.frame["online_level"].value_counts()
    assert counts["toàn trình"] > counts["một phần"] > counts["không"] > 0
    # the fee flag comes from lines.toml: 1.005092 (bản sao văn bằng) charges one, 1.005099 does not
    fee = r.frame.set_index("procedure_code")["has_fee"]
    assert fee["1.005092"] and not fee["1.005099"]
    # one postal cell left empty in the sample: unknown, never "no"
    assert r.frame["postal_allowed"].isna().sum() == 1
    assert r.frame["on_national_portal"].sum() > len(r.frame) * 0.75


def test_sample_codes_cover_the_figures() -> None:
    from sample_data.generate import LINES

    codes = {p.code for line in LINES for p in line.procedures}
    assert len(codes) == 36
    frame = read_catalog(SAMPLE).frame
    assert codes <= set(frame["procedure_code"])
    assert len(set(frame["procedure_code"]) - codes) == 10


def test_sample_file_is_what_the_script_makes() -> None:
    from sample_data.make_catalog import catalog_bytes

    assert SAMPLE.read_bytes() == catalog_bytes()


def test_spellings_of_levels_and_yes_no() -> None:
    rows = [
        row("1.000001", level="Mức 4", eligible="X", portal="1", fee="yes", postal="Đúng"),
        row("1.000002", level="MOT PHAN", eligible="khong", portal=0, fee="No", postal="sai"),
        row("1.000003", level="mức 2", eligible=None, portal="", fee="CÓ", postal=True),
        row("1.000004", level="Cung cấp thông tin", eligible="Không", portal=1, fee=None, postal=False),
        row("1.000005", level="mức 3", eligible="co", portal="Có", fee="dung", postal="x"),
    ]
    r = read(rows)
    assert r.ok, [i.format() for i in r.issues]
    f = r.frame.set_index("procedure_code")
    assert f["online_level"].tolist() == ["toàn trình", "một phần", "không", "không", "một phần"]
    assert f.loc["1.000001", list(CATALOG_FLAGS)].tolist() == [True, True, True, True]
    assert f.loc["1.000002", list(CATALOG_FLAGS)].tolist() == [False, False, False, False]
    # empty cells are unknown (NA), never "no"
    assert pd.isna(f.at["1.000003", "full_online_eligible"]) and pd.isna(
        f.at["1.000003", "on_national_portal"]
    )
    assert pd.isna(f.at["1.000004", "has_fee"])
    assert f.at["1.000005", "postal_allowed"]


def test_parse_helpers() -> None:
    assert parse_level(4.0) == "toàn trình" and parse_level("toàn   trình") == "toàn trình"
    assert parse_level("mức độ 5") is None
    assert parse_yes_no(" ") == (None, True)
    assert parse_yes_no("có thể") == (None, False)
    assert parse_yes_no(2) == (None, False)


def test_headers_any_case_and_accents_other_sheet_name_and_aliases() -> None:
    header = ["ma tthc", "TÊN THỦ TỤC", "lĩnh vực", "đơn vị chủ trì", "Mức độ", "du dieu kien toan trinh"]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Danh sách"
    ws.append(["DANH MỤC THỦ TỤC HÀNH CHÍNH SỞ GD&ĐT"])  # a title row above the header
    ws.append(header)
    ws.append(row()[:6])
    r = read_catalog(to_bytes(wb), filename="dm.xlsx")
    assert r.ok, [i.format() for i in r.issues]
    assert r.sheet == "Danh sách"
    assert r.excel_rows == [3]
    # unit and field by another spelling the units/fields catalog knows: stored by its name
    assert r.frame.at[0, "unit"] == TRH
    # columns left out: unknown for every procedure
    assert r.frame["has_fee"].isna().all() and r.frame["postal_allowed"].isna().all()
    assert r.frame.at[0, "full_online_eligible"]


def test_number_code_is_read_with_its_zeros_and_warned() -> None:
    r = read([row(code=1.00509)])
    assert r.ok
    assert r.frame.at[0, "procedure_code"] == "1.005090"
    (w,) = r.warnings
    assert (w.code, w.row, w.column) == ("code_number", 2, "Mã TTHC")


# ---- reader: bad input (refused whole, each error with sheet, row, column, value) ----


def test_unknown_unit_suggests_closest_name() -> None:
    e = only_error(read([row(), row("1.005091", unit="Phòng Giáo dục Trung hoc sở")]))
    assert (e.code, e.sheet, e.row, e.column, e.col_index, e.value) == (  # type: ignore[attr-defined]
        "unit_unknown",
        "DanhMucTTHC",
        3,
        "Đơn vị chủ trì",
        3,
        "Phòng Giáo dục Trung hoc sở",
    )
    assert f"'{TRH}'" in e.message  # type: ignore[attr-defined]
    assert "DanhMucTTHC" in e.format() and "dòng 3" in e.format()  # type: ignore[attr-defined]


def test_unknown_field() -> None:
    e = only_error(read([row(field="Giáo dục trung họcc")]))
    assert (e.code, e.row, e.column, e.value) == ("field_unknown", 2, "Lĩnh vực", "Giáo dục trung họcc")  # type: ignore[attr-defined]
    assert "'Giáo dục trung học'" in e.message  # type: ignore[attr-defined]


def test_unknown_level() -> None:
    e = only_error(read([row(level="trực tuyến")]))
    assert (e.code, e.row, e.column, e.col_index, e.value) == (
        "level_unknown",
        2,
        "Mức độ DVCTT",
        4,
        "trực tuyến",
    )  # type: ignore[attr-defined]


def test_duplicate_code_names_both_rows() -> None:
    e = only_error(read([row(), row("1.005091"), row(" 1.005090 ", name="Khác")]))
    assert (e.code, e.row, e.column, e.value) == ("code_duplicate", 4, "Mã TTHC", "1.005090")  # type: ignore[attr-defined]
    assert "dòng 2" in e.message  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("index", "code", "column"),
    [
        (0, "code_missing", "Mã TTHC"),
        (1, "name_missing", "Tên TTHC"),
        (2, "field_missing", "Lĩnh vực"),
        (3, "unit_missing", "Đơn vị chủ trì"),
        (4, "level_missing", "Mức độ DVCTT"),
    ],
)
def test_missing_required_cell(index: int, code: str, column: str) -> None:
    cells = row()
    cells[index] = None
    e = only_error(read([row("1.000001"), cells]))
    assert (e.code, e.row, e.column, e.col_index) == (code, 3, column, index)  # type: ignore[attr-defined]


def test_yes_no_cell_with_another_word() -> None:
    e = only_error(read([row(portal="chưa")]))
    assert (e.code, e.row, e.column, e.col_index, e.value) == (
        "flag_unknown",
        2,
        "Tích hợp Cổng DVCQG",
        6,
        "chưa",
    )  # type: ignore[attr-defined]


def test_every_error_of_the_file_is_collected() -> None:
    r = read([row(level="mức 9"), row("1.000002", unit="Phòng Không Có"), row("1.000003", postal="hmm")])
    assert not r.ok and r.frame.empty
    assert [(i.code, i.row) for i in r.errors] == [
        ("level_unknown", 2),
        ("unit_unknown", 3),
        ("flag_unknown", 4),
    ]


def test_text_file_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "danh-muc.xlsx"
    path.write_text("Mã TTHC;Tên TTHC\n1.005090;x\n", encoding="utf-8")
    r = read_catalog(path)
    e = only_error(r)
    assert e.code == "not_excel"  # type: ignore[attr-defined]
    assert e.file == "danh-muc.xlsx"  # type: ignore[attr-defined]
    assert not is_catalog_workbook(path.read_bytes())


def test_missing_column_and_no_catalog_sheet() -> None:
    e = only_error(read([row()[:1] + row()[2:]], header=HEADER[:1] + HEADER[2:]))
    assert (e.code, e.row, e.column) == ("catalog_missing_column", 1, "Tên TTHC")  # type: ignore[attr-defined]
    e = only_error(read([["a", "b"]], header=["Kỳ báo cáo", "Đơn vị"], sheet="SoLieu"))
    assert e.code == "no_catalog_sheet"  # type: ignore[attr-defined]


def test_is_catalog_workbook() -> None:
    assert is_catalog_workbook(SAMPLE.read_bytes())
    assert is_catalog_workbook(book([row()], sheet="Trang1"))  # by its headers
    assert not is_catalog_workbook((ROOT / "sample_data" / "so-lieu-2023-01.xlsx").read_bytes())


# ---- store: versions by effective month, SQLite and PostgreSQL ----


def _frame(rows: list[list[object]]) -> pd.DataFrame:
    r = read(rows)
    assert r.ok, [i.format() for i in r.issues]
    return r.frame


def test_versions_mid_year(engine: sa.Engine) -> None:
    january = _frame([row(), row("1.005091", level="một phần", portal=None)])
    july = _frame([row(level="một phần"), row("1.005093", fee="có")])
    v1 = save_catalog(
        engine, january, effective="2024-01", user="Chị Lan", file_name="dm-01.xlsx", sha256="a" * 64
    )
    v2 = save_catalog(
        engine, july, effective="2024-07", user="Chị Lan", file_name="dm-07.xlsx", sha256="b" * 64
    )
    assert v2 > v1

    assert catalog_in_force(engine, "2023-12").empty
    assert list(catalog_in_force(engine, "2023-12").columns) == list(CATALOG_COLUMNS)
    h1 = catalog_in_force(engine, "2024-06")
    assert h1["procedure_code"].tolist() == ["1.005090", "1.005091"]
    assert pd.isna(h1.at[1, "on_national_portal"])  # unknown survives the round trip
    for flag in CATALOG_FLAGS:
        assert str(h1[flag].dtype) == "boolean"
    pd.testing.assert_frame_equal(h1, january.sort_values("procedure_code").reset_index(drop=True))
    h2 = catalog_in_force(engine, "2024-07")
    assert h2["procedure_code"].tolist() == ["1.005090", "1.005093"]
    assert h2["online_level"].tolist() == ["một phần", "toàn trình"]
    assert catalog_in_force(engine, "2025-03")["procedure_code"].tolist() == ["1.005090", "1.005093"]

    versions = catalog_versions(engine)
    assert versions["id"].tolist() == [v2, v1]
    assert versions["effective"].tolist() == ["2024-07", "2024-01"]
    assert versions["row_count"].tolist() == [2, 2]
    assert versions["user_name"].tolist() == ["Chị Lan", "Chị Lan"]

    changes = catalog_changes(engine, v1, v2).set_index("procedure_code")
    assert changes["change"].to_dict() == {"1.005090": "changed", "1.005091": "removed", "1.005093": "added"}
    assert changes.at["1.005090", "columns"] == ("online_level",)

    audit = read_audit(engine, cli_actor())
    assert (audit["action"] == "catalog_upload").sum() == 2


def test_a_later_upload_for_an_earlier_month_wins(engine: sa.Engine) -> None:
    """The catalog in force is the latest upload (highest id) whose effective month is not after the month."""
    a = save_catalog(engine, _frame([row()]), effective="2024-01", file_name="a", sha256="a")
    save_catalog(engine, _frame([row("1.000002")]), effective="2024-07", file_name="b", sha256="b")
    c = save_catalog(engine, _frame([row("1.000003")]), effective="2024-03", file_name="c", sha256="c")
    assert a < c
    assert catalog_in_force(engine, "2024-02")["procedure_code"].tolist() == ["1.005090"]
    assert catalog_in_force(engine, "2024-08")["procedure_code"].tolist() == ["1.000003"]


def test_refused_file_stores_nothing(engine: sa.Engine) -> None:
    r, vid = import_catalog(engine, book([row(), row()]), effective="2024-01", filename="dm.xlsx")
    assert vid is None and not r.ok
    assert catalog_versions(engine).empty
    with pytest.raises(ValueError):
        save_catalog(engine, _frame([row()]), effective="2024-13", file_name="x", sha256="x")
    assert catalog_versions(engine).empty


def test_sample_catalog_loads_once(sqlite_url: str) -> None:
    engine = open_engine(sqlite_url)
    vid = load_sample_catalog_if_empty(engine, SAMPLE.parent, user="dữ liệu mẫu")
    assert vid is not None
    assert load_sample_catalog_if_empty(engine, SAMPLE.parent, user="dữ liệu mẫu") is None
    assert len(catalog_in_force(engine, "2023-01")) == 46
    assert catalog_versions(engine)["effective"].tolist() == ["2023-01"]


# ---- command line ----


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_import_and_list(sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "catalog", "import", str(SAMPLE), "--effective", "2024-01", "--db", sqlite_url
    )
    assert code == 0, err
    assert (
        out.strip()
        == "danh-muc-tthc.xlsx: đã nhập danh mục 46 TTHC, hiệu lực từ tháng 01/2024 (phiên bản #1)"
    )
    code, out, _ = run(
        capsys, "catalog", "list", "--period", "2024-03", "--db", sqlite_url, "--format", "json"
    )
    assert code == 0
    records = json.loads(out)
    assert len(records) == 46
    assert all(list(r) == list(CATALOG_COLUMNS) for r in records)
    assert sum(r["postal_allowed"] is None for r in records) == 1
    code, out, _ = run(capsys, "catalog", "list", "--period", "2024-03", "--db", sqlite_url)
    assert code == 0 and "46 thủ tục" in out.splitlines()[0]
    code, out, _ = run(capsys, "catalog", "list", "--period", "12/2023", "--db", sqlite_url)
    assert code == 0 and "Chưa có danh mục TTHC" in out


def test_cli_refuses_with_every_error(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "dm.xlsx"
    bad.write_bytes(book([row(level="mức 9"), row("1.000002", portal="chưa")]))
    code, out, err = run(capsys, "catalog", "import", str(bad), "--effective", "2024-01", "--db", sqlite_url)
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert sum(line.startswith("LỖI") for line in lines) == 2
    assert "dòng 2" in lines[0] and "dòng 3" in lines[1]
    assert catalog_versions(open_engine(sqlite_url)).empty  # database unchanged
    code, _, err = run(capsys, "catalog", "import", str(SAMPLE), "--effective", "2024-13", "--db", sqlite_url)
    assert code == 2 and "2024-13" in err
