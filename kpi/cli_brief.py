"""``python -m kpi brief``: the brief of a period as Word, PDF or Excel (``reports.md``).

``python -m kpi brief --period P [--unit NAME] --format docx|pdf|xlsx --out FILE [--db URL] [--targets PATH]``.
:func:`brief_data` computes what the brief shows from a figures source (the same :func:`kpi_table`
calls as ``kpi report``, so the tables equal it), :func:`brief_document` composes it
(:func:`data_access.brief.compose_brief`); a page's download button calls the same two. Exit codes:
0 written; 1 refused with a Vietnamese message (no figures for the period or the unit, unknown unit,
unwritable ``--out``, bad targets file, unreachable database); 2 wrong usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.util
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from data_access.brief import FORMATS, BriefData, admin_header, compose_brief, render
from data_access.cli_vi import add_db_option
from data_access.document import Block, Document, ExportColumn, Paragraph
from data_access.document import Table as DocTable
from data_access.texts import brief as TB
from kpi import texts as T
from kpi.engine import kpi_table
from kpi.insights import attention_for
from kpi.periods import Period, parse_period, periods_with_figures
from kpi.sums import Figures
from kpi.targets import Plan, TargetsError, load_targets
from vnfmt import fmt_int, fmt_month_in, fmt_number


class BriefRefused(Exception):
    """A refusal with a Vietnamese message (exit 1)."""


def _period(text: str) -> str:
    try:
        return parse_period(text).code
    except ValueError:
        raise argparse.ArgumentTypeError(T.CLI_BAD_PERIOD.format(text=text)) from None


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """The ``brief`` subcommand on ``subparsers`` (of :func:`kpi.__main__.build_parser`)."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "brief", help=TB.CLI_HELP, description=TB.CLI_DESCRIPTION
    )
    p.add_argument(
        "--period", required=True, type=_period, metavar=T.CLI_PERIOD_METAVAR, help=T.CLI_PERIOD_HELP
    )
    p.add_argument("--unit", metavar=TB.CLI_UNIT_METAVAR, help=TB.CLI_UNIT_HELP)
    p.add_argument("--format", choices=list(FORMATS), required=True, help=TB.CLI_FORMAT_HELP)
    p.add_argument("--out", required=True, metavar=TB.CLI_OUT_METAVAR, help=TB.CLI_OUT_HELP)
    add_db_option(p)
    p.add_argument("--targets", metavar=T.CLI_TARGETS_METAVAR, help=T.CLI_TARGETS_HELP)
    return p


# ---------------------------------------------------------------------------- what the brief shows


def _procedures(figures: Figures, plan: Plan, period: Period, unit: str | None) -> dict[str, pd.DataFrame]:
    """Per procedure KPI (``kind == "procedures"``) the procedures not counted, when
    :func:`kpi.procedures.procedure_list` exists (issue 15); empty otherwise."""
    kinds = {k: getattr(s, "kind", "dossiers") for k, s in plan.kpis.items()}
    wanted = [k for k, kind in kinds.items() if kind == "procedures"]
    if not wanted or importlib.util.find_spec("kpi.procedures") is None:
        return {}
    procedure_list = getattr(importlib.import_module("kpi.procedures"), "procedure_list", None)
    if procedure_list is None:
        return {}
    out = {}
    for k in wanted:
        frame = procedure_list(figures, plan, k, period=period, unit=unit)
        left = frame[frame["counted"].fillna(False).astype(bool).eq(False)]
        out[plan.kpis[k].label] = left
    return out


_POINT_COLUMNS = (
    ExportColumn("label", TB.COL_CRITERION, "text", 30),
    ExportColumn("framework_name", TB.COL_FRAMEWORK, "text", 12),
    ExportColumn("value", TB.COL_RATIO, "percent", 9),
    ExportColumn("points_text", TB.COL_POINTS, "text", 7),
    ExportColumn("max_text", TB.COL_MAX, "text", 7),
    ExportColumn("lost_text", TB.COL_LOST, "text", 7),
    ExportColumn("to_next", TB.COL_TO_NEXT, "int", 10),
    ExportColumn("note", TB.COL_NOTE, "text", 16),
)


