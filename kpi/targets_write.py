"""Writing a plan back into the text of a targets file, its comments and order kept (tomlkit)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import tomlkit
from tomlkit.items import Float, Item, Table, Trivia

from kpi.plan import DEFAULT_NOUN, Plan, UnitResolver
from kpi.targets_check import is_number


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


def dump_targets_toml(plan: Plan, base_text: str, *, unit_resolver: UnitResolver | None = None) -> str:
    """The text of ``base_text`` (a targets file) rewritten to hold ``plan``, comments kept.

    Keys already in the base keep their place and comments; unit keys written as an alias in the
    base are kept when ``unit_resolver`` maps them to a unit of the plan. KPIs not in the plan are
    removed, new ones appended. ``load_targets(text=dump_targets_toml(p, base)) == p``.
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
        if kid not in plan.kpis:
            del kpis[kid]
    for kid, spec in plan.kpis.items():
        if kid not in kpis:
            kpis[kid] = tomlkit.table()
        t = kpis[kid]
        _set(t, "label", spec.label)
        _set(t, "numerator", list(spec.numerator))
        _set(t, "denominator", list(spec.denominator))
        _set(t, "target", float(spec.target))
        for key in ("source", "description"):
            value = getattr(spec, key)
            if value or key in t:
                _set(t, key, value)
        if spec.noun != DEFAULT_NOUN or "noun" in t:
            _set(t, "noun", spec.noun)
        if spec.short_label != spec.label or "short_label" in t:
            _set(t, "short_label", spec.short_label)
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
