"""``python -m data_access users add|passwd|remove|list`` as an administrator runs it (subprocesses)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa

from data_access.auth import authenticate, cli_actor, read_audit
from data_access.schema import app_user
from data_access.store import open_engine
from tests.helpers import ROOT

ADMIN_PW = "quan-tri-bi-mat-1"
OFFICE_PW = "van-phong-bi-mat-2"
NEW_PW = "mat-khau-moi-3"
PASSWORDS = (ADMIN_PW, OFFICE_PW, NEW_PW, "ngan")


def cli(url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run the command line on ``url``; ``stdin`` is what --password-stdin reads."""
    env = {**os.environ, "BCRYPT_ROUNDS": "4", "PYTHONIOENCODING": "utf-8"}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "data_access", "users", *args, "--db", url],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def no_password(*outputs: subprocess.CompletedProcess[str]) -> None:
    for out in outputs:
        for pw in PASSWORDS:
            assert pw not in out.stdout and pw not in out.stderr, (pw, out.stdout, out.stderr)


def hashes(url: str) -> dict[str, str]:
    with open_engine(url).connect() as conn:
        return dict(conn.execute(sa.select(app_user.c.username, app_user.c.password_hash)).all())


def signs_in(url: str, user: str, password: str) -> bool:
    return authenticate(open_engine(url), user, password, sleep=lambda _s: None).ok


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'users.db'}"


def test_add_list_passwd_remove(url: str) -> None:
    empty = cli(url, "list")
    assert empty.returncode == 0 and "Chưa có tài khoản nào" in empty.stdout

    add = cli(url, "add", "admin", "--role", "quan_tri", "--password-stdin", stdin=ADMIN_PW + "\n")
    assert add.returncode == 0, add.stderr
    assert "Đã thêm tài khoản 'admin' (Quản trị)" in add.stdout
    office = cli(
        url,
        "add",
        "vanthu",
        "--role",
        "van_phong",
        "--name",
        "Nguyễn Thị Văn Thư",
        "--password-stdin",
        "--user",
        "admin",
        stdin=OFFICE_PW + "\r\n",
    )  # a Windows line end is not part of it
    assert office.returncode == 0, office.stderr

    table = cli(url, "list")
    assert table.returncode == 0
    lines = table.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].split()[0] == "admin" and "Quản trị" in lines[0]
    assert lines[1].split()[0] == "vanthu" and "Văn phòng Sở" in lines[1] and "Nguyễn Thị Văn Thư" in lines[1]
    listed = cli(url, "list", "--format", "json")
    assert listed.returncode == 0
    records = json.loads(listed.stdout)
    assert [(r["username"], r["role"], r["locked"]) for r in records] == [
        ("admin", "quan_tri", False),
        ("vanthu", "van_phong", False),
    ]
    assert records[1]["display_name"] == "Nguyễn Thị Văn Thư"
    assert records[1]["full_name"] == "Nguyễn Thị Văn Thư" and records[0]["full_name"] is None
    assert not any("hash" in k or "password" in k for r in records for k in r)

    stored = hashes(url)
    assert all(h.startswith("$2b$04$") and len(h) == 60 for h in stored.values()), stored
    assert signs_in(url, "admin", ADMIN_PW) and signs_in(url, "vanthu", OFFICE_PW)

    passwd = cli(url, "passwd", "vanthu", "--password-stdin", stdin=NEW_PW + "\n")
    assert passwd.returncode == 0, passwd.stderr
    assert "Đã đổi mật khẩu của 'vanthu'" in passwd.stdout
    assert hashes(url)["vanthu"] != stored["vanthu"]
    assert not signs_in(url, "vanthu", OFFICE_PW) and signs_in(url, "vanthu", NEW_PW)

    remove = cli(url, "remove", "vanthu")
    assert remove.returncode == 0 and "Đã xóa tài khoản 'vanthu'" in remove.stdout
    assert list(hashes(url)) == ["admin"]
    no_password(empty, add, office, table, listed, passwd, remove)

    log = read_audit(open_engine(url), cli_actor())
    changes = log[log["action"].str.startswith("user_")]
    assert [(r.username, r.action, json.loads(r.detail)) for r in changes.itertuples()] == [
        ("cli", "user_remove", {"user": "vanthu", "via": "cli"}),
        ("cli", "user_passwd", {"user": "vanthu", "via": "cli"}),
        ("admin", "user_add", {"user": "vanthu", "role": "van_phong", "via": "cli"}),
        ("cli", "user_add", {"user": "admin", "role": "quan_tri", "via": "cli"}),
    ]
    for detail in log["detail"]:
        assert not any(pw in detail for pw in PASSWORDS)
        assert "$2b$" not in detail


