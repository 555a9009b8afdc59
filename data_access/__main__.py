"""Command line: ``python -m data_access import|history|restore|sync|users|settings|catalog|scores`` (see ``interfaces.md``).

Exit codes: 0 done, 1 refused (every error printed, database unchanged), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, cast

import pandas as pd
import sqlalchemy as sa

from data_access.auth import ROLES, AuthError, add_user, cli_actor, list_users, remove_user, set_password
from data_access.catalog import load_catalog
from data_access.cli_catalog import add_catalog_parser, catalog_main
from data_access.cli_scores import add_scores_parser, scores_main
from data_access.cli_vi import VietnameseArgumentParser, add_db_option, add_format_option, integer
from data_access.external import MappingError, load_mapping, read_external, sync
from data_access.messages import IssueList
from data_access.readers import parse_period
from data_access.settings import database_url, describe, figures_source_path
from data_access.store import StoreError, _safe, history, import_files, open_engine, restore
from data_access.texts import cli as T
from vnfmt import fmt_int


def build_parser() -> argparse.ArgumentParser:
    p = VietnameseArgumentParser(prog="python -m data_access", description=T.PROG_DESCRIPTION)
    sub = p.add_subparsers(dest="command", required=True, metavar=T.COMMAND_METAVAR, help=T.COMMAND_HELP)
    imp = sub.add_parser("import", help=T.IMPORT_HELP)
    imp.add_argument("files", nargs="+", metavar=T.FILES_METAVAR, help=T.FILES_HELP)
    add_db_option(imp)
    imp.add_argument("--unit", metavar=T.UNIT_METAVAR, help=T.IMPORT_UNIT_HELP)
    imp.add_argument("--user", default="cli", metavar=T.USER_METAVAR, help=T.IMPORT_USER_HELP)
    hist = sub.add_parser("history", help=T.HISTORY_HELP)
    add_db_option(hist)
    add_format_option(hist, "table", "json")
    res = sub.add_parser("restore", help=T.RESTORE_HELP)
    res.add_argument("upload_id", type=integer, metavar=T.UPLOAD_ID_METAVAR, help=T.UPLOAD_ID_HELP)
    res.add_argument("--period", required=True, metavar="YYYY-MM", help=T.RESTORE_PERIOD_HELP)
    res.add_argument("--unit", required=True, metavar=T.UNIT_METAVAR, help=T.RESTORE_UNIT_HELP)
    add_db_option(res)
    res.add_argument("--user", default="cli", metavar=T.USER_METAVAR, help=T.RESTORE_USER_HELP)
    syn = sub.add_parser("sync", help=T.SYNC_HELP)
    syn.add_argument("--mapping", metavar=T.FILES_METAVAR, help=T.MAPPING_HELP)
    add_db_option(syn)
    syn.add_argument("--check", action="store_true", help=T.CHECK_HELP)
    sett = sub.add_parser("settings", help=T.SETTINGS_HELP)
    add_format_option(sett, "table", "json")
    users = sub.add_parser("users", help=T.USERS_HELP)
    usub = users.add_subparsers(
        dest="users_command", required=True, metavar=T.COMMAND_METAVAR, help=T.COMMAND_HELP
    )
    for name, helptext in T.USERS_COMMANDS.items():
        u = usub.add_parser(name, help=helptext)
        if name != "list":
            u.add_argument("username", metavar=T.USERNAME_METAVAR, help=T.USERNAME_HELP)
        if name == "add":
            u.add_argument(
                "--role",
                required=True,
                choices=["lanh_dao", "van_phong", "quan_tri"],
                help=T.ROLE_HELP.format(roles="; ".join(f"{k} = {v}" for k, v in ROLES.items())),
            )
            u.add_argument(
                "--full-name",
                "--name",
                dest="full_name",
                default="",
                metavar=T.FULL_NAME_METAVAR,
                help=T.FULL_NAME_HELP,
            )
        if name in ("add", "passwd"):
            u.add_argument("--password-stdin", action="store_true", help=T.PASSWORD_STDIN_HELP)
        if name == "list":
            add_format_option(u, "table", "json")
        add_db_option(u)
        u.add_argument("--user", default="cli", metavar=T.USER_METAVAR, help=T.USERS_USER_HELP)
    add_catalog_parser(sub)
    add_scores_parser(sub)
    return p


def _rows(frame: pd.DataFrame) -> Iterator[Any]:
    """The rows of a frame as named tuples (pandas-stubs type each field as any scalar: they are the columns')."""
    return iter(cast("Iterable[Any]", frame.itertuples()))


def _months(months: Sequence[str]) -> str:
    """Months as the office writes them: ``06/2024, 07/2024``."""
    return ", ".join(f"{m[5:]}/{m[:4]}" for m in months)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass(T.PASSWORD_PROMPT)
    if getpass.getpass(T.PASSWORD_AGAIN) != first:
        raise AuthError(T.PASSWORDS_DIFFER)
    return first


def _users(args: argparse.Namespace) -> int:
    engine = open_engine(database_url(args.db))
    actor = cli_actor(args.user)
    try:
        if args.users_command == "add":
            add_user(engine, actor, args.username, _password(args), args.role, full_name=args.full_name)
            print(T.USER_ADDED.format(username=args.username, role=ROLES[args.role]))
        elif args.users_command == "passwd":
            set_password(engine, actor, args.username, _password(args))
            print(T.PASSWORD_CHANGED.format(username=args.username))
        elif args.users_command == "remove":
            remove_user(engine, actor, args.username)
            print(T.USER_REMOVED.format(username=args.username))
        else:
            users = list_users(engine)
            if args.format == "json":
                print(
                    json.dumps(
                        [
                            {
                                "username": r.username,
                                "role": r.role,
                                "display_name": r.display_name,
                                "full_name": r.full_name,
                                "created_at": str(r.created_at),
                                "locked": r.locked_until is not None,
                            }
                            for r in _rows(users)
                        ],
                        ensure_ascii=False,
                        indent=2,
                    )
                )
            elif users.empty:
                print(T.NO_USERS)
            else:
                for r in _rows(users):
                    print(f"{r.username:20} {ROLES.get(r.role, r.role):26} {r.full_name or ''}".rstrip())
    except AuthError as exc:
        print(T.ERROR_LINE.format(error=exc), file=sys.stderr)
        return 1
    return 0


def _report(result: IssueList) -> bool:
    """Print the warnings, then every error and the refusal; ``True`` when there is no error."""
    for issue in result.warnings:
        print(issue.format(), file=sys.stderr)
    if result.ok:
        return True
    for issue in result.errors:
        print(issue.format(), file=sys.stderr)
    print(T.REFUSED.format(n=len(result.errors)), file=sys.stderr)
    return False


def _import(args: argparse.Namespace) -> int:
    engine = open_engine(database_url(args.db))
    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        for f in missing:
            print(T.FILE_NOT_FOUND.format(file=f), file=sys.stderr)
        return 1
    result = import_files(engine, [Path(f) for f in args.files], user=args.user, unit=args.unit)
    if not _report(result):
        return 1
    for u in result.uploads:
        if u.dossiers:  # a list of dossiers: how many, of how many units, and the figures rows it gave
            print(
                T.IMPORTED_DOSSIERS.format(
                    file=u.file_name,
                    months=_months(u.months),
                    dossiers=fmt_int(u.dossiers),
                    units=len(u.units),
                    rows=fmt_int(u.rows),
                    upload=u.id,
                )
            )
        else:
            print(T.IMPORTED.format(file=u.file_name, months=_months(u.months), rows=u.rows, upload=u.id))
    return 0


def _unsafe(c: str) -> bool:
    """A character a terminal may act on instead of showing: C0/C1 controls (escape sequences, line
    breaks, CSI) and the invisible format characters (bidirectional overrides, zero-width)."""
    return unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")


def _terminal_safe(text: str, *, json_escape: bool = False) -> str:
    """``text`` with every :func:`_unsafe` character written as an escape (``\\x1b``, ``\\u202e``;
    ``\\u001b`` in JSON, where newlines between records are kept), so that a file name cannot move the
    cursor, clear the screen or reverse the line it is printed on."""

    def shown(c: str) -> str:
        if not _unsafe(c) or (json_escape and c == "\n"):
            return c
        code = ord(c)
        return f"\\u{code:04x}" if json_escape or code > 0xFF else f"\\x{code:02x}"

    return "".join(shown(c) for c in text)


def _history(args: argparse.Namespace) -> int:
    engine = open_engine(database_url(args.db))
    h = history(engine)
    if args.format == "json":
        records = [
            {
                "id": int(r.id),
                "time": r.created_at.isoformat(),
                "user": r.user,
                "file_name": r.file_name,
                "sha256": r.sha256,
                "months": list(r.months),
                "rows": int(r.rows),
                "kind": r.kind,
                "restored_from": None
                if r.restored_from is None or r.restored_from != r.restored_from
                else int(r.restored_from),
                "active": r.active == "active",
                "active_state": r.active,
            }
            for r in _rows(h)
        ]
        print(_terminal_safe(json.dumps(records, ensure_ascii=False, indent=2), json_escape=True))
        return 0
    if h.empty:
        print(T.NO_HISTORY)
        return 0
    state = T.UPLOAD_STATES
    print(
        f"{'#':>4}  {T.HISTORY_TIME:19}  {T.HISTORY_USER:12}  {T.HISTORY_ROWS:>5}  {T.HISTORY_STATE:14}  "
        f"{T.HISTORY_REST}"
    )
    for r in _rows(h):
        months = ",".join(r.months)
        print(
            f"{r.id:>4}  {r.created_at:%Y-%m-%d %H:%M:%S}  {_terminal_safe(r.user)[:12]:12}  {r.rows:>5}  "
            f"{state.get(r.active, r.active):14}  {_terminal_safe(r.file_name)} [{months}] {r.sha256[:12]}"
        )
    return 0


def _restore(args: argparse.Namespace) -> int:
    # the month as people type it (06/2024 as well as 2024-06), the unit by any catalog spelling
    period = parse_period(args.period.strip()) if isinstance(args.period, str) else None
    if period is None:
        print(T.BAD_PERIOD.format(period=args.period), file=sys.stderr)
        return 2
    unit = load_catalog().units.match(args.unit) or args.unit
    engine = open_engine(database_url(args.db))
    info = restore(engine, args.upload_id, period=period, unit=unit, actor=cli_actor(args.user))
    print(
        T.RESTORED.format(
            month=_months([period]), unit=unit, upload=args.upload_id, new=info.id, rows=info.rows
        )
    )
    return 0


def _sync(args: argparse.Namespace) -> int:
    path = figures_source_path(args.mapping)
    if path is None:
        print(T.NO_SOURCE, file=sys.stderr)
        return 2
    try:
        mapping = load_mapping(path)
        if args.check:
            checked = read_external(mapping)
            if not _report(checked):
                return 1
            print(
                T.SYNC_CHECKED.format(
                    label=mapping.label, months=_months(checked.months), rows=len(checked.frame)
                )
            )
            return 0
        result = sync(open_engine(database_url(args.db)), mapping)
    except MappingError as exc:
        print(T.ERROR_LINE.format(error=exc), file=sys.stderr)
        return 1
    if not _report(result):
        return 1
    months = _months(result.months)
    if result.unchanged:
        print(T.SYNC_UNCHANGED.format(label=mapping.label, months=months, rows=result.rows))
    else:
        print(T.SYNCED.format(label=mapping.label, months=months, rows=result.rows, upload=result.upload_id))
    return 0


def _settings(args: argparse.Namespace) -> int:
    """Every setting; exit 2 when a setting's value is refused (its error printed, the rest listed)."""
    rows = describe()
    errors = [r["error"] for r in rows if "error" in r]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print(f"{T.SETTINGS_NAME:22} {T.SETTINGS_ENV:22} {T.SETTINGS_SOURCE:16} {T.SETTINGS_VALUE}")
        for r in rows:
            value = r["value"]
            if value is None or isinstance(value, bool):
                value = {None: T.SETTING_NONE, True: T.SETTING_ON, False: T.SETTING_OFF}[value]
            print(f"{r['name']:22} {r['env']:22} {T.SETTING_SOURCES[r['source']]:16} {value}")
            where = f"; secrets: {r['secrets']}" if r["secrets"] else ""
            print(f"{'':22} {r['help']}{where}")
    for error in errors:
        print(T.ERROR_LINE.format(error=error), file=sys.stderr)
    return 2 if errors else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return {
            "import": _import,
            "history": _history,
            "restore": _restore,
            "users": _users,
            "sync": _sync,
            "settings": _settings,
            "catalog": catalog_main,
            "scores": scores_main,
        }[args.command](args)
    except StoreError as exc:
        print(T.ERROR_LINE.format(error=exc), file=sys.stderr)
        return 1
    except sa.exc.SQLAlchemyError as exc:  # the transaction was rolled back: nothing was written
        print(T.DATABASE_ERROR.format(error=_safe(exc)), file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
