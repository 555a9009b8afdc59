"""The official 766 scores (scoring.md): reader, store (history kept, latest upload wins), CLI, sample file."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from data_access.__main__ import main
from data_access.audit import read_audit
from data_access.official_scores import (
    GROUP_CRITERIA,
    GROUP_MAX,
    OFFICIAL_COLUMNS,
    SIX_GROUPS,
    TOTAL,
    import_scores,
    load_sample_scores_if_empty,
    official_scores,
    period_label,
    score_periods,
    score_uploads,
)
from data_access.roles import cli_actor
from data_access.store import open_engine
from data_access.xlsx.official_scores import (
    SCORE_COLUMNS,
    ScoresRead,
    is_scores_workbook,
    parse_score,
    parse_score_period,
    read_scores,
)
from tests.helpers import ROOT
from tests.workbooks import to_bytes

SAMPLE = ROOT / "sample_data" / "diem-766-mau.xlsx"
HEADER = ["Kỳ", "Nhóm chỉ số", "Điểm"]
#: One month as the portal might publish it: 16,5 + 19,25 + 9 + 6,75 + 17 + 15,5 = 84.
JUNE: list[list[object]] = [
    ["06/2024", "Công khai, minh bạch", 16.5],
    ["06/2024", "Tiến độ giải quyết", 19.25],
    ["06/2024", "Dịch vụ công trực tuyến", 9],
    ["06/2024", "Thanh toán trực tuyến", "6,75"],
    ["06/2024", "Mức độ hài lòng", 17],
    ["06/2024", "Số hóa hồ sơ", 15.5],
    ["06/2024", "Tổng điểm", 84],
]


def book(
    rows: list[list[object]],
    header: list[object] | None = None,
    sheet: str = "Diem766",
    merge: str | None = None,
) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    ws.append(HEADER if header is None else header)
    for r in rows:
        ws.append(r)
    if merge:
        ws.merge_cells(merge)
    return to_bytes(wb)


def read(rows: list[list[object]], **kw: object) -> ScoresRead:
    return read_scores(book(rows, **kw), filename="diem.xlsx")  # type: ignore[arg-type]


def only_error(r: ScoresRead) -> object:
    assert not r.ok
    assert r.frame.empty  # refused whole
    assert len(r.errors) == 1, [i.format() for i in r.errors]
    return r.errors[0]


# ---- reader: good input ----


def test_a_month_reads_with_every_group() -> None:
    r = read(JUNE)
    assert r.ok and r.issues == [], [i.format() for i in r.issues]
    assert list(r.frame.columns) == list(SCORE_COLUMNS)
    assert r.periods == ["2024-06"]
    got = dict(zip(r.frame["group_code"], r.frame["points"], strict=True))
    assert got == {
        "i766.publicity": 16.5,
        "i766.progress": 19.25,
        "i766.online": 9.0,
        "i766.payment": 6.75,  # written "6,75": a decimal comma
        "i766.satisfaction": 17.0,
        "i766.digitization": 15.5,
        "i766.total": 84.0,
    }
    assert r.frame["group_name"].tolist()[1] == "Tiến độ giải quyết"
    assert r.frame["rank"].isna().all() and str(r.frame["rank"].dtype) == "Int64"
    assert r.excel_rows == [2, 3, 4, 5, 6, 7, 8]


def test_spellings_rank_row_title_rows_and_merged_periods() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Điểm 766"  # folded: diem766
    ws.append(["Điểm Bộ chỉ số 766 năm 2024"])
    ws.append([])
    ws.append(["Thời gian", "Nhóm", "Điểm số", "Ghi chú"])
    ws.append(["Quý II/2024", "Nhóm 2: Tiến độ giải quyết", "18.5", ""])
    ws.append([None, "nhóm 4", 7, None])
    ws.append([None, "Xếp hạng", 5, None])
    ws.append(["Tháng 7/2024", "i766.digitization", 16, None])
    ws.append([None, None, None, "nguồn: Cổng DVCQG"])  # a note beside the table: not a row
    ws.merge_cells("A4:A6")
    r = read_scores(to_bytes(wb), filename="diem.xlsx")
    assert r.ok, [i.format() for i in r.errors]
    assert [i.code for i in r.warnings] == ["scores_unknown_column"]  # "Ghi chú" ignored, said so
    frame = r.frame.set_index(["period", "group_code"])
    assert frame.loc[("2024-Q2", "i766.progress"), "points"] == 18.5
    assert frame.loc[("2024-Q2", "i766.payment"), "points"] == 7.0
    # the rank row made the quarter's total, its points unknown (not 0)
    assert frame.loc[("2024-Q2", TOTAL), "rank"] == 5
    assert pd.isna(frame.at[("2024-Q2", TOTAL), "points"])  # type: ignore[arg-type]
    assert frame.loc[("2024-07", "i766.digitization"), "points"] == 16.0
    assert len(r.frame) == 4


def test_rank_column_and_max_column() -> None:
    rows = [["07/2024", "Tổng điểm", 100, 83.5, 4], ["07/2024", "Tiến độ giải quyết", 20, 19, None]]
    r = read(rows, header=["Kỳ", "Nhóm chỉ số", "Điểm tối đa", "Điểm", "Xếp hạng"])
    assert r.ok, [i.format() for i in r.errors]
    assert r.frame["group_code"].tolist() == ["i766.progress", TOTAL]  # the portal's order
    assert r.frame["rank"].tolist() == [pd.NA, 4]


def test_a_rank_given_twice_is_refused() -> None:
    rows = [["07/2024", "Tổng điểm", 83.5, 4], ["07/2024", "Xếp hạng", 5, None]]
    err = only_error(read(rows, header=["Kỳ", "Nhóm chỉ số", "Điểm", "Xếp hạng"]))
    assert err.code == "rank_duplicate"  # type: ignore[attr-defined]
    assert (err.row, err.column) == (3, "Điểm")  # type: ignore[attr-defined]
    assert "dòng 2" in err.message  # type: ignore[attr-defined]
    err = only_error(read([["07/2024", "Xếp hạng", "thứ năm"]]))
    assert (err.code, err.row) == ("rank_invalid", 2)  # type: ignore[attr-defined]


def test_parsers() -> None:
    assert parse_score_period("Quý IV/2024") == ("2024-Q4", None)
    assert parse_score_period("2024-H2") == ("2024-H2", None)
    assert parse_score_period(2024) == ("2024", None)
    assert parse_score_period("T12/2024") == ("2024-12", None)
    assert parse_score_period("12/2021") == (None, "score_period_too_early")
    assert parse_score_period("13/2024") == (None, "score_period_invalid")
    assert parse_score("19,25") == (19.25, None)
    assert parse_score("17.250") == (None, "score_ambiguous")  # 17,25 or 17 250?
    assert parse_score(None) == (None, "score_missing")  # empty is never 0
    assert parse_score(-0.5) == (None, "score_negative")


def test_total_that_does_not_add_up_is_a_warning() -> None:
    rows = [*JUNE[:6], ["06/2024", "Tổng điểm", 85]]  # 84 by the groups
    r = read(rows)
    assert r.ok
    (w,) = r.warnings
    assert w.code == "total_differs"
    assert "85" in w.message and "84" in w.message and "chênh 1" in w.message


# ---- reader: bad input, refused whole, located ----


def test_wrong_sheet() -> None:
    err = only_error(read(JUNE, sheet="Sheet1", header=["Tháng", "Đơn vị", "Số hồ sơ"]))
    assert err.code == "no_scores_sheet" and err.sheet == "Sheet1"  # type: ignore[attr-defined]
    assert "Diem766" in err.message  # type: ignore[attr-defined]


def test_unknown_group() -> None:
    err = only_error(read([*JUNE[:2], ["06/2024", "Cải cách hành chính", 3]]))
    assert err.code == "score_group_unknown"  # type: ignore[attr-defined]
    assert (err.row, err.column, err.value) == (4, "Nhóm chỉ số", "Cải cách hành chính")  # type: ignore[attr-defined]
    assert "'Tiến độ giải quyết'" in err.message  # type: ignore[attr-defined]  # the names to choose from
    # a number and a name that disagree are not guessed
    assert only_error(read([["06/2024", "Nhóm 3: Tiến độ giải quyết", 3]])).code == "score_group_unknown"  # type: ignore[attr-defined]


def test_score_above_max() -> None:
    err = only_error(read([["06/2024", "Tiến độ giải quyết", 20.5]]))
    assert err.code == "score_above_max"  # type: ignore[attr-defined]
    assert (err.row, err.column, err.value) == (2, "Điểm", 20.5)  # type: ignore[attr-defined]
    assert "20,5" in err.message and "tối đa 20" in err.message  # type: ignore[attr-defined]
    # exactly the maximum is fine
    assert read([["06/2024", "Tiến độ giải quyết", 20]]).ok


def test_duplicate_row() -> None:
    err = only_error(read([*JUNE, ["6/2024", "Tiến độ", 18]]))
    assert err.code == "score_duplicate"  # type: ignore[attr-defined]
    assert (err.row, err.column) == (9, "Nhóm chỉ số")  # type: ignore[attr-defined]
    assert "dòng 3" in err.message  # type: ignore[attr-defined]  # the first row of that group


def test_empty_cells() -> None:
    r = read([["06/2024", "Tiến độ giải quyết", None], [None, "Số hóa hồ sơ", 15], ["06/2024", "", 9]])
    assert not r.ok and r.frame.empty
    located = [(i.code, i.row, i.column) for i in r.errors]
    assert located == [
        ("score_missing", 2, "Điểm"),
        ("score_period_missing", 3, "Kỳ"),
        ("score_group_missing", 4, "Nhóm chỉ số"),
    ]
    assert "không được coi là 0" in r.errors[0].message


def test_bad_numbers_and_periods_each_named() -> None:
    r = read([["06/2024", "Tiến độ giải quyết", "mười chín"], ["2021-12", "Số hóa hồ sơ", 15]])
    assert [(i.code, i.row, i.column) for i in r.errors] == [
        ("score_not_number", 2, "Điểm"),
        ("score_period_too_early", 3, "Kỳ"),
    ]


def test_text_file_named_xlsx() -> None:
    data = "Kỳ;Nhóm chỉ số;Điểm\n06/2024;Tiến độ giải quyết;19\n".encode()
    r = read_scores(data, filename="diem.xlsx")
    assert not r.ok and r.frame.empty
    assert r.errors[0].file == "diem.xlsx"
    assert not is_scores_workbook(data)


def test_recognition() -> None:
    assert is_scores_workbook(SAMPLE.read_bytes())
    assert is_scores_workbook(book(JUNE, sheet="Bang diem", header=["Kỳ đánh giá", "Nhóm", "Điểm"]))
    assert not is_scores_workbook((ROOT / "sample_data" / "danh-muc-tthc.xlsx").read_bytes())
    assert not is_scores_workbook((ROOT / "sample_data" / "so-lieu-2024-06.xlsx").read_bytes())


# ---- the sample file ----


def test_sample_scores_read_clean_and_are_what_the_script_makes() -> None:
    from sample_data.make_scores import scores_bytes

    r = read_scores(SAMPLE)
    assert r.ok and r.issues == [], [i.format() for i in r.issues]
    assert r.periods == ["2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12"]
    assert len(r.frame) == 6 * 7
    for period, part in r.frame.groupby("period"):
        pts = part.set_index("group_code")["points"]
        assert round(sum(pts[g] for g in SIX_GROUPS), 2) == pts[TOTAL], period
        assert part.set_index("group_code")["rank"].notna().sum() == 1
    assert SAMPLE.read_bytes() == scores_bytes()


def test_sample_progress_follows_the_sample_figures() -> None:
    """The published Tiến độ of 12/2024 is the department's own 20 × ratio less at most 0,6 points."""
    from sample_data.generate import make_rows

    m = make_rows(2024, 2024)
    m = m[m["period"] == "2024-12"]
    timely = sum(int(m[c].sum()) for c in ("resolved_early", "resolved_on_time", "pending_in_time"))
    den = sum(int(m[c].sum()) for c in ("resolved_early", "resolved_on_time", "resolved_late"))
    den += sum(int(m[c].sum()) for c in ("pending_in_time", "pending_overdue"))
    estimate = 20 * timely / den
    frame = read_scores(SAMPLE).frame.set_index(["period", "group_code"])
    published = float(frame.loc[("2024-12", "i766.progress"), "points"])  # type: ignore[arg-type]
    assert estimate - 0.6 - 0.005 <= published <= estimate + 0.005