def _points(figures: Figures, plan: Plan, period: Period) -> tuple[list[Block], bool]:
    """Section IV's blocks and whether scoring is available: the criteria of :mod:`kpi.scoring`
    (``score_table`` on ``scoring.toml``), most points lost first, and one total line per framework."""
    if importlib.util.find_spec("kpi.scoring") is None:
        return [], False
    scoring_mod = importlib.import_module("kpi.scoring")
    if not all(hasattr(scoring_mod, n) for n in ("load_scoring", "score_table", "framework_totals")):
        return [], False
    try:
        scoring = scoring_mod.load_scoring()
    except ValueError as exc:  # ScoringError: a missing or malformed scoring file
        return [Paragraph(TB.POINTS_FILE_ERROR.format(message=exc))], True
    table = scoring_mod.score_table(figures, plan, scoring, period=period)
    if table.empty:
        return [], True
    names = {fid: fw.name for fid, fw in scoring.frameworks.items()}
    reasons = getattr(T, "SCORE_REASONS", {})
    shown = table.assign(
        framework_name=[names.get(f, f) for f in table["framework"]],
        points_text=[fmt_number(x, 2) for x in table["points"]],
        max_text=[fmt_number(x, 2) for x in table["max"]],
        lost_text=[fmt_number(x, 2) for x in table["lost"]],
        note=[reasons.get(r, r) if isinstance(r, str) else None for r in table["reason"]],
        _lost=table["lost"].fillna(-1.0),
    ).sort_values("_lost", ascending=False, kind="stable")
    blocks: list[Block] = [Paragraph(TB.POINTS_INTRO, "note")]
    for r in scoring_mod.framework_totals(table, scoring).to_dict("records"):
        blocks.append(
            Paragraph(
                TB.POINTS_TOTAL.format(
                    name=r["name"],
                    points=fmt_number(r["points"], 2),
                    max=fmt_number(r["max"], 2),
                    lost=fmt_number(r["lost"], 2),
                )
            )
        )
    blocks.append(DocTable.from_frame(shown, _POINT_COLUMNS, sheet=TB.POINTS_SHEET))
    return blocks, True


def brief_data(
    figures: Figures,
    plan: Plan,
    period: Period,
    *,
    unit: str | None = None,
    uploads: pd.DataFrame | None = None,
    plan_note: str | None = None,
    chart: bytes | None = None,
    now: dt.datetime | None = None,
) -> BriefData:
    """What the brief of ``period`` shows. ``figures`` is the whole department's (a frame or a source
    with ``where``); with ``unit`` the tables are that unit's, judged by its own targets (as the
    Overview does), and section II is by field."""
    scope: Figures
    by: tuple[str, ...]
    if unit is None:
        scope, by = figures, ()
    elif isinstance(figures, pd.DataFrame):
        scope, by = figures[figures["unit"] == unit], ("unit",)
    else:
        scope, by = figures.where(units=[unit]), ("unit",)  # type: ignore[attr-defined]
    overall = kpi_table(scope, plan, period=period, by=by, change=True)
    group = "field" if unit else "unit"
    groups = kpi_table(scope, plan, period=period, by=("unit", "field") if unit else ("unit",))
    attention = attention_for(scope, plan, period=period)
    points, available = _points(scope, plan, period)
    return BriefData(
        period_title=period.describe(),
        months=tuple(period.months),
        plan_name=plan.name,
        plan_year=plan.year,
        overall=overall,
        groups=groups,
        group=group,
        attention=attention,
        uploads=uploads if uploads is not None else pd.DataFrame(),
        status_labels=T.STATUS_LABELS,
        unit=unit,
        plan_note=plan_note,
        procedures=_procedures(scope, plan, period, unit),
        points=points,
        points_available=available,
        chart=chart,
        generated=now,
    )


