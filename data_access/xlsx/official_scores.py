"""The official 766 scores the national portal published (``scoring.md``): sheet ``Diem766`` with the
columns Kỳ, Nhóm chỉ số, Điểm (and, optionally, Điểm tối đa and Xếp hạng), one header row.

Every cell is checked and every error collected (sheet, Excel row, column header, value); a file with
an error gives no rows at all. A period is a month (``06/2024``, ``Tháng 6/2024``, ``2024-06``), a
quarter (``Quý II/2024``, ``2024-Q2``), a half (``2024-H1``) or a year (``2024``), stored as
``periods.md`` writes it. A group is one of the six groups of the index or the total, by its name,
its number or its code (:data:`GROUP_CODES`); a row "Xếp hạng" gives the period's rank.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from data_access.messages import Issue, IssueList
from data_access.textnorm import clean, fold
from data_access.texts.official_scores import (
    FIRST_HALF_WORDS,
    GROUP_ALIASES,
    GROUP_NAMES,
    MESSAGES,
    MONTH_WORDS,
    QUARTER_WORDS,
    RANK_WORDS,
    SCORES_HEADER_ALIASES,
    SCORES_HEADERS,
    SCORES_SHEET,
    SECOND_HALF_WORDS,
    YEAR_WORDS,
)
from data_access.xlsx.cells import cell_at, parse_text, read_period, row_filled
from data_access.xlsx.header_map import Issues, header_columns
from data_access.xlsx.rules import MergedRange
from data_access.xlsx.workbook import Sheet, open_workbook
from vnfmt import fmt_number

__all__ = [
    "FIRST_YEAR",
    "GROUP_CODES",
    "GROUP_MAX",
    "SCORE_COLUMNS",
    "SIX_GROUPS",
    "TOTAL",
    "ScoresRead",
    "empty_scores",
    "find_scores_sheet",
    "is_scores_workbook",
    "match_group",
    "parse_rank",
    "parse_score",
    "parse_score_period",
    "read_scores",
]

#: The total of the index; the six groups in the portal's order (QĐ 766/QĐ-TTg) and their points.
TOTAL = "i766.total"
GROUP_MAX: dict[str, float] = {
    "i766.publicity": 18.0,
    "i766.progress": 20.0,
    "i766.online": 12.0,
    "i766.payment": 10.0,
    "i766.satisfaction": 18.0,
    "i766.digitization": 22.0,
    TOTAL: 100.0,
}
GROUP_CODES: tuple[str, ...] = tuple(GROUP_MAX)
SIX_GROUPS: tuple[str, ...] = tuple(c for c in GROUP_CODES if c != TOTAL)
assert sum(GROUP_MAX[c] for c in SIX_GROUPS) == GROUP_MAX[TOTAL]
assert set(GROUP_NAMES) == set(GROUP_CODES)

#: The columns of a read (and of what is stored): the rank is ``Int64``, the points ``float`` (NaN only
#: on a total row made for a rank given alone).
SCORE_COLUMNS: tuple[str, ...] = ("period", "group_code", "group_name", "points", "rank")
REQUIRED: tuple[str, ...] = ("period", "group", "points")
#: The header row is one of the first this many rows with content (title rows may stand above it).
HEADER_WITHIN = 5
#: The 766 index exists from Decision 766/QĐ-TTg of 23/6/2022: no score before that year.
FIRST_YEAR = 2022
#: The six groups may add up to a total a little off it (each published rounded to two decimals).
TOTAL_TOLERANCE = 0.05

_HEADER_INDEX: dict[str, str] = {}
for _code, _header in SCORES_HEADERS.items():
    for _spelling in (_header, _code, *SCORES_HEADER_ALIASES.get(_code, ())):
        _HEADER_INDEX.setdefault(fold(_spelling), _code)

_GROUP_INDEX: dict[str, str] = {}
for _code, _name in GROUP_NAMES.items():
    for _spelling in (_name, _code, _code.split(".", 1)[1], *GROUP_ALIASES.get(_code, ())):
        _GROUP_INDEX.setdefault(fold(_spelling), _code)
_RANK_KEYS = frozenset(fold(w) for w in RANK_WORDS)
_ORDINALS = {
    "1": 0,
    "2": 1,
    "3": 2,
    "4": 3,
    "5": 4,
    "6": 5,
    "i": 0,
    "ii": 1,
    "iii": 2,
    "iv": 3,
    "v": 4,
    "vi": 5,
}
_ORDINAL_PREFIX = re.compile(r"^(?:nhom(?: chi so)? )?(vi|v|iv|iii|ii|i|[1-6]) (.+)$")
_RANK = "rank"  # what match_group gives for a "Xếp hạng" row


def match_scores_header(text: object) -> str | None:
    """The column code a header cell names (any case, accents, spacing), else ``None``."""
    key = fold(text)
    return (_HEADER_INDEX.get(key) or _HEADER_INDEX.get(key.replace(" ", "_"))) if key else None


def match_group(value: object) -> str | None:
    """The group code a cell names (name, number ``Nhóm 2``, code, an alias, or ``Nhóm 2: Tiến độ…``),
    ``"rank"`` for a "Xếp hạng" row, else ``None``."""
    key = fold(parse_text(value))
    if not key:
        return None
    if key in _RANK_KEYS:
        return _RANK
    if key in _GROUP_INDEX:
        return _GROUP_INDEX[key]
    m = _ORDINAL_PREFIX.match(key)
    if m:
        by_number = SIX_GROUPS[_ORDINALS[m.group(1)]]
        by_name = _GROUP_INDEX.get(m.group(2))
        if by_name == by_number:  # "Nhóm 2: Tiến độ giải quyết"; a number and a name that disagree: unknown
            return by_number
    return None


def _words(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_MONTH_WORD = re.compile(rf"^(?:{_words(MONTH_WORDS)}) ?(\d{{1,2}}) (\d{{4}})$")
_QUARTER_WORD = re.compile(rf"^(?:{_words(QUARTER_WORDS)}) ?(iv|iii|ii|i|[1-4]) (\d{{4}})$")
_QUARTER_CODE = re.compile(r"^(\d{4}) q([1-4])$")
_HALF_CODE = re.compile(r"^(\d{4}) h([12])$")
_HALF_WORD = re.compile(rf"^({_words(FIRST_HALF_WORDS)}|{_words(SECOND_HALF_WORDS)}) (\d{{4}})$")
_YEAR = re.compile(rf"^(?:(?:{_words(YEAR_WORDS)}) )?(\d{{4}})$")


def parse_score_period(value: object) -> tuple[str | None, str | None]:
    """A period cell as ``(code, None)`` — ``2024-06``, ``2024-Q2``, ``2024-H1`` or ``2024`` — or
    ``(None, error)``: ``score_period_missing``, ``score_period_invalid``, ``score_period_too_early``."""
    text = parse_text(value)
    if text is None:
        return None, "score_period_missing"
    year: int | None = None
    code: str | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
            return None, "score_period_invalid"
        if 1000 <= value <= 9999:  # a year typed as a number
            year = int(value)
            code = f"{year:04d}"
    if code is None and isinstance(value, dt.date | int | float) and not isinstance(value, bool):
        month, err = read_period(value)  # a date, or an Excel serial that lost its date format
        if month is None:
            return None, "score_period_too_early" if err == "period_too_early" else "score_period_invalid"
        year, code = int(month[:4]), month
    if code is None:
        month, _ = read_period(text)  # 06/2024, 2024-06, 15/06/2024
        if month is not None:
            year, code = int(month[:4]), month
    if code is None:
        key = fold(text)
        if m := _MONTH_WORD.match(key):
            if not 1 <= int(m.group(1)) <= 12:
                return None, "score_period_invalid"
            year, code = int(m.group(2)), f"{m.group(2)}-{int(m.group(1)):02d}"
        elif m := _QUARTER_WORD.match(key):
            q = _ROMAN.get(m.group(1)) or int(m.group(1))
            year, code = int(m.group(2)), f"{m.group(2)}-Q{q}"
        elif m := _QUARTER_CODE.match(key):
            year, code = int(m.group(1)), f"{m.group(1)}-Q{m.group(2)}"
        elif m := _HALF_CODE.match(key):
            year, code = int(m.group(1)), f"{m.group(1)}-H{m.group(2)}"
        elif m := _HALF_WORD.match(key):
            half = 1 if m.group(1) in FIRST_HALF_WORDS else 2
            year, code = int(m.group(2)), f"{m.group(2)}-H{half}"
        elif m := _YEAR.match(key):
            year, code = int(m.group(1)), m.group(1)
    if code is None or year is None:
        # a month the figures' rule refuses only for being early (01/2014) is still too early here
        _, err = read_period(text)
        return None, "score_period_too_early" if err == "period_too_early" else "score_period_invalid"
    if year < FIRST_YEAR:
        return None, "score_period_too_early"
    return code, None


_DECIMAL = re.compile(r"^\d+(?:[.,]\d+)?$")
_DOT_THOUSANDS = re.compile(r"^[1-9]\d{0,2}\.\d{3}$")  # 17.250: seventeen and a quarter, or 17 250?


def parse_score(value: object) -> tuple[float | None, str | None]:
    """A points cell as ``(points, None)`` or ``(None, error)``: ``score_missing`` (empty: never 0),
    ``score_not_number``, ``score_ambiguous`` (``17.250``), ``score_negative``. A decimal comma
    (``17,25``) or point (``17.25``) is taken."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "score_missing"
    if isinstance(value, bool):
        return None, "score_not_number"
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number):
            return None, "score_not_number"
    elif isinstance(value, str):
        s = value.strip().replace("\u00a0", "").replace(" ", "")
        negative = s.startswith("-")
        body = s[1:] if s[:1] in "+-" else s
        if not _DECIMAL.match(body):
            return None, "score_not_number"
        if _DOT_THOUSANDS.match(body):
            return None, "score_ambiguous"
        number = float(body.replace(",", "."))
        number = -number if negative else number
    else:
        return None, "score_not_number"
    if number < 0:
        return None, "score_negative"
    return number, None


