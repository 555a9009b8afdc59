"""Mailing a report (``kpi brief --send``, ``reports.md``): the files and a short Vietnamese summary to the
recipients of secrets (``[mail]`` and ``[mail.recipients]``), by SMTP, once per new data.

:func:`send_report` skips a report already sent for the same (report, period, unit) with the same
``data_key`` (a fingerprint of the figures it came from, :func:`data_key`): a scheduler may run it
every day and the directors get one mail per change. Each send is a row of ``report_send`` (success
or failure, with the error), and an audit row, in one transaction; a failure is not a send, so the
next run tries again. The SMTP errors (server down, refused, login, STARTTLS) come back as a clear
Vietnamese message in :class:`SendResult`, never as a traceback.

Secrets (``secrets.toml``)::

    [mail]
    host = "smtp.example.vn"
    port = 587            # 465: TLS from the start (SMTP over SSL)
    user = "baocao@example.vn"
    password = "..."
    sender = "Sở GD&ĐT <baocao@example.vn>"
    starttls = true

    [mail.recipients]
    monthly = ["giamdoc@example.vn", "vanphong@example.vn"]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import smtplib
import socket
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid
from typing import Any, Literal

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access.audit import record
from data_access.schema import report_send
from data_access.settings import read_secrets
from data_access.texts import mail as T
from vnfmt import fmt_datetime

__all__ = [
    "Attachment",
    "MailError",
    "MailSettings",
    "SendResult",
    "data_key",
    "last_send",
    "mail_settings",
    "send_report",
    "sent_before",
]

#: (file name, bytes, MIME type such as "application/pdf").
Attachment = tuple[str, bytes, str]
Status = Literal["sent", "skipped", "failed"]
AUDIT_ACTION = "report_send"


class MailError(ValueError):
    """The mail settings are missing or wrong (the message is Vietnamese); nothing was tried."""


@dataclass(frozen=True)
class MailSettings:
    """Where and how to send: the ``[mail]`` table and one list of ``[mail.recipients]``."""

    host: str
    sender: str
    recipients: tuple[str, ...]
    port: int = 587
    user: str = ""
    password: str = field(default="", repr=False)
    starttls: bool = True
    timeout: float = 30.0


@dataclass(frozen=True)
class SendResult:
    """What :func:`send_report` did: ``sent``, ``skipped`` (same data already sent) or ``failed``."""

    status: Status
    message: str  # Vietnamese, for the CLI and the page
    recipients: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()
    send_id: int | None = None  # the report_send row (None when skipped)

    @property
    def ok(self) -> bool:
        return self.status != "failed"


def _address(value: object) -> str:
    text = str(value).strip() if isinstance(value, str) else ""
    pairs = getaddresses([text])
    if len(pairs) != 1 or "@" not in pairs[0][1] or any(c in text for c in "\r\n"):
        raise MailError(T.BAD_ADDRESS.format(value=value))
    return text


def mail_settings(secrets: Mapping[str, Any] | None = None, *, recipients: str = "monthly") -> MailSettings:
    """The settings from ``secrets`` (default: :func:`data_access.settings.read_secrets`): ``[mail]``
    host, port, user, password, sender, starttls, and the list ``[mail.recipients] <recipients>``.
    :class:`MailError` for a missing or wrong value."""
    raw = read_secrets() if secrets is None else secrets
    mail = raw.get("mail")
    if not isinstance(mail, Mapping):
        raise MailError(T.NO_MAIL_SECTION)
    for key in ("host", "sender"):
        if not isinstance(mail.get(key), str) or not mail[key].strip():
            raise MailError(T.MAIL_KEY_MISSING.format(key=key))
    port = mail.get("port", 587)
    try:
        port_number = int(port)
    except (TypeError, ValueError):
        port_number = 0
    if isinstance(port, bool) or not 1 <= port_number <= 65535:
        raise MailError(T.MAIL_PORT_BAD.format(value=port))
    lists = mail.get("recipients")
    names = lists.get(recipients) if isinstance(lists, Mapping) else None
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, list) or not names:
        raise MailError(T.NO_RECIPIENTS.format(name=recipients))
    starttls = mail.get("starttls", True)
    return MailSettings(
        host=mail["host"].strip(),
        sender=_address(mail["sender"]),
        recipients=tuple(_address(n) for n in names),
        port=port_number,
        user=str(mail.get("user") or ""),
        password=str(mail.get("password") or ""),
        starttls=starttls
        if isinstance(starttls, bool)
        else str(starttls).strip().lower() in ("1", "true", "yes"),
    )


def data_key(figures: pd.DataFrame, *extra: str | bytes) -> str:
    """A fingerprint (SHA-256 hex) of the figures a report came from and anything else it depends on
    (the plan's text, the format…): equal figures give an equal key whatever their row order."""
    h = hashlib.sha256()
    frame = figures.sort_values(list(figures.columns), kind="stable", na_position="first", ignore_index=True)
    h.update(frame.to_csv(index=False, na_rep="\x00NA").encode("utf-8"))
    for part in extra:
        h.update(b"\x1f")
        h.update(part if isinstance(part, bytes) else part.encode("utf-8"))
    return h.hexdigest()


def _same_unit(unit: str | None) -> sa.ColumnElement[bool]:
    return report_send.c.unit.is_(None) if unit is None else report_send.c.unit == unit


def last_send(engine: Engine, *, report: str, period: str, unit: str | None) -> dict[str, Any] | None:
    """The latest successful send of (report, period, unit): at, data_key, recipients; ``None`` if none."""
    q = (
        sa.select(report_send.c.at, report_send.c.data_key, report_send.c.recipients)
        .where(
            report_send.c.report == report,
            report_send.c.period == period,
            _same_unit(unit),
            report_send.c.success == 1,
        )
        .order_by(report_send.c.id.desc())
        .limit(1)
    )
    with engine.connect() as conn:
        row = conn.execute(q).first()
    if row is None:
        return None
    at = row.at if row.at.tzinfo is not None else row.at.replace(tzinfo=dt.UTC)
    return {"at": at, "data_key": row.data_key, "recipients": json.loads(row.recipients)}


def sent_before(
    engine: Engine, *, report: str, period: str, unit: str | None, key: str
) -> dt.datetime | None:
    """When (report, period, unit) was last sent successfully with the data key ``key``; ``None`` if
    never (so a caller can skip building the attachments of a send :func:`send_report` would skip)."""
    q = (
        sa.select(report_send.c.at)
        .where(
            report_send.c.report == report,
            report_send.c.period == period,
            _same_unit(unit),
            report_send.c.data_key == key,
            report_send.c.success == 1,
        )
        .order_by(report_send.c.id.desc())
        .limit(1)
    )
    with engine.connect() as conn:
        at: dt.datetime | None = conn.execute(q).scalar()
    if at is None:
        return None
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)