# ---- groups against scoring.toml ----


def test_groups_match_the_scoring_file() -> None:
    from kpi.scoring import load_scoring

    scoring = load_scoring(ROOT / "scoring.toml")
    i766 = {c.id: c for c in scoring.of("i766")}
    assigned = [c for g in GROUP_CRITERIA.values() for c in g]
    assert sorted(assigned) == sorted(i766)  # every criterion in exactly one group
    for group, criteria in GROUP_CRITERIA.items():
        assert sum((i766[c].max for c in criteria), Fraction(0)) <= Fraction(GROUP_MAX[group])
    assert i766["i766.progress"].max == Fraction(GROUP_MAX["i766.progress"])  # the whole group
    assert scoring.frameworks["i766"].total == Fraction(GROUP_MAX[TOTAL])
    assert sum(GROUP_MAX[g] for g in SIX_GROUPS) == 100


# ---- store ----


def _stored(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text("select count(*) from official_score")).scalar_one())


def test_import_and_read_back(engine: sa.Engine) -> None:
    first = import_scores(engine, book(JUNE), "thang6.xlsx", user="Chị Lan")
    assert first.ok and first.upload_id is not None
    assert (first.periods, first.rows) == (["2024-06"], 7)
    assert first.groups == [*SIX_GROUPS, TOTAL]
    got = official_scores(engine, "06/2024")
    assert list(got.columns) == list(OFFICIAL_COLUMNS)
    assert got["group_code"].tolist() == [*SIX_GROUPS, TOTAL]
    assert got["points"].tolist() == [16.5, 19.25, 9.0, 6.75, 17.0, 15.5, 84.0]
    assert got["max_points"].tolist() == [18.0, 20.0, 12.0, 10.0, 18.0, 22.0, 100.0]
    assert got["file_name"].unique().tolist() == ["thang6.xlsx"]
    assert got["uploaded_at"].iloc[0].tzinfo is not None
    pd.testing.assert_frame_equal(got, official_scores(engine, "2024-06"))

    # a correction of one group and a new month: that group from the new upload, the rest kept
    second = import_scores(
        engine,
        book(
            [
                ["06/2024", "Tiến độ giải quyết", 19.75],
                ["07/2024", "Tổng điểm", 85.1],
                ["07/2024", "Xếp hạng", 3],
            ]
        ),
        "bo-sung.xlsx",
        user="Chị Lan",
    )
    assert second.ok and second.upload_id is not None and second.upload_id > first.upload_id
    june = official_scores(engine, "2024-06").set_index("group_code")
    assert june.at["i766.progress", "points"] == 19.75
    assert june.at["i766.progress", "upload_id"] == second.upload_id
    assert june.at["i766.publicity", "upload_id"] == first.upload_id
    july = official_scores(engine, "Tháng 7/2024")
    assert july["group_code"].tolist() == [TOTAL]
    assert (july.at[0, "points"], july.at[0, "rank"]) == (85.1, 3)
    assert official_scores(engine, "2024-08").empty
    assert list(official_scores(engine, "2024-08").columns) == list(OFFICIAL_COLUMNS)
    assert len(official_scores(engine)) == 7 + 1
    assert score_periods(engine) == ["2024-06", "2024-07"]

    uploads = score_uploads(engine)  # history kept, newest first
    assert uploads["id"].tolist() == [second.upload_id, first.upload_id]
    assert uploads["row_count"].tolist() == [2, 7]
    assert uploads["user_name"].tolist() == ["Chị Lan", "Chị Lan"]
    assert _stored(engine) == 7 + 2
    audit = read_audit(engine, cli_actor())
    rows = audit[audit["action"] == "scores_upload"]
    assert len(rows) == 2
    details = [json.loads(d) for d in rows["detail"]]  # newest first
    assert [d["periods"] for d in details] == [["2024-06", "2024-07"], ["2024-06"]]
    assert [d["upload_id"] for d in details] == [second.upload_id, first.upload_id]


