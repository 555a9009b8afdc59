"""Command line: ``python -m kpi procedures`` (``procedures.md``): the procedures of one procedure KPI.

``python -m kpi procedures --period P [--ytd] --kpi ID [--unit NAME] [--format table|json|csv] [--db URL]
[--targets F]``: the procedures in the KPI's scope (those left out for want of figures too, ``counted``
null), whether each is counted and the sums of the period it was judged on — the list of the page
"Thủ tục hành chính" (:func:`kpi.procedures.procedure_list`, on the database's sums
:class:`~data_access.procedure_figures.SqlProcedureFigures`). The period is cut to the latest month with
figures, as ``kpi report`` does. Exit codes: 0 done; 1 refused with a message (unknown period, KPI or
unit, malformed targets file, empty or unreachable database); 2 wrong usage.

JSON: a list of objects with the keys :data:`JSON_KEYS` (``values``: {column code: sum over the period,
or null when unknown}).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from typing import Any

import pandas as pd

from data_access.cli_vi import add_db_option, add_format_option
from data_access.columns import COUNT_COLUMNS
from data_access.texts import cli_procedures as TP
from kpi import texts as T
from kpi.periods import Period, parse_period
from kpi.procedures import procedure_list
from kpi.targets import Plan, TargetsError, load_targets
from vnfmt import fmt_int

COMMAND = "procedures"
JSON_KEYS: tuple[str, ...] = ("procedure_code", "procedure_name", "unit", "field", "counted", "values")
#: The fixed columns of a :func:`kpi.procedures.procedure_list` frame (the others are figure columns).
_TEXT_KEYS = ("procedure_code", "procedure_name", "unit", "field")


class Refused(Exception):
    """A refusal with a Vietnamese message (exit 1)."""


def _period(text: str) -> str:
    try:
        return parse_period(text).code
    except ValueError:
        raise argparse.ArgumentTypeError(T.CLI_BAD_PERIOD.format(text=text)) from None


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``procedures`` to ``python -m kpi``'s subcommands."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        COMMAND, help=TP.CLI_HELP, description=TP.CLI_DESCRIPTION
    )
    p.add_argument(
        "--period", required=True, type=_period, metavar=T.CLI_PERIOD_METAVAR, help=T.CLI_PERIOD_HELP
    )
    p.add_argument("--ytd", action="store_true", help=T.CLI_YTD_HELP)
    p.add_argument("--kpi", required=True, metavar=TP.CLI_KPI_METAVAR, help=TP.CLI_KPI_HELP)
    p.add_argument("--unit", metavar=TP.CLI_UNIT_METAVAR, help=TP.CLI_UNIT_HELP)
    add_db_option(p)
    p.add_argument("--targets", metavar=T.CLI_TARGETS_METAVAR, help=T.CLI_TARGETS_HELP)
    add_format_option(p, "table", "json", "csv")
    p.set_defaults(procedures_parser=p)
    return p


# ---------------------------------------------------------------------------- output


def figure_columns(frame: pd.DataFrame) -> list[str]:
    """The figure columns of a procedure list (its count columns, in the frame's order)."""
    return [c for c in frame.columns if c in COUNT_COLUMNS]


def _value(v: object) -> int | None:
    return None if v is None or v is pd.NA or pd.isna(v) else int(v)  # type: ignore[call-overload]


def _text(v: object) -> str | None:
    return None if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)) else str(v)


def _counted(v: object) -> bool | None:
    return None if v is None or v is pd.NA else bool(v)


def records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """The JSON objects of ``procedures.md``: one per procedure, in the list's order."""
    columns = figure_columns(frame)
    out: list[dict[str, object]] = []
    for r in frame.to_dict("records"):
        rec: dict[str, object] = {k: _text(r[k]) for k in _TEXT_KEYS}
        rec["counted"] = _counted(r["counted"])
        rec["values"] = {c: _value(r[c]) for c in columns}
        out.append(rec)
    return out


def counted_word(v: object) -> str:
    if v is None or v is pd.NA:
        return TP.COUNTED_UNKNOWN
    return TP.COUNTED_YES if bool(v) else TP.COUNTED_NO


def summary(frame: pd.DataFrame) -> str:
    counted = frame["counted"]
    return TP.CLI_SUMMARY.format(
        total=fmt_int(len(frame)),
        counted=fmt_int(int(counted.eq(True).sum())),
        not_counted=fmt_int(int(counted.eq(False).sum())),
        unknown=fmt_int(int(counted.isna().sum())),
    )


