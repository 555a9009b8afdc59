"""KPIs that count procedures (``procedures.md``): pure pandas, no I/O.

Input: :class:`ProcedureFigures` (the month sums per procedure and how far each (month, unit, field)
is broken down by procedure), from a figures frame (:func:`procedure_figures_from_frame`) or from a
:class:`ProcedureSource` that sums in the database, and a :data:`CatalogLookup` (month → catalog in
force). Output: the KPI table (:func:`procedure_kpi_table`, judged like the dossier KPIs by
:func:`kpi.judge.judge_columns`) and the list of procedures to act on (:func:`procedure_list`).

How a procedure is counted over a period (``procedures.md``, "How a procedure is counted"):

* The catalog in force at the period's last month gives the procedures, their unit, field and
  attributes (``scope``, ``counted_if``, ``by``, the ``unit``/``field`` filters).
* A procedure's figures for a month M come from the rows with its code in the figures of (M, its unit)
  (any field of that unit: a row filed under another field still counts). Its unit and field in M are
  those of the catalog in force in M; a procedure absent from M's catalog (added later in the year)
  takes its unit and field from the period-end catalog, so its figures of M still count by code.
  With a row: known from the row (an empty cell is unknown for that column). Without a row: 0 when
  (M, unit, field) is at level ``procedure``, unknown when ``partial`` or absent.
* Over the period a column's sum is unknown when any month is unknown or any needed cell empty.
* ``scope`` / ``counted_if`` are matched three-valued (Kleene): a known attribute that does not match
  leaves the procedure out of scope (not listed) or not counted; an empty attribute that decides it
  makes the procedure unknown. Texts (``online_level``, ``unit``, ``field``) match folded
  (:func:`data_access.textnorm.fold`: case, spaces, diacritics).
* ``active``: sum unknown → unknown; sum 0 → not in the denominator (listed, reason ``not_active``),
  whatever the ``counted_when`` cells (they are not needed then). Then ``counted_when``: sum unknown →
  unknown, > 0 → counted, 0 → not counted; or ``counted_if`` on the catalog.
* numerator = counted, denominator = counted + not counted, ``unknown`` = procedures left out.

Speed: texts become integer ids once per distinct value and the (procedure × month) grid is filled
by index arithmetic and ``np.bincount`` (no loop per procedure or month, no merge on texts). A source
that also gives range totals (:class:`ProcedureRangeSource`: per (unit, field, procedure) the sum over
the period and a bitmask of the months it has rows in, :class:`ProcedureTotals`) is asked for those
(a year is ~12× fewer rows than month sums); the months are told known / unknown from the bits and the
per-month coverage. When a procedure moved between units within the period and a total of its code
spans months of both units, only month sums tell them apart: the source's month sums are asked then.
``per_month=True`` asks the month sums always (the results are the same).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Protocol, cast, runtime_checkable

import numpy as np
import pandas as pd

from data_access.columns import (
    CATALOG_COLUMNS,
    CATALOG_FLAGS,
    COUNT_COLUMNS,
    ONLINE_LEVELS,
    TOTALS,
    split_stocks,
)
from data_access.procedure_figures import (
    MAX_RANGE_MONTHS,
    TOTAL_KEYS,
    CatalogLookup,
    ProcedureFigures,
    ProcedureTotals,
)
from data_access.textnorm import fold
from kpi.judge import judge_columns
from kpi.periods import Period, as_period
from kpi.plan import CatalogValue, Plan, ProcedureKpiSpec
from kpi.sums import add_totals, check_period

__all__ = [
    "COVERAGE_COLUMNS",
    "LEVELS",
    "LIST_COLUMNS",
    "MISSING_CODE_COLUMNS",
    "REASONS",
    "SUM_KEYS",
    "TABLE_COLUMNS",
    "CatalogLookup",
    "ProcedureFigures",
    "ProcedureRangeSource",
    "ProcedureSource",
    "ProcedureTotals",
    "procedure_figures_from_frame",
    "procedure_kpi_table",
    "procedure_list",
    "procedure_states",
    "procedure_totals_from_figures",
]

SUM_KEYS: tuple[str, ...] = ("period", "unit", "field", "procedure_code")
COVERAGE_COLUMNS: tuple[str, ...] = ("period", "unit", "field", "level")
MISSING_CODE_COLUMNS: tuple[str, ...] = ("period", "unit", "field", "procedure_code", "procedure_name")
#: ``procedure`` = broken down by procedure (a catalog procedure without a row had 0);
#: ``partial`` = procedure rows beside a field-level row (procedures without a row unknown).
LEVELS: tuple[str, ...] = ("procedure", "partial")
TABLE_COLUMNS: tuple[str, ...] = (
    "kpi",
    "label",
    "numerator",
    "denominator",
    "unknown",
    "target",
    "value",
    "gap",
    "shortfall",
    "status",
    "kind",
)
#: The list's columns before the figure columns.
LIST_COLUMNS: tuple[str, ...] = (
    "procedure_code",
    "procedure_name",
    "unit",
    "field",
    "online_level",
    "counted",
    "in_denominator",
    "reason",
)
#: Why a procedure of a KPI's scope is (not) counted; Vietnamese texts: ``kpi.texts.PROCEDURE_REASONS``.
REASONS: tuple[str, ...] = (
    "counted",
    "no_online_dossier",
    "no_online_payment",
    "no_postal_dossier",
    "no_dossier",
    "no_figure",
    "partly_online",
    "not_online",
    "other_level",
    "not_on_portal",
    "not_eligible",
    "no_fee",
    "no_postal",
    "other_attribute",
    "not_active",
    "unknown_figures",
    "unknown_attribute",
)
#: Figure columns every list carries (the dossiers of each procedure), before the KPI's own.
LIST_FIGURES: tuple[str, ...] = ("received_new",)

# ``ProcedureFigures`` (sums, coverage, codes_not_in_catalog) and ``CatalogLookup`` (month → catalog in
# force) are defined in :mod:`data_access.procedure_figures`, which returns them from SQL and may not
# import ``kpi``; they are re-exported here (one class: ``isinstance`` holds for both layers).


@runtime_checkable
class ProcedureSource(Protocol):
    """Figures that give :class:`ProcedureFigures` themselves (e.g. summed in SQL)."""

    def procedure_figures(self, columns: Sequence[str], *, start: str, end: str) -> ProcedureFigures: ...


@runtime_checkable
class ProcedureRangeSource(ProcedureSource, Protocol):
    """A :class:`ProcedureSource` that also gives the per-range shape (:class:`ProcedureTotals`: one
    row per (unit, field, procedure) over the months, with the months it has rows in). The KPI table
    and the list use it when offered (a year is ~12× fewer rows than by month); the per-month
    :meth:`procedure_figures` stays for callers that judge month by month and for the rare period
    where a procedure moved between units."""

    def procedure_totals(self, columns: Sequence[str], *, start: str, end: str) -> ProcedureTotals: ...


# ---------------------------------------------------------------------------- helpers


def _check_columns(columns: Sequence[str]) -> tuple[str, ...]:
    """The figure columns as a tuple without repeats; ValueError for an unknown column or a stock."""
    if isinstance(columns, str):
        columns = (columns,)
    cols = tuple(dict.fromkeys(columns))
    unknown = [c for c in cols if c not in COUNT_COLUMNS]
    if unknown:
        raise ValueError(f"unknown figure columns {unknown}")
    flows = split_stocks(cols)[0]
    if len(flows) < len(cols):
        stocks = [c for c in cols if c not in flows]
        raise ValueError(f"procedure KPIs sum flows only; {stocks} are stocks (periods.md)")
    return cols


def _months(start: str, end: str) -> list[str]:
    y0, m0 = check_period(start)
    y1, m1 = check_period(end)
    if (y0, m0) > (y1, m1):
        raise ValueError(f"start {start} is after end {end}")
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(y0 * 12 + m0 - 1, y1 * 12 + m1)]


def _mapped(values: pd.Series, fn: Callable[[object], object]) -> pd.Series:
    """``fn`` of each value, computed once per distinct value; NA stays NA (``None``)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    # iterate plain Python objects: iterating an Arrow-backed array is ~10× slower per value
    mapped = np.array([fn(v) for v in _objects(uniques)] + [None], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype=object)


