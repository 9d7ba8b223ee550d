"""`dhr` answers at once (issue 17): the read commands import nothing they do not use, parsed workflow files and
bank holidays come from an on-disk cache that never serves a stale value, and tables never cut a name the user has
to type back. Timings are measured by bench/cli.py, not here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dhr_workflow.core.context import AppContext
from dhr_workflow.documents.catalogue import catalogue
from tests.conftest import REPO
from tests.integration.warm_cache import warm_cache

NOTIFY = [
    "case",
    "notify",
    "--death-date",
    "2026-10-01",
    "--notified-date",
    "2026-10-03",
    "--police-ref",
    "MET/26/9",
    "--victim-name",
    "Jane",
    "--pseudonym",
    "Olive",
    "--victim-age",
    "41",
]
HEAVY = ("jinja2", "weasyprint", "docx", "docxtpl", "openpyxl", "celery", "fastapi", "starlette", "uvicorn", "yaml")


def _case_with_clocks(cli) -> str:
    ref = cli(*NOTIFY).stdout.strip()
    fired = cli("case", "fire", ref, "decide_review", "--on", "2026-10-20", "--set", "rationale=Criteria met")
    assert fired.exit_code == 0, fired.output
    return ref


def _cells(output: str, column: int) -> list[str]:
    """The text of one column of a Rich table, a line at a time."""
    return [line.split("│")[column + 1].strip() for line in output.splitlines() if line.startswith("│")]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(width=st.integers(min_value=60, max_value=160))
def test_docs_list_shows_every_template_name_whole_at_any_width(cli, monkeypatch, width: int) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    ref = cli("case", "list", "--json").stdout
    ref = json.loads(ref)[0]["ref"] if json.loads(ref) else cli(*NOTIFY).stdout.strip()
    result = cli("docs", "list", ref)
    assert result.exit_code == 0, result.output
    names = [cell for cell in _cells(result.stdout, 0) if cell]
    assert names == list(catalogue()), result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= width


def test_case_show_and_list_keep_clock_names_dates_and_references_whole_at_80_columns(cli, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    ref = _case_with_clocks(cli)
    shown = json.loads(cli("case", "show", ref, "--json").stdout)
    table = cli("case", "show", ref).stdout
    clock_names = {c["name"] for c in shown["clocks"]}
    assert len(clock_names) >= 3
    assert clock_names <= set(_cells(table, 0)), table
    dates = {c["due"] for c in shown["clocks"]} | {c["start"] for c in shown["clocks"]}
    assert dates <= set(_cells(table, 1)) | set(_cells(table, 2)), table
    assert "…" not in table
    listing = cli("case", "list").stdout
    assert ref in _cells(listing, 0) and "…" not in listing


def _imports_of(commands: list[list[str]], env: dict[str, str]) -> set[str]:
    """Run `dhr ARGS` for each of `commands` in one fresh interpreter; return the top-level packages it imported."""
    code = (
        "import sys, json\n"
        "from dhr_workflow.cli.app import app\n"
        f"for args in {commands!r}:\n"
        "    try:\n        app(args)\n    except SystemExit as e:\n        assert not e.code, (args, e.code)\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_the_read_commands_import_no_renderer_web_or_worker_framework(
    ctx: AppContext, cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = _case_with_clocks(cli)
    warm_cache(tmp_path / "cache", monkeypatch)  # as any earlier command would have
    env = {
        **os.environ,
        "DHR_DATABASE_URL": ctx.settings.database_url,
        "DHR_WORKFLOWS_DIR": str(REPO / "workflows"),
        "PYTHONPATH": str(REPO),
    }
    imported = _imports_of([["case", "list"], ["case", "show", ref], ["docs", "list", ref]], env)
    assert not imported & set(HEAVY), sorted(imported & set(HEAVY))
    assert "holidays" not in imported  # a year's bank holidays come from the cache
