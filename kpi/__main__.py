"""Command line: ``python -m kpi report`` (see ``interfaces.md``: KPI report).

Exit codes: 0 done; 1 refused with a message (unknown period, malformed targets file, empty or
unreachable database); 2 wrong usage. The one place in ``kpi`` that loads from the database.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from collections.abc import Sequence

import pandas as pd

from data_access.cli_vi import VietnameseArgumentParser, add_db_option, add_format_option
from kpi.engine import kpi_table
from kpi.targets import Plan, TargetsError, load_targets
from vnfmt import fmt_int, fmt_month_in, fmt_pct, fmt_points

STATUS_VI = {"met": "Đạt", "near": "Gần đạt", "below": "Chưa đạt", "no_data": "Chưa có số liệu"}
BY_CHOICES = ("unit", "field")


def _period(text: str) -> str:
    t = text.strip()
    if len(t) == 7 and t[4] == "-" and t[:4].isdigit() and t[5:].isdigit() and 1 <= int(t[5:]) <= 12:
        return t
    raise argparse.ArgumentTypeError(f"kỳ báo cáo '{text}' không hợp lệ: cần dạng YYYY-MM, ví dụ 2024-06")


def _by(text: str) -> list[str]:
    keys = [k.strip() for k in text.split(",") if k.strip()]
    if not keys or any(k not in BY_CHOICES for k in keys) or len(set(keys)) != len(keys):
        raise argparse.ArgumentTypeError(f"'{text}' không hợp lệ: dùng unit, field hoặc unit,field")
    return keys


def build_parser() -> argparse.ArgumentParser:
    p = VietnameseArgumentParser(prog="python -m kpi", description="Tính các chỉ tiêu DVCTT so với kế hoạch")
    sub = p.add_subparsers(dest="command", required=True, metavar="LỆNH", help="một trong các lệnh sau")
    rep = sub.add_parser("report", help="bảng KPI của một tháng hoặc lũy kế từ đầu năm",
                         description="Bảng KPI của một tháng hoặc lũy kế từ đầu năm, so với chỉ tiêu")
    rep.add_argument("--period", required=True, type=_period, metavar="YYYY-MM", help="tháng báo cáo")
    rep.add_argument("--ytd", action="store_true", help="lũy kế từ tháng 1 đến tháng báo cáo")
    rep.add_argument("--by", type=_by, default=[], metavar="NHÓM",
                     help="nhóm theo đơn vị, lĩnh vực hoặc cả hai: unit, field hoặc unit,field")
    add_db_option(rep)
    rep.add_argument("--targets", metavar="TỆP", help="tệp chỉ tiêu (mặc định: TARGETS_FILE hoặc targets.toml)")
    add_format_option(rep, "table", "json", "csv")
    return p


# ---------------------------------------------------------------------------- output


def _num(x: object) -> float | None:
    if x is None or x is pd.NA:
        return None
    v = float(x)  # type: ignore[arg-type]
    return None if math.isnan(v) else v


def _int(x: object) -> int | None:
    return None if x is None or x is pd.NA else int(x)  # type: ignore[call-overload]


def records(table: pd.DataFrame, by: Sequence[str]) -> list[dict[str, object]]:
    """The JSON objects of ``interfaces.md``: one per KPI and group."""
    out = []
    for r in table.to_dict("records"):
        rec: dict[str, object] = {"kpi": r["kpi"], "label": r["label"]}
        for k in by:
            rec[k] = None if pd.isna(r[k]) else str(r[k])
        rec.update(
            numerator=_int(r["numerator"]),
            denominator=_int(r["denominator"]),
            value=_num(r["value"]),
            target=_num(r["target"]),
            gap=_num(r["gap"]),
            shortfall=_int(r["shortfall"]),
            status=r["status"],
            rows=int(r["rows"]),
            rows_missing=int(r["rows_missing"]),
        )
        out.append(rec)
    return out


def _count(x: object) -> str:
    return fmt_int(x)


def _points(x: object) -> str:
    return fmt_points(x, sign=True).removesuffix(" điểm %")


def render_table(recs: list[dict[str, object]], by: Sequence[str], title: str) -> str:
    """A plain-text table in Vietnamese."""
    headers = ["KPI", *(["Đơn vị"] if "unit" in by else []), *(["Lĩnh vực"] if "field" in by else []),
               "Tử số", "Mẫu số", "Tỷ lệ", "Chỉ tiêu", "Chênh (điểm)", "Còn thiếu", "Trạng thái", "Dòng thiếu số liệu"]
    rows = []
    for r in recs:
        rows.append([
            str(r["label"]),
            *([str(r["unit"] or "")] if "unit" in by else []),
            *([str(r["field"] or "")] if "field" in by else []),
            _count(r["numerator"]), _count(r["denominator"]),
            fmt_pct(r["value"]), fmt_pct(r["target"]), _points(r["gap"]),
            _count(r["shortfall"]), STATUS_VI.get(str(r["status"]), str(r["status"])),
            _count(r["rows_missing"]),
        ])
    left = {0, *range(1, 1 + len(by)), len(headers) - 2}  # text columns; numbers are right-aligned
    widths = [max([len(h), *(len(row[i]) for row in rows)]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i in left else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    out = [title, line(headers), "  ".join("-" * w for w in widths)]
    out += [line(row) for row in rows]
    return "\n".join(out)


def render_csv(recs: list[dict[str, object]]) -> str:
    buf = io.StringIO()
    if recs:
        writer = csv.DictWriter(buf, fieldnames=list(recs[0]), lineterminator="\n")
        writer.writeheader()
        for r in recs:
            writer.writerow({k: "" if v is None else v for k, v in r.items()})
    return buf.getvalue()


# ---------------------------------------------------------------------------- command


class _Refused(Exception):
    """A refusal with a Vietnamese message: exit 1."""


def _load(args: argparse.Namespace) -> tuple[pd.DataFrame, Plan]:
    from data_access.catalog import load_catalog
    from data_access.settings import database_url, targets_path
    from data_access.store import StoreError, load_figures, open_engine

    try:
        plan = load_targets(targets_path(args.targets), unit_resolver=load_catalog().units.match)
    except TargetsError as exc:
        raise _Refused(str(exc)) from exc
    start = f"{args.period[:4]}-01" if args.ytd else args.period
    try:
        engine = open_engine(database_url(args.db))
        figures = load_figures(engine, start, args.period)
        if not (figures["period"] == args.period).any():
            everything = load_figures(engine)
            if everything.empty:
                raise _Refused("Cơ sở dữ liệu chưa có số liệu nào. Hãy nhập số liệu trước: "
                               "python -m data_access import TỆP.xlsx")
            months = sorted(set(everything["period"]))
            raise _Refused(f"Không có số liệu {fmt_month_in(args.period)}: cơ sở dữ liệu có số liệu "
                           f"từ {fmt_month_in(months[0])} đến {fmt_month_in(months[-1])} "
                           f"({len(months)} tháng).")
    except StoreError as exc:
        raise _Refused(str(exc)) from exc
    return figures, plan


def _report(args: argparse.Namespace) -> int:
    figures, plan = _load(args)
    table = kpi_table(figures, plan, period=args.period, ytd=args.ytd, by=args.by)
    recs = records(table, args.by)
    if args.format == "json":
        print(json.dumps(recs, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        sys.stdout.write(render_csv(recs))
    else:
        span = (f"lũy kế từ tháng 1 đến {fmt_month_in(args.period)}" if args.ytd
                else fmt_month_in(args.period))
        print(render_table(recs, args.by, f"{plan.name} — {span}"))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return {"report": _report}[args.command](args)
    except _Refused as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
