"""Thin Celery tasks: they only call the delivery service with this process's context and transports."""

from __future__ import annotations

import logging
from typing import Any

from celery import Celery
from celery.signals import worker_process_init

# Imported here, in the parent before the pool forks: a first task must not spend its time limit importing the
# stack (a soft time limit firing mid-import leaves a half-initialised module behind).
from notifications import delivery, runtime  # noqa: F401  (delivery: imported only to load it before the fork)

log = logging.getLogger("dhr.reminders")


@worker_process_init.connect
def _connect_after_fork(**_kw: Any) -> None:
    """Each pool process opens its own database connections (none may cross a fork)."""
    runtime.process_context()


def register(app: Celery) -> None:
    @app.task(name="dhr.deliver", acks_late=True, ignore_result=True)
    def deliver(reminder_id: int) -> str:
        from notifications.delivery import deliver as deliver_one
        from notifications.runtime import process_context

        ctx, transports = process_context()
        return deliver_one(ctx, int(reminder_id), transports)

    @app.task(name="dhr.sweep", acks_late=True, ignore_result=True)
    def sweep() -> dict[str, Any]:
        from notifications.delivery import sweep as sweep_once
        from notifications.runtime import process_context

        ctx, transports = process_context()

        def enqueue(ids: list[int]) -> None:
            for reminder_id in ids:
                deliver.delay(reminder_id)

        result = sweep_once(ctx, transports, enqueue=enqueue)
        summary = {"claimed": result.claimed, "superseded": result.superseded, "skipped": result.skipped_reason}
        log.info("reminder sweep: %s", summary)  # counts only: never a name or a case fact
        return summary
