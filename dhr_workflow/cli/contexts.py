"""The context a command runs in: one per process, built on first use (tests swap it with `use_context`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from dhr_workflow.core.context import AppContext, ReadContext

T = TypeVar("T")

_CONTEXT: list[AppContext] = []
_READ_CONTEXT: list[ReadContext] = []


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


def read_context() -> ReadContext:
    """For the read-only commands: the full context's database, definitions and "today" if this process has one
    (tests), else a light one built without pydantic-settings or the ORM (issue 17)."""
    from dhr_workflow.core.context import ReadContext, build_read_context

    if _CONTEXT:
        return ReadContext.of(_CONTEXT[0])
    if not _READ_CONTEXT:
        _READ_CONTEXT.append(build_read_context())
    return _READ_CONTEXT[0]


def read_with(read: Callable[[ReadContext], T], keep: tuple[type[Exception], ...] = ()) -> T:
    """`read(read_context())`. If that read ran as cached SQL text (core.plain_sql) and failed in any way except
    `keep`, read again through SQLAlchemy, which reports an error as it always has; after a read through
    SQLAlchemy on a SQLite file, compile the statements it used for the plain runner next time."""
    from dhr_workflow.core.context import build_read_context
    from dhr_workflow.core.plain_sql import PlainEngine

    ctx = read_context()
    failed = False
    if isinstance(ctx.engine, PlainEngine):
        try:
            return read(ctx)
        except keep:
            raise
        except Exception:  # noqa: BLE001 - a stale, missing or bad compiled statement: SQLAlchemy reads it
            failed = True
        _READ_CONTEXT[:] = [ctx := build_read_context(plain=False)]
    found = read(ctx)
    if ctx.database_url is not None:
        from dhr_workflow.core.plain_compile import remember

        remember(ctx.database_url, afresh=failed)
    return found
