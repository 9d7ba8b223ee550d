"""The layers, enforced: pure domain <- workflow <- services <- entry points (PRODUCT.md, DEVELOPERS guide)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.single_db

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "dhr_workflow"
FRAMEWORKS = {"fastapi", "starlette", "typer", "click", "celery", "kombu", "uvicorn", "rich"}
STORAGE = {"sqlalchemy", "sqlmodel", "alembic", "psycopg", "redis"}
RENDERING = {"jinja2", "weasyprint", "docx", "docxtpl", "openpyxl"}

# package -> modules it must not import (by top-level name or dotted prefix)
FORBIDDEN: dict[str, set[str]] = {
    "dhr_workflow/domain": FRAMEWORKS
    | STORAGE
    | RENDERING
    | {
        "transitions",
        "pydantic",
        "yaml",
        "holidays",
        "dhr_workflow.workflow",
        "dhr_workflow.services",
        "dhr_workflow.db",
        "dhr_workflow.cli",
        "dhr_workflow.web",
    },
    "dhr_workflow/workflow": FRAMEWORKS
    | STORAGE
    | RENDERING
    | {"dhr_workflow.services", "dhr_workflow.db", "dhr_workflow.cli", "dhr_workflow.web"},
    "dhr_workflow/services": FRAMEWORKS | {"dhr_workflow.cli", "dhr_workflow.web"},
    "dhr_workflow/db": FRAMEWORKS | {"dhr_workflow.services", "dhr_workflow.cli", "dhr_workflow.web"},
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _violations(folder: str, forbidden: set[str]) -> list[str]:
    found = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_each_layer_imports_only_what_is_below_it(folder: str) -> None:
    assert _violations(folder, FORBIDDEN[folder]) == []


def test_the_domain_uses_the_standard_library_only() -> None:
    import sys

    for path in sorted((PACKAGE / "domain").rglob("*.py")):
        for name in _imports(path):
            top = name.split(".")[0]
            assert top in sys.stdlib_module_names or name.startswith("dhr_workflow.domain"), f"{path}: {name}"


def test_the_architecture_check_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import fastapi\nfrom sqlalchemy import select\n")
    assert _imports(bad) == {"fastapi", "sqlalchemy"}


def test_only_the_engine_assigns_a_case_state() -> None:
    """State changes go through the workflow engine (transitions sets `state` via model_attribute); nothing else
    in the package may assign `.state`."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = (
                node.targets
                if isinstance(node, ast.Assign)
                else ([node.target] if isinstance(node, ast.AugAssign | ast.AnnAssign) else [])
            )
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr == "state":
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
