"""targets.toml procedure KPIs (``kind = "procedures"``, procedures.md): the five shipped definitions,
every refusal naming its key, what-if overrides and writing them back (what-if save)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from data_access.catalog import load_catalog
from kpi.targets import (
    KpiSpec,
    Plan,
    ProcedureKpiSpec,
    TargetsError,
    dump_targets_toml,
    load_targets,
    with_overrides,
)
from ui.kpi_cache import plan_key

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "targets.toml"
CATALOG = load_catalog()
UNITS, FIELDS = CATALOG.units, CATALOG.fields
DOSSIER_IDS = [
    "online_full",
    "online_payment",
    "digitized_results",
    "digitized_dossiers",
    "online_any",
    "on_time",
    "progress_766",
    "postal_received",
    "postal_returned",
]
PROCEDURE_IDS = [
    "procedures_full_online",
    "procedures_on_national_portal",
    "fee_procedures_paid_online",
    "online_procedures_with_dossiers",
    "procedures_with_postal",
]

HEAD = """\
# top comment
[plan]
name = "KH thử"
year = 2024

[kpi.on_time]
label = "Giải quyết đúng hạn"
numerator = ["resolved_early", "resolved_on_time"]
denominator = ["resolved"]
target = 0.95
"""

FEE = """
[kpi.fee]
label = "TTHC có phí thanh toán trực tuyến"
kind = "procedures"
scope = { has_fee = true }   # scope comment
active = ["received_new"]
counted_when = ["payments_online"]
target = 0.80
"""


def load(text: str, **kw: object) -> Plan:
    return load_targets(text=text, **kw)  # type: ignore[arg-type]


def refused(body: str, **kw: object) -> str:
    """The message refusing ``HEAD`` plus a ``[kpi.p]`` table with ``body``."""
    with pytest.raises(TargetsError) as info:
        load(HEAD + "\n[kpi.p]\n" + body, **kw)
    return str(info.value)


# ---------------------------------------------------------------------------- the shipped file


def test_shipped_file_keeps_its_dossier_kpis_and_adds_the_five_procedure_kpis_in_file_order() -> None:
    plan = load_targets(SHIPPED, unit_resolver=UNITS.match)
    assert list(plan.kpis) == DOSSIER_IDS  # plan.kpis: dossier KPIs only, unchanged
    assert list(plan.procedure_kpis) == PROCEDURE_IDS
    assert all(s.kind == "dossiers" for s in plan.kpis.values())
    # the [kpi.*] tables of the file: 9 dossier + 5 procedure KPIs
    assert len(tomllib.loads(SHIPPED.read_text(encoding="utf-8"))["kpi"]) == 9 + 5


def test_shipped_procedures_full_online() -> None:
    s = load_targets(SHIPPED).procedure_kpis["procedures_full_online"]
    assert (s.kind, s.scope, s.counted_if, s.active, s.counted_when, s.target) == (
        "procedures",
        {"full_online_eligible": True},
        {"online_level": ("toàn trình",)},
        (),
        (),
        1.0,
    )
    assert s.columns == ()  # a catalog-only KPI needs no figures


def test_shipped_procedures_on_national_portal() -> None:
    s = load_targets(SHIPPED).procedure_kpis["procedures_on_national_portal"]
    assert (s.scope, s.counted_if, s.active, s.counted_when, s.target) == (
        {"online_level": ("toàn trình",)},
        {"on_national_portal": True},
        (),
        (),
        0.80,
    )


def test_shipped_fee_procedures_paid_online() -> None:
    s = load_targets(SHIPPED).procedure_kpis["fee_procedures_paid_online"]
    assert (s.scope, s.counted_if, s.active, s.counted_when, s.target) == (
        {"has_fee": True},
        {},
        ("received_new",),
        ("payments_online",),
        0.80,
    )
    assert s.columns == ("received_new", "payments_online")


def test_shipped_online_procedures_with_dossiers() -> None:
    s = load_targets(SHIPPED).procedure_kpis["online_procedures_with_dossiers"]
    assert (s.scope, s.counted_if, s.active, s.counted_when, s.target) == (
        {"online_level": ("toàn trình", "một phần")},
        {},
        (),
        ("received_online",),
        0.80,
    )


def test_shipped_procedures_with_postal() -> None:
    s = load_targets(SHIPPED).procedure_kpis["procedures_with_postal"]
    assert (s.scope, s.counted_if, s.active, s.counted_when, s.target) == (
        {},
        {},
        ("received_new",),
        ("received_postal", "returned_postal"),
        0.50,
    )


def test_shipped_procedure_kpis_have_their_texts() -> None:
    for s in load_targets(SHIPPED).procedure_kpis.values():
        assert s.noun == "TTHC"
        assert s.label and s.short_label and s.short_label != s.label
        assert "procedures.md" in s.source and "«" in s.source
        assert s.description.startswith("Số TTHC")
        assert s.roadmap == {} and s.units == {}
        assert s.target_for("2024-06") == s.target


def test_year_plan_2023_still_loads_without_procedure_kpis() -> None:
    plan = load_targets(ROOT / "targets" / "2023.toml", unit_resolver=UNITS.match)
    assert plan.procedure_kpis == {} and "online_full" in plan.kpis


def test_plan_spec_and_target_for_reach_both_kinds() -> None:
    plan = load_targets(SHIPPED)
    assert plan.spec("procedures_with_postal").kind == "procedures"
    assert plan.spec("on_time").kind == "dossiers"
    assert plan.target_for("procedures_on_national_portal", "2024-03") == 0.80


# ---------------------------------------------------------------------------- reading a definition


def test_kind_absent_or_dossiers_is_a_dossier_kpi() -> None:
    plan = load(
        HEAD.replace('label = "Giải quyết đúng hạn"', 'label = "Giải quyết đúng hạn"\nkind = "dossiers"')
    )
    assert list(plan.kpis) == ["on_time"] and plan.procedure_kpis == {}
    assert plan == load(HEAD)


def test_levels_match_like_the_catalog_reader_and_are_stored_canonical() -> None:
    plan = load(
        HEAD
        + """
