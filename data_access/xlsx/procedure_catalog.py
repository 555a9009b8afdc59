"""The procedure catalog (danh mục TTHC, ``procedures.md``): sheet ``DanhMucTTHC``, one header row.

Every cell is checked and every error collected (sheet, Excel row, column header, value); a file with
an error gives no rows at all. Unit and field names are those of the units/fields catalog
(:mod:`data_access.catalog`), with the closest name suggested as the figures readers do.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from data_access.catalog import Catalog, Dictionary, load_catalog
from data_access.columns import CATALOG_COLUMNS, CATALOG_FLAGS
from data_access.messages import Issue, IssueList
from data_access.textnorm import clean, fold
from data_access.texts.procedure_catalog import (
    CATALOG_HEADER_ALIASES,
    CATALOG_HEADERS,
    CATALOG_SHEET,
    LEVEL_SPELLINGS,
    MESSAGES,
)
from data_access.xlsx.cells import parse_text, parse_yes_no, row_filled
from data_access.xlsx.header_map import Issues, header_columns
from data_access.xlsx.workbook import open_workbook

__all__ = [
    "CATALOG_HEADERS",
    "CatalogRead",
    "empty_catalog",
    "find_catalog_sheet",
    "is_catalog_workbook",
    "parse_level",
    "parse_yes_no",
    "read_catalog",
]

REQUIRED: tuple[str, ...] = ("procedure_code", "procedure_name", "field", "unit", "online_level")
#: The headers that make a sheet a catalog (beside its name).
RECOGNISED_BY: tuple[str, ...] = ("procedure_code", "online_level")
#: The header row is one of the first this many rows with content (title rows may stand above it).
HEADER_WITHIN = 5

_HEADER_INDEX: dict[str, str] = {}
for _code, _header in CATALOG_HEADERS.items():
    for _spelling in (_header, _code, *CATALOG_HEADER_ALIASES.get(_code, ())):
        _HEADER_INDEX.setdefault(fold(_spelling), _code)


def match_catalog_header(text: object) -> str | None:
    """The catalog column code a header cell names (any case, accents, spacing), else ``None``."""
    key = fold(text)
    return (_HEADER_INDEX.get(key) or _HEADER_INDEX.get(key.replace(" ", "_"))) if key else None


def empty_catalog() -> pd.DataFrame:
    """An empty catalog frame: :data:`CATALOG_COLUMNS`, texts as objects, the flags ``boolean``."""
    data: dict[str, object] = {c: pd.Series([], dtype=object) for c in CATALOG_COLUMNS}
    data.update({c: pd.Series([], dtype="boolean") for c in CATALOG_FLAGS})
    return pd.DataFrame(data)[list(CATALOG_COLUMNS)]


@dataclass
class CatalogRead(IssueList):
    """What reading one catalog file gives: the procedures (if no error) and every issue."""

    file: str
    frame: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    sheet: str = ""
    sha256: str = ""
    excel_rows: list[int] = field(default_factory=list)


def parse_level(value: object) -> str | None:
    """The online level of a cell (one of ``ONLINE_LEVELS``), ``None`` when it is none of the spellings."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    return LEVEL_SPELLINGS.get(fold(value))


def _header_row(rows: list[list[object]]) -> int | None:
    seen = 0
    for i, row in enumerate(rows):
        if not row_filled(row):
            continue
        codes = {match_catalog_header(c) for c in row if isinstance(c, str)}
        if all(c in codes for c in RECOGNISED_BY):
            return i
        seen += 1
        if seen >= HEADER_WITHIN:
            break
    return None


def find_catalog_sheet(sheets: list[tuple[str, list[list[object]]]]) -> tuple[str, list[list[object]]] | None:
    """The sheet named ``DanhMucTTHC`` (any case), else the first whose header holds Mã TTHC and Mức độ DVCTT."""
    for name, rows in sheets:
        if fold(name).replace(" ", "") == fold(CATALOG_SHEET):
            return name, rows
    for name, rows in sheets:
        if _header_row(rows) is not None:
            return name, rows
    return None


def read_catalog(
    source: Path | str | bytes, *, filename: str | None = None, catalog: Catalog | None = None
) -> CatalogRead:
    """Read a catalog workbook (a path or the bytes of an upload): all its procedures or, on any error,
    none (every error in :attr:`CatalogRead.issues`)."""
    opened = open_workbook(source, filename=filename)
    name = opened.name
    result = CatalogRead(name, empty_catalog(), sha256=opened.sha256)
    if opened.issue is not None:
        result.issues.append(opened.issue)
        return result
    sheets = [(sh.name, sh.rows) for sh in opened.sheets]
    found = find_catalog_sheet(sheets)
    if found is None:
        sheet = sheets[0][0] if sheets else ""
        result.issues.append(Issue("error", "no_catalog_sheet", MESSAGES["no_catalog_sheet"], name, sheet))
        return result
    result.sheet = found[0]
    _read(result, found[1], catalog or load_catalog())
    if result.errors:
        result.frame = empty_catalog()
        result.excel_rows = []
    return result


