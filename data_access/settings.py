"""Where the database and the targets file are (``interfaces.md``: Settings)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "dashboard.db"
SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.toml"
SAMPLE_DIR = PROJECT_ROOT / "sample_data"


def _secret(section: str, key: str) -> object:
    """``[section] key`` of ``.streamlit/secrets.toml``; ``None`` when absent or unreadable."""
    if not SECRETS_FILE.is_file():
        return None
    try:
        with SECRETS_FILE.open("rb") as fh:
            return tomllib.load(fh).get(section, {}).get(key)
    except (OSError, tomllib.TOMLDecodeError):
        return None


def database_url(cli_value: str | None = None) -> str:
    """Resolve the database URL: ``--db``, else ``DATABASE_URL``, else secrets, else the SQLite file."""
    if cli_value:
        return cli_value
    env = os.environ.get("DATABASE_URL")
    if env:
        return env
    url = _secret("database", "url")
    return str(url) if url else f"sqlite:///{DEFAULT_DB_PATH}"


def figures_source_path(cli_value: str | None = None) -> Path | None:
    """The external figures source's mapping file: ``--mapping``, else ``FIGURES_SOURCE``, else
    ``[figures_source] mapping`` in secrets; ``None`` when none is configured (a relative path is
    taken from the project root)."""
    value = cli_value or os.environ.get("FIGURES_SOURCE") or _secret("figures_source", "mapping")
    if not value:
        return None
    path = Path(str(value))
    return path if path.is_absolute() else PROJECT_ROOT / path


def targets_path(cli_value: str | None = None) -> Path:
    """Resolve the targets file: ``--targets``, else ``TARGETS_FILE``, else ``targets.toml`` at the root."""
    if cli_value:
        return Path(cli_value)
    env = os.environ.get("TARGETS_FILE")
    if env:
        return Path(env)
    return PROJECT_ROOT / "targets.toml"


def max_upload_mb() -> int:
    """Upload size limit in MB (``UPLOAD_MAX_MB``, default 20), for the page and the readers."""
    try:
        return max(1, int(os.environ.get("UPLOAD_MAX_MB", "20")))
    except ValueError:
        return 20


def load_sample_on_first_start() -> bool:
    """Whether an empty database gets the sample workbooks at first start (``SAMPLE_DATA=0`` turns it off)."""
    return os.environ.get("SAMPLE_DATA", "1").strip().lower() not in ("0", "false", "no", "off")
