"""Loads workflow files from disk once per process; a case asks for the exact version it is pinned to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dhr_workflow.core.errors import NotFound, WorkflowDefinitionError
from dhr_workflow.core.paths import workflows_dir
from dhr_workflow.workflow.definition import WorkflowDefinition, parse_definition


def load_file(path: Path) -> WorkflowDefinition:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        problem = f"not UTF-8 text (byte {err.start} cannot be read): save the file as UTF-8"
        raise WorkflowDefinitionError(str(path), [problem]) from None
    except OSError as err:
        raise WorkflowDefinitionError(str(path), [f"cannot be read ({err.strerror or type(err).__name__})"]) from None
    return parse_definition(text, str(path))


@dataclass
class WorkflowRegistry:
    definitions: dict[tuple[str, str], WorkflowDefinition]

    @classmethod
    def from_directory(cls, directory: Path | None = None) -> WorkflowRegistry:
        root = workflows_dir(directory)
        loaded = [load_file(p) for p in sorted(root.glob("*.yaml"))]
        return cls({(d.name, d.version): d for d in loaded})

    def get(self, name: str, version: str) -> WorkflowDefinition:
        try:
            return self.definitions[(name, version)]
        except KeyError:
            raise NotFound(
                f"workflow {name} version {version} is not installed; installed: {', '.join(self.names())}"
            ) from None

    def latest(self, name: str) -> WorkflowDefinition:
        versions = [d for (n, _), d in self.definitions.items() if n == name]
        if not versions:
            raise NotFound(f"no workflow named '{name}'; installed: {', '.join(self.names()) or 'none'}")
        return max(versions, key=lambda d: _version_key(d.version))

    def names(self) -> list[str]:
        return sorted({f"{n} {v}" for n, v in self.definitions})


def _version_key(version: str) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in version.split("."))
