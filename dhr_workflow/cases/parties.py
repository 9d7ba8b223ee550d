"""People in a case besides the victim logged at notification: the perpetrator, family members and others. Real
names, dates of birth and addresses live only on Party rows, each beside the pseudonym every published document
uses for that person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from dhr_workflow.cases.lifecycle import load_case
from dhr_workflow.cases.tables import Party
from dhr_workflow.core import audit
from dhr_workflow.core.context import AppContext
from dhr_workflow.core.errors import InvalidInput
from dhr_workflow.core.tables import utcnow
from dhr_workflow.core.text import clean_text, not_in_future
from dhr_workflow.people.users import actor_for

PARTY_KINDS = ("victim", "perpetrator", "family", "other")


@dataclass(frozen=True)
class PartyInput:
    kind: str
    real_name: str
    pseudonym: str
    age: int | None = None
    date_of_birth: date | None = None
    address: str | None = None
    relationship: str | None = None


def add_party(ctx: AppContext, ref: str, p: PartyInput, *, by: str | None = None) -> Party:
    if p.kind not in PARTY_KINDS:
        raise InvalidInput(f"'{p.kind}' is not a kind of person in a case; kinds: {', '.join(PARTY_KINDS)}")
    real = clean_text(p.real_name, "the real name", 200)
    pseudonym = clean_text(p.pseudonym, "the pseudonym", 100)
    if pseudonym.lower() in real.lower().split():
        raise InvalidInput("the pseudonym must not be part of the person's real name")
    if p.age is not None and not 0 <= p.age <= 130:
        raise InvalidInput(f"the age {p.age} is not possible")
    if p.date_of_birth is not None:
        not_in_future(p.date_of_birth, ctx.today(), "the date of birth")
    with ctx.db.write() as session:
        case = load_case(session, ref)
        actor = actor_for(session, by)
        taken = session.scalar(
            select(Party.id).where(Party.case_id == case.id, func.lower(Party.pseudonym) == pseudonym.lower())
        )
        if taken is not None:
            raise InvalidInput(
                f"the pseudonym '{pseudonym}' is already used in {case.ref}: each person needs their own"
            )
        party = Party(
            case_id=case.id or 0,
            kind=p.kind,
            real_name=real,
            pseudonym=pseudonym,
            age=p.age,
            date_of_birth=p.date_of_birth,
            address=clean_text(p.address, "the address", 500, required=False) or None if p.address else None,
            relationship=clean_text(p.relationship, "the relationship", 200, required=False) or None
            if p.relationship
            else None,
        )
        session.add(party)
        case.updated_at = utcnow()  # bumps the case version: published text must be checked again
        session.flush()
        audit.append(
            session,
            actor=actor.label,
            action="party_added",
            occurred_on=ctx.today(),
            case_id=case.id,
            payload={"party_id": party.id, "kind": p.kind},
        )
        return party