def _message(
    settings: MailSettings, subject: str, summary: str, attachments: Sequence[Attachment]
) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = subject.replace("\r", " ").replace("\n", " ")
    msg["From"] = settings.sender
    msg["To"] = ", ".join(settings.recipients)
    msg["Date"] = formatdate(localtime=True)
    domain = settings.sender.rsplit("@", 1)[-1].strip("> ") or None
    msg["Message-ID"] = make_msgid(domain=domain)
    msg.set_content(summary, charset="utf-8")
    for filename, data, mime in attachments:
        maintype, _, subtype = (mime or "application/octet-stream").partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype or "octet-stream", filename=filename)
    return msg


def _smtp_send(settings: MailSettings, msg: EmailMessage) -> dict[str, tuple[int, bytes]]:
    """Deliver ``msg``; the recipients the server refused (others accepted). smtplib/OS errors raised."""
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if settings.port == 465:
        smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with smtp:
        smtp.ehlo()
        if settings.starttls and settings.port != 465:
            smtp.starttls(context=context)
            smtp.ehlo()
        if settings.user:
            smtp.login(settings.user, settings.password)
        sender = Address(addr_spec=getaddresses([settings.sender])[0][1]).addr_spec
        to = [getaddresses([r])[0][1] for r in settings.recipients]
        return smtp.send_message(msg, from_addr=sender, to_addrs=to)


