"""The official 766 scores the national portal published, recorded by the office (``scoring.md``).

Each import is one upload (history kept); the score of a (period, group) in force is that of the latest
upload (highest id) holding it. These scores are shown beside the estimate computed from the
department's figures (``kpi.scoring``), never mixed into it. Reading the file is
:mod:`data_access.xlsx.official_scores`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access.account_check import account_transaction
from data_access.audit import record
from data_access.roles import Actor, cli_actor
from data_access.schema import official_score as score
from data_access.schema import official_score_upload as upload
from data_access.texts import official_scores as T
from data_access.xlsx.official_scores import (
    GROUP_CODES,
    GROUP_MAX,
    SCORE_COLUMNS,
    SIX_GROUPS,
    TOTAL,
    ScoresRead,
    is_scores_workbook,
    parse_score_period,
    read_scores,
)

__all__ = [
    "GROUP_CODES",
    "GROUP_CRITERIA",
    "GROUP_MAX",
    "OFFICIAL_COLUMNS",
    "SAMPLE_SCORES",
    "SIX_GROUPS",
    "TOTAL",
    "UPLOAD_COLUMNS",
    "ScoresImport",
    "import_scores",
    "is_scores_workbook",
    "load_sample_scores_if_empty",
    "official_scores",
    "period_label",
    "read_scores",
    "save_scores",
    "score_period",
    "score_periods",
    "score_uploads",
]

#: The criteria of ``scoring.toml`` (framework ``i766``) whose points make up part of each group: the
#: estimate of a group is the sum of these; a group with none has no estimate (it cannot be computed
#: from the department's figures). Only ``i766.progress`` covers its whole group.
GROUP_CRITERIA: dict[str, tuple[str, ...]] = {
    "i766.publicity": (),
    "i766.progress": ("i766.progress",),
    "i766.online": (),
    "i766.payment": ("i766.payment_dossiers", "i766.payment_procedures"),
    "i766.satisfaction": (),
    "i766.digitization": ("i766.results_digitized", "i766.dossiers_digitized"),
    TOTAL: (),
}
assert set(GROUP_CRITERIA) == set(GROUP_CODES)

#: Every upload of scores, newest first (:func:`score_uploads`).
UPLOAD_COLUMNS: tuple[str, ...] = ("id", "created_at", "user_name", "file_name", "sha256", "row_count")
#: The scores in force (:func:`official_scores`): the stored columns, the group's maximum, and which
#: upload gave each score and when.
OFFICIAL_COLUMNS: tuple[str, ...] = (*SCORE_COLUMNS, "max_points", "upload_id", "uploaded_at", "file_name")


@dataclass(frozen=True)
class ScoresImport:
    """What one import did: the file's read (its issues) and, when stored, the upload id."""

    read: ScoresRead
    upload_id: int | None

    @property
    def ok(self) -> bool:
        return self.upload_id is not None

    @property
    def periods(self) -> list[str]:
        """The periods of the file, sorted (empty when refused)."""
        return self.read.periods

    @property
    def groups(self) -> list[str]:
        """The group codes the file gives for at least one period, in the portal's order."""
        present = set(self.read.frame["group_code"])
        return [g for g in GROUP_CODES if g in present]

    @property
    def rows(self) -> int:
        """The scores stored (one per period and group)."""
        return len(self.read.frame) if self.ok else 0


def score_period(text: str) -> str:
    """A period as stored (``2024-06``, ``2024-Q2``, ``2024-H1``, ``2024``) from any spelling the
    reader takes (``06/2024``, ``Quý II/2024``…); ``ValueError`` for anything else."""
    code, err = parse_score_period(text.strip() if isinstance(text, str) else text)
    if code is None:
        raise ValueError(f"not a period: {text!r} ({err})")
    return code


