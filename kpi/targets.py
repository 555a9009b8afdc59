"""The plan's targets, read from ``targets.toml`` (see ``interfaces.md``).

A target is looked up with :meth:`Plan.target_for`:

* grouped by unit and the KPI has an override for that unit (``[kpi.X.units]``): that value,
  for every month — a unit override replaces the plan target, the roadmap does not apply to it;
* else the roadmap entry in force (``[kpi.X.roadmap]``, the latest ``YYYY-MM`` key not after
  the month);
* else ``target``.

:func:`with_overrides` makes a what-if copy of a plan; :func:`dump_targets_toml` writes a plan
back into the text of a targets file, keeping its comments. The types live in :mod:`kpi.plan`, the
checks in :mod:`kpi.targets_check`, the writer in :mod:`kpi.targets_write`; all are re-exported here.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from kpi.plan import DEFAULT_NOUN, KpiSpec, Plan, ProcedureKpiSpec, TargetsError, UnitResolver
from kpi.targets_check import DEFAULT_NEAR, Checker, syntax_message
from kpi.targets_write import dump_targets_toml
from kpi.texts import KPI_NOT_IN_PLAN, TARGETS_NOT_FOUND, TARGETS_UNREADABLE

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TARGETS_FILE = PROJECT_ROOT / "targets.toml"


# ---------------------------------------------------------------------------- loading


def default_targets_path() -> Path:
    """``TARGETS_FILE`` when set, else ``targets.toml`` at the project root (``data_access.settings``)."""
    from data_access.settings import targets_path

    return targets_path()


def load_targets(
    path: str | Path | None = None,
    *,
    text: str | None = None,
    unit_resolver: UnitResolver | None = None,
    unit_suggester: UnitResolver | None = None,
    field_resolver: UnitResolver | None = None,
    field_suggester: UnitResolver | None = None,
) -> Plan:
    """Read and check a targets file (or ``text``, when given; ``path`` then only names it).

    ``unit_resolver`` (e.g. ``load_catalog().units.match``) turns the keys of ``[kpi.X.units]``
    into canonical unit names; an unknown one is an error, with the closest name from
    ``unit_suggester`` (default: the resolver's own ``suggest``, when it is a catalog method).
    ``field_resolver`` does the same for the field names of a procedure KPI's ``scope`` /
    ``counted_if`` (default, when ``unit_resolver`` is given: the shipped catalog's fields).
    Raises :class:`TargetsError` with one Vietnamese message that names the key.
    """
    if text is None:
        p = Path(path) if path is not None else default_targets_path()
        name = p.name
        try:
            text = p.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise TargetsError(TARGETS_NOT_FOUND.format(name=name, path=p)) from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise TargetsError(TARGETS_UNREADABLE.format(name=name, error=type(exc).__name__)) from exc
    else:
        name = Path(path).name if path is not None else DEFAULT_TARGETS_FILE.name
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TargetsError(syntax_message(name, exc)) from exc
    if unit_suggester is None and unit_resolver is not None:
        unit_suggester = getattr(getattr(unit_resolver, "__self__", None), "suggest", None)
    if field_resolver is None and unit_resolver is not None:
        from data_access.catalog import load_catalog

        field_resolver = load_catalog().fields.match
    if field_suggester is None and field_resolver is not None:
        field_suggester = getattr(getattr(field_resolver, "__self__", None), "suggest", None)
    return Checker(name, unit_resolver, unit_suggester, field_resolver, field_suggester).plan(raw)


# ---------------------------------------------------------------------------- what-if


def with_overrides(
    plan: Plan,
    targets: Mapping[str, float] | None = None,
    unit_targets: Mapping[tuple[str, str], float | None] | None = None,
) -> Plan:
    """A what-if copy of ``plan``; ``plan`` itself is left unchanged.

    ``targets``: kpi id (of either kind) -> new plan-level target. It replaces the target *and drops that KPI's
    roadmap*, so the value typed is the value used for every month.
    ``unit_targets``: (kpi id, canonical unit name) -> unit target (``None`` removes the override).
    Raises :class:`TargetsError` for an unknown KPI or a value outside 0–1.
    """
    checker = Checker("what-if", None, None)
    kpis = dict(plan.kpis)
    procedure_kpis = dict(plan.procedure_kpis)

    def spec(kid: str) -> KpiSpec | ProcedureKpiSpec:
        if kid in kpis:
            return kpis[kid]
        if kid in procedure_kpis:
            return procedure_kpis[kid]
        raise checker.fail(f"[kpi.{kid}]", KPI_NOT_IN_PLAN)

    def put(new: KpiSpec | ProcedureKpiSpec) -> None:
        if isinstance(new, ProcedureKpiSpec):
            procedure_kpis[new.id] = new
        else:
            kpis[new.id] = new

    for kid, value in (targets or {}).items():
        put(replace(spec(kid), target=checker.fraction(f"[kpi.{kid}] target", value), roadmap={}))
    for (kid, unit), unit_value in (unit_targets or {}).items():
        old = spec(kid)
        units = dict(old.units)
        if unit_value is None:
            units.pop(unit, None)
        else:
            units[unit] = checker.fraction(f'[kpi.{kid}.units] "{unit}"', unit_value)
        put(replace(old, units=units))
    return replace(plan, kpis=kpis, procedure_kpis=procedure_kpis)


__all__ = [
    "DEFAULT_NEAR",
    "DEFAULT_NOUN",
    "DEFAULT_TARGETS_FILE",
    "KpiSpec",
    "Plan",
    "ProcedureKpiSpec",
    "TargetsError",
    "default_targets_path",
    "dump_targets_toml",
    "load_targets",
    "with_overrides",
]
