"""Command line: ``python -m kpi report`` (see ``interfaces.md``: KPI report).

Exit codes: 0 done; 1 refused with a message (unknown period, malformed targets file, empty or
unreachable database); 2 wrong usage. The one place in ``kpi`` that loads from the database.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from collections.abc import Sequence

import pandas as pd

from data_access.cli_vi import VietnameseArgumentParser, add_db_option, add_format_option
from kpi import texts as T
from kpi.engine import kpi_table
from kpi.targets import Plan, TargetsError, load_targets
from kpi.texts import STATUS_LABELS
from vnfmt import POINTS_UNIT, fmt_int, fmt_month_in, fmt_pct, fmt_points

BY_CHOICES = ("unit", "field")


def _period(text: str) -> str:
    t = text.strip()
    if len(t) == 7 and t[4] == "-" and t[:4].isdigit() and t[5:].isdigit() and 1 <= int(t[5:]) <= 12:
        return t
    raise argparse.ArgumentTypeError(T.CLI_BAD_PERIOD.format(text=text))


def _by(text: str) -> list[str]:
    keys = [k.strip() for k in text.split(",") if k.strip()]
    if not keys or any(k not in BY_CHOICES for k in keys) or len(set(keys)) != len(keys):
        raise argparse.ArgumentTypeError(T.CLI_BAD_BY.format(text=text))
    return keys


def build_parser() -> argparse.ArgumentParser:
    p = VietnameseArgumentParser(prog="python -m kpi", description=T.CLI_DESCRIPTION)
    sub = p.add_subparsers(
        dest="command", required=True, metavar=T.CLI_COMMAND_METAVAR, help=T.CLI_COMMAND_HELP
    )
    rep = sub.add_parser("report", help=T.CLI_REPORT_HELP, description=T.CLI_REPORT_DESCRIPTION)
    rep.add_argument("--period", required=True, type=_period, metavar="YYYY-MM", help=T.CLI_PERIOD_HELP)
    rep.add_argument("--ytd", action="store_true", help=T.CLI_YTD_HELP)
    rep.add_argument("--by", type=_by, default=[], metavar=T.CLI_BY_METAVAR, help=T.CLI_BY_HELP)
    add_db_option(rep)
    rep.add_argument("--targets", metavar=T.CLI_TARGETS_METAVAR, help=T.CLI_TARGETS_HELP)
    add_format_option(rep, "table", "json", "csv")
    return p


# ---------------------------------------------------------------------------- output


def _num(x: object) -> float | None:
    if x is None or x is pd.NA:
        return None
    v = float(x)  # type: ignore[arg-type]
    return None if math.isnan(v) else v


def _int(x: object) -> int | None:
    return None if x is None or x is pd.NA else int(x)  # type: ignore[call-overload]


def records(table: pd.DataFrame, by: Sequence[str]) -> list[dict[str, object]]:
    """The JSON objects of ``interfaces.md``: one per KPI and group."""
    out = []
    for r in table.to_dict("records"):
        rec: dict[str, object] = {"kpi": r["kpi"], "label": r["label"]}
        for k in by:
            rec[k] = None if pd.isna(r[k]) else str(r[k])
        rec.update(
            numerator=_int(r["numerator"]),
            denominator=_int(r["denominator"]),
            value=_num(r["value"]),
            target=_num(r["target"]),
            gap=_num(r["gap"]),
            shortfall=_int(r["shortfall"]),
            status=r["status"],
            rows=int(r["rows"]),
            rows_missing=int(r["rows_missing"]),
        )
        out.append(rec)
    return out


def _count(x: object) -> str:
    return fmt_int(x)


def _points(x: object) -> str:
    return fmt_points(x, sign=True).removesuffix(f" {POINTS_UNIT}")


def render_table(recs: list[dict[str, object]], by: Sequence[str], title: str) -> str:
    """A plain-text table in Vietnamese."""
    headers = [h for key, h in T.CLI_HEADERS.items() if key not in ("unit", "field") or key in by]
    rows = []
    for r in recs:
        rows.append(
            [
                str(r["label"]),
                *([str(r["unit"] or "")] if "unit" in by else []),
                *([str(r["field"] or "")] if "field" in by else []),
                _count(r["numerator"]),
                _count(r["denominator"]),
                fmt_pct(r["value"]),
                fmt_pct(r["target"]),
                _points(r["gap"]),
                _count(r["shortfall"]),
                STATUS_LABELS.get(str(r["status"]), str(r["status"])),
                _count(r["rows_missing"]),
            ]
        )
    left = {0, *range(1, 1 + len(by)), len(headers) - 2}  # text columns; numbers are right-aligned
    widths = [max([len(h), *(len(row[i]) for row in rows)]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    out = [title, line(headers), "  ".join("-" * w for w in widths)]
    out += [line(row) for row in rows]
    return "\n".join(out)


def render_csv(recs: list[dict[str, object]]) -> str:
    buf = io.StringIO()
    if recs:
        writer = csv.DictWriter(buf, fieldnames=list(recs[0]), lineterminator="\n")
        writer.writeheader()
        for r in recs:
            writer.writerow({k: "" if v is None else v for k, v in r.items()})
    return buf.getvalue()


# ---------------------------------------------------------------------------- command


class _Refused(Exception):
    """A refusal with a Vietnamese message: exit 1."""


def _load(args: argparse.Namespace) -> tuple[pd.DataFrame, Plan]:
    from data_access.catalog import load_catalog
    from data_access.settings import database_url, targets_path
    from data_access.store import StoreError, load_figures, open_engine

    try:
        plan = load_targets(targets_path(args.targets), unit_resolver=load_catalog().units.match)
    except TargetsError as exc:
        raise _Refused(str(exc)) from exc
    start = f"{args.period[:4]}-01" if args.ytd else args.period
    try:
        engine = open_engine(database_url(args.db))
        figures = load_figures(engine, start, args.period)
        if not (figures["period"] == args.period).any():
            everything = load_figures(engine)
            if everything.empty:
                raise _Refused(T.CLI_EMPTY_DATABASE)
            months = sorted(set(everything["period"]))
            raise _Refused(
                T.CLI_NO_FIGURES.format(
                    month=fmt_month_in(args.period),
                    first=fmt_month_in(months[0]),
                    last=fmt_month_in(months[-1]),
                    months=len(months),
                )
            )
    except StoreError as exc:
        raise _Refused(str(exc)) from exc
    return figures, plan


def _report(args: argparse.Namespace) -> int:
    figures, plan = _load(args)
    table = kpi_table(figures, plan, period=args.period, ytd=args.ytd, by=args.by)
    recs = records(table, args.by)
    if args.format == "json":
        print(json.dumps(recs, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        sys.stdout.write(render_csv(recs))
    else:
        month = fmt_month_in(args.period)
        span = T.CLI_YTD_SPAN.format(month=month) if args.ytd else month
        print(render_table(recs, args.by, T.CLI_TITLE.format(plan=plan.name, span=span)))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return {"report": _report}[args.command](args)
    except _Refused as exc:
        print(T.CLI_ERROR.format(message=exc), file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