_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def period_label(code: str) -> str:
    """A stored period as people write it: ``Tháng 6/2024``, ``Quý II/2024``, ``6 tháng đầu năm 2024``."""
    year = code[:4]
    rest = code[5:]
    if not rest:
        return T.PERIOD_YEAR.format(year=year)
    if rest.startswith("Q"):
        return T.PERIOD_QUARTER.format(roman=_ROMAN[rest[1:]], year=year)
    if rest.startswith("H"):
        return (T.PERIOD_FIRST_HALF if rest == "H1" else T.PERIOD_SECOND_HALF).format(year=year)
    return T.PERIOD_MONTH.format(month=int(rest), year=year)


def _none(value: object) -> object:
    return None if value is None or pd.isna(value) else value  # type: ignore[call-overload]


def save_scores(
    engine: Engine,
    frame: pd.DataFrame,
    *,
    file_name: str,
    sha256: str,
    user: str = "cli",
    actor: Actor | None = None,
) -> int:
    """Store one upload of scores (a frame as :func:`read_scores` gives it) in one transaction with its
    audit row; its upload id. Without ``actor`` this is the command line's trusted path, recorded under
    ``user``; pages pass the signed-in actor, whose account is checked (``upload``) in the transaction."""
    missing = [c for c in SCORE_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"scores frame lacks columns {missing}")
    if frame.empty:
        raise ValueError("no scores to store")
    if frame[["period", "group_code"]].duplicated().any():
        raise ValueError("scores frame has a (period, group) twice")
    unknown = set(frame["group_code"]) - set(GROUP_CODES)
    if unknown:
        raise ValueError(f"unknown groups {sorted(map(str, unknown))}")
    for p in set(frame["period"]):
        if score_period(str(p)) != p:
            raise ValueError(f"period {p!r} is not written as stored")
    rows = []
    for r in frame[list(SCORE_COLUMNS)].itertuples(index=False):
        points, rank = _none(r.points), _none(r.rank)
        if points is not None and not 0 <= float(points) <= GROUP_MAX[str(r.group_code)] + 1e-9:  # type: ignore[arg-type]
            raise ValueError(f"{r.period} {r.group_code}: {points} outside 0…{GROUP_MAX[str(r.group_code)]}")
        rows.append(
            {
                "period": str(r.period),
                "group_code": str(r.group_code),
                "group_name": str(r.group_name)[:300],
                "points": None if points is None else float(points),  # type: ignore[arg-type]
                "rank": None if rank is None else int(rank),  # type: ignore[call-overload]
            }
        )
    who = actor or cli_actor(user)
    with account_transaction(engine, who, "upload") as conn:
        key = conn.execute(
            upload.insert().values(
                created_at=dt.datetime.now(dt.UTC),
                user_name=who.username[:200],
                file_name=file_name[:500],
                sha256=sha256,
                row_count=len(rows),
            )
        ).inserted_primary_key
        assert key is not None
        upload_id = int(key[0])
        conn.execute(score.insert(), [{"upload_id": upload_id, **r} for r in rows])
        record(
            conn,
            who.username,
            "scores_upload",
            {
                "upload_id": upload_id,
                "file": file_name,
                "sha256": sha256,
                "periods": sorted({str(r["period"]) for r in rows}),
                "rows": len(rows),
                "via": who.via,
            },
        )
    return upload_id


def import_scores(
    engine: Engine, data: bytes, file_name: str, *, user: str = "cli", actor: Actor | None = None
) -> ScoresImport:
    """Read a scores workbook (the bytes of a file or an upload named ``file_name``) and, when it has no
    error, store it (:func:`save_scores`). Refused (any error): nothing stored, ``upload_id`` ``None``."""
    read = read_scores(bytes(data), filename=file_name)
    if not read.ok:
        return ScoresImport(read, None)
    upload_id = save_scores(
        engine, read.frame, file_name=read.file, sha256=read.sha256, user=user, actor=actor
    )
    return ScoresImport(read, upload_id)


