"""The `cli` fixture builds dhr's Click commands once per test process (tests/cli_runner.py, ADR 0062): it must print
and exit exactly as a runner that builds them afresh for every call, as typer.testing does."""

from __future__ import annotations

import pytest
import typer
import typer.main
import typer.testing

from dhr_workflow.cli.app import app
from tests.cli_runner import built_command, command_builder, memoising_applies


def test_the_installed_typer_is_one_the_memoising_was_checked_against() -> None:
    # On a new Typer the fixture falls back to building per call (slower, still right): check that its CliRunner still
    # calls typer.testing._get_command(app), then add the version to TESTED_TYPER.
    assert memoising_applies(), typer.__version__


def test_our_app_is_built_once_and_any_other_app_every_time() -> None:
    other = typer.Typer()
    other.command()(lambda: None)
    get_command = command_builder(app)
    assert get_command(app) is get_command(app) is built_command(app)
    assert get_command(other) is not get_command(other)


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--help"], id="help"),
        pytest.param(["case", "notify", "--help"], id="command-help"),
        pytest.param(["case", "list", "--json"], id="a-read"),
        pytest.param(["case", "show", "NO-SUCH-REF"], id="not-found"),
        pytest.param(["case", "list", "--state"], id="a-usage-error"),
        pytest.param(["no-such-group"], id="no-such-command"),
    ],
)
def test_the_fixture_prints_and_exits_as_a_fresh_build_does(cli, monkeypatch: pytest.MonkeyPatch, args) -> None:
    twice = [cli(*args), cli(*args)]  # the second call reuses the first call's commands
    with monkeypatch.context() as fresh:
        fresh.setattr(typer.testing, "_get_command", typer.main.get_command)
        expected = cli(*args)
    for got in twice:
        assert (got.exit_code, got.stdout, got.stderr) == (expected.exit_code, expected.stdout, expected.stderr)
        assert type(got.exception) is type(expected.exception)
