"""The plan's types: a plan, its KPIs and the error a malformed targets file raises (no I/O).

Read from ``targets.toml`` by :func:`kpi.targets.load_targets`; every name is re-exported there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from data_access.columns import split_stocks
from kpi.texts import DEFAULT_NOUN as DEFAULT_NOUN  # re-exported: the default lives with the texts

UnitResolver = Callable[[str], "str | None"]


class TargetsError(ValueError):
    """A malformed targets file: one Vietnamese message naming the file and the key."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class KpiSpec:
    """One KPI: a ratio of two sums of column codes and its target (treat the dicts as read-only)."""

    id: str
    label: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    target: float
    source: str = ""
    description: str = ""
    roadmap: dict[str, float] = field(default_factory=dict)  # "YYYY-MM" -> target, sorted by month
    units: dict[str, float] = field(default_factory=dict)  # canonical unit name -> target
    noun: str = DEFAULT_NOUN  # what the numerator counts ("cần thêm 412 <noun>")
    short_label: str = ""  # the label on cards and chart axes; "" (not given) = ``label``

    def __post_init__(self) -> None:
        if not self.short_label:
            object.__setattr__(self, "short_label", self.label)

    def __hash__(self) -> int:  # equal specs hash equal (the dicts are hashed by content)
        return hash(
            (
                self.id,
                self.label,
                self.numerator,
                self.denominator,
                self.target,
                self.source,
                self.description,
                tuple(sorted(self.roadmap.items())),
                tuple(sorted(self.units.items())),
                self.noun,
                self.short_label,
            )
        )

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the KPI needs (numerator then denominator, without repeats)."""
        return tuple(dict.fromkeys(self.numerator + self.denominator))

    @property
    def uses_stock(self) -> bool:
        """Whether it counts a stock (``carried_over``, ``pending*``: ``periods.md``), which a period of
        several months takes once instead of summing."""
        return len(split_stocks(self.columns)[0]) < len(self.columns)

    kind: str = "dossiers"

    def target_for(self, period: str, unit: str | None = None) -> float:
        """The target for ``period`` (``YYYY-MM``), for ``unit`` when given (see the module doc)."""
        return target_in_force(self.target, self.roadmap, self.units, period, unit)


def target_in_force(
    target: float, roadmap: dict[str, float], units: dict[str, float], period: str, unit: str | None
) -> float:
    """The unit override when ``unit`` has one, else the roadmap entry in force in ``period``, else ``target``."""
    if unit is not None and unit in units:
        return units[unit]
    value = target
    for month, v in roadmap.items():  # sorted by month
        if month <= period:
            value = v
        else:
            break
    return value


CatalogValue = str | bool | tuple[str, ...]


@dataclass(frozen=True)
class ProcedureKpiSpec:
    """One KPI that counts procedures (``procedures.md``): procedures of the catalog in ``scope`` (and,
    with ``active``, with a dossier figure > 0 over the period), counted when the sums of
    ``counted_when`` over the period are > 0, or by the catalog attributes ``counted_if``.

    ``scope`` / ``counted_if`` map a catalog attribute (``online_level``, ``unit``, ``field``: a tuple of
    accepted texts, canonical; the yes/no flags of ``CATALOG_FLAGS``: a bool) to the value required.
    Exactly one of ``counted_when`` / ``counted_if`` is non-empty.
    """

    id: str
    label: str
    target: float
    scope: dict[str, CatalogValue] = field(default_factory=dict)
    active: tuple[str, ...] = ()
    counted_when: tuple[str, ...] = ()
    counted_if: dict[str, CatalogValue] = field(default_factory=dict)
    source: str = ""
    description: str = ""
    roadmap: dict[str, float] = field(default_factory=dict)
    units: dict[str, float] = field(default_factory=dict)
    noun: str = "TTHC"
    short_label: str = ""
    kind: str = "procedures"

    def __post_init__(self) -> None:
        if not self.short_label:
            object.__setattr__(self, "short_label", self.label)

    def __hash__(self) -> int:
        return hash(
            (
                self.id,
                self.label,
                self.target,
                tuple(sorted(self.scope.items())),
                self.active,
                self.counted_when,
                tuple(sorted(self.counted_if.items())),
                self.source,
                self.description,
                tuple(sorted(self.roadmap.items())),
                tuple(sorted(self.units.items())),
                self.noun,
                self.short_label,
            )
        )

    @property
    def columns(self) -> tuple[str, ...]:
        """The figure columns the KPI sums (``active`` then ``counted_when``, without repeats)."""
        return tuple(dict.fromkeys(self.active + self.counted_when))

    def target_for(self, period: str, unit: str | None = None) -> float:
        """The target for ``period`` (``YYYY-MM``), for ``unit`` when given."""
        return target_in_force(self.target, self.roadmap, self.units, period, unit)


@dataclass(frozen=True)
class Plan:
    """A plan: its name, year, the "near" band and its KPIs in file order."""

    name: str
    year: int
    near: float
    kpis: dict[str, KpiSpec]
    procedure_kpis: dict[str, ProcedureKpiSpec] = field(
        default_factory=dict
    )  # kind = "procedures", file order

    def __hash__(self) -> int:
        return hash(
            (
                self.name,
                self.year,
                self.near,
                frozenset(self.kpis.items()),
                frozenset(self.procedure_kpis.items()),
            )
        )

    def target_for(self, kpi_id: str, period: str, unit: str | None = None) -> float:
        """Target of ``kpi_id`` for ``period``: unit override, else roadmap in force, else target.

        Pass ``unit`` only when the figures are grouped by unit; a unit override replaces the plan
        target (and its roadmap) for that unit.
        """
        spec = self.kpis.get(kpi_id) or self.procedure_kpis[kpi_id]
        return spec.target_for(period, unit)

    def spec(self, kpi_id: str) -> KpiSpec | ProcedureKpiSpec:
        """The KPI ``kpi_id`` of either kind (``KeyError`` when the plan has none)."""
        return self.kpis.get(kpi_id) or self.procedure_kpis[kpi_id]
