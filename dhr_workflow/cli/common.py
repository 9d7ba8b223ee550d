"""What every command shares: turning user errors into a message and an exit code, --json output, dates.

Services are imported inside command bodies so `dhr --help` does not pay for SQLAlchemy, transitions or Celery.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from dhr_workflow.core.context import AppContext, ReadContext

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


def err_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def console() -> Console:
    from rich.console import Console

    return Console()


def keep_whole(table: Table, column: int, *, one_word: bool = True) -> None:
    """Never cut a name the user has to type back (Rich showed "information_re…" at 80 columns). A column of
    one-word names is never wrapped, so the other columns give way; in any such column a word too long for the space
    left folds onto the next line rather than losing its end to an ellipsis."""
    col = table.columns[column]
    col.no_wrap = one_word
    col.overflow = "fold"


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")


_CONTEXT: list[AppContext] = []


def app_context() -> AppContext:
    """One context per process (tests swap it with `use_context`)."""
    if not _CONTEXT:
        from dhr_workflow.core.context import build_context

        _CONTEXT.append(build_context())
    return _CONTEXT[0]


def use_context(ctx: AppContext | None) -> None:
    _CONTEXT.clear()
    _READ_CONTEXT.clear()
    if ctx is not None:
        _CONTEXT.append(ctx)


_READ_CONTEXT: list[ReadContext] = []


def read_context() -> ReadContext:
    """For the read-only commands: the full context's database, definitions and "today" if this process has one
    (tests), else a light one built without pydantic-settings or the ORM (issue 17)."""
    from dhr_workflow.core.context import ReadContext, build_read_context

    if _CONTEXT:
        return ReadContext.of(_CONTEXT[0])
    if not _READ_CONTEXT:
        _READ_CONTEXT.append(build_read_context())
    return _READ_CONTEXT[0]


def opt_date(value: str | None, what: str) -> date | None:
    from dhr_workflow.core.text import parse_date

    return parse_date(value, what) if value is not None else None


def req_date(value: str, what: str) -> date:
    from dhr_workflow.core.text import parse_date

    return parse_date(value, what)
