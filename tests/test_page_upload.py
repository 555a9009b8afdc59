"""The upload page run inside the whole app with AppTest: check, preview, save once, refuse, restore."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data_access.catalog import load_catalog
from data_access.store import data_version, history, load_figures, open_engine
from tests import workbooks as wbs
from tests.helpers import run_app

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNIT = "Phòng Giáo dục Trung học"
SHORT = load_catalog().units.short(UNIT)  # the preview names units by their short name
PAGE = "pages/upload.py"


def start_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **env: str) -> tuple[AppTest, str]:
    """The app on a fresh SQLite file (the sample data loads at first start), on the upload page."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return run_app(url, monkeypatch, PAGE), url


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[AppTest, str]]:
    yield start_app(tmp_path, monkeypatch)


def good_file(online_full: int = 10) -> bytes:
    """Two rows for 12/2024 of one unit."""
    return wbs.canonical_records(
        [
            wbs.record(period="12/2024", unit=UNIT, received_online_full=online_full),
            wbs.record(
                period="12/2024", unit=UNIT, field="Thi, tuyển sinh", received_online_full=online_full
            ),
        ]
    )


def bad_file() -> bytes:
    """Row 2: a negative count; row 3: an unknown unit."""
    return wbs.canonical_records(
        [
            wbs.record(period="12/2024", unit=UNIT, received_direct=-3),
            wbs.record(period="12/2024", unit="Phòng Giáo dục Trung hoc x"),
        ]
    )


def uploader(at: AppTest):  # type: ignore[no-untyped-def]
    """The page's one uploader (its key changes after each save: ``upload_files``, ``upload_files_2``…)."""
    found = at.get("file_uploader")
    assert len(found) == 1, [u.key for u in found]
    return found[0]


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    uploader(at).set_value([(name, data, XLSX) for name, data in files])
    return at.run()


def table(at: AppTest, column: str) -> pd.DataFrame:
    """The first table shown with ``column``."""
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with column {column!r}: {[list(d.value.columns) for d in at.dataframe]}")


PARTS = ["Tháng", "Đơn vị", "Số dòng", "Trạng thái"]


def parts_table(at: AppTest) -> pd.DataFrame:
    """The table of the chosen upload's (month, unit) parts."""
    for df in at.dataframe:
        if list(df.value.columns) == PARTS:
            return df.value
    raise AssertionError("no parts table")


def texts(elements: object) -> str:
    return "\n".join(str(e.value) for e in elements)  # type: ignore[attr-defined]


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_page_shows_template_uploader_and_history(app: tuple[AppTest, str]) -> None:
    at, _url = app
    assert at.title[0].value == "Nhập số liệu"
    assert at.file_uploader(key="upload_files").accept_multiple_files
    assert at.file_uploader(key="upload_files").allowed_type == [".xlsx"]
    assert at.selectbox(key="upload_unit").value is None
    assert UNIT in at.selectbox(key="upload_unit").options
    assert [b.label for b in at.get("download_button")] == ["Tải mẫu Excel"]
    hist = table(at, "Lần nhập")
    assert list(hist.columns) == [
        "Lần nhập",
        "Thời gian",
        "Người nhập",
        "Tệp",
        "Tháng",
        "Số dòng",
        "Loại",
        "Khôi phục từ",
        "Trạng thái",
    ]
    assert len(hist) == 24 and set(hist["Loại"]) == {"Nhập"} and set(hist["Trạng thái"]) == {"Đang dùng"}
    assert hist.iloc[0]["Tệp"] == "so-lieu-2024-12.xlsx" and hist.iloc[0]["Tháng"] == "12/2024"
    # dd/mm/yyyy and HH:MM, Vietnam time
    assert pd.Series(hist["Thời gian"]).str.fullmatch(r"\d\d:\d\d \d\d/\d\d/\d{4}").all()
    no_exception(at)


