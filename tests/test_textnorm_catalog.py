"""Text folding, header matching and the catalog of units and fields."""

from __future__ import annotations

import tomllib
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from data_access.catalog import CATALOG_FILE, NO_FIELD, load_catalog
from data_access.columns import ALL_COLUMNS, COUNT_COLUMNS, HEADERS, TEMPLATE_COLUMNS, TOTALS, match_header
from data_access.textnorm import clean, fold

CONTRACT_UNITS = [
    "Phòng Giáo dục Mầm non và Giáo dục Tiểu học",
    "Phòng Giáo dục Trung học",
    "Phòng Giáo dục Thường xuyên, Giáo dục Nghề nghiệp và Đại học",
    "Phòng Quản lý chất lượng",
    "Phòng Tổ chức – Hành chính",
    "Phòng Kế hoạch – Tài chính",
    "Thanh tra Sở",
]
CONTRACT_FIELDS = [
    "Giáo dục và Đào tạo thuộc hệ thống giáo dục quốc dân",
    "Giáo dục trung học",
    "Giáo dục thường xuyên",
    "Giáo dục nghề nghiệp",
    "Giáo dục dân tộc",
    "Thi, tuyển sinh",
    "Hệ thống văn bằng, chứng chỉ",
    "Đào tạo với nước ngoài",
    "Kiểm định chất lượng giáo dục",
    "Giáo dục mầm non",
    "Giáo dục tiểu học",
    "Tiêu chuẩn nhà giáo, cán bộ quản lý giáo dục",
    "Không phân lĩnh vực",
]


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# ---------------------------------------------------------------------------- fold / clean


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kỳ báo cáo", "ky bao cao"),
        ("KỲ BÁO CÁO", "ky bao cao"),
        ("ky bao cao", "ky bao cao"),
        ("  Kỳ   báo\tcáo  ", "ky bao cao"),
        ("Đơn vị", "don vi"),
        ("đơn VỊ", "don vi"),
        ("Phòng Tổ chức – Hành chính", "phong to chuc hanh chinh"),  # en dash
        ("Phòng Tổ chức - Hành chính", "phong to chuc hanh chinh"),  # hyphen
        ("Phòng Tổ chức—Hành chính", "phong to chuc hanh chinh"),  # em dash, no spaces
        ("received_online_full", "received online full"),
        ("Thi, tuyển sinh", "thi tuyen sinh"),
        ("P. GDTrH", "p gdtrh"),
        (None, ""),
        ("", ""),
        (12.0, "12 0"),
    ],
)
def test_fold(text: object, expected: str) -> None:
    assert fold(text) == expected


def test_fold_nfc_and_nfd_agree() -> None:
    for name in CONTRACT_UNITS + CONTRACT_FIELDS + list(HEADERS.values()):
        assert fold(nfd(name)) == fold(name)
        assert nfd(name) != name or name.isascii()  # the NFD form really differs


def test_clean_normalises_to_nfc_and_collapses_spaces() -> None:
    assert clean(nfd("  Giáo  dục\u00a0trung   học ")) == "Giáo dục trung học"
    assert unicodedata.is_normalized("NFC", clean(nfd("Kiểm định chất lượng")))
    assert clean(None) == ""


@given(st.text(max_size=40))
def test_fold_is_idempotent_and_ignores_case_and_form(text: str) -> None:
    key = fold(text)
    assert fold(key) == key
    assert fold(text.upper()) == fold(text.lower()) or not text.isascii()
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))
    assert key == key.strip() and "  " not in key


# ---------------------------------------------------------------------------- headers


@pytest.mark.parametrize("code", ALL_COLUMNS)
def test_every_header_matches_in_every_spelling(code: str) -> None:
    header = HEADERS[code]
    spellings = [
        header,
        header.upper(),
        header.lower(),
        nfd(header),
        "  " + header.replace(" ", "  ") + " ",
        fold(header),  # no diacritics at all
        code,
        code.upper(),
        code.replace("_", " "),
    ]
    for s in spellings:
        assert match_header(s) == code, s


def test_unknown_and_empty_headers_do_not_match() -> None:
    assert match_header("Ghi chú") is None
    assert match_header("") is None
    assert match_header(None) is None
    assert match_header("Tiếp nhận") is None


def test_header_tables_are_consistent() -> None:
    assert set(HEADERS) == set(ALL_COLUMNS)
    assert len({fold(h) for h in HEADERS.values()}) == len(HEADERS)  # no two headers fold alike
    assert set(TEMPLATE_COLUMNS) | set(TOTALS) == set(ALL_COLUMNS)
    assert set(COUNT_COLUMNS) >= {p for parts in TOTALS.values() for p in parts}
    # totals in dependency order: a total's parts come before it
    seen: set[str] = set()
    for total, parts in TOTALS.items():
        assert all(p not in TOTALS or p in seen for p in parts)
        seen.add(total)


# ---------------------------------------------------------------------------- catalog


def test_catalog_holds_the_contract_names() -> None:
    cat = load_catalog()
    assert set(CONTRACT_UNITS) <= set(cat.units.names)
    assert set(CONTRACT_FIELDS) <= set(cat.fields.names)
    assert NO_FIELD in cat.fields.names


