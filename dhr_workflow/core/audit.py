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

from sqlalchemy import event as sa_event
from sqlalchemy import insert, select, update
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
    seq, prev_hash, head_key = conn.execute(_READ_HEAD).one()
    first_seq = seq + 1
    if seq > 0 and head_key != config.current_id:
        handover = _rotation(config, head_key, prev_hash)
        rotation = _new_event(config, seq, prev_hash, "system", KEY_ROTATED, utcnow().date(), None, handover)
        conn.execute(_INSERT_EVENT, _row(rotation))
        seq, prev_hash = rotation.seq, rotation.hash
    event = _new_event(config, seq, prev_hash, actor, action, occurred_on, case_id, payload or {})
    conn.execute(_INSERT_EVENT, _row(event))
    conn.execute(_MOVE_HEAD, {"seq": event.seq, "hash": event.hash, "key_id": event.key_id})
    if config.anchor_dir is not None and (first_seq - 1) // config.anchor_every != event.seq // config.anchor_every:
        session.info[_PENDING_ANCHOR] = (event.seq, event.mac, event.key_id)
    return event


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
    event = NewEvent(seq + 1, case_id, actor, action, occurred_on, utcnow(), payload, prev_hash)
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
