"""The database sums (SqlFigures) equal the pandas engine on the same data, on SQLite and PostgreSQL."""

from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa

from data_access.aggregate import SqlFigures
from data_access.bootstrap import sample_files
from data_access.store import import_files, load_figures
from kpi.engine import aggregate, kpi_table, monthly_series, project_year_end
from kpi.targets import load_targets
from tests.helpers import ROOT
from tests.workbooks import canonical_records

PLAN = load_targets(ROOT / "targets.toml")


@pytest.fixture
def loaded(engine: sa.Engine) -> sa.Engine:
    files = [f for f in sample_files() if f.name >= "so-lieu-2024-01"]
    assert import_files(engine, files).ok
    return engine


@pytest.mark.parametrize(
    "by",
    [(), ("unit",), ("field",), ("unit", "field"), ("period", "unit"), ("unit", "field", "procedure_code")],
)
@pytest.mark.parametrize("start,end", [("2024-06", "2024-06"), ("2024-01", "2024-06")])
def test_sql_sums_equal_pandas(loaded: sa.Engine, by: tuple[str, ...], start: str, end: str) -> None:
    frame = load_figures(loaded)
    sql = SqlFigures(loaded)
    expected = aggregate(frame, PLAN, start=start, end=end, by=by)
    got = aggregate(sql, PLAN, start=start, end=end, by=by)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_filters_and_replaced_uploads(loaded: sa.Engine) -> None:
    unit = "Phòng Giáo dục Trung học"
    # a new upload replaces June for that unit: the database sums must follow the latest upload only
    data = canonical_records(
        [
            {
                "period": "06/2024",
                "unit": unit,
                "field": "Giáo dục trung học",
                "received_online_full": 9,
                "received_online_partial": 0,
                "received_direct": 1,
                "received_postal": 0,
            }
        ]
    )
    assert import_files(loaded, [("thay-the.xlsx", data)]).ok
    frame = load_figures(loaded)
    scoped = frame[frame["unit"] == unit]
    sql = SqlFigures(loaded).where(units=[unit])
    a = kpi_table(sql, PLAN, period="2024-06", by=["field"])
    b = kpi_table(scoped, PLAN, period="2024-06", by=["field"])
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    row = a[(a["kpi"] == "online_full")].iloc[0]
    # 9 online-full of 9 + 0 + 1 + 0 = 10 new dossiers
    assert (row["numerator"], row["denominator"]) == (9, 10)
    assert len(a[a["kpi"] == "online_full"]) == 1  # the other June fields of the unit are replaced


def test_series_and_projection_from_sql(loaded: sa.Engine) -> None:
    frame = load_figures(loaded)
    sql = SqlFigures(loaded)
    pd.testing.assert_frame_equal(
        monthly_series(sql, PLAN, year=2024, by=["unit"]),
        monthly_series(frame, PLAN, year=2024, by=["unit"]),
        check_dtype=False,
    )
    pd.testing.assert_frame_equal(
        project_year_end(sql, PLAN, period="2024-09"),
        project_year_end(frame, PLAN, period="2024-09"),
        check_dtype=False,
    )
    assert sql.months()[0] == "2024-01" and len(sql.months()) == 12
    assert "Thanh tra Sở" in sql.unit_names()
    names = sql.procedure_names("2024-06", "2024-06")
    assert names["1.005092"] == "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc"


def test_empty_database_gives_no_data(engine: sa.Engine) -> None:
    t = kpi_table(SqlFigures(engine), PLAN, period="2024-06")
    assert list(t["status"].unique()) == ["no_data"]
    assert len(t) == len(PLAN.kpis)
