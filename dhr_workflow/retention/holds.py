"""Legal holds: set on a case with a reason (criminal proceedings, an inquest, a claim), released with a reason. Each
change is one transaction with its audit event; the reasons stay on the hold row, never in the audit payload (they
may name proceedings or people)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.tables import Case
from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput
from dhr_workflow.core.tables import utcnow
from dhr_workflow.core.text import clean_text
from dhr_workflow.retention.access import HOLD_ROLES, acting
from dhr_workflow.retention.tables import LegalHold


@dataclass(frozen=True)
class HoldView:
    id: int
    case_ref: str
    reason: str
    set_by: str
    set_at: datetime
    released_by: str | None
    released_at: datetime | None
    release_reason: str | None


def _open_hold(session: Session, case_id: int) -> LegalHold | None:
    query = select(LegalHold).where(LegalHold.case_id == case_id, LegalHold.released_at.is_(None))
    return session.scalars(query).first()


def set_hold(ctx: AppContext, ref: str, reason: str, *, by: str | None = None) -> LegalHold:
    why = clean_text(reason, "the reason for the hold", 300, single_line=True)
    with ctx.db.write() as session:
        actor = acting(session, by, HOLD_ROLES, "set a legal hold")
        case = load_case(session, ref)
        if _open_hold(session, case.id or 0) is not None:
            raise InvalidInput(f"{case.ref} is already under a legal hold")
        hold = LegalHold(case_id=case.id or 0, reason=why, set_by=actor.label)
        session.add(hold)
        session.flush()
        audit.append(
            session,
            actor=actor.label,
            action="legal_hold_set",
            occurred_on=ctx.today(),
            case_id=case.id,
            payload={"hold_id": hold.id},
        )
        return hold


def release_hold(ctx: AppContext, ref: str, reason: str, *, by: str | None = None) -> LegalHold:
    why = clean_text(reason, "the reason for releasing the hold", 300, single_line=True)
    with ctx.db.write() as session:
        actor = acting(session, by, HOLD_ROLES, "release a legal hold")
        case = load_case(session, ref)
        hold = _open_hold(session, case.id or 0)
        if hold is None:
            raise InvalidInput(f"{case.ref} is not under a legal hold")
        hold.released_by, hold.released_at, hold.release_reason = actor.label, utcnow(), why
        audit.append(
            session,
            actor=actor.label,
            action="legal_hold_released",
            occurred_on=ctx.today(),
            case_id=case.id,
            payload={"hold_id": hold.id},
        )
        return hold


def list_holds(ctx: AppContext, *, include_released: bool = False) -> list[HoldView]:
    with ctx.db.read() as session:
        query = select(LegalHold, Case.ref).join(Case, Case.id == LegalHold.case_id).order_by(LegalHold.id)
        if not include_released:
            query = query.where(LegalHold.released_at.is_(None))
        return [
            HoldView(h.id or 0, ref, h.reason, h.set_by, h.set_at, h.released_by, h.released_at, h.release_reason)
            for h, ref in session.execute(query)
        ]
