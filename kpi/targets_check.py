"""Checking a parsed targets file and building the :class:`~kpi.plan.Plan` (used by ``kpi.targets``)."""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Sequence
from typing import Any, TypeGuard

from data_access.columns import CATALOG_FLAGS, COUNT_COLUMNS, ONLINE_LEVELS
from data_access.textnorm import fold
from data_access.texts.procedure_catalog import LEVEL_SPELLINGS
from kpi.plan import DEFAULT_NOUN, CatalogValue, KpiSpec, Plan, ProcedureKpiSpec, TargetsError, UnitResolver
from kpi.texts import (
    CHECK,
    COLUMN_ROLES,
    DID_YOU_MEAN,
    PROCEDURE_NOUN,
    TOML_SYNTAX,
    TOML_SYNTAX_AT,
    TOML_SYNTAX_AT_END,
)

DEFAULT_NEAR = 0.05

_MONTH_KEY = re.compile(r"^(\d{4})-(\d{2})$")
_KPI_KEYS = (
    "label",
    "numerator",
    "denominator",
    "target",
    "source",
    "description",
    "roadmap",
    "units",
    "noun",
    "short_label",
)
_PLAN_KEYS = ("name", "year", "near")
#: The kinds of KPI (``procedures.md``): ratios of column sums, or counts of catalog procedures.
KINDS = ("dossiers", "procedures")
_PROCEDURE_KPI_KEYS = (
    "label",
    "kind",
    "scope",
    "active",
    "counted_when",
    "counted_if",
    "target",
    "source",
    "description",
    "roadmap",
    "units",
    "noun",
    "short_label",
)
#: Catalog attributes a procedure KPI's ``scope`` / ``counted_if`` may name.
CATALOG_ATTRIBUTES: tuple[str, ...] = ("online_level", "unit", "field", *CATALOG_FLAGS)


def syntax_message(name: str, exc: tomllib.TOMLDecodeError) -> str:
    detail = str(exc)
    m = re.search(r"\(at line (\d+), column (\d+)\)", detail)
    if m:
        detail = detail[: m.start()].strip()
        return TOML_SYNTAX_AT.format(name=name, line=m.group(1), column=m.group(2), detail=detail)
    m = re.search(r"\(at end of document\)", detail)
    if m:
        return TOML_SYNTAX_AT_END.format(name=name, detail=detail[: m.start()].strip())
    return TOML_SYNTAX.format(name=name, detail=detail)


def is_number(v: object) -> TypeGuard[int | float]:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