def test_errors(url: str) -> None:
    first = cli(url, "add", "admin", "--role", "quan_tri", "--password-stdin", stdin=ADMIN_PW + "\n")
    assert first.returncode == 0, first.stderr
    before = hashes(url)

    requests = {  # refused requests, none depending on another: run side by side
        "short": (("add", "ngan", "--role", "lanh_dao", "--password-stdin"), "ngan\n"),
        "empty": (("add", "trong", "--role", "lanh_dao", "--password-stdin"), ""),
        "duplicate": (("add", "admin", "--role", "lanh_dao", "--password-stdin"), OFFICE_PW + "\n"),
        "passwd_short": (("passwd", "admin", "--password-stdin"), "ngan\n"),
        "unknown_passwd": (("passwd", "khong-co", "--password-stdin"), NEW_PW + "\n"),
        "unknown_remove": (("remove", "khong-co"), ""),
        "bad_role": (("add", "sep", "--role", "giam_doc", "--password-stdin"), OFFICE_PW + "\n"),
        "no_role": (("add", "sep", "--password-stdin"), OFFICE_PW + "\n"),
    }
    with ThreadPoolExecutor(4) as pool:
        futures = {
            name: pool.submit(cli, url, *args, stdin=stdin) for name, (args, stdin) in requests.items()
        }
        out = {name: f.result() for name, f in futures.items()}
    short, empty, duplicate, passwd_short, unknown_passwd, unknown_remove, bad_role, no_role = out.values()
    assert short.returncode == 1 and "LỖI: Mật khẩu cần ít nhất 8 ký tự" in short.stderr
    assert empty.returncode == 1 and "ít nhất 8" in empty.stderr
    assert duplicate.returncode == 1 and "'admin' đã có" in duplicate.stderr
    assert passwd_short.returncode == 1 and "ít nhất 8" in passwd_short.stderr
    assert unknown_passwd.returncode == 1 and "Không có tài khoản 'khong-co'" in unknown_passwd.stderr
    assert unknown_remove.returncode == 1 and "Không có tài khoản 'khong-co'" in unknown_remove.stderr
    assert bad_role.returncode == 2 and "Lỗi cú pháp lệnh" in bad_role.stderr and "--role" in bad_role.stderr
    assert no_role.returncode == 2 and "--role" in no_role.stderr

    for out in (short, empty, duplicate, passwd_short, unknown_passwd, unknown_remove, bad_role, no_role):
        assert out.stdout == "", out.stdout  # nothing claims success
    no_password(
        first, short, empty, duplicate, passwd_short, unknown_passwd, unknown_remove, bad_role, no_role
    )
    assert hashes(url) == before, "nothing changed"
    log = read_audit(open_engine(url), cli_actor())
    assert log["action"].tolist() == ["user_add"], "refused requests write no audit row"


def test_add_with_full_name(url: str) -> None:
    add = cli(
        url,
        "add",
        "lan",
        "--role",
        "lanh_dao",
        "--full-name",
        "  Trần   Thị Lan ",
        "--password-stdin",
        stdin=ADMIN_PW + "\n",
    )
    assert add.returncode == 0, add.stderr
    records = json.loads(cli(url, "list", "--format", "json").stdout)
    assert [(r["username"], r["full_name"], r["display_name"]) for r in records] == [
        ("lan", "Trần Thị Lan", "Trần Thị Lan")
    ]
    assert "Trần Thị Lan" in cli(url, "list").stdout
    helptext = cli(url, "add", "--help")
    assert "--full-name" in helptext.stdout
