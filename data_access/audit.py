"""The audit trail: sign-ins, uploads, restores, target saves, user changes, refusals, one row each; and its
download as a CSV that no spreadsheet runs as formulas (:func:`audit_csv`)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Mapping, Sequence

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access.roles import Actor, require
from data_access.schema import audit_log

__all__ = ["audit", "audit_csv", "audit_refused_upload", "neutralise_formulas", "read_audit", "record"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def record(
    conn: sa.Connection,
    username: str,
    action: str,
    detail: Mapping[str, object] | None = None,
    *,
    success: bool = True,
) -> None:
    """Append one audit row inside the caller's transaction."""
    conn.execute(
        audit_log.insert().values(
            at=_now(),
            username=username[:100],
            action=action[:40],
            success=1 if success else 0,
            detail=json.dumps(detail or {}, ensure_ascii=False, default=str),
        )
    )


def audit(
    engine: Engine,
    username: str,
    action: str,
    detail: Mapping[str, object] | None = None,
    *,
    success: bool = True,
) -> None:
    """Append one audit row in its own transaction."""
    with engine.begin() as conn:
        record(conn, username, action, detail, success=success)


def read_audit(engine: Engine, actor: Actor, *, limit: int = 1000) -> pd.DataFrame:
    """The latest audit rows (``quan_tri`` only): at, username, action, success, detail."""
    require(actor, "read_audit")
    with engine.connect() as conn:
        rows = conn.execute(sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)).all()
    return pd.DataFrame(
        [
            {
                "id": r.id,
                "at": _aware(r.at),
                "username": r.username,
                "action": r.action,
                "success": bool(r.success),
                "detail": r.detail,
            }
            for r in rows
        ],
        columns=["id", "at", "username", "action", "success", "detail"],
    )


def audit_refused_upload(
    engine: Engine, actor: Actor | None, files: Sequence[str], errors: Sequence[str]
) -> None:
    """Audit a set of files the upload page refused (``upload_refused``): the file names, how many errors
    and the first one (as the page shows it, cut at 300 characters)."""
    detail: dict[str, object] = {"files": [f[:200] for f in files[:20]], "errors": len(errors)}
    if errors:
        detail["first_error"] = errors[0][:300]
    if actor is not None:
        detail["via"] = actor.via
    audit(engine, actor.username if actor is not None else "?", "upload_refused", detail, success=False)


#: A formula's first characters in Excel, LibreOffice and Google Sheets (tab and CR included: Excel drops them).
_FORMULA_START = "=+-@\t\r"
#: Where a spreadsheet may start a new cell in text it reads with another separator than the file's: the
#: start of the text, after ``;`` (the list separator of a Vietnamese Windows), ``,``, tab and line breaks;
#: spaces after the separator are skipped (``; =1+1`` is a formula too).
_CELL_START = re.compile(r"(^|[;,\t\r\n])([ ]*)(?=[" + re.escape(_FORMULA_START) + "])")


def neutralise_formulas(text: str) -> str:
    """``text`` with a ``'`` before every formula character (``= + - @`` tab CR) that starts it or follows a
    separator (``;`` ``,`` tab, line break): whichever separator a spreadsheet splits the line on, no piece
    of it starts a formula. ``x;=1+1;`` → ``x;'=1+1;``."""
    return _CELL_START.sub(lambda m: f"{m.group(1)}{m.group(2)}'", text)


def audit_csv(view: pd.DataFrame) -> bytes:
    """The audit trail as shown (``view``: its columns and rows) as UTF-8 CSV with a BOM (Excel shows the
    Vietnamese), separated by ``,`` as the app's other CSV downloads, every cell quoted and every piece that could start a formula neutralised (:func:`neutralise_formulas`): a user name such as
    ``x;=1+1;`` typed into the sign-in form is text in every spreadsheet, whatever separator it splits on."""
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow([neutralise_formulas(str(c)) for c in view.columns])
    for row in view.itertuples(index=False):
        w.writerow([neutralise_formulas("" if v is None else str(v)) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
