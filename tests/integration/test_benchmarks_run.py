"""Benchmarks are code too: each runs end to end on a tiny input, so a schema change cannot silently break one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.single_db, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def _bench(*args: str) -> str:
    """Run `python -m ARGS` from the checkout; what it printed, once it has exited cleanly."""
    result = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_the_transition_benchmark_runs_and_prints_its_ratio() -> None:
    out = _bench("bench.transitions", "--cases", "5", "--db", "sqlite", "--memory-cases", "0")
    assert "ratio" in out


def test_the_cli_benchmark_runs_and_prints_its_ratios() -> None:
    out = _bench("bench.cli", "--runs", "1")
    for command in ("dhr case list", "dhr case show", "dhr docs list"):
        assert command in out
    assert "x baseline" in out


def test_the_main_path_benchmark_runs_every_step_and_prints_microseconds_a_step() -> None:
    out = _bench("bench.main_path", "--cases", "2", "--repeat", "1", "--db", "sqlite")
    assert "14 steps x 2 cases" in out
    assert "plain sqlite3 floor" in out and "engine, sqlite" in out
    assert "statements a step" in out


def test_the_main_path_instruction_run_fires_every_step_inside_starmap() -> None:
    out = _bench("bench.main_path", "--instructions", "--cases", "2")
    assert "28 steps fired inside itertools.starmap; 2 cases reached approved_for_publication" in out


def test_the_chronology_benchmark_runs_and_prints_its_ratios() -> None:
    out = _bench("bench.chronology", "--rows", "20", "--repeat", "1")
    assert out.count("ratio") == 2
