"""The header of a Biểu II.06a table: where it is, and which column holds which figure.

The header spans several rows of merged cells; each column is recognised by the words of its label
(the stacked header cells, folded) through the tables below, else by its position when the columns
are numbered ``(1) (2) … (13)``. The dates of the "Kỳ báo cáo" line above the header are turned into a
month by :func:`span_month`, under the reporting cut-off (:mod:`data_access.reporting_period`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from data_access.columns import HEADERS
from data_access.reporting_period import month_of_date, month_of_span, month_span
from data_access.textnorm import clean, fold
from data_access.texts import reporting as RT
from data_access.xlsx.rules import Context
from vnfmt import fmt_date, fmt_month_number

_NUMBERED = re.compile(r"^\(?\s*(\d{1,2})\s*\)?$")

#: Leaves (lowest header cells, folded) of the row-number column.
_ROW_NUMBER_LEAVES = ("stt", "tt", "so tt")
#: The name column, by a word of its leaf: (word, kind of report, unless the label holds this word).
_NAME_COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    ("linh vuc", "field", None),
    ("don vi", "unit", "nhan"),
)


@dataclass(frozen=True)
class _Group:
    """Columns under one group header: a label holding one of ``words`` belongs to the group (the
    first group that matches), and its leaf gives the code (``None``: a column not read)."""

    words: tuple[tuple[str, str | None], ...]  # (a word of the label, unless the label holds this one)
    leaves: dict[str, str]  # a leaf exactly → code
    leaf_words: tuple[tuple[str, str], ...] = ()  # a word of the leaf → code, tried before ``leaves``


_GROUPS: tuple[_Group, ...] = (
    _Group(
        (("da giai quyet", None), ("ket qua", "dang")),
        {
            "tong so": "resolved",
            "truoc han": "resolved_early",
            "dung han": "resolved_on_time",
            "qua han": "resolved_late",
        },
    ),
    _Group(
        (("dang giai quyet", None),),
        {"tong so": "pending", "trong han": "pending_in_time", "qua han": "pending_overdue"},
    ),
    _Group(
        (("nhan giai quyet", None), ("tiep nhan", None)),
        {"tong so": "received_total"},
        (
            ("truc tuyen", "received_online"),
            ("truc tiep", "received_direct_postal"),
            ("buu chinh", "received_direct_postal"),
            ("tu ky truoc", "carried_over"),
        ),
    ),
)

#: The columns by position, when the header's words name fewer than six figures but the columns are numbered.
_POSITIONS = {
    "name": 1,
    "received_total": 2,
    "received_online": 3,
    "received_direct_postal": 4,
    "carried_over": 5,
    "resolved": 6,
    "resolved_early": 7,
    "resolved_on_time": 8,
    "resolved_late": 9,
    "pending": 10,
    "pending_in_time": 11,
    "pending_overdue": 12,
}


def numbered_row(rows: list[list[object]]) -> int | None:
    """Index of the row that numbers the columns ``(1) (2) … (13)``."""
    for i, row in enumerate(rows[:60]):
        nums = []
        for c in row:
            if isinstance(c, str) and (m := _NUMBERED.match(c.strip())):
                nums.append(int(m.group(1)))
            elif isinstance(c, float) and c.is_integer():
                nums.append(int(c))
            elif c not in ("", None):
                nums.append(-1)
        if len(nums) >= 10 and nums[:10] == list(range(1, 11)):
            return i
    return None


def find_header(rows: list[list[object]]) -> tuple[int, int] | None:
    """(first header row, last header row) of an official-layout table, or ``None``."""
    start = None
    for i, row in enumerate(rows[:60]):
        folded = [fold(c) for c in row if isinstance(c, str)]
        if any("so ho so nhan giai quyet" in f or "ho so nhan giai quyet" in f for f in folded):
            start = i
            break
    numbered = numbered_row(rows)
    if start is None and numbered is None:
        return None
    if start is None:
        start = max(0, numbered - 3)  # type: ignore[operator]
    if numbered is not None:
        return start, numbered - 1
    # no numbering row: the header ends at the first row whose third cell is a number
    for i in range(start + 1, min(len(rows), start + 6)):
        if any(isinstance(c, float) for c in rows[i][2:]):
            return start, i - 1
    return None


def _labels(rows: list[list[object]], first: int, last: int) -> list[str]:
    """Each column's label: its stacked header cells, folded, joined by " / " (merged cells filled
    right and down)."""
    width = max(len(r) for r in rows[first : last + 1])
    stacked: list[list[str]] = []
    for i in range(first, last + 1):
        row = list(rows[i]) + [""] * (width - len(rows[i]))
        filled, current = [], ""
        for j in range(width):
            if row[j] not in ("", None):
                current = fold(row[j])
            elif j == 0 or (stacked and stacked[-1][j] != stacked[-1][j - 1]):
                current = ""  # a merge does not cross its parent's boundary
            filled.append(current)
        stacked.append(filled)
    # a cell left empty below a header belongs to the header above (vertical merge)
    labels = []
    for j in range(width):
        parts: list[str] = []
        for level in stacked:
            if level[j] and (not parts or parts[-1] != level[j]):
                parts.append(level[j])
        labels.append(" / ".join(parts))
    return labels


def _column_code(leaf: str, label: str) -> tuple[str, str | None]:
    """(kind of report, code) that a column's leaf and label give; kind is "" but for the name column."""
    for word, kind, unless in _NAME_COLUMNS:
        if word in leaf and (unless is None or unless not in label):
            return kind, "name"
    for group in _GROUPS:
        if any(word in label and (unless is None or unless not in label) for word, unless in group.words):
            code = next((c for word, c in group.leaf_words if word in leaf), None)
            return "", code or group.leaves.get(leaf)
    return "", None


