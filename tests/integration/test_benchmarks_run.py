"""Benchmarks are code too: each runs end to end on a tiny input, so a schema change cannot silently break one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.single_db, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def test_the_transition_benchmark_runs_and_prints_its_ratio() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench.transitions", "--cases", "5", "--db", "sqlite", "--memory-cases", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "ratio" in result.stdout


def test_the_cli_benchmark_runs_and_prints_its_ratios() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench.cli", "--runs", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    for command in ("dhr case list", "dhr case show", "dhr docs list"):
        assert command in result.stdout
    assert "x baseline" in result.stdout


def test_the_main_path_benchmark_runs_every_step_and_prints_microseconds_a_step() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench.main_path", "--cases", "2", "--repeat", "1", "--db", "sqlite"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "14 steps x 2 cases" in result.stdout
    assert "plain sqlite3 floor" in result.stdout and "engine, sqlite" in result.stdout
    assert "statements a step" in result.stdout


def test_the_main_path_instruction_run_fires_every_step_inside_starmap() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench.main_path", "--instructions", "--cases", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "28 steps fired inside itertools.starmap; 2 cases reached approved_for_publication" in result.stdout


def test_the_chronology_benchmark_runs_and_prints_its_ratios() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench.chronology", "--rows", "20", "--repeat", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.count("ratio") == 2
