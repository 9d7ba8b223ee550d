"""Where the data directories are: beside the package in a checkout, inside it after `pip install .`. GOV.UK
Frontend's built assets come from `node_modules/` in a checkout and ship inside the wheel (`hatch_build.py`)."""

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


def govuk_frontend_dir(override: Path | None = None) -> Path:
    """GOV.UK Frontend's `dist/govuk` (stylesheet, scripts, fonts, images): inside the installed package, or
    `node_modules/` of a checkout after `npm ci`."""
    if override is not None:
        return override
    installed = _PACKAGE / "_data" / "govuk-frontend" / "dist" / "govuk"
    return installed if installed.is_dir() else _PACKAGE.parent / "node_modules" / "govuk-frontend" / "dist" / "govuk"
