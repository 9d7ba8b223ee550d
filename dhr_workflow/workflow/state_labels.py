"""Each installed workflow's states, with their labels and stages, as plain data from the on-disk cache (issue 17).

`dhr case list` needs only these, not the checked definitions: unpickling those imports pydantic and builds its
models, which cost the command more than its query. The value is cached under the bytes of every workflow file
and of the code that checks them (definition.py, guards.py), and is built from the checked definitions
(WorkflowRegistry), so a file the checker rejects raises exactly as before, and is never cached.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from dhr_workflow.core.disk_cache import cached, file_key
from dhr_workflow.core.paths import workflows_dir
from dhr_workflow.workflow.installed import installed, installed_names

if TYPE_CHECKING:
    from dhr_workflow.workflow.registry import WorkflowRegistry

CHECKERS = ("definition.py", "guards.py", "registry.py")
T = TypeVar("T")


@dataclass(frozen=True)
class StateLabel:
    label: str
    stage: str


@dataclass(frozen=True)
class WorkflowStates:
    """One workflow version's states (what WorkflowDefinition.states holds, without the rest)."""

    states: dict[str, StateLabel]


@dataclass(frozen=True)
class StateCatalogue:
    """The states of every installed workflow version: `get` and `definitions` as WorkflowRegistry has them."""

    definitions: dict[tuple[str, str], WorkflowStates]

    @classmethod
    def of(cls, registry: WorkflowRegistry) -> StateCatalogue:
        return cls(
            {
                key: WorkflowStates({name: StateLabel(s.label, s.stage) for name, s in d.states.items()})
                for key, d in registry.definitions.items()
            }
        )

    @classmethod
    def from_directory(cls, directory: Path | None = None) -> StateCatalogue:
        return cached_catalogue("workflow-states", directory, CHECKERS, cls.of)

    def get(self, name: str, version: str) -> WorkflowStates:
        return installed(self.definitions, name, version)

    def names(self) -> list[str]:
        return installed_names(self.definitions)


def cached_catalogue(
    namespace: str, directory: Path | None, checkers: tuple[str, ...], build: Callable[[WorkflowRegistry], T]
) -> T:
    """`build(the checked registry of the workflows in directory)`, from the on-disk cache under the bytes of every
    workflow file and of the checking code (`checkers`, modules of this package); a rejected file is never cached."""
    root = workflows_dir(directory)
    here = Path(__file__).parent
    files = sorted(root.glob("*.yaml"))
    key = "|".join(file_key(p) for p in [*files, *(here / name for name in checkers)])
    return cached(namespace, key, lambda: build(_registry(root)))


def _registry(root: Path) -> WorkflowRegistry:
    from dhr_workflow.workflow.registry import WorkflowRegistry

    return WorkflowRegistry.from_directory(root)
