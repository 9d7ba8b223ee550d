"""The few settings the everyday read commands need, read without pydantic-settings (issue 17: importing it costs
`dhr case list` more than its query).

They are read exactly as `Settings` reads them: DHR_-prefixed environment variables, names matched whatever their
case, an empty value kept (not "unset"), and the same defaults. A `.env` file is the one source parsed here
differently, so when the working directory has one these values come from `Settings` itself
(`dhr_workflow.core.context.read_settings`; tests/unit/test_env_settings.py holds the two readers equal).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = Path.home() / ".local" / "share" / "dhr-workflow"
ENV_PREFIX = "DHR_"
ENV_FILE = ".env"


def default_database_url() -> str:
    return f"sqlite:///{DEFAULT_DATA_DIR / 'dhr.sqlite3'}"


@dataclass(frozen=True)
class ReadSettings:
    database_url: str
    workflows_dir: Path | None
    timezone: str


def has_env_file() -> bool:
    """Whether pydantic-settings would read a `.env` file here (it looks in the working directory only)."""
    env_file = Path(ENV_FILE)
    return env_file.is_file() or env_file.is_fifo()


def from_environment() -> ReadSettings:
    """The database, workflow directory and timezone from the environment alone, as `Settings()` reads them."""
    found = _environment()
    workflows = found.get("workflows_dir")
    return ReadSettings(
        database_url=found.get("database_url", default_database_url()),
        workflows_dir=None if workflows is None else Path(workflows),
        timezone=found.get("timezone", "Europe/London"),
    )


def _environment() -> dict[str, str]:
    # As pydantic-settings does with case_sensitive=False: every name lower-cased, the later of two spellings wins.
    prefix = ENV_PREFIX.lower()
    lowered = {k.lower(): v for k, v in os.environ.items()}
    return {k.removeprefix(prefix): v for k, v in lowered.items() if k.startswith(prefix)}