def test_good_file_previews_then_stores_once(
    app: tuple[AppTest, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    at, url = app
    engine = open_engine(url)
    from ui import upload_state

    calls = []
    real = upload_state.prepare_import
    monkeypatch.setattr(upload_state, "prepare_import", lambda *a, **k: calls.append(1) or real(*a, **k))
    before = data_version(engine)

    upload(at, ("tot.xlsx", good_file()))
    no_exception(at)
    assert "Tệp hợp lệ: 2 dòng" in texts(at.success)
    preview = table(at, "Loại")
    assert preview[["Tháng", "Đơn vị", "Loại", "Số dòng"]].values.tolist() == [
        ["12/2024", SHORT, f"Thay thế lần nhập #{before}", "2"]
    ]
    assert "Hồ sơ trực tuyến toàn trình" in preview.columns
    assert "→" in preview.iloc[0]["Hồ sơ trực tuyến toàn trình"]
    assert "đã có số liệu" in table(at, "Nội dung").to_string()  # the month-stored warning
    assert data_version(engine) == before, "nothing is stored before pressing save"
    at.run()  # a rerun does not read the files again
    assert len(calls) == 1
    assert data_version(engine) == before

    at.button(key="save_upload").click().run()
    no_exception(at)
    after = data_version(engine)
    assert after == before + 1
    saved = texts(at.success)
    assert (
        f"lần nhập #{after}" in saved
        and "tot.xlsx" in saved
        and "tháng 12/2024" in saved
        and "2 dòng" in saved
    )
    top = history(engine).iloc[0]
    assert (top["file_name"], top["user"], top["months"], top["rows"]) == (
        "tot.xlsx",
        "dùng thử",
        ["2024-12"],
        2,
    )

    # the uploader is emptied (no second press is possible) and the history shows the new upload
    assert uploader(at).key != "upload_files" and not uploader(at).value
    assert not [b for b in at.button if b.key == "save_upload"]
    assert at.selectbox(key="history_upload").value == after
    at.run()  # the saved notice is shown once; nothing is stored again
    assert data_version(engine) == after and "Đã lưu" not in texts(at.success)
    assert len(calls) == 1
    assert table(at, "Lần nhập").iloc[0]["Tệp"] == "tot.xlsx"

    # the app reads the new data version at the next rerun (its caches are keyed on it) …
    assert at.session_state["_source"].version == after
    # … and the overview names this upload as its source
    at.switch_page("pages/overview.py").run()
    no_exception(at)
    assert f"#{after} – tot.xlsx" in texts(at.caption)


def test_same_file_again_is_pointed_out(app: tuple[AppTest, str]) -> None:
    at, url = app
    data = good_file()
    upload(at, ("a.xlsx", data))
    at.button(key="save_upload").click().run()
    first = data_version(open_engine(url))
    assert not uploader(at).value, "the save empties the uploader"
    upload(at, ("a-copy.xlsx", data))
    no_exception(at)
    assert f"lần nhập #{first}" in texts(at.warning) and "SHA-256" in texts(at.warning)


def test_bad_file_lists_every_error_and_stores_nothing(app: tuple[AppTest, str]) -> None:
    at, url = app
    engine = open_engine(url)
    before = data_version(engine)
    upload(at, ("sai.xlsx", bad_file()))
    no_exception(at)
    assert [e.value for e in at.error] == ["Tệp bị từ chối: 2 lỗi"]
    errors = table(at, "Nội dung")
    assert list(errors.columns) == ["Tệp", "Trang", "Dòng", "Cột", "Giá trị", "Nội dung"]
    rows = errors.values.tolist()
    assert rows[0][:5] == ["sai.xlsx", "SoLieu", "2", "Tiếp nhận trực tiếp (H)", "-3"]
    assert "âm" in rows[0][5]
    assert rows[1][:5] == ["sai.xlsx", "SoLieu", "3", "Đơn vị (B)", "Phòng Giáo dục Trung hoc x"]
    assert "Phòng Giáo dục Trung học" in rows[1][5]
    assert [b.key for b in at.get("download_button")] == ["download_template", "download_annotated"]
    assert not [b for b in at.button if b.key == "save_upload"]
    assert data_version(engine) == before


def test_not_an_excel_file_and_a_too_large_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at, url = start_app(tmp_path, monkeypatch, UPLOAD_MAX_MB="1")
    engine = open_engine(url)
    before = data_version(engine)
    upload(at, ("gia.xlsx", b"name,value\nx,1\n"))
    no_exception(at)
    assert "Tệp bị từ chối: 1 lỗi" in texts(at.error)
    assert "không phải sổ tính Excel" in table(at, "Nội dung").iloc[0]["Nội dung"]
    assert [b.key for b in at.get("download_button")] == ["download_template"]

    upload(at, ("to.xlsx", b"PK\x03\x04" + b"0" * (3 * 2**19)))
    no_exception(at)
    assert "quá lớn: 1,5 MB, giới hạn là 1 MB" in texts(at.error)
    assert "_upload_state" not in at.session_state, "a file over the limit is not read"
    assert data_version(engine) == before


def test_official_layout_needs_the_unit(app: tuple[AppTest, str]) -> None:
    at, url = app
    report = wbs.official(
        [
            wbs.official_row(wbs.FIELD, 30, 5, 2, 20, 10, 1, 4, 2),
            wbs.official_row("Thi, tuyển sinh", 12, 3, 0, 10, 4, 0, 1, 0),
        ]
    )
    upload(at, ("bieu-06a.xlsx", report))
    no_exception(at)
    # the fix is to choose the unit, not to edit the file: no refusal, no error table
    assert not at.error and "Sửa các lỗi" not in texts(at.caption)
    assert "Đơn vị báo cáo" in texts(at.info) and "không cần sửa tệp" in texts(at.info)
    assert not [d for d in at.dataframe if "Nội dung" in d.value.columns]
    at.selectbox(key="upload_unit").set_value(UNIT).run()
    no_exception(at)
    preview = table(at, "Loại")
    assert preview[["Tháng", "Đơn vị", "Số dòng"]].values.tolist() == [["6/2024", SHORT, "2"]]
    at.button(key="save_upload").click().run()
    stored = load_figures(open_engine(url), periods=["2024-06"], units=[UNIT])
    assert sorted(stored["received_online"].tolist()) == [12, 30]
    assert stored["received_online_full"].isna().all()  # the official layout lacks it: unknown


def test_two_files_at_once_are_two_uploads(app: tuple[AppTest, str]) -> None:
    at, url = app
    engine = open_engine(url)
    before = data_version(engine)
    nov = wbs.canonical_records([wbs.record(period="11/2024", unit="Thanh tra Sở")])
    dec = wbs.canonical_records([wbs.record(period="12/2024", unit="Thanh tra Sở")])
    upload(at, ("t11.xlsx", nov), ("t12.xlsx", dec))
    no_exception(at)
    assert table(at, "Loại")["Tháng"].tolist() == ["11/2024", "12/2024"]
    at.button(key="save_upload").click().run()
    no_exception(at)
    assert data_version(engine) == before + 2
    assert "t11.xlsx" in texts(at.success) and "t12.xlsx" in texts(at.success)


def test_restore_an_earlier_version(app: tuple[AppTest, str]) -> None:
    at, url = app
    engine = open_engine(url)
    upload(at, ("v1.xlsx", good_file(online_full=10)))
    at.button(key="save_upload").click().run()
    first_id = data_version(engine)
    first = load_figures(engine, periods=["2024-12"], units=[UNIT])
    upload(at, ("v2.xlsx", good_file(online_full=12)))
    at.button(key="save_upload").click().run()
    second_id = data_version(engine)
    assert second_id == first_id + 1
    assert load_figures(engine, periods=["2024-12"], units=[UNIT])["received_online_full"].tolist() == [
        12,
        12,
    ]

    at.selectbox(key="history_upload").set_value(first_id).run()
    no_exception(at)
    parts = parts_table(at)
    assert parts.values.tolist() == [["12/2024", UNIT, "2", f"Đã thay thế (đang dùng lần nhập #{second_id})"]]
    assert at.multiselect(key="restore_parts").value == [f"2024-12|{UNIT}"]

    # cancel first: nothing happens
    at.button(key="restore_start").click().run()
    assert f"lần nhập #{second_id}" in texts(at.warning)
    at.button(key="restore_cancel").click().run()
    assert data_version(engine) == second_id
    assert not [b for b in at.button if b.key == "restore_confirm"]

    at.button(key="restore_start").click().run()
    at.button(key="restore_confirm").click().run()
    no_exception(at)
    restored_id = data_version(engine)
    assert restored_id == second_id + 1
    now = load_figures(engine, periods=["2024-12"], units=[UNIT])
    pd.testing.assert_frame_equal(now, first)
    assert now["received_online_full"].tolist() == [10, 10]
    assert f"(ghi thành lần nhập #{restored_id})" in texts(at.success)
    top = table(at, "Lần nhập").iloc[0]
    assert (top["Lần nhập"], top["Loại"], top["Khôi phục từ"], top["Trạng thái"], top["Người nhập"]) == (
        f"#{restored_id}",
        "Khôi phục",
        f"#{first_id}",
        "Đang dùng",
        "dùng thử",
    )
    # the chosen upload's part is in use again, through the restore; nothing left to restore from it
    assert parts_table(at).iloc[0]["Trạng thái"] == f"Đang dùng (qua lần khôi phục #{restored_id})"
    assert not [b for b in at.button if b.key == "restore_start"]
    # v2 again, checked against what is stored now: it would replace the restore
    upload(at, ("v2.xlsx", good_file(online_full=12)))
    assert f"Thay thế lần nhập #{restored_id}" in table(at, "Loại")["Loại"].tolist()
