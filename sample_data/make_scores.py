"""Make the sample official 766 scores ``sample_data/diem-766-mau.xlsx`` (sheet ``Diem766``).

What the national portal might have published for the sample department, July–December 2024: the
six groups, the total and the department's rank among the province's agencies. The groups the
department's figures give in part follow the sample figures (``generate.make_rows``), as the portal's
own counts would, a little apart from them (the portal counts the dossiers synchronised to it):

- Tiến độ giải quyết: 20 × (early + on time + pending in time) / (resolved + pending) of the month,
  less 0–0,6 points;
- Thanh toán trực tuyến: 6 × online payments / payments, plus component B and the rest, believable;
- Số hóa hồ sơ: 6 × results digitized / resolved + 4 × dossiers digitized / new dossiers, plus the
  12 points of data reuse, believable;

the other groups (publication, online services, satisfaction) are believable values near the top.
Not the department's real scores. Run ``python -m sample_data.make_scores`` to rewrite the file;
equal content gives equal bytes.
"""

from __future__ import annotations

import argparse
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from data_access.official_scores import GROUP_MAX, SAMPLE_SCORES, SIX_GROUPS, TOTAL
from data_access.texts.official_scores import GROUP_NAMES, SCORES_HEADERS, SCORES_SHEET
from sample_data.generate import SAMPLE_DIR, make_rows, workbook_bytes

SCORES_FILE = SAMPLE_DIR / SAMPLE_SCORES
MONTHS: tuple[str, ...] = tuple(f"2024-{m:02d}" for m in range(7, 13))
SEED = 766_2024
#: Agencies of the province ranked by the portal (the department's rank is among them).
AGENCIES = 21
TITLE = "Điểm Bộ chỉ số 766 do Cổng Dịch vụ công quốc gia công bố — Sở Giáo dục và Đào tạo (dữ liệu mẫu)"


@dataclass(frozen=True)
class MonthScores:
    period: str  # YYYY-MM
    points: dict[str, float]  # group code → points (two decimals), the total included
    rank: int


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def _sums(frame: pd.DataFrame, month: str) -> dict[str, float]:
    """The department's figures of one month (an unknown cell left out of its sum)."""
    m = frame[frame["period"] == month]

    def total(*cols: str) -> float:
        return float(sum(m[c].sum(skipna=True) for c in cols))

    return {
        "timely": total("resolved_early", "resolved_on_time", "pending_in_time"),
        "resolved": total("resolved_early", "resolved_on_time", "resolved_late"),
        "pending": total("pending_in_time", "pending_overdue"),
        "payments_online": total("payments_online"),
        "payments_total": total("payments_total"),
        "results_digitized": total("results_digitized"),
        "dossiers_digitized": total("dossiers_digitized"),
        "received_new": total(
            "received_online_full", "received_online_partial", "received_direct", "received_postal"
        ),
    }


def _points(value: float, group: str) -> float:
    """Points as the portal shows them: two decimals, within 0 … the group's maximum."""
    return round(min(max(value, 0.0), GROUP_MAX[group]), 2)


def scores(seed: int = SEED) -> list[MonthScores]:
    """The sample scores, one :class:`MonthScores` per month of :data:`MONTHS`."""
    rng = random.Random(seed)
    frame = make_rows(2024, 2024)
    out: list[MonthScores] = []
    for month in MONTHS:
        s = _sums(frame, month)
        progress = 20 * _ratio(s["timely"], s["resolved"] + s["pending"]) - rng.uniform(0.0, 0.6)
        payment = (
            6 * _ratio(s["payments_online"], s["payments_total"])
            + 2 * min(1.0, 2.5 * rng.uniform(0.70, 0.86))
            + rng.uniform(1.0, 1.8)
        )
        digitization = (
            6 * _ratio(s["results_digitized"], s["resolved"])
            + 4 * _ratio(s["dossiers_digitized"], s["received_new"])
            + rng.uniform(5.0, 8.0)
        )
        points = {
            "i766.publicity": _points(rng.uniform(15.5, 17.8), "i766.publicity"),
            "i766.progress": _points(progress, "i766.progress"),
            "i766.online": _points(rng.uniform(8.5, 10.8), "i766.online"),
            "i766.payment": _points(payment, "i766.payment"),
            "i766.satisfaction": _points(rng.uniform(15.8, 17.9), "i766.satisfaction"),
            "i766.digitization": _points(digitization, "i766.digitization"),
        }
        points[TOTAL] = round(math.fsum(points[g] for g in SIX_GROUPS), 2)
        out.append(MonthScores(month, points, rng.randint(3, 9)))
    return out


def scores_bytes(seed: int = SEED) -> bytes:
    """The workbook: a title row, a blank row, the header (Kỳ, Nhóm chỉ số, Điểm tối đa, Điểm, Xếp hạng),
    seven rows a month (six groups and the total, the rank on the total), periods as text MM/YYYY."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SCORES_SHEET
    ws.append([TITLE])
    ws.append([])
    ws.append([SCORES_HEADERS[c] for c in ("period", "group", "max_points", "points", "rank")])
    for month in scores(seed):
        shown = f"{month.period[5:]}/{month.period[:4]}"
        for group in (*SIX_GROUPS, TOTAL):
            rank = month.rank if group == TOTAL else None
            ws.append([shown, GROUP_NAMES[group], GROUP_MAX[group], month.points[group], rank])
    for row in ws.iter_rows(min_row=4, max_col=1):
        for cell in row:
            cell.number_format = "@"
    for row in ws.iter_rows(min_row=4, min_col=3, max_col=4):
        for cell in row:
            cell.number_format = "0.00"
    ws.freeze_panes = "A4"
    for letter, width in (("A", 10), ("B", 28), ("C", 12), ("D", 10), ("E", 10)):
        ws.column_dimensions[letter].width = width
    return workbook_bytes(wb, "sample_data.make_scores")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sample_data.make_scores", description="Tạo bảng điểm 766 công bố mẫu."
    )
    parser.add_argument(
        "--out", type=Path, default=SCORES_FILE, help="tệp ghi ra (mặc định sample_data/diem-766-mau.xlsx)"
    )
    args = parser.parse_args(argv)
    data = scores_bytes()
    if not args.out.exists() or args.out.read_bytes() != data:
        args.out.write_bytes(data)
    print(f"Đã ghi điểm 766 của {len(MONTHS)} tháng vào {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
