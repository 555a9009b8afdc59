"""``python -m kpi brief --send`` (issue 18) against a real SMTP server on 127.0.0.1 (aiosmtpd) on the
sample database: the message read back (subject, summary, the PDF and the DOCX), unchanged figures
skipped, a server refusing or down is exit 1 with nothing recorded as sent, and the next run retries."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from pypdf import PdfReader

from data_access import settings as settings_module
from data_access.mailer import last_send
from data_access.schema import audit_log, report_send
from data_access.store import open_engine
from kpi.__main__ import main
from tests.test_mailer import Inbox, _free_port

TITLE = "Báo cáo kết quả thực hiện các chỉ tiêu dịch vụ công trực tuyến – {period}"
RECIPIENTS = ["giamdoc@sogd.example.vn", "vanphong@sogd.example.vn"]


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


def _secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, port: int | None) -> None:
    for name in ("TARGETS_FILE", "AGENCY_NAME", "AGENCY_PLACE", "SCORING_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "project" / ".streamlit" / "secrets.toml"
    path.parent.mkdir(parents=True)
    text = (
        ""
        if port is None
        else (
            f'[mail]\nhost = "127.0.0.1"\nport = {port}\nsender = "Sở GD&ĐT <baocao@sogd.example.vn>"\n'
            f"starttls = false\n\n[mail.recipients]\nmonthly = {json.dumps(RECIPIENTS)}\n"
        )
    )
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(settings_module, "SECRETS_FILE", path)


def _send(db: str, period: str = "2024-Q1", *extra: str) -> int:
    return main(["brief", "--period", period, "--send", "--db", db, *extra])


def _rows(db: str, table: sa.Table) -> list[Any]:
    engine = open_engine(db)
    with engine.connect() as conn:
        return list(conn.execute(sa.select(table).order_by(table.c.id)))


def _report(db: str, period: str, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    capsys.readouterr()
    assert main(["report", "--period", period, "--format", "json", "--db", db]) == 0
    recs: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    return recs


def test_send_mails_pdf_and_docx_with_the_summary(
    sample_db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    smtp: tuple[Inbox, int],
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, port = smtp
    _secrets(tmp_path, monkeypatch, port)
    recs = [r for r in _report(sample_db_url, "2024-Q1", capsys) if r["kind"] == "dossiers"]
    assert _send(sample_db_url) == 0
    assert capsys.readouterr().out.strip() == (
        "Đã gửi Báo cáo kết quả thực hiện các chỉ tiêu DVCTT – Quý I/2024 tới 2 người nhận"
    )
    ((envelope, msg),) = inbox.messages
    assert envelope.rcpt_tos == RECIPIENTS and envelope.mail_from == "baocao@sogd.example.vn"
    assert (
        msg["Subject"] == "[SỞ GIÁO DỤC VÀ ĐÀO TẠO] Báo cáo kết quả thực hiện các chỉ tiêu DVCTT – Quý I/2024"
    )
    body = msg.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    lines = body.splitlines()
    assert lines[0] == TITLE.format(period="Quý I/2024")
    known = [r for r in recs if r["status"] != "no_data"]
    below = [r for r in known if r["status"] in ("below", "near")]
    assert below, "the sample's first quarter has KPIs below target"
    worst = max(below, key=lambda r: r["shortfall"] or -1)
    shortfall = f"{worst['shortfall']:,}".replace(",", ".")
    assert (
        f"{len(below)}/{len(known)} chỉ tiêu chưa đạt hoặc gần đạt kế hoạch; "
        f"thiếu nhiều nhất: {worst['label']} ({shortfall} hồ sơ)." in lines
    )
    assert f"- {worst['label']}: " in body and f"còn thiếu {shortfall} hồ sơ" in body
    files = {p.get_filename(): (p.get_content_type(), p.get_content()) for p in msg.iter_attachments()}
    assert list(files) == ["bao-cao-2024-Q1.pdf", "bao-cao-2024-Q1.docx"]
    mime, pdf = files["bao-cao-2024-Q1.pdf"]
    assert mime == "application/pdf"
    assert "Quý I/2024" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    _, word = files["bao-cao-2024-Q1.docx"]
    assert docx.Document(io.BytesIO(word)).paragraphs[0].text == TITLE.format(period="Quý I/2024")
    (row,) = _rows(sample_db_url, report_send)
    assert (row.report, row.period, row.unit, row.success) == ("brief", "2024-Q1", None, 1)
    assert json.loads(row.recipients) == RECIPIENTS
    audits = [a for a in _rows(sample_db_url, audit_log) if a.action == "report_send"]
    assert [(a.success, a.username) for a in audits] == [(1, "cli")]


def test_unchanged_figures_are_skipped_force_sends_again(
    sample_db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    smtp: tuple[Inbox, int],
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, port = smtp
    _secrets(tmp_path, monkeypatch, port)
    assert _send(sample_db_url, "2024-03") == 0
    capsys.readouterr()
    assert _send(sample_db_url, "2024-03") == 0
    assert capsys.readouterr().out.startswith(
        "Không gửi lại: Báo cáo kết quả thực hiện các chỉ tiêu DVCTT – Tháng 3/2024 đã gửi lúc "
    )
    assert len(inbox.messages) == 1 and len(_rows(sample_db_url, report_send)) == 1
    # another period, or one unit, is another report
    assert _send(sample_db_url, "2024-03", "--unit", "Phòng Giáo dục Trung học") == 0
    assert _send(sample_db_url, "2024-03", "--force") == 0
    assert len(inbox.messages) == 3
    assert inbox.messages[1][1]["Subject"].endswith("Tháng 3/2024 – Phòng Giáo dục Trung học")
    assert [r.success for r in _rows(sample_db_url, report_send)] == [1, 1, 1]


def test_latest_is_the_last_month_with_figures(
    sample_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    _secrets(tmp_path, monkeypatch, port)
    assert _send(sample_db_url, "latest") == 0
    assert inbox.messages[0][1]["Subject"].endswith("– Tháng 12/2024")  # the sample ends in 12/2024
    assert [r.period for r in _rows(sample_db_url, report_send)] == ["2024-12"]


def test_server_refusing_is_exit_1_nothing_recorded_as_sent_then_retried(
    sample_db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    smtp: tuple[Inbox, int],
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, port = smtp
    _secrets(tmp_path, monkeypatch, port)
    inbox.refuse = True
    assert _send(sample_db_url) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"LỖI: Máy chủ thư 127.0.0.1:{port} từ chối thư (554 5.7.1")
    assert "lần chạy sau sẽ gửi lại" in err
    engine = open_engine(sample_db_url)
    assert last_send(engine, report="brief", period="2024-Q1", unit=None) is None
    assert [r.success for r in _rows(sample_db_url, report_send)] == [0]
    inbox.refuse = False
    assert _send(sample_db_url) == 0  # the next run sends the same figures
    assert len(inbox.messages) == 1
    assert [r.success for r in _rows(sample_db_url, report_send)] == [0, 1]


def test_server_down_is_exit_1_and_nothing_recorded_as_sent(
    sample_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    down = _free_port()  # nobody listens there
    _secrets(tmp_path, monkeypatch, down)
    assert _send(sample_db_url) == 1
    assert capsys.readouterr().err.startswith(f"LỖI: Không kết nối được máy chủ thư 127.0.0.1:{down}")
    engine = open_engine(sample_db_url)
    assert last_send(engine, report="brief", period="2024-Q1", unit=None) is None
    audits = [a for a in _rows(sample_db_url, audit_log) if a.action == "report_send"]
    assert [a.success for a in audits] == [0]


def test_missing_mail_settings_and_usage(
    sample_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _secrets(tmp_path, monkeypatch, None)
    assert _send(sample_db_url) == 1
    assert "thiếu mục [mail]" in capsys.readouterr().err
    assert _rows(sample_db_url, report_send) == []
    assert main(["brief", "--period", "2024-Q1", "--db", sample_db_url]) == 2  # neither --out nor --send
    assert "--send" in capsys.readouterr().err
    out = tmp_path / "q1.docx"
    assert main(["brief", "--period", "2024-Q1", "--out", str(out), "--db", sample_db_url]) == 2
    assert "--format" in capsys.readouterr().err and not out.exists()
