"""Each year's plan: which targets file a period of a given year is measured against (``periods.md``).

``targets.toml`` (the ``targets`` setting's default) is the current plan; the plans of other years
may be kept beside it as ``targets/YYYY.toml`` (same format, ``[plan] year = YYYY``). For a year:

* ``targets/YYYY.toml`` when it exists;
* else ``targets.toml`` when its ``[plan] year`` is that year;
* else ``targets.toml`` all the same, and every page says so in one line (:attr:`PlanChoice.notice`).

``--targets PATH`` / ``TARGETS_FILE`` (set explicitly, see :func:`data_access.settings.source`) name
one file used for every year, as before: no ``targets/`` folder is looked at. When that file's plan is
of another year than the period's, the notice still says so (with its own wording: the other year's
plan may well exist, it is the setting that put it aside), because a reader of a 2023 page judged by
2024 targets must be told either way.

Only resolution lives here (no Streamlit, no ``kpi``): the callers load the file with
``kpi.targets.load_targets``. The file's ``[plan] year`` is read with ``tomllib`` alone; a file that
cannot be read gives ``plan_year=None`` and the loader then names the problem.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from data_access import settings
from data_access.texts import plans as T

#: The folder, beside the current plan, that holds the plans of other years.
PLANS_FOLDER = "targets"
_YEAR_FILE = re.compile(r"^(\d{4})\.toml$")


class PlanFileError(ValueError):
    """A year's plan file that contradicts its name (``targets/2023.toml`` with ``year = 2024``)."""


@dataclass(frozen=True)
class PlanChoice:
    """The targets file a period of ``year`` is measured against."""

    year: int  # the period's year
    path: Path
    plan_year: int | None  # the file's ``[plan] year`` (None when the file cannot be read)
    own_year: bool  # the file is the plan of ``year``
    explicit: bool  # chosen by --targets / TARGETS_FILE for every year

    @property
    def notice(self) -> str | None:
        """The one line the pages show when the period is judged by another year's plan, else ``None``."""
        if self.own_year or self.plan_year is None:
            return None
        return year_notice(self.year, self.plan_year, explicit=self.explicit, file=self.path.name)


def is_explicit(cli_value: str | None = None) -> bool:
    """Whether ``--targets`` or ``TARGETS_FILE`` names the targets file (else the default ``targets.toml``)."""
    return settings.source("targets", cli_value) != "default"


def current_path(cli_value: str | None = None) -> Path:
    """The current plan: ``--targets``, else ``TARGETS_FILE``, else ``targets.toml`` at the project root."""
    return settings.targets_path(cli_value)


def plans_dir(cli_value: str | None = None) -> Path:
    """The folder of the other years' plans: ``targets/`` beside the current plan."""
    return current_path(cli_value).parent / PLANS_FOLDER


def declared_year(path: Path) -> int | None:
    """The ``[plan] year`` of the targets file ``path``; ``None`` when missing, unreadable or not a year."""
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    plan = raw.get("plan")
    year = plan.get("year") if isinstance(plan, dict) else None
    return year if isinstance(year, int) and not isinstance(year, bool) else None


def _year_file(year: int, cli_value: str | None) -> Path:
    return plans_dir(cli_value) / f"{year:04d}.toml"


def plan_file_for(year: int, cli_value: str | None = None) -> PlanChoice:
    """The plan a period of ``year`` is measured against (module docstring).

    Raises :class:`PlanFileError` (a Vietnamese message) for a ``targets/YYYY.toml`` whose
    ``[plan] year`` is another year.
    """
    current = current_path(cli_value)
    if is_explicit(cli_value):
        declared = declared_year(current)
        return PlanChoice(year, current, declared, declared == year, True)
    own = _year_file(year, cli_value)
    if own.is_file():
        declared = declared_year(own)
        if declared is not None and declared != year:
            name = f"{PLANS_FOLDER}/{own.name}"
            raise PlanFileError(T.YEAR_MISMATCH.format(file=name, declared=declared, year=year))
        return PlanChoice(year, own, declared, True, False)
    declared = declared_year(current)
    return PlanChoice(year, current, declared, declared == year, False)


def plan_years(cli_value: str | None = None) -> list[int]:
    """The years that have a plan of their own, in order: ``targets/YYYY.toml`` and the current plan's
    year (only the named file's year when ``--targets`` / ``TARGETS_FILE`` is set)."""
    years: set[int] = set()
    if (current := declared_year(current_path(cli_value))) is not None:
        years.add(current)
    if not is_explicit(cli_value) and (folder := plans_dir(cli_value)).is_dir():
        years |= {int(m.group(1)) for p in folder.iterdir() if (m := _YEAR_FILE.match(p.name))}
    return sorted(years)


def save_path_for(year: int, cli_value: str | None = None) -> Path:
    """Where "save as official targets" writes the plan of ``year``: the file the year is measured
    against when it is the year's own (or the one file of ``--targets`` / ``TARGETS_FILE``), else a
    new ``targets/YYYY.toml``."""
    choice = plan_file_for(year, cli_value)
    if choice.explicit or choice.own_year:
        return choice.path
    return _year_file(year, cli_value)


def year_notice(
    year: int,
    plan_year: int,
    cli_value: str | None = None,
    *,
    explicit: bool | None = None,
    file: str | None = None,
) -> str | None:
    """The notice for a period of ``year`` judged by the plan of ``plan_year`` (``None`` when the same).

    ``explicit`` / ``file`` default to the settings (``--targets`` = ``cli_value`` or ``TARGETS_FILE``
    set, its file name).
    """
    if year == plan_year:
        return None
    if explicit is None:
        explicit = is_explicit(cli_value)
    if explicit:
        name = file or current_path(cli_value).name
        return T.ONE_FILE_FOR_ALL.format(file=name, year=year, plan_year=plan_year)
    return T.NO_OWN_PLAN.format(year=year, plan_year=plan_year)


def plan_name_for(name: str, from_year: int, to_year: int) -> str:
    """A plan's name moved to another year: ``… năm 2024`` → ``… năm 2023`` (the year appended when the
    name has none)."""
    if str(from_year) in name:
        return name.replace(str(from_year), str(to_year))
    return T.NAME_WITH_YEAR.format(name=name, year=to_year)