[kpi.p]
label = "x"
kind = "procedures"
scope = { online_level = ["Toan  Trinh", "mức 3", "TOÀN TRÌNH"] }
counted_if = { online_level = "Mức độ 4" }
target = 0.5
"""
    )
    s = plan.procedure_kpis["p"]
    assert s.scope == {"online_level": ("toàn trình", "một phần")}  # repeats folded away
    assert s.counted_if == {"online_level": ("toàn trình",)}
    assert s.noun == "TTHC" and s.short_label == "x"


def test_units_and_fields_are_resolved_through_the_catalog() -> None:
    text = (
        HEAD
        + """
[kpi.p]
label = "x"
kind = "procedures"
scope = { unit = ["Phòng GDTrH", "thanh tra so"], field = "GDTrH", postal_allowed = false }
counted_when = ["received_postal"]
target = 0.5
"""
    )
    s = load(text, unit_resolver=UNITS.match).procedure_kpis["p"]
    assert s.scope == {
        "unit": ("Phòng Giáo dục Trung học", "Thanh tra Sở"),
        "field": ("Giáo dục trung học",),
        "postal_allowed": False,
    }
    explicit = load(text, unit_resolver=UNITS.match, field_resolver=FIELDS.match)
    assert explicit == load(text, unit_resolver=UNITS.match)
    # without a resolver the names are kept as written (as [kpi.X.units] are)
    assert load(text).procedure_kpis["p"].scope["unit"] == ("Phòng GDTrH", "thanh tra so")


def test_roadmap_and_unit_targets_work_as_for_dossier_kpis() -> None:
    text = (
        HEAD
        + FEE
        + """
[kpi.fee.roadmap]
"2024-09" = 0.60

