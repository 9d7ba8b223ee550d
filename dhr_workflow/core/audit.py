"""The audit trail: append-only events in one chain (ADR 0006, ADR 0052).

Each event's hash covers its content and the previous event's hash; its MAC covers that hash under a key kept outside
the database, so someone who can only write the database can neither edit an event and recompute the chain nor forge
new events. A change of key is itself an event, endorsed by the old key. Every N events (and at every sweep) the head
is appended to an anchor log outside the database, so truncating or emptying the table is detected too.
`verify` (from `audit_verify`) checks all of it.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, bindparam, insert, select, update
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from dhr_workflow.core.audit_anchors import write_anchor
from dhr_workflow.core.audit_chain import GENESIS, KEY_ROTATED, NewEvent, config_for, event_hash, rotation_message
from dhr_workflow.core.audit_keys import AuditConfig, AuditKeyError
from dhr_workflow.core.audit_verify import VerifyResult, verify
from dhr_workflow.core.tables import AuditEvent, AuditHead, utcnow

__all__ = ["GENESIS", "NewEvent", "VerifyResult", "anchor_head", "append", "event_hash", "verify"]
_PENDING_ANCHOR = "dhr_audit_pending_anchor"
log = logging.getLogger(__name__)


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
    config = config_for(session)
    conn = session.connection()  # plain Core: none of these rows is an ORM object, so skip the ORM's bookkeeping
    event = NewEvent(0, case_id, actor, action, occurred_on, utcnow(), payload or {}, GENESIS)
    first_seq = _onto_known_head(conn, config, event) or _onto_read_head(conn, config, event)
    if config.anchor_dir is not None and (first_seq - 1) // config.anchor_every != event.seq // config.anchor_every:
        session.info[_PENDING_ANCHOR] = (event.seq, event.mac, event.key_id)
    _KNOWN_HEADS[conn.engine] = (event.seq, event.hash, event.key_id)
    return event


# The head each engine's last append in this process left: (seq, hash, key id). Only a guess, which the conditional
# UPDATE in _onto_known_head checks against the row: another process, a rolled-back transaction or a hand edit of
# the head simply makes it miss.
_KNOWN_HEADS: WeakKeyDictionary[Engine, tuple[int, str, str | None]] = WeakKeyDictionary()


def _onto_known_head(conn: Connection, config: AuditConfig, event: NewEvent) -> int:
    """Chain `event` onto the head this process last wrote, if that is still the head and its key is the current
    one; returns the event's seq, or 0 (nothing written) when it is not. One statement fewer than reading the head
    first (issue 17): the UPDATE takes the same row lock the read took, and moves the row only if it holds exactly
    that seq, hash and key."""
    known = _KNOWN_HEADS.get(conn.engine)
    if known is None or known[2] != config.current_id:
        return 0
    seq, prev_hash, key_id = known
    _seal(config, event, seq, prev_hash)
    head = {"old_seq": seq, "old_hash": prev_hash, "old_key_id": key_id}
    moved = conn.execute(_MOVE_KNOWN_HEAD, {"seq": event.seq, "hash": event.hash, "key_id": event.key_id, **head})
    if moved.rowcount != 1:
        return 0
    conn.execute(_INSERT_EVENT, _row(event))
    return event.seq


def _onto_read_head(conn: Connection, config: AuditConfig, event: NewEvent) -> int:
    """Chain `event` onto the head as read (under its row lock), first recording a change of key if there was one;
    returns the seq of the first event written."""
    seq, prev_hash, head_key = conn.execute(_READ_HEAD).one()
    first_seq = seq + 1
    if seq > 0 and head_key != config.current_id:
        handover = _rotation(config, head_key, prev_hash)
        rotation = _new_event(config, seq, prev_hash, "system", KEY_ROTATED, utcnow().date(), None, handover)
        conn.execute(_INSERT_EVENT, _row(rotation))
        seq, prev_hash = rotation.seq, rotation.hash
        event.recorded_at = utcnow()  # recorded after the change of key, as it is chained after it
    _seal(config, event, seq, prev_hash)
    conn.execute(_INSERT_EVENT, _row(event))
    conn.execute(_MOVE_HEAD, {"seq": event.seq, "hash": event.hash, "key_id": event.key_id})
    return first_seq


def _row(event: NewEvent) -> dict[str, Any]:
    # A shallow copy: dataclasses.asdict deep-copies the payload, a twentieth of a step's CPU (issue 17), to guard
    # against a mutation that cannot happen between here and the INSERT.
    return dict(vars(event))


def _new_event(
    config: AuditConfig,
    seq: int,
    prev_hash: str,
    actor: str,
    action: str,
    occurred_on: date,
    case_id: int | None,
    payload: dict[str, Any],
) -> NewEvent:
    event = NewEvent(0, case_id, actor, action, occurred_on, utcnow(), payload, GENESIS)
    return _seal(config, event, seq, prev_hash)


def _seal(config: AuditConfig, event: NewEvent, seq: int, prev_hash: str) -> NewEvent:
    """Place `event` after (seq, prev_hash) and sign it with the current key."""
    event.seq, event.prev_hash = seq + 1, prev_hash
    event.hash = event_hash(event)
    event.key_id = config.current_id
    event.mac = config.mac(config.current_id, event.hash)
    return event


def _rotation(config: AuditConfig, old_key: str | None, prev_hash: str) -> dict[str, Any]:
    endorsement = None
    if old_key is not None:
        endorsement = config.mac(old_key, rotation_message(config.current_id, prev_hash))
        if endorsement is None:
            raise AuditKeyError(
                f"the audit key has changed, but the previous key (id {old_key}) is not configured: keep it as a "
                "retired key (an earlier line of DHR_AUDIT_KEY_FILE) so the change can be recorded in the chain"
            )
    return {"from_key": old_key, "to_key": config.current_id, "endorsement": endorsement}


_READ_HEAD = select(AuditHead.seq, AuditHead.hash, AuditHead.key_id).where(AuditHead.id == 1).with_for_update()
_INSERT_EVENT = insert(AuditEvent)
_MOVE_HEAD = update(AuditHead).where(AuditHead.id == 1)
_MOVE_KNOWN_HEAD = _MOVE_HEAD.where(
    AuditHead.seq == bindparam("old_seq"),
    AuditHead.hash == bindparam("old_hash"),
    AuditHead.key_id == bindparam("old_key_id"),  # type: ignore[arg-type]
)


def anchor_head(session: Session) -> bool:
    """Append the chain's head to the anchor log now (each sweep calls this). False when there is nothing new."""
    config = config_for(session)
    if config.anchor_dir is None:
        return False
    head = session.execute(select(AuditHead.seq).where(AuditHead.id == 1)).scalar_one_or_none()
    if not head:
        return False
    row = session.execute(select(AuditEvent.mac, AuditEvent.key_id).where(AuditEvent.seq == head)).one_or_none()
    if row is None or row.mac is None:
        return False
    try:
        return write_anchor(config, head, row.mac, row.key_id, only_if_new=True)
    except OSError:
        log.exception("could not append to the audit anchor log in %s", config.anchor_dir)
        return False


@sa_event.listens_for(Session, "after_commit")
def _write_pending_anchor(session: Session) -> None:
    pending = session.info.pop(_PENDING_ANCHOR, None)
    if pending is None:
        return
    try:
        write_anchor(config_for(session), *pending)
    except OSError:  # the events are committed; the next sweep anchors the head again
        log.exception("could not append to the audit anchor log")


@sa_event.listens_for(Session, "after_rollback")
def _drop_pending_anchor(session: Session) -> None:
    session.info.pop(_PENDING_ANCHOR, None)
