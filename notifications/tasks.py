"""Thin Celery tasks: they only call the delivery service with this process's context and transports."""

from __future__ import annotations

import logging
from typing import Any

from celery import Celery

log = logging.getLogger("dhr.reminders")


def register(app: Celery) -> None:
    @app.task(name="dhr.deliver", acks_late=True, ignore_result=True)
    def deliver(reminder_id: int) -> str:
        from dhr_workflow.services.delivery import deliver as deliver_one
        from notifications.runtime import process_context

        ctx, transports = process_context()
        return deliver_one(ctx, int(reminder_id), transports)

    @app.task(name="dhr.sweep", acks_late=True, ignore_result=True)
    def sweep() -> dict[str, Any]:
        from dhr_workflow.services.delivery import sweep as sweep_once
        from notifications.runtime import process_context

        ctx, transports = process_context()

        def enqueue(ids: list[int]) -> None:
            for reminder_id in ids:
                deliver.delay(reminder_id)

        result = sweep_once(ctx, transports, enqueue=enqueue)
        summary = {"claimed": result.claimed, "superseded": result.superseded, "skipped": result.skipped_reason}
        log.info("reminder sweep: %s", summary)  # counts only: never a name or a case fact
        return summary
