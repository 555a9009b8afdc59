"""``python -m data_access catalog import FILE [--effective YYYY-MM]`` and ``catalog list [--period YYYY-MM]``.

Exit codes as the other commands: 0 done, 1 refused (every error printed, database unchanged), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import pandas as pd

from data_access.cli_vi import add_db_option, add_format_option
from data_access.columns import CATALOG_COLUMNS, CATALOG_FLAGS
from data_access.messages import Issue
from data_access.procedure_catalog import catalog_in_force, import_catalog
from data_access.settings import database_url
from data_access.store import open_engine
from data_access.texts import cli as TC
from data_access.texts import procedure_catalog as T
from data_access.times import VN_TZ
from data_access.xlsx.cells import parse_period

__all__ = ["add_catalog_parser", "catalog_main", "catalog_records"]


def add_catalog_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The ``catalog`` command and its two subcommands, on the main parser's subparsers ``sub``."""
    cat = sub.add_parser("catalog", help=T.CATALOG_HELP)
    csub = cat.add_subparsers(
        dest="catalog_command", required=True, metavar=TC.COMMAND_METAVAR, help=TC.COMMAND_HELP
    )
    imp = csub.add_parser("import", help=T.CATALOG_IMPORT_HELP)
    imp.add_argument("file", metavar=T.CATALOG_FILE_METAVAR, help=T.CATALOG_FILE_HELP)
    imp.add_argument("--effective", metavar="YYYY-MM", help=T.EFFECTIVE_HELP)
    add_db_option(imp)
    imp.add_argument("--user", default="cli", metavar=TC.USER_METAVAR, help=T.CATALOG_USER_HELP)
    lst = csub.add_parser("list", help=T.CATALOG_LIST_HELP)
    lst.add_argument("--period", metavar="YYYY-MM", help=T.LIST_PERIOD_HELP)
    add_db_option(lst)
    add_format_option(lst, "table", "json")


def _this_month() -> str:
    return dt.datetime.now(VN_TZ).strftime("%Y-%m")


def _month(value: str | None) -> str | None:
    """``YYYY-MM`` of a month typed as ``2024-01`` or ``01/2024``; the current month when not given."""
    if value is None:
        return _this_month()
    return parse_period(value.strip())


def _shown(month: str) -> str:
    return f"{month[5:]}/{month[:4]}"


def catalog_records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """A catalog frame as JSON objects with the :data:`CATALOG_COLUMNS` keys (an unknown flag: ``null``)."""
    out: list[dict[str, object]] = []
    for row in frame[list(CATALOG_COLUMNS)].itertuples(index=False):
        rec: dict[str, object] = {}
        for c, v in zip(CATALOG_COLUMNS, row, strict=True):
            if c in CATALOG_FLAGS:
                rec[c] = None if v is None or v is pd.NA else bool(v)
            else:
                rec[c] = None if v is None or v is pd.NA else str(v)
        out.append(rec)
    return out


def _print_issues(issues: list[Issue]) -> None:
    for issue in [i for i in issues if not i.is_error] + [i for i in issues if i.is_error]:
        print(issue.format(), file=sys.stderr)


def _import(args: argparse.Namespace) -> int:
    effective = _month(args.effective)
    if effective is None:
        print(T.BAD_EFFECTIVE.format(value=args.effective), file=sys.stderr)
        return 2
    path = Path(args.file)
    if not path.is_file():
        print(TC.FILE_NOT_FOUND.format(file=args.file), file=sys.stderr)
        return 1
    engine = open_engine(database_url(args.db))
    read, version_id = import_catalog(engine, path, effective=effective, user=args.user)
    _print_issues(read.issues)
    if version_id is None:
        print(TC.REFUSED.format(n=len(read.errors)), file=sys.stderr)
        return 1
    print(
        T.CATALOG_IMPORTED.format(
            file=read.file, n=len(read.frame), month=_shown(effective), version=version_id
        )
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    month = _month(args.period)
    if month is None:
        print(T.BAD_EFFECTIVE.format(value=args.period), file=sys.stderr)
        return 2
    frame = catalog_in_force(open_engine(database_url(args.db)), month)
    if args.format == "json":
        print(json.dumps(catalog_records(frame), ensure_ascii=False, indent=2))
        return 0
    if frame.empty:
        print(T.CATALOG_NONE.format(month=_shown(month)))
        return 0
    print(T.CATALOG_LIST_TITLE.format(month=_shown(month), n=len(frame)))
    h = T.LIST_HEADERS
    print(
        f"{h['procedure_code']:10}  {h['online_level']:10}  {h['flags']:34}  {h['unit']:30}  {h['procedure_name']}"
    )
    for r in catalog_records(frame):
        flags = " / ".join(T.FLAG_SHOWN[r[c]] for c in CATALOG_FLAGS)
        unit = str(r["unit"])[:30]
        print(
            f"{r['procedure_code']!s:10}  {r['online_level']!s:10}  {flags:34}  {unit:30}  {r['procedure_name']}"
        )
    return 0


def catalog_main(args: argparse.Namespace) -> int:
    """Run ``catalog import`` or ``catalog list``."""
    return _import(args) if args.catalog_command == "import" else _list(args)
