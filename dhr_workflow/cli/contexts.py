"""The context a command runs in: one per process, built on first use (tests swap it with `use_context`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dhr_workflow.core.context import AppContext, ReadContext

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
