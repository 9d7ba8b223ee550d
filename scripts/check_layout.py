"""The layout rules import-linter cannot express (docs/architecture.md): no module imports a `_private` name from
another module, and no module is over 400 lines (migrations excepted). Run by `make lint`; exits 1 naming each
offence."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("dhr_workflow", "notifications")
MAX_LINES = 400


def modules(root: Path = ROOT) -> list[Path]:
    found = []
    for package in PACKAGES:
        found += [p for p in sorted((root / package).rglob("*.py")) if "migrations" not in p.parts]
    return found


def private_imports(path: Path) -> list[str]:
    """`from a.b import _name` (or `import a._b`, or `module._name` through an imported module) where the name is
    another module's private one."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    offences = private_attributes(path, tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            names = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
            names += [p for p in parts if p.startswith("_") and not p.startswith("__")]
            offences += [f"{path}:{node.lineno} imports {n} from {node.module}" for n in names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if any(p.startswith("_") and not p.startswith("__") for p in alias.name.split(".")):
                    offences.append(f"{path}:{node.lineno} imports {alias.name}")
    return offences


def private_attributes(path: Path, tree: ast.Module) -> list[str]:
    """`queries._helper(...)` where `queries` was imported from one of our packages."""
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in PACKAGES:
            imported |= {a.asname or a.name for a in node.names}
        elif isinstance(node, ast.Import):
            imported |= {a.asname or a.name for a in node.names if a.name.split(".")[0] in PACKAGES}
    return [
        f"{path}:{node.lineno} uses {node.value.id}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in imported
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
    ]


def too_long(path: Path) -> list[str]:
    count = len(path.read_text(encoding="utf-8").splitlines())
    return [f"{path}: {count} lines (at most {MAX_LINES})"] if count > MAX_LINES else []


def offences(root: Path = ROOT) -> list[str]:
    found: list[str] = []
    for path in modules(root):
        found += private_imports(path) + too_long(path)
    return found


def main() -> int:
    found = offences()
    for line in found:
        print(line, file=sys.stderr)  # noqa: T201
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
