"""What every command shares: turning user errors into a message and an exit code, --json output, dates.

Services are imported inside command bodies so `dhr --help` does not pay for SQLAlchemy, transitions or Celery.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import typer

from dhr_workflow.cli.contexts import app_context, read_context, use_context
from dhr_workflow.cli.output import console, err_console, keep_whole, print_json

__all__ = [
    "JsonOption",
    "app_context",
    "command",
    "console",
    "err_console",
    "fail",
    "keep_whole",
    "opt_date",
    "print_json",
    "read_context",
    "req_date",
    "use_context",
]

F = TypeVar("F", bound=Callable[..., Any])

JsonOption = typer.Option(False, "--json", help="Print JSON instead of a table.")


def command(app: typer.Typer, name: str | None = None, **kwargs: Any) -> Callable[[F], F]:
    """Register a command whose user errors print to stderr and exit non-zero, without a stack trace."""

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kw: Any) -> Any:
            try:
                return fn(*args, **kw)
            except typer.Exit:
                raise
            except Exception as err:  # noqa: BLE001 - translated below, or re-raised
                _exit_for(err)

        app.command(name, **kwargs)(wrapper)
        return fn

    return decorate


def _exit_for(err: Exception) -> None:
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from dhr_workflow.core.errors import DhrError

    if isinstance(err, DhrError):
        fail(str(err), err.exit_code)
    if isinstance(err, OperationalError | ProgrammingError) and _looks_unmigrated(err):
        fail("the database is not set up yet: run `dhr db upgrade` first", 3)
    if isinstance(err, OperationalError):
        fail(f"cannot reach the database ({type(err.orig).__name__}); check DHR_DATABASE_URL", 3)
    raise err


def _looks_unmigrated(err: Exception) -> bool:
    text = str(err).lower()
    return "no such table" in text or ("relation" in text and "does not exist" in text)


def fail(message: str, code: int = 1) -> None:
    err_console().print(f"[bold red]Error:[/] {message}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code)


def opt_date(value: str | None, what: str) -> date | None:
    from dhr_workflow.core.text import parse_date

    return parse_date(value, what) if value is not None else None


def req_date(value: str, what: str) -> date:
    from dhr_workflow.core.text import parse_date

    return parse_date(value, what)
