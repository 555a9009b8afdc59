"""Settings as data: one table (:data:`SETTINGS`) and one reader (:func:`get`, :func:`source`).

A setting's value comes from, first to last: the command line (``cli_value``), its environment
variable, its ``[section] key`` in ``secrets.toml`` (read as Streamlit reads it, see
:func:`read_secrets`), its default. An empty value counts as not set; a value that does not parse
as the setting's type falls back to the default, except for a ``strict`` setting, whose bad value
raises :class:`SettingError` (named with where it came from and what is allowed).

Not settings: ``DATA_ACCESS_FAULT_PAUSE`` / ``DATA_ACCESS_FAULT_PAUSE_SECONDS`` (a test hook of
``data_access.store.commit_import``) and the ``url_env`` of an external source's mapping file (a
variable *named by* that file).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from data_access.reporting_period import MAX_CUTOFF_DAY, MIN_CUTOFF_DAY
from data_access.texts import reporting as RT

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "dashboard.db"
#: The project's own secrets file (next to ``app.py``, Streamlit's "script-level" file).
SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.toml"
SAMPLE_DIR = PROJECT_ROOT / "sample_data"

Source = Literal["cli", "env", "secrets", "default"]
_OFF = ("0", "false", "no", "off")


@dataclass(frozen=True)
class Setting:
    """One setting: where it is read from, its default, its type (str|path|int|float|bool), its meaning."""

    name: str
    env: str
    secrets: tuple[str, str] | None
    default: object
    type: str
    help: str
    low: float | None = None  # numbers are kept within [low, high]
    high: float | None = None
    strict: bool = False  # a value that does not parse or is out of [low, high] is an error (SettingError)


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "database",
        "DATABASE_URL",
        ("database", "url"),
        f"sqlite:///{DEFAULT_DB_PATH}",
        "str",
        "SQLAlchemy URL of the dashboard's database (also --db)",
    ),
    Setting(
        "targets",
        "TARGETS_FILE",
        None,
        PROJECT_ROOT / "targets.toml",
        "path",
        "the plan's targets file (also --targets)",
    ),
    Setting(
        "figures_source",
        "FIGURES_SOURCE",
        ("figures_source", "mapping"),
        None,
        "path",
        "mapping file of the external figures source, relative to the project root (also --mapping)",
    ),
    Setting(
        "upload_max_mb",
        "UPLOAD_MAX_MB",
        None,
        20,
        "int",
        "upload size limit in MB checked by the upload page",
        low=1,
    ),
    Setting(
        "sample_data",
        "SAMPLE_DATA",
        None,
        True,
        "bool",
        "load the sample workbooks into an empty database at first start (0 turns it off)",
    ),
    Setting(
        "session_idle_minutes",
        "SESSION_IDLE_MINUTES",
        None,
        30.0,
        "float",
        "minutes without activity after which a signed-in session ends",
        low=1,
    ),
    Setting(
        "bcrypt_rounds",
        "BCRYPT_ROUNDS",
        None,
        12,
        "int",
        "bcrypt cost of new password hashes (the tests use 4)",
        low=4,
        high=15,
    ),
    Setting(
        "allow_demo_mode",
        "ALLOW_DEMO_MODE",
        None,
        True,
        "bool",
        "with no user in the database the app opens in demo mode (may upload); 0 forbids it (production)",
    ),
    Setting(
        "db_timeout_seconds",
        "DB_TIMEOUT_SECONDS",
        None,
        30,
        "int",
        "seconds a statement of the dashboard's database may run or wait for a lock (PostgreSQL "
        "statement_timeout, SQLite busy timeout); connecting waits at most 10 s",
        low=1,
    ),
    Setting(
        "reporting_cutoff_day",
        "REPORTING_CUTOFF_DAY",
        ("reporting", "cutoff_day"),
        None,
        "int",
        "day of the month on which a reporting month closes (14: 15th of M-1 to 14th of M); empty: calendar months",
        low=MIN_CUTOFF_DAY,
        high=MAX_CUTOFF_DAY,
        strict=True,
    ),
    Setting(
        "scoring",
        "SCORING_FILE",
        None,
        PROJECT_ROOT / "scoring.toml",
        "path",
        "the scoring rules of the PAR-index and 766 criteria (also --scoring)",
    ),
    Setting(
        "agency_name",
        "AGENCY_NAME",
        ("agency", "name"),
        "",
        "str",
        "the agency named in the reports' administrative header (empty: the brief's default agency)",
    ),
    Setting(
        "agency_place",
        "AGENCY_PLACE",
        ("agency", "place"),
        "",
        "str",
        "the place on the reports' date line (empty: the brief's default place)",
    ),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def secrets_files() -> list[Path]:
    """The ``secrets.toml`` files Streamlit reads by default, first to last (a later one wins).

    Streamlit 1.67 (``secrets.files``): ``~/.streamlit/secrets.toml``, then the working directory's
    ``.streamlit/secrets.toml``, then the one beside the main script (here the project root).
    """
    found: list[Path] = []
    for path in (
        Path.home() / ".streamlit" / "secrets.toml",
        Path.cwd() / ".streamlit" / "secrets.toml",
        SECRETS_FILE,
    ):
        resolved = path.resolve()
        if resolved in found:  # a file listed twice is read once, at its first place
            continue
        found.append(resolved)
    return found


def read_secrets() -> dict[str, Any]:
    """The secrets, merged as Streamlit merges them: top-level keys of a later file replace earlier ones.

    A missing or unreadable file is skipped.
    """
    merged: dict[str, Any] = {}
    for path in secrets_files():
        try:
            with path.open("rb") as fh:
                merged.update(tomllib.load(fh))
        except (OSError, tomllib.TOMLDecodeError):
            continue
    return merged


def _setting(name: str) -> Setting:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown setting {name!r}; known: {', '.join(_BY_NAME)}") from None


def _raw(setting: Setting, cli_value: object) -> tuple[object, Source]:
    if cli_value is not None and cli_value != "":
        return cli_value, "cli"
    env = os.environ.get(setting.env)
    if env is not None and env.strip() != "":
        return env, "env"
    if setting.secrets is not None:
        section, key = setting.secrets
        table = read_secrets().get(section)
        value = table.get(key) if isinstance(table, dict) else None
        if value is not None and value != "":
            return value, "secrets"
    return setting.default, "default"


def _convert(setting: Setting, value: object) -> object:
    """``value`` (from the command line, the environment or secrets) as the setting's type; the
    default when it does not parse."""
    kind = setting.type
    if kind == "bool":
        return value if isinstance(value, bool) else str(value).strip().lower() not in _OFF
    if kind == "path":
        return Path(str(value))
    if kind == "str":
        return str(value)
    try:
        number: float = int(str(value).strip()) if kind == "int" else float(str(value).strip())
    except ValueError:
        return setting.default
    if setting.low is not None:
        number = max(number, type(number)(setting.low))
    if setting.high is not None:
        number = min(number, type(number)(setting.high))
    return number


class SettingError(ValueError):
    """A strict setting's value that does not parse or is out of bounds; the message says which, where
    it came from and what is allowed (Vietnamese, for the command line and the pages)."""


def _check_strict(setting: Setting, value: object, where: Source) -> None:
    """Raise :class:`SettingError` unless ``value`` is a number of the setting's type within its bounds."""
    text = str(value).strip()
    number: float | None = None
    if not isinstance(value, bool):  # TOML's true/false is not a number
        try:
            number = int(text) if setting.type == "int" else float(text)
        except ValueError:
            number = None
    if (
        number is not None
        and (setting.low is None or number >= setting.low)
        and (setting.high is None or number <= setting.high)
    ):
        return
    section, key = setting.secrets or ("", "")
    origin = {
        "cli": RT.FROM_CLI,
        "env": RT.FROM_ENV.format(env=setting.env),
        "secrets": RT.FROM_SECRETS.format(section=section, key=key),
    }[where]
    raise SettingError(
        RT.SETTING_INVALID.format(
            origin=origin,
            value=text,
            low=_bound(setting.low),
            high=_bound(setting.high),
            meaning=RT.SETTING_MEANINGS.get(setting.name, setting.help),
        )
    )


