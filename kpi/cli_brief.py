"""``python -m kpi brief``: the brief of a period as Word, PDF or Excel (``reports.md``).

``python -m kpi brief --period P [--unit NAME] --format docx|pdf|xlsx --out FILE [--db URL] [--targets PATH]``
``python -m kpi brief --period P|latest [--unit NAME] --send [--force] [--recipients LIST] …``.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from data_access.brief import (
    FORMATS,
    MIME_TYPES,
    BriefData,
    admin_header,
    compose_brief,
    file_stem,
    mail_summary,
    render,
)
from data_access.cli_vi import add_db_option
from data_access.document import Block, Document, ExportColumn, Paragraph
from data_access.document import Table as DocTable
from data_access.textnorm import fold
from data_access.texts import brief as TB
from kpi import texts as T
from kpi.engine import kpi_table
from kpi.insights import attention_for
from kpi.periods import Period, parse_period, periods_with_figures
from kpi.sums import Figures
from kpi.targets import Plan, TargetsError, load_targets
from vnfmt import fmt_datetime, fmt_int, fmt_month_in, fmt_number


class BriefRefused(Exception):
    """A refusal with a Vietnamese message (exit 1)."""


#: ``--period latest``: the last month with figures (for a scheduler sending the monthly brief).
LATEST = "latest"


def _period(text: str) -> str:
    if text.strip().lower() == LATEST:
        return LATEST
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
    p.add_argument("--format", choices=list(FORMATS), help=TB.CLI_FORMAT_HELP)
    p.add_argument("--out", metavar=TB.CLI_OUT_METAVAR, help=TB.CLI_OUT_HELP)
    add_db_option(p)
    p.add_argument("--targets", metavar=T.CLI_TARGETS_METAVAR, help=T.CLI_TARGETS_HELP)
    p.add_argument("--send", action="store_true", help=TB.CLI_SEND_HELP)
    p.add_argument("--force", action="store_true", help=TB.CLI_FORCE_HELP)
    p.add_argument(
        "--recipients", default="monthly", metavar=TB.CLI_RECIPIENTS_METAVAR, help=TB.CLI_RECIPIENTS_HELP
    )
    return p


# ---------------------------------------------------------------------------- what the brief shows


def _procedures(
    source: Any, catalog: Any, plan: Plan, period: Period, unit: str | None
) -> dict[str, pd.DataFrame]:
    """Per procedure KPI (``plan.procedure_kpis``) its procedures not counted (in its denominator, not
    counted, unknowns left out) with the reason in words, by :func:`kpi.procedures.procedure_list`
    on ``source`` (a :class:`kpi.procedures.ProcedureSource`) and ``catalog`` (month → catalog in
    force); empty when the plan has none or no source is given."""
    if not plan.procedure_kpis or source is None or catalog is None:
        return {}
    from kpi.procedures import procedure_list

    reasons = getattr(T, "PROCEDURE_REASONS", {})
    out = {}
    for kpi_id, spec in plan.procedure_kpis.items():
        # the unit is filtered here: procedure_list(unit=...) fails on pandas' read-only arrays (reported)
        frame = procedure_list(source, catalog, plan, kpi=kpi_id, period=period)
        left = frame["counted"].eq(False).fillna(False).astype(bool)
        if unit is not None:
            left &= frame["unit"].map(fold).eq(fold(unit))
        if "in_denominator" in frame:
            left &= frame["in_denominator"].fillna(False).astype(bool)
        shown = frame[left]
        out[spec.label] = shown.assign(reason=[reasons.get(r, r) for r in shown["reason"]])
    return out


_POINT_COLUMNS = (
    ExportColumn("label", TB.COL_CRITERION, "text", 30),
    ExportColumn("framework_name", TB.COL_FRAMEWORK, "text", 12),
    ExportColumn("value", TB.COL_RATIO, "percent", 9),
    ExportColumn("points", TB.COL_POINTS, "decimal", 7),
    ExportColumn("max", TB.COL_MAX, "decimal", 7),
    ExportColumn("lost", TB.COL_LOST, "decimal", 7),
    ExportColumn("to_next", TB.COL_TO_NEXT, "int", 10),
    ExportColumn("note", TB.COL_NOTE, "text", 16),
)


def _procedure_overall(
    source: Any, catalog: Any, plan: Plan, period: Period, unit: str | None
) -> pd.DataFrame:
    """Table I's KPIs counting procedures (:func:`kpi.procedures.procedure_kpi_table`), for the
    department or for ``unit`` (its catalog procedures); empty without procedure KPIs or a source."""
    if not plan.procedure_kpis or source is None or catalog is None:
        return pd.DataFrame()
    from kpi.procedures import procedure_kpi_table

    if unit is None:
        return procedure_kpi_table(source, catalog, plan, period=period)
    by_unit = procedure_kpi_table(source, catalog, plan, period=period, by=("unit",))
    return by_unit[by_unit["unit"] == unit].drop(columns="unit").reset_index(drop=True)


def _points(
    figures: Figures, plan: Plan, period: Period, catalog: Any = None, procedures: Any = None
) -> tuple[list[Block], bool]:
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
    table = scoring_mod.score_table(
        figures, plan, scoring, period=period, catalog=catalog, procedures=procedures
    )
    if table.empty:
        return [], True
    names = {fid: fw.name for fid, fw in scoring.frameworks.items()}
    reasons = getattr(T, "SCORE_REASONS", {})
    shown = table.assign(
        framework_name=[names.get(f, f) for f in table["framework"]],
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
    procedure_source: Any = None,
    catalog: Any = None,
) -> BriefData:
    """What the brief of ``period`` shows. ``figures`` is the whole department's (a frame or a source
    with ``where``); with ``unit`` the tables are that unit's, judged by its own targets (as the
    Overview does), and section II is by field. ``procedure_source`` and ``catalog`` (a
    :class:`kpi.procedures.ProcedureSource` and a month → catalog lookup) list, in section III, the
    procedures each procedure KPI does not count yet."""
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
    # the criteria counting procedures are the department's (a unit's points are its dossier criteria)
    points, available = _points(
        scope, plan, period, catalog if unit is None else None, procedure_source if unit is None else None
    )
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
        procedures=_procedures(procedure_source, catalog, plan, period, unit),
        procedure_overall=_procedure_overall(procedure_source, catalog, plan, period, unit),
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


def procedure_inputs(engine: Any, plan: Plan) -> tuple[Any, Any]:
    """(procedure source, catalog lookup) of the database ``engine`` for section III, or
    ``(None, None)`` when the plan has no procedure KPI."""
    if not plan.procedure_kpis:
        return None, None
    from data_access.procedure_figures import SqlProcedureFigures, catalog_lookup

    return SqlProcedureFigures(engine, check_codes=False), catalog_lookup(engine)


@dataclass(frozen=True)
class _Prepared:
    """What a run computed before writing any file."""

    engine: Any
    period: Period
    unit: str | None
    plan: Plan
    figures: pd.DataFrame  # the figures the brief came from (its period and the previous one)
    data: BriefData


def _prepare(args: argparse.Namespace) -> _Prepared:
    from data_access.catalog import load_catalog
    from data_access.plans import PlanFileError, plan_file_for, year_notice
    from data_access.queries import active_uploads
    from data_access.settings import database_url
    from data_access.store import StoreError, active_parts, load_figures, open_engine

    if args.out is not None:
        _check_out(Path(args.out))
    unit = _unit(args.unit)
    try:
        engine = open_engine(database_url(args.db))
        stored = sorted(set(active_parts(engine)["period"]))
    except StoreError as exc:
        raise BriefRefused(str(exc)) from exc
    if not stored:
        raise BriefRefused(T.CLI_EMPTY_DATABASE)
    asked = parse_period(stored[-1] if args.period == LATEST else args.period)
    year = asked.year
    try:
        plan = load_targets(plan_file_for(year, args.targets).path, unit_resolver=load_catalog().units.match)
    except (TargetsError, PlanFileError) as exc:
        raise BriefRefused(str(exc)) from exc
    try:
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
    source, catalog = procedure_inputs(engine, plan)
    data = brief_data(
        figures,
        plan,
        period,
        unit=unit,
        uploads=uploads,
        plan_note=year_notice(year, plan.year, args.targets),
        procedure_source=source,
        catalog=catalog,
    )
    return _Prepared(engine, period, unit, plan, figures, data)


def _write(out: Path, data: bytes) -> None:
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise BriefRefused(TB.CLI_OUT_UNWRITABLE.format(path=out, reason=exc.strerror or exc)) from exc
    print(TB.CLI_WRITTEN.format(path=out, size=fmt_int(len(data))))


def _send(args: argparse.Namespace, prep: _Prepared) -> int:
    """Mail the brief of ``prep`` (PDF and DOCX); 0 sent or skipped, 1 failed (nothing counted as sent)."""
    from data_access.mailer import MailError, data_key, mail_settings, send_report, sent_before

    try:
        settings = mail_settings(recipients=args.recipients)
    except MailError as exc:
        raise BriefRefused(str(exc)) from exc
    header = admin_header()
    key = data_key(prep.figures, repr(prep.plan), prep.data.plan_note or "", header.agency)
    title = TB.MAIL_TITLE.format(period=prep.data.period_title)
    if not args.force:
        at = sent_before(engine=prep.engine, report="brief", period=prep.period.code, unit=prep.unit, key=key)
        if at is not None:  # nothing new: the files are not even written
            print(TB.CLI_SEND_SKIPPED.format(title=title, at=fmt_datetime(at)))
            return 0
    doc = compose_brief(prep.data)
    stem = file_stem(prep.period.code, prep.unit)
    attachments = [
        (f"{stem}.{fmt}", render(doc, fmt, header=header), MIME_TYPES[fmt]) for fmt in ("pdf", "docx")
    ]
    result = send_report(
        prep.engine,
        period=prep.period.code,
        unit=prep.unit,
        attachments=attachments,
        summary=mail_summary(prep.data),
        settings=settings,
        data_key=key,
        force=args.force,
        report="brief",
        title=title,
        agency=header.agency,
        user="cli",
    )
    if not result.ok:
        print(T.CLI_ERROR.format(message=result.message), file=sys.stderr)
        return 1
    print(result.message)
    return 0


def run(args: argparse.Namespace) -> int:
    """Write (``--out``) and/or mail (``--send``) the brief ``args`` ask for; 0 when done, 1 (with the
    reason on stderr) when refused or when the mail could not be sent."""
    if not args.send and (args.format is None or args.out is None):
        print(T.CLI_ERROR.format(message=TB.CLI_NEED_OUT), file=sys.stderr)
        return 2
    if args.out is not None and args.format is None:
        print(T.CLI_ERROR.format(message=TB.CLI_NEED_FORMAT), file=sys.stderr)
        return 2
    try:
        prep = _prepare(args)
        if args.out is not None:
            doc = compose_brief(prep.data)
            _write(Path(args.out), render(doc, args.format, header=admin_header()))
        if args.send:
            return _send(args, prep)
    except BriefRefused as exc:
        print(T.CLI_ERROR.format(message=exc), file=sys.stderr)
        return 1
    return 0
