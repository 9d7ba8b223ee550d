"""Where the data directories are: beside the package in a checkout, inside it after `pip install .`."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]


def data_dir(name: str, override: Path | None = None) -> Path:
    if override is not None:
        return override
    installed = _PACKAGE / "_data" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


def workflows_dir(override: Path | None = None) -> Path:
    return data_dir("workflows", override)


def templates_dir(override: Path | None = None) -> Path:
    return data_dir("templates", override)
