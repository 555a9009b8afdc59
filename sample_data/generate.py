"""Make the sample figures: a believable two years of monthly data for the dashboard.

The figures are invented but shaped like a Sở GD&ĐT's one-stop statistics:

* one row = month × unit × field, optionally × procedure (the grain of ``data-contract.md``);
  a (unit, field) pair is either broken down by procedure or given as one row, never both,
  so rows are additive;
* every key appears every month, so the stock of open dossiers carries over: a month's
  ``carried_over`` is the previous month's ``pending_in_time + pending_overdue`` and the
  books balance (received_new + carried_over = resolved + pending + withdrawn);
* the online-full share rises through each year and from year to year, with the primary-school
  unit clearly behind and the secondary-school unit near the 90 % target late in 2024;
  online payments lag the 45 % target; on time, digitization and postal shares sit where
  provincial reports usually put them;
* a handful of rows of fee-free procedures leave the payment cells empty (unknown).

Procedure names follow the provincial education procedures published on the national portal;
the codes have the portal's format (``1.005092``) but, apart from ``1.005092``, are illustrative.

``make_rows`` is pure and deterministic (``random.Random(seed)`` only); ``write_workbooks``
writes one canonical-template workbook per month, byte-stable across runs. Run
``python -m sample_data.generate`` to regenerate ``sample_data/so-lieu-YYYY-MM.xlsx``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import math
import random
import sys
import tomllib
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as ``python sample_data/generate.py``: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from data_access.catalog import load_catalog
from data_access.columns import HEADERS, PART_COLUMNS, TEMPLATE_COLUMNS

SAMPLE_DIR = Path(__file__).resolve().parent
FILE_PATTERN = "so-lieu-{period}.xlsx"
SHEET_DATA = "SoLieu"
SHEET_NOTE = "HuongDan"
#: Fixed timestamp written into the workbooks (document properties and zip entries).
FIXED_TIME = dt.datetime(2025, 1, 1, 0, 0, 0)
TEXT_OUT_COLUMNS: tuple[str, ...] = ("period", "unit", "field", "procedure_code", "procedure_name")

# Seasonal multipliers of new dossiers, January … December.
SEASONS: dict[str, tuple[float, ...]] = {
    # most procedures: a quiet Tết (February), a busier summer
    "normal": (1.0, 0.75, 1.0, 1.0, 1.05, 1.3, 1.5, 1.4, 1.15, 0.95, 0.95, 0.95),
    # exams and admissions: registration in spring, results and appeals in June–August
    "exam": (0.4, 0.3, 0.6, 1.2, 1.6, 1.8, 2.4, 1.4, 0.7, 0.5, 0.5, 0.6),
    # school transfers, copies of diplomas: the summer between school years
    "summer": (0.8, 0.6, 0.8, 0.8, 0.9, 1.5, 2.0, 2.2, 1.3, 0.8, 0.7, 0.7),
    # administrative procedures: flat but for Tết
    "steady": (1.0, 0.8, 1.0, 1.0, 1.0, 1.05, 1.1, 1.1, 1.05, 1.0, 1.0, 1.0),
}

#: Yearly growth of the number of dossiers.
GROWTH_PER_YEAR = 1.05
#: Year in which the unit profiles below are anchored (t = 0 in January of this year).
ANCHOR_YEAR = 2023


@dataclass(frozen=True)
class UnitProfile:
    """How a unit performs: shares at January of ANCHOR_YEAR and their rise per year."""

    name: str
    online_full: float
    online_full_rise: float
    payment: float
    payment_rise: float
    on_time: float


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    volume: float  # mean new dossiers a month, January of ANCHOR_YEAR, before the season
    fee: bool  # whether the procedure charges a fee (phí, lệ phí)


@dataclass(frozen=True)
class Line:
    """A (unit, field) pair: broken down by procedure, or one row with its own volume."""

    unit: str
    field: str
    season: str
    procedures: tuple[Procedure, ...] = ()
    volume: float = 0.0
    fee: bool = False


UNITS: tuple[UnitProfile, ...] = (
    UnitProfile("Phòng Giáo dục Mầm non và Giáo dục Tiểu học", 0.38, 0.12, 0.12, 0.08, 0.95),
    UnitProfile("Phòng Giáo dục Trung học", 0.66, 0.145, 0.25, 0.12, 0.97),
    UnitProfile("Phòng Giáo dục Thường xuyên, Giáo dục Nghề nghiệp và Đại học", 0.55, 0.11, 0.18, 0.09, 0.95),
    UnitProfile("Phòng Quản lý chất lượng", 0.62, 0.10, 0.22, 0.10, 0.96),
    UnitProfile("Phòng Tổ chức – Hành chính", 0.58, 0.10, 0.20, 0.09, 0.94),
    UnitProfile("Phòng Kế hoạch – Tài chính", 0.35, 0.10, 0.15, 0.07, 0.92),
    UnitProfile("Thanh tra Sở", 0.45, 0.10, 0.10, 0.06, 0.93),
)

LINES_FILE = SAMPLE_DIR / "lines.toml"


def load_lines(path: Path = LINES_FILE) -> tuple[Line, ...]:
    """The (unit, field) lines of ``lines.toml``, in file order."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))["line"]
    return tuple(
        Line(
            r["unit"],
            r["field"],
            r["season"],
            tuple(
                Procedure(code, name, float(volume), bool(fee))
                for code, name, volume, fee in r.get("procedures", ())
            ),
            float(r.get("volume", 0.0)),
            bool(r.get("fee", False)),
        )
        for r in raw
    )


