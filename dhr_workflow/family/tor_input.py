"""What the family asked the review to consider: each request is recorded against the family member who made it,
with the day they made it, and the terms of reference and the overview report carry it (family/document_data.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.tables import Case, Party
from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.tables import utcnow
from dhr_workflow.core.text import clean_text
from dhr_workflow.family.fields import acting, member_for, must_know, past_day
from dhr_workflow.family.tables import FamilyMember, FamilyTorInput
from dhr_workflow.people.tables import User


def record_tor_input(
    ctx: AppContext, ref: str, party_id: int, *, text: str, on: date | None = None, by: str | None = None
) -> FamilyTorInput:
    """Record that family member `party_id` asked the review to consider `text`, on `on` (default today)."""
    asked = clean_text(text, "what the family asked the review to consider", 4000)
    day = past_day(on or ctx.today(), ctx.today(), "the day they asked")
    with ctx.db.write() as session:
        label = acting(session, by)
        case = load_case(session, ref)
        member = member_for(session, case, party_id)
        row = FamilyTorInput(
            case_id=case.id or 0, member_id=member.id or 0, received_on=day, text=asked, recorded_by=label
        )
        session.add(row)
        case.updated_at = utcnow()  # the terms of reference and the report say something new
        session.flush()
        audit.append(
            session,
            actor=label,
            action="family_tor_input_recorded",
            occurred_on=day,
            case_id=case.id,
            payload={"party_id": party_id, "input_id": row.id},
        )
        return row


def tor_inputs_of(ctx: AppContext, ref: str, *, viewer: User | None = None) -> list[dict[str, Any]]:
    """Everything the family asked the review to consider, oldest first (need to know: it names them)."""
    must_know(viewer)
    with ctx.db.read() as session:
        return inputs_in(session, load_case(session, ref, viewer))


def inputs_in(session: Session, case: Case) -> list[dict[str, Any]]:
    rows = session.execute(
        select(FamilyTorInput, Party)
        .join(FamilyMember, FamilyMember.id == FamilyTorInput.member_id)
        .join(Party, Party.id == FamilyMember.party_id)
        .where(FamilyTorInput.case_id == case.id)
        .order_by(FamilyTorInput.received_on, FamilyTorInput.id)
    ).all()
    return [
        {
            "id": i.id,
            "party_id": p.id,
            "name": p.real_name,
            "pseudonym": p.pseudonym,
            "relationship": p.relationship,
            "on": i.received_on.isoformat(),
            "text": i.text,
        }
        for i, p in rows
    ]
