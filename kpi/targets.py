"""The plan's targets, read from ``targets.toml`` (see ``interfaces.md``).

A target is looked up with :meth:`Plan.target_for`:

* grouped by unit and the KPI has an override for that unit (``[kpi.X.units]``): that value,
  for every month — a unit override replaces the plan target, the roadmap does not apply to it;
* else the roadmap entry in force (``[kpi.X.roadmap]``, the latest ``YYYY-MM`` key not after
  the month);
* else ``target``.

:func:`with_overrides` makes a what-if copy of a plan; :func:`dump_targets_toml` writes a plan
back into the text of a targets file, keeping its comments.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import Float, Item, Table, Trivia

from data_access.columns import COUNT_COLUMNS

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TARGETS_FILE = PROJECT_ROOT / "targets.toml"
DEFAULT_NEAR = 0.05

_MONTH_KEY = re.compile(r"^(\d{4})-(\d{2})$")
_KPI_KEYS = ("label", "numerator", "denominator", "target", "source", "description", "roadmap", "units")
_PLAN_KEYS = ("name", "year", "near")

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

    def __hash__(self) -> int:  # equal specs hash equal (the dicts are hashed by content)
        return hash((self.id, self.label, self.numerator, self.denominator, self.target, self.source,
                     self.description, tuple(sorted(self.roadmap.items())), tuple(sorted(self.units.items()))))

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the KPI needs (numerator then denominator, without repeats)."""
        return tuple(dict.fromkeys(self.numerator + self.denominator))

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


# ---------------------------------------------------------------------------- loading


def default_targets_path() -> Path:
    """``TARGETS_FILE`` when set, else ``targets.toml`` at the project root."""
    env = os.environ.get("TARGETS_FILE")
    return Path(env) if env else DEFAULT_TARGETS_FILE


def load_targets(
    path: str | Path | None = None,
    *,
    text: str | None = None,
    unit_resolver: UnitResolver | None = None,
    unit_suggester: UnitResolver | None = None,
) -> Plan:
    """Read and check a targets file (or ``text``, when given; ``path`` then only names it).

    ``unit_resolver`` (e.g. ``load_catalog().units.match``) turns the keys of ``[kpi.X.units]``
    into canonical unit names; an unknown one is an error, with the closest name from
    ``unit_suggester`` (default: the resolver's own ``suggest``, when it is a catalog method).
    Raises :class:`TargetsError` with one Vietnamese message that names the key.
    """
    if text is None:
        p = Path(path) if path is not None else default_targets_path()
        name = p.name
        try:
            text = p.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise TargetsError(f"{name}: không tìm thấy tệp chỉ tiêu ({p})") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise TargetsError(f"{name}: không đọc được tệp chỉ tiêu ({type(exc).__name__})") from exc
    else:
        name = Path(path).name if path is not None else DEFAULT_TARGETS_FILE.name
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TargetsError(_syntax_message(name, exc)) from exc
    if unit_suggester is None and unit_resolver is not None:
        unit_suggester = getattr(getattr(unit_resolver, "__self__", None), "suggest", None)
    return _Checker(name, unit_resolver, unit_suggester).plan(raw)


def _syntax_message(name: str, exc: tomllib.TOMLDecodeError) -> str:
    detail = str(exc)
    m = re.search(r"\(at line (\d+), column (\d+)\)", detail)
    if m:
        detail = detail[: m.start()].strip()
        return f"{name}: lỗi cú pháp TOML ở dòng {m.group(1)}, cột {m.group(2)}: {detail}"
    m = re.search(r"\(at end of document\)", detail)
    if m:
        return f"{name}: lỗi cú pháp TOML ở cuối tệp: {detail[: m.start()].strip()}"
    return f"{name}: lỗi cú pháp TOML: {detail}"


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


