"""Settings as data: one table (:data:`SETTINGS`) and one reader (:func:`get`, :func:`source`).

A setting's value comes from, first to last: the command line (``cli_value``), its environment
variable, its ``[section] key`` in ``secrets.toml`` (read as Streamlit reads it, see
:func:`read_secrets`), its default. An empty value counts as not set; a value that does not parse
as the setting's type falls back to the default.

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


def get(name: str, cli_value: object = None) -> Any:
    """The value of setting ``name``: ``cli_value``, else its environment variable, else secrets, else default."""
    setting = _setting(name)
    value, where = _raw(setting, cli_value)
    return value if where == "default" else _convert(setting, value)


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


def describe() -> list[dict[str, Any]]:
    """Every setting with its current value (URL passwords masked) and source, for ``python -m data_access settings``."""
    rows = []
    for s in SETTINGS:
        value = get(s.name)
        shown = value if value is None or isinstance(value, bool | int | float) else masked(value)
        rows.append(
            {
                "name": s.name,
                "env": s.env,
                "secrets": f"[{s.secrets[0]}] {s.secrets[1]}" if s.secrets else None,
                "value": shown,
                "source": source(s.name),
                "type": s.type,
                "help": s.help,
            }
        )
    return rows