def test_refused_file_stores_nothing(engine: sa.Engine) -> None:
    for data in (
        book([*JUNE, ["06/2024", "Tiến độ giải quyết", 18]]),  # duplicate
        book([["06/2024", "Tiến độ giải quyết", 21]]),  # above max
        book([["06/2024", "Tiến độ giải quyết", None]]),  # empty
        book([["06/2024", "Khác", 1]]),  # unknown group
        book(JUNE, sheet="Sheet1", header=["A", "B", "C"]),  # wrong sheet
        b"not a workbook",
    ):
        done = import_scores(engine, data, "diem.xlsx", user="cli")
        assert not done.ok and done.upload_id is None and done.rows == 0
        assert done.read.errors
    assert score_uploads(engine).empty
    assert _stored(engine) == 0


def test_a_page_upload_is_recorded_under_its_actor(sqlite_url: str) -> None:
    engine = open_engine(sqlite_url)
    done = import_scores(engine, book(JUNE), "thang6.xlsx", actor=cli_actor("lan"))
    assert done.ok
    assert score_uploads(engine)["user_name"].tolist() == ["lan"]
    audit = read_audit(engine, cli_actor())
    assert audit[audit["action"] == "scores_upload"]["username"].tolist() == ["lan"]


def test_sample_scores_load_once(sqlite_url: str) -> None:
    engine = open_engine(sqlite_url)
    uid = load_sample_scores_if_empty(engine, SAMPLE.parent, user="dữ liệu mẫu")
    assert uid is not None
    assert load_sample_scores_if_empty(engine, SAMPLE.parent, user="dữ liệu mẫu") is None
    assert len(official_scores(engine, "2024-12")) == 7


