"""The external figures source: a table or view of another database, read through a mapping file,
stored as uploads of kind ``external``, shown on the pages with their source's name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from data_access import external
from data_access.external import (
    MappingError,
    check_in_background,
    load_mapping,
    read_external,
    sync,
    wait_for_checks,
)
from data_access.store import dump, history, load_figures, open_engine
from tests.helpers import ROOT, card_values, run_app

UNIT = "Phòng Giáo dục Trung học"
EXAMS = "Thi, tuyển sinh"
DIPLOMAS = "Hệ thống văn bằng, chứng chỉ"

#: The source's rows, spelled as another system spells them: its own column names, unit names without
#: diacritics, two period formats, totals only (a one-stop system's export has no full/partial split).
ROWS = [
    # ky, don_vi, linh_vuc, tong_truc_tuyen, truc_tiep_bc, tu_ky_truoc, da_giai_quyet, dang_giai_quyet, ghi_chu
    ("2024-06", "Phong GD Trung hoc", "thi, tuyen sinh", 80, 20, 5, 90, 15, "x"),
    ("06/2024", "phòng giáo dục trung học", DIPLOMAS, 30, 10, 0, 35, 5, None),
]

MAPPING = """
[source]
name = "Hệ thống một cửa (thử)"
url = "{url}"
table = "{table}"
{schema}
refresh_minutes = 5