def _bound(bound: float | None) -> str:
    return "" if bound is None else f"{bound:g}"  # 28, not 28.0


def get(name: str, cli_value: object = None) -> Any:
    """The value of setting ``name``: ``cli_value``, else its environment variable, else secrets, else default.

    Raises :class:`SettingError` for a ``strict`` setting whose value does not parse or is out of bounds.
    """
    setting = _setting(name)
    value, where = _raw(setting, cli_value)
    if where == "default":
        return value
    if setting.strict:
        _check_strict(setting, value, where)
    return _convert(setting, value)


def source(name: str, cli_value: object = None) -> Source:
    """Where the value of setting ``name`` comes from: ``cli``, ``env``, ``secrets`` or ``default``."""
    return _raw(_setting(name), cli_value)[1]


def masked(value: object) -> str:
    """``value`` as text for display, with the password of a URL (``user:pw@host``) replaced by ``***``."""
    text = "" if value is None else str(value)
    try:
        parts = urlsplit(text)
    except ValueError:
        return text
    userinfo, at, host = parts.netloc.rpartition("@")
    if not at or ":" not in userinfo:
        return text
    user = userinfo.split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


# ---------------------------------------------------------------------------- the callers' wrappers


def database_url(cli_value: str | None = None) -> str:
    """Resolve the database URL: ``--db``, else ``DATABASE_URL``, else secrets, else the SQLite file."""
    return str(get("database", cli_value))