def _objects(values: object) -> list[object]:
    """The values of an array or index as a list of Python objects."""
    if isinstance(values, (pd.Index, pd.api.extensions.ExtensionArray)):
        return cast(list[object], values.to_numpy(dtype=object).tolist())
    return cast(list[object], np.asarray(values, dtype=object).tolist())


def _folded(values: pd.Series) -> pd.Series:
    """``values`` folded (:func:`fold`: case, spacing, diacritics); NA stays NA."""
    return _mapped(values, fold)


def _strip_code(value: object) -> object:
    text = value.strip() if isinstance(value, str) else str(value).strip()
    return text or None


def _codes(values: pd.Series) -> pd.Series:
    """Procedure codes as stripped text, ``None`` for a missing or blank code."""
    return _mapped(values, _strip_code)


def _empty_sums(cols: Sequence[str]) -> pd.DataFrame:
    data: dict[str, pd.Series] = {k: pd.Series([], dtype=object) for k in SUM_KEYS}
    data.update({c: pd.Series([], dtype="Int64") for c in cols})
    return pd.DataFrame(data)


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})


def _na_sum(frame: pd.DataFrame, keys: list[str], cols: Sequence[str]) -> pd.DataFrame:
    """Sums of ``cols`` per ``keys`` (``Int64``), NA where any summed cell is NA; ``keys`` as columns."""
    if frame.empty:
        return pd.DataFrame(
            {
                **{k: pd.Series([], dtype=object) for k in keys},
                **{c: pd.Series([], dtype="Int64") for c in cols},
            }
        )
    g = frame.groupby(keys, sort=True, dropna=False)
    if not cols:
        return g.size().reset_index()[keys]
    sums = g[list(cols)].sum()
    unknown = frame[list(cols)].isna().groupby([frame[k] for k in keys], sort=True, dropna=False).any()
    out = sums.astype("Int64").mask(unknown.to_numpy())
    return out.reset_index()


