"""A non-editable install still finds workflows/, templates/ and the migrations (they ship inside the wheel)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.single_db, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_carries_the_workflows_templates_and_migrations(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    [wheel] = tmp_path.glob("dhr_workflow-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "dhr_workflow/_data/workflows/dhr.yaml" in names
    assert any(n.startswith("dhr_workflow/_data/templates/") for n in names)
    assert any(
        n.startswith("dhr_workflow/core/migrations/versions/") and n.endswith("_0001_core_engine_tables.py")
        for n in names
    )
    assert "dhr_workflow/core/migrations/script.py.mako" in names
    assert not any(n.startswith(("tests/", "bench/")) for n in names)