LINES: tuple[Line, ...] = load_lines()

#: Chance that a row of a fee-free procedure has its payment cells left empty (unknown).
PAYMENT_UNKNOWN_CHANCE = 0.015


@dataclass(frozen=True)
class _Key:
    """One series of rows: a (unit, field, procedure) with its fixed traits."""

    unit: UnitProfile
    field: str
    season: tuple[float, ...]
    code: str | None
    name: str | None
    volume: float
    fee: bool
    online_offset: float
    payment_offset: float
    partial_share: float
    postal_share: float
    fee_ratio: float


def _keys(rng: random.Random, scale: int) -> list[_Key]:
    units = {u.name: u for u in UNITS}
    keys: list[_Key] = []
    for line in LINES:
        unit = units[line.unit]
        if line.procedures:
            items = [
                (
                    p.code if k == 1 else f"{p.code}-{k}",
                    p.name if k == 1 else f"{p.name} (mẫu {k})",
                    p.volume,
                    p.fee,
                )
                for k in range(1, scale + 1)
                for p in line.procedures
            ]
        else:
            items = [(None, None, line.volume, line.fee)]
        for code, name, volume, fee in items:
            keys.append(
                _Key(
                    unit=unit,
                    field=line.field,
                    season=SEASONS[line.season],
                    code=code,
                    name=name,
                    volume=volume,
                    fee=fee,
                    online_offset=rng.uniform(-0.05, 0.05),
                    payment_offset=rng.uniform(-0.04, 0.04),
                    partial_share=rng.uniform(0.35, 0.55),
                    postal_share=rng.uniform(0.05, 0.15),
                    fee_ratio=rng.uniform(0.7, 0.95) if code else rng.uniform(0.4, 0.6),
                )
            )
    return keys


def _count(rng: random.Random, mean: float) -> int:
    """A whole number of dossiers around ``mean`` (Poisson for small means, normal above)."""
    mean = max(mean, 0.0)
    if mean < 30:
        limit, k, p = math.exp(-mean), 0, rng.random()
        while p > limit:
            k += 1
            p *= rng.random()
        return k
    return max(0, round(rng.gauss(mean, math.sqrt(mean))))


def _share(rng: random.Random, whole: int, share: float) -> int:
    """``whole × share`` rounded up or down at random (unbiased even for small counts), within 0…whole."""
    exact = whole * _clamp(share, 0.0, 1.0)
    low = math.floor(exact)
    return min(whole, low + (1 if rng.random() < exact - low else 0))


def _clamp(x: float, lo: float, hi: float) -> float:
    return min(max(x, lo), hi)


def _check_catalog() -> None:
    catalog = load_catalog()
    units, fields = set(catalog.units.names), set(catalog.fields.names)
    for line in LINES:
        if line.unit not in units or line.field not in fields:
            raise ValueError(f"sample unit/field not in the catalog: {line.unit!r} / {line.field!r}")