def parse_rank(value: object) -> tuple[int | None, bool]:
    """A rank cell as ``(rank, ok)``: ``(None, True)`` when empty; a whole number from 1, else not ok."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, True
    if isinstance(value, bool):
        return None, False
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and 1 <= value <= 1_000_000:
        return value, True
    return None, False


def empty_scores() -> pd.DataFrame:
    """An empty scores frame with :data:`SCORE_COLUMNS`."""
    return pd.DataFrame(
        {
            "period": pd.Series([], dtype=object),
            "group_code": pd.Series([], dtype=object),
            "group_name": pd.Series([], dtype=object),
            "points": pd.Series([], dtype=float),
            "rank": pd.Series([], dtype="Int64"),
        }
    )


@dataclass
class ScoresRead(IssueList):
    """What reading one scores file gives: the scores (if no error) and every issue."""

    file: str
    frame: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    sheet: str = ""
    sha256: str = ""
    excel_rows: list[int] = field(default_factory=list)

    @property
    def periods(self) -> list[str]:
        """The periods read, sorted."""
        return sorted(set(self.frame["period"]))


def _header_row(rows: list[list[object]]) -> int | None:
    seen = 0
    for i, row in enumerate(rows):
        if not row_filled(row):
            continue
        codes = {match_scores_header(c) for c in row if isinstance(c, str)}
        if all(c in codes for c in REQUIRED):
            return i
        seen += 1
        if seen >= HEADER_WITHIN:
            break
    return None


def find_scores_sheet(sheets: Sequence[Sheet]) -> Sheet | None:
    """The sheet named ``Diem766`` (any case, accents, spacing), else the first whose header holds
    Kỳ, Nhóm chỉ số and Điểm."""
    for sheet in sheets:
        if fold(sheet.name).replace(" ", "") == fold(SCORES_SHEET):
            return sheet
    for sheet in sheets:
        if _header_row(sheet.rows) is not None:
            return sheet
    return None


def read_scores(source: Path | str | bytes, *, filename: str | None = None) -> ScoresRead:
    """Read a scores workbook (a path or the bytes of an upload): all its scores or, on any error, none
    (every error in :attr:`ScoresRead.issues`)."""
    opened = open_workbook(source, filename=filename)
    result = ScoresRead(opened.name, empty_scores(), sha256=opened.sha256)
    if opened.issue is not None:
        result.issues.append(opened.issue)
        return result
    found = find_scores_sheet(opened.sheets)
    if found is None:
        result.sheet = opened.sheets[0].name if opened.sheets else ""
        Issues(result, MESSAGES).add("no_scores_sheet")
        return result
    result.sheet = found.name
    _read(result, found.rows, found.merged)
    if result.errors:
        result.frame = empty_scores()
        result.excel_rows = []
    return result


def _points_shown(x: float) -> str:
    """Points as a message quotes them, the Vietnamese way, with the decimals they have: 20,5 · 100."""
    x = round(x, 6)
    digits = next(d for d in range(7) if round(x, d) == x)
    return fmt_number(x, digits)


def _merged_down(rows: list[list[object]], merged: Sequence[MergedRange], j: int) -> dict[int, object]:
    """Row index → the value a merged cell of column ``j`` shows there (a period written once for the
    seven rows of its month, as the portal's tables do)."""
    out: dict[int, object] = {}
    for (r0, c0), (r1, c1) in merged:
        if c0 <= j <= c1 and r1 > r0 and r0 < len(rows):
            top = cell_at(rows[r0], c0)
            for r in range(r0 + 1, r1 + 1):
                out[r] = top
    return out


def _read(result: ScoresRead, rows: list[list[object]], merged: Sequence[MergedRange] = ()) -> None:
    issues = Issues(result, MESSAGES)
    h = _header_row(rows)
    if h is None:
        issues.add("scores_header_missing", 1 if rows else None)
        return
    found = header_columns(
        rows[h], h + 1, match_scores_header, issues, prefix="scores", required=REQUIRED, names=SCORES_HEADERS
    )
    if found is None:
        return
    colmap = found
    headers = {code: clean(rows[h][j]) for code, j in colmap.items()}
    spans = _merged_down(rows, merged, colmap["period"])
    body = []
    for i, r in enumerate(rows[h + 1 :], start=h + 1):
        if i in spans and cell_at(r, colmap["period"]) in (None, ""):
            r = list(r) + [None] * (colmap["period"] + 1 - len(r))
            r[colmap["period"]] = spans[i]
        if any(
            cell_at(r, colmap[c]) not in (None, "") for c in REQUIRED
        ):  # a note beside the table: not a row
            body.append((i + 1, r))
    if not body:
        issues.add("scores_no_rows", h + 1)
        return
    names = ", ".join(f"'{GROUP_NAMES[c]}'" for c in GROUP_CODES)
    scores: dict[tuple[str, str], dict[str, object]] = {}  # (period, group) → the record
    first_row: dict[tuple[str, str], int] = {}
    rank_row: dict[str, int] = {}  # period → the row that gave its total's rank
    for excel_row, row in body:
        result.excel_rows.append(excel_row)
        j = colmap["period"]
        raw = cell_at(row, j)
        period, err = parse_score_period(raw)
        if err is not None:
            issues.add(err, excel_row, headers["period"], raw, j, value=parse_text(raw), year=FIRST_YEAR)
        j = colmap["group"]
        raw = cell_at(row, j)
        group = match_group(raw)
        if parse_text(raw) is None:
            issues.add("score_group_missing", excel_row, headers["group"], raw, j)
        elif group is None:
            issues.add(
                "score_group_unknown", excel_row, headers["group"], raw, j, value=parse_text(raw), names=names
            )
        j = colmap["points"]
        raw = cell_at(row, j)
        if group == _RANK:
            given_rank, _ = parse_rank(raw)
            if given_rank is None:  # empty or not a whole number: a rank row must hold one
                issues.add("rank_invalid", excel_row, headers["points"], raw, j, value=parse_text(raw) or "")
            elif period is not None:
                _set_rank(issues, scores, rank_row, period, given_rank, excel_row, headers["points"], raw, j)
            continue
        points, err = parse_score(raw)
        if err is not None:
            issues.add(err, excel_row, headers["points"], raw, j, value=parse_text(raw) or "")
        if group is not None and points is not None and points > GROUP_MAX[group] + 1e-9:
            issues.add(
                "score_above_max",
                excel_row,
                headers["points"],
                raw,
                j,
                value=_points_shown(points),
                max=_points_shown(GROUP_MAX[group]),
                group=GROUP_NAMES[group],
            )
        if "max_points" in colmap and group is not None:
            j = colmap["max_points"]
            raw_max = cell_at(row, j)
            given, err = parse_score(raw_max)
            if err not in (None, "score_missing") or (
                given is not None and abs(given - GROUP_MAX[group]) > 1e-9
            ):
                issues.add(
                    "score_max_differs",
                    excel_row,
                    headers["max_points"],
                    raw_max,
                    j,
                    value=parse_text(raw_max),
                    max=_points_shown(GROUP_MAX[group]),
                    group=GROUP_NAMES[group],
                )
        rank: int | None = None
        if "rank" in colmap:
            j = colmap["rank"]
            raw_rank = cell_at(row, j)
            rank, ok = parse_rank(raw_rank)
            if not ok:
                issues.add(
                    "rank_invalid", excel_row, headers["rank"], raw_rank, j, value=parse_text(raw_rank)
                )
        if period is None or group is None:
            continue
        key = (period, group)
        if key in first_row:
            issues.add(
                "score_duplicate",
                excel_row,
                headers["group"],
                cell_at(row, colmap["group"]),
                colmap["group"],
                period=period,
                group=GROUP_NAMES[group],
                first=first_row[key],
            )
            continue
        first_row[key] = excel_row
        made = scores.get(key)  # a total made earlier for a "Xếp hạng" row of the period
        scores[key] = {
            "period": period,
            "group_code": group,
            "group_name": GROUP_NAMES[group],
            "points": points,
            "rank": rank,
        }
        if made is not None:
            if rank is not None:
                issues.add(
                    "rank_duplicate",
                    excel_row,
                    headers["rank"],
                    cell_at(row, colmap["rank"]),
                    colmap["rank"],
                    period=period,
                    first=rank_row[period],
                )
            scores[key]["rank"] = made["rank"]
        elif group == TOTAL and rank is not None:
            rank_row[period] = excel_row
    if result.errors:
        return
    _check_totals(issues, scores)
    frame = pd.DataFrame.from_records(
        [scores[k] for k in sorted(scores, key=lambda k: (k[0], GROUP_CODES.index(k[1])))],
        columns=list(SCORE_COLUMNS),
    )
    for c in ("period", "group_code", "group_name"):
        frame[c] = frame[c].astype(object)
    frame["points"] = pd.to_numeric(frame["points"], errors="raise").astype(float)
    frame["rank"] = pd.array(frame["rank"].tolist(), dtype="Int64")
    result.frame = frame


def _set_rank(
    issues: Issues,
    scores: dict[tuple[str, str], dict[str, object]],
    rank_row: dict[str, int],
    period: str,
    rank: int,
    excel_row: int,
    header: str,
    raw: object,
    j: int,
) -> None:
    """A "Xếp hạng" row: the rank of the period's total (a total row made, points unknown, if none yet)."""
    if period in rank_row:
        issues.add("rank_duplicate", excel_row, header, raw, j, period=period, first=rank_row[period])
        return
    rank_row[period] = excel_row
    key = (period, TOTAL)
    if key in scores:
        scores[key]["rank"] = rank
    else:
        scores[key] = {
            "period": period,
            "group_code": TOTAL,
            "group_name": GROUP_NAMES[TOTAL],
            "points": None,
            "rank": rank,
        }


def _check_totals(issues: Issues, scores: dict[tuple[str, str], dict[str, object]]) -> None:
    """A warning for each period whose six groups and total are all given and do not add up."""
    for period in sorted({p for p, _ in scores}):
        total = scores.get((period, TOTAL), {}).get("points")
        parts = [scores.get((period, g), {}).get("points") for g in SIX_GROUPS]
        if not isinstance(total, float | int) or not all(isinstance(p, float | int) for p in parts):
            continue
        added = math.fsum(float(p) for p in parts)  # type: ignore[arg-type]
        if abs(added - float(total)) > TOTAL_TOLERANCE:
            issues.add(
                "total_differs",
                level="warning",
                period=period,
                total=_points_shown(float(total)),
                sum=_points_shown(added),
                diff=_points_shown(round(abs(added - float(total)), 2)),
            )


def is_scores_workbook(data: bytes) -> bool:
    """Whether ``data`` is a workbook holding official 766 scores (a sheet ``Diem766``, or one whose
    header has Kỳ, Nhóm chỉ số and Điểm); ``False`` for anything the container checks refuse."""
    opened = open_workbook(bytes(data))
    if opened.issue is not None:  # a broken workbook is not a scores file; its reader says why
        return False
    return find_scores_sheet(opened.sheets) is not None
