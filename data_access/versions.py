"""Which version of a (month, unit) is in use: the rule of the store, on frames (no I/O).

The store keeps every upload; the active version of a (month, unit) is the one with the highest
upload id (resolved in SQL by ``data_access.store``: ``active_parts``, ``load_figures``). Uploads
get their ids in the order they are stored, so the same rule picks, among rows not stored yet,
the rows of the file stored last (:func:`newest`). The rest reads the history of one upload:
which of its parts are in use, directly or through a restore of it, and which may be restored.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

#: How one part of an upload is used: ``active`` (its rows are read), ``via_restore`` (a restore
#: of it is read) or ``replaced`` (another upload's rows are read).
PART_USES = ("active", "via_restore", "replaced")


def newest(frame: pd.DataFrame, versions: Sequence[int]) -> pd.DataFrame:
    """The rows of ``frame`` whose version (one per row, like an upload id) is the highest of their
    (period, unit): what the dashboard reads once they are stored. Row order kept."""
    if frame.empty:
        return frame.reset_index(drop=True)
    v = pd.Series(list(versions), index=frame.index, dtype="int64")
    top = v.groupby([frame["period"], frame["unit"]], sort=False).transform("max")
    return frame[(v == top).to_numpy()].reset_index(drop=True)


def current_versions(active: pd.DataFrame) -> dict[tuple[str, str], int]:
    """(period, unit) → the upload id in use, from ``active_parts``."""
    return {
        (p, u): int(i) for p, u, i in zip(active["period"], active["unit"], active["upload_id"], strict=True)
    }


def restored_from(history: pd.DataFrame) -> dict[int, int]:
    """Restore upload id → the upload it restored, from ``history``."""
    return {
        int(i): int(r)
        for i, r in zip(history["id"], history["restored_from"], strict=True)
        if r is not None and not pd.isna(r)
    }


def with_use(
    parts: pd.DataFrame, upload_id: int, active: pd.DataFrame, restored: dict[int, int]
) -> pd.DataFrame:
    """``upload_parts`` plus ``upload`` (this id) and ``via_restore`` (in use through a restore of it)."""
    current = current_versions(active)
    out = parts.copy()
    out["upload"] = upload_id
    out["via_restore"] = [
        restored.get(current.get((p, u), -1)) == upload_id
        for p, u in zip(out["period"], out["unit"], strict=True)
    ]
    return out


def part_uses(
    parts: pd.DataFrame, active: pd.DataFrame, restored: dict[int, int] | None = None
) -> list[tuple[str, int | None]]:
    """Per part of :func:`with_use`: (one of :data:`PART_USES`, the upload id in use or None).

    A part whose active version is a restore of this very upload is in use (through that restore).
    """
    current = current_versions(active)
    restored = restored or {}
    out: list[tuple[str, int | None]] = []
    for p, u, a, mine in zip(parts["period"], parts["unit"], parts["active"], parts["upload"], strict=True):
        now = current.get((p, u))
        if a:
            out.append(("active", now))
        elif now is not None and restored.get(now) == mine:
            out.append(("via_restore", now))
        else:
            out.append(("replaced", now))
    return out


def restorable(parts: pd.DataFrame) -> pd.DataFrame:
    """The parts of an upload that are not in use, directly or through a restore of it."""
    return parts[~parts["active"].astype(bool) & ~parts["via_restore"].astype(bool)]


def current_upload(active: pd.DataFrame, period: str, unit: str) -> int | None:
    """The upload id in use for (``period``, ``unit``), None when nothing is stored."""
    return current_versions(active).get((period, unit))
