"""From one row per dossier to the contract's figures per (month, unit, field, procedure), vectorised.

The rules are those of ``dossier-list.md`` ("From dossiers to the contract's figures"). The input is a
frame of parsed dossiers (:data:`DOSSIER_COLUMNS`): ``channel`` one of ``online``/``direct``/``postal``,
``status`` one of ``resolved``/``open``/``withdrawn``, the dates ``datetime64[D]`` (NaT = empty), the
yes/no cells pandas ``boolean`` (NA = unknown). The months are few: one pass of numpy masks per month,
then one ``groupby`` sum; no Python loop per dossier. A figure a needed cell is empty for, on any dossier
of a key, is unknown (NA) for that key, never counted as no.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_access.columns import COUNT_COLUMNS, TEXT_COLUMNS, TOTALS
from data_access.reporting_period import month_span
from data_access.xlsx.rules import FRAME_COLUMNS, empty_frame

__all__ = ["DOSSIER_COLUMNS", "GROUP_KEYS", "aggregate_dossiers"]

DOSSIER_COLUMNS: tuple[str, ...] = (
    "unit",
    "field",
    "procedure_code",
    "procedure_name",
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
GROUP_KEYS: tuple[str, ...] = ("unit", "field", "procedure_code")


def _flags(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(yes, unknown) boolean arrays of a pandas ``boolean`` column."""
    s = series.astype("boolean")
    unknown = s.isna().to_numpy()
    yes = s.fillna(False).to_numpy(dtype=bool)
    return yes, unknown


def _days(series: pd.Series) -> np.ndarray:
    return pd.to_datetime(series).to_numpy().astype("datetime64[D]")


def aggregate_dossiers(
    dossiers: pd.DataFrame, months: list[str], cutoff_day: int | None = None
) -> pd.DataFrame:
    """The figures frame (:data:`FRAME_COLUMNS`, Int64 counts, NA = unknown) of ``dossiers`` for each of
    ``months`` (``YYYY-MM``, reporting months under ``cutoff_day``). Keys without a dossier in a month
    (received, carried over, ended or open in it) are not written."""
    if dossiers.empty or not months:
        return empty_frame()
    received = _days(dossiers["received_date"])
    due = _days(dossiers["due_date"])
    end = _days(dossiers["end_date"])
    no_due = np.isnat(due)
    no_end = np.isnat(end)
    channel = dossiers["channel"].to_numpy(dtype=object)
    status = dossiers["status"].to_numpy(dtype=object)
    online, direct, postal = (channel == "online"), (channel == "direct"), (channel == "postal")
    is_resolved, is_withdrawn = (status == "resolved"), (status == "withdrawn")
    full_yes, full_unknown = _flags(dossiers["online_full"])
    result_yes, result_unknown = _flags(dossiers["result_digitized"])
    digit_yes, digit_unknown = _flags(dossiers["dossier_digitized"])
    fee_yes, fee_unknown = _flags(dossiers["fee_required"])
    paid_yes, paid_unknown = _flags(dossiers["paid_online"])
    returned_yes, returned_unknown = _flags(dossiers["returned_postal"])
    keys = dossiers[list(GROUP_KEYS)].astype(object).reset_index(drop=True)
    names = dossiers["procedure_name"].astype(object).reset_index(drop=True)

    parts: list[pd.DataFrame] = []
    for month in months:
        first, last = (np.datetime64(d, "D") for d in month_span(month, cutoff_day))
        # ``end > last`` is False for NaT: open at the month's end is "no end, or an end after it".
        ended_after = no_end | (end > last)
        not_ended_before = no_end | (end >= first)
        active = (received <= last) & not_ended_before
        if not active.any():
            continue
        new = active & (received >= first)
        ended = ~no_end & (end >= first) & (end <= last)
        resolved = ended & is_resolved
        pending = (received <= last) & ended_after
        online_new = new & online
        with np.errstate(invalid="ignore"):
            early, on_time, late = end < due, end == due, end > due
            in_time = due >= last
        fee_new = new & fee_yes
        # (count, unknown) per figure: the unknown mask says "a needed cell is empty".
        figures: dict[str, tuple[np.ndarray, np.ndarray]] = {
            "received_online_full": (online_new & full_yes, online_new & full_unknown),
            "received_online_partial": (online_new & ~full_yes & ~full_unknown, online_new & full_unknown),
            "received_direct": (new & direct, np.zeros_like(new)),
            "received_postal": (new & postal, np.zeros_like(new)),
            "carried_over": (active & (received < first), np.zeros_like(new)),
            "resolved_early": (resolved & ~no_due & early, resolved & no_due),
            "resolved_on_time": (resolved & ~no_due & on_time, resolved & no_due),
            "resolved_late": (resolved & ~no_due & late, resolved & no_due),
            "pending_in_time": (pending & ~no_due & in_time, pending & no_due),
            "pending_overdue": (pending & ~no_due & ~in_time, pending & no_due),
            "withdrawn": (ended & is_withdrawn, np.zeros_like(new)),
            "returned_postal": (resolved & returned_yes, resolved & returned_unknown),
            "results_digitized": (resolved & result_yes, resolved & result_unknown),
            "dossiers_digitized": (new & digit_yes, new & digit_unknown),
            "payments_total": (fee_new, new & fee_unknown),
            "payments_online": (fee_new & paid_yes, (fee_new & paid_unknown) | (new & fee_unknown)),
            # the totals known even when their parts are not
            "received_online": (online_new, np.zeros_like(new)),
            "resolved": (resolved, np.zeros_like(new)),
            "pending": (pending, np.zeros_like(new)),
        }
        idx = np.flatnonzero(active)
        data = {c: keys[c].to_numpy()[idx] for c in GROUP_KEYS}
        data["procedure_name"] = names.to_numpy()[idx]
        for c, (count, unknown) in figures.items():
            data[c] = count[idx].astype(np.int64)
            data[f"{c}__unknown"] = unknown[idx].astype(np.int64)
        frame = pd.DataFrame(data)
        frame[list(GROUP_KEYS)] = frame[list(GROUP_KEYS)].fillna("")  # a missing procedure code is a key
        grouped = frame.groupby(list(GROUP_KEYS), sort=True, dropna=False)
        sums = grouped[[c for c in frame.columns if c not in (*GROUP_KEYS, "procedure_name")]].sum()
        sums["procedure_name"] = grouped["procedure_name"].first()
        sums = sums.reset_index()
        sums["period"] = month
        parts.append(sums)
    if not parts:
        return empty_frame()
    table = pd.concat(parts, ignore_index=True)
    out: dict[str, object] = {}
    for c in TEXT_COLUMNS:
        col = table[c].astype(object)
        out[c] = col.where(col != "", None) if c in ("procedure_code", "procedure_name") else col
    computed = [c for c in COUNT_COLUMNS if f"{c}__unknown" in table]
    for c in computed:
        out[c] = pd.arrays.IntegerArray(
            table[c].to_numpy(dtype=np.int64), table[f"{c}__unknown"].to_numpy() > 0
        )
    frame = pd.DataFrame(out)
    for total, total_parts in TOTALS.items():
        if total in computed:
            continue
        s = frame[list(total_parts)].sum(axis=1, skipna=False, min_count=len(total_parts))
        frame[total] = s.astype("Int64")
    frame = frame.sort_values(["period", *GROUP_KEYS], kind="stable", na_position="first")
    return frame[list(FRAME_COLUMNS)].reset_index(drop=True)
