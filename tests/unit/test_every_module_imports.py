"""Every module of both packages imports. mypy cannot see a missing name in modules where its attr-defined check is
off (the SQLModel override in pyproject.toml), and merges of parallel work have left such imports behind."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

pytestmark = pytest.mark.single_db

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(
    ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    for package in ("dhr_workflow", "notifications")
    for p in (ROOT / package).rglob("*.py")
    if "migrations" not in p.parts
)


@pytest.mark.parametrize("module", MODULES)
def test_the_module_imports(module: str) -> None:
    importlib.import_module(module)


def test_a_module_with_a_missing_name_fails_to_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "broken_module_for_test.py").write_text("from dhr_workflow.core.errors import NoSuchName\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ImportError):
        importlib.import_module("broken_module_for_test")
