"""Make the sample list of dossiers ``sample_data/ds-ho-so-2024-q2.xlsx`` (sheet ``DanhSachHoSo``).

One row per dossier of the second quarter of 2024 for the sample department, as a one-stop system
exports it (``dossier-list.md``): a title block, the period line ``Từ ngày 01/04/2024 đến ngày
30/06/2024``, then one dossier a row. Its figures are the sample's monthly figures
(:func:`sample_data.generate.make_rows`) for April–June 2024: importing the list in place of
``so-lieu-2024-04.xlsx`` … ``-06.xlsx`` gives, for every (month, unit, field), the same received by
channel, carried over, resolved early / on time / late, withdrawn, pending in time / overdue,
digitized, postal returns and payments, so ``python -m kpi report`` answers the same.

Per procedure the figures are the sample's too, except where the sample's invented monthly figures
cannot come from real dossiers: a dossier overdue at a month's end can only be resolved late,
withdrawn or stay overdue the next month. Where a procedure's month has fewer of those than its
overdue stock, one of its dossiers resolved early or on time (or pending in time) is swapped with a
late (or overdue) one of another procedure of the same unit and field, which keeps every (month,
unit, field) total (:func:`feasible_targets`). The dossiers open at the end of March (the April
carry-over) follow the sample's March split into in time and overdue.

A (unit, field) the sample gives as one row (no procedure code) takes its procedure from the sample
catalog (``danh-muc-tthc.xlsx``); two units have no procedure in that catalog (Phòng Kế hoạch – Tài
chính, Thanh tra Sở): their rows carry an illustrative code (:data:`OWN_PROCEDURES`), which the
procedure pages list as "not in the catalog".

``make_dossiers`` is deterministic (``random.Random(seed)`` only) and the workbook byte-stable.
Run ``python -m sample_data.make_dossiers`` to rewrite the file; ``--year/--months/--scale`` make
bigger lists (the import benchmark's).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from data_access.reporting_period import month_span
from data_access.texts import dossiers as T
from sample_data.generate import LINES, SAMPLE_DIR, make_rows, workbook_bytes
from sample_data.make_catalog import entries

LIST_FILE = SAMPLE_DIR / "ds-ho-so-2024-q2.xlsx"
QUARTER = ("2024-04", "2024-05", "2024-06")
TITLE = "DANH SÁCH HỒ SƠ THỦ TỤC HÀNH CHÍNH"
AGENCY = "Sở Giáo dục và Đào tạo (dữ liệu mẫu, giả lập)"
#: The (unit, field) pairs given as one row whose units have no procedure in the sample catalog.
OWN_PROCEDURES: dict[tuple[str, str], tuple[str, str]] = {
    ("Phòng Kế hoạch – Tài chính", "Giáo dục và Đào tạo thuộc hệ thống giáo dục quốc dân"): (
        "1.008999",
        "Cấp kinh phí hỗ trợ cơ sở giáo dục ngoài công lập (minh họa)",
    ),
    ("Thanh tra Sở", "Không phân lĩnh vực"): ("2.002999", "Giải quyết khiếu nại lần đầu (minh họa)"),
}
COLUMNS = (
    "dossier_code",
    "procedure_code",
    "procedure_name",
    "unit",
    "field",
    "channel",
    "online_full",
    "received_date",
    "due_date",
    "end_date",
    "status",
    "result_digitized",
    "dossier_digitized",
    "fee_required",
    "paid_online",
    "returned_postal",
)
OUTCOMES = ("resolved_early", "resolved_on_time", "resolved_late", "withdrawn", "pending_in_time")
YES, NO = "Có", "Không"
CHANNEL_WORDS = {"online": "Trực tuyến", "direct": "Trực tiếp", "postal": "Bưu chính công ích"}
STATUS_WORDS = {"resolved": "Đã giải quyết", "open": "Đang giải quyết", "withdrawn": "Rút hồ sơ"}

Key = tuple[str, str, str, str]  # unit, field, procedure code, procedure name


def _one_row_procedures() -> dict[tuple[str, str], tuple[str, str]]:
    """(unit, field) → (code, name): the catalog's first procedure of a pair given as one row."""
    out = dict(OWN_PROCEDURES)
    for e in entries():
        out.setdefault((e.unit, e.field), (e.code, e.name))
    return out


def _previous(month: str) -> str:
    y, m = int(month[:4]), int(month[5:])
    return f"{y - 1}-12" if m == 1 else f"{y}-{m - 1:02d}"