def make_rows(
    start_year: int = 2023, end_year: int = 2024, scale: int = 1, seed: int = 20240601
) -> pd.DataFrame:
    """Return monthly sample figures for January ``start_year`` … December ``end_year``.

    Columns: ``period`` ('YYYY-MM'), ``unit``, ``field``, ``procedure_code``, ``procedure_name``
    (``None`` on rows not broken down by procedure) and every code of ``PART_COLUMNS`` as ``Int64``.
    At ``scale`` 1 there are 41 rows a month (36 procedure rows, 5 one-row pairs).

    ``scale`` multiplies the number of procedures of every pair that is broken down by procedure
    (copies get codes ``<code>-k`` and names ``… (mẫu k)``, each with the dossier volume of its
    original); one-row pairs stay one row. Rows a month = 36 × scale + 5, so
    ``make_rows(2015, 2024, scale=2)`` is about 9.4 × the default and ``scale=5`` about 22.6 ×.
    """
    if end_year < start_year:
        raise ValueError("end_year must not be before start_year")
    if scale < 1:
        raise ValueError("scale must be at least 1")
    _check_catalog()
    rng = random.Random(seed)
    keys = _keys(rng, scale)
    stock: list[tuple[int, int]] = [(-1, -1)] * len(keys)  # (pending_in_time, pending_overdue) at month end
    text_rows: list[tuple[str, str, str, str | None, str | None]] = []
    counts: list[list[int | None]] = []

    for year in range(start_year, end_year + 1):
        for month in range(1, 13):
            period = f"{year:04d}-{month:02d}"
            t = (year - ANCHOR_YEAR) + (month - 1) / 12
            growth = GROWTH_PER_YEAR**t
            for i, key in enumerate(keys):
                u = key.unit
                if stock[i][0] < 0:  # first month: a small starting stock of open dossiers
                    carried = _count(rng, key.volume * rng.uniform(0.1, 0.3))
                else:
                    carried = stock[i][0] + stock[i][1]
                new = _count(rng, key.volume * key.season[month - 1] * growth * rng.uniform(0.9, 1.1))

                share_full = _clamp(
                    u.online_full + u.online_full_rise * t + key.online_offset + rng.uniform(-0.03, 0.03),
                    0.01,
                    0.97,
                )
                online_full = _share(rng, new, share_full)
                rest = new - online_full
                postal = min(rest, _share(rng, new, key.postal_share))
                partial = _share(rng, rest - postal, key.partial_share)
                direct = rest - postal - partial

                available = new + carried
                withdrawn = _share(rng, available, rng.uniform(0.0, 0.02))
                resolved = _share(rng, available - withdrawn, rng.uniform(0.80, 0.92))
                pending = available - withdrawn - resolved
                pending_overdue = _share(rng, pending, rng.uniform(0.0, 0.10))
                pending_in_time = pending - pending_overdue
                stock[i] = (pending_in_time, pending_overdue)

                on_time_share = _clamp(u.on_time + 0.01 * t + rng.uniform(-0.025, 0.025), 0.85, 1.0)
                late = resolved - _share(rng, resolved, on_time_share)
                early = _share(rng, resolved - late, rng.uniform(0.40, 0.65))
                on_time = resolved - late - early

                returned_postal = _share(rng, resolved, rng.uniform(0.06, 0.18))
                results_digitized = _share(
                    rng, resolved, _clamp(0.93 + 0.02 * t + rng.uniform(-0.015, 0.015), 0.90, 0.99)
                )
                dossiers_digitized = _share(
                    rng, new, _clamp(0.80 + 0.04 * t + rng.uniform(-0.03, 0.03), 0.78, 0.95)
                )

                payments_total: int | None
                payments_online: int | None
                if key.fee:
                    payments_total = _share(rng, new, key.fee_ratio)
                    pay_share = _clamp(
                        u.payment + u.payment_rise * t + key.payment_offset + rng.uniform(-0.03, 0.03),
                        0.0,
                        0.95,
                    )
                    payments_online = _share(rng, payments_total, pay_share)
                elif rng.random() < PAYMENT_UNKNOWN_CHANCE:
                    payments_total = payments_online = None  # the office left the cells empty
                else:
                    payments_total = payments_online = 0

                text_rows.append((period, u.name, key.field, key.code, key.name))
                counts.append(
                    [
                        online_full,
                        partial,
                        direct,
                        postal,
                        carried,
                        early,
                        on_time,
                        late,
                        pending_in_time,
                        pending_overdue,
                        withdrawn,
                        returned_postal,
                        results_digitized,
                        dossiers_digitized,
                        payments_total,
                        payments_online,
                    ]
                )

    frame = pd.DataFrame(text_rows, columns=list(TEXT_OUT_COLUMNS), dtype=object)
    for j, code in enumerate(PART_COLUMNS):
        frame[code] = pd.array([row[j] for row in counts], dtype="Int64")
    return frame