@pytest.mark.parametrize("name", CONTRACT_UNITS)
def test_unit_matches_as_people_type_it(name: str) -> None:
    units = load_catalog().units
    typed = [
        name,
        name.upper(),
        name.lower(),
        nfd(name),
        fold(name),
        name.replace("–", "-"),
        name.replace(" ", "  "),
        " " + name + " ",
    ]
    for t in typed:
        assert units.match(t) == name, t


@pytest.mark.parametrize("name", CONTRACT_FIELDS)
def test_field_matches_as_people_type_it(name: str) -> None:
    fields = load_catalog().fields
    for t in (name, name.upper(), nfd(name), fold(name), name.replace(" ", "  ")):
        assert fields.match(t) == name, t


@pytest.mark.parametrize(
    ("kind", "alias", "name"),
    [
        ("units", "Phòng GDTrH", "Phòng Giáo dục Trung học"),
        ("units", "p. gdtrh", "Phòng Giáo dục Trung học"),
        ("units", "Phòng TC-HC", "Phòng Tổ chức – Hành chính"),
        ("units", "Phòng KHTC", "Phòng Kế hoạch – Tài chính"),
        ("units", "Thanh tra", "Thanh tra Sở"),
        ("units", "phong qlcl", "Phòng Quản lý chất lượng"),
        ("fields", "GDTX", "Giáo dục thường xuyên"),
        ("fields", "Văn bằng chứng chỉ", "Hệ thống văn bằng, chứng chỉ"),
        ("fields", "Thi - tuyển sinh", "Thi, tuyển sinh"),
        ("fields", "Tổng hợp", NO_FIELD),
    ],
)
def test_aliases(kind: str, alias: str, name: str) -> None:
    assert getattr(load_catalog(), kind).match(alias) == name


def test_unknown_names_and_suggestions() -> None:
    cat = load_catalog()
    assert cat.units.match("Phòng Giáo dục Trung hoc x") is None
    assert cat.units.suggest("Phòng Giáo dục Trung hoc x") == "Phòng Giáo dục Trung học"
    assert cat.units.suggest("Phong Ke hoach Tai chinh 2") == "Phòng Kế hoạch – Tài chính"
    assert cat.fields.match("Giáo dục trung họcc") is None
    assert cat.fields.suggest("Giáo dục trung họcc") == "Giáo dục trung học"
    assert cat.units.suggest("") is None
    assert cat.units.match(None) is None


def test_catalog_aliases_are_unambiguous() -> None:
    """No spelling (folded) points at two different names: a match is never a coin toss."""
    with CATALOG_FILE.open("rb") as fh:
        raw = tomllib.load(fh)
    for kind in ("unit", "field"):
        owner: dict[str, str] = {}
        for item in raw[kind]:
            for spelling in (item["name"], item.get("short", item["name"]), *item.get("aliases", [])):
                key = fold(spelling)
                assert owner.setdefault(key, item["name"]) == item["name"], (kind, spelling)


def test_catalog_from_another_file(tmp_path) -> None:
    path = tmp_path / "cat.toml"
    path.write_text(
        '[[unit]]\nname = "Phòng Thử"\naliases = ["PT"]\n[[field]]\nname = "Lĩnh vực A"\n', encoding="utf-8"
    )
    cat = load_catalog(path)
    assert cat.units.names == ["Phòng Thử"]
    assert cat.units.match("pt") == "Phòng Thử"
    assert cat.units.short("Phòng Thử") == "Phòng Thử"
    bad = tmp_path / "bad.toml"
    bad.write_text('[[unit]]\nshort = "x"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="no name"):
        load_catalog(bad)


def test_a_suggestion_only_when_the_name_is_really_close() -> None:
    cat = load_catalog()
    # a different unit is not offered the nearest of the others (they share only "Phòng")
    assert cat.units.match("Phòng Công nghệ thông tin") is None
    assert cat.units.suggest("Phòng Công nghệ thông tin") is None
    assert cat.units.suggest("Phòng X") is None and cat.fields.suggest("Công nghệ thông tin") is None
    # a known alias is a match, a typo in it a suggestion
    assert cat.units.match("Phong GD Trung hoc") == "Phòng Giáo dục Trung học"
    assert cat.units.suggest("Phong GD Trungg hoc") == "Phòng Giáo dục Trung học"
    # every word of the name inside a known one ("Tài chính" in "Kế hoạch – Tài chính")
    assert cat.units.suggest("Phòng Tài chính") == "Phòng Kế hoạch – Tài chính"


def test_similarity_ignores_the_generic_words() -> None:
    from data_access.textnorm import SIMILAR_ENOUGH, similarity

    assert similarity("Phòng Công nghệ thông tin", "Phòng Kế hoạch – Tài chính") < SIMILAR_ENOUGH
    assert similarity("Phòng Giáo dục Trung hoc x", "Phòng Giáo dục Trung học") > 0.9
    assert similarity("", "Phòng X") == 0.0


def test_the_refusal_says_when_no_name_is_close() -> None:
    from data_access.messages import msg

    far = msg("unit_unknown", value="Phòng Công nghệ thông tin", suggestion="")
    assert "không có tên nào gần giống" in far and "catalog.toml" in far and "Có phải" not in far
    near = msg("field_unknown", value="Thi tuyen", suggestion="Thi, tuyển sinh")
    assert near.endswith("Có phải là 'Thi, tuyển sinh'?")