def monthly_targets(
    figures: pd.DataFrame, months: Sequence[str]
) -> tuple[dict[Key, dict[str, dict[str, int | None]]], dict[Key, tuple[int, int]]]:
    """The sample's figures per key and month (``months``), and each key's stock at the end of the
    month before (in time, overdue). A row without a procedure code takes its pair's procedure."""
    one_row = _one_row_procedures()
    targets: dict[Key, dict[str, dict[str, int | None]]] = {}
    start: dict[Key, tuple[int, int]] = {}
    before = _previous(months[0])
    for r in figures[figures["period"].isin([before, *months])].to_dict("records"):
        code, name = r["procedure_code"], r["procedure_name"]
        if code is None or pd.isna(code):
            code, name = one_row[(r["unit"], r["field"])]
        key = (r["unit"], r["field"], str(code), str(name))
        counts: dict[str, int | None] = {
            str(c): (None if pd.isna(v) else int(v)) for c, v in r.items() if c not in _TEXT
        }
        if r["period"] == before:
            start[key] = (int(counts["pending_in_time"] or 0), int(counts["pending_overdue"] or 0))
        else:
            targets.setdefault(key, {})[r["period"]] = counts
    return targets, start


_TEXT = ("period", "unit", "field", "procedure_code", "procedure_name")


def feasible_targets(
    targets: dict[Key, dict[str, dict[str, int | None]]],
    start: dict[Key, tuple[int, int]],
    months: Sequence[str],
) -> dict[Key, dict[str, dict[str, int | None]]]:
    """``targets`` changed, where needed, so that real dossiers can give them (see the module's note);
    every (month, unit, field) total, and every key's resolved and pending, stay as they were.
    ValueError when no swap within the pair can fix a month."""
    out = {k: {m: dict(c) for m, c in v.items()} for k, v in targets.items()}
    overdue = {k: start.get(k, (0, 0))[1] for k in out}
    for month in months:
        pairs: dict[tuple[str, str], list[Key]] = {}
        for k in out:
            pairs.setdefault((k[0], k[1]), []).append(k)
        for keys in pairs.values():

            def spare(k: Key, month: str = month) -> int:
                c = out[k][month]
                return (
                    int(c["resolved_late"] or 0)
                    + int(c["withdrawn"] or 0)
                    + int(c["pending_overdue"] or 0)
                    - overdue[k]
                )

            for k in keys:
                while spare(k) < 0:
                    c = out[k][month]
                    done = False
                    for j in keys:
                        d = out[j][month]
                        if j == k or spare(j) < 1:
                            continue
                        for part in ("resolved_on_time", "resolved_early"):
                            if int(c[part] or 0) > 0 and int(d["resolved_late"] or 0) > 0:
                                c[part] = int(c[part] or 0) - 1
                                c["resolved_late"] = int(c["resolved_late"] or 0) + 1
                                d["resolved_late"] = int(d["resolved_late"] or 0) - 1
                                d[part] = int(d[part] or 0) + 1
                                done = True
                                break
                        if (
                            not done
                            and int(c["pending_in_time"] or 0) > 0
                            and int(d["pending_overdue"] or 0) > 0
                        ):
                            c["pending_in_time"] = int(c["pending_in_time"] or 0) - 1
                            c["pending_overdue"] = int(c["pending_overdue"] or 0) + 1
                            d["pending_overdue"] = int(d["pending_overdue"] or 0) - 1
                            d["pending_in_time"] = int(d["pending_in_time"] or 0) + 1
                            done = True
                        if done:
                            break
                    if not done:
                        raise ValueError(f"no dossiers can give the figures of {k} in {month}")
        for k in out:
            overdue[k] = int(out[k][month]["pending_overdue"] or 0)
    return out


@dataclass
class _Dossier:
    key: Key
    channel: str
    full: str | None
    received: dt.datetime
    fee: str | None
    paid: str | None
    digitized: str
    due: dt.date | None = None  # fixed once known
    in_time_from: dt.date | None = None  # open and in time: the due date is on or after this day
    end: dt.date | None = None
    status: str = "open"
    result: str | None = None
    postal: str | None = None


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _at(rng: random.Random, day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, rng.randint(7, 16), rng.choice((0, 15, 30, 45)))


def _labels(counts: dict[str, int]) -> list[str]:
    return [name for name, n in counts.items() for _ in range(n)]


def _n(counts: dict[str, int | None], col: str) -> int:
    v = counts.get(col)
    return 0 if v is None else int(v)


def _fees(key_fee: bool) -> tuple[str, str | None]:
    return (YES, YES) if key_fee else (NO, None)


