"""The Celery application, built from settings by a factory (nothing connects at import time).

Beat only triggers the sweep; the database decides what is due (engineering-notes §2). Delivery tasks are short,
`acks_late` and idempotent, so a redelivery (visibility timeout, a lost worker, two beats) finds nothing left to do:
- acks_late + reject_on_worker_lost: a killed worker's task goes back to the queue instead of being lost; the
  repeat is harmless because delivery re-reads its row (a `sending` row with a live lease is left alone).
- hard time limit below the claim lease: a stuck send is killed before the sweep could hand its row to someone else.
- deliveries in flight are not cancelled when the broker connection is lost (they finish and record the outcome).
- no ETA/countdown tasks: retries are rows with `not_before`, picked up by a later sweep.
- results are ignored: the delivery ledger in the database is the record.
"""

from __future__ import annotations

from celery import Celery

from dhr_workflow.core.errors import InvalidInput
from dhr_workflow.core.settings import Settings

QUEUE = "dhr-reminders"
# The sweep has a queue of its own, which workers poll beside the deliveries': behind a queue of deliveries it would
# start late, and a dead worker's reminders wait for the sweep that claims them again (ADR 0053).
SWEEP_QUEUE = "dhr-sweeps"
WORKER_QUEUES = f"{SWEEP_QUEUE},{QUEUE}"


def time_limit(settings: Settings) -> int:
    return max(5, min(120, settings.reminder_lease_seconds // 2))


def make_celery(settings: Settings) -> Celery:
    if not settings.redis_url:
        raise InvalidInput(
            "DHR_REDIS_URL is not set: `dhr worker` and `dhr beat` need Redis (e.g. redis://127.0.0.1:6379/0). "
            "Without Redis, `dhr serve` runs the embedded scheduler and `dhr reminders sweep` sends once."
        )
    app = Celery("dhr", broker=settings.redis_url, set_as_current=False)
    limit = time_limit(settings)
    interval = settings.sweep_interval_seconds
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_ignore_result=True,
        task_store_errors_even_if_ignored=False,
        result_backend=None,
        task_time_limit=limit,
        task_soft_time_limit=max(1, limit - 3),
        task_default_queue=QUEUE,
        task_routes={"dhr.sweep": {"queue": SWEEP_QUEUE}},
        broker_transport_options={"visibility_timeout": settings.celery_visibility_timeout},
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,
        worker_prefetch_multiplier=4,
        # Never cancel a delivery in flight when Redis goes away: cancelling it between the provider's acceptance
        # and our record is exactly what makes a repeat. Letting it finish is safe, because a redelivery of its
        # message finds the row already sent (seen in the Redis-restart fault test).
        worker_cancel_long_running_tasks_on_connection_loss=False,
        worker_hijack_root_logger=False,
        timezone="Europe/London",
        beat_schedule={
            "reminders-sweep": {
                "task": "dhr.sweep",
                "schedule": interval,
                "options": {"expires": max(interval * 2, 5)},  # a backlog of stale sweeps is pointless
            }
        },
    )
    from notifications.tasks import register

    register(app)
    import notifications.document_tasks  # noqa: F401  (its shared_task attaches to this app: documents render here)

    return app