def _read(result: CatalogRead, rows: list[list[object]], catalog: Catalog) -> None:
    issues = Issues(result, MESSAGES)
    h = _header_row(rows)
    if h is None:
        issues.add("catalog_header_missing", 1 if rows else None)
        return
    found = header_columns(
        rows[h],
        h + 1,
        match_catalog_header,
        issues,
        prefix="catalog",
        required=REQUIRED,
        names=CATALOG_HEADERS,
    )
    if found is None:
        return
    colmap = found
    headers = {code: clean(rows[h][j]) for code, j in colmap.items()}
    body = [(i + 1, r) for i, r in enumerate(rows[h + 1 :], start=h + 1) if row_filled(r)]
    if not body:
        issues.add("catalog_no_rows", h + 1)
        return
    records: list[dict[str, object]] = []
    first_row: dict[str, int] = {}
    for excel_row, row in body:
        rec = _row(issues, excel_row, row, colmap, headers, catalog)
        key = rec["procedure_code"]
        if isinstance(key, str):
            if key in first_row:
                j = colmap["procedure_code"]
                issues.add(
                    "code_duplicate",
                    excel_row,
                    headers["procedure_code"],
                    key,
                    j,
                    code=key,
                    first=first_row[key],
                )
            else:
                first_row[key] = excel_row
        records.append(rec)
        result.excel_rows.append(excel_row)
    if result.errors:
        return
    frame = pd.DataFrame.from_records(records, columns=list(CATALOG_COLUMNS))
    for c in CATALOG_COLUMNS:
        if c in CATALOG_FLAGS:
            frame[c] = pd.array(frame[c].tolist(), dtype="boolean")
        else:
            frame[c] = frame[c].astype(object)
    result.frame = frame


def _cell(row: list[object], j: int | None) -> object:
    return row[j] if j is not None and j < len(row) else None


def _row(
    issues: Issues,
    excel_row: int,
    row: list[object],
    colmap: dict[str, int],
    headers: dict[str, str],
    catalog: Catalog,
) -> dict[str, object]:
    rec: dict[str, object] = dict.fromkeys(CATALOG_COLUMNS)

    j = colmap["procedure_code"]
    raw = _cell(row, j)
    if isinstance(raw, float) and math.isfinite(raw) and not raw.is_integer():
        code = f"{raw:.6f}" if round(raw, 6) == raw else parse_text(raw)
        issues.add(
            "code_number",
            excel_row,
            headers["procedure_code"],
            raw,
            j,
            level="warning",
            number=raw,
            code=code,
        )
    else:
        code = parse_text(raw)
    if code is None:
        issues.add("code_missing", excel_row, headers["procedure_code"], raw, j)
    rec["procedure_code"] = code

    j = colmap["procedure_name"]
    rec["procedure_name"] = parse_text(_cell(row, j))
    if rec["procedure_name"] is None:
        issues.add("name_missing", excel_row, headers["procedure_name"], None, j)

    for kind, book in (("field", catalog.fields), ("unit", catalog.units)):
        j = colmap[kind]
        rec[kind] = _name(issues, excel_row, _cell(row, j), kind, book, headers[kind], j)

    j = colmap["online_level"]
    raw = _cell(row, j)
    if parse_text(raw) is None:
        issues.add("level_missing", excel_row, headers["online_level"], raw, j)
    else:
        rec["online_level"] = parse_level(raw)
        if rec["online_level"] is None:
            issues.add("level_unknown", excel_row, headers["online_level"], raw, j, value=parse_text(raw))

    for flag in CATALOG_FLAGS:
        if flag not in colmap:
            continue  # a column left out: unknown for every procedure
        j = colmap[flag]
        raw = _cell(row, j)
        answer, ok = parse_yes_no(raw)
        if not ok:
            issues.add("flag_unknown", excel_row, headers[flag], raw, j, value=parse_text(raw))
        rec[flag] = answer
    return rec


def _name(
    issues: Issues, excel_row: int, raw: object, kind: str, book: Dictionary, header: str, j: int
) -> str | None:
    text = parse_text(raw)
    if text is None:
        issues.add(f"{kind}_missing", excel_row, header, raw, j)
        return None
    name = book.match(text)
    if name is None:
        issues.add(
            f"{kind}_unknown", excel_row, header, raw, j, value=text, suggestion=book.suggest(text) or ""
        )
    return name


def is_catalog_workbook(data: bytes) -> bool:
    """Whether ``data`` is a workbook holding a catalog (a sheet ``DanhMucTTHC``, or one whose header
    has Mã TTHC and Mức độ DVCTT); ``False`` for anything the container checks refuse."""
    opened = open_workbook(bytes(data))
    if opened.issue is not None:  # a broken workbook is not a catalog; its reader says why
        return False
    return find_catalog_sheet([(sh.name, sh.rows) for sh in opened.sheets]) is not None