[columns]
period = "ky"
unit = "don_vi"
field = "linh_vuc"
received_online = "tong_truc_tuyen"
received_direct_postal = "truc_tiep_bc"
carried_over = "tu_ky_truoc"
resolved = "da_giai_quyet"
pending = "dang_giai_quyet"
"""


def _make_source(url: str, schema: str | None, rows: list[tuple]) -> None:
    """The source table ``bao_cao`` (counts NUMERIC, as many systems keep them) and a view ``v_bc`` over it."""
    eng = sa.create_engine(url)
    prefix = f"{schema}." if schema else ""
    with eng.begin() as conn:
        if schema:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
        else:
            conn.execute(sa.text("DROP VIEW IF EXISTS v_bc"))
            conn.execute(sa.text("DROP TABLE IF EXISTS bao_cao"))
        conn.execute(
            sa.text(
                f"CREATE TABLE {prefix}bao_cao (ky VARCHAR(10), don_vi VARCHAR(200), linh_vuc VARCHAR(200), "
                "tong_truc_tuyen NUMERIC(12, 0), truc_tiep_bc NUMERIC(12, 0), tu_ky_truoc NUMERIC(12, 0), "
                "da_giai_quyet NUMERIC(12, 0), dang_giai_quyet NUMERIC(12, 0), ghi_chu VARCHAR(100))"
            )
        )
        conn.execute(sa.text(f"CREATE VIEW {prefix}v_bc AS SELECT * FROM {prefix}bao_cao"))
        conn.execute(
            sa.text(f"INSERT INTO {prefix}bao_cao VALUES (:a, :b, :c, :d, :e, :f, :g, :h, :i)"),
            [dict(zip("abcdefghi", r, strict=True)) for r in rows],
        )
    eng.dispose()


@pytest.fixture
def source(db_url: str, tmp_path: Path) -> tuple[str, Path]:
    """(store URL, mapping file): on SQLite a source database file of its own; on PostgreSQL the
    source is a view in schema ``mot_cua`` of the same server (NUMERIC counts come back as Decimal)."""
    if db_url.startswith("sqlite"):
        src_url, schema = f"sqlite:///{tmp_path / 'mot_cua.db'}", None
    else:
        src_url, schema = db_url, "mot_cua"
    _make_source(src_url, schema, ROWS)
    path = tmp_path / "nguon.toml"
    path.write_text(
        MAPPING.format(url=src_url, table="v_bc", schema=f'schema = "{schema}"' if schema else ""),
        encoding="utf-8",
    )
    external.forget_checks()
    yield db_url, path
    if schema:
        eng = sa.create_engine(src_url)
        with eng.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        eng.dispose()


def test_sync_stores_the_source_as_an_upload_once(source: tuple[str, Path]) -> None:
    db_url, path = source
    engine = open_engine(db_url)
    mapping = load_mapping(path)
    first = sync(engine, mapping)
    assert first.ok and first.upload_id is not None and first.rows == 2 and first.months == ["2024-06"]

    stored = load_figures(engine).set_index("field")
    assert set(stored["unit"]) == {UNIT}  # both spellings matched to the catalog name
    exams = stored.loc[EXAMS]
    assert exams["period"] == "2024-06"
    # totals given, parts unknown (NULL, never 0); received_new = 80 online + 20 direct/postal
    assert exams["received_online"] == 80 and exams["received_direct_postal"] == 20
    assert exams["received_new"] == 80 + 20
    assert pd.isna(exams["received_online_full"]) and pd.isna(stored.loc[DIPLOMAS, "resolved_early"])
    assert stored.loc[DIPLOMAS, "received_new"] == 30 + 10

    h = history(engine)
    assert list(h["kind"]) == ["external"]
    assert h.iloc[0]["file_name"] == "Hệ thống một cửa (thử) (nguồn ngoài: " + (
        "mot_cua.v_bc)" if mapping.schema else "v_bc)"
    )

    before = dump(engine)
    again = sync(engine, mapping)  # nothing changed at the source: nothing stored
    assert again.ok and again.unchanged and again.upload_id is None
    assert dump(engine) == before

    # the source changes: a new upload that replaces (June, the unit); the first stays in history
    url, schema = mapping.url, mapping.schema
    eng = sa.create_engine(url)
    with eng.begin() as conn:
        conn.execute(
            sa.text(
                f"UPDATE {schema + '.' if schema else ''}bao_cao SET tong_truc_tuyen = 85, "
                "da_giai_quyet = 95 WHERE ky = '2024-06'"
            )
        )
    eng.dispose()
    third = sync(engine, mapping)
    assert third.ok and third.upload_id is not None and third.upload_id > first.upload_id
    assert load_figures(engine).set_index("field").loc[EXAMS, "received_online"] == 85
    assert list(history(engine)["active"]) == ["active", "replaced"]


def test_bad_source_rows_store_nothing_and_name_row_and_column(source: tuple[str, Path]) -> None:
    db_url, path = source
    mapping = load_mapping(path)
    _make_source(
        mapping.url, mapping.schema, [*ROWS, ("2024-07", "Phong GD Trung hok", EXAMS, -3, 20, 5, 90, 15, "")]
    )
    engine = open_engine(db_url)
    before = dump(engine)
    result = sync(engine, mapping)
    assert not result.ok
    assert dump(engine) == before
    by_code = {i.code: i for i in result.errors}
    assert set(by_code) == {"unit_unknown", "count_negative"}
    # row 3 of the result (ordered by period, unit, field), the source's own column names
    assert by_code["unit_unknown"].row == 3 and by_code["unit_unknown"].column == "don_vi (unit)"
    assert "Phòng Giáo dục Trung học" in by_code["unit_unknown"].message  # the closest known name
    assert by_code["count_negative"].column == "tong_truc_tuyen (received_online)"
    assert by_code["count_negative"].value == -3


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda t: t.replace('table = "v_bc"', ""), "[source] thiếu khóa 'table'"),
        (lambda t: t.replace('url = "', 'urk = "'), "[source] khóa 'urk' không được hỗ trợ"),
        (lambda t: t.replace('unit = "don_vi"\n', ""), "thiếu 'unit' trong [columns]"),
        (
            lambda t: t.replace('pending = "dang_giai_quyet"', 'pendng = "dang_giai_quyet"'),
            "[columns] 'pendng' không phải mã cột",
        ),
        (
            lambda t: t.replace('pending = "dang_giai_quyet"', 'pending = "don_vi"'),
            "cột nguồn 'don_vi' được gán cho cả 'unit' và 'pending'",
        ),
        (
            lambda t: (
                t.replace('field = "linh_vuc"\n', "")
                + '\n[constants]\nfield = "Thi tuyen sinh"\nperiod = "2024-06"\n'
            ),
            "[constants] 'period' không dùng được làm hằng số",
        ),
        (
            lambda t: t + '\n[constants]\nfield = "Không phân lĩnh vực"\n',
            "'field' có cả trong [columns] và [constants]",
        ),
        (
            lambda t: t.replace('unit = "don_vi"\n', "") + '\n[constants]\nunit = "Phong GD Trung hox"\n',
            "unit = 'Phong GD Trung hox' không có trong danh mục; có phải 'Phòng Giáo dục Trung học'?",
        ),
        (
            lambda t: t.replace("refresh_minutes = 5", "refresh_minutes = -1"),
            "refresh_minutes phải là số phút ≥ 0",
        ),
        (
            lambda t: t.replace('url = "', 'url_env = "KHONG_CO_BIEN_NAY"\n# url = "'),
            "biến môi trường 'KHONG_CO_BIEN_NAY'",
        ),
        (lambda t: t + "\n[extra]\na = 1\n", "mục [extra] không được hỗ trợ"),
        (lambda t: t.replace("[columns]", "[columns"), "lỗi cú pháp TOML"),
    ],
)
def test_mapping_errors_name_the_key(edit, expected: str, source: tuple[str, Path], tmp_path: Path) -> None:
    _, path = source
    bad = tmp_path / "bad.toml"
    bad.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(MappingError) as err:
        load_mapping(bad)
    assert expected in str(err.value)
    assert str(err.value).startswith("bad.toml: ")


@pytest.mark.parametrize(
    ("table", "column", "expected"),
    [
        ("v_khong_co", None, "không có bảng hoặc view 'v_khong_co'"),
        ("v_bc", "da_xong", "resolved = 'da_xong': bảng 'v_bc' không có cột này"),
    ],
)
def test_source_table_and_columns_are_checked(
    table: str, column: str | None, expected: str, source: tuple[str, Path], tmp_path: Path
) -> None:
    _, path = source
    text = path.read_text(encoding="utf-8").replace('table = "v_bc"', f'table = "{table}"')
    if column:
        text = text.replace('resolved = "da_giai_quyet"', f'resolved = "{column}"')
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as err:
        read_external(load_mapping(bad))
    assert expected in str(err.value)


def test_url_is_never_shown(source: tuple[str, Path]) -> None:
    _, path = source
    mapping = load_mapping(path)
    assert mapping.url not in repr(mapping) and mapping.url not in mapping.label


def test_background_checks_at_most_every_refresh_minutes(source: tuple[str, Path]) -> None:
    db_url, path = source
    mapping = load_mapping(path)  # refresh_minutes = 5
    started = check_in_background(db_url, mapping, now=1000.0)
    assert started.running and started.result is None  # handed to the worker; the caller did not wait
    assert wait_for_checks(60)
    first = check_in_background(db_url, mapping, now=1000.0 + 1)
    assert not first.running and first.result is not None and first.result.upload_id is not None
    same = check_in_background(db_url, mapping, now=1000.0 + 299)  # 4 min 59 s after the start: not due
    assert same == first and not same.running  # the last check's outcome again, nothing read
    again = check_in_background(db_url, mapping, now=1000.0 + 300)
    assert again.running
    assert wait_for_checks(60)
    done = check_in_background(db_url, mapping, now=1000.0 + 301)
    assert done.result is not None and done.result.unchanged and len(history(open_engine(db_url))) == 1


def test_an_unreadable_source_waits_for_the_next_check(source: tuple[str, Path], tmp_path: Path) -> None:
    db_url, path = source
    bad = tmp_path / "bad.toml"
    bad.write_text(
        path.read_text(encoding="utf-8").replace('table = "v_bc"', 'table = "v_khong_co"'), encoding="utf-8"
    )
    mapping = load_mapping(bad)
    check_in_background(db_url, mapping, now=1000.0)
    assert wait_for_checks(60)
    state = check_in_background(db_url, mapping, now=1000.0 + 60)
    result = state.result
    assert result is not None and not result.ok and "v_khong_co" in result.errors[0].message
    assert not state.running  # not asked again each rerun
    assert check_in_background(db_url, mapping, now=1000.0 + 120) == state


def test_command_line_sync(source: tuple[str, Path]) -> None:
    db_url, path = source

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "data_access", "sync", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    checked = run("--mapping", str(path), "--check")
    assert checked.returncode == 0, checked.stderr
    assert "hợp lệ; tháng 06/2024; 2 dòng (chưa lưu)" in checked.stdout
    assert history(open_engine(db_url)).empty  # --check stores nothing
    done = run("--mapping", str(path), "--db", db_url)
    assert done.returncode == 0, done.stderr
    assert "2 dòng; lần nhập #" in done.stdout
    same = run("--mapping", str(path), "--db", db_url)
    assert same.returncode == 0 and "không có gì mới" in same.stdout
    broken = path.with_name("broken.toml")
    broken.write_text(
        path.read_text(encoding="utf-8").replace('table = "v_bc"', 'table = "v_khong_co"'), encoding="utf-8"
    )
    refused = run("--mapping", str(broken), "--db", db_url)
    assert refused.returncode == 1 and "v_khong_co" in refused.stderr
    assert run("--db", db_url).returncode == 2  # no mapping configured anywhere


def _app(db_url: str, mapping: Path, env: pytest.MonkeyPatch) -> AppTest:
    env.setenv("FIGURES_SOURCE", str(mapping))
    env.setenv("SAMPLE_DATA", "1")  # asked for, but not beside an external source
    env.delenv("TARGETS_FILE", raising=False)
    external.forget_checks()
    at = run_app(db_url, env)  # starts the check in the background, does not wait for it
    assert wait_for_checks(60)
    at.run()  # the next rerun shows what the check stored
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_pages_show_the_source_marked_with_its_name(
    source: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    db_url, path = source
    at = _app(db_url, path, monkeypatch)
    cards = card_values(at)
    # online (full + partial) / new: (80 + 30) / (100 + 40) = 110 / 140 = 78,57… %
    assert cards["Hồ sơ trực tuyến (toàn trình và một phần)"] == "78,6 %"
    # full online needs the full/partial split the source does not have: unknown, not 0 %
    assert cards["Hồ sơ trực tuyến toàn trình"] == "–"
    line = " ".join(c.value for c in at.caption).replace("\\", "")  # the file name is markdown-escaped
    assert "đồng bộ #1 – Hệ thống một cửa (thử) (nguồn ngoài: v_bc)" in line
    assert list(history(open_engine(db_url))["kind"]) == ["external"]  # no sample data loaded beside it
    assert not at.warning or all("Nguồn số liệu ngoài" not in w.value for w in at.warning)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_broken_mapping_is_said_on_the_page(
    source: tuple[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db_url, path = source
    bad = tmp_path / "hong.toml"
    bad.write_text(path.read_text(encoding="utf-8").replace('unit = "don_vi"\n', ""), encoding="utf-8")
    at = _app(db_url, bad, monkeypatch)
    warnings = [w.value.replace("\\", "") for w in at.warning]  # the source's texts are markdown-escaped
    assert any(
        "Nguồn số liệu ngoài “hong.toml”" in w and "thiếu 'unit' trong [columns]" in w for w in warnings
    ), warnings
    assert any("Chưa có số liệu" in i.value for i in at.info)  # nothing stored: the page says so
