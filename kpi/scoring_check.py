"""Checking a parsed ``scoring.toml`` and building the :class:`~kpi.scoring.Scoring` (no I/O).

Like :mod:`kpi.targets_check`: the first problem raises :class:`ScoringError` with one Vietnamese
message "<file>: <key>: <what is wrong>". Numbers are kept as exact fractions of their decimal text
(``0.95`` → 19/20), so that a ratio on a band's edge is judged exactly.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from kpi.plan import TargetsError
from kpi.targets_check import Checker, is_number
from kpi.texts import DID_YOU_MEAN, SCORING_CHECK

PERIODS = ("month", "quarter", "half", "year")
_FRAMEWORK_KEYS = ("name", "period", "total", "not_computed")
_NOT_COMPUTED_KEYS = ("label", "max", "source")
_CRITERION_KEYS = (
    "framework",
    "label",
    "kpi",
    "numerator",
    "denominator",
    "max",
    "bands",
    "exact",
    "noun",
    "source",
    "description",
)
_BAND_KEYS = ("from", "points", "times_ratio")


class ScoringError(TargetsError):
    """A malformed scoring file: one Vietnamese message naming the file and the key."""


def exact(value: int | float) -> Fraction:
    """The fraction a number of the file means (its decimal text: 0.1 → 1/10, not the float)."""
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


@dataclass(frozen=True)
class Band:
    """One step: from ratio ``start`` on, either fixed ``points`` or ``times_ratio`` × the ratio."""

    start: Fraction
    points: Fraction | None = None
    times_ratio: Fraction | None = None

    def at(self, ratio: Fraction) -> Fraction:
        if self.points is not None:
            return self.points
        assert self.times_ratio is not None
        return self.times_ratio * ratio


@dataclass(frozen=True)
class Criterion:
    """One criterion: a ratio (a KPI's, or its own columns) turned into points by its bands."""

    id: str
    framework: str
    label: str
    max: Fraction
    bands: tuple[Band, ...]  # highest ``start`` first
    source: str
    kpi: str | None = None
    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()
    exact: bool = True
    noun: str | None = None  # None: the KPI's noun, or the default
    description: str = ""

    def points_at(self, ratio: Fraction) -> Fraction:
        """Points of a ratio: the first band it reaches (none: 0), never above ``max``."""
        for band in self.bands:
            if ratio >= band.start:
                return min(self.max, band.at(ratio))
        return Fraction(0)

    def next_step(self, ratio: Fraction) -> tuple[Fraction, Fraction] | None:
        """(next_from, next_points): the smallest band boundary above ``ratio`` that gives more
        points, with a ``times_ratio`` top band's full points at ratio 1 as the last boundary;
        ``None`` when no boundary above gives more."""
        now = self.points_at(ratio)
        bounds = {b.start for b in self.bands if b.start > ratio}
        if self.bands[0].times_ratio is not None and ratio < 1:
            bounds.add(Fraction(1))
        for bound in sorted(bounds):
            there = self.points_at(bound)
            if there > now:
                return bound, there
        return None


@dataclass(frozen=True)
class NotComputed:
    """A part of a framework the department's figures cannot give, with its points."""

    label: str
    max: Fraction
    source: str


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    period: str
    total: Fraction | None = None
    not_computed: tuple[NotComputed, ...] = ()


@dataclass(frozen=True)
class Scoring:
    """The frameworks and the criteria of a scoring file, in file order."""

    frameworks: dict[str, Framework]
    criteria: dict[str, Criterion]

    def __hash__(self) -> int:
        return hash((tuple(self.frameworks.items()), tuple(self.criteria.items())))

    def of(self, framework: str | None) -> list[Criterion]:
        """The criteria of one framework (all of them for ``None``)."""
        return [c for c in self.criteria.values() if framework is None or c.framework == framework]


class ScoringChecker:
    """Checks the parsed TOML and builds the :class:`Scoring`."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._columns = Checker(name, None, None)

    def fail(self, key: str, message: str) -> ScoringError:
        return ScoringError(f"{self.name}: {key}: {message}", key)

    def known_keys(self, sect: str, body: dict[str, Any], allowed: tuple[str, ...]) -> None:
        for key in body:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = (
                    DID_YOU_MEAN.format(name=close[0])
                    if close
                    else SCORING_CHECK["keys_hint"].format(keys=", ".join(allowed))
                )
                raise self.fail(f"{sect} {key}", SCORING_CHECK["unknown_key"].format(hint=hint))

    def text_value(self, key: str, value: object, missing: str, *, required: bool = True) -> str:
        if value is None and not required:
            return ""
        if value is None:
            raise self.fail(key, SCORING_CHECK[missing])
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(
                key, SCORING_CHECK[missing] if isinstance(value, str) else SCORING_CHECK["not_text"]
            )
        return value.strip()

    def maximum(self, key: str, value: object) -> Fraction:
        if not is_number(value) or value <= 0:
            raise self.fail(key, SCORING_CHECK["bad_max"].format(value=value))
        return exact(value)

    def scoring(self, raw: dict[str, Any]) -> Scoring:
        for key in raw:
            if key not in ("framework", "criterion"):
                raise self.fail(f"[{key}]", SCORING_CHECK["unknown_section"])
        fw_raw = raw.get("framework")
        if not isinstance(fw_raw, dict) or not fw_raw:
            raise self.fail("[framework]", SCORING_CHECK["no_framework"])
        frameworks = {fid: self.framework(fid, body) for fid, body in fw_raw.items()}
        cr_raw = raw.get("criterion")
        if not isinstance(cr_raw, dict) or not cr_raw:
            raise self.fail("[criterion]", SCORING_CHECK["no_criterion"])
        criteria = {cid: self.criterion(cid, body, frameworks) for cid, body in cr_raw.items()}
        for fw in frameworks.values():
            if fw.total is None:
                continue
            total = sum((c.max for c in criteria.values() if c.framework == fw.id), Fraction(0))
            total += sum((n.max for n in fw.not_computed), Fraction(0))
            if total != fw.total:
                raise self.fail(
                    f"[framework.{fw.id}] total",
                    SCORING_CHECK["total_mismatch"].format(total=float(fw.total), sum=float(total)),
                )
        return Scoring(frameworks, criteria)

    def framework(self, fid: str, body: object) -> Framework:
        sect = f"[framework.{fid}]"
        if not isinstance(body, dict):
            raise self.fail(sect, SCORING_CHECK["framework_not_table"])
        self.known_keys(sect, body, _FRAMEWORK_KEYS)
        name = self.text_value(f"{sect} name", body.get("name"), "no_name")
        period = body.get("period")
        if period not in PERIODS:
            raise self.fail(
                f"{sect} period",
                SCORING_CHECK["bad_period"].format(choices=", ".join(PERIODS), value=period),
            )
        total = None if "total" not in body else self.maximum(f"{sect} total", body["total"])
        items = body.get("not_computed", [])
        if not isinstance(items, list):
            raise self.fail(f"{sect} not_computed", SCORING_CHECK["not_computed_not_list"])
        parts = []
        for i, item in enumerate(items, start=1):
            key = f"[[framework.{fid}.not_computed]] #{i}"
            if not isinstance(item, dict):
                raise self.fail(key, SCORING_CHECK["not_computed_not_table"])
            self.known_keys(key, item, _NOT_COMPUTED_KEYS)
            parts.append(
                NotComputed(
                    label=self.text_value(f"{key} label", item.get("label"), "no_label"),
                    max=self.maximum(f"{key} max", item.get("max")),
                    source=self.text_value(f"{key} source", item.get("source"), "no_source"),
                )
            )
        return Framework(fid, name, str(period), total, tuple(parts))

    def criterion(self, cid: str, body: object, frameworks: dict[str, Framework]) -> Criterion:
        sect = f'[criterion."{cid}"]'
        if not isinstance(body, dict):
            raise self.fail(sect, SCORING_CHECK["criterion_not_table"])
        self.known_keys(sect, body, _CRITERION_KEYS)
        fw = body.get("framework")
        if fw is None:
            raise self.fail(f"{sect} framework", SCORING_CHECK["no_framework_ref"])
        if fw not in frameworks:
            raise self.fail(
                f"{sect} framework",
                SCORING_CHECK["unknown_framework"].format(value=fw, choices=", ".join(frameworks)),
            )
        label = self.text_value(f"{sect} label", body.get("label"), "no_label")
        has_columns = "numerator" in body or "denominator" in body
        kpi: str | None = None
        numerator: tuple[str, ...] = ()
        denominator: tuple[str, ...] = ()
        if "kpi" in body:
            if has_columns:
                raise self.fail(f"{sect} kpi", SCORING_CHECK["kpi_and_columns"])
            value = body["kpi"]
            if not isinstance(value, str) or not value.strip():
                raise self.fail(f"{sect} kpi", SCORING_CHECK["bad_kpi"].format(value=value))
            kpi = value.strip()
        elif has_columns:
            try:
                numerator = self._columns.columns(sect, "numerator", body)
                denominator = self._columns.columns(sect, "denominator", body)
            except TargetsError as exc:
                raise ScoringError(str(exc), exc.key) from None
        else:
            raise self.fail(f"{sect} kpi", SCORING_CHECK["no_ratio"])
        top = self.maximum(f"{sect} max", body.get("max"))
        bands = self.bands(sect, body.get("bands"), top)
        flag = body.get("exact", True)
        if not isinstance(flag, bool):
            raise self.fail(f"{sect} exact", SCORING_CHECK["bad_exact"].format(value=flag))
        noun = body.get("noun")
        if noun is not None and (not isinstance(noun, str) or not noun.strip()):
            raise self.fail(f"{sect} noun", SCORING_CHECK["bad_noun"])
        return Criterion(
            id=cid,
            framework=str(fw),
            label=label,
            max=top,
            bands=bands,
            source=self.text_value(f"{sect} source", body.get("source"), "no_source"),
            kpi=kpi,
            numerator=numerator,
            denominator=denominator,
            exact=flag,
            noun=noun.strip() if isinstance(noun, str) else None,
            description=self.text_value(
                f"{sect} description", body.get("description"), "not_text", required=False
            ),
        )

    def bands(self, sect: str, value: object, top: Fraction) -> tuple[Band, ...]:
        key = f"{sect} bands"
        if not isinstance(value, list) or not value:
            raise self.fail(key, SCORING_CHECK["no_bands"])
        out: list[Band] = []
        for i, item in enumerate(value, start=1):
            where = f"{key} #{i}"
            if not isinstance(item, dict):
                raise self.fail(where, SCORING_CHECK["band_not_table"])
            self.known_keys(where, item, _BAND_KEYS)
            start = item.get("from")
            if not is_number(start) or not 0 <= start <= 1:
                raise self.fail(f"{where} from", SCORING_CHECK["bad_from"].format(value=start))
            if ("points" in item) == ("times_ratio" in item):
                raise self.fail(where, SCORING_CHECK["points_or_times"])
            which = "points" if "points" in item else "times_ratio"
            amount = item[which]
            if not is_number(amount) or amount < 0:
                raise self.fail(f"{where} {which}", SCORING_CHECK["bad_points"].format(value=amount))
            if which == "points" and exact(amount) > top:
                raise self.fail(
                    f"{where} points",
                    SCORING_CHECK["points_over_max"].format(value=float(amount), max=float(top)),
                )
            band = (
                Band(exact(start), points=exact(amount))
                if which == "points"
                else Band(exact(start), times_ratio=exact(amount))
            )
            if out and band.start >= out[-1].start:
                raise self.fail(
                    f"{where} from",
                    SCORING_CHECK["bands_order"].format(value=float(start), previous=float(out[-1].start)),
                )
            out.append(band)
        return tuple(out)
