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
from data_access.plans import year_notice
from kpi import cli_brief, cli_procedures, cli_score
from kpi import texts as T
from kpi.engine import kpi_table
from kpi.periods import Period, parse_period, periods_with_figures
from kpi.targets import Plan, TargetsError, load_targets
from kpi.texts import STATUS_LABELS
from vnfmt import POINTS_UNIT, fmt_int, fmt_month_in, fmt_pct, fmt_points

BY_CHOICES = ("unit", "field")


def _period(text: str) -> str:
    """A period's code (``2024-06``, ``2024-Q1``, ``2024-H1``, ``2024``), checked (:mod:`kpi.periods`)."""
    try:
        return parse_period(text).code
    except ValueError:
        raise argparse.ArgumentTypeError(T.CLI_BAD_PERIOD.format(text=text)) from None


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
    rep.add_argument(
        "--period", required=True, type=_period, metavar=T.CLI_PERIOD_METAVAR, help=T.CLI_PERIOD_HELP
    )
    rep.add_argument("--ytd", action="store_true", help=T.CLI_YTD_HELP)
    rep.add_argument("--by", type=_by, default=[], metavar=T.CLI_BY_METAVAR, help=T.CLI_BY_HELP)
    add_db_option(rep)
    rep.add_argument("--targets", metavar=T.CLI_TARGETS_METAVAR, help=T.CLI_TARGETS_HELP)
    add_format_option(rep, "table", "json", "csv")
    cli_score.add_parser(sub)
    cli_brief.add_parser(sub)
    cli_procedures.add_parser(sub)
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
    """The JSON objects of ``interfaces.md``: one per KPI and group, with ``kind`` (``dossiers``, or
    ``procedures`` for a KPI counting procedures: numerator and denominator are then procedures, ``unknown``
    the procedures left out for want of figures by procedure, and ``rows``/``rows_missing`` are null;
    ``unknown`` is null for a dossier KPI): every object has the same keys, for the CSV."""
    out = []
    for r in table.to_dict("records"):
        kind = str(r.get("kind") or "dossiers")
        rec: dict[str, object] = {"kpi": r["kpi"], "label": r["label"], "kind": kind}
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
        )
        if kind == "procedures":
            rec.update(rows=None, rows_missing=None, unknown=int(r["unknown"]))
        else:
            rec.update(rows=int(r["rows"]), rows_missing=int(r["rows_missing"]), unknown=None)
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
                _count(r["unknown"] if r.get("kind") == "procedures" else r["rows_missing"]),
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
    if any(r.get("kind") == "procedures" for r in recs):
        out.append(T.CLI_PROCEDURES_NOTE)
    return "\n".join(out)


def render_csv(recs: list[dict[str, object]]) -> str:
    """CSV with the JSON keys; the list of months is one cell, the months separated by spaces."""
    buf = io.StringIO()
    if recs:
        writer = csv.DictWriter(buf, fieldnames=list(recs[0]), lineterminator="\n")
        writer.writeheader()
        for r in recs:
            writer.writerow(
                {k: "" if v is None else " ".join(v) if isinstance(v, list) else v for k, v in r.items()}
            )
    return buf.getvalue()


def with_period(recs: list[dict[str, object]], period: Period) -> list[dict[str, object]]:
    """``recs`` with the period's keys: ``period`` (its code), ``period_kind``, ``period_label``
    (Vietnamese) and ``months`` (the months computed, first to last)."""
    keys = {"period": period.code, "period_kind": period.kind, "period_label": period.describe()}
    return [{**r, **keys, "months": list(period.months)} for r in recs]


def period_span(period: Period) -> str:
    """The period as the table's title says it: "tháng 3/2024", "lũy kế từ tháng 1 đến tháng 3/2024",
    else :meth:`Period.describe` ("Quý I/2024 (số liệu đến Tháng 2/2024)")."""
    if period.kind == "month":
        return fmt_month_in(period.code)
    if period.kind == "ytd":
        return T.CLI_YTD_SPAN.format(month=fmt_month_in(period.end))
    return period.describe()


# ---------------------------------------------------------------------------- command


class _Refused(Exception):
    """A refusal with a Vietnamese message: exit 1."""


