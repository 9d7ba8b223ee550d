"""The on-disk cache as any earlier `dhr` command on the machine would have left it, for the tests that run the read
commands in a fresh interpreter and check what they import."""

from __future__ import annotations

from pathlib import Path

import pytest

from dhr_workflow.core import calendar_store
from dhr_workflow.documents.catalogue import catalogue
from dhr_workflow.workflow.plans import PlanCatalogue
from dhr_workflow.workflow.registry import WorkflowRegistry
from dhr_workflow.workflow.state_labels import StateCatalogue
from tests.conftest import REPO


def warm_cache(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parsed workflow files, their states and plans, a few years' bank holidays and the document catalogue."""
    monkeypatch.setenv("DHR_CACHE_DIR", str(cache_dir))
    WorkflowRegistry.from_directory(REPO / "workflows")
    StateCatalogue.from_directory(REPO / "workflows")
    PlanCatalogue.from_directory(REPO / "workflows")
    for year in range(2024, 2029):
        calendar_store._package_holidays.cache_clear()  # noqa: SLF001 - so this process writes the disk cache
        calendar_store._package_holidays(year)  # noqa: SLF001
    catalogue.cache_clear()
    catalogue()
