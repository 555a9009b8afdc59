"""Mailing a report (data_access.mailer) to a real SMTP server on 127.0.0.1 (aiosmtpd), the message read
back with the email package; skipped on unchanged data; a server down or refusing is an error and
nothing is recorded as sent."""

from __future__ import annotations

import email
import email.policy
import json
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from data_access import settings as settings_module
from data_access.mailer import MailError, MailSettings, data_key, last_send, mail_settings, send_report
from data_access.schema import audit_log, report_send

PDF = ("Báo cáo tháng 3-2024.pdf", b"%PDF-1.4 fake pdf bytes\x00\x01\x02", "application/pdf")
DOCX = (
    "Báo cáo tháng 3-2024.docx",
    b"PK\x03\x04 fake docx bytes",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
SUMMARY = (
    "Tháng 3/2024: 3 chỉ tiêu dưới mức; thiếu nhiều nhất: Phòng GD Trung học, 37 hồ sơ trực tuyến toàn trình."
)


class Inbox:
    """aiosmtpd handler keeping each message; ``refuse`` makes it answer DATA with 554."""

    def __init__(self) -> None:
        self.messages: list[tuple[Envelope, EmailMessage]] = []
        self.refuse = False

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.refuse:
            return "554 5.7.1 Message rejected by policy"
        raw = envelope.content if isinstance(envelope.content, bytes) else str(envelope.content).encode()
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append((envelope, parsed))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _settings(port: int) -> MailSettings:
    return MailSettings(
        host="127.0.0.1",
        port=port,
        sender="Sở GD&ĐT Hải Phòng <baocao@sogd.example.vn>",
        recipients=("giamdoc@sogd.example.vn", "vanphong@sogd.example.vn"),
        starttls=False,
        timeout=5,
    )


def _sends(engine: sa.Engine) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(sa.select(report_send).order_by(report_send.c.id)).all())


def _audits(engine: sa.Engine) -> list[Any]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                sa.select(audit_log).where(audit_log.c.action == "report_send").order_by(audit_log.c.id)
            )
        )


