"""Checking a parsed targets file and building the :class:`~kpi.plan.Plan` (used by ``kpi.targets``)."""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from typing import Any

from data_access.columns import COUNT_COLUMNS
from kpi.plan import DEFAULT_NOUN, KpiSpec, Plan, TargetsError, UnitResolver

DEFAULT_NEAR = 0.05

_MONTH_KEY = re.compile(r"^(\d{4})-(\d{2})$")
_KPI_KEYS = ("label", "numerator", "denominator", "target", "source", "description", "roadmap", "units",
             "noun", "short_label")
_PLAN_KEYS = ("name", "year", "near")


def syntax_message(name: str, exc: tomllib.TOMLDecodeError) -> str:
    detail = str(exc)
    m = re.search(r"\(at line (\d+), column (\d+)\)", detail)
    if m:
        detail = detail[: m.start()].strip()
        return f"{name}: lỗi cú pháp TOML ở dòng {m.group(1)}, cột {m.group(2)}: {detail}"
    m = re.search(r"\(at end of document\)", detail)
    if m:
        return f"{name}: lỗi cú pháp TOML ở cuối tệp: {detail[: m.start()].strip()}"
    return f"{name}: lỗi cú pháp TOML: {detail}"


def is_number(v: object) -> bool:
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
        if not is_number(near) or not 0 <= near <= 1:
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
        noun = body.get("noun", DEFAULT_NOUN)
        if not isinstance(noun, str) or not noun.strip():
            raise self.fail(f"{sect} noun", "điều tử số đếm (ví dụ \"hồ sơ\") phải là chuỗi văn bản khác rỗng")
        short_label = body.get("short_label", label)
        if not isinstance(short_label, str) or not short_label.strip():
            raise self.fail(f"{sect} short_label", "tên ngắn (trên thẻ KPI, trục biểu đồ) phải là chuỗi văn bản "
                                                   "khác rỗng")
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
        if not is_number(value):
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
