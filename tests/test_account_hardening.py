"""Issue 19, items 3, 6, 7, 10 and three of 12: a stale account's write refused and audited (the what-if
save from the page, every writer on SQLite and PostgreSQL), the lockout counted atomically under real
threads, one message for every failed sign-in, the audit CSV that no spreadsheet runs as formulas,
look-alike user names refused, refused uploads and permission denials audited, demo mode forbidden."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import threading
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import bcrypt
import pytest
import sqlalchemy as sa

from data_access.audit import audit_csv, neutralise_formulas
from data_access.auth import (
    DEMO_ACTOR,
    LOCK_MINUTES,
    MAX_FAILED,
    AccountRefused,
    Actor,
    AuthError,
    account_transaction,
    add_user,
    authenticate,
    cli_actor,
    list_users,
    read_audit,
    remove_user,
    set_role,
)
from data_access.schema import app_user, web_session
from data_access.sessions import resume, save_state, start_session, token_hash
from data_access.store import commit_import, dump, open_engine, prepare_import
from data_access.targets_file import history_dir, save_targets_file
from data_access.texts import auth as AT
from kpi.targets import load_targets
from tests.helpers import ROOT, app_test
from tests.test_roles import EXAMPLE, PASSWORD, XLSX, is_sign_in_form, sign_in, start, texts
from ui.admin_view import audit_view

ROOT_ACTOR = cli_actor("root")


def _denials(engine: sa.Engine) -> list[tuple[str, dict[str, object]]]:
    log = read_audit(engine, ROOT_ACTOR)
    rows = log[log["action"] == "denied"]
    return [(u, json.loads(d)) for u, d in zip(rows["username"], rows["detail"], strict=True)]


def _idle(engine: sa.Engine, username: str, minutes: float) -> None:
    """Move the user's sessions' last activity ``minutes`` into the past (as if nobody had clicked since)."""
    with engine.begin() as conn:
        conn.execute(
            web_session.update()
            .where(web_session.c.username == username)
            .values(last_seen=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes))
        )


def _demote(engine: sa.Engine) -> None:
    set_role(engine, ROOT_ACTOR, "qt", "van_phong")


def _remove(engine: sa.Engine) -> None:
    remove_user(engine, ROOT_ACTOR, "qt")


def _idle_31(engine: sa.Engine) -> None:
    _idle(engine, "qt", 31)  # SESSION_IDLE_MINUTES is 30 by default


STALE = {"demoted": (_demote, "role"), "removed": (_remove, "removed"), "idle": (_idle_31, "idle")}


# ---------------------------------------------------------------------------- item 3, from the page


@pytest.mark.parametrize("case", list(STALE))
def test_a_stale_administrator_cannot_save_the_official_targets(
    case: str, sample_db_url: str, app_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Signed in as quan_tri on the what-if page, the save confirmed (a callback of the page's fragment)
    after the account was demoted, removed or left idle: nothing is written, the refusal is audited with
    its reason, and the sign-in form that follows says in Vietnamese what was refused."""
    targets = tmp_path / "targets.toml"
    shutil.copyfile(ROOT / "targets.toml", targets)
    before = targets.read_bytes()
    app_env.setenv("TARGETS_FILE", str(targets))
    engine = open_engine(sample_db_url)
    add_user(engine, ROOT_ACTOR, "qt", PASSWORD, "quan_tri")
    add_user(engine, ROOT_ACTOR, "gd", PASSWORD, "lanh_dao")  # qt removed, the app is not left without users
    app_env.setitem(authenticate.__kwdefaults__, "sleep", lambda _s: None)  # type: ignore[arg-type]
    at = sign_in(start(sample_db_url, app_env), "qt")
    at.switch_page("pages/whatif.py").run()
    at.text_input(key="target_online_payment").set_value("60").run()
    at.button(key="whatif_save").click().run()
    assert not at.exception, at.exception
    change, reason = STALE[case]
    change(engine)  # behind the open page's back
    at.button(key="whatif_save_confirm").click().run()
    assert not at.exception, at.exception
    assert targets.read_bytes() == before, "the official targets are unchanged"
    assert load_targets(targets).kpis["online_payment"].target == 0.45
    assert not history_dir(targets).exists() or not list(history_dir(targets).iterdir()), "no version kept"
    assert _denials(engine) == [("qt", {"action": "save_targets", "reason": reason, "via": "web"})]
    log = read_audit(engine, ROOT_ACTOR)
    assert "save_targets" not in set(log["action"])
    assert is_sign_in_form(at), at.main
    why = AT.ACCOUNT_REFUSED_WHY[reason].format(username="qt")
    shown = texts(at.error).replace("\\", "")  # markdown-escaped on the page (it names the account)
    assert f"Không thực hiện được việc lưu chỉ tiêu chính thức: {why}" in shown, shown