def _catalog_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A catalog frame checked and keyed: codes stripped, flags ``boolean``, ``_ukey``/``_fkey`` folded."""
    missing = [c for c in CATALOG_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"catalog frame lacks columns {missing}")
    out = frame[list(CATALOG_COLUMNS)].copy()
    out["procedure_code"] = _codes(out["procedure_code"])
    out = out.loc[out["procedure_code"].notna()]
    if out["procedure_code"].duplicated().any():
        raise ValueError("catalog frame has duplicate procedure codes")
    for flag in CATALOG_FLAGS:
        out[flag] = out[flag].astype("boolean")
    out["_ukey"] = _folded(out["unit"])
    out["_fkey"] = _folded(out["field"])
    return out.reset_index(drop=True)


class _Catalogs:
    """The catalogs of one call, each month looked up once and each distinct frame keyed once (a
    lookup that returns the same frame for the months of one version is keyed a single time)."""

    def __init__(self, lookup: CatalogLookup) -> None:
        self.lookup = lookup
        self.memo: dict[str, pd.DataFrame] = {}
        self.frames: dict[int, tuple[pd.DataFrame, pd.DataFrame]] = {}

    def __call__(self, month: str) -> pd.DataFrame:
        if month not in self.memo:
            raw = self.lookup(month)
            known = self.frames.get(id(raw))
            if known is None or known[0] is not raw:
                known = (raw, _catalog_frame(raw))
                self.frames[id(raw)] = known
            self.memo[month] = known[1]
        return self.memo[month]


# ---------------------------------------------------------------------------- figures from a frame


def procedure_figures_from_frame(
    figures: pd.DataFrame,
    *,
    start: str,
    end: str,
    columns: Sequence[str],
    dossier_units: Collection[tuple[str, str]] = (),
    catalog: CatalogLookup | None = None,
) -> ProcedureFigures:
    """:class:`ProcedureFigures` of a figures frame (``period, unit, field, procedure_code,
    procedure_name`` and count columns, ``Int64`` with NA = unknown) over the months ``start``..``end``.

    A total column missing from the frame (or NA in a row) is the sum of its parts (:func:`add_totals`);
    a column absent altogether is unknown. ``dossier_units``: the (month, unit) pairs whose active upload
    is a dossier list: every field of the unit in the catalog of that month or of ``end`` is then at
    level ``procedure`` (``catalog`` is required for them). ``codes_not_in_catalog`` is filled only with
    ``catalog``: the rows whose code is not in the catalog in force in their month.
    """
    cols = _check_columns(columns)
    months = _months(start, end)
    if dossier_units and catalog is None:
        raise ValueError(
            "dossier_units need the catalog (every catalog field of the unit is procedure-level)"
        )
    period = figures["period"].astype(str) if len(figures) else pd.Series([], dtype=object)
    scope = figures.loc[((period >= months[0]) & (period <= months[-1])).to_numpy(dtype=bool)]
    if any(c in TOTALS for c in cols) and len(scope):
        scope = add_totals(scope)
    code = (
        _codes(scope["procedure_code"]) if "procedure_code" in scope else pd.Series(None, index=scope.index)
    )
    data: dict[str, object] = {
        "period": scope["period"].astype(str).to_numpy(dtype=object),
        "unit": scope["unit"].to_numpy(dtype=object),
        "field": scope["field"].to_numpy(dtype=object),
        "procedure_code": code.to_numpy(dtype=object),
    }
    for c in cols:
        data[c] = (
            scope[c].astype("Int64").array if c in scope else pd.array([pd.NA] * len(scope), dtype="Int64")
        )
    frame = pd.DataFrame(data)
    has_code = frame["procedure_code"].notna()

    sums = _na_sum(frame.loc[has_code], list(SUM_KEYS), cols) if has_code.any() else _empty_sums(cols)

    if len(frame):
        cov = (
            pd.DataFrame(
                {"period": frame["period"], "unit": frame["unit"], "field": frame["field"], "c": has_code}
            )
            .groupby(["period", "unit", "field"], sort=True)["c"]
            .all()
            .reset_index()
        )
        cov["level"] = np.where(cov["c"].to_numpy(dtype=bool), "procedure", "partial")
        coverage = cov[list(COVERAGE_COLUMNS)]
    else:
        coverage = _empty(COVERAGE_COLUMNS)

    cats = _Catalogs(catalog) if catalog is not None else None
    pairs = {(str(p), str(u)) for p, u in dossier_units if months[0] <= str(p) <= months[-1]}
    if pairs and cats is not None:
        coverage = _with_dossier_units(coverage, pairs, cats, months[-1])

    missing = _empty(MISSING_CODE_COLUMNS)
    if cats is not None and has_code.any():
        coded = frame.loc[has_code, ["period", "unit", "field", "procedure_code"]]
        if "procedure_name" in scope:
            coded = coded.assign(
                procedure_name=scope["procedure_name"].to_numpy(dtype=object)[has_code.to_numpy()]
            )
        else:
            coded = coded.assign(procedure_name=None)
        periods = coded["period"].to_numpy(dtype=object)
        absent = np.zeros(len(coded), dtype=bool)
        code_values = coded["procedure_code"].to_numpy(dtype=object)
        for month in pd.unique(periods):
            sel = periods == month
            known = pd.Index(cats(str(month))["procedure_code"].to_numpy(dtype=object), dtype=object)
            absent[sel] = known.get_indexer(code_values[sel]) < 0  # codes are stripped on both sides
        if absent.any():
            out = (
                coded.loc[absent]
                .groupby(["period", "unit", "field", "procedure_code"], sort=True, dropna=False)[
                    "procedure_name"
                ]
                .first()
                .reset_index()
            )
            missing = out[list(MISSING_CODE_COLUMNS)].reset_index(drop=True)
    return ProcedureFigures(
        sums=sums.reset_index(drop=True),
        coverage=coverage.reset_index(drop=True),
        codes_not_in_catalog=missing,
    )


def _with_dossier_units(
    coverage: pd.DataFrame, pairs: set[tuple[str, str]], cats: _Catalogs, end: str
) -> pd.DataFrame:
    """``coverage`` with every (month, unit) of ``pairs`` procedure-level in all its fields and in
    every field the catalog (of the month or of ``end``) gives the unit."""
    cov = coverage.copy()
    pair_frame = pd.DataFrame(sorted(pairs), columns=["period", "unit"])
    pair_frame["_ukey"] = _folded(pair_frame["unit"])
    if len(cov):
        ukey = _folded(cov["unit"])
        keys = set(zip(pair_frame["period"], pair_frame["_ukey"], strict=True))
        hit = np.array([(p, u) in keys for p, u in zip(cov["period"], ukey, strict=True)], dtype=bool)
        cov.loc[hit, "level"] = "procedure"
    added = []
    for month, group in pair_frame.groupby("period", sort=True):
        fields = pd.concat([cats(str(month)), cats(end)], ignore_index=True)[
            ["unit", "field", "_ukey", "_fkey"]
        ]
        fields = fields.drop_duplicates(["_ukey", "_fkey"])
        rows = group.merge(fields.drop(columns="unit"), on="_ukey", how="inner")
        if len(rows):
            added.append(rows.assign(level="procedure"))
    if not added:
        return cov
    extra = pd.concat(added, ignore_index=True)
    if len(cov):
        present = set(zip(cov["period"], _folded(cov["unit"]), _folded(cov["field"]), strict=True))
        keep = [
            (p, u, f) not in present
            for p, u, f in zip(extra["period"], extra["_ukey"], extra["_fkey"], strict=True)
        ]
        extra = extra.loc[keep]
    out = pd.concat([cov, extra[list(COVERAGE_COLUMNS)]], ignore_index=True)
    return out.sort_values(["period", "unit", "field"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------- per procedure over a period


def _sums_for(
    figures: ProcedureFigures | ProcedureTotals | ProcedureSource,
    cols: tuple[str, ...],
    p: Period,
    required: Collection[str],
    cats: _Catalogs,
    cat: pd.DataFrame,
    *,
    per_month: bool,
) -> pd.DataFrame:
    """Per procedure of the period-end catalog ``cat``, the period sums of the columns of ``cols`` that
    the figures carry: from range totals (:class:`ProcedureTotals`, or a source's ``procedure_totals``
    unless ``per_month``) when they tell them apart, else from the month sums."""
    months = list(p.months)
    if isinstance(figures, ProcedureTotals):
        if (figures.start, figures.end) != (p.start, p.end):
            raise ValueError(
                f"the totals are of {figures.start}..{figures.end}, the period {p.start}..{p.end}"
            )
        _lacking(figures.totals, required)
        given = tuple(c for c in cols if c in figures.totals.columns)
        out = _range_sums(figures, cats, cat, months, given)
        if out is None:
            raise ValueError(
                "a procedure moved between units within the period: range totals cannot tell its "
                "months apart, the month sums (ProcedureFigures) are needed"
            )
        return out
    ranged = not per_month and not isinstance(figures, ProcedureFigures)
    if ranged and hasattr(figures, "procedure_totals") and len(months) <= MAX_RANGE_MONTHS:
        pt = cast(ProcedureRangeSource, figures).procedure_totals(list(cols), start=p.start, end=p.end)
        _lacking(pt.totals, required)
        given = tuple(c for c in cols if c in pt.totals.columns)
        ranged_sums = _range_sums(pt, cats, cat, months, given)
        if ranged_sums is not None:
            return ranged_sums
    pf = _figures_for(figures, cols, p, required=required)
    given = tuple(c for c in cols if c in pf.sums.columns)
    return _period_sums(pf, cats, cat, months, given)


def _lacking(frame: pd.DataFrame, required: Collection[str]) -> None:
    lacking = [c for c in required if c not in frame.columns]
    if lacking:
        raise ValueError(f"the procedure figures lack columns {lacking}")


def procedure_totals_from_figures(pf: ProcedureFigures, *, start: str, end: str) -> ProcedureTotals:
    """The per-range shape of month sums (what a :class:`ProcedureRangeSource` gives): per (unit,
    field, procedure_code) the months ``start``..``end`` it has rows in as a bitmask (bit j = j-th
    month from ``start``) and each figure column's sum over them (NA when a month's sum is NA)."""
    months = _months(start, end)
    if len(months) > MAX_RANGE_MONTHS:
        raise ValueError(f"range totals take at most {MAX_RANGE_MONTHS} months, not {len(months)}")
    bit_of = {month: 1 << j for j, month in enumerate(months)}
    sums = pf.sums
    cols = [c for c in sums.columns if c not in SUM_KEYS]
    period = sums["period"].astype(str) if len(sums) else pd.Series([], dtype=object)
    bits = period.map(bit_of)
    keep = bits.notna().to_numpy(dtype=bool)
    frame = sums.loc[keep, [*TOTAL_KEYS, *cols]].assign(_bit=bits[keep].astype("int64").to_numpy())
    frame = frame.assign(_period=period[keep].to_numpy(dtype=object))
    if len(frame):
        mask = (
            frame.drop_duplicates([*TOTAL_KEYS, "_period"])
            .groupby(list(TOTAL_KEYS), sort=True, dropna=False)["_bit"]
            .sum()
            .astype("int64")
            .reset_index(drop=True)
        )
        totals = _na_sum(frame, list(TOTAL_KEYS), cols)
        totals.insert(len(TOTAL_KEYS), "months", mask.to_numpy())
    else:
        totals = pd.DataFrame(
            {
                **{k: pd.Series([], dtype=object) for k in TOTAL_KEYS},
                "months": pd.Series([], dtype="int64"),
                **{c: pd.Series([], dtype="Int64") for c in cols},
            }
        )
    cov = pf.coverage
    in_range = cov["period"].astype(str).isin(months).to_numpy(dtype=bool) if len(cov) else slice(0, 0)
    return ProcedureTotals(
        start, end, totals.reset_index(drop=True), cov.loc[in_range].reset_index(drop=True)
    )


def _figures_for(
    figures: ProcedureFigures | ProcedureSource,
    cols: tuple[str, ...],
    p: Period,
    *,
    required: Collection[str],
) -> ProcedureFigures:
    """``figures`` itself, or what the source gives for ``cols`` over the period; ValueError when a
    ``required`` column is not in its sums."""
    if isinstance(figures, ProcedureFigures) or not hasattr(figures, "procedure_figures"):
        pf = cast(ProcedureFigures, figures)  # or any object with sums, coverage, codes_not_in_catalog
    else:
        pf = figures.procedure_figures(list(cols), start=p.start, end=p.end)
    lacking = [c for c in required if c not in pf.sums.columns]
    if lacking:
        raise ValueError(f"the procedure figures lack columns {lacking}")
    return pf


class _Ids:
    """Integer ids of texts (folded or stripped by ``fn``), assigned in order of first sight; each
    distinct value of a column is transformed once (no per-row Python work)."""

    def __init__(self, fn: Callable[[object], object]) -> None:
        self.fn = fn
        self.ids: dict[object, int] = {}

    def of(self, values: pd.Series | np.ndarray, *, add: bool = True) -> np.ndarray:
        """The id of each value (-1 for NA, and with ``add=False`` for a value not seen before)."""
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        out = np.empty(len(uniques) + 1, dtype="int64")
        for k, v in enumerate(_objects(uniques)):
            key = self.fn(v)
            if key is None:
                out[k] = -1
            elif add:
                out[k] = self.ids.setdefault(key, len(self.ids))
            else:
                out[k] = self.ids.get(key, -1)
        out[-1] = -1
        return out[codes]


class _Grid:
    """The (procedure i, month j) grid of a period, position ``i·M + j``: procedure i = row i of the
    period-end catalog; each cell's unit and field (integer ids of the folded names) are those of the
    month's catalog, else the period end's. Texts become integer ids once per distinct value."""

    def __init__(self, cats: _Catalogs, cat_end: pd.DataFrame, months: list[str]) -> None:
        self.n, self.m = n, m = len(cat_end), len(months)
        self.size = n * m
        self.units, self.fields = _Ids(fold), _Ids(fold)
        # procedure i = its row in the period-end catalog (codes are unique and stripped there)
        self.code_index = pd.Index(cat_end["procedure_code"].to_numpy(dtype=object), dtype=object)
        self.month_ids = {month: j for j, month in enumerate(months)}
        self.ukey = np.repeat(self.units.of(cat_end["unit"]), m)
        self.fkey = np.repeat(self.fields.of(cat_end["field"]), m)
        for j, month in enumerate(months[:-1]):
            mc = cats(month)
            if mc is cat_end or not n:
                continue
            i = self.code_index.get_indexer(mc["procedure_code"].to_numpy(dtype=object))
            ok = i >= 0
            pos = i[ok] * m + j
            self.ukey[pos] = self.units.of(mc["unit"])[ok]
            self.fkey[pos] = self.fields.of(mc["field"])[ok]

    def code_ids(self, values: pd.Series) -> np.ndarray:
        """The procedure (row of the period-end catalog) of each code, -1 for one not there."""
        raw = values.astype(object).to_numpy(dtype=object)
        found: np.ndarray = self.code_index.get_indexer(raw)
        miss = found < 0
        if miss.any():  # a code with spaces around it, or not text: strip (once per distinct value)
            found[miss] = self.code_index.get_indexer(
                _codes(pd.Series(raw[miss], dtype=object)).to_numpy(dtype=object)
            )
        return found

    def month_of(self, values: pd.Series) -> np.ndarray:
        c, uniques = pd.factorize(values.astype(str), use_na_sentinel=True)
        table = np.array([self.month_ids.get(str(u), -1) for u in uniques] + [-1], dtype="int64")
        return table[c]

    def full(self, cov: pd.DataFrame) -> np.ndarray:
        """Per cell: its (month, unit, field) is at level ``procedure`` (a procedure without a row had 0)."""
        m, n = self.m, self.n
        full = np.zeros(self.size, dtype=bool)
        if not (len(cov) and self.size):
            return full
        units, fields, ukey, fkey = self.units, self.fields, self.ukey, self.fkey
        jc = self.month_of(cov["period"])
        cu, cf = units.of(cov["unit"], add=False), fields.of(cov["field"], add=False)
        nu, nf = len(units.ids) + 1, len(fields.ids) + 1
        ok = (jc >= 0) & (cu >= 0) & (cf >= 0)
        ckey = (jc[ok] * nu + cu[ok]) * nf + cf[ok]
        level_full = (cov["level"] == "procedure").to_numpy(dtype=bool)[ok]
        # a (month, unit, field) given several times (spellings) is procedure-level only if all are
        cells = np.zeros(m * nu * nf, dtype="int64") if m * nu * nf <= 50_000_000 else None
        if cells is not None:
            np.add.at(cells, ckey, np.where(level_full, 1, -(10**9)))
            gkey = (np.tile(np.arange(m), n) * nu + np.maximum(ukey, 0)) * nf + np.maximum(fkey, 0)
            return np.asarray(cells[gkey] > 0)
        # pragma: no cover - more than 50 M (month, unit, field) cells
        table = pd.DataFrame({"k": ckey, "f": level_full}).groupby("k")["f"].all()
        gkey = (np.tile(np.arange(m), n) * nu + ukey) * nf + fkey
        at = pd.Index(table.index.to_numpy()).get_indexer(gkey)
        return np.where(at >= 0, table.to_numpy(dtype=bool)[np.maximum(at, 0)], False)


def _period_sums(
    pf: ProcedureFigures, cats: _Catalogs, cat_end: pd.DataFrame, months: list[str], cols: Sequence[str]
) -> pd.DataFrame:
    """Per procedure of ``cat_end`` (in its order), the sums of ``cols`` over ``months`` (``Int64``,
    NA when a month is unknown for it or a cell is empty), from the month sums of ``pf``.

    Vectorised on the :class:`_Grid`: each sums row goes to the position of its (code, month) when its
    unit is the procedure's unit that month; the coverage is looked up by integer keys of (month,
    unit, field)."""
    grid = _Grid(cats, cat_end, months)
    n, m, size = grid.n, grid.m, grid.size
    row = np.zeros(size, dtype=bool)
    values: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    sums = pf.sums
    if len(sums) and size:
        sj = grid.month_of(sums["period"])
        si = grid.code_ids(sums["procedure_code"])
        pos = np.where((si >= 0) & (sj >= 0), si * m + sj, 0)
        hit = (si >= 0) & (sj >= 0)
        hit &= grid.units.of(sums["unit"], add=False) == grid.ukey[pos]
        pos = pos[hit]
        row = np.bincount(pos, minlength=size) > 0
        for c in cols:
            vals: np.ndarray
            if c in sums:
                col = sums[c].astype("Int64")
                vals = col.to_numpy(dtype="float64", na_value=0)[hit]
                nas = col.isna().to_numpy(dtype=bool)[hit]
            else:
                vals = np.zeros(len(pos))
                nas = np.ones(len(pos), dtype=bool)
            values[c] = (
                np.bincount(pos, weights=vals, minlength=size),
                np.bincount(pos, weights=nas.astype("float64"), minlength=size) > 0,
            )
    full = grid.full(pf.coverage)
    zero_known = full & ~row
    idx = np.repeat(np.arange(n), m)
    out = pd.DataFrame(index=pd.RangeIndex(n))
    for c in cols:
        total_pos, na_pos = values.get(c, (np.zeros(size), np.zeros(size, dtype=bool)))
        known = (row & ~na_pos) | zero_known
        total = np.bincount(idx, weights=np.where(known, total_pos, 0), minlength=n).astype("int64")
        unknown = np.bincount(idx, weights=(~known).astype("float64"), minlength=n) > 0
        arr = pd.array(total, dtype="Int64")
        arr[unknown] = pd.NA
        out[c] = arr
    return out


def _range_sums(
    pt: ProcedureTotals, cats: _Catalogs, cat_end: pd.DataFrame, months: list[str], cols: Sequence[str]
) -> pd.DataFrame | None:
    """:func:`_period_sums` from the per-range shape: the same frame, or ``None`` when it cannot be
    told from range totals — a (unit, field, code) total whose unit is the procedure's unit in some
    of its months and not in others (the procedure moved between units within the period): its month
    sums are needed then.

    A total counts for its procedure when its unit is the procedure's unit in every month it has rows
    in (bit ``j`` of ``months``), not at all when in none. The grid's cells with a row are the OR of
    those totals' month bits; a cell without a row is 0 when procedure-level, else unknown."""
    grid = _Grid(cats, cat_end, months)
    n, m, size = grid.n, grid.m, grid.size
    if m > MAX_RANGE_MONTHS:
        raise ValueError(f"range totals take at most {MAX_RANGE_MONTHS} months")
    totals = pt.totals
    row = np.zeros(size, dtype=bool)
    values: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if len(totals) and size:
        si = grid.code_ids(totals["procedure_code"])
        tu = grid.units.of(totals["unit"], add=False)
        bits = totals["months"].to_numpy(dtype="int64") & ((1 << m) - 1)  # months of the range only
        ok = si >= 0
        si, tu, bits, sel = si[ok], tu[ok], bits[ok], np.flatnonzero(ok)
        j = np.arange(m, dtype="int64")
        has = ((bits[:, None] >> j) & 1).astype(bool)  # (totals, months): a row that month
        same_unit = grid.ukey[si[:, None] * m + j] == tu[:, None]
        matched = has & same_unit  # months where the total counts for its procedure
        some, every = matched.any(axis=1), (has <= same_unit).all(axis=1)
        if (some & ~every).any():
            return None
        use = some & every
        pos = (si[:, None] * m + j)[matched]
        row[pos] = True
        si_use, rows_use = si[use], sel[use]
        for c in cols:
            if c in totals:
                col = totals[c].astype("Int64")
                vals = col.to_numpy(dtype="float64", na_value=0)[rows_use]
                nas = col.isna().to_numpy(dtype=bool)[rows_use]
            else:
                vals = np.zeros(len(rows_use))
                nas = np.ones(len(rows_use), dtype=bool)
            values[c] = (
                np.bincount(si_use, weights=vals, minlength=n),
                np.bincount(si_use, weights=nas.astype("float64"), minlength=n) > 0,
            )
    full = grid.full(pt.coverage)
    idx = np.repeat(np.arange(n), m)
    # a month without a row that is not procedure-level: unknown whatever the column
    blind = np.bincount(idx, weights=(~row & ~full).astype("float64"), minlength=n) > 0
    out = pd.DataFrame(index=pd.RangeIndex(n))
    for c in cols:
        total, na = values.get(c, (np.zeros(n), np.zeros(n, dtype=bool)))
        arr = pd.array(total.astype("int64"), dtype="Int64")
        arr[blind | na] = pd.NA
        out[c] = arr
    return out


