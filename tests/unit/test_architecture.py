"""The layout, enforced. Layers, package independence and the absence of import cycles are import-linter contracts
(pyproject.toml, run by `make lint`); the rules import-linter cannot express are in scripts/check_layout.py, run by
`make lint` too. These tests prove that checker can fail, that the tree passes it, and that only the engine moves a
case's state."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.single_db

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "dhr_workflow"

_spec = importlib.util.spec_from_file_location("check_layout", ROOT / "scripts" / "check_layout.py")
assert _spec and _spec.loader
check_layout = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_layout)


def test_the_tree_has_no_private_imports_across_modules_and_no_long_modules() -> None:
    assert check_layout.offences() == []


def test_the_layout_check_finds_a_private_name_imported_from_another_module(tmp_path: Path) -> None:
    bad = tmp_path / "dhr_workflow" / "bad.py"
    bad.parent.mkdir()
    bad.write_text(
        "from dhr_workflow.cases.lifecycle import _secret\nfrom dhr_workflow.lessons import queries\n"
        "queries._helper()\n"
    )
    found = check_layout.offences(tmp_path)
    assert any("_secret" in line for line in found) and any("queries._helper" in line for line in found)


def test_the_layout_check_finds_a_module_over_400_lines(tmp_path: Path) -> None:
    long = tmp_path / "notifications" / "long.py"
    long.parent.mkdir()
    long.write_text("x = 1\n" * 401)
    assert check_layout.offences(tmp_path) == [f"{long}: 401 lines (at most 400)"]


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