class Checker:
    """Checks the parsed TOML and builds the Plan; the first problem raises TargetsError."""

    def __init__(
        self,
        name: str,
        resolver: UnitResolver | None,
        suggester: UnitResolver | None,
        field_resolver: UnitResolver | None = None,
        field_suggester: UnitResolver | None = None,
    ) -> None:
        self.name = name
        self.resolver = resolver
        self.suggester = suggester
        self.field_resolver = field_resolver
        self.field_suggester = field_suggester

    def fail(self, key: str, message: str) -> TargetsError:
        return TargetsError(f"{self.name}: {key}: {message}", key)

    def plan(self, raw: dict[str, Any]) -> Plan:
        for key in raw:
            if key not in ("plan", "kpi"):
                raise self.fail(f"[{key}]", CHECK["unknown_section"])
        plan = raw.get("plan")
        if not isinstance(plan, dict):
            raise self.fail("[plan]", CHECK["no_plan"])
        for key in plan:
            if key not in _PLAN_KEYS:
                raise self.fail(f"[plan] {key}", CHECK["unknown_plan_key"].format(keys=", ".join(_PLAN_KEYS)))
        name = plan.get("name")
        if not isinstance(name, str) or not name.strip():
            raise self.fail("[plan] name", CHECK["no_plan_name"])
        year = plan.get("year")
        if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 9999:
            raise self.fail("[plan] year", CHECK["bad_year"].format(value=year))
        near = plan.get("near", DEFAULT_NEAR)
        if not is_number(near) or not 0 <= near <= 1:
            raise self.fail("[plan] near", CHECK["bad_near"].format(value=near))
        kpis_raw = raw.get("kpi")  # one table per id: an id is unique across both kinds (TOML keys are)
        if not isinstance(kpis_raw, dict) or not kpis_raw:
            raise self.fail("[kpi]", CHECK["no_kpi"])
        kpis: dict[str, KpiSpec] = {}
        procedure_kpis: dict[str, ProcedureKpiSpec] = {}
        for kid, body in kpis_raw.items():
            if self.kind(kid, body) == "procedures":
                procedure_kpis[kid] = self.procedure_kpi(kid, body)
            else:
                kpis[kid] = self.kpi(kid, body)
        return Plan(name.strip(), year, float(near), kpis, procedure_kpis)

    def kind(self, kid: str, body: object) -> str:
        """The KPI's ``kind`` (default ``"dossiers"``); an unknown one is an error."""
        if not isinstance(body, dict):
            raise self.fail(f"[kpi.{kid}]", CHECK["kpi_not_table"])
        kind = body.get("kind", "dossiers")
        if not isinstance(kind, str) or kind.strip() not in KINDS:
            raise self.fail(f"[kpi.{kid}] kind", CHECK["unknown_kind"].format(value=kind))
        return kind.strip()

    def kpi(self, kid: str, body: object) -> KpiSpec:
        sect = f"[kpi.{kid}]"
        if not isinstance(body, dict):
            raise self.fail(sect, CHECK["kpi_not_table"])
        label = self.keys_and_label(
            sect, {k: v for k, v in body.items() if k != "kind"}, _KPI_KEYS, "kpi_keys_hint"
        )
        numerator = self.columns(sect, "numerator", body)
        denominator = self.columns(sect, "denominator", body)
        if "target" not in body:
            raise self.fail(f"{sect} target", CHECK["no_target"])
        target = self.fraction(f"{sect} target", body["target"])
        texts = self.texts(sect, body, label, DEFAULT_NOUN)
        return KpiSpec(
            id=kid,
            label=label.strip(),
            numerator=numerator,
            denominator=denominator,
            target=target,
            source=texts["source"],
            description=texts["description"],
            roadmap=self.roadmap(kid, body.get("roadmap")),
            units=self.units(kid, body.get("units")),
            noun=texts["noun"],
            short_label=texts["short_label"],
        )

    def procedure_kpi(self, kid: str, body: dict[str, Any]) -> ProcedureKpiSpec:
        """A ``kind = "procedures"`` KPI (``procedures.md``)."""
        sect = f"[kpi.{kid}]"
        for key in body:
            if key in ("numerator", "denominator"):
                raise self.fail(f"{sect} {key}", CHECK["no_ratio_columns"])
        label = self.keys_and_label(sect, body, _PROCEDURE_KPI_KEYS, "procedure_keys_hint")
        scope = self.attributes(
            f"{sect} scope", self.table(f"{sect} scope", body.get("scope"), "scope_not_table")
        )
        active = self.columns(sect, "active", body) if "active" in body else ()
        has_when, has_if = "counted_when" in body, "counted_if" in body
        if has_when and has_if:
            raise self.fail(f"{sect} counted_when, counted_if", CHECK["counted_both"])
        if not has_when and not has_if:
            raise self.fail(f"{sect} counted_when", CHECK["counted_none"])
        counted_when = self.columns(sect, "counted_when", body) if has_when else ()
        counted_if: dict[str, CatalogValue] = {}
        if has_if:
            raw_if = body["counted_if"]
            if not isinstance(raw_if, dict):
                raise self.fail(f"{sect} counted_if", CHECK["counted_if_not_table"])
            if not raw_if:
                raise self.fail(f"{sect} counted_if", CHECK["empty_counted_if"])
            counted_if = self.attributes(f"{sect} counted_if", raw_if)
        if "target" not in body:
            raise self.fail(f"{sect} target", CHECK["no_target"])
        target = self.fraction(f"{sect} target", body["target"])
        texts = self.texts(sect, body, label, PROCEDURE_NOUN)
        return ProcedureKpiSpec(
            id=kid,
            label=label.strip(),
            target=target,
            scope=scope,
            active=active,
            counted_when=counted_when,
            counted_if=counted_if,
            source=texts["source"],
            description=texts["description"],
            roadmap=self.roadmap(kid, body.get("roadmap")),
            units=self.units(kid, body.get("units")),
            noun=texts["noun"],
            short_label=texts["short_label"],
        )

    def keys_and_label(self, sect: str, body: dict[str, Any], known: Sequence[str], hint_key: str) -> str:
        """The KPI table's label, after checking that every key is one of ``known`` (an unknown key is an
        error naming it, with the closest known key or, else, the list ``CHECK[hint_key]``)."""
        for key in body:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = (
                    DID_YOU_MEAN.format(name=close[0])
                    if close
                    else CHECK[hint_key].format(keys=", ".join(known))
                )
                raise self.fail(f"{sect} {key}", CHECK["unknown_kpi_key"].format(hint=hint))
        label = body.get("label")
        if label is None:
            raise self.fail(f"{sect} label", CHECK["no_label"])
        if not isinstance(label, str) or not label.strip():
            raise self.fail(f"{sect} label", CHECK["bad_label"])
        return label

    def texts(self, sect: str, body: dict[str, Any], label: str, default_noun: str) -> dict[str, str]:
        """``source``, ``description``, ``noun`` and ``short_label`` of a KPI table, checked and stripped."""
        out: dict[str, str] = {}
        for key in ("source", "description"):
            v = body.get(key, "")
            if not isinstance(v, str):
                raise self.fail(f"{sect} {key}", CHECK["not_text"])
            out[key] = v.strip()
        noun = body.get("noun", default_noun)
        if not isinstance(noun, str) or not noun.strip():
            raise self.fail(f"{sect} noun", CHECK["bad_noun"])
        short_label = body.get("short_label", label)
        if not isinstance(short_label, str) or not short_label.strip():
            raise self.fail(f"{sect} short_label", CHECK["bad_short_label"])
        out["noun"] = noun.strip()
        out["short_label"] = short_label.strip()
        return out

    def attributes(self, sect: str, table: dict[str, Any]) -> dict[str, CatalogValue]:
        """A ``scope`` / ``counted_if`` table: catalog attribute -> canonical value (texts as a tuple)."""
        out: dict[str, CatalogValue] = {}
        for name, value in table.items():
            key = f"{sect} {name}"
            if name in CATALOG_FLAGS:
                if not isinstance(value, bool):
                    raise self.fail(key, CHECK["bad_flag"].format(value=value))
                out[name] = value
            elif name == "online_level":
                out[name] = self.levels(key, value)
            elif name in ("unit", "field"):
                out[name] = self.names(key, name, value)
            else:
                close = difflib.get_close_matches(name, CATALOG_ATTRIBUTES, n=1)
                hint = DID_YOU_MEAN.format(name=close[0]) if close else ""
                raise self.fail(
                    key,
                    CHECK["unknown_attribute"].format(
                        name=name, names=", ".join(CATALOG_ATTRIBUTES), hint=hint
                    ),
                )
        return out

    @staticmethod
    def _texts(value: object) -> list[str] | None:
        """``value`` as a non-empty list of non-empty texts (one text is a list of one), else ``None``."""
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items:
            return None
        if not all(isinstance(v, str) and v.strip() for v in items):
            return None
        return [str(v) for v in items]

    def levels(self, key: str, value: object) -> tuple[str, ...]:
        items = self._texts(value)
        if items is None:
            raise self.fail(key, CHECK["level_not_text"].format(value=value))
        out: list[str] = []
        for text in items:
            level = LEVEL_SPELLINGS.get(fold(text))
            if level is None:
                levels = ", ".join(f'"{v}"' for v in ONLINE_LEVELS)
                raise self.fail(key, CHECK["bad_level"].format(value=text, levels=levels))
            if level not in out:
                out.append(level)
        return tuple(out)

    def names(self, key: str, attribute: str, value: object) -> tuple[str, ...]:
        """Unit or field names, canonical through the resolver (as ``[kpi.X.units]``); stripped without."""
        items = self._texts(value)
        if items is None:
            raise self.fail(key, CHECK["name_not_text"].format(value=value))
        if attribute == "unit":
            resolver, suggester, message, slot = self.resolver, self.suggester, "unknown_unit", "unit"
        else:
            resolver, suggester, message, slot = (
                self.field_resolver,
                self.field_suggester,
                "unknown_field",
                "field",
            )
        out: list[str] = []
        for text in items:
            canonical: str | None = text.strip()
            if resolver is not None:
                canonical = resolver(text)
                if canonical is None:
                    suggestion = suggester(text) if suggester else None
                    hint = DID_YOU_MEAN.format(name=suggestion) if suggestion else ""
                    raise self.fail(key, CHECK[message].format(**{slot: text}, hint=hint))
            if canonical and canonical not in out:
                out.append(canonical)
        return tuple(out)

    def columns(self, sect: str, key: str, body: dict[str, Any]) -> tuple[str, ...]:
        what = COLUMN_ROLES[key]
        if key not in body:
            raise self.fail(f"{sect} {key}", CHECK["no_columns"].format(role=what))
        value = body[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            raise self.fail(f"{sect} {key}", CHECK["empty_columns"].format(role=what))
        out: list[str] = []
        for code in value:
            if not isinstance(code, str):
                raise self.fail(f"{sect} {key}", CHECK["column_not_text"].format(value=code))
            if code not in COUNT_COLUMNS:
                close = difflib.get_close_matches(code, COUNT_COLUMNS, n=1)
                hint = DID_YOU_MEAN.format(name=close[0]) if close else ""
                raise self.fail(f"{sect} {key}", CHECK["unknown_column"].format(code=code, hint=hint))
            if code in out:
                raise self.fail(f"{sect} {key}", CHECK["repeated_column"].format(code=code))
            out.append(code)
        return tuple(out)

    def fraction(self, key: str, value: object) -> float:
        if not is_number(value):
            raise self.fail(key, CHECK["target_not_number"].format(value=value))
        if not 0 <= value <= 1:
            hint = CHECK["percent_hint"].format(fraction=value / 100) if 1 < value <= 100 else ""
            raise self.fail(key, CHECK["target_out_of_range"].format(value=value, hint=hint))
        return float(value)

    def table(self, sect: str, value: object, message: str) -> dict[str, Any]:
        """``value`` as a TOML table (``{}`` when absent); ``CHECK[message]`` when it is not one."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(sect, CHECK[message])
        return value

    def roadmap(self, kid: str, value: object) -> dict[str, float]:
        sect = f"[kpi.{kid}.roadmap]"
        out: dict[str, float] = {}
        for month, v in self.table(sect, value, "roadmap_not_table").items():
            key = f'{sect} "{month}"'
            m = _MONTH_KEY.match(month)
            if not m or not 1 <= int(m.group(2)) <= 12:
                raise self.fail(key, CHECK["bad_roadmap_month"])
            out[month] = self.fraction(key, v)
        return dict(sorted(out.items()))

    def units(self, kid: str, value: object) -> dict[str, float]:
        sect = f"[kpi.{kid}.units]"
        out: dict[str, float] = {}
        given: dict[str, str] = {}
        for name, v in self.table(sect, value, "units_not_table").items():
            key = f'{sect} "{name}"'
            canonical: str | None = name.strip()
            if self.resolver is not None:
                canonical = self.resolver(name)
                if canonical is None:
                    suggestion = self.suggester(name) if self.suggester else None
                    hint = DID_YOU_MEAN.format(name=suggestion) if suggestion else ""
                    raise self.fail(key, CHECK["unknown_unit"].format(unit=name, hint=hint))
            if not canonical:
                raise self.fail(key, CHECK["empty_unit"])
            if canonical in out:
                raise self.fail(
                    key, CHECK["repeated_unit"].format(first=given[canonical], canonical=canonical)
                )
            out[canonical] = self.fraction(key, v)
            given[canonical] = name
        return out