def official_columns(
    rows: list[list[object]], first: int, last: int, numbered: int | None
) -> tuple[dict[str, int], str]:
    """Map codes to columns, and the kind of report ("field": a unit's by field; "unit": the department's
    by unit): by the header's words, else by position when those name fewer than six figures and
    the columns are numbered (row ``numbered``)."""
    colmap, kind = _by_words(rows, first, last)
    if len([c for c in colmap if c != "name"]) < 6 and numbered is not None:
        colmap = dict(_POSITIONS)
        name_header = fold(rows[first][1]) if len(rows[first]) > 1 else ""
        kind = "unit" if "don vi" in name_header else "field"
    if "name" not in colmap:
        colmap["name"] = 1
        kind = kind or "field"
    return colmap, kind


def _by_words(rows: list[list[object]], first: int, last: int) -> tuple[dict[str, int], str]:
    """Map codes to columns from the stacked header rows; and the kind of report ("" if no name column)."""
    colmap: dict[str, int] = {}
    kind = ""
    for j, label in enumerate(_labels(rows, first, last)):
        leaf = label.split(" / ")[-1] if label else ""
        if j == 0 or leaf in _ROW_NUMBER_LEAVES:
            continue
        found, code = _column_code(leaf, label)
        kind = found or kind
        if code and code not in colmap:
            colmap[code] = j
    return colmap, kind


def header_text(rows: list[list[object]], first: int, last: int, j: int) -> str:
    """A readable header for column ``j``: its numbered label and its lowest header cell."""
    texts = [
        clean(rows[i][j]) for i in range(first, last + 1) if j < len(rows[i]) and rows[i][j] not in ("", None)
    ]
    label = texts[-1] if texts else ""
    return f"({j + 1}) {label}".strip()


def span_month(
    ctx: Context,
    sheet: str,
    excel_row: int,
    j: int,
    cell: str,
    span: tuple[dt.date, dt.date],
    named: str | None,
    cutoff_day: int | None,
) -> str | None:
    """The month (``YYYY-MM``) of the period line's "từ ngày … đến ngày …" ``span``: exactly one reporting
    month under ``cutoff_day`` (``None``: calendar months), and the month the line names in words
    (``named``, "tháng M năm YYYY"), if it names one. Else an error naming the span and the expected one
    (the named month's, else that of the month the span ends in), and ``None``.
    """
    start, end = span
    if named is not None and not "01" <= named[5:] <= "12":
        named = None  # "tháng 13": the dates alone say the month
    month = month_of_span(start, end, cutoff_day)
    if month is not None and named in (None, month):
        ctx.result.period_span = span
        return month
    expected = named or month_of_date(end, cutoff_day)
    expected_start, expected_end = month_span(expected, cutoff_day)
    if month is not None:
        code = "official_period_named"  # one whole month, not the one the line names
    elif month_of_date(start, cutoff_day) != month_of_date(end, cutoff_day):
        code = "official_period_span"
    else:
        code = "official_period_partial"
    ctx.error(
        code,
        sheet,
        excel_row,
        HEADERS["period"],
        cell,
        j,
        start=fmt_date(start),
        end=fmt_date(end),
        rule=RT.RULE_CALENDAR if cutoff_day is None else RT.RULE_CUTOFF.format(day=cutoff_day),
        month=fmt_month_number(expected),
        found=fmt_month_number(month) if month else "",
        expected_start=fmt_date(expected_start),
        expected_end=fmt_date(expected_end),
    )
    return None