def test_period_labels() -> None:
    assert period_label("2024-06") == "Tháng 6/2024"
    assert period_label("2024-Q2") == "Quý II/2024"
    assert period_label("2024-H1") == "6 tháng đầu năm 2024"
    assert period_label("2024") == "Năm 2024"


# ---- command line ----


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_import_and_list(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "scores", "import", str(SAMPLE), "--db", sqlite_url, "--user", "Chị Lan")
    assert code == 0, err
    assert out.strip() == (
        "diem-766-mau.xlsx: đã nhập 42 điểm 766 công bố của 6 kỳ "
        "(07/2024, 08/2024, 09/2024, 10/2024, 11/2024, 12/2024), lần nhập #1"
    )
    assert score_uploads(open_engine(sqlite_url))["user_name"].tolist() == ["Chị Lan"]
    code, out, _ = run(
        capsys, "scores", "list", "--period", "12/2024", "--db", sqlite_url, "--format", "json"
    )
    assert code == 0
    records = json.loads(out)
    assert [r["group_code"] for r in records] == [*SIX_GROUPS, TOTAL]
    assert list(records[0]) == list(OFFICIAL_COLUMNS)
    sample = read_scores(SAMPLE).frame
    dec = sample[sample["period"] == "2024-12"]
    assert [r["points"] for r in records] == dec["points"].tolist()
    assert sum(r["rank"] is not None for r in records) == 1
    code, out, _ = run(capsys, "scores", "list", "--period", "2024-12", "--db", sqlite_url)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Điểm 766 công bố — Tháng 12/2024"
    assert lines[3].startswith("Tiến độ giải quyết")
    assert f"{dec['points'].iloc[1]:.2f}".replace(".", ",") in lines[3]
    code, out, _ = run(capsys, "scores", "list", "--db", sqlite_url)
    assert code == 0 and sum(line.startswith("Điểm 766 công bố") for line in out.splitlines()) == 6
    code, out, _ = run(capsys, "scores", "list", "--period", "2023-12", "--db", sqlite_url)
    assert code == 0 and out.strip() == "Chưa có điểm 766 công bố cho Tháng 12/2023"


def test_cli_refuses_with_every_error(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "diem.xlsx"
    bad.write_bytes(book([["06/2024", "Tiến độ giải quyết", 25], ["06/2024", "Nhóm 9", 3]]))
    code, out, err = run(capsys, "scores", "import", str(bad), "--db", sqlite_url)
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert sum(line.startswith("LỖI") for line in lines) == 2
    assert "dòng 2" in lines[0] and "Điểm" in lines[0]
    assert "dòng 3" in lines[1] and "Nhóm chỉ số" in lines[1]
    assert lines[-1] == "Từ chối: 2 lỗi; không có số liệu nào được lưu."
    assert score_uploads(open_engine(sqlite_url)).empty  # database unchanged
    code, _, err = run(capsys, "scores", "import", str(tmp_path / "none.xlsx"), "--db", sqlite_url)
    assert code == 1 and "không tìm thấy tệp" in err
    code, _, err = run(capsys, "scores", "list", "--period", "2024-13", "--db", sqlite_url)
    assert code == 2 and "2024-13" in err
    with pytest.raises(SystemExit) as exc:
        main(["scores", "import"])
    assert exc.value.code == 2
