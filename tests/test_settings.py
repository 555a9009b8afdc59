"""Settings as data: the table, the one reader (command line > environment > secrets > default), the
secrets files read as Streamlit reads them, ``python -m data_access settings`` and the README."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from data_access import settings
from data_access.__main__ import main
from tests.helpers import ROOT


@pytest.fixture
def clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No setting in the environment, an empty home and working directory, no project secrets file."""
    for s in settings.SETTINGS:
        monkeypatch.delenv(s.env, raising=False)
    (tmp_path / "home").mkdir()
    (tmp_path / "work").mkdir()
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path / "home"))
    monkeypatch.chdir(tmp_path / "work")
    monkeypatch.setattr(settings, "SECRETS_FILE", tmp_path / "project" / ".streamlit" / "secrets.toml")
    return monkeypatch


def _secrets(directory: Path, text: str) -> None:
    (directory / ".streamlit").mkdir(parents=True, exist_ok=True)
    (directory / ".streamlit" / "secrets.toml").write_text(text, encoding="utf-8")


def test_every_setting_is_in_the_readme() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    readme = text.split("\n## Settings", 1)[1].split("\n## ", 1)[0]  # the settings section only
    missing = [s.env for s in settings.SETTINGS if f"`{s.env}" not in readme]
    missing += [
        f"[{s.secrets[0]}] {s.secrets[1]}"
        for s in settings.SETTINGS
        if s.secrets and f"[{s.secrets[0]}] {s.secrets[1]}" not in readme
    ]
    assert not missing, f"settings missing from README.md's settings table: {missing}"


def test_the_table() -> None:
    names = [s.name for s in settings.SETTINGS]
    assert len(set(names)) == len(names) and len({s.env for s in settings.SETTINGS}) == len(names)
    for s in settings.SETTINGS:
        assert s.type in {"str", "path", "int", "float", "bool"} and s.help, s
    with pytest.raises(KeyError, match="unknown setting"):
        settings.get("no_such_setting")


def test_defaults(clean: pytest.MonkeyPatch) -> None:
    assert settings.database_url() == f"sqlite:///{settings.DEFAULT_DB_PATH}"
    assert settings.targets_path() == ROOT / "targets.toml"
    assert settings.figures_source_path() is None
    assert (settings.max_upload_mb(), settings.load_sample_on_first_start()) == (20, True)
    assert (settings.session_idle_minutes(), settings.bcrypt_rounds()) == (30.0, 12)
    assert {settings.source(s.name) for s in settings.SETTINGS} == {"default"}


def test_command_line_then_environment_then_secrets(clean: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _secrets(tmp_path / "home", '[database]\nurl = "sqlite:///home.db"\n')
    assert (settings.database_url(), settings.source("database")) == ("sqlite:///home.db", "secrets")
    clean.setenv("DATABASE_URL", "sqlite:///env.db")
    assert (settings.database_url(), settings.source("database")) == ("sqlite:///env.db", "env")
    assert settings.database_url("sqlite:///cli.db") == "sqlite:///cli.db"
    assert settings.source("database", "sqlite:///cli.db") == "cli"
    clean.setenv("DATABASE_URL", "  ")  # empty counts as not set
    assert settings.source("database") == "secrets"
    assert settings.source("database", "") == "secrets"


def test_secrets_files_merge_as_streamlit_does(clean: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """``~/.streamlit``, then the working directory's, then the project's; a later file's top-level key
    (a whole ``[section]``) replaces an earlier one's."""
    _secrets(
        tmp_path / "home", '[database]\nurl = "sqlite:///home.db"\n[figures_source]\nmapping = "m.toml"\n'
    )
    _secrets(tmp_path / "work", '[database]\nurl = "sqlite:///work.db"\n')
    assert settings.database_url() == "sqlite:///work.db"
    assert settings.figures_source_path() == ROOT / "m.toml"  # relative: from the project root
    _secrets(tmp_path / "project", '[database]\nurl = "sqlite:///project.db"\n[figures_source]\n')
    assert settings.database_url() == "sqlite:///project.db"
    assert settings.figures_source_path() is None, "the project's [figures_source] replaced the home one"
    assert settings.secrets_files()[0] == (tmp_path / "home" / ".streamlit" / "secrets.toml").resolve()
    _secrets(tmp_path / "work", "[database\nbroken")  # an unreadable file is skipped
    assert settings.database_url() == "sqlite:///project.db"


def test_types_bounds_and_bad_values(clean: pytest.MonkeyPatch) -> None:
    for env, value, name, expected in [
        ("UPLOAD_MAX_MB", "5", "upload_max_mb", 5),
        ("UPLOAD_MAX_MB", "0", "upload_max_mb", 1),
        ("UPLOAD_MAX_MB", "abc", "upload_max_mb", 20),
        ("BCRYPT_ROUNDS", "3", "bcrypt_rounds", 4),
        ("BCRYPT_ROUNDS", "31", "bcrypt_rounds", 15),
        ("BCRYPT_ROUNDS", "x", "bcrypt_rounds", 12),
        ("SESSION_IDLE_MINUTES", "0.5", "session_idle_minutes", 1.0),
        ("SESSION_IDLE_MINUTES", "45", "session_idle_minutes", 45.0),
        ("SAMPLE_DATA", "0", "sample_data", False),
        ("SAMPLE_DATA", " Off ", "sample_data", False),
        ("SAMPLE_DATA", "1", "sample_data", True),
        ("TARGETS_FILE", "x/t.toml", "targets", Path("x/t.toml")),
    ]:
        clean.setenv(env, value)
        assert settings.get(name) == expected, (env, value)


def test_masked() -> None:
    assert (
        settings.masked("postgresql+psycopg://u:s3cr%40t@db:5432/x") == "postgresql+psycopg://u:***@db:5432/x"
    )
    assert settings.masked("postgresql://u@db/x") == "postgresql://u@db/x"
    assert settings.masked(Path("/a/b")) == "/a/b" and settings.masked(None) == ""


def test_settings_command(clean: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    clean.setenv("DATABASE_URL", "postgresql://dvctt:mat-khau@db/dvctt")
    clean.setenv("SAMPLE_DATA", "0")
    assert main(["settings", "--format", "json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert list(rows) == [s.name for s in settings.SETTINGS]
    assert rows["database"] == {
        "name": "database",
        "env": "DATABASE_URL",
        "secrets": "[database] url",
        "value": "postgresql://dvctt:***@db/dvctt",
        "source": "env",
        "type": "str",
        "help": settings.SETTINGS[0].help,
    }
    assert (rows["sample_data"]["value"], rows["upload_max_mb"]["value"]) == (False, 20)
    assert rows["figures_source"]["value"] is None and rows["figures_source"]["source"] == "default"
    assert main(["settings"]) == 0
    out = capsys.readouterr().out
    assert "mat-khau" not in out and "dvctt:***@db" in out
    assert "biến môi trường" in out and "mặc định" in out and "tắt" in out