def brief_document(figures: Figures, plan: Plan, period: Period, **kwargs: Any) -> Document:
    """:func:`brief_data` composed (:func:`data_access.brief.compose_brief`)."""
    return compose_brief(brief_data(figures, plan, period, **kwargs))


# ---------------------------------------------------------------------------- command


def _no_figures(period: Period, stored: list[str]) -> str:
    """Why a period with no figures is refused, with what the database holds (as ``kpi report``)."""
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
    others = periods_with_figures(period.kind, stored)
    return text + T.CLI_PERIODS_WITH_FIGURES.format(periods=", ".join(p.describe() for p in others))


def _check_out(path: Path) -> None:
    """Refuse an ``--out`` that cannot be written before any work is done."""
    if path.is_dir():
        raise BriefRefused(TB.CLI_OUT_UNWRITABLE.format(path=path, reason=TB.CLI_OUT_IS_DIR))
    if not path.parent.is_dir():
        raise BriefRefused(TB.CLI_OUT_UNWRITABLE.format(path=path, reason=TB.CLI_OUT_NO_DIR))


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
            raise BriefRefused(TB.CLI_UNKNOWN_UNIT_SUGGEST.format(unit=name, suggestion=suggestion))
        raise BriefRefused(TB.CLI_UNKNOWN_UNIT.format(unit=name))
    return found


def _build(args: argparse.Namespace) -> bytes:
    from data_access.catalog import load_catalog
    from data_access.plans import PlanFileError, plan_file_for, year_notice
    from data_access.queries import active_uploads
    from data_access.settings import database_url
    from data_access.store import StoreError, active_parts, load_figures, open_engine

    _check_out(Path(args.out))
    unit = _unit(args.unit)
    asked = parse_period(args.period)
    year = asked.year
    try:
        plan = load_targets(plan_file_for(year, args.targets).path, unit_resolver=load_catalog().units.match)
    except (TargetsError, PlanFileError) as exc:
        raise BriefRefused(str(exc)) from exc
    try:
        engine = open_engine(database_url(args.db))
        stored = sorted(set(active_parts(engine)["period"]))
        if not stored:
            raise BriefRefused(T.CLI_EMPTY_DATABASE)
        period = asked.until(stored[-1])
        if not set(period.months) & set(stored):
            raise BriefRefused(_no_figures(asked, stored))
        previous = period.previous()
        figures = load_figures(engine, previous.start if previous else period.start, period.end)
        in_period = figures[figures["period"].between(period.start, period.end)]
        if unit is not None and not (in_period["unit"] == unit).any():
            raise BriefRefused(TB.CLI_NO_UNIT_FIGURES.format(unit=unit, period=period.describe()))
        if in_period.empty:
            raise BriefRefused(TB.CLI_NO_PERIOD_FIGURES.format(period=period.describe()))
        uploads = active_uploads(engine, period.start, period.end, unit)
    except StoreError as exc:
        raise BriefRefused(str(exc)) from exc
    doc = brief_document(
        figures,
        plan,
        period,
        unit=unit,
        uploads=uploads,
        plan_note=year_notice(year, plan.year, args.targets),
    )
    return render(doc, args.format, header=admin_header())


def run(args: argparse.Namespace) -> int:
    """Write the brief ``args`` ask for; 0 when written, 1 (with the reason on stderr) when refused."""
    try:
        data = _build(args)
        out = Path(args.out)
        try:
            out.write_bytes(data)
        except OSError as exc:
            raise BriefRefused(TB.CLI_OUT_UNWRITABLE.format(path=out, reason=exc.strerror or exc)) from exc
    except BriefRefused as exc:
        print(T.CLI_ERROR.format(message=exc), file=sys.stderr)
        return 1
    print(TB.CLI_WRITTEN.format(path=out, size=fmt_int(len(data))))
    return 0