def _match(
    cat: pd.DataFrame, conditions: dict[str, CatalogValue]
) -> tuple[pd.arrays.BooleanArray, np.ndarray]:
    """Three-valued match of ``conditions`` on each catalog row, and the first attribute that does
    not match (``None`` where none fails)."""
    n = len(cat)
    result = pd.array(np.ones(n, dtype=bool), dtype="boolean")
    fail = np.full(n, None, dtype=object)
    for attr, want in conditions.items():
        if attr not in CATALOG_COLUMNS:
            raise ValueError(f"{attr!r} is not a catalog attribute {CATALOG_COLUMNS}")
        col = cat[attr]
        if isinstance(want, bool):
            m = cast(pd.arrays.BooleanArray, (col.astype("boolean") == want).array)
        else:
            wants = {fold(w) for w in ((want,) if isinstance(want, str) else want)}
            keys = _folded(col.astype(object).where(col.notna(), None))
            m = pd.array(keys.isin(wants).to_numpy(dtype=bool), dtype="boolean")
            m[col.isna().to_numpy(dtype=bool)] = pd.NA
        no = m.to_numpy(dtype=bool, na_value=True) == False  # noqa: E712 — False only, not NA
        fail[no & (fail == None)] = attr  # noqa: E711
        result = result & m
    return result, fail