def _empty_official() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": pd.Series([], dtype=object),
            "group_code": pd.Series([], dtype=object),
            "group_name": pd.Series([], dtype=object),
            "points": pd.Series([], dtype=float),
            "rank": pd.Series([], dtype="Int64"),
            "max_points": pd.Series([], dtype=float),
            "upload_id": pd.Series([], dtype="int64"),
            "uploaded_at": pd.Series([], dtype=object),
            "file_name": pd.Series([], dtype=object),
        }
    )[list(OFFICIAL_COLUMNS)]


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def official_scores(engine: Engine, period: str | None = None) -> pd.DataFrame:
    """The published scores in force for ``period`` (any spelling :func:`score_period` takes; ``None``:
    every period): per (period, group) the latest upload's. Columns :data:`OFFICIAL_COLUMNS` — group
    codes of :data:`GROUP_CODES`, ``points`` float (NaN: a total given only by its rank), ``max_points``,
    ``rank`` Int64 — sorted by period, then the portal's group order. Empty frame when there is none."""
    code = None if period is None else score_period(period)
    latest = sa.select(
        score.c.period, score.c.group_code, sa.func.max(score.c.upload_id).label("upload_id")
    ).group_by(score.c.period, score.c.group_code)
    if code is not None:
        latest = latest.where(score.c.period == code)
    last = latest.subquery()
    query = (
        sa.select(
            score.c.period,
            score.c.group_code,
            score.c.group_name,
            score.c.points,
            score.c.rank,
            score.c.upload_id,
            upload.c.created_at,
            upload.c.file_name,
        )
        .join(
            last,
            sa.and_(
                score.c.period == last.c.period,
                score.c.group_code == last.c.group_code,
                score.c.upload_id == last.c.upload_id,
            ),
        )
        .join(upload, upload.c.id == score.c.upload_id)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    if not rows:
        return _empty_official()
    order = {g: i for i, g in enumerate(GROUP_CODES)}
    rows = sorted(rows, key=lambda r: (r.period, order.get(r.group_code, len(order))))
    frame = pd.DataFrame(
        {
            "period": pd.Series([r.period for r in rows], dtype=object),
            "group_code": pd.Series([r.group_code for r in rows], dtype=object),
            "group_name": pd.Series([r.group_name for r in rows], dtype=object),
            "points": pd.Series(
                [float("nan") if r.points is None else float(r.points) for r in rows], dtype=float
            ),
            "rank": pd.array([r.rank for r in rows], dtype="Int64"),
            "max_points": pd.Series([GROUP_MAX.get(r.group_code, float("nan")) for r in rows], dtype=float),
            "upload_id": pd.Series([int(r.upload_id) for r in rows], dtype="int64"),
            "uploaded_at": pd.Series([_aware(r.created_at) for r in rows], dtype=object),
            "file_name": pd.Series([r.file_name for r in rows], dtype=object),
        }
    )
    return frame[list(OFFICIAL_COLUMNS)]


def score_periods(engine: Engine) -> list[str]:
    """Every period that has a published score, sorted."""
    with engine.connect() as conn:
        return sorted(conn.execute(sa.select(score.c.period).distinct()).scalars())


def score_uploads(engine: Engine) -> pd.DataFrame:
    """Every upload of scores, newest first: :data:`UPLOAD_COLUMNS` (``created_at`` aware, UTC)."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(*[upload.c[c] for c in UPLOAD_COLUMNS]).order_by(upload.c.id.desc())
        ).all()
    out = pd.DataFrame([tuple(r) for r in rows], columns=list(UPLOAD_COLUMNS))
    if not out.empty:
        out["created_at"] = [_aware(v) for v in out["created_at"]]
    return out


#: The sample scores shipped beside the sample figures.
SAMPLE_SCORES = "diem-766-mau.xlsx"


def load_sample_scores_if_empty(engine: Engine, folder: Path, *, user: str) -> int | None:
    """Store the sample scores (``folder/diem-766-mau.xlsx``) when no scores upload exists yet; the
    upload id, ``None`` when nothing was done (no file, scores already stored, or the file refused)."""
    path = Path(folder) / SAMPLE_SCORES
    if not path.is_file():
        return None
    with engine.connect() as conn:
        if conn.execute(sa.select(sa.func.count()).select_from(upload)).scalar_one():
            return None
    return import_scores(engine, path.read_bytes(), path.name, user=user).upload_id
