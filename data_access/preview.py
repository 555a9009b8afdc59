"""What a checked upload changes, before it is stored (no I/O, no streamlit).

A :class:`~data_access.store.PreparedImport` holds one result per file; each file becomes an
upload of its own, stored in order, so by the store's rule (:mod:`data_access.versions`) where two
files hold the same (month, unit) the later file's rows are the ones the dashboard reads, and
every (month, unit) of the upload replaces the stored version of it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence

import pandas as pd

from data_access.columns import TEXT_COLUMNS
from data_access.store import PreparedImport
from data_access.versions import newest

Pair = tuple[str, str]


def _pairs(frame: pd.DataFrame) -> list[Pair]:
    return list(zip(frame["period"], frame["unit"], strict=True))


def incoming_rows(prepared: PreparedImport) -> tuple[pd.DataFrame, dict[Pair, str]]:
    """The rows that will be active once stored, and the file each (month, unit) comes from."""
    held = [(i, r) for i, r in enumerate(prepared.results) if not r.frame.empty]
    if not held:
        return pd.DataFrame(columns=list(TEXT_COLUMNS)), {}
    order = [i for i, r in held for _ in range(len(r.frame))]  # a later file gets a higher upload id
    frame = pd.concat([r.frame for _, r in held], ignore_index=True).assign(_file=order)
    kept = newest(frame, order)
    files = {pair: prepared.results[i].file for pair, i in zip(_pairs(kept), kept["_file"], strict=True)}
    return kept.drop(columns="_file"), files


def shared_pairs(prepared: PreparedImport) -> list[tuple[str, str, str]]:
    """(month, unit, winning file) of every (month, unit) that more than one file holds."""
    seen: dict[Pair, int] = {}
    for r in prepared.results:
        if r.frame.empty:
            continue
        for pair in set(_pairs(r.frame)):
            seen[pair] = seen.get(pair, 0) + 1
    _, files = incoming_rows(prepared)
    return [(p, u, files[(p, u)]) for (p, u), n in sorted(seen.items()) if n > 1]


def after_figures(before: pd.DataFrame, incoming: pd.DataFrame) -> pd.DataFrame:
    """``before`` (the active figures) with every (month, unit) of ``incoming`` replaced by its rows."""
    if incoming.empty:
        return before
    if before.empty:
        return incoming.copy()
    both = pd.concat(
        [before, incoming[[c for c in before.columns if c in incoming.columns]]], ignore_index=True
    )
    return newest(both, [0] * len(before) + [1] * len(incoming))  # the upload is stored after `before`


def rows_by_pair(incoming: pd.DataFrame) -> dict[Pair, int]:
    """(month, unit) → how many rows of ``incoming`` it has."""
    return dict(Counter(_pairs(incoming))) if not incoming.empty else {}


def preview_pairs(prepared: PreparedImport) -> pd.DataFrame:
    """The upload's (month, unit) preview (period, unit, rows, status, current_upload), sorted."""
    return prepared.preview.sort_values(["period", "unit"], kind="stable")


def kpis_without_value(incoming: pd.DataFrame, columns: Mapping[str, Sequence[str]]) -> dict[Pair, list[str]]:
    """(month, unit) → the KPIs (keys of ``columns``, in its order) that will have no value for that
    pair once ``incoming`` is stored: no row of the pair knows every column the KPI needs (its
    numerator's and denominator's), as with the official II.06a layout, which lacks several columns.

    ``columns`` maps a KPI to the column codes it reads; a code ``incoming`` lacks counts as unknown.
    Pairs where every KPI can have a value are left out.
    """
    out: dict[Pair, list[str]] = {}
    if incoming.empty:
        return out
    for (period, unit), rows in incoming.groupby(["period", "unit"], sort=True):
        blank = [
            k
            for k, cols in columns.items()
            if any(c not in rows.columns for c in cols) or not rows[list(cols)].notna().all(axis=1).any()
        ]
        if blank:
            out[(str(period), str(unit))] = blank
    return out


def reporting_spans(prepared: PreparedImport) -> list[tuple[str, str, dt.date, dt.date]]:
    """(file, month, first day, last day) of each read file whose official period line gave its dates
    ("từ ngày … đến ngày …"), in file order: which month each such file maps to under the cut-off."""
    return [
        (r.file, r.months[0], *r.period_span)
        for r in prepared.results
        if r.period_span is not None and len(r.months) == 1
    ]


__all__ = [
    "after_figures",
    "incoming_rows",
    "kpis_without_value",
    "preview_pairs",
    "reporting_spans",
    "rows_by_pair",
    "shared_pairs",
]
