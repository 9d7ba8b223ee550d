"""Short claim leases, renewed by the loop that holds them, with no thread (ADR 0053).

A claim is a lease of DHR_REMINDER_LEASE_SECONDS (30). Whoever delivers a claimed batch in-process renews the leases
of the rows it has not reached yet, from its own loop between two messages, once the lease is a third used. Nothing
runs beside a send: the window between the final "." and its hand-off note (ADR 0014) stays as narrow as it was.

Local deadlines are `time.monotonic()` instants and move only on a renewal the database committed, measured from
*before* its request: the row's `claimed_until` is then at least that instant plus the lease, so a holder that
stops at its deadline (the lease less a margin) has stopped before anyone else may claim the row again.

Times written to the database follow a `LeaseClock`: the sweep's `now` (a test may simulate it) advanced by the
monotonic time since, so a batch delivered for minutes does not write leases that were over before they began.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from time import monotonic

from sqlalchemy import update

from dhr_workflow.core.context import AppContext
from dhr_workflow.core.settings import Settings
from notifications.ledger.tables import Reminder
from notifications.transport import lease_margin

log = logging.getLogger("dhr.reminders")

# The slowest a live worker is assumed to deliver what waits ahead of a re-claimed row (ADR 0053: measured at load 16).
MIN_DELIVERIES_PER_SECOND = 3.0


@dataclass(frozen=True)
class LeaseClock:
    """The sweep's `now`, read at the monotonic instant `started`, and the wall time at any later instant."""

    now: datetime
    started: float = field(default_factory=monotonic)

    def at(self, instant: float) -> datetime:
        return self.now + timedelta(seconds=instant - self.started)


def renew_every(lease_seconds: int) -> float:
    """How often a holder renews: when a third of the lease is used, so it may miss one and keep its rows."""
    return lease_seconds / 3


def usable(lease_seconds: int) -> float:
    """How long after a lease began (by this host's clock) its holder may still act on it."""
    return (timedelta(seconds=lease_seconds) - lease_margin(lease_seconds)).total_seconds()


def failover_bound(settings: Settings) -> float:
    """Seconds from a worker's death until the last reminder it held is delivered again, at worst.

    Its leases end within one lease of its death (it claimed, renewed or took them before it died); the next sweep,
    at most one interval later, claims them again first; in queue mode they then wait behind at most the queue limit.
    """
    queued = settings.reminder_queue_limit / MIN_DELIVERIES_PER_SECOND
    return settings.reminder_lease_seconds + settings.sweep_interval_seconds + queued


class HeldBatch:
    """Rows claimed together and delivered here one by one: the ones not yet reached, and how long they are ours."""

    def __init__(self, ctx: AppContext, ids: Iterable[int], clock: LeaseClock, claimed_at: float) -> None:
        self.ctx, self.clock = ctx, clock
        self.waiting = list(ids)
        self.lease_began = claimed_at  # monotonic, measured before the claim's request
        self.lease = ctx.settings.reminder_lease_seconds

    @property
    def deadline(self) -> float:
        return self.lease_began + usable(self.lease)

    def next_id(self) -> int | None:
        """The next row to deliver, or None when the batch is done or its leases may have run out."""
        if not self.waiting:
            return None
        if monotonic() >= self.deadline:
            # Another sweep may already hold these rows again: leave them to it (or to the next sweep).
            log.warning("a reminder batch ran past its lease; %d rows are left to the next sweep", len(self.waiting))
            return None
        if monotonic() - self.lease_began >= renew_every(self.lease):
            self._renew()
        return self.waiting.pop(0) if self.waiting else None

    def _renew(self) -> None:
        started = monotonic()
        try:
            kept = renew_claimed(self.ctx, self.waiting, self.clock.at(started))
        except Exception:  # noqa: BLE001 - a failed renewal (database restarting) leaves the old deadline in force
            log.warning("renewing a reminder batch's leases failed; its old deadline stands")
            return
        self.waiting = [i for i in self.waiting if i in kept]
        self.lease_began = started  # only now, the renewal committed; from before it was asked for


def renew_claimed(ctx: AppContext, ids: list[int], now: datetime) -> set[int]:
    """Extend to `now` + lease the leases of these rows still `claimed`; returns those renewed (committed)."""
    if not ids:
        return set()
    lease = now + timedelta(seconds=ctx.settings.reminder_lease_seconds)
    table = Reminder.__table__
    with ctx.db.write() as session:
        renewed = session.execute(
            update(table)
            .where(table.c.id.in_(ids), table.c.status == "claimed")
            .values(claimed_until=lease)
            .returning(table.c.id)
        ).scalars()
        kept = set(renewed)
    return kept
