"""The audit trail: append-only events in one hash chain. Each event's hash covers its content and the previous
hash, so changing, removing or reordering any event breaks the chain at that point and `verify` names it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from dhr_workflow.core.tables import AuditEvent, AuditHead, utcnow

GENESIS = "0" * 64


def _canonical_instant(value: datetime) -> str:
    # SQLite hands back naive datetimes, PostgreSQL aware ones: hash both as naive UTC.
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds")


def event_hash(e: AuditEvent | NewEvent) -> str:
    body = {
        "seq": e.seq,
        "case_id": e.case_id,
        "actor": e.actor,
        "action": e.action,
        "occurred_on": e.occurred_on.isoformat(),
        "recorded_at": _canonical_instant(e.recorded_at),
        "payload": e.payload,
        "prev_hash": e.prev_hash,
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()).hexdigest()


@dataclass
class NewEvent:
    """An event as appended: the same attributes as an AuditEvent row, without building an ORM object."""

    seq: int
    case_id: int | None
    actor: str
    action: str
    occurred_on: date
    recorded_at: datetime
    payload: dict[str, Any]
    prev_hash: str
    hash: str = ""


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    occurred_on: date,
    case_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> NewEvent:
    """Add an event to the chain inside the caller's transaction (the head row lock serialises appends)."""
    conn = session.connection()  # plain Core: none of these rows is an ORM object, so skip the ORM's bookkeeping
    seq, prev_hash = conn.execute(_READ_HEAD).one()
    event = NewEvent(seq + 1, case_id, actor, action, occurred_on, utcnow(), payload or {}, prev_hash)
    event.hash = event_hash(event)
    conn.execute(_INSERT_EVENT, asdict(event))
    conn.execute(_MOVE_HEAD, {"seq": event.seq, "hash": event.hash})
    return event


_READ_HEAD = select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1).with_for_update()
_INSERT_EVENT = insert(AuditEvent)
_MOVE_HEAD = update(AuditHead).where(AuditHead.id == 1)


@dataclass(frozen=True)
class VerifyResult:
    events_checked: int
    first_broken_seq: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify(session: Session) -> VerifyResult:
    prev_hash, expected_seq = GENESIS, 1
    rows = session.execute(select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=2000))
    for event in rows.scalars():
        problem = _check(event, expected_seq, prev_hash)
        if problem:
            return VerifyResult(expected_seq - 1, event.seq, problem)
        prev_hash, expected_seq = event.hash, expected_seq + 1
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq, head.hash) != (expected_seq - 1, prev_hash):
        return VerifyResult(
            expected_seq - 1,
            expected_seq,
            f"the chain ends at event {expected_seq - 1} but the head records event {head.seq}: "
            "events after it were removed",
        )
    return VerifyResult(expected_seq - 1)


def _check(event: AuditEvent, expected_seq: int, prev_hash: str) -> str | None:
    if event.seq != expected_seq:
        return f"event {expected_seq} is missing (next found is {event.seq})"
    if event.prev_hash != prev_hash:
        return f"event {event.seq} does not link to the event before it"
    if event_hash(event) != event.hash:
        return f"event {event.seq} ({event.action}) was changed after it was recorded"
    return None
