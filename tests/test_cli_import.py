"""The command line: ``python -m data_access import|history|restore`` (interfaces.md)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from data_access.__main__ import main
from data_access.store import dump, load_figures, open_engine
from tests.helpers import EXAMPLES, ROOT
from tests.workbooks import canonical_records, official, official_row, record, write

TRH = "Phòng Giáo dục Trung học"
HISTORY_KEYS = {"id", "time", "user", "file_name", "sha256", "months", "rows", "active"}


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def history_json(capsys: pytest.CaptureFixture[str], db: str) -> list[dict]:
    code, out, _ = run(capsys, "history", "--db", db, "--format", "json")
    assert code == 0
    return json.loads(out)


def test_import_prints_one_line_per_file(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = write(
        tmp_path,
        "thang-07.xlsx",
        canonical_records([record(period="07/2024"), record(period="07/2024", field="Thi, tuyển sinh")]),
    )
    code, out, err = run(
        capsys, "import", str(EXAMPLES / "so-lieu-mau.xlsx"), str(other), "--db", db, "--user", "Chị Lan"
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines == [
        "so-lieu-mau.xlsx: tháng 05/2024, 06/2024; 13 dòng; lần nhập #1",
        "thang-07.xlsx: tháng 07/2024; 2 dòng; lần nhập #2",
    ]
    assert "LỖI" not in err  # warnings (×3 moves) may be printed, errors not
    assert len(load_figures(open_engine(db))) == 15


def test_history_table_and_json(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "history", "--db", db)
    assert code == 0 and "Chưa có lần nhập nào" in out
    assert history_json(capsys, db) == []

    a = write(
        tmp_path,
        "a.xlsx",
        canonical_records(
            [
                record(period="05/2024"),
                record(period="05/2024", unit="Phòng QLCL", field="Hệ thống văn bằng, chứng chỉ"),
            ]
        ),
    )
    b = write(tmp_path, "b.xlsx", canonical_records([record(period="05/2024", received_online_full=11)]))
    assert run(capsys, "import", str(a), "--db", db, "--user", "lan")[0] == 0
    assert run(capsys, "import", str(b), "--db", db)[0] == 0

    records = history_json(capsys, db)
    assert [r["id"] for r in records] == [2, 1]
    for r in records:
        assert set(r) >= HISTORY_KEYS
        assert re.fullmatch(r"[0-9a-f]{64}", r["sha256"])
        assert r["time"].startswith("20") and ("+00:00" in r["time"] or r["time"].endswith("Z"))
    newest, oldest = records
    assert (newest["file_name"], newest["months"], newest["rows"], newest["user"], newest["active"]) == (
        "b.xlsx",
        ["2024-05"],
        1,
        "cli",
        True,
    )
    assert (oldest["file_name"], oldest["months"], oldest["rows"], oldest["user"], oldest["active"]) == (
        "a.xlsx",
        ["2024-05"],
        2,
        "lan",
        False,
    )  # its QLCL part is still active: "partly"
    assert oldest["active_state"] == "partly" and newest["active_state"] == "active"
    assert oldest["kind"] == "import" and oldest["restored_from"] is None

    code, out, _ = run(capsys, "history", "--db", db, "--format", "table")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3  # header + two uploads
    assert "b.xlsx" in lines[1] and "đang dùng" in lines[1]
    assert "a.xlsx" in lines[2] and "dùng một phần" in lines[2] and "2024-05" in lines[2]


def test_official_layout_needs_unit(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = EXAMPLES / "bao-cao-06a-mau.xlsx"
    code, _, err = run(capsys, "import", str(report), "--db", db)
    assert code == 1 and "--unit" in err
    code, out, err = run(capsys, "import", str(report), "--db", db, "--unit", "phong giao duc trung hoc")
    assert code == 0, err
    assert out.strip() == "bao-cao-06a-mau.xlsx: tháng 06/2024; 10 dòng; lần nhập #1"
    f = load_figures(open_engine(db))
    assert set(f["unit"]) == {TRH} and len(f) == 10
    # a report by unit needs no --unit
    by_unit = write(
        tmp_path,
        "theo-don-vi.xlsx",
        official([official_row("Thanh tra Sở", 1, 2, 3, 1, 1, 1, 1, 0)], by="unit"),
    )
    code, out, err = run(capsys, "import", str(by_unit), "--db", db)
    assert code == 0, err
    assert "1 dòng" in out


def test_restore_subcommand(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    v1 = write(tmp_path, "v1.xlsx", canonical_records([record(period="05/2024", received_online_full=10)]))
    v2 = write(tmp_path, "v2.xlsx", canonical_records([record(period="05/2024", received_online_full=20)]))
    assert run(capsys, "import", str(v1), "--db", db)[0] == 0
    assert run(capsys, "import", str(v2), "--db", db)[0] == 0
    engine = open_engine(db)
    assert load_figures(engine)["received_online_full"].tolist() == [20]

    code, out, err = run(
        capsys, "restore", "1", "--period", "2024-05", "--unit", TRH, "--db", db, "--user", "minh"
    )
    assert code == 0, err
    assert "#1" in out and "#3" in out and "1 dòng" in out
    assert load_figures(engine)["received_online_full"].tolist() == [10]
    newest = history_json(capsys, db)[0]
    assert (newest["id"], newest["kind"], newest["restored_from"], newest["user"], newest["active"]) == (
        3,
        "restore",
        1,
        "minh",
        True,
    )

    # the month as MM/YYYY and the unit by an alias work too
    code, _, err = run(capsys, "restore", "2", "--period", "05/2024", "--unit", "P. GDTrH", "--db", db)
    assert code == 0, err
    assert load_figures(engine)["received_online_full"].tolist() == [20]

    before = dump(engine)
    code, _, err = run(capsys, "restore", "9", "--period", "2024-05", "--unit", TRH, "--db", db)
    assert code == 1 and "#9" in err
    code, _, err = run(capsys, "restore", "1", "--period", "2024-13", "--unit", TRH, "--db", db)
    assert code == 2
    assert dump(engine) == before


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["import"],
        ["export", "x.xlsx"],
        ["import", "x.xlsx", "--bogus"],
        ["history", "--format", "xml"],
        ["restore", "1", "--unit", "x"],  # --period missing
        ["restore", "one", "--period", "2024-05", "--unit", "x"],
    ],
)
def test_wrong_usage_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "Cách dùng" in err and "usage" not in err.lower()


def test_database_url_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    f = write(tmp_path, "a.xlsx", canonical_records([record(period="05/2024")]))
    assert run(capsys, "import", str(f))[0] == 0
    assert len(load_figures(open_engine(url))) == 1


def test_unreachable_database_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path, "a.xlsx", canonical_records([record(period="05/2024")]))
    code, _, err = run(
        capsys, "import", str(f), "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"
    )
    assert code == 1 and err.startswith("LỖI")


# ---------------------------------------------------------------------------- real subprocess


def cli(*args: str) -> subprocess.CompletedProcess[str]:
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


def test_command_import_then_history(db: str) -> None:
    proc = cli("import", str(EXAMPLES / "so-lieu-mau.xlsx"), "--db", db, "--user", "lan")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "so-lieu-mau.xlsx: tháng 05/2024, 06/2024; 13 dòng; lần nhập #1"
    proc = cli("history", "--db", db, "--format", "json")
    assert proc.returncode == 0
    [rec] = json.loads(proc.stdout)
    assert set(rec) >= HISTORY_KEYS
    assert (rec["id"], rec["user"], rec["months"], rec["rows"], rec["active"]) == (
        1,
        "lan",
        ["2024-05", "2024-06"],
        13,
        True,
    )


def test_command_wrong_usage_exits_2() -> None:
    proc = cli("import")
    assert proc.returncode == 2
    assert proc.stdout == ""
