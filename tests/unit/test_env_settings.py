"""The read commands' settings reader (core.env_settings, no pydantic-settings) gives what `Settings()` gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dhr_workflow.core.context import read_settings
from dhr_workflow.core.env_settings import ReadSettings, from_environment, has_env_file
from dhr_workflow.core.settings import Settings

# Reading settings from the environment and a .env file: no database is opened, so the SQLite pass covers it.
pytestmark = pytest.mark.single_db

CASES = [
    {},
    {"DHR_DATABASE_URL": "postgresql://u:p@db/dhr"},
    {"dhr_database_url": "sqlite:////tmp/lower.sqlite3"},
    {"Dhr_Database_Url": "sqlite:////tmp/mixed.sqlite3", "DHR_TIMEZONE": "Europe/Dublin"},
    {"DHR_DATABASE_URL": "", "DHR_WORKFLOWS_DIR": "", "DHR_TIMEZONE": ""},  # empty is a value, not "unset"
    {"DHR_WORKFLOWS_DIR": "relative/flows"},
    {"DHR_WORKFLOWS_DIR": "/abs/flows", "DHR_DATABASE": "not a setting", "DHR_CACHE_DIR": "/tmp/c"},
    {"DHR_DATABASE_URL": "sqlite:///first", "dhr_database_url": "sqlite:///second"},  # the later spelling wins
    {"DATABASE_URL": "sqlite:///no-prefix", "XDHR_DATABASE_URL": "sqlite:///wrong-prefix"},
]


def _full() -> ReadSettings:
    settings = Settings()
    return ReadSettings(settings.database_url, settings.workflows_dir, settings.timezone)


@pytest.fixture
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if name.upper().startswith("DHR_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("env", CASES)
def test_the_environment_reader_agrees_with_pydantic_settings(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert not has_env_file()
    assert from_environment() == _full()
    assert read_settings() == _full()


def test_a_dot_env_file_is_read_by_settings_itself(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (clean_env / ".env").write_text("DHR_DATABASE_URL=sqlite:////tmp/from-dot-env.sqlite3\nDHR_TIMEZONE=UTC\n")
    monkeypatch.setenv("DHR_TIMEZONE", "Europe/Paris")  # the environment still beats the file
    assert has_env_file()
    assert read_settings() == ReadSettings("sqlite:////tmp/from-dot-env.sqlite3", None, "Europe/Paris")
    assert read_settings() == _full()
