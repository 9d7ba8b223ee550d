"""The workflows as plain data from the on-disk cache (workflow.state_labels for `dhr case list`, workflow.plans
for `dhr case show`) are the checked definitions', built and then read back; a workflow file changed since is
checked again, and one the checker rejects is rejected, never served from the cache."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dhr_workflow.core.errors import WorkflowDefinitionError
from dhr_workflow.workflow.plans import PlanCatalogue, WorkflowPlan
from dhr_workflow.workflow.registry import WorkflowRegistry
from dhr_workflow.workflow.state_labels import StateCatalogue
from tests.conftest import REPO


def _labels(workflow: Any) -> dict[str, tuple[str, str]]:
    return {n: (s.label, s.stage) for n, s in workflow.states.items()}


# (catalogue, what an entry of it says, what the checked definition says it must be)
CATALOGUES: list[tuple[Any, Callable[[Any], Any], Callable[[Any], Any]]] = [
    (StateCatalogue, _labels, _labels),
    (PlanCatalogue, lambda plan: plan, WorkflowPlan.of),
]


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DHR_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.parametrize(("catalogue", "says", "must_say"), CATALOGUES, ids=["states", "plans"])
def test_the_cached_catalogue_is_the_definitions(catalogue: Any, says: Callable, must_say: Callable) -> None:
    registry = WorkflowRegistry.from_directory(REPO / "workflows")
    for _ in range(2):  # built, then read back from the cache
        found = catalogue.from_directory(REPO / "workflows")
        assert found.definitions.keys() == registry.definitions.keys()
        for key, definition in registry.definitions.items():
            assert says(found.definitions[key]) == must_say(definition), key
    with pytest.raises(Exception, match="not installed") as missing:
        found.get("dhr", "0.0")
    with pytest.raises(type(missing.value), match="not installed"):
        registry.get("dhr", "0.0")


@pytest.mark.parametrize("catalogue", [StateCatalogue, PlanCatalogue], ids=["states", "plans"])
def test_a_changed_workflow_file_is_checked_again(catalogue: Any, tmp_path: Path) -> None:
    flows = tmp_path / "flows"
    flows.mkdir()
    source = sorted((REPO / "workflows").glob("*.yaml"))[0]
    target = flows / source.name
    target.write_bytes(source.read_bytes())
    assert catalogue.from_directory(flows).definitions
    target.write_text(source.read_text(encoding="utf-8").replace("states:", "statez:", 1), encoding="utf-8")
    with pytest.raises(WorkflowDefinitionError):
        catalogue.from_directory(flows)
