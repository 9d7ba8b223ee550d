"""The Click command tree of `dhr`, built once per test process for the `cli` fixture (ADR 0062).

typer.testing.CliRunner.invoke builds the Click commands from the Typer app on every call (typer.main.get_command:
`inspect.signature` and `get_type_hints` for each of the ~130 commands' parameters), ~50 ms of CPU a call here, and
the suite makes ~1,000 such calls (the every-command fuzz tests alone 420 a pass). The tree depends only on the app,
which no test changes, and Click commands are made to be invoked many times (a Context per call); `dhr` itself builds
it once per process. So for the tested Typer versions the runner's builder is memoised for our app alone; any other
version runs as before, only slower. tests/unit/test_cli_runner.py holds it to what a fresh build prints.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import typer
import typer.main
import typer.testing

# typer.testing.CliRunner.invoke calls the module-level name `_get_command` (typer/testing.py) with the app it is given.
TESTED_TYPER = ("0.29.",)


def memoising_applies() -> bool:
    return typer.__version__.startswith(TESTED_TYPER) and callable(getattr(typer.testing, "_get_command", None))


@functools.cache
def built_command(app: typer.Typer) -> Any:
    """Once per process and app (a Typer app hashes by identity)."""
    return typer.main.get_command(app)


def command_builder(app: typer.Typer) -> Callable[[typer.Typer], Any]:
    """A replacement for typer.testing._get_command that builds `app` once and anything else as before."""
    build = typer.main.get_command

    def get_command(typer_instance: typer.Typer) -> Any:
        return built_command(app) if typer_instance is app else build(typer_instance)

    return get_command
