"""``python -m data_access scores import FILE`` and ``scores list [--period P]``: the official 766 scores.

Exit codes as the other commands: 0 done, 1 refused (every error printed, database unchanged), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

import pandas as pd

from data_access.cli_vi import add_db_option, add_format_option
from data_access.messages import Issue
from data_access.official_scores import import_scores, official_scores, period_label, score_period
from data_access.settings import database_url
from data_access.store import open_engine
from data_access.texts import cli as TC
from data_access.texts import official_scores as T
from vnfmt import fmt_int, fmt_number

__all__ = ["add_scores_parser", "score_records", "scores_main"]


def add_scores_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The ``scores`` command and its two subcommands, on the main parser's subparsers ``sub``."""
    cmd = sub.add_parser("scores", help=T.SCORES_HELP)
    ssub = cmd.add_subparsers(
        dest="scores_command", required=True, metavar=TC.COMMAND_METAVAR, help=TC.COMMAND_HELP
    )
    imp = ssub.add_parser("import", help=T.SCORES_IMPORT_HELP)
    imp.add_argument("file", metavar=T.SCORES_FILE_METAVAR, help=T.SCORES_FILE_HELP)
    add_db_option(imp)
    imp.add_argument("--user", default="cli", metavar=TC.USER_METAVAR, help=T.SCORES_USER_HELP)
    lst = ssub.add_parser("list", help=T.SCORES_LIST_HELP)
    lst.add_argument("--period", metavar=T.SCORES_PERIOD_METAVAR, help=T.SCORES_PERIOD_HELP)
    add_db_option(lst)
    add_format_option(lst, "table", "json")


def _short(code: str) -> str:
    """A period in a summary line: a month as ``07/2024``, any other as :func:`period_label` writes it."""
    if len(code) == 7 and code[4] == "-" and code[5:].isdigit():
        return f"{code[5:]}/{code[:4]}"
    return period_label(code)


def score_records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Scores in force (:func:`official_scores`) as JSON objects with the :data:`OFFICIAL_COLUMNS` keys
    (an unknown value: ``null``)."""
    out: list[dict[str, object]] = []
    rows = cast("Iterable[Any]", frame.itertuples(index=False))  # pandas-stubs type each field as any scalar
    for r in rows:
        out.append(
            {
                "period": r.period,
                "group_code": r.group_code,
                "group_name": r.group_name,
                "points": None if pd.isna(r.points) else float(r.points),
                "rank": None if pd.isna(r.rank) else int(r.rank),
                "max_points": float(r.max_points),
                "upload_id": int(r.upload_id),
                "uploaded_at": r.uploaded_at.isoformat(),
                "file_name": r.file_name,
            }
        )
    return out


def _print_issues(issues: list[Issue]) -> None:
    """Warnings first, then every error, each on its own line (where, message, value)."""
    for issue in sorted(issues, key=lambda i: i.is_error):
        print(issue.format(), file=sys.stderr)


def _import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(TC.FILE_NOT_FOUND.format(file=args.file), file=sys.stderr)
        return 1
    engine = open_engine(database_url(args.db))
    done = import_scores(engine, path.read_bytes(), path.name, user=args.user)
    _print_issues(done.read.issues)
    if done.upload_id is None:
        print(TC.REFUSED.format(n=len(done.read.errors)), file=sys.stderr)
        return 1
    print(
        T.SCORES_IMPORTED.format(
            file=done.read.file,
            rows=done.rows,
            n=len(done.periods),
            periods=", ".join(_short(p) for p in done.periods),
            upload=done.upload_id,
        )
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    period: str | None = None
    if args.period is not None:
        try:
            period = score_period(args.period)
        except ValueError:
            print(T.BAD_SCORES_PERIOD.format(value=args.period), file=sys.stderr)
            return 2
    frame = official_scores(open_engine(database_url(args.db)), period)
    if args.format == "json":
        print(json.dumps(score_records(frame), ensure_ascii=False, indent=2))
        return 0
    if frame.empty:
        print(T.SCORES_NONE if period is None else T.SCORES_NONE_FOR.format(period=period_label(period)))
        return 0
    h = T.SCORES_LIST_HEADERS
    for i, (code, part) in enumerate(frame.groupby("period", sort=True)):
        if i:
            print()
        print(T.SCORES_LIST_TITLE.format(period=period_label(str(code))))
        print(f"{h['group']:26}  {h['points']:>7}  {h['max_points']:>7}  {h['rank']:>8}  {h['upload']}")
        for r in score_records(part):
            points = T.NO_VALUE if r["points"] is None else fmt_number(r["points"], 2)
            rank = T.NO_VALUE if r["rank"] is None else fmt_int(r["rank"])
            most = fmt_number(r["max_points"], 0)
            print(f"{r['group_name']!s:26}  {points:>7}  {most:>7}  {rank:>8}  #{r['upload_id']}")
    return 0


def scores_main(args: argparse.Namespace) -> int:
    """Run ``scores import`` or ``scores list``."""
    return _import(args) if args.scores_command == "import" else _list(args)
