"""Points the department is judged by: the PAR index and the 766 index (``scoring.md``), from its figures.

``scoring.toml`` (beside ``targets.toml``; ``SCORING_FILE`` or ``--scoring``) holds the rules as data:
frameworks, and criteria that turn a ratio into points by bands. A criterion's ratio is a KPI of the
plan (``kpi``: the numerator and denominator of :func:`kpi.engine.kpi_table`, dossiers or procedures)
or its own ``numerator``/``denominator`` columns (summed by :func:`kpi.sums.aggregate`).

Per criterion, and per group when ``by`` is given (e.g. ``("unit",)``): ``value`` (the ratio),
``points``, ``max``, ``lost`` = max − points and the next step: ``next_from`` (the smallest band
boundary above the ratio that gives more points), ``next_points`` and ``to_next`` =
⌈next_from × denominator − numerator⌉, all computed with exact fractions. No value gives no points,
with a ``reason`` code (:data:`kpi.texts.SCORE_REASONS`): ``no_dossiers`` (denominator 0),
``no_data`` (a figure unknown), ``not_computed`` (the KPI is not in the plan). Pure pandas, no I/O
except :func:`load_scoring`.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from kpi.periods import Period, as_period
from kpi.plan import DEFAULT_NOUN, KpiSpec, Plan
from kpi.scoring_check import (
    PERIODS,
    Band,
    Criterion,
    Framework,
    NotComputed,
    Scoring,
    ScoringChecker,
    ScoringError,
)
from kpi.sums import aggregate, check_by
from kpi.targets_check import syntax_message
from kpi.texts import SCORING_NOT_FOUND, SCORING_UNREADABLE

if TYPE_CHECKING:
    from kpi.procedures import CatalogLookup

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCORING_FILE = PROJECT_ROOT / "scoring.toml"
#: The environment variable naming another scoring file.
SCORING_ENV = "SCORING_FILE"
#: Reason codes of a criterion without points.
REASONS = ("no_dossiers", "no_data", "not_computed")
#: The keys of ``python -m kpi score --format json`` (``scoring.md``), ``unit`` only when grouped.
JSON_KEYS = (
    "criterion",
    "framework",
    "unit",
    "numerator",
    "denominator",
    "value",
    "points",
    "max",
    "lost",
    "next_from",
    "next_points",
    "to_next",
    "exact",
)
SCORE_COLUMNS = (
    "criterion",
    "framework",
    "label",
    "numerator",
    "denominator",
    "value",
    "points",
    "max",
    "lost",
    "next_from",
    "next_points",
    "to_next",
    "exact",
    "reason",
    "noun",
    "rows_missing",
)
TOTAL_COLUMNS = (
    "framework",
    "name",
    "points",
    "max",
    "lost",
    "counted",
    "missing",
    "missing_max",
    "not_computed_max",
)

# ---------------------------------------------------------------------------- loading


def default_scoring_path(cli_value: str | None = None) -> Path:
    """The scoring file of the settings (:func:`data_access.settings.scoring_path`): ``cli_value``
    (``--scoring``, as given), else ``SCORING_FILE`` (a relative path from the project root), else
    ``scoring.toml`` there."""
    from data_access.settings import scoring_path
    from data_access.settings import source as setting_source

    path = scoring_path(cli_value)
    if setting_source("scoring", cli_value) == "cli" or path.is_absolute():
        return path
    return PROJECT_ROOT / path


def load_scoring(path: str | Path | None = None, *, text: str | None = None) -> Scoring:
    """Read and check a scoring file (or ``text``, when given; ``path`` then only names it).

    Raises :class:`ScoringError` (a :class:`~kpi.plan.TargetsError`) with one Vietnamese message
    naming the file and the key. A criterion's ``kpi`` is not checked against the plan: one that the
    plan lacks is "chưa tính được" when scoring (:func:`score_table`)."""
    if text is None:
        p = default_scoring_path(None if path is None else str(path))
        name = p.name
        try:
            text = p.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise ScoringError(SCORING_NOT_FOUND.format(name=name, path=p)) from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise ScoringError(SCORING_UNREADABLE.format(name=name, error=type(exc).__name__)) from exc
    else:
        name = Path(path).name if path is not None else DEFAULT_SCORING_FILE.name
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScoringError(syntax_message(name, exc)) from exc
    return ScoringChecker(name).scoring(raw)


def missing_kpis(scoring: Scoring, plan: Plan) -> list[str]:
    """The criteria whose ``kpi`` the plan lacks, of either kind (they are scored "chưa tính được")."""
    return [
        c.id
        for c in scoring.criteria.values()
        if c.kpi is not None and c.kpi not in plan.kpis and c.kpi not in plan.procedure_kpis
    ]


# ---------------------------------------------------------------------------- one criterion


@dataclass(frozen=True)
class Score:
    """The points of one criterion for one numerator/denominator (exact fractions; None = no value)."""

    value: Fraction | None
    points: Fraction | None
    max: Fraction
    next_from: Fraction | None = None
    next_points: Fraction | None = None
    to_next: int | None = None
    reason: str | None = None

    @property
    def lost(self) -> Fraction | None:
        return None if self.points is None else self.max - self.points


def score(criterion: Criterion, numerator: int | None, denominator: int | None) -> Score:
    """The points of ``numerator``/``denominator`` by the criterion's bands (see the module doc).

    ``None`` for either is an unknown figure (``no_data``); a denominator of 0 is ``no_dossiers``."""
    if numerator is None or denominator is None:
        return Score(None, None, criterion.max, reason="no_data")
    if denominator == 0:
        return Score(None, None, criterion.max, reason="no_dossiers")
    ratio = Fraction(int(numerator), int(denominator))
    points = criterion.points_at(ratio)
    step = criterion.next_step(ratio)
    if step is None:
        return Score(ratio, points, criterion.max)
    nxt, there = step
    return Score(ratio, points, criterion.max, nxt, there, math.ceil(nxt * denominator - numerator))


def not_computed(criterion: Criterion) -> Score:
    """The score of a criterion the figures cannot give yet (its KPI is not in the plan)."""
    return Score(None, None, criterion.max, reason="not_computed")


# ---------------------------------------------------------------------------- tables


def _own_id(criterion_id: str) -> str:
    return f"_scoring_{criterion_id}"


def _sums(
    figures: object,
    plan: Plan | None,
    criteria: list[Criterion],
    period: Period,
    keys: list[str],
    catalog: CatalogLookup | None = None,
    procedures: object = None,
) -> pd.DataFrame:
    """``*keys, _id, numerator, denominator, rows_missing``: the KPIs' rows of :func:`kpi_table` (``_id``
    the KPI id), the procedure KPIs' rows of :func:`kpi.procedures.procedure_kpi_table` (counts of
    procedures; ``rows_missing`` = the procedures left out as unknown) and the own ratios' rows of
    :func:`aggregate` (``_id`` from :func:`_own_id`)."""
    from kpi.engine import kpi_table

    parts = []
    wanted = {c.kpi for c in criteria if c.kpi is not None}
    if plan is not None and wanted & set(plan.kpis):
        table = kpi_table(figures, plan, period=period, by=keys)  # type: ignore[arg-type]
        table = table[table["kpi"].isin(wanted)]
        parts.append(table[[*keys, "kpi", "numerator", "denominator", "rows_missing"]])
    if (
        plan is not None
        and catalog is not None
        and wanted & set(plan.procedure_kpis)
        and set(keys) <= {"unit"}
    ):
        from kpi.procedures import procedure_figures_from_frame, procedure_kpi_table

        source: object = procedures if procedures is not None else figures
        if isinstance(source, pd.DataFrame):  # a figures frame: its procedure rows, summed here
            columns = sorted({c for s in plan.procedure_kpis.values() for c in s.columns})
            source = procedure_figures_from_frame(
                source, start=period.start, end=period.end, columns=columns, catalog=catalog
            )
        procs = procedure_kpi_table(source, catalog, plan, period=period, by=keys)  # type: ignore[arg-type]
        procs = procs[procs["kpi"].isin(wanted)].rename(columns={"unknown": "rows_missing"})
        parts.append(procs[[*keys, "kpi", "numerator", "denominator", "rows_missing"]])
    own = {
        _own_id(c.id): KpiSpec(
            id=_own_id(c.id), label=c.label, numerator=c.numerator, denominator=c.denominator, target=0.0
        )
        for c in criteria
        if c.kpi is None
    }
    if own:
        tmp = Plan(name="scoring", year=period.year, near=0.0, kpis=own)
        agg = aggregate(figures, tmp, start=period.start, end=period.end, by=keys)  # type: ignore[arg-type]
        parts.append(agg[[*keys, "kpi", "numerator", "denominator", "rows_missing"]])
    if not parts:
        return pd.DataFrame(columns=[*keys, "_id", "numerator", "denominator", "rows_missing"])
    return pd.concat(parts, ignore_index=True).rename(columns={"kpi": "_id"})


def _opt_int(x: object) -> int | None:
    return None if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)) else int(x)  # type: ignore[call-overload]


def _opt_float(x: Fraction | None) -> float | None:
    return None if x is None else float(x)


def score_table(
    figures: object,
    plan: Plan | None,
    scoring: Scoring,
    *,
    period: str | Period,
    ytd: bool = False,
    by: Sequence[str] = (),
    framework: str | None = None,
    catalog: CatalogLookup | None = None,
    procedures: object = None,
) -> pd.DataFrame:
    """The points of every criterion (of ``framework`` only, when given) over ``period``
    (:func:`kpi.periods.as_period`), for the department or per group of ``by`` (e.g. ``("unit",)``).

    A criterion on a KPI counting procedures (``plan.procedure_kpis``) is scored from
    :func:`kpi.procedures.procedure_kpi_table` on ``procedures`` (a :class:`~kpi.procedures.ProcedureSource`,
    default ``figures`` itself, or a figures frame) against ``catalog`` (month → the procedure catalog in
    force); without ``catalog`` it is "chưa tính được".

    ``figures``: a figures frame or a :class:`~kpi.sums.FigureSource`, as :func:`kpi.engine.kpi_table`.
    Columns :data:`SCORE_COLUMNS` (``*by`` after ``framework``): numbers as floats (computed exactly),
    ``numerator``/``denominator``/``to_next``/``rows_missing`` as ``Int64``, NA where there is none.
    One row per criterion and group, criteria in file order; groups sorted. A criterion whose ``kpi``
    the plan lacks has reason ``not_computed`` in every group.
    """
    p = as_period(period, ytd=ytd)
    keys = check_by(by, allow_period=False)
    criteria = scoring.of(framework)
    sums = _sums(figures, plan, criteria, p, keys, catalog, procedures)
    if keys:
        groups = sums[keys].drop_duplicates().sort_values(keys, na_position="last")
        group_list = [tuple(g) for g in groups.itertuples(index=False)]
    else:
        group_list = [()]
    found: dict[tuple[object, ...], tuple[int | None, int | None, int | None]] = {}
    for r in sums.to_dict("records"):
        group = tuple(r[k] for k in keys)
        found[(r["_id"], *group)] = (
            _opt_int(r["numerator"]),
            _opt_int(r["denominator"]),
            _opt_int(r["rows_missing"]),
        )
    rows = []
    for c in criteria:
        counts_procedures = plan is not None and c.kpi in plan.procedure_kpis and catalog is not None
        known = c.kpi is None or (plan is not None and c.kpi in plan.kpis) or counts_procedures
        sid = c.kpi if c.kpi is not None else _own_id(c.id)
        noun = c.noun or (plan.spec(c.kpi).noun if c.kpi is not None and known and plan else DEFAULT_NOUN)
        for group in group_list:
            num, den, missing = found.get((sid, *group), (None, None, None)) if known else (None, None, None)
            s = score(c, num, den) if known else not_computed(c)
            rows.append(
                {
                    "criterion": c.id,
                    "framework": c.framework,
                    **dict(zip(keys, group, strict=True)),
                    "label": c.label,
                    "numerator": num,
                    "denominator": den,
                    "value": _opt_float(s.value),
                    "points": _opt_float(s.points),
                    "max": float(s.max),
                    "lost": _opt_float(s.lost),
                    "next_from": _opt_float(s.next_from),
                    "next_points": _opt_float(s.next_points),
                    "to_next": s.to_next,
                    "exact": c.exact,
                    "reason": s.reason,
                    "noun": noun,
                    "rows_missing": missing,
                }
            )
    columns = ["criterion", "framework", *keys, *SCORE_COLUMNS[2:]]
    out = pd.DataFrame(rows, columns=columns)
    for col in ("numerator", "denominator", "to_next", "rows_missing"):
        out[col] = pd.array([_opt_int(x) for x in out[col]], dtype="Int64")
    for col in ("value", "points", "lost", "next_from", "next_points", "max"):
        out[col] = out[col].astype("float64")
    out["exact"] = out["exact"].astype(bool)
    return out


def framework_totals(table: pd.DataFrame, scoring: Scoring, by: Sequence[str] = ()) -> pd.DataFrame:
    """Per framework (and group of ``by``) of a :func:`score_table`: ``points`` and ``max`` of the
    criteria with a value, ``lost``, ``counted`` and ``missing`` (criteria without a value) with
    ``missing_max`` (their points), and ``not_computed_max`` (the framework's parts the figures
    cannot give). Columns :data:`TOTAL_COLUMNS` (``*by`` after ``name``)."""
    keys = check_by(by, allow_period=False)
    rows = []
    for fid, fw in scoring.frameworks.items():
        part = table[table["framework"] == fid]
        if part.empty:
            continue
        grouped = part.groupby(keys, dropna=False, sort=False) if keys else [((), part)]
        for group, g in grouped:
            group_t = group if isinstance(group, tuple) else (group,)
            has = g["points"].notna()
            rows.append(
                {
                    "framework": fid,
                    "name": fw.name,
                    **dict(zip(keys, group_t, strict=True)),
                    "points": float(g.loc[has, "points"].sum()),
                    "max": float(g.loc[has, "max"].sum()),
                    "lost": float(g.loc[has, "lost"].sum()),
                    "counted": int(has.sum()),
                    "missing": int((~has).sum()),
                    "missing_max": float(g.loc[~has, "max"].sum()),
                    "not_computed_max": float(sum((n.max for n in fw.not_computed), Fraction(0))),
                }
            )
    return pd.DataFrame(rows, columns=[*TOTAL_COLUMNS[:2], *keys, *TOTAL_COLUMNS[2:]])


def score_records(table: pd.DataFrame, by: Sequence[str] = ()) -> list[dict[str, object]]:
    """The JSON objects of ``scoring.md``: exactly :data:`JSON_KEYS` (``unit`` only when grouped by it)."""
    keys = [k for k in JSON_KEYS if k != "unit" or "unit" in by]
    out = []
    for r in table.to_dict("records"):
        rec: dict[str, object] = {}
        for k in keys:
            v = r[k]
            if k in ("numerator", "denominator", "to_next"):
                rec[k] = _opt_int(v)
            elif k in ("value", "points", "max", "lost", "next_from", "next_points"):
                rec[k] = None if v is None or pd.isna(v) else float(v)
            elif k == "exact":
                rec[k] = bool(v)
            else:
                rec[k] = (
                    None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else str(v)
                )
        out.append(rec)
    return out


__all__ = [
    "DEFAULT_SCORING_FILE",
    "JSON_KEYS",
    "PERIODS",
    "REASONS",
    "SCORE_COLUMNS",
    "SCORING_ENV",
    "TOTAL_COLUMNS",
    "Band",
    "Criterion",
    "Framework",
    "NotComputed",
    "Score",
    "Scoring",
    "ScoringError",
    "default_scoring_path",
    "framework_totals",
    "load_scoring",
    "missing_kpis",
    "not_computed",
    "score",
    "score_records",
    "score_table",
]
