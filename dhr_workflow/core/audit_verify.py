"""Checking the audit chain (ADR 0052): sequence, links, hashes, MACs under the configured keys, key rotations and
the anchor log. Rows are read raw, so a row edited into nonsense is reported as a broken event, never a crash."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from dhr_workflow.core.audit_anchors import Anchor, read_anchors
from dhr_workflow.core.audit_chain import GENESIS, KEY_ROTATED, NewEvent, config_for, event_hash, rotation_message
from dhr_workflow.core.audit_keys import AuditConfig
from dhr_workflow.core.tables import AuditEvent, AuditHead


@dataclass(frozen=True)
class VerifyResult:
    events_checked: int
    first_broken_seq: int | None = None
    problem: str | None = None
    unkeyed: int = 0  # events recorded before the audit key was introduced
    anchors_checked: int = 0
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.problem is None


class _Broken(Exception):
    def __init__(self, seq: int, problem: str) -> None:
        super().__init__(problem)
        self.seq, self.problem = seq, problem


_ROWS = select(
    type_coerce(AuditEvent.seq, String),
    AuditEvent.case_id,
    AuditEvent.actor,
    AuditEvent.action,
    type_coerce(AuditEvent.occurred_on, String),
    type_coerce(AuditEvent.recorded_at, String),
    type_coerce(AuditEvent.payload, String),
    AuditEvent.prev_hash,
    AuditEvent.hash,
    AuditEvent.mac,
    AuditEvent.key_id,
).order_by(AuditEvent.seq)


def verify(session: Session, config: AuditConfig | None = None) -> VerifyResult:
    config = config or config_for(session)
    anchors, anchor_problems = read_anchors(config)
    walk = _Walk(config, {a.seq: a for a in anchors})
    try:
        for row in session.execute(_ROWS.execution_options(yield_per=2000)):
            walk.step(row)
        walk.check_head(session)
        walk.check_anchors(anchors)
    except _Broken as broken:
        return VerifyResult(walk.checked, broken.seq, broken.problem, walk.unkeyed, len(anchors))
    if anchor_problems:
        return VerifyResult(walk.checked, None, "; ".join(anchor_problems), walk.unkeyed, len(anchors))
    return VerifyResult(walk.checked, None, None, walk.unkeyed, len(anchors), tuple(walk.notes(config)))


class _Walk:
    def __init__(self, config: AuditConfig, anchors: dict[int, Anchor]) -> None:
        self.config, self.anchors = config, anchors
        self.checked, self.unkeyed = 0, 0
        self.prev_hash: str = GENESIS
        self.prev_key: str | None = None
        self.keyed = False

    @property
    def expected(self) -> int:
        return self.checked + 1

    def step(self, row: Any) -> None:
        event = self._parse(row)
        if event.seq != self.expected:
            raise _Broken(event.seq, f"event {self.expected} is missing (next found is {event.seq})")
        if event.prev_hash != self.prev_hash:
            raise _Broken(event.seq, f"event {event.seq} does not link to the event before it")
        if event_hash(event) != event.hash:
            raise _Broken(event.seq, f"event {event.seq} ({event.action}) was changed after it was recorded")
        self._check_mac(event)
        anchor = self.anchors.get(event.seq)
        if anchor is not None and anchor.mac != event.mac:
            raise _Broken(
                event.seq,
                f"event {event.seq} does not match the anchor log (line {anchor.line}, written {anchor.at}): "
                "the chain was rewritten from here",
            )
        self.prev_hash, self.prev_key = event.hash, event.key_id
        self.checked += 1

    def _check_mac(self, event: NewEvent) -> None:
        seq = event.seq
        if event.mac is None and event.key_id is None:
            if self.keyed:
                raise _Broken(seq, f"event {seq} has no MAC although the chain was keyed before it: forged or stripped")
            self.unkeyed += 1
            return
        kid = event.key_id or ""
        expected = self.config.mac(kid, event.hash)
        if expected is None:
            raise _Broken(
                seq,
                f"event {seq} is MACed with audit key {kid!r}, which is not configured: if that key was retired, add "
                "it as an earlier line of DHR_AUDIT_KEY_FILE; otherwise the event was forged",
            )
        if expected != event.mac:
            raise _Broken(seq, f"event {seq} ({event.action}) was changed after it was recorded: its MAC differs")
        if kid != self.prev_key and self.checked > 0:
            self._check_rotation(event)
        self.keyed = True

    def _check_rotation(self, event: NewEvent) -> None:
        p = event.payload
        if event.action != KEY_ROTATED or p.get("to_key") != event.key_id or p.get("from_key") != self.prev_key:
            raise _Broken(event.seq, f"event {event.seq} changes the audit key without a recorded key rotation")
        if self.prev_key is None:
            return  # sealing the events recorded before the key was introduced
        endorsement = self.config.mac(self.prev_key, rotation_message(event.key_id or "", self.prev_hash))
        if endorsement is None or endorsement != p.get("endorsement"):
            raise _Broken(event.seq, f"event {event.seq} rotates the audit key without the previous key's endorsement")

    def _parse(self, row: Any) -> NewEvent:
        raw_seq = row[0]
        try:
            seq = int(raw_seq)
        except (TypeError, ValueError):
            problem = f"event {self.expected} is malformed (its sequence number is {raw_seq!r})"
            raise _Broken(self.expected, problem) from None
        try:
            event = NewEvent(
                seq,
                _optional_int(row[1]),
                _text(row[2]),
                _text(row[3]),
                _day(row[4]),
                _instant(row[5]),
                _payload(row[6]),
                _text(row[7]),
                _text(row[8]),
                row[9],
                row[10],
            )
        except (TypeError, ValueError) as err:
            raise _Broken(seq, f"event {seq} is malformed ({err}): the row was edited outside the application") from err
        return event

    def check_head(self, session: Session) -> None:
        query = select(type_coerce(AuditHead.seq, String), AuditHead.hash).where(AuditHead.id == 1)
        head = session.execute(query).first()
        if head is None:
            if self.checked:
                raise _Broken(self.checked, "the chain's head row is missing")
            return
        end = self.checked
        if (str(head[0]), head[1]) != (str(end), self.prev_hash):
            raise _Broken(
                end + 1,
                f"the chain ends at event {end} but the head records event {head[0]}: events after it were removed "
                "or the head was moved",
            )

    def check_anchors(self, anchors: list[Anchor]) -> None:
        beyond = [a for a in anchors if a.seq > self.checked]
        if beyond:
            last = max(beyond, key=lambda a: a.seq)
            raise _Broken(
                self.checked + 1,
                f"the chain ends at event {self.checked} but the anchor log recorded event {last.seq} on {last.at} "
                f"(line {last.line}): events were removed",
            )

    def notes(self, config: AuditConfig) -> list[str]:
        notes = []
        if self.unkeyed:
            sealed = "sealed by the first keyed event" if self.keyed else "not sealed yet: the next event seals them"
            notes.append(f"{self.unkeyed} events were recorded before the audit key was introduced ({sealed})")
        if config.anchor_dir is None:
            notes.append("no anchor log (DHR_AUDIT_ANCHOR_DIR): removing the newest events could go unnoticed")
        if config.is_development_key:
            notes.append("the development audit key is in use: set DHR_AUDIT_KEY or DHR_AUDIT_KEY_FILE")
        return notes


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, found {type(value).__name__}")
    return value


def _optional_int(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"case id {value!r} is not a number")
    return value


def _day(value: object) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"occurred_on {value[:40]!r} is not a date") from None
    raise ValueError(f"occurred_on {value!r} is not a date")


def _instant(value: object) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"recorded_at {value[:40]!r} is not a time") from None
    raise ValueError(f"recorded_at {value!r} is not a time")


def _payload(value: object) -> dict[str, Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ValueError("its payload is not valid JSON") from None
    if not isinstance(value, dict):
        raise ValueError("its payload is not a JSON object")
    return value
