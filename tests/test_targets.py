"""targets.toml: the shipped plan, every refusal naming its key, roadmaps, unit targets, what-if, dump."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from data_access.catalog import load_catalog
from kpi.targets import (
    DEFAULT_NOUN,
    DEFAULT_TARGETS_FILE,
    KpiSpec,
    Plan,
    TargetsError,
    default_targets_path,
    dump_targets_toml,
    load_targets,
    with_overrides,
)

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "targets.toml"
UNITS = load_catalog().units

BASE = """\
# a comment at the top
[plan]
name = "KH thử"
year = 2024
near = 0.05   # near band

[kpi.online_full]
label = "Hồ sơ trực tuyến toàn trình"
numerator = ["received_online_full"]
denominator = ["received_new"]
target = 0.90  # 90 %
source = "KH 2024, mục I.1"

# roadmap comment
[kpi.online_full.roadmap]
"2024-06" = 0.70
"2024-09" = 0.80

[kpi.on_time]
label = "Giải quyết đúng hạn"
numerator = ["resolved_early", "resolved_on_time"]
denominator = ["resolved"]
target = 0.95
"""


def load(text: str, **kw: object) -> Plan:
    return load_targets(text=text, **kw)  # type: ignore[arg-type]


def refused(text: str, **kw: object) -> str:
    with pytest.raises(TargetsError) as info:
        load(text, **kw)
    return str(info.value)


# ---------------------------------------------------------------------------- shipped file


def test_shipped_plan_has_the_2024_targets_in_file_order() -> None:
    plan = load_targets(SHIPPED, unit_resolver=UNITS.match)
    assert plan.year == 2024
    assert plan.near == 0.05
    assert "2024" in plan.name
    expected = {
        "online_full": (("received_online_full",), ("received_new",), 0.90),
        "online_payment": (("payments_online",), ("payments_total",), 0.45),
        "digitized_results": (("results_digitized",), ("resolved",), 1.00),
        "digitized_dossiers": (("dossiers_digitized",), ("received_new",), 0.90),
        "online_any": (("received_online",), ("received_new",), 0.50),
        "on_time": (("resolved_early", "resolved_on_time"), ("resolved",), 0.95),
        "progress_766": (
            ("resolved_early", "resolved_on_time", "pending_in_time"),
            ("resolved", "pending"),
            0.95,
        ),
        "postal_received": (("received_postal",), ("received_new",), 0.15),
        "postal_returned": (("returned_postal",), ("resolved",), 0.15),
    }
    assert list(plan.kpis) == list(expected)
    for kid, (num, den, target) in expected.items():
        spec = plan.kpis[kid]
        assert (spec.numerator, spec.denominator, spec.target) == (num, den, target)
        assert spec.label and spec.source and spec.description
        assert spec.roadmap == {} and spec.units == {}  # the shipped plan is the plain 2024 targets


def test_shipped_file_documents_roadmap_and_unit_targets_in_comments() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    assert "# [kpi.online_full.roadmap]" in text
    assert "[kpi.online_full.units]" in text and "roadmap" in text
    assert "KH 2024 (Sở GDĐT), mục I.1 – Các chỉ tiêu" in text


def test_default_path_is_targets_file_env_else_project_root(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TARGETS_FILE", raising=False)
    assert default_targets_path() == DEFAULT_TARGETS_FILE == SHIPPED
    other = tmp_path / "khac.toml"
    other.write_text(BASE, encoding="utf-8")
    monkeypatch.setenv("TARGETS_FILE", str(other))
    assert load_targets().name == "KH thử"


def test_text_is_parsed_and_path_only_names_it_in_messages() -> None:
    assert load(BASE).kpis["on_time"].numerator == ("resolved_early", "resolved_on_time")
    bad = BASE.replace('["resolved"]', '["resolvd"]')
    with pytest.raises(TargetsError, match=r"^chi-tieu-moi\.toml: \[kpi\.on_time\] denominator"):
        load_targets("/somewhere/chi-tieu-moi.toml", text=bad)


def test_missing_file_is_a_targets_error(tmp_path: Path) -> None:
    with pytest.raises(TargetsError, match="không tìm thấy"):
        load_targets(tmp_path / "none.toml")


# ---------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("old", "new", "key", "words"),
    [
        (
            '"received_online_full"]',
            '"received_onlin"]',
            "[kpi.online_full] numerator",
            "mã cột 'received_onlin' không có trong hợp đồng dữ liệu",
        ),
        (
            'denominator = ["resolved"]',
            'denominator = ["pending", "resolvedd"]',
            "[kpi.on_time] denominator",
            "'resolvedd'",
        ),
        (
            'numerator = ["resolved_early", "resolved_on_time"]',
            "numerator = []",
            "[kpi.on_time] numerator",
            "khác rỗng",
        ),
        (
            'numerator = ["resolved_early", "resolved_on_time"]',
            'numerator = ["resolved", "resolved"]',
            "[kpi.on_time] numerator",
            "lặp lại",
        ),
        (
            'numerator = ["resolved_early", "resolved_on_time"]',
            "numerator = [3]",
            "[kpi.on_time] numerator",
            "mã cột phải là chuỗi",
        ),
        ("target = 0.95", "target = 1.5", "[kpi.on_time] target", "ngoài khoảng 0 đến 1"),
        ("target = 0.95", "target = 95", "[kpi.on_time] target", "có phải 0.95"),
        ("target = 0.95", "target = -0.1", "[kpi.on_time] target", "ngoài khoảng"),
        ("target = 0.95", 'target = "95%"', "[kpi.on_time] target", "phải là một số"),
        ("target = 0.95", "target = true", "[kpi.on_time] target", "phải là một số"),
        ("target = 0.95", "target = nan", "[kpi.on_time] target", "phải là một số"),
        ("target = 0.95\n", "", "[kpi.on_time] target", "thiếu chỉ tiêu"),
        ('label = "Giải quyết đúng hạn"\n', "", "[kpi.on_time] label", "thiếu tên"),
        ('label = "Giải quyết đúng hạn"', 'label = ""', "[kpi.on_time] label", "khác rỗng"),
        (
            'numerator = ["resolved_early", "resolved_on_time"]\n',
            "",
            "[kpi.on_time] numerator",
            "thiếu tử số",
        ),
        ('denominator = ["resolved"]\n', "", "[kpi.on_time] denominator", "thiếu mẫu số"),
        ('"2024-09" = 0.80', '"2024-13" = 0.80', '[kpi.online_full.roadmap] "2024-13"', "YYYY-MM"),
        ('"2024-09" = 0.80', '"2024-00" = 0.80', '[kpi.online_full.roadmap] "2024-00"', "YYYY-MM"),
        ('"2024-09" = 0.80', '"2024-9" = 0.80', '[kpi.online_full.roadmap] "2024-9"', "YYYY-MM"),
        ('"2024-09" = 0.80', '"09/2024" = 0.80', '[kpi.online_full.roadmap] "09/2024"', "YYYY-MM"),
        ('"2024-09" = 0.80', '"2024-09" = 80', '[kpi.online_full.roadmap] "2024-09"', "ngoài khoảng"),
        ('"2024-09" = 0.80', '"2024-09" = "80%"', '[kpi.online_full.roadmap] "2024-09"', "phải là một số"),
        ("near = 0.05", "near = 1.5", "[plan] near", "từ 0 đến 1"),
        ("near = 0.05", "near = -0.01", "[plan] near", "từ 0 đến 1"),
        ("near = 0.05", 'near = "5%"', "[plan] near", "từ 0 đến 1"),
        ('name = "KH thử"\n', "", "[plan] name", "thiếu tên kế hoạch"),
        ("year = 2024\n", 'year = "2024"\n', "[plan] year", "số nguyên"),
        ("year = 2024\n", "year = 2024\nnaer = 0.1\n", "[plan] naer", "không được hỗ trợ"),
        (
            'source = "KH 2024, mục I.1"',
            'sourse = "KH 2024, mục I.1"',
            "[kpi.online_full] sourse",
            "Có phải là 'source'?",
        ),
        ("target = 0.95", "target = 0.95\nroadmp = 1", "[kpi.on_time] roadmp", "Có phải là 'roadmap'?"),
        ('"2024-06" = 0.70', '"2024-06" = 0.70\n[kpi.online_full.units]\n"A" = 2', None, None),
        ("[plan]", "[ke_hoach]\nx = 1\n[plan]", "[ke_hoach]", "không được hỗ trợ"),
    ],
)
def test_malformed_file_names_the_key(old: str, new: str, key: str | None, words: str | None) -> None:
    assert old in BASE
    text = BASE.replace(old, new, 1)
    message = refused(text)
    if key is None:  # a value outside 0–1 in [kpi.X.units]: the key is the unit
        key, words = '[kpi.online_full.units] "A"', "ngoài khoảng"
    assert message.startswith(f"targets.toml: {key}: "), message
    assert words in message
    assert "\n" not in message


def test_error_is_a_value_error_carrying_the_key() -> None:
    with pytest.raises(ValueError) as info:
        load(BASE.replace("target = 0.95", "target = 2"))
    assert isinstance(info.value, TargetsError)
    assert info.value.key == "[kpi.on_time] target"


def test_syntax_error_gives_the_line() -> None:
    text = BASE.replace("target = 0.95", "target = = 0.95")
    line = text.splitlines().index("target = = 0.95") + 1
    message = refused(text)
    assert re.match(rf"^targets\.toml: lỗi cú pháp TOML ở dòng {line}, cột \d+: ", message), message


def test_duplicate_key_is_a_syntax_error() -> None:
    assert "lỗi cú pháp TOML ở dòng" in refused(BASE.replace("target = 0.95", "target = 0.95\ntarget = 0.9"))


def test_plan_and_kpi_sections_are_required() -> None:
    assert refused('[kpi.a]\nlabel = "A"').startswith("targets.toml: [plan]: ")
    assert refused('[plan]\nname = "x"\nyear = 2024\n').startswith("targets.toml: [kpi]: ")
    assert refused(BASE.replace("[kpi.on_time]", "[kpi.on_time]\n[kpi.on_time.x]")).startswith(
        "targets.toml: [kpi.on_time] x: "
    )


def test_near_defaults_to_five_points() -> None:
    assert load(BASE.replace("near = 0.05   # near band\n", "")).near == 0.05


def test_a_single_column_string_is_accepted() -> None:
    assert load(BASE.replace('denominator = ["resolved"]', 'denominator = "resolved"')).kpis[
        "on_time"
    ].denominator == ("resolved",)


# ---------------------------------------------------------------------------- targets in force


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("2024-01", 0.90),
        ("2024-05", 0.90),
        ("2024-06", 0.70),
        ("2024-08", 0.70),
        ("2024-09", 0.80),
        ("2024-12", 0.80),
        ("2025-03", 0.80),
        ("2023-12", 0.90),
    ],
)
def test_roadmap_month_uses_the_latest_entry_not_after_it(period: str, expected: float) -> None:
    assert load(BASE).target_for("online_full", period) == expected


def test_roadmap_keys_are_sorted_whatever_the_file_order() -> None:
    text = BASE.replace('"2024-06" = 0.70\n"2024-09" = 0.80', '"2024-09" = 0.80\n"2024-06" = 0.70')
    plan = load(text)
    assert list(plan.kpis["online_full"].roadmap) == ["2024-06", "2024-09"]
    assert plan.target_for("online_full", "2024-07") == 0.70


UNIT_TEXT = (
    BASE
    + """