def test_sends_the_message_with_both_attachments(engine: sa.Engine, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    result = send_report(
        engine,
        period="2024-03",
        unit=None,
        attachments=[PDF, DOCX],
        summary=SUMMARY,
        settings=_settings(port),
        data_key="k1",
        title="Báo cáo Tháng 3/2024",
        agency="Sở GD&ĐT",
    )
    assert result.status == "sent" and result.ok, result.message
    assert result.message == "Đã gửi Báo cáo Tháng 3/2024 tới 2 người nhận"
    assert len(inbox.messages) == 1
    envelope, msg = inbox.messages[0]
    assert envelope.mail_from == "baocao@sogd.example.vn"
    assert envelope.rcpt_tos == ["giamdoc@sogd.example.vn", "vanphong@sogd.example.vn"]
    assert msg["Subject"] == "[Sở GD&ĐT] Báo cáo Tháng 3/2024"
    body = msg.get_body(preferencelist=("plain",))
    assert body is not None and body.get_content().strip() == SUMMARY
    files = [(p.get_filename(), p.get_content(), p.get_content_type()) for p in msg.iter_attachments()]
    assert files == [PDF, DOCX]
    rows = _sends(engine)
    assert len(rows) == 1
    row = rows[0]
    assert (row.report, row.period, row.unit, row.data_key, row.success) == (
        "brief",
        "2024-03",
        None,
        "k1",
        1,
    )
    assert json.loads(row.recipients) == ["giamdoc@sogd.example.vn", "vanphong@sogd.example.vn"]
    audits = _audits(engine)
    assert len(audits) == 1 and audits[0].success == 1 and audits[0].username == "cli"
    assert json.loads(audits[0].detail)["send_id"] == row.id
    assert last_send(engine, report="brief", period="2024-03", unit=None)["data_key"] == "k1"  # type: ignore[index]


def test_unchanged_data_is_skipped_new_data_is_sent(engine: sa.Engine, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    kw: dict[str, Any] = {
        "period": "2024-03",
        "unit": "Phòng Giáo dục Trung học",
        "attachments": [PDF],
        "summary": SUMMARY,
        "settings": _settings(port),
    }
    assert send_report(engine, data_key="k1", **kw).status == "sent"
    again = send_report(engine, data_key="k1", **kw)
    assert again.status == "skipped" and again.ok
    assert again.message.startswith("Không gửi lại:")
    assert len(inbox.messages) == 1 and len(_sends(engine)) == 1  # nothing mailed, nothing recorded
    # the same key for the department (unit None) or another period is another report: sent
    assert send_report(engine, data_key="k1", **{**kw, "unit": None}).status == "sent"
    assert send_report(engine, data_key="k2", **kw).status == "sent"  # new data
    assert send_report(engine, data_key="k2", force=True, **kw).status == "sent"  # forced
    assert len(inbox.messages) == 4
    assert [r.success for r in _sends(engine)] == [1, 1, 1, 1]


def test_server_down_is_an_error_and_not_a_send(engine: sa.Engine, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    down = _free_port()  # nobody listens there
    kw: dict[str, Any] = {"period": "2024-03", "unit": None, "attachments": [PDF], "summary": SUMMARY}
    failed = send_report(engine, data_key="k1", settings=_settings(down), **kw)
    assert failed.status == "failed" and not failed.ok
    assert failed.message.startswith(f"Không kết nối được máy chủ thư 127.0.0.1:{down}")
    assert failed.message.endswith("lần chạy sau sẽ gửi lại.")
    rows = _sends(engine)
    assert [(r.success, r.data_key) for r in rows] == [(0, "k1")]
    assert "Không kết nối được" in json.loads(rows[0].detail)["error"]
    assert [a.success for a in _audits(engine)] == [0]
    assert last_send(engine, report="brief", period="2024-03", unit=None) is None
    # the next run, with the server up, sends the same data (the failure did not count)
    retried = send_report(engine, data_key="k1", settings=_settings(port), **kw)
    assert retried.status == "sent"
    assert len(inbox.messages) == 1
    assert [r.success for r in _sends(engine)] == [0, 1]


def test_server_refusing_the_message_is_an_error(engine: sa.Engine, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    inbox.refuse = True
    result = send_report(
        engine,
        period="2024-Q1",
        unit=None,
        attachments=[PDF, DOCX],
        summary=SUMMARY,
        settings=_settings(port),
        data_key="q1",
    )
    assert result.status == "failed"
    assert result.message.startswith(f"Máy chủ thư 127.0.0.1:{port} từ chối thư (554 5.7.1 Message rejected")
    assert [r.success for r in _sends(engine)] == [0]
    assert inbox.messages == []


def test_starttls_not_offered_is_a_clear_error(engine: sa.Engine, smtp: tuple[Inbox, int]) -> None:
    _, port = smtp
    cfg = MailSettings(**{**_settings(port).__dict__, "starttls": True})
    result = send_report(
        engine, period="2024-03", unit=None, attachments=[], summary="x", settings=cfg, data_key="k"
    )
    assert result.status == "failed"
    assert "không hỗ trợ STARTTLS" in result.message


def _secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "project" / ".streamlit" / "secrets.toml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(settings_module, "SECRETS_FILE", path)


def test_settings_from_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _secrets(
        tmp_path,
        monkeypatch,
        '[mail]\nhost = "smtp.example.vn"\nport = 2525\nuser = "u"\npassword = "p"\n'
        'sender = "baocao@example.vn"\nstarttls = false\n\n'
        '[mail.recipients]\nmonthly = ["a@example.vn", "B <b@example.vn>"]\n',
    )
    cfg = mail_settings()
    assert cfg == MailSettings(
        host="smtp.example.vn",
        sender="baocao@example.vn",
        recipients=("a@example.vn", "B <b@example.vn>"),
        port=2525,
        user="u",
        password="p",
        starttls=False,
    )
    assert "password" not in repr(cfg)  # the password is not shown


@pytest.mark.parametrize(
    ("secrets", "words"),
    [
        ({}, "thiếu mục [mail]"),
        ({"mail": {"host": "h"}}, "Thiếu 'sender'"),
        ({"mail": {"host": "h", "sender": "s@x.vn", "port": "abc"}}, "port = 'abc'"),
        ({"mail": {"host": "h", "sender": "s@x.vn"}}, "Chưa có người nhận"),
        ({"mail": {"host": "h", "sender": "s@x.vn", "recipients": {"monthly": ["nope"]}}}, "'nope'"),
        (
            {"mail": {"host": "h", "sender": "s@x.vn", "recipients": {"monthly": ["a@x.vn\r\nBcc: e@x.vn"]}}},
            "không hợp lệ",
        ),
    ],
)
def test_bad_settings_are_named(secrets: dict[str, Any], words: str) -> None:
    with pytest.raises(MailError) as info:
        mail_settings(secrets)
    assert words in str(info.value)


def test_data_key_ignores_row_order_and_sees_a_change() -> None:
    a = pd.DataFrame(
        {"period": ["2024-03", "2024-03"], "unit": ["A", "B"], "resolved": pd.array([1, None], "Int64")}
    )
    b = a.iloc[::-1].reset_index(drop=True)
    assert data_key(a) == data_key(b)
    c = a.copy()
    c.loc[1, "resolved"] = 0  # unknown → 0 is a change
    assert data_key(a) != data_key(c)
    assert data_key(a, "plan 1") != data_key(a, "plan 2")
