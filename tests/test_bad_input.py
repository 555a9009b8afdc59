"""Malformed workbooks, generated here: every one is refused (exit 1), located, and changes nothing.

The whole corpus goes through ``data_access.__main__.main`` in-process; a few cases also
through a real ``python -m data_access`` subprocess.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook

from data_access.__main__ import main
from data_access.columns import HEADERS, TEMPLATE_COLUMNS
from data_access.store import dump, import_files, open_engine
from tests.helpers import EXAMPLES, ROOT
from tests.workbooks import (
    HEADER,
    canonical,
    canonical_records,
    official,
    official_row,
    record,
    to_bytes,
    write,
)

H = HEADERS


@dataclass(frozen=True)
class Case:
    make: Callable[[], bytes]
    says: str  # a fragment of the Vietnamese message
    row: int | None = None  # Excel row named in the error
    column: str | None = None  # column header named in the error
    args: tuple[str, ...] = ()


def _rows(*recs: dict) -> Callable[[], bytes]:
    return lambda: canonical_records(list(recs))


def _without(code: str) -> Callable[[], bytes]:
    codes = [c for c in TEMPLATE_COLUMNS if c != code]
    return lambda: canonical_records([record()], codes)


def _with_total(total: str, value: int) -> Callable[[], bytes]:
    return lambda: canonical_records(
        [record(), record(field="Thi, tuyển sinh", **{total: value})], [*TEMPLATE_COLUMNS, total]
    )


def _duplicate_column() -> bytes:
    return canonical([[*[record().get(c) for c in TEMPLATE_COLUMNS], 3]], [*HEADER, "tiep nhan truc tiep"])


def _empty_workbook() -> bytes:
    return to_bytes(Workbook())


def _truncated() -> bytes:
    data = (EXAMPLES / "so-lieu-mau.xlsx").read_bytes()
    return data[: len(data) // 2]


def _no_table() -> bytes:
    wb = Workbook()
    wb.active.title = "Trang tính 1"
    wb.active.append(["Ghi chép", "không phải bảng số liệu"])
    wb.active.append([1, 2, 3])
    return to_bytes(wb)


def _official_two_months() -> bytes:
    line = "Kỳ báo cáo: Quý II năm 2024 (Từ ngày 01/05/2024 đến ngày 30/06/2024)"
    return official([official_row("Giáo dục trung học", 10, 5, 2, 3, 4, 1, 6, 1)], period_line=line)


def _official_ok() -> bytes:
    return official([official_row("Giáo dục trung học", 10, 5, 2, 3, 4, 1, 6, 1)])


def _official_text_cell() -> bytes:
    row = list(official_row("Giáo dục trung học", 10, 5, 2, 3, 4, 1, 6, 1))
    row[8] = "hai"  # column (10) Quá hạn of "đã giải quyết"
    return official([official_row("Thi, tuyển sinh", 1, 1, 1, 1, 1, 1, 1, 0), tuple(row)], total_row=False)


CASES: dict[str, Case] = {
    "negative-count": Case(
        _rows(record(), record(field="Thi, tuyển sinh", withdrawn=-3)), "âm", 3, H["withdrawn"]
    ),
    "fractional-count": Case(_rows(record(carried_over=12.5)), "không phải số nguyên", 2, H["carried_over"]),
    "text-count": Case(
        _rows(record(received_direct="abc")), "'abc' không phải là số", 2, H["received_direct"]
    ),
    "text-fraction": Case(
        _rows(record(received_postal="1,5")), "không phải số nguyên", 2, H["received_postal"]
    ),
    "unknown-unit": Case(
        _rows(record(unit="Phòng Giáo dục Trung hoc x")),
        "Có phải là 'Phòng Giáo dục Trung học'?",
        2,
        H["unit"],
    ),
    "unknown-field": Case(
        _rows(record(field="Giao duc trung hocc")), "Có phải là 'Giáo dục trung học'?", 2, H["field"]
    ),
    "missing-unit-cell": Case(_rows(record(unit=None)), "Thiếu tên đơn vị", 2, H["unit"]),
    "missing-required-column": Case(_without("field"), "Thiếu cột bắt buộc 'Lĩnh vực'", 1, H["field"]),
    "missing-period-column": Case(_without("period"), "Thiếu cột bắt buộc 'Kỳ báo cáo'", 1, H["period"]),
    "missing-period": Case(
        _rows(record(), record(period=None, field="Thi, tuyển sinh")), "Thiếu kỳ báo cáo", 3, H["period"]
    ),
    "unparseable-period": Case(_rows(record(period="tháng sáu")), "không hợp lệ", 2, H["period"]),
    "impossible-period": Case(_rows(record(period="13/2024")), "'13/2024' không hợp lệ", 2, H["period"]),
    "future-period": Case(_rows(record(period="01/2099")), "01/2099 ở tương lai", 2, H["period"]),
    "results-digitized-gt-resolved": Case(
        _rows(record(results_digitized=16)), "lớn hơn 'Đã giải quyết' = 15", 2, H["results_digitized"]
    ),
    "returned-postal-gt-resolved": Case(
        _rows(record(returned_postal=16)), "lớn hơn 'Đã giải quyết' = 15", 2, H["returned_postal"]
    ),
    "payments-online-gt-total": Case(_rows(record(payments_online=6)), "= 5", 2, H["payments_online"]),
    "dossiers-digitized-gt-received": Case(
        _rows(record(dossiers_digitized=21)),
        "'Tiếp nhận trong kỳ + Từ kỳ trước chuyển sang' = 20",
        2,
        H["dossiers_digitized"],
    ),
    "total-differs-from-parts": Case(
        _with_total("received_online", 13), "khác tổng các thành phần", 3, H["received_online"]
    ),
    "resolved-differs-from-parts": Case(_with_total("resolved", 14), "= 15", 3, H["resolved"]),
    "same-key-twice": Case(
        _rows(record(), record(field="Thi, tuyển sinh"), record(period="2024-06")), "Trùng khóa", 4, None
    ),
    "duplicated-column": Case(_duplicate_column, "xuất hiện hai lần", 1, "tiep nhan truc tiep"),
    "header-only": Case(lambda: canonical([]), "Không có dòng số liệu", 1, None),
    "empty-workbook": Case(_empty_workbook, "không có trang tính nào có dữ liệu"),
    "text-file": Case(
        lambda: "Kỳ báo cáo;Đơn vị\n06/2024;Phòng GDTrH\n".encode(), "không phải sổ tính Excel"
    ),
    "empty-file": Case(lambda: b"", "tệp rỗng"),
    "truncated-file": Case(_truncated, "Không đọc được tệp Excel"),
    "no-table": Case(_no_table, "Không tìm thấy bảng số liệu"),
    "official-two-months": Case(
        _official_two_months, "trải qua nhiều tháng", 5, "Kỳ báo cáo", ("--unit", "Phòng GDTrH")
    ),
    "official-without-unit": Case(_official_ok, "--unit"),
    "official-unknown-unit": Case(
        _official_ok,
        "Có phải là 'Phòng Giáo dục Trung học'?",
        None,
        "Đơn vị",
        ("--unit", "Phong Giao duc Trung hoc xx"),
    ),
    "official-text-cell": Case(
        _official_text_cell, "'hai' không phải là số", 12, "(10) Quá hạn", ("--unit", "Phòng GDTrH")
    ),
}


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A SQLite database that already holds one good upload (so "unchanged" means something)."""
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    res = import_files(open_engine(url), [EXAMPLES / "so-lieu-mau.xlsx"])
    assert res.ok
    return url


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("name", list(CASES))
def test_bad_file_is_refused_in_process(
    name: str, db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES[name]
    path = write(tmp_path, f"{name}.xlsx", case.make())
    before = dump(open_engine(db))
    code = main(["import", str(path), "--db", db, *case.args])
    out, err = capsys.readouterr()
    assert code == 1, err
    assert out == ""
    assert case.says in err, err
    assert f"{name}.xlsx" in err
    if case.row is not None:
        assert f"dòng {case.row}" in err, err
    if case.column is not None:
        assert f"cột '{case.column}'" in err, err
    assert "không có số liệu nào được lưu" in err
    assert dump(open_engine(db)) == before


def test_whole_float_count_is_accepted(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(
        tmp_path, "ok.xlsx", canonical_records([record(period="07/2024", withdrawn=1.0, carried_over="4")])
    )
    assert main(["import", str(path), "--db", db]) == 0
    assert "ok.xlsx: tháng 07/2024; 1 dòng" in capsys.readouterr().out


def test_every_error_of_a_file_is_listed(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    recs = [
        record(withdrawn=-1),  # row 2
        record(field="Thi, tuyển sinh"),  # row 3: fine
        record(field="Giáo dục thường xuyên", received_direct="x"),  # row 4
        record(field="Giáo dục nghề nghiệp", period="2024-13"),  # row 5
    ]
    path = write(tmp_path, "three.xlsx", canonical_records(recs))
    before = dump(open_engine(db))
    assert main(["import", str(path), "--db", db]) == 1
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("LỖI")]
    assert len(errors) == 3, err
    assert "dòng 2" in errors[0] and H["withdrawn"] in errors[0]
    assert "dòng 4" in errors[1] and H["received_direct"] in errors[1]
    assert "dòng 5" in errors[2] and H["period"] in errors[2]
    assert "Từ chối: 3 lỗi" in err
    assert dump(open_engine(db)) == before


def test_errors_of_every_file_are_listed(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = write(tmp_path, "a.xlsx", canonical_records([record(withdrawn=-1)]))
    b = write(tmp_path, "b.xlsx", canonical_records([record(period="13/2024")]))
    assert main(["import", str(a), str(b), "--db", db]) == 1
    err = capsys.readouterr().err
    assert "a.xlsx" in err and "b.xlsx" in err and "Từ chối: 2 lỗi" in err


def test_good_and_bad_file_in_one_call_import_nothing(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, "good.xlsx", canonical_records([record(period="07/2024")]))
    bad = write(tmp_path, "bad.xlsx", canonical_records([record(period="08/2024", payments_online=99)]))
    before = dump(open_engine(db))
    assert main(["import", str(good), str(bad), "--db", db]) == 1
    err = capsys.readouterr().err
    assert "bad.xlsx" in err and "dòng 2" in err
    assert dump(open_engine(db)) == before


def test_missing_file_is_refused(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, "good.xlsx", canonical_records([record(period="07/2024")]))
    before = dump(open_engine(db))
    assert main(["import", str(good), str(tmp_path / "nowhere.xlsx"), "--db", db]) == 1
    assert "nowhere.xlsx" in capsys.readouterr().err
    assert dump(open_engine(db)) == before


# ---------------------------------------------------------------------------- real subprocesses


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUTF8": "1"}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "data_access", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


@pytest.mark.parametrize("name", ["negative-count", "text-file", "official-without-unit", "same-key-twice"])
def test_bad_file_is_refused_by_the_command(name: str, db: str, tmp_path: Path) -> None:
    case = CASES[name]
    path = write(tmp_path, f"{name}.xlsx", case.make())
    before = dump(open_engine(db))
    proc = run_cli("import", str(path), "--db", db, *case.args)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    assert case.says in proc.stderr
    if case.row is not None:
        assert f"dòng {case.row}" in proc.stderr
    if case.column is not None:
        assert f"cột '{case.column}'" in proc.stderr
    assert dump(open_engine(db)) == before


def test_good_and_bad_file_by_the_command(db: str, tmp_path: Path) -> None:
    good = write(tmp_path, "good.xlsx", canonical_records([record(period="07/2024")]))
    bad = write(tmp_path, "bad.xlsx", io.BytesIO(b"not a workbook").getvalue())
    before = dump(open_engine(db))
    proc = run_cli("import", str(good), str(bad), "--db", db)
    assert proc.returncode == 1
    assert "bad.xlsx" in proc.stderr
    assert dump(open_engine(db)) == before
