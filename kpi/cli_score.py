"""Command line: ``python -m kpi score`` (``scoring.md``): the points of each criterion over a period.

``python -m kpi score --period P [--ytd] [--by unit] [--framework par|i766] [--db URL] [--targets PATH]
[--scoring PATH] [--format table|json|csv]``. Exit codes as ``kpi report``: 0 done; 1 refused with a
message (unknown period, malformed targets or scoring file, empty or unreachable database); 2 wrong
usage. JSON: a list of objects with exactly the keys of :data:`kpi.scoring.JSON_KEYS`.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys

import pandas as pd

from data_access.cli_vi import add_db_option, add_format_option
from kpi import texts as T
from kpi.periods import parse_period
from kpi.scoring import (
    Scoring,
    ScoringError,
    framework_totals,
    load_scoring,
    score_records,
    score_table,
)
from vnfmt import SCORE_DIGITS, fmt_int, fmt_number, fmt_pct

COMMAND = "score"
BY_CHOICES = ("unit",)


def _period(text: str) -> str:
    """A period's code, checked (:mod:`kpi.periods`), as ``kpi report``'s ``--period``."""
    try:
        return parse_period(text).code
    except ValueError:
        raise argparse.ArgumentTypeError(T.CLI_BAD_PERIOD.format(text=text)) from None


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    """Add ``score`` to ``python -m kpi``'s subcommands."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        COMMAND, help=T.CLI_SCORE_HELP, description=T.CLI_SCORE_DESCRIPTION
    )
    p.add_argument(
        "--period", required=True, type=_period, metavar=T.CLI_PERIOD_METAVAR, help=T.CLI_PERIOD_HELP
    )
    p.add_argument("--ytd", action="store_true", help=T.CLI_YTD_HELP)
    p.add_argument("--by", choices=BY_CHOICES, default=None, help=T.CLI_SCORE_BY_HELP)
    p.add_argument("--framework", choices=("par", "i766"), default=None, help=T.CLI_FRAMEWORK_HELP)
    add_db_option(p)
    p.add_argument("--targets", metavar=T.CLI_TARGETS_METAVAR, help=T.CLI_TARGETS_HELP)
    p.add_argument("--scoring", metavar=T.CLI_SCORING_METAVAR, help=T.CLI_SCORING_HELP)
    add_format_option(p, "table", "json", "csv")
    p.set_defaults(score_parser=p, run=run)
    return p


# ---------------------------------------------------------------------------- output


def _n(x: object) -> str:
    return fmt_int(x)


def _pts(x: object) -> str:
    return fmt_number(x, SCORE_DIGITS)


def _pct(x: object) -> str:
    return fmt_pct(x)


def render_table(
    table: pd.DataFrame, totals: pd.DataFrame, scoring: Scoring, by: list[str], span: str
) -> str:
    """Per framework: a title, the criteria as rows, the total line and the parts not computed."""
    headers = [h for key, h in T.CLI_SCORE_HEADERS.items() if key != "unit" or "unit" in by]
    out: list[str] = []
    for fid, fw in scoring.frameworks.items():
        part = table[table["framework"] == fid]
        if part.empty:
            continue
        rows = []
        for r in part.to_dict("records"):
            note = T.SCORE_REASONS[r["reason"]] if isinstance(r["reason"], str) else ""
            if not r["exact"]:
                note = f"{note}; {T.SCORE_ESTIMATE}" if note else T.SCORE_ESTIMATE
            rows.append(
                [
                    str(r["label"]),
                    *([str(r["unit"] or "")] if "unit" in by else []),
                    _n(r["numerator"]),
                    _n(r["denominator"]),
                    _pct(r["value"]),
                    _pts(r["points"]),
                    _pts(r["max"]),
                    _pts(r["lost"]),
                    _pct(r["next_from"]),
                    _pts(r["next_points"]),
                    _n(r["to_next"]),
                    note,
                ]
            )
        left = {0, *range(1, 1 + len(by)), len(headers) - 1}
        widths = [max([len(h), *(len(row[i]) for row in rows)]) for i, h in enumerate(headers)]

        def line(cells: list[str], widths: list[int] = widths, left: set[int] = left) -> str:
            return "  ".join(
                c.ljust(w) if i in left else c.rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            ).rstrip()

        if out:
            out.append("")
        out += [
            T.CLI_SCORE_TITLE.format(framework=fw.name, span=span),
            line(headers),
            "  ".join("-" * w for w in widths),
        ]
        out += [line(row) for row in rows]
        if not by:
            for t in totals[totals["framework"] == fid].to_dict("records"):
                out.append(
                    T.CLI_SCORE_TOTAL.format(
                        points=_pts(t["points"]),
                        max=_pts(t["max"]),
                        lost=_pts(t["lost"]),
                        missing=t["missing"],
                        missing_max=_pts(t["missing_max"]),
                    )
                )
        for n in fw.not_computed:
            out.append(T.CLI_SCORE_NOT_COMPUTED.format(label=n.label, max=_pts(float(n.max))))
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


def run(args: argparse.Namespace) -> int:
    """Run ``kpi score``; the exit code (see the module doc)."""
    from kpi.__main__ import _load, _Refused, period_span

    try:  # the period asked; the year to date needs a month (a usage error, exit 2)
        args.asked = parse_period(args.period, ytd=args.ytd)
    except ValueError:
        parser = getattr(args, "score_parser", None)
        if parser is not None:
            parser.error(T.CLI_YTD_NEEDS_MONTH.format(text=args.period))
        print(T.CLI_ERROR.format(message=T.CLI_YTD_NEEDS_MONTH.format(text=args.period)), file=sys.stderr)
        return 2
    by = [args.by] if args.by else []
    try:
        scoring = load_scoring(args.scoring)
        figures, plan, period = _load(args)
    except ScoringError as exc:
        print(T.CLI_ERROR.format(message=exc), file=sys.stderr)
        return 1
    except _Refused as exc:
        print(T.CLI_ERROR.format(message=exc), file=sys.stderr)
        return 1
    from data_access.settings import database_url
    from data_access.store import open_engine
    from kpi.cli_brief import procedure_inputs

    procedures, catalog = procedure_inputs(open_engine(database_url(args.db)), plan)
    table = score_table(
        figures,
        plan,
        scoring,
        period=period,
        by=by,
        framework=args.framework,
        catalog=catalog,
        procedures=procedures,
    )
    if args.format == "json":
        print(json.dumps(score_records(table, by), ensure_ascii=False, indent=2))
    elif args.format == "csv":
        sys.stdout.write(render_csv(score_records(table, by)))
    else:
        totals = framework_totals(table, scoring, by)
        print(render_table(table, totals, scoring, by, period_span(period)))
    return 0