def _error_text(exc: BaseException, settings: MailSettings) -> str:
    """A clear Vietnamese sentence for an SMTP or network error."""
    where = {"host": settings.host, "port": settings.port}
    detail = _detail(exc)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return T.AUTH_FAILED.format(**where, user=settings.user, error=detail)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return T.NO_STARTTLS.format(**where)
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return T.SENDER_REFUSED.format(sender=settings.sender, error=detail)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return T.ALL_REFUSED.format(refused=", ".join(exc.recipients))
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return T.DISCONNECTED.format(**where, error=detail)
    if isinstance(exc, smtplib.SMTPResponseException | smtplib.SMTPException):
        return T.REFUSED.format(**where, error=detail)
    if isinstance(exc, ssl.SSLError):
        return T.TLS_FAILED.format(**where, error=detail)
    if isinstance(exc, TimeoutError | socket.timeout):
        return T.TIMEOUT.format(**where, seconds=f"{settings.timeout:g}")
    return T.DOWN.format(**where, error=detail)


def _detail(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = (
            exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        )
        return f"{exc.smtp_code} {text}".strip()
    return str(exc) or type(exc).__name__


def send_report(
    engine: Engine,
    *,
    period: str,
    unit: str | None,
    attachments: Sequence[Attachment],
    summary: str,
    settings: MailSettings | None = None,
    data_key: str,
    force: bool = False,
    report: str = "brief",
    title: str | None = None,
    agency: str = "",
    user: str = "cli",
) -> SendResult:
    """Mail ``attachments`` with ``summary`` as the body to the recipients of ``settings`` (default:
    :func:`mail_settings` from secrets) for (``report``, ``period``, ``unit``; ``None``: the department).

    Skipped (``status="skipped"``, nothing mailed, nothing recorded) when a successful send of the same
    (report, period, unit) had this ``data_key``, unless ``force``. Otherwise one ``report_send`` row and
    one audit row (action ``report_send``) record the outcome; a failed send (``status="failed"``, the
    Vietnamese error in ``message``) is not counted as sent. ``title``: the subject's words (default:
    the period's code in :data:`T.DEFAULT_TITLE`), after ``[agency]`` when given.
    :class:`MailError` for missing mail settings."""
    cfg = settings if settings is not None else mail_settings()
    name = title or T.DEFAULT_TITLE.format(period=period)
    if not force:
        at = sent_before(engine, report=report, period=period, unit=unit, key=data_key)
        if at is not None:
            return SendResult("skipped", T.SKIPPED.format(title=name, at=fmt_datetime(at)), cfg.recipients)
    unit_part = T.UNIT_PART.format(unit=unit) if unit else ""
    subject = (
        T.SUBJECT.format(agency=agency, title=name, unit=unit_part)
        if agency
        else T.SUBJECT_NO_AGENCY.format(title=name, unit=unit_part)
    )
    msg = _message(cfg, subject, summary, attachments)
    refused: tuple[str, ...] = ()
    error = ""
    try:
        refused = tuple(_smtp_send(cfg, msg))
    except (smtplib.SMTPException, OSError) as exc:
        error = _error_text(exc, cfg)
    detail: dict[str, object] = {
        "subject": subject,
        "attachments": [{"file": f, "bytes": len(b), "type": m} for f, b, m in attachments],
        "host": f"{cfg.host}:{cfg.port}",
        "forced": force,
    }
    if refused:
        detail["refused"] = list(refused)
    if error:
        detail["error"] = error
    ok = not error
    with engine.begin() as conn:
        inserted = conn.execute(
            report_send.insert().values(
                at=dt.datetime.now(dt.UTC),
                report=report[:40],
                period=period[:10],
                unit=unit,
                data_key=data_key[:64],
                recipients=json.dumps(list(cfg.recipients), ensure_ascii=False),
                success=1 if ok else 0,
                detail=json.dumps(detail, ensure_ascii=False),
            )
        )
        send_id = int(inserted.inserted_primary_key[0])  # type: ignore[index]
        record(
            conn,
            user,
            AUDIT_ACTION,
            {"report": report, "period": period, "unit": unit, "send_id": send_id, **detail},
            success=ok,
        )
    if not ok:
        return SendResult("failed", error + T.RETRY, cfg.recipients, send_id=send_id)
    accepted = [r for r in cfg.recipients if getaddresses([r])[0][1] not in refused]
    text = (
        T.SENT_PARTLY.format(title=name, count=len(accepted), refused=", ".join(refused))
        if refused
        else T.SENT.format(title=name, count=len(accepted))
    )
    return SendResult("sent", text, cfg.recipients, refused, send_id)
