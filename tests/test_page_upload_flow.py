"""The upload page's flow (AppTest, whole app on the sample data): after a save the uploader is empty and
the history shows the new upload; a II.06a report needing only its unit says so and nothing else; the KPIs
a II.06a report leaves without a value are named before saving; several parts restored at once; an
unknown unit without a close name says so."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from data_access.store import data_version, history, load_figures, open_engine
from tests import workbooks as wbs
from tests.helpers import EXAMPLES
from tests.test_page_upload import UNIT, no_exception, start_app, table, texts, upload, uploader
from ui.upload_view import T

REPORT = EXAMPLES / "bao-cao-06a-mau.xlsx"


@pytest.fixture
def page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[AppTest, str]:
    """The whole app on a fresh copy of the sample data, on the upload page; and its database URL."""
    return start_app(tmp_path, monkeypatch)


def test_after_a_save_the_uploader_is_empty_and_the_history_follows(page: tuple[AppTest, str]) -> None:
    at, url = page
    first_key = uploader(at).key
    upload(at, ("t12.xlsx", wbs.canonical_records([wbs.record(period="12/2024", unit="Thanh tra Sở")])))
    at.button(key="save_upload").click().run()
    no_exception(at)
    new_id = data_version(open_engine(url))
    assert uploader(at).key != first_key and not uploader(at).value
    assert at.selectbox(key="history_upload").value == new_id
    assert "Đã lưu lần nhập" in texts(at.success)
    assert "Xem trước: số liệu sẽ được lưu" not in texts(at.markdown)
    # the next file goes into the new, empty uploader and is checked as a new set
    upload(at, ("t11.xlsx", wbs.canonical_records([wbs.record(period="11/2024", unit="Thanh tra Sở")])))
    no_exception(at)
    assert table(at, "Loại")["Tháng"].tolist() == ["11/2024"]


def test_06a_only_needs_its_unit_then_names_the_kpis_it_leaves_blank(page: tuple[AppTest, str]) -> None:
    at, url = page
    upload(at, (REPORT.name, REPORT.read_bytes()))
    no_exception(at)
    assert not at.error, "choosing the unit is the fix: no refusal"
    assert T["unit_only"].split("'")[0] in texts(at.info)
    assert "Sửa các lỗi" not in texts(at.caption)
    assert not [b for b in at.get("download_button") if b.key == "download_annotated"]
    at.selectbox(key="upload_unit").set_value(UNIT).run()
    no_exception(at)
    current = history(open_engine(url)).set_index("id")
    june = next(i for i, ms in current["months"].items() if "2024-06" in ms)
    notes = [w.value for w in at.warning if "sẽ không có giá trị" in w.value]
    assert len(notes) == 1, texts(at.warning)
    note = notes[0]
    assert "6/2024" in note and "Phòng GDTrH" in note and "Hồ sơ trực tuyến toàn trình" in note
    assert f"lần nhập trước (#{june})" in note and "không còn được hiển thị" in note
    n = int(note.split("Sau khi lưu, ")[1].split(" chỉ tiêu")[0])
    assert n >= 1
    # once saved, those KPIs indeed have no value for the unit and month
    at.button(key="save_upload").click().run()
    stored = load_figures(open_engine(url), periods=["2024-06"], units=[UNIT])
    assert stored["received_online_full"].isna().all()


def test_restore_several_parts_at_once(page: tuple[AppTest, str]) -> None:
    at, url = page
    engine = open_engine(url)
    two = wbs.canonical_records(
        [
            wbs.record(period="11/2024", unit="Thanh tra Sở", received_online_full=10),
            wbs.record(period="12/2024", unit="Thanh tra Sở", received_online_full=11),
        ]
    )
    newer = wbs.canonical_records(
        [
            wbs.record(period="11/2024", unit="Thanh tra Sở", received_online_full=12),
            wbs.record(period="12/2024", unit="Thanh tra Sở", received_online_full=13),
        ]
    )
    upload(at, ("v1.xlsx", two))
    at.button(key="save_upload").click().run()
    first = data_version(engine)
    upload(at, ("v2.xlsx", newer))
    at.button(key="save_upload").click().run()
    second = data_version(engine)
    at.selectbox(key="history_upload").set_value(first).run()
    assert at.multiselect(key="restore_parts").value == ["2024-11|Thanh tra Sở"]  # the first part by default
    at.button(key="restore_all").click().run()
    assert at.multiselect(key="restore_parts").value == ["2024-11|Thanh tra Sở", "2024-12|Thanh tra Sở"]
    at.button(key="restore_start").click().run()
    assert "Khôi phục **2 tháng × đơn vị** từ lần nhập" in texts(at.warning)
    at.button(key="restore_confirm").click().run()
    no_exception(at)
    restored = data_version(engine)
    assert restored == second + 1, "one upload for both parts"
    now = load_figures(engine, periods=["2024-11", "2024-12"], units=["Thanh tra Sở"])
    assert sorted(now["received_online_full"].tolist()) == [10, 11]
    assert f"Đã khôi phục 2 tháng × đơn vị từ lần nhập #{first} (ghi thành lần nhập #{restored})" in texts(
        at.success
    )


def test_choosing_no_part_disables_the_restore(page: tuple[AppTest, str]) -> None:
    at, _url = page
    upload(at, ("v1.xlsx", wbs.canonical_records([wbs.record(period="12/2024", unit="Thanh tra Sở")])))
    at.button(key="save_upload").click().run()
    first = at.selectbox(key="history_upload").value
    upload(
        at,
        (
            "v2.xlsx",
            wbs.canonical_records(
                [wbs.record(period="12/2024", unit="Thanh tra Sở", received_online_full=12)]
            ),
        ),
    )
    at.button(key="save_upload").click().run()
    at.selectbox(key="history_upload").set_value(first).run()
    at.multiselect(key="restore_parts").set_value([]).run()
    assert at.button(key="restore_start").disabled


def test_unknown_unit_without_a_close_name_and_a_typo(page: tuple[AppTest, str]) -> None:
    at, _url = page
    upload(
        at,
        (
            "sai.xlsx",
            wbs.canonical_records(
                [
                    wbs.record(period="12/2024", unit="Phòng Công nghệ thông tin"),
                    wbs.record(period="12/2024", unit="Phong GD Trungg hoc", field="Thi, tuyển sinh"),
                ]
            ),
        ),
    )
    messages = table(at, "Nội dung")["Nội dung"].tolist()
    assert "không có tên nào gần giống" in messages[0] and "catalog.toml" in messages[0]
    assert "Kế hoạch" not in messages[0]
    assert "Có phải là 'Phòng Giáo dục Trung học'?" in messages[1]
    assert not table(at, "Nội dung").isna().any().any(), "no None in the error table"


def test_the_marked_copy_of_a_refused_file_marks_its_warnings_too(page: tuple[AppTest, str]) -> None:
    at, _url = page
    data = wbs.canonical_records(
        [
            wbs.record(period="12/2024", received_direct=-3),
            wbs.record(period="12/2024", field="Thi, tuyển sinh", resolved_on_time=900),
        ]
    )
    upload(at, ("canh-bao.xlsx", data))
    assert [b.key for b in at.get("download_button")] == ["download_template", "download_annotated"]
    marked = at.session_state["_upload_state"].annotated[0]  # what the download button offers
    listing = load_workbook(io.BytesIO(marked))["KiemTra"]
    levels = {row[0].value for row in listing.iter_rows(min_row=2)}
    assert levels == {"Lỗi", "Cảnh báo"}
