"""What the audit chain is made of (ADR 0052): the canonical hash of an event, the event as appended, the message a
retiring key signs when it hands the chain over, and the keys a session uses."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from dhr_workflow.core.audit_keys import AuditConfig, config_from
from dhr_workflow.core.database import AUDIT_CONFIG
from dhr_workflow.core.tables import AuditEvent

GENESIS = "0" * 64
KEY_ROTATED = "audit_key_rotated"


def canonical_instant(value: datetime) -> str:
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
        "recorded_at": canonical_instant(e.recorded_at),
        "payload": e.payload,
        "prev_hash": e.prev_hash,
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()).hexdigest()


def rotation_message(new_key_id: str, prev_hash: str) -> str:
    """What the old key signs to hand the chain over to a new key."""
    return f"rotate:{new_key_id}:{prev_hash}"


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
    mac: str | None = None
    key_id: str | None = None


def config_for(session: Session) -> AuditConfig:
    """The audit keys for this session: those of its Database (set by the app context), else from the settings."""
    config = session.info.get(AUDIT_CONFIG)
    if config is None:
        from dhr_workflow.core.settings import get_settings

        config = config_from(get_settings())
        session.info[AUDIT_CONFIG] = config
    return config  # type: ignore[no-any-return]