def _load(args: argparse.Namespace) -> tuple[pd.DataFrame, Plan, Period]:
    from data_access.catalog import load_catalog
    from data_access.plans import PlanFileError, plan_file_for

    try:  # the plan of the period's year (data_access.plans); --targets names one file for every year
        path = plan_file_for(int(str(args.period)[:4]), args.targets).path
        plan = load_targets(path, unit_resolver=load_catalog().units.match)
    except (TargetsError, PlanFileError) as exc:
        raise _Refused(str(exc)) from exc
    figures, period = _load_figures(args)
    return figures, plan, period


def _load_figures(args: argparse.Namespace) -> tuple[pd.DataFrame, Period]:
    """The figures of the period asked (``args.asked``), cut to the latest month with figures when
    it is not over (:meth:`Period.until`), and that period; refused when none of its months has any."""
    from data_access.settings import database_url
    from data_access.store import StoreError, active_parts, load_figures, open_engine

    asked: Period = args.asked
    try:
        engine = open_engine(database_url(args.db))
        stored = sorted(set(active_parts(engine)["period"]))
        if not stored:
            raise _Refused(T.CLI_EMPTY_DATABASE)
        period = asked.until(stored[-1])
        if not set(period.months) & set(stored):
            raise _Refused(_no_figures(asked, stored))
        figures = load_figures(engine, period.start, period.end)
    except StoreError as exc:
        raise _Refused(str(exc)) from exc
    return figures, period


def _no_figures(period: Period, stored: list[str]) -> str:
    """Why a period with no figures is refused, with what the database holds."""
    have = {"first": fmt_month_in(stored[0]), "last": fmt_month_in(stored[-1]), "months": len(stored)}
    if period.kind == "month":
        return T.CLI_NO_FIGURES.format(month=fmt_month_in(period.code), **have)
    label = period.describe()
    text = T.CLI_NO_FIGURES_PERIOD.format(
        period=label[:1].lower() + label[1:],
        first_month=fmt_month_in(period.start),
        last_month=fmt_month_in(period.nominal_end),
        **have,
    )
    if period.kind != "ytd":
        others = periods_with_figures(period.kind, stored)
        text += T.CLI_PERIODS_WITH_FIGURES.format(periods=", ".join(p.describe() for p in others))
    return text


def procedure_table(db: str | None, plan: Plan, period: Period, by: Sequence[str]) -> pd.DataFrame:
    """The KPIs counting procedures (``plan.procedure_kpis``) over ``period``, summed in the database
    against the procedure catalog in force (:mod:`kpi.procedures`); empty when the plan has none."""
    from data_access.settings import database_url
    from data_access.store import open_engine
    from kpi.procedures import procedure_kpi_table

    if not plan.procedure_kpis:
        return pd.DataFrame()
    source, catalog = cli_brief.procedure_inputs(open_engine(database_url(db)), plan)
    return procedure_kpi_table(source, catalog, plan, period=period, by=by)


def _report(args: argparse.Namespace) -> int:
    figures, plan, period = _load(args)
    table = kpi_table(figures, plan, period=period, by=args.by).assign(kind="dossiers")
    procedures = procedure_table(args.db, plan, period, args.by)
    if not procedures.empty:  # after the dossier KPIs, in the same shape (``kind``, ``unknown``)
        table = pd.concat([table, procedures], ignore_index=True)
    recs = with_period(records(table, args.by), period)
    year = int(str(args.period)[:4])
    for rec in recs:  # which year's plan judged the period (data_access.plans)
        rec.update(plan_year=plan.year, plan_own_year=plan.year == year)
    if args.format == "json":
        print(json.dumps(recs, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        sys.stdout.write(render_csv(recs))
    else:
        title = T.CLI_TITLE.format(plan=plan.name, span=period_span(period))
        if note := year_notice(year, plan.year, args.targets):
            title = f"{title}\n{note}"
        print(render_table(recs, args.by, title))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == cli_score.COMMAND:
        return cli_score.run(args)
    if args.command == "brief":
        return cli_brief.run(args)
    if args.command == cli_procedures.COMMAND:
        return cli_procedures.run(args)
    if args.command == "report":
        try:  # the period asked; the year to date needs a month (a usage error, exit 2)
            args.asked = parse_period(args.period, ytd=args.ytd)
        except ValueError:
            parser.error(T.CLI_YTD_NEEDS_MONTH.format(text=args.period))
    try:
        return {"report": _report}[args.command](args)
    except _Refused as exc:
        print(T.CLI_ERROR.format(message=exc), file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
