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

    def target_for(self, period: str, unit: str | None = None) -> float:
        """The target for ``period`` (``YYYY-MM``), for ``unit`` when given (see the module doc)."""
        if unit is not None and unit in self.units:
            return self.units[unit]
        value = self.target
        for month, v in self.roadmap.items():  # sorted by month
            if month <= period:
                value = v
            else:
                break
        return value


@dataclass(frozen=True)
class Plan:
    """A plan: its name, year, the "near" band and its KPIs in file order."""

    name: str
    year: int
    near: float
    kpis: dict[str, KpiSpec]

    def __hash__(self) -> int:
        return hash((self.name, self.year, self.near, frozenset(self.kpis.items())))

    def target_for(self, kpi_id: str, period: str, unit: str | None = None) -> float:
        """Target of ``kpi_id`` for ``period``: unit override, else roadmap in force, else target.

        Pass ``unit`` only when the figures are grouped by unit; a unit override replaces the plan
        target (and its roadmap) for that unit.
        """
        return self.kpis[kpi_id].target_for(period, unit)