def make_dossiers(
    figures: pd.DataFrame | None = None, months: Sequence[str] = QUARTER, seed: int = 20240701
) -> list[_Dossier]:
    """The dossiers whose figures are ``figures`` (default: the sample's) for ``months``, plus those
    open at the start of the first month (received before it)."""
    rng = random.Random(seed)
    frame = make_rows() if figures is None else figures
    raw, start = monthly_targets(frame, months)
    targets = feasible_targets(raw, start, months)
    fee_of = {p.code: p.fee for line in LINES for p in line.procedures}
    pair_fee = {(line.unit, line.field): line.fee for line in LINES if not line.procedures}
    before_first, before_last = month_span(_previous(months[0]), None)
    out: list[_Dossier] = []
    for key in sorted(targets):
        fee = fee_of.get(key[2].split("-")[0], pair_fee.get((key[0], key[1]), False))
        open_in_time: list[_Dossier] = []
        open_overdue: list[_Dossier] = []
        in_time, late = start.get(key, (0, 0))
        for _ in range(in_time):  # open at the end of the month before, in time
            d = _Dossier(
                key, "direct", None, _at(rng, _day(rng, before_first, before_last)), *_fees(fee), YES
            )
            d.in_time_from = before_last
            open_in_time.append(d)
        for _ in range(late):  # open and overdue: received in the two months before, due before their end
            rec = _day(rng, before_first - dt.timedelta(days=28), before_last - dt.timedelta(days=3))
            d = _Dossier(key, "direct", None, _at(rng, rec), *_fees(fee), YES)
            d.due = _day(rng, rec, before_last - dt.timedelta(days=1))
            open_overdue.append(d)
        out.extend(open_in_time + open_overdue)
        for month in months:
            c = targets[key][month]
            first, last = month_span(month, None)
            # the new dossiers: channel, digitization, fees
            channels = _labels(
                {
                    "full": _n(c, "received_online_full"),
                    "partial": _n(c, "received_online_partial"),
                    "direct": _n(c, "received_direct"),
                    "postal": _n(c, "received_postal"),
                }
            )
            rng.shuffle(channels)
            new: list[_Dossier] = []
            for ch in channels:
                rec = _at(
                    rng, _day(rng, first, min(last - dt.timedelta(days=2), first + dt.timedelta(days=24)))
                )
                channel = "online" if ch in ("full", "partial") else ch
                full = (YES if ch == "full" else NO) if channel == "online" else None
                new.append(_Dossier(key, channel, full, rec, NO, None, NO))
            digitized = _n(c, "dossiers_digitized")
            for d in rng.sample(new, digitized):
                d.digitized = YES
            if c.get("payments_total") is None:  # the sample left the payment cells empty: one cell empty
                if not new:
                    raise ValueError(f"{key} {month}: unknown payments without a new dossier")
                new[0].fee, new[0].paid = None, None
            else:
                paying = rng.sample(new, _n(c, "payments_total"))
                for d in paying:
                    d.fee, d.paid = YES, NO
                for d in rng.sample(paying, _n(c, "payments_online")):
                    d.paid = YES
            # what becomes of each open dossier this month
            late_n, withdrawn_n, overdue_n = (
                _n(c, x) for x in ("resolved_late", "withdrawn", "pending_overdue")
            )
            fates: dict[int, str] = {}
            still_overdue: list[_Dossier] = []
            for d in open_overdue:  # overdue: late, withdrawn, or still overdue
                if late_n:
                    late_n -= 1
                    fate = "resolved_late"
                elif withdrawn_n:
                    withdrawn_n -= 1
                    fate = "withdrawn"
                else:
                    overdue_n -= 1
                    fate = "pending_overdue"
                fates[id(d)] = fate
            rest = open_in_time + new
            labels = _labels(
                {
                    "resolved_early": _n(c, "resolved_early"),
                    "resolved_on_time": _n(c, "resolved_on_time"),
                    "resolved_late": late_n,
                    "withdrawn": withdrawn_n,
                    "pending_in_time": _n(c, "pending_in_time"),
                    "pending_overdue": overdue_n,
                }
            )
            if len(labels) != len(rest) or overdue_n < 0:
                raise ValueError(f"{key} {month}: the figures do not balance")
            rng.shuffle(labels)
            for d, fate in zip(rest, labels, strict=True):
                fates[id(d)] = fate
            resolved: list[_Dossier] = []
            next_in_time: list[_Dossier] = []
            for d in open_overdue + rest:
                fate = fates[id(d)]
                rec = d.received.date()
                lo = max(rec, first)  # the earliest day it can end this month
                if fate == "pending_in_time":
                    d.in_time_from = last
                    next_in_time.append(d)
                    continue
                if fate == "pending_overdue":
                    if d.due is None:
                        floor = d.in_time_from or rec
                        d.due = _day(rng, floor, last - dt.timedelta(days=1))
                        d.in_time_from = None
                    still_overdue.append(d)
                    continue
                if fate == "resolved_late":
                    d.end = _day(rng, lo if d.due is not None else max(lo, rec + dt.timedelta(days=1)), last)
                    if d.due is None:
                        floor = d.in_time_from or rec
                        d.due = _day(rng, floor, d.end - dt.timedelta(days=1))
                else:
                    d.end = _day(rng, lo, last)
                    if d.due is None:
                        if fate == "resolved_early":
                            d.due = d.end + dt.timedelta(days=rng.randint(1, 10))
                        elif fate == "resolved_on_time":
                            d.due = d.end
                        else:  # withdrawn: any due date the dossier had
                            d.due = max(d.in_time_from or rec, rec + dt.timedelta(days=rng.randint(5, 20)))
                d.in_time_from = None
                d.status = "withdrawn" if fate == "withdrawn" else "resolved"
                if d.status == "resolved":
                    d.result, d.postal = NO, NO
                    resolved.append(d)
            for d in rng.sample(resolved, _n(c, "results_digitized")):
                d.result = YES
            for d in rng.sample(resolved, _n(c, "returned_postal")):
                d.postal = YES
            out.extend(new)
            open_in_time, open_overdue = next_in_time, still_overdue
        for d in open_in_time:  # open after the last month, in time at its end
            assert d.in_time_from is not None
            d.due = d.in_time_from + dt.timedelta(days=rng.randint(0, 15))
    out.sort(key=lambda d: (d.received, d.key))
    return out


