"""Short claim leases, kept alive by whoever holds the rows (ADR 0053).

A claim lasts `DHR_REMINDER_LEASE_SECONDS` (30 by default). While a process holds rows, a heartbeat renews them every
third of the lease, so a live holder keeps its rows however long its work takes and a dead one loses them at most
one lease after it died; the next sweep claims them again.

Renewing is conditional, so a renewal never takes back a row someone else holds. A row being sent is renewed only if
it is still `sending` with this attempt's number: the attempt number is the fencing token. The hand-over deadline
the transport checks before the point of no return (ADR 0014) moves later only after the database confirmed the
renewal, and only to the instant the renewal started plus the lease less the margin, so it never outlives the lease
other workers see.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from time import monotonic

from sqlalchemy import update

from dhr_workflow.core.context import AppContext
from dhr_workflow.core.tables import utcnow
from notifications.ledger.tables import Reminder
from notifications.transport import Deadline, lease_margin

log = logging.getLogger("dhr.reminders")

_NO_SYNC = {"synchronize_session": False}


def renew_every(lease_seconds: int) -> float:
    """How often a holder renews: three chances before the lease runs out."""
    return lease_seconds / 3


def renew_sending(ctx: AppContext, reminder_id: int, attempt_no: int, deadline: Deadline) -> bool:
    """Extend the lease of a row this attempt is sending; False once the row is no longer this attempt's."""
    lease = ctx.settings.reminder_lease_seconds
    started = monotonic()
    with ctx.db.write() as session:
        renewed = session.execute(
            update(Reminder)
            .where(Reminder.id == reminder_id, Reminder.status == "sending", Reminder.attempts == attempt_no)
            .values(claimed_until=utcnow() + timedelta(seconds=lease)),
            execution_options=_NO_SYNC,
        ).rowcount
    if renewed != 1:
        return False
    deadline.extend(started + (timedelta(seconds=lease) - lease_margin(lease)).total_seconds())
    return True


def renew_claimed(ctx: AppContext, held: set[int]) -> bool:
    """Extend the leases of rows claimed and not yet taken for sending; drops from `held` the rows that moved on."""
    ids = sorted(held)
    if not ids:
        return True
    lease = ctx.settings.reminder_lease_seconds
    with ctx.db.write() as session:
        table = Reminder.__table__
        kept = session.execute(
            update(table)
            .where(table.c.id.in_(ids), table.c.status == "claimed")
            .values(claimed_until=utcnow() + timedelta(seconds=lease))
            .returning(table.c.id)
        ).scalars()
        still = set(kept)
    held.intersection_update(still)
    return True


@contextmanager
def heartbeat(every: float, beat: Callable[[], bool]) -> Iterator[None]:
    """Call `beat` every `every` seconds in a daemon thread while the block runs; stop when it returns False.

    A failed renewal (the database restarting) is logged and tried again next time: until one succeeds, the lease
    and the hand-over deadline stay where they were, which is the safe side.
    """
    stopping = threading.Event()

    def run() -> None:
        while not stopping.wait(every):
            try:
                if not beat():
                    return
            except Exception:  # noqa: BLE001 - a heartbeat must not kill the delivery it protects
                log.warning("renewing a reminder lease failed; trying again in %.0f s", every)

    thread = threading.Thread(target=run, name="dhr-lease-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stopping.set()
        thread.join(every)


def held_while(ctx: AppContext, ids: Iterable[int]) -> tuple[set[int], Callable[[], bool]]:
    """A set of claimed ids and the beat that renews those still in it (the caller removes each as it takes it)."""
    held = set(ids)
    return held, lambda: renew_claimed(ctx, held)
