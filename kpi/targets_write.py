"""Writing a plan back into the text of a targets file, its comments and order kept (tomlkit)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import tomlkit
from tomlkit.items import Float, Item, Table, Trivia

from data_access.textnorm import fold
from data_access.texts.procedure_catalog import LEVEL_SPELLINGS
from kpi.plan import DEFAULT_NOUN, CatalogValue, KpiSpec, Plan, ProcedureKpiSpec, UnitResolver
from kpi.targets_check import is_number
from kpi.texts import PROCEDURE_NOUN

#: Keys only one kind of KPI has: removed from a table when its KPI is of the other kind.
_DOSSIER_ONLY = ("numerator", "denominator")
_PROCEDURE_ONLY = ("scope", "active", "counted_when", "counted_if")


def _item(value: Any) -> Any:
    """A tomlkit item; a fraction is written with at least two decimals (``0.90``, ``1.00``)."""
    if isinstance(value, float):
        raw = f"{value:.2f}" if round(value, 2) == value else repr(value)
        return Float(value, Trivia(), raw)
    return tomlkit.item(value)


def _same(old: Any, new: Any) -> bool:
    if is_number(old) and is_number(new):
        return bool(old == new)
    return type(old) is type(new) and old == new


def _set(table: Any, key: str, value: Any) -> None:
    """Set ``table[key]`` keeping the old item's comment and spacing; untouched when equal."""
    if key in table:
        old = table[key]
        if _same(old.unwrap() if isinstance(old, Item) else old, value):
            return
        if isinstance(old, Item) and not isinstance(old, Table):
            new = _item(value)
            new.trivia.indent = old.trivia.indent
            new.trivia.comment_ws = old.trivia.comment_ws
            new.trivia.comment = old.trivia.comment
            new.trivia.trail = old.trivia.trail
            table[key] = new
            return
    table[key] = _item(value)


def _month_table(values: Mapping[str, float], existing: Any, resolve: Callable[[str], str | None]) -> Any:
    """Update ``existing`` (a tomlkit table or None) to hold ``values``; keys matched via ``resolve``."""
    table = existing if existing is not None else tomlkit.table()
    placed: set[str] = set()
    for key in list(table.keys()):
        canonical = resolve(key) or key
        if canonical in values and canonical not in placed:
            _set(table, key, float(values[canonical]))
            placed.add(canonical)
        else:
            del table[key]
    for key, v in values.items():
        if key not in placed:
            table[key] = _item(float(v))
    if existing is None:
        table.add(tomlkit.nl())
    return table


def _stripped(text: str) -> str:
    return text.strip()


def _attributes_as_written(
    value: object, resolvers: Mapping[str, Callable[[str], str | None]]
) -> dict[str, CatalogValue] | None:
    """A ``scope`` / ``counted_if`` table of the base file as the checker stores it (texts canonical,
    as a tuple), to tell whether the plan's differs; ``None`` when it is not a table."""
    if not isinstance(value, dict):
        return None
    out: dict[str, CatalogValue] = {}
    for name, v in value.items():
        if isinstance(v, bool):
            out[name] = v
            continue
        texts = [v] if isinstance(v, str) else list(v) if isinstance(v, list) else []
        resolve = resolvers.get(name, _stripped)
        out[name] = tuple(dict.fromkeys((resolve(str(t)) or str(t)) for t in texts))
    return out


def _set_attributes(
    t: Any, key: str, values: Mapping[str, CatalogValue], resolvers: Mapping[str, Callable[[str], str | None]]
) -> None:
    """Write a ``scope`` / ``counted_if`` inline table (one text as a string), untouched when the base's
    already means the same (its spellings and comment kept)."""
    if key in t and _attributes_as_written(t[key].unwrap(), resolvers) == dict(values):
        return
    table = tomlkit.inline_table()
    for name, v in values.items():
        table[name] = v if isinstance(v, bool) else v[0] if len(v) == 1 else list(v)
    if key in t:
        _replace(t, key, table)
    else:
        t[key] = table


def _replace(t: Any, key: str, new: Any) -> None:
    old = t[key]
    if isinstance(old, Item) and not isinstance(old, Table):
        new.trivia.comment_ws = old.trivia.comment_ws
        new.trivia.comment = old.trivia.comment
        new.trivia.trail = old.trivia.trail
    t[key] = new