def _when_reason(columns: Sequence[str]) -> str:
    first = columns[0]
    if first.startswith("received_online"):
        return "no_online_dossier"
    if first == "payments_online":
        return "no_online_payment"
    if first in ("received_postal", "returned_postal"):
        return "no_postal_dossier"
    if first.startswith("received"):
        return "no_dossier"
    return "no_figure"


_ATTRIBUTE_REASONS = {
    "on_national_portal": "not_on_portal",
    "full_online_eligible": "not_eligible",
    "has_fee": "no_fee",
    "postal_allowed": "no_postal",
}


def _if_reason(cat: pd.DataFrame, fail: np.ndarray) -> np.ndarray:
    level = _folded(cat["online_level"].astype(object)).to_numpy(dtype=object)
    out = np.full(len(cat), "other_attribute", dtype=object)
    for attr, reason in _ATTRIBUTE_REASONS.items():
        out[fail == attr] = reason
    lv = fail == "online_level"
    out[lv] = "other_level"
    out[lv & (level == fold(ONLINE_LEVELS[1]))] = "partly_online"  # "một phần"
    out[lv & (level == fold(ONLINE_LEVELS[2]))] = "not_online"  # "không"
    return out


def _states(spec: ProcedureKpiSpec, cat: pd.DataFrame, sums: pd.DataFrame) -> pd.DataFrame:
    """Per catalog procedure (``cat`` order): ``listed`` (in the scope, or unknown whether: False =
    outside, not listed), ``counted`` (boolean, NA = unknown), ``in_denominator`` (boolean: False for a
    procedure not active, NA unknown) and ``reason`` (:data:`REASONS`)."""
    n = len(cat)
    in_scope, _ = _match(cat, spec.scope)
    scope_known = in_scope.to_numpy(dtype=bool, na_value=False)
    scope_na = in_scope.isna()
    listed = scope_known | scope_na
    reason = np.full(n, "unknown_attribute", dtype=object)
    unknown = scope_na.copy()
    decided = scope_known.copy()  # still to decide
    not_active = np.zeros(n, dtype=bool)
    if spec.active:
        total = _sum_columns(sums, spec.active, n)
        na = total.isna().to_numpy(dtype=bool)
        zero = total.fillna(0).to_numpy(dtype="int64") <= 0
        unknown |= decided & na
        reason[decided & na] = "unknown_figures"
        not_active = decided & ~na & zero
        reason[not_active] = "not_active"
        decided &= ~na & ~zero
    counted = np.zeros(n, dtype=bool)
    if spec.counted_when:
        total = _sum_columns(sums, spec.counted_when, n)
        na = total.isna().to_numpy(dtype=bool)
        pos = total.fillna(0).to_numpy(dtype="int64") > 0
        unknown |= decided & na
        reason[decided & na] = "unknown_figures"
        counted = decided & ~na & pos
        reason[counted] = "counted"
        reason[decided & ~na & ~pos] = _when_reason(spec.counted_when)
    else:
        ok, fail = _match(cat, spec.counted_if)
        na = ok.isna()
        yes = ok.to_numpy(dtype=bool, na_value=False)
        unknown |= decided & na
        reason[decided & na] = "unknown_attribute"
        counted = decided & yes
        reason[counted] = "counted"
        no = decided & ~na & ~yes
        reason[no] = _if_reason(cat, fail)[no]
    cnt = pd.array(counted, dtype="boolean")
    cnt[unknown] = pd.NA
    in_den = pd.array(listed & ~not_active, dtype="boolean")
    in_den[unknown] = pd.NA
    return pd.DataFrame({"listed": listed, "counted": cnt, "in_denominator": in_den, "reason": reason})


