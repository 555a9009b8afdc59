"""Checking a parsed targets file and building the :class:`~kpi.plan.Plan` (used by ``kpi.targets``)."""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from typing import Any, TypeGuard

from data_access.columns import COUNT_COLUMNS
from kpi.plan import DEFAULT_NOUN, KpiSpec, Plan, TargetsError, UnitResolver
from kpi.texts import CHECK, COLUMN_ROLES, DID_YOU_MEAN, TOML_SYNTAX, TOML_SYNTAX_AT, TOML_SYNTAX_AT_END

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

    def __init__(self, name: str, resolver: UnitResolver | None, suggester: UnitResolver | None) -> None:
        self.name = name
        self.resolver = resolver
        self.suggester = suggester

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
        kpis_raw = raw.get("kpi")
        if not isinstance(kpis_raw, dict) or not kpis_raw:
            raise self.fail("[kpi]", CHECK["no_kpi"])
        kpis = {kid: self.kpi(kid, body) for kid, body in kpis_raw.items()}
        return Plan(name.strip(), year, float(near), kpis)

    def kpi(self, kid: str, body: object) -> KpiSpec:
        sect = f"[kpi.{kid}]"
        if not isinstance(body, dict):
            raise self.fail(sect, CHECK["kpi_not_table"])
        for key in body:
            if key not in _KPI_KEYS:
                close = difflib.get_close_matches(key, _KPI_KEYS, n=1)
                hint = (
                    DID_YOU_MEAN.format(name=close[0])
                    if close
                    else CHECK["kpi_keys_hint"].format(keys=", ".join(_KPI_KEYS))
                )
                raise self.fail(f"{sect} {key}", CHECK["unknown_kpi_key"].format(hint=hint))
        label = body.get("label")
        if label is None:
            raise self.fail(f"{sect} label", CHECK["no_label"])
        if not isinstance(label, str) or not label.strip():
            raise self.fail(f"{sect} label", CHECK["bad_label"])
        numerator = self.columns(sect, "numerator", body)
        denominator = self.columns(sect, "denominator", body)
        if "target" not in body:
            raise self.fail(f"{sect} target", CHECK["no_target"])
        target = self.fraction(f"{sect} target", body["target"])
        texts = {}
        for key in ("source", "description"):
            v = body.get(key, "")
            if not isinstance(v, str):
                raise self.fail(f"{sect} {key}", CHECK["not_text"])
            texts[key] = v.strip()
        noun = body.get("noun", DEFAULT_NOUN)
        if not isinstance(noun, str) or not noun.strip():
            raise self.fail(f"{sect} noun", CHECK["bad_noun"])
        short_label = body.get("short_label", label)
        if not isinstance(short_label, str) or not short_label.strip():
            raise self.fail(f"{sect} short_label", CHECK["bad_short_label"])
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
            noun=noun.strip(),
            short_label=short_label.strip(),
        )

    def columns(self, sect: str, key: str, body: dict[str, Any]) -> tuple[str, ...]:
        what = COLUMN_ROLES["numerator"] if key == "numerator" else COLUMN_ROLES["denominator"]
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