class _Checker:
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
                raise self.fail(f"[{key}]", "mục không được hỗ trợ (chỉ có [plan] và [kpi.<mã>])")
        plan = raw.get("plan")
        if not isinstance(plan, dict):
            raise self.fail("[plan]", "thiếu mục [plan] (name, year, near)")
        for key in plan:
            if key not in _PLAN_KEYS:
                raise self.fail(f"[plan] {key}", f"khóa không được hỗ trợ (chỉ có {', '.join(_PLAN_KEYS)})")
        name = plan.get("name")
        if not isinstance(name, str) or not name.strip():
            raise self.fail("[plan] name", "thiếu tên kế hoạch (chuỗi văn bản)")
        year = plan.get("year")
        if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 9999:
            raise self.fail("[plan] year", f"năm kế hoạch phải là số nguyên 4 chữ số, không phải {year!r}")
        near = plan.get("near", DEFAULT_NEAR)
        if not _is_number(near) or not 0 <= near <= 1:
            raise self.fail("[plan] near", f"phải là số từ 0 đến 1 (0.05 = 5 điểm %), không phải {near!r}")
        kpis_raw = raw.get("kpi")
        if not isinstance(kpis_raw, dict) or not kpis_raw:
            raise self.fail("[kpi]", "chưa có KPI nào (cần ít nhất một mục [kpi.<mã>])")
        kpis = {kid: self.kpi(kid, body) for kid, body in kpis_raw.items()}
        return Plan(name.strip(), year, float(near), kpis)

    def kpi(self, kid: str, body: object) -> KpiSpec:
        sect = f"[kpi.{kid}]"
        if not isinstance(body, dict):
            raise self.fail(sect, "phải là một bảng (label, numerator, denominator, target…)")
        for key in body:
            if key not in _KPI_KEYS:
                close = difflib.get_close_matches(key, _KPI_KEYS, n=1)
                hint = f" Có phải là '{close[0]}'?" if close else f" (các khóa: {', '.join(_KPI_KEYS)})"
                raise self.fail(f"{sect} {key}", f"khóa không được hỗ trợ.{hint}")
        label = body.get("label")
        if label is None:
            raise self.fail(f"{sect} label", "thiếu tên hiển thị của KPI")
        if not isinstance(label, str) or not label.strip():
            raise self.fail(f"{sect} label", "tên hiển thị phải là chuỗi văn bản khác rỗng")
        numerator = self.columns(sect, "numerator", body)
        denominator = self.columns(sect, "denominator", body)
        if "target" not in body:
            raise self.fail(f"{sect} target", "thiếu chỉ tiêu (số từ 0 đến 1, ví dụ 0.90)")
        target = self.fraction(f"{sect} target", body["target"])
        texts = {}
        for key in ("source", "description"):
            v = body.get(key, "")
            if not isinstance(v, str):
                raise self.fail(f"{sect} {key}", "phải là chuỗi văn bản")
            texts[key] = v.strip()
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
        )

    def columns(self, sect: str, key: str, body: dict[str, Any]) -> tuple[str, ...]:
        what = "tử số" if key == "numerator" else "mẫu số"
        if key not in body:
            raise self.fail(f"{sect} {key}", f"thiếu {what} (danh sách mã cột, ví dụ [\"received_new\"])")
        value = body[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            raise self.fail(f"{sect} {key}", f"{what} phải là danh sách mã cột khác rỗng")
        out: list[str] = []
        for code in value:
            if not isinstance(code, str):
                raise self.fail(f"{sect} {key}", f"mã cột phải là chuỗi, không phải {code!r}")
            if code not in COUNT_COLUMNS:
                close = difflib.get_close_matches(code, COUNT_COLUMNS, n=1)
                hint = f" Có phải là '{close[0]}'?" if close else ""
                raise self.fail(f"{sect} {key}", f"mã cột '{code}' không có trong hợp đồng dữ liệu.{hint}")
            if code in out:
                raise self.fail(f"{sect} {key}", f"mã cột '{code}' lặp lại (sẽ bị cộng hai lần)")
            out.append(code)
        return tuple(out)

    def fraction(self, key: str, value: object) -> float:
        if not _is_number(value):
            raise self.fail(key, f"chỉ tiêu phải là một số từ 0 đến 1 (0.90 = 90 %), không phải {value!r}")
        if not 0 <= value <= 1:  # type: ignore[operator]
            hint = f" — có phải {value / 100:g}?" if 1 < value <= 100 else ""  # type: ignore[operator]
            raise self.fail(key, f"chỉ tiêu {value!r} nằm ngoài khoảng 0 đến 1 (0.90 = 90 %){hint}")
        return float(value)  # type: ignore[arg-type]

    def roadmap(self, kid: str, value: object) -> dict[str, float]:
        sect = f"[kpi.{kid}.roadmap]"
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(sect, "lộ trình phải là một bảng \"YYYY-MM\" = chỉ tiêu")
        out: dict[str, float] = {}
        for month, v in value.items():
            key = f'{sect} "{month}"'
            m = _MONTH_KEY.match(month)
            if not m or not 1 <= int(m.group(2)) <= 12:
                raise self.fail(key, "mốc lộ trình phải có dạng \"YYYY-MM\" với tháng từ 01 đến 12 (ví dụ \"2024-09\")")
            out[month] = self.fraction(key, v)
        return dict(sorted(out.items()))

    def units(self, kid: str, value: object) -> dict[str, float]:
        sect = f"[kpi.{kid}.units]"
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(sect, "chỉ tiêu đơn vị phải là một bảng \"tên đơn vị\" = chỉ tiêu")
        out: dict[str, float] = {}
        given: dict[str, str] = {}
        for name, v in value.items():
            key = f'{sect} "{name}"'
            canonical: str | None = name.strip()
            if self.resolver is not None:
                canonical = self.resolver(name)
                if canonical is None:
                    suggestion = self.suggester(name) if self.suggester else None
                    hint = f" Có phải là '{suggestion}'?" if suggestion else ""
                    raise self.fail(key, f"đơn vị '{name}' không có trong danh mục.{hint}")
            if not canonical:
                raise self.fail(key, "tên đơn vị rỗng")
            if canonical in out:
                raise self.fail(key, f"trùng đơn vị với \"{given[canonical]}\" (cùng là '{canonical}')")
            out[canonical] = self.fraction(key, v)
            given[canonical] = name
        return out


# ---------------------------------------------------------------------------- what-if


def with_overrides(
    plan: Plan,
    targets: Mapping[str, float] | None = None,
    unit_targets: Mapping[tuple[str, str], float | None] | None = None,
) -> Plan:
    """A what-if copy of ``plan``; ``plan`` itself is left unchanged.

    ``targets``: kpi id -> new plan-level target. It replaces the target *and drops that KPI's
    roadmap*, so the value typed is the value used for every month.
    ``unit_targets``: (kpi id, canonical unit name) -> unit target (``None`` removes the override).
    Raises :class:`TargetsError` for an unknown KPI or a value outside 0–1.
    """
    checker = _Checker("what-if", None, None)
    kpis = dict(plan.kpis)
    for kid, value in (targets or {}).items():
        if kid not in kpis:
            raise checker.fail(f"[kpi.{kid}]", "KPI không có trong kế hoạch")
        kpis[kid] = replace(kpis[kid], target=checker.fraction(f"[kpi.{kid}] target", value), roadmap={})
    for (kid, unit), value in (unit_targets or {}).items():
        if kid not in kpis:
            raise checker.fail(f"[kpi.{kid}]", "KPI không có trong kế hoạch")
        units = dict(kpis[kid].units)
        if value is None:
            units.pop(unit, None)
        else:
            units[unit] = checker.fraction(f'[kpi.{kid}.units] "{unit}"', value)
        kpis[kid] = replace(kpis[kid], units=units)
    return replace(plan, kpis=kpis)


# ---------------------------------------------------------------------------- writing


def _item(value: Any) -> Any:
    """A tomlkit item; a fraction is written with at least two decimals (``0.90``, ``1.00``)."""
    if isinstance(value, float):
        raw = f"{value:.2f}" if round(value, 2) == value else repr(value)
        return Float(value, Trivia(), raw)
    return tomlkit.item(value)


def _same(old: Any, new: Any) -> bool:
    if _is_number(old) and _is_number(new):
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


__all__ = [
    "DEFAULT_TARGETS_FILE",
    "KpiSpec",
    "Plan",
    "TargetsError",
    "default_targets_path",
    "dump_targets_toml",
    "load_targets",
    "with_overrides",
]
