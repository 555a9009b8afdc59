"""Both command lines speak Vietnamese: help, usage and every argparse error, exit 2 for wrong usage.

Each case runs ``python -m data_access`` or ``python -m kpi`` as a subprocess (the way the office
scripts them), so the text checked is exactly what a user reads. No database is touched: every
command here stops in the parser.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from data_access.cli_vi import MESSAGES_VI, PLURAL_MESSAGES_VI, VietnameseArgumentParser, vietnamese_argparse
from tests.helpers import ROOT

#: argparse's English that must never reach a user.
ENGLISH = (
    "usage:",
    "options",
    "positional arguments",
    "show this help",
    "error:",
    "required",
    "invalid choice",
    "unrecognized",
    "expected one argument",
    "expected at",
    "argument ",
    "the following",
    "invalid int value",
    "subcommands",
)


def cli(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TARGETS_FILE", "FIGURES_SOURCE")}
    env.update(PYTHONIOENCODING="utf-8", PYTHONUTF8="1")
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def assert_no_english(proc: subprocess.CompletedProcess[str]) -> None:
    text = (proc.stdout + proc.stderr).lower()
    assert not [w for w in ENGLISH if w in text], proc.stdout + proc.stderr


HELP = [
    ("kpi", [], ["report"]),
    ("kpi", ["report"], ["--period KỲ", "--ytd", "--by NHÓM", "--db URL", "--targets TỆP", "--format"]),
    ("data_access", [], ["import", "history", "restore", "sync", "settings", "users"]),
    ("data_access", ["import"], ["TỆP [TỆP ...]", "--db URL", "--unit ĐƠN_VỊ", "--user"]),
    ("data_access", ["history"], ["--format {table,json}"]),
    ("data_access", ["restore"], ["MÃ_LẦN_NHẬP", "--period YYYY-MM", "--unit ĐƠN_VỊ"]),
    ("data_access", ["sync"], ["--mapping TỆP", "--check"]),
    ("data_access", ["settings"], ["--format {table,json}"]),
    ("data_access", ["users"], ["add", "passwd", "remove", "list"]),
    ("data_access", ["users", "add"], ["TÊN_ĐĂNG_NHẬP", "--role", "--password-stdin"]),
    ("data_access", ["users", "list"], ["--format {table,json}"]),
]


@pytest.mark.parametrize(("module", "command", "words"), HELP, ids=[" ".join([m, *c]) for m, c, _ in HELP])
def test_help_is_vietnamese(module: str, command: list[str], words: list[str]) -> None:
    proc = cli(module, *command, "--help" if command else "-h")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    out = proc.stdout
    assert out.startswith(f"Cách dùng: python -m {' '.join([module, *command])} [-h]"), out
    assert "tùy chọn:" in out and "-h, --help  " in out and "hiện hướng dẫn này rồi thoát" in out
    for word in words:
        assert word in out, (word, out)
    assert_no_english(proc)


ERRORS = [  # (module, args, what the error line says)
    ("kpi", [], "thiếu tham số bắt buộc: LỆNH"),
    ("kpi", ["report"], "thiếu tham số bắt buộc: --period"),
    ("kpi", ["report", "--period"], "tham số --period: cần một giá trị"),
    ("kpi", ["report", "--period", "2024-13"], "tham số --period: kỳ báo cáo '2024-13' không hợp lệ"),
    (
        "kpi",
        ["report", "--period", "2024-03", "--format", "xml"],
        "tham số --format: giá trị không hợp lệ: 'xml' (chọn một trong: 'table', 'json', 'csv')",
    ),
    ("kpi", ["report", "--period", "2024-03", "--bogus"], "không nhận ra tham số: --bogus"),
    ("kpi", ["rapport"], "tham số LỆNH: giá trị không hợp lệ: 'rapport'"),
    ("data_access", [], "thiếu tham số bắt buộc: LỆNH"),
    ("data_access", ["export", "x.xlsx"], "tham số LỆNH: giá trị không hợp lệ: 'export'"),
    ("data_access", ["import"], "thiếu tham số bắt buộc: TỆP"),
    ("data_access", ["import", "x.xlsx", "--bogus"], "không nhận ra tham số: --bogus"),
    ("data_access", ["history", "--format", "xml"], "tham số --format: giá trị không hợp lệ: 'xml'"),
    ("data_access", ["history", "--db"], "tham số --db: cần một giá trị"),
    ("data_access", ["restore", "1", "--unit", "x"], "thiếu tham số bắt buộc: --period"),
    (
        "data_access",
        ["restore", "one", "--period", "2024-05", "--unit", "x"],
        "tham số MÃ_LẦN_NHẬP: 'one' không phải là số nguyên",
    ),
    ("data_access", ["settings", "--format", "xml"], "tham số --format: giá trị không hợp lệ: 'xml'"),
    ("data_access", ["sync", "--mapping"], "tham số --mapping: cần một giá trị"),
    ("data_access", ["users"], "thiếu tham số bắt buộc: LỆNH"),
    ("data_access", ["users", "add", "bob"], "thiếu tham số bắt buộc: --role"),
    (
        "data_access",
        ["users", "add", "bob", "--role", "boss"],
        "tham số --role: giá trị không hợp lệ: 'boss'",
    ),
]


@pytest.mark.parametrize(("module", "args", "message"), ERRORS, ids=[" ".join([m, *a]) for m, a, _ in ERRORS])
def test_wrong_usage_is_vietnamese_and_exits_2(module: str, args: list[str], message: str) -> None:
    proc = cli(module, *args)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert lines[0].startswith(f"Cách dùng: python -m {module}"), proc.stderr
    assert f"Lỗi cú pháp lệnh: {message}" in proc.stderr, proc.stderr
    assert lines[-1].startswith(f"Xem hướng dẫn: python -m {module}") and lines[-1].endswith(" -h")
    assert_no_english(proc)


def test_messages_are_argparse_ids() -> None:
    """Every key of the table is a message id of the running Python's argparse (a rename shows here)."""
    text = Path(argparse.__file__).read_text(encoding="utf-8")
    missing = [m for m in [*MESSAGES_VI, *PLURAL_MESSAGES_VI] if repr(m) not in text]
    assert not missing, missing


def test_english_stays_outside_our_parsers(capsys: pytest.CaptureFixture[str]) -> None:
    """Other parsers of the process (pytest's, Streamlit's) keep argparse's own language."""
    VietnameseArgumentParser(prog="vi").format_help()
    with vietnamese_argparse():
        pass
    plain = argparse.ArgumentParser(prog="plain")
    assert plain.format_usage().startswith("usage: plain")
    with pytest.raises(SystemExit) as exc:
        plain.parse_args(["--bogus"])
    assert exc.value.code == 2 and "unrecognized arguments" in capsys.readouterr().err
