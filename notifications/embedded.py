"""The embedded scheduler for one-machine installs (no Redis): a daemon thread running the same sweep as Celery beat
would trigger, every DHR_SWEEP_INTERVAL_SECONDS (15 by default), delivering in-process.

Running it twice (two `dhr serve` processes, or beside a cron `dhr reminders sweep`) is safe: claims are atomic.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from dhr_workflow.core.context import AppContext
from notifications.delivery import SweepResult
from notifications.transport import TransportFor

log = logging.getLogger("dhr.reminders")


@dataclass
class SchedulerHandle:
    thread: threading.Thread
    stopping: threading.Event
    sweeps: list[SweepResult] = field(default_factory=list)
    errors: int = 0

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the thread to finish its current sweep and wait for it."""
        self.stopping.set()
        self.thread.join(timeout)

    @property
    def running(self) -> bool:
        return self.thread.is_alive()


def start_embedded_scheduler(
    ctx: AppContext, *, interval: float | None = None, transports: TransportFor | None = None
) -> SchedulerHandle:
    from notifications.channels import transports_from_settings
    from notifications.delivery import sweep

    every = interval if interval is not None else ctx.settings.sweep_interval_seconds
    pick = transports or transports_from_settings(ctx.settings)
    stopping = threading.Event()
    handle = SchedulerHandle(threading.Thread(), stopping)

    def run() -> None:
        while not stopping.is_set():
            try:
                result = sweep(ctx, pick)
                handle.sweeps[:] = [*handle.sweeps[-9:], result]  # the last ten, for /healthz and tests
            except Exception:  # noqa: BLE001 - a failed sweep (database restarting) must not kill the scheduler
                handle.errors += 1
                log.exception("reminder sweep failed; trying again in %s s", every)
            stopping.wait(every)

    handle.thread = threading.Thread(target=run, name="dhr-reminder-scheduler", daemon=True)
    handle.thread.start()
    return handle
