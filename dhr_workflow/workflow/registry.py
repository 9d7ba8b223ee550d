"""Loads workflow files from disk once per process; a case asks for the exact version it is pinned to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import VERSION as PYDANTIC_VERSION

from dhr_workflow.core.disk_cache import cached, file_key
from dhr_workflow.core.errors import NotFound, WorkflowDefinitionError
from dhr_workflow.core.paths import workflows_dir
from dhr_workflow.workflow import definition as definition_module
from dhr_workflow.workflow.definition import WorkflowDefinition, parse_definition
from dhr_workflow.workflow.guards import EFFECTS, GUARDS
from dhr_workflow.workflow.installed import installed, installed_names


def load_file(path: Path) -> WorkflowDefinition:
    """Parse and check a workflow file, or reuse the checked definition cached for these exact bytes (issue 17).

    The key also names the code that checks a file (the definition module and the allow-listed guards and
    effects), so a file that a newer checker would reject is parsed again, and rejected, rather than served."""
    key = "|".join(
        (
            file_key(path),
            file_key(Path(definition_module.__file__)),
            ",".join(sorted(GUARDS)),
            ",".join(sorted(EFFECTS)),
            PYDANTIC_VERSION,  # the cached value is a pickled pydantic model
        )
    )
    return cached("workflow", key, lambda: parse_definition(read_text(path), str(path)))


def read_text(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        problem = f"not UTF-8 text (byte {err.start} cannot be read): save the file as UTF-8"
        raise WorkflowDefinitionError(str(path), [problem]) from None
    except OSError as err:
        raise WorkflowDefinitionError(str(path), [f"cannot be read ({err.strerror or type(err).__name__})"]) from None
    return text


@dataclass
class WorkflowRegistry:
    definitions: dict[tuple[str, str], WorkflowDefinition]

    @classmethod
    def from_directory(cls, directory: Path | None = None) -> WorkflowRegistry:
        root = workflows_dir(directory)
        loaded = [load_file(p) for p in sorted(root.glob("*.yaml"))]
        return cls({(d.name, d.version): d for d in loaded})

    def get(self, name: str, version: str) -> WorkflowDefinition:
        return installed(self.definitions, name, version)

    def latest(self, name: str) -> WorkflowDefinition:
        versions = [d for (n, _), d in self.definitions.items() if n == name]
        if not versions:
            raise NotFound(f"no workflow named '{name}'; installed: {', '.join(self.names()) or 'none'}")
        return max(versions, key=lambda d: _version_key(d.version))

    def names(self) -> list[str]:
        return installed_names(self.definitions)


def _version_key(version: str) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in version.split("."))