[kpi.fee.units]
"Phòng GDTrH" = 0.90
"""
    )
    s = load(text, unit_resolver=UNITS.match).procedure_kpis["fee"]
    assert s.target_for("2024-08") == 0.80 and s.target_for("2024-10") == 0.60
    assert s.target_for("2024-10", "Phòng Giáo dục Trung học") == 0.90


def test_a_plan_of_procedure_kpis_only_loads() -> None:
    text = '[plan]\nname = "KH"\nyear = 2024\n' + FEE
    plan = load(text)
    assert plan.kpis == {} and list(plan.procedure_kpis) == ["fee"]


# ---------------------------------------------------------------------------- bad input

OK = 'label = "x"\nkind = "procedures"\ncounted_when = ["received_online"]\ntarget = 0.8\n'


@pytest.mark.parametrize(
    ("body", "key", "words"),
    [
        (
            'label = "x"\nkind = "procedure"\ncounted_when = ["received_online"]\ntarget = 0.8\n',
            "[kpi.p] kind",
            "'procedure'",
        ),
        (
            'label = "x"\nkind = 3\nnumerator = ["resolved"]\ndenominator = ["resolved"]\ntarget = 0.8\n',
            "[kpi.p] kind",
            "'3'",
        ),
        (OK + 'scope = "has_fee"\n', "[kpi.p] scope", "phạm vi phải là một bảng"),
        (
            OK.replace('counted_when = ["received_online"]', 'counted_if = ["on_national_portal"]'),
            "[kpi.p] counted_if",
            "phải là một bảng",
        ),
        (OK + "scope = { has_fees = true }\n", "[kpi.p] scope has_fees", "Có phải là 'has_fee'?"),
        (OK + "scope = { level = 'toàn trình' }\n", "[kpi.p] scope level", "không có trong danh mục TTHC"),
        (OK + "scope = { online_level = 'mức 5' }\n", "[kpi.p] scope online_level", "'mức 5' không hợp lệ"),
        (OK + "scope = { online_level = 4 }\n", "[kpi.p] scope online_level", "phải là chuỗi"),
        (OK + "scope = { online_level = [] }\n", "[kpi.p] scope online_level", "phải là chuỗi"),
        (OK + "scope = { has_fee = 'có' }\n", "[kpi.p] scope has_fee", "true hoặc false"),
        (OK + "scope = { on_national_portal = 1 }\n", "[kpi.p] scope on_national_portal", "true hoặc false"),
        (OK + "scope = { unit = 5 }\n", "[kpi.p] scope unit", "phải là chuỗi"),
        (OK + 'active = ["received_neww"]\n', "[kpi.p] active", "Có phải là 'received_new'?"),
        (OK + "active = []\n", "[kpi.p] active", "khác rỗng"),
        (OK + 'active = ["received_new", "received_new"]\n', "[kpi.p] active", "lặp lại"),
        (
            OK.replace('"received_online"', '"online"'),
            "[kpi.p] counted_when",
            "'online' không có trong hợp đồng",
        ),
        (OK.replace('["received_online"]', "[]"), "[kpi.p] counted_when", "khác rỗng"),
        (
            OK + 'counted_if = { online_level = "toàn trình" }\n',
            "[kpi.p] counted_when, counted_if",
            "chỉ dùng một",
        ),
        (OK.replace('counted_when = ["received_online"]\n', ""), "[kpi.p] counted_when", "thiếu điều kiện"),
        (
            OK.replace('counted_when = ["received_online"]', "counted_if = {}"),
            "[kpi.p] counted_if",
            "ít nhất một",
        ),
        (OK + "counted_if_x = 1\n", "[kpi.p] counted_if_x", "Có phải là"),
        (OK + 'numerator = ["received_online"]\n', "[kpi.p] numerator", "không dùng tử số"),
        (OK + 'denominator = ["received_new"]\n', "[kpi.p] denominator", "không dùng tử số"),
        (OK.replace('label = "x"\n', ""), "[kpi.p] label", "thiếu tên"),
        (OK.replace('label = "x"', 'label = " "'), "[kpi.p] label", "khác rỗng"),
        (OK.replace("target = 0.8\n", ""), "[kpi.p] target", "thiếu chỉ tiêu"),
        (OK.replace("target = 0.8", "target = 80"), "[kpi.p] target", "có phải 0.8?"),
        (OK + "source = 1\n", "[kpi.p] source", "chuỗi văn bản"),
        (OK + "description = true\n", "[kpi.p] description", "chuỗi văn bản"),
        (OK + 'noun = ""\n', "[kpi.p] noun", "khác rỗng"),
        (OK + "short_label = 2\n", "[kpi.p] short_label", "tên ngắn"),
        (OK + '[kpi.p.roadmap]\n"2024-13" = 0.5\n', '[kpi.p.roadmap] "2024-13"', "YYYY-MM"),
        (OK + "roadmap = 0.5\n", "[kpi.p.roadmap]", "lộ trình phải là một bảng"),
        (OK + '[kpi.p.units]\n"Thanh tra" = 1.5\n', '[kpi.p.units] "Thanh tra"', "ngoài khoảng"),
    ],
)
def test_bad_procedure_kpi_is_refused_naming_the_key(body: str, key: str, words: str) -> None:
    message = refused(body)
    assert message.startswith(f"targets.toml: {key}: "), message
    assert words in message, message


def test_unknown_unit_and_field_are_refused_with_the_closest_name() -> None:
    unit = refused(OK + "scope = { unit = 'Phòng Giáo dục Trung hoc cơ' }\n", unit_resolver=UNITS.match)
    assert unit.startswith("targets.toml: [kpi.p] scope unit: đơn vị 'Phòng Giáo dục Trung hoc cơ'"), unit
    assert "Có phải là 'Phòng Giáo dục Trung học'?" in unit
    body = OK.replace(
        'counted_when = ["received_online"]', "counted_if = { field = ['GDTrH', 'Thi tuyen sinhh'] }"
    )
    field = refused(body, unit_resolver=UNITS.match)
    assert field.startswith("targets.toml: [kpi.p] counted_if field: lĩnh vực 'Thi tuyen sinhh'"), field
    assert "Có phải là 'Thi, tuyển sinh'?" in field


def test_procedure_keys_are_refused_on_a_dossier_kpi() -> None:
    message = refused(
        'label = "x"\nnumerator = ["resolved"]\ndenominator = ["resolved"]\ntarget = 0.8\nscope = {}\n'
    )
    assert message.startswith("targets.toml: [kpi.p] scope: khóa không được hỗ trợ"), message


def test_an_id_is_unique_across_both_kinds() -> None:
    with pytest.raises(TargetsError) as info:
        load(HEAD + FEE.replace("[kpi.fee]", "[kpi.on_time]"))
    assert "lỗi cú pháp TOML" in str(info.value)


# ---------------------------------------------------------------------------- what-if and writing back


def test_with_overrides_changes_a_procedure_kpi_and_keeps_it_a_procedure_kpi() -> None:
    plan = load(HEAD + FEE + '\n[kpi.fee.roadmap]\n"2024-09" = 0.6\n', unit_resolver=UNITS.match)
    what_if = with_overrides(
        plan,
        targets={"fee": 0.9, "on_time": 0.97},
        unit_targets={("fee", "Thanh tra Sở"): 0.7},
    )
    fee = what_if.procedure_kpis["fee"]
    assert isinstance(fee, ProcedureKpiSpec)
    assert (fee.target, fee.roadmap, fee.units) == (0.9, {}, {"Thanh tra Sở": 0.7})
    assert fee.scope == {"has_fee": True} and fee.counted_when == ("payments_online",)
    assert list(what_if.kpis) == ["on_time"] and what_if.kpis["on_time"].target == 0.97
    assert plan.procedure_kpis["fee"].target == 0.80  # the plan itself untouched
    assert plan_key(what_if) != plan_key(plan) and hash(what_if) != hash(plan)
    removed = with_overrides(what_if, unit_targets={("fee", "Thanh tra Sở"): None})
    assert removed.procedure_kpis["fee"].units == {}


def test_with_overrides_refuses_an_unknown_kpi_or_a_bad_value_for_a_procedure_kpi() -> None:
    plan = load(HEAD + FEE)
    with pytest.raises(TargetsError, match=r"\[kpi\.nope\]"):
        with_overrides(plan, targets={"nope": 0.5})
    with pytest.raises(TargetsError, match=r"\[kpi\.fee\] target"):
        with_overrides(plan, targets={"fee": 1.5})
    with pytest.raises(TargetsError, match=r'\[kpi\.fee\.units\] "Thanh tra Sở"'):
        with_overrides(plan, unit_targets={("fee", "Thanh tra Sở"): -0.1})


def test_dump_of_the_shipped_file_is_the_shipped_text() -> None:
    base = SHIPPED.read_text(encoding="utf-8")
    plan = load_targets(SHIPPED, unit_resolver=UNITS.match)
    assert dump_targets_toml(plan, base, unit_resolver=UNITS.match) == base


def test_dump_writes_a_procedure_kpi_target_back_keeping_comments() -> None:
    base = HEAD + FEE
    what_if = with_overrides(load(base), targets={"fee": 0.85}, unit_targets={("fee", "Thanh tra Sở"): 0.6})
    text = dump_targets_toml(what_if, base)
    assert load(text) == what_if
    assert "# scope comment" in text and "# top comment" in text
    assert "target = 0.85" in text and '[kpi.fee.units]\n"Thanh tra Sở" = 0.60' in text
    assert 'kind = "procedures"' in text and "[kpi.fee]" in text  # not dropped as "not in plan.kpis"
    assert text.index("[kpi.on_time]") < text.index("[kpi.fee]")


def test_dump_keeps_scope_spellings_that_mean_the_same() -> None:
    base = HEAD + FEE.replace(
        "scope = { has_fee = true }",
        "scope = { has_fee = true, unit = 'Phòng GDTrH', field = 'GDTrH', online_level = ['Mức 4', 'toan trinh'] }",
    )
    plan = load(base, unit_resolver=UNITS.match)
    what_if = with_overrides(plan, targets={"fee": 0.7})
    text = dump_targets_toml(what_if, base, unit_resolver=UNITS.match, field_resolver=FIELDS.match)
    assert (
        "unit = 'Phòng GDTrH', field = 'GDTrH', online_level = ['Mức 4', 'toan trinh'] }   # scope comment"
        in text
    )
    assert load(text, unit_resolver=UNITS.match) == what_if


def test_dump_rewrites_a_changed_scope_and_switches_counted_when_to_counted_if() -> None:
    from dataclasses import replace

    base = HEAD + FEE
    plan = load(base)
    fee = replace(
        plan.procedure_kpis["fee"],
        scope={"online_level": ("toàn trình", "một phần")},
        active=(),
        counted_when=(),
        counted_if={"on_national_portal": True},
    )
    changed = replace(plan, procedure_kpis={"fee": fee})
    text = dump_targets_toml(changed, base)
    assert 'scope = {online_level = ["toàn trình", "một phần"]}   # scope comment' in text
    assert "counted_if = {on_national_portal = true}" in text
    assert "counted_when" not in text and "active" not in text
    assert load(text) == changed


def test_dump_adds_and_removes_procedure_kpis() -> None:
    base = HEAD + FEE
    plan = load(base)
    new = ProcedureKpiSpec(
        "postal",
        "TTHC có hồ sơ qua BCCI",
        0.5,
        active=("received_new",),
        counted_when=("received_postal", "returned_postal"),
        source="Chỉ số CCHC 7.5.1",
        roadmap={"2024-07": 0.6},
    )
    replaced = Plan(plan.name, plan.year, plan.near, dict(plan.kpis), {"postal": new})
    text = dump_targets_toml(replaced, base)
    assert list(tomllib.loads(text)["kpi"]) == ["on_time", "postal"]
    assert load(text) == replaced
    assert load(dump_targets_toml(replaced, "")) == replaced  # a complete file from nothing


def test_dump_turns_a_table_into_the_other_kind() -> None:
    base = HEAD + FEE
    plan = load(base)
    dossier = KpiSpec("fee", "Thanh toán", ("payments_online",), ("payments_total",), 0.45)
    as_dossier = Plan(plan.name, plan.year, plan.near, {**plan.kpis, "fee": dossier})
    text = dump_targets_toml(as_dossier, base)
    assert "kind" not in text and "scope" not in text and "counted_when" not in text
    assert load(text) == as_dossier