def _write_texts(t: Any, spec: KpiSpec | ProcedureKpiSpec, default_noun: str) -> None:
    _set(t, "target", float(spec.target))
    for key in ("source", "description"):
        value = getattr(spec, key)
        if value or key in t:
            _set(t, key, value)
    if spec.noun != default_noun or "noun" in t:
        _set(t, "noun", spec.noun)
    if spec.short_label != spec.label or "short_label" in t:
        _set(t, "short_label", spec.short_label)


def _write_procedure_kpi(
    t: Any, spec: ProcedureKpiSpec, resolvers: Mapping[str, Callable[[str], str | None]]
) -> None:
    for key in _DOSSIER_ONLY:
        if key in t:
            del t[key]
    _set(t, "label", spec.label)
    _set(t, "kind", "procedures")
    if spec.scope or "scope" in t:
        _set_attributes(t, "scope", spec.scope, resolvers)
    if spec.active:
        _set(t, "active", list(spec.active))
    elif "active" in t:
        del t["active"]
    if spec.counted_when:
        if "counted_if" in t:
            del t["counted_if"]
        _set(t, "counted_when", list(spec.counted_when))
    else:
        if "counted_when" in t:
            del t["counted_when"]
        _set_attributes(t, "counted_if", spec.counted_if, resolvers)
    _write_texts(t, spec, PROCEDURE_NOUN)


def _write_dossier_kpi(t: Any, spec: KpiSpec) -> None:
    for key in _PROCEDURE_ONLY:
        if key in t:
            del t[key]
    if "kind" in t and t["kind"] != "dossiers":
        del t["kind"]
    _set(t, "label", spec.label)
    _set(t, "numerator", list(spec.numerator))
    _set(t, "denominator", list(spec.denominator))
    _write_texts(t, spec, DEFAULT_NOUN)


def dump_targets_toml(
    plan: Plan,
    base_text: str,
    *,
    unit_resolver: UnitResolver | None = None,
    field_resolver: UnitResolver | None = None,
) -> str:
    """The text of ``base_text`` (a targets file) rewritten to hold ``plan``, comments kept.

    Keys already in the base keep their place and comments; unit keys written as an alias in the
    base are kept when ``unit_resolver`` maps them to a unit of the plan. KPIs not in the plan are
    removed, new ones appended (dossier KPIs, then procedure KPIs). A procedure KPI's ``scope`` /
    ``counted_if`` is kept as written when it means the plan's (unit and field spellings through
    ``unit_resolver`` / ``field_resolver``). ``load_targets(text=dump_targets_toml(p, base)) == p``.
    """
    doc = tomlkit.parse(base_text)
    if "plan" not in doc:
        doc["plan"] = tomlkit.table()
    _set(doc["plan"], "name", plan.name)
    _set(doc["plan"], "year", plan.year)
    _set(doc["plan"], "near", float(plan.near))
    if "kpi" not in doc:
        doc["kpi"] = tomlkit.table(is_super_table=True)
    kpis = doc["kpi"]
    for kid in list(kpis.keys()):
        if kid not in plan.kpis and kid not in plan.procedure_kpis:
            del kpis[kid]
    resolvers: dict[str, Callable[[str], str | None]] = {
        "online_level": lambda text: LEVEL_SPELLINGS.get(fold(text)),
    }
    if unit_resolver is not None:
        resolvers["unit"] = unit_resolver
    if field_resolver is not None:
        resolvers["field"] = field_resolver
    specs: list[tuple[str, KpiSpec | ProcedureKpiSpec]] = [*plan.kpis.items(), *plan.procedure_kpis.items()]
    for kid, spec in specs:
        if kid not in kpis:
            kpis[kid] = tomlkit.table()
        t = kpis[kid]
        if isinstance(spec, ProcedureKpiSpec):
            _write_procedure_kpi(t, spec, resolvers)
        else:
            _write_dossier_kpi(t, spec)
        for key, values, resolve in (
            ("roadmap", spec.roadmap, lambda k: k),
            ("units", spec.units, unit_resolver or (lambda k: k)),
        ):
            if values:
                existing = t.get(key)
                table = _month_table(values, existing, resolve)
                if existing is None:
                    t[key] = table
            elif key in t:
                del t[key]
    return tomlkit.dumps(doc)