# ---------------------------------------------------------------------------- item 3, every writer


@pytest.fixture
def admin_session(engine: sa.Engine) -> tuple[sa.Engine, Actor]:
    """A signed-in administrator ``qt`` as the app holds it (resumed from its stored session)."""
    add_user(engine, ROOT_ACTOR, "qt", PASSWORD, "quan_tri")
    token = start_session(engine, "qt")
    actor = resume(engine, token, idle_minutes=30).actor
    assert actor is not None and actor.session == token_hash(token)
    return engine, actor


def _behind_the_back_role(engine: sa.Engine) -> None:
    """The role changed in the database directly: the sessions are NOT ended (only the check can tell)."""
    with engine.begin() as conn:
        conn.execute(app_user.update().where(app_user.c.username == "qt").values(role="lanh_dao"))


def _ended(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(web_session.update().values(ended_at=dt.datetime.now(dt.UTC), end_reason="user"))


WRITER_CASES = {
    "role": _behind_the_back_role,
    "removed": _remove,
    "idle": _idle_31,
    "ended": _ended,
}


@pytest.mark.parametrize("reason", list(WRITER_CASES))
def test_every_writer_checks_the_stored_account(
    reason: str, admin_session: tuple[sa.Engine, Actor], tmp_path: Path
) -> None:
    """The upload, the user administration and the targets file refuse a stale actor in their own
    transaction: nothing but the refusal (and the session's end) is written; SQLite and PostgreSQL."""
    engine, actor = admin_session
    prepared = prepare_import(engine, [EXAMPLE])
    assert prepared.ok
    WRITER_CASES[reason](engine)
    before = dump(engine)
    path = tmp_path / "targets.toml"
    path.write_text("x = 1\n", encoding="utf-8")
    writes: list[Callable[[], object]] = [
        lambda: commit_import(engine, prepared, actor=actor),
        lambda: add_user(engine, actor, "moi", PASSWORD, "lanh_dao"),
        lambda: save_targets_file(engine, actor, path, "x = 2\n", old_targets={}, new_targets={}),
    ]
    # the idle refusal ends the session: the writes after it find it ended
    reasons = [reason, "ended", "ended"] if reason == "idle" else [reason] * 3
    for write, expected in zip(writes, reasons, strict=True):
        with pytest.raises(AccountRefused) as refused:
            write()
        assert refused.value.reason == expected
    after = dump(engine)
    for table in ("audit_log", "web_session"):
        after.pop(table), before.pop(table)
    assert after == before, "no figure, upload or user written"
    assert not prepared.committed
    assert path.read_text(encoding="utf-8") == "x = 1\n" and not list(history_dir(path).glob("*"))
    actions = ["upload", "manage_users", "save_targets"]
    assert _denials(engine) == [
        ("qt", {"action": a, "reason": r, "via": "web"})
        for a, r in reversed(list(zip(actions, reasons, strict=True)))
    ]


def test_a_fresh_session_writes_and_the_write_counts_as_activity(
    admin_session: tuple[sa.Engine, Actor],
) -> None:
    engine, actor = admin_session
    _idle(engine, "qt", 29)  # 29 minutes without a click: still within the 30
    add_user(engine, actor, "moi", PASSWORD, "lanh_dao")
    assert "moi" in set(list_users(engine)["username"])
    with engine.connect() as conn:
        seen = conn.execute(sa.select(web_session.c.last_seen)).scalar_one()
    seen = seen.replace(tzinfo=dt.UTC) if seen.tzinfo is None else seen
    assert dt.datetime.now(dt.UTC) - seen < dt.timedelta(minutes=1), "last_seen moved to the write"


def test_demo_mode_writes_only_while_allowed_and_without_users(
    engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    prepared = prepare_import(engine, [EXAMPLE])
    monkeypatch.setenv("ALLOW_DEMO_MODE", "0")
    with pytest.raises(AccountRefused) as refused:
        commit_import(engine, prepared, actor=DEMO_ACTOR)
    assert refused.value.reason == "demo_forbidden"
    monkeypatch.delenv("ALLOW_DEMO_MODE")
    add_user(engine, ROOT_ACTOR, "qt", PASSWORD, "quan_tri")  # the demo session's page is still open
    with pytest.raises(AccountRefused) as refused:
        commit_import(engine, prepared, actor=DEMO_ACTOR)
    assert refused.value.reason == "demo_over"
    assert [d["reason"] for _, d in _denials(engine)] == ["demo_over", "demo_forbidden"]
    assert not prepared.committed


# ---------------------------------------------------------------------------- item 6: the lockout race


def test_concurrent_wrong_guesses_never_exceed_the_limit(
    engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """20 threads guess at once, each bcrypt check slowed to 0.2 s so that all are in flight together:
    at most MAX_FAILED (5) of them are checked against the real hash, the account ends locked, and the
    right password is refused while it is. (Before: every guess was checked, the counter read-modify-write.)"""
    add_user(engine, ROOT_ACTOR, "vp", PASSWORD, "van_phong")
    with engine.connect() as conn:
        real = conn.execute(sa.select(app_user.c.password_hash)).scalar_one().encode()
    checked: list[bytes] = []
    lock = threading.Lock()
    original = bcrypt.checkpw

    def slow_check(password: bytes, hashed: bytes) -> bool:
        with lock:
            checked.append(hashed)
        time.sleep(0.2)
        return original(password, hashed)

    authenticate(engine, "nobody", "warm-up", sleep=lambda _s: None)  # the dummy hash made before the race
    monkeypatch.setattr(bcrypt, "checkpw", slow_check)
    checked.clear()
    barrier = threading.Barrier(20)
    results = []

    def guess(i: int) -> None:
        barrier.wait()
        results.append(authenticate(engine, "vp", f"sai-{i}", sleep=lambda _s: None))

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(results) == 20 and not any(r.ok for r in results)
    assert len(checked) == 20, "every attempt costs one bcrypt check"
    assert checked.count(real) <= MAX_FAILED, f"{checked.count(real)} guesses checked against the real hash"
    assert checked.count(real) >= 1
    with engine.connect() as conn:
        locked = conn.execute(sa.select(app_user.c.locked_until)).scalar_one()
    assert locked is not None, "the account is locked"
    assert not authenticate(engine, "vp", PASSWORD, sleep=lambda _s: None).ok, "locked: even the right one"
    log = read_audit(engine, ROOT_ACTOR)
    assert ((log["action"] == "sign_in") & ~log["success"]).sum() == 1 + 20 + 1, "every attempt audited"


# ---------------------------------------------------------------------------- item 7: enumeration


def test_one_message_for_every_failed_sign_in(engine: sa.Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    add_user(engine, ROOT_ACTOR, "vp", PASSWORD, "van_phong")
    add_user(engine, ROOT_ACTOR, "gd", PASSWORD, "lanh_dao")
    t0 = dt.datetime.now(dt.UTC)
    for i in range(MAX_FAILED):  # lock gd
        authenticate(engine, "gd", "sai", now=t0 + dt.timedelta(seconds=i), sleep=lambda _s: None)
    used: list[bytes] = []
    original = bcrypt.checkpw

    def recording(password: bytes, hashed: bytes) -> bool:
        assert len(password) <= 72, "bcrypt is never given more than 72 bytes"
        used.append(hashed)
        return original(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", recording)
    with engine.connect() as conn:
        real = dict(conn.execute(sa.select(app_user.c.username, app_user.c.password_hash)).all())
    long_password = "ệ" * 24 + "x"  # 24 × 3 bytes + 1 = 73 bytes in UTF-8
    assert len(long_password.encode()) == 73
    attempts = {
        "unknown user": ("khong-co-ai", "sai-mat-khau"),
        "wrong password": ("vp", "sai-mat-khau"),
        "locked": ("gd", PASSWORD),
        "73 bytes": ("vp", long_password),
    }
    messages = {}
    for label, (user, password) in attempts.items():
        used.clear()
        result = authenticate(engine, user, password, now=t0 + dt.timedelta(minutes=1), sleep=lambda _s: None)
        assert not result.ok, label
        assert len(used) == 1, (label, "one bcrypt check each")
        messages[label] = result.message
        if label != "wrong password":
            assert used[0] not in {h.encode() for h in real.values()}, (label, "checked against a dummy")
    assert len(set(messages.values())) == 1, messages
    assert messages["locked"] == AT.SIGN_IN_BAD.format(n=MAX_FAILED, minutes=LOCK_MINUTES)
    log = read_audit(engine, ROOT_ACTOR)
    last = json.loads(log["detail"].iloc[0])
    assert (log["username"].iloc[0], last) == ("vp", {"reason": "password_too_long", "failed": 2})


def test_the_slow_down_is_the_same_for_names_with_and_without_an_account(engine: sa.Engine) -> None:
    """0.25, 0.5, 1 s for the first three failures of a name, whether it has an account or not."""
    add_user(engine, ROOT_ACTOR, "vp", PASSWORD, "van_phong")
    waits: dict[str, list[float]] = {"vp": [], "khong-co-ai": []}
    for name, got in waits.items():
        for _ in range(3):
            authenticate(engine, name, "sai-mat-khau", sleep=got.append)
    assert waits == {"vp": [0.25, 0.5, 1.0], "khong-co-ai": [0.25, 0.5, 1.0]}


# ---------------------------------------------------------------------------- item 10: the audit CSV

FORMULA = ("=", "+", "-", "@", "\t", "\r")


def test_the_audit_csv_runs_no_formula_whatever_the_separator(engine: sa.Engine) -> None:
    authenticate(engine, "x;=1+1;", "sai-mat-khau", sleep=lambda _s: None)
    authenticate(engine, "a,@SUM(1)", "sai-mat-khau", sleep=lambda _s: None)
    assert neutralise_formulas("x;=1+1;") == "x;'=1+1;"
    assert neutralise_formulas("=1") == "'=1" and neutralise_formulas("a, -2") == "a, '-2"
    data = audit_csv(audit_view(read_audit(engine, ROOT_ACTOR)))
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["Thời gian", "Người thực hiện", "Hành động", "Kết quả", "Chi tiết"]
    assert [r[1] for r in rows[1:]] == ["a,'@SUM(1)", "x;'=1+1;"]  # newest first, the text kept readable
    for line in text.lstrip("\ufeff").splitlines():
        assert line.startswith('"') and line.endswith('"'), "every cell quoted"
        for sep in (",", ";"):  # Excel splits on its list separator: ";" on a Vietnamese Windows
            for piece in line.split(sep):
                assert not piece.lstrip(' "').startswith(FORMULA), (sep, piece, line)


# ---------------------------------------------------------------------------- item 12: look-alike names


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("admin\u200b", "U+200B"),  # zero-width space
        ("ad\u00admin", "U+00AD"),  # soft hyphen
        ("ad\u202emin", "U+202E"),  # right-to-left override
        ("admin\u0007", "U+0007"),  # a control character
        ("Admin", "trùng với tài khoản đã có 'admin'"),
        ("ＡＤＭＩＮ", "đã có"),  # full-width letters: NFKC makes them "ADMIN"… then case folds to admin
        ("ａｄｍｉｎ", "Tên đăng nhập 'admin' đã có"),  # NFKC: exactly "admin"
        ("x" * 101, "dài quá 100 ký tự"),
    ],
)
def test_look_alike_and_invisible_user_names_are_refused(engine: sa.Engine, name: str, problem: str) -> None:
    add_user(engine, ROOT_ACTOR, "admin", PASSWORD, "quan_tri")
    with pytest.raises(AuthError, match=re.escape(problem)):
        add_user(engine, ROOT_ACTOR, name, PASSWORD, "quan_tri")
    assert list(list_users(engine)["username"]) == ["admin"]


def test_names_are_stored_in_nfkc_and_signed_in_with_either_spelling(engine: sa.Engine) -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn")  # how some keyboards type it: ễ = e + ̂ + ̃
    assert len(decomposed) == 8  # N g u y e ̂ ̃ n
    add_user(engine, ROOT_ACTOR, decomposed, PASSWORD, "lanh_dao")
    assert list(list_users(engine)["username"]) == ["Nguyễn"] and len("Nguyễn") == 6
    for typed in (decomposed, "Nguyễn", " Nguyễn "):
        assert authenticate(engine, typed, PASSWORD, sleep=lambda _s: None).ok, repr(typed)
    add_user(engine, ROOT_ACTOR, "ad min", PASSWORD, "lanh_dao")  # a plain space stays allowed


# ---------------------------------------------------------------------------- item 12: audits and demo mode


def test_a_refused_upload_is_audited(sample_db_url: str, app_env: pytest.MonkeyPatch) -> None:
    engine = open_engine(sample_db_url)
    add_user(engine, ROOT_ACTOR, "vp", PASSWORD, "van_phong")
    at = sign_in(start(sample_db_url, app_env), "vp")
    at.switch_page("pages/upload.py").run()
    at.file_uploader(key="upload_files").set_value([("hong.xlsx", b"not a workbook", XLSX)]).run()
    assert not at.exception, at.exception
    log = read_audit(engine, ROOT_ACTOR)
    row = log[log["action"] == "upload_refused"]
    assert len(row) == 1 and row["username"].iloc[0] == "vp" and not row["success"].iloc[0]
    detail = json.loads(row["detail"].iloc[0])
    assert detail["files"] == ["hong.xlsx"] and detail["errors"] >= 1 and detail["via"] == "web"
    assert "hong.xlsx" in detail["first_error"]


def test_a_forbidden_demo_mode_says_how_to_create_the_first_administrator(
    sample_db_url: str, app_env: pytest.MonkeyPatch
) -> None:
    app_env.setenv("ALLOW_DEMO_MODE", "0")
    at = start(sample_db_url, app_env)
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Chưa có tài khoản nào"]
    assert "ALLOW_DEMO_MODE=0" in texts(at.error)
    assert [c.value for c in at.code] == [AT.DEMO_FORBIDDEN_COMMAND]
    assert "_actor" not in at.session_state and not at.get("file_uploader") and not at.text_input
    for page in ("pages/upload.py", "pages/overview.py"):  # no page behind it
        with pytest.raises(ValueError, match="navigation page"):
            at.switch_page(page)
    app_env.setenv("ALLOW_DEMO_MODE", "1")
    at.run()
    assert any("nhập được số liệu" in w.value for w in at.warning), "demo mode says loudly what it allows"


def test_a_page_refused_to_the_role_is_audited(sample_db_url: str, app_env: pytest.MonkeyPatch) -> None:
    """The admin page reached without the role (a forged page request): refused on the page and audited."""
    engine = open_engine(sample_db_url)
    at = app_test(sample_db_url, app_env, "pages/admin.py")
    at.session_state["_actor"] = Actor("gd", "lanh_dao")
    at.session_state["_source"] = SimpleNamespace(engine=engine)  # what the frame (app.py) puts there
    at.run()
    assert not at.exception, at.exception
    assert "không có quyền quản lý người dùng" in texts(at.error), texts(at.error)
    [(user, detail)] = _denials(engine)
    assert (user, detail["action"], detail["reason"], detail["via"]) == (
        "gd",
        "manage_users",
        "permission",
        "web",
    )
    assert "page" in detail


def test_the_check_holds_sqlites_write_lock_until_the_write_commits(sqlite_url: str) -> None:
    """Inside the write's transaction nobody else may change the account (a role change waits), even for an
    actor without a session (no session row to touch): the check starts the write with a no-op UPDATE."""
    import sqlite3

    engine = open_engine(sqlite_url)
    add_user(engine, ROOT_ACTOR, "qt", PASSWORD, "quan_tri")
    with account_transaction(engine, Actor("qt", "quan_tri"), "upload"):
        other = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), timeout=0.2)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("UPDATE app_user SET role = 'lanh_dao'")
        other.close()
    assert list(list_users(engine)["role"]) == ["quan_tri"]


def test_a_scenario_change_is_activity_but_does_not_revive_an_idle_session(engine: sa.Engine) -> None:
    """The what-if fragment's reruns save the scenario (never resume the session): that counts as activity,
    so a director typing targets for 40 minutes is not idle; a session idle already stays idle."""
    add_user(engine, ROOT_ACTOR, "gd", PASSWORD, "lanh_dao")
    token = start_session(engine, "gd")

    def seen_ago() -> dt.timedelta:
        with engine.connect() as conn:
            seen: dt.datetime = conn.execute(sa.select(web_session.c.last_seen)).scalar_one()
        return dt.datetime.now(dt.UTC) - (seen.replace(tzinfo=dt.UTC) if seen.tzinfo is None else seen)

    _idle(engine, "gd", 10)
    save_state(engine, token, {"whatif": {"targets": {"online_payment": 0.6}}})
    assert seen_ago() < dt.timedelta(minutes=1)
    _idle(engine, "gd", 31)
    save_state(engine, token, {"whatif": {"targets": {"online_payment": 0.7}}})
    assert seen_ago() > dt.timedelta(minutes=30), "not revived"
    assert resume(engine, token, idle_minutes=30).reason == "idle"