def figures_source_path(cli_value: str | None = None) -> Path | None:
    """The external figures source's mapping file: ``--mapping``, else ``FIGURES_SOURCE``, else
    ``[figures_source] mapping`` in secrets; ``None`` when none is configured (a relative path is
    taken from the project root)."""
    path: Path | None = get("figures_source", cli_value)
    if path is None:
        return None
    return path if path.is_absolute() else PROJECT_ROOT / path


def targets_path(cli_value: str | None = None) -> Path:
    """Resolve the targets file: ``--targets``, else ``TARGETS_FILE``, else ``targets.toml`` at the root."""
    return Path(get("targets", cli_value))


def scoring_path(cli_value: str | None = None) -> Path:
    """Resolve the scoring rules: ``--scoring``, else ``SCORING_FILE``, else ``scoring.toml`` at the root."""
    return Path(get("scoring", cli_value))


def agency() -> tuple[str, str]:
    """The agency name and place of the reports' header (``AGENCY_NAME`` / ``AGENCY_PLACE`` or ``[agency]``
    in secrets); ``""`` where not set (the brief then uses its defaults)."""
    return str(get("agency_name") or ""), str(get("agency_place") or "")


def max_upload_mb() -> int:
    """Upload size limit in MB (``UPLOAD_MAX_MB``, default 20), for the page and the readers."""
    return int(get("upload_max_mb"))


def load_sample_on_first_start() -> bool:
    """Whether an empty database gets the sample workbooks at first start (``SAMPLE_DATA=0`` turns it off)."""
    return bool(get("sample_data"))


def session_idle_minutes() -> float:
    """Minutes without activity after which a session ends (``SESSION_IDLE_MINUTES``, default 30, at least 1)."""
    return float(get("session_idle_minutes"))


def bcrypt_rounds() -> int:
    """bcrypt cost of new hashes (``BCRYPT_ROUNDS``, default 12, kept within 4–15)."""
    return int(get("bcrypt_rounds"))


def reporting_cutoff_day() -> int | None:
    """The day a reporting month closes on (``REPORTING_CUTOFF_DAY`` / ``[reporting] cutoff_day``, 1–28);
    ``None`` (unset): calendar months. Raises :class:`SettingError` for any other value."""
    day: int | None = get("reporting_cutoff_day")
    return day


def describe() -> list[dict[str, Any]]:
    """Every setting with its current value (URL passwords masked) and source, for ``python -m data_access settings``.

    A strict setting whose value is refused shows that value as given, and its row has an ``error`` key
    (the :class:`SettingError` message); the other rows have none.
    """
    rows = []
    for s in SETTINGS:
        error = None
        try:
            value = get(s.name)
        except SettingError as exc:
            value, error = _raw(s, None)[0], str(exc)
        shown = value if value is None or isinstance(value, bool | int | float) else masked(value)
        row = {
            "name": s.name,
            "env": s.env,
            "secrets": f"[{s.secrets[0]}] {s.secrets[1]}" if s.secrets else None,
            "value": shown,
            "source": source(s.name),
            "type": s.type,
            "help": s.help,
        }
        if error is not None:
            row["error"] = error
        rows.append(row)
    return rows
