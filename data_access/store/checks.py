"""Warnings of an import against what is stored: the same file again, a month already stored,
and a figure that moves by more than ×3 from the previous month."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access.columns import COUNT_COLUMNS, HEADERS, TOTALS
from data_access.messages import Issue, msg
from data_access.readers import ReadResult
from data_access.schema import upload
from data_access.store.reads import load_figures
from data_access.times import as_utc
from vnfmt import fmt_datetime, fmt_month_number

#: A ×3 jump is only reported where the larger of the two figures is at least this (1 → 4 is noise).
JUMP_MIN = 10


def month_stored_warnings(
    results: list[ReadResult], keys: list[tuple[str, str]], current: dict[tuple[str, str], int]
) -> list[Issue]:
    """One warning per file and (month, unit) ``keys`` it holds that ``current`` (active uploads) has."""
    out = []
    for r in results:
        held = set(zip(r.frame["period"], r.frame["unit"], strict=True))
        for k in keys:
            if k in current and k in held:
                out.append(
                    Issue(
                        "warning",
                        "month_stored",
                        msg("month_stored", period=fmt_month_number(k[0]), unit=k[1], upload=int(current[k])),
                        file=r.file,
                    )
                )
    return out


def same_file_warnings(engine: Engine, results: list[ReadResult]) -> list[Issue]:
    """One warning per file already imported (same SHA-256), naming its first upload."""
    shas = [r.sha256 for r in results]
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(upload.c.id, upload.c.sha256, upload.c.created_at)
            .where(upload.c.sha256.in_(shas), upload.c.kind == "import")
            .order_by(upload.c.id)
        ).all()
    first: dict[str, Any] = {}
    for row in rows:
        first.setdefault(row.sha256, row)
    out = []
    for r in results:
        if r.sha256 in first:
            row = first[r.sha256]
            out.append(
                Issue(
                    "warning",
                    "same_file",
                    msg(
                        "same_file",
                        sha=r.sha256[:12],
                        upload=row.id,
                        when=fmt_datetime(as_utc(row.created_at)),
                    ),
                    file=r.file,
                )
            )
    return out


def jump_warnings(
    engine: Engine, results: list[ReadResult], new: pd.DataFrame, stored_periods: set[str] | None = None
) -> list[Issue]:
    """Warn where a figure moves by more than ×3 from the previous month, same unit and field.

    Rows are compared key by key (unit, field and procedure): a procedure's row is not added to
    its field's row. A total is compared only where its parts are not known in both months (else
    the parts' warnings say it already).
    """
    periods = sorted(new["period"].unique())
    prev_periods = sorted({_prev(p) for p in periods} - set(periods))
    if stored_periods is not None:  # only months the store holds (none: no query at all)
        prev_periods = [p for p in prev_periods if p in stored_periods]
    stored = load_figures(engine, periods=prev_periods) if prev_periods else None
    cols = list(COUNT_COLUMNS)

    def keyed(frame: pd.DataFrame) -> tuple[list[tuple[str, str, str, str]], np.ndarray[Any, Any]]:
        keys = list(
            zip(
                frame["period"],
                frame["unit"],
                frame["field"],
                (c or "" for c in frame["procedure_code"]),
                strict=True,
            )
        )
        return keys, frame[cols].to_numpy(dtype="float64", na_value=np.nan)

    new_keys, new_values = keyed(new)
    # two files of one call may hold the same key: the later row is what will be stored
    position = {k: i for i, k in enumerate(new_keys)}
    rows = sorted(position.values())
    stored_keys, stored_values = keyed(stored) if stored is not None and not stored.empty else ([], None)
    stored_position = {k: i for i, k in enumerate(stored_keys)}
    # the previous month of every row: from this upload if it holds that month, else as stored
    prev_of = {p: _prev(p) for p in periods}
    missing = len(new_keys) + len(stored_keys)  # index of an all-NaN row
    lookup = []
    for i in rows:
        period, unit, fld, proc = new_keys[i]
        key = (prev_of[period], unit, fld, proc)
        j = position.get(key)
        if j is None:
            j = stored_position.get(key)
            j = missing if j is None else len(new_keys) + j
        lookup.append(j)
    table = [new_values, np.full((1, len(cols)), np.nan)]
    if stored_values is not None:
        table.insert(1, stored_values)
    before = np.vstack(table)[lookup]
    after = new_values[rows]
    with np.errstate(invalid="ignore"):
        known = ~np.isnan(before) & ~np.isnan(after) & (np.fmax(before, after) >= JUMP_MIN)
        up = known & (after > 3 * before)
        down = known & ~up & (before > 3 * after)
    for k, c in enumerate(cols):
        if c in TOTALS:  # a total whose parts are known in both months: the parts say it already
            parts_known = np.ones(len(rows), dtype=bool)
            for part in TOTALS[c]:
                j = cols.index(part)
                parts_known &= ~np.isnan(before[:, j]) & ~np.isnan(after[:, j])
            up[:, k] &= ~parts_known
            down[:, k] &= ~parts_known
    file_of: dict[str, str] = {}
    for r in results:
        for m in r.months:
            file_of.setdefault(m, r.file)
    out: list[Issue] = []
    for i, k in zip(*np.nonzero(up | down), strict=True):  # row by row, columns in order
        period, unit, fld, proc = new_keys[rows[i]]
        code = "jump" if up[i, k] else "drop"
        c = cols[k]
        where = f"{fld} (TTHC {proc})" if proc else fld
        out.append(
            Issue(
                "warning",
                code,
                msg(
                    code,
                    header=HEADERS[c],
                    unit=unit,
                    field=where,
                    period=fmt_month_number(period),
                    value=int(after[i, k]),
                    previous=int(before[i, k]),
                ),
                file=file_of.get(period, ""),
                column=HEADERS[c],
            )
        )
    return out


def _prev(period: str) -> str:
    y, m = int(period[:4]), int(period[5:])
    return f"{y - 1:04d}-12" if m == 1 else f"{y:04d}-{m - 1:02d}"
