"""Start-up and shut-down work for `dhr serve`: each hook starts something (the embedded reminder scheduler when
Redis is not configured) and returns a handle with `.stop()`, called in reverse order on shut-down."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, Protocol

from fastapi import FastAPI

from dhr_workflow.core.context import AppContext

log = logging.getLogger("dhr_workflow.web")


class Stoppable(Protocol):
    def stop(self) -> None: ...


StartupHook = Callable[[AppContext], Stoppable | None]


def embedded_scheduler(ctx: AppContext) -> Stoppable | None:
    """The in-process reminder sweep, unless DHR_REDIS_URL hands reminders to Celery workers and beat."""
    if ctx.settings.redis_url:
        log.info("DHR_REDIS_URL is set: reminders are sent by `dhr worker` and `dhr beat`")
        return None
    try:
        from notifications.embedded import start_embedded_scheduler  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        log.warning("the embedded reminder scheduler is not installed; reminders will not be sent")
        return None
    handle: Stoppable = start_embedded_scheduler(ctx)
    log.info("embedded reminder scheduler started")
    return handle


DEFAULT_HOOKS: tuple[StartupHook, ...] = (embedded_scheduler,)


def lifespan_for(hooks: tuple[StartupHook, ...]) -> Callable[[FastAPI], Any]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        handles = [h for h in (hook(app.state.ctx) for hook in hooks) if h is not None]
        try:
            yield
        finally:
            for handle in reversed(handles):
                handle.stop()

    return lifespan