def _rows(dossiers: Sequence[_Dossier]) -> list[list[object]]:
    seq: dict[dt.date, int] = {}
    rows: list[list[object]] = []
    for d in dossiers:
        day = d.received.date()
        seq[day] = seq.get(day, 0) + 1
        code = f"000.00.29.H29-{day:%y%m%d}-{seq[day]:04d}"
        unit, field, proc, name = d.key
        rows.append(
            [
                code,
                proc,
                name,
                unit,
                field,
                CHANNEL_WORDS[d.channel],
                d.full,
                d.received,
                d.due,
                d.end,
                STATUS_WORDS[d.status],
                d.result,
                d.digitized,
                d.fee,
                d.paid,
                d.postal,
            ]
        )
    return rows


def list_bytes(dossiers: Sequence[_Dossier], months: Sequence[str] = QUARTER) -> bytes:
    """The workbook of a list: title block, period line, header, one dossier a row (dates as Excel dates)."""
    first, _ = month_span(months[0], None)
    _, last = month_span(months[-1], None)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(T.SHEET_NAME)
    ws.append([TITLE])
    ws.append([AGENCY])
    ws.append([f"Từ ngày {first:%d/%m/%Y} đến ngày {last:%d/%m/%Y}"])
    ws.append([])
    ws.append([T.HEADERS[c][0] for c in COLUMNS])
    for row in _rows(dossiers):
        cells: list[object] = []
        for value in row:
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(ws, value=value)  # type: ignore[arg-type]  # openpyxl takes dates
                cell.number_format = "dd/mm/yyyy hh:mm" if isinstance(value, dt.datetime) else "dd/mm/yyyy"
                cells.append(cell)
            else:
                cells.append(value)
        ws.append(cells)
    return workbook_bytes(wb, "sample_data.make_dossiers")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sample_data.make_dossiers", description="Tạo danh sách hồ sơ mẫu."
    )
    parser.add_argument("--year", type=int, default=2024, help="năm (mặc định 2024)")
    parser.add_argument("--months", default="4-6", help="các tháng, dạng 4-6 (mặc định quý 2)")
    parser.add_argument("--scale", type=int, default=1, help="hệ số nhân số TTHC (mặc định 1)")
    parser.add_argument("--out", type=Path, default=LIST_FILE, help="tệp ghi ra")
    args = parser.parse_args(argv)
    lo, hi = (int(x) for x in args.months.split("-"))
    months = [f"{args.year}-{m:02d}" for m in range(lo, hi + 1)]
    # the sample's own years (its random draws run from January 2023), or on to a later year
    figures = make_rows(2023, max(2024, args.year), scale=args.scale)
    data = list_bytes(make_dossiers(figures, months), months)
    if not args.out.exists() or args.out.read_bytes() != data:
        args.out.write_bytes(data)
    print(f"Đã ghi danh sách hồ sơ vào {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