def _is(values: pd.Series, value: bool) -> np.ndarray:
    """Where a ``boolean`` column is ``value`` (NA is neither)."""
    return values.astype("boolean").eq(value).fillna(False).to_numpy(dtype=bool)


def _sum_columns(sums: pd.DataFrame, cols: Sequence[str], n: int) -> pd.Series:
    total = pd.Series(pd.array(np.zeros(n, dtype="int64"), dtype="Int64"))
    for c in cols:
        total = total + sums[c].astype("Int64").reset_index(drop=True)
    return total


def procedure_states(
    figures: ProcedureFigures | ProcedureTotals | ProcedureSource,
    catalog: CatalogLookup,
    plan: Plan,
    *,
    period: str | Period,
    ytd: bool = False,
    kpis: Sequence[str] | None = None,
    extra_columns: Sequence[str] = (),
    per_month: bool = False,
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """The period-end catalog with the period sums of every figure column the KPIs need (and
    ``extra_columns``), and per KPI its per-procedure states (rows aligned with the catalog):
    ``listed``, ``counted`` (boolean, NA unknown), ``in_denominator``, ``reason``.

    ``figures``: month sums (:class:`ProcedureFigures`), range totals of exactly the period
    (:class:`ProcedureTotals`) or a source; a source's range totals (:class:`ProcedureRangeSource`)
    are used unless ``per_month`` (the same results; its month sums when a procedure moved between
    units within the period)."""
    p = as_period(period, ytd=ytd)
    specs = [plan.procedure_kpis[k] for k in (kpis if kpis is not None else list(plan.procedure_kpis))]
    needed = _check_columns([c for s in specs for c in s.columns])
    extra = tuple(c for c in _check_columns(extra_columns) if c not in needed)
    cats = _Catalogs(catalog)
    cat = cats(p.end)
    if needed or extra:
        sums = _sums_for(figures, needed + extra, p, needed, cats, cat, per_month=per_month)
    else:
        sums = pd.DataFrame(index=pd.RangeIndex(len(cat)))
    for c in extra:  # a display column the figures do not carry: unknown
        if c not in sums.columns:
            sums[c] = pd.array([pd.NA] * len(cat), dtype="Int64")
    frame = pd.concat([cat.reset_index(drop=True), sums.reset_index(drop=True)], axis=1)
    return frame, {s.id: _states(s, cat, sums) for s in specs}


# ---------------------------------------------------------------------------- the KPI table


def _check_by(by: Sequence[str]) -> list[str]:
    keys = [by] if isinstance(by, str) else list(by)
    bad = [k for k in keys if k not in ("unit", "field")]
    if bad or len(set(keys)) != len(keys):
        raise ValueError(f"procedure KPIs group by 'unit' and/or 'field', got {keys}")
    return keys


def procedure_kpi_table(
    figures: ProcedureFigures | ProcedureTotals | ProcedureSource,
    catalog: CatalogLookup,
    plan: Plan,
    *,
    period: str | Period,
    ytd: bool = False,
    by: Sequence[str] = (),
    per_month: bool = False,
) -> pd.DataFrame:
    """One row per procedure KPI (plan order) and group of ``by`` ⊆ (unit, field) of the period-end
    catalog (groups with at least one procedure in the KPI's scope, sorted; one row without ``by``).

    Columns ``*by`` then :data:`TABLE_COLUMNS`: numerator / denominator ``Int64`` (procedures),
    ``unknown`` (int: left out, no figures or attribute), target (unit target per unit with ``by``
    unit), value, gap, shortfall (whole procedures), status (:data:`kpi.judge.STATUSES`; ``no_data``
    when no procedure is in the denominator), kind ``"procedures"``.
    """
    keys = _check_by(by)
    p = as_period(period, ytd=ytd)
    frame, states = procedure_states(figures, catalog, plan, period=p, per_month=per_month)
    parts = []
    for kid, st in states.items():
        listed = st["listed"].to_numpy(dtype=bool)
        counted = st["counted"]
        num = counted.fillna(False).to_numpy(dtype=bool)
        den = st["in_denominator"].fillna(False).to_numpy(dtype=bool)
        unk = counted.isna().to_numpy(dtype=bool) & listed
        g = pd.DataFrame(
            {
                **{k: frame[k].to_numpy(dtype=object) for k in keys},
                "numerator": num.astype("int64"),
                "denominator": den.astype("int64"),
                "unknown": unk.astype("int64"),
            }
        ).loc[listed]
        if keys:
            agg = g.groupby(keys, sort=True)[["numerator", "denominator", "unknown"]].sum().reset_index()
        else:
            agg = pd.DataFrame({c: [int(g[c].sum())] for c in ("numerator", "denominator", "unknown")})
        agg.insert(len(keys), "kpi", kid)
        parts.append(agg)
    if parts:
        out = pd.concat(parts, ignore_index=True)
    else:
        out = pd.DataFrame(
            {
                **{k: pd.Series([], dtype=object) for k in [*keys, "kpi"]},
                **{c: pd.Series([], dtype="int64") for c in ("numerator", "denominator", "unknown")},
            }
        )
    out["numerator"] = out["numerator"].astype("Int64")
    out["denominator"] = out["denominator"].astype("Int64")
    out["unknown"] = out["unknown"].astype("int64")
    units = out["unit"].tolist() if "unit" in keys else [None] * len(out)
    target = np.array(
        [plan.target_for(k, p.end, u) for k, u in zip(out["kpi"].tolist(), units, strict=True)],
        dtype="float64",
    )
    judged = judge_columns(out["numerator"], out["denominator"], target, plan)
    labels = {k: s.label for k, s in plan.procedure_kpis.items()}
    out.insert(len(keys) + 1, "label", out["kpi"].map(labels).astype(object))
    out["target"] = target
    for key, values in judged.items():
        out[key] = values
    out["kind"] = "procedures"
    return out[[*keys, *TABLE_COLUMNS]].reset_index(drop=True)


# ---------------------------------------------------------------------------- the list


def procedure_list(
    figures: ProcedureFigures | ProcedureTotals | ProcedureSource,
    catalog: CatalogLookup,
    plan: Plan,
    *,
    kpi: str,
    period: str | Period,
    ytd: bool = False,
    unit: str | None = None,
    field: str | None = None,
    per_month: bool = False,
) -> pd.DataFrame:
    """The procedures of ``kpi``'s scope (period-end catalog; ``unit`` / ``field`` filter folded):
    :data:`LIST_COLUMNS` then one ``Int64`` column per figure column (``received_new`` then the KPI's),
    the sum over the period (NA = unknown).

    ``counted``: True / False / NA (unknown); ``in_denominator``: False for a procedure left out by
    ``active`` (reason ``not_active``). Sorted: in the denominator and not counted first (most
    dossiers first), then unknown, then counted, then not active; ties by unit, field, code.
    """
    spec = plan.procedure_kpis[kpi]
    frame, states = procedure_states(
        figures,
        catalog,
        plan,
        period=period,
        ytd=ytd,
        kpis=[kpi],
        extra_columns=LIST_FIGURES,
        per_month=per_month,
    )
    st = states[kpi]
    fig_cols = list(dict.fromkeys(LIST_FIGURES + spec.columns))
    out = pd.concat(
        [
            frame[
                [
                    "procedure_code",
                    "procedure_name",
                    "unit",
                    "field",
                    "online_level",
                    "_ukey",
                    "_fkey",
                    *fig_cols,
                ]
            ],
            st,
        ],
        axis=1,
    )
    keep = out["listed"].to_numpy(dtype=bool).copy()
    if unit is not None:
        keep &= (out["_ukey"] == fold(unit)).to_numpy(dtype=bool)
    if field is not None:
        keep &= (out["_fkey"] == fold(field)).to_numpy(dtype=bool)
    out = out.loc[keep].copy()
    counted = out["counted"]
    group = np.select(
        [
            _is(out["in_denominator"], True) & _is(counted, False),
            counted.isna().to_numpy(dtype=bool),
            _is(counted, True),
        ],
        [0, 1, 2],
        default=3,
    )
    dossiers = out["received_new"].astype("Int64").to_numpy(dtype="float64", na_value=np.nan)
    out["_g"] = group
    out["_d"] = np.where(np.isnan(dossiers), np.inf, -dossiers)  # most first, unknown last
    out = out.sort_values(["_g", "_d", "unit", "field", "procedure_code"], kind="stable")
    return out[[*LIST_COLUMNS, *fig_cols]].reset_index(drop=True)