[kpi.on_time.units]
"Phòng GDTrH" = 0.99
"thanh tra so" = 0.90
"""
)


def test_unit_keys_resolve_to_catalog_names() -> None:
    plan = load(UNIT_TEXT, unit_resolver=UNITS.match)
    assert plan.kpis["on_time"].units == {"Phòng Giáo dục Trung học": 0.99, "Thanh tra Sở": 0.90}


def test_without_resolver_unit_keys_stay_as_written() -> None:
    assert load(UNIT_TEXT).kpis["on_time"].units == {"Phòng GDTrH": 0.99, "thanh tra so": 0.90}


def test_unit_override_only_when_a_unit_is_given() -> None:
    plan = load(UNIT_TEXT, unit_resolver=UNITS.match)
    assert plan.target_for("on_time", "2024-03") == 0.95
    assert plan.target_for("on_time", "2024-03", "Phòng Giáo dục Trung học") == 0.99
    assert plan.target_for("on_time", "2024-03", "Phòng Quản lý chất lượng") == 0.95  # no override


def test_unit_override_replaces_the_roadmap_for_that_unit() -> None:
    text = BASE + '\n[kpi.online_full.units]\n"Phòng Giáo dục Trung học" = 0.95\n'
    plan = load(text, unit_resolver=UNITS.match)
    assert plan.target_for("online_full", "2024-07", "Phòng Giáo dục Trung học") == 0.95
    assert plan.target_for("online_full", "2024-07", "Thanh tra Sở") == 0.70  # roadmap for the others
    assert plan.target_for("online_full", "2024-07") == 0.70


def test_unknown_unit_is_refused_with_the_closest_name() -> None:
    text = BASE + '\n[kpi.on_time.units]\n"Phòng Giáo dục Trung hoc phổ thông" = 0.99\n'
    message = refused(text, unit_resolver=UNITS.match)
    assert message.startswith('targets.toml: [kpi.on_time.units] "Phòng Giáo dục Trung hoc phổ thông": ')
    assert "không có trong danh mục" in message
    assert "Có phải là 'Phòng Giáo dục Trung học'?" in message


def test_explicit_suggester_is_used() -> None:
    text = BASE + '\n[kpi.on_time.units]\n"Phòng X" = 0.99\n'
    message = refused(text, unit_resolver=lambda s: None, unit_suggester=lambda s: "Phòng Y")
    assert "Có phải là 'Phòng Y'?" in message


def test_two_spellings_of_one_unit_are_refused() -> None:
    text = BASE + '\n[kpi.on_time.units]\n"Phòng GDTrH" = 0.99\n"P. Giáo dục Trung học" = 0.98\n'
    message = refused(text, unit_resolver=UNITS.match)
    assert message.startswith('targets.toml: [kpi.on_time.units] "P. Giáo dục Trung học": trùng đơn vị')


# ---------------------------------------------------------------------------- what-if


def test_with_overrides_returns_a_new_plan_and_leaves_the_original() -> None:
    plan = load(UNIT_TEXT, unit_resolver=UNITS.match)
    before = load(UNIT_TEXT, unit_resolver=UNITS.match)
    what_if = with_overrides(
        plan,
        targets={"online_full": 0.85},
        unit_targets={
            ("on_time", "Thanh tra Sở"): 0.5,
            ("on_time", "Phòng Giáo dục Trung học"): None,
            ("online_full", "Phòng Quản lý chất lượng"): 1.0,
        },
    )
    assert plan == before
    assert what_if is not plan
    # the typed target is used in every month: the roadmap of that KPI is dropped
    assert what_if.kpis["online_full"].roadmap == {}
    assert what_if.target_for("online_full", "2024-10") == 0.85
    assert what_if.target_for("online_full", "2024-10", "Phòng Quản lý chất lượng") == 1.0
    assert what_if.kpis["on_time"].units == {"Thanh tra Sở": 0.5}
    assert plan.target_for("online_full", "2024-10") == 0.80
    assert plan.kpis["on_time"].units == {"Phòng Giáo dục Trung học": 0.99, "Thanh tra Sở": 0.90}


def test_with_overrides_checks_its_input() -> None:
    plan = load(BASE)
    with pytest.raises(TargetsError, match=r"\[kpi.nope\]"):
        with_overrides(plan, targets={"nope": 0.5})
    with pytest.raises(TargetsError, match=r"\[kpi.on_time\] target"):
        with_overrides(plan, targets={"on_time": 1.2})
    with pytest.raises(TargetsError, match=r'\[kpi.on_time.units\] "X"'):
        with_overrides(plan, unit_targets={("on_time", "X"): -1})
    assert with_overrides(plan) == plan


def test_kpi_spec_is_frozen() -> None:
    spec = load(BASE).kpis["on_time"]
    assert isinstance(spec, KpiSpec)
    with pytest.raises(AttributeError):
        spec.target = 0.5  # type: ignore[misc]


# ---------------------------------------------------------------------------- dump


def _comments(text: str) -> list[str]:
    return [line.split("#", 1)[1].strip() for line in text.splitlines() if "#" in line]


def test_dump_of_the_shipped_plan_is_the_shipped_text() -> None:
    base = SHIPPED.read_text(encoding="utf-8")
    plan = load_targets(SHIPPED, unit_resolver=UNITS.match)
    assert dump_targets_toml(plan, base) == base


def test_dump_round_trip_keeps_comments_order_and_other_keys() -> None:
    plan = load(BASE)
    what_if = with_overrides(
        plan, targets={"on_time": 0.97}, unit_targets={("online_full", "Thanh tra Sở"): 0.6}
    )
    text = dump_targets_toml(what_if, BASE)
    assert load(text) == what_if
    assert _comments(text) == _comments(BASE)
    assert "# 90 %" in text and "# near band" in text and "# a comment at the top" in text
    assert 'source = "KH 2024, mục I.1"' in text
    assert "target = 0.97" in text
    assert text.index("[kpi.online_full]") < text.index("[kpi.on_time]")
    # online_full had no what-if target, so its roadmap stays
    assert '"2024-06" = 0.70' in text


def test_dump_drops_the_roadmap_of_a_what_if_target_and_keeps_the_line_comment() -> None:
    what_if = with_overrides(load(BASE), targets={"online_full": 0.75})
    text = dump_targets_toml(what_if, BASE)
    assert "[kpi.online_full.roadmap]" not in text
    assert "target = 0.75  # 90 %" in text
    assert load(text) == what_if


def test_dump_keeps_unit_aliases_when_a_resolver_is_given() -> None:
    plan = load(UNIT_TEXT, unit_resolver=UNITS.match)
    what_if = with_overrides(plan, unit_targets={("on_time", "Phòng Giáo dục Trung học"): 0.98})
    text = dump_targets_toml(what_if, UNIT_TEXT, unit_resolver=UNITS.match)
    assert '"Phòng GDTrH" = 0.98' in text and '"thanh tra so" = 0.90' in text
    assert load(text, unit_resolver=UNITS.match) == what_if


def test_dump_adds_and_removes_kpis() -> None:
    plan = load(BASE)
    extra = KpiSpec(
        "postal_returned",
        "Trả kết quả qua BCCI",
        ("returned_postal",),
        ("resolved",),
        0.15,
        source="Chỉ số CCHC 7.5.3",
        roadmap={"2024-07": 0.2},
    )
    new_plan = Plan(
        plan.name, plan.year, 0.1, {"online_full": plan.kpis["online_full"], "postal_returned": extra}
    )
    text = dump_targets_toml(new_plan, BASE)
    assert "[kpi.on_time]" not in text
    assert "near = 0.10   # near band" in text
    parsed = tomllib.loads(text)
    assert list(parsed["kpi"]) == ["online_full", "postal_returned"]
    assert load(text) == new_plan


def test_dump_of_empty_base_writes_a_complete_file() -> None:
    plan = load(UNIT_TEXT, unit_resolver=UNITS.match)
    assert load(dump_targets_toml(plan, ""), unit_resolver=UNITS.match) == plan


def test_plans_hash_by_content() -> None:
    a, b = load(UNIT_TEXT, unit_resolver=UNITS.match), load(UNIT_TEXT, unit_resolver=UNITS.match)
    assert a == b and hash(a) == hash(b)
    assert len({a, b, with_overrides(a, targets={"on_time": 0.5})}) == 2


# ---------------------------------------------------------------------------- noun


def test_noun_defaults_to_ho_so_and_is_read_stripped() -> None:
    plan = load(BASE.replace("target = 0.95\n", 'target = 0.95\nnoun = "  giao dịch  "\n'))
    assert plan.kpis["online_full"].noun == "hồ sơ" == DEFAULT_NOUN
    assert plan.kpis["on_time"].noun == "giao dịch"


def test_shipped_plan_names_what_each_kpi_counts() -> None:
    plan = load_targets(SHIPPED, unit_resolver=UNITS.match)
    assert plan.kpis["online_payment"].noun == "giao dịch thanh toán trực tuyến"
    assert plan.kpis["online_full"].noun == "hồ sơ trực tuyến toàn trình"
    assert all(spec.noun for spec in plan.kpis.values())


@pytest.mark.parametrize("value", ['""', '"   "', "3", "true", '["hồ sơ"]'])
def test_a_bad_noun_is_refused_naming_the_key(value: str) -> None:
    message = refused(BASE.replace("target = 0.95\n", f"target = 0.95\nnoun = {value}\n"))
    assert message.startswith("targets.toml: [kpi.on_time] noun: "), message
    assert "chuỗi văn bản khác rỗng" in message


def test_misspelt_noun_key_suggests_noun() -> None:
    assert "Có phải là 'noun'?" in refused(BASE.replace("target = 0.95\n", 'target = 0.95\nnon = "x"\n'))


def test_dump_keeps_writes_and_changes_the_noun() -> None:
    plan = load(BASE)
    assert "noun" not in dump_targets_toml(plan, BASE)  # the default is not written
    spec = plan.kpis["on_time"]
    counted = Plan(
        plan.name,
        plan.year,
        plan.near,
        {
            **plan.kpis,
            "on_time": KpiSpec(
                spec.id, spec.label, spec.numerator, spec.denominator, spec.target, noun="hồ sơ đúng hạn"
            ),
        },
    )
    text = dump_targets_toml(counted, BASE)
    assert 'noun = "hồ sơ đúng hạn"' in text and load(text) == counted
    base = BASE.replace("target = 0.95\n", 'target = 0.95\nnoun = "hồ sơ"  # kept\n')
    assert dump_targets_toml(load(base), base) == base  # written as the default: kept as it is
    assert hash(counted.kpis["on_time"]) != hash(spec)


# ---------------------------------------------------------------------------- short_label


def test_short_label_defaults_to_label_and_is_read_stripped() -> None:
    plan = load(BASE.replace("target = 0.95\n", 'target = 0.95\nshort_label = "  Đúng hạn  "\n'))
    assert plan.kpis["online_full"].short_label == plan.kpis["online_full"].label
    assert plan.kpis["on_time"].short_label == "Đúng hạn"


def test_shipped_plan_has_a_short_label_for_every_kpi() -> None:
    plan = load_targets(SHIPPED, unit_resolver=UNITS.match)
    assert plan.kpis["online_payment"].short_label == "Thanh toán trực tuyến"
    assert all(0 < len(spec.short_label) <= 34 for spec in plan.kpis.values())


@pytest.mark.parametrize("value", ['""', '"   "', "3", "false", '["x"]'])
def test_a_bad_short_label_is_refused_naming_the_key(value: str) -> None:
    message = refused(BASE.replace("target = 0.95\n", f"target = 0.95\nshort_label = {value}\n"))
    assert message.startswith("targets.toml: [kpi.on_time] short_label: "), message
    assert "chuỗi văn bản khác rỗng" in message


def test_dump_writes_a_short_label_only_when_it_differs_or_was_there() -> None:
    plan = load(BASE)
    assert "short_label" not in dump_targets_toml(plan, BASE)
    spec = plan.kpis["on_time"]
    short = Plan(
        plan.name,
        plan.year,
        plan.near,
        {
            **plan.kpis,
            "on_time": KpiSpec(
                spec.id, spec.label, spec.numerator, spec.denominator, spec.target, short_label="Đúng hạn"
            ),
        },
    )
    text = dump_targets_toml(short, BASE)
    assert 'short_label = "Đúng hạn"' in text and load(text) == short
    assert hash(short.kpis["on_time"]) != hash(spec)
    base = BASE.replace("target = 0.95\n", 'target = 0.95\nshort_label = "Đúng hạn"  # kept\n')
    assert dump_targets_toml(load(base), base) == base