def render_table(frame: pd.DataFrame, title: str, reasons: dict[str, str]) -> str:
    """A plain-text table in Vietnamese: code, name, unit, field, counted, reason, the figures."""
    from data_access.columns import HEADERS

    columns = figure_columns(frame)
    headers = [*TP.CLI_HEADERS.values(), *(HEADERS.get(c, c) for c in columns)]
    rows = []
    for r in frame.to_dict("records"):
        reason = _text(r.get("reason"))
        rows.append(
            [
                *(_text(r[k]) or "" for k in _TEXT_KEYS),
                counted_word(r["counted"]),
                reasons.get(reason, reason) if reason else "",
                *(fmt_int(r[c]) for c in columns),
            ]
        )
    if not rows:
        return "\n".join([title, TP.CLI_EMPTY])
    left = set(range(len(TP.CLI_HEADERS)))
    widths = [max([len(h), *(len(row[i]) for row in rows)]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    out = [title, summary(frame), line(headers), "  ".join("-" * w for w in widths)]
    out += [line(row) for row in rows]
    return "\n".join(out)


def render_csv(frame: pd.DataFrame) -> str:
    """CSV: the JSON keys, ``values`` spread into one column per figure column (empty: unknown)."""
    buf = io.StringIO()
    recs = records(frame)
    names = [*JSON_KEYS[:-1], *figure_columns(frame)]
    writer = csv.DictWriter(buf, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    for r in recs:
        values = r["values"]
        assert isinstance(values, dict)
        row = {k: r[k] for k in JSON_KEYS[:-1]} | values
        writer.writerow(
            {k: "" if v is None else str(v).lower() if isinstance(v, bool) else v for k, v in row.items()}
        )
    return buf.getvalue()


# ---------------------------------------------------------------------------- command


def _unit(name: str | None) -> str | None:
    """The catalog's name of ``--unit``; refused when the catalog has no such unit."""
    from data_access.catalog import load_catalog

    if name is None:
        return None
    units = load_catalog().units
    found = units.match(name)
    if found is None:
        suggestion = units.suggest(name)
        if suggestion:
            raise Refused(TP.CLI_UNKNOWN_UNIT_SUGGEST.format(unit=name, suggestion=suggestion))
        raise Refused(TP.CLI_UNKNOWN_UNIT.format(unit=name))
    return str(found)


def _plan(period: str, targets: str | None) -> Plan:
    """The plan of the period's year, as ``kpi report`` takes it (``--targets``: one file for every year)."""
    from data_access.catalog import load_catalog
    from data_access.plans import PlanFileError, plan_file_for

    try:
        path = plan_file_for(int(period[:4]), targets).path
        return load_targets(path, unit_resolver=load_catalog().units.match)
    except (TargetsError, PlanFileError) as exc:
        raise Refused(str(exc)) from exc


def procedure_rows(args: argparse.Namespace) -> tuple[pd.DataFrame, Plan, Period]:
    """The list ``args`` ask for (:func:`kpi.procedures.procedure_list` on the database), the plan and
    the period computed (cut to the latest month with figures)."""
    from data_access.procedure_figures import SqlProcedureFigures, catalog_lookup
    from data_access.settings import database_url
    from data_access.store import StoreError, active_parts, open_engine
    from kpi.__main__ import _no_figures

    asked: Period = args.asked
    plan = _plan(str(args.period), args.targets)
    if not plan.procedure_kpis:
        raise Refused(TP.CLI_NO_PROCEDURE_KPIS)
    if args.kpi not in plan.procedure_kpis:
        raise Refused(TP.CLI_UNKNOWN_KPI.format(kpi=args.kpi, known=", ".join(plan.procedure_kpis)))
    unit = _unit(args.unit)
    try:
        engine = open_engine(database_url(args.db))
        stored = sorted(set(active_parts(engine)["period"]))
        if not stored:
            raise Refused(T.CLI_EMPTY_DATABASE)
        period = asked.until(stored[-1])
        if not set(period.months) & set(stored):
            raise Refused(_no_figures(asked, stored))
        frame = procedure_list(
            SqlProcedureFigures(engine),
            catalog_lookup(engine),
            plan,
            kpi=args.kpi,
            period=period,
            unit=unit,
        )
    except StoreError as exc:
        raise Refused(str(exc)) from exc
    return frame, plan, period


def run(args: argparse.Namespace) -> int:
    """Run ``kpi procedures``; the exit code (see the module doc)."""
    from kpi.__main__ import period_span

    try:  # the period asked; the year to date needs a month (a usage error, exit 2)
        args.asked = parse_period(args.period, ytd=args.ytd)
    except ValueError:
        message = T.CLI_YTD_NEEDS_MONTH.format(text=args.period)
        parser = getattr(args, "procedures_parser", None)
        if parser is not None:
            parser.error(message)
        print(T.CLI_ERROR.format(message=message), file=sys.stderr)
        return 2
    try:
        frame, plan, period = procedure_rows(args)
    except Refused as exc:
        print(T.CLI_ERROR.format(message=exc), file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps(records(frame), ensure_ascii=False, indent=2))
    elif args.format == "csv":
        sys.stdout.write(render_csv(frame))
    else:
        label = plan.procedure_kpis[args.kpi].label
        span = period_span(period)
        unit = _unit(args.unit)
        title = (
            TP.CLI_TITLE_UNIT.format(label=label, unit=unit, span=span)
            if unit
            else TP.CLI_TITLE.format(label=label, span=span)
        )
        print(render_table(frame, title, dict(T.PROCEDURE_REASONS)))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m kpi procedures …`` (through :func:`kpi.__main__.main`)."""
    from kpi.__main__ import main as kpi_main

    return kpi_main([COMMAND, *(argv or [])])