class _FixedTimeZip(zipfile.ZipFile):
    """A zip archive whose entries all carry FIXED_TIME, so equal content gives equal bytes."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):  # type: ignore[override]
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):  # type: ignore[override]
        # openpyxl writes worksheets from temporary files, whose mtime would leak into the archive
        self.writestr(str(arcname or filename), Path(filename).read_bytes(), compress_type, compresslevel)


def workbook_bytes(wb: Workbook, creator: str) -> bytes:
    """``wb`` saved as .xlsx bytes that depend only on its content: the properties and every zip entry
    carry FIXED_TIME, so a generator run twice writes the same file (``creator``: the module writing it)."""
    wb.properties.creator = creator
    wb.properties.lastModifiedBy = creator
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    with _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    return buffer.getvalue()


def _cell(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value) if not isinstance(value, str) else value


def _workbook_bytes(month: pd.DataFrame, period: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_DATA
    ws.append([HEADERS[code] for code in TEMPLATE_COLUMNS])
    shown = f"{period[5:7]}/{period[:4]}"
    for record in month.itertuples(index=False):
        values = record._asdict()
        ws.append([shown if code == "period" else _cell(values[code]) for code in TEMPLATE_COLUMNS])
    ws.freeze_panes = "A2"
    for letter, width in (("A", 11), ("B", 44), ("C", 34), ("D", 11), ("E", 60)):
        ws.column_dimensions[letter].width = width
    note = wb.create_sheet(SHEET_NOTE)
    note.append(
        [
            f"Dữ liệu mẫu (giả lập) tháng {shown}. Mỗi dòng: một tháng × một đơn vị × một lĩnh vực "
            "(× một TTHC). Ô trống = chưa có số liệu."
        ]
    )
    return workbook_bytes(wb, "sample_data.generate")


def write_workbooks(frame: pd.DataFrame, out_dir: Path | str) -> list[Path]:
    """Write one canonical workbook per month of ``frame`` as ``out_dir/so-lieu-YYYY-MM.xlsx``.

    Sheet ``SoLieu`` holds the template columns (period as text 'MM/YYYY', empty cells for
    unknown figures); sheet ``HuongDan`` a one-line note. Equal frames give equal bytes.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for period, month in frame.groupby("period", sort=True):
        path = out / FILE_PATTERN.format(period=period)
        data = _workbook_bytes(month, str(period))
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: regenerate the sample workbooks (default: 2023–2024 into sample_data/)."""
    parser = argparse.ArgumentParser(
        prog="python -m sample_data.generate", description="Tạo dữ liệu mẫu theo tháng."
    )
    parser.add_argument("--start", type=int, default=2023, help="năm đầu (mặc định 2023)")
    parser.add_argument("--end", type=int, default=2024, help="năm cuối (mặc định 2024)")
    parser.add_argument("--scale", type=int, default=1, help="hệ số nhân số TTHC (mặc định 1)")
    parser.add_argument("--seed", type=int, default=20240601, help="hạt giống ngẫu nhiên")
    parser.add_argument(
        "--out", type=Path, default=SAMPLE_DIR, help="thư mục ghi tệp (mặc định sample_data/)"
    )
    args = parser.parse_args(argv)
    frame = make_rows(args.start, args.end, args.scale, args.seed)
    paths = write_workbooks(frame, args.out)
    print(f"Đã ghi {len(paths)} tệp ({len(frame)} dòng) vào {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
