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
    ``months`` (``YYYY-MM``, reporting months under ``cutoff_day``: the months the list covers).

    A key (unit, field, procedure) without a dossier in a month (received, carried over, ended or open
    in it) is not written: the upload is procedure-level, so it had 0 dossiers. A unit of the list with
    no dossier at all in a covered month is written as zeros, one row per key of the unit, so that the
    upload replaces that (month, unit) with what the list says (nothing happened), not leaves the stored
    month in force.

    Each key gets one integer code; each figure of a month is then one ``np.bincount`` of the dossiers
    it counts (and one of those that make it unknown), so the cost is a few passes of numpy per month.
    """
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

    # one code per key, keys sorted (a missing procedure code is the key "", first)
    keyed = pd.DataFrame(
        {c: pd.Series(dossiers[c].to_numpy(dtype=object), dtype=object).fillna("") for c in GROUP_KEYS}
    )
    keyed["procedure_name"] = pd.Series(dossiers["procedure_name"].to_numpy(dtype=object), dtype=object)
    grouped = keyed.groupby(list(GROUP_KEYS), sort=True, dropna=False)
    code = grouped.ngroup().to_numpy()
    table = grouped["procedure_name"].first()
    n_keys = len(table)
    key_values = {c: np.asarray(table.index.get_level_values(c), dtype=object) for c in GROUP_KEYS}
    key_names = table.to_numpy(dtype=object)

    def per_key(mask: np.ndarray) -> np.ndarray:
        return np.bincount(code[mask], minlength=n_keys)

    none = np.zeros(len(code), dtype=bool)
    parts: list[dict[str, np.ndarray]] = []
    for month in months:
        first, last = (np.datetime64(d, "D") for d in month_span(month, cutoff_day))
        # ``end > last`` is False for NaT: open at the month's end is "no end, or an end after it".
        ended_after = no_end | (end > last)
        not_ended_before = no_end | (end >= first)
        active = (received <= last) & not_ended_before
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
            "received_direct": (new & direct, none),
            "received_postal": (new & postal, none),
            "carried_over": (active & (received < first), none),
            "resolved_early": (resolved & ~no_due & early, resolved & no_due),
            "resolved_on_time": (resolved & ~no_due & on_time, resolved & no_due),
            "resolved_late": (resolved & ~no_due & late, resolved & no_due),
            "pending_in_time": (pending & ~no_due & in_time, pending & no_due),
            "pending_overdue": (pending & ~no_due & ~in_time, pending & no_due),
            "withdrawn": (ended & is_withdrawn, none),
            "returned_postal": (resolved & returned_yes, resolved & returned_unknown),
            "results_digitized": (resolved & result_yes, resolved & result_unknown),
            "dossiers_digitized": (new & digit_yes, new & digit_unknown),
            "payments_total": (fee_new, new & fee_unknown),
            "payments_online": (fee_new & paid_yes, (fee_new & paid_unknown) | (new & fee_unknown)),
            # the totals known even when their parts are not
            "received_online": (online_new, none),
            "resolved": (resolved, none),
            "pending": (pending, none),
        }
        written = per_key(active) > 0
        part: dict[str, np.ndarray] = {"_key": np.flatnonzero(written)}
        for c, (count, unknown) in figures.items():
            part[c] = per_key(count)[written]
            part[f"{c}__unknown"] = (
                (per_key(unknown) > 0)[written] if unknown is not none else np.zeros(len(part[c]), bool)
            )
        # a unit of the list without any dossier this month: zeros for each of its keys
        units_here = set(key_values["unit"][written].tolist())
        idle = np.flatnonzero(~np.isin(key_values["unit"], list(units_here)))
        if len(idle):
            part["_key"] = np.concatenate([part["_key"], idle])
            for c in figures:
                part[c] = np.concatenate([part[c], np.zeros(len(idle), dtype=np.int64)])
                part[f"{c}__unknown"] = np.concatenate([part[f"{c}__unknown"], np.zeros(len(idle), bool)])
        part["_period"] = np.full(len(part["_key"]), month, dtype=object)
        parts.append(part)
    keys = np.concatenate([p["_key"] for p in parts])
    if not len(keys):
        return empty_frame()
    out: dict[str, object] = {"period": np.concatenate([p["_period"] for p in parts])}
    for c in GROUP_KEYS:
        col = key_values[c][keys]
        out[c] = np.where(col == "", None, col) if c == "procedure_code" else col
    out["procedure_name"] = key_names[keys]
    computed = [c for c in COUNT_COLUMNS if c in parts[0]]
    for c in computed:
        values = np.concatenate([p[c] for p in parts]).astype(np.int64)
        mask = np.concatenate([p[f"{c}__unknown"] for p in parts])
        out[c] = pd.arrays.IntegerArray(values, mask)
    frame = pd.DataFrame(
        {k: (pd.Series(v, dtype=object) if k in TEXT_COLUMNS else v) for k, v in out.items()}
    )
    for total, total_parts in TOTALS.items():
        if total in computed:
            continue
        s = frame[list(total_parts)].sum(axis=1, skipna=False, min_count=len(total_parts))
        frame[total] = s.astype("Int64")
    order = np.lexsort((keys, frame["period"].to_numpy(dtype=object).astype(str)))
    frame = frame.iloc[order]
    return frame[list(FRAME_COLUMNS)].reset_index(drop=True)
